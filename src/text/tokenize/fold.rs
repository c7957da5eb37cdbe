//! Step 4 of tokenizing, folding: compatibility decomposition, lower case, combining marks
//! dropped, the letters that do not decompose (ł ø đ ß…) spelled out, Traditional Chinese
//! characters mapped to Simplified. The browser folds the same way.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::is_unspaced;

/// Folds one spaced word: `Grąžinimas` → `grazinimas`, `Wysyłka` → `wysylka`.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

pub(super) fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // Most words of most shops: nothing to decompose, nothing to spell out, and most of
        // them nothing to drop either, so copied whole and lowered in place.
        if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(
                word.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        }
        return;
    }
    for c in word.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if let Some(folded) = latin_folded(c) {
            out.push_str(folded);
        } else if is_unspaced(c) {
            out.push(fold_unspaced(c));
        } else {
            fold_char(c, out);
        }
    }
}

/// The Latin letters of most European languages (U+00C0–U+024F), folded once: the general
/// path decomposes a character at a time, which costs more than the rest of indexing.
fn latin_folded(c: char) -> Option<&'static str> {
    const FIRST: u32 = 0xC0;
    const LAST: u32 = 0x24F;
    static TABLE: OnceLock<Vec<String>> = OnceLock::new();
    let code = c as u32;
    if !(FIRST..=LAST).contains(&code) {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (FIRST..=LAST)
            .map(|code| {
                let mut folded = String::new();
                if let Some(c) = char::from_u32(code) {
                    fold_char(c, &mut folded);
                }
                folded
            })
            .collect()
    });
    Some(&table[(code - FIRST) as usize])
}

fn fold_char(c: char, out: &mut String) {
    for decomposed in std::iter::once(c).nfkd() {
        for lower in decomposed.to_lowercase() {
            if is_combining_mark(lower) {
                continue;
            }
            match spelled_out(lower) {
                Some(s) => out.push_str(s),
                None if lower.is_alphanumeric() => out.push(lower),
                None => {}
            }
        }
    }
}

/// Letters that compatibility decomposition leaves whole, and the spelling a buyer types
/// instead. The browser holds the same table.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'æ' => "ae",
        'œ' => "oe",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        'ŀ' => "l",
        'ĸ' => "k",
        'ſ' => "s",
        'ς' => "σ",
        _ => return None,
    })
}

/// Traditional Chinese characters map to Simplified, so either finds the other.
pub fn fold_unspaced(c: char) -> char {
    static SIMPLIFIED: OnceLock<Vec<char>> = OnceLock::new();
    let index = match c {
        '\u{3400}'..='\u{9FFF}' => c as usize - 0x3400,
        '\u{F900}'..='\u{FAFF}' => c as usize - 0xF900 + (0x9FFF - 0x3400 + 1),
        _ => return c,
    };
    // Worked out once for all 27,000 characters: per character, the converter allocates.
    let table = SIMPLIFIED.get_or_init(|| {
        ('\u{3400}'..='\u{9FFF}')
            .chain('\u{F900}'..='\u{FAFF}')
            .map(|c| {
                let mut buf = [0; 4];
                let simplified = simplet2s::convert(c.encode_utf8(&mut buf));
                let mut chars = simplified.chars();
                match (chars.next(), chars.next()) {
                    (Some(s), None) => s,
                    _ => c,
                }
            })
            .collect()
    });
    table[index]
}
