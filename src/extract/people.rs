//! People: PER spans -> mentions with canonical full names (stub).

use super::NerSpan;
use crate::model::{Article, Mention};

/// Person mentions of the article, each with its canonical full name.
pub fn find_people(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    let _ = (article, spans);
    Vec::new()
}
