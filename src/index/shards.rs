//! Term shards: sorted runs of keys, each with its postings, and with cards for the entries
//! a key ranks best on its own, so that a query of one word shows its results from the one
//! shard it fetches, without another round trip.

use std::cmp::Ordering;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Entry;
use super::encode::{json_number, json_string, push_anchor, push_digits};
use super::results::push_pages;
use super::score::{KeyPostings, in_byte_order, utf16_order};
use crate::output::SearchPage;
use crate::text::tokenize::{self, Mode, for_each_term};

/// Raw JSON bytes a shard grows to before the next key starts a new one, give or take (see
/// [`cut_here`]).
const SHARD_BYTES: usize = 16 * 1024;
/// Cards a key carries: the results the search popup shows.
const CARDS: usize = 8;
/// Cards a language may hold, per entry it has, and at least. Keys found in many entries get
/// theirs first, as buyers search for common words far more often than for rare ones. A
/// small site and a language with spaces fit (English: 2.7 cards per entry); Chinese, whose
/// every pair of characters is a key, would otherwise grow its index tenfold.
const CARDS_PER_ENTRY: usize = 4;
const CARDS_AT_LEAST: usize = 20_000;
/// A card's text: from this many characters before the key's first occurrence…
const WINDOW_BEFORE: usize = 45;
/// …this many characters long: what the browser's snippet (180, from 40 characters before
/// the first word it shows) cuts from.
const WINDOW_CHARS: usize = 190;

/// A language's keys with their cards, in about the order their records are written: words
/// of spaced scripts by their text, keys of unspaced scripts by bucket. Writing then reads
/// each key's postings and cards one after another instead of all over memory: Chinese has
/// 349,004 keys, and writing its buckets in the order the keys were gathered in took 0.4 s
/// of a build of the 2000-page corpus on one thread, half of that in this order.
pub struct Carded<'e> {
    keys: Vec<KeyPostings>,
    /// By key: its cards, best first; none for keys past the language's budget.
    cards: Vec<Vec<Card<'e>>>,
    /// How many buckets the keys of scripts written without spaces fill.
    buckets: u32,
}

impl Carded<'_> {
    pub fn keys(&self) -> &[KeyPostings] {
        &self.keys
    }
}

/// An entry a key ranks among its best, and the window of its text the result shows.
struct Card<'e> {
    entry: u32,
    window: Window<'e>,
}

/// Chooses the cards of `keys` and puts both in writing order (see [`Carded`]).
pub fn carded<'e>(
    keys: Vec<KeyPostings>,
    pages: &[&SearchPage],
    entries: &[Entry<'e>],
) -> Carded<'e> {
    let chosen = choose_cards(&keys, entries);
    let cards = with_windows(&keys, entries, chosen);
    let sizes = RecordSizes { pages, entries };
    let buckets = bucket_count(keys.iter().zip(&cards).map(|(key, cards)| {
        let own = if unspaced(&key.key) {
            sizes.key(key, cards)
        } else {
            0
        };
        let forms: usize = (key.forms.iter())
            .filter(|form| unspaced(form))
            .map(|form| sizes.form(form, key))
            .sum();
        own + forms
    }));
    // Spaced words first, by text; then each bucket's keys, in the order they came: the
    // order only decides what is read when, not what is written.
    let ranks: Vec<u32> = keys
        .par_iter()
        .map(|key| {
            if unspaced(&key.key) {
                bucket_of(&key.key, buckets) + 1
            } else {
                0
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        ranks[a].cmp(&ranks[b]).then_with(|| match ranks[a] {
            0 => keys[a].key.cmp(&keys[b].key),
            _ => a.cmp(&b),
        })
    });
    let (mut keys, mut cards) = (keys, cards);
    let (keys, cards) = order
        .into_iter()
        .map(|i| (std::mem::take(&mut keys[i]), std::mem::take(&mut cards[i])))
        .unzip();
    Carded {
        keys,
        cards,
        buckets,
    }
}

/// Whether a key is of a script written without spaces: looked up one at a time, never by a
/// range of keys, it goes to a hash bucket the browser finds with no list of first keys (in
/// Chinese, 1,800 shards' first keys were 8 KB of a 19 KB manifest).
fn unspaced(text: &str) -> bool {
    text.chars().next().is_some_and(tokenize::is_unspaced)
}

/// Hands `emit` the shards in key order, each with its first record's text, as each is
/// finished: the caller compresses them while later ones are written, and the raw text of a
/// whole language (30 MB for Chinese) is never held at once.
///
/// A shard is `[records, entries, pages]`. Records are sorted by their text: a stem
/// `[key, df, "postings", cards?]` (postings as entry gaps and scores in turn, written by
/// [`push_digits`]; cards as `[[entry, "window", cut]…]`, best first, `cut` 1 when the
/// window starts inside the text and 2 when it ends inside it), and for every other surface
/// form a pointer to its stem, `[form, key]`: a query word is looked up as typed, whatever
/// its stem, and "shipping" leads to "ship". `entries` are those the cards name,
/// `[entry, page, anchor, heading]` (the anchor `0` where the heading gives it, see
/// [`push_anchor`]), and `pages` theirs, `[url, title, first entry,
/// entries]`: the browser then knows a page's other entries, which show no result
/// when the carded one outranks them.
pub fn shards<'a>(
    carded: &'a Carded<'_>,
    pages: &[&SearchPage],
    entries: &[Entry<'_>],
    emit: &mut dyn FnMut(Option<&'a str>, Vec<u8>),
) {
    let keys = &carded.keys;
    let mut entry_ranges = vec![(0, 0); pages.len()];
    for (i, entry) in entries.iter().enumerate().rev() {
        let range = &mut entry_ranges[entry.page];
        *range = (i as u32, range.1 + 1);
    }
    let tables = Tables {
        pages,
        entries,
        entry_ranges: &entry_ranges,
    };
    let mut records: Vec<Record<'_>> = keys
        .iter()
        .enumerate()
        .flat_map(|(k, key)| {
            std::iter::once((key.key.as_str(), k, false))
                .chain(key.forms.iter().map(move |form| (form.as_str(), k, true)))
        })
        .collect();
    let split = partition_in_place(&mut records, |(text, _, _)| !unspaced(text));
    let (spaced, unspaced_records) = records.split_at_mut(split);
    let byte_order = spaced.iter().all(|r| in_byte_order(r.0));
    spaced.par_sort_unstable_by(|a, b| compare_records(a, b, keys, byte_order));
    let writer = Writer {
        keys,
        cards: &carded.cards,
        tables: &tables,
    };
    let mut shard = Shard::default();
    let mut first: &str = "";
    let mut previous: &str = "";
    for &(text, k, is_form) in spaced.iter() {
        let shared = common_prefix(previous, text);
        if cut_here(shard.bytes(), shared) {
            emit(Some(first), std::mem::take(&mut shard).finish(&tables));
        }
        previous = text;
        if shard.records.is_empty() {
            // Only as much of the key as tells it from the one before: the manifest lists it.
            first = text
                .char_indices()
                .nth(shared + 1)
                .map_or(text, |(end, _)| &text[..end]);
        }
        writer.push(&mut shard, text, k, is_form);
    }
    if !shard.records.is_empty() {
        emit(Some(first), shard.finish(&tables));
    }

    // A bucket's records in key order, as a run's are.
    let mut bucketed: Vec<(u32, Record<'_>)> = unspaced_records
        .par_iter()
        .map(|&record| (bucket_of(record.0, carded.buckets), record))
        .collect();
    let byte_order = bucketed.iter().all(|(_, r)| in_byte_order(r.0));
    bucketed.par_sort_unstable_by(|(a_bucket, a), (b_bucket, b)| {
        a_bucket
            .cmp(b_bucket)
            .then_with(|| compare_records(a, b, keys, byte_order))
    });
    let mut records = bucketed.iter().peekable();
    for bucket in 0..carded.buckets {
        let mut shard = Shard::default();
        while let Some((_, (text, k, is_form))) = records.next_if(|(b, _)| *b == bucket) {
            writer.push(&mut shard, text, *k, *is_form);
        }
        emit(None, shard.finish(&tables));
    }
}

/// Moves the items `keep` holds for before the others (in no particular order), and says
/// how many they are.
fn partition_in_place<T>(items: &mut [T], keep: impl Fn(&T) -> bool) -> usize {
    let mut kept = 0;
    for i in 0..items.len() {
        if keep(&items[i]) {
            items.swap(kept, i);
            kept += 1;
        }
    }
    kept
}

/// The bucket of a key of a script written without spaces, among `count`: FNV-1a of its
/// UTF-16 code units, which the browser computes alike from a JavaScript string.
pub fn bucket_of(text: &str, count: u32) -> u32 {
    let hash = text.encode_utf16().fold(0x811c_9dc5_u32, |hash, unit| {
        (hash ^ u32::from(unit)).wrapping_mul(0x0100_0193)
    });
    hash % count.max(1)
}

/// How many buckets records of about these sizes fill to about [`SHARD_BYTES`] each.
fn bucket_count(sizes: impl Iterator<Item = usize>) -> u32 {
    let total: usize = sizes.sum();
    u32::try_from(total.div_ceil(SHARD_BYTES)).unwrap_or(u32::MAX)
}

/// Writes records into shards.
struct Writer<'a, 'e> {
    keys: &'a [KeyPostings],
    cards: &'a [Vec<Card<'e>>],
    tables: &'a Tables<'a, 'a>,
}

impl Writer<'_, '_> {
    /// Adds the record of `text`, key `k` (a pointer to it when `is_form`), to `shard`.
    fn push(&self, shard: &mut Shard, text: &str, k: usize, is_form: bool) {
        shard
            .records
            .push(if shard.records.is_empty() { b'[' } else { b',' });
        let key = &self.keys[k];
        let out = &mut shard.records;
        out.push(b'[');
        json_string(out, text);
        out.push(b',');
        if is_form {
            json_string(out, &key.key);
            out.push(b']');
            return;
        }
        json_number(out, key.df);
        out.extend_from_slice(b",\"");
        // Entry numbers as gaps from the previous one: small numbers, short digits.
        let mut previous = 0;
        for &(entry, score) in &key.postings {
            push_digits(out, entry - previous);
            push_digits(out, u32::from(score));
            previous = entry;
        }
        out.push(b'"');
        let cards = &self.cards[k];
        if !cards.is_empty() {
            out.extend_from_slice(b",[");
            for (i, card) in cards.iter().enumerate() {
                let out = &mut shard.records;
                out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
                json_number(out, card.entry);
                out.push(b',');
                json_string(out, card.window.text);
                out.push(b',');
                json_number(out, card.window.cut);
                out.push(b']');
                shard.add_entry(card.entry, self.tables);
            }
            shard.records.push(b']');
        }
        shard.records.push(b']');
    }
}

/// About the bytes [`Writer::push`] adds for a record, tables included as if none of its
/// cards' entries were named in the shard yet: what a bucket count is worked out from.
struct RecordSizes<'a, 'b> {
    pages: &'a [&'a SearchPage],
    entries: &'a [Entry<'b>],
}

impl RecordSizes<'_, '_> {
    fn key(&self, key: &KeyPostings, cards: &[Card<'_>]) -> usize {
        let cards: usize = cards
            .iter()
            .map(|card| {
                card.window.text.len() + 16 + entry_bytes(self.pages, self.entries, card.entry)
            })
            .sum();
        // Postings: two numbers of one or two digits each.
        key.key.len() + 16 + 3 * key.postings.len() + cards
    }

    fn form(&self, form: &str, key: &KeyPostings) -> usize {
        form.len() + key.key.len() + 8
    }
}

/// Whether a shard of `bytes` ends before a key which shares its first `shared` characters
/// with the key before it. The browser reads every key from a word less its last three
/// letters (or its first four) to the longest word it starts: words sharing their opening
/// stay in one shard, so most words cost one request, and a shard grows beyond its size to
/// keep them.
fn cut_here(bytes: usize, shared: usize) -> bool {
    let allowed = match bytes {
        b if b < SHARD_BYTES * 3 / 4 => return false,
        b if b < SHARD_BYTES => 2,
        b if b < SHARD_BYTES * 5 / 4 => 3,
        b if b < SHARD_BYTES * 3 / 2 => 4,
        _ => return true,
    };
    shared <= allowed
}

/// How many characters `a` and `b` begin with alike.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// What a shard's tables are written from.
struct Tables<'a, 'b> {
    pages: &'a [&'a SearchPage],
    entries: &'a [Entry<'b>],
    /// By page: its first entry and how many it has.
    entry_ranges: &'a [(u32, u32)],
}

/// About the bytes an entry and its page take in a shard's tables.
fn entry_bytes(pages: &[&SearchPage], entries: &[Entry<'_>], entry: u32) -> usize {
    let e = &entries[entry as usize];
    let page = pages[e.page];
    e.anchor.map_or(0, str::len) + e.heading.len() + page.url.len() + page.title.len() + 32
}

/// A shard being written: its records, and the entries and pages its cards name.
#[derive(Default)]
struct Shard {
    records: Vec<u8>,
    entries: Vec<u32>,
    named: FxHashSet<u32>,
    /// About how many bytes the entries and pages tables will take.
    table_bytes: usize,
}

impl Shard {
    fn bytes(&self) -> usize {
        self.records.len() + self.table_bytes
    }

    fn add_entry(&mut self, entry: u32, tables: &Tables<'_, '_>) {
        if self.named.insert(entry) {
            self.entries.push(entry);
            self.table_bytes += entry_bytes(tables.pages, tables.entries, entry);
        }
    }

    fn finish(mut self, tables: &Tables<'_, '_>) -> Vec<u8> {
        let entries = tables.entries;
        let mut out = Vec::with_capacity(self.bytes() + 64);
        out.push(b'[');
        // Records open their list as the first is written; a bucket may have none.
        if self.records.is_empty() {
            out.push(b'[');
        }
        out.append(&mut self.records);
        out.extend_from_slice(b"],[");
        let mut page_refs: Vec<usize> = Vec::new();
        for (i, &entry) in self.entries.iter().enumerate() {
            let e = &entries[entry as usize];
            let page = match page_refs.iter().position(|&p| p == e.page) {
                Some(at) => at,
                None => {
                    page_refs.push(e.page);
                    page_refs.len() - 1
                }
            };
            out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
            json_number(&mut out, entry);
            out.push(b',');
            json_number(&mut out, page);
            out.push(b',');
            push_anchor(&mut out, e);
            out.push(b',');
            json_string(&mut out, e.heading);
            out.push(b']');
        }
        out.extend_from_slice(b"],");
        push_pages(
            &mut out,
            tables.pages,
            &page_refs,
            Some(tables.entry_ranges),
        );
        out.push(b']');
        out
    }
}

/// For each key (by position), the entries it carries cards for, best first, one per page:
/// as the browser ranks them for a query of that key alone. `None` for keys past the
/// language's budget.
fn choose_cards(keys: &[KeyPostings], entries: &[Entry<'_>]) -> Vec<Option<Vec<u32>>> {
    let mut budget = (CARDS_PER_ENTRY * entries.len()).max(CARDS_AT_LEAST);
    // Keys rarer than the last the budget reaches are not sorted: Chinese has hundreds of
    // thousands of character pairs, most of them found once.
    let lowest = lowest_carded_df(keys, budget);
    let mut by_df: Vec<usize> = (0..keys.len()).filter(|&k| keys[k].df >= lowest).collect();
    by_df.par_sort_unstable_by(|&a, &b| {
        keys[b]
            .df
            .cmp(&keys[a].df)
            .then_with(|| keys[a].key.cmp(&keys[b].key))
    });
    let mut carded = vec![false; keys.len()];
    for k in by_df {
        let wanted = keys[k].postings.len().min(CARDS);
        if wanted > budget {
            break;
        }
        budget -= wanted;
        carded[k] = true;
    }
    keys.par_iter()
        .zip(carded)
        .map(|(key, carded)| carded.then(|| best_entries(key, entries)))
        .collect()
}

/// The document frequency of the rarest keys that `budget` cards reach, when keys take
/// theirs from the most frequent down: every key found in more entries gets its cards.
fn lowest_carded_df(keys: &[KeyPostings], budget: usize) -> usize {
    let most = keys.iter().map(|key| key.df).max().unwrap_or(0);
    let mut wanted_by_df = vec![0; most + 1];
    for key in keys {
        wanted_by_df[key.df] += key.postings.len().min(CARDS);
    }
    let mut left = budget;
    for (df, &wanted) in wanted_by_df.iter().enumerate().rev() {
        if wanted > left {
            return df;
        }
        left -= wanted;
    }
    0
}

/// The entries a query of `key` alone shows, best first: the browser's score for one word
/// is the stored score, four times as much when the heading names the word; one per page.
fn best_entries(key: &KeyPostings, entries: &[Entry<'_>]) -> Vec<u32> {
    let rank = |score: u16| u32::from(score >> 1) * if score & 1 == 1 { 4 } else { 1 };
    let mut ranked: Vec<(u32, u32)> = key
        .postings
        .iter()
        .map(|&(entry, score)| (rank(score), entry))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut pages_seen: Vec<usize> = Vec::with_capacity(CARDS);
    let mut best = Vec::with_capacity(CARDS);
    for (_, entry) in ranked {
        let page = entries[entry as usize].page;
        if !pages_seen.contains(&page) {
            pages_seen.push(page);
            best.push(entry);
            if best.len() == CARDS {
                break;
            }
        }
    }
    best
}

/// A card's text: the part of an entry's text around the first occurrence of its key.
#[derive(Clone, Copy)]
struct Window<'a> {
    text: &'a str,
    /// 1: starts inside the text; 2: ends inside it.
    cut: u8,
}

/// The chosen cards of every key (by position), best first, each with its window. Each
/// entry's text is read once, for all the keys that carry a card for it; a key found only in
/// the title or heading shows the text's opening.
fn with_windows<'e>(
    keys: &[KeyPostings],
    entries: &[Entry<'e>],
    chosen: Vec<Option<Vec<u32>>>,
) -> Vec<Vec<Card<'e>>> {
    // By entry, the keys carded for it, in ascending order.
    let mut by_entry: Vec<Vec<u32>> = vec![Vec::new(); entries.len()];
    for (k, carded) in chosen.iter().enumerate() {
        for &entry in carded.iter().flatten() {
            by_entry[entry as usize].push(k as u32);
        }
    }
    let windows: Vec<Vec<Window<'e>>> = by_entry
        .par_iter()
        .enumerate()
        .map(|(entry, carded)| {
            if carded.is_empty() {
                return Vec::new();
            }
            let text = entries[entry].text;
            let mut surface: FxHashMap<&str, usize> = FxHashMap::default();
            for (slot, &k) in carded.iter().enumerate() {
                let key = &keys[k as usize];
                surface.insert(&key.key, slot);
                for form in &key.forms {
                    surface.insert(form, slot);
                }
            }
            let mut first = vec![None; carded.len()];
            let mut left = carded.len();
            // Read a piece at a time, until every key is found: the frequent keys that take
            // most cards are found near the start of the text.
            for (offset, piece) in pieces(text) {
                for_each_term(piece, Mode::Index, &mut |term, start, _, _| {
                    if let Some(&slot) = surface.get(term)
                        && first[slot].is_none()
                    {
                        first[slot] = Some(offset + start);
                        left -= 1;
                    }
                });
                if left == 0 {
                    break;
                }
            }
            first
                .into_iter()
                .map(|at| window(text, at.unwrap_or(0)))
                .collect()
        })
        .collect();
    chosen
        .into_par_iter()
        .enumerate()
        .map(|(k, carded)| {
            let k = k as u32;
            (carded.unwrap_or_default().into_iter())
                .map(|entry| {
                    let carded_for = &by_entry[entry as usize];
                    let slot = carded_for.partition_point(|&other| other < k);
                    Card {
                        entry,
                        window: windows[entry as usize][slot],
                    }
                })
                .collect()
        })
        .collect()
}

/// `text` in pieces of about [`PIECE_BYTES`] each, with where each starts, cut at ASCII white
/// space: no term spans it (see [`for_each_term`]), so the pieces give the terms the whole
/// text gives, at the same offsets.
fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = text.get(start..).filter(|rest| !rest.is_empty())?;
        let len = match rest.as_bytes().get(PIECE_BYTES..) {
            Some(after) => {
                PIECE_BYTES
                    + after
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .unwrap_or(after.len())
            }
            None => rest.len(),
        };
        let piece = (start, &rest[..len]);
        start += len;
        Some(piece)
    })
}

/// How much of an entry's text [`pieces`] hands over at a time.
const PIECE_BYTES: usize = 256;

/// [`WINDOW_CHARS`] of `text` from [`WINDOW_BEFORE`] characters before byte `at`.
fn window(text: &str, at: usize) -> Window<'_> {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(WINDOW_BEFORE - 1)
        .map_or(0, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(WINDOW_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    let cut = u8::from(start > 0) | if end < text.len() { 2 } else { 0 };
    Window {
        text: &text[start..end],
        cut,
    }
}

/// A record to write: its text, its key (by position), and whether the text is one of the
/// key's other forms.
type Record<'a> = (&'a str, usize, bool);

/// Records by their text as JavaScript compares strings, by UTF-16 code units (by bytes, the
/// same and quicker, when no text has a character beyond U+FFFF). A surface form may be
/// spelled like another word's stem: the stem's record comes first, and the order never
/// depends on the order the keys were gathered in.
fn compare_records(
    a: &Record<'_>,
    b: &Record<'_>,
    keys: &[KeyPostings],
    byte_order: bool,
) -> Ordering {
    let order = |x: &str, y: &str| {
        if byte_order {
            x.cmp(y)
        } else {
            utf16_order(x, y)
        }
    };
    order(a.0, b.0)
        .then(a.2.cmp(&b.2))
        .then_with(|| order(&keys[a.1].key, &keys[b.1].key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_end_between_words_that_begin_unlike() {
        let full = SHARD_BYTES;
        assert!(!cut_here(full / 2, 0), "too small to end");
        assert!(cut_here(full * 3 / 4, 2));
        assert!(!cut_here(full * 3 / 4, 3), "keeps a prefix together");
        assert!(cut_here(full, 3));
        assert!(!cut_here(full, 5));
        assert!(cut_here(full * 3 / 2, 9), "but not forever");
    }

    #[test]
    fn buckets_are_found_from_the_key_alone() {
        // FNV-1a of the UTF-16 code units, as the browser computes it (search.js, `bucketOf`).
        assert_eq!(bucket_of("", u32::MAX), 0x811c_9dc5);
        assert_eq!(bucket_of("a", u32::MAX), 0xe40c_292c);
        assert_eq!(bucket_of("退货", 1), 0);
        // The same as the browser's bucketOf("退货", 7) and bucketOf("\u{20000}好", 1000).
        assert_eq!(bucket_of("退货", 7), 6);
        assert_eq!(bucket_of("\u{20000}好", 1000), 72);
        let counts = (0..40).fold([0; 4], |mut counts, i| {
            counts[bucket_of(&char::from_u32(0x4E00 + i).unwrap().to_string(), 4) as usize] += 1;
            counts
        });
        assert!(
            counts.iter().all(|&n| n > 4),
            "spread over the buckets: {counts:?}"
        );
        assert_eq!(bucket_count([SHARD_BYTES, SHARD_BYTES, 1].into_iter()), 3);
        assert_eq!(bucket_count(std::iter::empty()), 0);
    }

    #[test]
    fn a_bucket_without_records_is_still_a_shard() {
        let tables = Tables {
            pages: &[],
            entries: &[],
            entry_ranges: &[],
        };
        let empty = Shard::default().finish(&tables);
        assert_eq!(String::from_utf8(empty).unwrap(), "[[],[],[]]");
    }

    #[test]
    fn cards_go_to_keys_from_the_most_frequent_down() {
        let key = |name: &str, df: usize| KeyPostings {
            key: name.into(),
            forms: Vec::new(),
            df,
            postings: (0..df as u32).map(|entry| (entry, 2)).collect(),
        };
        let keys = [
            key("a", 1),
            key("b", 2),
            key("c", 2),
            key("d", 3),
            key("e", 9),
        ];
        // e takes 8 cards (at most CARDS), d 3, then b's 2 do not fit in the 1 left.
        assert_eq!(lowest_carded_df(&keys, 12), 2);
        assert_eq!(
            lowest_carded_df(&keys, 7),
            9,
            "not even the most frequent fits"
        );
        assert_eq!(lowest_carded_df(&keys, 100), 0, "every key fits");
    }

    #[test]
    fn pieces_give_the_terms_of_the_whole_text_at_the_same_offsets() {
        let terms = |text: &str, offset: usize, out: &mut Vec<(String, usize, usize)>| {
            for_each_term(text, Mode::Index, &mut |term, start, end, _| {
                out.push((term.to_string(), offset + start, offset + end));
            });
        };
        let text =
            "Grąžinimas per 30 dienų.\n退货政策很简单，\t我们 accept returns-within-thirty days "
                .repeat(40)
                + &"逐渐传递".repeat(200)
                + " end";
        let mut whole = Vec::new();
        terms(&text, 0, &mut whole);
        let mut pieced = Vec::new();
        let mut joined = String::new();
        for (offset, piece) in pieces(&text) {
            assert_eq!(offset, joined.len());
            joined.push_str(piece);
            terms(piece, offset, &mut pieced);
        }
        assert_eq!(joined, text);
        assert!(pieces(&text).count() > 10);
        assert_eq!(pieced, whole);
        assert_eq!(pieces("").count(), 0);
    }

    #[test]
    fn a_window_starts_before_the_word_and_says_where_it_was_cut() {
        let text = "ab ".repeat(200);
        let whole = window("short text", 6);
        assert_eq!((whole.text, whole.cut), ("short text", 0));
        let inside = window(&text, 150);
        assert_eq!(inside.text.chars().count(), WINDOW_CHARS);
        assert_eq!(inside.cut, 3);
        assert!(text[150 - WINDOW_BEFORE..].starts_with(inside.text));
        let opening = window(&text, 0);
        assert_eq!(opening.cut, 2);
        let wide = "退货".repeat(200);
        let han = window(&wide, 300);
        assert_eq!(han.text.chars().count(), WINDOW_CHARS);
        assert!(wide[..300].ends_with(&han.text[..WINDOW_BEFORE * 3]));
    }
}
