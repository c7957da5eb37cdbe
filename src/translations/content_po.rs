//! Pages as gettext PO: one entry per segment, `msgctxt` the page and segment ID
//! (`policies/returns.md#p-3fa9c2d1`), `msgid` the source's masked text, `msgstr` the
//! translation. Placeholders are Python brace format (`python-brace-format`), so `msgfmt
//! --check` and translators' tools hold a translation to its source's; each is explained in
//! a `#.` note. An outdated translation comes out `fuzzy`, with the source it was made from as
//! `#| msgid` where git has it; a machine draft comes out `fuzzy` too. Fuzzy and empty entries
//! are left alone on import.

use std::path::Path;

use super::alignment::SegmentStatus;
use super::content::{Incoming, Unit};
use super::po::{self, Entry};
use super::segments::Kind;
use crate::diagnostic::{Diagnostic, Error, Result};

/// The PO file of `units` for `lang`, into `out`.
pub fn write(
    out: &mut dyn std::io::Write,
    title: &str,
    lang: &str,
    units: &[Unit],
) -> std::io::Result<()> {
    po::write_file_to(
        out,
        &format!("{title} pages"),
        lang,
        None,
        units.iter().map(entry),
    )
}

fn entry(unit: &Unit) -> Entry {
    let segment = &unit.segment;
    let mut notes = vec![describe(segment.kind).to_string()];
    if !segment.headings.is_empty() {
        notes.push(format!("Under: {}", segment.headings.join(" › ")));
    }
    for p in &segment.placeholders {
        notes.push(format!("{{{}}} = {}", p.name, p.original));
    }
    if let Some(note) = &segment.note {
        notes.push(format!("Note: {note}"));
    }
    let mut flags = Vec::new();
    match unit.status {
        SegmentStatus::Outdated => {
            flags.push("fuzzy".to_string());
            notes.push("Outdated: the source changed since this was translated".to_string());
        }
        SegmentStatus::MachineDraft => {
            flags.push("fuzzy".to_string());
            notes.push("Machine draft: review it, then clear the fuzzy mark".to_string());
        }
        _ => {}
    }
    if let Some(problem) = &unit.problem {
        if !flags.iter().any(|f| f == "fuzzy") {
            flags.push("fuzzy".to_string());
        }
        notes.push(format!("Check: {problem}"));
    }
    if segment.text.contains('{') {
        flags.push("python-brace-format".to_string());
    }
    Entry {
        context: Some(unit.key()),
        id: segment.text.clone(),
        translations: vec![unit.target.clone().unwrap_or_default()],
        flags,
        // A PO comment is one line.
        notes: notes.into_iter().map(|n| n.replace('\n', " ")).collect(),
        references: vec![format!("{}:{}", unit.source_file.display(), segment.line)],
        previous: unit.previous.clone(),
        ..Entry::default()
    }
}

/// What a segment is, for the translator.
pub fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Title => "The page's title",
        Kind::Description => "The page's description (search engines show it)",
        Kind::Summary => "A key fact in the page's summary",
        Kind::Change => "An entry of the page's change history",
        Kind::Safety => "A safety warning of the product",
        Kind::Heading => "A heading (on a FAQ page: a question)",
        Kind::Paragraph => "A paragraph",
        Kind::Item => "A list item",
        Kind::Cell => "A table cell",
    }
}

/// The language and translated segments of the PO file `file` holding `text`.
pub fn read(file: &Path, text: &str) -> Result<(String, Vec<Incoming>)> {
    let at = |line: usize, message: String| Diagnostic::new(file, message).at_line(line);
    let (header, entries) = po::parse(text).map_err(|e| Error::single(at(e.line, e.message)))?;
    let lang = header
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Language"))
        .map(|(_, v)| v.replace('_', "-"))
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            Error::single(at(
                1,
                "the header names no `Language`: which language's translations these are".into(),
            ))
        })?;
    let mut incoming = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let translation = entry.translations.first().cloned().unwrap_or_default();
        if entry.is_fuzzy() || translation.is_empty() {
            continue;
        }
        let Some((page, id)) = entry.context.as_deref().and_then(|c| c.rsplit_once('#')) else {
            problems.push(at(
                entry.line,
                "an entry without `msgctxt \"page#segment\"`: helpdeck cannot tell where it goes"
                    .into(),
            ));
            continue;
        };
        incoming.push(Incoming {
            page: page.to_string(),
            id: id.to_string(),
            text: translation,
            machine: false,
            line: entry.line,
        });
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok((lang, incoming))
}
