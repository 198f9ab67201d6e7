//! Loaders for the labelled corpora used to learn and evaluate topics.

use newsdex::model::Article;
use std::path::Path;

/// BBC folder -> IPTC slug.
pub const BBC_CATEGORIES: [(&str, &str); 5] = [
    ("business", "economy"),
    ("entertainment", "arts"),
    ("politics", "politics"),
    ("sport", "sport"),
    ("tech", "science"),
];

/// One labelled article.
pub struct Labelled {
    /// The source category ("business", "elections", ...).
    pub category: String,
    /// The IPTC slug it maps to.
    pub topic: String,
    /// The article.
    pub article: Article,
}

/// BBC articles with their mapped topics, in a fixed order.
pub fn bbc(path: &Path) -> anyhow::Result<Vec<Labelled>> {
    let mut labelled = Vec::new();
    for (category, topic) in BBC_CATEGORIES {
        let mut files: Vec<_> = std::fs::read_dir(path.join(category))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file)?;
            let text = match std::str::from_utf8(&bytes) {
                Ok(text) => text.to_string(),
                Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
            };
            let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
            let article = Article {
                title: newsdex::normalize::normalize_line(title),
                body: newsdex::normalize::normalize_body(body),
                ..Article::default()
            };
            labelled.push(Labelled {
                category: category.to_string(),
                topic: topic.to_string(),
                article,
            });
        }
    }
    Ok(labelled)
}

/// The text a learner sees: title and body.
pub fn text_of(article: &Article) -> String {
    format!("{}\n\n{}", article.title, article.body)
}
