//! Facet values of every document, decoded once per segment and kept beside the index, so
//! that counting the facets of a query's matches is a tight loop over flat arrays.
//!
//! Reading tantivy's multi-valued facet columns costs a bit-unpacking step and an index
//! lookup per value, and turning ordinals into strings decompresses zstd dictionary blocks.
//! Here each segment's facet ordinals are copied once into compressed-sparse-row arrays of
//! `u16` or `u32` (documents -> value ids, root terms dropped), the dictionary is decoded
//! once, and the date and year of every document are precomputed (the date also orders
//! newest- and oldest-first searches, see `dated`). A searcher-wide layer maps each
//! segment's value ids to ids shared by all segments, so counts are exact without string
//! lookups.
//!
//! When a query matches most of a segment, the values of the documents it does *not* match
//! are counted and subtracted from the segment's totals: the broad query of the benchmark
//! matches 89% of the articles and so reads the values of 11%.
//!
//! Building costs one pass over the segment's columns (~0.5 s and, with ~35 values per
//! article, ~130 MB per million articles). It pays off for a process that keeps the index open and searches it often
//! (`newsdex serve`, the benchmark), which opts in with [`ArticleIndex::keep_facet_cache`];
//! one-shot CLI searches count from the columns directly.
//!
//! [`ArticleIndex::keep_facet_cache`]: crate::index::ArticleIndex::keep_facet_cache

mod dated;

use super::facets::{FacetCount, FacetKind};
use super::timeline::{PeriodCounts, year_facet};
use crate::extract::countries;
use chrono::{Datelike, TimeZone, Utc};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The facet kinds kept as value columns, in this order (the year has its own column).
const COLUMNS: [FacetKind; 5] = [
    FacetKind::Country,
    FacetKind::Person,
    FacetKind::Topic,
    FacetKind::Org,
    FacetKind::Source,
];

/// Index of a facet kind in [`COLUMNS`].
fn column_of(kind: FacetKind) -> Option<usize> {
    COLUMNS.iter().position(|column| *column == kind)
}

/// The facet caches of an index: per segment, reused while the segment lives, and the
/// searcher-wide layer of the last searcher seen.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<FxHashMap<SegmentKey, Arc<SegmentFacets>>>,
    last: Mutex<Option<(Vec<SegmentKey>, Arc<SearcherFacets>)>>,
}

/// A segment with its deletions: deleting documents changes the totals.
type SegmentKey = (SegmentId, u32);

impl FacetCache {
    /// The cached facets of every segment of `searcher`, building what is missing.
    pub(crate) fn for_searcher(&self, searcher: &Searcher) -> tantivy::Result<Arc<SearcherFacets>> {
        let keys: Vec<SegmentKey> = searcher
            .segment_readers()
            .iter()
            .map(|reader| (reader.segment_id(), reader.num_deleted_docs()))
            .collect();
        if let Some((cached_keys, facets)) = self.last.lock().unwrap().as_ref()
            && *cached_keys == keys
        {
            return Ok(Arc::clone(facets));
        }
        let mut segments = Vec::with_capacity(keys.len());
        for (reader, key) in searcher.segment_readers().iter().zip(&keys) {
            let cached = self.segments.lock().unwrap().get(key).cloned();
            let facets = match cached {
                Some(facets) => facets,
                None => {
                    let built = Arc::new(SegmentFacets::build(reader)?);
                    self.segments
                        .lock()
                        .unwrap()
                        .insert(*key, Arc::clone(&built));
                    built
                }
            };
            segments.push(facets);
        }
        // Segments merged away or with newer deletions are dropped.
        self.segments
            .lock()
            .unwrap()
            .retain(|key, _| keys.contains(key));
        let facets = Arc::new(SearcherFacets::new(segments));
        *self.last.lock().unwrap() = Some((keys, Arc::clone(&facets)));
        Ok(facets)
    }
}

/// One facet's values for every document of a segment, in compressed-sparse-row form.
struct ValueColumn {
    /// Document d's value ids are `values[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    /// Segment-local value ids.
    values: ValueIds,
    /// Value id -> the facet's last path segment ("UA", "Vladimir Putin").
    names: Vec<Box<str>>,
    /// Value id -> number of alive documents with it.
    totals: Vec<u32>,
}

/// Value ids, in 16 bits when the segment has fewer than 65,536 values of the facet (the
/// usual case): half the memory read per counted value.
enum ValueIds {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl ValueIds {
    fn new(values: Vec<u32>, distinct: usize) -> ValueIds {
        if distinct <= usize::from(u16::MAX) + 1 {
            ValueIds::Narrow(values.into_iter().map(|id| id as u16).collect())
        } else {
            let mut values = values;
            values.shrink_to_fit();
            ValueIds::Wide(values)
        }
    }

    /// Asks the processor to start loading the ids from `start` on (see [`prefetch`]).
    #[inline]
    fn prefetch(&self, start: usize) {
        match self {
            ValueIds::Narrow(ids) => prefetch(ids, start),
            ValueIds::Wide(ids) => prefetch(ids, start),
        }
    }

    /// Adds one to `counts` for each id in `start..end`.
    #[inline]
    fn count(&self, start: usize, end: usize, counts: &mut [u32]) {
        match self {
            ValueIds::Narrow(ids) => {
                for &id in &ids[start..end] {
                    counts[usize::from(id)] += 1;
                }
            }
            ValueIds::Wide(ids) => {
                for &id in &ids[start..end] {
                    counts[id as usize] += 1;
                }
            }
        }
    }
}

/// Asks the processor to start loading `items[index]` (a hint: no effect on results, and
/// nothing on other architectures than x86-64).
#[inline]
fn prefetch<T>(items: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let address = items.as_ptr().wrapping_add(index) as *const i8;
        // SAFETY: a prefetch never faults and changes no memory, whatever the address.
        unsafe {
            std::arch::x86_64::_mm_prefetch(address, std::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, index);
}

/// The year of every document of a segment.
struct YearColumn {
    /// Document -> 0 when undated, else 1 + an index into `years`.
    ids: Vec<u16>,
    /// Document -> its date in seconds as the date column holds it, [`UNDATED`] when none.
    dates: Vec<i64>,
    /// Distinct years of the segment.
    years: Vec<i32>,
    /// Index 0: undated alive documents; 1 + i: alive documents of `years[i]`.
    totals: Vec<u32>,
}

/// The cached facets of one segment.
pub(crate) struct SegmentFacets {
    columns: Vec<ValueColumn>,
    year: YearColumn,
    /// Alive documents as a bitset (deleted ones are 0).
    alive: Vec<u64>,
    max_doc: u32,
}

impl SegmentFacets {
    fn build(reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let max_doc = reader.max_doc();
        let mut alive = vec![0u64; words(max_doc)];
        for doc in 0..max_doc {
            if !reader.is_deleted(doc) {
                alive[(doc / 64) as usize] |= 1 << (doc % 64);
            }
        }
        let mut columns = Vec::with_capacity(COLUMNS.len());
        for kind in COLUMNS {
            columns.push(value_column(reader, kind, &alive)?);
        }
        let year = year_column(reader, &alive)?;
        Ok(SegmentFacets {
            columns,
            year,
            alive,
            max_doc,
        })
    }
}

fn words(max_doc: u32) -> usize {
    (max_doc as usize).div_ceil(64)
}

fn is_set(bits: &[u64], doc: u32) -> bool {
    bits[(doc / 64) as usize] & (1 << (doc % 64)) != 0
}

fn value_column(
    reader: &SegmentReader,
    kind: FacetKind,
    alive: &[u64],
) -> tantivy::Result<ValueColumn> {
    let facets = reader.facet_reader(kind.field())?;
    // Term ordinal -> value id; roots ("country", counted for every document) get none.
    let mut ids = vec![u32::MAX; facets.num_facets()];
    let mut names = Vec::new();
    let mut stream = facets.facet_dict().stream()?;
    let mut ord = 0;
    while stream.advance() {
        let key = stream.key();
        if key.contains(&0)
            && let Ok(facet) = Facet::from_encoded(key.to_vec())
            && let Some(leaf) = facet.to_path().last()
        {
            ids[ord] = names.len() as u32;
            names.push(Box::from(*leaf));
        }
        ord += 1;
    }
    let max_doc = reader.max_doc();
    let mut starts = Vec::with_capacity(max_doc as usize + 1);
    let mut values = Vec::new();
    let mut totals = vec![0u32; names.len()];
    starts.push(0);
    for doc in 0..max_doc {
        let is_alive = is_set(alive, doc);
        for ord in facets.facet_ords(doc) {
            let Some(&id) = ids.get(ord as usize) else {
                continue;
            };
            if id != u32::MAX {
                values.push(id);
                if is_alive {
                    totals[id as usize] += 1;
                }
            }
        }
        starts.push(values.len() as u32);
    }
    Ok(ValueColumn {
        starts,
        values: ValueIds::new(values, names.len()),
        names,
        totals,
    })
}

fn year_column(reader: &SegmentReader, alive: &[u64]) -> tantivy::Result<YearColumn> {
    let dates = reader
        .fast_fields()
        .date(crate::index::schema::names::DATE)?;
    let max_doc = reader.max_doc();
    let mut ids = Vec::with_capacity(max_doc as usize);
    let mut seconds = Vec::with_capacity(max_doc as usize);
    let mut years: Vec<i32> = Vec::new();
    let mut totals = vec![0u32];
    let mut known: FxHashMap<i32, u16> = FxHashMap::default();
    for doc in 0..max_doc {
        let date = dates.first(doc).map(|date| date.into_timestamp_secs());
        seconds.push(date.unwrap_or(UNDATED));
        let year = date
            .and_then(|date| Utc.timestamp_opt(date, 0).single())
            .map(|moment| moment.year());
        let id = match year {
            None => 0,
            Some(year) => match known.get(&year) {
                Some(id) => *id,
                None if years.len() < usize::from(u16::MAX) => {
                    years.push(year);
                    totals.push(0);
                    let id = years.len() as u16;
                    known.insert(year, id);
                    id
                }
                // More distinct years than u16 ids: absurd dates, counted as undated.
                None => 0,
            },
        };
        ids.push(id);
        if is_set(alive, doc) {
            totals[usize::from(id)] += 1;
        }
    }
    Ok(YearColumn {
        ids,
        dates: seconds,
        years,
        totals,
    })
}

/// The date of an undated document in [`YearColumn::dates`].
const UNDATED: i64 = i64::MIN;

/// The cached facets of every segment of one searcher, with value ids shared across them.
pub(crate) struct SearcherFacets {
    segments: Vec<Arc<SegmentFacets>>,
    /// Per column: shared id -> value name.
    names: Vec<Vec<Box<str>>>,
    /// Per column, per segment: segment value id -> shared id.
    maps: Vec<Vec<Vec<u32>>>,
}

impl SearcherFacets {
    fn new(segments: Vec<Arc<SegmentFacets>>) -> SearcherFacets {
        let mut names = Vec::with_capacity(COLUMNS.len());
        let mut maps = Vec::with_capacity(COLUMNS.len());
        for column in 0..COLUMNS.len() {
            let mut shared: FxHashMap<&str, u32> = FxHashMap::default();
            let mut column_names: Vec<Box<str>> = Vec::new();
            let mut column_maps = Vec::with_capacity(segments.len());
            for segment in &segments {
                let local = &segment.columns[column].names;
                let mut map = Vec::with_capacity(local.len());
                for name in local {
                    let id = *shared.entry(name).or_insert_with(|| {
                        column_names.push(name.clone());
                        column_names.len() as u32 - 1
                    });
                    map.push(id);
                }
                column_maps.push(map);
            }
            names.push(column_names);
            maps.push(column_maps);
        }
        SearcherFacets {
            segments,
            names,
            maps,
        }
    }

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
        let mut counted = Counted {
            columns: columns
                .iter()
                .map(|column| vec![0u32; segment.columns[*column].names.len()])
                .collect(),
            years: vec![0u32; if years { segment.year.totals.len() } else { 1 }],
        };
        // A batch of documents at a time, one column at a time: each inner loop reads two
        // arrays in document order, and its reads for different documents are independent,
        // so the processor overlaps their cache misses (document by document, the loop
        // walked eleven arrays and waited on each).
        let mut count_docs = |docs: &[u32]| {
            for (slot, column) in columns.iter().enumerate() {
                let values = &segment.columns[*column];
                let counts = &mut counted.columns[slot];
                for (position, &doc) in docs.iter().enumerate() {
                    if let Some(&ahead) = docs.get(position + PREFETCH_DISTANCE) {
                        values
                            .values
                            .prefetch(values.starts[ahead as usize] as usize);
                    }
                    let doc = doc as usize;
                    let (start, end) = (values.starts[doc], values.starts[doc + 1]);
                    values.values.count(start as usize, end as usize, counts);
                }
            }
            if years {
                for &doc in docs {
                    counted.years[usize::from(segment.year.ids[doc as usize])] += 1;
                }
            }
        };
        if found.is_most_of(segment) {
            for_each_batch(&found.complement(segment), segment.max_doc, &mut count_docs);
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
        } else {
            for_each_batch(&found.bits, segment.max_doc, &mut count_docs);
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
const PREFETCH_DISTANCE: usize = 8;

/// Calls `each` with the documents whose bit is set, in order, a batch of up to 256 at a time.
fn for_each_batch(bits: &[u64], max_doc: u32, mut each: impl FnMut(&[u32])) {
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
fn top_counts(
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

/// The documents a query matched in one segment, as a bitset.
pub(crate) struct SegmentMatches {
    segment: SegmentOrdinal,
    bits: Vec<u64>,
    /// Number of alive matching documents.
    pub(crate) count: u32,
}

impl SegmentMatches {
    /// Whether counting the documents not matched is cheaper.
    fn is_most_of(&self, segment: &SegmentFacets) -> bool {
        self.count as usize * 2 > segment.max_doc as usize
    }

    /// Alive documents not matched.
    fn complement(&self, segment: &SegmentFacets) -> Vec<u64> {
        self.bits
            .iter()
            .zip(&segment.alive)
            .map(|(matched, alive)| alive & !matched)
            .collect()
    }
}

/// Collects the alive matching documents of each segment as bitsets (no scoring).
pub(crate) struct MatchesCollector;

/// The per-segment side of [`MatchesCollector`].
pub(crate) struct MatchesSegmentCollector(SegmentMatches);

impl Collector for MatchesCollector {
    type Fruit = Vec<SegmentMatches>;
    type Child = MatchesSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MatchesSegmentCollector> {
        Ok(MatchesSegmentCollector(SegmentMatches {
            segment,
            bits: vec![0u64; words(reader.max_doc())],
            count: 0,
        }))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentMatches>) -> tantivy::Result<Vec<SegmentMatches>> {
        Ok(segments)
    }
}

impl SegmentCollector for MatchesSegmentCollector {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let word = &mut self.0.bits[(doc / 64) as usize];
        let bit = 1u64 << (doc % 64);
        if *word & bit == 0 {
            *word |= bit;
            self.0.count += 1;
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(self) -> SegmentMatches {
        self.0
    }
}

#[cfg(test)]
mod tests;
