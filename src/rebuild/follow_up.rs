//! What follows a rebuild once saves pause: the search index of the languages whose text
//! changed, and the related articles of those where a page's title or opening changed. Both
//! depend on many pages, so the edited page is served and reloaded first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::answers::Answers;
use super::{Rebuilder, take_in};
use crate::diagnostic::{Error, Result};
use crate::index::Interrupted;
use crate::output::{Output, SearchPage, Sink};
use crate::relate;
use crate::render::{Renderer, Target};

/// What recomputing related articles did.
pub struct Related {
    /// The languages recomputed: those whose pages' titles or openings changed.
    pub languages: Vec<String>,
    /// Pages re-rendered because their list changed.
    pub rendered: usize,
    pub elapsed: Duration,
}

/// What rebuilding the search index did.
pub struct Reindexed {
    pub languages: Vec<String>,
    pub removed: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// What rendering the outputs that show every page did.
pub struct SiteWide {
    pub rendered: usize,
    pub elapsed: Duration,
}

impl Rebuilder {
    /// Renders the outputs showing every page (the sitemap, the hosting files) whose reads
    /// changed in the rebuilds since the last call, into `sink`.
    pub fn render_site_wide(&mut self, sink: &Sink<'_>) -> Result<SiteWide> {
        let started = Instant::now();
        if self.site_wide_due.is_empty() {
            return Ok(SiteWide {
                rendered: 0,
                elapsed: started.elapsed(),
            });
        }
        let built = &self.built;
        let renderer = built.renderer();
        let targets: Vec<Target> = renderer
            .targets()
            .into_iter()
            .filter(|&target| self.site_wide_due.contains(&renderer.output_path(target)))
            .collect();
        let extracts = renderer.render_targets(&targets, sink)?;
        let answers = Answers::new(&built.site, &built.answers, &renderer);
        take_in(&mut self.records, &mut self.search, extracts, &[], &answers);
        drop(answers);
        drop(renderer);
        self.site_wide_due.clear();
        Ok(SiteWide {
            rendered: targets.len(),
            elapsed: started.elapsed(),
        })
    }

    /// Rebuilds the search index of the languages whose pages changed since it was last built
    /// (all of them the first time), into `sink`. Separate from [`Rebuilder::rebuild`] so the
    /// edited page is served and reloaded before the index follows. When `interrupted` says
    /// so, gives up with [`Error::Interrupted`] and leaves the languages to the next call.
    pub fn reindex(&mut self, sink: &Sink<'_>, interrupted: &Interrupted<'_>) -> Result<Reindexed> {
        let started = Instant::now();
        let configured = self.built.site.config.language_tags();
        // Every configured language has an index, as in a build, searchable pages or not; a
        // language no longer configured has none.
        let unconfigured: Vec<String> = self
            .search
            .files
            .keys()
            .filter(|lang| !configured.contains(&lang.as_str()))
            .cloned()
            .collect();
        let mut removed: Vec<PathBuf> = unconfigured
            .iter()
            .flat_map(|lang| self.search.files[lang].iter().cloned())
            .collect();
        let mut stale = std::mem::take(&mut self.search.stale);
        stale.retain(|lang| configured.contains(&lang.as_str()));
        stale.extend(
            configured
                .iter()
                .filter(|lang| !self.search.files.contains_key(**lang))
                .map(|lang| lang.to_string()),
        );
        let languages: Vec<String> = stale.into_iter().collect();
        if languages.is_empty() {
            for lang in &unconfigured {
                self.search.files.remove(lang);
            }
            return Ok(Reindexed {
                languages,
                removed,
                elapsed: started.elapsed(),
            });
        }
        let pages: Vec<&SearchPage> = self.search.pages.values().collect();
        let tags: Vec<&str> = languages.iter().map(String::as_str).collect();
        let written = Mutex::new(BTreeMap::<String, BTreeSet<PathBuf>>::new());
        let put = |output: Output| {
            if interrupted() {
                return Err(Error::Interrupted);
            }
            if let (Some(lang), Ok(mut written)) = (index_language(&output.path), written.lock()) {
                written.entry(lang).or_default().insert(output.path.clone());
            }
            sink(output)
        };
        let result = crate::index::build_languages(
            &self.built.site.config,
            &pages,
            &tags,
            &put,
            interrupted,
        );
        if let Err(error) = result {
            self.search.stale.extend(languages);
            return Err(error);
        }
        for lang in &unconfigured {
            self.search.files.remove(lang);
        }
        let mut written = written.into_inner().unwrap_or_default();
        for lang in &languages {
            let files = written.remove(lang).unwrap_or_default();
            let old = self
                .search
                .files
                .insert(lang.clone(), files.clone())
                .unwrap_or_default();
            removed.extend(old.difference(&files).cloned());
        }
        Ok(Reindexed {
            languages,
            removed,
            elapsed: started.elapsed(),
        })
    }

    /// Whether every language's search index is built from the pages as they are.
    pub fn search_index_current(&self) -> bool {
        self.search.stale.is_empty()
    }

    /// Recomputes the related articles of the languages where a page's title or opening
    /// changed since they were last computed, and re-renders the pages whose list changed,
    /// into `sink`. Separate from [`Rebuilder::rebuild`] so the edited page is served and
    /// reloaded first.
    pub fn relate(&mut self, sink: &Sink<'_>) -> Result<Related> {
        let started = Instant::now();
        let dirty = std::mem::take(&mut self.related_dirty);
        let built = &self.built;
        let site = &built.site;
        let (Some(old), false) = (&built.related, dirty.is_empty()) else {
            return Ok(Related {
                languages: Vec::new(),
                rendered: 0,
                elapsed: started.elapsed(),
            });
        };
        let inputs: Vec<(&str, u64)> = dirty
            .iter()
            .map(|lang| (lang.as_str(), relate::inputs(site, lang)))
            .filter(|(lang, inputs)| built.related_from.get(*lang) != Some(inputs))
            .collect();
        let languages: Vec<&str> = inputs.iter().map(|(lang, _)| *lang).collect();
        if languages.is_empty() {
            return Ok(Related {
                languages: Vec::new(),
                rendered: 0,
                elapsed: started.elapsed(),
            });
        }
        let mut lists = Vec::clone(old);
        let mut targets = Vec::new();
        for (id, list) in relate::related_in(site, &languages, None) {
            if lists[id] != list {
                lists[id] = list;
                targets.push(Target::Page(id));
            }
        }
        let lists = Arc::new(lists);
        let renderer = Renderer::new(site, &built.theme, &built.compiled)
            .recording_reads()
            .with_related(Arc::clone(&lists));
        let extracts = match renderer.render_targets(&targets, sink) {
            Ok(extracts) => extracts,
            Err(error) => {
                self.related_dirty = dirty;
                return Err(error);
            }
        };
        let answers = Answers::new(site, &built.answers, &renderer);
        take_in(&mut self.records, &mut self.search, extracts, &[], &answers);
        let rendered = targets.len();
        let languages: Vec<String> = languages.iter().map(|l| l.to_string()).collect();
        drop(answers);
        drop(renderer);
        self.built.related_from.extend(
            inputs
                .into_iter()
                .map(|(lang, inputs)| (lang.to_string(), inputs)),
        );
        self.built.related = Some(lists);
        Ok(Related {
            languages,
            rendered,
            elapsed: started.elapsed(),
        })
    }
}

/// The language of a search index file: `search-index/lt.json.gz`, `search-index/lt/…`.
fn index_language(path: &Path) -> Option<String> {
    let name = path.components().nth(1)?.as_os_str().to_str()?;
    Some(name.strip_suffix(".json.gz").unwrap_or(name).to_string())
}
