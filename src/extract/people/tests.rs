//! Table tests of hard cases, written as original sentences.

use super::*;

fn people(title: &str, body: &str) -> Vec<String> {
    let article = Article {
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    let places = crate::extract::countries::find_countries(&article, &[]);
    let mut names: Vec<String> = find_people(
        &article,
        &crate::extract::Prepared::new(&article),
        None,
        &places,
    )
    .into_iter()
    .map(|m| m.canonical)
    .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn full_names_and_later_mentions_join() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Prime Minister Keir Starmer spoke on Monday. Mr Starmer said the vote would pass.",
            &["Keir Starmer"],
        ),
        (
            "Vladimir Putin met the envoys. Putin's aide said talks were useful.",
            &["Vladimir Putin"],
        ),
        (
            "Talks with Ursula von der Leyen went on late. Von der Leyen said a deal was close.",
            &["Ursula von der Leyen"],
        ),
        (
            "Luiz Inácio Lula da Silva opened the summit. Lula said the forests must be saved.",
            &["Luiz Inácio Lula da Silva"],
        ),
        (
            "Recep Tayyip Erdoğan hosted the talks. Erdogan later left for Ankara.",
            &["Recep Tayyip Erdoğan"],
        ),
        (
            "Volodymyr Zelenskyy spoke by video. Zelensky thanked the allies, and Zelenskiy left.",
            &["Volodymyr Zelenskyy"],
        ),
        (
            "J.D. Vance arrived in the evening. Vance spoke briefly.",
            &["J.D. Vance"],
        ),
        (
            "Crown Prince Mohammed bin Salman met the delegation.",
            &["Mohammed bin Salman"],
        ),
        (
            "Senator Mitch McConnell and Conan O'Brien were both there.",
            &["Conan O'Brien", "Mitch McConnell"],
        ),
        ("President Macron spoke to reporters.", &["Macron"]),
    ];
    for (body, expected) in cases {
        assert_eq!(people("", body), *expected, "{body}");
    }
}

#[test]
fn things_that_are_not_people() {
    let cases: &[(&str, &[&str])] = &[
        ("Speaking to reporters, the minister said little.", &[]),
        ("Shares in Morgan Stanley and Goldman Sachs fell.", &[]),
        (
            "The Bank of England held rates. The European Central Bank cut them.",
            &[],
        ),
        ("Crowds gathered in Las Vegas and New York on Monday.", &[]),
        (
            "Storm Eowyn hit the coast. The Supreme Court ruled on Friday.",
            &[],
        ),
        ("Putin spoke.", &[]),
    ];
    for (body, expected) in cases {
        assert_eq!(people("", body), *expected, "{body}");
    }
}

#[test]
fn reporters_in_the_byline_are_not_people_of_the_story() {
    let article = Article {
        body: "Anna Berg reported that Maria Lopez won the race.".to_string(),
        byline: Some("Anna Berg".to_string()),
        ..Article::default()
    };
    let names: Vec<String> = find_people(
        &article,
        &crate::extract::Prepared::new(&article),
        None,
        &[],
    )
    .into_iter()
    .map(|m| m.canonical)
    .collect();
    assert_eq!(names, ["Maria Lopez"]);
}

#[test]
fn headline_case_titles_only_confirm_body_names() {
    assert_eq!(
        people(
            "Starmer Faces Labour Backlash Over Welfare Vote",
            "Keir Starmer met MPs."
        ),
        ["Keir Starmer"]
    );
}

#[test]
fn mentions_point_at_the_name() {
    let article = Article {
        body: "Mr Starmer said. Keir Starmer's plan.".to_string(),
        ..Article::default()
    };
    let mentions = find_people(
        &article,
        &crate::extract::Prepared::new(&article),
        None,
        &[],
    );
    let spans: Vec<(&str, &str)> = mentions
        .iter()
        .map(|m| (m.text.as_str(), m.canonical.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            ("Starmer", "Keir Starmer"),
            ("Keir Starmer", "Keir Starmer")
        ]
    );
    assert_eq!(
        &article.body[mentions[1].start..mentions[1].end],
        "Keir Starmer"
    );
}

/// People of the whole pipeline (trained tagger included), sorted canonical names.
fn tagged_people(body: &str) -> Vec<String> {
    let article = Article {
        title: "Report".to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    crate::extract::extract(&article).people
}

#[test]
fn a_title_tagged_alone_is_no_person() {
    // The tagger sometimes labels "Mr" of "Mr Trump's" on its own.
    let body = "Markets fell after Mr Trump's new tariff threat on Friday.";
    let article = Article {
        body: body.to_string(),
        ..Article::default()
    };
    let start = body.find("Mr").unwrap();
    let spans = [NerSpan {
        field: TextField::Body,
        start,
        end: start + 2,
        label: NerLabel::Per,
    }];
    let found: Vec<String> = find_people(
        &article,
        &crate::extract::Prepared::new(&article),
        Some(&spans),
        &[],
    )
    .into_iter()
    .map(|mention| mention.canonical)
    .collect();
    // "Trump" alone, untagged and with no full name, is no person either; "Mr" was one.
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn tagger_and_rules_agree_on_hard_cases() {
    let cases: &[(&str, &[&str])] = &[
        // A sentence opener never widens a name.
        (
            "The talks stalled in the spring. Neither Lebed nor his rival made any statement.",
            &["Lebed"],
        ),
        // An initial is not the article "a"; the regnal number belongs to the monarch.
        (
            "The scorecard showed A. Whitcombe out for 40 runs on a slow pitch.",
            &["A. Whitcombe"],
        ),
        (
            "1603 - Queen Elizabeth I died at Richmond Palace after a long reign.",
            &["Elizabeth I"],
        ),
        // A title word that ends the name is the surname.
        (
            "\"We are ready for the final,\" said captain Billie Jean King. \"It is ours to lose,\" said King.",
            &["Billie Jean King"],
        ),
        // Particles, also glued with a hyphen, and hyphenated given names.
        (
            "The goal came after a mistake by midfielder Joaquin del Olmo in the first half.",
            &["Joaquin del Olmo"],
        ),
        (
            "The envoy represented President Zine al-Abidine Ben Ali at the ceremony in Tripoli.",
            &["Zine al-Abidine Ben Ali"],
        ),
        // Hyphenated military ranks and party labels are titles.
        (
            "The army's commander, Major-General Nikolai Sherbatov, toured the border posts.",
            &["Nikolai Sherbatov"],
        ),
        (
            "Democrat Walter Mondale promised higher taxes during the campaign.",
            &["Walter Mondale"],
        ),
        // A given name alone is the one full name starting with it, unless two do.
        (
            "Top seed Maren Okafor beat Lise Varga in the final. \"Maren is the best player I have faced,\" Varga said.",
            &["Lise Varga", "Maren Okafor"],
        ),
        (
            "Tomas Berg and Tomas Lind both scored. \"Tomas deserves the award,\" the coach said.",
            &["Tomas", "Tomas Berg", "Tomas Lind"],
        ),
        // Named storms and companies named like things are not people.
        (
            "Storm Floris closed roads on Monday. Floris also cut power, and Network Rail shut lines, said First Minister John Swinney.",
            &["John Swinney"],
        ),
        // A company name does not become a person when its first word is a surname.
        (
            "Harlow Medical Industries Inc said on Friday it had agreed to buy a rival. Harlow shares rose 3 percent, and Harlow said the deal would close in March.",
            &[],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(tagged_people(body), *expected, "{body}");
    }
}

#[test]
fn org_lookalikes_are_several_words() {
    // push_candidate only checks them for names of two words or more.
    assert!(
        super::words::ORG_LOOKALIKES
            .iter()
            .all(|name| name.contains(' '))
    );
}
