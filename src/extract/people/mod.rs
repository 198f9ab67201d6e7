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
mod words;

use super::NerLabel;
use super::NerSpan;
use super::Prepared;
use super::tokens::fold_name_part;
use crate::model::{Article, EntityKind, Mention, TextField};
use candidates::{Candidate, Tagged, candidates_in};
use std::collections::HashMap;

/// Person mentions of the article, each with its canonical full name. `tagged` holds the
/// tagger's spans when a trained tagger ran (`None`: use the name-sequence rules);
/// `places` are the article's country mentions: a candidate overlapping one is a place.
pub fn find_people(
    article: &Article,
    prepared: &Prepared,
    tagged: Option<&[NerSpan]>,
    places: &[Mention],
) -> Vec<Mention> {
    let title_is_headline_case = is_headline_case(&article.title);
    let mut found: Vec<Candidate> = Vec::new();
    let surnames: rustc_hash::FxHashSet<String> = tagged
        .unwrap_or(&[])
        .iter()
        .filter(|span| span.label == NerLabel::Per)
        .filter_map(|span| {
            let text = match span.field {
                TextField::Title => &article.title,
                _ => &article.body,
            };
            let last = text.get(span.start..span.end)?.split_whitespace().last()?;
            Some(fold_name_part(last))
        })
        .collect();
    for (field, text) in [
        (TextField::Title, article.title.as_str()),
        (TextField::Body, article.body.as_str()),
    ] {
        let person_spans: Vec<(usize, usize)> = tagged
            .unwrap_or(&[])
            .iter()
            .filter(|span| span.field == field && span.label == NerLabel::Per)
            .map(|span| (span.start, span.end))
            .collect();
        let other_spans: Vec<(usize, usize)> = tagged
            .unwrap_or(&[])
            .iter()
            .filter(|span| span.field == field && span.label != NerLabel::Per)
            .map(|span| (span.start, span.end))
            .collect();
        let tagged_field = tagged.map(|_| Tagged {
            people: &person_spans,
            others: &other_spans,
            surnames: &surnames,
        });
        let field_places: Vec<(usize, usize)> = places
            .iter()
            .filter(|place| place.field == field)
            .map(|place| (place.start, place.end))
            .collect();
        let trust_sequences = !(field == TextField::Title && title_is_headline_case);
        found.extend(candidates_in(
            field,
            text,
            prepared.tokens(field),
            tagged_field,
            &field_places,
            trust_sequences,
        ));
    }
    found.retain(|candidate| candidate.titled || !prepared.is_company_name(&candidate.name));
    // "Storm Floris", "Hurricane Melissa": a named storm is no person, here or later alone.
    let storms: Vec<String> = found
        .iter()
        .filter(|candidate| {
            let text = match candidate.field {
                TextField::Title => &article.title,
                _ => &article.body,
            };
            let before = text[..candidate.start].trim_end();
            let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            matches!(
                word.to_ascii_lowercase().as_str(),
                "storm" | "hurricane" | "typhoon" | "cyclone"
            )
        })
        .map(|candidate| fold_name(&candidate.name))
        .collect();
    found.retain(|candidate| !storms.contains(&fold_name(&candidate.name)));
    let byline = article.byline.as_deref().map(fold_name).unwrap_or_default();
    found.retain(|candidate| byline.is_empty() || !byline.contains(&fold_name(&candidate.name)));

    // Full names, longest form first so "Luiz Inácio Lula da Silva" beats "Lula da Silva".
    let folded: Vec<String> = found
        .iter()
        .map(|candidate| fold_name(&candidate.name))
        .collect();
    let mut order: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].word_count() >= 2)
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(found[i].word_count()));
    // (folded form, canonical name as written)
    let mut full_names: Vec<(String, String)> = Vec::new();
    for index in order {
        if full_names
            .iter()
            .any(|(known, _)| same_person(known, &folded[index]))
        {
            continue;
        }
        full_names.push((folded[index].clone(), found[index].name.clone()));
    }
    let mut mentions = Vec::new();
    let mut single_names: HashMap<String, String> = HashMap::new();
    for (candidate, folded_name) in found.iter().zip(&folded) {
        let canonical = if candidate.word_count() >= 2 {
            full_names
                .iter()
                .find(|(known, _)| same_person(known, folded_name))
                .map(|(_, name)| name.clone())
        } else {
            let known = full_names
                .iter()
                .find(|(known, _)| is_part_of(folded_name, known))
                .map(|(_, name)| name.clone());
            // A given name alone ("Carlos is a great rival") is the one full name in the
            // article that starts with it; with two such names it stays ambiguous.
            let by_given_name = || {
                let mut starting = full_names
                    .iter()
                    .filter(|(known, _)| known.split(' ').next() == Some(folded_name.as_str()));
                match (starting.next(), starting.next()) {
                    (Some((_, name)), None) => Some(name.clone()),
                    _ => None,
                }
            };
            // A name of its own when titled or tagged, unless it is a title alone ("Mr" of
            // "Mr Trump's" when the tagger kept them apart; "King" of Billie Jean King
            // joined her full name above).
            let own = (candidate.titled || candidate.tagged) && !words::is_title(folded_name);
            known.or_else(by_given_name).or_else(|| {
                own.then(|| {
                    single_names
                        .entry(folded_name.clone())
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

/// Whether a word as written is a title that introduces a name ("Secretary", "Governor").
pub(crate) fn is_title_word(word: &str) -> bool {
    words::is_title(&fold_name_part(word))
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
        let mut folded = fold_name_part(word);
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

/// Two full names (both folded by [`fold_name`]) of the same person: equal, or one contains the other's
/// words in order and they share first and last word ("Lula da Silva" within
/// "Luiz Inácio Lula da Silva" shares the last word; "Joe Biden"/"Joseph Biden" do not).
fn same_person(known: &str, other: &str) -> bool {
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

/// Whether a single folded word is a part of a folded full name other than its first word (a surname
/// or later given name: "Putin", "Lula", "Erdogan").
fn is_part_of(word: &str, full_name: &str) -> bool {
    full_name
        .split(' ')
        .skip(1)
        .any(|part| part == word && !candidates::is_particle(part))
}

#[cfg(test)]
mod tests;
