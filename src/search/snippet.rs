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
                return Fragment {
                    html: snippet.to_html(),
                    text: snippet.fragment().to_string(),
                    highlights: snippet
                        .highlighted()
                        .iter()
                        .map(|range| (range.start, range.end))
                        .collect(),
                };
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
    fn html_is_escaped() {
        assert_eq!(
            escape_html("<b>\"x\" & 'y'"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
    }
}
