//! One function per subcommand: arguments -> library request -> presenter.

use crate::args::{
    By, Command, ExtractArgs, Filters, IndexArgs, RelatedArgs, SearchArgs, ServeArgs, ShowArgs,
    Sort, StatsArgs, TimelineArgs,
};
use anyhow::{Context, Result, bail};
use newsdex::index::ArticleIndex;
use newsdex::ingest::{self, Advance, IngestOptions, Problem, Progress};
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
        Command::Timeline(args) => timeline(args),
        Command::Related(args) => related(args),
        Command::Show(args) => show(args),
        Command::Stats(args) => stats(args),
        Command::Serve(args) => serve(args),
    }
}

/// Colour only on a terminal, and never with NO_COLOR set.
fn style() -> text::Style {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    text::Style { color }
}

/// Prints each problem as one line on stderr as it happens, and on a terminal a progress
/// bar (files, MB/s, articles/s, skips, ETA) that the problem lines scroll above.
struct StderrProgress {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl StderrProgress {
    fn new(quiet: bool, show_bar: bool) -> StderrProgress {
        let bar = (show_bar && !quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            let style = indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg} ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        StderrProgress {
            quiet,
            bar,
            started: std::time::Instant::now(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for StderrProgress {
    fn problem(&mut self, problem: &Problem, skipped: bool) {
        if self.quiet {
            return;
        }
        let what = if skipped { "skipped" } else { "warning" };
        let line = format!("newsdex: {what}: {}: {}", problem.path, problem.reason);
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn advance(&mut self, advance: &Advance) {
        let Some(bar) = &self.bar else {
            return;
        };
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "{}/{} files, {} articles ({:.0}/s), {} skipped",
            advance.files,
            advance.files_total,
            advance.articles,
            advance.articles as f64 / seconds,
            advance.skipped
        ));
        bar.set_length(advance.bytes_total);
        bar.set_position(advance.bytes);
    }
}

fn index(args: IndexArgs) -> Result<ExitCode> {
    let mut options = IngestOptions::new(&args.dir, &args.location.index);
    options.threads = args.threads;
    options.prune = !args.no_prune;
    options.commit_every = args.commit_every.max(1);
    options.max_unpacked_bytes = max_unpacked_bytes()?;
    options.max_file_bytes =
        megabytes_from_env("NEWSDEX_MAX_FILE_MB")?.unwrap_or(ingest::DEFAULT_MAX_FILE_BYTES);
    let mut progress = StderrProgress::new(args.quiet, !args.json);
    let result = ingest::ingest(&options, &mut progress);
    progress.finish();
    let report = result.with_context(|| format!("cannot index {}", args.dir.display()))?;
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
    Ok(megabytes_from_env("NEWSDEX_MAX_UNPACKED_MB")?
        .unwrap_or(newsdex::archive::DEFAULT_MAX_UNPACKED_BYTES))
}

/// A size in megabytes from an environment variable (`NEWSDEX_MAX_FILE_MB`, the cap on
/// files loaded whole, is undocumented: tests use it to stream small files).
fn megabytes_from_env(name: &str) -> Result<Option<u64>> {
    let Some(value) = std::env::var_os(name) else {
        return Ok(None);
    };
    let megabytes: u64 = value
        .to_str()
        .and_then(|text| text.trim().parse().ok())
        .with_context(|| format!("{name}={value:?} is not a number of megabytes"))?;
    Ok(Some(megabytes.saturating_mul(1024 * 1024)))
}

fn search(args: SearchArgs) -> Result<ExitCode> {
    let facets = parse_facets(&args.facets)?;
    let request = SearchRequest {
        sort: match args.sort {
            Sort::Relevance => SortOrder::Relevance,
            Sort::Newest => SortOrder::Newest,
            Sort::Oldest => SortOrder::Oldest,
        },
        limit: args.limit,
        offset: args.offset,
        facets,
        facet_limit: args.facet_limit,
        ..filtered(args.filters)
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
    Ok(exit_for(response.total))
}

/// A request with the query text and filters of the command line, defaults elsewhere.
fn filtered(filters: Filters) -> SearchRequest {
    let query = filters.query.join(" ");
    SearchRequest {
        query: (!query.trim().is_empty()).then_some(query),
        people: filters.person,
        countries: filters.country,
        topics: filters.topic,
        orgs: filters.org,
        sources: filters.source,
        langs: filters.lang,
        from: filters.from,
        to: filters.to,
        ..SearchRequest::default()
    }
}

fn timeline(args: TimelineArgs) -> Result<ExitCode> {
    let by = match args.by {
        By::Month => search::Period::Month,
        By::Year => search::Period::Year,
    };
    let index = ArticleIndex::open(&args.location.index)?;
    let timeline = search::timeline(&index, &filtered(args.filters), by)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_timeline(&mut out, &timeline)?;
    } else {
        text::write_timeline(&mut out, &timeline, style())?;
    }
    out.flush()?;
    Ok(exit_for(timeline.total as usize))
}

fn related(args: RelatedArgs) -> Result<ExitCode> {
    let index = ArticleIndex::open(&args.location.index)?;
    let related = search::related(&index, &filtered(args.filters), args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        json::write_related(&mut out, &related)?;
    } else {
        text::write_related(&mut out, &related, style())?;
    }
    out.flush()?;
    Ok(exit_for(related.total))
}

/// Exit 1 when nothing matched, like grep.
fn exit_for(total: usize) -> ExitCode {
    if total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_facets(list: &str) -> Result<Vec<FacetKind>> {
    FacetKind::parse_list(list).map_err(|message| anyhow::anyhow!(message))
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut progress = StderrProgress::new(false, false);
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

fn serve(args: ServeArgs) -> Result<ExitCode> {
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&args.addr)
        .ok()
        .and_then(|mut addresses| addresses.next())
        .with_context(|| {
            format!(
                "--addr {:?} is not an address such as 127.0.0.1:7700",
                args.addr
            )
        })?;
    let index = ArticleIndex::open(&args.location.index)?;
    let server = newsdex::serve::Server::bind(index, addr)?;
    let bound = server.local_addr()?;
    if !bound.ip().is_loopback() {
        eprintln!(
            "newsdex: warning: listening on {bound}, not a loopback address: anyone who can reach it can read the whole archive (there is no authentication)"
        );
    }
    eprintln!("newsdex: listening on http://{bound}");
    server.run()?;
    Ok(ExitCode::SUCCESS)
}
