//! Policy history: "Last updated" linking to the change history, a Policy updates page and an
//! Atom feed per language (newest first), and warnings for dates that cannot be right.

mod common;

use common::{Site, page, select, text};

const RETURNS: &str = "title = \"Returns\"\npolicy = \"returns\"\nkind = \"policy\"\nupdated = 2026-08-03\n\n[[changes]]\ndate = 2026-03-16\ntext = \"First exchange free.\"\n\n[[changes]]\ndate = 2026-08-03\ntext = \"Return window 14 → 30 days <b>from delivery</b>.\"";
const RETURNS_LT: &str = "title = \"Grąžinimas\"\npolicy = \"returns\"\nkind = \"policy\"\nupdated = 2026-08-03\n\n[[changes]]\ndate = 2026-08-03\ntext = \"Terminas pratęstas iki 30 dienų.\"";
const SHIPPING: &str = "title = \"Shipping\"\npolicy = \"shipping\"\nkind = \"policy\"\nupdated = 2026-09-14\n\n[[changes]]\ndate = 2026-09-14\ntext = \"Now shipping to Taiwan.\"";

fn history_site() -> Site {
    Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "Hi.")),
        (
            "content/_index.lt.md",
            &page("title = \"Pagalba\"", "Labas."),
        ),
        (
            "content/policies/_index.md",
            &page("title = \"Policies\"", ""),
        ),
        (
            "content/policies/returns.md",
            &page(RETURNS, "Send it back."),
        ),
        (
            "content/policies/returns.lt.md",
            &page(RETURNS_LT, "Grąžinkite."),
        ),
        ("content/policies/shipping.md", &page(SHIPPING, "We ship.")),
        ("content/about.md", &page("title = \"About\"", "Us.")),
    ])
}

#[test]
fn last_updated_links_to_the_change_history() {
    let site = history_site();
    site.build();
    let html = site.html("policies/returns/index.html");
    let link = &select(&html, ".page-meta a[href=\"#change-history\"]")[0];
    assert_eq!(text(link), "August 3, 2026");
    let history = &select(&html, "#change-history")[0];
    let entries: Vec<String> = select(&html, "#change-history li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        entries,
        [
            "August 3, 2026 Return window 14 → 30 days <b>from delivery</b>.",
            "March 16, 2026 First exchange free."
        ]
    );
    assert!(history.inner_html().contains("href=\"/policy-updates/\""));
}

#[test]
fn policy_updates_page_per_language_newest_first() {
    let site = history_site();
    site.build();
    let html = site.html("policy-updates/index.html");
    assert_eq!(text(&select(&html, "h1")[0]), "Policy updates");
    let rows: Vec<(String, String)> = select(&html, "ol.policy-updates li")
        .iter()
        .map(|li| {
            let a = li
                .select(&common::Selector::parse("a").unwrap())
                .next()
                .unwrap();
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                text(li),
            )
        })
        .collect();
    assert_eq!(
        rows.iter()
            .map(|(href, _)| href.as_str())
            .collect::<Vec<_>>(),
        [
            "/policies/shipping/#change-history",
            "/policies/returns/#change-history",
            "/policies/returns/#change-history"
        ]
    );
    assert!(rows[0].1.starts_with("September 14, 2026"), "{}", rows[0].1);

    let lt = site.html("lt/policy-updates/index.html");
    assert_eq!(text(&select(&lt, "h1")[0]), "Taisyklių pakeitimai");
    let lt_rows: Vec<String> = select(&lt, "ol.policy-updates li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(lt_rows.len(), 2, "{lt_rows:?}");
    assert!(
        lt_rows[0].contains("Shipping"),
        "untranslated policy shown: {lt_rows:?}"
    );
    let english = select(&lt, "ol.policy-updates li span[lang=\"en\"]");
    assert_eq!(english.len(), 1, "the fallback's text is marked as English");
    let hreflang: Vec<&str> = select(&lt, "link[rel=alternate][hreflang]")
        .iter()
        .filter_map(|l| l.value().attr("hreflang"))
        .collect();
    assert_eq!(hreflang, ["en", "lt"]);
}

#[test]
fn atom_feed_per_language_parses_and_is_linked_from_every_page() {
    let site = history_site();
    site.build();
    let xml = site.read("policy-updates/atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed Atom");
    let feed = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    let child = |node: roxmltree::Node<'_, '_>, name: &str| -> String {
        node.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        child(feed, "id"),
        "https://help.test.example/policy-updates/atom.xml"
    );
    assert_eq!(child(feed, "updated"), "2026-09-14T00:00:00Z");
    let entries: Vec<roxmltree::Node<'_, '_>> = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(child(entries[0], "title"), "Shipping (2026-09-14)");
    assert_eq!(
        child(entries[1], "content"),
        "Return window 14 → 30 days <b>from delivery</b>."
    );
    let link = entries[1]
        .children()
        .find(|c| c.has_tag_name((atom, "link")))
        .and_then(|l| l.attribute("href"));
    assert_eq!(
        link,
        Some("https://help.test.example/policies/returns/#change-history")
    );
    let ids: std::collections::HashSet<String> = entries.iter().map(|e| child(*e, "id")).collect();
    assert_eq!(ids.len(), 3, "entry ids are unique");

    let lt = site.read("lt/policy-updates/atom.xml");
    let lt = roxmltree::Document::parse(&lt).expect("well-formed Atom");
    assert_eq!(
        lt.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("lt")
    );

    for (path, feed) in [
        ("about/index.html", "/policy-updates/atom.xml"),
        ("lt/about/index.html", "/lt/policy-updates/atom.xml"),
    ] {
        let html = site.html(path);
        let links = select(&html, "link[rel=alternate][type=\"application/atom+xml\"]");
        assert_eq!(links[0].value().attr("href"), Some(feed), "{path}");
    }
}

#[test]
fn updated_in_the_future_or_before_the_latest_change_warns() {
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "Hi.")),
        (
            "content/terms.md",
            &page(
                "title = \"Terms\"\nkind = \"policy\"\nupdated = 2999-01-01",
                "Terms.",
            ),
        ),
        (
            "content/returns.md",
            &page(
                "title = \"Returns\"\nkind = \"policy\"\nupdated = 2026-01-01\n[[changes]]\ndate = 2026-02-01\ntext = \"Longer window.\"",
                "Returns.",
            ),
        ),
    ]);
    let run = site.build();
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert!(
        warnings.iter().any(|w| w
            .starts_with("warning: content/terms.md:4: `updated = 2999-01-01` is in the future")),
        "{}",
        run.stderr
    );
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "warning: content/returns.md:4: `updated = 2026-01-01` is older than the latest change (2026-02-01"
        )),
        "{}",
        run.stderr
    );
    assert!(
        site.public().join("terms/index.html").is_file(),
        "the build still succeeds"
    );
}
