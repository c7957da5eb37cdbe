//! gettext PO files: written for translators' tools (Poedit, Weblate, Crowdin, Lokalise…) and
//! read back, with the line of each entry for diagnostics. Only what helpdeck writes and what
//! those tools write back: contexts, plural entries, flags, comments; obsolete (`#~`)
//! entries are skipped.

/// One message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub context: Option<String>,
    pub id: String,
    pub id_plural: Option<String>,
    /// `msgstr`, or `msgstr[0]`, `msgstr[1]`… of a plural entry.
    pub translations: Vec<String>,
    /// `#, fuzzy`, `#, python-brace-format`…
    pub flags: Vec<String>,
    /// `#.` lines: notes for the translator.
    pub notes: Vec<String>,
    /// `#:` lines: where the source is (`content/policies/returns.md:12`).
    pub references: Vec<String>,
    /// `#| msgid`: the source a fuzzy entry's translation was made from.
    pub previous: Option<String>,
    /// The line of the file where the entry starts (1-based).
    pub line: usize,
}

impl Entry {
    pub fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }
}

/// A PO file helpdeck writes for `project` in `lang`: the header a translator's tool expects
/// (it fills in the translator and team), then `entries`.
pub fn write_file(
    project: &str,
    lang: &str,
    plural_forms: Option<&str>,
    entries: &[Entry],
) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_file_to(
        &mut out,
        project,
        lang,
        plural_forms,
        entries.iter().cloned(),
    );
    String::from_utf8(out).unwrap_or_default()
}

/// [`write_file`] into `out` as the entries come: a site's pages make a file of tens of
/// megabytes, which need not be held whole.
pub fn write_file_to(
    out: &mut dyn std::io::Write,
    project: &str,
    lang: &str,
    plural_forms: Option<&str>,
    entries: impl Iterator<Item = Entry>,
) -> std::io::Result<()> {
    let generator = concat!("helpdeck ", env!("CARGO_PKG_VERSION"));
    let revised = crate::render::build_moment()
        .strftime("%Y-%m-%d %H:%M+0000")
        .to_string();
    let mut header = vec![
        ("Project-Id-Version", project),
        ("PO-Revision-Date", revised.as_str()),
        ("Last-Translator", ""),
        ("Language-Team", ""),
        ("Language", lang),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ];
    if let Some(forms) = plural_forms {
        header.push(("Plural-Forms", forms));
    }
    header.push(("X-Generator", generator));
    write_to(out, &header, entries)
}

/// A PO file: the header's fields, then `entries`.
pub fn write(header: &[(&str, &str)], entries: &[Entry]) -> String {
    let mut out = Vec::new();
    let _ = write_to(&mut out, header, entries.iter().cloned());
    String::from_utf8(out).unwrap_or_default()
}

fn write_to(
    out: &mut dyn std::io::Write,
    header: &[(&str, &str)],
    entries: impl Iterator<Item = Entry>,
) -> std::io::Result<()> {
    let mut text = String::from("msgid \"\"\nmsgstr \"\"\n");
    for (name, value) in header {
        quoted(&mut text, "", &format!("{name}: {value}\n"));
    }
    out.write_all(text.as_bytes())?;
    for entry in entries {
        text.clear();
        write_entry(&mut text, &entry);
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

fn write_entry(out: &mut String, entry: &Entry) {
    out.push('\n');
    for note in &entry.notes {
        out.push_str("#. ");
        out.push_str(note);
        out.push('\n');
    }
    for reference in &entry.references {
        out.push_str("#: ");
        out.push_str(reference);
        out.push('\n');
    }
    if !entry.flags.is_empty() {
        out.push_str("#, ");
        out.push_str(&entry.flags.join(", "));
        out.push('\n');
    }
    if let Some(previous) = &entry.previous {
        quoted(out, "#| msgid ", previous);
    }
    if let Some(context) = &entry.context {
        quoted(out, "msgctxt ", context);
    }
    quoted(out, "msgid ", &entry.id);
    match &entry.id_plural {
        Some(plural) => {
            quoted(out, "msgid_plural ", plural);
            for (index, text) in entry.translations.iter().enumerate() {
                quoted(out, &format!("msgstr[{index}] "), text);
            }
        }
        None => {
            let text = entry.translations.first().map_or("", String::as_str);
            quoted(out, "msgstr ", text);
        }
    }
}

/// `keyword "text"` and a line end, the text escaped.
fn quoted(out: &mut String, keyword: &str, text: &str) {
    out.reserve(keyword.len() + text.len() + 3);
    out.push_str(keyword);
    out.push('"');
    // Escapes are rare: copy the stretches between them whole.
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'\\' => "\\\\",
            b'"' => "\\\"",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(escaped);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out.push_str("\"\n");
}

/// What is wrong with a PO file, and on which line.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// A header's fields, name and value, in order.
pub type Header = Vec<(String, String)>;

/// The header's fields and the entries of `text`.
pub fn parse(text: &str) -> Result<(Header, Vec<Entry>), ParseError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut entry = Entry::default();
    // The field the next continuation string extends: 0 context, 1 id, 2 plural, 3+n msgstr[n].
    let mut field: Option<usize> = None;
    let mut started = false;
    let fail = |line: usize, message: &str| ParseError {
        line,
        message: message.to_string(),
    };
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with("#~") {
            continue;
        }
        let starts_keyword =
            line.starts_with("msgctxt") || line.starts_with("msgid ") || line.starts_with('#');
        // A comment or msgctxt/msgid after a msgstr begins the next entry.
        if starts_keyword && !entry.translations.is_empty() {
            entries.push(std::mem::take(&mut entry));
            started = false;
        }
        if !started {
            entry.line = line_no;
            started = true;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            entry
                .flags
                .extend(flags.split(',').map(|f| f.trim().to_string()));
            continue;
        }
        if let Some(note) = line.strip_prefix("#.") {
            entry.notes.push(note.trim().to_string());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = match line.find('"') {
            Some(at) => (line[..at].trim(), &line[at..]),
            None => return Err(fail(line_no, "expected a keyword and a quoted string")),
        };
        let value = unquote(rest).ok_or_else(|| fail(line_no, "a string not closed by `\"`"))?;
        let target = match keyword {
            "" => field.ok_or_else(|| fail(line_no, "a string before any keyword"))?,
            "msgctxt" => 0,
            "msgid" => 1,
            "msgid_plural" => 2,
            "msgstr" => 3,
            _ => match keyword
                .strip_prefix("msgstr[")
                .and_then(|k| k.strip_suffix(']'))
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => 3 + n,
                None => return Err(fail(line_no, &format!("unknown keyword `{keyword}`"))),
            },
        };
        field = Some(target);
        match target {
            0 => entry
                .context
                .get_or_insert_with(String::new)
                .push_str(&value),
            1 => entry.id.push_str(&value),
            2 => entry
                .id_plural
                .get_or_insert_with(String::new)
                .push_str(&value),
            n => {
                let n = n - 3;
                if entry.translations.len() <= n {
                    entry.translations.resize(n + 1, String::new());
                }
                entry.translations[n].push_str(&value);
            }
        }
    }
    if started {
        entries.push(entry);
    }
    let mut header = Vec::new();
    if let Some(first) = entries.first()
        && first.id.is_empty()
        && first.context.is_none()
    {
        let text = first.translations.first().cloned().unwrap_or_default();
        for field in text.lines() {
            if let Some((name, value)) = field.split_once(':') {
                header.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        entries.remove(0);
    }
    Ok((header, entries))
}

/// The text of a quoted PO string (`"a \"b\"\n"`), escapes undone.
fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                other => out.push(other),
            },
            '"' => return None,
            _ => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_written() {
        let entries = vec![
            Entry {
                context: Some("copy_link".into()),
                id: "Copy \"link\"\\now".into(),
                translations: vec!["Kopijuoti\nnuorodą".into()],
                notes: vec!["a button".into()],
                line: 0,
                ..Entry::default()
            },
            Entry {
                context: Some("articles_count".into()),
                id: "{count} article".into(),
                id_plural: Some("{count} articles".into()),
                translations: vec!["a".into(), "b".into(), "c".into()],
                flags: vec!["python-brace-format".into()],
                line: 0,
                ..Entry::default()
            },
        ];
        let text = write(&[("Language", "lt")], &entries);
        let (header, read) = parse(&text).unwrap();
        assert_eq!(header, [("Language".to_string(), "lt".to_string())]);
        let without_lines: Vec<Entry> = read.into_iter().map(|e| Entry { line: 0, ..e }).collect();
        assert_eq!(without_lines, entries);
    }

    #[test]
    fn continuation_lines_and_errors() {
        let (_, entries) = parse("msgid \"\"\n\"ab\"\n\"c\"\nmsgstr \"x\"\n\"y\"\n").unwrap();
        assert_eq!(
            (entries[0].id.as_str(), entries[0].translations[0].as_str()),
            ("abc", "xy")
        );
        let (_, entries) = parse("#, fuzzy\nmsgid \"a\"\n\"b\"\nmsgstr \"c\"\n").unwrap();
        assert_eq!(
            (entries[0].id.as_str(), entries[0].is_fuzzy()),
            ("ab", true)
        );
        assert_eq!(entries[0].line, 1);
        assert_eq!(parse("msgid \"a\nmsgstr \"b\"").unwrap_err().line, 1);
        assert_eq!(parse("msgid \"a\"\nmsgfoo \"b\"").unwrap_err().line, 2);
    }
}
