//! `helpdeck.toml`: the site's configuration, its schema and its validation.
//!
//! [`Config::parse`] reads the file into its raw shape (`file.rs`: the schema mirrors the file
//! one to one, `deny_unknown_fields`, so a typo is an error with a hint), then validates the
//! values and derives what later stages need, a step per part, every problem reported at once:
//! - the base URL and its path, and the site's time zone (here);
//! - `languages.rs`: the ordered language list, and the rule for text given per language;
//! - `shop.rs`: who the seller is (legal name, address, register and VAT numbers);
//! - `contact.rs`: the contact block's time zone, business hours and holidays;
//! - `notices.rs`: the site-wide banners;
//! - `feedback.rs`: where "Was this helpful?" votes go;
//! - `analytics.rs`: where searches and votes are reported, for `helpdeck report`;
//! - `glossary.rs`: the names translations keep and the words they avoid;
//! - `withdrawal.rs`: the withdrawal function's link and the model withdrawal form's words,
//!   per language;
//! - `brand.rs`: the shop's logo, icon and accent colours (contrast checked), and its URL.

mod analytics;
mod brand;
mod contact;
mod feedback;
mod file;
mod glossary;
mod languages;
mod notices;
mod shop;
mod withdrawal;

use std::path::Path;

pub use analytics::Analytics;
pub use brand::{Accent, Brand, Favicon};
pub use contact::{Contact, Holiday, WEEKDAYS, parse_opening_hours};
pub use feedback::Feedback;
pub use file::{CheckConfig, MarkdownConfig, RepliesConfig, TranslationsConfig};
pub use glossary::{Glossary, LanguageGlossary};
pub use languages::{Direction, Language, LanguageConfig, is_language_tag};
pub use notices::Notice;
pub use shop::{Address, Shop};
pub use withdrawal::{ENGLISH_FORM, ENGLISH_LABEL, FormWording, Withdrawal};

use crate::diagnostic::{Diagnostic, Error, Result};
use file::ConfigFile;

pub const CONFIG_FILE: &str = "helpdeck.toml";

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
    pub shop: Shop,
    pub contact: Contact,
    /// Of the business hours and holidays: `[contact] timezone`, else the site's.
    pub contact_timezone: jiff::tz::TimeZone,
    pub holidays: Vec<Holiday>,
    pub notices: Vec<Notice>,
    pub feedback: Option<Feedback>,
    pub analytics: Option<Analytics>,
    /// Empty without `[withdrawal]`: the model form then has the Directive's English words.
    pub withdrawal: Withdrawal,
    pub brand: Brand,
    pub markdown: MarkdownConfig,
    pub check: CheckConfig,
    pub replies: RepliesConfig,
    pub glossary: Glossary,
    pub translations: TranslationsConfig,
    pub extra: toml::Table,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut raw: ConfigFile =
            crate::values::read(Path::new(CONFIG_FILE), text, 0, text).map_err(Error::invalid)?;
        let source = FileText { text };
        let mut problems = Vec::new();

        let (base_url, base_path) = split_base_url(&raw.base_url).unwrap_or_else(|why| {
            problems.push(source.near("base_url", why));
            (String::new(), String::new())
        });
        let languages =
            languages::ordered(&raw.languages, &raw.default_language, source, &mut problems);
        let timezone = site_timezone(&raw.timezone, source, &mut problems);
        let tags: Vec<&str> = languages.iter().map(|l| l.tag.as_str()).collect();
        let (contact_timezone, holidays) =
            contact::validate(&mut raw.contact, &tags, &timezone, source, &mut problems);
        let notices = notices::validate(
            std::mem::take(&mut raw.notices),
            &tags,
            &timezone,
            source,
            &mut problems,
        );
        let feedback = raw.feedback.take().and_then(|f| {
            feedback::feedback(f, source)
                .map_err(|d| problems.push(d))
                .ok()
        });

        let analytics = raw.analytics.take().and_then(|a| {
            analytics::analytics(a, source)
                .map_err(|d| problems.push(d))
                .ok()
        });

        let withdrawal = raw
            .withdrawal
            .take()
            .and_then(|w| withdrawal::withdrawal(w, &tags, source, &mut problems))
            .unwrap_or_default();

        let brand = raw
            .brand
            .take()
            .map(|b| brand::brand(b, source, &mut problems))
            .unwrap_or_default();

        let glossary = glossary::glossary(
            std::mem::take(&mut raw.glossary),
            &raw.default_language,
            &tags,
            source,
            &mut problems,
        );
        if raw.replies.footer_link && !raw.replies.page {
            problems.push(source.near(
                "footer_link",
                "[replies] `footer_link` links the page `page = true` writes: set both".into(),
            ));
        }
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
            shop: raw.shop,
            contact: raw.contact,
            contact_timezone,
            holidays,
            notices,
            feedback,
            analytics,
            withdrawal,
            brand,
            markdown: raw.markdown,
            check: raw.check,
            replies: raw.replies,
            glossary,
            translations: raw.translations,
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

    /// `[analytics] log`, the event file's path below the base path, when events go to the
    /// host's access log.
    pub fn event_log(&self) -> Option<&str> {
        match &self.analytics {
            Some(Analytics::Log { path, .. }) => Some(path),
            _ => None,
        }
    }

    pub fn language_tags(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.tag.as_str()).collect()
    }
}

/// The text of `helpdeck.toml`, to place each problem at its line and column.
#[derive(Clone, Copy)]
struct FileText<'a> {
    text: &'a str,
}

impl FileText<'_> {
    /// At a byte offset: where a value's span starts.
    fn at(self, offset: usize, message: String) -> Diagnostic {
        Diagnostic::new(CONFIG_FILE, message).at_offset(self.text, offset)
    }

    /// `value` when it is an http(s) URL with a host, where the browser may send something;
    /// else an error at it saying what `setting` takes, like `example`.
    fn web_url(
        self,
        setting: &str,
        value: &toml::Spanned<String>,
        example: &str,
    ) -> Result<String, Diagnostic> {
        let url = value.get_ref();
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
        match host.is_some_and(|h| !h.is_empty()) && !url.contains(char::is_whitespace) {
            true => Ok(url.clone()),
            false => Err(self.at(
                value.span().start,
                format!("{setting} must be an http(s) URL like {example}, not `{url}`"),
            )),
        }
    }

    /// At the first place the file says `needle` (a key, a table header, a value), for values
    /// read without their span.
    fn near(self, needle: &str, message: String) -> Diagnostic {
        match self.text.find(needle) {
            Some(offset) => self.at(offset, message),
            None => Diagnostic::new(CONFIG_FILE, message),
        }
    }
}

/// A path on the site (`/images/logo.svg`) or an http(s) URL: what a link in the config may be.
fn is_link(url: &str) -> bool {
    let local = url.starts_with('/') && !url.starts_with("//");
    let web = url.starts_with("https://") || url.starts_with("http://");
    (local || web) && !url.contains(char::is_whitespace)
}

/// The site's time zone by its IANA name; UTC, and a problem, for a name jiff does not know.
fn site_timezone(
    name: &str,
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(name).unwrap_or_else(|_| {
        problems.push(source.near(
            "timezone",
            format!("unknown time zone `{name}` (use an IANA name like Europe/Vilnius)"),
        ));
        jiff::tz::TimeZone::UTC
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
}
