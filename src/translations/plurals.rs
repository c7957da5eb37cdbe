//! Counted strings in gettext: the `Plural-Forms` of a language, and which CLDR plural
//! category (the theme's `_one`, `_few`, `_many`, `_other` keys) each of its forms is.
//!
//! gettext picks a form by evaluating a C expression on the count; CLDR names categories.
//! For whole numbers, which is all a count is, the two agree when each form is given the
//! category CLDR puts those numbers in (`tests/strings.rs` evaluates every expression with
//! Python's gettext against CLDR's categories from ICU4X, for 0 to 1000). A category CLDR
//! keeps for fractions (Lithuanian `many`, Polish and Russian `other`) has no form.

/// A language's gettext plural forms.
pub struct PluralForms {
    /// The `Plural-Forms` header's value.
    pub header: &'static str,
    /// The CLDR category of each form, in the expression's order.
    pub categories: &'static [&'static str],
}

/// The plural forms of `lang` (its primary subtag decides), for the languages the default
/// theme speaks; `None` for others.
pub fn plural_forms(lang: &str) -> Option<PluralForms> {
    let primary = lang.split('-').next().unwrap_or(lang);
    let (header, categories): (&str, &[&str]) = match primary {
        "en" | "de" | "es" | "it" | "nl" | "tr" => {
            ("nplurals=2; plural=(n != 1);", &["one", "other"])
        }
        // CLDR's `pt` is Brazil's (one: 0 and 1); Portugal's has one for 1 alone.
        "pt" if lang.eq_ignore_ascii_case("pt-PT") => {
            ("nplurals=2; plural=(n != 1);", &["one", "other"])
        }
        "fr" | "pt" => ("nplurals=2; plural=(n > 1);", &["one", "other"]),
        "ja" | "ko" | "zh" | "ms" => ("nplurals=1; plural=0;", &["other"]),
        "lt" => (
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
            &["one", "few", "other"],
        ),
        "pl" => (
            "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
            &["one", "few", "many"],
        ),
        "ru" | "uk" => (
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
            &["one", "few", "many"],
        ),
        "ar" => (
            "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
            &["zero", "one", "two", "few", "many", "other"],
        ),
        _ => return None,
    };
    Some(PluralForms { header, categories })
}

/// The CLDR categories a counted string's keys end in (`returns_within_days_few`).
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// `key` as the base of a counted string and its category: `("articles_count", "one")`.
pub fn split_counted(key: &str) -> Option<(&str, &str)> {
    let (base, category) = key.rsplit_once('_')?;
    CATEGORIES.contains(&category).then_some((base, category))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_counts_its_forms() {
        for lang in ["en", "fr", "ja", "lt", "pl", "ru", "ar", "zh-Hant", "pt-PT"] {
            let forms = plural_forms(lang).unwrap();
            let n: usize = forms.header["nplurals=".len()..forms.header.find(';').unwrap()]
                .parse()
                .unwrap();
            assert_eq!(n, forms.categories.len(), "{lang}");
        }
        assert!(plural_forms("fi").is_none());
        assert_eq!(
            split_counted("articles_count_one"),
            Some(("articles_count", "one"))
        );
        assert_eq!(split_counted("copy_link"), None);
    }
}
