//! Finds country mentions: longest gazetteer phrase at each capitalised word, then the trap
//! rules described in the parent module.

use super::gazetteer::{Entry, Gazetteer, Kind, gazetteer};
use super::tokens::{Shape, Token, fold, shape, tokenize};
use crate::extract::{NerLabel, NerSpan};
use crate::model::{Article, EntityKind, Mention, TextField};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Capitalised words that start sentences or headlines and never make a longer name with
/// the next or previous word ("In Jordan", "Jordan Says").
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "across",
    "after",
    "against",
    "all",
    "also",
    "an",
    "and",
    "are",
    "as",
    "at",
    "back",
    "backs",
    "before",
    "between",
    "but",
    "by",
    "calls",
    "can",
    "could",
    "despite",
    "during",
    "for",
    "from",
    "has",
    "have",
    "her",
    "his",
    "how",
    "if",
    "in",
    "inside",
    "into",
    "is",
    "its",
    "meets",
    "near",
    "new",
    "no",
    "not",
    "of",
    "on",
    "or",
    "our",
    "over",
    "plans",
    "said",
    "say",
    "says",
    "seeks",
    "since",
    "slams",
    "tells",
    "than",
    "that",
    "the",
    "their",
    "these",
    "this",
    "those",
    "to",
    "told",
    "under",
    "urges",
    "versus",
    "visits",
    "vs",
    "warns",
    "was",
    "were",
    "what",
    "when",
    "where",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Codes whose presence makes a bare "Georgia" the country rather than the US state.
const GEORGIA_NEIGHBOURS: &[&str] = &["AM", "AZ", "BY", "RU", "TR", "UA", "KZ", "MD"];

/// A gazetteer match under review.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    field: TextField,
    /// Token range `first..last` in the field's tokens.
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    entry: &'a Entry,
    code: &'static str,
    /// "Georgia" not yet settled as the country or the US state.
    undecided_georgia: bool,
    dropped: bool,
}

/// One text field with its words.
struct Field<'a> {
    field: TextField,
    text: &'a str,
    tokens: Vec<Token>,
}

/// Country mentions of an article in text order (title first).
pub fn find(article: &Article, spans: &[NerSpan]) -> Vec<Mention> {
    let gazetteer = gazetteer();
    let fields = [
        Field {
            field: TextField::Title,
            text: &article.title,
            tokens: tokenize(&article.title),
        },
        Field {
            field: TextField::Body,
            text: &article.body,
            tokens: tokenize(&article.body),
        },
    ];
    let mut name_part_words: HashSet<&str> = HashSet::default();
    let mut qualified: HashMap<&str, &'static str> = HashMap::default();
    let mut candidates = Vec::new();
    for field in &fields {
        let start_index = candidates.len();
        scan(gazetteer, field, &mut candidates);
        let field_spans: Vec<&NerSpan> = spans
            .iter()
            .filter(|span| span.field == field.field)
            .collect();
        let found = &mut candidates[start_index..];
        apply_local_rules(gazetteer, field, &field_spans, found, &mut name_part_words);
        qualify_cities(field, found, &mut qualified);
    }
    apply_article_rules(
        gazetteer,
        &fields,
        &mut candidates,
        &name_part_words,
        &qualified,
    );

    let mut mentions = Vec::new();
    for candidate in candidates.iter().filter(|candidate| !candidate.dropped) {
        let text = match candidate.field {
            TextField::Title => &article.title,
            TextField::Body => &article.body,
        };
        mentions.push(Mention {
            kind: EntityKind::Country,
            field: candidate.field,
            start: candidate.start,
            end: candidate.end,
            text: text[candidate.start..candidate.end].to_string(),
            canonical: candidate.code.to_string(),
        });
    }
    mentions
}

/// The lower-case folded form of a word, appended to `buffer`.
fn push_key(buffer: &mut String, word: &str) {
    if word.is_ascii() {
        buffer.extend(
            word.bytes()
                .map(|byte| char::from(byte.to_ascii_lowercase())),
        );
        return;
    }
    for character in fold(word).chars() {
        buffer.extend(character.to_lowercase());
    }
}

/// Collects the longest case-matching phrase starting at each capitalised word.
fn scan<'a>(gazetteer: &'a Gazetteer, field: &Field, candidates: &mut Vec<Candidate<'a>>) {
    let tokens = &field.tokens;
    let mut key = String::new();
    let mut index = 0;
    while index < tokens.len() {
        let first_word = &field.text[tokens[index].start..tokens[index].end];
        if shape(first_word) == Shape::Lower {
            index += 1;
            continue;
        }
        key.clear();
        push_key(&mut key, first_word);
        let Some(&longest) = gazetteer.first_words.get(&key) else {
            index += 1;
            continue;
        };
        let mut phrase_end = index + 1;
        while phrase_end < tokens.len()
            && phrase_end - index < longest
            && tokens[phrase_end].joined
            && !tokens[phrase_end - 1].possessive
        {
            phrase_end += 1;
        }
        let mut matched = None;
        for last in (index + 1..=phrase_end).rev() {
            key.clear();
            for (position, token) in tokens[index..last].iter().enumerate() {
                if position > 0 {
                    key.push(' ');
                }
                push_key(&mut key, &field.text[token.start..token.end]);
            }
            let Some(entry) = gazetteer.phrases.get(&key) else {
                continue;
            };
            if case_matches(field.text, &tokens[index..last], entry) {
                matched = Some((last, entry));
                break;
            }
        }
        let Some((last, entry)) = matched else {
            index += 1;
            continue;
        };
        candidates.push(Candidate {
            field: field.field,
            first: index,
            last,
            start: tokens[index].start,
            end: tokens[last - 1].end,
            entry,
            code: entry.code,
            undecided_georgia: entry.form == "Georgia",
            dropped: entry.kind == Kind::Blocked,
        });
        index = last;
    }
}

/// True when the words are written like the gazetteer phrase: same case, all upper case,
/// or capitalised where the phrase has a small word ("Republic Of The Congo").
fn case_matches(text: &str, tokens: &[Token], entry: &Entry) -> bool {
    let mut forms = entry.form.split(' ');
    for token in tokens {
        let Some(form) = forms.next() else {
            return false;
        };
        let word = fold(&text[token.start..token.end]);
        if *word == *form {
            continue;
        }
        let is_upper = shape(&word) == Shape::Upper;
        if is_upper && tokens.len() == 1 && word.chars().filter(|c| c.is_alphabetic()).count() <= 3
        {
            // "OSH", "UFA": all-caps short words are acronyms unless the phrase is a country.
            if matches!(entry.kind, Kind::City | Kind::Capital) {
                return false;
            }
        }
        if is_upper && word.eq_ignore_ascii_case(form) {
            continue;
        }
        let form_is_small_word = form.chars().next().is_some_and(char::is_lowercase);
        if form_is_small_word && capitalized_equals(&word, form) {
            continue;
        }
        return false;
    }
    forms.next().is_none()
}

/// True when `word` is `form` with its first letter capitalised.
fn capitalized_equals(word: &str, form: &str) -> bool {
    let mut word_characters = word.chars();
    let mut form_characters = form.chars();
    let (Some(word_first), Some(form_first)) = (word_characters.next(), form_characters.next())
    else {
        return false;
    };
    word_first.to_lowercase().eq(form_first.to_lowercase()) && word_characters.eq(form_characters)
}

/// A word that can be part of a longer proper name with its neighbour.
fn is_name_word(text: &str, token: &Token) -> bool {
    let word = &text[token.start..token.end];
    if shape(word) != Shape::Capitalized {
        return false;
    }
    let lower = word.to_lowercase();
    !STOPWORDS.contains(&lower.as_str())
}

/// The lower-case folded word at `index`, when it exists.
fn lower_word(field: &Field, index: usize) -> Option<String> {
    let token = field.tokens.get(index)?;
    let mut word = String::new();
    push_key(&mut word, &field.text[token.start..token.end]);
    Some(word)
}

/// Whether every word of a place name is also a known given name or surname.
fn is_personal_name(form: &str) -> bool {
    form.split_whitespace().all(|word| {
        let lower = fold(word).to_lowercase();
        crate::extract::names::is_given_name(&lower) || crate::extract::names::is_surname(&lower)
    })
}

fn covering_label(spans: &[&NerSpan], start: usize, end: usize) -> Option<NerLabel> {
    spans
        .iter()
        .find(|span| span.start <= start && end <= span.end)
        .map(|span| span.label)
}

/// Rules that look at one mention and its neighbouring words.
fn apply_local_rules<'a>(
    gazetteer: &Gazetteer,
    field: &Field,
    spans: &[&NerSpan],
    candidates: &mut [Candidate<'a>],
    name_part_words: &mut HashSet<&'a str>,
) {
    // Words of real places next to a mention do not make it a name part ("Paris Berlin").
    let covered: HashSet<usize> = candidates
        .iter()
        .filter(|candidate| {
            let lower_form = candidate.entry.form.to_lowercase();
            !candidate.dropped && !gazetteer.name_parts.contains(&lower_form)
        })
        .flat_map(|candidate| candidate.first..candidate.last)
        .collect();
    for candidate in candidates.iter_mut().filter(|candidate| !candidate.dropped) {
        let label = covering_label(spans, candidate.start, candidate.end);
        // The tagger, trained on 1990s news, takes some places for people ("include
        // Kyiv"): a place name tagged alone as a person stays a place unless the word is
        // also a personal name ("Jordan", "Chad", "Paris").
        let lone_place_as_person = label == Some(NerLabel::Per)
            && matches!(
                candidate.entry.kind,
                Kind::Name | Kind::Alias | Kind::Capital | Kind::City
            )
            && spans
                .iter()
                .any(|span| span.start == candidate.start && span.end == candidate.end)
            && !is_personal_name(&candidate.entry.form);
        if !lone_place_as_person && matches!(label, Some(NerLabel::Per | NerLabel::Org)) {
            candidate.dropped = true;
            if label == Some(NerLabel::Per) {
                name_part_words.insert(candidate.entry.form.as_str());
            }
            continue;
        }
        if candidate.entry.kind == Kind::StateAbbreviation
            && !follows_place_and_comma(field, candidate)
        {
            candidate.dropped = true;
            continue;
        }
        let last_token = field.tokens[candidate.last - 1];
        let next_index = candidate.last;
        let next_joined = field
            .tokens
            .get(next_index)
            .is_some_and(|token| token.joined);
        let next_word = next_joined.then(|| lower_word(field, next_index)).flatten();
        let lower_form = candidate.entry.form.to_lowercase();
        if let (Some(word), Some(blocked)) = (&next_word, gazetteer.not_before.get(&lower_form))
            && blocked.contains(word)
        {
            candidate.dropped = true;
            continue;
        }
        if candidate.undecided_georgia
            && next_word
                .as_ref()
                .is_some_and(|word| gazetteer.georgia_us_cues.contains(word))
        {
            candidate.code = "US";
            candidate.undecided_georgia = false;
            continue;
        }
        if label == Some(NerLabel::Loc) || !gazetteer.name_parts.contains(&lower_form) {
            continue;
        }
        let previous_is_name = candidate.first > 0
            && field.tokens[candidate.first].joined
            && !covered.contains(&(candidate.first - 1))
            && !field.tokens[candidate.first - 1].possessive
            && is_name_word(field.text, &field.tokens[candidate.first - 1]);
        let next_is_name = next_joined
            && !last_token.possessive
            && !covered.contains(&next_index)
            && is_name_word(field.text, &field.tokens[next_index]);
        if previous_is_name || next_is_name {
            candidate.dropped = true;
            name_part_words.insert(candidate.entry.form.as_str());
        }
    }
}

/// True when a capitalised word and a comma come right before the mention ("Stamford, Conn.").
fn follows_place_and_comma(field: &Field, candidate: &Candidate) -> bool {
    let Some(previous) = candidate
        .first
        .checked_sub(1)
        .map(|index| field.tokens[index])
    else {
        return false;
    };
    let gap = &field.text[previous.end..candidate.start];
    let word = &field.text[previous.start..previous.end];
    gap.trim() == "," && !previous.possessive && shape(word) != Shape::Lower
}

/// "Paris, Texas": a city followed by ", <state or country>" belongs to that country.
fn qualify_cities<'a>(
    field: &Field,
    candidates: &mut [Candidate<'a>],
    qualified: &mut HashMap<&'a str, &'static str>,
) {
    for index in 1..candidates.len() {
        let (before, after) = candidates.split_at_mut(index);
        let city = &mut before[index - 1];
        let place = &mut after[0];
        let is_city = matches!(city.entry.kind, Kind::City | Kind::Capital);
        let is_place = matches!(
            place.entry.kind,
            Kind::Region | Kind::Name | Kind::Alias | Kind::StateAbbreviation
        );
        if !is_city || !is_place || city.dropped || place.dropped || place.first != city.last {
            continue;
        }
        // "Moscow, China and Iran" is a list: a capital is only qualified by a state.
        let place_is_state = matches!(place.entry.kind, Kind::Region | Kind::StateAbbreviation);
        if city.entry.kind == Kind::Capital && !place_is_state {
            continue;
        }
        if field.text[city.end..place.start].trim_end() != "," {
            continue;
        }
        if place.undecided_georgia && city.code == "US" {
            place.code = "US";
            place.undecided_georgia = false;
        }
        city.code = place.code;
        qualified.insert(city.entry.form.as_str(), place.code);
    }
}

/// Rules that need the whole article: name parts seen elsewhere, qualified cities, Georgia.
fn apply_article_rules(
    gazetteer: &Gazetteer,
    fields: &[Field],
    candidates: &mut [Candidate],
    name_part_words: &HashSet<&str>,
    qualified: &HashMap<&str, &'static str>,
) {
    for candidate in candidates.iter_mut() {
        let form = candidate.entry.form.as_str();
        if name_part_words.contains(form) {
            candidate.dropped = true;
        }
        if let Some(code) = qualified.get(form) {
            candidate.code = code;
        }
    }
    if !candidates.iter().any(|c| c.undecided_georgia && !c.dropped) {
        return;
    }
    let country_cue = gazetteer.georgia_country_cues.iter().any(|cue| {
        fields
            .iter()
            .any(|field| field.text.contains(cue) && !cue.is_empty())
    });
    let live = || {
        candidates
            .iter()
            .filter(|c| !c.dropped && !c.undecided_georgia)
    };
    let us_cue = live().any(|c| c.code == "US");
    let neighbour_cue = live().any(|c| GEORGIA_NEIGHBOURS.contains(&c.code));
    let code = if country_cue || (neighbour_cue && !us_cue) {
        "GE"
    } else {
        "US"
    };
    for candidate in candidates.iter_mut().filter(|c| c.undecided_georgia) {
        candidate.code = code;
    }
}

#[cfg(test)]
mod tests;
