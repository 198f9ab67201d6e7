//! Greedy left-to-right decoding with a document memory, shared by training and tagging.
//!
//! Each token's label is chosen from the scores of its features, which include the labels
//! already chosen (previous tags) and the entity type the same word got earlier in the
//! document (the "extended prediction history" that lets a later bare "Putin" inherit PER).

use super::features::{Context, LABELS};
use crate::extract::NerLabel;
use rustc_hash::FxHashMap as HashMap;

/// Label ids: 0 = O, then B/I pairs in this entity order.
pub const TYPES: [NerLabel; 4] = [NerLabel::Per, NerLabel::Org, NerLabel::Loc, NerLabel::Misc];

/// The entity type (1..=4) of a label id, 0 for O.
pub fn entity_type(label: u8) -> u8 {
    label.div_ceil(2)
}

/// True for the B- label ids.
pub fn is_begin(label: u8) -> bool {
    label % 2 == 1
}

/// Labels that may follow `previous`: I-X only after B-X or I-X.
pub fn allowed(previous: u8) -> [bool; LABELS] {
    let mut allowed = [true; LABELS];
    for label in (2..LABELS as u8).step_by(2) {
        allowed[usize::from(label)] = previous != 0 && entity_type(previous) == entity_type(label);
    }
    allowed
}

/// Decodes `context`, calling `choose(position, features, allowed)` for each token's label.
pub fn decode(
    context: &Context,
    bits: u32,
    mut choose: impl FnMut(usize, &[u32], &[bool; LABELS]) -> u8,
) -> Vec<u8> {
    let mut features = Vec::with_capacity(48);
    decode_with(context, |position, labels, remembered, allowed| {
        context.features(position, labels, remembered, bits, &mut features);
        choose(position, &features, allowed)
    })
}

/// The decoding loop: `choose(position, labels so far, remembered type, allowed)` picks
/// each token's label; the document memory and the BIO constraint are kept here.
pub fn decode_with(
    context: &Context,
    mut choose: impl FnMut(usize, &[u8], u8, &[bool; LABELS]) -> u8,
) -> Vec<u8> {
    let mut labels: Vec<u8> = Vec::with_capacity(context.len());
    let mut memory: HashMap<u64, u8> = HashMap::default();
    for position in 0..context.len() {
        let key = context.word_key(position);
        let remembered = if context.is_capitalized(position) {
            memory.get(&key).copied().unwrap_or(0)
        } else {
            0
        };
        let previous = if position == 0 {
            0
        } else {
            labels[position - 1]
        };
        let label = choose(position, &labels, remembered, &allowed(previous));
        let kind = entity_type(label);
        if kind != 0 && context.is_capitalized(position) {
            memory.insert(key, kind);
        }
        labels.push(label);
    }
    labels
}

/// Groups BIO label ids into (first token, one past last token, type index 0..4) spans.
pub fn spans(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    let mut open: Option<(usize, u8)> = None;
    for (position, &label) in labels.iter().enumerate() {
        let kind = entity_type(label);
        let continues =
            kind != 0 && !is_begin(label) && open.is_some_and(|(_, open_kind)| open_kind == kind);
        if continues {
            continue;
        }
        if let Some((start, open_kind)) = open.take() {
            found.push((start, position, usize::from(open_kind - 1)));
        }
        if kind != 0 {
            open = Some((position, kind));
        }
    }
    if let Some((start, open_kind)) = open {
        found.push((start, labels.len(), usize::from(open_kind - 1)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_spans() {
        // O B-PER I-PER B-PER O I-ORG(treated as a start) B-LOC
        let labels = [0, 1, 2, 1, 0, 4, 5];
        assert_eq!(
            spans(&labels),
            vec![(1, 3, 0), (3, 4, 0), (5, 6, 1), (6, 7, 2)]
        );
    }

    #[test]
    fn inside_needs_a_begin() {
        let after_outside = allowed(0);
        assert!(after_outside[1] && !after_outside[2]);
        let after_person = allowed(1);
        assert!(after_person[2] && !after_person[4]);
    }
}
