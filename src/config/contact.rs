//! `[contact]`: how buyers reach the seller, the weekly business hours and the holidays,
//! read in the contact block's time zone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::languages::check_texts;
use super::{FileText, read_moment};
use crate::diagnostic::Diagnostic;

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `[contact]`: how buyers reach the seller, shown by the contact block, and the one place
/// these facts live: pages insert them with `{{ fact(key="contact.email") }}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub chat_url: Option<String>,
    pub marketplace_url: Option<String>,
    /// The shop's own contact form endpoint (a form service or webhook): the contact block's
    /// question box posts the buyer's email address, subject and question to it.
    pub form_url: Option<String>,
    /// The reply-time promise, in hours.
    pub reply_hours: Option<u32>,
    /// Time zone of the business hours; the site's time zone when absent.
    pub timezone: Option<String>,
    /// `mon = "09:00-17:00"`, `sat = "closed"`.
    #[serde(default)]
    pub hours: BTreeMap<String, String>,
    /// Validated into [`super::Config::holidays`].
    #[serde(default, skip_serializing)]
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

/// Checks the contact block's time zone and hours, and takes its holidays out of it,
/// validated. Returns the time zone of the hours and holidays (the site's when none is set)
/// and the valid holidays; each problem is pushed.
pub(super) fn validate(
    contact: &mut Contact,
    tags: &[&str],
    site_timezone: &jiff::tz::TimeZone,
    source: FileText,
    problems: &mut Vec<Diagnostic>,
) -> (jiff::tz::TimeZone, Vec<Holiday>) {
    if let Some(tz) = &contact.timezone {
        if jiff::tz::TimeZone::get(tz).is_err() {
            problems
                .push(source.near("timezone", format!("unknown time zone `{tz}` in [contact]")));
        }
    }
    check_hours(&contact.hours, source, problems);
    let timezone = contact
        .timezone
        .as_deref()
        .and_then(|tz| jiff::tz::TimeZone::get(tz).ok())
        .unwrap_or_else(|| site_timezone.clone());
    let holidays = std::mem::take(&mut contact.holidays)
        .into_iter()
        .filter_map(|h| {
            holiday(h, tags, &timezone, source)
                .map_err(|d| problems.push(d))
                .ok()
        })
        .collect();
    (timezone, holidays)
}

/// `[contact.hours]`: weekdays only, each open `09:00-17:00` or `closed`.
fn check_hours(hours: &BTreeMap<String, String>, source: FileText, problems: &mut Vec<Diagnostic>) {
    for (day, hours) in hours {
        if !WEEKDAYS.contains(&day.as_str()) {
            problems.push(source.near(
                day,
                format!(
                    "[contact.hours]: `{day}` is not a weekday (use mon, tue, wed, thu, fri, sat, sun)"
                ),
            ));
        } else if parse_opening_hours(hours).is_none() {
            problems.push(source.near(
                hours,
                format!("[contact.hours]: `{hours}` should look like 09:00-17:00 or closed"),
            ));
        }
    }
}

/// `[[contact.holidays]]` entry: dates, not times, and names in configured languages.
fn holiday(
    raw: RawHoliday,
    tags: &[&str],
    timezone: &jiff::tz::TimeZone,
    source: FileText,
) -> Result<Holiday, Diagnostic> {
    let day = |value: &Spanned<toml::Value>, key: &str| match value.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.date.is_some() => {
            read_moment(value.get_ref(), timezone)
                .map(|z| z.date())
                .map_err(|why| {
                    source.at(
                        value.span().start,
                        format!("[[contact.holidays]] `{key}` {why}"),
                    )
                })
        }
        _ => Err(source.at(
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
        return Err(source.at(
            end.start,
            format!("[[contact.holidays]] `end` ({last}) is before `date` ({first})"),
        ));
    }
    if let Some(name) = &raw.name {
        check_texts(name, "[[contact.holidays]] `name`", tags, source)?;
    }
    Ok(Holiday {
        first,
        last,
        name: raw.name.map(Spanned::into_inner).unwrap_or_default(),
    })
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
