//! One ingest run: files read whole in parallel chunks or streamed batch by batch, their
//! old documents replaced (stories handed over first), new ones extracted and written.

use super::manifest::{FileState, Manifest};
use super::read::{self, FileOutcome, Limits, read_file};
use super::shared::{Shared, Source};
use super::{IngestOptions, IngestReport, Problem, Progress, extract_guarded};
use crate::error::Result;
use crate::index::{ArticleIndex, file_key};
use crate::model::{Article, Entities, SourceFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

/// The state of one ingest run.
pub(super) struct Run<'a> {
    pub(super) options: &'a IngestOptions,
    pub(super) index: &'a ArticleIndex,
    pub(super) shared: Shared<'a>,
    pub(super) pool: rayon::ThreadPool,
    pub(super) writer: tantivy::IndexWriter,
    pub(super) manifest: Manifest,
    pub(super) root_key: String,
    /// The files of this root the index held when the run started.
    pub(super) previous: BTreeMap<String, FileState>,
    /// The files of this root the index holds now (saved with each commit).
    pub(super) current: BTreeMap<String, FileState>,
    pub(super) report: IngestReport,
    /// Content hashes of this run's articles (as numbers, see [`super::shared::key_number`]).
    pub(super) seen_hashes: HashSet<u128>,
    pub(super) since_commit: usize,
    pub(super) last_commit: Instant,
    pub(super) limits: Limits,
}

impl Run<'_> {
    /// The previous content hash of a file, unless it holds copies (see [`Shared::has_copies`]).
    fn previous_hash(&self, file: &SourceFile) -> Result<Option<String>> {
        let Some(state) = self.previous.get(&file.relative) else {
            return Ok(None);
        };
        if self
            .shared
            .has_copies(&file_key(&self.root_key, &file.relative))?
        {
            return Ok(None);
        }
        Ok(Some(state.hash.clone()))
    }

    /// Reads, extracts and indexes a run of files loaded whole.
    pub(super) fn read_chunk(
        &mut self,
        chunk: &[SourceFile],
        progress: &mut dyn Progress,
    ) -> Result<()> {
        let mut previous_hashes = Vec::with_capacity(chunk.len());
        for file in chunk {
            previous_hashes.push(self.previous_hash(file)?);
        }
        let limits = self.limits;
        let outcomes: Vec<FileOutcome> = self.pool.install(|| {
            chunk
                .par_iter()
                .zip(&previous_hashes)
                .map(|(file, previous_hash)| read_file(file, limits, previous_hash.as_deref()))
                .collect()
        });
        let mut batch: Vec<(String, Vec<Article>)> = Vec::new();
        for outcome in outcomes {
            let relative = outcome.file.relative.clone();
            let Some(articles) = self.replace_file(
                &outcome.file,
                outcome.unchanged,
                outcome.result,
                &outcome.warnings,
                progress,
            )?
            else {
                continue;
            };
            self.count_file(&outcome.file, articles.len(), outcome.content_hash);
            batch.push((file_key(&self.root_key, &relative), articles));
        }
        self.add(&batch)
    }

    /// Streams one big JSON Lines file: a batch of lines at a time is parsed, extracted
    /// and indexed, so memory does not grow with the file.
    pub(super) fn stream_file(
        &mut self,
        file: &SourceFile,
        progress: &mut dyn Progress,
    ) -> Result<()> {
        let previous_hash = self.previous_hash(file)?;
        let key = file_key(&self.root_key, &file.relative);
        let opened = read::open_stream(file, self.limits, previous_hash.as_deref());
        let (mut stream, content_hash) = match opened {
            Ok(read::Opened::Unchanged) => {
                self.replace_file(file, true, Ok(Vec::new()), &[], progress)?;
                return Ok(());
            }
            Ok(read::Opened::Stream(stream, hash)) => (stream, hash),
            Err(reason) => {
                self.replace_file(file, false, Err(reason), &[], progress)?;
                return Ok(());
            }
        };
        self.replace_file(file, false, Ok(Vec::new()), &[], progress)?;
        let mut count = 0;
        let mut failure = None;
        loop {
            let articles = match stream.next_batch() {
                Ok(Some(raw)) => self
                    .pool
                    .install(|| read::normalize_all(raw, &file.relative)),
                Ok(None) => break,
                Err(reason) => {
                    failure = Some(reason);
                    break;
                }
            };
            count += articles.len();
            self.add(&[(key.clone(), articles)])?;
            self.commit_if_due()?;
        }
        let mut warnings = Vec::new();
        let finished = stream.finish();
        match (finished, failure) {
            (Ok(found), None) => warnings = found,
            (Ok(found), Some(reason)) => {
                warnings = found;
                warnings.push(reason);
            }
            (Err(_), Some(reason)) | (Err(reason), None) if count == 0 => {
                self.skip(file, reason, progress);
                return Ok(());
            }
            (Err(reason), _) => warnings.push(reason),
        }
        for warning in warnings {
            let problem = Problem {
                path: file.relative.clone(),
                reason: warning,
            };
            progress.problem(&problem, false);
            self.report.warnings.push(problem);
        }
        if count == 0 {
            self.skip(file, "no article found".to_string(), progress);
            return Ok(());
        }
        self.count_file(file, count, content_hash);
        Ok(())
    }

    /// Handles what reading a file gave: an unchanged file is kept (`None`); otherwise its
    /// old documents are deleted (their stories handed over first), warnings and skips are
    /// reported, and the new articles returned.
    fn replace_file(
        &mut self,
        file: &SourceFile,
        unchanged: bool,
        result: std::result::Result<Vec<Article>, String>,
        warnings: &[String],
        progress: &mut dyn Progress,
    ) -> Result<Option<Vec<Article>>> {
        let relative = file.relative.clone();
        let key = file_key(&self.root_key, &relative);
        if let (true, Some(state)) = (unchanged, self.previous.get(&relative)) {
            self.report.unchanged += state.articles;
            let touched = FileState {
                mtime: file.mtime,
                ..state.clone()
            };
            self.current.insert(relative, touched);
            self.shared.keep(&key);
            return Ok(None);
        }
        // Also for files the manifest does not know: a run killed after a commit but
        // before its manifest was saved left their articles in the index.
        self.report.promoted += self.shared.hand_over(&key, &self.writer)?;
        self.writer.delete_term(self.index.file_term(&key));
        self.current.remove(&relative);
        self.report.bytes += file.size;
        for warning in warnings {
            let problem = Problem {
                path: relative.clone(),
                reason: warning.clone(),
            };
            progress.problem(&problem, false);
            self.report.warnings.push(problem);
        }
        match result {
            Ok(articles) => Ok(Some(articles)),
            Err(reason) => {
                self.skip(file, reason, progress);
                Ok(None)
            }
        }
    }

    fn skip(&mut self, file: &SourceFile, reason: String, progress: &mut dyn Progress) {
        self.report.removed += self
            .previous
            .get(&file.relative)
            .map_or(0, |state| state.articles);
        let problem = Problem {
            path: file.relative.clone(),
            reason,
        };
        progress.problem(&problem, true);
        self.report.skipped.push(problem);
    }

    /// Records a file whose articles were all added.
    fn count_file(&mut self, file: &SourceFile, articles: usize, content_hash: String) {
        if self.previous.contains_key(&file.relative) {
            self.report.updated += articles;
        } else {
            self.report.indexed += articles;
        }
        self.current.insert(
            file.relative.clone(),
            FileState {
                size: file.size,
                mtime: file.mtime,
                articles,
                hash: content_hash,
            },
        );
    }

    /// Extracts (or takes from their holders) the entities of a batch of articles, in
    /// parallel, and hands their documents to the writer in order.
    fn add(&mut self, batch: &[(String, Vec<Article>)]) -> Result<()> {
        let articles: Vec<&Article> = batch.iter().flat_map(|(_, list)| list).collect();
        let plans = self.shared.plan(&articles)?;
        let shared = &self.shared;
        let mut entities: Vec<Entities> = self.pool.install(|| {
            articles
                .par_iter()
                .zip(&plans)
                .map(|(article, (_, source))| match source {
                    Source::Extract => extract_guarded(article),
                    Source::Known(entities) => entities.clone(),
                    Source::Indexed(address) => shared
                        .indexed_entities(*address)
                        .unwrap_or_else(|| extract_guarded(article)),
                    Source::Batch(_) => Entities::default(),
                })
                .collect()
        });
        for (position, (_, source)) in plans.iter().enumerate() {
            if let Source::Batch(holder) = source {
                entities[position] = entities[*holder].clone();
            }
        }
        let mut position = 0;
        for (key, list) in batch {
            for article in list {
                let (share, _) = &plans[position];
                let article_entities = &entities[position];
                if share.holder {
                    self.shared.remember(&share.key, article_entities);
                }
                if !self
                    .seen_hashes
                    .insert(super::shared::key_number(&article.hash))
                {
                    self.report.duplicates += 1;
                }
                self.writer.add_document(self.index.document(
                    key,
                    article,
                    article_entities,
                    share,
                ))?;
                position += 1;
            }
        }
        self.since_commit += articles.len();
        Ok(())
    }

    pub(super) fn commit_if_due(&mut self) -> Result<()> {
        let due = self.since_commit >= self.options.commit_every
            || (self.since_commit > 0
                && self.last_commit.elapsed() >= self.options.commit_interval);
        if due {
            self.commit()?;
        }
        Ok(())
    }

    pub(super) fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.manifest
            .roots
            .insert(self.root_key.clone(), self.current.clone());
        self.manifest.save(&self.options.index_path)?;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        Ok(())
    }
}
