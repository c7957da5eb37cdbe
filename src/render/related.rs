//! Related articles: for each page, up to five pages of its language whose text is most alike
//! (TF-IDF cosine over the search tokeniser's folded terms, title words counting double), so
//! a buyer reading the returns policy is offered the exchange FAQ even from another section.
//!
//! Near-linear: each page is compared only with the pages that share one of its most
//! distinctive terms, found through an inverted index. On a large site, terms in more than a
//! tenth of the pages are too common to tell pages apart and are left out of the index, which
//! bounds the work per page; a small site indexes every term.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::index::tokenize::{Mode, tokenize};
use crate::resolve::{PageId, Role, Site};

/// Pages listed under a page, at most.
const SHOWN: usize = 5;
/// The terms of a page used to look for candidates: its highest-weighted ones.
const QUERY_TERMS: usize = 24;
/// Terms in up to this many pages are always indexed.
const COMMON_FLOOR: usize = 100;
/// A word of the title counts as this many words of the body.
const TITLE_WEIGHT: f32 = 2.0;

/// For each page, its related pages, best first (empty for homes and sections).
pub fn related(site: &Site) -> Vec<Vec<PageId>> {
    let mut related = vec![Vec::new(); site.pages.len()];
    for language in &site.config.languages {
        let pages: Vec<PageId> = (0..site.pages.len())
            .filter(|&id| {
                let page = &site.pages[id];
                page.doc.lang == language.tag && page.role == Role::Page
            })
            .collect();
        for (id, list) in pages.iter().zip(related_within(site, &pages)) {
            related[*id] = list;
        }
    }
    related
}

/// Related pages among `pages` (one language), for each of them.
fn related_within(site: &Site, pages: &[PageId]) -> Vec<Vec<PageId>> {
    let counts: Vec<HashMap<String, f32>> = pages
        .par_iter()
        .map(|&id| term_counts(&site.pages[id].doc.meta.title, &site.pages[id].doc.body))
        .collect();
    let mut term_ids: HashMap<&str, usize> = HashMap::new();
    let mut document_frequency: Vec<usize> = Vec::new();
    for terms in &counts {
        for term in terms.keys() {
            let next = term_ids.len();
            let id = *term_ids.entry(term.as_str()).or_insert(next);
            if id == document_frequency.len() {
                document_frequency.push(0);
            }
            document_frequency[id] += 1;
        }
    }
    let total = pages.len() as f32;
    // Unit vectors of (term, weight), heaviest first.
    let vectors: Vec<Vec<(usize, f32)>> = counts
        .iter()
        .map(|terms| {
            let mut vector: Vec<(usize, f32)> = terms
                .iter()
                .map(|(term, &count)| {
                    let id = term_ids[term.as_str()];
                    let idf = (total / document_frequency[id] as f32).ln();
                    (id, (1.0 + count.ln()) * idf)
                })
                .filter(|(_, weight)| *weight > 0.0)
                .collect();
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            for (_, weight) in &mut vector {
                *weight /= norm;
            }
            vector.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            vector
        })
        .collect();
    let too_common = (pages.len() / 10).max(COMMON_FLOOR);
    let mut postings: Vec<Vec<(usize, f32)>> = vec![Vec::new(); document_frequency.len()];
    for (doc, vector) in vectors.iter().enumerate() {
        for &(term, weight) in vector {
            if document_frequency[term] <= too_common {
                postings[term].push((doc, weight));
            }
        }
    }
    (0..pages.len())
        .into_par_iter()
        .map(|doc| {
            let mut scores: HashMap<usize, f32> = HashMap::new();
            for &(term, weight) in vectors[doc]
                .iter()
                .filter(|(term, _)| document_frequency[*term] <= too_common)
                .take(QUERY_TERMS)
            {
                for &(other, other_weight) in &postings[term] {
                    if other != doc {
                        *scores.entry(other).or_default() += weight * other_weight;
                    }
                }
            }
            let mut best: Vec<(usize, f32)> = scores.into_iter().collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.into_iter()
                .take(SHOWN)
                .map(|(other, _)| pages[other])
                .collect()
        })
        .collect()
}

/// How often each folded term occurs in a page, title words weighted up.
fn term_counts(title: &str, body: &str) -> HashMap<String, f32> {
    let mut counts: HashMap<String, f32> = HashMap::new();
    for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
        for token in tokenize(text, Mode::Index) {
            *counts.entry(token.term).or_default() += weight;
        }
    }
    counts
}
