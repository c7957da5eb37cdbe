//! Safety of what a build writes and removes: no spelling of `--output` reaches a source
//! folder or a folder helpdeck did not write, outputs that would collide on disk are errors
//! naming the page, and a build that cannot write (a full disk) says so once and leaves the
//! previous output as it was.

mod common;

use std::path::Path;

use common::*;

/// Builds GOOD in `site`, then `helpdeck build ARGS` from `cwd`, which must be refused with
/// exit 1 and change nothing under `guarded`.
fn refused(site: &Site, cwd: &Path, args: &[&str], guarded: &Path) -> String {
    site.build();
    let before = snapshot(guarded);
    let run = run_in(cwd, args);
    assert_eq!(
        run.code,
        Some(1),
        "{args:?} not refused:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: refusing to write to"),
        "{}",
        run.stderr
    );
    assert!(snapshot(guarded) == before, "{args:?} changed {guarded:?}");
    assert!(site.root().join("content/about.md").is_file());
    assert_eq!(site.staging_leftovers(), Vec::<String>::new());
    run.stderr
}

#[test]
fn output_through_a_missing_folder_and_dot_dot_is_refused() {
    for spelling in [
        "nonexist/../content",
        "nonexist/deeper/../../content",
        "./content/.",
        "content/sub/..",
        "public/../content",
        "nonexist/../data",
        "nonexist/../static",
        "nonexist/../templates",
        "nonexist/../themes/x",
        "nonexist/..",
        "nonexist/../.",
        "content/./new",
    ] {
        let site = Site::new(&good_with(&[
            ("data/shop.toml", "[returns]\nwindow_days = 30\n"),
            ("static/robots-note.txt", "hello"),
            ("templates/.keep", ""),
        ]));
        let stderr = refused(
            &site,
            site.root(),
            &["build", "--output", spelling],
            site.root(),
        );
        assert!(stderr.contains(spelling), "{spelling}: {stderr}");
    }
}

#[test]
fn output_into_a_foreign_folder_through_dot_dot_is_refused() {
    let site = Site::new(GOOD);
    let victim = tempfile::tempdir().expect("temp dir");
    std::fs::write(victim.path().join("precious.txt"), "keep me").expect("write");
    let through_missing = victim.path().join("nothere/..");
    let root = site.root().to_string_lossy().into_owned();
    let stderr = refused(
        &site,
        Path::new("/"),
        &[
            "build",
            "--root",
            &root,
            "--output",
            &through_missing.to_string_lossy(),
        ],
        victim.path(),
    );
    assert!(stderr.contains("did not write"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(victim.path().join("precious.txt")).expect("read"),
        "keep me"
    );
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_is_judged_by_where_it_leads() {
    use std::os::unix::fs::symlink;
    // A link to the content folder, given as the output or as a folder above it.
    let site = Site::new(GOOD);
    symlink(site.root().join("content"), site.root().join("to-content")).expect("symlink");
    for spelling in [
        "to-content",
        "to-content/.",
        "to-content/new/..",
        "nothere/../to-content",
    ] {
        let stderr = refused(
            &site,
            site.root(),
            &["build", "--output", spelling],
            site.root(),
        );
        assert!(stderr.contains("content/ folder"), "{spelling}: {stderr}");
    }
    // `public` replaced by a link to a foreign folder: that folder is not replaced.
    let site = Site::new(GOOD);
    site.build();
    let foreign = tempfile::tempdir().expect("temp dir");
    std::fs::write(foreign.path().join("precious.txt"), "keep me").expect("write");
    std::fs::remove_dir_all(site.public()).expect("remove public");
    symlink(foreign.path(), site.public()).expect("symlink");
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(foreign.path().join("precious.txt").is_file());
    assert!(
        std::fs::symlink_metadata(site.public())
            .expect("link")
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn a_source_folder_that_is_a_symlink_is_guarded_where_it_leads() {
    // content/ lives elsewhere; an output inside its real folder is refused.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let site = Site::new(&[("helpdeck.toml", CONFIG)]);
    for (path, text) in GOOD {
        let rel = path.strip_prefix("content/").expect("content");
        let file = elsewhere.path().join(rel);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("content")).expect("symlink");
    // The linked folder is refused as a source too; the output is refused before it is read.
    let before = snapshot(elsewhere.path());
    let inside = elsewhere.path().join("out");
    let run = site.run(&["build", "--output", &inside.to_string_lossy()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("it is inside the site's content/ folder"),
        "{}",
        run.stderr
    );
    assert!(snapshot(elsewhere.path()) == before);
}

#[test]
fn a_marked_output_is_replaced_and_nothing_is_left_beside_it() {
    let site = Site::new(GOOD);
    let out = site.root().join("dist");
    for _ in 0..2 {
        let run = site.run(&["build", "--output", "nothere/../dist"]);
        assert!(run.ok(), "{}", run.stderr);
        assert!(out.join("index.html").is_file());
    }
    let names: Vec<String> = std::fs::read_dir(site.root())
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(names, Vec::<String>::new(), "left beside the output");
}

// ---------------------------------------------------------------------------------------------
// Outputs that collide

const RETURNS: &str = "content/policies/returns.md";

#[test]
fn one_alias_in_two_pages_names_both_files() {
    let site = Site::new(&good_with(&[
        (
            RETURNS,
            "+++\ntitle = \"Returns\"\nkind = \"policy\"\nupdated = 2026-01-15\naliases = [\"/old/\"]\n+++\nReturn within 30 days.\n",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About us\"\naliases = [\"/OLD\"]\n+++\nWe make things.\n",
        ),
    ]));
    let run = site.run(&["build"]);
    run.assert_failed_cleanly();
    let both = run
        .stderr
        .lines()
        .find(|l| l.contains("content/about.md") && l.contains(RETURNS))
        .unwrap_or_else(|| panic!("no line names both pages:\n{}", run.stderr));
    assert!(
        both.starts_with("error: content/policies/returns.md:5:"),
        "{both}"
    );
    assert!(both.contains("content/about.md:3"), "{both}");
    assert!(!site.public().exists());
}

/// Builds GOOD, adds `front` on line 3 of content/about.md, and returns the failed build's
/// stderr (the previous output must stay as it was).
fn about_page_breaks(front: &str) -> String {
    let site = Site::new(GOOD);
    site.build();
    site.write(
        "content/about.md",
        page(&format!("title = \"About\"\n{front}"), "Text."),
    );
    site.fails_keeping_output(&["build"])
}

#[test]
fn an_alias_or_slug_at_a_generated_file_names_the_page_and_line() {
    for (front, what) in [
        ("aliases = [\"/sitemap.xml\"]", "sitemap"),
        ("aliases = [\"/robots.txt/\"]", "robots.txt"),
        ("aliases = [\"/404.html\"]", "404 page"),
        ("aliases = [\"/_redirects\"]", "_redirects"),
        ("aliases = [\"/search/\"]", "search page"),
        ("aliases = [\"/lt/\"]", "content/_index.lt.md"),
        ("slug = \"robots.txt\"", "robots.txt"),
        ("slug = \"sitemap.xml\"", "sitemap"),
    ] {
        let stderr = about_page_breaks(front);
        let line = diagnostic(&stderr, "content/about.md", Some(3));
        assert!(line.contains(what), "{front}: {line}");
        assert!(!stderr.contains("Is a directory"), "{stderr}");
        assert!(!stderr.contains("Not a directory"), "{stderr}");
    }
}

#[test]
fn a_slug_or_alias_longer_than_a_file_name_names_the_page_and_the_limit() {
    let long = "a".repeat(256);
    for front in [
        format!("slug = \"{long}\""),
        format!("aliases = [\"/old/{long}/\"]"),
        format!("slug = \"{}\"", "ą".repeat(128)),
    ] {
        let stderr = about_page_breaks(&front);
        let line = diagnostic(&stderr, "content/about.md", Some(3));
        assert!(line.contains("255 bytes"), "{line}");
        assert!(!stderr.contains("too long"), "{stderr}");
    }
    // 255 bytes is allowed.
    let site = Site::new(&good_with(&[(
        "content/about.md",
        &page(
            &format!("title = \"About\"\nslug = \"{}\"", "b".repeat(255)),
            "Text.",
        ),
    )]));
    site.build();
}

// ---------------------------------------------------------------------------------------------
// A full disk

/// Builds a site on a small file system of its own (a tmpfs mounted in a private mount
/// namespace), fills it, builds again, and returns stderr and whether the output stayed the same.
#[cfg(target_os = "linux")]
fn build_on_a_full_disk(site: &Site) -> (String, bool) {
    let script = r#"
set -e
mount -t tmpfs -o size=16m tmpfs "$DISK"
"$HELPDECK" build --root "$SITE" --output "$DISK/public" > /dev/null
(cd "$DISK/public" && find . -type f | sort | xargs sha256sum) > "$SITE/before.sum"
# Fill the disk, then leave room for the start of a second build but not all of it.
dd if=/dev/zero of="$DISK/filler" bs=1k count=100000 2> /dev/null || true
truncate -s -300K "$DISK/filler"
set +e
"$HELPDECK" build --root "$SITE" --output "$DISK/public" 2> "$SITE/stderr" > /dev/null
echo $? > "$SITE/code"
(cd "$DISK/public" && find . -type f | sort | xargs sha256sum) > "$SITE/after.sum"
ls -a "$DISK" > "$SITE/names"
"#;
    let disk = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new("unshare")
        .args(["--map-root-user", "--mount", "sh", "-c", script])
        .env("DISK", disk.path())
        .env("SITE", site.root())
        .env("HELPDECK", env!("CARGO_BIN_EXE_helpdeck"))
        .status()
        .expect("run unshare (util-linux)");
    assert!(status.success(), "the full-disk script failed");
    let read = |name: &str| std::fs::read_to_string(site.root().join(name)).expect(name);
    assert_eq!(read("code").trim(), "1", "{}", read("stderr"));
    assert!(
        !read("names").contains(".public.helpdeck"),
        "staging left behind: {}",
        read("names")
    );
    (read("stderr"), read("before.sum") == read("after.sum"))
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_line_and_the_previous_output_is_intact() {
    let site = Site::demo();
    let (stderr, intact) = build_on_a_full_disk(&site);
    assert!(intact, "the previous output changed:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert_eq!(stderr.matches("No space left").count(), 1, "{stderr}");
    let line = errors[0];
    assert!(line.contains("the disk is full"), "{line}");
    assert!(line.contains("previous output"), "{line}");
    assert!(line.contains("intact"), "{line}");
    // Which file: a path of the output, not of the staging folder.
    assert!(!line.contains(".helpdeck-"), "{line}");
    assert!(
        line.contains(".html") || line.contains(".json") || line.contains(".css"),
        "{line}"
    );
}
