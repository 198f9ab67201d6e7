//! Counting the facet values of a query's matches from the cached rows: a batch of
//! documents at a time, each segment in its own value ids, then added up across segments in
//! shared ids and cut to the most frequent values.

use super::super::facets::{FacetCount, FacetKind};
use super::super::timeline::{PeriodCounts, year_facet};
use super::{SearcherFacets, SegmentMatches, Tally, column_of};
use crate::extract::countries;
use std::collections::BTreeMap;

impl SearcherFacets {
    /// Counts `kinds` over the matching documents, keeping the `limit` most frequent values
    /// of each (most first, then by value; years most first, then newest). Segments are
    /// counted side by side, each in its own value ids, then added up.
    pub(crate) fn count(
        &self,
        executor: &tantivy::Executor,
        matches: &[SegmentMatches],
        kinds: &[FacetKind],
        limit: usize,
    ) -> tantivy::Result<BTreeMap<String, Vec<FacetCount>>> {
        let columns: Vec<usize> = kinds.iter().filter_map(|kind| column_of(*kind)).collect();
        let years = kinds.contains(&FacetKind::Year);
        let counted = executor.map(
            |found| Ok(self.count_segment(found, &columns, years)),
            matches.iter(),
        )?;
        let mut result = BTreeMap::new();
        // Value columns were counted in the order of `kinds`.
        let mut slot = 0;
        for kind in kinds {
            let counts = match column_of(*kind) {
                Some(column) => {
                    slot += 1;
                    self.add_column(matches, &counted, *kind, column, slot - 1, limit)
                }
                None => self.add_years(matches, &counted, limit),
            };
            result.insert(kind.name().to_string(), counts);
        }
        Ok(result)
    }

    /// One value column's counts over all segments (`slot`: its place in [`Counted`]).
    fn add_column(
        &self,
        matches: &[SegmentMatches],
        counted: &[Counted],
        kind: FacetKind,
        column: usize,
        slot: usize,
        limit: usize,
    ) -> Vec<FacetCount> {
        let mut counts = vec![0u32; self.names[column].len()];
        for (found, segment) in matches.iter().zip(counted) {
            let map = &self.maps[column][found.segment as usize];
            for (id, count) in segment.columns[slot].iter().enumerate() {
                counts[map[id] as usize] += count;
            }
        }
        top_counts(kind, &self.names[column], &counts, limit)
    }

    /// The year counts over all segments.
    fn add_years(
        &self,
        matches: &[SegmentMatches],
        counted: &[Counted],
        limit: usize,
    ) -> Vec<FacetCount> {
        let mut periods = PeriodCounts::default();
        for (found, segment) in matches.iter().zip(counted) {
            let column = &self.segments[found.segment as usize].year;
            periods.undated += u64::from(segment.years[0]);
            for (year, count) in column.years.iter().zip(&segment.years[1..]) {
                if *count > 0 {
                    *periods.periods.entry(i64::from(*year)).or_default() += u64::from(*count);
                }
            }
        }
        year_facet(&periods, limit)
    }

    /// The counts of one segment's matches in the segment's own value ids, for the value
    /// columns `columns` and (when `years`) the year column, in one pass over the matches
    /// (or over the alive documents not matched, subtracted from the totals).
    fn count_segment(&self, found: &SegmentMatches, columns: &[usize], years: bool) -> Counted {
        let segment = &self.segments[found.segment as usize];
        let mut tallies: Vec<Tally> = columns
            .iter()
            .map(|column| Tally::new(segment.columns[*column].names.len()))
            .collect();
        let mut year_counts = vec![0u32; if years { segment.year.totals.len() } else { 1 }];
        // A batch of documents at a time, each document's row asked for a few documents
        // ahead, so that the processor overlaps the cache misses of several rows.
        let rows = &segment.rows;
        let mut count_docs = |docs: &[u32]| {
            // Rows are read only for value columns (a year count needs none).
            if !columns.is_empty() {
                for (position, &doc) in docs.iter().enumerate() {
                    if let Some(&ahead) = docs.get(position + PREFETCH_DISTANCE) {
                        rows.cells.prefetch(rows.starts[ahead as usize] as usize);
                    }
                    let start = rows.starts[doc as usize] as usize;
                    rows.cells.count_row(start, columns, &mut tallies);
                }
            }
            if years {
                for &doc in docs {
                    year_counts[usize::from(segment.year.ids[doc as usize])] += 1;
                }
            }
        };
        let most = found.is_most_of(segment);
        if most {
            for_each_batch(&found.complement(segment), segment.max_doc, &mut count_docs);
        } else {
            for_each_batch(&found.bits, segment.max_doc, &mut count_docs);
        }
        let mut counted = Counted {
            columns: tallies.into_iter().map(Tally::counts).collect(),
            years: year_counts,
        };
        if most {
            for (slot, column) in columns.iter().enumerate() {
                let totals = &segment.columns[*column].totals;
                for (count, total) in counted.columns[slot].iter_mut().zip(totals) {
                    *count = total - *count;
                }
            }
            if years {
                for (count, total) in counted.years.iter_mut().zip(&segment.year.totals) {
                    *count = total - *count;
                }
            }
        }
        counted
    }
}

/// One segment's counts, in its own value ids: per requested column, and per year id.
struct Counted {
    columns: Vec<Vec<u32>>,
    years: Vec<u32>,
}

/// How many documents ahead the counting loop prefetches a document's value ids.
pub(super) const PREFETCH_DISTANCE: usize = 8;

/// Calls `each` with the documents whose bit is set, in order, a batch of up to 256 at a time.
pub(super) fn for_each_batch(bits: &[u64], max_doc: u32, mut each: impl FnMut(&[u32])) {
    const BATCH: usize = 256;
    let mut batch = [0u32; BATCH + 64];
    let mut len = 0;
    for (word_index, word) in bits.iter().enumerate() {
        let mut word = *word;
        while word != 0 {
            let doc = word_index as u32 * 64 + word.trailing_zeros();
            if doc >= max_doc {
                each(&batch[..len]);
                return;
            }
            batch[len] = doc;
            len += 1;
            word &= word - 1;
        }
        if len >= BATCH {
            each(&batch[..len]);
            len = 0;
        }
    }
    if len > 0 {
        each(&batch[..len]);
    }
}

/// The `limit` values with the highest counts, most first, ties by value.
pub(super) fn top_counts(
    kind: FacetKind,
    names: &[Box<str>],
    counts: &[u32],
    limit: usize,
) -> Vec<FacetCount> {
    // The limit-th highest count, found among the counts alone: only values reaching it
    // are compared by name (a facet may have tens of thousands of values, mostly rare).
    let mut nonzero: Vec<u32> = counts.iter().copied().filter(|count| *count > 0).collect();
    let least = match limit {
        0 => return Vec::new(),
        _ if limit < nonzero.len() => *nonzero.select_nth_unstable_by(limit - 1, |a, b| b.cmp(a)).1,
        _ => 1,
    };
    let mut found: Vec<(u32, &str)> = counts
        .iter()
        .zip(names)
        .filter(|(count, _)| **count >= least)
        .map(|(count, name)| (*count, name.as_ref()))
        .collect();
    let order = |a: &(u32, &str), b: &(u32, &str)| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
    if limit < found.len() {
        found.select_nth_unstable_by(limit, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
    found
        .into_iter()
        .map(|(count, value)| FacetCount {
            value: value.to_string(),
            name: match kind {
                FacetKind::Country => countries::name(value).map(str::to_string),
                _ => None,
            },
            count: u64::from(count),
        })
        .collect()
}
