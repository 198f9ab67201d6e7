//! Table tests of hard cases, written as original sentences.

use super::*;
use crate::model::Article;

fn codes_in(title: &str, body: &str, spans: &[NerSpan]) -> Vec<String> {
    let article = Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    let mut codes: Vec<String> = find_countries(&article, spans)
        .into_iter()
        .map(|m| m.canonical)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn codes(body: &str) -> Vec<String> {
    codes_in("", body, &[])
}

#[test]
fn positives() {
    let cases: &[(&str, &[&str])] = &[
        ("Talks resumed in Kyiv on Monday.", &["UA"]),
        ("The U.S. and the UK signed the pact.", &["GB", "US"]),
        ("Officials in America and Britain disagreed.", &["GB", "US"]),
        ("Türkiye and Turkey are the same country.", &["TR"]),
        ("Exports from Ivory Coast and Côte d'Ivoire rose.", &["CI"]),
        ("Ukrainian and Russian negotiators met.", &["RU", "UA"]),
        ("The Kremlin said no deal was reached.", &["RU"]),
        ("A White House spokesman declined to comment.", &["US"]),
        (
            "Downing Street said the prime minister was briefed.",
            &["GB"],
        ),
        ("The Élysée confirmed the visit.", &["FR"]),
        ("Beijing said it would retaliate.", &["CN"]),
        ("Voters in Texas and New Mexico went to the polls.", &["US"]),
        ("The Governor of New Jersey spoke.", &["US"]),
        ("Ukraine's president flew to Paris.", &["FR", "UA"]),
        ("Malaria cases fell in Nairobi last year.", &["KE"]),
        ("PRESIDENT VISITS CHINA", &["CN"]),
        (
            "Atlanta, Georgia is hosting the debate; Georgia voters turned out early.",
            &["US"],
        ),
        (
            "Protesters filled the streets of Tbilisi, the capital of Georgia.",
            &["GE"],
        ),
        (
            "Georgia's ruling party won the vote, Georgian officials said.",
            &["GE"],
        ),
        (
            "The Democratic Republic of the Congo and the DRC are one place.",
            &["CD"],
        ),
        ("He grew up in Birmingham, Alabama.", &["US"]),
        ("Paris, Texas, has a small Eiffel Tower.", &["US"]),
    ];
    for (text, expected) in cases {
        assert_eq!(codes(text), *expected, "{text}");
    }
}

#[test]
fn traps() {
    let cases: &[(&str, &[&str])] = &[
        ("Paris Hilton released a new single.", &[]),
        ("Jordan Henderson scored twice for the club.", &[]),
        ("Drummer Chad Smith joined the band on stage.", &[]),
        ("Michael Jordan bought a new team.", &[]),
        ("They served tea in fine china at the wedding.", &[]),
        ("She set the table with the good China plates.", &[]),
        ("The family ate roast turkey at Thanksgiving.", &[]),
        ("A Thanksgiving Turkey dinner was served.", &[]),
        (
            "Prices rose across Latin America and the Indian Ocean islands.",
            &[],
        ),
        ("Jersey City officials met on Tuesday.", &[]),
        ("Let us know what you think.", &[]),
        ("The guinea pig escaped.", &[]),
        ("Whitney Houston sang the anthem.", &[]),
    ];
    for (text, expected) in cases {
        assert_eq!(codes(text), *expected, "{text}");
    }
}

#[test]
fn person_spans_are_never_countries() {
    let body = "India Walton won the primary.";
    let spans = [NerSpan {
        field: TextField::Body,
        start: 0,
        end: 12,
        label: NerLabel::Per,
    }];
    assert_eq!(codes_in("", body, &spans), Vec::<String>::new());
    assert_eq!(codes_in("", "Leaders met in India on Monday.", &[]), ["IN"]);
}

#[test]
fn mentions_have_offsets_into_their_field() {
    let article = Article {
        title: "Kyiv talks".to_string(),
        body: "Envoys flew to Moscow's airport.".to_string(),
        ..Article::default()
    };
    let mentions = find_countries(&article, &[]);
    let found: Vec<(TextField, usize, usize, &str, &str)> = mentions
        .iter()
        .map(|m| {
            (
                m.field,
                m.start,
                m.end,
                m.text.as_str(),
                m.canonical.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (TextField::Title, 0, 4, "Kyiv", "UA"),
            (TextField::Body, 15, 21, "Moscow", "RU")
        ]
    );
}

#[test]
fn user_values_resolve() {
    let cases = [
        ("UA", Some("UA")),
        ("ua", Some("UA")),
        ("Ukraine", Some("UA")),
        ("ukrainian", Some("UA")),
        ("Ukrainians", Some("UA")),
        ("UK", Some("GB")),
        ("united kingdom", Some("GB")),
        ("Britain", Some("GB")),
        ("British", Some("GB")),
        ("usa", Some("US")),
        ("turkiye", Some("TR")),
        ("Kremlin", Some("RU")),
        ("Narnia", None),
    ];
    for (value, expected) in cases {
        assert_eq!(resolve(value), expected, "{value}");
    }
    assert_eq!(name("ua"), Some("Ukraine"));
    assert_eq!(name("GB"), Some("United Kingdom"));
    assert_eq!(
        suggestions("Ukrane", 3).first().map(String::as_str),
        Some("Ukraine")
    );
}

#[test]
fn data_has_no_conflicting_aliases() {
    // Every phrase maps to one country, except deliberate ambiguity: cities shared by
    // several countries (resolved by context), Georgia (state and country), and blockers.
    let gazetteer = &*GAZETTEER;
    for (phrase, entries) in &gazetteer.phrases {
        let non_city: HashSet<&str> = entries
            .iter()
            .filter(|entry| !matches!(entry.kind, Kind::City))
            .map(|entry| entry.code)
            .collect();
        assert!(
            non_city.len() <= 1 || phrase == "georgia",
            "{phrase} maps to {non_city:?}"
        );
    }
}

#[test]
fn loading_is_fast() {
    let started = std::time::Instant::now();
    let _ = &*GAZETTEER;
    // Generous bound for debug builds on a loaded machine; release loads in a few ms.
    assert!(started.elapsed().as_millis() < 2000);
}
