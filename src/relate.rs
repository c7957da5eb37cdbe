//! Relate: for each page, up to five pages of its language whose text is most alike (TF-IDF
//! cosine over the search tokeniser's folded terms, title words counting double), so a buyer
//! reading the returns policy is offered the exchange FAQ even from another section.
//!
//! A stage of its own between [`resolve`](crate::resolve), whose pages it compares, and
//! [`render`](crate::render), which lists the result on each page; it reads words through
//! [`text`](crate::text), as the search index does. A build works out each document's terms
//! beside resolving; watch mode recomputes one language's related pages when the inputs
//! ([`inputs`]) of that language change.
//!
//! Near-linear: each page is compared only with the pages that share one of its most
//! distinctive terms, found through an inverted index. On a large site, terms in more than a
//! tenth of the pages (or more than 250 pages) are too common to tell pages apart and are
//! left out of the index, which bounds the work per page; a small site indexes every term.
//! Tokenising is most of the cost, so a page's opening (which says what it is about) stands
//! for its text, and a fallback page reuses the terms of the page it shows.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::load::Document;
use crate::resolve::{PageId, Role, Site};
use crate::text::tokenize::{self, Mode, for_each_term};

/// Pages listed under a page, at most.
const SHOWN: usize = 5;
/// Terms in up to this many pages are always indexed.
const COMMON_FLOOR: usize = 100;
/// Terms in more pages than this are never indexed, however large the site: a page meets at
/// most this many others through each of its terms, so the work grows with the page count,
/// not with its square.
const COMMON_CEILING: usize = 250;
/// A word of the title counts as this many words of the body.
const TITLE_WEIGHT: f32 = 2.0;
/// The part of a page's text read for its terms.
const OPENING_BYTES: usize = 1500;
/// The terms of a page kept for comparing it and finding candidates: its highest-weighted
/// ones, which carry nearly all of its cosine with any other page.
const KEPT_TERMS: usize = 64;

/// A term, by the hash of its folded text: pages compare numbers, not strings.
type Term = u64;

/// Terms are hashes already, so maps keyed by them use them as they are.
type TermMap<V> = HashMap<Term, V, BuildHasherDefault<TermHasher>>;

#[derive(Default)]
struct TermHasher(u64);

impl Hasher for TermHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, term: u64) {
        self.0 = term;
    }
}

/// The terms of documents (by file), which their pages' related pages are computed from.
pub struct DocumentTerms(HashMap<PathBuf, Vec<(Term, f32)>>);

impl DocumentTerms {
    /// Of every document: a build works them out beside `resolve`, which runs on one thread.
    pub fn of(documents: &[Arc<Document>]) -> DocumentTerms {
        DocumentTerms(
            documents
                .par_iter()
                .map(|doc| (doc.file.clone(), term_counts(&doc.meta.title, &doc.body)))
                .collect(),
        )
    }

    /// Of the documents the given pages show, each once.
    fn of_pages(site: &Site, pages: impl Iterator<Item = PageId>) -> DocumentTerms {
        let mut shown: Vec<PageId> = pages.map(|id| terms_source(site, id)).collect();
        shown.sort_unstable();
        shown.dedup();
        let documents: Vec<Arc<Document>> = shown
            .into_iter()
            .map(|id| Arc::clone(&site.page(id).doc))
            .collect();
        DocumentTerms::of(&documents)
    }

    fn of_page(&self, site: &Site, id: PageId) -> &[(Term, f32)] {
        let file = &site.page(terms_source(site, id)).doc.file;
        self.0.get(file).map_or(&[], Vec::as_slice)
    }
}

/// For each page, its related pages, best first (empty for homes and sections), from the
/// terms of `documents`, or of the pages' documents worked out now.
pub fn related(site: &Site, documents: Option<&DocumentTerms>) -> Vec<Vec<PageId>> {
    let tags: Vec<&str> = site
        .config
        .languages
        .iter()
        .map(|l| l.tag.as_str())
        .collect();
    let mut related = vec![Vec::new(); site.page_count()];
    for (id, list) in related_in(site, &tags, documents) {
        related[id] = list;
    }
    related
}

/// The related pages of the pages of `languages` (each language's are computed from that
/// language's pages alone, so watch mode recomputes only the languages an edit touched).
pub fn related_in(
    site: &Site,
    languages: &[&str],
    documents: Option<&DocumentTerms>,
) -> Vec<(PageId, Vec<PageId>)> {
    let of_language = |tag: &str| language_pages(site, tag).collect::<Vec<PageId>>();
    let pages: Vec<Vec<PageId>> = languages.iter().map(|tag| of_language(tag)).collect();
    let worked_out;
    let documents = match documents {
        Some(documents) => documents,
        None => {
            worked_out = DocumentTerms::of_pages(site, pages.iter().flatten().copied());
            &worked_out
        }
    };
    // Languages side by side: each one's counting and indexing is partly sequential.
    let per_language: Vec<(&Vec<PageId>, Vec<Vec<usize>>)> = pages
        .par_iter()
        .map(|pages| {
            let terms: Vec<&[(Term, f32)]> = pages
                .iter()
                .map(|&id| documents.of_page(site, id))
                .collect();
            (pages, most_alike(&terms))
        })
        .collect();
    let mut related = Vec::new();
    for (pages, alike) in per_language {
        for (&id, list) in pages.iter().zip(alike) {
            related.push((id, list.into_iter().map(|i| pages[i]).collect()));
        }
    }
    related
}

/// What the related pages of a language's pages are computed from — which pages it has, in
/// order, where they are written, and the title and opening each one's terms are read from —
/// as a hash: equal hashes give equal related pages.
pub fn inputs(site: &Site, lang: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for id in language_pages(site, lang) {
        let source = site.page(terms_source(site, id));
        (
            &site.page(id).output_path,
            &source.doc.meta.title,
            opening(&source.doc.body),
        )
            .hash(&mut h);
    }
    h.finish()
}

/// The pages of `lang` that list related pages, in page order.
fn language_pages<'s>(site: &'s Site, lang: &'s str) -> impl Iterator<Item = PageId> + 's {
    (0..site.page_count()).filter(move |&id| {
        let page = site.page(id);
        page.doc.lang == lang && page.role == Role::Page
    })
}

/// The page whose text a page's terms come from: itself, or the page a fallback shows.
fn terms_source(site: &Site, id: PageId) -> PageId {
    site.page(id).fallback_of.unwrap_or(id)
}

/// A term of a document's vector.
struct Weighted {
    /// Its hash, which breaks ties between equal weights.
    term: Term,
    /// Its number among the language's terms, for array lookups.
    number: u32,
    weight: f32,
    /// Whether it is rare enough to find other documents through.
    indexed: bool,
}

/// For each document (its term counts), the indexes of the most alike others, best first.
fn most_alike(documents: &[&[(Term, f32)]]) -> Vec<Vec<usize>> {
    // Terms are numbered as they are first met, so that everything after this one pass over
    // the hashes looks them up in arrays.
    let mut numbers: TermMap<u32> = TermMap::default();
    let mut document_frequency: Vec<usize> = Vec::new();
    let numbered: Vec<Vec<u32>> = documents
        .iter()
        .map(|terms| {
            terms
                .iter()
                .map(|(term, _)| {
                    let number = *numbers.entry(*term).or_insert_with(|| {
                        document_frequency.push(0);
                        (document_frequency.len() - 1) as u32
                    });
                    document_frequency[number as usize] += 1;
                    number
                })
                .collect()
        })
        .collect();
    drop(numbers);
    let total = documents.len() as f32;
    let too_common = (documents.len() / 10).clamp(COMMON_FLOOR, COMMON_CEILING);
    // Unit vectors, heaviest term first.
    let vectors: Vec<Vec<Weighted>> = documents
        .par_iter()
        .zip(&numbered)
        .map(|(terms, numbers)| {
            let mut vector: Vec<Weighted> = terms
                .iter()
                .zip(numbers)
                .map(|(&(term, count), &number)| {
                    let frequency = document_frequency[number as usize];
                    let idf = (total / frequency as f32).ln();
                    Weighted {
                        term,
                        number,
                        weight: (1.0 + count.ln()) * idf,
                        indexed: frequency <= too_common,
                    }
                })
                .filter(|t| t.weight > 0.0)
                .collect();
            let norm = vector
                .iter()
                .map(|t| t.weight * t.weight)
                .sum::<f32>()
                .sqrt();
            for t in &mut vector {
                t.weight /= norm;
            }
            // Only the heaviest are kept: select them, then sort those few.
            let heaviest_first = |a: &Weighted, b: &Weighted| {
                b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term))
            };
            if vector.len() > KEPT_TERMS {
                vector.select_nth_unstable_by(KEPT_TERMS - 1, heaviest_first);
                vector.truncate(KEPT_TERMS);
            }
            vector.sort_unstable_by(heaviest_first);
            vector.shrink_to_fit();
            vector
        })
        .collect();
    drop(numbered);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); document_frequency.len()];
    for (doc, vector) in vectors.iter().enumerate() {
        for t in vector.iter().filter(|t| t.indexed) {
            postings[t.number as usize].push((doc as u32, t.weight));
        }
    }
    (0..documents.len())
        .into_par_iter()
        .map_init(
            || vec![0f32; documents.len()],
            |scores, doc| {
                // Every page sharing a term scores, without a branch per posting: the pages
                // met are found after, by one pass over the scores.
                for t in vectors[doc].iter().filter(|t| t.indexed) {
                    for &(other, other_weight) in &postings[t.number as usize] {
                        scores[other as usize] += t.weight * other_weight;
                    }
                }
                // A page meets itself through each of its terms.
                scores[doc] = 0.0;
                let best = best_scored(scores);
                scores.fill(0.0);
                best
            },
        )
        .collect()
}

/// The indexes of the highest scores above zero, best first, equal scores in index order.
/// The best few are kept while the scores are read: a page meets hundreds of others, and
/// once the list is full nearly every score is below its last, so the pass rarely stops.
fn best_scored(scores: &[f32]) -> Vec<usize> {
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(SHOWN + 1);
    let mut threshold = 0.0;
    for (other, &score) in scores.iter().enumerate() {
        // Strictly above: a later page with an equal score ranks below the one listed.
        if score > threshold {
            let at = best.partition_point(|&(_, listed)| listed >= score);
            best.insert(at, (other, score));
            best.truncate(SHOWN);
            if best.len() == SHOWN {
                threshold = best[SHOWN - 1].1;
            }
        }
    }
    best.into_iter().map(|(other, _)| other).collect()
}

/// How often each folded term occurs in a page's title and opening, title words weighted up.
/// Unspaced scripts count character pairs, as a search query does.
fn term_counts(title: &str, body: &str) -> Vec<(Term, f32)> {
    // An opening has a few hundred terms: room for them from the start, not grown to.
    let mut counts: TermMap<f32> =
        TermMap::with_capacity_and_hasher(OPENING_BYTES / 4, Default::default());
    for (text, weight) in [(title, TITLE_WEIGHT), (opening(body), 1.0)] {
        for_each_term(text, Mode::Query, &mut |term, _, _, _| {
            *counts
                .entry(xxhash_rust::xxh3::xxh3_64(term.as_bytes()))
                .or_default() += weight;
        });
    }
    counts.into_iter().collect()
}

/// The part of a page's text read for its terms.
fn opening(body: &str) -> &str {
    tokenize::opening(body, OPENING_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `best_scored` must give: every score above zero sorted best first, equal scores
    /// in index order, cut to the number shown.
    fn sorted_best(scores: &[f32]) -> Vec<usize> {
        let mut all: Vec<(usize, f32)> = scores
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, score)| score > 0.0)
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.into_iter()
            .take(SHOWN)
            .map(|(index, _)| index)
            .collect()
    }

    #[test]
    fn best_scored_keeps_the_highest_scores_with_ties_in_index_order() {
        // Few distinct values, so that most lists have ties across the cut and zeros among
        // them; a fixed generator, so that a failure repeats.
        let values = [0.0, 0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 0.1 + 0.2, 0.3];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for length in 0..60 {
            for _ in 0..50 {
                let scores: Vec<f32> = (0..length)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        values[(state >> 33) as usize % values.len()]
                    })
                    .collect();
                assert_eq!(best_scored(&scores), sorted_best(&scores), "{scores:?}");
            }
        }
    }
}
