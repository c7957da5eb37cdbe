//! Render: Markdown and templates to finished output files.
//!
//! Owns the Tera environment, the template context, hashed theme assets and the minifier.
//! Takes the resolved [`Site`] and hands each finished file to a sink the caller provides, so
//! the same rendering serves `build` (files on disk) and `serve` (only the files whose inputs
//! changed, see [`dependencies`]). Files are rendered in parallel; the problems of all pages
//! are reported together.

pub mod context;
pub mod dependencies;
pub mod facts;
pub mod highlight;
pub mod history;
pub mod hosting;
pub mod locale;
pub mod markdown;
mod output_paths;
pub mod shortcodes;
mod shown;
pub mod structured_data;
pub mod templates;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::Theme;
use crate::relate;
use crate::resolve::{Page, PageId, Role, Site};
use markdown::MarkdownInput;
use templates::Templates;

/// A finished file, relative to the output root.
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// One file the renderer can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Page(PageId),
    /// The 404 page of the language at this index of the config's languages.
    NotFound(usize),
    /// The search page of the language at this index (when the theme has `search.html`).
    SearchPage(usize),
    /// The "Policy updates" page of the language at this index (when its policies have
    /// changes).
    PolicyUpdates(usize),
    /// That page's Atom feed.
    PolicyFeed(usize),
    /// The redirect page of the alias at this index of [`Site::aliases`].
    Alias(usize),
    Sitemap,
    Robots,
    /// Netlify/Cloudflare `_redirects` and `_headers`.
    Redirects,
    Headers,
    /// The theme asset at this index of [`CompiledTheme`]'s assets.
    Asset(usize),
}

/// How theme assets are named in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetNames {
    /// `style.1a2b3c4d5e6f.css`: hosts and browsers may cache them for ever.
    Hashed,
    /// `style.css`: a stylesheet edit in watch mode changes that one file, not every page
    /// linking to it, and the browser swaps it in place.
    Plain,
}

/// What rendering a page leaves besides its file.
pub struct PageExtract {
    pub path: PathBuf,
    pub uses: Uses,
    pub search: Option<SearchPage>,
}

/// What a page's Markdown drew on besides its own text, found only by rendering it: the page
/// changes when any of these does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// The `@/` links, as written: the page shows their targets' URLs.
    pub links: Vec<String>,
    /// The keys of the facts it inserts.
    pub facts: Vec<String>,
    /// The template shortcodes it calls (`note`, a site's own).
    pub shortcodes: Vec<String>,
}

/// Receives finished files; called from several threads.
pub type Sink<'a> = dyn Fn(Output) -> Result<()> + Sync + 'a;

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

/// Whether a page's text goes into its language's search index: not homes, fallbacks (the
/// original is indexed in its own language), drafts or pages with `search = false`.
fn is_indexed(page: &Page) -> bool {
    let meta = &page.doc.meta;
    page.role != Role::Home && page.fallback_of.is_none() && !meta.draft && meta.search
}

/// A page's Markdown rendered, with what it drew on: what `check` inspects, and what a page
/// is rendered from.
#[derive(Clone)]
pub struct Content {
    pub markdown: markdown::RenderedMarkdown,
    pub facts: Vec<shortcodes::FactUse>,
    /// The template shortcodes it calls.
    pub shortcodes: Vec<String>,
    /// The `@/` links of the Markdown, as written.
    pub links: Vec<String>,
    /// Neither shortcodes nor `@/` links: the HTML is the same whatever the page's language.
    pub same_in_every_language: bool,
}

/// A page's text as the search index needs it: one section per heading or question.
#[derive(Debug)]
pub struct SearchPage {
    pub lang: String,
    pub url: String,
    pub title: String,
    pub kind: &'static str,
    /// The title of the section the page is in, shown beside a result.
    pub section: Option<String>,
    pub sections: Vec<markdown::TextSection>,
}

/// Told that every page of a language has rendered, with the language's searchable pages (not
/// drafts, not fallbacks, not `search = false`); called from a render thread.
pub type LanguageRendered<'a> = dyn Fn(&str, Vec<SearchPage>) -> Result<()> + Sync + 'a;

/// Given each rendered target and what it left, if it is a page; returns what to keep of it.
type Extracted<'a, T> = dyn Fn(Target, Option<PageExtract>) -> Result<Option<T>> + Sync + 'a;

/// The theme made ready to render: templates parsed (and minified) once, assets named. Kept
/// across rebuilds in watch mode, so a content edit does not recompile the templates.
pub struct CompiledTheme {
    pub templates: Templates,
    assets: Vec<Output>,
    /// Asset name (`style.css`) → its URL.
    asset_urls: BTreeMap<String, String>,
}

impl CompiledTheme {
    pub fn new(theme: &Theme, config: &Config, names: AssetNames) -> Result<CompiledTheme> {
        let templates = Templates::new(&theme.templates, &config.language_tags(), config.minify)
            .map_err(Error::invalid)?;
        let mut asset_urls = BTreeMap::new();
        let mut assets = Vec::new();
        let generated = (
            "highlight.css".to_string(),
            highlight::stylesheet().into_bytes(),
        );
        for (name, bytes) in theme
            .assets
            .iter()
            .map(|a| (a.name.clone(), a.bytes.clone()))
            .chain(std::iter::once(generated))
        {
            let published = match names {
                AssetNames::Hashed => hashed_name(&name, &bytes),
                AssetNames::Plain => name.clone(),
            };
            asset_urls.insert(
                name,
                format!(
                    "{}/assets/{}",
                    config.base_path,
                    published.replace('\\', "/")
                ),
            );
            assets.push(Output {
                path: Path::new("assets").join(&published),
                bytes,
            });
        }
        Ok(CompiledTheme {
            templates,
            assets,
            asset_urls,
        })
    }
}

/// Each page's related pages, best first, by page id.
pub type RelatedPages = Arc<Vec<Vec<PageId>>>;

pub struct Renderer<'a> {
    site: &'a Site,
    compiled: &'a CompiledTheme,
    facts: facts::Facts<'a>,
    /// Per language: the context values every page of that language shares.
    shared: BTreeMap<String, tera::Context>,
    /// Per language: the UI strings (also in `shared` as `t`).
    ui: BTreeMap<String, BTreeMap<String, String>>,
    /// Per language: the shop's Organization, for the home page's structured data.
    organizations: BTreeMap<String, serde_json::Value>,
    /// Computed when a page first needs them (`check` never does), or handed in by watch
    /// mode, which keeps what they are computed from between rebuilds.
    related: OnceLock<RelatedPages>,
    /// The Markdown of pages that fallbacks show, rendered once where it can be.
    shown: shown::ShownContent,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &Theme, compiled: &'a CompiledTheme) -> Renderer<'a> {
        let now = build_moment();
        let mut shared = BTreeMap::new();
        let mut ui = BTreeMap::new();
        let mut organizations = BTreeMap::new();
        for language in &site.config.languages {
            let lang = language.tag.as_str();
            let mut cx = tera::Context::new();
            cx.insert("lang", lang);
            cx.insert("dir", &language.direction);
            cx.insert("site", &context::site_context(site, lang, now));
            let strings = ui_strings(site, theme, lang);
            cx.insert("t", &strings);
            cx.insert("assets", &compiled.asset_urls);
            cx.insert("data", &site.data);
            let home_url = site.home(lang).map_or_else(
                || format!("{}/", site.config.base_path),
                |h| site.pages[h].url.clone(),
            );
            cx.insert(
                "search",
                &context::search_context(site, lang, &home_url, &strings),
            );
            ui.insert(language.tag.clone(), strings);
            cx.insert("home_url", &home_url);
            cx.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
            cx.insert("policy_updates", &history::links(site, lang));
            shared.insert(language.tag.clone(), cx);
            let today = now.to_zoned(site.config.contact_timezone.clone()).date();
            organizations.insert(
                language.tag.clone(),
                structured_data::organization(site, lang, today),
            );
        }
        Renderer {
            site,
            compiled,
            facts: facts::Facts::new(&site.data, &site.config.language_tags()),
            shared,
            ui,
            organizations,
            related: OnceLock::new(),
            shown: shown::ShownContent::new(site),
        }
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

    /// Every file the site consists of (theme assets included; static files are not rendered,
    /// the search index is built from what the pages leave).
    pub fn targets(&self) -> Vec<Target> {
        let site = self.site;
        let languages = 0..site.config.languages.len();
        let search_pages = match self.compiled.templates.contains("search.html") {
            true => languages.clone(),
            false => 0..0,
        };
        let with_updates: Vec<usize> = languages
            .clone()
            .filter(|&index| history::links(site, &site.config.languages[index].tag).is_some())
            .collect();
        (0..site.pages.len())
            .map(Target::Page)
            .chain(languages.map(Target::NotFound))
            .chain(search_pages.map(Target::SearchPage))
            .chain(
                with_updates
                    .iter()
                    .flat_map(|&index| [Target::PolicyUpdates(index), Target::PolicyFeed(index)]),
            )
            .chain((0..site.aliases.len()).map(Target::Alias))
            .chain([
                Target::Sitemap,
                Target::Robots,
                Target::Redirects,
                Target::Headers,
            ])
            .chain((0..self.compiled.assets.len()).map(Target::Asset))
            .collect()
    }

    /// Where a target is written, relative to the output root.
    pub fn output_path(&self, target: Target) -> PathBuf {
        let site = self.site;
        let language_folder = |index: usize| {
            let language = &site.config.languages[index];
            let mut path = PathBuf::new();
            if language.tag != site.config.default_language {
                path.push(&language.tag);
            }
            path
        };
        match target {
            Target::Page(id) => site.pages[id].output_path.clone(),
            Target::NotFound(index) => language_folder(index).join("404.html"),
            Target::SearchPage(index) => language_folder(index).join("search").join("index.html"),
            Target::PolicyUpdates(index) => {
                history::folder(site, &site.config.languages[index].tag).join("index.html")
            }
            Target::PolicyFeed(index) => {
                history::folder(site, &site.config.languages[index].tag).join("atom.xml")
            }
            Target::Alias(index) => site.aliases[index].output_path.clone(),
            Target::Sitemap => PathBuf::from("sitemap.xml"),
            Target::Robots => PathBuf::from("robots.txt"),
            Target::Redirects => PathBuf::from("_redirects"),
            Target::Headers => PathBuf::from("_headers"),
            Target::Asset(index) => self.compiled.assets[index].path.clone(),
        }
    }

    /// Renders every output of the site into `sink`, the pages of `languages` first and in that
    /// order. When the last page of a language has rendered, that thread hands the language's
    /// searchable pages to `rendered`: its search index is then built while other languages
    /// still render, instead of every index waiting for every page.
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
            Target::Page(id) if is_indexed(&site.pages[*id]) => position(&site.pages[*id].doc.lang),
            _ => None,
        };
        // Indexed pages render first, language by language. Every other target (fallbacks,
        // homes, aliases, the sitemap…) renders beside the last language's index, which would
        // otherwise be built with nothing else left to do.
        let mut targets = self.targets();
        self.refuse_clashing_paths(&targets)?;
        targets.sort_by_cached_key(|target| indexed_language(target).unwrap_or(languages.len()));
        let (indexed_targets, rest) =
            targets.split_at(targets.partition_point(|t| indexed_language(t).is_some()));
        let mut counts = PageCounts::new();
        for page in &site.pages {
            *counts.entry(page.doc.lang.clone()).or_default() += 1;
        }
        let mut indexed = vec![0; languages.len()];
        for target in indexed_targets {
            if let Some(at) = indexed_language(target) {
                indexed[at] += 1;
            }
        }
        let languages_left = AtomicUsize::new(indexed.iter().filter(|&&n| n > 0).count());
        let pending: Vec<(AtomicUsize, Mutex<Vec<SearchPage>>)> = indexed
            .into_iter()
            .map(|count| (AtomicUsize::new(count), Mutex::default()))
            .collect();
        let hand_over = |lang: &str, pages: Vec<SearchPage>| rendered(lang, pages);
        // A language without pages still gets its (empty) index.
        for (lang, (left, _)) in languages.iter().zip(&pending) {
            if left.load(Ordering::Relaxed) == 0 {
                hand_over(lang, Vec::new())?;
            }
        }
        let last: Mutex<Option<(usize, Vec<SearchPage>)>> = Mutex::default();
        let pages_rendered = self.render_each(indexed_targets, sink, &|target, extract| {
            let Some(at) = indexed_language(&target) else {
                return Ok(None::<()>);
            };
            let (left, pages) = &pending[at];
            let mut pages = pages.lock().unwrap_or_else(|e| e.into_inner());
            pages.extend(extract.and_then(|e| e.search));
            // Decremented under the lock, so the last page sees every other page's push.
            if left.fetch_sub(1, Ordering::AcqRel) == 1 {
                let all = std::mem::take(&mut *pages);
                drop(pages);
                if languages_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    *last.lock().unwrap_or_else(|e| e.into_inner()) = Some((at, all));
                } else {
                    hand_over(languages[at], all)?;
                }
            }
            Ok(None)
        });
        let last = last.into_inner().unwrap_or_else(|e| e.into_inner());
        let (last_indexed, rest_rendered) = rayon::join(
            || last.map_or(Ok(()), |(at, all)| hand_over(languages[at], all)),
            || self.render_each(rest, sink, &|_, _| Ok(None::<()>)),
        );
        all_problems([
            pages_rendered.map(drop),
            last_indexed,
            rest_rendered.map(drop),
        ])?;
        Ok(counts)
    }

    /// Renders the given targets into `sink`, in parallel; all problems are reported together.
    /// Returns what the pages among them leave besides their files.
    pub fn render_targets(&self, targets: &[Target], sink: &Sink<'_>) -> Result<Vec<PageExtract>> {
        self.refuse_clashing_paths(targets)?;
        self.render_each(targets, sink, &|_, extract| Ok(extract))
    }

    /// Refuses to render when a page or alias among `targets` would collide with another
    /// output: written, one would replace the other or fail halfway through the build.
    fn refuse_clashing_paths(&self, targets: &[Target]) -> Result<()> {
        let from_user = |t: &Target| matches!(t, Target::Page(_) | Target::Alias(_));
        if !targets.iter().any(from_user) {
            return Ok(());
        }
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
                    .render(target)
                    .map_err(|p| Error::Invalid(Diagnostics(p)))?;
                let kept = sink(output).and_then(|()| extracted(target, extract));
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
                Target::Page(id) => Some(&self.site.pages[*id]),
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

    /// One finished file, and for a page what it leaves besides.
    pub fn render(
        &self,
        target: Target,
    ) -> std::result::Result<(Output, Option<PageExtract>), Vec<Diagnostic>> {
        let site = self.site;
        let templates = &self.compiled.templates;
        let path = self.output_path(target);
        let simple =
            |name: &str, cx: &tera::Context| -> std::result::Result<Vec<u8>, Vec<Diagnostic>> {
                templates.render_file(name, cx)
            };
        let bytes = match target {
            Target::Page(id) => {
                let (bytes, extract) = self.render_page(id)?;
                return Ok((Output { path, bytes }, Some(extract)));
            }
            Target::NotFound(index) => simple("404.html", &self.language_page_context(index))?,
            Target::SearchPage(index) => simple("search.html", &self.language_page_context(index))?,
            Target::PolicyUpdates(index) => {
                let lang = &site.config.languages[index].tag;
                simple("policy_updates.html", &self.policy_updates_context(lang))?
            }
            Target::PolicyFeed(index) => {
                let lang = &site.config.languages[index].tag;
                simple("atom.xml", &self.policy_feed_context(lang))?
            }
            Target::Alias(index) => {
                let target = &site.pages[site.aliases[index].target];
                let mut cx = self.shared[&target.doc.lang].clone();
                cx.insert("target", &site.permalink(target));
                cx.insert("title", &target.doc.meta.title);
                simple("alias.html", &cx)?
            }
            Target::Sitemap => {
                let mut cx = tera::Context::new();
                cx.insert("entries", &sitemap_entries(site));
                simple("sitemap.xml", &cx)?
            }
            Target::Robots => {
                let mut cx = tera::Context::new();
                cx.insert(
                    "sitemap_url",
                    &format!("{}/sitemap.xml", site.config.base_url),
                );
                simple("robots.txt", &cx)?
            }
            Target::Redirects => {
                let mut cx = tera::Context::new();
                cx.insert("redirects", &hosting::redirects(site));
                simple("_redirects", &cx)?
            }
            Target::Headers => {
                let mut cx = tera::Context::new();
                cx.insert("immutable", &hosting::immutable_paths(site));
                cx.insert("revalidated", &hosting::revalidated_paths(site));
                simple("_headers", &cx)?
            }
            Target::Asset(index) => self.compiled.assets[index].bytes.clone(),
        };
        Ok((Output { path, bytes }, None))
    }

    /// The context of a language's 404 and search pages: no page of their own.
    fn language_page_context(&self, index: usize) -> tera::Context {
        let language = &self.site.config.languages[index];
        let mut cx = self.shared[&language.tag].clone();
        cx.insert("nav", &context::nav(self.site, &language.tag, None));
        cx.insert("translations", &Vec::<()>::new());
        cx.insert("alternates", &Vec::<()>::new());
        cx
    }

    fn render_page(
        &self,
        id: PageId,
    ) -> std::result::Result<(Vec<u8>, PageExtract), Vec<Diagnostic>> {
        let site = self.site;
        let page = &site.pages[id];
        let Content {
            markdown: mut rendered,
            facts,
            shortcodes,
            links,
            ..
        } = self.shown.content(page.fallback_of.unwrap_or(id), || {
            self.content_for(id, false)
        })?;
        let search = self.search_page(page, std::mem::take(&mut rendered.sections));
        let mut cx = self.shared[&page.doc.lang].clone();
        cx.insert("nav", &context::nav(site, &page.doc.lang, Some(id)));
        cx.insert("translations", &context::translations(site, page));
        cx.insert("alternates", &context::alternates(site, page));
        match page.role {
            Role::Page => cx.insert(
                "page",
                &context::page_context(site, page, rendered, &self.related()[id]),
            ),
            Role::Section | Role::Home => {
                let mut section = context::section_context(site, page, rendered);
                if page.role == Role::Home {
                    cx.insert("categories", &context::categories(site, page));
                    section
                        .jsonld
                        .push(self.organizations[&page.doc.lang].clone());
                }
                cx.insert("section", &section);
            }
        }
        let html = self
            .compiled
            .templates
            .render_file(&page.template, &cx)
            .map_err(|mut problems| {
                for p in &mut problems {
                    p.message = format!("{} (rendering {})", p.message, page.doc.file.display());
                }
                problems
            })?;
        let extract = PageExtract {
            path: page.output_path.clone(),
            uses: Uses {
                links,
                facts: facts.into_iter().map(|f| f.key).collect(),
                shortcodes,
            },
            search,
        };
        Ok((html, extract))
    }

    fn search_page(&self, page: &Page, sections: Vec<markdown::TextSection>) -> Option<SearchPage> {
        if !is_indexed(page) {
            return None;
        }
        let meta = &page.doc.meta;
        let mut sections = sections;
        // The key facts box is the first thing a buyer reads on a policy: search it too.
        if !meta.summary.is_empty() {
            let facts = meta.summary.join(" ");
            match sections.first_mut() {
                Some(intro) if intro.anchor.is_none() => {
                    intro.text = format!("{facts} {}", intro.text);
                }
                _ => sections.insert(
                    0,
                    markdown::TextSection {
                        text: facts,
                        ..Default::default()
                    },
                ),
            }
        }
        Some(SearchPage {
            lang: page.doc.lang.clone(),
            url: page.url.clone(),
            title: meta.title.clone(),
            kind: match page.role {
                Role::Page => page.kind.as_str(),
                _ => "section",
            },
            section: page
                .parent
                .filter(|&p| self.site.pages[p].role == Role::Section)
                .map(|p| self.site.pages[p].doc.meta.title.clone()),
            sections,
        })
    }

    /// The page's Markdown with its shortcodes, rendered to HTML, with what `check` reads of
    /// it besides.
    pub fn content(&self, id: PageId) -> std::result::Result<Content, Vec<Diagnostic>> {
        self.content_for(id, true)
    }

    /// The one Markdown path of pages, for `build`, `serve` and (`for_check`) `check`.
    fn content_for(
        &self,
        id: PageId,
        for_check: bool,
    ) -> std::result::Result<Content, Vec<Diagnostic>> {
        let site = self.site;
        let page = &site.pages[id];
        let shortcodes = shortcodes::Shortcodes {
            templates: &self.compiled.templates,
            context: &self.shared[&page.doc.lang],
            facts: &self.facts,
            lang: &page.doc.lang,
        };
        let expanded = shortcodes.expand(&page.doc.file, &page.doc.body, page.doc.body_line)?;
        let input = MarkdownInput {
            file: &page.doc.file,
            body: &expanded.markdown,
            body_line: page.doc.body_line,
            questions: page.role == Role::Page && page.kind.has_questions(),
            trust_html: site.config.markdown.trust_html,
            smart_punctuation: site.config.markdown.smart_punctuation,
            reserved_ids: RESERVED_IDS,
            fragments: &expanded.fragments,
            for_check,
        };
        // Watch mode re-renders the page when what its links resolve to changes.
        let links = RefCell::new(Vec::new());
        let markdown = markdown::render(&input, &|path| {
            links.borrow_mut().push(path.to_string());
            site.link_target(path, &page.doc.lang)
                .map(|id| site.pages[id].url.clone())
        })?;
        let links = links.into_inner();
        Ok(Content {
            markdown,
            same_in_every_language: matches!(expanded.markdown, Cow::Borrowed(_))
                && links.is_empty(),
            facts: expanded.facts,
            shortcodes: expanded.shortcodes,
            links,
        })
    }

    /// The context of a language's "Policy updates" page: a listing of its own, switching to
    /// the other languages' updates pages.
    fn policy_updates_context(&self, lang: &str) -> tera::Context {
        let site = self.site;
        let mut cx = self.shared[lang].clone();
        let Some(links) = history::links(site, lang) else {
            return cx;
        };
        let title = self.policy_updates_title(lang);
        let permalink = format!("{}{}", site.origin(), links.page_url);
        let others: Vec<(&str, HistoryPage)> = site
            .config
            .languages
            .iter()
            .filter_map(|l| Some((l.tag.as_str(), history::links(site, &l.tag)?)))
            .map(|(tag, l)| {
                (
                    tag,
                    HistoryPage {
                        href: format!("{}{}", site.origin(), l.page_url),
                        url: l.page_url,
                    },
                )
            })
            .collect();
        let translations: Vec<context::TranslationLink<'_>> = others
            .iter()
            .map(|(tag, page)| context::TranslationLink {
                lang: tag,
                fallback: false,
                name: context::language_name(&site.config, tag),
                title,
                url: &page.url,
                current: *tag == lang,
            })
            .collect();
        let alternates: Vec<context::Alternate> = others
            .iter()
            .map(|(tag, page)| context::Alternate {
                lang: tag.to_string(),
                href: page.href.clone(),
            })
            .collect();
        cx.insert("nav", &context::nav(site, lang, None));
        cx.insert("translations", &translations);
        cx.insert(
            "alternates",
            if alternates.len() > 1 {
                &alternates[..]
            } else {
                &[]
            },
        );
        cx.insert(
            "section",
            &serde_json::json!({
                "title": title,
                "url": links.page_url,
                "permalink": permalink,
                "canonical": permalink,
                "jsonld": [],
            }),
        );
        cx.insert("updates", &history::updates(site, lang));
        cx
    }

    /// The context of a language's policy updates feed.
    fn policy_feed_context(&self, lang: &str) -> tera::Context {
        let site = self.site;
        let mut feed = tera::Context::new();
        let Some(links) = history::links(site, lang) else {
            return feed;
        };
        let updates = history::updates(site, lang);
        let title = self.policy_updates_title(lang);
        feed.insert("lang", lang);
        let site_title = context::site_title(&site.config, lang);
        feed.insert("title", &format!("{site_title} · {title}"));
        feed.insert("site_title", site_title);
        feed.insert("feed_url", &format!("{}{}", site.origin(), links.feed_url));
        feed.insert("page_url", &format!("{}{}", site.origin(), links.page_url));
        feed.insert(
            "updated",
            &updates
                .first()
                .map(|u| u.updated.clone())
                .unwrap_or_default(),
        );
        feed.insert("updates", &updates);
        feed.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
        feed
    }

    fn policy_updates_title(&self, lang: &str) -> &str {
        self.ui[lang]
            .get("policy_updates")
            .map_or("Policy updates", String::as_str)
    }
}

/// Another language's updates page: its link, and its permalink for hreflang.
struct HistoryPage {
    url: String,
    href: String,
}

/// The moment the site is built at: now, or `SOURCE_DATE_EPOCH` (seconds since 1970) for a
/// reproducible build. Decides which notices and holidays are still to come.
fn build_moment() -> jiff::Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// `style.css` → `style.1a2b3c4d5e6f7a8b.css`.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    let short = &hash[..12];
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{short}.{ext}")
        }
        _ => format!("{name}.{short}"),
    }
}

/// UI strings for `lang`: the language's own, then its base language (`pt` for `pt-BR`), the
/// site's default language and English fill the gaps; config overrides win.
fn ui_strings(site: &Site, theme: &Theme, lang: &str) -> BTreeMap<String, String> {
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

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<context::Alternate>,
}

/// Translated pages only: a fallback repeats its original, which search engines should index
/// once, under its own language.
fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    site.pages
        .iter()
        .filter(|page| page.fallback_of.is_none())
        .map(|page| {
            let meta = &page.doc.meta;
            let alternates = context::alternates(site, page);
            SitemapEntry {
                loc: site.permalink(page),
                lastmod: meta
                    .updated
                    .as_ref()
                    .or(meta.date.as_ref())
                    .map(|d| d.date().to_string()),
                alternates,
            }
        })
        .collect()
}
