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
pub mod markdown;
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
    /// The `@/` links of the file's Markdown, as written: it changes when their targets move.
    pub links: Vec<String>,
}

/// One file the renderer can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Page(PageId),
    /// The 404 page of the language at this index of the config's languages.
    NotFound(usize),
    /// The redirect page of the alias at this index of [`Site::aliases`].
    Alias(usize),
    Sitemap,
    Robots,
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
                links: Vec::new(),
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
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &Theme, compiled: &'a CompiledTheme) -> Renderer<'a> {
        let mut shared = BTreeMap::new();
        for language in &site.config.languages {
            let lang = language.tag.as_str();
            let mut cx = tera::Context::new();
            cx.insert("lang", lang);
            cx.insert("dir", &language.direction);
            cx.insert("site", &context::site_context(site, lang));
            cx.insert("t", &ui_strings(site, theme, lang));
            cx.insert("assets", &compiled.asset_urls);
            cx.insert("data", &site.data);
            cx.insert(
                "home_url",
                &site.home(lang).map_or_else(
                    || format!("{}/", site.config.base_path),
                    |h| site.pages[h].url.clone(),
                ),
            );
            cx.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
            shared.insert(language.tag.clone(), cx);
        }
        Renderer {
            site,
            compiled,
            shared,
        }
    }

    /// Every file the site consists of (theme assets included; static files are not rendered).
    pub fn targets(&self) -> Vec<Target> {
        let site = self.site;
        (0..site.pages.len())
            .map(Target::Page)
            .chain((0..site.config.languages.len()).map(Target::NotFound))
            .chain((0..site.aliases.len()).map(Target::Alias))
            .chain([Target::Sitemap, Target::Robots])
            .chain((0..self.compiled.assets.len()).map(Target::Asset))
            .collect()
    }

    /// Where a target is written, relative to the output root.
    pub fn output_path(&self, target: Target) -> PathBuf {
        let site = self.site;
        match target {
            Target::Page(id) => site.pages[id].output_path.clone(),
            Target::NotFound(index) => {
                let language = &site.config.languages[index];
                let mut path = PathBuf::new();
                if language.tag != site.config.default_language {
                    path.push(&language.tag);
                }
                path.join("404.html")
            }
            Target::Alias(index) => site.aliases[index].output_path.clone(),
            Target::Sitemap => PathBuf::from("sitemap.xml"),
            Target::Robots => PathBuf::from("robots.txt"),
            Target::Asset(index) => self.compiled.assets[index].path.clone(),
        }
    }

    /// Renders every output of the site into `sink`.
    pub fn render_all(&self, sink: &Sink<'_>) -> Result<PageCounts> {
        self.render_targets(&self.targets(), sink)?;
        let mut counts = PageCounts::new();
        for page in &self.site.pages {
            *counts.entry(page.doc.lang.clone()).or_default() += 1;
        }
        Ok(counts)
    }

    /// Renders the given targets into `sink`, in parallel; all problems are reported together.
    pub fn render_targets(&self, targets: &[Target], sink: &Sink<'_>) -> Result<()> {
        let missing = self.missing_templates(targets);
        if !missing.is_empty() {
            return Err(Error::invalid(missing));
        }
        let problems: Vec<Diagnostic> = targets
            .par_iter()
            .map(|&target| {
                let output = self.render(target)?;
                sink(output).map_err(|e| vec![io_diagnostic(e)])
            })
            .filter_map(std::result::Result::err)
            .flatten()
            .collect();
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        Ok(())
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

    /// One finished file.
    pub fn render(&self, target: Target) -> std::result::Result<Output, Vec<Diagnostic>> {
        let path = self.output_path(target);
        let (bytes, links) = match target {
            Target::Page(id) => self.render_page(id)?,
            Target::NotFound(index) => (self.render_not_found(index)?, Vec::new()),
            Target::Alias(index) => (self.render_alias(index)?, Vec::new()),
            Target::Sitemap => {
                let mut cx = tera::Context::new();
                cx.insert("entries", &sitemap_entries(self.site));
                (
                    self.compiled
                        .templates
                        .render("sitemap.xml", &cx)?
                        .into_bytes(),
                    Vec::new(),
                )
            }
            Target::Robots => {
                let mut cx = tera::Context::new();
                cx.insert(
                    "sitemap_url",
                    &format!("{}/sitemap.xml", self.site.config.base_url),
                );
                (
                    self.compiled
                        .templates
                        .render("robots.txt", &cx)?
                        .into_bytes(),
                    Vec::new(),
                )
            }
            Target::Asset(index) => (self.compiled.assets[index].bytes.clone(), Vec::new()),
        };
        Ok(Output { path, bytes, links })
    }

    fn render_page(
        &self,
        id: PageId,
    ) -> std::result::Result<(Vec<u8>, Vec<String>), Vec<Diagnostic>> {
        let site = self.site;
        let page = &site.pages[id];
        let (rendered, links) = self.markdown(page)?;
        let mut cx = self.shared[&page.doc.lang].clone();
        cx.insert("nav", &context::nav(site, &page.doc.lang, Some(id)));
        cx.insert("translations", &context::translations(site, page));
        cx.insert("alternates", &context::alternates(site, page));
        match page.role {
            Role::Page => cx.insert("page", &context::page_context(site, page, rendered)),
            Role::Section | Role::Home => {
                if page.role == Role::Home {
                    cx.insert("categories", &context::categories(site, page));
                }
                cx.insert("section", &context::section_context(site, page, rendered));
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
        Ok((html.into_bytes(), links))
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

    fn render_not_found(&self, index: usize) -> std::result::Result<Vec<u8>, Vec<Diagnostic>> {
        let language = &self.site.config.languages[index];
        let mut cx = self.shared[&language.tag].clone();
        cx.insert("nav", &context::nav(self.site, &language.tag, None));
        cx.insert("translations", &Vec::<()>::new());
        cx.insert("alternates", &Vec::<()>::new());
        Ok(self
            .compiled
            .templates
            .render("404.html", &cx)?
            .into_bytes())
    }

    fn render_alias(&self, index: usize) -> std::result::Result<Vec<u8>, Vec<Diagnostic>> {
        let site = self.site;
        let target = &site.pages[site.aliases[index].target];
        let mut cx = self.shared[&target.doc.lang].clone();
        cx.insert("target", &site.permalink(target));
        cx.insert("title", &target.doc.meta.title);
        Ok(self
            .compiled
            .templates
            .render("alias.html", &cx)?
            .into_bytes())
    }
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
