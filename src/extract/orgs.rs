//! Organizations: ORG spans -> mentions with canonical names (stub).

use super::NerSpan;
use crate::model::{Article, Mention};

/// Organization mentions of the article, each with its canonical name.
pub fn find_orgs(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    let _ = (article, spans);
    Vec::new()
}
