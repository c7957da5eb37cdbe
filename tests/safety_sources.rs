//! The rule for what helpdeck reads: nothing whose real path is outside the site root, whether
//! the symlink leading there is a source folder itself, the theme folder, the config or
//! anything below them, in every command that reads the site. What is left out is named in a
//! message that says why (serve's side is in `safety_serve.rs`).
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{CONFIG, GOOD, Run, Site, copy_tree, good_with, page, snapshot};

/// What a hostile link may point at, every file marked `LEAKED`: pages, a file, data, a
/// template, a theme, UI strings and a config.
fn outside() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = outside.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "pages/leaked.md",
        &page("title = \"LEAKED title\"", "LEAKED text\n"),
    );
    write("files/leaked.txt", "LEAKED file");
    write("data/leaked.toml", "value = \"LEAKED data\"\n");
    write("templates/page.html", "LEAKED template\n");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(
        &repo.join("themes/default"),
        &outside.path().join("themes/mine"),
    );
    let base = outside.path().join("themes/mine/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, format!("LEAKED theme\n{text}")).unwrap();
    let strings = std::fs::read_to_string(repo.join("themes/default/i18n/en.toml")).unwrap();
    write(
        "i18n/en.toml",
        &format!("{strings}\nleaked = \"LEAKED string\"\n"),
    );
    write(
        "helpdeck.toml",
        &CONFIG.replace("Test Shop Help", "LEAKED config"),
    );
    outside
}

/// Runs every command that reads the site (`build`, `check`, `translations`): none may show
/// anything marked `LEAKED`, in what it prints or what it writes. Returns `build`'s run.
fn read_by_no_command(site: &Site) -> Run {
    let build = site.run(&["build"]);
    let check = site.run(&["check"]);
    let translations = site.run(&["translations"]);
    for (command, run) in [
        ("build", &build),
        ("check", &check),
        ("translations", &translations),
    ] {
        assert!(
            !run.stderr.contains("panicked"),
            "{command}: {}",
            run.stderr
        );
        for printed in [&run.stdout, &run.stderr] {
            assert!(!printed.contains("LEAKED"), "{command} printed:\n{printed}");
        }
    }
    for (path, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("LEAKED"), "{} holds: {text}", path.display());
    }
    build
}

/// `LINK: symlink to TARGET, outside the site: not read …` with the target's real path.
fn refusal(link: &str, target: &Path) -> String {
    format!(
        "{link}: symlink to {}, outside the site: not read (helpdeck reads no file outside the site)",
        target.canonicalize().unwrap().display()
    )
}

/// Replaces what is at `path` in the site (if anything) with a symlink to `target`.
fn link(site: &Site, path: &str, target: &Path) {
    let path = site.root().join(path);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path).unwrap(),
        Ok(_) => std::fs::remove_file(&path).unwrap(),
        Err(_) => std::fs::create_dir_all(path.parent().unwrap()).unwrap(),
    }
    symlink(target, &path).unwrap();
}

/// A good site whose theme is its own `themes/mine/`, a copy of the default theme, and whose
/// pages link to no policy (some cases take the policies away).
fn site_with_own_theme() -> Site {
    let about = page("title = \"About us\"", "Hi.\n");
    let site = Site::new(&good_with(&[("content/about.md", about.as_str())]));
    site.write("helpdeck.toml", format!("theme = \"mine\"\n{CONFIG}"));
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &site.root().join("themes/mine"),
    );
    site
}

#[test]
fn a_source_folder_or_config_linked_out_of_the_site_is_an_error_naming_the_link() {
    let outside = outside();
    for (path, target) in [
        ("content", "pages"),
        ("data", "data"),
        ("static", "files"),
        ("templates", "templates"),
        ("themes/mine", "themes/mine"),
        ("themes/mine/templates", "themes/mine/templates"),
        ("themes/mine/static", "themes/mine/static"),
        ("themes/mine/i18n", "i18n"),
        ("themes", "themes"),
        ("helpdeck.toml", "helpdeck.toml"),
    ] {
        let target = outside.path().join(target);
        let site = site_with_own_theme();
        site.build();
        link(&site, path, &target);
        let stderr = site.fails_keeping_output(&["build"]);
        assert!(
            stderr.contains(&format!("error: {}", refusal(path, &target))),
            "{path}:\n{stderr}"
        );
        read_by_no_command(&site);
    }
}

#[test]
fn files_and_folders_below_a_source_folder_linked_out_of_the_site_are_skipped_with_a_warning() {
    let outside = outside();
    let out = |path: &str| outside.path().join(path);
    for (path, target) in [
        ("static/key.pem", out("files/leaked.txt")),
        ("static/more", out("files")),
        ("content/more", out("pages")),
        ("content/leaked.md", out("pages/leaked.md")),
        ("content/policies/returns.md", out("pages/leaked.md")),
        ("content/policies", out("pages")),
        ("data/leaked.toml", out("data/leaked.toml")),
        ("templates/page.html", out("templates/page.html")),
        ("themes/mine/i18n/de.toml", out("i18n/en.toml")),
        (
            "themes/mine/templates/extra.html",
            out("templates/page.html"),
        ),
        ("themes/mine/static/more", out("files")),
    ] {
        let site = site_with_own_theme();
        link(&site, path, &target);
        let build = read_by_no_command(&site);
        assert!(
            build
                .stderr
                .contains(&format!("warning: {}", refusal(path, &target))),
            "{path}:\n{}",
            build.stderr
        );
    }
}

#[test]
fn loops_broken_links_and_folder_links_inside_the_site_are_named_for_what_they_are() {
    let site = Site::new(GOOD);
    site.build();
    let content = site.root().join("content");
    symlink("b.md", content.join("a.md")).unwrap();
    symlink("a.md", content.join("b.md")).unwrap();
    symlink("loop", content.join("loop")).unwrap();
    symlink("gone.md", content.join("dangling.md")).unwrap();
    // A folder inside the site, and the site's own output: not entered, so nothing loops and
    // the output is not published into itself.
    symlink("faq", content.join("faq-again")).unwrap();
    symlink("../public", content.join("published")).unwrap();
    let run = site.build();
    for expected in [
        "warning: content/a.md: symlink loop (content/a.md → content/b.md → content/a.md): not read",
        "warning: content/b.md: symlink loop (content/b.md → content/a.md → content/b.md): not read",
        "warning: content/loop: symlink loop (content/loop → content/loop): not read",
        "warning: content/dangling.md: broken symlink (its target content/gone.md does not exist): not read",
        "warning: content/faq-again: symlink to the folder content/faq: not read (symlinked folders are not followed; link the files instead)",
        "warning: content/published: symlink to the folder public: not read (symlinked folders are not followed; link the files instead)",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    assert!(!site.public().join("published").exists());
    assert!(!site.public().join("faq-again").exists());
    // A file linked to another inside the site is read where it points.
    symlink("about.md", content.join("about-too.md")).unwrap();
    site.build();
    assert!(
        site.read("about-too/index.html")
            .contains("We make things.")
    );
}

#[test]
fn translate_never_writes_through_a_link_to_wherever_it_points() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted.md");
    let site = Site::new(GOOD);
    symlink(&target, site.root().join("content/about.lt.md")).unwrap();
    let run = site.run(&["translate", "lt", "about.md"]);
    run.assert_failed_cleanly();
    assert!(
        run.stderr
            .contains("content/about.lt.md: the translation exists already"),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "written outside the site");
}
