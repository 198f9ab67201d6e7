//! Person-name candidates in one field: the tagger's PER spans, or capitalized name
//! sequences when the tagger has nothing to say.

use super::words::{NOT_NAMES, ORG_LOOKALIKES, PARTICLES, THING_ENDINGS, TITLES};
use crate::extract::tokens::{Token, fold, tokenize};
use crate::model::TextField;

/// A possible person mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Field of the mention.
    pub field: TextField,
    /// Byte offset of the name's first byte (after any title).
    pub start: usize,
    /// Byte offset one past the name (before any possessive).
    pub end: usize,
    /// The name as written.
    pub text: String,
    /// The name with inner whitespace normalized.
    pub name: String,
    /// Whether a title such as "President" or "Mr" came right before it.
    pub titled: bool,
    /// Whether the tagger labelled it a person (then a single word stands on its own).
    pub tagged: bool,
}

impl Candidate {
    /// The words of the name.
    pub fn words(&self) -> Vec<&str> {
        self.name.split_whitespace().collect()
    }
}

/// Whether a folded word is a name particle ("von", "da", "bin").
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// The lower-case, accent-folded word, apostrophes dropped ("O'Brien" -> "obrien").
fn folded<'a>(token: &Token<'a>) -> std::borrow::Cow<'a, str> {
    let text = token.text;
    if text.bytes().all(|byte| byte.is_ascii_lowercase()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(fold(text).replace('\'', ""))
}

/// A word that can be part of a name: capitalized with some lower case ("Putin",
/// "McConnell", "O'Brien"), or an initial ("J", "J.D.").
fn is_name_word(token: &Token) -> bool {
    let mut characters = token.text.chars();
    let Some(first) = characters.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let is_initial =
        token.text.len() <= 4 && token.text.chars().all(|c| c.is_uppercase() || c == '.');
    if is_initial && (token.text.len() == 1 || token.text.contains('.')) {
        return true;
    }
    token.text.chars().any(char::is_lowercase) && !token.text.chars().any(|c| c.is_ascii_digit())
}

/// Candidates in one field. With the tagger's spans, its PER spans are the candidates,
/// widened to a name sequence that contains them ("Leyen" -> "Ursula von der Leyen") and
/// joined by name sequences it missed; anything on a place is dropped. Without them, name sequences alone.
pub fn candidates_in(
    field: TextField,
    text: &str,
    tagged: Option<&[(usize, usize)]>,
    places: &[(usize, usize)],
    trust_sequences: bool,
) -> Vec<Candidate> {
    let tokens = tokenize(text);
    let sequences = name_sequences(field, text, &tokens, places, trust_sequences);
    let Some(tagged) = tagged else {
        return sequences;
    };
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut merged: Vec<Candidate> = from_spans(field, text, &tokens, tagged)
        .into_iter()
        .filter(|candidate| {
            !places
                .iter()
                .any(|place| overlaps(*place, (candidate.start, candidate.end)))
                && !is_place_name(&candidate.text)
        })
        .collect();
    for sequence in sequences.into_iter().filter(|s| s.words().len() >= 2) {
        let span = (sequence.start, sequence.end);
        // Name sequences win over the tagger's other labels: a tagger trained on 1990s
        // wire copy reads "Paris Hilton" as the hotel group (measured: vetoing such
        // sequences gains 3 points of CoNLL PER F1 but loses names like this one).
        let inside: Vec<usize> = (0..merged.len())
            .filter(|&index| overlaps((merged[index].start, merged[index].end), span))
            .collect();
        let contains_all = inside
            .iter()
            .all(|&index| merged[index].start >= span.0 && merged[index].end <= span.1);
        if !contains_all {
            continue;
        }
        for index in inside.into_iter().rev() {
            merged.remove(index);
        }
        merged.push(Candidate {
            tagged: true,
            ..sequence
        });
    }
    merged.sort_by_key(|candidate| candidate.start);
    merged
}

/// Whether the text alone is a place the gazetteer knows ("Kyiv" tagged as a person: the
/// country matcher skipped it because the tagger called it a person).
fn is_place_name(text: &str) -> bool {
    let alone = crate::model::Article {
        body: text.to_string(),
        ..crate::model::Article::default()
    };
    crate::extract::countries::find_countries(&alone, &[])
        .iter()
        .any(|place| place.start == 0 && place.end == text.len())
}

/// Capitalized name sequences (see the module documentation).
fn name_sequences(
    field: TextField,
    text: &str,
    tokens: &[Token],
    places: &[(usize, usize)],
    trust_sequences: bool,
) -> Vec<Candidate> {
    let overlaps_place = |token: &Token| {
        places
            .iter()
            .any(|(start, end)| token.start < *end && *start < token.end)
    };
    let mut candidates = Vec::new();
    let mut position = 0;
    while position < tokens.len() {
        let token = &tokens[position];
        if !is_name_word(token) || overlaps_place(token) {
            position += 1;
            continue;
        }
        // Gather a run of name words, particles between them allowed.
        let mut end = position;
        while end < tokens.len() {
            let current = &tokens[end];
            if end > position
                && (current.after_punctuation
                    || current.sentence_start
                    || tokens[end - 1].possessive)
            {
                break;
            }
            if overlaps_place(current) {
                break;
            }
            if is_name_word(current) {
                end += 1;
                continue;
            }
            // "von der Leyen": particles join when a name word follows them.
            let mut after = end;
            while after < tokens.len()
                && is_particle(&folded(&tokens[after]))
                && !tokens[after].after_punctuation
            {
                after += 1;
            }
            let joins = end > position
                && after > end
                && tokens
                    .get(after)
                    .is_some_and(|next| is_name_word(next) && !next.after_punctuation);
            if !joins {
                break;
            }
            end += 1;
        }
        split_run(
            field,
            text,
            &tokens[position..end],
            trust_sequences,
            &mut candidates,
        );
        position = end.max(position + 1);
    }
    candidates
}

/// Splits a run at titles and sentence openers and keeps the name-shaped parts.
fn split_run(
    field: TextField,
    text: &str,
    run: &[Token],
    trust_sequences: bool,
    out: &mut Vec<Candidate>,
) {
    let mut part: Vec<&Token> = Vec::new();
    let mut titled = false;
    let flush = |part: &mut Vec<&Token>, titled: bool, out: &mut Vec<Candidate>| {
        while part.last().is_some_and(|token| is_particle(&folded(token))) {
            part.pop();
        }
        if !part.is_empty() {
            push_candidate(field, text, part, titled, trust_sequences, out);
        }
        part.clear();
    };
    for token in run {
        let word = folded(token);
        if TITLES.contains(&word.as_ref()) || NOT_NAMES.contains(&word.as_ref()) {
            flush(&mut part, titled, out);
            titled = TITLES.contains(&word.as_ref());
            continue;
        }
        part.push(token);
    }
    flush(&mut part, titled, out);
}

fn push_candidate(
    field: TextField,
    text: &str,
    part: &[&Token],
    titled: bool,
    trust_sequences: bool,
    out: &mut Vec<Candidate>,
) {
    let words: Vec<String> = part
        .iter()
        .map(|token| folded(token).into_owned())
        .collect();
    let last = words.last().map(String::as_str).unwrap_or("");
    // A name never ends with an initial ("Vera C." of "Vera C. Rubin Observatory").
    let ends_with_initial = part.len() > 1
        && part[part.len() - 1]
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .count()
            == 1;
    if ends_with_initial {
        return;
    }
    if THING_ENDINGS.contains(&last) || ORG_LOOKALIKES.contains(&words.join(" ").as_str()) {
        return;
    }
    if part.len() > 5 {
        return;
    }
    if part.len() > 1 && !trust_sequences {
        // A Title Case headline: every word stands alone, to be matched with the body.
        for token in part {
            push_candidate(field, text, &[token], false, true, out);
        }
        return;
    }
    let start = part[0].start;
    let end = part[part.len() - 1].end;
    let written = &text[start..end];
    out.push(Candidate {
        field,
        start,
        end,
        text: written.to_string(),
        name: written.split_whitespace().collect::<Vec<_>>().join(" "),
        titled,
        tagged: false,
    });
}

/// Candidates from the tagger's PER spans, titles and possessives trimmed.
fn from_spans(
    field: TextField,
    text: &str,
    tokens: &[Token],
    spans: &[(usize, usize)],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (span_start, span_end) in spans {
        let inside: Vec<Token> = tokens
            .iter()
            .filter(|t| t.start >= *span_start && t.end <= *span_end)
            .copied()
            .collect();
        let before = out.len();
        split_run(field, text, &inside, true, &mut out);
        // In a headline a lone capitalized word says little: it must match the body.
        let trusted = field == TextField::Body;
        for candidate in &mut out[before..] {
            candidate.tagged = trusted || candidate.words().len() >= 2;
        }
    }
    out
}
