//! Etsy's shop policy boxes, filled from the site's policies: Shipping, Payment options,
//! Returns & exchanges and Privacy policy from the policy pages of those names, More
//! information from the other policies and the trader's details, each as the plain text
//! Etsy shows ([`crate::render::plain_text`]) in every language the pages are written in.
//!
//! Etsy names these boxes in its help article "Shop Policies" (Shop Manager, the pencil icon
//! next to the shop's name, Shop policies). It publishes no length limits for them; a seller
//! who meets one writes it in `data/etsy.toml` (`[limits] returns = 5000`), and a text over
//! it is then an error naming the box, the language and the length.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::render::Renderer;
use crate::resolve::Site;

/// The facts file whose `[limits]` holds the boxes' lengths, and its key among the facts.
const LIMITS_FILE: &str = "data/etsy.toml";
const LIMITS_FACTS: &str = "etsy";

/// One of Etsy's boxes: its key (in `[limits]` and the JSON), Etsy's name for it, and the
/// policy page it takes (`None`: More information).
struct Field {
    key: &'static str,
    etsy_name: &'static str,
    policy: Option<&'static str>,
}

const FIELDS: [Field; 6] = [
    Field {
        key: "shipping",
        etsy_name: "Shipping",
        policy: Some("shipping"),
    },
    Field {
        key: "payment",
        etsy_name: "Payment options",
        policy: Some("payments"),
    },
    Field {
        key: "returns",
        etsy_name: "Returns & exchanges",
        policy: Some("returns"),
    },
    Field {
        key: "privacy",
        etsy_name: "Privacy policy",
        policy: Some("privacy"),
    },
    Field {
        key: "additional",
        etsy_name: "More information: Frequently asked questions",
        policy: None,
    },
    Field {
        key: "seller_details",
        etsy_name: "More information: Seller details",
        policy: None,
    },
];

/// One box's text in one language.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyBox {
    pub lang: String,
    pub field: &'static str,
    /// Etsy's name for the box.
    pub etsy_name: &'static str,
    pub text: String,
    /// In Unicode characters, as a text box counts them.
    pub characters: usize,
    /// From `data/etsy.toml`, when the seller gave one.
    pub limit: Option<usize>,
}

/// Every box of each language in `langs`: a box whose policy has no page written in that
/// language is left out (its text would be another language's).
pub(super) fn boxes(site: &Site, renderer: &Renderer, langs: &[&str]) -> Result<Vec<PolicyBox>> {
    let limits = limits(site)?;
    let mut boxes = Vec::new();
    let mut problems = Vec::new();
    for &lang in langs {
        let written = super::policies_in(site, lang);
        let text_of = |id: usize| super::plain_page(site, renderer, id);
        for field in &FIELDS {
            let text = match (field.policy, field.key) {
                (Some(policy), _) => {
                    let page = written
                        .iter()
                        .find(|(_, p)| p.doc.meta.policy.as_deref() == Some(policy));
                    match page.map(|&(id, _)| text_of(id)) {
                        Some(Ok(text)) => text,
                        Some(Err(mut p)) => {
                            problems.append(&mut p);
                            continue;
                        }
                        None => continue,
                    }
                }
                (None, "additional") => {
                    let named: Vec<&str> = FIELDS.iter().filter_map(|f| f.policy).collect();
                    let mut parts = Vec::new();
                    for &(id, page) in &written {
                        let policy = page.doc.meta.policy.as_deref();
                        if policy.is_some_and(|p| named.contains(&p)) {
                            continue;
                        }
                        match text_of(id) {
                            Ok(text) => parts.push(format!("{}\n\n{text}", page.doc.meta.title)),
                            Err(mut p) => problems.append(&mut p),
                        }
                    }
                    if parts.is_empty() {
                        continue;
                    }
                    parts.join("\n\n")
                }
                _ => match seller_details(site, renderer, lang) {
                    Some(text) => text,
                    None => continue,
                },
            };
            let characters = text.chars().count();
            let limit = limits
                .iter()
                .find(|(k, _)| *k == field.key)
                .map(|&(_, l)| l);
            if let Some(limit) = limit.filter(|&l| characters > l) {
                problems.push(Diagnostic::new(
                    LIMITS_FILE,
                    format!(
                        "Etsy's {} box ({lang}) would get {characters} characters, over the \
                         {limit} of `[limits] {}`: shorten the policy in {lang}, or correct the \
                         limit if Etsy's form allows more",
                        field.etsy_name, field.key
                    ),
                ));
            }
            boxes.push(PolicyBox {
                lang: lang.to_string(),
                field: field.key,
                etsy_name: field.etsy_name,
                text,
                characters,
                limit,
            });
        }
    }
    match problems.is_empty() {
        true => Ok(boxes),
        false => Err(Error::invalid(problems)),
    }
}

/// The trader's identity as the shop's footer shows it, a line each, with the UI strings
/// of `lang` naming the numbers; none without a legal name.
fn seller_details(site: &Site, renderer: &Renderer, lang: &str) -> Option<String> {
    let config = &site.config;
    let shop = &config.shop;
    let label = |key: &str| renderer.ui_string(lang, key).unwrap_or(key).to_string();
    let lines: Vec<String> = std::iter::once(shop.legal_name.clone()?)
        .chain(shop.address.as_ref().map(|a| a.one_line()))
        .chain(
            shop.company_code
                .as_ref()
                .map(|c| format!("{} {c}", label("company_code"))),
        )
        .chain(
            shop.vat_number
                .as_ref()
                .map(|v| format!("{} {v}", label("vat_number"))),
        )
        .chain(config.contact.email.clone())
        .collect();
    Some(lines.join("\n"))
}

/// `[limits]` of `data/etsy.toml`: box key → characters.
fn limits(site: &Site) -> Result<Vec<(&'static str, usize)>> {
    let Some(table) = site
        .data
        .get(LIMITS_FACTS)
        .and_then(|t| t.get("limits"))
        .and_then(toml::Value::as_table)
    else {
        return Ok(Vec::new());
    };
    let mut limits = Vec::new();
    for (key, value) in table {
        let field = FIELDS.iter().find(|f| f.key == key);
        let number = value.as_integer().and_then(|n| usize::try_from(n).ok());
        match (field, number) {
            (Some(field), Some(n)) if n > 0 => limits.push((field.key, n)),
            (None, _) => {
                let known: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
                return Err(Error::single(Diagnostic::new(
                    LIMITS_FILE,
                    format!(
                        "[limits] `{key}` is no Etsy box helpdeck fills (boxes: {})",
                        known.join(", ")
                    ),
                )));
            }
            _ => {
                return Err(Error::single(Diagnostic::new(
                    LIMITS_FILE,
                    format!("[limits] `{key}` must be a number of characters, not {value}"),
                )));
            }
        }
    }
    Ok(limits)
}

/// The boxes as a text file to copy from: each under a line naming its language, Etsy's
/// name and its length.
pub(super) fn text_file(boxes: &[PolicyBox], shop: &str) -> Vec<u8> {
    let mut out = format!(
        "Etsy shop policies for {shop}, from the help centre. In Etsy: Shop Manager, the pencil \
         icon next to the shop's name, Shop policies; paste each box below into the box of \
         that name.\n"
    );
    for b in boxes {
        let limit = b.limit.map(|l| format!(" of {l}")).unwrap_or_default();
        out.push_str(&format!(
            "\n===== {} · {} ({} characters{limit}) =====\n\n{}\n",
            b.lang, b.etsy_name, b.characters, b.text
        ));
    }
    out.into_bytes()
}
