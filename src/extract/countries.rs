//! Countries: gazetteer matches -> mentions with ISO 3166-1 alpha-2 codes.
//!
//! Names, aliases ("U.S.", "Britain", "Türkiye"), demonyms ("Ukrainian"), capitals and
//! large cities (GeoNames), US states and metonyms ("the Kremlin") are matched as
//! capitalized phrases, longest first. Traps are handled by data and context: blocker
//! phrases ("Latin America", "Indian Ocean", "New Jersey" is a US state, not Jersey),
//! lower-case common words ("fine china", "roast turkey"), names that are also people's
//! names next to another capitalized word ("Paris Hilton", "Michael Jordan"), anything
//! inside a PER span of the tagger, "Georgia" decided by the rest of the article, and
//! cities named in several countries resolved by the countries the article names, then
//! by population.

use super::NerLabel;
use super::NerSpan;
use super::tokens::{Token, fold, tokenize};
use crate::model::{Article, EntityKind, Mention, TextField};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// What kind of place a phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Demonym,
    City,
    State,
    Metonym,
    Blocker,
}

#[derive(Debug, Clone)]
struct Entry {
    code: &'static str,
    kind: Kind,
    population: u64,
    /// Short upper-case aliases ("US", "UK") must be written in capitals.
    upper_only: bool,
}

struct Gazetteer {
    phrases: HashMap<String, Vec<Entry>>,
    first_words: HashSet<String>,
    longest: usize,
    names: HashMap<&'static str, &'static str>,
    lookup: HashMap<String, &'static str>,
}

/// Place names that are also given names or surnames: next to another capitalized word
/// they are taken as part of a person's name.
const PERSON_LIKE: [&str; 36] = [
    "jordan",
    "chad",
    "georgia",
    "paris",
    "india",
    "kenya",
    "israel",
    "houston",
    "dallas",
    "austin",
    "sydney",
    "adelaide",
    "perth",
    "lima",
    "santiago",
    "victoria",
    "florence",
    "chelsea",
    "brooklyn",
    "washington",
    "denver",
    "albany",
    "kingston",
    "hamilton",
    "wellington",
    "nancy",
    "phoenix",
    "memphis",
    "china",
    "ireland",
    "england",
    "america",
    "cuba",
    "orlando",
    "milan",
    "salvador",
];

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(build);

fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .skip(1)
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| line.split('\t').collect())
}

fn build() -> Gazetteer {
    let mut gazetteer = Gazetteer {
        phrases: HashMap::new(),
        first_words: HashSet::new(),
        longest: 1,
        names: HashMap::new(),
        lookup: HashMap::new(),
    };
    for row in rows(include_str!("data/countries.tsv")) {
        let [code, name, aliases, demonyms] = row[..] else {
            continue;
        };
        gazetteer.names.insert(code, name);
        gazetteer.lookup.insert(fold(code), code);
        gazetteer.add(name, code, Kind::Country, u64::MAX);
        for alias in aliases.split('|').filter(|alias| !alias.is_empty()) {
            gazetteer.add(alias, code, Kind::Country, u64::MAX);
        }
        for demonym in demonyms.split('|').filter(|demonym| !demonym.is_empty()) {
            gazetteer.add(demonym, code, Kind::Demonym, u64::MAX);
            gazetteer.add(&format!("{demonym}s"), code, Kind::Demonym, u64::MAX);
        }
    }
    gazetteer.lookup.insert("uk".to_string(), "GB");
    for row in rows(include_str!("data/cities.tsv")) {
        let [name, code, population, _capital] = row[..] else {
            continue;
        };
        gazetteer.add(name, code, Kind::City, population.parse().unwrap_or(0));
    }
    for row in rows(include_str!("data/places.tsv")) {
        let [text, code, kind] = row[..] else {
            continue;
        };
        let kind = match kind {
            "state" => Kind::State,
            "metonym" => Kind::Metonym,
            _ => Kind::Blocker,
        };
        gazetteer.add(text, code, kind, u64::MAX);
    }
    gazetteer
}

impl Gazetteer {
    fn add(&mut self, phrase: &str, code: &'static str, kind: Kind, population: u64) {
        self.add_owned(phrase.to_string(), code, kind, population);
    }

    fn add_owned(&mut self, phrase: String, code: &'static str, kind: Kind, population: u64) {
        let words: Vec<String> = tokenize(&phrase)
            .iter()
            .map(|token| fold(token.text))
            .collect();
        if words.is_empty() {
            return;
        }
        let key = words.join(" ");
        let upper_only = phrase.len() <= 5
            && phrase
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        if matches!(kind, Kind::Country | Kind::Demonym | Kind::Metonym) && !upper_only {
            self.lookup.entry(key.clone()).or_insert(code);
        }
        self.longest = self.longest.max(words.len());
        self.first_words.insert(words[0].clone());
        let entries = self.phrases.entry(key).or_default();
        if !entries
            .iter()
            .any(|entry| entry.code == code && entry.kind == kind)
        {
            entries.push(Entry {
                code,
                kind,
                population,
                upper_only,
            });
        }
    }
}

/// One phrase found in the text, before the article-level decisions.
struct Candidate<'a> {
    field: TextField,
    start: usize,
    end: usize,
    text: &'a str,
    key: String,
    entries: &'a [Entry],
}

/// Country mentions of the article, canonical value = ISO 3166-1 alpha-2 code.
pub fn find_countries(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    let gazetteer = &*GAZETTEER;
    let mut candidates = Vec::new();
    for (field, text) in [
        (TextField::Title, article.title.as_str()),
        (TextField::Body, article.body.as_str()),
    ] {
        let person_spans: Vec<&NerSpan> = spans
            .iter()
            .filter(|span| span.field == field && span.label == NerLabel::Per)
            .collect();
        candidates.extend(match_field(gazetteer, field, text, &person_spans));
    }
    // Countries the article names outright: evidence for ambiguous cities and Georgia.
    let named: HashSet<&str> = candidates
        .iter()
        .filter(|candidate| candidate.entries.len() == 1 && candidate.key != "georgia")
        .filter(|candidate| !matches!(candidate.entries[0].kind, Kind::City | Kind::Blocker))
        .map(|candidate| candidate.entries[0].code)
        .collect();
    let georgian = candidates.iter().any(|candidate| {
        candidate
            .entries
            .iter()
            .any(|entry| entry.code == "GE" && candidate.key != "georgia")
    });
    let american = candidates.iter().any(|candidate| {
        candidate.key != "georgia" && candidate.entries.iter().any(|entry| entry.code == "US")
    });
    let mut mentions = Vec::new();
    for candidate in candidates {
        let code = if candidate.key == "georgia" {
            if georgian || !american { "GE" } else { "US" }
        } else {
            choose(candidate.entries, &named)
        };
        if code == "-" {
            continue;
        }
        mentions.push(Mention {
            kind: EntityKind::Country,
            field: candidate.field,
            start: candidate.start,
            end: candidate.end,
            text: candidate.text.to_string(),
            canonical: code.to_string(),
        });
    }
    mentions
}

/// The country of an ambiguous phrase: one the article names, else the largest place.
fn choose(entries: &[Entry], named: &HashSet<&str>) -> &'static str {
    if let Some(entry) = entries.iter().find(|entry| entry.kind != Kind::City) {
        return entry.code;
    }
    let pool: Vec<&Entry> = entries
        .iter()
        .filter(|entry| named.contains(entry.code))
        .collect();
    let pool = if pool.is_empty() {
        entries.iter().collect()
    } else {
        pool
    };
    pool.iter()
        .max_by_key(|entry| entry.population)
        .map_or("-", |entry| entry.code)
}

fn match_field<'a>(
    gazetteer: &'a Gazetteer,
    field: TextField,
    text: &'a str,
    person_spans: &[&NerSpan],
) -> Vec<Candidate<'a>> {
    let tokens = tokenize(text);
    let folded: Vec<String> = tokens.iter().map(|token| fold(token.text)).collect();
    let all_caps_text =
        tokens.len() > 2 && tokens.iter().filter(|t| t.is_all_caps()).count() * 2 > tokens.len();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut position = 0;
    let mut key = String::new();
    while position < tokens.len() {
        if !tokens[position].is_capitalized() || !gazetteer.first_words.contains(&folded[position])
        {
            position += 1;
            continue;
        }
        let mut matched = None;
        let longest = gazetteer.longest.min(tokens.len() - position);
        for length in (1..=longest).rev() {
            key.clear();
            for (offset, word) in folded[position..position + length].iter().enumerate() {
                if offset > 0 {
                    key.push(' ');
                }
                key.push_str(word);
            }
            if let Some(entries) = gazetteer.phrases.get(key.as_str()) {
                matched = Some((length, entries, key.clone()));
                break;
            }
        }
        let Some((length, entries, matched_key)) = matched else {
            position += 1;
            continue;
        };
        let span = &tokens[position..position + length];
        let accepted = entries[0].kind != Kind::Blocker
            && case_fits(span, entries, all_caps_text)
            && !inside_person(span, person_spans)
            && !common_word_context(&matched_key, &tokens, &folded, position, length)
            && !person_name_context(&matched_key, &tokens, position, length, all_caps_text)
            && !city_with_region(entries, &tokens, &folded, gazetteer, position + length);
        if accepted {
            let start = span[0].start;
            let end = span[length - 1].end;
            candidates.push(Candidate {
                field,
                start,
                end,
                text: &text[start..end],
                key: matched_key,
                entries,
            });
        }
        position += length;
    }
    candidates
}

/// Proper names must be capitalized; short upper-case aliases ("US") fully upper case.
fn case_fits(span: &[Token], entries: &[Entry], all_caps_text: bool) -> bool {
    if entries.iter().all(|entry| entry.upper_only) {
        return span.iter().all(|token| {
            token
                .text
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        }) && !all_caps_text;
    }
    let small_words = [
        "of", "the", "and", "de", "da", "del", "do", "d'ivoire", "la", "le", "al", "el", "upon",
        "es", "du", "dos",
    ];
    span.iter().enumerate().all(|(index, token)| {
        index == 0 && token.is_capitalized()
            || index > 0
                && (token.is_capitalized()
                    || small_words.contains(&token.text.to_lowercase().as_str()))
    })
}

fn inside_person(span: &[Token], person_spans: &[&NerSpan]) -> bool {
    let (start, end) = (span[0].start, span[span.len() - 1].end);
    person_spans
        .iter()
        .any(|person| person.start < end && start < person.end)
}

/// "fine China", "Thanksgiving Turkey", "Turkey sandwich": the dish and the bird.
fn common_word_context(
    key: &str,
    tokens: &[Token],
    folded: &[String],
    position: usize,
    length: usize,
) -> bool {
    let (before, after): (&[&str], &[&str]) = match key {
        "china" => (
            &["fine", "bone", "porcelain", "good"],
            &[
                "plate", "plates", "cup", "cups", "dishes", "set", "cabinet", "shop", "doll",
                "pattern", "tea", "teapot", "ware",
            ],
        ),
        "turkey" => (
            &[
                "roast",
                "thanksgiving",
                "christmas",
                "wild",
                "stuffed",
                "smoked",
                "roasted",
                "frozen",
                "whole",
            ],
            &[
                "dinner",
                "sandwich",
                "sandwiches",
                "breast",
                "leg",
                "legs",
                "farm",
                "farms",
                "farmer",
                "farmers",
                "meat",
                "feast",
                "recipe",
                "stuffing",
                "trot",
                "shoot",
                "pardon",
                "burger",
                "bacon",
                "gravy",
                "vulture",
                "season",
                "hunting",
                "hunters",
                "day",
            ],
        ),
        _ => return false,
    };
    let previous = position.checked_sub(1).map(|index| folded[index].as_str());
    let next = folded.get(position + length).map(String::as_str);
    let previous_is_joined = position > 0 && !tokens[position].after_punctuation;
    previous.is_some_and(|word| previous_is_joined && before.contains(&word))
        || next.is_some_and(|word| after.contains(&word))
}

/// "Paris Hilton", "Michael Jordan", "Chad Smith": a person-like place name joined to
/// another capitalized word is a name.
fn person_name_context(
    key: &str,
    tokens: &[Token],
    position: usize,
    length: usize,
    all_caps_text: bool,
) -> bool {
    if length != 1 || !PERSON_LIKE.contains(&key) || all_caps_text {
        return false;
    }
    let token = &tokens[position];
    let joined_capital = |other: &Token| other.is_capitalized() && !other.is_all_caps();
    if let Some(next) = tokens.get(position + 1) {
        if !token.possessive
            && !next.after_punctuation
            && !next.sentence_start
            && joined_capital(next)
        {
            return true;
        }
    }
    if position > 0 && !token.sentence_start && !token.after_punctuation {
        let previous = &tokens[position - 1];
        let function_words = [
            "In", "From", "To", "The", "And", "Of", "For", "With", "By", "At", "On", "As", "But",
            "Why", "How", "What", "When", "Where", "Visit", "Says", "Tells", "Warns", "Accuses",
            "Joins", "Beat", "Beats", "Against", "Versus", "Like", "Than",
        ];
        if joined_capital(previous)
            && !previous.possessive
            && !function_words.contains(&previous.text)
        {
            return true;
        }
    }
    false
}

/// "Paris, Texas" and "Birmingham, Alabama": a city followed by ", <state or country>"
/// is left to the region, which decides the country.
fn city_with_region(
    entries: &[Entry],
    tokens: &[Token],
    folded: &[String],
    gazetteer: &Gazetteer,
    next: usize,
) -> bool {
    if !entries.iter().all(|entry| entry.kind == Kind::City) {
        return false;
    }
    let Some(token) = tokens.get(next) else {
        return false;
    };
    if !token.after_punctuation || !token.is_capitalized() {
        return false;
    }
    let Some(region) = gazetteer.phrases.get(folded[next].as_str()) else {
        return false;
    };
    let region_codes: Vec<&str> = region
        .iter()
        .filter(|entry| matches!(entry.kind, Kind::State | Kind::Country))
        .map(|entry| entry.code)
        .collect();
    // "Atlanta, Georgia" agrees with itself and stays; "Paris, Texas" gives way to Texas.
    !region_codes.is_empty()
        && !entries
            .iter()
            .any(|entry| region_codes.contains(&entry.code))
}

/// The ISO code for a user-typed country: a code ("UA", "uk"), name or demonym.
pub fn resolve(value: &str) -> Option<&'static str> {
    let words: Vec<String> = tokenize(value)
        .iter()
        .map(|token| fold(token.text))
        .collect();
    let key = words.join(" ");
    let gazetteer = &*GAZETTEER;
    if let Some(code) = gazetteer.lookup.get(key.as_str()) {
        return Some(code);
    }
    let singular = key.strip_suffix('s')?;
    gazetteer.lookup.get(singular).copied()
}

/// The common English name of an ISO code ("UA" -> "Ukraine").
pub fn name(code: &str) -> Option<&'static str> {
    GAZETTEER
        .names
        .get(code.to_ascii_uppercase().as_str())
        .copied()
}

/// Up to `limit` known country names closest to a misspelled value, best first.
pub fn suggestions(value: &str, limit: usize) -> Vec<String> {
    let wanted = fold(value);
    let mut scored: Vec<(f64, &str)> = GAZETTEER
        .names
        .values()
        .map(|name| (strsim::jaro_winkler(&wanted, &fold(name)), *name))
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests;
