//! The encodings every index file uses: JSON strings written without a serializer, numbers
//! as base-32 digits that need no separator, and anchors the browser can derive left out.

use super::Entry;

/// The characters of [`push_digits`]: URL-safe, never escaped in JSON.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `n` in base 32, most significant digit first, each digit but the last one 32
/// higher (one character of [`DIGITS`] each): numbers follow each other with no separator,
/// and a posting takes 3–4 characters where decimal JSON took 7–8, so there is half as much
/// to compress. The browser's `numbers` reads them back.
pub fn push_digits(out: &mut Vec<u8>, n: u32) {
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

/// `numbers` as one string of [`push_digits`] digits: how the manifest lists lengths and
/// counts.
pub fn digit_string(numbers: impl IntoIterator<Item = usize>) -> String {
    let mut out = Vec::new();
    for n in numbers {
        push_digits(&mut out, n as u32);
    }
    String::from_utf8(out).expect("digits are ASCII")
}

/// `text` as a JSON string, escaped as serde_json escapes it (control characters, `"` and
/// `\`). Most text has none of them: one pass that compiles to vector instructions finds
/// that out, and the text is copied as it is.
pub fn json_string(out: &mut Vec<u8>, text: &str) {
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

/// Appends an entry's anchor, or `0` where the browser derives the same anchor from the
/// heading ([`derives_anchor`]; search.js, `anchorOf`): most anchors are their heading's
/// slug, and written out they were a sixth of a term shard's entries table, repeated in
/// every shard naming the entry.
pub fn push_anchor(out: &mut Vec<u8>, entry: &Entry<'_>) {
    if entry.anchor_derived {
        out.push(b'0');
    } else {
        json_string(out, entry.anchor.unwrap_or(""));
    }
}

/// Whether the browser derives `anchor` from `heading` as headings get their ids: letters,
/// digits and `_` lowercased, runs of spaces and hyphens one hyphen, none at the end,
/// `section` for nothing. Only for headings of characters in the ranges both compute alike
/// (ASCII, the Latin letters of U+00C0–U+024F, CJK punctuation and the ideographs of
/// Unicode 1.1, full-width forms), which need no normalization either; any other anchor (a
/// numbered duplicate, a script whose Unicode data may differ between browsers) is written
/// out. Compared as it is derived, with no string built.
pub fn derives_anchor(anchor: Option<&str>, heading: &str) -> bool {
    let Some(anchor) = anchor else {
        return false;
    };
    let alike = |c: char| {
        matches!(c, '\t' | ' '..='~' | '\u{C0}'..='\u{24F}' | '\u{3000}'..='\u{303F}'
            | '\u{4E00}'..='\u{9FA5}' | '\u{FF01}'..='\u{FF5E}')
    };
    let mut expected = anchor.chars();
    let mut derived_any = false;
    let mut hyphen_due = false;
    for c in heading.chars() {
        if !alike(c) {
            return false;
        }
        if c.is_alphanumeric() || c == '_' {
            // A hyphen is written only once something follows it: none at the end.
            if std::mem::take(&mut hyphen_due) && expected.next() != Some('-') {
                return false;
            }
            if !c.to_lowercase().all(|lower| expected.next() == Some(lower)) {
                return false;
            }
            derived_any = true;
        } else if (c.is_whitespace() || c == '-') && derived_any {
            hyphen_due = true;
        }
    }
    if derived_any {
        expected.next().is_none()
    } else {
        anchor == "section"
    }
}

/// A JSON number.
pub fn json_number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
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
    fn digits_read_back_from_zero_to_the_largest_number() {
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

    #[test]
    fn anchors_the_browser_derives_from_the_heading_are_left_out() {
        let written = |anchor: Option<&str>, heading: &str| {
            let entry = Entry {
                page: 0,
                anchor,
                anchor_derived: derives_anchor(anchor, heading),
                heading,
                text: "",
            };
            let mut out = Vec::new();
            push_anchor(&mut out, &entry);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            written(Some("your-return-window"), "Your return window"),
            "0"
        );
        assert_eq!(
            written(Some("grąžinimo-terminas"), "Grąžinimo terminas"),
            "0"
        );
        assert_eq!(written(Some("cest-la-vie"), "C'est la vie"), "0");
        assert_eq!(written(Some("退货-政策"), "退货 政策"), "0");
        assert_eq!(written(Some("section"), "?!"), "0");
        assert_eq!(written(Some("c-rust"), "-- C++ & Rust --"), "0");
        assert_eq!(
            written(Some("i\u{307}ade"), "İade"),
            "0",
            "İ lowercases to two characters"
        );
        for (anchor, heading) in [("hello-world-", "Hello world"), ("hello", "Hello world")] {
            assert_eq!(written(Some(anchor), heading), format!("\"{anchor}\""));
        }
        assert_eq!(
            written(Some("your-return-window-1"), "Your return window"),
            "\"your-return-window-1\"",
            "a numbered duplicate is written out"
        );
        assert_eq!(
            written(Some("доставка"), "Доставка"),
            "\"доставка\"",
            "Cyrillic is left to no browser's Unicode tables"
        );
        assert_eq!(written(None, ""), "\"\"", "no anchor: the page's top");
    }
}
