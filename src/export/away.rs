//! Away messages: the auto-reply texts a seller sets in their mail or marketplace inbox, one
//! for after business hours and one per coming closure, in each language, from the contact
//! hours, holidays and reply promise in `helpdeck.toml`; and the closures as an iCalendar file
//! (RFC 5545) for the shop's calendar.

use serde::Serialize;

use crate::config::{Config, Holiday, WEEKDAYS, parse_opening_hours};
use crate::render::Renderer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwayKind {
    AfterHours,
    Closure,
}

/// One auto-reply text.
#[derive(Debug, Clone, Serialize)]
pub struct AwayText {
    pub lang: String,
    pub kind: AwayKind,
    /// A closure's first and last day, and the day the shop answers again (ISO dates).
    pub first: Option<String>,
    pub last: Option<String>,
    pub reopens: Option<String>,
    pub text: String,
}

/// The closures still to come or under way on `today`.
fn coming(config: &Config, today: jiff::civil::Date) -> impl Iterator<Item = &Holiday> {
    config.holidays.iter().filter(move |h| h.last >= today)
}

/// The first day after `day` on which the business hours open and no closure falls.
fn next_open_day(config: &Config, day: jiff::civil::Date) -> Option<jiff::civil::Date> {
    let mut next = day;
    for _ in 0..31 {
        next = next.tomorrow().ok()?;
        let weekday = WEEKDAYS[next.weekday().to_monday_zero_offset() as usize];
        let opens = config
            .contact
            .hours
            .get(weekday)
            .and_then(|h| parse_opening_hours(h))
            .is_some_and(|(open, _)| !open.is_empty());
        let closed = config
            .holidays
            .iter()
            .any(|h| h.first <= next && next <= h.last);
        if opens && !closed {
            return Some(next);
        }
    }
    None
}

/// The after-hours text and one per coming closure, in `langs`.
pub(super) fn texts(
    config: &Config,
    renderer: &Renderer,
    langs: &[&str],
    today: jiff::civil::Date,
) -> Vec<AwayText> {
    let mut texts = Vec::new();
    for &lang in langs {
        let string = |key: &str| {
            renderer
                .ui_string(lang, key)
                .unwrap_or_default()
                .to_string()
        };
        let mut sentences = vec![string("away_after_hours")];
        if let Some(hours) = config.contact.reply_hours {
            sentences.push(string("reply_promise").replace("{hours}", &hours.to_string()));
        }
        // Sentences joined as the language joins them ("。" needs no space after it).
        let after_hours = crate::text::sentences::join(&sentences, lang);
        texts.push(AwayText {
            lang: lang.to_string(),
            kind: AwayKind::AfterHours,
            first: None,
            last: None,
            reopens: None,
            text: after_hours,
        });
        for holiday in coming(config, today) {
            let reopens = next_open_day(config, holiday.last).unwrap_or(holiday.last);
            let name = holiday
                .name
                .get(lang)
                .or_else(|| holiday.name.get(&config.default_language))
                .cloned()
                .unwrap_or_default();
            let date = |d| renderer.facts().date(d, lang);
            let text = string("away_closure")
                .replace("{name}", &name)
                .replace("{last}", &date(holiday.last))
                .replace("{reopens}", &date(reopens));
            texts.push(AwayText {
                lang: lang.to_string(),
                kind: AwayKind::Closure,
                first: Some(holiday.first.to_string()),
                last: Some(holiday.last.to_string()),
                reopens: Some(reopens.to_string()),
                text,
            });
        }
    }
    texts
}

/// The coming closures as all-day events (RFC 5545), named in the default language. `host`
/// makes each event's UID unique to the site; `stamp` is the moment of the export.
pub(super) fn calendar(
    config: &Config,
    host: &str,
    today: jiff::civil::Date,
    stamp: jiff::Timestamp,
) -> Vec<u8> {
    let stamp = stamp.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//helpdeck//helpdeck {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".to_string(),
        format!("X-WR-CALNAME:{}", escape_text(&config.title)),
    ];
    let day = |d: jiff::civil::Date| d.strftime("%Y%m%d").to_string();
    for holiday in coming(config, today) {
        let name = holiday
            .name
            .get(&config.default_language)
            .or_else(|| holiday.name.values().next())
            .map_or(String::new(), |n| escape_text(n));
        // DTEND of an all-day event is the day after the last (RFC 5545 §3.6.1).
        let end = holiday.last.tomorrow().unwrap_or(holiday.last);
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:closure-{}@{host}", day(holiday.first)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", day(holiday.first)),
            format!("DTEND;VALUE=DATE:{}", day(end)),
            format!("SUMMARY;LANGUAGE={}:{name}", config.default_language),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    let mut ics = String::new();
    for line in lines {
        ics.push_str(&fold(&line));
    }
    ics.into_bytes()
}

/// TEXT escaping of RFC 5545 §3.3.11.
fn escape_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// A content line folded at 75 octets, never inside a character, with CRLF (§3.1).
fn fold(line: &str) -> String {
    let mut folded = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            folded.push_str("\r\n ");
            width = 1;
        }
        folded.push(c);
        width += c.len_utf8();
    }
    folded.push_str("\r\n");
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters() {
        let line = format!("SUMMARY:{}", "ą".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part}");
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
