//! `helpdeck serve`: builds the site into a private folder, serves it, watches the sources and
//! rebuilds what each save affects ([`crate::rebuild`]), and reloads the open pages showing it.
//!
//! [`files`] holds what is served, [`http`] answers requests, [`watch`] turns editor saves into
//! batches, [`live`] is the reload channel and the injected script, [`translations_page`] the
//! translator's view, [`exports_page`] the exports as the files are now. This file runs them
//! and prints one line per rebuild.

mod exports_page;
mod files;
mod http;
mod live;
mod translations_page;
mod watch;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::IsTerminal;
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostic::{Error, Result};
use crate::index::Interrupted;
use crate::output::{Output, Sink};
use crate::rebuild::{Failed, Rebuilder, Rebuilt};
use crate::resolve::Site;
use crate::translations::{self, LanguageReport};
use files::{ServedFiles, output_key};
use http::Binding;
use live::Live;
use watch::{Message, Next, Watcher};

pub const DEFAULT_PORT: u16 = 1111;
/// The translator's report, outside any site's base path.
pub const TRANSLATIONS_URL: &str = "/_helpdeck/translations/";
/// The exports (`helpdeck export`), made on request from the site's files.
pub const EXPORTS_URL: &str = "/_helpdeck/exports/";
/// How many ports after the asked-for one are tried when it is taken.
const PORTS_TO_TRY: u16 = 50;
/// How long saves must pause before the search index and related articles catch up: a
/// reload comes first, and the next save should not wait for seconds of indexing.
const FOLLOW_UP_AFTER: Duration = Duration::from_millis(500);

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

/// What the request handlers share with the rebuild loop.
pub struct State {
    root: PathBuf,
    binding: Binding,
    files: ServedFiles,
    live: Live,
    facts: RwLock<SiteFacts>,
    /// The translations report of the site as last built; `None` until a build succeeds.
    translations: RwLock<Option<Vec<LanguageReport>>>,
    /// Whether the first search index is still to come: it follows the first build, which
    /// serves its pages without waiting for it.
    index_pending: (Mutex<bool>, Condvar),
}

/// What requests need to know of the site as last built.
#[derive(Default)]
struct SiteFacts {
    base_path: String,
    /// The `[analytics] log` file's URL path: its requests are printed, to show what is sent.
    event_log: Option<String>,
    /// Output files of draft pages.
    drafts: HashSet<String>,
    /// (`policies/returns.md`, language) → URL.
    urls: HashMap<(String, String), String>,
}

impl State {
    fn base_path(&self) -> String {
        self.facts
            .read()
            .map(|f| f.base_path.clone())
            .unwrap_or_default()
    }

    fn is_event_log(&self, path: &str) -> bool {
        self.facts
            .read()
            .is_ok_and(|f| f.event_log.as_deref() == Some(path))
    }

    /// Waits up to `longest` for the first search index, when it is still to come: a search
    /// made as serve starts is answered once its index is there, not with a 404.
    fn wait_for_first_index(&self, longest: Duration) {
        let (pending, built) = &self.index_pending;
        let Ok(pending) = pending.lock() else {
            return;
        };
        let _ = built.wait_timeout_while(pending, longest, |pending| *pending);
    }

    /// Lets requests waiting for the first search index go on: it is there, or is not coming.
    fn first_index_done(&self) {
        let (pending, built) = &self.index_pending;
        if let Ok(mut pending) = pending.lock() {
            *pending = false;
        }
        built.notify_all();
    }

    fn is_draft(&self, output: &str) -> bool {
        self.facts.read().is_ok_and(|f| f.drafts.contains(output))
    }

    fn page_url(&self, key: &str, lang: &str) -> Option<String> {
        self.facts
            .read()
            .ok()?
            .urls
            .get(&(key.to_string(), lang.to_string()))
            .cloned()
    }

    fn translations(&self) -> Option<Vec<LanguageReport>> {
        self.translations.read().ok()?.clone()
    }

    /// Takes in the translations report of the site the watcher holds: the translator's page
    /// reads it instead of opening the site again.
    fn learn_translations(&self, rebuilder: &Rebuilder) {
        let reports =
            translations::report_site(&self.root, rebuilder.site(), rebuilder.theme(), None);
        if let Ok(mut current) = self.translations.write() {
            *current = Some(reports);
        }
    }

    fn learn(&self, site: &Site) {
        let facts = SiteFacts {
            base_path: site.config.base_path.clone(),
            event_log: crate::render::hosting::event_log_path(site),
            drafts: site
                .pages()
                .iter()
                .filter(|p| p.doc.meta.draft)
                .map(|p| output_key(&p.output_path))
                .collect(),
            urls: site
                .pages()
                .iter()
                .map(|p| ((p.doc.key(), p.doc.lang.clone()), p.url.clone()))
                .collect(),
        };
        if let Ok(mut current) = self.facts.write() {
            *current = facts;
        }
    }
}

pub fn serve(options: &ServeOptions) -> Result<()> {
    let root = options.root.clone();
    // Watching starts before the first build, so a save during it is not missed.
    let mut watcher = Watcher::new(&root)?;
    let (listener, port) = listen(options.bind, options.port)?;
    let state = Arc::new(State {
        root: root.clone(),
        binding: Binding {
            ip: options.bind,
            port,
        },
        files: ServedFiles::new()?,
        live: Live::default(),
        facts: RwLock::new(SiteFacts::default()),
        translations: RwLock::new(None),
        index_pending: (Mutex::new(true), Condvar::new()),
    });

    let mut rebuilder = first_build(&state, options.drafts);
    if rebuilder.is_none() {
        state.first_index_done();
    }

    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| {
        Error::io(
            "cannot serve on",
            Path::new(&port.to_string()),
            std::io::Error::other(e),
        )
    })?;
    let server = Arc::new(server);
    for _ in 0..8 {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                http::handle(request, &state);
            }
        });
    }
    let host = match options.bind {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{port}{}/", state.base_path());
    if options.port != 0 && port != options.port {
        println!("Port {} is taken; using {port} instead.", options.port);
    }
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {host}, reachable from other machines on the network (drafts and the translations report too)"
        );
    }
    println!(
        "Serving at {url} (translations: http://{host}:{port}{TRANSLATIONS_URL}); watching for changes, Ctrl-C to stop."
    );
    if options.open {
        if let Err(e) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }

    let stopper = watcher.stopper();
    // Stopping leaves the loop, so the private output folder is removed on the way out.
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stopper.send(Message::Stop);
    }) {
        eprintln!("warning: Ctrl-C will not clean up the served files: {e}");
    }
    // The search index and related articles of what changed wait for a quiet moment: saves in
    // quick succession each reload at once instead of queueing behind them. The first build's
    // index follows at once.
    let mut follow_up_after = rebuilder.is_some().then_some(Duration::ZERO);
    let saved = watcher.change_signal();
    loop {
        match watcher.next(follow_up_after) {
            Next::Stop => break,
            Next::Quiet => {
                if let Some(current) = rebuilder.as_mut() {
                    follow_up_rebuild(&state, current, &|| saved.arrived());
                }
                follow_up_after = None;
            }
            Next::Changes(batch) => {
                if rebuild(&state, &mut rebuilder, options.drafts, batch)
                    || follow_up_after.is_some()
                {
                    follow_up_after = Some(FOLLOW_UP_AFTER);
                }
            }
        }
    }
    state.files.remove();
    Ok(())
}

/// Binds `port`, or the next free port after it.
fn listen(ip: IpAddr, port: u16) -> Result<(TcpListener, u16)> {
    let mut last_error = None;
    for candidate in port..=port.saturating_add(PORTS_TO_TRY) {
        match TcpListener::bind((ip, candidate)) {
            Ok(listener) => {
                let bound = listener.local_addr().map_or(candidate, |a| a.port());
                return Ok((listener, bound));
            }
            Err(e) => last_error = Some(e),
        }
    }
    Err(Error::io(
        "cannot listen on",
        Path::new(&format!("{ip}:{port}")),
        last_error.unwrap_or_else(|| std::io::Error::other("no free port")),
    ))
}

/// The first build. When it fails, serve still starts: pages show the error until a save
/// fixes it. Its search index follows, as after a save.
fn first_build(state: &State, drafts: bool) -> Option<Rebuilder> {
    let started = Instant::now();
    let update = state.files.begin_first();
    let sink = |output: Output| update.put(output);
    match Rebuilder::new(&state.root, drafts, &sink) {
        Ok((rebuilder, rebuilt)) => match update.commit(&rebuilt.removed) {
            Ok(_) => {
                for warning in &rebuilt.warnings {
                    eprintln!("warning: {warning}");
                }
                state.learn(rebuilder.site());
                state.learn_translations(&rebuilder);
                let pages = rebuilder.site().page_count();
                println!(
                    "Built {pages} pages ({} files) in {:.2} s",
                    rebuilt.outputs,
                    started.elapsed().as_secs_f64()
                );
                Some(rebuilder)
            }
            Err(error) => {
                report_failure(state, &error);
                None
            }
        },
        Err(error) => {
            report_failure(state, &error);
            None
        }
    }
}

/// Rebuilds what a batch of changes touches and reloads the pages showing it; `true` when the
/// search index and related articles still have to follow.
fn rebuild(
    state: &State,
    rebuilder: &mut Option<Rebuilder>,
    drafts: bool,
    batch: BTreeSet<PathBuf>,
) -> bool {
    let what = describe(&batch);
    let Some(current) = rebuilder.as_mut() else {
        *rebuilder = first_build(state, drafts);
        if rebuilder.is_some() {
            state.live.fixed();
            state.live.changed(&["index.html".to_string()]);
        }
        return false;
    };
    let update = state.files.begin();
    let sink = |output: Output| update.put(output);
    match current.rebuild(batch, &sink) {
        Ok(rebuilt) => match update.commit(&rebuilt.removed) {
            Ok(changed) => {
                // A pass over every page: skipped when only pages' text changed.
                if rebuilt.resolved {
                    state.learn(current.site());
                }
                state.live.fixed();
                state.live.changed(&changed);
                print_line(&what, &rebuilt, changed.len());
                for warning in &rebuilt.warnings {
                    eprintln!("warning: {warning}");
                }
                true
            }
            Err(error) => {
                report_failure(state, &error);
                false
            }
        },
        Err(Failed { error, gone }) => {
            drop(update);
            // A deleted page goes at once, even while something else is broken.
            let removed = state.files.begin().commit(&gone).unwrap_or_default();
            let without = match removed.len() {
                0 => String::new(),
                n => format!(", without the {n} files of deleted pages"),
            };
            eprintln!(
                "{}{what}: the build failed; still serving the last good build{without}",
                time()
            );
            report_failure(state, &error);
            state.live.changed(&removed);
            false
        }
    }
}

/// The search index and related articles of the languages that changed since they were last
/// brought up to date, each in its own line. The search index gives up when a save arrives
/// (`interrupted`), so the save is served at once; it runs again after the next pause.
fn follow_up_rebuild(state: &State, rebuilder: &mut Rebuilder, interrupted: &Interrupted<'_>) {
    state.learn_translations(rebuilder);
    let mut done: Vec<String> = reindex(state, rebuilder, interrupted).into_iter().collect();
    if rebuilder.search_index_current() {
        state.first_index_done();
    }
    // Related articles cannot stop half-way: a waiting save goes first, they follow next time.
    if !interrupted() {
        done.extend(relate(state, rebuilder));
    }
    if !interrupted() {
        done.extend(render_site_wide(state, rebuilder));
    }
    if !done.is_empty() {
        println!("{}{}", time(), done.join("; "));
    }
}

/// Rebuilds the search index of the languages whose pages changed; says what it did.
fn reindex(
    state: &State,
    rebuilder: &mut Rebuilder,
    interrupted: &Interrupted<'_>,
) -> Option<String> {
    follow_up(
        state,
        |sink| rebuilder.reindex(sink, interrupted),
        |reindexed| &reindexed.removed,
        |reindexed| {
            (!reindexed.languages.is_empty()).then(|| {
                format!(
                    "search index ({}) in {} ms",
                    reindexed.languages.join(", "),
                    reindexed.elapsed.as_millis()
                )
            })
        },
    )
}

/// Renders the sitemap and hosting files when the pages they show changed; says what it did.
fn render_site_wide(state: &State, rebuilder: &mut Rebuilder) -> Option<String> {
    follow_up(
        state,
        |sink| rebuilder.render_site_wide(sink),
        |_| &[],
        |done| {
            (done.rendered > 0).then(|| {
                format!(
                    "sitemap and hosting files in {} ms",
                    done.elapsed.as_millis()
                )
            })
        },
    )
}

/// Recomputes the related articles of the languages whose pages' titles or openings changed
/// and reloads the pages whose list changed; says what it did.
fn relate(state: &State, rebuilder: &mut Rebuilder) -> Option<String> {
    follow_up(
        state,
        |sink| rebuilder.relate(sink),
        |_| &[],
        |related| {
            (!related.languages.is_empty()).then(|| {
                format!(
                    "related articles ({}) in {} ms, {} pages",
                    related.languages.join(", "),
                    related.elapsed.as_millis(),
                    related.rendered
                )
            })
        },
    )
}

/// Runs work that follows a rebuild into the served files and reloads the pages it changed:
/// `removed` are the outputs it leaves behind, `describe` says what it did (`None`: nothing).
fn follow_up<T>(
    state: &State,
    run: impl FnOnce(&Sink<'_>) -> Result<T>,
    removed: impl Fn(&T) -> &[PathBuf],
    describe: impl Fn(&T) -> Option<String>,
) -> Option<String> {
    let update = state.files.begin();
    let result = run(&|output: Output| update.put(output))
        .and_then(|done| Ok((update.commit(removed(&done))?, done)));
    match result {
        Ok((changed, done)) => {
            let line = describe(&done)?;
            state.live.changed(&changed);
            Some(line)
        }
        Err(Error::Interrupted) => None,
        Err(error) => {
            report_failure(state, &error);
            None
        }
    }
}

fn report_failure(state: &State, error: &Error) {
    let text = match error {
        Error::Invalid(_) => error.to_string(),
        other => format!("error: {other}"),
    };
    eprintln!("{text}");
    state.live.failed(&text);
}

/// `content/faq/orders.md changed` / `3 files changed (content/a.md, …)`.
fn describe(batch: &BTreeSet<PathBuf>) -> String {
    let mut names = batch.iter().map(|p| p.display().to_string());
    match batch.len() {
        1 => format!("{} changed", names.next().unwrap_or_default()),
        n => format!(
            "{n} files changed ({}, …)",
            names.next().unwrap_or_default()
        ),
    }
}

fn print_line(what: &str, rebuilt: &Rebuilt, changed: usize) {
    println!(
        "{}{what}: rendered {} of {} files, {changed} changed, in {} ms",
        time(),
        rebuilt.rendered,
        rebuilt.outputs,
        rebuilt.elapsed.as_millis()
    );
}

/// The wall-clock time starting a terminal line; left out when the output is not a terminal
/// (logs have their own).
fn time() -> String {
    if std::io::stdout().is_terminal() {
        jiff::Zoned::now().strftime("%H:%M:%S ").to_string()
    } else {
        String::new()
    }
}

/// Text for HTML content and attribute values.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
