//! `--format csv`: one row per finding, for spreadsheets. The inner location columns (member,
//! part, page, sheet, cell, column header) are empty for plain files.

use std::io::{self, Write};

use super::{Outcome, ScanMeta, Writer};
use crate::finding::{Finding, Location};

/// Column names, in order.
pub const HEADER: [&str; 18] = [
    "detector",
    "category",
    "confidence",
    "source",
    "path",
    "line",
    "column",
    "offset",
    "masked",
    "value",
    "test_value",
    "pattern",
    "inner",
    "part",
    "page",
    "sheet",
    "cell",
    "column_header",
];

/// CSV writer.
pub struct Csv<'w> {
    out: csv::Writer<Box<dyn Write + 'w>>,
}

impl<'w> Csv<'w> {
    /// Writes to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Csv {
            out: csv::Writer::from_writer(out),
        }
    }
}

fn to_io(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

impl Writer for Csv<'_> {
    fn begin(&mut self, _meta: &ScanMeta) -> io::Result<()> {
        self.out.write_record(HEADER).map_err(to_io)
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            let confidence = format!("{:.2}", f.confidence);
            let Location::File(loc) = &f.location else {
                // A database column: its locator in `path`, no line or offset.
                let mut row = vec![
                    f.detector.to_string(),
                    f.category.to_string(),
                    confidence,
                    f.location.source().to_string(),
                    f.location.asset().into_owned(),
                ];
                row.extend(["".into(), "".into(), "".into()]);
                row.extend([
                    f.masked.clone(),
                    f.value.clone().unwrap_or_default(),
                    f.test_value.to_string(),
                    f.pattern.to_string(),
                ]);
                row.resize(HEADER.len(), String::new());
                self.out.write_record(&row).map_err(to_io)?;
                continue;
            };
            let (line, column, offset) = (
                loc.line.to_string(),
                loc.column.to_string(),
                loc.offset.to_string(),
            );
            let page = loc.page.map(|p| p.to_string()).unwrap_or_default();
            let opt = |o: &Option<String>| o.clone().unwrap_or_default();
            self.out
                .write_record([
                    &*f.detector,
                    &f.category,
                    &confidence,
                    "file",
                    &loc.path,
                    &line,
                    &column,
                    &offset,
                    &f.masked,
                    f.value.as_deref().unwrap_or(""),
                    if f.test_value { "true" } else { "false" },
                    &f.pattern,
                    &opt(&loc.inner),
                    &opt(&loc.part),
                    &page,
                    &opt(&loc.sheet),
                    &opt(&loc.cell),
                    &opt(&loc.column_header),
                ])
                .map_err(to_io)?;
        }
        Ok(())
    }

    fn finish(&mut self, _outcome: &Outcome) -> io::Result<()> {
        self.out.flush()
    }
}
