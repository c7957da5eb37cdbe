//! The theme made ready to render: its templates parsed once, its assets named.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Output, highlight, templates::Templates};
use crate::config::Config;
use crate::diagnostic::{Error, Result};
use crate::load::Theme;

/// How theme assets are named in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetNames {
    /// `style.1a2b3c4d5e6f.css`: hosts and browsers may cache them for ever.
    Hashed,
    /// `style.css`: a stylesheet edit in watch mode changes that one file, not every page
    /// linking to it, and the browser swaps it in place.
    Plain,
}

/// The theme made ready to render: templates parsed (and minified) once, assets named. Kept
/// across rebuilds in watch mode, so a content edit does not recompile the templates.
pub struct CompiledTheme {
    pub templates: Templates,
    pub(super) assets: Vec<Output>,
    /// Asset name (`style.css`) → its URL.
    pub(super) asset_urls: BTreeMap<String, String>,
}

impl CompiledTheme {
    /// The bytes of the asset written at `path`.
    pub fn asset(&self, path: &Path) -> Option<&[u8]> {
        self.assets
            .iter()
            .find(|asset| asset.path == path)
            .map(|asset| asset.bytes.as_slice())
    }

    pub fn new(theme: &Theme, config: &Config, names: AssetNames) -> Result<CompiledTheme> {
        let templates = Templates::new(&theme.templates, &config.language_tags(), config.minify)
            .map_err(Error::invalid)?;
        let mut asset_urls = BTreeMap::new();
        let mut assets = Vec::new();
        let generated = (
            "highlight.css".to_string(),
            highlight::stylesheet().into_bytes(),
        );
        for (name, bytes) in theme
            .assets
            .iter()
            .map(|a| (a.name.clone(), a.bytes.clone()))
            .chain(std::iter::once(generated))
        {
            let published = match names {
                AssetNames::Hashed => hashed_name(&name, &bytes),
                AssetNames::Plain => name.clone(),
            };
            asset_urls.insert(
                name,
                format!(
                    "{}/assets/{}",
                    config.base_path,
                    published.replace('\\', "/")
                ),
            );
            assets.push(Output {
                path: Path::new("assets").join(&published),
                bytes,
            });
        }
        Ok(CompiledTheme {
            templates,
            assets,
            asset_urls,
        })
    }
}

/// `style.css` → `style.1a2b3c4d5e6f7a8b.css`.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    let short = &hash[..12];
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{short}.{ext}")
        }
        _ => format!("{name}.{short}"),
    }
}
