//! `helpdeck export`: the site's facts and pages in the forms other channels take, from the
//! same pipeline as the site itself, so a fact edited once changes every channel.
//!
//! - `replies.rs`: saved replies for help-desk tools, one per FAQ question and per policy.

mod replies;

use std::path::{Path, PathBuf};

pub use replies::{Reply, ReplyKind};

use crate::diagnostic::{Error, Result};
use crate::pipeline::{self, Mode};
use crate::render::Renderer;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `replies.csv` and `replies.json`.
    Replies,
}

pub struct ExportOptions {
    pub root: PathBuf,
    pub target: Target,
    /// Only this language; every language of the site when absent.
    pub lang: Option<String>,
    /// The folder the files go into (created when missing).
    pub out: PathBuf,
}

/// Exports `options.target` of the site at `options.root`, and returns the files written.
pub fn export(options: &ExportOptions) -> Result<Vec<PathBuf>> {
    let mut opened = pipeline::open(&pipeline::Options::new(&options.root, Mode::Check))?;
    if !opened.problems.is_empty() {
        return Err(Error::invalid(std::mem::take(&mut opened.problems)));
    }
    let compiled = opened.compile()?;
    let site = &opened.site;
    if let Some(lang) = &options.lang
        && site.config.language(lang).is_none()
    {
        return Err(Error::single(crate::diagnostic::Diagnostic::new(
            "--lang",
            format!(
                "`{lang}` is not a language of the site ({})",
                site.config.language_tags().join(", ")
            ),
        )));
    }
    let renderer = Renderer::new(site, &opened.theme, &compiled);
    let files = match options.target {
        Target::Replies => {
            let replies = replies::replies(site, &renderer, options.lang.as_deref())?;
            vec![
                ("replies.csv", replies::to_csv(&replies)?),
                ("replies.json", replies::to_json(&replies)),
            ]
        }
    };
    write(&options.out, files)
}

fn write(out: &Path, files: Vec<(&str, Vec<u8>)>) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io("cannot create", out, e))?;
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = out.join(name);
            std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))?;
            Ok(path)
        })
        .collect()
}
