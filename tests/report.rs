//! `helpdeck report` and the `[analytics]` settings it reads: the same fifteen events written in
//! each supported log format (tests/fixtures/report/, made by hand from each format's
//! documentation, with the rest of a site's traffic around them) give one exact report; a
//! request for the event file that holds no event is a warning naming its line; a missing log
//! is an error; the HTML page escapes what buyers typed; and a build with `[analytics]` writes
//! the event file, its no-store rule and the page attribute the scripts read.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{Html, Site, diagnostic, run_in, select, text};
use serde_json::{Value, json};

const FORMATS: [&str; 5] = [
    "combined.log",
    "s3.log",
    "cloudfront.log",
    "cloudflare.json",
    "endpoint.jsonl",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// `helpdeck report --format json FILES…` run outside any site, parsed.
fn report_json(files: &[PathBuf]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = vec!["report", "--format", "json"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let run = run_in(dir.path(), &args);
    assert!(run.ok(), "report failed:\n{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("the report is JSON")
}

fn query(
    query: &str,
    searches: u64,
    without: u64,
    results: u64,
    clicks: u64,
    rank: Value,
) -> Value {
    json!({"query": query, "searches": searches, "without_results": without, "results": results,
           "clicks": clicks, "mean_clicked_rank": rank})
}

/// What the fifteen events of every fixture say, worked out by hand.
fn expected_languages() -> Value {
    let refund = query("refund", 3, 0, 4, 2, json!(1.5));
    let track = query("track parcel", 2, 2, 0, 0, Value::Null);
    let gift = query("gift wrap", 1, 0, 2, 0, Value::Null);
    json!([
        {
            "lang": "en", "searches": 6, "clicks": 2, "votes": 4,
            "top_queries": [refund, track, gift],
            "no_results": [track],
            "no_click": [gift],
            "unhelpful_pages": [
                // 2 "no" of 3 is surer than 1 of 1: Wilson lower bounds 0.2076 and 0.2065.
                {"page": "/policies/returns/", "helpful": 1, "unhelpful": 2},
                {"page": "/faq/delivery/", "helpful": 0, "unhelpful": 1},
            ],
        },
        {
            "lang": "lt", "searches": 1, "clicks": 1, "votes": 1,
            "top_queries": [query("grąžinimas", 1, 0, 3, 1, json!(1.0))],
            "no_results": [], "no_click": [], "unhelpful_pages": [],
        },
    ])
}

/// The report's languages, with each Wilson bound checked to four places and then left out.
fn languages_with_bounds_checked(report: &Value) -> Value {
    let mut languages = report["languages"].clone();
    for language in languages.as_array_mut().expect("languages") {
        for page in language["unhelpful_pages"].as_array_mut().expect("pages") {
            let bound = page
                .as_object_mut()
                .and_then(|p| p.remove("unhelpful_at_least"))
                .and_then(|b| b.as_f64())
                .expect("a bound");
            let expected = match page["page"].as_str() {
                Some("/policies/returns/") => 0.2076,
                _ => 0.2065,
            };
            assert!((bound - expected).abs() < 1e-4, "{page}: {bound}");
        }
    }
    languages
}

#[test]
fn every_log_format_gives_the_same_exact_report() {
    for format in FORMATS {
        let report = report_json(&[fixture(format)]);
        assert_eq!(report["events"], 15, "{format}");
        assert_eq!(
            languages_with_bounds_checked(&report),
            expected_languages(),
            "{format}"
        );
    }
}

#[test]
fn a_gzipped_cloudfront_log_and_several_files_add_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gz = dir.path().join("E2EXAMPLE.2026-12-07-09.a1b2c3d4.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(&std::fs::read(fixture("cloudfront.log")).expect("fixture"))
        .expect("gzip");
    std::fs::write(&gz, encoder.finish().expect("gzip")).expect("write");
    let alone = report_json(std::slice::from_ref(&gz));
    assert_eq!(languages_with_bounds_checked(&alone), expected_languages());

    let together = report_json(&[gz, fixture("combined.log"), fixture("endpoint.jsonl")]);
    assert_eq!(together["files"], 3);
    assert_eq!(together["events"], 45);
    let en = &together["languages"][0];
    assert_eq!(en["searches"], 18);
    assert_eq!(
        en["top_queries"][0],
        query("refund", 9, 0, 4, 6, json!(1.5))
    );
}

#[test]
fn a_request_for_the_event_file_without_an_event_is_a_warning_naming_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = fixture("combined.log");
    let run = run_in(dir.path(), &["report", &log.display().to_string()]);
    assert!(run.ok(), "{}", run.stderr);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with(&format!("warning: {}:10:", log.display())),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("no `event`"), "{}", warnings[0]);
    assert!(
        warnings[0].contains("curl/8.5.0"),
        "quotes the line: {}",
        warnings[0]
    );
    // The text report says the same as the JSON, for a reader.
    assert!(
        run.stdout.starts_with("15 events in 19 lines of 1 file"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("    track parcel                     2 searches found nothing"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("/policies/returns/               2 no, 1 yes: at least 21 % unhelpful"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_log_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_in(dir.path(), &["report", "access.log"]);
    run.assert_failed_cleanly();
    diagnostic(&run.stderr, "access.log", None);
    assert!(run.stderr.contains("cannot read the log"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn the_html_report_is_a_page_of_tables_that_escapes_what_buyers_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("events.jsonl");
    std::fs::write(
        &log,
        "{\"event\":\"search\",\"lang\":\"en\",\"query\":\"<img src=x onerror=alert(1)>\",\"results\":0}\n\
         {\"event\":\"vote\",\"lang\":\"en\",\"page\":\"/faq/\",\"helpful\":\"no\"}\n",
    )
    .expect("write");
    let run = run_in(dir.path(), &["report", "--format", "html", "events.jsonl"]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(!run.stdout.contains("<img"), "{}", run.stdout);
    let html = Html::parse_document(&run.stdout);
    let captions: Vec<String> = select(&html, "table caption").iter().map(text).collect();
    assert_eq!(
        captions,
        ["Top queries", "No results", "Voted unhelpful, surest first"]
    );
    let no_results = select(&html, "table:nth-of-type(2) tbody td");
    assert_eq!(text(&no_results[0]), "<img src=x onerror=alert(1)>");
    assert_eq!(no_results[0].value().attr("lang"), Some("en"));
    let unhelpful = select(&html, "table:nth-of-type(3) tbody td");
    assert_eq!(text(&unhelpful[0]), "/faq/");
    assert_eq!(text(&unhelpful[3]), "21 %");
}

#[test]
fn the_site_config_names_the_event_file_a_report_reads() {
    let site = Site::new(&[]);
    site.write(
        "helpdeck.toml",
        format!("{}\n[analytics]\nlog = \"/stats/ev.txt\"\n", common::CONFIG),
    );
    site.write(
        "access.log",
        "198.51.100.4 - - [07/Dec/2026:09:00:01 +0000] \"GET /help/stats/ev.txt?event=search&lang=lt&query=siuntimas&results=2 HTTP/1.1\" 200 43 \"-\" \"-\"\n\
         198.51.100.4 - - [07/Dec/2026:09:00:02 +0000] \"GET /_hd/e.gif?event=search&lang=en&query=refund&results=2 HTTP/1.1\" 404 0 \"-\" \"-\"\n",
    );
    let run = site.run(&["report", "--format", "json", "access.log"]);
    assert!(run.ok(), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["log_path"], "/stats/ev.txt");
    assert_eq!(report["events"], 1);
    assert_eq!(
        report["languages"][0]["top_queries"][0]["query"],
        "siuntimas"
    );
}

#[test]
fn a_build_with_analytics_writes_the_event_file_its_no_store_rule_and_the_page_attribute() {
    let site = Site::new(common::GOOD);
    site.write(
        "helpdeck.toml",
        common::CONFIG.replace(
            "https://help.test.example",
            "https://shop.test.example/help",
        ) + "\n[analytics]\nlog = \"/_hd/e.gif\"\n",
    );
    site.build();
    let gif = std::fs::read(site.public().join("_hd/e.gif")).expect("the event file");
    assert!(gif.starts_with(b"GIF89a") && gif.len() == 43, "{gif:?}");
    let headers = site.read("_headers");
    assert!(
        headers.contains("/help/_hd/e.gif\n  Cache-Control: no-store\n"),
        "{headers}"
    );
    for page in ["index.html", "lt/index.html", "about/index.html"] {
        let html = site.html(page);
        let events = select(&html, "body > span[hidden][data-event-log]");
        assert_eq!(events.len(), 1, "{page}");
        assert_eq!(
            events[0].value().attr("data-event-log"),
            Some("/help/_hd/e.gif")
        );
        assert_eq!(events[0].value().attr("data-event-endpoint"), Some(""));
    }
    // Votes go to the access log too, so the widget is there without a [feedback] section.
    let about = site.html("about/index.html");
    assert_eq!(select(&about, "section.feedback[data-feedback]").len(), 1);
    assert!(
        !site.read("about/index.html").contains("\n\n"),
        "still minified"
    );

    site.write(
        "helpdeck.toml",
        common::CONFIG.to_string()
            + "\n[analytics]\nendpoint = \"https://collect.test.example/e\"\n",
    );
    site.build();
    assert!(
        !site.public().join("_hd").exists(),
        "no event file for an endpoint"
    );
    let html = site.html("index.html");
    let events = select(&html, "[data-event-log]");
    assert_eq!(
        events[0].value().attr("data-event-endpoint"),
        Some("https://collect.test.example/e")
    );
    assert_eq!(events[0].value().attr("data-event-log"), Some(""));
}

#[test]
fn analytics_settings_that_cannot_work_fail_the_build_naming_their_line() {
    let site = Site::new(common::GOOD);
    site.build();
    for (section, line, message) in [
        (
            "[analytics]\nlog = \"_hd/e.gif\"\n",
            11,
            "must be a path starting with `/`",
        ),
        (
            "[analytics]\nlog = \"/_hd/e\"\n",
            11,
            "must name a file with an extension",
        ),
        (
            "[analytics]\nlog = \"/e.gif\"\nendpoint = \"https://collect.test.example/e\"\n",
            11,
            "not both",
        ),
        (
            "[analytics]\nendpoint = \"collect.test.example\"\n",
            11,
            "must be an http(s) URL",
        ),
        ("[analytics]\n", 10, "needs `log"),
        (
            "[analytics]\nlog = \"/robots.txt\"\n",
            11,
            "`log` is also the path of robots.txt",
        ),
    ] {
        site.write("helpdeck.toml", format!("{}\n{section}", common::CONFIG));
        let stderr = site.fails_keeping_output(&["build"]);
        let found = diagnostic(&stderr, "helpdeck.toml", Some(line));
        assert!(found.contains(message), "{section}: {found}");
    }
}

#[test]
fn a_starter_site_turns_analytics_on_by_uncommenting_its_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = run_in(
        dir.path(),
        &["init", "birch", "--languages", "en,lt", "--country", "LT"],
    );
    assert!(init.ok(), "{}", init.stderr);
    let root = dir.path().join("birch");
    let config = std::fs::read_to_string(root.join("helpdeck.toml")).expect("config");
    let on = config
        .replace("# [analytics]\n", "[analytics]\n")
        .replace("# log = \"/_hd/e.gif\"\n", "log = \"/_hd/e.gif\"\n");
    assert_ne!(
        on, config,
        "the starter explains [analytics], commented out"
    );
    std::fs::write(root.join("helpdeck.toml"), on).expect("write");
    let build = run_in(&root, &["build"]);
    assert!(build.ok(), "{}", build.stderr);
    assert!(root.join("public/_hd/e.gif").is_file());
    for page in [
        "policies/returns/index.html",
        "lt/policies/returns/index.html",
    ] {
        let html = Html::parse_document(
            &std::fs::read_to_string(root.join("public").join(page)).expect("page"),
        );
        assert_eq!(
            select(&html, "[data-event-log=\"/_hd/e.gif\"]").len(),
            1,
            "{page}"
        );
        assert_eq!(
            select(&html, "section.feedback").len(),
            1,
            "{page}: votes have a destination"
        );
    }
}

#[test]
fn serve_prints_each_event_as_the_report_reads_it() {
    let site = Site::new(common::GOOD);
    site.write(
        "helpdeck.toml",
        format!("{}\n[analytics]\nlog = \"/_hd/e.gif\"\n", common::CONFIG),
    );
    let server = common::server::Server::start(&site, &[]);
    let reply = server.get("/_hd/e.gif?event=search&lang=lt&query=gr%C4%85%C5%BEinimas&results=3");
    assert_eq!(reply.status, 200);
    server.wait_for_log(
        r#"analytics event: {"event":"search","lang":"lt","query":"grąžinimas","results":3}"#,
    );
    server.get("/_hd/e.gif?event=vote&lang=en&page=%2Fabout%2F&helpful=no");
    server.wait_for_log(
        r#"analytics event: {"event":"vote","lang":"en","page":"/about/","helpful":"no"}"#,
    );
    server.get("/_hd/e.gif");
    server.wait_for_log("analytics: a request for the event file without an event (no `event`)");
}
