//! Code blocks: read whole, then handed to the highlighter.

use pulldown_cmark::{CodeBlockKind, Event, TagEnd};

use crate::render::highlight;

/// A code block being read: its language (a fence's first word) and its text.
pub struct CodeBlock {
    lang: String,
    text: String,
}

impl CodeBlock {
    pub fn start(kind: &CodeBlockKind<'_>) -> Self {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info
                .split([' ', ',', '{'])
                .next()
                .unwrap_or_default()
                .to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        CodeBlock {
            lang,
            text: String::new(),
        }
    }

    /// Takes the next event inside the block; true at the block's end.
    pub fn read(&mut self, event: Event<'_>) -> bool {
        match event {
            Event::Text(t) => self.text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => return true,
            _ => {}
        }
        false
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The block, highlighted, as HTML.
    pub fn html(&self) -> String {
        highlight::code_block(&self.lang, &self.text)
    }
}
