//! Documents edited in place. A new version of a page's file that resolving would put in the
//! same place ([`same_place`]) goes into the site as it is resolved: the pages showing it take
//! it, and the listings holding them are put in order again (weight and title decide it).
//! Watch mode does this instead of resolving the whole site on every front matter edit.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{PageId, Site, tree};
use crate::load::{Document, Located, PageKind, PageMeta};

/// What [`Site::edit_documents`] changed, to tell which pages to look at again and to undo it.
#[derive(Default)]
pub struct Edited {
    /// Each page that took a new document, with the document it showed before.
    documents: Vec<(PageId, Arc<Document>)>,
    /// Each section ordered again, with its listings before.
    listings: Vec<(PageId, Vec<PageId>, Vec<PageId>)>,
    /// Each page of those listings, with its previous and next before.
    neighbours: Vec<(PageId, Option<PageId>, Option<PageId>)>,
}

impl Edited {
    /// The pages that took a new document.
    pub fn pages(&self) -> impl Iterator<Item = PageId> + '_ {
        self.documents.iter().map(|&(id, _)| id)
    }

    /// The pages whose document or place in a listing changed.
    pub fn changed(&self, site: &Site) -> BTreeSet<PageId> {
        let mut changed: BTreeSet<PageId> = self.documents.iter().map(|&(id, _)| id).collect();
        for &(section, ref children, ref subsections) in &self.listings {
            let page = &site.pages[section];
            if (&page.children, &page.subsections) != (children, subsections) {
                changed.insert(section);
            }
        }
        for &(id, previous, next) in &self.neighbours {
            if (site.pages[id].previous, site.pages[id].next) != (previous, next) {
                changed.insert(id);
            }
        }
        changed
    }
}

/// Whether resolving puts a page whose front matter changed from `old` to `new` where it was.
/// Its weight and title only order its listing.
pub fn same_place(old: &PageMeta, new: &PageMeta) -> bool {
    place(old) == place(new)
}

/// What of a page's front matter decides where resolving puts it.
#[derive(PartialEq)]
struct Place<'m> {
    /// A policy needs `updated`.
    updated_given: bool,
    draft: bool,
    slug: &'m Option<Located>,
    aliases: &'m [Located],
    kind: &'m Option<PageKind>,
    page_kind: &'m Option<PageKind>,
    template: &'m Option<Located>,
    policy: &'m Option<String>,
}

/// Every field is named, so that a new one is a compile error until it is placed here.
fn place(meta: &PageMeta) -> Place<'_> {
    let PageMeta {
        title: _,
        description: _,
        date: _,
        updated,
        updated_line: _,
        effective: _,
        review_by: _,
        review_by_line: _,
        weight: _,
        draft,
        search: _,
        slug,
        aliases,
        kind,
        page_kind,
        template,
        policy,
        summary: _,
        summary_line: _,
        changes: _,
        product: _,
        source_hash: _,
        source_segments: _,
        extra: _,
    } = meta;
    Place {
        updated_given: updated.is_some(),
        draft: *draft,
        slug,
        aliases,
        kind,
        page_kind,
        template,
        policy,
    }
}

impl Site {
    /// Puts new versions of documents, each in [`same_place`] as the one it replaces, into the
    /// pages showing them (a page and its fallbacks, each keeping its language), and orders
    /// the listings holding those pages again.
    pub fn edit_documents(&mut self, documents: &[Document]) -> Edited {
        let mut edited = Edited::default();
        for document in documents {
            edited.documents.extend(self.replace_document(document));
        }
        let sections: BTreeSet<PageId> = edited
            .documents
            .iter()
            .filter_map(|&(id, _)| self.pages[id].parent)
            .collect();
        for section in sections {
            let page = &self.pages[section];
            edited
                .listings
                .push((section, page.children.clone(), page.subsections.clone()));
            for &child in &page.children {
                let child_page = &self.pages[child];
                edited
                    .neighbours
                    .push((child, child_page.previous, child_page.next));
            }
            tree::order_listing(&mut self.pages, section);
        }
        edited
    }

    /// Undoes [`Site::edit_documents`].
    pub fn undo(&mut self, edited: Edited) {
        for (id, previous, next) in edited.neighbours {
            self.pages[id].previous = previous;
            self.pages[id].next = next;
        }
        for (section, children, subsections) in edited.listings {
            self.pages[section].children = children;
            self.pages[section].subsections = subsections;
        }
        self.restore_documents(edited.documents);
    }

    /// Puts new data files in place of the site's: resolving does not read them.
    pub fn replace_data(
        &mut self,
        data: toml::Table,
        terms: crate::load::shop::ShopTerms,
    ) -> (toml::Table, crate::load::shop::ShopTerms) {
        (
            std::mem::replace(&mut self.data, data),
            std::mem::replace(&mut self.terms, terms),
        )
    }
}
