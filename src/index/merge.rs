//! Which segments the writer merges: tantivy's log-size tiers, with a bound on the bytes one
//! merge reads.
//!
//! A merge reads its source segments through mmap (the doc store is copied whole), so while
//! it runs the process holds their pages: merging eight 80 MB segments put ~650 MB of
//! file-backed pages in the indexer's resident set at 1M articles. Bounding the bytes per
//! merge, and running one merge at a time, bounds that spike; segments over half the bound
//! are left as they are (a 1M-article archive ends with ~10-20 of them).

use std::path::PathBuf;
use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Most bytes of source segments one merge reads.
pub const MAX_MERGE_BYTES: u64 = 400 * 1024 * 1024;

/// Log-size merge tiers (tantivy's [`LogMergePolicy`]) where no merge reads more than
/// `max_bytes` of segments.
#[derive(Debug)]
pub struct BoundedMerges {
    /// The index directory, where segment files are measured.
    directory: PathBuf,
    max_bytes: u64,
    tiers: LogMergePolicy,
}

impl BoundedMerges {
    pub fn new(directory: PathBuf, max_bytes: u64) -> BoundedMerges {
        BoundedMerges {
            directory,
            max_bytes,
            tiers: LogMergePolicy::default(),
        }
    }

    /// Bytes on disk of a segment's files (a file not on disk, as in RAM indexes, counts 0).
    fn bytes(&self, segment: &SegmentMeta) -> u64 {
        use tantivy::index::SegmentComponent::{
            FastFields, FieldNorms, Positions, Postings, Store, Terms,
        };
        [Postings, Positions, FastFields, FieldNorms, Terms, Store]
            .into_iter()
            .filter_map(|component| {
                std::fs::metadata(self.directory.join(segment.relative_path(component))).ok()
            })
            .map(|metadata| metadata.len())
            .sum()
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let sized: Vec<(SegmentMeta, u64)> = segments
            .iter()
            .map(|segment| (segment.clone(), self.bytes(segment)))
            .collect();
        plan(&self.tiers, &sized, self.max_bytes)
    }
}

/// The merges of `segments` (with their sizes in bytes): the tiers' candidates among the
/// segments of at most half `max_bytes`, each cut, smallest segments first, into merges of
/// at most `max_bytes` and at least two segments.
fn plan(
    tiers: &LogMergePolicy,
    segments: &[(SegmentMeta, u64)],
    max_bytes: u64,
) -> Vec<MergeCandidate> {
    let open: Vec<SegmentMeta> = segments
        .iter()
        .filter(|(_, bytes)| *bytes <= max_bytes / 2)
        .map(|(segment, _)| segment.clone())
        .collect();
    let size_of = |id| {
        segments
            .iter()
            .find(|(segment, _)| segment.id() == id)
            .map_or(0, |(_, bytes)| *bytes)
    };
    let mut merges = Vec::new();
    for MergeCandidate(mut ids) in tiers.compute_merge_candidates(&open) {
        ids.sort_by_key(|&id| (size_of(id), id));
        let mut merge = Vec::new();
        let mut bytes = 0;
        for id in ids {
            let size = size_of(id);
            if bytes + size > max_bytes && !merge.is_empty() {
                let full = std::mem::take(&mut merge);
                if full.len() >= 2 {
                    merges.push(MergeCandidate(full));
                }
                bytes = 0;
            }
            merge.push(id);
            bytes += size;
        }
        if merge.len() >= 2 {
            merges.push(MergeCandidate(merge));
        }
    }
    merges
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;

    const MB: u64 = 1024 * 1024;

    /// Segments of `docs` documents and `megabytes` MB each.
    fn segments(sizes: &[(u32, u64)]) -> Vec<(SegmentMeta, u64)> {
        let index = tantivy::Index::create_in_ram(crate::index::schema::build_schema());
        sizes
            .iter()
            .map(|&(docs, megabytes)| {
                let meta = index.new_segment_meta(SegmentId::generate_random(), docs);
                (meta, megabytes * MB)
            })
            .collect()
    }

    /// The bytes of each planned merge, in MB, largest merge first.
    fn merged_megabytes(segments: &[(SegmentMeta, u64)], max_bytes: u64) -> Vec<u64> {
        let size_of = |id| {
            segments
                .iter()
                .find(|(segment, _)| segment.id() == id)
                .map(|(_, bytes)| bytes / MB)
                .unwrap()
        };
        let mut merges: Vec<u64> = plan(&LogMergePolicy::default(), segments, max_bytes)
            .into_iter()
            .map(|MergeCandidate(ids)| ids.into_iter().map(size_of).sum())
            .collect();
        merges.sort_unstable_by(|a, b| b.cmp(a));
        merges
    }

    #[test]
    fn a_tier_over_the_bound_is_cut_into_merges_within_it() {
        // Eight fresh 20k-document segments of 80 MB: tantivy merges all eight (640 MB).
        let eight = segments(&[(20_000, 80); 8]);
        assert_eq!(merged_megabytes(&eight, u64::MAX), vec![640]);
        // Bounded at 400 MB: five of them (400 MB) and the other three (240 MB).
        assert_eq!(merged_megabytes(&eight, 400 * MB), vec![400, 240]);
    }

    #[test]
    fn segments_over_half_the_bound_are_never_merged() {
        // Eight 250 MB segments: a tier, but each is over half of 400 MB.
        let big = segments(&[(60_000, 250); 8]);
        assert_eq!(merged_megabytes(&big, 400 * MB), Vec::<u64>::new());
        // Next to eight small ones, only the small ones merge.
        let mut mixed = segments(&[(60_000, 250); 8]);
        mixed.extend(segments(&[(5_000, 10); 8]));
        assert_eq!(merged_megabytes(&mixed, 400 * MB), vec![80]);
    }

    #[test]
    fn a_segment_left_over_by_the_cut_waits_for_the_next_plan() {
        // Nine 150 MB segments: two fit in 400 MB, so four merges of two; the ninth alone
        // is not a merge.
        let nine = segments(&[(30_000, 150); 9]);
        assert_eq!(merged_megabytes(&nine, 400 * MB), vec![300; 4]);
    }

    #[test]
    fn fewer_segments_than_a_tier_are_not_merged() {
        let seven = segments(&[(20_000, 80); 7]);
        assert_eq!(merged_megabytes(&seven, 400 * MB), Vec::<u64>::new());
    }
}
