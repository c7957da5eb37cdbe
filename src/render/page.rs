//! A page's file: its Markdown rendered (shared with its fallbacks where it can be, see
//! [`super::shown`]), its context, its template; and its text for the search index.

use std::borrow::Cow;
use std::cell::Cell;

use super::markdown::{self, MarkdownInput};
use super::shown::ShownContent;
use super::{RESERVED_IDS, Renderer, context, shortcodes};
use crate::diagnostic::Diagnostic;
use crate::output::{SearchPage, TextSection};
use crate::reads::{self, Read};
use crate::resolve::{Page, PageId, Role};
use crate::text::sentences;

/// Whether a page's text goes into its language's search index: not homes, fallbacks (the
/// original is indexed in its own language), drafts or pages with `search = false`.
pub(super) fn is_indexed(page: &Page) -> bool {
    let meta = &page.doc.meta;
    page.role != Role::Home && page.fallback_of.is_none() && !meta.draft && meta.search
}

/// Whether a page's Markdown is read as questions and answers (an FAQ, a product's Q&A).
pub(super) fn splits_into_questions(page: &Page) -> bool {
    page.role == Role::Page && page.kind.has_questions()
}

/// A page's Markdown rendered, with what it drew on: what `check` inspects, and what a page
/// is rendered from.
#[derive(Clone)]
pub struct Content {
    pub markdown: markdown::RenderedMarkdown,
    /// The key facts (`summary`), with their facts filled in.
    pub summary: Vec<String>,
    pub facts: Vec<shortcodes::FactUse>,
    /// Neither shortcodes nor `@/` links: the HTML is the same whatever the page's language.
    pub same_in_every_language: bool,
}

impl Renderer<'_> {
    /// A page's file, and its text for the search index when it is indexed.
    pub(super) fn render_page(
        &self,
        id: PageId,
        shown: &ShownContent,
    ) -> std::result::Result<(Vec<u8>, Option<SearchPage>), Vec<Diagnostic>> {
        let site = self.site;
        let page = site.page(id);
        // Noted here rather than where the Markdown is read: a fallback may take the content
        // rendered for the page it shows, and then reads the same body without reaching it.
        reads::note(|| Read::Body(page.doc.file.clone()));
        let Content {
            markdown: mut rendered,
            summary,
            ..
        } = shown.content(
            page.fallback_of.unwrap_or(id),
            splits_into_questions(page),
            || self.content_for(id, false),
        )?;
        let search = self.search_page(page, &summary, std::mem::take(&mut rendered.sections));
        let mut cx = self.shared(&page.doc.lang).clone();
        cx.insert("nav", &context::nav(site, &page.doc.lang, Some(id)));
        cx.insert("translations", &context::translations(site, page));
        cx.insert("alternates", &context::alternates(site, page));
        match page.role {
            Role::Page => cx.insert(
                "page",
                &context::page_context(
                    site,
                    page,
                    rendered,
                    summary,
                    &self.related()[id],
                    &self.ui[&page.doc.lang],
                    &self.facts,
                ),
            ),
            Role::Section | Role::Home => {
                let mut section =
                    context::section_context(site, page, rendered, &self.ui[&page.doc.lang]);
                if page.role == Role::Home {
                    cx.insert("categories", &context::categories(site, page));
                    section
                        .jsonld
                        .push(self.organization(&page.doc.lang).clone());
                }
                cx.insert("section", &section);
            }
        }
        let html = self
            .compiled
            .templates
            .render_file(&page.template, &cx)
            .map_err(|mut problems| {
                for p in &mut problems {
                    p.message = format!("{} (rendering {})", p.message, page.doc.file.display());
                }
                problems
            })?;
        Ok((html, search))
    }

    fn search_page(
        &self,
        page: &Page,
        summary: &[String],
        sections: Vec<TextSection>,
    ) -> Option<SearchPage> {
        if !is_indexed(page) {
            return None;
        }
        let meta = &page.doc.meta;
        let mut sections = sections;
        // The key facts box is the first thing a buyer reads on a policy: search it too.
        if !summary.is_empty() {
            let mut facts = sentences::join(summary, &page.doc.lang);
            match sections.first_mut() {
                Some(intro) if intro.anchor.is_none() => {
                    sentences::push_sentence(&mut facts, &intro.text, &page.doc.lang);
                    intro.text = facts;
                }
                _ => sections.insert(
                    0,
                    TextSection {
                        text: facts,
                        ..Default::default()
                    },
                ),
            }
        }
        Some(SearchPage {
            lang: page.doc.lang.clone(),
            url: page.url.clone(),
            title: meta.title.clone(),
            sections,
        })
    }

    /// The page's Markdown with its shortcodes, rendered to HTML, with what `check` reads of
    /// it besides.
    pub fn content(&self, id: PageId) -> std::result::Result<Content, Vec<Diagnostic>> {
        self.content_for(id, true)
    }

    /// The one Markdown path of pages, for `build`, `serve` and (`for_check`) `check`.
    fn content_for(
        &self,
        id: PageId,
        for_check: bool,
    ) -> std::result::Result<Content, Vec<Diagnostic>> {
        let site = self.site;
        let page = site.page(id);
        let shortcodes = shortcodes::Shortcodes {
            templates: &self.compiled.templates,
            context: self.shared(&page.doc.lang),
            facts: &self.facts,
            lang: &page.doc.lang,
        };
        let body = shortcodes.expand(&page.doc.file, &page.doc.body, page.doc.body_line);
        let (mut expanded, (summary, summary_facts)) = match (body, key_facts(&shortcodes, page)) {
            (Ok(expanded), Ok(key_facts)) => (expanded, key_facts),
            (body, summary) => {
                let mut problems = body.err().unwrap_or_default();
                problems.extend(summary.err());
                return Err(problems);
            }
        };
        let facts_in_summary = !summary_facts.is_empty();
        expanded.facts.extend(summary_facts);
        let input = MarkdownInput {
            file: &page.doc.file,
            body: &expanded.markdown,
            body_line: page.doc.body_line,
            questions: splits_into_questions(page),
            lang: &page.doc.lang,
            trust_html: site.config.markdown.trust_html,
            smart_punctuation: site.config.markdown.smart_punctuation,
            reserved_ids: RESERVED_IDS,
            fragments: &expanded.fragments,
            for_check,
        };
        let links_to_pages = Cell::new(false);
        let markdown = markdown::render(&input, &|path| {
            links_to_pages.set(true);
            match site.link_target(path, &page.doc.lang) {
                Some(id) => Some(site.page(id).url.clone()),
                // Nothing is written while a page is unreadable: the link only must not be
                // reported as broken too.
                None => site.is_unreadable(path).then(String::new),
            }
        })?;
        Ok(Content {
            markdown,
            same_in_every_language: matches!(expanded.markdown, Cow::Borrowed(_))
                && !links_to_pages.get()
                && !facts_in_summary,
            summary,
            facts: expanded.facts,
        })
    }
}

/// A page's key facts with their `fact` calls filled in, and the facts used (on the line
/// where `summary` is given), or the first call at fault.
fn key_facts(
    shortcodes: &shortcodes::Shortcodes<'_>,
    page: &Page,
) -> std::result::Result<(Vec<String>, Vec<shortcodes::FactUse>), Diagnostic> {
    let meta = &page.doc.meta;
    let line = meta.summary_line.unwrap_or(1);
    let mut uses = Vec::new();
    let mut summary = Vec::with_capacity(meta.summary.len());
    for item in &meta.summary {
        let (text, keys) = shortcodes.expand_text(item).map_err(|(why, quoted)| {
            Diagnostic::new(&page.doc.file, format!("in `summary`: {why}"))
                .at_line(line)
                .quoting(quoted)
        })?;
        uses.extend(
            keys.into_iter()
                .map(|key| shortcodes::FactUse { key, line }),
        );
        summary.push(text);
    }
    Ok((summary, uses))
}
