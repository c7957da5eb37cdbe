//! `helpdeck check`: everything a seller should fix before publishing, found without writing
//! a file.
//!
//! Opens the site in check mode ([`crate::pipeline`]: drafts left out), then renders every page's content (Markdown,
//! shortcodes, facts) in memory, but not the page templates: the content is where links,
//! images and numbers live, and skipping the templates keeps a check well under half a build.
//! Reports errors (broken links and anchors, missing required policies, numbers contradicting
//! facts, TODO markers left from the starter, anything the build itself refuses) and warnings
//! (missing alt text, untranslated pages and UI strings, overdue reviews), each with file and
//! line.

mod contradictions;
mod external;
mod glossary;
mod links;
pub mod rules;
mod todos;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{PageKind, StaticFile};
use crate::pipeline::{self, Mode, Opened};
use crate::render::{CompiledTheme, Content, Renderer, icons};
use crate::resolve::{Role, Site};
use crate::translations;

pub struct CheckOptions {
    pub root: PathBuf,
    /// Also request every external link (bounded in time and concurrency).
    pub external: bool,
    /// The policy rules to apply.
    pub rules: rules::Selection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A diagnostic and how bad it is; in JSON, the diagnostic's fields beside `severity`.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The policy rule broken (`EU-ODR`), listed with its source in `docs/rules.md`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

impl Finding {
    fn new(severity: Severity, diagnostic: Diagnostic) -> Self {
        Finding {
            severity,
            rule: None,
            diagnostic,
        }
    }

    fn all(severity: Severity, diagnostics: Vec<Diagnostic>) -> Vec<Finding> {
        diagnostics
            .into_iter()
            .map(|d| Finding::new(severity, d))
            .collect()
    }
}

/// Translation counts per language, from the translations report.
#[derive(Debug, Serialize)]
pub struct TranslationSummary {
    pub lang: String,
    pub missing: usize,
    pub untranslated: usize,
    pub outdated: usize,
    pub current: usize,
    pub missing_strings: usize,
}

impl TranslationSummary {
    fn of(report: &translations::LanguageReport) -> TranslationSummary {
        TranslationSummary {
            lang: report.lang.clone(),
            missing: report.missing,
            untranslated: report.untranslated,
            outdated: report.outdated,
            current: report.current,
            missing_strings: report.missing_strings.len(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
    pub translations: Vec<TranslationSummary>,
}

impl Report {
    fn new(mut findings: Vec<Finding>, translations: Vec<TranslationSummary>) -> Report {
        findings.sort_by(|a, b| {
            let (x, y) = (&a.diagnostic, &b.diagnostic);
            (&x.file, x.line, x.column, a.severity, &x.message)
                .cmp(&(&y.file, y.line, y.column, b.severity, &y.message))
        });
        findings.dedup_by(|a, b| a.diagnostic == b.diagnostic);
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Report {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            findings,
            translations,
        }
    }

    /// One line per finding, then the translation summary and the totals.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            let label = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let rule = finding.rule.map(|id| format!("[{id}]")).unwrap_or_default();
            out.push_str(&format!("{label}{rule}: {}\n", finding.diagnostic));
        }
        // Why each broken rule exists, once, after its findings.
        let broken: std::collections::BTreeSet<&str> =
            self.findings.iter().filter_map(|f| f.rule).collect();
        for rule in broken.into_iter().filter_map(rules::rule) {
            out.push_str(&format!(
                "{}: {} ({}; docs/rules.md)\n",
                rule.id, rule.reason, rule.source
            ));
        }
        for t in &self.translations {
            out.push_str(&format!(
                "{}: {} missing, {} untranslated, {} outdated, {} current pages; {} UI strings missing\n",
                t.lang, t.missing, t.untranslated, t.outdated, t.current, t.missing_strings
            ));
        }
        out.push_str(&format!(
            "{} errors, {} warnings\n",
            self.errors, self.warnings
        ));
        out
    }
}

/// Checks the site at `options.root`. Problems in the site are findings; `Err` only when the
/// check itself cannot run (an unreadable folder).
pub fn check(options: &CheckOptions) -> Result<Report> {
    let (opened, compiled) = match open(&options.root) {
        Ok(opened) => opened,
        // What stops the site from opening is the report: it could not be checked further.
        Err(Error::Invalid(diagnostics)) => {
            return Ok(Report::new(
                Finding::all(Severity::Error, diagnostics.0),
                Vec::new(),
            ));
        }
        Err(other) => return Err(other),
    };
    let Opened {
        site,
        theme,
        static_files,
        warnings,
        problems,
        ..
    } = opened;
    let mut findings = Finding::all(Severity::Warning, warnings);
    findings.extend(Finding::all(Severity::Error, problems));
    let renderer = Renderer::new(&site, &theme, &compiled);
    let contents = render_contents(&site, &renderer, &mut findings);
    let mut external_links = Vec::new();
    links::check(
        &site,
        &contents,
        &known_files(&site, &static_files),
        &mut findings,
        &mut external_links,
    );
    markup_shown_as_text(&site, &contents, &mut findings);
    contradictions::check(&site, &renderer, &contents, &mut findings);
    glossary::check(&site, &contents, &mut findings);
    required_policies(&site, &options.root, &mut findings);
    match icons::for_site(&site.config.brand, &static_files) {
        Ok(_) => {}
        Err(Error::Invalid(problems)) => findings.extend(Finding::all(Severity::Error, problems.0)),
        Err(other) => return Err(other),
    }
    let seller_files = SellerFile::all(&site, &options.root);
    todos::check(&seller_files, &mut findings);
    rules::check(
        &site,
        &theme.templates,
        &seller_files,
        &contents,
        &options.rules,
        &mut findings,
    );
    overdue_reviews(&site, &mut findings);
    let reports = translations::report_site(&options.root, &site, &theme, None);
    untranslated(&reports, &mut findings);
    if options.external {
        external::check(&external_links, &mut findings);
    }
    let summary = reports.iter().map(TranslationSummary::of).collect();
    Ok(Report::new(findings, summary))
}

/// A file the seller writes, as text: `helpdeck.toml`, `data/*.toml` and the pages (not
/// fallbacks). Checks that read what a seller typed, wherever they typed it, read these.
pub(crate) struct SellerFile {
    /// Relative to the site's root.
    pub path: PathBuf,
    pub text: String,
}

impl SellerFile {
    fn all(site: &Site, root: &Path) -> Vec<SellerFile> {
        let mut paths = vec![Path::new(crate::config::CONFIG_FILE).to_path_buf()];
        if let Ok(entries) = std::fs::read_dir(root.join("data")) {
            let mut data: Vec<_> = entries
                .flatten()
                .map(|e| Path::new("data").join(e.file_name()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            data.sort();
            paths.extend(data);
        }
        paths.extend(
            site.pages()
                .iter()
                .filter(|p| p.fallback_of.is_none())
                .map(|p| p.doc.file.clone()),
        );
        paths
            .into_iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(root.join(&path)).ok()?;
                Some(SellerFile { path, text })
            })
            .collect()
    }
}

/// Whether `word` is in `line` as a word of its own (not inside `MYTODO` or `TODO_LIST`).
fn has_word(line: &str, word: &str) -> bool {
    let part_of_word = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        !line[..at].chars().next_back().is_some_and(part_of_word)
            && !line[at + word.len()..]
                .chars()
                .next()
                .is_some_and(part_of_word)
    })
}

/// The site opened in check mode, and its theme compiled.
fn open(root: &Path) -> Result<(Opened, CompiledTheme)> {
    let mut opened = pipeline::open(&pipeline::Options::new(root, Mode::Check))?;
    let compiled = opened.compile()?;
    Ok((opened, compiled))
}

/// Every page's content, in memory; a page whose content cannot be rendered has none, and its
/// problems are errors. Fallback pages repeat their original's content, which is checked in
/// its own language.
fn render_contents(
    site: &Site,
    renderer: &Renderer,
    findings: &mut Vec<Finding>,
) -> Vec<Option<Content>> {
    (0..site.page_count())
        .into_par_iter()
        .map(|id| {
            if site.page(id).fallback_of.is_some() {
                return Ok(None);
            }
            renderer.content(id).map(Some)
        })
        .collect::<Vec<std::result::Result<Option<Content>, Vec<Diagnostic>>>>()
        .into_iter()
        .map(|result| {
            result.unwrap_or_else(|problems| {
                findings.extend(Finding::all(Severity::Error, problems));
                None
            })
        })
        .collect()
}

/// The static files' addresses, base path included, for links to them.
fn known_files(site: &Site, static_files: &[StaticFile]) -> Vec<String> {
    static_files
        .iter()
        .map(|f| {
            format!(
                "{}/{}",
                site.config.base_path,
                f.output.to_string_lossy().replace('\\', "/")
            )
        })
        .collect()
}

/// Markup a reader would see as text: `**` left unclosed, and images without alt text (whose
/// file name a screen reader reads out instead).
fn markup_shown_as_text(site: &Site, contents: &[Option<Content>], findings: &mut Vec<Finding>) {
    for (page, content) in site.pages().iter().zip(contents) {
        let Some(content) = content else { continue };
        for text in &content.markdown.stray_emphasis {
            findings.push(Finding::new(
                Severity::Warning,
                Diagnostic {
                    line: Some(text.line),
                    column: Some(text.column),
                    ..Diagnostic::new(
                        &page.doc.file,
                        "`**` shows as two asterisks here: after punctuation, `**` closes bold \
                         only before a space or more punctuation, so `**UK:**price` stays open \
                         (common in Chinese and Japanese, written without spaces); put the \
                         punctuation outside: `**UK**:price`",
                    )
                }
                .quoting(&text.url),
            ));
        }
        for image in &content.markdown.images_without_alt {
            findings.push(Finding::new(
                Severity::Warning,
                Diagnostic {
                    line: Some(image.line),
                    column: Some(image.column),
                    ..Diagnostic::new(
                        &page.doc.file,
                        "image without alt text (describe it for buyers who cannot see it)",
                    )
                }
                .quoting(&image.url),
            ));
        }
    }
}

/// Pages whose translation is missing or outdated, and UI strings a language lacks.
fn untranslated(reports: &[translations::LanguageReport], findings: &mut Vec<Finding>) {
    for report in reports {
        for page in report
            .pages
            .iter()
            .filter(|p| p.status != translations::Status::Current)
        {
            let segments = page
                .segments
                .filter(|s| s.outdated + s.missing + s.untranslated + s.machine_draft > 0)
                .map(|s| {
                    format!(
                        " ({} of {} segments to do)",
                        s.outdated + s.missing + s.untranslated + s.machine_draft,
                        s.total
                    )
                })
                .unwrap_or_default();
            let what = match page.status {
                translations::Status::Missing => {
                    "translation missing: the page shows the default language's text".to_string()
                }
                translations::Status::Untranslated => {
                    let started = page.segments.is_some_and(|s| s.untranslated < s.total);
                    format!(
                        "translation not {}{segments}: text still the source's, so the page \
                         shows the default language's, with the fallback notice, until it is \
                         translated",
                        if started { "finished" } else { "started" }
                    )
                }
                translations::Status::MachineDraft => format!(
                    "machine translation not reviewed{segments}: a translator reviews it \
                     (`helpdeck translations export --only outdated`)"
                ),
                _ => format!(
                    "translation outdated{segments}: its source changed since it was translated (see `helpdeck translations`)"
                ),
            };
            findings.push(Finding::new(
                Severity::Warning,
                Diagnostic::new(&page.translation, what),
            ));
        }
        if !report.missing_strings.is_empty() {
            findings.push(Finding::new(
                Severity::Warning,
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!(
                        "{} UI strings missing in `{}` (shown in English): {}",
                        report.missing_strings.len(),
                        report.lang,
                        report.missing_strings.join(", ")
                    ),
                ),
            ));
        }
    }
}

/// Each policy named in `[check] required_policies` must exist, translated, in every language.
fn required_policies(site: &Site, root: &Path, findings: &mut Vec<Finding>) {
    let required = &site.config.check.required_policies;
    if required.is_empty() {
        return;
    }
    let config_text = crate::load::normalise(
        std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default(),
    );
    let at = config_text
        .find("required_policies")
        .map(|offset| crate::diagnostic::TextPosition::of(&config_text, offset).line);
    for language in &site.config.languages {
        for policy in required {
            let versions: Vec<_> = site
                .pages()
                .iter()
                .filter(|p| {
                    p.doc.lang == language.tag
                        && p.role == Role::Page
                        && p.doc.meta.policy.as_deref() == Some(policy.as_str())
                })
                .collect();
            let message = if versions.is_empty() {
                format!(
                    "required policy `{policy}` is missing in `{}`: no page has policy = \"{policy}\"",
                    language.tag
                )
            } else if versions.iter().all(|p| p.fallback_of.is_some()) {
                format!(
                    "required policy `{policy}` is not translated into `{}` (buyers see {})",
                    language.tag,
                    versions[0].doc.file.display()
                )
            } else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(crate::config::CONFIG_FILE, message);
            diagnostic.line = at;
            findings.push(Finding::new(Severity::Error, diagnostic));
        }
    }
}

/// Policies and articles whose `review_by` date has passed.
fn overdue_reviews(site: &Site, findings: &mut Vec<Finding>) {
    let today = jiff::Zoned::now()
        .with_time_zone(site.config.timezone.clone())
        .date();
    for page in site.pages().iter().filter(|p| p.fallback_of.is_none()) {
        let meta = &page.doc.meta;
        let Some(review_by) = meta.review_by.as_ref().filter(|r| r.date() < today) else {
            continue;
        };
        let what = match page.kind {
            PageKind::Policy => "policy",
            _ => "page",
        };
        let mut diagnostic = Diagnostic::new(
            &page.doc.file,
            format!(
                "review overdue: this {what} was due for review by {} (check it still holds, then move `review_by` on)",
                review_by.date()
            ),
        );
        diagnostic.line = meta.review_by_line;
        findings.push(Finding::new(Severity::Warning, diagnostic));
    }
}
