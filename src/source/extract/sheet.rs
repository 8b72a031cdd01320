//! Spreadsheets as text: one line per row (line number = row number), cells separated by
//! tabs, so that detectors see a row as they see a CSV line. A side table maps byte offsets
//! back to cells, and the first non-empty row gives each column its header.

/// The cells of a sheet laid out as text, and where each starts.
#[derive(Debug, Default)]
pub struct Cells {
    /// Byte offset of each cell's text in the segment, ascending.
    starts: Vec<u32>,
    /// Row (1-based) and column (0-based) of each cell.
    coords: Vec<(u32, u32)>,
    /// Header text by column (from the first non-empty row).
    headers: Vec<Option<String>>,
    header_row: Option<u32>,
}

impl Cells {
    /// The cell holding byte `offset` of the segment: its name (`C14`) and column header.
    /// Cells of the header row have no header.
    pub fn at(&self, offset: u64) -> Option<(String, Option<&str>)> {
        let i = self
            .starts
            .partition_point(|&s| u64::from(s) <= offset)
            .checked_sub(1)?;
        let (row, col) = self.coords[i];
        let header = if Some(row) == self.header_row {
            None
        } else {
            self.headers.get(col as usize).and_then(|h| h.as_deref())
        };
        Some((cell_name(row, col), header))
    }
}

/// `A1`-style name of a cell (row 1-based, column 0-based).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        c -= 1;
        letters.push(b'A' + (c % 26) as u8);
        c /= 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

/// Rows further apart than this are not padded with empty lines (the line number then no
/// longer equals the row number; the cell name stays exact).
const MAX_PAD: u32 = 10_000;

/// Builds a sheet's text and [`Cells`], cell by cell in row order.
#[derive(Debug, Default)]
pub struct SheetText {
    /// The text so far.
    pub text: String,
    /// The cell map so far.
    pub cells: Cells,
    row: u32,
    line: u32,
}

/// Header texts longer than this are cut (they are labels, not data).
const MAX_HEADER: usize = 200;

impl SheetText {
    /// Adds a cell; rows must come in ascending order, columns ascending within a row.
    /// Empty values are ignored. Returns false when the text would pass `u32` offsets.
    pub fn push(&mut self, row: u32, col: u32, value: &str) -> bool {
        let value = value.trim_end();
        if value.is_empty() {
            return true;
        }
        if self.text.len() + value.len() + 2 >= u32::MAX as usize {
            return false;
        }
        if row != self.row || self.line == 0 {
            if self.line == 0 {
                self.line = 1;
            } else {
                self.text.push('\n');
                self.line += 1;
            }
            let gap = row.saturating_sub(self.line);
            if gap > 0 && gap <= MAX_PAD {
                for _ in 0..gap {
                    self.text.push('\n');
                }
                self.line += gap;
            }
            self.row = row;
        } else {
            self.text.push('\t');
        }
        let cells = &mut self.cells;
        if cells.header_row.is_none() {
            cells.header_row = Some(row);
        }
        if cells.header_row == Some(row) {
            let col = col as usize;
            if cells.headers.len() <= col && col < 16_384 {
                cells.headers.resize(col + 1, None);
            }
            if let Some(slot) = cells.headers.get_mut(col) {
                let mut h: String = value.chars().take(MAX_HEADER).collect();
                h = h.replace(['\n', '\r', '\t'], " ");
                *slot = Some(h);
            }
        }
        cells.starts.push(self.text.len() as u32);
        cells.coords.push((row, col));
        // Same byte length: offsets inside the cell stay exact.
        self.text.extend(value.chars().map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        }));
        true
    }

    /// Whether no cell was added.
    pub fn is_empty(&self) -> bool {
        self.cells.starts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cells() {
        assert_eq!(cell_name(1, 0), "A1");
        assert_eq!(cell_name(14, 2), "C14");
        assert_eq!(cell_name(3, 25), "Z3");
        assert_eq!(cell_name(3, 26), "AA3");
        assert_eq!(cell_name(9, 16_383), "XFD9");
    }

    #[test]
    fn rows_are_lines_and_offsets_map_to_cells() {
        let mut s = SheetText::default();
        s.push(1, 0, "Name");
        s.push(1, 2, "IBAN");
        s.push(3, 0, "Jane\nDoe");
        s.push(3, 2, "DE89 3704");
        assert_eq!(s.text, "Name\tIBAN\n\nJane Doe\tDE89 3704");
        let at = |o: usize| {
            s.cells
                .at(o as u64)
                .map(|(c, h)| (c, h.map(str::to_string)))
        };
        assert_eq!(at(0), Some(("A1".into(), None)));
        let iban = s.text.find("DE89").expect("there");
        assert_eq!(at(iban + 2), Some(("C3".into(), Some("IBAN".into()))));
        assert_eq!(at(iban - 3), Some(("A3".into(), Some("Name".into()))));
    }
}
