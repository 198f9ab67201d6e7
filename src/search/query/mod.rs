//! Turns newsdex query syntax and filters into a tantivy query.
//!
//! The query text keeps tantivy's grammar (words ANDed, "phrases"~N, OR, NOT/-, parentheses,
//! `title:`, `date:[A TO B]`) with newsdex's own prefixes rewritten first: `person:` and
//! `org:` search the canonical names, `country:` accepts codes, names and demonyms,
//! `topic:` a slug (the rewriting and wildcard expansion are in the `text` submodule). Filters
//! (`--person` ...) become required clauses.
//!
//! Each search gets two queries with the same documents: one for scoring (title boosted,
//! body leading inside conjunctions and phrases) and one over the body alone for counting,
//! facets and date order (the body field holds the title too).

use super::SearchRequest;
use crate::error::{Error, Result};
use crate::extract::countries;
use crate::index::ArticleIndex;
use crate::index::schema::{self, names};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, InvertedIndexRangeQuery, Occur, PhraseQuery, Query, QueryParser,
    TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// IPTC Media Topics top-level slugs (DESIGN §3).
pub const TOPICS: [&str; 17] = [
    "arts",
    "crime",
    "disaster",
    "economy",
    "education",
    "environment",
    "health",
    "human-interest",
    "labour",
    "lifestyle",
    "politics",
    "religion",
    "science",
    "society",
    "sport",
    "conflict",
    "weather",
];

/// The query to run and the part of it that is free text (for snippets and scoring).
pub struct BuiltQuery {
    /// Everything: text (over title, boosted, and body) and filters, for scoring.
    pub query: Box<dyn Query>,
    /// The same documents as `query`, with unprefixed words looked up in the body alone
    /// (which holds the title too, schema v5; see [`Lead`]): one posting list per word
    /// instead of a union of two, for counting, facets and date order.
    pub matches: Box<dyn Query>,
    /// The free-text part alone, when there is one.
    pub text_query: Option<Box<dyn Query>>,
    /// Phrases and loose words of the free text (wildcards expanded), for highlighting.
    pub(crate) text: super::snippet::QueryText,
}

/// Builds the tantivy query for a request.
pub fn build(
    index: &ArticleIndex,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<BuiltQuery> {
    let fields = &index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let text = request.query.as_deref().map(str::trim).unwrap_or("");
    let mut query_text = super::snippet::QueryText::default();
    let mut text_matches = None;
    let text_query = if text.is_empty() {
        None
    } else {
        // `person:putn` in the query text gets the same "did you mean" as `--person putn`.
        let rewritten = rewrite_checked(text, &mut |name, value| {
            let value = value.trim_matches('"');
            let Some((text_field, facet_field, what)) = name_fields(fields, name) else {
                return Ok(());
            };
            if value.trim().is_empty() || value.ends_with('*') {
                return Ok(());
            }
            name_filter(index, searcher, text_field, facet_field, what, value).map(|_| ())
        })?;
        let rewritten = expand_wildcards(&rewritten, |field, prefix| {
            let fields = match field {
                Some(name) => match name {
                    "title" | "body" | "source" | names::PERSON_NAME | names::ORG_NAME => {
                        vec![index.index.schema().get_field(name)?]
                    }
                    _ => {
                        return Err(Error::Query(format!(
                            "invalid query: `{name}:` does not take a wildcard"
                        )));
                    }
                },
                None => vec![fields.title, fields.body],
            };
            terms_with_prefix(searcher, &fields, prefix)
        })?;
        query_text = super::snippet::QueryText::parse(&rewritten);
        let parsed = parse_text(index, &rewritten)?;
        text_matches = Some(lead_by_body(parsed.box_clone(), fields, Lead::Matching));
        Some(lead_by_body(parsed, fields, Lead::Scoring { top: true }))
    };
    for (prefix, values) in [("person", &request.people), ("org", &request.orgs)] {
        let (text_field, facet_field, what) =
            name_fields(fields, prefix).expect("person and org are name prefixes");
        for value in values {
            let query = name_filter(index, searcher, text_field, facet_field, what, value)?;
            clauses.push((Occur::Must, query));
        }
    }
    for value in &request.sources {
        let query = any_of(split_alternatives(value), |alternative| {
            phrase(index, fields.source, alternative)
                .ok_or_else(|| Error::Query(format!("empty source filter {value:?}")))
        })?;
        clauses.push((Occur::Must, query));
    }
    for value in &request.langs {
        let query = any_of(split_alternatives(value), |alternative| {
            let code = alternative.trim().to_ascii_lowercase();
            Ok(Box::new(TermQuery::new(
                Term::from_field_text(fields.lang, &code),
                IndexRecordOption::Basic,
            )))
        })?;
        clauses.push((Occur::Must, query));
    }
    // Country codes and topic slugs, each value resolved from what the user typed.
    type Resolve = fn(&str) -> Result<&'static str>;
    let facet_filters: [(&Vec<String>, Field, &str, Resolve); 2] = [
        (
            &request.countries,
            fields.country,
            names::COUNTRY,
            resolve_country,
        ),
        (&request.topics, fields.topic, names::TOPIC, resolve_topic),
    ];
    for (values, field, root, resolve) in facet_filters {
        for value in values {
            let query = any_of(split_alternatives(value), |alternative| {
                Ok(facet_query(field, root, resolve(alternative)?))
            })?;
            clauses.push((Occur::Must, query));
        }
    }
    if request.from.is_some() || request.to.is_some() {
        let from = request
            .from
            .as_deref()
            .map(|value| parse_date_bound(value, false))
            .transpose()?;
        let to = request
            .to
            .as_deref()
            .map(|value| parse_date_bound(value, true))
            .transpose()?;
        clauses.push((Occur::Must, date_filter(index, from, to)));
    }
    let with_filters = |text: Option<&Box<dyn Query>>| -> Box<dyn Query> {
        let mut all: Vec<(Occur, Box<dyn Query>)> = text
            .map(|query| (Occur::Must, query.box_clone()))
            .into_iter()
            .chain(
                clauses
                    .iter()
                    .map(|(occur, query)| (*occur, query.box_clone())),
            )
            .collect();
        match all.len() {
            0 => Box::new(AllQuery),
            1 => all.remove(0).1,
            _ => Box::new(BooleanQuery::new(all)),
        }
    };
    Ok(BuiltQuery {
        query: with_filters(text_query.as_ref()),
        matches: with_filters(text_matches.as_ref()),
        text_query,
        text: query_text,
    })
}

/// Query text (prefixes rewritten, wildcards expanded) parsed over title (boosted) and body
/// for unprefixed words, two-word phrases of common words answered from the pairs field.
fn parse_text(index: &ArticleIndex, text: &str) -> Result<Box<dyn Query>> {
    let fields = &index.fields;
    let mut parser = QueryParser::for_index(&index.index, vec![fields.title, fields.body]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    let parsed = match parser.parse_query(text) {
        // Only exclusions ("-moscow", "NOT source:reuters"): everything but those.
        Err(tantivy::query::QueryParserError::AllButQueryForbidden) => {
            parser.parse_query(&format!("* {text}"))?
        }
        parsed => parsed?,
    };
    Ok(super::pair_query::use_pairs(
        parsed,
        fields.body,
        fields.pairs,
    ))
}

/// What [`lead_by_body`] makes of a "title:X or body:X" pair of alternatives.
#[derive(Clone, Copy)]
enum Lead {
    /// "body:X": the same documents, one posting list per word (counting, facets, date
    /// order).
    Matching,
    /// "body:X, plus title:X when present": the same documents and scores (the same two
    /// parts, summed), but a conjunction seeks in one body posting list per word instead
    /// of in a union of two (a third of a two-word search's time at 1M articles), and a
    /// phrase drives by its pair term. A single word alone (`top`, no positions) stays a
    /// union: that form lets top-k skip blocks of postings (block-max WAND).
    Scoring { top: bool },
}

/// The parsed query with each "title:X or body:X" pair of alternatives turned as `lead`
/// says. Both forms match the same documents because the body field holds the title too
/// (schema v5).
fn lead_by_body(
    query: Box<dyn Query>,
    fields: &crate::index::schema::Fields,
    lead: Lead,
) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = boolean.clauses();
    if let Some((title, body)) = title_or_body(clauses, fields)
        && boolean.get_minimum_number_should_match() <= 1
    {
        let mut positions = false;
        body.query_terms(&mut |_, needs| positions |= needs);
        return match lead {
            Lead::Matching => body.box_clone(),
            Lead::Scoring { top: true } if !positions => query,
            Lead::Scoring { .. } => Box::new(BodyLed::new(body.box_clone(), title.box_clone())),
        };
    }
    let inner = match lead {
        Lead::Matching => Lead::Matching,
        Lead::Scoring { .. } => Lead::Scoring { top: false },
    };
    let rebuilt = clauses
        .iter()
        .map(|(occur, clause)| (*occur, lead_by_body(clause.box_clone(), fields, inner)))
        .collect();
    let mut rebuilt = BooleanQuery::new(rebuilt);
    rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
    Box::new(rebuilt)
}

/// The title and body alternatives of `clauses` when they are exactly "title:X or body:X"
/// for the same words X (as the query parser writes an unprefixed word or phrase).
fn title_or_body<'a>(
    clauses: &'a [(Occur, Box<dyn Query>)],
    fields: &crate::index::schema::Fields,
) -> Option<(&'a dyn Query, &'a dyn Query)> {
    let [(Occur::Should, first), (Occur::Should, second)] = clauses else {
        return None;
    };
    let words = |query: &dyn Query, field: Field| {
        let mut words = Vec::new();
        let mut other_field = false;
        query.query_terms(&mut |term, _| {
            other_field |= term.field() != field;
            words.push(term.serialized_value_bytes().to_vec());
        });
        (!other_field && !words.is_empty()).then_some(words)
    };
    let (title, body) = (first.as_ref(), second.as_ref());
    let title_words = words(title, fields.title)?;
    (words(body, fields.body)? == title_words).then_some((title, body))
}

/// The ISO code of a user-typed country, or an error naming close matches.
pub fn resolve_country(value: &str) -> Result<&'static str> {
    if let Some(code) = countries::resolve(value) {
        return Ok(code);
    }
    let suggestions = countries::suggestions(value, 3);
    Err(Error::Query(unknown_message(
        "country",
        value,
        &suggestions,
    )))
}

/// The topic slug for a user-typed topic, or an error naming close matches.
pub fn resolve_topic(value: &str) -> Result<&'static str> {
    let wanted = value.trim().to_ascii_lowercase();
    if let Some(slug) = TOPICS.iter().find(|slug| **slug == wanted) {
        return Ok(slug);
    }
    let suggestions = closest(&wanted, TOPICS.iter().map(|slug| slug.to_string()), 3);
    let mut message = unknown_message("topic", value, &suggestions);
    message.push_str(&format!(" (topics: {})", TOPICS.join(", ")));
    Err(Error::Query(message))
}

/// Splits "a, b" into its alternatives.
fn split_alternatives(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect()
}

/// ORs the queries built for each alternative.
fn any_of(
    alternatives: Vec<&str>,
    mut build_one: impl FnMut(&str) -> Result<Box<dyn Query>>,
) -> Result<Box<dyn Query>> {
    let mut queries = Vec::with_capacity(alternatives.len());
    for alternative in alternatives {
        queries.push((Occur::Should, build_one(alternative)?));
    }
    match queries.len() {
        0 => Err(Error::Query("empty filter value".to_string())),
        1 => Ok(queries.remove(0).1),
        _ => Ok(Box::new(BooleanQuery::new(queries))),
    }
}

fn facet_query(field: Field, root: &str, value: &str) -> Box<dyn Query> {
    let facet = Facet::from_path([root, value]);
    Box::new(TermQuery::new(
        Term::from_facet(field, &facet),
        IndexRecordOption::Basic,
    ))
}

/// The name field, facet field and noun of a name prefix (`person`, `org`).
fn name_fields(
    fields: &crate::index::schema::Fields,
    prefix: &str,
) -> Option<(Field, Field, &'static str)> {
    match prefix {
        "person" => Some((fields.person_name, fields.person, "person")),
        "org" => Some((fields.org_name, fields.org, "organization")),
        _ => None,
    }
}

/// A person or organization filter: the words must appear, in order, in a canonical name.
/// A value that matches no name in the index is an error listing close names.
fn name_filter(
    index: &ArticleIndex,
    searcher: &Searcher,
    text_field: Field,
    facet_field: Field,
    what: &str,
    value: &str,
) -> Result<Box<dyn Query>> {
    any_of(split_alternatives(value), |alternative| {
        let Some(query) = phrase(index, text_field, alternative) else {
            return Err(Error::Query(format!("empty {what} filter")));
        };
        if matches_any(searcher, query.as_ref())? {
            return Ok(query);
        }
        let known = facet_values(searcher, facet_field)?;
        let suggestions = closest(alternative, known.into_iter(), 3);
        Err(Error::Query(unknown_message(
            what,
            alternative,
            &suggestions,
        )))
    })
}

/// Whether any alive document matches `query` (stops at the first: a filter value's check
/// must not count every article of a common name).
fn matches_any(searcher: &Searcher, query: &dyn Query) -> Result<bool> {
    use tantivy::DocSet;
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    ))?;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if !reader.is_deleted(doc) {
                return Ok(true);
            }
            doc = scorer.advance();
        }
    }
    Ok(false)
}

/// A term or phrase query over `field` for the words of `text`, analyzed like the index.
fn phrase(index: &ArticleIndex, field: Field, text: &str) -> Option<Box<dyn Query>> {
    let mut analyzer = schema::text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(Term::from_field_text(field, &token.text));
    }
    let _ = index;
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Every value of a facet field present in the index (for suggestions).
fn facet_values(searcher: &Searcher, field: Field) -> Result<Vec<String>> {
    let mut values = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|error| Error::Index(format!("cannot read the index: {error}")))?;
        while terms.advance() {
            let Ok(facet) = Facet::from_encoded(terms.key().to_vec()) else {
                continue;
            };
            if let Some(last) = facet.to_path().last() {
                values.push(last.to_string());
            }
        }
    }
    values.sort();
    values.dedup();
    Ok(values)
}

/// Up to `limit` candidates closest to `value` (case-insensitive), best first.
fn closest(value: &str, candidates: impl Iterator<Item = String>, limit: usize) -> Vec<String> {
    let wanted = value.to_lowercase();
    let mut scored: Vec<(f64, String)> = candidates
        .map(|candidate| {
            let lower = candidate.to_lowercase();
            let whole = strsim::jaro_winkler(&wanted, &lower);
            let best_part = lower
                .split_whitespace()
                .map(|part| strsim::jaro_winkler(&wanted, part))
                .fold(0.0, f64::max);
            (whole.max(best_part), candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name)
        .collect()
}

fn unknown_message(what: &str, value: &str, suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        return format!("unknown {what} {value:?}");
    }
    format!(
        "unknown {what} {value:?}: did you mean {}?",
        suggestions.join(", ")
    )
}

/// Articles dated from `from` to `to` (inclusive, either open), from the inverted index:
/// the dates in range become one bitset, which the rest of the query seeks into (the
/// fast-field range query instead reads and tests a date at every seek: a third of a
/// date-filtered search's time at 100,000 articles). Bounds on whole days (YYYY, YYYY-MM,
/// YYYY-MM-DD) read the `day` field, one term per day; a bound inside a day reads the
/// date's terms, one per distinct second.
fn date_filter(
    index: &ArticleIndex,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Box<dyn Query> {
    let starts_a_day = from.is_none_or(|from| from.timestamp().rem_euclid(86_400) == 0);
    let ends_a_day = to.is_none_or(|to| (to.timestamp() + 1).rem_euclid(86_400) == 0);
    let whole_days = starts_a_day
        && ends_a_day
        && [from, to]
            .iter()
            .flatten()
            .all(|bound| bound.timestamp_subsec_nanos() == 0);
    let bound = |date: Option<DateTime<Utc>>, term: &dyn Fn(DateTime<Utc>) -> Term| {
        date.map_or(Bound::Unbounded, |date| Bound::Included(term(date)))
    };
    if whole_days {
        let day = |date| Term::from_field_i64(index.fields.day, crate::index::day_number(date));
        return Box::new(InvertedIndexRangeQuery::new(
            bound(from, &day),
            bound(to, &day),
        ));
    }
    let second = |date| date_term(index, date);
    Box::new(InvertedIndexRangeQuery::new(
        bound(from, &second),
        bound(to, &second),
    ))
}

fn date_term(index: &ArticleIndex, date: DateTime<Utc>) -> Term {
    Term::from_field_date_for_search(index.fields.date, crate::index::to_tantivy_date(date))
}

/// Parses a date filter. YYYY, YYYY-MM and YYYY-MM-DD cover the whole period: as a lower
/// bound they mean its first second, as an upper bound its last.
pub fn parse_date_bound(value: &str, upper: bool) -> Result<DateTime<Utc>> {
    let value = value.trim();
    let invalid = || {
        Error::Query(format!(
            "invalid date {value:?}: use YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 timestamp"
        ))
    };
    let parts: Vec<&str> = value.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|part| part.parse().ok()).collect();
    let period = match (parts.len(), numbers) {
        (1, Some(n)) if parts[0].len() == 4 => Some((n[0] as i32, Some(1), None)),
        (2, Some(n)) if parts[0].len() == 4 => Some((n[0] as i32, Some(n[1]), None)),
        (3, Some(n)) if parts[0].len() == 4 => Some((n[0] as i32, Some(n[1]), Some(n[2]))),
        _ => None,
    };
    let Some((year, month, day)) = period else {
        return crate::dates::parse_date(value).ok_or_else(invalid);
    };
    let month = month.unwrap_or(1);
    let single_year = parts.len() == 1;
    let first = NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1)).ok_or_else(invalid)?;
    let start = Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0).ok_or_else(invalid)?);
    if !upper {
        return Ok(start);
    }
    let next = if day.is_some() {
        first.succ_opt()
    } else if single_year || month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), month + 1, 1)
    }
    .ok_or_else(invalid)?;
    let end = Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0).ok_or_else(invalid)?);
    Ok(end - chrono::Duration::seconds(1))
}

mod body_led;
#[cfg(test)]
mod tests;
mod text;

pub(crate) use body_led::BodyLed;
pub use text::rewrite;
use text::{expand_wildcards, rewrite_checked, terms_with_prefix};
