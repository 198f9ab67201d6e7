//! The tantivy index: create or open (with the schema version check), write articles,
//! read stored articles back.

pub mod merge;
pub mod pairs;
pub mod schema;

use crate::error::{Error, Result};
use crate::model::{Article, Entities, EntityKind, Mention, TextField};
use chrono::{DateTime, Utc};
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tantivy::schema::{Facet, Value};
use tantivy::{Index, TantivyDocument, Term};

/// Name of the file beside tantivy's files that records newsdex's schema version.
const VERSION_FILE: &str = "newsdex-version.json";

#[derive(Debug, Serialize, Deserialize)]
struct VersionFile {
    schema_version: u32,
}

/// An open newsdex index.
#[derive(Clone)]
pub struct ArticleIndex {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Directory holding the index.
    pub path: PathBuf,
    /// The reader, opened on first search and kept: opening one loads every segment.
    reader: std::sync::OnceLock<tantivy::IndexReader>,
    /// Facet values decoded per segment, for processes that search many times.
    facet_cache: Option<std::sync::Arc<crate::search::facet_cache::FacetCache>>,
}

/// Index settings: the document store (title, body and entities of every article, most of
/// the index) compressed with zstd, about half the size of tantivy's default lz4 for news
/// text, at a cost only when hits are read. Level 1: level 3 cost 3% of indexing time for a
/// 3% smaller index (AllSides: 50.7 MB against 49.0 MB).
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(1),
        }),
        ..tantivy::IndexSettings::default()
    }
}

/// The threads that search an index's segments side by side (one per core, shared by every
/// open index in the process): a search over several segments takes about the time of its
/// largest share instead of the sum.
fn search_executor() -> tantivy::Executor {
    static EXECUTOR: std::sync::OnceLock<tantivy::Executor> = std::sync::OnceLock::new();
    EXECUTOR
        .get_or_init(|| {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            if threads < 2 {
                return tantivy::Executor::single_thread();
            }
            tantivy::Executor::multi_thread(threads, "newsdex-search-")
                .unwrap_or_else(|_| tantivy::Executor::single_thread())
        })
        .clone()
}

impl ArticleIndex {
    /// Opens the index at `path`, creating it (and the directory) when absent.
    pub fn open_or_create(path: &Path) -> Result<ArticleIndex> {
        if path.join("meta.json").exists() {
            return ArticleIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|error| Error::io(path, error))?;
        let index = Index::builder()
            .schema(schema::build_schema())
            .settings(index_settings())
            .create_in_dir(path)?;
        let version = VersionFile {
            schema_version: schema::SCHEMA_VERSION,
        };
        let text = serde_json::to_string(&version).unwrap_or_default();
        std::fs::write(path.join(VERSION_FILE), text)
            .map_err(|error| Error::io(path.join(VERSION_FILE), error))?;
        ArticleIndex::from_index(index, path)
    }

    /// Opens an existing index; a missing index or another schema version is an error.
    pub fn open(path: &Path) -> Result<ArticleIndex> {
        if !path.join("meta.json").exists() {
            return Err(Error::Index(format!(
                "no index at {}: run `newsdex index DIR` first (or pass --index)",
                path.display()
            )));
        }
        let version = std::fs::read_to_string(path.join(VERSION_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<VersionFile>(&text).ok())
            .map(|file| file.schema_version);
        if version != Some(schema::SCHEMA_VERSION) {
            let found = version.map_or("unknown".to_string(), |v| v.to_string());
            return Err(Error::Index(format!(
                "index at {} has schema version {found}, this newsdex needs {}: re-index (delete the folder and run `newsdex index DIR`)",
                path.display(),
                schema::SCHEMA_VERSION
            )));
        }
        let index = Index::open_in_dir(path)?;
        ArticleIndex::from_index(index, path)
    }

    /// An index in memory, for tests.
    pub fn in_ram() -> Result<ArticleIndex> {
        let index = Index::create_in_ram(schema::build_schema());
        ArticleIndex::from_index(index, Path::new(""))
    }

    fn from_index(mut index: Index, path: &Path) -> Result<ArticleIndex> {
        schema::register_analyzers(&index);
        index.set_executor(search_executor());
        let fields = Fields::from_schema(&index.schema()).map_err(|_| {
            Error::Index(format!(
                "index at {} was not made by this version of newsdex: re-index",
                path.display()
            ))
        })?;
        Ok(ArticleIndex {
            index,
            fields,
            path: path.to_path_buf(),
            reader: std::sync::OnceLock::new(),
            facet_cache: None,
        })
    }

    /// Keeps the facet values and dates of every segment decoded in memory (2 bytes per
    /// facet value, 4 in a segment with over 65,536 values of one facet, and ~24 more per
    /// article: a row start, the row's five value counts, the year and the date), built by the first faceted or date-ordered search over a segment (~0.5 s
    /// per million articles): such searches then count and sort from flat arrays. For
    /// processes that search many times (`newsdex serve`); a one-shot search is faster
    /// reading the columns of its matches only.
    pub fn keep_facet_cache(mut self) -> ArticleIndex {
        self.facet_cache = Some(std::sync::Arc::default());
        self
    }

    /// The facet cache, when kept.
    pub(crate) fn facet_cache(&self) -> Option<&crate::search::facet_cache::FacetCache> {
        self.facet_cache.as_deref()
    }

    /// A searcher over the latest commit the reader has seen (it reloads after commits).
    pub fn searcher(&self) -> Result<tantivy::Searcher> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let _ = self.reader.set(reader);
        Ok(searcher)
    }

    /// A writer with `threads` indexing threads of `memory_per_thread` bytes each, merging
    /// one merge at a time within [`merge::MAX_MERGE_BYTES`] (see [`merge`]).
    pub fn writer(
        &self,
        threads: usize,
        memory_per_thread: usize,
    ) -> tantivy::Result<tantivy::IndexWriter> {
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_per_thread)
            .num_merge_threads(1)
            .build();
        let writer = self.index.writer_with_options(options)?;
        writer.set_merge_policy(Box::new(merge::BoundedMerges::new(
            self.path.clone(),
            merge::MAX_MERGE_BYTES,
        )));
        Ok(writer)
    }

    /// Size of the index files on disk, in bytes.
    pub fn size_bytes(&self) -> u64 {
        let Ok(entries) = std::fs::read_dir(&self.path) else {
            return 0;
        };
        entries
            .filter_map(|entry| entry.ok()?.metadata().ok())
            .filter(|metadata| metadata.is_file())
            .map(|metadata| metadata.len())
            .sum()
    }

    /// The tantivy document for one article and its entities. `file_key` identifies the
    /// file it came from, so that all its articles can be replaced together. Only the
    /// holder of a share key stores the body and mentions; a copy indexes the body (so
    /// every path is found by its text) but stores neither (see [`ArticleIndex::complete`]).
    pub fn document(
        &self,
        file_key: &str,
        article: &Article,
        entities: &Entities,
        share: &Share,
    ) -> TantivyDocument {
        let fields = &self.fields;
        let mut document = TantivyDocument::default();
        document.add_text(fields.file, file_key);
        document.add_text(fields.id, &article.id);
        document.add_text(fields.path, &article.path);
        document.add_u64(fields.item, article.item as u64);
        document.add_text(fields.title, &article.title);
        // The body field holds the title too (schema v5), so that the body alone answers
        // which documents match a word: counting and facets read one posting list per
        // word, not a union of title and body.
        for field in [fields.body, fields.pairs] {
            document.add_text(field, &article.title);
            document.add_text(field, &article.body);
        }
        document.add_text(fields.share, &share.key);
        document.add_u64(fields.holder, u64::from(share.holder));
        if share.holder {
            document.add_text(fields.stored_body, &article.body);
            let mentions = serde_json::to_string(&entities.mentions).unwrap_or_default();
            document.add_text(fields.mentions, mentions);
        }
        if let Some(date) = article.date {
            document.add_date(fields.date, to_tantivy_date(date));
            document.add_i64(fields.day, day_number(date));
        }
        let optional = [
            (fields.source, &article.source),
            (fields.url, &article.url),
            (fields.byline, &article.byline),
            (fields.lang, &article.lang),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                document.add_text(field, value);
            }
        }
        if let Some(source) = &article.source {
            document.add_facet(fields.source_facet, Facet::from_path(["source", source]));
        }
        for person in &entities.people {
            document.add_facet(
                fields.person,
                Facet::from_path([schema::names::PERSON, person]),
            );
            document.add_text(fields.person_name, person);
        }
        for country in &entities.countries {
            document.add_facet(
                fields.country,
                Facet::from_path([schema::names::COUNTRY, country]),
            );
        }
        for org in &entities.orgs {
            document.add_facet(fields.org, Facet::from_path([schema::names::ORG, org]));
            document.add_text(fields.org_name, org);
        }
        for topic in &entities.topics {
            document.add_facet(
                fields.topic,
                Facet::from_path([schema::names::TOPIC, topic]),
            );
        }
        document.add_text(fields.hash, &article.hash);
        document.add_u64(fields.hash64, hash64(&article.hash));
        document.add_u64(fields.id64, id64(&article.id));
        document
    }

    /// The document that stores the body of `share_key`, if any.
    pub fn holder_of(
        &self,
        searcher: &tantivy::Searcher,
        share_key: &str,
    ) -> Result<Option<(tantivy::DocAddress, TantivyDocument)>> {
        let addresses = self.holders(searcher, share_key)?;
        let Some(address) = addresses.first() else {
            return Ok(None);
        };
        Ok(Some((*address, searcher.doc(*address)?)))
    }

    /// Live documents that store the body of `share_key` (normally one), in index order.
    pub fn holders(
        &self,
        searcher: &tantivy::Searcher,
        share_key: &str,
    ) -> Result<Vec<tantivy::DocAddress>> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
        let share = Term::from_field_text(self.fields.share, share_key);
        if searcher.doc_freq(&share)? == 0 {
            return Ok(Vec::new());
        }
        let basic = tantivy::schema::IndexRecordOption::Basic;
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(TermQuery::new(share, basic))),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.holder, 1),
                    basic,
                )),
            ),
        ];
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &tantivy::collector::DocSetCollector,
        )?;
        let mut addresses: Vec<tantivy::DocAddress> = found.into_iter().collect();
        addresses.sort();
        Ok(addresses)
    }

    /// Fills in the body and mentions of a copy from the document that stores them.
    pub fn complete(
        &self,
        searcher: &tantivy::Searcher,
        article: &mut StoredArticle,
    ) -> Result<()> {
        if article.holder || article.share.is_empty() {
            return Ok(());
        }
        if let Some((_, document)) = self.holder_of(searcher, &article.share)? {
            let holder = self.stored_article(&document);
            article.body = holder.body;
            article.mentions = holder.mentions;
        }
        Ok(())
    }

    /// The term that matches every article of one indexed file (see [`file_key`]).
    pub fn file_term(&self, file_key: &str) -> Term {
        Term::from_field_text(self.fields.file, file_key)
    }

    /// Reads an article and its entities back from a stored document.
    pub fn stored_article(&self, document: &TantivyDocument) -> StoredArticle {
        self.stored_article_with(document, true)
    }

    /// Reads an article back, its mentions only when `mentions` is set (their JSON, a
    /// list of every entity occurrence, is most of the work of reading a hit).
    pub fn stored_article_with(&self, document: &TantivyDocument, mentions: bool) -> StoredArticle {
        let fields = &self.fields;
        let text = |field| {
            document
                .get_first(field)
                .and_then(|value| value.as_str())
                .map(str::to_string)
        };
        let facets = |field| -> Vec<String> {
            let mut values = facet_leaves(document, field);
            values.sort();
            values
        };
        let date = document
            .get_first(fields.date)
            .and_then(|value| value.as_datetime())
            .map(from_tantivy_date);
        let item = document
            .get_first(fields.item)
            .and_then(|value| value.as_u64())
            .unwrap_or(0);
        let mentions: Vec<StoredMention> = mentions
            .then(|| text(fields.mentions))
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        // Topics keep their relevance order as stored.
        let topics = facet_leaves(document, fields.topic);
        StoredArticle {
            id: text(fields.id).unwrap_or_default(),
            path: text(fields.path).unwrap_or_default(),
            item: item as usize,
            title: text(fields.title).unwrap_or_default(),
            body: text(fields.stored_body).unwrap_or_default(),
            date,
            source: text(fields.source),
            url: text(fields.url),
            byline: text(fields.byline),
            lang: text(fields.lang),
            hash: text(fields.hash).unwrap_or_default(),
            people: facets(fields.person),
            countries: facets(fields.country),
            orgs: facets(fields.org),
            topics,
            mentions,
            share: text(fields.share).unwrap_or_default(),
            holder: document
                .get_first(fields.holder)
                .and_then(|value| value.as_u64())
                .is_none_or(|holder| holder == 1),
            file: text(fields.file).unwrap_or_default(),
        }
    }
}

/// How a document relates to the stored text of its story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The share key (see [`schema::names::SHARE`]).
    pub key: String,
    /// Whether this document stores the body and mentions.
    pub holder: bool,
}

#[cfg(test)]
impl ArticleIndex {
    /// Adds an article that stores its own body, shared with no other: how unit tests
    /// build indexes document by document.
    pub(crate) fn add_own(
        &self,
        writer: &tantivy::IndexWriter,
        article: &Article,
        entities: &Entities,
    ) {
        let share = Share {
            key: article.id.clone(),
            holder: true,
        };
        writer
            .add_document(self.document("root\nx", article, entities, &share))
            .unwrap();
    }
}

/// The last path segment of every stored facet value of `field` ("/country/UA" -> "UA").
fn facet_leaves(document: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    document
        .get_all(field)
        .filter_map(|value| value.as_facet())
        .map(|stored| {
            // Stored facets come back in tantivy's encoded form (segments joined by NUL).
            Facet::from_encoded(stored.as_bytes().to_vec())
                .ok()
                .filter(|facet| !facet.is_root())
                .or_else(|| Facet::from_text(stored).ok())
        })
        .filter_map(|facet| facet?.to_path().last().map(|last| last.to_string()))
        .collect()
}

/// A mention as stored in the index (the JSON shape of [`crate::model::Mention`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMention {
    /// "person", "country" or "org".
    pub kind: String,
    /// "title" or "body".
    pub field: String,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The text as it appears.
    pub text: String,
    /// The canonical value.
    pub canonical: String,
}

/// An article as read back from the index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    /// Stable id.
    pub id: String,
    /// File path relative to its root.
    pub path: String,
    /// Index inside the file.
    pub item: usize,
    /// Headline.
    pub title: String,
    /// Body text.
    pub body: String,
    /// Publication date.
    pub date: Option<DateTime<Utc>>,
    /// Publisher.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Author credit.
    pub byline: Option<String>,
    /// Language.
    pub lang: Option<String>,
    /// Content hash.
    pub hash: String,
    /// Canonical people.
    pub people: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// Organizations.
    pub orgs: Vec<String>,
    /// Topic slugs, most relevant first.
    pub topics: Vec<String>,
    /// Mentions in text order.
    pub mentions: Vec<StoredMention>,
    /// Share key of the stored text (internal).
    #[serde(skip)]
    pub share: String,
    /// Whether this document stores the body itself (internal; a copy's body is filled in
    /// by [`ArticleIndex::complete`]).
    #[serde(skip)]
    pub holder: bool,
    /// Key of the file it came from (internal, see [`file_key`]).
    #[serde(skip)]
    pub file: String,
}

impl StoredArticle {
    /// The article as it was indexed (fields extraction and indexing use).
    pub fn to_article(&self) -> Article {
        Article {
            id: self.id.clone(),
            path: self.path.clone(),
            item: self.item,
            title: self.title.clone(),
            body: self.body.clone(),
            date: self.date,
            source: self.source.clone(),
            url: self.url.clone(),
            byline: self.byline.clone(),
            lang: self.lang.clone(),
            hash: self.hash.clone(),
            ..Article::default()
        }
    }

    /// The entities as extraction found them (lists and mentions as stored).
    pub fn to_entities(&self) -> Entities {
        let mentions = self
            .mentions
            .iter()
            .filter_map(|mention| {
                let kind = match mention.kind.as_str() {
                    "person" => EntityKind::Person,
                    "country" => EntityKind::Country,
                    "org" => EntityKind::Org,
                    _ => return None,
                };
                let field = match mention.field.as_str() {
                    "title" => TextField::Title,
                    _ => TextField::Body,
                };
                Some(Mention {
                    kind,
                    field,
                    start: mention.start,
                    end: mention.end,
                    text: mention.text.clone(),
                    canonical: mention.canonical.clone(),
                })
            })
            .collect();
        Entities {
            people: self.people.clone(),
            countries: self.countries.clone(),
            orgs: self.orgs.clone(),
            topics: self.topics.clone(),
            mentions,
        }
    }
}

/// The key of a file in the index: its root and its path relative to that root.
pub fn file_key(root_key: &str, relative_path: &str) -> String {
    format!("{root_key}\n{relative_path}")
}

/// The first 64 bits of a hex content hash (0 for an empty or malformed one).
pub fn hash64(hash: &str) -> u64 {
    hash.get(..16)
        .and_then(|prefix| u64::from_str_radix(prefix, 16).ok())
        .unwrap_or(0)
}

/// A stable 64-bit hash of an article id (the first 8 bytes of its blake3 hash).
pub fn id64(id: &str) -> u64 {
    let digest = blake3::hash(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_bytes()[..8]);
    u64::from_be_bytes(first)
}

/// Days since 1970-01-01 of a moment (UTC): the value of the `day` field.
pub fn day_number(date: DateTime<Utc>) -> i64 {
    date.timestamp().div_euclid(86_400)
}

/// Converts a chrono UTC date to tantivy's date type (second precision).
pub fn to_tantivy_date(date: DateTime<Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(date.timestamp())
}

/// Converts tantivy's date type back to chrono.
pub fn from_tantivy_date(date: tantivy::DateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(date.into_timestamp_secs(), 0).unwrap_or_default()
}
