//! What templates see: the serialisable context for each kind of output, built from the
//! resolved site. Field names here are the template API documented in README.md.

use std::collections::BTreeMap;

use serde::Serialize;

use super::markdown::{Question, RenderedMarkdown, TocEntry};
use super::structured_data;
use crate::config::{Config, WEEKDAYS, parse_opening_hours};
use crate::load::Product;
use crate::resolve::{Page, PageId, Role, Site};

#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub default_language: &'a str,
    pub languages: Vec<LanguageLink>,
    pub contact: ContactContext<'a>,
    /// Banners not yet over when the site was built.
    pub notices: Vec<NoticeContext>,
    pub feedback: Option<FeedbackContext<'a>>,
    pub extra: &'a toml::Table,
}

/// Where the search client finds its index, and what it offers when nothing is found.
#[derive(Serialize)]
pub struct SearchContext {
    /// This language's search page, `/lt/search/`.
    pub page_url: String,
    pub index_url: String,
    /// Searched as well when a non-default language finds little.
    pub default_index_url: Option<String>,
    pub default_language_name: Option<String>,
    /// The language's FAQ section, offered when a search finds nothing.
    pub faq_url: Option<String>,
    /// "{count} results" by CLDR plural category (`one`, `few`, `other`…), from the UI strings
    /// `search_results_<category>`. Picked out once per language: a template looping over
    /// every UI string for them did so on every page.
    pub results: BTreeMap<String, String>,
}

pub fn search_context(
    site: &Site,
    lang: &str,
    home_url: &str,
    ui: &BTreeMap<String, String>,
) -> SearchContext {
    let config = &site.config;
    let index_url = |tag: &str| format!("{}/search-index/{tag}/", config.base_path);
    let is_default = lang == config.default_language;
    SearchContext {
        page_url: format!("{home_url}search/"),
        index_url: index_url(lang),
        default_index_url: (!is_default).then(|| index_url(&config.default_language)),
        default_language_name: (!is_default)
            .then(|| language_name(config, &config.default_language)),
        faq_url: site
            .pages()
            .iter()
            .filter(|p| {
                p.role == Role::Section
                    && p.doc.lang == lang
                    && p.doc.meta.page_kind == Some(crate::load::PageKind::Faq)
            })
            .map(|p| p.url.clone())
            .min_by_key(|url| url.len()),
        results: ui
            .iter()
            .filter_map(|(key, text)| {
                let category = key.strip_prefix("search_results_")?;
                Some((category.to_string(), text.clone()))
            })
            .collect(),
    }
}

/// A `[[notices]]` banner: the script shows it between `start` and `end` (RFC 3339) in the
/// visitor's browser; `current` says whether it was showing when the site was built.
#[derive(Serialize)]
pub struct NoticeContext {
    pub text: String,
    /// The text's language: the page's, or the default language where it has none.
    pub lang: String,
    pub start: String,
    pub end: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct FeedbackContext<'a> {
    pub endpoint: Option<&'a str>,
    pub analytics_event: Option<&'a str>,
}

/// A closure: `first` to `last` (equal for one day), named in the page's language if it can be.
#[derive(Serialize)]
pub struct HolidayContext {
    pub first: String,
    pub last: String,
    pub name: Option<String>,
}

#[derive(Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub title: String,
    pub home_url: String,
}

#[derive(Serialize)]
pub struct ContactContext<'a> {
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub chat_url: Option<&'a str>,
    pub marketplace_url: Option<&'a str>,
    pub reply_hours: Option<u32>,
    pub timezone: &'a str,
    pub hours: Vec<OpeningHours>,
    /// Upcoming closures, soonest first.
    pub holidays: Vec<HolidayContext>,
}

#[derive(Serialize)]
pub struct OpeningHours {
    pub day: &'static str,
    pub open: Option<String>,
    pub close: Option<String>,
}

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
    pub description: Option<&'a str>,
    pub kind: &'static str,
    pub url: &'a str,
    pub permalink: String,
    pub lang: &'a str,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub effective: Option<String>,
    pub policy: Option<&'a str>,
    pub summary: &'a [String],
    pub changes: Vec<ChangeContext>,
    pub product: Option<Product>,
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

/// The context every page of `lang` shares; `now` is the moment of the build.
/// The site's title in `lang`: the language's own, else the site's.
pub fn site_title<'a>(config: &'a Config, lang: &str) -> &'a str {
    config
        .language(lang)
        .and_then(|l| l.settings.title.as_deref())
        .unwrap_or(&config.title)
}

pub fn site_context<'a>(site: &'a Site, lang: &str, now: jiff::Timestamp) -> SiteContext<'a> {
    let config = &site.config;
    let language = config.language(lang);
    let title = site_title(config, lang);
    let description = language
        .and_then(|l| l.settings.description.as_deref())
        .or(config.description.as_deref());
    SiteContext {
        title,
        description,
        base_url: &config.base_url,
        base_path: &config.base_path,
        default_language: &config.default_language,
        languages: config
            .languages
            .iter()
            .map(|l| LanguageLink {
                code: l.tag.clone(),
                name: language_name(config, &l.tag),
                title: l
                    .settings
                    .title
                    .clone()
                    .unwrap_or_else(|| config.title.clone()),
                home_url: site.home(&l.tag).map_or_else(
                    || format!("{}/", config.base_path),
                    |h| site.page(h).url.clone(),
                ),
            })
            .collect(),
        contact: contact_context(config, lang, now),
        notices: config
            .notices
            .iter()
            .filter(|n| n.end > now)
            .map(|n| {
                let (lang, text) = in_language(&n.text, lang, &config.default_language);
                NoticeContext {
                    text,
                    lang,
                    start: n.start.to_string(),
                    end: n.end.to_string(),
                    current: n.start <= now,
                }
            })
            .collect(),
        feedback: config.feedback.as_ref().map(|f| FeedbackContext {
            endpoint: f.endpoint.as_deref(),
            analytics_event: f.analytics_event.as_deref(),
        }),
        extra: &config.extra,
    }
}

/// The text for `lang`, else the default language's, with the language it is in.
fn in_language(texts: &BTreeMap<String, String>, lang: &str, default: &str) -> (String, String) {
    texts
        .get_key_value(lang)
        .or_else(|| texts.get_key_value(default))
        .map(|(l, t)| (l.clone(), t.clone()))
        .unwrap_or_default()
}

fn contact_context<'a>(config: &'a Config, lang: &str, now: jiff::Timestamp) -> ContactContext<'a> {
    let contact = &config.contact;
    let today = now.to_zoned(config.contact_timezone.clone()).date();
    let mut holidays: Vec<HolidayContext> = config
        .holidays
        .iter()
        .filter(|h| h.last >= today)
        .map(|h| HolidayContext {
            first: h.first.to_string(),
            last: h.last.to_string(),
            name: (!h.name.is_empty())
                .then(|| in_language(&h.name, lang, &config.default_language).1),
        })
        .collect();
    holidays.sort_by(|a, b| a.first.cmp(&b.first));
    ContactContext {
        holidays,
        email: contact.email.as_deref(),
        phone: contact.phone.as_deref(),
        chat_url: contact.chat_url.as_deref(),
        marketplace_url: contact.marketplace_url.as_deref(),
        reply_hours: contact.reply_hours,
        timezone: contact.timezone.as_deref().unwrap_or(&config.timezone_name),
        hours: if contact.hours.is_empty() {
            Vec::new()
        } else {
            WEEKDAYS
                .iter()
                .map(|&day| {
                    let hours = contact.hours.get(day).and_then(|h| parse_opening_hours(h));
                    let (open, close) = match hours {
                        Some((open, close)) if !open.is_empty() => (Some(open), Some(close)),
                        _ => (None, None),
                    };
                    OpeningHours { day, open, close }
                })
                .collect()
        },
    }
}

/// The native name of a language for the switcher: the config's, else a built-in one.
pub fn language_name(config: &Config, tag: &str) -> String {
    if let Some(name) = config.language(tag).and_then(|l| l.settings.name.clone()) {
        return name;
    }
    const KNOWN: &[(&str, &str)] = &[
        ("en", "English"),
        ("lt", "Lietuvių"),
        ("pl", "Polski"),
        ("zh-Hant", "繁體中文"),
        ("zh-Hans", "简体中文"),
        ("zh", "中文"),
        ("ms", "Bahasa Melayu"),
        ("de", "Deutsch"),
        ("fr", "Français"),
        ("es", "Español"),
        ("it", "Italiano"),
        ("pt", "Português"),
        ("pt-BR", "Português (Brasil)"),
        ("nl", "Nederlands"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("ar", "العربية"),
        ("tr", "Türkçe"),
        ("uk", "Українська"),
        ("ru", "Русский"),
        ("lv", "Latviešu"),
        ("et", "Eesti"),
    ];
    KNOWN
        .iter()
        .find(|(known, _)| *known == tag)
        .map_or_else(|| tag.to_string(), |(_, name)| name.to_string())
}

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
    related: &[PageId],
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
    let product = meta.product.clone().map(|mut p| {
        p.image = p.image.map(|i| asset_url(&site.config.base_path, &i));
        p
    });
    PageContext {
        title: &meta.title,
        canonical: canonical(site, page),
        fallback: fallback(site, page),
        description: meta.description.as_deref(),
        kind: page.kind.as_str(),
        url: &page.url,
        permalink: site.permalink(page),
        lang: &page.doc.lang,
        date: date(&meta.date),
        updated: date(&meta.updated),
        effective: date(&meta.effective),
        policy: meta.policy.as_deref(),
        summary: &meta.summary,
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
) -> SectionContext<'a> {
    let breadcrumbs: Vec<Link> = page.ancestors().iter().map(|&id| link(site, id)).collect();
    SectionContext {
        title: &page.doc.meta.title,
        canonical: canonical(site, page),
        fallback: fallback(site, page),
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

fn fallback(site: &Site, page: &Page) -> Option<FallbackContext> {
    let original = site.page(page.fallback_of?);
    Some(FallbackContext {
        lang: original.doc.lang.clone(),
        dir: site
            .config
            .language(&original.doc.lang)
            .map_or(crate::config::Direction::Ltr, |l| l.direction),
        name: language_name(&site.config, &original.doc.lang),
        language_name: language_name(&site.config, &page.doc.lang),
        url: original.url.clone(),
    })
}

/// Site-absolute paths (`/images/a.svg`) move under the base path; other URLs stay.
pub fn asset_url(base_path: &str, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{base_path}{url}")
    } else {
        url.to_string()
    }
}
