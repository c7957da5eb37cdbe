//! The file's raw shape: the schema mirrors `helpdeck.toml` one to one
//! (`deny_unknown_fields`, so a typo is an error with a hint), before any value is checked.

use serde::Deserialize;

use super::analytics::RawAnalytics;
use super::brand::RawBrand;
use super::contact::Contact;
use super::feedback::RawFeedback;
use super::glossary::RawGlossary;
use super::notices::RawNotice;
use super::shop::Shop;
use super::withdrawal::RawWithdrawal;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_true")]
    pub minify: bool,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub languages: toml::Table,
    #[serde(default)]
    pub shop: Shop,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub notices: Vec<RawNotice>,
    pub feedback: Option<RawFeedback>,
    pub analytics: Option<RawAnalytics>,
    pub withdrawal: Option<RawWithdrawal>,
    pub brand: Option<RawBrand>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub check: CheckConfig,
    #[serde(default)]
    pub replies: RepliesConfig,
    #[serde(default)]
    pub glossary: RawGlossary,
    #[serde(default)]
    pub translations: TranslationsConfig,
    #[serde(default)]
    pub extra: toml::Table,
}

fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_true() -> bool {
    true
}
fn default_timezone() -> String {
    "UTC".to_string()
}

/// `[markdown]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML in Markdown passes unsanitised.
    #[serde(default)]
    pub trust_html: bool,
    #[serde(default = "default_true")]
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            trust_html: false,
            smart_punctuation: true,
        }
    }
}

/// `[replies]`: the saved replies page of each language, `/replies/`, for the shop's staff to
/// copy from. Off unless asked for: it reads every FAQ and policy of its language, which a
/// large site renders a second time for it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepliesConfig {
    /// Write the page (kept out of search engines, the sitemap and the site's search).
    #[serde(default)]
    pub page: bool,
    /// Link it from every page's footer too.
    #[serde(default)]
    pub footer_link: bool,
}

/// `[translations]`: machine drafts. Nothing is sent anywhere unless `machine` names a
/// program.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationsConfig {
    /// The program `helpdeck translations machine` runs, and its arguments (`{from}` and
    /// `{to}` are the languages): it reads segments as JSON lines on stdin and writes them
    /// translated on stdout, one line each, in order.
    #[serde(default)]
    pub machine: Vec<String>,
    /// Publish pages with machine-drafted segments (with a notice saying so) before a
    /// translator reviews them; else they fall back to the default language until then.
    #[serde(default)]
    pub publish_machine_drafts: bool,
}

/// `[check]`: what `helpdeck check` requires of the site.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Policies (by their `policy = "…"`) every language must have, translated.
    #[serde(default)]
    pub required_policies: Vec<String>,
}
