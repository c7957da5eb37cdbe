//! Diagnostics: what went wrong, in which file, on which line, quoting the offending text.
//!
//! Every stage reports problems in the user's files as [`Diagnostic`]s and collects all of a
//! run's problems into one [`Error::Invalid`], so a seller fixes everything in one pass instead
//! of one error per build. Internal failures (I/O on the output, a poisoned template engine)
//! are the other variants.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one of the user's files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub message: String,
    /// The offending text, quoted after the message.
    pub excerpt: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            excerpt: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Places the diagnostic at a byte offset of `text` (the whole file), quoting that line.
    pub fn at_offset(mut self, text: &str, offset: usize) -> Self {
        let position = TextPosition::of(text, offset);
        self.line = Some(position.line);
        self.column = Some(position.column);
        if self.excerpt.is_none() {
            self.excerpt =
                Some(excerpt(position.line_text, position.column)).filter(|t| !t.is_empty());
        }
        self
    }

    /// Quotes the offending text: its first line, shortened.
    pub fn quoting(mut self, text: impl AsRef<str>) -> Self {
        self.excerpt = Some(excerpt(text.as_ref(), 1));
        self
    }
}

/// The longest quote, in characters.
const EXCERPT_CHARS: usize = 120;

/// The first line of `text` that is not blank, trimmed, and when it is longer than
/// [`EXCERPT_CHARS`], the stretch of it around `column` (1-based, in characters): a quote is
/// one line of a terminal, whatever the text's line endings and however long its line.
fn excerpt(text: &str, column: usize) -> String {
    let trimmed = text.trim_start();
    let leading = text[..text.len() - trimmed.len()].chars().count();
    let line = trimmed
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .trim_end();
    let length = line.chars().count();
    if length <= EXCERPT_CHARS {
        return line.to_string();
    }
    // Some context before the column, and the whole quote inside the line.
    let start = column
        .saturating_sub(leading + 1 + EXCERPT_CHARS / 3)
        .min(length - EXCERPT_CHARS);
    let mut quote: String = line.chars().skip(start).take(EXCERPT_CHARS).collect();
    if start > 0 {
        quote.insert(0, '…');
    }
    if start + EXCERPT_CHARS < length {
        quote.push('…');
    }
    quote
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(excerpt) = &self.excerpt {
            write!(f, ": `{excerpt}`")?;
        }
        Ok(())
    }
}

/// Line, column and the text of the line at a byte offset.
pub struct TextPosition<'a> {
    pub line: usize,
    pub column: usize,
    pub line_text: &'a str,
}

impl<'a> TextPosition<'a> {
    pub fn of(text: &'a str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        TextPosition {
            line: text[..offset].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
            line_text: text[line_start..line_end].trim_end_matches('\r'),
        }
    }
}

/// All the problems of a run, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files: the user can fix these.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The output location is unsafe to write to.
    #[error("refusing to write to {}: {reason}", path.display())]
    UnsafeOutput { path: PathBuf, reason: String },
    /// A file of a new build could not be written; the build stops, and the previous output
    /// stays as it was.
    #[error("{}", output_failure(file, output, source))]
    Output {
        /// Relative to the output folder.
        file: PathBuf,
        output: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Work that watch mode gave up because a newer change arrived; it is done again later.
    #[error("interrupted by a newer change")]
    Interrupted,
}

impl Error {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Collects diagnostics into one error, sorted so output is stable across parallel runs.
    pub fn invalid(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics
            .sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        diagnostics.dedup();
        Error::Invalid(Diagnostics(diagnostics))
    }

    pub fn single(diagnostic: Diagnostic) -> Self {
        Error::Invalid(Diagnostics(vec![diagnostic]))
    }

    /// This error with `earlier` problems of the site reported beside it. Problems of the site
    /// join those of a later stage; a failure to read or write stands alone.
    pub fn after(self, mut earlier: Vec<Diagnostic>) -> Self {
        match self {
            Error::Invalid(Diagnostics(mut later)) if !earlier.is_empty() => {
                earlier.append(&mut later);
                Error::invalid(earlier)
            }
            other => other,
        }
    }
}

/// One line for a failed write of a build, whichever of its thousands of files failed first.
fn output_failure(file: &Path, output: &Path, source: &std::io::Error) -> String {
    let intact = format!("the previous output in {} is intact", output.display());
    match source.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => format!(
            "the disk is full: cannot write {} of the new build ({source}); {intact}",
            file.display()
        ),
        _ => format!(
            "cannot write {} of the new build: {source}; {intact}",
            file.display()
        ),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Turns a TOML error into a diagnostic, with the block's position in the file added to the
/// span toml reports inside the block, and a "did you mean" hint for unknown keys.
pub fn toml_diagnostic(
    file: &Path,
    file_text: &str,
    block_offset: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = error.message().trim().replace('\n', " ");
    let message = with_key_hint(&message);
    let diagnostic = Diagnostic::new(file, message);
    match error.span() {
        Some(span) => diagnostic.at_offset(file_text, block_offset + span.start),
        None => diagnostic,
    }
}

/// serde reports ``unknown field `titel`, expected one of `title`, …``; keep the first part
/// and add the closest known key instead of the whole list.
fn with_key_hint(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((unknown, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match did_you_mean(unknown, candidates.iter().copied()) {
        Some(best) => format!("unknown key `{unknown}` (did you mean `{best}`?)"),
        None => format!(
            "unknown key `{unknown}` (known keys: {})",
            candidates.join(", ")
        ),
    }
}

/// Hints compare a name with at most this many candidates, each at most this long: with
/// thousands of unknown names in a site, each compared with thousands of keys, reporting them
/// took minutes.
const HINT_CANDIDATES: usize = 200;
const HINT_NAME_BYTES: usize = 64;

/// The closest candidate to a misspelt name, if any is close enough to be a typo. None among
/// more than [`HINT_CANDIDATES`] candidates.
pub fn did_you_mean<'a, I>(unknown: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: ExactSizeIterator,
{
    let candidates = candidates.into_iter();
    if candidates.len() > HINT_CANDIDATES || unknown.len() > HINT_NAME_BYTES {
        return None;
    }
    candidates
        .filter(|c| c.len() <= HINT_NAME_BYTES)
        .map(|c| (strsim::jaro_winkler(unknown, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `text` cut to `max_chars` characters, with `…` when cut.
fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Names for a message, `a, b, c`: the first ten of a longer list, and how many more there are,
/// each name cut short, so that every message stays short whatever the site holds.
pub fn listing<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 10;
    let more = names.len().saturating_sub(SHOWN);
    let mut list = names
        .take(SHOWN)
        .map(|name| shorten(name, 40))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters() {
        let text = "a\nżąsis = 1\n";
        let offset = text.find('=').unwrap();
        let p = TextPosition::of(text, offset);
        assert_eq!((p.line, p.column, p.line_text), (2, 7, "żąsis = 1"));
    }

    #[test]
    fn a_quote_is_one_short_line_around_the_column() {
        let d = Diagnostic::new("a.md", "x").quoting("+++\rtitle = \"a\"\r+++\r");
        assert_eq!(d.excerpt.as_deref(), Some("+++"));
        let long = format!("key = \"{}\" # {}", "a".repeat(200), "b".repeat(100));
        let column = long.find('#').unwrap() + 1;
        let d = Diagnostic::new("a.toml", "x").at_offset(&long, column - 1);
        let quote = d.excerpt.unwrap();
        assert_eq!(quote.chars().count(), EXCERPT_CHARS + 2, "{quote}");
        assert!(quote.starts_with('…') && quote.ends_with('…'), "{quote}");
        assert!(quote.contains("\" # b"), "the column is quoted: {quote}");
        let d = Diagnostic::new("a.toml", "x").at_offset(&long, 0);
        assert!(d.excerpt.unwrap().starts_with("key = \"aaa"));
    }

    #[test]
    fn long_lists_are_cut_short() {
        let names: Vec<String> = (0..25).map(|i| format!("key{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(listing(names[..3].iter().copied()), "key0, key1, key2");
        assert_eq!(
            listing(names.iter().copied()),
            "key0, key1, key2, key3, key4, key5, key6, key7, key8, key9 and 15 more"
        );
        let long = "x".repeat(100);
        assert_eq!(
            listing([long.as_str()].into_iter()),
            format!("{}…", "x".repeat(40))
        );
    }

    #[test]
    fn hints_are_not_guessed_among_too_many_candidates() {
        let names: Vec<String> = (0..HINT_CANDIDATES + 1)
            .map(|i| format!("key{i}"))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let first = names[..HINT_CANDIDATES].iter().copied();
        assert_eq!(did_you_mean("kee1", first), Some("key1"));
        assert_eq!(did_you_mean("kee1", names.iter().copied()), None);
    }

    #[test]
    fn unknown_field_gets_a_hint() {
        let m = with_key_hint("unknown field `titel`, expected one of `title`, `description`");
        assert_eq!(m, "unknown key `titel` (did you mean `title`?)");
    }
}
