//! Query-string parameters of the API -> library requests, with the server's limits. Every
//! mistake is an [`ApiError`] with status 400 that says which parameter and why.

use super::error::ApiError;
use crate::search::{FacetKind, Period, SearchRequest, SortOrder};

/// Longest accepted query text, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most hits (or related values) one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page one request may ask for.
pub const MAX_OFFSET: usize = 10_000;
/// Longest accepted filter value, in characters.
const MAX_VALUE_CHARS: usize = 200;
/// Most parameters in one query string.
const MAX_PARAMS: usize = 64;

/// Parameters of `/api/search`.
pub const SEARCH: [&str; 14] = [
    "q",
    "person",
    "country",
    "topic",
    "org",
    "source",
    "lang",
    "from",
    "to",
    "sort",
    "limit",
    "offset",
    "facets",
    "facet_limit",
];
/// Parameters of `/api/timeline`.
pub const TIMELINE: [&str; 10] = [
    "q", "person", "country", "topic", "org", "source", "lang", "from", "to", "by",
];
/// Parameters of `/api/related`.
pub const RELATED: [&str; 10] = [
    "q", "person", "country", "topic", "org", "source", "lang", "from", "to", "limit",
];
/// Filters that may be repeated (ANDed) and hold commas (ORed).
const REPEATABLE: [&str; 6] = ["person", "country", "topic", "org", "source", "lang"];

/// The decoded parameters of one query string, checked against the allowed names.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `query` ("a=1&b=2"); a name outside `allowed`, or a single-valued name
    /// given twice, is an error. Empty values count as absent.
    pub fn parse(query: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if pairs.len() == MAX_PARAMS {
                return Err(ApiError::bad_request(format!(
                    "too many parameters (at most {MAX_PARAMS})"
                )));
            }
            if !allowed.contains(&name.as_ref()) {
                let takes = if allowed.is_empty() {
                    "no parameters".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {:?}: this endpoint takes {takes}",
                    shorten(&name)
                )));
            }
            let repeatable = REPEATABLE.contains(&name.as_ref());
            if !repeatable && pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(ApiError::bad_request(format!(
                    "parameter {name:?} given more than once"
                )));
            }
            if value.trim().is_empty() {
                continue;
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// The value of a single-valued parameter.
    fn one(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a repeatable parameter, in order, each within the length limit.
    fn all(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut values = Vec::new();
        for (seen, value) in &self.pairs {
            if seen != name {
                continue;
            }
            if value.chars().count() > MAX_VALUE_CHARS {
                return Err(ApiError::bad_request(format!(
                    "{name} is too long (at most {MAX_VALUE_CHARS} characters)"
                )));
            }
            values.push(value.clone());
        }
        Ok(values)
    }

    /// A whole number from 0 to `max`, else `default`.
    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(text) = self.one(name) else {
            return Ok(default);
        };
        match text.trim().parse::<usize>() {
            Ok(number) if number <= max => Ok(number),
            _ => Err(ApiError::bad_request(format!(
                "{name} must be a whole number from 0 to {max}, not {:?}",
                shorten(text)
            ))),
        }
    }
}

/// The query text and filters of a request; paging, sort and facets left at defaults.
pub fn filters(params: &Params) -> Result<SearchRequest, ApiError> {
    let query = params.one("q").map(str::to_string);
    if let Some(text) = &query
        && text.chars().count() > MAX_QUERY_CHARS
    {
        return Err(ApiError::bad_request(format!(
            "q is too long (at most {MAX_QUERY_CHARS} characters)"
        )));
    }
    for name in ["from", "to"] {
        if let Some(value) = params.one(name)
            && value.chars().count() > MAX_VALUE_CHARS
        {
            return Err(ApiError::bad_request(format!("{name} is too long")));
        }
    }
    Ok(SearchRequest {
        query,
        people: params.all("person")?,
        countries: params.all("country")?,
        topics: params.all("topic")?,
        orgs: params.all("org")?,
        sources: params.all("source")?,
        langs: params.all("lang")?,
        from: params.one("from").map(str::to_string),
        to: params.one("to").map(str::to_string),
        ..SearchRequest::default()
    })
}

/// A full `/api/search` request.
pub fn search(params: &Params) -> Result<SearchRequest, ApiError> {
    let sort = match params.one("sort").map(str::trim) {
        None | Some("relevance") => SortOrder::Relevance,
        Some("newest") => SortOrder::Newest,
        Some("oldest") => SortOrder::Oldest,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "sort must be relevance, newest or oldest, not {:?}",
                shorten(other)
            )));
        }
    };
    Ok(SearchRequest {
        sort,
        limit: params.number("limit", 10, MAX_LIMIT)?,
        offset: params.number("offset", 0, MAX_OFFSET)?,
        facets: facets(params.one("facets").unwrap_or("country,person,topic"))?,
        facet_limit: params.number("facet_limit", 10, MAX_LIMIT)?,
        ..filters(params)?
    })
}

/// The period of `/api/timeline` (`by`, month by default).
pub fn period(params: &Params) -> Result<Period, ApiError> {
    match params.one("by").map(str::trim) {
        None | Some("month") => Ok(Period::Month),
        Some("year") => Ok(Period::Year),
        Some(other) => Err(ApiError::bad_request(format!(
            "by must be month or year, not {:?}",
            shorten(other)
        ))),
    }
}

/// The number of values per list of `/api/related`.
pub fn related_limit(params: &Params) -> Result<usize, ApiError> {
    params.number("limit", 10, MAX_LIMIT)
}

/// A facet list as on the command line: "country,person", "all" or "none".
fn facets(list: &str) -> Result<Vec<FacetKind>, ApiError> {
    FacetKind::parse_list(list).map_err(ApiError::bad_request)
}

/// A user's value cut to a length fit for an error message.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut short: String = text.chars().take(MAX).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<SearchRequest, String> {
        Params::parse(Some(query), &SEARCH)
            .and_then(|params| search(&params))
            .map_err(|error| error.message)
    }

    #[test]
    fn repeated_filters_are_kept_in_order() {
        let request = parse("q=peace+talks&person=putin&person=Zelensky&country=UA%2CRU").unwrap();
        assert_eq!(request.query.as_deref(), Some("peace talks"));
        assert_eq!(request.people, ["putin", "Zelensky"]);
        assert_eq!(request.countries, ["UA,RU"]);
        assert_eq!(request.limit, 10);
        assert_eq!(
            request.facets,
            [FacetKind::Country, FacetKind::Person, FacetKind::Topic]
        );
    }

    #[test]
    fn empty_values_are_absent() {
        let request = parse("q=&person=&from=&sort=&limit=").unwrap();
        assert_eq!(request.query, None);
        assert!(request.people.is_empty());
        assert_eq!(request.from, None);
        assert_eq!(request.limit, 10);
    }

    #[test]
    fn bad_parameters_say_what_is_wrong() {
        let cases = [
            (
                "sort=best",
                "sort must be relevance, newest or oldest, not \"best\"",
            ),
            (
                "limit=101",
                "limit must be a whole number from 0 to 100, not \"101\"",
            ),
            (
                "limit=-1",
                "limit must be a whole number from 0 to 100, not \"-1\"",
            ),
            (
                "offset=10001",
                "offset must be a whole number from 0 to 10000, not \"10001\"",
            ),
            ("q=a&q=b", "parameter \"q\" given more than once"),
            (
                "facets=people,colour",
                "unknown facet \"colour\": use country, person, topic, org, source, year, all or none",
            ),
        ];
        for (query, message) in cases {
            assert_eq!(parse(query).unwrap_err(), message, "{query}");
        }
        assert!(
            parse("colour=red")
                .unwrap_err()
                .starts_with("unknown parameter \"colour\"")
        );
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert_eq!(
            parse(&long).unwrap_err(),
            "q is too long (at most 1000 characters)"
        );
        let many = vec!["person=a"; MAX_PARAMS + 1].join("&");
        assert_eq!(
            parse(&many).unwrap_err(),
            "too many parameters (at most 64)"
        );
    }

    #[test]
    fn period_and_related_limit() {
        let params = Params::parse(Some("by=year&limit=5"), &["by", "limit"]).unwrap();
        assert_eq!(period(&params).unwrap(), Period::Year);
        assert_eq!(related_limit(&params).unwrap(), 5);
        let params = Params::parse(Some("by=week"), &["by"]).unwrap();
        assert_eq!(
            period(&params).unwrap_err().message,
            "by must be month or year, not \"week\""
        );
    }
}
