//! Topic accuracy on the BBC News dataset: the top topic against the folder's category
//! (business→economy, entertainment→arts, politics→politics, sport→sport, tech→science).

use newsdex::model::Article;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const CATEGORIES: [(&str, &str); 5] = [
    ("business", "economy"),
    ("entertainment", "arts"),
    ("politics", "politics"),
    ("sport", "sport"),
    ("tech", "science"),
];

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let mut articles = Vec::new();
    for (category, expected) in CATEGORIES {
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
            articles.push((category, expected, article));
        }
    }
    let bytes: usize = articles
        .iter()
        .map(|(_, _, a)| a.title.len() + a.body.len())
        .sum();
    let started = Instant::now();
    let results: Vec<Vec<String>> = articles
        .iter()
        .map(|(_, _, article)| newsdex::extract::extract(article).topics)
        .collect();
    let seconds = started.elapsed().as_secs_f64();

    let mut confusion: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut per_category: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut correct, mut empty, mut total_topics) = (0, 0, 0);
    for ((category, expected, _), topics) in articles.iter().zip(&results) {
        let top = topics
            .first()
            .cloned()
            .unwrap_or_else(|| "(none)".to_string());
        let entry = per_category.entry(category).or_default();
        entry.1 += 1;
        if top == *expected {
            correct += 1;
            entry.0 += 1;
        }
        empty += usize::from(topics.is_empty());
        total_topics += topics.len();
        *confusion.entry((category, top)).or_default() += 1;
    }
    println!(
        "BBC topic accuracy (top topic = category), {} articles",
        articles.len()
    );
    for (category, (right, count)) in &per_category {
        println!(
            "  {category:<14} {:.3}  ({right}/{count})",
            *right as f64 / *count as f64
        );
    }
    println!(
        "  overall        {:.3}",
        correct as f64 / articles.len() as f64
    );
    println!(
        "  no topic       {:.3}",
        empty as f64 / articles.len() as f64
    );
    println!(
        "  topics/article {:.2}",
        total_topics as f64 / articles.len() as f64
    );
    println!("confusion (category -> top topic: count):");
    for ((category, top), count) in &confusion {
        println!("  {category:<14} -> {top:<12} {count}");
    }
    println!(
        "full extraction: {:.2} MB/s on one core ({:.1} MB in {seconds:.2} s)",
        bytes as f64 / 1e6 / seconds,
        bytes as f64 / 1e6
    );
    Ok(())
}
