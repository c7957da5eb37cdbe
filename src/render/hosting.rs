//! What static hosts read beside the pages: `_redirects` (old paths to their pages) and
//! `_headers` (cache rules), in the format Netlify and Cloudflare Pages share.
//!
//! Hashed assets never change under their name, so they are cached for a year; every other
//! file is revalidated on each visit, so a deploy shows at once. The two kinds of rule never
//! match the same path: hosts combine the values of overlapping rules.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::resolve::Site;

#[derive(Serialize)]
pub struct Redirect<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

pub fn redirects(site: &Site) -> Vec<Redirect<'_>> {
    site.aliases
        .iter()
        .map(|alias| Redirect {
            from: &alias.url,
            to: &site.pages[alias.target].url,
        })
        .collect()
}

/// Path patterns that cover every page and site file but not `/assets/`: the site root, one
/// `/<segment>/*` per first path segment of a page or alias, and the files at the root.
pub fn revalidated_paths(site: &Site) -> Vec<String> {
    let base = &site.config.base_path;
    let first_segments: BTreeSet<&str> = site
        .pages
        .iter()
        .map(|p| p.url.as_str())
        .chain(site.aliases.iter().map(|a| a.url.as_str()))
        .filter_map(|url| url.strip_prefix(base.as_str())?.split('/').nth(1))
        .filter(|segment| !segment.is_empty())
        .collect();
    std::iter::once(format!("{base}/"))
        .chain(first_segments.iter().map(|s| format!("{base}/{s}/*")))
        .chain(
            ["404.html", "sitemap.xml", "robots.txt"]
                .iter()
                .map(|f| format!("{base}/{f}")),
        )
        .collect()
}
