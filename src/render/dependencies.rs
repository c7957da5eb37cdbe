//! What each output depends on, so watch mode re-renders exactly the outputs an edit affects.
//!
//! An output's fingerprint hashes everything its template context is built from: the file it
//! renders, the listing facts (title, URL, description, kind, dates, translated or fallback) of
//! every page it shows — the language switcher's translations, breadcrumbs, the section link,
//! previous/next, related articles, a section's listing, the home's categories, the navigation,
//! the link to the language's policy updates — and the templates it renders with, followed
//! through `extends`, `include` and `import`. What a page's Markdown draws on is known only
//! once it is rendered ([`super::Uses`]), so it is recorded then and hashed against the
//! current site at each rebuild: the targets of its `@/` links, the values of the facts it
//! inserts (`data/*.toml`) and the templates of the shortcodes it calls. A template that reads
//! `data` itself depends on all of it; the home and product pages' structured data on the shop
//! part of `data/shop.toml`. The fingerprints are the map from source files to dependent
//! outputs in the form that is cheap to keep and compare: saving a page changes the
//! fingerprints of that page and of the listings and switchers showing it, and of nothing else.
//!
//! Must stay in step with `context.rs`: a value a template sees that is not hashed here would go
//! stale in watch mode (the serve tests compare incremental rebuilds with fresh builds). The
//! config and UI strings are shared by every page; a change to them is a full rebuild
//! ([`Fingerprints::forget`]), not tracked here. The build moment (which notices and holidays
//! are still to come) is left out on purpose: it would make every output stale on every save.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{Renderer, Target, Uses, history};
use crate::load::{PageKind, TemplateSource};
use crate::resolve::{Page, PageId, Role, Site};

/// What an output looked like when it was last rendered.
struct Recorded {
    fingerprint: u64,
    /// What its Markdown drew on, and what that was then.
    uses: Uses,
    uses_fingerprint: u64,
}

/// The fingerprints of the outputs being served, by output path.
#[derive(Default)]
pub struct Fingerprints {
    by_output: HashMap<PathBuf, Recorded>,
}

/// The fingerprint of every target of one resolved site.
pub struct Current<'a> {
    site: &'a Site,
    renderer: &'a Renderer<'a>,
    inputs: &'a SiteInputs,
    targets: Vec<(Target, PathBuf, u64)>,
}

/// What many outputs share, hashed once per resolved site and theme: each page's listing
/// facts, what every page of a language shows, the shop's details and the templates. An edit
/// of a page's text below its front matter leaves all of it as it is, so such an edit
/// fingerprints its own outputs without a pass over the whole site.
pub struct SiteInputs {
    listings: Vec<u64>,
    languages: HashMap<String, u64>,
    shop: u64,
    templates: TemplateFingerprints,
}

impl SiteInputs {
    pub fn of(site: &Site, templates: &[TemplateSource]) -> SiteInputs {
        // On both threads: it grows with the site.
        let listings: Vec<u64> = site.pages.par_iter().map(listing).collect();
        let languages = site
            .config
            .languages
            .iter()
            .map(|language| {
                let mut h = Xxh3::new();
                language_inputs(site, &language.tag, &listings, &mut h);
                (language.tag.clone(), h.finish())
            })
            .collect();
        let shop = {
            let mut h = Xxh3::new();
            format!("{:?}", site.shop).hash(&mut h);
            h.finish()
        };
        SiteInputs {
            listings,
            languages,
            shop,
            templates: TemplateFingerprints::new(templates, &site.data),
        }
    }
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

    /// Forgets some outputs, so the next [`Fingerprints::stale`] renders them if they exist.
    pub fn forget_outputs(&mut self, outputs: &[PathBuf]) {
        for output in outputs {
            self.by_output.remove(output);
        }
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
                            || recorded.uses_fingerprint
                                != current.uses_fingerprint(*target, &recorded.uses)
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

    /// Takes in a successful rebuild: every target's current fingerprint, and what the outputs
    /// that were re-rendered drew on, by output path. Outputs not in `current` are forgotten.
    pub fn record(&mut self, current: &Current<'_>, rendered: HashMap<PathBuf, Uses>) {
        let mut previous = std::mem::take(&mut self.by_output);
        self.by_output = HashMap::with_capacity(current.targets.len());
        self.update_from(&mut previous, current, rendered);
    }

    /// Takes in a rebuild of some outputs only ([`Current::of`]): their fingerprints and what
    /// they drew on.
    pub fn update(&mut self, current: &Current<'_>, rendered: HashMap<PathBuf, Uses>) {
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
        mut rendered: HashMap<PathBuf, Uses>,
    ) {
        let by_output = &mut self.by_output;
        for (target, path, fingerprint) in &current.targets {
            let uses = match rendered.remove(path) {
                Some(uses) => uses,
                None => previous.remove(path).map(|r| r.uses).unwrap_or_default(),
            };
            let uses_fingerprint = current.uses_fingerprint(*target, &uses);
            by_output.insert(
                path.clone(),
                Recorded {
                    fingerprint: *fingerprint,
                    uses,
                    uses_fingerprint,
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
    pub fn new(site: &'a Site, renderer: &'a Renderer<'a>, inputs: &'a SiteInputs) -> Self {
        Current::of(site, renderer, inputs, renderer.targets())
    }

    /// The fingerprints of some outputs; `inputs` must be those of `site` as it is.
    pub fn of(
        site: &'a Site,
        renderer: &'a Renderer<'a>,
        inputs: &'a SiteInputs,
        targets: Vec<Target>,
    ) -> Self {
        let SiteInputs {
            listings,
            languages,
            shop,
            templates,
        } = inputs;
        let related = renderer.related();
        let targets = targets
            .into_par_iter()
            .map(|target| {
                let mut h = Xxh3::new();
                let language = |index: usize| languages[&site.config.languages[index].tag];
                match target {
                    Target::Page(id) => {
                        let page = &site.pages[id];
                        templates.hash(&page.template, &mut h);
                        page_inputs(site, id, listings, &mut h);
                        for &other in &related[id] {
                            listings[other].hash(&mut h);
                        }
                        languages[&page.doc.lang].hash(&mut h);
                        // The shop's Organization on the home page, its return and shipping
                        // policies on a product's Offer.
                        if page.role == Role::Home || page.kind == PageKind::Product {
                            shop.hash(&mut h);
                        }
                    }
                    Target::NotFound(index) => {
                        templates.hash("404.html", &mut h);
                        language(index).hash(&mut h);
                    }
                    Target::SearchPage(index) => {
                        templates.hash("search.html", &mut h);
                        language(index).hash(&mut h);
                    }
                    Target::PolicyUpdates(index) | Target::PolicyFeed(index) => {
                        let name = match target {
                            Target::PolicyUpdates(_) => "policy_updates.html",
                            _ => "atom.xml",
                        };
                        templates.hash(name, &mut h);
                        language(index).hash(&mut h);
                        policy_updates_inputs(site, &site.config.languages[index].tag, &mut h);
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
            renderer,
            inputs,
            targets,
        }
    }

    /// How many outputs the site has.
    pub fn output_count(&self) -> usize {
        self.targets.len()
    }

    /// What a page's Markdown draws on, as it is now: what its links resolve to, the values of
    /// its facts, the templates of its shortcodes.
    fn uses_fingerprint(&self, target: Target, uses: &Uses) -> u64 {
        let Target::Page(id) = target else {
            return 0;
        };
        let lang = &self.site.pages[id].doc.lang;
        let mut h = Xxh3::new();
        for link in &uses.links {
            self.site
                .link_target(link, lang)
                .map(|t| self.inputs.listings[t])
                .hash(&mut h);
        }
        let facts = self.renderer.facts();
        for key in &uses.facts {
            // The value as written in data: it is formatted for the page's language, which
            // the page's own fingerprint holds.
            format!("{:?}", facts.value(key)).hash(&mut h);
        }
        for name in &uses.shortcodes {
            self.inputs
                .templates
                .hash(&format!("shortcodes/{name}.html"), &mut h);
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
}

/// What every page of a language shows: the navigation (the home's sections) and the links to
/// the language's policy updates page and feed (there once its policies have changes).
fn language_inputs(site: &Site, lang: &str, listings: &[u64], h: &mut Xxh3) {
    if let Some(home) = site.home(lang) {
        for &section in &site.pages[home].subsections {
            listings[section].hash(h);
        }
    }
    history::links(site, lang)
        .map(|l| (l.page_url, l.feed_url))
        .hash(h);
}

/// A language's policy updates page and feed: its policies' changes, titles and addresses,
/// and which other languages have such a page (the language switcher).
fn policy_updates_inputs(site: &Site, lang: &str, h: &mut Xxh3) {
    for update in history::updates(site, lang) {
        (
            &update.date,
            &update.updated,
            update.policy,
            &update.url,
            &update.permalink,
            update.text,
            update.lang,
            &update.id,
        )
            .hash(h);
    }
    for language in &site.config.languages {
        history::links(site, &language.tag)
            .map(|l| (l.page_url, l.feed_url))
            .hash(h);
    }
}

/// Per template name, a hash of its text and of every template it reaches, and of the data
/// files when one of them reads `data`.
struct TemplateFingerprints {
    by_name: HashMap<String, u64>,
}

impl TemplateFingerprints {
    fn new(templates: &[TemplateSource], data: &toml::Table) -> Self {
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
        let data = {
            let mut h = Xxh3::new();
            format!("{data:?}").hash(&mut h);
            h.finish()
        };
        data.hash(&mut everything);
        let everything = everything.finish();
        let by_name = texts
            .keys()
            .map(|name| (name.to_string(), closure(name, &texts, everything, data)))
            .collect();
        TemplateFingerprints { by_name }
    }

    fn hash(&self, name: &str, h: &mut Xxh3) {
        // A name no template has (a page's `template = …` typo) fails the render anyway.
        self.by_name.get(name).copied().unwrap_or_default().hash(h);
        name.hash(h);
    }
}

/// The hash of a template and every template it reaches (with `data` when one of them reads
/// the data files); `everything` when one of them names a template with an expression, which
/// could be any template.
fn closure(name: &str, texts: &HashMap<&str, &str>, everything: u64, data: u64) -> u64 {
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
    if reached.iter().any(|(_, text)| reads_data(text)) {
        data.hash(&mut h);
    }
    h.finish()
}

/// Whether a template may read the `data` variable: the word `data` inside a `{{ }}` or
/// `{% %}` tag. Errs towards yes (`page.extra.data` counts too), which only costs re-renders.
fn reads_data(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let end = body.find(close).unwrap_or(body.len());
        let tag = &body[..end];
        let mentions = tag
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "data");
        if mentions {
            return true;
        }
        rest = &body[end..];
    }
    false
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

    #[test]
    fn templates_reading_data_are_found() {
        assert!(reads_data("<p>{{ data.shop.name }}</p>"));
        assert!(reads_data(
            "{% for zone in data['shop'].zones %}{% endfor %}"
        ));
        assert!(!reads_data(
            "<p>data: {{ page.title }}</p>{% if metadata %}{% endif %}"
        ));
        assert!(!reads_data("{# data #} { not a tag"));
    }
}
