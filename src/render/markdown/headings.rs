//! Headings: each heading's anchor, unique on the page and never one the theme uses, and the
//! table of contents of its `## ` and `### ` headings.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Tag};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The headings of a page as its events are read.
pub struct Headings {
    taken: HeadingIds,
    /// The open heading's start event, by its index among the events written.
    open: Option<usize>,
    /// The open heading's text.
    text: String,
    pub ids: Vec<String>,
    pub toc: Vec<TocEntry>,
}

impl Headings {
    pub fn reserving(reserved_ids: &[&str]) -> Self {
        Headings {
            taken: HeadingIds::reserving(reserved_ids),
            open: None,
            text: String::new(),
            ids: Vec::new(),
            toc: Vec::new(),
        }
    }

    /// A heading starts at the event that will be written at `at`.
    pub fn start(&mut self, at: usize) {
        self.open = Some(at);
        self.text.clear();
    }

    /// Whether text read now belongs to a heading.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub fn text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Ends the open heading: its start event in `events` gets its id (the one written with
    /// `{#id}`, else one made from its text; the first free variant of either). Gives the id
    /// and the heading's text.
    pub fn end(&mut self, level: HeadingLevel, events: &mut [Event<'_>]) -> Option<(&str, &str)> {
        let start = self.open.take()?;
        let Event::Start(Tag::Heading { id, .. }) = &mut events[start] else {
            return None;
        };
        let wanted = id
            .as_ref()
            .map_or_else(|| anchor_id(&self.text), |i| i.to_string());
        let unique = self.taken.unique(wanted);
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.toc.push(TocEntry {
                level: level as u8,
                id: unique.clone(),
                title: self.text.trim().to_string(),
            });
        }
        *id = Some(unique.clone().into());
        self.ids.push(unique);
        Some((self.ids.last()?, &self.text))
    }
}

/// A heading's anchor: lowercase letters and digits of any script, `-` between words.
pub fn anchor_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    // Composition leaves ASCII, the text of most headings, as it is.
    if text.is_ascii() {
        push_anchor_chars(&mut id, text.chars());
    } else {
        push_anchor_chars(&mut id, text.nfc());
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn push_anchor_chars(id: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_alphanumeric() || c == '_' || (!c.is_ascii() && is_combining_mark(c)) {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
}

/// The ids a page's headings have taken: a heading whose id is taken gets the first free one
/// of `id-1`, `id-2`… Each wanted id remembers the last number it tried, since a taken id is
/// never freed: a page of N headings of the same title takes N steps, not N²/2.
struct HeadingIds {
    taken: HashSet<String>,
    last_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    fn reserving(reserved: &[&str]) -> Self {
        HeadingIds {
            taken: reserved.iter().map(|id| id.to_string()).collect(),
            last_suffix: HashMap::new(),
        }
    }

    fn unique(&mut self, wanted: String) -> String {
        if !self.taken.contains(&wanted) {
            self.taken.insert(wanted.clone());
            return wanted;
        }
        let n = self.last_suffix.entry(wanted.clone()).or_insert(0);
        loop {
            *n += 1;
            let id = format!("{wanted}-{n}");
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_for_any_script() {
        assert_eq!(anchor_id("Where is my order?"), "where-is-my-order");
        assert_eq!(
            anchor_id("Kur yra mano užsakymas?"),
            "kur-yra-mano-užsakymas"
        );
        assert_eq!(anchor_id("我的訂單在哪裡？"), "我的訂單在哪裡");
        assert_eq!(anchor_id("?!"), "section");
    }
}
