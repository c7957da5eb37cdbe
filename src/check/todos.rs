//! TODO markers a seller has not yet replaced: the starter `init` writes marks each thing to
//! fill in with one, in the config, the shop facts and the pages, and a site is not ready to
//! publish while one is left.

use super::{Finding, SellerFile, Severity, has_word};
use crate::diagnostic::Diagnostic;

/// An error for each line with a `TODO` in the seller's files.
pub(super) fn check(files: &[SellerFile], findings: &mut Vec<Finding>) {
    for file in files {
        for (index, line) in file.text.lines().enumerate() {
            if has_marker(line) {
                findings.push(Finding::new(
                    Severity::Error,
                    Diagnostic::new(&file.path, "TODO left to fill in before publishing")
                        .at_line(index + 1)
                        .quoting(line.trim()),
                ));
            }
        }
    }
}

/// `TODO` as a word of its own.
fn has_marker(line: &str) -> bool {
    has_word(line, "TODO")
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
