//! `helpdeck init`: a small starter for the seller's own shop that builds at once, names no
//! fictional company, posts nowhere, and whose `check` lists every TODO left to fill in; bad
//! answers are refused before anything is written.

mod common;

use std::path::Path;

use common::{Html, run_in, select, text};

fn html(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_starter_is_the_sellers_shop_builds_at_once_and_check_lists_what_to_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(
        dir.path(),
        &[
            "init",
            "birch",
            "--name",
            "Birch & Co",
            "--languages",
            "en,lt",
            "--country",
            "lt",
        ],
    );
    assert!(run.ok(), "{}", run.stderr);
    assert!(
        run.stdout.contains("Wrote a starter help centre (8 files)"),
        "{}",
        run.stdout
    );
    let root = dir.path().join("birch");
    assert_eq!(
        files_under(&root),
        [
            "content/_index.md",
            "content/policies/_index.md",
            "content/policies/payments.md",
            "content/policies/privacy.md",
            "content/policies/returns.md",
            "content/policies/shipping.md",
            "data/shop.toml",
            "helpdeck.toml",
        ]
    );

    let build = run_in(dir.path(), &["build", "--root", "birch"]);
    assert!(build.ok(), "{}", build.stderr);
    assert!(
        build.stdout.starts_with("Built 12 pages (en 6, lt 6)"),
        "{}",
        build.stdout
    );
    let public = root.join("public");
    let home = html(&public.join("index.html"));
    assert_eq!(text(&select(&home, "h1")[0]), "Birch & Co Help Centre");
    let returns = html(&public.join("policies/returns/index.html"));
    let facts: Vec<String> = select(&returns, ".key-facts li").iter().map(text).collect();
    assert_eq!(
        facts,
        [
            "Return items within 14 days of delivery",
            "Refund within 14 days of receiving your return"
        ]
    );
    let lithuanian = html(&public.join("lt/policies/returns/index.html"));
    assert_eq!(
        select(&lithuanian, ".fallback-notice").len(),
        1,
        "not yet translated"
    );
    for file in files_under(&public).iter().filter(|f| f.ends_with(".html")) {
        let page = std::fs::read_to_string(public.join(file)).unwrap();
        assert!(!page.contains("Oak"), "no demo company in {file}");
        assert!(
            !page.contains("data-feedback"),
            "nothing posts anywhere: {file}"
        );
    }

    let check = run_in(dir.path(), &["check", "--root", "birch"]);
    assert_eq!(check.code, Some(1), "a starter is not ready to publish");
    let report = check.stdout;
    for place in [
        "error: helpdeck.toml:4: TODO left to fill in before publishing: `base_url",
        "error: helpdeck.toml:6: TODO",
        "error: helpdeck.toml:19: TODO left to fill in before publishing: `legal_name",
        "error: content/policies/returns.md:20: TODO",
        "required policy `returns` is not translated into `lt`",
        "`contact.email` is on `example.com`",
    ] {
        assert!(report.contains(place), "{place} in\n{report}");
    }
}

#[test]
fn bad_answers_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for (args, flag, says) in [
        (
            &["--languages", "en,english", "--country", "LT"][..],
            "--languages",
            "`english` is not a language tag",
        ),
        (
            &["--country", "Lithuania"][..],
            "--country",
            "`Lithuania` is not a two-letter country code",
        ),
        (
            &["--name", "Say \"hi\"", "--country", "LT"][..],
            "--name",
            "without quotes",
        ),
    ] {
        let mut all = vec!["init", "shop"];
        all.extend_from_slice(args);
        let run = run_in(dir.path(), &all);
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(
            run.stderr.contains(&format!("error: {flag}: ")) && run.stderr.contains(says),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !dir.path().join("shop").exists(),
            "nothing written for {args:?}"
        );
    }
    // Not in a terminal (as here): nothing is asked, so the country must be given.
    let without_country = run_in(dir.path(), &["init", "shop"]);
    assert_eq!(without_country.code, Some(1));
    assert!(
        without_country
            .stderr
            .contains("error: --country: say where the shop is"),
        "{}",
        without_country.stderr
    );
    assert!(!dir.path().join("shop").exists());
}

/// In a terminal, init asks for what the flags leave out: run under `script`, which gives it
/// a pseudo-terminal and types the answers piped to it.
#[cfg(target_os = "linux")]
#[test]
fn in_a_terminal_init_asks_for_what_the_flags_leave_out() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let command = format!(
        "{} init shop --name 'Linden Goods'",
        env!("CARGO_BIN_EXE_helpdeck")
    );
    let mut script = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs init in a pseudo-terminal");
    // The default for the languages (an empty answer), then the country.
    script.stdin.take().unwrap().write_all(b"\nlt\n").unwrap();
    let done = script.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&done.stdout);
    assert!(done.status.success(), "{shown}");
    assert!(
        shown.contains("Languages, the default first [en]:"),
        "{shown}"
    );
    assert!(
        !shown.contains("The shop's name"),
        "given as a flag: {shown}"
    );
    let config = std::fs::read_to_string(dir.path().join("shop/helpdeck.toml")).unwrap();
    assert!(
        config.contains("title = \"Linden Goods Help Centre\""),
        "{config}"
    );
    assert!(config.contains("default_language = \"en\""), "{config}");
    let shop = std::fs::read_to_string(dir.path().join("shop/data/shop.toml")).unwrap();
    assert!(shop.contains("country = \"LT\""), "{shop}");
}
