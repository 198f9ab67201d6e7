//! Command-line arguments (clap derive). Nothing here enters the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turn a directory of news articles into a searchable archive.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from a directory of articles.
    Index(IndexArgs),
    /// Search the index.
    Search(Box<SearchArgs>),
    /// Show what the ingester extracts from files, without indexing.
    Extract(ExtractArgs),
    /// Article counts per month or year, as a bar chart.
    Timeline(TimelineArgs),
    /// People, countries, organizations and topics that appear with a person or country.
    Related(RelatedArgs),
    /// Show one stored article with its entities.
    Show(ShowArgs),
    /// Counts, date range, sources and top entities of the index.
    Stats(StatsArgs),
    /// Serve the JSON API and the search page over HTTP.
    Serve(ServeArgs),
}

/// Where the index lives.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index directory [default: $NEWSDEX_INDEX, else ./newsdex-index]
    #[arg(
        long,
        env = "NEWSDEX_INDEX",
        default_value = "newsdex-index",
        hide_env_values = true
    )]
    pub index: PathBuf,
}

/// `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Directory (or single file) of articles.
    pub dir: PathBuf,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Worker threads [default: all cores].
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
    /// Keep articles of files that were deleted from DIR.
    #[arg(long)]
    pub no_prune: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print only the summary (no per-file warnings).
    #[arg(long, short)]
    pub quiet: bool,
    /// Commit (make progress survive a crash) after this many new articles.
    #[arg(long, default_value_t = 50_000, hide = true)]
    pub commit_every: usize,
}

/// Hit order.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Sort {
    /// Best match first (newest first when there is no query text).
    Relevance,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
}

/// Query text and filters, shared by search, timeline and related.
#[derive(Debug, Args)]
pub struct Filters {
    /// Query: words (ANDed), "phrases" ("a b"~N for slop), OR, NOT/-, parentheses,
    /// prefix wildcards (negotiat*), person:, country:, topic:, org:, source:, title:,
    /// date:[A TO B].
    pub query: Vec<String>,
    /// Only articles mentioning this person (any part of the name; a,b = either).
    #[arg(long)]
    pub person: Vec<String>,
    /// Only articles about this country (ISO code, name or demonym; a,b = either).
    #[arg(long)]
    pub country: Vec<String>,
    /// Only articles with this IPTC topic slug (a,b = either).
    #[arg(long)]
    pub topic: Vec<String>,
    /// Only articles mentioning this organization (a,b = either).
    #[arg(long)]
    pub org: Vec<String>,
    /// Only articles from this source (a,b = either).
    #[arg(long)]
    pub source: Vec<String>,
    /// Only articles in this language: ISO 639-1 code (en, fr, de; a,b = either).
    #[arg(long)]
    pub lang: Vec<String>,
    /// Earliest date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Latest date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
}

/// `newsdex search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// Hit order.
    #[arg(long, value_enum, default_value_t = Sort::Relevance)]
    pub sort: Sort,
    /// Number of hits to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Number of hits to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Facets to count: country,person,topic,org,source,year, all or none.
    #[arg(long, default_value = "country,person,topic")]
    pub facets: String,
    /// Values shown per facet.
    #[arg(long, default_value_t = 10)]
    pub facet_limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

/// Timeline bar width.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    /// One bar per month.
    Month,
    /// One bar per year.
    Year,
}

/// `newsdex timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// One bar per month or per year.
    #[arg(long, value_enum, default_value_t = By::Month)]
    pub by: By,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

/// `newsdex related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// Values shown per list.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

/// `newsdex extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or directories to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object per article.
    #[arg(long)]
    pub json: bool,
    /// Include the normalized body.
    #[arg(long)]
    pub body: bool,
}

/// `newsdex show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (as printed by search).
    pub id: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

/// `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

/// `newsdex serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port); other than loopback, anyone who
    /// can reach it can read the archive.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: String,
    #[command(flatten)]
    pub location: IndexLocation,
}
