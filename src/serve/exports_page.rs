//! The seller's view of the exports in watch mode, at `/_helpdeck/exports/`: each export's
//! files made from the site's files as they are now ([`crate::export::files`]), so a save is
//! in the next download; the page itself reloads on every save.

use std::fmt::Write;

use super::escape_html;
use crate::export::{self, Target};

/// A file of an export, by `export/name` (`replies/replies.csv`), as made now; `None` for no
/// such export or file, an error when the site's files keep the export from being made.
pub fn file(state_root: &std::path::Path, path: &str) -> Option<Result<Vec<u8>, String>> {
    let (target, name) = path.split_once('/')?;
    let target = Target::ALL.into_iter().find(|t| t.name() == target)?;
    match export::files(state_root, target, None) {
        Ok(files) => files
            .into_iter()
            .find(|(file, _)| *file == name)
            .map(|(_, bytes)| Ok(bytes)),
        Err(error) => Some(Err(error.to_string())),
    }
}

/// The list of exports and their files, or what keeps them from being made.
pub fn render(root: &std::path::Path, url: &str) -> String {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Exports · helpdeck serve</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;font-size:.85rem}</style></head><body><h1>Exports</h1><p>Made from the site's files as they are now; <code>helpdeck export &lt;name&gt;</code> writes the same files.</p>",
    );
    for target in Target::ALL {
        let _ = write!(html, "<h2>{}</h2>", target.name());
        match export::files(root, target, None) {
            Ok(files) => {
                html.push_str("<ul>");
                for (name, bytes) in files {
                    let _ = write!(
                        html,
                        "<li><a href=\"{url}{target}/{name}\">{name}</a> ({} bytes)</li>",
                        bytes.len(),
                        target = target.name(),
                    );
                }
                html.push_str("</ul>");
            }
            Err(error) => {
                let _ = write!(html, "<pre>{}</pre>", escape_html(&error.to_string()));
            }
        }
    }
    html.push_str("</body></html>");
    html
}
