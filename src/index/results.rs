//! Result chunks: what a result shows (page URL and title; the entry's anchor, heading and
//! text) for every entry, a few entries per chunk. The browser reads one
//! only for a result the term shards carry no card for: mostly a query of several words
//! whose best entries are none of its words' best on their own.

use super::Entry;
use super::encode::{json_number, json_string, push_anchor};
use crate::output::SearchPage;

/// Entries per chunk: each is one byte range of a pack, and the manifest lists every
/// member's length, so fewer, larger chunks keep the manifest small.
pub const CHUNK_ENTRIES: usize = 16;
const MAX_TEXT_CHARS: usize = 5000;

/// `[[pages: [url, title]…], [entries: [page, anchor, heading, text]…]]`, the anchor `0` where
/// the browser derives it from the heading ([`push_anchor`]).
pub fn chunk(pages: &[&SearchPage], chunk: &[Entry<'_>]) -> Vec<u8> {
    let mut page_refs: Vec<usize> = chunk.iter().map(|e| e.page).collect();
    page_refs.dedup();
    let mut out = Vec::with_capacity(chunk.iter().map(|e| e.text.len() + 64).sum());
    out.push(b'[');
    push_pages(&mut out, pages, &page_refs, None);
    out.extend_from_slice(b",[");
    for (i, entry) in chunk.iter().enumerate() {
        let page = page_refs.iter().position(|&p| p == entry.page).unwrap_or(0);
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        json_number(&mut out, page);
        out.push(b',');
        push_anchor(&mut out, entry);
        for text in [entry.heading, shown_text(entry)] {
            out.push(b',');
            json_string(&mut out, text);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]]");
    out
}

/// `[[url, title]…]` of the pages numbered `page_refs`, each followed by its
/// first entry and how many it has when `entry_ranges` (by page) are given.
pub fn push_pages(
    out: &mut Vec<u8>,
    pages: &[&SearchPage],
    page_refs: &[usize],
    entry_ranges: Option<&[(u32, u32)]>,
) {
    out.push(b'[');
    for (i, &p) in page_refs.iter().enumerate() {
        let page = pages[p];
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        json_string(out, &page.url);
        out.push(b',');
        json_string(out, &page.title);
        if let Some(ranges) = entry_ranges {
            let (first, count) = ranges[p];
            out.push(b',');
            json_number(out, first);
            out.push(b',');
            json_number(out, count);
        }
        out.push(b']');
    }
    out.push(b']');
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
