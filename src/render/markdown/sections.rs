//! Search sections: the plain text under each heading (and before the first), white space
//! collapsed as it is gathered, for the search index. Pages split at `## ` and `### `;
//! question pages at `## ` only, one section per question.
//!
//! Where elements meet, the text reads as its language is written: a paragraph, list item or
//! table row ends as a sentence ("label. Next", "標籤。下一"), a link's end leaves its full
//! stop attached ("policy." not "policy ."). What joins two pieces is decided when the next
//! piece arrives, so nothing dangles at the end of a section.

use pulldown_cmark::{HeadingLevel, Tag, TagEnd};

use crate::output::TextSection;
use crate::text::sentences::{end_sentence, starts_attached};

/// What goes between the text gathered so far and the next piece, strongest last.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Join {
    Nothing,
    Space,
    Sentence,
}

/// A page's sections as its events are read: text goes to the last one.
pub struct Sections<'a> {
    sections: Vec<TextSection>,
    questions: bool,
    lang: &'a str,
    pending: Join,
}

impl<'a> Sections<'a> {
    /// `questions`: the page is split into questions at `## ` headings; `lang`: the page's
    /// language, whose full stop ends sentences.
    pub fn new(questions: bool, lang: &'a str) -> Self {
        Sections {
            sections: vec![TextSection::default()],
            questions,
            lang,
            pending: Join::Nothing,
        }
    }

    fn splits_at(&self, level: HeadingLevel) -> bool {
        level == HeadingLevel::H2 || (!self.questions && level <= HeadingLevel::H3)
    }

    fn join(&mut self, join: Join) {
        self.pending = self.pending.max(join);
    }

    /// The last section's text, joined to what `next` starts with.
    fn text_before(&mut self, next: &str) -> &mut String {
        let pending = std::mem::replace(&mut self.pending, Join::Nothing);
        let lang = self.lang;
        let text = &mut self
            .sections
            .last_mut()
            .expect("starts with one section")
            .text;
        match pending {
            Join::Nothing => {}
            Join::Space if starts_attached(next) => {}
            Join::Space => push_space(text),
            Join::Sentence => end_sentence(text, lang),
        }
        text
    }

    /// A heading starts a section, or is a sentence of the one it is in.
    pub fn heading_start(&mut self, level: HeadingLevel) {
        if self.splits_at(level) {
            self.sections.push(TextSection::default());
            self.pending = Join::Nothing;
        } else {
            self.join(Join::Sentence);
        }
    }

    /// A heading's id and text name its section, or join the text of the one it is in.
    pub fn heading_end(&mut self, level: HeadingLevel, id: &str, text: &str) {
        if self.splits_at(level) {
            let section = self.sections.last_mut().expect("starts with one section");
            section.anchor = Some(id.to_string());
            section.heading = text.trim().to_string();
        } else {
            self.text(text);
            self.join(Join::Sentence);
        }
    }

    pub fn text(&mut self, text: &str) {
        push_collapsed(self.text_before(text), text);
    }

    /// A line break: words on either side stay apart.
    pub fn line_break(&mut self) {
        self.join(Join::Space);
    }

    /// An element starts: a block starts a sentence; inline text runs on.
    pub fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::TableCell => {}
            Tag::Image { .. } => self.join(Join::Space),
            _ => self.join(Join::Sentence),
        }
    }

    /// An element ends: a block ends its sentence, a table cell or image its words; inline
    /// text runs on into what follows, punctuation and all.
    pub fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => {}
            TagEnd::TableCell | TagEnd::Image => self.join(Join::Space),
            _ => self.join(Join::Sentence),
        }
    }

    /// A code block's whole text, set apart by spaces: code is not a sentence.
    pub fn code_block(&mut self, text: &str) {
        self.join(Join::Space);
        self.text(text);
        self.join(Join::Space);
    }

    /// The sections with text or a heading, without the space after their last word.
    pub fn finish(mut self) -> Vec<TextSection> {
        for section in &mut self.sections {
            if section.text.ends_with(' ') {
                section.text.pop();
            }
        }
        self.sections
            .retain(|s| s.anchor.is_some() || !s.text.is_empty());
        self.sections
    }
}

/// Appends `text` with each run of white space as one space, never a space first: the
/// searchable text is built collapsed rather than collapsed again afterwards. Text is copied
/// in stretches that run up to the next white space that must change; a single space between
/// two words (most of them) stays inside the stretch.
fn push_collapsed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Most text has nothing to change: single spaces between words, no other white space.
    // One pass that compiles to vector instructions finds that out, and it is copied as is.
    let other_space = bytes
        .iter()
        .fold(false, |seen, &b| seen | may_start_other_space(b));
    if !other_space && !text.starts_with(' ') && !text.contains("  ") {
        out.push_str(text);
        return;
    }
    let (mut stretch_start, mut at) = (0, 0);
    while let Some(found) = bytes[at..]
        .iter()
        .position(|&b| MAY_START_SPACE[usize::from(b)])
    {
        at += found;
        let space = match bytes[at] {
            b' ' if at > stretch_start && bytes[at - 1] != b' ' => 0,
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
            _ => text[at..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        };
        if space == 0 {
            at += 1;
            continue;
        }
        // After a space the stretch kept, `push_space` adds none.
        out.push_str(&text[stretch_start..at]);
        push_space(out);
        at += space;
        stretch_start = at;
    }
    out.push_str(&text[stretch_start..]);
}

/// The bytes a white-space character can start with: ASCII white space, and the lead bytes
/// of every other one (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000). One table lookup per
/// byte lets the scan skip the rest.
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [
        b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
    ];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether `b` may start white space other than a plain space: every byte MAY_START_SPACE
/// marks but `' '` (and other control characters), by comparisons a vector unit can make
/// where it cannot look up a table.
fn may_start_other_space(b: u8) -> bool {
    (b < 0x20) | (b == 0xC2) | (b.wrapping_sub(0xE1) < 3)
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searchable_text_collapses_white_space_as_split_whitespace_does() {
        let pieces = [
            "  Returns\twithin\n\n30 days ",
            "\u{a0}non\u{a0}breaking\u{2003}em\u{3000}ideographic\u{85}next",
            "żółw — 退货\u{200b}zero-width is not space",
            "one  two \n three\u{a0} four   ",
            " after a trailing space",
            "plain words with single spaces",
            "plain with a trailing space ",
            "",
            "   ",
            "tail",
        ];
        let mut collapsed = String::new();
        for piece in pieces {
            push_collapsed(&mut collapsed, piece);
            push_space(&mut collapsed);
        }
        if collapsed.ends_with(' ') {
            collapsed.pop();
        }
        let expected = pieces
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(collapsed, expected);
    }

    fn sections_of(events: &[pulldown_cmark::Event<'_>], lang: &str) -> Vec<TextSection> {
        use pulldown_cmark::Event;
        let mut sections = Sections::new(false, lang);
        for event in events {
            match event {
                Event::Start(tag) => sections.start(tag),
                Event::End(tag) => sections.end(*tag),
                Event::Text(text) | Event::Code(text) => sections.text(text),
                Event::SoftBreak | Event::HardBreak => sections.line_break(),
                _ => {}
            }
        }
        sections.finish()
    }

    fn text_of(markdown: &str, lang: &str) -> String {
        let events: Vec<_> =
            pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
                .collect();
        let sections = sections_of(&events, lang);
        sections
            .into_iter()
            .map(|s| s.text)
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn blocks_end_as_sentences_and_inline_ends_run_on() {
        assert_eq!(
            text_of(
                "- Free return label\n- 30 days\n\nSee our [returns policy](/r/). **Thanks**!\n",
                "en"
            ),
            "Free return label. 30 days. See our returns policy. Thanks!"
        );
        assert_eq!(
            text_of(
                "- 免費退貨標籤\n- 30 天\n\n請見[退貨政策](/r/)。\n",
                "zh-Hant"
            ),
            "免費退貨標籤。30 天。請見退貨政策。"
        );
        assert_eq!(
            text_of(
                "Ends here:\n\n| Method | Days |\n|---|---|\n| Post | 3 |\n",
                "en"
            ),
            "Ends here: Method Days. Post 3"
        );
        assert_eq!(text_of("one\ntwo  \nthree", "en"), "one two three");
    }

    #[test]
    fn the_quick_white_space_test_covers_every_byte_the_table_marks() {
        for b in 0..=u8::MAX {
            if MAY_START_SPACE[usize::from(b)] && b != b' ' {
                assert!(may_start_other_space(b), "{b:#04x}");
            }
        }
    }
}
