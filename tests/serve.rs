//! `helpdeck serve` as a seller uses it: the real binary on a free port, real HTTP requests, the
//! reload channel, files saved the ways editors save them, and the attacks a local server gets.
//! Every wait polls with a generous deadline, so a loaded machine slows the tests, not fails them.

mod common;

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::Site;
use common::server::{DEADLINE, Server, next_event};

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

#[test]
fn serves_pages_from_memory_with_types_404s_and_the_reload_script() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("/_helpdeck/live.js"));
    assert!(home.header("access-control-allow-origin").is_none());

    let css = server.get("/assets/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    assert_eq!(
        css.body,
        std::fs::read_to_string(theme.join("style.css")).unwrap(),
        "served as written, readable in the browser's tools"
    );
    // Over 32 KB: sent whole with its length, not in chunks.
    let script = std::fs::read_to_string(theme.join("search.js")).unwrap();
    let served = server.get("/assets/search.js");
    assert!(
        script.len() > 32 * 1024,
        "the client no longer exceeds tiny_http's chunking threshold: serve a larger file here"
    );
    assert_eq!(
        served.header("content-length"),
        Some(script.len().to_string().as_str())
    );
    assert_eq!(served.body, script);
    assert_eq!(
        server.get("/sitemap.xml").header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert_eq!(
        server.get(live_js()).header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    let folder = server.get("/policies");
    assert_eq!(
        (folder.status, folder.header("location")),
        (301, Some("/policies/"))
    );
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("/_helpdeck/live.js"),
        "the site's 404 page, live"
    );
    assert_eq!(server.get("/lt/no-such-page/").status, 404);
    assert_eq!(server.get("/assets/").status, 404, "no directory listings");

    let head = server.request(&format!(
        "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(!site.public().exists(), "serve never writes public/");
    let report = server.get("/_helpdeck/translations/");
    assert_eq!(report.status, 200);
    assert!(report.body.contains("<h2>lt:"), "{}", report.body);
}

fn live_js() -> &'static str {
    "/_helpdeck/live.js"
}

#[test]
fn edits_send_reload_events_for_the_pages_showing_them() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event_or_hello(&server);

    // Content: the page, the listing showing its title, not unrelated pages.
    let file = "content/policies/privacy.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    site.write(file, text.replacen("title = \"", "title = \"Edited ", 1));
    let change = next_event(&events, "change");
    assert!(
        change.contains("\"policies/privacy/index.html\""),
        "{change}"
    );
    assert!(change.contains("\"policies/index.html\""), "{change}");
    assert!(!change.contains("faq/delivery/index.html"), "{change}");
    server.wait_for("/policies/privacy/", "Edited ");

    // A template the site overrides.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"edited-template\">{{ page.title }}</h1>{% endblock content %}",
    );
    next_change_naming(&events, "guides/order-status-api/index.html");
    server.wait_for("/guides/order-status-api/", "edited-template");

    // The config.
    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    site.write(
        "helpdeck.toml",
        config.replace("Oak & Linen Help Centre", "Config Edited Help"),
    );
    next_change_naming(&events, "index.html");
    server.wait_for("/", "Config Edited ");

    // A stylesheet: the event names it, so pages swap it without a reload.
    site.write("static/extra.css", "body { color: rebeccapurple }");
    let change = next_change_naming(&events, "extra.css");
    assert_eq!(change, "{\"files\":[\"extra.css\"]}");
    server.wait_for("/extra.css", "rebeccapurple");
}

#[test]
fn the_icon_sizes_follow_the_favicon_they_are_drawn_from() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event_or_hello(&server);
    let before = server.get("/icon-192.png");
    assert_eq!(before.status, 200);
    assert_eq!(before.header("content-type"), Some("image/png"));
    assert_eq!(server.get("/favicon.ico").status, 200);

    let favicon = "static/images/favicon.svg";
    let svg = std::fs::read_to_string(site.root().join(favicon)).unwrap();
    site.write(favicon, svg.replace("#8a4b2a", "#1d5bbf"));
    next_change_naming(&events, "icon-192.png");
    let after = server.get("/icon-192.png");
    assert_ne!(after.body, before.body, "drawn again in the new colour");

    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    site.write(
        "helpdeck.toml",
        config.replace("favicon = \"/images/favicon.svg\"\n", ""),
    );
    server.wait_until(
        "/favicon.ico",
        |reply| reply.status == 404,
        "no favicon.ico once the config names no favicon",
    );
}

#[test]
fn a_translation_copy_becomes_the_languages_page_when_its_text_changes() {
    let site = Site::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        (
            "content/returns.md",
            "+++\ntitle = \"Returns\"\n+++\nYou have 14 days.\n",
        ),
    ]);
    let server = Server::start(&site, &[]);
    let created = site.run(&["translate", "lt", "returns.md"]);
    assert!(created.ok(), "{}", created.stderr);
    // The copy changes nothing buyers see: the English page with the notice.
    server.wait_for("/lt/returns/", "fallback-notice");
    let copy = std::fs::read_to_string(site.root().join("content/returns.lt.md")).unwrap();
    site.write(
        "content/returns.lt.md",
        copy.replace("You have 14 days.", "Turite 14 dienų."),
    );
    let translated = server.wait_for("/lt/returns/", "Turite 14 dienų.");
    assert!(
        !translated.body.contains("fallback-notice"),
        "{}",
        translated.body
    );
    // Back to the source's text (an undo): the notice again.
    site.write("content/returns.lt.md", copy);
    server.wait_for("/lt/returns/", "fallback-notice");
}

#[test]
fn the_exports_are_served_as_the_files_are_now() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let list = server.get("/_helpdeck/exports/");
    assert_eq!(list.status, 200);
    for link in [
        "/_helpdeck/exports/replies/replies.csv",
        "/_helpdeck/exports/away/closures.ics",
    ] {
        assert!(list.body.contains(link), "{link} in {}", list.body);
    }
    assert!(list.body.contains("/_helpdeck/live.js"), "reloads on save");
    let replies = server.get("/_helpdeck/exports/replies/replies.csv");
    assert_eq!(
        replies.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        replies.body.contains("lang,kind,title,reply,url\n"),
        "{}",
        replies.body
    );
    let calendar = server.get("/_helpdeck/exports/away/closures.ics");
    assert_eq!(
        calendar.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(
        calendar.body.contains("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{}",
        calendar.body
    );

    // A save is in the next download.
    assert!(
        server
            .get("/_helpdeck/exports/away/away.csv")
            .body
            .contains("24 hours")
    );
    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    site.write(
        "helpdeck.toml",
        config.replace("reply_hours = 24", "reply_hours = 48"),
    );
    assert!(
        server
            .get("/_helpdeck/exports/away/away.csv")
            .body
            .contains("48 hours")
    );

    let etsy = server.get("/_helpdeck/exports/etsy/etsy.txt");
    assert_eq!(
        etsy.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(etsy.body.contains("30 days"), "{}", etsy.body);
    let terms = std::fs::read_to_string(site.root().join("data/shop.toml")).unwrap();
    site.write(
        "data/shop.toml",
        terms.replace("window_days = 30", "window_days = 31"),
    );
    assert!(
        server
            .get("/_helpdeck/exports/etsy/etsy.json")
            .body
            .contains("31 days")
    );
    // The saved replies page follows an answer's edit once saves pause, like the sitemap.
    assert!(
        server
            .get("/replies/")
            .body
            .contains("We process orders within")
    );
    let faq = std::fs::read_to_string(site.root().join("content/faq/delivery.md")).unwrap();
    site.write(
        "content/faq/delivery.md",
        faq.replace("We process orders within", "We pack orders within"),
    );
    server.wait_for("/replies/", "We pack orders within");

    // The site's own UI strings (what `strings import` writes) are seen like the config.
    site.write("i18n/lt.toml", "all_categories = \"Visos temos\"\n");
    server.wait_for("/lt/search/", "Visos temos");

    assert_eq!(server.get("/_helpdeck/exports/ebay/ebay.csv").status, 404);
    assert_eq!(
        server.get("/_helpdeck/exports/away/nothing.csv").status,
        404
    );

    // A site the export cannot be made from: the error, not a stale file.
    site.write("data/shop.toml", "[returns\n");
    let broken = server.get("/_helpdeck/exports/etsy/etsy.json");
    assert_eq!(broken.status, 500);
    assert!(broken.body.contains("data/shop.toml:1"), "{}", broken.body);
}

/// The next `change` event naming `file` (index updates and other changes come and go).
#[track_caller]
fn next_change_naming(events: &Receiver<(String, String)>, file: &str) -> String {
    let started = Instant::now();
    while started.elapsed() < DEADLINE {
        let change = next_event(events, "change");
        if change.contains(&format!("\"{file}\"")) {
            return change;
        }
    }
    panic!("no change event naming {file}");
}

/// Waits until the server has built (the channel is open once it answers).
fn next_event_or_hello(server: &Server) {
    server.wait_until("/", |r| r.status == 200, "the first build");
}

#[test]
fn every_way_editors_save_is_seen_once_per_burst() {
    let site = Site::new(&[
        ("content/_index.md", &page("Home", "Welcome.")),
        ("content/faq/_index.md", &page("FAQ", "")),
        ("content/faq/a.md", &page("A", "version 0")),
    ]);
    let server = Server::start(&site, &[]);
    let a = site.root().join("content/faq/a.md");

    // In place.
    site.write("content/faq/a.md", page("A", "in place"));
    server.wait_for("/faq/a/", "in place");

    // Write a temporary file, rename it over the original (vim, VS Code, JetBrains).
    for temp in [".a.md.swp", "a.md~", "a.md.bck", ".#a.md"] {
        site.write(
            &format!("content/faq/{temp}"),
            page("A", &format!("renamed from {temp}")),
        );
        std::fs::rename(site.root().join("content/faq").join(temp), &a).unwrap();
        server.wait_for("/faq/a/", &format!("renamed from {temp}"));
    }

    // Backup left beside the file, then deleted.
    site.write("content/faq/a.md~", page("Backup", "backup"));
    site.write("content/faq/a.md", page("A", "after backup"));
    server.wait_for("/faq/a/", "after backup");
    std::fs::remove_file(site.root().join("content/faq/a.md~")).unwrap();

    // Delete and re-create: no 404 in between.
    std::fs::remove_file(&a).unwrap();
    site.write("content/faq/a.md", page("A", "re-created"));
    server.wait_for("/faq/a/", "re-created");

    // A folder renamed.
    std::fs::rename(
        site.root().join("content/faq"),
        site.root().join("content/help"),
    )
    .unwrap();
    server.wait_for("/help/a/", "re-created");
    server.wait_until(
        "/faq/a/",
        |r| r.status == 404,
        "the old folder's page to go",
    );

    // Fifty saves in a burst: the last one wins, in a handful of rebuilds.
    let before = server.rebuild_lines();
    for i in 0..50 {
        site.write("content/help/a.md", page("A", &format!("save number {i}.")));
    }
    server.wait_for("/help/a/", "save number 49.");
    std::thread::sleep(Duration::from_millis(500));
    let rebuilds = server.rebuild_lines() - before;
    assert!(
        (1..=3).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst of 50 saves"
    );
}

#[test]
fn a_broken_file_shows_the_overlay_and_the_last_good_page_until_fixed() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let events = server.events();
    next_event_or_hello(&server);
    let file = "content/faq/delivery.md";
    let good = std::fs::read_to_string(site.root().join(file)).unwrap();
    let before = server.get("/faq/delivery/").body;

    site.write(file, "+++\ntitle = <script>alert(1)</script>\n+++\nText\n");
    let failed = next_event(&events, "failed");
    assert!(failed.contains("content/faq/delivery.md:"), "{failed}");
    assert!(
        failed.contains("<script>"),
        "the overlay text quotes the file: {failed}"
    );
    let during = server.get("/faq/delivery/");
    assert_eq!(during.status, 200);
    assert_eq!(during.body, before, "the last good build is still served");
    // Printed before the event is sent; the reader of serve's output may still be behind.
    server.wait_for_log("content/faq/delivery.md:");
    // A page opened now gets the error at once.
    assert!(next_event(&server.events(), "failed").contains("delivery.md"));

    site.write(file, format!("{good}\nFixed now.\n"));
    next_event(&events, "fixed");
    server.wait_for("/faq/delivery/", "Fixed now.");
}

#[test]
fn added_pages_appear_and_deleted_pages_404_at_once() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    site.write(
        "content/faq/gift-cards.md",
        page("Gift cards", "## Do they expire?\n\nNo."),
    );
    server.wait_for("/faq/gift-cards/", "Do they expire?");
    server.wait_for("/faq/", "Gift cards");

    std::fs::remove_file(site.root().join("content/faq/gift-cards.md")).unwrap();
    server.wait_until(
        "/faq/gift-cards/",
        |r| r.status == 404,
        "the deleted page to 404",
    );
    server.wait_until(
        "/faq/",
        |r| !r.body.contains("Gift cards"),
        "the listing to drop it",
    );

    // A page other pages link to: deleted, it 404s at once and the links are reported.
    std::fs::remove_file(site.root().join("content/policies/shipping.md")).unwrap();
    server.wait_until(
        "/policies/shipping/",
        |r| r.status == 404,
        "the linked page to 404",
    );
    let started = Instant::now();
    while !server
        .stderr
        .lock()
        .unwrap()
        .contains("broken internal link")
    {
        assert!(
            started.elapsed() < DEADLINE,
            "links to the deleted page not reported"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn drafts_are_shown_marked_in_serve_only() {
    let site = Site::new(&[
        ("content/_index.md", &page("Home", "Welcome.")),
        (
            "content/plan.md",
            "+++\ntitle = \"Plan\"\ndraft = true\n+++\nSecret plan.\n",
        ),
    ]);
    let server = Server::start(&site, &["--drafts"]);
    let draft = server.wait_for("/plan/", "Secret plan.");
    assert!(draft.body.contains("hd-draft-mark"));
    assert!(!server.get("/").body.contains("hd-draft-mark"));
    drop(server);
    let plain = Server::start(&site, &[]);
    assert_eq!(plain.get("/plan/").status, 404);
}

#[test]
fn traversal_host_and_origin_attacks_are_refused() {
    let site = Site::demo();
    std::fs::write(site.root().join("secret.txt"), "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", site.root().join("static/link.txt")).unwrap();
    let server = Server::start(&site, &[]);
    for attack in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/assets%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/index.html%00.css",
        "/link.txt",
        "/helpdeck.toml",
        "/../helpdeck.toml",
    ] {
        let reply = server.request(&format!(
            "GET {attack} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            server.port
        ));
        assert!(
            reply.status == 400 || reply.status == 404,
            "{attack}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("top secret") && !reply.body.contains("root:"),
            "{attack}"
        );
    }
    let absolute = server.request(&format!(
        "GET http://127.0.0.1:{}/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port, server.port
    ));
    assert!(matches!(absolute.status, 400 | 404), "{}", absolute.status);

    let rebinding =
        server.request("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
    assert_eq!(rebinding.status, 403);
    let foreign = server.request(&format!(
        "GET /_helpdeck/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: http://attacker.example\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(foreign.status, 403);
    assert_eq!(server.get("/").status, 200, "the server stays up");
    assert!(Path::new(site.root()).join("secret.txt").exists());
}

#[test]
fn the_search_index_follows_a_burst_of_saves_once_they_pause() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let manifest = server.get("/search-index/en.json.gz");
    assert_eq!(manifest.status, 200);

    // Saves in quick succession: the page follows each, the index waits for the pause.
    let file = "content/policies/privacy.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    for word in ["Quokka", "Wombat", "Numbat"] {
        site.write(file, format!("{text}\n{word} paragraph.\n"));
        std::thread::sleep(Duration::from_millis(50));
    }
    server.wait_for("/policies/privacy/", "Numbat paragraph");
    let indexed = |lines: &[String]| lines.iter().any(|l| l.contains("search index (en)"));
    let started = Instant::now();
    while !indexed(&server.lines.lock().unwrap()) {
        assert!(
            started.elapsed() < DEADLINE,
            "the index never followed: {:?}",
            server.lines.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The manifest names the result chunks by what they hold: it changed with the text.
    server.wait_until(
        "/search-index/en.json.gz",
        |reply| reply.status == 200 && reply.body != manifest.body,
        "a new English search index",
    );
    assert_eq!(
        server
            .lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("search index (en)"))
            .count(),
        1,
        "one index update for the whole burst: {:?}",
        server.lines.lock().unwrap()
    );
}

#[test]
fn the_translations_page_reads_the_site_the_watcher_holds() {
    let site = Site::demo();
    let server = Server::start(&site, &[]);
    let row = |body: &str, status: &str| {
        body.contains(&format!(
            "<td class=\"{status}\">{status}</td><td><a href=\"/lt/policies/returns/\">"
        ))
    };
    let report = server.get("/_helpdeck/translations/");
    assert!(row(&report.body, "current"), "{}", report.body);
    // Each language's UI strings for a translation tool, made from the site as it is now.
    assert!(
        report.body.contains("href=\"strings.lt.po\""),
        "{}",
        report.body
    );
    let po = server.get("/_helpdeck/translations/strings.lt.po");
    assert_eq!(
        po.header("content-type"),
        Some("text/x-gettext-translation; charset=utf-8")
    );
    assert!(
        po.body.contains("msgstr \"Visos kategorijos\""),
        "{}",
        po.body
    );
    site.write("i18n/lt.toml", "all_categories = \"Visos temos\"\n");
    assert!(
        server
            .get("/_helpdeck/translations/strings.lt.po")
            .body
            .contains("msgstr \"Visos temos\"")
    );
    std::fs::remove_file(site.root().join("i18n/lt.toml")).unwrap();

    // The source changes: once the watcher has rebuilt, its translation is outdated.
    let file = "content/policies/returns.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    site.write(file, format!("{text}\nA new paragraph of the source.\n"));
    server.wait_until(
        "/_helpdeck/translations/",
        |reply| row(&reply.body, "outdated"),
        "the lt returns page reported outdated",
    );
    // Segment by segment: the new paragraph is one the translation does not have yet.
    let report = server.get("/_helpdeck/translations/");
    assert!(
        report
            .body
            .contains("<tr class=\"segment-missing\"><td>missing<br><code>p-")
            && report
                .body
                .contains("<td>A new paragraph of the source.</td><td lang=\"lt\"></td>"),
        "{}",
        report.body
    );
    // The pages for a translator's tool, as the site is now.
    let pages = server.get("/_helpdeck/translations/pages.lt.po");
    assert_eq!(
        pages.header("content-type"),
        Some("text/x-gettext-translation; charset=utf-8")
    );
    assert!(
        pages
            .body
            .contains("msgid \"A new paragraph of the source.\"\nmsgstr \"\""),
        "{}",
        pages.body
    );
    let xliff = server.get("/_helpdeck/translations/pages.lt.xlf");
    assert!(xliff.body.contains("trgLang=\"lt\""), "{}", xliff.body);

    // A broken file fails the next rebuild; the report stays that of the last good build
    // instead of failing with the site on disk.
    site.write("content/faq/broken.md", "+++\ntitle = \n+++\n");
    server.wait_for_log("broken.md");
    let report = server.get("/_helpdeck/translations/");
    assert!(row(&report.body, "outdated"), "{}", report.body);
    assert!(!report.body.contains("needs a site that builds"));
}
