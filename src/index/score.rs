//! BM25 over the weighted term counts of each entry, stored as one small number per posting.

use std::collections::{BTreeSet, HashMap};

use super::EntryTerms;

/// Scores are stored as `round(score × SCALE)`, 1–255.
pub const SCALE: f32 = 10.0;
/// A key found in more entries than this keeps only its best-scoring postings: a word that
/// common ("the", "and") says little, and its full list would make every query that
/// contains it fetch a large shard. The browser leaves such keys out of the "all words
/// matched" count.
pub const MAX_POSTINGS: usize = 500;
const K1: f32 = 1.2;
const B: f32 = 0.75;

pub struct KeyPostings {
    pub key: String,
    /// Folded surface forms that index under this key, when they differ from it.
    pub forms: Vec<String>,
    /// Entries containing the key, before capping.
    pub df: usize,
    /// (entry, score × 2 + 1 if the entry's heading or title names the key), by entry.
    pub postings: Vec<(u32, u16)>,
}

/// A key's surface forms, and (entry, BM25 score before idf) for each entry holding it.
type Gathered<'a> = (BTreeSet<&'a str>, Vec<(u32, f32, bool)>);

/// Postings of every key, keys in UTF-16 order (the order JavaScript compares strings in).
pub fn postings(terms: &[EntryTerms]) -> Vec<KeyPostings> {
    let entries = terms.len() as f32;
    let average_length = terms.iter().map(|t| t.length).sum::<f32>() / entries.max(1.0);
    let mut by_key: HashMap<&str, Gathered<'_>> = HashMap::new();
    for (entry, t) in terms.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * t.length / average_length.max(1.0));
        for (key, weight) in &t.keys {
            let tf = weight.count;
            by_key.entry(key).or_default().1.push((
                entry as u32,
                tf * (K1 + 1.0) / (tf + norm),
                weight.named,
            ));
        }
        for (key, form) in &t.forms {
            by_key.entry(key).or_default().0.insert(form);
        }
    }
    let mut keys: Vec<KeyPostings> = by_key
        .into_iter()
        .map(|(key, (forms, mut list))| {
            let df = list.len();
            let idf = (1.0 + (entries - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
            if df > MAX_POSTINGS {
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                list.truncate(MAX_POSTINGS);
            }
            list.sort_by_key(|p| p.0);
            KeyPostings {
                key: key.to_string(),
                forms: forms.into_iter().map(str::to_string).collect(),
                df,
                postings: list
                    .into_iter()
                    .map(|(entry, s, named)| {
                        let score = (s * idf * SCALE).round().clamp(1.0, 255.0) as u16;
                        (entry, score * 2 + u16::from(named))
                    })
                    .collect(),
            }
        })
        .collect();
    keys.sort_by(|a, b| a.key.encode_utf16().cmp(b.key.encode_utf16()));
    keys
}
