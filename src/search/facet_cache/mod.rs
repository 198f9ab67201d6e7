//! Facet values of every document, decoded once per segment and kept beside the index, so
//! that counting the facets of a query's matches is a tight loop over flat arrays.
//!
//! Reading tantivy's multi-valued facet columns costs a bit-unpacking step and an index
//! lookup per value, and turning ordinals into strings decompresses zstd dictionary blocks.
//! Here each segment's facet ordinals are copied once into a row per document of `u16` or
//! `u32` cells (each column's number of values, then the value ids; root terms dropped),
//! the dictionary is decoded once, and the date and year of every document are precomputed (the date also orders
//! newest- and oldest-first searches, see `dated`). A searcher-wide layer maps each
//! segment's value ids to ids shared by all segments, so counts are exact without string
//! lookups.
//!
//! When a query matches most of a segment, the values of the documents it does *not* match
//! are counted and subtracted from the segment's totals: the broad query of the benchmark
//! matches 89% of the articles and so reads the values of 11%.
//!
//! Building costs one pass over the segment's columns (~0.5 s and, with ~35 values per
//! article, ~130 MB per million articles). It pays off for a process that keeps the index
//! open and searches it often (`newsdex serve`, the benchmark), which opts in with
//! [`ArticleIndex::keep_facet_cache`]; one-shot CLI searches count from the columns directly.
//!
//! This module builds the cache; `matches` gathers a query's matches as bitsets, `count`
//! counts their values and `dated` orders them by date.
//!
//! [`ArticleIndex::keep_facet_cache`]: crate::index::ArticleIndex::keep_facet_cache

mod count;
mod dated;
mod matches;

#[cfg(test)]
use count::top_counts;
use count::{PREFETCH_DISTANCE, for_each_batch};
pub(crate) use matches::{MatchesCollector, SegmentMatches};

use super::facets::FacetKind;
use chrono::{Datelike, TimeZone, Utc};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{Searcher, SegmentReader};

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

/// The values of one facet in a segment: names and totals (the documents' value ids are in
/// the segment's [`Rows`]).
struct ColumnValues {
    /// Value id -> the facet's last path segment ("UA", "Vladimir Putin").
    names: Vec<Box<str>>,
    /// Value id -> number of alive documents with it.
    totals: Vec<u32>,
}

/// Every facet value of a segment's documents, a row per document: the row holds how many
/// values the document has in each column of [`COLUMNS`], then the value ids column by
/// column. A document's values sit in one or two cache lines next to each other, so
/// counting reads two arrays per document (with an array of starts and one of values per
/// column, counting three columns read six, and the country filter's count was bound by
/// that memory traffic).
struct Rows {
    /// Document d's row starts at `cells[starts[d]]`.
    starts: Vec<u32>,
    cells: Cells,
}

/// Row cells, in 16 bits when every value id and every per-document count of the segment
/// fits (the usual case): half the memory read per counted value.
enum Cells {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Cells {
    fn new(cells: Vec<u32>, narrow: bool) -> Cells {
        if narrow {
            Cells::Narrow(cells.into_iter().map(|cell| cell as u16).collect())
        } else {
            let mut cells = cells;
            cells.shrink_to_fit();
            Cells::Wide(cells)
        }
    }

    /// Asks the processor to start loading the row at `start` (see [`prefetch`]): its first
    /// two cache lines.
    #[inline]
    fn prefetch(&self, start: usize) {
        match self {
            Cells::Narrow(cells) => {
                prefetch(cells, start);
                prefetch(cells, start + 32);
            }
            Cells::Wide(cells) => {
                prefetch(cells, start);
                prefetch(cells, start + 16);
            }
        }
    }

    /// Adds one to `tallies[slot]` for each value of `columns[slot]` in the row at `start`.
    #[inline]
    fn count_row(&self, start: usize, columns: &[usize], tallies: &mut [Tally]) {
        match self {
            Cells::Narrow(cells) => count_row(cells, start, columns, tallies),
            Cells::Wide(cells) => count_row(cells, start, columns, tallies),
        }
    }
}

#[inline]
fn count_row<T: Copy + Into<u32>>(
    cells: &[T],
    start: usize,
    columns: &[usize],
    tallies: &mut [Tally],
) {
    let mut ends = [0usize; COLUMNS.len() + 1];
    ends[0] = start + COLUMNS.len();
    for column in 0..COLUMNS.len() {
        ends[column + 1] = ends[column] + cells[start + column].into() as usize;
    }
    for (slot, &column) in columns.iter().enumerate() {
        let tally = &mut tallies[slot];
        for &id in &cells[ends[column]..ends[column + 1]] {
            tally.add(id.into() as usize);
        }
    }
}

/// Counts per value id, kept in a byte per value with the 256s carried to a second array:
/// a facet with tens of thousands of values then counts within the processor's first-level
/// cache (a `u32` per value for 28,000 people is 112 KB).
pub(super) struct Tally {
    low: Vec<u8>,
    carried: Vec<u32>,
}

impl Tally {
    pub(super) fn new(values: usize) -> Tally {
        Tally {
            low: vec![0; values],
            carried: vec![0; values],
        }
    }

    #[inline]
    pub(super) fn add(&mut self, id: usize) {
        let low = &mut self.low[id];
        *low = low.wrapping_add(1);
        if *low == 0 {
            self.carried[id] += 256;
        }
    }

    /// The counts.
    pub(super) fn counts(self) -> Vec<u32> {
        self.carried
            .into_iter()
            .zip(self.low)
            .map(|(carried, low)| carried + u32::from(low))
            .collect()
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
    rows: Rows,
    /// Per column of [`COLUMNS`].
    columns: Vec<ColumnValues>,
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
        let (rows, columns) = value_rows(reader, &alive)?;
        let year = year_column(reader, &alive)?;
        Ok(SegmentFacets {
            rows,
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

/// The value id of each term ordinal of a facet column (roots such as "country", which
/// every document has, get none: `u32::MAX`), and the names of the value ids.
fn value_ids(
    facets: &tantivy::fastfield::FacetReader,
) -> tantivy::Result<(Vec<u32>, Vec<Box<str>>)> {
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
    Ok((ids, names))
}

/// The rows of a segment's facet values, and each column's names and alive totals.
fn value_rows(reader: &SegmentReader, alive: &[u64]) -> tantivy::Result<(Rows, Vec<ColumnValues>)> {
    let max_doc = reader.max_doc() as usize;
    // Each column read whole first (reading the five columns document by document is
    // slower), in compressed-sparse-row form, then interleaved into rows.
    let mut columns = Vec::with_capacity(COLUMNS.len());
    let mut column_starts: Vec<Vec<usize>> = Vec::with_capacity(COLUMNS.len());
    let mut column_values: Vec<Vec<u32>> = Vec::with_capacity(COLUMNS.len());
    for kind in COLUMNS {
        let facets = reader.facet_reader(kind.field())?;
        let (ids, names) = value_ids(&facets)?;
        let mut totals = vec![0u32; names.len()];
        let mut starts = Vec::with_capacity(max_doc + 1);
        let mut values = Vec::new();
        starts.push(0);
        for doc in 0..max_doc as u32 {
            let is_alive = is_set(alive, doc);
            for ord in facets.facet_ords(doc) {
                if let Some(&id) = ids.get(ord as usize)
                    && id != u32::MAX
                {
                    values.push(id);
                    if is_alive {
                        totals[id as usize] += 1;
                    }
                }
            }
            starts.push(values.len());
        }
        columns.push(ColumnValues { names, totals });
        column_starts.push(starts);
        column_values.push(values);
    }
    let total: usize = column_values.iter().map(Vec::len).sum();
    let mut cells: Vec<u32> = Vec::with_capacity(total + COLUMNS.len() * max_doc);
    let mut starts = Vec::with_capacity(max_doc);
    let too_many = || {
        tantivy::TantivyError::InternalError("facet cache: over 2^32 values in a segment".into())
    };
    let mut narrow = true;
    for doc in 0..max_doc {
        starts.push(u32::try_from(cells.len()).map_err(|_| too_many())?);
        for column in &column_starts {
            let count = column[doc + 1] - column[doc];
            narrow &= count <= usize::from(u16::MAX);
            cells.push(u32::try_from(count).map_err(|_| too_many())?);
        }
        for (column, values) in column_starts.iter().zip(&column_values) {
            cells.extend_from_slice(&values[column[doc]..column[doc + 1]]);
        }
    }
    // Ids and counts alike must fit in 16 bits.
    narrow &= columns
        .iter()
        .all(|column| column.names.len() <= usize::from(u16::MAX) + 1);
    let rows = Rows {
        starts,
        cells: Cells::new(cells, narrow),
    };
    Ok((rows, columns))
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
}

#[cfg(test)]
mod tests;
