//! Learns topic lexicon terms from labelled news and writes src/extract/data/topics_learned.tsv.
//!
//! `cargo run --release --example train_topics -- [CORPORA_DIR]` (default ../shared/corpora):
//! the BBC News categories mapped to IPTC slugs (business→economy, entertainment→arts,
//! politics, sport, tech→science). Deterministic: the same corpus gives the same file.
//! (AllSides topics were tried too: their US-politics vocabulary pulled politics stories
//! into education and crime and cost 2 points of cross-validated BBC accuracy.)

#[path = "eval/corpora.rs"]
mod corpora;

use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/corpora".to_string()),
    );
    let mut examples = Vec::new();
    let mut categories = std::collections::BTreeSet::new();
    for labelled in corpora::bbc(&root.join("bbc"))? {
        categories.insert(labelled.category.clone());
        examples.push((corpora::text_of(&labelled.article), labelled.topic));
    }
    println!("{} source categories", categories.len());
    let learned = newsdex::extract::topics::learn::learn(&examples);
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/extract/data/topics_learned.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, "term\ttopic\tweight")?;
    writeln!(
        out,
        "# source: learned from the BBC News dataset's category labels (Greene & Cunningham 2006) by `cargo run --release --example train_topics`; term statistics only, no text"
    )?;
    for term in &learned {
        writeln!(out, "{}\t{}\t{:.2}", term.term, term.topic, term.weight)?;
    }
    out.flush()?;
    println!(
        "{} terms from {} articles -> {}",
        learned.len(),
        examples.len(),
        path.display()
    );
    Ok(())
}
