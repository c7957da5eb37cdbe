//! Pages in translators' tools: every segment of every page with its translation as
//! [`Unit`]s (written as PO by [`super::content_po`], as XLIFF 2.0 by [`super::xliff`]), and
//! translated segments written back into the translation files by [`plan`].
//!
//! An import edits a translation where its segments are, so an unchanged segment leaves its
//! bytes alone and a file with no change is not written. A segment the translation lacks is
//! placed after the segment before it, with the source's Markdown around it (a list item's
//! marker, a heading's `##`); the result is read back and must hold what was placed, or the
//! import names the segment it could not place.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::alignment::{Alignment, Recorded, RecordedState, SegmentStatus, align, write_recorded};
use super::segments::{Kind, Segment, remask, segments, unmask};
use super::{git_versions, source_hash, translation_file, unknown_language, with_front_matter_key};
use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{self, front_matter};
use crate::resolve::Site;

/// A content file's text and its segments.
#[derive(Debug, Clone)]
pub struct PageText {
    pub file: PathBuf,
    pub text: String,
    /// Shared with the units made of them, and between a source's pairings with each
    /// language.
    pub segments: Vec<Arc<Segment>>,
    pub body_offset: usize,
    pub source_hash: Option<String>,
    pub recorded: Option<Vec<Recorded>>,
}

impl PageText {
    /// `file` (relative to `root`) read and split into segments.
    pub fn read(root: &Path, file: &Path) -> std::result::Result<PageText, Diagnostic> {
        let text = load::read_text(file, &root.join(file))?;
        PageText::parse(file, text)
    }

    pub fn parse(file: &Path, text: String) -> std::result::Result<PageText, Diagnostic> {
        let split = front_matter::split(file, &text)?;
        let front = split.front_matter_offset..split.front_matter_offset + split.front_matter.len();
        let body_offset = text.len() - split.body.len();
        let (found, stamps) = segments(
            &text,
            front,
            body_offset,
            &["source_hash", "source_segments"],
        )
        .map_err(|e| Diagnostic::new(file, e.message.clone()).at_offset(&text, e.offset))?;
        let [source_hash, source_segments] =
            <[Option<String>; 2]>::try_from(stamps).unwrap_or_default();
        Ok(PageText {
            file: file.to_path_buf(),
            segments: found.into_iter().map(Arc::new).collect(),
            body_offset,
            source_hash,
            recorded: source_segments
                .as_deref()
                .and_then(super::alignment::parse_recorded),
            text,
        })
    }

    fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A source page and its translation into one language, paired segment by segment.
pub struct PagePair {
    /// `policies/returns.md`.
    pub key: String,
    pub source: PageText,
    /// The translation's file, there or not.
    pub translation_file: PathBuf,
    pub translation: Option<PageText>,
    pub alignment: Alignment,
    /// The translation is still the source's text (what `translate` writes): it is not a
    /// translation to edit, but a copy to translate.
    pub copy: bool,
}

impl PagePair {
    /// The source page `source` (read) with its `lang` translation, if there is one.
    pub fn open(
        root: &Path,
        key: String,
        source: PageText,
        lang: &str,
    ) -> std::result::Result<PagePair, Diagnostic> {
        let source_file = source.file.clone();
        let source_file = source_file.as_path();
        let translation_file = translation_file(source_file, lang);
        let translation = match root.join(&translation_file).is_file() {
            true => Some(PageText::read(root, &translation_file)?),
            false => None,
        };
        let current_hash = source_hash(source.body());
        let (alignment, copy) = match &translation {
            None => {
                let none: &[Segment] = &[];
                (align(&source.segments, none, None, false), false)
            }
            Some(t) => {
                let page_current = t.source_hash.as_deref() == Some(current_hash.as_str());
                let copy = t.recorded.is_none()
                    && t.source_hash.as_deref() == Some(source_hash(t.body()).as_str());
                let recovered = match (&t.recorded, page_current || copy) {
                    (None, false) => recover_record(root, source_file, t),
                    _ => None,
                };
                let recorded = t.recorded.as_deref().or(recovered.as_deref());
                let mut alignment = align(&source.segments, &t.segments, recorded, page_current);
                if copy {
                    for pair in &mut alignment.pairs {
                        pair.status = SegmentStatus::Untranslated;
                        pair.translated_from = None;
                    }
                }
                (alignment, copy)
            }
        };
        Ok(PagePair {
            key,
            source,
            translation_file,
            translation,
            alignment,
            copy,
        })
    }

    pub fn counts(&self) -> super::SegmentCounts {
        let count = |status| self.alignment.count(status);
        super::SegmentCounts {
            total: self.source.segments.len(),
            current: count(SegmentStatus::Current),
            outdated: count(SegmentStatus::Outdated),
            missing: count(SegmentStatus::Missing),
            untranslated: count(SegmentStatus::Untranslated),
            machine_draft: count(SegmentStatus::MachineDraft),
            removed: self
                .translation
                .as_ref()
                .map_or(0, |t| self.alignment.unpaired(t.segments.len())),
        }
    }

    /// `source_segments` for a translation brought up to date by hand: each source segment's
    /// hash where the translation has a segment for each, in the same order; else none.
    pub fn current_record(&self) -> Option<String> {
        let translation = self.translation.as_ref()?;
        let mut entries = vec![None; translation.segments.len()];
        for (pair, segment) in self.alignment.pairs.iter().zip(&self.source.segments) {
            entries[pair.translation?] =
                Some(Recorded::new(&segment.hash, RecordedState::Translated));
        }
        let entries: Option<Vec<Recorded>> = entries.into_iter().collect();
        Some(write_recorded(&entries?))
    }

    /// The translation's text of source segment `index`, masked with the source's names.
    fn target(&self, index: usize) -> (Option<String>, Option<String>) {
        let pair = &self.alignment.pairs[index];
        let (Some(t), Some(translation)) = (pair.translation, &self.translation) else {
            return (None, None);
        };
        if pair.status == SegmentStatus::Untranslated {
            return (None, None);
        }
        match remask(&translation.segments[t], &self.source.segments[index]) {
            Ok(text) => (Some(text), None),
            Err(why) => (Some(translation.segments[t].text.clone()), Some(why)),
        }
    }
}

/// What a translation made by hand (no `source_segments`) was made from, segment by segment:
/// the version of the source its `source_hash` names, found in git and paired with it in
/// order. None when git does not have that version.
fn recover_record(
    root: &Path,
    source_file: &Path,
    translation: &PageText,
) -> Option<Vec<Recorded>> {
    let wanted = translation.source_hash.as_deref()?;
    let old = git_versions(root, source_file)
        .take(50)
        .filter_map(|(_, text)| PageText::parse(source_file, text).ok())
        .find(|old| source_hash(old.body()) == wanted)?;
    let alignment = align(&old.segments, &translation.segments, None, true);
    let mut recorded =
        vec![Recorded::new("0", RecordedState::Translated); translation.segments.len()];
    for (pair, segment) in alignment.pairs.iter().zip(&old.segments) {
        if let Some(t) = pair.translation {
            recorded[t] = Recorded::new(&segment.hash, RecordedState::Translated);
        }
    }
    Some(recorded)
}

/// Every source page of the site (default language, not a fallback), by key.
pub fn source_pages(site: &Site) -> Vec<(String, PathBuf)> {
    let default = &site.config.default_language;
    let mut pages: Vec<(String, PathBuf)> = site
        .pages()
        .iter()
        .filter(|p| p.doc.lang == *default && p.fallback_of.is_none())
        .map(|p| (p.doc.key(), p.doc.file.clone()))
        .collect();
    pages.sort();
    pages
}

/// One source segment as a translator's tool holds it.
#[derive(Debug, Clone)]
pub struct Unit {
    /// `policies/returns.md`.
    pub page: String,
    pub source_file: PathBuf,
    pub segment: Arc<Segment>,
    /// The translation, masked with the source's placeholder names.
    pub target: Option<String>,
    pub status: SegmentStatus,
    /// For an outdated segment: the source it was translated from, masked, where git has it.
    pub previous: Option<String>,
    /// Why the target is shown for reference only (its placeholders differ from the source's).
    pub problem: Option<String>,
}

impl Unit {
    /// `policies/returns.md#p-3fa9c2d1`: a PO entry's context, an XLIFF unit's name.
    pub fn key(&self) -> String {
        format!("{}#{}", self.page, self.segment.id)
    }
}

/// Which units an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Segments whose source changed since they were translated (and machine drafts).
    Outdated,
    /// Segments with no translation yet.
    Missing,
}

/// The units of every page of the site at `root` for each of `langs`, in that order. Pages
/// are read in parallel, each source once for all languages.
pub fn units(
    root: &Path,
    site: &Site,
    langs: &[String],
    only: Option<Only>,
) -> Result<Vec<Vec<Unit>>> {
    for lang in langs {
        if site.config.language(lang).is_none() || *lang == site.config.default_language {
            return Err(unknown_language(site, lang));
        }
    }
    let per_page: Vec<std::result::Result<Vec<Vec<Unit>>, Diagnostic>> = source_pages(site)
        .par_iter()
        .map(|(key, file)| {
            let source = PageText::read(root, file)?;
            langs
                .iter()
                .map(|lang| {
                    let pair = PagePair::open(root, key.clone(), source.clone(), lang)?;
                    Ok(pair.units(root, only))
                })
                .collect()
        })
        .collect();
    let mut units: Vec<Vec<Unit>> = vec![Vec::new(); langs.len()];
    let mut problems = Vec::new();
    for page in per_page {
        match page {
            Ok(page) => {
                for (all, mut of_page) in units.iter_mut().zip(page) {
                    all.append(&mut of_page);
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok(units)
}

impl PagePair {
    /// The page's units (those `only` asks for).
    pub fn units(&self, root: &Path, only: Option<Only>) -> Vec<Unit> {
        let wanted: Vec<String> = self
            .alignment
            .pairs
            .iter()
            .filter_map(|p| p.translated_from.clone())
            .collect();
        let previous = match wanted.is_empty() {
            true => BTreeMap::new(),
            false => old_segments(root, &self.source.file, &wanted),
        };
        let mut units = Vec::new();
        for (index, segment) in self.source.segments.iter().enumerate() {
            let pair = &self.alignment.pairs[index];
            let keep = match only {
                None => true,
                Some(Only::Outdated) => {
                    matches!(
                        pair.status,
                        SegmentStatus::Outdated | SegmentStatus::MachineDraft
                    )
                }
                Some(Only::Missing) => {
                    matches!(
                        pair.status,
                        SegmentStatus::Missing | SegmentStatus::Untranslated
                    )
                }
            };
            if !keep {
                continue;
            }
            let (target, problem) = self.target(index);
            units.push(Unit {
                page: self.key.clone(),
                source_file: self.source.file.clone(),
                segment: Arc::clone(segment),
                target,
                status: pair.status,
                previous: pair
                    .translated_from
                    .as_ref()
                    .and_then(|hash| previous.get(hash).cloned()),
                problem,
            });
        }
        units
    }
}

/// The masked text of the source segments with these hashes in earlier versions of `file`
/// that git has (the newest twenty).
fn old_segments(root: &Path, file: &Path, hashes: &[String]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for (_, text) in git_versions(root, file).take(20) {
        let Ok(old) = PageText::parse(file, text) else {
            continue;
        };
        for segment in old.segments {
            if hashes.contains(&segment.hash) {
                found
                    .entry(segment.hash.clone())
                    .or_insert_with(|| segment.text.clone());
            }
        }
        if found.len() == hashes.len() {
            break;
        }
    }
    found
}

/// A translated segment read from an exchange file.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub page: String,
    pub id: String,
    pub text: String,
    /// Written by machine translation: recorded as a draft, not as a translation.
    pub machine: bool,
    /// Where in the exchange file it is.
    pub line: usize,
}

/// What an import will write in one language.
#[derive(Debug, Default)]
pub struct Plan {
    pub lang: String,
    writes: Vec<(PathBuf, String)>,
    changed: usize,
    unchanged: usize,
}

impl Plan {
    pub fn write(self, root: &Path) -> Result<Applied> {
        self.writes.par_iter().try_for_each(|(file, text)| {
            let path = root.join(file);
            std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))
        })?;
        Ok(Applied {
            written: self.writes.into_iter().map(|(file, _)| file).collect(),
            changed: self.changed,
            unchanged: self.unchanged,
        })
    }
}

/// What an import changed.
#[derive(Debug, Default)]
pub struct Applied {
    pub written: Vec<PathBuf>,
    /// Segments whose text the import changed or added.
    pub changed: usize,
    /// Segments the file holds as they are in the translation already.
    pub unchanged: usize,
}

/// The translated segments of one exchange file: into which language, read from where.
pub struct Batch {
    pub lang: String,
    pub exchange: PathBuf,
    pub incoming: Vec<Incoming>,
}

/// What writing each batch into its language's translation files changes, one plan per
/// batch; an error unless every segment of every batch can be placed. Each source page is
/// read once for all the batches, pages in parallel.
pub fn plan(root: &Path, site: &Site, batches: Vec<Batch>) -> Result<Vec<Plan>> {
    for batch in &batches {
        let lang = &batch.lang;
        if site.config.language(lang).is_none() || *lang == site.config.default_language {
            return Err(unknown_language(site, lang));
        }
    }
    let sources: BTreeMap<String, PathBuf> = source_pages(site).into_iter().collect();
    let mut by_page: BTreeMap<String, Vec<(usize, Vec<Incoming>)>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    let mut exchanges = Vec::new();
    for (index, batch) in batches.into_iter().enumerate() {
        let mut pages: BTreeMap<String, Vec<Incoming>> = BTreeMap::new();
        for item in batch.incoming {
            match sources.contains_key(&item.page) {
                true => pages.entry(item.page.clone()).or_default().push(item),
                false => problems.push(
                    Diagnostic::new(
                        &batch.exchange,
                        format!(
                            "`{}` names no page of the site's default language",
                            item.page
                        ),
                    )
                    .at_line(item.line),
                ),
            }
        }
        for (key, items) in pages {
            by_page.entry(key).or_default().push((index, items));
        }
        plans.push(Plan {
            lang: batch.lang,
            ..Plan::default()
        });
        exchanges.push(batch.exchange);
    }
    type Placed = std::result::Result<Vec<(usize, PageEdit)>, Vec<Diagnostic>>;
    let placed: Vec<Placed> = by_page
        .into_par_iter()
        .map(|(key, batches)| {
            let source = PageText::read(root, &sources[&key]).map_err(|d| vec![d])?;
            let mut edits = Vec::new();
            let mut problems = Vec::new();
            for (index, items) in batches {
                let at = |line: usize, message: String| {
                    Diagnostic::new(&exchanges[index], message).at_line(line)
                };
                let pair = PagePair::open(root, key.clone(), source.clone(), &plans[index].lang)
                    .map_err(|d| vec![d])?;
                match place(&pair, &items, &at) {
                    Ok(edit) => edits.push((index, edit)),
                    Err(mut found) => problems.append(&mut found),
                }
            }
            match problems.is_empty() {
                true => Ok(edits),
                false => Err(problems),
            }
        })
        .collect();
    for page in placed {
        match page {
            Ok(edits) => {
                for (index, edit) in edits {
                    let plan = &mut plans[index];
                    plan.changed += edit.changed;
                    plan.unchanged += edit.unchanged;
                    if let Some(text) = edit.text {
                        plan.writes.push((edit.file, text));
                    }
                }
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok(plans)
}

/// An edit of the base text, and the `source_segments` entry of the segment it leaves there.
struct Placed {
    /// Where in the base text; an insertion has an empty range.
    range: Range<usize>,
    text: Option<String>,
    entry: Recorded,
    kind: Kind,
    /// Among edits at the same place, the order they were made.
    order: usize,
}

/// What an import does to one translation file.
struct PageEdit {
    file: PathBuf,
    /// The new text; none when nothing changes.
    text: Option<String>,
    changed: usize,
    unchanged: usize,
}

/// The edit of `pair`'s translation that puts `items` in it; else each item that cannot be
/// placed.
fn place(
    pair: &PagePair,
    items: &[Incoming],
    at: &(dyn Fn(usize, String) -> Diagnostic + Sync),
) -> std::result::Result<PageEdit, Vec<Diagnostic>> {
    let source = &pair.source;
    let mut problems = Vec::new();
    let mut new_text: Vec<Option<(String, bool)>> = vec![None; source.segments.len()];
    for item in items {
        let Some(index) = source.segments.iter().position(|s| s.id == item.id) else {
            problems.push(at(
                item.line,
                format!(
                    "`{}#{}`: {} has no such segment now (export again for its current segments)",
                    item.page,
                    item.id,
                    source.file.display()
                ),
            ));
            continue;
        };
        match unmask(&item.text, &source.segments[index].placeholders) {
            Ok(raw) => new_text[index] = Some((raw, item.machine)),
            Err(why) => problems.push(
                at(item.line, format!("`{}#{}`: {why}", item.page, item.id)).quoting(&item.text),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The text edited: the translation, or the source's own text for a page still to
    // translate (its front matter's other keys come with it).
    let (base, base_segments, pairs): (&PageText, &[Arc<Segment>], Vec<Option<usize>>) =
        match (&pair.translation, pair.copy) {
            (Some(t), false) => (
                t,
                &t.segments,
                pair.alignment.pairs.iter().map(|p| p.translation).collect(),
            ),
            _ => (
                source,
                &source.segments,
                (0..source.segments.len()).map(Some).collect(),
            ),
        };
    let from_source = !matches!((&pair.translation, pair.copy), (Some(_), false));
    let mut placed: Vec<Placed> = Vec::new();
    let mut changed = 0;
    let mut unchanged = 0;
    // Where the last source segment placed ends in the base text.
    let mut previous_end: Option<usize> = None;
    for (index, segment) in source.segments.iter().enumerate() {
        let status = pair.alignment.pairs[index].status;
        let incoming = &new_text[index];
        let translated = |machine: bool| {
            Recorded::new(
                &segment.hash,
                match machine {
                    true => RecordedState::Machine,
                    false => RecordedState::Translated,
                },
            )
        };
        match (pairs[index], incoming) {
            (Some(t), Some((raw, machine))) => {
                let old = &base_segments[t];
                // The same text is still news when it changes what the segment is: a
                // reviewed machine draft, a translation confirmed for an edited source.
                let standing = match (status, machine) {
                    (SegmentStatus::Current, false) | (SegmentStatus::MachineDraft, true) => {
                        !from_source
                    }
                    _ => false,
                };
                let same = *raw == old.raw && standing;
                match same {
                    true => unchanged += 1,
                    false => changed += 1,
                }
                placed.push(Placed {
                    range: old.range.clone(),
                    text: (*raw != old.raw)
                        .then(|| encode(segment.kind, raw, &base.text[old.range.clone()])),
                    entry: translated(*machine),
                    kind: segment.kind,
                    order: 0,
                });
                previous_end = Some(old.range.end);
            }
            (Some(t), None) => {
                let old = &base_segments[t];
                let entry = match (from_source, status) {
                    (true, _) | (_, SegmentStatus::Untranslated) => {
                        Recorded::new(&segment.hash, RecordedState::Untranslated)
                    }
                    (_, SegmentStatus::Current) => translated(false),
                    (_, SegmentStatus::MachineDraft) => translated(true),
                    _ => match &pair.alignment.pairs[index].translated_from {
                        Some(hash) => Recorded::new(hash, RecordedState::Translated),
                        // Made by hand from a version nobody recorded.
                        None => Recorded::new("0", RecordedState::Translated),
                    },
                };
                placed.push(Placed {
                    range: old.range.clone(),
                    text: None,
                    entry,
                    kind: segment.kind,
                    order: 0,
                });
                previous_end = Some(old.range.end);
            }
            (None, Some((raw, machine))) => {
                let in_body = !segment.kind.in_front_matter();
                let before = index
                    .checked_sub(1)
                    .map(|i| &source.segments[i])
                    .filter(|s| s.kind.in_front_matter() != in_body);
                let (separator, point) = match (before, in_body) {
                    (Some(before), _)
                        if pairs[index - 1].is_some() || new_text[index - 1].is_some() =>
                    {
                        (
                            &source.text[before.range.end..segment.range.start],
                            previous_end,
                        )
                    }
                    (None, true) => (
                        &source.text[source.body_offset..segment.range.start],
                        Some(base.body_offset),
                    ),
                    _ => ("", None),
                };
                let Some(point) = point else {
                    problems.push(at(
                        items
                            .iter()
                            .find(|i| i.id == segment.id)
                            .map_or(1, |i| i.line),
                        format!(
                            "`{}#{}`: the translation has neither this segment nor the one \
                             before it, so there is no place to put it: translate that one too",
                            pair.key, segment.id
                        ),
                    ));
                    continue;
                };
                changed += 1;
                let text = format!(
                    "{separator}{}",
                    encode(segment.kind, raw, &source.text[segment.range.clone()])
                );
                placed.push(Placed {
                    range: point..point,
                    text: Some(text),
                    entry: translated(*machine),
                    kind: segment.kind,
                    order: index + 1,
                });
            }
            (None, None) => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The translation's own segments that stand for no source segment stay, as they were.
    let paired: Vec<usize> = pairs.iter().flatten().copied().collect();
    for (t, segment) in base_segments.iter().enumerate() {
        if !paired.contains(&t) {
            let entry = base
                .recorded
                .as_ref()
                .filter(|r| r.len() == base_segments.len() && !from_source)
                .map_or_else(
                    || Recorded::new("0", RecordedState::Translated),
                    |r| r[t].clone(),
                );
            placed.push(Placed {
                range: segment.range.clone(),
                text: None,
                entry,
                kind: segment.kind,
                order: 0,
            });
        }
    }
    let file = pair.translation_file.clone();
    if changed == 0 {
        return Ok(PageEdit {
            file,
            text: None,
            changed,
            unchanged,
        });
    }
    placed.sort_by_key(|p| (p.range.start, p.range.end > p.range.start, p.order));
    let mut text = base.text.clone();
    for p in placed.iter().rev() {
        if let Some(new) = &p.text {
            text.replace_range(p.range.clone(), new);
        }
    }
    let entries: Vec<Recorded> = placed.iter().map(|p| p.entry.clone()).collect();
    let current = source_hash(source.body());
    let all_current = entries.iter().all(|e| {
        e.state == RecordedState::Translated && source.segments.iter().any(|s| s.hash == e.hash)
    }) && entries.len() >= source.segments.len();
    let mut text = with_front_matter_key(&text, "source_segments", Some(&write_recorded(&entries)))
        .ok_or_else(|| vec![Diagnostic::new(&base.file, "cannot find its front matter")])?;
    if all_current || from_source {
        text = with_front_matter_key(&text, "source_hash", Some(&current))
            .ok_or_else(|| vec![Diagnostic::new(&base.file, "cannot find its front matter")])?;
    }
    // Read back: every segment where it was placed, of the kind it was.
    let kinds: Vec<Kind> = placed.iter().map(|p| p.kind).collect();
    let read = PageText::parse(&pair.translation_file, text.clone()).map_err(|d| vec![d])?;
    let read_kinds: Vec<Kind> = read.segments.iter().map(|s| s.kind).collect();
    if read_kinds != kinds {
        return Err(vec![Diagnostic::new(
            &pair.translation_file,
            format!(
                "the translated segments of {} cannot be placed in it so that they read back \
                 as they were given (its structure differs from the source's): put them in by \
                 hand, or remove the file and import again",
                pair.key
            ),
        )]);
    }
    Ok(PageEdit {
        file,
        text: Some(text),
        changed,
        unchanged,
    })
}

/// `raw` as the file holds it: Markdown as it is; a front matter string as a TOML string in the
/// quotes `old` uses where it can.
fn encode(kind: Kind, raw: &str, old: &str) -> String {
    if !kind.in_front_matter() {
        return raw.to_string();
    }
    let literal = old.starts_with('\'') && !old.starts_with("'''");
    if literal && !raw.contains('\'') && !raw.chars().any(char::is_control) {
        return format!("'{raw}'");
    }
    let mut out = String::from("\"");
    for c in raw.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
