//! Word pairs: each two adjacent body words that are both common news words ("white
//! house", "prime minister") are also indexed as one term of the `pairs` field, so that a
//! two-word phrase of such words is answered from one posting list instead of checking the
//! positions of two long ones (at 1M articles, "white house" went from 57 ms to a few).
//!
//! Only pairs of the ~1,000 words of `data/pair_words.txt` are indexed (about 9% of the
//! body's word pairs in news text): a phrase with a rarer word is already quick, since its
//! rarer word has a short posting list. Pairs are built from the body analyzer's tokens
//! and only where their positions follow each other, so a pair term matches exactly the
//! documents and occurrences the phrase matches.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name of the analyzer of the `pairs` field.
pub const PAIR_ANALYZER: &str = "newsdex_pairs";

static WORD_LIST: &str = include_str!("data/pair_words.txt");

fn words() -> &'static FxHashSet<&'static str> {
    static WORDS: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        WORD_LIST
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    })
}

/// Whether adjacent pairs of this (analyzed) word are indexed.
pub fn is_pair_word(word: &str) -> bool {
    words().contains(word)
}

/// The term text of two adjacent analyzed words (a space never occurs inside a token).
pub fn pair_text(first: &str, second: &str) -> String {
    let mut text = String::with_capacity(first.len() + 1 + second.len());
    text.push_str(first);
    text.push(' ');
    text.push_str(second);
    text
}

/// Tokenizer of the `pairs` field: the body analyzer's tokens, paired.
#[derive(Clone)]
pub struct PairTokenizer {
    words: TextAnalyzer,
}

impl PairTokenizer {
    /// Pairs the tokens of `words` (the body analyzer).
    pub fn new(words: TextAnalyzer) -> PairTokenizer {
        PairTokenizer { words }
    }
}

/// The pair tokens of one text.
pub struct PairStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream {
        let mut tokens = Vec::new();
        let mut stream = self.words.token_stream(text);
        // The previous token when it is a pair word: position, start offset, text.
        let mut previous: Option<(usize, usize)> = None;
        let mut previous_text = String::new();
        while let Some(token) = stream.next() {
            if !is_pair_word(&token.text) {
                previous = None;
                continue;
            }
            if let Some((position, from)) = previous
                && position + 1 == token.position
            {
                tokens.push(Token {
                    offset_from: from,
                    offset_to: token.offset_to,
                    position,
                    text: pair_text(&previous_text, &token.text),
                    position_length: 1,
                });
            }
            previous = Some((token.position, token.offset_from));
            previous_text.clear();
            previous_text.push_str(&token.text);
        }
        PairStream { tokens, next: 0 }
    }
}

impl TokenStream for PairStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The analyzer of the `pairs` field.
pub fn pair_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(PairTokenizer::new(super::schema::text_analyzer())).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<String> {
        let mut analyzer = pair_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut found = Vec::new();
        while let Some(token) = stream.next() {
            found.push(token.text.clone());
        }
        found
    }

    #[test]
    fn only_adjacent_listed_words_pair() {
        assert!(is_pair_word("white") && is_pair_word("house") && is_pair_word("minister"));
        assert!(!is_pair_word("the") && !is_pair_word("of") && !is_pair_word("zelenskyy"));
        assert_eq!(
            pairs("The White House said the prime minister's office, not the House, agreed."),
            [
                "white house",
                "house said",
                "prime minister",
                "house agreed"
            ]
        );
        // Punctuation does not break a phrase for the body analyzer, so not a pair either.
        assert_eq!(pairs("white. House"), ["white house"]);
        assert_eq!(pairs("house house house"), ["house house", "house house"]);
        // A token over 64 bytes is dropped but leaves a gap in positions: no pair across it.
        let long = "x".repeat(70);
        assert_eq!(pairs(&format!("white {long} house")), Vec::<String>::new());
        assert_eq!(pairs(""), Vec::<String>::new());
    }
}
