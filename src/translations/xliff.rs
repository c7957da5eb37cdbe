//! Pages as XLIFF 2.0 (OASIS core): a `<file>` per page (`original` its key), a `<unit>` per
//! segment (`id` the segment's ID), each placeholder an empty `<ph>` whose original Markdown
//! is in the unit's `<originalData>`, so that a CAT tool shows it as a tag the translator
//! places but cannot edit. A current translation is `state="translated"`; an outdated one or a
//! machine draft is `state="initial"` with its target, a `subState` saying which, and the
//! source it was made from in a note where git has it. Only `translated`, `reviewed` and
//! `final` targets are imported.

use std::fmt::Write as _;
use std::path::Path;

use super::alignment::SegmentStatus;
use super::content::{Incoming, Unit};
use super::content_po::describe;
use super::segments::Placeholder;
use crate::diagnostic::{Diagnostic, Error, Result};

const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// The XLIFF document of `units`, from `source_lang` into `lang`, into `sink` a page at a time.
pub fn write(
    sink: &mut dyn std::io::Write,
    source_lang: &str,
    lang: &str,
    units: &[Unit],
) -> std::io::Result<()> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<xliff xmlns=\"{NAMESPACE}\" version=\"2.0\" srcLang=\"{}\" trgLang=\"{}\">",
        attribute(source_lang),
        attribute(lang)
    );
    for (number, page) in units.chunk_by(|a, b| a.page == b.page).enumerate() {
        let _ = writeln!(
            out,
            " <file id=\"f{}\" original=\"{}\">",
            number + 1,
            attribute(&page[0].page)
        );
        for unit in page {
            write_unit(&mut out, unit);
        }
        out.push_str(" </file>\n");
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    out.push_str("</xliff>\n");
    sink.write_all(out.as_bytes())
}

fn write_unit(out: &mut String, unit: &Unit) {
    let segment = &unit.segment;
    let _ = writeln!(out, "  <unit id=\"{}\">", attribute(&segment.id));
    let mut notes = vec![("description", describe(segment.kind).to_string())];
    if !segment.headings.is_empty() {
        notes.push(("location", segment.headings.join(" › ")));
    }
    notes.push((
        "location",
        format!("{}:{}", unit.source_file.display(), segment.line),
    ));
    if let Some(note) = &segment.note {
        notes.push(("note", note.clone()));
    }
    if let Some(previous) = &unit.previous {
        notes.push(("previous-source", previous.clone()));
    }
    if let Some(problem) = &unit.problem {
        notes.push(("check", problem.clone()));
    }
    out.push_str("   <notes>\n");
    for (category, text) in notes {
        let _ = writeln!(
            out,
            "    <note category=\"{category}\">{}</note>",
            text_content(&text)
        );
    }
    out.push_str("   </notes>\n");
    if !segment.placeholders.is_empty() {
        out.push_str("   <originalData>\n");
        for p in &segment.placeholders {
            let _ = writeln!(
                out,
                "    <data id=\"d-{}\">{}</data>",
                p.name,
                text_content(&p.original)
            );
        }
        out.push_str("   </originalData>\n");
    }
    let state = match (unit.status, &unit.target, &unit.problem) {
        (_, None, _) => "state=\"initial\"",
        (SegmentStatus::Outdated, _, _) => "state=\"initial\" subState=\"helpdeck:outdated\"",
        (SegmentStatus::MachineDraft, _, _) => {
            "state=\"initial\" subState=\"helpdeck:machine-draft\""
        }
        (_, _, Some(_)) => "state=\"initial\" subState=\"helpdeck:check\"",
        _ => "state=\"translated\"",
    };
    let _ = writeln!(out, "   <segment {state}>");
    let _ = writeln!(
        out,
        "    <source xml:space=\"preserve\">{}</source>",
        inline(&segment.text, &segment.placeholders)
    );
    if let Some(target) = &unit.target {
        let _ = writeln!(
            out,
            "    <target xml:space=\"preserve\">{}</target>",
            inline(target, &segment.placeholders)
        );
    }
    out.push_str("   </segment>\n  </unit>\n");
}

/// A masked text as XLIFF inline content: its placeholders as `<ph>`, its doubled braces single.
fn inline(masked: &str, placeholders: &[Placeholder]) -> String {
    let mut out = String::with_capacity(masked.len());
    let mut literal = String::new();
    let mut chars = masked.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' | '}' if chars.peek().is_some_and(|&(_, n)| n == c) => {
                chars.next();
                literal.push(c);
            }
            '{' => {
                let name = masked[at + 1..].split('}').next().unwrap_or_default();
                out.push_str(&text_content(&std::mem::take(&mut literal)));
                let original = placeholders
                    .iter()
                    .find(|p| p.name == name)
                    .map_or("", |p| p.original.as_str());
                let _ = write!(
                    out,
                    "<ph id=\"{name}\" dataRef=\"d-{name}\" equiv=\"{{{name}}}\" disp=\"{}\"/>",
                    attribute(original)
                );
                for _ in 0..name.chars().count() + 1 {
                    chars.next();
                }
            }
            c => literal.push(c),
        }
    }
    out.push_str(&text_content(&literal));
    out
}

fn text_content(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // What needs escaping is rare: copy the stretches between whole.
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\n' | b'\t' => continue,
            // XML 1.0 has no place for other control characters: XLIFF's `<cp>` carries them.
            control if control < 0x20 => {
                out.push_str(&text[from..at]);
                let _ = write!(out, "<cp hex=\"{control:04X}\"/>");
                from = at + 1;
                continue;
            }
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(escaped);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

fn attribute(text: &str) -> String {
    text_content(text)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\t', "&#9;")
}

/// The target language and translated segments of the XLIFF 2.0 document `file` holding `text`.
pub fn read(file: &Path, text: &str) -> Result<(String, Vec<Incoming>)> {
    let document = roxmltree::Document::parse(text).map_err(|e| {
        Error::single(Diagnostic::new(file, format!("not XML: {e}")).at_line(e.pos().row as usize))
    })?;
    let line =
        |node: roxmltree::Node<'_, '_>| document.text_pos_at(node.range().start).row as usize;
    let at = |node: roxmltree::Node<'_, '_>, message: String| {
        Diagnostic::new(file, message).at_line(line(node))
    };
    let root = document.root_element();
    if root.tag_name().name() != "xliff" || root.tag_name().namespace() != Some(NAMESPACE) {
        return Err(Error::single(at(
            root,
            format!("not an XLIFF 2.0 document (its root is not `xliff` in `{NAMESPACE}`)"),
        )));
    }
    let lang = root
        .attribute("trgLang")
        .filter(|l| !l.is_empty())
        .ok_or_else(|| {
            Error::single(at(
                root,
                "`<xliff>` names no `trgLang`: which language's translations these are".into(),
            ))
        })?
        .to_string();
    let mut incoming = Vec::new();
    let mut problems = Vec::new();
    let named = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.is_element() && node.tag_name().name() == name
    };
    for page_file in root.children().filter(|n| named(*n, "file")) {
        let Some(page) = page_file.attribute("original") else {
            problems.push(at(
                page_file,
                "a `<file>` without `original`: helpdeck cannot tell which page it is".into(),
            ));
            continue;
        };
        for unit in page_file.descendants().filter(|n| named(*n, "unit")) {
            let id = unit.attribute("id").unwrap_or_default();
            for segment in unit.children().filter(|n| named(*n, "segment")) {
                let state = segment.attribute("state").unwrap_or("initial");
                if !matches!(state, "translated" | "reviewed" | "final") {
                    continue;
                }
                let Some(target) = segment.children().find(|n| named(*n, "target")) else {
                    continue;
                };
                match masked(target) {
                    Ok(text) if !text.is_empty() => incoming.push(Incoming {
                        page: page.to_string(),
                        id: id.to_string(),
                        text,
                        machine: false,
                        line: line(target),
                    }),
                    Ok(_) => {}
                    Err(why) => problems.push(at(target, format!("`{page}#{id}`: {why}"))),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok((lang, incoming))
}

/// A target's inline content as masked text: `<ph id>` as `{id}`, braces doubled, the text of
/// annotations (`<mrk>`, `<pc>`) kept.
fn masked(node: roxmltree::Node<'_, '_>) -> std::result::Result<String, String> {
    let mut out = String::new();
    for child in node.children() {
        if child.is_text() {
            let text = child.text().unwrap_or_default();
            out.push_str(&text.replace('{', "{{").replace('}', "}}"));
            continue;
        }
        if !child.is_element() {
            continue;
        }
        match child.tag_name().name() {
            "ph" => {
                let id = child
                    .attribute("id")
                    .ok_or_else(|| "a `<ph>` without `id`".to_string())?;
                out.push('{');
                out.push_str(id);
                out.push('}');
            }
            "cp" => {
                let hex = child.attribute("hex").unwrap_or_default();
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("`<cp hex=\"{hex}\">` is no character"))?;
                out.push(c);
            }
            "mrk" | "pc" => out.push_str(&masked(child)?),
            other => {
                return Err(format!(
                    "`<{other}>` in a target: helpdeck's placeholders are `<ph>` elements"
                ));
            }
        }
    }
    Ok(out)
}
