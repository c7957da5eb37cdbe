//! helpdeck: a static site generator for shop policies and multilingual help centres.
//!
//! The pipeline, one module per stage, each owning its types:
//! [`load`] (files → documents, data, templates) → [`resolve`] (URLs, sections, translations)
//! → [`relate`] (each page's related articles) → [`render`] (Markdown and templates → files)
//! → [`index`] (each language's search index) → [`write`] (atomic swap of the output).
//! [`pipeline`] is the one front door: every command opens the site there in a mode that
//! states what differs between them (drafts, asset names, related articles). [`build`]
//! renders, indexes and writes it, a language's index beside the rendering of the others;
//! [`check`] inspects it in memory and reports what to fix; [`rebuild`] keeps it in memory
//! for watch mode, which [`serve`] runs; [`translations`] reports what each language lacks;
//! [`init`] writes a starter site. [`text`] finds and folds words the same way for the index
//! and related articles; [`values`] holds the rules every value of the site's TOML meets
//! (safe links, finite numbers, real currencies), checked wherever a file is parsed;
//! [`colour`] the contrast every colour the site chooses is held to.

pub mod build;
pub mod check;
pub mod colour;
pub mod config;
pub mod diagnostic;
pub mod export;
pub mod index;
pub mod init;
pub mod load;
pub mod output;
pub mod pipeline;
pub mod reads;
pub mod rebuild;
pub mod relate;
pub mod render;
pub mod report;
pub mod resolve;
pub mod serve;
pub mod text;
pub mod translations;
pub mod values;
pub mod write;

pub use build::{BuildOptions, BuildReport, build};
pub use diagnostic::{Diagnostic, Error};
