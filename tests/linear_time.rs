//! No input takes time that grows faster than the input: for each kind of input that once took
//! quadratic time (identical headings, deeply nested HTML, many links on a line…), a site with
//! N of it and one with 2N are built, and the second must not take more than three times as
//! long as the first.
//!
//! Time is the user CPU time of the `helpdeck` process, read from `/proc` when it has exited,
//! the least of three runs, less that of the same site with none of the input: a busy machine
//! stretches wall time, not the work done. A run that takes longer than [`LIMIT`] fails at once.
#![cfg(target_os = "linux")]

mod common;

use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The longest one run may take, in wall time.
const LIMIT: Duration = Duration::from_secs(30);

/// Allowed on top of three times as long: three ticks of the kernel's CPU clock (30 ms), its
/// resolution, since the baseline is taken off both sides.
const SLACK_TICKS: u64 = 3;

/// The files of the site with `n` of an input (path, text), added to [`GOOD`].
type Input = dyn Fn(usize) -> Vec<(String, String)>;

/// Runs `helpdeck ARGS` on sites with 0, `n` and `2n` of `input`, and fails when the work for
/// `2n` is more than three times that for `n`.
fn assert_linear(args: &[&str], n: usize, input: &Input) {
    let [none, once, twice] = [0, n, 2 * n].map(|size| {
        let files = input(size);
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        let site = Site::new(&good_with(&files));
        (0..3).map(|_| cpu_ticks(&site, args)).min().unwrap_or(0)
    });
    let (once, twice) = (once.saturating_sub(none), twice.saturating_sub(none));
    assert!(
        twice <= 3 * once + SLACK_TICKS,
        "helpdeck {args:?}: {n} took {once} ticks, {} took {twice} ticks (baseline {none} ticks \
         left out): more than three times as long",
        2 * n
    );
}

/// The user CPU time of `helpdeck ARGS` in `site`, in clock ticks.
fn cpu_ticks(site: &Site, args: &[&str]) -> u64 {
    let stderr_path = site.root().join("stderr.txt");
    let stderr = File::create(&stderr_path).expect("stderr file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpdeck"))
        .args(args)
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("run helpdeck");
    // A process that has exited but has not been waited for keeps its times in /proc.
    let stat = format!("/proc/{}/stat", child.id());
    let started = Instant::now();
    let ticks = loop {
        let text = std::fs::read_to_string(&stat).expect("read /proc stat");
        // Fields after the command name: state is field 3, user time field 14.
        let fields: Vec<&str> = text[text.rfind(')').expect("stat") + 2..]
            .split(' ')
            .collect();
        if fields[0] == "Z" {
            break fields[11].parse::<u64>().expect("utime");
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("helpdeck {args:?} took over {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let status = child.wait().expect("wait");
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let tail: String = stderr.chars().take(2000).collect();
    assert!(
        matches!(status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
        "helpdeck {args:?} exited with {status}:\n{tail}"
    );
    ticks
}

fn page_of(path: &str, front: &str, body: String) -> Vec<(String, String)> {
    vec![(path.to_string(), page(front, &body))]
}

#[test]
fn identical_headings() {
    assert_linear(&["build"], 8000, &|n| {
        page_of(
            "content/p.md",
            "title = \"p\"",
            "## Same\n\nText.\n\n".repeat(n),
        )
    });
}

#[test]
fn identical_faq_questions() {
    assert_linear(&["build"], 8000, &|n| {
        page_of(
            "content/faq/many.md",
            "title = \"Many\"",
            "## Same question?\n\nYes.\n\n".repeat(n),
        )
    });
}

#[test]
fn nested_divs() {
    assert_linear(&["build"], 20_000, &|n| {
        let body = format!("{}x{}\n", "<div>".repeat(n), "</div>".repeat(n));
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn nested_raw_lists() {
    // 10,000 took no tick above the baseline, so noise alone could fail it.
    assert_linear(&["build"], 100_000, &|n| {
        page_of(
            "content/p.md",
            "title = \"p\"",
            "<ul><li>".repeat(n) + "x\n",
        )
    });
}

#[test]
fn raw_html_in_deep_quotes() {
    assert_linear(&["build"], 10_000, &|n| {
        let body = format!("{} quoted <b>bold</b>\n", ">".repeat(n));
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn unclosed_formatting_in_many_paragraphs() {
    // Enough paragraphs that the work is tens of ticks, well above the clock's resolution.
    assert_linear(&["build"], 30_000, &|n| {
        let body = (0..n).map(|i| format!("<b id=\"b{i}\">bold\n\n")).collect();
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn text_in_tables_outside_cells() {
    assert_linear(&["build"], 40_000, &|n| {
        page_of(
            "content/p.md",
            "title = \"p\"",
            "<table>x</table>\n".repeat(n),
        )
    });
}

#[test]
fn many_links_on_one_line() {
    assert_linear(&["check"], 80_000, &|n| {
        let body = format!("{}\n\n## Same\n", "[x](#same) ".repeat(n));
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn many_broken_internal_links() {
    assert_linear(&["build"], 10_000, &|n| {
        let body = (0..n).map(|i| format!("[x](@/nope{i}.md)\n")).collect();
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn many_changes_on_one_day() {
    assert_linear(&["build"], 8000, &|n| {
        let front = format!(
            "title = \"Terms\"\nkind = \"policy\"\nupdated = 2026-01-15\n{}",
            "[[changes]]\ndate = 2026-01-15\ntext = \"Clarified.\"\n".repeat(n)
        );
        page_of("content/policies/terms.md", &front, "Terms.\n".into())
    });
}

#[test]
fn links_to_many_headings() {
    assert_linear(&["check"], 20_000, &|n| {
        let body = (0..n)
            .map(|i| format!("## H{i}\n\n[x](#h{i})\n\n"))
            .collect();
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn broken_anchors_on_a_page_of_many_headings() {
    assert_linear(&["check"], 4000, &|n| {
        let body = (0..n)
            .map(|i| format!("## H{i}\n\n[x](#nope{i}zz)\n\n"))
            .collect();
        page_of("content/p.md", "title = \"p\"", body)
    });
}

#[test]
fn unknown_facts_in_a_large_data_file() {
    assert_linear(&["build"], 4000, &|n| {
        let data = (0..n).map(|i| format!("key{i} = {i}\n")).collect();
        let body = (0..n)
            .map(|i| format!("{{{{ fact(key=\"shop.kez{i}\") }}}}\n"))
            .collect();
        let mut files = page_of("content/p.md", "title = \"p\"", body);
        files.push(("data/shop.toml".to_string(), data));
        files
    });
}
