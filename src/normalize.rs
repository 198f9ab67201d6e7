//! RawArticle -> Article: Unicode NFC, clean whitespace, invisible characters removed,
//! paragraphs kept, stable id and content hash. Pure.

use crate::model::{Article, RawArticle};
use unicode_normalization::UnicodeNormalization;

/// Normalizes one raw article found at `path` (relative to its root).
pub fn normalize(raw: RawArticle, path: &str) -> Article {
    let title = normalize_line(raw.title.as_deref().unwrap_or(""));
    let body = normalize_body(&raw.body);
    let id = match raw.source_id.as_deref().map(normalize_line) {
        Some(source_id) if !source_id.is_empty() => source_id,
        _ => format!("{path}#{}", raw.item),
    };
    let hash = content_hash(&title, &body);
    let lang = crate::lang::language(clean_optional(raw.lang).as_deref(), &title, &body);
    Article {
        id,
        path: path.to_string(),
        item: raw.item,
        title,
        body,
        date: raw.date,
        source: clean_optional(raw.source),
        url: clean_optional(raw.url),
        byline: clean_optional(raw.byline),
        lang,
        dateline: clean_optional(raw.dateline),
        tags: clean_list(raw.tags),
        tagged_people: clean_list(raw.tagged_people),
        tagged_places: clean_list(raw.tagged_places),
        tagged_orgs: clean_list(raw.tagged_orgs),
        hash,
    }
}

/// Hex content hash of a normalized title and body: equal texts give equal hashes.
pub fn content_hash(title: &str, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(title.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// Normalizes a single-line value: NFC, typographic quotes unified, whitespace collapsed.
pub fn normalize_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    push_collapsed(&mut line, text);
    line
}

/// Normalizes a body: paragraphs (separated by blank lines) are kept, each collapsed to one
/// line. A text with no blank line at all but several lines is taken as one paragraph a line,
/// which is how articles pasted from web pages arrive.
pub fn normalize_body(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let has_blank_line = text
        .split('\n')
        .any(|line| line.trim().is_empty() && !text.trim().is_empty())
        && text.trim().contains('\n');
    let paragraphs: Vec<&str> = if has_blank_line {
        split_paragraphs(&text)
    } else {
        text.split('\n').collect()
    };
    let mut body = String::with_capacity(text.len());
    for paragraph in paragraphs {
        let mut cleaned = String::with_capacity(paragraph.len());
        push_collapsed(&mut cleaned, paragraph);
        if cleaned.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&cleaned);
    }
    body
}

/// Splits on lines that are empty or whitespace-only.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            paragraphs.push(&text[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    paragraphs.push(&text[start..]);
    paragraphs
}

/// Appends `text` to `out` in NFC with whitespace runs collapsed to one space, invisible
/// characters (zero-width, soft hyphen, BOM, controls) dropped and quotes made plain.
fn push_collapsed(out: &mut String, text: &str) {
    // Most news text is ASCII or already NFC: skip the composition pass for it.
    let needs_composition = !text.is_ascii()
        && unicode_normalization::is_nfc_quick(text.chars())
            != unicode_normalization::IsNormalized::Yes;
    if needs_composition {
        let composed: String = text.nfc().collect();
        push_cleaned(out, &composed);
    } else {
        push_cleaned(out, text);
    }
}

fn push_cleaned(out: &mut String, text: &str) {
    let mut pending_space = false;
    for character in text.chars() {
        let character = match character {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            other => other,
        };
        if is_invisible(character) {
            continue;
        }
        if character.is_whitespace() {
            pending_space = true;
            continue;
        }
        if character.is_control() {
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(character);
    }
}

/// Characters that render as nothing and would split words in the index.
fn is_invisible(character: char) -> bool {
    matches!(
        character,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// Trims an optional value and drops it when empty.
fn clean_optional(value: Option<String>) -> Option<String> {
    let cleaned = normalize_line(value.as_deref()?);
    (!cleaned.is_empty()).then_some(cleaned)
}

/// Normalizes each value of a list, dropping empty ones and repeats (first one kept).
fn clean_list(values: Vec<String>) -> Vec<String> {
    let mut cleaned: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = normalize_line(&value);
        if !value.is_empty() && !cleaned.contains(&value) {
            cleaned.push(value);
        }
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_collapsed_and_cleaned() {
        let cases = [
            ("  Peace   talks\tresume ", "Peace talks resume"),
            ("Zelen\u{00AD}sky\u{200B}", "Zelensky"),
            ("Erdog\u{0306}an", "Erdoğan"),
            ("\u{201C}no compromise\u{201D}", "\"no compromise\""),
            ("Putin\u{2019}s aide", "Putin's aide"),
            ("non\u{00A0}breaking", "non breaking"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_line(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn paragraphs_are_kept() {
        let body = "First line\nwrapped here.\n\n\n  Second   paragraph.\r\n \r\nThird.";
        assert_eq!(
            normalize_body(body),
            "First line wrapped here.\n\nSecond paragraph.\n\nThird."
        );
    }

    #[test]
    fn pasted_text_without_blank_lines_keeps_one_paragraph_a_line() {
        assert_eq!(
            normalize_body("One.\nTwo.\nThree."),
            "One.\n\nTwo.\n\nThree."
        );
    }

    #[test]
    fn id_comes_from_source_id_or_path_and_item() {
        let raw = RawArticle {
            item: 3,
            body: "Text".into(),
            ..RawArticle::default()
        };
        assert_eq!(normalize(raw.clone(), "feeds/a.xml").id, "feeds/a.xml#3");
        let with_id = RawArticle {
            source_id: Some(" urn:1 ".into()),
            ..raw
        };
        assert_eq!(normalize(with_id, "feeds/a.xml").id, "urn:1");
    }

    #[test]
    fn equal_text_gives_equal_hash() {
        let first = RawArticle {
            title: Some("Title".into()),
            body: "Body  text".into(),
            ..RawArticle::default()
        };
        let second = RawArticle {
            title: Some(" Title ".into()),
            body: "Body text".into(),
            ..RawArticle::default()
        };
        assert_eq!(normalize(first, "a").hash, normalize(second, "b").hash);
    }
}
