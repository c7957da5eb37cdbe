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

[withdrawal]
url = "/orders/withdraw/"
label = { lt = "Sutarties atsisakymas" }

# Stand-ins for the lines of the Directive's Lithuanian version.
[withdrawal.form.lt]
title = "LT form title"
instruction = "LT instruction"
to = "LT to"
notice = "LT notice"
dates = "LT dates"
consumer_name = "LT name"
consumer_address = "LT address"
signature = "LT signature"
date = "LT date"
footnote = "LT footnote"
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

/// `[RULE] file:line` of every rule finding (warnings marked so), from the JSON report, and
/// the exit code.
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
            let warning = if f["severity"] == "warning" {
                "warning "
            } else {
                ""
            };
            let line = f["line"]
                .as_u64()
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            Some(format!(
                "{warning}[{rule}] {}{line}",
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
    assert!(
        text.contains("\nEU-ODR: the EU online dispute resolution platform closed on 20 July 2025")
            && text.contains(
                "(Regulation (EU) 2024/3228, repealing Regulation (EU) No 524/2013; docs/rules.md)"
            ),
        "the reason and source follow the findings once: {text}"
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
        [
            "[EU-WITHDRAWAL] data/shop.toml",
            "[EU-WITHDRAWAL] data/shop.toml:3"
        ]
    );
    assert!(
        site.run(&["check", "--rules", "eu"])
            .stdout
            .contains("so the site has no model withdrawal form"),
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
        run.stderr.contains(
            "--rules: unknown rule set `us` (known: eu, gpsr, google, amazon, ebay, none)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_withdrawal_function_is_linked_from_every_page_and_the_returns_policy() {
    let returns =
        "title = \"Returns\"\nkind = \"policy\"\npolicy = \"returns\"\nupdated = 2026-11-01";
    let site = shop(&[
        (
            "content/policies/returns.md",
            &page(returns, "Send it back within 14 days.\n"),
        ),
        (
            "content/policies/returns.lt.md",
            &page(returns, "Grąžinkite per 14 dienų.\n"),
        ),
    ]);
    site.build();
    for (path, label, lang) in [
        ("index.html", "Withdraw from contract here", None),
        ("lt/index.html", "Sutarties atsisakymas", None),
        (
            "policies/returns/index.html",
            "Withdraw from contract here",
            None,
        ),
        (
            "lt/policies/returns/index.html",
            "Sutarties atsisakymas",
            None,
        ),
    ] {
        let html = site.html(path);
        let links = common::select(
            &html,
            "footer .withdrawal a:not(.withdrawal-form-link), .withdrawal-action a.button",
        );
        let expected = if path.contains("returns") { 2 } else { 1 };
        assert_eq!(links.len(), expected, "{path}");
        for link in links {
            assert_eq!(
                link.value().attr("href"),
                Some("/orders/withdraw/"),
                "{path}"
            );
            assert_eq!(common::text(&link), label, "{path}");
            assert_eq!(link.value().attr("lang"), lang, "{path}");
        }
    }
    assert_eq!(rule_findings(&site, &[]).1, Vec::<String>::new());

    // A language without the words shows the English ones, marked as English, and check
    // says which languages need theirs.
    let site = shop(&[(
        "helpdeck.toml",
        &CONFIG.replace("label = { lt = \"Sutarties atsisakymas\" }\n", ""),
    )]);
    site.build();
    let lt_home = site.html("lt/index.html");
    let link = &common::select(&lt_home, "footer .withdrawal a")[0];
    assert_eq!(link.value().attr("href"), Some("/orders/withdraw/"));
    assert_eq!(common::text(link), "Withdraw from contract here");
    assert_eq!(link.value().attr("lang"), Some("en"));
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(0), "a warning");
    assert_eq!(found, ["warning [EU-WITHDRAWAL-FUNCTION] helpdeck.toml:20"]);
    assert!(
        site.run(&["check"])
            .stdout
            .contains("has no `label` for lt, whose pages show")
    );

    // None at all: an error while the EU rules apply.
    let without = CONFIG[..CONFIG.find("[withdrawal]").unwrap()].to_string();
    let site = shop(&[("helpdeck.toml", &without)]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[EU-WITHDRAWAL-FUNCTION] helpdeck.toml",
            "warning [EU-WITHDRAWAL] helpdeck.toml"
        ]
    );
    site.build();
    let home = site.html("index.html");
    assert!(common::select(&home, "footer .withdrawal a:not(.withdrawal-form-link)").is_empty());
    assert_eq!(
        common::select(&home, "footer .withdrawal a").len(),
        1,
        "the form's link stays"
    );

    // A URL that is neither a path nor http(s) fails the build at its line.
    let site = shop(&[(
        "helpdeck.toml",
        &CONFIG.replace("url = \"/orders/withdraw/\"", "url = \"orders/withdraw\""),
    )]);
    let stderr = site.build_fails();
    assert!(
        stderr.contains("helpdeck.toml:21:7: [withdrawal] `url` must be a path on the site"),
        "{stderr}"
    );
}

#[test]
fn the_model_withdrawal_form_is_a_page_of_every_language_addressed_to_the_trader() {
    let returns =
        "title = \"Returns\"\nkind = \"policy\"\npolicy = \"returns\"\nupdated = 2026-11-01";
    let site = shop(&[
        (
            "content/policies/returns.md",
            &page(returns, "Send it back within 14 days.\n"),
        ),
        (
            "content/policies/returns.lt.md",
            &page(returns, "Grąžinkite per 14 dienų.\n"),
        ),
    ]);
    site.build();
    let english = site.html("withdrawal-form/index.html");
    assert_eq!(
        common::text(&common::select(&english, "h1")[0]),
        "Model withdrawal form"
    );
    let lines: Vec<String> = common::select(&english, ".form-lines li")
        .iter()
        .map(common::text)
        .collect();
    assert_eq!(
        lines,
        [
            "To Birch & Co, UAB, Gedimino pr. 1, LT-01103 Vilnius, LT, help@birch.test.example:",
            "I/We (*) hereby give notice that I/We (*) withdraw from my/our (*) contract of sale \
             of the following goods (*)/for the provision of the following service (*),",
            "Ordered on (*)/received on (*),",
            "Name of consumer(s),",
            "Address of consumer(s),",
            "Signature of consumer(s) (only if this form is notified on paper),",
            "Date",
        ]
    );
    assert!(common::select(&english, "article[lang]").is_empty());
    let mailto = common::select(&english, "a[href^='mailto:']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .find(|href| href.contains("subject=Model%20withdrawal%20form"))
        .expect("the form as an email")
        .to_string();
    assert!(
        mailto.starts_with("mailto:help@birch.test.example?"),
        "{mailto}"
    );
    assert!(
        mailto.contains("body=To%20Birch%20%26%20Co%2C%20UAB"),
        "{mailto}"
    );

    // The seller's wording for Lithuanian, in Lithuanian pages.
    let lithuanian = site.html("lt/withdrawal-form/index.html");
    assert_eq!(
        common::text(&common::select(&lithuanian, "h1")[0]),
        "LT form title"
    );
    assert!(
        common::text(&common::select(&lithuanian, ".form-lines li")[0])
            .starts_with("LT to Birch & Co, UAB")
    );
    assert!(common::select(&lithuanian, "article[lang]").is_empty());

    // Every page links the form of its language; the returns policy too.
    for (path, url, title) in [
        ("index.html", "/withdrawal-form/", "Model withdrawal form"),
        ("lt/index.html", "/lt/withdrawal-form/", "LT form title"),
        (
            "policies/returns/index.html",
            "/withdrawal-form/",
            "Model withdrawal form",
        ),
        (
            "lt/policies/returns/index.html",
            "/lt/withdrawal-form/",
            "LT form title",
        ),
    ] {
        let html = site.html(path);
        let links = common::select(&html, "a.withdrawal-form-link");
        let expected = if path.contains("returns") { 2 } else { 1 };
        assert_eq!(links.len(), expected, "{path}");
        for link in links {
            assert_eq!(link.value().attr("href"), Some(url), "{path}");
            assert_eq!(common::text(&link), title, "{path}");
        }
    }

    // Without the seller's Lithuanian wording: the Directive's English, marked so, and a
    // warning naming the language.
    let english_only = CONFIG[..CONFIG.find("# Stand-ins").unwrap()].to_string();
    let site = shop(&[("helpdeck.toml", &english_only)]);
    site.build();
    let lithuanian = site.html("lt/withdrawal-form/index.html");
    assert_eq!(
        common::text(&common::select(&lithuanian, "h1")[0]),
        "Model withdrawal form"
    );
    assert_eq!(common::select(&lithuanian, "article[lang='en']").len(), 1);
    let link = &common::select(&site.html("lt/index.html"), "a.withdrawal-form-link")[0]
        .value()
        .attr("lang")
        .map(str::to_string);
    assert_eq!(link.as_deref(), Some("en"));
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(0), "a warning");
    assert_eq!(found, ["warning [EU-WITHDRAWAL] helpdeck.toml:20"]);
    assert!(
        site.run(&["check"])
            .stdout
            .contains("no [withdrawal.form.<lang>] for lt, whose model withdrawal form shows")
    );

    // A shop EU law does not reach has no form.
    let site = shop(&[
        (
            "helpdeck.toml",
            &english_only.replace("country = \"LT\"", "country = \"US\""),
        ),
        (
            "data/shop.toml",
            &TERMS.replace("[\"LT\", \"LV\"]", "[\"US\"]"),
        ),
    ]);
    site.build();
    assert!(!site.public().join("withdrawal-form").exists());
    assert!(common::select(&site.html("index.html"), "a.withdrawal-form-link").is_empty());
}

#[test]
fn form_wording_for_an_unknown_language_or_with_a_line_left_out_fails_at_its_table() {
    let site = shop(&[(
        "helpdeck.toml",
        &CONFIG.replace("[withdrawal.form.lt]", "[withdrawal.form.de]"),
    )]);
    let stderr = site.build_fails();
    assert!(
        stderr.contains(
            "helpdeck.toml:25:13: [withdrawal.form.de]: `de` is not a configured language (configured: en, lt)"
        ),
        "{stderr}"
    );
    let site = shop(&[(
        "helpdeck.toml",
        &CONFIG.replace("notice = \"LT notice\"", "notice = \" \""),
    )]);
    let stderr = site.build_fails();
    assert!(
        stderr.contains("helpdeck.toml:25:13: [withdrawal.form.lt] `notice` is empty"),
        "{stderr}"
    );
    let site = shop(&[("helpdeck.toml", &CONFIG.replace("date = \"LT date\"\n", ""))]);
    let stderr = site.build_fails();
    assert!(stderr.contains("missing field `date`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A product page's front matter: `extra` goes into `[product]`.
fn product(title: &str, extra: &str) -> String {
    page(
        &format!(
            "title = \"{title}\"\nkind = \"product\"\n[product]\nname = \"{title}\"\nsku = \"BC-1\"\n\
             image = \"/board.svg\"\n{extra}"
        ),
        "A board.\n",
    )
}

#[test]
fn product_pages_name_the_manufacturer_and_warn_in_every_language() {
    let site = shop(&[
        (
            "content/products/board.md",
            &product(
                "Board",
                "manufacturer = \"shop\"\nsafety = [\"Hand-wash only.\"]",
            ),
        ),
        (
            "content/products/board.lt.md",
            &product(
                "Lenta",
                "manufacturer = \"shop\"\nsafety = [\"Plauti tik rankomis.\"]",
            ),
        ),
    ]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!((code, found), (Some(0), Vec::<String>::new()));
    site.build();
    let lithuanian = site.html("lt/products/board/index.html");
    let maker = common::text(&common::select(&lithuanian, ".product-safety .manufacturer")[0]);
    assert!(
        maker.starts_with("Birch & Co, UAB") && maker.contains("help@birch.test.example"),
        "{maker}"
    );
    let warnings: Vec<String> = common::select(&lithuanian, ".safety-warnings li")
        .iter()
        .map(common::text)
        .collect();
    assert_eq!(warnings, ["Plauti tik rankomis."]);

    // Nothing said in English, no Lithuanian page: each a GPSR error at the [product] line.
    let site = shop(&[("content/products/board.md", &product("Board", ""))]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[GPSR] content/products/board.md:4",
            "[GPSR] content/products/board.md:4",
            "[GPSR] content/products/board.md:4",
        ]
    );
    let text = site.run(&["check"]).stdout;
    for what in [
        "[product] names no `manufacturer`",
        "[product] has no `safety`",
        "content/products/board.md has no lt translation",
    ] {
        assert!(text.contains(what), "{what} in {text}");
    }
    assert_eq!(
        rule_findings(&site, &["--rules", "eu"]).1,
        Vec::<String>::new(),
        "GPSR is a profile of its own"
    );

    // A manufacturer outside the EU needs a responsible person in it; an unknown id is
    // reported at its line.
    let terms = format!(
        "{TERMS}\n[manufacturers.far-away]\nname = \"Far Away Ltd\"\naddress = \"1 Road, Town\"\n\
         country = \"US\"\nurl = \"https://far.test.example\"\n"
    );
    let english = product("Board", "manufacturer = \"far-away\"\nsafety = []");
    let site = shop(&[
        ("data/shop.toml", &terms),
        ("content/products/board.md", &english),
        (
            "content/products/board.lt.md",
            &product("Lenta", "manufacturer = \"nobody\"\nsafety = []"),
        ),
    ]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[GPSR] content/products/board.lt.md:8",
            "[GPSR] data/shop.toml:15",
        ]
    );
    let text = site.run(&["check"]).stdout;
    assert!(text.contains("`manufacturer = \"nobody\"` names no [manufacturers.nobody] in data/shop.toml (ids: shop, far-away)"), "{text}");
    assert!(
        text.contains(
            "[manufacturers.far-away] is outside the EU (US) and names no `responsible_person`"
        ),
        "{text}"
    );

    // With one, both pages show it.
    let terms = terms.replace(
        "url = \"https://far.test.example\"\n",
        "url = \"https://far.test.example\"\nresponsible_person = \"eu-rep\"\n\
         [manufacturers.eu-rep]\nname = \"EU Rep, UAB\"\naddress = \"Vilnius\"\ncountry = \"LT\"\n\
         email = \"rep@rep.test.example\"\n",
    );
    let site = shop(&[
        ("data/shop.toml", &terms),
        ("content/products/board.md", &english),
        (
            "content/products/board.lt.md",
            &english.replace("Board", "Lenta"),
        ),
    ]);
    assert_eq!(rule_findings(&site, &[]).1, Vec::<String>::new());
    site.build();
    let html = site.html("lt/products/board/index.html");
    let person = common::text(&common::select(&html, ".product-safety .responsible-person")[0]);
    assert!(person.starts_with("EU Rep, UAB"), "{person}");
}

#[test]
fn a_manufacturer_without_an_electronic_address_fails_the_build_at_its_table() {
    let terms = format!(
        "{TERMS}\n[manufacturers.mill]\nname = \"Mill\"\naddress = \"1 Road\"\ncountry = \"LT\"\n"
    );
    let site = shop(&[("data/shop.toml", &terms)]);
    let stderr = site.build_fails();
    assert!(
        stderr.contains("data/shop.toml:15:1: [manufacturers.mill] has neither `email` nor `url`"),
        "{stderr}"
    );
    let site = shop(&[(
        "data/shop.toml",
        &format!("{terms}email = \"m@mill.test.example\"\nresponsible_person = \"rep\"\n"),
    )]);
    let stderr = site.build_fails();
    assert!(
        stderr.contains("`responsible_person = \"rep\"` names no other [manufacturers.<id>] entry (others: none)"),
        "{stderr}"
    );
}

#[test]
fn every_languages_returns_and_shipping_policy_states_what_google_is_told() {
    let returns = "title = \"Returns\"\npolicy = \"returns\"\nupdated = 2026-11-01";
    let shipping = "title = \"Shipping\"\npolicy = \"shipping\"\nupdated = 2026-11-01";
    let site = shop(&[
        (
            "content/policies/returns.md",
            &page(
                returns,
                "Return within {{ fact(key=\"shop.returns.window_days\") }} days.\n",
            ),
        ),
        (
            "content/policies/returns.lt.md",
            &page(returns, "Grąžinti galima per 14 dienų.\n"),
        ),
        (
            "content/policies/shipping.md",
            &page(shipping, "We ship within 2 business days.\n"),
        ),
        (
            "content/policies/shipping.lt.md",
            &page(
                shipping,
                "Išsiunčiame per {{ fact(key=\"shop.shipping.processing_days\") }} d. d.\n",
            ),
        ),
    ]);
    assert_eq!(rule_findings(&site, &[]), (Some(0), Vec::<String>::new()));

    // The Lithuanian returns policy says 30 days where Google is told 14; the English
    // shipping policy states no processing time at all.
    let site = shop(&[
        (
            "content/policies/returns.md",
            &page(
                returns,
                "Return within {{ fact(key=\"shop.returns.window_days\") }} days.\n",
            ),
        ),
        (
            "content/policies/returns.lt.md",
            &page(returns, "Grąžinti galima per 30 dienų.\n"),
        ),
        (
            "content/policies/shipping.md",
            &page(shipping, "We ship fast.\n"),
        ),
    ]);
    let (code, found) = rule_findings(&site, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        [
            "[GOOGLE-RETURN] content/policies/returns.lt.md",
            "[GOOGLE-SHIPPING] content/policies/shipping.md",
        ]
    );
    let text = site.run(&["check"]).stdout;
    assert!(
        text.contains("the returns policy (lt) never states the 14 days that data/shop.toml gives"),
        "{text}"
    );
    assert!(
        text.contains("the shipping policy (en) never states the 2 business days"),
        "{text}"
    );
    assert_eq!(
        rule_findings(&site, &["--rules", "eu"]).1,
        Vec::<String>::new(),
        "google is a profile of its own"
    );

    // No processing days in the facts: Google is told no shipping policy, a warning.
    let site = shop(&[
        (
            "data/shop.toml",
            &TERMS.replace("processing_days = 2\n", ""),
        ),
        (
            "content/policies/shipping.md",
            &page(shipping, "We ship fast.\n"),
        ),
    ]);
    assert_eq!(
        rule_findings(&site, &[]).1,
        ["warning [GOOGLE-SHIPPING] data/shop.toml"]
    );
}

#[test]
fn marketplace_minimums_apply_when_named_with_their_source() {
    let to_germany = TERMS.replace("[\"LT\", \"LV\"]", "[\"LT\", \"LV\", \"DE\"]");
    let site = shop(&[("data/shop.toml", &to_germany)]);
    let (code, found) = rule_findings(&site, &["--rules", "amazon"]);
    assert_eq!(code, Some(1));
    assert_eq!(found, ["[AMAZON-RETURN-WINDOW] data/shop.toml:3"]);
    let text = site.run(&["check", "--rules", "amazon"]).stdout;
    assert!(
        text.contains("the return window is 14 days; selling on amazon to DE asks for at least 30 (Amazon Seller Central Help"),
        "{text}"
    );
    assert_eq!(
        rule_findings(&site, &[]).1,
        Vec::<String>::new(),
        "only when named"
    );
    assert_eq!(
        rule_findings(&site, &["--rules", "ebay"]).1,
        Vec::<String>::new()
    );

    let short = to_germany.replace("window_days = 14", "window_days = 10");
    let site = shop(&[("data/shop.toml", &short)]);
    assert_eq!(
        rule_findings(&site, &["--rules", "ebay"]).1,
        ["[EBAY-RETURN-WINDOW] data/shop.toml:3"]
    );

    // A site's own entries replace helpdeck's for the marketplace they list.
    let site = shop(&[(
        "data/marketplace_minimums.toml",
        "[[amazon]]\ncountries = [\"LT\"]\ndays = 21\nsource = \"our contract\"\n",
    )]);
    let text = site.run(&["check", "--rules", "amazon"]).stdout;
    assert!(
        text.contains("selling on amazon to LT asks for at least 21 (our contract)"),
        "{text}"
    );
    let site = shop(&[(
        "data/marketplace_minimums.toml",
        "[[amazon]]\ncountries = [\"LT\"]\ndays = \"a month\"\nsource = \"x\"\n",
    )]);
    let (code, found) = rule_findings(&site, &["--rules", "amazon"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        found,
        ["[AMAZON-RETURN-WINDOW] data/marketplace_minimums.toml"]
    );
}
