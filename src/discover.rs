//! Walks a root: the supported files under it in sorted order; hidden entries and
//! unsupported extensions are left out, unreadable entries and symlink loops reported.
//! Compressed files count by their inner extension; `.zip` archives are walked like folders.

use crate::archive::{self, DEFAULT_MAX_UNPACKED_BYTES};
use crate::model::SourceFile;
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// A path the walk could not use, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// The path as far as it is known, relative to the root where possible.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Supported files, sorted by path.
    pub files: Vec<SourceFile>,
    /// Entries that could not be walked (permissions, symlink loops, ...).
    pub problems: Vec<WalkProblem>,
    /// Files left out because their extension is not a supported format.
    pub unsupported: usize,
}

/// Walks `root` (a directory, or a single file).
pub fn discover(root: &Path) -> Discovery {
    discover_with_limit(root, DEFAULT_MAX_UNPACKED_BYTES)
}

/// Walks `root`; zip archives may unpack to at most `max_unpacked` bytes a member (and
/// [`archive::ZIP_TOTAL_FACTOR`] times that in all).
pub fn discover_with_limit(root: &Path, max_unpacked: u64) -> Discovery {
    let mut discovery = Discovery::default();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                discovery.problems.push(walk_problem(root, &error));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let is_zip = entry
            .path()
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("zip"));
        let kind = archive::kind_for_path(entry.path())
            .filter(|_| !is_documentation(&archive::inner_path(entry.path())));
        if kind.is_none() && !is_zip {
            discovery.unsupported += 1;
            continue;
        }
        let metadata = match entry.metadata() {
            Ok(metadata) => metadata,
            Err(error) => {
                discovery.problems.push(walk_problem(root, &error));
                continue;
            }
        };
        let mtime = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |duration| duration.as_secs() as i64);
        let relative = relative_path(root, entry.path());
        let Some((format, compression)) = kind else {
            add_zip_members(&mut discovery, entry.path(), &relative, mtime, max_unpacked);
            continue;
        };
        discovery.files.push(SourceFile {
            path: entry.path().to_path_buf(),
            relative,
            format,
            compression,
            member: None,
            size: metadata.len(),
            mtime,
        });
    }
    discovery
}

/// Adds the supported members of a zip archive as files `archive.zip/inner/path`.
fn add_zip_members(
    discovery: &mut Discovery,
    path: &Path,
    relative: &str,
    mtime: i64,
    max_unpacked: u64,
) {
    let listing = match archive::list_zip(path, max_unpacked) {
        Ok(listing) => listing,
        Err(reason) => {
            discovery.problems.push(WalkProblem {
                path: relative.to_string(),
                reason,
            });
            return;
        }
    };
    discovery.unsupported += listing.unsupported;
    for (name, reason) in listing.problems {
        discovery.problems.push(WalkProblem {
            path: format!("{relative}/{name}"),
            reason,
        });
    }
    for member in listing.members {
        discovery.files.push(SourceFile {
            path: path.to_path_buf(),
            relative: format!("{relative}/{}", member.name),
            format: member.format,
            compression: member.compression,
            member: Some(member.name),
            size: member.size,
            mtime,
        });
    }
}

/// `path` relative to `root` with `/` separators; a file root gives its file name.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = match path.strip_prefix(root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => PathBuf::from(path.file_name().unwrap_or(path.as_os_str())),
    };
    let parts: Vec<String> = relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// README, LICENSE and similar files describe a folder; they are never articles.
pub(crate) fn is_documentation(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return false;
    };
    let stem = stem.to_ascii_lowercase();
    [
        "readme",
        "license",
        "licence",
        "changelog",
        "contributing",
        "copying",
    ]
    .contains(&stem.as_str())
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.file_name().to_string_lossy().starts_with('.')
}

fn walk_problem(root: &Path, error: &walkdir::Error) -> WalkProblem {
    let path = error.path().map_or_else(
        || root.display().to_string(),
        |path| relative_path(root, path),
    );
    let reason = if error.loop_ancestor().is_some() {
        "symlink loop".to_string()
    } else if let Some(io_error) = error.io_error() {
        io_error.to_string().to_lowercase()
    } else {
        error.to_string().to_lowercase()
    };
    WalkProblem { path, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walk_is_sorted_and_skips_hidden_and_unsupported() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("b")).unwrap();
        fs::create_dir_all(root.path().join(".git")).unwrap();
        fs::write(root.path().join("b/two.txt"), "x").unwrap();
        fs::write(root.path().join("a.json"), "{}").unwrap();
        fs::write(root.path().join(".hidden.txt"), "x").unwrap();
        fs::write(root.path().join(".git/config.txt"), "x").unwrap();
        fs::write(root.path().join("photo.jpg"), "x").unwrap();
        let discovery = discover(root.path());
        let paths: Vec<&str> = discovery
            .files
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(paths, ["a.json", "b/two.txt"]);
        assert_eq!(discovery.unsupported, 1);
        assert!(discovery.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_not_followed_forever() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("dir")).unwrap();
        fs::write(root.path().join("dir/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.path(), root.path().join("dir/loop")).unwrap();
        let discovery = discover(root.path());
        let paths: Vec<&str> = discovery
            .files
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        assert_eq!(paths, ["dir/a.txt"]);
        assert_eq!(discovery.problems.len(), 1);
        assert_eq!(discovery.problems[0].reason, "symlink loop");
        assert_eq!(discovery.problems[0].path, "dir/loop");
    }
}
