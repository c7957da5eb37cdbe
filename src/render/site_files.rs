//! The files a site has besides its pages: each language's 404 and search pages, its policy
//! updates page and feed, its model withdrawal form and saved replies page, the redirect page
//! of each alias, the sitemap, `robots.txt`, the analytics event file and the hosting files
//! (their values in [`super::hosting`]), and the theme's assets.

use serde::Serialize;

use super::{Renderer, context, history, hosting, replies, site_context, withdrawal_form};
use crate::diagnostic::Diagnostic;
use crate::reads::{self, Read};
use crate::resolve::Site;

/// A file of the site that is not a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteFile {
    /// The 404 page of the language at this index of the config's languages.
    NotFound(usize),
    /// The search page of the language at this index (when the theme has `search.html`).
    SearchPage(usize),
    /// The "Policy updates" page of the language at this index (when its policies have
    /// changes).
    PolicyUpdates(usize),
    /// That page's Atom feed.
    PolicyFeed(usize),
    /// The model withdrawal form of the language at this index (when EU law reaches the
    /// shop and the theme has `withdrawal_form.html`).
    WithdrawalForm(usize),
    /// The saved replies page of the language at this index (`[replies] page = true`, and
    /// the theme has `replies.html`).
    Replies(usize),
    /// The redirect page of the alias at this index of the site's aliases.
    Alias(usize),
    Sitemap,
    Robots,
    /// Netlify/Cloudflare `_redirects` and `_headers`.
    Redirects,
    Headers,
    /// The file `[analytics] log` names: each event is a request for it, which the static
    /// host's access log records.
    EventLog,
    /// The theme asset at this index of the compiled theme's assets.
    Asset(usize),
}

/// The smallest valid GIF, one transparent pixel: what a request for the event log file gets,
/// so a host logs a success and a browser shown the file directly sees nothing.
const TRANSPARENT_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

impl Renderer<'_> {
    /// A file of the site that is not a page.
    pub(super) fn render_site_file(&self, file: SiteFile) -> Result<Vec<u8>, Vec<Diagnostic>> {
        match file {
            SiteFile::NotFound(index) => self.file("404.html", &self.language_page_context(index)),
            SiteFile::SearchPage(index) => {
                self.file("search.html", &self.language_page_context(index))
            }
            SiteFile::PolicyUpdates(index) => {
                let lang = &self.site.config.languages[index].tag;
                self.file("policy_updates.html", &self.policy_updates_context(lang))
            }
            SiteFile::PolicyFeed(index) => {
                let lang = &self.site.config.languages[index].tag;
                self.file("atom.xml", &self.policy_feed_context(lang))
            }
            SiteFile::WithdrawalForm(index) => {
                let mut cx = self.language_page_context(index);
                let lang = &self.site.config.languages[index].tag;
                cx.insert("form", &withdrawal_form::page(self.site, lang));
                self.file(withdrawal_form::TEMPLATE, &cx)
            }
            SiteFile::Replies(index) => {
                let mut cx = self.language_page_context(index);
                let lang = &self.site.config.languages[index].tag;
                cx.insert("replies", &replies::replies(self.site, self, Some(lang))?);
                self.file(replies::TEMPLATE, &cx)
            }
            SiteFile::Alias(index) => {
                let target = self.site.page(self.site.alias(index).target);
                let mut cx = self.shared(&target.doc.lang).clone();
                cx.insert("target", &self.site.permalink(target));
                cx.insert("title", &target.doc.meta.title);
                self.file("alias.html", &cx)
            }
            SiteFile::Sitemap => {
                let mut cx = tera::Context::new();
                cx.insert("entries", &sitemap_entries(self.site));
                self.file("sitemap.xml", &cx)
            }
            SiteFile::Robots => {
                let mut cx = tera::Context::new();
                cx.insert(
                    "sitemap_url",
                    &format!("{}/sitemap.xml", self.site.config.base_url),
                );
                self.file("robots.txt", &cx)
            }
            SiteFile::Redirects => {
                let mut cx = tera::Context::new();
                cx.insert("redirects", &hosting::redirects(self.site));
                self.file("_redirects", &cx)
            }
            SiteFile::Headers => {
                let mut cx = tera::Context::new();
                cx.insert("immutable", &hosting::immutable_paths(self.site));
                cx.insert("revalidated", &hosting::revalidated_paths(self.site));
                cx.insert("event_log", &hosting::event_log_path(self.site));
                self.file("_headers", &cx)
            }
            SiteFile::EventLog => Ok(TRANSPARENT_GIF.to_vec()),
            SiteFile::Asset(index) => {
                let asset = &self.compiled.assets[index];
                reads::note(|| Read::Asset(asset.path.clone()));
                Ok(asset.bytes.clone())
            }
        }
    }

    fn file(&self, name: &str, cx: &tera::Context) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.compiled.templates.render_file(name, cx)
    }

    /// The context of a language's 404 and search pages: no page of their own.
    fn language_page_context(&self, index: usize) -> tera::Context {
        let language = &self.site.config.languages[index];
        let mut cx = self.shared(&language.tag).clone();
        cx.insert("nav", &context::nav(self.site, &language.tag, None));
        cx.insert("translations", &Vec::<()>::new());
        cx.insert("alternates", &Vec::<()>::new());
        cx
    }

    /// The context of a language's "Policy updates" page: a listing of its own, switching to
    /// the other languages' updates pages.
    fn policy_updates_context(&self, lang: &str) -> tera::Context {
        let site = self.site;
        let mut cx = self.shared(lang).clone();
        let Some(links) = history::links(site, lang) else {
            return cx;
        };
        let title = self.policy_updates_title(lang);
        let permalink = format!("{}{}", site.origin(), links.page_url);
        let others: Vec<(&str, HistoryPage)> = site
            .config
            .languages
            .iter()
            .filter_map(|l| Some((l.tag.as_str(), history::links(site, &l.tag)?)))
            .map(|(tag, l)| {
                (
                    tag,
                    HistoryPage {
                        href: format!("{}{}", site.origin(), l.page_url),
                        url: l.page_url,
                    },
                )
            })
            .collect();
        let translations: Vec<context::TranslationLink<'_>> = others
            .iter()
            .map(|(tag, page)| context::TranslationLink {
                lang: tag,
                fallback: false,
                name: site_context::language_name(&site.config, tag),
                title,
                url: &page.url,
                current: *tag == lang,
            })
            .collect();
        let alternates: Vec<context::Alternate> = others
            .iter()
            .map(|(tag, page)| context::Alternate {
                lang: tag.to_string(),
                href: page.href.clone(),
            })
            .collect();
        cx.insert("nav", &context::nav(site, lang, None));
        cx.insert("translations", &translations);
        cx.insert(
            "alternates",
            if alternates.len() > 1 {
                &alternates[..]
            } else {
                &[]
            },
        );
        cx.insert(
            "section",
            &serde_json::json!({
                "title": title,
                "url": links.page_url,
                "permalink": permalink,
                "canonical": permalink,
                "jsonld": [],
            }),
        );
        cx.insert("updates", &history::updates(site, lang));
        cx
    }

    /// The context of a language's policy updates feed.
    fn policy_feed_context(&self, lang: &str) -> tera::Context {
        let site = self.site;
        let mut feed = tera::Context::new();
        let Some(links) = history::links(site, lang) else {
            return feed;
        };
        let updates = history::updates(site, lang);
        let title = self.policy_updates_title(lang);
        feed.insert("lang", lang);
        let site_title = site_context::site_title(&site.config, lang);
        feed.insert("title", &format!("{site_title} · {title}"));
        feed.insert("site_title", site_title);
        feed.insert("feed_url", &format!("{}{}", site.origin(), links.feed_url));
        feed.insert("page_url", &format!("{}{}", site.origin(), links.page_url));
        feed.insert(
            "updated",
            &updates
                .first()
                .map(|u| u.updated.clone())
                .unwrap_or_default(),
        );
        feed.insert("updates", &updates);
        feed.insert("generator", concat!("helpdeck ", env!("CARGO_PKG_VERSION")));
        feed
    }

    fn policy_updates_title(&self, lang: &str) -> &str {
        self.ui[lang]
            .get("policy_updates")
            .map_or("Policy updates", String::as_str)
    }
}

/// Another language's updates page: its link, and its permalink for hreflang.
struct HistoryPage {
    url: String,
    href: String,
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<context::Alternate>,
}

/// Translated pages only: a fallback repeats its original, which search engines should index
/// once, under its own language.
fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    site.pages()
        .iter()
        .filter(|page| page.fallback_of.is_none())
        .map(|page| {
            let meta = &page.doc.meta;
            let alternates = context::alternates(site, page);
            SitemapEntry {
                loc: site.permalink(page),
                lastmod: meta
                    .updated
                    .as_ref()
                    .or(meta.date.as_ref())
                    .map(|d| d.date().to_string()),
                alternates,
            }
        })
        .collect()
}
