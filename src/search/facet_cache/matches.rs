//! The documents a query matches, gathered per segment as bitsets for the cache's counting
//! and date order.

use super::{SegmentFacets, words};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The documents a query matched in one segment, as a bitset.
pub(crate) struct SegmentMatches {
    pub(super) segment: SegmentOrdinal,
    pub(super) bits: Vec<u64>,
    /// Number of alive matching documents.
    pub(crate) count: u32,
}

impl SegmentMatches {
    /// Whether counting the documents not matched is cheaper.
    pub(super) fn is_most_of(&self, segment: &SegmentFacets) -> bool {
        self.count as usize * 2 > segment.max_doc as usize
    }

    /// Alive documents not matched.
    pub(super) fn complement(&self, segment: &SegmentFacets) -> Vec<u64> {
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
