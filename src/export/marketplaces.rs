//! eBay, Amazon and Allegro: the return and shipping settings each marketplace's seller
//! account asks for, from `data/shop.toml`, and the returns and shipping policies as plain
//! text per language, to enter where the marketplace takes the seller's own terms.
//!
//! The settings are the same facts for every marketplace (return window, who pays return
//! postage where, refund, where returns go, handling time); eBay's are written in its Sell
//! Account API's shape as well, for a seller who sets policies through a tool. For Amazon,
//! whose communication guidelines allow no email addresses or links to other sites in
//! messages to buyers, the saved replies come without their links, and a reply whose own
//! text holds an address or a link is left out with the reason.

use serde::Serialize;
use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::shop::{Refund, ShopTerms};
use crate::render::Renderer;
use crate::render::replies::Reply;
use crate::resolve::Site;

/// One setting, as the seller enters it.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    pub setting: &'static str,
    pub value: String,
}

/// The returns and shipping policies of one language.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyTexts {
    pub lang: String,
    pub returns: Option<String>,
    pub shipping: Option<String>,
}

/// The settings the facts give; an error when they give no return window or handling time,
/// which every marketplace asks for.
pub(super) fn settings(site: &Site) -> Result<Vec<Setting>> {
    let terms = site.terms();
    let (Some(returns), Some(shipping)) = (&terms.returns, &terms.shipping) else {
        return Err(Error::single(Diagnostic::new(
            crate::load::shop::SHOP_FILE,
            "marketplaces ask for the return window and the handling time: give [returns] \
             window_days (with the shipping zones' countries) and [shipping] processing_days",
        )));
    };
    let codes = |countries: &[crate::load::shop::Country]| {
        countries
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut rows = vec![
        row("returns_accepted", yes_no(returns.window_days > 0)),
        row("return_window_days", returns.window_days.to_string()),
    ];
    if !returns.free_label_countries.is_empty() {
        rows.push(row(
            "return_postage_paid_by_seller_in",
            codes(&returns.free_label_countries),
        ));
    }
    if !returns.buyer_pays_countries.is_empty() {
        rows.push(row(
            "return_postage_paid_by_buyer_in",
            codes(&returns.buyer_pays_countries),
        ));
    }
    if let Some(refund) = returns.refund {
        rows.push(row("refund", refund_name(refund).into()));
    }
    if let Some(country) = &returns.return_country {
        rows.push(row("returns_sent_to_country", country.0.clone()));
    }
    let days = shipping.processing_days;
    rows.push(row("handling_time_business_days", days.max.to_string()));
    if days.min != days.max {
        rows.push(row(
            "handling_time_business_days_range",
            format!("{}-{}", days.min, days.max),
        ));
    }
    Ok(rows)
}

fn row(setting: &'static str, value: String) -> Setting {
    Setting { setting, value }
}

fn yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.into()
}

fn refund_name(refund: Refund) -> &'static str {
    match refund {
        Refund::Full => "full refund",
        Refund::Exchange => "exchange",
        Refund::StoreCredit => "store credit",
    }
}

/// The returns and shipping policies of each language in `langs` as plain text (a language
/// without its own page for one has none: it would be another language's text).
pub(super) fn policy_texts(
    site: &Site,
    renderer: &Renderer,
    langs: &[&str],
) -> Result<Vec<PolicyTexts>> {
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    for &lang in langs {
        let written = super::policies_in(site, lang);
        let mut text_of = |policy: &str| {
            let &(id, _) = written
                .iter()
                .find(|(_, p)| p.doc.meta.policy.as_deref() == Some(policy))?;
            super::plain_page(site, renderer, id)
                .map_err(|mut p| problems.append(&mut p))
                .ok()
        };
        texts.push(PolicyTexts {
            lang: lang.to_string(),
            returns: text_of("returns"),
            shipping: text_of("shipping"),
        });
    }
    match problems.is_empty() {
        true => Ok(texts),
        false => Err(Error::invalid(problems)),
    }
}

/// eBay's return and fulfillment policy fields (Sell Account API `returnPolicy`,
/// `fulfillmentPolicy`): domestic terms for the shop's own country, the international
/// override for the rest. eBay has one international setting, so where the shop pays return
/// postage to some countries and not others, the override says the buyer pays and the
/// policy text tells the exceptions.
pub(super) fn ebay_policies(site: &Site) -> Option<Value> {
    let terms: &ShopTerms = site.terms();
    let returns = terms.returns.as_ref()?;
    let shipping = terms.shipping.as_ref()?;
    let home = returns
        .return_country
        .as_ref()
        .map(|c| c.0.as_str())
        .or(site.shop_country());
    let pays = |seller: bool| if seller { "SELLER" } else { "BUYER" };
    let home_free = returns
        .free_label_countries
        .iter()
        .any(|c| Some(c.0.as_str()) == home);
    let abroad_free = returns
        .free_label_countries
        .iter()
        .any(|c| Some(c.0.as_str()) != home);
    let abroad_buyer_pays = returns
        .buyer_pays_countries
        .iter()
        .any(|c| Some(c.0.as_str()) != home);
    let accepted = returns.window_days > 0;
    let period = json!({"value": returns.window_days, "unit": "DAY"});
    let mut return_policy = json!({
        "returnsAccepted": accepted,
        "returnPeriod": period,
        "returnShippingCostPayer": pays(home_free),
        "refundMethod": match returns.refund {
            Some(Refund::StoreCredit) => "MERCHANDISE_CREDIT",
            _ => "MONEY_BACK",
        },
    });
    if (abroad_free || abroad_buyer_pays)
        && let Some(object) = return_policy.as_object_mut()
    {
        object.insert(
            "internationalOverride".into(),
            json!({
                "returnsAccepted": accepted,
                "returnPeriod": period,
                "returnShippingCostPayer": pays(abroad_free && !abroad_buyer_pays),
            }),
        );
    }
    Some(json!({
        "returnPolicy": return_policy,
        "fulfillmentPolicy": {
            "handlingTime": {"value": shipping.processing_days.max, "unit": "DAY"},
        },
    }))
}

/// A saved reply as Amazon's buyer messages may carry it: without its link.
#[derive(Debug, Clone, Serialize)]
pub struct MessageReply {
    pub lang: String,
    pub title: String,
    pub reply: String,
}

/// A reply left out, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    pub lang: String,
    pub title: String,
    /// Where its answer is, to change it.
    pub url: String,
    pub why: String,
}

/// The replies Amazon's buyer messages may carry, and those they may not.
pub(super) fn amazon_replies(replies: Vec<Reply>) -> (Vec<MessageReply>, Vec<LeftOut>) {
    let mut allowed = Vec::new();
    let mut left_out = Vec::new();
    for reply in replies {
        match forbidden_in_messages(&reply.reply) {
            Some(why) => left_out.push(LeftOut {
                lang: reply.lang,
                title: reply.title,
                url: reply.url,
                why: why.to_string(),
            }),
            None => allowed.push(MessageReply {
                lang: reply.lang,
                title: reply.title,
                reply: reply.reply,
            }),
        }
    }
    (allowed, left_out)
}

/// What in `text` Amazon's communication guidelines keep out of messages to buyers.
fn forbidden_in_messages(text: &str) -> Option<&'static str> {
    let words = text.split(|c: char| c.is_whitespace() || "()<>[],;\"'".contains(c));
    for word in words {
        let lower = word.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
        {
            return Some("a link: Amazon's messages to buyers may not link to other sites");
        }
        if let Some((user, domain)) = word.split_once('@')
            && !user.is_empty()
            && domain.trim_end_matches('.').contains('.')
        {
            return Some("an email address: Amazon's messages to buyers may not carry one");
        }
    }
    None
}

/// The settings and texts as a sheet to copy from, `extra` (titled sections) after them.
pub(super) fn sheet(
    marketplace: &str,
    settings: &[Setting],
    texts: &[PolicyTexts],
    extra: &[(&str, String)],
) -> Vec<u8> {
    let mut out = format!(
        "{marketplace}: the shop's return and shipping terms, from the help centre. Enter the \
         settings in the return and shipping settings of the seller account; the policy texts \
         go where {marketplace} takes the seller's own terms.\n\n===== Settings =====\n\n"
    );
    for s in settings {
        out.push_str(&format!("{}: {}\n", s.setting, s.value));
    }
    for t in texts {
        for (name, text) in [
            ("Returns policy", &t.returns),
            ("Shipping policy", &t.shipping),
        ] {
            if let Some(text) = text {
                out.push_str(&format!("\n===== {} · {name} =====\n\n{text}\n", t.lang));
            }
        }
    }
    for (title, text) in extra {
        out.push_str(&format!("\n===== {title} =====\n\n{text}\n"));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_email_addresses_are_kept_out_of_amazon_messages() {
        assert!(forbidden_in_messages("Write to help@shop.example.").is_some());
        assert!(forbidden_in_messages("See (https://shop.example/x).").is_some());
        assert!(forbidden_in_messages("See www.shop.example").is_some());
        assert!(forbidden_in_messages("Returns within 30 days; @ the counter.").is_none());
        assert!(forbidden_in_messages("Pack it well, then ship it.").is_none());
    }
}
