//! Search: a [`SearchRequest`] (query text + filters) -> a [`SearchResponse`] with hits,
//! snippets and facet counts. The CLI and (later) the HTTP API both call [`search`].

pub(crate) mod facet_cache;
mod facets;
mod pair_query;
pub mod query;
pub mod related;
mod snippet;
pub mod timeline;
mod top;

pub use facets::{FacetCount, FacetKind};
pub use related::{Related, related};
pub use snippet::Fragment;
pub use timeline::{Period, PeriodCount, Timeline, timeline};

use crate::error::{Error, Result};
use crate::index::{ArticleIndex, StoredArticle};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, MultiCollector, TopDocs};
use tantivy::query::Query;
use tantivy::{Order, Searcher, TantivyDocument};
use top::Candidates;

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first (BM25, title boosted); newest first when there is no query text.
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Newest,
    /// Oldest first; undated articles last.
    Oldest,
}

/// What the user asked for. Every filter list is ANDed across entries; a value may hold
/// several alternatives separated by commas, which are ORed.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Query text in newsdex syntax (DESIGN §4); `None` or blank matches everything.
    pub query: Option<String>,
    /// People: any part of a canonical name.
    pub people: Vec<String>,
    /// Countries: ISO code, name or demonym.
    pub countries: Vec<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Organizations: any part of a name.
    pub orgs: Vec<String>,
    /// Sources: words of the publisher name.
    pub sources: Vec<String>,
    /// Languages: ISO 639-1 codes ("en", "fr").
    pub langs: Vec<String>,
    /// Earliest date (inclusive): YYYY, YYYY-MM, YYYY-MM-DD or a full timestamp.
    pub from: Option<String>,
    /// Latest date (inclusive), same forms.
    pub to: Option<String>,
    /// Hit order.
    pub sort: SortOrder,
    /// Number of hits to return.
    pub limit: usize,
    /// Number of hits to skip.
    pub offset: usize,
    /// Facets to count.
    pub facets: Vec<FacetKind>,
    /// Values per facet.
    pub facet_limit: usize,
}

/// One hit (DESIGN §5).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// File path relative to its root.
    pub path: String,
    /// Index inside the file.
    pub item: usize,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: Option<DateTime<Utc>>,
    /// Publisher.
    pub source: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// The fragments' HTML joined by spaces: matches in `<b>`, HTML-escaped.
    pub snippet: String,
    /// Up to three passages where the query or the filtered entities are mentioned (the
    /// opening when none is), in text order, with highlight offsets.
    pub fragments: Vec<Fragment>,
    /// Canonical people.
    pub people: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// Organizations.
    pub orgs: Vec<String>,
    /// Topic slugs, most relevant first.
    pub topics: Vec<String>,
    /// Articles in the index with the same normalized text, this one included (wire
    /// copies, the same file saved twice); the others are not listed as hits.
    pub copies: usize,
    /// Ids of up to five of the other copies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copy_ids: Vec<String>,
}

/// The answer to a [`SearchRequest`] (DESIGN §5).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query text as given ("" when none).
    pub query: String,
    /// Number of matching articles.
    pub total: usize,
    /// Time spent searching, in milliseconds.
    pub took_ms: f64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facet counts by facet name ("country", "person", ...).
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

/// Runs a search against an open index.
pub fn search(index: &ArticleIndex, request: &SearchRequest) -> Result<SearchResponse> {
    let started = std::time::Instant::now();
    let searcher = index.searcher()?;
    let built = query::build(index, &searcher, request)?;

    let sort = match request.sort {
        SortOrder::Relevance if built.text_query.is_none() => SortOrder::Newest,
        other => other,
    };
    // A phrase reads positions for every candidate, so pruning cannot help its top hits:
    // scoring every match once also gives the count (one pass instead of two). A lone
    // two-word phrase of common words is the exception: its pair term is counted from the
    // dictionary and its top hits prune (`BodyLed`).
    let one_pass = sort == SortOrder::Relevance
        && request.facets.is_empty()
        && request.limit > 0
        && needs_positions(built.query.as_ref())
        && !query::BodyLed::is_pair_phrase(built.query.as_ref());
    // Ordered by date, every match is read anyway: the first candidates are collected in
    // the counting pass.
    let dated = (sort != SortOrder::Relevance && request.limit > 0)
        .then(|| (sort, top::first_fetch(request)));
    let mut counts = None;
    let mut first = None;
    if !one_pass {
        let (total, facet_counts, candidates) =
            count_and_facets(index, &searcher, built.matches.as_ref(), request, dated)?;
        counts = Some((total, facet_counts));
        first = candidates;
    }
    // Scores need the title's boost; a date order needs only the matches.
    let ranked = match sort {
        SortOrder::Relevance => built.query.as_ref(),
        SortOrder::Newest | SortOrder::Oldest => built.matches.as_ref(),
    };
    let (page, counted) = top::collapsed_page(&searcher, ranked, sort, request, one_pass, first)?;
    let (total, facet_counts) = match (counts, counted) {
        (Some(counts), _) => counts,
        (None, Some(total)) => (total, BTreeMap::new()),
        (None, None) => count_and_facets(index, &searcher, built.matches.as_ref(), request, None)
            .map(|(total, facet_counts, _)| (total, facet_counts))?,
    };

    let filters = snippet::Filters {
        people: &request.people,
        orgs: &request.orgs,
        countries: &request.countries,
    };
    let snippets = snippet::Snippets::new(
        &searcher,
        index,
        built.text_query.as_deref(),
        &built.text,
        &filters,
    )?;
    // Hits are read side by side: each decompresses a store block and cuts its snippets.
    let hits = searcher
        .index()
        .search_executor()
        .map(
            |(score, address)| Ok(read_hit(&searcher, index, &snippets, score, address)),
            page.into_iter(),
        )?
        .into_iter()
        .collect::<Result<Vec<Hit>>>()?;
    Ok(SearchResponse {
        query: request.query.clone().unwrap_or_default(),
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets: facet_counts,
    })
}

/// Facet counts by facet name.
type FacetCounts = BTreeMap<String, Vec<FacetCount>>;

/// The number of matches and the requested facets, and with `dated` (a date order and a
/// number of candidates) the first candidates in that order, all in one pass over the
/// matches. With the facet cache the matches are gathered as bitsets and counted from flat
/// arrays; without it each facet column is read.
fn count_and_facets(
    index: &ArticleIndex,
    searcher: &Searcher,
    query: &dyn Query,
    request: &SearchRequest,
    dated: Option<(SortOrder, usize)>,
) -> Result<(usize, FacetCounts, Option<Candidates>)> {
    if request.facets.is_empty() && dated.is_none() {
        // Weight::count: a term without deletions is counted from its dictionary entry.
        return Ok((top::count(searcher, query)?, BTreeMap::new(), None));
    }
    if let Some(cache) = index.facet_cache() {
        // The matches as bitsets; facets and the first dated candidates from flat arrays.
        let facets = cache.for_searcher(searcher)?;
        let matches = searcher.search(query, &facet_cache::MatchesCollector)?;
        let total = matches.iter().map(|found| found.count as usize).sum();
        let counts = if request.facets.is_empty() {
            BTreeMap::new()
        } else {
            let executor = searcher.index().search_executor();
            facets.count(executor, &matches, &request.facets, request.facet_limit)?
        };
        let candidates = match dated {
            Some((sort, fetch)) => {
                Some(facets.dated_top(searcher, &matches, sort, fetch.max(1))?)
            }
            None => None,
        };
        return Ok((total, counts, candidates));
    }
    let mut collectors = MultiCollector::new();
    let top_handle = dated.map(|(sort, fetch)| top::add_dated_top(&mut collectors, sort, fetch));
    let count_handle = collectors.add_collector(Count);
    let facet_handle = (!request.facets.is_empty()).then(|| {
        collectors.add_collector(facets::FacetsCollector::new(
            &request.facets,
            request.facet_limit,
        ))
    });
    let year_handle = request.facets.contains(&FacetKind::Year).then(|| {
        collectors.add_collector(timeline::PeriodCollector {
            by: timeline::Period::Year,
        })
    });
    let mut fruits = searcher.search(query, &collectors)?;
    let total = count_handle.extract(&mut fruits);
    let mut facet_counts = facet_handle
        .map(|handle| handle.extract(&mut fruits))
        .unwrap_or_default();
    if let Some(handle) = year_handle {
        let years = handle.extract(&mut fruits);
        facet_counts.insert(
            FacetKind::Year.name().to_string(),
            timeline::year_facet(&years, request.facet_limit),
        );
    }
    let candidates = top_handle.map(|handle| top::keep_addresses(handle.extract(&mut fruits)));
    Ok((total, facet_counts, candidates))
}

/// Whether any term of the query is matched by position (a phrase).
fn needs_positions(query: &dyn Query) -> bool {
    let mut positions = false;
    query.query_terms(&mut |_, needs| positions |= needs);
    positions
}

/// Reads one stored article by id.
pub fn find_article(index: &ArticleIndex, id: &str) -> Result<Option<StoredArticle>> {
    let searcher = index.searcher()?;
    let term = tantivy::Term::from_field_text(index.fields.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = found.first() else {
        return Ok(None);
    };
    let document: TantivyDocument = searcher.doc(*address)?;
    let mut article = index.stored_article(&document);
    index.complete(&searcher, &mut article)?;
    Ok(Some(article))
}

/// How many indexed articles share this article's text, and the ids of up to five others.
fn copies_of(
    searcher: &Searcher,
    index: &ArticleIndex,
    article: &StoredArticle,
) -> Result<(usize, Vec<String>)> {
    if article.hash.is_empty() {
        return Ok((1, Vec::new()));
    }
    let term = tantivy::Term::from_field_text(index.fields.hash, &article.hash);
    // The dictionary's document frequency (deleted documents included) rules out copies
    // for almost every article without running a query.
    if searcher.doc_freq(&term)? <= 1 {
        return Ok((1, Vec::new()));
    }
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let count = searcher.search(&query, &Count)?;
    if count <= 1 {
        return Ok((1, Vec::new()));
    }
    let by_id = (
        SortByStaticFastValue::<u64>::for_field(crate::index::schema::names::ID64),
        Order::Asc,
    );
    let others = searcher.search(&query, &TopDocs::with_limit(6).order_by(by_id))?;
    let mut ids = Vec::new();
    for (_, address) in others {
        let document: TantivyDocument = searcher.doc(address)?;
        let id = index.stored_article_with(&document, false).id;
        if id != article.id && ids.len() < 5 {
            ids.push(id);
        }
    }
    Ok((count, ids))
}

/// The hit for one document of the page: its stored article, copies and snippets.
fn read_hit(
    searcher: &Searcher,
    index: &ArticleIndex,
    snippets: &snippet::Snippets,
    score: f32,
    address: tantivy::DocAddress,
) -> Result<Hit> {
    let document: TantivyDocument = searcher.doc(address)?;
    let mut article = index.stored_article_with(&document, snippets.reads_mentions());
    index.complete(searcher, &mut article)?;
    let copies = copies_of(searcher, index, &article)?;
    let mut hit = hit(article, score, snippets);
    hit.copies = copies.0;
    hit.copy_ids = copies.1;
    Ok(hit)
}

fn hit(article: StoredArticle, score: f32, snippets: &snippet::Snippets) -> Hit {
    let fragments = snippets.for_article(&article);
    let snippet = fragments
        .iter()
        .map(|fragment| fragment.html.as_str())
        .collect::<Vec<_>>()
        .join(" … ");
    Hit {
        id: article.id,
        path: article.path,
        item: article.item,
        title: article.title,
        date: article.date,
        source: article.source,
        url: article.url,
        score,
        snippet,
        fragments,
        people: article.people,
        countries: article.countries,
        orgs: article.orgs,
        topics: article.topics,
        copies: 1,
        copy_ids: Vec::new(),
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(error: tantivy::query::QueryParserError) -> Self {
        Error::Query(format!("invalid query: {error}"))
    }
}

/// Overview of an index (`newsdex stats`).
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Number of articles.
    pub articles: usize,
    /// Earliest publication date.
    pub first_date: Option<DateTime<Utc>>,
    /// Latest publication date.
    pub last_date: Option<DateTime<Utc>>,
    /// Articles without a date.
    pub undated: usize,
    /// Publishers with article counts.
    pub sources: Vec<FacetCount>,
    /// Size of the index files in bytes.
    pub index_bytes: u64,
    /// Most frequent countries, people, topics and organizations.
    pub top: BTreeMap<String, Vec<FacetCount>>,
}

/// Computes the overview of an index; `limit` values per list.
pub fn stats(index: &ArticleIndex, limit: usize) -> Result<Stats> {
    let all = SearchRequest {
        limit: 0,
        facets: FacetKind::ALL.to_vec(),
        facet_limit: limit,
        ..SearchRequest::default()
    };
    let mut response = search(index, &all)?;
    let searcher = index.searcher()?;
    let date_of = |order: SortOrder| -> Result<Option<DateTime<Utc>>> {
        let page = top::top_documents(&searcher, &tantivy::query::AllQuery, order, 1, 0)?;
        let Some((_, address)) = page.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher.doc(*address)?;
        Ok(index.stored_article_with(&document, false).date)
    };
    let dated_query = tantivy::query::ExistsQuery::new("date".to_string(), false);
    let dated = searcher.search(&dated_query, &Count)?;
    let sources = response.facets.remove("source").unwrap_or_default();
    Ok(Stats {
        articles: response.total,
        first_date: date_of(SortOrder::Oldest)?,
        last_date: date_of(SortOrder::Newest)?,
        undated: response.total.saturating_sub(dated),
        sources,
        index_bytes: index.size_bytes(),
        top: response.facets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Entities};
    use chrono::TimeZone;

    fn article(id: &str, title: &str, body: &str, day: Option<u32>) -> Article {
        Article {
            id: id.to_string(),
            path: format!("{id}.txt"),
            title: title.to_string(),
            body: body.to_string(),
            date: day.map(|day| Utc.with_ymd_and_hms(2025, 3, day, 12, 0, 0).unwrap()),
            hash: id.to_string(),
            ..Article::default()
        }
    }

    fn entities(people: &[&str], countries: &[&str]) -> Entities {
        Entities {
            people: people.iter().map(|p| p.to_string()).collect(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            topics: vec!["politics".to_string()],
            ..Entities::default()
        }
    }

    fn test_index() -> ArticleIndex {
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let documents = [
            (
                article(
                    "b",
                    "Talks resume",
                    "The peace talks resumed in Geneva.",
                    Some(3),
                ),
                entities(&["Vladimir Putin"], &["RU", "UA"]),
            ),
            (
                article(
                    "a",
                    "Envoys meet",
                    "Envoys discussed peace before the talks.",
                    Some(5),
                ),
                entities(&["Recep Tayyip Erdoğan"], &["TR"]),
            ),
            (
                article(
                    "c",
                    "Undated note",
                    "Nothing about peace talks here? peace talks.",
                    None,
                ),
                entities(&[], &["UA"]),
            ),
        ];
        for (article, entities) in &documents {
            index.add_own(&writer, article, entities);
        }
        writer.commit().unwrap();
        index
    }

    fn ids(response: &SearchResponse) -> Vec<&str> {
        response.hits.iter().map(|hit| hit.id.as_str()).collect()
    }

    fn request(query: &str) -> SearchRequest {
        SearchRequest {
            query: Some(query.to_string()),
            limit: 10,
            facets: FacetKind::ALL.to_vec(),
            facet_limit: 10,
            ..SearchRequest::default()
        }
    }

    #[test]
    fn phrase_words_and_sorting() {
        let index = test_index();
        assert_eq!(
            ids(&search(&index, &request("\"peace talks\"")).unwrap()),
            ["c", "b"]
        );
        let both = search(&index, &request("peace talks")).unwrap();
        assert_eq!(both.total, 3);
        let newest = SearchRequest {
            sort: SortOrder::Newest,
            ..request("peace")
        };
        assert_eq!(ids(&search(&index, &newest).unwrap()), ["a", "b", "c"]);
        let oldest = SearchRequest {
            sort: SortOrder::Oldest,
            ..request("peace")
        };
        assert_eq!(ids(&search(&index, &oldest).unwrap()), ["b", "a", "c"]);
    }

    #[test]
    fn accents_fold_and_person_filter() {
        let index = test_index();
        let by_name = SearchRequest {
            people: vec!["erdogan".into()],
            ..request("")
        };
        assert_eq!(ids(&search(&index, &by_name).unwrap()), ["a"]);
        assert_eq!(
            ids(&search(&index, &request("person:putin")).unwrap()),
            ["b"]
        );
        let unknown = SearchRequest {
            people: vec!["Putn".into()],
            ..request("")
        };
        let error = search(&index, &unknown).unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown person \"Putn\": did you mean Vladimir Putin?"
        );
    }

    #[test]
    fn facets_count_matching_articles() {
        let index = test_index();
        let response = search(&index, &request("peace")).unwrap();
        let countries: Vec<(&str, u64)> = response.facets["country"]
            .iter()
            .map(|facet| (facet.value.as_str(), facet.count))
            .collect();
        assert_eq!(countries, [("UA", 2), ("RU", 1), ("TR", 1)]);
        assert_eq!(response.facets["topic"][0].count, 3);
    }

    #[test]
    fn facet_counts_are_exact_across_segments() {
        // Segment 1: three articles in FR. Segment 2: one in FR among 40 other countries
        // with two articles each, so FR is outside that segment's top values and its
        // count there must still be added.
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut next = 0;
        let mut add = |writer: &mut tantivy::IndexWriter, country: &str| {
            next += 1;
            let id = format!("d{next}");
            let document = article(&id, "Talks", "Peace talks went on.", Some(3));
            index.add_own(writer, &document, &entities(&[], &[country]));
        };
        for _ in 0..3 {
            add(&mut writer, "FR");
        }
        writer.commit().unwrap();
        add(&mut writer, "FR");
        for other in 0..40 {
            for _ in 0..2 {
                add(&mut writer, &format!("Q{other:02}"));
            }
        }
        writer.commit().unwrap();
        assert_eq!(index.searcher().unwrap().segment_readers().len(), 2);
        let response = search(
            &index,
            &SearchRequest {
                facet_limit: 2,
                ..request("peace")
            },
        )
        .unwrap();
        let countries: Vec<(&str, u64)> = response.facets["country"]
            .iter()
            .map(|facet| (facet.value.as_str(), facet.count))
            .collect();
        assert_eq!(countries, [("FR", 4), ("Q00", 2)]);
        assert_eq!(response.total, 84);
    }

    #[test]
    fn hits_carry_their_stored_entities() {
        let index = test_index();
        let response = search(&index, &request("geneva")).unwrap();
        assert_eq!(response.hits[0].countries, ["RU", "UA"]);
        assert_eq!(response.hits[0].people, ["Vladimir Putin"]);
        assert_eq!(response.hits[0].topics, ["politics"]);
    }

    #[test]
    fn snippets_highlight_the_query() {
        let index = test_index();
        let response = search(&index, &request("geneva")).unwrap();
        assert_eq!(
            response.hits[0].snippet,
            "The peace talks resumed in <b>Geneva</b>."
        );
    }

    #[test]
    fn date_filters_are_inclusive() {
        let index = test_index();
        let range = SearchRequest {
            from: Some("2025-03-03".into()),
            to: Some("2025-03-04".into()),
            ..request("")
        };
        assert_eq!(ids(&search(&index, &range).unwrap()), ["b"]);
    }
}
