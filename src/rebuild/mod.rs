//! Watch mode's build: the site's sources stay in memory between saves, and a batch of changed
//! files re-reads only those files, resolves the site again through [`crate::pipeline`] and
//! re-renders only the outputs where something they read answers differently ([`records`]).
//! `helpdeck build`'s one-shot path is [`crate::build`]; both run the same stages.
//!
//! A rebuild either succeeds as a whole or changes nothing: sources, site and records are
//! replaced only after every output rendered, and changes that failed stay pending, so the next
//! save retries them (a file still broken is still reported).
//!
//! Two things that depend on many pages follow a rebuild instead of holding up the edited
//! page: the search index of the languages whose text changed ([`Rebuilder::reindex`]) and the
//! related articles of the languages where a page's title or opening changed
//! ([`Rebuilder::relate`]: seconds on a 10,000-page language, against milliseconds for the
//! page). Until they run, pages show the related articles as they were.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{self, Document, Sources, StaticFile, Theme};
use crate::output::Sink;
use crate::pipeline::{self, Mode, Opened};
use crate::relate;
use crate::render::{CompiledTheme, Extract, RelatedPages, Renderer, Target};
use crate::resolve::{PageId, Site};
use answers::{Answers, SiteAnswers};
use changes::{Input, classify};
pub use follow_up::{Reindexed, Related, SiteWide};
use records::{Changes, Records, Stale};
use search_pages::SearchPages;
use static_files::{Stamps, StaticCopy};

mod answers;
mod changes;
mod follow_up;
mod in_place;
mod records;
mod search_pages;
mod static_files;

/// The site as last built successfully, with what it was built from.
struct Built {
    /// By file (`content/policies/returns.md`).
    documents: BTreeMap<PathBuf, Arc<Document>>,
    theme: Theme,
    compiled: Arc<CompiledTheme>,
    static_files: Vec<StaticFile>,
    site: Site,
    /// What the site answers to reads: kept while only page bodies change.
    answers: SiteAnswers,
    /// Each page's related pages as its output shows them, once a render has set them.
    related: Option<RelatedPages>,
    /// Per language: the [`relate::inputs`] its related pages were last computed from.
    related_from: BTreeMap<String, u64>,
    /// The outputs that are neither pages nor aliases, as last rendered.
    site_files: Vec<(Target, PathBuf)>,
}

impl Built {
    fn of(
        opened: Opened,
        documents: BTreeMap<PathBuf, Arc<Document>>,
        compiled: Arc<CompiledTheme>,
    ) -> Built {
        let answers = SiteAnswers::of(&opened.site, &opened.theme.templates);
        Built {
            documents,
            theme: opened.theme,
            compiled,
            static_files: opened.static_files,
            site: opened.site,
            answers,
            related: opened.related,
            related_from: BTreeMap::new(),
            site_files: Vec::new(),
        }
    }

    /// A renderer of this site that records what each output reads, showing the related
    /// articles as last computed.
    fn renderer(&self) -> Renderer<'_> {
        let renderer = Renderer::new(&self.site, &self.theme, &self.compiled).recording_reads();
        match &self.related {
            Some(related) => renderer.with_related(Arc::clone(related)),
            None => renderer,
        }
    }

    /// Takes new versions of page files in, returning what each replaced, for
    /// [`Built::restore_documents`].
    fn put_documents(&mut self, documents: Vec<Document>) -> Vec<(PathBuf, Option<Arc<Document>>)> {
        documents
            .into_iter()
            .map(|doc| {
                let file = doc.file.clone();
                let old = self.documents.insert(file.clone(), Arc::new(doc));
                (file, old)
            })
            .collect()
    }

    /// Undoes [`Built::put_documents`].
    fn restore_documents(&mut self, replaced: Vec<(PathBuf, Option<Arc<Document>>)>) {
        for (file, document) in replaced {
            match document {
                Some(document) => self.documents.insert(file, document),
                None => self.documents.remove(&file),
            };
        }
    }
}

pub struct Rebuilder {
    root: PathBuf,
    /// How the pipeline opens the site.
    options: pipeline::Options,
    built: Built,
    records: Records,
    /// Static files as served: output path → (size, modification time) of the source.
    static_stamps: Stamps,
    /// Changed paths (relative to the root) not yet built successfully.
    pending: BTreeSet<PathBuf>,
    search: SearchPages,
    /// Languages whose related pages may be out of date.
    related_dirty: BTreeSet<String>,
    /// Outputs showing every page whose reads changed since they were last rendered.
    site_wide_due: BTreeSet<PathBuf>,
}

/// What one rebuild did.
pub struct Rebuilt {
    /// Outputs rendered (or static files copied) because their inputs changed.
    pub rendered: usize,
    /// All outputs of the site.
    pub outputs: usize,
    /// Outputs that no longer exist.
    pub removed: Vec<PathBuf>,
    /// Whether the site was resolved again, so its pages' addresses or drafts may differ;
    /// `false` when only pages' text changed.
    pub resolved: bool,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// A rebuild that failed: the error, and the outputs of pages whose files are gone, which should
/// stop being served even though the rest of the last good build stays.
pub struct Failed {
    pub error: Error,
    pub gone: Vec<PathBuf>,
}

impl Rebuilder {
    /// Loads and renders the whole site into `sink`.
    pub fn new(root: &Path, drafts: bool, sink: &Sink<'_>) -> Result<(Rebuilder, Rebuilt)> {
        let started = Instant::now();
        let options = pipeline::Options {
            drafts,
            ..pipeline::Options::new(root, Mode::Watch)
        };
        let (mut built, warnings) = load_all(&options, pipeline::open)?;
        let site = &built.site;
        built.related_from = site
            .config
            .language_tags()
            .iter()
            .map(|lang| (lang.to_string(), relate::inputs(site, lang)))
            .collect();
        let mut rebuilder = Rebuilder {
            root: root.to_path_buf(),
            options,
            built,
            records: Records::default(),
            static_stamps: HashMap::new(),
            pending: BTreeSet::new(),
            search: SearchPages::default(),
            related_dirty: BTreeSet::new(),
            site_wide_due: BTreeSet::new(),
        };
        let mut rebuilt = rebuilder.render(None, Changes::Everything, sink)?;
        rebuilt.elapsed = started.elapsed();
        rebuilt.warnings = warnings;
        Ok((rebuilder, rebuilt))
    }

    /// The site as last built successfully.
    pub fn site(&self) -> &Site {
        &self.built.site
    }

    /// The theme the site was last built with.
    pub fn theme(&self) -> &Theme {
        &self.built.theme
    }

    /// Takes in changed paths (relative to the root) and renders what they affect into `sink`.
    pub fn rebuild(
        &mut self,
        changed: impl IntoIterator<Item = PathBuf>,
        sink: &Sink<'_>,
    ) -> std::result::Result<Rebuilt, Failed> {
        let started = Instant::now();
        self.pending.extend(changed);
        let result = self.rebuild_pending(sink);
        match result {
            Ok(mut rebuilt) => {
                self.pending.clear();
                rebuilt.elapsed = started.elapsed();
                Ok(rebuilt)
            }
            Err(error) => {
                let gone = self.gone_outputs();
                self.forget_outputs(&gone);
                Err(Failed { error, gone })
            }
        }
    }

    fn rebuild_pending(&mut self, sink: &Sink<'_>) -> Result<Rebuilt> {
        if let Some(edits) = self.body_edits() {
            return self.rebuild_bodies(edits, sink);
        }
        let inputs: BTreeSet<Input> = self.pending.iter().filter_map(|p| classify(p)).collect();
        if inputs.contains(&Input::Config) {
            let (built, warnings) = load_all(&self.options, pipeline::reopen)?;
            let shares_changed = shares_differ(&self.built, &built);
            let changes = match shares_changed {
                true => Changes::Everything,
                false => Changes::Anything,
            };
            let mut rebuilt = self.render(Some(built), changes, sink)?;
            rebuilt.warnings = warnings;
            return Ok(rebuilt);
        }
        let mut warnings = Vec::new();
        let mut rebuilt = match self.in_place(&inputs, &mut warnings)? {
            Some(patch) => self.rebuild_in_place(patch, sink)?,
            None => self.rebuild_resolved(&inputs, &mut warnings, sink)?,
        };
        // Content is walked for its pages and again for the files beside them.
        warnings.sort_by(|a, b| a.file.cmp(&b.file));
        warnings.dedup();
        rebuilt.warnings = warnings;
        Ok(rebuilt)
    }

    /// Re-reads what changed and resolves the site again.
    fn rebuild_resolved(
        &mut self,
        inputs: &BTreeSet<Input>,
        warnings: &mut Vec<Diagnostic>,
        sink: &Sink<'_>,
    ) -> Result<Rebuilt> {
        let built = &self.built;
        let mut documents = built.documents.clone();
        if inputs.contains(&Input::Content) || inputs.contains(&Input::ContentFolder) {
            self.reread_content(&mut documents, warnings)?;
        }
        let (theme, compiled) = match inputs.contains(&Input::Templates) {
            true => self.load_theme(warnings)?,
            false => (built.theme.clone(), Arc::clone(&built.compiled)),
        };
        let (data, terms) = match inputs.contains(&Input::Data) {
            true => self.load_data(warnings)?,
            false => (built.site.data.clone(), built.site.terms().clone()),
        };
        let static_files =
            if inputs.contains(&Input::Static) || inputs.contains(&Input::ContentFolder) {
                load::static_files(&self.root, warnings)?
            } else {
                built.static_files.clone()
            };
        let sources = Sources {
            config: built.site.config.clone(),
            documents: documents.values().cloned().collect(),
            data,
            terms,
            theme,
            static_files,
            warnings: Vec::new(),
            unreadable: Vec::new(),
            placeholders: Vec::new(),
        };
        let opened = pipeline::resolve(sources, &self.options)?;
        let next = Built::of(opened, documents, compiled);
        let (outputs, files) = self.built.answers.differences(&next.answers);
        let changes = Changes::Pages {
            outputs: &outputs,
            files: &files,
        };
        self.render(Some(next), changes, sink)
    }

    /// Renders the outputs of `next` (or of the current build) that `changes` may have made
    /// stale and, when all went well, makes `next` current.
    fn render(
        &mut self,
        next: Option<Built>,
        changes: Changes<'_>,
        sink: &Sink<'_>,
    ) -> Result<Rebuilt> {
        let built = next.as_ref().unwrap_or(&self.built);
        let mut renderer =
            Renderer::new(&built.site, &built.theme, &built.compiled).recording_reads();
        // A new site shows the related pages of the last build, found by output path, until
        // `relate` recomputes the languages whose pages changed.
        let (related, lists_missing) = match (&next, &self.built.related) {
            (Some(next), Some(old)) => carried_over(&self.built.site, old, &next.site),
            _ => (self.built.related.clone(), BTreeSet::new()),
        };
        if let Some(related) = related {
            renderer = renderer.with_related(related);
        }
        let answers = Answers::new(&built.site, &built.answers, &renderer);
        let with_paths = |targets: Vec<Target>| -> Vec<(Target, PathBuf)> {
            targets
                .into_iter()
                .map(|target| (target, renderer.output_path(target)))
                .collect()
        };
        // An edit in place leaves pages and aliases where they are, and the site's own files
        // (a policy's first change adds the updates page, a template the search page) are few:
        // when those stay too, the records alone say what is stale, whatever the site's size.
        let site_files = with_paths(renderer.site_files());
        let in_place = match changes {
            Changes::Pages { outputs, files }
                if next.is_none()
                    && self.records.complete()
                    && site_files == self.built.site_files =>
            {
                Some((outputs, files))
            }
            _ => None,
        };
        let (stale, listed) = match in_place {
            Some((outputs, files)) => {
                let targets = self.records.stale_in_place(&answers, outputs, files);
                (
                    Stale {
                        targets,
                        removed: Vec::new(),
                    },
                    None,
                )
            }
            None => {
                renderer.check_output_paths()?;
                let targets = with_paths(renderer.targets());
                (
                    self.records.stale(&targets, &answers, changes),
                    Some(targets),
                )
            }
        };
        // What shows every page (the sitemap, the hosting files) follows once saves pause, as
        // the search index does: rendering it takes longer than the edited page.
        let (later, now): (Vec<_>, Vec<_>) = stale
            .targets
            .into_iter()
            .partition(|(_, path)| self.records.reads_every_page(path));
        let now: Vec<Target> = now.into_iter().map(|(target, _)| target).collect();
        let result = renderer.render_targets(&now, sink).and_then(|extracts| {
            Ok((
                extracts,
                self.copy_static(&built.static_files, &built.site.config.brand, sink)?,
            ))
        });
        let (
            extracts,
            StaticCopy {
                copied,
                removed: static_removed,
                stamps,
            },
        ) = result?;
        take_in(
            &mut self.records,
            &mut self.search,
            extracts,
            &stale.removed,
            &answers,
        );
        if let Some(targets) = &listed {
            self.records.list_outputs(targets);
        }
        self.static_stamps = stamps;
        for path in &stale.removed {
            self.site_wide_due.remove(path);
        }
        self.site_wide_due
            .extend(later.into_iter().map(|(_, path)| path));
        let rendered = now.len() + copied;
        let outputs = self.records.output_count() + self.static_stamps.len();
        let mut removed = stale.removed;
        removed.extend(static_removed);
        let related = Arc::clone(renderer.related());
        drop(answers);
        drop(renderer);
        if let Some(next) = next {
            let mut related_from = std::mem::take(&mut self.built.related_from);
            // A language with pages that had no list to carry over is computed again, even
            // if its pages read as they did when its lists were last computed.
            related_from.retain(|lang, _| !lists_missing.contains(lang));
            let old = std::mem::replace(&mut self.built, next);
            // Freeing a large site's pages, documents and answers takes tens of milliseconds
            // the edited page need not wait for.
            std::thread::spawn(move || drop(old));
            self.built.related_from = related_from;
            let languages = self.built.site.config.language_tags();
            self.related_dirty
                .extend(languages.iter().map(|lang| lang.to_string()));
        }
        self.built.related = Some(related);
        self.built.site_files = site_files;
        Ok(Rebuilt {
            rendered,
            outputs,
            removed,
            resolved: true,
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
        })
    }

    /// Re-reads the pending content files (and the Markdown files of pending folders).
    fn reread_content(
        &self,
        documents: &mut BTreeMap<PathBuf, Arc<Document>>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<()> {
        let mut problems = Vec::new();
        for path in &self.pending {
            let Ok(below) = path.strip_prefix("content") else {
                continue;
            };
            // Whatever was at this path (a file, or a folder and everything in it) is read again.
            documents.retain(|file, _| !file.starts_with(path));
            for (rel, abs) in load::walk_within(&self.root, Path::new("content"), below, warnings)?
            {
                if !load::is_markdown(&rel) {
                    continue;
                }
                match load::read_document(&rel, &abs, &self.built.site.config) {
                    Ok(doc) if doc.meta.draft && !self.options.load_options().drafts => {}
                    Ok(doc) => {
                        documents.insert(doc.file.clone(), Arc::new(doc));
                    }
                    Err(mut p) => problems.append(&mut p),
                }
            }
        }
        if documents.is_empty() {
            problems.push(Diagnostic::new(
                "content",
                "no content: add Markdown pages under content/",
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems))
        }
    }

    /// Forgets outputs that stop being served while a rebuild fails, so that the next good
    /// build renders them again if their files come back.
    fn forget_outputs(&mut self, outputs: &[PathBuf]) {
        self.records.forget_outputs(outputs);
        self.search.take_extracts(&mut [], outputs);
    }

    /// Outputs of the pages whose files were deleted among the pending changes.
    fn gone_outputs(&self) -> Vec<PathBuf> {
        let deleted: Vec<&PathBuf> = self
            .pending
            .iter()
            .filter(|p| p.starts_with("content") && !self.root.join(p).exists())
            .collect();
        self.built
            .site
            .pages()
            .iter()
            .filter(|page| deleted.iter().any(|d| page.doc.file.starts_with(d)))
            .map(|page| page.output_path.clone())
            .collect()
    }
}

/// The site opened (or opened again) by the pipeline, with its theme compiled.
fn load_all(
    options: &pipeline::Options,
    open: fn(&pipeline::Options) -> Result<Opened>,
) -> Result<(Built, Vec<Diagnostic>)> {
    let mut opened = open(options)?;
    let compiled = Arc::new(opened.compile()?);
    let warnings = std::mem::take(&mut opened.warnings);
    let documents = opened
        .documents
        .iter()
        .map(|d| (d.file.clone(), Arc::clone(d)))
        .collect();
    Ok((Built::of(opened, documents, compiled), warnings))
}

/// The related pages of the `old` site's pages, for the same pages (by output path) of the
/// `new` site; pages that are gone drop out. Also returns the languages of the new site's
/// pages that the old site did not have, whose lists are left empty.
fn carried_over(
    old_site: &Site,
    old: &RelatedPages,
    new_site: &Site,
) -> (Option<RelatedPages>, BTreeSet<String>) {
    // Most saves leave every page where it was: the lists stand as they are.
    let (old_pages, new_pages) = (old_site.pages(), new_site.pages());
    let same_places = old_pages.len() == new_pages.len()
        && old_pages
            .iter()
            .zip(new_pages)
            .all(|(a, b)| a.output_path == b.output_path);
    if same_places {
        return (Some(Arc::clone(old)), BTreeSet::new());
    }
    let old_ids: HashMap<&Path, PageId> = old_pages
        .iter()
        .enumerate()
        .map(|(id, page)| (page.output_path.as_path(), id))
        .collect();
    // Each new page's old id, and each old page's new id, found by path once.
    let from_old: Vec<Option<PageId>> = new_pages
        .iter()
        .map(|page| old_ids.get(page.output_path.as_path()).copied())
        .collect();
    let mut to_new: Vec<Option<PageId>> = vec![None; old_pages.len()];
    for (new_id, old_id) in from_old.iter().enumerate() {
        if let Some(old_id) = *old_id {
            to_new[old_id] = Some(new_id);
        }
    }
    let mut missing = BTreeSet::new();
    let lists = new_pages
        .iter()
        .zip(&from_old)
        .map(|(page, old_id)| match old_id {
            Some(old_id) => old[*old_id].iter().filter_map(|&r| to_new[r]).collect(),
            None => {
                missing.insert(page.doc.lang.clone());
                Vec::new()
            }
        })
        .collect();
    (Some(Arc::new(lists)), missing)
}

/// Whether what every page shares differs between two builds: the config, which decides how
/// every page is read and rendered, not only what its context shows, and the theme's UI
/// strings. The data files are not among them: the pages reading a value record it.
fn shares_differ(old: &Built, new: &Built) -> bool {
    old.site.config != new.site.config || old.theme.strings != new.theme.strings
}

/// Takes in what rendered outputs left: their text for the search index, and their reads.
fn take_in(
    records: &mut Records,
    search: &mut SearchPages,
    mut extracts: Vec<Extract>,
    removed: &[PathBuf],
    answers: &Answers<'_>,
) {
    search.take_extracts(&mut extracts, removed);
    records.record(records::reads_of(&mut extracts), removed, answers);
}
