//! Turns newsdex query syntax and filters into a tantivy query.
//!
//! The query text keeps tantivy's grammar (words ANDed, "phrases"~N, OR, NOT/-, parentheses,
//! `title:`, `date:[A TO B]`) with newsdex's own prefixes rewritten first: `person:` and
//! `org:` search the canonical names, `country:` accepts codes, names and demonyms,
//! `topic:` a slug. Filters (`--person` ...) become required clauses.

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

/// Prefixes a user may write in the query text.
const PREFIXES: [&str; 9] = [
    "person", "country", "topic", "org", "source", "title", "body", "date", "lang",
];

/// The query to run and the part of it that is free text (for snippets and scoring).
pub struct BuiltQuery {
    /// Everything: text (over title, boosted, and body) and filters, for scoring.
    pub query: Box<dyn Query>,
    /// The same documents as `query`, with unprefixed words looked up in the body alone
    /// (which holds the title too, schema v5): one posting list per word instead of a
    /// union of two, for counting, facets and date order.
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
            let (text_field, facet_field, what) = match name {
                "person" => (fields.person_name, fields.person, "person"),
                "org" => (fields.org_name, fields.org, "organization"),
                _ => return Ok(()),
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
        let scoring = lead_by_body(
            parse_text(index, &rewritten, &[fields.title, fields.body])?,
            fields,
            true,
        );
        text_matches = Some(parse_text(index, &rewritten, &[fields.body])?);
        Some(scoring)
    };
    for value in &request.people {
        let query = name_filter(
            index,
            searcher,
            fields.person_name,
            fields.person,
            "person",
            value,
        )?;
        clauses.push((Occur::Must, query));
    }
    for value in &request.orgs {
        let query = name_filter(
            index,
            searcher,
            fields.org_name,
            fields.org,
            "organization",
            value,
        )?;
        clauses.push((Occur::Must, query));
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
    for value in &request.countries {
        let query = any_of(split_alternatives(value), |alternative| {
            let code = resolve_country(alternative)?;
            Ok(facet_query(fields.country, names::COUNTRY, code))
        })?;
        clauses.push((Occur::Must, query));
    }
    for value in &request.topics {
        let query = any_of(split_alternatives(value), |alternative| {
            let slug = resolve_topic(alternative)?;
            Ok(facet_query(fields.topic, names::TOPIC, slug))
        })?;
        clauses.push((Occur::Must, query));
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

/// Query text (prefixes rewritten, wildcards expanded) parsed with `defaults` as the fields
/// of unprefixed words (the title boosted when among them), two-word phrases of common
/// words answered from the pairs field.
fn parse_text(index: &ArticleIndex, text: &str, defaults: &[Field]) -> Result<Box<dyn Query>> {
    let fields = &index.fields;
    let mut parser = QueryParser::for_index(&index.index, defaults.to_vec());
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

/// The scoring query with each "title or body" pair of alternatives for one word or
/// phrase turned into "body, plus title when present". The documents are the same (the
/// body field holds the title too) and so are the scores (the same two parts, summed), but
/// a conjunction seeks in one body posting list per word instead of in a union of two (a
/// third of a two-word search's time at 1M articles), and a phrase drives by its pair term.
/// A single word alone (`top`, no positions) stays a union: that form lets top-k skip
/// blocks of postings (block-max WAND).
fn lead_by_body(
    query: Box<dyn Query>,
    fields: &crate::index::schema::Fields,
    top: bool,
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
        if top && !positions {
            return query;
        }
        return Box::new(BooleanQuery::new(vec![
            (Occur::Must, body.box_clone()),
            (Occur::Should, title.box_clone()),
        ]));
    }
    let rebuilt = clauses
        .iter()
        .map(|(occur, clause)| (*occur, lead_by_body(clause.box_clone(), fields, false)))
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

/// Rewrites newsdex prefixes into tantivy syntax; text inside quotes is left alone.
pub fn rewrite(query: &str) -> Result<String> {
    rewrite_checked(query, &mut |_, _| Ok(()))
}

/// [`rewrite`], calling `check(prefix, value)` for each prefixed value first, so values
/// that match nothing can be refused with suggestions.
fn rewrite_checked(query: &str, check: &mut dyn FnMut(&str, &str) -> Result<()>) -> Result<String> {
    let mut output = String::with_capacity(query.len() + 16);
    let characters: Vec<char> = query.chars().collect();
    let mut position = 0;
    while position < characters.len() {
        let character = characters[position];
        if character == '"' {
            let end = closing_quote(&characters, position);
            output.extend(&characters[position..end]);
            position = end;
            continue;
        }
        if character.is_whitespace() || character == '(' || character == ')' {
            output.push(character);
            position += 1;
            continue;
        }
        let word_start = position;
        while position < characters.len()
            && !characters[position].is_whitespace()
            && !matches!(characters[position], '(' | ')' | '"' | ':')
        {
            position += 1;
        }
        let word: String = characters[word_start..position].iter().collect();
        let is_prefix = position < characters.len() && characters[position] == ':';
        if !is_prefix {
            output.push_str(&word);
            continue;
        }
        position += 1;
        let sign: String = word
            .chars()
            .take_while(|c| *c == '-' || *c == '+')
            .collect();
        let name = word[sign.len()..].to_ascii_lowercase();
        let value_end = value_end(&characters, position, &name);
        let value: String = characters[position..value_end].iter().collect();
        position = value_end;
        check(&name, &value)?;
        output.push_str(&sign);
        output.push_str(&rewrite_prefixed(&name, &value)?);
    }
    Ok(output)
}

/// End of a prefixed value: a quoted phrase, a `[A TO B]` range or a bare word.
fn value_end(characters: &[char], start: usize, name: &str) -> usize {
    if start >= characters.len() {
        return start;
    }
    if characters[start] == '"' {
        return closing_quote(characters, start);
    }
    if name == "date" && matches!(characters[start], '[' | '{') {
        let mut end = start;
        while end < characters.len() && !matches!(characters[end], ']' | '}') {
            end += 1;
        }
        return (end + 1).min(characters.len());
    }
    let mut end = start;
    while end < characters.len() && !characters[end].is_whitespace() && characters[end] != ')' {
        end += 1;
    }
    end
}

/// Index just past the quote closing the one at `start` (and a `~N` slop after it).
fn closing_quote(characters: &[char], start: usize) -> usize {
    let mut end = start + 1;
    while end < characters.len() && characters[end] != '"' {
        end += 1;
    }
    end = (end + 1).min(characters.len());
    if end < characters.len() && characters[end] == '~' {
        end += 1;
        while end < characters.len() && characters[end].is_ascii_digit() {
            end += 1;
        }
    }
    end
}

fn rewrite_prefixed(name: &str, value: &str) -> Result<String> {
    let unquoted = value.trim_matches('"');
    if unquoted.trim().is_empty() {
        return Err(Error::Query(format!(
            "invalid query: `{name}:` needs a value"
        )));
    }
    match name {
        "person" => Ok(format!("{}:{value}", names::PERSON_NAME)),
        "org" => Ok(format!("{}:{value}", names::ORG_NAME)),
        "source" | "title" | "body" => Ok(format!("{name}:{value}")),
        "lang" => Ok(format!("lang:{}", unquoted.trim().to_ascii_lowercase())),
        "country" => {
            let code = resolve_country(unquoted)?;
            Ok(format!("{}:\"/{}/{code}\"", names::COUNTRY, names::COUNTRY))
        }
        "topic" => {
            let slug = resolve_topic(unquoted)?;
            Ok(format!("{}:\"/{}/{slug}\"", names::TOPIC, names::TOPIC))
        }
        "date" => rewrite_date_range(value),
        other => {
            let suggestions = closest(other, PREFIXES.iter().map(|p| p.to_string()), 1);
            let mut message = format!(
                "unknown field `{other}:` in query (fields: {})",
                PREFIXES.join(", ")
            );
            if let Some(best) = suggestions.first() {
                message = format!("unknown field `{other}:` in query: did you mean `{best}:`?");
            }
            Err(Error::Query(message))
        }
    }
}

/// Most terms a prefix wildcard (`negotiat*`) expands to: the most frequent are kept.
const MAX_WILDCARD_TERMS: usize = 256;

/// Replaces each prefix wildcard outside quotes (`negotiat*`, `title:negotiat*`) by the
/// indexed terms that start with it, ORed: `(negotiate OR negotiators)`. `expand` gets
/// the field name (when the word has one) and the analyzed prefix, and returns the terms.
fn expand_wildcards(
    text: &str,
    mut expand: impl FnMut(Option<&str>, &str) -> Result<Vec<String>>,
) -> Result<String> {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        if character == '"' {
            let characters: Vec<char> = rest.chars().collect();
            let end = closing_quote(&characters, 0);
            let quoted: String = characters[..end].iter().collect();
            output.push_str(&quoted);
            rest = &rest[quoted.len()..];
            continue;
        }
        if character.is_whitespace() || matches!(character, '(' | ')') {
            output.push(character);
            rest = &rest[character.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let Some(stem) = word.strip_suffix('*').filter(|stem| !stem.is_empty()) else {
            // A lone `*` is every article (tantivy's syntax), as in `* -moscow`.
            output.push_str(word);
            continue;
        };
        let signless = stem.trim_start_matches(['-', '+']);
        let sign = &stem[..stem.len() - signless.len()];
        let (field, prefix) = match signless.split_once(':') {
            Some((field, prefix)) => (Some(field), prefix),
            None => (None, signless),
        };
        let mut analyzer = schema::text_analyzer();
        let mut stream = analyzer.token_stream(prefix);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        let [folded] = tokens.as_slice() else {
            return Err(Error::Query(format!(
                "invalid query: `{word}`: a wildcard goes at the end of one word, as in negotiat*"
            )));
        };
        if folded.chars().count() < 2 {
            return Err(Error::Query(format!(
                "invalid query: `{word}`: a wildcard needs at least two letters before `*`"
            )));
        }
        let terms = expand(field, folded)?;
        let field_prefix = field.map(|name| format!("{name}:")).unwrap_or_default();
        output.push_str(sign);
        output.push_str(&field_prefix);
        if terms.is_empty() {
            // Matches nothing, like a word that is not in the index.
            output.push_str(folded);
        } else {
            output.push('(');
            output.push_str(&terms.join(" OR "));
            output.push(')');
        }
    }
    Ok(output)
}

/// The indexed terms of `fields` starting with `prefix`, the most frequent first, at most
/// [`MAX_WILDCARD_TERMS`].
fn terms_with_prefix(searcher: &Searcher, fields: &[Field], prefix: &str) -> Result<Vec<String>> {
    let mut frequencies: std::collections::HashMap<String, u64> = Default::default();
    let read_error =
        |error: std::io::Error| Error::Index(format!("cannot read the index: {error}"));
    for segment in searcher.segment_readers() {
        for field in fields {
            let inverted = segment.inverted_index(*field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(read_error)?;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                *frequencies.entry(term.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut terms: Vec<(u64, String)> = frequencies.into_iter().map(|(t, f)| (f, t)).collect();
    terms.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    terms.truncate(MAX_WILDCARD_TERMS);
    let mut words: Vec<String> = terms.into_iter().map(|(_, term)| term).collect();
    words.sort();
    Ok(words)
}

/// `[2025-01-01 TO 2025-06-30]` -> RFC 3339 bounds covering whole days; `*` stays open.
fn rewrite_date_range(value: &str) -> Result<String> {
    let invalid = || {
        Error::Query(format!(
            "invalid date range {value:?}: use date:[2025-01-01 TO 2025-06-30]"
        ))
    };
    let open = value
        .chars()
        .next()
        .filter(|c| matches!(c, '[' | '{'))
        .ok_or_else(invalid)?;
    let close = value
        .chars()
        .last()
        .filter(|c| matches!(c, ']' | '}'))
        .ok_or_else(invalid)?;
    let inner = &value[1..value.len() - 1];
    let (lower, upper) = inner.split_once(" TO ").ok_or_else(invalid)?;
    let bound = |text: &str, is_upper: bool| -> Result<String> {
        let text = text.trim();
        if text == "*" {
            return Ok("*".to_string());
        }
        let date = parse_date_bound(text, is_upper)?;
        Ok(date.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    Ok(format!(
        "date:{open}{} TO {}{close}",
        bound(lower, false)?,
        bound(upper, true)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_rewritten_outside_quotes() {
        let cases = [
            ("putin", "putin"),
            ("person:putin talks", "person_name:putin talks"),
            ("org:\"red cross\"", "org_name:\"red cross\""),
            ("\"person:not a prefix\"", "\"person:not a prefix\""),
            ("-person:putin", "-person_name:putin"),
            ("(a OR title:b)", "(a OR title:b)"),
            ("topic:sport", "topic:\"/topic/sport\""),
            (
                "date:[2025-01-01 TO 2025-06-30]",
                "date:[2025-01-01T00:00:00Z TO 2025-06-30T23:59:59Z]",
            ),
            ("date:[* TO 2025]", "date:[* TO 2025-12-31T23:59:59Z]"),
            ("\"peace talks\"~2 kremlin", "\"peace talks\"~2 kremlin"),
        ];
        for (input, expected) in cases {
            assert_eq!(rewrite(input).unwrap(), expected, "input {input:?}");
        }
    }

    #[test]
    fn bad_prefixes_are_clear_errors() {
        let error = rewrite("persn:putin").unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown field `persn:` in query: did you mean `person:`?"
        );
        let error = rewrite("topic:sprot").unwrap_err().to_string();
        assert!(
            error.starts_with("unknown topic \"sprot\": did you mean sport?"),
            "{error}"
        );
        assert!(rewrite("person:").is_err());
        assert!(rewrite("date:[yesterday TO today]").is_err());
    }

    #[test]
    fn wildcards_expand_outside_quotes() {
        let mut asked = Vec::new();
        let expanded = expand_wildcards(
            "Negotiat* \"peace tal*\" -title:Kyi* (war OR ceasefir*) zzz*",
            |field, prefix| {
                asked.push((field.map(str::to_string), prefix.to_string()));
                Ok(match prefix {
                    "negotiat" => vec!["negotiate".into(), "negotiators".into()],
                    "kyi" => vec!["kyiv".into()],
                    "ceasefir" => vec!["ceasefire".into()],
                    _ => Vec::new(),
                })
            },
        )
        .unwrap();
        assert_eq!(
            expanded,
            "(negotiate OR negotiators) \"peace tal*\" -title:(kyiv) (war OR (ceasefire)) zzz"
        );
        assert_eq!(asked.len(), 4);
        assert_eq!(asked[1], (Some("title".to_string()), "kyi".to_string()));
        let short = expand_wildcards("a*", |_, _| Ok(Vec::new())).unwrap_err();
        assert!(
            short.to_string().contains("at least two letters"),
            "{short}"
        );
        assert!(expand_wildcards("new-yor*", |_, _| Ok(Vec::new())).is_err());
    }

    #[test]
    fn date_bounds_cover_whole_periods() {
        let cases = [
            ("2025", false, "2025-01-01T00:00:00+00:00"),
            ("2025", true, "2025-12-31T23:59:59+00:00"),
            ("2025-02", true, "2025-02-28T23:59:59+00:00"),
            ("2024-12", true, "2024-12-31T23:59:59+00:00"),
            ("2025-06-30", true, "2025-06-30T23:59:59+00:00"),
            ("2025-06-30", false, "2025-06-30T00:00:00+00:00"),
        ];
        for (input, upper, expected) in cases {
            let date = parse_date_bound(input, upper).unwrap();
            assert_eq!(date.to_rfc3339(), expected, "{input} upper={upper}");
        }
        assert!(parse_date_bound("2025-13-01", false).is_err());
        assert!(parse_date_bound("soon", false).is_err());
    }
}

#[cfg(test)]
mod match_tests {
    use super::*;
    use crate::model::{Article, Entities};
    use tantivy::collector::DocSetCollector;

    /// Titles and bodies where words sit in one field only, and a phrase that would run
    /// from the end of a title into the start of its body.
    fn index() -> ArticleIndex {
        let index = ArticleIndex::in_ram().unwrap();
        let writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let articles = [
            (
                "t",
                "Ceasefire holds in the north",
                "Shelling stopped overnight.",
            ),
            ("b", "Quiet night", "A ceasefire was agreed by both sides."),
            ("x", "Talks on peace", "Talks continue in Geneva next week."),
            ("n", "Markets rally", "Shares rose as oil prices fell."),
        ];
        for (id, title, body) in articles {
            let article = Article {
                id: id.to_string(),
                path: format!("{id}.txt"),
                title: title.to_string(),
                body: body.to_string(),
                hash: id.to_string(),
                ..Article::default()
            };
            index.add_own(&writer, &article, &Entities::default());
        }
        let mut writer = writer;
        writer.commit().unwrap();
        index
    }

    /// Sorted ids of the documents a query matches.
    fn ids(index: &ArticleIndex, searcher: &Searcher, query: &dyn Query) -> Vec<String> {
        let mut ids: Vec<String> = searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|address| {
                let document: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                index.stored_article_with(&document, false).id
            })
            .collect();
        ids.sort();
        ids
    }

    /// Whether a "title or body" union of one word or phrase is left anywhere in `query`.
    fn has_union(query: &dyn Query, index: &ArticleIndex) -> bool {
        let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
            return false;
        };
        title_or_body(boolean.clauses(), &index.fields).is_some()
            || boolean
                .clauses()
                .iter()
                .any(|(_, clause)| has_union(clause.as_ref(), index))
    }

    #[test]
    fn body_led_scoring_keeps_documents_and_scores() {
        let index = index();
        let searcher = index.searcher().unwrap();
        let top = |query: &dyn Query| {
            let mut found: Vec<(String, f32)> = searcher
                .search(
                    query,
                    &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
                )
                .unwrap()
                .into_iter()
                .map(|(score, address)| {
                    let document: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                    (index.stored_article_with(&document, false).id, score)
                })
                .collect();
            found.sort_by(|a, b| a.0.cmp(&b.0));
            found
        };
        // (query, a union is kept: a lone word, whose union allows block-max WAND)
        let cases = [
            ("ceasefire", true),
            ("ceasefire agreed", false),
            ("talks geneva", false),
            ("\"ceasefire holds\"", false),
            ("\"talks continue\" geneva", false),
            ("ceasefire -shelling", false),
            ("title:ceasefire north", false),
        ];
        for (text, union_kept) in cases {
            let request = SearchRequest {
                query: Some(text.to_string()),
                ..SearchRequest::default()
            };
            let built = build(&index, &searcher, &request).unwrap();
            let fields = [index.fields.title, index.fields.body];
            let unions = parse_text(&index, text, &fields).unwrap();
            assert_eq!(
                has_union(built.query.as_ref(), &index),
                union_kept,
                "{text}"
            );
            assert!(!top(unions.as_ref()).is_empty(), "{text}: matches nothing");
            assert_eq!(top(built.query.as_ref()), top(unions.as_ref()), "{text}");
        }
    }

    #[test]
    fn date_filters_keep_whole_days_and_exact_seconds() {
        let index = ArticleIndex::in_ram().unwrap();
        let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let dates = [
            ("eve", Some("1969-12-31T23:00:00Z")),
            ("late", Some("2025-03-04T23:59:59Z")),
            ("midnight", Some("2025-03-05T00:00:00Z")),
            ("noon", Some("2025-03-05T12:00:00Z")),
            ("last", Some("2025-03-05T23:59:59Z")),
            ("next", Some("2025-03-06T00:00:00Z")),
            ("undated", None),
        ];
        for (id, date) in dates {
            let article = Article {
                id: id.to_string(),
                path: format!("{id}.txt"),
                title: "Budget vote".to_string(),
                body: "The budget passed.".to_string(),
                hash: id.to_string(),
                date: date.map(|date| DateTime::parse_from_rfc3339(date).unwrap().to_utc()),
                ..Article::default()
            };
            index.add_own(&writer, &article, &Entities::default());
        }
        writer.commit().unwrap();
        let searcher = index.searcher().unwrap();
        let cases: [(Option<&str>, Option<&str>, &[&str]); 6] = [
            (
                Some("2025-03-05"),
                Some("2025-03-05"),
                &["last", "midnight", "noon"],
            ),
            (
                Some("2025-03-05T12:00:00Z"),
                Some("2025-03-06"),
                &["last", "next", "noon"],
            ),
            (None, Some("2025-03-04"), &["eve", "late"]),
            (
                Some("2025-03"),
                None,
                &["last", "late", "midnight", "next", "noon"],
            ),
            (Some("1969-12-31"), Some("1969-12-31"), &["eve"]),
            (
                Some("2025-03-04T23:59:59Z"),
                Some("2025-03-05T00:00:00Z"),
                &["late", "midnight"],
            ),
        ];
        for (from, to, expected) in cases {
            let request = SearchRequest {
                from: from.map(str::to_string),
                to: to.map(str::to_string),
                ..SearchRequest::default()
            };
            let built = build(&index, &searcher, &request).unwrap();
            assert_eq!(
                ids(&index, &searcher, built.matches.as_ref()),
                expected,
                "{from:?} to {to:?}"
            );
        }
    }

    #[test]
    fn the_body_only_query_matches_what_the_scoring_query_matches() {
        let index = index();
        let searcher = index.searcher().unwrap();
        let cases: [(&str, &[&str]); 9] = [
            ("ceasefire", &["b", "t"]),
            ("\"ceasefire holds\"", &["t"]),
            ("ceasefire -shelling", &["b"]),
            ("title:ceasefire", &["t"]),
            ("ceasefire OR rally", &["b", "n", "t"]),
            ("ceas*", &["b", "t"]),
            ("-ceasefire", &["n", "x"]),
            // "peace" ends a title and "talks" starts its body: not a phrase.
            ("\"peace talks\"", &[]),
            ("\"talks continue\"", &["x"]),
        ];
        for (text, expected) in cases {
            let request = SearchRequest {
                query: Some(text.to_string()),
                ..SearchRequest::default()
            };
            let built = build(&index, &searcher, &request).unwrap();
            let scored = ids(&index, &searcher, built.query.as_ref());
            let matched = ids(&index, &searcher, built.matches.as_ref());
            assert_eq!(scored, expected, "{text}: scoring query");
            assert_eq!(matched, expected, "{text}: body-only query");
        }
    }
}
