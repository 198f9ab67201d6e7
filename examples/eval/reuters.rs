//! Reuters-21578 country evaluation: ModApte test split (LEWISSPLIT="TEST" TOPICS="YES"),
//! the story's PLACES tags (all of them are countries) against the `countries` list of
//! `newsdex::extract::extract`, micro precision/recall/F1 over (story, country) pairs, next
//! to a baseline that only knows the exact country short names.
//!
//! Each story becomes an Article with the TITLE as title and DATELINE + BODY as body (the
//! dateline is part of the story text as a reader sees it). Reuters place codes map to ISO
//! 3166-1 through `countries::resolve`, except the historical ones in `HISTORICAL`: ussr ->
//! RU, west-germany / east-germany -> DE, czechoslovakia -> CZ, yugoslavia -> RS,
//! zaire -> CD, kampuchea -> KH, netherlands-antilles -> CW, the two Yemens -> YE.

use aho_corasick::{AhoCorasick, MatchKind};
use newsdex::extract::{countries, extract};
use newsdex::model::Article;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

/// Reuters place codes that `countries::resolve` cannot read from the name.
const HISTORICAL: &[(&str, &str)] = &[
    ("usa", "US"),
    ("uk", "GB"),
    ("ussr", "RU"),
    ("west-germany", "DE"),
    ("east-germany", "DE"),
    ("czechoslovakia", "CZ"),
    ("yugoslavia", "RS"),
    ("zaire", "CD"),
    ("congo", "CG"),
    ("kampuchea", "KH"),
    ("netherlands-antilles", "CW"),
    ("yemen-arab-republic", "YE"),
    ("yemen-demo-republic", "YE"),
    ("trinidad-tobago", "TT"),
    ("western-samoa", "WS"),
    ("antigua", "AG"),
    ("us-virgin-islands", "VI"),
    ("macao", "MO"),
];

const COUNTRY_TABLE: &str = include_str!("../../src/extract/data/countries.tsv");

/// One test story: article text and gold country codes.
struct Story {
    article: Article,
    gold: BTreeSet<String>,
}

/// Micro-averaged counts over (story, country) pairs.
#[derive(Default)]
struct Score {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
}

impl Score {
    fn add(&mut self, gold: &BTreeSet<String>, predicted: &BTreeSet<String>) {
        self.true_positives += gold.intersection(predicted).count();
        self.false_positives += predicted.difference(gold).count();
        self.false_negatives += gold.difference(predicted).count();
    }

    fn print(&self, label: &str) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        );
        let recall = ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        );
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        println!(
            "{label:<28} P {:5.1}  R {:5.1}  F1 {:5.1}  (tp {} fp {} fn {})",
            precision * 100.0,
            recall * 100.0,
            f1 * 100.0,
            self.true_positives,
            self.false_positives,
            self.false_negatives
        );
    }
}

/// Runs the evaluation on the corpus at `path` and prints the figures.
pub fn run(path: &Path) -> anyhow::Result<()> {
    let mut stories = Vec::new();
    for index in 0..22 {
        let file = path.join(format!("reut2-{index:03}.sgm"));
        let bytes = std::fs::read(&file)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
        // Latin-1: every byte is the code point of the same value.
        let text: String = bytes.iter().map(|&byte| byte as char).collect();
        stories.extend(parse_stories(&text));
    }
    let baseline = Baseline::new()?;
    let mut score = Score::default();
    let mut baseline_score = Score::default();
    let mut bytes = 0;
    let mut elapsed = Duration::ZERO;
    let mut false_positives: HashMap<String, usize> = HashMap::new();
    let mut false_negatives: HashMap<String, usize> = HashMap::new();
    for story in &stories {
        bytes += story.article.title.len() + story.article.body.len();
        let started = Instant::now();
        let entities = extract(&story.article);
        elapsed += started.elapsed();
        let predicted: BTreeSet<String> = entities.countries.into_iter().collect();
        score.add(&story.gold, &predicted);
        for code in predicted.difference(&story.gold) {
            *false_positives.entry(code.clone()).or_default() += 1;
        }
        for code in story.gold.difference(&predicted) {
            *false_negatives.entry(code.clone()).or_default() += 1;
        }
        baseline_score.add(&story.gold, &baseline.find(&story.article));
    }
    println!(
        "reuters-21578 ModApte test: {} stories, {} gold pairs",
        stories.len(),
        stories.iter().map(|story| story.gold.len()).sum::<usize>()
    );
    baseline_score.print("baseline (short names only)");
    score.print("newsdex extract");
    println!("most false positives: {}", top(&false_positives));
    println!("most false negatives: {}", top(&false_negatives));
    let seconds = elapsed.as_secs_f64().max(1e-9);
    println!(
        "extract speed: {:.1} MB/s ({} bytes in {:.3} s, one core)",
        bytes as f64 / 1e6 / seconds,
        bytes,
        seconds
    );
    Ok(())
}

/// The ten most frequent codes of a count table, as "US 12, GB 7, ...".
fn top(counts: &HashMap<String, usize>) -> String {
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = sorted
        .iter()
        .take(10)
        .map(|(code, count)| format!("{code} {count}"))
        .collect();
    shown.join(", ")
}

/// The ModApte test stories of one SGML file.
fn parse_stories(text: &str) -> Vec<Story> {
    let mut stories = Vec::new();
    for chunk in text.split("<REUTERS ").skip(1) {
        let Some(header_end) = chunk.find('>') else {
            continue;
        };
        let header = &chunk[..header_end];
        if !header.contains("LEWISSPLIT=\"TEST\"") || !header.contains("TOPICS=\"YES\"") {
            continue;
        }
        let gold = element(chunk, "PLACES")
            .map(place_codes)
            .unwrap_or_default();
        let title = element(chunk, "TITLE").map(decode).unwrap_or_default();
        let dateline = element(chunk, "DATELINE").map(decode).unwrap_or_default();
        let body = element(chunk, "BODY").map(decode).unwrap_or_default();
        let article = Article {
            id: header.to_string(),
            title: title.trim().to_string(),
            body: format!("{}{}", dateline.trim_start(), body),
            ..Article::default()
        };
        stories.push(Story { article, gold });
    }
    stories
}

/// The raw content of the first `<name>...</name>` element.
fn element<'a>(chunk: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = chunk.find(&open)? + open.len();
    let length = chunk[start..].find(&close)?;
    Some(&chunk[start..start + length])
}

/// ISO codes of the `<D>code</D>` entries of a PLACES element.
fn place_codes(places: &str) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in places.split("<D>").skip(1) {
        let place = entry.split("</D>").next().unwrap_or_default();
        let known = HISTORICAL.iter().find(|(reuters, _)| *reuters == place);
        let code = match known {
            Some((_, code)) => Some(*code),
            None => countries::resolve(&place.replace('-', " ")),
        };
        match code {
            Some(code) => {
                codes.insert(code.to_string());
            }
            None => eprintln!("unmapped Reuters place {place:?}"),
        }
    }
    codes
}

/// Replaces the SGML entities of the corpus; control-character references are dropped.
fn decode(raw: &str) -> String {
    let mut decoded = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(position) = rest.find('&') {
        decoded.push_str(&rest[..position]);
        rest = &rest[position..];
        let Some(end) = rest.find(';').filter(|end| *end <= 8) else {
            decoded.push('&');
            rest = &rest[1..];
            continue;
        };
        match &rest[1..end] {
            "lt" => decoded.push('<'),
            "gt" => decoded.push('>'),
            "amp" => decoded.push('&'),
            "quot" => decoded.push('"'),
            number if number.starts_with('#') => {
                let value = number[1..].parse::<u32>().ok().and_then(char::from_u32);
                if let Some(character) = value.filter(|c| !c.is_control() || *c == '\n') {
                    decoded.push(character);
                }
            }
            _ => decoded.push_str(&rest[..=end]),
        }
        rest = &rest[end + 1..];
    }
    decoded.push_str(rest);
    decoded
}

/// The baseline: exact country short names (as written or in all caps) at word boundaries.
struct Baseline {
    automaton: AhoCorasick,
    codes: Vec<String>,
}

impl Baseline {
    fn new() -> anyhow::Result<Baseline> {
        let mut patterns = Vec::new();
        let mut codes = Vec::new();
        for line in COUNTRY_TABLE.lines().skip(2) {
            let Some((code, name)) = line.split_once('\t') else {
                continue;
            };
            for pattern in [name.to_string(), name.to_uppercase()] {
                patterns.push(pattern);
                codes.push(code.to_string());
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)?;
        Ok(Baseline { automaton, codes })
    }

    fn find(&self, article: &Article) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for text in [&article.title, &article.body] {
            for hit in self.automaton.find_iter(text.as_str()) {
                let before = text[..hit.start()].chars().next_back();
                let after = text[hit.end()..].chars().next();
                let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                if !is_word(before) && !is_word(after) {
                    found.insert(self.codes[hit.pattern().as_usize()].clone());
                }
            }
        }
        found
    }
}
