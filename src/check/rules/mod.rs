//! Policy rules: what the law (and Google, and the marketplaces a shop sells on) asks of a
//! shop's help centre, checked against the facts and the pages. Each rule has an ID, a
//! one-line reason and its source; `docs/rules.md` lists them. A profile is a group of rules
//! that apply together, each in a module of its own:
//! - `eu.rs`: EU consumer law (the closed ODR platform, the trader's identity, the withdrawal
//!   period, form and function);
//! - `gpsr.rs`: the EU's product safety information on product pages;
//! - `google.rs`: the return and shipping terms Google is told, stated by every language;
//! - `marketplaces.rs`: the return windows Amazon and eBay require.
//!
//! The EU and product safety rules apply when the shop ships to, takes returns from or is
//! established in a member state, Google's on every site, the marketplaces' when named
//! (`--rules amazon,ebay`); `--rules` names the profiles to apply instead.

mod eu;
mod google;
mod gpsr;
mod marketplaces;

use std::collections::BTreeSet;

use super::{Finding, SellerFile, Severity};
use crate::diagnostic::Diagnostic;
use crate::load::TemplateSource;
use crate::render::Content;
use crate::resolve::Site;
use marketplaces::Marketplace;

/// A group of rules that apply together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Profile {
    /// EU consumer law, for shops selling to consumers in a member state.
    Eu,
    /// The EU's General Product Safety Regulation, for products offered to consumers there.
    Gpsr,
    /// Google's documented return and shipping policy data, which every site's Organization
    /// carries.
    Google,
    /// Amazon's minimum return window, for a shop selling there (asked for by name only).
    Amazon,
    /// eBay's, likewise.
    Ebay,
}

/// Which profiles a check applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Selection {
    /// Those the shop's countries call for.
    #[default]
    Applicable,
    /// These, whatever the shop's countries (none: no rules).
    Only(BTreeSet<Profile>),
}

impl Selection {
    /// `eu`, `none`, or a comma list of profiles (from `--rules`).
    pub fn parse(names: &[String]) -> Result<Selection, String> {
        let mut profiles = BTreeSet::new();
        for name in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
            match name.to_ascii_lowercase().as_str() {
                "eu" => {
                    profiles.insert(Profile::Eu);
                }
                "gpsr" => {
                    profiles.insert(Profile::Gpsr);
                }
                "google" => {
                    profiles.insert(Profile::Google);
                }
                "amazon" => {
                    profiles.insert(Profile::Amazon);
                }
                "ebay" => {
                    profiles.insert(Profile::Ebay);
                }
                "none" | "" => {}
                _ => {
                    return Err(format!(
                        "unknown rule set `{name}` (known: eu, gpsr, google, amazon, ebay, none)"
                    ));
                }
            }
        }
        Ok(Selection::Only(profiles))
    }
}

/// One rule: its ID, why it exists, and where the law says so.
pub struct Rule {
    pub id: &'static str,
    pub reason: &'static str,
    pub source: &'static str,
}

/// The rule with ID `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.into_iter().find(|r| r.id == id)
}

/// Every rule, in the order `docs/rules.md` lists them.
pub const RULES: [&Rule; 9] = [
    &eu::EU_ODR,
    &eu::EU_TRADER,
    &eu::EU_WITHDRAWAL,
    &eu::EU_WITHDRAWAL_FUNCTION,
    &gpsr::GPSR,
    &google::GOOGLE_RETURN,
    &google::GOOGLE_SHIPPING,
    &marketplaces::AMAZON_RETURN_WINDOW,
    &marketplaces::EBAY_RETURN_WINDOW,
];

/// The rules `selection` applies to `site`, each broken one a finding.
pub(super) fn check(
    site: &Site,
    templates: &[TemplateSource],
    files: &[SellerFile],
    contents: &[Option<Content>],
    selection: &Selection,
    findings: &mut Vec<Finding>,
) {
    let applies = |profile: Profile| match selection {
        Selection::Applicable => match profile {
            Profile::Google => true,
            Profile::Eu | Profile::Gpsr => site.sells_in_the_eu(),
            Profile::Amazon | Profile::Ebay => false,
        },
        Selection::Only(profiles) => profiles.contains(&profile),
    };
    if applies(Profile::Eu) {
        eu::check(site, templates, files, findings);
    }
    if applies(Profile::Gpsr) {
        gpsr::check(site, files, findings);
    }
    if applies(Profile::Google) {
        google::check(site, contents, findings);
    }
    for (profile, marketplace) in [
        (Profile::Amazon, Marketplace::Amazon),
        (Profile::Ebay, Marketplace::Ebay),
    ] {
        if applies(profile) {
            marketplaces::check(site, files, marketplace, findings);
        }
    }
}

fn error(rule: &Rule, diagnostic: Diagnostic) -> Finding {
    Finding {
        severity: Severity::Error,
        rule: Some(rule.id),
        diagnostic,
    }
}

/// `diagnostic` (about `path`) at the first line of `path` that starts with `needle`, when
/// there is one.
fn at_line_of(diagnostic: Diagnostic, files: &[SellerFile], needle: &str) -> Diagnostic {
    let line = files
        .iter()
        .find(|f| f.path == diagnostic.file)
        .and_then(|f| {
            f.text
                .lines()
                .position(|l| l.trim_start().starts_with(needle))
        });
    match line {
        Some(index) => diagnostic.at_line(index + 1),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_list_every_rule_in_order_with_its_source() {
        let docs = include_str!("../../../docs/rules.md");
        let rows: Vec<&str> = docs.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), RULES.len());
        for (row, rule) in rows.iter().zip(RULES) {
            assert!(row.starts_with(&format!("| `{}` |", rule.id)), "{row}");
            let cited = rule.source.split([';', ',']).next().unwrap_or_default();
            assert!(row.contains(cited), "{} cites {cited}: {row}", rule.id);
        }
    }

    #[test]
    fn selections_are_read_from_the_flag() {
        let eu = Selection::parse(&["eu".into()]).unwrap();
        assert_eq!(eu, Selection::Only(BTreeSet::from([Profile::Eu])));
        assert_eq!(
            Selection::parse(&["none".into()]).unwrap(),
            Selection::Only(BTreeSet::new())
        );
        assert!(
            Selection::parse(&["eu,us".into()])
                .unwrap_err()
                .contains("`us` (known: eu, gpsr, google, amazon, ebay, none)")
        );
    }
}
