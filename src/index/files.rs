//! The index as files: its members (term shards, then result chunks) each gzip-compressed,
//! packed into a few files read by HTTP range, and the manifest that says where each is.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;
use serde_json::json;

use super::Entry;
use super::encode::{digit_string, push_digits};
use super::results::{CHUNK_ENTRIES, chunk};
use super::score::{KeyPostings, MAX_POSTINGS, SCALE};
use super::shards::{carded, shards};
use crate::diagnostic::Result;
use crate::output::{Output, SearchPage, Sink};
use crate::text::tokenize::fold_unspaced;

/// Bytes a pack grows to before the next member starts a new one. Small enough that a host
/// which ignores `Range` and sends the whole pack (Cloudflare Pages does) costs a phone on a
/// slow network a third of a second, not seconds; large enough that the 2000-page corpus
/// needs 200–400 packs a language where it had 3,300–4,800 files.
const PACK_BYTES: usize = 64 * 1024;
pub const FORMAT_VERSION: u32 = 7;
/// Shards compressed at a time, side by side: enough to keep every thread busy, few enough
/// that their raw text (16 KB each) stays small.
const GZIP_BATCH: usize = 64;

/// Hands every index file of one language to `sink`: the packs, then the manifest.
///
/// A pack (`<lang>/pack.<hash>.<n>.bin`, the hash of all the language's packs, so hosts may
/// cache them for good) is gzip members one after another, each a JSON document the browser
/// fetches alone with an HTTP `Range` request and unpacks. The members are, in order: the
/// term shards of runs of keys, the buckets of keys of scripts written without spaces, the
/// lengths of the result chunks, and the result chunks ([`CHUNK_ENTRIES`] entries each). The
/// manifest (`<lang>.json.gz`, the one fixed name) gives the packs' hash, how many members each
/// holds, the lengths of the shards, buckets and chunks' lengths, the first key of each run
/// ([`front_coded`]) and the number of buckets, so the browser picks a word's shard with no
/// other request.
pub fn write(
    lang: &str,
    pages: &[&SearchPage],
    entries: &[Entry<'_>],
    keys: Vec<KeyPostings>,
    sink: &Sink<'_>,
) -> Result<()> {
    let carded = carded(keys, pages, entries);
    let mut first_keys: Vec<&str> = Vec::new();
    let mut buckets = 0;
    let mut members: Vec<Vec<u8>> = Vec::new();
    let mut raw: Vec<Vec<u8>> = Vec::with_capacity(GZIP_BATCH);
    shards(&carded, pages, entries, &mut |first, body| {
        match first {
            Some(first) => first_keys.push(first),
            None => buckets += 1,
        }
        raw.push(body);
        if raw.len() == GZIP_BATCH {
            members.par_extend(raw.par_drain(..).map(|body| gzip_padded(&body)));
        }
    });
    members.par_extend(raw.par_drain(..).map(|body| gzip_padded(&body)));
    let chunks: Vec<Vec<u8>> = entries
        .par_chunks(CHUNK_ENTRIES)
        .map(|entries| gzip(&chunk(pages, entries)))
        .collect();
    // The chunks' lengths are a member of their own, read only when a result needs a chunk:
    // a query of one word seldom does, and the manifest every search fetches stays small.
    let chunk_lengths = digit_string(chunks.iter().map(Vec::len));
    members.push(gzip_padded(json!(chunk_lengths).to_string().as_bytes()));
    let lengths = digit_string(members.iter().map(|member| member.len() / LENGTH_UNIT));
    members.extend(chunks);

    let mut packs: Vec<(Vec<u8>, usize)> = Vec::new();
    for member in members {
        match packs.last_mut() {
            Some((pack, count)) if pack.len() + member.len() <= PACK_BYTES => {
                pack.extend_from_slice(&member);
                *count += 1;
            }
            _ => packs.push((member, 1)),
        }
    }
    // One hash of all the packs names them all: the manifest lists no hash per pack.
    let mut all = xxhash_rust::xxh3::Xxh3::new();
    for (bytes, _) in &packs {
        all.update(bytes);
    }
    let pack_members = digit_string(packs.iter().map(|(_, count)| *count));
    let hash = format!("{:016x}", all.digest())[..12].to_string();
    let dir = PathBuf::from(super::FOLDER).join(lang);
    packs
        .into_par_iter()
        .enumerate()
        .try_for_each(|(n, (bytes, _))| {
            sink(Output {
                path: dir.join(format!("pack.{hash}.{n}.bin")),
                bytes,
            })
        })?;

    let manifest = json!({
        "version": FORMAT_VERSION,
        "lang": lang,
        "prefix_every_word": !super::has_stemmer(lang),
        "entries": entries.len(),
        "chunk": CHUNK_ENTRIES,
        "scale": SCALE,
        "common": MAX_POSTINGS,
        "shards": front_coded(&first_keys),
        "buckets": buckets,
        "packs": hash,
        "pack_members": pack_members,
        "lengths": lengths,
        "length_unit": LENGTH_UNIT,
        "variants": variants(carded.keys()),
    });
    sink(Output {
        path: PathBuf::from(super::FOLDER).join(format!("{lang}.json.gz")),
        bytes: gzip_smallest(manifest.to_string().as_bytes()),
    })
}

/// The runs' first keys, each as how many UTF-16 code units (as JavaScript counts) it shares
/// with the one before, in [`push_digits`] digits, then the rest of it: sorted keys share
/// their openings, and the list is the largest part of the manifest every search fetches.
fn front_coded(keys: &[&str]) -> Vec<String> {
    let mut previous = "";
    keys.iter()
        .map(|&key| {
            let (units, at) = previous
                .chars()
                .zip(key.chars())
                .take_while(|(a, b)| a == b)
                .fold((0, 0), |(units, at), (c, _)| {
                    (units + c.len_utf16(), at + c.len_utf8())
                });
            let mut coded = Vec::with_capacity(key.len() - at + 1);
            push_digits(&mut coded, units as u32);
            coded.extend_from_slice(&key.as_bytes()[at..]);
            previous = key;
            String::from_utf8(coded).expect("digits and the rest of a key are UTF-8")
        })
        .collect()
}

/// The members the manifest gives the lengths of (the term shards and the chunks' lengths)
/// are padded to a multiple of this many bytes, so that it gives each length in these units:
/// a member of up to 32 KB takes two base-32 digits, not three, and the manifest every
/// search fetches is 0.6 KB smaller (1.2 KB in Chinese, with its 2,000 buckets) for about
/// 20 bytes more in the member a query fetches.
const LENGTH_UNIT: usize = 32;

/// Gzip by libdeflate, which compresses a whole buffer at once: for thousands of members of
/// a few KB it is several times quicker than a streaming zlib that is set up again for each.
/// Its header has no timestamp, so two builds of the same content are byte-identical. The
/// fastest level: about 3% larger files than the default level, in half the time.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    compressed(bytes, Framing::Gzip, <[u8]>::to_vec)
}

/// [`gzip`], padded to a multiple of [`LENGTH_UNIT`] bytes in the header's extra field
/// (RFC 1952, FEXTRA: one subfield `HD` of zero bytes), which every gzip reader skips.
fn gzip_padded(bytes: &[u8]) -> Vec<u8> {
    compressed(bytes, Framing::RawDeflate, |deflated| {
        // Header 10, extra field's length 2, subfield's id and length 4; trailer 8.
        const FRAME: usize = 10 + 2 + 4 + 8;
        let padding = (LENGTH_UNIT - (FRAME + deflated.len()) % LENGTH_UNIT) % LENGTH_UNIT;
        let mut member = Vec::with_capacity(FRAME + padding + deflated.len());
        // Magic, deflate, FEXTRA, no time, no extra flags, unknown system.
        member.extend_from_slice(&[0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 255]);
        member.extend_from_slice(&((4 + padding) as u16).to_le_bytes());
        member.extend_from_slice(b"HD");
        member.extend_from_slice(&(padding as u16).to_le_bytes());
        member.resize(member.len() + padding, 0);
        member.extend_from_slice(deflated);
        member.extend_from_slice(&libdeflater::crc32(bytes).to_le_bytes());
        member.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        member
    })
}

/// What [`compressed`] writes around the deflate stream.
enum Framing {
    Gzip,
    RawDeflate,
}

/// `bytes` compressed at level 1 in `framing`, handed to `finish`. One compressor per
/// thread, and one buffer of the worst case's size: zeroing a new one for every member cost
/// more than copying out what was written.
fn compressed<T>(bytes: &[u8], framing: Framing, finish: impl FnOnce(&[u8]) -> T) -> T {
    // Level 1, not `CompressionLvl::fastest()`: that is level 0, which stores without compressing.
    const LEVEL: CompressionLvl = match CompressionLvl::new(1) {
        Ok(level) => level,
        Err(_) => panic!("1 is a compression level"),
    };
    thread_local! {
        static COMPRESSOR: RefCell<(Compressor, Vec<u8>)> =
            RefCell::new((Compressor::new(LEVEL), Vec::new()));
    }
    COMPRESSOR.with(|cell| {
        let (compressor, scratch) = &mut *cell.borrow_mut();
        let bound = match framing {
            Framing::Gzip => compressor.gzip_compress_bound(bytes.len()),
            Framing::RawDeflate => compressor.deflate_compress_bound(bytes.len()),
        };
        if scratch.len() < bound {
            scratch.resize(bound, 0);
        }
        let written = match framing {
            Framing::Gzip => compressor.gzip_compress(bytes, scratch),
            Framing::RawDeflate => compressor.deflate_compress(bytes, scratch),
        }
        .expect("the output buffer has the bound's size");
        finish(&scratch[..written])
    })
}

/// Gzip at libdeflate's smallest, for the manifest: one small file a language, fetched by
/// every search (12% smaller than at [`gzip`]'s level).
fn gzip_smallest(bytes: &[u8]) -> Vec<u8> {
    let mut compressor = Compressor::new(CompressionLvl::best());
    let mut out = vec![0; compressor.gzip_compress_bound(bytes.len())];
    let written = compressor
        .gzip_compress(bytes, &mut out)
        .expect("the output buffer has the bound's size");
    out.truncate(written);
    out
}

/// Traditional characters whose Simplified form the index holds, as [`push_digits`] digits:
/// for each pair, in code point order, the Traditional character's distance from the one
/// before, then the Simplified one's from it ([`zigzag`]). The browser folds a Traditional
/// query with it. Characters whose Simplified form the index lacks cannot match anything, so
/// they are left out. Written as the characters themselves (six bytes of UTF-8 a pair) the
/// table was 4.7 KB of Chinese's 8.1 KB manifest, gzipped; as distances it is 2.8 KB.
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
    let mut previous = 0;
    let distances = ('\u{3400}'..='\u{9FFF}')
        .chain('\u{F900}'..='\u{FAFF}')
        .filter_map(|c| {
            let simplified = fold_unspaced(c);
            (simplified != c && indexed.contains(&simplified))
                .then(|| (u32::from(c), u32::from(simplified)))
        })
        .flat_map(|(c, simplified)| {
            let gap = c - std::mem::replace(&mut previous, c);
            [gap, zigzag(i64::from(simplified) - i64::from(c))].map(|n| n as usize)
        });
    digit_string(distances)
}

/// A signed distance as a number [`push_digits`] writes: 0, -1, 1, -2, 2… as 0, 1, 2, 3, 4…
/// (code points are below 2²¹, so every distance fits).
fn zigzag(distance: i64) -> u32 {
    let folded = if distance < 0 {
        -2 * distance - 1
    } else {
        2 * distance
    };
    u32::try_from(folded).expect("code points differ by less than 2^21")
}

#[cfg(test)]
mod tests {
    use super::super::encode::DIGITS;
    use super::*;

    /// As the browser's `firstKeys` reads them.
    fn read_front_coded(coded: &[String]) -> Vec<String> {
        let mut previous: Vec<u16> = Vec::new();
        coded
            .iter()
            .map(|key| {
                let end = key.find(|c: char| ('A'..='f').contains(&c)).unwrap() + 1;
                let shared = key[..end].bytes().fold(0, |n, b| {
                    let digit = DIGITS.iter().position(|&d| d == b).unwrap();
                    n * 32 + (digit & 31)
                });
                previous.truncate(shared);
                previous.extend(key[end..].encode_utf16());
                String::from_utf16(&previous).unwrap()
            })
            .collect()
    }

    #[test]
    fn distances_are_zigzag_coded() {
        let coded: Vec<u32> = [0, -1, 1, -2, 2, -403, 0x10FFFF]
            .into_iter()
            .map(zigzag)
            .collect();
        assert_eq!(coded, [0, 1, 2, 3, 4, 805, 0x21FFFE]);
    }

    #[test]
    fn padded_members_are_gzip_of_a_whole_number_of_units() {
        use std::io::Read;
        for text in ["", "a", &"shard text ".repeat(500)] {
            let member = gzip_padded(text.as_bytes());
            assert_eq!(member.len() % LENGTH_UNIT, 0, "{} bytes", member.len());
            let mut read = String::new();
            flate2::read::GzDecoder::new(member.as_slice())
                .read_to_string(&mut read)
                .unwrap();
            assert_eq!(read, text);
        }
    }

    #[test]
    fn first_keys_are_front_coded_in_utf16_code_units() {
        let keys = [
            "0",
            "05",
            "095",
            "ab",
            "abs",
            "ž",
            "žu",
            "\u{20000}a",
            "\u{20000}b",
        ];
        let coded = front_coded(&keys);
        assert_eq!(coded[..4], ["A0", "B5", "B95", "Aab"]);
        assert_eq!(
            coded[8], "Cb",
            "a character beyond the BMP is two code units"
        );
        assert_eq!(read_front_coded(&coded), keys);
    }
}
