//! `[languages.<tag>]`: the site's languages in order, their settings and text direction,
//! and the rule for text given per language elsewhere in the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::FileText;
use crate::diagnostic::Diagnostic;

/// `[languages.<tag>]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Native name for the language switcher.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Overrides of the theme's UI strings.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// Search synonyms: each group's words find each other, `[["return", "refund"]]`.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// One configured language, in site order (default language first).
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    pub tag: String,
    pub settings: LanguageConfig,
    pub direction: Direction,
}

/// The configured languages, default language first (configured or not), then the others in
/// file order; a table that does not fit the schema and a tag that is not BCP 47 are problems.
pub(super) fn ordered(
    tables: &toml::Table,
    default_language: &str,
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let mut settings_by_tag: Vec<(String, LanguageConfig)> = Vec::new();
    for (tag, value) in tables {
        match value.clone().try_into::<LanguageConfig>() {
            Ok(settings) => settings_by_tag.push((tag.clone(), settings)),
            Err(e) => problems.push(source.near(
                &format!("[languages.{tag}]"),
                format!("[languages.{tag}]: {}", e.message().trim()),
            )),
        }
    }
    match settings_by_tag
        .iter()
        .position(|(tag, _)| tag == default_language)
    {
        Some(i) => {
            let default = settings_by_tag.remove(i);
            settings_by_tag.insert(0, default);
        }
        None => {
            settings_by_tag.insert(0, (default_language.to_string(), LanguageConfig::default()))
        }
    }
    let mut languages = Vec::new();
    for (tag, settings) in settings_by_tag {
        if !is_language_tag(&tag) {
            problems.push(source.near(
                &tag,
                format!("`{tag}` is not a valid BCP 47 language tag (like en, lt, zh-Hant, pt-BR)"),
            ));
        }
        let direction = settings
            .direction
            .unwrap_or_else(|| default_direction(&tag));
        languages.push(Language {
            tag,
            settings,
            direction,
        });
    }
    languages
}

/// Text per language: only configured languages, no empty text.
pub(super) fn check_texts(
    texts: &Spanned<BTreeMap<String, String>>,
    what: &str,
    tags: &[&str],
    source: FileText,
) -> Result<(), Diagnostic> {
    for (tag, text) in texts.get_ref() {
        if !tags.contains(&tag.as_str()) {
            return Err(source.at(
                texts.span().start,
                format!(
                    "{what}: `{tag}` is not a configured language (configured: {})",
                    tags.join(", ")
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(source.at(
                texts.span().start,
                format!("{what}: the `{tag}` text is empty"),
            ));
        }
    }
    Ok(())
}

/// A syntactic check of BCP 47: a 2–3 letter language, then subtags of 1–8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn default_direction(tag: &str) -> Direction {
    let primary = tag.split('-').next().unwrap_or_default();
    match primary {
        "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "yi" | "dv" | "ckb" => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["en", "zh-Hant", "pt-BR", "sr-Latn-RS"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["english", "e", "zh_Hant", "en-", "x1"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
