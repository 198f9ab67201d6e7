//! conll evaluation (stub).

use std::path::Path;

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    anyhow::bail!(
        "{} evaluation not written yet ({})",
        "conll",
        path.display()
    )
}
