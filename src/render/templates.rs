//! The Tera environment: the layered templates, helpdeck's filters, and template errors turned
//! into diagnostics that name the template file and line.
//!
//! Templates get no global functions: they see only the context `render` builds from the
//! resolved site, so what a page depends on is known.

use std::collections::HashMap;
use std::path::PathBuf;

use icu_datetime::NoCalendarFormatter;
use icu_datetime::fieldsets::T;
use icu_datetime::input::Time;
use icu_plurals::{PluralCategory, PluralRules};
use tera::{Kwargs, State, Tera, Value};

use super::locale::{LocalDates, per_language};
use crate::diagnostic::Diagnostic;
use crate::load::TemplateSource;
use crate::reads::{self, Read};

pub struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from.
    origins: HashMap<String, PathBuf>,
    /// The templates as written, kept when `tera` holds minified ones: errors are reported
    /// against these, so their lines are the lines of the user's file.
    as_written: Option<(Vec<TemplateSource>, Vec<String>)>,
}

impl Templates {
    /// With `minify`, HTML templates are minified once here rather than every page after
    /// rendering: the page chrome is most of a page, and minifying 10,000 pages one by one
    /// cost more than all the rest of a build. Markdown's HTML is already compact.
    pub fn new(
        sources: &[TemplateSource],
        languages: &[&str],
        minify: bool,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let origins: HashMap<String, PathBuf> = sources
            .iter()
            .map(|s| (s.name.clone(), s.origin.clone()))
            .collect();
        let written = || {
            engine(
                sources.iter().map(|s| (s.name.as_str(), s.text.clone())),
                languages,
            )
        };
        if !minify {
            return match written() {
                Ok(tera) => Ok(Templates {
                    tera,
                    origins,
                    as_written: None,
                }),
                Err(report) => Err(diagnostics(&origins, &report, None)),
            };
        }
        let minified = sources.iter().map(|s| {
            let text = match s.name.ends_with(".html") {
                true => minify_template(&s.text).unwrap_or_else(|| s.text.clone()),
                false => s.text.clone(),
            };
            (s.name.as_str(), text)
        });
        match engine(minified, languages) {
            Ok(tera) => {
                let as_written = Some((
                    sources.to_vec(),
                    languages.iter().map(|l| l.to_string()).collect(),
                ));
                Ok(Templates {
                    tera,
                    origins,
                    as_written,
                })
            }
            Err(_) => {
                let report = written()
                    .err()
                    .unwrap_or_else(|| "templates cannot be minified".to_string());
                Err(diagnostics(&origins, &report, None))
            }
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.origins.keys().map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// `name` rendered as text, for a piece of a page (a shortcode).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Vec<Diagnostic>> {
        reads::note(|| Read::Template(name.to_string()));
        self.tera
            .render(name, context)
            .map_err(|error| self.failed(name, context, &error))
    }

    /// `name` rendered as a file's bytes: Tera writes them straight into the buffer, which
    /// is not checked again as UTF-8 (the page's text was, piece by piece).
    pub fn render_file(
        &self,
        name: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        reads::note(|| Read::Template(name.to_string()));
        // Most pages are 10–20 KB.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut bytes)
            .map_err(|error| self.failed(name, context, &error))?;
        Ok(bytes)
    }

    fn failed(&self, name: &str, context: &tera::Context, error: &tera::Error) -> Vec<Diagnostic> {
        // Render the templates as written once more, for an error on the file's real line.
        let written = self.as_written.as_ref().and_then(|(sources, languages)| {
            let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
            let tera = engine(
                sources.iter().map(|s| (s.name.as_str(), s.text.clone())),
                &languages,
            )
            .ok()?;
            tera.render(name, context).err()
        });
        diagnostics(
            &self.origins,
            &error_report(written.as_ref().unwrap_or(error)),
            Some(name),
        )
    }
}

/// A Tera environment with helpdeck's filters and the given templates.
fn engine<'a>(
    templates: impl Iterator<Item = (&'a str, String)>,
    languages: &[&str],
) -> Result<Tera, String> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".htm"]);
    tera.register_filter("json_ld", |value: Value, _: Kwargs, _: &State| {
        json_ld(&value)
    });
    let plurals = PluralStrings::new(languages);
    tera.register_filter(
        "plural",
        move |count: i64, kwargs: Kwargs, state: &State| plurals.pick(count, kwargs, state),
    );
    let dates = LocalDates::new(languages);
    tera.register_filter("date", move |date: &str, _: Kwargs, state: &State| {
        let lang: String = state.get("lang")?.unwrap_or_default();
        Ok(dates.format_iso(date, &lang))
    });
    let times = LocalTimes::new(languages);
    tera.register_filter("time", move |time: &str, _: Kwargs, state: &State| {
        times.format(time, state)
    });
    let templates: Vec<(&str, String)> = templates.collect();
    tera.add_raw_templates(templates.iter().map(|(name, text)| (*name, text.as_str())))
        .map_err(|e| error_report(&e))?;
    Ok(tera)
}

/// The error with its chain of causes.
fn error_report(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}

/// Tera reports `error: message` / ` --> name:line:col` / `N | source line` blocks; each
/// becomes a diagnostic on the template's file. Errors without a location name `fallback`.
fn diagnostics(
    origins: &HashMap<String, PathBuf>,
    report: &str,
    fallback: Option<&str>,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut message: Option<String> = None;
    for line in report.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.trim().to_string());
        } else if let Some(location) = line.trim_start().strip_prefix("--> ") {
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse::<usize>().ok());
            let line_no = parts.next().and_then(|l| l.parse::<usize>().ok());
            let name = parts.next().unwrap_or(location);
            let file = origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(name));
            let mut d = Diagnostic::new(
                file,
                message.take().unwrap_or_else(|| "template error".into()),
            );
            d.line = line_no;
            d.column = column.map(|c| c + 1).filter(|_| line_no.is_some());
            diagnostics.push(d);
        } else if let Some((number, text)) = line.split_once(" | ") {
            if let (Some(last), Ok(_)) = (diagnostics.last_mut(), number.trim().parse::<usize>()) {
                if last.excerpt.is_none() {
                    *last = last.clone().quoting(text);
                }
            }
        }
    }
    if diagnostics.is_empty() {
        let file = fallback
            .and_then(|n| origins.get(n).cloned())
            .unwrap_or_else(|| PathBuf::from("templates"));
        let text = report
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or(report);
        diagnostics.push(Diagnostic::new(
            file,
            text.trim().trim_start_matches("error: ").to_string(),
        ));
    }
    diagnostics
}

/// A template minified with minify-html, its Tera syntax kept; `None` when minifying would
/// change the template's meaning: Tera tags inside an HTML tag (`<a{% if x %} hidden{% endif %}>`)
/// get reordered as attributes, and a value like `href={{ url }}` that lost its quotes breaks
/// on a space. Such a template is used as written.
fn minify_template(text: &str) -> Option<String> {
    let text = strip_tera_comments(text);
    let mut cfg = minify_html::Cfg::new();
    cfg.preserve_brace_template_syntax = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    let minified = String::from_utf8(minify_html::minify(text.as_bytes(), &cfg)).ok()?;
    // The minifier may reorder attributes, and with them `{{ … }}` values, but the control
    // flow (`{% … %}`) must come through in order.
    let (mut before, mut after) = (tera_tags(&text), tera_tags(&minified));
    let control = |tags: &[&str]| {
        tags.iter()
            .filter(|t| t.starts_with("{%"))
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
    };
    let same_control = control(&before) == control(&after);
    before.sort_unstable();
    after.sort_unstable();
    let unchanged_logic = same_control && before == after;
    (unchanged_logic && !minified.contains("={{") && !minified.contains("={%")).then_some(minified)
}

/// `{# … #}` comments removed (they render to nothing, and may hold text that looks like HTML).
fn strip_tera_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return text.to_string(),
        }
    }
    out.push_str(rest);
    out
}

/// The `{{ … }}` and `{% … %}` tags of a template, in order.
fn tera_tags(text: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let close = match rest.as_bytes().get(start + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                rest = &rest[start + 1..];
                continue;
            }
        };
        match rest[start + 2..].find(close) {
            Some(end) => {
                tags.push(&rest[start..start + 2 + end + 2]);
                rest = &rest[start + 2 + end + 2..];
            }
            None => break,
        }
    }
    tags
}

/// A plural category as CLDR and the UI strings' keys name it (`articles_count_few`).
pub fn cldr_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// CLDR plural rules of the site's languages, for the `plural` filter:
/// `{{ n | plural(key="articles_count") }}` picks `t.articles_count_few` for 3 in Polish
/// (falling back to `_other`) and puts the number in for `{count}`.
struct PluralStrings {
    rules: HashMap<String, PluralRules>,
}

impl PluralStrings {
    fn new(languages: &[&str]) -> Self {
        PluralStrings {
            rules: per_language(languages, |locale| {
                PluralRules::try_new_cardinal(locale.into()).ok()
            }),
        }
    }

    fn pick(&self, count: i64, kwargs: Kwargs, state: &State) -> tera::TeraResult<String> {
        let key: String = kwargs.must_get("key")?;
        let lang: String = state.get("lang")?.unwrap_or_default();
        let strings: tera::Map = state.get("t")?.unwrap_or_default();
        let category = self
            .rules
            .get(&lang)
            .map_or("other", |rules| cldr_name(rules.category_for(count)));
        let lookup = |name: String| {
            strings
                .get(&tera::value::Key::from(name))
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let text = lookup(format!("{key}_{category}"))
            .or_else(|| lookup(format!("{key}_other")))
            .ok_or_else(|| {
                tera::Error::message(format!("no UI string `{key}_other` for language `{lang}`"))
            })?;
        Ok(text.replace("{count}", &count.to_string()))
    }
}

/// Times of day in each language's CLDR form, for the `time` filter:
/// `{{ "17:00" | time }}` gives "5:00 PM" in English, "17:00" in Lithuanian, "下午5:00" in Chinese.
struct LocalTimes {
    formatters: HashMap<String, NoCalendarFormatter<T>>,
}

impl LocalTimes {
    /// ICU4X has no flexible day periods (`B`, as in zh-Hant's "Bh:mm"; it would print a
    /// literal B): a language whose pattern has one gets the 24-hour clock instead.
    fn new(languages: &[&str]) -> Self {
        LocalTimes {
            formatters: per_language(languages, |locale| {
                let formatter = NoCalendarFormatter::try_new(locale.into(), T::hm()).ok()?;
                let sample = Time::try_new(17, 0, 0, 0).ok()?;
                if !formatter
                    .format(&sample)
                    .pattern()
                    .to_string()
                    .contains('B')
                {
                    return Some(formatter);
                }
                let mut preferences: icu_datetime::DateTimeFormatterPreferences = locale.into();
                preferences.hour_cycle = Some(icu_datetime::preferences::HourCycle::H23);
                NoCalendarFormatter::try_new(preferences, T::hm()).ok()
            }),
        }
    }

    /// `17:00` in the page's language; other text as it is.
    fn format(&self, text: &str, state: &State) -> tera::TeraResult<String> {
        let lang: String = state.get("lang")?.unwrap_or_default();
        let parsed = text.split_once(':').and_then(|(hour, minute)| {
            Time::try_new(hour.trim().parse().ok()?, minute.trim().parse().ok()?, 0, 0).ok()
        });
        Ok(match (parsed, self.formatters.get(&lang)) {
            (Some(time), Some(formatter)) => formatter.format(&time).to_string(),
            _ => text.to_string(),
        })
    }
}

/// JSON for a `<script>` element: `<`, `>`, `&` and the JavaScript line separators are escaped
/// so `</script>`, `<!--` or U+2028 in a title cannot end the script or change its meaning.
pub fn json_ld(value: &Value) -> Value {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    Value::safe_string(&escape_json_for_script(&json))
}

pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut rest = json;
    // Copied a stretch at a time: only these bytes can start something to escape (0xE2 leads
    // U+2028 and U+2029, and other characters too).
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2))
    {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or_default();
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_breakers_are_escaped() {
        let out = escape_json_for_script(r#"{"a":"</script><!--x & y\u{2028}"}"#);
        assert!(!out.contains("</script>") && !out.contains("<!--") && !out.contains('&'));
        // U+2028 and U+2029 share their lead byte with characters left as they are (… ‧ €).
        assert_eq!(
            escape_json_for_script("a<b>c&d\u{2028}e\u{2029}f…‧€é<"),
            "a\\u003cb\\u003ec\\u0026d\\u2028e\\u2029f…‧€é\\u003c"
        );
    }

    #[test]
    fn templates_whose_logic_minifying_would_change_are_kept() {
        let safe = "<p class=\"a b\">\n  {{ page.title }}\n</p>\n{# a <main> comment #}";
        assert_eq!(
            minify_template(safe).as_deref(),
            Some("<p class=\"a b\">{{ page.title }}</p>")
        );
        assert_eq!(
            minify_template("<main id=\"m\"{% if x %} lang=\"{{ l }}\"{% endif %}>x</main>"),
            None
        );
        assert_eq!(minify_template("<a href=\"{{url}}\">x</a>"), None);
    }

    #[test]
    fn times_follow_each_language() {
        let times = LocalTimes::new(&["en", "lt", "zh-Hant"]);
        let format = |lang: &str| {
            let time = Time::try_new(17, 0, 0, 0).unwrap();
            times.formatters[lang].format(&time).to_string()
        };
        assert_eq!(format("en").replace('\u{202f}', " "), "5:00 PM");
        assert_eq!(format("lt"), "17:00");
        assert_eq!(format("zh-Hant"), "17:00");
    }

    #[test]
    fn syntax_error_names_template_file_and_line() {
        let sources = vec![TemplateSource {
            name: "page.html".into(),
            origin: PathBuf::from("templates/page.html"),
            text: "<p>\n{{ page.title | nope }}\n".into(),
        }];
        let Err(errors) = Templates::new(&sources, &["en"], true) else {
            panic!("expected an error")
        };
        assert_eq!(errors[0].file, PathBuf::from("templates/page.html"));
        assert_eq!(errors[0].line, Some(2));
        assert!(errors[0].message.contains("nope"), "{}", errors[0]);
    }
}
