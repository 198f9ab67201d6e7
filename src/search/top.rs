//! The page of hits: the best candidates in the requested order (ties broken by `id64`, a
//! hash of the id, so the order is stable), duplicate stories collapsed.
//!
//! By relevance (BM25), tantivy's `TopDocs` ordered by a (score, fast field) pair scores every matching
//! document; ordered by score alone it lets the query skip blocks of postings whose best
//! possible score cannot enter the top (block-max WAND), but breaks ties by document
//! address. Here the query's own pruning loop is driven with a threshold just below the
//! current k-th score, so documents that tie with it are still offered and ordered by
//! `id64`: the same hits as scoring everything, at the cost of WAND.

use super::{SearchRequest, SortOrder};
use crate::error::Result;
use crate::index::schema::names;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{MultiCollector, TopDocs};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Order, Score, Searcher};

/// Candidates in hit order, with their score (0 when ordered by date).
pub(crate) type Candidates = Vec<(Score, DocAddress)>;

/// A candidate hit; greater is better.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    id64: u64,
    address: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.id64.cmp(&self.id64))
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// The best `limit` hits of `query`, best first. With `count_all` every match is scored and
/// the number of alive matches returned too (one pass where pruning would not help, as for
/// phrases, whose positions are read for every candidate anyway); without it the query may
/// skip what cannot enter the top and the count is `None`.
///
/// Segments are searched side by side on the index's executor. Each keeps its own best
/// `limit` and publishes the score just below its k-th best to the others: no document
/// under it can enter the overall top, so every segment prunes with the best bar known.
pub(crate) fn by_score(
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    count_all: bool,
) -> Result<(Candidates, Option<usize>)> {
    if limit == 0 && !count_all {
        return Ok((Vec::new(), None));
    }
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let bar = SharedBar::default();
    let segments = searcher.segment_readers().iter().enumerate();
    let found = searcher.index().search_executor().map(
        |(segment_ord, reader)| -> tantivy::Result<(Vec<Ranked>, usize)> {
            let ids = reader.fast_fields().u64(names::ID64)?;
            let alive = reader.alive_bitset();
            let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(limit + 1);
            let mut count = 0usize;
            let offer = |doc: u32, score: Score, best: &mut BinaryHeap<Reverse<Ranked>>| {
                let candidate = Ranked {
                    score,
                    id64: ids.first(doc).unwrap_or(0),
                    address: DocAddress::new(segment_ord as u32, doc),
                };
                if best.len() < limit {
                    best.push(Reverse(candidate));
                } else if best.peek().is_some_and(|worst| candidate > worst.0) {
                    best.pop();
                    best.push(Reverse(candidate));
                }
            };
            // Just below the k-th score: a document that ties with it may still win on id64.
            let threshold = |best: &BinaryHeap<Reverse<Ranked>>| match best.peek() {
                Some(worst) if best.len() >= limit => bar.raise(worst.0.score.next_down()),
                _ => bar.get(),
            };
            if count_all {
                // The bar is read and raised only when the heap changes: doing it for every
                // match made both threads write one shared cache line hundreds of thousands
                // of times. A stale (lower) floor only offers documents the heap then refuses.
                let mut floor = threshold(&best);
                weight.for_each(reader, &mut |doc, score| {
                    if alive.is_some_and(|alive| alive.is_deleted(doc)) {
                        return;
                    }
                    count += 1;
                    if limit > 0 && score > floor {
                        offer(doc, score, &mut best);
                        floor = threshold(&best);
                    }
                })?;
            } else {
                weight.for_each_pruning(threshold(&best), reader, &mut |doc, score| {
                    if !alive.is_some_and(|alive| alive.is_deleted(doc)) {
                        offer(doc, score, &mut best);
                    }
                    threshold(&best)
                })?;
            }
            Ok((best.into_iter().map(|entry| entry.0).collect(), count))
        },
        segments,
    )?;
    let count = found.iter().map(|(_, count)| count).sum();
    let mut ranked: Vec<Ranked> = found.into_iter().flat_map(|(best, _)| best).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let page = ranked
        .into_iter()
        .take(limit)
        .map(|entry| (entry.score, entry.address))
        .collect();
    Ok((page, count_all.then_some(count)))
}

/// The highest pruning threshold any segment has reached (an f32 kept as order-preserving
/// bits, so that `fetch_max` compares scores).
struct SharedBar(AtomicU32);

impl Default for SharedBar {
    fn default() -> Self {
        SharedBar(AtomicU32::new(Self::key(Score::MIN)))
    }
}

impl SharedBar {
    fn key(score: Score) -> u32 {
        let bits = score.to_bits();
        if bits >> 31 == 1 {
            !bits
        } else {
            bits | 1 << 31
        }
    }

    fn score(key: u32) -> Score {
        Score::from_bits(if key >> 31 == 1 {
            key & !(1 << 31)
        } else {
            !key
        })
    }

    fn get(&self) -> Score {
        Self::score(self.0.load(AtomicOrdering::Relaxed))
    }

    /// Raises the bar to `score` if it is higher; returns the bar.
    fn raise(&self, score: Score) -> Score {
        let key = Self::key(score);
        Self::score(self.0.fetch_max(key, AtomicOrdering::Relaxed).max(key))
    }
}

/// The number of matches of `query`, segments counted side by side (a term without
/// deletions is counted from its dictionary entry).
pub(crate) fn count(searcher: &Searcher, query: &dyn Query) -> Result<usize> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let counts = searcher.index().search_executor().map(
        |reader| weight.count(reader),
        searcher.segment_readers().iter(),
    )?;
    Ok(counts.into_iter().map(|count| count as usize).sum())
}

/// Sort key of a date order: the date, then id64.
type DatedKey = (Option<tantivy::DateTime>, Option<u64>);

/// Adds the top `fetch` documents in a date order (ties by id64) to `collectors`.
pub(crate) fn add_dated_top(
    collectors: &mut MultiCollector,
    sort: SortOrder,
    fetch: usize,
) -> tantivy::collector::FruitHandle<Vec<(DatedKey, DocAddress)>> {
    let top = TopDocs::with_limit(fetch.max(1));
    let by_id = (
        SortByStaticFastValue::<u64>::for_field(crate::index::schema::names::ID64),
        Order::Asc,
    );
    let date = SortByStaticFastValue::<tantivy::DateTime>::for_field("date");
    match sort {
        SortOrder::Oldest => collectors.add_collector(top.order_by((
            (
                date,
                tantivy::collector::sort_key::ComparatorEnum::ReverseNoneLower,
            ),
            by_id,
        ))),
        _ => collectors.add_collector(top.order_by(((date, Order::Desc), by_id))),
    }
}

/// Candidates fetched first for a page: twice the page and some, since duplicate stories
/// collapse.
pub(crate) fn first_fetch(request: &SearchRequest) -> usize {
    request
        .offset
        .saturating_add(request.limit)
        .saturating_mul(2)
        .saturating_add(8)
}

/// The requested page of hits with duplicate stories collapsed: of the documents with
/// the same text hash only the first in hit order is kept, and paging counts stories.
/// With `count_all` (relevance order only) every match is scored and counted on the way;
/// `first` are the first `first_fetch` candidates when already collected.
pub(crate) fn collapsed_page(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortOrder,
    request: &SearchRequest,
    count_all: bool,
    mut first: Option<Candidates>,
) -> Result<(Candidates, Option<usize>)> {
    let wanted = request.offset.saturating_add(request.limit);
    if request.limit == 0 {
        return Ok((Vec::new(), None));
    }
    let mut hashes = Vec::new();
    for reader in searcher.segment_readers() {
        hashes.push(
            reader
                .fast_fields()
                .u64(crate::index::schema::names::HASH64)?,
        );
    }
    let mut fetch = first_fetch(request);
    let mut counted = None;
    loop {
        let candidates = if let Some(candidates) = first.take() {
            candidates
        } else if sort == SortOrder::Relevance {
            let (page, count) = by_score(searcher, query, fetch, count_all && counted.is_none())?;
            counted = counted.or(count);
            page
        } else {
            top_documents(searcher, query, sort, fetch, 0)?
        };
        let exhausted = candidates.len() < fetch;
        let mut seen = std::collections::HashSet::new();
        let mut distinct = Vec::with_capacity(wanted.min(candidates.len()));
        for (score, address) in candidates {
            let hash = hashes
                .get(address.segment_ord as usize)
                .and_then(|column| column.first(address.doc_id))
                .unwrap_or(0);
            // A document without a hash is a story of its own.
            if hash == 0 || seen.insert(hash) {
                distinct.push((score, address));
                if distinct.len() == wanted {
                    break;
                }
            }
        }
        if distinct.len() >= wanted || exhausted {
            let page = distinct.into_iter().skip(request.offset).collect();
            return Ok((page, counted));
        }
        fetch = fetch.saturating_mul(4);
    }
}

/// A page of hits in order, ties broken by id so output is stable.
pub(crate) fn top_documents(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    if sort == SortOrder::Relevance {
        let (page, _) = by_score(searcher, query, limit.saturating_add(offset), false)?;
        return Ok(page.into_iter().skip(offset).collect());
    }
    let mut collectors = MultiCollector::new();
    let handle = add_dated_top(&mut collectors, sort, limit.saturating_add(offset));
    let mut fruits = searcher.search(query, &collectors)?;
    let page = keep_addresses(handle.extract(&mut fruits));
    Ok(page.into_iter().skip(offset).collect())
}

pub(crate) fn keep_addresses<K>(page: Vec<(K, DocAddress)>) -> Vec<(f32, DocAddress)> {
    page.into_iter()
        .map(|(_, address)| (0.0, address))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ArticleIndex;
    use crate::model::{Article, Entities};
    use tantivy::collector::TopDocs;
    use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
    use tantivy::{Order, Term};

    #[test]
    fn the_shared_bar_orders_scores_like_floats() {
        let scores = [Score::MIN, -2.5, -0.0, 0.0, 1e-30, 0.75, 3.0, Score::MAX];
        for pair in scores.windows(2) {
            assert!(
                SharedBar::key(pair[0]) <= SharedBar::key(pair[1]),
                "{pair:?}"
            );
        }
        for score in scores {
            assert_eq!(SharedBar::score(SharedBar::key(score)), score);
        }
        let bar = SharedBar::default();
        assert_eq!(bar.get(), Score::MIN);
        assert_eq!(bar.raise(-1.0), -1.0);
        assert_eq!(bar.raise(2.0), 2.0);
        assert_eq!(bar.raise(0.5), 2.0);
        assert_eq!(bar.get(), 2.0);
    }

    /// `documents` articles about talks, each a segment of its own every `per_segment`:
    /// most with the same body (equal scores), one in `better` with a better one, over
    /// several blocks of postings so that pruning has something to skip.
    fn talks_index(documents: usize, per_segment: usize, better: usize) -> ArticleIndex {
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for number in 0..documents {
            let body = match number % better {
                0 => "talks talks talks",
                1 => "talks talks",
                _ => "talks and other words",
            };
            let article = Article {
                id: format!("d{number}"),
                title: "News".to_string(),
                body: body.to_string(),
                ..Article::default()
            };
            index.add_own(&writer, &article, &Entities::default());
            if number % per_segment == per_segment - 1 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        index
    }

    /// `by_score`, pruned or counting, returns what scoring every match and ordering
    /// ties by id64 returns; `count` counts every match.
    fn assert_top_is_exact(index: &ArticleIndex, limits: &[usize], total: usize) {
        let searcher = index.searcher().unwrap();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(index.fields.body, "talks"),
            tantivy::schema::IndexRecordOption::WithFreqs,
        );
        for &limit in limits {
            let by_id = (
                SortByStaticFastValue::<u64>::for_field(names::ID64),
                Order::Asc,
            );
            let everything =
                TopDocs::with_limit(limit).order_by(((SortBySimilarityScore, Order::Desc), by_id));
            let expected: Vec<DocAddress> = searcher
                .search(&query, &everything)
                .unwrap()
                .into_iter()
                .map(|(_, address)| address)
                .collect();
            for count_all in [false, true] {
                let (page, count) = by_score(&searcher, &query, limit, count_all).unwrap();
                let found: Vec<DocAddress> = page.iter().map(|(_, address)| *address).collect();
                assert_eq!(found, expected, "limit {limit}");
                assert_eq!(count, count_all.then_some(total));
            }
        }
        assert_eq!(count(&searcher, &query).unwrap(), total);
    }

    #[test]
    fn pruned_top_equals_scoring_everything_across_segments() {
        // Segments searched side by side share their bar: the result must still be the
        // exact top, whichever segment finishes first.
        let index = talks_index(1200, 300, 37);
        assert_eq!(index.searcher().unwrap().segment_readers().len(), 4);
        assert_top_is_exact(&index, &[1, 10, 33, 100, 2000], 1200);
    }

    #[test]
    fn pruned_top_equals_scoring_everything_with_ties_by_id64() {
        let index = talks_index(1000, 1000, 50);
        assert_eq!(index.searcher().unwrap().segment_readers().len(), 1);
        assert_top_is_exact(&index, &[1, 10, 45, 100], 1000);
    }
}
