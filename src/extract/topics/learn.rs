//! Learning lexicon terms from labelled articles: for each topic, the words and phrases
//! whose document frequency in that topic's articles most exceeds their frequency
//! elsewhere (smoothed log-odds), scaled to the hand lexicon's 1-3 weights.
//!
//! Used by `cargo run --release --example train_topics` (which writes
//! `src/extract/data/topics_learned.tsv`) and by the BBC evaluation's cross-validation,
//! so the reported accuracy is measured on articles the terms were not learned from.

use super::folded_words;
use crate::extract::tokens::{fold, tokenize};
use std::collections::{HashMap, HashSet};

/// Terms seen in fewer articles of a topic than this are not learned.
const MIN_DOCUMENTS: u32 = 4;
/// Minimum log-odds for a term to count as evidence.
const MIN_LOG_ODDS: f32 = 1.0;
/// Terms learned per topic at most.
const PER_TOPIC: usize = 1500;

/// Function words: a term that starts or ends with one is a fragment ("phone as").
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
    "he", "her", "his", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the",
    "their", "they", "this", "to", "was", "we", "were", "which", "who", "will", "with", "would",
    "said", "says", "s",
];

/// Folded words that are names in these texts: written with a capital (not opening a
/// sentence) nine times in ten or more. A topic is not told by who or where ("Putin" was
/// business news in one corpus and is war news in another).
fn proper_nouns(examples: &[(String, String)]) -> HashSet<String> {
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for (text, _) in examples {
        for token in tokenize(text) {
            if !token.text.chars().next().is_some_and(char::is_alphabetic) {
                continue;
            }
            let entry = counts.entry(fold(token.text)).or_default();
            if token.is_capitalized() {
                if !token.sentence_start {
                    entry.0 += 1;
                }
            } else {
                entry.1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (capitalized, lower))| *capitalized >= 2 && lower * 9 < *capitalized)
        .map(|(word, _)| word)
        .collect()
}

/// Whether a term can generalize beyond the texts it was learned from: no name, no
/// number, and whole (no function word at either end).
fn is_general(term: &str, names: &HashSet<String>) -> bool {
    let words: Vec<&str> = term.split(' ').collect();
    let edge = |word: Option<&&str>| word.is_some_and(|word| FUNCTION_WORDS.contains(word));
    !edge(words.first())
        && !edge(words.last())
        && words
            .iter()
            .all(|word| !word.chars().any(|c| c.is_ascii_digit()) && !names.contains(*word))
}

/// A learned term.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnedTerm {
    /// Folded term, words joined by spaces.
    pub term: String,
    /// Topic slug.
    pub topic: String,
    /// Weight on the lexicon's scale (1-3).
    pub weight: f32,
}

/// Learns terms from `(text, topic slug)` examples.
pub fn learn(examples: &[(String, String)]) -> Vec<LearnedTerm> {
    let names = proper_nouns(examples);
    let mut topics: Vec<&str> = examples.iter().map(|(_, topic)| topic.as_str()).collect();
    topics.sort();
    topics.dedup();
    let mut document_frequency: HashMap<(String, usize), u32> = HashMap::new();
    let mut documents_per_topic = vec![0u32; topics.len()];
    for (text, topic) in examples {
        let Ok(topic_index) = topics.binary_search(&topic.as_str()) else {
            continue;
        };
        documents_per_topic[topic_index] += 1;
        let mut seen: HashSet<String> = HashSet::new();
        let words = folded_words(text);
        for start in 0..words.len() {
            for length in 1..=3.min(words.len() - start) {
                let key = words[start..start + length].join(" ");
                if key.len() > 2 && is_general(&key, &names) {
                    seen.insert(key);
                }
            }
        }
        for term in seen {
            *document_frequency.entry((term, topic_index)).or_default() += 1;
        }
    }
    let total_documents: u32 = documents_per_topic.iter().sum();
    let mut totals: HashMap<&str, u32> = HashMap::new();
    for ((term, _), count) in &document_frequency {
        *totals.entry(term.as_str()).or_default() += count;
    }
    let mut learned = Vec::new();
    for (topic_index, topic) in topics.iter().enumerate() {
        let inside = documents_per_topic[topic_index] as f32;
        let outside = (total_documents - documents_per_topic[topic_index]) as f32;
        let mut candidates: Vec<(f32, &str)> = document_frequency
            .iter()
            .filter(|((_, index), count)| *index == topic_index && **count >= MIN_DOCUMENTS)
            .map(|((term, _), count)| {
                let elsewhere = (totals[term.as_str()] - count) as f32;
                let log_odds = ((*count as f32 + 0.5) / (inside + 1.0)).ln()
                    - ((elsewhere + 0.5) / (outside + 1.0)).ln();
                (log_odds, term.as_str())
            })
            .filter(|(log_odds, _)| *log_odds >= MIN_LOG_ODDS)
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        for (log_odds, term) in candidates.into_iter().take(PER_TOPIC) {
            learned.push(LearnedTerm {
                term: term.to_string(),
                topic: topic.to_string(),
                weight: (log_odds - 0.3).clamp(0.5, 4.0),
            });
        }
    }
    learned.sort_by(|a, b| {
        (a.term.as_str(), a.topic.as_str()).cmp(&(b.term.as_str(), b.topic.as_str()))
    });
    learned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinctive_words_are_learned_for_their_topic() {
        let mut examples = Vec::new();
        for number in 0..6 {
            examples.push((
                format!("The striker scored a goal in match {number} of the season."),
                "sport".to_string(),
            ));
            examples.push((
                format!("Shares fell as the company reported weak quarterly profits {number}."),
                "economy".to_string(),
            ));
        }
        let learned = learn(&examples);
        let find = |term: &str| {
            learned
                .iter()
                .find(|l| l.term == term)
                .map(|l| l.topic.as_str())
        };
        assert_eq!(find("striker"), Some("sport"));
        assert_eq!(find("quarterly profits"), Some("economy"));
        assert_eq!(find("the"), None);
    }

    #[test]
    fn names_numbers_and_fragments_are_not_learned() {
        let mut examples = Vec::new();
        for number in 0..6 {
            examples.push((
                format!("Shares in Halvorsen fell {number}0 percent as Halvorsen said profits fell. Analysts said Halvorsen was weak."),
                "economy".to_string(),
            ));
            examples.push((
                format!("The striker scored twice in game {number}, and the coach said the striker was sharp."),
                "sport".to_string(),
            ));
        }
        let learned = learn(&examples);
        let terms: Vec<&str> = learned.iter().map(|l| l.term.as_str()).collect();
        assert!(terms.contains(&"shares"), "{terms:?}");
        assert!(terms.contains(&"profits fell"), "{terms:?}");
        for unwanted in [
            "halvorsen",
            "shares in halvorsen",
            "game 0",
            "percent as",
            "the striker",
        ] {
            assert!(!terms.contains(&unwanted), "{unwanted} in {terms:?}");
        }
    }
}
