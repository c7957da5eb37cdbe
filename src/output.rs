//! What the stages hand on to the ones after them: finished files and the sink they go to, and
//! a page's text as the search index reads it. Render makes them, index and write take them;
//! kept below all three so that none reaches into another for its types.

use std::path::PathBuf;

use crate::diagnostic::Result;

/// A finished file, relative to the output root.
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Receives finished files; called from several threads.
pub type Sink<'a> = dyn Fn(Output) -> Result<()> + Sync + 'a;

/// A page's text as the search index needs it: one section per heading or question.
#[derive(Debug, PartialEq)]
pub struct SearchPage {
    pub lang: String,
    pub url: String,
    pub title: String,
    pub sections: Vec<TextSection>,
}

/// The plain text under one heading (or before the first), for the search index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextSection {
    /// The heading's id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}
