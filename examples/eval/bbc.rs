//! Topic accuracy on the BBC News dataset: the top topic against the folder's category
//! (business→economy, entertainment→arts, politics→politics, sport→sport, tech→science).
//!
//! Two figures: the shipped lexicon (whose learned terms saw these articles), and 5-fold
//! cross-validation, where the learned terms come from the other four fifths only: the
//! honest estimate for unseen news.

use crate::corpora::{self, Labelled};
use newsdex::extract::topics::{self, Lexicon};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const FOLDS: usize = 5;

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let articles = corpora::bbc(path)?;
    let bytes: usize = articles
        .iter()
        .map(|l| l.article.title.len() + l.article.body.len())
        .sum();
    let started = Instant::now();
    let shipped: Vec<Vec<String>> = articles
        .iter()
        .map(|l| newsdex::extract::extract(&l.article).topics)
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    report(
        "shipped lexicon (learned terms saw these articles)",
        &articles,
        &shipped,
    );

    let mut cross_validated: Vec<Vec<String>> = vec![Vec::new(); articles.len()];
    for fold in 0..FOLDS {
        let mut examples: Vec<(String, String)> = Vec::new();
        for (index, labelled) in articles.iter().enumerate() {
            if index % FOLDS != fold {
                examples.push((corpora::text_of(&labelled.article), labelled.topic.clone()));
            }
        }
        let mut lexicon: Lexicon = topics::hand_lexicon();
        for term in topics::learn::learn(&examples) {
            lexicon.add_learned(&term.term, &term.topic, term.weight);
        }
        for (index, labelled) in articles.iter().enumerate() {
            if index % FOLDS == fold {
                cross_validated[index] = lexicon.classify(&labelled.article);
            }
        }
    }
    report(
        &format!(
            "{FOLDS}-fold cross-validation (each fifth classified with terms learned from the other four)"
        ),
        &articles,
        &cross_validated,
    );
    println!(
        "full extraction (people, countries, orgs, topics): {:.2} MB/s on one core ({:.1} MB in {seconds:.2} s)",
        bytes as f64 / 1e6 / seconds,
        bytes as f64 / 1e6
    );
    Ok(())
}

fn report(name: &str, articles: &[Labelled], results: &[Vec<String>]) {
    let mut confusion: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut per_category: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut correct, mut empty, mut total_topics) = (0, 0, 0);
    for (labelled, topics) in articles.iter().zip(results) {
        let top = topics
            .first()
            .cloned()
            .unwrap_or_else(|| "(none)".to_string());
        let entry = per_category.entry(labelled.category.as_str()).or_default();
        entry.1 += 1;
        if top == labelled.topic {
            correct += 1;
            entry.0 += 1;
        } else {
            *confusion
                .entry((labelled.category.as_str(), top))
                .or_default() += 1;
        }
        empty += usize::from(topics.is_empty());
        total_topics += topics.len();
    }
    println!("== {name}: {} BBC articles", articles.len());
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
    let mut errors: Vec<_> = confusion.into_iter().collect();
    errors.sort_by_key(|error| std::cmp::Reverse(error.1));
    let listed: Vec<String> = errors
        .iter()
        .take(8)
        .map(|((category, top), count)| format!("{category}->{top} {count}"))
        .collect();
    println!("  top confusions: {}", listed.join(", "));
}
