//! Load: reads the site's files into memory, one value per file, and checks each on its own.
//!
//! Owns the raw inputs: [`Document`] (a content file split and parsed), data tables, the
//! layered template sources, theme assets and UI strings, and the list of static files.
//! Nothing here knows about URLs or other pages: that is `resolve`'s job. Which files may be
//! read at all is [`walk`]'s rule.

pub mod front_matter;
pub mod placeholders;
mod product;
pub mod shop;
pub mod source_segments;
pub mod theme;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, Error, Result};
pub use front_matter::{Change, Located, PageKind, PageMeta};
pub use product::{Availability, Product, SHOP_MANUFACTURER};
pub use theme::{SITE_STRINGS, TemplateSource, Theme};
pub use walk::{Reached, reach, walk, walk_within};

/// One content file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site root, for diagnostics: `content/policies/returns.lt.md`.
    pub file: PathBuf,
    /// Directory components below `content/` (NFC): `["policies"]`.
    pub dir: Vec<String>,
    /// File name without language and extension (NFC): `returns`, or `_index` for a section.
    pub stem: String,
    pub lang: String,
    pub meta: PageMeta,
    pub body: String,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
    /// Hashes of the front matter's text (everything `meta` is read from, with the file's
    /// name) and of the body: what watch mode compares to tell which changed.
    pub front_matter_hash: u64,
    pub body_hash: u64,
}

impl Document {
    pub fn is_section(&self) -> bool {
        self.stem == "_index"
    }

    /// A translation whose body is still the text of the source it records (`source_hash`), or
    /// with a segment still the source's (`source_segments`):
    /// what `helpdeck translate` writes for a translator to start from. Its language shows the
    /// source as a fallback, notice and all, until a translator changes the text.
    pub fn is_untranslated_copy(&self) -> bool {
        match &self.meta.source_segments {
            Some(entries) => entries
                .iter()
                .any(|e| e.state == source_segments::RecordedState::Untranslated),
            None => self
                .meta
                .source_hash
                .as_deref()
                .is_some_and(|hash| hash == source_hash(&self.body)),
        }
    }

    /// A translation with a segment a machine wrote and no translator has reviewed.
    pub fn is_machine_draft(&self) -> bool {
        self.meta.source_segments.as_ref().is_some_and(|entries| {
            entries
                .iter()
                .any(|e| e.state == source_segments::RecordedState::Machine)
        })
    }

    /// `policies/returns.md` for every language of that page: how `@/` links and translations
    /// name a page.
    pub fn key(&self) -> String {
        let mut key = self.dir.join("/");
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str(&self.stem);
        key.push_str(".md");
        key
    }
}

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where it goes, relative to the output root.
    pub output: PathBuf,
    pub source: PathBuf,
}

/// Everything read from disk.
pub struct Sources {
    pub config: Config,
    pub documents: Vec<Arc<Document>>,
    /// `data/shop.toml` → `data.shop`.
    pub data: toml::Table,
    /// The part of `data/shop.toml` structured data uses.
    pub terms: shop::ShopTerms,
    pub theme: Theme,
    pub static_files: Vec<StaticFile>,
    pub warnings: Vec<Diagnostic>,
    /// The problems of content files that could not be read as pages (front matter that does
    /// not parse or validate): those pages are left out, so the rest of the site can still be
    /// checked and every problem reported at once.
    pub unreadable: Vec<Diagnostic>,
    /// URLs and addresses in `helpdeck.toml` and `data/*.toml` on domains reserved for
    /// examples (see [`placeholders`]).
    pub placeholders: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// Reads the whole site under `root`. All problems of all files are reported together; a
/// content file that cannot be read as a page is left out and its problems are in
/// [`Sources::unreadable`], so later stages can report theirs too.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Sources> {
    let (config, mut placeholders) = read_config(root)?;
    let mut warnings = Vec::new();
    let mut problems = Vec::new();

    let today = jiff::Zoned::now()
        .with_time_zone(config.timezone.clone())
        .date();
    let ContentFolder {
        markdown,
        colocated,
    } = read_content(root, &config, today, &mut warnings)?;
    if markdown.is_empty() {
        return Err(Error::single(Diagnostic::new(
            "content",
            "no content: add Markdown pages under content/ (helpdeck init DIR writes a starter site)",
        )));
    }
    let mut documents = Vec::with_capacity(markdown.len());
    let mut unreadable = Vec::new();
    for result in markdown {
        match result {
            Ok((doc, _)) if doc.meta.draft && !options.drafts => {}
            Ok((doc, mut date_warnings)) => {
                warnings.append(&mut date_warnings);
                documents.push(Arc::new(doc));
            }
            Err(mut p) => unreadable.append(&mut p),
        }
    }

    let (data, terms) = load_data(
        root,
        &config,
        &mut problems,
        &mut warnings,
        &mut placeholders,
    )?;
    let theme = Theme::load(root, &config.theme, &mut problems, &mut warnings)?;

    let static_files = with_static_folder(root, colocated, &mut warnings)?;

    if !problems.is_empty() {
        problems.append(&mut unreadable);
        return Err(Error::invalid(problems));
    }
    documents.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Sources {
        config,
        documents,
        data,
        terms,
        theme,
        static_files,
        warnings,
        unreadable,
        placeholders,
    })
}

/// Threads reading and parsing content files: more than there are cores, because a file
/// that is not in the page cache blocks its reader on the disk while the others parse.
const READERS: usize = 8;

/// A Markdown file of the content, read and parsed, with its date warnings.
type ReadDocument = std::result::Result<(Document, Vec<Diagnostic>), Vec<Diagnostic>>;

/// What `content/` holds: its Markdown files, read and parsed in walk order, and its other
/// files (relative path, where it is), copied as they are.
struct ContentFolder {
    markdown: Vec<ReadDocument>,
    colocated: Vec<(PathBuf, PathBuf)>,
}

/// Walks `content/`, reading and parsing each Markdown file while the walk goes on.
fn read_content(
    root: &Path,
    config: &Config,
    today: jiff::civil::Date,
    warnings: &mut Vec<Diagnostic>,
) -> Result<ContentFolder> {
    let (found, markdown) = std::sync::mpsc::channel::<(usize, PathBuf, PathBuf)>();
    let mut read: Vec<(usize, ReadDocument)> = Vec::new();
    let mut colocated = Vec::new();
    let mut walked = Ok(());
    let readers = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .build()
        .map_err(|e| {
            Error::io(
                "cannot start",
                Path::new("reader threads"),
                std::io::Error::other(e),
            )
        })?;
    readers.scope(|scope| {
        let read = &mut read;
        scope.spawn(move |_| {
            *read = markdown
                .into_iter()
                .par_bridge()
                .map(|(order, rel, abs)| {
                    let document = read_document(&rel, &abs, config).map(|doc| {
                        let warnings = front_matter::date_warnings(&doc.file, &doc.meta, today);
                        (doc, warnings)
                    });
                    (order, document)
                })
                .collect();
        });
        let mut order = 0;
        let content = Path::new("content");
        walked = walk::walk_each(root, content, Path::new(""), warnings, &mut |rel, abs| {
            if is_markdown(&rel) {
                // Cannot fail: the receiver is dropped only after the last file is received.
                let _ = found.send((order, rel, abs));
                order += 1;
            } else {
                colocated.push((rel, abs));
            }
        });
        drop(found);
    });
    walked?;
    read.sort_unstable_by_key(|&(order, _)| order);
    Ok(ContentFolder {
        markdown: read.into_iter().map(|(_, document)| document).collect(),
        colocated,
    })
}

/// The files copied as they are: those under `static/` and the non-Markdown files beside the
/// content.
pub fn static_files(root: &Path, warnings: &mut Vec<Diagnostic>) -> Result<Vec<StaticFile>> {
    let colocated = walk(root, Path::new("content"), warnings)?
        .into_iter()
        .filter(|(rel, _)| !is_markdown(rel))
        .collect();
    with_static_folder(root, colocated, warnings)
}

/// Files beside the content (relative to `content/`), then those under `static/`.
fn with_static_folder(
    root: &Path,
    colocated: Vec<(PathBuf, PathBuf)>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<StaticFile>> {
    Ok(colocated
        .into_iter()
        .chain(walk(root, Path::new("static"), warnings)?)
        .map(|(output, source)| StaticFile { output, source })
        .collect())
}

/// Reads one content file: `rel` is its path below `content/`, `abs` where it is.
pub fn read_document(
    rel: &Path,
    abs: &Path,
    config: &Config,
) -> std::result::Result<Document, Vec<Diagnostic>> {
    let file = Path::new("content").join(rel);
    let text = read_text(&file, abs).map_err(|d| vec![d])?;
    let split = front_matter::split(&file, &text).map_err(|d| vec![d])?;
    let meta = front_matter::parse(&file, &text, &split, &config.timezone)?;

    let name: String = rel
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .nfc()
        .collect();
    let name = name.strip_suffix(".md").unwrap_or(&name);
    let (stem, lang) = match name.rsplit_once('.') {
        Some((stem, suffix)) if crate::config::is_language_tag(suffix) => {
            if config.language(suffix).is_none() {
                return Err(vec![Diagnostic::new(
                    &file,
                    format!(
                        "language `{suffix}` is not configured (configured: {}); add [languages.{suffix}] to helpdeck.toml or rename the file",
                        config.language_tags().join(", ")
                    ),
                )]);
            }
            (stem.to_string(), suffix.to_string())
        }
        _ => (name.to_string(), config.default_language.clone()),
    };
    let dir = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().nfc().collect())
                .collect()
        })
        .unwrap_or_default();
    Ok(Document {
        front_matter_hash: xxhash_rust::xxh3::xxh3_64(split.front_matter.as_bytes()),
        body_hash: xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()),
        body: split.body.to_string(),
        body_line: split.body_line,
        file,
        dir,
        stem,
        lang,
        meta,
    })
}

/// Reads a text file: UTF-8 required, then [`normalise`]d.
pub fn read_text(file: &Path, abs: &Path) -> std::result::Result<String, Diagnostic> {
    let bytes =
        std::fs::read(abs).map_err(|e| Diagnostic::new(file, format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Lines as the file's own line endings make them, whichever they are.
            let lines = |bytes: &[u8]| normalise(String::from_utf8_lossy(bytes).into_owned());
            let valid = e.utf8_error().valid_up_to();
            let line = lines(&e.as_bytes()[..valid]).matches('\n').count() + 1;
            let quoted = lines(e.as_bytes())
                .lines()
                .nth(line - 1)
                .unwrap_or_default()
                .to_string();
            return Err(
                Diagnostic::new(file, "the file is not valid UTF-8 (save it as UTF-8)")
                    .at_line(line)
                    .quoting(quoted),
            );
        }
    };
    Ok(normalise(text))
}

/// `helpdeck.toml`, read by the rule of what may be read and parsed.
/// The site's configuration, and its values on domains reserved for examples (all but the
/// `base_url`, which the pipeline weighs them against).
fn read_config(root: &Path) -> Result<(Config, Vec<Diagnostic>)> {
    let path = match reach(root, Path::new(CONFIG_FILE)) {
        Ok(Reached::File(path)) => path,
        Ok(Reached::Refused(why)) => return Err(Error::single(why)),
        // Read as it is, for the system's word on what is wrong with it.
        _ => root.join(CONFIG_FILE),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::single(Diagnostic::new(
            CONFIG_FILE,
            format!("cannot read the site configuration: {e}"),
        ))
    })?;
    let text = normalise(text);
    let config = Config::parse(&text)?;
    let placeholders = placeholders::find(Path::new(CONFIG_FILE), &text, &["base_url"]);
    Ok((config, placeholders))
}

/// The site's configuration alone, read and checked as a build reads it: for commands that
/// need no pages.
pub fn config(root: &Path) -> Result<Config> {
    read_config(root).map(|(config, _)| config)
}

/// A text file's text with its BOM dropped and its line endings read as LF, whether they are
/// CRLF (Windows) or CR alone (old Mac OS), so that lines are counted and split alike.
pub fn normalise(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Every `data/*.toml` as a table, with the config's `[contact]` as `contact` and its `[shop]`
/// among `data/shop.toml`'s keys as `shop` (so that pages insert contact and identity facts
/// from the one place they live), and the typed terms of `data/shop.toml`; values on domains reserved for examples join `placeholders`.
pub fn load_data(
    root: &Path,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
    placeholders: &mut Vec<Diagnostic>,
) -> Result<(toml::Table, shop::ShopTerms)> {
    let mut data = toml::Table::new();
    let mut shop = shop::ShopTerms::default();
    for (rel, abs) in walk(root, Path::new("data"), warnings)? {
        if rel.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let file = Path::new("data").join(&rel);
        let key = rel
            .with_extension("")
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, ".");
        match read_text(&file, &abs) {
            Ok(text) => match crate::values::read::<toml::Table>(&file, &text, 0, &text) {
                Ok(table) => {
                    placeholders.append(&mut placeholders::find(&file, &text, &[]));
                    if file == Path::new(shop::SHOP_FILE) {
                        shop = shop::read(&text, problems, warnings);
                    }
                    data.insert(key, toml::Value::Table(table));
                }
                Err(mut p) => problems.append(&mut p),
            },
            Err(d) => problems.push(d),
        }
    }
    let identity = config.shop.facts();
    if !identity.is_empty() {
        let shop_facts = data
            .entry(shop::SHOP_FACTS)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(table) = shop_facts {
            // A key written in data/shop.toml too is already an error there.
            for (key, value) in identity {
                table.entry(key).or_insert(value);
            }
        }
    }
    match toml::Value::try_from(&config.contact) {
        Ok(_) if data.contains_key(CONTACT_FACTS) => problems.push(Diagnostic::new(
            "data/contact.toml",
            "`contact` facts come from helpdeck.toml [contact]: move these keys there",
        )),
        Ok(contact) => {
            data.insert(CONTACT_FACTS.to_string(), contact);
        }
        Err(e) => problems.push(Diagnostic::new(CONFIG_FILE, format!("[contact]: {e}"))),
    }
    Ok((data, shop))
}

/// The facts key of the config's `[contact]`: `{{ fact(key="contact.email") }}`.
const CONTACT_FACTS: &str = "contact";

/// The short hash of a page body that a translation's `source_hash` records.
pub fn source_hash(body: &str) -> String {
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(body.trim_end().as_bytes())
    )[..12]
        .to_string()
}

/// A content file rendered as a page; every other file beside the content is copied as it is.
pub fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md")
}

/// Hidden files and the temporary files editors leave beside the ones they save.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swx", ".tmp", ".bck", ".bak"]
            .iter()
            .any(|s| name.ends_with(s))
}
