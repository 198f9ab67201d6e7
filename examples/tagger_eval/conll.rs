//! CoNLL-2003 evaluation: exact-span mention precision/recall/F1 per type (conlleval rules).
//!
//! Each document's tokens are re-joined with spaces (sentences with newlines) and tagged as
//! raw text through `Tagger::tag`, so the real tokenizer and decoder are measured. A predicted
//! span counts only when its bytes start and end on gold token boundaries with the same type.
//! `NEWSDEX_NER_MODEL=FILE` evaluates another model file instead of the embedded one.

use anyhow::Context as _;
use newsdex::extract::ner::{self, Tagger, conll, decode};
use newsdex::model::TextField;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

/// Type names in label order.
const NAMES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let content =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let documents = conll::read_conll(&content);
    let loaded;
    let tagger: &Tagger = match std::env::var_os("NEWSDEX_NER_MODEL") {
        Some(file) => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("cannot read {}", file.to_string_lossy()))?;
            loaded = Tagger::from_bytes(&bytes);
            &loaded
        }
        None => ner::tagger(),
    };
    let mut true_positives = [0usize; 4];
    let mut predicted_counts = [0usize; 4];
    let mut gold_counts = [0usize; 4];
    let mut tokens = 0usize;
    let mut bytes = 0usize;
    let mut seconds = 0f64;
    for document in &documents {
        let started = Instant::now();
        let spans = tagger.tag(TextField::Body, &document.text);
        seconds += started.elapsed().as_secs_f64();
        tokens += document.tokens.len();
        bytes += document.text.len();
        let starts: HashMap<usize, usize> = document
            .tokens
            .iter()
            .enumerate()
            .map(|(index, &(start, _))| (start, index))
            .collect();
        let ends: HashMap<usize, usize> = document
            .tokens
            .iter()
            .enumerate()
            .map(|(index, &(_, end))| (end, index + 1))
            .collect();
        let gold: HashSet<(usize, usize, usize)> =
            decode::spans(&document.labels).into_iter().collect();
        for &(_, _, kind) in &gold {
            gold_counts[kind] += 1;
        }
        for span in spans {
            let kind = decode::TYPES
                .iter()
                .position(|&label| label == span.label)
                .unwrap_or(0);
            predicted_counts[kind] += 1;
            let (Some(&first), Some(&last)) = (starts.get(&span.start), ends.get(&span.end)) else {
                continue;
            };
            if gold.contains(&(first, last, kind)) {
                true_positives[kind] += 1;
            }
        }
    }
    println!(
        "{}: {} documents, {tokens} tokens",
        path.display(),
        documents.len()
    );
    println!(
        "{:<6} {:>7} {:>7} {:>7} {:>6} {:>6}",
        "type", "P", "R", "F1", "gold", "pred"
    );
    for (kind, name) in NAMES.iter().enumerate() {
        print_row(
            name,
            true_positives[kind],
            predicted_counts[kind],
            gold_counts[kind],
        );
    }
    print_row(
        "all",
        true_positives.iter().sum(),
        predicted_counts.iter().sum(),
        gold_counts.iter().sum(),
    );
    println!(
        "speed: {:.0} tokens/s, {:.2} MB/s ({:.2} s tagging)",
        tokens as f64 / seconds,
        bytes as f64 / seconds / 1e6,
        seconds
    );
    Ok(())
}

/// Prints one P/R/F1 row.
fn print_row(name: &str, true_positives: usize, predicted: usize, gold: usize) {
    let precision = ratio(true_positives, predicted);
    let recall = ratio(true_positives, gold);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    println!("{name:<6} {precision:>7.4} {recall:>7.4} {f1:>7.4} {gold:>6} {predicted:>6}");
}

/// `part / whole`, 0 when `whole` is 0.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
