//! `helpdeck report`: what buyers could not find, from the `[analytics]` events in access
//! logs or an endpoint's JSON lines.
//!
//! - `events.rs`: reading events out of each log format;
//! - `summary.rs`: per language, the top queries, those without results or without a click,
//!   and the pages voted unhelpful;
//! - `report.html`: the report as a page of its own.

mod events;
mod summary;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use events::{Event, from_query as event_from_query};
pub use summary::{LanguageSummary, PageRow, QueryRow};

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Error, Result};

/// The event file a site without `[analytics] log` would name (docs/analytics.md suggests it).
const SUGGESTED_LOG_PATH: &str = "/_hd/e.gif";

pub struct ReportOptions {
    /// The site, whose `[analytics] log` says which requests are events.
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    /// Rows per list.
    pub top: usize,
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// The path whose requests were read as events.
    pub log_path: String,
    pub files: usize,
    pub lines: usize,
    pub events: usize,
    pub languages: Vec<LanguageSummary>,
    /// Lines that asked for the event file but held no event.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

pub fn report(options: &ReportOptions) -> Result<Report> {
    let log_path = log_path(&options.root)?;
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    let mut lines = 0;
    for file in &options.files {
        let text = read_log(file).map_err(|why| {
            Error::single(Diagnostic::new(file, format!("cannot read the log: {why}")))
        })?;
        let found = events::read(file, &text, &log_path);
        lines += found.lines;
        events.extend(found.events);
        warnings.extend(found.warnings);
    }
    Ok(Report {
        files: options.files.len(),
        lines,
        events: events.len(),
        languages: summary::summarise(&events, options.top),
        log_path,
        warnings,
    })
}

/// `[analytics] log` of the site at `root`; the suggested path when it has none (events from
/// an endpoint carry no path), or when there is no site there.
fn log_path(root: &Path) -> Result<String> {
    if !root.join(CONFIG_FILE).exists() {
        return Ok(SUGGESTED_LOG_PATH.to_string());
    }
    let config = crate::load::config(root)?;
    Ok(config.event_log().unwrap_or(SUGGESTED_LOG_PATH).to_string())
}

/// A log's text; gzip-compressed logs (as CloudFront and S3 deliver them) are unpacked. Bytes
/// that are not UTF-8 (a client's odd user agent) become U+FFFD, not an error.
fn read_log(file: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(file)?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        gunzip(&bytes)?
    } else {
        bytes
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One gzip member, sized by its trailer (the length modulo 2³²: logs are far smaller).
fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let invalid = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
    let size = bytes
        .len()
        .checked_sub(4)
        .and_then(|at| bytes.get(at..))
        .and_then(|tail| tail.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| invalid("a gzip file cut short".into()))?;
    let mut out = vec![0; size as usize];
    let written = libdeflater::Decompressor::new()
        .gzip_decompress(bytes, &mut out)
        .map_err(|e| invalid(format!("not a gzip file helpdeck can unpack ({e})")))?;
    out.truncate(written);
    Ok(out)
}

/// A query row as one line of the text report.
type Describe = fn(&QueryRow) -> String;

/// `1 search`, `2 searches`.
fn counted(count: u64, one: &str, more: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { more })
}

impl Report {
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} events in {} lines of {} file{} (requests for {}).",
            self.events,
            self.lines,
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.log_path
        );
        for language in &self.languages {
            let _ = writeln!(
                out,
                "\n{}: {}, {} opened, {}",
                language.lang,
                counted(language.searches, "search", "searches"),
                counted(language.clicks, "result", "results"),
                counted(language.votes, "vote", "votes")
            );
            let lists: [(&str, &[QueryRow], Describe); 3] = [
                ("Top queries", &language.top_queries, |r| {
                    let rank = r
                        .mean_clicked_rank
                        .map(|rank| format!(", mean rank opened {rank:.1}"))
                        .unwrap_or_default();
                    format!(
                        "{}, {} results at most, {} opened{rank}",
                        counted(r.searches, "search", "searches"),
                        r.results,
                        r.clicks
                    )
                }),
                ("No results", &language.no_results, |r| {
                    format!(
                        "{} found nothing",
                        counted(r.without_results, "search", "searches")
                    )
                }),
                ("Results but nothing opened", &language.no_click, |r| {
                    format!(
                        "{}, {} results at most",
                        counted(r.searches, "search", "searches"),
                        r.results
                    )
                }),
            ];
            for (title, rows, describe) in lists {
                if rows.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {title}:");
                for row in rows {
                    let _ = writeln!(out, "    {:<32} {}", row.query, describe(row));
                }
            }
            if !language.unhelpful_pages.is_empty() {
                let _ = writeln!(out, "  Voted unhelpful (surest first):");
                for page in &language.unhelpful_pages {
                    let _ = writeln!(
                        out,
                        "    {:<32} {} no, {} yes: at least {:.0} % unhelpful",
                        page.page,
                        page.unhelpful,
                        page.helpful,
                        page.unhelpful_at_least * 100.0
                    );
                }
            }
        }
        out
    }

    /// The report as a page of its own (no scripts, no outside files).
    pub fn to_html(&self) -> Result<String> {
        let render = || -> tera::TeraResult<String> {
            let mut tera = tera::Tera::new();
            tera.autoescape_on(vec![".html"]);
            tera.add_raw_template("report.html", include_str!("report.html"))?;
            tera.render("report.html", &tera::Context::from_serialize(self)?)
        };
        render().map_err(|e| {
            Error::single(Diagnostic::new(
                "report.html",
                format!("the report page did not render: {e}"),
            ))
        })
    }
}
