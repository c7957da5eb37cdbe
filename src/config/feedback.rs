//! `[feedback]`: where "Was this helpful?" votes go.

use serde::Deserialize;
use toml::Spanned;

use super::FileText;
use crate::diagnostic::Diagnostic;

/// `[feedback]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeedback {
    endpoint: Option<Spanned<String>>,
    analytics_event: Option<Spanned<String>>,
}

/// At least one destination is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    /// Receives a form POST (`page`, `lang`, `helpful` = yes or no) for each vote.
    pub endpoint: Option<String>,
    /// Sent to `gtag` or `plausible` when the page has either.
    pub analytics_event: Option<String>,
}

/// `[feedback]`: an http(s) endpoint, an analytics event name, or both.
pub(super) fn feedback(raw: RawFeedback, source: FileText) -> Result<Feedback, Diagnostic> {
    if let Some(endpoint) = &raw.endpoint {
        source.web_url(
            "[feedback] `endpoint`",
            endpoint,
            "https://forms.example/helpful",
        )?;
    }
    if let Some(event) = &raw.analytics_event {
        let name = event.get_ref();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        {
            return Err(source.at(
                event.span().start,
                format!(
                    "[feedback] `analytics_event` must be a name of letters, digits, `_` or `-`, not `{name}`"
                ),
            ));
        }
    }
    if raw.endpoint.is_none() && raw.analytics_event.is_none() {
        let offset = source.text.find("[feedback]").unwrap_or(0);
        return Err(source.at(
            offset,
            "[feedback] needs an `endpoint` (a form or webhook URL) or an `analytics_event`, or both".to_string(),
        ));
    }
    Ok(Feedback {
        endpoint: raw.endpoint.map(Spanned::into_inner),
        analytics_event: raw.analytics_event.map(Spanned::into_inner),
    })
}
