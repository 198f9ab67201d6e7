//! Trains the NER model on a CoNLL-2003 file and writes `src/extract/data/ner.model`.
//!
//! `cargo run --release --example train_ner -- ../shared/corpora/conll2003/train.txt [OUT]`
//! Deterministic: the same input gives the same bytes.

use anyhow::Context as _;
use newsdex::extract::ner::{conll, train};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut arguments = std::env::args().skip(1);
    let Some(input) = arguments.next() else {
        anyhow::bail!("usage: train_ner TRAIN.txt [OUT]");
    };
    let output = arguments
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("src/extract/data/ner.model"));
    let content =
        std::fs::read_to_string(&input).with_context(|| format!("cannot read {input}"))?;
    let documents = conll::read_conll(&content);
    eprintln!("{} documents", documents.len());
    let started = Instant::now();
    let mut options = train::TrainOptions::default();
    if let Some(epochs) = std::env::var("NEWSDEX_NER_EPOCHS")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        options.epochs = epochs;
    }
    if let Some(threshold) = std::env::var("NEWSDEX_NER_THRESHOLD")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        options.threshold = threshold;
    }
    if let Some(bits) = std::env::var("NEWSDEX_NER_BITS")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        options.bits = bits;
    }
    let weights = train::train(&documents, options, |line| eprintln!("{line}"));
    let bytes = weights.to_bytes();
    std::fs::write(&output, &bytes)
        .with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        output.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
