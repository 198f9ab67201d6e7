//! Human-readable output. Colour only when the caller says the output is a terminal.

use crate::extract::countries;
use crate::index::StoredArticle;
use crate::ingest::{Extracted, IngestReport};
use crate::search::{FacetCount, Hit, Period, Related, SearchResponse, Stats, Timeline};
use std::io::{self, Write};

/// Text styling: ANSI colours on a terminal, plain markers otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to emit ANSI escape codes.
    pub color: bool,
}

impl Style {
    fn bold(self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn dim(self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn accent(self, text: &str) -> String {
        if self.color {
            format!("\x1b[33m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn highlight(self, text: &str) -> String {
        if self.color {
            format!("\x1b[1;33m{text}\x1b[0m")
        } else {
            format!("[{text}]")
        }
    }
}

/// Writes search results: a summary line, the hits, then facet counts.
pub fn write_search(
    out: &mut impl Write,
    response: &SearchResponse,
    offset: usize,
    style: Style,
) -> io::Result<()> {
    let noun = if response.total == 1 {
        "article"
    } else {
        "articles"
    };
    let query = if response.query.is_empty() {
        String::new()
    } else {
        format!(" match {:?}", response.query)
    };
    writeln!(
        out,
        "{} {noun}{query} ({:.1} ms)",
        response.total, response.took_ms
    )?;
    if response.hits.is_empty() && response.total > 0 {
        writeln!(out, "(no hits on this page: offset {offset})")?;
    }
    for (number, hit) in response.hits.iter().enumerate() {
        writeln!(out)?;
        write_hit(out, offset + number + 1, hit, style)?;
    }
    let facets: Vec<_> = response
        .facets
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .collect();
    if !facets.is_empty() {
        writeln!(out)?;
    }
    for (name, values) in facets {
        writeln!(out, "{}: {}", style.bold(name), facet_line(values))?;
    }
    Ok(())
}

fn write_hit(out: &mut impl Write, number: usize, hit: &Hit, style: Style) -> io::Result<()> {
    let title = if hit.title.is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    let mut meta = Vec::new();
    if let Some(date) = hit.date {
        meta.push(date.format("%Y-%m-%d").to_string());
    }
    if let Some(source) = &hit.source {
        meta.push(source.clone());
    }
    let meta = if meta.is_empty() {
        String::new()
    } else {
        format!("  {}", style.dim(&meta.join(" · ")))
    };
    writeln!(out, "{number}. {}{meta}", style.bold(title))?;
    if hit.copies > 1 {
        let others = hit.copy_ids.join(", ");
        let more = if hit.copies - 1 > hit.copy_ids.len() {
            ", …"
        } else {
            ""
        };
        let line = format!("{} · {} copies: also {others}{more}", hit.id, hit.copies);
        writeln!(out, "   {}", style.dim(&line))?;
    } else {
        writeln!(out, "   {}", style.dim(&hit.id))?;
    }
    for fragment in &hit.fragments {
        writeln!(
            out,
            "   {}",
            highlighted(&fragment.text, &fragment.highlights, style)
        )?;
    }
    let mut entities = Vec::new();
    if !hit.people.is_empty() {
        entities.push(format!("people: {}", hit.people.join(", ")));
    }
    if !hit.countries.is_empty() {
        entities.push(format!("countries: {}", hit.countries.join(", ")));
    }
    if !hit.topics.is_empty() {
        entities.push(format!("topics: {}", hit.topics.join(", ")));
    }
    if !entities.is_empty() {
        writeln!(out, "   {}", style.dim(&entities.join(" · ")))?;
    }
    Ok(())
}

/// The text with each highlighted range marked.
fn highlighted(text: &str, ranges: &[(usize, usize)], style: Style) -> String {
    let mut output = String::with_capacity(text.len() + ranges.len() * 8);
    let mut position = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(word)) = (text.get(position..start), text.get(start..end)) else {
            continue;
        };
        output.push_str(before);
        output.push_str(&style.highlight(word));
        position = end;
    }
    output.push_str(text.get(position..).unwrap_or(""));
    output
}

fn facet_line(values: &[FacetCount]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|value| match &value.name {
            Some(name) => format!("{name} ({}) {}", value.value, value.count),
            None => format!("{} {}", value.value, value.count),
        })
        .collect();
    parts.join(" · ")
}

/// Writes what extraction found in one article.
pub fn write_extracted(
    out: &mut impl Write,
    extracted: &Extracted,
    with_body: bool,
    style: Style,
) -> io::Result<()> {
    let article = &extracted.article;
    let entities = &extracted.entities;
    writeln!(
        out,
        "{}",
        style.bold(&format!("{} #{}", article.path, article.item))
    )?;
    writeln!(out, "  title:     {}", article.title)?;
    let date = article
        .date
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string());
    let fields = [
        ("date", date),
        ("source", article.source.clone()),
        ("url", article.url.clone()),
        ("byline", article.byline.clone()),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            writeln!(out, "  {name:<10} {value}")?;
        }
    }
    let countries: Vec<String> = entities
        .countries
        .iter()
        .map(|code| match countries::name(code) {
            Some(name) => format!("{name} ({code})"),
            None => code.clone(),
        })
        .collect();
    writeln!(out, "  people:    {}", entities.people.join(", "))?;
    writeln!(out, "  countries: {}", countries.join(", "))?;
    writeln!(out, "  orgs:      {}", entities.orgs.join(", "))?;
    writeln!(out, "  topics:    {}", entities.topics.join(", "))?;
    if with_body {
        writeln!(out)?;
        writeln!(out, "{}", article.body)?;
    }
    writeln!(out)
}

/// Writes the one-paragraph summary of an ingest.
pub fn write_report(out: &mut impl Write, report: &IngestReport) -> io::Result<()> {
    writeln!(
        out,
        "indexed {} new, {} updated, {} unchanged, {} removed articles; {} files skipped, {} warnings, {} duplicates",
        report.indexed,
        report.updated,
        report.unchanged,
        report.removed,
        report.skipped.len(),
        report.warnings.len(),
        report.duplicates
    )?;
    let megabytes = report.bytes as f64 / 1_000_000.0;
    let seconds = report.seconds.max(1e-9);
    writeln!(
        out,
        "{} articles in the index; read {} files, {megabytes:.1} MB in {:.2} s ({:.1} MB/s, {:.0} articles/s)",
        report.total,
        report.files,
        report.seconds,
        megabytes / seconds,
        (report.indexed + report.updated) as f64 / seconds
    )
}

/// Writes index statistics.
pub fn write_stats(out: &mut impl Write, stats: &Stats, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "{} articles, {} undated",
        stats.articles, stats.undated
    )?;
    let day = |date: Option<chrono::DateTime<chrono::Utc>>| {
        date.map_or("-".to_string(), |d| d.format("%Y-%m-%d").to_string())
    };
    writeln!(
        out,
        "dates: {} to {}",
        day(stats.first_date),
        day(stats.last_date)
    )?;
    writeln!(
        out,
        "index size: {:.1} MB",
        stats.index_bytes as f64 / 1_000_000.0
    )?;
    if !stats.sources.is_empty() {
        writeln!(
            out,
            "{}: {}",
            style.bold("sources"),
            facet_line(&stats.sources)
        )?;
    }
    for (name, values) in &stats.top {
        if !values.is_empty() {
            writeln!(out, "{}: {}", style.bold(name), facet_line(values))?;
        }
    }
    Ok(())
}

/// Widest timeline bar, in characters.
const BAR_WIDTH: u64 = 50;

/// Writes a timeline as a bar chart: one line per period, empty periods included.
pub fn write_timeline(out: &mut impl Write, timeline: &Timeline, style: Style) -> io::Result<()> {
    let noun = if timeline.total == 1 {
        "article"
    } else {
        "articles"
    };
    let query = if timeline.query.is_empty() {
        String::new()
    } else {
        format!(" match {:?}", timeline.query)
    };
    let by = match timeline.by {
        Period::Month => "month",
        Period::Year => "year",
    };
    let undated = if timeline.undated > 0 {
        format!(", {} undated", timeline.undated)
    } else {
        String::new()
    };
    writeln!(out, "{} {noun}{query}, by {by}{undated}", timeline.total)?;
    let most = timeline
        .periods
        .iter()
        .map(|period| period.count)
        .max()
        .unwrap_or(0);
    for period in &timeline.periods {
        // Any non-zero count gets at least one block, so a single article is visible.
        let width = if period.count == 0 {
            0
        } else {
            (period.count * BAR_WIDTH).div_ceil(most.max(1))
        };
        let bar = "█".repeat(width as usize);
        let padding = " ".repeat((BAR_WIDTH - width) as usize);
        writeln!(
            out,
            "{}  {}{padding}  {}",
            period.period,
            style.accent(&bar),
            period.count
        )?;
    }
    Ok(())
}

/// Writes the entities related to a person, country or query.
pub fn write_related(out: &mut impl Write, related: &Related, style: Style) -> io::Result<()> {
    let noun = if related.total == 1 {
        "article"
    } else {
        "articles"
    };
    let query = if related.query.is_empty() {
        String::new()
    } else {
        format!(" match {:?}", related.query)
    };
    writeln!(out, "{} {noun}{query}", related.total)?;
    for name in ["person", "country", "org", "topic"] {
        let Some(values) = related.related.get(name) else {
            continue;
        };
        let label = match name {
            "person" => "people",
            "country" => "countries",
            "org" => "organizations",
            _ => "topics",
        };
        if values.is_empty() {
            writeln!(out, "{}: -", style.bold(label))?;
        } else {
            writeln!(out, "{}: {}", style.bold(label), facet_line(values))?;
        }
    }
    Ok(())
}

/// Writes one stored article in full.
pub fn write_article(
    out: &mut impl Write,
    article: &StoredArticle,
    style: Style,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&article.title))?;
    let mut meta = vec![format!("id {}", article.id)];
    if let Some(date) = article.date {
        meta.push(date.format("%Y-%m-%d").to_string());
    }
    for value in [&article.source, &article.byline, &article.url]
        .into_iter()
        .flatten()
    {
        meta.push(value.clone());
    }
    writeln!(out, "{}", style.dim(&meta.join(" · ")))?;
    writeln!(out, "people: {}", article.people.join(", "))?;
    writeln!(out, "countries: {}", article.countries.join(", "))?;
    writeln!(out, "orgs: {}", article.orgs.join(", "))?;
    writeln!(out, "topics: {}", article.topics.join(", "))?;
    writeln!(out)?;
    writeln!(out, "{}", article.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_marked() {
        let plain = Style { color: false };
        let text = "the peace talks resumed";
        assert_eq!(
            highlighted(text, &[(4, 15)], plain),
            "the [peace talks] resumed"
        );
        assert_eq!(
            highlighted(text, &[(4, 9)], plain),
            "the [peace] talks resumed"
        );
        assert_eq!(highlighted(text, &[], plain), text);
    }
}
