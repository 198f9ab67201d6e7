//! CoNLL-2003 mention evaluation: exact-span precision/recall/F1 for PER and ORG
//! (conlleval rules: a predicted mention counts only when its span and type equal a gold
//! entity's), measured on newsdex's own extraction (`newsdex::extract::extract`).
//!
//! Each document's tokens are joined with spaces (sentences end a line, a blank line ends
//! a paragraph), extracted as an article body, and person/organization mentions compared
//! with the gold IOB1 spans.

use newsdex::model::{Article, EntityKind};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// One document: text and gold spans (start, end, type).
struct Document {
    text: String,
    gold: Vec<(usize, usize, &'static str)>,
}

fn read(content: &str) -> Vec<Document> {
    let mut documents = Vec::new();
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut open: Option<(usize, usize, &'static str)> = None;
    let close = |open: &mut Option<(usize, usize, &'static str)>, gold: &mut Vec<_>| {
        if let Some(span) = open.take() {
            gold.push(span);
        }
    };
    for line in content.lines() {
        if line.starts_with("-DOCSTART-") {
            close(&mut open, &mut gold);
            if !text.is_empty() {
                documents.push(Document {
                    text: std::mem::take(&mut text),
                    gold: std::mem::take(&mut gold),
                });
            }
            continue;
        }
        let columns: Vec<&str> = line.split(' ').collect();
        if columns.len() < 4 {
            close(&mut open, &mut gold);
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str("\n\n");
            }
            continue;
        }
        let (word, tag) = (columns[0], columns[3]);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let end = text.len();
        let kind = match tag.get(2..) {
            Some("PER") => Some("PER"),
            Some("ORG") => Some("ORG"),
            Some("LOC") => Some("LOC"),
            Some("MISC") => Some("MISC"),
            _ => None,
        };
        match (kind, open.as_mut()) {
            (Some(kind), Some(span)) if span.2 == kind && !tag.starts_with("B-") => span.1 = end,
            (Some(kind), _) => {
                close(&mut open, &mut gold);
                open = Some((start, end, kind));
            }
            (None, _) => close(&mut open, &mut gold),
        }
    }
    close(&mut open, &mut gold);
    if !text.is_empty() {
        documents.push(Document { text, gold });
    }
    documents
}

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let content = std::fs::read_to_string(path)?;
    let documents = read(&content);
    // NEWSDEX_EVAL_ERRORS=1 lists PER false positives (+) and misses (-) with context.
    let show_errors = std::env::var_os("NEWSDEX_EVAL_ERRORS").is_some();
    let mut counts = [(0usize, 0usize, 0usize); 2]; // (true positives, predicted, gold) for PER, ORG
    let mut seconds = 0.0;
    let mut bytes = 0;
    for document in &documents {
        let article = Article {
            body: document.text.clone(),
            ..Article::default()
        };
        let started = Instant::now();
        let entities = newsdex::extract::extract(&article);
        seconds += started.elapsed().as_secs_f64();
        bytes += document.text.len();
        for (index, (kind, name)) in [(EntityKind::Person, "PER"), (EntityKind::Org, "ORG")]
            .iter()
            .enumerate()
        {
            let predicted: HashSet<(usize, usize)> = entities
                .mentions
                .iter()
                .filter(|mention| mention.kind == *kind)
                .map(|mention| (mention.start, mention.end))
                .collect();
            let gold: HashSet<(usize, usize)> = document
                .gold
                .iter()
                .filter(|span| span.2 == *name)
                .map(|span| (span.0, span.1))
                .collect();
            if show_errors && *name == "PER" {
                print_errors(&document.text, &predicted, &gold);
            }
            counts[index].0 += predicted.intersection(&gold).count();
            counts[index].1 += predicted.len();
            counts[index].2 += gold.len();
        }
    }
    println!(
        "CoNLL-2003 {}: {} documents, exact-span mentions",
        path.display(),
        documents.len()
    );
    for ((true_positives, predicted, gold), name) in counts.iter().zip(["PER", "ORG"]) {
        let precision = *true_positives as f64 / (*predicted).max(1) as f64;
        let recall = *true_positives as f64 / (*gold).max(1) as f64;
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        println!(
            "  {name}  P {precision:.3}  R {recall:.3}  F1 {f1:.3}  (tp {true_positives}, predicted {predicted}, gold {gold})"
        );
    }
    println!(
        "full extraction: {:.2} MB/s on one core",
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}

/// Prints the false positives and misses of one document, each with a little context.
fn print_errors(text: &str, predicted: &HashSet<(usize, usize)>, gold: &HashSet<(usize, usize)>) {
    let context = |start: usize, end: usize| {
        let mut before = start.saturating_sub(30);
        while !text.is_char_boundary(before) {
            before -= 1;
        }
        let mut after = (end + 30).min(text.len());
        while !text.is_char_boundary(after) {
            after += 1;
        }
        format!(
            "{}[{}]{}",
            text[before..start].replace('\n', " "),
            &text[start..end],
            text[end..after].replace('\n', " ")
        )
    };
    for &(start, end) in predicted.difference(gold) {
        println!("+ {}", context(start, end));
    }
    for &(start, end) in gold.difference(predicted) {
        println!("- {}", context(start, end));
    }
}
