//! BM25 over the weighted term counts of each entry, stored as one small number per posting.

use std::borrow::Cow;
use std::cmp::Ordering;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Scores are stored as `round(score × SCALE)`, 1–255.
pub const SCALE: f32 = 10.0;
/// A key found in more entries than this keeps only its best-scoring postings: a word that
/// common ("the", "and") says little, and its full list would make every query that
/// contains it fetch a large shard. The browser leaves such keys out of the "all words
/// matched" count.
pub const MAX_POSTINGS: usize = 500;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A key, its other surface forms and its postings.
#[derive(Default)]
pub struct KeyPostings {
    pub key: String,
    /// Folded surface forms that index under this key, when they differ from it.
    pub forms: Vec<String>,
    /// Entries containing the key, before capping.
    pub df: usize,
    /// (entry, score × 2 + 1 if the entry's heading or title names the key), by entry.
    pub postings: Vec<(u32, u16)>,
}

/// A key's weighted count in an entry, and whether the entry's heading (or, for a page's
/// first entry, its title) says it: "the answer is named after what you asked" ranks high.
#[derive(Debug, Clone, Copy, Default)]
pub struct Weight {
    pub count: f32,
    pub named: bool,
}

/// Every key's occurrences, gathered entry by entry on several threads and then merged.
/// Words and keys are numbered as they are first seen, so each distinct word is stemmed and
/// stored once per thread, not once per occurrence; pairs of characters are counted by code.
#[derive(Default)]
pub struct Gathered {
    /// Folded word, by a 64-bit hash of it → its key. Millions of lookups compare numbers
    /// held in the table instead of strings held elsewhere; two of a language's words
    /// sharing a hash (odds about 1 in 10^7 for a million distinct words) would share a key.
    words: FxHashMap<u64, Key>,
    /// Key, by the same hash → its id (the text is kept once, in `keys`).
    key_ids: FxHashMap<u64, u32>,
    /// Key of two characters numbered like the others, by [`short_code`] → its id: only the
    /// synonyms' (which must be looked up in an entry); every other pair is counted in
    /// `pairs`.
    short_ids: FxHashMap<u32, u32>,
    /// Key of one character, by its code point → its id, or [`NO_ID`]: every character of a
    /// Chinese text is one, and a direct table of the 65,536 stays in cache.
    char_ids: Vec<u32>,
    /// Occurrences of keys of two characters, by code, in the order they were counted:
    /// every pair of a Chinese text, hundreds of thousands of keys that nearly all occur
    /// once in an entry. Appending them costs no lookup in a table that misses cache;
    /// they are grouped by sorting at the end.
    pairs: Vec<PairCount>,
    /// The first of `pairs` counted in the current entry.
    entry_pairs: usize,
    /// Surface forms of keys in `pairs`, by code (stems of two letters).
    pair_forms: FxHashMap<u32, Vec<Box<str>>>,
    /// Whether a word may have another key than itself. Without a stemmer every word is its
    /// own key, found in the key tables alone: one table to probe and to fill, not two.
    stemmed: bool,
    keys: Vec<Occurrences>,
    /// (entry, length in words).
    lengths: Vec<(u32, f32)>,
    /// The entry being gathered: each key's weight (by key id), the keys it has so far,
    /// and its length. A dense table: a word costs one lookup, not two.
    current: Vec<Weight>,
    touched: Vec<u32>,
    current_length: f32,
}

/// A key counted: numbered in [`Gathered::keys`], or a pair of characters by its code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    Id(u32),
    Pair(u32),
}

/// One occurrence of a pair: its code, its entry (with [`NAMED`]) and weight.
#[derive(Clone, Copy)]
struct PairCount {
    code: u32,
    entry: u32,
    weight: f32,
}

#[derive(Default)]
struct Occurrences {
    key: Box<str>,
    forms: Vec<Box<str>>,
    /// (entry, with the top bit set if the entry's heading names the key; weighted count).
    entries: Vec<(u32, f32)>,
}

const NAMED: u32 = 1 << 31;
/// No key yet, in [`Gathered::char_ids`].
const NO_ID: u32 = u32::MAX;

impl Gathered {
    pub fn new(stemmed: bool) -> Gathered {
        Gathered {
            stemmed,
            ..Gathered::default()
        }
    }

    /// The key of `word` (folded), which `stem` gives on first sight.
    pub fn word(&mut self, word: &str, stem: impl FnOnce(&str) -> Cow<'_, str>) -> Key {
        if !self.stemmed {
            return self.term_key(word);
        }
        let hash = hash(word);
        if let Some(&key) = self.words.get(&hash) {
            return key;
        }
        let key_text = stem(word);
        let key = self.term_key(&key_text);
        if *key_text != *word {
            let forms = match key {
                Key::Id(id) => &mut self.keys[id as usize].forms,
                Key::Pair(code) => self.pair_forms.entry(code).or_default(),
            };
            forms.push(word.into());
        }
        self.words.insert(hash, key);
        key
    }

    /// Counts one occurrence of a key in the current entry.
    pub fn count(&mut self, key: Key, weight: f32, named: bool) {
        self.current_length += 1.0;
        match key {
            Key::Id(id) => {
                let slot = self.slot(id);
                slot.count += weight;
                slot.named |= named;
            }
            Key::Pair(code) => self.pairs.push(PairCount {
                code,
                entry: if named { NAMED } else { 0 },
                weight,
            }),
        }
    }

    /// The key of a term: a pair's code, unless the pair is numbered.
    fn term_key(&mut self, text: &str) -> Key {
        match short_code(text) {
            Some(code) if code & 0xFFFF != 0 => match self.short_ids.get(&code) {
                Some(&id) => Key::Id(id),
                None => Key::Pair(code),
            },
            code => Key::Id(self.numbered(text, code)),
        }
    }

    /// The id of `key`, numbering it if it is new.
    pub fn key(&mut self, key: &str) -> u32 {
        self.numbered(key, short_code(key))
    }

    /// [`Gathered::key`] given the key's [`short_code`]: a term's is worked out once.
    fn numbered(&mut self, key: &str, code: Option<u32>) -> u32 {
        let next = self.keys.len() as u32;
        let id = match code {
            Some(code) if code & 0xFFFF == 0 => {
                if self.char_ids.is_empty() {
                    self.char_ids = vec![NO_ID; 1 << 16];
                }
                let id = &mut self.char_ids[(code >> 16) as usize];
                if *id == NO_ID {
                    *id = next;
                }
                *id
            }
            Some(code) => *self.short_ids.entry(code).or_insert(next),
            None => *self.key_ids.entry(hash(key)).or_insert(next),
        };
        self.number(id, key)
    }

    /// Keeps the key's text when `id` is a new one.
    fn number(&mut self, id: u32, key: &str) -> u32 {
        if id == self.keys.len() as u32 {
            self.keys.push(Occurrences {
                key: key.into(),
                ..Default::default()
            });
        }
        id
    }

    /// The current entry's weight for a key, if it has the key.
    pub fn weight_of(&self, key: u32) -> Option<f32> {
        self.current
            .get(key as usize)
            .map(|w| w.count)
            .filter(|&count| count > 0.0)
    }

    /// Raises the current entry's weight for a key to at least `count`.
    pub fn at_least(&mut self, key: u32, count: f32) {
        let slot = self.slot(key);
        slot.count = slot.count.max(count);
    }

    fn slot(&mut self, key: u32) -> &mut Weight {
        let index = key as usize;
        if index >= self.current.len() {
            self.current
                .resize(self.keys.len().max(index + 1), Weight::default());
        }
        if self.current[index].count == 0.0 {
            self.touched.push(key);
        }
        &mut self.current[index]
    }

    pub fn finish_entry(&mut self, entry: u32) {
        for pair in &mut self.pairs[self.entry_pairs..] {
            pair.entry |= entry;
        }
        self.entry_pairs = self.pairs.len();
        self.lengths.push((entry, self.current_length));
        self.current_length = 0.0;
        for key in self.touched.drain(..) {
            let weight = std::mem::take(&mut self.current[key as usize]);
            let named = if weight.named { NAMED } else { 0 };
            self.keys[key as usize]
                .entries
                .push((entry | named, weight.count));
        }
    }

    pub fn merge(mut self, mut other: Gathered) -> Gathered {
        if self.keys.len() < other.keys.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.lengths.append(&mut other.lengths);
        self.pairs.append(&mut other.pairs);
        self.entry_pairs = self.pairs.len();
        for (code, forms) in other.pair_forms {
            add_forms(self.pair_forms.entry(code).or_default(), forms);
        }
        for occurrences in other.keys {
            let id = self.key(&occurrences.key) as usize;
            let mine = &mut self.keys[id];
            mine.entries.extend(occurrences.entries);
            add_forms(&mut mine.forms, occurrences.forms);
        }
        self
    }

    /// Postings of every key found in an entry, in no particular order: the files sort them
    /// with their surface forms.
    pub fn postings(self) -> Vec<KeyPostings> {
        let mut lengths = vec![0.0; self.lengths.len()];
        for (entry, length) in self.lengths {
            lengths[entry as usize] = length;
        }
        let bm25 = Bm25::new(lengths);
        let mut keys = self.keys;
        let mut pair_forms = self.pair_forms;
        let mut pairs = Vec::new();
        for (code, found) in grouped_pairs(self.pairs) {
            let forms = pair_forms.remove(&code).unwrap_or_default();
            match self.short_ids.get(&code) {
                // Numbered by a run after others had counted it: a synonym merged in.
                Some(&id) => {
                    let mine = &mut keys[id as usize];
                    mine.entries.extend(found);
                    add_forms(&mut mine.forms, forms);
                }
                None => pairs.push((code, forms, found)),
            }
        }
        let mut scored: Vec<KeyPostings> = keys
            .into_par_iter()
            // Synonyms number their keys up front, found in an entry or not.
            .filter(|occurrences| !occurrences.entries.is_empty())
            .map(|o| bm25.key_postings(o.key.into(), o.forms, o.entries))
            .collect();
        scored.par_extend(
            pairs
                .into_par_iter()
                .map(|(code, forms, found)| bm25.key_postings(text_of_code(code), forms, found)),
        );
        scored
    }
}

/// BM25 over the entries' lengths.
struct Bm25 {
    lengths: Vec<f32>,
    average_length: f32,
}

impl Bm25 {
    fn new(lengths: Vec<f32>) -> Bm25 {
        let entries = lengths.len().max(1) as f32;
        let average_length = (lengths.iter().sum::<f32>() / entries).max(1.0);
        Bm25 {
            lengths,
            average_length,
        }
    }

    /// A key's postings from the entries it was found in (entry with [`NAMED`], weighted
    /// count), its best [`MAX_POSTINGS`] if there are more, by entry.
    fn key_postings(
        &self,
        key: String,
        forms: Vec<Box<str>>,
        found: Vec<(u32, f32)>,
    ) -> KeyPostings {
        let entries = self.lengths.len() as f32;
        let df = found.len();
        let idf = (1.0 + (entries - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
        let mut postings: Vec<(u32, u16)> = found
            .into_iter()
            .map(|(entry, tf)| {
                let (entry, named) = (entry & !NAMED, entry & NAMED != 0);
                let length = self.lengths[entry as usize];
                let norm = K1 * (1.0 - B + B * length / self.average_length);
                let score = idf * tf * (K1 + 1.0) / (tf + norm);
                let stored = (score * SCALE).round().clamp(1.0, 255.0) as u16;
                (entry, stored * 2 + u16::from(named))
            })
            .collect();
        if df > MAX_POSTINGS {
            postings
                .select_nth_unstable_by(MAX_POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            postings.truncate(MAX_POSTINGS);
        }
        postings.sort_unstable_by_key(|p| p.0);
        let mut forms: Vec<String> = forms.into_iter().map(String::from).collect();
        forms.sort_unstable();
        KeyPostings {
            postings,
            key,
            forms,
            df,
        }
    }
}

/// A text of one or two characters of the Basic Multilingual Plane as one number, the
/// first character in the high half (a text with U+0000 has none).
fn short_code(text: &str) -> Option<u32> {
    if text.len() > 6 {
        return None;
    }
    let mut chars = text.chars().map(u32::from);
    let first = chars.next()?;
    let second = chars.next();
    let fits = |c: u32| c > 0 && c <= 0xFFFF;
    let two_at_most = chars.next().is_none();
    (two_at_most && fits(first) && second.is_none_or(fits))
        .then_some(first << 16 | second.unwrap_or(0))
}

/// The entries each pair was found in, by code: an entry's occurrences added up, as
/// (entry with [`NAMED`] if any occurrence was named, weighted count).
fn grouped_pairs(mut pairs: Vec<PairCount>) -> Vec<(u32, Vec<(u32, f32)>)> {
    // Stable: an entry's occurrences of a pair stay side by side.
    radsort::sort_by_key(&mut pairs, |p| p.code);
    pairs
        .chunk_by(|a, b| a.code == b.code)
        .map(|group| {
            let mut found: Vec<(u32, f32)> = Vec::with_capacity(group.len());
            for pair in group {
                match found.last_mut() {
                    Some((entry, weight)) if *entry & !NAMED == pair.entry & !NAMED => {
                        *entry |= pair.entry;
                        *weight += pair.weight;
                    }
                    _ => found.push((pair.entry, pair.weight)),
                }
            }
            (group[0].code, found)
        })
        .collect()
}

/// Adds the surface forms another run found for a key, each once.
fn add_forms(mine: &mut Vec<Box<str>>, forms: Vec<Box<str>>) {
    for form in forms {
        if !mine.contains(&form) {
            mine.push(form);
        }
    }
}

/// The text [`short_code`] gave `code` for.
fn text_of_code(code: u32) -> String {
    [code >> 16, code & 0xFFFF]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect()
}

/// The hash words and keys are looked up by.
fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Orders strings as JavaScript does (by UTF-16 code units) without re-encoding them. UTF-8
/// byte order is code point order, and the two disagree only where a character above
/// U+FFFF (4 bytes, lead byte F0–F4) meets one in U+E000–U+FFFF (lead byte EE or EF): as
/// UTF-16, the first starts with a surrogate and sorts before.
pub fn utf16_order(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).position(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some(i) => {
            let (x, y) = (a[i], b[i]);
            let high_bmp = |byte: u8| byte == 0xEE || byte == 0xEF;
            if starts_astral(x) && high_bmp(y) {
                Ordering::Less
            } else if high_bmp(x) && starts_astral(y) {
                Ordering::Greater
            } else {
                x.cmp(&y)
            }
        }
    }
}

/// Whether [`utf16_order`] is plain byte order for `text`: it has no character beyond
/// U+FFFF.
pub fn in_byte_order(text: &str) -> bool {
    !text.bytes().any(starts_astral)
}

/// A UTF-8 lead byte of a character beyond U+FFFF (two UTF-16 code units).
fn starts_astral(byte: u8) -> bool {
    byte >= 0xF0
}

#[cfg(test)]
mod tests;
