//! Extraction quality and speed, measured with newsdex's own extraction.
//!
//! `cargo run --release --example eval -- conll|reuters|bbc|speed [PATH]`; PATH defaults to the
//! matching folder under ../shared/corpora.

mod bbc;
mod conll;
mod corpora;
mod reuters;
mod speed;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut arguments = std::env::args().skip(1);
    let Some(task) = arguments.next() else {
        anyhow::bail!("usage: eval conll|reuters|bbc|speed [PATH]");
    };
    let default = match task.as_str() {
        "conll" => "../shared/corpora/conll2003/dev.txt",
        "reuters" => "../shared/corpora/reuters21578",
        "bbc" => "../shared/corpora/bbc",
        "speed" => "../shared/corpora/allsides/jsons",
        other => anyhow::bail!("unknown evaluation {other:?}: use conll, reuters, bbc or speed"),
    };
    let path = arguments
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    match task.as_str() {
        "conll" => conll::run(&path),
        "reuters" => reuters::run(&path),
        "speed" => speed::run(&path),
        _ => bbc::run(&path),
    }
}
