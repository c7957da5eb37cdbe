//! The index as files: gzip-compressed JSON named by content hash, plus the manifest.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use rayon::prelude::*;
use serde_json::json;

use super::Entry;
use super::score::{KeyPostings, MAX_POSTINGS, SCALE, utf16_order};
use super::tokenize::fold_unspaced;
use crate::render::{Output, SearchPage};

/// Raw JSON bytes a term shard grows to before the next key starts a new one (≈ 5 KB
/// compressed).
const SHARD_BYTES: usize = 14 * 1024;
/// Shards listed per directory file.
const SHARDS_PER_DIRECTORY: usize = 64;
/// Entries per result chunk: small, because the first query fetches one for each result it
/// shows.
const CHUNK_ENTRIES: usize = 4;
/// A result needs enough text for a snippet, not a whole 10 MB page.
const MAX_TEXT_CHARS: usize = 5000;
pub const FORMAT_VERSION: u32 = 1;

pub fn write(
    lang: &str,
    pages: &[&SearchPage],
    entries: &[Entry<'_>],
    keys: Vec<KeyPostings>,
) -> Vec<Output> {
    let dir = PathBuf::from("search-index").join(lang);
    let mut files: Vec<(String, String)> = Vec::new();

    // Records sorted by their text: a stem with its postings, `[key, df, postings]`, and for
    // every other surface form a pointer to its stem, `[form, key]`. A query word is looked up
    // as typed, whatever its stem, and "shipping" leads to "ship".
    let mut records: Vec<(&str, String)> = Vec::new();
    for key in &keys {
        let mut flat = Vec::with_capacity(key.postings.len() * 2);
        let mut previous = 0;
        for &(entry, score) in &key.postings {
            flat.push(entry - previous);
            flat.push(u32::from(score));
            previous = entry;
        }
        records.push((&key.key, to_json(&(&key.key, key.df, flat))));
        for form in &key.forms {
            records.push((form, to_json(&(form, &key.key))));
        }
    }
    records.par_sort_unstable_by(|a, b| utf16_order(a.0, b.0));
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut shard = String::new();
    let mut first_key: Option<&str> = None;
    for (text, record) in &records {
        if shard.len() >= SHARD_BYTES {
            let hash = finish_shard(&mut shard, &mut files, "terms");
            shards.push((first_key.take().unwrap_or_default().to_string(), hash));
        }
        shard.push(if shard.is_empty() { '[' } else { ',' });
        shard.push_str(record);
        first_key.get_or_insert(text);
    }
    if !shard.is_empty() {
        let hash = finish_shard(&mut shard, &mut files, "terms");
        shards.push((first_key.take().unwrap_or_default().to_string(), hash));
    }

    // The manifest lists directories of shards, not the shards: a language written without
    // spaces has thousands of shards, and a first query should not fetch all their names.
    let directories: Vec<(String, String)> = shards
        .chunks(SHARDS_PER_DIRECTORY)
        .map(|group| {
            let body = to_json(&group);
            let hash = content_hash(&body);
            files.push((format!("keys.{hash}.json.gz"), body));
            (group[0].0.clone(), hash)
        })
        .collect();

    // Result chunks are named by one hash of them all (`results.<hash>.<n>.json.gz`): the
    // manifest then needs no list of thousands of names, and any change renames them all.
    let chunks: Vec<String> = entries
        .chunks(CHUNK_ENTRIES)
        .map(|chunk| {
            let mut page_refs: Vec<usize> = chunk.iter().map(|e| e.page).collect();
            page_refs.dedup();
            let pages_json: Vec<_> = page_refs
                .iter()
                .map(|&p| {
                    let page = pages[p];
                    (&page.url, &page.title, page.kind, &page.section)
                })
                .collect();
            let entries_json: Vec<_> = chunk
                .iter()
                .map(|e| {
                    let page = page_refs.iter().position(|&p| p == e.page).unwrap_or(0);
                    let text = match e.text.char_indices().nth(MAX_TEXT_CHARS) {
                        Some((cut, _)) => &e.text[..cut],
                        None => e.text,
                    };
                    (page, e.anchor.unwrap_or(""), e.heading, text)
                })
                .collect();
            to_json(&(pages_json, entries_json))
        })
        .collect();
    let mut all = xxhash_rust::xxh3::Xxh3::new();
    for chunk in &chunks {
        all.update(chunk.as_bytes());
    }
    let results = format!("{:016x}", all.digest())[..12].to_string();
    for (n, chunk) in chunks.into_iter().enumerate() {
        files.push((format!("results.{results}.{n}.json.gz"), chunk));
    }

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
        "variants": variants(&keys),
    });
    let mut outputs: Vec<Output> = files
        .into_par_iter()
        .map(|(name, body)| Output {
            path: dir.join(name),
            bytes: gzip(body.as_bytes()),
        })
        .collect();
    outputs.push(Output {
        path: PathBuf::from("search-index").join(format!("{lang}.json.gz")),
        bytes: gzip(manifest.to_string().as_bytes()),
    });
    outputs
}

fn finish_shard(shard: &mut String, files: &mut Vec<(String, String)>, kind: &str) -> String {
    shard.push(']');
    let body = std::mem::take(shard);
    let hash = content_hash(&body);
    files.push((format!("{kind}.{hash}.json.gz"), body));
    hash
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("index records are plain strings and numbers")
}

fn content_hash(body: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes()))[..12].to_string()
}

/// Deterministic gzip (no timestamp, "unknown" OS), so two builds of the same content are
/// byte-identical. One compressor per thread is reset between files: setting one up costs
/// more than compressing a 2 KB chunk.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    thread_local! {
        static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), false));
    }
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with(|deflate| {
        let mut deflate = deflate.borrow_mut();
        deflate.reset();
        loop {
            out.reserve(bytes.len() / 4 + 64);
            let consumed = deflate.total_in() as usize;
            let status = deflate
                .compress_vec(&bytes[consumed..], &mut out, FlushCompress::Finish)
                .expect("deflating memory does not fail");
            if status == Status::StreamEnd {
                break;
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
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
