//! The command line's contract: exit codes, error messages, incremental re-indexing.
//! Every test runs the real binary on files written to a temp dir.

mod common;

use common::{hit_ids, index_json, newsdex, search_json, write_files};
use predicates::prelude::*;

const HARBOUR: &str = "Harbour cranes idle as dockers strike\n\n\
Dockers at the port of Felixstowe walked out on Monday, leaving cranes idle and container \
ships waiting offshore.\n\nUnion leaders said the stoppage would last 48 hours unless \
talks over pay resumed.\n";

const ORCHARD: &str = "Late frost hits apple orchards\n\n\
A late frost damaged blossom across orchards in Kent this week, growers said.\n\n\
Farmers expect a smaller harvest and higher prices for dessert apples in the autumn.\n";

const LIBRARY: &str = "City library reopens after flood repairs\n\n\
The central library reopened on Saturday after eight months of repairs to its flooded \
basement archive.\n\nVolunteers carried boxes of local newspapers back to the shelves.\n";

fn fixture() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    write_files(
        root.path(),
        &[
            ("news/harbour.txt", HARBOUR),
            ("news/orchard.txt", ORCHARD),
            ("local/library.txt", LIBRARY),
        ],
    );
    root
}

#[test]
fn search_without_an_index_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    newsdex()
        .args(["search", "anything", "--index"])
        .arg(empty.path().join("missing"))
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("newsdex: no index at "));
}

#[test]
fn indexing_a_missing_directory_fails_with_exit_2() {
    let work = tempfile::tempdir().unwrap();
    newsdex()
        .args(["index", "--index"])
        .arg(work.path().join("index"))
        .arg(work.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file or directory"));
}

#[test]
fn exit_codes_distinguish_hits_no_hits_and_bad_queries() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);

    let (code, response) = search_json(&index, &["dockers"]);
    assert_eq!(code, 0);
    assert_eq!(hit_ids(&response), ["news/harbour.txt#0"]);

    let (code, response) = search_json(&index, &["zeppelin"]);
    assert_eq!(code, 1);
    assert_eq!(response["total"], 0);

    let bad_queries = [
        (
            "persn:smith",
            "newsdex: unknown field `persn:` in query: did you mean `person:`?\n",
        ),
        ("topic:", "newsdex: invalid query: `topic:` needs a value\n"),
        ("AND", "newsdex: invalid query: Syntax Error: AND\n"),
    ];
    for (query, message) in bad_queries {
        newsdex()
            .args(["search", "--index"])
            .arg(&index)
            .arg(query)
            .assert()
            .code(2)
            .stdout("")
            .stderr(message);
    }
    newsdex()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--from", "last tuesday"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "newsdex: invalid date \"last tuesday\"",
        ));
    newsdex()
        .args(["search", "--index"])
        .arg(&index)
        .args(["--facets", "colour"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "newsdex: unknown facet \"colour\"",
        ));
}

#[test]
fn no_query_matches_every_article() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    let (code, response) = search_json(&index, &[]);
    assert_eq!(code, 0);
    assert_eq!(response["total"], 3);
    // No dates: ties are broken by a hash of the id, so the order is the same every time.
    let first = hit_ids(&response);
    assert_eq!(
        first,
        [
            "news/orchard.txt#0",
            "news/harbour.txt#0",
            "local/library.txt#0"
        ]
    );
    for _ in 0..3 {
        assert_eq!(hit_ids(&search_json(&index, &[]).1), first);
    }
    let (_, page) = search_json(&index, &["--limit", "1", "--offset", "1"]);
    assert_eq!(hit_ids(&page), ["news/harbour.txt#0"]);
    assert_eq!(page["total"], 3);
}

#[test]
fn reindexing_only_does_new_work() {
    let root = fixture();
    let index = root.path().join(".index");
    let first = index_json(root.path(), &index);
    assert_eq!(
        (
            first["indexed"].as_u64(),
            first["updated"].as_u64(),
            first["unchanged"].as_u64()
        ),
        (Some(3), Some(0), Some(0))
    );

    let second = index_json(root.path(), &index);
    assert_eq!(
        (
            second["indexed"].as_u64(),
            second["updated"].as_u64(),
            second["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(3))
    );

    // Edit one file (new size), delete another, add a third.
    let edited = HARBOUR.replace("48 hours", "three full days");
    write_files(
        root.path(),
        &[("news/harbour.txt", &edited), ("news/new.txt", LIBRARY)],
    );
    std::fs::remove_file(root.path().join("news/orchard.txt")).unwrap();
    let third = index_json(root.path(), &index);
    assert_eq!(third["indexed"], 1);
    assert_eq!(third["updated"], 1);
    assert_eq!(third["unchanged"], 1);
    assert_eq!(third["removed"], 1);
    assert_eq!(third["duplicates"], 0);
    assert_eq!(third["total"], 3);

    let (_, response) = search_json(&index, &["apples"]);
    assert_eq!(response["total"], 0, "deleted file's article is gone");
    let (_, response) = search_json(&index, &["\"three full days\""]);
    assert_eq!(hit_ids(&response), ["news/harbour.txt#0"]);
    let (_, response) = search_json(&index, &["\"48 hours\""]);
    assert_eq!(response["total"], 0, "old text of the edited file is gone");
    let (_, response) = search_json(&index, &[]);
    assert_eq!(response["total"], 3);
}

#[test]
fn phrase_matches_only_adjacent_words() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    let (_, response) = search_json(&index, &["\"container ships\""]);
    assert_eq!(hit_ids(&response), ["news/harbour.txt#0"]);
    // Both words occur in the library article, never side by side.
    let (code, _) = search_json(&index, &["\"local archive\""]);
    assert_eq!(code, 1);
    let (_, response) = search_json(&index, &["local", "archive"]);
    assert_eq!(hit_ids(&response), ["local/library.txt#0"]);
    let (_, response) = search_json(&index, &["frost", "OR", "flood"]);
    assert_eq!(response["total"], 2);
    let (_, response) = search_json(&index, &["repairs -flooded"]);
    assert_eq!(response["total"], 0);
}

#[test]
fn text_output_highlights_the_match() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    newsdex()
        .args(["search", "--index"])
        .arg(&index)
        .arg("\"container ships\"")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("[container ships]"))
        .stdout(predicate::str::contains(
            "1. Harbour cranes idle as dockers strike",
        ));
}

/// The human output, with the timing (the only varying part) blanked.
fn human_search(index: &std::path::Path, args: &[&str]) -> String {
    let output = newsdex()
        .args(["search", "--index"])
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if let Some(first) = lines.first_mut()
        && let Some(open) = first.rfind(" (")
    {
        first.replace_range(open.., " (… ms)");
    }
    lines.join("\n")
}

#[test]
fn human_search_output_snapshot() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    insta::assert_snapshot!("search_talks", human_search(&index, &["talks OR frost"]));
    insta::assert_snapshot!("search_everything", human_search(&index, &["--limit", "2"]));
}

#[test]
fn touched_but_unchanged_files_are_not_indexed_again() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let file = std::fs::File::options()
        .write(true)
        .open(root.path().join("news/harbour.txt"))
        .unwrap();
    file.set_modified(later).unwrap();
    let report = index_json(root.path(), &index);
    assert_eq!(
        (report["indexed"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(report["unchanged"], 3);
    // The new modification time is remembered: the next run does not even read the file.
    let again = index_json(root.path(), &index);
    assert_eq!(again["unchanged"], 3);
}

#[test]
fn a_second_writer_fails_at_once_naming_the_lock() {
    let root = fixture();
    let index = root.path().join(".index");
    index_json(root.path(), &index);
    let open = newsdex::index::ArticleIndex::open(&index).unwrap();
    let _writer: tantivy::IndexWriter = open.index.writer(15_000_000).unwrap();
    newsdex()
        .args(["index", "--index"])
        .arg(&index)
        .arg(root.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is locked by another running `newsdex index` (lock file .tantivy-writer.lock)",
        ));
    // Searching while a writer holds the lock works.
    let (code, _) = search_json(&index, &["dockers"]);
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_are_indexed_under_a_readable_path() {
    use std::os::unix::ffi::OsStrExt;
    let root = fixture();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-owners.txt");
    std::fs::write(
        root.path().join("news").join(name),
        "Cafe owners protest rent rises\n\nCafe owners in Lyon protested on Monday against steep rent rises.\n",
    )
    .unwrap();
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    let report = index_json(root.path(), &index);
    assert_eq!(report["indexed"], 4);
    let (_, response) = search_json(&index, &["cafe"]);
    assert_eq!(hit_ids(&response), ["news/caf\u{fffd}-owners.txt#0"]);
    // A second run sees the same file as unchanged.
    let again = index_json(root.path(), &index);
    assert_eq!(
        (again["indexed"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(4))
    );
}

#[test]
fn an_index_of_another_schema_version_asks_for_a_reindex() {
    let root = fixture();
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    index_json(root.path(), &index);
    std::fs::write(
        index.join("newsdex-version.json"),
        r#"{"schema_version":1}"#,
    )
    .unwrap();
    for command in ["search", "stats"] {
        newsdex()
            .args([command, "--index"])
            .arg(&index)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "has schema version 1, this newsdex needs 6: re-index",
            ));
    }
    newsdex()
        .args(["index", "--index"])
        .arg(&index)
        .arg(root.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("re-index"));
}

/// `files` JSONL files of `per_file` short, distinct articles each.
fn generated_corpus(root: &std::path::Path, files: usize, per_file: usize) {
    let towns = ["Alder", "Birch", "Cedar", "Dunmore", "Elmstead", "Fernhill"];
    for file in 0..files {
        let mut lines = String::new();
        for item in 0..per_file {
            let number = file * per_file + item;
            let town = towns[number % towns.len()];
            let article = serde_json::json!({
                "title": format!("{town} council approves budget number {number}"),
                "body": format!(
                    "The {town} town council approved spending plan ref{number}x on Tuesday after a debate that ran past midnight. Councillors said the plan would repair {} roads and reopen the library on weekends.",
                    number % 97 + 3
                ),
                "date": format!("2025-{:02}-{:02}", number % 12 + 1, number % 28 + 1),
            });
            lines.push_str(&format!("{article}\n"));
        }
        std::fs::write(root.join(format!("batch-{file:03}.jsonl")), lines).unwrap();
    }
}

fn stats_articles(index: &std::path::Path) -> u64 {
    let stats = common::success_json(newsdex().args(["stats", "--json", "--index"]).arg(index));
    stats["articles"].as_u64().unwrap()
}

#[test]
fn a_killed_run_keeps_its_commits_and_the_next_run_finishes_without_duplicates() {
    let root = tempfile::tempdir().unwrap();
    generated_corpus(root.path(), 200, 20);
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .args([
            "index",
            "--quiet",
            "--threads",
            "1",
            "--commit-every",
            "500",
            "--index",
        ])
        .arg(&index)
        .arg(root.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill -9 as soon as the first commit has landed.
    let manifest = index.join("newsdex-files.json");
    let started = std::time::Instant::now();
    while !manifest.exists() && started.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed"
    );
    let kept = stats_articles(&index);
    assert!(kept > 0 && kept < 4000, "kept {kept}");
    let (_, sample) = search_json(&index, &["budget", "--limit", "1"]);
    assert_eq!(sample["total"], kept);

    let report = index_json(root.path(), &index);
    assert_eq!(report["total"], 4000);
    assert_eq!(stats_articles(&index), 4000);
    for number in [0, 499, 1234, 3999] {
        let (_, hit) = search_json(&index, &[&format!("ref{number}x")]);
        assert_eq!(hit["total"], 1, "ref{number}x");
    }
}

#[test]
fn a_crash_between_commit_and_file_list_adds_no_duplicates() {
    let root = fixture();
    let work = tempfile::tempdir().unwrap();
    let index = work.path().join("index");
    index_json(root.path(), &index);
    let manifest = index.join("newsdex-files.json");
    let before = std::fs::read(&manifest).unwrap();
    write_files(
        root.path(),
        &[(
            "news/ferry.txt",
            "Ferry services cut\n\nFerry services to the islands were cut on Friday after a second vessel broke down.\n",
        )],
    );
    index_json(root.path(), &index);
    // As if killed after tantivy's commit but before the file list was saved.
    std::fs::write(&manifest, before).unwrap();
    let report = index_json(root.path(), &index);
    assert_eq!(report["indexed"], 1);
    let (_, ferry) = search_json(&index, &["ferry"]);
    assert_eq!(ferry["total"], 1);
    assert_eq!(stats_articles(&index), 4);
}

#[test]
fn piped_and_quiet_runs_print_no_progress() {
    let root = fixture();
    write_files(root.path(), &[("news/empty.txt", "")]);
    let work = tempfile::tempdir().unwrap();
    let output = newsdex()
        .args(["index", "--index"])
        .arg(work.path().join("a"))
        .arg(root.path())
        .output()
        .unwrap();
    // Piped: the warning line and the summary, no progress bar or escape codes.
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "newsdex: skipped: news/empty.txt: empty file\n"
    );
    assert!(!String::from_utf8(output.stdout).unwrap().contains('\u{1b}'));
    newsdex()
        .args(["index", "--quiet", "--index"])
        .arg(work.path().join("b"))
        .arg(root.path())
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::starts_with("indexed 3 new,"));
    let report = index_json(root.path(), &work.path().join("c"));
    assert_eq!(report["skipped"][0]["reason"], "empty file");
}
