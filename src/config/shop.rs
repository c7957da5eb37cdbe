//! `[shop]`: who the seller is. EU law asks a shop to show the trader's identity (Directive
//! 2011/83/EU Art. 6(1)(b)–(c), Directive 2000/31/EC Art. 5(1)), so it lives beside `[contact]`
//! in `helpdeck.toml`, the one place the footer, the Organization's structured data and the
//! pages (`{{ fact(key="shop.legal_name") }}`) read it from.

use serde::{Deserialize, Serialize};

/// `[shop]` as written and as validated: every part is optional, and what is missing is
/// left out of the footer and the structured data.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shop {
    /// The shop's name as buyers know it; the site's title when absent.
    pub name: Option<String>,
    /// The registered name of the business behind the shop.
    pub legal_name: Option<String>,
    /// The trade register number.
    pub company_code: Option<String>,
    pub vat_number: Option<String>,
    pub address: Option<Address>,
}

/// `[shop.address]`: where the trader is, the geographical address a buyer can write to.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

impl Shop {
    /// The keys pages insert as `shop.<key>` facts, each a line of text (the address on one
    /// line, as a page quotes it).
    pub fn facts(&self) -> toml::Table {
        let address = self.address.as_ref().map(Address::one_line);
        [
            ("name", &self.name),
            ("legal_name", &self.legal_name),
            ("company_code", &self.company_code),
            ("vat_number", &self.vat_number),
            ("address", &address),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_string(), toml::Value::from(value.clone()?))))
        .collect()
    }
}

impl Address {
    /// "Žalgirio g. 90, LT-09303 Vilnius, Lithuania": the parts given, in the order a letter
    /// gives them in most of Europe.
    pub fn one_line(&self) -> String {
        let town = [&self.postcode, &self.city]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.street.clone(),
            Some(town),
            self.region.clone(),
            self.country.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_the_parts_given_with_the_address_on_one_line() {
        let shop: Shop = toml::from_str(
            "legal_name = \"Oak & Linen, MB\"\n[address]\nstreet = \"Žalgirio g. 90\"\n\
             postcode = \"LT-09303\"\ncity = \"Vilnius\"\ncountry = \"Lithuania\"\n",
        )
        .expect("valid [shop]");
        let facts = shop.facts();
        assert_eq!(facts.len(), 2, "{facts:?}");
        assert_eq!(facts["legal_name"].as_str(), Some("Oak & Linen, MB"));
        assert_eq!(
            facts["address"].as_str(),
            Some("Žalgirio g. 90, LT-09303 Vilnius, Lithuania")
        );
    }
}
