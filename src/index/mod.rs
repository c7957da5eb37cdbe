//! Index: each language's search index, built from the text the render stage extracted.
//!
//! The index is static files under `search-index/`, read by the browser client
//! (`themes/default/static/search.js`). `<lang>.json.gz` is the manifest and the only file
//! with a fixed name: the term shards (by first key), the name of the result chunks, and the
//! Traditional→Simplified table the query side needs. In `<lang>/`, every file is named by a
//! content hash, so hosts may cache them for good:
//! - term shards, each a sorted run of keys with their postings and of surface forms
//!   pointing to their keys, about 8 KB compressed, so a query fetches only the shards its
//!   words fall in;
//! - result chunks holding the title, heading, URL and text of four entries each, fetched
//!   only for the results shown.
//!
//! An entry is a page's text before its first heading, one heading section, or one
//! question. Scores are BM25 with field weights, computed here once and stored as one number
//! per posting (the score, and whether the entry's heading names the word), so the browser
//! only adds them up.

mod files;
mod score;
pub mod tokenize;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::config::Config;
use crate::render::{Output, SearchPage};
use tokenize::{Mode, Token, tokenize};

/// What a query can match, before scoring: a term's key (its stem, or the folded word) and
/// the weighted count of its occurrences in one entry.
struct EntryTerms {
    keys: HashMap<String, Weight>,
    /// Surface forms seen for each key (only where they differ from the key).
    forms: Vec<(String, String)>,
    length: f32,
}

/// A key's weighted count in an entry, and whether the entry's heading (or, for a page's
/// first entry, its title) says it: "the answer is named after what you asked" ranks high.
#[derive(Debug, Clone, Copy, Default)]
struct Weight {
    count: f32,
    named: bool,
}

/// One searchable unit and where a result for it links to.
#[derive(Debug)]
pub struct Entry<'a> {
    pub page: usize,
    pub anchor: Option<&'a str>,
    pub heading: &'a str,
    pub text: &'a str,
}

/// Field weights: a word in the page title counts three times a word of body text.
const TITLE: f32 = 3.0;
const HEADING: f32 = 2.0;
const BODY: f32 = 1.0;
/// The page title also lends its sections a little weight, so that "returns window" prefers
/// the window section of the returns policy.
const TITLE_CONTEXT: f32 = 0.5;
/// A synonym counts a little less than the word itself.
const SYNONYM: f32 = 0.8;

/// Builds the index files of every language into `search-index/`.
pub fn build(config: &Config, pages: &[SearchPage]) -> Vec<Output> {
    config
        .languages
        .par_iter()
        .flat_map(|language| {
            let mut own: Vec<&SearchPage> =
                pages.iter().filter(|p| p.lang == language.tag).collect();
            own.sort_by(|a, b| a.url.cmp(&b.url));
            let synonyms = synonyms(&language.tag, &language.settings.synonyms);
            build_language(&language.tag, &own, &synonyms)
        })
        .collect()
}

fn build_language(lang: &str, pages: &[&SearchPage], synonyms: &Synonyms) -> Vec<Output> {
    let stemmer = stemmer(lang);
    let entries: Vec<Entry<'_>> = pages
        .iter()
        .enumerate()
        .flat_map(|(page, p)| {
            let sections = p.sections.iter().map(move |s| Entry {
                page,
                anchor: s.anchor.as_deref(),
                heading: &s.heading,
                text: &s.text,
            });
            let title_only = p.sections.is_empty().then_some(Entry {
                page,
                anchor: None,
                heading: "",
                text: "",
            });
            title_only.into_iter().chain(sections)
        })
        .collect();
    let terms: Vec<EntryTerms> = entries
        .par_iter()
        .enumerate()
        .map(|(i, entry)| {
            let first_of_page = i == 0 || entries[i - 1].page != entry.page;
            let title = &pages[entry.page].title;
            let mut terms = EntryTerms {
                keys: HashMap::new(),
                forms: Vec::new(),
                length: 0.0,
            };
            let title_weight = if first_of_page { TITLE } else { TITLE_CONTEXT };
            for (text, weight) in [
                (title.as_str(), title_weight),
                (entry.heading, HEADING),
                (entry.text, BODY),
            ] {
                add_terms(&mut terms, tokenize(text, Mode::Index), weight, &stemmer);
            }
            synonyms.expand(&mut terms);
            terms
        })
        .collect();
    files::write(lang, pages, &entries, score::postings(&terms))
}

fn add_terms(
    terms: &mut EntryTerms,
    tokens: Vec<Token>,
    weight: f32,
    stemmer: &Option<rust_stemmers::Stemmer>,
) {
    for token in tokens {
        let key = match stemmer {
            Some(stemmer) if !token.unspaced => stemmer.stem(&token.term).into_owned(),
            _ => token.term.clone(),
        };
        if key != token.term && !terms.forms.iter().any(|(_, f)| *f == token.term) {
            terms.forms.push((key.clone(), token.term));
        }
        terms.length += 1.0;
        let slot = terms.keys.entry(key).or_default();
        slot.count += weight;
        slot.named |= weight >= HEADING;
    }
}

/// Snowball stemmers where one exists; Lithuanian, Polish, Malay and the unspaced scripts
/// rely on prefix matching in the browser instead.
fn stemmer(lang: &str) -> Option<rust_stemmers::Stemmer> {
    use rust_stemmers::Algorithm::*;
    let algorithm = match lang.split('-').next().unwrap_or(lang) {
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "en" => English,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return None,
    };
    Some(rust_stemmers::Stemmer::create(algorithm))
}

/// Whether the browser should match every query word as a prefix (no stemmer for the
/// language) or only the last word being typed.
pub fn has_stemmer(lang: &str) -> bool {
    stemmer(lang).is_some()
}

/// Groups of words a buyer uses for the same thing, as index keys: an entry with one member
/// (a word, or all the words of a phrase) is also found by the group's single words.
struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    fn expand(&self, terms: &mut EntryTerms) {
        let mut added: Vec<(String, f32)> = Vec::new();
        for group in &self.groups {
            let present: Vec<f32> = group
                .iter()
                .filter_map(|member| {
                    member
                        .iter()
                        .map(|key| terms.keys.get(key).map(|w| w.count))
                        .collect::<Option<Vec<f32>>>()
                        .and_then(|weights| weights.into_iter().reduce(f32::min))
                })
                .collect();
            let Some(weight) = present.into_iter().reduce(f32::max) else {
                continue;
            };
            // A phrase ("send back") is only a trigger: adding its words one by one would
            // make every entry about returns match "back".
            for key in group.iter().filter(|member| member.len() == 1).flatten() {
                if !terms.keys.contains_key(key) {
                    added.push((key.clone(), weight * SYNONYM));
                }
            }
        }
        for (key, weight) in added {
            let slot = terms.keys.entry(key).or_default();
            slot.count = slot.count.max(weight);
        }
    }
}

/// Built-in synonyms of the bundled languages, then the site's own for `lang`.
fn synonyms(lang: &str, site: &[Vec<String>]) -> Synonyms {
    static BUILT_IN: &str = include_str!("synonyms.toml");
    let built_in: BTreeMap<String, Vec<Vec<String>>> =
        toml::from_str(BUILT_IN).expect("the built-in synonyms are valid TOML");
    let base = lang.split('-').next().unwrap_or(lang);
    let stemmer = stemmer(lang);
    let groups = built_in
        .get(lang)
        .or_else(|| built_in.get(base))
        .into_iter()
        .flatten()
        .chain(site)
        .map(|group| {
            group
                .iter()
                .map(|phrase| {
                    let keys: BTreeSet<String> = tokenize(phrase, Mode::Query)
                        .into_iter()
                        .map(|t| match &stemmer {
                            Some(s) if !t.unspaced => s.stem(&t.term).into_owned(),
                            _ => t.term,
                        })
                        .collect();
                    keys.into_iter().collect()
                })
                .filter(|keys: &Vec<String>| !keys.is_empty())
                .collect()
        })
        .collect();
    Synonyms { groups }
}
