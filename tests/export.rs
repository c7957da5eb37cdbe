//! `helpdeck export replies`: saved replies from the same facts and pages as the site, read
//! back by Python's `csv` and `json` modules (a second implementation of each format).

mod common;

use std::process::Command;

use common::{Site, page};
use serde_json::Value;

/// The rows of `file` (CSV with a header, or JSON) as Python reads them, as JSON.
fn read_by_python(file: &std::path::Path) -> Vec<Value> {
    let script = "import csv, json, sys\n\
                  path = sys.argv[1]\n\
                  with open(path, newline='', encoding='utf-8') as f:\n\
                  \x20   rows = list(csv.DictReader(f)) if path.endswith('.csv') else json.load(f)\n\
                  print(json.dumps(rows))\n";
    python(script, file)
}

/// The rows Python prints as JSON for `file`.
fn python(script: &str, file: &std::path::Path) -> Vec<Value> {
    serde_json::from_value(common::python(script, file)).expect("a list of rows")
}

#[test]
fn the_demo_exports_saved_replies_in_every_language() {
    let site = Site::demo();
    let out = site.root().join("replies-out");
    let run = site.run(&["export", "replies", "--out", out.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    let csv = read_by_python(&out.join("replies.csv"));
    let json = read_by_python(&out.join("replies.json"));
    assert_eq!(csv, json, "the CSV and the JSON hold the same replies");
    for lang in ["en", "lt", "pl", "zh-Hant", "ms"] {
        let of_lang: Vec<&Value> = csv.iter().filter(|r| r["lang"] == lang).collect();
        let questions = of_lang.iter().filter(|r| r["kind"] == "question").count();
        let policies = of_lang.iter().filter(|r| r["kind"] == "policy").count();
        assert!(
            questions >= 20 && policies >= 4,
            "{lang}: {questions} questions, {policies} policies"
        );
        let prefix = match lang {
            "en" => "https://help.oakandlinen.example/".to_string(),
            _ => format!("https://help.oakandlinen.example/{lang}/"),
        };
        for row in &of_lang {
            let url = row["url"].as_str().unwrap();
            assert!(url.starts_with(&prefix), "{lang}: {url}");
            assert!(!row["reply"].as_str().unwrap().is_empty(), "{row}");
        }
    }
    let cost = csv
        .iter()
        .find(|r| r["title"] == "How much does shipping cost?")
        .expect("the shipping cost question");
    assert!(
        cost["reply"].as_str().unwrap().contains("€5.90"),
        "facts filled in as the language writes them: {cost}"
    );
    assert_eq!(
        cost["url"],
        "https://help.oakandlinen.example/faq/delivery/#how-much-does-shipping-cost"
    );

    let run = site.run(&[
        "export",
        "replies",
        "--lang",
        "pl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.ok(), "{}", run.stderr);
    let polish = read_by_python(&out.join("replies.csv"));
    assert!(!polish.is_empty() && polish.iter().all(|r| r["lang"] == "pl"));
}

#[test]
fn a_fact_edited_once_changes_the_replies_and_a_list_comes_whole() {
    let faq = page(
        "title = \"Returns and shipping\"",
        "## How long do I have to return?\n\n{{ fact(key=\"shop.returns.window_days\") }} days from delivery.\n\n\
         ## What does shipping cost?\n\nIt depends on where:\n\n- Home: 3 EUR\n- Abroad: 9 EUR\n\nAsk us for more.\n",
    );
    let policy = "title = \"Returns\"\nkind = \"policy\"\npolicy = \"returns\"\nupdated = 2026-11-01\n\
                  summary = [\"{{ fact(key=\\\"shop.returns.window_days\\\") }} days to return\", \"Free label\"]";
    let site = Site::new(&[
        ("data/shop.toml", "[returns]\nwindow_days = 30\n"),
        (
            "content/faq/_index.md",
            &page("title = \"FAQ\"\npage_kind = \"faq\"", ""),
        ),
        ("content/faq/orders.md", &faq),
        ("content/policies/returns.md", &page(policy, "Text.\n")),
    ]);
    let out = site.root().join("out");
    let export = |site: &Site| {
        let run = site.run(&["export", "replies", "--out", out.to_str().unwrap()]);
        assert!(run.ok(), "{}", run.stderr);
        read_by_python(&out.join("replies.csv"))
            .into_iter()
            .map(|r| {
                format!(
                    "{} | {} | {}",
                    r["kind"].as_str().unwrap(),
                    r["title"].as_str().unwrap(),
                    r["reply"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        export(&site),
        [
            "question | How long do I have to return? | 30 days from delivery.",
            "question | What does shipping cost? | It depends on where:\nHome: 3 EUR\nAbroad: 9 EUR\nAsk us for more.",
            "policy | Returns | 30 days to return\nFree label",
        ]
    );
    site.write("data/shop.toml", "[returns]\nwindow_days = 45\n");
    let replies = export(&site);
    assert!(replies[0].contains("45 days from delivery"), "{replies:?}");
    assert!(replies[2].contains("45 days to return"), "{replies:?}");
}

#[test]
fn an_export_that_cannot_be_made_says_why_and_writes_nothing() {
    let site = Site::new(&[(
        "content/faq.md",
        &page(
            "title = \"FAQ\"",
            "## Q?\n\n{{ fact(key=\"shop.nothing\") }}\n",
        ),
    )]);
    let out = site.root().join("out");
    let run = site.run(&["export", "replies", "--out", out.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(run.stderr.contains("content/faq.md:6"), "{}", run.stderr);
    assert!(!out.exists(), "nothing written");

    let site = Site::new(&[("content/faq.md", &page("title = \"FAQ\"", "## Q?\n\nA.\n"))]);
    let run = site.run(&[
        "export",
        "replies",
        "--lang",
        "fr",
        "--out",
        out.to_str().unwrap(),
    ]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr
            .contains("--lang: `fr` is not a language of the site (en, lt)"),
        "{}",
        run.stderr
    );
}

/// `helpdeck export away` in `site` at a fixed moment (`SOURCE_DATE_EPOCH`, seconds).
fn export_away(site: &Site, epoch: i64) -> std::path::PathBuf {
    let out = site.root().join("away-out");
    let output = Command::new(env!("CARGO_BIN_EXE_helpdeck"))
        .args(["export", "away", "--out"])
        .arg(&out)
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .expect("run helpdeck");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// The events of an iCalendar file as Python's `icalendar` reads them: UID, first day, the
/// day after the last, summary and its language.
fn events_by_python(file: &std::path::Path) -> Vec<Value> {
    let script = "import icalendar, json, sys\n\
                  cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
                  assert cal['VERSION'] == '2.0' and cal['PRODID']\n\
                  events = [{'uid': str(e['UID']), 'start': e.decoded('DTSTART').isoformat(),\n\
                  \x20          'end': e.decoded('DTEND').isoformat(), 'summary': str(e['SUMMARY']),\n\
                  \x20          'language': e['SUMMARY'].params.get('LANGUAGE')} for e in cal.walk('VEVENT')]\n\
                  print(json.dumps(events))\n";
    python(script, file)
}

/// 2026-12-10 12:00 UTC, before the demo's Christmas and New Year closures.
const DECEMBER_10: i64 = 1_796_904_000;

#[test]
fn the_demo_exports_away_messages_and_its_closures_as_icalendar() {
    let site = Site::demo();
    let out = export_away(&site, DECEMBER_10);
    let events = events_by_python(&out.join("closures.ics"));
    assert_eq!(
        events,
        serde_json::json!([
            {"uid": "closure-20261224@help.oakandlinen.example", "start": "2026-12-24",
             "end": "2026-12-27", "summary": "Christmas", "language": "en"},
            {"uid": "closure-20270101@help.oakandlinen.example", "start": "2027-01-01",
             "end": "2027-01-02", "summary": "New Year’s Day", "language": "en"},
        ])
        .as_array()
        .unwrap()
        .clone()
    );

    let texts = read_by_python(&out.join("away.csv"));
    let columns = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| format!("{} {} {}", r["lang"], r["kind"], r["text"]))
            .collect()
    };
    assert_eq!(
        columns(&texts),
        columns(&read_by_python(&out.join("away.json"))),
        "the CSV and the JSON hold the same texts"
    );
    let text = |lang: &str, kind: &str, first: &str| {
        texts
            .iter()
            .find(|t| t["lang"] == lang && t["kind"] == kind && t["first"] == first)
            .unwrap_or_else(|| panic!("no {kind} text in {lang} from {first:?}"))["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Christmas ends on a Saturday: answers resume on Monday the 28th.
    let christmas = text("en", "closure", "2026-12-24");
    assert!(
        christmas.contains("Christmas")
            && christmas.contains("December 26, 2026")
            && christmas.contains("December 28, 2026"),
        "{christmas}"
    );
    let lt = text("lt", "closure", "2026-12-24");
    assert!(
        lt.contains("Šv. Kalėdos") && lt.contains("2026 m. gruodžio 28 d."),
        "{lt}"
    );
    // New Year's Day is a Friday: answers resume on Monday 4 January.
    assert!(text("pl", "closure", "2027-01-01").contains("4 stycznia 2027"));
    for row in &texts {
        let text = row["text"].as_str().unwrap();
        assert!(
            !text.contains("..") && !text.contains("。 "),
            "sentences end and join as their language writes them: {text}"
        );
    }
    for lang in ["en", "lt", "pl", "zh-Hant", "ms"] {
        let after_hours = text(lang, "after_hours", "");
        assert!(
            after_hours.contains("24"),
            "{lang}: the reply promise: {after_hours}"
        );
        assert!(!after_hours.contains('{'), "{lang}: {after_hours}");
        assert!(!text(lang, "closure", "2027-01-01").contains('{'));
    }

    // After the closures, none is left to announce.
    let out = export_away(&site, DECEMBER_10 + 40 * 86_400);
    assert!(events_by_python(&out.join("closures.ics")).is_empty());
    let texts = read_by_python(&out.join("away.csv"));
    assert!(
        texts.iter().all(|t| t["kind"] == "after_hours"),
        "{texts:?}"
    );
}

/// `helpdeck export etsy` of `site` (extra arguments after), read back by Python's `json`.
fn export_etsy(site: &Site, extra: &[&str]) -> Vec<Value> {
    let out = site.root().join("etsy-out");
    let mut args = vec!["export", "etsy", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let run = site.run(&args);
    assert!(run.ok(), "{}", run.stderr);
    assert!(out.join("etsy.txt").exists());
    read_by_python(&out.join("etsy.json"))
}

#[test]
fn the_demo_exports_etsys_policy_boxes_in_every_language() {
    let site = Site::demo();
    let boxes = export_etsy(&site, &[]);
    for lang in ["en", "lt", "pl", "zh-Hant", "ms"] {
        let fields: Vec<&str> = boxes
            .iter()
            .filter(|b| b["lang"] == lang)
            .map(|b| b["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "shipping",
                "payment",
                "returns",
                "privacy",
                "additional",
                "seller_details"
            ],
            "{lang}"
        );
    }
    for b in &boxes {
        let text = b["text"].as_str().unwrap();
        assert_eq!(b["characters"], text.chars().count(), "{b}");
        for markup in ["**", "](", "<p", "{{", "&amp;"] {
            assert!(!text.contains(markup), "{markup} in {b}");
        }
    }
    let box_of = |lang: &str, field: &str| {
        boxes
            .iter()
            .find(|b| b["lang"] == lang && b["field"] == field)
            .and_then(|b| b["text"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(
        box_of("lt", "returns").contains("30"),
        "{}",
        box_of("lt", "returns")
    );
    assert_eq!(
        box_of("lt", "seller_details"),
        "Oak & Linen, MB\nŽalgirio g. 90, LT-09303 Vilnius, Lithuania\nĮmonės kodas 305000000\n\
         help@oakandlinen.example"
    );
    assert!(
        box_of("en", "shipping").contains("(https://help.oakandlinen.example/policies/payments/)"),
        "links keep their address"
    );
}

#[test]
fn etsy_text_takes_its_exact_form_and_follows_a_fact_with_the_replies_and_json_ld() {
    let returns = "title = \"Returns\"\nkind = \"policy\"\npolicy = \"returns\"\nupdated = 2026-11-01\n\
                   summary = [\"{{ fact(key=\\\"shop.returns.window_days\\\") }} days to return\"]";
    let body = "You have **{{ fact(key=\"shop.returns.window_days\") }} days** to return.\n\n\
                ## How\n\n1. Write to [us](mailto:help@shop.test.example).\n2. Send it back, \
                see [shipping](@/policies/shipping.md).\n   - tracked\n\n\
                | From | Label |\n|---|---|\n| EU | Free |\n\n> Keep the receipt.\n";
    let site = Site::new(&[
        (
            "data/shop.toml",
            "[returns]\nwindow_days = 30\n\n[shipping]\nprocessing_days = 2\n\n[[shipping.zones]]\n\
             id = \"eu\"\nname = \"EU\"\ncountries = [\"LT\"]\nprice = { amount = 5, currency = \"EUR\" }\ndays = 3\n",
        ),
        ("content/_index.md", &page("title = \"Help\"", "Hi.\n")),
        ("content/policies/returns.md", &page(returns, body)),
        (
            "content/policies/shipping.md",
            &page(
                "title = \"Shipping\"\nkind = \"policy\"\npolicy = \"shipping\"\nupdated = 2026-11-01",
                "We ship in 2 days.\n",
            ),
        ),
        (
            "content/policies/terms.md",
            &page(
                "title = \"Terms\"\nkind = \"policy\"\nupdated = 2026-11-01",
                "Be *kind*.\n",
            ),
        ),
    ]);
    let boxes = export_etsy(&site, &["--lang", "en"]);
    let texts: Vec<(String, String)> = boxes
        .iter()
        .map(|b| {
            (
                b["field"].as_str().unwrap().to_string(),
                b["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        texts,
        [
            ("shipping".to_string(), "We ship in 2 days.".to_string()),
            (
                "returns".to_string(),
                "You have 30 days to return.\n\nHow\n\n1. Write to us (help@shop.test.example).\n\
                 2. Send it back, see shipping (https://help.test.example/policies/shipping/).\n  \
                 • tracked\n\nFrom | Label\nEU | Free\n\nKeep the receipt."
                    .to_string()
            ),
            ("additional".to_string(), "Terms\n\nBe kind.".to_string()),
        ]
    );

    // One edit of the fact: the Etsy box, the saved reply and the structured data all follow.
    site.write(
        "data/shop.toml",
        std::fs::read_to_string(site.root().join("data/shop.toml"))
            .unwrap()
            .replace("window_days = 30", "window_days = 45"),
    );
    let boxes = export_etsy(&site, &["--lang", "en"]);
    assert!(
        boxes[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("You have 45 days")
    );
    let out = site.root().join("replies-out");
    assert!(
        site.run(&["export", "replies", "--out", out.to_str().unwrap()])
            .ok()
    );
    let replies = read_by_python(&out.join("replies.json"));
    assert_eq!(replies[0]["reply"], "45 days to return");
    site.build();
    let organization = common::json_ld(&site.html("index.html"))
        .into_iter()
        .find(|v| v["@type"] == "Organization")
        .expect("Organization");
    assert_eq!(
        organization["hasMerchantReturnPolicy"][0]["merchantReturnDays"],
        45
    );
}

#[test]
fn a_box_over_the_sellers_limit_fails_the_export_naming_box_language_and_length() {
    let site = Site::demo();
    site.write("data/etsy.toml", "[limits]\nreturns = 200\n");
    let out = site.root().join("etsy-out");
    let run = site.run(&["export", "etsy", "--out", out.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr
            .contains("data/etsy.toml: Etsy's Returns & exchanges box (lt) would get"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("characters, over the 200 of `[limits] returns`")
    );
    assert!(!out.exists(), "nothing written");

    site.write("data/etsy.toml", "[limits]\nrefunds = 200\n");
    let run = site.run(&["export", "etsy", "--out", out.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains("[limits] `refunds` is no Etsy box helpdeck fills (boxes: shipping, payment, returns, privacy, additional, seller_details)"),
        "{}",
        run.stderr
    );

    // Within the limits: the lengths are in the JSON beside them.
    site.write("data/etsy.toml", "[limits]\nreturns = 100000\n");
    let boxes = export_etsy(&site, &["--lang", "pl"]);
    let returns = boxes.iter().find(|b| b["field"] == "returns").unwrap();
    assert_eq!(returns["limit"], 100000);
}

#[test]
fn the_saved_replies_page_lists_the_exported_replies_in_every_language() {
    let site = Site::demo();
    let out = site.root().join("replies-out");
    assert!(
        site.run(&["export", "replies", "--out", out.to_str().unwrap()])
            .ok()
    );
    let replies = read_by_python(&out.join("replies.json"));
    site.build();
    let sitemap = site.read("sitemap.xml");
    for lang in ["en", "lt", "pl", "zh-Hant", "ms"] {
        let path = match lang {
            "en" => "replies/index.html".to_string(),
            _ => format!("{lang}/replies/index.html"),
        };
        let html = site.html(&path);
        assert_eq!(
            common::select(&html, "meta[name='robots']")[0]
                .value()
                .attr("content"),
            Some("noindex")
        );
        let titles: Vec<String> = common::select(&html, ".saved-reply h2")
            .iter()
            .map(common::text)
            .collect();
        let exported: Vec<&str> = replies
            .iter()
            .filter(|r| r["lang"] == lang)
            .map(|r| r["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, exported, "{lang}");
        let first = &replies.iter().find(|r| r["lang"] == lang).unwrap();
        let text = common::text(&common::select(&html, ".reply-text")[0]);
        let first_line = first["reply"].as_str().unwrap().lines().next().unwrap();
        assert!(text.starts_with(first_line), "{lang}: {text}");
        assert!(!sitemap.contains("/replies/"), "not in the sitemap");
        assert!(
            common::select(
                &site.html(&path.replace("replies/", "")),
                "a[href$='/replies/']"
            )
            .is_empty(),
            "not linked unless configured"
        );
    }

    // Linked from every footer when asked; an error to link a page that is not written.
    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    site.write(
        "helpdeck.toml",
        config.replace(
            "[replies]\npage = true",
            "[replies]\npage = true\nfooter_link = true",
        ),
    );
    site.build();
    let link = &common::select(&site.html("lt/index.html"), ".replies-link a")[0]
        .value()
        .attr("href")
        .map(str::to_string);
    assert_eq!(link.as_deref(), Some("/lt/replies/"));
    site.write(
        "helpdeck.toml",
        config.replace("[replies]\npage = true", "[replies]\nfooter_link = true"),
    );
    let stderr = site.build_fails();
    assert!(
        stderr.contains("[replies] `footer_link` links the page `page = true` writes"),
        "{stderr}"
    );
    site.write(
        "helpdeck.toml",
        config.replace("[replies]\npage = true\n", ""),
    );
    site.build();
    assert!(!site.public().join("replies").exists());
}

#[test]
fn the_demo_exports_ebay_amazon_and_allegro_terms_in_every_language() {
    let site = Site::demo();
    let out = site.root().join("market-out");
    let export = |target: &str| {
        let run = site.run(&["export", target, "--out", out.to_str().unwrap()]);
        assert!(run.ok(), "{}", run.stderr);
        python(
            "import json, sys\nprint(json.dumps([json.load(open(sys.argv[1], encoding='utf-8'))]))",
            &out.join(format!("{target}.json")),
        )
        .remove(0)
    };
    let ebay = export("ebay");
    let policy = &ebay["api"]["returnPolicy"];
    assert_eq!(
        policy["returnPeriod"],
        serde_json::json!({"value": 30, "unit": "DAY"})
    );
    assert_eq!(
        policy["returnShippingCostPayer"], "SELLER",
        "free labels at home (LT)"
    );
    assert_eq!(
        policy["internationalOverride"]["returnShippingCostPayer"],
        "BUYER"
    );
    assert_eq!(ebay["api"]["fulfillmentPolicy"]["handlingTime"]["value"], 3);
    for target in ["ebay", "amazon", "allegro"] {
        let json = export(target);
        let texts = json["texts"].as_array().unwrap();
        let langs: Vec<&str> = texts.iter().map(|t| t["lang"].as_str().unwrap()).collect();
        assert_eq!(langs, ["en", "lt", "pl", "zh-Hant", "ms"], "{target}");
        for t in texts {
            assert!(
                t["returns"].as_str().unwrap().contains("30"),
                "{target}: {t}"
            );
            assert!(t["shipping"].as_str().is_some(), "{target}: {t}");
        }
        let settings: Vec<String> = json["settings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{}={}",
                    s["setting"].as_str().unwrap(),
                    s["value"].as_str().unwrap()
                )
            })
            .collect();
        assert!(
            settings.contains(&"return_window_days=30".to_string()),
            "{settings:?}"
        );
        assert!(settings.contains(&"handling_time_business_days=3".to_string()));
        assert!(settings.contains(&"return_postage_paid_by_buyer_in=GB MY TW".to_string()));
    }

    // Amazon: replies without links, those holding an address or a link left out, saying why.
    let amazon = export("amazon");
    let replies = amazon["replies"].as_array().unwrap();
    assert!(replies.len() > 100);
    for reply in replies {
        let text = reply["reply"].as_str().unwrap();
        assert!(!text.contains('@') && !text.contains("http"), "{reply}");
        assert!(reply.get("url").is_none());
    }
    let left_out = amazon["left_out"].as_array().unwrap();
    assert!(!left_out.is_empty());
    assert!(
        left_out
            .iter()
            .all(|l| l["why"].as_str().unwrap().contains("Amazon's messages"))
    );
    let csv = read_by_python(&out.join("amazon-replies.csv"));
    assert_eq!(csv.len(), replies.len());
    assert_eq!(csv[0]["reply"], replies[0]["reply"]);

    // One fact, every marketplace.
    let terms = std::fs::read_to_string(site.root().join("data/shop.toml")).unwrap();
    site.write(
        "data/shop.toml",
        terms.replace("window_days = 30", "window_days = 45"),
    );
    assert_eq!(
        export("ebay")["api"]["returnPolicy"]["returnPeriod"]["value"],
        45
    );
}
