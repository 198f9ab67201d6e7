//! Plain text and Markdown: one article per file.
//!
//! Understands an optional header block (`Title:`, `Date:`, `By:`, `Source:`, `URL:` lines,
//! or Markdown front matter), Markdown markup, the furniture of pages pasted from the web
//! (a data-driven list of junk lines, timestamps, lone punctuation), bylines, trailing
//! "Reporting by ...; Editing by ..." credits and wire datelines ("KYIV, Nov 27 (Reuters) -").

use super::FileArticles;
use crate::dates::parse_date;
use crate::model::RawArticle;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Junk lines and glued prefixes, from `data/junk_lines.tsv`.
struct JunkList {
    lines: HashSet<String>,
    glued: Vec<String>,
}

static JUNK: LazyLock<JunkList> = LazyLock::new(|| {
    let mut list = JunkList {
        lines: HashSet::new(),
        glued: Vec::new(),
    };
    for row in include_str!("data/junk_lines.tsv").lines().skip(1) {
        if row.starts_with('#') {
            continue;
        }
        match row.split_once('\t') {
            Some(("line", text)) => {
                list.lines.insert(text.to_string());
            }
            Some(("glued", text)) => list.glued.push(text.to_string()),
            _ => {}
        }
    }
    // Longest first, so "read more:" wins over "read more".
    list.glued.sort_by_key(|text| std::cmp::Reverse(text.len()));
    list
});

/// Reads one text or Markdown article.
pub fn read(text: &str) -> Result<FileArticles, String> {
    let mut article = RawArticle::default();
    let lines: Vec<&str> = text.lines().collect();
    let start = read_header(&lines, &mut article);
    let mut paragraphs = paragraphs(&lines[start..]);

    if article.title.is_none()
        && let Some(position) = paragraphs.iter().position(|p| !p.is_empty())
        && is_headline(&paragraphs[position])
    {
        article.title = Some(paragraphs.remove(position));
    }
    paragraphs.retain(|paragraph| !paragraph.is_empty());
    take_byline(&mut paragraphs, &mut article);
    take_credits(&mut paragraphs, &mut article);
    if let Some(first) = paragraphs.first_mut()
        && let Some(dateline) = parse_dateline(first)
    {
        apply_dateline(dateline, first, &mut article);
    }
    paragraphs.retain(|paragraph| !paragraph.is_empty());
    article.body = paragraphs.join("\n\n");
    if article.body.is_empty() && article.title.is_none() {
        return Err("no article text".to_string());
    }
    Ok(FileArticles {
        articles: vec![article],
        warnings: Vec::new(),
    })
}

/// Reads a `Key: value` header block or `---` front matter; returns the first body line.
fn read_header(lines: &[&str], article: &mut RawArticle) -> usize {
    let mut position = 0;
    while position < lines.len() && lines[position].trim().is_empty() {
        position += 1;
    }
    let front_matter = lines.get(position).is_some_and(|line| line.trim() == "---");
    if front_matter {
        position += 1;
    }
    let header_start = position;
    while position < lines.len() {
        let line = lines[position].trim();
        if front_matter && line == "---" {
            return position + 1;
        }
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        let value = value.trim().trim_matches('"').to_string();
        let known = match key.trim().to_ascii_lowercase().as_str() {
            "title" | "headline" => {
                article.title = Some(clean_markdown(&value));
                true
            }
            "date" | "published" | "dateline" | "published at" => {
                article.date = parse_date(&value);
                true
            }
            "by" | "author" | "authors" | "byline" => {
                article.byline = Some(value);
                true
            }
            "source" | "publisher" | "outlet" => {
                article.source = Some(value);
                true
            }
            "url" | "link" => {
                article.url = Some(value);
                true
            }
            "lang" | "language" => {
                article.lang = Some(value);
                true
            }
            "id" => {
                article.source_id = Some(value);
                true
            }
            _ => false,
        };
        if !known {
            break;
        }
        position += 1;
    }
    if front_matter || position > header_start {
        return position;
    }
    header_start
}

/// Groups lines into cleaned paragraphs. A blank line ends a paragraph; when the text has
/// no blank lines at all (pasted from a web page), every line is a paragraph.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let has_blank = lines.iter().any(|line| line.trim().is_empty());
    let mut paragraphs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        let Some(cleaned) = clean_line(line) else {
            // Junk ends a paragraph like a blank line does.
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
            continue;
        };
        if cleaned.is_empty() || !has_blank {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
            if !cleaned.is_empty() {
                paragraphs.push(cleaned);
            }
            continue;
        }
        current.push(cleaned);
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs
}

/// A line with Markdown markup and glued junk removed; `None` for a junk line,
/// `Some("")` for a blank one.
fn clean_line(line: &str) -> Option<String> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Some(String::new());
    }
    if is_junk(trimmed) {
        return None;
    }
    let mut cleaned = clean_markdown(trimmed);
    let lower = cleaned.to_lowercase();
    for glued in &JUNK.glued {
        if lower.starts_with(glued.as_str()) {
            let rest = &cleaned[glued.len()..];
            if rest.chars().next().is_some_and(char::is_uppercase) {
                cleaned = rest.to_string();
                break;
            }
        }
    }
    if cleaned.trim().is_empty() || is_junk(cleaned.trim()) {
        return None;
    }
    Some(cleaned.trim().to_string())
}

/// Lines that are page furniture rather than text.
pub(crate) fn is_junk(line: &str) -> bool {
    if !line.chars().any(char::is_alphanumeric) {
        return true; // ")", "***", "---", "•"
    }
    let lower = line.to_lowercase();
    let key = lower.trim_end_matches(['.', ':', '!', '»', '›', '>', ' ']);
    if JUNK.lines.contains(key) {
        return true;
    }
    is_timestamp(key)
}

/// "10:42 GMT", "Updated 10:42 GMT", "3 hours ago", "Published 2 days ago", "5 min read".
fn is_timestamp(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let rest: Vec<&str> = words
        .iter()
        .copied()
        .skip_while(|word| {
            matches!(
                *word,
                "updated" | "published" | "posted" | "last" | "modified"
            )
        })
        .collect();
    if rest.is_empty() {
        return false;
    }
    let is_clock = |word: &str| {
        let parts: Vec<&str> = word.split(':').collect();
        parts.len() == 2
            && parts.iter().all(|part| {
                !part.is_empty() && part.len() <= 2 && part.chars().all(|c| c.is_ascii_digit())
            })
    };
    if is_clock(rest[0]) {
        let zones = [
            "gmt", "utc", "bst", "et", "est", "edt", "pt", "cet", "am", "pm",
        ];
        return rest[1..]
            .iter()
            .all(|word| zones.contains(word) || word.starts_with('('));
    }
    if rest.last() == Some(&"ago") && rest.len() == 3 && rest[0].chars().all(|c| c.is_ascii_digit())
    {
        return true;
    }
    rest.len() == 3 && rest[1..] == ["min", "read"]
}

/// Removes Markdown heading marks, emphasis, images and link targets.
fn clean_markdown(line: &str) -> String {
    let line = line.trim_start_matches('#').trim_start();
    let line = line.strip_prefix("> ").unwrap_or(line);
    let mut output = String::with_capacity(line.len());
    let characters: Vec<char> = line.chars().collect();
    let mut position = 0;
    while position < characters.len() {
        let character = characters[position];
        let is_image = character == '!' && characters.get(position + 1) == Some(&'[');
        if character == '[' || is_image {
            let open = if is_image { position + 1 } else { position };
            if let Some((label, end)) = markdown_link(&characters, open) {
                if !is_image {
                    output.push_str(&label);
                }
                position = end;
                continue;
            }
        }
        if (character == '*' || character == '_')
            && characters.get(position + 1) == Some(&character)
        {
            position += 2;
            continue;
        }
        // Single `*emphasis*` / `_emphasis_`: a marker beside a non-word character
        // (snake_case and 2*3 keep theirs).
        if character == '*' || character == '_' {
            let word = |at: Option<&char>| at.is_some_and(|c| c.is_alphanumeric());
            let before = position.checked_sub(1).and_then(|p| characters.get(p));
            if !word(before) || !word(characters.get(position + 1)) {
                position += 1;
                continue;
            }
        }
        output.push(character);
        position += 1;
    }
    output
}

/// `[label](target)` starting at `open`: the label and the index after `)`.
fn markdown_link(characters: &[char], open: usize) -> Option<(String, usize)> {
    let close = open + characters[open..].iter().position(|c| *c == ']')?;
    if characters.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + characters[close + 1..].iter().position(|c| *c == ')')?;
    Some((characters[open + 1..close].iter().collect(), end + 1))
}

/// A headline: short, several words, not a sentence of body text.
fn is_headline(paragraph: &str) -> bool {
    let words = paragraph.split_whitespace().count();
    let length = paragraph.chars().count();
    if !(2..=30).contains(&words) || length > 200 || is_byline(paragraph) {
        return false;
    }
    !(paragraph.ends_with('.') && length > 90)
}

fn is_byline(paragraph: &str) -> bool {
    let Some(rest) = paragraph
        .strip_prefix("By ")
        .or_else(|| paragraph.strip_prefix("BY "))
    else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    (1..=12).contains(&words.len())
        && paragraph.len() < 120
        && words
            .first()
            .is_some_and(|word| word.chars().next().is_some_and(char::is_uppercase))
        && !paragraph.ends_with('.')
}

/// A "By Jane Doe" line among the first paragraphs becomes the byline.
fn take_byline(paragraphs: &mut Vec<String>, article: &mut RawArticle) {
    let Some(position) = paragraphs.iter().take(3).position(|p| is_byline(p)) else {
        return;
    };
    let line = paragraphs.remove(position);
    if article.byline.is_none() {
        article.byline = Some(line[3..].trim().to_string());
    }
}

/// Trailing "Reporting by ...; Editing by ..." credit lines are removed; they name the
/// reporters, who are the byline, not people of the story.
fn take_credits(paragraphs: &mut Vec<String>, article: &mut RawArticle) {
    let starts = [
        "reporting by",
        "additional reporting by",
        "writing by",
        "editing by",
        "compiled by",
    ];
    while let Some(last) = paragraphs.last() {
        let lower = last.trim_start_matches(['(', '[']).to_lowercase();
        if !starts.iter().any(|start| lower.starts_with(start)) || last.len() > 300 {
            break;
        }
        let line = paragraphs.pop().unwrap_or_default();
        if article.byline.is_none() && lower.starts_with("reporting by") {
            let names = line.trim_matches(['(', ')', '[', ']']);
            let names = names.split(';').next().unwrap_or(names);
            article.byline = Some(names["reporting by".len()..].trim().to_string());
        }
    }
}

/// The parts of a wire dateline.
#[derive(Debug, PartialEq)]
struct Dateline {
    place: String,
    date: Option<String>,
    agency: Option<String>,
    /// Byte length of the dateline including the dash and following space.
    length: usize,
}

/// Recognises "KYIV, Nov 27 (Reuters) - ", "LONDON (AP) — ", "WASHINGTON — ",
/// "PARIS, 3 March 2025 /PRNewswire/ -- " at the start of a paragraph.
fn parse_dateline(paragraph: &str) -> Option<Dateline> {
    let mut window_end = paragraph.len().min(160);
    while !paragraph.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = &paragraph[..window_end];
    let dashes = [" -- ", " - ", " — ", " – ", " —", " –"];
    let (dash_position, dash) = dashes
        .iter()
        .filter_map(|dash| window.find(dash).map(|position| (position, *dash)))
        .min_by_key(|(position, _)| *position)?;
    let prefix = paragraph[..dash_position].trim();
    let place_end = prefix
        .char_indices()
        .find(|(_, c)| !(c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '-')))
        .map_or(prefix.len(), |(index, _)| index);
    let place = prefix[..place_end].trim().trim_end_matches(['.', ' ']);
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || place.split_whitespace().count() > 4 {
        return None;
    }
    let mut rest = prefix[place_end..].trim();
    let mut agency = None;
    if let Some(open) = rest.find(['(', '/']) {
        let inner = rest[open + 1..].trim_end_matches([')', '/']).trim();
        if !inner.is_empty() && inner.len() < 40 {
            agency = Some(inner.to_string());
        }
        rest = rest[..open].trim();
    }
    let date = rest.trim_start_matches(',').trim();
    if date.len() > 30 {
        return None;
    }
    let place = titlecase_place(place);
    let length = dash_position + dash.len();
    Some(Dateline {
        place,
        date: (!date.is_empty()).then(|| date.to_string()),
        agency,
        length: length.min(paragraph.len()),
    })
}

/// Keeps the place as printed, but without a trailing comma.
fn titlecase_place(place: &str) -> String {
    place.trim_end_matches(',').to_string()
}

fn apply_dateline(dateline: Dateline, paragraph: &mut String, article: &mut RawArticle) {
    if article.source.is_none() {
        article.source = dateline.agency.clone();
    }
    if article.date.is_none() {
        article.date = dateline.date.as_deref().and_then(parse_date);
    }
    article.dateline = Some(dateline.place);
    *paragraph = paragraph[dateline.length..].trim_start().to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> RawArticle {
        read(text).unwrap().articles.remove(0)
    }

    #[test]
    fn bbc_style_title_and_paragraphs() {
        let article = one(
            "Ferry strike halts island crossings\n\nCrossings stopped on Monday.\n\nUnions met\nthe operator.\n",
        );
        assert_eq!(
            article.title.as_deref(),
            Some("Ferry strike halts island crossings")
        );
        assert_eq!(
            article.body,
            "Crossings stopped on Monday.\n\nUnions met the operator."
        );
    }

    #[test]
    fn header_block() {
        let article = one(
            "Title: Grain deal extended\nDate: 27 November 2025\nBy: Ana Lima\nSource: Harbour Post\nURL: https://example.org/grain\n\nThe deal was extended.",
        );
        assert_eq!(article.title.as_deref(), Some("Grain deal extended"));
        assert_eq!(
            article.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-11-27T00:00:00+00:00")
        );
        assert_eq!(article.byline.as_deref(), Some("Ana Lima"));
        assert_eq!(article.source.as_deref(), Some("Harbour Post"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/grain"));
        assert_eq!(article.body, "The deal was extended.");
    }

    #[test]
    fn a_long_first_paragraph_with_multibyte_text_is_no_dateline() {
        // Byte 160 falls inside a '€': found by the readers' fuzz test.
        let paragraph = format!("{}€ - more text", "a".repeat(159));
        assert_eq!(parse_dateline(&paragraph), None);
    }

    #[test]
    fn markdown_emphasis_is_removed_but_not_word_markers() {
        assert_eq!(
            clean_markdown("*Italian wins at the All England Club*"),
            "Italian wins at the All England Club"
        );
        assert_eq!(
            clean_markdown("_Updated_ with **bold** and __strong__ words"),
            "Updated with bold and strong words"
        );
        assert_eq!(clean_markdown("* a bullet"), " a bullet");
        assert_eq!(
            clean_markdown("see file_name and 2*3"),
            "see file_name and 2*3"
        );
    }

    #[test]
    fn pasted_page_junk_is_removed() {
        let text = "Skip to main content\nAdvertisement\nMinisters agree port upgrade\nUpdated 10:42 GMT\nThe ministers met in the capital on Tuesday.\nQuick Reads\nView AllThe upgrade will take three years, officials said.\nShare this article\n)\n\n)\n)\n";
        let article = one(text);
        assert_eq!(
            article.title.as_deref(),
            Some("Ministers agree port upgrade")
        );
        assert_eq!(
            article.body,
            "The ministers met in the capital on Tuesday.\n\nThe upgrade will take three years, officials said."
        );
    }

    #[test]
    fn long_first_line_is_not_a_title() {
        let article = one(
            "The finance minister said on Thursday that the budget would include new support for farmers hit by the drought, and that the cost would be met from reserves.\nOpposition leaders criticised the plan.",
        );
        assert_eq!(article.title, None);
        assert!(article.body.starts_with("The finance minister said"));
    }

    #[test]
    fn dateline_byline_and_credits() {
        let text = "Talks resume in Geneva\n\nBy Maria Keller\n\nGENEVA, Nov 27 (Reuters) - Negotiators returned to the table on Thursday.\n\nA second round is planned.\n\nReporting by Maria Keller; Editing by Tom Hale";
        let article = one(text);
        assert_eq!(article.title.as_deref(), Some("Talks resume in Geneva"));
        assert_eq!(article.byline.as_deref(), Some("Maria Keller"));
        assert_eq!(article.dateline.as_deref(), Some("GENEVA"));
        assert_eq!(article.source.as_deref(), Some("Reuters"));
        assert_eq!(
            article.body,
            "Negotiators returned to the table on Thursday.\n\nA second round is planned."
        );
    }

    #[test]
    fn datelines() {
        let cases = [
            (
                "KYIV, Nov 27 (Reuters) - Text",
                Some(("KYIV", Some("Nov 27"), Some("Reuters"))),
            ),
            ("LONDON (AP) — Text", Some(("LONDON", None, Some("AP")))),
            ("WASHINGTON — Text", Some(("WASHINGTON", None, None))),
            (
                "NEW YORK, 3 March 2025 /PRNewswire/ -- Text",
                Some(("NEW YORK", Some("3 March 2025"), Some("PRNewswire"))),
            ),
            ("The minister - who spoke late - said", None),
            ("UK inflation rose - a lot", None),
        ];
        for (text, expected) in cases {
            let parsed = parse_dateline(text);
            let got = parsed
                .as_ref()
                .map(|d| (d.place.as_str(), d.date.as_deref(), d.agency.as_deref()));
            assert_eq!(got, expected, "{text}");
        }
        let dated = one("Headline here\n\nPARIS, 3 March 2025 (AFP) - Text.");
        assert_eq!(
            dated.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-03-03T00:00:00+00:00")
        );
        assert_eq!(dated.body, "Text.");
    }

    #[test]
    fn markdown_is_cleaned() {
        let article = one(
            "# Rail fares **frozen** for a year\n\n![chart](c.png)\nThe [transport ministry](https://example.org) said __on Monday__ that fares stay.\n",
        );
        assert_eq!(
            article.title.as_deref(),
            Some("Rail fares frozen for a year")
        );
        assert_eq!(
            article.body,
            "The transport ministry said on Monday that fares stay."
        );
    }

    #[test]
    fn timestamps_are_junk() {
        for line in [
            "10:42 GMT",
            "Updated 10:42 GMT",
            "3 hours ago",
            "Published 2 days ago",
            "5 min read",
            ")",
            "***",
        ] {
            assert!(is_junk(line), "{line}");
        }
        for line in ["10 people died", "The talks ended at 10:42 GMT on Friday"] {
            assert!(!is_junk(line), "{line}");
        }
    }
}
