//! Extraction speed on one core over AllSides article bodies (issue 3's speed measure),
//! with the time of each stage: `cargo run --release --example eval -- speed [JSONS_DIR]`.
//!
//! Every article is extracted once as warm-up, then five timed rounds; the median round
//! is reported as MB/s of title + body text.

use newsdex::extract::{self, countries, ner, orgs, people, topics};
use newsdex::model::{Article, TextField};
use std::path::Path;
use std::time::Instant;

/// Reads the `title` and `content_original` of every AllSides JSON file under `path`.
fn read(path: &Path) -> anyhow::Result<Vec<Article>> {
    let mut articles = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(path)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    for file in entries {
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
        articles.push(Article {
            title: field("title"),
            body: field("content_original"),
            ..Article::default()
        });
    }
    Ok(articles)
}

/// CPU time this thread has used, in seconds: unlike the wall clock it does not grow
/// while other processes hold the core, so it measures the code on a busy machine too.
fn thread_cpu_seconds() -> f64 {
    let mut spec = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `spec` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut spec) };
    spec.tv_sec as f64 + spec.tv_nsec as f64 / 1e9
}

/// Timed rounds (the median is reported).
const ROUNDS: usize = 5;

/// Runs the measurement.
pub fn run(path: &Path) -> anyhow::Result<()> {
    // The first extraction loads the model, gazetteers and lexicons.
    let loading = Instant::now();
    extract::extract(&Article {
        title: "Kyiv talks".into(),
        body: "Vladimir Putin met Emmanuel Macron in Paris on Monday.".into(),
        ..Article::default()
    });
    println!(
        "loading model, gazetteers and lexicons (first extraction): {:.0} ms",
        loading.elapsed().as_secs_f64() * 1000.0
    );
    let articles = read(path)?;
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    for article in &articles {
        extract::extract(article);
    }
    let mut rounds = Vec::new();
    let mut cpu_rounds = Vec::new();
    let mut stages = [0f64; 5];
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let cpu_started = thread_cpu_seconds();
        for article in &articles {
            std::hint::black_box(extract::extract(article));
        }
        rounds.push(started.elapsed().as_secs_f64());
        cpu_rounds.push(thread_cpu_seconds() - cpu_started);
        // The same work stage by stage, to show where the time goes.
        for article in &articles {
            let clock = Instant::now();
            let tagger = ner::tagger();
            let mut spans = tagger.tag(TextField::Title, &article.title);
            spans.extend(tagger.tag(TextField::Body, &article.body));
            let mut lap = |index: usize, clock: &mut Instant| {
                stages[index] += clock.elapsed().as_secs_f64();
                *clock = Instant::now();
            };
            let mut clock = clock;
            lap(0, &mut clock);
            let places = countries::find_countries(article, &spans);
            lap(1, &mut clock);
            let prepared = extract::Prepared::new(article);
            let mut mentions = people::find_people(article, &prepared, Some(&spans), &places);
            lap(2, &mut clock);
            mentions.extend(orgs::find_orgs(article, &prepared, Some(&spans)));
            lap(3, &mut clock);
            std::hint::black_box(mentions);
            std::hint::black_box(topics::classify(&prepared));
            lap(4, &mut clock);
        }
    }
    rounds.sort_by(f64::total_cmp);
    let median = rounds[ROUNDS / 2];
    println!(
        "AllSides {}: {} articles, {:.1} MB; extraction on one core: median {:.2} s = {:.2} MB/s (rounds {:?})",
        path.display(),
        articles.len(),
        bytes as f64 / 1e6,
        median,
        bytes as f64 / 1e6 / median,
        rounds.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>()
    );
    cpu_rounds.sort_by(f64::total_cmp);
    let cpu_median = cpu_rounds[ROUNDS / 2];
    println!(
        "  CPU time of the thread: median {cpu_median:.2} s = {:.2} MB/s (rounds {:?})",
        bytes as f64 / 1e6 / cpu_median,
        cpu_rounds
            .iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
    );
    let total: f64 = stages.iter().sum();
    for (name, seconds) in ["tagger", "countries", "people", "orgs", "topics"]
        .iter()
        .zip(stages)
    {
        println!(
            "  {name:<10} {:5.1}%  {:6.2} MB/s alone",
            100.0 * seconds / total,
            bytes as f64 * ROUNDS as f64 / 1e6 / seconds
        );
    }
    Ok(())
}
