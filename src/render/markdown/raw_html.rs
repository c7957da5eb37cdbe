//! The seller's raw HTML in a body: refused when it nests deeper than the sanitiser can parse
//! in linear time (see `nesting.rs`), and cleaned unless the site trusts it.

use std::sync::OnceLock;

use pulldown_cmark::Event;

use super::MarkdownInput;
use super::nesting::Nesting;
use crate::diagnostic::{Diagnostic, TextPosition};

/// Whether a body has raw HTML of its own, and how deep its elements nest.
pub struct RawHtml {
    nesting: Nesting,
    present: bool,
    trusted: bool,
}

impl RawHtml {
    /// `trusted`: the site's raw HTML is written as it is.
    pub fn new(trusted: bool) -> Self {
        RawHtml {
            nesting: Nesting::default(),
            present: false,
            trusted,
        }
    }

    /// Takes every event of the body, at byte `offset`: Markdown's own elements nest as deep
    /// as raw HTML's.
    pub fn follow(&mut self, event: &Event<'_>, offset: usize) {
        self.nesting.event(event, offset);
    }

    /// The body has raw HTML of its own (a shortcode's placeholder is not).
    pub fn found(&mut self) {
        self.present = true;
    }

    /// Whether the HTML written from the body must be sanitised.
    fn sanitised(&self) -> bool {
        self.present && !self.trusted
    }

    /// The error for HTML that would be sanitised but nests too deep, at its line.
    pub fn refusal(&self, input: &MarkdownInput<'_>) -> Option<Diagnostic> {
        let refusal = self.nesting.refusal().filter(|_| self.sanitised())?;
        let position = TextPosition::of(input.body, refusal.offset());
        Some(
            Diagnostic {
                line: Some(input.body_line + position.line - 1),
                column: Some(position.column),
                ..Diagnostic::new(input.file, refusal.message())
            }
            .quoting(position.line_text),
        )
    }

    /// The HTML written from the body, cleaned when it must be.
    pub fn clean(&self, html: String) -> String {
        if self.sanitised() {
            sanitise_html(&html)
        } else {
            html
        }
    }
}

fn sanitise_html(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .add_tags([
                    "details",
                    "summary",
                    "figure",
                    "figcaption",
                    "mark",
                    "kbd",
                    "input",
                    "section",
                    "sup",
                    "abbr",
                ])
                .add_generic_attributes(["id", "class", "title", "lang", "dir"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("th", ["style"])
                .add_tag_attributes("td", ["style"])
                .filter_style_properties(["text-align"].into_iter().collect())
                .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
            builder
        })
        .clean(html)
        .to_string()
}
