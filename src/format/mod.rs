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

/// Longest line a text file may have: paragraphs are far shorter, so a longer line is a
/// dump, a minified blob or a log, not an article.
pub const MAX_TEXT_LINE_BYTES: usize = 1_000_000;

/// Reads every article in `bytes`. An `Err` is the one-line reason the whole file is skipped.
pub fn read_articles(format: Format, bytes: &[u8]) -> Result<FileArticles, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".to_string());
    }
    if looks_binary(bytes) {
        return Err("binary data, not text".to_string());
    }
    if format == Format::Text
        && let Some(longest) = bytes.split(|byte| *byte == b'\n').map(<[u8]>::len).max()
        && longest > MAX_TEXT_LINE_BYTES
    {
        return Err(format!(
            "a line of {:.1} MB: not article text (limit {} MB per line)",
            longest as f64 / 1e6,
            MAX_TEXT_LINE_BYTES / 1_000_000
        ));
    }
    let (text, decode_warning) = decode_text(bytes);
    let mut found = match format {
        Format::Text => text::read(&text)?,
        Format::Json => json::read_document(&text)?,
        Format::JsonLines => json::read_lines(&text)?,
        Format::Html => html::read(&text)?,
        Format::Feed => feed::read(&text)?,
    };
    if let Some(warning) = decode_warning {
        found.warnings.insert(0, warning);
    }
    if format != Format::JsonLines {
        for (item, article) in found.articles.iter_mut().enumerate() {
            article.item = item;
        }
    }
    Ok(found)
}

/// Decodes bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252 with
/// a warning (the usual encoding of old Western files that are not UTF-8).
pub fn decode_text(bytes: &[u8]) -> (String, Option<String>) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (text.into_owned(), None);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let warning = "not valid utf-8, decoded as windows-1252".to_string();
            (text.into_owned(), Some(warning))
        }
    }
}

/// True when the start of the file holds NUL bytes or many control bytes (images,
/// archives, random data). UTF-16 text with a BOM is not binary.
fn looks_binary(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|byte| **byte < 0x20 && !matches!(byte, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > sample.len()
}

/// The trimmed value, or `None` when it is empty.
pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_file_failures_have_reasons() {
        assert_eq!(read_articles(Format::Text, b"").unwrap_err(), "empty file");
        assert_eq!(
            read_articles(Format::Text, b" \n\t\n").unwrap_err(),
            "empty file"
        );
        let random = [0x89, b'P', b'N', b'G', 0, 0, 0x1a, 0x0d, 0xff, 0x00];
        assert_eq!(
            read_articles(Format::Json, &random).unwrap_err(),
            "binary data, not text"
        );
    }

    #[test]
    fn text_with_a_huge_line_is_not_an_article() {
        let mut bytes = b"Headline\n\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_TEXT_LINE_BYTES + 1));
        assert_eq!(
            read_articles(Format::Text, &bytes).unwrap_err(),
            "a line of 1.0 MB: not article text (limit 1 MB per line)"
        );
    }

    #[test]
    fn latin1_is_decoded_with_a_warning() {
        let bytes = b"Caf\xe9 prices up\n\nA coffee now costs \xa33 in the caf\xe9.";
        let found = read_articles(Format::Text, bytes).unwrap();
        assert_eq!(found.warnings, ["not valid utf-8, decoded as windows-1252"]);
        assert_eq!(found.articles[0].title.as_deref(), Some("Café prices up"));
        assert_eq!(found.articles[0].body, "A coffee now costs £3 in the café.");
    }

    #[test]
    fn boms_are_honoured() {
        let utf8 = b"\xef\xbb\xbfHeadline\n\nBody.";
        assert_eq!(decode_text(utf8).0, "Headline\n\nBody.");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Hi".encode_utf16().flat_map(|unit| unit.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16), ("Hi".to_string(), None));
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(
            format_for_path(Path::new("a/b.JSONL")),
            Some(Format::JsonLines)
        );
        assert_eq!(format_for_path(Path::new("feed.rss")), Some(Format::Feed));
        assert_eq!(format_for_path(Path::new("photo.jpg")), None);
        assert_eq!(format_for_path(Path::new("README")), None);
    }

    /// Real-looking inputs of every format, to mutate.
    const SEEDS: [(Format, &str); 5] = [
        (
            Format::Text,
            "Title: Dockers strike\nDate: 2025-03-02\n\nDockers walked out.\n\nBy Jane Roe\n",
        ),
        (
            Format::Json,
            r#"[{"title": "A", "body": "B", "date": "2025-01-02", "authors": ["X"]}]"#,
        ),
        (
            Format::JsonLines,
            "{\"title\": \"A\", \"body\": \"B\"}\n{\"headline\": \"C\"}\n",
        ),
        (
            Format::Html,
            "<html><head><title>T</title><meta property=\"article:published_time\" content=\"2025-01-01\"></head><body><article><h1>T</h1><p>Body text here.</p></article></body></html>",
        ),
        (
            Format::Feed,
            "<rss version=\"2.0\"><channel><title>S</title><item><title>A</title><description>&lt;p&gt;B&lt;/p&gt;</description><pubDate>Tue, 02 Dec 2025 10:00:00 GMT</pubDate></item></channel></rss>",
        ),
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// No reader panics on arbitrary bytes.
        #[test]
        fn readers_never_panic_on_random_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            for (format, _) in SEEDS {
                let _ = read_articles(format, &bytes);
            }
        }

        /// No reader panics on arbitrary text full of markup characters.
        #[test]
        fn readers_never_panic_on_random_text(text in "[<>&;\"'{}\\[\\]:,#*_\\n a-zA-Z0-9é€\\-/=!?]{0,600}") {
            for (format, _) in SEEDS {
                let _ = read_articles(format, text.as_bytes());
            }
        }

        /// No reader panics on a real input with bytes flipped, cut or inserted.
        #[test]
        fn readers_never_panic_on_damaged_input(
            seed in 0..SEEDS.len(),
            edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>(), 0..3u8), 1..12),
        ) {
            let (format, text) = SEEDS[seed];
            let mut bytes = text.as_bytes().to_vec();
            for (position, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = position % bytes.len();
                match kind {
                    0 => bytes[at] = byte,
                    1 => bytes.truncate(at),
                    _ => bytes.insert(at, byte),
                }
            }
            for other in [format, Format::Text, Format::Feed] {
                let _ = read_articles(other, &bytes);
            }
        }
    }
}
