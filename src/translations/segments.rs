//! A page as a translator works on it: segments (title, description, summary items, change
//! history, then each heading, paragraph, list item and table cell of the body), each with a
//! stable ID, its place in the file and its text with what must not be translated masked.
//!
//! Masking: in a segment's text, a `fact` or other shortcode, a link's or image's target (not
//! its `#anchor`, which names a heading in the page's own language), inline code, inline HTML
//! and footnote references become `{name}` placeholders (`{fact1}`, `{link1}`, `{code1}`…), and
//! a literal brace is doubled: Python's brace format, which gettext tools check when an entry
//! carries `python-brace-format`. Emphasis and link brackets stay Markdown: the translator moves
//! them with the words.
//!
//! IDs are the segment's kind and a hash of its own source text, so an edit elsewhere in the
//! page leaves them alone; a translation records, for each of its segments, the hash of the
//! source segment it was made from (`source_segments` in its front matter).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use toml::de::{DeTable, DeValue};

/// What a segment is, which is also its ID's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Title,
    Description,
    Summary,
    Change,
    Safety,
    Heading,
    Paragraph,
    Item,
    Cell,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Title => "title",
            Kind::Description => "description",
            Kind::Summary => "summary",
            Kind::Change => "change",
            Kind::Safety => "safety",
            Kind::Heading => "h",
            Kind::Paragraph => "p",
            Kind::Item => "li",
            Kind::Cell => "td",
        }
    }

    /// A front matter string: written back as a TOML string, not as Markdown.
    pub fn in_front_matter(self) -> bool {
        matches!(
            self,
            Kind::Title | Kind::Description | Kind::Summary | Kind::Change | Kind::Safety
        )
    }
}

/// Text that is kept as it is inside a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// `fact1`, `link2`…: written `{fact1}` in the masked text.
    pub name: String,
    /// What it stands for, exactly as the file has it.
    pub original: String,
}

#[derive(Debug, Clone)]
pub struct Segment {
    /// `title`, `p-3fa9c2d1`, `li-77aa01c3-2` (the second with that text).
    pub id: String,
    pub kind: Kind,
    /// The bytes of the file's text that hold it (for a front matter string, the TOML string
    /// with its quotes).
    pub range: Range<usize>,
    /// The text as written (a front matter string decoded).
    pub raw: String,
    /// The hash of `raw`: what a translation records it was made from.
    pub hash: String,
    /// `raw` masked for translators (see the module's note).
    pub text: String,
    pub placeholders: Vec<Placeholder>,
    /// 1-based line of the file.
    pub line: usize,
    /// The headings above it, outermost first.
    pub headings: Vec<String>,
    /// A note for translators: the text of an HTML comment `<!-- translators: … -->` just
    /// before its block.
    pub note: Option<String>,
}

/// What keeps a file from being split into segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub offset: usize,
    pub message: String,
}

/// The segments of a content file's whole `text`, whose body starts at byte `body_offset`.
///
/// Also returns the front matter's top-level string values of `keys` (from the same reading
/// of the TOML), in order.
pub fn segments(
    text: &str,
    front_matter: Range<usize>,
    body_offset: usize,
    keys: &[&str],
) -> Result<(Vec<Segment>, Vec<Option<String>>), SplitError> {
    let mut found = Vec::new();
    let values = front_matter_segments(text, front_matter, keys, &mut found)?;
    body_segments(text, body_offset, &mut found);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut seen: rustc_hash::FxHashMap<String, usize> = Default::default();
    for segment in &mut found {
        let base = match segment.kind {
            Kind::Title | Kind::Description => segment.kind.name().to_string(),
            kind => format!("{}-{}", kind.name(), segment.hash),
        };
        let count = seen.entry(base.clone()).or_default();
        *count += 1;
        segment.id = match *count {
            1 => base,
            n => format!("{base}-{n}"),
        };
        segment.line = line_starts.partition_point(|&start| start <= segment.range.start);
    }
    Ok((found, values))
}

pub fn hash(raw: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(raw.as_bytes()))[..8].to_string()
}

fn segment(kind: Kind, range: Range<usize>, raw: String, protected: Vec<Protected>) -> Segment {
    let (text, placeholders) = mask(&raw, protected);
    Segment {
        id: String::new(),
        kind,
        range,
        hash: hash(&raw),
        raw,
        text,
        placeholders,
        line: 0,
        headings: Vec::new(),
        note: None,
    }
}

/// The translatable strings of the front matter, in a fixed order whatever the order of keys.
fn front_matter_segments(
    text: &str,
    front_matter: Range<usize>,
    keys: &[&str],
    found: &mut Vec<Segment>,
) -> Result<Vec<Option<String>>, SplitError> {
    let offset = front_matter.start;
    let table = DeTable::parse(&text[front_matter]).map_err(|e| SplitError {
        offset: offset + e.span().map_or(0, |s| s.start),
        message: e.message().to_string(),
    })?;
    let table = table.get_ref();
    let mut add = |kind: Kind, value: &toml::Spanned<DeValue<'_>>| {
        if let DeValue::String(string) = value.get_ref() {
            let span = value.span();
            let raw = string.to_string();
            let protected = shortcodes(&raw);
            found.push(segment(
                kind,
                offset + span.start..offset + span.end,
                raw,
                protected,
            ));
        }
    };
    for (key, kind) in [("title", Kind::Title), ("description", Kind::Description)] {
        if let Some(value) = get(table, key) {
            add(kind, value);
        }
    }
    if let Some(summary) = get(table, "summary") {
        match summary.get_ref() {
            DeValue::Array(items) => items.iter().for_each(|item| add(Kind::Summary, item)),
            _ => add(Kind::Summary, summary),
        }
    }
    if let Some(changes) = get(table, "changes")
        && let DeValue::Array(changes) = changes.get_ref()
    {
        for change in changes {
            if let DeValue::Table(change) = change.get_ref()
                && let Some(text) = get(change, "text")
            {
                add(Kind::Change, text);
            }
        }
    }
    if let Some(product) = get(table, "product")
        && let DeValue::Table(product) = product.get_ref()
        && let Some(safety) = get(product, "safety")
        && let DeValue::Array(lines) = safety.get_ref()
    {
        lines.iter().for_each(|line| add(Kind::Safety, line));
    }
    Ok(keys
        .iter()
        .map(|key| match get(table, key).map(|v| v.get_ref()) {
            Some(DeValue::String(value)) => Some(value.to_string()),
            _ => None,
        })
        .collect())
}

fn get<'t, 'a>(table: &'t DeTable<'a>, key: &str) -> Option<&'t toml::Spanned<DeValue<'a>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}

/// A stretch of a segment kept as it is: `kind` names its placeholder.
#[derive(Debug, Clone)]
struct Protected {
    range: Range<usize>,
    kind: &'static str,
}

/// `{{ … }}` and `{% … %}` in `raw`.
fn shortcodes(raw: &str) -> Vec<Protected> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = raw[at..].find('{').map(|i| at + i) {
        let close = match raw.as_bytes().get(start + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let Some(end) = raw[start + 2..].find(close).map(|i| start + 2 + i + 2) else {
            break;
        };
        let inner = raw[start + 2..end - 2].trim_start();
        let kind = if inner.starts_with("fact(") {
            "fact"
        } else {
            "shortcode"
        };
        found.push(Protected {
            range: start..end,
            kind,
        });
        at = end;
    }
    found
}

/// `raw` with each protected stretch as `{kindN}` (the same text, the same name) and other
/// braces doubled.
fn mask(raw: &str, mut protected: Vec<Protected>) -> (String, Vec<Placeholder>) {
    protected.sort_by_key(|p| p.range.start);
    let mut text = String::with_capacity(raw.len());
    let mut placeholders: Vec<Placeholder> = Vec::new();
    let mut at = 0;
    for p in protected {
        if p.range.start < at {
            continue; // inside one already masked (a link target in a shortcode's text)
        }
        text.push_str(&escape_braces(&raw[at..p.range.start]));
        let original = &raw[p.range.clone()];
        let name = match placeholders.iter().find(|known| known.original == original) {
            Some(known) => known.name.clone(),
            None => {
                let n = placeholders
                    .iter()
                    .filter(|known| known.name.trim_end_matches(char::is_numeric) == p.kind)
                    .count();
                let name = format!("{}{}", p.kind, n + 1);
                placeholders.push(Placeholder {
                    name: name.clone(),
                    original: original.to_string(),
                });
                name
            }
        };
        text.push('{');
        text.push_str(&name);
        text.push('}');
        at = p.range.end;
    }
    text.push_str(&escape_braces(&raw[at..]));
    (text, placeholders)
}

fn escape_braces(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// What is wrong with a translated segment's placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnmaskError {
    Unknown(String),
    Dropped(Placeholder),
    LoneBrace(usize),
}

impl std::fmt::Display for UnmaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnmaskError::Unknown(name) => write!(
                f,
                "`{{{name}}}` is no placeholder of its source: keep each `{{name}}` as the source has it"
            ),
            UnmaskError::Dropped(p) => write!(
                f,
                "`{{{}}}` ({}) is missing: a translation keeps every placeholder of its source",
                p.name, p.original
            ),
            UnmaskError::LoneBrace(at) => write!(
                f,
                "a brace at character {at} is not part of a `{{placeholder}}`: write a literal brace twice (`{{{{`, `}}}}`)"
            ),
        }
    }
}

/// A masked text read: literal text (braces undoubled) and placeholder names.
enum Piece<'t> {
    Literal(char),
    Placeholder(&'t str),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, UnmaskError> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' | '}' if chars.peek().is_some_and(|&(_, n)| n == c) => {
                chars.next();
                out.push(Piece::Literal(c));
            }
            '{' => {
                let Some(end) = text[at..].find('}').map(|i| at + i) else {
                    return Err(UnmaskError::LoneBrace(text[..at].chars().count() + 1));
                };
                out.push(Piece::Placeholder(&text[at + 1..end]));
                while chars.peek().is_some_and(|&(i, _)| i <= end) {
                    chars.next();
                }
            }
            '}' => return Err(UnmaskError::LoneBrace(text[..at].chars().count() + 1)),
            c => out.push(Piece::Literal(c)),
        }
    }
    Ok(out)
}

/// The file's text of a translated `text` masked with `placeholders`: braces undoubled,
/// placeholders restored. Every placeholder must be there, and no other.
pub fn unmask(text: &str, placeholders: &[Placeholder]) -> Result<String, UnmaskError> {
    let mut out = String::with_capacity(text.len() * 2);
    let mut used = vec![false; placeholders.len()];
    for piece in pieces(text)? {
        match piece {
            Piece::Literal(c) => out.push(c),
            Piece::Placeholder(name) => {
                let Some(index) = placeholders.iter().position(|p| p.name == name) else {
                    return Err(UnmaskError::Unknown(name.to_string()));
                };
                used[index] = true;
                out.push_str(&placeholders[index].original);
            }
        }
    }
    if let Some(index) = used.iter().position(|u| !u) {
        return Err(UnmaskError::Dropped(placeholders[index].clone()));
    }
    Ok(out)
}

/// A translation's segment masked with its source's placeholder names, for the translator to
/// see beside the source; else why it cannot be (a target or fact that is not the source's).
pub fn remask(translation: &Segment, source: &Segment) -> Result<String, String> {
    let mut out = String::with_capacity(translation.text.len());
    let mut used = vec![false; source.placeholders.len()];
    for piece in pieces(&translation.text).map_err(|e| e.to_string())? {
        match piece {
            Piece::Literal(c @ ('{' | '}')) => {
                out.push(c);
                out.push(c);
            }
            Piece::Literal(c) => out.push(c),
            Piece::Placeholder(name) => {
                let original = translation
                    .placeholders
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.original.as_str())
                    .unwrap_or_default();
                let Some(index) = source
                    .placeholders
                    .iter()
                    .position(|p| p.original == original)
                else {
                    return Err(format!(
                        "the translation has `{original}`, which the source does not"
                    ));
                };
                used[index] = true;
                out.push('{');
                out.push_str(&source.placeholders[index].name);
                out.push('}');
            }
        }
    }
    match used.iter().position(|u| !u) {
        Some(index) => Err(format!(
            "the translation lacks `{}`, which the source has",
            source.placeholders[index].original
        )),
        None => Ok(out),
    }
}

/// The blocks whose inline text is a segment, and which kind each is.
fn text_block(tag: &Tag<'_>) -> Option<Kind> {
    match tag {
        Tag::Paragraph => Some(Kind::Paragraph),
        Tag::Heading { .. } => Some(Kind::Heading),
        Tag::TableCell => Some(Kind::Cell),
        Tag::Item => Some(Kind::Item),
        _ => None,
    }
}

fn is_inline_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// An inline run being read: where it is and what in it is protected.
struct Run {
    kind: Kind,
    range: Range<usize>,
    protected: Vec<Protected>,
    /// Open links and images: their start, type, and where their text ends so far.
    open: Vec<(usize, LinkType, usize, &'static str)>,
}

impl Run {
    /// The run being read, or a new one at `range` when the innermost open block holds text.
    fn continue_or_start<'r>(
        run: &'r mut Option<Run>,
        blocks: &[Option<Kind>],
        range: &Range<usize>,
    ) -> Option<&'r mut Run> {
        let kind = blocks.last().copied().flatten()?;
        Some(run.get_or_insert_with(|| Run {
            kind,
            range: range.clone(),
            protected: Vec::new(),
            open: Vec::new(),
        }))
    }
}

fn body_segments(text: &str, body_offset: usize, found: &mut Vec<Segment>) {
    let body = &text[body_offset..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // The kind of text each open block holds; none in a code or HTML block.
    let mut blocks: Vec<Option<Kind>> = Vec::new();
    let mut run: Option<Run> = None;
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut heading_level = 0;
    let mut note: Option<String> = None;
    let finish = |run: Option<Run>,
                  headings: &[(usize, String)],
                  heading_level: usize,
                  note: &mut Option<String>,
                  found: &mut Vec<Segment>|
     -> Option<String> {
        let run = run?;
        let (range, protected) = trim_block_tags(body, run.range, run.protected);
        let raw = body[range.clone()].to_string();
        let mut segment = segment(
            run.kind,
            body_offset + range.start..body_offset + range.end,
            raw,
            protected,
        );
        if !segment.text.chars().any(char::is_alphabetic) || segment_is_only_placeholders(&segment)
        {
            return None;
        }
        // A heading's place is under the headings of the levels above it.
        let level = match run.kind {
            Kind::Heading => heading_level,
            _ => usize::MAX,
        };
        segment.headings = headings
            .iter()
            .filter(|(l, _)| *l < level)
            .map(|(_, h)| h.clone())
            .collect();
        segment.note = note.take();
        let text = segment.raw.clone();
        found.push(segment);
        Some(text)
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(tag) if is_inline_tag(&tag) => {
                let Some(run) = Run::continue_or_start(&mut run, &blocks, &range) else {
                    continue;
                };
                run.range.end = run.range.end.max(range.start);
                if let Tag::Link { link_type, .. } | Tag::Image { link_type, .. } = &tag {
                    let kind = if matches!(tag, Tag::Image { .. }) {
                        "image"
                    } else {
                        "link"
                    };
                    let text_start = range.start + if kind == "image" { 2 } else { 1 };
                    run.open.push((range.start, *link_type, text_start, kind));
                }
            }
            Event::End(end) if is_inline_end(&end) => {
                if let Some(run) = &mut run {
                    run.range.end = run.range.end.max(range.end);
                    if matches!(end, TagEnd::Link | TagEnd::Image)
                        && let Some((start, link_type, text_end, kind)) = run.open.pop()
                    {
                        run.protected.extend(link_target(
                            body,
                            start..range.end,
                            text_end,
                            link_type,
                            kind,
                        ));
                        if let Some(outer) = run.open.last_mut() {
                            outer.2 = range.end;
                        }
                    }
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineMath(_) => {
                let Some(run) = Run::continue_or_start(&mut run, &blocks, &range) else {
                    continue;
                };
                run.range.end = run.range.end.max(range.end);
                if let Some(open) = run.open.last_mut() {
                    open.2 = range.end;
                }
                let kind = match event {
                    Event::Code(_) => Some("code"),
                    Event::InlineHtml(_) => Some("html"),
                    Event::FootnoteReference(_) => Some("note"),
                    Event::InlineMath(_) => Some("math"),
                    _ => None,
                };
                if let Some(kind) = kind {
                    run.protected.push(Protected { range, kind });
                }
            }
            Event::Html(html) => {
                if run.is_none() {
                    note = translator_note(&html).or(note);
                }
            }
            Event::Start(tag) => {
                finish(run.take(), &headings, heading_level, &mut note, found);
                if let Tag::Heading { level, .. } = &tag {
                    heading_level = *level as usize;
                }
                let parent = blocks.last().copied().flatten();
                blocks.push(match (&tag, text_block(&tag), parent) {
                    (Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_), _, _) => None,
                    // A paragraph in a list item is the item's text.
                    (_, Some(Kind::Paragraph), Some(Kind::Item)) => Some(Kind::Item),
                    (_, Some(kind), _) => Some(kind),
                    // A container (quote, list, table row…) passes its kind to its text.
                    (_, None, parent) => Some(parent.unwrap_or(Kind::Paragraph)),
                });
            }
            Event::End(end) => {
                let text = finish(run.take(), &headings, heading_level, &mut note, found);
                if matches!(end, TagEnd::Heading(_))
                    && let Some(text) = text
                {
                    headings.retain(|(level, _)| *level < heading_level);
                    headings.push((heading_level, text));
                }
                blocks.pop();
            }
            _ => {
                finish(run.take(), &headings, heading_level, &mut note, found);
            }
        }
    }
    finish(run.take(), &headings, heading_level, &mut note, found);
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn segment_is_only_placeholders(segment: &Segment) -> bool {
    let mut rest = segment.text.clone();
    for p in &segment.placeholders {
        rest = rest.replace(&format!("{{{}}}", p.name), "");
    }
    !rest.chars().any(char::is_alphabetic)
}

/// `<!-- translators: … -->`: the note, else nothing.
fn translator_note(html: &str) -> Option<String> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let note = inner
        .strip_prefix("translators:")
        .or_else(|| inner.strip_prefix("Translators:"))?;
    Some(note.trim().to_string())
}

/// The protected part of a link or image `[text](target "title")` at `range` of `body`, whose
/// text ends at `text_end`: the target's path (its `#anchor` and title are the translator's),
/// the label of a reference link, or the whole of an autolink.
fn link_target(
    body: &str,
    range: Range<usize>,
    text_end: usize,
    link_type: LinkType,
    kind: &'static str,
) -> Option<Protected> {
    let whole = Protected {
        range: range.clone(),
        kind,
    };
    match link_type {
        LinkType::Autolink | LinkType::Email => return Some(whole),
        LinkType::Inline | LinkType::Reference => {}
        _ => return Some(whole),
    }
    let after = body.get(text_end..range.end)?;
    let close = after.find(']')?;
    let rest = &after[close + 1..];
    let start = text_end + close + 1;
    if link_type == LinkType::Reference {
        let label = rest.strip_prefix('[')?.strip_suffix(']')?;
        return Some(Protected {
            range: start + 1..start + 1 + label.len(),
            kind,
        });
    }
    let inner = rest.strip_prefix('(')?;
    let leading = inner.len() - inner.trim_start().len();
    let inner = inner.trim_start();
    let path_start = start + 1 + leading;
    let target_len = if let Some(angled) = inner.strip_prefix('<') {
        angled.find('>').map(|i| i + 2)?
    } else {
        inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len().saturating_sub(1))
    };
    let target = &inner[..target_len];
    let path_len = target.find('#').unwrap_or(target.len());
    (path_len > 0).then(|| Protected {
        range: path_start..path_start + path_len,
        kind,
    })
}

/// A run's range without a `{% … %}` tag alone on its first or last line (a block
/// shortcode's opening or closing tag that Markdown reads as part of the paragraph).
fn trim_block_tags(
    body: &str,
    mut range: Range<usize>,
    protected: Vec<Protected>,
) -> (Range<usize>, Vec<Protected>) {
    loop {
        let text = &body[range.clone()];
        let first_line = text.split('\n').next().unwrap_or_default();
        if text.contains('\n') && is_block_tag(first_line) {
            let skip = first_line.len() + 1;
            let rest = &text[skip..];
            range.start += skip + (rest.len() - rest.trim_start().len());
            continue;
        }
        if let Some(newline) = text.rfind('\n')
            && is_block_tag(&text[newline + 1..])
        {
            range.end = range.start + text[..newline].trim_end().len();
            continue;
        }
        break;
    }
    let protected = shortcodes(&body[range.clone()])
        .into_iter()
        .chain(
            protected
                .into_iter()
                .filter(|p| p.range.start >= range.start && p.range.end <= range.end)
                .map(|p| Protected {
                    range: p.range.start - range.start..p.range.end - range.start,
                    kind: p.kind,
                }),
        )
        .collect();
    (range, protected)
}

fn is_block_tag(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("{%") && line.ends_with("%}") && line[2..].find("%}") == Some(line.len() - 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Segment> {
        let body = text.find("\n+++\n").map_or(0, |i| i + 5);
        segments(text, 4..body.saturating_sub(4).max(4), body, &[])
            .unwrap()
            .0
    }

    #[test]
    fn front_matter_and_body_segments_in_order() {
        let text = "+++\ndescription = \"About\"\ntitle = \"Returns\"\nweight = 2\nsummary = ['In {{ fact(key=\"a.b\") }} days', \"Free\"]\n[[changes]]\ndate = 2026-01-01\ntext = \"Longer window\"\n+++\n\nIntro with **bold**.\n\n## Heading {#h}\n\n- one `code`\n- two [link](@/a.md#x \"Title\")\n\n| A | B |\n|---|---|\n| c | d |\n";
        let found = split(text);
        let shown: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.kind.name(), s.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("title", "Returns"),
                ("description", "About"),
                ("summary", "In {fact1} days"),
                ("summary", "Free"),
                ("change", "Longer window"),
                ("p", "Intro with **bold**."),
                ("h", "Heading"),
                ("li", "one {code1}"),
                ("li", "two [link]({link1}#x \"Title\")"),
                ("td", "A"),
                ("td", "B"),
                ("td", "c"),
                ("td", "d"),
            ]
        );
        assert_eq!(&text[found[0].range.clone()], "\"Returns\"");
        assert_eq!(found[8].placeholders[0].original, "@/a.md");
        assert_eq!(found[8].headings, ["Heading"]);
        assert_eq!(found[0].id, "title");
        assert!(found[5].id.starts_with("p-"));
        assert_eq!(found[5].line, 11);
    }

    #[test]
    fn block_shortcode_tags_and_code_blocks_are_not_segments() {
        let text = "+++\ntitle = \"T\"\n+++\n{% steps() %}\n1. First step.\n2. Second step.\n{% end %}\n\n```\ncode here\n```\n\n{{ fact(key=\"contact.email\") }}\n\n<!-- translators: keep it short -->\nLast words.\n";
        let found = split(text);
        let texts: Vec<&str> = found.iter().map(|s| s.raw.as_str()).collect();
        assert_eq!(texts, ["T", "First step.", "Second step.", "Last words."]);
        assert_eq!(found[3].note.as_deref(), Some("keep it short"));
    }

    #[test]
    fn masking_round_trips_and_checks_placeholders() {
        let raw = "Email {{ fact(key=\"contact.email\") }} {a} or see [this](https://x.example/a \"t\") and `x`.";
        let protected = {
            let mut p = shortcodes(raw);
            p.push(Protected {
                range: raw.find("https").unwrap()..raw.find(" \"t\"").unwrap(),
                kind: "link",
            });
            let code = raw.find('`').unwrap();
            p.push(Protected {
                range: code..code + 3,
                kind: "code",
            });
            p
        };
        let (text, placeholders) = mask(raw, protected);
        assert_eq!(
            text,
            "Email {fact1} {{a}} or see [this]({link1} \"t\") and {code1}."
        );
        assert_eq!(unmask(&text, &placeholders).unwrap(), raw);
        let moved = "{code1}: [tai]({link1} \"t\") {{a}}, {fact1}";
        assert!(unmask(moved, &placeholders).is_ok());
        assert_eq!(
            unmask("{code1} {link1}", &placeholders),
            Err(UnmaskError::Dropped(placeholders[0].clone()))
        );
        assert_eq!(
            unmask("{fact1} {link1} {code1} {link9}", &placeholders),
            Err(UnmaskError::Unknown("link9".into()))
        );
        assert_eq!(
            unmask("{fact1} {link1} {code1} }", &placeholders),
            Err(UnmaskError::LoneBrace(25))
        );
    }

    #[test]
    fn an_edit_elsewhere_keeps_ids() {
        let a = split("+++\ntitle = \"T\"\n+++\nOne.\n\nTwo.\n\nOne.\n");
        let b = split("+++\ntitle = \"T\"\n+++\nZero.\n\nOne.\n\nTwo changed.\n\nOne.\n");
        assert_eq!(a[1].id, b[2].id);
        assert_eq!(a[3].id, b[4].id);
        assert!(a[3].id.ends_with("-2"));
    }
}
