//! Word tokens with byte offsets, shared by the extractors.
//!
//! A token is a run of letters/digits with inner apostrophes, hyphens and dots
//! ("O'Brien", "Bosnia-Herzegovina", "U.S."); a possessive "'s" is left out of the token
//! and recorded on it. Each token knows whether it starts a sentence.

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte (before any possessive "'s").
    pub end: usize,
    /// The word as written.
    pub text: &'a str,
    /// Whether the token is the first of a sentence or paragraph.
    pub sentence_start: bool,
    /// Whether a possessive "'s" (or a bare "'" after s) follows the token.
    pub possessive: bool,
    /// Whether punctuation (comma, colon, dash, bracket) separates it from the previous token.
    pub after_punctuation: bool,
}

impl Token<'_> {
    /// Whether the first character is upper case.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether every letter is upper case (and there are at least two).
    pub fn is_all_caps(&self) -> bool {
        let mut letters = 0;
        for character in self.text.chars() {
            if character.is_alphabetic() {
                if !character.is_uppercase() {
                    return false;
                }
                letters += 1;
            }
        }
        letters >= 2
    }
}

/// The char starting at byte `position` (a char boundary), without decoding ASCII.
#[inline]
pub fn char_at(text: &str, position: usize) -> Option<char> {
    match text.as_bytes().get(position) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[position..].chars().next(),
        None => None,
    }
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut position = 0;
    let mut sentence_start = true;
    let mut after_punctuation = false;
    while position < text.len() {
        let Some(character) = char_at(text, position) else {
            break;
        };
        if !character.is_alphanumeric() {
            match character {
                '.' | '!' | '?' => sentence_start = true,
                '\n' if text[position + 1..].starts_with('\n') => {
                    sentence_start = true;
                }
                ',' | ':' | ';' | '(' | ')' | '"' | '-' | '—' | '–' | '[' | ']' | '/' => {
                    after_punctuation = true
                }
                _ => {}
            }
            position += character.len_utf8();
            continue;
        }
        let start = position;
        let mut end = position;
        let mut has_inner_dot = false;
        while end < text.len() {
            let Some(current) = char_at(text, end) else {
                break;
            };
            if current.is_alphanumeric() {
                end += current.len_utf8();
                continue;
            }
            let next = char_at(text, end + current.len_utf8());
            let joins = matches!(current, '\'' | '-' | '.' | '\u{2019}')
                && next.is_some_and(char::is_alphanumeric);
            if !joins {
                break;
            }
            if current == '.' {
                has_inner_dot = true;
            }
            end += current.len_utf8();
        }
        // "U.S." keeps its final dot, and so does an initial ("A. Smith"), which then
        // does not end a sentence.
        let initial = end == start + 1 && bytes[start].is_ascii_uppercase();
        if (has_inner_dot || initial) && end < bytes.len() && bytes[end] == b'.' {
            end += 1;
        }
        let mut word_end = end;
        let mut possessive = false;
        for suffix in ["'s", "'S", "\u{2019}s"] {
            if text[start..end].ends_with(suffix) && end - start > suffix.len() {
                word_end = end - suffix.len();
                possessive = true;
                break;
            }
        }
        if !possessive
            && (text[end..].starts_with('\'') || text[end..].starts_with('\u{2019}'))
            && text[start..end].ends_with('s')
        {
            let after = text[end..].chars().nth(1);
            if after.is_none_or(|c| !c.is_alphanumeric()) {
                possessive = true;
            }
        }
        tokens.push(Token {
            start,
            end: word_end,
            text: &text[start..word_end],
            sentence_start,
            possessive,
            after_punctuation,
        });
        sentence_start = false;
        after_punctuation = false;
        position = end.max(start + 1);
    }
    tokens
}

/// Lower-case ASCII-folded form of a word for lookups ("Türkiye" -> "turkiye");
/// dots are dropped so "U.S." and "US" meet.
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_into(word, &['.'], &mut folded);
    folded
}

/// Appends `word` folded like [`fold`] to `out`, leaving out the characters in `drop`.
pub fn fold_into(word: &str, drop: &[char], out: &mut String) {
    if word.is_ascii() {
        out.reserve(word.len());
        for &byte in word.as_bytes() {
            if !drop.contains(&char::from(byte)) {
                out.push(char::from(byte.to_ascii_lowercase()));
            }
        }
        return;
    }
    for character in deunicode::deunicode(word).chars() {
        if !drop.contains(&character) {
            out.push(character.to_ascii_lowercase());
        }
    }
}

/// [`fold`] without apostrophes, the form names are compared in ("O'Brien" -> "obrien").
pub fn fold_name_part(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_into(word, &['.', '\''], &mut folded);
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|token| token.text).collect()
    }

    #[test]
    fn words_keep_inner_punctuation() {
        assert_eq!(
            words("The U.S. and O'Brien's team met in Bosnia-Herzegovina."),
            [
                "The",
                "U.S.",
                "and",
                "O'Brien",
                "team",
                "met",
                "in",
                "Bosnia-Herzegovina"
            ]
        );
        assert_eq!(
            words("Putin's aide, Yuri Ushakov, said"),
            ["Putin", "aide", "Yuri", "Ushakov", "said"]
        );
        assert_eq!(words("Erdoğan spoke. Then"), ["Erdoğan", "spoke", "Then"]);
    }

    #[test]
    fn flags() {
        let tokens = tokenize("Putin's plan. Ukraine, however.");
        assert!(tokens[0].possessive && tokens[0].sentence_start);
        assert!(!tokens[1].sentence_start);
        assert!(tokens[2].sentence_start);
        assert!(tokens[3].after_punctuation);
        assert_eq!((tokens[0].start, tokens[0].end), (0, 5));
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("U.S."), "us");
        assert_eq!(fold("Élysée"), "elysee");
    }
}
