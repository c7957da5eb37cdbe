//! Write: puts a build on disk so that the output folder is never half-written.
//!
//! Everything goes into a staging folder beside the output; only a complete build replaces
//! the output, by renames, so a failed or killed build leaves the previous output as it was
//! and a successful one leaves no stale files.
//!
//! The output path is resolved before anything is checked (every `.` and `..` removed,
//! symlinks of the part that exists followed), so no spelling of a path reaches a source
//! folder; and helpdeck only ever removes a folder it wrote itself, one holding [`MARKER`],
//! checked again on the very folder that is renamed away or removed.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::{Error, Result};
use crate::load::StaticFile;
use crate::output::Output;

/// Marks a folder as helpdeck's output, so a rebuild may replace it.
pub const MARKER: &str = ".helpdeck-output";

const MARKER_TEXT: &str =
    "This folder is written by helpdeck build; it is replaced on every build.\n";

/// The folders a build reads its sources from: an output inside one would be read back, or
/// replace them.
const SOURCE_FOLDERS: [&str; 5] = ["content", "data", "templates", "themes", "static"];

pub struct Staging {
    /// The resolved output folder.
    output: PathBuf,
    staging: PathBuf,
    folders: Folders,
    committed: bool,
}

impl Staging {
    /// Creates a staging folder beside `output`, which [`resolve_output`] has resolved and
    /// checked.
    pub fn create(output: &Path) -> Result<Staging> {
        let (parent, name) = parent_and_name(output);
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        // A fresh name each time: a folder already there is never taken over or removed.
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.helpdeck-"))
            .tempdir_in(parent)
            .map_err(|e| Error::io("cannot create a staging folder in", parent, e))?
            .keep();
        let staging = Staging {
            output: output.to_path_buf(),
            staging,
            folders: Folders::default(),
            committed: false,
        };
        // Marked at once, so that a folder left by a killed build is recognisably helpdeck's.
        staging.write_file(Path::new(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes one finished file into the staging folder.
    pub fn put(&self, file: Output) -> Result<()> {
        self.write_file(&file.path, &file.bytes)
    }

    fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let target = self.staging.join(path);
        self.folders
            .make_parent(&target)
            .and_then(|()| {
                std::fs::write(&target, bytes).map_err(|e| Error::io("cannot write", &target, e))
            })
            .map_err(|e| self.output_error(path, e))
    }

    pub fn copy_static(&self, files: &[StaticFile]) -> Result<()> {
        for file in files {
            let target = self.staging.join(&file.output);
            self.folders
                .make_parent(&target)
                .map_err(|e| self.output_error(&file.output, e))?;
            if let Err(e) = std::fs::copy(&file.source, &target) {
                // The source is there (it was just walked): a failure is the output's, unless
                // the file went away meanwhile.
                return Err(match file.source.exists() {
                    true => {
                        self.output_error(&file.output, Error::io("cannot copy to", &target, e))
                    }
                    false => Error::io("cannot copy", &file.source, e),
                });
            }
        }
        Ok(())
    }

    /// An error writing `file` (relative to the output) into the staging folder.
    fn output_error(&self, file: &Path, error: Error) -> Error {
        match error {
            Error::Io { source, .. } => Error::Output {
                file: file.to_path_buf(),
                output: self.output.clone(),
                source,
            },
            other => other,
        }
    }

    /// Replaces the output with the staged build.
    pub fn commit(mut self) -> Result<()> {
        let (parent, name) = parent_and_name(&self.output);
        // Checked again on the folder that is about to move: it may have changed since the
        // build started.
        let replaceable = replaceable(&self.output)?;
        let previous = match replaceable {
            Replaceable::Absent => None,
            Replaceable::Ours | Replaceable::Empty => {
                // A fresh empty folder the output is renamed over: rename replaces an empty
                // folder, and the name is one nothing else uses.
                let previous = tempfile::Builder::new()
                    .prefix(&format!(".{name}.helpdeck-previous-"))
                    .tempdir_in(parent)
                    .map_err(|e| Error::io("cannot create a folder in", parent, e))?
                    .keep();
                std::fs::rename(&self.output, &previous)
                    .map_err(|e| Error::io("cannot move aside", &self.output, e))?;
                Some(previous)
            }
        };
        if let Err(e) = std::fs::rename(&self.staging, &self.output) {
            if let Some(previous) = &previous {
                let _ = std::fs::rename(previous, &self.output);
            }
            return Err(Error::io("cannot move into place", &self.output, e));
        }
        self.committed = true;
        if let Some(previous) = previous {
            remove_ours(&previous)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.staging);
        }
    }
}

/// The folder `path` is in and its last name (`public` when it has none).
fn parent_and_name(path: &Path) -> (&Path, String) {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// Removes a folder only if helpdeck wrote it (the marker is in it) or it is empty.
fn remove_ours(folder: &Path) -> Result<()> {
    match replaceable(folder)? {
        Replaceable::Absent => Ok(()),
        Replaceable::Empty => {
            std::fs::remove_dir(folder).map_err(|e| Error::io("cannot remove", folder, e))
        }
        Replaceable::Ours => {
            std::fs::remove_dir_all(folder).map_err(|e| Error::io("cannot remove", folder, e))
        }
    }
}

/// What is at an output path that a build may replace.
#[derive(Debug, PartialEq)]
enum Replaceable {
    Absent,
    Empty,
    /// A folder holding helpdeck's marker.
    Ours,
}

/// Whether the folder at `path` may be replaced, or why not. A symlink is never replaced: the
/// path was resolved, so one found here appeared since.
fn replaceable(path: &Path) -> Result<Replaceable> {
    let refuse = |reason: &str| {
        Err(Error::UnsafeOutput {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Replaceable::Absent),
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    if metadata.file_type().is_symlink() {
        return refuse("it is a symlink");
    }
    if !metadata.is_dir() {
        return refuse("it is a file");
    }
    let marker = path.join(MARKER);
    if std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
        return Ok(Replaceable::Ours);
    }
    let mut entries = std::fs::read_dir(path).map_err(|e| Error::io("cannot read", path, e))?;
    if entries.next().is_none() {
        return Ok(Replaceable::Empty);
    }
    refuse(
        "it is a non-empty folder that helpdeck did not write (remove it or pick another --output)",
    )
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

/// Where a build of the site at `root` writes, resolved, or why it may not write there: the
/// output must not be the site root or hold it, must not be inside a source folder, and must
/// be absent, empty or an earlier helpdeck output.
pub fn resolve_output(root: &Path, output: &Path) -> Result<PathBuf> {
    let out = resolve_path(output);
    let refuse = |reason: String| {
        let path = match out == output {
            true => out.clone(),
            false => PathBuf::from(format!("{} (that is {})", output.display(), out.display())),
        };
        Err(Error::UnsafeOutput { path, reason })
    };
    let root = resolve_path(root);
    if out == root {
        return refuse("it is the site root".into());
    }
    if root.starts_with(&out) {
        return refuse("it contains the site".into());
    }
    for source in SOURCE_FOLDERS {
        // Resolved on its own: a source folder may be a symlink to elsewhere.
        let folder = resolve_path(&root.join(source));
        if out.starts_with(&folder) {
            return refuse(format!("it is inside the site's {source}/ folder"));
        }
        if folder.starts_with(&out) {
            return refuse(format!("it contains the site's {source}/ folder"));
        }
    }
    match replaceable(&out) {
        Ok(_) => Ok(out),
        Err(Error::UnsafeOutput { reason, .. }) => refuse(reason),
        Err(other) => Err(other),
    }
}

/// `path` made absolute with every `.` and `..` removed, each `..` taken after the symlinks of
/// the part before it are followed (as the system does), and the part that exists resolved to
/// its real path. `nothere/../content` is `content`, though `nothere` does not exist.
pub fn resolve_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => {
                resolved.push(component);
                // Following the links of each existing prefix; once a part is missing, nothing
                // below it exists and canonicalize fails cheaply.
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_removed_even_below_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        for spelling in [
            "nothere/../content",
            "./content/.",
            "a/b/../../content",
            "content/x/..",
        ] {
            assert_eq!(
                resolve_path(&root.join(spelling)),
                root.join("content"),
                "{spelling}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn dot_dot_after_a_symlink_leaves_the_link_target() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("site/content")).unwrap();
        std::fs::create_dir_all(root.join("elsewhere/deep")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere/deep"), root.join("site/link")).unwrap();
        // As the system resolves it: `link/..` is `elsewhere`, not `site`.
        assert_eq!(
            resolve_path(&root.join("site/link/../x")),
            root.join("elsewhere/x")
        );
        std::os::unix::fs::symlink(root.join("site/content"), root.join("out")).unwrap();
        assert_eq!(
            resolve_path(&root.join("out/sub")),
            root.join("site/content/sub")
        );
    }

    #[test]
    fn only_marked_or_empty_folders_are_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        assert_eq!(replaceable(&path).unwrap(), Replaceable::Absent);
        std::fs::create_dir(&path).unwrap();
        assert_eq!(replaceable(&path).unwrap(), Replaceable::Empty);
        std::fs::write(path.join("index.html"), "x").unwrap();
        assert!(replaceable(&path).is_err());
        assert!(remove_ours(&path).is_err());
        assert!(path.join("index.html").is_file());
        std::fs::write(path.join(MARKER), "").unwrap();
        assert_eq!(replaceable(&path).unwrap(), Replaceable::Ours);
    }
}
