//! Format readers: bytes of one file -> the raw articles in it. One module per format.

pub mod feed;
pub mod html;
pub mod json;
pub mod newsml;
pub mod nitf;
pub mod reuters;
pub mod text;
pub mod warc;
pub mod xml;

use crate::model::{Format, RawArticle};
use encoding_rs::Encoding;
use std::path::Path;

/// What a reader got out of one file.
#[derive(Debug, Default)]
pub struct FileArticles {
    /// The articles found, in file order, with `item` set to their index.
    pub articles: Vec<RawArticle>,
    /// Non-fatal problems worth one warning line each ("line 7: invalid json", "decoded as windows-1252").
    pub warnings: Vec<String>,
}

/// The reader for a path, from its extension; `None` for unsupported files. Compression
/// suffixes (`.gz`, ...) are not handled here but by `crate::archive`.
pub fn format_for_path(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "md" | "markdown" | "text" => Some(Format::Text),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "rss" | "atom" => Some(Format::Feed),
        "xml" | "nitf" => Some(Format::Xml),
        "warc" => Some(Format::Warc),
        "sgm" | "sgml" => Some(Format::Reuters),
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
    if format == Format::Warc {
        // Records carry their own encodings and binary payloads (images) are normal.
        return warc::read(bytes, warc::DEFAULT_MAX_UNPACKED_BYTES);
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
    let (text, decode_warning) = match format {
        // The Reuters-21578 files are Latin-1 by definition: no guessing, no warning.
        Format::Reuters => (decode_declared(bytes, encoding_rs::WINDOWS_1252), None),
        _ => decode_with_charset(bytes, declared_charset(format, bytes).as_deref()),
    };
    let mut found = match format {
        Format::Text => text::read(&text)?,
        Format::Json => json::read_document(&text)?,
        Format::JsonLines => json::read_lines(&text)?,
        Format::Html => html::read(&text)?,
        Format::Feed => feed::read(&text)?,
        Format::Xml => read_xml(&text)?,
        Format::Reuters => reuters::read(&text)?,
        Format::Warc => unreachable!("handled above"),
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

/// An `.xml` file goes to the reader its root element names.
fn read_xml(text: &str) -> Result<FileArticles, String> {
    let Some(root) = xml::root_name(text) else {
        return Err("no xml root element".to_string());
    };
    match root.to_ascii_lowercase().as_str() {
        "rss" | "rdf" | "feed" => feed::read(text),
        "nitf" => nitf::read(text),
        "newsitem" | "newsmessage" => newsml::read(text),
        _ => Err(format!(
            "unsupported xml document <{root}>: not rss, atom, nitf or newsml"
        )),
    }
}

/// Decodes bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM, else the encoding
/// chardetng guesses, with a warning.
pub fn decode_text(bytes: &[u8]) -> (String, Option<String>) {
    decode_with_charset(bytes, None)
}

/// Like [`decode_text`], but honours a charset the document declares (HTML `<meta>`, the
/// XML declaration, an HTTP `Content-Type`) when the bytes are not valid UTF-8.
///
/// Order: BOM, then valid UTF-8, then the declared charset, then a guess. Valid UTF-8 wins
/// over a declaration because pages re-saved as UTF-8 often keep their old `<meta>`, while
/// non-ASCII text in a legacy encoding is almost never valid UTF-8 by accident.
pub fn decode_with_charset(bytes: &[u8], declared: Option<&str>) -> (String, Option<String>) {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (text.into_owned(), None);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), None);
    }
    let declared = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .map(Encoding::output_encoding)
        .filter(|encoding| *encoding != encoding_rs::UTF_8);
    if let Some(encoding) = declared {
        return (decode_declared(bytes, encoding), None);
    }
    let encoding = guess_encoding(bytes);
    let warning = format!(
        "not valid utf-8, decoded as {}",
        encoding.name().to_ascii_lowercase()
    );
    (decode_declared(bytes, encoding), Some(warning))
}

/// UTF-8 when valid, else `encoding`.
fn decode_declared(bytes: &[u8], encoding: &'static Encoding) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// chardetng's guess for bytes that are not UTF-8 (Windows-1252 for most Western text).
pub(crate) fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    // A megabyte is plenty to tell encodings apart and keeps huge files cheap.
    let sample = &bytes[..bytes.len().min(1 << 20)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The charset a document declares in its first bytes: `<meta charset>` or `http-equiv`
/// content type for HTML, the `encoding` of the XML declaration for XML formats.
pub fn declared_charset(format: Format, bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    match format {
        Format::Html => {
            let mut from = 0;
            while let Some(offset) = find(&lower[from..], b"<meta") {
                let start = from + offset;
                let end = lower[start..]
                    .iter()
                    .position(|byte| *byte == b'>')
                    .map_or(lower.len(), |end| start + end);
                let tag = &lower[start..end];
                if let Some(position) = find(tag, b"charset=") {
                    return charset_value(&tag[position + 8..]);
                }
                from = end;
            }
            None
        }
        Format::Feed | Format::Xml => {
            if !lower.starts_with(b"<?xml") {
                return None;
            }
            let end = find(&lower, b"?>")?;
            let declaration = &lower[..end];
            let position = find(declaration, b"encoding=")?;
            charset_value(&declaration[position + 9..])
        }
        _ => None,
    }
}

/// The charset name at the start of `value` (after `charset=`), quotes removed.
pub(crate) fn charset_value(value: &[u8]) -> Option<String> {
    let value = value
        .iter()
        .skip_while(|byte| matches!(byte, b'"' | b'\'' | b' '))
        .take_while(|byte| {
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b':' | b'.')
        })
        .copied()
        .collect::<Vec<u8>>();
    let value = String::from_utf8(value).ok()?;
    (!value.is_empty()).then_some(value)
}

/// The first position of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// True when the start of the file holds NUL bytes or many control bytes (images,
/// archives, random data). UTF-16 text with a BOM is not binary.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
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
    fn declared_charsets_are_honoured() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-7\"></head><body>\xc1\xe8\xde\xed\xe1</body></html>";
        assert_eq!(
            declared_charset(Format::Html, page).as_deref(),
            Some("iso-8859-7")
        );
        let (text, warning) = decode_with_charset(page, Some("iso-8859-7"));
        assert!(
            text.contains("\u{391}\u{3b8}\u{3ae}\u{3bd}\u{3b1}"),
            "{text}"
        );
        assert_eq!(warning, None);
        let meta = b"<!doctype html><meta charset='windows-1251'><p>\xcc\xee\xf1\xea\xe2\xe0</p>";
        assert_eq!(
            declared_charset(Format::Html, meta).as_deref(),
            Some("windows-1251")
        );
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><nitf/>";
        assert_eq!(
            declared_charset(Format::Xml, xml).as_deref(),
            Some("iso-8859-1")
        );
        // Valid UTF-8 wins over a stale declaration.
        let resaved = "<meta charset=iso-8859-1><p>Caf\u{e9}</p>".as_bytes();
        assert_eq!(
            decode_with_charset(resaved, Some("iso-8859-1")).0,
            "<meta charset=iso-8859-1><p>Caf\u{e9}</p>"
        );
    }

    #[test]
    fn undeclared_legacy_text_is_guessed() {
        // Cyrillic in windows-1251 with no declaration: chardetng, not windows-1252.
        let russian = "\u{41c}\u{43e}\u{441}\u{43a}\u{432}\u{430} \u{43f}\u{440}\u{43e}\u{432}\u{435}\u{43b}\u{430} \u{43f}\u{435}\u{440}\u{435}\u{433}\u{43e}\u{432}\u{43e}\u{440}\u{44b} \u{441} \u{434}\u{435}\u{43b}\u{435}\u{433}\u{430}\u{446}\u{438}\u{435}\u{439} \u{432} \u{441}\u{440}\u{435}\u{434}\u{443}.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
        let (text, warning) = decode_text(&bytes);
        assert_eq!(text, russian);
        assert_eq!(
            warning.as_deref(),
            Some("not valid utf-8, decoded as windows-1251")
        );
    }

    #[test]
    fn xml_files_go_to_the_reader_of_their_root() {
        let nitf = b"<?xml version=\"1.0\"?><!-- wire --><nitf><body><body.head><hedline><hl1>Dam opens</hl1></hedline></body.head><body.content><p>Water flows.</p></body.content></body></nitf>";
        let found = read_articles(Format::Xml, nitf).unwrap();
        assert_eq!(found.articles[0].title.as_deref(), Some("Dam opens"));
        let rss = b"<rss><channel><item><title>Feed item</title></item></channel></rss>";
        let found = read_articles(Format::Xml, rss).unwrap();
        assert_eq!(found.articles[0].title.as_deref(), Some("Feed item"));
        assert_eq!(
            read_articles(Format::Xml, b"<html><body>x</body></html>").unwrap_err(),
            "unsupported xml document <html>: not rss, atom, nitf or newsml"
        );
        assert_eq!(
            read_articles(Format::Xml, b"just words").unwrap_err(),
            "no xml root element"
        );
    }

    #[test]
    fn every_cut_of_the_sample_files_reads_without_panicking() {
        let samples: [(Format, &[u8]); 3] = [
            (
                Format::Xml,
                include_bytes!("../../sample-corpus/wire/kenya-floods.nitf.xml"),
            ),
            (
                Format::Xml,
                include_bytes!("../../sample-corpus/wire/rail-strike.newsml.xml"),
            ),
            (
                Format::Reuters,
                include_bytes!("../../sample-corpus/wire/wheat-and-steel.sgm"),
            ),
        ];
        for (format, bytes) in samples {
            assert!(read_articles(format, bytes).is_ok());
            for length in (0..bytes.len()).step_by(7) {
                let _ = read_articles(format, &bytes[..length]);
            }
        }
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(
            format_for_path(Path::new("a/b.JSONL")),
            Some(Format::JsonLines)
        );
        assert_eq!(format_for_path(Path::new("feed.rss")), Some(Format::Feed));
        assert_eq!(
            format_for_path(Path::new("wire/a.nitf.xml")),
            Some(Format::Xml)
        );
        assert_eq!(format_for_path(Path::new("crawl.WARC")), Some(Format::Warc));
        assert_eq!(
            format_for_path(Path::new("reut2-000.sgm")),
            Some(Format::Reuters)
        );
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
