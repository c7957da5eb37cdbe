//! Index: each language's search index, built from the text the render stage extracted.
//!
//! The index is static files under `search-index/`, read by the browser client
//! (`themes/default/static/search.js`). `<lang>.json.gz` is the manifest and the only file
//! with a fixed name: where each member of the index is, the first key of every term shard
//! of words (keys of scripts written without spaces are found by a hash, not listed), and
//! the Traditional→Simplified table the query side needs; the browser fetches it when
//! the search box gets focus. In `<lang>/`, a few packs named by a content hash, so hosts
//! may cache them for good, hold the members, each fetched alone by an HTTP range:
//! - term shards, each a sorted run of keys with their postings, of surface forms pointing
//!   to their keys, and of cards (title, heading, URL and a window of text) for the entries
//!   each key ranks best, about 7 KB compressed: a query of one word shows its results from
//!   the one shard it fetches (`shards.rs`);
//! - result chunks holding the title, heading, URL and text of 16 entries each, fetched only
//!   for a result no card covers (`results.rs`).
//!
//! An entry is a page's text before its first heading, one heading section, or one
//! question. Scores are BM25 with field weights, computed here once and stored as one number
//! per posting (the score, and whether the entry's heading names the word), so the browser
//! only adds them up.

/// The folder of the index files, in the output.
pub const FOLDER: &str = "search-index";

mod encode;
mod files;
mod results;
mod score;
mod shards;

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::config::{Config, Language};
use crate::diagnostic::{Error, Result};
use crate::output::{SearchPage, Sink};
use crate::text::tokenize::{self, Mode, for_each_term, tokenize};
use score::{Gathered, Key};

/// One searchable unit and where a result for it links to.
#[derive(Debug)]
pub struct Entry<'a> {
    pub page: usize,
    pub anchor: Option<&'a str>,
    /// Whether the browser derives the anchor from the heading, so the index leaves it out
    /// ([`encode::derives_anchor`]): worked out once, as a shard's table names an entry again
    /// in every shard that carries a card for it.
    pub anchor_derived: bool,
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

/// Builds the index files of one language into `search-index/`, handing them to `sink` as
/// soon as each is ready. Meant to run beside other work (the rendering of other languages):
/// its words are gathered in one run, as the other threads are busy anyway, and more runs
/// would each build their own tables of the language's words only to merge them.
pub fn build(config: &Config, lang: &str, pages: &[SearchPage], sink: &Sink<'_>) -> Result<()> {
    let pages: Vec<&SearchPage> = pages.iter().collect();
    config
        .languages
        .iter()
        .filter(|l| l.tag == lang)
        .try_for_each(|language| build_language(language, &pages, 1, sink, &|| false))
}

/// About how many terms indexing `text` gives, read from its opening: a character of a script
/// written without spaces gives two (itself and a pair), other text about one per six bytes.
/// For starting on the costliest language first.
pub fn estimated_terms(text: &str) -> usize {
    let opening = tokenize::opening(text, SAMPLE_BYTES);
    let unspaced: usize = if opening.is_ascii() {
        0
    } else {
        opening
            .chars()
            .filter(|&c| tokenize::is_unspaced(c))
            .map(char::len_utf8)
            .sum()
    };
    let spaced = opening.len() - unspaced;
    let sampled = 2 * unspaced.div_ceil(3) + spaced / 6;
    sampled * text.len() / opening.len().max(1)
}

/// The part of a text [`estimated_terms`] reads.
const SAMPLE_BYTES: usize = 256;

/// Tells long work whether to give up ([`Error::Interrupted`]): in watch mode, when a save
/// arrived that the index would not include anyway.
pub type Interrupted<'a> = dyn Fn() -> bool + Sync + 'a;

/// Builds the index files of some languages only: in watch mode, those whose pages changed.
pub fn build_languages(
    config: &Config,
    pages: &[&SearchPage],
    languages: &[&str],
    sink: &Sink<'_>,
    interrupted: &Interrupted<'_>,
) -> Result<()> {
    let chosen: Vec<_> = config
        .languages
        .iter()
        .filter(|l| languages.contains(&l.tag.as_str()))
        .collect();
    // Languages are gathered side by side, each in as few runs as keep the threads busy: every
    // run builds its own tables of the language's words, and merging them is pure overhead.
    let runs = (2 * rayon::current_num_threads()).div_ceil(chosen.len().max(1));
    chosen
        .par_iter()
        .try_for_each(|language| build_language(language, pages, runs, sink, interrupted))
}

/// The index of `language` from those of `pages` in it, its words gathered in `runs` runs.
fn build_language(
    language: &Language,
    pages: &[&SearchPage],
    runs: usize,
    sink: &Sink<'_>,
    interrupted: &Interrupted<'_>,
) -> Result<()> {
    let lang = language.tag.as_str();
    let mut own: Vec<&SearchPage> = pages.iter().copied().filter(|p| p.lang == lang).collect();
    own.sort_by(|a, b| a.url.cmp(&b.url));
    let pages = own.as_slice();
    let synonyms = &synonyms(lang, &language.settings.synonyms);
    let stemmer = stemmer(lang);
    let entries: Vec<Entry<'_>> = pages
        .iter()
        .enumerate()
        .flat_map(|(page, p)| {
            let sections = p.sections.iter().map(move |s| Entry {
                page,
                anchor: s.anchor.as_deref(),
                anchor_derived: encode::derives_anchor(s.anchor.as_deref(), &s.heading),
                heading: &s.heading,
                text: &s.text,
            });
            let title_only = p.sections.is_empty().then_some(Entry {
                page,
                anchor: None,
                anchor_derived: false,
                heading: "",
                text: "",
            });
            title_only.into_iter().chain(sections)
        })
        .collect();
    let gathered = entries
        .par_iter()
        .with_min_len(entries.len() / runs + 1)
        .enumerate()
        .try_fold(
            || Run::new(synonyms, stemmer.is_some()),
            |mut run, (i, entry)| {
                // Given up at once, partial tables unmerged: merging them is the slow part.
                if interrupted() {
                    return Err(Error::Interrupted);
                }
                let first_of_page = i == 0 || entries[i - 1].page != entry.page;
                let title_weight = if first_of_page { TITLE } else { TITLE_CONTEXT };
                // Every entry of a page counts the page's title: its words are looked up once.
                if run.title_of != Some(entry.page) {
                    run.title_keys.clear();
                    let (gathered, keys) = (&mut run.gathered, &mut run.title_keys);
                    for_each_term(
                        &pages[entry.page].title,
                        Mode::Index,
                        &mut |term, _, _, unspaced| {
                            keys.push(gathered.word(term, |w| stem(stemmer.as_ref(), w, unspaced)));
                        },
                    );
                    run.title_of = Some(entry.page);
                }
                for &key in &run.title_keys {
                    run.gathered
                        .count(key, title_weight, title_weight >= HEADING);
                }
                for (text, weight) in [(entry.heading, HEADING), (entry.text, BODY)] {
                    let gathered = &mut run.gathered;
                    for_each_term(text, Mode::Index, &mut |term, _, _, unspaced| {
                        let key = gathered.word(term, |w| stem(stemmer.as_ref(), w, unspaced));
                        gathered.count(key, weight, weight >= HEADING);
                    });
                }
                run.synonyms.expand(&mut run.gathered);
                run.gathered.finish_entry(i as u32);
                Ok(run)
            },
        )
        .map(|run| Ok(run?.gathered))
        .try_reduce(Gathered::default, |a, b| Ok(a.merge(b)))?;
    let postings = gathered.postings();
    if interrupted() {
        return Err(Error::Interrupted);
    }
    // Writing checks too, through the sink.
    files::write(lang, pages, &entries, postings, sink)
}

/// The key of a folded word: its stem, except in scripts written without spaces.
fn stem<'a>(
    stemmer: Option<&rust_stemmers::Stemmer>,
    word: &'a str,
    unspaced: bool,
) -> Cow<'a, str> {
    match stemmer {
        Some(stemmer) if !unspaced => stemmer.stem(word),
        _ => Cow::Borrowed(word),
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

/// One thread's share of the gathering: its tables, the synonyms as its key numbers, and
/// the keys of the title of the page it is in.
struct Run {
    gathered: Gathered,
    synonyms: SynonymKeys,
    title_of: Option<usize>,
    title_keys: Vec<Key>,
}

impl Run {
    fn new(synonyms: &Synonyms, stemmed: bool) -> Run {
        let mut gathered = Gathered::new(stemmed);
        let groups = synonyms
            .groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|member| member.iter().map(|key| gathered.key(key)).collect())
                    .collect()
            })
            .collect();
        Run {
            gathered,
            synonyms: SynonymKeys { groups },
            title_of: None,
            title_keys: Vec::new(),
        }
    }
}

/// The synonym groups as key numbers of one [`Gathered`].
struct SynonymKeys {
    groups: Vec<Vec<Vec<u32>>>,
}

impl SynonymKeys {
    fn expand(&self, gathered: &mut Gathered) {
        let mut added: Vec<(u32, f32)> = Vec::new();
        for group in &self.groups {
            let present = group
                .iter()
                .filter_map(|member| {
                    member
                        .iter()
                        .map(|&key| gathered.weight_of(key))
                        .try_fold(f32::INFINITY, |least, weight| Some(least.min(weight?)))
                        .filter(|_| !member.is_empty())
                })
                .reduce(f32::max);
            let Some(weight) = present else {
                continue;
            };
            // A phrase ("send back") is only a trigger: adding its words one by one would
            // make every entry about returns match "back".
            for &key in group.iter().filter(|member| member.len() == 1).flatten() {
                if gathered.weight_of(key).is_none() {
                    added.push((key, weight * SYNONYM));
                }
            }
        }
        for (key, weight) in added {
            gathered.at_least(key, weight);
        }
    }
}

/// Built-in synonyms of the bundled languages, then the site's own for `lang`.
fn synonyms(lang: &str, site: &[Vec<String>]) -> Synonyms {
    let stemmer = stemmer(lang);
    let groups = crate::text::synonyms::built_in(lang)
        .iter()
        .chain(site)
        .map(|group| {
            group
                .iter()
                .map(|phrase| {
                    let keys: BTreeSet<String> = tokenize(phrase, Mode::Query)
                        .into_iter()
                        .map(|t| stem(stemmer.as_ref(), &t.term, t.unspaced).into_owned())
                        .collect();
                    keys.into_iter().collect()
                })
                .filter(|keys: &Vec<String>| !keys.is_empty())
                .collect()
        })
        .collect();
    Synonyms { groups }
}
