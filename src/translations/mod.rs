//! The translator's view: which pages are missing, outdated or current in each language, and
//! what changed in the source since a translation was made.
//!
//! A translation records the source it was made from as `source_hash` in its front matter (a
//! short hash of the source page's Markdown body). Reads the site through `load` and
//! `resolve`; writes only when asked to create or stamp a translation file.
//!
//! The theme's UI strings go to translators' tools and back as gettext PO ([`strings`]: the
//! file format in `po.rs`, the plural forms in `plurals.rs`).

pub mod alignment;
pub mod content;
pub mod content_po;
pub mod machine;
pub mod plurals;
pub mod po;
pub mod segments;
pub mod strings;
pub mod xliff;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use rayon::prelude::*;
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
    /// A machine translated a segment and no translator has reviewed it.
    MachineDraft,
    Outdated,
    Current,
}

/// How the segments of a translation stand (see [`alignment`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentCounts {
    /// The source's segments.
    pub total: usize,
    pub current: usize,
    /// Translated from an earlier version of the source segment.
    pub outdated: usize,
    /// In the source, with nothing in the translation standing for them.
    pub missing: usize,
    pub untranslated: usize,
    pub machine_draft: usize,
    /// In the translation, standing for text the source no longer has.
    pub removed: usize,
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
    /// Segment by segment, for a translation that records them or an outdated one.
    pub segments: Option<SegmentCounts>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageReport {
    pub lang: String,
    /// UI strings the theme has in English but not in this language (nor its base language
    /// or the site's overrides): pages show them in the fallback language.
    pub missing_strings: Vec<String>,
    pub missing: usize,
    pub untranslated: usize,
    pub machine_draft: usize,
    pub outdated: usize,
    pub current: usize,
    pub pages: Vec<PageStatus>,
}

/// The status of every page in every language but the default (or only `only`).
pub fn report(root: &Path, only: Option<&str>) -> Result<Vec<LanguageReport>> {
    let (site, theme) = load_site(root)?;
    let mut reports = report_site(root, &site, &theme, only);
    if let Some(tag) = only {
        if reports.is_empty() {
            return Err(unknown_language(&site, tag));
        }
    }
    show_changes(root, &mut reports);
    Ok(reports)
}

/// The report for a site already opened (`check` and watch mode have one) at `root`, without
/// what changed in outdated pages' sources ([`show_changes`] asks git for that).
pub fn report_site(
    root: &Path,
    site: &Site,
    theme: &Theme,
    only: Option<&str>,
) -> Vec<LanguageReport> {
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
            pages.push(page_status(root, site, original, version));
        }
        let count = |s: Status| pages.iter().filter(|p| p.status == s).count();
        reports.push(LanguageReport {
            lang: language.tag.clone(),
            missing_strings: missing_strings(theme, &language.tag, &language.settings.strings),
            missing: count(Status::Missing),
            untranslated: count(Status::Untranslated),
            machine_draft: count(Status::MachineDraft),
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

fn page_status(root: &Path, site: &Site, original: &Page, version: &Page) -> PageStatus {
    let translation = if version.fallback_of.is_some() {
        translation_file(&original.doc.file, &version.doc.lang)
    } else {
        version.doc.file.clone()
    };
    let translated_from = version.doc.meta.source_hash.clone();
    let recorded = version.fallback_of.is_none() && version.doc.meta.source_segments.is_some()
        || site.is_untranslated_copy(&translation);
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
    // Segment by segment where the translation records them: the page is as its segments
    // are, whatever moved around them. (How much of an outdated page made by hand is
    // outdated is a detail [`show_changes`] adds.)
    let segments = recorded
        .then(|| segment_counts(root, original, &version.doc.lang))
        .flatten();
    let status = match segments {
        Some(counts) if recorded => counts.status(),
        _ => status,
    };
    PageStatus {
        source: original.doc.file.clone(),
        translation,
        status,
        translated_from,
        changes: changes.filter(|_| status == Status::Outdated),
        segments,
    }
}

impl SegmentCounts {
    /// What a page whose translation records its segments is.
    fn status(&self) -> Status {
        if self.untranslated > 0 {
            Status::Untranslated
        } else if self.outdated + self.missing + self.removed > 0 {
            Status::Outdated
        } else if self.machine_draft > 0 {
            Status::MachineDraft
        } else {
            Status::Current
        }
    }
}

fn segment_counts(root: &Path, original: &Page, lang: &str) -> Option<SegmentCounts> {
    let source = content::PageText::read(root, &original.doc.file).ok()?;
    let pair = content::PagePair::open(root, original.doc.key(), source, lang).ok()?;
    Some(pair.counts())
}

/// Fills in what changed in the source of each outdated page: how many of its segments, and
/// the diff when git has the version it was translated from.
pub fn show_changes(root: &Path, reports: &mut [LanguageReport]) {
    for report in reports.iter_mut() {
        let lang = report.lang.clone();
        report
            .pages
            .par_iter_mut()
            .filter(|page| page.status == Status::Outdated && page.segments.is_none())
            .for_each(|page| {
                let key = page.source.strip_prefix("content").unwrap_or(&page.source);
                let source = content::PageText::read(root, &page.source).ok();
                page.segments = source
                    .and_then(|source| {
                        let key = key.to_string_lossy().trim_start_matches('/').to_string();
                        content::PagePair::open(root, key, source, &lang).ok()
                    })
                    .map(|pair| pair.counts());
            });
    }
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
    for (commit, text) in git_versions(root, source) {
        let Ok(split) = front_matter::split(source, &text) else {
            continue;
        };
        if source_hash(split.body) == hash {
            let path = source.to_string_lossy();
            return match git(root, &["diff", &commit, "--", &path]) {
                Some(diff) if !diff.trim().is_empty() => diff,
                _ => format!(
                    "the body changed since commit {}, though the file in git is the same",
                    &commit[..12.min(commit.len())]
                ),
            };
        }
    }
    fallback
}

/// The output of git run in `root`, when it succeeds.
fn git(root: &Path, args: &[&str]) -> Option<String> {
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
}

/// The versions of `file` that git has, newest first: each commit and the file's text in it
/// (normalised as `load` reads it). None when the site is not in git.
fn git_versions(root: &Path, file: &Path) -> impl Iterator<Item = (String, String)> {
    let path = file.to_string_lossy().into_owned();
    let commits = git(root, &["log", "--format=%H", "--", &path]).unwrap_or_default();
    let root = root.to_path_buf();
    commits
        .lines()
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(move |commit| {
            let text = git(&root, &["show", &format!("{commit}:./{path}")])?;
            Some((commit, load::normalise(text)))
        })
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
            "{}: {} missing, {} untranslated, {} machine drafts, {} outdated, {} current\n",
            report.lang,
            report.missing,
            report.untranslated,
            report.machine_draft,
            report.outdated,
            report.current
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
                Status::MachineDraft => "machine     ",
                Status::Outdated | Status::Current => "outdated    ",
            };
            let detail = page.segments.map(describe_counts).unwrap_or_default();
            out.push_str(&format!(
                "  {status} {}{detail}\n",
                page.translation.display()
            ));
            if let Some(changes) = &page.changes {
                for line in changes.lines() {
                    out.push_str(&format!("      {line}\n"));
                }
            }
        }
    }
    out
}

/// The exchange file formats of pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Exchange {
    /// gettext PO.
    Po,
    /// XLIFF 2.0.
    Xliff,
}

impl Exchange {
    pub fn extension(self) -> &'static str {
        match self {
            Exchange::Po => "po",
            Exchange::Xliff => "xlf",
        }
    }
}

/// Writes each of `langs`' pages for translators: one file per language
/// (`translations/pages.<lang>.po`), or one per page under `translations/<lang>/` with
/// `per_page`. An empty `langs` is every translation language. Returns the files written.
pub fn export_pages(
    root: &Path,
    langs: &[String],
    format: Exchange,
    only: Option<content::Only>,
    per_page: bool,
    out: Option<PathBuf>,
) -> Result<Vec<PathBuf>> {
    let (site, _) = load_site(root)?;
    let langs: Vec<String> = match langs.is_empty() {
        true => site
            .config
            .language_tags()
            .into_iter()
            .filter(|t| *t != site.config.default_language)
            .map(str::to_string)
            .collect(),
        false => langs.to_vec(),
    };
    if out.is_some() && langs.len() > 1 {
        return Err(Error::single(Diagnostic::new(
            "--out",
            "one file or folder cannot hold several languages: export one language with --out",
        )));
    }
    let units = content::units(root, &site, &langs, only)?;
    // Each language's files written out on their own thread, as the text is made.
    let written: Vec<Result<Vec<PathBuf>>> = langs
        .par_iter()
        .zip(&units)
        .map(|(lang, units)| {
            let files: Vec<(PathBuf, &[content::Unit])> = if per_page {
                let folder = out
                    .clone()
                    .unwrap_or_else(|| root.join("translations").join(lang));
                units
                    .chunk_by(|a, b| a.page == b.page)
                    .map(|page| {
                        let name = page[0].page.trim_end_matches(".md");
                        (folder.join(format!("{name}.{}", format.extension())), page)
                    })
                    .collect()
            } else {
                let file = out.clone().unwrap_or_else(|| {
                    root.join("translations")
                        .join(format!("pages.{lang}.{}", format.extension()))
                });
                vec![(file, units.as_slice())]
            };
            for (file, units) in &files {
                if let Some(folder) = file.parent() {
                    std::fs::create_dir_all(folder)
                        .map_err(|e| Error::io("cannot create", folder, e))?;
                }
                let created =
                    std::fs::File::create(file).map_err(|e| Error::io("cannot write", file, e))?;
                let mut sink = std::io::BufWriter::with_capacity(1 << 20, created);
                exchange_file(&mut sink, &site, lang, format, units)
                    .and_then(|()| std::io::Write::flush(&mut sink))
                    .map_err(|e| Error::io("cannot write", file, e))?;
            }
            Ok(files.into_iter().map(|(file, _)| file).collect())
        })
        .collect();
    let mut files = Vec::new();
    for of_language in written {
        files.extend(of_language?);
    }
    Ok(files)
}

/// `lang`'s pages as one exchange file, as they are now (for watch mode's translator page).
pub fn pages_file(root: &Path, lang: &str, format: Exchange) -> Result<String> {
    let (site, _) = load_site(root)?;
    let units = content::units(root, &site, &[lang.to_string()], None)?;
    let mut text = Vec::new();
    // Writing into memory cannot fail.
    let _ = exchange_file(&mut text, &site, lang, format, &units.concat());
    Ok(String::from_utf8(text).unwrap_or_default())
}

fn exchange_file(
    out: &mut dyn std::io::Write,
    site: &Site,
    lang: &str,
    format: Exchange,
    units: &[content::Unit],
) -> std::io::Result<()> {
    match format {
        Exchange::Po => content_po::write(out, &site.config.title, lang, units),
        Exchange::Xliff => xliff::write(out, &site.config.default_language, lang, units),
    }
}

/// Writes the translated segments of each exchange file (PO or XLIFF, told by its content)
/// into the translation files. Nothing is written unless every file imports.
pub fn import_pages(root: &Path, files: &[PathBuf]) -> Result<Vec<(String, content::Applied)>> {
    let (site, _) = load_site(root)?;
    let read: Vec<Result<content::Batch>> = files
        .par_iter()
        .map(|file| {
            let text =
                std::fs::read_to_string(file).map_err(|e| Error::io("cannot read", file, e))?;
            let (lang, incoming) = match text.trim_start().starts_with('<') {
                true => xliff::read(file, &text)?,
                false => content_po::read(file, &text)?,
            };
            Ok(content::Batch {
                lang,
                exchange: file.clone(),
                incoming,
            })
        })
        .collect();
    let batches = read.into_iter().collect::<Result<Vec<_>>>()?;
    content::plan(root, &site, batches)?
        .into_iter()
        .map(|plan| Ok((plan.lang.clone(), plan.write(root)?)))
        .collect()
}

/// ` (3 outdated, 1 missing of 25 segments)`: what needs a translator.
fn describe_counts(counts: SegmentCounts) -> String {
    let parts: Vec<String> = [
        (counts.outdated, "outdated"),
        (counts.missing, "missing"),
        (counts.untranslated, "untranslated"),
        (counts.machine_draft, "machine drafts"),
        (counts.removed, "no longer in the source"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    match parts.is_empty() {
        true => String::new(),
        false => format!(" ({} of {} segments)", parts.join(", "), counts.total),
    }
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
    let stamped =
        with_front_matter_key(&text, "source_hash", Some(&source_hash(&original.doc.body)))
            .ok_or_else(|| {
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
    if site.config.language(lang).is_none() || lang == site.config.default_language {
        return Err(unknown_language(&site, lang));
    }
    let source_text = content::PageText::read(root, &original.doc.file).map_err(Error::single)?;
    let pair = content::PagePair::open(root, original.doc.key(), source_text, lang)
        .map_err(Error::single)?;
    let file = pair.translation_file.clone();
    let Some(translation) = &pair.translation else {
        return Err(Error::single(Diagnostic::new(
            &file,
            format!(
                "no {lang} translation of {} to mark (create it with `helpdeck translate {lang} {source}`)",
                original.doc.file.display()
            ),
        )));
    };
    let cannot = || Error::single(Diagnostic::new(&file, "cannot find its front matter"));
    let mut text = with_front_matter_key(
        &translation.text,
        "source_hash",
        Some(&source_hash(&original.doc.body)),
    )
    .ok_or_else(cannot)?;
    // Segment by segment when the translation has the source's segments, each in its place;
    // else the page as a whole.
    let record = pair.current_record();
    text = with_front_matter_key(&text, "source_segments", record.as_deref()).ok_or_else(cannot)?;
    let absolute = root.join(&file);
    std::fs::write(&absolute, text).map_err(|e| Error::io("cannot write", &absolute, e))?;
    Ok(file)
}

/// The file's text with `key = "value"` set in its front matter (replaced, or added before
/// the first table), or with `key` removed. For helpdeck's own stamps: `value` needs no
/// escaping.
fn with_front_matter_key(text: &str, key: &str, value: Option<&str>) -> Option<String> {
    let split = front_matter::split(Path::new(""), text).ok()?;
    let line = value.map_or(String::new(), |value| format!("{key} = \"{value}\"\n"));
    let is_key = |l: &str| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut front: String = split
        .front_matter
        .lines()
        .filter(|l| !is_key(l))
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
        let stamped = with_front_matter_key(text, "source_hash", Some("abc")).unwrap();
        assert_eq!(
            stamped,
            "+++\ntitle = \"a\"\nsource_hash = \"abc\"\n[extra]\nx = 1\n+++\nBody\n"
        );
        let again = with_front_matter_key(&stamped, "source_hash", Some("def")).unwrap();
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
