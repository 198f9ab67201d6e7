//! Hostile input beside good articles: every bad file is skipped with its reason, every
//! good article is searchable, the run exits 0 and stays small in memory.

mod common;

use common::{hit_ids, newsdex, search_json, write_files};

/// A billion-laughs feed: nested entities that would expand to gigabytes.
fn billion_laughs() -> String {
    let mut entities = String::from("<!ENTITY lol \"lol\">\n");
    for level in 2..=9 {
        let previous = if level == 2 {
            "lol".to_string()
        } else {
            format!("lol{}", level - 1)
        };
        let body = format!("&{previous};").repeat(10);
        entities.push_str(&format!("<!ENTITY lol{level} \"{body}\">\n"));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n{entities}]>\n<rss version=\"2.0\"><channel><title>Lolz</title>\
         <item><title>Laughs &lol9;</title><description>&lol9;</description></item></channel></rss>\n"
    )
}

/// Peak resident memory of the finished child processes of this test process, in bytes.
#[cfg(target_os = "linux")]
fn children_peak_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is a valid target.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn bad_files_are_skipped_with_reasons_and_good_articles_survive() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path();
    write_files(
        path,
        &[
            (
                "good/budget.txt",
                "Council approves budget\n\nThe city council approved its budget on Tuesday after a long debate about library hours.\n",
            ),
            (
                "good/ferry.json",
                r#"{"title": "Ferry services cut", "body": "Ferry services to the islands were cut on Friday after a second vessel broke down.", "date": "2025-02-07"}"#,
            ),
            ("bad/empty.txt", ""),
            (
                "bad/truncated.json",
                r#"{"title": "Cut off", "body": "The council said"#,
            ),
            ("bad/laughs.rss", &billion_laughs()),
        ],
    );
    let random: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(path.join("bad/random.txt"), random).unwrap();
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    std::fs::write(path.join("bad/deep.json"), deep).unwrap();
    let mut long = b"Headline\n\n".to_vec();
    long.extend(std::iter::repeat_n(b'x', 20_000_000));
    std::fs::write(path.join("bad/long.txt"), long).unwrap();
    std::fs::write(
        path.join("good/latin1.txt"),
        b"Caf\xe9 owners protest\n\nCaf\xe9 owners in Lyon protested on Monday against rent rises.\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::os::unix::fs::symlink(path, path.join("bad/loop")).unwrap();
        let name = std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9.txt");
        std::fs::write(
            path.join("good").join(name),
            "Mayor sets out plans\n\nThe mayor set out plans for new cycle lanes on Wednesday.\n",
        )
        .unwrap();
    }

    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    let report = common::index_json(path, &index);
    let mut skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    skipped.sort();
    let expected = [
        (
            "bad/deep.json",
            "invalid json: recursion limit exceeded at line 1 column 128",
        ),
        ("bad/empty.txt", "empty file"),
        (
            "bad/long.txt",
            "a line of 20.0 MB: not article text (limit 1 MB per line)",
        ),
        ("bad/loop", "symlink loop"),
        ("bad/random.txt", "binary data, not text"),
        (
            "bad/truncated.json",
            "invalid json: EOF while parsing a string at line 1 column 46",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    assert_eq!(skipped, expected);
    // The feed's unexpanded entities stay text: an article, not a memory bomb.
    assert_eq!(report["indexed"], 5);
    for (query, id) in [
        ("budget", "good/budget.txt#0"),
        ("ferry", "good/ferry.json#0"),
        ("café", "good/latin1.txt#0"),
        ("cycle lanes", "good/r\u{fffd}sum\u{fffd}.txt#0"),
        ("laughs", "bad/laughs.rss#0"),
    ] {
        let (_, response) = search_json(&index, &[query]);
        assert_eq!(hit_ids(&response), [id], "{query}");
    }
    #[cfg(target_os = "linux")]
    assert!(
        children_peak_rss() < 1 << 30,
        "peak RSS {} bytes",
        children_peak_rss()
    );
}

/// One JSON Lines article of about 2.3 KB whose body ends in a word of its own (`zq7x`).
fn port_report(number: usize) -> String {
    let filler = "The port authority said shipping volumes held steady through the quarter \
                  while crews worked extra shifts. "
        .repeat(20);
    format!(
        "{{\"title\": \"Port report {number}\", \"body\": \"{filler}Reference zq{number}x.\", \"date\": \"2025-03-01\"}}\n"
    )
}

#[test]
fn a_json_lines_file_over_the_whole_file_cap_is_streamed_line_by_line() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path();
    // 2,400 articles (about 5.6 MB) with, among them, a broken line, a line over the
    // 16 MB line limit and an object that is no article.
    let mut lines = String::new();
    for number in 0..1200 {
        lines.push_str(&port_report(number));
    }
    lines.push_str("{\"title\": \"broken\n");
    lines.push_str(&format!(
        "{{\"title\": \"huge\", \"body\": \"{}\"}}\n",
        "x".repeat(17_000_000)
    ));
    lines.push_str("{\"foo\": 1}\n");
    for number in 1200..2400 {
        lines.push_str(&port_report(number));
    }
    std::fs::write(path.join("ports.jsonl"), &lines).unwrap();
    // A compressed file is streamed too.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for number in 5000..5050 {
        std::io::Write::write_all(&mut encoder, port_report(number).as_bytes()).unwrap();
    }
    std::fs::write(path.join("more.ndjson.gz"), encoder.finish().unwrap()).unwrap();
    // A JSON array over the cap is still loaded whole, so it is skipped.
    let array: Vec<String> = (9000..9001 + 1300)
        .map(|number| port_report(number).trim_end().to_string())
        .collect();
    let array = format!("[{}]", array.join(",\n"));
    std::fs::write(path.join("array.json"), &array).unwrap();

    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    let run = || {
        common::success_json(
            newsdex()
                .env("NEWSDEX_MAX_FILE_MB", "2")
                .args(["index", "--json", "--index"])
                .arg(&index)
                .arg(path),
        )
    };
    let report = run();
    assert_eq!(report["indexed"], 2450);
    assert_eq!(
        report["skipped"],
        serde_json::json!([{
            "path": "array.json",
            "reason": format!(
                "file too large ({:.1} MB, limit 2 MB)",
                array.len() as f64 / (1024.0 * 1024.0)
            ),
        }])
    );
    let warnings: Vec<(&str, &str)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["path"].as_str().unwrap(), w["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "ports.jsonl",
                "line 1201: invalid json: EOF while parsing a string at line 1 column 17"
            ),
            (
                "ports.jsonl",
                "line 1202: a line of 17.0 MB, over the 16 MB limit"
            ),
            ("ports.jsonl", "line 1203: no title or body"),
        ]
    );
    // Ids are path and line number as for a file loaded whole; the lines after the long
    // one are all there.
    for (word, id) in [
        ("zq0x", "ports.jsonl#0"),
        ("zq1199x", "ports.jsonl#1199"),
        ("zq1200x", "ports.jsonl#1203"),
        ("zq2399x", "ports.jsonl#2402"),
        ("zq5049x", "more.ndjson.gz#49"),
    ] {
        let (_, response) = search_json(&index, &[word]);
        assert_eq!(hit_ids(&response), [id], "{word}");
    }
    let (_, response) = search_json(&index, &["--limit", "0"]);
    assert_eq!(response["total"], 2450);
    let (_, response) = search_json(&index, &["Port report 2399"]);
    assert_eq!(response["hits"][0]["id"], "ports.jsonl#2402");

    // Nothing changed: nothing is read again.
    let report = run();
    assert_eq!(report["indexed"], 0);
    assert_eq!(report["unchanged"], 2450);
}
