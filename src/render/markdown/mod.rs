//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists and smart
//! punctuation; heading anchors for any script; `@/` internal links; highlighted code; raw
//! HTML sanitised unless the site trusts it; FAQ pages split into questions at `## `.
//!
//! [`render`] reads the parser's events once, in order, hands each to the collectors that
//! need it, and writes what remains as HTML:
//! - `headings.rs`: each heading's unique anchor, and the table of contents;
//! - `sections.rs`: the plain text under each heading, for the search index;
//! - `check_data.rs`: what only `check` reads (links and images as written, each block's
//!   text), gathered only when asked for;
//! - `destinations.rs`: `@/` links resolved, unsafe link schemes disarmed;
//! - `code.rs`: code blocks, read whole for the highlighter;
//! - `raw_html.rs`: the seller's raw HTML, refused when too deep to sanitise (`nesting.rs`
//!   counts how deep), and sanitised;
//! - `questions.rs`: question pages cut into intro and questions, through `html.rs`, which
//!   writes events as HTML, whole or in stretches.

mod check_data;
mod code;
mod destinations;
mod headings;
mod html;
mod nesting;
mod positions;
mod questions;
mod raw_html;
mod sections;

use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::shortcodes::{block_placeholder, fill_placeholders};
use crate::diagnostic::Diagnostic;
pub use crate::output::TextSection;
use check_data::CheckData;
pub use check_data::{LinkUse, TextBlock};
use code::CodeBlock;
use destinations::rewrite_destination;
use headings::Headings;
pub use headings::{TocEntry, anchor_id};
use positions::Positions;
pub use questions::Question;
use raw_html::RawHtml;
use sections::Sections;

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
    /// Text showing `**` where emphasis did not close, where it is (the text as `url`).
    pub stray_emphasis: Vec<LinkUse>,
    /// The text of each paragraph, heading, list item and table row, in order: `check`
    /// compares the numbers in them across languages.
    pub blocks: Vec<TextBlock>,
}

pub struct MarkdownInput<'a> {
    /// The file, for diagnostics.
    pub file: &'a Path,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Split into questions at `## ` headings.
    pub questions: bool,
    /// The page's language: the search text ends sentences with its full stop.
    pub lang: &'a str,
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
    let positions = Positions::new(input.body, input.body_line);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut problems = Vec::new();
    let mut headings = Headings::reserving(input.reserved_ids);
    let mut sections = Sections::new(input.questions, input.lang);
    let mut check = input.for_check.then(CheckData::default);
    let mut raw_html = RawHtml::new(input.trust_html);
    let mut code: Option<CodeBlock> = None;
    let mut has_code = false;

    for (mut event, range) in Parser::new_ext(input.body, options(input)).into_offset_iter() {
        raw_html.follow(&event, range.start);
        if let Some(block) = code.as_mut() {
            if block.read(event) {
                sections.code_block(block.text());
                events.push(Event::Html(block.html().into()));
                code = None;
            }
            continue;
        }
        if let Some(check) = check.as_mut() {
            check.event(&event, range.start, &positions);
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
            *dest_url = rewrite_destination(
                dest,
                input,
                &|| positions.of(range.start),
                link_target,
                &mut problems,
            );
        }
        match &event {
            Event::Start(Tag::Heading { level, .. }) => {
                sections.heading_start(*level);
                headings.start(events.len());
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((id, text)) = headings.end(*level, &mut events) {
                    sections.heading_end(*level, id, text);
                }
            }
            Event::Text(t) | Event::Code(t) if headings.is_open() => headings.text(t),
            Event::Text(t) | Event::Code(t) => sections.text(t),
            Event::SoftBreak | Event::HardBreak => sections.line_break(),
            Event::Start(Tag::CodeBlock(kind)) => {
                has_code = true;
                code = Some(CodeBlock::start(kind));
                continue;
            }
            Event::Start(tag) => sections.start(tag),
            Event::End(tag) => sections.end(*tag),
            // A block shortcode's placeholder, filled in after sanitising: text to the writer.
            Event::Html(html) if block_placeholder(html).is_some() => {
                let placeholder = block_placeholder(html).unwrap_or_default();
                events.push(Event::Text(placeholder.to_string().into()));
                continue;
            }
            Event::Html(_) | Event::InlineHtml(_) => raw_html.found(),
            _ => {}
        }
        events.push(event);
    }
    problems.extend(raw_html.refusal(input));
    if !problems.is_empty() {
        return Err(problems);
    }

    // The seller's raw HTML is cleaned; the shortcodes' templates are trusted.
    let finish = |html: String| fill_placeholders(raw_html.clean(html), input.fragments);
    let (html, intro, questions) = if input.questions {
        questions::split(&events, &finish)
    } else {
        (finish(html::to_html(&events)), String::new(), Vec::new())
    };
    let CheckData {
        links,
        images_without_alt,
        stray_emphasis,
        blocks,
        ..
    } = check.unwrap_or_default();
    Ok(RenderedMarkdown {
        html,
        intro,
        questions,
        toc: headings.toc,
        has_code,
        sections: sections.finish(),
        ids: headings.ids,
        links,
        images_without_alt,
        stray_emphasis,
        blocks,
    })
}

/// CommonMark with the extensions a page may use.
fn options(input: &MarkdownInput<'_>) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if input.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, questions: bool) -> RenderedMarkdown {
        let input = MarkdownInput {
            file: Path::new("content/a.md"),
            body,
            body_line: 4,
            questions,
            lang: "en",
            trust_html: false,
            smart_punctuation: true,
            reserved_ids: &["main"],
            fragments: &[],
            for_check: true,
        };
        render(&input, &|p| (p == "b.md").then(|| "/b/".to_string())).unwrap()
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
            lang: "en",
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
    fn broken_link_names_file_line() {
        let input = MarkdownInput {
            file: Path::new("content/a.md"),
            body: "x\n\n[y](@/nope.md)\n",
            body_line: 4,
            questions: false,
            lang: "en",
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
