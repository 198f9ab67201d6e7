//! The country gazetteer: embedded TSV files (see `src/extract/data/README.md`) loaded once
//! into hash tables keyed by the lower-case, ASCII-folded phrase.

use super::tokens::{fold, tokenize};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const COUNTRIES: &str = include_str!("../data/countries.tsv");
const COUNTRY_NAMES: &str = include_str!("../data/country_names.tsv");
const ALIASES: &str = include_str!("../data/aliases.tsv");
const DEMONYMS: &str = include_str!("../data/demonyms.tsv");
const US_STATES: &str = include_str!("../data/us_states.tsv");
const CITIES: &str = include_str!("../data/cities.tsv");
const TRAPS: &str = include_str!("../data/traps.tsv");

/// What a gazetteer phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A country name ("Ukraine", "Republic of Chile").
    Name,
    /// A common alias ("U.S.", "Britain", "Holland").
    Alias,
    /// A nationality word ("Ukrainian", "Britons").
    Demonym,
    /// A seat of power standing for the country ("Kremlin").
    Metonym,
    /// A part of the country (US states, "Scotland", "Ontario").
    Region,
    /// A capital city.
    Capital,
    /// Another city.
    City,
    /// A US state abbreviation ("Conn.", "N.J."): counts only after "City, ".
    StateAbbreviation,
    /// A phrase that is never a country ("Indian Ocean"); it wins the longest match.
    Blocked,
}

/// One phrase of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// ISO 3166-1 alpha-2 code; empty for `Kind::Blocked`.
    pub code: &'static str,
    /// The phrase as written in the data, accents folded, words joined by one space.
    pub form: String,
    /// What it names.
    pub kind: Kind,
}

/// Everything the matcher and the resolver need, built once.
#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Lower-case folded phrase -> entry.
    pub phrases: HashMap<String, Entry>,
    /// Lower-case folded first word -> the most words a phrase starting with it has.
    pub first_words: HashMap<String, usize>,
    /// ISO code -> common English name.
    pub names: HashMap<&'static str, &'static str>,
    /// Lower-case folded user input (codes, names, aliases, demonyms) -> code.
    pub lookup: HashMap<String, &'static str>,
    /// Lower-case words that are not countries when part of a longer capitalised name.
    pub name_parts: HashSet<String>,
    /// Lower-case phrase -> lower-case next words that make it not a country.
    pub not_before: HashMap<String, HashSet<String>>,
    /// Lower-case words after "Georgia" that make it the US state.
    pub georgia_us_cues: HashSet<String>,
    /// Phrases (as written) whose presence makes "Georgia" the country.
    pub georgia_country_cues: Vec<&'static str>,
}

/// The process-wide gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(build)
}

/// The data rows of a TSV file: header and `# source:` lines skipped, columns split.
pub fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .skip(1)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

/// The words of a phrase, accents folded, joined by one space ("Guinea-Bissau" -> "Guinea Bissau").
pub fn normalize_phrase(phrase: &str) -> String {
    let mut normalized = String::with_capacity(phrase.len());
    for token in tokenize(phrase) {
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.push_str(&fold(&phrase[token.start..token.end]));
    }
    normalized
}

/// The lookup key of a phrase: normalized and lower case.
pub fn key(phrase: &str) -> String {
    normalize_phrase(phrase).to_lowercase()
}

/// Every (phrase, code, kind) of the data files, in precedence order (first wins).
pub fn all_phrases() -> Vec<(&'static str, &'static str, Kind)> {
    let mut phrases = Vec::new();
    for row in rows(TRAPS) {
        if row.get(1) == Some(&"drop") {
            phrases.push((row[0], "", Kind::Blocked));
        }
    }
    for row in rows(ALIASES) {
        let (Some(phrase), Some(code), Some(kind)) = (row.first(), row.get(1), row.get(2)) else {
            continue;
        };
        let kind = match *kind {
            "metonym" => Kind::Metonym,
            "region" => Kind::Region,
            "capital" => Kind::Capital,
            "city" => Kind::City,
            "demonym" => Kind::Demonym,
            "state_abbreviation" => Kind::StateAbbreviation,
            _ => Kind::Alias,
        };
        phrases.push((*phrase, *code, kind));
    }
    for row in rows(DEMONYMS) {
        if let (Some(phrase), Some(code)) = (row.first(), row.get(1)) {
            phrases.push((*phrase, *code, Kind::Demonym));
        }
    }
    for row in rows(COUNTRY_NAMES) {
        if let (Some(phrase), Some(code)) = (row.first(), row.get(1)) {
            phrases.push((*phrase, *code, Kind::Name));
        }
    }
    for row in rows(US_STATES) {
        if let (Some(phrase), Some(code)) = (row.first(), row.get(1)) {
            phrases.push((*phrase, *code, Kind::Region));
        }
    }
    for row in rows(CITIES) {
        if let (Some(phrase), Some(code), Some(capital)) = (row.first(), row.get(1), row.get(3)) {
            let kind = if *capital == "1" {
                Kind::Capital
            } else {
                Kind::City
            };
            phrases.push((*phrase, *code, kind));
        }
    }
    phrases
}

/// Plural nationality nouns the data leaves implicit: "Ukrainian" -> "Ukrainians".
fn plural(demonym: &str) -> Option<String> {
    let is_single_word = !demonym.contains(' ');
    if is_single_word && (demonym.ends_with("an") || demonym.ends_with('i')) {
        return Some(format!("{demonym}s"));
    }
    None
}

fn build() -> Gazetteer {
    let mut gazetteer = Gazetteer::default();
    for row in rows(COUNTRIES) {
        if let (Some(code), Some(name)) = (row.first(), row.get(1)) {
            gazetteer.names.insert(*code, *name);
            gazetteer.lookup.insert(code.to_lowercase(), *code);
        }
    }
    for (phrase, code, kind) in all_phrases() {
        add_phrase(&mut gazetteer, phrase, code, kind);
        if kind == Kind::Demonym
            && let Some(plural) = plural(phrase)
        {
            add_phrase(&mut gazetteer, &plural, code, kind);
        }
    }
    for row in rows(TRAPS) {
        let (Some(phrase), Some(rule)) = (row.first(), row.get(1)) else {
            continue;
        };
        let words = row.get(2).copied().unwrap_or("");
        match *rule {
            "person" => {
                gazetteer.name_parts.insert(key(phrase));
            }
            "not_before" => {
                let set = words.split(',').map(str::to_lowercase).collect();
                gazetteer.not_before.insert(key(phrase), set);
            }
            "us_cue" => {
                gazetteer.georgia_us_cues = words.split(',').map(str::to_lowercase).collect();
            }
            "ge_cue" => gazetteer.georgia_country_cues = words.split(',').collect(),
            _ => {}
        }
    }
    gazetteer
}

fn add_phrase(gazetteer: &mut Gazetteer, phrase: &str, code: &'static str, kind: Kind) {
    let form = normalize_phrase(phrase);
    let lower = form.to_lowercase();
    if form.is_empty() || gazetteer.phrases.contains_key(&lower) {
        return;
    }
    let word_count = form.split(' ').count();
    let first_word = lower.split(' ').next().unwrap_or_default().to_string();
    let longest = gazetteer.first_words.entry(first_word).or_insert(0);
    *longest = (*longest).max(word_count);
    if matches!(kind, Kind::Name | Kind::Alias | Kind::Demonym) {
        gazetteer.lookup.entry(lower.clone()).or_insert(code);
    }
    gazetteer.phrases.insert(lower, Entry { code, form, kind });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// Phrases the data maps to one code on purpose although they could mean others.
    fn deliberately_ambiguous() -> HashSet<String> {
        rows(TRAPS)
            .filter(|row| row.get(1) == Some(&"ambiguous"))
            .map(|row| key(row[0]))
            .collect()
    }

    #[test]
    fn data_has_no_duplicate_or_conflicting_aliases() {
        let ambiguous = deliberately_ambiguous();
        let mut problems = Vec::new();
        for (name, data) in [
            ("aliases", ALIASES),
            ("demonyms", DEMONYMS),
            ("country_names", COUNTRY_NAMES),
            ("us_states", US_STATES),
            ("cities", CITIES),
        ] {
            let mut seen = HashSet::default();
            for row in rows(data) {
                if !seen.insert(key(row[0])) {
                    problems.push(format!("{name}: duplicate {:?}", row[0]));
                }
            }
        }
        let mut codes: HashMap<String, &str> = HashMap::default();
        for (phrase, code, kind) in all_phrases() {
            if kind == Kind::Blocked {
                continue;
            }
            let phrase_key = key(phrase);
            match codes.get(&phrase_key) {
                Some(previous) if *previous != code && !ambiguous.contains(&phrase_key) => {
                    problems.push(format!("{phrase:?} is both {previous} and {code}"));
                }
                Some(_) => {}
                None => {
                    codes.insert(phrase_key, code);
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn data_files_are_sorted_with_header_and_source() {
        for data in [
            ALIASES,
            DEMONYMS,
            COUNTRY_NAMES,
            US_STATES,
            CITIES,
            TRAPS,
            COUNTRIES,
        ] {
            let mut lines = data.lines();
            assert!(lines.next().is_some_and(|header| header.contains('\t')));
            assert!(
                lines
                    .next()
                    .is_some_and(|line| line.starts_with("# source:"))
            );
            let keys: Vec<String> = rows(data).map(|row| row[0].to_lowercase()).collect();
            assert!(
                keys.is_sorted(),
                "not sorted: {:?}",
                &keys[..keys.len().min(3)]
            );
        }
    }

    #[test]
    fn every_code_is_known_and_phrases_start_upper_case() {
        let gazetteer = gazetteer();
        for (phrase, code, kind) in all_phrases() {
            assert!(
                phrase.chars().next().is_some_and(char::is_uppercase),
                "{phrase:?} must start with a capital letter"
            );
            if kind != Kind::Blocked {
                assert!(gazetteer.names.contains_key(code), "{phrase}: {code}");
            }
        }
    }

    #[test]
    fn loads_quickly() {
        let started = Instant::now();
        let gazetteer = build();
        let elapsed = started.elapsed();
        assert!(gazetteer.phrases.len() > 4000);
        eprintln!(
            "gazetteer: {} phrases in {:?}",
            gazetteer.phrases.len(),
            elapsed
        );
        assert!(elapsed.as_millis() < 500, "took {elapsed:?}");
    }
}
