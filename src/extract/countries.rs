//! Countries: gazetteer matches -> mentions with ISO 3166-1 alpha-2 codes.
//!
//! The gazetteer (`gazetteer`) holds country names, aliases, demonyms, metonyms, US states
//! and other regions, capitals and cities of 150k+ people. `matcher` finds the longest
//! capitalised phrase at each word and applies the trap rules:
//! - case: proper names only ("China", "CHINA" in an all-caps line; never "china");
//! - NER: words inside a PER span are never countries; words inside an ORG span are not
//!   counted either ("Bank of England", "China Telecom": the org carries that evidence);
//!   a LOC span overrides the name-part heuristic below;
//! - name parts: a word that is also a given or family name ("Jordan", "Chad", "Paris") is
//!   not a country next to another capitalised word ("Jordan Henderson", "Paris Hilton"),
//!   nor anywhere else in an article where it was seen as such a name part;
//! - blocked phrases win the longest match ("Indian Ocean", "Guinea pig");
//! - `not_before` words ("Turkey dinner", "Chile pepper", "French fries");
//! - "City, State/Country" qualifies the city ("Paris, Texas" -> US) for the whole article;
//! - "Georgia" is the US state unless the article has cues for the country (Tbilisi, ...).

mod gazetteer;
mod matcher;
mod tokens;

use super::NerSpan;
use crate::model::{Article, Mention};
use gazetteer::gazetteer;

/// Country mentions of the article, canonical value = ISO 3166-1 alpha-2 code.
pub fn find_countries(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    matcher::find(article, spans)
}

/// The ISO code for a user-typed country: a code ("UA", "uk"), name or demonym.
pub fn resolve(value: &str) -> Option<&'static str> {
    let mut key = gazetteer::key(value.trim());
    if let Some(rest) = key.strip_prefix("the ") {
        key = rest.to_string();
    }
    let lookup = &gazetteer().lookup;
    if let Some(code) = lookup.get(&key) {
        return Some(code);
    }
    // "U.S." typed as "us." or "u.s": try without the dots.
    let undotted: String = key.chars().filter(|character| *character != '.').collect();
    lookup.get(&undotted).copied()
}

/// The ISO code of a place the gazetteer knows by this exact phrase: a country, region,
/// US state, capital or city ("Oregon" -> US, "Lyon" -> FR).
pub fn place(value: &str) -> Option<&'static str> {
    let entry = gazetteer().phrases.get(&gazetteer::key(value.trim()))?;
    (!entry.code.is_empty()).then_some(entry.code)
}

/// The common English name of an ISO code ("UA" -> "Ukraine").
pub fn name(code: &str) -> Option<&'static str> {
    let upper = code.trim().to_ascii_uppercase();
    gazetteer().names.get(upper.as_str()).copied()
}

/// Up to `limit` known country names closest to a misspelled value, best first.
pub fn suggestions(value: &str, limit: usize) -> Vec<String> {
    let typed = gazetteer::key(value);
    if typed.is_empty() || limit == 0 {
        return Vec::new();
    }
    let gazetteer = gazetteer();
    let mut best: Vec<(f64, &'static str)> = Vec::new();
    for (known, code) in &gazetteer.lookup {
        if known.len() <= 2 {
            continue;
        }
        let score = strsim::jaro_winkler(&typed, known);
        if score < 0.8 {
            continue;
        }
        match best.iter_mut().find(|(_, seen)| seen == code) {
            Some(entry) if entry.0 < score => entry.0 = score,
            Some(_) => {}
            None => best.push((score, code)),
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    // Only near-ties of the best guess: "Ukrane" suggests Ukraine, not also South Korea.
    let top = best.first().map_or(0.0, |entry| entry.0);
    best.into_iter()
        .filter(|(score, _)| *score >= top - 0.04)
        .filter_map(|(_, code)| name(code))
        .take(limit)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_codes_names_and_demonyms() {
        let cases = [
            ("UA", Some("UA")),
            ("ua", Some("UA")),
            ("UK", Some("GB")),
            ("uk", Some("GB")),
            ("GB", Some("GB")),
            ("Ukraine", Some("UA")),
            ("united kingdom", Some("GB")),
            ("Britain", Some("GB")),
            ("ukrainian", Some("UA")),
            ("British", Some("GB")),
            ("Türkiye", Some("TR")),
            ("turkiye", Some("TR")),
            ("côte d'ivoire", Some("CI")),
            ("Ivory Coast", Some("CI")),
            ("U.S.", Some("US")),
            ("the Netherlands", Some("NL")),
            ("americans", Some("US")),
            ("Narnia", None),
            ("", None),
            ("Kremlin", None),
        ];
        for (value, expected) in cases {
            assert_eq!(resolve(value), expected, "{value}");
        }
    }

    #[test]
    fn names_codes() {
        assert_eq!(name("UA"), Some("Ukraine"));
        assert_eq!(name("gb"), Some("United Kingdom"));
        assert_eq!(name("US"), Some("United States"));
        assert_eq!(name("ZZ"), None);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            suggestions("Ukrain", 3).first().map(String::as_str),
            Some("Ukraine")
        );
        assert_eq!(suggestions("Grmany", 1), vec!["Germany".to_string()]);
        assert!(suggestions("zzzzzz", 3).is_empty());
        assert!(suggestions("France", 0).is_empty());
    }
}
