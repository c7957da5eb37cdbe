//! `helpdeck serve` run as a seller runs it: the real binary on a free port, real HTTP requests
//! and the reload channel. Every wait polls with a generous deadline, so a loaded machine slows
//! the tests, not fails them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Site;

pub const DEADLINE: Duration = Duration::from_secs(30);

pub struct Server {
    child: Child,
    pub port: u16,
    /// stdout lines so far (one per rebuild after the first two).
    pub lines: Arc<Mutex<Vec<String>>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(site: &Site, extra: &[&str]) -> Server {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = free.local_addr().unwrap().port().to_string();
        drop(free);
        let mut child = Command::new(env!("CARGO_BIN_EXE_helpdeck"))
            .args(["serve", "--port", &port])
            .args(extra)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start helpdeck serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = port_tx.send(digits.parse::<u16>().unwrap());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let err_sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).unwrap_or(0) > 0 {
                err_sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("serve did not start: {}", stderr.lock().unwrap()));
        Server {
            child,
            port,
            lines,
            stderr,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    pub fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Polls `path` until its body contains `text`.
    pub fn wait_for(&self, path: &str, text: &str) -> Reply {
        self.wait_until(
            path,
            |r| r.body.contains(text),
            &format!("{path} to contain {text:?}"),
        )
    }

    pub fn wait_until(&self, path: &str, ok: impl Fn(&Reply) -> bool, what: &str) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return reply;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "waited for {what}; last reply {} {}\nstdout: {:?}\nstderr: {}",
                reply.status,
                reply.body.chars().take(300).collect::<String>(),
                self.lines.lock().unwrap(),
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Opens the reload channel, once the server has taken it; its events arrive on the
    /// receiver as (name, data).
    pub fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET /_helpdeck/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let (tx, rx) = channel();
        let (open_tx, open_rx) = channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            let mut data = Vec::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.starts_with("retry:") {
                    let _ = open_tx.send(());
                } else if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push(d.to_string());
                } else if line.is_empty() && !name.is_empty() {
                    if tx
                        .send((std::mem::take(&mut name), data.join("\n")))
                        .is_err()
                    {
                        return;
                    }
                    data.clear();
                }
            }
        });
        open_rx
            .recv_timeout(DEADLINE)
            .expect("the reload channel opens");
        rx
    }

    /// Waits until serve has printed a line (on stdout or stderr) containing `text`.
    pub fn wait_for_log(&self, text: &str) {
        let started = Instant::now();
        let printed = || {
            self.lines.lock().unwrap().iter().any(|l| l.contains(text))
                || self.stderr.lock().unwrap().contains(text)
        };
        while !printed() {
            assert!(
                started.elapsed() < DEADLINE,
                "serve never printed {text:?}\nstdout: {:?}\nstderr: {}",
                self.lines.lock().unwrap(),
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn rebuild_lines(&self) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(": rendered "))
            .count()
    }
}

impl Drop for Server {
    /// Ctrl-C, as a seller stops it, so serve removes its private folder; killed if it hangs.
    fn drop(&mut self) {
        let interrupted = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let started = Instant::now();
        while interrupted && started.elapsed() < DEADLINE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event named `name` within the deadline, skipping others.
#[track_caller]
pub fn next_event(events: &Receiver<(String, String)>, name: &str) -> String {
    let started = Instant::now();
    while let Some(left) = DEADLINE.checked_sub(started.elapsed()) {
        match events.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no `{name}` event within {DEADLINE:?}");
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
