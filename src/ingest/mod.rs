//! Orchestration: discover → read → normalize → extract → index, with a report.
//!
//! Files are read and parsed in parallel, articles normalized and extracted in parallel,
//! and documents handed in file order to the single tantivy writer. Unchanged files (same
//! size and mtime as recorded in the manifest) are not read again; changed files have
//! their articles replaced; files gone from the root have theirs removed.

mod manifest;
mod read;
mod run;
mod shared;

use crate::discover::discover_with_limit;
use crate::error::{Error, Result};
use crate::index::{ArticleIndex, file_key};
use crate::model::{Article, Entities, SourceFile};
use manifest::Manifest;
use rayon::prelude::*;
use read::{FileOutcome, Limits, add_tagged, read_file};
use run::Run;
use serde::Serialize;
use shared::Shared;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Files above this size are skipped unless the caller sets another limit.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Directory (or file) to index.
    pub root: PathBuf,
    /// Index directory.
    pub index_path: PathBuf,
    /// Worker threads; 0 means all cores.
    pub threads: usize,
    /// Remove articles of files that are gone from the root.
    pub prune: bool,
    /// Files larger than this are skipped (streamed WARC files excepted).
    pub max_file_bytes: u64,
    /// Compressed files and zip members that unpack to more than this are skipped.
    pub max_unpacked_bytes: u64,
    /// Commit after this many new articles, so a killed run keeps its progress.
    pub commit_every: usize,
    /// Commit at least this often while articles are being added.
    pub commit_interval: std::time::Duration,
}

impl IngestOptions {
    /// Options with defaults for everything but the paths.
    pub fn new(root: impl Into<PathBuf>, index_path: impl Into<PathBuf>) -> IngestOptions {
        IngestOptions {
            root: root.into(),
            index_path: index_path.into(),
            threads: 0,
            prune: true,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_unpacked_bytes: crate::archive::DEFAULT_MAX_UNPACKED_BYTES,
            commit_every: 50_000,
            commit_interval: std::time::Duration::from_secs(60),
        }
    }
}

/// A file (or part of one) that was skipped or warned about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path relative to the root.
    pub path: String,
    /// Why, in a few lower-case words.
    pub reason: String,
}

/// What an ingest did (DESIGN §5).
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    /// Articles added from new files.
    pub indexed: usize,
    /// Articles re-indexed because their file changed.
    pub updated: usize,
    /// Articles in files that had not changed (not read again).
    pub unchanged: usize,
    /// Articles removed because their file changed or disappeared.
    pub removed: usize,
    /// Files skipped, with the reason.
    pub skipped: Vec<Problem>,
    /// Non-fatal problems inside files that were indexed (bad lines, re-encoding).
    pub warnings: Vec<Problem>,
    /// Articles whose normalized text repeats another article of this run.
    pub duplicates: usize,
    /// Copies that took over storing their story's text because the file holding it was
    /// deleted or changed.
    pub promoted: usize,
    /// Supported files found under the root.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Articles in the index after the run.
    pub total: usize,
    /// Wall-clock time of the run.
    pub seconds: f64,
}

/// How far a run has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Advance {
    /// Files to read in this run (changed or new).
    pub files_total: usize,
    /// Their bytes.
    pub bytes_total: u64,
    /// Files read so far.
    pub files: usize,
    /// Bytes read so far.
    pub bytes: u64,
    /// Articles added or replaced so far.
    pub articles: usize,
    /// Files skipped so far.
    pub skipped: usize,
}

/// Receives progress while an ingest runs (warnings as they happen).
pub trait Progress {
    /// A file was skipped or had a non-fatal problem.
    fn problem(&mut self, problem: &Problem, skipped: bool);
    /// Called when the files to read are known, then after each batch of files.
    fn advance(&mut self, _advance: &Advance) {}
}

/// Ignores progress.
pub struct Silent;

impl Progress for Silent {
    fn problem(&mut self, _problem: &Problem, _skipped: bool) {}
}

/// Indexes `options.root` into `options.index_path`, creating the index when needed.
pub fn ingest(options: &IngestOptions, progress: &mut dyn Progress) -> Result<IngestReport> {
    let started = Instant::now();
    if !options.root.exists() {
        return Err(Error::Index(format!(
            "{}: no such file or directory",
            options.root.display()
        )));
    }
    let index = ArticleIndex::open_or_create(&options.index_path)?;
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| Error::Index(format!("cannot start worker threads: {error}")))?;
    let writer = index
        .writer(threads, 96_000_000)
        .map_err(|error| match error {
            tantivy::TantivyError::LockFailure(..) => Error::Index(format!(
                "index at {} is locked by another running `newsdex index` (lock file .tantivy-writer.lock)",
                options.index_path.display()
            )),
            other => Error::Tantivy(other),
        })?;

    let root_key = root_key(&options.root);
    let manifest = Manifest::load(&options.index_path);
    let previous = manifest.roots.get(&root_key).cloned().unwrap_or_default();
    let discovery = discover_with_limit(&options.root, options.max_unpacked_bytes);
    let limits = Limits {
        max_file_bytes: options.max_file_bytes,
        max_unpacked_bytes: options.max_unpacked_bytes,
    };
    let mut run = Run {
        options,
        index: &index,
        shared: Shared::new(&index)?,
        pool,
        writer,
        manifest,
        root_key,
        previous,
        current: BTreeMap::new(),
        report: IngestReport {
            files: discovery.files.len(),
            ..IngestReport::default()
        },
        seen_hashes: HashSet::new(),
        since_commit: 0,
        last_commit: Instant::now(),
        limits,
    };
    for walk_problem in discovery.problems {
        let problem = Problem {
            path: walk_problem.path,
            reason: walk_problem.reason,
        };
        progress.problem(&problem, true);
        run.report.skipped.push(problem);
    }

    let mut to_read = Vec::new();
    for file in discovery.files {
        match run.previous.get(&file.relative) {
            Some(state) if state.size == file.size && state.mtime == file.mtime => {
                run.report.unchanged += state.articles;
                run.current.insert(file.relative.clone(), state.clone());
            }
            _ => to_read.push(file),
        }
    }
    let mut pruned = Vec::new();
    let reading: HashSet<&str> = to_read.iter().map(|file| file.relative.as_str()).collect();
    for (relative, state) in &run.previous {
        if run.current.contains_key(relative) || reading.contains(relative.as_str()) {
            continue;
        }
        if options.prune {
            pruned.push((relative.clone(), state.articles));
        } else {
            run.current.insert(relative.clone(), state.clone());
        }
    }
    // Everything this run deletes or may replace is known before the first commit, so no
    // copy is made of a holder that is going away.
    for file in &to_read {
        run.shared.doom(&file_key(&run.root_key, &file.relative))?;
    }
    for (relative, _) in &pruned {
        run.shared.doom(&file_key(&run.root_key, relative))?;
    }
    for (relative, articles) in &pruned {
        let key = file_key(&run.root_key, relative);
        run.report.promoted += run.shared.hand_over(&key, &run.writer)?;
        run.writer.delete_term(index.file_term(&key));
        run.report.removed += articles;
    }

    let mut advance = Advance {
        files_total: to_read.len(),
        bytes_total: to_read.iter().map(|file| file.size).sum(),
        ..Advance::default()
    };
    progress.advance(&advance);
    let streamed = |file: &SourceFile| read::streamed(file, limits);
    for chunk in chunks(&to_read, (threads * 32).max(32), CHUNK_BYTES, &streamed) {
        match chunk {
            [file] if streamed(file) => run.stream_file(file, progress)?,
            _ => run.read_chunk(chunk, progress)?,
        }
        advance.files += chunk.len();
        advance.bytes += chunk.iter().map(|file| file.size).sum::<u64>();
        advance.articles = run.report.indexed + run.report.updated;
        advance.skipped = run.report.skipped.len();
        progress.advance(&advance);
        run.commit_if_due()?;
    }
    run.commit()?;
    run.writer.wait_merging_threads().map_err(Error::Tantivy)?;
    let mut report = run.report;
    report.total = run.manifest.article_count();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Bytes of files read, parsed and extracted together before their documents go to the
/// writer: bounds memory when files are large (a chunk holds a few copies of its text).
const CHUNK_BYTES: u64 = 48 * 1024 * 1024;

/// Consecutive runs of files of at most `max_files` files and about `max_bytes` bytes (a
/// single larger file, or a file that is `alone`, is a chunk of its own).
fn chunks<'a>(
    files: &'a [SourceFile],
    max_files: usize,
    max_bytes: u64,
    alone: &dyn Fn(&SourceFile) -> bool,
) -> Vec<&'a [SourceFile]> {
    let mut result = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (index, file) in files.iter().enumerate() {
        let after_alone = index > start && alone(&files[index - 1]);
        let full = index > start
            && (index - start >= max_files
                || bytes + file.size > max_bytes
                || alone(file)
                || after_alone);
        if full {
            result.push(&files[start..index]);
            start = index;
            bytes = 0;
        }
        bytes += file.size;
    }
    if start < files.len() {
        result.push(&files[start..]);
    }
    result
}

/// Extraction that cannot take the run down: should an extractor panic on some odd text,
/// the article is still indexed, without entities. Names the source tagged are added.
fn extract_guarded(article: &Article) -> Entities {
    let mut entities =
        std::panic::catch_unwind(|| crate::extract::extract(article)).unwrap_or_default();
    add_tagged(article, &mut entities);
    entities
}

/// A stable key for a root: its canonical absolute path.
fn root_key(root: &Path) -> String {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// One article as the ingester understands it, with its entities (`newsdex extract`).
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The normalized article.
    pub article: Article,
    /// What extraction found.
    pub entities: Entities,
}

/// Reads, normalizes and extracts every article under `root` (a file or directory)
/// without indexing. Problems are reported through `progress` and in the second value.
pub fn extract_path(root: &Path, progress: &mut dyn Progress) -> (Vec<Extracted>, Vec<Problem>) {
    extract_path_with_limit(root, crate::archive::DEFAULT_MAX_UNPACKED_BYTES, progress)
}

/// [`extract_path`] with a cap on the unpacked size of compressed files and zip members.
pub fn extract_path_with_limit(
    root: &Path,
    max_unpacked_bytes: u64,
    progress: &mut dyn Progress,
) -> (Vec<Extracted>, Vec<Problem>) {
    let discovery = discover_with_limit(root, max_unpacked_bytes);
    let limits = Limits {
        max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        max_unpacked_bytes,
    };
    let mut problems = Vec::new();
    let mut extracted = Vec::new();
    for walk_problem in discovery.problems {
        let problem = Problem {
            path: walk_problem.path,
            reason: walk_problem.reason,
        };
        progress.problem(&problem, true);
        problems.push(problem);
    }
    let outcomes: Vec<FileOutcome> = discovery
        .files
        .par_iter()
        .map(|file| read_file(file, limits, None))
        .collect();
    for outcome in outcomes {
        for warning in outcome.warnings {
            let problem = Problem {
                path: outcome.file.relative.clone(),
                reason: warning,
            };
            progress.problem(&problem, false);
        }
        match outcome.result {
            Ok(articles) => {
                let entities: Vec<Entities> = articles.par_iter().map(extract_guarded).collect();
                for (article, entities) in articles.into_iter().zip(entities) {
                    extracted.push(Extracted { article, entities });
                }
            }
            Err(reason) => {
                let problem = Problem {
                    path: outcome.file.relative.clone(),
                    reason,
                };
                progress.problem(&problem, true);
                problems.push(problem);
            }
        }
    }
    (extracted, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(size: u64) -> SourceFile {
        SourceFile {
            path: PathBuf::new(),
            relative: String::new(),
            format: crate::model::Format::Text,
            compression: crate::model::Compression::None,
            member: None,
            size,
            mtime: 0,
        }
    }

    #[test]
    fn chunks_are_bounded_by_count_and_bytes() {
        let files: Vec<SourceFile> = [10, 10, 50, 200, 5, 5, 5].into_iter().map(file).collect();
        let sizes: Vec<usize> = chunks(&files, 3, 60, &|_| false)
            .iter()
            .map(|chunk| chunk.len())
            .collect();
        assert_eq!(sizes, [2, 1, 1, 3]);
        assert!(chunks(&[], 3, 60, &|_| false).is_empty());
        let alone = |file: &SourceFile| file.size == 5;
        let sizes: Vec<usize> = chunks(&files, 3, 600, &alone)
            .iter()
            .map(|chunk| chunk.len())
            .collect();
        assert_eq!(sizes, [3, 1, 1, 1, 1]);
    }
}
