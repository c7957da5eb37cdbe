//! Facts and shortcodes: values from data/*.toml written the way each language writes them,
//! the theme's callouts, steps and contact block, a site's own shortcodes, and clean errors
//! naming file and line.

mod common;

use common::{Site, assert_quotes, diagnostic, good_with, page, select, text};

/// Three languages that write numbers differently: 1 234,5 (pl, lt) and 1,234.5 (zh-Hant).
const CONFIG: &str = r#"
title = "Shop"
base_url = "https://help.test.example"
default_language = "en"
[languages.en]
[languages.lt]
[languages.pl]
[languages.zh-Hant]
"#;

const DATA: &str = r#"
[returns]
window_days = 30
[shipping]
free_over = { amount = 1250, currency = "EUR" }
express = { amount = 12.9, currency = "EUR" }
weight_limit_kg = 1234.5
processing_days = "1–3"
since = 2026-03-01
"#;

fn fact_site() -> Site {
    let body = "Return within {{ fact(key=\"policy.returns.window_days\") }} days.\n\n\
        <span class=\"free\">Free over {{ fact(key=\"policy.shipping.free_over\") }}.</span>\n\n\
        Express costs {{ fact(key=\"policy.shipping.express\") }}; parcels up to {{ fact(key=\"policy.shipping.weight_limit_kg\") }} kg \
        leave in {{ fact(key=\"policy.shipping.processing_days\") }} days, as since {{ fact(key=\"policy.shipping.since\") }}.\n\n\
        ## Within {{ fact(key=\"policy.returns.window_days\") }} days\n\n\
        `{{ fact(key=\"not.a.fact\") }}` and {{/* contact() */}}\n\n\
        ```\n{{ fact(key=\"in.a.code.block\") }}\n```\n";
    let site = Site::new(&[
        ("data/policy.toml", DATA),
        ("content/_index.md", &page("title = \"Help\"", body)),
        ("content/_index.lt.md", &page("title = \"Pagalba\"", body)),
        ("content/_index.pl.md", &page("title = \"Pomoc\"", body)),
        ("content/_index.zh-Hant.md", &page("title = \"幫助\"", body)),
    ]);
    site.write("helpdeck.toml", CONFIG);
    site
}

fn first_paragraphs(site: &Site, path: &str) -> Vec<String> {
    let html = site.html(path);
    select(&html, ".prose p").iter().map(text).collect()
}

#[test]
fn a_fact_is_written_in_each_languages_number_and_money_format() {
    let site = fact_site();
    site.build();
    let expect = [
        (
            "index.html",
            "€1,250.00",
            "€12.90",
            "1,234.5",
            "March 1, 2026",
        ),
        (
            "lt/index.html",
            "1\u{a0}250,00\u{a0}€",
            "12,90\u{a0}€",
            "1\u{a0}234,5",
            "2026 m. kovo 1 d.",
        ),
        (
            "pl/index.html",
            "1250,00\u{a0}€",
            "12,90\u{a0}€",
            "1234,5",
            "1 marca 2026",
        ),
        (
            "zh-Hant/index.html",
            "€1,250.00",
            "€12.90",
            "1,234.5",
            "2026年3月1日",
        ),
    ];
    for (path, free, express, weight, since) in expect {
        let paragraphs = first_paragraphs(&site, path);
        assert_eq!(paragraphs[0], "Return within 30 days.", "{path}");
        assert_eq!(paragraphs[1], format!("Free over {free}."), "{path}");
        assert_eq!(
            paragraphs[2],
            format!(
                "Express costs {express}; parcels up to {weight} kg leave in 1–3 days, as since {since}."
            ),
            "{path}"
        );
    }
}

#[test]
fn a_fact_in_a_heading_is_part_of_its_anchor_and_code_keeps_its_braces() {
    let site = fact_site();
    site.build();
    let html = site.html("index.html");
    let heading = &select(&html, ".prose h2")[0];
    assert_eq!(heading.value().attr("id"), Some("within-30-days"));
    assert_eq!(
        select(&html, ".prose p code")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["{{ fact(key=\"not.a.fact\") }}"]
    );
    let paragraphs = first_paragraphs(&site, "index.html");
    assert!(
        paragraphs[3].ends_with("and {{ contact() }}"),
        "{}",
        paragraphs[3]
    );
    assert!(text(&select(&html, "pre")[0]).contains("{{ fact(key=\"in.a.code.block\") }}"));
}

#[test]
fn unknown_fact_names_file_line_and_the_closest_key() {
    let site = Site::new(&good_with(&[
        ("data/policy.toml", DATA),
        (
            "content/about.md",
            "+++\ntitle = \"About us\"\n+++\nWe make things.\n\nReturn within {{ fact(key=\"policy.returns.window_day\") }} days.\n",
        ),
    ]));
    let stderr = site.build_fails();
    let d = diagnostic(&stderr, "content/about.md", Some(6));
    assert!(d.contains("did you mean `window_days`"), "{d}");
    assert_quotes(d, "{{ fact(key=\"policy.returns.window_day\") }}");
}

#[test]
fn theme_shortcodes_render_callouts_steps_and_the_contact_block() {
    let site = Site::new(&good_with(&[(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\n\
         {% note() %}\nKeep the **receipt**.\n{% end %}\n\n\
         {% warning(title=\"Engraved items\") %}\nThey cannot be returned.\n{% end %}\n\n\
         {% steps() %}\n1. Email us.\n2. Pack it.\n\n   ![The label on the box](/label.svg)\n3. Post it.\n{% end %}\n\n\
         {{ contact() }}\n\n<script>alert(1)</script>\n",
    )]));
    site.write(
        "helpdeck.toml",
        format!(
            "{}\n[contact]\nemail = \"help@shop.example\"\n",
            common::CONFIG
        ),
    );
    site.build();
    let html = site.html("about/index.html");
    let note = &select(&html, "aside.callout-note")[0];
    assert_eq!(
        text(&select(&html, "aside.callout-note .callout-title")[0]),
        "Note"
    );
    assert!(note.inner_html().contains("<strong>receipt</strong>"));
    assert_eq!(
        text(&select(&html, "aside.callout-warning .callout-title")[0]),
        "Engraved items"
    );
    let steps: Vec<String> = select(&html, ".steps > ol > li").iter().map(text).collect();
    assert_eq!(steps, ["Email us.", "Pack it.", "Post it."]);
    assert_eq!(
        select(&html, ".steps li img")[0].value().attr("alt"),
        Some("The label on the box")
    );
    assert_eq!(
        select(
            &html,
            ".prose section.contact .contact-channels a[href^=\"mailto:\"]"
        )
        .len(),
        1
    );
    assert_eq!(
        select(&html, ".prose section.contact [data-ask-email]").len(),
        1
    );
    assert!(
        select(&html, ".prose script").is_empty(),
        "the page's own HTML is still sanitised"
    );
}

#[test]
fn a_site_adds_its_own_shortcodes() {
    let site = Site::new(&good_with(&[
        (
            "templates/shortcodes/badge.html",
            "<span class=\"badge badge-{{ tone }}\">{{ label }}</span>",
        ),
        (
            "templates/shortcodes/panel.html",
            "<div class=\"panel\" data-lang=\"{{ lang }}\">{{ body | safe }}</div>",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About us\"\n+++\nNew: {{ badge(label=\"Eco\", tone=\"green\") }} packaging.\n\n{% panel() %}\nInside a *panel*.\n{% end %}\n",
        ),
    ]));
    site.build();
    let html = site.html("about/index.html");
    let badge = &select(&html, ".prose p span.badge")[0];
    assert_eq!(
        (text(badge), badge.value().attr("class")),
        ("Eco".to_string(), Some("badge badge-green"))
    );
    let panel = &select(&html, ".prose div.panel")[0];
    assert_eq!(panel.value().attr("data-lang"), Some("en"));
    assert_eq!(text(&select(&html, ".panel em")[0]), "panel");
}

/// A shortcode mistake in `about.md` (body on line 4 on): the build fails, names the line,
/// quotes the call, and leaves the previous output alone.
fn shortcode_error(body: &str, line: usize, message: &str, quoted: &str) {
    let site = Site::new(common::GOOD);
    site.build();
    site.write(
        "content/about.md",
        format!("+++\ntitle = \"About us\"\n+++\n{body}"),
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let d = diagnostic(&stderr, "content/about.md", Some(line));
    assert!(d.contains(message), "expected `{message}` in {d}");
    if !quoted.is_empty() {
        assert_quotes(d, quoted);
    }
}

#[test]
fn unknown_shortcode_suggests_the_closest() {
    shortcode_error(
        "Text.\n\n{% ntoe() %}\nx\n{% end %}\n",
        6,
        "unknown shortcode `ntoe` (did you mean `note`?)",
        "{% ntoe() %}",
    );
}

#[test]
fn bad_shortcode_arguments_are_errors() {
    shortcode_error(
        "{% note(titel=\"x\") %}\nx\n{% end %}\n",
        4,
        "`note` takes `title`, not `titel`",
        "{% note(titel=\"x\") %}",
    );
    shortcode_error(
        "a\nb {{ fact(key=shop) }}\n",
        5,
        "bad shortcode arguments",
        "{{ fact(key=shop) }}",
    );
    shortcode_error("{{ note() }}\n", 4, "`note` wraps text", "{{ note() }}");
    shortcode_error(
        "x {{ fact(key=\"a\"\n",
        4,
        "is not closed on this line",
        "{{ fact(key=\"a\"",
    );
}

#[test]
fn unclosed_and_stray_block_ends_are_errors() {
    shortcode_error(
        "\n{% warning() %}\nNever closed.\n",
        5,
        "shortcode `warning` is never closed",
        "",
    );
    shortcode_error("x\n\n{% end %}\n", 6, "closes no shortcode", "{% end %}");
}

#[test]
fn init_sites_have_the_shortcodes_and_facts() {
    let dir = tempfile::tempdir().unwrap();
    assert!(common::run_in(dir.path(), &["init", "shop", "--demo"]).ok());
    let run = common::run_in(dir.path(), &["build", "--root", "shop"]);
    assert!(run.ok(), "{}", run.stderr);
    let html = common::Html::parse_document(
        &std::fs::read_to_string(
            dir.path()
                .join("shop/public/pl/policies/shipping/index.html"),
        )
        .unwrap(),
    );
    let cells: Vec<String> = select(&html, ".prose td").iter().map(text).collect();
    assert!(cells.contains(&"12,90\u{a0}€".to_string()), "{cells:?}");
    let returns = std::fs::read_to_string(
        dir.path()
            .join("shop/public/lt/policies/returns/index.html"),
    )
    .unwrap();
    assert!(returns.contains("class=steps") || returns.contains("class=\"steps\""));
}

/// A policy's key facts in `lang`, as the page shows them.
fn key_facts(site: &Site, path: &str) -> Vec<String> {
    select(&site.html(path), ".key-facts li")
        .iter()
        .map(text)
        .collect()
}

#[test]
fn key_facts_take_facts_written_the_way_each_language_writes_them() {
    let policy = |title: &str, first: &str| {
        page(
            &format!(
                "title = \"{title}\"\nkind = \"policy\"\nupdated = 2026-01-15\n\
                 summary = ['{first}', 'Literally {{{{/* fact(key=\"x\") */}}}}']"
            ),
            "Text.\n",
        )
    };
    let site = Site::new(&[
        ("data/policy.toml", DATA),
        ("content/_index.md", &page("title = \"Help\"", "")),
        (
            "content/shipping.md",
            &policy(
                "Shipping",
                "Parcels up to {{ fact(key=\"policy.shipping.weight_limit_kg\") }} kg",
            ),
        ),
        (
            "content/shipping.lt.md",
            &policy(
                "Siuntimas",
                "Siuntiniai iki {{ fact(key=\"policy.shipping.weight_limit_kg\") }} kg",
            ),
        ),
        (
            "content/shipping.pl.md",
            &policy(
                "Wysyłka",
                "Paczki do {{ fact(key=\"policy.shipping.weight_limit_kg\") }} kg",
            ),
        ),
    ]);
    site.write("helpdeck.toml", CONFIG);
    site.build();
    let literally = "Literally {{ fact(key=\"x\") }}".to_string();
    assert_eq!(
        key_facts(&site, "shipping/index.html"),
        ["Parcels up to 1,234.5 kg".to_string(), literally.clone()]
    );
    assert_eq!(
        key_facts(&site, "lt/shipping/index.html"),
        [
            "Siuntiniai iki 1\u{a0}234,5 kg".to_string(),
            literally.clone()
        ]
    );
    assert_eq!(
        key_facts(&site, "pl/shipping/index.html"),
        ["Paczki do 1234,5 kg".to_string(), literally]
    );
}

#[test]
fn key_facts_hold_only_facts_and_their_mistakes_are_reported_with_the_bodys() {
    let site = Site::new(&good_with(&[
        ("data/policy.toml", DATA),
        (
            "content/about.md",
            "+++\ntitle = \"About us\"\n\
             summary = ['Within {{ fact(key=\"policy.returns.window_day\") }} days']\n+++\n\
             Return within {{ fact(key=\"policy.returns.windows\") }} days.\n",
        ),
        (
            "content/contact.md",
            "+++\ntitle = \"Contact\"\nsummary = [\n  'Write to us',\n  'Or {{ contact() }}',\n]\n+++\nHello.\n",
        ),
    ]));
    let stderr = site.build_fails();
    let summary = diagnostic(&stderr, "content/about.md", Some(3));
    assert!(summary.contains("in `summary`"), "{summary}");
    assert!(summary.contains("did you mean `window_days`"), "{summary}");
    assert_quotes(summary, "{{ fact(key=\"policy.returns.window_day\") }}");
    let body = diagnostic(&stderr, "content/about.md", Some(5));
    assert_quotes(body, "{{ fact(key=\"policy.returns.windows\") }}");
    let html = diagnostic(&stderr, "content/contact.md", Some(3));
    assert!(
        html.contains("only {{ fact(key=\"…\") }} works here"),
        "{html}"
    );
    assert_quotes(html, "{{ contact() }}");
}

#[test]
fn contact_facts_come_from_the_config_and_live_nowhere_else() {
    let config =
        format!("{CONFIG}[contact]\nemail = \"help@shop.test.example\"\nreply_hours = 24\n");
    let body = "Write to {{ fact(key=\"contact.email\") }}: we answer within \
                {{ fact(key=\"contact.reply_hours\") }} hours.\n";
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", body)),
        ("content/_index.pl.md", &page("title = \"Pomoc\"", body)),
    ]);
    site.write("helpdeck.toml", &config);
    site.build();
    assert_eq!(
        first_paragraphs(&site, "pl/index.html")[0],
        "Write to help@shop.test.example: we answer within 24 hours."
    );

    site.write(
        "data/shop.toml",
        "[returns]\nwindow_days = 30\n\n[contact]\nemail = \"old@shop.test.example\"\n",
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let moved = diagnostic(&stderr, "data/shop.toml", Some(4));
    assert!(
        moved.contains("belongs in helpdeck.toml [contact]"),
        "{moved}"
    );
    assert!(moved.contains("fact(key=\"contact.email\")"), "{moved}");

    site.write("data/shop.toml", "[returns]\nwindow_days = 30\n");
    site.write("data/contact.toml", "email = \"x@shop.test.example\"\n");
    let stderr = site.fails_keeping_output(&["build"]);
    assert!(
        diagnostic(&stderr, "data/contact.toml", None)
            .contains("come from helpdeck.toml [contact]"),
        "{stderr}"
    );
}

#[test]
fn the_shops_identity_comes_from_the_config_beside_the_shops_terms() {
    let config = format!(
        "{CONFIG}[shop]\nlegal_name = \"Birch & Co, UAB\"\nvat_number = \"LT100000000017\"\n\
         [shop.address]\nstreet = \"Gedimino pr. 1\"\npostcode = \"LT-01103\"\ncity = \"Vilnius\"\n"
    );
    let body = "{{ fact(key=\"shop.legal_name\") }}, {{ fact(key=\"shop.address\") }} \
                (VAT {{ fact(key=\"shop.vat_number\") }}), takes returns for \
                {{ fact(key=\"shop.returns.window_days\") }} days.\n";
    let site = Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", body)),
        ("content/_index.pl.md", &page("title = \"Pomoc\"", body)),
        ("data/shop.toml", "[returns]\nwindow_days = 1000\n"),
    ]);
    site.write("helpdeck.toml", &config);
    site.build();
    assert_eq!(
        first_paragraphs(&site, "pl/index.html")[0],
        "Birch & Co, UAB, Gedimino pr. 1, LT-01103 Vilnius (VAT LT100000000017), takes returns \
         for 1000 days.",
        "identity from helpdeck.toml, terms from data/shop.toml, in one `shop` namespace"
    );

    // Where the identity used to be, each key is an error that names its new place.
    site.write(
        "data/shop.toml",
        "[returns]\nwindow_days = 30\n\n[shop]\nname = \"Birch\"\n",
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let moved = diagnostic(&stderr, "data/shop.toml", Some(4));
    assert!(
        moved.contains("[shop] belongs in helpdeck.toml [shop]"),
        "{moved}"
    );
    assert_quotes(moved, "[shop]");
    site.write("data/shop.toml", "legal_name = \"Birch\"\n");
    let stderr = site.fails_keeping_output(&["build"]);
    let moved = diagnostic(&stderr, "data/shop.toml", Some(1));
    assert!(
        moved.contains("`legal_name` belongs in helpdeck.toml [shop]"),
        "{moved}"
    );
}
