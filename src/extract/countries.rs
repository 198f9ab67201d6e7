//! Countries: gazetteer matches -> mentions with ISO 3166-1 alpha-2 codes (stub).

use super::NerSpan;
use crate::model::{Article, Mention};

/// Country mentions of the article, canonical value = ISO 3166-1 alpha-2 code.
pub fn find_countries(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    let _ = (article, spans);
    Vec::new()
}

/// The ISO code for a user-typed country: a code ("UA", "uk"), name or demonym.
pub fn resolve(value: &str) -> Option<&'static str> {
    let _ = value;
    None
}

/// The common English name of an ISO code ("UA" -> "Ukraine").
pub fn name(code: &str) -> Option<&'static str> {
    let _ = code;
    None
}

/// Up to `limit` known country names closest to a misspelled value, best first.
pub fn suggestions(value: &str, limit: usize) -> Vec<String> {
    let _ = (value, limit);
    Vec::new()
}
