//! `designgate report --format html`: one self-contained page. No network,
//! no external script, style or font: it works from `file://`, and a
//! Content-Security-Policy allows only its own inline script (by a random
//! nonce) and inline styles. Light and dark by `prefers-color-scheme`;
//! tables with `scope` and `headers`; sorting by header buttons and
//! filters by status, owner and text, all keyboard-reachable; the trend
//! chart is an inline SVG with a title, a description and a data table;
//! print styles drop the controls.
//!
//! Everything a document, a repository or an input report controls goes
//! through [`esc`] (text and attribute values) or [`script_json`] (the data
//! the script reads); ids and classes are made here, never taken from input.

use std::fmt::Write as _;
use std::io::Write;

use super::{Document, Report, State};

/// `s` escaped for HTML text and quoted attribute values; control and
/// invisible reordering characters become U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || crate::report::is_hidden_format(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` element: no `<`, `>` or
/// `&` can close it or open a comment, and the line separators that older
/// engines reject are escaped.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A fresh nonce for the Content-Security-Policy.
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut parts = String::new();
    for i in 0..2u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        let _ = write!(parts, "{:016x}", h.finish());
    }
    parts
}

fn pct(p: Option<u32>) -> String {
    p.map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
}

fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// The one-letter code of a state in the script's data.
fn code(s: State) -> char {
    match s {
        State::Covered => 'c',
        State::Hollow => 'h',
        State::Placeholder => 'p',
        State::Missing => 'm',
        State::Waived => 'w',
        State::NotApplicable => 'n',
    }
}

/// Colours of the chart's lines: distinguishable, and readable on both
/// backgrounds.
const LINE_COLOURS: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#e377c2", "#8c564b", "#17becf", "#bcbd22",
    "#ff7f0e", "#7f7f7f",
];

/// Points a row's sparkline shows at most (the latest ones).
pub const SPARK_POINTS: usize = 40;

/// Rows shown before "Show all": a page of thousands of rows stays quick to
/// open; filters and sorting work on every row, and printing (or a browser
/// without scripts) shows them all.
pub const PAGE_ROWS: usize = 200;

const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#595959;--line:#d0d0d0;--head:#f3f4f6;--accent:#0b57d0;
--c-bg:#d8f3dc;--c-fg:#0b4d1e;--h-bg:#fff3bf;--h-fg:#574000;--p-bg:#ffe0c2;--p-fg:#6b3100;--m-bg:#ffd6d6;--m-fg:#7a0000;--w-bg:#e0e7ff;--w-fg:#1e2a78;--n-bg:#f1f1f1;--n-fg:#4a4a4a}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#e8e8e8;--muted:#b0b0b0;--line:#3a3a3a;--head:#1e1e1e;--accent:#8ab4f8;
--c-bg:#123d1c;--c-fg:#bff0c8;--h-bg:#3d3300;--h-fg:#ffe98a;--p-bg:#4a2600;--p-fg:#ffd1a6;--m-bg:#4d0f0f;--m-fg:#ffc4c4;--w-bg:#1c2452;--w-fg:#c9d3ff;--n-bg:#262626;--n-fg:#c4c4c4}}
*{box-sizing:border-box}
body{margin:0;padding:1rem 1.5rem;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .5rem}
.meta,.note{color:var(--muted)}
a{color:var(--accent)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.summary{display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;margin:.8rem 0;padding:0}
.summary div{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem}
.summary dt{font-size:.8rem;color:var(--muted)}.summary dd{margin:0;font-size:1.3rem;font-weight:600}
.wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9rem}
caption{text-align:left;color:var(--muted);padding:.3rem 0;caption-side:top}
th,td{border:1px solid var(--line);padding:.25rem .45rem;vertical-align:top;text-align:left}
thead th{background:var(--head);position:sticky;top:0;z-index:1}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tbody th{font-weight:normal;min-width:14rem}
tbody th .t{font-weight:600;display:block}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left}
thead th button::after{content:" \2195";color:var(--muted)}
thead th[aria-sort=ascending] button::after{content:" \2191"}thead th[aria-sort=descending] button::after{content:" \2193"}
button:focus-visible,select:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.s{white-space:nowrap;font-size:.82rem}
.s-c{background:var(--c-bg);color:var(--c-fg)}.s-h{background:var(--h-bg);color:var(--h-fg)}.s-p{background:var(--p-bg);color:var(--p-fg)}
.s-m{background:var(--m-bg);color:var(--m-fg)}.s-w{background:var(--w-bg);color:var(--w-fg)}.s-n{background:var(--n-bg);color:var(--n-fg)}
.bar{height:.5rem;background:var(--n-bg);border-radius:3px;min-width:6rem}.bar span{display:block;height:100%;background:var(--c-fg);border-radius:3px}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
select{max-width:18rem}
select,input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:.2rem .4rem}
button.rules{font:inherit;font-size:.8rem;color:var(--accent);background:none;border:1px solid var(--line);border-radius:4px;padding:0 .3rem;margin-top:.2rem;cursor:pointer}
tr.detail td{background:var(--head)}
tr.more{display:none}
tr.detail ul{margin:.2rem 0;padding-left:1.2rem;columns:18rem}
.soon{font-weight:700;color:var(--m-fg);background:var(--m-bg)}
svg text{fill:var(--muted);font-size:11px}
svg .grid{stroke:var(--line)}svg .blk{stroke:var(--m-fg);fill:none}svg .dot{fill:var(--m-fg)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;font-size:.85rem}
.legend i{display:inline-block;width:1.2rem;height:.25rem;vertical-align:middle;margin-right:.3rem}
.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}
@media print{body{padding:0;font-size:10pt}tr.more{display:table-row}.filters,button.rules,.noprint,#show-all{display:none!important}thead th{position:static}
tr{break-inside:avoid}.wrap{overflow:visible}thead th button::after{content:""}*{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"#;

const SCRIPT: &str = r#"
(function(){
"use strict";
var table=document.getElementById("docs");if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var fs=document.getElementById("f-status"),fo=document.getElementById("f-owner"),ft=document.getElementById("f-text"),shown=document.getElementById("shown");
var data=JSON.parse(document.getElementById("rules-data").textContent);
var names={c:"covered",h:"hollow",p:"placeholder",m:"missing",w:"waived",n:"not applicable"};
var limit=+table.getAttribute("data-page"),more=document.getElementById("show-all");
function apply(){var s=fs.value,o=fo.value,t=ft.value.trim().toLowerCase(),n=0;
rows.forEach(function(r){var ok=(!s||r.getAttribute("data-status")===s)&&(!o||r.getAttribute("data-owner")===o)&&(!t||r.getAttribute("data-text").indexOf(t)>=0);
r.hidden=!ok;if(ok)n++;var paged=ok&&n>limit;r.classList.toggle("more",paged);if(r.detail)r.detail.hidden=!ok||paged;});
var total=rows.length,showing=Math.min(n,limit);
shown.textContent=showing+" of "+total+" documents shown"+(showing<n?" ("+n+" match; “Show all” lists them)":"");
more.hidden=showing>=n;more.textContent="Show all "+n+" documents";}
fs.addEventListener("change",apply);fo.addEventListener("change",apply);ft.addEventListener("input",apply);
more.addEventListener("click",function(){limit=Infinity;apply();});
Array.prototype.forEach.call(table.querySelectorAll("thead button[data-col]"),function(b){b.addEventListener("click",function(){
var th=b.parentNode,col=+b.getAttribute("data-col"),num=b.getAttribute("data-kind")==="num";
var dir=th.getAttribute("aria-sort")==="ascending"?"descending":"ascending";
Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"),function(x){x.setAttribute("aria-sort","none");});
th.setAttribute("aria-sort",dir);
function key(r){var c=r.cells[col],v=c.hasAttribute("data-v")?c.getAttribute("data-v"):c.textContent;return num?(v===""?-1:+v):v.toLowerCase();}
rows.sort(function(a,b){var x=key(a),y=key(b),c=x<y?-1:x>y?1:0;if(c===0)c=a.getAttribute("data-i")-b.getAttribute("data-i");return dir==="ascending"?c:-c;});
rows.forEach(function(r){body.appendChild(r);if(r.detail)body.appendChild(r.detail);});apply();});});
body.addEventListener("click",function(e){var b=e.target.closest("button.rules");if(!b)return;var r=b.closest("tr");
if(r.detail){var open=r.detail.parentNode;if(open){body.removeChild(r.detail);}else{r.parentNode.insertBefore(r.detail,r.nextSibling);}b.setAttribute("aria-expanded",String(!open));return;}
var states=data.docs[+r.getAttribute("data-i")],tr=document.createElement("tr"),td=document.createElement("td");
tr.className="detail";td.colSpan=r.cells.length;var k=0;
data.areas.forEach(function(a){var ul=document.createElement("ul"),h=document.createElement("strong");h.textContent=a.title;td.appendChild(h);
a.rules.forEach(function(rule){var li=document.createElement("li"),st=states.charAt(k++);li.className="s-"+st;li.textContent=rule[1]+" ("+rule[0]+"): "+names[st];ul.appendChild(li);});td.appendChild(ul);});
tr.appendChild(td);r.detail=tr;r.parentNode.insertBefore(tr,r.nextSibling);b.setAttribute("aria-expanded","true");});
})();
"#;

/// Writes the report as one HTML page.
pub fn write(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    let mut h = String::with_capacity(4096 + r.documents.len() * 1500);
    let nonce = nonce();
    let repo = r
        .source
        .repository
        .clone()
        .unwrap_or_else(|| r.source.repositories.join(", "));
    let title = if repo.is_empty() {
        "Design scorecard".to_owned()
    } else {
        format!("Design scorecard: {repo}")
    };
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src data:; base-uri 'none'; form-action 'none'\">\n<meta name=\"generator\" content=\"designgate {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n<noscript><style>tr.more{{display:table-row}}#show-all{{display:none}}</style></noscript>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        esc(&r.designgate),
        esc(&title),
        esc(&title)
    );
    let mut meta = Vec::new();
    match (r.source.kind.as_str(), &r.source.commit) {
        ("commit", Some(c)) => meta.push(format!("commit <code>{}</code>", esc(short(c)))),
        ("work-tree", Some(c)) => meta.push(format!("work tree at <code>{}</code>", esc(short(c)))),
        ("work-tree", None) => meta.push("work tree".to_owned()),
        ("merged", _) => meta.push(format!(
            "{} repositories merged",
            r.source.repositories.len()
        )),
        _ => {}
    }
    meta.push(format!("generated {}", esc(&r.generated)));
    meta.push(format!("designgate {}", esc(&r.designgate)));
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}</p>\n</header>\n<main>",
        meta.join(" · ")
    );

    let s = &r.summary;
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"sum-h\">\n<h2 id=\"sum-h\">Summary</h2>\n<dl class=\"summary\" id=\"summary\">\n<div><dt>Documents</dt><dd data-k=\"documents\">{}</dd></div>\n<div><dt>Score</dt><dd data-k=\"score\">{}</dd></div>\n<div><dt>Blocking documents</dt><dd data-k=\"blocking_documents\">{}</dd></div>\n<div><dt>Errors</dt><dd data-k=\"errors\">{}</dd></div>\n<div><dt>Warnings</dt><dd data-k=\"warnings\">{}</dd></div>\n<div><dt>Waived findings</dt><dd data-k=\"waived\">{}</dd></div>\n</dl>\n</section>",
        s.documents,
        pct(s.score),
        s.blocking_documents,
        s.errors,
        s.warnings,
        s.waived
    );

    areas(&mut h, r);
    if let Some(hist) = &r.history {
        chart(&mut h, r, hist);
    }
    documents(&mut h, r);
    waivers(&mut h, r);
    if !r.failures.is_empty() {
        let _ = writeln!(
            h,
            "<section aria-labelledby=\"fail-h\">\n<h2 id=\"fail-h\">Not read</h2>\n<ul>"
        );
        for f in &r.failures {
            let _ = writeln!(h, "<li>{}</li>", esc(f));
        }
        let _ = writeln!(h, "</ul>\n</section>");
    }

    // The rules of each area, and each document's state per rule, for the
    // "rules" buttons.
    let data = serde_json::json!({
        "areas": r.areas.iter().map(|a| serde_json::json!({
            "title": a.title,
            "rules": a.rules.iter().map(|x| [x.id.as_str(), x.title.as_str()]).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "docs": r.documents.iter().map(|d| r.areas.iter().flat_map(|a| a.rules.iter())
            .map(|x| code(d.rules.get(&x.id).copied().unwrap_or_default()))
            .collect::<String>()).collect::<Vec<_>>(),
    });
    let _ = write!(
        h,
        "</main>\n<script type=\"application/json\" id=\"rules-data\">{}</script>\n<script nonce=\"{nonce}\">{SCRIPT}</script>\n</body>\n</html>\n",
        script_json(&data)
    );
    out.write_all(h.as_bytes())
}

fn areas(h: &mut String, r: &Report) {
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"areas-h\">\n<h2 id=\"areas-h\">Coverage by area</h2>\n<div class=\"wrap\">\n<table id=\"areas\">\n<caption>Share of documents whose area is covered or waived, among those it applies to</caption>\n<thead><tr><th scope=\"col\">Area</th><th scope=\"col\">Rules</th><th scope=\"col\" class=\"num\">Coverage</th><th scope=\"col\" class=\"num\">Covered</th><th scope=\"col\" class=\"num\">Hollow</th><th scope=\"col\" class=\"num\">Placeholder</th><th scope=\"col\" class=\"num\">Missing</th><th scope=\"col\" class=\"num\">Waived</th><th scope=\"col\" class=\"num\">N/A</th></tr></thead>\n<tbody>"
    );
    for a in &r.areas {
        let rules: Vec<String> = a
            .rules
            .iter()
            .map(|x| format!("<code>{}</code>", esc(&x.id)))
            .collect();
        let c = &a.counts;
        let _ = writeln!(
            h,
            "<tr data-area=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td class=\"num\" data-k=\"coverage\">{}<div class=\"bar\" aria-hidden=\"true\"><span style=\"width:{}%\"></span></div></td><td class=\"num\" data-k=\"covered\">{}</td><td class=\"num\" data-k=\"hollow\">{}</td><td class=\"num\" data-k=\"placeholder\">{}</td><td class=\"num\" data-k=\"missing\">{}</td><td class=\"num\" data-k=\"waived\">{}</td><td class=\"num\" data-k=\"not_applicable\">{}</td></tr>",
            esc(&a.id),
            esc(&a.title),
            rules.join(", "),
            pct(a.coverage),
            a.coverage.unwrap_or(0).min(100),
            c.covered,
            c.hollow,
            c.placeholder,
            c.missing,
            c.waived,
            c.not_applicable
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>\n</div>\n</section>");
}

fn documents(h: &mut String, r: &Report) {
    let merged = r.documents.iter().any(|d| d.repository.is_some());
    let spark = r.history.as_ref().is_some_and(|x| !x.points.is_empty());
    let mut statuses: Vec<&str> = r
        .documents
        .iter()
        .filter_map(|d| d.status.as_deref())
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    let mut owners: Vec<&str> = r
        .documents
        .iter()
        .filter_map(|d| d.owner.as_deref())
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"docs-h\">\n<h2 id=\"docs-h\">Documents</h2>\n<div class=\"filters\" role=\"search\" aria-label=\"Filter documents\">"
    );
    let _ = write!(
        h,
        "<label for=\"f-status\">Status<select id=\"f-status\"><option value=\"\">All statuses</option>"
    );
    for s in &statuses {
        let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(s));
    }
    let _ = write!(
        h,
        "</select></label>\n<label for=\"f-owner\">Owner<select id=\"f-owner\"><option value=\"\">All owners</option>"
    );
    for o in &owners {
        let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(o));
    }
    let _ = writeln!(
        h,
        "</select></label>\n<label for=\"f-text\">Search<input id=\"f-text\" type=\"search\" placeholder=\"title or path\"></label>\n<output id=\"shown\" aria-live=\"polite\">{}</output>\n</div>",
        if r.documents.len() > PAGE_ROWS {
            format!(
                "{PAGE_ROWS} of {0} documents shown ({0} match; “Show all” lists them)",
                r.documents.len()
            )
        } else {
            format!("{0} of {0} documents shown", r.documents.len())
        }
    );
    // Column headers: (id, label, numeric, sortable).
    let mut cols: Vec<(String, String, bool)> = Vec::new();
    if merged {
        cols.push(("h-repo".into(), "Repository".into(), false));
    }
    for (id, label, num) in [
        ("h-owner", "Owner", false),
        ("h-status", "Status", false),
        ("h-reviewers", "Reviewers", false),
        ("h-change", "Last change", false),
        ("h-score", "Score", true),
        ("h-blocking", "Blocking", true),
        ("h-warnings", "Warnings", true),
        ("h-waived", "Waived", true),
    ] {
        cols.push((id.into(), label.into(), num));
    }
    let _ = writeln!(
        h,
        "<div class=\"wrap\">\n<table id=\"docs\" data-page=\"{PAGE_ROWS}\">\n<caption>Each design document against each checklist area: covered, hollow, placeholder, missing, waived or n/a (not applicable). “Rules” shows an area's rules.</caption>\n<thead><tr>"
    );
    let mut col = 0;
    let _ = write!(
        h,
        "<th scope=\"col\" id=\"h-doc\" aria-sort=\"none\"><button type=\"button\" data-col=\"{col}\">Document</button></th>"
    );
    for (id, label, num) in &cols {
        col += 1;
        let _ = write!(
            h,
            "<th scope=\"col\" id=\"{id}\" aria-sort=\"none\"{}><button type=\"button\" data-col=\"{col}\" data-kind=\"{}\">{label}</button></th>",
            if *num { " class=\"num\"" } else { "" },
            if *num { "num" } else { "text" }
        );
    }
    if spark {
        col += 1;
        let _ = write!(h, "<th scope=\"col\" id=\"h-trend\">Trend</th>");
    }
    for (i, a) in r.areas.iter().enumerate() {
        col += 1;
        let _ = write!(
            h,
            "<th scope=\"col\" id=\"h-a{i}\" aria-sort=\"none\"><button type=\"button\" data-col=\"{col}\" data-kind=\"num\">{}</button></th>",
            esc(&a.title)
        );
    }
    let _ = writeln!(h, "</tr></thead>\n<tbody>");
    for (i, d) in r.documents.iter().enumerate() {
        row(h, r, d, i, merged, spark);
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table>\n</div>\n<p><button type=\"button\" id=\"show-all\"{}>Show all {} documents</button></p>\n</section>",
        if r.documents.len() > PAGE_ROWS {
            ""
        } else {
            " hidden"
        },
        r.documents.len()
    );
}

fn row(h: &mut String, r: &Report, d: &Document, i: usize, merged: bool, spark: bool) {
    let text = format!(
        "{} {} {}",
        d.title,
        d.path,
        d.repository.as_deref().unwrap_or("")
    )
    .to_lowercase();
    let _ = write!(
        h,
        "<tr data-i=\"{i}\"{} data-status=\"{}\" data-owner=\"{}\" data-text=\"{}\"><th scope=\"row\" id=\"r{i}\" headers=\"h-doc\" data-v=\"{}\"><span class=\"t\">{}</span><code>{}</code><br><button type=\"button\" class=\"rules\" aria-expanded=\"false\" aria-label=\"Rules of {}\">Rules</button></th>",
        if i >= PAGE_ROWS {
            " class=\"more\""
        } else {
            ""
        },
        esc(d.status.as_deref().unwrap_or("")),
        esc(d.owner.as_deref().unwrap_or("")),
        esc(&text),
        esc(&d.title.to_lowercase()),
        esc(&d.title),
        esc(&d.path),
        esc(&d.title)
    );
    let cell = |h: &mut String, col: &str, class: &str, v: Option<String>, content: String| {
        let _ = write!(
            h,
            "<td headers=\"r{i} {col}\"{}{}>{content}</td>",
            if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            },
            v.map_or_else(String::new, |v| format!(" data-v=\"{v}\""))
        );
    };
    if merged {
        cell(
            h,
            "h-repo",
            "",
            None,
            esc(d.repository.as_deref().unwrap_or("")),
        );
    }
    let dash = || "–".to_owned();
    cell(
        h,
        "h-owner",
        "",
        None,
        d.owner.as_deref().map_or_else(dash, esc),
    );
    cell(
        h,
        "h-status",
        "",
        None,
        d.status.as_deref().map_or_else(dash, esc),
    );
    cell(
        h,
        "h-reviewers",
        "",
        None,
        if d.reviewers.is_empty() {
            dash()
        } else {
            esc(&d.reviewers.join(", "))
        },
    );
    match &d.last_change {
        Some(c) => cell(
            h,
            "h-change",
            "",
            Some(esc(&c.date)),
            format!(
                "{} <code>{}</code> {}",
                esc(c.date.get(..10).unwrap_or(&c.date)),
                esc(short(&c.commit)),
                esc(&c.author)
            ),
        ),
        None => cell(h, "h-change", "", Some(String::new()), dash()),
    }
    cell(
        h,
        "h-score",
        "num",
        Some(d.score.map_or_else(String::new, |s| s.to_string())),
        pct(d.score),
    );
    for (col, n) in [
        ("h-blocking", d.errors),
        ("h-warnings", d.warnings),
        ("h-waived", d.waived),
    ] {
        cell(h, col, "num", Some(n.to_string()), n.to_string());
    }
    if spark {
        cell(
            h,
            "h-trend",
            "",
            None,
            sparkline(d.history.as_deref().unwrap_or(&[])),
        );
    }
    for (a, area) in r.areas.iter().enumerate() {
        let state = d.areas.get(&area.id).copied().unwrap_or_default();
        cell(
            h,
            &format!("h-a{a}"),
            &format!("s s-{}", code(state)),
            Some((state as u8).to_string()),
            state.label().to_owned(),
        );
    }
    let _ = writeln!(h, "</tr>");
}

/// A row's score over the history, as a small SVG (the last
/// [`SPARK_POINTS`] points).
fn sparkline(scores: &[Option<u32>]) -> String {
    let from = scores.len().saturating_sub(SPARK_POINTS);
    let scores = &scores[from..];
    let known: Vec<u32> = scores.iter().flatten().copied().collect();
    let (Some(first), Some(last)) = (known.first(), known.last()) else {
        return "–".to_owned();
    };
    let n = scores.len().max(2) - 1;
    let (w, ht) = (80.0, 20.0);
    let mut pts = String::new();
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            let x = i as f64 * w / n as f64;
            let y = ht - 1.0 - f64::from(*s) * (ht - 2.0) / 100.0;
            let _ = write!(pts, "{x:.0},{y:.0} ");
        }
    }
    format!(
        "<svg class=\"spark\" width=\"80\" height=\"20\" viewBox=\"0 0 80 20\" role=\"img\" aria-label=\"Score over {} commits: from {first}% to {last}%\"><polyline points=\"{}\"/></svg>",
        scores.len(),
        pts.trim_end()
    )
}

fn chart(h: &mut String, r: &Report, hist: &super::History) {
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"hist-h\">\n<h2 id=\"hist-h\">History</h2>"
    );
    let pts = &hist.points;
    if pts.is_empty() {
        let _ = writeln!(
            h,
            "<p>No commit changed a design document in this range.</p>\n</section>"
        );
        return;
    }
    let (w, top, mid, bottom, left, right) = (760.0, 10.0, 190.0, 300.0, 44.0, 12.0);
    let n = pts.len();
    let x = |i: usize| {
        if n == 1 {
            left + (w - left - right) / 2.0
        } else {
            left + i as f64 * (w - left - right) / (n - 1) as f64
        }
    };
    let max_block = pts.iter().map(|p| p.blocking).max().unwrap_or(0).max(1);
    let yc = |p: u32| mid - f64::from(p) * (mid - top) / 100.0;
    let yb = |b: usize| bottom - b as f64 * (bottom - mid - 30.0) / max_block as f64;
    let first = pts
        .first()
        .map_or("", |p| p.date.get(..10).unwrap_or(&p.date));
    let last = pts
        .last()
        .map_or("", |p| p.date.get(..10).unwrap_or(&p.date));
    let blocking_now = pts.last().map_or(0, |p| p.blocking);
    let _ = writeln!(
        h,
        "<figure>\n<svg id=\"trend\" viewBox=\"0 0 {w} {}\" width=\"100%\" style=\"max-width:{w}px\" role=\"img\" aria-labelledby=\"trend-t trend-d\">\n<title id=\"trend-t\">Coverage per area and blocking findings over {n} {}</title>\n<desc id=\"trend-d\">From {} to {}: upper panel, coverage in percent for each checklist area; lower panel, blocking findings, {} at the last commit. The same numbers are in the table below the chart.</desc>",
        bottom + 20.0,
        if hist.weekly { "weeks" } else { "commits" },
        esc(first),
        esc(last),
        blocking_now
    );
    for p in [0u32, 50, 100] {
        let _ = writeln!(
            h,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{p}%</text>",
            w - right,
            left - 4.0,
            yc(p) + 4.0,
            y = yc(p)
        );
    }
    let _ = writeln!(
        h,
        "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{bottom}\" y2=\"{bottom}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{max_block}</text><text x=\"{left}\" y=\"{}\">blocking</text>",
        w - right,
        left - 4.0,
        bottom + 4.0,
        left - 4.0,
        yb(max_block) + 4.0,
        mid + 16.0
    );
    for (i, a) in r.areas.iter().enumerate() {
        let mut line = String::new();
        for (j, p) in pts.iter().enumerate() {
            if let Some(Some(c)) = p.coverage.get(&a.id) {
                let _ = write!(line, "{:.1},{:.1} ", x(j), yc(*c));
            }
        }
        let _ = writeln!(
            h,
            "<polyline data-area=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            esc(&a.id),
            line.trim_end(),
            LINE_COLOURS[i % LINE_COLOURS.len()]
        );
    }
    let mut line = String::new();
    for (j, p) in pts.iter().enumerate() {
        let _ = write!(line, "{:.1},{:.1} ", x(j), yb(p.blocking));
    }
    let _ = writeln!(
        h,
        "<polyline class=\"blk\" points=\"{}\" stroke-width=\"2\"/>",
        line.trim_end()
    );
    for (j, p) in pts.iter().enumerate() {
        let _ = writeln!(
            h,
            "<circle class=\"dot\" data-point=\"{j}\" data-blocking=\"{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"><title>{} {}: {} blocking</title></circle>",
            p.blocking,
            x(j),
            yb(p.blocking),
            esc(short(&p.commit)),
            esc(p.date.get(..10).unwrap_or(&p.date)),
            p.blocking
        );
    }
    let _ = writeln!(h, "</svg>\n<figcaption><ul class=\"legend\">");
    for (i, a) in r.areas.iter().enumerate() {
        let now = pts
            .last()
            .and_then(|p| p.coverage.get(&a.id).copied().flatten());
        let _ = writeln!(
            h,
            "<li><i style=\"background:{}\"></i>{} ({})</li>",
            LINE_COLOURS[i % LINE_COLOURS.len()],
            esc(&a.title),
            pct(now)
        );
    }
    let _ = writeln!(
        h,
        "<li><i style=\"background:var(--m-fg)\"></i>Blocking findings</li></ul></figcaption>\n</figure>\n<details class=\"noprint\"><summary>Chart data ({n} {}; {} documents linted, {} from the cache)</summary>\n<div class=\"wrap\">\n<table id=\"history\">\n<thead><tr><th scope=\"col\">Commit</th><th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Documents</th><th scope=\"col\" class=\"num\">Blocking</th>",
        if hist.weekly { "weeks" } else { "commits" },
        hist.linted,
        hist.cached
    );
    for a in &r.areas {
        let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", esc(&a.title));
    }
    let _ = writeln!(h, "</tr></thead>\n<tbody>");
    for p in pts {
        let _ = write!(
            h,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            esc(short(&p.commit)),
            esc(p.date.get(..10).unwrap_or(&p.date)),
            p.documents,
            p.blocking
        );
        for a in &r.areas {
            let _ = write!(
                h,
                "<td class=\"num\">{}</td>",
                pct(p.coverage.get(&a.id).copied().flatten())
            );
        }
        let _ = writeln!(h, "</tr>");
    }
    let _ = writeln!(h, "</tbody>\n</table>\n</div>\n</details>\n</section>");
}

fn waivers(h: &mut String, r: &Report) {
    let _ = writeln!(
        h,
        "<section aria-labelledby=\"waivers-h\">\n<h2 id=\"waivers-h\">Waivers</h2>"
    );
    if r.waivers.is_empty() {
        let _ = writeln!(h, "<p>No active waivers.</p>\n</section>");
        return;
    }
    let merged = r.waivers.iter().any(|w| w.repository.is_some());
    let _ = writeln!(
        h,
        "<div class=\"wrap\">\n<table id=\"waivers\">\n<caption>Every waiver in force, those expiring soonest first</caption>\n<thead><tr><th scope=\"col\">Expires</th><th scope=\"col\" class=\"num\">Days left</th>{}<th scope=\"col\">Document</th><th scope=\"col\">Rule</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>",
        if merged {
            "<th scope=\"col\">Repository</th>"
        } else {
            ""
        }
    );
    for w in &r.waivers {
        let days = match (w.days_left, w.expiring_soon) {
            (Some(d), true) => format!("<td class=\"num soon\">{d} (soon)</td>"),
            (Some(d), false) => format!("<td class=\"num\">{d}</td>"),
            (None, _) => "<td class=\"num\">–</td>".to_owned(),
        };
        let repo = if merged {
            format!("<td>{}</td>", esc(w.repository.as_deref().unwrap_or("")))
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th>{days}{repo}<td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            esc(w.expires.as_deref().unwrap_or("never")),
            esc(&w.path),
            esc(&w.rule),
            esc(&w.reason)
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>\n</div>\n</section>");
}

#[cfg(test)]
mod tests {
    use super::{esc, script_json};

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            esc("<script>alert('x')</script>\"&\u{1b}\u{202e}\n"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\u{fffd}\u{fffd} "
        );
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = serde_json::json!({"t": "</script><!--\u{2028}&"});
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
