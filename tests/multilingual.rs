//! Every page in every language: fallbacks, hreflang and the sitemap across languages.

mod common;

use common::{Site, page, select, text};

fn site_with_missing_translation() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        (
            "content/_index.lt.md",
            "+++\ntitle = \"Pagalba\"\n+++\nSveiki.\n",
        ),
        (
            "content/policies/_index.md",
            "+++\ntitle = \"Policies\"\n+++\n",
        ),
        (
            "content/policies/returns.md",
            &page(
                "title = \"Returns\"",
                "## Refunds\n\nSee [shipping](@/policies/shipping.md).\n",
            ),
        ),
        (
            "content/policies/shipping.md",
            &page("title = \"Shipping\"", "Fast.\n"),
        ),
        (
            "content/policies/shipping.lt.md",
            &page(
                "title = \"Pristatymas\"\nslug = \"pristatymas\"",
                "Greitai.\n",
            ),
        ),
    ])
}

#[test]
fn a_missing_translation_falls_back_with_a_notice_and_canonical() {
    let site = site_with_missing_translation();
    site.build();
    // Neither the Lithuanian section nor the returns page exist: both are generated.
    let html = site.html("lt/policies/returns/index.html");
    assert_eq!(
        select(&html, "html")[0].value().attr("lang"),
        Some("lt"),
        "the page is in the visitor's language"
    );
    let notice = &select(&html, "main > .container > .fallback-notice[role=note]")[0];
    assert_eq!(
        text(notice),
        "Šis puslapis dar neišverstas į lietuvių kalbą, todėl rodomas anglų kalba.",
        "the languages named as a Lithuanian writes them, inside the main landmark"
    );
    assert_eq!(notice.value().attr("lang"), Some("lt"));
    let main = &select(&html, "main")[0];
    assert_eq!(
        main.value().attr("lang"),
        Some("en"),
        "the content carries its real language"
    );
    assert!(text(main).contains("Refunds"));
    let canonical = select(&html, "link[rel=canonical]")[0]
        .value()
        .attr("href")
        .unwrap();
    assert_eq!(canonical, "https://help.test.example/policies/returns/");
    assert!(
        select(&html, "link[rel=alternate][hreflang=lt]").is_empty(),
        "no hreflang for a fallback"
    );
    // Links inside fallback content lead to the visitor's language where it exists.
    let links: Vec<&str> = select(&html, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"/lt/policies/pristatymas/"), "{links:?}");
    assert!(
        site.public().join("lt/policies/index.html").is_file(),
        "section fallback"
    );
}

#[test]
fn a_fallback_notice_names_languages_only_where_the_theme_knows_their_names() {
    let site = Site::new(&[
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        ("content/_index.et.md", "+++\ntitle = \"Abi\"\n+++\n"),
        ("content/_index.pl.md", "+++\ntitle = \"Pomoc\"\n+++\n"),
        (
            "content/returns.md",
            &page("title = \"Returns\"", "Refunds.\n"),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        "title = \"Help\"\nbase_url = \"https://help.test.example\"\ndefault_language = \"en\"\n\
         [languages.en]\n[languages.pl]\n[languages.et]\n",
    );
    site.build();
    let notice = |path: &str| text(&select(&site.html(path), ".fallback-notice")[0]);
    assert_eq!(
        notice("pl/returns/index.html"),
        "Ta strona nie jest jeszcze dostępna w języku polskim, dlatego wyświetlamy ją w języku angielskim."
    );
    assert_eq!(
        notice("et/returns/index.html"),
        "This page is not yet available in this language, so it is shown in its original language.",
        "no UI strings name Estonian: the sentence that names no language"
    );

    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    site.write(
        "helpdeck.toml",
        config.replace(
            "[languages.et]\n",
            "[languages.et]\nstrings = { fallback_notice = \"Seda lehte pole veel {language} keeles, see on {original} keeles.\", language_name_et = \"eesti\", language_name_en = \"inglise\" }\n",
        ),
    );
    site.build();
    assert_eq!(
        notice("et/returns/index.html"),
        "Seda lehte pole veel eesti keeles, see on inglise keeles."
    );
}

#[test]
fn fallbacks_stay_out_of_the_sitemap_but_translations_pair_up() {
    let site = site_with_missing_translation();
    site.build();
    let sitemap = site.read("sitemap.xml");
    assert!(
        !sitemap.contains("<loc>https://help.test.example/lt/policies/returns/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://help.test.example/lt/policies/pristatymas/</loc>"));
    let html = site.html("lt/policies/pristatymas/index.html");
    let hreflangs: Vec<&str> = select(&html, "link[rel=alternate][hreflang]")
        .iter()
        .filter_map(|l| l.value().attr("hreflang"))
        .collect();
    assert_eq!(hreflangs, ["en", "lt", "x-default"]);
    assert!(select(&html, ".fallback-notice").is_empty());
}

#[test]
fn the_switcher_leads_to_the_same_page_in_every_language() {
    let site = site_with_missing_translation();
    site.build();
    let html = site.html("policies/returns/index.html");
    let targets: Vec<&str> = select(&html, "a[hreflang]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        targets.contains(&"/lt/policies/returns/"),
        "switcher goes to the fallback: {targets:?}"
    );
}

#[test]
fn counts_follow_cldr_plural_rules() {
    let mut files = vec![
        ("helpdeck.toml".to_string(), "title = \"Pomoc\"\nbase_url = \"https://a.example\"\ndefault_language = \"pl\"\n[languages.lt]\ntitle = \"Pagalba\"\n[languages.zh-Hant]\ntitle = \"幫助\"\n".to_string()),
        ("content/_index.md".into(), page("title = \"Pomoc\"", "")),
        ("content/_index.lt.md".into(), page("title = \"Pagalba\"", "")),
        ("content/_index.zh-Hant.md".into(), page("title = \"幫助\"", "")),
    ];
    for (section, count) in [
        ("one", 1),
        ("two", 2),
        ("five", 5),
        ("twelve", 12),
        ("twentytwo", 22),
    ] {
        files.push((
            format!("content/{section}/_index.md"),
            page(&format!("title = \"{section}\""), ""),
        ));
        for n in 0..count {
            files.push((
                format!("content/{section}/p{n}.md"),
                page("title = \"p\"", ""),
            ));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Site::new(&refs);
    site.write("helpdeck.toml", &files[0].1);
    site.build();
    let count = |path: &str| text(&select(&site.html(path), ".page-meta")[0]);
    assert_eq!(count("one/index.html"), "1 artykuł");
    assert_eq!(count("two/index.html"), "2 artykuły");
    assert_eq!(count("five/index.html"), "5 artykułów");
    assert_eq!(count("twentytwo/index.html"), "22 artykuły");
    assert_eq!(count("lt/one/index.html"), "1 straipsnis");
    assert_eq!(count("lt/two/index.html"), "2 straipsniai");
    assert_eq!(count("lt/twelve/index.html"), "12 straipsnių");
    assert_eq!(count("lt/twentytwo/index.html"), "22 straipsniai");
    assert!(count("zh-Hant/five/index.html").contains('5'));
}

#[test]
fn dates_are_written_the_way_each_language_writes_them() {
    let config = "title = \"Help\"\nbase_url = \"https://a.example\"\ndefault_language = \"lt\"\n[languages.pl]\ntitle = \"P\"\n[languages.zh-Hant]\ntitle = \"Z\"\n[languages.ms]\ntitle = \"M\"\n";
    let policy = |title: &str| {
        page(
            &format!("title = \"{title}\"\nkind = \"policy\"\nupdated = 2026-11-22"),
            "Text.\n",
        )
    };
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Pagalba\"", "")),
        ("content/returns.md", &policy("Grąžinimas")),
        ("content/returns.pl.md", &policy("Zwroty")),
        ("content/returns.zh-Hant.md", &policy("退貨")),
        ("content/returns.ms.md", &policy("Pemulangan")),
    ]);
    site.write("helpdeck.toml", config);
    site.build();
    for (path, expected) in [
        ("returns/index.html", "2026 m. lapkričio 22 d."),
        ("pl/returns/index.html", "22 listopada 2026"),
        ("zh-Hant/returns/index.html", "2026年11月22日"),
        ("ms/returns/index.html", "22 November 2026"),
    ] {
        let html = site.html(path);
        let shown = text(&select(&html, "main time[datetime=\"2026-11-22\"]")[0]);
        assert_eq!(shown, expected, "{path}");
    }
}

#[test]
fn nfd_and_nfc_file_names_are_one_page() {
    let nfd = "gra\u{0328}z\u{030c}inimas"; // "grąžinimas" as macOS writes it
    let site = Site::new(&[
        (
            "content/_index.md",
            &page("title = \"Help\"", "[link](@/grąžinimas.md)\n"),
        ),
        (
            &format!("content/{nfd}.md"),
            &page("title = \"Grąžinimas\"", "Text.\n"),
        ),
    ]);
    site.build();
    assert!(
        site.public().join("grąžinimas/index.html").is_file(),
        "written under the NFC name"
    );
    let links: Vec<String> = select(&site.html("index.html"), "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(String::from)
        .collect();
    assert!(
        links.contains(&"/gr%C4%85%C5%BEinimas/".to_string()),
        "{links:?}"
    );
    site.write(
        "content/grąžinimas.md",
        page("title = \"Again\"", "Text.\n"),
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("same page"), "{stderr}");
}

#[test]
fn right_to_left_languages_get_dir_rtl() {
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "")),
        (
            "content/returns.ar.md",
            &page("title = \"الإرجاع\"", "نص.\n"),
        ),
    ]);
    let mut config = common::CONFIG.to_string();
    config.push_str("[languages.ar]\ntitle = \"مركز المساعدة\"\n");
    site.write("helpdeck.toml", config);
    site.build();
    let html = site.html("ar/returns/index.html");
    let root = &select(&html, "html")[0];
    assert_eq!(
        (root.value().attr("lang"), root.value().attr("dir")),
        (Some("ar"), Some("rtl"))
    );
    assert!(
        !site.public().join("returns").exists(),
        "a page only in Arabic exists only there"
    );
    let fallback = site.html("ar/index.html");
    let main = &select(&fallback, "main")[0];
    assert_eq!(
        (main.value().attr("lang"), main.value().attr("dir")),
        (Some("en"), Some("ltr")),
        "English content reads left to right"
    );
    let english = site.html("index.html");
    assert_eq!(select(&english, "html")[0].value().attr("dir"), Some("ltr"));
}

#[test]
fn a_regional_language_falls_back_to_its_base_language_first() {
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "")),
        (
            "content/returns.md",
            &page("title = \"Returns\"", "English.\n"),
        ),
        (
            "content/returns.pt.md",
            &page("title = \"Devoluções\"", "Português.\n"),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        "title = \"Help\"\nbase_url = \"https://a.example\"\n[languages.pt]\ntitle = \"Ajuda\"\n[languages.pt-BR]\ntitle = \"Ajuda\"\n",
    );
    site.build();
    let html = site.html("pt-BR/returns/index.html");
    let main = &select(&html, "main")[0];
    assert_eq!(main.value().attr("lang"), Some("pt"));
    assert!(text(main).contains("Português"));
    assert_eq!(
        select(&html, "link[rel=canonical]")[0].value().attr("href"),
        Some("https://a.example/pt/returns/")
    );
}

#[test]
fn language_tags_are_checked_and_one_slug_may_serve_two_languages() {
    let site = Site::new(&[("content/_index.md", &page("title = \"Help\"", ""))]);
    site.write(
        "helpdeck.toml",
        "title = \"H\"\nbase_url = \"https://a.example\"\n[languages.en_GB]\ntitle = \"x\"\n",
    );
    let stderr = site.build_fails();
    assert!(
        stderr.contains("helpdeck.toml:3") && stderr.contains("`en_GB` is not a valid BCP 47"),
        "{stderr}"
    );

    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "")),
        ("content/a.md", &page("title = \"A\"\nslug = \"same\"", "")),
        (
            "content/a.lt.md",
            &page("title = \"A\"\nslug = \"same\"", ""),
        ),
    ]);
    site.build();
    assert!(
        site.public().join("same/index.html").is_file()
            && site.public().join("lt/same/index.html").is_file()
    );
}

/// Pages only in English, shown in Lithuanian and Polish by fallbacks: one with nothing that
/// depends on the language, one with a fact and one with an `@/` link.
fn site_of_fallbacks() -> Site {
    let site = Site::new(&[
        ("data/policy.toml", "[shipping]\nweight_limit_kg = 1234.5\n"),
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        ("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n"),
        (
            "content/guides/plain.md",
            &page(
                "title = \"Plain\"",
                "## Care\n\nOil the *oak* once a year.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            ),
        ),
        (
            "content/guides/weight.md",
            &page(
                "title = \"Weight\"",
                "Parcels up to {{ fact(key=\"policy.shipping.weight_limit_kg\") }} kg.\n",
            ),
        ),
        (
            "content/guides/linked.md",
            &page("title = \"Linked\"", "See [plain](@/guides/plain.md).\n"),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        "title = \"Shop\"\nbase_url = \"https://help.test.example\"\n\
         default_language = \"en\"\n[languages.en]\n[languages.lt]\n[languages.pl]\n",
    );
    site
}

#[test]
fn a_fallback_shows_its_original_rendered_for_its_own_language() {
    let site = site_of_fallbacks();
    site.build();
    let prose = |path: &str| select(&site.html(path), ".prose")[0].inner_html();
    // Nothing in the text depends on the language: the same HTML as the original.
    let plain = prose("guides/plain/index.html");
    assert!(
        plain.contains("<em>oak</em>") && plain.contains("<table"),
        "{plain}"
    );
    assert_eq!(prose("lt/guides/plain/index.html"), plain);
    assert_eq!(prose("pl/guides/plain/index.html"), plain);
    // A fact is written the way the fallback's language writes numbers.
    for (path, weight) in [
        ("guides/weight/index.html", "1,234.5"),
        ("lt/guides/weight/index.html", "1\u{a0}234,5"),
        ("pl/guides/weight/index.html", "1234,5"),
    ] {
        let paragraph = text(&select(&site.html(path), ".prose p")[0]);
        assert_eq!(paragraph, format!("Parcels up to {weight} kg."), "{path}");
    }
    // A link leads to the page in the fallback's language.
    for (path, href) in [
        ("guides/linked/index.html", "/guides/plain/"),
        ("lt/guides/linked/index.html", "/lt/guides/plain/"),
        ("pl/guides/linked/index.html", "/pl/guides/plain/"),
    ] {
        let html = site.html(path);
        let link = select(&html, ".prose a")[0].value().attr("href");
        assert_eq!(link, Some(href), "{path}");
    }
}
