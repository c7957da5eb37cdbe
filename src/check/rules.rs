//! Policy rules: what the law asks of a shop's help centre, checked against the facts and the
//! pages. Each rule has an ID, a one-line reason and its source; `docs/rules.md` lists them.
//!
//! A profile's rules apply where they must: the EU and product safety rules when the shop
//! ships to or takes returns from a member state (`data/shop.toml` zones) or is established
//! in one, or when `--rules eu` or `--rules gpsr` asks for them.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::{Finding, SellerFile, Severity, has_word};
use crate::config::{CONFIG_FILE, ENGLISH_LABEL};
use crate::diagnostic::Diagnostic;
use crate::load::SHOP_MANUFACTURER;
use crate::load::TemplateSource;
use crate::load::shop::SHOP_FILE;
use crate::render::Content;
use crate::render::facts::numbers_in;
use crate::render::withdrawal_form;
use crate::resolve::Site;
use crate::resolve::eu::is_member_state;

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

pub const GPSR: Rule = Rule {
    id: "GPSR",
    reason: "a product offered online to EU consumers shows its manufacturer (name, postal and \
             electronic address), the responsible person in the EU for a manufacturer outside \
             it, what identifies the product (image and type) and its warnings and safety \
             information, in the buyer's language",
    source: "Regulation (EU) 2023/988 Art. 19; Regulation (EU) 2019/1020 Art. 4",
};

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

pub const AMAZON_RETURN_WINDOW: Rule = Rule {
    id: "AMAZON-RETURN-WINDOW",
    reason: "a shop selling on Amazon takes returns for at least as long as Amazon requires in \
             each country it sells to",
    source: "src/check/marketplace_minimums.toml, each entry with its source",
};

pub const EBAY_RETURN_WINDOW: Rule = Rule {
    id: "EBAY-RETURN-WINDOW",
    reason: "a shop selling on eBay takes returns for at least as long as eBay's sites require \
             in each country it sells to",
    source: "src/check/marketplace_minimums.toml, each entry with its source",
};

/// The rule with ID `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.into_iter().find(|r| r.id == id)
}

/// Every rule, in the order `docs/rules.md` lists them.
pub const RULES: [&Rule; 9] = [
    &EU_ODR,
    &EU_TRADER,
    &EU_WITHDRAWAL,
    &EU_WITHDRAWAL_FUNCTION,
    &GPSR,
    &GOOGLE_RETURN,
    &GOOGLE_SHIPPING,
    &AMAZON_RETURN_WINDOW,
    &EBAY_RETURN_WINDOW,
];

/// The shortest withdrawal period EU law allows, in days.
const EU_WITHDRAWAL_DAYS: u32 = 14;

/// Addresses of the closed platform, in any case.
const ODR_ADDRESSES: [&str; 2] = ["ec.europa.eu/consumers/odr", "webgate.ec.europa.eu/odr"];

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
        odr(files, findings);
        trader(site, templates, files, findings);
        withdrawal(site, templates, files, findings);
        withdrawal_function(site, templates, files, findings);
    }
    if applies(Profile::Gpsr) {
        product_safety(site, files, findings);
    }
    if applies(Profile::Google) {
        google_policies(site, contents, findings);
    }
    for (profile, rule, marketplace) in [
        (Profile::Amazon, &AMAZON_RETURN_WINDOW, "amazon"),
        (Profile::Ebay, &EBAY_RETURN_WINDOW, "ebay"),
    ] {
        if applies(profile) {
            marketplace_minimum(site, files, rule, marketplace, findings);
        }
    }
}

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
        Some(entries) => read(entries.clone(), "src/check/marketplace_minimums.toml"),
        None => Ok(Vec::new()),
    }
}

/// The shop's return window against the marketplace's minimum in each country the shop
/// takes returns from.
fn marketplace_minimum(
    site: &Site,
    files: &[SellerFile],
    rule: &'static Rule,
    marketplace: &str,
    findings: &mut Vec<Finding>,
) {
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

fn error(rule: &Rule, diagnostic: Diagnostic) -> Finding {
    Finding {
        severity: Severity::Error,
        rule: Some(rule.id),
        diagnostic,
    }
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

/// Each product page in each language: manufacturer, responsible person, identification and
/// warnings in the page's own language.
fn product_safety(site: &Site, files: &[SellerFile], findings: &mut Vec<Finding>) {
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
fn google_policies(site: &Site, contents: &[Option<Content>], findings: &mut Vec<Finding>) {
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
        let pages = site.pages().iter().enumerate().filter(|(_, p)| {
            p.fallback_of.is_none() && p.doc.meta.policy.as_deref() == Some(policy)
        });
        for (id, page) in pages {
            let Some(content) = &contents[id] else {
                continue;
            };
            let Some(numbers) = &numbers else {
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
                break;
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
    fn odr_is_a_word_of_its_own() {
        assert!(names_odr("the ODR platform"));
        assert!(names_odr("platforma ODR."));
        assert!(!names_odr("ODRA river and CODRE"));
    }

    #[test]
    fn the_docs_list_every_rule_in_order_with_its_source() {
        let docs = include_str!("../../docs/rules.md");
        let rows: Vec<&str> = docs.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), RULES.len());
        for (row, rule) in rows.iter().zip(RULES) {
            assert!(row.starts_with(&format!("| `{}` |", rule.id)), "{row}");
            let cited = rule.source.split([';', ',']).next().unwrap_or_default();
            assert!(row.contains(cited), "{} cites {cited}: {row}", rule.id);
        }
    }

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
