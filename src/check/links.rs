//! Internal links and anchors: every link in a page's content must lead to a page or file of
//! the site, and an anchor to a heading on the page it points to, in that page's language
//! (`@/policies/returns.md#refunds` from a Polish page needs the heading in the Polish
//! returns policy). A link with a scheme no link may use, which the build disarms to `#`, is
//! reported too. External links are collected for `--external`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use percent_encoding::percent_decode_str;

use super::{Finding, Severity};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::render::{Content, history};
use crate::resolve::{Page, PageId, Site};

/// An `http(s)://` link and where it is written.
pub struct ExternalLink {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

pub fn check(
    site: &Site,
    contents: &[Option<Content>],
    known_files: &[String],
    findings: &mut Vec<Finding>,
    external: &mut Vec<ExternalLink>,
) {
    let targets = Targets::new(site, known_files);
    let mut anchors = Anchors {
        contents,
        sets: HashMap::new(),
    };
    for (id, page) in site.pages().iter().enumerate() {
        let Some(content) = &contents[id] else {
            continue;
        };
        for link in &content.markdown.links {
            let (path, anchor) = match link.url.split_once('#') {
                Some((path, anchor)) => (path, Some(decode(anchor))),
                None => (link.url.as_str(), None),
            };
            let problem = match targets.lead(site, id, page, path) {
                Leads::Page(target) => anchor
                    .filter(|a| !a.is_empty())
                    .and_then(|anchor| anchors.problem(site, target, &anchor)),
                Leads::Problem(message) => Some(message),
                Leads::External => {
                    external.push(ExternalLink {
                        url: link.url.clone(),
                        file: page.doc.file.clone(),
                        line: link.line,
                        column: link.column,
                    });
                    None
                }
                Leads::Unchecked => None,
            };
            if let Some(message) = problem {
                findings.push(Finding::new(
                    Severity::Error,
                    Diagnostic {
                        line: Some(link.line),
                        column: Some(link.column),
                        ..Diagnostic::new(&page.doc.file, message)
                    }
                    .quoting(&link.url),
                ));
            }
        }
    }
}

/// Where a link's path leads.
enum Leads {
    /// A page of the site, whose headings an anchor must name.
    Page(PageId),
    /// What is wrong with the link.
    Problem(String),
    /// An `http(s)://` or `//` link, requested only with `--external`.
    External,
    /// Nothing left to check: a file of the site, another scheme (`mailto:`), or an `@/` page
    /// that is missing (the build's own error, reported with the render's).
    Unchecked,
}

/// What a link may lead to: every page by its decoded URL, and every file the site has or
/// the build writes beside its pages.
struct Targets {
    by_url: HashMap<String, PageId>,
    files: HashSet<String>,
}

impl Targets {
    fn new(site: &Site, known_files: &[String]) -> Targets {
        let by_url = site
            .pages()
            .iter()
            .enumerate()
            .map(|(id, p)| (decode(&p.url), id))
            .collect();
        let mut files: HashSet<String> = known_files.iter().map(|f| decode(f)).collect();
        let base = &site.config.base_path;
        for language in &site.config.languages {
            let prefix = match language.tag == site.config.default_language {
                true => format!("{base}/"),
                false => format!("{base}/{}/", language.tag),
            };
            files.insert(format!("{prefix}404.html"));
            if let Some(links) = history::links(site, &language.tag) {
                files.insert(decode(&links.page_url));
                files.insert(decode(&links.feed_url));
            }
        }
        files.insert(format!("{base}/sitemap.xml"));
        files.insert(format!("{base}/robots.txt"));
        Targets { by_url, files }
    }

    /// Where `path` (a link without its anchor) on page `id` leads.
    fn lead(&self, site: &Site, id: PageId, page: &Page, path: &str) -> Leads {
        if let Some(key) = path.strip_prefix("@/") {
            return site
                .link_target(key, &page.doc.lang)
                .map_or(Leads::Unchecked, Leads::Page);
        }
        if path.is_empty() {
            return Leads::Page(id);
        }
        if let Some(scheme) = crate::values::refused_scheme(path) {
            return Leads::Problem(match site.config.markdown.trust_html {
                false => format!("a link may not use `{scheme}:`; the page links to `#` instead"),
                true => format!(
                    "a link with `{scheme}:` is published as written, because [markdown] trust_html is on"
                ),
            });
        }
        if has_scheme(path) || path.starts_with("//") {
            let external = path.starts_with("http://")
                || path.starts_with("https://")
                || path.starts_with("//");
            return match external {
                true => Leads::External,
                false => Leads::Unchecked,
            };
        }
        let wanted = site_path(&page.url, path);
        let found = [
            wanted.clone(),
            format!("{wanted}/"),
            wanted.trim_end_matches("index.html").to_string(),
        ]
        .into_iter()
        .find_map(|candidate| self.by_url.get(&candidate).copied());
        match found {
            Some(target) => Leads::Page(target),
            None if self.files.contains(&wanted) => Leads::Unchecked,
            None => Leads::Problem(format!(
                "broken link: no page or file of the site at {wanted}"
            )),
        }
    }
}

/// The heading ids of the pages links point into. Each page's are made a set when a link
/// first points into it: a page of thousands of headings linked thousands of times is not
/// searched through for each.
struct Anchors<'a> {
    contents: &'a [Option<Content>],
    sets: HashMap<PageId, HashSet<&'a str>>,
}

impl Anchors<'_> {
    /// What is wrong with `#anchor` on `target`: the heading must be in the version of the
    /// target page shown in its language.
    fn problem(&mut self, site: &Site, target: PageId, anchor: &str) -> Option<String> {
        let shown = site.page(target).fallback_of.unwrap_or(target);
        let contents = self.contents;
        let target_ids = &contents[shown].as_ref()?.markdown.ids;
        let id_set = self
            .sets
            .entry(shown)
            .or_insert_with(|| target_ids.iter().map(String::as_str).collect());
        if id_set.contains(anchor) || crate::render::RESERVED_IDS.contains(&anchor) {
            return None;
        }
        let hint = did_you_mean(anchor, target_ids.iter().map(String::as_str))
            .map(|best| format!(" (did you mean `#{best}`?)"))
            .unwrap_or_default();
        Some(format!(
            "broken anchor: {} ({}) has no heading `#{anchor}`{hint}",
            site.page(shown).doc.file.display(),
            site.page(target).doc.lang
        ))
    }
}

/// `mailto:`, `https:`…: a scheme before any `/`, `?` or `#`.
fn has_scheme(url: &str) -> bool {
    url.find(':')
        .is_some_and(|colon| !url[..colon].contains(['/', '?', '#']))
}

/// A link's path made absolute against the page it is on, `.` and `..` resolved, decoded.
fn site_path(page_url: &str, link: &str) -> String {
    let link = link.split('?').next().unwrap_or_default();
    let joined = if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{page_url}{link}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut path = format!("/{}", segments.join("/"));
    if joined.ends_with('/') && path != "/" {
        path.push('/');
    }
    decode(&path)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        assert_eq!(
            site_path("/lt/faq/orders/", "../delivery/"),
            "/lt/faq/delivery/"
        );
        assert_eq!(site_path("/faq/", "/images/a%20b.svg"), "/images/a b.svg");
        assert_eq!(site_path("/a/", "b"), "/a/b");
    }
}
