//! The theme made ready to render: its templates parsed once, its assets named.

use std::collections::BTreeMap;
use std::path::Path;

use super::assets::{AssetForm, hashed_name, minified};
use super::{Output, highlight, templates::Templates};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::Theme;

/// The theme made ready to render: templates parsed (and minified) once, assets named. Kept
/// across rebuilds in watch mode, so a content edit does not recompile the templates.
pub struct CompiledTheme {
    pub templates: Templates,
    pub(super) assets: Vec<Output>,
    /// Asset name (`style.css`) → its URL.
    pub(super) asset_urls: BTreeMap<String, String>,
    /// Assets published as written because they could not be minified.
    pub warnings: Vec<Diagnostic>,
}

impl CompiledTheme {
    /// The bytes of the asset written at `path`.
    pub fn asset(&self, path: &Path) -> Option<&[u8]> {
        self.assets
            .iter()
            .find(|asset| asset.path == path)
            .map(|asset| asset.bytes.as_slice())
    }

    pub fn new(theme: &Theme, config: &Config, form: AssetForm) -> Result<CompiledTheme> {
        let templates = Templates::new(&theme.templates, &config.language_tags(), config.minify)
            .map_err(Error::invalid)?;
        let mut asset_urls = BTreeMap::new();
        let mut assets = Vec::new();
        let mut warnings = Vec::new();
        let generated = (
            "highlight.css".to_string(),
            Path::new("(built-in) highlight.css").to_path_buf(),
            highlight::stylesheet().into_bytes(),
        );
        for (name, origin, bytes) in theme
            .assets
            .iter()
            .map(|a| (a.name.clone(), a.origin.clone(), a.bytes.clone()))
            .chain(std::iter::once(generated))
        {
            let (published, bytes) = match form {
                AssetForm::AsWritten => (name.clone(), bytes),
                AssetForm::Published => {
                    let bytes = match config.minify {
                        true => {
                            let (bytes, warning) = minified(&name, &origin, &bytes);
                            warnings.extend(warning);
                            bytes
                        }
                        false => bytes,
                    };
                    (hashed_name(&name, &bytes), bytes)
                }
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
            warnings,
        })
    }
}
