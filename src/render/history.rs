//! Policy history: each language's "Policy updates" page and Atom feed, listing the
//! `[[changes]]` of that language's policy pages, newest first, so buyers see what changed
//! and when, and can subscribe.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::load::PageKind;
use crate::resolve::{Role, Site};

/// The folder of a language's updates page and feed.
pub const FOLDER: &str = "policy-updates";

/// Where a language's updates page and feed are, for links from every page of the language.
#[derive(Serialize)]
pub struct HistoryLinks {
    pub page_url: String,
    pub feed_url: String,
}

/// One change to one policy.
#[derive(Serialize)]
pub struct PolicyUpdate<'a> {
    /// `2026-08-03`.
    pub date: String,
    /// The moment for Atom, in RFC 3339.
    pub updated: String,
    pub policy: &'a str,
    /// The policy's change history.
    pub url: String,
    pub permalink: String,
    pub text: &'a str,
    /// The language the text is written in (a fallback page's is its original's).
    pub lang: &'a str,
    /// A stable id for the feed entry.
    pub id: String,
}

/// The changes of the policies of `lang`, newest first.
pub fn updates<'a>(site: &'a Site, lang: &str) -> Vec<PolicyUpdate<'a>> {
    let mut updates = Vec::new();
    for page in site
        .policy_pages(lang)
        .filter(|p| p.role == Role::Page && p.kind == PageKind::Policy)
    {
        let written_in = page
            .fallback_of
            .map_or(page.doc.lang.as_str(), |o| site.page(o).doc.lang.as_str());
        let permalink = site.permalink(page);
        // How many changes of each date came before, for ids unique within the page.
        let mut earlier_on: HashMap<String, usize> = HashMap::new();
        for change in page.doc.meta.changes.iter().rev() {
            let date = change.date.date().to_string();
            let repeat = earlier_on.entry(date.clone()).or_default();
            let id = match *repeat {
                0 => format!("{permalink}#change-{date}"),
                n => format!("{permalink}#change-{date}-{}", n + 1),
            };
            *repeat += 1;
            updates.push(PolicyUpdate {
                updated: change.date.timestamp().to_string(),
                date,
                policy: &page.doc.meta.title,
                url: format!("{}#change-history", page.url),
                permalink: format!("{permalink}#change-history"),
                text: &change.text,
                lang: written_in,
                id,
            });
        }
    }
    updates.sort_by(|a, b| {
        b.updated
            .cmp(&a.updated)
            .then_with(|| a.policy.cmp(b.policy))
    });
    updates
}

/// `policy-updates/` of `lang`, relative to the output root.
pub fn folder(site: &Site, lang: &str) -> PathBuf {
    super::language_folder(site, lang).join(FOLDER)
}

/// The links to `lang`'s updates page and feed, when its policies have changes.
pub fn links(site: &Site, lang: &str) -> Option<HistoryLinks> {
    let has_changes = site
        .policy_pages(lang)
        .any(|p| p.kind == PageKind::Policy && !p.doc.meta.changes.is_empty());
    has_changes.then(|| {
        let page_url = super::folder_url(site, &folder(site, lang));
        HistoryLinks {
            feed_url: format!("{page_url}atom.xml"),
            page_url,
        }
    })
}
