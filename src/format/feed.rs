//! RSS 2.0 and Atom feeds: one article per `<item>` or `<entry>`.
//!
//! Parsed with quick-xml, which never expands entities declared in a DTD: a "billion
//! laughs" feed yields its literal text, not gigabytes.

use super::xml::{local_name, resolve_entity};
use super::{FileArticles, html::html_to_text};
use crate::dates::parse_date;
use crate::model::RawArticle;
use quick_xml::Reader;
use quick_xml::events::Event;

/// Reads a feed.
pub fn read(text: &str) -> Result<FileArticles, String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut found = FileArticles::default();
    let mut path: Vec<String> = Vec::new();
    let mut kind: Option<&str> = None;
    let mut channel_title: Option<String> = None;
    let mut current: Option<Item> = None;
    let mut text_buffer = String::new();
    loop {
        let event = reader.read_event().map_err(|error| {
            format!("invalid xml at byte {}: {error}", reader.buffer_position())
        })?;
        match event {
            Event::Start(start) => {
                let name = local_name(start.name().as_ref());
                if path.is_empty() {
                    kind = match name.as_str() {
                        "rss" | "rdf" => Some("rss"),
                        "feed" => Some("atom"),
                        _ => return Err("not an rss or atom feed".to_string()),
                    };
                }
                if name == "item" || name == "entry" {
                    current = Some(Item::default());
                }
                if name == "link"
                    && let Some(item) = current.as_mut()
                {
                    take_link(&start, item);
                }
                path.push(name);
                text_buffer.clear();
                if path.len() > 64 {
                    return Err("xml nested too deeply".to_string());
                }
            }
            Event::Empty(start) => {
                let name = local_name(start.name().as_ref());
                if name == "link"
                    && let Some(item) = current.as_mut()
                {
                    take_link(&start, item);
                }
            }
            Event::Text(content) => {
                let decoded = content
                    .decode()
                    .map_err(|error| format!("invalid xml text: {error}"))?;
                text_buffer.push_str(&decoded);
            }
            Event::GeneralRef(reference) => {
                let name = reference
                    .decode()
                    .map_err(|error| format!("invalid xml entity: {error}"))?;
                text_buffer.push_str(&resolve_entity(&name));
            }
            Event::CData(content) => {
                text_buffer.push_str(&String::from_utf8_lossy(&content.into_inner()));
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err("unbalanced xml".to_string());
                };
                let value = std::mem::take(&mut text_buffer);
                if name == "item" || name == "entry" {
                    if let Some(item) = current.take() {
                        if let Some(article) = item.into_article(channel_title.as_deref()) {
                            found.articles.push(article);
                        } else {
                            found
                                .warnings
                                .push(format!("item {}: no title or text", found.articles.len()));
                        }
                    }
                    continue;
                }
                match current.as_mut() {
                    Some(item) => item.set(&name, value),
                    None if name == "title"
                        && path.last().is_some_and(|p| p == "channel" || p == "feed") =>
                    {
                        channel_title = Some(value.trim().to_string());
                    }
                    None => {}
                }
            }
            Event::Eof => {
                if !path.is_empty() {
                    if found.articles.is_empty() {
                        return Err("truncated xml".to_string());
                    }
                    found.warnings.push(format!(
                        "truncated xml after {} items",
                        found.articles.len()
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if kind.is_none() {
        return Err("not an rss or atom feed".to_string());
    }
    if found.articles.is_empty() {
        return Err("feed has no items".to_string());
    }
    Ok(found)
}

/// One item's raw fields.
#[derive(Default)]
struct Item {
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    date: Option<String>,
    summary: Option<String>,
    content: Option<String>,
    author: Option<String>,
    source: Option<String>,
}

impl Item {
    fn set(&mut self, name: &str, value: String) {
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        let slot = match name {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "guid" | "id" => &mut self.id,
            "pubdate" | "pubDate" | "published" | "date" | "issued" => &mut self.date,
            "updated" | "modified" if self.date.is_none() => &mut self.date,
            "description" | "summary" => &mut self.summary,
            "encoded" | "content" => &mut self.content,
            "creator" | "name" | "author" => &mut self.author,
            "source" => &mut self.source,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }

    fn into_article(self, channel: Option<&str>) -> Option<RawArticle> {
        let body_html = self.content.or(self.summary).unwrap_or_default();
        let body = html_to_text(&body_html);
        let title = self
            .title
            .map(|title| html_to_text(&title).replace("\n\n", " "));
        if body.is_empty() && title.is_none() {
            return None;
        }
        Some(RawArticle {
            source_id: self.id,
            title,
            body,
            date: self.date.as_deref().and_then(parse_date),
            source: self
                .source
                .or_else(|| channel.map(str::to_string))
                .filter(|s| !s.is_empty()),
            url: self.link,
            byline: self.author,
            ..RawArticle::default()
        })
    }
}

/// Atom links are attributes: prefer rel="alternate" (or no rel).
fn take_link(start: &quick_xml::events::BytesStart, item: &mut Item) {
    let mut href = None;
    let mut rel = None;
    for attribute in start.attributes().flatten() {
        let value = String::from_utf8_lossy(&attribute.value).to_string();
        match attribute.key.as_ref() {
            b"href" => href = Some(value),
            b"rel" => rel = Some(value),
            _ => {}
        }
    }
    if let Some(href) = href
        && rel.as_deref().is_none_or(|rel| rel == "alternate")
        && item.link.is_none()
    {
        item.link = Some(href);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour Daily</title>
<item><title>Tide &amp; storm warning</title><link>https://h.example/1</link><guid>h-1</guid><pubDate>Tue, 04 Mar 2025 06:00:00 GMT</pubDate>
<dc:creator>Lu Chen</dc:creator><description><![CDATA[<p>High tides expected.</p><p>Stay away from the sea wall &amp; piers.</p>]]></description></item>
<item><title>Ferry back</title><description>Service resumed at 9&#8217;o clock.</description></item>
</channel></rss>"#;
        let found = read(rss).unwrap();
        assert_eq!(found.articles.len(), 2);
        let first = &found.articles[0];
        assert_eq!(first.title.as_deref(), Some("Tide & storm warning"));
        assert_eq!(
            first.body,
            "High tides expected.\n\nStay away from the sea wall & piers."
        );
        assert_eq!(first.url.as_deref(), Some("https://h.example/1"));
        assert_eq!(first.source_id.as_deref(), Some("h-1"));
        assert_eq!(first.byline.as_deref(), Some("Lu Chen"));
        assert_eq!(first.source.as_deref(), Some("Harbour Daily"));
        assert_eq!(
            first.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-03-04T06:00:00+00:00")
        );
        assert_eq!(
            found.articles[1].body,
            "Service resumed at 9\u{2019}o clock."
        );
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab Notes</title>
<entry><title type="html">Telescope &lt;b&gt;finds&lt;/b&gt; comet</title><link rel="alternate" href="https://lab.example/c"/><id>urn:c</id>
<published>2025-02-01T12:00:00Z</published><author><name>Ida Sol</name></author><content type="html">&lt;p&gt;A new comet was seen.&lt;/p&gt;</content></entry></feed>"#;
        let article = read(atom).unwrap().articles.remove(0);
        assert_eq!(article.title.as_deref(), Some("Telescope finds comet"));
        assert_eq!(article.body, "A new comet was seen.");
        assert_eq!(article.url.as_deref(), Some("https://lab.example/c"));
        assert_eq!(article.byline.as_deref(), Some("Ida Sol"));
        assert_eq!(article.source.as_deref(), Some("Lab Notes"));
    }

    #[test]
    fn hostile_and_broken_feeds() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title><description>x</description></item></channel></rss>"#;
        let article = read(laughs).unwrap().articles.remove(0);
        assert_eq!(article.title.as_deref(), Some("&lol2;"));
        assert_eq!(
            read("<html><body>x</body></html>").unwrap_err(),
            "not an rss or atom feed"
        );
        assert_eq!(
            read("<rss><channel><item><title>cut").unwrap_err(),
            "truncated xml"
        );
        assert!(
            read("<rss><channel><item></title>")
                .unwrap_err()
                .starts_with("invalid xml")
        );
        assert_eq!(
            read("<rss><channel><title>Empty</title></channel></rss>").unwrap_err(),
            "feed has no items"
        );
    }
}
