//! TODO markers a seller has not yet replaced: the starter `init` writes marks each thing to
//! fill in with one, in the config, the shop facts and the pages, and a site is not ready to
//! publish while one is left.

use std::path::Path;

use super::{Finding, Severity};
use crate::diagnostic::Diagnostic;
use crate::resolve::Site;

/// An error for each line with a `TODO` in `helpdeck.toml`, `data/*.toml` or a page's file.
pub(super) fn check(site: &Site, root: &Path, findings: &mut Vec<Finding>) {
    let mut files = vec![Path::new(crate::config::CONFIG_FILE).to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(root.join("data")) {
        let mut data: Vec<_> = entries
            .flatten()
            .map(|e| Path::new("data").join(e.file_name()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        data.sort();
        files.extend(data);
    }
    files.extend(
        site.pages()
            .iter()
            .filter(|p| p.fallback_of.is_none())
            .map(|p| p.doc.file.clone()),
    );
    for file in files {
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            if has_marker(line) {
                findings.push(Finding::new(
                    Severity::Error,
                    Diagnostic::new(&file, "TODO left to fill in before publishing")
                        .at_line(index + 1)
                        .quoting(line.trim()),
                ));
            }
        }
    }
}

/// `TODO` as a word of its own.
fn has_marker(line: &str) -> bool {
    line.match_indices("TODO").any(|(at, _)| {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        !line[..at].chars().next_back().is_some_and(word)
            && !line[at + 4..].chars().next().is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_words() {
        assert!(has_marker("TODO: say how"));
        assert!(has_marker("x = 1  # TODO"));
        assert!(!has_marker("TODOS and MYTODO and TODO_LIST"));
    }
}
