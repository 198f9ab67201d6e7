//! JSON output in the stable shapes of DESIGN §5.

use crate::index::StoredArticle;
use crate::ingest::{Extracted, IngestReport};
use crate::model::Mention;
use crate::search::{Related, SearchResponse, Stats, Timeline};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::io::{self, Write};

/// One `extract --json` line.
#[derive(Serialize)]
struct ExtractLine<'a> {
    path: &'a str,
    item: usize,
    id: &'a str,
    title: &'a str,
    date: Option<String>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    byline: Option<&'a str>,
    lang: Option<&'a str>,
    people: &'a [String],
    countries: &'a [String],
    orgs: &'a [String],
    topics: &'a [String],
    mentions: &'a [Mention],
    /// Source tags and names the source marked up itself; left out when empty.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tagged_people: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tagged_places: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tagged_orgs: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
}

/// Dates as "2025-11-27T00:00:00Z".
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Writes one line per article for `newsdex extract --json`.
pub fn write_extracted(
    out: &mut impl Write,
    extracted: &Extracted,
    with_body: bool,
) -> io::Result<()> {
    let article = &extracted.article;
    let entities = &extracted.entities;
    let line = ExtractLine {
        path: &article.path,
        item: article.item,
        id: &article.id,
        title: &article.title,
        date: article.date.as_ref().map(format_date),
        source: article.source.as_deref(),
        url: article.url.as_deref(),
        byline: article.byline.as_deref(),
        lang: article.lang.as_deref(),
        people: &entities.people,
        countries: &entities.countries,
        orgs: &entities.orgs,
        topics: &entities.topics,
        mentions: &entities.mentions,
        tags: &article.tags,
        tagged_people: &article.tagged_people,
        tagged_places: &article.tagged_places,
        tagged_orgs: &article.tagged_orgs,
        body: with_body.then_some(article.body.as_str()),
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

/// Writes any serializable value as one JSON document and a newline.
fn write_value(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Writes a search response.
pub fn write_search(out: &mut impl Write, response: &SearchResponse) -> io::Result<()> {
    write_value(out, response)
}

/// Writes an ingest report.
pub fn write_report(out: &mut impl Write, report: &IngestReport) -> io::Result<()> {
    write_value(out, report)
}

/// Writes index statistics.
pub fn write_stats(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    write_value(out, stats)
}

/// Writes a timeline.
pub fn write_timeline(out: &mut impl Write, timeline: &Timeline) -> io::Result<()> {
    write_value(out, timeline)
}

/// Writes related entities.
pub fn write_related(out: &mut impl Write, related: &Related) -> io::Result<()> {
    write_value(out, related)
}

/// Writes one stored article.
pub fn write_article(out: &mut impl Write, article: &StoredArticle) -> io::Result<()> {
    write_value(out, article)
}
