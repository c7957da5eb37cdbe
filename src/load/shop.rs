//! The shop's terms search engines read, from `data/shop.toml`: its returns and its shipping,
//! and the manufacturers product pages name, typed and checked with file and line. Who the shop is lives in `helpdeck.toml [shop]`.
//!
//! The file holds other facts too (for pages and templates, as `data.shop`); this reads only
//! the keys structured data needs and leaves the rest alone. A shop without them is valid:
//! it just gets no return or shipping policy in its structured data.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, toml_diagnostic};

pub const SHOP_FILE: &str = "data/shop.toml";
/// The facts key of `data/shop.toml` and of the config's `[shop]`: `shop.returns.window_days`,
/// `shop.legal_name`.
pub const SHOP_FACTS: &str = "shop";

/// A number of days, or a range of them: `3`, `"1–3"` or `"1-3"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "toml::Value")]
pub struct DayRange {
    pub min: u32,
    pub max: u32,
}

impl TryFrom<toml::Value> for DayRange {
    type Error = String;

    fn try_from(value: toml::Value) -> Result<Self, String> {
        let wrong = || format!("expected days like 3 or \"1–3\", not {value}");
        let range = match &value {
            toml::Value::Integer(n) => u32::try_from(*n).ok().map(|n| (n, n)),
            toml::Value::String(s) => match s.split_once(['–', '-']) {
                Some((min, max)) => min.trim().parse().ok().zip(max.trim().parse().ok()),
                None => s.trim().parse().ok().map(|n| (n, n)),
            },
            _ => None,
        };
        match range {
            Some((min, max)) if min <= max => Ok(DayRange { min, max }),
            _ => Err(wrong()),
        }
    }
}

/// An ISO 3166-1 alpha-2 country code: `LT`, `GB`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String")]
pub struct Country(pub String);

impl TryFrom<String> for Country {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Country(code))
        } else {
            Err(format!(
                "`{code}` is not a two-letter country code (ISO 3166-1, like LT or GB)"
            ))
        }
    }
}

/// An amount in an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Money {
    pub amount: f64,
    #[serde(deserialize_with = "currency")]
    pub currency: String,
}

fn currency<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let code = String::deserialize(deserializer)?;
    crate::values::check_currency(&code)
        .map(|()| code)
        .map_err(serde::de::Error::custom)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    ByMail,
    InStore,
    AtKiosk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refund {
    Full,
    Exchange,
    StoreCredit,
}

/// `[returns]`.
#[derive(Debug, Clone, Serialize)]
pub struct Returns {
    /// 0: items cannot be returned.
    pub window_days: u32,
    pub method: ReturnMethod,
    pub refund: Option<Refund>,
    /// Where returns are sent.
    pub return_country: Option<Country>,
    /// Countries with a free return label; in the other shipping countries the buyer pays.
    pub free_label_countries: Vec<Country>,
    pub buyer_pays_countries: Vec<Country>,
}

/// One `[[shipping.zones]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ShippingZone {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub countries: Vec<Country>,
    pub price: Money,
    /// Transit time.
    pub days: DayRange,
}

/// `[shipping]`.
#[derive(Debug, Clone, Serialize)]
pub struct Shipping {
    pub processing_days: DayRange,
    pub zones: Vec<ShippingZone>,
    /// Orders of at least this value ship free to `free_over_zone`.
    pub free_over: Option<(Money, usize)>,
}

/// What `data/shop.toml` tells search engines and product pages; serialized only to tell
/// whether it changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShopTerms {
    pub returns: Option<Returns>,
    pub shipping: Option<Shipping>,
    /// `[manufacturers.<id>]`: who makes the products, and who answers for them in the EU,
    /// named on product pages (the EU's product safety rules), by id.
    pub manufacturers: BTreeMap<String, Manufacturer>,
}

/// A product's manufacturer or its responsible person in the EU: a name, a postal address
/// and an electronic one (Regulation (EU) 2023/988 Art. 19(a) and (b)).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manufacturer {
    pub name: String,
    /// The postal address on one line.
    pub address: String,
    pub country: Country,
    pub email: Option<String>,
    pub url: Option<String>,
    /// The id of the manufacturer's responsible person in the EU (another entry), for a
    /// manufacturer outside it.
    pub responsible_person: Option<String>,
}

#[derive(Deserialize)]
struct ShopFile {
    /// Refused, as are the identity keys below: who the shop is lives in helpdeck.toml, once.
    shop: Option<Spanned<toml::Value>>,
    name: Option<Spanned<toml::Value>>,
    legal_name: Option<Spanned<toml::Value>>,
    company_code: Option<Spanned<toml::Value>>,
    vat_number: Option<Spanned<toml::Value>>,
    address: Option<Spanned<toml::Value>>,
    /// Refused: contact facts live in helpdeck.toml, once.
    contact: Option<Spanned<toml::Value>>,
    returns: Option<ReturnsTable>,
    shipping: Option<ShippingTable>,
    #[serde(default)]
    manufacturers: BTreeMap<String, Spanned<Manufacturer>>,
}

#[derive(Deserialize)]
struct ReturnsTable {
    window_days: Option<u32>,
    #[serde(default = "by_mail")]
    method: ReturnMethod,
    refund: Option<Refund>,
    return_country: Option<Country>,
    #[serde(default)]
    free_label_zones: Vec<Spanned<String>>,
}

fn by_mail() -> ReturnMethod {
    ReturnMethod::ByMail
}

#[derive(Deserialize)]
struct ShippingTable {
    processing_days: Option<DayRange>,
    #[serde(default)]
    zones: Vec<ShippingZone>,
    free_over: Option<FreeOverTable>,
}

#[derive(Deserialize)]
struct FreeOverTable {
    amount: f64,
    #[serde(deserialize_with = "currency")]
    currency: String,
    zone: Spanned<String>,
}

/// Reads the structured-data keys of `data/shop.toml` (whose text is `text`). Missing keys
/// leave their part out; warnings say what a search engine will not be told.
pub fn read(
    text: &str,
    problems: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> ShopTerms {
    let file = Path::new(SHOP_FILE);
    let raw: ShopFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            problems.push(toml_diagnostic(file, text, 0, &e));
            return ShopTerms::default();
        }
    };
    refuse_identity(&raw, text, problems);
    if let Some(contact) = &raw.contact {
        problems.push(
            Diagnostic::new(
                file,
                "[contact] belongs in helpdeck.toml [contact] (email, phone, chat_url, \
                 marketplace_url, reply_hours, timezone, [contact.hours]), the one place the \
                 contact block, structured data and pages read it from; pages insert it with \
                 {{ fact(key=\"contact.email\") }}",
            )
            .at_offset(text, contact.span().start),
        );
    }
    let zones = raw.shipping.as_ref().map_or(&[][..], |s| &s.zones[..]);
    let zone_index = |id: &Spanned<String>, problems: &mut Vec<Diagnostic>| {
        let found = zones.iter().position(|z| z.id == *id.get_ref());
        if found.is_none() {
            let known: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
            problems.push(
                Diagnostic::new(
                    file,
                    format!(
                        "no [[shipping.zones]] entry has id `{}` (ids: {})",
                        id.get_ref(),
                        known.join(", ")
                    ),
                )
                .at_offset(text, id.span().start),
            );
        }
        found
    };

    let shipping = raw.shipping.as_ref().and_then(|table| {
        let free_over = table.free_over.as_ref().and_then(|f| {
            let money = Money {
                amount: f.amount,
                currency: f.currency.clone(),
            };
            zone_index(&f.zone, problems).map(|zone| (money, zone))
        });
        let Some(processing_days) = table.processing_days else {
            warnings.push(Diagnostic::new(
                file,
                "[shipping] has no `processing_days`, so structured data leaves shipping out",
            ));
            return None;
        };
        Some(Shipping {
            processing_days,
            zones: table.zones.clone(),
            free_over,
        })
    });

    let returns = raw.returns.and_then(|table| {
        let window_days = table.window_days?;
        let free_zones: Vec<usize> = table
            .free_label_zones
            .iter()
            .filter_map(|id| zone_index(id, problems))
            .collect();
        // Each country once, in the order the zones list them (zones may share countries).
        let countries_of = |free: bool| -> Vec<Country> {
            let mut countries: Vec<Country> = Vec::new();
            let listed = zones
                .iter()
                .enumerate()
                .filter(|(i, _)| free_zones.contains(i) == free)
                .flat_map(|(_, z)| z.countries.iter());
            for country in listed {
                if !countries.contains(country) {
                    countries.push(country.clone());
                }
            }
            countries
        };
        let free_label_countries = countries_of(true);
        let buyer_pays_countries: Vec<Country> = countries_of(false)
            .into_iter()
            .filter(|c| !free_label_countries.contains(c))
            .collect();
        if free_label_countries.is_empty() && buyer_pays_countries.is_empty() {
            warnings.push(Diagnostic::new(
                file,
                "[returns] applies to no country: add `countries` to [[shipping.zones]], or structured data leaves the return policy out",
            ));
            return None;
        }
        Some(Returns {
            window_days,
            method: table.method,
            refund: table.refund,
            return_country: table.return_country,
            free_label_countries,
            buyer_pays_countries,
        })
    });

    let manufacturers = manufacturers(raw.manufacturers, text, problems);
    ShopTerms {
        returns,
        shipping,
        manufacturers,
    }
}

/// The manufacturers with an electronic address each, whose responsible persons are entries
/// too.
fn manufacturers(
    raw: BTreeMap<String, Spanned<Manufacturer>>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Manufacturer> {
    let at = |entry: &Spanned<Manufacturer>, message: String| {
        Diagnostic::new(SHOP_FILE, message).at_offset(text, entry.span().start)
    };
    for (id, entry) in &raw {
        let manufacturer = entry.get_ref();
        if id == super::SHOP_MANUFACTURER {
            problems.push(at(
                entry,
                "[manufacturers.shop]: `shop` names the trader of helpdeck.toml [shop] \
                 (`manufacturer = \"shop\"`); give this entry another id"
                    .into(),
            ));
        }
        if manufacturer.email.is_none() && manufacturer.url.is_none() {
            problems.push(at(
                entry,
                format!(
                    "[manufacturers.{id}] has neither `email` nor `url`: product pages name an \
                     electronic address buyers can reach it at"
                ),
            ));
        }
        if let Some(person) = &manufacturer.responsible_person
            && (!raw.contains_key(person) || person == id)
        {
            let known: Vec<&str> = raw.keys().map(String::as_str).filter(|k| k != id).collect();
            problems.push(at(
                entry,
                format!(
                    "[manufacturers.{id}] `responsible_person = \"{person}\"` names no other \
                     [manufacturers.<id>] entry (others: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
    }
    raw.into_iter()
        .map(|(id, entry)| (id, entry.into_inner()))
        .collect()
}

/// The shop's name and identity written here, where they were before they moved to
/// `helpdeck.toml [shop]`: each is an error that says where it goes.
fn refuse_identity(raw: &ShopFile, text: &str, problems: &mut Vec<Diagnostic>) {
    let moved = |what: &str, at: &Spanned<toml::Value>| {
        Diagnostic::new(
            SHOP_FILE,
            format!(
                "{what} belongs in helpdeck.toml [shop] (name, legal_name, company_code, \
                 vat_number, [shop.address]), the one place the footer, structured data and \
                 pages read who the shop is from; pages insert it with \
                 {{{{ fact(key=\"shop.legal_name\") }}}}"
            ),
        )
        .at_offset(text, at.span().start)
    };
    if let Some(table) = &raw.shop {
        problems.push(moved("[shop]", table));
    }
    let keys = [
        ("name", &raw.name),
        ("legal_name", &raw.legal_name),
        ("company_code", &raw.company_code),
        ("vat_number", &raw.vat_number),
        ("address", &raw.address),
    ];
    for (key, value) in keys {
        if let Some(value) = value {
            problems.push(moved(&format!("`{key}`"), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONES: &str = r#"
[shipping]
processing_days = "1–3"
free_over = { amount = 50, currency = "EUR", zone = "eu" }
[[shipping.zones]]
id = "eu"
name = "EU"
countries = ["LT", "LV"]
price = { amount = 5.9, currency = "EUR" }
days = "3-6"
[[shipping.zones]]
id = "uk"
name = "UK"
countries = ["GB", "NO"]
price = { amount = 9.9, currency = "EUR" }
days = 4
[[shipping.zones]]
id = "uk-express"
name = "UK express"
countries = ["GB"]
price = { amount = 19.9, currency = "EUR" }
days = 1
"#;

    fn read_ok(text: &str) -> ShopTerms {
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        let shop = read(text, &mut problems, &mut warnings);
        assert_eq!(problems, Vec::new());
        shop
    }

    #[test]
    fn free_label_zones_split_the_countries() {
        let shop = read_ok(&format!(
            "[returns]\nwindow_days = 30\nfree_label_zones = [\"eu\"]\n{ZONES}"
        ));
        let returns = shop.returns.expect("returns");
        assert_eq!(
            returns.free_label_countries,
            [Country("LT".into()), Country("LV".into())]
        );
        assert_eq!(
            returns.buyer_pays_countries,
            [Country("GB".into()), Country("NO".into())],
            "each country once"
        );
        let shipping = shop.shipping.expect("shipping");
        assert_eq!(shipping.processing_days, DayRange { min: 1, max: 3 });
        assert_eq!(shipping.zones[1].days, DayRange { min: 4, max: 4 });
        assert_eq!(shipping.free_over.map(|(_, zone)| zone), Some(0));
    }

    #[test]
    fn bad_values_name_their_line() {
        let text = format!("[returns]\nwindow_days = 30\nfree_label_zones = [\"eu-x\"]\n{ZONES}")
            .replace("\"GB\"", "\"uk\"");
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        read(&text, &mut problems, &mut warnings);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("`uk` is not a two-letter country code")
        );
        assert_eq!(problems[0].line, Some(17));

        let text = format!("[returns]\nwindow_days = 30\nfree_label_zones = [\"eu-x\"]\n{ZONES}");
        problems.clear();
        read(&text, &mut problems, &mut warnings);
        assert_eq!(problems[0].line, Some(3), "{}", problems[0]);
        assert!(problems[0].message.contains("`eu-x`"), "{}", problems[0]);
    }
}
