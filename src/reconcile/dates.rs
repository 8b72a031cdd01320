//! Dates read from paths, for `retention_from: path` and `partition:<key>`.

use jiff::civil::Date;

/// The end of the period a partial date names: `2019` → 2019-12-31, `2019-03` → 2019-03-31.
/// Using the end keeps retention checks conservative: data is only called old when all of the
/// period is.
fn end_of(year: i16, month: Option<i8>, day: Option<i8>) -> Option<Date> {
    match (month, day) {
        (Some(m), Some(d)) => Date::new(year, m, d).ok(),
        (Some(m), None) => Date::new(year, m, 1).ok().map(|d| d.last_of_month()),
        _ => Date::new(year, 12, 31).ok(),
    }
}

fn plausible_year(y: u32) -> bool {
    (1970..=2100).contains(&y)
}

/// Digit runs of `s`: (start, end, value).
fn digit_runs(s: &str) -> Vec<(usize, usize, u32)> {
    let b = s.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let value = if i - start <= 9 {
                s[start..i].parse().unwrap_or(u32::MAX)
            } else {
                u32::MAX
            };
            runs.push((start, i, value));
        } else {
            i += 1;
        }
    }
    runs
}

/// The latest date written in `path` (`2019/03/14/`, `2019-03-14`, `20190314`, `2019-03`,
/// `2019`), taking the end of a partial period. Four-digit numbers outside 1970–2100 and
/// numbers inside longer digit runs are not years.
pub fn from_path(path: &str) -> Option<Date> {
    let b = path.as_bytes();
    let runs = digit_runs(path);
    let sep = |end: usize, next_start: usize| {
        next_start == end + 1 && matches!(b[end], b'-' | b'_' | b'.' | b'/')
    };
    let mut best: Option<Date> = None;
    let mut i = 0;
    while i < runs.len() {
        let (start, end, v) = runs[i];
        let len = end - start;
        let mut consumed = 1;
        let date = if len == 8 && plausible_year(v / 10_000) {
            Date::new(
                (v / 10_000) as i16,
                ((v / 100) % 100) as i8,
                (v % 100) as i8,
            )
            .ok()
        } else if len == 4 && plausible_year(v) {
            let month = runs.get(i + 1).filter(|m| {
                sep(end, m.0) && (1..=2).contains(&(m.1 - m.0)) && (1..=12).contains(&m.2)
            });
            let day = month.and_then(|m| {
                runs.get(i + 2).filter(|d| {
                    sep(m.1, d.0) && (1..=2).contains(&(d.1 - d.0)) && (1..=31).contains(&d.2)
                })
            });
            consumed += usize::from(month.is_some()) + usize::from(day.is_some());
            end_of(v as i16, month.map(|m| m.2 as i8), day.map(|d| d.2 as i8))
        } else {
            None
        };
        if let Some(d) = date {
            best = Some(best.map_or(d, |b| b.max(d)));
        }
        i += consumed;
    }
    best
}

/// The date of Hive-style partition `key` in `path`: `dt=2019-03-01`, or `year=2019` with
/// optional sibling `month=` and `day=` segments.
pub fn from_partition(path: &str, key: &str) -> Option<Date> {
    let value = |k: &str| {
        path.split('/').find_map(|seg| {
            seg.split_once('=')
                .filter(|(name, _)| name.eq_ignore_ascii_case(k))
                .map(|(_, v)| v)
        })
    };
    let v = value(key)?;
    if key.eq_ignore_ascii_case("year") {
        let year: u32 = v.parse().ok().filter(|y| plausible_year(*y))?;
        let month = value("month").and_then(|m| m.parse::<i8>().ok());
        let day = month.and(value("day").and_then(|d| d.parse::<i8>().ok()));
        return end_of(year as i16, month, day);
    }
    from_path(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_paths() {
        assert_eq!(
            from_path("hr/payroll/payroll_2019.tsv"),
            Some(date(2019, 12, 31))
        );
        assert_eq!(
            from_path("logs/archive/app-2023-12.log.gz"),
            Some(date(2023, 12, 31))
        );
        assert_eq!(
            from_path("exports/2019/03/14/x.csv"),
            Some(date(2019, 3, 14))
        );
        assert_eq!(
            from_path("exports/backup_20190314.sql"),
            Some(date(2019, 3, 14))
        );
        assert_eq!(
            from_path("t/2024/ticket-1042.txt"),
            Some(date(2024, 12, 31)),
            "1042 is no year"
        );
        assert_eq!(
            from_path("a/2019/b/2021-06/c"),
            Some(date(2021, 6, 30)),
            "latest wins"
        );
        assert_eq!(from_path("notes/contacts.txt"), None);
        assert_eq!(from_path("id/123456789012/x"), None);
        assert_eq!(from_path("v/9999/x"), None);
    }

    #[test]
    fn partition_keys() {
        assert_eq!(
            from_partition("lake/events/dt=2019-03-01/p.parquet", "dt"),
            Some(date(2019, 3, 1))
        );
        assert_eq!(
            from_partition("lake/year=2019/month=03/p.parquet", "year"),
            Some(date(2019, 3, 31))
        );
        assert_eq!(
            from_partition("lake/year=2019/p.parquet", "year"),
            Some(date(2019, 12, 31))
        );
        assert_eq!(from_partition("lake/dt=2019-03-01/p.parquet", "day"), None);
    }
}
