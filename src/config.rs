//! `helpdeck.toml`: the site's configuration, its schema and its validation.
//!
//! The schema types mirror the file one to one (`deny_unknown_fields`, so a typo is an error
//! with a hint); [`Config::load`] validates the values and derives what later stages need
//! (the base path, the ordered language list, the time zone).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::{Reached, reach};

pub const CONFIG_FILE: &str = "helpdeck.toml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: String,
    #[serde(default)]
    description: Option<String>,
    base_url: String,
    #[serde(default = "default_language")]
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_true")]
    minify: bool,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default)]
    languages: toml::Table,
    #[serde(default)]
    contact: Contact,
    #[serde(default)]
    notices: Vec<RawNotice>,
    feedback: Option<RawFeedback>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    extra: toml::Table,
}

fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_true() -> bool {
    true
}
fn default_timezone() -> String {
    "UTC".to_string()
}

/// `[languages.<tag>]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Native name for the language switcher.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Overrides of the theme's UI strings.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
    /// Search synonyms: each group's words find each other, `[["return", "refund"]]`.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// `[contact]`: how buyers reach the seller, shown by the contact block.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub chat_url: Option<String>,
    pub marketplace_url: Option<String>,
    /// The reply-time promise, in hours.
    pub reply_hours: Option<u32>,
    /// Time zone of the business hours; the site's time zone when absent.
    pub timezone: Option<String>,
    /// `mon = "09:00-17:00"`, `sat = "closed"`.
    #[serde(default)]
    pub hours: BTreeMap<String, String>,
    /// Validated into [`Config::holidays`].
    #[serde(default)]
    holidays: Vec<RawHoliday>,
}

/// `[[contact.holidays]]`: days the business is closed whatever its weekly hours say.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    date: Spanned<toml::Value>,
    /// The last day of a closure of several days.
    end: Option<Spanned<toml::Value>>,
    name: Option<Spanned<BTreeMap<String, String>>>,
}

/// A closure from `first` to `last` (inclusive, in the contact time zone), named per language.
#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub first: jiff::civil::Date,
    pub last: jiff::civil::Date,
    pub name: BTreeMap<String, String>,
}

/// `[[notices]]`: a banner shown on every page from `start` until `end`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    start: Spanned<toml::Value>,
    end: Spanned<toml::Value>,
    text: Spanned<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub start: jiff::Timestamp,
    pub end: jiff::Timestamp,
    /// Per language tag; the default language's text is always there.
    pub text: BTreeMap<String, String>,
}

/// `[feedback]`: where "Was this helpful?" votes go.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeedback {
    endpoint: Option<Spanned<String>>,
    analytics_event: Option<Spanned<String>>,
}

/// At least one destination is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    /// Receives a form POST (`page`, `lang`, `helpful` = yes or no) for each vote.
    pub endpoint: Option<String>,
    /// Sent to `gtag` or `plausible` when the page has either.
    pub analytics_event: Option<String>,
}

/// `[markdown]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML in Markdown passes unsanitised.
    #[serde(default)]
    pub trust_html: bool,
    #[serde(default = "default_true")]
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            trust_html: false,
            smart_punctuation: true,
        }
    }
}

/// `[check]`: what `helpdeck check` requires of the site.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Policies (by their `policy = "…"`) every language must have, translated.
    #[serde(default)]
    pub required_policies: Vec<String>,
}

/// One configured language, in site order (default language first).
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    pub tag: String,
    pub settings: LanguageConfig,
    pub direction: Direction,
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    /// Absolute, without a trailing slash: `https://shop.example/help`.
    pub base_url: String,
    /// The path part of `base_url`: "" or `/help`.
    pub base_path: String,
    pub default_language: String,
    /// Default language first, then the others in file order.
    pub languages: Vec<Language>,
    pub theme: String,
    pub minify: bool,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub contact: Contact,
    /// Of the business hours and holidays: `[contact] timezone`, else the site's.
    pub contact_timezone: jiff::tz::TimeZone,
    pub holidays: Vec<Holiday>,
    pub notices: Vec<Notice>,
    pub feedback: Option<Feedback>,
    pub markdown: MarkdownConfig,
    pub check: CheckConfig,
    pub extra: toml::Table,
}

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Config {
    pub fn load(root: &Path) -> Result<Config> {
        let path = match reach(root, Path::new(CONFIG_FILE)) {
            Ok(Reached::File(path)) => path,
            Ok(Reached::Refused(why)) => return Err(Error::single(why)),
            // Read as it is, for the system's word on what is wrong with it.
            _ => root.join(CONFIG_FILE),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::single(Diagnostic::new(
                CONFIG_FILE,
                format!("cannot read the site configuration: {e}"),
            ))
        })?;
        Config::parse(&crate::load::normalise(text))
    }

    pub fn parse(text: &str) -> Result<Config> {
        let file = Path::new(CONFIG_FILE);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut raw: ConfigFile =
            crate::values::read(file, text, 0, text).map_err(Error::invalid)?;
        let mut problems = Vec::new();
        let mut problem = |needle: &str, message: String| {
            let d = Diagnostic::new(file, message);
            problems.push(match text.find(needle) {
                Some(offset) => d.at_offset(text, offset),
                None => d,
            });
        };

        let (base_url, base_path) = split_base_url(&raw.base_url).unwrap_or_else(|why| {
            problem("base_url", why);
            (String::new(), String::new())
        });

        let mut languages = Vec::new();
        let mut settings_by_tag: Vec<(String, LanguageConfig)> = Vec::new();
        for (tag, value) in &raw.languages {
            match value.clone().try_into::<LanguageConfig>() {
                Ok(settings) => settings_by_tag.push((tag.clone(), settings)),
                Err(e) => problem(
                    &format!("[languages.{tag}]"),
                    format!("[languages.{tag}]: {}", e.message().trim()),
                ),
            }
        }
        if !settings_by_tag
            .iter()
            .any(|(tag, _)| *tag == raw.default_language)
        {
            settings_by_tag.insert(0, (raw.default_language.clone(), LanguageConfig::default()));
        } else {
            let i = settings_by_tag
                .iter()
                .position(|(tag, _)| *tag == raw.default_language)
                .unwrap_or(0);
            let default = settings_by_tag.remove(i);
            settings_by_tag.insert(0, default);
        }
        for (tag, settings) in settings_by_tag {
            if !is_language_tag(&tag) {
                problem(
                    &tag,
                    format!(
                        "`{tag}` is not a valid BCP 47 language tag (like en, lt, zh-Hant, pt-BR)"
                    ),
                );
            }
            let direction = settings
                .direction
                .unwrap_or_else(|| default_direction(&tag));
            languages.push(Language {
                tag,
                settings,
                direction,
            });
        }

        let timezone = match jiff::tz::TimeZone::get(&raw.timezone) {
            Ok(tz) => tz,
            Err(_) => {
                problem(
                    "timezone",
                    format!(
                        "unknown time zone `{}` (use an IANA name like Europe/Vilnius)",
                        raw.timezone
                    ),
                );
                jiff::tz::TimeZone::UTC
            }
        };
        if let Some(tz) = &raw.contact.timezone {
            if jiff::tz::TimeZone::get(tz).is_err() {
                problem("timezone", format!("unknown time zone `{tz}` in [contact]"));
            }
        }
        for (day, hours) in &raw.contact.hours {
            if !WEEKDAYS.contains(&day.as_str()) {
                problem(
                    day,
                    format!(
                        "[contact.hours]: `{day}` is not a weekday (use mon, tue, wed, thu, fri, sat, sun)"
                    ),
                );
            } else if parse_opening_hours(hours).is_none() {
                problem(
                    hours,
                    format!("[contact.hours]: `{hours}` should look like 09:00-17:00 or closed"),
                );
            }
        }

        let at =
            |offset: usize, message: String| Diagnostic::new(file, message).at_offset(text, offset);
        let tags: Vec<&str> = languages.iter().map(|l| l.tag.as_str()).collect();
        let contact_timezone = raw
            .contact
            .timezone
            .as_deref()
            .and_then(|tz| jiff::tz::TimeZone::get(tz).ok())
            .unwrap_or_else(|| timezone.clone());
        let holidays: Vec<Holiday> = std::mem::take(&mut raw.contact.holidays)
            .into_iter()
            .filter_map(|h| {
                holiday(h, &tags, &contact_timezone, &at)
                    .map_err(|d| problems.push(d))
                    .ok()
            })
            .collect();
        let notices: Vec<Notice> = std::mem::take(&mut raw.notices)
            .into_iter()
            .filter_map(|n| {
                notice(n, &tags, &timezone, &at)
                    .map_err(|d| problems.push(d))
                    .ok()
            })
            .collect();
        let feedback = raw
            .feedback
            .take()
            .and_then(|f| feedback(f, text, &at).map_err(|d| problems.push(d)).ok());

        if !problems.is_empty() {
            return Err(Error::invalid(problems));
        }
        Ok(Config {
            title: raw.title,
            description: raw.description,
            base_url,
            base_path,
            default_language: raw.default_language,
            languages,
            theme: raw.theme,
            minify: raw.minify,
            timezone,
            timezone_name: raw.timezone,
            contact: raw.contact,
            contact_timezone,
            holidays,
            notices,
            feedback,
            markdown: raw.markdown,
            check: raw.check,
            extra: raw.extra,
        })
    }

    /// Replaces `base_url` (from `--base-url`).
    pub fn set_base_url(&mut self, base_url: &str) -> Result<()> {
        let (url, path) = split_base_url(base_url)
            .map_err(|why| Error::single(Diagnostic::new("--base-url", why)))?;
        self.base_url = url;
        self.base_path = path;
        Ok(())
    }

    pub fn language(&self, tag: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.tag == tag)
    }

    pub fn language_tags(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.tag.as_str()).collect()
    }
}

/// `[[contact.holidays]]` entry: dates, not times, and names in configured languages.
fn holiday(
    raw: RawHoliday,
    tags: &[&str],
    timezone: &jiff::tz::TimeZone,
    at: &impl Fn(usize, String) -> Diagnostic,
) -> std::result::Result<Holiday, Diagnostic> {
    let day = |value: &Spanned<toml::Value>, key: &str| match value.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.date.is_some() => {
            read_moment(value.get_ref(), timezone)
                .map(|z| z.date())
                .map_err(|why| {
                    at(
                        value.span().start,
                        format!("[[contact.holidays]] `{key}` {why}"),
                    )
                })
        }
        _ => Err(at(
            value.span().start,
            format!("[[contact.holidays]] `{key}` must be a date like 2026-12-24"),
        )),
    };
    let first = day(&raw.date, "date")?;
    let last = match &raw.end {
        Some(end) => day(end, "end")?,
        None => first,
    };
    if last < first {
        let end = raw.end.as_ref().map_or(raw.date.span(), |e| e.span());
        return Err(at(
            end.start,
            format!("[[contact.holidays]] `end` ({last}) is before `date` ({first})"),
        ));
    }
    if let Some(name) = &raw.name {
        check_languages(name, "[[contact.holidays]] `name`", tags, at)?;
    }
    Ok(Holiday {
        first,
        last,
        name: raw.name.map(Spanned::into_inner).unwrap_or_default(),
    })
}

/// `[[notices]]` entry: an end after the start, and text in the default language.
fn notice(
    raw: RawNotice,
    tags: &[&str],
    timezone: &jiff::tz::TimeZone,
    at: &impl Fn(usize, String) -> Diagnostic,
) -> std::result::Result<Notice, Diagnostic> {
    let moment = |value: &Spanned<toml::Value>, key: &str| {
        read_moment(value.get_ref(), timezone)
            .map(|z| z.timestamp())
            .map_err(|why| at(value.span().start, format!("[[notices]] `{key}` {why}")))
    };
    let start = moment(&raw.start, "start")?;
    let end = moment(&raw.end, "end")?;
    if end <= start {
        return Err(at(
            raw.end.span().start,
            "[[notices]] `end` must be after `start`".to_string(),
        ));
    }
    check_languages(&raw.text, "[[notices]] `text`", tags, at)?;
    if !raw.text.get_ref().contains_key(tags[0]) {
        return Err(at(
            raw.text.span().start,
            format!(
                "[[notices]] `text` needs the default language `{}`, shown where a language has no text",
                tags[0]
            ),
        ));
    }
    Ok(Notice {
        start,
        end,
        text: raw.text.into_inner(),
    })
}

/// Text per language: only configured languages, no empty text.
fn check_languages(
    texts: &Spanned<BTreeMap<String, String>>,
    what: &str,
    tags: &[&str],
    at: &impl Fn(usize, String) -> Diagnostic,
) -> std::result::Result<(), Diagnostic> {
    for (tag, text) in texts.get_ref() {
        if !tags.contains(&tag.as_str()) {
            return Err(at(
                texts.span().start,
                format!(
                    "{what}: `{tag}` is not a configured language (configured: {})",
                    tags.join(", ")
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(at(
                texts.span().start,
                format!("{what}: the `{tag}` text is empty"),
            ));
        }
    }
    Ok(())
}

/// `[feedback]`: an http(s) endpoint, an analytics event name, or both.
fn feedback(
    raw: RawFeedback,
    text: &str,
    at: &impl Fn(usize, String) -> Diagnostic,
) -> std::result::Result<Feedback, Diagnostic> {
    if let Some(endpoint) = &raw.endpoint {
        let url = endpoint.get_ref();
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
        if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace))
            || url.contains(char::is_whitespace)
        {
            return Err(at(
                endpoint.span().start,
                format!(
                    "[feedback] `endpoint` must be an http(s) URL like https://forms.example/helpful, not `{url}`"
                ),
            ));
        }
    }
    if let Some(event) = &raw.analytics_event {
        let name = event.get_ref();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        {
            return Err(at(
                event.span().start,
                format!(
                    "[feedback] `analytics_event` must be a name of letters, digits, `_` or `-`, not `{name}`"
                ),
            ));
        }
    }
    if raw.endpoint.is_none() && raw.analytics_event.is_none() {
        let offset = text.find("[feedback]").unwrap_or(0);
        return Err(at(
            offset,
            "[feedback] needs an `endpoint` (a form or webhook URL) or an `analytics_event`, or both".to_string(),
        ));
    }
    Ok(Feedback {
        endpoint: raw.endpoint.map(Spanned::into_inner),
        analytics_event: raw.analytics_event.map(Spanned::into_inner),
    })
}

/// A TOML date, local date-time or offset date-time (or a string holding one) as a moment in
/// `timezone`. Values without an offset are read in that zone.
pub fn read_moment(
    value: &toml::Value,
    timezone: &jiff::tz::TimeZone,
) -> std::result::Result<jiff::Zoned, String> {
    let text = match value {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        other => {
            return Err(format!(
                "must be a date like 2026-11-01, not a {}",
                other.type_str()
            ));
        }
    };
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts.to_zoned(timezone.clone()));
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(timezone.clone())
            .map_err(|e| format!("`{text}` is not a valid time here: {e}"));
    }
    match text.parse::<jiff::civil::Date>() {
        Ok(d) => d
            .to_zoned(timezone.clone())
            .map_err(|e| format!("`{text}` is not a valid date here: {e}")),
        Err(_) => Err(format!("must be a date like 2026-11-01, not `{text}`")),
    }
}

/// `https://shop.example/help/` → (`https://shop.example/help`, `/help`). Every canonical
/// link, feed and sitemap entry starts with it, so it is an http(s) URL.
fn split_base_url(base_url: &str) -> std::result::Result<(String, String), String> {
    let trimmed = base_url.trim().trim_end_matches('/');
    match trimmed.split_once("://") {
        Some((scheme, rest))
            if (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
                && !rest.is_empty()
                && !rest.starts_with('/') =>
        {
            let path = rest
                .find('/')
                .map_or(String::new(), |i| rest[i..].to_string());
            Ok((trimmed.to_string(), path))
        }
        _ => Err(format!(
            "base_url must be an absolute http(s) URL like https://shop.example/help, not `{base_url}`"
        )),
    }
}

/// `09:00-17:00` → `("09:00", "17:00")`; `closed` → `("", "")`.
pub fn parse_opening_hours(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("closed") {
        return Some((String::new(), String::new()));
    }
    let (open, close) = text.split_once(['-', '–'])?;
    let valid = |t: &str| jiff::civil::Time::strptime("%H:%M", t.trim()).is_ok();
    (valid(open) && valid(close)).then(|| (open.trim().to_string(), close.trim().to_string()))
}

/// A syntactic check of BCP 47: a 2–3 letter language, then subtags of 1–8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn default_direction(tag: &str) -> Direction {
    let primary = tag.split('-').next().unwrap_or_default();
    match primary {
        "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "yi" | "dv" | "ckb" => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_comes_from_base_url() {
        let c = Config::parse("title = \"x\"\nbase_url = \"https://shop.example/help/\"").unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.base_path.as_str()),
            ("https://shop.example/help", "/help")
        );
    }

    #[test]
    fn unknown_key_names_line_and_hint() {
        let err = Config::parse("title = \"x\"\nbase_url = \"https://a.example\"\ntheem = \"x\"\n")
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(
                "error: helpdeck.toml:3:1: unknown key `theem` (did you mean `theme`?)"
            ),
            "{text}"
        );
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "zh-Hant", "pt-BR", "sr-Latn-RS"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["english", "e", "zh_Hant", "en-", "x1"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
