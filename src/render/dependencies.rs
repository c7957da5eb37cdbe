//! What each output depends on, so watch mode re-renders exactly the outputs an edit affects.
//!
//! An output's fingerprint hashes everything its template context is built from: the file it
//! renders, the listing facts (title, URL, description, kind, dates, translated or fallback) of
//! every page it shows — the language switcher's translations, breadcrumbs, the section link,
//! previous/next, a section's listing, the home's categories, the navigation — the targets of
//! its `@/` links, and the templates it renders with, followed through `extends`, `include` and
//! `import`. The fingerprints are the map from source files to dependent outputs in the form
//! that is cheap to keep and compare: saving a page changes the fingerprints of that page and of
//! the listings and switchers showing it, and of nothing else.
//!
//! Must stay in step with `context.rs`: a value a template sees that is not hashed here would go
//! stale in watch mode (the serve tests compare incremental rebuilds with fresh builds). The
//! config, data files and UI strings are shared by every page; a change to them is a full
//! rebuild ([`Fingerprints::forget`]), not tracked here.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use xxhash_rust::xxh3::Xxh3;

use super::{Renderer, Target};
use crate::load::TemplateSource;
use crate::resolve::{Page, PageId, Role, Site};

/// What an output looked like when it was last rendered.
struct Recorded {
    fingerprint: u64,
    /// Its `@/` links as written, and what they resolved to then.
    links: Vec<String>,
    links_fingerprint: u64,
}

/// The fingerprints of the outputs being served, by output path.
#[derive(Default)]
pub struct Fingerprints {
    by_output: HashMap<PathBuf, Recorded>,
}

/// The fingerprint of every target of one resolved site.
pub struct Current<'a> {
    site: &'a Site,
    targets: Vec<(Target, PathBuf, u64)>,
    listings: Vec<u64>,
}

/// What a set of fingerprints says must be redone.
pub struct Stale {
    pub targets: Vec<Target>,
    /// Outputs served before that no target produces now.
    pub removed: Vec<PathBuf>,
}

impl Fingerprints {
    /// Forgets every output, so the next [`Fingerprints::stale`] renders all of them.
    pub fn forget(&mut self) {
        self.by_output.clear();
    }

    pub fn stale(&self, current: &Current<'_>) -> Stale {
        let targets = current
            .targets
            .iter()
            .filter(
                |(target, path, fingerprint)| match self.by_output.get(path) {
                    None => true,
                    Some(recorded) => {
                        recorded.fingerprint != *fingerprint
                            || recorded.links_fingerprint
                                != current.links_fingerprint(*target, &recorded.links)
                    }
                },
            )
            .map(|(target, _, _)| *target)
            .collect();
        let produced: HashSet<&PathBuf> = current.targets.iter().map(|(_, path, _)| path).collect();
        let removed = self
            .by_output
            .keys()
            .filter(|path| !produced.contains(path))
            .cloned()
            .collect();
        Stale { targets, removed }
    }

    /// Takes in a successful rebuild: every target's current fingerprint, and the links of the
    /// outputs that were re-rendered, by output path. Outputs not in `current` are forgotten.
    pub fn record(&mut self, current: &Current<'_>, rendered: HashMap<PathBuf, Vec<String>>) {
        let mut previous = std::mem::take(&mut self.by_output);
        self.by_output = HashMap::with_capacity(current.targets.len());
        self.update_from(&mut previous, current, rendered);
    }

    /// Takes in a rebuild of some outputs only ([`Current::of`]): their fingerprints and links.
    pub fn update(&mut self, current: &Current<'_>, rendered: HashMap<PathBuf, Vec<String>>) {
        let mut previous = HashMap::new();
        for (_, path, _) in &current.targets {
            if let Some(recorded) = self.by_output.remove(path) {
                previous.insert(path.clone(), recorded);
            }
        }
        self.update_from(&mut previous, current, rendered);
    }

    fn update_from(
        &mut self,
        previous: &mut HashMap<PathBuf, Recorded>,
        current: &Current<'_>,
        mut rendered: HashMap<PathBuf, Vec<String>>,
    ) {
        let by_output = &mut self.by_output;
        for (target, path, fingerprint) in &current.targets {
            let links = match rendered.remove(path) {
                Some(links) => links,
                None => previous.remove(path).map(|r| r.links).unwrap_or_default(),
            };
            let links_fingerprint = current.links_fingerprint(*target, &links);
            by_output.insert(
                path.clone(),
                Recorded {
                    fingerprint: *fingerprint,
                    links,
                    links_fingerprint,
                },
            );
        }
    }

    pub fn output_count(&self) -> usize {
        self.by_output.len()
    }
}

impl<'a> Current<'a> {
    /// The fingerprints of every output of the site.
    pub fn new(site: &'a Site, renderer: &Renderer<'_>, templates: &[TemplateSource]) -> Self {
        Current::of(site, renderer, templates, renderer.targets())
    }

    /// The fingerprints of some outputs.
    pub fn of(
        site: &'a Site,
        renderer: &Renderer<'_>,
        templates: &[TemplateSource],
        targets: Vec<Target>,
    ) -> Self {
        let listings: Vec<u64> = site.pages.iter().map(listing).collect();
        let templates = TemplateFingerprints::new(templates);
        let targets = targets
            .into_iter()
            .map(|target| {
                let mut h = Xxh3::new();
                match target {
                    Target::Page(id) => {
                        templates.hash(&site.pages[id].template, &mut h);
                        page_inputs(site, id, &listings, &mut h);
                    }
                    Target::NotFound(index) => {
                        templates.hash("404.html", &mut h);
                        nav_inputs(site, &site.config.languages[index].tag, &listings, &mut h);
                    }
                    Target::SearchPage(index) => {
                        templates.hash("search.html", &mut h);
                        nav_inputs(site, &site.config.languages[index].tag, &listings, &mut h);
                    }
                    Target::Alias(index) => {
                        templates.hash("alias.html", &mut h);
                        listings[site.aliases[index].target].hash(&mut h);
                    }
                    Target::Sitemap => {
                        templates.hash("sitemap.xml", &mut h);
                        sitemap_inputs(site, &mut h);
                    }
                    Target::Robots => templates.hash("robots.txt", &mut h),
                    Target::Redirects | Target::Headers => {
                        templates.hash("_redirects", &mut h);
                        templates.hash("_headers", &mut h);
                        for page in &site.pages {
                            page.url.hash(&mut h);
                        }
                        for alias in &site.aliases {
                            (&alias.url, &site.pages[alias.target].url).hash(&mut h);
                        }
                    }
                    Target::Asset(_) => {
                        if let Ok((asset, _)) = renderer.render(target) {
                            asset.bytes.hash(&mut h);
                        }
                    }
                }
                (target, renderer.output_path(target), h.finish())
            })
            .collect();
        Current {
            site,
            targets,
            listings,
        }
    }

    /// How many outputs the site has.
    pub fn output_count(&self) -> usize {
        self.targets.len()
    }

    /// What a page's links resolve to now.
    fn links_fingerprint(&self, target: Target, links: &[String]) -> u64 {
        let Target::Page(id) = target else {
            return 0;
        };
        let lang = &self.site.pages[id].doc.lang;
        let mut h = Xxh3::new();
        for link in links {
            self.site
                .link_target(link, lang)
                .map(|t| self.listings[t])
                .hash(&mut h);
        }
        h.finish()
    }
}

/// The facts other pages show of a page: in listings, switchers, breadcrumbs, navigation,
/// previous/next, links, the sitemap.
fn listing(page: &Page) -> u64 {
    let meta = &page.doc.meta;
    let mut h = Xxh3::new();
    (
        &meta.title,
        &meta.description,
        page.kind.as_str(),
        &page.url,
        &page.doc.lang,
        page.fallback_of.is_some(),
        &meta.policy,
    )
        .hash(&mut h);
    for date in [&meta.updated, &meta.date] {
        date.as_ref().map(|d| d.date().to_string()).hash(&mut h);
    }
    h.finish()
}

/// Each page's address, date and translated versions.
fn sitemap_inputs(site: &Site, h: &mut Xxh3) {
    for page in &site.pages {
        let meta = &page.doc.meta;
        (&page.url, page.fallback_of.is_some()).hash(h);
        meta.updated
            .as_ref()
            .or(meta.date.as_ref())
            .map(|d| d.date().to_string())
            .hash(h);
        for &t in &page.translations {
            (&site.pages[t].url, site.pages[t].fallback_of.is_some()).hash(h);
        }
    }
}

fn page_inputs(site: &Site, id: PageId, listings: &[u64], h: &mut Xxh3) {
    let page = &site.pages[id];
    (
        &page.doc.file,
        page.doc.text_hash,
        &page.output_path,
        &page.template,
        page.role as u8,
    )
        .hash(h);
    listings[id].hash(h);
    let shown = page
        .translations
        .iter()
        .chain(&page.ancestors)
        .chain(&page.parent)
        .chain(&page.previous)
        .chain(&page.next)
        .chain(&page.fallback_of)
        .chain(&page.children);
    for &other in shown {
        listings[other].hash(h);
    }
    if page.role == Role::Home {
        for &section in &page.subsections {
            listings[section].hash(h);
            site.pages[section].children.len().hash(h);
            for &child in site.pages[section].children.iter().take(5) {
                listings[child].hash(h);
            }
        }
    }
    nav_inputs(site, &page.doc.lang, listings, h);
}

/// The navigation of a language: the home's sections.
fn nav_inputs(site: &Site, lang: &str, listings: &[u64], h: &mut Xxh3) {
    if let Some(home) = site.home(lang) {
        for &section in &site.pages[home].subsections {
            listings[section].hash(h);
        }
    }
}

/// Per template name, a hash of its text and of every template it reaches.
struct TemplateFingerprints {
    by_name: HashMap<String, u64>,
}

impl TemplateFingerprints {
    fn new(templates: &[TemplateSource]) -> Self {
        let texts: HashMap<&str, &str> = templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        let mut everything = Xxh3::new();
        let mut names: Vec<&&str> = texts.keys().collect();
        names.sort();
        for name in names {
            (name, texts[*name]).hash(&mut everything);
        }
        let everything = everything.finish();
        let by_name = texts
            .keys()
            .map(|name| (name.to_string(), closure(name, &texts, everything)))
            .collect();
        TemplateFingerprints { by_name }
    }

    fn hash(&self, name: &str, h: &mut Xxh3) {
        // A name no template has (a page's `template = …` typo) fails the render anyway.
        self.by_name.get(name).copied().unwrap_or_default().hash(h);
        name.hash(h);
    }
}

/// The hash of a template and every template it reaches; `everything` when one of them names
/// a template with an expression, which could be any template.
fn closure(name: &str, texts: &HashMap<&str, &str>, everything: u64) -> u64 {
    let mut seen = HashSet::new();
    let mut queue = vec![name];
    let mut reached = Vec::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(text) = texts.get(name) else {
            reached.push((name, ""));
            continue;
        };
        reached.push((name, *text));
        match referenced_templates(text) {
            Some(names) => queue.extend(names),
            None => return everything,
        }
    }
    reached.sort_unstable();
    let mut h = Xxh3::new();
    reached.hash(&mut h);
    h.finish()
}

/// The templates a template names in `extends`, `include` and `import` tags; `None` when one
/// of those tags names its template with an expression rather than a string.
fn referenced_templates(text: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let Some(end) = tag.find("%}") else { break };
        let body = tag[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = &tag[end + 2..];
        let keyword = body.split_whitespace().next().unwrap_or_default();
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        let arguments = &body[keyword.len()..];
        let quoted: Vec<&str> = arguments.split(['"', '\'']).skip(1).step_by(2).collect();
        if quoted.is_empty() {
            return None;
        }
        names.extend(quoted);
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_references_are_found() {
        let text = r#"{% extends "base.html" %}{%- include "partials/a.html" -%}
            {% import 'macros.html' as m %}{% if x %}"not a tag"{% endif %}"#;
        assert_eq!(
            referenced_templates(text),
            Some(vec!["base.html", "partials/a.html", "macros.html"])
        );
        assert_eq!(
            referenced_templates("{% include page.extra.partial %}"),
            None
        );
    }
}
