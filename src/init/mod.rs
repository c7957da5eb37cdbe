//! `helpdeck init DIR`: a new site. By default a small starter for the seller's own shop
//! (the files in `starter/`: config, shop facts, a home page and the four policies a shop
//! needs as short templates whose TODO markers `check` reports until they are replaced, and
//! nothing that posts anywhere); with `--demo`, the demo help centre in five languages.

use std::path::Path;

use include_dir::{Dir, DirEntry, include_dir};

use crate::config::is_language_tag;
use crate::diagnostic::{Diagnostic, Error, Result};

static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
static DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");
const CONFIG: &str = include_str!("../../helpdeck.toml");
static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/init/starter");

/// What `init` writes.
pub enum Starter {
    /// The demo shop, Oak & Linen, in five languages.
    Demo,
    /// A starter for the seller's own shop.
    Shop(Shop),
}

/// The seller's answers, from `init`'s flags.
pub struct Shop {
    pub name: String,
    /// Language tags, the default language first.
    pub languages: Vec<String>,
    /// ISO 3166-1 alpha-2, where the shop is.
    pub country: String,
}

/// Writes `starter` into `dir`, which must be missing or empty. Returns how many files.
pub fn init(dir: &Path, starter: &Starter) -> Result<usize> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::UnsafeOutput {
                path: dir.to_path_buf(),
                reason: "it is not empty; init writes a new site into a new or empty folder".into(),
            });
        }
    }
    match starter {
        Starter::Demo => {
            let mut written = 0;
            write_file(&dir.join(crate::config::CONFIG_FILE), CONFIG.as_bytes())?;
            for (name, tree) in [("content", &CONTENT), ("data", &DATA), ("static", &STATIC)] {
                written += write_tree(&dir.join(name), tree, &|bytes| bytes.to_vec())?;
            }
            Ok(written + 1)
        }
        Starter::Shop(shop) => {
            shop.check()?;
            let today = jiff::Zoned::now().date().to_string();
            let languages = shop.languages_config();
            let fill = |bytes: &[u8]| {
                String::from_utf8_lossy(bytes)
                    .replace("{name}", &shop.name)
                    .replace("{default_language}", &shop.languages[0])
                    .replace("{languages}", &languages)
                    .replace("{country}", &shop.country)
                    .replace("{today}", &today)
                    .into_bytes()
            };
            write_tree(dir, &STARTER, &fill)
        }
    }
}

impl Shop {
    /// Values that would not make a valid site, named as the flags that gave them.
    fn check(&self) -> Result<()> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty()
            || self.name.contains(['"', '\\'])
            || self.name.contains(char::is_control)
        {
            problems.push(Diagnostic::new(
                "--name",
                format!(
                    "the shop's name must be text without quotes or backslashes, not `{}`",
                    self.name
                ),
            ));
        }
        if self.languages.is_empty() {
            problems.push(Diagnostic::new(
                "--languages",
                "name at least one language, like en,lt",
            ));
        }
        for tag in self.languages.iter().filter(|tag| !is_language_tag(tag)) {
            problems.push(Diagnostic::new(
                "--languages",
                format!("`{tag}` is not a language tag (like en, lt, pt-BR, zh-Hant)"),
            ));
        }
        if !(self.country.len() == 2 && self.country.chars().all(|c| c.is_ascii_uppercase())) {
            problems.push(Diagnostic::new(
                "--country",
                format!(
                    "`{}` is not a two-letter country code (ISO 3166-1, like LT or GB)",
                    self.country
                ),
            ));
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(Error::invalid(problems)),
        }
    }

    /// `[languages.TAG]` for each language; the others' titles are the seller's to translate.
    fn languages_config(&self) -> String {
        let mut text = String::new();
        for (i, tag) in self.languages.iter().enumerate() {
            text.push_str(&format!(
                "[languages.{tag}]\ntitle = \"{} Help Centre\"",
                self.name
            ));
            if i > 0 {
                text.push_str("   # TODO: in this language");
            }
            text.push_str("\n\n");
        }
        text
    }
}

/// Writes the files of `dir` under `target`, each as `fill` makes it.
fn write_tree(target: &Path, dir: &Dir<'_>, fill: &dyn Fn(&[u8]) -> Vec<u8>) -> Result<usize> {
    let mut written = 0;
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => written += write_tree(target, sub, fill)?,
            DirEntry::File(file) => {
                write_file(&target.join(file.path()), &fill(file.contents()))?;
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
