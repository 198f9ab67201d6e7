//! Helpers shared by the integration tests: run the real binary on temp copies.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The newsdex binary, with colour and the environment's index location switched off.
pub fn newsdex() -> Command {
    let mut command = Command::cargo_bin("newsdex").expect("binary builds");
    command.env_remove("NEWSDEX_INDEX").env("NO_COLOR", "1");
    command
}

/// The bundled sample corpus.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")
}

/// Writes `files` (relative path, contents) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
    }
}

/// Runs a `--json` command that must succeed and returns what it printed, parsed.
pub fn success_json(command: &mut Command) -> serde_json::Value {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("--json prints JSON")
}

/// Runs `newsdex index ROOT --index INDEX --json` and returns the parsed report.
pub fn index_json(root: &Path, index: &Path) -> serde_json::Value {
    success_json(
        newsdex()
            .args(["index", "--json", "--index"])
            .arg(index)
            .arg(root),
    )
}

/// Runs `newsdex search --json` with `args` against `index`; returns exit code and JSON.
pub fn search_json(index: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let output = newsdex()
        .args(["search", "--json", "--index"])
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "search {args:?} failed with {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        code,
        serde_json::from_slice(&output.stdout).expect("search --json prints JSON"),
    )
}

/// The ids of the hits of a search response, in order.
pub fn hit_ids(response: &serde_json::Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect()
}

/// The hits of a search response as "path#item", in order (ids may be a feed's own guid).
pub fn hit_paths(response: &serde_json::Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| format!("{}#{}", hit["path"].as_str().unwrap(), hit["item"]))
        .collect()
}

/// `[{"value": .., "count": ..}, ...]` (facets, related lists) as (value, count) pairs in order.
pub fn value_counts(list: &serde_json::Value) -> Vec<(String, u64)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["value"].as_str().unwrap().to_string(),
                entry["count"].as_u64().unwrap(),
            )
        })
        .collect()
}
