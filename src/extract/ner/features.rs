//! Hashed features of one token in context, shared by training and tagging.
//!
//! Every feature is a (template, value) pair hashed into a fixed number of weight rows, so the
//! model needs no feature dictionary. Word-level hashes are computed once per token
//! ([`Context::new`]); the per-position features then only mix integers.

use super::tokenizer::Token;
use std::cell::Cell;

/// Number of labels: O, then B/I for PER, ORG, LOC, MISC.
pub const LABELS: usize = 9;

/// Marker for "outside the sentence" in context features.
const PAD: u64 = 0x9e37_79b9_7f4a_7c15;

/// Per-token values computed once per text.
#[derive(Debug, Clone, Default)]
struct TokenInfo {
    lower: u64,
    shape: u64,
    /// Byte range of the lower-cased word in [`Context::lowered`].
    lowered: (u32, u32),
    capitalized: bool,
    /// Some character is upper case ("Putin", "eBay", "U.S.").
    has_upper: bool,
    /// Some character is a letter.
    alphabetic: bool,
    /// Some character is lower case.
    has_lower: bool,
    /// The first character is lower case.
    starts_lower: bool,
    sentence_start: bool,
    /// Index of the first token of this token's sentence.
    sentence_begin: usize,
    /// Index one past the last token of this token's sentence.
    sentence_end: usize,
    caps_line: bool,
    /// Packed given-name / surname class from the names gazetteer, looked up on first use
    /// ([`UNKNOWN_CLASS`] until then): most tokens are never scored nor next to one that is.
    name_class: Cell<u8>,
    /// The same word occurs in lower case elsewhere in the text (a common word).
    seen_lower: bool,
}

/// [`TokenInfo::name_class`] not looked up yet (real classes are at most 0x33).
const UNKNOWN_CLASS: u8 = 0xff;

/// A tokenized text ready for feature extraction.
#[derive(Debug, Clone, Default)]
pub struct Context {
    infos: Vec<TokenInfo>,
    /// The lower-cased words, one after the other: affixes and name classes are read from
    /// here only for the tokens that are scored.
    lowered: String,
}

impl Context {
    /// Precomputes the word-level hashes of `tokens` over `text`.
    pub fn new(text: &str, tokens: &[Token]) -> Context {
        let mut infos = Vec::with_capacity(tokens.len());
        let mut lowered = String::with_capacity(text.len());
        for token in tokens {
            let word = &text[token.start..token.end];
            let start = lowered.len();
            if word.is_ascii() {
                lowered.push_str(word);
                lowered[start..].make_ascii_lowercase();
            } else {
                lowered.extend(word.chars().flat_map(char::to_lowercase));
            }
            let facts = WordFacts::of(word);
            infos.push(TokenInfo {
                lower: hash_str(&lowered[start..]),
                lowered: (start as u32, lowered.len() as u32),
                shape: facts.shape,
                capitalized: facts.starts_upper,
                has_upper: facts.has_upper,
                alphabetic: facts.alphabetic,
                has_lower: facts.has_lower,
                starts_lower: facts.starts_lower,
                sentence_start: token.sentence_start,
                name_class: Cell::new(UNKNOWN_CLASS),
                ..TokenInfo::default()
            });
        }
        mark_sentences(&mut infos);
        mark_lower_case_words(&mut infos);
        Context { infos, lowered }
    }

    /// The lower-cased word at `position`.
    fn lowered(&self, position: usize) -> &str {
        let (start, end) = self.infos[position].lowered;
        &self.lowered[start as usize..end as usize]
    }

    /// The name class of the word at `position` (see [`crate::extract::names::class`]).
    fn name_class(&self, position: usize) -> u8 {
        let cached = self.infos[position].name_class.get();
        if cached != UNKNOWN_CLASS {
            return cached;
        }
        let class = crate::extract::names::class(self.lowered(position));
        self.infos[position].name_class.set(class);
        class
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    /// Hash of the lower-cased word at `position`: the key of the document memory.
    pub fn word_key(&self, position: usize) -> u64 {
        self.infos[position].lower
    }

    /// True when the token at `position` starts with a capital letter.
    pub fn is_capitalized(&self, position: usize) -> bool {
        self.infos[position].capitalized
    }

    /// True when some character of the token at `position` is upper case. Outside an
    /// entity, a token without one almost never starts one (16 of 34,375 such tokens of
    /// CoNLL-2003 dev, mostly years inside MISC events), so the tagger labels it O unscored.
    pub fn has_upper(&self, position: usize) -> bool {
        self.infos[position].has_upper
    }

    /// Key of the token's word-intrinsic features (see [`Context::intrinsic_features`]):
    /// equal keys give equal intrinsic features, so their scores can be cached per word.
    pub fn intrinsic_key(&self, position: usize) -> u64 {
        let info = &self.infos[position];
        mix(info.lower, info.shape)
    }

    /// Writes the weight-row indices of all features at `position` into `out`: the
    /// word-intrinsic ones, then those of the context.
    ///
    /// `previous` holds the labels already chosen for this text; `memory` is the entity type
    /// (1..=4) this word got earlier in the document, 0 when none.
    pub fn features(
        &self,
        position: usize,
        previous: &[u8],
        memory: u8,
        bits: u32,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        self.intrinsic_features(position, bits, out);
        self.contextual_features(position, previous, memory, bits, out);
    }

    /// Appends the features that depend on the word alone (bias, word, shape, affixes,
    /// name class with shape).
    pub fn intrinsic_features(&self, position: usize, bits: u32, out: &mut Vec<u32>) {
        let info = &self.infos[position];
        let lowered = self.lowered(position);
        let class = self.name_class(position);
        let mut push = |template: u64, value: u64| out.push(bucket(template, value, bits));
        push(1, 0);
        push(2, info.lower);
        push(3, info.shape);
        for index in 0..3 {
            push(4 + index as u64, hash_str(char_prefix(lowered, index + 1)));
        }
        for index in 0..4 {
            push(8 + index as u64, hash_str(char_suffix(lowered, index + 1)));
        }
        push(34, mix(u64::from(class), info.shape));
    }

    /// Appends the features of the token's neighbourhood, labels and document memory.
    pub fn contextual_features(
        &self,
        position: usize,
        previous: &[u8],
        memory: u8,
        bits: u32,
        out: &mut Vec<u32>,
    ) {
        let info = &self.infos[position];
        // The token `offset` away, when it is in the same sentence.
        let neighbour = |offset: isize| -> Option<usize> {
            position
                .checked_add_signed(offset)
                .filter(|index| (info.sentence_begin..info.sentence_end).contains(index))
        };
        let class_at = |offset: isize| -> u64 {
            neighbour(offset).map_or(0xff, |index| u64::from(self.name_class(index)))
        };
        let word_at = |offset: isize| -> (u64, u64) {
            neighbour(offset).map_or((PAD, PAD), |index| {
                (self.infos[index].lower, self.infos[index].shape)
            })
        };
        let label_at = |offset: usize| -> u64 {
            if position < offset || position - offset < info.sentence_begin {
                return 99;
            }
            u64::from(previous[position - offset])
        };
        let (previous_word, previous_shape) = word_at(-1);
        let (next_word, next_shape) = word_at(1);
        let (previous_word2, _) = word_at(-2);
        let (next_word2, _) = word_at(2);
        let previous_label = label_at(1);
        let previous_label2 = label_at(2);
        let caps = u64::from(info.caps_line);
        let start = u64::from(info.sentence_start);
        let mut push = |template: u64, value: u64| out.push(bucket(template, value, bits));
        push(12, previous_word);
        push(13, next_word);
        push(14, previous_word2);
        push(15, next_word2);
        push(16, previous_shape);
        push(17, next_shape);
        push(18, mix(previous_shape, info.shape));
        push(19, mix(info.shape, next_shape));
        push(20, previous_label);
        push(21, mix(previous_label, previous_label2));
        push(22, mix(previous_label, info.lower));
        push(23, mix(previous_label, info.shape));
        push(24, mix(start, info.shape));
        push(25, caps);
        push(26, mix(caps, info.lower));
        push(27, mix(caps, previous_word));
        push(28, mix(caps, next_word));
        push(29, u64::from(memory));
        push(30, mix(u64::from(memory), info.shape));
        push(31, mix(previous_word, info.lower));
        push(32, mix(info.lower, next_word));
        push(33, mix(mix(start, caps), info.lower));
        let class = u64::from(self.name_class(position));
        let previous_class = class_at(-1);
        let next_class = class_at(1);
        let seen_lower = u64::from(info.seen_lower);
        push(35, mix(previous_class, class));
        push(36, mix(class, next_class));
        push(37, mix(mix(previous_class, class), next_class));
        push(38, mix(mix(seen_lower, start), info.shape));
        push(39, mix(mix(class, previous_label), info.shape));
        push(40, mix(next_class, next_shape));
    }
}

/// Fills sentence bounds and the all-caps-line flag.
fn mark_sentences(infos: &mut [TokenInfo]) {
    let mut begin = 0;
    while begin < infos.len() {
        let mut end = begin + 1;
        while end < infos.len() && !infos[end].sentence_start {
            end += 1;
        }
        let mut alphabetic = 0;
        let mut upper = 0;
        for info in &infos[begin..end] {
            if !info.alphabetic {
                continue;
            }
            alphabetic += 1;
            if !info.has_lower {
                upper += 1;
            }
        }
        let caps_line = alphabetic >= 2 && upper * 10 >= alphabetic * 8;
        for info in &mut infos[begin..end] {
            info.sentence_begin = begin;
            info.sentence_end = end;
            info.caps_line = caps_line;
        }
        begin = end;
    }
}

/// Flags words that also occur entirely in lower case in the text ("Speaking" opening a
/// sentence when "speaking" appears elsewhere).
fn mark_lower_case_words(infos: &mut [TokenInfo]) {
    // Capitalized words are the fewer: the set holds them, and lower-case occurrences
    // mark theirs.
    let mut capitalized: rustc_hash::FxHashMap<u64, bool> = infos
        .iter()
        .filter(|info| info.capitalized)
        .map(|info| (info.lower, false))
        .collect();
    if capitalized.is_empty() {
        return;
    }
    for info in infos.iter().filter(|info| info.starts_lower) {
        if let Some(seen) = capitalized.get_mut(&info.lower) {
            *seen = true;
        }
    }
    for info in infos.iter_mut().filter(|info| info.capitalized) {
        info.seen_lower = capitalized[&info.lower];
    }
}

/// The first `count` characters of `word`.
fn char_prefix(word: &str, count: usize) -> &str {
    match word.char_indices().nth(count) {
        Some((offset, _)) => &word[..offset],
        None => word,
    }
}

/// The last `count` characters of `word`.
fn char_suffix(word: &str, count: usize) -> &str {
    match word.char_indices().rev().nth(count - 1) {
        Some((offset, _)) => &word[offset..],
        None => word,
    }
}

/// What one pass over a word's characters tells the features.
#[derive(Debug, Clone, Copy, Default)]
struct WordFacts {
    /// Hash of the collapsed word shape: "Putin" -> "Xx", "U.S." -> "X.X.", "1996-08-22" ->
    /// "d-d-d", with the length up to 4.
    shape: u64,
    starts_upper: bool,
    starts_lower: bool,
    has_upper: bool,
    has_lower: bool,
    alphabetic: bool,
}

impl WordFacts {
    fn of(word: &str) -> WordFacts {
        let mut facts = WordFacts::default();
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        let mut last = '\0';
        let mut length = 0u64;
        for character in word.chars() {
            let class = if character.is_uppercase() {
                facts.has_upper = true;
                'X'
            } else if character.is_lowercase() {
                facts.has_lower = true;
                'x'
            } else {
                facts.alphabetic |= character.is_alphabetic();
                if character.is_ascii_digit() {
                    'd'
                } else {
                    character
                }
            };
            if length == 0 {
                facts.starts_upper = class == 'X';
                facts.starts_lower = class == 'x';
            }
            length += 1;
            if class == last {
                continue;
            }
            last = class;
            hash = mix(hash, class as u64);
        }
        facts.alphabetic |= facts.has_upper || facts.has_lower;
        // Very short words ("A", "I", "US") behave differently from long ones.
        facts.shape = mix(hash, length.min(4));
        facts
    }
}

/// Hash of the collapsed word shape (see [`WordFacts::shape`]).
#[cfg(test)]
fn shape_hash(word: &str) -> u64 {
    WordFacts::of(word).shape
}

/// Hash of a string (FxHash-style, 8 bytes at a time).
pub fn hash_str(text: &str) -> u64 {
    let mut hash = 0x243f_6a88_85a3_08d3_u64;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, u64::from_le_bytes(word));
    }
    // The remainder as a little-endian u64 (no memcpy call for a few bytes).
    let mut tail = 0u64;
    for (index, &byte) in chunks.remainder().iter().enumerate() {
        tail |= u64::from(byte) << (8 * index);
    }
    mix(mix(hash, tail), text.len() as u64)
}

/// Mixes two 64-bit values.
pub fn mix(left: u64, right: u64) -> u64 {
    (left.rotate_left(5) ^ right).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The weight row of a (template, value) feature in a table of `2^bits` rows.
fn bucket(template: u64, value: u64, bits: u32) -> u32 {
    let hash = mix(mix(template, value), 0x2545_f491_4f6c_dd1d);
    let hash = hash ^ (hash >> 29);
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_group_similar_words() {
        assert_eq!(shape_hash("Putin"), shape_hash("Trump"));
        assert_ne!(shape_hash("Putin"), shape_hash("PUTIN"));
        assert_eq!(shape_hash("U.S."), shape_hash("U.K."));
    }

    #[test]
    fn affixes_respect_characters() {
        assert_eq!(char_prefix("erdoğan", 4), "erdo");
        assert_eq!(char_suffix("erdoğan", 4), "oğan");
        assert_eq!(char_suffix("ab", 4), "ab");
    }
}
