//! Render: Markdown and templates to finished output files.
//!
//! Owns the Tera environment, the template context, hashed theme assets and the minifier.
//! Takes the resolved [`Site`] and hands each finished file to a sink the caller provides, so
//! the same rendering serves `build` (files on disk) and `serve` (only the files whose reads
//! answer differently, see [`crate::reads`]: a renderer made with [`Renderer::recording_reads`]
//! hands each file's reads back with it). Files are rendered in parallel; the problems of all
//! pages are reported together. The files besides pages are in [`site_files`]; the few of
//! them with rules of their own have a module each ([`history`], [`withdrawal_form`]).

mod assets;
pub mod context;
pub mod facts;
pub mod highlight;
pub mod history;
pub mod hosting;
pub mod icons;
pub mod locale;
pub mod markdown;
mod output_paths;
mod page;
pub mod plain_text;
pub mod replies;
pub mod shortcodes;
mod shown;
pub mod site_context;
pub mod site_files;

pub use page::Content;
use page::is_indexed;
use shown::ShownContent;
mod theme;

pub use assets::AssetForm;
pub use site_files::SiteFile;
pub use theme::CompiledTheme;
pub mod structured_data;
pub mod templates;
pub mod withdrawal_form;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::Theme;
use crate::output::{Output, SearchPage, Sink};
use crate::reads::{self, Read};
use crate::relate;
use crate::resolve::{PageId, Site};

/// One file the renderer can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Page(PageId),
    File(SiteFile),
}

/// What rendering a target leaves besides its file.
pub struct Extract {
    pub target: Target,
    pub path: PathBuf,
    /// What it was built from, when the renderer records reads (watch mode).
    pub reads: Vec<Read>,
    /// A page's text for the search index.
    pub search: Option<SearchPage>,
}

/// Element ids the default theme uses; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "content",
    "search",
    "search-input",
    "top",
    "toc",
    "site-header",
    "site-footer",
    "change-history",
];

/// Pages written per language, for the build summary.
pub type PageCounts = BTreeMap<String, usize>;

/// Steps that ran side by side as one result: all their problems together (an error that is
/// not a list of problems is returned as it is).
fn all_problems(results: impl IntoIterator<Item = Result<()>>) -> Result<()> {
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(Error::Invalid(found)) => problems.extend(found.0),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems))
    }
}

/// Told that every page of a language has rendered, with the language's searchable pages (not
/// drafts, not fallbacks, not `search = false`); called from a render thread.
pub type LanguageRendered<'a> = dyn Fn(&str, Vec<SearchPage>) -> Result<()> + Sync + 'a;

/// Given what each rendered target left; returns what to keep of it.
type Extracted<'a, T> = dyn Fn(Extract) -> Result<Option<T>> + Sync + 'a;

/// Each page's related pages, best first, by page id.
pub type RelatedPages = Arc<Vec<Vec<PageId>>>;

/// The context values every page of a language shares, and a hash of them as they are put in
/// (what a [`Read::Language`] answers), but the data files.
#[derive(Default)]
struct SharedValues {
    context: tera::Context,
    hash: u64,
}

impl SharedValues {
    fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.hash = reads::hash_serialized(&(self.hash, key, value));
        self.context.insert(key, value);
    }
}

pub struct Renderer<'a> {
    site: &'a Site,
    compiled: &'a CompiledTheme,
    facts: facts::Facts<'a>,
    /// Per language: the context values every page of that language shares.
    shared: BTreeMap<String, SharedValues>,
    /// Per language: the UI strings (also in `shared` as `t`).
    ui: BTreeMap<String, UiStrings>,
    /// Per language: the shop's Organization, for the home page's structured data, and its hash.
    organizations: BTreeMap<String, (serde_json::Value, u64)>,
    /// Computed when a page first needs them (`check` never does), or handed in by watch
    /// mode, which keeps what they are computed from between rebuilds.
    related: OnceLock<RelatedPages>,
    /// Whether each target's reads are recorded ([`crate::reads`]): watch mode keeps them.
    records_reads: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &Theme, compiled: &'a CompiledTheme) -> Renderer<'a> {
        let now = build_moment();
        let mut shared = BTreeMap::new();
        let mut ui = BTreeMap::new();
        let mut organizations = BTreeMap::new();
        let has_form_template = compiled.templates.contains(withdrawal_form::TEMPLATE);
        let has_replies_template = compiled.templates.contains(replies::TEMPLATE);
        for language in &site.config.languages {
            let lang = language.tag.as_str();
            let mut cx = SharedValues::default();
            cx.put("lang", lang);
            cx.put("dir", &language.direction);
            cx.put("site", &site_context::site_context(site, lang, now));
            let strings = ui_strings(site, theme, lang);
            cx.put("t", &strings);
            cx.put("assets", &compiled.asset_urls);
            // Not hashed with the rest: the templates reading it depend on it ([`Read::Template`]).
            cx.context.insert("data", &site.data);
            let home_url = site.home(lang).map_or_else(
                || format!("{}/", site.config.base_path),
                |h| site.page(h).url.clone(),
            );
            cx.put(
                "search",
                &site_context::search_context(site, lang, &home_url, &strings),
            );
            ui.insert(language.tag.clone(), strings);
            cx.put("home_url", &home_url);
            cx.put("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
            cx.put("policy_updates", &history::links(site, lang));
            cx.put(
                "withdrawal_form",
                &withdrawal_form::written(site, has_form_template)
                    .then(|| withdrawal_form::link(site, lang)),
            );
            cx.put(
                "replies_page",
                &replies::footer_link(site, has_replies_template, lang),
            );
            shared.insert(language.tag.clone(), cx);
            let today = now.to_zoned(site.config.contact_timezone.clone()).date();
            let organization = structured_data::organization(site, lang, today);
            let hash = reads::hash_serialized(&organization);
            organizations.insert(language.tag.clone(), (organization, hash));
        }
        Renderer {
            site,
            compiled,
            facts: facts::Facts::new(&site.data, &site.config.language_tags()),
            shared,
            ui,
            organizations,
            related: OnceLock::new(),
            records_reads: false,
        }
    }

    /// Records what each target is built from, in its [`Extract`].
    pub fn recording_reads(self) -> Self {
        Renderer {
            records_reads: true,
            ..self
        }
    }

    /// The context values every page of `lang` shares.
    fn shared(&self, lang: &str) -> &tera::Context {
        reads::note(|| Read::Language(lang.to_string()));
        &self.shared[lang].context
    }

    /// The shop's Organization in `lang`, for the home page's structured data.
    fn organization(&self, lang: &str) -> &serde_json::Value {
        reads::note(|| Read::Organization(lang.to_string()));
        &self.organizations[lang].0
    }

    /// What a [`Read::Language`] and a [`Read::Organization`] of `lang` answer now, hashed.
    pub fn language_answers(&self, lang: &str) -> Option<(u64, u64)> {
        Some((self.shared.get(lang)?.hash, self.organizations.get(lang)?.1))
    }

    /// The theme as compiled, for what its templates and assets are now.
    pub fn compiled(&self) -> &CompiledTheme {
        self.compiled
    }

    /// Uses `related` as each page's related pages instead of computing them.
    pub fn with_related(self, related: RelatedPages) -> Self {
        let _ = self.related.set(related);
        self
    }

    /// Each page's related pages: they depend on the text of every page of its language.
    pub fn related(&self) -> &RelatedPages {
        self.related
            .get_or_init(|| Arc::new(relate::related(self.site, None)))
    }

    pub fn facts(&self) -> &facts::Facts<'a> {
        &self.facts
    }

    /// The UI string `key` in `lang` (with the fallbacks pages get), for text written outside
    /// a template.
    pub fn ui_string(&self, lang: &str, key: &str) -> Option<&str> {
        self.ui.get(lang)?.get(key).map(String::as_str)
    }

    /// Every file the site consists of (theme assets included; static files are not rendered,
    /// the search index is built from what the pages leave).
    pub fn targets(&self) -> Vec<Target> {
        let site = self.site;
        (0..site.page_count())
            .map(Target::Page)
            .chain((0..site.alias_count()).map(|i| Target::File(SiteFile::Alias(i))))
            .chain(self.site_files())
            .collect()
    }

    /// The files of the site that are neither pages nor aliases: few, and decided by the
    /// languages, the theme and whether policies have changes, not by where pages are.
    pub fn site_files(&self) -> Vec<Target> {
        let site = self.site;
        let languages = 0..site.config.languages.len();
        // A page the site has in every language, or in none.
        let every_language = |written: bool| match written {
            true => languages.clone(),
            false => 0..0,
        };
        let templates = &self.compiled.templates;
        let search_pages = every_language(templates.contains("search.html"));
        let withdrawal_forms = every_language(withdrawal_form::written(
            site,
            templates.contains(withdrawal_form::TEMPLATE),
        ));
        let replies_pages = every_language(replies::written(
            site,
            templates.contains(replies::TEMPLATE),
        ));
        let with_updates: Vec<usize> = languages
            .clone()
            .filter(|&index| history::links(site, &site.config.languages[index].tag).is_some())
            .collect();
        languages
            .map(|i| Target::File(SiteFile::NotFound(i)))
            .chain(search_pages.map(|i| Target::File(SiteFile::SearchPage(i))))
            .chain(withdrawal_forms.map(|i| Target::File(SiteFile::WithdrawalForm(i))))
            .chain(replies_pages.map(|i| Target::File(SiteFile::Replies(i))))
            .chain(with_updates.iter().flat_map(|&index| {
                [
                    Target::File(SiteFile::PolicyUpdates(index)),
                    Target::File(SiteFile::PolicyFeed(index)),
                ]
            }))
            .chain([
                Target::File(SiteFile::Sitemap),
                Target::File(SiteFile::Robots),
                Target::File(SiteFile::Redirects),
                Target::File(SiteFile::Headers),
            ])
            .chain(
                site.config
                    .event_log()
                    .map(|_| Target::File(SiteFile::EventLog)),
            )
            .chain((0..self.compiled.assets.len()).map(|i| Target::File(SiteFile::Asset(i))))
            .collect()
    }

    /// Where a target is written, relative to the output root.
    pub fn output_path(&self, target: Target) -> PathBuf {
        let site = self.site;
        let language_folder =
            |index: usize| language_folder(site, &site.config.languages[index].tag);
        match target {
            Target::Page(id) => site.page(id).output_path.clone(),
            Target::File(SiteFile::NotFound(index)) => language_folder(index).join("404.html"),
            Target::File(SiteFile::SearchPage(index)) => {
                language_folder(index).join("search").join("index.html")
            }
            Target::File(SiteFile::PolicyUpdates(index)) => {
                history::folder(site, &site.config.languages[index].tag).join("index.html")
            }
            Target::File(SiteFile::PolicyFeed(index)) => {
                history::folder(site, &site.config.languages[index].tag).join("atom.xml")
            }
            Target::File(SiteFile::WithdrawalForm(index)) => {
                withdrawal_form::folder(site, &site.config.languages[index].tag).join("index.html")
            }
            Target::File(SiteFile::Replies(index)) => {
                replies::folder(site, &site.config.languages[index].tag).join("index.html")
            }
            Target::File(SiteFile::Alias(index)) => site.alias(index).output_path.clone(),
            Target::File(SiteFile::Sitemap) => PathBuf::from("sitemap.xml"),
            Target::File(SiteFile::Robots) => PathBuf::from("robots.txt"),
            Target::File(SiteFile::Redirects) => PathBuf::from("_redirects"),
            Target::File(SiteFile::Headers) => PathBuf::from("_headers"),
            Target::File(SiteFile::EventLog) => PathBuf::from(
                site.config
                    .event_log()
                    .unwrap_or_default()
                    .trim_start_matches('/'),
            ),
            Target::File(SiteFile::Asset(index)) => self.compiled.assets[index].path.clone(),
        }
    }

    /// Renders every output of the site into `sink`, the pages of `languages` first and in that
    /// order. When the last page of a language has rendered, the language's searchable pages
    /// go to `rendered` in a task of their own: its search index is then built while the rest
    /// still renders, instead of every index waiting for every page.
    pub fn render_all(
        &self,
        languages: &[&str],
        sink: &Sink<'_>,
        rendered: &LanguageRendered<'_>,
    ) -> Result<PageCounts> {
        let site = self.site;
        let position = |lang: &str| languages.iter().position(|l| *l == lang);
        // The language of a page the index is built from; None for every other target.
        let indexed_language = |target: &Target| match target {
            Target::Page(id) if is_indexed(site.page(*id)) => position(&site.page(*id).doc.lang),
            _ => None,
        };
        // Indexed pages render first, language by language. Every other target (fallbacks,
        // homes, aliases, the sitemap…) renders after them, beside the indexes still being
        // built: the last language's would otherwise be built with nothing else left to do.
        self.check_output_paths()?;
        let mut targets = self.targets();
        let shown = ShownContent::of_targets(site, &targets);
        targets.sort_by_cached_key(|target| indexed_language(target).unwrap_or(languages.len()));
        let (indexed_targets, rest) =
            targets.split_at(targets.partition_point(|t| indexed_language(t).is_some()));
        let mut counts = PageCounts::new();
        for page in site.pages() {
            *counts.entry(page.doc.lang.clone()).or_default() += 1;
        }
        let mut indexed = vec![0; languages.len()];
        for target in indexed_targets {
            if let Some(at) = indexed_language(target) {
                indexed[at] += 1;
            }
        }
        let pending: Vec<(AtomicUsize, Mutex<Vec<SearchPage>>)> = indexed
            .into_iter()
            .map(|count| (AtomicUsize::new(count), Mutex::default()))
            .collect();
        let index_problems: Mutex<Vec<Error>> = Mutex::default();
        let hand_over = |lang: &str, pages: Vec<SearchPage>| {
            if let Err(e) = rendered(lang, pages) {
                index_problems
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(e);
            }
        };
        // A language without pages still gets its (empty) index.
        for (lang, (left, _)) in languages.iter().zip(&pending) {
            if left.load(Ordering::Relaxed) == 0 {
                hand_over(lang, Vec::new());
            }
        }
        // A language's index is a task of its own: the thread that rendered its last page
        // goes on rendering while another builds it, and the other targets start as soon as
        // the last indexed page has rendered, not when the index of the language before it
        // is done (a core idled for 0.4 s of the 10000-page build).
        let (pages_rendered, rest_rendered) = rayon::scope(|scope| {
            let hand_over = &hand_over;
            let pages_rendered = self.render_each(indexed_targets, &shown, sink, &|extract| {
                let Some(at) = indexed_language(&extract.target) else {
                    return Ok(None::<()>);
                };
                let (left, pages) = &pending[at];
                let mut pages = pages.lock().unwrap_or_else(|e| e.into_inner());
                pages.extend(extract.search);
                // Decremented under the lock, so the last page sees every other page's push.
                if left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    let all = std::mem::take(&mut *pages);
                    drop(pages);
                    let lang = languages[at];
                    scope.spawn(move |_| hand_over(lang, all));
                }
                Ok(None)
            });
            let rest_rendered = self.render_each(rest, &shown, sink, &|_| Ok(None::<()>));
            (pages_rendered, rest_rendered)
        });
        let index_problems = index_problems
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        all_problems(
            [pages_rendered.map(drop), rest_rendered.map(drop)]
                .into_iter()
                .chain(index_problems.into_iter().map(Err)),
        )?;
        Ok(counts)
    }

    /// Renders the given targets into `sink`, in parallel; all problems are reported together.
    /// Returns what the pages among them leave besides their files. The caller has checked
    /// the site's output paths ([`Renderer::check_output_paths`]) since they last changed.
    pub fn render_targets(&self, targets: &[Target], sink: &Sink<'_>) -> Result<Vec<Extract>> {
        let shown = ShownContent::of_targets(self.site, targets);
        self.render_each(targets, &shown, sink, &|extract| Ok(Some(extract)))
    }

    /// Refuses a site where a page, alias or event file would collide with another output:
    /// written, one would replace the other or fail halfway through the build. Looks at every
    /// output, so watch mode runs it only when outputs come, go or move.
    pub fn check_output_paths(&self) -> Result<()> {
        let clashes = self.output_clashes();
        match clashes.is_empty() {
            true => Ok(()),
            false => Err(Error::invalid(clashes)),
        }
    }

    /// Renders `targets` into `sink` in parallel and returns what `extracted` keeps of each
    /// one's extract, in target order; every problem is reported together.
    fn render_each<T: Send>(
        &self,
        targets: &[Target],
        shown: &ShownContent,
        sink: &Sink<'_>,
        extracted: &Extracted<'_, T>,
    ) -> Result<Vec<T>> {
        let mut problems = self.missing_templates(targets);
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        // Computed here, before the pages render in parallel: a render thread waiting for
        // them could be handed another page that waits for them too.
        if targets.iter().any(|t| matches!(t, Target::Page(_))) {
            self.related();
        }
        // One target per task: `extracted` can build a whole language's index (a tenth of a
        // second) on the thread that rendered the language's last page, and the targets that
        // thread had queued must stay free for the other threads to take meanwhile.
        // Once the output fails (a full disk), the rest is not rendered: the build stops with
        // that one error instead of one per file.
        let output_failed = AtomicBool::new(false);
        let results: Vec<Result<Option<T>>> = targets
            .par_iter()
            .with_max_len(1)
            .map(|&target| {
                if output_failed.load(Ordering::Relaxed) {
                    return Ok(None);
                }
                let (output, extract) = self
                    .render(target, shown)
                    .map_err(|p| Error::Invalid(Diagnostics(p)))?;
                let kept = sink(output).and_then(|()| extracted(extract));
                if kept
                    .as_ref()
                    .is_err_and(|e| !matches!(e, Error::Invalid(_)))
                {
                    output_failed.store(true, Ordering::Relaxed);
                }
                kept
            })
            .collect();
        let mut kept = Vec::new();
        for result in results {
            match result {
                Ok(extract) => kept.extend(extract),
                Err(Error::Invalid(found)) => problems.extend(found.0),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        Ok(kept)
    }

    fn missing_templates(&self, targets: &[Target]) -> Vec<Diagnostic> {
        targets
            .iter()
            .filter_map(|target| match target {
                Target::Page(id) => Some(self.site.page(*id)),
                _ => None,
            })
            .filter(|page| !self.compiled.templates.contains(&page.template))
            .map(|page| {
                let diagnostic = Diagnostic::new(
                    &page.doc.file,
                    format!("template `{}` not found (in the site's templates/, the theme, or helpdeck's built-ins)", page.template),
                );
                match &page.doc.meta.template {
                    Some(t) => diagnostic.at_line(t.line).quoting(format!("template = \"{}\"", t.value)),
                    None => diagnostic,
                }
            })
            .collect()
    }

    /// One finished file, and what it leaves besides.
    fn render(
        &self,
        target: Target,
        shown: &ShownContent,
    ) -> std::result::Result<(Output, Extract), Vec<Diagnostic>> {
        let (rendered, reads) = match self.records_reads {
            true => reads::record(|| self.render_target(target, shown)),
            false => (self.render_target(target, shown), Vec::new()),
        };
        let (output, search) = rendered?;
        let extract = Extract {
            target,
            path: output.path.clone(),
            reads,
            search,
        };
        Ok((output, extract))
    }

    fn render_target(
        &self,
        target: Target,
        shown: &ShownContent,
    ) -> std::result::Result<(Output, Option<SearchPage>), Vec<Diagnostic>> {
        let path = self.output_path(target);
        let (bytes, search) = match target {
            Target::Page(id) => self.render_page(id, shown)?,
            Target::File(file) => (self.render_site_file(file)?, None),
        };
        Ok((Output { path, bytes }, search))
    }
}

/// The moment the site is built at: now, or `SOURCE_DATE_EPOCH` (seconds since 1970) for a
/// reproducible build. Decides which notices and holidays are still to come.
pub fn build_moment() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// The folder of `lang`'s own files, relative to the output root: the root for the default
/// language, `lt/` for the others.
pub fn language_folder(site: &Site, lang: &str) -> PathBuf {
    let mut folder = PathBuf::new();
    if lang != site.config.default_language {
        folder.push(lang);
    }
    folder
}

/// The link to a folder of the output (`lt/policy-updates` → `/lt/policy-updates/`).
fn folder_url(site: &Site, folder: &std::path::Path) -> String {
    let segments: Vec<String> = folder
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    crate::resolve::urls::url_from_segments(&site.config.base_path, &segments)
}

/// A language's UI strings: key → text.
type UiStrings = BTreeMap<String, String>;

/// UI strings for `lang`: the language's own, then its base language (`pt` for `pt-BR`), the
/// site's default language and English fill the gaps; config overrides win.
fn ui_strings(site: &Site, theme: &Theme, lang: &str) -> UiStrings {
    let base = lang.split('-').next().unwrap_or(lang);
    let mut strings = BTreeMap::new();
    for tag in ["en", site.config.default_language.as_str(), base, lang] {
        if let Some(table) = theme.strings.get(tag) {
            strings.extend(table.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    if let Some(language) = site.config.language(lang) {
        strings.extend(
            language
                .settings
                .strings
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
    }
    strings
}
