//! The model withdrawal form of Directive 2011/83/EU Annex I(B) as a page of each language,
//! `/withdrawal-form/`, addressed to the trader `helpdeck.toml` names. Written for shops EU
//! consumer law reaches (see [`crate::resolve::eu`]) whose theme has `withdrawal_form.html`;
//! every page links it (the default theme: the footer and the returns policy).
//!
//! A language without the seller's official wording (`[withdrawal.form.<lang>]`) shows the
//! Directive's English words marked `lang="en"`, and `check` says so: helpdeck ships no
//! language's legal wording but the one it can quote.

use std::path::PathBuf;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::config::FormWording;
use crate::resolve::Site;

/// The folder of a language's form page.
pub const FOLDER: &str = "withdrawal-form";

/// The theme's template for it.
pub const TEMPLATE: &str = "withdrawal_form.html";

/// The link every page of a language has to its form.
#[derive(Serialize)]
pub struct FormLink<'a> {
    pub url: String,
    pub title: &'a str,
    /// The title's language when it is not the page's (the Directive's English words).
    pub title_lang: Option<&'static str>,
}

/// What the form page shows besides the common context.
#[derive(Serialize)]
pub struct FormPage<'a> {
    pub wording: &'a FormWording,
    /// The wording's language when it is not the page's.
    pub wording_lang: Option<&'static str>,
    /// Who the form goes to, a line each: the trader's name, address and email.
    pub trader: Vec<String>,
    /// A `mailto:` link to the trader with the form's lines as the message, when the config
    /// has an email.
    pub mailto: Option<String>,
}

/// Whether the site has form pages: EU consumer law reaches it and the theme can show them.
pub fn written(site: &Site, has_template: bool) -> bool {
    has_template && site.sells_in_the_eu()
}

/// `withdrawal-form/` of `lang`, relative to the output root.
pub fn folder(site: &Site, lang: &str) -> PathBuf {
    super::language_folder(site, lang).join(FOLDER)
}

pub fn link<'a>(site: &'a Site, lang: &str) -> FormLink<'a> {
    let (wording, in_language) = site.config.withdrawal.form(lang);
    FormLink {
        url: super::folder_url(site, &folder(site, lang)),
        title: &wording.title,
        title_lang: (!in_language).then_some("en"),
    }
}

pub fn page<'a>(site: &'a Site, lang: &str) -> FormPage<'a> {
    let config = &site.config;
    let (wording, in_language) = config.withdrawal.form(lang);
    let shop = &config.shop;
    let name = shop
        .legal_name
        .as_deref()
        .or(shop.name.as_deref())
        .unwrap_or(&config.title);
    let trader: Vec<String> = std::iter::once(name.to_string())
        .chain(shop.address.as_ref().map(|a| a.one_line()))
        .chain(config.contact.email.clone())
        .collect();
    let mailto = config.contact.email.as_ref().map(|email| {
        let body = message(wording, &trader);
        let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
        format!(
            "mailto:{email}?subject={}&body={}",
            encode(&wording.title),
            encode(&body)
        )
    });
    FormPage {
        wording,
        wording_lang: (!in_language).then_some("en"),
        trader,
        mailto,
    }
}

/// The form as an email: each line of the Annex followed by a blank one to fill in. The
/// signature line is left out: the Annex asks for one only on paper.
fn message(wording: &FormWording, trader: &[String]) -> String {
    let lines = [
        &wording.notice,
        &wording.dates,
        &wording.consumer_name,
        &wording.consumer_address,
        &wording.date,
    ];
    let mut text = format!("{} {}:\n\n", wording.to, trader.join(", "));
    for line in lines {
        text.push_str(line);
        text.push_str("\n\n\n");
    }
    text.push_str(&wording.footnote);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ENGLISH_FORM;

    #[test]
    fn the_email_addresses_the_trader_and_leaves_out_the_paper_signature() {
        let text = message(
            &ENGLISH_FORM,
            &["Oak & Linen, MB".into(), "help@example.com".into()],
        );
        assert!(text.starts_with("To Oak & Linen, MB, help@example.com:\n\nI/We (*) hereby"));
        assert!(!text.contains("Signature"));
        assert!(text.ends_with("(*) Delete as appropriate."));
    }
}
