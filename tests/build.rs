//! `helpdeck build` end to end: fixture sites built by the real binary, output parsed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Site, json_ld, page, select, text};

const HOME: &str = "+++\ntitle = \"Help\"\n+++\nWelcome.\n";
const HOME_LT: &str = "+++\ntitle = \"Pagalba\"\n+++\nSveiki.\n";

#[test]
fn demo_builds_every_page_kind_in_every_language() {
    let site = Site::demo();
    let run = site.build();
    assert!(
        run.stdout
            .starts_with("Built 90 pages (en 18, lt 18, ms 18, pl 18, zh-Hant 18)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr, "",
        "no warnings and no progress bar when stderr is not a terminal"
    );
    for prefix in ["", "lt/", "pl/", "zh-Hant/", "ms/"] {
        for path in [
            "index.html",
            "policies/index.html",
            "policies/returns/index.html",
            "faq/delivery/index.html",
            "products/oak-board/index.html",
            "guides/caring-for-oak/index.html",
            "404.html",
        ] {
            let html = site.html(&format!("{prefix}{path}"));
            let lang = prefix.trim_end_matches('/');
            let expected = if lang.is_empty() { "en" } else { lang };
            let root = select(&html, "html");
            assert_eq!(
                root[0].value().attr("lang"),
                Some(expected),
                "{prefix}{path}"
            );
            assert_eq!(select(&html, "h1").len(), 1, "one h1 on {prefix}{path}");
        }
    }
    assert!(
        site.public().join("images/oak-board.svg").is_file(),
        "static/ copied"
    );
    assert!(site.public().join("sitemap.xml").is_file());
    assert!(site.public().join("robots.txt").is_file());
}

#[test]
fn init_demo_writes_the_demo_shop_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("shop");
    let run = common::run_in(dir.path(), &["init", "shop", "--demo"]);
    assert!(run.ok(), "{}", run.stderr);
    let run = common::run_in(dir.path(), &["build", "--root", "shop"]);
    assert!(run.ok(), "{}", run.stderr);
    for lang in ["", "lt/", "pl/", "zh-Hant/", "ms/"] {
        assert!(
            target
                .join(format!("public/{lang}faq/orders/index.html"))
                .is_file(),
            "{lang}"
        );
    }
    let again = common::run_in(dir.path(), &["init", "shop", "--demo"]);
    assert_eq!(again.code, Some(1), "init refuses a non-empty folder");
}

#[test]
fn cli_version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let version = common::run_in(dir.path(), &["--version"]);
    assert_eq!(
        version.stdout.trim(),
        format!("helpdeck {}", env!("CARGO_PKG_VERSION"))
    );
    let help = common::run_in(dir.path(), &["--help"]);
    assert!(
        help.stdout.contains("Examples:") && help.stdout.contains("helpdeck init"),
        "{}",
        help.stdout
    );
}

#[test]
fn base_url_path_puts_every_url_under_it() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/policies/_index.md",
            "+++\ntitle = \"Policies\"\npage_kind = \"policy\"\n+++\n",
        ),
        (
            "content/policies/returns.md",
            &page(
                "title = \"Returns\"\nupdated = 2026-11-01",
                "See [shipping](@/policies/shipping.md).\n",
            ),
        ),
        (
            "content/policies/shipping.md",
            &page("title = \"Shipping\"\nupdated = 2026-11-01", "Fast.\n"),
        ),
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let run = site.run(&["build", "--base-url", "https://shop.example/help/"]);
    assert!(run.ok(), "{}", run.stderr);
    let html = site.html("policies/returns/index.html");
    let hrefs: Vec<&str> = select(&html, "a[href], link[href]")
        .iter()
        .filter_map(|e| e.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/help/policies/shipping/"), "{hrefs:?}");
    for href in hrefs.iter().filter(|h| h.starts_with('/')) {
        assert!(href.starts_with("/help/"), "{href} escapes the base path");
    }
    let canonical = select(&html, "link[rel=canonical]")[0]
        .value()
        .attr("href")
        .unwrap();
    assert_eq!(canonical, "https://shop.example/help/policies/returns/");
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://shop.example/help/policies/returns/</loc>")
    );
    // Files stay at the output root: the host serves the folder at /help/.
    assert!(site.public().join("policies/returns/index.html").is_file());
}

#[test]
fn translations_pair_up_and_keep_their_language() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/_index.lt.md", HOME_LT),
        (
            "content/returns.md",
            &page("title = \"Returns\"", "Thirty days.\n"),
        ),
        (
            "content/returns.lt.md",
            &page(
                "title = \"Grąžinimas\"\nslug = \"grąžinimas\"",
                "Trisdešimt dienų.\n",
            ),
        ),
    ]);
    site.build();
    let lt = site.html("lt/grąžinimas/index.html");
    assert_eq!(select(&lt, "html")[0].value().attr("lang"), Some("lt"));
    let alternates: Vec<(String, String)> = select(&lt, "link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap().to_string(),
                l.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        alternates.contains(&("en".into(), "https://help.test.example/returns/".into())),
        "{alternates:?}"
    );
    assert!(
        alternates.contains(&(
            "lt".into(),
            "https://help.test.example/lt/gr%C4%85%C5%BEinimas/".into()
        )),
        "{alternates:?}"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(
            "hreflang=\"lt\" href=\"https://help.test.example/lt/gr%C4%85%C5%BEinimas/\""
        ),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("hreflang=\"x-default\" href=\"https://help.test.example/returns/\""),
        "{sitemap}"
    );
}

#[test]
fn markdown_extensions_anchors_and_internal_links() {
    let body = "\
| a | b |\n|---|---|\n| 1 | 2 |\n\n\
Note[^1].\n\n[^1]: A footnote.\n\n\
~~old~~ and \"quotes\" -- dash\n\n\
- [x] done\n- [ ] todo\n\n\
## 我的訂單在哪裡？\n\n## Kur yra mano užsakymas?\n\n## Kur yra mano užsakymas?\n\n\
See [returns](@/returns.md#refunds) and [home](@/_index.md).\n";
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/guide.md", &page("title = \"Guide\"", body)),
        (
            "content/returns.md",
            &page("title = \"Returns\"", "## Refunds\n\nFive days.\n"),
        ),
    ]);
    site.build();
    let html = site.html("guide/index.html");
    assert_eq!(
        select(&html, ".prose table td, main table td").len(),
        2,
        "table"
    );
    assert!(
        !select(&html, "sup a[href^=\"#\"], .footnote-reference a").is_empty(),
        "footnote"
    );
    assert_eq!(select(&html, "main del").len(), 1, "strikethrough");
    assert_eq!(
        select(&html, "main input[type=checkbox][disabled]").len(),
        2,
        "task list"
    );
    let raw = site.read("guide/index.html");
    assert!(raw.contains('“') && raw.contains('–'), "smart punctuation");
    let ids: Vec<&str> = select(&html, ".prose h2[id]")
        .iter()
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "我的訂單在哪裡",
            "kur-yra-mano-užsakymas",
            "kur-yra-mano-užsakymas-1"
        ]
    );
    let links: Vec<&str> = select(&html, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"/returns/#refunds"), "{links:?}");
    assert!(links.contains(&"/"), "{links:?}");
}

#[test]
fn code_is_highlighted_with_classes_and_the_stylesheet_only_where_needed() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/api.md",
            &page(
                "title = \"API\"",
                "```toml\n[shop]\nname = \"x\"\n```\n\n```ts\nconst a: number = 1;\n```\n",
            ),
        ),
        ("content/plain.md", &page("title = \"Plain\"", "No code.\n")),
    ]);
    site.build();
    let html = site.html("api/index.html");
    for lang in ["toml", "ts"] {
        let block = select(&html, &format!("pre[data-lang={lang}]"));
        assert_eq!(block.len(), 1, "{lang} block");
        assert!(
            !select(&html, &format!("pre[data-lang={lang}] span[class^=hl-]")).is_empty(),
            "{lang} highlighted"
        );
    }
    let stylesheets = |h: &common::Html| -> Vec<String> {
        select(h, "link[rel=stylesheet]")
            .iter()
            .map(|l| l.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert!(
        stylesheets(&html)
            .iter()
            .any(|h| h.contains("/assets/highlight.")),
        "highlight.css linked"
    );
    assert!(
        !stylesheets(&site.html("plain/index.html"))
            .iter()
            .any(|h| h.contains("highlight")),
        "not on pages without code"
    );
}

#[test]
fn faq_questions_are_deep_linkable_with_faqpage_json_ld() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/faq/_index.md",
            "+++\ntitle = \"FAQ\"\npage_kind = \"faq\"\n+++\n",
        ),
        (
            "content/faq/orders.md",
            &page(
                "title = \"Orders\"",
                "Intro text.\n\n## Where is my order?\n\nIt is **on its way**.\n\n## Can I cancel?\n\nWithin an hour.\n",
            ),
        ),
    ]);
    site.build();
    let html = site.html("faq/orders/index.html");
    let question = select(&html, "#where-is-my-order");
    assert_eq!(question.len(), 1, "one element per question id");
    assert!(
        text(&question[0]).contains("on its way"),
        "the answer is inside the targeted element"
    );
    let faq = json_ld(&html)
        .into_iter()
        .find(|j| j["@type"] == "FAQPage")
        .expect("FAQPage JSON-LD");
    let entities = faq["mainEntity"].as_array().unwrap();
    assert_eq!(entities.len(), 2);
    assert_eq!(entities[0]["@type"], "Question");
    assert_eq!(entities[0]["name"], "Where is my order?");
    assert!(
        entities[0]["acceptedAnswer"]["text"]
            .as_str()
            .unwrap()
            .contains("on its way")
    );
    let crumbs = json_ld(&html)
        .into_iter()
        .find(|j| j["@type"] == "BreadcrumbList")
        .expect("BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
}

#[test]
fn site_templates_override_the_theme_and_bodies_are_not_templates() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/a.md",
            &page(
                "title = \"A\"",
                "Literal {{ 1 + 1 }} and {% if true %}x{% endif %}.\n",
            ),
        ),
        (
            "templates/page.html",
            "<!doctype html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title><main id=\"custom\">{{ page.content | safe }}</main></html>",
        ),
    ]);
    site.build();
    let html = site.html("a/index.html");
    let main = select(&html, "main#custom");
    assert_eq!(main.len(), 1, "site template used");
    assert!(
        text(&main[0]).contains("Literal {{ 1 + 1 }} and {% if true %}x{% endif %}."),
        "{}",
        text(&main[0])
    );
}

#[test]
fn a_site_theme_is_picked_by_name() {
    let mut config = common::CONFIG.to_string();
    config.insert_str(0, "theme = \"plain\"\n");
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "themes/plain/templates/index.html",
            "<html lang=\"{{ lang }}\"><p id=\"plain\">{{ section.title }}</p><link rel=stylesheet href=\"{{ assets['site.css'] }}\"></html>",
        ),
        (
            "themes/plain/templates/404.html",
            "<html><p>gone</p></html>",
        ),
        ("themes/plain/static/site.css", "p { color: black }"),
    ]);
    site.write("helpdeck.toml", config);
    site.build();
    let html = site.html("index.html");
    assert_eq!(text(&select(&html, "#plain")[0]), "Help");
    let css = select(&html, "link")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(regex_like_hashed(&css, "/assets/site.", ".css"), "{css}");
    assert!(site.public().join(css.trim_start_matches('/')).is_file());
}

fn regex_like_hashed(url: &str, prefix: &str, suffix: &str) -> bool {
    url.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|hash| hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[test]
fn default_theme_css_is_small_and_hashed() {
    let site = Site::demo();
    site.build();
    let html = site.html("index.html");
    let css = select(&html, "link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .find(|h| h.contains("/assets/style."))
        .expect("theme stylesheet")
        .to_string();
    assert!(regex_like_hashed(&css, "/assets/style.", ".css"), "{css}");
    let size = std::fs::metadata(site.public().join(css.trim_start_matches('/')))
        .unwrap()
        .len();
    assert!(size <= 25 * 1024, "style.css is {size} bytes");
    let external: Vec<_> = select(
        &html,
        "link[href^=http], script[src^=http], link[href^=\"//\"]",
    )
    .iter()
    .filter(|l| !matches!(l.value().attr("rel"), Some("canonical" | "alternate")))
    .map(|l| l.html())
    .collect();
    assert!(
        external.is_empty(),
        "no external fonts or CDNs: {external:?}"
    );
}

#[test]
fn output_is_clean_urls_minified_and_utf8_names() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/grąžinimas.md",
            &page("title = \"Grąžinimas\"", "Text.\n"),
        ),
        (
            "content/index-links.md",
            &page("title = \"Links\"", "[g](@/grąžinimas.md)\n"),
        ),
    ]);
    site.build();
    assert!(
        site.public().join("grąžinimas/index.html").is_file(),
        "UTF-8 folder name"
    );
    let html = site.html("index-links/index.html");
    let hrefs: Vec<&str> = select(&html, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/gr%C4%85%C5%BEinimas/"), "{hrefs:?}");
    let raw = site.read("index-links/index.html");
    assert!(!raw.contains("\n\n"), "minified output has no blank lines");

    let mut config = common::CONFIG.to_string();
    config.insert_str(0, "minify = false\n");
    site.write("helpdeck.toml", config);
    site.build();
    assert!(
        site.read("index-links/index.html").lines().count() > 10,
        "minify = false keeps the template's lines"
    );
}

#[test]
fn rebuild_leaves_no_stale_files_and_keeps_a_marker() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        ("content/old.md", &page("title = \"Old\"", "x\n")),
    ]);
    site.build();
    assert!(site.public().join("old/index.html").is_file());
    std::fs::remove_file(site.root().join("content/old.md")).unwrap();
    site.build();
    assert!(!site.public().join("old").exists(), "stale page removed");
    assert!(site.public().join(".helpdeck-output").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/wip.md",
            &page("title = \"WIP\"\ndraft = true", "x\n"),
        ),
    ]);
    site.build();
    assert!(!site.public().join("wip").exists());
    assert!(site.run(&["build", "--drafts"]).ok());
    assert!(site.public().join("wip/index.html").is_file());
}

#[test]
fn aliases_become_redirect_pages() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/returns.md",
            &page(
                "title = \"Returns\"\naliases = [\"/old-returns/\", \"legacy/returns\"]",
                "x\n",
            ),
        ),
    ]);
    site.build();
    for alias in ["old-returns/index.html", "legacy/returns/index.html"] {
        let html = site.html(alias);
        let refresh = select(&html, "meta[http-equiv=refresh]")[0]
            .value()
            .attr("content")
            .unwrap()
            .to_string();
        assert_eq!(refresh, "0; url=https://help.test.example/returns/");
        assert_eq!(
            select(&html, "link[rel=canonical]")[0].value().attr("href"),
            Some("https://help.test.example/returns/")
        );
    }
}

#[test]
fn sections_default_page_kind_and_policy_facts() {
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/policies/_index.md",
            "+++\ntitle = \"Policies\"\npage_kind = \"policy\"\n+++\n",
        ),
        (
            "content/policies/returns.md",
            &page(
                "title = \"Returns\"\npolicy = \"returns\"\nupdated = 2026-11-01\nsummary = [\"30 days\", \"Free label\"]\n[[changes]]\ndate = 2026-10-01\ntext = \"Window extended\"",
                "## Refunds\n\nFive days.\n",
            ),
        ),
    ]);
    site.build();
    let html = site.html("policies/returns/index.html");
    let time: Vec<_> = select(&html, "main time[datetime=\"2026-11-01\"]");
    assert!(!time.is_empty(), "last updated date shown");
    let body = text(&select(&html, "main")[0]);
    assert!(
        body.contains("30 days") && body.contains("Free label"),
        "summary box"
    );
    assert!(body.contains("Window extended"), "change history");
    let section = site.html("policies/index.html");
    let listed: Vec<String> = select(&section, "main a").iter().map(text).collect();
    assert!(listed.iter().any(|t| t.contains("Returns")), "{listed:?}");
}

#[test]
fn dates_with_offsets_are_shown_in_the_site_time_zone() {
    let mut config = common::CONFIG.to_string();
    config.insert_str(0, "timezone = \"Pacific/Auckland\"\n");
    let site = Site::new(&[
        ("content/_index.md", HOME),
        (
            "content/p.md",
            &page(
                "title = \"P\"\nkind = \"policy\"\nupdated = 2026-11-01T23:30:00-08:00",
                "x\n",
            ),
        ),
        (
            "content/q.md",
            &page(
                "title = \"Q\"\ndate = 2099-01-01",
                "Future dates are not dropped.\n",
            ),
        ),
    ]);
    site.write("helpdeck.toml", config);
    site.build();
    let html = site.html("p/index.html");
    assert!(
        !select(&html, "time[datetime=\"2026-11-02\"]").is_empty(),
        "converted to Auckland's date"
    );
    assert!(site.public().join("q/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\n+++\nsecret\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let site = Site::new(&[("content/_index.md", HOME)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/secret.md"),
    )
    .unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("static/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/dir")).unwrap();
    let run = site.build();
    assert!(!site.public().join("secret").exists());
    assert!(!site.public().join("secret.txt").exists());
    assert!(!site.public().join("dir").exists());
    assert!(run.stderr.contains("symlink"), "warned: {}", run.stderr);
}

/// Elements with their attributes, and text with runs of white space collapsed: what a
/// browser shows, whatever the minifier did to the bytes.
fn dom_outline(html: &str) -> Vec<String> {
    let document = common::Html::parse_document(html);
    let mut outline = Vec::new();
    for node in document.tree.root().descendants() {
        match node.value() {
            scraper::Node::Element(e) => {
                // Values the minifier drops because they are the HTML defaults.
                let defaults = [
                    ("method", "get"),
                    ("type", "text"),
                    ("type", "submit"),
                    ("type", "text/css"),
                    ("type", "text/javascript"),
                ];
                let mut attrs: Vec<String> = e
                    .attrs()
                    .filter(|a| !defaults.contains(a))
                    .map(|(k, v)| format!("{k}={}", unhashed(&v.replace(", ", ","))))
                    .collect();
                attrs.sort();
                outline.push(format!("<{} {}>", e.name(), attrs.join(" ")));
            }
            scraper::Node::Text(t) => {
                let text = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    outline.push(text);
                }
            }
            _ => {}
        }
    }
    outline
}

/// `/assets/style.0123456789ab.css` as `/assets/style.css`: minified assets hash differently.
fn unhashed(value: &str) -> String {
    match value.split_once("/assets/") {
        Some((before, name)) => {
            let parts: Vec<&str> = name.split('.').collect();
            match parts.as_slice() {
                [stem, hash, ext] if hash.len() == 12 => format!("{before}/assets/{stem}.{ext}"),
                _ => value.to_string(),
            }
        }
        None => value.to_string(),
    }
}

/// The theme's published assets by name as written (`style.css`), their bytes.
fn assets_by_name(public: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(public.join("assets"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (
                unhashed(&format!("/assets/{name}"))[8..].to_string(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn minifying_changes_bytes_not_meaning() {
    let minified = Site::demo();
    minified.build();
    let plain = Site::demo();
    let config = std::fs::read_to_string(plain.root().join("helpdeck.toml")).unwrap();
    plain.write("helpdeck.toml", format!("minify = false\n{config}"));
    plain.build();
    let mut compared = 0;
    for (path, bytes) in common::snapshot(&plain.public()) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let small = std::fs::read(minified.public().join(&path)).unwrap();
        assert!(
            small.len() < bytes.len(),
            "{} is not smaller minified",
            path.display()
        );
        let (a, b) = (
            dom_outline(&String::from_utf8_lossy(&bytes)),
            dom_outline(&String::from_utf8_lossy(&small)),
        );
        if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
            panic!(
                "{} differs at node {i}: {:?} vs {:?}",
                path.display(),
                a.get(i),
                b.get(i)
            );
        }
        compared += 1;
    }
    assert_eq!(
        compared, 115,
        "every page, 404, search page, policy updates page, withdrawal form and saved replies page compared"
    );

    // The styles and scripts too; the browser tests run the minified ones.
    let (plain_assets, small_assets) = (
        assets_by_name(&plain.public()),
        assets_by_name(&minified.public()),
    );
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    for name in ["style.css", "search.css", "search.js", "theme.js"] {
        let as_written = std::fs::read(theme.join(name)).unwrap();
        assert_eq!(plain_assets[name], as_written, "{name} as written");
        let small = &small_assets[name];
        assert!(
            small.len() * 10 < as_written.len() * 9,
            "{name}: {} bytes minified of {}",
            small.len(),
            as_written.len()
        );
    }
    for name in ["search.js", "theme.js"] {
        // Comments say why to whoever edits the script; a browser fetches the code alone.
        let small = String::from_utf8_lossy(&small_assets[name]);
        assert!(
            !small.contains("/*") && !small.contains("// "),
            "{name} keeps its comments"
        );
    }
    assert!(
        small_assets["search.js"].starts_with(b"import")
            || String::from_utf8_lossy(&small_assets["search.js"]).contains("export"),
        "still a module"
    );
}

#[test]
fn an_asset_the_minifier_cannot_read_is_published_as_written_with_a_warning() {
    let site = Site::demo();
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    common::copy_tree(&theme, &site.root().join("themes/default"));
    let broken_css = "body { color: red; }\n.a { color: ; }}\n@media {\n";
    site.write("themes/default/static/style.css", broken_css);
    site.write("themes/default/static/theme.js", "let a = ;\n");
    let run = site.build();
    let warning = |prefix: &str| {
        run.stderr
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in:\n{}", run.stderr))
            .to_string()
    };
    assert!(warning("warning: themes/default/static/style.css:2").contains("published as written"));
    assert!(warning("warning: themes/default/static/theme.js:1").contains("published as written"));
    let assets = assets_by_name(&site.public());
    assert_eq!(assets["style.css"], broken_css.as_bytes());
    assert_eq!(assets["theme.js"], b"let a = ;\n");
}
