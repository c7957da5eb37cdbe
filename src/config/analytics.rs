//! `[analytics]`: where the search box and the "Was this helpful?" votes report what buyers
//! looked for, without cookies or personal data. Off unless the section is there.

use serde::Deserialize;
use toml::Spanned;

use super::FileText;
use crate::diagnostic::{Diagnostic, TextPosition};

/// `[analytics]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnalytics {
    log: Option<Spanned<String>>,
    endpoint: Option<Spanned<String>>,
}

/// Where each event goes: one destination, so a report never counts an event twice.
#[derive(Debug, Clone, PartialEq)]
pub enum Analytics {
    /// A GET request to this path of the site (under the base path), which the build writes as
    /// a tiny file: the static host's access log records the event, no server needed. `line`
    /// is where helpdeck.toml says it, for a clash with another output.
    Log { path: String, line: usize },
    /// A form POST of each event to a URL the seller runs.
    Endpoint { url: String },
}

/// `[analytics]`: `log = "/path"` or `endpoint = "https://…"`, not both.
pub(super) fn analytics(raw: RawAnalytics, source: FileText) -> Result<Analytics, Diagnostic> {
    match (raw.log, raw.endpoint) {
        (Some(log), None) => {
            let path = log.get_ref();
            match log_path_problem(path) {
                Some(why) => Err(source.at(
                    log.span().start,
                    format!("[analytics] `log` {why}, like \"/_hd/e.gif\", not `{path}`"),
                )),
                None => Ok(Analytics::Log {
                    path: path.to_string(),
                    line: TextPosition::of(source.text, log.span().start).line,
                }),
            }
        }
        (None, Some(endpoint)) => Ok(Analytics::Endpoint {
            url: source.web_url(
                "[analytics] `endpoint`",
                &endpoint,
                "https://collect.example/helpdeck",
            )?,
        }),
        (Some(log), Some(_)) => Err(source.at(
            log.span().start,
            "[analytics] takes `log` (the host's access log records events) or `endpoint` (a URL receives them), not both".to_string(),
        )),
        (None, None) => Err(source.near(
            "[analytics]",
            "[analytics] needs `log = \"/_hd/e.gif\"` (the host's access log records events) or `endpoint = \"https://…\"`".to_string(),
        )),
    }
}

/// Why `path` cannot be the file events are requested from: it must be a file of its own,
/// whose name survives every host's URL handling unchanged.
fn log_path_problem(path: &str) -> Option<&'static str> {
    let Some(rest) = path.strip_prefix('/') else {
        return Some("must be a path starting with `/`");
    };
    let name_ok = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~'))
    };
    if !rest.split('/').all(name_ok) {
        return Some("must be a file path of letters, digits, `.`, `_`, `-` and `/`");
    }
    let file = rest.rsplit('/').next().unwrap_or_default();
    match file.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && extension != "html" => None,
        _ => Some("must name a file with an extension other than .html"),
    }
}

#[cfg(test)]
mod tests {
    use super::log_path_problem;

    #[test]
    fn a_log_path_is_a_plain_file_of_its_own() {
        for ok in ["/_hd/e.gif", "/e.gif", "/stats/search-event.txt"] {
            assert_eq!(log_path_problem(ok), None, "{ok}");
        }
        for bad in [
            "_hd/e.gif",
            "/_hd/",
            "/_hd/e",
            "/a b.gif",
            "/x/../e.gif",
            "/e.gif?x=1",
            "/index.html",
            "//cdn/e.gif",
        ] {
            assert!(log_path_problem(bad).is_some(), "{bad}");
        }
    }
}
