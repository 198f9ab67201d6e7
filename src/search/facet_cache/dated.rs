//! The first matches in date order, from the cache's date array: a read of a flat array per
//! matching document instead of tantivy's fast-field sort (a date-column lookup with an
//! optional-index rank per document, ~18% of a date-filtered search at 1M articles).
//!
//! The order is the one of `top::add_dated_top`: dated documents before undated ones, newest
//! (or oldest) first, ties by `id64` ascending, then by address.

use super::{PREFETCH_DISTANCE, SearcherFacets, SegmentMatches, UNDATED, for_each_batch, prefetch};
use crate::search::SortOrder;
use crate::search::top::Candidates;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::{DocAddress, Searcher};

/// A candidate; greater is earlier in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    /// Dated documents first, then the date in the requested direction (as order-preserving
    /// bits): compared before `id64` is read.
    date: (bool, u64),
    id64: Reverse<u64>,
    address: Reverse<(u32, u32)>,
}

/// The date part of a key: greater is earlier in the order.
fn date_key(date: i64, newest: bool) -> (bool, u64) {
    let ascending = (date as u64) ^ (1 << 63);
    (date != UNDATED, if newest { ascending } else { !ascending })
}

impl SearcherFacets {
    /// The first `fetch` matches in `sort` order (newest or oldest first), score 0.
    pub(crate) fn dated_top(
        &self,
        searcher: &Searcher,
        matches: &[SegmentMatches],
        sort: SortOrder,
        fetch: usize,
    ) -> tantivy::Result<Candidates> {
        let newest = sort != SortOrder::Oldest;
        let segment_tops = searcher.index().search_executor().map(
            |found| -> tantivy::Result<Vec<Key>> {
                let segment = &self.segments[found.segment as usize];
                let reader = searcher.segment_reader(found.segment);
                let ids = reader
                    .fast_fields()
                    .u64(crate::index::schema::names::ID64)?;
                let mut best: BinaryHeap<Reverse<Key>> = BinaryHeap::with_capacity(fetch + 1);
                for_each_batch(&found.bits, segment.max_doc, |docs| {
                    let dates = &segment.year.dates;
                    for (position, &doc) in docs.iter().enumerate() {
                        if let Some(&ahead) = docs.get(position + PREFETCH_DISTANCE) {
                            prefetch(dates, ahead as usize);
                        }
                        let date = date_key(dates[doc as usize], newest);
                        let full = best.len() >= fetch;
                        if full && best.peek().is_some_and(|worst| date < worst.0.date) {
                            continue;
                        }
                        let key = Key {
                            date,
                            id64: Reverse(ids.first(doc).unwrap_or(0)),
                            address: Reverse((found.segment, doc)),
                        };
                        if !full {
                            best.push(Reverse(key));
                        } else if best.peek().is_some_and(|worst| key > worst.0) {
                            best.pop();
                            best.push(Reverse(key));
                        }
                    }
                });
                Ok(best.into_iter().map(|Reverse(key)| key).collect())
            },
            matches.iter().filter(|found| fetch > 0 && found.count > 0),
        )?;
        let mut all: Vec<Key> = segment_tops.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        Ok(all
            .into_iter()
            .take(fetch)
            .map(|key| (0.0, DocAddress::new(key.address.0.0, key.address.0.1)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::{UNDATED, date_key};

    #[test]
    fn date_keys_put_undated_last_both_ways() {
        let dates = [UNDATED, -86_400, 0, 1, 1_700_000_000];
        for newest in [true, false] {
            let mut sorted = dates.to_vec();
            sorted.sort_by_key(|date| std::cmp::Reverse(date_key(*date, newest)));
            let expected = if newest {
                [1_700_000_000, 1, 0, -86_400, UNDATED]
            } else {
                [-86_400, 0, 1, 1_700_000_000, UNDATED]
            };
            assert_eq!(sorted, expected, "newest: {newest}");
        }
    }
}
