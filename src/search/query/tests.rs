//! Query building against small indexes: the scoring and matching queries agree, date
//! filters keep their edges.

use super::*;
use crate::model::{Article, Entities};
use tantivy::collector::DocSetCollector;

/// Titles and bodies where words sit in one field only, and a phrase that would run
/// from the end of a title into the start of its body.
fn index() -> ArticleIndex {
    let index = ArticleIndex::in_ram().unwrap();
    let writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
    let articles = [
        (
            "t",
            "Ceasefire holds in the north",
            "Shelling stopped overnight.",
        ),
        ("b", "Quiet night", "A ceasefire was agreed by both sides."),
        ("x", "Talks on peace", "Talks continue in Geneva next week."),
        ("n", "Markets rally", "Shares rose as oil prices fell."),
    ];
    for (id, title, body) in articles {
        let article = Article {
            id: id.to_string(),
            path: format!("{id}.txt"),
            title: title.to_string(),
            body: body.to_string(),
            hash: id.to_string(),
            ..Article::default()
        };
        index.add_own(&writer, &article, &Entities::default());
    }
    let mut writer = writer;
    writer.commit().unwrap();
    index
}

/// Sorted ids of the documents a query matches.
fn ids(index: &ArticleIndex, searcher: &Searcher, query: &dyn Query) -> Vec<String> {
    let mut ids: Vec<String> = searcher
        .search(query, &DocSetCollector)
        .unwrap()
        .into_iter()
        .map(|address| {
            let document: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            index.stored_article_with(&document, false).id
        })
        .collect();
    ids.sort();
    ids
}

/// Whether a "title or body" union of one word or phrase is left anywhere in `query`.
fn has_union(query: &dyn Query, index: &ArticleIndex) -> bool {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return false;
    };
    title_or_body(boolean.clauses(), &index.fields).is_some()
        || boolean
            .clauses()
            .iter()
            .any(|(_, clause)| has_union(clause.as_ref(), index))
}

#[test]
fn body_led_queries_keep_documents_and_scores() {
    let index = index();
    let searcher = index.searcher().unwrap();
    let top = |query: &dyn Query| {
        let mut found: Vec<(String, f32)> = searcher
            .search(
                query,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap()
            .into_iter()
            .map(|(score, address)| {
                let document: tantivy::TantivyDocument = searcher.doc(address).unwrap();
                (index.stored_article_with(&document, false).id, score)
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    };
    // (query, a union is kept: a lone word, whose union allows block-max WAND)
    let cases = [
        ("ceasefire", true),
        ("ceasefire agreed", false),
        ("talks geneva", false),
        ("\"ceasefire holds\"", false),
        ("\"talks continue\" geneva", false),
        ("ceasefire -shelling", false),
        ("title:ceasefire north", false),
    ];
    for (text, union_kept) in cases {
        let request = SearchRequest {
            query: Some(text.to_string()),
            ..SearchRequest::default()
        };
        let built = build(&index, &searcher, &request).unwrap();
        let unions = parse_text(&index, text).unwrap();
        assert_eq!(
            has_union(built.query.as_ref(), &index),
            union_kept,
            "{text}"
        );
        assert!(
            !has_union(built.matches.as_ref(), &index),
            "{text}: matches"
        );
        assert!(!top(unions.as_ref()).is_empty(), "{text}: matches nothing");
        assert_eq!(top(built.query.as_ref()), top(unions.as_ref()), "{text}");
    }
}

#[test]
fn date_filters_keep_whole_days_and_exact_seconds() {
    let index = ArticleIndex::in_ram().unwrap();
    let mut writer = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
    let dates = [
        ("eve", Some("1969-12-31T23:00:00Z")),
        ("late", Some("2025-03-04T23:59:59Z")),
        ("midnight", Some("2025-03-05T00:00:00Z")),
        ("noon", Some("2025-03-05T12:00:00Z")),
        ("last", Some("2025-03-05T23:59:59Z")),
        ("next", Some("2025-03-06T00:00:00Z")),
        ("undated", None),
    ];
    for (id, date) in dates {
        let article = Article {
            id: id.to_string(),
            path: format!("{id}.txt"),
            title: "Budget vote".to_string(),
            body: "The budget passed.".to_string(),
            hash: id.to_string(),
            date: date.map(|date| DateTime::parse_from_rfc3339(date).unwrap().to_utc()),
            ..Article::default()
        };
        index.add_own(&writer, &article, &Entities::default());
    }
    writer.commit().unwrap();
    let searcher = index.searcher().unwrap();
    let cases: [(Option<&str>, Option<&str>, &[&str]); 6] = [
        (
            Some("2025-03-05"),
            Some("2025-03-05"),
            &["last", "midnight", "noon"],
        ),
        (
            Some("2025-03-05T12:00:00Z"),
            Some("2025-03-06"),
            &["last", "next", "noon"],
        ),
        (None, Some("2025-03-04"), &["eve", "late"]),
        (
            Some("2025-03"),
            None,
            &["last", "late", "midnight", "next", "noon"],
        ),
        (Some("1969-12-31"), Some("1969-12-31"), &["eve"]),
        (
            Some("2025-03-04T23:59:59Z"),
            Some("2025-03-05T00:00:00Z"),
            &["late", "midnight"],
        ),
    ];
    for (from, to, expected) in cases {
        let request = SearchRequest {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..SearchRequest::default()
        };
        let built = build(&index, &searcher, &request).unwrap();
        assert_eq!(
            ids(&index, &searcher, built.matches.as_ref()),
            expected,
            "{from:?} to {to:?}"
        );
    }
}

#[test]
fn the_body_only_query_matches_what_the_scoring_query_matches() {
    let index = index();
    let searcher = index.searcher().unwrap();
    let cases: [(&str, &[&str]); 9] = [
        ("ceasefire", &["b", "t"]),
        ("\"ceasefire holds\"", &["t"]),
        ("ceasefire -shelling", &["b"]),
        ("title:ceasefire", &["t"]),
        ("ceasefire OR rally", &["b", "n", "t"]),
        ("ceas*", &["b", "t"]),
        ("-ceasefire", &["n", "x"]),
        // "peace" ends a title and "talks" starts its body: not a phrase.
        ("\"peace talks\"", &[]),
        ("\"talks continue\"", &["x"]),
    ];
    for (text, expected) in cases {
        let request = SearchRequest {
            query: Some(text.to_string()),
            ..SearchRequest::default()
        };
        let built = build(&index, &searcher, &request).unwrap();
        let scored = ids(&index, &searcher, built.query.as_ref());
        let matched = ids(&index, &searcher, built.matches.as_ref());
        assert_eq!(scored, expected, "{text}: scoring query");
        assert_eq!(matched, expected, "{text}: body-only query");
    }
}
