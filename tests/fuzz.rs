//! Fuzzing the real binary over a copy of the demo site: each case mutates front matter,
//! Markdown, shortcodes, data files or the config (splicing in tricky fragments, flipping,
//! inserting and deleting bytes, repeating, duplicating and cutting lines, writing new pages
//! from a small grammar), then runs `helpdeck build`, and for some cases `helpdeck check`.
//!
//! A case fails on a panic, on a run that takes longer than [`CASE_LIMIT`], on an exit code
//! other than 0 or 1, and, when the build fails, on a previous output that is not byte for
//! byte as it was, a staging folder left behind, or an error that names no file of the site.
//!
//! It runs for 30 seconds from a fixed seed. Run it longer, from another seed, or replay one
//! case (each case's input depends only on the seed and its number) with:
//!
//! ```text
//! HELPDECK_FUZZ_SECS=600 HELPDECK_FUZZ_SEED=7 cargo test --test fuzz -- --nocapture
//! HELPDECK_FUZZ_SEED=7 HELPDECK_FUZZ_CASE=42 cargo test --test fuzz
//! ```
//!
//! A failing case prints the seed, the case, what was changed and the changed files, and
//! keeps the site it failed on.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::rng::{GOLDEN, Rng};
use common::*;

const DEFAULT_SEED: u64 = 0x5EED_2026;
const DEFAULT_SECS: u64 = 30;
/// A build of the demo takes a quarter of a second in the dev profile.
const CASE_LIMIT: Duration = Duration::from_secs(30);

/// Fragments that have broken parsers: delimiters, shortcode syntax, numbers and dates out of
/// range, URLs, control and invisible characters, Markdown and HTML structure.
const TRICKY: &[&str] = &[
    "+++",
    "+++\n",
    "\n+++\n",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% end %}",
    "{{ fact(key=\"shop.name\") }}",
    "{{ fact(key=\"shop.returns.window_days\") }}",
    "{{ fact(key=\"shop.shipping.zones.0.price\") }}",
    "{{ fact(key=\"shop.shipping.zones.99.price\") }}",
    "{{ fact(key=\"\") }}",
    "{{ fact(key=\"shop..x\") }}",
    "{{ fact() }}",
    "{{ fact(key=1) }}",
    "{{ contact() }}",
    "{{ nope() }}",
    "{% note(title=\"T\") %}",
    "{% warning() %}\nx\n{% end %}",
    "{% steps() %}",
    "{{/* fact(key=\"x\") */}}",
    "[[",
    "]]",
    "[",
    "]",
    "[[changes]]\ndate = 2026-01-01\ntext = \"x\"\n",
    "[product]\nname = \"P\"\n",
    "[extra]\n",
    "\u{0}",
    "\u{FEFF}",
    "\r",
    "\r\n",
    "\u{202E}",
    "\u{200B}",
    "\u{FFFF}",
    "é",
    "👍🏽",
    "退货政策",
    "ąžuolas",
    "inf",
    "-inf",
    "nan",
    "1e400",
    "99999999999999999999",
    "-9223372036854775809",
    "0",
    "-1",
    "9999-99-99",
    "0000-01-01",
    "2026-02-30",
    "2026-01-01T25:00:00Z",
    "1979-05-27T07:32:00-08:00",
    "\"\"",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\\",
    "\\u0000",
    "=",
    "==",
    "#",
    "javascript:alert(1)",
    "JaVaScRiPt:x",
    "data:text/html,x",
    "https://",
    "//evil.example",
    "mailto:",
    "../",
    "../../../etc/passwd",
    "/",
    "@/",
    "@/nope.md",
    "@/policies/returns.md#nope",
    "@/../helpdeck.toml",
    "<script>alert(1)</script>",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<svg><style>",
    "<table>x",
    "```",
    "~~~",
    "> ",
    "- ",
    "1. ",
    "# ",
    "## ",
    "## Same\n\n## Same\n",
    "| a | b |\n|---|---|\n| 1 |",
    "[^1]",
    "[^1]: note\n",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "*",
    "_",
    "`",
    "\t",
    "\n\n",
    "title = \"x\"",
    "slug = \"../x\"",
    "slug = \"\"",
    "aliases = [\"/\"]",
    "aliases = [\"/sitemap.xml\"]",
    "kind = \"policy\"",
    "page_kind = \"faq\"",
    "draft = true",
    "weight = -1",
    "lang",
    "zh-Hant",
    "{ amount = 1, currency = \"EUR\" }",
    "{ amount = inf, currency = \"<script>\" }",
    "[languages.xx]\n",
    "default_language = \"xx\"",
    "base_url = \"\"",
    "theme = \"../x\"",
];

/// Facts the demo's data holds, for generated pages.
const FACTS: &[&str] = &[
    "shop.name",
    "shop.returns.window_days",
    "shop.returns.refund_business_days",
    "shop.shipping.processing_days",
    "shop.shipping.free_over",
    "shop.shipping.zones.0.price",
    "shop.shipping.zones.1.days",
    "shop.contact.email",
];

/// Pages of the demo that generated pages link to.
const LINK_TARGETS: &[&str] = &[
    "policies/returns.md",
    "policies/shipping.md",
    "faq/orders.md",
    "products/oak-board.md",
    "guides/caring-for-oak.md",
    "nope.md",
];

/// Front matter keys, and values for them that are valid, nearly valid or known to have
/// caused trouble. `LONG` stands for a name longer than a file name may be.
const FRONT_MATTER: &[(&str, &[&str])] = &[
    ("description", &["\"Help.\"", "\"\"", "1"]),
    (
        "date",
        &["2026-01-02", "2026-01-02T10:00:00Z", "\"2026-01-02\""],
    ),
    ("updated", &["2026-03-04", "9999-12-31", "1900-01-01"]),
    ("effective", &["2026-03-04"]),
    ("weight", &["1", "-5", "9223372036854775807"]),
    (
        "kind",
        &[
            "\"policy\"",
            "\"faq\"",
            "\"product\"",
            "\"article\"",
            "\"x\"",
        ],
    ),
    ("page_kind", &["\"faq\"", "\"product\""]),
    ("policy", &["\"returns\"", "\"shipping\"", "\"\""]),
    ("summary", &["\"One line.\"", "[\"a\", \"b\"]", "[]"]),
    (
        "slug",
        &[
            "\"fuzzed\"",
            "\"a/b\"",
            "\"é\"",
            "\"LONG\"",
            "\"../up\"",
            "\"\"",
        ],
    ),
    (
        "aliases",
        &[
            "[\"/old/\"]",
            "[\"/faq/\"]",
            "[\"old\"]",
            "[\"/sitemap.xml\"]",
            "[\"/robots.txt\"]",
            "[\"/LONG/\"]",
            "[\"/../x/\"]",
        ],
    ),
    ("draft", &["true", "false"]),
    ("search", &["false"]),
    (
        "template",
        &["\"page.html\"", "\"section.html\"", "\"nope.html\""],
    ),
];

/// One of `values`, with `LONG` spelt out.
fn front_matter_value(rng: &mut Rng, values: &[&str]) -> String {
    rng.pick(values)
        .replace("LONG", &"a".repeat(250 + rng.below(50)))
}

/// What a case changes: each file's new bytes, or `None` to remove it.
type Changes = BTreeMap<PathBuf, Option<Vec<u8>>>;

/// One case: the changes it makes to the demo site and how they were made.
struct Case {
    changes: Changes,
    steps: Vec<String>,
    check: bool,
}

fn make_case(rng: &mut Rng, originals: &BTreeMap<PathBuf, Vec<u8>>) -> Case {
    let mut case = Case {
        changes: Changes::new(),
        steps: Vec::new(),
        check: rng.one_in(4),
    };
    let paths: Vec<&PathBuf> = originals.keys().collect();
    for _ in 0..1 + rng.below(3) {
        let path = match rng.below(10) {
            0 | 1 => PathBuf::from("data/shop.toml"),
            2 => PathBuf::from("helpdeck.toml"),
            3 => {
                let path = new_page_path(rng);
                let page = generated_page(rng);
                case.steps
                    .push(format!("write a generated page {}", path.display()));
                case.changes.insert(path, Some(page.into_bytes()));
                continue;
            }
            _ => (*rng.pick(&paths)).clone(),
        };
        if rng.one_in(40) && path.starts_with("content") {
            case.steps.push(format!("remove {}", path.display()));
            case.changes.insert(path, None);
            continue;
        }
        let mut bytes = match case.changes.get(&path) {
            Some(Some(changed)) => changed.clone(),
            _ => originals[&path].clone(),
        };
        let step = mutate(rng, &mut bytes);
        case.steps.push(format!("{}: {step}", path.display()));
        case.changes.insert(path, Some(bytes));
    }
    case
}

fn new_page_path(rng: &mut Rng) -> PathBuf {
    let folder = rng.pick(&["", "faq/", "policies/", "products/", "guides/", "new/"]);
    let name = rng.pick(&["fuzz", "_index", "orders", "a b", "ünï", "x.y"]);
    let lang = rng.pick(&["", "", ".lt", ".zh-Hant", ".pl", ".xx", ".EN"]);
    PathBuf::from(format!("content/{folder}{name}{lang}.md"))
}

/// A page from a small grammar: plausible front matter and Markdown, with now and then a
/// tricky fragment in a value or a line.
fn generated_page(rng: &mut Rng) -> String {
    let mut front = vec![format!("title = \"{}\"", word(rng))];
    for (key, values) in FRONT_MATTER {
        if rng.one_in(3) {
            front.push(format!("{key} = {}", front_matter_value(rng, values)));
        }
    }
    if rng.one_in(4) {
        front.push("[[changes]]\ndate = 2026-02-03\ntext = \"Changed.\"".into());
    }
    if rng.one_in(4) {
        front.push("[product]\nname = \"Thing\"\nsku = \"T-1\"".into());
    }
    let mut body = String::new();
    for _ in 0..rng.below(12) {
        let block = match rng.below(12) {
            0 => format!("## {}\n", word(rng)),
            1 => format!("### {} {{#{}}}\n", word(rng), word(rng)),
            2 => format!(
                "{} [{}](@/{}) {}.\n",
                word(rng),
                word(rng),
                rng.pick(LINK_TARGETS),
                word(rng)
            ),
            3 => format!("- {}\n- [x] {}\n  - {}\n", word(rng), word(rng), word(rng)),
            4 => "| a | b |\n|:--|--:|\n| 1 | 2 |\n".to_string(),
            5 => format!("```rust\nfn {}() {{}}\n```\n", word(rng)),
            6 => format!("{{{{ fact(key=\"{}\") }}}} days.\n", rng.pick(FACTS)),
            7 => format!(
                "{{% {}(title=\"{}\") %}}\n{}\n{{% end %}}\n",
                rng.pick(&["note", "warning", "steps"]),
                word(rng),
                word(rng)
            ),
            8 => "<details><summary>Q</summary>\n\nA *b*.\n\n</details>\n".to_string(),
            9 => format!("{}[^n].\n\n[^n]: {}\n", word(rng), word(rng)),
            10 => format!("> {}\n", word(rng)),
            _ => (*rng.pick(TRICKY)).to_string(),
        };
        body.push_str(&block);
        body.push('\n');
    }
    let mut page = format!("+++\n{}\n+++\n{body}", front.join("\n"));
    if rng.one_in(3) {
        let mut bytes = page.into_bytes();
        mutate(rng, &mut bytes);
        page = String::from_utf8_lossy(&bytes).into_owned();
    }
    page
}

fn word(rng: &mut Rng) -> &'static str {
    const WORDS: &[&str] = &[
        "Returns",
        "delivery",
        "Where is my order?",
        "Grąžinimas",
        "退貨",
        "a",
        "",
        "x-y",
        "Same",
        "Dostawa",
        "30 days",
        "€5.90",
    ];
    WORDS[rng.below(WORDS.len())]
}

/// Changes `bytes` in one of many ways; says how.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    let at = |rng: &mut Rng, bytes: &Vec<u8>| {
        let mut at = rng.below(bytes.len() + 1);
        // Mostly where a character starts; now and then inside one.
        while !rng.one_in(8) && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
            at += 1;
        }
        at
    };
    match rng.below(12) {
        0..=2 => {
            let fragment = rng.pick(TRICKY);
            let at = match rng.below(3) {
                0 => line_start(rng, bytes),
                1 => after_equals(rng, bytes).unwrap_or_else(|| at(rng, bytes)),
                _ => at(rng, bytes),
            };
            bytes.splice(at..at, fragment.bytes());
            format!("insert {fragment:?} at byte {at}")
        }
        3 if rng.one_in(2) && bytes.starts_with(b"+++\n") => {
            let (key, values) = rng.pick(FRONT_MATTER);
            let value = match rng.one_in(3) {
                true => toml_value(rng),
                false => front_matter_value(rng, values),
            };
            let line = format!("{key} = {value}\n");
            let shown: String = line.chars().take(80).collect();
            bytes.splice(4..4, line.into_bytes());
            format!("add the front matter line {shown:?}")
        }
        3 => match value_range(rng, bytes) {
            Some(range) => {
                let value = toml_value(rng);
                let old = String::from_utf8_lossy(&bytes[range.clone()]).into_owned();
                let shown: String = value.chars().take(80).collect();
                bytes.splice(range, value.into_bytes());
                format!("replace the value {old:?} with {shown:?}")
            }
            None => "nothing (no value to replace)".into(),
        },
        4 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            let bit = 1u8 << rng.below(8);
            bytes[at] ^= bit;
            format!("flip bit {bit:#04x} of byte {at}")
        }
        5 => {
            let at = at(rng, bytes);
            let byte = rng.next() as u8;
            bytes.insert(at, byte);
            format!("insert byte {byte:#04x} at {at}")
        }
        6 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(start..end);
            format!("delete bytes {start}..{end}")
        }
        7 => {
            let lines = lines_of(bytes);
            let (n, times) = (rng.below(lines.len()), 1 + rng.below(3) * rng.below(200));
            let line = lines[n].clone();
            let mut out: Vec<Vec<u8>> = lines;
            for _ in 0..times {
                out.insert(n, line.clone());
            }
            *bytes = out.concat();
            format!("repeat line {n} {times} more times")
        }
        8 => {
            let mut lines = lines_of(bytes);
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            if rng.one_in(2) {
                lines.swap(a, b);
                *bytes = lines.concat();
                format!("swap lines {a} and {b}")
            } else {
                lines.remove(a);
                *bytes = lines.concat();
                format!("delete line {a}")
            }
        }
        9 => {
            let at = at(rng, bytes);
            bytes.truncate(at);
            format!("truncate at byte {at}")
        }
        10 => {
            let unit = rng.pick(&["> ", "- ", "<div>", "<b>", "[", "*", "{{", "  ", "a", "#"]);
            let most = if rng.one_in(4) { 20_000 } else { 600 };
            let times = 1 + rng.below(most);
            let at = line_start(rng, bytes);
            bytes.splice(at..at, unit.repeat(times).into_bytes());
            format!("insert {unit:?} {times} times at byte {at}")
        }
        _ => {
            let at = line_start(rng, bytes);
            let page_break = rng.pick(&["+++\n", "\n+++\n+++\n", "+++\ntitle = 1\n+++\n"]);
            bytes.splice(at..at, page_break.bytes());
            format!("insert {page_break:?} at byte {at}")
        }
    }
}

/// A value for a `key = value` line: a tricky fragment, a long string, deep nesting, or a value
/// of some other type.
fn toml_value(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => {
            let length = match rng.one_in(4) {
                true => rng.below(100_000),
                false => 200 + rng.below(100),
            };
            format!(
                "\"{}\"",
                rng.pick(&["a", "é", "/", "退", "-"]).repeat(length)
            )
        }
        1 => {
            let depth = 1 + rng.below(300);
            let (open, close) = *rng.pick(&[("[", "]"), ("{ a = ", " }")]);
            format!("{}1{}", open.repeat(depth), close.repeat(depth))
        }
        2 => rng
            .pick(&[
                "true",
                "[]",
                "{}",
                "[1, \"a\"]",
                "2026-01-01",
                "07:30:00",
                "1.5",
                "\"\"",
                "\"/faq/orders/\"",
                "[\"/faq/orders/\", \"/faq/orders/\"]",
                "[\"/old/\"]",
                "\"orders\"",
                "\"index.html\"",
                "\".\"",
                "\"..\"",
                "[\"/sitemap.xml\"]",
                "[\"/robots.txt\"]",
                "[\"/lt/\"]",
                "\"page.html\"",
                "\"section.html\"",
            ])
            .to_string(),
        _ => rng.pick(TRICKY).to_string(),
    }
}

/// The lines of `bytes`, each with its newline.
fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    lines
}

fn line_start(rng: &mut Rng, bytes: &[u8]) -> usize {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    *rng.pick(&starts)
}

/// Just after a `= ` of a TOML line, where a value starts.
fn after_equals(rng: &mut Rng, bytes: &[u8]) -> Option<usize> {
    value_range(rng, bytes).map(|range| range.start)
}

/// A value of a `key = value` line: from after `=` to the end of the line.
fn value_range(rng: &mut Rng, bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    let values: Vec<std::ops::Range<usize>> = lines_of(bytes)
        .iter()
        .scan(0, |start, line| {
            let at = *start;
            *start += line.len();
            Some((at, line.clone()))
        })
        .filter_map(|(at, line)| {
            let equals = line.windows(3).position(|w| w == b" = ")?;
            let end = line.len() - usize::from(line.ends_with(b"\n"));
            Some(at + equals + 3..at + end)
        })
        .collect();
    (!values.is_empty()).then(|| rng.pick(&values).clone())
}

/// What a run of `helpdeck` did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

fn run(root: &Path, logs: &Path, args: &[&str]) -> Outcome {
    let (out_path, err_path) = (logs.join("stdout"), logs.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpdeck"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("stdout file"))
        .stderr(File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("run helpdeck");
    let started = Instant::now();
    let (code, timed_out) = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break (status.code(), false);
        }
        if started.elapsed() > CASE_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |path: &Path| {
        String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
    };
    Outcome {
        code,
        stdout: read(&out_path),
        stderr: read(&err_path),
        timed_out,
    }
}

/// Each file under `dir` with a hash of its bytes.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, u64> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut hasher = DefaultHasher::new();
            hasher.write(&bytes);
            (path, hasher.finish())
        })
        .collect()
}

/// The site's own files (not its output), relative to the root.
fn site_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(path, _)| {
            ["content", "data", "helpdeck.toml"]
                .iter()
                .any(|top| path.starts_with(top))
        })
        .collect()
}

/// Whether `report` names a file of the site, or one the case changed.
fn names_a_file(report: &str, root: &Path, changed: &Changes) -> bool {
    let named = |path: &Path| report.contains(&*path.to_string_lossy());
    site_files(root).keys().any(|path| named(path)) || changed.keys().any(|path| named(path))
}

#[test]
fn mutated_sites_build_or_fail_cleanly() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = env("HELPDECK_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let secs = env("HELPDECK_FUZZ_SECS").unwrap_or(DEFAULT_SECS);
    let only = env("HELPDECK_FUZZ_CASE");

    let site = Site::demo();
    let root = site.root().to_path_buf();
    let logs = tempfile::tempdir().expect("temp dir");
    let originals = site_files(&root);
    site.build();
    let mut previous = hashes(&site.public());
    let started = Instant::now();
    let cases = match only {
        Some(case) => case..case + 1,
        None => 0..u64::MAX,
    };
    let (mut ran, mut built) = (0, 0);
    for number in cases {
        if only.is_none() && started.elapsed() > Duration::from_secs(secs) {
            break;
        }
        let mut rng = Rng::mixed(seed ^ number.wrapping_mul(GOLDEN));
        let case = make_case(&mut rng, &originals);
        for (path, bytes) in &case.changes {
            let file = root.join(path);
            match bytes {
                Some(bytes) => {
                    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&file, bytes).expect("write");
                }
                None => std::fs::remove_file(&file).expect("remove"),
            }
        }
        let fail = |what: &str, outcome: &Outcome| {
            report_failure(seed, number, &case, &site, what, outcome)
        };

        let build = run(&root, logs.path(), &["build"]);
        if let Some(problem) = run_problem("build", &build) {
            fail(&problem, &build);
        }
        match build.code {
            Some(0) => {
                built += 1;
                previous = hashes(&site.public());
            }
            _ => {
                if hashes(&site.public()) != previous {
                    fail("a failed build changed the previous output", &build);
                }
                if !site.staging_leftovers().is_empty() {
                    fail("a failed build left a staging folder behind", &build);
                }
                if !names_a_file(&build.stderr, &root, &case.changes) {
                    fail("a failed build names no file", &build);
                }
            }
        }
        if case.check {
            let check = run(&root, logs.path(), &["check"]);
            if let Some(problem) = run_problem("check", &check) {
                fail(&problem, &check);
            }
            if check.code == Some(1)
                && !names_a_file(
                    &format!("{}{}", check.stdout, check.stderr),
                    &root,
                    &case.changes,
                )
            {
                fail("a failing check names no file", &check);
            }
            if hashes(&site.public()) != previous {
                fail("check changed the output", &check);
            }
        }

        // Back to the demo for the next case; its output stays as the previous output.
        for path in case.changes.keys() {
            let file = root.join(path);
            match originals.get(path) {
                Some(bytes) => std::fs::write(&file, bytes).expect("restore"),
                None => std::fs::remove_file(&file).expect("remove"),
            }
        }
        ran += 1;
    }
    eprintln!(
        "fuzz: {ran} cases from seed {seed} in {:?}, {built} of them built",
        started.elapsed()
    );
    assert!(ran > 0, "no case ran");
}

/// What is wrong with any run: a panic, a run over the time limit, or an exit code other than
/// 0 and 1.
fn run_problem(command: &str, outcome: &Outcome) -> Option<String> {
    if outcome.timed_out {
        Some(format!("{command} took over {CASE_LIMIT:?}"))
    } else if outcome.code == Some(101) || outcome.stderr.contains("panicked") {
        Some(format!("{command} panicked"))
    } else if !matches!(outcome.code, Some(0 | 1)) {
        Some(format!("{command} exited with {:?}", outcome.code))
    } else {
        None
    }
}

fn report_failure(seed: u64, number: u64, case: &Case, site: &Site, what: &str, outcome: &Outcome) {
    let kept = std::env::temp_dir().join(format!("helpdeck-fuzz-{seed}-{number}"));
    let _ = std::fs::remove_dir_all(&kept);
    copy_tree(site.root(), &kept);
    let mut report = format!(
        "{what}\nseed {seed}, case {number}: replay with \
         HELPDECK_FUZZ_SEED={seed} HELPDECK_FUZZ_CASE={number} cargo test --test fuzz\n\
         site kept in {}\nchanges:\n",
        kept.display()
    );
    for step in &case.steps {
        report.push_str(&format!("  {step}\n"));
    }
    for (path, bytes) in &case.changes {
        let text = bytes.as_ref().map_or("(removed)".into(), |b| {
            String::from_utf8_lossy(b).into_owned()
        });
        let shown: String = text.chars().take(6000).collect();
        report.push_str(&format!("--- {} ---\n{shown:?}\n", path.display()));
    }
    let tail = |text: &str| text.chars().take(4000).collect::<String>();
    report.push_str(&format!(
        "exit {:?}\nstderr:\n{}\nstdout:\n{}",
        outcome.code,
        tail(&outcome.stderr),
        tail(&outcome.stdout)
    ));
    panic!("{report}");
}
