//! Watch mode's incremental rebuild, through the library: after each edit the outputs must be
//! byte-identical to a fresh build of the same files, and only the outputs the edit affects may
//! be re-rendered.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use common::Site;
use helpdeck::rebuild::Rebuilder;
use helpdeck::render::Output;

/// Output path → bytes, as a sink fills it.
#[derive(Default)]
struct Served(Mutex<BTreeMap<String, Vec<u8>>>);

impl Served {
    fn sink(&self) -> impl Fn(Output) -> helpdeck::diagnostic::Result<()> + Sync + '_ {
        |output| {
            let key = output.path.to_string_lossy().replace('\\', "/");
            self.0.lock().unwrap().insert(key, output.bytes);
            Ok(())
        }
    }

    fn take(&self) -> BTreeMap<String, Vec<u8>> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

struct Watched {
    site: Site,
    rebuilder: Rebuilder,
    files: BTreeMap<String, Vec<u8>>,
    /// The languages whose search index the last rebuild rebuilt.
    reindexed: Vec<String>,
}

impl Watched {
    fn new(site: Site) -> Watched {
        let served = Served::default();
        let (mut rebuilder, _) =
            Rebuilder::new(site.root(), false, &served.sink()).expect("first build");
        rebuilder.reindex(&served.sink()).expect("search index");
        Watched {
            site,
            rebuilder,
            files: served.take(),
            reindexed: Vec::new(),
        }
    }

    /// Applies changed paths; returns the outputs rendered, and checks the result against a
    /// fresh build.
    fn rebuild(&mut self, changed: &[&str]) -> BTreeSet<String> {
        let served = Served::default();
        let rebuilt = self
            .rebuilder
            .rebuild(changed.iter().map(PathBuf::from), &served.sink())
            .unwrap_or_else(|failed| panic!("rebuild failed: {}", failed.error));
        let rendered = served.take();
        let names: BTreeSet<String> = rendered.keys().cloned().collect();
        assert_eq!(rebuilt.rendered, names.len());
        let reindexed = self
            .rebuilder
            .reindex(&served.sink())
            .expect("search index");
        let index_files = served.take();
        self.reindexed = reindexed.languages;
        for removed in rebuilt.removed.iter().chain(&reindexed.removed) {
            self.files
                .remove(&removed.to_string_lossy().replace('\\', "/"));
        }
        self.files.extend(rendered);
        self.files.extend(index_files);

        let fresh = Served::default();
        let (mut again, _) =
            Rebuilder::new(self.site.root(), false, &fresh.sink()).expect("fresh build");
        again.reindex(&fresh.sink()).expect("fresh search index");
        let fresh = fresh.take();
        assert_eq!(
            self.files.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "incremental and fresh builds have different files"
        );
        for (path, bytes) in &fresh {
            assert!(
                self.files[path] == *bytes,
                "{path} differs from a fresh build after {changed:?}"
            );
        }
        names
    }
}

fn demo() -> Watched {
    Watched::new(Site::demo())
}

#[test]
fn a_body_edit_re_renders_that_page_and_its_fallbacks_only() {
    let mut w = demo();
    let file = "content/policies/shipping.md";
    let text = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    w.site
        .write(file, format!("{text}\nA new sentence in the body.\n"));
    let rendered = w.rebuild(&[file]);
    assert!(
        rendered.contains("policies/shipping/index.html"),
        "{rendered:?}"
    );
    // Languages without their own translation show the English page as a fallback.
    for path in &rendered {
        assert!(
            path.contains("policies/shipping/"),
            "{path} re-rendered for a body edit"
        );
    }
    assert_eq!(w.reindexed, ["en"], "only that language's search index");
    assert!(
        w.files["policies/shipping/index.html"]
            .windows(5)
            .any(|x| x == b"A new")
    );
}

#[test]
fn a_title_edit_re_renders_the_listings_and_switchers_showing_it() {
    let mut w = demo();
    let file = "content/policies/shipping.md";
    let text = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    let retitled = text.replacen("title = \"", "title = \"Fast ", 1);
    assert_ne!(text, retitled);
    w.site.write(file, retitled);
    let rendered = w.rebuild(&[file]);
    assert!(rendered.contains("policies/shipping/index.html"));
    assert!(
        rendered.contains("policies/index.html"),
        "the section listing"
    );
    assert!(
        rendered.contains("lt/policies/shipping/index.html"),
        "the switcher of a translation"
    );
    assert!(!rendered.contains("robots.txt"));
    assert!(!rendered.contains("faq/index.html"), "{rendered:?}");
    assert!(
        rendered.len() < w.files.len() / 2,
        "{} of {}",
        rendered.len(),
        w.files.len()
    );
}

#[test]
fn new_deleted_and_renamed_pages() {
    let mut w = demo();
    w.site.write(
        "content/faq/gift-cards.md",
        "+++\ntitle = \"Gift cards\"\n+++\n## Do gift cards expire?\n\nNo.\n",
    );
    let rendered = w.rebuild(&["content/faq/gift-cards.md"]);
    assert!(rendered.contains("faq/gift-cards/index.html"));
    assert!(rendered.contains("faq/index.html"));

    std::fs::rename(
        w.site.root().join("content/faq/gift-cards.md"),
        w.site.root().join("content/faq/vouchers.md"),
    )
    .unwrap();
    w.rebuild(&["content/faq/gift-cards.md", "content/faq/vouchers.md"]);
    assert!(w.files.contains_key("faq/vouchers/index.html"));
    assert!(!w.files.contains_key("faq/gift-cards/index.html"));

    std::fs::remove_file(w.site.root().join("content/faq/vouchers.md")).unwrap();
    w.rebuild(&["content/faq/vouchers.md"]);
    assert!(!w.files.contains_key("faq/vouchers/index.html"));
}

#[test]
fn a_template_edit_re_renders_the_pages_using_it() {
    let mut w = demo();
    w.site.write(
        "templates/faq.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom-faq\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    let rendered = w.rebuild(&["templates/faq.html"]);
    assert!(rendered.contains("faq/delivery/index.html"));
    assert!(
        !rendered.contains("policies/shipping/index.html"),
        "{rendered:?}"
    );
    assert!(
        !rendered.contains("index.html"),
        "the home does not use faq.html"
    );
}

#[test]
fn a_config_edit_rebuilds_everything_that_shows_it() {
    let mut w = demo();
    let config = std::fs::read_to_string(w.site.root().join("helpdeck.toml")).unwrap();
    let retitled = config.replacen("title = \"", "title = \"New ", 1);
    assert_ne!(config, retitled);
    w.site.write("helpdeck.toml", retitled);
    let rendered = w.rebuild(&["helpdeck.toml"]);
    assert!(rendered.contains("index.html") && rendered.contains("faq/delivery/index.html"));
}

#[test]
fn a_failed_rebuild_changes_nothing_and_is_retried() {
    let mut w = demo();
    let file = "content/faq/delivery.md";
    let good = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    w.site
        .write(file, "+++\ntitle = \n+++\n<script>alert(1)</script>\n");
    let served = Served::default();
    let failed = match w.rebuilder.rebuild([PathBuf::from(file)], &served.sink()) {
        Ok(_) => panic!("a broken file must fail the rebuild"),
        Err(failed) => failed,
    };
    assert!(
        failed
            .error
            .to_string()
            .contains("content/faq/delivery.md:2"),
        "{}",
        failed.error
    );
    // Another save elsewhere still reports the broken file.
    let other = "content/policies/shipping.md";
    let failed_again = w
        .rebuilder
        .rebuild([PathBuf::from(other)], &served.sink())
        .err()
        .expect("still broken");
    assert!(failed_again.error.to_string().contains("delivery.md"));
    w.site.write(file, format!("{good}\nFixed.\n"));
    let rendered = w.rebuild(&[file]);
    assert!(rendered.contains("faq/delivery/index.html"));
}

#[test]
fn a_body_edit_with_a_broken_link_fails_then_later_edits_still_match_a_fresh_build() {
    let mut w = demo();
    let file = "content/faq/orders.md";
    let good = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    w.site.write(file, format!("{good}\n[gone](@/nope.md)\n"));
    let served = Served::default();
    let failed = w
        .rebuilder
        .rebuild([PathBuf::from(file)], &served.sink())
        .err()
        .expect("a broken link fails the rebuild");
    assert!(failed.error.to_string().contains("broken internal link"));
    w.site.write(file, format!("{good}\nThen fixed.\n"));
    assert!(w.rebuild(&[file]).contains("faq/orders/index.html"));
    // A title edit after body edits takes the full path; it must agree with them.
    w.site
        .write(file, good.replacen("title = \"", "title = \"Re: ", 1));
    assert!(w.rebuild(&[file]).contains("faq/index.html"));
}
