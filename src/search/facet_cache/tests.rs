//! The cache against tantivy's own columns and sorts, and its building blocks.

#[test]
fn batches_hold_every_set_document_in_order_and_stop_at_max_doc() {
    // Every third document of 2,000 set, and bits past max_doc = 1,990 set too.
    let max_doc = 1_990;
    let mut bits = vec![0u64; 2_048 / 64];
    for doc in (0..2_048u32).filter(|doc| doc % 3 == 0 || *doc >= max_doc) {
        bits[(doc / 64) as usize] |= 1 << (doc % 64);
    }
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    super::for_each_batch(&bits, max_doc, |docs| {
        seen.extend_from_slice(docs);
        sizes.push(docs.len());
    });
    let expected: Vec<u32> = (0..max_doc).filter(|doc| doc % 3 == 0).collect();
    assert_eq!(seen, expected);
    assert!(sizes.iter().all(|size| *size <= 320), "{sizes:?}");
    assert!(sizes.len() >= 3, "{sizes:?}");
}

#[test]
fn top_counts_break_ties_at_the_cut_by_value() {
    let names: Vec<Box<str>> = ["e", "d", "c", "b", "a", "z"].map(Box::from).to_vec();
    let counts = [2, 5, 2, 2, 0, 9];
    let top = |limit| {
        super::top_counts(super::FacetKind::Person, &names, &counts, limit)
            .into_iter()
            .map(|found| format!("{}={}", found.value, found.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(top(3), ["z=9", "d=5", "b=2"]);
    assert_eq!(top(4), ["z=9", "d=5", "b=2", "c=2"]);
    assert_eq!(top(10), ["z=9", "d=5", "b=2", "c=2", "e=2"]);
    assert!(top(0).is_empty());
}

#[test]
fn rows_count_alike_in_16_and_32_bits() {
    // Two rows: counts per column (country, person, topic, org, source), then the ids.
    for (big, narrow) in [(65_535, true), (65_536, false)] {
        let first = [1, 3, 0, 1, 0, 7, big, 2, big, 4];
        let second = [0, 1, 2, 0, 1, 2, 9, 9, 5];
        let cells: Vec<u32> = first.iter().chain(&second).copied().collect();
        let cells = super::Cells::new(cells, narrow);
        assert_eq!(matches!(cells, super::Cells::Narrow(_)), narrow);
        // Person, org and topic, in that order.
        let columns = [1, 3, 2];
        let mut tallies: Vec<_> = (0..3)
            .map(|_| super::Tally::new(big as usize + 1))
            .collect();
        cells.count_row(0, &columns, &mut tallies);
        cells.count_row(first.len(), &columns, &mut tallies);
        let counts: Vec<Vec<u32>> = tallies.into_iter().map(super::Tally::counts).collect();
        let found = |slot: usize| -> Vec<(usize, u32)> {
            counts[slot]
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(id, count)| (id, *count))
                .collect()
        };
        assert_eq!(found(0), [(2, 2), (big as usize, 2)], "person");
        assert_eq!(found(1), [(4, 1)], "org");
        assert_eq!(found(2), [(9, 2)], "topic");
    }
}

#[test]
fn tallies_carry_past_a_byte() {
    let mut tally = super::Tally::new(3);
    for _ in 0..600 {
        tally.add(1);
    }
    for _ in 0..256 {
        tally.add(2);
    }
    tally.add(0);
    assert_eq!(tally.counts(), [1, 600, 256]);
}

use crate::index::ArticleIndex;
use crate::model::{Article, Entities};
use crate::search::{FacetKind, SearchRequest, search};
use chrono::{TimeZone, Utc};

/// 300 articles in three segments, with varied entities, undated ones and deletions.
fn varied_index() -> ArticleIndex {
    let index = ArticleIndex::in_ram().unwrap();
    let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for number in 0..300u32 {
        let words = if number % 3 == 0 {
            "common rare"
        } else {
            "common"
        };
        let article = Article {
            id: format!("a{number}"),
            title: format!("Story {number}"),
            body: format!("A {words} story number {number}."),
            date: (number % 7 != 0).then(|| {
                Utc.with_ymd_and_hms(2015 + (number % 5) as i32, 3, 1, 0, 0, 0)
                    .unwrap()
            }),
            source: (number % 4 != 0).then(|| format!("Source {}", number % 3)),
            hash: format!("{number:016x}"),
            ..Article::default()
        };
        let entities = Entities {
            people: (0..number % 4).map(|p| format!("Person {p}")).collect(),
            countries: vec![["FR", "UA", "US"][(number % 3) as usize].to_string()],
            orgs: (number % 5 == 0)
                .then(|| "Org/With Slash".to_string())
                .into_iter()
                .collect(),
            topics: vec!["politics".to_string()],
            ..Entities::default()
        };
        index.add_own(&writer, &article, &entities);
        if number % 100 == 99 {
            writer.commit().unwrap();
        }
    }
    for deleted in ["a5", "a150", "a151"] {
        writer.delete_term(tantivy::Term::from_field_text(index.fields.id, deleted));
    }
    writer.commit().unwrap();
    index
}

#[test]
fn cached_date_order_equals_the_fast_field_sort() {
    use crate::search::SortOrder;
    let index = varied_index();
    let cached = index.clone().keep_facet_cache();
    // Five distinct dates over 300 articles (ties broken by id64), a seventh undated,
    // three deleted; pages deep enough to reach the undated ones.
    for sort in [SortOrder::Newest, SortOrder::Oldest] {
        for (query, facets) in [("", false), ("rare", false), ("common", true)] {
            for (limit, offset) in [(1, 0), (10, 0), (25, 250), (40, 270)] {
                let request = SearchRequest {
                    query: Some(query.to_string()),
                    sort,
                    limit,
                    offset,
                    facets: if facets {
                        vec![FacetKind::Year]
                    } else {
                        vec![]
                    },
                    ..SearchRequest::default()
                };
                let ids = |response: crate::search::SearchResponse| {
                    let ids: Vec<String> = response.hits.into_iter().map(|hit| hit.id).collect();
                    (response.total, ids)
                };
                let expected = ids(search(&index, &request).unwrap());
                assert!(
                    !expected.1.is_empty() || offset >= expected.0,
                    "{query} {offset}"
                );
                assert_eq!(
                    ids(search(&cached, &request).unwrap()),
                    expected,
                    "{sort:?} {query:?} limit {limit} offset {offset}"
                );
            }
        }
    }
}

#[test]
fn cached_counts_equal_column_counts() {
    let index = varied_index();
    assert_eq!(index.searcher().unwrap().segment_readers().len(), 3);
    let cached = index.clone().keep_facet_cache();
    // "common" matches most of each segment (counted by complement), "rare" a third,
    // the person filter a few.
    for (query, people) in [("common", vec![]), ("rare", vec![]), ("", vec!["Person 2"])] {
        let request = SearchRequest {
            query: Some(query.to_string()),
            people: people.iter().map(|p| p.to_string()).collect(),
            limit: 3,
            facets: FacetKind::ALL.to_vec(),
            facet_limit: 4,
            ..SearchRequest::default()
        };
        let expected = search(&index, &request).unwrap();
        let found = search(&cached, &request).unwrap();
        assert_eq!(found.total, expected.total, "{query}");
        assert_eq!(found.facets, expected.facets, "{query}");
    }
    let all = SearchRequest {
        query: Some("common".to_string()),
        facets: FacetKind::ALL.to_vec(),
        facet_limit: 10,
        ..SearchRequest::default()
    };
    let found = search(&cached, &all).unwrap();
    assert_eq!(found.total, 297);
    let values = |kind: &str| -> Vec<(String, u64)> {
        found.facets[kind]
            .iter()
            .map(|facet| (facet.value.clone(), facet.count))
            .collect()
    };
    // The deleted a5, a150 and a151 are in US, FR and UA.
    assert_eq!(
        values("country"),
        [("FR".into(), 99), ("UA".into(), 99), ("US".into(), 99)]
    );
    assert_eq!(values("org"), [("Org/With Slash".into(), 58)]);
    let undated = (0..300).filter(|n| n % 7 == 0).count() as u64;
    let dated: u64 = found.facets["year"].iter().map(|facet| facet.count).sum();
    assert_eq!(dated, 297 - undated);
}
