//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists and smart
//! punctuation; heading anchors for any script; `@/` internal links; highlighted code; raw
//! HTML sanitised unless the site trusts it; FAQ pages split into questions at `## `.

use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::highlight;
use super::nesting::Nesting;
use crate::diagnostic::{Diagnostic, TextPosition};

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// One `## ` heading of an FAQ or product page and the text under it.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub answer: String,
}

/// The plain text under one heading (or before the first), for the search index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextSection {
    /// The heading's id; `None` for the text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Default, Clone)]
pub struct RenderedMarkdown {
    pub html: String,
    /// What comes before the first question (question pages only).
    pub intro: String,
    pub questions: Vec<Question>,
    pub toc: Vec<TocEntry>,
    pub has_code: bool,
    /// Split at `## ` questions on question pages, at `## ` and `### ` elsewhere.
    pub sections: Vec<TextSection>,
    /// Every heading's id, for checking links to anchors.
    pub ids: Vec<String>,
    /// Links as written, for `check`.
    pub links: Vec<LinkUse>,
    /// Images whose alt text is empty, where they are.
    pub images_without_alt: Vec<LinkUse>,
    /// The text of each paragraph, heading, list item and table row, in order: `check`
    /// compares the numbers in them across languages.
    pub blocks: Vec<TextBlock>,
}

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

pub struct MarkdownInput<'a> {
    /// The file, for diagnostics.
    pub file: &'a Path,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Split into questions at `## ` headings.
    pub questions: bool,
    pub trust_html: bool,
    pub smart_punctuation: bool,
    /// Ids the theme uses, which headings must not take.
    pub reserved_ids: &'a [&'a str],
    /// The HTML that shortcode placeholders in `body` stand for.
    pub fragments: &'a [String],
    /// Also collect what only `check` reads: links and images as written, where they are,
    /// and the text of each block.
    pub for_check: bool,
}

/// Renders Markdown; `link_target` maps `policies/returns.md` to its URL.
pub fn render(
    input: &MarkdownInput<'_>,
    link_target: &dyn Fn(&str) -> Option<String>,
) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if input.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut problems = Vec::new();
    let mut heading_ids = HeadingIds::reserving(input.reserved_ids);
    let mut toc = Vec::new();
    let mut has_code = false;
    let mut has_raw_html = false;
    let mut heading_start: Option<usize> = None;
    let mut heading_text = String::new();
    let mut code: Option<(String, String)> = None;
    // Only what `check` collects needs lines, and most pages have no other use for them.
    let lines = OnceCell::new();
    let position = |offset: usize| {
        let (line, column) = lines
            .get_or_init(|| LineStarts::new(input.body))
            .position(input.body, offset);
        (input.body_line + line - 1, column)
    };
    let mut ids = Vec::new();
    let mut links = Vec::new();
    let mut images_without_alt = Vec::new();
    let mut image: Option<(LinkUse, String)> = None;
    let mut blocks = Vec::new();
    let mut block: Option<TextBlock> = None;
    let mut sections = vec![TextSection::default()];
    let mut nesting = Nesting::default();
    let splits_at = |level: HeadingLevel| {
        level == HeadingLevel::H2 || (!input.questions && level <= HeadingLevel::H3)
    };

    for (event, range) in Parser::new_ext(input.body, options).into_offset_iter() {
        nesting.event(&event, range.start);
        let section = sections.last_mut().expect("starts with one section");
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    push_collapsed(&mut section.text, &text);
                    push_space(&mut section.text);
                    events.push(Event::Html(highlight::code_block(&lang, &text).into()));
                }
                _ => {}
            }
            continue;
        }
        let mut event = event;
        if let Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) = &mut event {
            let is_image = matches!(tag, Tag::Image { .. });
            if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = tag {
                if input.for_check {
                    let (line, column) = position(range.start);
                    let used = LinkUse {
                        url: dest_url.to_string(),
                        line,
                        column,
                    };
                    if is_image {
                        image = Some((used, String::new()));
                    } else {
                        links.push(used);
                    }
                }
                let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                *dest_url = rewrite_destination(
                    dest,
                    input,
                    &|| position(range.start),
                    link_target,
                    &mut problems,
                );
            }
        }
        match &event {
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(t);
                }
                if input.for_check {
                    block
                        .get_or_insert_with(|| TextBlock {
                            line: position(range.start).0,
                            text: String::new(),
                        })
                        .text
                        .push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = block.as_mut() {
                    b.text.push(' ');
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((used, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        images_without_alt.push(used);
                    }
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => blocks.extend(block.take()),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if splits_at(level) {
                    sections.push(TextSection::default());
                } else {
                    push_space(&mut section.text);
                }
                heading_start = Some(events.len());
                heading_text.clear();
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let wanted = id
                            .as_ref()
                            .map_or_else(|| anchor_id(&heading_text), |i| i.to_string());
                        let unique = heading_ids.unique(wanted);
                        ids.push(unique.clone());
                        if splits_at(level) {
                            section.anchor = Some(unique.clone());
                            section.heading = heading_text.trim().to_string();
                        } else {
                            push_collapsed(&mut section.text, &heading_text);
                            push_space(&mut section.text);
                        }
                        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                            toc.push(TocEntry {
                                level: level as u8,
                                id: unique.clone(),
                                title: heading_text.trim().to_string(),
                            });
                        }
                        *id = Some(unique.into());
                    }
                }
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) if heading_start.is_some() => {
                heading_text.push_str(t);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                has_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Html(ref html) if super::shortcodes::block_placeholder(html).is_some() => {
                let placeholder = super::shortcodes::block_placeholder(html).unwrap_or_default();
                events.push(Event::Text(placeholder.to_string().into()));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                push_collapsed(&mut section.text, t);
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                push_space(&mut section.text);
                events.push(event);
            }
            other => events.push(other),
        }
    }
    if let Some(refusal) = nesting
        .refusal()
        .filter(|_| has_raw_html && !input.trust_html)
    {
        let position = TextPosition::of(input.body, refusal.offset());
        problems.push(
            Diagnostic {
                line: Some(input.body_line + position.line - 1),
                column: Some(position.column),
                ..Diagnostic::new(input.file, refusal.message())
            }
            .quoting(position.line_text),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // The seller's raw HTML is cleaned; the shortcodes' templates are trusted.
    let sanitise = |html: String| {
        let clean = if has_raw_html && !input.trust_html {
            sanitise_html(&html)
        } else {
            html
        };
        super::shortcodes::fill_placeholders(clean, input.fragments)
    };
    for section in &mut sections {
        if section.text.ends_with(' ') {
            section.text.pop();
        }
    }
    sections.retain(|s| s.anchor.is_some() || !s.text.is_empty());
    let mut rendered = RenderedMarkdown {
        toc,
        has_code,
        ids,
        links,
        images_without_alt,
        blocks,
        sections,
        ..Default::default()
    };
    if input.questions {
        let starts: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                matches!(
                    e,
                    Event::Start(Tag::Heading {
                        level: HeadingLevel::H2,
                        ..
                    })
                )
            })
            .map(|(i, _)| i)
            .collect();
        let intro_end = starts.first().copied().unwrap_or(events.len());
        // The intro, then each question's heading and its answer, as ranges of events.
        let mut questions = Vec::new();
        let mut stretches = Vec::with_capacity(starts.len() + 1);
        stretches.push(0..intro_end);
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(events.len());
            let heading_end = (start..end)
                .find(|&i| matches!(events[i], Event::End(TagEnd::Heading(_))))
                .unwrap_or(start);
            if let Event::Start(Tag::Heading { id, .. }) = &events[start] {
                questions.push((id, start + 1..heading_end));
                stretches.push(heading_end + 1..end);
            }
        }
        let (whole, mut stretches) = to_html_in_stretches(&events, &stretches);
        rendered.html = sanitise(whole);
        rendered.intro = sanitise(stretches.remove(0));
        for ((id, heading), answer) in questions.into_iter().zip(stretches) {
            rendered.questions.push(Question {
                id: id.as_deref().unwrap_or_default().to_string(),
                question: plain_text(&events[heading]),
                answer: sanitise(answer),
            });
        }
    } else {
        rendered.html = sanitise(to_html(&events));
    }
    Ok(rendered)
}

/// Where each line of a text starts, to turn byte offsets into lines without rescanning; and
/// the last position found, from which the column of a later offset on the same line is
/// counted, so that a line with thousands of links is not counted from its start for each.
struct LineStarts {
    starts: Vec<usize>,
    /// Offset, line and column.
    last: Cell<(usize, usize, usize)>,
}

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts {
            starts,
            last: Cell::new((0, 1, 1)),
        }
    }

    /// 1-based line and column (in characters) of `offset`.
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let (last_offset, last_line, last_column) = self.last.get();
        let (from, column) = match last_line == line && last_offset <= offset {
            true => (last_offset, last_column),
            false => (self.starts[line - 1], 1),
        };
        let column = text
            .get(from..offset)
            .map_or(1, |before| column + before.chars().count());
        self.last.set((offset, line, column));
        (line, column)
    }
}

fn to_html(events: &[Event<'_>]) -> String {
    let mut out = String::with_capacity(html_capacity(events));
    html::push_html(&mut out, events.iter().cloned());
    out
}

/// Room for the HTML of `events`: the text it will hold, plus room for tags and escapes,
/// rather than a string grown by copying it over and over.
fn html_capacity(events: &[Event<'_>]) -> usize {
    let text: usize = events
        .iter()
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t.len(),
            _ => 8,
        })
        .sum();
    text + text / 8
}

/// The HTML of `events`, and that of each of the ascending, non-overlapping `stretches` of
/// them, exactly as if each had been written on its own.
///
/// A stretch that starts the events or follows a block's end (where the writer has just
/// ended a line, as it has when it starts) is written as it would be alone, so it is cut out
/// of the whole instead of written a second time. Footnotes are the exception: the writer
/// numbers them in the order it meets them, so with footnotes each stretch is written apart.
fn to_html_in_stretches(events: &[Event<'_>], stretches: &[Range<usize>]) -> (String, Vec<String>) {
    let footnotes = events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if footnotes {
        let apart = stretches
            .iter()
            .map(|r| to_html(&events[r.clone()]))
            .collect();
        return (to_html(events), apart);
    }
    // Where the HTML of each stretch's first event and of the event after its last begins.
    let written = Cell::new(0);
    let mut cuts: Vec<usize> = stretches.iter().flat_map(|r| [r.start, r.end]).collect();
    cuts.sort_unstable();
    let mut pending = cuts.iter().peekable();
    let mut offsets: HashMap<usize, usize> = HashMap::with_capacity(cuts.len());
    let mut html = MeasuredHtml {
        html: String::with_capacity(html_capacity(events)),
        written: &written,
    };
    let numbered = events.iter().enumerate().map(|(i, event)| {
        while pending.next_if(|&&cut| cut == i).is_some() {
            offsets.insert(i, written.get());
        }
        event.clone()
    });
    // Writing into a string cannot fail.
    let _ = html::write_html_fmt(&mut html, numbered);
    let whole = html.html;
    let at = |i: usize| offsets.get(&i).copied().unwrap_or(whole.len());
    let cut = stretches
        .iter()
        .map(|r| whole[at(r.start)..at(r.end)].to_string())
        .collect();
    (whole, cut)
}

/// A string that says how long it is after every write, for [`to_html_in_stretches`].
struct MeasuredHtml<'a> {
    html: String,
    written: &'a Cell<usize>,
}

impl std::fmt::Write for MeasuredHtml<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_string()
}

/// Resolves `@/` links and, unless the site trusts its HTML, disarms `javascript:`-style URLs.
fn rewrite_destination<'a>(
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

/// A heading's anchor: lowercase letters and digits of any script, `-` between words.
pub fn anchor_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    // Composition leaves ASCII, the text of most headings, as it is.
    if text.is_ascii() {
        push_anchor_chars(&mut id, text.chars());
    } else {
        push_anchor_chars(&mut id, text.nfc());
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn push_anchor_chars(id: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_alphanumeric() || c == '_' || (!c.is_ascii() && is_combining_mark(c)) {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
}

/// The ids a page's headings have taken: a heading whose id is taken gets the first free one
/// of `id-1`, `id-2`… Each wanted id remembers the last number it tried, since a taken id is
/// never freed: a page of N headings of the same title takes N steps, not N²/2.
struct HeadingIds {
    taken: HashSet<String>,
    last_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    fn reserving(reserved: &[&str]) -> Self {
        HeadingIds {
            taken: reserved.iter().map(|id| id.to_string()).collect(),
            last_suffix: HashMap::new(),
        }
    }

    fn unique(&mut self, wanted: String) -> String {
        if !self.taken.contains(&wanted) {
            self.taken.insert(wanted.clone());
            return wanted;
        }
        let n = self.last_suffix.entry(wanted.clone()).or_insert(0);
        loop {
            *n += 1;
            let id = format!("{wanted}-{n}");
            if self.taken.insert(id.clone()) {
                return id;
            }
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

    #[test]
    fn the_quick_white_space_test_covers_every_byte_the_table_marks() {
        for b in 0..=u8::MAX {
            if MAY_START_SPACE[usize::from(b)] && b != b' ' {
                assert!(may_start_other_space(b), "{b:#04x}");
            }
        }
    }

    fn md(body: &str, questions: bool) -> RenderedMarkdown {
        let input = MarkdownInput {
            file: Path::new("content/a.md"),
            body,
            body_line: 4,
            questions,
            trust_html: false,
            smart_punctuation: true,
            reserved_ids: &["main"],
            fragments: &[],
            for_check: true,
        };
        render(&input, &|p| (p == "b.md").then(|| "/b/".to_string())).unwrap()
    }

    #[test]
    fn anchors_for_any_script() {
        assert_eq!(anchor_id("Where is my order?"), "where-is-my-order");
        assert_eq!(
            anchor_id("Kur yra mano užsakymas?"),
            "kur-yra-mano-užsakymas"
        );
        assert_eq!(anchor_id("我的訂單在哪裡？"), "我的訂單在哪裡");
        assert_eq!(anchor_id("?!"), "section");
    }

    #[test]
    fn duplicate_and_reserved_ids_get_suffixes() {
        let r = md("## Main\n\n## A\n\n## A\n", false);
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "a", "a-1"]);
    }

    #[test]
    fn a_taken_id_is_skipped_by_every_later_heading_that_wants_it() {
        let r = md("## A\n\n## A-1\n\n## A\n\n## A\n\n## A-1\n", false);
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3", "a-1-1"]);
    }

    #[test]
    fn positions_on_a_long_line_are_counted_on_from_the_last() {
        let text = "żółw [a](b) ".repeat(50) + "\n" + &"x [c](d) ".repeat(50);
        let lines = LineStarts::new(&text);
        let mut offsets: Vec<usize> = text.match_indices('[').map(|(i, _)| i).collect();
        // In order, then going back on a line, then to another line.
        offsets.extend([text.len() - 3, 30, 7, 600, 4]);
        for offset in offsets {
            let expected = TextPosition::of(&text, offset);
            assert_eq!(
                lines.position(&text, offset),
                (expected.line, expected.column),
                "{offset}"
            );
        }
    }

    #[test]
    fn html_too_deep_to_sanitise_is_an_error_at_its_line() {
        let deep = format!("Intro.\n\n{} quoted\n", "> ".repeat(600));
        assert!(
            render_with(&deep, false).is_ok(),
            "Markdown alone is not sanitised"
        );
        assert!(
            render_with(&format!("{deep}<b>raw</b>\n"), true).is_ok(),
            "trusted"
        );
        let problems = render_with(&format!("{deep}\n<b>raw</b>\n"), false).unwrap_err();
        assert_eq!(problems.len(), 1);
        let message = problems[0].to_string();
        assert!(message.starts_with("content/a.md:6:"), "{message}");
        assert!(
            message.contains("nested more than 512 elements deep"),
            "{message}"
        );
    }

    fn render_with(body: &str, trust_html: bool) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
        let input = MarkdownInput {
            file: Path::new("content/a.md"),
            body,
            body_line: 4,
            questions: false,
            trust_html,
            smart_punctuation: true,
            reserved_ids: &[],
            fragments: &[],
            for_check: false,
        };
        render(&input, &|_| None)
    }

    #[test]
    fn questions_split_at_level_two() {
        let r = md(
            "Intro.\n\n## Where?\n\nHere [b](@/b.md#x).\n\n## When?\n\nNow.\n",
            true,
        );
        assert_eq!(r.questions.len(), 2);
        assert_eq!(r.questions[0].question, "Where?");
        assert!(r.questions[0].answer.contains("href=\"/b/#x\""));
        assert!(r.intro.contains("Intro."));
    }

    #[test]
    fn intro_and_answers_are_cut_from_the_whole_exactly_as_written_alone() {
        let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
        for body in [
            "Intro.\n\n## Where?\n\nHere.\n\n## Empty?\n## When?\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "## First\n\n- one\n- two\n\n```\ncode\n```\n\n## Second\n\n> quoted\n",
            "- item\n\n  ## Inside a list?\n\n  Text.\n\n## After\n\n<div>raw</div>\n",
            "Intro[^a].\n\n## Q\n\nAnswer[^b].\n\n[^a]: A.\n[^b]: B.\n",
        ] {
            let mut events: Vec<Event<'_>> = Parser::new_ext(body, options).collect();
            // A block shortcode's placeholder is text between blocks, after which the writer
            // has not ended a line.
            let first_heading = events
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Heading { .. })))
                .unwrap_or(0);
            events.insert(first_heading, Event::Text("\u{1}placeholder\u{1}".into()));
            let starts: Vec<usize> = (0..events.len())
                .filter(|&i| {
                    matches!(
                        events[i],
                        Event::Start(Tag::Heading {
                            level: HeadingLevel::H2,
                            ..
                        })
                    )
                })
                .collect();
            let mut stretches = Vec::with_capacity(starts.len() + 1);
            stretches.push(0..starts[0]);
            for (n, &start) in starts.iter().enumerate() {
                let end = starts.get(n + 1).copied().unwrap_or(events.len());
                let heading_end = (start..end)
                    .find(|&i| matches!(events[i], Event::End(TagEnd::Heading(_))))
                    .unwrap_or(start);
                stretches.push(heading_end + 1..end);
            }
            let (whole, cut) = to_html_in_stretches(&events, &stretches);
            assert_eq!(whole, to_html(&events), "{body}");
            let alone: Vec<String> = stretches
                .iter()
                .map(|r| to_html(&events[r.clone()]))
                .collect();
            assert_eq!(cut, alone, "{body}");
        }
    }

    #[test]
    fn broken_link_names_file_line() {
        let input = MarkdownInput {
            file: Path::new("content/a.md"),
            body: "x\n\n[y](@/nope.md)\n",
            body_line: 4,
            questions: false,
            trust_html: false,
            smart_punctuation: true,
            reserved_ids: &[],
            fragments: &[],
            for_check: false,
        };
        let err = render(&input, &|_| None).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "content/a.md:6:1: broken internal link: no page content/nope.md: `@/nope.md`"
        );
    }

    #[test]
    fn script_urls_and_raw_html_are_disarmed() {
        let r = md(
            "[x](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"data:text/html,x\">d</a>",
            false,
        );
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
    }
}
