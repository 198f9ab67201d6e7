//! CoNLL-style tokenizer over raw text that keeps byte offsets.
//!
//! Matches how CoNLL-2003 tokenized Reuters text, so the model sees at run time what it saw in
//! training: punctuation is split off, abbreviations keep their period ("U.S.", "Mr."),
//! possessive "'s" and "n't" are separate tokens, hyphenated words and numbers ("1,000", "3.5")
//! stay whole. Sentences end at line breaks and at ". ! ?" followed by a capitalized word.

/// One token: byte offsets into the tokenized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// True for the first token of a sentence.
    pub sentence_start: bool,
}

/// Abbreviations that keep their final period (lower case, without the period).
const ABBREVIATIONS: &[&str] = &[
    "adm", "apr", "aug", "bros", "capt", "cmdr", "co", "col", "corp", "dec", "dept", "dr", "etc",
    "feb", "fig", "fri", "ft", "gen", "gov", "hon", "inc", "jan", "jr", "jul", "jun", "lt", "ltd",
    "maj", "mar", "messrs", "mon", "mr", "mrs", "ms", "mt", "no", "nov", "oct", "plc", "pres",
    "prof", "rep", "reps", "rev", "sat", "sen", "sens", "sep", "sept", "sgt", "sr", "st", "sun",
    "thu", "tue", "vs", "wed",
];

/// Splits `text` into tokens, marking sentence starts.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut next_starts_sentence = true;
    let bytes = text.as_bytes();
    let mut position = 0;
    while position < bytes.len() {
        let character = next_char(text, position);
        if character.is_whitespace() {
            if character == '\n' {
                next_starts_sentence = true;
            }
            position += character.len_utf8();
            continue;
        }
        let chunk_start = position;
        let mut chunk_end = position;
        while chunk_end < bytes.len() {
            let character = next_char(text, chunk_end);
            if character.is_whitespace() {
                break;
            }
            chunk_end += character.len_utf8();
        }
        let before = tokens.len();
        split_chunk(text, chunk_start, chunk_end, &mut tokens);
        if tokens.len() > before {
            if next_starts_sentence {
                tokens[before].sentence_start = true;
            }
            next_starts_sentence = false;
            let last = tokens[tokens.len() - 1];
            if ends_sentence(&text[last.start..last.end]) && next_is_capital(text, chunk_end) {
                next_starts_sentence = true;
            }
        }
        position = chunk_end;
    }
    tokens
}

/// The char at byte `position` (a char boundary).
#[inline]
fn next_char(text: &str, position: usize) -> char {
    // Most text is ASCII: one byte is the char, no decoding.
    match text.as_bytes().get(position) {
        Some(&byte) if byte.is_ascii() => char::from(byte),
        _ => text[position..].chars().next().unwrap_or(' '),
    }
}

/// True when the token closes a sentence.
fn ends_sentence(token: &str) -> bool {
    matches!(token, "." | "!" | "?" | "\"" | "'" | "”" | "’" | ")")
}

/// True when the next non-space text starts with an upper-case letter or an opening quote.
fn next_is_capital(text: &str, position: usize) -> bool {
    let rest = text[position..].trim_start();
    match rest.chars().next() {
        Some(character) => character.is_uppercase() || matches!(character, '"' | '“' | '‘'),
        None => false,
    }
}

/// Characters always split off as their own token.
fn is_split_punctuation(character: char) -> bool {
    matches!(
        character,
        '"' | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '“'
            | '”'
            | '‘'
            | '«'
            | '»'
            | ';'
            | '!'
            | '?'
            | '—'
            | '–'
            | '…'
            | '|'
            | '*'
            | '•'
    )
}

/// Splits one whitespace-free chunk into tokens.
fn split_chunk(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let mut start = start;
    let mut end = end;
    // Leading punctuation, one token each.
    while start < end {
        let character = next_char(text, start);
        if is_split_punctuation(character) || matches!(character, '\'' | '’' | '`' | ',' | ':') {
            if character == '\'' || character == '’' {
                // "'s" or "'90s" at the start of a chunk is a token of its own.
                let rest = &text[start + character.len_utf8()..end];
                if rest.eq_ignore_ascii_case("s") {
                    break;
                }
            }
            push(tokens, start, start + character.len_utf8());
            start += character.len_utf8();
            continue;
        }
        break;
    }
    // Trailing punctuation, collected in reverse.
    let mut trailing: Vec<(usize, usize)> = Vec::new();
    while start < end {
        let character = text[start..end].chars().next_back().unwrap_or(' ');
        let width = character.len_utf8();
        let is_trailing = is_split_punctuation(character)
            || matches!(character, ',' | ':' | '\'' | '’')
            || (character == '.' && !keeps_period(&text[start..end]));
        if !is_trailing {
            break;
        }
        trailing.push((end - width, end));
        end -= width;
    }
    if start < end {
        split_core(text, start, end, tokens);
    }
    for &(piece_start, piece_end) in trailing.iter().rev() {
        push(tokens, piece_start, piece_end);
    }
}

/// True when a word ending in "." is an abbreviation or initial that keeps the period.
fn keeps_period(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    if stem.is_empty() || stem.ends_with('.') {
        return false;
    }
    // "U.S.", "p.m.", "J.D.": an internal period between letters.
    if stem.contains('.')
        && stem
            .chars()
            .all(|character| character.is_alphabetic() || character == '.')
    {
        return true;
    }
    let mut characters = stem.chars();
    if let (Some(first), None) = (characters.next(), characters.next())
        && first.is_alphabetic()
    {
        return true;
    }
    let lower = stem.to_ascii_lowercase();
    ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

/// Splits the core of a chunk: inner quotes/brackets, possessives and "n't".
fn split_core(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let word = &text[start..end];
    // Split at inner hard punctuation ("word)word", "a/b" stays).
    if let Some((offset, character)) = word
        .char_indices()
        .find(|&(_, character)| is_split_punctuation(character))
    {
        if offset > 0 {
            split_core(text, start, start + offset, tokens);
        }
        push(
            tokens,
            start + offset,
            start + offset + character.len_utf8(),
        );
        let rest = start + offset + character.len_utf8();
        if rest < end {
            split_chunk(text, rest, end, tokens);
        }
        return;
    }
    // Commas inside a word split it unless between digits ("1,000").
    if let Some(offset) = inner_comma(word) {
        split_core(text, start, start + offset, tokens);
        push(tokens, start + offset, start + offset + 1);
        if start + offset + 1 < end {
            split_core(text, start + offset + 1, end, tokens);
        }
        return;
    }
    for suffix in ["'s", "’s", "n't", "n’t"] {
        if word.len() > suffix.len() && ends_with_ignore_ascii_case(word, suffix) {
            let cut = end - suffix.len();
            push(tokens, start, cut);
            push(tokens, cut, end);
            return;
        }
    }
    push(tokens, start, end);
}

/// `word.to_ascii_lowercase().ends_with(suffix)` for a lower-case `suffix`, without the
/// copy (this runs for every token).
fn ends_with_ignore_ascii_case(word: &str, suffix: &str) -> bool {
    word.len() >= suffix.len()
        && word.as_bytes()[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Byte offset of a comma not between two digits.
fn inner_comma(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    for (offset, &byte) in bytes.iter().enumerate() {
        if byte != b',' || offset == 0 || offset + 1 >= bytes.len() {
            continue;
        }
        if bytes[offset - 1].is_ascii_digit() && bytes[offset + 1].is_ascii_digit() {
            continue;
        }
        return Some(offset);
    }
    None
}

/// Appends a token (never empty).
fn push(tokens: &mut Vec<Token>, start: usize, end: usize) {
    if start < end {
        tokens.push(Token {
            start,
            end,
            sentence_start: false,
        });
    }
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
    fn splits_like_conll() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The U.S. envoy met Putin's aide.",
                &["The", "U.S.", "envoy", "met", "Putin", "'s", "aide", "."],
            ),
            (
                "Mr. Smith said (again) it wasn't over, \"ever\".",
                &[
                    "Mr.", "Smith", "said", "(", "again", ")", "it", "was", "n't", "over", ",",
                    "\"", "ever", "\"", ".",
                ],
            ),
            (
                "A well-known firm paid $1,000.50 on 1996-08-22.",
                &[
                    "A",
                    "well-known",
                    "firm",
                    "paid",
                    "$1,000.50",
                    "on",
                    "1996-08-22",
                    ".",
                ],
            ),
            ("J.D. Vance spoke", &["J.D.", "Vance", "spoke"]),
            ("Talks — again", &["Talks", "—", "again"]),
            ("Rome, Paris", &["Rome", ",", "Paris"]),
            ("the players' union", &["the", "players", "'", "union"]),
        ];
        for (text, expected) in cases {
            assert_eq!(words(text), *expected, "{text}");
        }
    }

    #[test]
    fn marks_sentence_starts() {
        let text = "He left. She stayed.\nNew line here";
        let starts: Vec<&str> = tokenize(text)
            .iter()
            .filter(|token| token.sentence_start)
            .map(|token| &text[token.start..token.end])
            .collect();
        assert_eq!(starts, ["He", "She", "New"]);
    }

    #[test]
    fn abbreviations_are_sorted() {
        let mut sorted = ABBREVIATIONS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, ABBREVIATIONS);
    }
}
