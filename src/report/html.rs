//! The review report: one self-contained HTML page (`screen --format html`).
//!
//! The page needs nothing from the network: its style and its small script
//! are inline, and a Content-Security-Policy allows those two (by their
//! sha256) and nothing else, so the page works from a mail attachment or a
//! case file and runs no other code.
//!
//! It holds:
//! - a header with the run's provenance: tool version, run id, thresholds,
//!   the input file and its sha256, each list file with its list, format,
//!   publication date and sha256, and the counts, which reconcile:
//!   rows read = with potential matches + cleared by decision + clear + errors;
//! - one card per input row with hits, worst first (a block hit, then a
//!   review hit, then rows whose hits are all cleared; by best score within
//!   each): the input name beside each matched listed name, the words that
//!   met marked, the listed words the input lacks and the input words the
//!   listed name lacks marked apart; the score and its severity, the list,
//!   programs, dates of birth and countries of both sides, the "also on"
//!   lists and the explanation in words;
//! - the rows in error, with their line and reason;
//! - the rows screened without a date of birth, type or country that could
//!   not be read, with their line and what was left out (a card says it
//!   too, under its header);
//! - filters (severity, list, program, decided or not) and a search box;
//! - per hit, "false positive" and "true match" buttons that write the
//!   `--decisions` CSV rows (see [`crate::decisions`]) in the page, from the
//!   hit's own `entity_id` and `entity_hash`, to copy or download.
//!
//! Every value from the input or the lists is escaped: a name holding
//! `<script>` or a quote renders as text. Invisible characters (bidi
//! overrides, zero-width spaces) are shown as `⟨U+202E⟩` markers, since
//! they are a way to disguise a name, and each name sits in a `<bdi>` so a
//! right-to-left name does not reorder the text around it. Nothing in the
//! page depends on the time it was written: the same run gives the same bytes.

use super::{Head, Hit, HitStatus, Printer, RowResult, RunInfo, Severity, Summary, Verdict};
use crate::decisions::Outcome;
use crate::lists::{Diagnostic, ListFile, Skipped};
use crate::model::{Word, WordPart};
use crate::normalize::is_invisible;
use anyhow::Result;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

/// The page's style.
const STYLE: &str = include_str!("report.css");
/// The page's script: filters, search and the decisions control.
const SCRIPT: &str = include_str!("report.js");

/// A report page being gathered: the rows it shows are kept until
/// [`Page::write`], since cards go worst first, not in input order.
#[derive(Debug)]
pub(super) struct Page {
    run: RunInfo,
    lists: Vec<ListFile>,
    skipped: Vec<Skipped>,
    warnings: Vec<Diagnostic>,
    /// Rows with hits.
    cards: Vec<RowResult>,
    /// Rows in error.
    errors: Vec<RowResult>,
    /// Rows screened with warnings (a fact left out).
    warned: Vec<RowResult>,
}

impl Page {
    /// A page for this run and these lists.
    pub(super) fn new(head: &Head) -> Page {
        Page {
            run: head.run.clone(),
            lists: head.lists.to_vec(),
            skipped: head.skipped.to_vec(),
            warnings: head.warnings.to_vec(),
            cards: Vec::new(),
            errors: Vec::new(),
            warned: Vec::new(),
        }
    }
}

impl Printer for Page {
    /// Nothing: the page is written whole at the end.
    fn begin(&mut self, _out: &mut dyn Write, _head: &Head) -> Result<()> {
        Ok(())
    }

    /// Keep a row the page shows (one with hits, or in error); clear rows
    /// are only counted, by the summary.
    fn row(&mut self, _out: &mut dyn Write, r: &RowResult) -> Result<()> {
        if !r.warnings.is_empty() {
            self.warned.push(r.clone());
        }
        if r.verdict == Verdict::Error {
            self.errors.push(r.clone());
        } else if !r.hits.is_empty() {
            self.cards.push(r.clone());
        }
        Ok(())
    }

    /// Write the whole page.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> Result<()> {
        self.cards.sort_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then(best(b).total_cmp(&best(a)))
                .then(a.row.cmp(&b.row))
        });
        let mut s = String::with_capacity(64 * 1024 + self.cards.len() * 4096);
        self.head(&mut s);
        self.provenance(&mut s, summary);
        self.controls(&mut s);
        s.push_str("<main id=\"cards\">\n");
        if self.cards.is_empty() {
            s.push_str("<p class=\"none\">No input row has a potential match.</p>\n");
        }
        for r in &self.cards {
            card(&mut s, r);
        }
        s.push_str("</main>\n");
        self.error_rows(&mut s);
        self.warned_rows(&mut s);
        decisions_panel(&mut s);
        let _ = write!(s, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
        out.write_all(s.as_bytes())?;
        Ok(())
    }
}

impl Page {
    fn head(&self, s: &mut String) {
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>Screening report {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            csp_hash(STYLE),
            csp_hash(SCRIPT),
            text(&self.run.run_id),
        );
    }

    /// The run's provenance and counts.
    fn provenance(&self, s: &mut String, summary: &Summary) {
        let run = &self.run;
        let _ = write!(
            s,
            "<header id=\"run\">\n<h1>Screening report</h1>\n<dl class=\"facts\">\n\
             <dt>tool</dt><dd>sanctions {}</dd>\n<dt>run id</dt><dd><code id=\"run-id\">{}</code></dd>\n\
             <dt>threshold</dt><dd>{} (block at {}; the run fails on {} hits; at most {} hits a row)</dd>\n\
             <dt>input</dt><dd><bdi>{}</bdi>, name column <code>{}</code>, sha256 <code>{}</code></dd>\n",
            env!("CARGO_PKG_VERSION"),
            text(&run.run_id),
            run.threshold,
            run.block_threshold,
            text(&run.fail_on),
            if run.top == 0 {
                "all".to_string()
            } else {
                run.top.to_string()
            },
            text(&run.input),
            text(&run.column),
            text(&run.input_sha256),
        );
        if let Some(d) = &run.decisions {
            let field = |k: &str| d.get(k).map(json_text).unwrap_or_default();
            let _ = writeln!(
                s,
                "<dt>decisions</dt><dd><bdi>{}</bdi>: {} decisions, sha256 <code>{}</code>, applied as of {}</dd>",
                text(&field("path")),
                text(&field("decisions")),
                text(&field("sha256")),
                text(&field("as_of")),
            );
        }
        if let Some(since) = &run.since {
            let _ = writeln!(
                s,
                "<dt>since</dt><dd>only hits on entries added or changed since {} older list file(s)</dd>",
                since.len()
            );
        }
        let _ = writeln!(
            s,
            "<dt>loaded</dt><dd>{} entities, {} names{}</dd>\n</dl>",
            run.entities,
            run.names,
            if run.bundled_sample_lists {
                " — <strong class=\"warn\">the bundled SAMPLE lists, not the official lists</strong>"
            } else {
                ""
            }
        );
        let _ = writeln!(
            s,
            "<p id=\"counts\" class=\"counts\" data-rows=\"{rows}\" data-potential=\"{pm}\" data-cleared=\"{cl}\" \
             data-clear=\"{clear}\" data-errors=\"{err}\">{rows} rows read = <b>{pm}</b> with potential matches \
             ({block} block) + {cl} cleared by decision + {clear} clear + {err} in error</p>",
            rows = summary.rows,
            pm = summary.potential_matches,
            block = summary.block,
            cl = summary.cleared_by_decision,
            clear = summary.clear,
            err = summary.errors,
        );
        s.push_str(
            "<details class=\"lists\" open>\n<summary>List files</summary>\n<table>\n\
             <thead><tr><th>list</th><th>format</th><th>published</th><th>entities</th><th>file</th><th>sha256</th></tr></thead>\n<tbody>\n",
        );
        for f in &self.lists {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><bdi>{}</bdi></td><td><code>{}</code></td></tr>",
                text(&f.list),
                text(&f.format),
                text(f.published.as_deref().unwrap_or("not stated")),
                f.entities,
                text(&f.path),
                text(&f.sha256),
            );
        }
        s.push_str("</tbody>\n</table>\n");
        if !self.skipped.is_empty() || !self.warnings.is_empty() {
            let _ = writeln!(
                s,
                "<p class=\"note\">{} file(s) skipped, {} record warning(s) while loading (see <code>sanctions lists</code>).</p>",
                self.skipped.len(),
                self.warnings.len()
            );
        }
        s.push_str("</details>\n</header>\n");
    }

    /// The filters and the search box, with their choices from the hits.
    fn controls(&self, s: &mut String) {
        let hits = self.cards.iter().flat_map(|r| &r.hits);
        let lists: BTreeSet<&str> = hits.clone().map(|h| h.list.as_str()).collect();
        let programs: BTreeSet<&str> = hits
            .flat_map(|h| h.programs.iter().map(String::as_str))
            .collect();
        s.push_str(
            "<nav id=\"filters\">\n<label>severity <select id=\"f-severity\"><option value=\"\">all</option>\
             <option value=\"block\">block</option><option value=\"review\">review</option></select></label>\n",
        );
        s.push_str("<label>list <select id=\"f-list\"><option value=\"\">all</option>");
        for l in lists {
            let _ = write!(s, "<option value=\"{}\">{}</option>", attr(l), text(l));
        }
        s.push_str("</select></label>\n<label>program <select id=\"f-program\"><option value=\"\">all</option>");
        for p in programs {
            let _ = write!(s, "<option value=\"{}\">{}</option>", attr(p), text(p));
        }
        let _ = writeln!(
            s,
            "</select></label>\n<label>decision <select id=\"f-decided\"><option value=\"\">all</option>\
             <option value=\"undecided\">undecided</option><option value=\"decided\">decided</option></select></label>\n\
             <label>search <input id=\"f-search\" type=\"search\" placeholder=\"name, id, list, program\"></label>\n\
             <span id=\"shown\" data-total=\"{0}\">{0} of {0} cards</span>\n</nav>",
            self.cards.len()
        );
    }

    /// The rows in error, with their line and reason.
    fn error_rows(&self, s: &mut String) {
        if self.errors.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "<section id=\"errors\">\n<h2>{} row(s) in error: not screened</h2>\n<table>\n\
             <thead><tr><th>row</th><th>line</th><th>id</th><th>reason</th></tr></thead>\n<tbody>",
            self.errors.len()
        );
        for r in &self.errors {
            let _ = writeln!(
                s,
                "<tr class=\"error-row\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.row,
                r.line,
                text(r.id.as_deref().unwrap_or("")),
                text(r.error.as_deref().unwrap_or("")),
            );
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// The rows screened without a fact that could not be read, with their
    /// line and what was left out.
    fn warned_rows(&self, s: &mut String) {
        if self.warned.is_empty() {
            return;
        }
        let _ = writeln!(
            s,
            "<section id=\"warnings\">\n<h2>{} row(s) screened without a fact that could not be read</h2>\n<table>\n\
             <thead><tr><th>row</th><th>line</th><th>id</th><th>name</th><th>warning</th></tr></thead>\n<tbody>",
            self.warned.len()
        );
        for r in &self.warned {
            for w in &r.warnings {
                let _ = writeln!(
                    s,
                    "<tr class=\"warning-row\"><td>{}</td><td>{}</td><td>{}</td><td><bdi>{}</bdi></td><td>{}</td></tr>",
                    r.row,
                    r.line,
                    text(r.id.as_deref().unwrap_or("")),
                    text(&r.name),
                    text(&w.in_words()),
                );
            }
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// How bad a row is, best first: a block hit still open, a review hit
/// still open, then rows whose hits are all cleared.
fn rank(r: &RowResult) -> u8 {
    let open = r
        .hits
        .iter()
        .filter(|h| h.status == HitStatus::PotentialMatch);
    let mut rank = 2;
    for h in open {
        rank = rank.min(match h.severity {
            Severity::Block => 0,
            Severity::Review => 1,
        });
    }
    rank
}

/// The row's best score.
fn best(r: &RowResult) -> f64 {
    r.hits.iter().map(|h| h.score).fold(0.0, f64::max)
}

/// One card: the input row and each of its hits.
fn card(s: &mut String, r: &RowResult) {
    let severity = match rank(r) {
        0 => "block",
        1 => "review",
        _ => "cleared",
    };
    let _ = write!(
        s,
        "<article class=\"card sev-{severity}\" id=\"row-{row}\" data-row=\"{row}\" data-severity=\"{severity}\">\n\
         <header><span class=\"where\">row {row}, line {line}</span>",
        row = r.row,
        line = r.line,
    );
    if let Some(id) = &r.id {
        let _ = write!(
            s,
            " <span class=\"input-id\">id <bdi>{}</bdi></span>",
            text(id)
        );
    }
    let _ = writeln!(
        s,
        " <span class=\"badge {severity}\">{severity}</span>\n<h2><bdi class=\"input-name\">{}</bdi></h2></header>",
        text(&r.name)
    );
    for w in &r.warnings {
        let _ = writeln!(
            s,
            "<p class=\"fact-warning\">warning: {}</p>",
            text(&w.in_words())
        );
    }
    for h in &r.hits {
        hit(s, r, h);
    }
    s.push_str("</article>\n");
}

/// One hit of a card.
fn hit(s: &mut String, r: &RowResult, h: &Hit) {
    let decided = h.decision_outcome.is_some_and(Outcome::is_decided);
    let status = h.status.as_str();
    let _ = writeln!(
        s,
        "<section class=\"hit {status}\" data-severity=\"{}\" data-status=\"{status}\" data-list=\"{}\" data-decided=\"{}\" \
         data-entity-id=\"{}\" data-entity-hash=\"{}\" data-input=\"{}\" data-input-id=\"{}\">",
        h.severity.as_str(),
        attr(&h.list),
        if decided { "decided" } else { "undecided" },
        attr(&h.entity_id),
        attr(&h.entity_hash),
        attr(&r.name),
        attr(r.id.as_deref().unwrap_or("")),
    );
    let _ = writeln!(
        s,
        "<div class=\"score\"><span class=\"num\">{:.4}</span> <span class=\"badge {1}\">{1}</span>{2}</div>",
        h.score,
        h.severity.as_str(),
        if h.status == HitStatus::ClearedByDecision {
            " <span class=\"badge cleared\">cleared</span>"
        } else {
            ""
        }
    );
    let e = &h.explanation;
    let _ = writeln!(
        s,
        "<div class=\"names\"><div><span class=\"label\">input</span> <bdi class=\"marked\">{}</bdi></div>\
         <div><span class=\"label\">listed ({})</span> <bdi class=\"marked\">{}</bdi></div></div>",
        marked(&e.query_words, "extra"),
        text(&h.matched_name_kind),
        marked(&e.listed_words, "missing"),
    );
    s.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(
        s,
        "<dt>list</dt><dd>{} <code class=\"entity-id\">{}</code> ({})</dd>",
        text(&h.list),
        text(&h.entity_id),
        text(&h.entity_type)
    );
    if h.primary_name != h.matched_name {
        let _ = writeln!(
            s,
            "<dt>primary name</dt><dd><bdi>{}</bdi></dd>",
            text(&h.primary_name)
        );
    }
    s.push_str("<dt>programs</dt><dd><ul class=\"programs\">");
    for p in &h.programs {
        let _ = write!(s, "<li data-program=\"{}\">{}</li>", attr(p), text(p));
    }
    if h.programs.is_empty() {
        s.push_str("<li class=\"none\">none stated</li>");
    }
    s.push_str("</ul></dd>\n");
    both_sides(
        s,
        "date of birth",
        r.date_of_birth.as_deref(),
        &h.listed_dates_of_birth,
    );
    both_sides(s, "country", r.country.as_deref(), &h.listed_countries);
    if !h.also_on.is_empty() {
        let _ = writeln!(
            s,
            "<dt>also on</dt><dd>{}</dd>",
            text(&h.also_on.join("; "))
        );
    }
    let _ = writeln!(
        s,
        "<dt>source</dt><dd><bdi>{}</bdi></dd>\n</dl>",
        text(&h.source)
    );
    let _ = writeln!(s, "<p class=\"why\">{}</p>", text(&in_words(h)));
    if let Some(d) = &h.decision {
        let _ = writeln!(s, "<p class=\"decision\">{}</p>", text(d));
    }
    s.push_str(
        "<div class=\"mark\"><input class=\"reason\" type=\"text\" placeholder=\"reason (optional)\" aria-label=\"reason\">\
         <button type=\"button\" class=\"mark-fp\" data-decision=\"false_positive\">mark as false positive</button>\
         <button type=\"button\" class=\"mark-tm\" data-decision=\"true_match\">mark as true match</button>\
         <span class=\"marked-as\"></span></div>\n</section>\n",
    );
}

/// A fact of both sides: the input's value beside the listed ones.
fn both_sides(s: &mut String, what: &str, input: Option<&str>, listed: &[String]) {
    if input.is_none() && listed.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<dt>{what}</dt><dd><span class=\"label\">input</span> {} <span class=\"label\">listed</span> {}</dd>",
        text(input.unwrap_or("not given")),
        text(&if listed.is_empty() {
            "not stated".to_string()
        } else {
            listed.join("; ")
        }),
    );
}

/// The name as written, each word marked by what it did in the match
/// ([`crate::matcher::Explanation::query_words`]): met a word of the other
/// side (`<mark>`), or went unmet (`unmet_class`).
fn marked(words: &[Word], unmet_class: &str) -> String {
    let mut out = String::new();
    for w in words {
        out.push_str(&text(&w.space));
        match w.part {
            WordPart::Met => {
                let _ = write!(out, "<mark>{}</mark>", text(&w.text));
            }
            WordPart::Unmet => {
                let _ = write!(
                    out,
                    "<span class=\"{unmet_class}\" title=\"{unmet_class} word\">{}</span>",
                    text(&w.text)
                );
            }
            WordPart::Ignored => out.push_str(&text(&w.text)),
        }
    }
    out
}

/// The explanation in words ([`crate::matcher::Explanation::in_words`]),
/// then the score and what it means.
fn in_words(h: &Hit) -> String {
    format!(
        "{} Score {:.4} ({}).",
        h.explanation.in_words(),
        h.score,
        match h.severity {
            Severity::Block => "at or above the block threshold",
            Severity::Review => "to review",
        }
    )
}

/// The decisions control: reviewer, expiry, the rows written, copy and download.
fn decisions_panel(s: &mut String) {
    s.push_str(
        "<aside id=\"decisions\">\n<h2>Decisions</h2>\n\
         <p>Mark hits above; the rows for <code>sanctions screen --decisions FILE</code> appear here.</p>\n\
         <label>reviewer <input id=\"reviewer\" type=\"text\" autocomplete=\"name\" required></label>\n\
         <label>expires <input id=\"expires\" type=\"date\"></label>\n\
         <p id=\"decisions-note\" class=\"note\" role=\"status\"></p>\n\
         <textarea id=\"decisions-csv\" readonly rows=\"3\" aria-label=\"decisions CSV\"></textarea>\n\
         <div><button type=\"button\" id=\"copy-decisions\">copy</button> \
         <a id=\"download-decisions\" download=\"decisions.csv\" href=\"#\">download decisions.csv</a> \
         <button type=\"button\" id=\"clear-decisions\">clear</button></div>\n</aside>\n",
    );
}

/// A JSON value as plain text (strings without their quotes).
fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Text escaped for HTML element content: invisible and control
/// characters (but a line break or tab) become visible `⟨U+XXXX⟩` markers,
/// so a reviewer sees them.
pub fn text(s: &str) -> String {
    escape(s, |out, c| {
        if c == '\n' || c == '\t' {
            out.push(c);
        } else {
            let _ = write!(out, "\u{27e8}U+{:04X}\u{27e9}", c as u32);
        }
    })
}

/// Text escaped for a double-quoted attribute value, kept exactly (the
/// script writes `data-input` into the decisions CSV, which must name the
/// input as screened): invisible and control characters are written as
/// character references, which the parser turns back into themselves.
pub fn attr(s: &str) -> String {
    escape(s, |out, c| {
        let _ = write!(out, "&#x{:X};", c as u32);
    })
}

/// `s` with the characters markup gives a meaning escaped, and each
/// invisible or control character written by `hidden`.
fn escape(s: &str, hidden: fn(&mut String, char)) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_invisible(c) || c.is_control() => hidden(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A CSP source hash: `base64(sha256(text))`.
fn csp_hash(text: &str) -> String {
    base64(&Sha256::digest(text.as_bytes()))
}

/// Standard base64 with padding (also Watchman's `debug` payload).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What an HTML parser makes of an escaped value: the five entities and
    /// hexadecimal character references decoded.
    fn unescape(s: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';')? + at;
            let entity = &rest[at + 1..end];
            out.push(match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "#39" => '\'',
                _ => char::from_u32(u32::from_str_radix(entity.strip_prefix("#x")?, 16).ok()?)?,
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// Whatever a name holds, an escaped value has no character that
        /// ends a tag, text or attribute, and an attribute value reads back
        /// as the name exactly (the decisions it writes name the input).
        #[test]
        fn escaped_values_hold_no_markup_and_attributes_read_back(
            name in "(\\PC|[<>&\"'\u{202E}\u{200B}\u{0}\r\n\t]|&[a-z#0-9]{0,5};?){0,24}"
        ) {
            for escaped in [text(&name), attr(&name)] {
                prop_assert!(!escaped.contains(['<', '>', '"', '\'']), "{}", escaped);
            }
            let a = attr(&name);
            prop_assert!(!a.chars().any(|c| is_invisible(c) || c.is_control()), "{}", a);
            prop_assert_eq!(unescape(&a), Some(name));
        }
    }

    #[test]
    fn text_escapes_markup_and_shows_invisible_characters() {
        assert_eq!(
            text("<a href='x'>\"&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(text("Mal\u{202E}ware\u{200B}"), "Mal⟨U+202E⟩ware⟨U+200B⟩");
        assert_eq!(text("حسن"), "حسن");
    }

    #[test]
    fn attr_escapes_markup_and_keeps_every_character_as_a_reference() {
        assert_eq!(
            attr("\"><x y='1'>&"),
            "&quot;&gt;&lt;x y=&#39;1&#39;&gt;&amp;"
        );
        assert_eq!(attr("a\u{202E}b\rc"), "a&#x202E;b&#xD;c");
    }

    #[test]
    fn base64_is_the_standard_encoding() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        // A CSP hash is 32 bytes: 44 characters, one `=`.
        assert_eq!(csp_hash("x").len(), 44);
    }

    #[test]
    fn marked_words_are_escaped_and_marked_by_what_they_did() {
        let word = |space: &str, text: &str, part| Word {
            space: space.into(),
            text: text.into(),
            part,
        };
        let words = [
            word("", "Hangzhou", WordPart::Unmet),
            word("  ", "Hikvision", WordPart::Met),
            word(" ", "Digital", WordPart::Met),
            word(" ", "<Co>", WordPart::Ignored),
        ];
        assert_eq!(
            marked(&words, "missing"),
            "<span class=\"missing\" title=\"missing word\">Hangzhou</span>  \
             <mark>Hikvision</mark> <mark>Digital</mark> &lt;Co&gt;"
        );
    }

    fn row(n: u64, hits: &[(f64, Severity, HitStatus)]) -> RowResult {
        let hit = |&(score, severity, status): &(f64, Severity, HitStatus)| Hit {
            status,
            score,
            severity,
            ofac_score: score,
            entity_id: format!("x:{n}"),
            entity_hash: "0".into(),
            list: "L".into(),
            also_on: Vec::new(),
            matched_name: "N".into(),
            matched_name_kind: "primary".into(),
            primary_name: "N".into(),
            entity_type: "organization".into(),
            programs: Vec::new(),
            source: "f:1".into(),
            why: String::new(),
            explanation: crate::matcher::Explanation {
                query_tokens: Vec::new(),
                listed_tokens: Vec::new(),
                canonicalized: Vec::new(),
                pairs: Vec::new(),
                unmatched_query: Vec::new(),
                unmatched_listed: Vec::new(),
                raw_score: score as f32,
                name_kind: crate::model::NameKind::Primary,
                identifier: None,
                query_part: None,
                evidence: Vec::new(),
                whole_name_edits: None,
                in_other_names: Vec::new(),
                query_words: Vec::new(),
                listed_words: Vec::new(),
            },
            decision: None,
            decision_outcome: None,
            listed_dates_of_birth: Vec::new(),
            listed_countries: Vec::new(),
        };
        RowResult {
            row: n,
            line: n + 1,
            id: None,
            name: format!("name {n}"),
            date_of_birth: None,
            country: None,
            verdict: Verdict::PotentialMatch,
            error: None,
            warnings: Vec::new(),
            hits: hits.iter().map(hit).collect(),
        }
    }

    #[test]
    fn cards_go_worst_first() {
        use HitStatus::{ClearedByDecision as C, PotentialMatch as P};
        use Severity::{Block as B, Review as R};
        let rows = [
            row(1, &[(0.99, B, C)]),
            row(2, &[(0.86, R, P)]),
            row(3, &[(0.96, B, P)]),
            row(4, &[(0.90, R, P), (0.97, B, C)]),
            row(5, &[(1.0, B, P)]),
        ];
        let run = RunInfo {
            run_id: "r".into(),
            threshold: 0.85,
            block_threshold: 0.95,
            fail_on: "review".into(),
            top: 5,
            input: "in.csv".into(),
            input_sha256: "0".into(),
            decisions: None,
            since: None,
            column: "name".into(),
            bundled_sample_lists: false,
            entities: 1,
            names: 1,
        };
        let mut page = Page::new(&Head {
            run: &run,
            lists: &[],
            skipped: &[],
            warnings: &[],
        });
        let mut out = Vec::new();
        let mut summary = Summary::default();
        for r in &rows {
            page.row(&mut out, r).unwrap();
            summary.add(r);
        }
        page.finish(&mut out, &summary).unwrap();
        let html = String::from_utf8(out).unwrap();
        let order: Vec<usize> = [5, 3, 4, 2, 1]
            .iter()
            .map(|n| html.find(&format!("id=\"row-{n}\"")).unwrap())
            .collect();
        assert!(order.is_sorted(), "{order:?}");
        assert!(html.contains("id=\"row-1\" data-row=\"1\" data-severity=\"cleared\""));
        assert!(html.contains("id=\"row-4\" data-row=\"4\" data-severity=\"review\""));
    }
}
