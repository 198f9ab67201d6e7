//! The library's error type.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in newsdex.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file could not be understood as an article; it is skipped, not fatal.
    #[error("cannot parse {path}: {reason}")]
    Parse {
        /// The file involved.
        path: String,
        /// Why, in a few words.
        reason: String,
    },
    /// The user's query or filter is invalid.
    #[error("{0}")]
    Query(String),
    /// The index is missing, locked, or of another schema version.
    #[error("{0}")]
    Index(String),
    /// An error from tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Broad classes of errors, used to choose exit codes and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Bad user input (query, filter, arguments).
    Usage,
    /// A problem with the index or the file system.
    Fatal,
}

impl Error {
    /// The broad class of this error.
    pub fn category(&self) -> Category {
        match self {
            Error::Query(_) => Category::Usage,
            _ => Category::Fatal,
        }
    }

    /// Builds an I/O error that names the file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
