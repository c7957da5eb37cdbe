//! `[product]` in a product page's front matter: what the page shows of the product and what
//! its Product and Offer tell search engines, with the shop's return and shipping terms
//! replaced where this product differs.

use serde::{Deserialize, Serialize};

use super::shop::{DayRange, Money};

/// `[product]`: the facts of a product page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub sku: Option<String>,
    pub image: Option<String>,
    pub url: Option<String>,
    /// Makes the product an offer in structured data; shown on the page.
    pub price: Option<Money>,
    /// Whether it can be bought now; shown on the page and in the offer.
    pub availability: Option<Availability>,
    /// What the product is, for search engines; the page's description when absent.
    pub description: Option<String>,
    pub brand: Option<String>,
    /// The number under its barcode (EAN, UPC, ISBN): 8, 12, 13 or 14 digits.
    pub gtin: Option<String>,
    /// Replaces `[returns] window_days` of `data/shop.toml` for this product; 0: not returnable.
    pub return_window_days: Option<u32>,
    /// Replaces `[shipping] processing_days` of `data/shop.toml` for this product.
    pub processing_days: Option<DayRange>,
    /// Who makes it: `"shop"` (the trader of `helpdeck.toml`) or the id of a
    /// `[manufacturers.<id>]` entry of `data/shop.toml`.
    pub manufacturer: Option<String>,
    /// Its type, batch or model number, which identifies it beside the image.
    pub model: Option<String>,
    /// Warnings and safety information, in the page's language; empty: none needed.
    pub safety: Option<Vec<String>>,
}

/// `manufacturer = "shop"`: the trader is the manufacturer.
pub const SHOP_MANUFACTURER: &str = "shop";

/// Schema.org's ItemAvailability values a shop's buyer meets, in front matter's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    OutOfStock,
    Preorder,
    Backorder,
    Limited,
    SoldOut,
    Discontinued,
}

impl Availability {
    /// The schema.org name: `InStock`, `PreOrder`, `LimitedAvailability` …
    pub fn schema_name(self) -> &'static str {
        match self {
            Availability::InStock => "InStock",
            Availability::OutOfStock => "OutOfStock",
            Availability::Preorder => "PreOrder",
            Availability::Backorder => "BackOrder",
            Availability::Limited => "LimitedAvailability",
            Availability::SoldOut => "SoldOut",
            Availability::Discontinued => "Discontinued",
        }
    }
}

impl Product {
    /// What is wrong with the product's values, each with its byte offset in `front_matter`.
    pub(super) fn problems(&self, front_matter: &str) -> Vec<(usize, String)> {
        let at = |key: &str| find_key(front_matter, key);
        let mut problems = Vec::new();
        // The return window and processing days replace the shop's policy in the offer;
        // without a price there is no offer for them to change.
        if self.price.is_none() {
            for (key, set) in [
                ("return_window_days", self.return_window_days.is_some()),
                ("processing_days", self.processing_days.is_some()),
            ] {
                if set {
                    problems.push((at(key), format!("[product] `{key}` overrides the shop's policy for an offer: add `price = {{ amount = …, currency = \"EUR\" }}`")));
                }
            }
        }
        if let Some(gtin) = &self.gtin {
            if let Err(why) = check_gtin(gtin) {
                problems.push((at("gtin"), format!("[product] `gtin` {why}")));
            }
        }
        problems
    }
}

/// Where `key = …` starts in `front_matter` (its start when the key is not found as written).
fn find_key(front_matter: &str, key: &str) -> usize {
    front_matter
        .match_indices(key)
        .find(|(at, _)| {
            let before = front_matter[..*at].chars().next_back();
            let after = front_matter[at + key.len()..].trim_start();
            before.is_none_or(|c| c.is_whitespace()) && after.starts_with('=')
        })
        .map_or(0, |(at, _)| at)
}

/// A GTIN-8, -12 (UPC), -13 (EAN, ISBN) or -14 whose last digit is its GS1 check digit.
fn check_gtin(gtin: &str) -> Result<(), String> {
    let digits: Vec<u32> = gtin.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != gtin.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return Err(format!(
            "must be the 8, 12, 13 or 14 digits under the barcode, not `{gtin}`"
        ));
    }
    let (check, body) = digits.split_last().unwrap_or((&0, &[]));
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    let expected = (10 - sum % 10) % 10;
    match *check == expected {
        true => Ok(()),
        false => Err(format!(
            "`{gtin}` ends in {check}, but its check digit is {expected}: is a digit mistyped?"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtins_are_checked_by_their_check_digit() {
        for good in [
            "4006381333931",
            "96385074",
            "036000291452",
            "9780306406157",
            "10614141000415",
        ] {
            assert_eq!(check_gtin(good), Ok(()), "{good}");
        }
        assert!(
            check_gtin("4006381333932")
                .unwrap_err()
                .contains("check digit is 1")
        );
        assert!(check_gtin("400638133393").is_err());
        assert!(check_gtin("4006 381333931").is_err());
    }
}
