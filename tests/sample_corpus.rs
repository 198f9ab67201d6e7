//! The bundled sample corpus, end to end: every file yields what sample-corpus/README.md
//! says, bad files are skipped and named, and searches give exact hits and counts.

mod common;

use common::{hit_paths as hit_ids, newsdex, sample_corpus, search_json, value_counts};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One row of the README's expectations table.
#[derive(Debug)]
struct Expected {
    title: String,
    date: String,
    people: Vec<String>,
    countries: Vec<String>,
    topics: Vec<String>,
}

fn split_list(cell: &str, separator: &str) -> Vec<String> {
    if cell == "-" || cell == "~" {
        return Vec::new();
    }
    cell.split(separator)
        .map(|part| part.trim().to_string())
        .collect()
}

/// (path, item) -> expectations, parsed from the README's first table.
fn expectations() -> BTreeMap<(String, u64), Expected> {
    let readme = std::fs::read_to_string(sample_corpus().join("README.md")).unwrap();
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in readme.lines() {
        if line.starts_with("| file | item |") {
            in_table = true;
            continue;
        }
        if in_table && !line.starts_with('|') {
            break;
        }
        if !in_table || line.starts_with("| ---") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let key = (cells[0].to_string(), cells[1].parse().unwrap());
        rows.insert(
            key,
            Expected {
                title: cells[2].to_string(),
                date: cells[3].to_string(),
                people: split_list(cells[4], ";"),
                countries: split_list(cells[5], ","),
                topics: split_list(cells[6], ","),
            },
        );
    }
    assert_eq!(rows.len(), 44, "README table rows");
    rows
}

/// `newsdex extract sample-corpus --json`, by (path, item).
fn extracted() -> BTreeMap<(String, u64), Value> {
    let output = newsdex()
        .arg("extract")
        .arg(sample_corpus())
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .map(|article| {
            let key = (
                article["path"].as_str().unwrap().to_string(),
                article["item"].as_u64().unwrap(),
            );
            (key, article)
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The sample corpus indexed once for all tests in this file.
fn index() -> &'static (tempfile::TempDir, PathBuf, Value) {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf, Value)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("index");
        let output = newsdex()
            .args(["index", "--json", "--index"])
            .arg(&path)
            .arg(sample_corpus())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = serde_json::from_slice(&output.stdout).unwrap();
        (directory, path, report)
    })
}

fn search(args: &[&str]) -> (i32, Value) {
    search_json(&index().1, args)
}

#[test]
fn every_article_yields_what_the_readme_says() {
    let expected = expectations();
    let found = extracted();
    let found_keys: BTreeSet<_> = found.keys().cloned().collect();
    let expected_keys: BTreeSet<_> = expected.keys().cloned().collect();
    assert_eq!(found_keys, expected_keys);
    let mut problems = Vec::new();
    for (key, row) in &expected {
        let article = &found[key];
        if row.title != "~" && article["title"] != row.title.as_str() {
            problems.push(format!("{key:?}: title {}", article["title"]));
        }
        let date = article["date"]
            .as_str()
            .map_or("-".to_string(), |date| date[..10].to_string());
        if date != row.date {
            problems.push(format!("{key:?}: date {date}, expected {}", row.date));
        }
        let people = strings(&article["people"]);
        let countries = strings(&article["countries"]);
        let topics = strings(&article["topics"]);
        for person in &row.people {
            if !people.contains(person) {
                problems.push(format!("{key:?}: missing person {person} in {people:?}"));
            }
        }
        for country in &row.countries {
            if !countries.contains(country) {
                problems.push(format!(
                    "{key:?}: missing country {country} in {countries:?}"
                ));
            }
        }
        if let Some(first) = row.topics.first()
            && !topics.contains(first)
        {
            problems.push(format!("{key:?}: missing topic {first} in {topics:?}"));
        }
        let byline = article["byline"].as_str().unwrap_or("");
        for person in &people {
            if !byline.is_empty() && byline.contains(person.as_str()) {
                problems.push(format!(
                    "{key:?}: reporter {person} listed as a person of the story"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn traps_in_the_sample_corpus() {
    let found = extracted();
    let hilton = &found[&("culture/paris-hilton-las-vegas.txt".to_string(), 0)];
    assert!(
        !strings(&hilton["countries"]).contains(&"FR".to_string()),
        "Paris Hilton is not France"
    );
    for page in ["web/louvre-jewel-heist.html", "web/cop30-belem-deal.html"] {
        let article = &found[&(page.to_string(), 0)];
        let body = article["mentions"].to_string();
        assert!(
            !body.contains("Putin") && !body.contains("Hilton"),
            "{page}: aside leaked into the body"
        );
    }
}

#[test]
fn mention_offsets_point_at_the_text() {
    let output = newsdex()
        .arg("extract")
        .arg(sample_corpus())
        .args(["--json", "--body"])
        .output()
        .unwrap();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let article: Value = serde_json::from_str(line).unwrap();
        for mention in article["mentions"].as_array().unwrap() {
            let field = article[mention["field"].as_str().unwrap()]
                .as_str()
                .unwrap();
            let (start, end) = (
                mention["start"].as_u64().unwrap() as usize,
                mention["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &field[start..end],
                mention["text"].as_str().unwrap(),
                "{}",
                article["path"]
            );
        }
    }
}

#[test]
fn index_report_names_every_bad_file() {
    let report = &index().2;
    assert_eq!(report["indexed"], 44);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["total"], 44);
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|skip| {
            (
                skip["path"].as_str().unwrap().to_string(),
                skip["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let skipped_paths: Vec<&str> = skipped.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        skipped_paths,
        [
            "broken/empty.txt",
            "broken/random.json",
            "broken/truncated.json"
        ]
    );
    assert_eq!(skipped[0].1, "empty file");
    assert_eq!(skipped[1].1, "binary data, not text");
    assert!(
        skipped[2].1.starts_with("invalid json: EOF while parsing"),
        "{}",
        skipped[2].1
    );
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        warnings,
        [
            "archives/crawl.warc.gz",
            "broken/latin1.txt",
            "world/briefs.jsonl"
        ]
    );
}

#[test]
fn human_index_output_lists_skips_on_stderr() {
    let directory = tempfile::tempdir().unwrap();
    newsdex()
        .args(["index", "--index"])
        .arg(directory.path().join("index"))
        .arg(sample_corpus())
        .assert()
        .success()
        .stderr(predicates::str::contains("newsdex: skipped: broken/empty.txt: empty file\n"))
        .stderr(predicates::str::contains("newsdex: warning: broken/latin1.txt: not valid utf-8, decoded as windows-1252\n"))
        .stderr(predicates::str::contains("newsdex: warning: archives/crawl.warc.gz: 2 records skipped: 1 not html, 1 not http 200\n"))
        .stdout(predicates::str::starts_with("indexed 44 new, 0 updated, 0 unchanged, 0 removed articles; 3 files skipped, 3 warnings"));
}

#[test]
fn phrase_search_matches_only_adjacent_words() {
    let (_, phrase) = search(&["\"peace talks\"", "--sort", "newest"]);
    assert_eq!(
        hit_ids(&phrase),
        ["feeds/world-news.rss#0", "world/kyiv-geneva-wire.txt#0"]
    );
    let (_, words) = search(&["peace talks"]);
    assert_eq!(words["total"], 3);
    assert!(hit_ids(&words).contains(&"world/istanbul-prisoner-exchange.txt#0".to_string()));
}

#[test]
fn person_found_by_surname_and_title_mentions() {
    let (_, response) = search(&["--person", "Starmer"]);
    assert_eq!(hit_ids(&response), ["politics/starmer-welfare-vote.txt#0"]);
    let (_, response) = search(&["person:starmer"]);
    assert_eq!(hit_ids(&response), ["politics/starmer-welfare-vote.txt#0"]);
    let (_, putin) = search(&["--person", "Putin"]);
    assert_eq!(putin["total"], 4);
}

#[test]
fn country_names_codes_and_demonyms_agree() {
    let (_, by_name) = search(&["--country", "Ukraine", "--limit", "50"]);
    let (_, by_code) = search(&["--country", "UA", "--limit", "50"]);
    let (_, by_demonym) = search(&["--country", "ukrainian", "--limit", "50"]);
    assert!(by_name["total"].as_u64().unwrap() >= 4);
    assert_eq!(hit_ids(&by_name), hit_ids(&by_code));
    assert_eq!(hit_ids(&by_name), hit_ids(&by_demonym));
    // briefs#0 names Kenya only through its capital; the NITF story names the country.
    let (_, kenya) = search(&["--country", "Kenya", "--sort", "newest"]);
    assert_eq!(
        hit_ids(&kenya),
        ["wire/kenya-floods.nitf.xml#0", "world/briefs.jsonl#0"]
    );
}

#[test]
fn unknown_country_suggests_close_names() {
    newsdex()
        .args(["search", "--index"])
        .arg(&index().1)
        .args(["--country", "Ukrane"])
        .assert()
        .code(2)
        .stderr("newsdex: unknown country \"Ukrane\": did you mean Ukraine?\n");
}

#[test]
fn accented_and_unaccented_names_find_each_other() {
    let (_, plain) = search(&["erdogan"]);
    let (_, accented) = search(&["Erdoğan"]);
    let expected = [
        "business/wire-roundup.json#1",
        "world/istanbul-prisoner-exchange.txt#0",
    ];
    let mut plain_ids = hit_ids(&plain);
    plain_ids.sort();
    let mut accented_ids = hit_ids(&accented);
    accented_ids.sort();
    assert_eq!(plain_ids, expected);
    assert_eq!(accented_ids, expected);
}

#[test]
fn namesake_person_is_not_a_country() {
    let (_, hilton) = search(&["--person", "Paris Hilton"]);
    assert_eq!(hit_ids(&hilton), ["culture/paris-hilton-las-vegas.txt#0"]);
    let (_, france) = search(&["--country", "France", "--limit", "50"]);
    assert!(!hit_ids(&france).contains(&"culture/paris-hilton-las-vegas.txt#0".to_string()));
}

#[test]
fn facet_counts_are_exact() {
    let found = extracted();
    let (_, response) = search(&[
        "--country",
        "UA",
        "--facets",
        "country,person,topic",
        "--facet-limit",
        "100",
    ]);
    let matching: Vec<&Value> = found
        .values()
        .filter(|a| strings(&a["countries"]).contains(&"UA".to_string()))
        .collect();
    assert_eq!(response["total"].as_u64().unwrap() as usize, matching.len());
    for (facet, key) in [
        ("country", "countries"),
        ("person", "people"),
        ("topic", "topics"),
    ] {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for article in &matching {
            for value in strings(&article[key]) {
                *counts.entry(value).or_default() += 1;
            }
        }
        let reported: BTreeMap<String, u64> = value_counts(&response["facets"][facet])
            .into_iter()
            .collect();
        assert_eq!(reported, counts, "facet {facet}");
    }
    let ukraine = response["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["value"] == "UA")
        .cloned();
    assert_eq!(ukraine.unwrap()["name"], "Ukraine");
}

#[test]
fn everything_when_no_query() {
    let (code, response) = search(&["--limit", "100"]);
    assert_eq!(code, 0);
    assert_eq!(response["total"], 44);
    // Newest first, undated last.
    let dates: Vec<&str> = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(dates.iter().filter(|d| **d != "-").count(), 30);
    assert!(
        dates[..30].windows(2).all(|pair| pair[0] > pair[1]),
        "{dates:?}"
    );
    assert!(dates[30..].iter().all(|d| *d == "-"));
}

#[test]
fn seed_shaped_article_gives_exactly_its_people_and_countries() {
    // Pasted from a web page like ../shared/seeds: junk lines, "View All" glued to a
    // paragraph, a trailing run of ")" lines, no headline.
    let found = extracted();
    let article = &found[&("world/istanbul-prisoner-exchange.txt".to_string(), 0)];
    assert_eq!(
        strings(&article["people"]),
        [
            "Hakan Fidan",
            "Recep Tayyip Erdoğan",
            "Rustem Umerov",
            "Vladimir Medinsky",
            "Vladimir Putin"
        ]
    );
    assert_eq!(strings(&article["countries"]), ["RU", "TR", "UA"]);
    assert_eq!(article["title"], "");
}

/// `newsdex <command> --json` against the sample index.
fn command_json(command: &str, args: &[&str]) -> Value {
    common::success_json(
        newsdex()
            .args([command, "--json", "--index"])
            .arg(&index().1)
            .args(args),
    )
}

#[test]
fn timeline_counts_agree_with_extracted_dates() {
    let found = extracted();
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    let mut undated = 0;
    for article in found.values() {
        match article["date"].as_str() {
            Some(date) => *months.entry(date[..7].to_string()).or_default() += 1,
            None => undated += 1,
        }
    }
    let timeline = command_json("timeline", &[]);
    assert_eq!(timeline["total"].as_u64().unwrap() as usize, found.len());
    assert_eq!(timeline["undated"], undated);
    let reported: BTreeMap<String, u64> = timeline["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|period| period["count"] != 0)
        .map(|period| {
            (
                period["period"].as_str().unwrap().to_string(),
                period["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(reported, months);
}

#[test]
fn related_people_agree_with_extracted_co_mentions() {
    let found = extracted();
    let mut together: BTreeMap<String, u64> = BTreeMap::new();
    let mut articles = 0;
    for article in found.values() {
        let people = strings(&article["people"]);
        if !people.contains(&"Vladimir Putin".to_string()) {
            continue;
        }
        articles += 1;
        for person in people.into_iter().filter(|p| p != "Vladimir Putin") {
            *together.entry(person).or_default() += 1;
        }
    }
    let related = command_json(
        "related",
        &["--person", "Vladimir Putin", "--limit", "1000"],
    );
    assert_eq!(related["total"], articles);
    let reported: BTreeMap<String, u64> = value_counts(&related["related"]["person"])
        .into_iter()
        .collect();
    assert_eq!(reported, together);
    assert!(!together.is_empty());
}

#[test]
fn other_languages_are_detected_searchable_and_filterable() {
    let (_, french) = search(&["--lang", "fr"]);
    assert_eq!(hit_ids(&french), ["world/energie-prix-fr.txt#0"]);
    let (_, by_prefix) = search(&["lang:fr électricité"]);
    assert_eq!(hit_ids(&by_prefix), ["world/energie-prix-fr.txt#0"]);
    let (_, unaccented) = search(&["electricite"]);
    assert_eq!(hit_ids(&unaccented), ["world/energie-prix-fr.txt#0"]);
    let (_, english) = search(&["--lang", "en", "--limit", "0"]);
    let (_, everything) = search(&["--limit", "0"]);
    // Every other article is English (the Latin-1 one too), none unknown.
    assert_eq!(
        english["total"].as_u64().unwrap() + 1,
        everything["total"].as_u64().unwrap()
    );
    let found = extracted();
    let article = &found[&("world/energie-prix-fr.txt".to_string(), 0)];
    assert_eq!(article["lang"], "fr");
    assert_eq!(strings(&article["countries"]), ["FR"]);
    assert!(strings(&article["people"]).is_empty() && strings(&article["topics"]).is_empty());
}
