//! What every page of a language shares: the site's title and languages, the contact
//! details with this week's hours and coming holidays, current notices, the feedback
//! settings, and the search box's texts and links.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{hosting, icons};
use crate::config::{Accent, Analytics, Config, WEEKDAYS, parse_opening_hours};
use crate::resolve::{Role, Site};

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
    /// Where the search box and the votes report events: `log` (a path under the base path,
    /// requested with GET) or `endpoint` (a URL receiving a form POST).
    pub analytics: Option<AnalyticsContext<'a>>,
    pub brand: BrandContext<'a>,
    /// Who sells, as EU law asks a shop to show it; absent without a legal name.
    pub trader: Option<TraderContext<'a>>,
    /// The link to the shop's withdrawal function, in the footer and on the returns policy.
    pub withdrawal: Option<WithdrawalContext<'a>>,
    pub extra: &'a toml::Table,
}

#[derive(Serialize)]
pub struct WithdrawalContext<'a> {
    pub url: String,
    pub label: &'a str,
    /// The label's language, when it is not the page's (the Directive's English words on a
    /// page whose language has none configured).
    pub label_lang: Option<&'static str>,
}

/// `[brand]` with its paths under the base path.
#[derive(Serialize)]
pub struct BrandContext<'a> {
    pub logo: Option<String>,
    pub favicon: Option<FaviconContext>,
    pub accent: Option<&'a Accent>,
    pub accent_dark: Option<&'a Accent>,
    pub shop_url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct FaviconContext {
    pub href: String,
    pub media_type: &'static str,
    /// The sizes drawn from it (`favicon.ico`, 192 pixels, Apple's 180), when it is the
    /// site's own SVG or PNG.
    pub sizes: Option<IconSizes>,
}

#[derive(Serialize)]
pub struct IconSizes {
    pub ico: String,
    pub android: String,
    pub apple_touch: String,
}

/// The trader's identity from `helpdeck.toml` `[shop]`, for the footer.
#[derive(Serialize)]
pub struct TraderContext<'a> {
    pub legal_name: &'a str,
    /// The address on one line: "Žalgirio g. 90, LT-09303 Vilnius, Lithuania".
    pub address: Option<String>,
    pub company_code: Option<&'a str>,
    pub vat_number: Option<&'a str>,
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

#[derive(Serialize)]
pub struct AnalyticsContext<'a> {
    pub log: Option<String>,
    pub endpoint: Option<&'a str>,
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
    pub form_url: Option<&'a str>,
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

/// The site's title in `lang`: the language's own, else the site's.
pub fn site_title<'a>(config: &'a Config, lang: &str) -> &'a str {
    config
        .language(lang)
        .and_then(|l| l.settings.title.as_deref())
        .unwrap_or(&config.title)
}

/// The context every page of `lang` shares; `now` is the moment of the build.
pub fn site_context<'a>(site: &'a Site, lang: &str, now: jiff::Timestamp) -> SiteContext<'a> {
    let config = &site.config;
    let brand = &config.brand;
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
        analytics: config.analytics.as_ref().map(|a| AnalyticsContext {
            log: hosting::event_log_path(site),
            endpoint: match a {
                Analytics::Endpoint { url } => Some(url),
                Analytics::Log { .. } => None,
            },
        }),
        brand: BrandContext {
            logo: brand
                .logo
                .as_deref()
                .map(|l| asset_url(&config.base_path, l)),
            favicon: brand.favicon.as_ref().map(|f| FaviconContext {
                href: asset_url(&config.base_path, &f.href),
                media_type: f.media_type,
                sizes: f.drawn_from().map(|_| {
                    let at = |path: &str| format!("{}/{path}", config.base_path);
                    IconSizes {
                        ico: at(icons::ICO),
                        android: at(icons::ANDROID),
                        apple_touch: at(icons::APPLE_TOUCH),
                    }
                }),
            }),
            accent: brand.accent.as_ref(),
            accent_dark: brand.accent_dark.as_ref(),
            shop_url: brand.shop_url.as_deref(),
        },
        trader: config.shop.legal_name.as_deref().map(|legal_name| {
            let shop = &config.shop;
            TraderContext {
                legal_name,
                address: shop.address.as_ref().map(|a| a.one_line()),
                company_code: shop.company_code.as_deref(),
                vat_number: shop.vat_number.as_deref(),
            }
        }),
        withdrawal: config.withdrawal.url.as_deref().map(|url| {
            let (label, in_language) = config.withdrawal.label(lang);
            WithdrawalContext {
                url: asset_url(&config.base_path, url),
                label,
                label_lang: (!in_language).then_some("en"),
            }
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
        form_url: contact.form_url.as_deref(),
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

/// Site-absolute paths (`/images/a.svg`) move under `base`: the base path for links in a page,
/// the base URL for structured data; other URLs stay.
pub fn asset_url(base: &str, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{base}{url}")
    } else {
        url.to_string()
    }
}
