//! Duplicate stories stored once (issue 6): every copy keeps its own id, path and source
//! and shows the full body, and the body survives when the file that stored it goes away.

mod common;

use common::{hit_ids, index_json, newsdex, search_json, write_files};
use serde_json::Value;
use std::path::Path;

const BODY: &str = "Prime Minister Keir Starmer visited the harbour town of Fowey in Cornwall \
on Thursday after the storm. Fishermen told Starmer the sea wall gave way shortly after \
midnight, and the Environment Agency promised repairs in England.";

/// A text file of the storm story with a `Source:` header: same normalized text whatever
/// the source.
fn storm(source: &str) -> String {
    format!("Title: Harbour wall breached\nSource: {source}\n\n{BODY}\n")
}

/// `newsdex show ID --json`.
fn show(index: &Path, id: &str) -> Value {
    common::success_json(newsdex().args(["show", id, "--json", "--index"]).arg(index))
}

/// (report counts) indexed, updated, unchanged, removed, duplicates, promoted, total.
fn counts(report: &Value) -> [u64; 7] {
    [
        "indexed",
        "updated",
        "unchanged",
        "removed",
        "duplicates",
        "promoted",
        "total",
    ]
    .map(|key| report[key].as_u64().unwrap())
}

fn stats_articles(index: &Path) -> u64 {
    let output = newsdex()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    stats["articles"].as_u64().unwrap()
}

/// Every copy shows the body and mentions and is found by its words and by its source.
fn assert_copies_complete(index: &Path, ids: &[&str]) {
    for id in ids {
        let article = show(index, id);
        assert_eq!(article["id"], *id);
        assert_eq!(article["body"], BODY, "{id}");
        assert_eq!(
            article["people"],
            serde_json::json!(["Keir Starmer"]),
            "{id}"
        );
        assert_eq!(article["countries"], serde_json::json!(["GB"]), "{id}");
        assert_eq!(
            article["orgs"],
            serde_json::json!(["Environment Agency"]),
            "{id}"
        );
        let mentions: Vec<&str> = article["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|mention| mention["text"].as_str().unwrap())
            .collect();
        assert_eq!(
            mentions,
            ["Keir Starmer", "Starmer", "Environment Agency", "England"],
            "{id}"
        );
    }
    let (_, response) = search_json(index, &["sea wall midnight", "--person", "starmer"]);
    assert_eq!(response["total"], ids.len());
    assert_eq!(response["hits"][0]["copies"], ids.len());
    let snippet = response["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("told <b>Starmer</b> the <b>sea wall</b> gave way"),
        "{snippet}"
    );
    for id in ids {
        let source = id.split('/').next().unwrap();
        let (_, response) = search_json(index, &["sea wall", "--source", source]);
        assert_eq!(hit_ids(&response), [*id], "{source}");
        let text = newsdex()
            .args(["show", id, "--index"])
            .arg(index)
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&text.stdout).contains(BODY),
            "{id}: {}",
            String::from_utf8_lossy(&text.stdout)
        );
    }
}

#[test]
fn copies_show_the_body_stored_once_and_keep_it_when_its_file_goes() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    let index = directory.path().join("index");
    write_files(
        &root,
        &[
            ("alpha/storm.txt", &storm("alpha")),
            ("beta/storm.txt", &storm("beta")),
            ("gamma/storm.txt", &storm("gamma")),
            (
                "other.txt",
                "Council approves budget\n\nThe city council approved its budget on Tuesday.\n",
            ),
        ],
    );
    let report = index_json(&root, &index);
    // indexed, updated, unchanged, removed, duplicates, promoted, total
    assert_eq!(counts(&report), [4, 0, 0, 0, 2, 0, 4]);
    assert_eq!(stats_articles(&index), 4);
    assert_copies_complete(
        &index,
        &["alpha/storm.txt#0", "beta/storm.txt#0", "gamma/storm.txt#0"],
    );

    // The first copy in walk order stores the body; delete it.
    std::fs::remove_file(root.join("alpha/storm.txt")).unwrap();
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 0, 3, 1, 0, 1, 3]);
    assert_eq!(stats_articles(&index), 3);
    assert_copies_complete(&index, &["beta/storm.txt#0", "gamma/storm.txt#0"]);
    let (code, _) = search_json(&index, &["sea wall", "--source", "alpha"]);
    assert_eq!(code, 1);

    // The new holder changes while the last copy is only touched: the touched file is
    // indexed again (its copy's holder is going away) and takes over the body.
    write_files(
        &root,
        &[(
            "beta/storm.txt",
            "Title: Harbour repaired\nSource: beta\n\nThe harbour wall at Fowey was repaired by March.\n",
        )],
    );
    let touched = std::fs::File::options()
        .append(true)
        .open(root.join("gamma/storm.txt"))
        .unwrap();
    touched
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    drop(touched);
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 2, 1, 0, 0, 0, 3]);
    assert_eq!(stats_articles(&index), 3);
    assert_copies_complete(&index, &["gamma/storm.txt#0"]);
    assert_eq!(
        show(&index, "beta/storm.txt#0")["body"],
        "The harbour wall at Fowey was repaired by March."
    );

    // Unchanged: nothing read, nothing handed over.
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 0, 3, 0, 0, 0, 3]);
}

#[test]
fn a_copy_in_an_unchanged_file_takes_over_when_the_holder_changes() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("corpus");
    let index = directory.path().join("index");
    write_files(
        &root,
        &[
            ("alpha/storm.txt", &storm("alpha")),
            ("beta/storm.txt", &storm("beta")),
            ("gamma/storm.txt", &storm("gamma")),
        ],
    );
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [3, 0, 0, 0, 2, 0, 3]);
    // A copy added in a later run takes its entities from the stored holder.
    write_files(&root, &[("delta/storm.txt", &storm("delta"))]);
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [1, 0, 3, 0, 0, 0, 4]);
    assert_copies_complete(
        &index,
        &[
            "alpha/storm.txt#0",
            "beta/storm.txt#0",
            "delta/storm.txt#0",
            "gamma/storm.txt#0",
        ],
    );
    write_files(
        &root,
        &[(
            "alpha/storm.txt",
            "Title: Ferry cancelled\nSource: alpha\n\nThe Fowey ferry was cancelled for the winter.\n",
        )],
    );
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 1, 3, 0, 0, 1, 4]);
    assert_copies_complete(
        &index,
        &["beta/storm.txt#0", "delta/storm.txt#0", "gamma/storm.txt#0"],
    );
    // Deleting the copies one by one, the holder first, leaves nothing behind.
    std::fs::remove_file(root.join("beta/storm.txt")).unwrap();
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 0, 3, 1, 0, 1, 3]);
    assert_copies_complete(&index, &["delta/storm.txt#0", "gamma/storm.txt#0"]);
    std::fs::remove_file(root.join("gamma/storm.txt")).unwrap();
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 0, 2, 1, 0, 0, 2]);
    assert_copies_complete(&index, &["delta/storm.txt#0"]);
    std::fs::remove_file(root.join("delta/storm.txt")).unwrap();
    let report = index_json(&root, &index);
    assert_eq!(counts(&report), [0, 0, 1, 1, 0, 0, 1]);
    let (code, _) = search_json(&index, &["sea wall"]);
    assert_eq!(code, 1);
}

/// `index_bytes` of `stats --json` after indexing `root` with one writer thread.
fn index_bytes(root: &Path, index: &Path) -> u64 {
    newsdex()
        .args(["index", "--quiet", "--threads", "1", "--index"])
        .arg(index)
        .arg(root)
        .assert()
        .success();
    let output = newsdex()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    stats["index_bytes"].as_u64().unwrap()
}

#[test]
fn copies_of_a_long_story_do_not_store_its_text_again() {
    // 30,000 words from a 3,000-word vocabulary (about 210 KB), which zstd cannot fold away.
    let mut state = 1u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            (0..3 + next() % 7)
                .map(|_| char::from(b'a' + (next() % 26) as u8))
                .collect()
        })
        .collect();
    let words: Vec<&str> = (0..30_000)
        .map(|_| vocabulary[next() % vocabulary.len()].as_str())
        .collect();
    let story = format!("Long report\n\n{}\n", words.join(" "));
    let directory = tempfile::tempdir().unwrap();
    let one = directory.path().join("one");
    let three = directory.path().join("three");
    write_files(&one, &[("a/story.txt", &story)]);
    write_files(
        &three,
        &[
            ("a/story.txt", &story),
            ("b/story.txt", &story),
            ("c/story.txt", &story),
        ],
    );
    let single = index_bytes(&one, &directory.path().join("index-one"));
    let tripled = index_bytes(&three, &directory.path().join("index-three"));
    // Each copy still indexes the words with their positions (about 45% of one story's
    // size); with the text stored three times the index was 2.7 times as large.
    assert!(
        tripled * 10 < single * 22,
        "one copy {single} bytes, three copies {tripled} bytes"
    );
    let (_, response) = search_json(&directory.path().join("index-three"), &[words[29_999]]);
    assert_eq!(response["hits"][0]["copies"], 3);
}
