//! The theme's UI strings in translators' tools: `helpdeck strings export --to lt` writes them
//! as a gettext PO file (English as the source, the language's current strings as the
//! translations, counted strings as plural entries in the language's gettext forms), and
//! `helpdeck strings import FILE` writes what a translator changed into the site's own
//! `i18n/lt.toml`, which the build lays over the theme's strings key by key.
//!
//! An entry whose `{placeholders}` differ from its source's is refused with its line: the
//! page fills them in, and a translator who renames one breaks the sentence.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::plurals::{PluralForms, plural_forms, split_counted};
use super::po::{self, Entry};
use super::{load_site, unknown_language};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::SITE_STRINGS;

/// The language the theme's strings are written in, the translators' source.
const SOURCE: &str = "en";

/// The PO file of `lang`'s UI strings for the site at `root`.
pub fn export(root: &Path, lang: &str) -> Result<String> {
    let (site, theme) = load_site(root)?;
    let language = site
        .config
        .language(lang)
        .ok_or_else(|| unknown_language(&site, lang))?;
    let forms = forms_of(lang)?;
    let source = theme.strings.get(SOURCE).cloned().unwrap_or_default();
    // The language's own strings: the theme's (with the site's `i18n/`), then the config's.
    let mut current = theme.strings.get(lang).cloned().unwrap_or_default();
    current.extend(language.settings.strings.clone());
    let mut entries = Vec::new();
    let mut counted: BTreeSet<&str> = BTreeSet::new();
    for (key, text) in &source {
        match split_counted(key) {
            Some((base, _)) => {
                if counted.insert(base) {
                    entries.push(counted_entry(base, &source, &current, &forms));
                }
            }
            None => entries.push(Entry {
                context: Some(key.clone()),
                id: text.clone(),
                translations: vec![current.get(key).cloned().unwrap_or_default()],
                flags: brace_format(text),
                ..Entry::default()
            }),
        }
    }
    let title = format!("{} UI strings", site.config.title);
    Ok(po::write_file(&title, lang, Some(forms.header), &entries))
}

/// A counted string as one plural entry: English's one and other forms as the source, the
/// language's categories in its gettext forms' order as the translations.
fn counted_entry(
    base: &str,
    source: &BTreeMap<String, String>,
    current: &BTreeMap<String, String>,
    forms: &PluralForms,
) -> Entry {
    let of = |strings: &BTreeMap<String, String>, category: &str| {
        strings.get(&format!("{base}_{category}")).cloned()
    };
    let other = of(source, "other").unwrap_or_default();
    let id = of(source, "one").unwrap_or_else(|| other.clone());
    Entry {
        context: Some(base.to_string()),
        flags: brace_format(&other),
        notes: vec![format!(
            "Forms, in order: {} (CLDR plural categories)",
            forms.categories.join(", ")
        )],
        id,
        id_plural: Some(other),
        translations: forms
            .categories
            .iter()
            .map(|category| of(current, category).unwrap_or_default())
            .collect(),
        ..Entry::default()
    }
}

/// `python-brace-format` for a text with `{placeholders}`: `msgfmt --check` then holds each
/// translation to the same ones.
fn brace_format(text: &str) -> Vec<String> {
    match placeholders(text).is_empty() {
        true => Vec::new(),
        false => vec!["python-brace-format".to_string()],
    }
}

/// The `{name}` placeholders of `text`.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.match_indices('{')
        .filter_map(|(start, _)| {
            let rest = &text[start + 1..];
            let end = rest.find('}')?;
            let name = &rest[..end];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then_some(name)
        })
        .collect()
}

fn forms_of(lang: &str) -> Result<PluralForms> {
    plural_forms(lang).ok_or_else(|| {
        Error::single(Diagnostic::new(
            "--to",
            format!(
                "no gettext plural rule is known for `{lang}`: helpdeck knows those of ar, de, \
                 en, es, fr, it, ja, ko, lt, ms, nl, pl, pt, ru, tr, uk and zh"
            ),
        ))
    })
}

/// What an import changed.
pub struct Imported {
    /// The site's strings file of the language, when the import changed it.
    pub written: Option<PathBuf>,
    pub lang: String,
    /// Entries whose translation differs from the site's string now.
    pub changed: usize,
    /// Entries left alone: untranslated or marked fuzzy.
    pub skipped: usize,
}

/// Writes the translations of the PO `file` into the site's `i18n/<lang>.toml`.
pub fn import(root: &Path, file: &Path) -> Result<Imported> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("cannot read", file, e))?;
    let at = |line: usize, message: String| Diagnostic::new(file, message).at_line(line);
    let (header, entries) = po::parse(&text).map_err(|e| Error::single(at(e.line, e.message)))?;
    let field = |name: &str| {
        header
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let lang = field("Language")
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            Error::single(at(
                1,
                "the header names no `Language`: which language's strings these are".into(),
            ))
        })?
        .replace('_', "-");
    let (site, theme) = load_site(root)?;
    site.config
        .language(&lang)
        .ok_or_else(|| unknown_language(&site, &lang))?;
    let forms = forms_of(&lang)?;
    if field("Plural-Forms").map(normalise) != Some(normalise(forms.header)) {
        return Err(Error::single(at(
            1,
            format!(
                "`Plural-Forms` is not `{}`, the forms helpdeck maps to {lang}'s plural \
                 categories: export the file again rather than change them",
                forms.header
            ),
        )));
    }
    let source = theme.strings.get(SOURCE).cloned().unwrap_or_default();
    let mut imported: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut skipped = 0;
    for entry in &entries {
        let key = entry.context.clone().unwrap_or_default();
        let keys: Vec<String> = match &entry.id_plural {
            Some(_) => forms
                .categories
                .iter()
                .map(|category| format!("{key}_{category}"))
                .collect(),
            None => vec![key.clone()],
        };
        let known = match &entry.id_plural {
            Some(_) => source.contains_key(&format!("{key}_other")),
            None => source.contains_key(&key),
        };
        if !known {
            problems.push(at(
                entry.line,
                format!("`msgctxt \"{key}\"` names no UI string of the theme"),
            ));
            continue;
        }
        if entry.is_fuzzy() || entry.translations.iter().all(String::is_empty) {
            skipped += 1;
            continue;
        }
        let expected = placeholders(entry.id_plural.as_deref().unwrap_or(&entry.id));
        for (key, text) in keys.iter().zip(&entry.translations) {
            if text.is_empty() {
                continue;
            }
            let written = placeholders(text);
            if written != expected {
                problems.push(
                    at(
                        entry.line,
                        format!(
                            "`{key}` has the placeholders {{{}}} where its source has {{{}}}: \
                             keep each `{{name}}` as it is",
                            written.into_iter().collect::<Vec<_>>().join("}, {"),
                            expected.iter().copied().collect::<Vec<_>>().join("}, {"),
                        ),
                    )
                    .quoting(text),
                );
                continue;
            }
            imported.insert(key.clone(), text.clone());
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    let path = root.join(SITE_STRINGS).join(format!("{lang}.toml"));
    let existing: BTreeMap<String, String> = match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            Error::single(Diagnostic::new(
                Path::new(SITE_STRINGS).join(format!("{lang}.toml")),
                e.message().to_string(),
            ))
        })?,
        Err(_) => BTreeMap::new(),
    };
    let current = theme.strings.get(&lang).cloned().unwrap_or_default();
    let changed = imported
        .iter()
        .filter(|(key, text)| current.get(*key) != Some(*text))
        .count();
    let mut site_strings = existing.clone();
    site_strings.extend(
        imported
            .into_iter()
            .filter(|(key, text)| existing.contains_key(key) || current.get(key) != Some(text)),
    );
    let written = match site_strings == existing {
        true => None,
        false => {
            let body = toml::to_string(&site_strings)
                .map_err(|e| Error::single(Diagnostic::new(&path, format!("cannot write: {e}"))))?;
            let text = format!(
                "# {lang}'s UI strings where they differ from the theme's, written by `helpdeck \
                 strings import`.\n{body}"
            );
            std::fs::create_dir_all(root.join(SITE_STRINGS))
                .map_err(|e| Error::io("cannot create", &root.join(SITE_STRINGS), e))?;
            std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))?;
            Some(path)
        }
    };
    Ok(Imported {
        written,
        lang,
        changed,
        skipped,
    })
}

/// A `Plural-Forms` value without its spaces and final `;`, as tools rewrite it.
fn normalise(forms: &str) -> String {
    forms
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(';')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_brace_names() {
        assert_eq!(
            placeholders("{count} of {total}, {} and {not a name}"),
            BTreeSet::from(["count", "total"])
        );
        assert!(brace_format("plain").is_empty());
    }
}
