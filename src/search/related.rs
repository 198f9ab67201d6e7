//! `newsdex related`: who and what appears in the same articles as a person, country,
//! organization or query: facet counts over the matches, minus the filtered entities.

use super::{FacetCount, FacetKind, SearchRequest};
use crate::error::{Error, Result};
use crate::extract::countries;
use crate::index::ArticleIndex;
use serde::Serialize;
use std::collections::BTreeMap;

/// The answer of `newsdex related`.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    /// The query text as given ("" when none).
    pub query: String,
    /// Articles matching the query and filters.
    pub total: usize,
    /// Per kind ("person", "country", "org", "topic"): the values most often in those
    /// articles, with the number of articles, the filtered values themselves left out.
    pub related: BTreeMap<String, Vec<FacetCount>>,
}

/// Kinds listed by [`related`].
const KINDS: [FacetKind; 4] = [
    FacetKind::Person,
    FacetKind::Country,
    FacetKind::Org,
    FacetKind::Topic,
];

/// Counts the people, countries, organizations and topics of the articles matching
/// `request` (which needs query text or an entity filter), `limit` of each.
pub fn related(index: &ArticleIndex, request: &SearchRequest, limit: usize) -> Result<Related> {
    let has_text = request
        .query
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    let has_filter = !(request.people.is_empty()
        && request.countries.is_empty()
        && request.orgs.is_empty()
        && request.topics.is_empty());
    if !has_text && !has_filter {
        return Err(Error::Query(
            "related needs --person, --country, --org, --topic or query text".to_string(),
        ));
    }
    // One extra value per filter: the filtered entity itself is usually the top one.
    let filters = request.people.len() + request.countries.len() + request.orgs.len();
    let counting = SearchRequest {
        limit: 0,
        offset: 0,
        facets: KINDS.to_vec(),
        facet_limit: limit + filters * 3,
        ..request.clone()
    };
    let response = super::search(index, &counting)?;
    let people = folded_values(&request.people);
    let orgs = folded_values(&request.orgs);
    let codes: Vec<&str> = request
        .countries
        .iter()
        .flat_map(|value| value.split(','))
        .filter_map(|value| countries::resolve(value.trim()))
        .collect();
    let topics: Vec<String> = request
        .topics
        .iter()
        .flat_map(|value| value.split(','))
        .map(|value| value.trim().to_ascii_lowercase())
        .collect();
    let mut related = BTreeMap::new();
    for (name, values) in response.facets {
        let kept: Vec<FacetCount> = values
            .into_iter()
            .filter(|value| match name.as_str() {
                "person" => !names_any(&people, &value.value),
                "org" => !names_any(&orgs, &value.value),
                "country" => !codes.contains(&value.value.as_str()),
                "topic" => !topics.contains(&value.value),
                _ => true,
            })
            .take(limit)
            .collect();
        related.insert(name, kept);
    }
    Ok(Related {
        query: request.query.clone().unwrap_or_default(),
        total: response.total,
        related,
    })
}

/// The folded words of every alternative of every filter value.
fn folded_values(values: &[String]) -> Vec<Vec<String>> {
    values
        .iter()
        .flat_map(|value| value.split(','))
        .map(super::snippet::fold_words)
        .filter(|words| !words.is_empty())
        .collect()
}

/// True when one of the filters' words run through `name`, as the filter matched it.
fn names_any(filters: &[Vec<String>], name: &str) -> bool {
    let name = super::snippet::fold_words(name);
    filters
        .iter()
        .any(|words| super::snippet::contains_run(&name, words))
}
