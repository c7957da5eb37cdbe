//! Resolve: turns loaded documents and the config into the site as visitors will see it.
//!
//! Owns [`Site`] and [`Page`]: every page's URL and output path, its kind and template, its
//! section, breadcrumbs, previous/next, and its translations. Checks what only makes sense
//! across files (two pages at one URL, URLs that clash on case-insensitive disks, aliases).
//! Cheap, and always run whole; nothing here renders Markdown or touches templates.

pub mod urls;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{Document, PageKind, Sources};
use crate::reads::{self, Read};

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Home,
    Section,
    Page,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// For a fallback, the default language's document with `lang` set to the page's language.
    /// Shared with the loaded sources, so watch mode resolves again without copying every page.
    pub doc: Arc<Document>,
    /// Set when the page's language has no translation: the page shown in its place.
    pub fallback_of: Option<PageId>,
    pub role: Role,
    pub kind: PageKind,
    /// Link to the page: base path included, segments percent-encoded, trailing slash.
    pub url: String,
    /// Where the page is written, relative to the output root (UTF-8 names).
    pub output_path: PathBuf,
    pub template: String,
    /// The nearest section above the page, in the page's language.
    pub parent: Option<PageId>,
    /// Home first, down to the parent.
    pub ancestors: Vec<PageId>,
    /// Sections: their pages, in display order.
    pub children: Vec<PageId>,
    /// Sections: their subsections, in display order.
    pub subsections: Vec<PageId>,
    pub previous: Option<PageId>,
    pub next: Option<PageId>,
    /// Every language version of this page (itself included), in the config's language order.
    pub translations: Vec<PageId>,
}

/// A redirect from an old path to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    pub output_path: PathBuf,
    /// The old path as a link: base path included, segments percent-encoded.
    pub url: String,
    pub target: PageId,
    /// The alias as written in the target's front matter, and its line there.
    pub written: String,
    pub line: usize,
}

/// The resolved site: a plain value, shared read-only by the later stages.
pub struct Site {
    pub config: Config,
    pages: Vec<Page>,
    aliases: Vec<Alias>,
    pub data: toml::Table,
    shop: crate::load::shop::Shop,
    by_key: HashMap<(String, String), PageId>,
    /// By language: the pages under `policies/` and those naming a policy (`policy = …`).
    policies: HashMap<String, Vec<PageId>>,
}

/// Every read of a page, a key or the shop goes through these accessors, which note it for
/// watch mode ([`crate::reads`]) while an output is being built.
impl Site {
    /// The page with this id.
    pub fn page(&self, id: PageId) -> &Page {
        let page = &self.pages[id];
        reads::note(|| Read::Page(page.output_path.clone()));
        page
    }

    /// Every page, in id order.
    pub fn pages(&self) -> &[Page] {
        reads::note(|| Read::AllPages);
        &self.pages
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The alias at this index.
    pub fn alias(&self, index: usize) -> &Alias {
        let alias = &self.aliases[index];
        reads::note(|| Read::Alias(alias.output_path.clone()));
        alias
    }

    /// Every alias.
    pub fn aliases(&self) -> &[Alias] {
        reads::note(|| Read::AllAliases);
        &self.aliases
    }

    pub fn alias_count(&self) -> usize {
        self.aliases.len()
    }

    /// The part of `data/shop.toml` structured data shows.
    pub fn shop(&self) -> &crate::load::shop::Shop {
        reads::note(|| Read::Shop);
        &self.shop
    }

    pub fn homes(&self) -> impl Iterator<Item = (&str, PageId)> {
        self.config
            .languages
            .iter()
            .filter_map(|l| Some((l.tag.as_str(), self.home(&l.tag)?)))
    }

    /// A language's pages under `policies/` and those naming a policy (`policy = …`), in page
    /// order: looked up per language without a pass over every page.
    pub fn policy_pages(&self, lang: &str) -> impl Iterator<Item = &Page> {
        reads::note(|| Read::Policies(lang.to_string()));
        self.policies
            .get(lang)
            .into_iter()
            .flatten()
            .map(|&id| self.page(id))
    }

    pub fn home(&self, lang: &str) -> Option<PageId> {
        self.lookup("_index.md".to_string(), lang)
    }

    /// The page of `key` in `lang`, noted as a read of that key.
    fn lookup(&self, key: String, lang: &str) -> Option<PageId> {
        let entry = (key, lang.to_string());
        let found = self.by_key.get(&entry).copied();
        reads::note(|| Read::Key {
            key: entry.0,
            lang: entry.1,
        });
        found
    }

    /// The target of an internal link `@/policies/returns.md` (or `returns.lt.md`) written in
    /// a page of language `from_lang`: the same language's version when there is one, else the
    /// default language's.
    pub fn link_target(&self, link: &str, from_lang: &str) -> Option<PageId> {
        let link = link.trim_start_matches('/');
        let (key, explicit_lang) = split_language_suffix(link, &self.config);
        let lang = explicit_lang.unwrap_or(from_lang);
        self.lookup(key.clone(), lang).or_else(|| {
            explicit_lang
                .is_none()
                .then(|| self.lookup(key, &self.config.default_language))
                .flatten()
        })
    }

    /// Puts a new version of a document, its front matter unchanged, into the pages showing it
    /// (its page and the fallbacks of that page, each keeping its language). Returns what they
    /// showed before, for [`Site::restore_documents`].
    pub fn replace_document(&mut self, doc: &Document) -> Vec<(PageId, Arc<Document>)> {
        let mut replaced = Vec::new();
        for (id, page) in self.pages.iter_mut().enumerate() {
            // Bytes, not components: one comparison per page of the site.
            if page.doc.file.as_os_str() == doc.file.as_os_str() {
                let mut new = doc.clone();
                new.lang = page.doc.lang.clone();
                replaced.push((id, std::mem::replace(&mut page.doc, Arc::new(new))));
            }
        }
        replaced
    }

    /// Undoes [`Site::replace_document`].
    pub fn restore_documents(&mut self, replaced: Vec<(PageId, Arc<Document>)>) {
        for (id, old) in replaced {
            self.pages[id].doc = old;
        }
    }

    pub fn permalink(&self, page: &Page) -> String {
        format!("{}{}", self.origin(), page.url)
    }

    /// `https://shop.example` for `https://shop.example/help`: page URLs already hold the path.
    pub fn origin(&self) -> &str {
        self.config
            .base_url
            .strip_suffix(&self.config.base_path)
            .unwrap_or(&self.config.base_url)
    }
}

/// `policies/returns.lt.md` → (`policies/returns.md`, Some("lt")).
fn split_language_suffix<'a>(key: &'a str, config: &Config) -> (String, Option<&'a str>) {
    if let Some(stem) = key.strip_suffix(".md") {
        if let Some((base, lang)) = stem.rsplit_once('.') {
            if config.language(lang).is_some() {
                return (format!("{base}.md"), Some(lang));
            }
        }
    }
    (key.to_string(), None)
}

pub fn resolve(
    sources: Sources,
) -> Result<(Site, crate::load::Theme, Vec<crate::load::StaticFile>)> {
    let Sources {
        config,
        documents,
        data,
        shop,
        theme,
        static_files,
        ..
    } = sources;
    let mut problems = Vec::new();

    let mut pages: Vec<Page> = documents
        .into_iter()
        .map(|doc| {
            let role = if !doc.is_section() {
                Role::Page
            } else if doc.dir.is_empty() {
                Role::Home
            } else {
                Role::Section
            };
            Page {
                fallback_of: None,
                role,
                kind: PageKind::Article,
                url: String::new(),
                output_path: PathBuf::new(),
                template: String::new(),
                parent: None,
                ancestors: Vec::new(),
                children: Vec::new(),
                subsections: Vec::new(),
                previous: None,
                next: None,
                translations: Vec::new(),
                doc,
            }
        })
        .collect();

    let mut by_key: HashMap<(String, String), PageId> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        if let Some(first) = by_key.insert((page.doc.key(), page.doc.lang.clone()), id) {
            // NFC and NFD spellings of one name, or `a.md` beside `a.en.md` for the default language.
            problems.push(Diagnostic::new(
                &page.doc.file,
                format!(
                    "this is the same page as {} (one page per language)",
                    pages[first].doc.file.display()
                ),
            ));
        }
    }

    add_fallbacks(&mut pages, &mut by_key, &config);

    // Parents: the nearest section directory above, in the page's language, else the default's.
    let default = config.default_language.clone();
    let section_for = |dir: &[String], lang: &str| -> Option<PageId> {
        let key = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", dir.join("/"))
        };
        by_key
            .get(&(key.clone(), lang.to_string()))
            .or_else(|| by_key.get(&(key, default.clone())))
            .copied()
    };
    let parents: Vec<Option<PageId>> = pages
        .iter()
        .enumerate()
        .map(|(id, page)| {
            if page.role == Role::Home {
                return None;
            }
            // A section's own folder is not its parent; a page's folder may be.
            let own_dir_len = if page.role == Role::Page {
                page.doc.dir.len()
            } else {
                page.doc.dir.len() - 1
            };
            (0..=own_dir_len).rev().find_map(|len| {
                section_for(&page.doc.dir[..len], &page.doc.lang).filter(|&p| p != id)
            })
        })
        .collect();
    for (page, parent) in pages.iter_mut().zip(parents) {
        page.parent = parent;
    }

    // URLs, kinds and templates.
    for id in 0..pages.len() {
        let (segments, slug_problem) = url_segments(&pages, id, &config, &section_for);
        if let Some((line, why)) = slug_problem {
            problems.push(
                Diagnostic::new(&pages[id].doc.file, format!("slug {why}"))
                    .at_line(line)
                    .quoting(
                        pages[id]
                            .doc
                            .meta
                            .slug
                            .as_ref()
                            .map(|s| s.value.clone())
                            .unwrap_or_default(),
                    ),
            );
        }
        let mut output_path: PathBuf = segments.iter().collect();
        output_path.push("index.html");
        let page = &mut pages[id];
        page.url = urls::url_from_segments(&config.base_path, &segments);
        page.output_path = output_path;
    }
    for id in 0..pages.len() {
        let kind = pages[id].doc.meta.kind.unwrap_or_else(|| {
            let mut parent = pages[id].parent;
            if pages[id].role != Role::Page {
                return PageKind::Article;
            }
            while let Some(p) = parent {
                if let Some(kind) = pages[p].doc.meta.page_kind {
                    return kind;
                }
                parent = pages[p].parent;
            }
            PageKind::Article
        });
        let page = &mut pages[id];
        page.kind = kind;
        page.template = page
            .doc
            .meta
            .template
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| {
                match (page.role, kind) {
                    (Role::Home, _) => "index.html",
                    (Role::Section, _) => "section.html",
                    (Role::Page, PageKind::Article) => "page.html",
                    (Role::Page, PageKind::Policy) => "policy.html",
                    (Role::Page, PageKind::Faq) => "faq.html",
                    (Role::Page, PageKind::Product) => "product.html",
                }
                .to_string()
            });
        let is_policy = kind == PageKind::Policy || page.doc.meta.policy.is_some();
        if is_policy && page.role == Role::Page && page.doc.meta.updated.is_none() {
            problems.push(
                Diagnostic::new(
                    &page.doc.file,
                    "a policy needs `updated = YYYY-MM-DD` (buyers are shown when it last changed)",
                )
                .at_line(2),
            );
        }
    }

    check_unique_outputs(&pages, &mut problems);

    // Ancestors, listings, previous/next.
    for id in 0..pages.len() {
        let mut ancestors = Vec::new();
        let mut parent = pages[id].parent;
        while let Some(p) = parent {
            if ancestors.contains(&p) {
                break;
            }
            ancestors.push(p);
            parent = pages[p].parent;
        }
        ancestors.reverse();
        pages[id].ancestors = ancestors;
        if let Some(p) = pages[id].parent {
            if pages[p].doc.lang == pages[id].doc.lang {
                match pages[id].role {
                    Role::Page => pages[p].children.push(id),
                    _ => pages[p].subsections.push(id),
                }
            }
        }
    }
    for id in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[id].children);
        children.sort_by(|&a, &b| display_order(&pages[a], &pages[b]));
        for (i, &child) in children.iter().enumerate() {
            pages[child].previous = i.checked_sub(1).map(|j| children[j]);
            pages[child].next = children.get(i + 1).copied();
        }
        pages[id].children = children;
        let mut subsections = std::mem::take(&mut pages[id].subsections);
        subsections.sort_by(|&a, &b| display_order(&pages[a], &pages[b]));
        pages[id].subsections = subsections;
    }

    // Translations, in the config's language order.
    let mut groups: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        groups.entry(page.doc.key()).or_default().push(id);
    }
    let order = |lang: &str| {
        config
            .languages
            .iter()
            .position(|l| l.tag == lang)
            .unwrap_or(usize::MAX)
    };
    for mut group in groups.into_values() {
        group.sort_by_key(|&id| order(&pages[id].doc.lang));
        for &id in &group {
            pages[id].translations = group.clone();
        }
    }

    let aliases = resolve_aliases(&pages, &config.base_path, &mut problems);

    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    let mut policies: HashMap<String, Vec<PageId>> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        if page.kind == PageKind::Policy || page.doc.meta.policy.is_some() {
            policies.entry(page.doc.lang.clone()).or_default().push(id);
        }
    }
    Ok((
        Site {
            config,
            pages,
            aliases,
            data,
            shop,
            by_key,
            policies,
        },
        theme,
        static_files,
    ))
}

/// Every page of the default language exists in every language: where a translation is
/// missing, a fallback shows the default language's content at that language's URL, so
/// navigation, listings and links of every language are complete.
fn add_fallbacks(
    pages: &mut Vec<Page>,
    by_key: &mut HashMap<(String, String), PageId>,
    config: &Config,
) {
    let originals: Vec<PageId> = (0..pages.len())
        .filter(|&id| pages[id].doc.lang == config.default_language)
        .collect();
    for language in config.languages.iter().skip(1) {
        // `pt-BR` shows the `pt` translation where it has one, else the default language's.
        let base = language
            .tag
            .split('-')
            .next()
            .filter(|b| *b != language.tag && config.language(b).is_some());
        for &original in &originals {
            let key = pages[original].doc.key();
            if by_key.contains_key(&(key.clone(), language.tag.clone())) {
                continue;
            }
            let shown = base
                .and_then(|b| by_key.get(&(key.clone(), b.to_string())).copied())
                .unwrap_or(original);
            let mut page = pages[shown].clone();
            Arc::make_mut(&mut page.doc).lang = language.tag.clone();
            page.fallback_of = Some(shown);
            by_key.insert((key, language.tag.clone()), pages.len());
            pages.push(page);
        }
    }
}

type SlugProblem = Option<(usize, &'static str)>;

/// Decoded URL segments of a page: language prefix, the sections' slugs, the page's slug.
fn url_segments(
    pages: &[Page],
    id: PageId,
    config: &Config,
    section_for: &dyn Fn(&[String], &str) -> Option<PageId>,
) -> (Vec<String>, SlugProblem) {
    let page = &pages[id];
    let mut segments = Vec::new();
    if page.doc.lang != config.default_language {
        segments.push(page.doc.lang.clone());
    }
    let own_segment = |p: &Page, fallback: &str| -> (String, SlugProblem) {
        match &p.doc.meta.slug {
            Some(slug) => match urls::slug_problem(&slug.value) {
                Some(why) => (urls::slug_from_stem(fallback), Some((slug.line, why))),
                None => (slug.value.trim().to_string(), None),
            },
            None => (urls::slug_from_stem(fallback), None),
        }
    };
    let mut problem = None;
    for len in 1..=page.doc.dir.len() {
        let dir = &page.doc.dir[..len];
        let name = &dir[len - 1];
        match section_for(dir, &page.doc.lang) {
            Some(section) if section != id => segments.push(own_segment(&pages[section], name).0),
            Some(_) => {
                let (segment, p) = own_segment(page, name);
                problem = problem.or(p);
                segments.push(segment);
            }
            None => segments.push(urls::slug_from_stem(name)),
        }
    }
    if page.role == Role::Page {
        let (segment, p) = own_segment(page, &page.doc.stem);
        problem = problem.or(p);
        segments.push(segment);
    }
    (segments, problem)
}

/// Weight first (unweighted last), then title.
fn display_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let weight = |p: &Page| p.doc.meta.weight.unwrap_or(i64::MAX);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| a.doc.meta.title.cmp(&b.doc.meta.title))
        .then_with(|| a.doc.file.cmp(&b.doc.file))
}

/// Two pages at one URL, or at URLs that differ only in case (one would overwrite the other on
/// macOS and Windows disks and on some hosts).
fn check_unique_outputs(pages: &[Page], problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, PageId> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        let folded = page.output_path.to_string_lossy().to_lowercase();
        if let Some(&other) = seen.get(&folded) {
            let other = &pages[other];
            let message = if other.output_path == page.output_path {
                format!(
                    "{} and {} both have the URL {}",
                    other.doc.file.display(),
                    page.doc.file.display(),
                    page.url
                )
            } else {
                format!(
                    "{} ({}) and {} ({}) have URLs that differ only in case",
                    other.doc.file.display(),
                    other.url,
                    page.doc.file.display(),
                    page.url
                )
            };
            problems.push(Diagnostic::new(&page.doc.file, message));
        } else {
            seen.insert(folded, id);
        }
    }
}

fn resolve_aliases(pages: &[Page], base_path: &str, problems: &mut Vec<Diagnostic>) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for (id, page) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.fallback_of.is_none())
    {
        for alias in &page.doc.meta.aliases {
            match urls::alias_segments(&alias.value) {
                // Whether it clashes with another output is render's to say: it knows them all.
                Ok(segments) => aliases.push(Alias {
                    output_path: segments.iter().collect::<PathBuf>().join("index.html"),
                    url: urls::url_from_segments(base_path, &segments),
                    target: id,
                    written: alias.value.clone(),
                    line: alias.line,
                }),
                Err(why) => problems.push(
                    Diagnostic::new(&page.doc.file, format!("alias {why}"))
                        .at_line(alias.line)
                        .quoting(&alias.value),
                ),
            }
        }
    }
    aliases
}
