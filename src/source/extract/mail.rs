//! E-mail: EML (one RFC 5322 message) and MBOX (a stream of messages, read one message at a
//! time). Each message yields its headers (part `headers`: From, To, Cc, Subject, Received,
//! … decoded), its bodies (part `body N`, transfer encodings and charsets decoded, HTML as
//! text), and its attachments, extracted recursively as members named by their file name.
//! An HTML body that is only the alternative of a plain-text body is not scanned twice.

use std::io::{BufRead, BufReader, Read};

use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use super::{Cx, Inner, SNIFF_LEN, Stop, markup};

/// Extracts one message.
pub fn eml(cx: &mut Cx<'_>, at: &Inner, depth: u32, bytes: &[u8]) -> Result<(), Stop> {
    match MessageParser::default().parse(bytes) {
        Some(msg) => message(cx, at, depth, &msg),
        None => {
            cx.sink
                .skip(at, "e-mail message cannot be parsed: not scanned".into());
            Ok(())
        }
    }
}

fn address_text(a: &Address<'_>) -> String {
    a.iter()
        .map(|addr| match (&addr.name, &addr.address) {
            (Some(n), Some(m)) => format!("{n} <{m}>"),
            (None, Some(m)) => m.to_string(),
            (Some(n), None) => n.to_string(),
            (None, None) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header value as one line of text.
fn header_text(value: &HeaderValue<'_>, raw: &[u8]) -> String {
    let text = match value {
        HeaderValue::Address(a) => address_text(a),
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.join(", "),
        HeaderValue::DateTime(d) => d.to_rfc3339(),
        _ => String::from_utf8_lossy(raw).into_owned(),
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Extracts a parsed message: headers, bodies, attachments.
fn message(cx: &mut Cx<'_>, at: &Inner, depth: u32, msg: &Message<'_>) -> Result<(), Stop> {
    let raw = msg.raw_message();
    let mut headers = String::new();
    for h in msg.headers() {
        let slice = raw
            .get(h.offset_start as usize..h.offset_end as usize)
            .unwrap_or_default();
        headers.push_str(h.name());
        headers.push_str(": ");
        headers.push_str(&header_text(&h.value, slice));
        headers.push('\n');
    }
    cx.segment(&at.part("headers"), headers.as_bytes(), None)?;

    let mut body_n = 0;
    for (id, part) in msg.parts.iter().enumerate() {
        cx.budget.check_time()?;
        let id = id as u32;
        let is_body = msg.text_body.contains(&id);
        let is_attachment = msg.attachments.contains(&id);
        let html_alternative = msg.html_body.contains(&id) && !is_body;
        let name = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("attachment {}", id));
        match &part.body {
            PartType::Text(t) if is_attachment => {
                let member = at.member(&name);
                cx.segment(&member, t.as_bytes(), None)?;
            }
            PartType::Html(h) if is_attachment => {
                let member = at.member(&name);
                cx.segment(&member, markup::html_to_text(h).as_bytes(), None)?;
            }
            PartType::Text(t) if !html_alternative => {
                body_n += 1;
                cx.segment(&at.part(format!("body {body_n}")), t.as_bytes(), None)?;
            }
            PartType::Html(h) if !html_alternative => {
                body_n += 1;
                let text = markup::html_to_text(h);
                cx.segment(&at.part(format!("body {body_n}")), text.as_bytes(), None)?;
            }
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                let member = at.member(&name);
                let head_len = b.len().min(SNIFF_LEN);
                let mut rest = &b[head_len..];
                cx.stream(&member, &name, depth, b[..head_len].to_vec(), &mut rest)?;
            }
            PartType::Message(inner) => {
                let member = at.member(part.attachment_name().unwrap_or(&format!("message {id}")));
                let max_depth = cx.budget.limits().max_depth;
                if depth >= max_depth {
                    cx.sink.skip(
                        &member,
                        format!("nested deeper than the depth limit of {max_depth}"),
                    );
                } else {
                    message(cx, &member, depth + 1, inner)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Extracts a mailbox, one message at a time: each is member `message N`. Messages larger
/// than the member size limit are skipped.
pub fn mbox(cx: &mut Cx<'_>, at: &Inner, depth: u32, reader: &mut dyn Read) -> Result<(), Stop> {
    let cap = cx.budget.limits().max_member;
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut current: Vec<u8> = Vec::new();
    let mut too_big = false;
    let mut n = 0u32;
    let mut line = Vec::new();
    let mut prev_blank = true;
    let flush = |cx: &mut Cx<'_>, current: &mut Vec<u8>, too_big: &mut bool, n: u32| {
        let member = at.member(&format!("message {n}"));
        let result = if *too_big {
            cx.sink.skip(
                &member,
                format!("larger than the member size limit of {cap} bytes"),
            );
            Ok(())
        } else if n > 0 {
            eml(cx, &member, depth, current)
        } else {
            Ok(())
        };
        current.clear();
        *too_big = false;
        result
    };
    loop {
        line.clear();
        // Lines are read within the limit too: one huge line cannot exhaust memory.
        let read = (&mut reader)
            .take(cap.saturating_add(1))
            .read_until(b'\n', &mut line);
        let read = match read {
            Ok(r) => r,
            Err(e) => {
                flush(cx, &mut current, &mut too_big, n)?;
                return cx.member_error(at, depth, "reading mailbox", e);
            }
        };
        if read == 0 {
            break;
        }
        if prev_blank && line.starts_with(b"From ") {
            flush(cx, &mut current, &mut too_big, n)?;
            n += 1;
            cx.budget.check_time()?;
        } else if !too_big {
            // mboxrd: `>From ` in a body stands for `From `.
            let body = if line.starts_with(b">From ") {
                &line[1..]
            } else {
                &line[..]
            };
            if current.len() as u64 + body.len() as u64 > cap {
                too_big = true;
                current = Vec::new();
            } else {
                current.extend_from_slice(body);
            }
        }
        prev_blank = line == b"\n" || line == b"\r\n";
    }
    if n == 0 {
        cx.sink.skip(
            at,
            "mailbox without any `From ` line: not scanned as e-mail".into(),
        );
        return Ok(());
    }
    flush(cx, &mut current, &mut too_big, n)?;
    Ok(())
}
