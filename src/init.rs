//! `helpdeck init DIR`: writes the demo help centre (config, content in every demo language,
//! data, images) as a starter site that builds as it is.

use std::path::Path;

use include_dir::{Dir, DirEntry, include_dir};

use crate::diagnostic::{Error, Result};

static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
static DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");
const CONFIG: &str = include_str!("../helpdeck.toml");

/// Writes the starter site into `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<usize> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::UnsafeOutput {
                path: dir.to_path_buf(),
                reason: "it is not empty; init writes a new site into a new or empty folder".into(),
            });
        }
    }
    let mut written = 0;
    write_file(&dir.join(crate::config::CONFIG_FILE), CONFIG.as_bytes())?;
    for (name, tree) in [("content", &CONTENT), ("data", &DATA), ("static", &STATIC)] {
        written += write_tree(&dir.join(name), tree)?;
    }
    Ok(written + 1)
}

fn write_tree(target: &Path, dir: &Dir<'_>) -> Result<usize> {
    let mut written = 0;
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => written += write_tree(target, sub)?,
            DirEntry::File(file) => {
                write_file(&target.join(file.path()), file.contents())?;
                written += 1;
            }
        }
    }
    Ok(written)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io("cannot write", path, e))
}
