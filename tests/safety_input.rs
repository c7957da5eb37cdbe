//! Hostile values in the site's own files, refused or read before anything is written, with
//! file, line and key: files with old Mac line endings.

mod common;

use common::*;

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
