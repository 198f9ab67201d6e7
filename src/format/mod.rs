//! Format readers: bytes of one file -> the raw articles in it. One module per format.

pub mod feed;
pub mod html;
pub mod json;
pub mod text;

use crate::model::{Format, RawArticle};
use std::path::Path;

/// What a reader got out of one file.
#[derive(Debug, Default)]
pub struct FileArticles {
    /// The articles found, in file order, with `item` set to their index.
    pub articles: Vec<RawArticle>,
    /// Non-fatal problems worth one warning line each ("line 7: invalid json", "decoded as windows-1252").
    pub warnings: Vec<String>,
}

/// The reader for a path, from its extension; `None` for unsupported files.
pub fn format_for_path(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "md" | "markdown" | "text" => Some(Format::Text),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "xml" | "rss" | "atom" => Some(Format::Feed),
        _ => None,
    }
}

/// Reads every article in `bytes`. An `Err` is the one-line reason the whole file is skipped.
pub fn read_articles(format: Format, bytes: &[u8]) -> Result<FileArticles, String> {
    let _ = (format, bytes);
    unimplemented!("format readers")
}
