//! The glossary in the translations: a name `[glossary] keep` lists stays in every
//! translation as often as its source has it, and a word a language's glossary avoids is
//! reported where a translation uses it.
//!
//! Paragraphs, headings, list items and table rows pair by position, as for contradicting
//! numbers: a dropped name is reported at the translation's line where the source's paired
//! block has it, or on the file when the structures differ.

use super::{Finding, Severity};
use crate::config::Glossary;
use crate::diagnostic::Diagnostic;
use crate::render::Content;
use crate::render::markdown::TextBlock;
use crate::resolve::Site;

pub fn check(site: &Site, contents: &[Option<Content>], findings: &mut Vec<Finding>) {
    let glossary = &site.config.glossary;
    let default = &site.config.default_language;
    for (id, page) in site.pages().iter().enumerate() {
        if page.fallback_of.is_some() || page.doc.lang == *default {
            continue;
        }
        let Some(content) = &contents[id] else {
            continue;
        };
        let blocks = &content.markdown.blocks;
        let title = &page.doc.meta.title;
        let source = page.translations().iter().copied().find(|&t| {
            let other = site.page(t);
            other.doc.lang == *default && other.fallback_of.is_none()
        });
        if let Some(source_id) = source
            && let Some(source_content) = &contents[source_id]
        {
            let source_page = site.page(source_id);
            dropped_names(
                glossary,
                &page.doc.lang,
                (&source_page.doc.meta.title, &source_content.markdown.blocks),
                (title, blocks),
                &page.doc.file,
                findings,
            );
        }
        for (avoid, word) in glossary.avoided(&page.doc.lang) {
            let lower = avoid.to_lowercase();
            let message = || {
                format!(
                    "uses `{avoid}`, which the glossary avoids: write `{word}` \
                     ([glossary.{}] avoid)",
                    page.doc.lang
                )
            };
            if title.to_lowercase().contains(&lower) {
                findings.push(error(
                    Diagnostic::new(&page.doc.file, format!("the title {}", message()))
                        .quoting(title),
                ));
            }
            for block in blocks
                .iter()
                .filter(|b| b.text.to_lowercase().contains(&lower))
            {
                findings.push(error(
                    Diagnostic::new(&page.doc.file, message())
                        .at_line(block.line)
                        .quoting(&block.text),
                ));
            }
        }
    }
}

/// The kept names the source has more often than the translation.
fn dropped_names(
    glossary: &Glossary,
    lang: &str,
    (source_title, source): (&str, &[TextBlock]),
    (title, blocks): (&str, &[TextBlock]),
    file: &std::path::Path,
    findings: &mut Vec<Finding>,
) {
    for name in glossary.kept(lang) {
        let count = |title: &str, blocks: &[TextBlock]| {
            title.matches(name).count()
                + blocks
                    .iter()
                    .map(|b| b.text.matches(name).count())
                    .sum::<usize>()
        };
        let (wanted, found) = (count(source_title, source), count(title, blocks));
        if found >= wanted {
            continue;
        }
        let message = format!(
            "drops `{name}` ({wanted} in the source, {found} here): names in [glossary] keep \
             stay as they are in every language"
        );
        // Where the structures pair, the first block of the translation with fewer.
        let paired = (blocks.len() == source.len())
            .then(|| {
                source
                    .iter()
                    .zip(blocks)
                    .find(|(s, t)| t.text.matches(name).count() < s.text.matches(name).count())
            })
            .flatten();
        let diagnostic = match paired {
            Some((_, block)) => Diagnostic::new(file, message)
                .at_line(block.line)
                .quoting(&block.text),
            None => Diagnostic::new(file, message),
        };
        findings.push(error(diagnostic));
    }
}

fn error(diagnostic: Diagnostic) -> Finding {
    Finding::new(Severity::Error, diagnostic)
}
