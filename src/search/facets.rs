//! Facet counts under the hits: which countries, people, topics, orgs the matches mention.

use crate::extract::countries;
use crate::index::schema::names;
use serde::Serialize;
use tantivy::collector::{FacetCollector, FacetCounts};

/// A facet that can be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FacetKind {
    /// ISO country codes.
    Country,
    /// Canonical people.
    Person,
    /// Topic slugs.
    Topic,
    /// Organizations.
    Org,
    /// Publishers.
    Source,
}

impl FacetKind {
    /// Every facet kind, in display order.
    pub const ALL: [FacetKind; 5] = [
        FacetKind::Country,
        FacetKind::Person,
        FacetKind::Topic,
        FacetKind::Org,
        FacetKind::Source,
    ];

    /// The JSON key of this facet, also the root of its facet paths.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Country => names::COUNTRY,
            FacetKind::Person => names::PERSON,
            FacetKind::Topic => names::TOPIC,
            FacetKind::Org => names::ORG,
            FacetKind::Source => "source",
        }
    }

    /// The index field holding this facet.
    pub fn field(self) -> &'static str {
        match self {
            FacetKind::Source => names::SOURCE_FACET,
            other => other.name(),
        }
    }

    /// Parses a facet name as typed by a user ("country", "people", "topics", ...).
    pub fn parse(text: &str) -> Option<FacetKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "country" | "countries" => Some(FacetKind::Country),
            "person" | "people" => Some(FacetKind::Person),
            "topic" | "topics" => Some(FacetKind::Topic),
            "org" | "orgs" | "organization" | "organizations" => Some(FacetKind::Org),
            "source" | "sources" => Some(FacetKind::Source),
            _ => None,
        }
    }
}

/// One facet value and the number of matching articles that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value: ISO code, canonical name or slug.
    pub value: String,
    /// Display name, for countries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Number of matching articles.
    pub count: u64,
}

/// A collector counting every value of one facet.
pub(crate) fn collector(kind: FacetKind) -> FacetCollector {
    let mut collector = FacetCollector::for_field(kind.field());
    collector.add_facet(format!("/{}", kind.name()).as_str());
    collector
}

/// The `limit` most frequent values, ties broken by value so output is stable.
pub(crate) fn top(kind: FacetKind, counts: &FacetCounts, limit: usize) -> Vec<FacetCount> {
    let root = format!("/{}", kind.name());
    let mut values: Vec<FacetCount> = counts
        .get(root.as_str())
        .filter_map(|(facet, count)| {
            let value = facet.to_path().last()?.to_string();
            let name = match kind {
                FacetKind::Country => countries::name(&value).map(str::to_string),
                _ => None,
            };
            Some(FacetCount { value, name, count })
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values.truncate(limit);
    values
}
