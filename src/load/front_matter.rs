//! Splitting a content file into TOML front matter and Markdown body, and turning the raw
//! front matter into validated page metadata.
//!
//! The raw schema ([`RawFrontMatter`]) is exactly what a user may write; [`PageMeta`] is what
//! later stages use: dates resolved in the site's time zone, summary as a list, changes sorted.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::product::Product;
use crate::config::read_moment;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// A content file split at its `+++` lines.
pub struct SplitFile<'a> {
    pub front_matter: &'a str,
    /// Byte offset of the front matter in the file (for TOML spans).
    pub front_matter_offset: usize,
    pub body: &'a str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Splits `text` (BOM removed, line endings normalised) into front matter and body.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<SplitFile<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(file, "the file is empty: a page starts with front matter between `+++` lines, with at least a title").at_line(1));
    }
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim_end() != "+++" {
        return Err(
            Diagnostic::new(file, "missing front matter: the first line must be `+++`")
                .at_line(1)
                .quoting(first_line),
        );
    }
    let front_start = first_line.len() + 1;
    let mut offset = front_start;
    for line in text[front_start.min(text.len())..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok(SplitFile {
                front_matter: &text[front_start..offset],
                front_matter_offset: front_start,
                body: &text[body_start.min(text.len())..],
                body_line: text[..body_start.min(text.len())].matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        file,
        "the front matter opened here is never closed by a `+++` line",
    )
    .at_line(1)
    .quoting(first_line))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Article,
    Policy,
    Faq,
    Product,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Article => "article",
            PageKind::Policy => "policy",
            PageKind::Faq => "faq",
            PageKind::Product => "product",
        }
    }

    /// Pages of these kinds are a list of questions, one per `## ` heading.
    pub fn has_questions(self) -> bool {
        matches!(self, PageKind::Faq | PageKind::Product)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<Spanned<String>>,
    description: Option<String>,
    date: Option<Spanned<toml::Value>>,
    updated: Option<Spanned<toml::Value>>,
    effective: Option<Spanned<toml::Value>>,
    review_by: Option<Spanned<toml::Value>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    /// `search = false` keeps the page out of the search index.
    #[serde(default = "default_true")]
    search: bool,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    kind: Option<PageKind>,
    page_kind: Option<PageKind>,
    template: Option<Spanned<String>>,
    policy: Option<String>,
    summary: Option<Spanned<Summary>>,
    #[serde(default)]
    changes: Vec<RawChange>,
    product: Option<Product>,
    source_hash: Option<String>,
    source_segments: Option<Spanned<String>>,
    #[serde(default)]
    extra: toml::Table,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Summary {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    date: Spanned<toml::Value>,
    text: String,
}

/// One entry of a policy's change history.
#[derive(Debug, Clone)]
pub struct Change {
    pub date: jiff::Zoned,
    pub text: String,
}

/// A string value with the 1-based line it was written on, for later diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
}

/// Validated front matter.
#[derive(Debug, Clone)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<jiff::Zoned>,
    pub updated: Option<jiff::Zoned>,
    /// The line `updated` is on, for warnings about it.
    pub updated_line: Option<usize>,
    pub effective: Option<jiff::Zoned>,
    /// When the page is due for a review (`check` warns once it is past).
    pub review_by: Option<jiff::Zoned>,
    pub review_by_line: Option<usize>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub search: bool,
    pub slug: Option<Located>,
    pub aliases: Vec<Located>,
    pub kind: Option<PageKind>,
    pub page_kind: Option<PageKind>,
    pub template: Option<Located>,
    pub policy: Option<String>,
    /// The key facts; `{{ fact(…) }}` in them is filled in when the page is rendered.
    pub summary: Vec<String>,
    /// Line of the file where `summary` is given.
    pub summary_line: Option<usize>,
    /// Newest first.
    pub changes: Vec<Change>,
    pub product: Option<Product>,
    /// On a translation: the hash of the source page's body it was translated from.
    pub source_hash: Option<String>,
    /// On a translation: per segment of its own, the hash of the source segment it was made
    /// from (`~` a machine draft, `-` still the source's text); see
    /// `crate::translations::alignment`.
    pub source_segments: Option<Vec<super::source_segments::Recorded>>,
    pub extra: toml::Table,
}

/// Parses and validates the front matter of `file` (whose whole text is `text`).
pub fn parse(
    file: &Path,
    text: &str,
    split: &SplitFile<'_>,
    timezone: &jiff::tz::TimeZone,
) -> Result<PageMeta, Vec<Diagnostic>> {
    let place = Place {
        file,
        text,
        offset: split.front_matter_offset,
    };
    let raw: RawFrontMatter =
        crate::values::read(file, text, split.front_matter_offset, split.front_matter).map_err(
            |problems| {
                problems
                    .into_iter()
                    .map(hint_front_matter_key)
                    .collect::<Vec<_>>()
            },
        )?;
    let mut problems = Vec::new();
    let dates = Dates::read(&raw, timezone, place, &mut problems);
    let title = title(raw.title, place, &mut problems);
    if let Some(product) = &raw.product {
        for (offset, why) in product.problems(split.front_matter) {
            problems.push(place.at(offset, why));
        }
    }
    let source_segments = raw.source_segments.as_ref().and_then(|s| {
        let read = super::source_segments::parse_recorded(s.get_ref());
        if read.is_none() {
            problems.push(
                place.at(
                    s.span().start,
                    "`source_segments` is not a list of segment hashes (written by `helpdeck \
                 translations import` or `--mark`): remove it and mark the translation again"
                        .to_string(),
                ),
            );
        }
        read
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PageMeta {
        title,
        description: raw.description,
        date: dates.date,
        updated: dates.updated,
        updated_line: raw.updated.as_ref().map(|u| place.line_of(u.span())),
        effective: dates.effective,
        review_by: dates.review_by,
        review_by_line: raw.review_by.as_ref().map(|r| place.line_of(r.span())),
        weight: raw.weight,
        draft: raw.draft,
        search: raw.search,
        slug: raw.slug.map(|s| place.located(s)),
        aliases: raw.aliases.into_iter().map(|a| place.located(a)).collect(),
        kind: raw.kind,
        page_kind: raw.page_kind,
        template: raw.template.map(|t| place.located(t)),
        policy: raw.policy,
        summary_line: raw.summary.as_ref().map(|s| place.line_of(s.span())),
        summary: match raw.summary.map(Spanned::into_inner) {
            None => Vec::new(),
            Some(Summary::One(s)) => vec![s],
            Some(Summary::Many(v)) => v,
        },
        changes: dates.changes,
        product: raw.product,
        source_hash: raw.source_hash,
        source_segments,
        extra: raw.extra,
    })
}

/// Where the front matter sits in its file: problems and values are placed at the file's
/// lines, not the front matter's.
#[derive(Clone, Copy)]
struct Place<'a> {
    file: &'a Path,
    text: &'a str,
    /// Of the front matter in the file.
    offset: usize,
}

impl Place<'_> {
    /// A problem at a byte offset in the front matter.
    fn at(self, offset: usize, message: String) -> Diagnostic {
        Diagnostic::new(self.file, message).at_offset(self.text, self.offset + offset)
    }

    /// The line in the file of a span in the front matter.
    fn line_of(self, span: std::ops::Range<usize>) -> usize {
        crate::diagnostic::TextPosition::of(self.text, self.offset + span.start).line
    }

    fn located(self, value: Spanned<String>) -> Located {
        Located {
            line: self.line_of(value.span()),
            value: value.into_inner(),
        }
    }
}

/// The page's dates, read in the site's time zone.
struct Dates {
    date: Option<jiff::Zoned>,
    updated: Option<jiff::Zoned>,
    effective: Option<jiff::Zoned>,
    review_by: Option<jiff::Zoned>,
    /// Newest first.
    changes: Vec<Change>,
}

impl Dates {
    /// Each date that is not one is a problem, and left out.
    fn read(
        raw: &RawFrontMatter,
        timezone: &jiff::tz::TimeZone,
        place: Place,
        problems: &mut Vec<Diagnostic>,
    ) -> Dates {
        let mut date = |field: &str, value: Option<&Spanned<toml::Value>>| {
            let value = value?;
            read_moment(value.get_ref(), timezone)
                .map_err(|why| {
                    problems.push(place.at(value.span().start, format!("`{field}` {why}")))
                })
                .ok()
        };
        let page_date = date("date", raw.date.as_ref());
        let updated = date("updated", raw.updated.as_ref());
        let effective = date("effective", raw.effective.as_ref());
        let review_by = date("review_by", raw.review_by.as_ref());
        let mut changes: Vec<Change> = raw
            .changes
            .iter()
            .filter_map(|c| {
                Some(Change {
                    date: date("changes.date", Some(&c.date))?,
                    text: c.text.clone(),
                })
            })
            .collect();
        changes.sort_by(|a, b| b.date.cmp(&a.date));
        Dates {
            date: page_date,
            updated,
            effective,
            review_by,
            changes,
        }
    }
}

/// Every page has a title; a missing or empty one is a problem.
fn title(raw: Option<Spanned<String>>, place: Place, problems: &mut Vec<Diagnostic>) -> String {
    match raw {
        Some(t) if !t.get_ref().trim().is_empty() => t.into_inner(),
        Some(t) => {
            problems.push(place.at(t.span().start, "`title` is empty".to_string()));
            String::new()
        }
        None => {
            problems.push(
                Diagnostic::new(place.file, "missing `title` in the front matter").at_line(2),
            );
            String::new()
        }
    }
}

const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "effective",
    "review_by",
    "weight",
    "draft",
    "search",
    "slug",
    "aliases",
    "kind",
    "page_kind",
    "template",
    "policy",
    "summary",
    "changes",
    "product",
    "source_hash",
    "source_segments",
    "extra",
];

/// serde's message already names the unknown key; a page key is usually a typo of a known one.
fn hint_front_matter_key(diagnostic: Diagnostic) -> Diagnostic {
    let Some(rest) = diagnostic.message.strip_prefix("unknown key `") else {
        return diagnostic;
    };
    let unknown = rest.split('`').next().unwrap_or_default();
    match did_you_mean(unknown, FRONT_MATTER_KEYS.iter().copied()) {
        Some(best) => Diagnostic {
            message: format!(
                "unknown key `{unknown}` (did you mean `{best}`? Free-form keys go under [extra])"
            ),
            ..diagnostic
        },
        None => Diagnostic {
            message: format!("unknown key `{unknown}` (free-form keys go under [extra])"),
            ..diagnostic
        },
    }
}

/// Dates that contradict each other or the calendar: `updated` in the future, or before the
/// latest entry of `[[changes]]`. Warnings, not errors: the page still builds.
pub fn date_warnings(file: &Path, meta: &PageMeta, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let Some(updated) = &meta.updated else {
        return Vec::new();
    };
    let at = |message: String| {
        let diagnostic = Diagnostic::new(file, message);
        match meta.updated_line {
            Some(line) => diagnostic.at_line(line),
            None => diagnostic,
        }
    };
    let mut warnings = Vec::new();
    if updated.date() > today {
        warnings.push(at(format!(
            "`updated = {}` is in the future (today is {today})",
            updated.date()
        )));
    }
    if let Some(latest) = meta
        .changes
        .first()
        .filter(|c| c.date.date() > updated.date())
    {
        warnings.push(at(format!(
            "`updated = {}` is older than the latest change ({}: {}); set it to the change's date",
            updated.date(),
            latest.date.date(),
            latest.text
        )));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_body_line() {
        let text = "+++\ntitle = \"a\"\n+++\nHello\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(
            (s.front_matter, s.body, s.body_line),
            ("title = \"a\"\n", "Hello\n", 4)
        );
    }

    #[test]
    fn error_line_counts_from_top_of_file() {
        let text = "+++\ntitle = \"a\"\nweight = \"x\"\n+++\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let err = parse(Path::new("a.md"), text, &s, &jiff::tz::TimeZone::UTC).unwrap_err();
        assert_eq!(err[0].line, Some(3), "{}", err[0]);
    }

    #[test]
    fn dates_without_offset_are_in_site_zone() {
        let tz = jiff::tz::TimeZone::get("Pacific/Auckland").unwrap();
        let d = read_moment(
            &toml::Value::String("2026-11-01T23:30:00-08:00".into()),
            &tz,
        )
        .unwrap();
        assert_eq!(d.date().to_string(), "2026-11-02");
        let local = read_moment(&toml::Value::String("2026-11-01".into()), &tz).unwrap();
        assert_eq!(local.date().to_string(), "2026-11-01");
    }
}
