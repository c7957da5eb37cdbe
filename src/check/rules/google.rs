//! The return and shipping terms the home page's structured data tells Google, stated by the
//! returns and shipping policy of every language.

use super::{Rule, error};
use crate::check::{Finding, Severity};
use crate::diagnostic::Diagnostic;
use crate::load::shop::SHOP_FILE;
use crate::render::Content;
use crate::render::facts::numbers_in;
use crate::resolve::Site;

pub const GOOGLE_RETURN: Rule = Rule {
    id: "GOOGLE-RETURN",
    reason: "the return policy Google shows beside the shop's products (the Organization's \
             MerchantReturnPolicy: countries, category, days, fees, method) is the one every \
             language's returns policy states",
    source: "Google Search Central, Merchant return policy (MerchantReturnPolicy) structured data",
};

pub const GOOGLE_SHIPPING: Rule = Rule {
    id: "GOOGLE-SHIPPING",
    reason: "the shipping Google shows (the Organization's ShippingService: destinations, \
             rates, handling and transit times in business days) is the one every language's \
             shipping policy states",
    source: "Google Search Central, Merchant shipping policy (ShippingService) structured data",
};

/// A fact the structured data tells Google, which a policy must state.
struct StatedFact {
    rule: &'static Rule,
    policy: &'static str,
    key: &'static str,
    /// The numbers the policy writes when it does not insert the fact; None: no such fact.
    numbers: Option<Vec<u32>>,
    /// The fact as the diagnostic names it: "30 days".
    stated: String,
}

/// The return window and the processing days the structured data tells Google, stated by the
/// returns and shipping policies of every language: a policy inserts the fact, or writes the
/// number. A policy that writes neither states another number or none, and a buyer reading it
/// is told something other than Google shows them.
pub(super) fn check(site: &Site, contents: &[Option<Content>], findings: &mut Vec<Finding>) {
    let terms = site.terms();
    let window = terms.returns.as_ref().map(|r| r.window_days);
    let processing = terms.shipping.as_ref().map(|s| s.processing_days);
    let checks = [
        StatedFact {
            rule: &GOOGLE_RETURN,
            policy: "returns",
            key: "shop.returns.window_days",
            numbers: window.filter(|&days| days > 0).map(|days| vec![days]),
            stated: format!("{} days", window.unwrap_or_default()),
        },
        StatedFact {
            rule: &GOOGLE_SHIPPING,
            policy: "shipping",
            key: "shop.shipping.processing_days",
            numbers: processing.map(|days| vec![days.min, days.max]),
            stated: processing.map_or_else(String::new, |d| match d.min == d.max {
                true => format!("{} business days", d.min),
                false => format!("{}–{} business days", d.min, d.max),
            }),
        },
    ];
    for StatedFact {
        rule,
        policy,
        key,
        numbers,
        stated,
    } in checks
    {
        let pages: Vec<(usize, &crate::resolve::Page)> = site
            .pages()
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.fallback_of.is_none() && p.doc.meta.policy.as_deref() == Some(policy)
            })
            .collect();
        let Some(numbers) = &numbers else {
            // Named by the default language's page, which the others translate.
            let named = pages
                .iter()
                .map(|(_, p)| p)
                .min_by_key(|p| p.doc.lang != site.config.default_language);
            if let Some(page) = named {
                findings.push(Finding {
                    severity: Severity::Warning,
                    rule: Some(rule.id),
                    diagnostic: Diagnostic::new(
                        SHOP_FILE,
                        format!(
                            "{} is the {policy} policy, and data/shop.toml does not give \
                             `{}`: the structured data tells Google no {policy} policy",
                            page.doc.file.display(),
                            key.trim_start_matches("shop.")
                        ),
                    ),
                });
            }
            continue;
        };
        for (id, page) in pages {
            let Some(content) = &contents[id] else {
                continue;
            };
            let inserts = content.facts.iter().any(|f| f.key == key);
            let written: Vec<f64> = content
                .markdown
                .blocks
                .iter()
                .map(|b| b.text.as_str())
                .chain(content.summary.iter().map(String::as_str))
                .flat_map(numbers_in)
                .collect();
            let writes = numbers
                .iter()
                .all(|&n| written.iter().any(|&w| (w - f64::from(n)).abs() < 1e-9));
            if !inserts && !writes {
                findings.push(error(
                    rule,
                    Diagnostic::new(
                        &page.doc.file,
                        format!(
                            "the {policy} policy ({}) never states the {stated} that \
                             data/shop.toml gives and the structured data tells Google: insert \
                             {{{{ fact(key=\"{key}\") }}}} where the policy states it",
                            page.doc.lang
                        ),
                    ),
                ));
            }
        }
    }
}
