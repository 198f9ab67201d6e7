//! Snippets: the fragment of the body that best shows why an article matched.

use crate::error::Result;
use crate::extract::countries;
use crate::index::schema;
use crate::index::{ArticleIndex, StoredArticle};
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::Searcher;
use tantivy::query::Query;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// Fragments shown per hit, at most.
const MAX_FRAGMENTS: usize = 3;

/// One passage of an article's body with its highlights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    /// Plain passage; "…" marks cut text.
    pub text: String,
    /// HTML-escaped passage with `<b>` around matches.
    pub html: String,
    /// Byte ranges of the highlighted words in `text`; a phrase is one range.
    pub highlights: Vec<(usize, usize)>,
}

/// What to highlight in the bodies of one query's hits.
pub(crate) struct Snippets {
    /// Analyzed body terms of the free text that count alone, with their weight (idf).
    terms: FxHashMap<String, f32>,
    /// Exact phrases ("peace talks"): highlighted only where the words are adjacent.
    phrases: Vec<Vec<String>>,
    /// Filtered people and organizations, folded words of the filter value.
    named: Vec<(&'static str, Vec<String>)>,
    /// Filtered country codes.
    countries: Vec<&'static str>,
}

/// What a request asks for besides its query: the filters whose mentions are worth showing.
pub(crate) struct Filters<'a> {
    pub people: &'a [String],
    pub orgs: &'a [String],
    pub countries: &'a [String],
}

impl Snippets {
    /// Prepares snippets for the free-text part of a query and the entity filters.
    /// `phrases` are the quoted phrases of the query text (analyzed), `loose` its words
    /// outside quotes: a word that appears only inside a phrase is highlighted only there.
    pub fn new(
        searcher: &Searcher,
        index: &ArticleIndex,
        text_query: Option<&dyn Query>,
        query_text: &QueryText,
        filters: &Filters,
    ) -> Result<Snippets> {
        let mut terms = FxHashMap::default();
        if let Some(query) = text_query {
            let mut body_terms = Vec::new();
            query.query_terms(&mut |term, _| {
                if term.field() == index.fields.body {
                    body_terms.push(term.clone());
                }
            });
            let documents = searcher.num_docs() as f32;
            for term in body_terms {
                let Some(text) = term.value().as_str().map(str::to_string) else {
                    continue;
                };
                let phrase_only = !query_text.loose.contains(&text)
                    && query_text
                        .phrases
                        .iter()
                        .any(|phrase| phrase.contains(&text));
                let frequency = searcher.doc_freq(&term)? as f32;
                if phrase_only || frequency == 0.0 {
                    continue;
                }
                // BM25's idf: rare words weigh more when choosing passages.
                let weight = (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln();
                terms.insert(text, weight);
            }
        }
        let mut named = Vec::new();
        for (kind, values) in [("person", filters.people), ("org", filters.orgs)] {
            for value in values {
                for alternative in value.split(',') {
                    let folded = fold_words(alternative);
                    if !folded.is_empty() {
                        named.push((kind, folded));
                    }
                }
            }
        }
        let countries = filters
            .countries
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|value| countries::resolve(value.trim()))
            .collect();
        Ok(Snippets {
            terms,
            phrases: query_text.phrases.clone(),
            named,
            countries,
        })
    }

    /// Whether snippets read the articles' mentions (only to show filtered entities).
    pub fn reads_mentions(&self) -> bool {
        !self.named.is_empty() || !self.countries.is_empty()
    }

    /// Up to three passages of the body where the query or the filtered entities are
    /// mentioned, in text order; the article's opening when none is.
    pub fn for_article(&self, article: &StoredArticle) -> Vec<Fragment> {
        let body = &article.body;
        let marks = self.marks(article);
        if marks.is_empty() {
            let text = opening(body, SNIPPET_CHARS);
            if text.is_empty() {
                return Vec::new();
            }
            return vec![Fragment {
                html: escape_html(&text),
                text,
                highlights: Vec::new(),
            }];
        }
        let sentences = sentences(body);
        // Score each sentence by the distinct things it mentions.
        let mut scored: Vec<(f32, usize)> = Vec::new();
        for (number, range) in sentences.iter().enumerate() {
            let mut seen: Vec<&str> = Vec::new();
            let mut score = 0.0;
            for mark in marks
                .iter()
                .filter(|mark| mark.start >= range.start && mark.start < range.end)
            {
                if !seen.contains(&mark.key.as_str()) {
                    seen.push(&mark.key);
                    score += mark.weight;
                }
            }
            if score > 0.0 {
                scored.push((score, number));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(MAX_FRAGMENTS);
        scored.sort_by_key(|(_, number)| *number);
        let ranges: Vec<(usize, usize)> = marks.iter().map(|mark| (mark.start, mark.end)).collect();
        scored
            .into_iter()
            .map(|(_, number)| {
                let sentence = sentences[number].clone();
                let window = window(body, sentence.clone(), &marks);
                let inside: Vec<(usize, usize)> = ranges
                    .iter()
                    .filter(|(start, end)| *start >= window.start && *end <= window.end)
                    .map(|(start, end)| (start - window.start, end - window.start))
                    .collect();
                let cut = (window.start > sentence.start, window.end < sentence.end);
                fragment_of(body, window, &inside, cut)
            })
            .collect()
    }

    /// Every highlight in the body, in text order, overlapping ones merged.
    fn marks(&self, article: &StoredArticle) -> Vec<Mark> {
        let body = &article.body;
        let mut marks = Vec::new();
        if !self.terms.is_empty() || !self.phrases.is_empty() {
            // For phrases, each token is kept as the index of its word among the phrases'
            // words (NONE for other words): matching across tokens allocates nothing.
            const NONE: u32 = u32::MAX;
            let keep_tokens = !self.phrases.is_empty();
            let mut words: Vec<&str> = Vec::new();
            for word in self.phrases.iter().flatten() {
                if !words.contains(&word.as_str()) {
                    words.push(word);
                }
            }
            let word_id = |text: &str| {
                words
                    .iter()
                    .position(|w| *w == text)
                    .map_or(NONE, |i| i as u32)
            };
            let phrases: Vec<Vec<u32>> = self
                .phrases
                .iter()
                .map(|phrase| phrase.iter().map(|word| word_id(word)).collect())
                .collect();
            let mut tokens: Vec<(usize, usize, u32)> = Vec::new();
            for_each_token(body, |start, end, text| {
                if let Some((term, weight)) = self.terms.get_key_value(text) {
                    marks.push(Mark::new(start, end, term.clone(), *weight));
                }
                if keep_tokens {
                    tokens.push((start, end, word_id(text)));
                }
            });
            for (index, (start, _, id)) in tokens.iter().enumerate() {
                if *id == NONE {
                    continue;
                }
                for (phrase, ids) in self.phrases.iter().zip(&phrases) {
                    let fits = tokens.len() - index >= ids.len()
                        && ids
                            .iter()
                            .zip(&tokens[index..])
                            .all(|(word, token)| *word == token.2);
                    if fits {
                        let last = &tokens[index + ids.len() - 1];
                        // A phrase outweighs its words found apart.
                        marks.push(Mark::new(*start, last.1, phrase.join(" "), 2.0));
                    }
                }
            }
        }
        for mention in article.mentions.iter().filter(|m| m.field == "body") {
            let wanted = match mention.kind.as_str() {
                "country" => self.countries.contains(&mention.canonical.as_str()),
                kind => {
                    let canonical = fold_words(&mention.canonical);
                    self.named.iter().any(|(filter_kind, words)| {
                        *filter_kind == kind && contains_run(&canonical, words)
                    })
                }
            };
            if wanted && mention.end <= body.len() && mention.start < mention.end {
                marks.push(Mark::new(
                    mention.start,
                    mention.end,
                    mention.canonical.clone(),
                    1.0,
                ));
            }
        }
        marks.sort_by_key(|mark| (mark.start, std::cmp::Reverse(mark.end)));
        let mut merged: Vec<Mark> = Vec::with_capacity(marks.len());
        for mark in marks {
            match merged.last_mut() {
                Some(last) if mark.start < last.end => {
                    last.end = last.end.max(mark.end);
                }
                _ => merged.push(mark),
            }
        }
        merged
    }
}

/// The quoted phrases and the loose words of a query text, analyzed like the index.
#[derive(Debug, Default, Clone)]
pub(crate) struct QueryText {
    /// Phrases of two or more words, without slop.
    pub phrases: Vec<Vec<String>>,
    /// Words outside quotes (and inside sloppy phrases, which match apart).
    pub loose: std::collections::HashSet<String>,
}

impl QueryText {
    /// Splits query text into phrases and loose words.
    pub fn parse(text: &str) -> QueryText {
        let mut result = QueryText::default();
        let mut rest = text;
        while let Some(open) = rest.find('"') {
            result.loose.extend(fold_words(&rest[..open]));
            let after = &rest[open + 1..];
            let close = after.find('"').unwrap_or(after.len());
            let words = fold_words(&after[..close]);
            rest = after.get(close + 1..).unwrap_or("");
            let sloppy = rest.starts_with('~');
            if sloppy {
                rest = rest[1..].trim_start_matches(|c: char| c.is_ascii_digit());
            }
            if words.len() >= 2 && !sloppy {
                result.phrases.push(words);
            } else {
                result.loose.extend(words);
            }
        }
        result.loose.extend(fold_words(rest));
        result
    }
}

/// A highlight: byte range in the body, what it stands for, its weight.
#[derive(Debug)]
struct Mark {
    start: usize,
    end: usize,
    key: String,
    weight: f32,
}

impl Mark {
    fn new(start: usize, end: usize, key: String, weight: f32) -> Mark {
        Mark {
            start,
            end,
            key,
            weight,
        }
    }
}

/// Words analyzed like the index ("Erdoğan" -> "erdogan").
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut analyzer = schema::text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

/// Calls `each(start, end, word)` for every word of `text` as [`schema::text_analyzer`]
/// analyzes it: runs of alphanumeric characters shorter than 64 bytes, lower-cased and
/// ASCII-folded. ASCII words (nearly all of them) are lower-cased here without the
/// analyzer's per-token machinery; the others go through the analyzer.
fn for_each_token(text: &str, mut each: impl FnMut(usize, usize, &str)) {
    /// The analyzer drops words of this many bytes or more.
    const LONGEST: usize = 64;
    let mut analyzer = schema::text_analyzer();
    let mut word = String::new();
    let mut start = None;
    let bytes = text.as_bytes();
    let mut offset = 0;
    while offset <= bytes.len() {
        // ASCII bytes are classified without decoding a character.
        let (is_word, width) = match bytes.get(offset) {
            None => (false, 1),
            Some(byte) if byte.is_ascii() => (byte.is_ascii_alphanumeric(), 1),
            Some(_) => text[offset..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
        };
        let here = offset;
        offset += width;
        if is_word {
            start.get_or_insert(here);
            continue;
        }
        let offset = here;
        let Some(first) = start.take() else {
            continue;
        };
        let slice = &text[first..offset];
        if slice.len() >= LONGEST {
            continue;
        }
        if slice.is_ascii() {
            word.clear();
            word.push_str(slice);
            word.make_ascii_lowercase();
            each(first, offset, &word);
        } else {
            let mut stream = analyzer.token_stream(slice);
            while let Some(token) = stream.next() {
                each(
                    first + token.offset_from,
                    first + token.offset_to,
                    &token.text,
                );
            }
        }
    }
}

/// True when `words` occur consecutively in `name`.
pub(crate) fn contains_run(name: &[String], words: &[String]) -> bool {
    !words.is_empty() && name.windows(words.len()).any(|window| window == words)
}

/// Byte ranges of the sentences of a text: a sentence ends at a line break or after
/// `.`, `!` or `?` followed by a space and a capital, digit or quote, unless the word
/// before is a short abbreviation ("Mr.", "Dr.", "U.S.").
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut result = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let mut end = None;
        if byte == b'\n' {
            end = Some(index);
        } else if matches!(byte, b'.' | b'!' | b'?')
            && bytes.get(index + 1) == Some(&b' ')
            && text[index + 2..].chars().next().is_some_and(|next| {
                next.is_uppercase() || next.is_ascii_digit() || "\"'“‘".contains(next)
            })
        {
            let word_start = text[..index].rfind(' ').map_or(0, |space| space + 1);
            let word = &text[word_start..index];
            let abbreviation = byte == b'.'
                && word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().count() <= 2;
            if !abbreviation {
                end = Some(index + 1);
            }
        }
        if let Some(end) = end {
            if !text[start..end].trim().is_empty() {
                result.push(start..end);
            }
            start = end;
            // Skip the separator.
            while start < bytes.len() && bytes[start].is_ascii_whitespace() {
                start += 1;
            }
            index = start;
            continue;
        }
        index += 1;
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        result.push(start..text.len());
    }
    result
}

/// The sentence, or for a long one a snippet-length window around its first mark, at
/// word boundaries.
fn window(body: &str, sentence: std::ops::Range<usize>, marks: &[Mark]) -> std::ops::Range<usize> {
    if body[sentence.clone()].chars().count() <= SNIPPET_CHARS {
        return sentence;
    }
    let first = marks
        .iter()
        .find(|mark| mark.start >= sentence.start)
        .map_or(sentence.start, |mark| mark.start);
    let mut start = first.saturating_sub(SNIPPET_CHARS / 3).max(sentence.start);
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    if start > sentence.start {
        // Start at the next word.
        start = body[start..first]
            .find(' ')
            .map_or(start, |space| start + space + 1);
    }
    let mut end = start;
    for (count, (offset, _)) in body[start..sentence.end].char_indices().enumerate() {
        end = start + offset;
        if count >= SNIPPET_CHARS {
            break;
        }
    }
    if body[start..sentence.end].chars().count() <= SNIPPET_CHARS {
        end = sentence.end;
    } else {
        end = body[start..end]
            .rfind(' ')
            .map_or(end, |space| start + space);
    }
    start..end
}

/// Builds a fragment from a byte range of the body: the range is widened to whole words,
/// an ellipsis marks cut text, and highlights (relative to the range start) separated
/// only by spaces merge so a phrase is one highlight.
fn fragment_of(
    body: &str,
    range: std::ops::Range<usize>,
    highlights: &[(usize, usize)],
    (cut_start, cut_end): (bool, bool),
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
    let prefix = if cut_start { "…" } else { "" };
    let suffix = if cut_end && end < body.len() {
        "…"
    } else {
        ""
    };
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
    #[test]
    fn fast_words_equal_the_analyzer() {
        let long = "z".repeat(64);
        let text = format!(
            "Erdoğan's ÉCOLE d'été, U.S. 2025-03 Straße {long} x{long} ok ﬁne İstanbul ΑΒΓ 東京 end"
        );
        let mut expected = Vec::new();
        let mut analyzer = schema::text_analyzer();
        let mut stream = analyzer.token_stream(&text);
        while let Some(token) = stream.next() {
            expected.push((token.offset_from, token.offset_to, token.text.clone()));
        }
        let mut found = Vec::new();
        for_each_token(&text, |start, end, word| {
            found.push((start, end, word.to_string()))
        });
        assert_eq!(found, expected);
    }

    use super::*;

    #[test]
    fn opening_cuts_at_a_word() {
        assert_eq!(opening("Short text.\n\nMore.", 50), "Short text.");
        assert_eq!(opening("one two three four", 9), "one two…");
    }

    #[test]
    fn fragments_keep_whole_words_and_merge_phrases() {
        let body = "Earlier text. The peace talks resumed in Geneva. Later text";
        let fragment = fragment_of(body, 14..47, &[(4, 9), (10, 15), (27, 33)], (true, true));
        assert_eq!(fragment.text, "…The peace talks resumed in Geneva.…");
        assert_eq!(
            fragment.html,
            "…The <b>peace talks</b> resumed in <b>Geneva</b>.…"
        );
        assert_eq!(fragment.highlights, [(7, 18), (30, 36)]);
    }

    #[test]
    fn sentences_split_after_stops_but_not_titles() {
        let text =
            "Mr. Smith met U.S. officials. Talks ended?\nYes! \"We agreed,\" he said. 3 more.";
        let found: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "Mr. Smith met U.S. officials.",
                "Talks ended?",
                "Yes!",
                "\"We agreed,\" he said.",
                "3 more."
            ]
        );
    }

    #[test]
    fn query_text_separates_phrases_from_loose_words() {
        let parsed = QueryText::parse("Kremlin \"Peace Talks\" \"near miss\"~2 -\"single\"");
        assert_eq!(
            parsed.phrases,
            [vec!["peace".to_string(), "talks".to_string()]]
        );
        let mut loose: Vec<&String> = parsed.loose.iter().collect();
        loose.sort();
        assert_eq!(loose, ["kremlin", "miss", "near", "single"]);
    }

    fn article(body: &str, mentions: Vec<crate::index::StoredMention>) -> StoredArticle {
        StoredArticle {
            id: "a".into(),
            path: "a.txt".into(),
            item: 0,
            title: String::new(),
            body: body.into(),
            date: None,
            source: None,
            url: None,
            byline: None,
            lang: None,
            hash: String::new(),
            people: Vec::new(),
            countries: Vec::new(),
            orgs: Vec::new(),
            topics: Vec::new(),
            mentions,
            share: String::new(),
            holder: true,
            file: String::new(),
        }
    }

    #[test]
    fn phrases_highlight_only_where_the_words_are_adjacent() {
        let snippets = Snippets {
            terms: FxHashMap::default(),
            phrases: vec![vec!["peace".into(), "talks".into()]],
            named: Vec::new(),
            countries: Vec::new(),
        };
        let body = "Peace came first. Then talks began. The peace talks resumed in Geneva.";
        let fragments = snippets.for_article(&article(body, Vec::new()));
        assert_eq!(fragments.len(), 1);
        assert_eq!(
            fragments[0].html,
            "The <b>peace talks</b> resumed in Geneva."
        );
    }

    #[test]
    fn filter_only_searches_show_the_sentences_naming_the_entity() {
        let snippets = Snippets {
            terms: FxHashMap::default(),
            phrases: Vec::new(),
            named: vec![("person", vec!["putin".into()])],
            countries: vec!["UA"],
        };
        let body = "Markets rose. Vladimir Putin spoke. Nothing else. Kyiv replied. Ukraine waits.";
        let mention = |kind: &str, text: &str, canonical: &str| {
            let start = body.find(text).unwrap();
            let end = start + text.len();
            crate::index::StoredMention {
                kind: kind.into(),
                field: "body".into(),
                start,
                end,
                text: body[start..end].into(),
                canonical: canonical.into(),
            }
        };
        let mentions = vec![
            mention("person", "Vladimir Putin", "Vladimir Putin"),
            mention("country", "Kyiv", "UA"),
            mention("country", "Ukraine", "UA"),
        ];
        let fragments = snippets.for_article(&article(body, mentions));
        let html: Vec<&str> = fragments.iter().map(|f| f.html.as_str()).collect();
        assert_eq!(
            html,
            [
                "<b>Vladimir Putin</b> spoke.",
                "<b>Kyiv</b> replied.",
                "<b>Ukraine</b> waits."
            ]
        );
    }

    #[test]
    fn paragraph_breaks_become_spaces() {
        let body = "First para.\n\nSecond with match.";
        let fragment = fragment_of(body, 0..body.len(), &[(25, 30)], (false, false));
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
