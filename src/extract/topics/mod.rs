//! Topics: IPTC Media Topics (DESIGN §3 slugs), most relevant first.
//!
//! A hand-written weighted lexicon (`data/topics.tsv`, built from
//! `scripts/topics/lexicon.txt`) of words and phrases up to three words long. An article's
//! score for a topic sums the weights of the terms it contains, damped for repeats
//! (1 + ln n) and doubled in the headline. A topic is kept when its score reaches an
//! absolute threshold (one stray word never does) and at least half the best score.
//! Terms learned from labelled news (`data/topics_learned.tsv`, see [`learn`]) join the
//! hand-written ones.

use super::Prepared;
use super::tokens::{Token, fold, fold_into, tokenize};
use crate::model::Article;
use crate::search::query::TOPICS;
use rustc_hash::FxHashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::LazyLock;

/// Minimum score for any topic: about two strong terms, or one strong term repeated.
const MIN_SCORE: f32 = 7.0;
/// A secondary topic needs at least this share of the best score.
const RELATIVE: f32 = 0.45;
/// At most this many topics per article.
const MAX_TOPICS: usize = 3;

pub mod learn;

/// Weighted terms per topic: the classifier's whole knowledge.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    /// Hash of the folded term's words ([`phrase_hash`]) -> (topic index, weight) pairs.
    terms: FxHashMap<u64, Vec<(usize, f32)>>,
    /// Hashes of the first word and of the first two words of every longer term: a two-
    /// or three-word phrase of a text is looked up only when it can start a term.
    prefixes: rustc_hash::FxHashSet<u64>,
}

impl Lexicon {
    /// Adds the rows of a `term<TAB>topic<TAB>weight` table (header and `#` lines skipped).
    /// A term already known for a topic keeps the larger weight.
    pub fn add_table(&mut self, table: &str) {
        self.add_rows(table, false);
    }

    /// Adds learned rows, except for terms the lexicon already knows: for those the
    /// hand-written judgement stands ("asylum" stays a society word even if the training
    /// news covered it as politics).
    pub fn add_learned_table(&mut self, table: &str) {
        self.add_rows(table, true);
    }

    /// Adds one learned term unless the term is already known.
    pub fn add_learned(&mut self, term: &str, topic: &str, weight: f32) {
        if !self.terms.contains_key(&term_hash(term)) {
            self.add(term, topic, weight);
        }
    }

    fn add_rows(&mut self, table: &str, learned: bool) {
        for line in table.lines().skip(1) {
            if line.starts_with('#') {
                continue;
            }
            let mut columns = line.split('\t');
            let (Some(term), Some(topic), Some(weight)) =
                (columns.next(), columns.next(), columns.next())
            else {
                continue;
            };
            let weight = weight.parse().unwrap_or(1.0);
            if learned {
                self.add_learned(term, topic, weight);
            } else {
                self.add(term, topic, weight);
            }
        }
    }

    /// Adds one term for a topic slug; unknown slugs are ignored.
    pub fn add(&mut self, term: &str, topic: &str, weight: f32) {
        let Some(index) = TOPICS.iter().position(|slug| *slug == topic) else {
            return;
        };
        let words = word_hashes(term);
        for length in 1..words.len().min(3) {
            self.prefixes.insert(phrase_hash(&words[..length]));
        }
        let entries = self.terms.entry(phrase_hash(&words)).or_default();
        match entries.iter_mut().find(|(existing, _)| *existing == index) {
            Some(entry) => entry.1 = entry.1.max(weight),
            None => entries.push((index, weight)),
        }
    }

    /// The article's topics under this lexicon, most relevant first.
    pub fn classify(&self, article: &Article) -> Vec<String> {
        self.classify_tokens(&tokenize(&article.title), &tokenize(&article.body))
    }

    /// The topics of an article given its title and body tokens.
    pub fn classify_tokens(&self, title: &[Token], body: &[Token]) -> Vec<String> {
        let scores = self.scores(title, body);
        let best = scores.iter().copied().fold(0.0, f32::max);
        if best < MIN_SCORE {
            return Vec::new();
        }
        let mut ranked: Vec<(usize, f32)> = scores
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, score)| *score >= MIN_SCORE && *score >= best * RELATIVE)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MAX_TOPICS);
        ranked
            .into_iter()
            .map(|(index, _)| TOPICS[index].to_string())
            .collect()
    }

    /// Score per topic (indexed like [`TOPICS`]).
    fn scores(&self, title: &[Token], body: &[Token]) -> Vec<f32> {
        // (term hash, topic) -> (weight, occurrences)
        let mut counts: FxHashMap<(u64, usize), (f32, u32)> = FxHashMap::default();
        for (tokens, factor) in [(title, 2), (body, 1)] {
            for_each_term_hash(tokens, &self.prefixes, |hash| {
                let Some(entries) = self.terms.get(&hash) else {
                    return;
                };
                for (topic, weight) in entries {
                    let entry = counts.entry((hash, *topic)).or_insert((*weight, 0));
                    entry.1 += factor;
                }
            });
        }
        let mut scores = vec![0.0; TOPICS.len()];
        for ((_hash, topic), (weight, count)) in counts {
            scores[topic] += weight * (1.0 + (count as f32).ln());
        }
        scores
    }
}

/// The shipped lexicon: hand-written terms plus terms learned from labelled news.
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lexicon = Lexicon::default();
    lexicon.add_table(include_str!("../data/topics.tsv"));
    lexicon.add_learned_table(include_str!("../data/topics_learned.tsv"));
    lexicon
});

/// The hand-written part alone (for training and cross-validation).
pub fn hand_lexicon() -> Lexicon {
    let mut lexicon = Lexicon::default();
    lexicon.add_table(include_str!("../data/topics.tsv"));
    lexicon
}

/// The article's topics, most relevant first; empty when nothing passes the threshold.
pub fn classify(prepared: &Prepared) -> Vec<String> {
    LEXICON.classify_tokens(&prepared.title, &prepared.body)
}

/// Hash of one folded word.
fn word_hash(word: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(word)
}

/// Hash of a phrase from its words' hashes; equal word sequences give equal hashes.
fn phrase_hash(word_hashes: &[u64]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for hash in word_hashes {
        hasher.write_u64(*hash);
    }
    hasher.finish()
}

/// The lookup hash of a term, tokenized and folded like article text.
fn term_hash(term: &str) -> u64 {
    phrase_hash(&word_hashes(term))
}

/// The hashes of a term's words, tokenized and folded like article text.
fn word_hashes(term: &str) -> Vec<u64> {
    tokenize(term)
        .iter()
        .map(|token| word_hash(&fold(token.text)))
        .collect()
}

/// The folded words of a text (lower-case ASCII words are used as they are).
pub(crate) fn folded_words(text: &str) -> Vec<String> {
    tokenize(text)
        .iter()
        .map(|token| fold(token.text))
        .collect()
}

/// Calls `visit` with the hash of every word of the text and of every 2- and 3-word
/// phrase whose first words are in `prefixes` (phrases that can be terms).
fn for_each_term_hash(
    tokens: &[Token],
    prefixes: &rustc_hash::FxHashSet<u64>,
    mut visit: impl FnMut(u64),
) {
    let mut folded = String::new();
    let hashes: Vec<u64> = tokens
        .iter()
        .map(|token| {
            if token.text.bytes().all(|byte| byte.is_ascii_lowercase()) {
                word_hash(token.text)
            } else {
                folded.clear();
                fold_into(token.text, &['.'], &mut folded);
                word_hash(&folded)
            }
        })
        .collect();
    for start in 0..hashes.len() {
        let mut phrase = phrase_hash(&hashes[start..start + 1]);
        visit(phrase);
        for end in start + 2..(start + 4).min(hashes.len() + 1) {
            if !prefixes.contains(&phrase) {
                break;
            }
            phrase = phrase_hash(&hashes[start..end]);
            visit(phrase);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics_of(title: &str, body: &str) -> Vec<String> {
        let article = Article {
            title: title.to_string(),
            body: body.to_string(),
            ..Article::default()
        };
        classify(&crate::extract::Prepared::new(&article))
    }

    #[test]
    fn one_topic_per_kind_of_story() {
        let cases = [
            (
                "Striker's late goal wins the cup final",
                "The striker scored in the final minute as the club beat their rivals to lift the cup in front of 80,000 fans at the stadium.",
                "sport",
            ),
            (
                "Central bank raises interest rates",
                "The central bank raised interest rates again as inflation stayed high, and economists said the economy could slip into recession.",
                "economy",
            ),
            (
                "Parliament passes election reform",
                "Lawmakers voted to change how parliament is elected after the opposition party and the government agreed on the bill before the election.",
                "politics",
            ),
            (
                "Drone strikes hit frontline towns",
                "Missiles and drones struck towns near the front line overnight as troops fought off an offensive, the military said, and the ceasefire collapsed.",
                "conflict",
            ),
            (
                "Earthquake kills hundreds",
                "A magnitude 7.1 earthquake flattened villages, rescuers searched the rubble for survivors and the death toll rose.",
                "disaster",
            ),
            (
                "Storm brings gales and snow",
                "Forecasters issued an amber warning as the storm brought gusts of 90mph, heavy snow and freezing temperatures, the Met Office said.",
                "weather",
            ),
            (
                "Measles outbreak spreads",
                "Doctors urged parents to vaccinate children as measles cases rose and hospitals treated patients in isolation during the outbreak.",
                "health",
            ),
            (
                "Ex-minister jailed for fraud",
                "The court sentenced the former minister to six years in prison after the jury found him guilty of fraud; prosecutors said he had stolen millions.",
                "crime",
            ),
            (
                "Film wins top prize at festival",
                "The director's new film won the top award at the film festival, and its lead actress was praised by critics at the premiere.",
                "arts",
            ),
            (
                "Telescope spots distant galaxy",
                "Astronomers using the space telescope found a galaxy formed soon after the Big Bang, scientists said in a study.",
                "science",
            ),
            (
                "Teachers warn over school funding",
                "Head teachers said schools could not afford more teachers, as pupils and students faced larger classes and exam changes.",
                "education",
            ),
            (
                "Emissions hit record as talks open",
                "Carbon emissions from fossil fuels reached a record as climate negotiators met, with scientists warning of global warming and lost biodiversity.",
                "environment",
            ),
            (
                "Rail workers strike over pay",
                "Union members walked out after pay talks failed; the union said workers had lost out on wages and warned of more strikes.",
                "labour",
            ),
            (
                "Pope leads Easter mass",
                "The pope celebrated Easter mass in front of pilgrims at the Vatican and called on the church and Christians to pray for peace.",
                "religion",
            ),
            (
                "Asylum seekers wait for decisions",
                "Refugees and migrants waiting for asylum decisions face poverty and homelessness, charities said, as immigration rules tighten.",
                "society",
            ),
            (
                "Chefs bet on seasonal menus",
                "Restaurants and chefs are cooking seasonal recipes for tourists this summer, with food and wine festivals drawing travel bookings.",
                "lifestyle",
            ),
        ];
        for (title, body, expected) in cases {
            let topics = topics_of(title, body);
            assert_eq!(
                topics.first().map(String::as_str),
                Some(expected),
                "{title}: {topics:?}"
            );
        }
    }

    #[test]
    fn a_stray_word_gives_no_topic() {
        assert_eq!(
            topics_of(
                "Notes",
                "The meeting was held on a Tuesday in the town hall, near the bank."
            ),
            Vec::<String>::new()
        );
        assert_eq!(topics_of("", ""), Vec::<String>::new());
    }

    #[test]
    fn mixed_stories_get_several_topics_best_first() {
        let topics = topics_of(
            "Club posts record profits as shares rise",
            "The football club reported record revenue and profit; its shares rose as investors cheered the results, after the team won the league title and the champions league final.",
        );
        assert_eq!(topics.len(), 2, "{topics:?}");
        assert!(topics.contains(&"sport".to_string()) && topics.contains(&"economy".to_string()));
    }
}
