//! `designgate report --format markdown`: the scorecard as Markdown tables,
//! for pull-request comments and wikis. Everything a document or a
//! repository controls goes through [`text`]: Markdown and HTML syntax is
//! escaped, control and invisible characters are replaced, and `@` cannot
//! mention anyone.

use std::io::Write;

use super::{Report, State};

/// `s` as inert text inside a Markdown table cell.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || crate::report::is_hidden_format(c) => out.push('\u{fffd}'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '!' | '#' | '$' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// Writes the report as Markdown.
pub fn write(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let s = &r.summary;
    writeln!(out, "# Design scorecard\n")?;
    let mut source = Vec::new();
    if let Some(repo) = &r.source.repository {
        source.push(format!("Repository **{}**", text(repo)));
    }
    if !r.source.repositories.is_empty() {
        let names: Vec<String> = r.source.repositories.iter().map(|n| text(n)).collect();
        source.push(format!("Repositories: {}", names.join(", ")));
    }
    match (r.source.kind.as_str(), &r.source.commit) {
        ("commit", Some(c)) => source.push(format!("commit `{}`", text(short(c)))),
        ("work-tree", Some(c)) => source.push(format!("work tree at `{}`", text(short(c)))),
        ("work-tree", None) => source.push("work tree".to_owned()),
        _ => {}
    }
    source.push(format!("generated {}", text(&r.generated)));
    writeln!(out, "{}\n", source.join(" · "))?;
    writeln!(
        out,
        "**{} documents** · score **{}** · **{}** blocking documents ({} errors) · {} warnings · {} waived findings\n",
        s.documents,
        pct(s.score),
        s.blocking_documents,
        s.errors,
        s.warnings,
        s.waived
    )?;

    writeln!(out, "## Coverage by area\n")?;
    writeln!(
        out,
        "| Area | Rules | Coverage | Covered | Hollow | Placeholder | Missing | Waived | N/A |"
    )?;
    writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|--:|")?;
    for a in &r.areas {
        let rules: Vec<String> = a.rules.iter().map(|x| text(&x.id)).collect();
        let c = &a.counts;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            text(&a.title),
            rules.join(", "),
            pct(a.coverage),
            c.covered,
            c.hollow,
            c.placeholder,
            c.missing,
            c.waived,
            c.not_applicable
        )?;
    }

    writeln!(out, "\n## Documents\n")?;
    let merged = r.documents.iter().any(|d| d.repository.is_some());
    let mut head = Vec::new();
    if merged {
        head.push("Repository".to_owned());
    }
    head.extend(
        [
            "Document",
            "Owner",
            "Status",
            "Reviewers",
            "Last change",
            "Score",
            "Blocking",
            "Warnings",
        ]
        .map(str::to_owned),
    );
    head.extend(r.areas.iter().map(|a| text(&a.title)));
    writeln!(out, "| {} |", head.join(" | "))?;
    let align: Vec<&str> = head
        .iter()
        .enumerate()
        .map(|(i, _)| {
            // Score, Blocking and Warnings are numbers.
            let numeric = i
                .checked_sub(usize::from(merged))
                .is_some_and(|j| (5..=7).contains(&j));
            if numeric { "--:" } else { "---" }
        })
        .collect();
    writeln!(out, "|{}|", align.join("|"))?;
    for d in &r.documents {
        let mut cells = Vec::new();
        if merged {
            cells.push(text(d.repository.as_deref().unwrap_or("")));
        }
        cells.push(format!("{}<br>{}", text(&d.title), text(&d.path)));
        cells.push(text(d.owner.as_deref().unwrap_or("–")));
        cells.push(text(d.status.as_deref().unwrap_or("–")));
        cells.push(if d.reviewers.is_empty() {
            "–".to_owned()
        } else {
            text(&d.reviewers.join(", "))
        });
        cells.push(match &d.last_change {
            Some(c) => format!(
                "{} {} ({})",
                text(c.date.get(..10).unwrap_or(&c.date)),
                text(short(&c.commit)),
                text(&c.author)
            ),
            None => "–".to_owned(),
        });
        cells.push(pct(d.score));
        cells.push(d.errors.to_string());
        cells.push(d.warnings.to_string());
        for a in &r.areas {
            let state = d.areas.get(&a.id).copied().unwrap_or(State::NotApplicable);
            cells.push(state.label().to_owned());
        }
        writeln!(out, "| {} |", cells.join(" | "))?;
    }

    writeln!(out, "\n## Waivers\n")?;
    if r.waivers.is_empty() {
        writeln!(out, "No active waivers.")?;
    } else {
        let merged = r.waivers.iter().any(|w| w.repository.is_some());
        writeln!(
            out,
            "| Expires | Days left |{} Document | Rule | Reason |",
            if merged { " Repository |" } else { "" }
        )?;
        writeln!(
            out,
            "|---|--:|{}---|---|---|",
            if merged { "---|" } else { "" }
        )?;
        for w in &r.waivers {
            let days = match (w.days_left, w.expiring_soon) {
                (Some(d), true) => format!("**{d}** (soon)"),
                (Some(d), false) => d.to_string(),
                (None, _) => "–".to_owned(),
            };
            let repo = if merged {
                format!(" {} |", text(w.repository.as_deref().unwrap_or("")))
            } else {
                String::new()
            };
            writeln!(
                out,
                "| {} | {} |{repo} {} | {} | {} |",
                text(w.expires.as_deref().unwrap_or("never")),
                days,
                text(&w.path),
                text(&w.rule),
                text(&w.reason)
            )?;
        }
    }

    if let Some(h) = &r.history {
        writeln!(
            out,
            "\n## History{}\n",
            if h.weekly { " (weekly)" } else { "" }
        )?;
        if h.points.is_empty() {
            writeln!(out, "No commit changed a design document in this range.")?;
        } else {
            let mut head = vec![
                "Commit".to_owned(),
                "Date".to_owned(),
                "Documents".to_owned(),
                "Blocking".to_owned(),
            ];
            head.extend(r.areas.iter().map(|a| text(&a.title)));
            writeln!(out, "| {} |", head.join(" | "))?;
            writeln!(out, "|---|---|--:|--:|{}", "--:|".repeat(r.areas.len()))?;
            for p in &h.points {
                let mut cells = vec![
                    format!("`{}`", text(short(&p.commit))),
                    text(p.date.get(..10).unwrap_or(&p.date)),
                    p.documents.to_string(),
                    p.blocking.to_string(),
                ];
                for a in &r.areas {
                    cells.push(pct(p.coverage.get(&a.id).copied().flatten()));
                }
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
    }
    if !r.failures.is_empty() {
        writeln!(out, "\n## Not read\n")?;
        for f in &r.failures {
            writeln!(out, "- {}", text(f))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn hostile_text_is_inert() {
        assert_eq!(
            text("<script>|a`b\u{1b}[31m\u{202e}@team\n[x](y)"),
            "&lt;script&gt;\\|a\\`b\u{fffd}\\[31m\u{fffd}&#64;team \\[x\\](y)"
        );
    }
}
