//! The NER tagger alone on CoNLL-2003 (exact-span P/R/F1 per type):
//! `cargo run --release --example tagger_eval -- ../shared/corpora/conll2003/dev.txt`.

mod conll;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpora/conll2003/dev.txt".to_string());
    conll::run(std::path::Path::new(&path))
}
