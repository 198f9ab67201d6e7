//! Query text before tantivy's parser sees it: newsdex prefixes (`person:`, `country:`,
//! `date:[A TO B]` ...) rewritten into tantivy syntax, and prefix wildcards expanded into
//! the terms of the index.

use super::*;

/// Prefixes a user may write in the query text.
const PREFIXES: [&str; 9] = [
    "person", "country", "topic", "org", "source", "title", "body", "date", "lang",
];

/// Rewrites newsdex prefixes into tantivy syntax; text inside quotes is left alone.
pub fn rewrite(query: &str) -> Result<String> {
    rewrite_checked(query, &mut |_, _| Ok(()))
}

/// [`rewrite`], calling `check(prefix, value)` for each prefixed value first, so values
/// that match nothing can be refused with suggestions.
pub(super) fn rewrite_checked(
    query: &str,
    check: &mut dyn FnMut(&str, &str) -> Result<()>,
) -> Result<String> {
    let mut output = String::with_capacity(query.len() + 16);
    let characters: Vec<char> = query.chars().collect();
    let mut position = 0;
    while position < characters.len() {
        let character = characters[position];
        if character == '"' {
            let end = closing_quote(&characters, position);
            output.extend(&characters[position..end]);
            position = end;
            continue;
        }
        if character.is_whitespace() || character == '(' || character == ')' {
            output.push(character);
            position += 1;
            continue;
        }
        let word_start = position;
        while position < characters.len()
            && !characters[position].is_whitespace()
            && !matches!(characters[position], '(' | ')' | '"' | ':')
        {
            position += 1;
        }
        let word: String = characters[word_start..position].iter().collect();
        let is_prefix = position < characters.len() && characters[position] == ':';
        if !is_prefix {
            output.push_str(&word);
            continue;
        }
        position += 1;
        let sign: String = word
            .chars()
            .take_while(|c| *c == '-' || *c == '+')
            .collect();
        let name = word[sign.len()..].to_ascii_lowercase();
        let value_end = value_end(&characters, position, &name);
        let value: String = characters[position..value_end].iter().collect();
        position = value_end;
        check(&name, &value)?;
        output.push_str(&sign);
        output.push_str(&rewrite_prefixed(&name, &value)?);
    }
    Ok(output)
}

/// End of a prefixed value: a quoted phrase, a `[A TO B]` range or a bare word.
fn value_end(characters: &[char], start: usize, name: &str) -> usize {
    if start >= characters.len() {
        return start;
    }
    if characters[start] == '"' {
        return closing_quote(characters, start);
    }
    if name == "date" && matches!(characters[start], '[' | '{') {
        let mut end = start;
        while end < characters.len() && !matches!(characters[end], ']' | '}') {
            end += 1;
        }
        return (end + 1).min(characters.len());
    }
    let mut end = start;
    while end < characters.len() && !characters[end].is_whitespace() && characters[end] != ')' {
        end += 1;
    }
    end
}

/// Index just past the quote closing the one at `start` (and a `~N` slop after it).
fn closing_quote(characters: &[char], start: usize) -> usize {
    let mut end = start + 1;
    while end < characters.len() && characters[end] != '"' {
        end += 1;
    }
    end = (end + 1).min(characters.len());
    if end < characters.len() && characters[end] == '~' {
        end += 1;
        while end < characters.len() && characters[end].is_ascii_digit() {
            end += 1;
        }
    }
    end
}

fn rewrite_prefixed(name: &str, value: &str) -> Result<String> {
    let unquoted = value.trim_matches('"');
    if unquoted.trim().is_empty() {
        return Err(Error::Query(format!(
            "invalid query: `{name}:` needs a value"
        )));
    }
    match name {
        "person" => Ok(format!("{}:{value}", names::PERSON_NAME)),
        "org" => Ok(format!("{}:{value}", names::ORG_NAME)),
        "source" | "title" | "body" => Ok(format!("{name}:{value}")),
        "lang" => Ok(format!("lang:{}", unquoted.trim().to_ascii_lowercase())),
        "country" => {
            let code = resolve_country(unquoted)?;
            Ok(format!("{}:\"/{}/{code}\"", names::COUNTRY, names::COUNTRY))
        }
        "topic" => {
            let slug = resolve_topic(unquoted)?;
            Ok(format!("{}:\"/{}/{slug}\"", names::TOPIC, names::TOPIC))
        }
        "date" => rewrite_date_range(value),
        other => {
            let suggestions = closest(other, PREFIXES.iter().map(|p| p.to_string()), 1);
            let mut message = format!(
                "unknown field `{other}:` in query (fields: {})",
                PREFIXES.join(", ")
            );
            if let Some(best) = suggestions.first() {
                message = format!("unknown field `{other}:` in query: did you mean `{best}:`?");
            }
            Err(Error::Query(message))
        }
    }
}

/// Most terms a prefix wildcard (`negotiat*`) expands to: the most frequent are kept.
const MAX_WILDCARD_TERMS: usize = 256;

/// Replaces each prefix wildcard outside quotes (`negotiat*`, `title:negotiat*`) by the
/// indexed terms that start with it, ORed: `(negotiate OR negotiators)`. `expand` gets
/// the field name (when the word has one) and the analyzed prefix, and returns the terms.
pub(super) fn expand_wildcards(
    text: &str,
    mut expand: impl FnMut(Option<&str>, &str) -> Result<Vec<String>>,
) -> Result<String> {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(character) = rest.chars().next() {
        if character == '"' {
            let characters: Vec<char> = rest.chars().collect();
            let end = closing_quote(&characters, 0);
            let quoted: String = characters[..end].iter().collect();
            output.push_str(&quoted);
            rest = &rest[quoted.len()..];
            continue;
        }
        if character.is_whitespace() || matches!(character, '(' | ')') {
            output.push(character);
            rest = &rest[character.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let Some(stem) = word.strip_suffix('*').filter(|stem| !stem.is_empty()) else {
            // A lone `*` is every article (tantivy's syntax), as in `* -moscow`.
            output.push_str(word);
            continue;
        };
        let signless = stem.trim_start_matches(['-', '+']);
        let sign = &stem[..stem.len() - signless.len()];
        let (field, prefix) = match signless.split_once(':') {
            Some((field, prefix)) => (Some(field), prefix),
            None => (None, signless),
        };
        let mut analyzer = schema::text_analyzer();
        let mut stream = analyzer.token_stream(prefix);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.text.clone());
        }
        let [folded] = tokens.as_slice() else {
            return Err(Error::Query(format!(
                "invalid query: `{word}`: a wildcard goes at the end of one word, as in negotiat*"
            )));
        };
        if folded.chars().count() < 2 {
            return Err(Error::Query(format!(
                "invalid query: `{word}`: a wildcard needs at least two letters before `*`"
            )));
        }
        let terms = expand(field, folded)?;
        let field_prefix = field.map(|name| format!("{name}:")).unwrap_or_default();
        output.push_str(sign);
        output.push_str(&field_prefix);
        if terms.is_empty() {
            // Matches nothing, like a word that is not in the index.
            output.push_str(folded);
        } else {
            output.push('(');
            output.push_str(&terms.join(" OR "));
            output.push(')');
        }
    }
    Ok(output)
}

/// The indexed terms of `fields` starting with `prefix`, the most frequent first, at most
/// [`MAX_WILDCARD_TERMS`].
pub(super) fn terms_with_prefix(
    searcher: &Searcher,
    fields: &[Field],
    prefix: &str,
) -> Result<Vec<String>> {
    let mut frequencies: std::collections::HashMap<String, u64> = Default::default();
    let read_error =
        |error: std::io::Error| Error::Index(format!("cannot read the index: {error}"));
    for segment in searcher.segment_readers() {
        for field in fields {
            let inverted = segment.inverted_index(*field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(read_error)?;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                *frequencies.entry(term.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut terms: Vec<(u64, String)> = frequencies.into_iter().map(|(t, f)| (f, t)).collect();
    terms.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    terms.truncate(MAX_WILDCARD_TERMS);
    let mut words: Vec<String> = terms.into_iter().map(|(_, term)| term).collect();
    words.sort();
    Ok(words)
}

/// `[2025-01-01 TO 2025-06-30]` -> RFC 3339 bounds covering whole days; `*` stays open.
fn rewrite_date_range(value: &str) -> Result<String> {
    let invalid = || {
        Error::Query(format!(
            "invalid date range {value:?}: use date:[2025-01-01 TO 2025-06-30]"
        ))
    };
    let open = value
        .chars()
        .next()
        .filter(|c| matches!(c, '[' | '{'))
        .ok_or_else(invalid)?;
    let close = value
        .chars()
        .last()
        .filter(|c| matches!(c, ']' | '}'))
        .ok_or_else(invalid)?;
    let inner = &value[1..value.len() - 1];
    let (lower, upper) = inner.split_once(" TO ").ok_or_else(invalid)?;
    let bound = |text: &str, is_upper: bool| -> Result<String> {
        let text = text.trim();
        if text == "*" {
            return Ok("*".to_string());
        }
        let date = parse_date_bound(text, is_upper)?;
        Ok(date.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    Ok(format!(
        "date:{open}{} TO {}{close}",
        bound(lower, false)?,
        bound(upper, true)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_rewritten_outside_quotes() {
        let cases = [
            ("putin", "putin"),
            ("person:putin talks", "person_name:putin talks"),
            ("org:\"red cross\"", "org_name:\"red cross\""),
            ("\"person:not a prefix\"", "\"person:not a prefix\""),
            ("-person:putin", "-person_name:putin"),
            ("(a OR title:b)", "(a OR title:b)"),
            ("topic:sport", "topic:\"/topic/sport\""),
            (
                "date:[2025-01-01 TO 2025-06-30]",
                "date:[2025-01-01T00:00:00Z TO 2025-06-30T23:59:59Z]",
            ),
            ("date:[* TO 2025]", "date:[* TO 2025-12-31T23:59:59Z]"),
            ("\"peace talks\"~2 kremlin", "\"peace talks\"~2 kremlin"),
        ];
        for (input, expected) in cases {
            assert_eq!(rewrite(input).unwrap(), expected, "input {input:?}");
        }
    }

    #[test]
    fn bad_prefixes_are_clear_errors() {
        let error = rewrite("persn:putin").unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown field `persn:` in query: did you mean `person:`?"
        );
        let error = rewrite("topic:sprot").unwrap_err().to_string();
        assert!(
            error.starts_with("unknown topic \"sprot\": did you mean sport?"),
            "{error}"
        );
        assert!(rewrite("person:").is_err());
        assert!(rewrite("date:[yesterday TO today]").is_err());
    }

    #[test]
    fn wildcards_expand_outside_quotes() {
        let mut asked = Vec::new();
        let expanded = expand_wildcards(
            "Negotiat* \"peace tal*\" -title:Kyi* (war OR ceasefir*) zzz*",
            |field, prefix| {
                asked.push((field.map(str::to_string), prefix.to_string()));
                Ok(match prefix {
                    "negotiat" => vec!["negotiate".into(), "negotiators".into()],
                    "kyi" => vec!["kyiv".into()],
                    "ceasefir" => vec!["ceasefire".into()],
                    _ => Vec::new(),
                })
            },
        )
        .unwrap();
        assert_eq!(
            expanded,
            "(negotiate OR negotiators) \"peace tal*\" -title:(kyiv) (war OR (ceasefire)) zzz"
        );
        assert_eq!(asked.len(), 4);
        assert_eq!(asked[1], (Some("title".to_string()), "kyi".to_string()));
        let short = expand_wildcards("a*", |_, _| Ok(Vec::new())).unwrap_err();
        assert!(
            short.to_string().contains("at least two letters"),
            "{short}"
        );
        assert!(expand_wildcards("new-yor*", |_, _| Ok(Vec::new())).is_err());
    }

    #[test]
    fn date_bounds_cover_whole_periods() {
        let cases = [
            ("2025", false, "2025-01-01T00:00:00+00:00"),
            ("2025", true, "2025-12-31T23:59:59+00:00"),
            ("2025-02", true, "2025-02-28T23:59:59+00:00"),
            ("2024-12", true, "2024-12-31T23:59:59+00:00"),
            ("2025-06-30", true, "2025-06-30T23:59:59+00:00"),
            ("2025-06-30", false, "2025-06-30T00:00:00+00:00"),
        ];
        for (input, upper, expected) in cases {
            let date = parse_date_bound(input, upper).unwrap();
            assert_eq!(date.to_rfc3339(), expected, "{input} upper={upper}");
        }
        assert!(parse_date_bound("2025-13-01", false).is_err());
        assert!(parse_date_bound("soon", false).is_err());
    }
}
