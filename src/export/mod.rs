//! `helpdeck export`: the site's facts and pages in the forms other channels take, from the
//! same pipeline as the site itself, so a fact edited once changes every channel.
//!
//! - saved replies for help-desk tools, one per FAQ question and per policy (made by
//!   [`crate::render::replies`], which the site's `/replies/` pages show too);
//! - `away.rs`: auto-reply texts for after hours and each closure, and the closures as
//!   iCalendar;
//! - `etsy.rs`: Etsy's shop policy boxes as plain text;
//! - `marketplaces.rs`: eBay's, Amazon's and Allegro's return and shipping settings, the
//!   policies as text, and the saved replies Amazon's messages may carry.

mod away;
mod etsy;
mod marketplaces;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::load::PageKind;
use crate::pipeline::{self, Mode};
use crate::render::Renderer;
use crate::render::plain_text::plain_text;
use crate::resolve::{Page, Role, Site};

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `replies.csv` and `replies.json`.
    Replies,
    /// `away.csv`, `away.json` and `closures.ics`.
    Away,
    /// `etsy.txt` and `etsy.json`.
    Etsy,
    /// `ebay.txt` and `ebay.json`.
    Ebay,
    /// `amazon.txt`, `amazon.json` and `amazon-replies.csv`.
    Amazon,
    /// `allegro.txt` and `allegro.json`.
    Allegro,
}

impl Target {
    pub const ALL: [Target; 6] = [
        Target::Replies,
        Target::Away,
        Target::Etsy,
        Target::Ebay,
        Target::Amazon,
        Target::Allegro,
    ];

    /// The name on the command line and in `/_helpdeck/exports/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Replies => "replies",
            Target::Away => "away",
            Target::Etsy => "etsy",
            Target::Ebay => "ebay",
            Target::Amazon => "amazon",
            Target::Allegro => "allegro",
        }
    }
}

pub struct ExportOptions {
    pub root: PathBuf,
    pub target: Target,
    /// Only this language; every language of the site when absent.
    pub lang: Option<String>,
    /// The folder the files go into (created when missing).
    pub out: PathBuf,
}

/// Exports `options.target` of the site at `options.root`, and returns the files written.
pub fn export(options: &ExportOptions) -> Result<Vec<PathBuf>> {
    let files = files(&options.root, options.target, options.lang.as_deref())?;
    write(&options.out, files)
}

/// The files of `target` for the site at `root` (in `lang` only, when given), by name: what
/// `export` writes and `serve` shows under `/_helpdeck/exports/`.
pub fn files(
    root: &Path,
    target: Target,
    lang: Option<&str>,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut opened = pipeline::open(&pipeline::Options::new(root, Mode::Check))?;
    if !opened.problems.is_empty() {
        return Err(Error::invalid(std::mem::take(&mut opened.problems)));
    }
    let compiled = opened.compile()?;
    let site = &opened.site;
    if let Some(lang) = lang
        && site.config.language(lang).is_none()
    {
        return Err(Error::single(crate::diagnostic::Diagnostic::new(
            "--lang",
            format!(
                "`{lang}` is not a language of the site ({})",
                site.config.language_tags().join(", ")
            ),
        )));
    }
    let renderer = Renderer::new(site, &opened.theme, &compiled);
    let config = &site.config;
    let langs = match lang {
        Some(lang) => vec![lang],
        None => config.language_tags(),
    };
    Ok(match target {
        Target::Replies => {
            let replies =
                crate::render::replies::replies(site, &renderer, lang).map_err(Error::invalid)?;
            vec![
                ("replies.csv", to_csv("replies.csv", &replies)?),
                ("replies.json", to_json(&replies)),
            ]
        }
        Target::Away => {
            let now = crate::render::build_moment();
            let today = now.to_zoned(config.contact_timezone.clone()).date();
            let texts = away::texts(config, &renderer, &langs, today);
            let host = crate::load::placeholders::host(&config.base_url).unwrap_or_default();
            vec![
                ("away.csv", to_csv("away.csv", &texts)?),
                ("away.json", to_json(&texts)),
                ("closures.ics", away::calendar(config, host, today, now)),
            ]
        }
        Target::Etsy => {
            let boxes = etsy::boxes(site, &renderer, &langs)?;
            let shop = config.shop.name.as_deref().unwrap_or(&config.title);
            vec![
                ("etsy.txt", etsy::text_file(&boxes, shop)),
                ("etsy.json", to_json(&boxes)),
            ]
        }
        Target::Ebay | Target::Amazon | Target::Allegro => {
            let settings = marketplaces::settings(site)?;
            let texts = marketplaces::policy_texts(site, &renderer, &langs)?;
            match target {
                Target::Ebay => {
                    let json = serde_json::json!({
                        "settings": settings,
                        "api": marketplaces::ebay_policies(site),
                        "texts": texts,
                    });
                    vec![
                        (
                            "ebay.txt",
                            marketplaces::sheet("eBay", &settings, &texts, &[]),
                        ),
                        ("ebay.json", to_json(&json)),
                    ]
                }
                Target::Amazon => {
                    let replies = crate::render::replies::replies(site, &renderer, lang)
                        .map_err(Error::invalid)?;
                    let (replies, left_out) = marketplaces::amazon_replies(replies);
                    let left: String = left_out
                        .iter()
                        .map(|l| format!("{} ({}, {}): {}\n", l.title, l.lang, l.url, l.why))
                        .collect();
                    let sheet = marketplaces::sheet(
                        "Amazon",
                        &settings,
                        &texts,
                        &[(
                            "Saved replies left out of amazon-replies.csv (Amazon's communication guidelines)",
                            left,
                        )],
                    );
                    let json = serde_json::json!({
                        "settings": settings,
                        "texts": texts,
                        "replies": replies,
                        "left_out": left_out,
                    });
                    vec![
                        ("amazon.txt", sheet),
                        ("amazon.json", to_json(&json)),
                        (
                            "amazon-replies.csv",
                            to_csv("amazon-replies.csv", &replies)?,
                        ),
                    ]
                }
                _ => {
                    let json = serde_json::json!({"settings": settings, "texts": texts});
                    vec![
                        (
                            "allegro.txt",
                            marketplaces::sheet("Allegro", &settings, &texts, &[]),
                        ),
                        ("allegro.json", to_json(&json)),
                    ]
                }
            }
        }
    })
}

/// RFC 4180 CSV with a header row, a column per field of `T`.
fn to_csv<T: Serialize>(name: &str, rows: &[T]) -> Result<Vec<u8>> {
    let failed = |e: String| Error::single(crate::diagnostic::Diagnostic::new(name, e));
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(|e| failed(e.to_string()))?;
    }
    writer.into_inner().map_err(|e| failed(e.to_string()))
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(value).unwrap_or_default();
    json.push(b'\n');
    json
}

fn write(out: &Path, files: Vec<(&str, Vec<u8>)>) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io("cannot create", out, e))?;
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = out.join(name);
            std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))?;
            Ok(path)
        })
        .collect()
}

/// The policy pages written in `lang`, with their ids (not another language's shown as a
/// fallback: a marketplace box in one language must not hold another's text).
fn policies_in<'s>(site: &'s Site, lang: &str) -> Vec<(usize, &'s Page)> {
    site.pages()
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.doc.lang == lang
                && p.fallback_of.is_none()
                && p.kind == PageKind::Policy
                && p.role == Role::Page
        })
        .collect()
}

/// Page `id`'s content as the plain text a marketplace's form takes.
fn plain_page(
    site: &Site,
    renderer: &Renderer,
    id: usize,
) -> std::result::Result<String, Vec<Diagnostic>> {
    let content = renderer.content(id)?;
    Ok(plain_text(&content.markdown.html, site.origin()))
}
