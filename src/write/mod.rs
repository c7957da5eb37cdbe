//! Write: puts a build on disk so that the output folder is never half-written.
//!
//! Everything goes into a staging folder beside the output; only a complete build replaces
//! the output, by renames, so a failed or killed build leaves the previous output as it was
//! and a successful one leaves no stale files. Refuses outputs that would hold or clobber the
//! site's sources, or a folder helpdeck did not make.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::{Error, Result};
use crate::load::StaticFile;
use crate::render::Output;

/// Marks a folder as helpdeck's output, so a rebuild may replace it.
pub const MARKER: &str = ".helpdeck-output";

pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    folders: Folders,
    committed: bool,
}

impl Staging {
    /// Checks that `output` is safe to replace and creates the staging folder beside it.
    pub fn create(root: &Path, output: &Path) -> Result<Staging> {
        check_output(root, output)?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.helpdeck-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| Error::io("cannot remove", &staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io("cannot create", &staging, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            staging,
            folders: Folders::default(),
            committed: false,
        })
    }

    /// Writes one finished file into the staging folder.
    pub fn put(&self, file: Output) -> Result<()> {
        let path = self.staging.join(&file.path);
        self.folders.make_parent(&path)?;
        std::fs::write(&path, &file.bytes).map_err(|e| Error::io("cannot write", &path, e))
    }

    pub fn copy_static(&self, files: &[StaticFile]) -> Result<()> {
        for file in files {
            let target = self.staging.join(&file.output);
            self.folders.make_parent(&target)?;
            std::fs::copy(&file.source, &target)
                .map_err(|e| Error::io("cannot copy", &file.source, e))?;
        }
        Ok(())
    }

    /// Replaces the output with the staged build.
    pub fn commit(mut self) -> Result<()> {
        std::fs::write(
            self.staging.join(MARKER),
            "This folder is written by helpdeck build; it is replaced on every build.\n",
        )
        .map_err(|e| Error::io("cannot write", &self.staging, e))?;
        let previous = self.staging.with_extension("previous");
        let had_output = self.output.exists();
        if had_output {
            std::fs::rename(&self.output, &previous)
                .map_err(|e| Error::io("cannot move aside", &self.output, e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.output) {
            if had_output {
                let _ = std::fs::rename(&previous, &self.output);
            }
            return Err(Error::io("cannot move into place", &self.output, e));
        }
        self.committed = true;
        if had_output {
            std::fs::remove_dir_all(&previous)
                .map_err(|e| Error::io("cannot remove", &previous, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// The folders a writer has made, so that each is made once: the search index puts thousands
/// of files in one folder, and asking the system to create it again for each costs two calls
/// per file. Only for folders nothing else removes while the writer lives.
#[derive(Default)]
pub struct Folders(Mutex<HashSet<PathBuf>>);

impl Folders {
    /// Makes the folder `file` goes in (and its parents), unless this already did.
    pub fn make_parent(&self, file: &Path) -> Result<()> {
        let Some(dir) = file.parent() else {
            return Ok(());
        };
        if self.0.lock().is_ok_and(|made| made.contains(dir)) {
            return Ok(());
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        if let Ok(mut made) = self.0.lock() {
            made.insert(dir.to_path_buf());
        }
        Ok(())
    }
}

/// Refuses an output that is the site root or a parent of it, holds sources, or is a non-empty
/// folder that is not an earlier helpdeck output.
pub fn check_output(root: &Path, output: &Path) -> Result<()> {
    let refuse = |reason: &str| {
        Err(Error::UnsafeOutput {
            path: output.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let root = absolute(root);
    let out = absolute(output);
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for source in ["content", "data", "templates", "themes", "static"] {
        if out.starts_with(root.join(source)) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(&out).map_err(|e| Error::io("cannot read", &out, e))?;
        if entries.next().is_some() && !out.join(MARKER).is_file() {
            return refuse(
                "it is a non-empty folder that helpdeck did not write (remove it or pick another --output)",
            );
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symlinks of the part that exists.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return path,
        }
    }
}
