//! Link and image destinations: `@/` links to content files become the pages' URLs, and
//! unless the site trusts its HTML, `javascript:`-style URLs are disarmed.

use pulldown_cmark::CowStr;

use super::MarkdownInput;
use crate::diagnostic::Diagnostic;

/// The destination to write for `dest` as written; a broken `@/` link is a problem at
/// `position()`, and keeps its destination.
pub fn rewrite_destination<'a>(
    dest: CowStr<'a>,
    input: &MarkdownInput<'_>,
    position: &dyn Fn() -> (usize, usize),
    link_target: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    if let Some(link) = dest.strip_prefix("@/") {
        let (path, anchor) = link
            .split_once('#')
            .map_or((link, None), |(p, a)| (p, Some(a)));
        return match link_target(path) {
            Some(url) => match anchor {
                Some(anchor) => format!("{url}#{anchor}").into(),
                None => url.into(),
            },
            None => {
                let (line, column) = position();
                problems.push(
                    Diagnostic {
                        line: Some(line),
                        column: Some(column),
                        ..Diagnostic::new(
                            input.file,
                            format!("broken internal link: no page content/{path}"),
                        )
                    }
                    .quoting(format!("@/{link}")),
                );
                dest
            }
        };
    }
    // Disarmed rather than an error, like the same link written as raw HTML, which the
    // sanitiser drops: the body is cleaned as a whole, and `check` names each such link.
    if !input.trust_html && crate::values::refused_scheme(&dest).is_some() {
        return CowStr::Borrowed("#");
    }
    dest
}
