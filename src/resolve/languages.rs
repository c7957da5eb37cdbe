//! One page per key and language: the key index, fallbacks where a translation is missing,
//! and each page's list of its language versions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{Page, PageId};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// A page by its key (`policies/returns.md`) and language.
pub(super) type Keys = HashMap<(String, String), PageId>;

/// The key index of the loaded pages; two documents for one key and language are a problem.
pub(super) fn index_keys(pages: &[Page], problems: &mut Vec<Diagnostic>) -> Keys {
    let mut by_key = Keys::new();
    for (id, page) in pages.iter().enumerate() {
        if let Some(first) = by_key.insert((page.doc.key(), page.doc.lang.clone()), id) {
            // NFC and NFD spellings of one name, or `a.md` beside `a.en.md` for the default language.
            problems.push(Diagnostic::new(
                &page.doc.file,
                format!(
                    "this is the same page as {} (one page per language)",
                    pages[first].doc.file.display()
                ),
            ));
        }
    }
    by_key
}

/// Every page of the default language exists in every language: where a translation is
/// missing, a fallback shows the default language's content at that language's URL, so
/// navigation, listings and links of every language are complete.
pub(super) fn add_fallbacks(pages: &mut Vec<Page>, by_key: &mut Keys, config: &Config) {
    let originals: Vec<PageId> = (0..pages.len())
        .filter(|&id| pages[id].doc.lang == config.default_language)
        .collect();
    for language in config.languages.iter().skip(1) {
        // `pt-BR` shows the `pt` translation where it has one, else the default language's.
        let base = language
            .tag
            .split('-')
            .next()
            .filter(|b| *b != language.tag && config.language(b).is_some());
        for &original in &originals {
            let key = pages[original].doc.key();
            if by_key.contains_key(&(key.clone(), language.tag.clone())) {
                continue;
            }
            let shown = base
                .and_then(|b| by_key.get(&(key.clone(), b.to_string())).copied())
                .unwrap_or(original);
            let mut page = pages[shown].clone();
            Arc::make_mut(&mut page.doc).lang = language.tag.clone();
            page.fallback_of = Some(shown);
            by_key.insert((key, language.tag.clone()), pages.len());
            pages.push(page);
        }
    }
}

/// Each page's language versions (itself included), in the config's language order.
pub(super) fn set_translations(pages: &mut [Page], config: &Config) {
    let mut groups: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        groups.entry(page.doc.key()).or_default().push(id);
    }
    let order = |lang: &str| {
        config
            .languages
            .iter()
            .position(|l| l.tag == lang)
            .unwrap_or(usize::MAX)
    };
    for mut group in groups.into_values() {
        group.sort_by_key(|&id| order(&pages[id].doc.lang));
        for &id in &group {
            pages[id].translations = group.clone();
        }
    }
}
