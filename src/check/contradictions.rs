//! Numbers that contradict facts. Where a policy in the default language inserts a fact, the
//! same paragraph, list item, heading or table row of each translation must insert it too or
//! write the same number: a translator who retypes "14 days" where the source inserts
//! `{{ fact(key="shop.returns.window_days") }}` (30) gets an error naming the line.
//!
//! Paragraphs are paired by position, so a translation whose structure differs from its
//! source (a paragraph split in two) is not compared.

use super::{Finding, Severity};
use crate::diagnostic::Diagnostic;
use crate::load::PageKind;
use crate::render::facts::numbers_in;
use crate::render::markdown::TextBlock;
use crate::render::shortcodes::FactUse;
use crate::render::{Content, Renderer};
use crate::resolve::{Role, Site};

pub fn check(
    site: &Site,
    renderer: &Renderer<'_>,
    contents: &[Option<Content>],
    findings: &mut Vec<Finding>,
) {
    let facts = renderer.facts();
    for (id, page) in site.pages().iter().enumerate() {
        let is_source = page.kind == PageKind::Policy
            && page.role == Role::Page
            && page.doc.lang == site.config.default_language;
        let Some(source) = contents[id].as_ref().filter(|_| is_source) else {
            continue;
        };
        if source.facts.is_empty() {
            continue;
        }
        let source_facts = facts_by_block(&source.markdown.blocks, &source.facts);
        for &t in page.translations().iter().filter(|&&t| t != id) {
            let Some(translation) = &contents[t] else {
                continue;
            };
            let blocks = &translation.markdown.blocks;
            if blocks.len() != source.markdown.blocks.len() {
                continue;
            }
            let translated_facts = facts_by_block(blocks, &translation.facts);
            for (i, keys) in source_facts.iter().enumerate() {
                let written = numbers_in(&blocks[i].text);
                for key in keys.iter().filter(|k| !translated_facts[i].contains(k)) {
                    let expected = facts.numbers(key);
                    let agrees = expected
                        .iter()
                        .all(|e| written.iter().any(|w| (w - e).abs() < 1e-9));
                    if expected.is_empty() || written.is_empty() || agrees {
                        continue;
                    }
                    let value = expected
                        .iter()
                        .map(f64::to_string)
                        .collect::<Vec<_>>()
                        .join("–");
                    findings.push(Finding::new(
                        Severity::Error,
                        Diagnostic::new(
                            &site.page(t).doc.file,
                            format!(
                                "a number here contradicts fact `{key}` ({value}), which {}:{} inserts in the same place; insert the fact instead of retyping it",
                                page.doc.file.display(),
                                source.markdown.blocks[i].line
                            ),
                        )
                        .at_line(blocks[i].line)
                        .quoting(&blocks[i].text),
                    ));
                }
            }
        }
    }
}

/// The keys of the facts used in each block (a fact belongs to the last block starting at or
/// before its line).
fn facts_by_block<'a>(blocks: &[TextBlock], facts: &'a [FactUse]) -> Vec<Vec<&'a str>> {
    let mut by_block = vec![Vec::new(); blocks.len()];
    for fact in facts {
        let after = blocks.partition_point(|b| b.line <= fact.line);
        if let Some(i) = after.checked_sub(1) {
            by_block[i].push(fact.key.as_str());
        }
    }
    by_block
}
