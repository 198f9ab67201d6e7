//! JSON exports: an object, an array of objects, a wrapper such as `{"articles": [...]}`,
//! or JSON Lines (one object a line, where a bad line costs only that line).

use super::{FileArticles, html::html_to_text};
use crate::dates::parse_date;
use crate::model::RawArticle;
use serde_json::{Map, Value};

const TITLE_KEYS: [&str; 3] = ["title", "headline", "name"];
const BODY_KEYS: [&str; 8] = [
    "body",
    "text",
    "content",
    "content_original",
    "maintext",
    "article",
    "articlebody",
    "description",
];
const DATE_KEYS: [&str; 9] = [
    "date",
    "published",
    "published_at",
    "pubdate",
    "date_publish",
    "datepublished",
    "publishedat",
    "publish_date",
    "created_at",
];
const URL_KEYS: [&str; 4] = ["url", "link", "source_url", "permalink"];
const SOURCE_KEYS: [&str; 4] = ["source", "publisher", "outlet", "site_name"];
const BYLINE_KEYS: [&str; 4] = ["byline", "author", "authors", "creator"];
const ID_KEYS: [&str; 4] = ["id", "guid", "uuid", "_id"];
const LANG_KEYS: [&str; 2] = ["lang", "language"];
const WRAPPER_KEYS: [&str; 6] = ["articles", "items", "data", "results", "entries", "docs"];

/// Reads a `.json` file.
pub fn read_document(text: &str) -> Result<FileArticles, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| format!("invalid json: {error}"))?;
    let mut found = FileArticles::default();
    let objects = article_objects(&value);
    if objects.is_empty() {
        return Err("no article objects in json".to_string());
    }
    for (position, object) in objects.into_iter().enumerate() {
        match article_from_object(object) {
            Some(article) => found.articles.push(article),
            None => found
                .warnings
                .push(format!("item {position}: no title or body")),
        }
    }
    if found.articles.is_empty() {
        return Err("no object has a title or body".to_string());
    }
    Ok(found)
}

/// Reads a `.jsonl`/`.ndjson` file.
pub fn read_lines(text: &str) -> Result<FileArticles, String> {
    let mut found = FileArticles::default();
    let mut bad_lines = 0;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(error) => {
                bad_lines += 1;
                found
                    .warnings
                    .push(format!("line {}: invalid json: {error}", number + 1));
                continue;
            }
        };
        let article = value.as_object().and_then(article_from_object);
        match article {
            // The line number is the item, so ids stay put when a bad line is fixed.
            Some(article) => found.articles.push(RawArticle {
                item: number,
                ..article
            }),
            None => found
                .warnings
                .push(format!("line {}: no title or body", number + 1)),
        }
    }
    if found.articles.is_empty() {
        let reason = if bad_lines > 0 {
            "no valid json line"
        } else {
            "no article in json lines"
        };
        return Err(reason.to_string());
    }
    Ok(found)
}

/// The article objects of a document: the object itself, the array's objects or those of a
/// wrapper key.
fn article_objects(value: &Value) -> Vec<&Map<String, Value>> {
    match value {
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        Value::Object(object) => {
            for key in WRAPPER_KEYS {
                if let Some(Value::Array(items)) = get(object, &[key]) {
                    return items.iter().filter_map(Value::as_object).collect();
                }
            }
            vec![object]
        }
        _ => Vec::new(),
    }
}

/// The first present, non-empty value among `keys` (case-insensitive).
fn get<'a>(object: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    for key in keys {
        for (name, value) in object {
            if name.eq_ignore_ascii_case(key) && !is_empty(value) {
                return Some(value);
            }
        }
    }
    None
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A string, a number, or the `name` of an object; arrays are joined with ", ".
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Object(object) => get(object, &["name", "title", "value"]).and_then(text_of),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(text_of)
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// Builds an article from one JSON object; `None` when it has neither title nor body.
fn article_from_object(object: &Map<String, Value>) -> Option<RawArticle> {
    let field = |keys: &[&str]| {
        get(object, keys)
            .and_then(text_of)
            .filter(|text| !text.is_empty())
    };
    let title = field(&TITLE_KEYS).map(|title| html_to_text(&title).replace('\n', " "));
    let body = field(&BODY_KEYS).map(|body| {
        if body.contains('<') && body.contains('>') {
            html_to_text(&body)
        } else {
            body
        }
    });
    if title.is_none() && body.is_none() {
        return None;
    }
    let date = get(object, &DATE_KEYS).and_then(|value| match value {
        Value::Number(number) => number.as_i64().and_then(|seconds| {
            chrono::DateTime::from_timestamp(
                if seconds > 100_000_000_000 {
                    seconds / 1000
                } else {
                    seconds
                },
                0,
            )
        }),
        other => text_of(other).and_then(|text| parse_date(&text)),
    });
    Some(RawArticle {
        source_id: field(&ID_KEYS),
        title,
        body: body.unwrap_or_default(),
        date,
        source: field(&SOURCE_KEYS),
        url: field(&URL_KEYS),
        byline: field(&BYLINE_KEYS),
        lang: field(&LANG_KEYS),
        ..RawArticle::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_object_with_aliases() {
        let text = r#"{"headline": "Dam reopens", "content": "Water flows again.", "published_at": "2025-03-04T10:00:00Z",
            "link": "https://example.org/dam", "publisher": {"name": "Valley News"}, "authors": [{"name": "Ivo Tan"}, "Lea Park"], "ID": 7}"#;
        let found = read_document(text).unwrap();
        let article = &found.articles[0];
        assert_eq!(article.title.as_deref(), Some("Dam reopens"));
        assert_eq!(article.body, "Water flows again.");
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-03-04T10:00:00+00:00")
        );
        assert_eq!(article.url.as_deref(), Some("https://example.org/dam"));
        assert_eq!(article.source.as_deref(), Some("Valley News"));
        assert_eq!(article.byline.as_deref(), Some("Ivo Tan, Lea Park"));
        assert_eq!(article.source_id.as_deref(), Some("7"));
    }

    #[test]
    fn arrays_and_wrappers() {
        let array = r#"[{"title": "One", "text": "A."}, {"title": "Two", "body": "<p>B &amp; C.</p><p>D.</p>"}, 5, {"foo": 1}]"#;
        let found = read_document(array).unwrap();
        assert_eq!(found.articles.len(), 2);
        assert_eq!(found.articles[1].body, "B & C.\n\nD.");
        assert_eq!(found.warnings, ["item 2: no title or body"]);
        let wrapped = r#"{"status": "ok", "articles": [{"title": "Three", "description": "E."}]}"#;
        assert_eq!(
            read_document(wrapped).unwrap().articles[0].title.as_deref(),
            Some("Three")
        );
    }

    #[test]
    fn empty_date_and_body_fallbacks() {
        let text = r#"{"title": "T", "body": "", "text": "Fallback body.", "date": ""}"#;
        let article = &read_document(text).unwrap().articles[0];
        assert_eq!(article.body, "Fallback body.");
        assert_eq!(article.date, None);
    }

    #[test]
    fn broken_documents_are_errors() {
        assert!(
            read_document(r#"{"title": "cut off", "body": "the"#)
                .unwrap_err()
                .starts_with("invalid json: EOF while parsing")
        );
        assert_eq!(
            read_document("[1, 2]").unwrap_err(),
            "no article objects in json"
        );
        let deep = "[".repeat(200_000);
        assert!(
            read_document(&deep)
                .unwrap_err()
                .starts_with("invalid json: recursion limit exceeded")
        );
    }

    #[test]
    fn a_bad_line_skips_only_that_line() {
        let text = "{\"title\": \"A\", \"body\": \"x\"}\n{\"title\": \"B\", \n\n{\"title\": \"C\", \"body\": \"y\"}\n";
        let found = read_lines(text).unwrap();
        let titles: Vec<_> = found
            .articles
            .iter()
            .map(|a| (a.item, a.title.clone().unwrap()))
            .collect();
        assert_eq!(titles, [(0, "A".to_string()), (3, "C".to_string())]);
        assert_eq!(found.warnings.len(), 1);
        assert!(
            found.warnings[0].starts_with("line 2: invalid json"),
            "{:?}",
            found.warnings
        );
        assert_eq!(read_lines("not json\n").unwrap_err(), "no valid json line");
    }
}
