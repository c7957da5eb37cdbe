//! Watching the site's sources (config, content, data, templates, themes, static) with notify,
//! and gathering events into one batch per burst of saves.
//!
//! Editors save in many ways: writing in place, writing a temporary file and renaming it over
//! the original, deleting and re-creating, leaving `~`, `.swp` or `.bck` files beside it. All
//! of them end in a few events within milliseconds, so a batch closes after a short quiet spell
//! (the latency goal is a reload within 50 ms of a save). Temporary files never reach a batch.
//! A batch naming a file that is gone waits a little longer, for an editor that deletes first
//! and writes the new file after, so a save never shows a 404.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Error, Result};

/// The folders under the site root that the build reads.
const SOURCE_FOLDERS: [&str; 5] = ["content", "data", "templates", "themes", "static"];
/// A burst of saves ends after this long without events.
const QUIET: Duration = Duration::from_millis(15);
/// A steady stream of events (a checkout, a copy) is still built at least this often.
const LONGEST_BURST: Duration = Duration::from_millis(500);
/// How long a deleted file gets to come back before its page is gone.
const RECREATE_GRACE: Duration = Duration::from_millis(60);

pub enum Message {
    Changed(PathBuf),
    Stop,
}

/// What the watcher saw next.
pub enum Next {
    /// A burst of changes: their paths relative to the root.
    Changes(BTreeSet<PathBuf>),
    /// No change for the time asked.
    Quiet,
    /// Told to stop.
    Stop,
}

pub struct Watcher {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    sender: Sender<Message>,
    receiver: Receiver<Message>,
}

impl Watcher {
    pub fn new(root: &Path) -> Result<Watcher> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::io("cannot resolve", root, e))?;
        let (sender, receiver) = channel();
        let events = sender.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                let _ = events.send(Message::Changed(path));
            }
        })
        .map_err(watch_error(&root))?;
        let mut watcher = Watcher {
            watcher,
            root,
            sender,
            receiver,
        };
        // The root itself, not recursively: the config, and source folders created later.
        let root = watcher.root.clone();
        watcher
            .watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(watch_error(&root))?;
        for folder in SOURCE_FOLDERS {
            watcher.watch_folder(folder)?;
        }
        Ok(watcher)
    }

    /// Sends [`Message::Stop`] to the watcher's loop, e.g. on Ctrl-C.
    pub fn stopper(&self) -> Sender<Message> {
        self.sender.clone()
    }

    /// Waits for the next burst of changes, or (with `quiet_after`) until that long has passed
    /// without one.
    pub fn next(&mut self, quiet_after: Option<Duration>) -> Next {
        let mut batch = BTreeSet::new();
        let deadline = quiet_after.map(|quiet| Instant::now() + quiet);
        while batch.is_empty() {
            let message = match deadline {
                None => self
                    .receiver
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => self
                    .receiver
                    .recv_timeout(deadline.saturating_duration_since(Instant::now())),
            };
            let taken = match message {
                Ok(message) => self.take(message, &mut batch),
                Err(RecvTimeoutError::Timeout) => return Next::Quiet,
                Err(RecvTimeoutError::Disconnected) => None,
            };
            if taken.is_none() {
                return Next::Stop;
            }
        }
        let started = Instant::now();
        if self
            .gather(&mut batch, QUIET, started + LONGEST_BURST)
            .is_none()
        {
            return Next::Stop;
        }
        if batch.iter().any(|p| !self.root.join(p).exists())
            && self
                .gather(&mut batch, RECREATE_GRACE, Instant::now() + RECREATE_GRACE)
                .is_none()
        {
            return Next::Stop;
        }
        Next::Changes(batch)
    }

    /// Adds events to `batch` until `quiet` passes without one, or `until`.
    fn gather(
        &mut self,
        batch: &mut BTreeSet<PathBuf>,
        quiet: Duration,
        until: Instant,
    ) -> Option<()> {
        loop {
            let wait = quiet.min(until.saturating_duration_since(Instant::now()));
            match self.receiver.recv_timeout(wait) {
                Ok(message) => self.take(message, batch)?,
                Err(RecvTimeoutError::Timeout) => return Some(()),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if Instant::now() >= until {
                return Some(());
            }
        }
    }

    fn take(&mut self, message: Message, batch: &mut BTreeSet<PathBuf>) -> Option<()> {
        let Message::Changed(path) = message else {
            return None;
        };
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return Some(());
        };
        let mut components = relative.components();
        let Some(first) = components.next().and_then(|c| c.as_os_str().to_str()) else {
            return Some(());
        };
        let is_source_folder = SOURCE_FOLDERS.contains(&first);
        if is_source_folder && components.next().is_none() && path.is_dir() {
            // A source folder created (or put back) after serve started.
            let _ = self.watch_folder(first);
        }
        let temporary = relative
            .components()
            .any(|c| crate::load::is_ignored(c.as_os_str()));
        if (is_source_folder || first == CONFIG_FILE) && !temporary {
            batch.insert(relative.to_path_buf());
        }
        Some(())
    }

    fn watch_folder(&mut self, folder: &str) -> Result<()> {
        let path = self.root.join(folder);
        if !path.is_dir() {
            return Ok(());
        }
        self.watcher
            .watch(&path, RecursiveMode::Recursive)
            .map_err(watch_error(&path))
    }
}

fn watch_error(path: &Path) -> impl Fn(notify::Error) -> Error + '_ {
    move |e| Error::io("cannot watch", path, std::io::Error::other(e))
}
