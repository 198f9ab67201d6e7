//! WARC 1.0/1.1 web archives, streamed record by record: each `response` (or `resource`)
//! record holding an HTML page becomes one article through the HTML reader.
//!
//! The whole file is never in memory: records are read from a `BufRead`, payloads of other
//! types are passed over, and an HTML payload is held only up to [`MAX_PAGE_BYTES`].
//! Records that are not HTML, not HTTP 200, or malformed are counted and reported in one
//! warning. One bad record never loses the rest: after a malformed record the reader
//! scans for the next line starting with `WARC/1.`. For `.warc.gz`, each gzip member
//! (usually one record) is decoded on its own, and a corrupt member is passed over by
//! scanning the compressed bytes for the next gzip header.

use super::{FileArticles, decode_with_charset, find, html};
use crate::dates::parse_date;
use crate::model::RawArticle;
use flate2::bufread::GzDecoder;
use input::{Input, is_blank, read_line};
use std::io::{self, BufRead, BufReader, Read};

/// An HTML payload larger than this is skipped ("too large").
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// Unpacked bytes read from one archive before the reader stops (a gzip bomb guard; the
/// archive is streamed, so this bounds time, not memory).
pub const DEFAULT_MAX_UNPACKED_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// A header block (WARC or HTTP) larger than this is malformed.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The gzip magic and deflate method: the start of every gzip member.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Reads an uncompressed archive (or one decompressed by another layer).
pub fn read(input: impl Read, max_unpacked: u64) -> Result<FileArticles, String> {
    let mut archive = Archive::new(max_unpacked);
    if archive.read_stream(input).is_err() {
        archive.count("malformed");
    }
    archive.finish()
}

/// Reads a gzip-compressed archive member by member, passing over corrupt members.
pub fn read_gzip(raw: impl BufRead, max_unpacked: u64) -> Result<FileArticles, String> {
    let mut archive = Archive::new(max_unpacked);
    let mut raw = raw;
    let mut members = 0;
    while !archive.stopped {
        let found = skip_to_gzip_magic(&mut raw).map_err(|error| error.to_string())?;
        if !found {
            break;
        }
        members += 1;
        let member = io::Cursor::new(GZIP_MAGIC).chain(&mut raw);
        if archive.read_stream(GzDecoder::new(member)).is_err() {
            // A corrupt member: whatever record it held is lost, the next member is not.
            archive.count("malformed");
        }
    }
    if members == 0 {
        return Err("not gzip data".to_string());
    }
    archive.finish()
}

/// Consumes bytes up to and including the next gzip magic; false at the end of input.
fn skip_to_gzip_magic(raw: &mut impl BufRead) -> io::Result<bool> {
    let mut matched = 0;
    loop {
        let buffer = raw.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        let mut used = 0;
        for byte in buffer {
            used += 1;
            matched = if *byte == GZIP_MAGIC[matched] {
                matched + 1
            } else if *byte == GZIP_MAGIC[0] {
                1
            } else {
                0
            };
            if matched == GZIP_MAGIC.len() {
                break;
            }
        }
        raw.consume(used);
        if matched == GZIP_MAGIC.len() {
            return Ok(true);
        }
    }
}

/// State of one archive: articles so far and counts of skipped records by reason.
struct Archive {
    found: FileArticles,
    skipped: Vec<(&'static str, usize)>,
    unpacked: u64,
    max_unpacked: u64,
    stopped: bool,
    /// The last record was malformed: garbage right after it is part of it, not counted again.
    after_malformed: bool,
}

/// Reasons in the order the warning lists them.
const REASONS: [&str; 6] = [
    "not html",
    "not http 200",
    "unsupported encoding",
    "too large",
    "no text",
    "malformed",
];

/// The parsed header block of one record.
#[derive(Default)]
struct Record {
    kind: String,
    target: Option<String>,
    date: Option<String>,
    id: Option<String>,
    content_type: Option<String>,
    length: u64,
}

impl Archive {
    fn new(max_unpacked: u64) -> Archive {
        Archive {
            found: FileArticles::default(),
            skipped: REASONS.iter().map(|reason| (*reason, 0)).collect(),
            unpacked: 0,
            max_unpacked,
            stopped: false,
            after_malformed: false,
        }
    }

    fn count(&mut self, reason: &'static str) {
        self.after_malformed = reason == "malformed";
        if let Some(entry) = self.skipped.iter_mut().find(|(name, _)| *name == reason) {
            entry.1 += 1;
        }
    }

    fn finish(mut self) -> Result<FileArticles, String> {
        let total: usize = self.skipped.iter().map(|(_, count)| count).sum();
        if total > 0 {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .filter(|(_, count)| *count > 0)
                .map(|(reason, count)| format!("{count} {reason}"))
                .collect();
            let noun = if total == 1 { "record" } else { "records" };
            self.found
                .warnings
                .push(format!("{total} {noun} skipped: {}", parts.join(", ")));
        }
        if self.stopped {
            self.found.warnings.push(format!(
                "unpacked size over {} MB, rest of file not read",
                self.max_unpacked / 1_000_000
            ));
        }
        for (item, article) in self.found.articles.iter_mut().enumerate() {
            article.item = item;
        }
        if self.found.articles.is_empty() {
            let mut reason = "no html page in archive".to_string();
            if !self.found.warnings.is_empty() {
                reason.push_str(&format!(" ({})", self.found.warnings.join("; ")));
            }
            return Err(reason);
        }
        Ok(self.found)
    }

    /// Reads the records of one stream (a whole file, or one gzip member), within what is
    /// left of the unpacked-size budget. An `Err` is an I/O or decompression error.
    fn read_stream(&mut self, reader: impl Read) -> io::Result<()> {
        let remaining = self.max_unpacked.saturating_sub(self.unpacked);
        let mut input = Input::new(BufReader::with_capacity(64 * 1024, reader), remaining);
        let result = self.read_records(&mut input);
        self.unpacked += input.consumed;
        if input.exhausted {
            self.stopped = true;
        }
        result
    }

    fn read_records<R: BufRead>(&mut self, input: &mut Input<R>) -> io::Result<()> {
        loop {
            let line = read_line(input, MAX_HEADER_BYTES)?;
            if line.is_empty() {
                return Ok(());
            }
            if is_blank(&line) {
                continue;
            }
            if !line.starts_with(b"WARC/1.") {
                // Garbage between records: one malformed count for the whole run.
                if !self.after_malformed {
                    self.count("malformed");
                }
                if !resync(input)? {
                    return Ok(());
                }
                continue;
            }
            let Some(record) = read_record_header(input)? else {
                self.count("malformed");
                if !resync(input)? {
                    return Ok(());
                }
                continue;
            };
            self.after_malformed = false;
            self.read_block(input, record)?;
        }
    }

    /// Reads one record's block and its two trailing line ends.
    fn read_block<R: BufRead>(&mut self, input: &mut Input<R>, record: Record) -> io::Result<()> {
        let mut block = input.by_ref().take(record.length);
        let is_page = matches!(record.kind.as_str(), "response" | "resource");
        let page = if is_page {
            read_page(&mut block, &record)?
        } else {
            Page::default()
        };
        // Pass over whatever of the block was not read.
        io::copy(&mut block, &mut io::sink())?;
        let complete = block.limit() == 0;
        if !complete || !read_trailer(input)? {
            self.count("malformed");
            // A too-long Content-Length swallows the next records: find them in the block.
            if let Some(position) = find(&page.raw, b"\nWARC/1.") {
                input.push_back(&page.raw[position + 1..]);
                return Ok(());
            }
            resync(input)?;
            return Ok(());
        }
        if !is_page {
            return Ok(());
        }
        match page.html {
            Err(reason) => self.count(reason),
            Ok((payload, charset)) => match html_article(&payload, charset.as_deref(), &record) {
                Some(article) => self.found.articles.push(article),
                None => self.count("no text"),
            },
        }
        Ok(())
    }
}

/// The article of an HTML payload: URL from the record, date from the page else the
/// record's WARC-Date, id = WARC-Record-ID.
fn html_article(payload: &[u8], charset: Option<&str>, record: &Record) -> Option<RawArticle> {
    let declared = charset
        .map(str::to_string)
        .or_else(|| super::declared_charset(crate::model::Format::Html, payload));
    let (text, _) = decode_with_charset(payload, declared.as_deref());
    let mut found = html::read(&text).ok()?;
    let mut article = found.articles.pop()?;
    article.url = record.target.clone().or(article.url);
    article.source_id = record.id.clone();
    if article.date.is_none() {
        article.date = record.date.as_deref().and_then(parse_date);
    }
    Some(article)
}

/// What a page record's block held.
struct Page {
    /// The bytes read after the HTTP header (kept for resynchronisation).
    raw: Vec<u8>,
    /// The HTML payload, decoded from its transfer and content encodings, and its charset;
    /// else why the record is skipped.
    html: Result<(Vec<u8>, Option<String>), &'static str>,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            raw: Vec::new(),
            html: Err("not html"),
        }
    }
}

/// Reads the HTTP header (for `application/http` blocks) and, for HTML, the payload.
fn read_page(block: &mut impl BufRead, record: &Record) -> io::Result<Page> {
    let skipped = |reason| Page {
        raw: Vec::new(),
        html: Err(reason),
    };
    let warc_type = record
        .content_type
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut content_type = warc_type.clone();
    let mut chunked = false;
    let mut encoding = String::new();
    if warc_type.starts_with("application/http") {
        let status_line = read_line(block, MAX_HEADER_BYTES)?;
        let status = String::from_utf8_lossy(&status_line).to_string();
        let mut parts = status.split_whitespace();
        let is_http = parts
            .next()
            .is_some_and(|version| version.starts_with("HTTP/"));
        let code = parts.next().unwrap_or("").to_string();
        let Some(headers) = read_headers(block)? else {
            return Ok(skipped("malformed"));
        };
        if !is_http {
            return Ok(skipped("malformed"));
        }
        content_type = header(&headers, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        chunked = header(&headers, "transfer-encoding")
            .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
        encoding = header(&headers, "content-encoding")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if code != "200" {
            return Ok(skipped("not http 200"));
        }
    }
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if mime != "text/html" && mime != "application/xhtml+xml" {
        return Ok(skipped("not html"));
    }
    let mut raw = Vec::new();
    block.take(MAX_PAGE_BYTES + 1).read_to_end(&mut raw)?;
    let charset = content_type
        .find("charset=")
        .and_then(|position| super::charset_value(&content_type.as_bytes()[position + 8..]));
    let html = decode_payload(&raw, chunked, &encoding).map(|payload| (payload, charset));
    Ok(Page { raw, html })
}

/// The payload without its transfer encoding (chunked) and content encoding (gzip, deflate).
fn decode_payload(raw: &[u8], chunked: bool, encoding: &str) -> Result<Vec<u8>, &'static str> {
    if raw.len() as u64 > MAX_PAGE_BYTES {
        return Err("too large");
    }
    let joined;
    let body = if chunked {
        joined = dechunk(raw).ok_or("malformed")?;
        joined.as_slice()
    } else {
        raw
    };
    let mut decoded = Vec::new();
    let result = match encoding {
        "" | "identity" => return Ok(body.to_vec()),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(body)
            .take(MAX_PAGE_BYTES + 1)
            .read_to_end(&mut decoded),
        "deflate" => flate2::read::ZlibDecoder::new(body)
            .take(MAX_PAGE_BYTES + 1)
            .read_to_end(&mut decoded),
        _ => return Err("unsupported encoding"),
    };
    if result.is_err() {
        return Err("malformed");
    }
    if decoded.len() as u64 > MAX_PAGE_BYTES {
        return Err("too large");
    }
    Ok(decoded)
}

/// Joins an HTTP chunked body; `None` when the chunk sizes do not fit.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut joined = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = find(rest, b"\n")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_text = size_text
            .trim()
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let size = usize::from_str_radix(&size_text, 16).ok()?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Some(joined);
        }
        if size > rest.len() {
            return None;
        }
        joined.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Reads the named header lines after a `WARC/1.x` line; `None` when malformed (no
/// usable Content-Length, header too large or cut off).
fn read_record_header(input: &mut impl BufRead) -> io::Result<Option<Record>> {
    let Some(headers) = read_headers(input)? else {
        return Ok(None);
    };
    let Some(length) =
        header(&headers, "content-length").and_then(|value| value.trim().parse::<u64>().ok())
    else {
        return Ok(None);
    };
    let text = |name: &str| {
        header(&headers, name).map(|value| value.trim().trim_matches(['<', '>']).to_string())
    };
    Ok(Some(Record {
        kind: text("warc-type").unwrap_or_default().to_ascii_lowercase(),
        target: text("warc-target-uri"),
        date: text("warc-date"),
        id: text("warc-record-id"),
        content_type: text("content-type"),
        length,
    }))
}

/// Header lines up to a blank line, as (lower-case name, value); `None` when too large or
/// cut off by the end of input.
fn read_headers(input: &mut impl BufRead) -> io::Result<Option<Vec<(String, String)>>> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut size = 0;
    loop {
        let line = read_line(input, MAX_HEADER_BYTES)?;
        if line.is_empty() {
            return Ok(None);
        }
        size += line.len();
        if size > MAX_HEADER_BYTES {
            return Ok(None);
        }
        if is_blank(&line) {
            return Ok(Some(headers));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Reads the CRLF CRLF after a block (bare LFs accepted). When something else is there,
/// what was read is pushed back and the result is false.
fn read_trailer<R: BufRead>(input: &mut Input<R>) -> io::Result<bool> {
    let mut read = Vec::new();
    for _ in 0..2 {
        let line = read_line(input, MAX_HEADER_BYTES)?;
        read.extend_from_slice(&line);
        if line.is_empty() || !is_blank(&line) {
            input.push_back(&read);
            return Ok(false);
        }
    }
    Ok(true)
}

/// Skips lines until one starts with `WARC/1.`, which is pushed back; false at the end.
fn resync<R: BufRead>(input: &mut Input<R>) -> io::Result<bool> {
    loop {
        let line = read_line(input, MAX_HEADER_BYTES)?;
        if line.is_empty() {
            return Ok(false);
        }
        if line.starts_with(b"WARC/1.") {
            input.push_back(&line);
            return Ok(true);
        }
    }
}

mod input;
#[cfg(test)]
mod tests;
