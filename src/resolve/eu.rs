//! Where EU consumer law reaches a shop: the member states, and whether the shop ships to,
//! takes returns from or is established in one. `check` applies the EU rules and `render`
//! writes the model withdrawal form on the same answer.

use super::Site;

/// The 27 member states, as ISO 3166-1 codes.
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

impl Site {
    /// Whether a shipping zone, the returns or the shop's address reach a member state.
    pub fn sells_in_the_eu(&self) -> bool {
        let terms = self.terms();
        let zones = terms.shipping.iter().flat_map(|s| &s.zones);
        let countries = zones
            .flat_map(|z| &z.countries)
            .chain(terms.returns.iter().flat_map(|r| &r.free_label_countries))
            .chain(terms.returns.iter().flat_map(|r| &r.buyer_pays_countries));
        countries
            .map(|c| c.0.as_str())
            .chain(
                self.config
                    .shop
                    .address
                    .iter()
                    .flat_map(|a| a.country.as_deref()),
            )
            .any(|code| EU_COUNTRIES.contains(&code))
    }
}
