//! The return windows marketplaces require of their sellers, per country, from
//! `marketplace_minimums.toml` beside this file (each value with its source) or a site's own
//! `data/marketplace_minimums.toml`.

use serde::Deserialize;

use super::{Rule, at_line_of, error};
use crate::check::{Finding, SellerFile};
use crate::diagnostic::Diagnostic;
use crate::load::shop::SHOP_FILE;
use crate::resolve::Site;

/// A marketplace whose minimums `--rules` can apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marketplace {
    Amazon,
    Ebay,
}

impl Marketplace {
    /// Its name in the minimums files.
    fn name(self) -> &'static str {
        match self {
            Marketplace::Amazon => "amazon",
            Marketplace::Ebay => "ebay",
        }
    }

    fn rule(self) -> &'static Rule {
        match self {
            Marketplace::Amazon => &AMAZON_RETURN_WINDOW,
            Marketplace::Ebay => &EBAY_RETURN_WINDOW,
        }
    }
}

pub const AMAZON_RETURN_WINDOW: Rule = Rule {
    id: "AMAZON-RETURN-WINDOW",
    reason: "a shop selling on Amazon takes returns for at least as long as Amazon requires in \
             each country it sells to",
    source: "src/check/rules/marketplace_minimums.toml, each entry with its source",
};

pub const EBAY_RETURN_WINDOW: Rule = Rule {
    id: "EBAY-RETURN-WINDOW",
    reason: "a shop selling on eBay takes returns for at least as long as eBay's sites require \
             in each country it sells to",
    source: "src/check/rules/marketplace_minimums.toml, each entry with its source",
};

/// The minimums shipped with helpdeck, or a site's own for a marketplace it lists.
const MARKETPLACE_MINIMUMS: &str = include_str!("marketplace_minimums.toml");

/// The facts key of a site's own `data/marketplace_minimums.toml`.
const SITE_MINIMUMS: &str = "marketplace_minimums";

/// One marketplace's minimum return window in some countries, and where it says so.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Minimum {
    countries: Vec<String>,
    days: u32,
    source: String,
}

/// The entries of `marketplace`: the site's when its data file lists the marketplace, else
/// helpdeck's.
fn minimums(site: &Site, marketplace: &str) -> Result<Vec<Minimum>, Diagnostic> {
    let read = |value: toml::Value, file: &str| {
        value
            .try_into::<Vec<Minimum>>()
            .map_err(|e| Diagnostic::new(file, format!("[[{marketplace}]]: {}", e.message())))
    };
    if let Some(own) = site
        .data
        .get(SITE_MINIMUMS)
        .and_then(|t| t.get(marketplace))
    {
        return read(own.clone(), "data/marketplace_minimums.toml");
    }
    let shipped: toml::Table = toml::from_str(MARKETPLACE_MINIMUMS).unwrap_or_default();
    match shipped.get(marketplace) {
        Some(entries) => read(entries.clone(), "src/check/rules/marketplace_minimums.toml"),
        None => Ok(Vec::new()),
    }
}

/// The shop's return window against the marketplace's minimum in each country the shop
/// takes returns from.
pub(super) fn check(
    site: &Site,
    files: &[SellerFile],
    marketplace: Marketplace,
    findings: &mut Vec<Finding>,
) {
    let rule = marketplace.rule();
    let marketplace = marketplace.name();
    let minimums = match minimums(site, marketplace) {
        Ok(minimums) => minimums,
        Err(diagnostic) => {
            findings.push(error(rule, diagnostic));
            return;
        }
    };
    let Some(returns) = &site.terms().returns else {
        findings.push(error(
            rule,
            Diagnostic::new(
                SHOP_FILE,
                format!(
                    "[returns] states no `window_days` and countries, which {marketplace}'s \
                     minimum return window is checked against"
                ),
            ),
        ));
        return;
    };
    let sold_to: Vec<&str> = returns
        .free_label_countries
        .iter()
        .chain(&returns.buyer_pays_countries)
        .map(|c| c.0.as_str())
        .collect();
    for minimum in minimums.iter().filter(|m| m.days > returns.window_days) {
        let short: Vec<&str> = minimum
            .countries
            .iter()
            .map(String::as_str)
            .filter(|c| sold_to.contains(c))
            .collect();
        if short.is_empty() {
            continue;
        }
        let diagnostic = Diagnostic::new(
            SHOP_FILE,
            format!(
                "the return window is {} days; selling on {marketplace} to {} asks for at least \
                 {} ({})",
                returns.window_days,
                short.join(", "),
                minimum.days,
                minimum.source
            ),
        );
        findings.push(error(rule, at_line_of(diagnostic, files, "window_days")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_marketplace_minimums_read_with_a_source_each() {
        let shipped: toml::Table = toml::from_str(MARKETPLACE_MINIMUMS).unwrap();
        for marketplace in ["amazon", "ebay"] {
            let entries: Vec<Minimum> = shipped[marketplace].clone().try_into().unwrap();
            assert!(!entries.is_empty(), "{marketplace}");
            for entry in entries {
                assert!(
                    entry.days >= 14 && !entry.source.is_empty(),
                    "{marketplace}"
                );
                assert!(entry.countries.iter().all(|c| c.len() == 2));
            }
        }
    }
}
