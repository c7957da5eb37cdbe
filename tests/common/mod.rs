//! Shared helpers for the integration tests: fixture sites in temp folders, running the real
//! `helpdeck` binary, and parsing what it wrote.
#![allow(dead_code)]

pub mod rng;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use scraper::{Html, Selector};

/// A site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The smallest valid config, with two languages.
pub const CONFIG: &str = r#"
title = "Test Shop Help"
base_url = "https://help.test.example"
default_language = "en"
[languages.en]
title = "Test Shop Help"
[languages.lt]
title = "Pagalba"
"#;

impl Site {
    /// A site with `helpdeck.toml` = [`CONFIG`] and the given files (path, text).
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("helpdeck.toml", CONFIG);
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A copy of the repository's demo site (config, content, data, static).
    pub fn demo() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(
            repo.join("helpdeck.toml"),
            site.root().join("helpdeck.toml"),
        )
        .expect("copy config");
        for dir in ["content", "data", "static"] {
            copy_tree(&repo.join(dir), &site.root().join(dir));
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: impl AsRef<[u8]>) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Runs `helpdeck ARGS` in the site's root.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// `helpdeck build` that must succeed.
    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert!(run.ok(), "build failed:\n{}", run.stderr);
        run
    }

    /// `helpdeck build` that must fail; returns stderr.
    pub fn build_fails(&self) -> String {
        let run = self.run(&["build"]);
        run.assert_failed_cleanly();
        run.stderr
    }

    pub fn read(&self, output_path: &str) -> String {
        let path = self.public().join(output_path);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Runs git in the site's root (as a committer named `t`); it must succeed.
    pub fn git(&self, args: &[&str]) {
        let run = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("git runs");
        assert!(
            run.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }

    pub fn html(&self, output_path: &str) -> Html {
        Html::parse_document(&self.read(output_path))
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    /// Exit code 1 and no panic.
    pub fn assert_failed_cleanly(&self) {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit 1, got {:?}\nstdout: {}\nstderr: {}",
            self.code,
            self.stdout,
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_helpdeck"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run helpdeck");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir(from) {
        let rel = entry.strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &target).expect("copy");
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).expect("prefix").to_path_buf(),
                std::fs::read(&p).expect("read"),
            )
        })
        .collect()
}

pub fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector =
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    html.select(&selector).collect()
}

pub fn text(element: &scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The JSON-LD objects of a page, parsed.
pub fn json_ld(html: &Html) -> Vec<serde_json::Value> {
    select(html, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| {
            serde_json::from_str(&s.inner_html())
                .unwrap_or_else(|e| panic!("bad JSON-LD {e}: {}", s.inner_html()))
        })
        .collect()
}

/// A minimal page with front matter.
pub fn page(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

// ---------------------------------------------------------------------------------------------
// Helpers for the bad-input tests: a small valid site to break, and checks that a failing build
// reported one clean diagnostic and left the previous output alone.

/// A small valid site: homes in both languages, an article, a policies section with a policy,
/// and an FAQ section with one question page. Extra files go on top with `Site::new`.
pub const GOOD: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "+++\ntitle = \"Help\"\n+++\nWelcome. Read [about us](@/about.md).\n",
    ),
    (
        "content/_index.lt.md",
        "+++\ntitle = \"Pagalba\"\n+++\nSveiki.\n",
    ),
    (
        "content/about.md",
        "+++\ntitle = \"About us\"\ndescription = \"Who we are.\"\n+++\nWe make things.\n\nSee the [returns policy](@/policies/returns.md).\n",
    ),
    (
        "content/policies/_index.md",
        "+++\ntitle = \"Policies\"\n+++\nOur rules.\n",
    ),
    (
        "content/policies/returns.md",
        "+++\ntitle = \"Returns\"\nkind = \"policy\"\nupdated = 2026-01-15\n+++\nReturn within 30 days.\n",
    ),
    (
        "content/faq/_index.md",
        "+++\ntitle = \"FAQ\"\npage_kind = \"faq\"\n+++\nQuick answers.\n",
    ),
    (
        "content/faq/orders.md",
        "+++\ntitle = \"Orders\"\n+++\nAbout orders.\n\n## Where is my order?\n\nOn its way.\n",
    ),
];

/// `GOOD` plus `extra` (later entries replace earlier ones of the same path).
pub fn good_with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut files: Vec<(&str, &str)> = GOOD.to_vec();
    for (path, text) in extra {
        files.retain(|(p, _)| p != path);
        files.push((path, text));
    }
    files
}

impl Site {
    /// Names in the site root left behind by a build's staging (`.public.helpdeck-…`).
    pub fn staging_leftovers(&self) -> Vec<String> {
        staging_leftovers(self.root())
    }

    /// Runs `helpdeck ARGS`, which must fail with exit 1 without panicking, leave `public/`
    /// byte-for-byte as it was, and leave no staging folder. Returns stderr.
    pub fn fails_keeping_output(&self, args: &[&str]) -> String {
        let before = snapshot(&self.public());
        assert!(!before.is_empty(), "build a good site before breaking it");
        let run = self.run(args);
        run.assert_failed_cleanly();
        assert!(
            snapshot(&self.public()) == before,
            "the previous output changed:\n{}",
            run.stderr
        );
        assert_eq!(
            self.staging_leftovers(),
            Vec::<String>::new(),
            "staging folder left behind"
        );
        run.stderr
    }
}

/// Names in `dir` that start with `.public.helpdeck` (a staging or set-aside output).
pub fn staging_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".public.helpdeck"))
                .collect()
        })
        .unwrap_or_default()
}

/// The one-line diagnostic in `stderr` about `file` (at `line`, when given):
/// `error: FILE:LINE[:COL]: message…`. Panics, showing stderr, when there is none.
pub fn diagnostic<'a>(stderr: &'a str, file: &str, line: Option<usize>) -> &'a str {
    let found = stderr.lines().find(|l| {
        let Some(rest) = l.strip_prefix("error: ").and_then(|r| r.strip_prefix(file)) else {
            return false;
        };
        match line {
            None => rest.starts_with(':'),
            Some(n) => rest.strip_prefix(&format!(":{n}")).is_some_and(|r| {
                r.starts_with(": ")
                    || (r.starts_with(':') && r[1..].starts_with(|c: char| c.is_ascii_digit()))
            }),
        }
    });
    match found {
        Some(l) => l,
        None => panic!(
            "no diagnostic `error: {file}{}` in stderr:\n{stderr}",
            line.map_or(String::new(), |n| format!(":{n}:"))
        ),
    }
}

/// Asserts that `diagnostic` quotes `text` as `` `text` ``.
pub fn assert_quotes(diagnostic: &str, text: &str) {
    assert!(
        diagnostic.contains(&format!("`{text}`")),
        "diagnostic does not quote `{text}`:\n{diagnostic}"
    );
}

/// What the Python `script` prints as JSON about `file` (its first argument). Python's
/// modules (csv, json, icalendar, polib, gettext) are the second implementation that reads
/// each format helpdeck writes; tests/run.sh installs the ones Debian lacks.
pub fn python(script: &str, file: &Path) -> serde_json::Value {
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python on {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from python")
}
