//! Audit reports: a [`Reconciliation`] as text for a terminal, JSON, CSV, Markdown or
//! self-contained HTML (no scripts, no external resources; prints well).

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::reconcile::{Gap, GapKind, Reconciliation};

/// Output format of `piimap reconcile` and `piimap audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditFormat {
    /// Summary and gap list for a terminal.
    Human,
    /// `{"gaps": […], "summary": {…}, …}`.
    Json,
    /// One row per gap.
    Csv,
    /// Markdown audit report.
    Md,
    /// Self-contained HTML audit report.
    Html,
}

/// Writes `r` in `format`.
pub fn write(r: &Reconciliation, format: AuditFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, r).map_err(io::Error::other)?;
            writeln!(out)
        }
        AuditFormat::Csv => csv(r, out),
        AuditFormat::Human => out.write_all(human(r).as_bytes()),
        AuditFormat::Md => out.write_all(markdown(r).as_bytes()),
        AuditFormat::Html => out.write_all(html(r).as_bytes()),
    }
}

fn location(g: &Gap) -> String {
    g.location
        .asset
        .clone()
        .or_else(|| g.location.system.clone())
        .unwrap_or_default()
}

/// The evidence of a gap in one line.
fn evidence_line(g: &Gap) -> String {
    let e = &g.evidence;
    let mut parts: Vec<String> = Vec::new();
    if let Some(h) = e.hits {
        parts.push(format!(
            "{h} {} ({} distinct), confidence {:.2}",
            if h == 1 { "value" } else { "values" },
            e.distinct.unwrap_or(0),
            e.confidence.unwrap_or(0.0)
        ));
    }
    if !e.examples.is_empty() {
        parts.push(format!("e.g. {}", e.examples.join(", ")));
    }
    if let (Some(n), Some(oldest)) = (e.assets, &e.oldest) {
        parts.push(format!(
            "{n} assets; oldest {oldest}; cutoff {}; exceeded by {} days",
            e.cutoff.as_deref().unwrap_or("?"),
            e.exceeded_by_days.unwrap_or(0)
        ));
    }
    if let Some(r) = e.records {
        parts.push(format!("{r} records"));
    }
    if !e.declared.is_empty() {
        parts.push(format!("declared: {}", e.declared.join(", ")));
    }
    if let Some(n) = e.covered_assets {
        parts.push(format!(
            "{n} covered assets scanned; found: {}",
            if e.found.is_empty() {
                "nothing".to_string()
            } else {
                e.found.join(", ")
            }
        ));
    }
    parts.join("; ")
}

fn csv(r: &Reconciliation, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let to_io = |e: ::csv::Error| io::Error::other(e.to_string());
    w.write_record([
        "severity", "kind", "activity", "source", "location", "category", "detector", "message",
        "evidence", "examples", "listed",
    ])
    .map_err(to_io)?;
    for g in &r.gaps {
        w.write_record([
            g.severity.key(),
            g.kind.key(),
            g.activity.as_deref().unwrap_or(""),
            &g.location.source,
            &location(g),
            g.category.as_deref().unwrap_or(""),
            g.detector.as_deref().unwrap_or(""),
            &g.message,
            &evidence_line(g),
            &g.evidence.examples.join(" | "),
            &g.evidence.listed.join(" | "),
        ])
        .map_err(to_io)?;
    }
    w.flush()
}

fn human(r: &Reconciliation) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "RoPA {} against inventory {} (as of {}): {} gaps; {} of {} assets hold personal data, {} of them covered by an activity.",
        r.ropa,
        r.store,
        r.today,
        r.summary.gaps,
        r.summary.assets_with_pii,
        r.summary.assets,
        r.summary.assets_with_pii_covered
    );
    if !r.summary.by_severity.is_empty() {
        let by: Vec<String> = ["critical", "high", "medium", "low", "info"]
            .iter()
            .filter_map(|k| r.summary.by_severity.get(*k).map(|n| format!("{n} {k}")))
            .collect();
        let _ = writeln!(s, "By severity: {}", by.join(", "));
    }
    for g in &r.gaps {
        let _ = writeln!(
            s,
            "\n[{}] {} — {}\n  activity: {}\n  location: {} ({}){}",
            g.severity.key().to_uppercase(),
            g.kind.key(),
            g.message,
            g.activity.as_deref().unwrap_or("none"),
            location(g),
            g.location.source,
            {
                let e = evidence_line(g);
                if e.is_empty() { e } else { format!("\n  {e}") }
            }
        );
        for l in &g.evidence.listed {
            let _ = writeln!(s, "    - {l}");
        }
    }
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(r: &Reconciliation) -> String {
    let mut s = String::new();
    let org = r.organization.as_deref().unwrap_or("");
    let _ = writeln!(s, "# PII audit: RoPA reconciliation {org}\n");
    let _ = writeln!(
        s,
        "RoPA `{}` against inventory `{}`, as of {} (generated {}). Evidence at confidence ≥ {}.\n",
        r.ropa, r.store, r.today, r.generated_at, r.min_confidence
    );
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| Gaps | {} |", r.summary.gaps);
    for k in ["critical", "high", "medium", "low", "info"] {
        if let Some(n) = r.summary.by_severity.get(k) {
            let _ = writeln!(s, "| {k} | {n} |");
        }
    }
    let _ = writeln!(
        s,
        "| Assets in inventory | {} |\n| Assets with personal data | {} |\n| … covered by an activity | {} |\n| Unreadable assets | {} |\n| Activities without gaps | {} of {} |\n",
        r.summary.assets,
        r.summary.assets_with_pii,
        r.summary.assets_with_pii_covered,
        r.summary.assets_with_errors,
        r.summary.activities_clean,
        r.summary.activities
    );
    let _ = writeln!(s, "## Gaps\n");
    for kind in GapKind::ALL {
        let gaps: Vec<&Gap> = r.gaps.iter().filter(|g| g.kind == kind).collect();
        if gaps.is_empty() {
            continue;
        }
        let _ = writeln!(s, "### {} ({})\n", kind.title(), gaps.len());
        let _ = writeln!(
            s,
            "| Severity | Activity | Location | Category | Detector | Evidence |\n|---|---|---|---|---|---|"
        );
        for g in gaps {
            let _ = writeln!(
                s,
                "| {} | {} | `{}` | {} | {} | {}{} |",
                g.severity.key(),
                g.activity.as_deref().unwrap_or("—"),
                md_escape(&location(g)),
                g.category.as_deref().unwrap_or("—"),
                g.detector.as_deref().unwrap_or("—"),
                md_escape(&g.message),
                {
                    let e = evidence_line(g);
                    if e.is_empty() {
                        String::new()
                    } else {
                        format!(". {}", md_escape(&e))
                    }
                }
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Activities\n");
    for a in &r.activities {
        let _ = writeln!(s, "### {} (`{}`) — {} gaps\n", a.name, a.id, a.gaps);
        let _ = writeln!(
            s,
            "- Lawful basis: {}\n- Art. 9(2) condition: {}\n- Retention: {}\n- Declared: {}\n- Found: {}",
            a.lawful_basis.as_deref().unwrap_or("—"),
            a.special_category_condition.as_deref().unwrap_or("—"),
            a.retention.as_deref().unwrap_or("—"),
            a.declared.join(", "),
            if a.found.is_empty() {
                "—".to_string()
            } else {
                a.found.join(", ")
            }
        );
        for sys in &a.systems {
            let _ = writeln!(
                s,
                "- System `{}`: {} assets, {} with personal data",
                sys.system, sys.assets, sys.assets_with_pii
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Scan coverage\n");
    let _ = writeln!(
        s,
        "| Scan | Started | Targets | Read | Unchanged | Errors |\n|---|---|---|---|---|---|"
    );
    for sc in &r.scans {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            sc.id,
            sc.started_at,
            md_escape(&sc.targets.join(", ")),
            sc.assets_read,
            sc.assets_unchanged,
            sc.errors
        );
    }
    if !r.unreadable.is_empty() {
        let _ = writeln!(s, "\nUnreadable assets:\n");
        for u in &r.unreadable {
            let _ = writeln!(s, "- `{}`: {}", u.asset, md_escape(&u.reason));
        }
    }
    s
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "
:root { --fg:#1d232a; --muted:#5b6570; --line:#d8dde3; --bg:#fff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px;
  border-bottom: 2px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 130px; }
.card b { display: block; font-size: 24px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td code, li code { word-break: break-all; }
.sev { font-weight: 600; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
.critical { background: #7a0010; color: #fff; } .high { background: #d9480f; color: #fff; }
.medium { background: #f59f00; color: #1d232a; } .low { background: #d0ebff; color: #1d232a; }
.info { background: #e9ecef; color: #1d232a; }
.ev { color: var(--muted); font-size: 12.5px; } ul.listed { margin: 4px 0 0 16px; padding: 0; }
@media print { body { max-width: none; padding: 0; font-size: 11px; } h2 { break-after: avoid; }
  tr, .card { break-inside: avoid; } .sev { border: 1px solid #000; } }
";

fn html(r: &Reconciliation) -> String {
    let e = html_escape;
    let mut s = String::new();
    let title = match &r.organization {
        Some(o) => format!("PII audit — {}", e(o)),
        None => "PII audit".to_string(),
    };
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>{CSS}</style></head><body>\n"
    );
    let _ = writeln!(s, "<h1>{title}</h1>");
    let _ = writeln!(
        s,
        "<p class=\"meta\">RoPA <code>{}</code> reconciled with inventory <code>{}</code> as of {} · generated {} · evidence at confidence ≥ {} · values are masked.</p>",
        e(&r.ropa),
        e(&r.store),
        e(&r.today),
        e(&r.generated_at),
        r.min_confidence
    );
    let _ = writeln!(s, "<h2 id=\"summary\">Summary</h2><div class=\"cards\">");
    let card = |s: &mut String, n: u64, label: &str| {
        let _ = write!(
            s,
            "<div class=\"card\"><b>{n}</b>{}</div>",
            html_escape(label)
        );
    };
    card(&mut s, r.summary.gaps, "gaps");
    for k in ["critical", "high", "medium", "low", "info"] {
        if let Some(n) = r.summary.by_severity.get(k) {
            card(&mut s, *n, k);
        }
    }
    card(&mut s, r.summary.assets, "assets in inventory");
    card(
        &mut s,
        r.summary.assets_with_pii,
        "assets with personal data",
    );
    card(
        &mut s,
        r.summary.assets_with_pii_covered,
        "covered by an activity",
    );
    card(
        &mut s,
        r.summary.activities_clean,
        &format!("of {} activities without gaps", r.summary.activities),
    );
    let _ = writeln!(s, "</div>");

    let _ = writeln!(s, "<h2 id=\"gaps\">Gaps</h2>");
    if r.gaps.is_empty() {
        let _ = writeln!(s, "<p>No gaps: the inventory matches the RoPA.</p>");
    }
    for kind in GapKind::ALL {
        let gaps: Vec<&Gap> = r.gaps.iter().filter(|g| g.kind == kind).collect();
        if gaps.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3 id=\"{}\">{} ({})</h3><table><thead><tr><th>Severity</th><th>Activity</th><th>Location</th><th>Category</th><th>Detector</th><th>Finding and evidence</th></tr></thead><tbody>",
            kind.key(),
            kind.title(),
            gaps.len()
        );
        for g in gaps {
            let listed = if g.evidence.listed.is_empty() {
                String::new()
            } else {
                format!(
                    "<ul class=\"listed\">{}</ul>",
                    g.evidence
                        .listed
                        .iter()
                        .map(|l| format!("<li><code>{}</code></li>", e(l)))
                        .collect::<String>()
                )
            };
            let _ = writeln!(
                s,
                "<tr><td><span class=\"sev {sev}\">{sev}</span></td><td>{}</td><td><code>{}</code><br><span class=\"ev\">{}</span></td><td>{}</td><td>{}</td><td>{}<br><span class=\"ev\">{}</span>{listed}</td></tr>",
                e(g.activity.as_deref().unwrap_or("—")),
                e(&location(g)),
                e(&g.location.source),
                e(g.category.as_deref().unwrap_or("—")),
                e(g.detector.as_deref().unwrap_or("—")),
                e(&g.message),
                e(&evidence_line(g)),
                sev = g.severity.key(),
            );
        }
        let _ = writeln!(s, "</tbody></table>");
    }

    let _ = writeln!(s, "<h2 id=\"activities\">Activities</h2>");
    for a in &r.activities {
        let _ = writeln!(
            s,
            "<h3>{} <code>{}</code> — {} gaps</h3><table><tbody><tr><th>Lawful basis</th><td>{}</td></tr><tr><th>Art. 9(2) condition</th><td>{}</td></tr><tr><th>Retention</th><td>{}</td></tr><tr><th>Declared categories</th><td>{}</td></tr><tr><th>Found categories</th><td>{}</td></tr></tbody></table>",
            e(&a.name),
            e(&a.id),
            a.gaps,
            e(a.lawful_basis.as_deref().unwrap_or("—")),
            e(a.special_category_condition.as_deref().unwrap_or("—")),
            e(a.retention.as_deref().unwrap_or("—")),
            e(&a.declared.join(", ")),
            e(&if a.found.is_empty() {
                "—".to_string()
            } else {
                a.found.join(", ")
            }),
        );
        let _ = writeln!(
            s,
            "<table><thead><tr><th>System</th><th>Assets in inventory</th><th>With personal data</th></tr></thead><tbody>"
        );
        for sys in &a.systems {
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                e(&sys.system),
                sys.assets,
                sys.assets_with_pii
            );
        }
        let _ = writeln!(s, "</tbody></table>");
    }

    let _ = writeln!(
        s,
        "<h2 id=\"coverage\">Scan coverage</h2><table><thead><tr><th>Scan</th><th>Started</th><th>Targets</th><th>Read</th><th>Unchanged</th><th>Errors</th></tr></thead><tbody>"
    );
    for sc in &r.scans {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            sc.id,
            e(&sc.started_at),
            e(&sc.targets.join(", ")),
            sc.assets_read,
            sc.assets_unchanged,
            sc.errors
        );
    }
    let _ = writeln!(s, "</tbody></table>");
    if !r.unreadable.is_empty() {
        let _ = writeln!(s, "<h3>Unreadable assets</h3><ul>");
        for u in &r.unreadable {
            let _ = writeln!(s, "<li><code>{}</code>: {}</li>", e(&u.asset), e(&u.reason));
        }
        let _ = writeln!(s, "</ul>");
    }
    let _ = writeln!(s, "</body></html>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_user_controlled() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
