//! Entity extraction: Article -> Entities. Pure (no I/O) and safe to call from many threads.
//!
//! Pipeline per article: the NER tagger (`ner`, an averaged perceptron trained on
//! CoNLL-2003) labels spans in title and body; `countries` matches the gazetteer, rejecting
//! traps ("Paris Hilton") and anything inside a PER span; `people` takes the PER spans,
//! widened and completed by capitalized name sequences, drops places and canonicalizes them
//! within the article; `orgs` takes the ORG spans plus well-known names; `topics` ranks IPTC
//! topics. Without a trained model (an empty `ner.model`) `people` and `orgs` fall back to
//! their own rules.

pub mod countries;
pub mod names;
pub mod ner;
pub mod orgs;
pub mod people;
pub mod tokens;
pub mod topics;

use crate::model::{Article, Entities, EntityKind, Mention, TextField};
use rustc_hash::FxHashSet;
use tokens::Token;

/// An article's title and body tokenized once for the rule-based stages (people and
/// organizations), with the article's company words ([`orgs::company_words`]).
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    /// Tokens of the title.
    pub title: Vec<Token<'a>>,
    /// Tokens of the body.
    pub body: Vec<Token<'a>>,
    /// Folded words of company names anywhere in the article.
    pub company: FxHashSet<String>,
}

impl<'a> Prepared<'a> {
    /// Tokenizes the article.
    pub fn new(article: &'a Article) -> Prepared<'a> {
        let title = tokens::tokenize(&article.title);
        let body = tokens::tokenize(&article.body);
        let mut company = orgs::company_words(&title);
        company.extend(orgs::company_words(&body));
        Prepared {
            title,
            body,
            company,
        }
    }

    /// Whether every word of `name` belongs to a company name of the article ("Pirelli"
    /// after "Pirelli SpA"): such a "person" is the company.
    pub fn is_company_name(&self, name: &str) -> bool {
        !self.company.is_empty()
            && name
                .split_whitespace()
                .all(|word| self.company.contains(&tokens::fold_name_part(word)))
    }

    /// The tokens of one field (the title's for [`TextField::Title`], else the body's).
    pub fn tokens(&self, field: TextField) -> &[Token<'a>] {
        match field {
            TextField::Title => &self.title,
            _ => &self.body,
        }
    }
}

/// A labelled span found by the NER tagger; byte offsets into one field's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NerSpan {
    /// The field the span is in.
    pub field: TextField,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// The label.
    pub label: NerLabel,
}

/// CoNLL-2003 entity labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLabel {
    /// Person.
    Per,
    /// Organization.
    Org,
    /// Location.
    Loc,
    /// Miscellaneous (nationalities, events, ...).
    Misc,
}

/// Bytes of body text extraction reads: entities of a longer body come from its first
/// megabyte, so one giant article cannot stall a run (it is still indexed whole).
pub const MAX_EXTRACT_BYTES: usize = 1_000_000;

/// Extracts the entities of one article.
pub fn extract(article: &Article) -> Entities {
    extract_up_to(article, MAX_EXTRACT_BYTES)
}

/// [`extract`] reading at most `limit` bytes of the body.
fn extract_up_to(article: &Article, limit: usize) -> Entities {
    if article.body.len() > limit {
        let mut cut = limit;
        while !article.body.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = Article {
            body: article.body[..cut].to_string(),
            ..article.clone()
        };
        return extract_all(&head);
    }
    extract_all(article)
}

/// Extracts the entities of one article, all of its text. The tagger, name lists and
/// topic lexicon are English; for an article known to be in another language only
/// countries are looked up (by their English names, capitals and cities).
fn extract_all(article: &Article) -> Entities {
    if article.lang.as_deref().is_some_and(|lang| lang != "en") {
        let mentions = countries::find_countries(article, &[]);
        return Entities {
            countries: canonical_values(&mentions, EntityKind::Country),
            mentions,
            ..Entities::default()
        };
    }
    let tagger = ner::tagger();
    let mut spans = tagger.tag(TextField::Title, &article.title);
    spans.extend(tagger.tag(TextField::Body, &article.body));
    cut_titles_from_orgs(article, &mut spans);

    // With a trained tagger its spans are the evidence, even when it found nothing.
    let tagged = tagger.is_trained().then_some(spans.as_slice());
    let places = countries::find_countries(article, &spans);
    let prepared = Prepared::new(article);
    let mut mentions = people::find_people(article, &prepared, tagged, &places);
    mentions.extend(orgs::find_orgs(article, &prepared, tagged));
    drop_orgs_named_by_people(&mut mentions);
    mentions.extend(places);
    mentions.sort_by_key(|a| (a.field, a.start, a.end));

    let mut entities = Entities {
        people: canonical_values(&mentions, EntityKind::Person),
        countries: canonical_values(&mentions, EntityKind::Country),
        orgs: canonical_values(&mentions, EntityKind::Org),
        topics: Vec::new(),
        mentions,
    };
    entities.topics = topics::classify(&prepared);
    entities
}

/// The tagger sometimes runs an organization on through a title into a name: "US
/// Secretary of State Marco Rubio", "Bank of England Governor Andrew Bailey". Such a span
/// keeps only the words before the title (the name is the people rules' business), and
/// is dropped when those words are a place ("US", "Texas"), so the place is found.
fn cut_titles_from_orgs(article: &Article, spans: &mut Vec<NerSpan>) {
    spans.retain_mut(|span| {
        if span.label != NerLabel::Org {
            return true;
        }
        let text = match span.field {
            TextField::Title => &article.title,
            _ => &article.body,
        };
        let Some(written) = text.get(span.start..span.end) else {
            return true;
        };
        let words: Vec<(usize, &str)> = written
            .split_whitespace()
            .map(|word| (word.as_ptr() as usize - written.as_ptr() as usize, word))
            .collect();
        let ends_in_name = words
            .last()
            .is_some_and(|(_, word)| word.chars().next().is_some_and(char::is_uppercase));
        let title_at = words
            .iter()
            .enumerate()
            .skip(1)
            .position(|(index, (_, word))| index + 1 < words.len() && people::is_title_word(word))
            .map(|position| position + 1);
        match (title_at, ends_in_name) {
            (Some(title_at), true) => keep_words(span, written, &words, title_at),
            _ => cut_trailing_titles(span, written, &words),
        }
    });
}

/// Shortens `span` to its first `keep` words, or drops it (false) when they are no words or
/// a place the gazetteer knows.
fn keep_words(span: &mut NerSpan, written: &str, words: &[(usize, &str)], keep: usize) -> bool {
    let (offset, word) = words[keep - 1];
    let before = written[..offset + word.len()].trim_end_matches([',', ' ']);
    if before.is_empty() || countries::place(before).is_some() {
        return false;
    }
    span.end = span.start + before.len();
    true
}

/// An organization span that ends in titles ("Oregon Democrat", "Bank of England
/// Governor") keeps the words before them, and is dropped (false) when those are a country
/// or a place with one ("Oregon"), so that the place is found.
fn cut_trailing_titles(span: &mut NerSpan, written: &str, words: &[(usize, &str)]) -> bool {
    let mut keep = words.len();
    while keep > 1 && people::is_title_word(words[keep - 1].1) {
        keep -= 1;
    }
    // A title after a lower-case word is the name's own: "Department of Justice".
    if words[keep - 1]
        .1
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
    {
        return true;
    }
    keep == words.len() || keep_words(span, written, words, keep)
}

/// Drops the organizations that are a person of the article: the tagger reads "Dürer" in "a
/// Dürer drawing" or "Leyen" in "von der Leyen's plan" as an organization once "Albrecht
/// Dürer" or "Ursula von der Leyen" is a person. An organization goes when it is the full
/// name of a person of two words or more, or one word that is such a person's surname
/// (not a first word: "Real" of a "person" Real Madrid stays an organization).
fn drop_orgs_named_by_people(mentions: &mut Vec<Mention>) {
    let names: Vec<Vec<&str>> = mentions
        .iter()
        .filter(|mention| mention.kind == EntityKind::Person)
        .map(|mention| mention.canonical.split_whitespace().collect::<Vec<_>>())
        .filter(|words| words.len() >= 2)
        .collect();
    if names.is_empty() {
        return;
    }
    let same = |a: &[&str], b: &[&str]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.to_lowercase() == y.to_lowercase())
    };
    let is_person = |org: &str| {
        let org: Vec<&str> = org.split_whitespace().collect();
        names
            .iter()
            .any(|name| same(&org, name) || (org.len() == 1 && same(&org, &name[name.len() - 1..])))
    };
    let dropped: Vec<bool> = mentions
        .iter()
        .map(|mention| mention.kind == EntityKind::Org && is_person(&mention.canonical))
        .collect();
    let mut index = 0;
    mentions.retain(|_| {
        index += 1;
        !dropped[index - 1]
    });
}

/// The sorted, deduplicated canonical values of one kind.
fn canonical_values(mentions: &[Mention], kind: EntityKind) -> Vec<String> {
    let mut values: Vec<String> = mentions
        .iter()
        .filter(|mention| mention.kind == kind)
        .map(|mention| mention.canonical.clone())
        .collect();
    values.sort();
    values.dedup();
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(body: &str) -> Entities {
        let article = Article {
            title: String::new(),
            body: body.to_string(),
            ..Article::default()
        };
        extract(&article)
    }

    #[test]
    fn a_giant_body_is_read_for_entities_up_to_the_limit() {
        let mut body = "Vladimir Putin met envoys in Moscow. ".repeat(60);
        body.push_str("Emmanuel Macron spoke in Paris.");
        let article = Article {
            body,
            ..Article::default()
        };
        let found = extract_up_to(&article, 2_000);
        assert_eq!(found.people, ["Vladimir Putin"]);
        assert_eq!(found.countries, ["RU"]);
        assert!(found.mentions.iter().all(|m| m.end <= 2_000));
        let whole = extract_up_to(&article, MAX_EXTRACT_BYTES);
        assert_eq!(whole.people, ["Emmanuel Macron", "Vladimir Putin"]);
    }

    #[test]
    fn other_languages_get_countries_only() {
        let article = Article {
            title: "Emmanuel Macron reçoit Olaf Scholz à Paris".to_string(),
            body: "Le président Emmanuel Macron a reçu mardi le chancelier Olaf Scholz à Paris pour parler de l'Ukraine et du budget européen.".to_string(),
            lang: Some("fr".to_string()),
            ..Article::default()
        };
        let found = extract(&article);
        assert_eq!(found.countries, ["FR"]);
        assert!(found.people.is_empty() && found.orgs.is_empty() && found.topics.is_empty());
    }

    #[test]
    fn a_person_is_not_also_an_organization() {
        // (title, body, expected people, expected organizations)
        let cases = [
            (
                "National Gallery buys rare Dürer drawing",
                "The National Gallery in London has bought a rare drawing by the German \
                 Renaissance master Albrecht Dürer. Gallery director Gabriele Finaldi said the \
                 drawing was \"one of the most delicate and intimate works\" Dürer ever produced.",
                vec!["Albrecht Dürer", "Gabriele Finaldi"],
                vec!["National Gallery"],
            ),
            (
                "EU vows response to tariffs",
                "European Commission President Ursula von der Leyen said the announcement was \
                 \"a major blow to the world economy\".\n\n\"We are prepared to respond, but it \
                 is not too late to address concerns through negotiations,\" von der Leyen said \
                 in a statement.",
                vec!["Ursula von der Leyen"],
                vec!["EU", "European Commission"],
            ),
        ];
        for (title, body, people, orgs) in cases {
            let found = extract(&Article {
                title: title.to_string(),
                body: body.to_string(),
                ..Article::default()
            });
            assert_eq!(found.people, people, "{title}");
            assert_eq!(found.orgs, orgs, "{title}");
        }
    }

    /// Mentions of (kind, canonical), at made-up offsets.
    fn mentions(found: &[(EntityKind, &str)]) -> Vec<Mention> {
        found
            .iter()
            .enumerate()
            .map(|(at, (kind, canonical))| Mention {
                kind: *kind,
                field: TextField::Body,
                start: at * 10,
                end: at * 10 + canonical.len(),
                text: canonical.to_string(),
                canonical: canonical.to_string(),
            })
            .collect()
    }

    fn kept(found: &[Mention], kind: EntityKind) -> Vec<&str> {
        found
            .iter()
            .filter(|mention| mention.kind == kind)
            .map(|mention| mention.canonical.as_str())
            .collect()
    }

    /// Mentions found, then the people and the organizations kept.
    type DropCase<'a> = (&'a [(EntityKind, &'a str)], &'a [&'a str], &'a [&'a str]);

    #[test]
    fn organizations_that_are_people_of_the_article_are_dropped() {
        use EntityKind::{Org, Person};
        let cases: [DropCase; 4] = [
            // A person's full name or surname tagged as an organization.
            (
                &[
                    (Person, "Albrecht Dürer"),
                    (Org, "Albrecht Dürer"),
                    (Org, "Dürer"),
                ],
                &["Albrecht Dürer"],
                &[],
            ),
            (
                &[
                    (Person, "Ursula von der Leyen"),
                    (Org, "Leyen"),
                    (Org, "European Commission"),
                ],
                &["Ursula von der Leyen"],
                &["European Commission"],
            ),
            // A first word is no surname, and a one-word "person" decides nothing: the
            // tagger's "person" may be the club.
            (
                &[
                    (Person, "Real Madrid"),
                    (Org, "Real"),
                    (Person, "Nice"),
                    (Org, "Nice"),
                ],
                &["Real Madrid", "Nice"],
                &["Real", "Nice"],
            ),
            // A company that shares a word with a person stays.
            (
                &[
                    (Person, "Henry Ford"),
                    (Org, "Ford Motor"),
                    (Org, "Ford Foundation"),
                ],
                &["Henry Ford"],
                &["Ford Motor", "Ford Foundation"],
            ),
        ];
        for (found, people, orgs) in cases {
            let mut found = mentions(found);
            drop_orgs_named_by_people(&mut found);
            assert_eq!(kept(&found, Person), people, "{found:?}");
            assert_eq!(kept(&found, Org), orgs, "{found:?}");
        }
    }

    #[test]
    fn organization_spans_lose_titles_at_their_end() {
        // (tagged organization span, what is left: None when dropped for the place)
        let cases = [
            ("Oregon Democrat", None),
            ("Texas Republican", None),
            ("Bank of England Governor", Some("Bank of England")),
            ("Department of Justice", Some("Department of Justice")),
            ("Ministry of Justice", Some("Ministry of Justice")),
            ("Senate Majority Whip", Some("Senate")),
            ("Federal Reserve", Some("Federal Reserve")),
        ];
        for (written, left) in cases {
            let article = Article {
                body: format!("Yesterday {written} spoke."),
                ..Article::default()
            };
            let mut spans = vec![NerSpan {
                field: TextField::Body,
                start: 10,
                end: 10 + written.len(),
                label: NerLabel::Org,
            }];
            cut_titles_from_orgs(&article, &mut spans);
            let found = spans
                .first()
                .map(|span| &article.body[span.start..span.end]);
            assert_eq!(found, left, "{written}");
        }
    }

    #[test]
    fn page_furniture_is_no_person() {
        for body in [
            "Replay Videos\n\nSenator Amy Klobuchar spoke to reporters on Monday.",
            "Amy Klobuchar spoke to reporters on Monday. (Photo: Getty Images)",
        ] {
            assert_eq!(entities(body).people, ["Amy Klobuchar"], "{body}");
        }
    }

    #[test]
    fn an_organization_does_not_swallow_a_title_and_name() {
        let found =
            entities("US Secretary of State Marco Rubio arrived in Riyadh on Tuesday for talks.");
        assert_eq!(found.people, ["Marco Rubio"]);
        assert!(found.countries.contains(&"US".to_string()), "{found:?}");
        assert!(found.orgs.is_empty(), "{:?}", found.orgs);
        let found = entities(
            "Bank of England Governor Andrew Bailey said inflation would fall later this year.",
        );
        assert_eq!(found.people, ["Andrew Bailey"]);
        assert_eq!(found.orgs, ["Bank of England"]);
        // Leadership titles: "Majority Leader", "Majority Whip" are no part of the chamber.
        let found = entities(
            "Senate Majority Leader Mitch McConnell said on Tuesday that the chamber would not \
             vote on the House measure this week, while Senate Minority Leader Chuck Schumer \
             accused Republicans of stalling.\n\nHouse Majority Whip James Clyburn told \
             reporters the delay would hurt families.",
        );
        assert_eq!(
            found.people,
            ["Chuck Schumer", "James Clyburn", "Mitch McConnell"]
        );
        assert_eq!(found.orgs, ["House", "Senate"]);
        // A span that ends in a title: a party member's state is a place, an
        // organization's role is cut off, a title after "of" is part of the name.
        let found = entities(
            "\"The surveillance powers go too far,\" said Sen. Ron Wyden, an Oregon Democrat. \
             Separately, the Bank of England Governor said on Thursday that rates would hold.",
        );
        assert_eq!(found.people, ["Ron Wyden"]);
        assert_eq!(found.countries, ["US"]);
        assert_eq!(found.orgs, ["Bank of England"]);
        let found = entities(
            "A spokesman for the Department of Justice said on Friday it would appeal. The \
             Department of Justice has until March, and the Ministry of Justice in London \
             declined to comment.",
        );
        assert_eq!(found.orgs, ["Department of Justice", "Ministry of Justice"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(100))]

        /// Extraction never panics and its mentions always point at the text.
        #[test]
        fn extraction_never_panics_and_offsets_stay_in_the_text(
            title in "[A-Za-zéüİ'’. -]{0,60}",
            body in "[A-Za-z0-9éüİ€'’\".,;:()\\n -]{0,400}",
        ) {
            let article = Article { title, body, ..Article::default() };
            let found = extract(&article);
            for mention in &found.mentions {
                let text = match mention.field {
                    TextField::Title => &article.title,
                    _ => &article.body,
                };
                proptest::prop_assert_eq!(text.get(mention.start..mention.end), Some(mention.text.as_str()));
            }
        }
    }
}
