//! The files being served: a private temporary folder (never the user's `public/`) and an index
//! of what is in it. Only paths in the index are ever read, so a request cannot reach anything
//! the build did not write.
//!
//! A rebuild stages the files whose bytes changed and then moves each into place with a rename,
//! so a reader gets a file's old or new bytes, never a torn mix, and a failed rebuild leaves the
//! last good build being served. The first build, with nothing served yet, writes each file
//! where it is served and skips the rename (tens of thousands of them on a large site); its
//! files are still read only once it commits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

use crate::diagnostic::{Error, Result};
use crate::output::Output;
use crate::write::Folders;

pub struct ServedFiles {
    folder: tempfile::TempDir,
    /// Output path (`policies/returns/index.html`) → hash of its bytes.
    index: RwLock<HashMap<String, u64>>,
    staged_names: AtomicUsize,
    /// Folders under `site/`: files are removed one by one, folders only with the whole.
    folders: Folders,
}

/// Changes to the served files, applied together by [`Update::commit`].
pub struct Update<'a> {
    files: &'a ServedFiles,
    /// Output path → (staged file, hash).
    staged: Mutex<Vec<(String, PathBuf, u64)>>,
    /// Whether files are written where they are served ([`ServedFiles::begin_first`]).
    in_place: bool,
}

impl ServedFiles {
    pub fn new() -> Result<ServedFiles> {
        let folder = tempfile::Builder::new()
            .prefix("helpdeck-serve-")
            .tempdir()
            .map_err(|e| Error::io("cannot create", &std::env::temp_dir(), e))?;
        for part in ["site", "staging"] {
            let dir = folder.path().join(part);
            std::fs::create_dir(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        }
        Ok(ServedFiles {
            folder,
            index: RwLock::new(HashMap::new()),
            staged_names: AtomicUsize::new(0),
            folders: Folders::default(),
        })
    }

    pub fn begin(&self) -> Update<'_> {
        Update {
            files: self,
            staged: Mutex::new(Vec::new()),
            in_place: false,
        }
    }

    /// The first build's update: nothing is served yet, so files go straight where they are
    /// served, unread until [`Update::commit`] indexes them.
    pub fn begin_first(&self) -> Update<'_> {
        Update {
            files: self,
            staged: Mutex::new(Vec::new()),
            in_place: true,
        }
    }

    /// The bytes of an output, if the build wrote it.
    pub fn read(&self, output: &str) -> Option<Vec<u8>> {
        if !self.contains(output) {
            return None;
        }
        std::fs::read(self.site().join(output)).ok()
    }

    pub fn contains(&self, output: &str) -> bool {
        self.index
            .read()
            .map(|index| index.contains_key(output))
            .unwrap_or(false)
    }

    /// Deletes the private folder; used on Ctrl-C, when request threads still hold this value
    /// and its own clean-up would never run.
    pub fn remove(&self) {
        if let Ok(mut index) = self.index.write() {
            index.clear();
        }
        let _ = std::fs::remove_dir_all(self.folder.path());
    }

    fn site(&self) -> PathBuf {
        self.folder.path().join("site")
    }
}

/// `policies/returns/index.html`, with forward slashes on every platform.
pub fn output_key(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Update<'_> {
    /// Stages an output whose bytes differ from those being served.
    pub fn put(&self, output: Output) -> Result<()> {
        let key = output_key(&output.path);
        let hash = xxhash_rust::xxh3::xxh3_64(&output.bytes);
        let unchanged = self
            .files
            .index
            .read()
            .map(|index| index.get(&key) == Some(&hash))
            .unwrap_or(false);
        if unchanged {
            return Ok(());
        }
        let staged = match self.in_place {
            true => {
                let target = self.files.site().join(&key);
                self.files.folders.make_parent(&target)?;
                target
            }
            false => {
                let number = self.files.staged_names.fetch_add(1, Ordering::Relaxed);
                self.files
                    .folder
                    .path()
                    .join("staging")
                    .join(number.to_string())
            }
        };
        std::fs::write(&staged, &output.bytes)
            .map_err(|e| Error::io("cannot write", &staged, e))?;
        if let Ok(mut list) = self.staged.lock() {
            list.push((key, staged, hash));
        }
        Ok(())
    }

    /// Moves the staged files into place and removes `removed`; returns the output paths that
    /// changed (written or removed), sorted.
    pub fn commit(self, removed: &[PathBuf]) -> Result<Vec<String>> {
        let site = self.files.site();
        let staged = std::mem::take(&mut *self.staged.lock().map_err(poisoned)?);
        // Moved before the index is locked: a template edit moves every page, and requests
        // (which read the index) go on meanwhile, each getting a file's old or new bytes.
        if !self.in_place {
            for (key, staged, _) in &staged {
                let target = site.join(key);
                self.files.folders.make_parent(&target)?;
                std::fs::rename(staged, &target)
                    .map_err(|e| Error::io("cannot move into place", &target, e))?;
            }
        }
        let mut changed = Vec::with_capacity(staged.len() + removed.len());
        let mut gone = Vec::new();
        {
            let mut index = self.files.index.write().map_err(poisoned)?;
            for (key, _, hash) in staged {
                index.insert(key.clone(), hash);
                changed.push(key);
            }
            for path in removed {
                let key = output_key(path);
                if index.remove(&key).is_some() {
                    gone.push(site.join(&key));
                    changed.push(key);
                }
            }
        }
        for file in gone {
            // Already gone is as good as removed.
            let _ = std::fs::remove_file(file);
        }
        changed.sort();
        Ok(changed)
    }
}

impl Drop for Update<'_> {
    fn drop(&mut self) {
        if let Ok(staged) = self.staged.lock() {
            for (_, file, _) in staged.iter() {
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

fn poisoned<T>(_: T) -> Error {
    Error::io(
        "cannot update",
        Path::new("served files"),
        std::io::Error::other("a rebuild thread panicked"),
    )
}
