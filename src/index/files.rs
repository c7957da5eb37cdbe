//! The index as files: gzip-compressed JSON named by content hash, plus the manifest.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::PathBuf;

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;
use serde_json::json;

use super::Entry;
use super::score::{KeyPostings, MAX_POSTINGS, SCALE, in_byte_order, utf16_order};
use crate::diagnostic::Result;
use crate::output::{Output, SearchPage, Sink};
use crate::text::tokenize::fold_unspaced;

/// Raw JSON bytes a term shard grows to before the next key starts a new one (≈ 6 KB
/// compressed: postings written as digits compress less than decimal numbers did).
const SHARD_BYTES: usize = 10 * 1024;
/// Shards listed per directory file.
const SHARDS_PER_DIRECTORY: usize = 64;
/// Entries per result chunk: small, because the first query fetches one for each result it
/// shows.
const CHUNK_ENTRIES: usize = 4;
const MAX_TEXT_CHARS: usize = 5000;
pub const FORMAT_VERSION: u32 = 2;

/// Hands every index file of one language to `sink`: term shards and result chunks as each is
/// compressed, the directories and the manifest last. Nothing is held for the whole language
/// but the raw shards (a few MB), so languages can be written side by side.
pub fn write(
    lang: &str,
    pages: &[&SearchPage],
    entries: &[Entry<'_>],
    keys: &[KeyPostings],
    sink: &Sink<'_>,
) -> Result<()> {
    let dir = PathBuf::from(super::FOLDER).join(lang);
    let put = |name: String, body: &[u8]| {
        sink(Output {
            path: dir.join(name),
            bytes: gzip(body),
        })
    };

    let shards = term_shards(keys);
    let names: Vec<(String, String)> = shards
        .par_iter()
        .map(|(first, body)| {
            let hash = content_hash(body);
            put(format!("terms.{hash}.json.gz"), body)?;
            Ok((first.to_string(), hash))
        })
        .collect::<Result<_>>()?;
    drop(shards);

    // The manifest lists directories of shards, not the shards: a language written without
    // spaces has thousands of shards, and a first query should not fetch all their names.
    let directories: Vec<(String, String)> = names
        .chunks(SHARDS_PER_DIRECTORY)
        .map(|group| {
            let body = to_json(&group);
            let hash = content_hash(body.as_bytes());
            put(format!("keys.{hash}.json.gz"), body.as_bytes())?;
            Ok((group[0].0.clone(), hash))
        })
        .collect::<Result<_>>()?;

    // Result chunks are named by one hash of what they all hold (`results.<hash>.<n>.json.gz`):
    // the manifest then needs no list of thousands of names, and any change renames them all.
    let results = results_hash(pages, entries);
    entries
        .par_chunks(CHUNK_ENTRIES)
        .enumerate()
        .try_for_each(|(n, chunk)| {
            let body = result_chunk(pages, chunk);
            put(format!("results.{results}.{n}.json.gz"), &body)
        })?;

    let manifest = json!({
        "version": FORMAT_VERSION,
        "lang": lang,
        "prefix_every_word": !super::has_stemmer(lang),
        "entries": entries.len(),
        "chunk": CHUNK_ENTRIES,
        "scale": SCALE,
        "common": MAX_POSTINGS,
        "terms": directories,
        "results": results,
        "variants": variants(keys),
    });
    sink(Output {
        path: PathBuf::from(super::FOLDER).join(format!("{lang}.json.gz")),
        bytes: gzip(manifest.to_string().as_bytes()),
    })
}

/// The term shards in key order, each with its first record's text: records sorted by their
/// text, a stem with its postings, `[key, df, "postings"]` (entry gaps and scores in
/// turn, as [`push_digits`] writes them), and for every other surface form a
/// pointer to its stem, `[form, key]`. A query word is looked up as typed, whatever its
/// stem, and "shipping" leads to "ship".
fn term_shards(keys: &[KeyPostings]) -> Vec<(&str, Vec<u8>)> {
    // (text, key, whether the text is one of the key's other forms)
    let mut records: Vec<(&str, &KeyPostings, bool)> = keys
        .iter()
        .flat_map(|key| {
            std::iter::once((key.key.as_str(), key, false))
                .chain(key.forms.iter().map(move |form| (form.as_str(), key, true)))
        })
        .collect();
    if records.iter().all(|r| in_byte_order(r.0)) {
        sort_records(&mut records, str::cmp);
    } else {
        sort_records(&mut records, utf16_order);
    }
    let mut shards: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut shard: Vec<u8> = Vec::with_capacity(SHARD_BYTES + 1024);
    let mut first: &str = "";
    for (text, key, is_form) in records {
        if shard.len() >= SHARD_BYTES {
            shard.push(b']');
            shards.push((
                first,
                std::mem::replace(&mut shard, Vec::with_capacity(SHARD_BYTES + 1024)),
            ));
        }
        if shard.is_empty() {
            shard.push(b'[');
            first = text;
        } else {
            shard.push(b',');
        }
        shard.push(b'[');
        json_string(&mut shard, text);
        shard.push(b',');
        if is_form {
            json_string(&mut shard, &key.key);
        } else {
            shard.extend_from_slice(itoa::Buffer::new().format(key.df).as_bytes());
            shard.extend_from_slice(b",\"");
            // Entry numbers as gaps from the previous one: small numbers, short digits.
            let mut previous = 0;
            for &(entry, score) in &key.postings {
                push_digits(&mut shard, entry - previous);
                push_digits(&mut shard, u32::from(score));
                previous = entry;
            }
            shard.push(b'"');
        }
        shard.push(b']');
    }
    if !shard.is_empty() {
        shard.push(b']');
        shards.push((first, shard));
    }
    shards
}

/// The characters of [`push_digits`]: URL-safe, never escaped in JSON.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `n` in base 32, most significant digit first, each digit but the last one 32
/// higher (one character of [`DIGITS`] each): numbers follow each other with no separator,
/// and a posting takes 3–4 characters where decimal JSON took 7–8, so there is half as much
/// to compress. The browser's `numbers` reads them back.
fn push_digits(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 7];
    let mut count = 0;
    let mut rest = n;
    loop {
        digits[count] = (rest & 31) as u8;
        count += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (0..count).rev() {
        let more = if i > 0 { 32 } else { 0 };
        out.push(DIGITS[usize::from(digits[i] + more)]);
    }
}

/// Sorts records by their text in `order`, which is how JavaScript compares strings. A surface
/// form may be spelled like another word's stem: the stem's record comes first, and the order
/// never depends on the order the keys were gathered in.
fn sort_records(
    records: &mut [(&str, &KeyPostings, bool)],
    order: impl Fn(&str, &str) -> Ordering + Sync,
) {
    records.par_sort_unstable_by(|a, b| {
        order(a.0, b.0)
            .then(a.2.cmp(&b.2))
            .then_with(|| order(&a.1.key, &b.1.key))
    });
}

/// `text` as a JSON string, escaped as serde_json escapes it (control characters, `"` and
/// `\`). Most text has none of them: one pass that compiles to vector instructions finds
/// that out, and the text is copied as it is.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let needs_escape = text.bytes().fold(false, |seen, b| {
        seen | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs_escape {
        serde_json::to_writer(&mut *out, text).expect("writing JSON into memory does not fail");
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// One hash of everything the result chunks hold, in order.
fn results_hash(pages: &[&SearchPage], entries: &[Entry<'_>]) -> String {
    let mut all = xxhash_rust::xxh3::Xxh3::new();
    for page in pages {
        for part in [
            &page.url,
            &page.title,
            page.kind,
            page.section.as_deref().unwrap_or(""),
        ] {
            all.update(part.as_bytes());
            all.update(&[0]);
        }
    }
    for entry in entries {
        all.update(&(entry.page as u64).to_le_bytes());
        for part in [entry.anchor.unwrap_or(""), entry.heading, shown_text(entry)] {
            all.update(part.as_bytes());
            all.update(&[0]);
        }
    }
    format!("{:016x}", all.digest())[..12].to_string()
}

/// `[[pages: [url, title, kind, section]…], [entries: [page, anchor, heading, text]…]]`.
fn result_chunk(pages: &[&SearchPage], chunk: &[Entry<'_>]) -> Vec<u8> {
    let mut page_refs: Vec<usize> = chunk.iter().map(|e| e.page).collect();
    page_refs.dedup();
    let mut out = Vec::with_capacity(chunk.iter().map(|e| e.text.len() + 64).sum());
    out.extend_from_slice(b"[[");
    for (i, &p) in page_refs.iter().enumerate() {
        let page = pages[p];
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        for (j, text) in [&page.url, &page.title, page.kind].into_iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            json_string(&mut out, text);
        }
        out.push(b',');
        match &page.section {
            Some(section) => json_string(&mut out, section),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b']');
    }
    out.extend_from_slice(b"],[");
    for (i, entry) in chunk.iter().enumerate() {
        let page = page_refs.iter().position(|&p| p == entry.page).unwrap_or(0);
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        out.extend_from_slice(itoa::Buffer::new().format(page).as_bytes());
        for text in [entry.anchor.unwrap_or(""), entry.heading, shown_text(entry)] {
            out.push(b',');
            json_string(&mut out, text);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]]");
    out
}

/// A result needs enough text for a snippet, not a whole 10 MB page.
fn shown_text<'a>(entry: &Entry<'a>) -> &'a str {
    // Most texts are shorter in bytes than the limit in characters: no need to count them.
    if entry.text.len() <= MAX_TEXT_CHARS {
        return entry.text;
    }
    match entry.text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => &entry.text[..cut],
        None => entry.text,
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("index records are plain strings and numbers")
}

fn content_hash(body: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body))[..12].to_string()
}

/// Gzip by libdeflate, which compresses a whole buffer at once: for thousands of files of a
/// few KB it is several times quicker than a streaming zlib that is set up again for each.
/// Its header has no timestamp, so two builds of the same content are byte-identical. The
/// fastest level: about 3% larger files than the default level, in half the time. One
/// compressor per thread.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    // Level 1, not `CompressionLvl::fastest()`: that is level 0, which stores without compressing.
    const LEVEL: CompressionLvl = match CompressionLvl::new(1) {
        Ok(level) => level,
        Err(_) => panic!("1 is a compression level"),
    };
    thread_local! {
        static COMPRESSOR: RefCell<Compressor> = RefCell::new(Compressor::new(LEVEL));
    }
    COMPRESSOR.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        let mut out = vec![0; compressor.gzip_compress_bound(bytes.len())];
        let written = compressor
            .gzip_compress(bytes, &mut out)
            .expect("the output buffer has the bound's size");
        out.truncate(written);
        out
    })
}

/// Traditional characters whose Simplified form the index holds, as "TSTS…": the browser
/// folds a Traditional query with it. Characters whose Simplified form the index lacks
/// cannot match anything, so they are left out and the table stays small.
fn variants(keys: &[KeyPostings]) -> String {
    let indexed: BTreeSet<char> = keys
        .iter()
        .filter_map(|k| {
            let mut chars = k.key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        })
        .collect();
    if !indexed
        .iter()
        .any(|&c| fold_unspaced(c) == c && c >= '\u{3400}')
    {
        return String::new();
    }
    let mut table = String::new();
    for c in ('\u{3400}'..='\u{9FFF}').chain('\u{F900}'..='\u{FAFF}') {
        let simplified = fold_unspaced(c);
        if simplified != c && indexed.contains(&simplified) {
            table.push(c);
            table.push(simplified);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the browser's `numbers` does.
    fn read_digits(text: &[u8]) -> Vec<u32> {
        let mut numbers = Vec::new();
        let mut n = 0;
        for &c in text {
            let digit = DIGITS.iter().position(|&d| d == c).unwrap() as u32;
            n = n * 32 + (digit & 31);
            if digit < 32 {
                numbers.push(n);
                n = 0;
            }
        }
        numbers
    }

    #[test]
    fn json_strings_are_written_as_serde_json_writes_them() {
        for text in [
            "",
            "plain text",
            "say \"hi\"",
            "back\\slash",
            "tab\tand\nline\u{1}",
            "退货 ż \u{7f} </script>",
        ] {
            let mut out = Vec::new();
            json_string(&mut out, text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    #[test]
    fn postings_digits_read_back_from_zero_to_the_largest_entry() {
        let numbers = [
            0,
            1,
            31,
            32,
            511,
            1023,
            1024,
            32767,
            32768,
            1 << 20,
            u32::MAX,
        ];
        let mut text = Vec::new();
        for n in numbers {
            push_digits(&mut text, n);
        }
        assert_eq!(read_digits(&text), numbers);
        let mut one = Vec::new();
        push_digits(&mut one, 31);
        assert_eq!(one, b"f", "small numbers take one character");
    }
}
