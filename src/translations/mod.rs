//! The translator's view: which pages are missing, outdated or current in each language, and
//! what changed in the source since a translation was made.
//!
//! A translation records the source it was made from as `source_hash` in its front matter (a
//! short hash of the source page's Markdown body). Reads the site through `load` and
//! `resolve`; writes only when asked to create or stamp a translation file.
//!
//! The theme's UI strings go to translators' tools and back as gettext PO ([`strings`]: the
//! file format in `po.rs`, the plural forms in `plurals.rs`).

pub mod plurals;
pub mod po;
pub mod strings;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{self, Theme, front_matter};
use crate::pipeline::{self, Mode};
use crate::resolve::{Page, Site};

pub use crate::load::source_hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Missing,
    /// The file is there, but still the source's text (as `translate` writes it): buyers see
    /// the source with the fallback notice.
    Untranslated,
    Outdated,
    Current,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageStatus {
    /// The default language's file.
    pub source: PathBuf,
    /// The translation's file (where it is or would be).
    pub translation: PathBuf,
    pub status: Status,
    /// The `source_hash` the translation records: the version of the source it was made from.
    #[serde(skip)]
    pub translated_from: Option<String>,
    /// For an outdated page: what changed in the source since it was translated, as a diff
    /// when git knows the version the translation was made from.
    pub changes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageReport {
    pub lang: String,
    /// UI strings the theme has in English but not in this language (nor its base language
    /// or the site's overrides): pages show them in the fallback language.
    pub missing_strings: Vec<String>,
    pub missing: usize,
    pub untranslated: usize,
    pub outdated: usize,
    pub current: usize,
    pub pages: Vec<PageStatus>,
}

/// The status of every page in every language but the default (or only `only`).
pub fn report(root: &Path, only: Option<&str>) -> Result<Vec<LanguageReport>> {
    let (site, theme) = load_site(root)?;
    let mut reports = report_site(&site, &theme, only);
    if let Some(tag) = only {
        if reports.is_empty() {
            return Err(unknown_language(&site, tag));
        }
    }
    show_changes(root, &mut reports);
    Ok(reports)
}

/// The report for a site already opened (`check` and watch mode have one), without what
/// changed in outdated pages' sources ([`show_changes`] asks git for that).
pub fn report_site(site: &Site, theme: &Theme, only: Option<&str>) -> Vec<LanguageReport> {
    let default = site.config.default_language.clone();
    let mut reports = Vec::new();
    for language in site.config.languages.iter().filter(|l| l.tag != default) {
        if only.is_some_and(|o| o != language.tag) {
            continue;
        }
        let mut pages = Vec::new();
        for original in site
            .pages()
            .iter()
            .filter(|p| p.doc.lang == default && p.fallback_of.is_none())
        {
            let Some(version) = original
                .translations()
                .iter()
                .map(|&t| site.page(t))
                .find(|t| t.doc.lang == language.tag)
            else {
                continue;
            };
            pages.push(page_status(site, original, version));
        }
        let count = |s: Status| pages.iter().filter(|p| p.status == s).count();
        reports.push(LanguageReport {
            lang: language.tag.clone(),
            missing_strings: missing_strings(theme, &language.tag, &language.settings.strings),
            missing: count(Status::Missing),
            untranslated: count(Status::Untranslated),
            outdated: count(Status::Outdated),
            current: count(Status::Current),
            pages,
        });
    }
    reports
}

fn missing_strings(theme: &Theme, lang: &str, overrides: &BTreeMap<String, String>) -> Vec<String> {
    let Some(reference) = theme.strings.get("en") else {
        return Vec::new();
    };
    let base = lang.split('-').next().unwrap_or(lang);
    let has = |key: &str| {
        overrides.contains_key(key)
            || [lang, base]
                .iter()
                .any(|tag| theme.strings.get(*tag).is_some_and(|t| t.contains_key(key)))
    };
    // Counted strings need only the categories the language uses: `_other` stands for them.
    let plural_category = ["_zero", "_one", "_two", "_few", "_many"];
    reference
        .keys()
        .filter(|key| !plural_category.iter().any(|c| key.ends_with(c)))
        .filter(|key| !has(key))
        .cloned()
        .collect()
}

fn page_status(site: &Site, original: &Page, version: &Page) -> PageStatus {
    let translation = if version.fallback_of.is_some() {
        translation_file(&original.doc.file, &version.doc.lang)
    } else {
        version.doc.file.clone()
    };
    let translated_from = version.doc.meta.source_hash.clone();
    let (status, changes) = match (&version.fallback_of, &translated_from) {
        (Some(_), _) if site.is_untranslated_copy(&translation) => (Status::Untranslated, None),
        (Some(_), _) => (Status::Missing, None),
        (None, Some(hash)) if *hash == source_hash(&original.doc.body) => (Status::Current, None),
        (None, Some(_)) => (Status::Outdated, None),
        (None, None) => (
            Status::Outdated,
            Some("no source_hash: the source it was made from is unknown".to_string()),
        ),
    };
    PageStatus {
        source: original.doc.file.clone(),
        translation,
        status,
        translated_from,
        changes,
    }
}

/// Fills in what changed in the source of each outdated page that records the version it was
/// translated from.
pub fn show_changes(root: &Path, reports: &mut [LanguageReport]) {
    for page in reports.iter_mut().flat_map(|r| &mut r.pages) {
        if let (Status::Outdated, Some(hash), None) =
            (page.status, &page.translated_from, &page.changes)
        {
            page.changes = Some(source_changes(root, &page.source, hash));
        }
    }
}

/// The diff of the source page from the last commit whose body hashes to `hash` to now, when
/// the site is in git; else a plain statement that it changed.
fn source_changes(root: &Path, source: &Path, hash: &str) -> String {
    let fallback = format!("the source changed since it was translated (translated from {hash})");
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let path = source.to_string_lossy();
    let Some(commits) = git(&["log", "--format=%H", "--", &path]) else {
        return fallback;
    };
    for commit in commits.lines() {
        let Some(text) = git(&["show", &format!("{commit}:./{path}")]) else {
            continue;
        };
        let text = load::normalise(text);
        let Ok(split) = front_matter::split(source, &text) else {
            continue;
        };
        if source_hash(split.body) == hash {
            return match git(&["diff", commit, "--", &path]) {
                Some(diff) if !diff.trim().is_empty() => diff,
                _ => format!(
                    "the body changed since commit {}, though the file in git is the same",
                    &commit[..12]
                ),
            };
        }
    }
    fallback
}

/// `content/policies/returns.md` + `lt` → `content/policies/returns.lt.md`.
fn translation_file(source: &Path, lang: &str) -> PathBuf {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    source.with_file_name(format!("{stem}.{lang}.md"))
}

/// The report as text: counts per language, then each page that needs work.
pub fn render_text(reports: &[LanguageReport]) -> String {
    let mut out = String::new();
    for report in reports {
        out.push_str(&format!(
            "{}: {} missing, {} untranslated, {} outdated, {} current\n",
            report.lang, report.missing, report.untranslated, report.outdated, report.current
        ));
        if !report.missing_strings.is_empty() {
            out.push_str(&format!(
                "  missing UI strings: {}\n",
                report.missing_strings.join(", ")
            ));
        }
        for page in report.pages.iter().filter(|p| p.status != Status::Current) {
            let status = match page.status {
                Status::Missing => "missing     ",
                Status::Untranslated => "untranslated",
                Status::Outdated | Status::Current => "outdated    ",
            };
            out.push_str(&format!("  {status} {}\n", page.translation.display()));
            if let Some(changes) = &page.changes {
                for line in changes.lines() {
                    out.push_str(&format!("      {line}\n"));
                }
            }
        }
    }
    out
}

/// Creates the translation of `source` into `lang`: the source's front matter and text to
/// translate, stamped with the source's hash. Until its text changes it is an untranslated
/// copy: the language shows the source with the fallback notice. Returns the new file's path.
pub fn translate(root: &Path, lang: &str, source: &str) -> Result<PathBuf> {
    let (site, _) = load_site(root)?;
    let original = find_source(&site, source)?;
    if site.config.language(lang).is_none() || lang == site.config.default_language {
        return Err(unknown_language(&site, lang));
    }
    let target = translation_file(&original.doc.file, lang);
    let absolute = root.join(&target);
    let text = load::read_text(&original.doc.file, &root.join(&original.doc.file))
        .map_err(Error::single)?;
    let stamped = with_source_hash(&text, &source_hash(&original.doc.body)).ok_or_else(|| {
        Error::single(Diagnostic::new(
            &original.doc.file,
            "cannot find its front matter",
        ))
    })?;
    // A new file only: never one that is there, nor through a symlink (even a broken one) to
    // wherever it points.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&absolute)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::single(Diagnostic::new(
                &target,
                "the translation exists already (use `translations --mark` when it is done)",
            )),
            _ => Error::io("cannot write", &absolute, e),
        })?;
    file.write_all(stamped.as_bytes())
        .map_err(|e| Error::io("cannot write", &absolute, e))?;
    Ok(target)
}

/// Stamps the translation of `source` into `lang` with the source's current hash, after a
/// translator has brought it up to date. Returns the stamped file's path.
pub fn mark(root: &Path, lang: &str, source: &str) -> Result<PathBuf> {
    let (site, _) = load_site(root)?;
    let original = find_source(&site, source)?;
    let version = original
        .translations()
        .iter()
        .map(|&t| site.page(t))
        .find(|t| t.doc.lang == lang && t.fallback_of.is_none())
        .ok_or_else(|| {
            Error::single(Diagnostic::new(
                translation_file(&original.doc.file, lang),
                format!("no {lang} translation of {} to mark (create it with `helpdeck translate {lang} {source}`)", original.doc.file.display()),
            ))
        })?;
    let file = version.doc.file.clone();
    let absolute = root.join(&file);
    let text = load::read_text(&file, &absolute).map_err(Error::single)?;
    let stamped = with_source_hash(&text, &source_hash(&original.doc.body))
        .ok_or_else(|| Error::single(Diagnostic::new(&file, "cannot find its front matter")))?;
    std::fs::write(&absolute, stamped).map_err(|e| Error::io("cannot write", &absolute, e))?;
    Ok(file)
}

/// The file's text with `source_hash = "…"` set in its front matter (replaced or added last).
fn with_source_hash(text: &str, hash: &str) -> Option<String> {
    let split = front_matter::split(Path::new(""), text).ok()?;
    let line = format!("source_hash = \"{hash}\"\n");
    let mut front: String = split
        .front_matter
        .lines()
        .filter(|l| !l.trim_start().starts_with("source_hash"))
        .map(|l| format!("{l}\n"))
        .collect();
    // Keys after a [table] header would belong to it: put the hash before the first table.
    match front
        .find("\n[")
        .map(|i| i + 1)
        .or_else(|| front.starts_with('[').then_some(0))
    {
        Some(at) => front.insert_str(at, &line),
        None => front.push_str(&line),
    }
    Some(format!("+++\n{front}+++\n{}", split.body))
}

fn load_site(root: &Path) -> Result<(Site, Theme)> {
    let opened = pipeline::open(&pipeline::Options::new(root, Mode::Report))?;
    Ok((opened.site, opened.theme))
}

fn find_source<'a>(site: &'a Site, source: &str) -> Result<&'a Page> {
    let key = source
        .trim_start_matches("./")
        .trim_start_matches("content/");
    site.link_target(key, &site.config.default_language)
        .map(|id| site.page(id))
        .filter(|p| p.doc.lang == site.config.default_language && p.fallback_of.is_none())
        .ok_or_else(|| {
            Error::single(Diagnostic::new(
                Path::new("content").join(key),
                "no such page in the default language",
            ))
        })
}

fn unknown_language(site: &Site, tag: &str) -> Error {
    let others: Vec<&str> = site
        .config
        .language_tags()
        .into_iter()
        .filter(|t| *t != site.config.default_language)
        .collect();
    Error::single(Diagnostic::new(
        crate::config::CONFIG_FILE,
        format!(
            "`{tag}` is not a translation language of this site (configured: {})",
            others.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_hash_is_added_before_tables_or_replaced() {
        let text = "+++\ntitle = \"a\"\n[extra]\nx = 1\n+++\nBody\n";
        let stamped = with_source_hash(text, "abc").unwrap();
        assert_eq!(
            stamped,
            "+++\ntitle = \"a\"\nsource_hash = \"abc\"\n[extra]\nx = 1\n+++\nBody\n"
        );
        let again = with_source_hash(&stamped, "def").unwrap();
        assert_eq!(
            again,
            "+++\ntitle = \"a\"\nsource_hash = \"def\"\n[extra]\nx = 1\n+++\nBody\n"
        );
    }

    #[test]
    fn trailing_white_space_does_not_change_the_hash() {
        assert_eq!(source_hash("Body\n"), source_hash("Body\n\n"));
        assert_ne!(source_hash("Body"), source_hash("Body."));
    }
}
