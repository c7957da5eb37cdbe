//! Bad input: every broken site must fail with exit 1 and one clean diagnostic per problem
//! (`error: FILE:LINE[:COL]: message: `offending text``), never panic, and leave the previous
//! output untouched; hostile or pathological input must build safely and in bounded time.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// Builds `files` (a good site), snapshots it, writes `path` = `text`, and builds again, which
/// must fail cleanly. Returns the site and stderr.
fn break_file(files: &[(&str, &str)], path: &str, text: impl AsRef<[u8]>) -> (Site, String) {
    let site = Site::new(files);
    site.build();
    site.write(path, text);
    let stderr = site.fails_keeping_output(&["build"]);
    (site, stderr)
}

/// `break_file` on the `GOOD` site.
fn break_good(path: &str, text: impl AsRef<[u8]>) -> String {
    break_file(GOOD, path, text).1
}

// ---------------------------------------------------------------------------------------------
// Front matter delimiters

#[test]
fn missing_opening_delimiter() {
    let stderr = break_good(
        "content/about.md",
        "title = \"About us\"\n+++\nWe make things.\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(1));
    assert!(d.contains("+++"), "{d}");
    assert_quotes(d, "title = \"About us\"");
}

#[test]
fn unclosed_front_matter() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\nWe make things.\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(1));
    assert!(d.contains("never closed"), "{d}");
    assert_quotes(d, "+++");
}

#[test]
fn empty_file() {
    let stderr = break_good("content/about.md", "");
    let d = diagnostic(&stderr, "content/about.md", Some(1));
    assert!(d.contains("empty"), "{d}");
}

#[test]
fn whitespace_only_file() {
    let stderr = break_good("content/about.md", "  \n\n\t \n");
    let d = diagnostic(&stderr, "content/about.md", Some(1));
    assert!(d.contains("empty"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// TOML

#[test]
fn invalid_toml_in_front_matter_counts_lines_from_top_of_file() {
    let stderr = break_good(
        "content/about.md",
        "+++\nweight = 1\ntitle = \"x\n+++\nbody\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert_quotes(d, "title = \"x");
}

#[test]
fn invalid_toml_in_config() {
    let config = "title = \"Test Shop Help\"\nbase_url = \"https://help.test.example\"\ndefault_language = \"en\"\ndescription = \"x\n[languages.en]\ntitle = \"Test Shop Help\"\n[languages.lt]\ntitle = \"Pagalba\"\n";
    let stderr = break_good("helpdeck.toml", config);
    let d = diagnostic(&stderr, "helpdeck.toml", Some(4));
    assert_quotes(d, "description = \"x");
}

#[test]
fn wrong_type_date() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\ndate = \"yesterday\"\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert!(d.contains("date"), "{d}");
    assert!(d.contains("yesterday"), "{d}");
}

#[test]
fn wrong_type_weight() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\n\nweight = \"x\"\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(4));
    assert_quotes(d, "weight = \"x\"");
}

#[test]
fn unknown_config_key_suggests_title() {
    let config = "title = \"Test Shop Help\"\nbase_url = \"https://help.test.example\"\ntitel = \"x\"\ndefault_language = \"en\"\n[languages.en]\ntitle = \"Test Shop Help\"\n[languages.lt]\ntitle = \"Pagalba\"\n";
    let stderr = break_good("helpdeck.toml", config);
    let d = diagnostic(&stderr, "helpdeck.toml", Some(3));
    assert!(d.contains("did you mean `title`"), "{d}");
    assert_quotes(d, "titel = \"x\"");
}

#[test]
fn unknown_front_matter_key_suggests_updated() {
    let stderr = break_good(
        "content/policies/returns.md",
        "+++\ntitle = \"Returns\"\nkind = \"policy\"\nupdated = 2026-01-15\nudpated = 2026-01-01\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/policies/returns.md", Some(5));
    assert!(d.contains("did you mean `updated`"), "{d}");
    assert_quotes(d, "udpated = 2026-01-01");
}

#[test]
fn missing_title() {
    let stderr = break_good(
        "content/about.md",
        "+++\ndescription = \"Who we are.\"\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(2));
    assert!(d.contains("title"), "{d}");
}

#[test]
fn invalid_bare_date_is_invalid_toml() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\ndate = 2026-13-45\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert_quotes(d, "date = 2026-13-45");
}

#[test]
fn invalid_date_string() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\ndate = \"2026-02-30\"\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert!(d.contains("2026-02-30"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// Encoding

#[test]
fn not_utf8_names_file_and_line() {
    let stderr = break_good(
        "content/about.md",
        b"+++\ntitle = \"a\"\n+++\nok\n\xff\xfe bad\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(5));
    assert!(d.contains("UTF-8"), "{d}");
    // The offending line is quoted (lossily), not an empty quote.
    assert!(!d.contains("``"), "empty quote in the diagnostic: {d}");
    assert!(d.contains("bad`"), "the offending line is not quoted: {d}");
}

// ---------------------------------------------------------------------------------------------
// URLs

#[test]
fn two_pages_with_one_url() {
    let files = good_with(&[("content/b.md", "+++\ntitle = \"B\"\n+++\nb\n")]);
    let (_, stderr) = break_file(
        &files,
        "content/a.md",
        "+++\ntitle = \"A\"\nslug = \"b\"\n+++\na\n",
    );
    let line = stderr
        .lines()
        .find(|l| {
            l.starts_with("error: content/")
                && l.contains("content/a.md")
                && l.contains("content/b.md")
        })
        .unwrap_or_else(|| panic!("no diagnostic naming both files:\n{stderr}"));
    assert!(line.contains("/b/"), "{line}");
}

#[test]
fn urls_that_differ_only_in_case() {
    let files = good_with(&[("content/returns.md", "+++\ntitle = \"returns\"\n+++\nr\n")]);
    let (_, stderr) = break_file(
        &files,
        "content/Returns.md",
        "+++\ntitle = \"Returns\"\n+++\nR\n",
    );
    stderr
        .lines()
        .find(|l| {
            l.starts_with("error: content/")
                && l.contains("content/Returns.md")
                && l.contains("content/returns.md")
        })
        .unwrap_or_else(|| panic!("no diagnostic naming both files:\n{stderr}"));
}

#[test]
fn broken_internal_link() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\n+++\nWe make things.\n\nSee [x](@/nope.md) too.\n",
    );
    let d = diagnostic(&stderr, "content/about.md", Some(6));
    assert_quotes(d, "@/nope.md");
}

// ---------------------------------------------------------------------------------------------
// Templates

const GOOD_PAGE_TEMPLATE: &str =
    "<!doctype html>\n<title>{{ page.title }}</title>\n<main>{{ page.content | safe }}</main>\n";

#[test]
fn template_syntax_error() {
    let files = good_with(&[("templates/page.html", GOOD_PAGE_TEMPLATE)]);
    let (_, stderr) = break_file(
        &files,
        "templates/page.html",
        "<!doctype html>\n{% if %}<title>{{ page.title }}</title>{% endif %}\n",
    );
    diagnostic(&stderr, "templates/page.html", Some(2));
}

#[test]
fn template_unknown_filter() {
    let files = good_with(&[("templates/page.html", GOOD_PAGE_TEMPLATE)]);
    let (_, stderr) = break_file(
        &files,
        "templates/page.html",
        "<!doctype html>\n<title>{{ page.title | nope }}</title>\n",
    );
    let d = diagnostic(&stderr, "templates/page.html", Some(2));
    assert!(d.contains("nope"), "{d}");
}

#[test]
fn missing_template_names_content_file_and_line() {
    let stderr = break_good(
        "content/about.md",
        "+++\ntitle = \"About us\"\ntemplate = \"custom.html\"\n+++\nWe make things.\n",
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("error: content/about.md") && l.contains("`custom.html`")),
        "no diagnostic naming content/about.md and `custom.html`:\n{stderr}"
    );
    // The `template = …` key is on line 3.
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert!(d.contains("custom.html"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// Slugs and aliases that climb out

/// Breaks `content/about.md` with `front` (its key on line 3) and checks nothing was written
/// outside the output.
fn climbing(front: &str, quoted: &str) {
    let outside = std::env::temp_dir().join("x");
    let outside_existed = outside.exists();
    let etc_existed = Path::new("/etc/x").exists();
    let (site, stderr) = break_file(
        GOOD,
        "content/about.md",
        format!("+++\ntitle = \"About us\"\n{front}\n+++\nWe make things.\n"),
    );
    let d = diagnostic(&stderr, "content/about.md", Some(3));
    assert_quotes(d, quoted);
    assert!(
        !site.root().join("x").exists(),
        "x written in the site root"
    );
    let parent_x = site.root().parent().expect("parent").join("x");
    if !outside_existed {
        assert!(
            !outside.exists() && !parent_x.exists(),
            "x written next to the site root"
        );
    }
    if !etc_existed {
        assert!(!Path::new("/etc/x").exists(), "/etc/x written");
    }
}

#[test]
fn slug_climbing_out() {
    climbing("slug = \"../x\"", "../x");
}

#[test]
fn slug_absolute() {
    climbing("slug = \"/etc/x\"", "/etc/x");
}

#[test]
fn alias_climbing_out() {
    climbing("aliases = [\"../../x\"]", "../../x");
}

// ---------------------------------------------------------------------------------------------
// Content folder and languages

#[test]
fn empty_content_directory() {
    let site = Site::new(GOOD);
    site.build();
    std::fs::remove_dir_all(site.root().join("content")).expect("rm");
    std::fs::create_dir(site.root().join("content")).expect("mkdir");
    let stderr = site.fails_keeping_output(&["build"]);
    let d = stderr
        .lines()
        .find(|l| l.starts_with("error: content"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(d.contains("no content"), "{d}");
}

#[test]
fn missing_content_directory() {
    let site = Site::new(GOOD);
    site.build();
    std::fs::remove_dir_all(site.root().join("content")).expect("rm");
    let stderr = site.fails_keeping_output(&["build"]);
    let d = stderr
        .lines()
        .find(|l| l.starts_with("error: content"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(d.contains("no content"), "{d}");
}

#[test]
fn unconfigured_language_suffix() {
    let stderr = break_good(
        "content/policies/returns.xx.md",
        "+++\ntitle = \"x\"\n+++\nx\n",
    );
    let d = diagnostic(&stderr, "content/policies/returns.xx.md", None);
    assert!(d.contains("`xx`"), "{d}");
    assert!(d.contains("en, lt"), "configured tags not listed: {d}");
}

#[test]
fn policy_without_updated() {
    let stderr = break_good(
        "content/policies/returns.md",
        "+++\ntitle = \"Returns\"\nkind = \"policy\"\n+++\nReturn within 30 days.\n",
    );
    let d = diagnostic(&stderr, "content/policies/returns.md", Some(2));
    assert!(d.contains("updated"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// Output safety

/// Builds the good site, then `helpdeck build --output OUTPUT` must be refused, deleting nothing.
fn refused_output(output: &str) {
    let site = Site::new(GOOD);
    site.build();
    let before = snapshot(site.root());
    let run = site.run(&["build", "--output", output]);
    assert_eq!(
        run.code,
        Some(1),
        "--output {output} not refused:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        snapshot(site.root()) == before,
        "--output {output} changed the site"
    );
    assert!(site.root().join("content/about.md").is_file());
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn output_is_site_root() {
    refused_output(".");
}

#[test]
fn output_is_content() {
    refused_output("content");
}

#[test]
fn output_is_parent_of_root() {
    // The site lives in OUTER/site, so `..` is a temporary folder holding only the site.
    let outer = Site::new(&[]);
    for (path, text) in GOOD {
        outer.write(&format!("site/{path}"), text);
    }
    outer.write("site/helpdeck.toml", CONFIG);
    let root = outer.root().join("site");
    let run = run_in(&root, &["build"]);
    assert!(run.ok(), "{}", run.stderr);
    let before = snapshot(outer.root());
    let run = run_in(&root, &["build", "--output", ".."]);
    assert_eq!(
        run.code,
        Some(1),
        "--output .. not refused:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        snapshot(outer.root()) == before,
        "--output .. changed files"
    );
    assert!(root.join("content/about.md").is_file());
    assert_eq!(staging_leftovers(outer.root()), Vec::<String>::new());
    assert_eq!(staging_leftovers(&root), Vec::<String>::new());
}

#[test]
fn output_is_non_empty_foreign_folder() {
    let site = Site::new(GOOD);
    site.build();
    site.write("out/keep.txt", "mine");
    let before = snapshot(site.root());
    let run = site.run(&["build", "--output", "out"]);
    assert_eq!(
        run.code,
        Some(1),
        "--output out not refused:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(site.root().join("out/keep.txt")).expect("keep.txt"),
        "mine"
    );
    assert!(
        snapshot(site.root()) == before,
        "--output out changed files"
    );
    assert!(
        staging_leftovers(&site.root().join("out")).is_empty()
            && site.staging_leftovers().is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// BOM and CRLF

fn bom_crlf(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

#[test]
fn bom_and_crlf_build_like_plain_files() {
    let plain = Site::new(GOOD);
    plain.build();
    let converted: Vec<(&str, String)> = GOOD
        .iter()
        .map(|(p, t)| {
            (
                *p,
                if *p == "content/about.md" || *p == "content/faq/orders.md" {
                    bom_crlf(t)
                } else {
                    t.to_string()
                },
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = converted.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let odd = Site::new(&refs);
    odd.write("helpdeck.toml", bom_crlf(CONFIG));
    odd.build();
    let (a, b) = (snapshot(&plain.public()), snapshot(&odd.public()));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs with BOM/CRLF input", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// XSS

/// Every string in a JSON value.
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// Checks one output HTML document; returns the strings of its JSON-LD.
fn check_html_is_inert(path: &Path, raw: &str) -> Vec<String> {
    let html = Html::parse_document(raw);
    assert!(
        select(&html, "img[onerror]").is_empty(),
        "{}: img[onerror]",
        path.display()
    );
    let mut strings = Vec::new();
    for script in select(&html, "script") {
        let body: String = script.text().collect();
        if script.value().attr("type") == Some("application/ld+json") {
            let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| {
                panic!("{}: JSON-LD does not parse ({e}): {body}", path.display())
            });
            json_strings(&json, &mut strings);
        } else {
            assert!(
                !body.contains("alert(1)"),
                "{}: script with alert(1): {body}",
                path.display()
            );
        }
    }
    strings
}

#[test]
fn xss_in_front_matter_is_escaped() {
    const IMG: &str = "\"><img src=x onerror=alert(1)>";
    const SCRIPT: &str = "</script><script>alert(1)</script>";
    let files = good_with(&[
        (
            "content/faq/img.md",
            "+++\ntitle = \"\\\"><img src=x onerror=alert(1)>\"\ndescription = \"\\\"><img src=x onerror=alert(1)>\"\n+++\nIntro.\n\n## Question\n\nAnswer.\n",
        ),
        (
            "content/faq/script.md",
            "+++\ntitle = '</script><script>alert(1)</script>'\n+++\n## Question\n\nAnswer.\n",
        ),
    ]);
    let site = Site::new(&files);
    site.build();
    // The minifier may write `<` unescaped where HTML reads it as text (inside <title> and
    // quoted attributes), so the check is on the parsed document, as a browser reads it.
    for (path, bytes) in snapshot(&site.public()) {
        let raw = String::from_utf8_lossy(&bytes);
        if path.extension().is_some_and(|e| e == "html") {
            let strings = check_html_is_inert(&path, &raw);
            for (page, title) in [
                ("faq/img/index.html", IMG),
                ("faq/script/index.html", SCRIPT),
            ] {
                if path == Path::new(page) {
                    assert!(
                        strings.iter().any(|s| s == title),
                        "{page}: JSON-LD lacks the title {title:?}: {strings:?}"
                    );
                    let html = Html::parse_document(&raw);
                    let shown = select(&html, "title")[0].text().collect::<String>();
                    assert!(shown.starts_with(title), "{page}: <title> is {shown:?}");
                    assert_eq!(
                        select(&html, "h1")[0].text().collect::<String>().trim(),
                        title,
                        "{page}: h1 shows the text"
                    );
                }
            }
        }
    }
}

const RAW_HTML_BODY: &str = "Safe text.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(1)\">x</a>\n\n[y](javascript:alert(1))\n";

#[test]
fn raw_html_is_disarmed_by_default() {
    let about = page("title = \"About us\"", RAW_HTML_BODY);
    let site = Site::new(&good_with(&[("content/about.md", &about)]));
    site.build();
    let raw = site.read("about/index.html");
    check_html_is_inert(Path::new("about/index.html"), &raw);
    let html = Html::parse_document(&raw);
    for a in select(&html, "a[href]") {
        let href = a
            .value()
            .attr("href")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        assert!(
            !href.starts_with("javascript:"),
            "javascript: link kept: {}",
            a.html()
        );
    }
    assert!(
        !raw.to_ascii_lowercase().contains("javascript:"),
        "javascript: in output"
    );
    assert!(raw.contains("Safe text."));
}

#[test]
fn raw_html_kept_when_trusted() {
    let about = page("title = \"About us\"", RAW_HTML_BODY);
    let config = format!("{CONFIG}[markdown]\ntrust_html = true\n");
    let site = Site::new(&good_with(&[
        ("content/about.md", &about),
        ("helpdeck.toml", &config),
    ]));
    site.build();
    let html = site.html("about/index.html");
    assert!(
        select(&html, "script")
            .iter()
            .any(|s| s.text().collect::<String>().contains("alert(1)")),
        "trusted <script> removed"
    );
}

// ---------------------------------------------------------------------------------------------
// Pathological input

/// Builds the good site, adds `content/p.md` with `body`, and builds again: it must succeed, or
/// fail cleanly (exit 1, no panic, previous output kept), within the time bound.
fn pathological(body: String) {
    let limit = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 10 });
    let site = Site::new(GOOD);
    site.build();
    let before = snapshot(&site.public());
    site.write("content/p.md", page("title = \"p\"", &body));
    let started = Instant::now();
    let run = site.run(&["build"]);
    let elapsed = started.elapsed();
    let tail: String = run.stderr.chars().take(2000).collect();
    assert!(
        run.code == Some(0) || run.code == Some(1),
        "neither built nor failed cleanly: exit {:?}\n{tail}",
        run.code
    );
    assert!(!run.stderr.contains("panicked"), "panic:\n{tail}");
    assert!(elapsed < limit, "took {elapsed:?}");
    if run.ok() {
        assert!(site.public().join("p/index.html").is_file());
    } else {
        assert!(run.stderr.starts_with("error: "), "{tail}");
        assert!(
            snapshot(&site.public()) == before,
            "previous output changed"
        );
    }
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
}

#[test]
fn deeply_nested_blockquotes() {
    pathological(format!("{} x\n", ">".repeat(10_000)));
}

#[test]
fn deeply_nested_bullet_lists() {
    pathological(
        (0..10_000)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect(),
    );
}

#[test]
fn deeply_nested_ordered_lists() {
    pathological(
        (0..10_000)
            .map(|i| format!("{}1. a\n", "   ".repeat(i)))
            .collect(),
    );
}

#[test]
fn ten_megabyte_page() {
    let paragraph = format!(
        "{}\n\n",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(10)
    );
    let body = paragraph.repeat(10 * 1024 * 1024 / paragraph.len() + 1);
    pathological(body);
}

#[test]
fn hundred_thousand_brackets() {
    pathological(format!("{}\n", "[".repeat(100_000)));
}

#[test]
fn hundred_thousand_equals_signs() {
    pathological(format!("{}\n", "=".repeat(100_000)));
}

#[test]
fn fifty_thousand_character_heading() {
    pathological(format!("# {}\n\nText.\n", "a".repeat(50_000)));
}

#[test]
fn a_page_that_cannot_be_read_does_not_hide_the_problems_of_the_others() {
    let site = Site::new(GOOD);
    site.build();
    // The home page links to about.md, whose front matter breaks: that link is not broken.
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us\"\nweight = \"first\"\n+++\nWe make things.\n",
    );
    site.write(
        "content/faq/orders.md",
        "+++\ntitle = \"Orders\"\n+++\nAbout orders.\n\nSee [the rules](@/rules.md).\n",
    );
    let stderr = site.fails_keeping_output(&["build"]);
    assert_quotes(
        diagnostic(&stderr, "content/about.md", Some(3)),
        "weight = \"first\"",
    );
    assert_quotes(
        diagnostic(&stderr, "content/faq/orders.md", Some(6)),
        "@/rules.md",
    );
    assert_eq!(stderr.matches("error: ").count(), 2, "{stderr}");

    let check = site.run(&["check"]);
    check.assert_failed_cleanly();
    let report = format!("{}{}", check.stdout, check.stderr);
    for file in ["content/about.md:3", "content/faq/orders.md:6"] {
        assert!(report.contains(file), "{file} in:\n{report}");
    }
}

// ---------------------------------------------------------------------------------------------
// Addresses left from an example

/// A real site's config and data with an endpoint and addresses still on example domains.
const LEFT_FROM_AN_EXAMPLE: &str = "title = \"Shop\"\nbase_url = \"https://help.oakandlinen.lt\"\n\
    default_language = \"en\"\n[languages.en]\n[languages.lt]\n\
    [contact]\nemail = \"help@shop.lt\"\nchat_url = \"https://chat.example.com/oak\"\n\
    [feedback]\nendpoint = \"https://forms.oakandlinen.example/helpful\"\n";

#[test]
fn a_real_site_refuses_addresses_left_on_example_domains_with_its_other_problems() {
    let site = Site::new(&good_with(&[(
        "data/shop.toml",
        "[support]\nemail = \"mailto:help@shop.test\"\n",
    )]));
    site.build();
    site.write("helpdeck.toml", LEFT_FROM_AN_EXAMPLE);
    site.write(
        "content/broken.md",
        "+++\ntitle = \"Broken\"\n+++\nSee [nothing](@/nowhere.md).\n",
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let endpoint = diagnostic(&stderr, "helpdeck.toml", Some(10));
    assert!(
        endpoint.contains("`feedback.endpoint` is on `forms.oakandlinen.example`"),
        "{endpoint}"
    );
    assert_quotes(
        endpoint,
        "endpoint = \"https://forms.oakandlinen.example/helpful\"",
    );
    let chat = diagnostic(&stderr, "helpdeck.toml", Some(8));
    assert!(
        chat.contains("`contact.chat_url` is on `chat.example.com`"),
        "{chat}"
    );
    let data = diagnostic(&stderr, "data/shop.toml", Some(2));
    assert!(data.contains("`support.email` is on `shop.test`"), "{data}");
    // Reported with the rest, not instead of it.
    diagnostic(&stderr, "content/broken.md", Some(4));
    assert!(
        !stderr.contains("help@shop.lt") && !stderr.contains("base_url"),
        "{stderr}"
    );
    let check = site.run(&["check"]);
    check.assert_failed_cleanly();
    let report = format!("{}{}", check.stdout, check.stderr);
    for place in [
        "helpdeck.toml:10",
        "data/shop.toml:2",
        "content/broken.md:4",
    ] {
        assert!(report.contains(place), "{place} in:\n{report}");
    }
}

#[test]
fn a_site_on_an_example_domain_builds_and_its_check_lists_the_addresses_to_replace() {
    let site = Site::new(&good_with(&[(
        "data/shop.toml",
        "[support]\nemail = \"help@shop.example\"\n",
    )]));
    assert_eq!(site.build().stderr, "");
    let check = site.run(&["check"]);
    assert!(check.ok(), "{}{}", check.stdout, check.stderr);
    assert!(
        format!("{}{}", check.stdout, check.stderr)
            .contains("data/shop.toml:2:9: `support.email` is on `shop.example`, a domain reserved for examples"),
        "{}",
        check.stdout
    );
    site.fails_keeping_output(&["build", "--base-url", "https://help.shop.lt"]);
    // A preview built for this machine is no production site either.
    let preview = site.run(&["build", "--base-url", "http://127.0.0.1:8123"]);
    assert!(preview.ok(), "{}", preview.stderr);
}
