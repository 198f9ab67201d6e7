//! Person-name candidates in one field: the tagger's PER spans, or capitalized name
//! sequences when the tagger has nothing to say.

use super::words::{ORG_LOOKALIKES, PARTICLES, is_not_name, is_thing_ending, is_title};
use crate::extract::names;
use crate::extract::tokens::{Token, fold, fold_into, fold_name_part};
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

    /// The number of words of the name (without collecting them).
    pub fn word_count(&self) -> usize {
        self.name.split_whitespace().count()
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
    std::borrow::Cow::Owned(fold_name_part(text))
}

/// [`folded`] into a reused buffer.
fn folded_into<'a>(token: &Token<'a>, buffer: &'a mut String) -> &'a str {
    let text = token.text;
    if text.bytes().all(|byte| byte.is_ascii_lowercase()) {
        return text;
    }
    buffer.clear();
    fold_into(text, &['.', '\''], buffer);
    buffer
}

/// A word that can be part of a name: capitalized with some lower case ("Putin",
/// "McConnell", "O'Brien"), or an initial ("J", "J.D.").
fn is_name_word(token: &Token) -> bool {
    let mut characters = token.text.chars();
    let Some(first) = characters.next() else {
        return false;
    };
    if !first.is_uppercase() {
        // "al-Assad", "el-Sisi", "bin-Laden": a particle glued to a capitalized name.
        return token.text.split_once('-').is_some_and(|(particle, rest)| {
            is_particle(particle) && rest.chars().next().is_some_and(char::is_uppercase)
        });
    }
    let is_initial =
        token.text.len() <= 4 && token.text.chars().all(|c| c.is_uppercase() || c == '.');
    if is_initial && (token.text.len() == 1 || token.text.contains('.')) {
        return true;
    }
    token.text.chars().any(char::is_lowercase) && !token.text.chars().any(|c| c.is_ascii_digit())
}

/// The tagger's evidence for one field: its PER spans and its spans of other types.
#[derive(Debug, Clone, Copy)]
pub struct Tagged<'a> {
    /// Person spans (byte offsets).
    pub people: &'a [(usize, usize)],
    /// Organization, location and miscellaneous spans.
    pub others: &'a [(usize, usize)],
    /// Folded last words of the tagger's person spans anywhere in the article.
    pub surnames: &'a rustc_hash::FxHashSet<String>,
}

/// Candidates in one field. With the tagger's spans, its PER spans are the candidates,
/// widened to a name sequence that contains them ("Leyen" -> "Ursula von der Leyen") and
/// joined by name sequences it missed that open with a known given name; anything on a
/// place is dropped. Without them, name sequences alone.
pub fn candidates_in(
    field: TextField,
    text: &str,
    tokens: &[Token],
    tagged: Option<Tagged>,
    places: &[(usize, usize)],
    trust_sequences: bool,
) -> Vec<Candidate> {
    // Beside the tagger's spans only sequences of two words or more are used.
    let min_words = if tagged.is_some() { 2 } else { 1 };
    let sequences = name_sequences(field, text, tokens, places, trust_sequences, min_words);
    let Some(tagged) = tagged else {
        return sequences;
    };
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut merged: Vec<Candidate> = from_spans(field, text, tokens, tagged.people)
        .into_iter()
        .filter(|candidate| {
            !places
                .iter()
                .any(|place| overlaps(*place, (candidate.start, candidate.end)))
                && !is_place_name(&candidate.text)
        })
        .collect();
    for sequence in sequences.into_iter().filter(|s| s.word_count() >= 2) {
        let span = (sequence.start, sequence.end);
        let inside: Vec<usize> = (0..merged.len())
            .filter(|&index| overlaps((merged[index].start, merged[index].end), span))
            .collect();
        let contains_all = inside
            .iter()
            .all(|&index| merged[index].start >= span.0 && merged[index].end <= span.1);
        if !contains_all {
            continue;
        }
        if !inside.is_empty() && !widens_well(&sequence, inside.iter().map(|&i| &merged[i])) {
            continue;
        }
        if inside.is_empty() {
            // A sequence the tagger did not call a person joins only when it opens with a
            // known given name. Where the tagger saw another entity it must also end with
            // a known surname: "Paris Hilton" (read as the hotel group by a tagger trained
            // on 1990s wire copy) is a person, "Johnson Controls" and "Dynamo Moscow" are
            // not. Measured on CoNLL-2003 dev: letting every sequence override the tagger
            // cost 4 points of PER precision.
            let words = sequence.words();
            let given = words
                .first()
                .is_some_and(|word| names::is_given_name(&fold(word)));
            let surname = words
                .last()
                .is_some_and(|word| names::is_surname(&fold(word)));
            let on_other_entity = tagged.others.iter().any(|other| overlaps(*other, span));
            // The article's own evidence: the tagger called "Suu Kyi" a person elsewhere,
            // so "Aung San Suu Kyi" is one too, whatever it made of this occurrence.
            let known = words.len() <= 4
                && words
                    .last()
                    .is_some_and(|word| tagged.surnames.contains(&fold_name_part(word)));
            // After a title ("Health Secretary Wes Streeting") two or three name words are
            // a person whatever the tagger made of them.
            let by_names =
                words.len() <= 3 && (sequence.titled || given && (!on_other_entity || surname));
            if !known && !by_names {
                continue;
            }
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

/// Whether a name sequence may replace the tagger's person spans it contains: words it
/// adds on the left must open with a known given name or an initial ("Ursula" of "Ursula
/// von der Leyen", not "Neither" of "Neither Lebed"), words it adds on the right must
/// open with a particle ("Lula" -> "Lula da Silva", not "Lebed" -> "Lebed Chechnya").
fn widens_well<'a>(sequence: &Candidate, inside: impl Iterator<Item = &'a Candidate>) -> bool {
    let (mut first, mut last) = (usize::MAX, 0);
    for candidate in inside {
        first = first.min(candidate.start);
        last = last.max(candidate.end);
    }
    let text_start = sequence.start;
    let left = &sequence.text[..first.saturating_sub(text_start).min(sequence.text.len())];
    let right = &sequence.text[last.saturating_sub(text_start).min(sequence.text.len())..];
    let left_ok = left.split_whitespace().next().is_none_or(|word| {
        let folded = fold(word);
        names::is_given_name(&folded) || word.trim_end_matches('.').chars().count() == 1
    });
    let tagged_given = sequence.text[first.saturating_sub(text_start).min(sequence.text.len())..]
        .split_whitespace()
        .next()
        .is_some_and(|word| names::is_given_name(&fold(word)));
    let right_ok = right.split_whitespace().next().is_none_or(|word| {
        let folded = fold(word);
        tagged_given || word.contains('-') || is_particle(&folded) || names::is_surname(&folded)
    });
    left_ok && right_ok
}

/// Whether the text alone is a place the gazetteer knows ("Kyiv" tagged as a person: the
/// country matcher skipped it because the tagger called it a person). A place that is
/// also a common personal name ("Jordan said", "Washington", "Holland") stays the person
/// the tagger saw.
fn is_place_name(text: &str) -> bool {
    let folded = fold(text);
    if names::is_given_name(&folded) || names::is_surname(&folded) {
        return false;
    }
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
    min_words: usize,
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
            (trust_sequences, min_words),
            false,
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
    (trust_sequences, min_words): (bool, usize),
    tagged: bool,
    out: &mut Vec<Candidate>,
) {
    let mut part: Vec<&Token> = Vec::new();
    let mut titled = false;
    let flush = |part: &mut Vec<&Token>, titled: bool, out: &mut Vec<Candidate>| {
        while part.last().is_some_and(|token| is_particle(&folded(token))) {
            part.pop();
        }
        if !part.is_empty() {
            push_candidate(field, text, part, titled, (trust_sequences, min_words), out);
        }
        part.clear();
    };
    let mut buffer = String::new();
    for (index, token) in run.iter().enumerate() {
        let word = folded_into(token, &mut buffer);
        // "A. Smith": an initial is never the article "a".
        let initial = token.text.len() == 2 && token.text.ends_with('.');
        let is_title = !initial && is_title(word);
        let not_name = !initial && is_not_name(word);
        let last = index + 1 == run.len();
        // Inside a span the tagger called a person, only leading words split it off
        // ("Aung San Suu Kyi" keeps "San"), and a title word that ends it is the surname
        // ("Billie Jean King", "said King").
        let keep = tagged
            && ((not_name && !is_title && !part.is_empty())
                || (is_title && last && (!part.is_empty() || run.len() == 1)));
        if (is_title || not_name) && !keep {
            flush(&mut part, titled, out);
            titled = is_title;
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
    (trust_sequences, min_words): (bool, usize),
    out: &mut Vec<Candidate>,
) {
    // Counted as `Candidate::word_count` will count them, before anything is allocated.
    let written_words = || {
        text[part[0].start..part[part.len() - 1].end]
            .split_whitespace()
            .count()
    };
    if part.is_empty() || (min_words > 1 && (part.len() == 1 || written_words() < min_words)) {
        return;
    }
    let last = part.last().map(|token| folded(token)).unwrap_or_default();
    // A name never ends with an initial ("Vera C." of "Vera C. Rubin Observatory").
    let ends_with_initial = part.len() > 1
        && !is_regnal_number(part[part.len() - 1].text)
        && part[part.len() - 1]
            .text
            .chars()
            .filter(|c| c.is_alphabetic())
            .count()
            == 1;
    if ends_with_initial {
        return;
    }
    // The look-alikes are all two words or more.
    let looks_like_org = || {
        let words: Vec<_> = part.iter().map(|token| folded(token)).collect();
        ORG_LOOKALIKES.contains(&words.join(" ").as_str())
    };
    if is_thing_ending(&last) || (part.len() > 1 && looks_like_org()) {
        return;
    }
    if part.len() > 5 {
        return;
    }
    if part.len() > 1 && !trust_sequences {
        // A Title Case headline: every word stands alone, to be matched with the body.
        for token in part {
            push_candidate(field, text, &[token], false, (true, min_words), out);
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
        // Tokens are in text order: the span's tokens are one slice of them.
        let first = tokens.partition_point(|t| t.start < *span_start);
        let last = first + tokens[first..].partition_point(|t| t.end <= *span_end);
        let mut inside: Vec<Token> = tokens[first..last].to_vec();
        // A regnal number joins the name: "Elizabeth I", "Henry VIII".
        if last > first
            && let Some(next) = tokens.get(last)
            && !next.after_punctuation
            && !next.sentence_start
            && is_regnal_number(next.text)
        {
            inside.push(*next);
        }
        let before = out.len();
        split_run(field, text, &inside, (true, 1), true, &mut out);
        // In a headline a lone capitalized word says little: it must match the body.
        let trusted = field == TextField::Body;
        for candidate in &mut out[before..] {
            candidate.tagged = trusted || candidate.word_count() >= 2;
        }
    }
    out
}

/// "I", "II", ... "XIV": a regnal number after a monarch's name.
fn is_regnal_number(word: &str) -> bool {
    (1..=5).contains(&word.len()) && word.bytes().all(|byte| matches!(byte, b'I' | b'V' | b'X'))
}
