//! `[glossary]`: the words a translation keeps and the ones it avoids. Names stay as they are
//! in every language (the shop's, its products', "Etsy"); a language's glossary says which
//! translation of a term the shop uses instead of another. `check` reports a translation that
//! drops a kept name or uses an avoided word, at its line.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::FileText;
use crate::diagnostic::Diagnostic;

/// `[glossary]` as written: `keep` for every language, then a table per language (read by
/// hand: its keys are the languages').
pub(super) type RawGlossary = toml::Table;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguageGlossary {
    #[serde(default)]
    keep: Vec<String>,
    /// Avoided word → the one the shop uses.
    #[serde(default)]
    avoid: BTreeMap<String, String>,
}

/// What each language's translations keep and avoid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Glossary {
    /// Kept in every language.
    pub keep: Vec<String>,
    pub languages: BTreeMap<String, LanguageGlossary>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LanguageGlossary {
    pub keep: Vec<String>,
    /// Avoided word → the one the shop uses.
    pub avoid: BTreeMap<String, String>,
}

impl Glossary {
    /// The names `lang`'s translations keep as they are.
    pub fn kept(&self, lang: &str) -> impl Iterator<Item = &str> {
        self.keep
            .iter()
            .chain(self.languages.get(lang).into_iter().flat_map(|l| &l.keep))
            .map(String::as_str)
            .filter(|name| !name.trim().is_empty())
    }

    /// The words `lang`'s translations avoid, each with the one to use.
    pub fn avoided(&self, lang: &str) -> impl Iterator<Item = (&str, &str)> {
        self.languages
            .get(lang)
            .into_iter()
            .flat_map(|l| &l.avoid)
            .map(|(avoid, word)| (avoid.as_str(), word.as_str()))
    }
}

pub(super) fn glossary(
    raw: RawGlossary,
    default_language: &str,
    tags: &[&str],
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> Glossary {
    let mut glossary = Glossary::default();
    for (key, value) in raw {
        if key == "keep" {
            match value.try_into::<Vec<String>>() {
                Ok(keep) => glossary.keep = keep,
                Err(e) => problems.push(source.near(
                    "[glossary]",
                    format!("[glossary] `keep` must be a list of names: {}", e.message()),
                )),
            }
            continue;
        }
        let at = format!("[glossary.{key}]");
        if !tags.contains(&key.as_str()) || key == default_language {
            let others: Vec<&str> = tags
                .iter()
                .copied()
                .filter(|t| *t != default_language)
                .collect();
            problems.push(source.near(
                &at,
                format!(
                    "{at}: `{key}` is not a translation language of the site (translations: {})",
                    others.join(", ")
                ),
            ));
            continue;
        }
        match value.try_into::<RawLanguageGlossary>() {
            Ok(table) => {
                glossary.languages.insert(
                    key,
                    LanguageGlossary {
                        keep: table.keep,
                        avoid: table.avoid,
                    },
                );
            }
            Err(e) => problems.push(source.near(&at, format!("{at}: {}", e.message()))),
        }
    }
    glossary
}
