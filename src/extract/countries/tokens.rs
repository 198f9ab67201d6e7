//! Word tokens for gazetteer matching: byte offsets, case shape, ASCII folding.
//!
//! Words are runs of letters and digits; an apostrophe between letters stays inside
//! ("d'Ivoire", "N'Djamena") except a trailing possessive "'s", which is cut off so
//! "Georgia's" matches "Georgia". Single letters joined by dots form one word ("U.S.").

use std::borrow::Cow;

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the word (before any possessive "'s").
    pub end: usize,
    /// True when only spaces, tabs, a single line break or hyphens separate this word from
    /// the previous one, so both can belong to one name.
    pub joined: bool,
    /// True when the word ends with a possessive "'s" (not part of `end`).
    pub possessive: bool,
}

/// The letter case of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Starts with a lower-case letter or a digit.
    Lower,
    /// Starts with an upper-case letter and has lower-case letters ("Paris", "McAllen").
    Capitalized,
    /// Every letter is upper case ("PARIS", "U.S.", "UK").
    Upper,
}

/// The case shape of a word.
pub fn shape(word: &str) -> Shape {
    let mut characters = word.chars();
    let Some(first) = characters.next() else {
        return Shape::Lower;
    };
    if !first.is_uppercase() {
        return Shape::Lower;
    }
    if characters.any(char::is_lowercase) {
        Shape::Capitalized
    } else {
        Shape::Upper
    }
}

/// The word with accents removed ("Türkiye" -> "Turkiye"); ASCII input is borrowed.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let replaced = word.replace(['\u{2019}', '\u{2018}'], "'");
    Cow::Owned(deunicode::deunicode(&replaced))
}

/// Splits `text` into words.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut gap_start = 0;
    while position < bytes.len() {
        let Some(character) = crate::extract::tokens::char_at(text, position) else {
            break;
        };
        if !character.is_alphanumeric() {
            position += character.len_utf8();
            continue;
        }
        let start = position;
        let mut end = word_end(text, start);
        end = abbreviation_end(text, start, end);
        let (end, possessive, next) = strip_possessive(text, start, end);
        tokens.push(Token {
            start,
            end,
            joined: is_joining_gap(&text[gap_start..start]),
            possessive,
        });
        position = next;
        gap_start = next;
    }
    tokens
}

/// End of the run of letters, digits and inner apostrophes starting at `start`.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut characters = text[start..].char_indices().peekable();
    while let Some((offset, character)) = characters.next() {
        if character.is_alphanumeric() {
            end = start + offset + character.len_utf8();
            continue;
        }
        let is_apostrophe = character == '\'' || character == '\u{2019}';
        let letter_follows = characters
            .peek()
            .is_some_and(|(_, next)| next.is_alphabetic());
        if is_apostrophe && letter_follows {
            continue;
        }
        break;
    }
    end
}

/// Extends a single capital letter followed by ".X." into the abbreviation "U.S.".
fn abbreviation_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    if end != start + 1 || !bytes[start].is_ascii_uppercase() {
        return end;
    }
    let mut position = end;
    while position + 1 < bytes.len()
        && bytes[position] == b'.'
        && bytes[position + 1].is_ascii_uppercase()
        && bytes
            .get(position + 2)
            .is_none_or(|byte| !byte.is_ascii_alphanumeric())
    {
        position += 2;
    }
    if position == end {
        return end;
    }
    if bytes.get(position) == Some(&b'.') {
        position += 1;
    }
    position
}

/// Cuts a trailing "'s" / "’s": (word end, possessive?, where scanning resumes).
fn strip_possessive(text: &str, start: usize, end: usize) -> (usize, bool, usize) {
    let word = &text[start..end];
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return (end - suffix.len(), true, end);
        }
    }
    (end, false, end)
}

/// True when the characters between two words keep them in one name.
fn is_joining_gap(gap: &str) -> bool {
    let mut line_breaks = 0;
    for character in gap.chars() {
        match character {
            ' ' | '\t' | '-' | '\u{a0}' => {}
            '\n' => line_breaks += 1,
            _ => return false,
        }
    }
    line_breaks <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|token| &text[token.start..token.end])
            .collect()
    }

    #[test]
    fn splits_words_abbreviations_and_possessives() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Talks in the U.S. today",
                &["Talks", "in", "the", "U.S.", "today"],
            ),
            ("the U.S", &["the", "U.S"]),
            ("Georgia's governor", &["Georgia", "governor"]),
            ("Côte d’Ivoire votes", &["Côte", "d’Ivoire", "votes"]),
            (
                "Guinea-Bissau, N'Djamena.",
                &["Guinea", "Bissau", "N'Djamena"],
            ),
            ("A. Smith", &["A", "Smith"]),
            ("the 's' key", &["the", "s", "key"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&words(text), expected, "{text}");
        }
    }

    #[test]
    fn marks_joined_words() {
        let tokens = tokenize("New York, Paris\n\nRome");
        let joined: Vec<bool> = tokens.iter().map(|token| token.joined).collect();
        assert_eq!(joined, vec![true, true, false, false]);
    }

    #[test]
    fn shapes_and_folding() {
        assert_eq!(shape("China"), Shape::Capitalized);
        assert_eq!(shape("china"), Shape::Lower);
        assert_eq!(shape("CHINA"), Shape::Upper);
        assert_eq!(shape("U.S."), Shape::Upper);
        assert_eq!(fold("Türkiye"), "Turkiye");
        assert_eq!(fold("d’Ivoire"), "d'Ivoire");
    }
}
