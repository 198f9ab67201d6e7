//! Named-entity tagger: an averaged perceptron over hashed features, trained on CoNLL-2003.
//!
//! Text is tokenized the CoNLL way (`tokenizer`), each token gets hashed features
//! (`features`), and a greedy left-to-right decoder (`decode`) picks BIO labels using the
//! previous labels and a per-document memory of words already tagged. The weights
//! (`model`, `src/extract/data/ner.model`) are embedded in the binary and loaded once.
//!
//! Retrain (deterministic; writes `src/extract/data/ner.model`):
//! `cargo run --release --example train_ner -- ../shared/corpora/conll2003/train.txt`.
//! Evaluate: `cargo run --release --example eval -- conll`. See `src/extract/data/NER.md`.

pub mod conll;
pub mod decode;
pub mod features;
pub mod model;
pub mod tokenizer;
pub mod train;

use super::NerSpan;
use crate::model::TextField;
use features::{Context, LABELS};
use model::Weights;
use std::sync::OnceLock;

/// log2 of the number of weight rows of the shipped model.
pub const BITS: u32 = 20;

/// The embedded trained model.
static MODEL: &[u8] = include_bytes!("data/ner.model");

/// The NER tagger: loaded once, shared by all threads.
#[derive(Debug, Clone)]
pub struct Tagger {
    weights: Weights,
    /// False for an all-zero model: tagging is skipped.
    trained: bool,
    /// Identifies these weights in the per-thread cache of word scores.
    id: u64,
}

/// Slots of the per-thread cache of word scores (a power of two): 8,192 slots of 48 bytes
/// stay in a core's L2 cache beside the model, where a growing hash map of every word seen
/// (up to 11 MB) did not.
const WORD_CACHE_SLOTS: usize = 1 << 13;

/// One slot: (tagger id, word-intrinsic feature key, summed label scores).
type WordSlot = (u64, u64, [i32; LABELS]);

thread_local! {
    /// Per thread, direct-mapped by word key: the summed scores of a word's dozen
    /// word-level feature rows, read once per frequent word instead of once per occurrence.
    static WORD_SCORES: std::cell::RefCell<Vec<WordSlot>> =
        std::cell::RefCell::new(vec![(0, 0, [0; LABELS]); WORD_CACHE_SLOTS]);
}

/// The process-wide tagger.
pub fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| Tagger::from_bytes(MODEL))
}

impl Tagger {
    /// A tagger from model bytes; a missing or malformed model tags nothing.
    pub fn from_bytes(bytes: &[u8]) -> Tagger {
        let weights = Weights::from_bytes(bytes).unwrap_or_else(|| Weights::empty(8));
        Tagger::from_weights(weights)
    }

    /// A tagger over already loaded weights (training and evaluation).
    pub fn from_weights(weights: Weights) -> Tagger {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let trained = !weights.is_zero();
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Tagger {
            weights,
            trained,
            id,
        }
    }

    /// Whether a trained model is loaded (an untrained tagger labels nothing, and the
    /// extractors fall back to their own rules).
    pub fn is_trained(&self) -> bool {
        self.trained
    }

    /// Labels the entity spans of one field's text (byte offsets into `text`).
    pub fn tag(&self, field: TextField, text: &str) -> Vec<NerSpan> {
        if !self.trained {
            return Vec::new();
        }
        let tokens = tokenizer::tokenize(text);
        let context = Context::new(text, &tokens);
        let bits = self.weights.bits;
        let mut features = Vec::with_capacity(48);
        let labels = WORD_SCORES.with_borrow_mut(|cache| {
            decode::decode_with(&context, |position, labels, remembered, allowed| {
                let outside = labels.last().is_none_or(|&label| label == 0);
                if outside && !context.has_upper(position) {
                    return 0;
                }
                let key = context.intrinsic_key(position);
                // Tagger ids start at 1, so an empty slot (id 0) never matches.
                let slot = &mut cache[(key >> (64 - WORD_CACHE_SLOTS.trailing_zeros())) as usize];
                if slot.0 != self.id || slot.1 != key {
                    features.clear();
                    context.intrinsic_features(position, bits, &mut features);
                    let mut scores = [0i32; LABELS];
                    self.weights.score(&features, &mut scores);
                    *slot = (self.id, key, scores);
                }
                let mut scores = slot.2;
                features.clear();
                context.contextual_features(position, labels, remembered, bits, &mut features);
                self.weights.add_scores(&features, &mut scores);
                let mut best_label = 0u8;
                let mut best_score = i32::MIN;
                for (label, &score) in scores.iter().enumerate() {
                    if allowed[label] && score > best_score {
                        best_score = score;
                        best_label = label as u8;
                    }
                }
                best_label
            })
        });
        let mut found = Vec::new();
        for (first, last, kind) in decode::spans(&labels) {
            for (start, end) in clean_pieces(text, &tokens[first..last]) {
                found.push(NerSpan {
                    field,
                    start,
                    end,
                    label: decode::TYPES[kind],
                });
            }
        }
        found
    }
}

/// The byte ranges a tagged token run really covers: cut at line breaks (a name never
/// runs from a heading into the next paragraph: "All England Club*\n\nJannik Sinner"),
/// each piece trimmed of tokens without a letter or digit ("*", a lone "&").
fn clean_pieces(text: &str, tokens: &[tokenizer::Token]) -> Vec<(usize, usize)> {
    let wordy = |token: &tokenizer::Token| {
        text.get(token.start..token.end)
            .is_some_and(|word| word.chars().any(char::is_alphanumeric))
    };
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    for index in 0..=tokens.len() {
        let breaks = index == tokens.len()
            || (index > 0
                && text
                    .get(tokens[index - 1].end..tokens[index].start)
                    .is_some_and(|gap| gap.contains('\n')));
        if !breaks {
            continue;
        }
        let piece = &tokens[piece_start..index];
        let first = piece.iter().position(wordy);
        let last = piece.iter().rposition(wordy);
        if let (Some(first), Some(last)) = (first, last) {
            pieces.push((piece[first].start, piece[last].end));
        }
        piece_start = index;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_runs_stop_at_line_breaks_and_shed_punctuation() {
        let text = "at the All England Club*\n\nJannik Sinner won & lost";
        let tokens = tokenizer::tokenize(text);
        let position = |word: &str| tokens.iter().position(|t| &text[t.start..t.end] == word);
        let (all, sinner) = (position("All").unwrap(), position("Sinner").unwrap());
        let pieces = clean_pieces(text, &tokens[all..=sinner]);
        let words: Vec<&str> = pieces.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(words, ["All England Club", "Jannik Sinner"]);
        let ampersand = position("&").unwrap();
        assert!(clean_pieces(text, &tokens[ampersand..=ampersand]).is_empty());
    }
}
