//! Archive formats end to end through the real binary: WARC (plain and gzip, with a corrupt
//! record), NITF, NewsML-G2, Reuters SGML, `.gz`/`.zst`/`.bz2` files, `.zip` archives,
//! declared and guessed encodings, and a gzip bomb.

mod common;

use common::{index_json, newsdex, sample_corpus, search_json, write_files};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Copies `sample-corpus/{archives,wire}` into `root`.
fn copy_archive_samples(root: &Path) {
    for folder in ["archives", "wire"] {
        let source = sample_corpus().join(folder);
        std::fs::create_dir_all(root.join(folder)).unwrap();
        for entry in std::fs::read_dir(&source).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), root.join(folder).join(entry.file_name())).unwrap();
        }
    }
}

/// (path#item, id, title) of every hit, oldest first.
fn all_hits(index: &Path) -> Vec<(String, String, String)> {
    let (_, response) = search_json(index, &["--sort", "oldest", "--limit", "100"]);
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            (
                format!("{}#{}", hit["path"].as_str().unwrap(), hit["item"]),
                hit["id"].as_str().unwrap().to_string(),
                hit["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `newsdex extract PATH --json` lines, and stderr.
fn extract(path: &Path) -> (Vec<Value>, String) {
    let output = newsdex()
        .arg("extract")
        .arg(path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success());
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (lines, String::from_utf8(output.stderr).unwrap())
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().map(|item| item.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn one_example_of_each_format_is_indexed_exactly() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    copy_archive_samples(&root);
    let index = directory.path().join("index");
    let report = index_json(&root, &index);
    assert_eq!(report["indexed"], 14);
    assert_eq!(report["files"], 9);
    assert_eq!(report["skipped"], serde_json::json!([]));
    let warnings: Vec<(String, String)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["path"].as_str().unwrap().into(),
                w["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [(
            "archives/crawl.warc.gz".to_string(),
            "2 records skipped: 1 not html, 1 not http 200".to_string()
        ),]
    );
    let hits = all_hits(&index);
    let expected = [
        (
            "wire/wheat-and-steel.sgm#0",
            "90001",
            "U.S. OFFERS SUBSIDISED WHEAT TO EGYPT UNDER BONUS PLAN",
        ),
        (
            "wire/wheat-and-steel.sgm#1",
            "90002",
            "JAPAN CRUDE STEEL OUTPUT FALLS AS KOREAN EXPORTS RISE",
        ),
        (
            "wire/wheat-and-steel.sgm#2",
            "90003",
            "TREASURY BALANCES AT FED ROSE ON MARCH 3",
        ),
        (
            "archives/crawl.warc.gz#2",
            "urn:uuid:6e2f0c1a-0000-4000-8000-000000000006",
            "Geneva café owners protest rent rises in the old town",
        ),
        (
            "archives/crawl.warc.gz#0",
            "urn:uuid:6e2f0c1a-0000-4000-8000-000000000003",
            "Lisbon reopens Tram 28 after six-month track renewal",
        ),
        (
            "archives/briefs.jsonl.gz#0",
            "ndx-brief-0412",
            "Chile approves lithium joint venture between Codelco and SQM",
        ),
        (
            "archives/briefs.jsonl.gz#1",
            "ndx-brief-0528",
            "Norway's wealth fund posts first-quarter loss as tech shares slide",
        ),
        (
            "wire/kenya-floods.nitf.xml#0",
            "NDX-20250508-KE-FLOODS",
            "Floods displace thousands in eastern Kenya as rivers burst their banks",
        ),
        (
            "wire/rail-strike.newsml.xml#0",
            "urn:newsml:newsdex.example:20250618:de-rail-strike",
            "Train drivers' strike halts most long-distance services in Germany",
        ),
        (
            "archives/bundle.zip/culture/edinburgh-fringe.txt#0",
            "archives/bundle.zip/culture/edinburgh-fringe.txt#0",
            "Edinburgh Fringe sells record number of tickets despite housing squeeze",
        ),
        (
            "archives/bundle.zip/science/mars-sample.html#0",
            "archives/bundle.zip/science/mars-sample.html#0",
            "China's Tianwen-3 mission passes key test before 2028 Mars sample launch",
        ),
        (
            "archives/harbour-strike.html.bz2#0",
            "archives/harbour-strike.html.bz2#0",
            "Rotterdam port lashers end strike after pay deal",
        ),
        (
            "archives/crawl.warc.gz#1",
            "urn:uuid:6e2f0c1a-0000-4000-8000-000000000004",
            "New eruption on Reykjanes peninsula forces Grindavík evacuation",
        ),
        (
            "archives/storm-notes.md.zst#0",
            "archives/storm-notes.md.zst#0",
            "Storm Floris grounds ferries and closes Scottish rail lines",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(path, id, title)| (path.to_string(), id.to_string(), title.to_string()))
        .collect();
    assert_eq!(hits, expected);

    // A second run reads nothing again.
    let again = index_json(&root, &index);
    assert_eq!(
        (again["indexed"].clone(), again["unchanged"].clone()),
        (0.into(), 14.into())
    );
}

#[test]
fn extract_shows_source_tags_urls_and_dates() {
    let wire = sample_corpus().join("wire");
    let (articles, stderr) = extract(&wire);
    assert_eq!(stderr, "");
    let nitf = &articles[0];
    assert_eq!(nitf["path"], "kenya-floods.nitf.xml");
    assert_eq!(nitf["date"], "2025-05-08T06:00:00Z");
    assert_eq!(nitf["byline"], "By Wanjiru Kamau");
    assert_eq!(
        strings(&nitf["tagged_people"]),
        ["William Ruto", "Halima Abdi"]
    );
    assert_eq!(
        strings(&nitf["tagged_places"]),
        ["Tana River", "Garissa", "Somalia"]
    );
    assert_eq!(strings(&nitf["tagged_orgs"]), ["Kenya Red Cross", "UNICEF"]);
    // Tagged names are entities; a tagged organization is never a person.
    assert_eq!(strings(&nitf["people"]), ["Halima Abdi", "William Ruto"]);
    assert_eq!(strings(&nitf["countries"]), ["KE", "SO"]);
    assert!(strings(&nitf["orgs"]).contains(&"Kenya Red Cross"));
    let newsml = &articles[1];
    assert_eq!(newsml["date"], "2025-06-18T07:05:00Z");
    assert_eq!(newsml["source"], "Newsdex Wire");
    assert_eq!(newsml["byline"], "Lena Vogt");
    assert_eq!(newsml.get("tags"), None);
    let reuters = &articles[2];
    assert_eq!(reuters["id"], "90001");
    assert_eq!(reuters["date"], "1987-03-03T09:12:44Z");
    assert_eq!(
        strings(&reuters["tags"]),
        ["place:usa", "place:egypt", "person:lyng"]
    );
    assert_eq!(
        strings(&articles[3]["tags"]),
        ["place:japan", "place:south-korea"]
    );
    // The unprocessed table story: first line as headline.
    assert_eq!(
        articles[4]["title"],
        "TREASURY BALANCES AT FED ROSE ON MARCH 3"
    );
    assert_eq!(strings(&articles[4]["tags"]), ["place:usa"]);
    assert_eq!(articles.len(), 5);

    let (crawl, stderr) = extract(&sample_corpus().join("archives/crawl.warc.gz"));
    assert_eq!(
        stderr,
        "newsdex: warning: crawl.warc.gz: 2 records skipped: 1 not html, 1 not http 200\n"
    );
    let urls: Vec<&str> = crawl.iter().map(|a| a["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://harbourlight.example/europe/lisbon-tram-28",
            "https://northatlantic.example/iceland/grindavik-eruption",
            "https://lakeside.example/geneve/cafes-rent-protest"
        ]
    );
    // The page's own date, else the record's WARC-Date.
    let dates: Vec<&str> = crawl.iter().map(|a| a["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2025-03-17T07:30:00Z",
            "2025-10-20T09:00:05Z",
            "2025-02-07T00:00:00Z"
        ]
    );
}

/// One WARC response record holding an HTML page with `title`, dated 2025-05-`day`.
fn record(number: usize, day: usize, title: &str) -> Vec<u8> {
    let page = format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Reporters \
         said the story of {title} was confirmed by three officials on Wednesday afternoon.</p>\
         </article></body></html>"
    );
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://crawl.example/{number}\r\n\
         WARC-Date: 2025-05-{day:02}T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:test-{number}>\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    )
    .into_bytes()
}

#[test]
fn corrupt_record_in_the_middle_of_a_warc_gz_loses_only_itself() {
    let titles = [
        "Harbour wall repaired",
        "Council budget passed",
        "Orchard frost losses",
        "Ferry timetable changes",
        "Museum roof appeal",
    ];
    // One gzip member a record, as crawlers write them; the third member is corrupted.
    let mut archive = Vec::new();
    for (number, title) in titles.iter().enumerate() {
        let member = gzip(&record(number, number + 1, title));
        if number == 2 {
            let mut member = member;
            let length = member.len();
            for byte in &mut member[15..length - 10] {
                *byte = byte.wrapping_mul(31).wrapping_add(7);
            }
            archive.extend(member);
        } else {
            archive.extend(member);
        }
    }
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("crawl.warc.gz"), &archive).unwrap();
    // Uncompressed, with garbage between two records.
    let mut plain = record(10, 10, "Night bus trial");
    plain.extend_from_slice(b"\x00\x00 garbage from a bad disk \xff\xfe\n");
    plain.extend(record(11, 11, "Bakery wins award"));
    std::fs::write(root.join("plain.warc"), &plain).unwrap();

    let index = directory.path().join("index");
    let report = index_json(&root, &index);
    assert_eq!(report["indexed"], 6);
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            format!(
                "{}: {}",
                w["path"].as_str().unwrap(),
                w["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "crawl.warc.gz: 1 record skipped: 1 malformed",
            "plain.warc: 1 record skipped: 1 malformed"
        ]
    );
    let found: Vec<String> = all_hits(&index)
        .into_iter()
        .map(|(path, id, title)| format!("{path} {id} {title}"))
        .collect();
    assert_eq!(
        found,
        [
            "crawl.warc.gz#0 urn:uuid:test-0 Harbour wall repaired",
            "crawl.warc.gz#1 urn:uuid:test-1 Council budget passed",
            "crawl.warc.gz#2 urn:uuid:test-3 Ferry timetable changes",
            "crawl.warc.gz#3 urn:uuid:test-4 Museum roof appeal",
            "plain.warc#0 urn:uuid:test-10 Night bus trial",
            "plain.warc#1 urn:uuid:test-11 Bakery wins award"
        ]
    );
}

#[test]
fn gzip_bomb_is_skipped_with_a_reason() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    // 8 gzip members of 64 MiB of zeros: 512 MiB unpacked from about half a megabyte.
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let member = encoder.finish().unwrap();
    let bomb: Vec<u8> = member.repeat(8);
    assert!(bomb.len() < 3_000_000, "{}", bomb.len());
    // Loaded whole: capped while unpacking.
    std::fs::write(root.join("bomb.txt.gz"), &bomb).unwrap();
    // Streamed (JSON Lines is never loaded whole): its first bytes are not text.
    std::fs::write(root.join("zeros.jsonl.gz"), &bomb).unwrap();
    std::fs::write(
        root.join("fine.txt.gz"),
        gzip(b"Harbour reopens\n\nThe harbour reopened to small boats on Sunday after repairs."),
    )
    .unwrap();
    let index = directory.path().join("index");
    let output = newsdex()
        .env("NEWSDEX_MAX_UNPACKED_MB", "100")
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(&root)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["indexed"], 1);
    assert_eq!(
        report["skipped"],
        serde_json::json!([
            {"path": "bomb.txt.gz", "reason": "unpacked size over 100 MB"},
            {"path": "zeros.jsonl.gz", "reason": "binary data, not text"}
        ])
    );
    newsdex()
        .env("NEWSDEX_MAX_UNPACKED_MB", "lots")
        .args(["index", "--index"])
        .arg(&index)
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "NEWSDEX_MAX_UNPACKED_MB=\"lots\" is not a number",
        ));
}

#[test]
fn declared_and_guessed_encodings() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    let russian_title = "Москва открыла новую линию метро";
    let page = format!(
        "<html><head><meta charset=\"windows-1251\"><title>{russian_title}</title></head><body><article>\
         <h1>{russian_title}</h1><p>Новая линия метро соединила север и юг города, сообщили в мэрии в понедельник.</p>\
         </article></body></html>"
    );
    let (page_bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    let text = format!(
        "{russian_title}\n\nНовая линия метро соединила север и юг города, сообщили в мэрии."
    );
    let (text_bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("metro.html"), &page_bytes).unwrap();
    std::fs::write(root.join("metro.txt"), &text_bytes).unwrap();
    write_files(&root, &[("plain.txt", "Plain title\n\nPlain body text.")]);
    let (articles, stderr) = extract(&root);
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, [russian_title, russian_title, "Plain title"]);
    // Declared in the page: no warning; guessed for the text file: a warning naming it.
    assert_eq!(
        stderr,
        "newsdex: warning: metro.txt: not valid utf-8, decoded as windows-1251\n"
    );
}
