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
    let output = newsdex()
        .args(["index", "--json", "--index"])
        .arg(&index)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
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
