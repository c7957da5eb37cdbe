//! What static hosts read beside the pages: `_redirects` (old paths to their pages) and
//! `_headers` (cache rules), in the format Netlify and Cloudflare Pages share.
//!
//! Hashed assets and search shards never change under their name, so they are cached for a
//! year; every other
//! file is revalidated on each visit, so a deploy shows at once. The two kinds of rule never
//! match the same path: hosts combine the values of overlapping rules. The `[analytics]` log
//! file is never cached, so that every event reaches the host's access log.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{history, replies, withdrawal_form};
use crate::resolve::Site;

#[derive(Serialize)]
pub struct Redirect<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

pub fn redirects(site: &Site) -> Vec<Redirect<'_>> {
    site.aliases()
        .iter()
        .map(|alias| Redirect {
            from: &alias.url,
            to: &site.page(alias.target).url,
        })
        .collect()
}

/// Paths whose files are named by their content, cached for good: the theme's assets and each
/// language's search packs (`/search-index/lt/*`; the manifest beside that folder keeps
/// its name and is revalidated).
pub fn immutable_paths(site: &Site) -> Vec<String> {
    let base = &site.config.base_path;
    std::iter::once(format!("{base}/assets/*"))
        .chain(
            site.config
                .languages
                .iter()
                .map(|l| format!("{base}/search-index/{}/*", l.tag)),
        )
        .collect()
}

/// Path patterns that cover every page and site file but none of [`immutable_paths`]: the
/// site root, one `/<segment>/*` per first path segment of a page or alias, the search page,
/// the policy updates page and feed, the search manifests and the files at the root.
pub fn revalidated_paths(site: &Site) -> Vec<String> {
    let base = &site.config.base_path;
    let first_segments: BTreeSet<&str> = site
        .pages()
        .iter()
        .map(|p| p.url.as_str())
        .chain(site.aliases().iter().map(|a| a.url.as_str()))
        .filter_map(|url| url.strip_prefix(base.as_str())?.split('/').nth(1))
        .filter(|segment| !segment.is_empty())
        .chain([
            "search",
            history::FOLDER,
            withdrawal_form::FOLDER,
            replies::FOLDER,
        ])
        .collect();
    std::iter::once(format!("{base}/"))
        .chain(first_segments.iter().map(|s| format!("{base}/{s}/*")))
        .chain(
            site.config
                .languages
                .iter()
                .map(|l| format!("{base}/search-index/{}.json.gz", l.tag)),
        )
        .chain(
            ["404.html", "sitemap.xml", "robots.txt"]
                .iter()
                .map(|f| format!("{base}/{f}")),
        )
        .collect()
}

/// The `[analytics] log` file's path under the base path, when events go to the access log.
pub fn event_log_path(site: &Site) -> Option<String> {
    let config = &site.config;
    config
        .event_log()
        .map(|path| format!("{}{path}", config.base_path))
}
