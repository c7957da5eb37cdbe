//! What a changed path means for the build: which kind of input it is.

use std::path::Path;

use crate::config::CONFIG_FILE;
use crate::load;

/// What a changed path means for the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// The config or the theme's UI strings: every page shares them.
    Config,
    /// `data/*.toml`: the pages reading a value record it.
    Data,
    Templates,
    Content,
    /// Any other path under `content/`: a folder created, deleted or renamed, with its pages
    /// and files, or a file beside the pages.
    ContentFolder,
    Static,
}

/// Which kind of input a changed path (relative to the root) is; `None` for paths the site is
/// not built from (editor temporary files, the build output).
pub fn classify(path: &Path) -> Option<Input> {
    if is_ignored(path) {
        return None;
    }
    let mut components = path.components().map(|c| c.as_os_str());
    let first = components.next()?;
    match first.to_str()? {
        CONFIG_FILE => Some(Input::Config),
        "data" => Some(Input::Data),
        "templates" => Some(Input::Templates),
        // The site's own UI strings, over the theme's.
        "i18n" => Some(Input::Config),
        "themes" => {
            // themes/<name>/<part>/…
            match components.nth(1).and_then(|c| c.to_str()) {
                Some("templates" | "static") => Some(Input::Templates),
                _ => Some(Input::Config),
            }
        }
        "content" if load::is_markdown(path) => Some(Input::Content),
        // Anything else may be a folder of pages, whatever its name (`v1.2/`).
        "content" => Some(Input::ContentFolder),
        "static" => Some(Input::Static),
        _ => None,
    }
}

fn is_ignored(path: &Path) -> bool {
    path.components().any(|c| load::is_ignored(c.as_os_str()))
}
