//! The rules every value of the site's own TOML meets, whatever key holds it: in
//! `helpdeck.toml`, front matter, `data/*.toml` and shortcode arguments alike.
//!
//! - A value whose key names a link (see [`names_a_link`]) is one a browser may follow without
//!   running anything: [`refused_scheme`] is the one rule, which Markdown links follow too.
//! - A number is finite: `inf` and `nan` are valid TOML but no price, window or count.
//! - A `currency` is an ISO 4217 code, so an amount reads the same in every language.
//!
//! The rules run where each file is parsed, on the spanned document, so a problem names its
//! file, line and key before any page is built; `build`, `check` and `serve` refuse alike.
//! Templates may put any value in an `href` or `src`, so the rules do not depend on which
//! keys the theme happens to use.

use std::fmt::Write;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, toml_diagnostic};

/// Reads `block`, TOML at byte `offset` of `file_text` (the whole text of `file`), as a `T`
/// once its values meet the rules; every value that does not is a diagnostic.
pub fn read<'de, T: Deserialize<'de>>(
    file: &Path,
    file_text: &str,
    offset: usize,
    block: &'de str,
) -> Result<T, Vec<Diagnostic>> {
    let toml_problem = |e: toml::de::Error| vec![toml_diagnostic(file, file_text, offset, &e)];
    let document = DeTable::parse(block).map_err(toml_problem)?;
    let mut problems = Vec::new();
    check(document.get_ref(), &mut |span, message| {
        problems.push(Diagnostic::new(file, message).at_offset(file_text, offset + span.start));
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    T::deserialize(toml::de::Deserializer::from(document)).map_err(toml_problem)
}

/// Calls `problem` with the span and the reason of each value of `table` that breaks a rule;
/// the reason names the value's key (`product.url`, `zones.0.price.currency`).
pub fn check(table: &DeTable<'_>, problem: &mut dyn FnMut(Range<usize>, String)) {
    let mut path = String::new();
    check_table(table, &mut path, problem);
}

fn check_table(
    table: &DeTable<'_>,
    path: &mut String,
    problem: &mut dyn FnMut(Range<usize>, String),
) {
    for (key, value) in table {
        let parent = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.get_ref());
        check_value(value, key.get_ref(), path, problem);
        path.truncate(parent);
    }
}

/// `key` is the value's own key, or for a list item the list's.
fn check_value(
    value: &Spanned<DeValue<'_>>,
    key: &str,
    path: &mut String,
    problem: &mut dyn FnMut(Range<usize>, String),
) {
    let message = match value.get_ref() {
        DeValue::Table(table) => return check_table(table, path, problem),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let parent = path.len();
                // Writing into a string cannot fail.
                let _ = write!(path, ".{i}");
                check_value(item, key, path, problem);
                path.truncate(parent);
            }
            return;
        }
        DeValue::Float(number) if number.as_str().parse::<f64>().is_ok_and(|n| !n.is_finite()) => {
            format!("`{path}` is {number}: a number must be finite")
        }
        DeValue::String(code) if key == "currency" => match check_currency(code) {
            Ok(()) => return,
            Err(why) => format!("`{path}`: {why}"),
        },
        DeValue::String(url) if names_a_link(key) => match refused_scheme(url) {
            None => return,
            Some(scheme) => format!(
                "`{path}` uses `{scheme}:`, a scheme no link may use (allowed: http:, https:, mailto:, tel:, paths on this site and @/ links)"
            ),
        },
        _ => return,
    };
    problem(value.span(), message);
}

/// Whether a key holds a link: it is or ends with `url`, `href`, `src`, `link` or `image`, or
/// their plurals for a list (`url`, `chat_url`, `imageUrl`, `logo_src`, `links`). Such values
/// end up in `href` and `src` attributes and in structured data.
pub fn names_a_link(key: &str) -> bool {
    const WORDS: [&str; 8] = [
        "url", "urls", "href", "src", "link", "links", "image", "images",
    ];
    WORDS.iter().any(|word| {
        key.len()
            .checked_sub(word.len())
            .and_then(|start| key.get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case(word))
    })
}

/// The scheme of `url` when a page must not link with it, as a browser reads it: spaces and
/// control characters anywhere left out (browsers drop tabs and newlines anywhere, and spaces
/// and controls around the URL), letters case-folded. `None` for what may be linked: an
/// `http:`, `https:`, `mailto:` or `tel:` URL, and anything without a scheme: a path on this
/// site, an `@/` link, `#anchor`, `?query`, and `//host/path`, a link to another host over
/// the page's own scheme, which is no more than an `https:` link can do.
pub fn refused_scheme(url: &str) -> Option<String> {
    // Read up to the first `:`, unless a `/`, `?` or `#` comes first (then the URL has no
    // scheme). No allowed scheme is longer than six letters; `None` once it is, so most URLs
    // are read without building a cleaned, lowered copy of them.
    let mut scheme = [0u8; 6];
    let mut len = Some(0);
    let read = |c: &char| !c.is_whitespace() && !c.is_control();
    for (at, c) in url.char_indices().filter(|(_, c)| read(c)) {
        match (c, len) {
            (':', Some(n)) if matches!(&scheme[..n], b"http" | b"https" | b"mailto" | b"tel") => {
                return None;
            }
            (':', _) => {
                return Some(
                    url[..at]
                        .chars()
                        .filter(read)
                        .flat_map(char::to_lowercase)
                        .collect(),
                );
            }
            ('/' | '?' | '#', _) => return None,
            (c, Some(n)) if c.is_ascii() && n < scheme.len() => {
                scheme[n] = c.to_ascii_lowercase() as u8;
                len = Some(n + 1);
            }
            _ => len = None,
        }
    }
    None
}

/// ISO 4217 list one as published on 2025-05-12: the codes of currencies and funds in use.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK",
    "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
    "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
    "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP",
    "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
    "XAD", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD",
    "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
];

/// An ISO 4217 currency code, or why `code` is none.
pub fn check_currency(code: &str) -> Result<(), String> {
    if ISO_4217.binary_search(&code).is_ok() {
        return Ok(());
    }
    let upper = code.trim().to_ascii_uppercase();
    match ISO_4217.binary_search(&upper.as_str()) {
        Ok(_) => Err(format!(
            "`{code}` is not an ISO 4217 currency code (did you mean `{upper}`?)"
        )),
        Err(_) => Err(format!(
            "`{code}` is not an ISO 4217 currency code (like EUR or GBP)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_and_the_schemes_a_help_page_needs_may_be_linked() {
        for allowed in [
            "https://x.example/a",
            " HTTPS://x",
            "http:x",
            "mailto:a@b.example",
            "Tel:+1 555",
            "/a:b",
            "?q=a:b",
            "#a:b",
            "a/b:c",
            "@/policies/returns.md",
            "//cdn.example/a.png",
            "page",
            "",
        ] {
            assert_eq!(refused_scheme(allowed), None, "{allowed:?}");
        }
        for (refused, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JaVaScRiPt:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("java\nscr\ript:x", "javascript"),
            ("\u{1}javascript:x", "javascript"),
            ("java\u{0}script:x", "javascript"),
            ("data:text/html,x", "data"),
            ("vbscript:x", "vbscript"),
            ("httpss:x", "httpss"),
            ("ftp:x", "ftp"),
            ("ĥttp:x", "ĥttp"),
            ("x:y", "x"),
            (":x", ""),
        ] {
            assert_eq!(
                refused_scheme(refused).as_deref(),
                Some(scheme),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn link_keys() {
        for key in [
            "url", "chat_url", "imageUrl", "logo_src", "href", "links", "image",
        ] {
            assert!(names_a_link(key), "{key}");
        }
        for key in ["name", "description", "urlencoded", "ürl", "u"] {
            assert!(!names_a_link(key), "{key}");
        }
    }

    #[test]
    fn currencies_are_read_from_the_iso_list() {
        assert!(
            ISO_4217.windows(2).all(|w| w[0] < w[1]),
            "sorted, for binary search"
        );
        assert_eq!(check_currency("EUR"), Ok(()));
        assert!(
            check_currency("eur")
                .unwrap_err()
                .contains("did you mean `EUR`")
        );
        for bad in ["<script>", "EURO", "ABC", "", "E"] {
            assert!(check_currency(bad).is_err(), "{bad}");
        }
    }

    fn problems(toml: &str) -> Vec<(String, String)> {
        let document = DeTable::parse(toml).unwrap();
        let mut found = Vec::new();
        check(document.get_ref(), &mut |span, message| {
            found.push((toml[span].to_string(), message));
        });
        found
    }

    #[test]
    fn every_value_is_checked_wherever_it_is() {
        let found = problems(
            "a = inf\n[x]\nb = [1.5, -nan]\nprice = { amount = 1, currency = \"<script>\" }\n[[x.y]]\nurl = \"javascript:1\"\nimages = [\"/a.png\", \"data:x\"]\ntitle = \"Note: fine\"\n",
        );
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|(value, message)| (value.as_str(), message.split(' ').next().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("inf", "`a`"),
                ("-nan", "`x.b.1`"),
                ("\"<script>\"", "`x.price.currency`:"),
                ("\"javascript:1\"", "`x.y.0.url`"),
                ("\"data:x\"", "`x.y.0.images.1`"),
            ]
        );
    }
}
