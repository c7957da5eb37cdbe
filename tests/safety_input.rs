//! Hostile values in the site's own files: a link that would run script, from any field of
//! front matter, `helpdeck.toml`, a data file or a shortcode, in any spelling a browser
//! accepts; numbers that are not finite and currencies that are not; files with old Mac line
//! endings. Each is refused, or read, before anything is written, with file, line and key.

mod common;

use common::*;

/// A script link as a TOML string, in the spellings a browser reads as one: any case, spaces
/// and control characters around it, tabs and newlines inside it; and the other schemes that
/// run or embed a document.
const SCRIPT_LINKS: &[&str] = &[
    r#""javascript:alert(1)""#,
    r#"" JAVASCRIPT:alert(1)""#,
    r#""JaVaScRiPt:alert(1)""#,
    r#""java\tscript:alert(1)""#,
    r#""java\nscript:alert(1)""#,
    r#""\u0001javascript:alert(1)""#,
    r#""data:text/html,<script>alert(1)</script>""#,
    r#""vbscript:msgbox(1)""#,
];

/// Links a page may have, which must build as written.
const GOOD_LINKS: &[&str] = &[
    "https://shop.example/board",
    "HTTP://shop.example/board",
    "mailto:help@shop.example",
    "tel:+37060012345",
    "/images/board.svg",
    "board.svg",
    "//cdn.example/board.svg",
    "#buy",
];

/// The 1-based line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{text}"))
        + 1
}

/// Asserts that `stderr` reports `key` of `file` at the line of `text` holding `needle`, as a
/// link with a scheme no link may use.
fn refused_link(stderr: &str, file: &str, text: &str, needle: &str, key: &str) {
    let d = diagnostic(stderr, file, Some(line_of(text, needle)));
    assert!(d.contains(&format!("`{key}` uses `")), "{d}");
    assert!(d.contains("a scheme no link may use"), "{d}");
}

/// `helpdeck build` and `helpdeck check` both fail, leaving the output as it was: what each
/// reported.
fn build_and_check_fail(site: &Site) -> [String; 2] {
    let build = site.fails_keeping_output(&["build"]);
    let check = site.run(&["check"]);
    check.assert_failed_cleanly();
    [build, check.stdout + &check.stderr]
}

/// A site's own shortcode that puts its `url` argument in a link.
const BUTTON: &str = "<a class=\"button\" href=\"{{ url }}\">{{ label }}</a>";

#[test]
fn script_links_in_front_matter_and_data_fail_build_and_check() {
    let site = Site::new(GOOD);
    site.write("templates/shortcodes/button.html", BUTTON);
    site.build();
    let mut expected = Vec::new();
    for (i, link) in SCRIPT_LINKS.iter().enumerate() {
        let product = format!(
            "+++\ntitle = \"Board {i}\"\nkind = \"product\"\n[product]\nname = \"Board\"\nurl = {link}\n+++\nA board.\n"
        );
        let image = format!(
            "+++\ntitle = \"Apron {i}\"\nkind = \"product\"\n\n[product]\nname = \"Apron\"\nimage = {link}\n+++\nAn apron.\n"
        );
        let extra =
            format!("+++\ntitle = \"Partner {i}\"\n[extra]\npartner_url = {link}\n+++\nX.\n");
        let data = format!(
            "[partner]\nname = \"Partner\"\nhref = {link}\n\n[[social]]\nname = \"x\"\nlinks = [\"https://x.example\", {link}]\n"
        );
        for (path, text, needle, key) in [
            (
                format!("content/products/board-{i}.md"),
                product,
                "url =",
                "product.url",
            ),
            (
                format!("content/products/apron-{i}.md"),
                image,
                "image =",
                "product.image",
            ),
            (
                format!("content/partner-{i}.md"),
                extra,
                "partner_url",
                "extra.partner_url",
            ),
            (
                format!("data/partners-{i}.toml"),
                data.clone(),
                "href",
                "partner.href",
            ),
            (
                format!("data/partners-{i}.toml"),
                data,
                "links",
                "social.0.links.1",
            ),
        ] {
            site.write(&path, &text);
            expected.push((path, text, needle, key));
        }
    }
    // Pages whose links are fine must not be reported.
    for (i, link) in GOOD_LINKS.iter().enumerate() {
        site.write(
            &format!("content/products/fine-{i}.md"),
            format!(
                "+++\ntitle = \"Fine {i}\"\nkind = \"product\"\n[product]\nname = \"Fine\"\nurl = \"{link}\"\nimage = \"{link}\"\n[extra]\nurls = [\"{link}\"]\n+++\n{{{{ button(label=\"Buy\", url=\"{link}\") }}}}\n"
            ),
        );
    }

    for reported in build_and_check_fail(&site) {
        for (path, text, needle, key) in &expected {
            refused_link(&reported, path, text, needle, key);
        }
        assert!(!reported.contains("fine-"), "{reported}");
    }

    // Without the script links, the fine ones are written as they are.
    let broken: std::collections::BTreeSet<&String> = expected.iter().map(|e| &e.0).collect();
    for path in broken {
        std::fs::remove_file(site.root().join(path)).expect("remove");
    }
    site.build();
    for (i, link) in GOOD_LINKS.iter().enumerate() {
        let html = site.html(&format!("products/fine-{i}/index.html"));
        let buttons = select(&html, "a.button");
        let hrefs: Vec<&str> = buttons
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            hrefs,
            [*link, *link],
            "the product's link and the shortcode's"
        );
    }
}

#[test]
fn script_links_in_shortcode_arguments_fail_build_and_check() {
    let site = Site::new(GOOD);
    site.write("templates/shortcodes/button.html", BUTTON);
    site.build();
    let pages: Vec<(String, String)> = SCRIPT_LINKS
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let text = format!(
                "+++\ntitle = \"Buy {i}\"\n+++\nIntro.\n\n{{{{ button(label=\"Buy\", url={link}) }}}}\n\nInline {{{{ button(label=\"Buy\", url={link}) }}}} too.\n"
            );
            (format!("content/buy-{i}.md"), text)
        })
        .collect();
    for (path, text) in &pages {
        site.write(path, text);
    }
    for reported in build_and_check_fail(&site) {
        for (path, text) in &pages {
            refused_link(&reported, path, text, "{{ button(", "url");
            refused_link(&reported, path, text, "Inline", "url");
        }
    }
}

#[test]
fn script_links_in_the_config_fail_build_and_check() {
    let site = Site::new(GOOD);
    site.build();
    for link in SCRIPT_LINKS {
        let config = format!(
            "{CONFIG}\n[contact]\nemail = \"help@shop.example\"\nchat_url = {link}\nmarketplace_url = {link}\n\n[extra]\nlogo_src = {link}\n"
        );
        site.write("helpdeck.toml", &config);
        for reported in build_and_check_fail(&site) {
            for (needle, key) in [
                ("chat_url", "contact.chat_url"),
                ("marketplace_url", "contact.marketplace_url"),
                ("logo_src", "extra.logo_src"),
            ] {
                refused_link(&reported, "helpdeck.toml", &config, needle, key);
            }
        }
    }
}

#[test]
fn script_links_in_markdown_link_to_nothing_and_check_names_them() {
    let body = "Intro.\n\nA [tab](java&#9;script:alert(1)) and\n[a space]( JAVASCRIPT:alert(1)), [data](data:text/html,x) and [fine](https://shop.example).\n";
    let site = Site::new(&good_with(&[(
        "content/about.md",
        &format!("+++\ntitle = \"About us\"\n+++\n{body}"),
    )]));
    site.build();
    let html = site.html("about/index.html");
    let hrefs: Vec<&str> = select(&html, ".prose a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["#", "#", "#", "https://shop.example"]);

    let check = site.run(&["check"]);
    check.assert_failed_cleanly();
    let reported = check.stdout + &check.stderr;
    for (line, column, scheme) in [(6, 3, "javascript"), (7, 1, "javascript"), (7, 34, "data")] {
        let d = diagnostic(
            &reported,
            &format!("content/about.md:{line}:{column}"),
            None,
        );
        assert!(
            d.contains(&format!(
                "a link may not use `{scheme}:`; the page links to `#` instead"
            )),
            "{d}"
        );
    }
    assert!(!reported.contains("shop.example"), "{reported}");
}

#[test]
fn base_url_is_an_http_address() {
    let site = Site::new(GOOD);
    site.build();
    for (base_url, why) in [
        (
            "javascript://help.example/%0aalert(1)",
            "a scheme no link may use",
        ),
        ("mailto://help.example", "must be an absolute http(s) URL"),
        ("ftp://help.example", "a scheme no link may use"),
    ] {
        let config = CONFIG.replace("https://help.test.example", base_url);
        site.write("helpdeck.toml", &config);
        let stderr = site.fails_keeping_output(&["build"]);
        let d = diagnostic(&stderr, "helpdeck.toml", Some(line_of(&config, "base_url")));
        assert!(d.contains(why), "{base_url}: {d}");
    }
    site.write("helpdeck.toml", CONFIG);
    let run = site.run(&["build", "--base-url", "javascript://help.example/"]);
    run.assert_failed_cleanly();
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Numbers and currencies

#[test]
fn facts_that_are_not_finite_or_not_a_currency_fail_naming_file_line_and_key() {
    let data = "[returns]\nwindow_days = inf\nrestocking_fee = nan\n\n[shipping]\nlimit = -inf\nexpress = { amount = 12.9, currency = \"<script>\" }\nlocal = { amount = +nan, currency = \"EUR\" }\ncurrency = \"eur\"\nold = { amount = 1, currency = \"EURO\" }\n";
    let site = Site::new(&good_with(&[(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nReturn in {{ fact(key=\"policy.returns.window_days\") }} days.\n",
    )]));
    site.write("data/policy.toml", "[returns]\nwindow_days = 30\n");
    site.build();
    site.write("data/policy.toml", data);
    site.write(
        "content/products/board.md",
        "+++\ntitle = \"Board\"\nkind = \"product\"\n[product]\nname = \"Board\"\nprice = { amount = inf, currency = \"EUR\" }\n+++\nA board.\n",
    );
    for reported in build_and_check_fail(&site) {
        for (needle, key, why) in [
            (
                "window_days",
                "returns.window_days",
                "is inf: a number must be finite",
            ),
            (
                "restocking_fee",
                "returns.restocking_fee",
                "is nan: a number must be finite",
            ),
            (
                "limit",
                "shipping.limit",
                "is -inf: a number must be finite",
            ),
            (
                "express",
                "shipping.express.currency",
                "`<script>` is not an ISO 4217 currency code",
            ),
            (
                "local",
                "shipping.local.amount",
                "is +nan: a number must be finite",
            ),
            (
                "currency = \"eur\"",
                "shipping.currency",
                "(did you mean `EUR`?)",
            ),
            (
                "old",
                "shipping.old.currency",
                "`EURO` is not an ISO 4217 currency code",
            ),
        ] {
            let d = diagnostic(&reported, "data/policy.toml", Some(line_of(data, needle)));
            assert!(d.contains(&format!("`{key}`")), "{d}");
            assert!(d.contains(why), "{d}");
        }
        let d = diagnostic(&reported, "content/products/board.md", Some(6));
        assert!(d.contains("`product.price.amount` is inf"), "{d}");
    }
}

// ---------------------------------------------------------------------------------------------
// Line endings and quotes

/// `text` with old Mac line endings: CR alone.
fn cr(text: &str) -> String {
    text.replace('\n', "\r")
}

#[test]
fn cr_line_endings_build_like_lf() {
    let data = "[returns]\nwindow_days = 30\n";
    let about = "+++\ntitle = \"About us\"\n+++\nReturn within {{ fact(key=\"policy.returns.window_days\") }} days.\n\n## Refunds\n\nFast.\n";
    let plain = Site::new(&good_with(&[
        ("content/about.md", about),
        ("data/policy.toml", data),
    ]));
    plain.build();
    let old_mac = Site::new(&good_with(&[
        ("content/about.md", &cr(about)),
        ("data/policy.toml", &cr(data)),
    ]));
    old_mac.write("helpdeck.toml", cr(CONFIG));
    old_mac.build();
    assert!(
        snapshot(&plain.public()) == snapshot(&old_mac.public()),
        "CR line endings build differently"
    );
}

#[test]
fn a_quote_is_one_line_however_the_file_ends_its_lines() {
    let site = Site::new(GOOD);
    site.build();
    site.write(
        "content/about.md",
        cr("title = \"About us\"\n+++\nWe make things.\n\nA second paragraph.\n"),
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let d = diagnostic(&stderr, "content/about.md", Some(1));
    assert!(d.contains("missing front matter"), "{d}");
    assert!(d.ends_with(": `title = \"About us\"`"), "{d}");

    // An error on a very long line quotes the stretch around it.
    let long = format!(
        "+++\ntitle = \"{}\" weight = 1\n+++\nX.\n",
        "a".repeat(5000)
    );
    site.write("content/about.md", &long);
    let stderr = site.fails_keeping_output(&["build"]);
    let d = diagnostic(&stderr, "content/about.md", Some(2));
    let quote = d.rsplit_once(": `").map(|(_, q)| q).unwrap_or_default();
    assert!(quote.chars().count() < 130, "{d}");
    assert!(quote.contains("weight"), "the quote shows where: {d}");
}
