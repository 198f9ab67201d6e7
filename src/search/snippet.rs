//! Snippets: the fragment of the body that best shows why an article matched.

use crate::error::Result;
use crate::index::{ArticleIndex, StoredArticle};
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// A fragment with its highlights.
pub(crate) struct Fragment {
    /// HTML-escaped fragment with `<b>` around matches.
    pub html: String,
    /// Plain fragment.
    pub text: String,
    /// Byte ranges of matches in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Makes snippets for the hits of one query.
pub(crate) struct Snippets {
    generator: Option<SnippetGenerator>,
}

impl Snippets {
    /// Prepares snippets for the free-text part of a query (none: lead of the article).
    pub fn new(
        searcher: &Searcher,
        index: &ArticleIndex,
        text_query: Option<&dyn Query>,
    ) -> Result<Snippets> {
        let generator = match text_query {
            Some(query) => {
                let mut generator = SnippetGenerator::create(searcher, query, index.fields.body)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Some(generator)
            }
            None => None,
        };
        Ok(Snippets { generator })
    }

    /// The fragment for one article: the best-matching passage, else its opening.
    pub fn for_article(&self, article: &StoredArticle) -> Fragment {
        if let Some(generator) = &self.generator {
            let snippet = generator.snippet(&article.body);
            if !snippet.highlighted().is_empty() {
                let ranges: Vec<(usize, usize)> = snippet
                    .highlighted()
                    .iter()
                    .map(|range| (range.start, range.end))
                    .collect();
                return fragment_of(&article.body, snippet.fragment_range(), &ranges);
            }
        }
        let text = opening(&article.body, SNIPPET_CHARS);
        Fragment {
            html: escape_html(&text),
            text,
            highlights: Vec::new(),
        }
    }
}

/// Builds a fragment from tantivy's choice: the range is widened to whole words (tantivy
/// stops at the last token, dropping a closing full stop), an ellipsis marks cut text, and
/// highlights separated only by spaces merge so a phrase is one highlight.
fn fragment_of(
    body: &str,
    range: std::ops::Range<usize>,
    highlights: &[(usize, usize)],
) -> Fragment {
    let mut end = range.end.min(body.len());
    while let Some(character) = body[end..].chars().next() {
        if character.is_whitespace() {
            break;
        }
        end += character.len_utf8();
    }
    let start = range.start.min(end);
    let core = &body[start..end];
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < body.len() { "…" } else { "" };
    // Paragraph breaks become one space; highlights follow the shortened text.
    let mut flat = String::with_capacity(core.len() + 6);
    let mut new_offset = vec![0; core.len() + 1];
    flat.push_str(prefix);
    let mut previous_space = false;
    for (index, character) in core.char_indices() {
        new_offset[index] = flat.len();
        let is_break = character == '\n';
        if is_break && previous_space {
            continue;
        }
        flat.push(if is_break { ' ' } else { character });
        previous_space = is_break || character == ' ';
    }
    new_offset[core.len()] = flat.len();
    flat.push_str(suffix);
    let text = flat;
    let shifted: Vec<(usize, usize)> = highlights
        .iter()
        .filter(|(from, to)| from < to && *to <= core.len())
        .map(|(from, to)| (new_offset[*from], new_offset[*to]))
        .collect();
    let merged = merge_adjacent(&text, &shifted);
    Fragment {
        html: highlight_html(&text, &merged),
        text,
        highlights: merged,
    }
}

/// Joins ranges separated only by whitespace.
fn merge_adjacent(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for &(start, end) in ranges {
        if let Some(last) = merged.last_mut() {
            let joinable = text
                .get(last.1..start)
                .is_some_and(|between| between.chars().all(char::is_whitespace));
            if joinable {
                last.1 = end;
                continue;
            }
        }
        merged.push((start, end));
    }
    merged
}

/// Escaped HTML with `<b>` around each range.
fn highlight_html(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut html = String::with_capacity(text.len() + ranges.len() * 7);
    let mut position = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(word)) = (text.get(position..start), text.get(start..end)) else {
            continue;
        };
        html.push_str(&escape_html(before));
        html.push_str("<b>");
        html.push_str(&escape_html(word));
        html.push_str("</b>");
        position = end;
    }
    html.push_str(&escape_html(text.get(position..).unwrap_or("")));
    html
}

/// The first `limit` characters of the text, cut at a word boundary.
fn opening(text: &str, limit: usize) -> String {
    let first_paragraph = text.split("\n\n").next().unwrap_or("");
    if first_paragraph.chars().count() <= limit {
        return first_paragraph.to_string();
    }
    let cut: String = first_paragraph.chars().take(limit).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_cuts_at_a_word() {
        assert_eq!(opening("Short text.\n\nMore.", 50), "Short text.");
        assert_eq!(opening("one two three four", 9), "one two…");
    }

    #[test]
    fn fragments_keep_whole_words_and_merge_phrases() {
        let body = "Earlier text. The peace talks resumed in Geneva. Later text";
        let fragment = fragment_of(body, 14..47, &[(4, 9), (10, 15), (27, 33)]);
        assert_eq!(fragment.text, "…The peace talks resumed in Geneva.…");
        assert_eq!(
            fragment.html,
            "…The <b>peace talks</b> resumed in <b>Geneva</b>.…"
        );
        assert_eq!(fragment.highlights, [(7, 18), (30, 36)]);
    }

    #[test]
    fn paragraph_breaks_become_spaces() {
        let body = "First para.\n\nSecond with match.";
        let fragment = fragment_of(body, 0..body.len(), &[(25, 30)]);
        assert_eq!(fragment.text, "First para. Second with match.");
        assert_eq!(fragment.html, "First para. Second with <b>match</b>.");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<b>\"x\" & 'y'"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }
}
