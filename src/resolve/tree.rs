//! The section tree: each page's parent and ancestors, each section's pages and subsections
//! in display order, and previous/next within a section.

use super::languages::Keys;
use super::{Page, PageId, Role};

/// The section of folder `dir` (`_index.md` in it) in `lang`, else in the default language.
pub(super) fn section_for(
    by_key: &Keys,
    default: &str,
    dir: &[String],
    lang: &str,
) -> Option<PageId> {
    let key = if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{}/_index.md", dir.join("/"))
    };
    by_key
        .get(&(key.clone(), lang.to_string()))
        .or_else(|| by_key.get(&(key, default.to_string())))
        .copied()
}

/// Parents: the nearest section directory above, in the page's language, else the default's.
pub(super) fn set_parents(pages: &mut [Page], by_key: &Keys, default: &str) {
    let parents: Vec<Option<PageId>> = pages
        .iter()
        .enumerate()
        .map(|(id, page)| {
            if page.role == Role::Home {
                return None;
            }
            // A section's own folder is not its parent; a page's folder may be.
            let own_dir_len = if page.role == Role::Page {
                page.doc.dir.len()
            } else {
                page.doc.dir.len() - 1
            };
            (0..=own_dir_len).rev().find_map(|len| {
                section_for(by_key, default, &page.doc.dir[..len], &page.doc.lang)
                    .filter(|&p| p != id)
            })
        })
        .collect();
    for (page, parent) in pages.iter_mut().zip(parents) {
        page.parent = parent;
    }
}

/// Ancestors from the parents, and each section's pages and subsections of its own language.
pub(super) fn set_ancestors_and_listings(pages: &mut [Page]) {
    for id in 0..pages.len() {
        let mut ancestors = Vec::new();
        let mut parent = pages[id].parent;
        while let Some(p) = parent {
            if ancestors.contains(&p) {
                break;
            }
            ancestors.push(p);
            parent = pages[p].parent;
        }
        ancestors.reverse();
        pages[id].ancestors = ancestors;
        if let Some(p) = pages[id].parent {
            if pages[p].doc.lang == pages[id].doc.lang {
                match pages[id].role {
                    Role::Page => pages[p].children.push(id),
                    _ => pages[p].subsections.push(id),
                }
            }
        }
    }
}

/// Sorts every section's listings into display order and links its pages previous/next.
pub(super) fn order_listings(pages: &mut [Page]) {
    for id in 0..pages.len() {
        order_listing(pages, id);
    }
}

/// Sorts the listings of the section `id` into display order and links its pages
/// previous/next.
pub(super) fn order_listing(pages: &mut [Page], id: PageId) {
    let mut children = std::mem::take(&mut pages[id].children);
    children.sort_by(|&a, &b| display_order(&pages[a], &pages[b]));
    for (i, &child) in children.iter().enumerate() {
        pages[child].previous = i.checked_sub(1).map(|j| children[j]);
        pages[child].next = children.get(i + 1).copied();
    }
    pages[id].children = children;
    let mut subsections = std::mem::take(&mut pages[id].subsections);
    subsections.sort_by(|&a, &b| display_order(&pages[a], &pages[b]));
    pages[id].subsections = subsections;
}

/// Weight first (unweighted last), then title.
fn display_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let weight = |p: &Page| p.doc.meta.weight.unwrap_or(i64::MAX);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| a.doc.meta.title.cmp(&b.doc.meta.title))
        .then_with(|| a.doc.file.cmp(&b.doc.file))
}
