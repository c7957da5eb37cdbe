//! What only `check` reads from a body: links and images as written and where they are, the
//! images without alt text, and the text of each block, whose numbers `check` compares
//! across languages.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::positions::Positions;

/// A link or image destination as written, with its line and column in the file.
#[derive(Debug, Clone)]
pub struct LinkUse {
    pub url: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct TextBlock {
    /// The line of the file the block starts on.
    pub line: usize,
    pub text: String,
}

/// What `check` reads, gathered from a page's events as written (before links are
/// rewritten).
#[derive(Default)]
pub struct CheckData {
    pub links: Vec<LinkUse>,
    /// Images whose alt text is empty, where they are.
    pub images_without_alt: Vec<LinkUse>,
    /// The text of each paragraph, heading, list item and table row, in order.
    pub blocks: Vec<TextBlock>,
    /// Text that shows `**` to the reader: emphasis that CommonMark did not close, as when
    /// `**英國：**金額` puts punctuation inside before a letter outside.
    pub stray_emphasis: Vec<LinkUse>,
    /// Inside a code block, whose asterisks are the code's.
    in_code_block: bool,
    /// The block's text outside code, where a `**` is one the reader sees.
    prose: String,
    /// The image being read, and its alt text so far.
    image: Option<(LinkUse, String)>,
    /// The block being read.
    block: Option<TextBlock>,
}

impl CheckData {
    /// Takes the event at byte `offset` of the body.
    pub fn event(&mut self, event: &Event<'_>, offset: usize, positions: &Positions<'_>) {
        let used = |url: &str| {
            let (line, column) = positions.of(offset);
            LinkUse {
                url: url.to_string(),
                line,
                column,
            }
        };
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(used(dest_url)),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((used(dest_url), String::new()));
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            Event::Text(t) => {
                if !self.in_code_block {
                    self.prose.push_str(t);
                }
                self.text(t, offset, positions);
            }
            Event::Code(t) => self.text(t, offset, positions),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = self.block.as_mut() {
                    b.text.push(' ');
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((used, alt)) = self.image.take() {
                    if alt.trim().is_empty() {
                        self.images_without_alt.push(used);
                    }
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => {
                let prose = std::mem::take(&mut self.prose);
                if let Some(block) = self.block.take() {
                    if prose.contains("**") {
                        self.stray_emphasis.push(LinkUse {
                            url: block.text.clone(),
                            line: block.line,
                            column: 1,
                        });
                    }
                    self.blocks.push(block);
                }
            }
            _ => {}
        }
    }

    /// Text of the block (and of the image's alt text) being read.
    fn text(&mut self, t: &str, offset: usize, positions: &Positions<'_>) {
        if let Some((_, alt)) = self.image.as_mut() {
            alt.push_str(t);
        }
        self.block
            .get_or_insert_with(|| TextBlock {
                line: positions.of(offset).0,
                text: String::new(),
            })
            .text
            .push_str(t);
    }
}
