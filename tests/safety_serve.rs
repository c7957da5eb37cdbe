//! `helpdeck serve` against what a hostile or careless site and client do: links out of the
//! site, folders that go away and come back, and reload clients that never read. The real
//! binary, real HTTP requests, and polls with generous deadlines.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::server::{DEADLINE, Server};
use common::{GOOD, Site, copy_tree, good_with, page};

/// A folder outside the site with a page and a file in it that must never be served.
#[cfg(unix)]
fn outside() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("leaked.md"),
        page("title = \"Leaked\"", "LEAKED page\n"),
    )
    .unwrap();
    std::fs::write(outside.path().join("leaked.txt"), "LEAKED file").unwrap();
    outside
}

#[cfg(unix)]
#[test]
fn nothing_from_outside_the_site_is_served_at_start_or_after_a_save() {
    use std::os::unix::fs::symlink;
    let outside = outside();
    let site = Site::new(GOOD);
    let root = site.root().to_path_buf();
    // A source folder linked out: the first build fails, naming it, and nothing is served.
    symlink(outside.path(), root.join("static")).unwrap();
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/leaked.txt").status, 404);
    server.wait_for_log("error: static: symlink to ");
    std::fs::remove_file(root.join("static")).unwrap();
    site.write("static/ok.txt", "ok");
    // Nothing will link to the policies, which are replaced below.
    site.write("content/about.md", page("title = \"About us\"", "Saved.\n"));
    server.wait_for("/about/", "Saved.");
    assert_eq!(server.get("/ok.txt").status, 200);

    // Links made while serve watches: a file, a folder, a folder replaced by a link.
    symlink(
        outside.path().join("leaked.md"),
        root.join("content/faq/leak.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("leaked.txt"),
        root.join("content/leak.txt"),
    )
    .unwrap();
    symlink(outside.path(), root.join("content/more")).unwrap();
    std::fs::rename(root.join("content/policies"), root.join("policies-aside")).unwrap();
    symlink(outside.path(), root.join("content/policies")).unwrap();
    for link in ["faq/leak.md", "leak.txt", "more", "policies"] {
        server.wait_for_log(&format!("warning: content/{link}: symlink to "));
    }
    // A save after them: by the time it is served, they have been through a rebuild.
    site.write(
        "content/about.md",
        page("title = \"About us\"", "Saved after.\n"),
    );
    server.wait_for("/about/", "Saved after.");
    assert_eq!(server.get("/policies/returns/").status, 404);

    // The static folder replaced by a link again: the rebuild fails, the last good build stays.
    std::fs::remove_dir_all(root.join("static")).unwrap();
    symlink(outside.path(), root.join("static")).unwrap();
    server.wait_for_log("the build failed; still serving the last good build");
    assert_eq!(server.get("/ok.txt").status, 200);
    for path in [
        "/leaked.txt",
        "/faq/leak/",
        "/leak.txt",
        "/more/leaked/",
        "/more/leaked.txt",
        "/policies/leaked/",
        "/policies/leaked.txt",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("LEAKED"), "{path}");
    }
}

#[test]
fn a_folder_that_comes_back_is_served_again_and_each_step_is_logged() {
    let site = Site::demo();
    let root = site.root();
    let aside = tempfile::tempdir().unwrap();
    let server = Server::start(&site, &[]);
    let status = |path: &str, status: u16| {
        server.wait_until(
            path,
            |r| r.status == status,
            &format!("{path} to be {status}"),
        );
    };
    status("/guides/caring-for-oak/", 200);

    // Moved away and back. Other pages link to it, so the build fails while it is away, yet
    // its pages stop being served.
    std::fs::rename(root.join("content/guides"), aside.path().join("guides")).unwrap();
    status("/guides/caring-for-oak/", 404);
    std::fs::rename(aside.path().join("guides"), root.join("content/guides")).unwrap();
    status("/guides/caring-for-oak/", 200);
    status("/lt/guides/caring-for-oak/", 200);
    server.wait_for_log("still serving the last good build, without the 20 files of deleted pages");
    assert_rendered(&server, "content/guides changed: rendered ");

    // Deleted, then copied back from a backup; and both at once.
    let faq = root.join("content/faq");
    let backup = aside.path().join("faq");
    copy_tree(&faq, &backup);
    std::fs::remove_dir_all(&faq).unwrap();
    status("/faq/orders/", 404);
    copy_tree(&backup, &faq);
    status("/faq/orders/", 200);
    let rebuilds = server.rebuild_lines();
    std::fs::remove_dir_all(&faq).unwrap();
    copy_tree(&backup, &faq);
    let started = Instant::now();
    while server.rebuild_lines() == rebuilds {
        assert!(started.elapsed() < DEADLINE, "no rebuild after the copy");
        std::thread::sleep(Duration::from_millis(50));
    }
    status("/faq/orders/", 200);

    // A new folder moved in, whose name has a dot, then deleted.
    let release = aside.path().join("release-1.2");
    std::fs::create_dir(&release).unwrap();
    std::fs::write(
        release.join("notes.md"),
        page("title = \"Notes\"", "Release notes.\n"),
    )
    .unwrap();
    std::fs::rename(&release, root.join("content/release-1.2")).unwrap();
    server.wait_for("/release-1.2/notes/", "Release notes.");
    std::fs::remove_dir_all(root.join("content/release-1.2")).unwrap();
    status("/release-1.2/notes/", 404);

    // A whole source folder away and back.
    std::fs::rename(root.join("static"), aside.path().join("static")).unwrap();
    status("/images/oak-board.svg", 404);
    std::fs::rename(aside.path().join("static"), root.join("static")).unwrap();
    status("/images/oak-board.svg", 200);
}

/// Asserts that serve printed a line starting with `start` that rendered something.
fn assert_rendered(server: &Server, start: &str) {
    server.wait_for_log(start);
    let lines = server.lines.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(start) && !l.starts_with(&format!("{start}0 of"))),
        "{lines:#?}"
    );
}

/// Opens the reload channel without reading from it: once the hello is read (`read_hello`),
/// or not at all.
fn stalled_client(server: &Server, read_hello: bool) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "GET /_helpdeck/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    if read_hello {
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut seen = Vec::new();
        let mut byte = [0];
        while !String::from_utf8_lossy(&seen).contains("retry: 500") {
            assert_eq!(stream.read(&mut byte).unwrap(), 1, "the channel closed");
            seen.push(byte[0]);
        }
    }
    stream
}

/// A page with `links` broken links, each naming a target `width` characters long: a build
/// failure whose message is that many times as long.
fn broken_page(links: usize, width: usize, marker: &str) -> String {
    let mut body = format!("{marker}\n\n");
    for i in 0..links {
        body.push_str(&format!("[x](@/missing-{i}-{}.md)\n", "x".repeat(width)));
    }
    page("title = \"Broken\"", &body)
}

#[test]
fn reload_clients_that_never_read_hold_up_no_rebuild_and_no_request() {
    let site = Site::new(&good_with(&[(
        "content/broken.md",
        &broken_page(1, 10, "Small."),
    )]));
    let server = Server::start(&site, &[]);
    server.wait_for_log("broken internal link");
    // Pages that took the hello and stopped reading, then a failure of megabytes for them.
    let mut stalled: Vec<TcpStream> = (0..3).map(|_| stalled_client(&server, true)).collect();
    for round in 0..3 {
        site.write(
            "content/broken.md",
            broken_page(1000, 2000, &format!("Big {round}.")),
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    // More pages than serve has request threads, none of them reading. One at a time: a burst
    // of new connections can starve behind long-lived ones in tiny_http's own thread pool.
    for _ in 0..10 {
        stalled.push(stalled_client(&server, false));
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut plain = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let asked = Instant::now();
    write!(
        plain,
        "GET /_helpdeck/live.js HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut reply = Vec::new();
    let _ = plain.read_to_end(&mut reply);
    assert!(
        reply.starts_with(b"HTTP/1.1 200"),
        "no answer in {:?}",
        asked.elapsed()
    );

    site.write(
        "content/broken.md",
        page("title = \"Broken\"", "Fixed now.\n"),
    );
    server.wait_for("/broken/", "Fixed now.");
    drop(stalled);
}
