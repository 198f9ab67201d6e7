//! Topics: IPTC Media Topics (DESIGN §3 slugs), most relevant first (stub).

use crate::model::{Article, Entities};

/// The article's topics, most relevant first; empty when nothing passes the threshold.
pub fn classify(article: &Article, entities: &Entities) -> Vec<String> {
    let _ = (article, entities);
    Vec::new()
}
