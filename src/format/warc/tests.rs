use super::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

fn page(title: &str, date: Option<&str>) -> String {
    let meta = date
        .map(|date| format!("<meta property=\"article:published_time\" content=\"{date}\">"))
        .unwrap_or_default();
    format!(
        "<!doctype html><html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>\
         <p>The council said on Monday that the work on {title} would take three more weeks to finish.</p>\
         </article></body></html>"
    )
}

fn http(status: &str, content_type: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut block =
        format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}\r\n").into_bytes();
    block.extend_from_slice(body);
    block
}

fn record(kind: &str, uri: &str, id: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    record_with_length(kind, uri, id, content_type, block, &block.len().to_string())
}

fn record_with_length(
    kind: &str,
    uri: &str,
    id: &str,
    content_type: &str,
    block: &[u8],
    length: &str,
) -> Vec<u8> {
    let mut bytes = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-03-01T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{id}>\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

fn response(uri: &str, id: &str, title: &str) -> Vec<u8> {
    let block = http(
        "200 OK",
        "text/html; charset=utf-8",
        "",
        page(title, None).as_bytes(),
    );
    record(
        "response",
        uri,
        id,
        "application/http; msgtype=response",
        &block,
    )
}

fn titles(found: &FileArticles) -> Vec<String> {
    found
        .articles
        .iter()
        .map(|article| article.title.clone().unwrap_or_default())
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

const BIG: u64 = DEFAULT_MAX_UNPACKED_BYTES;

#[test]
fn html_responses_become_articles_and_the_rest_is_counted() {
    let mut archive = record(
        "warcinfo",
        "",
        "0",
        "application/warc-fields",
        b"software: test\r\n",
    );
    archive.extend(record(
        "request",
        "https://a.example/1",
        "r1",
        "application/http; msgtype=request",
        b"GET /1 HTTP/1.1\r\n\r\n",
    ));
    archive.extend(response("https://a.example/1", "1", "Bridge repairs"));
    let png = http("200 OK", "image/png", "", b"\x89PNG\r\n\x1a\n\0\0");
    archive.extend(record(
        "response",
        "https://a.example/logo.png",
        "2",
        "application/http; msgtype=response",
        &png,
    ));
    let missing = http(
        "404 Not Found",
        "text/html",
        "",
        b"<html><body>Not here</body></html>",
    );
    archive.extend(record(
        "response",
        "https://a.example/gone",
        "3",
        "application/http; msgtype=response",
        &missing,
    ));
    let dated = page("Library reopens", Some("2025-02-20T09:00:00Z"));
    archive.extend(record(
        "resource",
        "https://a.example/lib",
        "4",
        "text/html",
        dated.as_bytes(),
    ));
    // Chunked and gzip-encoded, as some crawlers store the payload as received.
    let compressed = gzip(page("Tram line extended", None).as_bytes());
    let mut chunked = format!("{:x}\r\n", 10).into_bytes();
    chunked.extend_from_slice(&compressed[..10]);
    chunked.extend_from_slice(format!("\r\n{:x}\r\n", compressed.len() - 10).as_bytes());
    chunked.extend_from_slice(&compressed[10..]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let encoded = http(
        "200 OK",
        "text/html",
        "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
        &chunked,
    );
    archive.extend(record(
        "response",
        "https://a.example/tram",
        "5",
        "application/http; msgtype=response",
        &encoded,
    ));

    let found = read(archive.as_slice(), BIG).unwrap();
    assert_eq!(
        titles(&found),
        ["Bridge repairs", "Library reopens", "Tram line extended"]
    );
    assert_eq!(
        found.warnings,
        ["2 records skipped: 1 not html, 1 not http 200"]
    );
    let first = &found.articles[0];
    assert_eq!(first.url.as_deref(), Some("https://a.example/1"));
    assert_eq!(first.source_id.as_deref(), Some("urn:uuid:1"));
    // No date in the page: the crawl date.
    assert_eq!(
        first.date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-03-01T10:00:00+00:00")
    );
    assert_eq!(
        found.articles[1].date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-02-20T09:00:00+00:00")
    );
    assert_eq!(found.articles[2].item, 2);
}

#[test]
fn http_charset_is_honoured() {
    let html = "<html><body><article><h1>Caf\u{e9} owners protest</h1><p>Owners of every caf\u{e9} in the old town closed their doors on Friday in protest at rents.</p></article></body></html>";
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(html);
    let block = http("200 OK", "text/html; charset=ISO-8859-1", "", &latin1);
    let archive = record(
        "response",
        "https://a.example/c",
        "1",
        "application/http; msgtype=response",
        &block,
    );
    let found = read(archive.as_slice(), BIG).unwrap();
    assert_eq!(titles(&found), ["Caf\u{e9} owners protest"]);
}

#[test]
fn malformed_records_never_lose_the_rest() {
    let mut archive = response("https://a.example/1", "1", "First story");
    // Content-Length that is not a number.
    archive.extend(record_with_length(
        "response",
        "https://a.example/x",
        "x",
        "application/http; msgtype=response",
        b"HTTP/1.1 200 OK\r\n\r\n",
        "twelve",
    ));
    archive.extend(response("https://a.example/2", "2", "Second story"));
    // Garbage between records.
    archive.extend(b"\x00\x01 not a record at all\nmore junk\n");
    archive.extend(response("https://a.example/3", "3", "Third story"));
    // Content-Length too short: the record is cut, the next one is found again.
    let block = http("200 OK", "text/html", "", page("Short", None).as_bytes());
    archive.extend(record_with_length(
        "response",
        "https://a.example/s",
        "s",
        "application/http; msgtype=response",
        &block,
        "40",
    ));
    archive.extend(response("https://a.example/4", "4", "Fourth story"));
    // Content-Length too long: it swallows the next record, which is found in the block.
    archive.extend(record_with_length(
        "response",
        "https://a.example/l",
        "l",
        "application/http; msgtype=response",
        &block,
        &(block.len() + 200).to_string(),
    ));
    archive.extend(response("https://a.example/5", "5", "Fifth story"));
    // A huge declared length at the end, then the file ends (a truncated record).
    archive.extend(record_with_length(
        "response",
        "https://a.example/h",
        "h",
        "application/http; msgtype=response",
        &block,
        "18446744073709551615",
    ));

    let found = read(archive.as_slice(), BIG).unwrap();
    assert_eq!(
        titles(&found),
        [
            "First story",
            "Second story",
            "Third story",
            "Fourth story",
            "Fifth story"
        ]
    );
    assert_eq!(found.warnings, ["5 records skipped: 5 malformed"]);
}

#[test]
fn truncated_and_empty_archives() {
    let whole = response("https://a.example/1", "1", "Only story");
    let mut cut = whole.clone();
    cut.extend(&response("https://a.example/2", "2", "Cut story")[..300]);
    let found = read(cut.as_slice(), BIG).unwrap();
    assert_eq!(titles(&found), ["Only story"]);
    assert_eq!(found.warnings, ["1 record skipped: 1 malformed"]);
    for length in 0..whole.len() {
        let _ = read(&whole[..length], BIG);
    }
    assert_eq!(
        read(&b"WARC/1.0\r\nWARC-Type: response\r\n"[..], BIG).unwrap_err(),
        "no html page in archive (1 record skipped: 1 malformed)"
    );
    assert_eq!(read(&b""[..], BIG).unwrap_err(), "no html page in archive");
}

#[test]
fn corrupt_gzip_member_in_the_middle_loses_only_its_record() {
    let mut compressed = Vec::new();
    let mut members = Vec::new();
    for (index, title) in ["Alpha story", "Beta story", "Gamma story", "Delta story"]
        .iter()
        .enumerate()
    {
        let member = gzip(&response(
            &format!("https://a.example/{index}"),
            &index.to_string(),
            title,
        ));
        members.push((compressed.len(), member.len()));
        compressed.extend(member);
    }
    let whole = read_gzip(compressed.as_slice(), BIG).unwrap();
    assert_eq!(
        titles(&whole),
        ["Alpha story", "Beta story", "Gamma story", "Delta story"]
    );
    assert!(whole.warnings.is_empty());
    // Flip bytes in the middle of the second member's deflate data.
    let (start, length) = members[1];
    for byte in &mut compressed[start + 20..start + length / 2] {
        *byte ^= 0x55;
    }
    let found = read_gzip(compressed.as_slice(), BIG).unwrap();
    assert_eq!(
        titles(&found),
        ["Alpha story", "Gamma story", "Delta story"]
    );
    assert_eq!(found.warnings, ["1 record skipped: 1 malformed"]);
    // Garbage between members and a truncated last member.
    let mut messy = b"junk".to_vec();
    messy.extend(gzip(&response("https://a.example/9", "9", "Lone story")));
    messy.extend(b"\x1f\x8b\x08 more junk");
    let found = read_gzip(messy.as_slice(), BIG).unwrap();
    assert_eq!(titles(&found), ["Lone story"]);
    assert_eq!(
        read_gzip(&b"plain text"[..], BIG).unwrap_err(),
        "not gzip data"
    );
}

#[test]
fn unpacked_budget_stops_a_bomb() {
    // A record declaring a big block of zeros: the reader stops at the budget.
    let mut archive = response("https://a.example/1", "1", "Before the bomb");
    let zeros = vec![0u8; 1 << 20];
    archive.extend(record(
        "resource",
        "https://a.example/z",
        "z",
        "application/octet-stream",
        &zeros,
    ));
    let compressed = gzip(&archive);
    let found = read_gzip(compressed.as_slice(), 100_000).unwrap();
    assert_eq!(titles(&found), ["Before the bomb"]);
    assert_eq!(
        found.warnings,
        [
            "1 record skipped: 1 malformed",
            "unpacked size over 0 MB, rest of file not read"
        ]
    );
}
