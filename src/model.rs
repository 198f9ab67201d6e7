//! Plain data types exchanged between the stages (discover → read → normalize → extract → index).

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::PathBuf;

/// The article formats newsdex can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text or Markdown, one article per file.
    Text,
    /// A JSON object or an array of objects.
    Json,
    /// JSON Lines: one object per line.
    JsonLines,
    /// A saved web page.
    Html,
    /// An RSS 2.0 or Atom feed: one article per item or entry.
    Feed,
    /// An `.xml` file of unknown kind: its root element picks the reader (feed, NITF, NewsML).
    Xml,
    /// A WARC web archive: one article per HTML response record.
    Warc,
    /// Reuters-21578 SGML: one article per `<REUTERS>` story.
    Reuters,
}

/// How a file's bytes are packed (the format comes from the inner extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Stored as is.
    #[default]
    None,
    /// gzip (`.gz`), possibly several members.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
    /// bzip2 (`.bz2`).
    Bzip2,
}

/// One file found under an indexed root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute (or root-joined) path used to read the file.
    pub path: PathBuf,
    /// Path relative to the indexed root, with `/` separators; stored in the index.
    pub relative: String,
    /// The reader to use.
    pub format: Format,
    /// How the bytes are packed (`.gz`, `.zst`, `.bz2`).
    pub compression: Compression,
    /// The member's name inside `path` when `path` is a `.zip` archive.
    pub member: Option<String>,
    /// Size in bytes when discovered (for a zip member: its declared unpacked size).
    pub size: u64,
    /// Modification time, seconds since the Unix epoch (0 when unknown).
    pub mtime: i64,
}

/// An article as a format reader found it, before normalization.
///
/// Readers fill what the source provides and leave the rest `None`/empty;
/// they never invent values (an unknown date stays `None`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    /// The source's own identifier (JSON `id`, RSS `guid`, ...), when it has one.
    pub source_id: Option<String>,
    /// Index of the article inside its file (0 for single-article files).
    pub item: usize,
    /// Headline.
    pub title: Option<String>,
    /// Body text; paragraphs separated by blank lines.
    pub body: String,
    /// Publication date in UTC.
    pub date: Option<DateTime<Utc>>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// Canonical URL of the article.
    pub url: Option<String>,
    /// Author credit as printed ("By Jane Doe").
    pub byline: Option<String>,
    /// ISO 639-1 language code when the source declares one.
    pub lang: Option<String>,
    /// Dateline place as printed ("KYIV"), when recognised.
    pub dateline: Option<String>,
    /// Classification tags of the source, as `kind:value` (Reuters `place:usa`, `person:reagan`).
    pub tags: Vec<String>,
    /// People the source marked up in the text (NITF `<person>`).
    pub tagged_people: Vec<String>,
    /// Places the source marked up in the text (NITF `<location>`, `<country>`, `<city>`).
    pub tagged_places: Vec<String>,
    /// Organizations the source marked up in the text (NITF `<org>`).
    pub tagged_orgs: Vec<String>,
}

/// A normalized article, ready for extraction and indexing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Stable identifier: the source's id, else `path#item`.
    pub id: String,
    /// File path relative to the indexed root.
    pub path: String,
    /// Index of the article inside its file.
    pub item: usize,
    /// Normalized headline (may be empty).
    pub title: String,
    /// Normalized body; paragraphs separated by `\n\n`.
    pub body: String,
    /// Publication date in UTC.
    pub date: Option<DateTime<Utc>>,
    /// Publisher or outlet.
    pub source: Option<String>,
    /// URL of the article.
    pub url: Option<String>,
    /// Author credit.
    pub byline: Option<String>,
    /// ISO 639-1 language code.
    pub lang: Option<String>,
    /// Dateline place as printed, when recognised.
    pub dateline: Option<String>,
    /// Classification tags of the source, as `kind:value`.
    pub tags: Vec<String>,
    /// People the source marked up in the text.
    pub tagged_people: Vec<String>,
    /// Places the source marked up in the text.
    pub tagged_places: Vec<String>,
    /// Organizations the source marked up in the text.
    pub tagged_orgs: Vec<String>,
    /// Hex content hash of the normalized title and body.
    pub hash: String,
}

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person, canonicalized to a full name.
    Person,
    /// A country, canonicalized to an ISO 3166-1 alpha-2 code.
    Country,
    /// An organization.
    Org,
}

/// Which text field a mention was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    /// The headline.
    Title,
    /// The body.
    Body,
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Entity kind.
    pub kind: EntityKind,
    /// Field the mention is in.
    pub field: TextField,
    /// Byte offset of the first byte in the normalized field.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The text as it appears.
    pub text: String,
    /// The canonical value: full name, ISO code or organization name.
    pub canonical: String,
}

/// Everything extraction found in one article. Lists are sorted and deduplicated;
/// `topics` is ordered by relevance (most relevant first); `mentions` in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    /// Canonical full names.
    pub people: Vec<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Canonical organization names.
    pub orgs: Vec<String>,
    /// IPTC Media Topic slugs, most relevant first.
    pub topics: Vec<String>,
    /// Every mention, in text order (title first, then body).
    pub mentions: Vec<Mention>,
}
