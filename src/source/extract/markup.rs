//! Markup as text: HTML (tags dropped, blocks as lines, entities decoded, scripts and styles
//! left out) and RTF (control words dropped, escapes and Unicode decoded, font tables,
//! pictures and other non-text destinations left out). Both are simple, linear, and never
//! fail: malformed markup still yields its text.

/// HTML to text.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    let mut space = false;
    while !rest.is_empty() {
        if let Some(end) = skip_until {
            match find_ci(rest, end) {
                Some(i) => {
                    rest = &rest[i..];
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with('<')
            && rest[1..]
                .starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
        {
            let Some(close) = rest.find('>') else {
                break;
            };
            let tag = &rest[1..close];
            rest = &rest[close + 1..];
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            let closing = tag.starts_with('/');
            if !closing && (name == "script" || name == "style") {
                skip_until = Some(if name == "script" {
                    "</script"
                } else {
                    "</style"
                });
                continue;
            }
            match name.as_str() {
                "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                | "table" | "ul" | "ol" | "section" | "article" | "header" | "footer"
                | "blockquote" | "pre" | "hr" | "dt" | "dd" | "title" | "address" => {
                    if !out.ends_with('\n') && !out.is_empty() {
                        out.push('\n');
                    }
                    space = false;
                }
                "td" | "th" if closing => {
                    out.push('\t');
                    space = false;
                }
                _ => {}
            }
            continue;
        }
        let first = rest.chars().next().map_or(1, char::len_utf8);
        let next = rest[first..]
            .find(['<', '&'])
            .map_or(rest.len(), |i| i + first);
        let next = if rest.starts_with('&') { 0 } else { next };
        let (text, tail) = if next == 0 {
            // An entity.
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .map_or(rest.len(), |i| i + 1);
            let name = &rest[1..end];
            let decoded = entity(name);
            let consumed = if rest[end..].starts_with(';') {
                end + 1
            } else {
                end
            };
            match decoded {
                Some(c) => {
                    push_text(&mut out, &c.to_string(), &mut space);
                    rest = &rest[consumed..];
                }
                None => {
                    push_text(&mut out, "&", &mut space);
                    rest = &rest[1..];
                }
            }
            continue;
        } else {
            (&rest[..next], &rest[next..])
        };
        push_text(&mut out, text, &mut space);
        rest = tail;
    }
    out
}

/// Appends text with HTML whitespace collapsing.
fn push_text(out: &mut String, text: &str, space: &mut bool) {
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            *space = true;
        } else {
            if *space && !out.is_empty() && !out.ends_with(['\n', '\t']) {
                out.push(' ');
            }
            *space = false;
            out.push(c);
        }
    }
}

/// Case-insensitive ASCII find.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes an entity name (without `&` and `;`).
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "commat" => '@',
        "period" => '.',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        _ => return None,
    })
}

/// RTF destinations whose text is not document text.
const RTF_SKIP: [&str; 17] = [
    "fonttbl",
    "colortbl",
    "stylesheet",
    "pict",
    "object",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "generator",
    "xmlnstbl",
    "filetbl",
    "revtbl",
    "fldinst",
];

/// RTF to text.
pub fn rtf_to_text(rtf: &[u8]) -> String {
    let mut out = String::with_capacity(rtf.len() / 2);
    // Per group: skipping?, chars to skip after \uN.
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut skip = false;
    let mut uc = 1usize;
    let mut pending_skip = 0usize;
    let mut i = 0;
    while i < rtf.len() {
        let b = rtf[i];
        match b {
            b'{' => {
                // Deep nesting is bounded: past this depth groups are flattened.
                if stack.len() < 10_000 {
                    stack.push((skip, uc));
                }
                i += 1;
            }
            b'}' => {
                if let Some((s, u)) = stack.pop() {
                    skip = s;
                    uc = u;
                }
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&c) = rtf.get(i) else { break };
                if c.is_ascii_alphabetic() {
                    let start = i;
                    while i < rtf.len() && rtf[i].is_ascii_alphabetic() && i - start < 32 {
                        i += 1;
                    }
                    let word = std::str::from_utf8(&rtf[start..i]).unwrap_or("");
                    let num_start = i;
                    if i < rtf.len() && rtf[i] == b'-' {
                        i += 1;
                    }
                    while i < rtf.len() && rtf[i].is_ascii_digit() && i - num_start < 11 {
                        i += 1;
                    }
                    let param: Option<i64> = std::str::from_utf8(&rtf[num_start..i])
                        .ok()
                        .and_then(|s| s.parse().ok());
                    if i < rtf.len() && rtf[i] == b' ' {
                        i += 1;
                    }
                    if RTF_SKIP.contains(&word) {
                        skip = true;
                        continue;
                    }
                    if skip {
                        continue;
                    }
                    match word {
                        "par" | "line" | "sect" | "page" | "row" => out.push('\n'),
                        "tab" | "cell" => out.push('\t'),
                        "uc" => uc = param.unwrap_or(1).clamp(0, 8) as usize,
                        "u" => {
                            let n = param.unwrap_or(0);
                            let n = if n < 0 { n + 65536 } else { n };
                            if let Some(ch) = u32::try_from(n).ok().and_then(char::from_u32) {
                                out.push(ch);
                            }
                            pending_skip = uc;
                        }
                        _ => {}
                    }
                } else {
                    i += 1;
                    match c {
                        b'*' => skip = true,
                        b'\'' => {
                            let hex = rtf.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                                i += 2;
                                if pending_skip > 0 {
                                    pending_skip -= 1;
                                } else if !skip {
                                    let byte = [v];
                                    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
                                    out.push_str(&s);
                                }
                            }
                        }
                        b'\\' | b'{' | b'}' if !skip => out.push(char::from(c)),
                        b'~' if !skip => out.push(' '),
                        b'_' if !skip => out.push('-'),
                        b'\n' | b'\r' if !skip => out.push('\n'),
                        _ => {}
                    }
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                // A run of plain text (UTF-8 or Windows-1252 bytes).
                let start = i;
                while i < rtf.len() && !matches!(rtf[i], b'{' | b'}' | b'\\' | b'\r' | b'\n') {
                    i += 1;
                }
                let mut run = &rtf[start..i];
                if pending_skip > 0 {
                    let n = pending_skip.min(run.len());
                    run = &run[n..];
                    pending_skip -= n;
                }
                if !skip && !run.is_empty() {
                    match std::str::from_utf8(run) {
                        Ok(s) => out.push_str(s),
                        Err(_) => out.push_str(&encoding_rs::WINDOWS_1252.decode(run).0),
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text() {
        let html = "<html><head><title>HR</title><style>p{x:1}</style><script>var a='<p>';</script></head>\
            <body><p>Mail: jane&#64;web.de &amp; co</p><!-- x@y.de --><table><tr><td>IBAN</td><td>DE89</td></tr></table></body></html>";
        assert_eq!(
            html_to_text(html),
            "HR\nMail: jane@web.de & co\nIBAN\tDE89\t\n"
        );
        assert_eq!(html_to_text("a < b <unclosed"), "a < b");
    }

    #[test]
    fn rtf_text() {
        let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\*\generator x;}\f0 Ren\'e9e\par mail: a@b.de\tab x\u8364?y {\pict 0a0b}\}}";
        assert_eq!(rtf_to_text(rtf), "Renée\nmail: a@b.de\tx€y }");
    }
}
