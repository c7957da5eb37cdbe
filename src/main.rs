//! The `helpdeck` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

/// Rendering allocates many short-lived strings on several threads; mimalloc handles that
/// markedly faster than the system allocator (the minifier alone runs about half again as fast).
/// Built with `no_thp`: asked for transparent huge pages, the kernel zeroes 2 MiB for every
/// fresh region mimalloc touches, which was a tenth of a build's CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "helpdeck",
    version,
    about = "Builds a fast, searchable, multilingual help centre from a shop's Markdown policies, FAQs and product Q&A.",
    after_help = "Examples:\n  helpdeck init my-help         write a starter help centre into my-help/\n  helpdeck serve --root my-help  preview it at http://127.0.0.1:1111, reloading on every save\n  helpdeck build --root my-help  build it into my-help/public\n  helpdeck build --base-url https://shop.example/help --output dist"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build {
        /// The site folder (holding helpdeck.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from helpdeck.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build the site, serve it at http://127.0.0.1:1111, and rebuild and reload the open pages
    /// on every save (build errors show over the page; the last good build stays served).
    Serve {
        /// The site folder (holding helpdeck.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback makes the site reachable from other
        /// machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port, or the next free one after it.
        #[arg(long, default_value_t = helpdeck::serve::DEFAULT_PORT)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Show pages marked `draft = true` (marked as drafts; `build` leaves them out).
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site without writing anything: broken links and anchors, missing required
    /// policies, numbers contradicting facts, images without alt text, untranslated pages and
    /// overdue reviews. Exits with 1 when there are errors.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also request every external link (8 at a time, 10 s each at most).
        #[arg(long)]
        external: bool,
        /// Policy rules to apply (docs/rules.md): `eu`, `gpsr`, `google`, or `none`; by
        /// default `google`, and `eu` and `gpsr` where the shop's countries call for them.
        #[arg(long, value_delimiter = ',')]
        rules: Option<Vec<String>>,
    },
    /// Write the site's facts and pages for other channels: `replies` (saved replies for
    /// help-desk tools, CSV and JSON, one per FAQ question and per policy, in each language),
    /// `away` (auto-reply texts for after hours and each closure, and `closures.ics`), `etsy`
    /// (Etsy's shop policy boxes as plain text, per language), `ebay`, `amazon`, `allegro`
    /// (return and shipping settings and policy texts; Amazon's message-safe replies).
    Export {
        #[arg(value_enum)]
        target: ExportTarget,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        /// Where the files go (default: `exports/` in the site).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show, per language, which pages are missing, outdated (the source changed since the
    /// translation's `source_hash`, with the diff when the site is in git) or current.
    Translations {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Stamp TAG's translation of PATH with the source's current hash (after translating).
        #[arg(long, num_args = 2, value_names = ["TAG", "PATH"])]
        mark: Option<Vec<String>>,
        #[command(subcommand)]
        action: Option<TranslationsAction>,
    },
    /// The theme's UI strings for translators' tools, as gettext PO: `export --to lt` writes
    /// them (English as the source), `import FILE` writes a translated file's strings into
    /// the site's `i18n/<lang>.toml`, over the theme's.
    Strings {
        #[command(subcommand)]
        action: StringsAction,
    },
    /// Create the TAG translation of PATH (e.g. `translate lt policies/returns.md`) holding the
    /// source text to translate and the hash of the source it was made from.
    Translate {
        tag: String,
        path: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// What buyers could not find: read the `[analytics]` events in access logs (Common or
    /// Combined Log Format, S3, CloudFront, Cloudflare Logpush; gzip-compressed or not) or an
    /// endpoint's JSON lines, and report per language the top queries, queries without
    /// results, queries whose results nobody opened, and the pages voted unhelpful.
    Report {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site, whose `[analytics] log` names the event file.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Rows in each list.
        #[arg(long, default_value_t = 20)]
        top: usize,
    },
    /// Write a starter help centre for your shop into DIR (config, shop facts, a home page and
    /// the policies a shop needs, with TODO markers `check` reports), or with --demo the demo.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
        /// The shop's name (default: the folder's name).
        #[arg(long, conflicts_with = "demo")]
        name: Option<String>,
        /// Language tags, the default language first: en,lt (default: en).
        #[arg(long, value_delimiter = ',', conflicts_with = "demo")]
        languages: Option<Vec<String>>,
        /// Where the shop is: a two-letter country code, like LT or GB. In a terminal, init
        /// asks for what the flags leave out; elsewhere this one is required.
        #[arg(long, conflicts_with = "demo")]
        country: Option<String>,
        /// Write the demo shop (Oak & Linen, five languages) instead.
        #[arg(long)]
        demo: bool,
    },
}

#[derive(Subcommand)]
enum StringsAction {
    /// Write LANG's UI strings as a PO file (default: ROOT/translations/strings.LANG.po).
    Export {
        #[arg(long = "to", value_name = "LANG")]
        lang: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the translations of FILE (a PO file from `strings export`) into i18n/LANG.toml.
    Import {
        file: PathBuf,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum TranslationsAction {
    /// Write LANG's pages for translators' tools, a segment per entry (default:
    /// ROOT/translations/pages.LANG.po, or .xlf).
    Export {
        /// The languages (`--to lt --to pl`, or `--to lt,pl`; default: every translation
        /// language).
        #[arg(long = "to", value_name = "LANG", value_delimiter = ',')]
        langs: Vec<String>,
        #[arg(long, value_enum, default_value_t = helpdeck::translations::Exchange::Po)]
        format: helpdeck::translations::Exchange,
        /// Only the segments that need a translator.
        #[arg(long, value_enum)]
        only: Option<helpdeck::translations::content::Only>,
        /// A file per page, under ROOT/translations/LANG/ (or OUT).
        #[arg(long)]
        per_page: bool,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The file (or with --per-page the folder) to write.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fill every untranslated segment with a machine draft from the program
    /// `[translations] machine` names (published only as `publish_machine_drafts` says, with a
    /// notice, until a translator reviews it).
    Machine {
        /// The languages (default: every translation language).
        #[arg(long = "to", value_name = "LANG", value_delimiter = ',')]
        langs: Vec<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write the translated segments of each FILE (PO or XLIFF from `export`) into the
    /// translation pages.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportTarget {
    Replies,
    Away,
    Etsy,
    Ebay,
    Amazon,
    Allegro,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Html,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{}", error_text(&error));
            ExitCode::FAILURE
        }
    }
}

/// The seller's answers for `init`: the flags given, and in a terminal the others asked for;
/// elsewhere the defaults (the folder's name, English), and `--country` is required.
fn shop_answers(
    dir: &std::path::Path,
    name: Option<String>,
    languages: Option<Vec<String>>,
    country: Option<String>,
) -> Result<helpdeck::init::Shop, helpdeck::Error> {
    use std::io::IsTerminal;
    let folder = dir.file_name().map_or_else(
        || "My shop".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let asking = std::io::stdin().is_terminal();
    let ask = |question: &str, default: &str| {
        prompt(question, default).map_err(|e| {
            helpdeck::Error::io(
                "cannot read an answer from",
                std::path::Path::new("the terminal"),
                e,
            )
        })
    };
    let name = match name {
        Some(name) => name,
        None if asking => ask("The shop's name", &folder)?,
        None => folder,
    };
    let languages = match languages {
        Some(languages) => languages,
        None if asking => ask("Languages, the default first", "en")?
            .split(',')
            .map(str::to_string)
            .collect(),
        None => vec!["en".to_string()],
    };
    let country = match country {
        Some(country) => country,
        None if asking => ask(
            "Where the shop is (a two-letter country code, like LT or GB)",
            "",
        )?,
        None => {
            return Err(helpdeck::Error::single(helpdeck::Diagnostic::new(
                "--country",
                "say where the shop is, like --country LT (init asks only in a terminal)",
            )));
        }
    };
    let country = country.trim().to_string();
    Ok(helpdeck::init::Shop {
        name: name.trim().to_string(),
        languages: languages.iter().map(|l| l.trim().to_string()).collect(),
        // `lt` is LT; anything else is shown back as it was given.
        country: match country.len() == 2 {
            true => country.to_ascii_uppercase(),
            false => country,
        },
    })
}

/// Asks `question` on the terminal; an empty answer is `default`.
fn prompt(question: &str, default: &str) -> std::io::Result<String> {
    use std::io::Write;
    let mut out = std::io::stdout();
    match default.is_empty() {
        true => write!(out, "{question}: ")?,
        false => write!(out, "{question} [{default}]: ")?,
    }
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    let answer = answer.trim();
    Ok(if answer.is_empty() { default } else { answer }.to_string())
}

/// Runs a command; a check that finds errors exits with 1, like a failed build.
fn run(command: Command) -> Result<ExitCode, helpdeck::Error> {
    match command {
        Command::Check {
            root,
            format,
            external,
            rules,
        } => {
            let rules = match rules {
                None => helpdeck::check::rules::Selection::default(),
                Some(names) => helpdeck::check::rules::Selection::parse(&names).map_err(|why| {
                    helpdeck::Error::single(helpdeck::Diagnostic::new("--rules", why))
                })?,
            };
            let report = helpdeck::check::check(&helpdeck::check::CheckOptions {
                root,
                external,
                rules,
            })?;
            match format {
                Format::Text => print!("{}", report.to_text()),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
            }
            Ok(if report.errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = helpdeck::BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            let bar = LongBuildBar::new();
            let result = helpdeck::build(&options, &|done, total| bar.update(done, total));
            bar.finish();
            let report = result?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            let total: usize = report.pages.values().sum();
            let per_language: Vec<String> = report
                .pages
                .iter()
                .map(|(lang, n)| format!("{lang} {n}"))
                .collect();
            println!(
                "Built {total} pages ({}) in {:.2} s → {}",
                per_language.join(", "),
                report.elapsed.as_secs_f64(),
                report.output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            files,
            root,
            format,
            top,
        } => {
            let report =
                helpdeck::report::report(&helpdeck::report::ReportOptions { root, files, top })?;
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            match format {
                ReportFormat::Text => print!("{}", report.to_text()),
                ReportFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ),
                ReportFormat::Html => print!("{}", report.to_html()?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
        } => {
            helpdeck::serve::serve(&helpdeck::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            target,
            root,
            lang,
            out,
        } => {
            let out = out.unwrap_or_else(|| root.join("exports"));
            let target = match target {
                ExportTarget::Replies => helpdeck::export::Target::Replies,
                ExportTarget::Away => helpdeck::export::Target::Away,
                ExportTarget::Etsy => helpdeck::export::Target::Etsy,
                ExportTarget::Ebay => helpdeck::export::Target::Ebay,
                ExportTarget::Amazon => helpdeck::export::Target::Amazon,
                ExportTarget::Allegro => helpdeck::export::Target::Allegro,
            };
            let files = helpdeck::export::export(&helpdeck::export::ExportOptions {
                root,
                target,
                lang,
                out,
            })?;
            for file in files {
                println!("Wrote {}", file.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Translations {
            root,
            lang,
            format,
            mark,
            action,
        } => {
            match action {
                Some(TranslationsAction::Export {
                    langs,
                    format,
                    only,
                    per_page,
                    root,
                    out,
                }) => {
                    let files = helpdeck::translations::export_pages(
                        &root, &langs, format, only, per_page, out,
                    )?;
                    for file in files {
                        println!("Wrote {}", file.display());
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                Some(TranslationsAction::Machine { langs, root }) => {
                    for drafted in helpdeck::translations::machine::draft(&root, &langs)? {
                        println!(
                            "{}: {} segments drafted by machine; wrote {} files",
                            drafted.lang,
                            drafted.applied.changed,
                            drafted.applied.written.len()
                        );
                        for why in &drafted.left_out {
                            println!("  left untranslated: {why}");
                        }
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                Some(TranslationsAction::Import { files, root }) => {
                    for (lang, applied) in helpdeck::translations::import_pages(&root, &files)? {
                        println!(
                            "{lang}: {} segments changed, {} as they were; wrote {} files",
                            applied.changed,
                            applied.unchanged,
                            applied.written.len()
                        );
                        for file in applied.written {
                            println!("  {}", file.display());
                        }
                    }
                    return Ok(ExitCode::SUCCESS);
                }
                None => {}
            }
            if let Some([tag, path]) = mark.as_deref() {
                let file = helpdeck::translations::mark(&root, tag, path)?;
                println!(
                    "Marked {} as translated from the current source",
                    file.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let reports = helpdeck::translations::report(&root, lang.as_deref())?;
            match format {
                Format::Text => print!("{}", helpdeck::translations::render_text(&reports)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&reports).unwrap_or_default()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Strings { action } => match action {
            StringsAction::Export { lang, root, out } => {
                let po = helpdeck::translations::strings::export(&root, &lang)?;
                let out = out.unwrap_or_else(|| {
                    root.join("translations").join(format!("strings.{lang}.po"))
                });
                if let Some(folder) = out.parent() {
                    std::fs::create_dir_all(folder)
                        .map_err(|e| helpdeck::Error::io("cannot create", folder, e))?;
                }
                std::fs::write(&out, po)
                    .map_err(|e| helpdeck::Error::io("cannot write", &out, e))?;
                println!("Wrote {}", out.display());
                Ok(ExitCode::SUCCESS)
            }
            StringsAction::Import { file, root } => {
                let imported = helpdeck::translations::strings::import(&root, &file)?;
                match &imported.written {
                    Some(path) => println!(
                        "Wrote {}: {} strings of {} changed, {} untranslated or fuzzy left alone",
                        path.display(),
                        imported.changed,
                        imported.lang,
                        imported.skipped
                    ),
                    None => println!(
                        "Nothing to write: {}'s strings are as the file has them ({} untranslated or fuzzy left alone)",
                        imported.lang, imported.skipped
                    ),
                }
                Ok(ExitCode::SUCCESS)
            }
        },
        Command::Translate { tag, path, root } => {
            let file = helpdeck::translations::translate(&root, &tag, &path)?;
            println!(
                "Created {}: a copy of the source, shown as not yet translated until its text changes; translate it, then run `helpdeck translations --mark {tag} {path}`",
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            dir,
            name,
            languages,
            country,
            demo,
        } => {
            let starter = match demo {
                true => helpdeck::init::Starter::Demo,
                false => {
                    helpdeck::init::Starter::Shop(shop_answers(&dir, name, languages, country)?)
                }
            };
            let files = helpdeck::init::init(&dir, &starter)?;
            let root = dir.display();
            println!("Wrote a starter help centre ({files} files) to {root}");
            println!("See it, rebuilt as you edit: helpdeck serve --root {root}");
            if !demo {
                println!("What is left to fill in (every TODO): helpdeck check --root {root}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A progress bar that appears only when a build on a terminal takes longer than a moment,
/// so quick builds and logs stay clean.
struct LongBuildBar {
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: AtomicBool,
    terminal: bool,
}

impl LongBuildBar {
    const DELAY: Duration = Duration::from_millis(800);

    fn new() -> Self {
        let bar = indicatif::ProgressBar::hidden();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages") {
            bar.set_style(style);
        }
        LongBuildBar {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn update(&self, done: usize, total: usize) {
        if self.terminal
            && self.started.elapsed() > Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_length(total as u64);
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done.min(total) as u64);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn error_text(error: &helpdeck::Error) -> String {
    match error {
        helpdeck::Error::Invalid(_) => error.to_string(),
        other => format!("error: {other}"),
    }
}
