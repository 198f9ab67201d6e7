//! Speed of the country matcher alone (no NER spans) and its one-time load cost.
//!
//! `cargo run --release --example countries_speed -- [DIR]`; DIR defaults to
//! ../shared/corpora/allsides/jsons (JSON files with `title` and `content_original`).

use newsdex::extract::countries;
use newsdex::model::Article;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let directory = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpora/allsides/jsons"));
    let started = Instant::now();
    let _ = countries::resolve("Ukraine");
    println!(
        "gazetteer load: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut articles = Vec::new();
    for entry in std::fs::read_dir(&directory)? {
        let path = entry?.path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
        articles.push(Article {
            title: field("title"),
            body: field("content_original"),
            ..Article::default()
        });
    }
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let started = Instant::now();
    let mut mentions = 0;
    let mut texts: std::collections::HashMap<(String, String), usize> = Default::default();
    for article in &articles {
        let found = countries::find_countries(article, &[]);
        mentions += found.len();
        for mention in found {
            *texts.entry((mention.text, mention.canonical)).or_default() += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    println!(
        "{} articles, {:.1} MB, {} country mentions, {:.3} s: {:.1} MB/s on one core",
        articles.len(),
        bytes as f64 / 1e6,
        mentions,
        seconds,
        bytes as f64 / 1e6 / seconds
    );
    // The most frequent matched texts, to eyeball false positives.
    let mut frequent: Vec<_> = texts.into_iter().collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = frequent
        .iter()
        .take(60)
        .map(|((text, code), count)| format!("{text}={code}:{count}"))
        .collect();
    println!("most frequent: {}", shown.join(" "));
    Ok(())
}
