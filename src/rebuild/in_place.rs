//! Edits watch mode applies to the site as it stands, without resolving it again: page bodies
//! (the pages showing them re-render, nothing else is looked at), and front matter, data files
//! and templates that leave every page where resolving put it ([`same_place`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::answers::Answers;
use super::changes::{Input, classify};
use super::records::Changes;
use super::{Rebuilder, Rebuilt, take_in};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::shop::ShopTerms;
use crate::load::{self, Document, Theme};
use crate::output::Sink;
use crate::pipeline;
use crate::render::{CompiledTheme, Target};
use crate::resolve::{PageId, same_place};

/// A change that leaves every page where it is: new versions of pages' files, data files or
/// the theme.
pub(super) struct InPlace {
    documents: Vec<Document>,
    data: Option<(toml::Table, ShopTerms)>,
    theme: Option<(Theme, Arc<CompiledTheme>)>,
}

impl Rebuilder {
    /// The pending changes as a change of the site in place, when resolving it again would put
    /// every page where it is: edits of data files, templates and pages' front matter that
    /// leave every page in [`same_place`] (a title or weight only orders a listing).
    pub(super) fn in_place(
        &self,
        inputs: &BTreeSet<Input>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Option<InPlace>> {
        let in_place = [Input::Data, Input::Templates, Input::Content];
        if !inputs.iter().all(|input| in_place.contains(input)) {
            return Ok(None);
        }
        let mut documents = Vec::new();
        for path in self
            .pending
            .iter()
            .filter(|p| classify(p) == Some(Input::Content))
        {
            match self.reread_in_place(path) {
                Some(document) => documents.push(document),
                None => return Ok(None),
            }
        }
        let data = match inputs.contains(&Input::Data) {
            true => Some(self.load_data(warnings)?),
            false => None,
        };
        let theme = match inputs.contains(&Input::Templates) {
            true => Some(self.load_theme(warnings)?),
            false => None,
        };
        Ok(Some(InPlace {
            documents,
            data,
            theme,
        }))
    }

    /// The page file at `path` read again, when it is a page of the site that stays in
    /// [`same_place`]; a file that is new, gone, broken or a draft now is for resolving.
    fn reread_in_place(&self, path: &Path) -> Option<Document> {
        let old = self.built.documents.get(path)?;
        let rel = path.strip_prefix("content").ok()?;
        let Ok(load::Reached::File(absolute)) = load::reach(&self.root, path) else {
            return None;
        };
        let new = load::read_document(rel, &absolute, &self.built.site.config).ok()?;
        (old.lang == new.lang && same_place(&old.meta, &new.meta) && same_role(old, &new))
            .then_some(new)
    }

    /// Puts what changed into the site as it is and renders the outputs whose reads now answer
    /// differently; a failed render leaves the site as it was.
    pub(super) fn rebuild_in_place(&mut self, change: InPlace, sink: &Sink<'_>) -> Result<Rebuilt> {
        let built = &mut self.built;
        let edited = built.site.edit_documents(&change.documents);
        // A document's fallbacks show it in their own languages.
        let languages: BTreeSet<String> = edited
            .pages()
            .map(|id| built.site.page(id).doc.lang.clone())
            .collect();
        let replaced_documents = built.put_documents(change.documents);
        let replaced_data = change
            .data
            .map(|(data, shop)| built.site.replace_data(data, shop));
        let replaced_theme = change.theme.map(|(theme, compiled)| {
            (
                std::mem::replace(&mut built.theme, theme),
                std::mem::replace(&mut built.compiled, compiled),
            )
        });
        let changed = edited.changed(&built.site);
        let templates_changed = replaced_data.is_some() || replaced_theme.is_some();
        built.answers.update_pages(&built.site, &changed);
        if templates_changed {
            built
                .answers
                .update_templates(&built.theme.templates, &built.site.data);
        }
        let pages = &self.built.site;
        let outputs: Vec<PathBuf> = changed
            .iter()
            .map(|&id| pages.page(id).output_path.clone())
            .collect();
        let files: Vec<PathBuf> = replaced_documents
            .iter()
            .map(|(file, _)| file.clone())
            .collect();
        match self.render(
            None,
            Changes::Pages {
                outputs: &outputs,
                files: &files,
            },
            sink,
        ) {
            Ok(rebuilt) => {
                // Titles and openings are what related articles are found from.
                self.related_dirty.extend(languages);
                Ok(Rebuilt {
                    resolved: false,
                    ..rebuilt
                })
            }
            Err(error) => {
                let built = &mut self.built;
                built.site.undo(edited);
                built.restore_documents(replaced_documents);
                if let Some((data, shop)) = replaced_data {
                    built.site.replace_data(data, shop);
                }
                if let Some((theme, compiled)) = replaced_theme {
                    built.theme = theme;
                    built.compiled = compiled;
                }
                built.answers.update_pages(&built.site, &changed);
                if templates_changed {
                    built
                        .answers
                        .update_templates(&built.theme.templates, &built.site.data);
                }
                Err(error)
            }
        }
    }

    /// The theme read and compiled again.
    pub(super) fn load_theme(
        &self,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<(Theme, Arc<CompiledTheme>)> {
        let config = &self.built.site.config;
        let mut problems = Vec::new();
        let theme = Theme::load(&self.root, &config.theme, &mut problems, warnings)?;
        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        let compiled = pipeline::compile(&theme, config, self.options.mode)?;
        Ok((theme, Arc::new(compiled)))
    }

    /// The data files read again.
    pub(super) fn load_data(
        &self,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<(toml::Table, ShopTerms)> {
        let mut problems = Vec::new();
        // Watch mode previews on this machine: example domains are the build's concern.
        let mut placeholders = Vec::new();
        let config = &self.built.site.config;
        let data = load::load_data(
            &self.root,
            config,
            &mut problems,
            warnings,
            &mut placeholders,
        )?;
        match problems.is_empty() {
            true => Ok(data),
            false => Err(Error::invalid(problems)),
        }
    }

    /// The pending changes as new documents, when they are all edits of existing pages' text
    /// below the front matter: such edits leave the resolved site as it is.
    pub(super) fn body_edits(&self) -> Option<Vec<Document>> {
        self.pending
            .iter()
            .map(|path| {
                let old = self.built.documents.get(path)?;
                let rel = path.strip_prefix("content").ok()?;
                if classify(path) != Some(Input::Content) {
                    return None;
                }
                let Ok(load::Reached::File(absolute)) = load::reach(&self.root, path) else {
                    return None;
                };
                let new = load::read_document(rel, &absolute, &self.built.site.config).ok()?;
                let same_place = (old.body_line, &old.lang) == (new.body_line, &new.lang);
                (same_place
                    && same_role(old, &new)
                    && old.front_matter_hash == new.front_matter_hash)
                    .then_some(new)
            })
            .collect()
    }

    /// Puts new page bodies into the site as it is resolved and re-renders the pages showing
    /// them (a page and its fallbacks): no resolving, no answering of the whole site's reads. The
    /// related articles the new text changes follow in [`Rebuilder::relate`], the other outputs
    /// reading the bodies in [`Rebuilder::render_site_wide`].
    pub(super) fn rebuild_bodies(
        &mut self,
        edits: Vec<Document>,
        sink: &Sink<'_>,
    ) -> Result<Rebuilt> {
        let built = &mut self.built;
        let replaced: Vec<(PageId, Arc<Document>)> = edits
            .iter()
            .flat_map(|doc| built.site.replace_document(doc))
            .collect();
        let replaced_documents = built.put_documents(edits);
        let shown: BTreeSet<PageId> = replaced.iter().map(|&(id, _)| id).collect();
        built.answers.update_pages(&built.site, &shown);
        let targets: Vec<Target> = shown.iter().map(|&id| Target::Page(id)).collect();
        let renderer = self.built.renderer();
        let extracts = match renderer.render_targets(&targets, sink) {
            Ok(extracts) => extracts,
            Err(error) => {
                drop(renderer);
                let built = &mut self.built;
                built.site.restore_documents(replaced);
                built.restore_documents(replaced_documents);
                built.answers.update_pages(&built.site, &shown);
                return Err(error);
            }
        };
        let answers = Answers::new(&self.built.site, &self.built.answers, &renderer);
        let rendered: BTreeSet<PathBuf> = extracts
            .iter()
            .map(|extract| extract.path.clone())
            .collect();
        take_in(&mut self.records, &mut self.search, extracts, &[], &answers);
        drop(answers);
        drop(renderer);
        // Outputs that read these bodies for other pages (the saved replies pages) follow
        // once saves pause, as the sitemap does.
        let files: Vec<PathBuf> = replaced
            .iter()
            .map(|(id, _)| self.built.site.page(*id).doc.file.clone())
            .collect();
        self.site_wide_due.extend(
            self.records
                .body_readers(&files)
                .into_iter()
                .filter(|path| !rendered.contains(path)),
        );
        let site = &self.built.site;
        self.related_dirty.extend(
            replaced
                .iter()
                .map(|(id, _)| site.page(*id).doc.lang.clone()),
        );
        Ok(Rebuilt {
            rendered: targets.len(),
            outputs: self.records.output_count() + self.static_stamps.len(),
            removed: Vec::new(),
            resolved: false,
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
        })
    }
}

/// Whether an edited file plays the part it did: a translation that starts or stops being its
/// source's text, or a machine draft, comes or goes as a page, which only resolving decides.
fn same_role(old: &Document, new: &Document) -> bool {
    old.is_untranslated_copy() == new.is_untranslated_copy()
        && old.is_machine_draft() == new.is_machine_draft()
}
