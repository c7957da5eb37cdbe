//! Where each page and alias is written and linked: URLs from the sections' and pages'
//! slugs, one page per output path, aliases checked and placed. The rules for a single
//! slug, alias or URL are in `urls.rs`.

use std::collections::HashMap;
use std::path::PathBuf;

use super::languages::Keys;
use super::tree::section_for;
use super::{Alias, Page, PageId, Role, urls};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// Each page's URL and output path, from its language and the slugs above it; a slug that
/// would leave its folder is a problem, and the page keeps the one its file name gives.
pub(super) fn set_urls(
    pages: &mut [Page],
    by_key: &Keys,
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) {
    for id in 0..pages.len() {
        let (segments, slug_problem) = url_segments(pages, id, by_key, config);
        if let Some((line, why)) = slug_problem {
            problems.push(
                Diagnostic::new(&pages[id].doc.file, format!("slug {why}"))
                    .at_line(line)
                    .quoting(
                        pages[id]
                            .doc
                            .meta
                            .slug
                            .as_ref()
                            .map(|s| s.value.clone())
                            .unwrap_or_default(),
                    ),
            );
        }
        let mut output_path: PathBuf = segments.iter().collect();
        output_path.push("index.html");
        let page = &mut pages[id];
        page.url = urls::url_from_segments(&config.base_path, &segments);
        page.output_path = output_path;
    }
}

type SlugProblem = Option<(usize, &'static str)>;

/// Decoded URL segments of a page: language prefix, the sections' slugs, the page's slug.
fn url_segments(
    pages: &[Page],
    id: PageId,
    by_key: &Keys,
    config: &Config,
) -> (Vec<String>, SlugProblem) {
    let page = &pages[id];
    let mut segments = Vec::new();
    if page.doc.lang != config.default_language {
        segments.push(page.doc.lang.clone());
    }
    let own_segment = |p: &Page, fallback: &str| -> (String, SlugProblem) {
        match &p.doc.meta.slug {
            Some(slug) => match urls::slug_problem(&slug.value) {
                Some(why) => (urls::slug_from_stem(fallback), Some((slug.line, why))),
                None => (slug.value.trim().to_string(), None),
            },
            None => (urls::slug_from_stem(fallback), None),
        }
    };
    let mut problem = None;
    for len in 1..=page.doc.dir.len() {
        let dir = &page.doc.dir[..len];
        let name = &dir[len - 1];
        match section_for(by_key, &config.default_language, dir, &page.doc.lang) {
            Some(section) if section != id => segments.push(own_segment(&pages[section], name).0),
            Some(_) => {
                let (segment, p) = own_segment(page, name);
                problem = problem.or(p);
                segments.push(segment);
            }
            None => segments.push(urls::slug_from_stem(name)),
        }
    }
    if page.role == Role::Page {
        let (segment, p) = own_segment(page, &page.doc.stem);
        problem = problem.or(p);
        segments.push(segment);
    }
    (segments, problem)
}

/// Two pages at one URL, or at URLs that differ only in case (one would overwrite the other on
/// macOS and Windows disks and on some hosts).
pub(super) fn check_unique_outputs(pages: &[Page], problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, PageId> = HashMap::new();
    for (id, page) in pages.iter().enumerate() {
        let folded = page.output_path.to_string_lossy().to_lowercase();
        if let Some(&other) = seen.get(&folded) {
            let other = &pages[other];
            let message = if other.output_path == page.output_path {
                format!(
                    "{} and {} both have the URL {}",
                    other.doc.file.display(),
                    page.doc.file.display(),
                    page.url
                )
            } else {
                format!(
                    "{} ({}) and {} ({}) have URLs that differ only in case",
                    other.doc.file.display(),
                    other.url,
                    page.doc.file.display(),
                    page.url
                )
            };
            problems.push(Diagnostic::new(&page.doc.file, message));
        } else {
            seen.insert(folded, id);
        }
    }
}

/// The redirects the pages' front matter asks for (fallbacks repeat none).
pub(super) fn resolve_aliases(
    pages: &[Page],
    base_path: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for (id, page) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.fallback_of.is_none())
    {
        for alias in &page.doc.meta.aliases {
            match urls::alias_segments(&alias.value) {
                // Whether it clashes with another output is render's to say: it knows them all.
                Ok(segments) => aliases.push(Alias {
                    output_path: segments.iter().collect::<PathBuf>().join("index.html"),
                    url: urls::url_from_segments(base_path, &segments),
                    target: id,
                    written: alias.value.clone(),
                    line: alias.line,
                }),
                Err(why) => problems.push(
                    Diagnostic::new(&page.doc.file, format!("alias {why}"))
                        .at_line(alias.line)
                        .quoting(&alias.value),
                ),
            }
        }
    }
    aliases
}
