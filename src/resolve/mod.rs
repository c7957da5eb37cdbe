//! Resolve: turns loaded documents and the config into the site as visitors will see it.
//!
//! Owns [`Site`] and [`Page`]: every page's URL and output path, its kind and template, its
//! section, breadcrumbs, previous/next, and its translations. Checks what only makes sense
//! across files (two pages at one URL, URLs that clash on case-insensitive disks, aliases).
//! Cheap, and always run whole; nothing here renders Markdown or touches templates.
//!
//! [`resolve`] runs the steps in order, each reading what the ones before it set:
//! - `languages.rs`: one page per key and language, fallbacks for missing translations, each
//!   page's translations;
//! - `tree.rs`: parents, ancestors, each section's listings in order, previous/next;
//! - `outputs.rs`: URLs and output paths from the slugs, one page per output, aliases
//!   (`urls.rs` holds the rules for a single slug, alias or URL);
//! - `kinds.rs`: each page's kind and template, and the index of policy pages.
//!
//! `eu.rs` answers whether EU consumer law reaches the shop, for `check` and `render` alike.

mod edits;
pub mod eu;
mod kinds;
mod languages;
mod outputs;
mod tree;
pub mod urls;

pub use edits::{Edited, same_place};

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::diagnostic::{Error, Result};
use crate::load::{Document, PageKind, Sources, StaticFile, Theme};
use crate::reads::{self, Read};

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Home,
    Section,
    Page,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// For a fallback, the default language's document with `lang` set to the page's language.
    /// Shared with the loaded sources, so watch mode resolves again without copying every page.
    pub doc: Arc<Document>,
    /// Set when the page's language has no translation: the page shown in its place.
    pub fallback_of: Option<PageId>,
    pub role: Role,
    pub kind: PageKind,
    /// Link to the page: base path included, segments percent-encoded, trailing slash.
    pub url: String,
    /// Where the page is written, relative to the output root (UTF-8 names).
    pub output_path: PathBuf,
    pub template: String,
    // Where the page stands among the others: read through the methods of the same names,
    // which note a [`Read::Relations`] (a listing reordered is not a page retitled).
    /// The nearest section above the page, in the page's language.
    parent: Option<PageId>,
    /// Home first, down to the parent.
    ancestors: Vec<PageId>,
    /// Sections: their pages, in display order.
    children: Vec<PageId>,
    /// Sections: their subsections, in display order.
    subsections: Vec<PageId>,
    previous: Option<PageId>,
    next: Option<PageId>,
    /// Every language version of this page (itself included), in the config's language order.
    translations: Vec<PageId>,
}

impl Page {
    fn note_relations(&self) {
        reads::note(|| Read::Relations(self.output_path.clone()));
    }

    /// The nearest section above the page, in the page's language.
    pub fn parent(&self) -> Option<PageId> {
        self.note_relations();
        self.parent
    }

    /// Home first, down to the parent.
    pub fn ancestors(&self) -> &[PageId] {
        self.note_relations();
        &self.ancestors
    }

    /// A section's pages, in display order.
    pub fn children(&self) -> &[PageId] {
        self.note_relations();
        &self.children
    }

    /// A section's subsections, in display order.
    pub fn subsections(&self) -> &[PageId] {
        self.note_relations();
        &self.subsections
    }

    pub fn previous(&self) -> Option<PageId> {
        self.note_relations();
        self.previous
    }

    pub fn next(&self) -> Option<PageId> {
        self.note_relations();
        self.next
    }

    /// Every language version of this page (itself included), in the config's language order.
    pub fn translations(&self) -> &[PageId] {
        self.note_relations();
        &self.translations
    }

    /// A hash of what [`Read::Page`] reads of the page: everything but its body and its
    /// relations: the file, the front matter's text, where it is written, what it is. The
    /// page it is a fallback of is named by `paths` (output paths by id: ids change when a
    /// page is added). Destructured whole, so that a new field is a compile error until it is
    /// hashed here or in [`Page::relations_face`].
    pub fn face(&self, paths: &[&Path]) -> u64 {
        let Page {
            doc,
            fallback_of,
            role,
            kind,
            url,
            output_path,
            template,
            parent: _,
            ancestors: _,
            children: _,
            subsections: _,
            previous: _,
            next: _,
            translations: _,
        } = self;
        let Document {
            file,
            dir,
            stem,
            lang,
            meta: _,
            body: _,
            body_line: _,
            front_matter_hash,
            body_hash: _,
        } = &**doc;
        let mut h = Xxh3::new();
        (file, dir, stem, lang, front_matter_hash).hash(&mut h);
        (*role as u8, kind.as_str(), url, output_path, template).hash(&mut h);
        fallback_of.map(|id| paths[id]).hash(&mut h);
        h.finish()
    }

    /// A hash of what [`Read::Relations`] reads of the page: the pages around it, by output
    /// path.
    pub fn relations_face(&self, paths: &[&Path]) -> u64 {
        let mut h = Xxh3::new();
        for one in [self.parent, self.previous, self.next] {
            one.map(|id| paths[id]).hash(&mut h);
        }
        for many in [
            &self.ancestors,
            &self.children,
            &self.subsections,
            &self.translations,
        ] {
            many.len().hash(&mut h);
            for &id in many {
                paths[id].hash(&mut h);
            }
        }
        h.finish()
    }
}

/// A redirect from an old path to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    pub output_path: PathBuf,
    /// The old path as a link: base path included, segments percent-encoded.
    pub url: String,
    pub target: PageId,
    /// The alias as written in the target's front matter, and its line there.
    pub written: String,
    pub line: usize,
}

/// The resolved site: a plain value, shared read-only by the later stages.
pub struct Site {
    pub config: Config,
    pages: Vec<Page>,
    aliases: Vec<Alias>,
    pub data: toml::Table,
    terms: crate::load::shop::ShopTerms,
    by_key: languages::Keys,
    /// By language: the pages under `policies/` and those naming a policy (`policy = …`).
    policies: HashMap<String, Vec<PageId>>,
    /// Content files left out because they could not be read (`content/faq/orders.md`).
    unreadable: HashSet<PathBuf>,
    /// Translations still their source's text, left out for a fallback (see
    /// [`crate::load::Document::is_untranslated_copy`]).
    untranslated: HashSet<PathBuf>,
}

/// Every read of a page, a key or the shop goes through these accessors, which note it for
/// watch mode ([`crate::reads`]) while an output is being built.
impl Site {
    /// The page with this id.
    pub fn page(&self, id: PageId) -> &Page {
        let page = &self.pages[id];
        reads::note(|| Read::Page(page.output_path.clone()));
        page
    }

    /// Every page, in id order.
    pub fn pages(&self) -> &[Page] {
        reads::note(|| Read::AllPages);
        &self.pages
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The alias at this index.
    pub fn alias(&self, index: usize) -> &Alias {
        let alias = &self.aliases[index];
        reads::note(|| Read::Alias(alias.output_path.clone()));
        alias
    }

    /// Every alias.
    pub fn aliases(&self) -> &[Alias] {
        reads::note(|| Read::AllAliases);
        &self.aliases
    }

    pub fn alias_count(&self) -> usize {
        self.aliases.len()
    }

    /// The part of `data/shop.toml` structured data shows.
    pub fn terms(&self) -> &crate::load::shop::ShopTerms {
        reads::note(|| Read::Terms);
        &self.terms
    }

    pub fn homes(&self) -> impl Iterator<Item = (&str, PageId)> {
        self.config
            .languages
            .iter()
            .filter_map(|l| Some((l.tag.as_str(), self.home(&l.tag)?)))
    }

    /// A language's pages under `policies/` and those naming a policy (`policy = …`), in page
    /// order: looked up per language without a pass over every page.
    pub fn policy_pages(&self, lang: &str) -> impl Iterator<Item = &Page> {
        reads::note(|| Read::Policies(lang.to_string()));
        self.policies
            .get(lang)
            .into_iter()
            .flatten()
            .map(|&id| self.page(id))
    }

    /// The page of `lang` that states the policy `name` (`policy = "returns"`).
    pub fn policy_page(&self, lang: &str, name: &str) -> Option<&Page> {
        self.policy_pages(lang)
            .find(|p| p.doc.meta.policy.as_deref() == Some(name))
    }

    pub fn home(&self, lang: &str) -> Option<PageId> {
        self.lookup("_index.md".to_string(), lang)
    }

    /// The page of `key` in `lang`, noted as a read of that key.
    fn lookup(&self, key: String, lang: &str) -> Option<PageId> {
        let entry = (key, lang.to_string());
        let found = self.by_key.get(&entry).copied();
        reads::note(|| Read::Key {
            key: entry.0,
            lang: entry.1,
        });
        found
    }

    /// The target of an internal link `@/policies/returns.md` (or `returns.lt.md`) written in
    /// a page of language `from_lang`: the same language's version when there is one, else the
    /// default language's.
    pub fn link_target(&self, link: &str, from_lang: &str) -> Option<PageId> {
        let link = link.trim_start_matches('/');
        let (key, explicit_lang) = split_language_suffix(link, &self.config);
        let lang = explicit_lang.unwrap_or(from_lang);
        self.lookup(key.clone(), lang).or_else(|| {
            explicit_lang
                .is_none()
                .then(|| self.lookup(key, &self.config.default_language))
                .flatten()
        })
    }

    /// Whether `link` (`policies/returns.md`) names a content file left out because it could
    /// not be read: a link to it is not broken, the file is, and that is reported already.
    /// Whether the translation file `file` is still its source's text, shown as a fallback.
    pub fn is_untranslated_copy(&self, file: &Path) -> bool {
        self.untranslated.contains(file)
    }

    pub fn is_unreadable(&self, link: &str) -> bool {
        let file = Path::new("content").join(link.trim_start_matches('/'));
        self.unreadable.contains(&file)
    }

    /// Puts a new version of a document, its front matter unchanged, into the pages showing it
    /// (its page and the fallbacks of that page, each keeping its language). Returns what they
    /// showed before, for [`Site::restore_documents`].
    pub fn replace_document(&mut self, doc: &Document) -> Vec<(PageId, Arc<Document>)> {
        let mut replaced = Vec::new();
        for (id, page) in self.pages.iter_mut().enumerate() {
            // Bytes, not components: one comparison per page of the site.
            if page.doc.file.as_os_str() == doc.file.as_os_str() {
                let mut new = doc.clone();
                new.lang = page.doc.lang.clone();
                replaced.push((id, std::mem::replace(&mut page.doc, Arc::new(new))));
            }
        }
        replaced
    }

    /// Undoes [`Site::replace_document`].
    pub fn restore_documents(&mut self, replaced: Vec<(PageId, Arc<Document>)>) {
        for (id, old) in replaced {
            self.pages[id].doc = old;
        }
    }

    pub fn permalink(&self, page: &Page) -> String {
        format!("{}{}", self.origin(), page.url)
    }

    /// `https://shop.example` for `https://shop.example/help`: page URLs already hold the path.
    pub fn origin(&self) -> &str {
        self.config
            .base_url
            .strip_suffix(&self.config.base_path)
            .unwrap_or(&self.config.base_url)
    }
}

/// `policies/returns.lt.md` → (`policies/returns.md`, Some("lt")).
fn split_language_suffix<'a>(key: &'a str, config: &Config) -> (String, Option<&'a str>) {
    if let Some(stem) = key.strip_suffix(".md") {
        if let Some((base, lang)) = stem.rsplit_once('.') {
            if config.language(lang).is_some() {
                return (format!("{base}.md"), Some(lang));
            }
        }
    }
    (key.to_string(), None)
}

/// Resolves the loaded sources; every problem found across files is reported at once.
pub fn resolve(sources: Sources) -> Result<(Site, Theme, Vec<StaticFile>)> {
    let Sources {
        config,
        documents,
        data,
        terms,
        theme,
        static_files,
        unreadable,
        ..
    } = sources;
    let unreadable = unreadable.into_iter().map(|d| d.file).collect();
    let mut problems = Vec::new();
    // A machine draft waits for its translator unless the site publishes drafts.
    let publish_drafts = config.translations.publish_machine_drafts;
    let (untranslated, documents): (Vec<_>, Vec<_>) = documents
        .into_iter()
        .partition(|doc| doc.is_untranslated_copy() || (doc.is_machine_draft() && !publish_drafts));
    let untranslated = untranslated
        .into_iter()
        .map(|doc| doc.file.clone())
        .collect();
    let mut pages: Vec<Page> = documents.into_iter().map(Page::unresolved).collect();
    let mut by_key = languages::index_keys(&pages, &mut problems);
    languages::add_fallbacks(&mut pages, &mut by_key, &config);
    tree::set_parents(&mut pages, &by_key, &config.default_language);
    outputs::set_urls(&mut pages, &by_key, &config, &mut problems);
    kinds::set_kinds_and_templates(&mut pages, &mut problems);
    outputs::check_unique_outputs(&pages, &mut problems);
    tree::set_ancestors_and_listings(&mut pages);
    tree::order_listings(&mut pages);
    languages::set_translations(&mut pages, &config);
    let aliases = outputs::resolve_aliases(&pages, &config.base_path, &mut problems);
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    let policies = kinds::policies_index(&pages);
    Ok((
        Site {
            config,
            pages,
            aliases,
            data,
            terms,
            by_key,
            policies,
            unreadable,
            untranslated,
        },
        theme,
        static_files,
    ))
}

impl Page {
    /// A loaded document as a page, before any step has set what depends on other pages.
    fn unresolved(doc: Arc<Document>) -> Page {
        let role = if !doc.is_section() {
            Role::Page
        } else if doc.dir.is_empty() {
            Role::Home
        } else {
            Role::Section
        };
        Page {
            fallback_of: None,
            role,
            kind: PageKind::Article,
            url: String::new(),
            output_path: PathBuf::new(),
            template: String::new(),
            parent: None,
            ancestors: Vec::new(),
            children: Vec::new(),
            subsections: Vec::new(),
            previous: None,
            next: None,
            translations: Vec::new(),
            doc,
        }
    }
}
