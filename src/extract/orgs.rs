//! Organizations: the tagger's ORG spans, else capitalized names that end in an
//! organization word ("Bank of England", "European Central Bank", "Labour Party"),
//! acronyms ("NATO", "ECB") and a few well-known names that look like something else
//! ("the Kremlin", "Goldman Sachs"). Canonical names drop a leading "the" and possessives.

use super::Prepared;
use super::tokens::{Token, fold, fold_into, fold_name_part};
use super::{NerLabel, NerSpan};
use crate::model::{Article, EntityKind, Mention, TextField};

/// Last words that make a capitalized name an organization.
const ORG_ENDINGS: &[&str] = &[
    "bank",
    "party",
    "council",
    "ministry",
    "commission",
    "committee",
    "inc",
    "corp",
    "corporation",
    "ltd",
    "plc",
    "llc",
    "group",
    "university",
    "agency",
    "office",
    "department",
    "court",
    "association",
    "federation",
    "union",
    "league",
    "club",
    "airlines",
    "airways",
    "motors",
    "organisation",
    "organization",
    "institute",
    "foundation",
    "fund",
    "reserve",
    "parliament",
    "assembly",
    "senate",
    "congress",
    "police",
    "army",
    "navy",
    "command",
    "service",
    "authority",
    "board",
    "bureau",
    "company",
    "co",
    "holdings",
    "partners",
    "gallery",
    "museum",
    "observatory",
    "times",
    "post",
    "journal",
    "news",
    "network",
    "telegraph",
    "guardian",
    "herald",
    "tribune",
    "democrats",
    "republicans",
    "conservatives",
    "fc",
    "united",
    "taliban",
    "hamas",
    "hezbollah",
];

/// Words that, right after a capitalized name, make it a company: "Pirelli SpA", "Jones
/// Medical Industries Inc", "Pirelli shares".
const COMPANY_CUES: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "ltd",
    "plc",
    "spa",
    "ab",
    "ag",
    "sa",
    "nv",
    "gmbh",
    "llc",
    "lp",
    "bros",
    "holdings",
    "industries",
    "shares",
    "stock",
];

/// Folded words of capitalized runs that a company cue follows anywhere in the text
/// ("Jones Medical Industries Inc" gives jones, medical, industries, inc): a person
/// candidate made only of such words is the company ("Jones said" after "Jones Medical
/// Industries Inc"), whatever the tagger remembered.
pub fn company_words(tokens: &[Token]) -> rustc_hash::FxHashSet<String> {
    let mut words = rustc_hash::FxHashSet::default();
    let mut cue = String::new();
    for (index, token) in tokens.iter().enumerate() {
        if index == 0 || token.after_punctuation {
            continue;
        }
        // A cue needs a capitalized word before it (checked again below): most tokens stop
        // here, before any folding.
        let previous = &tokens[index - 1];
        if !previous.is_capitalized() {
            continue;
        }
        cue.clear();
        fold_into(token.text, &['.'], &mut cue);
        if !COMPANY_CUES.contains(&cue.as_str()) {
            continue;
        }
        let mut first = index;
        while first > 0 {
            let previous = &tokens[first - 1];
            if !previous.is_capitalized() || previous.is_all_caps() && previous.text.len() > 5 {
                break;
            }
            first -= 1;
            if previous.sentence_start || previous.after_punctuation {
                break;
            }
        }
        if first == index {
            continue;
        }
        for token in &tokens[first..=index] {
            words.insert(fold_name_part(token.text));
        }
    }
    words
}

/// Names that are organizations whatever their form.
const KNOWN: &[&str] = &[
    "Kremlin",
    "Pentagon",
    "Goldman Sachs",
    "Morgan Stanley",
    "JPMorgan",
    "Johnson & Johnson",
    "Ernst & Young",
    "Procter & Gamble",
    "Marks & Spencer",
    "Lehman Brothers",
    "Merrill Lynch",
    "Rolls-Royce",
    "Microsoft",
    "Google",
    "Apple",
    "Amazon",
    "Meta",
    "OpenAI",
    "Nvidia",
    "Tesla",
    "Samsung",
    "Reuters",
    "Bloomberg",
    "Interpol",
    "Europol",
    "Gazprom",
    "Rosneft",
    "Aramco",
];

/// Upper-case words that are not organizations.
const NOT_ACRONYMS: &[&str] = &[
    "US", "UK", "USA", "UAE", "EU", "AI", "CEO", "GDP", "TV", "AM", "PM", "OK", "II", "III", "IV",
    "COVID", "DJ", "PhD", "MP", "MPS", "MPs", "ID", "PR", "VAT", "CPI", "UTC", "GMT", "BST", "EST",
    "DNA", "HIV", "AIDS", "CO2", "LGBT", "LGBTQ", "FAQ", "PDF", "URL", "SUV", "IPO", "IT",
];

/// Words that are no organization on their own, whatever the tagger says, besides the
/// legal forms of [`COMPANY_CUES`]: articles, and a footer's "Copyright" ("Copyright 2019
/// Example Media LLC").
const NOT_ORGS_ALONE: &[&str] = &["a", "an", "the", "copyright", "attorney"];

/// Words of a page's links and furniture, in no organization's name.
const FURNITURE_WORDS: &[&str] = &["newsletter", "newsletters", "subscribe", "advertisement"];

/// Whether a canonical name is no organization: one article, legal form or generic word
/// alone ("The", "LLC", "Copyright"), or a name with a word of a page's links ("Daily
/// Newsletters Manage Newsletters").
fn is_no_organization(name: &str) -> bool {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|word| word.trim_end_matches('.').to_lowercase())
        .collect();
    let lone = |word: &str| NOT_ORGS_ALONE.contains(&word) || COMPANY_CUES.contains(&word);
    matches!(words.as_slice(), [word] if lone(word))
        || words
            .iter()
            .any(|word| FURNITURE_WORDS.contains(&word.as_str()))
}

/// Organization mentions of the article, each with its canonical name. `tagged` holds the
/// tagger's spans when a trained tagger ran (`None`: use the rules of this module).
pub fn find_orgs(
    article: &Article,
    prepared: &Prepared,
    tagged: Option<&[NerSpan]>,
) -> Vec<Mention> {
    let mut mentions = Vec::new();
    for (field, text) in [
        (TextField::Title, article.title.as_str()),
        (TextField::Body, article.body.as_str()),
    ] {
        let tokens = prepared.tokens(field);
        let Some(spans) = tagged else {
            find_in_field(field, text, tokens, &mut mentions);
            continue;
        };
        let org_spans = spans
            .iter()
            .filter(|span| span.field == field && span.label == NerLabel::Org);
        let before = mentions.len();
        // An all-caps headline ("TREASURY BALANCES AT FED ROSE") gives the tagger no case
        // to go on: only single acronyms are taken from it.
        let letters = text.chars().filter(|c| c.is_alphabetic());
        let (upper, total) = letters.fold((0, 0), |(upper, total), c| {
            (upper + usize::from(c.is_uppercase()), total + 1)
        });
        let shouting = field == TextField::Title && total >= 8 && upper * 10 >= total * 9;
        for span in org_spans {
            if shouting
                && text
                    .get(span.start..span.end)
                    .is_none_or(|name| name.contains(' ') || name.len() > 5)
            {
                continue;
            }
            // The tagger reads "US" in "the US plan" as an organization: a country it is.
            let is_country = text
                .get(span.start..span.end)
                .and_then(crate::extract::countries::resolve)
                .is_some();
            if !is_country {
                push(&mut mentions, field, text, span.start, span.end);
            }
        }
        // A "person" made only of words of a company name is the company ("Jones" after
        // "Jones Medical Industries Inc", "Pirelli" after "Pirelli SpA").
        for span in spans
            .iter()
            .filter(|span| span.field == field && span.label == NerLabel::Per)
        {
            if text
                .get(span.start..span.end)
                .is_some_and(|name| prepared.is_company_name(name))
            {
                push(&mut mentions, field, text, span.start, span.end);
            }
        }
        // Well-known names the tagger may read as places ("the Kremlin") are added.
        for position in 0..tokens.len() {
            let Some(length) = known_at(tokens, position) else {
                continue;
            };
            let (start, end) = (tokens[position].start, tokens[position + length - 1].end);
            let seen = mentions[before..]
                .iter()
                .any(|m| m.start < end && start < m.end);
            if !seen {
                push(&mut mentions, field, text, start, end);
            }
        }
    }
    mentions
}

fn find_in_field(field: TextField, text: &str, tokens: &[Token], mentions: &mut Vec<Mention>) {
    let all_caps =
        tokens.len() > 3 && tokens.iter().filter(|t| t.is_all_caps()).count() * 2 > tokens.len();
    let mut position = 0;
    while position < tokens.len() {
        let token = &tokens[position];
        if !token.is_capitalized() {
            position += 1;
            continue;
        }
        if let Some(length) = known_at(tokens, position) {
            push(
                mentions,
                field,
                text,
                token.start,
                tokens[position + length - 1].end,
            );
            position += length;
            continue;
        }
        if !all_caps && is_acronym(token) {
            push(mentions, field, text, token.start, token.end);
            position += 1;
            continue;
        }
        // "Carney's Liberal Party": a possessive ends a name, the organization starts after it.
        if token.possessive {
            position += 1;
            continue;
        }
        // A capitalized run, joined by "of", "for", "on"; kept when it ends in an org word.
        let mut end = position + 1;
        let mut last_capitalized = position;
        while end < tokens.len() && !tokens[end].after_punctuation && !tokens[end].sentence_start {
            let word = tokens[end].text;
            if tokens[end].is_capitalized() {
                last_capitalized = end;
                if tokens[end].possessive {
                    break;
                }
            } else if !matches!(word, "of" | "for" | "on") {
                break;
            }
            end += 1;
        }
        let run = &tokens[position..=last_capitalized];
        let ending = fold(run[run.len() - 1].text);
        // "European Central Bank", and "Bank of England" / "Ministry of Defence".
        let ends_in_org_word = ORG_ENDINGS.contains(&ending.as_str());
        let org_word_of = run
            .windows(2)
            .any(|pair| pair[1].text == "of" && ORG_ENDINGS.contains(&fold(pair[0].text).as_ref()));
        let is_org = run.len() >= 2 && (ends_in_org_word || org_word_of) && !all_caps;
        if is_org {
            let first = usize::from(matches!(
                run[0].text,
                "The" | "A" | "An" | "In" | "At" | "On" | "For"
            ));
            if first < run.len() - 1 {
                push(
                    mentions,
                    field,
                    text,
                    run[first].start,
                    run[run.len() - 1].end,
                );
            }
            position = last_capitalized + 1;
            continue;
        }
        position += 1;
    }
}

/// The words of each known name, split once, grouped by first word.
static KNOWN_WORDS: std::sync::LazyLock<
    rustc_hash::FxHashMap<&'static str, Vec<Vec<&'static str>>>,
> = std::sync::LazyLock::new(|| {
    let mut by_first: rustc_hash::FxHashMap<&'static str, Vec<Vec<&'static str>>> =
        rustc_hash::FxHashMap::default();
    for name in KNOWN {
        let words: Vec<&'static str> = name.split([' ', '&']).filter(|w| !w.is_empty()).collect();
        if let Some(first) = words.first() {
            by_first.entry(first).or_default().push(words);
        }
    }
    by_first
});

/// Length in tokens of a known organization name starting at `position`.
fn known_at(tokens: &[Token], position: usize) -> Option<usize> {
    let candidates = KNOWN_WORDS.get(tokens[position].text)?;
    for words in candidates {
        if position + words.len() > tokens.len() {
            continue;
        }
        if words
            .iter()
            .enumerate()
            .all(|(offset, word)| tokens[position + offset].text == *word)
        {
            return Some(words.len());
        }
    }
    None
}

fn is_acronym(token: &Token) -> bool {
    let text = token.text;
    (2..=6).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && text.chars().filter(char::is_ascii_uppercase).count() >= 2
        && !NOT_ACRONYMS.contains(&text)
        && crate::extract::countries::resolve(text).is_none()
}

fn push(mentions: &mut Vec<Mention>, field: TextField, text: &str, start: usize, end: usize) {
    let Some(written) = text.get(start..end) else {
        return;
    };
    let canonical = written
        .trim_start_matches("the ")
        .trim_start_matches("The ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if canonical.is_empty() || is_no_organization(&canonical) {
        return;
    }
    mentions.push(Mention {
        kind: EntityKind::Org,
        field,
        start,
        end,
        text: written.to_string(),
        canonical,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs(body: &str) -> Vec<String> {
        let article = Article {
            body: body.to_string(),
            ..Article::default()
        };
        let prepared = crate::extract::Prepared::new(&article);
        let mut names: Vec<String> = find_orgs(&article, &prepared, None)
            .into_iter()
            .map(|m| m.canonical)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn lone_generic_words_and_page_links_are_no_organization() {
        for (name, no_organization) in [
            ("The", true),
            ("Copyright", true),
            ("LLC", true),
            ("Inc.", true),
            ("Holdings", true),
            ("Daily Newsletters Manage Newsletters", true),
            ("Times", false),
            ("Example Media LLC", false),
            ("Bank of England", false),
            ("Attorney General's Office", false),
        ] {
            assert_eq!(is_no_organization(name), no_organization, "{name}");
        }
    }

    #[test]
    fn organizations_by_form_and_name() {
        let cases: &[(&str, &[&str])] = &[
            (
                "The Bank of England held rates while the European Central Bank cut.",
                &["Bank of England", "European Central Bank"],
            ),
            ("The Kremlin said NATO was to blame.", &["Kremlin", "NATO"]),
            (
                "Shares in Goldman Sachs and Morgan Stanley rose.",
                &["Goldman Sachs", "Morgan Stanley"],
            ),
            (
                "The Labour Party met; the Supreme Court ruled.",
                &["Labour Party", "Supreme Court"],
            ),
            (
                "Talks in the US and the UK went on. AI is changing work.",
                &[],
            ),
            ("Speaking to reporters, the minister left.", &[]),
        ];
        for (body, expected) in cases {
            assert_eq!(orgs(body), *expected, "{body}");
        }
    }

    #[test]
    fn all_caps_headlines_give_only_acronyms_from_the_tagger() {
        let article = Article {
            title: "TREASURY BALANCES AT FED ROSE ON MARCH 3".to_string(),
            body: "Fed balances rose to 3,412 mln dlrs, the Treasury said.".to_string(),
            ..Article::default()
        };
        let found = crate::extract::extract(&article);
        assert!(
            !found.orgs.iter().any(|org| org.contains("BALANCES")),
            "{:?}",
            found.orgs
        );
    }

    #[test]
    fn all_caps_headlines_are_not_acronyms() {
        assert_eq!(
            orgs("MARKETS RALLY AS BANKS REPORT PROFITS"),
            Vec::<String>::new()
        );
    }
}
