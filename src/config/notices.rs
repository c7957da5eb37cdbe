//! `[[notices]]`: banners shown on every page for a while, in the site's time zone.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::languages::check_texts;
use super::{FileText, read_moment};
use crate::diagnostic::Diagnostic;

/// `[[notices]]`: a banner shown on every page from `start` until `end`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotice {
    start: Spanned<toml::Value>,
    end: Spanned<toml::Value>,
    text: Spanned<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
    /// Per language tag; the default language's text is always there.
    pub text: BTreeMap<String, String>,
}

/// The valid notices; each invalid one's problem is pushed.
pub(super) fn validate(
    notices: Vec<RawNotice>,
    tags: &[&str],
    timezone: &jiff::tz::TimeZone,
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Notice> {
    notices
        .into_iter()
        .filter_map(|n| {
            notice(n, tags, timezone, source)
                .map_err(|d| problems.push(d))
                .ok()
        })
        .collect()
}

/// `[[notices]]` entry: an end after the start, and text in the default language.
fn notice(
    raw: RawNotice,
    tags: &[&str],
    timezone: &jiff::tz::TimeZone,
    source: FileText,
) -> Result<Notice, Diagnostic> {
    let moment = |value: &Spanned<toml::Value>, key: &str| {
        read_moment(value.get_ref(), timezone)
            .map(|z| z.timestamp())
            .map_err(|why| source.at(value.span().start, format!("[[notices]] `{key}` {why}")))
    };
    let start = moment(&raw.start, "start")?;
    let end = moment(&raw.end, "end")?;
    if end <= start {
        return Err(source.at(
            raw.end.span().start,
            "[[notices]] `end` must be after `start`".to_string(),
        ));
    }
    check_texts(&raw.text, "[[notices]] `text`", tags, source)?;
    if !raw.text.get_ref().contains_key(tags[0]) {
        return Err(source.at(
            raw.text.span().start,
            format!(
                "[[notices]] `text` needs the default language `{}`, shown where a language has no text",
                tags[0]
            ),
        ));
    }
    Ok(Notice {
        start,
        end,
        text: raw.text.into_inner(),
    })
}
