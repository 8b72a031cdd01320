//! Which rows of a file are read: all of them, or a sample spread over every row group.
//!
//! A sample of `want` rows out of `total` gives each row group a quota in proportion to its
//! rows, read as up to [`WINDOWS`] evenly spaced windows of consecutive rows, so that the
//! beginning, middle and end of every row group are represented. Rows between windows are
//! skipped (pages skipped whole where the file has a page index, else decoded and dropped).

/// Windows per row group, at most.
pub const WINDOWS: u64 = 8;

/// Consecutive rows to read from a row group: `(first row, rows)`, ascending.
pub type Windows = Vec<(u64, u64)>;

/// The windows of each row group with `rows[i]` rows, for a sample of `want` rows (`None`:
/// read everything).
pub fn plan(rows: &[u64], want: Option<u64>) -> Vec<Windows> {
    let total: u64 = rows.iter().sum();
    let whole = |n: u64| if n == 0 { Vec::new() } else { vec![(0, n)] };
    let Some(want) = want.filter(|w| *w < total) else {
        return rows.iter().map(|&n| whole(n)).collect();
    };
    rows.iter()
        .map(|&n| {
            // Round up so that every non-empty row group contributes.
            let quota = (u128::from(want) * u128::from(n)).div_ceil(u128::from(total)) as u64;
            let quota = quota.min(n);
            if quota == 0 {
                return Vec::new();
            }
            if quota == n {
                return whole(n);
            }
            let k = WINDOWS.min(quota);
            let size = quota.div_ceil(k);
            let mut out: Windows = Vec::with_capacity(k as usize);
            let mut left = quota;
            for j in 0..k {
                let start = (n * j / k).max(out.last().map_or(0, |(s, l)| s + l));
                let len = size.min(left).min(n - start);
                if len == 0 {
                    break;
                }
                out.push((start, len));
                left -= len;
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_small_files_are_read_whole() {
        assert_eq!(plan(&[10, 5], None), vec![vec![(0, 10)], vec![(0, 5)]]);
        assert_eq!(plan(&[10, 5], Some(100)), vec![vec![(0, 10)], vec![(0, 5)]]);
    }

    #[test]
    fn samples_cover_every_row_group() {
        let p = plan(&[1_000_000, 1_000_000, 500], Some(10_000));
        assert_eq!(p.len(), 3);
        let read: Vec<u64> = p.iter().map(|w| w.iter().map(|x| x.1).sum()).collect();
        assert_eq!(read[0], 4_999);
        assert!(read[2] >= 1);
        assert_eq!(p[0].len(), 8);
        // Windows are spread: the last starts in the last eighth.
        assert!(p[0][7].0 >= 875_000);
        for w in &p {
            for pair in w.windows(2) {
                assert!(pair[0].0 + pair[0].1 <= pair[1].0);
            }
        }
    }
}
