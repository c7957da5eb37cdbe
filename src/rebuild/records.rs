//! What each output served in watch mode was built from, and whether that still holds.
//!
//! [`Records`] hold the reads each output's rendering made ([`crate::reads`]) and what each
//! distinct read answered then. After an edit, [`Answers`] says what each read answers now,
//! once per read however many outputs made it; an output is stale when one of its reads
//! answers differently, or when it is new. Nothing here lists what a context shows: a value
//! reached while rendering is a read, and a read is answered from the site as it is.
//!
//! The build moment (which notices and holidays are still to come) is part of a language's
//! shared values, so a notice that ends re-renders its language at the next edit.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::load::TemplateSource;
use crate::reads::{Read, hash_serialized};
use crate::render::{Extract, Renderer, Target};
use crate::resolve::{Page, PageId, Site};

/// The outputs being served and what each read when it was last rendered, with the readers of
/// each distinct read: after an edit, each distinct read is answered once, and the readers of
/// those that answer differently are stale.
#[derive(Default)]
pub struct Records {
    /// Output path → its index in `outputs`.
    output_ids: HashMap<PathBuf, usize>,
    /// By output index; `None` once forgotten.
    outputs: Vec<Option<Served>>,
    /// Whether every output of the site's last full list ([`Records::list_outputs`]) is
    /// recorded: not once outputs are forgotten, until the next full list.
    complete: bool,
    /// Read → its index in `reads`.
    read_ids: HashMap<Read, usize>,
    /// Every distinct read recorded, with what it answered when its readers last rendered.
    reads: Vec<(Read, Option<u64>)>,
    /// By read index: the outputs that made it.
    readers: Vec<HashSet<usize>>,
    /// The reads of each page ([`Read::Page`], [`Read::Relations`]) by its output path, and of
    /// each page file's body by the file: what an edit in place can have changed.
    page_reads: HashMap<PathBuf, Vec<usize>>,
    body_reads: HashMap<PathBuf, Vec<usize>>,
    /// Every other read: few, and answered after every edit.
    other_reads: Vec<usize>,
}

/// One output as served.
struct Served {
    /// What renders it in the site as it is now.
    target: Target,
    path: PathBuf,
    /// What it read, as indexes in `reads`.
    reads: Vec<usize>,
}

/// What may answer differently since the records were last brought up to date.
#[derive(Clone, Copy)]
pub enum Changes<'c> {
    /// Everything: the config changed, every output renders.
    Everything,
    /// Anything: every read is answered (the config changed, though not what every page
    /// shares).
    Anything,
    /// The pages (by output path) and page bodies (by file) an edit changed, and whatever is
    /// not a page's (languages, templates, facts, keys…).
    Pages {
        outputs: &'c [PathBuf],
        files: &'c [PathBuf],
    },
}

/// What the records say must be redone.
pub struct Stale {
    /// With their output paths.
    pub targets: Vec<(Target, PathBuf)>,
    /// Outputs served before that no target produces now.
    pub removed: Vec<PathBuf>,
}

impl Records {
    /// Forgets some outputs, so that the next [`Records::stale`] renders them if they exist.
    pub fn forget_outputs(&mut self, outputs: &[PathBuf]) {
        for path in outputs {
            if let Some(id) = self.output_ids.remove(path) {
                self.drop_reads_of(id);
                self.outputs[id] = None;
                self.complete = false;
            }
        }
    }

    fn drop_reads_of(&mut self, output: usize) {
        for served in self.outputs[output].iter() {
            for &read in &served.reads {
                self.readers[read].remove(&output);
            }
        }
    }

    /// Takes the site's full list of outputs, once each of them not recorded has rendered: an
    /// output keeps its reads under the target that renders it now (resolving moves pages'
    /// ids), and every output is recorded.
    pub fn list_outputs(&mut self, targets: &[(Target, PathBuf)]) {
        for (target, path) in targets {
            if let Some(served) = self
                .output_ids
                .get(path)
                .and_then(|&id| self.outputs[id].as_mut())
            {
                served.target = *target;
            }
        }
        self.complete = true;
    }

    /// Whether every output of the site's last full list is recorded, so that
    /// [`Records::stale`] can go by the records alone.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Of every output of the site (`targets`, with their paths), those not recorded or having
    /// made a read that answers differently now (all of them when `everything` changed: the
    /// config, which decides how every page is read and rendered); and the recorded outputs no
    /// target produces any more.
    pub fn stale(
        &self,
        targets: &[(Target, PathBuf)],
        answers: &Answers<'_>,
        changes: Changes<'_>,
    ) -> Stale {
        let stale_outputs = match changes {
            Changes::Everything => {
                return Stale {
                    targets: targets.to_vec(),
                    removed: self.not_produced(targets),
                };
            }
            Changes::Anything => self.readers_of_changed((0..self.reads.len()).collect(), answers),
            Changes::Pages { outputs, files } => {
                self.readers_of_changed(self.candidates(outputs, files), answers)
            }
        };
        let stale = targets
            .iter()
            .filter(|(_, path)| match self.output_ids.get(path) {
                None => true,
                Some(id) => stale_outputs.contains(id),
            })
            .cloned()
            .collect();
        Stale {
            targets: stale,
            removed: self.not_produced(targets),
        }
    }

    /// [`Records::stale`] for an edit that leaves the site's outputs as they are (every one
    /// recorded, [`Records::complete`]): the recorded outputs with a read that answers
    /// differently, by path. Nothing here grows with the site.
    pub fn stale_in_place(
        &self,
        answers: &Answers<'_>,
        outputs: &[PathBuf],
        files: &[PathBuf],
    ) -> Vec<(Target, PathBuf)> {
        let stale_outputs = self.readers_of_changed(self.candidates(outputs, files), answers);
        let mut stale: Vec<&Served> = stale_outputs
            .iter()
            .filter_map(|&id| self.outputs[id].as_ref())
            .collect();
        stale.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        stale.iter().map(|s| (s.target, s.path.clone())).collect()
    }

    /// The reads an edit of the pages at `outputs` and of the page files `files` may have
    /// changed: theirs, and every read of no page.
    fn candidates(&self, outputs: &[PathBuf], files: &[PathBuf]) -> Vec<usize> {
        let of = |index: &HashMap<PathBuf, Vec<usize>>, keys: &[PathBuf]| {
            keys.iter()
                .flat_map(|key| index.get(key).into_iter().flatten().copied())
                .collect::<Vec<usize>>()
        };
        let mut candidates = self.other_reads.clone();
        candidates.extend(of(&self.page_reads, outputs));
        candidates.extend(of(&self.body_reads, files));
        candidates
    }

    /// The outputs that made one of `candidates` (reads) that answers differently now.
    fn readers_of_changed(&self, candidates: Vec<usize>, answers: &Answers<'_>) -> HashSet<usize> {
        let changed: Vec<usize> = candidates
            .into_par_iter()
            .filter(|&read| {
                let (what, then) = &self.reads[read];
                !self.readers[read].is_empty() && answers.answer(what) != *then
            })
            .collect();
        changed
            .into_iter()
            .flat_map(|read| self.readers[read].iter().copied())
            .collect()
    }

    /// The recorded outputs none of `targets` produces.
    fn not_produced(&self, targets: &[(Target, PathBuf)]) -> Vec<PathBuf> {
        let produced: HashSet<&PathBuf> = targets.iter().map(|(_, path)| path).collect();
        self.output_ids
            .keys()
            .filter(|path| !produced.contains(path))
            .cloned()
            .collect()
    }

    /// Takes in what rendered outputs read, and forgets the outputs in `removed`. The reads of
    /// the rendered outputs are taken as answering what they answer now: the caller rendered
    /// every reader of a read that changed.
    pub fn record(
        &mut self,
        rendered: Vec<(Target, PathBuf, Vec<Read>)>,
        removed: &[PathBuf],
        answers: &Answers<'_>,
    ) {
        let complete = self.complete;
        self.forget_outputs(removed);
        // Outputs no target produces any more are not missing.
        self.complete = complete;
        let mut made = HashSet::new();
        for (target, path, reads) in rendered {
            let output = match self.output_ids.get(&path) {
                Some(&id) => {
                    self.drop_reads_of(id);
                    id
                }
                None => {
                    self.outputs.push(None);
                    self.output_ids.insert(path.clone(), self.outputs.len() - 1);
                    self.outputs.len() - 1
                }
            };
            let mut ids: Vec<usize> = reads.into_iter().map(|read| self.read_id(read)).collect();
            ids.sort_unstable();
            ids.dedup();
            for &read in &ids {
                self.readers[read].insert(output);
            }
            made.extend(ids.iter().copied());
            self.outputs[output] = Some(Served {
                target,
                path,
                reads: ids,
            });
        }
        let made: Vec<usize> = made.into_iter().collect();
        let now: Vec<Option<u64>> = made
            .par_iter()
            .map(|&read| answers.answer(&self.reads[read].0))
            .collect();
        for (read, answer) in made.into_iter().zip(now) {
            self.reads[read].1 = answer;
        }
    }

    /// Whether the output at `path` read every page or every alias when it last rendered (the
    /// sitemap, the hosting files).
    pub fn reads_every_page(&self, path: &Path) -> bool {
        let Some(Some(served)) = self.output_ids.get(path).map(|&id| &self.outputs[id]) else {
            return false;
        };
        [Read::AllPages, Read::AllAliases]
            .iter()
            .filter_map(|read| self.read_ids.get(read))
            .any(|id| served.reads.binary_search(id).is_ok())
    }

    fn read_id(&mut self, read: Read) -> usize {
        if let Some(&id) = self.read_ids.get(&read) {
            return id;
        }
        let id = self.reads.len();
        match &read {
            Read::Page(output) | Read::Relations(output) => {
                self.page_reads.entry(output.clone()).or_default().push(id)
            }
            Read::Body(file) => self.body_reads.entry(file.clone()).or_default().push(id),
            _ => self.other_reads.push(id),
        }
        self.reads.push((read.clone(), None));
        self.readers.push(HashSet::new());
        self.read_ids.insert(read, id);
        id
    }

    pub fn output_count(&self) -> usize {
        self.output_ids.len()
    }
}

/// What rendering `extracts` read, by output path, for [`Records::record`].
pub fn reads_of(extracts: &mut [Extract]) -> Vec<(Target, PathBuf, Vec<Read>)> {
    extracts
        .iter_mut()
        .map(|e| (e.target, e.path.clone(), std::mem::take(&mut e.reads)))
        .collect()
}

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
    fn answer(&self, read: &Read) -> Option<u64> {
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
            Read::Shop => Some(hash_serialized(self.site.shop())),
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
