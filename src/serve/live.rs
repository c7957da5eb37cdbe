//! Live reload: the event stream open pages listen to, and the script injected into every HTML
//! page served (only by `serve`: `build` output never contains it).
//!
//! Events (server-sent events, one connection per open page):
//! `change` lists the output files a rebuild changed — the script swaps changed stylesheets in
//! place and reloads only when the page's own file is among them; `failed` carries the build's
//! diagnostics for the overlay; `fixed` clears it. A page that connects while the build is broken
//! gets the `failed` event at once.
//!
//! Each page has its own bounded queue and writer thread, so a page that does not read (a
//! stalled tab, a hostile client) blocks only its own thread: never the rebuild that sends an
//! event, another page, or a request. A page whose queue is full is dropped; its thread ends
//! when the connection closes.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::escape_html;

/// Where the script and the event stream are served; outside any site's base path.
pub const SCRIPT_URL: &str = "/_helpdeck/live.js";
pub const EVENTS_URL: &str = "/_helpdeck/events";
pub const SCRIPT: &str = include_str!("live.js");

/// How many events may wait for a page that is not reading them; one more and it is dropped
/// (once it reads again, it reconnects and is told the state of the build).
const QUEUED_EVENTS: usize = 16;

#[derive(Default)]
pub struct Live {
    /// The queue of each open page.
    pages: Mutex<Vec<SyncSender<Arc<str>>>>,
    /// The diagnostics of the failed build, while it stays failed.
    error: Mutex<Option<String>>,
}

#[derive(Serialize)]
struct Change<'a> {
    files: &'a [String],
}

impl Live {
    /// Takes over a connection whose response head (an event stream) is written.
    pub fn connect(&self, page: Box<dyn Write + Send>) {
        let error = self.error.lock().ok().and_then(|e| e.clone());
        let mut hello = "retry: 500\n\n".to_string();
        if let Some(message) = error {
            hello.push_str(&event("failed", &message));
        }
        let (queue, events) = sync_channel(QUEUED_EVENTS);
        if queue.try_send(Arc::from(hello)).is_err() {
            return;
        }
        let writer = std::thread::Builder::new()
            .name("live-reload".to_string())
            .spawn(move || write_events(page, events));
        // Without a thread to write to it, the page is closed as it is dropped.
        if writer.is_ok() {
            if let Ok(mut pages) = self.pages.lock() {
                pages.push(queue);
            }
        }
    }

    /// Tells pages which output files changed (written or removed).
    pub fn changed(&self, files: &[String]) {
        if !files.is_empty() {
            let data = serde_json::to_string(&Change { files }).unwrap_or_default();
            self.broadcast(&event("change", &data));
        }
    }

    /// A good build after a failed one: pages drop the overlay.
    pub fn fixed(&self) {
        let was_broken = self.error.lock().ok().and_then(|mut e| e.take()).is_some();
        if was_broken {
            self.broadcast(&event("fixed", ""));
        }
    }

    /// A failed rebuild: every open page shows `message` until the next good build.
    pub fn failed(&self, message: &str) {
        if let Ok(mut error) = self.error.lock() {
            *error = Some(message.to_string());
        }
        self.broadcast(&event("failed", message));
    }

    /// Queues `text` for every page without waiting for any; drops the pages that are closed
    /// or too far behind.
    fn broadcast(&self, text: &str) {
        let text: Arc<str> = Arc::from(text);
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|queue| queue.try_send(Arc::clone(&text)).is_ok());
        }
    }
}

/// A page's writer thread: writes its events as they are queued, until the connection closes
/// or the page is dropped.
fn write_events(mut page: Box<dyn Write + Send>, events: Receiver<Arc<str>>) {
    for text in events {
        if page
            .write_all(text.as_bytes())
            .and_then(|()| page.flush())
            .is_err()
        {
            return;
        }
    }
}

/// One server-sent event; every line of `data` gets its own `data:` field.
fn event(name: &str, data: &str) -> String {
    let mut text = format!("event: {name}\n");
    for line in data.split('\n') {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text
}

/// What the injected script needs to know about the page it is in.
pub struct PageFacts<'a> {
    /// The output file served (`policies/returns/index.html`, or a `404.html`).
    pub served: &'a str,
    /// The output file the URL asks for, when it differs (a 404): created, it reloads the page.
    pub wanted: Option<&'a str>,
    pub base_path: &'a str,
    pub draft: bool,
}

/// The page with the live-reload script before `</body>` (or at the end), and a draft mark
/// after `<body …>` on drafts.
pub fn inject(html: &[u8], facts: &PageFacts<'_>) -> Vec<u8> {
    let script = format!(
        "<script src=\"{SCRIPT_URL}\" data-served=\"{}\" data-wanted=\"{}\" data-base=\"{}\" defer></script>",
        escape_html(facts.served),
        escape_html(facts.wanted.unwrap_or(facts.served)),
        escape_html(facts.base_path),
    );
    let mut out = Vec::with_capacity(html.len() + script.len() + 200);
    let mut rest = html;
    if facts.draft {
        if let Some(body) =
            find(rest, b"<body").and_then(|at| find(&rest[at..], b">").map(|end| at + end + 1))
        {
            out.extend_from_slice(&rest[..body]);
            out.extend_from_slice(
                b"<p class=\"hd-draft-mark\" style=\"margin:0;padding:.5rem 1rem;background:#fff3bf;color:#5c3c00;font:600 .9rem/1.4 system-ui,sans-serif;border-bottom:2px solid #e8a800\">Draft: shown by <code>helpdeck serve --drafts</code> only; <code>helpdeck build</code> leaves it out.</p>",
            );
            rest = &rest[body..];
        }
    }
    match rfind(rest, b"</body>") {
        Some(at) => {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(script.as_bytes());
            out.extend_from_slice(&rest[at..]);
        }
        None => {
            out.extend_from_slice(rest);
            out.extend_from_slice(script.as_bytes());
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_and_drafts_are_marked() {
        let html = b"<html><body class=\"x\"><p>a</p></body></html>";
        let facts = PageFacts {
            served: "a/\"b\"/index.html",
            wanted: None,
            base_path: "",
            draft: true,
        };
        let out = String::from_utf8(inject(html, &facts)).unwrap();
        assert!(out.starts_with("<html><body class=\"x\"><p class=\"hd-draft-mark\""));
        assert!(out.ends_with("defer></script></body></html>"));
        assert!(out.contains("data-served=\"a/&quot;b&quot;/index.html\""));
    }

    /// A page that never takes a write: each blocks until the test lets go.
    struct Stalled(std::sync::mpsc::Receiver<()>);

    impl Write for Stalled {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.recv();
            Err(std::io::Error::other("closed"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A page that reads everything.
    struct Reading(Arc<Mutex<String>>);

    impl Write for Reading {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(bytes));
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_page_that_does_not_read_holds_up_no_one_and_is_dropped_once_behind() {
        let live = Live::default();
        let (_let_go, stalled) = std::sync::mpsc::channel();
        live.connect(Box::new(Stalled(stalled)));
        let seen = Arc::new(Mutex::new(String::new()));
        live.connect(Box::new(Reading(Arc::clone(&seen))));
        let started = std::time::Instant::now();
        for round in 1..=QUEUED_EVENTS * 2 {
            live.failed(&format!("broken {round}"));
            // The reading page keeps up; the other falls behind.
            while !seen
                .lock()
                .unwrap()
                .contains(&format!("data: broken {round}\n"))
            {
                assert!(started.elapsed().as_secs() < 10, "the reading page starved");
                std::thread::yield_now();
            }
        }
        assert_eq!(
            live.pages.lock().unwrap().len(),
            1,
            "the stalled page is dropped"
        );
    }

    #[test]
    fn multi_line_data_stays_one_event() {
        assert_eq!(
            event("failed", "a\nb"),
            "event: failed\ndata: a\ndata: b\n\n"
        );
    }
}
