//! The record of which files of which roots are in the index, so a re-run only does new work.
//! Written after each commit: a run killed between commits redoes at most the files since.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MANIFEST_FILE: &str = "newsdex-files.json";

/// What the index holds of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time (seconds) when indexed.
    pub mtime: i64,
    /// Number of articles indexed from it.
    pub articles: usize,
    /// Content hash of the file's bytes: a touched but unchanged file is not indexed again.
    #[serde(default)]
    pub hash: String,
}

/// Indexed files by root, then by path relative to the root.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Root key -> relative path -> state.
    pub roots: BTreeMap<String, BTreeMap<String, FileState>>,
}

impl Manifest {
    /// Loads the manifest of the index at `index_path` (empty when absent or unreadable).
    pub fn load(index_path: &Path) -> Manifest {
        std::fs::read_to_string(index_path.join(MANIFEST_FILE))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Saves atomically (write then rename) so a crash never leaves half a manifest.
    pub fn save(&self, index_path: &Path) -> Result<()> {
        let target = index_path.join(MANIFEST_FILE);
        let temporary: PathBuf = index_path.join(format!("{MANIFEST_FILE}.tmp"));
        let text = serde_json::to_string(self)
            .map_err(|error| Error::Index(format!("cannot encode the file list: {error}")))?;
        std::fs::write(&temporary, text).map_err(|error| Error::io(&temporary, error))?;
        std::fs::rename(&temporary, &target).map_err(|error| Error::io(&target, error))
    }

    /// Total number of articles recorded.
    pub fn article_count(&self) -> usize {
        self.roots
            .values()
            .flat_map(|files| files.values())
            .map(|state| state.articles)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let directory = tempfile::tempdir().unwrap();
        let mut manifest = Manifest::default();
        manifest.roots.entry("/r".into()).or_default().insert(
            "a.txt".into(),
            FileState {
                size: 3,
                mtime: 9,
                articles: 1,
                hash: "ab".into(),
            },
        );
        manifest.save(directory.path()).unwrap();
        let loaded = Manifest::load(directory.path());
        assert_eq!(loaded.roots["/r"]["a.txt"].articles, 1);
        assert_eq!(loaded.article_count(), 1);
    }
}
