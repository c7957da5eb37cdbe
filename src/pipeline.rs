//! The one front door to the stages. Every command opens its site here, in a [`Mode`] that
//! states the choices the commands differ in (drafts, asset form, related articles), and gets
//! the site loaded and resolved: `build` renders, indexes and writes it, `check` inspects its
//! content, watch mode keeps it to rebuild from, the translations report reads it.
//!
//! Watch mode's partial rebuilds re-read some files and come back through [`resolve`], so a
//! rebuilt site is resolved exactly as an opened one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{self, Document, LoadOptions, Sources, StaticFile, Theme, placeholders};
use crate::relate;
use crate::render::{AssetForm, CompiledTheme, RelatedPages};
use crate::resolve::{self, Site};

/// What the site is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `helpdeck build`: every output, written to disk.
    Build,
    /// `helpdeck check`: the pages' content, inspected in memory.
    Check,
    /// `helpdeck serve`: every output, kept up to date as files are saved.
    Watch,
    /// The translations report: what each language has of the default language's pages.
    Report,
}

impl Mode {
    /// Whether pages marked `draft = true` are part of the site. A translator sees every page,
    /// including those not yet published; a check looks at what would be published.
    fn drafts(self, asked: bool) -> bool {
        match self {
            Mode::Build | Mode::Watch => asked,
            Mode::Check => false,
            Mode::Report => true,
        }
    }

    /// How theme assets are published: watch mode keeps them as written under plain names, so
    /// a stylesheet edit changes one file and not every page linking to it, and stays readable.
    fn asset_form(self) -> AssetForm {
        match self {
            Mode::Watch => AssetForm::AsWritten,
            Mode::Build | Mode::Check | Mode::Report => AssetForm::Published,
        }
    }

    /// Whether pages that cannot be read are left out while the rest of the site goes through
    /// every stage, so that all problems are reported at once. Watch mode shows the problem
    /// instead, until it is fixed; the translations report needs every page.
    fn leaves_out_unreadable_pages(self) -> bool {
        matches!(self, Mode::Build | Mode::Check)
    }

    /// What becomes of URLs and addresses left on example domains: a build refuses to publish
    /// them and a check to approve them, unless the site's own `base_url` is on an example
    /// domain too (the demo, a starter being tried out), when a check lists them as what is
    /// left to replace. Watch mode previews on this machine.
    fn placeholders(self, site_on_an_example_domain: bool) -> Placeholders {
        match (self, site_on_an_example_domain) {
            (Mode::Build | Mode::Check, false) => Placeholders::Refused,
            (Mode::Check, true) => Placeholders::Listed,
            _ => Placeholders::Ignored,
        }
    }

    /// Whether the mode renders pages, and so shows their related articles.
    fn renders_pages(self) -> bool {
        matches!(self, Mode::Build | Mode::Watch)
    }
}

/// See [`Mode::placeholders`].
enum Placeholders {
    Refused,
    Listed,
    Ignored,
}

#[derive(Clone)]
pub struct Options {
    pub root: PathBuf,
    pub mode: Mode,
    /// Whether drafts were asked for (`--drafts`); the mode decides what that means.
    pub drafts: bool,
    /// Replaces the config's `base_url` (a preview deploy).
    pub base_url: Option<String>,
}

impl Options {
    pub fn new(root: &Path, mode: Mode) -> Options {
        Options {
            root: root.to_path_buf(),
            mode,
            drafts: false,
            base_url: None,
        }
    }

    /// The options `load` reads the site's files with.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.mode.drafts(self.drafts),
        }
    }
}

/// A site loaded and resolved, with what it was resolved from.
pub struct Opened {
    pub site: Site,
    pub theme: Theme,
    pub static_files: Vec<StaticFile>,
    /// The documents the site was resolved from, in file order.
    pub documents: Vec<Arc<Document>>,
    /// Each page's related articles, for the modes that render pages.
    pub related: Option<RelatedPages>,
    pub mode: Mode,
    /// Problems that do not stop the mode (skipped files, dates in the past).
    pub warnings: Vec<Diagnostic>,
    /// Problems that do not stop the site being checked, but fail the build with whatever else
    /// it finds: URLs left on example domains, and the pages left out because they could not
    /// be read.
    pub problems: Vec<Diagnostic>,
}

/// Loads and resolves the site at `options.root`, and for the modes that render pages finds
/// their related articles.
pub fn open(options: &Options) -> Result<Opened> {
    let (sources, warnings) = load(options)?;
    let mode = options.mode;
    if !mode.renders_pages() {
        return resolve(sources, options).map(|opened| opened.with_warnings(warnings));
    }
    // Resolving takes one thread; the other works out what related articles are found from.
    let documents = sources.documents.clone();
    let (resolved, terms) = rayon::join(
        || resolve(sources, options),
        || relate::DocumentTerms::of(&documents),
    );
    let mut opened = resolved?;
    opened.related = Some(Arc::new(relate::related(&opened.site, Some(&terms))));
    Ok(opened.with_warnings(warnings))
}

/// Loads and resolves the site again, without its related articles (see [`resolve`]).
pub fn reopen(options: &Options) -> Result<Opened> {
    let (sources, warnings) = load(options)?;
    resolve(sources, options).map(|opened| opened.with_warnings(warnings))
}

fn load(options: &Options) -> Result<(Sources, Vec<Diagnostic>)> {
    let mut sources = load::load(&options.root, &options.load_options())?;
    if !sources.unreadable.is_empty() && !options.mode.leaves_out_unreadable_pages() {
        return Err(Error::invalid(sources.unreadable));
    }
    if let Some(base_url) = &options.base_url {
        sources.config.set_base_url(base_url)?;
    }
    let mut warnings = std::mem::take(&mut sources.warnings);
    // Refused placeholders stay in `sources`, to be reported with the site's other problems.
    // A site built for an example domain or for this machine (`--base-url http://127.0.0.1:…`)
    // is a demo or a preview.
    let demo = placeholders::reserved_host(&sources.config.base_url).is_some();
    match options.mode.placeholders(demo) {
        Placeholders::Refused => {}
        Placeholders::Listed => warnings.extend(sources.placeholders.drain(..).map(|mut d| {
            d.message
                .push_str(" (accepted while `base_url` is on an example domain too)");
            d
        })),
        Placeholders::Ignored => sources.placeholders.clear(),
    }
    Ok((sources, warnings))
}

/// Resolves loaded sources in `mode`, without related articles: watch mode resolves again on
/// every save that changes more than a page's text, and carries them over until it has a
/// quiet moment to compute them ([`crate::rebuild::Rebuilder::relate`]).
pub fn resolve(mut sources: Sources, options: &Options) -> Result<Opened> {
    let documents = sources.documents.clone();
    let mut problems = std::mem::take(&mut sources.placeholders);
    problems.extend(sources.unreadable.iter().cloned());
    let (site, theme, static_files) =
        resolve::resolve(sources).map_err(|e| e.after(problems.clone()))?;
    Ok(Opened {
        site,
        theme,
        static_files,
        documents,
        related: None,
        mode: options.mode,
        warnings: Vec::new(),
        problems,
    })
}

impl Opened {
    fn with_warnings(self, warnings: Vec<Diagnostic>) -> Opened {
        Opened { warnings, ..self }
    }

    /// The theme made ready to render, its assets published in the mode's form; assets that
    /// could not be minified join the warnings.
    pub fn compile(&mut self) -> Result<CompiledTheme> {
        let mut compiled = compile(&self.theme, &self.site.config, self.mode)?;
        self.warnings.append(&mut compiled.warnings);
        Ok(compiled)
    }
}

/// A theme made ready to render in `mode` (watch mode compiles it again when a template changes).
pub fn compile(theme: &Theme, config: &Config, mode: Mode) -> Result<CompiledTheme> {
    CompiledTheme::new(theme, config, mode.asset_form())
}
