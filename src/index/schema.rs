//! The one place for field names, analyzers and the schema version (DESIGN §3).

use tantivy::Index;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Version of the schema below; an index of another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 6;

/// Name of the analyzer for searchable text: split on non-alphanumerics, lower-case, ASCII-fold.
pub const TEXT_ANALYZER: &str = "newsdex_text";

/// Field names: the field name is also the JSON key and the query prefix (DESIGN §3).
pub mod names {
    /// Stable article id.
    pub const ID: &str = "id";
    /// File path relative to the indexed root.
    pub const PATH: &str = "path";
    /// Index of the article inside its file.
    pub const ITEM: &str = "item";
    /// Headline.
    pub const TITLE: &str = "title";
    /// Title and body text (indexed; the body's stored copy is [`STORED_BODY`]).
    pub const BODY: &str = "body";
    /// The body as stored: only in the one document of a story that holds it (see [`SHARE`]).
    pub const STORED_BODY: &str = "stored_body";
    /// Key of the stored text a document shares with its copies: the content hash plus
    /// everything extraction reads besides title and body, so copies have equal entities.
    pub const SHARE: &str = "share";
    /// 1 for the document that stores the body and mentions of its share key, 0 for copies.
    pub const HOLDER: &str = "holder";
    /// Publication date (UTC).
    pub const DATE: &str = "date";
    /// Publication day: days since 1970-01-01 (UTC), indexed only. A date filter of whole
    /// days reads one term per day instead of one per distinct second (schema v6).
    pub const DAY: &str = "day";
    /// Publisher.
    pub const SOURCE: &str = "source";
    /// Article URL.
    pub const URL: &str = "url";
    /// Author credit.
    pub const BYLINE: &str = "byline";
    /// Language code.
    pub const LANG: &str = "lang";
    /// Facet `/person/<Canonical Name>`.
    pub const PERSON: &str = "person";
    /// Searchable text of the canonical person names (`person:putin`).
    pub const PERSON_NAME: &str = "person_name";
    /// Facet `/country/<ISO2>`.
    pub const COUNTRY: &str = "country";
    /// Facet `/org/<Name>`.
    pub const ORG: &str = "org";
    /// Searchable text of the organization names.
    pub const ORG_NAME: &str = "org_name";
    /// Facet `/topic/<slug>`.
    pub const TOPIC: &str = "topic";
    /// Content hash of the normalized title and body.
    pub const HASH: &str = "hash";
    /// Its first 64 bits as a fast field: duplicate stories collapse without string lookups.
    pub const HASH64: &str = "hash64";
    /// A 64-bit hash of the id as a fast field: the tie-break that keeps hit order stable
    /// without reading id strings from the compressed dictionary.
    pub const ID64: &str = "id64";
    /// Entity mentions as stored JSON, for `show` and snippets.
    pub const MENTIONS: &str = "mentions";
    /// Facet `/source/<Publisher>` for counting sources.
    pub const SOURCE_FACET: &str = "source_facet";
    /// Adjacent pairs of common body words, for two-word phrases (see `index::pairs`).
    pub const PAIRS: &str = "pairs";
    /// Key of the file an article came from (root and relative path), for replacing it.
    pub const FILE: &str = "file";
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`names::ID`].
    pub id: Field,
    /// See [`names::PATH`].
    pub path: Field,
    /// See [`names::ITEM`].
    pub item: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::STORED_BODY`].
    pub stored_body: Field,
    /// See [`names::SHARE`].
    pub share: Field,
    /// See [`names::HOLDER`].
    pub holder: Field,
    /// See [`names::DATE`].
    pub date: Field,
    /// See [`names::DAY`].
    pub day: Field,
    /// See [`names::SOURCE`].
    pub source: Field,
    /// See [`names::URL`].
    pub url: Field,
    /// See [`names::BYLINE`].
    pub byline: Field,
    /// See [`names::LANG`].
    pub lang: Field,
    /// See [`names::PERSON`].
    pub person: Field,
    /// See [`names::PERSON_NAME`].
    pub person_name: Field,
    /// See [`names::COUNTRY`].
    pub country: Field,
    /// See [`names::ORG`].
    pub org: Field,
    /// See [`names::ORG_NAME`].
    pub org_name: Field,
    /// See [`names::TOPIC`].
    pub topic: Field,
    /// See [`names::HASH`].
    pub hash: Field,
    /// See [`names::HASH64`].
    pub hash64: Field,
    /// See [`names::ID64`].
    pub id64: Field,
    /// See [`names::MENTIONS`].
    pub mentions: Field,
    /// See [`names::FILE`].
    pub file: Field,
    /// See [`names::SOURCE_FACET`].
    pub source_facet: Field,
    /// See [`names::PAIRS`].
    pub pairs: Field,
}

/// Builds schema v6 (v6: `day`, the publication day for whole-day date filters; v5: the title indexed in `body` and `pairs` too; v4: `pairs`, adjacent common words as single terms; v2: `hash64` and `id64` fast fields, for collapsing duplicate stories
/// and stable hit order; v3: the body stored once per story in `stored_body`, `share` and
/// `holder` to find it, `file` stored and `item` indexed so a copy can take over the body).
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(TEXT_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let stored_text = TextOptions::default()
        .set_indexing_options(text_indexing.clone())
        .set_stored();
    let unstored_text = TextOptions::default().set_indexing_options(text_indexing);
    let facet = FacetOptions::default().set_stored();

    builder.add_text_field(names::ID, STRING | STORED | FAST);
    builder.add_text_field(names::PATH, STRING | STORED);
    builder.add_u64_field(names::ITEM, INDEXED | STORED);
    builder.add_text_field(names::TITLE, stored_text.clone());
    builder.add_text_field(names::BODY, unstored_text.clone());
    builder.add_text_field(names::STORED_BODY, STORED);
    builder.add_text_field(names::SHARE, STRING | STORED);
    builder.add_u64_field(names::HOLDER, INDEXED | STORED);
    builder.add_date_field(names::DATE, INDEXED | STORED | FAST);
    builder.add_i64_field(names::DAY, INDEXED);
    builder.add_text_field(names::SOURCE, stored_text);
    builder.add_text_field(names::URL, STORED);
    builder.add_text_field(names::BYLINE, STORED);
    builder.add_text_field(names::LANG, STRING | STORED);
    builder.add_facet_field(names::PERSON, facet.clone());
    builder.add_text_field(names::PERSON_NAME, unstored_text.clone());
    builder.add_facet_field(names::COUNTRY, facet.clone());
    builder.add_facet_field(names::ORG, facet.clone());
    builder.add_text_field(names::ORG_NAME, unstored_text);
    builder.add_facet_field(names::TOPIC, facet);
    builder.add_text_field(names::HASH, STRING | STORED);
    builder.add_u64_field(names::HASH64, FAST);
    builder.add_u64_field(names::ID64, FAST);
    builder.add_text_field(names::MENTIONS, STORED);
    builder.add_text_field(names::FILE, STRING | STORED);
    builder.add_facet_field(names::SOURCE_FACET, FacetOptions::default());
    // Pair terms are scored with the body's length (their own would count pairs only), and
    // a phrase needs no positions of its pair: frequencies only, no field norms.
    let pair_indexing = TextFieldIndexing::default()
        .set_tokenizer(super::pairs::PAIR_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqs)
        .set_fieldnorms(false);
    builder.add_text_field(
        names::PAIRS,
        TextOptions::default().set_indexing_options(pair_indexing),
    );
    builder.build()
}

impl Fields {
    /// Looks up every field in `schema`; fails if a field is missing.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: field(names::ID)?,
            path: field(names::PATH)?,
            item: field(names::ITEM)?,
            title: field(names::TITLE)?,
            body: field(names::BODY)?,
            stored_body: field(names::STORED_BODY)?,
            share: field(names::SHARE)?,
            holder: field(names::HOLDER)?,
            date: field(names::DATE)?,
            day: field(names::DAY)?,
            source: field(names::SOURCE)?,
            url: field(names::URL)?,
            byline: field(names::BYLINE)?,
            lang: field(names::LANG)?,
            person: field(names::PERSON)?,
            person_name: field(names::PERSON_NAME)?,
            country: field(names::COUNTRY)?,
            org: field(names::ORG)?,
            org_name: field(names::ORG_NAME)?,
            topic: field(names::TOPIC)?,
            hash: field(names::HASH)?,
            hash64: field(names::HASH64)?,
            id64: field(names::ID64)?,
            mentions: field(names::MENTIONS)?,
            file: field(names::FILE)?,
            source_facet: field(names::SOURCE_FACET)?,
            pairs: field(names::PAIRS)?,
        })
    }
}

/// The text analyzer: "Erdoğan" and "ERDOGAN" both index as "erdogan".
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers newsdex's analyzers on an index; needed every time an index is created or opened.
pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index
        .tokenizers()
        .register(super::pairs::PAIR_ANALYZER, super::pairs::pair_analyzer());
}
