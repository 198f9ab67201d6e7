//! IPTC NewsML-G2: one article per text `<newsItem>`, alone or in a `<newsMessage>`.
//!
//! Headline, byline, dateline and language from `contentMeta`; provider from `itemMeta`;
//! the date is `itemMeta/firstCreated`, else `contentMeta/contentCreated`, else
//! `itemMeta/versionCreated`; the text is the first `contentSet` item: `inlineXML` (NITF
//! or XHTML, paragraphs and NITF's marked-up names kept) or `inlineData` (plain text).

use super::FileArticles;
use super::xml::{self, Element, collect_marked};
use crate::dates::parse_date;
use crate::model::RawArticle;

/// Reads a NewsML-G2 `newsItem` or `newsMessage` document.
pub fn read(text: &str) -> Result<FileArticles, String> {
    let document = xml::parse(text)?;
    let root = &document.root;
    let items: Vec<&Element> = match root.name.as_str() {
        "newsItem" => vec![root],
        "newsMessage" => root.find_all("newsItem"),
        other => return Err(format!("not a newsml-g2 document (root <{other}>)")),
    };
    let mut found = FileArticles::default();
    for (index, item) in items.into_iter().enumerate() {
        match article(item) {
            Some(article) => found.articles.push(article),
            None => found
                .warnings
                .push(format!("news item {index}: no headline or text")),
        }
    }
    if document.truncated {
        found.warnings.push("truncated xml".to_string());
    }
    if found.articles.is_empty() {
        return Err("newsml document has no text item".to_string());
    }
    Ok(found)
}

/// The article of one `newsItem`; `None` when it has neither headline nor text.
fn article(item: &Element) -> Option<RawArticle> {
    let item_meta = item.child("itemMeta");
    let content_meta = item.child("contentMeta");
    let meta_text = |name: &str| content_meta.and_then(|meta| meta.find_text(name));
    let date = [
        item_meta.and_then(|meta| meta.find_text("firstCreated")),
        meta_text("contentCreated"),
        item_meta.and_then(|meta| meta.find_text("versionCreated")),
    ]
    .into_iter()
    .flatten()
    .find_map(|text| parse_date(&text));
    let provider = item_meta
        .and_then(|meta| meta.child("provider"))
        .and_then(|provider| {
            provider
                .attribute("literal")
                .map(str::to_string)
                .or_else(|| provider.find_text("name"))
        });
    let byline = meta_text("by").or_else(|| {
        content_meta
            .and_then(|meta| meta.child("creator"))
            .and_then(|creator| {
                creator
                    .find_text("name")
                    .or_else(|| creator.attribute("literal").map(str::to_string))
            })
    });
    let lang = item
        .attribute("lang")
        .or_else(|| content_meta?.child("language")?.attribute("tag"))
        .map(|lang| lang.split('-').next().unwrap_or("").to_string())
        .filter(|lang| !lang.is_empty());
    let url = item_meta
        .and_then(|meta| meta.child("link"))
        .and_then(|link| link.attribute("href"))
        .map(str::to_string);
    let mut article = RawArticle {
        source_id: item.attribute("guid").map(str::to_string),
        title: meta_text("headline"),
        date,
        source: provider,
        url,
        byline,
        lang,
        dateline: meta_text("dateline")
            .map(|dateline| dateline.split(',').next().unwrap_or("").trim().to_string()),
        ..RawArticle::default()
    };
    let content = item.child("contentSet");
    if let Some(inline) = content.and_then(|set| set.find("inlineXML")) {
        // NITF keeps its own structure; XHTML's paragraphs are in <body>.
        let nitf = inline.find("nitf");
        let body = nitf
            .and_then(|nitf| nitf.find("body.content"))
            .or_else(|| inline.find("body"))
            .unwrap_or(inline);
        let marked = collect_marked(body);
        article.body = marked.paragraphs.join("\n\n");
        article.tagged_people = marked.people;
        article.tagged_places = marked.places;
        article.tagged_orgs = marked.orgs;
        if article.title.is_none() {
            article.title = nitf.and_then(|nitf| nitf.find_text("hl1"));
        }
    } else if let Some(data) = content.and_then(|set| set.find("inlineData")) {
        article.body = plain_paragraphs(data);
    }
    if article.title.is_none() && article.body.is_empty() {
        return None;
    }
    Some(article)
}

/// Plain `inlineData` text: paragraphs at blank lines, lines inside one joined.
fn plain_paragraphs(data: &Element) -> String {
    let mut raw = String::new();
    for node in &data.children {
        if let xml::Node::Text(text) = node {
            raw.push_str(text);
        }
    }
    raw.replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:newsdex.example:20250618:rail-strike" version="2" standard="NewsML-G2" standardversion="2.33" xml:lang="en">
 <itemMeta>
  <itemClass qcode="ninat:text"/>
  <provider literal="Newsdex Wire"/>
  <versionCreated>2025-06-18T11:40:00Z</versionCreated>
  <firstCreated>2025-06-18T09:05:00+02:00</firstCreated>
  <pubStatus qcode="stat:usable"/>
 </itemMeta>
 <contentMeta>
  <contentCreated>2025-06-18T08:50:00+02:00</contentCreated>
  <creator><name>Lena Vogt</name></creator>
  <headline>German rail strike halts long-distance trains</headline>
  <dateline>BERLIN, June 18</dateline>
 </contentMeta>
 <contentSet>
  <inlineXML contenttype="application/nitf+xml">
   <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
    <p>Long-distance services of <org>Deutsche Bahn</org> stopped at dawn.</p>
    <p>The union leader <person>Klaus Brandt</person> said talks had failed.</p>
   </body.content></body></nitf>
  </inlineXML>
 </contentSet>
</newsItem>"#;

    #[test]
    fn news_item_with_inline_nitf() {
        let found = read(ITEM).unwrap();
        assert!(found.warnings.is_empty());
        let article = &found.articles[0];
        assert_eq!(
            article.source_id.as_deref(),
            Some("urn:newsml:newsdex.example:20250618:rail-strike")
        );
        assert_eq!(
            article.title.as_deref(),
            Some("German rail strike halts long-distance trains")
        );
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-06-18T07:05:00+00:00")
        );
        assert_eq!(article.source.as_deref(), Some("Newsdex Wire"));
        assert_eq!(article.byline.as_deref(), Some("Lena Vogt"));
        assert_eq!(article.dateline.as_deref(), Some("BERLIN"));
        assert_eq!(article.lang.as_deref(), Some("en"));
        assert_eq!(
            article.body,
            "Long-distance services of Deutsche Bahn stopped at dawn.\n\nThe union leader Klaus Brandt said talks had failed."
        );
        assert_eq!(article.tagged_people, ["Klaus Brandt"]);
        assert_eq!(article.tagged_orgs, ["Deutsche Bahn"]);
    }

    #[test]
    fn news_message_xhtml_and_plain_items() {
        let message = r#"<newsMessage><header/><itemSet>
<newsItem guid="a"><contentMeta><headline>First</headline></contentMeta><contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><h1>Sub</h1><p>One.</p><p>Two.</p></body></html></inlineXML></contentSet></newsItem>
<newsItem guid="b"><contentSet><inlineData contenttype="text/plain">Line one
continues.

Second paragraph.</inlineData></contentSet></newsItem>
<newsItem guid="c"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>
</itemSet></newsMessage>"#;
        let found = read(message).unwrap();
        assert_eq!(found.articles.len(), 2);
        assert_eq!(found.articles[0].body, "Sub\n\nOne.\n\nTwo.");
        assert_eq!(
            found.articles[1].body,
            "Line one continues.\n\nSecond paragraph."
        );
        assert_eq!(found.articles[1].date, None);
        assert_eq!(found.warnings, ["news item 2: no headline or text"]);
    }

    #[test]
    fn broken_newsml_never_panics() {
        assert_eq!(
            read("<newsMessage><itemSet/></newsMessage>").unwrap_err(),
            "newsml document has no text item"
        );
        let cut = read("<newsItem guid=\"x\"><contentMeta><headline>Cut</headline></contentMeta><contentSet><inlineXML><p>Half").unwrap();
        assert_eq!(cut.warnings, ["truncated xml"]);
        assert_eq!(cut.articles[0].body, "Half");
        assert!(
            read("<newsItem><a></b></newsItem>")
                .unwrap_err()
                .starts_with("invalid xml")
        );
    }
}
