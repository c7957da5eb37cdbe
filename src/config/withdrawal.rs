//! `[withdrawal]`: how a buyer withdraws from a contract. Two things EU law asks of a shop
//! selling online:
//! - the withdrawal function: from 19 June 2026 a trader who concludes distance contracts
//!   online offers one, labelled "withdraw from contract here" or equally unambiguous wording,
//!   prominently for the whole withdrawal period (Directive (EU) 2023/2673, new Art. 11a of
//!   Directive 2011/83/EU). `url` names it; the theme links it from every page's footer and
//!   from the returns policy;
//! - the model withdrawal form of Directive 2011/83/EU Annex I(B), which helpdeck writes as a
//!   page in every language from the trader's identity. Its English words are the Directive's
//!   ([`ENGLISH_FORM`]); `form.<lang>` gives another language's official version.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::FileText;
use super::languages::check_texts;
use crate::diagnostic::Diagnostic;

/// `[withdrawal]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWithdrawal {
    url: Option<Spanned<String>>,
    label: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    form: BTreeMap<String, FormWording>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Withdrawal {
    /// The shop's own withdrawal function or the marketplace's flow; a path on the site or an
    /// http(s) URL.
    pub url: Option<String>,
    /// The link's words per language, in the Directive's wording of that language, given by
    /// the seller (English has the Directive's own: [`ENGLISH_LABEL`]).
    pub labels: BTreeMap<String, String>,
    /// The model form's words per language, given by the seller from the Directive's version
    /// in that language (English has the Directive's own: [`ENGLISH_FORM`]).
    pub forms: BTreeMap<String, FormWording>,
}

/// Art. 11a(1)'s words in the Directive's English version.
pub const ENGLISH_LABEL: &str = "Withdraw from contract here";

/// The model withdrawal form's lines, in the order Annex I(B) gives them. `to` comes before
/// the trader's name, address and email, which helpdeck fills in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormWording {
    pub title: Cow<'static, str>,
    pub instruction: Cow<'static, str>,
    pub to: Cow<'static, str>,
    pub notice: Cow<'static, str>,
    pub dates: Cow<'static, str>,
    pub consumer_name: Cow<'static, str>,
    pub consumer_address: Cow<'static, str>,
    pub signature: Cow<'static, str>,
    pub date: Cow<'static, str>,
    pub footnote: Cow<'static, str>,
}

/// Annex I(B) of Directive 2011/83/EU in its English version, as published in the Official
/// Journal (OJ L 304, 22.11.2011, p. 64).
pub const ENGLISH_FORM: FormWording = FormWording {
    title: Cow::Borrowed("Model withdrawal form"),
    instruction: Cow::Borrowed(
        "(complete and return this form only if you wish to withdraw from the contract)",
    ),
    to: Cow::Borrowed("To"),
    notice: Cow::Borrowed(
        "I/We (*) hereby give notice that I/We (*) withdraw from my/our (*) contract of sale of \
         the following goods (*)/for the provision of the following service (*),",
    ),
    dates: Cow::Borrowed("Ordered on (*)/received on (*),"),
    consumer_name: Cow::Borrowed("Name of consumer(s),"),
    consumer_address: Cow::Borrowed("Address of consumer(s),"),
    signature: Cow::Borrowed("Signature of consumer(s) (only if this form is notified on paper),"),
    date: Cow::Borrowed("Date"),
    footnote: Cow::Borrowed("(*) Delete as appropriate."),
};

impl Withdrawal {
    /// The label for `lang`, and whether it is the seller's or the Directive's English (a
    /// language with neither gets the English, which `check` reports).
    pub fn label(&self, lang: &str) -> (&str, bool) {
        match self.labels.get(lang) {
            Some(label) => (label, true),
            None => (ENGLISH_LABEL, is_english(lang)),
        }
    }

    /// The model form's words for `lang`, and whether they are in that language (a language
    /// without the seller's gets the English, which `check` reports).
    pub fn form(&self, lang: &str) -> (&FormWording, bool) {
        match self.forms.get(lang) {
            Some(form) => (form, true),
            None => (&ENGLISH_FORM, is_english(lang)),
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
    if let Some(problem) = form_problem(&raw.form, tags, source) {
        problems.push(problem);
        return None;
    }
    if let Some(url) = &raw.url
        && !super::is_link(url.get_ref())
    {
        problems.push(source.at(
            url.span().start,
            format!(
                "[withdrawal] `url` must be a path on the site (/withdraw/) or an http(s) URL, not `{}`",
                url.get_ref()
            ),
        ));
        return None;
    }
    Some(Withdrawal {
        url: raw.url.map(Spanned::into_inner),
        labels: raw.label.map(Spanned::into_inner).unwrap_or_default(),
        forms: raw.form,
    })
}

/// A `form.<lang>` for a language the site does not have, or with a line left empty.
fn form_problem(
    forms: &BTreeMap<String, FormWording>,
    tags: &[&str],
    source: FileText,
) -> Option<Diagnostic> {
    let at = |tag: &str, message: String| source.near(&format!("form.{tag}"), message);
    for (tag, wording) in forms {
        if !tags.contains(&tag.as_str()) {
            return Some(at(
                tag,
                format!(
                    "[withdrawal.form.{tag}]: `{tag}` is not a configured language (configured: {})",
                    tags.join(", ")
                ),
            ));
        }
        let lines = [
            ("title", &wording.title),
            ("instruction", &wording.instruction),
            ("to", &wording.to),
            ("notice", &wording.notice),
            ("dates", &wording.dates),
            ("consumer_name", &wording.consumer_name),
            ("consumer_address", &wording.consumer_address),
            ("signature", &wording.signature),
            ("date", &wording.date),
            ("footnote", &wording.footnote),
        ];
        if let Some((key, _)) = lines.iter().find(|(_, text)| text.trim().is_empty()) {
            return Some(at(
                tag,
                format!(
                    "[withdrawal.form.{tag}] `{key}` is empty: copy the line from Annex I(B) of the Directive's version in this language"
                ),
            ));
        }
    }
    None
}
