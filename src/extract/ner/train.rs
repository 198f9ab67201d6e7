//! Averaged-perceptron training on CoNLL documents (used by `examples/train_ner.rs`).
//!
//! Deterministic: documents are visited in an order shuffled by a fixed-seed generator, and
//! the decoder during training is the same greedy decoder used at tagging time, so the
//! previous-tag and document-memory features see predicted labels exactly as they will later.

use super::conll::ConllDocument;
use super::decode::{decode, entity_type};
use super::features::{Context, LABELS};
use super::model::Weights;
use super::tokenizer::tokenize;

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// log2 of the number of weight rows.
    pub bits: u32,
    /// Passes over the training documents.
    pub epochs: usize,
    /// Averaged weights below this magnitude are dropped from the model file.
    pub threshold: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            bits: super::BITS,
            epochs: 12,
            threshold: 0.05,
        }
    }
}

/// A training document: features context plus gold labels aligned to our tokens.
struct Prepared {
    context: Context,
    gold: Vec<u8>,
}

/// Trains a model; `progress` receives one line per epoch.
pub fn train(
    documents: &[ConllDocument],
    options: TrainOptions,
    mut progress: impl FnMut(&str),
) -> Weights {
    let prepared: Vec<Prepared> = documents.iter().map(prepare).collect();
    let size = (1usize << options.bits) * LABELS;
    let mut weights = vec![0f32; size];
    let mut totals = vec![0f32; size];
    let mut clock = 1f32;
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for epoch in 0..options.epochs {
        shuffle(&mut order, &mut seed);
        let mut errors = 0usize;
        let mut tokens = 0usize;
        for &index in &order {
            let document = &prepared[index];
            decode(
                &document.context,
                options.bits,
                |position, features, allowed| {
                    let predicted = best(&weights, features, allowed);
                    let gold = document.gold[position];
                    tokens += 1;
                    if predicted != gold {
                        errors += 1;
                        for &feature in features {
                            let row = feature as usize * LABELS;
                            weights[row + usize::from(gold)] += 1.0;
                            totals[row + usize::from(gold)] += clock;
                            weights[row + usize::from(predicted)] -= 1.0;
                            totals[row + usize::from(predicted)] -= clock;
                        }
                    }
                    clock += 1.0;
                    predicted
                },
            );
        }
        progress(&format!(
            "epoch {}: {errors} errors in {tokens} tokens",
            epoch + 1
        ));
    }
    let averaged: Vec<f32> = weights
        .iter()
        .zip(&totals)
        .map(|(weight, total)| weight - total / clock)
        .collect();
    Weights::quantize(options.bits, &averaged, options.threshold)
}

/// The best allowed label under float weights.
fn best(weights: &[f32], features: &[u32], allowed: &[bool; LABELS]) -> u8 {
    let mut scores = [0f32; LABELS];
    for &feature in features {
        let row = feature as usize * LABELS;
        for (label, score) in scores.iter_mut().enumerate() {
            *score += weights[row + label];
        }
    }
    let mut best_label = 0u8;
    let mut best_score = f32::NEG_INFINITY;
    for (label, &score) in scores.iter().enumerate() {
        if allowed[label] && score > best_score {
            best_score = score;
            best_label = label as u8;
        }
    }
    best_label
}

/// Tokenizes a document with our tokenizer and aligns the gold labels to its tokens.
fn prepare(document: &ConllDocument) -> Prepared {
    let tokens = tokenize(&document.text);
    let context = Context::new(&document.text, &tokens);
    let mut gold = Vec::with_capacity(tokens.len());
    for token in &tokens {
        // The gold token containing ours: our tokenizer only ever splits gold tokens further.
        let index = document
            .tokens
            .partition_point(|&(start, _)| start <= token.start);
        let Some(gold_index) = index.checked_sub(1) else {
            gold.push(0);
            continue;
        };
        let label = document.labels[gold_index];
        let same_start = document.tokens[gold_index].0 == token.start;
        if same_start || label == 0 {
            gold.push(label);
        } else {
            gold.push(entity_type(label) * 2);
        }
    }
    Prepared { context, gold }
}

/// Fisher-Yates shuffle with a xorshift generator.
fn shuffle(order: &mut [usize], seed: &mut u64) {
    for index in (1..order.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let other = (*seed % (index as u64 + 1)) as usize;
        order.swap(index, other);
    }
}
