//! Saved web pages: metadata from the page's head (Open Graph, JSON-LD, meta tags) and the
//! main text of the article, never menus, headers, footers, side lists, banners or scripts.

use super::{FileArticles, text::is_junk};
use crate::dates::parse_date;
use crate::model::RawArticle;
use dom_query::{Document, NodeRef};
use serde_json::Value;

/// Elements that never hold article text.
const NOISE_ELEMENTS: &str = "script, style, noscript, template, svg, iframe, form, button, select, nav, aside, footer, header, figure figcaption, [hidden], [aria-hidden=true]";

/// Class or id fragments of page furniture: banners, share bars, "most read" lists, ...
const NOISE_MARKERS: [&str; 24] = [
    "cookie",
    "consent",
    "banner",
    "newsletter",
    "related",
    "most-read",
    "mostread",
    "most_read",
    "popular",
    "promo",
    "share",
    "social",
    "advert",
    "ad-slot",
    "subscribe",
    "paywall",
    "comments",
    "breadcrumb",
    "sidebar",
    "trending",
    "recommend",
    "read-more",
    "outbrain",
    "taboola",
];

/// Elements whose end starts a new paragraph.
const BLOCK_ELEMENTS: [&str; 24] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "tr",
    "table",
    "pre",
    "hr",
    "dd",
    "dt",
    "figure",
    "body",
    "center",
];

/// Reads one saved web page.
pub fn read(html: &str) -> Result<FileArticles, String> {
    let document = Document::from(html);
    let json_ld = json_ld_article(&document);
    let mut article = RawArticle {
        title: page_title(&document, json_ld.as_ref()),
        date: page_date(&document, json_ld.as_ref()),
        source: meta(&document, "property", "og:site_name").or_else(|| {
            json_ld
                .as_ref()
                .and_then(|ld| ld_text(ld.get("publisher")?))
        }),
        url: attribute(&document, "link[rel=canonical]", "href")
            .or_else(|| meta(&document, "property", "og:url")),
        byline: meta(&document, "name", "author")
            .or_else(|| json_ld.as_ref().and_then(|ld| ld_text(ld.get("author")?))),
        lang: attribute(&document, "html", "lang")
            .map(|lang| lang.split('-').next().unwrap_or("").to_string()),
        ..RawArticle::default()
    };
    remove_noise(&document);
    let body = main_text(&document);
    let title = article.title.clone().unwrap_or_default();
    let paragraphs: Vec<&str> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty() && *paragraph != title && !is_junk(paragraph))
        .collect();
    article.body = paragraphs.join("\n\n");
    if article.body.is_empty() && article.title.is_none() {
        return Err("no article text in page".to_string());
    }
    article.lang = super::non_empty(article.lang);
    Ok(FileArticles {
        articles: vec![article],
        warnings: Vec::new(),
    })
}

/// Converts an HTML fragment (a feed description, a JSON body) to text with paragraphs
/// separated by blank lines and entities decoded.
pub fn html_to_text(html: &str) -> String {
    let document = Document::fragment(html);
    document
        .select("script, style, noscript, template")
        .remove();
    let text = block_text(&document.root());
    text.trim().to_string()
}

/// The text of a node, with block elements separated by blank lines and `<br>` by a
/// space-separated line break. Iterative, so deeply nested pages cannot overflow the stack.
fn block_text(root: &NodeRef) -> String {
    let mut output = String::new();
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, true)];
    while let Some((node, entering)) = stack.pop() {
        let name = node
            .node_name()
            .map(|name| name.to_ascii_lowercase())
            .unwrap_or_default();
        let is_block = BLOCK_ELEMENTS.contains(&name.as_str());
        if !entering {
            if is_block {
                output.push_str("\n\n");
            }
            continue;
        }
        if node.is_text() {
            output.push_str(&node.text());
            continue;
        }
        if name == "br" {
            output.push('\n');
            continue;
        }
        if is_block {
            output.push_str("\n\n");
        }
        stack.push((node, false));
        let children = node.children();
        for child in children.into_iter().rev() {
            stack.push((child, true));
        }
    }
    // Collapse runs of whitespace inside paragraphs; keep paragraph breaks.
    output
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn remove_noise(document: &Document) {
    document.select(NOISE_ELEMENTS).remove();
    let mut noisy = Vec::new();
    for node in document.select("[class], [id]").nodes() {
        let marker = format!(
            "{} {}",
            node.attr("class").unwrap_or_default().to_ascii_lowercase(),
            node.attr("id").unwrap_or_default().to_ascii_lowercase()
        );
        let is_article_container =
            node.has_name("article") || node.has_name("main") || node.has_name("body");
        if !is_article_container && NOISE_MARKERS.iter().any(|noise| marker.contains(noise)) {
            noisy.push(*node);
        }
    }
    for node in noisy {
        node.remove_from_parent();
    }
}

/// The article's text: the biggest `<article>`, else `[itemprop=articleBody]` or `<main>`,
/// else what the readability algorithm picks, else the whole body.
fn main_text(document: &Document) -> String {
    let containers = ["[itemprop=articleBody]", "article", "main", "[role=main]"];
    for selector in containers {
        let best = document
            .select(selector)
            .nodes()
            .iter()
            .map(block_text)
            .max_by_key(String::len);
        if let Some(text) = best.filter(|text| text.len() > 80) {
            return text;
        }
    }
    let readable = dom_smoothie::Readability::with_document(document.clone(), None, None)
        .ok()
        .and_then(|mut readability| readability.parse().ok())
        .map(|article| html_to_text(&article.content))
        .filter(|text| text.len() > 80);
    if let Some(text) = readable {
        return text;
    }
    document
        .body()
        .map(|body| block_text(&body))
        .unwrap_or_default()
}

fn meta(document: &Document, attribute_name: &str, value: &str) -> Option<String> {
    let selector = format!("meta[{attribute_name}=\"{value}\"]");
    attribute(document, &selector, "content")
}

fn attribute(document: &Document, selector: &str, name: &str) -> Option<String> {
    let selection = document.select(selector);
    let value = selection.nodes().first()?.attr(name)?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn page_title(document: &Document, json_ld: Option<&Value>) -> Option<String> {
    if let Some(title) = meta(document, "property", "og:title") {
        return Some(title);
    }
    let heading = document
        .select("h1")
        .nodes()
        .first()
        .map(|h1| block_text(h1));
    if let Some(heading) = heading.filter(|h| !h.is_empty()) {
        return Some(heading.replace("\n\n", " "));
    }
    if let Some(headline) = json_ld.and_then(|ld| ld_text(ld.get("headline")?)) {
        return Some(headline);
    }
    let title = document.select("title").text().trim().to_string();
    if title.is_empty() {
        return None;
    }
    // "Headline | Site" and "Headline - Site": keep the headline.
    for separator in [" | ", " - ", " — ", " – "] {
        if let Some((headline, _site)) = title.rsplit_once(separator)
            && headline.split_whitespace().count() >= 2
        {
            return Some(headline.trim().to_string());
        }
    }
    Some(title)
}

fn page_date(
    document: &Document,
    json_ld: Option<&Value>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let candidates = [
        meta(document, "property", "article:published_time"),
        json_ld.and_then(|ld| ld_text(ld.get("datePublished")?)),
        attribute(document, "time[datetime]", "datetime"),
        meta(document, "name", "date"),
        meta(document, "name", "pubdate"),
        meta(document, "name", "publish-date"),
        meta(document, "itemprop", "datePublished"),
        meta(document, "name", "dc.date"),
        meta(document, "property", "og:published_time"),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|text| parse_date(&text))
}

/// The first JSON-LD object that describes an article (also inside arrays and `@graph`).
fn json_ld_article(document: &Document) -> Option<Value> {
    for script in document
        .select("script[type=\"application/ld+json\"]")
        .nodes()
    {
        let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) else {
            continue;
        };
        let mut pending = vec![value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Array(items) => pending.extend(items),
                Value::Object(mut object) => {
                    if let Some(graph) = object.remove("@graph") {
                        pending.push(graph);
                    }
                    let kind = object
                        .get("@type")
                        .map(|kind| kind.to_string())
                        .unwrap_or_default();
                    if kind.contains("Article") || object.contains_key("datePublished") {
                        return Some(Value::Object(object));
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// A JSON-LD value as text: a string, or the `name` of an object or of the first of a list.
fn ld_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.trim().to_string(),
        Value::Object(object) => ld_text(object.get("name")?)?,
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(ld_text).collect();
            names.join(", ")
        }
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en-GB"><head>
<title>Bridge reopens after repairs | The Valley Post</title>
<meta property="og:title" content="Bridge reopens after two years of repairs">
<meta property="og:site_name" content="The Valley Post">
<meta property="article:published_time" content="2025-04-02T08:15:00+01:00">
<meta name="author" content="Nadia Frost">
<link rel="canonical" href="https://valleypost.example/bridge">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Bridge reopens","datePublished":"2025-04-01T08:15:00Z"}</script>
<script>var tracking = "Do not index this";</script>
</head><body>
<header><a href="/">The Valley Post</a></header>
<nav><a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<article>
<h1>Bridge reopens after two years of repairs</h1>
<p>The old stone bridge over the river reopened to traffic on Tuesday &amp; drivers cheered.</p>
<p>Engineers replaced <b>every</b> arch,<br>the council said.</p>
<div class="share-bar">Share on Facebook</div>
</article>
<aside class="most-read"><h2>Most read</h2><ol><li>Council tax rises again</li></ol></aside>
<footer>© The Valley Post</footer>
</body></html>"#;

    #[test]
    fn page_metadata_and_main_text() {
        let article = read(PAGE).unwrap().articles.remove(0);
        assert_eq!(
            article.title.as_deref(),
            Some("Bridge reopens after two years of repairs")
        );
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-04-02T07:15:00+00:00")
        );
        assert_eq!(article.source.as_deref(), Some("The Valley Post"));
        assert_eq!(article.byline.as_deref(), Some("Nadia Frost"));
        assert_eq!(
            article.url.as_deref(),
            Some("https://valleypost.example/bridge")
        );
        assert_eq!(article.lang.as_deref(), Some("en"));
        assert_eq!(
            article.body,
            "The old stone bridge over the river reopened to traffic on Tuesday & drivers cheered.\n\nEngineers replaced every arch, the council said."
        );
    }

    #[test]
    fn fallbacks_for_title_and_date() {
        let page = r#"<html><head><title>Ferry fares rise - Coast News</title>
<script type="application/ld+json">[{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2025-01-09","publisher":{"name":"Coast News"}}]}]</script>
</head><body><div><p>Ferry fares will rise by five percent from March, the operator said on Thursday, citing fuel costs.</p></div></body></html>"#;
        let article = read(page).unwrap().articles.remove(0);
        assert_eq!(article.title.as_deref(), Some("Ferry fares rise"));
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-01-09T00:00:00+00:00")
        );
        assert_eq!(article.source.as_deref(), Some("Coast News"));
        assert!(article.body.starts_with("Ferry fares will rise"));
    }

    #[test]
    fn fragments_become_paragraphs() {
        assert_eq!(
            html_to_text("<p>One &amp; two.</p><p>Three&#8217;s <i>four</i>.</p>"),
            "One & two.\n\nThree\u{2019}s four."
        );
        assert_eq!(html_to_text("plain &lt;text&gt;"), "plain <text>");
        let deep = format!("{}x{}", "<div>".repeat(3_000), "</div>".repeat(3_000));
        assert_eq!(html_to_text(&deep), "x");
    }
}
