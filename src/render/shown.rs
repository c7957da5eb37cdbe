//! Markdown that fallbacks show again (a page's text at other languages' URLs) is rendered
//! once for the page and its fallbacks, when nothing in it depends on the language: no
//! shortcodes (facts and callouts read in the page's language) and no `@/` links (they lead
//! to pages of the page's own language). A sixth of a large site's pages are fallbacks.
//!
//! Readers share only when they read the Markdown the same way: a page of a kind with
//! questions (an FAQ, a product) splits it into questions, and a fallback may be of another
//! kind than its original (its language's section decides).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::{Content, Target};
use crate::diagnostic::Diagnostic;
use crate::resolve::{PageId, Site};

/// By the page fallbacks show and how its readers read it: its content, while some of them
/// have yet to take it.
pub struct ShownContent(HashMap<(PageId, Reading), Mutex<Shown>>);

/// Whether a reader splits the Markdown into questions.
pub type Reading = bool;

struct Shown {
    /// The page and its fallbacks that have not taken the content yet.
    readers_left: usize,
    state: State,
}

enum State {
    NotRendered,
    /// The same in every language, for the readers left.
    Shared(Box<Content>),
    /// Depends on the language: each page renders its own.
    PerPage,
}

impl ShownContent {
    /// For rendering `targets`: the pages among them are the readers. A page no other target
    /// shows is its own only reader, and renders its Markdown for itself.
    pub fn of_targets(site: &Site, targets: &[Target]) -> ShownContent {
        ShownContent::of_readers(targets.iter().filter_map(|target| match *target {
            Target::Page(id) => {
                let page = site.page(id);
                let shown = page.fallback_of.unwrap_or(id);
                Some((shown, super::page::splits_into_questions(page)))
            }
            Target::File(_) => None,
        }))
    }

    /// From the page each reader shows (a page its fallbacks show, and those fallbacks) and
    /// how it reads it.
    fn of_readers(readers_of: impl Iterator<Item = (PageId, Reading)>) -> ShownContent {
        let mut readers: HashMap<(PageId, Reading), usize> = HashMap::new();
        for key in readers_of {
            *readers.entry(key).or_default() += 1;
        }
        ShownContent(
            readers
                .into_iter()
                .map(|(shown, readers_left)| {
                    let state = State::NotRendered;
                    (
                        shown,
                        Mutex::new(Shown {
                            readers_left,
                            state,
                        }),
                    )
                })
                .collect(),
        )
    }

    /// The content of a page that shows the Markdown of page `shown` (itself, or the page it
    /// is a fallback of) read as `reading` says: `render` renders it for that page, unless it
    /// is already rendered, read the same way, and the same in every language.
    pub fn content(
        &self,
        shown: PageId,
        reading: Reading,
        render: impl FnOnce() -> Result<Content, Vec<Diagnostic>>,
    ) -> Result<Content, Vec<Diagnostic>> {
        let Some(held) = self.0.get(&(shown, reading)) else {
            return render();
        };
        let mut held = held.lock().unwrap_or_else(PoisonError::into_inner);
        held.readers_left = held.readers_left.saturating_sub(1);
        let keep = |held: &mut Shown, content: &Content| {
            if held.readers_left > 0 && content.same_in_every_language {
                held.state = State::Shared(Box::new(content.clone()));
            }
        };
        match std::mem::replace(&mut held.state, State::PerPage) {
            State::PerPage => {
                drop(held);
                render()
            }
            State::Shared(content) => {
                keep(&mut held, &content);
                Ok(*content)
            }
            // Rendered while the other readers wait: they would render the same.
            State::NotRendered => match render() {
                Ok(content) => {
                    keep(&mut held, &content);
                    Ok(content)
                }
                Err(problems) => {
                    // The next reader renders it again and reports its own problems.
                    held.state = State::NotRendered;
                    Err(problems)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn content(same_in_every_language: bool) -> Content {
        let mut content = Content {
            markdown: Default::default(),
            summary: Vec::new(),
            facts: Vec::new(),
            same_in_every_language,
        };
        content.markdown.html = "<p>Oak</p>".into();
        content
    }

    #[test]
    fn a_page_and_its_fallbacks_render_it_once_when_it_is_the_same_in_every_language() {
        // Page 7 and its two fallbacks read it alike; page 3 is shown by none.
        let shown = ShownContent::of_readers([(7, false); 3].into_iter());
        let renders = Cell::new(0);
        let render = |same| {
            renders.set(renders.get() + 1);
            Ok(content(same))
        };
        for _ in 0..3 {
            let got = shown.content(7, false, || render(true)).unwrap();
            assert_eq!(got.markdown.html, "<p>Oak</p>");
        }
        assert_eq!(renders.get(), 1, "rendered once for three readers");
        // The last reader took it: nothing is held any more.
        assert!(matches!(
            shown.0[&(7, false)].lock().unwrap().state,
            State::PerPage
        ));
        shown.content(3, false, || render(true)).unwrap();
        assert_eq!(
            renders.get(),
            2,
            "a page no fallback shows renders on its own"
        );
    }

    #[test]
    fn content_that_depends_on_the_language_or_fails_is_rendered_by_each_reader() {
        let shown = ShownContent::of_readers(
            [(7, false), (7, false), (7, false), (9, false), (9, false)].into_iter(),
        );
        let renders = Cell::new(0);
        for _ in 0..3 {
            shown
                .content(7, false, || {
                    renders.set(renders.get() + 1);
                    Ok(content(false))
                })
                .unwrap();
        }
        assert_eq!(renders.get(), 3);
        let failed = shown.content(9, false, || Err(Vec::new()));
        assert!(failed.is_err());
        let again = shown.content(9, false, || Ok(content(true))).unwrap();
        assert_eq!(
            again.markdown.html, "<p>Oak</p>",
            "the next reader renders it"
        );
    }

    #[test]
    fn readers_that_split_it_into_questions_do_not_share_with_those_that_do_not() {
        // Page 7 is a plain page; its fallback is in a language whose section is an FAQ.
        let shown = ShownContent::of_readers([(7, false), (7, true)].into_iter());
        let renders = Cell::new(0);
        let render = |questions: bool| {
            renders.set(renders.get() + 1);
            let mut rendered = content(true);
            rendered.markdown.html = format!("questions: {questions}");
            Ok(rendered)
        };
        assert_eq!(
            shown
                .content(7, false, || render(false))
                .unwrap()
                .markdown
                .html,
            "questions: false"
        );
        assert_eq!(
            shown
                .content(7, true, || render(true))
                .unwrap()
                .markdown
                .html,
            "questions: true"
        );
        assert_eq!(renders.get(), 2);
    }
}
