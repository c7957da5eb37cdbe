//! Each language's way of writing numbers and dates, from CLDR data through ICU4X: shared by
//! the template filters and the `fact` shortcode, so a date or a number reads the same in a
//! template and in Markdown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;

/// One ICU4X object per language tag; tags ICU cannot parse or has no data for are left out
/// (their users then fall back to CLDR's `other` form, the ISO date or plain digits).
pub fn per_language<T>(
    languages: &[&str],
    make: impl Fn(&icu_locale_core::Locale) -> Option<T>,
) -> HashMap<String, T> {
    languages
        .iter()
        .filter_map(|tag| {
            let locale: icu_locale_core::Locale = tag.parse().ok()?;
            Some((tag.to_string(), make(&locale)?))
        })
        .collect()
}

/// Long dates in each language's CLDR form: "22 listopada 2026" in Polish, "2026年11月22日"
/// in Chinese.
pub struct LocalDates {
    formatters: HashMap<String, FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
}

impl LocalDates {
    pub fn new(languages: &[&str]) -> Self {
        LocalDates {
            formatters: per_language(languages, |locale| {
                FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long()).ok()
            }),
        }
    }

    /// Text starting with `2026-11-22` as a date in `lang`; other text as it is.
    pub fn format_iso(&self, text: &str, lang: &str) -> String {
        let parsed = text.get(..10).and_then(|ymd| {
            let mut parts = ymd.splitn(3, '-').map(|p| p.parse::<u16>().ok());
            let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
            Date::try_new_gregorian(
                i32::from(year),
                u8::try_from(month).ok()?,
                u8::try_from(day).ok()?,
            )
            .ok()
        });
        match (parsed, self.formatters.get(lang)) {
            (Some(date), Some(formatter)) => formatter.format(&date).to_string(),
            _ => text.to_string(),
        }
    }
}

/// Numbers with each language's digits, decimal separator and grouping: 1 234,5 in Polish and
/// Lithuanian, 1,234.5 in English and Chinese.
pub struct LocalNumbers {
    formatters: HashMap<String, DecimalFormatter>,
}

impl LocalNumbers {
    pub fn new(languages: &[&str]) -> Self {
        LocalNumbers {
            formatters: per_language(languages, |locale| {
                DecimalFormatter::try_new(locale.into(), Default::default()).ok()
            }),
        }
    }

    /// `text` is a plain decimal number (`5.9`, `-12`); `min_fraction_digits` pads `5.9` to
    /// `5.90` for amounts of money.
    pub fn format(&self, text: &str, min_fraction_digits: i16, lang: &str) -> Option<String> {
        let mut decimal = Decimal::try_from_str(text).ok()?;
        decimal.absolute.pad_end(-min_fraction_digits);
        Some(match self.formatters.get(lang) {
            Some(formatter) => formatter.format(&decimal).to_string(),
            None => decimal.to_string(),
        })
    }
}

/// Amounts of money as each language writes them, from CLDR: "€1,250.50" in English,
/// "1 250,50 €" in Lithuanian, "1250,50 €" in Polish; a currency without a symbol in a language
/// keeps its code ("PLN 1,250.50" in English). A formatter serves one language and currency,
/// so they are made as amounts ask for them.
#[derive(Default)]
pub struct LocalMoney {
    /// By (language, currency); `None` where ICU4X has no data for them.
    formatters: Mutex<HashMap<(String, String), Option<MoneyFormatter>>>,
}

type MoneyFormatter = Arc<CurrencyFormatter<DecimalFormatter>>;

impl LocalMoney {
    /// `amount` is a plain decimal number, written with the currency's digits after the
    /// decimal point (two for the euro, none for the yen). `None` when ICU4X knows neither the
    /// language nor the currency.
    pub fn format(&self, amount: &str, currency: &str, lang: &str) -> Option<String> {
        let decimal = Decimal::try_from_str(amount).ok()?;
        let formatter = {
            let mut formatters = self.formatters.lock().ok()?;
            formatters
                .entry((lang.to_string(), currency.to_string()))
                .or_insert_with(|| currency_formatter(lang, currency).map(Arc::new))
                .clone()?
        };
        Some(formatter.format_fixed_decimal(&decimal).to_string())
    }
}

fn currency_formatter(lang: &str, currency: &str) -> Option<CurrencyFormatter<DecimalFormatter>> {
    let locale: icu_locale_core::Locale = lang.parse().ok()?;
    let code = CurrencyType::try_from_str(&currency.to_ascii_lowercase()).ok()?;
    CurrencyFormatter::try_new_symbol((&locale).into(), code, Default::default()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let numbers = LocalNumbers::new(&["en", "pl", "lt", "zh-Hant"]);
        assert_eq!(numbers.format("1234.5", 0, "en").unwrap(), "1,234.5");
        assert_eq!(numbers.format("5.9", 2, "pl").unwrap(), "5,90");
        assert_eq!(numbers.format("12345", 0, "lt").unwrap(), "12\u{a0}345");
        assert_eq!(numbers.format("12345.5", 0, "zh-Hant").unwrap(), "12,345.5");
    }

    #[test]
    fn money_follows_the_language_and_the_currency() {
        let money = LocalMoney::default();
        let cases = [
            ("1250.5", "EUR", "en", "€1,250.50"),
            ("1250.5", "EUR", "lt", "1\u{a0}250,50\u{a0}€"),
            ("1250.5", "EUR", "pl", "1250,50\u{a0}€"),
            ("1250.5", "EUR", "zh-Hant", "€1,250.50"),
            ("1250.5", "EUR", "ms", "€1,250.50"),
            ("1250.5", "EUR", "de", "1.250,50\u{a0}€"),
            ("1250.5", "EUR", "fr", "1\u{202f}250,50\u{a0}€"),
            ("1250.5", "EUR", "ar", "\u{200f}1,250.50\u{a0}€"),
            ("50", "EUR", "en", "€50.00"),
            ("5.9", "GBP", "pl", "5,90\u{a0}£"),
            ("1500.5", "JPY", "ja", "￥1,501"),
            ("12.5", "PLN", "pl", "12,50\u{a0}zł"),
            ("12.5", "PLN", "en", "PLN\u{a0}12.50"),
        ];
        for (amount, currency, lang, written) in cases {
            assert_eq!(
                money.format(amount, currency, lang).as_deref(),
                Some(written),
                "{amount} {currency} in {lang}"
            );
        }
    }
}
