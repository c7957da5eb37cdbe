//! The built-in synonym groups of the bundled languages (`synonyms.toml`), which a site's own
//! `[languages.<tag>] synonyms` add to.

use std::collections::BTreeMap;

/// The built-in groups of `lang`, or of its base language (`pt` for `pt-BR`): each group a
/// list of phrases, each phrase one word or several.
pub fn built_in(lang: &str) -> Vec<Vec<String>> {
    static BUILT_IN: &str = include_str!("synonyms.toml");
    let mut built_in: BTreeMap<String, Vec<Vec<String>>> =
        toml::from_str(BUILT_IN).expect("the built-in synonyms are valid TOML");
    let base = lang.split('-').next().unwrap_or(lang);
    built_in
        .remove(lang)
        .or_else(|| built_in.remove(base))
        .unwrap_or_default()
}
