//! Which segment of a translation renders which segment of its source, and how each stands.
//!
//! A translation written by `translations import` (or marked with `--mark`) records, in
//! `source_segments`, one entry per segment of its own: the hash of the source segment it was
//! made from, prefixed `~` for a machine draft and `-` for text still the source's. A source
//! segment whose hash a translation records is current however the page moved around it; one
//! whose hash it does not is outdated (paired with the stale segment of the same kind in its
//! place) or, with nothing in its place, missing. A translation made by hand records nothing:
//! its segments pair with the source's in order, kind by kind, and are as current as the page.

use std::borrow::Borrow;

use super::segments::{Kind, Segment};
pub use crate::load::source_segments::{Recorded, RecordedState, parse_recorded, write_recorded};

/// How a translation holds one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStatus {
    /// Nothing in the translation stands for it.
    Missing,
    /// Still the source's text.
    Untranslated,
    /// Written by the configured machine translation, not yet reviewed.
    MachineDraft,
    /// Translated from an earlier version of the source segment.
    Outdated,
    Current,
}

/// A source segment and what stands for it in the translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Index into the translation's segments.
    pub translation: Option<usize>,
    pub status: SegmentStatus,
    /// For an outdated segment: the hash of the source segment it was translated from.
    pub translated_from: Option<String>,
}

/// The pairing of a page's segments with its translation's.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// One per source segment, in order.
    pub pairs: Vec<Pair>,
    /// The translation records what each of its segments was made from.
    pub recorded: bool,
}

impl Alignment {
    pub fn count(&self, status: SegmentStatus) -> usize {
        self.pairs.iter().filter(|p| p.status == status).count()
    }

    /// Translation segments standing for no source segment: text the source no longer has.
    pub fn unpaired(&self, translation_segments: usize) -> usize {
        translation_segments
            - self
                .pairs
                .iter()
                .filter(|p| p.translation.is_some())
                .count()
    }
}

/// Pairs `source`'s segments with `translation`'s. `recorded` is the translation's
/// `source_segments` (ignored unless it has one entry per segment); without it, `page_current`
/// (the translation's `source_hash` is the source's) says whether paired segments are current.
pub fn align(
    source: &[impl Borrow<Segment>],
    translation: &[impl Borrow<Segment>],
    recorded: Option<&[Recorded]>,
    page_current: bool,
) -> Alignment {
    let kind_at = |t: usize| translation[t].borrow().kind;
    let recorded = recorded.filter(|r| r.len() == translation.len());
    let mut taken = vec![false; translation.len()];
    let mut pairs: Vec<Option<Pair>> = vec![None; source.len()];
    if let Some(recorded) = recorded {
        for (s, segment) in source.iter().map(Borrow::borrow).enumerate() {
            let found = (0..translation.len())
                .find(|&t| !taken[t] && recorded[t].hash == segment.hash)
                .filter(|&t| kind_at(t) == segment.kind);
            if let Some(t) = found {
                taken[t] = true;
                pairs[s] = Some(Pair {
                    translation: Some(t),
                    status: match recorded[t].state {
                        RecordedState::Translated => SegmentStatus::Current,
                        RecordedState::Machine => SegmentStatus::MachineDraft,
                        RecordedState::Untranslated => SegmentStatus::Untranslated,
                    },
                    translated_from: None,
                });
            }
        }
    }
    // The rest pair in order with the free segment of the same kind between their paired
    // neighbours' places.
    for s in 0..source.len() {
        if pairs[s].is_some() {
            continue;
        }
        let after = pairs[..s]
            .iter()
            .rev()
            .find_map(|p| p.as_ref().and_then(|p| p.translation))
            .map_or(0, |t| t + 1);
        let before = pairs[s + 1..]
            .iter()
            .find_map(|p| p.as_ref().and_then(|p| p.translation))
            .unwrap_or(translation.len());
        let kind: Kind = source[s].borrow().kind;
        let found = (after..before.max(after)).find(|&t| !taken[t] && kind_at(t) == kind);
        pairs[s] = Some(match found {
            Some(t) => {
                taken[t] = true;
                let (status, translated_from) = match recorded {
                    Some(recorded) => match recorded[t].state {
                        RecordedState::Untranslated => (SegmentStatus::Untranslated, None),
                        _ => (SegmentStatus::Outdated, Some(recorded[t].hash.clone())),
                    },
                    None if page_current => (SegmentStatus::Current, None),
                    None => (SegmentStatus::Outdated, None),
                };
                Pair {
                    translation: Some(t),
                    status,
                    translated_from,
                }
            }
            None => Pair {
                translation: None,
                status: SegmentStatus::Missing,
                translated_from: None,
            },
        });
    }
    Alignment {
        pairs: pairs.into_iter().flatten().collect(),
        recorded: recorded.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::segments::segments;

    fn split(text: &str) -> Vec<Segment> {
        let body = text.find("\n+++\n").map_or(0, |i| i + 5);
        segments(text, 4..body - 4, body, &[]).unwrap().0
    }

    fn recorded_from(source: &[Segment]) -> Vec<Recorded> {
        source
            .iter()
            .map(|s| Recorded::new(&s.hash, RecordedState::Translated))
            .collect()
    }

    fn statuses(alignment: &Alignment) -> Vec<SegmentStatus> {
        alignment.pairs.iter().map(|p| p.status).collect()
    }

    #[test]
    fn an_edited_paragraph_is_the_one_outdated_and_a_moved_one_is_not() {
        use SegmentStatus::*;
        let old = split("+++\ntitle = \"T\"\n+++\nOne.\n\nTwo.\n\nThree.\n");
        let translation = split("+++\ntitle = \"X\"\n+++\nVienas.\n\nDu.\n\nTrys.\n");
        let recorded = recorded_from(&old);
        let edited = split("+++\ntitle = \"T\"\n+++\nOne.\n\nTwo, edited.\n\nThree.\n");
        let a = align(&edited, &translation, Some(&recorded), false);
        assert_eq!(statuses(&a), [Current, Current, Outdated, Current]);
        assert_eq!(a.pairs[2].translation, Some(2));
        assert_eq!(
            a.pairs[2].translated_from.as_deref(),
            Some(old[2].hash.as_str())
        );
        let moved = split("+++\ntitle = \"T\"\n+++\nThree.\n\nOne.\n\nTwo.\n");
        let a = align(&moved, &translation, Some(&recorded), false);
        assert_eq!(statuses(&a), [Current; 4]);
        assert_eq!(a.pairs[1].translation, Some(3));
        let added = split("+++\ntitle = \"T\"\n+++\nOne.\n\nTwo.\n\n## New\n\nThree.\n");
        let a = align(&added, &translation, Some(&recorded), false);
        assert_eq!(statuses(&a), [Current, Current, Current, Missing, Current]);
    }

    #[test]
    fn without_a_record_segments_pair_by_kind_in_order() {
        use SegmentStatus::*;
        let source = split("+++\ntitle = \"T\"\n+++\nOne.\n\n- a\n- b\n\nTwo.\n");
        let translation = split("+++\ntitle = \"X\"\n+++\nVienas.\n\n- a\n\nDu.\n");
        let a = align(&source, &translation, None, true);
        assert_eq!(statuses(&a), [Current, Current, Current, Missing, Current]);
        assert!(!a.recorded);
        let a = align(&source, &translation, None, false);
        assert_eq!(a.count(Outdated), 4);
    }

    #[test]
    fn recorded_entries_read_back() {
        let entries = vec![
            Recorded::new("3fa9c2d1", RecordedState::Translated),
            Recorded::new("77aa01c3", RecordedState::Machine),
            Recorded::new("12ab34cd", RecordedState::Untranslated),
        ];
        let text = write_recorded(&entries);
        assert_eq!(text, "3fa9c2d1 ~77aa01c3 -12ab34cd");
        assert_eq!(parse_recorded(&text), Some(entries));
        assert_eq!(parse_recorded("zz"), None);
    }
}
