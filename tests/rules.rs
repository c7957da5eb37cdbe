//! `helpdeck check`'s policy rules (docs/rules.md): for each, a shop in two languages that
//! passes and one that breaks it, reported with file, line and rule ID; the rules apply by
//! the shop's countries unless `--rules` says otherwise.

mod common;

use common::{Site, page};

const CONFIG: &str = r#"
title = "Test Shop Help"
base_url = "https://help.test.example"
default_language = "en"
[languages.en]
[languages.lt]

[shop]
legal_name = "Birch & Co, UAB"

[shop.address]
street = "Gedimino pr. 1"
postcode = "LT-01103"
city = "Vilnius"
country = "LT"

[contact]
email = "help@birch.test.example"
"#;

const TERMS: &str = r#"
[returns]
window_days = 14

[shipping]
processing_days = 2

[[shipping.zones]]
id = "home"
name = "Home"
countries = ["LT", "LV"]
price = { amount = 3, currency = "EUR" }
days = 2
"#;

fn shop(files: &[(&str, &str)]) -> Site {
    let mut all = vec![
        ("helpdeck.toml", CONFIG),
        ("data/shop.toml", TERMS),
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        (
            "content/_index.lt.md",
            "+++\ntitle = \"Pagalba\"\n+++\nSveiki.\n",
        ),
    ];
    for (path, text) in files {
        all.retain(|(p, _)| p != path);
        all.push((path, text));
    }
    Site::new(&all)
}

/// `[RULE] file:line` of every rule finding, from the JSON report, and the exit code.
fn rule_findings(site: &Site, extra: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    let run = site.run(&args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", run.stdout, run.stderr));
    let found = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| {
            let rule = f["rule"].as_str()?;
            assert_eq!(f["severity"], "error", "{f}");
            let line = f["line"]
                .as_u64()
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            Some(format!(
                "[{rule}] {}{line}",
                f["file"].as_str().unwrap_or("")
            ))
        })
        .collect();
    (run.code, found)
}

#[test]
fn a_shop_that_follows_the_eu_rules_passes_them() {
    let (code, found) = rule_findings(&shop(&[]), &[]);
    assert_eq!(found, Vec::<String>::new());
    assert_eq!(code, Some(0));
}

#[test]
fn a_link_to_or_a_mention_of_the_closed_odr_platform_is_an_error_in_any_language() {
    let site = shop(&[
        (
            "content/policies/disputes.lt.md",
            &page(
                "title = \"Ginčai\"",
                "Skundus galite pateikti\n[EGS platformoje](https://ec.europa.eu/consumers/odr/main/?event=main.home2.show).\n",
            ),
        ),
        (
            "content/policies/disputes.md",
            &page(
                "title = \"Disputes\"",
                "We do not take part.\n\nYou may also use the EU ODR platform.\n",
            ),
        ),
    ]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[EU-ODR] content/policies/disputes.lt.md:5",
            "[EU-ODR] content/policies/disputes.md:6",
        ]
    );
    let text = site.run(&["check"]).stdout;
    assert!(
        text.contains("error[EU-ODR]: content/policies/disputes.lt.md:5: links to the EU online dispute resolution platform, which closed on 20 July 2025"),
        "{text}"
    );
}

#[test]
fn the_trader_must_be_named_with_an_address_and_an_email() {
    let config = CONFIG
        .replace("legal_name = \"Birch & Co, UAB\"\n", "name = \"Birch\"\n")
        .replace("city = \"Vilnius\"\n", "")
        .replace("email = \"help@birch.test.example\"\n", "");
    let site = shop(&[("helpdeck.toml", &config)]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[EU-TRADER] helpdeck.toml:8",
            "[EU-TRADER] helpdeck.toml:8",
            "[EU-TRADER] helpdeck.toml:8",
        ]
    );
    let text = site.run(&["check"]).stdout;
    for what in [
        "[shop] has no `legal_name`",
        "[shop.address] has no city",
        "[contact] has no `email`",
    ] {
        assert!(text.contains(what), "{what} in {text}");
    }

    // A site's own footer that leaves the trader out.
    let site = shop(&[(
        "templates/partials/footer.html",
        "<footer class=\"site-footer\">{{ site.title }}</footer>",
    )]);
    let (_, found) = rule_findings(&site, &[]);
    assert_eq!(found, ["[EU-TRADER] templates/"]);
}

#[test]
fn a_withdrawal_period_under_fourteen_days_is_an_error_at_its_line() {
    let site = shop(&[(
        "data/shop.toml",
        &TERMS.replace("window_days = 14", "window_days = 10"),
    )]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(found, ["[EU-WITHDRAWAL] data/shop.toml:3"]);
    assert!(
        site.run(&["check"])
            .stdout
            .contains("the return window is 10 days")
    );

    let site = shop(&[("data/shop.toml", &TERMS.replace("window_days = 14\n", ""))]);
    let (_, found) = rule_findings(&site, &[]);
    assert_eq!(found, ["[EU-WITHDRAWAL] data/shop.toml"]);
}

#[test]
fn eu_rules_follow_the_shops_countries_unless_rules_are_named() {
    // A shop that neither ships to nor is in a member state, with a short window.
    let config = CONFIG.replace("country = \"LT\"", "country = \"US\"");
    let terms = TERMS
        .replace("[\"LT\", \"LV\"]", "[\"US\", \"CA\"]")
        .replace("window_days = 14", "window_days = 7");
    let site = shop(&[("helpdeck.toml", &config), ("data/shop.toml", &terms)]);
    assert_eq!(rule_findings(&site, &[]).1, Vec::<String>::new());
    assert_eq!(
        rule_findings(&site, &["--rules", "eu"]).1,
        ["[EU-WITHDRAWAL] data/shop.toml:3"]
    );

    let eu_shop = shop(&[(
        "data/shop.toml",
        &TERMS.replace("window_days = 14", "window_days = 7"),
    )]);
    assert_eq!(
        rule_findings(&eu_shop, &["--rules", "none"]).1,
        Vec::<String>::new()
    );

    let run = eu_shop.run(&["check", "--rules", "us"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr
            .contains("--rules: unknown rule set `us` (known: eu, none)"),
        "{}",
        run.stderr
    );
}
