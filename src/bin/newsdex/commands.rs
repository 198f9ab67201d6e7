//! One function per subcommand: arguments -> library request -> presenter.

use crate::args::{Command, ExtractArgs, IndexArgs, SearchArgs, ShowArgs, Sort, StatsArgs};
use anyhow::{Context, Result, bail};
use newsdex::index::ArticleIndex;
use newsdex::ingest::{self, IngestOptions, Problem, Progress};
use newsdex::present::{json, text};
use newsdex::search::{self, FacetKind, SearchRequest, SortOrder};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Runs a subcommand; the exit code for success paths.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Index(args) => index(args),
        Command::Search(args) => search(*args),
        Command::Extract(args) => extract(args),
        Command::Show(args) => show(args),
        Command::Stats(args) => stats(args),
    }
}

/// Colour only on a terminal, and never with NO_COLOR set.
fn style() -> text::Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    text::Style { color }
}

/// Prints each problem as one line on stderr as it happens.
struct StderrProgress {
    quiet: bool,
}

impl Progress for StderrProgress {
    fn problem(&mut self, problem: &Problem, skipped: bool) {
        if self.quiet {
            return;
        }
        let what = if skipped { "skipped" } else { "warning" };
        eprintln!("newsdex: {what}: {}: {}", problem.path, problem.reason);
    }
}

fn index(args: IndexArgs) -> Result<ExitCode> {
    let mut options = IngestOptions::new(&args.dir, &args.location.index);
    options.threads = args.threads;
    options.prune = !args.no_prune;
    options.max_unpacked_bytes = max_unpacked_bytes()?;
    let mut progress = StderrProgress { quiet: args.quiet };
    let report = ingest::ingest(&options, &mut progress)
        .with_context(|| format!("cannot index {}", args.dir.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_report(&mut out, &report)?;
    } else {
        text::write_report(&mut out, &report)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The cap on one compressed file's unpacked size: `NEWSDEX_MAX_UNPACKED_MB`, else 1024.
fn max_unpacked_bytes() -> Result<u64> {
    let Some(value) = std::env::var_os("NEWSDEX_MAX_UNPACKED_MB") else {
        return Ok(newsdex::archive::DEFAULT_MAX_UNPACKED_BYTES);
    };
    let megabytes: u64 = value
        .to_str()
        .and_then(|text| text.trim().parse().ok())
        .with_context(|| {
            format!("NEWSDEX_MAX_UNPACKED_MB={value:?} is not a number of megabytes")
        })?;
    Ok(megabytes.saturating_mul(1024 * 1024))
}

fn search(args: SearchArgs) -> Result<ExitCode> {
    let facets = parse_facets(&args.facets)?;
    let query = args.query.join(" ");
    let request = SearchRequest {
        query: (!query.trim().is_empty()).then_some(query),
        people: args.person,
        countries: args.country,
        topics: args.topic,
        orgs: args.org,
        sources: args.source,
        from: args.from,
        to: args.to,
        sort: match args.sort {
            Sort::Relevance => SortOrder::Relevance,
            Sort::Newest => SortOrder::Newest,
            Sort::Oldest => SortOrder::Oldest,
        },
        limit: args.limit,
        offset: args.offset,
        facets,
        facet_limit: args.facet_limit,
    };
    let index = ArticleIndex::open(&args.location.index)?;
    let response = search::search(&index, &request)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_search(&mut out, &response)?;
    } else {
        text::write_search(&mut out, &response, args.offset, style())?;
    }
    out.flush()?;
    Ok(if response.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse_facets(list: &str) -> Result<Vec<FacetKind>> {
    let mut facets = Vec::new();
    for name in list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        if name.eq_ignore_ascii_case("none") {
            return Ok(Vec::new());
        }
        if name.eq_ignore_ascii_case("all") {
            return Ok(FacetKind::ALL.to_vec());
        }
        match FacetKind::parse(name) {
            Some(kind) if !facets.contains(&kind) => facets.push(kind),
            Some(_) => {}
            None => bail!(
                "unknown facet {name:?}: use country, person, topic, org, source, all or none"
            ),
        }
    }
    Ok(facets)
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut progress = StderrProgress { quiet: false };
    let style = style();
    for path in &args.paths {
        if !path.exists() {
            bail!("{}: no such file or directory", path.display());
        }
        let (extracted, _problems) =
            ingest::extract_path_with_limit(path, max_unpacked_bytes()?, &mut progress);
        for item in &extracted {
            if args.json {
                json::write_extracted(&mut out, item, args.body)?;
            } else {
                text::write_extracted(&mut out, item, args.body, style)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn show(args: ShowArgs) -> Result<ExitCode> {
    let index = ArticleIndex::open(&args.location.index)?;
    let Some(article) = search::find_article(&index, &args.id)? else {
        bail!("no article with id {:?}", args.id);
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_article(&mut out, &article)?;
    } else {
        text::write_article(&mut out, &article, style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn stats(args: StatsArgs) -> Result<ExitCode> {
    let index = ArticleIndex::open(&args.location.index)?;
    let stats = search::stats(&index, 10)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_stats(&mut out, &stats)?;
    } else {
        text::write_stats(&mut out, &stats, style())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
