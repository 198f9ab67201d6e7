//! JSON exports: an object, an array of objects, a wrapper such as `{"articles": [...]}`,
//! or JSON Lines (one object a line, where a bad line costs only that line).

use super::{FileArticles, html::html_to_text};
use crate::dates::parse_date;
use crate::model::RawArticle;
use serde_json::{Map, Value};

const TITLE_KEYS: [&str; 3] = ["title", "headline", "name"];
const BODY_KEYS: [&str; 8] = [
    "body",
    "text",
    "content",
    "content_original",
    "maintext",
    "article",
    "articlebody",
    "description",
];
const DATE_KEYS: [&str; 9] = [
    "date",
    "published",
    "published_at",
    "pubdate",
    "date_publish",
    "datepublished",
    "publishedat",
    "publish_date",
    "created_at",
];
const URL_KEYS: [&str; 4] = ["url", "link", "source_url", "permalink"];
const SOURCE_KEYS: [&str; 4] = ["source", "publisher", "outlet", "site_name"];
const BYLINE_KEYS: [&str; 4] = ["byline", "author", "authors", "creator"];
const ID_KEYS: [&str; 4] = ["id", "guid", "uuid", "_id"];
const LANG_KEYS: [&str; 2] = ["lang", "language"];
const WRAPPER_KEYS: [&str; 6] = ["articles", "items", "data", "results", "entries", "docs"];

/// Reads a `.json` file.
pub fn read_document(text: &str) -> Result<FileArticles, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("invalid json: {error}"))?;
    let mut found = FileArticles::default();
    let objects = article_objects(&value);
    if objects.is_empty() {
        return Err("no article objects in json".to_string());
    }
    for (position, object) in objects.into_iter().enumerate() {
        match article_from_object(object) {
            Some(article) => found.articles.push(article),
            None => found
                .warnings
                .push(format!("item {position}: no title or body")),
        }
    }
    if found.articles.is_empty() {
        return Err("no object has a title or body".to_string());
    }
    Ok(found)
}

/// Longest line of a JSON Lines file that is parsed; a longer line is skipped and counted
/// without ever being held in memory whole.
pub const MAX_JSON_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Warnings kept per JSON Lines file; further bad lines are only counted.
const MAX_LINE_WARNINGS: usize = 20;

/// Reads a `.jsonl`/`.ndjson` file held in memory.
pub fn read_lines(text: &str) -> Result<FileArticles, String> {
    let mut lines = JsonLines::new(text.as_bytes());
    let mut articles = Vec::new();
    while let Some(batch) = lines.next_batch(usize::MAX)? {
        articles.extend(batch);
    }
    let warnings = lines.finish()?;
    Ok(FileArticles { articles, warnings })
}

/// A JSON Lines reader over any byte stream, one batch of articles at a time: memory is
/// bounded by the batch and the longest line, never by the file (issue 6: multi-GB
/// exports). A bad or too long line costs only that line.
pub struct JsonLines<R> {
    reader: R,
    /// Number of the next line (0-based): the article's `item`, so ids stay put.
    line: usize,
    buffer: Vec<u8>,
    warnings: Vec<String>,
    bad_lines: usize,
    invalid_lines: usize,
    unreported: usize,
    articles: usize,
    text_seen: bool,
    started: bool,
    decoded_as: Option<&'static encoding_rs::Encoding>,
}

impl<R: std::io::BufRead> JsonLines<R> {
    /// A reader at the start of `reader`.
    pub fn new(reader: R) -> JsonLines<R> {
        JsonLines {
            reader,
            line: 0,
            buffer: Vec::new(),
            warnings: Vec::new(),
            bad_lines: 0,
            invalid_lines: 0,
            unreported: 0,
            articles: 0,
            text_seen: false,
            started: false,
            decoded_as: None,
        }
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The articles of the next lines, about `max_bytes` of them; `None` at the end. An
    /// `Err` is a failure to read on (I/O, broken compression), or a stream that is not
    /// JSON Lines at all (binary data).
    pub fn next_batch(&mut self, max_bytes: usize) -> Result<Option<Vec<RawArticle>>, String> {
        if !self.started {
            self.started = true;
            let head = self.reader.fill_buf().map_err(read_error)?;
            if encoding_rs::Encoding::for_bom(head)
                .is_some_and(|(encoding, _)| encoding != encoding_rs::UTF_8)
            {
                return Err(
                    "utf-16 json lines: only readable when small enough to load whole".to_string(),
                );
            }
            if super::looks_binary(head) {
                return Err("binary data, not text".to_string());
            }
        }
        let mut batch = Vec::new();
        let mut bytes = 0;
        while bytes < max_bytes {
            let Some(length) = self.read_line()? else {
                return Ok((!batch.is_empty()).then_some(batch));
            };
            bytes += length.min(self.buffer.len()) + 1;
            let number = self.line;
            self.line += 1;
            if length > MAX_JSON_LINE_BYTES {
                self.text_seen = true;
                self.bad_line(format!(
                    "line {}: a line of {:.1} MB, over the {} MB limit",
                    number + 1,
                    length as f64 / 1e6,
                    MAX_JSON_LINE_BYTES / (1024 * 1024)
                ));
                continue;
            }
            if let Some(article) = self.parse_line(number) {
                batch.push(article);
            }
        }
        Ok(Some(batch))
    }

    /// Warnings of the whole stream, or why it holds no article at all.
    pub fn finish(mut self) -> Result<Vec<String>, String> {
        if !self.text_seen {
            return Err("empty file".to_string());
        }
        if self.articles == 0 {
            let reason = if self.invalid_lines > 0 {
                "no valid json line"
            } else {
                "no article in json lines"
            };
            return Err(reason.to_string());
        }
        if self.unreported > 0 {
            self.warnings.push(format!(
                "{} more bad lines skipped ({} in all)",
                self.unreported, self.bad_lines
            ));
        }
        Ok(self.warnings)
    }

    /// Reads the next line into `buffer` (at most [`MAX_JSON_LINE_BYTES`] of it kept) and
    /// returns its full length; `None` at the end of the stream.
    fn read_line(&mut self) -> Result<Option<usize>, String> {
        self.buffer.clear();
        let mut length = 0;
        let mut any = false;
        loop {
            let available = self.reader.fill_buf().map_err(read_error)?;
            if available.is_empty() {
                return Ok(any.then_some(length));
            }
            any = true;
            let (take, done) = match available.iter().position(|byte| *byte == b'\n') {
                Some(end) => (end, true),
                None => (available.len(), false),
            };
            if length + take <= MAX_JSON_LINE_BYTES {
                self.buffer.extend_from_slice(&available[..take]);
            }
            length += take;
            self.reader.consume(take + usize::from(done));
            if done {
                return Ok(Some(length));
            }
        }
    }

    /// The article of the line in `buffer`, or `None` (blank, bad or not an article).
    fn parse_line(&mut self, number: usize) -> Option<RawArticle> {
        let mut bytes = self.buffer.as_slice();
        if number == 0 {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        let decoded;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                let encoding = match self.decoded_as {
                    Some(encoding) => encoding,
                    None => {
                        let encoding = super::guess_encoding(bytes);
                        self.decoded_as = Some(encoding);
                        let name = encoding.name().to_ascii_lowercase();
                        self.warnings
                            .insert(0, format!("not valid utf-8, decoded as {name}"));
                        encoding
                    }
                };
                decoded = encoding.decode_without_bom_handling(bytes).0.into_owned();
                decoded.as_str()
            }
        };
        let line = text.trim();
        if line.is_empty() {
            return None;
        }
        self.text_seen = true;
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(error) => {
                self.invalid_lines += 1;
                self.bad_line(format!("line {}: invalid json: {error}", number + 1));
                return None;
            }
        };
        match value.as_object().and_then(article_from_object) {
            Some(article) => {
                self.articles += 1;
                // The line number is the item, so ids stay put when a bad line is fixed.
                Some(RawArticle {
                    item: number,
                    ..article
                })
            }
            None => {
                self.bad_line(format!("line {}: no title or body", number + 1));
                None
            }
        }
    }

    fn bad_line(&mut self, warning: String) {
        self.bad_lines += 1;
        if self.bad_lines <= MAX_LINE_WARNINGS {
            self.warnings.push(warning);
        } else {
            self.unreported += 1;
        }
    }
}

fn read_error(error: std::io::Error) -> String {
    format!("cannot read on: {}", error.to_string().to_lowercase())
}

/// The article objects of a document: the object itself, the array's objects or those of a
/// wrapper key.
fn article_objects(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(object) => {
            for key in WRAPPER_KEYS {
                if let Some(Value::Array(items)) = get(object, &[key]) {
                    return items.iter().filter_map(Value::as_object).collect();
                }
            }
            vec![object]
        }
        _ => Vec::new(),
    }
}

/// The first present, non-empty value among `keys` (case-insensitive).
fn get<'a>(object: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    for key in keys {
        for (name, value) in object {
            if name.eq_ignore_ascii_case(key) && !is_empty(value) {
                return Some(value);
            }
        }
    }
    None
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A string, a number, or the `name` of an object; arrays are joined with ", ".
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Object(object) => get(object, &["name", "title", "value"]).and_then(text_of),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(text_of)
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// Builds an article from one JSON object; `None` when it has neither title nor body.
fn article_from_object(object: &Map<String, Value>) -> Option<RawArticle> {
    let field = |keys: &[&str]| {
        get(object, keys)
            .and_then(text_of)
            .filter(|text| !text.is_empty())
    };
    let title = field(&TITLE_KEYS).map(|title| html_to_text(&title).replace('\n', " "));
    let body = field(&BODY_KEYS).map(|body| {
        if body.contains('<') && body.contains('>') {
            html_to_text(&body)
        } else {
            body
        }
    });
    if title.is_none() && body.is_none() {
        return None;
    }
    let date = get(object, &DATE_KEYS).and_then(|value| match value {
        Value::Number(number) => number.as_i64().and_then(|seconds| {
            chrono::DateTime::from_timestamp(
                if seconds > 100_000_000_000 {
                    seconds / 1000
                } else {
                    seconds
                },
                0,
            )
        }),
        other => text_of(other).and_then(|text| parse_date(&text)),
    });
    Some(RawArticle {
        source_id: field(&ID_KEYS),
        title,
        body: body.unwrap_or_default(),
        date,
        source: field(&SOURCE_KEYS),
        url: field(&URL_KEYS),
        byline: field(&BYLINE_KEYS),
        lang: field(&LANG_KEYS),
        ..RawArticle::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_object_with_aliases() {
        let text = r#"{"headline": "Dam reopens", "content": "Water flows again.", "published_at": "2025-03-04T10:00:00Z",
            "link": "https://example.org/dam", "publisher": {"name": "Valley News"}, "authors": [{"name": "Ivo Tan"}, "Lea Park"], "ID": 7}"#;
        let found = read_document(text).unwrap();
        let article = &found.articles[0];
        assert_eq!(article.title.as_deref(), Some("Dam reopens"));
        assert_eq!(article.body, "Water flows again.");
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-03-04T10:00:00+00:00")
        );
        assert_eq!(article.url.as_deref(), Some("https://example.org/dam"));
        assert_eq!(article.source.as_deref(), Some("Valley News"));
        assert_eq!(article.byline.as_deref(), Some("Ivo Tan, Lea Park"));
        assert_eq!(article.source_id.as_deref(), Some("7"));
    }

    #[test]
    fn arrays_and_wrappers() {
        let array = r#"[{"title": "One", "text": "A."}, {"title": "Two", "body": "<p>B &amp; C.</p><p>D.</p>"}, 5, {"foo": 1}]"#;
        let found = read_document(array).unwrap();
        assert_eq!(found.articles.len(), 2);
        assert_eq!(found.articles[1].body, "B & C.\n\nD.");
        assert_eq!(found.warnings, ["item 2: no title or body"]);
        let wrapped = r#"{"status": "ok", "articles": [{"title": "Three", "description": "E."}]}"#;
        assert_eq!(
            read_document(wrapped).unwrap().articles[0].title.as_deref(),
            Some("Three")
        );
    }

    #[test]
    fn empty_date_and_body_fallbacks() {
        let text = r#"{"title": "T", "body": "", "text": "Fallback body.", "date": ""}"#;
        let article = &read_document(text).unwrap().articles[0];
        assert_eq!(article.body, "Fallback body.");
        assert_eq!(article.date, None);
    }

    #[test]
    fn broken_documents_are_errors() {
        assert!(
            read_document(r#"{"title": "cut off", "body": "the"#)
                .unwrap_err()
                .starts_with("invalid json: EOF while parsing")
        );
        assert_eq!(
            read_document("[1, 2]").unwrap_err(),
            "no article objects in json"
        );
        let deep = "[".repeat(200_000);
        assert!(
            read_document(&deep)
                .unwrap_err()
                .starts_with("invalid json: recursion limit exceeded")
        );
    }

    #[test]
    fn a_bad_line_skips_only_that_line() {
        let text = "{\"title\": \"A\", \"body\": \"x\"}\n{\"title\": \"B\", \n\n{\"title\": \"C\", \"body\": \"y\"}\n";
        let found = read_lines(text).unwrap();
        let titles: Vec<_> = found
            .articles
            .iter()
            .map(|a| (a.item, a.title.clone().unwrap()))
            .collect();
        assert_eq!(titles, [(0, "A".to_string()), (3, "C".to_string())]);
        assert_eq!(found.warnings.len(), 1);
        assert!(
            found.warnings[0].starts_with("line 2: invalid json"),
            "{:?}",
            found.warnings
        );
        assert_eq!(read_lines("not json\n").unwrap_err(), "no valid json line");
    }

    #[test]
    fn json_lines_stream_in_batches_with_long_lines_skipped() {
        let mut text = String::new();
        for number in 0..30 {
            text.push_str(&format!("{{\"title\": \"T{number}\", \"body\": \"b\"}}\n"));
            if number == 10 {
                text.push_str(&format!("\"{}\"\n", "x".repeat(MAX_JSON_LINE_BYTES)));
            }
        }
        text.push_str("oops\n".repeat(25).as_str());
        // A tiny reader buffer and small batches: lines span many reads and batches.
        let reader = std::io::BufReader::with_capacity(7, text.as_bytes());
        let mut lines = JsonLines::new(reader);
        let mut items = Vec::new();
        let mut batches = 0;
        while let Some(batch) = lines.next_batch(100).unwrap() {
            batches += 1;
            items.extend(batch.into_iter().map(|article| article.item));
        }
        assert!(batches > 5, "{batches}");
        let expected: Vec<usize> = (0..11).chain(12..31).collect();
        assert_eq!(items, expected);
        let warnings = lines.finish().unwrap();
        assert_eq!(warnings.len(), 21);
        assert_eq!(
            warnings[0],
            "line 12: a line of 16.8 MB, over the 16 MB limit"
        );
        assert!(
            warnings[1].starts_with("line 32: invalid json"),
            "{warnings:?}"
        );
        assert_eq!(warnings[20], "6 more bad lines skipped (26 in all)");
        assert_eq!(read_lines("\n  \n").unwrap_err(), "empty file");
        assert_eq!(
            read_lines("{\"foo\": 1}\n").unwrap_err(),
            "no article in json lines"
        );
    }
}
