//! `helpdeck serve` against what a hostile or careless site and client do: links out of the
//! site, folders that go away and come back, and reload clients that never read. The real
//! binary, real HTTP requests, and polls with generous deadlines.

mod common;

use common::server::Server;
use common::{GOOD, Site, page};

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
