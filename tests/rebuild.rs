//! Watch mode's incremental rebuild, through the library: after each edit the outputs must be
//! byte-identical to a fresh build of the same files, and only the outputs the edit affects may
//! be re-rendered.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use common::Site;
use helpdeck::output::Output;
use helpdeck::rebuild::Rebuilder;

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
    /// The pages the last rebuild re-rendered for their related articles.
    relisted: BTreeSet<String>,
}

impl Watched {
    fn new(site: Site) -> Watched {
        let served = Served::default();
        let (mut rebuilder, _) =
            Rebuilder::new(site.root(), false, &served.sink()).expect("first build");
        rebuilder
            .reindex(&served.sink(), &|| false)
            .expect("search index");
        Watched {
            site,
            rebuilder,
            files: served.take(),
            reindexed: Vec::new(),
            relisted: BTreeSet::new(),
        }
    }

    /// Applies changed paths, then updates the search index, related articles and the
    /// outputs showing every page as serve does; returns the outputs rendered (pages whose related articles changed included), and
    /// checks the result against a fresh build.
    fn rebuild(&mut self, changed: &[&str]) -> BTreeSet<String> {
        let served = Served::default();
        let rebuilt = self
            .rebuilder
            .rebuild(changed.iter().map(PathBuf::from), &served.sink())
            .unwrap_or_else(|failed| panic!("rebuild failed: {}", failed.error));
        let mut rendered = served.take();
        assert_eq!(rebuilt.rendered, rendered.len());
        let reindexed = self
            .rebuilder
            .reindex(&served.sink(), &|| false)
            .expect("search index");
        let index_files = served.take();
        self.reindexed = reindexed.languages;
        let related = self
            .rebuilder
            .relate(&served.sink())
            .expect("related articles");
        let relisted = served.take();
        assert_eq!(related.rendered, relisted.len());
        self.relisted = relisted.keys().cloned().collect();
        rendered.extend(relisted);
        let site_wide = self
            .rebuilder
            .render_site_wide(&served.sink())
            .expect("sitemap and hosting files");
        let site_files = served.take();
        assert_eq!(site_wide.rendered, site_files.len());
        rendered.extend(site_files);
        let names: BTreeSet<String> = rendered.keys().cloned().collect();
        for removed in rebuilt.removed.iter().chain(&reindexed.removed) {
            self.files
                .remove(&removed.to_string_lossy().replace('\\', "/"));
        }
        self.files.extend(rendered);
        self.files.extend(index_files);

        let fresh = Served::default();
        let (mut again, _) =
            Rebuilder::new(self.site.root(), false, &fresh.sink()).expect("fresh build");
        again
            .reindex(&fresh.sink(), &|| false)
            .expect("fresh search index");
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

impl Watched {
    /// Replaces the first `from` in `file` by `to` (which must be there).
    fn replace(&self, file: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.site.root().join(file)).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        self.site.write(file, text.replacen(from, to, 1));
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
    // Languages without their own translation show the English page as a fallback; the
    // English saved replies page reads the body too, and follows.
    for path in &rendered {
        assert!(
            path.contains("policies/shipping/") || path == "replies/index.html",
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
fn an_interrupted_search_index_writes_nothing_and_is_rebuilt_next_time() {
    let mut w = demo();
    let file = "content/policies/returns.md";
    let text = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    w.site
        .write(file, format!("{text}\nPallets go back by freight.\n"));
    let served = Served::default();
    w.rebuilder
        .rebuild([PathBuf::from(file)], &served.sink())
        .unwrap_or_else(|failed| panic!("rebuild failed: {}", failed.error));
    w.files.extend(served.take());

    // A save arrives while the index is being built: nothing is written.
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let interrupted = w.rebuilder.reindex(&served.sink(), &|| {
        asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) > 2
    });
    assert!(
        matches!(interrupted, Err(helpdeck::diagnostic::Error::Interrupted)),
        "{:?}",
        interrupted.err()
    );
    let staged = served.take();
    assert!(
        staged.keys().all(|path| !path.ends_with("en.json.gz")),
        "an interrupted index wrote its manifest: {:?}",
        staged.keys().collect::<Vec<_>>()
    );

    // The next quiet moment builds it, and the site matches a fresh build.
    w.rebuild(&[]);
    assert_eq!(w.reindexed, ["en"], "the interrupted language is still due");
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

/// The outputs of `page` (`policies/shipping/`) in the demo's five languages.
fn in_every_language(page: &str) -> BTreeSet<String> {
    ["", "lt/", "pl/", "zh-Hant/", "ms/"]
        .iter()
        .map(|lang| format!("{lang}{page}index.html"))
        .collect()
}

#[test]
fn a_fact_edit_re_renders_exactly_the_pages_inserting_it() {
    let mut w = demo();
    // `[payments] vat_rate_percent` is inserted by the shipping policy only, in each
    // language, and is no part of the shop's structured data.
    w.replace(
        "data/shop.toml",
        "vat_rate_percent = 21",
        "vat_rate_percent = 23",
    );
    let rendered = w.rebuild(&["data/shop.toml"]);
    // And the saved replies pages, which show the policy's key facts.
    let expected: BTreeSet<String> = in_every_language("policies/shipping/")
        .into_iter()
        .chain(in_every_language("replies/"))
        .collect();
    assert_eq!(rendered, expected);
    let page = String::from_utf8_lossy(&w.files["policies/shipping/index.html"]).into_owned();
    assert!(page.contains("VAT at 23%"), "the new value is shown");
}

#[test]
fn a_shop_fact_edit_also_re_renders_the_structured_data_showing_it() {
    let mut w = demo();
    // The return window is inserted by the returns policy and is also the home page's
    // MerchantReturnPolicy and the product pages' Offer.
    w.replace("data/shop.toml", "window_days = 30", "window_days = 45");
    let rendered = w.rebuild(&["data/shop.toml"]);
    assert!(rendered.is_superset(&in_every_language("policies/returns/")));
    assert!(rendered.contains("index.html") && rendered.contains("lt/index.html"));
    assert!(rendered.contains("products/oak-board/index.html"));
    assert!(
        !rendered.contains("faq/orders/index.html"),
        "a page showing neither: {rendered:?}"
    );
}

#[test]
fn a_shortcode_template_edit_re_renders_exactly_the_pages_calling_it() {
    let mut w = demo();
    // The returns policy is the demo's only page with `{% steps() %}`.
    w.site.write(
        "templates/shortcodes/steps.html",
        "<ol class=\"my-steps\">{{ body | safe }}</ol>",
    );
    let rendered = w.rebuild(&["templates/shortcodes/steps.html"]);
    // And the saved replies pages, which read the policy's content.
    let expected: BTreeSet<String> = in_every_language("policies/returns/")
        .into_iter()
        .chain(in_every_language("replies/"))
        .collect();
    assert_eq!(rendered, expected);
    let page = String::from_utf8_lossy(&w.files["policies/returns/index.html"]).into_owned();
    assert!(page.contains("my-steps"));
}

#[test]
fn a_new_change_entry_updates_the_policy_updates_page_and_feed() {
    let mut w = demo();
    let file = "content/policies/returns.md";
    w.replace(
        file,
        "[[changes]]",
        "[[changes]]\ndate = 2026-08-03\ntext = \"Return labels are now printed at the post office.\"\n\n[[changes]]",
    );
    let rendered = w.rebuild(&[file]);
    for path in [
        "policy-updates/index.html",
        "policy-updates/atom.xml",
        "policies/returns/index.html",
    ] {
        assert!(rendered.contains(path), "{path} not in {rendered:?}");
    }
    assert!(
        !rendered.contains("lt/policy-updates/index.html"),
        "the Lithuanian policy has its own history: {rendered:?}"
    );
    let feed = String::from_utf8_lossy(&w.files["policy-updates/atom.xml"]).into_owned();
    assert!(feed.contains("printed at the post office"));
}

#[test]
fn the_first_change_of_a_language_links_its_updates_page_from_every_page() {
    let mut w = Watched::new(Site::new(&[
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        (
            "content/policies/_index.md",
            "+++\ntitle = \"Policies\"\npage_kind = \"policy\"\n+++\n",
        ),
        (
            "content/policies/returns.md",
            "+++\ntitle = \"Returns\"\nupdated = 2026-05-01\n+++\nReturn within 30 days.\n",
        ),
        (
            "content/faq/orders.md",
            "+++\ntitle = \"Orders\"\n+++\n## Where is my order?\n\nOn its way.\n",
        ),
    ]));
    assert!(!w.files.contains_key("policy-updates/index.html"));
    w.site.write(
        "content/policies/returns.md",
        "+++\ntitle = \"Returns\"\nupdated = 2026-05-01\n\n[[changes]]\ndate = 2026-05-01\ntext = \"Longer window.\"\n+++\nReturn within 30 days.\n",
    );
    let rendered = w.rebuild(&["content/policies/returns.md"]);
    assert!(rendered.contains("policy-updates/index.html"));
    assert!(rendered.contains("policy-updates/atom.xml"));
    assert!(
        rendered.contains("faq/orders/index.html"),
        "every English page links the feed: {rendered:?}"
    );
}

#[test]
fn a_body_edit_that_changes_related_articles_re_renders_the_pages_listing_them() {
    let mut w = demo();
    let returns =
        std::fs::read_to_string(w.site.root().join("content/policies/returns.md")).unwrap();
    let returns_body = returns.splitn(3, "+++").nth(2).unwrap().to_string();
    let file = "content/faq/orders.md";
    let orders = std::fs::read_to_string(w.site.root().join(file)).unwrap();
    let front = orders.split("+++").nth(1).unwrap();
    let related_before =
        String::from_utf8_lossy(&w.files["policies/returns/index.html"]).into_owned();
    // The FAQ now opens with the returns policy's text: the policy is its closest page, and
    // it is the policy's (the front matter is unchanged: the body-only path).
    w.site.write(
        file,
        format!(
            "+++{front}+++\n{}\n## Another question?\n\nYes.\n",
            returns_body.trim()
        ),
    );
    let rendered = w.rebuild(&[file]);
    assert!(rendered.contains("faq/orders/index.html"));
    assert!(
        w.relisted.contains("policies/returns/index.html"),
        "the policy's related articles changed: {rendered:?}"
    );
    let related_after =
        String::from_utf8_lossy(&w.files["policies/returns/index.html"]).into_owned();
    let related = |html: &str| {
        let doc = common::Html::parse_document(html);
        let links = common::Selector::parse("nav.related a").unwrap();
        doc.select(&links)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert_ne!(related(&related_before), related(&related_after));
    assert_eq!(
        related(&related_after).first().map(String::as_str),
        Some("/faq/orders/")
    );
}

#[test]
fn a_data_edit_re_renders_the_pages_whose_templates_read_data() {
    let mut w = demo();
    w.site.write(
        "templates/faq.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"charged\">{{ data.shop.payments.charged }}</p>{{ page.content | safe }}{% endblock content %}",
    );
    w.rebuild(&["templates/faq.html"]);
    w.replace(
        "data/shop.toml",
        "charged = \"when the order is placed\"",
        "charged = \"when the order ships\"",
    );
    let rendered = w.rebuild(&["data/shop.toml"]);
    assert!(rendered.contains("faq/delivery/index.html"), "{rendered:?}");
    assert!(
        !rendered.contains("policies/shipping/index.html"),
        "{rendered:?}"
    );
    let page = String::from_utf8_lossy(&w.files["faq/delivery/index.html"]).into_owned();
    assert!(page.contains("when the order ships"));
}

#[test]
fn the_sitemap_and_hosting_files_follow_a_rebuild_instead_of_holding_up_the_page() {
    let mut w = demo();
    w.replace("content/faq/orders.md", "title = \"", "title = \"Renamed ");
    let served = Served::default();
    w.rebuilder
        .rebuild([PathBuf::from("content/faq/orders.md")], &served.sink())
        .unwrap_or_else(|failed| panic!("rebuild failed: {}", failed.error));
    let now = served.take();
    assert!(
        now.contains_key("faq/orders/index.html"),
        "{:?}",
        now.keys()
    );
    assert!(!now.contains_key("sitemap.xml"), "{:?}", now.keys());

    let done = w
        .rebuilder
        .render_site_wide(&served.sink())
        .expect("sitemap and hosting files");
    let later = served.take();
    assert_eq!(done.rendered, later.len());
    assert!(later.contains_key("sitemap.xml"), "{:?}", later.keys());
    assert!(
        later
            .keys()
            .all(|path| !path.ends_with(".html") || path.ends_with("replies/index.html")),
        "only outputs showing every page (of a language, for the saved replies) follow: {:?}",
        later.keys()
    );
    let again = w.rebuilder.render_site_wide(&served.sink()).unwrap();
    assert_eq!(again.rendered, 0, "nothing is left to follow");
}

#[test]
fn front_matter_that_keeps_every_page_in_place_is_edited_without_resolving_the_site() {
    let mut w = demo();
    let file = "content/faq/orders.md";
    let rebuild = |w: &mut Watched| {
        let served = Served::default();
        let rebuilt = w
            .rebuilder
            .rebuild([PathBuf::from(file)], &served.sink())
            .unwrap_or_else(|failed| panic!("rebuild failed: {}", failed.error));
        let rendered = served.take();
        for removed in &rebuilt.removed {
            w.files
                .remove(&removed.to_string_lossy().replace('\\', "/"));
        }
        w.files.extend(rendered.clone());
        (rebuilt.resolved, rendered)
    };
    // A title and a weight order the listing: the page, its section and its neighbours.
    w.replace(file, "title = \"", "title = \"AAA ");
    let (resolved, rendered) = rebuild(&mut w);
    assert!(!resolved, "a title edit leaves every page where it is");
    assert!(
        rendered.contains_key("faq/index.html"),
        "{:?}",
        rendered.keys()
    );
    // A slug moves the page: the site is resolved again.
    w.replace(file, "+++\n", "+++\nslug = \"where-is-my-order\"\n");
    let (resolved, rendered) = rebuild(&mut w);
    assert!(resolved, "a slug edit moves the page");
    assert!(
        rendered.contains_key("faq/where-is-my-order/index.html"),
        "{:?}",
        rendered.keys()
    );
    // Both agree with a fresh build once the follow-ups ran.
    w.rebuild(&[file]);
}

#[test]
fn a_weight_edit_re_renders_the_listing_and_the_pages_showing_the_page_not_the_language() {
    let mut w = demo();
    // Policies in order: shipping, returns, payments, terms, privacy. Terms moves last.
    w.replace("content/policies/terms.md", "weight = 4", "weight = 6");
    let rendered = w.rebuild(&["content/policies/terms.md"]);
    for changed in [
        "policies/index.html",
        "policies/terms/index.html",
        "policies/privacy/index.html",
        "policies/payments/index.html",
    ] {
        assert!(rendered.contains(changed), "{changed}: {rendered:?}");
    }
    // Every page's navigation shows the sections, which did not change: a listing reordered
    // is not a section retitled. Pages showing nothing of the policies stay as they are.
    for unchanged in [
        "guides/caring-for-oak/index.html",
        "products/oak-board/index.html",
        "faq/index.html",
        "404.html",
    ] {
        assert!(
            !rendered.contains(unchanged),
            "{unchanged} shows nothing that moved: {rendered:?}"
        );
    }
}
