//! The translator's view in watch mode, at `/_helpdeck/translations/`: the report of
//! [`crate::translations`] on the site the watcher last built (drafts as `--drafts` says), as
//! a page, per language the missing, outdated and current pages, each
//! linked to where it is served, and for a page that needs work what changed in its source and
//! the segments to do, source beside translation; and each language's pages
//! ([`crate::translations::content`]) and UI strings ([`crate::translations::strings`]) as
//! files for translators' tools, made on request.

use std::fmt::Write;

use super::{State, escape_html};
use crate::translations::alignment::SegmentStatus;
use crate::translations::content::{PagePair, PageText};
use crate::translations::{self, LanguageReport, Status};

pub fn render(state: &State) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Translations · helpdeck serve</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{text-align:start;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;font-size:.85rem}.segments td{font-size:.9rem}.segment-outdated td,.segment-machine-draft td{background:#fff4d6}.segment-missing td,.segment-untranslated td{background:#fde8e8}.was{color:#555;font-size:.85rem}.missing{color:#a40000}.outdated{color:#8a5a00}.current{color:#1d6b1d}</style></head><body><h1>Translations</h1>",
    );
    match state.translations() {
        Some(reports) if reports.is_empty() => {
            html.push_str("<p>The site has one language: nothing to translate.</p>");
        }
        Some(mut reports) => {
            translations::show_changes(&state.root, &mut reports);
            for report in &reports {
                language_section(&mut html, report, state);
            }
        }
        None => html.push_str(
            "<p>The report needs a site that builds: the served pages show what to fix.</p>",
        ),
    }
    html.push_str("</body></html>");
    html
}

fn language_section(html: &mut String, report: &LanguageReport, state: &State) {
    let _ = write!(
        html,
        "<section id=\"{lang}\"><h2>{lang}: {} missing, {} untranslated, {} outdated, {} current</h2>",
        report.missing,
        report.untranslated,
        report.outdated,
        report.current,
        lang = escape_html(&report.lang),
    );
    let _ = write!(
        html,
        "<p>Pages for a translation tool, a segment per entry: <a href=\"pages.{lang}.po\" download>pages.{lang}.po</a> · <a href=\"pages.{lang}.xlf\" download>pages.{lang}.xlf</a> (then <code>helpdeck translations import</code>)</p>",
        lang = escape_html(&report.lang),
    );
    if crate::translations::plurals::plural_forms(&report.lang).is_some() {
        let _ = write!(
            html,
            "<p>UI strings for a translation tool: <a href=\"strings.{lang}.po\" download>strings.{lang}.po</a> (then <code>helpdeck strings import</code>)</p>",
            lang = escape_html(&report.lang),
        );
    }
    if !report.missing_strings.is_empty() {
        let _ = write!(
            html,
            "<p>Missing UI strings: {}</p>",
            escape_html(&report.missing_strings.join(", "))
        );
    }
    html.push_str("<table><thead><tr><th>Status</th><th>Page</th><th>File</th><th>What changed in the source</th></tr></thead><tbody>");
    for page in &report.pages {
        let (class, label) = match page.status {
            Status::Missing => ("missing", "missing"),
            Status::Untranslated => ("missing", "untranslated"),
            Status::MachineDraft => ("outdated", "machine draft"),
            Status::Outdated => ("outdated", "outdated"),
            Status::Current => ("current", "current"),
        };
        let key = page
            .source
            .strip_prefix("content")
            .unwrap_or(&page.source)
            .to_string_lossy()
            .replace('\\', "/");
        let link = match state.page_url(&key, &report.lang) {
            Some(url) => format!(
                "<a href=\"{}\">{}</a>",
                escape_html(&url),
                escape_html(&url)
            ),
            None => "(not built)".to_string(),
        };
        let changes = page
            .changes
            .as_deref()
            .map(|c| format!("<pre>{}</pre>", escape_html(c)))
            .unwrap_or_default();
        let segments = match page.status {
            Status::Outdated | Status::Untranslated | Status::MachineDraft => {
                segments_to_do(state, &key, &page.source, &report.lang)
            }
            _ => String::new(),
        };
        let _ = write!(
            html,
            "<tr><td class=\"{class}\">{label}</td><td>{link}</td><td>{}</td><td>{changes}{segments}</td></tr>",
            escape_html(&page.translation.to_string_lossy()),
        );
    }
    html.push_str("</tbody></table></section>");
}

/// The segments of a page that need its translator: source and translation side by side, each
/// with its status, and for an outdated one the source it was translated from.
fn segments_to_do(state: &State, key: &str, source: &std::path::Path, lang: &str) -> String {
    let key = key.trim_start_matches('/');
    let Some(pair) = PageText::read(&state.root, source)
        .ok()
        .and_then(|text| PagePair::open(&state.root, key.to_string(), text, lang).ok())
    else {
        return String::new();
    };
    let units: Vec<_> = pair
        .units(&state.root, None)
        .into_iter()
        .filter(|u| u.status != SegmentStatus::Current)
        .collect();
    if units.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<details open><summary>{} of {} segments to do</summary><table class=\"segments\"><thead><tr><th>Segment</th><th>Source</th><th>Translation</th></tr></thead><tbody>",
        units.len(),
        pair.source.segments.len()
    );
    for unit in units {
        let status = match unit.status {
            SegmentStatus::Missing => "missing",
            SegmentStatus::Untranslated => "untranslated",
            SegmentStatus::MachineDraft => "machine draft",
            SegmentStatus::Outdated => "outdated",
            SegmentStatus::Current => "current",
        };
        let was = unit
            .previous
            .as_deref()
            .map(|p| {
                format!(
                    "<div class=\"was\">Translated from: <del>{}</del></div>",
                    escape_html(p)
                )
            })
            .unwrap_or_default();
        let _ = write!(
            html,
            "<tr class=\"segment-{class}\"><td>{status}<br><code>{id}</code> line {line}</td><td>{was}{source}</td><td lang=\"{lang}\">{target}</td></tr>",
            class = status.replace(' ', "-"),
            id = escape_html(&unit.segment.id),
            line = unit.segment.line,
            source = escape_html(&unit.segment.text),
            lang = escape_html(lang),
            target = escape_html(unit.target.as_deref().unwrap_or("")),
        );
    }
    html.push_str("</tbody></table></details>");
    html
}
