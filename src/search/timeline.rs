//! Article counts per period (`newsdex timeline`, the year facet): read from the date fast
//! field of the matching documents, one counter per month or year.

use super::{FacetCount, SearchRequest};
use crate::error::Result;
use crate::index::ArticleIndex;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Width of a timeline bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar months ("2025-03").
    #[default]
    Month,
    /// Calendar years ("2025").
    Year,
}

/// Matching articles in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    /// "2025" or "2025-03".
    pub period: String,
    /// Number of matching articles dated in it.
    pub count: u64,
}

/// The answer of `newsdex timeline`.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The query text as given ("" when none).
    pub query: String,
    /// Period width.
    pub by: Period,
    /// Matching articles, dated or not.
    pub total: u64,
    /// Matching articles without a date (in no period).
    pub undated: u64,
    /// Every period from the first to the last dated match, empty ones included.
    pub periods: Vec<PeriodCount>,
}

/// Counts the articles matching `request` (its query and filters; paging, sorting and
/// facets are ignored) per period.
pub fn timeline(index: &ArticleIndex, request: &SearchRequest, by: Period) -> Result<Timeline> {
    let searcher = index.searcher()?;
    let built = super::query::build(index, &searcher, request)?;
    let counts = searcher.search(built.matches.as_ref(), &PeriodCollector { by })?;
    let dated: u64 = counts.periods.values().sum();
    let mut periods = Vec::new();
    if let (Some(first), Some(last)) = (
        counts.periods.keys().min().copied(),
        counts.periods.keys().max().copied(),
    ) {
        for key in first..=last {
            periods.push(PeriodCount {
                period: label(by, key),
                count: counts.periods.get(&key).copied().unwrap_or(0),
            });
        }
    }
    Ok(Timeline {
        query: request.query.clone().unwrap_or_default(),
        by,
        total: dated + counts.undated,
        undated: counts.undated,
        periods,
    })
}

/// The year facet from a period count: most articles first, then newest.
pub(crate) fn year_facet(counts: &PeriodCounts, limit: usize) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = counts
        .periods
        .iter()
        .map(|(key, count)| FacetCount {
            value: label(Period::Year, *key),
            name: None,
            count: *count,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| b.value.cmp(&a.value)));
    values.truncate(limit);
    values
}

/// A period's key: the year, or year * 12 + month - 1.
fn key(by: Period, year: i32, month: u32) -> i64 {
    match by {
        Period::Year => i64::from(year),
        Period::Month => i64::from(year) * 12 + i64::from(month) - 1,
    }
}

fn label(by: Period, key: i64) -> String {
    match by {
        Period::Year => format!("{key:04}"),
        Period::Month => format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1),
    }
}

/// First second of the period with `key`, and first second of the next one.
fn bounds(by: Period, key: i64) -> Option<(i64, i64)> {
    let start = |key: i64| -> Option<i64> {
        let (year, month) = match by {
            Period::Year => (i32::try_from(key).ok()?, 1),
            Period::Month => (
                i32::try_from(key.div_euclid(12)).ok()?,
                key.rem_euclid(12) + 1,
            ),
        };
        let day = NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, 1)?;
        Some(
            Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0)?)
                .timestamp(),
        )
    };
    Some((start(key)?, start(key + 1)?))
}

/// Matching documents per period, and those without a date.
#[derive(Debug, Default)]
pub(crate) struct PeriodCounts {
    /// Period key -> count.
    pub periods: FxHashMap<i64, u64>,
    /// Documents without a date.
    pub undated: u64,
}

/// Counts matching documents per period from the `date` fast field.
pub(crate) struct PeriodCollector {
    pub by: Period,
}

/// The per-segment side of [`PeriodCollector`]. Consecutive matches are often in the same
/// period, so the bounds of the last period seen are kept and the calendar is consulted
/// only when a date falls outside them.
pub(crate) struct PeriodSegmentCollector {
    by: Period,
    column: Column<tantivy::DateTime>,
    counts: PeriodCounts,
    /// (first second, end second, key) of the last period seen.
    last: Option<(i64, i64, i64)>,
}

impl Collector for PeriodCollector {
    type Fruit = PeriodCounts;
    type Child = PeriodSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PeriodSegmentCollector> {
        let column = reader
            .fast_fields()
            .date(crate::index::schema::names::DATE)?;
        Ok(PeriodSegmentCollector {
            by: self.by,
            column,
            counts: PeriodCounts::default(),
            last: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<PeriodCounts>) -> tantivy::Result<PeriodCounts> {
        let mut merged = PeriodCounts::default();
        for segment in segments {
            merged.undated += segment.undated;
            for (key, count) in segment.periods {
                *merged.periods.entry(key).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for PeriodSegmentCollector {
    type Fruit = PeriodCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(date) = self.column.first(doc) else {
            self.counts.undated += 1;
            return;
        };
        let seconds = date.into_timestamp_secs();
        let key = match self.last {
            Some((start, end, key)) if seconds >= start && seconds < end => key,
            _ => {
                let Some(moment) = Utc.timestamp_opt(seconds, 0).single() else {
                    self.counts.undated += 1;
                    return;
                };
                let key = key(self.by, moment.year(), moment.month());
                self.last = bounds(self.by, key).map(|(start, end)| (start, end, key));
                key
            }
        };
        *self.counts.periods.entry(key).or_default() += 1;
    }

    fn harvest(self) -> PeriodCounts {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_labels_and_bounds_agree() {
        assert_eq!(label(Period::Month, key(Period::Month, 2025, 3)), "2025-03");
        assert_eq!(
            label(Period::Month, key(Period::Month, 2024, 12)),
            "2024-12"
        );
        assert_eq!(
            label(Period::Month, key(Period::Month, 2024, 12) + 1),
            "2025-01"
        );
        assert_eq!(label(Period::Year, key(Period::Year, 1987, 10)), "1987");
        let (start, end) = bounds(Period::Month, key(Period::Month, 2024, 2)).unwrap();
        assert_eq!(end - start, 29 * 86_400);
        let (start, end) = bounds(Period::Year, 2023).unwrap();
        assert_eq!(end - start, 365 * 86_400);
    }
}
