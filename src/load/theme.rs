//! Templates, theme assets and UI strings, layered: helpdeck's built-in templates, then the
//! theme's (a site's `themes/<name>/` or a bundled one), then the site's own `templates/`.
//! A later layer replaces an earlier template of the same name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::Reached;
use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Error, Result, toml_diagnostic};

static BUNDLED_THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");
/// The templates of the outputs every site has (sitemap, robots.txt, feeds, aliases, hosting
/// files), kept beside the renderer that fills them; a theme or the site may replace each.
static BUILTIN_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/render/builtin");

/// A template's name (as templates refer to it) and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    /// Shown in diagnostics: the site file, or `(built-in) …` for embedded ones.
    pub origin: PathBuf,
    pub text: String,
}

/// A theme static file, published under a content-hashed name.
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    /// Shown in diagnostics, as [`TemplateSource::origin`].
    pub origin: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Clone)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    pub assets: Vec<Asset>,
    /// UI strings per language tag, as the theme ships them.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

/// One file of a theme or template layer, whether on disk or embedded.
struct LayerFile {
    rel: PathBuf,
    origin: PathBuf,
    bytes: Vec<u8>,
}

impl Theme {
    pub fn load(
        root: &Path,
        name: &str,
        problems: &mut Vec<Diagnostic>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Theme> {
        let site_theme = Path::new("themes").join(name);
        let theme = match super::reach(root, &site_theme)? {
            // The site's own, which the walk refuses when it is a link.
            Reached::Folder(_) | Reached::Refused(_) => ThemeFolder::Site(site_theme),
            Reached::Nothing | Reached::File(_) => match BUNDLED_THEMES.get_dir(name) {
                Some(dir) => ThemeFolder::Bundled(dir),
                None => {
                    return Err(Error::single(Diagnostic::new(
                        CONFIG_FILE,
                        format!(
                            "theme `{name}` not found: no themes/{name}/ in the site and no bundled theme of that name"
                        ),
                    )));
                }
            },
        };

        let mut templates: BTreeMap<String, TemplateSource> = BTreeMap::new();
        let mut add_templates = |files: Vec<LayerFile>, problems: &mut Vec<Diagnostic>| {
            for file in files {
                let name = file.rel.to_string_lossy().replace('\\', "/");
                match String::from_utf8(file.bytes) {
                    Ok(text) => {
                        templates.insert(
                            name.clone(),
                            TemplateSource {
                                name,
                                origin: file.origin,
                                text,
                            },
                        );
                    }
                    Err(_) => {
                        problems.push(Diagnostic::new(file.origin, "template is not valid UTF-8"))
                    }
                }
            }
        };
        add_templates(embedded_layer(&BUILTIN_TEMPLATES, Path::new("")), problems);
        add_templates(theme.part(root, "templates", warnings)?, problems);
        add_templates(
            disk_layer(root, Path::new("templates"), warnings)?,
            problems,
        );

        let assets = theme
            .part(root, "static", warnings)?
            .into_iter()
            .map(|file| Asset {
                name: file.rel.to_string_lossy().replace('\\', "/"),
                origin: file.origin,
                bytes: file.bytes,
            })
            .collect();
        // The theme's UI strings, then the site's own `i18n/<lang>.toml` over them, key by key
        // (what `helpdeck strings import` writes).
        let mut strings: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let site_strings = disk_layer(root, Path::new(SITE_STRINGS), warnings)?;
        for file in theme
            .part(root, "i18n", warnings)?
            .into_iter()
            .chain(site_strings)
        {
            let Some(lang) = file.rel.to_str().and_then(|r| r.strip_suffix(".toml")) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.bytes);
            match toml::from_str::<BTreeMap<String, String>>(&text) {
                Ok(table) => strings.entry(lang.to_string()).or_default().extend(table),
                Err(e) => problems.push(toml_diagnostic(&file.origin, &text, 0, &e)),
            }
        }
        Ok(Theme {
            templates: templates.into_values().collect(),
            assets,
            strings,
        })
    }
}

/// The site's own UI strings, one file per language, over the theme's.
pub const SITE_STRINGS: &str = "i18n";

/// Where the theme comes from: the site's `themes/<name>/` or a bundled theme.
enum ThemeFolder {
    Site(PathBuf),
    Bundled(&'static Dir<'static>),
}

impl ThemeFolder {
    /// The files of one part of the theme (`templates`, `static`, `i18n`), relative to it. Each
    /// part of the site's own theme is a source folder of its own: one that is a link is an
    /// error, not a theme without templates.
    fn part(
        &self,
        root: &Path,
        part: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Vec<LayerFile>> {
        Ok(match self {
            ThemeFolder::Site(folder) => disk_layer(root, &folder.join(part), warnings)?,
            ThemeFolder::Bundled(dir) => dir
                .get_dir(dir.path().join(part))
                .map(|part| embedded_layer(part, part.path()))
                .unwrap_or_default(),
        })
    }
}

/// The files of a layer in the site: `folder` is relative to the root.
fn disk_layer(
    root: &Path,
    folder: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<LayerFile>> {
    super::walk(root, folder, warnings)?
        .into_iter()
        .map(|(rel, abs)| {
            let bytes = std::fs::read(&abs).map_err(|e| Error::io("cannot read", &abs, e))?;
            let origin = folder.join(&rel);
            Ok(LayerFile { rel, origin, bytes })
        })
        .collect()
}

fn embedded_layer(dir: &'static Dir<'static>, base: &Path) -> Vec<LayerFile> {
    let mut files = Vec::new();
    collect_embedded(dir, &mut files);
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .path()
                .strip_prefix(base)
                .unwrap_or(f.path())
                .to_path_buf();
            let origin = Path::new("(built-in)").join(dir_label(dir)).join(f.path());
            LayerFile {
                rel,
                origin,
                bytes: f.contents().to_vec(),
            }
        })
        .collect()
}

fn dir_label(dir: &Dir<'_>) -> &'static str {
    if std::ptr::eq(dir, &BUILTIN_TEMPLATES) {
        "templates"
    } else {
        "themes"
    }
}

fn collect_embedded(
    dir: &'static Dir<'static>,
    out: &mut Vec<&'static include_dir::File<'static>>,
) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect_embedded(d, out),
            include_dir::DirEntry::File(f) => {
                if !f.path().file_name().is_some_and(super::is_ignored) {
                    out.push(f)
                }
            }
        }
    }
}
