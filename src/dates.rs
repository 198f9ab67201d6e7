//! Parsing of dates in the forms news sources print them; all results are UTC.
//!
//! Forms: RFC 3339 (also with a space instead of `T`, without seconds or zone), RFC 2822
//! (with named zones such as EST), "27 November 2025", "November 27, 2025", "Nov. 27, 2025",
//! "Thursday 27 November 2025 14:05 GMT", "2025-11-27", "2025/11/27", "28.07.2025"
//! (day.month.year), "11/27/2025" and "7/23/17" (month/day/year, the US order, when
//! ambiguous),
//! and Reuters' "26-FEB-1987 15:01:01.79". A date without a zone is taken as UTC.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Parses a date into UTC. Returns `None` for anything unrecognised or out of range:
/// an unknown date is absent, never "now".
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().trim_end_matches('.').trim();
    if text.is_empty() || text.len() > 80 {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return valid(date.with_timezone(&Utc));
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return valid(date.with_timezone(&Utc));
    }
    if let Some(date) = parse_iso_like(text) {
        return valid(date);
    }
    parse_words(text).and_then(valid)
}

/// Years outside this range are almost certainly parsing accidents.
fn valid(date: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let year = date.format("%Y").to_string().parse::<i32>().ok()?;
    (1800..=2200).contains(&year).then_some(date)
}

/// "2025-11-27", "2025-11-27 09:30", "2025-11-27T09:30:00.123", "2025/11/27", with an
/// optional zone ("Z", "+02:00", "+0200").
fn parse_iso_like(text: &str) -> Option<DateTime<Utc>> {
    let normalized = text.replace('/', "-");
    let bytes = normalized.as_bytes();
    if bytes.len() < 10 || !bytes[..4].iter().all(u8::is_ascii_digit) || bytes[4] != b'-' {
        return None;
    }
    let date = NaiveDate::parse_from_str(normalized.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = normalized[10..].trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?));
    }
    let (time_text, zone_text) = split_zone(rest);
    let time = parse_time(time_text)?;
    let naive = NaiveDateTime::new(date, time);
    let offset = match zone_text {
        Some(zone) => zone_offset(zone)?,
        None => FixedOffset::east_opt(0)?,
    };
    Some(
        offset
            .from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc),
    )
}

/// Splits "09:30:00+02:00" into ("09:30:00", Some("+02:00")).
fn split_zone(text: &str) -> (&str, Option<&str>) {
    let text = text.trim();
    if let Some(stripped) = text.strip_suffix('Z') {
        return (stripped, Some("Z"));
    }
    if let Some(position) = text.rfind(['+', '-'])
        && position > 0
    {
        return (text[..position].trim(), Some(&text[position..]));
    }
    if let Some((time, zone)) = text.split_once(' ') {
        return (time, Some(zone.trim()));
    }
    (text, None)
}

/// "09:30", "09:30:15", "09:30:15.79", "9.30am" is not supported.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let without_fraction = text.split('.').next()?;
    NaiveTime::parse_from_str(without_fraction, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(without_fraction, "%H:%M"))
        .ok()
}

/// "+02:00", "+0200", "-05", "Z", "UTC", "GMT", "EST", "CEST", ...
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let zone = zone.trim().trim_matches(['(', ')']);
    let hours = match zone.to_ascii_uppercase().as_str() {
        "Z" | "UTC" | "GMT" | "UT" | "WET" => Some(0),
        "BST" | "CET" | "WEST" => Some(1),
        "CEST" | "EET" | "SAST" => Some(2),
        "EEST" | "MSK" => Some(3),
        "IST" => return FixedOffset::east_opt(5 * 3600 + 1800),
        "JST" | "KST" => Some(9),
        "AEST" => Some(10),
        "AEDT" => Some(11),
        "EST" => Some(-5),
        "EDT" | "CDT" => Some(if zone.eq_ignore_ascii_case("EDT") {
            -4
        } else {
            -5
        }),
        "CST" => Some(-6),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        _ => None,
    };
    if let Some(hours) = hours {
        return FixedOffset::east_opt(hours * 3600);
    }
    let sign = match zone.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// Month number of an English month name or abbreviation ("Nov", "November", "Sept").
fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if lower.len() < 3 {
        return None;
    }
    if lower == "sept" {
        return Some(9);
    }
    months
        .iter()
        .position(|month| month.starts_with(&lower) && (lower.len() == 3 || *month == lower))
        .map(|index| index as u32 + 1)
}

fn is_weekday(word: &str) -> bool {
    let lower = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    let days = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    lower.len() >= 3
        && days.iter().any(|day| {
            day.starts_with(&lower) && (lower.len() == 3 || *day == lower || lower.len() == 4)
        })
}

/// Word and numeric forms: "27 November 2025", "Nov 27, 2025 10:00 EST", "28.07.2025",
/// "11/27/2025", "26-FEB-1987 15:01:01.79".
fn parse_words(text: &str) -> Option<DateTime<Utc>> {
    let cleaned = text.replace(',', " ").replace(" at ", " ");
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    if tokens.first().is_some_and(|word| is_weekday(word)) {
        tokens.remove(0);
    }
    let first = *tokens.first()?;
    let (date, used) = if let Some(date) = numeric_date(first) {
        (date, 1)
    } else {
        let (year, month, day) = if let Some(month) = month_number(first) {
            // November 27 2025
            let day = ordinal(tokens.get(1)?)?;
            let year = tokens.get(2)?.parse::<i32>().ok()?;
            (year, month, day)
        } else {
            // 27 November 2025
            let day = ordinal(first)?;
            let month = month_number(tokens.get(1)?)?;
            let year = tokens.get(2)?.parse::<i32>().ok()?;
            (year, month, day)
        };
        (NaiveDate::from_ymd_opt(year, month, day)?, 3)
    };
    let rest = &tokens[used.min(tokens.len())..];
    let Some(time_text) = rest.first() else {
        return Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?));
    };
    let Some(time) = parse_time(time_text) else {
        return Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?));
    };
    let naive = NaiveDateTime::new(date, time);
    let offset = match rest.get(1) {
        Some(zone) => zone_offset(zone).unwrap_or(FixedOffset::east_opt(0)?),
        None => FixedOffset::east_opt(0)?,
    };
    Some(
        offset
            .from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc),
    )
}

/// "27", "27th", "1st".
fn ordinal(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let day = digits.parse::<u32>().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// "28.07.2025" (day first), "11/27/2025" (month first unless impossible), "26-FEB-1987".
fn numeric_date(word: &str) -> Option<NaiveDate> {
    if let Some(parts) = split3(word, '.') {
        let (day, month, year) = (
            parts.0.parse().ok()?,
            parts.1.parse().ok()?,
            year4(parts.2)?,
        );
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    if let Some(parts) = split3(word, '/') {
        let year = year4(parts.2).or_else(|| year2(parts.2))?;
        let (first, second) = (parts.0.parse::<u32>().ok()?, parts.1.parse::<u32>().ok()?);
        let (month, day) = if first > 12 {
            (second, first)
        } else {
            (first, second)
        };
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    if let Some(parts) = split3(word, '-') {
        let day = parts.0.parse().ok()?;
        let month = month_number(parts.1)?;
        return NaiveDate::from_ymd_opt(year4(parts.2)?, month, day);
    }
    None
}

fn split3(word: &str, separator: char) -> Option<(&str, &str, &str)> {
    let mut parts = word.split(separator);
    let result = (parts.next()?, parts.next()?, parts.next()?);
    parts.next().is_none().then_some(result)
}

/// "17" -> 2017, "98" -> 1998 (US short dates such as "7/23/17").
fn year2(text: &str) -> Option<i32> {
    let year: i32 = (text.len() == 2).then(|| text.parse().ok()).flatten()?;
    Some(if year < 70 { 2000 + year } else { 1900 + year })
}

fn year4(text: &str) -> Option<i32> {
    (text.len() == 4).then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_date_forms() {
        let cases = [
            ("2025-11-27T09:30:00+02:00", "2025-11-27T07:30:00Z"),
            ("2025-11-27T09:30:00Z", "2025-11-27T09:30:00Z"),
            ("2025-11-27T09:30:00.250Z", "2025-11-27T09:30:00Z"),
            ("2025-11-27 09:30:00", "2025-11-27T09:30:00Z"),
            ("2025-11-27T09:30", "2025-11-27T09:30:00Z"),
            ("2025-11-27T09:30:00+0200", "2025-11-27T07:30:00Z"),
            ("2025-11-27", "2025-11-27T00:00:00Z"),
            ("2025/11/27", "2025-11-27T00:00:00Z"),
            ("Thu, 27 Nov 2025 09:30:00 GMT", "2025-11-27T09:30:00Z"),
            ("Thu, 27 Nov 2025 09:30:00 EST", "2025-11-27T14:30:00Z"),
            ("Thu, 27 Nov 2025 09:30:00 +0100", "2025-11-27T08:30:00Z"),
            ("27 November 2025", "2025-11-27T00:00:00Z"),
            ("November 27, 2025", "2025-11-27T00:00:00Z"),
            ("Nov 27, 2025", "2025-11-27T00:00:00Z"),
            ("Nov. 27, 2025", "2025-11-27T00:00:00Z"),
            ("Sept 3, 2025", "2025-09-03T00:00:00Z"),
            ("27 Nov 2025", "2025-11-27T00:00:00Z"),
            ("Thursday 27 November 2025", "2025-11-27T00:00:00Z"),
            (
                "Thursday, November 27, 2025 14:05 GMT",
                "2025-11-27T14:05:00Z",
            ),
            ("27 November 2025 14:05 CET", "2025-11-27T13:05:00Z"),
            ("28.07.2025", "2025-07-28T00:00:00Z"),
            ("11/27/2025", "2025-11-27T00:00:00Z"),
            ("27/11/2025", "2025-11-27T00:00:00Z"),
            ("7/23/17", "2017-07-23T00:00:00Z"),
            ("12/22/16", "2016-12-22T00:00:00Z"),
            ("3rd March 2025", "2025-03-03T00:00:00Z"),
            ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z"),
        ];
        for (input, expected) in cases {
            let parsed = parse_date(input).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            assert_eq!(parsed.as_deref(), Some(expected), "input {input:?}");
        }
    }

    #[test]
    fn unknown_dates_are_absent() {
        for input in [
            "",
            "yesterday",
            "Updated 3 hours ago",
            "2025-13-45",
            "31.02.2025",
            "Nov 2025",
            "May",
            "12:30",
            "0000-01-01",
            "99999-01-01",
            "32 November 2025",
        ] {
            assert_eq!(parse_date(input), None, "input {input:?}");
        }
    }
}
