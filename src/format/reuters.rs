//! Reuters-21578 SGML: many `<REUTERS ...>` stories per file, one article each.
//!
//! The files are SGML, not XML (unquoted structure, `&#3;` control references, a DTD), so
//! a tolerant scanner reads them: tags are found case-insensitively, an unclosed element
//! ends where the next tag (or the story) starts, and a broken story never stops the file.
//! Per story: `NEWID` as id, `<DATE>`, `<TITLE>`, `<DATELINE>` (the place), `<BODY>`
//! (paragraphs start at indented lines, the closing "Reuter" sign-off is dropped), and the
//! `PLACES`/`PEOPLE`/`ORGS` `<D>` codes as source tags. An unprocessed story (no title, no
//! body: the corpus' tables) takes its first line as title and the rest as body; a story with no text at all is
//! skipped and counted.

use super::FileArticles;
use crate::dates::parse_date;
use crate::model::RawArticle;

/// Reads every story of one SGML file.
pub fn read(text: &str) -> Result<FileArticles, String> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` slice `text`.
    let lower = text.to_ascii_lowercase();
    let starts: Vec<usize> = find_all(&lower, "<reuters")
        .into_iter()
        .filter(|start| {
            lower[start + 8..]
                .chars()
                .next()
                .is_some_and(|next| next == '>' || next.is_whitespace())
        })
        .collect();
    if starts.is_empty() {
        return Err("no <REUTERS> story found".to_string());
    }
    let mut found = FileArticles::default();
    let mut skipped = 0;
    for (index, start) in starts.iter().enumerate() {
        let next = starts.get(index + 1).copied().unwrap_or(text.len());
        let end = lower[*start..next]
            .find("</reuters>")
            .map_or(next, |end| start + end);
        let story = Story {
            text: &text[*start..end],
            lower: &lower[*start..end],
        };
        match story.article() {
            Some(article) => found.articles.push(article),
            None => skipped += 1,
        }
    }
    if skipped > 0 {
        let noun = if skipped == 1 { "story" } else { "stories" };
        found
            .warnings
            .push(format!("{skipped} {noun} skipped: no text"));
    }
    if found.articles.is_empty() {
        return Err("no story with text".to_string());
    }
    Ok(found)
}

/// One story's text and its lower-cased copy (same byte offsets).
struct Story<'a> {
    text: &'a str,
    lower: &'a str,
}

impl Story<'_> {
    fn article(&self) -> Option<RawArticle> {
        let title = self.element("title").map(|title| one_line(&decode(title)));
        let body = self
            .element("body")
            .map(|body| paragraphs(&decode(body)))
            .filter(|body| body != "Blah blah blah.");
        let mut title = title.filter(|title| !title.is_empty());
        let mut body = body.unwrap_or_default();
        if title.is_none() && body.is_empty() {
            // The unprocessed stories (TYPE="UNPROC": tables, short notices): their first
            // line is the headline, the rest the body.
            let text = self.element("text").map(decode).unwrap_or_default();
            let text = text.trim_start();
            let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
            title = Some(one_line(first)).filter(|first| !first.is_empty());
            body = paragraphs(rest);
        }
        if title.is_none() && body.trim().is_empty() {
            return None;
        }
        let dateline = self.element("dateline").and_then(|dateline| {
            let text = one_line(&decode(dateline));
            let place = text.split(',').next().unwrap_or("").trim().to_string();
            (!place.is_empty()).then_some(place)
        });
        let mut tags = Vec::new();
        for (element, kind) in [("places", "place"), ("people", "person"), ("orgs", "org")] {
            if let Some(list) = self.element(element) {
                for code in codes(list) {
                    tags.push(format!("{kind}:{code}"));
                }
            }
        }
        Some(RawArticle {
            source_id: self.attribute("newid"),
            title,
            body,
            date: self
                .element("date")
                .and_then(|date| parse_date(&decode(date))),
            source: Some("Reuters".to_string()),
            dateline,
            tags,
            ..RawArticle::default()
        })
    }

    /// An attribute of the `<REUTERS ...>` tag.
    fn attribute(&self, name: &str) -> Option<String> {
        let tag_end = self.lower.find('>').unwrap_or(self.lower.len());
        let tag = &self.lower[..tag_end];
        let position = find_all(tag, &format!("{name}="))
            .into_iter()
            .find(|position| *position > 0 && tag.as_bytes()[position - 1].is_ascii_whitespace())?;
        let value_start = position + name.len() + 1;
        let raw = &self.text[value_start..tag_end];
        let value = match raw.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or(""),
            None => raw.split_whitespace().next().unwrap_or(""),
        };
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// The raw content of the first `<name>` element: up to its end tag, else up to the
    /// next tag (the whole rest of the story for `body`).
    fn element(&self, name: &str) -> Option<&str> {
        let open = format!("<{name}");
        let start = find_all(self.lower, &open).into_iter().find(|start| {
            self.lower[start + open.len()..]
                .chars()
                .next()
                .is_some_and(|next| next == '>' || next.is_whitespace())
        })?;
        let content_start = start + self.lower[start..].find('>')? + 1;
        let rest = &self.lower[content_start..];
        let close = format!("</{name}>");
        let length = match rest.find(&close) {
            Some(length) => length,
            None if name == "body" => rest.find("</text>").unwrap_or(rest.len()),
            None => rest.find('<').unwrap_or(rest.len()),
        };
        Some(&self.text[content_start..content_start + length])
    }
}

/// The `<D>code</D>` values of a list element.
fn codes(list: &str) -> Vec<String> {
    let lower = list.to_ascii_lowercase();
    let mut codes = Vec::new();
    for start in find_all(&lower, "<d>") {
        let content = &list[start + 3..];
        let end = content.find('<').unwrap_or(content.len());
        let code = decode(&content[..end]).trim().to_string();
        if !code.is_empty() && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Resolves `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;` and numeric references; control
/// characters (the corpus' `&#2;`, `&#3;` transmission codes) are dropped.
fn decode(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find('&') {
        output.push_str(&rest[..position]);
        rest = &rest[position..];
        let end = rest[1..]
            .find(|character: char| !(character.is_ascii_alphanumeric() || character == '#'))
            .map(|end| end + 1);
        let entity = end
            .filter(|end| rest.as_bytes()[*end] == b';')
            .map(|end| &rest[1..end]);
        let resolved = entity.and_then(|name| match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix('#')
                .and_then(|number| number.parse::<u32>().ok())
                .and_then(char::from_u32),
        });
        match (entity, resolved) {
            (Some(name), Some(character)) => {
                if !character.is_control() || character == '\n' {
                    output.push(character);
                }
                rest = &rest[name.len() + 2..];
            }
            _ => {
                output.push('&');
                rest = &rest[1..];
            }
        }
    }
    output.push_str(rest);
    output.retain(|character| !character.is_control() || matches!(character, '\n' | '\t'));
    output
}

/// Body text: a line starting with whitespace starts a paragraph (the wire's indent);
/// other lines continue the current one; a final "Reuter" sign-off is dropped.
fn paragraphs(body: &str) -> String {
    let mut lines: Vec<&str> = body.lines().collect();
    while lines.last().is_some_and(|line| {
        let line = line.trim();
        line.is_empty()
            || line.eq_ignore_ascii_case("reuter")
            || line.eq_ignore_ascii_case("reuters")
    }) {
        lines.pop();
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        let starts_paragraph = line.starts_with([' ', '\t']) || line.trim().is_empty();
        if starts_paragraph && !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
        let words = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&words);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every position of `needle` in `haystack`.
fn find_all(haystack: &str, needle: &str) -> Vec<usize> {
    haystack
        .match_indices(needle)
        .map(|(position, _)| position)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="101">
<DATE> 3-MAR-1987 09:12:44.10</DATE>
<TOPICS><D>grain</D><D>wheat</D></TOPICS>
<PLACES><D>usa</D><D>ussr</D></PLACES>
<PEOPLE><D>lyng</D></PEOPLE>
<ORGS></ORGS>
<UNKNOWN>&#5;&#5;&#5;G
&#22;&#22;&#1;f0612&#31;reute</UNKNOWN>
<TEXT>&#2;
<TITLE>U.S. WHEAT SALE TO &lt;SOVIET> BUYERS SEEN</TITLE>
<DATELINE>    WASHINGTON, March 3 - </DATELINE><BODY>The Agriculture Department may offer
subsidised wheat to Soviet buyers, officials said.
    Secretary Lyng said no decision had been taken &amp; talks
would continue.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="102">
<DATE> 3-MAR-1987 09:15:01.00</DATE>
<TEXT TYPE="UNPROC">&#2;
 TABLE OF FIGURES 1,2,3
&#3;</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="104">
<DATE> 3-MAR-1987 09:16:01.00</DATE>
<TEXT TYPE="UNPROC">&#2;
&#3;</TEXT>
</REUTERS>
<REUTERS NEWID="103">
<DATE>3-MAR-1987 10:00:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>FED SETS TWO-DAY REPURCHASE AGREEMENTS
</TITLE>Blah blah blah.
&#3;

</TEXT>
</REUTERS>
"#;

    #[test]
    fn stories_with_tags_and_skips() {
        let found = read(FILE).unwrap();
        assert_eq!(found.warnings, ["1 story skipped: no text"]);
        assert_eq!(found.articles.len(), 3);
        let first = &found.articles[0];
        assert_eq!(first.source_id.as_deref(), Some("101"));
        assert_eq!(
            first.title.as_deref(),
            Some("U.S. WHEAT SALE TO <SOVIET> BUYERS SEEN")
        );
        assert_eq!(
            first.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("1987-03-03T09:12:44+00:00")
        );
        assert_eq!(first.dateline.as_deref(), Some("WASHINGTON"));
        assert_eq!(
            first.body,
            "The Agriculture Department may offer subsidised wheat to Soviet buyers, officials said.\n\nSecretary Lyng said no decision had been taken & talks would continue."
        );
        assert_eq!(first.tags, ["place:usa", "place:ussr", "person:lyng"]);
        assert_eq!(first.source.as_deref(), Some("Reuters"));
        let table = &found.articles[1];
        assert_eq!(table.source_id.as_deref(), Some("102"));
        assert_eq!(table.title.as_deref(), Some("TABLE OF FIGURES 1,2,3"));
        let brief = &found.articles[2];
        assert_eq!(brief.source_id.as_deref(), Some("103"));
        assert_eq!(
            brief.title.as_deref(),
            Some("FED SETS TWO-DAY REPURCHASE AGREEMENTS")
        );
        assert_eq!(brief.body, "");
    }

    #[test]
    fn unclosed_and_broken_stories_never_panic() {
        let unclosed = "<REUTERS NEWID=7><TITLE>OIL PRICES FIRM\n<BODY>Crude rose on Monday.\n<REUTERS NEWID=\"8\"><TITLE>SECOND</TITLE>";
        let found = read(unclosed).unwrap();
        assert_eq!(found.articles.len(), 2);
        assert_eq!(found.articles[0].source_id.as_deref(), Some("7"));
        assert_eq!(found.articles[0].title.as_deref(), Some("OIL PRICES FIRM"));
        assert_eq!(found.articles[0].body, "Crude rose on Monday.");
        assert_eq!(found.articles[1].title.as_deref(), Some("SECOND"));
        for broken in [
            "<REUTERS",
            "<REUTERS NEWID=\"",
            "<REUTERS><TITLE",
            "<reuters>&#99999999999;&",
            "<REUTERS>\n<TITLE>&#",
        ] {
            let _ = read(broken);
        }
        assert_eq!(
            read("<html>no stories</html>").unwrap_err(),
            "no <REUTERS> story found"
        );
        assert_eq!(
            read("<REUTERS NEWID=\"1\"><TEXT>&#2;</TEXT></REUTERS>").unwrap_err(),
            "no story with text"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode("A &lt;B&gt; &amp; C&#3; &unknown; & &#65;"),
            "A <B> & C &unknown; & A"
        );
    }
}
