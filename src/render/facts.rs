//! Facts: values from `data/*.toml` that pages insert with the `fact` shortcode, written the
//! way the page's language writes them. A number lives once in data, so no translation can
//! drift from it.
//!
//! `shop.returns.window_days` names `[returns] window_days` in `data/shop.toml`; a number
//! segment picks an item of a list (`shop.shipping.zones.0.days`). Numbers get the language's
//! separators and grouping; an amount (`{ amount = 5.9, currency = "EUR" }`) is written as the
//! language writes money ("€5.90", "5,90 €"); dates get the language's long form; text is
//! inserted as written.

use super::locale::{LocalDates, LocalMoney, LocalNumbers};
use crate::diagnostic::{did_you_mean, listing};
use crate::reads::{self, Read};

pub struct Facts<'a> {
    data: &'a toml::Table,
    numbers: LocalNumbers,
    money: LocalMoney,
    dates: LocalDates,
}

impl<'a> Facts<'a> {
    pub fn new(data: &'a toml::Table, languages: &[&str]) -> Self {
        Facts {
            data,
            numbers: LocalNumbers::new(languages),
            money: LocalMoney::default(),
            dates: LocalDates::new(languages),
        }
    }

    /// The value at `key`, or why there is none (with the closest existing key).
    pub fn value(&self, key: &str) -> Result<&'a toml::Value, String> {
        reads::note(|| Read::Fact(key.to_string()));
        let mut segments = key.split('.');
        let first = segments.next().unwrap_or_default();
        let mut value = self.data.get(first).ok_or_else(|| {
            let files = || self.data.keys().map(String::as_str);
            match did_you_mean(first, files()) {
                Some(best) => {
                    format!("unknown fact `{key}`: no data/{first}.toml (did you mean `{best}`?)")
                }
                None if self.data.is_empty() => {
                    format!("unknown fact `{key}`: the site has no data/*.toml files")
                }
                None => format!(
                    "unknown fact `{key}`: no data/{first}.toml (data files: {})",
                    listing(files())
                ),
            }
        })?;
        let mut path = first.to_string();
        for segment in segments {
            let next = match value {
                toml::Value::Table(table) => table.get(segment).ok_or_else(|| {
                    let keys = || table.keys().map(String::as_str);
                    match did_you_mean(segment, keys()) {
                        Some(best) => format!("unknown fact `{key}`: `{path}` has no `{segment}` (did you mean `{best}`?)"),
                        None => format!("unknown fact `{key}`: `{path}` has no `{segment}` (it has {})", listing(keys())),
                    }
                })?,
                toml::Value::Array(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .ok_or_else(|| {
                        format!(
                            "unknown fact `{key}`: `{path}` is a list of {} items, numbered from 0",
                            items.len()
                        )
                    })?,
                _ => return Err(format!("unknown fact `{key}`: `{path}` is a single value")),
            };
            path.push('.');
            path.push_str(segment);
            value = next;
        }
        Ok(value)
    }

    /// The fact at `key` as text in `lang`.
    pub fn format(&self, key: &str, lang: &str) -> Result<String, String> {
        let value = self.value(key)?;
        let unusable = |what: &str| {
            format!("fact `{key}` is {what}; a fact inserts a number, an amount, a date or text")
        };
        match value {
            toml::Value::String(text) => Ok(text.clone()),
            toml::Value::Integer(n) => Ok(self.number(&n.to_string(), 0, lang)),
            toml::Value::Float(f) => Ok(self.number(&f.to_string(), 0, lang)),
            toml::Value::Datetime(dt) => Ok(self.dates.format_iso(&dt.to_string(), lang)),
            toml::Value::Table(table) => match amount(table) {
                Some((number, currency)) => Ok(self.money(&number, currency, lang)),
                None => Err(unusable(&format!(
                    "a table (name one of its keys: {})",
                    listing(table.keys().map(String::as_str))
                ))),
            },
            toml::Value::Array(_) => Err(unusable("a list (name one item: `{key}.0`)")),
            toml::Value::Boolean(_) => Err(unusable("yes/no")),
        }
    }

    /// The numbers a fact stands for (`30`; `1–3` → 1 and 3; an amount's amount), to compare
    /// with numbers written in a page.
    pub fn numbers(&self, key: &str) -> Vec<f64> {
        match self.value(key) {
            Ok(toml::Value::Integer(n)) => vec![*n as f64],
            Ok(toml::Value::Float(f)) => vec![*f],
            Ok(toml::Value::String(text)) => numbers_in(text),
            Ok(toml::Value::Table(table)) => amount(table)
                .and_then(|(n, _)| n.parse().ok())
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A date in `lang`'s long form ("28 December 2026", "2026 m. gruodžio 28 d.").
    pub fn date(&self, date: jiff::civil::Date, lang: &str) -> String {
        self.dates.format_iso(&date.to_string(), lang)
    }

    /// An amount of money in `lang`; for a language ICU4X has no data for, the number and
    /// the ISO code, which read the same in every language.
    pub fn money(&self, amount: &str, currency: &str, lang: &str) -> String {
        self.money
            .format(amount, currency, lang)
            .unwrap_or_else(|| format!("{}\u{a0}{currency}", self.number(amount, 2, lang)))
    }

    fn number(&self, text: &str, min_fraction_digits: i16, lang: &str) -> String {
        self.numbers
            .format(text, min_fraction_digits, lang)
            .unwrap_or_else(|| text.to_string())
    }
}

/// `{ amount = 5.9, currency = "EUR" }` → ("5.9", "EUR").
fn amount(table: &toml::Table) -> Option<(String, &str)> {
    let currency = table.get("currency")?.as_str()?;
    let number = match table.get("amount")? {
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(f) => f.to_string(),
        _ => return None,
    };
    Some((number, currency))
}

/// The numbers written in `text`: `12,90` and `12.90` both read as 12.9; `1–3` as 1 and 3.
pub fn numbers_in(text: &str) -> Vec<f64> {
    let mut numbers = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if matches!(c, '.' | ',')
            && !current.is_empty()
            && !current.contains('.')
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            current.push('.');
        } else if !current.is_empty() {
            numbers.extend(current.parse::<f64>().ok());
            current.clear();
        }
    }
    numbers.extend(current.parse::<f64>().ok());
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> toml::Table {
        toml::from_str(
            "[shop.returns]\nwindow_days = 30\n[shop.shipping]\nfree_over = { amount = 50, currency = \"EUR\" }\nprice = { amount = 5.9, currency = \"EUR\" }\nprocessing_days = \"1–3\"\nsince = 2026-03-01\n[[shop.zones]]\nid = \"eu\"\n",
        )
        .unwrap()
    }

    #[test]
    fn values_in_each_language() {
        let data = data();
        let facts = Facts::new(&data, &["en", "pl", "zh-Hant"]);
        for (key, lang, expected) in [
            ("shop.returns.window_days", "pl", "30"),
            ("shop.shipping.price", "pl", "5,90\u{a0}€"),
            ("shop.shipping.free_over", "en", "€50.00"),
            ("shop.shipping.since", "zh-Hant", "2026年3月1日"),
            ("shop.zones.0.id", "en", "eu"),
        ] {
            assert_eq!(
                facts.format(key, lang).unwrap(),
                expected,
                "{key} in {lang}"
            );
        }
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let data = data();
        let facts = Facts::new(&data, &["en"]);
        let err = facts.format("shop.returns.window_day", "en").unwrap_err();
        assert!(err.contains("did you mean `window_days`"), "{err}");
        assert!(
            facts
                .format("shop.returns", "en")
                .unwrap_err()
                .contains("window_days")
        );
    }

    #[test]
    fn numbers_written_in_text() {
        assert_eq!(
            numbers_in("per 14 dienų, 12,90 EUR; 1–3"),
            vec![14.0, 12.9, 1.0, 3.0]
        );
        assert_eq!(numbers_in("v2."), vec![2.0]);
    }
}
