//! What templates see: the serialisable context for each kind of output, built from the
//! resolved site. Field names here are the template API documented in docs/templates.md.

use serde::Serialize;

use super::UiStrings;
use super::facts::Facts;
use super::markdown::{Question, RenderedMarkdown, TocEntry};
use super::site_context::{asset_url, language_name};
use super::structured_data;
use crate::load::Product;
use crate::load::SHOP_MANUFACTURER;
use crate::resolve::{Page, PageId, Role, Site};

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub active: bool,
}

#[derive(Serialize)]
pub struct TranslationLink<'a> {
    pub lang: &'a str,
    /// Not translated: the link leads to the fallback (and hreflang leaves it out).
    pub fallback: bool,
    pub name: String,
    pub title: &'a str,
    pub url: &'a str,
    pub current: bool,
}

/// On a fallback page: the language the content is really in, and where the original is.
#[derive(Serialize)]
pub struct FallbackContext {
    pub lang: String,
    /// The content's writing direction, which may differ from the page's.
    pub dir: crate::config::Direction,
    /// Native name of the content's language.
    pub name: String,
    /// Native name of the page's (the visitor's) language.
    pub language_name: String,
    /// "This page is not yet available in Lithuanian, so it is shown in English.", in the
    /// visitor's language.
    pub notice: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ChangeContext {
    pub date: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct PageContext<'a> {
    pub title: &'a str,
    /// The original's permalink on a fallback page, else the page's own.
    pub canonical: String,
    pub fallback: Option<FallbackContext>,
    /// The notice a published machine draft carries, in the page's language.
    pub machine_translated: Option<String>,
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub url: &'a str,
    pub permalink: String,
    pub lang: &'a str,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub effective: Option<String>,
    pub policy: Option<&'a str>,
    pub summary: Vec<String>,
    pub changes: Vec<ChangeContext>,
    pub product: Option<ProductContext>,
    pub content: String,
    pub intro: String,
    pub questions: Vec<Question>,
    pub toc: Vec<TocEntry>,
    pub has_code: bool,
    pub breadcrumbs: Vec<Link>,
    pub section: Option<Link>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    /// Up to five pages of the same language with the most similar text.
    pub related: Vec<Link>,
    pub extra: &'a toml::Table,
    pub jsonld: Vec<serde_json::Value>,
}

#[derive(Serialize)]
pub struct ListedPage<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub updated: Option<String>,
    pub policy: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SectionContext<'a> {
    pub title: &'a str,
    /// The original's permalink on a fallback page, else the page's own.
    pub canonical: String,
    pub fallback: Option<FallbackContext>,
    /// The notice a published machine draft carries, in the page's language.
    pub machine_translated: Option<String>,
    pub description: Option<&'a str>,
    pub url: &'a str,
    pub permalink: String,
    pub content: String,
    pub has_code: bool,
    pub breadcrumbs: Vec<Link>,
    pub pages: Vec<ListedPage<'a>>,
    pub jsonld: Vec<serde_json::Value>,
}

#[derive(Serialize)]
pub struct Category<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub page_count: usize,
    pub pages: Vec<Link>,
}

/// The language's sections, for the navigation, the one holding `current` active.
pub fn nav(site: &Site, lang: &str, current: Option<PageId>) -> Vec<NavItem> {
    let Some(home) = site.home(lang) else {
        return Vec::new();
    };
    let active_root = current.and_then(|id| {
        let page = site.page(id);
        page.ancestors()
            .get(1)
            .copied()
            .or((page.role == Role::Section).then_some(id))
    });
    site.page(home)
        .subsections()
        .iter()
        .map(|&id| NavItem {
            title: site.page(id).doc.meta.title.clone(),
            url: site.page(id).url.clone(),
            active: active_root == Some(id),
        })
        .collect()
}

pub fn translations<'a>(site: &'a Site, page: &Page) -> Vec<TranslationLink<'a>> {
    page.translations()
        .iter()
        .map(|&id| {
            let t = site.page(id);
            TranslationLink {
                lang: &t.doc.lang,
                fallback: t.fallback_of.is_some(),
                name: language_name(&site.config, &t.doc.lang),
                title: &t.doc.meta.title,
                url: &t.url,
                current: t.doc.lang == page.doc.lang,
            }
        })
        .collect()
}

/// hreflang alternates of a page: its translated versions (not fallbacks) and x-default,
/// when there are at least two.
#[derive(Serialize)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

pub fn alternates(site: &Site, page: &Page) -> Vec<Alternate> {
    let translated: Vec<&Page> = page
        .translations()
        .iter()
        .map(|&t| site.page(t))
        .filter(|t| t.fallback_of.is_none())
        .collect();
    if translated.len() < 2 {
        return Vec::new();
    }
    let mut alternates: Vec<Alternate> = translated
        .iter()
        .map(|t| Alternate {
            lang: t.doc.lang.clone(),
            href: site.permalink(t),
        })
        .collect();
    if let Some(default) = translated
        .iter()
        .find(|t| t.doc.lang == site.config.default_language)
    {
        alternates.push(Alternate {
            lang: "x-default".into(),
            href: site.permalink(default),
        });
    }
    alternates
}

pub fn link(site: &Site, id: PageId) -> Link {
    Link {
        title: site.page(id).doc.meta.title.clone(),
        url: site.page(id).url.clone(),
    }
}

fn date(d: &Option<jiff::Zoned>) -> Option<String> {
    d.as_ref().map(|d| d.date().to_string())
}

pub fn page_context<'a>(
    site: &'a Site,
    page: &'a Page,
    markdown: RenderedMarkdown,
    summary: Vec<String>,
    related: &[PageId],
    strings: &UiStrings,
    facts: &Facts,
) -> PageContext<'a> {
    let meta = &page.doc.meta;
    let breadcrumbs: Vec<Link> = page.ancestors().iter().map(|&id| link(site, id)).collect();
    let mut jsonld = vec![structured_data::breadcrumb_list(site, page)];
    if page.kind.has_questions() && !markdown.questions.is_empty() {
        jsonld.push(structured_data::faq_page(&markdown.questions));
    }
    if let Some(product) = &meta.product {
        jsonld.extend(structured_data::product(site, page, product));
    }
    let product = meta
        .product
        .as_ref()
        .map(|p| product_context(site, page, p, facts));
    PageContext {
        title: &meta.title,
        canonical: canonical(site, page),
        fallback: fallback(site, page, strings),
        machine_translated: machine_translated(page, strings),
        description: meta.description.as_deref(),
        kind: page.kind.as_str(),
        url: &page.url,
        permalink: site.permalink(page),
        lang: &page.doc.lang,
        date: date(&meta.date),
        updated: date(&meta.updated),
        effective: date(&meta.effective),
        policy: meta.policy.as_deref(),
        summary,
        changes: meta
            .changes
            .iter()
            .map(|c| ChangeContext {
                date: c.date.date().to_string(),
                text: c.text.clone(),
            })
            .collect(),
        product,
        content: markdown.html,
        intro: markdown.intro,
        questions: markdown.questions,
        toc: markdown.toc,
        has_code: markdown.has_code,
        section: page.parent().map(|id| link(site, id)),
        breadcrumbs,
        previous: page.previous().map(|id| link(site, id)),
        next: page.next().map(|id| link(site, id)),
        related: related.iter().map(|&id| link(site, id)).collect(),
        extra: &meta.extra,
        jsonld,
    }
}

pub fn section_context<'a>(
    site: &'a Site,
    page: &'a Page,
    markdown: RenderedMarkdown,
    strings: &UiStrings,
) -> SectionContext<'a> {
    let breadcrumbs: Vec<Link> = page.ancestors().iter().map(|&id| link(site, id)).collect();
    SectionContext {
        title: &page.doc.meta.title,
        canonical: canonical(site, page),
        fallback: fallback(site, page, strings),
        machine_translated: machine_translated(page, strings),
        description: page.doc.meta.description.as_deref(),
        url: &page.url,
        permalink: site.permalink(page),
        content: markdown.html,
        has_code: markdown.has_code,
        jsonld: vec![structured_data::breadcrumb_list(site, page)],
        breadcrumbs,
        pages: page
            .children()
            .iter()
            .map(|&id| {
                let child = site.page(id);
                ListedPage {
                    title: &child.doc.meta.title,
                    url: &child.url,
                    description: child.doc.meta.description.as_deref(),
                    kind: child.kind.as_str(),
                    updated: date(&child.doc.meta.updated),
                    policy: child.doc.meta.policy.as_deref(),
                }
            })
            .collect(),
    }
}

pub fn categories<'a>(site: &'a Site, home: &'a Page) -> Vec<Category<'a>> {
    home.subsections()
        .iter()
        .map(|&id| {
            let section = site.page(id);
            Category {
                title: &section.doc.meta.title,
                url: &section.url,
                description: section.doc.meta.description.as_deref(),
                page_count: section.children().len(),
                pages: section
                    .children()
                    .iter()
                    .take(5)
                    .map(|&c| link(site, c))
                    .collect(),
            }
        })
        .collect()
}

fn canonical(site: &Site, page: &Page) -> String {
    site.permalink(
        page.fallback_of
            .map_or(page, |original| site.page(original)),
    )
}

fn fallback(site: &Site, page: &Page, strings: &UiStrings) -> Option<FallbackContext> {
    let original = site.page(page.fallback_of?);
    Some(FallbackContext {
        lang: original.doc.lang.clone(),
        dir: site
            .config
            .language(&original.doc.lang)
            .map_or(crate::config::Direction::Ltr, |l| l.direction),
        name: language_name(&site.config, &original.doc.lang),
        language_name: language_name(&site.config, &page.doc.lang),
        notice: fallback_notice(strings, &page.doc.lang, &original.doc.lang),
        url: original.url.clone(),
    })
}

fn machine_translated(page: &Page, strings: &UiStrings) -> Option<String> {
    (page.fallback_of.is_none() && page.doc.is_machine_draft())
        .then(|| strings.get("machine_translated_notice").cloned())
        .flatten()
}

/// The fallback notice in the visitor's language. Languages inflect their names ("į lietuvių
/// kalbą", "w języku polskim"), so the theme names each language in the form its sentence
/// needs (`language_name_lt`); without names for both languages, the sentence that names
/// neither.
fn fallback_notice(strings: &UiStrings, lang: &str, original: &str) -> String {
    let name = |tag: &str| {
        let base = tag.split('-').next().unwrap_or(tag);
        strings
            .get(&format!("language_name_{tag}"))
            .or_else(|| strings.get(&format!("language_name_{base}")))
    };
    match (strings.get("fallback_notice"), name(lang), name(original)) {
        (Some(notice), Some(language), Some(original)) => notice
            .replace("{language}", language)
            .replace("{original}", original),
        _ => strings
            .get("fallback_notice_unnamed")
            .cloned()
            .unwrap_or_default(),
    }
}

fn safety_context(site: &Site, product: &Product) -> Option<SafetyContext> {
    if product.manufacturer.is_none() && product.safety.is_none() {
        return None;
    }
    let id = product.manufacturer.as_deref();
    let responsible = id
        .and_then(|id| site.terms().manufacturers.get(id))
        .and_then(|m| m.responsible_person.as_deref());
    Some(SafetyContext {
        manufacturer: id.and_then(|id| Party::named(site, id)),
        responsible_person: responsible.and_then(|id| Party::named(site, id)),
        warnings: product.safety.clone().unwrap_or_default(),
    })
}

/// A product as its page shows it: its front matter, and what the page works out from it.
#[derive(Debug, Serialize)]
pub struct ProductContext {
    #[serde(flatten)]
    pub product: Product,
    /// The price as the page's language writes money: "€45.00", "45,00 €".
    pub price_text: Option<String>,
    /// Days it can be returned in: its own window, else the shop's; 0: only when faulty.
    pub return_days: Option<u32>,
    /// The returns policy in the page's language.
    pub returns_url: Option<String>,
    /// What the EU's product safety rules ask a product offered online to show, when its
    /// front matter names a manufacturer or safety information (`safety` is the front
    /// matter's list of warnings).
    pub safety_info: Option<SafetyContext>,
}

/// The manufacturer, the responsible person in the EU, and the warnings.
#[derive(Debug, Serialize)]
pub struct SafetyContext {
    pub manufacturer: Option<Party>,
    pub responsible_person: Option<Party>,
    pub warnings: Vec<String>,
}

/// A manufacturer or responsible person as a product page names it.
#[derive(Debug, Serialize)]
pub struct Party {
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

impl Party {
    /// The manufacturer `id` names (`shop`: the trader), when there is one by that id.
    pub fn named(site: &Site, id: &str) -> Option<Party> {
        if id == SHOP_MANUFACTURER {
            let config = &site.config;
            let shop = &config.shop;
            return Some(Party {
                name: shop.legal_name.clone().or(shop.name.clone())?,
                address: shop.address.as_ref().map(|a| a.one_line()),
                email: config.contact.email.clone(),
                url: config.brand.shop_url.clone(),
            });
        }
        let entry = site.terms().manufacturers.get(id)?;
        Some(Party {
            name: entry.name.clone(),
            address: Some(entry.address.clone()),
            email: entry.email.clone(),
            url: entry.url.clone(),
        })
    }
}

fn product_context(site: &Site, page: &Page, product: &Product, facts: &Facts) -> ProductContext {
    let mut product = product.clone();
    product.image = product.image.map(|i| asset_url(&site.config.base_path, &i));
    let lang = &page.doc.lang;
    ProductContext {
        price_text: product
            .price
            .as_ref()
            .map(|price| facts.money(&price.amount.to_string(), &price.currency, lang)),
        return_days: product.return_window_days.or(site
            .terms()
            .returns
            .as_ref()
            .map(|r| r.window_days)),
        returns_url: site.policy_page(lang, "returns").map(|p| p.url.clone()),
        safety_info: safety_context(site, &product),
        product,
    }
}
