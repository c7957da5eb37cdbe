//! `helpdeck translations export|import`: pages to translators' tools and back, segment by
//! segment. Judged by real tools, not by our own reader: GNU `msgfmt --check` and Python's
//! `polib` for PO, `xmllint` against OASIS's XLIFF 2.0 schema (tests/schemas/xliff) and
//! translate-toolkit's XLIFF 2.0 reader for XLIFF.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;

const LANGUAGES: [&str; 4] = ["lt", "pl", "zh-Hant", "ms"];

/// Every file under `content/`, by path.
fn content(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(&site.root().join("content"))
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(&file).unwrap();
            (file, bytes)
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        match path.is_dir() {
            true => files.extend(walk(&path)),
            false => files.push(path),
        }
    }
    files
}

fn export(site: &Site, lang: &str, format: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec!["translations", "export", "--to", lang, "--format", format];
    args.extend_from_slice(extra);
    let run = site.run(&args);
    assert!(run.ok(), "{}", run.stderr);
    let extension = if format == "po" { "po" } else { "xlf" };
    site.root()
        .join("translations")
        .join(format!("pages.{lang}.{extension}"))
}

fn msgfmt_accepts(file: &Path) {
    let msgfmt = Command::new("msgfmt")
        .args(["--check", "-o", "/dev/null"])
        .arg(file)
        .output()
        .expect("msgfmt (GNU gettext) runs");
    assert!(
        msgfmt.status.success() && msgfmt.stderr.is_empty(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&msgfmt.stderr)
    );
}

fn xliff_schema_accepts(file: &Path) {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/xliff/xliff_core_2.0.xsd");
    let xmllint = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint (libxml2-utils) runs");
    assert!(
        xmllint.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&xmllint.stderr)
    );
}

/// The PO file's entries as polib reads them: context, msgid, msgstr, fuzzy.
fn polib_entries(file: &Path) -> Vec<serde_json::Value> {
    let read = common::python(
        "import json, sys, polib\n\
         po = polib.pofile(sys.argv[1])\n\
         print(json.dumps([{'context': e.msgctxt, 'id': e.msgid, 'str': e.msgstr, \
         'fuzzy': 'fuzzy' in e.flags, 'previous': e.previous_msgid} for e in po]))",
        file,
    );
    read.as_array().unwrap().clone()
}

/// Fills every entry of a PO file with `translate(msgid)` and clears fuzzy marks, as a
/// translator's tool would save it (through polib).
fn translate_po(file: &Path, prefix: &str) {
    let script = format!(
        "import sys, polib\n\
         po = polib.pofile(sys.argv[1])\n\
         for e in po:\n\
         \x20   e.msgstr = '{prefix}' + e.msgid\n\
         \x20   if 'fuzzy' in e.flags: e.flags.remove('fuzzy')\n\
         \x20   e.previous_msgid = None\n\
         po.save(sys.argv[1])\n\
         print('{{}}')"
    );
    common::python(&script, file);
}

#[test]
fn the_demo_round_trips_byte_for_byte_and_real_tools_read_it() {
    let site = Site::demo();
    let before = content(&site);
    for lang in LANGUAGES {
        let po = export(&site, lang, "po", &[]);
        msgfmt_accepts(&po);
        let entries = polib_entries(&po);
        assert!(entries.len() > 400, "{lang}: {}", entries.len());
        // The demo is fully translated and current.
        for entry in &entries {
            assert!(
                !entry["str"].as_str().unwrap().is_empty() && entry["fuzzy"] == false,
                "{lang}: {entry}"
            );
        }
        let xliff = export(&site, lang, "xliff", &[]);
        xliff_schema_accepts(&xliff);
        let units = common::python(
            "import json, sys\n\
             from translate.storage.xliff2 import Xliff2File\n\
             store = Xliff2File.parsestring(open(sys.argv[1], 'rb').read())\n\
             print(json.dumps([{'id': u.getid(), 'state': u.xmlelement.get('state'), \
             'target': bool(u.target)} for u in store.units]))",
            &xliff,
        );
        let units = units.as_array().unwrap();
        assert_eq!(units.len(), entries.len(), "{lang}");
        assert!(units.iter().all(|u| u["state"] == "translated"), "{lang}");
        for file in [&po, &xliff] {
            let run = site.run(&["translations", "import", file.to_str().unwrap()]);
            assert!(run.ok(), "{}", run.stderr);
            assert!(
                run.stdout.contains("0 segments changed") && run.stdout.contains("wrote 0 files"),
                "{}",
                run.stdout
            );
        }
    }
    assert!(
        content(&site) == before,
        "an unchanged import changed a file"
    );
}

/// A page with every Markdown construct a help page uses.
const GUIDE: &str = r#"+++
title = "Care guide"
description = "How to look after oak."
weight = 1
summary = ['Oil it every {{ fact(key="shop.returns.window_days") }} days', "Keep it dry"]

[[changes]]
date = 2026-01-01
text = "Added the table."
+++

Intro with **bold**, *emphasis*, `code`, a [link](@/faq.md "Title") and <kbd>Ctrl</kbd>.[^1]

## Oiling {#oiling}

1. First step
   - nested bullet with [a link](https://shop.test.example/a)
2. Second step

| Wood | Oil |
|------|-----|
| Oak  | Linseed |

```sh
oil --coats 2 {braces}
```

<div class="note">
An HTML block stays as it is.
</div>

{% steps() %}
1. Shortcode step one.
2. Step two.
{% end %}

> A quote with {literal braces}.

[^1]: A footnote.
"#;

const FAQ: &str = r#"+++
title = "Questions"
page_kind = "faq"
+++

## Is it safe?

Yes, see the [care guide](@/guide.md#oiling).

## Does it float?

No.
"#;

/// A product page: safety lines in its front matter, questions and answers in its body.
const PRODUCT: &str = r#"+++
title = "Oak board"
description = "A board of solid oak."

[product]
name = "Oak board"
sku = "OB-1"
safety = ["Hand-wash only.", "Not for the oven."]
+++

A board made from one piece of oak.

## Is it dishwasher safe?

No: wash it by hand.
"#;

fn fixture() -> Site {
    Site::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        ("content/guide.md", GUIDE),
        ("content/faq.md", FAQ),
        ("content/board.md", PRODUCT),
        ("data/shop.toml", "[returns]\nwindow_days = 30\n"),
    ])
}

#[test]
fn a_fully_translated_po_file_makes_every_page_current_and_keeps_the_markdown() {
    let site = fixture();
    site.build();
    let po = export(&site, "lt", "po", &[]);
    msgfmt_accepts(&po);
    let entries = polib_entries(&po);
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    for expected in [
        "Care guide",
        "Oil it every {fact1} days",
        "Added the table.",
        "Intro with **bold**, *emphasis*, {code1}, a [link]({link1} \"Title\") and {html1}Ctrl{html2}.{note1}",
        "Oiling",
        "First step",
        "nested bullet with [a link]({link1})",
        "Linseed",
        "Shortcode step one.",
        "A quote with {{literal braces}}.",
        "A footnote.",
        "Is it safe?",
        "Yes, see the [care guide]({link1}#oiling).",
        "Hand-wash only.",
        "Is it dishwasher safe?",
    ] {
        assert!(ids.contains(&expected), "{expected:?} not in {ids:#?}");
    }
    assert!(
        !ids.iter()
            .any(|id| id.contains("oil --coats") || id.contains("HTML block")),
        "code and HTML blocks are not for translation: {ids:#?}"
    );

    translate_po(&po, "LT ");
    msgfmt_accepts(&po);
    let run = site.run(&["translations", "import", po.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    let guide = std::fs::read_to_string(site.root().join("content/guide.lt.md")).unwrap();
    for kept in [
        "title = \"LT Care guide\"",
        "'LT Oil it every {{ fact(key=\"shop.returns.window_days\") }} days'",
        "text = \"LT Added the table.\"",
        "LT Intro with **bold**, *emphasis*, `code`, a [link](@/faq.md \"Title\") and <kbd>Ctrl</kbd>.[^1]",
        "## LT Oiling {#oiling}",
        "   - LT nested bullet with [a link](https://shop.test.example/a)",
        "| LT Oak  | LT Linseed |",
        "oil --coats 2 {braces}",
        "<div class=\"note\">\nAn HTML block stays as it is.\n</div>",
        "{% steps() %}\n1. LT Shortcode step one.\n2. LT Step two.\n{% end %}",
        "> LT A quote with {literal braces}.",
        "[^1]: LT A footnote.",
        "weight = 1",
    ] {
        assert!(guide.contains(kept), "{kept:?} not in:\n{guide}");
    }
    let report = site.run(&["translations", "--lang", "lt", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(report[0]["current"], 4, "{report:#}");
    let board = std::fs::read_to_string(site.root().join("content/board.lt.md")).unwrap();
    assert!(
        board.contains("safety = [\"LT Hand-wash only.\", \"LT Not for the oven.\"]")
            && board.contains("sku = \"OB-1\"")
            && board.contains("## LT Is it dishwasher safe?"),
        "{board}"
    );
    site.build();
    for page in [
        "lt/guide/index.html",
        "lt/faq/index.html",
        "lt/board/index.html",
        "lt/index.html",
    ] {
        let html = site.html(page);
        assert!(
            common::select(&html, ".fallback-notice").is_empty(),
            "{page}"
        );
        assert_eq!(
            common::select(&html, "main")[0].value().attr("lang"),
            Some("lt")
        );
    }
    let faq = site.html("lt/faq/index.html");
    let text = faq.root_element().text().collect::<String>();
    assert!(text.contains("LT Is it safe?"), "{text}");

    // The translated file round-trips too.
    let again = export(&site, "lt", "xliff", &[]);
    xliff_schema_accepts(&again);
    let before = content(&site);
    let run = site.run(&["translations", "import", again.to_str().unwrap()]);
    assert!(
        run.ok() && run.stdout.contains("wrote 0 files"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(content(&site) == before);
}

#[test]
fn one_edited_paragraph_is_one_outdated_segment_and_a_moved_one_none() {
    let site = fixture();
    let po = export(&site, "lt", "po", &[]);
    translate_po(&po, "LT ");
    assert!(
        site.run(&["translations", "import", po.to_str().unwrap()])
            .ok()
    );
    let counts = |site: &Site| {
        let run = site.run(&["translations", "--lang", "lt", "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let page = report[0]["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["source"] == "content/guide.md")
            .unwrap()
            .clone();
        (page["status"].clone(), page["segments"].clone())
    };
    let (status, segments) = counts(&site);
    assert_eq!(status, "current");
    assert_eq!(segments["outdated"], 0);

    site.write(
        "content/guide.md",
        GUIDE.replace("2. Second step", "2. Second step, slowly"),
    );
    let (status, segments) = counts(&site);
    assert_eq!(status, "outdated");
    assert_eq!(
        (segments["outdated"].as_u64(), segments["missing"].as_u64()),
        (Some(1), Some(0))
    );
    let outdated = export(&site, "lt", "po", &["--only", "outdated"]);
    let entries = polib_entries(&outdated);
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["id"], "Second step, slowly");
    assert_eq!(entries[0]["str"], "LT Second step");
    assert_eq!(entries[0]["fuzzy"], true);

    // Moving a paragraph changes the page's text but no segment.
    let moved = GUIDE
        .replace("> A quote with {literal braces}.\n", "")
        .replace(
            "## Oiling {#oiling}\n",
            "## Oiling {#oiling}\n\n> A quote with {literal braces}.\n",
        );
    site.write("content/guide.md", &moved);
    let (status, segments) = counts(&site);
    assert_eq!(status, "current", "{segments:#}");
}

#[test]
fn a_tampered_placeholder_is_refused_at_its_line_and_nothing_is_written() {
    let site = fixture();
    let po = export(&site, "lt", "po", &[]);
    translate_po(&po, "LT ");
    let text = std::fs::read_to_string(&po).unwrap();
    let tampered = text
        .replace(
            "msgstr \"LT Oil it every {fact1} days\"",
            "msgstr \"LT Oil it every 30 days\"",
        )
        .replace(
            "msgstr \"LT Yes, see the [care guide]({link1}#oiling).\"",
            "msgstr \"LT Yes, see the [care guide](@/other.md#oiling).\"",
        );
    assert_ne!(tampered, text);
    std::fs::write(&po, &tampered).unwrap();
    let before = content(&site);
    let run = site.run(&["translations", "import", po.to_str().unwrap()]);
    run.assert_failed_cleanly();
    let line_of = |needle: &str| {
        tampered
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    // Each entry's line is where the entry starts: its first comment.
    let entry_start = |needle: &str| {
        let at = line_of(needle);
        let lines: Vec<&str> = tampered.lines().collect();
        (1..at)
            .rev()
            .find(|&l| lines[l - 1].is_empty())
            .map_or(1, |l| l + 1)
    };
    let fact_line = entry_start("msgstr \"LT Oil it every 30 days\"");
    assert!(
        run.stderr.contains(&format!("pages.lt.po:{fact_line}:"))
            && run.stderr.contains("guide.md#summary-")
            && run.stderr.contains("{fact1}"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("faq.md#p-") && run.stderr.contains("{link1}"),
        "{}",
        run.stderr
    );
    assert!(content(&site) == before, "a failed import wrote files");
}

#[test]
fn a_partial_import_stays_untranslated_until_every_segment_is() {
    let site = fixture();
    let po = export(&site, "lt", "po", &[]);
    // Only the FAQ's title and first question.
    let script = "import sys, polib\n\
        po = polib.pofile(sys.argv[1])\n\
        for e in po:\n\
        \x20   if e.msgctxt.startswith('faq.md#') and e.msgid in ('Questions', 'Is it safe?'):\n\
        \x20       e.msgstr = 'LT ' + e.msgid\n\
        po.save(sys.argv[1])\n\
        print('{}')";
    common::python(script, &po);
    let run = site.run(&["translations", "import", po.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    let faq = std::fs::read_to_string(site.root().join("content/faq.lt.md")).unwrap();
    assert!(
        faq.contains("title = \"LT Questions\"") && faq.contains("## LT Is it safe?"),
        "{faq}"
    );
    assert!(faq.contains("source_segments = \""), "{faq}");
    let report = site.run(&["translations", "--lang", "lt"]);
    assert!(
        report
            .stdout
            .contains("untranslated content/faq.lt.md (3 untranslated of 5 segments)"),
        "{}",
        report.stdout
    );
    site.build();
    let html = site.html("lt/faq/index.html");
    assert_eq!(common::select(&html, ".fallback-notice").len(), 1);

    // The rest, then every segment is translated and the page is published.
    let rest = export(&site, "lt", "po", &["--only", "missing"]);
    assert_eq!(
        polib_entries(&rest)
            .iter()
            .filter(|e| e["context"].as_str().unwrap().starts_with("faq.md#"))
            .count(),
        3
    );
    translate_po(&rest, "LT ");
    assert!(
        site.run(&["translations", "import", rest.to_str().unwrap()])
            .ok()
    );
    site.build();
    let html = site.html("lt/faq/index.html");
    assert!(common::select(&html, ".fallback-notice").is_empty());
}

#[test]
fn a_po_file_for_an_unknown_page_or_language_is_an_error() {
    let site = fixture();
    site.write(
        "x.po",
        "msgid \"\"\nmsgstr \"Language: lt\\n\"\n\nmsgctxt \"nowhere.md#p-1\"\nmsgid \"a\"\nmsgstr \"b\"\n",
    );
    let run = site.run(&["translations", "import", "x.po"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains("x.po:4:") && run.stderr.contains("nowhere.md"),
        "{}",
        run.stderr
    );
    site.write("y.po", "msgid \"\"\nmsgstr \"Language: xx\\n\"\n");
    let run = site.run(&["translations", "import", "y.po"]);
    run.assert_failed_cleanly();
    assert!(run.stderr.contains("`xx`"), "{}", run.stderr);
}

/// A stand-in for a machine translation client: prefixes each segment with `MT-<lang>`, and
/// loses the placeholders of any segment that has a fact (as a careless client would).
const MACHINE: &str = r#"import json, sys
for line in sys.stdin:
    r = json.loads(line)
    text = r["text"]
    if "{fact1}" in text:
        text = text.replace("{fact1}", "30")
    print(json.dumps({"id": r["id"], "text": "MT-" + sys.argv[1] + " " + text}))
"#;

#[test]
fn machine_drafts_are_published_only_when_allowed_and_marked_until_reviewed() {
    let site = fixture();
    let config = format!(
        "{}\n[translations]\nmachine = [\"python3\", \"machine.py\", \"{{to}}\"]\n",
        common::CONFIG
    );
    site.write("helpdeck.toml", &config);
    site.write("machine.py", MACHINE);
    let run = site.run(&["translations", "machine", "--to", "lt"]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(
        run.stdout.contains("left untranslated: guide.md#summary-")
            && run.stdout.contains("`{fact1}`"),
        "{}",
        run.stdout
    );
    let faq = std::fs::read_to_string(site.root().join("content/faq.lt.md")).unwrap();
    assert!(faq.contains("## MT-lt Is it safe?"), "{faq}");

    // Not published as a translation by default.
    site.build();
    let html = site.html("lt/faq/index.html");
    assert_eq!(common::select(&html, ".fallback-notice").len(), 1);
    assert_eq!(
        common::select(&html, "main")[0].value().attr("lang"),
        Some("en")
    );
    let report = site.run(&["translations", "--lang", "lt"]);
    assert!(
        report
            .stdout
            .contains("machine      content/faq.lt.md (5 machine drafts of 5 segments)"),
        "{}",
        report.stdout
    );
    // The guide lost a fact in one segment: that segment stays to translate.
    assert!(
        report.stdout.contains("untranslated content/guide.lt.md"),
        "{}",
        report.stdout
    );

    // Published with a notice in the reader's language when the site allows drafts.
    site.write(
        "helpdeck.toml",
        format!("{config}publish_machine_drafts = true\n"),
    );
    site.build();
    let html = site.html("lt/faq/index.html");
    assert_eq!(
        common::select(&html, "main")[0].value().attr("lang"),
        Some("lt")
    );
    let notice = common::select(&html, ".machine-notice");
    assert_eq!(notice.len(), 1);
    assert!(
        notice[0]
            .text()
            .collect::<String>()
            .contains("išverstas automatiškai"),
        "{}",
        html.html()
    );

    // A translator reviews the drafts in their tool: they come out fuzzy; cleared, they are
    // translations, and the notice goes.
    let drafts = export(&site, "lt", "po", &["--only", "outdated"]);
    let entries = polib_entries(&drafts);
    let faq_entries: Vec<_> = entries
        .iter()
        .filter(|e| e["context"].as_str().unwrap().starts_with("faq.md#"))
        .collect();
    assert_eq!(faq_entries.len(), 5);
    assert!(
        faq_entries
            .iter()
            .all(|e| e["fuzzy"] == true && e["str"].as_str().unwrap().starts_with("MT-lt "))
    );
    let script = "import sys, polib\n\
        po = polib.pofile(sys.argv[1])\n\
        for e in po:\n\
        \x20   e.msgstr = e.msgstr.replace('MT-lt ', 'LT ')\n\
        \x20   if 'fuzzy' in e.flags: e.flags.remove('fuzzy')\n\
        po.save(sys.argv[1])\n\
        print('{}')";
    common::python(script, &drafts);
    assert!(
        site.run(&["translations", "import", drafts.to_str().unwrap()])
            .ok()
    );
    site.build();
    let html = site.html("lt/faq/index.html");
    assert!(common::select(&html, ".machine-notice").is_empty());
    assert!(
        html.root_element()
            .text()
            .collect::<String>()
            .contains("LT Is it safe?")
    );
}

#[test]
fn a_machine_that_fails_is_reported_and_writes_nothing() {
    let site = fixture();
    site.write(
        "helpdeck.toml",
        format!(
            "{}\n[translations]\nmachine = [\"python3\", \"-c\", \"import sys; sys.exit('quota exceeded')\"]\n",
            common::CONFIG
        ),
    );
    let before = content(&site);
    let run = site.run(&["translations", "machine"]);
    run.assert_failed_cleanly();
    assert!(run.stderr.contains("quota exceeded"), "{}", run.stderr);
    assert!(content(&site) == before);
    site.write("helpdeck.toml", common::CONFIG);
    let run = site.run(&["translations", "machine"]);
    run.assert_failed_cleanly();
    assert!(run.stderr.contains("names no program"), "{}", run.stderr);
}

#[test]
fn in_git_one_edited_paragraph_of_the_demo_is_one_outdated_segment_in_every_language() {
    let site = Site::demo();
    site.git(&["init", "-q"]);
    site.git(&["add", "-A"]);
    site.git(&["commit", "-qm", "demo"]);
    let file = site.root().join("content/policies/returns.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "You don't need to give a reason",
        "You never need to give a reason",
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let run = site.run(&["translations", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for language in report.as_array().unwrap() {
        let returns = language["pages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["source"] == "content/policies/returns.md")
            .unwrap();
        assert_eq!(returns["status"], "outdated", "{returns:#}");
        assert_eq!(
            returns["segments"]["outdated"], 1,
            "{}: {returns:#}",
            language["lang"]
        );
        assert_eq!(returns["segments"]["missing"], 0);
        assert_eq!(language["outdated"], 1);
    }
    // The export offers that one segment, with the source it was translated from.
    let po = export(&site, "pl", "po", &["--only", "outdated"]);
    let entries = polib_entries(&po);
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert!(
        entries[0]["previous"]
            .as_str()
            .unwrap()
            .contains("You don't need to give a reason")
    );
}

#[test]
fn a_tampered_xliff_placeholder_is_refused_at_its_line() {
    let site = fixture();
    let xliff = export(&site, "lt", "xliff", &[]);
    let text = std::fs::read_to_string(&xliff).unwrap();
    // A translator's tool saves a target for the summary item, without its fact.
    let source = "<source xml:space=\"preserve\">Oil it every <ph id=\"fact1\"";
    let at = text.find(source).unwrap();
    let end = text[at..].find("</source>").unwrap() + at + "</source>".len();
    let tampered = format!(
        "{}\n    <target xml:space=\"preserve\">Alyvuokite kas 30 dienų</target>{}",
        &text[..end],
        &text[end..]
    )
    .replacen(
        "<segment state=\"initial\">\n    <source xml:space=\"preserve\">Oil it",
        "<segment state=\"translated\">\n    <source xml:space=\"preserve\">Oil it",
        1,
    );
    std::fs::write(&xliff, &tampered).unwrap();
    xliff_schema_accepts(&xliff);
    let line = tampered[..tampered.find("Alyvuokite").unwrap()]
        .lines()
        .count();
    let before = content(&site);
    let run = site.run(&["translations", "import", xliff.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains(&format!("pages.lt.xlf:{line}:")) && run.stderr.contains("{fact1}"),
        "{}",
        run.stderr
    );
    assert!(content(&site) == before);
}

#[test]
fn a_translation_confirmed_unchanged_is_recorded_as_reviewed() {
    let site = fixture();
    let config = format!(
        "{}\n[translations]\nmachine = [\"python3\", \"machine.py\", \"{{to}}\"]\n",
        common::CONFIG
    );
    site.write("helpdeck.toml", &config);
    site.write("machine.py", MACHINE);
    assert!(site.run(&["translations", "machine", "--to", "lt"]).ok());
    // The translator accepts the FAQ's drafts as they are: fuzzy cleared, text unchanged.
    let drafts = export(&site, "lt", "po", &["--only", "outdated"]);
    let script = "import sys, polib\n\
        po = polib.pofile(sys.argv[1])\n\
        for e in po:\n\
        \x20   if e.msgctxt.startswith('faq.md#') and 'fuzzy' in e.flags: e.flags.remove('fuzzy')\n\
        po.save(sys.argv[1])\n\
        print('{}')";
    common::python(script, &drafts);
    let run = site.run(&["translations", "import", drafts.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(run.stdout.contains("5 segments changed"), "{}", run.stdout);
    let report = site.run(&["translations", "--lang", "lt", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    let faq = report[0]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "content/faq.md")
        .unwrap()
        .clone();
    assert_eq!(faq["status"], "current", "{faq:#}");
}
