//! `source_segments` in a translation's front matter: for each of the translation's segments,
//! the hash of the source segment it was made from, `~`-prefixed for a machine draft and
//! `-`-prefixed for text still the source's. What the entries mean to a translator is
//! `crate::translations::alignment`'s; here they are read, so that `resolve` can leave out a
//! translation that is not yet one.

/// One entry of `source_segments`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub hash: String,
    pub state: RecordedState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedState {
    Translated,
    Machine,
    Untranslated,
}

impl Recorded {
    pub fn new(hash: &str, state: RecordedState) -> Recorded {
        Recorded {
            hash: hash.to_string(),
            state,
        }
    }
}

/// `"3fa9c2d1 ~77aa01c3 -12ab34cd"` read; `None` for a word that is not an entry.
pub fn parse_recorded(text: &str) -> Option<Vec<Recorded>> {
    text.split_whitespace()
        .map(|word| {
            let (state, hash) = match word.as_bytes().first()? {
                b'~' => (RecordedState::Machine, &word[1..]),
                b'-' => (RecordedState::Untranslated, &word[1..]),
                _ => (RecordedState::Translated, word),
            };
            hash.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| Recorded::new(hash, state))
        })
        .collect()
}

pub fn write_recorded(entries: &[Recorded]) -> String {
    entries
        .iter()
        .map(|e| {
            let prefix = match e.state {
                RecordedState::Translated => "",
                RecordedState::Machine => "~",
                RecordedState::Untranslated => "-",
            };
            format!("{prefix}{}", e.hash)
        })
        .collect::<Vec<_>>()
        .join(" ")
}
