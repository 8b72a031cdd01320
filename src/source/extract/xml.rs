//! A small event walker over XML parts (quick-xml), shared by the OOXML and ODF
//! extractors: local names only, entities resolved, time checked.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::limits::{Budget, LimitHit};

/// One XML event, simplified.
pub enum Ev<'a, 'e> {
    /// An element starts (empty elements give `Start` then `End`).
    Start(&'e str, &'e BytesStart<'a>),
    /// An element ends.
    End(&'e str),
    /// Text (entities resolved).
    Text(Cow<'e, str>),
}

/// Why a walk stopped early.
pub enum XmlStop {
    /// The XML is malformed; the events before the error were delivered.
    Malformed(String),
    /// The per-file time limit was reached.
    Limit(LimitHit),
}

/// The part as text: UTF-8, or UTF-16 with a BOM; invalid bytes replaced.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        return text;
    }
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// Walks `xml`, calling `f` for every event, in order.
pub fn walk(xml: &str, budget: &Budget, mut f: impl FnMut(Ev<'_, '_>)) -> Result<(), XmlStop> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            budget.check_time().map_err(XmlStop::Limit)?;
        }
        let event = reader.read_event().map_err(|e| {
            XmlStop::Malformed(format!(
                "malformed XML at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                f(Ev::Start(name.into_inner(), &e));
            }
            Event::End(e) => f(Ev::End(e.local_name().into_inner())),
            Event::Text(t) => f(Ev::Text(t.xml10_content())),
            Event::CData(t) => f(Ev::Text(t.xml10_content())),
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        f(Ev::Text(Cow::Owned(c.to_string())));
                    }
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    f(Ev::Text(Cow::Borrowed(s)));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The value of attribute `name` (qualified, as written), unescaped.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_or_else(|_| a.value.to_string(), |v| v.into_owned()),
    )
}
