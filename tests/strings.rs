//! `helpdeck strings export|import`: the theme's UI strings as gettext PO. Read back by real
//! tools, not by our own parser: GNU `msgfmt --check` and Python's `polib`; the plural forms
//! evaluated by Python's `gettext` against CLDR's categories from ICU4X.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Site;
use icu_locale_core::Locale;
use icu_plurals::PluralRules;

/// The theme's languages, each with its own strings file.
const THEME_LANGUAGES: [&str; 18] = [
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "lt", "ms", "nl", "pl", "pt", "ru", "tr", "uk",
    "zh-Hans", "zh-Hant",
];

/// `helpdeck strings export --to LANG` of `site`, and the file it wrote.
fn export(site: &Site, lang: &str) -> PathBuf {
    let run = site.run(&["strings", "export", "--to", lang]);
    assert!(run.ok(), "{}", run.stderr);
    let file = site
        .root()
        .join("translations")
        .join(format!("strings.{lang}.po"));
    assert!(run.stdout.contains("Wrote"), "{}", run.stdout);
    file
}

/// A site in every language the theme speaks.
fn every_theme_language() -> Site {
    let mut config = String::from(
        "title = \"Shop\"\nbase_url = \"https://help.test.example\"\ndefault_language = \"en\"\n",
    );
    for lang in THEME_LANGUAGES {
        config.push_str(&format!("[languages.{lang}]\n"));
    }
    let site = Site::new(&[("content/_index.md", "+++\ntitle = \"Help\"\n+++\nHi.\n")]);
    site.write("helpdeck.toml", config);
    site
}

#[test]
fn every_theme_language_exports_a_po_file_that_msgfmt_and_polib_accept() {
    let site = every_theme_language();
    for lang in THEME_LANGUAGES {
        let file = export(&site, lang);
        let msgfmt = Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(&file)
            .output()
            .expect("msgfmt (GNU gettext) runs");
        assert!(
            msgfmt.status.success() && msgfmt.stderr.is_empty(),
            "{lang}: {}",
            String::from_utf8_lossy(&msgfmt.stderr)
        );
        let read = common::python(
            "import json, sys, polib\n\
             po = polib.pofile(sys.argv[1])\n\
             print(json.dumps({'language': po.metadata['Language'], \
             'plural_forms': po.metadata['Plural-Forms'], \
             'entries': [{'context': e.msgctxt, 'plural': bool(e.msgid_plural), \
             'forms': len(e.msgstr_plural), 'translated': e.translated()} for e in po]}))",
            &file,
        );
        assert_eq!(read["language"], lang);
        let entries = read["entries"].as_array().unwrap();
        assert!(entries.len() > 100, "{lang}: {}", entries.len());
        let nplurals: usize = read["plural_forms"].as_str().unwrap()["nplurals=".len()..]
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        for entry in entries.iter().filter(|e| e["plural"] == true) {
            assert_eq!(entry["forms"], nplurals, "{lang}: {entry}");
        }
        // The theme speaks each of its languages: every entry is translated.
        assert!(
            entries.iter().all(|e| e["translated"] == true),
            "{lang}: untranslated entries"
        );
    }
}

#[test]
fn each_plural_form_is_the_cldr_category_of_the_counts_it_takes() {
    for lang in THEME_LANGUAGES.iter().copied().chain(["pt-PT"]) {
        let forms = helpdeck::translations::plurals::plural_forms(lang).unwrap();
        let expression = forms
            .header
            .split_once("plural=")
            .unwrap()
            .1
            .trim_end_matches(';');
        let script = format!(
            "import gettext, json\nf = gettext.c2py({expression:?})\n\
             print(json.dumps([f(n) for n in range(1001)]))"
        );
        let output = Command::new("python3")
            .args(["-c", &script])
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let indices: Vec<usize> = serde_json::from_slice(&output.stdout).unwrap();
        let locale: Locale = lang.parse().unwrap();
        let rules = PluralRules::try_new_cardinal((&locale).into()).unwrap();
        for (n, index) in indices.into_iter().enumerate() {
            let cldr = helpdeck::render::templates::cldr_name(rules.category_for(n));
            assert_eq!(forms.categories[index], cldr, "{lang}: {n}");
        }
    }
}

#[test]
fn an_unchanged_round_trip_writes_nothing_and_a_translation_reaches_the_pages() {
    let site = Site::demo();
    site.build();
    let before = common::snapshot(site.root());
    let file = export(&site, "lt");
    let run = site.run(&["strings", "import", file.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(run.stdout.starts_with("Nothing to write"), "{}", run.stdout);
    let after: Vec<_> = common::snapshot(site.root())
        .into_iter()
        .filter(|(path, _)| !path.starts_with("translations"))
        .collect();
    assert_eq!(before, after, "the site is as it was");

    // A translator's edits: a plain string and one form of a counted one; a fuzzy entry and
    // an emptied one are left alone.
    let po = std::fs::read_to_string(&file).unwrap();
    let edited = po
        .replace("msgstr \"Visos kategorijos\"", "msgstr \"Visos temos\"")
        .replace(
            "msgstr[1] \"{count} straipsniai\"",
            "msgstr[1] \"{count} straipsniukai\"",
        )
        .replace(
            "msgctxt \"search_title\"",
            "#, fuzzy\nmsgctxt \"search_title\"",
        )
        .replace("msgstr \"Spausdinti\"", "msgstr \"\"");
    std::fs::write(&file, edited).unwrap();
    let run = site.run(&["strings", "import", file.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("2 strings of lt changed, 2 untranslated or fuzzy left alone"),
        "{}",
        run.stdout
    );
    let strings: toml::Table =
        toml::from_str(&std::fs::read_to_string(site.root().join("i18n/lt.toml")).unwrap())
            .unwrap();
    assert_eq!(strings.len(), 2, "{strings:?}");
    assert_eq!(strings["all_categories"].as_str(), Some("Visos temos"));
    assert_eq!(
        strings["articles_count_few"].as_str(),
        Some("{count} straipsniukai")
    );
    site.build();
    let search = site.read("lt/search/index.html");
    assert!(search.contains("Visos temos"), "the site's string wins");
    assert!(
        site.read("lt/policies/returns/index.html")
            .contains("Spausdinti"),
        "an emptied translation leaves the theme's"
    );
    // Exported again, the file has the site's strings.
    let again = std::fs::read_to_string(export(&site, "lt")).unwrap();
    assert!(again.contains("msgstr \"Visos temos\""));
}

#[test]
fn a_tampered_placeholder_an_unknown_string_or_other_plural_forms_fail_naming_the_line() {
    let site = Site::demo();
    let file = export(&site, "pl");
    let po = std::fs::read_to_string(&file).unwrap();
    let line_of = |needle: &str| {
        po.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let entry_start = |needle: &str| {
        // The entry starts after the blank line above its msgstr.
        let at = line_of(needle);
        po.lines()
            .take(at)
            .enumerate()
            .filter(|(_, l)| l.is_empty())
            .map(|(i, _)| i + 2)
            .last()
            .unwrap()
    };
    let tampered = po.replacen("msgstr[1] \"{count}", "msgstr[1] \"{liczba}", 1);
    let line = entry_start("msgstr[1] \"{count}");
    std::fs::write(&file, &tampered).unwrap();
    let run = site.run(&["strings", "import", file.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains(&format!(
            "strings.pl.po:{line}: `articles_count_few` has the placeholders {{liczba}} where its source has {{count}}"
        )),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("i18n").exists(), "nothing written");

    let unknown = po.replace("msgctxt \"all_categories\"", "msgctxt \"all_kategories\"");
    std::fs::write(&file, &unknown).unwrap();
    let run = site.run(&["strings", "import", file.to_str().unwrap()]);
    run.assert_failed_cleanly();
    let line = entry_start("msgctxt \"all_categories\"");
    assert!(
        run.stderr.contains(&format!(
            "strings.pl.po:{line}: `msgctxt \"all_kategories\"` names no UI string of the theme"
        )),
        "{}",
        run.stderr
    );

    let forms = po.replace("nplurals=3;", "nplurals=2;");
    std::fs::write(&file, &forms).unwrap();
    let run = site.run(&["strings", "import", file.to_str().unwrap()]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains("`Plural-Forms` is not"),
        "{}",
        run.stderr
    );

    // A language the site does not have, and one without known plural forms.
    let run = site.run(&["strings", "export", "--to", "de"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr.contains("`de` is not a translation language"),
        "{}",
        run.stderr
    );
    let site = Site::new(&[("content/_index.md", "+++\ntitle = \"Help\"\n+++\nHi.\n")]);
    site.write(
        "helpdeck.toml",
        "title = \"T\"\nbase_url = \"https://t.test.example\"\n[languages.en]\n[languages.fi]\n",
    );
    let run = site.run(&["strings", "export", "--to", "fi"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr
            .contains("no gettext plural rule is known for `fi`"),
        "{}",
        run.stderr
    );
}
