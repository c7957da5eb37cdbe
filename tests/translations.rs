//! The translator's workflow: `translate`, `translations` and `translations --mark`.

mod common;

use common::{Site, page};

fn shop() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        (
            "content/returns.md",
            &page(
                "title = \"Returns\"\n[extra]\nx = 1",
                "You have 14 days to return an item.\n",
            ),
        ),
        (
            "content/shipping.md",
            &page("title = \"Shipping\"", "We ship in 2 days.\n"),
        ),
    ])
}

fn report(site: &Site) -> serde_json::Value {
    let run = site.run(&["translations", "--format", "json"]);
    assert!(run.ok(), "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON report")
}

fn status_of<'a>(report: &'a serde_json::Value, translation: &str) -> &'a serde_json::Value {
    report[0]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["translation"] == translation)
        .expect(translation)
}

#[test]
fn translate_mark_edit_and_see_the_diff() {
    let site = shop();
    site.git(&["init", "-q"]);
    site.git(&["add", "-A"]);
    site.git(&["commit", "-qm", "first"]);

    let before = report(&site);
    assert_eq!(before[0]["lang"], "lt");
    assert_eq!(before[0]["missing"], 3, "{before}");
    assert_eq!(
        status_of(&before, "content/returns.lt.md")["status"],
        "missing"
    );

    let created = site.run(&["translate", "lt", "returns.md"]);
    assert!(created.ok(), "{}", created.stderr);
    let text = std::fs::read_to_string(site.root().join("content/returns.lt.md")).unwrap();
    assert!(
        text.contains("You have 14 days"),
        "source text to translate"
    );
    assert!(text.contains("source_hash = \""), "{text}");
    assert!(
        text.find("source_hash").unwrap() < text.find("[extra]").unwrap(),
        "the hash is not put inside [extra]"
    );
    assert!(
        site.run(&["translate", "lt", "returns.md"]).code == Some(1),
        "never overwrites a translation"
    );

    site.write(
        "content/returns.lt.md",
        text.replace(
            "You have 14 days to return an item.",
            "Grąžinti galite per 14 dienų.",
        ),
    );
    let after = report(&site);
    assert_eq!(
        status_of(&after, "content/returns.lt.md")["status"],
        "current"
    );
    assert_eq!(after[0]["current"], 1);
    site.build();
    site.git(&["add", "-A"]);
    site.git(&["commit", "-qm", "translated"]);

    site.write(
        "content/returns.md",
        page(
            "title = \"Returns\"\n[extra]\nx = 1",
            "You have 30 days to return an item.\n",
        ),
    );
    let outdated = report(&site);
    let returns = status_of(&outdated, "content/returns.lt.md");
    assert_eq!(returns["status"], "outdated");
    let diff = returns["changes"].as_str().unwrap();
    assert!(
        diff.contains("-You have 14 days") && diff.contains("+You have 30 days"),
        "{diff}"
    );
    let text_report = site.run(&["translations", "--lang", "lt"]);
    assert!(
        text_report
            .stdout
            .starts_with("lt: 2 missing, 0 untranslated, 0 machine drafts, 1 outdated, 0 current"),
        "{}",
        text_report.stdout
    );

    let marked = site.run(&["translations", "--mark", "lt", "content/returns.md"]);
    assert!(marked.ok(), "{}", marked.stderr);
    assert_eq!(
        status_of(&report(&site), "content/returns.lt.md")["status"],
        "current"
    );
}

#[test]
fn a_translation_still_its_sources_text_is_shown_as_not_yet_translated() {
    let site = shop();
    let created = site.run(&["translate", "lt", "returns.md"]);
    assert!(created.ok(), "{}", created.stderr);
    assert!(
        created.stdout.contains("shown as not yet translated"),
        "{}",
        created.stdout
    );
    let untranslated = report(&site);
    assert_eq!(
        status_of(&untranslated, "content/returns.lt.md")["status"],
        "untranslated"
    );
    assert_eq!(
        (
            untranslated[0]["untranslated"].as_u64(),
            untranslated[0]["current"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // Published as what it is: the English page with the notice, not a Lithuanian page.
    site.build();
    let lt = site.html("lt/returns/index.html");
    assert_eq!(common::select(&lt, ".fallback-notice").len(), 1);
    assert_eq!(
        common::select(&lt, "main")[0].value().attr("lang"),
        Some("en")
    );
    let en = site.html("returns/index.html");
    let alternates: Vec<_> = common::select(&en, "link[rel=alternate][hreflang]")
        .iter()
        .filter_map(|l| l.value().attr("hreflang").map(str::to_string))
        .collect();
    assert!(!alternates.contains(&"lt".to_string()), "{alternates:?}");
    let check = site.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("content/returns.lt.md: translation not started"),
        "{}",
        check.stdout
    );
    // Once the translator changes the text, it is the language's page.
    let text = std::fs::read_to_string(site.root().join("content/returns.lt.md")).unwrap();
    site.write(
        "content/returns.lt.md",
        text.replace(
            "You have 14 days to return an item.",
            "Grąžinti galite per 14 dienų.",
        ),
    );
    site.build();
    let lt = site.html("lt/returns/index.html");
    assert!(common::select(&lt, ".fallback-notice").is_empty());
    assert_eq!(
        status_of(&report(&site), "content/returns.lt.md")["status"],
        "current"
    );
}

#[test]
fn outside_git_an_outdated_page_says_it_changed() {
    let site = shop();
    assert!(site.run(&["translate", "lt", "shipping.md"]).ok());
    let copy = std::fs::read_to_string(site.root().join("content/shipping.lt.md")).unwrap();
    site.write(
        "content/shipping.lt.md",
        copy.replace("We ship in 2 days.", "Išsiunčiame per 2 dienas."),
    );
    site.write(
        "content/shipping.md",
        page("title = \"Shipping\"", "We ship in 1 day.\n"),
    );
    let report = report(&site);
    let shipping = status_of(&report, "content/shipping.lt.md");
    assert_eq!(shipping["status"], "outdated");
    assert!(
        shipping["changes"].as_str().unwrap().contains("changed"),
        "{shipping}"
    );
}

#[test]
fn unknown_languages_and_pages_are_errors() {
    let site = shop();
    let run = site.run(&["translate", "xx", "returns.md"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("`xx`") && run.stderr.contains("lt"),
        "{}",
        run.stderr
    );
    let run = site.run(&["translate", "lt", "nope.md"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("content/nope.md"), "{}", run.stderr);
    let run = site.run(&["translations", "--lang", "xx"]);
    assert_eq!(run.code, Some(1));
}

#[test]
fn the_demo_is_fully_translated() {
    let site = Site::demo();
    let run = site.run(&["translations"]);
    assert!(run.ok(), "{}", run.stderr);
    for lang in ["lt", "pl", "zh-Hant", "ms"] {
        assert!(
            run.stdout.contains(&format!(
                "{lang}: 0 missing, 0 untranslated, 0 machine drafts, 0 outdated, 18 current"
            )),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn missing_ui_strings_are_listed_per_language() {
    let site = shop();
    let mut config = common::CONFIG.to_string();
    config.push_str("[languages.lv]\ntitle = \"Palīdzība\"\nstrings = { home = \"Sākums\" }\n[languages.pt-BR]\ntitle = \"Ajuda\"\n");
    site.write("helpdeck.toml", config);
    let report = report(&site);
    let by_lang = |lang: &str| {
        report
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["lang"] == lang)
            .unwrap()["missing_strings"]
            .clone()
    };
    assert_eq!(
        by_lang("lt"),
        serde_json::json!([]),
        "the theme speaks Lithuanian"
    );
    assert_eq!(
        by_lang("pt-BR"),
        serde_json::json!([]),
        "pt-BR is covered by pt"
    );
    let latvian: Vec<String> = serde_json::from_value(by_lang("lv")).unwrap();
    assert!(latvian.contains(&"contact_us".to_string()), "{latvian:?}");
    assert!(
        !latvian.contains(&"home".to_string()),
        "overridden in the config"
    );
    assert!(
        !latvian.iter().any(|k| k.ends_with("_one")),
        "only `_other` is required of counted strings"
    );
    let text = site.run(&["translations", "--lang", "lv"]).stdout;
    assert!(
        text.contains("missing UI strings: ") && text.contains("contact_us"),
        "{text}"
    );
}
