//! Where EU consumer law reaches a shop: the member states, and whether the shop ships to,
//! takes returns from or is established in one. `check` applies the EU rules and `render`
//! writes the model withdrawal form on the same answer.

use super::Site;

/// The 27 member states: ISO 3166-1 code and English short name.
const MEMBER_STATES: [(&str, &str); 27] = [
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("GR", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
];

/// Whether `country`, an ISO code (`LT`) or an English name as an address writes it
/// (`Lithuania`), is a member state.
pub fn is_member_state(country: &str) -> bool {
    let country = country.trim();
    MEMBER_STATES
        .iter()
        .any(|(code, name)| *code == country || name.eq_ignore_ascii_case(country))
}

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
            .chain(self.shop_country())
            .any(is_member_state)
    }

    /// Where the trader is established, as `[shop.address] country` writes it.
    pub fn shop_country(&self) -> Option<&str> {
        self.config.shop.address.as_ref()?.country.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_states_by_code_or_english_name() {
        assert!(is_member_state("LT"));
        assert!(is_member_state("lithuania"));
        assert!(is_member_state(" Czechia "));
        assert!(!is_member_state("GB"));
        assert!(!is_member_state("United Kingdom"));
        assert!(
            !is_member_state("lt"),
            "codes are upper case, as ISO writes them"
        );
    }
}
