//! Render: Markdown and templates to finished output files.
//!
//! Owns the Tera environment, the template context, hashed theme assets and the minifier.
//! Takes the resolved [`Site`] and hands each finished file to a sink the caller provides, so
//! the same rendering serves `build` (files on disk) and later an in-memory server. Pages are
//! rendered in parallel; the problems of all pages are reported together.

pub mod context;
pub mod facts;
pub mod highlight;
pub mod history;
pub mod hosting;
pub mod locale;
pub mod markdown;
pub mod related;
pub mod shortcodes;
pub mod structured_data;
pub mod templates;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

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

/// A page's Markdown rendered, with the facts it used: what `check` inspects.
pub struct Content {
    pub markdown: markdown::RenderedMarkdown,
    pub facts: Vec<shortcodes::FactUse>,
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

pub struct Rendered {
    pub counts: PageCounts,
    /// The searchable pages: not drafts, not fallbacks, not `search = false`.
    pub search: Vec<SearchPage>,
}

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    facts: facts::Facts<'a>,
    asset_files: Vec<Output>,
    /// Per language: the context values every page of that language shares.
    shared: BTreeMap<String, tera::Context>,
    /// Per language: the UI strings (also in `shared` as `t`).
    ui: BTreeMap<String, BTreeMap<String, String>>,
    /// Per language: the shop's Organization, for the home page's structured data.
    organizations: BTreeMap<String, serde_json::Value>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &Theme) -> Result<Renderer<'a>> {
        let templates = Templates::new(
            &theme.templates,
            &site.config.language_tags(),
            site.config.minify,
        )
        .map_err(Error::invalid)?;
        let mut assets = BTreeMap::new();
        let mut asset_files = Vec::new();
        let generated = Output {
            path: PathBuf::from("highlight.css"),
            bytes: highlight::stylesheet().into_bytes(),
        };
        for (name, bytes) in theme
            .assets
            .iter()
            .map(|a| (a.name.clone(), a.bytes.clone()))
            .chain(std::iter::once((
                generated.path.to_string_lossy().into_owned(),
                generated.bytes,
            )))
        {
            let hashed = hashed_name(&name, &bytes);
            let path = Path::new("assets").join(&hashed);
            assets.insert(
                name,
                format!(
                    "{}/assets/{}",
                    site.config.base_path,
                    hashed.replace('\\', "/")
                ),
            );
            asset_files.push(Output { path, bytes });
        }
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
            ui.insert(language.tag.clone(), strings);
            cx.insert("assets", &assets);
            cx.insert("data", &site.data);
            let home_url = site.home(lang).map_or_else(
                || format!("{}/", site.config.base_path),
                |h| site.pages[h].url.clone(),
            );
            cx.insert("search", &context::search_context(site, lang, &home_url));
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
        Ok(Renderer {
            site,
            facts: facts::Facts::new(&site.data, &site.config.language_tags()),
            templates,
            asset_files,
            shared,
            ui,
            organizations,
        })
    }

    /// Renders every output of the site into `sink`.
    pub fn render_all(&self, sink: &Sink<'_>) -> Result<Rendered> {
        let site = self.site;
        let mut problems: Vec<Diagnostic> = site
            .pages
            .iter()
            .filter(|page| !self.templates.contains(&page.template))
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
            .collect();
        problems.extend(history::clashes(site));
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }

        let related = related::related(site);
        // The sitemap and other site-wide files render beside the pages, not after them.
        let (page_results, site_files) = rayon::join(
            || {
                (0..site.pages.len())
                    .into_par_iter()
                    .map(|id| {
                        let (html, search) = self.render_page(id, &related[id])?;
                        sink(Output {
                            path: site.pages[id].output_path.clone(),
                            bytes: html,
                        })
                        .map_err(|e| vec![io_diagnostic(e)])?;
                        Ok(search)
                    })
                    .collect::<Vec<std::result::Result<Option<SearchPage>, Vec<Diagnostic>>>>()
            },
            || self.render_site_files(sink),
        );
        let mut search = Vec::new();
        for result in page_results {
            match result {
                Ok(page) => search.extend(page),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if let Err(mut p) = site_files {
            problems.append(&mut p);
        }
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        for asset in &self.asset_files {
            sink(Output {
                path: asset.path.clone(),
                bytes: asset.bytes.clone(),
            })?;
        }
        let mut counts = PageCounts::new();
        for page in &site.pages {
            *counts.entry(page.doc.lang.clone()).or_default() += 1;
        }
        Ok(Rendered { counts, search })
    }

    fn render_page(
        &self,
        id: PageId,
        related: &[PageId],
    ) -> std::result::Result<(Vec<u8>, Option<SearchPage>), Vec<Diagnostic>> {
        let site = self.site;
        let page = &site.pages[id];
        let mut rendered = self.content(id)?.markdown;
        let search = self.search_page(page, std::mem::take(&mut rendered.sections));
        let mut cx = self.shared[&page.doc.lang].clone();
        cx.insert("nav", &context::nav(site, &page.doc.lang, Some(id)));
        cx.insert("translations", &context::translations(site, page));
        cx.insert("alternates", &context::alternates(site, page));
        match page.role {
            Role::Page => cx.insert(
                "page",
                &context::page_context(site, page, rendered, related),
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
            .templates
            .render(&page.template, &cx)
            .map_err(|mut problems| {
                for p in &mut problems {
                    p.message = format!("{} (rendering {})", p.message, page.doc.file.display());
                }
                problems
            })?;
        Ok((html.into_bytes(), search))
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

    pub fn facts(&self) -> &facts::Facts<'a> {
        &self.facts
    }

    /// The page's Markdown with its shortcodes, rendered to HTML.
    pub fn content(&self, id: PageId) -> std::result::Result<Content, Vec<Diagnostic>> {
        let site = self.site;
        let page = &site.pages[id];
        let shortcodes = shortcodes::Shortcodes {
            templates: &self.templates,
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
        };
        let markdown = markdown::render(&input, &|path| {
            site.link_target(path, &page.doc.lang)
                .map(|id| site.pages[id].url.clone())
        })?;
        Ok(Content {
            markdown,
            facts: expanded.facts,
        })
    }

    /// 404 and search pages, redirects for aliases, the sitemap, robots.txt, `_redirects` and
    /// `_headers`.
    fn render_site_files(&self, sink: &Sink<'_>) -> std::result::Result<(), Vec<Diagnostic>> {
        let site = self.site;
        let put = |path: PathBuf, bytes: Vec<u8>| {
            sink(Output { path, bytes }).map_err(|e| vec![io_diagnostic(e)])
        };
        for language in &site.config.languages {
            let mut cx = self.shared[&language.tag].clone();
            cx.insert("nav", &context::nav(site, &language.tag, None));
            cx.insert("translations", &Vec::<()>::new());
            cx.insert("alternates", &Vec::<()>::new());
            let mut path = PathBuf::new();
            if language.tag != site.config.default_language {
                path.push(&language.tag);
            }
            let html = self.templates.render("404.html", &cx)?;
            put(path.join("404.html"), html.into_bytes())?;
            // A theme without a search page still gets the index, for its own client.
            if self.templates.contains("search.html") {
                let html = self.templates.render("search.html", &cx)?;
                put(path.join("search").join("index.html"), html.into_bytes())?;
            }
        }
        for language in &site.config.languages {
            self.render_policy_updates(&language.tag, &put)?;
        }
        for alias in &site.aliases {
            let target = &site.pages[alias.target];
            let mut cx = self.shared[&target.doc.lang].clone();
            cx.insert("target", &site.permalink(target));
            cx.insert("title", &target.doc.meta.title);
            put(
                alias.output_path.clone(),
                self.templates.render("alias.html", &cx)?.into_bytes(),
            )?;
        }
        let mut cx = tera::Context::new();
        cx.insert("entries", &sitemap_entries(site));
        put(
            PathBuf::from("sitemap.xml"),
            self.templates.render("sitemap.xml", &cx)?.into_bytes(),
        )?;
        let mut cx = tera::Context::new();
        cx.insert(
            "sitemap_url",
            &format!("{}/sitemap.xml", site.config.base_url),
        );
        put(
            PathBuf::from("robots.txt"),
            self.templates.render("robots.txt", &cx)?.into_bytes(),
        )?;
        let mut cx = tera::Context::new();
        cx.insert("redirects", &hosting::redirects(site));
        put(
            PathBuf::from("_redirects"),
            self.templates.render("_redirects", &cx)?.into_bytes(),
        )?;
        let mut cx = tera::Context::new();
        cx.insert("immutable", &hosting::immutable_paths(site));
        cx.insert("revalidated", &hosting::revalidated_paths(site));
        put(
            PathBuf::from("_headers"),
            self.templates.render("_headers", &cx)?.into_bytes(),
        )?;
        Ok(())
    }
}

impl Renderer<'_> {
    /// A language's "Policy updates" page and its Atom feed, when its policies have changes.
    fn render_policy_updates(
        &self,
        lang: &str,
        put: &dyn Fn(PathBuf, Vec<u8>) -> std::result::Result<(), Vec<Diagnostic>>,
    ) -> std::result::Result<(), Vec<Diagnostic>> {
        let site = self.site;
        let Some(links) = history::links(site, lang) else {
            return Ok(());
        };
        let updates = history::updates(site, lang);
        let folder = history::folder(site, lang);
        let mut cx = self.shared[lang].clone();
        let title = self.ui[lang]
            .get("policy_updates")
            .map_or("Policy updates", String::as_str);
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
        cx.insert("updates", &updates);
        put(
            folder.join("index.html"),
            self.templates
                .render("policy_updates.html", &cx)?
                .into_bytes(),
        )?;
        let mut feed = tera::Context::new();
        feed.insert("lang", lang);
        let site_title = context::site_title(&site.config, lang);
        feed.insert("title", &format!("{site_title} · {title}"));
        feed.insert("site_title", site_title);
        feed.insert("feed_url", &format!("{}{}", site.origin(), links.feed_url));
        feed.insert("page_url", &permalink);
        feed.insert(
            "updated",
            &updates
                .first()
                .map(|u| u.updated.clone())
                .unwrap_or_default(),
        );
        feed.insert("updates", &updates);
        feed.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
        put(
            folder.join("atom.xml"),
            self.templates.render("atom.xml", &feed)?.into_bytes(),
        )
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
