//! NITF (News Industry Text Format) documents: one article per `<nitf>` file.
//!
//! Headline from `hedline/hl1` (else `head/title`), byline, dateline, paragraphs of
//! `body.content`, dates from `docdata` (`date.release`, else `date.issue`, else the
//! dateline's `story.date`), id from `doc-id`. Names the agency marked up inside the text
//! (`<person>`, `<location>`, `<org>`) become tagged entities.

use super::FileArticles;
use super::xml::{self, Element, collect_marked};
use crate::dates::parse_date;
use crate::model::RawArticle;
use chrono::{DateTime, Utc};

/// Reads one NITF document.
pub fn read(text: &str) -> Result<FileArticles, String> {
    let document = xml::parse(text)?;
    let root = &document.root;
    if root.name != "nitf" {
        return Err(format!("not a nitf document (root <{}>)", root.name));
    }
    let mut found = FileArticles::default();
    let article = article(root);
    if article.title.is_none() && article.body.is_empty() {
        return Err("nitf document has no headline or text".to_string());
    }
    if document.truncated {
        found.warnings.push("truncated xml".to_string());
    }
    found.articles.push(article);
    Ok(found)
}

/// The article of a `<nitf>` element (also used for NITF inside NewsML-G2).
pub(crate) fn article(root: &Element) -> RawArticle {
    let head = root.child("head");
    let body = root.child("body");
    let body_head = body.and_then(|body| body.child("body.head"));
    let title = body_head
        .and_then(|head| head.find("hedline"))
        .and_then(|hedline| {
            hedline
                .find_text("hl1")
                .or_else(|| non_empty(hedline.text()))
        })
        .or_else(|| head.and_then(|head| head.find_text("title")));
    let docdata = head.and_then(|head| head.child("docdata"));
    let dateline = body_head.and_then(|head| head.find("dateline"));
    let date = docdata
        .and_then(|docdata| {
            ["date.release", "date.issue"]
                .iter()
                .find_map(|name| parse_norm(docdata.find(name)?.attribute("norm")?))
        })
        .or_else(|| {
            let story_date = dateline?.find("story.date")?;
            story_date
                .attribute("norm")
                .and_then(parse_norm)
                .or_else(|| parse_date(&story_date.text()))
        });
    let source = docdata
        .and_then(|docdata| docdata.find("doc.copyright"))
        .and_then(|copyright| copyright.attribute("holder"))
        .or_else(|| head?.find("pubdata")?.attribute("name"))
        .map(str::to_string);
    let source_id = docdata
        .and_then(|docdata| docdata.find("doc-id"))
        .and_then(|id| id.attribute("id-string"))
        .map(str::to_string);
    let place = dateline.and_then(|dateline| {
        dateline.find_text("location").or_else(|| {
            let text = dateline.text();
            let place = text.split(',').next().unwrap_or("").trim().to_string();
            non_empty(place)
        })
    });
    let content = body.and_then(|body| body.child("body.content"));
    let marked = content.map(collect_marked).unwrap_or_default();
    let url = head
        .and_then(|head| head.find("pubdata"))
        .and_then(|pubdata| pubdata.attribute("ex-ref"))
        .map(str::to_string);
    RawArticle {
        source_id: source_id.filter(|id| !id.trim().is_empty()),
        title,
        body: marked.paragraphs.join("\n\n"),
        date,
        source: source.filter(|source| !source.trim().is_empty()),
        url,
        byline: body_head.and_then(|head| head.find_text("byline")),
        lang: root
            .attribute("lang")
            .map(|lang| lang.split('-').next().unwrap_or("").to_string())
            .filter(|lang| !lang.is_empty()),
        dateline: place,
        tagged_people: marked.people,
        tagged_places: marked.places,
        tagged_orgs: marked.orgs,
        ..RawArticle::default()
    }
}

/// NITF `norm` dates: ISO 8601 basic ("20251127T101500Z", "20251127T101500+0100",
/// "20251127") or the extended form.
fn parse_norm(norm: &str) -> Option<DateTime<Utc>> {
    let norm = norm.trim();
    let bytes = norm.as_bytes();
    let is_basic = bytes.len() >= 8 && bytes[..8].iter().all(u8::is_ascii_digit);
    if !is_basic {
        return parse_date(norm);
    }
    let mut extended = format!("{}-{}-{}", &norm[..4], &norm[4..6], &norm[6..8]);
    let rest = &norm[8..];
    if let Some(time) = rest.strip_prefix('T') {
        let digits: String = time.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() < 4 {
            return parse_date(&extended);
        }
        let seconds = digits.get(4..6).unwrap_or("00");
        extended.push_str(&format!("T{}:{}:{seconds}", &digits[..2], &digits[2..4]));
        let zone = &time[digits.len()..];
        match zone {
            "" => {}
            "Z" => extended.push('Z'),
            _ if zone.len() == 5 && zone.is_ascii() => {
                extended.push_str(&format!("{}:{}", &zone[..3], &zone[3..]));
            }
            _ => extended.push_str(zone),
        }
    }
    parse_date(&extended)
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<nitf version="-//IPTC//DTD NITF 3.6//EN" xml:lang="en-GB">
 <head>
  <title>Flood barrier test</title>
  <docdata>
   <doc-id id-string="NDX-20250312-0042"/>
   <date.issue norm="20250312T061500Z"/>
   <date.release norm="20250312T080000+0100"/>
   <doc.copyright year="2025" holder="Newsdex Wire"/>
  </docdata>
 </head>
 <body>
  <body.head>
   <hedline><hl1>Thames barrier closes twice in a week</hl1><hl2>Engineers watch spring tides</hl2></hedline>
   <byline>By <person>Owen Pryce</person></byline>
   <dateline><location>LONDON</location>, <story.date norm="20250312">March 12</story.date></dateline>
  </body.head>
  <body.content>
   <p>The <org>Environment Agency</org> closed the barrier on Tuesday, said <person>Hannah Cole</person>.</p>
   <p>Officials in <location><city>London</city></location> and <location>Kent</location> were told to expect &#8220;more of the same&#8221;.</p>
  </body.content>
 </body>
</nitf>"#;

    #[test]
    fn nitf_story() {
        let found = read(STORY).unwrap();
        assert!(found.warnings.is_empty());
        let article = &found.articles[0];
        assert_eq!(
            article.title.as_deref(),
            Some("Thames barrier closes twice in a week")
        );
        assert_eq!(article.source_id.as_deref(), Some("NDX-20250312-0042"));
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-03-12T07:00:00+00:00")
        );
        assert_eq!(article.source.as_deref(), Some("Newsdex Wire"));
        assert_eq!(article.byline.as_deref(), Some("By Owen Pryce"));
        assert_eq!(article.dateline.as_deref(), Some("LONDON"));
        assert_eq!(article.lang.as_deref(), Some("en"));
        assert_eq!(
            article.body,
            "The Environment Agency closed the barrier on Tuesday, said Hannah Cole.\n\nOfficials in London and Kent were told to expect \u{201c}more of the same\u{201d}."
        );
        // The reporter in the byline is not a tagged person of the story.
        assert_eq!(article.tagged_people, ["Hannah Cole"]);
        assert_eq!(article.tagged_places, ["London", "Kent"]);
        assert_eq!(article.tagged_orgs, ["Environment Agency"]);
    }

    #[test]
    fn norm_dates() {
        let cases = [
            ("20250312T061500Z", Some("2025-03-12T06:15:00+00:00")),
            ("20250312T0615+0200", Some("2025-03-12T04:15:00+00:00")),
            ("20250312", Some("2025-03-12T00:00:00+00:00")),
            ("2025-03-12T06:15:00Z", Some("2025-03-12T06:15:00+00:00")),
            ("2025XX12", None),
            ("", None),
        ];
        for (norm, expected) in cases {
            let parsed = parse_norm(norm).map(|date| date.to_rfc3339());
            assert_eq!(parsed.as_deref(), expected, "{norm}");
        }
    }

    #[test]
    fn broken_nitf_never_panics() {
        let cut = read("<nitf><body><body.head><hedline><hl1>Cut off</hl1></hedline></body.head><body.content><p>Only half").unwrap();
        assert_eq!(cut.warnings, ["truncated xml"]);
        assert_eq!(cut.articles[0].title.as_deref(), Some("Cut off"));
        assert_eq!(cut.articles[0].body, "Only half");
        assert_eq!(
            read("<nitf><head/></nitf>").unwrap_err(),
            "nitf document has no headline or text"
        );
        assert!(
            read("<nitf><p></nitf>")
                .unwrap_err()
                .starts_with("invalid xml")
        );
        assert_eq!(
            read("<rss/>").unwrap_err(),
            "not a nitf document (root <rss>)"
        );
    }
}
