//! People: mentions of persons with canonical full names.
//!
//! Candidates come from the tagger's PER spans when it has any, else from capitalized name
//! sequences ([`candidates`]): two or more name-like words, with particles ("von der
//! Leyen", "da Silva", "bin Salman"), initials ("J.D.") and O'Brien/McConnell forms, never
//! a place, an organization ("Morgan Stanley", "Bank of England") or a sentence opener
//! ("Speaking to reporters"). Titles ("President", "Mr", "Sen.") and possessives are not
//! part of a name.
//!
//! Canonicalization within one article: each full name (two or more words) is a person;
//! the longest form seen wins ("Luiz Inácio Lula da Silva"). A later surname-only, titled
//! or possessive mention ("Putin's", "Mr Starmer", "Lula") joins the full name whose words
//! it matches, comparing accent-folded forms and spelling variants (Zelensky/Zelenskyy/
//! Zelenskiy). A single word never seen in full counts only after a title ("President
//! Macron" -> "Macron"). Reporters named in the byline are not people of the story.

mod candidates;

use super::NerLabel;
use super::NerSpan;
use super::tokens::fold;
use crate::model::{Article, EntityKind, Mention, TextField};
use candidates::{Candidate, candidates_in};
use std::collections::HashMap;

/// Person mentions of the article, each with its canonical full name. `places` are the
/// article's country mentions: a candidate overlapping one is a place, not a person.
pub fn find_people(article: &Article, spans: &[NerSpan], places: &[Mention]) -> Vec<Mention> {
    let title_is_headline_case = is_headline_case(&article.title);
    let mut found: Vec<Candidate> = Vec::new();
    for (field, text) in [
        (TextField::Title, article.title.as_str()),
        (TextField::Body, article.body.as_str()),
    ] {
        let field_spans: Vec<(usize, usize)> = spans
            .iter()
            .filter(|span| span.field == field && span.label == NerLabel::Per)
            .map(|span| (span.start, span.end))
            .collect();
        let field_places: Vec<(usize, usize)> = places
            .iter()
            .filter(|place| place.field == field)
            .map(|place| (place.start, place.end))
            .collect();
        let trust_sequences = !(field == TextField::Title && title_is_headline_case);
        found.extend(candidates_in(
            field,
            text,
            &field_spans,
            &field_places,
            trust_sequences,
        ));
    }
    let byline = article.byline.as_deref().map(fold_name).unwrap_or_default();
    found.retain(|candidate| byline.is_empty() || !byline.contains(&fold_name(&candidate.name)));

    // Full names, longest form first so "Luiz Inácio Lula da Silva" beats "Lula da Silva".
    let mut full_names: Vec<String> = Vec::new();
    let mut by_length: Vec<&Candidate> = found.iter().filter(|c| c.words().len() >= 2).collect();
    by_length.sort_by_key(|candidate| std::cmp::Reverse(candidate.words().len()));
    for candidate in by_length {
        if full_names
            .iter()
            .any(|known| same_person(known, &candidate.name))
        {
            continue;
        }
        full_names.push(candidate.name.clone());
    }
    let mut mentions = Vec::new();
    let mut single_names: HashMap<String, String> = HashMap::new();
    for candidate in &found {
        let canonical = if candidate.words().len() >= 2 {
            full_names
                .iter()
                .find(|known| same_person(known, &candidate.name))
                .cloned()
        } else {
            let known = full_names
                .iter()
                .find(|known| is_part_of(&candidate.name, known))
                .cloned();
            known.or_else(|| {
                candidate.titled.then(|| {
                    single_names
                        .entry(fold_name(&candidate.name))
                        .or_insert_with(|| candidate.name.clone())
                        .clone()
                })
            })
        };
        let Some(canonical) = canonical else {
            continue;
        };
        mentions.push(Mention {
            kind: EntityKind::Person,
            field: candidate.field,
            start: candidate.start,
            end: candidate.end,
            text: candidate.text.clone(),
            canonical,
        });
    }
    mentions
}

/// A headline in Title Case: most words capitalized, so capitals say nothing about names.
fn is_headline_case(title: &str) -> bool {
    let words: Vec<&str> = title
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.len() < 4 {
        return false;
    }
    let capitalized = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalized * 10 >= words.len() * 8
}

/// Accent-folded, lower-cased form with spelling variants merged: "Zelenskyy", "Zelenskiy"
/// and "Zelensky" all give "zelensky".
fn fold_name(name: &str) -> String {
    let mut words = Vec::new();
    for word in name.split_whitespace() {
        let mut folded = fold(word).replace('\'', "");
        for (variant, common) in [("yy", "y"), ("iy", "y"), ("ij", "y")] {
            if let Some(stem) = folded.strip_suffix(variant) {
                folded = format!("{stem}{common}");
                break;
            }
        }
        words.push(folded);
    }
    words.join(" ")
}

/// Two full names of the same person: equal after folding, or one contains the other's
/// words in order and they share first and last word ("Lula da Silva" within
/// "Luiz Inácio Lula da Silva" shares the last word; "Joe Biden"/"Joseph Biden" do not).
fn same_person(known: &str, other: &str) -> bool {
    let known = fold_name(known);
    let other = fold_name(other);
    if known == other {
        return true;
    }
    let known_words: Vec<&str> = known.split(' ').collect();
    let other_words: Vec<&str> = other.split(' ').collect();
    let (long, short) = if known_words.len() >= other_words.len() {
        (&known_words, &other_words)
    } else {
        (&other_words, &known_words)
    };
    long.last() == short.last()
        && long
            .windows(short.len())
            .any(|window| window == short.as_slice())
}

/// Whether a single word is a part of a full name other than its first word (a surname
/// or later given name: "Putin", "Lula", "Erdogan").
fn is_part_of(word: &str, full_name: &str) -> bool {
    let word = fold_name(word);
    let folded = fold_name(full_name);
    let parts: Vec<&str> = folded.split(' ').collect();
    parts
        .iter()
        .skip(1)
        .any(|part| *part == word && !candidates::is_particle(part))
}

#[cfg(test)]
mod tests;
