//! What each page is: its kind (from its own front matter or the nearest section's
//! `page_kind`), its template, and the per-language index of policy pages.

use std::collections::HashMap;

use super::{Page, PageId, Role};
use crate::diagnostic::Diagnostic;
use crate::load::PageKind;

/// Each page's kind and template; a policy page without `updated` is a problem.
pub(super) fn set_kinds_and_templates(pages: &mut [Page], problems: &mut Vec<Diagnostic>) {
    for id in 0..pages.len() {
        let kind = pages[id].doc.meta.kind.unwrap_or_else(|| {
            let mut parent = pages[id].parent;
            if pages[id].role != Role::Page {
                return PageKind::Article;
            }
            while let Some(p) = parent {
                if let Some(kind) = pages[p].doc.meta.page_kind {
                    return kind;
                }
                parent = pages[p].parent;
            }
            PageKind::Article
        });
        let page = &mut pages[id];
        page.kind = kind;
        page.template = page
            .doc
            .meta
            .template
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| default_template(page.role, kind).to_string());
        if is_policy(page) && page.role == Role::Page && page.doc.meta.updated.is_none() {
            problems.push(
                Diagnostic::new(
                    &page.doc.file,
                    "a policy needs `updated = YYYY-MM-DD` (buyers are shown when it last changed)",
                )
                .at_line(2),
            );
        }
    }
}

fn default_template(role: Role, kind: PageKind) -> &'static str {
    match (role, kind) {
        (Role::Home, _) => "index.html",
        (Role::Section, _) => "section.html",
        (Role::Page, PageKind::Article) => "page.html",
        (Role::Page, PageKind::Policy) => "policy.html",
        (Role::Page, PageKind::Faq) => "faq.html",
        (Role::Page, PageKind::Product) => "product.html",
    }
}

/// A policy page, or one naming a policy (`policy = …`).
fn is_policy(page: &Page) -> bool {
    page.kind == PageKind::Policy || page.doc.meta.policy.is_some()
}

/// By language, the policy pages in page order, for [`super::Site::policy_pages`].
pub(super) fn policies_index(pages: &[Page]) -> HashMap<String, Vec<PageId>> {
    let mut policies: HashMap<String, Vec<PageId>> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        if is_policy(page) {
            policies.entry(page.doc.lang.clone()).or_default().push(id);
        }
    }
    policies
}
