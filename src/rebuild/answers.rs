//! What each kind of read answers now: [`SiteAnswers`] hashes a resolved site's pages, bodies,
//! aliases and templates once; [`Answers`] adds the renderer's values (facts, shared values,
//! the Organization, assets). [`super::records`] compares these with what each read answered
//! when its outputs were rendered.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::load::TemplateSource;
use crate::reads::{Read, hash_serialized};
use crate::render::Renderer;
use crate::resolve::{Page, PageId, Site};

/// What the site answers to each kind of read, hashed once per resolved site and theme.
pub struct SiteAnswers {
    /// By output path: what [`Read::Page`] and [`Read::Relations`] read of the page, hashed.
    pages: HashMap<PathBuf, Faces>,
    /// By page file: what [`Read::Body`] reads, its body's hash.
    bodies: HashMap<PathBuf, u64>,
    /// By output path: the alias's index.
    aliases: HashMap<PathBuf, usize>,
    /// The faces of every page added up: unchanged unless a page is.
    all_pages: u64,
    all_aliases: u64,
    templates: TemplateFingerprints,
}

impl SiteAnswers {
    pub fn of(site: &Site, templates: &[TemplateSource]) -> SiteAnswers {
        // On both threads: it grows with the site.
        let paths: Vec<&Path> = site
            .pages()
            .iter()
            .map(|p| p.output_path.as_path())
            .collect();
        let faces: Vec<Faces> = site
            .pages()
            .par_iter()
            .map(|p| Faces::of(p, &paths))
            .collect();
        let all_pages = faces
            .iter()
            .fold(0, |sum: u64, faces| sum.wrapping_add(faces.sum()));
        let mut all_aliases = Xxh3::new();
        for alias in site.aliases() {
            (&alias.output_path, &alias.url, paths[alias.target]).hash(&mut all_aliases);
        }
        SiteAnswers {
            pages: paths
                .iter()
                .map(|path| path.to_path_buf())
                .zip(faces)
                .collect(),
            bodies: site
                .pages()
                .iter()
                .map(|p| (p.doc.file.clone(), p.doc.body_hash))
                .collect(),
            aliases: site
                .aliases()
                .iter()
                .enumerate()
                .map(|(index, alias)| (alias.output_path.clone(), index))
                .collect(),
            all_pages,
            all_aliases: all_aliases.finish(),
            templates: TemplateFingerprints::new(templates, &site.data),
        }
    }

    /// Takes in pages of `site` that changed in place: their documents, their listings.
    pub fn update_pages(&mut self, site: &Site, changed: &BTreeSet<PageId>) {
        let pages = site.pages();
        let paths: Vec<&Path> = pages.iter().map(|p| p.output_path.as_path()).collect();
        for &id in changed {
            let doc = &pages[id].doc;
            self.bodies.insert(doc.file.clone(), doc.body_hash);
            let faces = Faces::of(&pages[id], &paths);
            let old = self.pages.insert(paths[id].to_path_buf(), faces);
            self.all_pages = self
                .all_pages
                .wrapping_sub(old.map_or(0, |old| old.sum()))
                .wrapping_add(faces.sum());
        }
    }

    /// The pages (by output path) and page files whose answers differ between these answers
    /// and `new`'s, a site resolved again: changed, added or gone. Only their reads, and the
    /// reads of no page, can answer differently in `new`.
    pub fn differences(&self, new: &SiteAnswers) -> (Vec<PathBuf>, Vec<PathBuf>) {
        fn differ<V: PartialEq>(
            old: &HashMap<PathBuf, V>,
            new: &HashMap<PathBuf, V>,
        ) -> Vec<PathBuf> {
            let changed = new
                .iter()
                .filter(|&(key, value)| old.get(key) != Some(value));
            let gone = old.keys().filter(|key| !new.contains_key(*key));
            changed.map(|(key, _)| key).chain(gone).cloned().collect()
        }
        (
            differ(&self.pages, &new.pages),
            differ(&self.bodies, &new.bodies),
        )
    }

    /// Takes in new templates or data files.
    pub fn update_templates(&mut self, templates: &[TemplateSource], data: &toml::Table) {
        self.templates = TemplateFingerprints::new(templates, data);
    }
}

/// What [`Read::Page`] and [`Read::Relations`] answer of one page.
#[derive(Clone, Copy, PartialEq)]
struct Faces {
    page: u64,
    relations: u64,
}

impl Faces {
    fn of(page: &Page, paths: &[&Path]) -> Faces {
        Faces {
            page: page.face(paths),
            relations: page.relations_face(paths),
        }
    }

    fn sum(self) -> u64 {
        self.page.wrapping_add(self.relations)
    }
}

/// What every read answers now: [`SiteAnswers`] with the renderer's values (facts, a
/// language's shared values, assets).
pub struct Answers<'a> {
    pub site: &'a Site,
    pub site_answers: &'a SiteAnswers,
    pub renderer: &'a Renderer<'a>,
    /// Per language: its shared values and its Organization, hashed.
    languages: HashMap<String, (u64, u64)>,
}

impl<'a> Answers<'a> {
    pub fn new(
        site: &'a Site,
        site_answers: &'a SiteAnswers,
        renderer: &'a Renderer<'a>,
    ) -> Answers<'a> {
        let languages = site
            .config
            .languages
            .iter()
            .filter_map(|l| Some((l.tag.clone(), renderer.language_answers(&l.tag)?)))
            .collect();
        Answers {
            site,
            site_answers,
            renderer,
            languages,
        }
    }

    /// What `read` answers now; `None` for what is gone (a page, an alias, a fact).
    pub(super) fn answer(&self, read: &Read) -> Option<u64> {
        let answers = self.site_answers;
        match read {
            Read::Page(output) => answers.pages.get(output).map(|faces| faces.page),
            Read::Relations(output) => answers.pages.get(output).map(|faces| faces.relations),
            Read::Body(file) => answers.bodies.get(file).copied(),
            Read::Key { key, lang } => {
                let found = self.site.link_target(key, lang)?;
                answers
                    .pages
                    .get(&self.site.page(found).output_path)
                    .map(|faces| faces.page)
            }
            Read::Policies(lang) => {
                let mut h = Xxh3::new();
                for page in self.site.policy_pages(lang) {
                    page.output_path.hash(&mut h);
                }
                Some(h.finish())
            }
            Read::AllPages => Some(answers.all_pages),
            Read::AllAliases => Some(answers.all_aliases),
            Read::Alias(output) => {
                let alias = self.site.alias(*answers.aliases.get(output)?);
                let target = &self.site.page(alias.target).output_path;
                let mut h = Xxh3::new();
                (&alias.url, target).hash(&mut h);
                Some(h.finish())
            }
            Read::Terms => Some(hash_serialized(self.site.terms())),
            Read::Language(lang) => self.languages.get(lang).map(|&(shared, _)| shared),
            Read::Organization(lang) => self.languages.get(lang).map(|&(_, org)| org),
            Read::Template(name) => Some(answers.templates.of(name)),
            Read::Fact(key) => self.renderer.facts().value(key).ok().map(hash_serialized),
            Read::Asset(name) => self
                .renderer
                .compiled()
                .asset(name)
                .map(xxhash_rust::xxh3::xxh3_64),
        }
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
        let data = hash_serialized(data);
        data.hash(&mut everything);
        let everything = everything.finish();
        let by_name = texts
            .keys()
            .map(|name| (name.to_string(), closure(name, &texts, everything, data)))
            .collect();
        TemplateFingerprints { by_name }
    }

    fn of(&self, name: &str) -> u64 {
        // A name no template has (a page's `template = …` typo) fails the render anyway.
        self.by_name.get(name).copied().unwrap_or_default()
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
