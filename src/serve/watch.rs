//! Watching the site's sources (config, content, data, templates, themes, static) with notify,
//! and gathering events into one batch per burst of saves.
//!
//! Editors save in many ways: writing in place, writing a temporary file and renaming it over
//! the original, deleting and re-creating, leaving `~`, `.swp` or `.bck` files beside it. All
//! of them end in a few events within milliseconds, so a batch closes after a short quiet spell
//! (the latency goal is a reload within 50 ms of a save). Temporary files never reach a batch:
//! those named like one (`~`, `.swp`), and any file created and gone again within the batch
//! (`sed -i`'s and atomic savers' files with random names, renamed over the page), which no
//! build has read. A batch naming a file that is gone waits a little longer, for an editor
//! that deletes first and writes the new file after, so a save never shows a 404.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Error, Result};

/// The folders under the site root that the build reads.
const SOURCE_FOLDERS: [&str; 6] = ["content", "data", "templates", "themes", "static", "i18n"];
/// A burst of saves ends after this long without events.
const QUIET: Duration = Duration::from_millis(15);
/// A steady stream of events (a checkout, a copy) is still built at least this often.
const LONGEST_BURST: Duration = Duration::from_millis(500);
/// How long a deleted file gets to come back before its page is gone.
const RECREATE_GRACE: Duration = Duration::from_millis(60);

pub enum Message {
    /// A source changed: its path relative to the root ([`source_path`]), and whether the
    /// event created it.
    Changed {
        path: PathBuf,
        created: bool,
    },
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

/// Changed paths, each with whether its first event in the batch created it.
type Batch = BTreeMap<PathBuf, bool>;

/// Whether a save is waiting to be read by [`Watcher::next`].
pub struct ChangeSignal(Arc<AtomicBool>);

impl ChangeSignal {
    pub fn arrived(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

pub struct Watcher {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    sender: Sender<Message>,
    receiver: Receiver<Message>,
    /// Set as soon as a source changes, before the event is read from the channel: work that
    /// follows a rebuild gives up when a newer save is waiting.
    source_changed: Arc<AtomicBool>,
}

impl Watcher {
    pub fn new(root: &Path) -> Result<Watcher> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::io("cannot resolve", root, e))?;
        let (sender, receiver) = channel();
        let events = sender.clone();
        let source_changed = Arc::new(AtomicBool::new(false));
        let (changed, watched) = (Arc::clone(&source_changed), root.clone());
        let handler = move |event: notify::Result<notify::Event>| {
            let event = match event {
                Ok(event) => event,
                Err(e) => {
                    eprintln!("warning: watching the sources: {e}; a save may be missed");
                    return;
                }
            };
            let created = matches!(event.kind, EventKind::Create(_));
            // Events were lost (the system's queue overflowed): every source is read again.
            let sources: Vec<PathBuf> = if event.need_rescan() {
                SOURCE_FOLDERS
                    .iter()
                    .chain(&[CONFIG_FILE])
                    .map(PathBuf::from)
                    .collect()
            } else if matches!(event.kind, EventKind::Access(_)) {
                return;
            } else {
                event
                    .paths
                    .iter()
                    .filter_map(|p| source_path(&watched, p))
                    .collect()
            };
            for path in sources {
                changed.store(true, Ordering::Release);
                let _ = events.send(Message::Changed { path, created });
            }
        };
        // Symlinks are not followed: the build reads nothing through a symlinked folder, and
        // one pointing at `/` would have every folder of the machine watched.
        let config = notify::Config::default().with_follow_symlinks(false);
        let watcher =
            notify::RecommendedWatcher::new(handler, config).map_err(watch_error(&root))?;
        let mut watcher = Watcher {
            watcher,
            root,
            sender,
            receiver,
            source_changed,
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
        // What arrives from here on is read by this call or a later one.
        self.source_changed.store(false, Ordering::Release);
        let deadline = quiet_after.map(|quiet| Instant::now() + quiet);
        loop {
            let mut batch = Batch::new();
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
            if batch.keys().any(|p| !self.root.join(p).exists())
                && self
                    .gather(&mut batch, RECREATE_GRACE, Instant::now() + RECREATE_GRACE)
                    .is_none()
            {
                return Next::Stop;
            }
            // Created and gone again: a file no build has read.
            batch.retain(|path, created| !*created || self.root.join(path).exists());
            if !batch.is_empty() {
                return Next::Changes(batch.into_keys().collect());
            }
        }
    }

    /// Adds events to `batch` until `quiet` passes without one, or `until`.
    fn gather(&mut self, batch: &mut Batch, quiet: Duration, until: Instant) -> Option<()> {
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

    /// Tells whether a source changed since the last [`Watcher::next`] began, from any thread.
    pub fn change_signal(&self) -> ChangeSignal {
        ChangeSignal(Arc::clone(&self.source_changed))
    }

    fn take(&mut self, message: Message, batch: &mut Batch) -> Option<()> {
        let Message::Changed { path, created } = message else {
            return None;
        };
        if let Some(folder) = path.to_str().filter(|f| SOURCE_FOLDERS.contains(f)) {
            // A source folder created (or put back) after serve started.
            let _ = self.watch_folder(folder);
        }
        // Whether the path's first event in the batch created it.
        batch.entry(path).or_insert(created);
        Some(())
    }

    /// Watches a source folder when it is a real folder (a symlinked one is not read).
    fn watch_folder(&mut self, folder: &str) -> Result<()> {
        let path = self.root.join(folder);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            return Ok(());
        }
        self.watcher
            .watch(&path, RecursiveMode::Recursive)
            .map_err(watch_error(&path))
    }
}

/// A changed path as the build reads it, relative to the root: under a source folder or the
/// config, and not an editor's temporary file.
fn source_path(root: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(root).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let temporary = relative
        .components()
        .any(|c| crate::load::is_ignored(c.as_os_str()));
    ((SOURCE_FOLDERS.contains(&first) || first == CONFIG_FILE) && !temporary)
        .then(|| relative.to_path_buf())
}

fn watch_error(path: &Path) -> impl Fn(notify::Error) -> Error + '_ {
    move |e| Error::io("cannot watch", path, std::io::Error::other(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `signal` for up to five seconds.
    fn arrives(signal: &ChangeSignal) -> bool {
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            if signal.arrived() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn the_change_signal_tells_of_a_save_before_it_is_read_and_ignores_temporary_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        let mut watcher = Watcher::new(root.path()).unwrap();
        let signal = watcher.change_signal();
        assert!(!signal.arrived());

        std::fs::write(root.path().join("content/.page.md.swp"), "x").unwrap();
        std::fs::write(root.path().join("notes.txt"), "x").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(!signal.arrived(), "a temporary or unread file is no save");

        std::fs::write(root.path().join("content/page.md"), "# Page").unwrap();
        assert!(arrives(&signal), "a save is signalled before it is read");
        let Next::Changes(batch) = watcher.next(None) else {
            panic!("no batch");
        };
        assert!(batch.contains(Path::new("content/page.md")), "{batch:?}");
        assert!(matches!(
            watcher.next(Some(Duration::from_millis(100))),
            Next::Quiet
        ));
        assert!(!signal.arrived(), "reading the save clears the signal");
    }

    #[test]
    fn a_file_created_and_renamed_over_a_page_leaves_only_the_page_in_the_batch() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        std::fs::write(root.path().join("content/page.md"), "# Page").unwrap();
        let mut watcher = Watcher::new(root.path()).unwrap();
        // As `sed -i` and atomic savers do: a file with a random name, renamed over the page.
        let temporary = root.path().join("content/sedq7Rk2a");
        std::fs::write(&temporary, "# Page, edited").unwrap();
        std::fs::rename(&temporary, root.path().join("content/page.md")).unwrap();
        let Next::Changes(batch) = watcher.next(None) else {
            panic!("no batch");
        };
        assert_eq!(
            batch.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("content/page.md")]
        );

        // A file made and removed on its own is no change at all.
        std::fs::write(&temporary, "x").unwrap();
        std::fs::remove_file(&temporary).unwrap();
        assert!(matches!(
            watcher.next(Some(Duration::from_millis(300))),
            Next::Quiet
        ));
    }
}
