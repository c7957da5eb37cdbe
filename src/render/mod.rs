//! Render: Markdown and templates to finished output files.
//!
//! Owns the Tera environment, the template context, hashed theme assets and the minifier.
//! Takes the resolved [`Site`] and hands each finished file to a sink the caller provides, so
//! the same rendering serves `build` (files on disk) and `serve` (only the files whose inputs
//! changed, see [`dependencies`]). Files are rendered in parallel; the problems of all pages
//! are reported together.

pub mod context;
pub mod dependencies;
pub mod highlight;
pub mod hosting;
pub mod markdown;
pub mod structured_data;
pub mod templates;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::Theme;
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
    /// The `@/` links of its Markdown, as written: it changes when their targets move.
    pub links: Vec<String>,
    pub search: Option<SearchPage>,
}

/// Receives finished files; called from several threads.
pub type Sink<'a> = dyn Fn(Output) -> Result<()> + Sync + 'a;

/// Element ids the default theme uses; headings never take them.
const RESERVED_IDS: &[&str] = &[
    "main",
    "content",
    "search",
    "search-input",
    "top",
    "toc",
    "site-header",
    "site-footer",
];

/// Pages written per language, for the build summary.
pub type PageCounts = BTreeMap<String, usize>;

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

pub struct Rendered {
    pub counts: PageCounts,
    /// The searchable pages: not drafts, not fallbacks, not `search = false`.
    pub search: Vec<SearchPage>,
}

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

pub struct Renderer<'a> {
    site: &'a Site,
    compiled: &'a CompiledTheme,
    /// Per language: the context values every page of that language shares.
    shared: BTreeMap<String, tera::Context>,
    /// Per language: the shop's Organization, for the home page's structured data.
    organizations: BTreeMap<String, serde_json::Value>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &Theme, compiled: &'a CompiledTheme) -> Renderer<'a> {
        let now = build_moment();
        let mut shared = BTreeMap::new();
        let mut organizations = BTreeMap::new();
        for language in &site.config.languages {
            let lang = language.tag.as_str();
            let mut cx = tera::Context::new();
            cx.insert("lang", lang);
            cx.insert("dir", &language.direction);
            cx.insert("site", &context::site_context(site, lang, now));
            cx.insert("t", &ui_strings(site, theme, lang));
            cx.insert("assets", &compiled.asset_urls);
            cx.insert("data", &site.data);
            let home_url = site.home(lang).map_or_else(
                || format!("{}/", site.config.base_path),
                |h| site.pages[h].url.clone(),
            );
            cx.insert("search", &context::search_context(site, lang, &home_url));
            cx.insert("home_url", &home_url);
            cx.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
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
            shared,
            organizations,
        }
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
        (0..site.pages.len())
            .map(Target::Page)
            .chain(languages.map(Target::NotFound))
            .chain(search_pages.map(Target::SearchPage))
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
            Target::Alias(index) => site.aliases[index].output_path.clone(),
            Target::Sitemap => PathBuf::from("sitemap.xml"),
            Target::Robots => PathBuf::from("robots.txt"),
            Target::Redirects => PathBuf::from("_redirects"),
            Target::Headers => PathBuf::from("_headers"),
            Target::Asset(index) => self.compiled.assets[index].path.clone(),
        }
    }

    /// Renders every output of the site into `sink`.
    pub fn render_all(&self, sink: &Sink<'_>) -> Result<Rendered> {
        let extracts = self.render_targets(&self.targets(), sink)?;
        let search = extracts.into_iter().filter_map(|e| e.search).collect();
        let mut counts = PageCounts::new();
        for page in &self.site.pages {
            *counts.entry(page.doc.lang.clone()).or_default() += 1;
        }
        Ok(Rendered { counts, search })
    }

    /// Renders the given targets into `sink`, in parallel; all problems are reported together.
    /// Returns what the pages among them leave besides their files.
    pub fn render_targets(&self, targets: &[Target], sink: &Sink<'_>) -> Result<Vec<PageExtract>> {
        let missing = self.missing_templates(targets);
        if !missing.is_empty() {
            return Err(Error::invalid(missing));
        }
        let results: Vec<std::result::Result<Option<PageExtract>, Vec<Diagnostic>>> = targets
            .par_iter()
            .map(|&target| {
                let (output, extract) = self.render(target)?;
                sink(output).map_err(|e| vec![io_diagnostic(e)])?;
                Ok(extract)
            })
            .collect();
        let mut extracts = Vec::new();
        let mut problems = Vec::new();
        for result in results {
            match result {
                Ok(extract) => extracts.extend(extract),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        Ok(extracts)
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
                Ok(templates.render(name, cx)?.into_bytes())
            };
        let bytes = match target {
            Target::Page(id) => {
                let (bytes, extract) = self.render_page(id)?;
                return Ok((Output { path, bytes }, Some(extract)));
            }
            Target::NotFound(index) => simple("404.html", &self.language_page_context(index))?,
            Target::SearchPage(index) => simple("search.html", &self.language_page_context(index))?,
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
        let (mut rendered, links) = self.markdown(page)?;
        let search = self.search_page(page, std::mem::take(&mut rendered.sections));
        let mut cx = self.shared[&page.doc.lang].clone();
        cx.insert("nav", &context::nav(site, &page.doc.lang, Some(id)));
        cx.insert("translations", &context::translations(site, page));
        cx.insert("alternates", &context::alternates(site, page));
        match page.role {
            Role::Page => cx.insert("page", &context::page_context(site, page, rendered)),
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
            .render(&page.template, &cx)
            .map_err(|mut problems| {
                for p in &mut problems {
                    p.message = format!("{} (rendering {})", p.message, page.doc.file.display());
                }
                problems
            })?;
        let extract = PageExtract {
            path: page.output_path.clone(),
            links,
            search,
        };
        Ok((html.into_bytes(), extract))
    }

    fn search_page(&self, page: &Page, sections: Vec<markdown::TextSection>) -> Option<SearchPage> {
        let meta = &page.doc.meta;
        if page.role == Role::Home || page.fallback_of.is_some() || meta.draft || !meta.search {
            return None;
        }
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

    /// The page's Markdown as HTML, and its `@/` links.
    fn markdown(
        &self,
        page: &Page,
    ) -> std::result::Result<(markdown::RenderedMarkdown, Vec<String>), Vec<Diagnostic>> {
        let site = self.site;
        let input = MarkdownInput {
            file: &page.doc.file,
            body: &page.doc.body,
            body_line: page.doc.body_line,
            questions: page.role == Role::Page && page.kind.has_questions(),
            trust_html: site.config.markdown.trust_html,
            smart_punctuation: site.config.markdown.smart_punctuation,
            reserved_ids: RESERVED_IDS,
        };
        let links = std::cell::RefCell::new(Vec::new());
        let rendered = markdown::render(&input, &|path| {
            links.borrow_mut().push(path.to_string());
            site.link_target(path, &page.doc.lang)
                .map(|id| site.pages[id].url.clone())
        })?;
        Ok((rendered, links.into_inner()))
    }
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

fn io_diagnostic(error: Error) -> Diagnostic {
    Diagnostic::new("output", error.to_string())
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
