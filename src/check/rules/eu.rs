//! EU consumer law: the closed ODR platform mentioned nowhere, the trader named, the
//! withdrawal period stated with the model withdrawal form in every language, and the
//! withdrawal function linked.

use std::path::Path;

use super::{Rule, at_line_of, error};
use crate::check::{Finding, SellerFile, Severity, has_word};
use crate::config::{CONFIG_FILE, ENGLISH_LABEL};
use crate::diagnostic::Diagnostic;
use crate::load::TemplateSource;
use crate::load::shop::SHOP_FILE;
use crate::render::withdrawal_form;
use crate::resolve::Site;

pub const EU_ODR: Rule = Rule {
    id: "EU-ODR",
    reason: "the EU online dispute resolution platform closed on 20 July 2025: a link to it or \
             a mention of it sends buyers to a service that no longer exists",
    source: "Regulation (EU) 2024/3228, repealing Regulation (EU) No 524/2013",
};

pub const EU_TRADER: Rule = Rule {
    id: "EU-TRADER",
    reason: "a shop selling to EU consumers shows who the trader is: legal name, geographical \
             address and email",
    source: "Directive 2011/83/EU Art. 6(1)(b) and (c); Directive 2000/31/EC Art. 5(1)",
};

pub const EU_WITHDRAWAL: Rule = Rule {
    id: "EU-WITHDRAWAL",
    reason: "EU consumers may withdraw from a distance contract within at least 14 days, and \
             the trader gives them the model withdrawal form",
    source: "Directive 2011/83/EU Art. 9(1), Art. 6(1)(h) and Annex I(B)",
};

pub const EU_WITHDRAWAL_FUNCTION: Rule = Rule {
    id: "EU-WITHDRAWAL-FUNCTION",
    reason: "from 19 June 2026 a shop that concludes contracts online offers a withdrawal \
             function, labelled \"withdraw from contract here\" or equally unambiguous words, \
             prominently for the whole withdrawal period",
    source: "Directive (EU) 2023/2673 of 22 November 2023, Art. 1, inserting Art. 11a into \
             Directive 2011/83/EU",
};

/// The shortest withdrawal period EU law allows, in days.
const EU_WITHDRAWAL_DAYS: u32 = 14;

/// Addresses of the closed platform, in any case.
const ODR_ADDRESSES: [&str; 2] = ["ec.europa.eu/consumers/odr", "webgate.ec.europa.eu/odr"];

/// The EU rules: the closed ODR platform, the trader, the withdrawal period and form, the
/// withdrawal function.
pub(super) fn check(
    site: &Site,
    templates: &[TemplateSource],
    files: &[SellerFile],
    findings: &mut Vec<Finding>,
) {
    odr(files, findings);
    trader(site, templates, files, findings);
    withdrawal(site, templates, files, findings);
    withdrawal_function(site, templates, files, findings);
}

/// A link to the closed platform, or its name ("ODR" as a word of its own).
fn odr(files: &[SellerFile], findings: &mut Vec<Finding>) {
    for file in files {
        for (index, line) in file.text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            let what = if ODR_ADDRESSES.iter().any(|a| lower.contains(a)) {
                "links to the EU online dispute resolution platform, which closed on 20 July 2025: remove the link"
            } else if names_odr(line) {
                "mentions the EU online dispute resolution (ODR) platform, which closed on 20 July 2025: remove the mention"
            } else {
                continue;
            };
            findings.push(error(
                &EU_ODR,
                Diagnostic::new(&file.path, what)
                    .at_line(index + 1)
                    .quoting(line.trim()),
            ));
        }
    }
}

fn names_odr(line: &str) -> bool {
    has_word(line, "ODR")
}

/// The legal name, a geographical address and an email, in the config, and a theme that
/// shows them.
fn trader(
    site: &Site,
    templates: &[TemplateSource],
    files: &[SellerFile],
    findings: &mut Vec<Finding>,
) {
    let config = &site.config;
    let at_shop =
        |message: String| at_line_of(Diagnostic::new(CONFIG_FILE, message), files, "[shop]");
    let shop = &config.shop;
    if shop
        .legal_name
        .as_deref()
        .is_none_or(|n| n.trim().is_empty())
    {
        findings.push(error(
            &EU_TRADER,
            at_shop(
                "[shop] has no `legal_name`: the registered name of the business buyers buy from"
                    .into(),
            ),
        ));
    }
    let address = shop.address.clone().unwrap_or_default();
    let missing: Vec<&str> = [
        ("street", &address.street),
        ("city", &address.city),
        ("country", &address.country),
    ]
    .into_iter()
    .filter(|(_, part)| part.as_deref().is_none_or(|p| p.trim().is_empty()))
    .map(|(key, _)| key)
    .collect();
    if !missing.is_empty() {
        findings.push(error(
            &EU_TRADER,
            at_shop(format!(
                "[shop.address] has no {}: the geographical address buyers can write to",
                missing.join(", ")
            )),
        ));
    }
    if config.contact.email.is_none() {
        findings.push(error(
            &EU_TRADER,
            at_shop("[contact] has no `email`: buyers must be able to write to the trader".into()),
        ));
    }
    // The default theme's footer shows `site.trader`; a site's own templates must too.
    if !templates.iter().any(|t| t.text.contains("site.trader")) {
        findings.push(error(
            &EU_TRADER,
            Diagnostic::new(
                "templates/",
                "no template shows `site.trader` (legal name, address, company code, VAT number): \
                 the default theme's footer does; add it to the templates that replace it",
            ),
        ));
    }
}

/// The shop's return window, which is its withdrawal period for EU consumers, and the model
/// withdrawal form in every language.
fn withdrawal(
    site: &Site,
    templates: &[TemplateSource],
    files: &[SellerFile],
    findings: &mut Vec<Finding>,
) {
    withdrawal_period(site, files, findings);
    let has_template = templates
        .iter()
        .any(|t| t.name == withdrawal_form::TEMPLATE);
    if !has_template {
        findings.push(error(
            &EU_WITHDRAWAL,
            Diagnostic::new(
                "templates/",
                format!(
                    "the theme has no `{}`: the default theme's shows the model withdrawal form \
                     (Annex I(B) of Directive 2011/83/EU) filled in with the trader's identity",
                    withdrawal_form::TEMPLATE
                ),
            ),
        ));
    } else if !withdrawal_form::written(site, has_template) {
        findings.push(error(
            &EU_WITHDRAWAL,
            Diagnostic::new(
                SHOP_FILE,
                "no shipping zone, return or `[shop.address] country` reaches a member state, \
                 so the site has no model withdrawal form: list the EU countries the shop sells \
                 to (ISO codes) in the shipping zones",
            ),
        ));
    }
    let unworded = not_in_language(site, |lang| site.config.withdrawal.form(lang).1);
    if !unworded.is_empty() {
        let diagnostic = Diagnostic::new(
            CONFIG_FILE,
            format!(
                "no [withdrawal.form.<lang>] for {}, whose model withdrawal form shows the \
                 Directive's English words: copy the lines of Annex I(B) from the Directive's \
                 version in each language (EUR-Lex, Directive 2011/83/EU) into \
                 [withdrawal.form.<lang>], or a faithful translation where the EU has no \
                 version in it (docs/rules.md)",
                unworded.join(", ")
            ),
        );
        findings.push(Finding {
            severity: Severity::Warning,
            rule: Some(EU_WITHDRAWAL.id),
            diagnostic: at_line_of(diagnostic, files, "[withdrawal"),
        });
    }
}

/// The languages of the site whose words `in_language` says are not in that language.
fn not_in_language(site: &Site, in_language: impl Fn(&str) -> bool) -> Vec<&str> {
    site.config
        .languages
        .iter()
        .filter(|l| !in_language(&l.tag))
        .map(|l| l.tag.as_str())
        .collect()
}

/// The return window stated and at least the law's.
fn withdrawal_period(site: &Site, files: &[SellerFile], findings: &mut Vec<Finding>) {
    let shop_file = Path::new(SHOP_FILE);
    match &site.terms().returns {
        Some(returns) if returns.window_days >= EU_WITHDRAWAL_DAYS => {}
        Some(returns) => {
            let diagnostic = Diagnostic::new(
                shop_file,
                format!(
                    "the return window is {} days: EU consumers have at least {EU_WITHDRAWAL_DAYS} \
                     days to withdraw (products exempt by law, like personalised or unsealed \
                     hygiene goods, opt out on their own page)",
                    returns.window_days
                ),
            );
            findings.push(error(
                &EU_WITHDRAWAL,
                at_line_of(diagnostic, files, "window_days"),
            ));
        }
        None => findings.push(error(
            &EU_WITHDRAWAL,
            Diagnostic::new(
                shop_file,
                format!(
                    "[returns] states no `window_days`: the withdrawal period, at least \
                     {EU_WITHDRAWAL_DAYS} days for EU consumers, must be stated"
                ),
            ),
        )),
    }
}

/// The function's link configured and shown (errors), and its words in each language of the
/// site (warnings: a language without them shows the Directive's English words).
fn withdrawal_function(
    site: &Site,
    templates: &[TemplateSource],
    files: &[SellerFile],
    findings: &mut Vec<Finding>,
) {
    let config = &site.config;
    if config.withdrawal.url.is_none() {
        findings.push(error(
            &EU_WITHDRAWAL_FUNCTION,
            Diagnostic::new(
                CONFIG_FILE,
                "no [withdrawal] `url`: name the shop's withdrawal function (its own form or \
                 the marketplace's flow), which every page then links as \"Withdraw from \
                 contract here\"",
            ),
        ));
        return;
    }
    if !templates.iter().any(|t| t.text.contains("site.withdrawal")) {
        findings.push(error(
            &EU_WITHDRAWAL_FUNCTION,
            Diagnostic::new(
                "templates/",
                "no template links `site.withdrawal`: the default theme's footer and returns \
                 policy do; add it to the templates that replace them",
            ),
        ));
    }
    let unlabelled = not_in_language(site, |lang| config.withdrawal.label(lang).1);
    if !unlabelled.is_empty() {
        let diagnostic = Diagnostic::new(
            CONFIG_FILE,
            format!(
                "[withdrawal] has no `label` for {}, whose pages show the Directive's English \
                 words \"{ENGLISH_LABEL}\": give the words of the Directive's version in each \
                 language (Art. 11a of Directive 2011/83/EU as amended), or equally \
                 unambiguous words where the EU has no version in it",
                unlabelled.join(", ")
            ),
        );
        findings.push(Finding {
            severity: Severity::Warning,
            rule: Some(EU_WITHDRAWAL_FUNCTION.id),
            diagnostic: at_line_of(diagnostic, files, "[withdrawal]"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odr_is_a_word_of_its_own() {
        assert!(names_odr("the ODR platform"));
        assert!(names_odr("platforma ODR."));
        assert!(!names_odr("ODRA river and CODRE"));
    }
}
