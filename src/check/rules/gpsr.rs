//! The EU's product safety information on product pages: who makes the product, who answers
//! for it in the EU, what identifies it, and its warnings in every language.

use std::collections::BTreeSet;

use super::{Rule, at_line_of, error};
use crate::check::{Finding, SellerFile};
use crate::diagnostic::Diagnostic;
use crate::load::SHOP_MANUFACTURER;
use crate::load::shop::SHOP_FILE;
use crate::resolve::Site;
use crate::resolve::eu::is_member_state;

pub const GPSR: Rule = Rule {
    id: "GPSR",
    reason: "a product offered online to EU consumers shows its manufacturer (name, postal and \
             electronic address), the responsible person in the EU for a manufacturer outside \
             it, what identifies the product (image and type) and its warnings and safety \
             information, in the buyer's language",
    source: "Regulation (EU) 2023/988 Art. 19; Regulation (EU) 2019/1020 Art. 4",
};

/// Each product page in each language: manufacturer, responsible person, identification and
/// warnings in the page's own language.
pub(super) fn check(site: &Site, files: &[SellerFile], findings: &mut Vec<Finding>) {
    let terms = site.terms();
    // Manufacturers outside the EU without a responsible person in it, reported once each.
    let mut outside = BTreeSet::new();
    for page in site.pages() {
        let Some(product) = &page.doc.meta.product else {
            continue;
        };
        let file = page.doc.file.as_path();
        let mut report = |needle: &str, message: String| {
            let diagnostic = at_line_of(Diagnostic::new(file, message), files, needle);
            findings.push(error(&GPSR, diagnostic));
        };
        if page.fallback_of.is_some() {
            report(
                "[product]",
                format!(
                    "{} has no {} translation: its product page shows the safety information \
                     in the original's language; translate the page",
                    file.display(),
                    page.doc.lang
                ),
            );
            continue;
        }
        match product.manufacturer.as_deref() {
            None => report(
                "[product]",
                "[product] names no `manufacturer`: \"shop\" when the shop makes it, else the \
                 id of a [manufacturers.<id>] entry in data/shop.toml (name, postal address, \
                 email or url, country)"
                    .into(),
            ),
            Some(SHOP_MANUFACTURER) => {
                if !site.shop_country().is_some_and(is_member_state) {
                    report(
                        "manufacturer",
                        "`manufacturer = \"shop\"`, and helpdeck.toml [shop.address] `country` \
                         is not a member state: a manufacturer outside the EU has a responsible \
                         person there; name it in a [manufacturers.<id>] entry's \
                         `responsible_person`"
                            .into(),
                    );
                }
            }
            Some(id) => match terms.manufacturers.get(id) {
                None => {
                    let known: Vec<&str> = terms.manufacturers.keys().map(String::as_str).collect();
                    report(
                        "manufacturer",
                        format!(
                            "`manufacturer = \"{id}\"` names no [manufacturers.{id}] in \
                             data/shop.toml (ids: shop{}{})",
                            if known.is_empty() { "" } else { ", " },
                            known.join(", ")
                        ),
                    );
                }
                Some(maker) if !is_member_state(&maker.country.0) => {
                    let person = maker
                        .responsible_person
                        .as_deref()
                        .and_then(|p| terms.manufacturers.get(p));
                    if !person.is_some_and(|p| is_member_state(&p.country.0)) {
                        outside.insert(id);
                    }
                }
                Some(_) => {}
            },
        }
        if product.image.is_none() {
            report(
                "[product]",
                "[product] has no `image`: buyers identify the product by a picture of it".into(),
            );
        }
        if product.model.is_none() && product.sku.is_none() && product.gtin.is_none() {
            report(
                "[product]",
                "[product] has no `model`, `sku` or `gtin`: the type, batch or model number \
                 that identifies the product"
                    .into(),
            );
        }
        if product.safety.is_none() {
            report(
                "[product]",
                format!(
                    "[product] has no `safety`: list the product's warnings and safety \
                     information in this page's language ({}), or `safety = []` when it needs \
                     none",
                    page.doc.lang
                ),
            );
        }
    }
    for id in outside {
        let maker = &terms.manufacturers[id];
        let diagnostic = Diagnostic::new(
            SHOP_FILE,
            format!(
                "[manufacturers.{id}] is outside the EU ({}) and names no `responsible_person` \
                 in a member state: the product pages that name it must show one",
                maker.country.0
            ),
        );
        findings.push(error(
            &GPSR,
            at_line_of(diagnostic, files, &format!("[manufacturers.{id}]")),
        ));
    }
}
