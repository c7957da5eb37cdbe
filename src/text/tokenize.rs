//! Text to search terms, the same way at build time and in the browser.
//!
//! `themes/default/static/search.js` mirrors this file line for line in spirit: the
//! conformance test (`tests/search_tokens.rs`) runs both on the same multilingual strings and
//! compares the terms. Stemming is *not* mirrored: the index records which surface forms each
//! stem stands for, so the browser only ever looks words up.
//!
//! The steps:
//! 1. Unicode word segmentation (UAX #29; `Intl.Segmenter` in the browser), keeping segments
//!    with a letter or digit.
//! 2. Inside a segment, punctuation splits (`e.g` → `e`, `g`) and apostrophes vanish
//!    (`don't` → `dont`), so the two segmenters' small disagreements about `.` and `:` inside
//!    words never reach the index.
//! 3. Scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar) become
//!    runs across segment boundaries, indexed as single characters and character pairs; a
//!    query uses the pairs (or the single character), so `退货政策` finds text in any
//!    segmentation.
//! 4. Folding: compatibility decomposition, lower case, combining marks dropped, the letters
//!    that do not decompose (ł ø đ ß…) spelled out, Traditional Chinese characters mapped to
//!    Simplified (`tokenize/fold.rs`).
//!
//! The unit tests are in `tokenize/tests.rs`.

mod fold;

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use fold::fold_into;
pub use fold::{fold, fold_unspaced};

/// A term and where it came from in the text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
    /// Part of a run of a script written without spaces.
    pub unspaced: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Unspaced runs give every character and every pair.
    Index,
    /// Unspaced runs give their pairs, or the character when the run has only one.
    Query,
}

pub fn tokenize(text: &str, mode: Mode) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_term(text, mode, &mut |term, start, end, unspaced| {
        tokens.push(Token {
            term: term.to_string(),
            start,
            end,
            unspaced,
        });
    });
    tokens
}

/// Receives each term as it is found: (term, start, end, unspaced). The term is borrowed,
/// so indexing millions of words allocates nothing per word.
pub type Emit<'a> = dyn FnMut(&str, usize, usize, bool) + 'a;

/// [`tokenize`], handing each term to `emit` instead of collecting them.
///
/// Words never span white space, so each stretch between spaces (a chunk) is segmented on
/// its own, and a run of unspaced script ends there too.
pub fn for_each_term(text: &str, mode: Mode, emit: &mut Emit<'_>) {
    let mut run = Run::new(mode);
    let mut folded = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        let chunk_start = at;
        let ascii;
        (at, ascii) = chunk_end(bytes, chunk_start);
        run.flush(emit);
        let chunk = &text[chunk_start..at];
        if ascii {
            ascii_words(chunk, chunk_start, &mut folded, emit);
        } else {
            chunk_words(chunk, chunk_start, &mut run, &mut folded, emit);
        }
    }
    run.flush(emit);
}

/// A byte in each of a `u64`'s eight bytes, and the high bit of each.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Up to eight bytes as one number, the first in the lowest byte and zeros after the last.
fn eight_bytes(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Where the chunk starting at `start` ends (at the next ASCII white space, or the end of
/// the text), and whether it is all ASCII: most chunks are, and take the quickest path.
///
/// Eight bytes at a time: a byte-by-byte loop mispredicts its exit at the end of every
/// word, and that was most of the cost of splitting an English text.
fn chunk_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut at = start;
    let mut seen = 0u64;
    while let Some(eight) = bytes.get(at..at + 8) {
        let x = eight_bytes(eight);
        // The high bit of each byte below 0x21, where all white space is. A borrow can mark
        // a byte above a marked one, never one below, so the lowest mark is exact.
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGH_BITS;
        if low == 0 {
            seen |= x;
            at += 8;
            continue;
        }
        let first = (low.trailing_zeros() / 8) as usize;
        seen |= x & ((1u64 << (8 * first)) - 1);
        if bytes[at + first].is_ascii_whitespace() {
            return (at + first, seen & HIGH_BITS == 0);
        }
        // A control character inside the chunk.
        at += first + 1;
    }
    while let Some(&b) = bytes.get(at).filter(|b| !b.is_ascii_whitespace()) {
        seen |= u64::from(b);
        at += 1;
    }
    (at, seen & HIGH_BITS == 0)
}

/// Whether an ASCII chunk is one word already folded (lower-case letters and digits only),
/// which most chunks of English are: it is its own term. Eight bytes at a time, as
/// [`chunk_end`].
fn is_plain_word(chunk: &[u8]) -> bool {
    // For bytes below 0x80: the high bit of each one from `low` to `high`.
    let within = |x: u64, low: u8, high: u8| {
        let at_least_low = x + ONES * u64::from(0x80 - low);
        let above_high = x + ONES * u64::from(0x7F - high);
        at_least_low & !above_high & HIGH_BITS
    };
    chunk.chunks(8).all(|eight| {
        let x = eight_bytes(eight);
        let plain = within(x, b'a', b'z') | within(x, b'0', b'9');
        let present = HIGH_BITS >> (8 * (8 - eight.len()));
        plain == present
    })
}

/// A stretch of ASCII and Latin letters by the quick rules of `latin_words`, one of Chinese
/// by those of `han_words`, anything else by UAX #29.
fn chunk_words(
    chunk: &str,
    chunk_start: usize,
    run: &mut Run,
    folded: &mut String,
    emit: &mut Emit<'_>,
) {
    if !latin_words(chunk, chunk_start, folded, emit)
        && !han_words(chunk, chunk_start, run, folded, emit)
    {
        uax29_words(chunk, chunk_start, run, folded, emit);
    }
}

/// The run of unspaced characters being collected (with their offsets), and where it ends.
struct Run {
    chars: Vec<(usize, char)>,
    end: usize,
    mode: Mode,
    /// The pair being emitted, built in place rather than checked as UTF-8 each time.
    pair: String,
}

impl Run {
    fn new(mode: Mode) -> Run {
        Run {
            chars: Vec::new(),
            end: 0,
            mode,
            pair: String::new(),
        }
    }

    /// Adds a piece of unspaced script, ending the run first unless the piece continues it.
    fn push(&mut self, piece: &str, piece_start: usize, emit: &mut Emit<'_>) {
        if !self.chars.is_empty() && self.end != piece_start {
            self.flush(emit);
        }
        self.chars
            .extend(piece.char_indices().map(|(i, c)| (piece_start + i, c)));
        self.end = piece_start + piece.len();
    }

    /// Emits the run's characters and pairs (see [`Mode`]) and empties it.
    #[inline]
    fn flush(&mut self, emit: &mut Emit<'_>) {
        if !self.chars.is_empty() {
            self.emit_and_clear(emit);
        }
    }

    fn emit_and_clear(&mut self, emit: &mut Emit<'_>) {
        let singles = self.mode == Mode::Index || self.chars.len() == 1;
        let mut folded = self
            .chars
            .iter()
            .map(|&(at, c)| (at, at + c.len_utf8(), fold_unspaced(c)))
            .peekable();
        let mut buf = [0; 4];
        while let Some((start, end, c)) = folded.next() {
            if singles {
                emit(c.encode_utf8(&mut buf), start, end, true);
            }
            if let Some(&(_, next_end, next)) = folded.peek() {
                self.pair.clear();
                self.pair.push(c);
                self.pair.push(next);
                emit(&self.pair, start, next_end, true);
            }
        }
        self.chars.clear();
    }
}

/// The general path: UAX #29 word segments, split into [`pieces`].
fn uax29_words(
    chunk: &str,
    chunk_start: usize,
    run: &mut Run,
    folded: &mut String,
    emit: &mut Emit<'_>,
) {
    for (start, segment) in chunk.unicode_word_indices() {
        let start = chunk_start + start;
        for (offset, piece, unspaced) in pieces(segment) {
            let piece_start = start + offset;
            if unspaced {
                run.push(piece, piece_start, emit);
                continue;
            }
            run.flush(emit);
            emit_word(piece, piece_start, folded, emit);
        }
    }
}

/// What [`han_words`] knows of a character.
#[derive(Clone, Copy, PartialEq)]
enum Han {
    Ideograph,
    Punctuation,
    Latin,
}

/// UAX #29 followed by [`pieces`], for Chinese text with Latin words and CJK punctuation
/// (most of a Chinese page). Ideographs have no word-break property, so UAX #29 cuts on
/// both sides of each: a stretch of them is one run, punctuation ends it, and a Latin stretch
/// between them segments as [`latin_words`] segments it. Per character, UAX #29 and
/// [`pieces`] cost more than the rest of indexing a Chinese page. `false` if the chunk has
/// anything else (kana, Hangul, combining marks…), which the general path handles.
fn han_words(
    chunk: &str,
    chunk_start: usize,
    run: &mut Run,
    folded: &mut String,
    emit: &mut Emit<'_>,
) -> bool {
    let class = |c: char| {
        if latin_class(c).is_some() {
            Some(Han::Latin)
        } else if is_han(c) {
            Some(Han::Ideograph)
        } else if is_cjk_punctuation(c) {
            Some(Han::Punctuation)
        } else {
            None
        }
    };
    if !chunk.chars().all(|c| class(c).is_some()) {
        return false;
    }
    let mut stretches = chunk.char_indices().peekable();
    while let Some((from, c)) = stretches.next() {
        let kind = class(c);
        let mut to = from + c.len_utf8();
        while let Some(&(at, next)) = stretches.peek() {
            if class(next) != kind {
                break;
            }
            to = at + next.len_utf8();
            stretches.next();
        }
        let stretch = &chunk[from..to];
        match kind {
            Some(Han::Ideograph) => run.push(stretch, chunk_start + from, emit),
            Some(Han::Latin) => {
                run.flush(emit);
                latin_words(stretch, chunk_start + from, folded, emit);
            }
            _ => run.flush(emit),
        }
    }
    true
}

/// Ideographs: the Han blocks of [`is_unspaced`], less their unassigned code points, which
/// UAX #29 does not count as word characters. The main block has none since Unicode 14, so
/// most of a Chinese text needs no table lookup.
fn is_han(c: char) -> bool {
    match c {
        '\u{4E00}'..='\u{9FFF}' => true,
        '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' => {
            c.is_alphabetic()
        }
        _ => false,
    }
}

/// CJK and fullwidth punctuation (、。「」，：！…): neither word characters nor marks, so
/// UAX #29 may join Latin letters or digits across some of them, but [`pieces`] splits there.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}')
        && !c.is_alphanumeric()
        && !is_combining_mark(c)
}

fn emit_word(piece: &str, start: usize, folded: &mut String, emit: &mut Emit<'_>) {
    folded.clear();
    fold_into(piece, folded);
    if !folded.is_empty() {
        emit(folded, start, start + piece.len(), false);
    }
}

/// What [`latin_words`] knows of a character: `None` for one it leaves to UAX #29.
#[derive(Clone, Copy, PartialEq)]
enum Latin {
    Letter,
    Digit,
    Apostrophe,
    Other,
}

fn latin_class(c: char) -> Option<Latin> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Latin::Letter,
        '0'..='9' => Latin::Digit,
        '\'' | '\u{2019}' => Latin::Apostrophe,
        '×' | '÷' => return None,
        '\u{C0}'..='\u{24F}' => Latin::Letter,
        _ if c.is_ascii() => Latin::Other,
        _ => return None,
    })
}

/// UAX #29 followed by [`pieces`], for text of ASCII and Latin letters (the common case):
/// runs of letters and digits, joined by an apostrophe only between two letters or two
/// digits (`don't`, not `a'1` or `x''y`). `false` if the chunk has anything else.
fn latin_words(chunk: &str, chunk_start: usize, folded: &mut String, emit: &mut Emit<'_>) -> bool {
    if chunk.is_ascii() {
        ascii_words(chunk, chunk_start, folded, emit);
        return true;
    }
    if !chunk.chars().all(|c| latin_class(c).is_some()) {
        return false;
    }
    let classes = chunk
        .char_indices()
        .map(|(at, c)| (at, latin_class(c).unwrap_or(Latin::Other)));
    split_latin(chunk, chunk_start, classes, folded, emit);
    true
}

/// [`split_latin`] for a chunk of ASCII (most chunks of most shops). A chunk that is one
/// plain word is its own term; any other takes one pass over its bytes, in which a word in
/// lower case is handed on as a slice of the text, so only a word with a capital or a joining
/// apostrophe (`Don't` → `dont`) is copied.
// Inlined: it is called for most chunks, and most return at the plain-word test.
#[inline]
fn ascii_words(chunk: &str, chunk_start: usize, folded: &mut String, emit: &mut Emit<'_>) {
    let bytes = chunk.as_bytes();
    if is_plain_word(bytes) {
        emit(chunk, chunk_start, chunk_start + chunk.len(), false);
        return;
    }
    let class = |at: usize| match bytes.get(at) {
        Some(b) if b.is_ascii_alphabetic() => Latin::Letter,
        Some(b) if b.is_ascii_digit() => Latin::Digit,
        _ => Latin::Other,
    };
    let mut word = AsciiWord::default();
    for (at, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            word.start.get_or_insert(at);
            word.upper |= b.is_ascii_uppercase();
            continue;
        }
        if word.start.is_some() {
            if b == b'\'' && class(at + 1) == class(at - 1) {
                word.joined = true;
                continue;
            }
            word.emit(chunk, at, chunk_start, folded, emit);
        }
    }
    word.emit(chunk, bytes.len(), chunk_start, folded, emit);
}

/// The word [`ascii_words`] is in, if any.
#[derive(Default)]
struct AsciiWord {
    start: Option<usize>,
    /// It has a capital letter.
    upper: bool,
    /// An apostrophe joins two of its parts.
    joined: bool,
}

impl AsciiWord {
    /// Emits the word, which ends at `end` of `chunk`, folded, and starts looking for the next.
    fn emit(
        &mut self,
        chunk: &str,
        end: usize,
        chunk_start: usize,
        folded: &mut String,
        emit: &mut Emit<'_>,
    ) {
        let Some(from) = self.start else {
            return;
        };
        let word = &chunk[from..end];
        let (start, end) = (chunk_start + from, chunk_start + end);
        if self.upper || self.joined {
            folded.clear();
            folded.extend(
                word.bytes()
                    .filter(|&b| b != b'\'')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            emit(folded, start, end, false);
        } else {
            emit(word, start, end, false);
        }
        *self = AsciiWord::default();
    }
}

/// The words of a chunk [`latin_words`] takes, given the class of each of its characters.
fn split_latin(
    chunk: &str,
    chunk_start: usize,
    classes: impl Iterator<Item = (usize, Latin)>,
    folded: &mut String,
    emit: &mut Emit<'_>,
) {
    let mut classes = classes.peekable();
    let mut start: Option<usize> = None;
    let mut before = Latin::Other;
    while let Some((at, class)) = classes.next() {
        let joins = class == Latin::Apostrophe
            && start.is_some()
            && matches!(before, Latin::Letter | Latin::Digit)
            && classes.peek().is_some_and(|&(_, next)| next == before);
        if matches!(class, Latin::Letter | Latin::Digit) || joins {
            start.get_or_insert(at);
        } else if let Some(from) = start.take() {
            emit_word(&chunk[from..at], chunk_start + from, folded, emit);
        }
        before = class;
    }
    if let Some(from) = start {
        emit_word(&chunk[from..], chunk_start + from, folded, emit);
    }
}

/// Splits a word segment into spaced and unspaced pieces, dropping punctuation inside it.
/// Yields (byte offset in the segment, piece, unspaced).
fn pieces(segment: &str) -> Vec<(usize, &str, bool)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, bool)> = None;
    let mut end = 0;
    for (i, c) in segment.char_indices() {
        let class = if is_unspaced(c) {
            Some(true)
        } else if is_word_char(c) || is_apostrophe(c) {
            Some(false)
        } else {
            None
        };
        match (current, class) {
            (Some((_, was)), Some(now)) if was == now => {}
            (_, class) => {
                if let Some((from, unspaced)) = current.take() {
                    out.push((from, &segment[from..end], unspaced));
                }
                current = class.map(|unspaced| (i, unspaced));
            }
        }
        end = i + c.len_utf8();
    }
    if let Some((from, unspaced)) = current {
        out.push((from, &segment[from..end], unspaced));
    }
    out
}

/// The longest start of `text` of at most `bytes` bytes that ends between characters: the part
/// of a long text read when its opening stands for all of it.
pub fn opening(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Scripts written without spaces between words. The browser holds the same ranges.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1100}'..='\u{11FF}' // Hangul Jamo
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3130}'..='\u{318F}' // Hangul compatibility Jamo
        | '\u{31F0}'..='\u{31FF}' // Katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // halfwidth Katakana
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B–F and supplements
    )
}

#[cfg(test)]
mod tests;
