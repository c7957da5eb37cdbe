//! `[withdrawal]`: the shop's withdrawal function. From 19 June 2026 a trader who concludes
//! distance contracts online offers one, labelled "withdraw from contract here" or equally
//! unambiguous wording, prominently for the whole withdrawal period (Directive (EU) 2023/2673,
//! new Art. 11a of Directive 2011/83/EU). The theme links it from every page's footer and from
//! the returns policy.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::FileText;
use super::languages::check_texts;
use crate::diagnostic::Diagnostic;

/// `[withdrawal]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWithdrawal {
    url: Spanned<String>,
    label: Option<Spanned<BTreeMap<String, String>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    /// The shop's own withdrawal form or the marketplace's flow; a path on the site or an
    /// http(s) URL.
    pub url: String,
    /// The link's words per language, in the Directive's wording of that language, given by
    /// the seller (English has the Directive's own: [`ENGLISH_LABEL`]).
    pub labels: BTreeMap<String, String>,
}

/// Art. 11a(1)'s words in the Directive's English version.
pub const ENGLISH_LABEL: &str = "Withdraw from contract here";

impl Withdrawal {
    /// The label for `lang`, and whether it is the seller's or the Directive's English (a
    /// language with neither gets the English, which `check` reports).
    pub fn label(&self, lang: &str) -> (&str, bool) {
        match self.labels.get(lang) {
            Some(label) => (label, true),
            None => (ENGLISH_LABEL, is_english(lang)),
        }
    }
}

fn is_english(lang: &str) -> bool {
    lang.split('-')
        .next()
        .is_some_and(|primary| primary.eq_ignore_ascii_case("en"))
}

pub(super) fn withdrawal(
    raw: RawWithdrawal,
    tags: &[&str],
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> Option<Withdrawal> {
    if let Some(labels) = &raw.label {
        check_texts(labels, "[withdrawal] label", tags, source)
            .map_err(|d| problems.push(d))
            .ok()?;
    }
    let url = raw.url.get_ref();
    if !super::is_link(url) {
        problems.push(source.at(
            raw.url.span().start,
            format!(
                "[withdrawal] `url` must be a path on the site (/withdraw/) or an http(s) URL, not `{url}`"
            ),
        ));
        return None;
    }
    Some(Withdrawal {
        url: raw.url.into_inner(),
        labels: raw.label.map(Spanned::into_inner).unwrap_or_default(),
    })
}
