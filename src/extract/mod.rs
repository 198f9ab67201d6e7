//! Entity extraction: Article -> Entities. Pure (no I/O) and safe to call from many threads.
//!
//! Pipeline per article: the NER tagger (`ner`) labels spans in title and body; `people` and
//! `orgs` turn PER/ORG spans into canonical mentions; `countries` matches the gazetteer,
//! using the NER spans to reject traps ("Paris Hilton"); `topics` ranks IPTC topics.

pub mod countries;
pub mod ner;
pub mod orgs;
pub mod people;
pub mod topics;

use crate::model::{Article, Entities, TextField};

/// A labelled span found by the NER tagger; byte offsets into one field's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NerSpan {
    /// The field the span is in.
    pub field: TextField,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The label.
    pub label: NerLabel,
}

/// CoNLL-2003 entity labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLabel {
    /// Person.
    Per,
    /// Organization.
    Org,
    /// Location.
    Loc,
    /// Miscellaneous (nationalities, events, ...).
    Misc,
}

/// Extracts the entities of one article.
pub fn extract(article: &Article) -> Entities {
    let _ = article;
    Entities::default()
}
