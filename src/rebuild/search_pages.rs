//! The searchable text of every page served in watch mode, kept between rebuilds so that an
//! edit rebuilds only its language's search index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::output::SearchPage;
use crate::render::Extract;

/// The searchable text of every page, kept so that an edit rebuilds only its language's index.
#[derive(Default)]
pub struct SearchPages {
    /// By page output path.
    pub pages: BTreeMap<PathBuf, SearchPage>,
    /// Languages whose pages changed since their index was last built.
    pub stale: BTreeSet<String>,
    /// The index files of each language, as last built.
    pub files: BTreeMap<String, BTreeSet<PathBuf>>,
}

impl SearchPages {
    /// Takes in the text re-rendered pages left, and forgets removed pages: the languages
    /// whose text changed go stale.
    pub fn take_extracts(&mut self, extracts: &mut [Extract], removed: &[PathBuf]) {
        for path in removed {
            if let Some(old) = self.pages.remove(path) {
                self.stale.insert(old.lang);
            }
        }
        for extract in extracts {
            let new = extract.search.take();
            let old = self.pages.remove(&extract.path);
            if old != new {
                for page in old.iter().chain(&new) {
                    self.stale.insert(page.lang.clone());
                }
            }
            if let Some(search) = new {
                self.pages.insert(extract.path.clone(), search);
            }
        }
    }
}
