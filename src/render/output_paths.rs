//! Outputs that would collide on disk: two at one path (also on a case-insensitive disk), or
//! one inside another's file (an alias `/sitemap.xml/` would need a folder where the sitemap
//! is). A page, alias or `[analytics]` event file that collides is an error naming its file
//! and line and what it collides with, instead of one output silently replacing another or
//! the system refusing to write.

use std::collections::HashMap;
use std::path::Path;

use super::{Renderer, SiteFile, Target};
use crate::config::{Analytics, CONFIG_FILE};
use crate::diagnostic::Diagnostic;

impl Renderer<'_> {
    /// Every collision of a page, alias or event file with another output. Two pages at one URL
    /// are resolve's to report (it also sees the pages of other languages).
    pub(super) fn output_clashes(&self) -> Vec<Diagnostic> {
        let targets = self.targets();
        let keys: Vec<String> = targets
            .iter()
            .map(|&target| path_key(&self.output_path(target)))
            .collect();
        let mut at: HashMap<&str, usize> = HashMap::with_capacity(targets.len());
        let mut problems = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            if let Some(&first) = at.get(key.as_str()) {
                let pair = (targets[first], targets[i]);
                if !matches!(pair, (Target::Page(_), Target::Page(_))) {
                    problems.extend(self.clash(pair, Clash::SamePath));
                }
            } else {
                at.insert(key, i);
            }
        }
        for (i, key) in keys.iter().enumerate() {
            // Every folder the output is in: `a/b/index.html` is in `a` and `a/b`.
            let folders = key.match_indices('/').map(|(end, _)| &key[..end]);
            for folder in folders {
                if let Some(&file) = at.get(folder) {
                    problems.extend(self.clash((targets[file], targets[i]), Clash::InsideFile));
                }
            }
        }
        problems
    }

    /// The diagnostic for two outputs that collide, on whichever of them the user wrote (the
    /// later one when both are).
    fn clash(&self, (first, second): (Target, Target), clash: Clash) -> Option<Diagnostic> {
        let (written, other) = match (self.written_at(second), self.written_at(first)) {
            (Some(written), _) => (written, first),
            (None, Some(written)) => (written, second),
            (None, None) => return None,
        };
        let path = self.output_path(other);
        let other = self.describe(other);
        let message = match (clash, written.what) {
            (Clash::SamePath, What::Alias) => format!("alias is also the URL of {other}"),
            (Clash::SamePath, What::Page) => {
                format!("this page has the URL of {other}; give it another slug")
            }
            (Clash::SamePath, What::EventLog) => {
                format!("[analytics] `log` is also the path of {other}; choose another")
            }
            (Clash::InsideFile, What::Alias) => format!(
                "alias would need a folder where {other} is written ({}); choose another alias",
                path.display()
            ),
            (Clash::InsideFile, What::Page) => format!(
                "this page's URL would need a folder where {other} is written ({}); give it another slug",
                path.display()
            ),
            (Clash::InsideFile, What::EventLog) => format!(
                "[analytics] `log` would need a folder where {other} is written ({}); choose another path",
                path.display()
            ),
        };
        let mut diagnostic = Diagnostic::new(written.file, message);
        if let Some((line, text)) = written.line {
            diagnostic = diagnostic.at_line(line).quoting(text);
        }
        Some(diagnostic)
    }

    /// Where the user wrote the path of a page, an alias or the event file: file, and the line
    /// of its slug, alias or `log`.
    fn written_at(&self, target: Target) -> Option<Written<'_>> {
        let site = self.site;
        match target {
            Target::Page(id) => {
                let doc = &site.page(id).doc;
                Some(Written {
                    file: &doc.file,
                    line: doc.meta.slug.as_ref().map(|s| (s.line, s.value.as_str())),
                    what: What::Page,
                })
            }
            Target::File(SiteFile::Alias(index)) => {
                let alias = site.alias(index);
                Some(Written {
                    file: &site.page(alias.target).doc.file,
                    line: Some((alias.line, alias.written.as_str())),
                    what: What::Alias,
                })
            }
            Target::File(SiteFile::EventLog) => match &site.config.analytics {
                Some(Analytics::Log { path, line }) => Some(Written {
                    file: Path::new(CONFIG_FILE),
                    line: Some((*line, path.as_str())),
                    what: What::EventLog,
                }),
                _ => None,
            },
            _ => None,
        }
    }

    fn describe(&self, target: Target) -> String {
        let site = self.site;
        match target {
            Target::Page(id) => format!("the page {}", site.page(id).doc.file.display()),
            Target::File(SiteFile::Alias(index)) => {
                let alias = site.alias(index);
                format!(
                    "the alias `{}` of {}:{}",
                    alias.written,
                    site.page(alias.target).doc.file.display(),
                    alias.line
                )
            }
            Target::File(SiteFile::NotFound(_)) => "the 404 page".into(),
            Target::File(SiteFile::SearchPage(_)) => "the search page".into(),
            Target::File(SiteFile::PolicyUpdates(_)) => "the policy updates page".into(),
            Target::File(SiteFile::PolicyFeed(_)) => "the policy updates feed".into(),
            Target::File(SiteFile::WithdrawalForm(_)) => "the model withdrawal form".into(),
            Target::File(SiteFile::Replies(_)) => "the saved replies page".into(),
            Target::File(SiteFile::Sitemap) => "the sitemap".into(),
            Target::File(SiteFile::Robots) => "robots.txt".into(),
            Target::File(SiteFile::Redirects) => "the _redirects file".into(),
            Target::File(SiteFile::Headers) => "the _headers file".into(),
            Target::File(SiteFile::EventLog) => "the [analytics] log file".into(),
            Target::File(SiteFile::Asset(_)) => "a theme file".into(),
        }
    }
}

#[derive(Clone, Copy)]
enum Clash {
    SamePath,
    /// The second output would be inside the first's file.
    InsideFile,
}

struct Written<'a> {
    file: &'a Path,
    line: Option<(usize, &'a str)>,
    what: What,
}

/// What the user wrote a path for.
#[derive(Clone, Copy)]
enum What {
    Page,
    Alias,
    EventLog,
}

/// An output path as compared on a case-insensitive disk, with `/` between names.
fn path_key(path: &Path) -> String {
    let mut key = String::new();
    for (i, component) in path.components().enumerate() {
        if i > 0 {
            key.push('/');
        }
        key.push_str(&component.as_os_str().to_string_lossy().to_lowercase());
    }
    key
}
