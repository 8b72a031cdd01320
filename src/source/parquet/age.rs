//! Data age of Parquet files and datasets: how old their records are, for retention checks.
//!
//! - `column:<path>`: for up to three date or timestamp leaves whose names say record time
//!   (`created_at`, `event_time`, …), the oldest and newest value and the rows per month.
//!   Row groups whose footer statistics put them within one month are counted from the
//!   statistics alone; the others (and row groups without statistics, and legacy `INT96`
//!   timestamps) are read, that column only. The oldest record is therefore known without a
//!   full scan, and the monthly counts are exact.
//! - `partition:<key>`: for Hive partitions whose value is a date (`dt=2019-03-01`,
//!   `year=2019/month=03`), the oldest and newest partition and the rows per month, from the
//!   files' footers.
//!
//! Statistics are real data: they are used for these dates only and never printed.

use std::collections::BTreeMap;

use super::schema::civil;

/// Seconds per day.
const DAY: i64 = 86_400;

/// Accumulated facts about one time leaf.
#[derive(Debug, Clone, Default)]
pub struct TimeAcc {
    /// Oldest value, seconds since the epoch.
    pub oldest: Option<i64>,
    /// Newest value.
    pub newest: Option<i64>,
    /// Non-null values.
    pub records: u64,
    /// Values per month, `(year, month)`.
    pub months: BTreeMap<(i64, u32), u64>,
    /// Whether the values are whole days (dates), for display.
    pub dates_only: bool,
}

fn month(secs: i64) -> (i64, u32) {
    let (y, m, _) = civil(secs.div_euclid(DAY));
    (y, m)
}

impl TimeAcc {
    /// Counts one value.
    pub fn add(&mut self, secs: i64) {
        self.oldest = Some(self.oldest.map_or(secs, |o| o.min(secs)));
        self.newest = Some(self.newest.map_or(secs, |n| n.max(secs)));
        self.records += 1;
        *self.months.entry(month(secs)).or_default() += 1;
    }

    /// Counts `n` values known to lie in `[min, max]` when both fall in the same month
    /// (returns false, counting nothing, otherwise).
    pub fn add_range(&mut self, min: i64, max: i64, n: u64) -> bool {
        if min > max || month(min) != month(max) {
            return false;
        }
        if n > 0 {
            self.oldest = Some(self.oldest.map_or(min, |o| o.min(min)));
            self.newest = Some(self.newest.map_or(max, |x| x.max(max)));
            self.records += n;
            *self.months.entry(month(min)).or_default() += n;
        }
        true
    }

    /// Adds another accumulator.
    pub fn merge(&mut self, other: TimeAcc) {
        self.oldest = match (self.oldest, other.oldest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.newest = match (self.newest, other.newest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.records += other.records;
        for (k, v) in other.months {
            *self.months.entry(k).or_default() += v;
        }
    }

    /// The facts, formatted: oldest and newest as ISO dates (for dates) or RFC 3339 UTC
    /// timestamps, histogram as `YYYY-MM`.
    pub fn age(&self, basis: String) -> Age {
        let fmt = |s: i64| {
            let (y, m, d) = civil(s.div_euclid(DAY));
            if self.dates_only {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                let t = s.rem_euclid(DAY);
                format!(
                    "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                    t / 3600,
                    t / 60 % 60,
                    t % 60
                )
            }
        };
        Age {
            basis,
            oldest: self.oldest.map(fmt),
            newest: self.newest.map(fmt),
            records: self.records,
            histogram: self
                .months
                .iter()
                .map(|((y, m), n)| (format!("{y:04}-{m:02}"), *n))
                .collect(),
        }
    }
}

/// One data-age fact of a Parquet file or dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Age {
    /// `column:<path>` or `partition:<key>`.
    pub basis: String,
    /// Oldest record (ISO date or RFC 3339 timestamp).
    pub oldest: Option<String>,
    /// Newest record.
    pub newest: Option<String>,
    /// Records counted.
    pub records: u64,
    /// Records per month (`YYYY-MM`), oldest first.
    pub histogram: Vec<(String, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_within_a_month_count_from_statistics() {
        let mut a = TimeAcc {
            dates_only: true,
            ..TimeAcc::default()
        };
        let mar1 = 17_956 * DAY;
        assert!(a.add_range(mar1, mar1 + 3 * DAY, 10));
        assert!(!a.add_range(mar1, mar1 + 40 * DAY, 10));
        a.add(mar1 - DAY);
        let age = a.age("column:created".into());
        assert_eq!(age.oldest.as_deref(), Some("2019-02-28"));
        assert_eq!(age.newest.as_deref(), Some("2019-03-04"));
        assert_eq!(age.records, 11);
        assert_eq!(
            age.histogram,
            vec![("2019-02".to_string(), 1), ("2019-03".to_string(), 10)]
        );
    }
}
