//! Saved replies: for each FAQ question, its answer's first paragraph, and for each policy, its
//! key facts, with facts filled in, and the page's address in that language. Each language's
//! `/replies/` page lists them to copy from (when the theme has `replies.html`), and
//! `helpdeck export replies` writes them as CSV and JSON for help-desk tools (Gorgias macros,
//! Help Scout saved replies, Zendesk macros, Etsy saved replies).

use std::path::PathBuf;

use serde::Serialize;

use super::Renderer;
use crate::diagnostic::Diagnostic;
use crate::load::PageKind;
use crate::reads::{self, Read};
use crate::resolve::{Role, Site};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// A question of a FAQ page or of a product's Q&A.
    Question,
    /// A policy's key facts.
    Policy,
}

/// One saved reply.
#[derive(Debug, Clone, Serialize)]
pub struct Reply {
    pub lang: String,
    pub kind: ReplyKind,
    /// The question, or the policy's title.
    pub title: String,
    /// Plain text: the answer's first paragraph, or the key facts one per line.
    pub reply: String,
    /// The question's or policy's address in the reply's language.
    pub url: String,
}

/// The folder of a language's page.
pub const FOLDER: &str = "replies";

/// The theme's template for it.
pub const TEMPLATE: &str = "replies.html";

/// Whether the site has replies pages: the config asks for them and the theme can show them.
pub fn written(site: &Site, has_template: bool) -> bool {
    has_template && site.config.replies.page
}

/// `replies/` of `lang`, relative to the output root.
pub fn folder(site: &Site, lang: &str) -> PathBuf {
    super::language_folder(site, lang).join(FOLDER)
}

/// The link to `lang`'s page from every footer, when the config asks for one.
pub fn footer_link(site: &Site, has_template: bool, lang: &str) -> Option<String> {
    (written(site, has_template) && site.config.replies.footer_link)
        .then(|| super::folder_url(site, &folder(site, lang)))
}

/// The replies of every page written in `lang` (every language when `None`), in the site's
/// order. Fallback pages give none: their text is in another language.
pub fn replies(
    site: &Site,
    renderer: &Renderer,
    lang: Option<&str>,
) -> Result<Vec<Reply>, Vec<Diagnostic>> {
    let mut replies = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for (id, page) in site.pages().iter().enumerate() {
        if page.fallback_of.is_some() || lang.is_some_and(|l| l != page.doc.lang) {
            continue;
        }
        let is_policy = page.kind == PageKind::Policy && page.role == Role::Page;
        // `content` leaves noting the body to the page it renders for; the replies page reads
        // it too, and must follow its edits.
        reads::note(|| Read::Body(page.doc.file.clone()));
        let content = match renderer.content(id) {
            Ok(content) => content,
            Err(mut p) => {
                problems.append(&mut p);
                continue;
            }
        };
        let permalink = site.permalink(page);
        let blocks = &content.markdown.blocks;
        let questions = &content.markdown.questions;
        let heading_at = |text: &str| blocks.iter().position(|b| b.text == text);
        for (index, question) in questions.iter().enumerate() {
            let Some(start) = heading_at(&question.question) else {
                continue;
            };
            let end = questions
                .get(index + 1)
                .and_then(|next| heading_at(&next.question))
                .unwrap_or(blocks.len());
            let answer: Vec<&str> = blocks[start + 1..end]
                .iter()
                .map(|b| b.text.as_str())
                .collect();
            // The first paragraph answers; one that ends announcing what follows (a list of
            // prices, of steps) takes the rest of the answer with it.
            let reply = match answer.first() {
                Some(first) if first.ends_with([':', '：']) => answer.join("\n"),
                Some(first) => first.to_string(),
                None => continue,
            };
            replies.push(Reply {
                lang: page.doc.lang.clone(),
                kind: ReplyKind::Question,
                title: question.question.clone(),
                reply,
                url: format!("{permalink}#{}", question.id),
            });
        }
        if is_policy && !content.summary.is_empty() {
            replies.push(Reply {
                lang: page.doc.lang.clone(),
                kind: ReplyKind::Policy,
                title: page.doc.meta.title.clone(),
                reply: content.summary.join("\n"),
                url: permalink,
            });
        }
    }
    match problems.is_empty() {
        true => Ok(replies),
        false => Err(problems),
    }
}
