//! `helpdeck check`: a fixture built to contain every problem it looks for, each reported with
//! file and line; the demo passing; JSON for CI; external links against a local server.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::{Site, page};

const CONFIG: &str = r#"
title = "Test Shop Help"
base_url = "https://help.test.example"
default_language = "en"
[languages.en]
[languages.lt]
[languages.fi]
[check]
required_policies = ["returns", "privacy"]
"#;

const RETURNS: &str =
    "title = \"Returns\"\npolicy = \"returns\"\nkind = \"policy\"\nupdated = 2026-01-15";
const RETURNS_LT: &str =
    "title = \"Grąžinimas\"\npolicy = \"returns\"\nkind = \"policy\"\nupdated = 2026-01-15";

/// A site with one of each problem `check` finds (line numbers in the comments of each test).
fn broken_site() -> Site {
    let site = Site::new(&[
        ("data/policy.toml", "[returns]\nwindow_days = 30\n"),
        (
            "static/images/box.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "content/_index.md",
            &page(
                "title = \"Help\"",
                "See [refunds](@/policies/returns.md#refunds), [in Lithuanian](@/policies/returns.lt.md#pinigų-grąžinimas) and [the box](/images/box.svg).\n",
            ),
        ),
        (
            "content/_index.lt.md",
            &page(
                "title = \"Pagalba\"",
                "Žr. [grąžinimą](@/policies/returns.md#refunds).\n",
            ),
        ),
        (
            "content/about.md",
            &page(
                "title = \"About\"\nreview_by = 2020-01-01",
                "See [nothing](/nowhere/) and [the top](#nope).\n\n![](/images/box.svg)\n\n\
                 **UK:**price, **EU**: free, `a ** b`.\n\n```\nx ** y\n```\n",
            ),
        ),
        (
            "content/policies/returns.md",
            &page(
                RETURNS,
                "Return within {{ fact(key=\"policy.returns.window_days\") }} days.\n\n## Refunds\n\nWe refund fast.\n",
            ),
        ),
        (
            "content/policies/returns.lt.md",
            &page(
                RETURNS_LT,
                "Grąžinkite per 14 dienų.\n\n## Pinigų grąžinimas\n\nGrąžiname greitai.\n",
            ),
        ),
    ]);
    site.write("helpdeck.toml", CONFIG);
    site
}

fn json_report(site: &Site, args: &[&str]) -> (common::Run, serde_json::Value) {
    let run = site.run(args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, report)
}

/// The findings of `severity` about `file` as `line: message`.
fn findings(report: &serde_json::Value, severity: &str, file: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == severity && f["file"] == file)
        .map(|f| {
            format!(
                "{}: {}",
                f["line"],
                f["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn has(findings: &[String], line: &str, message: &str) -> bool {
    findings
        .iter()
        .any(|f| f.starts_with(&format!("{line}: ")) && f.contains(message))
}

#[test]
fn check_reports_each_problem_with_file_and_line_and_writes_nothing() {
    let site = broken_site();
    let (run, report) = json_report(&site, &["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "errors exit 1:\n{}", run.stdout);
    assert!(!site.public().exists(), "check writes no output");

    let about = findings(&report, "error", "content/about.md");
    assert!(
        has(
            &about,
            "5",
            "broken link: no page or file of the site at /nowhere/"
        ),
        "{about:?}"
    );
    assert!(
        has(
            &about,
            "5",
            "broken anchor: content/about.md (en) has no heading `#nope`"
        ),
        "{about:?}"
    );
    let lt_home = findings(&report, "error", "content/_index.lt.md");
    assert!(
        has(
            &lt_home,
            "4",
            "broken anchor: content/policies/returns.lt.md (lt) has no heading `#refunds`"
        ),
        "an anchor of the English page is missing from the Lithuanian one: {lt_home:?}"
    );
    assert!(
        findings(&report, "error", "content/_index.md").is_empty(),
        "working links and anchors, also into another language, pass: {report}"
    );
    let lt_returns = findings(&report, "error", "content/policies/returns.lt.md");
    assert!(
        has(
            &lt_returns,
            "7",
            "contradicts fact `policy.returns.window_days` (30), which content/policies/returns.md:7 inserts"
        ),
        "{lt_returns:?}"
    );
    let config = findings(&report, "error", "helpdeck.toml");
    for message in [
        "required policy `privacy` is missing in `en`",
        "required policy `privacy` is missing in `lt`",
        "required policy `privacy` is missing in `fi`",
        "required policy `returns` is not translated into `fi`",
    ] {
        assert!(has(&config, "9", message), "{message}: {config:?}");
    }
    assert!(
        !config
            .iter()
            .any(|f| f.contains("`returns` is not translated into `lt`"))
    );

    let about_warnings = findings(&report, "warning", "content/about.md");
    assert!(
        has(&about_warnings, "7", "image without alt text"),
        "{about_warnings:?}"
    );
    let shown: Vec<&String> = about_warnings
        .iter()
        .filter(|w| w.contains("shows as two asterisks"))
        .collect();
    assert_eq!(shown.len(), 1, "{about_warnings:?}");
    assert!(
        has(&about_warnings, "9", "`**` shows as two asterisks"),
        "{about_warnings:?}"
    );
    assert!(
        has(&about_warnings, "3", "review overdue"),
        "{about_warnings:?}"
    );
    assert!(
        has(
            &findings(&report, "warning", "content/about.lt.md"),
            "null",
            "translation missing"
        ),
        "{report}"
    );
    assert!(
        findings(&report, "warning", "helpdeck.toml")
            .iter()
            .any(|f| f.contains("UI strings missing in `fi`")),
        "{report}"
    );
    let summary = &report["translations"];
    assert_eq!(summary[0]["lang"], "lt");
    assert_eq!(summary[0]["missing"], 1);
    assert_eq!(summary[0]["current"].as_u64().map(|n| n > 0), Some(false));
    assert!(summary[1]["missing_strings"].as_u64().unwrap_or_default() > 10);
    let errors = report["errors"].as_u64().unwrap_or_default();
    assert_eq!(errors, 8, "{report}");
}

#[test]
fn text_output_names_file_line_and_counts() {
    let site = broken_site();
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.lines().any(|l| l.starts_with(
            "error: content/about.md:5:5: broken link: no page or file of the site at /nowhere/: `/nowhere/`"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("warning: content/about.md:7:1: image without alt text")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("8 errors, 11 warnings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_policy_without_updated_is_an_error() {
    let site = Site::new(&common::good_with(&[(
        "content/policies/returns.md",
        "+++\ntitle = \"Returns\"\nkind = \"policy\"\n+++\nReturn within 30 days.\n",
    )]));
    let (run, report) = json_report(&site, &["check", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let errors = findings(&report, "error", "content/policies/returns.md");
    assert!(has(&errors, "2", "a policy needs `updated"), "{errors:?}");
}

#[test]
fn the_demo_passes() {
    let site = Site::demo();
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    // What a seller starting from the demo must replace: the addresses on its example domain,
    // and the withdrawal link's and form's words in the languages the demo cannot take from the
    // law.
    assert!(
        run.stdout.ends_with("0 errors, 7 warnings\n"),
        "{}",
        run.stdout
    );
    for place in [
        "helpdeck.toml:63:9: `contact.email`",
        "data/shop.toml:99:9: `manufacturers.kurzeme-wax.email`",
        "helpdeck.toml:96:12: `feedback.endpoint`",
        "helpdeck.toml:34:12: `brand.shop_url`",
        "helpdeck.toml:56:7: `withdrawal.url`",
        "warning[EU-WITHDRAWAL-FUNCTION]: helpdeck.toml:55: [withdrawal] has no `label` for lt, pl, zh-Hant, ms",
        "warning[EU-WITHDRAWAL]: helpdeck.toml:55: no [withdrawal.form.<lang>] for lt, pl, zh-Hant, ms",
    ] {
        assert!(run.stdout.contains(place), "{place} in {}", run.stdout);
    }
    let (_, report) = json_report(&site, &["check", "--format", "json"]);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["translations"].as_array().map(Vec::len), Some(4));
}

/// Answers 200 to `/ok`, 404 to anything else, on a local port.
fn local_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let status = match request.split_whitespace().nth(1) {
                Some("/ok") => "200 OK",
                _ => "404 Not Found",
            };
            let _ = (&stream).write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    port
}

#[test]
fn external_links_only_with_the_flag() {
    let port = local_server();
    let body =
        format!("[Fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone).\n");
    let site = Site::new(&common::good_with(&[(
        "content/about.md",
        &page("title = \"About us\"", &body),
    )]));
    let (run, _) = json_report(&site, &["check", "--format", "json"]);
    assert_eq!(
        run.code,
        Some(0),
        "no requests without --external: {}",
        run.stdout
    );
    let (run, report) = json_report(&site, &["check", "--format", "json", "--external"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let errors = findings(&report, "error", "content/about.md");
    assert_eq!(
        errors,
        ["4: broken external link: the server answers 404"],
        "{report}"
    );
}

#[test]
fn a_translation_that_drops_a_kept_name_or_uses_an_avoided_word_fails_at_its_line() {
    let config = format!(
        "{}\n[glossary]\nkeep = [\"Etsy\"]\n[glossary.lt]\nkeep = [\"Vilnius\"]\n\
         avoid = {{ \"grąžinimo langas\" = \"grąžinimo terminas\" }}\n",
        common::CONFIG
    );
    let source = page(
        "title = \"Returns\"",
        "Buy on Etsy or here.\n\nEtsy orders return through Etsy.\n\nWe are in Vilnius.\n",
    );
    let translation = page(
        "title = \"Grąžinimo langas\"",
        "Pirkite Etsy arba čia.\n\nTuos užsakymus grąžinkite per platformą.\n\n\
         Esame Vilniuje, grąžinimo langas 30 d.\n",
    );
    let site = Site::new(&[
        ("content/returns.md", &source),
        ("content/returns.lt.md", &translation),
    ]);
    site.write("helpdeck.toml", &config);
    let (run, report) = json_report(&site, &["check", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let errors = findings(&report, "error", "content/returns.lt.md");
    assert!(
        has(&errors, "6", "drops `Etsy` (3 in the source, 1 here)"),
        "{errors:?}"
    );
    assert!(
        has(&errors, "8", "drops `Vilnius`") && has(&errors, "8", "uses `grąžinimo langas`"),
        "{errors:?}"
    );
    assert!(
        has(
            &errors,
            "null",
            "the title uses `grąžinimo langas`, which the glossary avoids: write `grąžinimo terminas`"
        ),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 4, "{errors:?}");

    // A glossary for a language the site does not translate into.
    site.write(
        "helpdeck.toml",
        config.replace("[glossary.lt]", "[glossary.de]"),
    );
    let run = site.run(&["build"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains(
            "[glossary.de]: `de` is not a translation language of the site (translations: lt)"
        ),
        "{}",
        run.stderr
    );
}
