//! Deterministic synthetic corpora for benchmarks.
//!
//! `cargo run --release --example gen_corpus -- SOURCE_DIR COUNT OUT_DIR [SEED]`
//!
//! Reads the sentences of the AllSides JSON articles in SOURCE_DIR (e.g.
//! ../shared/corpora/allsides/jsons) and writes COUNT new articles as JSON Lines, each a
//! recombination of 8-30 sentences (in files of 10,000 articles, `part-00000.jsonl` ...) with a fresh id, date (2015-2025), source and a few
//! injected people and places so that facets have realistic spread. The same arguments
//! always give the same file.

use serde_json::{Value, json};
use std::io::{BufWriter, Write};

/// A small xorshift generator: deterministic and dependency-free.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

const PEOPLE: [&str; 12] = [
    "Vladimir Putin",
    "Volodymyr Zelensky",
    "Emmanuel Macron",
    "Olaf Scholz",
    "Keir Starmer",
    "Xi Jinping",
    "Narendra Modi",
    "Joe Biden",
    "Donald Trump",
    "Ursula von der Leyen",
    "Recep Tayyip Erdoğan",
    "Luiz Inácio Lula da Silva",
];
const PLACES: [&str; 12] = [
    "Kyiv",
    "Moscow",
    "Paris",
    "Berlin",
    "London",
    "Beijing",
    "New Delhi",
    "Washington",
    "Brussels",
    "Ankara",
    "Brasília",
    "Tokyo",
];
const SOURCES: [&str; 6] = [
    "Example Wire",
    "Daily Example",
    "Example Times",
    "World Example",
    "Example Post",
    "Example Herald",
];

fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [source, count, output, rest @ ..] = arguments.as_slice() else {
        anyhow::bail!("usage: gen_corpus SOURCE_DIR COUNT OUT_DIR [SEED]");
    };
    let count: usize = count.parse()?;
    let seed: u64 = rest
        .first()
        .map_or(Ok(0x9E37_79B9_7F4A_7C15), |s| s.parse())?;
    let mut files: Vec<_> = std::fs::read_dir(source)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut sentences: Vec<String> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        let value: Value = serde_json::from_slice(&std::fs::read(file)?)?;
        if let Some(title) = value["title"].as_str() {
            titles.push(title.to_string());
        }
        let body = value["content_original"].as_str().unwrap_or("");
        for sentence in body.split_inclusive(". ") {
            let sentence = sentence.trim();
            if sentence.len() > 40 && sentence.len() < 400 {
                sentences.push(sentence.to_string());
            }
        }
    }
    anyhow::ensure!(
        !sentences.is_empty() && !titles.is_empty(),
        "no articles under {source}"
    );
    let mut random = Random(seed | 1);
    std::fs::create_dir_all(output)?;
    let mut out: BufWriter<Box<dyn Write>> = BufWriter::new(Box::new(std::io::sink()));
    for number in 0..count {
        if number % 10_000 == 0 {
            out.flush()?;
            let part =
                std::path::Path::new(output).join(format!("part-{:05}.jsonl", number / 10_000));
            out = BufWriter::new(Box::new(std::fs::File::create(part)?));
        }
        let length = 8 + random.below(23);
        let mut paragraphs = Vec::new();
        let mut paragraph = String::new();
        for index in 0..length {
            if index == 2 {
                let person = PEOPLE[random.below(PEOPLE.len())];
                let place = PLACES[random.below(PLACES.len())];
                paragraph.push_str(&format!(
                    "{person} spoke to reporters in {place} on Monday. "
                ));
            }
            paragraph.push_str(&sentences[random.below(sentences.len())]);
            paragraph.push(' ');
            if random.below(4) == 0 {
                paragraphs.push(paragraph.trim().to_string());
                paragraph.clear();
            }
        }
        if !paragraph.trim().is_empty() {
            paragraphs.push(paragraph.trim().to_string());
        }
        let day = random.below(11 * 365);
        let date = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
            + chrono::Duration::days(day as i64);
        let article = json!({
            "id": format!("gen-{seed:x}-{number}"),
            "title": titles[random.below(titles.len())],
            "date": date.format("%Y-%m-%d").to_string(),
            "source": SOURCES[random.below(SOURCES.len())],
            "body": paragraphs.join("\n\n"),
        });
        serde_json::to_writer(&mut out, &article)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
