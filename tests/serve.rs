//! `newsdex serve`: the real binary on a free loopback port, over a small index of articles
//! written here. Every endpoint, the errors (400/404 JSON, never 500 for user input),
//! hostile query strings, the page's headers, and reloading after `newsdex index`.

mod common;
#[path = "serve/http.rs"]
mod http;

use common::{newsdex, write_files};
use http::Server;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Four wire stories, one JSON object per line.
const WIRE: &str = r#"{"title":"Ceasefire talks resume in Geneva","date":"2025-02-10T08:00:00Z","source":"Example Wire","body":"Russian and Ukrainian negotiators resumed ceasefire talks in Geneva on Monday, Swiss officials said.\n\nPresident Vladimir Putin said Moscow wanted a lasting settlement, while President Volodymyr Zelensky said Kyiv would not give up territory.\n\nThe talks are expected to last three days."}
{"title":"Putin and Erdogan meet in Ankara ahead of grain talks","date":"2025-02-25T12:00:00Z","source":"Example Wire","body":"Vladimir Putin met Turkish President Recep Tayyip Erdogan in Ankara on Tuesday to discuss grain exports across the Black Sea.\n\nTurkey has offered to host further talks between Russia and Ukraine, Erdogan said."}
{"title":"Bank of England holds interest rates","date":"2025-03-06T12:00:00Z","source":"Example Daily","body":"The Bank of England kept interest rates unchanged on Thursday as inflation in Britain edged higher.\n\nGovernor Andrew Bailey said the bank would cut rates gradually once price pressures eased."}
{"title":"Floods displace thousands in Kenya","date":"2024-11-20T06:00:00Z","source":"Example Daily","body":"Heavy rains and floodwaters displaced thousands of families across Kenya this week, aid workers said.\n\nRoads to Nairobi were cut and schools in flooded districts closed."}
"#;

/// A story whose text holds markup, to check that it comes back escaped.
const NOTES: &str = "Title: Browser security notes\nDate: 2025-01-15\nSource: Example Tech\n\n\
Web developers were warned again this week that pasting <script>alert(\"x\")</script> into a \
page can run code when text is not escaped.\n\n\
Security researchers in Germany said most frameworks now escape text by default.\n";

const CEASEFIRE: &str = "wire.jsonl#0";
const ANKARA: &str = "wire.jsonl#1";
const BANK: &str = "wire.jsonl#2";
const FLOODS: &str = "wire.jsonl#3";
const SECURITY: &str = "notes.txt#0";

/// Writes the corpus under `root`.
fn write_corpus(root: &Path) {
    write_files(root, &[("wire.jsonl", WIRE), ("notes.txt", NOTES)]);
}

/// The corpus indexed once, shared by the tests that only read.
fn shared_index() -> &'static Path {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let work = tempfile::tempdir().unwrap();
        write_corpus(&work.path().join("corpus"));
        let index = work.path().join("index");
        let report = common::index_json(&work.path().join("corpus"), &index);
        assert_eq!(report["indexed"], 5);
        (work, index)
    });
    index
}

/// The ids of a search response's hits.
fn ids(response: &Value) -> Vec<&str> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect()
}

/// The JSON the CLI prints for `command --json args`, without its timing.
fn cli_json(index: &Path, command: &str, args: &[&str]) -> Value {
    let output = newsdex()
        .args([command, "--json", "--index"])
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    let mut value: Value = serde_json::from_slice(&output.stdout).unwrap();
    if let Some(object) = value.as_object_mut() {
        object.remove("took_ms");
    }
    value
}

fn without_timing(mut value: Value) -> Value {
    value.as_object_mut().unwrap().remove("took_ms");
    value
}

#[test]
fn search_answers_like_the_cli() {
    let index = shared_index();
    let server = Server::start(index);
    let api = server.json("/api/search?q=talks&facets=all", 200);
    assert_eq!(ids(&api), [CEASEFIRE, ANKARA]);
    assert!(api["took_ms"].as_f64().unwrap() >= 0.0);
    let cli = cli_json(index, "search", &["talks", "--facets", "all"]);
    assert_eq!(without_timing(api), cli);

    let newest = server.json("/api/search?sort=newest&limit=2&offset=1&facets=none", 200);
    assert_eq!(newest["total"], 5);
    assert_eq!(ids(&newest), [ANKARA, CEASEFIRE]);
    assert_eq!(newest["facets"], json!({}));
    let oldest = server.json("/api/search?sort=oldest&limit=1", 200);
    assert_eq!(ids(&oldest), [FLOODS]);
    let everything = server.json("/api/search", 200);
    assert_eq!(everything["total"], 5);
    assert_eq!(everything["query"], "");
    let facets = everything["facets"].as_object().unwrap();
    assert_eq!(
        facets.keys().collect::<Vec<_>>(),
        ["country", "person", "topic"]
    );
    let ukraine = facets["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|value| value["value"] == "UA")
        .unwrap();
    assert_eq!(
        ukraine,
        &json!({"value": "UA", "name": "Ukraine", "count": 2})
    );

    let hit = &server.json("/api/search?q=geneva", 200)["hits"][0];
    assert_eq!(hit["id"], CEASEFIRE);
    assert_eq!(hit["source"], "Example Wire");
    assert_eq!(hit["date"], "2025-02-10T08:00:00Z");
    assert!(hit["snippet"].as_str().unwrap().contains("<b>Geneva</b>"));
    assert_eq!(
        hit["fragments"][0]["highlights"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn filters_repeat_to_and_and_commas_or() {
    let server = Server::start(shared_index());
    let search = |query: &str| server.json(&format!("/api/search?{query}"), 200);
    assert_eq!(
        ids(&search("person=putin&sort=oldest")),
        [CEASEFIRE, ANKARA]
    );
    assert_eq!(ids(&search("country=Ukraine&country=TR")), [ANKARA]);
    assert_eq!(
        ids(&search("country=KE%2Cturkish&sort=oldest")),
        [FLOODS, ANKARA]
    );
    assert_eq!(ids(&search("topic=economy")), [BANK]);
    assert_eq!(ids(&search("source=example+tech")), [SECURITY]);
    assert_eq!(
        ids(&search("from=2025-02&to=2025-02&sort=oldest")),
        [CEASEFIRE, ANKARA]
    );
    assert_eq!(ids(&search("q=person%3Aputin+grain")), [ANKARA]);
    let none = search("country=KE&person=putin");
    assert_eq!(none["total"], 0);
    assert_eq!(none["hits"], json!([]));
}

#[test]
fn bad_parameters_are_400_with_a_json_error() {
    let server = Server::start(shared_index());
    let cases = [
        (
            "/api/search?country=Ukrane",
            "unknown country \"Ukrane\": did you mean Ukraine?",
        ),
        (
            "/api/search?from=2025-13",
            "invalid date \"2025-13\": use YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 timestamp",
        ),
        (
            "/api/search?sort=best",
            "sort must be relevance, newest or oldest, not \"best\"",
        ),
        (
            "/api/search?limit=1000",
            "limit must be a whole number from 0 to 100, not \"1000\"",
        ),
        (
            "/api/search?offset=20000",
            "offset must be a whole number from 0 to 10000, not \"20000\"",
        ),
        (
            "/api/search?facets=colour",
            "unknown facet \"colour\": use country, person, topic, org, source, year, all or none",
        ),
        (
            "/api/search?q=a&q=b",
            "parameter \"q\" given more than once",
        ),
        (
            "/api/timeline?by=week",
            "by must be month or year, not \"week\"",
        ),
        (
            "/api/related",
            "related needs --person, --country, --org, --topic or query text",
        ),
        (
            "/api/related?person=putin&limit=101",
            "limit must be a whole number from 0 to 100, not \"101\"",
        ),
    ];
    for (path, message) in cases {
        assert_eq!(server.error(path, 400), message, "{path}");
    }
    let unknown = server.error("/api/search?colour=red", 400);
    assert!(
        unknown.starts_with("unknown parameter \"colour\""),
        "{unknown}"
    );
    let person = server.error("/api/search?person=Putn", 400);
    assert_eq!(
        person,
        "unknown person \"Putn\": did you mean Vladimir Putin?"
    );
    let topic = server.error("/api/search?topic=sports", 400);
    assert!(
        topic.starts_with("unknown topic \"sports\": did you mean sport?"),
        "{topic}"
    );
    let syntax = server.error("/api/search?q=%22unclosed", 400);
    assert!(syntax.starts_with("invalid query"), "{syntax}");
    assert_eq!(
        server.error(&format!("/api/search?q={}", "a".repeat(1001)), 400),
        "q is too long (at most 1000 characters)"
    );
    assert_eq!(
        server.error("/api/stats?x=1", 400),
        "unknown parameter \"x\": this endpoint takes no parameters"
    );
}

#[test]
fn article_timeline_related_stats_and_health() {
    let index = shared_index();
    let server = Server::start(index);

    let article = server.json("/api/article/wire.jsonl%230", 200);
    let mut cli = cli_json(index, "show", &[CEASEFIRE]);
    cli.as_object_mut().unwrap().insert(
        "country_names".to_string(),
        json!({"CH": "Switzerland", "RU": "Russia", "UA": "Ukraine"}),
    );
    assert_eq!(article, cli);
    assert!(
        article["body"]
            .as_str()
            .unwrap()
            .starts_with("Russian and Ukrainian")
    );
    let mention = article["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mention| mention["text"] == "Vladimir Putin")
        .unwrap();
    let body = article["body"].as_str().unwrap();
    let (start, end) = (
        mention["start"].as_u64().unwrap() as usize,
        mention["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&body[start..end], "Vladimir Putin");
    // An id with a slash, unencoded, reaches the same handler.
    let missing = server.error("/api/article/no/such%23id", 404);
    assert_eq!(missing, "no article with id \"no/such#id\"");
    assert_eq!(
        server.error("/api/article/%FF", 400),
        "the article id is not valid UTF-8"
    );

    let timeline = server.json("/api/timeline?q=talks&by=month", 200);
    assert_eq!(
        timeline,
        cli_json(index, "timeline", &["talks", "--by", "month"])
    );
    assert_eq!(
        timeline["periods"],
        json!([{"period": "2025-02", "count": 2}])
    );
    let years = server.json("/api/timeline?by=year", 200);
    assert_eq!(
        years["periods"],
        json!([{"period": "2024", "count": 1}, {"period": "2025", "count": 4}])
    );

    let related = server.json("/api/related?person=putin&limit=3", 200);
    assert_eq!(
        related,
        cli_json(index, "related", &["--person", "putin", "--limit", "3"])
    );
    assert_eq!(related["total"], 2);
    assert_eq!(related["related"]["country"][0]["value"], "RU");

    let stats = server.json("/api/stats", 200);
    assert_eq!(stats, cli_json(index, "stats", &[]));
    assert_eq!(stats["articles"], 5);

    assert_eq!(
        server.json("/healthz", 200),
        json!({"status": "ok", "articles": 5})
    );
    let openapi = server.json("/api/openapi.json", 200);
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    assert!(openapi["paths"]["/api/search"]["get"]["parameters"].is_array());
}

#[test]
fn markup_in_articles_comes_back_escaped() {
    let server = Server::start(shared_index());
    let response = server.json("/api/search?q=alert", 200);
    assert_eq!(ids(&response), [SECURITY]);
    let snippet = response["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("&lt;script&gt;<b>alert</b>(&quot;x&quot;)&lt;/script&gt;"),
        "{snippet}"
    );
    assert!(!snippet.contains("<script"), "{snippet}");
}

#[test]
fn hostile_query_strings_get_200_or_400_never_500() {
    let server = Server::start(shared_index());
    let nested = format!("{}a{}", "(".repeat(499), ")".repeat(499));
    let long_word = "x".repeat(1000);
    let queries: Vec<String> = vec![
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".into(),
        "q=%22".into(),
        "q=%27%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E".into(),
        "q=%00".into(),
        "q=a%00b&person=%00".into(),
        "q=%FF%FE%FD".into(),
        format!("q={nested}"),
        format!("q={long_word}"),
        format!("q={}", "a+".repeat(500)),
        format!("q={}", "-".repeat(1000)),
        "q=*".into(),
        "q=a*".into(),
        "q=title%3A".into(),
        "q=date%3A%5Bx+TO+y%5D".into(),
        "q=%22peace+talks%22~4294967296".into(),
        "q=a~99999".into(),
        "q=AND+OR+NOT".into(),
        "q=%5C".into(),
        "q=%F0%9F%98%80+%E2%80%AE".into(),
        "person=%3Cscript%3E".into(),
        "country=%3Cscript%3E".into(),
        format!("person={}", "p".repeat(201)),
        "from=%00&to=9999999999".into(),
        "from=-1".into(),
        "limit=1e3".into(),
        "offset=99999999999999999999999".into(),
        "facet_limit=-5".into(),
        "q=%".into(),
        "q=%zz".into(),
        "&&&=&==".into(),
    ];
    for query in &queries {
        for endpoint in ["/api/search", "/api/timeline", "/api/related"] {
            let path = format!("{endpoint}?{query}");
            let response = server.get(&path);
            assert!(
                response.status == 200 || response.status == 400,
                "{path}: {} {}",
                response.status,
                response.text()
            );
            assert_eq!(response.header("content-type"), Some("application/json"));
            let body: Value = serde_json::from_slice(&response.body).unwrap();
            if response.status == 400 {
                assert!(body["error"].is_string(), "{path}: {body}");
            }
        }
    }
    // The page is the same static file whatever the query string: nothing is reflected.
    let plain = server.get("/").text();
    let hostile = server.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&person=%22%3E%3Cb%3E");
    assert_eq!(hostile.status, 200);
    assert_eq!(hostile.text(), plain);
    assert!(!plain.contains("alert(1)") && !plain.contains("<b>"));
    // The server still answers after all of that.
    assert_eq!(server.json("/healthz", 200)["status"], "ok");
}

#[test]
fn page_assets_and_headers() {
    let server = Server::start(shared_index());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let html = page.text();
    // Only the external script: no inline script, no inline handlers, no CDN.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains(r#"<script src="/app.js" defer></script>"#));
    let handlers: Vec<&str> = html
        .split_whitespace()
        .filter(|word| word.starts_with("on") && word.contains('='))
        .collect();
    assert!(handlers.is_empty(), "inline handlers: {handlers:?}");
    assert!(!html.contains("http://") && !html.contains("https://"));

    let script = server.get("/app.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    // The script never turns strings into HTML.
    let source = script.text();
    for forbidden in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!source.contains(forbidden), "app.js uses {forbidden}");
    }
    let style = server.get("/app.css");
    assert_eq!(style.status, 200);
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );

    assert_eq!(
        server.error("/no/such/page", 404),
        "no such endpoint: see /api/openapi.json"
    );
    let post = server.raw(&format!(
        "POST /api/search HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        server.addr
    ));
    assert_eq!(post.status, 405);
    assert_eq!(
        serde_json::from_slice::<Value>(&post.body).unwrap(),
        json!({"error": "only GET is supported"})
    );
    // A page on another site that rebinds its name to 127.0.0.1 gets nothing.
    let rebound = server.raw(
        "GET /api/search HTTP/1.1\r\nHost: attacker.example:7700\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(rebound.status, 403);
    let local = server.raw(&format!(
        "GET /healthz HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.addr.port()
    ));
    assert_eq!(local.status, 200);
}

#[test]
fn concurrent_requests_all_succeed() {
    let server = Server::start(shared_index());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|number| {
                let server = &server;
                scope.spawn(move || {
                    let query = ["talks", "rates", "kenya", "putin"][number % 4];
                    server
                        .get(&format!("/api/search?q={query}&facets=all"))
                        .status
                })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), 200);
        }
    });
}

#[test]
fn running_server_sees_articles_indexed_later() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("corpus");
    write_corpus(&root);
    let index = work.path().join("index");
    common::index_json(&root, &index);
    let server = Server::start(&index);
    assert_eq!(server.json("/api/search?q=glacier", 200)["total"], 0);

    write_files(
        &root,
        &[(
            "later/glacier.txt",
            "Glacier retreat speeds up in the Alps\n\n\
             Glaciologists in Switzerland said the Rhone glacier lost more ice this summer \
             than in any year since measurements began.\n",
        )],
    );
    let report = common::index_json(&root, &index);
    assert_eq!(report["indexed"], 1);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let response = server.json("/api/search?q=glacier", 200);
        if response["total"] == 1 {
            assert_eq!(ids(&response), ["later/glacier.txt#0"]);
            break;
        }
        assert!(Instant::now() < deadline, "the new article never showed up");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server.json("/healthz", 200)["articles"], 6);
    let article = server.json("/api/article/later%2Fglacier.txt%230", 200);
    assert_eq!(article["country_names"], json!({"CH": "Switzerland"}));
}

#[test]
fn other_than_loopback_warns() {
    let server = Server::start_at(shared_index(), "0.0.0.0:0");
    assert_eq!(server.startup.len(), 1, "{:?}", server.startup);
    let warning = &server.startup[0];
    assert!(
        warning.starts_with("newsdex: warning: listening on 0.0.0.0:")
            && warning.contains("not a loopback address"),
        "{warning}"
    );
    assert!(Server::start(shared_index()).startup.is_empty());
}

#[test]
fn missing_index_is_an_error() {
    let work = tempfile::tempdir().unwrap();
    newsdex()
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(work.path().join("nothing"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no index at"));
}
