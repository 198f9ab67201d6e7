//! Stories stored once (issue 6). Of the documents with the same share key (the same
//! normalized text and the same extraction inputs) one, the holder, stores the body and
//! mentions; the others, copies, index the body (every path is found by its words) and
//! keep their own id, path, source, date and entities, but store no text, and take their
//! entities from the holder instead of extracting again.
//!
//! A holder must outlive its copies. Copies are only made of holders that survive the run:
//! holders added by this run, or holders already in the index whose file this run neither
//! deletes nor reads again. When a holder's file is deleted or replaced, one copy in a file
//! the run leaves alone is re-added storing the body, in the same commit as the deletion,
//! so a killed run never commits a copy without its text. Copies in files the run reads
//! again are replaced anyway; a file that turns out unchanged but holds copies is
//! re-indexed for the same reason (see [`Shared::has_copies`]).

use crate::error::Result;
use crate::index::{ArticleIndex, Share};
use crate::model::{Article, Entities};
use std::collections::{HashMap, HashSet};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexWriter, Searcher, TantivyDocument, Term};

/// Entities of this run's holders kept for their copies; a copy whose holder has left the
/// cache is extracted again (same result, more time).
const CACHE_LIMIT: usize = 20_000;

/// The share key of an article: its content hash and everything else extraction reads
/// (language, byline, names the source tagged), so copies have the holder's entities.
pub(crate) fn share_key(article: &Article) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut part = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    };
    part(&article.hash);
    part(article.lang.as_deref().unwrap_or(""));
    part(article.byline.as_deref().unwrap_or(""));
    for list in [
        &article.tagged_people,
        &article.tagged_places,
        &article.tagged_orgs,
    ] {
        for name in list {
            part(name);
        }
        part("\u{1}");
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// A hex key (share key or content hash) as a number, for compact sets.
pub(crate) fn key_number(key: &str) -> u128 {
    if let Some(number) = key
        .get(..32)
        .and_then(|hex| u128::from_str_radix(hex, 16).ok())
    {
        return number;
    }
    let mut first = [0u8; 16];
    first.copy_from_slice(&blake3::hash(key.as_bytes()).as_bytes()[..16]);
    u128::from_be_bytes(first)
}

/// Where an article's entities come from.
pub(crate) enum Source {
    /// Run extraction.
    Extract,
    /// Copy those of the holder at this position of the same batch.
    Batch(usize),
    /// Already known (this run's holder, cached).
    Known(Entities),
    /// Read them from the holder stored in the index.
    Indexed(DocAddress),
}

/// The share state of one ingest run.
pub(crate) struct Shared<'a> {
    index: &'a ArticleIndex,
    /// The index as committed when the run started.
    searcher: Searcher,
    /// Documents of files this run deletes or reads again, by file key.
    doomed_files: HashMap<String, Vec<DocAddress>>,
    doomed: HashSet<DocAddress>,
    /// Share keys whose holder this run added (those holders stay until the run ends), as
    /// numbers: a streamed file may add millions.
    added: HashSet<u128>,
    cache: HashMap<String, Entities>,
}

impl<'a> Shared<'a> {
    /// The share state at the start of a run.
    pub fn new(index: &'a ArticleIndex) -> Result<Shared<'a>> {
        Ok(Shared {
            index,
            searcher: index.index.reader()?.searcher(),
            doomed_files: HashMap::new(),
            doomed: HashSet::new(),
            added: HashSet::new(),
            cache: HashMap::new(),
        })
    }

    fn documents(&self, query: &dyn Query) -> Result<Vec<DocAddress>> {
        let mut found: Vec<DocAddress> = self
            .searcher
            .search(query, &DocSetCollector)?
            .into_iter()
            .collect();
        found.sort();
        Ok(found)
    }

    fn file_query(&self, file_key: &str) -> TermQuery {
        let term = Term::from_field_text(self.index.fields.file, file_key);
        TermQuery::new(term, IndexRecordOption::Basic)
    }

    fn holder_query(&self, holder: bool) -> TermQuery {
        let term = Term::from_field_u64(self.index.fields.holder, u64::from(holder));
        TermQuery::new(term, IndexRecordOption::Basic)
    }

    /// Marks the indexed documents of a file this run deletes or may replace: they are no
    /// holders for new copies.
    pub fn doom(&mut self, file_key: &str) -> Result<()> {
        let term = Term::from_field_text(self.index.fields.file, file_key);
        if self.searcher.doc_freq(&term)? == 0 {
            return Ok(());
        }
        let documents = self.documents(&self.file_query(file_key))?;
        self.doomed.extend(documents.iter().copied());
        self.doomed_files.insert(file_key.to_string(), documents);
        Ok(())
    }

    /// A file that turned out unchanged keeps its documents.
    pub fn keep(&mut self, file_key: &str) {
        if let Some(documents) = self.doomed_files.remove(file_key) {
            for document in documents {
                self.doomed.remove(&document);
            }
        }
    }

    /// True when the file has copies in the index: it is re-indexed even if its bytes did
    /// not change, since the holders of its copies may be going away in this run.
    pub fn has_copies(&self, file_key: &str) -> Result<bool> {
        let term = Term::from_field_text(self.index.fields.file, file_key);
        if self.searcher.doc_freq(&term)? == 0 {
            return Ok(false);
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(self.file_query(file_key))),
            (Occur::Must, Box::new(self.holder_query(false))),
        ];
        Ok(!self.documents(&BooleanQuery::new(clauses))?.is_empty())
    }

    /// Before the documents of `file_key` are deleted: for every story it holds whose
    /// copies remain in files this run leaves alone, one such copy is re-added storing the
    /// body. Returns how many copies took over.
    pub fn hand_over(&mut self, file_key: &str, writer: &IndexWriter) -> Result<usize> {
        let Some(documents) = self.doomed_files.get(file_key) else {
            return Ok(0);
        };
        let documents = documents.clone();
        let mut promoted = 0;
        for address in documents {
            let document: TantivyDocument = self.searcher.doc(address)?;
            let holder = self.index.stored_article(&document);
            if !holder.holder || self.added.contains(&key_number(&holder.share)) {
                continue;
            }
            if self.surviving_holder(&holder.share)?.is_some() {
                continue;
            }
            let Some(copy) = self.surviving_copy(&holder.share)? else {
                continue;
            };
            let copy_document: TantivyDocument = self.searcher.doc(copy)?;
            let mut article = self.index.stored_article(&copy_document);
            article.body = holder.body.clone();
            article.mentions = holder.mentions.clone();
            let share = Share {
                key: holder.share.clone(),
                holder: true,
            };
            let replacement = self.index.document(
                &article.file,
                &article.to_article(),
                &article.to_entities(),
                &share,
            );
            let fields = &self.index.fields;
            let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, Box::new(self.file_query(&article.file))),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_u64(fields.item, article.item as u64),
                        IndexRecordOption::Basic,
                    )),
                ),
            ];
            writer.delete_query(Box::new(BooleanQuery::new(clauses)))?;
            writer.add_document(replacement)?;
            self.doomed.insert(copy);
            self.added.insert(key_number(&holder.share));
            promoted += 1;
        }
        Ok(promoted)
    }

    /// An indexed holder of `share_key` outside the files this run deletes or reads again.
    fn surviving_holder(&self, share_key: &str) -> Result<Option<DocAddress>> {
        let holders = self.index.holders(&self.searcher, share_key)?;
        Ok(holders
            .into_iter()
            .find(|address| !self.doomed.contains(address)))
    }

    /// The indexed copy of `share_key` first by path and item, outside the files this run
    /// deletes or reads again (index order depends on the writer's threads).
    fn surviving_copy(&self, share_key: &str) -> Result<Option<DocAddress>> {
        let share = Term::from_field_text(self.index.fields.share, share_key);
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(share, IndexRecordOption::Basic)),
            ),
            (Occur::Must, Box::new(self.holder_query(false))),
        ];
        let mut first: Option<((String, usize, String), DocAddress)> = None;
        for address in self.documents(&BooleanQuery::new(clauses))? {
            if self.doomed.contains(&address) {
                continue;
            }
            let document: TantivyDocument = self.searcher.doc(address)?;
            let copy = self.index.stored_article(&document);
            let order = (copy.path, copy.item, copy.file);
            if first.as_ref().is_none_or(|(best, _)| order < *best) {
                first = Some((order, address));
            }
        }
        Ok(first.map(|(_, address)| address))
    }

    /// Decides, in order, which articles of a batch store their body and where each one's
    /// entities come from.
    pub fn plan(&mut self, articles: &[&Article]) -> Result<Vec<(Share, Source)>> {
        let mut in_batch: HashMap<String, usize> = HashMap::new();
        let mut plans = Vec::with_capacity(articles.len());
        for (position, article) in articles.iter().enumerate() {
            let key = share_key(article);
            let source = if let Some(holder) = in_batch.get(&key) {
                Some(Source::Batch(*holder))
            } else if self.added.contains(&key_number(&key)) {
                Some(match self.cache.get(&key) {
                    Some(entities) => Source::Known(entities.clone()),
                    None => Source::Extract,
                })
            } else {
                self.surviving_holder(&key)?.map(Source::Indexed)
            };
            let plan = match source {
                Some(source) => (Share { key, holder: false }, source),
                None => {
                    in_batch.insert(key.clone(), position);
                    self.added.insert(key_number(&key));
                    (Share { key, holder: true }, Source::Extract)
                }
            };
            plans.push(plan);
        }
        Ok(plans)
    }

    /// The entities of an indexed holder (`None` if it cannot be read).
    pub fn indexed_entities(&self, address: DocAddress) -> Option<Entities> {
        let document: TantivyDocument = self.searcher.doc(address).ok()?;
        Some(self.index.stored_article(&document).to_entities())
    }

    /// Keeps a new holder's entities for its later copies.
    pub fn remember(&mut self, share_key: &str, entities: &Entities) {
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(share_key.to_string(), entities.clone());
    }
}
