//! Query latency over a fixed mix, measured in-process after warm-up.
//!
//! `cargo run --release --example query_bench -- INDEX [ROUNDS] [ONLY]` prints p50 and p99
//! per query type, facets included where the type says so; ONLY keeps the query types whose
//! name contains it (for profiling one type). ONLY = `facet-split` runs, instead of the mix,
//! the mix's country filter with no facets, then one facet at a time, then its three, with no
//! hits read: where the time of a faceted search goes.

use newsdex::index::ArticleIndex;
use newsdex::search::{FacetKind, SearchRequest, SortOrder, search};
use std::time::Instant;

fn request(query: Option<&str>) -> SearchRequest {
    SearchRequest {
        query: query.map(str::to_string),
        limit: 10,
        facets: Vec::new(),
        facet_limit: 10,
        ..SearchRequest::default()
    }
}

fn mix() -> Vec<(&'static str, SearchRequest)> {
    vec![
        ("single term", request(Some("election"))),
        ("two terms", request(Some("trade tariffs"))),
        ("phrase", request(Some("\"white house\""))),
        (
            "person filter",
            SearchRequest {
                people: vec!["Putin".into()],
                ..request(Some("talks"))
            },
        ),
        (
            "country filter + facets",
            SearchRequest {
                countries: vec!["FR".into()],
                facets: vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic],
                ..request(None)
            },
        ),
        (
            "date range + newest",
            SearchRequest {
                from: Some("2019-01-01".into()),
                to: Some("2019-06-30".into()),
                sort: SortOrder::Newest,
                ..request(Some("president"))
            },
        ),
        (
            "broad + all facets",
            SearchRequest {
                facets: FacetKind::ALL.to_vec(),
                ..request(Some("said"))
            },
        ),
    ]
}

/// The country filter of the mix, split: matching alone, each facet alone, all three.
fn facet_split() -> Vec<(&'static str, SearchRequest)> {
    let filtered = |facets: Vec<FacetKind>, limit: usize| SearchRequest {
        countries: vec!["FR".into()],
        facets,
        limit,
        ..request(None)
    };
    let three = vec![FacetKind::Country, FacetKind::Person, FacetKind::Topic];
    vec![
        ("FR, no facets, no hits", filtered(Vec::new(), 0)),
        ("FR, year, no hits", filtered(vec![FacetKind::Year], 0)),
        ("FR, source, no hits", filtered(vec![FacetKind::Source], 0)),
        (
            "FR, country, no hits",
            filtered(vec![FacetKind::Country], 0),
        ),
        ("FR, person, no hits", filtered(vec![FacetKind::Person], 0)),
        ("FR, the three, no hits", filtered(three.clone(), 0)),
        ("FR, the three, 10 hits", filtered(three, 10)),
    ]
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = arguments.first() else {
        anyhow::bail!("usage: query_bench INDEX [ROUNDS] [ONLY]");
    };
    let rounds: usize = arguments.get(1).map_or(Ok(200), |r| r.parse())?;
    let only = arguments.get(2).map(String::as_str).unwrap_or("");
    // Like `newsdex serve`, which keeps the index open and its facet values decoded.
    let index = ArticleIndex::open(std::path::Path::new(path))?.keep_facet_cache();
    println!(
        "{:<26} {:>10} {:>10} {:>10}",
        "query type", "hits", "p50 ms", "p99 ms"
    );
    let mut all = Vec::new();
    let split = only == "facet-split";
    let types = if split {
        facet_split()
    } else {
        mix()
            .into_iter()
            .filter(|(name, _)| name.contains(only))
            .collect()
    };
    for (name, request) in types {
        for _ in 0..10 {
            search(&index, &request)?;
        }
        let mut timings = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            total = search(&index, &request)?.total;
            timings.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        timings.sort_by(f64::total_cmp);
        all.extend_from_slice(&timings);
        println!(
            "{name:<26} {total:>10} {:>10.2} {:>10.2}",
            percentile(&timings, 0.5),
            percentile(&timings, 0.99)
        );
    }
    if split {
        return Ok(());
    }
    all.sort_by(f64::total_cmp);
    println!(
        "{:<26} {:>10} {:>10.2} {:>10.2}",
        "whole mix",
        "",
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
    Ok(())
}
