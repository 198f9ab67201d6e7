//! A researcher's questions, one command each: timelines, related entities, snippets that
//! show why a filter matched, duplicate stories collapsed, wildcards, year and source
//! facets. The real binary runs on a small dated corpus written here.

mod common;

use common::{hit_ids, newsdex, search_json, value_counts, write_files};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;

const ORCHARD: &str = "Late frost hits apple orchards\n\n\
A late frost damaged blossom across orchards in Kent this week, growers said.\n\n\
Farmers expect a smaller harvest and higher prices for dessert apples in the autumn.\n";

const HARBOUR: &str = "Harbour cranes idle as dockers strike\n\n\
Dockers at the port of Felixstowe walked out on Monday, leaving cranes idle and container \
ships waiting offshore.\n\nUnion leaders said the stoppage would last 48 hours unless \
talks over pay resumed.\n";

/// Five dated wire stories, one JSON object per line.
fn wire() -> String {
    let stories = [
        json!({
            "title": "Putin and Macron speak by phone as Ukraine talks stall",
            "date": "2025-01-14T09:30:00Z",
            "source": "Example Wire",
            "body": "Russian President Vladimir Putin and French President Emmanuel Macron spoke by phone for two hours on Tuesday, their first call in more than a year, the Elysee said.\n\nMacron urged an immediate ceasefire in Ukraine and said any peace talks must include Kyiv. Putin repeated that Moscow would not give up territory it has taken, according to a Kremlin readout.\n\nThe two leaders agreed to keep in contact, officials in Paris said."
        }),
        json!({
            "title": "Kremlin rejects ceasefire proposal",
            "date": "2025-01-29T15:00:00Z",
            "source": "Example Wire",
            "body": "The Kremlin on Wednesday rejected a proposal for a 30-day ceasefire in Ukraine, saying it would only allow Kyiv to rearm.\n\nKremlin spokesman Dmitry Peskov told reporters that President Vladimir Putin remained open to negotiations but that any agreement had to reflect \"the realities on the ground\".\n\nUkrainian officials called the response predictable."
        }),
        json!({
            "title": "Macron hosts European leaders for security summit",
            "date": "2025-03-02T18:00:00Z",
            "source": "Example Daily",
            "body": "French President Emmanuel Macron hosted European leaders in Paris on Sunday to discuss security guarantees for Ukraine.\n\nBritish Prime Minister Keir Starmer said Britain was prepared to send troops to help enforce a peace deal. Macron said Europe had to be ready to defend itself.\n\nThe leaders agreed to meet again in London within a month."
        }),
        json!({
            "title": "Wheat prices climb on Russian export curbs",
            "date": "2025-03-20T07:45:00Z",
            "source": "Example Daily",
            "body": "Wheat prices rose to a six-month high on Thursday after Russia tightened limits on grain exports, traders said.\n\nEgypt, one of the largest buyers of Russian wheat, is expected to seek more supplies from France and Romania.\n\nAnalysts said bread prices in North Africa could rise by the summer."
        }),
        json!({
            "title": "Negotiators gather in Riyadh before talks on the war",
            "date": "2024-11-05T11:00:00Z",
            "source": "Example Wire",
            "body": "US Secretary of State Marco Rubio arrived in Riyadh on Tuesday ahead of talks with Russian officials on ending the war in Ukraine.\n\nSaudi Arabia has offered to host further rounds. Rubio said President Vladimir Putin would have to show he was serious about peace.\n\nNegotiators are expected to meet for two days."
        }),
    ];
    stories.iter().map(|story| format!("{story}\n")).collect()
}

/// The corpus (five wire stories, one story saved twice, one undated story) indexed once.
fn index() -> &'static (tempfile::TempDir, PathBuf) {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let work = tempfile::tempdir().unwrap();
        let root = work.path().join("corpus");
        let wire = wire();
        write_files(
            &root,
            &[
                ("wire.jsonl", wire.as_str()),
                ("dup/orchard.txt", ORCHARD),
                ("local/orchard-copy.txt", ORCHARD),
                ("local/harbour.txt", HARBOUR),
            ],
        );
        let index = work.path().join("index");
        let report = common::index_json(&root, &index);
        assert_eq!(report["indexed"], 8);
        assert_eq!(report["duplicates"], 1);
        (work, index)
    })
}

/// Runs a subcommand with `--json`; returns the exit code and the parsed output.
fn json_of(command: &str, args: &[&str]) -> (i32, Value) {
    let output = newsdex()
        .args([command, "--json", "--index"])
        .arg(&index().1)
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "{command} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, serde_json::from_slice(&output.stdout).unwrap())
}

/// The human output of a subcommand, the timing replaced.
fn human(command: &str, args: &[&str]) -> String {
    let output = newsdex()
        .args([command, "--index"])
        .arg(&index().1)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        match (line.rfind(" ("), line.ends_with(" ms)")) {
            (Some(open), true) => lines.push(format!("{} (… ms)", &line[..open])),
            _ => lines.push(line.to_string()),
        }
    }
    lines.join("\n")
}

fn search(args: &[&str]) -> Value {
    search_json(&index().1, args).1
}

fn facet(response: &Value, name: &str) -> Vec<(String, u64)> {
    value_counts(&response["facets"][name])
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter()
        .map(|(value, count)| (value.to_string(), *count))
        .collect()
}

#[test]
fn timeline_counts_every_month_gaps_included() {
    let (code, timeline) = json_of("timeline", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        timeline,
        json!({"query": "", "by": "month", "total": 8, "undated": 3, "periods": [
            {"period": "2024-11", "count": 1},
            {"period": "2024-12", "count": 0},
            {"period": "2025-01", "count": 2},
            {"period": "2025-02", "count": 0},
            {"period": "2025-03", "count": 2},
        ]})
    );
    insta::assert_snapshot!("timeline_all", human("timeline", &[]));
}

#[test]
fn timeline_by_year_follows_query_and_filters() {
    let (_, putin) = json_of("timeline", &["--by", "year", "--person", "putin"]);
    assert_eq!(
        putin,
        json!({"query": "", "by": "year", "total": 3, "undated": 0, "periods": [
            {"period": "2024", "count": 1},
            {"period": "2025", "count": 2},
        ]})
    );
    let (_, wheat) = json_of("timeline", &["wheat", "--from", "2025-03"]);
    assert_eq!(wheat["total"], 1);
    assert_eq!(wheat["periods"], json!([{"period": "2025-03", "count": 1}]));
    let (code, nothing) = json_of("timeline", &["volcano"]);
    assert_eq!((code, nothing["total"].as_u64()), (1, Some(0)));
    assert_eq!(nothing["periods"], json!([]));
}

#[test]
fn related_lists_who_and_what_appears_with_a_person() {
    let (code, related) = json_of("related", &["--person", "putin"]);
    assert_eq!(code, 0);
    assert_eq!(related["total"], 3);
    let lists = &related["related"];
    let counts = |kind: &str| value_counts(&lists[kind]);
    // Putin himself is left out; ties in name order.
    assert_eq!(
        counts("person"),
        pairs(&[
            ("Dmitry Peskov", 1),
            ("Emmanuel Macron", 1),
            ("Marco Rubio", 1)
        ])
    );
    assert_eq!(
        counts("country"),
        pairs(&[("RU", 3), ("UA", 3), ("FR", 1), ("SA", 1), ("US", 1)])
    );
    assert_eq!(lists["country"][0]["name"], "Russia");
    insta::assert_snapshot!("related_putin", human("related", &["--person", "putin"]));
}

#[test]
fn related_to_a_country_leaves_the_country_out() {
    let (_, related) = json_of("related", &["--country", "france", "--limit", "2"]);
    assert_eq!(related["total"], 3);
    let countries: Vec<&str> = related["related"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["RU", "UA"]);
    assert_eq!(
        related["related"]["person"][0],
        json!({"value": "Emmanuel Macron", "count": 2})
    );
}

#[test]
fn related_without_a_filter_or_query_is_a_usage_error() {
    newsdex()
        .args(["related", "--index"])
        .arg(&index().1)
        .assert()
        .code(2)
        .stderr("newsdex: related needs --person, --country, --org, --topic or query text\n");
}

#[test]
fn filter_only_searches_show_the_sentences_naming_the_filtered_entities() {
    let response = search(&[
        "--person",
        "putin",
        "--country",
        "ukraine",
        "--sort",
        "oldest",
    ]);
    assert_eq!(
        hit_ids(&response),
        ["wire.jsonl#4", "wire.jsonl#0", "wire.jsonl#1"]
    );
    let fragments: Vec<&str> = response["hits"][1]["fragments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["html"].as_str().unwrap())
        .collect();
    assert_eq!(
        fragments,
        [
            "Russian President <b>Vladimir Putin</b> and French President Emmanuel Macron spoke by phone for two hours on Tuesday, their first call in more than a year, the Elysee said.",
            "Macron urged an immediate ceasefire in <b>Ukraine</b> and said any peace talks must include <b>Kyiv</b>.",
            "<b>Putin</b> repeated that Moscow would not give up territory it has taken, according to a Kremlin readout.",
        ]
    );
    // Offsets point at the highlighted words in the plain text.
    let second = &response["hits"][1]["fragments"][1];
    let text = second["text"].as_str().unwrap();
    let words: Vec<&str> = second["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|range| {
            let start = range[0].as_u64().unwrap() as usize;
            let end = range[1].as_u64().unwrap() as usize;
            &text[start..end]
        })
        .collect();
    assert_eq!(words, ["Ukraine", "Kyiv"]);
    insta::assert_snapshot!(
        "search_putin_ukraine",
        human(
            "search",
            &[
                "--person",
                "putin",
                "--country",
                "UA",
                "--sort",
                "oldest",
                "--limit",
                "2"
            ]
        )
    );
}

#[test]
fn phrases_are_highlighted_whole_and_only_where_adjacent() {
    let response = search(&["\"peace talks\""]);
    assert_eq!(hit_ids(&response), ["wire.jsonl#0"]);
    assert_eq!(
        response["hits"][0]["snippet"],
        "Macron urged an immediate ceasefire in Ukraine and said any <b>peace talks</b> must include Kyiv."
    );
}

#[test]
fn duplicate_stories_appear_once_with_their_copies() {
    let response = search(&["frost"]);
    assert_eq!(response["total"], 2);
    assert_eq!(hit_ids(&response), ["dup/orchard.txt#0"]);
    assert_eq!(response["hits"][0]["copies"], 2);
    assert_eq!(
        response["hits"][0]["copy_ids"],
        json!(["local/orchard-copy.txt#0"])
    );
    // Paging counts stories: eight articles, seven stories.
    let everything = search(&["--limit", "20"]);
    assert_eq!(everything["total"], 8);
    assert_eq!(hit_ids(&everything).len(), 7);
    let last = search(&["--limit", "1", "--offset", "6"]);
    assert_eq!(hit_ids(&last).len(), 1);
    let beyond = search(&["--limit", "1", "--offset", "7"]);
    assert!(hit_ids(&beyond).is_empty());
}

#[test]
fn prefix_wildcards_match_word_beginnings() {
    let response = search(&["negotiat*", "--sort", "newest"]);
    assert_eq!(hit_ids(&response), ["wire.jsonl#1", "wire.jsonl#4"]);
    assert!(
        response["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("open to <b>negotiations</b>")
    );
    let title_only = search(&["title:negotiat*"]);
    assert_eq!(hit_ids(&title_only), ["wire.jsonl#4"]);
    let (code, none) = search_json(&index().1, &["zzyzx*"]);
    assert_eq!((code, none["total"].as_u64()), (1, Some(0)));
    newsdex()
        .args(["search", "--index"])
        .arg(&index().1)
        .arg("n*")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least two letters"));
}

#[test]
fn year_and_source_facets_count_the_matches() {
    let response = search(&["--country", "UA", "--facets", "year,source"]);
    assert_eq!(response["total"], 4);
    assert_eq!(facet(&response, "year"), pairs(&[("2025", 3), ("2024", 1)]));
    assert_eq!(
        facet(&response, "source"),
        pairs(&[("Example Wire", 3), ("Example Daily", 1)])
    );
    let everything = search(&["--facets", "all", "--limit", "0"]);
    let facets: Vec<&String> = everything["facets"].as_object().unwrap().keys().collect();
    assert_eq!(
        facets,
        ["country", "org", "person", "source", "topic", "year"]
    );
}

#[test]
fn prefixes_in_the_query_resolve_like_the_flags() {
    let by_prefix = search(&["person:putin country:ukraine"]);
    let by_flags = search(&["--person", "putin", "--country", "ukraine"]);
    assert_eq!(by_prefix["total"], 3);
    let mut prefix_ids = hit_ids(&by_prefix);
    let mut flag_ids = hit_ids(&by_flags);
    prefix_ids.sort();
    flag_ids.sort();
    assert_eq!(prefix_ids, flag_ids);
    newsdex()
        .args(["search", "--index"])
        .arg(&index().1)
        .arg("person:putn talks")
        .assert()
        .code(2)
        .stderr("newsdex: unknown person \"putn\": did you mean Vladimir Putin?\n");
}

#[test]
fn a_query_of_exclusions_only_means_everything_but_those() {
    assert_eq!(search(&["--", "-frost"])["total"], 6);
    assert_eq!(search(&["NOT frost NOT wheat"])["total"], 5);
    assert_eq!(search(&["* -frost"])["total"], 6);
}
