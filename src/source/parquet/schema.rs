//! Which leaves of a Parquet schema are scanned, and how their values become text.
//!
//! Every leaf (primitive column) is named by its dotted field path as written in the file:
//! `customer.contacts.list.element.email`, `attributes.key_value.value`. That is the name data
//! engineers see in their tools, and it is the context the column is scanned with (so `email`,
//! `phone` or `iban` anywhere in the path supports the matching detectors).

use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::schema::types::ColumnDescriptor;

/// How a date or timestamp leaf stores its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStorage {
    /// `INT32` days since 1970-01-01 (`DATE`).
    Days,
    /// `INT64` milliseconds since the epoch.
    Millis,
    /// `INT64` microseconds since the epoch.
    Micros,
    /// `INT64` nanoseconds since the epoch.
    Nanos,
    /// Legacy `INT96` timestamps (Impala, older Spark).
    Int96,
}

impl TimeStorage {
    /// Seconds since the epoch of a stored integer value (not for `Int96`).
    pub fn seconds(self, v: i64) -> i64 {
        match self {
            TimeStorage::Days => v.saturating_mul(86_400),
            TimeStorage::Millis => v.div_euclid(1_000),
            TimeStorage::Micros => v.div_euclid(1_000_000),
            TimeStorage::Nanos => v.div_euclid(1_000_000_000),
            TimeStorage::Int96 => v,
        }
    }
}

/// What is done with a leaf's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafKind {
    /// Strings, enums, JSON and unannotated binary (read as UTF-8): every value is scanned.
    Text,
    /// Integers (IDs, card and phone numbers stored as numbers): scanned as decimal text with
    /// the column name as context.
    Integer,
    /// Dates: scanned as ISO dates (a `birth_date` column), and used for data age.
    Date,
    /// Timestamps: not scanned for personal data, used for data age.
    Timestamp(TimeStorage),
    /// Not scanned (booleans, floats, decimals, times, fixed-length binary, geometry).
    Skipped,
}

/// One leaf of the schema.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Index of the column chunk in every row group.
    pub index: usize,
    /// Dotted field path.
    pub path: String,
    /// Physical and logical type, for people (`BYTE_ARRAY String`, `INT64`).
    pub type_name: String,
    /// What is done with it.
    pub kind: LeafKind,
    /// Maximum definition level (0: required all the way down).
    pub max_def: i16,
    /// Maximum repetition level (0: not inside a list or map).
    pub max_rep: i16,
}

impl Leaf {
    /// Whether its values are scanned for personal data.
    pub fn scanned(&self) -> bool {
        matches!(
            self.kind,
            LeafKind::Text | LeafKind::Integer | LeafKind::Date
        )
    }

    /// How its values store time, when it is a date or timestamp.
    pub fn time(&self) -> Option<TimeStorage> {
        match self.kind {
            LeafKind::Date => Some(TimeStorage::Days),
            LeafKind::Timestamp(t) => Some(t),
            _ => None,
        }
    }
}

/// Describes leaf `index` of a schema.
pub fn leaf(index: usize, c: &ColumnDescriptor) -> Leaf {
    let physical = c.physical_type();
    let logical = c.logical_type_ref();
    let converted = c.converted_type();
    let kind = classify(physical, logical, converted);
    let annotation = match (logical, converted) {
        (Some(l), _) => format!(" {}", logical_name(l)),
        (None, ConvertedType::NONE) => String::new(),
        (None, c) => format!(" {c}"),
    };
    Leaf {
        index,
        path: c.path().string(),
        type_name: format!("{physical}{annotation}"),
        kind,
        max_def: c.max_def_level(),
        max_rep: c.max_rep_level(),
    }
}

fn logical_name(l: &LogicalType) -> &'static str {
    match l {
        LogicalType::String => "String",
        LogicalType::Map => "Map",
        LogicalType::List => "List",
        LogicalType::Enum => "Enum",
        LogicalType::Decimal(_) => "Decimal",
        LogicalType::Date => "Date",
        LogicalType::Time(_) => "Time",
        LogicalType::Timestamp(_) => "Timestamp",
        LogicalType::Integer(_) => "Integer",
        LogicalType::Json => "Json",
        LogicalType::Bson => "Bson",
        LogicalType::Uuid => "Uuid",
        LogicalType::Float16 => "Float16",
        LogicalType::Variant(_) => "Variant",
        LogicalType::Geometry(_) => "Geometry",
        LogicalType::Geography(_) => "Geography",
        _ => "other",
    }
}

fn unit_storage(unit: &TimeUnit) -> TimeStorage {
    match unit {
        TimeUnit::MILLIS => TimeStorage::Millis,
        TimeUnit::MICROS => TimeStorage::Micros,
        TimeUnit::NANOS => TimeStorage::Nanos,
    }
}

fn classify(
    physical: PhysicalType,
    logical: Option<&LogicalType>,
    converted: ConvertedType,
) -> LeafKind {
    match physical {
        PhysicalType::BYTE_ARRAY => match (logical, converted) {
            (
                Some(
                    LogicalType::Decimal(_)
                    | LogicalType::Float16
                    | LogicalType::Variant(_)
                    | LogicalType::Geometry(_)
                    | LogicalType::Geography(_)
                    | LogicalType::Bson,
                ),
                _,
            )
            | (None, ConvertedType::DECIMAL | ConvertedType::BSON) => LeafKind::Skipped,
            _ => LeafKind::Text,
        },
        PhysicalType::INT32 => match (logical, converted) {
            (Some(LogicalType::Date), _) | (None, ConvertedType::DATE) => LeafKind::Date,
            (Some(LogicalType::Decimal(_) | LogicalType::Time(_)), _)
            | (None, ConvertedType::DECIMAL | ConvertedType::TIME_MILLIS) => LeafKind::Skipped,
            _ => LeafKind::Integer,
        },
        PhysicalType::INT64 => match (logical, converted) {
            (Some(LogicalType::Timestamp(t)), _) => LeafKind::Timestamp(unit_storage(&t.unit)),
            (None, ConvertedType::TIMESTAMP_MILLIS) => LeafKind::Timestamp(TimeStorage::Millis),
            (None, ConvertedType::TIMESTAMP_MICROS) => LeafKind::Timestamp(TimeStorage::Micros),
            (Some(LogicalType::Decimal(_) | LogicalType::Time(_)), _)
            | (None, ConvertedType::DECIMAL | ConvertedType::TIME_MICROS) => LeafKind::Skipped,
            _ => LeafKind::Integer,
        },
        PhysicalType::INT96 => LeafKind::Timestamp(TimeStorage::Int96),
        PhysicalType::BOOLEAN
        | PhysicalType::FLOAT
        | PhysicalType::DOUBLE
        | PhysicalType::FIXED_LEN_BYTE_ARRAY => LeafKind::Skipped,
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian), as bytes.
pub fn civil(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Writes `YYYY-MM-DD` of `days` into `out` (cleared first).
pub fn write_date(days: i64, out: &mut Vec<u8>) {
    use std::io::Write;
    out.clear();
    let (y, m, d) = civil(days);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// Writes the decimal digits of `v` into `out` (cleared first).
pub fn write_int(v: i64, out: &mut Vec<u8>) {
    out.clear();
    if v < 0 {
        out.push(b'-');
    }
    let mut n = v.unsigned_abs();
    let start = out.len();
    loop {
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out[start..].reverse();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(17_956), (2019, 3, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        let mut b = Vec::new();
        write_date(11_033, &mut b);
        assert_eq!(b, b"2000-03-17");
        write_int(-4_111_111, &mut b);
        assert_eq!(b, b"-4111111");
        write_int(0, &mut b);
        assert_eq!(b, b"0");
    }
}
