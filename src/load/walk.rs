//! Which of the site's files are read: the one walker that every source folder (`content/`,
//! `data/`, `static/`, `templates/`, `themes/<name>/`) and the config go through, in `build`,
//! `check`, `serve` and `translations` alike.
//!
//! The rule: nothing whose real path is outside the site root is read. Folders are walked only
//! when they are real folders — the source folder itself and every folder on the way to it
//! included — so a symlinked folder is never entered, whatever it points to, and no walk can
//! leave the site or go round in a loop. A symlinked file is read where it points when that is
//! inside the site. Everything else is left out with a diagnostic naming the path and saying
//! why: a link out of the site (and where to), a symlinked folder, a loop, a broken link, or
//! something that is neither a file nor a folder. A source folder left out is an error (the
//! site is not built without it); anything below one, a warning.

use std::fs::FileType;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Error, Result};

/// What is at a path of the site, by the rule.
#[derive(Debug, PartialEq, Eq)]
pub enum Reached {
    /// Nothing there, or a file on the way to it.
    Nothing,
    /// A real folder.
    Folder(PathBuf),
    /// A file, and where to read it (a symlink's target).
    File(PathBuf),
    /// Something the rule leaves out, and why.
    Refused(Diagnostic),
}

/// Files below `folder` (relative to the root; relative to `folder`, sorted), with where to
/// read each, skipping hidden and editor temporary files. What the rule leaves out below
/// `folder` is named in `warnings`; `folder` itself left out is an error.
pub fn walk(
    root: &Path,
    folder: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    walk_within(root, folder, Path::new(""), warnings)
}

/// The files of [`walk`]`(root, folder)` that are `part` (below `folder`) or below it: what watch
/// mode reads again when `part` changed, be it a file or a folder.
pub fn walk_within(
    root: &Path,
    folder: &Path,
    part: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut files = Vec::new();
    walk_each(root, folder, part, warnings, &mut |rel, abs| {
        files.push((rel, abs))
    })?;
    Ok(files)
}

/// [`walk_within`], handing each file (relative to `folder`, where to read it) to `found` as
/// it is met.
pub(super) fn walk_each(
    root: &Path,
    folder: &Path,
    part: &Path,
    warnings: &mut Vec<Diagnostic>,
    found: &mut dyn FnMut(PathBuf, PathBuf),
) -> Result<()> {
    if part.iter().any(super::is_ignored) {
        return Ok(());
    }
    let site = Site::new(root)?;
    let start = match site.reach(folder) {
        Reached::Folder(start) => start,
        Reached::Refused(why) => return Err(Error::single(why)),
        // A source folder that is a file holds no files.
        Reached::Nothing | Reached::File(_) => return Ok(()),
    };
    let start = if part.as_os_str().is_empty() {
        start
    } else {
        match site.reach(&folder.join(part)) {
            Reached::Folder(start) => start,
            Reached::File(file) => {
                found(part.to_path_buf(), file);
                return Ok(());
            }
            Reached::Nothing => return Ok(()),
            Reached::Refused(why) => {
                warnings.push(why);
                return Ok(());
            }
        }
    };
    let walker = walkdir::WalkDir::new(&start)
        .follow_links(false)
        .follow_root_links(false)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !super::is_ignored(e.file_name())) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(&start).to_path_buf();
            Error::io("cannot read", &path, e.into())
        })?;
        match site.entry(entry.path(), entry.file_type()) {
            Reached::File(file) => {
                let below = entry.path().strip_prefix(&start).unwrap_or(entry.path());
                found(part.join(below), file);
            }
            Reached::Refused(why) => warnings.push(why),
            Reached::Folder(_) | Reached::Nothing => {}
        }
    }
    Ok(())
}

/// What is at `rel` (relative to the root) by the rule, checking every component on the way.
pub fn reach(root: &Path, rel: &Path) -> Result<Reached> {
    Ok(Site::new(root)?.reach(rel))
}

/// The site root, as given and as its real path.
struct Site<'a> {
    root: &'a Path,
    real: PathBuf,
}

impl Site<'_> {
    fn new(root: &Path) -> Result<Site<'_>> {
        let real = root
            .canonicalize()
            .map_err(|e| Error::io("cannot resolve", root, e))?;
        Ok(Site { root, real })
    }

    /// Goes down from the root one component of `rel` at a time: every one but the last must
    /// be a real folder.
    fn reach(&self, rel: &Path) -> Reached {
        let mut path = self.root.to_path_buf();
        let mut components = rel.components().peekable();
        while let Some(component) = components.next() {
            // `..` and absolute paths never take a walk out of the root.
            let Component::Normal(name) = component else {
                return Reached::Nothing;
            };
            path.push(name);
            let Ok(metadata) = std::fs::symlink_metadata(&path) else {
                return Reached::Nothing;
            };
            match self.entry(&path, metadata.file_type()) {
                Reached::Folder(_) => {}
                reached if components.peek().is_none() => return reached,
                Reached::Refused(why) => return Reached::Refused(why),
                Reached::File(_) | Reached::Nothing => return Reached::Nothing,
            }
        }
        Reached::Folder(path)
    }

    /// What the entry at `path` is by the rule, given its own type (a symlink not followed).
    fn entry(&self, path: &Path, file_type: FileType) -> Reached {
        if file_type.is_dir() {
            return Reached::Folder(path.to_path_buf());
        }
        if file_type.is_file() {
            return Reached::File(path.to_path_buf());
        }
        let why = if !file_type.is_symlink() {
            "neither a file nor a folder: not read".to_string()
        } else {
            match path.canonicalize() {
                Ok(target) if !target.starts_with(&self.real) => format!(
                    "symlink to {}, outside the site: not read (helpdeck reads no file outside the site)",
                    target.display()
                ),
                Ok(target) if target.is_dir() => format!(
                    "symlink to the folder {}: not read (symlinked folders are not followed; link the files instead)",
                    self.shown(&target).display()
                ),
                Ok(target) if target.is_file() => return Reached::File(target),
                Ok(target) => format!(
                    "symlink to {}, which is neither a file nor a folder: not read",
                    self.shown(&target).display()
                ),
                Err(error) => self.unfollowable(path, &error),
            }
        };
        Reached::Refused(Diagnostic::new(self.shown(path), why))
    }

    /// Why the symlink at `link` cannot be followed: the links it goes round, or the missing
    /// target it ends at.
    fn unfollowable(&self, link: &Path, error: &std::io::Error) -> String {
        /// More hops than any system follows.
        const HOPS: usize = 40;
        // Written as the targets are, so that a link met again is recognised.
        let mut current = lexical_join(Path::new(""), link);
        let mut chain = vec![current.clone()];
        while let Ok(target) = std::fs::read_link(&current) {
            let next = lexical_join(current.parent().unwrap_or(Path::new("")), &target);
            let looped = chain.contains(&next) || chain.len() > HOPS;
            chain.push(next.clone());
            if looped {
                let names: Vec<String> = chain
                    .iter()
                    .map(|p| self.shown(p).display().to_string())
                    .collect();
                return format!("symlink loop ({}): not read", names.join(" → "));
            }
            current = next;
        }
        match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "broken symlink (its target {} does not exist): not read",
                self.shown(&current).display()
            ),
            _ => format!("symlink that cannot be followed ({error}): not read"),
        }
    }

    /// A path relative to the root when it is below it, else as it is.
    fn shown<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(self.root)
            .or_else(|_| path.strip_prefix(&self.real))
            .unwrap_or(path)
    }
}

/// `base` joined with `path`, with `.` and `..` taken out as written (a link's target is read
/// relative to the folder holding the link).
fn lexical_join(base: &Path, path: &Path) -> PathBuf {
    let mut joined = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if joined.file_name().is_some() => {
                joined.pop();
            }
            other => joined.push(other),
        }
    }
    joined
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A site root holding `content/` with `a.md`, and a folder outside it holding `secret.md`.
    fn site() -> (tempfile::TempDir, tempfile::TempDir) {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content/guides")).unwrap();
        std::fs::write(root.path().join("content/a.md"), "a").unwrap();
        std::fs::write(root.path().join("content/guides/b.md"), "b").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        (root, outside)
    }

    fn names(files: &[(PathBuf, PathBuf)]) -> Vec<String> {
        files
            .iter()
            .map(|(rel, _)| rel.display().to_string())
            .collect()
    }

    #[test]
    fn nothing_outside_the_root_is_walked_whichever_link_leads_there() {
        let (root, outside) = site();
        let r = root.path();
        symlink(outside.path(), r.join("static")).unwrap();
        symlink(outside.path(), r.join("content/elsewhere")).unwrap();
        symlink(
            outside.path().join("secret.md"),
            r.join("content/secret.md"),
        )
        .unwrap();
        let mut warnings = Vec::new();
        let content = walk(r, Path::new("content"), &mut warnings).unwrap();
        assert_eq!(names(&content), ["a.md", "guides/b.md"]);
        // A source folder left out is an error: the site is not built without it.
        let refused = walk(r, Path::new("static"), &mut warnings).unwrap_err();
        // Watch mode's reads of one changed path follow the same rule.
        for part in ["elsewhere", "elsewhere/secret.md", "secret.md"] {
            let found = walk_within(r, Path::new("content"), Path::new(part), &mut warnings);
            assert!(found.unwrap().is_empty(), "{part}");
        }
        let real = outside.path().canonicalize().unwrap();
        assert_eq!(
            refused.to_string(),
            format!(
                "error: static: symlink to {}, outside the site: not read (helpdeck reads no file outside the site)",
                real.display()
            )
        );
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|w| w.starts_with("content/secret.md: symlink to ")
                    && w.contains("secret.md, outside the site")),
            "{shown:#?}"
        );
    }

    #[test]
    fn a_part_is_walked_as_the_whole_folder_walk_would_find_it() {
        let (root, _) = site();
        let r = root.path();
        std::fs::write(r.join("content/guides/.b.md.swp"), "x").unwrap();
        symlink("../a.md", r.join("content/guides/linked.md")).unwrap();
        let mut warnings = Vec::new();
        let whole = walk(r, Path::new("content"), &mut warnings).unwrap();
        let guides = walk_within(r, Path::new("content"), Path::new("guides"), &mut warnings);
        let expected: Vec<_> = whole
            .iter()
            .filter(|(rel, _)| rel.starts_with("guides"))
            .cloned()
            .collect();
        assert_eq!(guides.unwrap(), expected);
        assert_eq!(names(&expected), ["guides/b.md", "guides/linked.md"]);
        let one = walk_within(
            r,
            Path::new("content"),
            Path::new("guides/b.md"),
            &mut warnings,
        );
        assert_eq!(names(&one.unwrap()), ["guides/b.md"]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn symlinked_folders_inside_the_site_are_not_entered_so_nothing_loops() {
        let (root, _) = site();
        let r = root.path();
        symlink("..", r.join("content/guides/up")).unwrap();
        symlink("guides", r.join("content/alias")).unwrap();
        let mut warnings = Vec::new();
        let content = walk(r, Path::new("content"), &mut warnings).unwrap();
        assert_eq!(names(&content), ["a.md", "guides/b.md"]);
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "content/alias: symlink to the folder content/guides: not read (symlinked folders are not followed; link the files instead)",
                "content/guides/up: symlink to the folder content: not read (symlinked folders are not followed; link the files instead)",
            ]
        );
    }

    #[test]
    fn loops_and_broken_links_are_told_apart_from_links_out_of_the_site() {
        let (root, _) = site();
        let r = root.path();
        symlink("b.md", r.join("content/a-loop.md")).unwrap();
        symlink("a-loop.md", r.join("content/b.md")).unwrap();
        symlink("itself", r.join("content/itself")).unwrap();
        symlink("gone.md", r.join("content/dangling.md")).unwrap();
        let mut warnings = Vec::new();
        walk(r, Path::new("content"), &mut warnings).unwrap();
        let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "content/a-loop.md: symlink loop (content/a-loop.md → content/b.md → content/a-loop.md): not read",
                "content/b.md: symlink loop (content/b.md → content/a-loop.md → content/b.md): not read",
                "content/dangling.md: broken symlink (its target content/gone.md does not exist): not read",
                "content/itself: symlink loop (content/itself → content/itself): not read",
            ]
        );
    }

    #[test]
    fn reach_refuses_a_symlink_anywhere_on_the_way() {
        let (root, outside) = site();
        let r = root.path();
        std::fs::create_dir(outside.path().join("default")).unwrap();
        symlink(outside.path(), r.join("themes")).unwrap();
        let Reached::Refused(why) = reach(r, Path::new("themes/default")).unwrap() else {
            panic!("a theme reached through a link out of the site");
        };
        assert_eq!(why.file, Path::new("themes"));
        assert_eq!(
            reach(r, Path::new("content/../../etc")).unwrap(),
            Reached::Nothing
        );
        assert_eq!(
            reach(r, Path::new("content/a.md")).unwrap(),
            Reached::File(r.join("content/a.md"))
        );
    }
}
