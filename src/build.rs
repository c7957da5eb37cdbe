//! `helpdeck build`: opens the site ([`crate::pipeline`]), renders it, builds each language's
//! search index beside the rendering and writes it all in one atomic swap.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Result};
use crate::index;
use crate::pipeline::{self, Mode, Opened};
use crate::render::{PageCounts, Renderer, icons};
use crate::resolve::Site;
use crate::write::Staging;

pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `public` inside the root.
    pub output: Option<PathBuf>,
    /// Replaces the config's `base_url` (e.g. for a preview deploy).
    pub base_url: Option<String>,
    pub drafts: bool,
}

pub struct BuildReport {
    pub pages: PageCounts,
    pub output: PathBuf,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// Told how far rendering has got: files written so far, and about how many there will be.
pub type Progress<'a> = dyn Fn(usize, usize) + Sync + 'a;

pub fn build(options: &BuildOptions, progress: &Progress<'_>) -> Result<BuildReport> {
    let started = Instant::now();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let output = crate::write::resolve_output(&options.root, &output)?;

    let mut opened = pipeline::open(&pipeline::Options {
        drafts: options.drafts,
        base_url: options.base_url.clone(),
        ..pipeline::Options::new(&options.root, Mode::Build)
    })?;
    let compiled = opened.compile()?;
    let Opened {
        site,
        theme,
        static_files,
        related,
        warnings,
        problems,
        ..
    } = opened;
    let mut renderer = Renderer::new(&site, &theme, &compiled);
    if let Some(related) = related {
        renderer = renderer.with_related(related);
    }

    let staging = Staging::create(&output)?;
    let expected = renderer.targets().len();
    let written = AtomicUsize::new(0);
    let languages = costliest_index_first(&site);
    let rendered = render_pool()?.install(|| {
        renderer.render_all(
            &languages,
            &|file| {
                staging.put(file)?;
                progress(written.fetch_add(1, Ordering::Relaxed) + 1, expected);
                Ok(())
            },
            &|lang, pages| index::build(&site.config, lang, &pages, &|file| staging.put(file)),
        )
    });
    // Pages that could not be read fail the build after the rest of the site has reported its
    // problems; the staged output is dropped and the previous output stays.
    let pages = rendered.map_err(|e| e.after(problems.clone()))?;
    if !problems.is_empty() {
        return Err(crate::diagnostic::Error::invalid(problems));
    }
    staging.copy_static(&static_files)?;
    for icon in icons::for_site(&site.config.brand, &static_files)? {
        staging.put(icon)?;
    }
    staging.commit()?;
    // Freeing ten thousand pages takes several milliseconds on one thread at the very end of
    // the build, and nothing waits for it: a command-line build exits meanwhile. Where no
    // thread can be started, the site is freed here, as the failed spawn drops it.
    drop(renderer);
    let _ = std::thread::Builder::new().spawn(move || drop(site));
    Ok(BuildReport {
        pages,
        output,
        elapsed: started.elapsed(),
        warnings,
    })
}

/// The site's languages, the one whose search index takes longest first: it is built as soon
/// as that language's pages have rendered, alongside the rest of the rendering, instead of
/// alone at the end.
fn costliest_index_first(site: &Site) -> Vec<&str> {
    let mut languages: Vec<(usize, &str)> = site
        .config
        .languages
        .iter()
        .map(|language| {
            let terms = site
                .pages()
                .par_iter()
                .filter(|page| page.doc.lang == language.tag && page.fallback_of.is_none())
                .map(|page| index::estimated_terms(&page.doc.body))
                .sum();
            (terms, language.tag.as_str())
        })
        .collect();
    languages.sort_by_key(|&(terms, _)| std::cmp::Reverse(terms));
    languages.into_iter().map(|(_, tag)| tag).collect()
}

/// Rendering threads get deep stacks: the HTML minifier recurses once per nested element,
/// and a page of 10,000 nested quotes or list items must build, not crash. The memory is
/// only reserved; pages of ordinary depth touch a few pages of it.
fn render_pool() -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .map_err(|e| {
            crate::diagnostic::Error::io(
                "cannot start",
                std::path::Path::new("render threads"),
                std::io::Error::other(e),
            )
        })
}
