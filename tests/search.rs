//! The search index: what goes in, its files, and what the browser's ranking returns for real
//! queries (the client's code run with node over the built files).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{CONFIG, Site, page, snapshot};
use serde_json::Value;

fn gunzip(path: &Path) -> Value {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{} is not gzip: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

struct Index {
    dir: PathBuf,
    manifest: Value,
}

impl Index {
    fn open(site: &Site, lang: &str) -> Index {
        let dir = site.public().join("search-index").join(lang);
        let manifest = gunzip(&site.public().join(format!("search-index/{lang}.json.gz")));
        Index { dir, manifest }
    }

    /// Every entry as `url#anchor` → heading.
    fn entries(&self) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        let hash = self.manifest["results"].as_str().unwrap();
        let per_chunk = self.manifest["chunk"].as_u64().unwrap();
        let chunks = self.manifest["entries"]
            .as_u64()
            .unwrap()
            .div_ceil(per_chunk);
        for n in 0..chunks {
            let chunk = gunzip(&self.dir.join(format!("results.{hash}.{n}.json.gz")));
            let pages = chunk[0].as_array().unwrap();
            for entry in chunk[1].as_array().unwrap() {
                let page = &pages[entry[0].as_u64().unwrap() as usize];
                let anchor = entry[1].as_str().unwrap();
                let url = if anchor.is_empty() {
                    page[0].as_str().unwrap().to_string()
                } else {
                    format!("{}#{anchor}", page[0].as_str().unwrap())
                };
                all.insert(url, entry[2].as_str().unwrap().to_string());
            }
        }
        all
    }

    fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let named = |kind: &str, entry: &Value| {
            gunzip(
                &self
                    .dir
                    .join(format!("{kind}.{}.json.gz", entry[1].as_str().unwrap())),
            )
        };
        let shards: Vec<Value> = self.manifest["terms"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|directory| named("keys", directory).as_array().unwrap().clone())
            .collect();
        for shard in &shards {
            let terms = named("terms", shard);
            keys.extend(
                terms
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k[0].as_str().unwrap().to_string()),
            );
        }
        keys
    }
}

#[derive(Debug, serde::Deserialize)]
struct Hit {
    #[serde(deserialize_with = "decoded")]
    url: String,
    heading: String,
    title: String,
    snippet: String,
    highlights: Vec<(usize, usize)>,
}

/// Anchors come percent-encoded, as the browser puts them in links.
fn decoded<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = <String as serde::Deserialize>::deserialize(d)?;
    Ok(percent_encoding::percent_decode_str(&url)
        .decode_utf8_lossy()
        .into_owned())
}

/// Runs the browser client's ranking (`run` in search.js) with node over the built index.
fn search(site: &Site, lang: &str, queries: &[&str]) -> Vec<Vec<Hit>> {
    let output = run_client(site, lang, queries);
    assert!(
        output.status.success(),
        "node: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The browser client as the build published it (minified) run in node over the built index,
/// one query after another.
fn run_client(site: &Site, lang: &str, queries: &[&str]) -> std::process::Output {
    let script = std::fs::read_dir(site.public().join("assets"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("search.") && name.ends_with(".js")
        })
        .expect("search.js published");
    let program = format!(
        "import fs from 'node:fs';
         const out = process.argv[1];
         globalThis.fetch = async (url) => fs.existsSync(out + url)
           ? new Response(fs.readFileSync(out + url)) : new Response('', {{ status: 404 }});
         const {{ Index, run }} = await import({url});
         const index = new Index(process.argv[2]);
         const chunks = [];
         for await (const chunk of process.stdin) chunks.push(chunk);
         const results = [];
         for (const q of JSON.parse(Buffer.concat(chunks).toString())) results.push(await run(index, q));
         console.log(JSON.stringify(results));",
        url = serde_json::to_string(&format!("file://{}", script.display())).unwrap(),
    );
    let mut node = Command::new("node")
        .args(["--input-type=module", "-e", &program])
        .arg(site.public())
        .arg(format!("/search-index/{lang}/"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    node.stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(queries).unwrap().as_bytes())
        .unwrap();
    node.wait_with_output().unwrap()
}

#[test]
fn postings_cut_short_are_reported_as_damage_not_read_as_numbers() {
    let site = shop();
    site.build();
    assert!(!search(&site, "en", &["refund"])[0].is_empty());
    let dir = site.public().join("search-index/en");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("terms.") {
            continue;
        }
        let mut records = gunzip(&path);
        for record in records.as_array_mut().unwrap() {
            if let [_, _, Value::String(postings)] = record.as_array_mut().unwrap().as_mut_slice() {
                postings.pop();
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(records.to_string().as_bytes()).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
    }
    let output = run_client(&site, "en", &["refund"]);
    assert!(!output.status.success(), "a damaged shard was read");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("damaged postings"), "{stderr}");
}

fn with_english_synonyms(synonyms: &str) -> String {
    CONFIG.replace(
        "[languages.lt]",
        &format!("synonyms = {synonyms}\n[languages.lt]"),
    )
}

fn shop() -> Site {
    let site = Site::new(&[
        (
            "content/_index.md",
            "+++\ntitle = \"Help\"\n+++\nWelcome.\n",
        ),
        (
            "content/_index.lt.md",
            "+++\ntitle = \"Pagalba\"\n+++\nSveiki.\n",
        ),
        (
            "content/policies/_index.md",
            "+++\ntitle = \"Policies\"\n+++\nThe rules of the shop.\n",
        ),
        (
            "content/policies/returns.md",
            &page(
                "title = \"Returns and refunds\"\nkind = \"policy\"\nupdated = 2026-01-15\nsummary = [\"30 days to change your mind\"]",
                "You can send anything back.\n\n## Your return window\n\nYou have 30 days from delivery.\n\n## Damaged items\n\nPhotograph the parcel before opening it.\n\n### Glass and ceramics\n\nWrap them in paper.\n",
            ),
        ),
        (
            "content/policies/returns.lt.md",
            &page(
                "title = \"Prekių grąžinimas\"\nkind = \"policy\"\nupdated = 2026-01-15",
                "Galite grąžinti bet ką.\n\n## Grąžinimo terminas\n\nTuri 30 dienų nuo pristatymo.\n",
            ),
        ),
        (
            "content/policies/shipping.md",
            &page(
                "title = \"Shipping\"\nkind = \"policy\"\nupdated = 2026-01-15",
                "We ship from Vilnius.\n\n## Gift cards\n\nGift cards arrive by email.\n",
            ),
        ),
        (
            "content/faq/_index.md",
            "+++\ntitle = \"FAQ\"\npage_kind = \"faq\"\n+++\nQuick answers.\n",
        ),
        (
            "content/faq/orders.md",
            &page(
                "title = \"Orders\"",
                "About orders.\n\n## Where is my order?\n\nTrack it with the link in your email.\n\n## Can I change my address?\n\nWrite to us before it ships.\n",
            ),
        ),
        (
            "content/secret.md",
            &page(
                "title = \"Internal notes\"\nsearch = false",
                "Staff only: wholesale discount codes.\n",
            ),
        ),
        (
            "content/upcoming.md",
            &page(
                "title = \"Upcoming sale\"\ndraft = true",
                "Blackfriday bargains.\n",
            ),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        with_english_synonyms("[[\"voucher\", \"gift card\"]]"),
    );
    site
}

#[test]
fn entries_are_pages_headings_and_questions_but_not_drafts_fallbacks_or_opted_out_pages() {
    let site = shop();
    let run = site.run(&["build", "--drafts"]);
    assert!(run.ok(), "{}", run.stderr);
    let en = Index::open(&site, "en").entries();
    for (url, heading) in [
        ("/policies/returns/", ""),
        (
            "/policies/returns/#your-return-window",
            "Your return window",
        ),
        ("/policies/returns/#damaged-items", "Damaged items"),
        (
            "/policies/returns/#glass-and-ceramics",
            "Glass and ceramics",
        ),
        ("/faq/orders/#where-is-my-order", "Where is my order?"),
        (
            "/faq/orders/#can-i-change-my-address",
            "Can I change my address?",
        ),
        ("/policies/", ""),
    ] {
        assert_eq!(
            en.get(url).map(String::as_str),
            Some(heading),
            "{url} in {en:#?}"
        );
    }
    assert!(
        !en.keys().any(|u| u.starts_with("/secret/")),
        "search = false is indexed"
    );
    assert!(
        !en.keys().any(|u| u.starts_with("/upcoming/")),
        "a draft is indexed"
    );
    assert!(
        !en.contains_key("/"),
        "the home page is a list, not an answer"
    );

    // lt has its own returns page; its shipping and FAQ pages are English fallbacks.
    let lt = Index::open(&site, "lt").entries();
    assert!(
        lt.contains_key("/lt/policies/returns/#grąžinimo-terminas"),
        "{lt:#?}"
    );
    assert!(
        !lt.keys()
            .any(|u| u.contains("shipping") || u.contains("faq/orders")),
        "{lt:#?}"
    );
    let keys = Index::open(&site, "lt").keys();
    assert!(
        keys.contains(&"grazinimas".to_string()),
        "folded keys: {keys:?}"
    );
    assert!(!keys.contains(&"ship".to_string()));
}

#[test]
fn a_language_without_pages_still_gets_an_empty_index() {
    // Each language's index is built when its last page renders; one with no pages at all
    // must not be forgotten, or the search box would fetch a missing manifest.
    let site = Site::new(&[(
        "content/grazinimas.lt.md",
        &page("title = \"Grąžinimas\"", "Turi 30 dienų.\n"),
    )]);
    let run = site.build();
    assert!(run.ok(), "{}", run.stderr);
    let en = Index::open(&site, "en");
    assert_eq!(en.manifest["entries"], 0, "{}", en.manifest);
    assert!(en.entries().is_empty() && en.keys().is_empty());
    let lt = Index::open(&site, "lt");
    assert!(
        lt.entries().contains_key("/lt/grazinimas/"),
        "{:?}",
        lt.entries()
    );
}

#[test]
fn two_builds_are_byte_identical_and_file_names_carry_content_hashes() {
    let site = Site::demo();
    site.build();
    let index =
        |site: &Site| -> Vec<(PathBuf, Vec<u8>)> { snapshot(&site.public().join("search-index")) };
    let first = index(&site);
    let manifests = first
        .iter()
        .filter(|(p, _)| p.parent() == Some(Path::new("")))
        .count();
    assert_eq!(manifests, 5, "one manifest per language beside its folder");
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert_eq!(first, index(&site), "a rebuild changed the index");

    // Term shards are named by their own content; a language's result chunks share one name,
    // which changes when that language's text does and only then.
    let names = |files: &[(PathBuf, Vec<u8>)]| -> BTreeMap<PathBuf, BTreeSet<String>> {
        let mut results: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
        for (path, bytes) in files {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(bytes.starts_with(&[0x1f, 0x8b]), "{name} is not gzip");
            let mut body = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut body)
                .unwrap();
            if path.parent() == Some(Path::new("")) {
                continue; // a manifest
            }
            let parts: Vec<&str> = name.split('.').collect();
            match parts[0] {
                "terms" | "keys" => {
                    assert!(
                        body.len() < 1000 || bytes.len() * 4 < body.len() * 3,
                        "{name} is stored, not compressed: {} bytes for {}",
                        bytes.len(),
                        body.len()
                    );
                    let expected = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&body));
                    assert_eq!(
                        parts[1],
                        &expected[..12],
                        "{name} is not named by its content"
                    );
                }
                "results" => {
                    results
                        .entry(path.parent().unwrap().to_path_buf())
                        .or_default()
                        .insert(parts[1].to_string());
                }
                _ => panic!("unexpected index file {name}"),
            }
        }
        results
    };
    let before = names(&first);
    assert_eq!(before.len(), 5, "result chunks in every language");
    assert!(
        before.values().all(|hashes| hashes.len() == 1),
        "{before:?}"
    );

    let returns = site.root().join("content/policies/returns.md");
    let text = std::fs::read_to_string(&returns).unwrap();
    site.write(
        "content/policies/returns.md",
        format!("{text}\nGift wrapping is removed before a parcel is returned.\n"),
    );
    site.build();
    let after = names(&index(&site));
    for (dir, hashes) in &before {
        let changed = after[dir] != *hashes;
        assert_eq!(changed, dir == Path::new("en"), "{}", dir.display());
    }
}

#[test]
fn a_large_language_is_split_into_small_shards() {
    // 400 pages of varied words: the index must not be one file.
    let words: Vec<String> = (0..3000).map(|i| format!("w{i:x}q")).collect();
    let mut files: Vec<(String, String)> = vec![(
        "content/_index.md".into(),
        "+++\ntitle = \"Help\"\n+++\n".into(),
    )];
    for p in 0..400 {
        let body: Vec<&str> = (0..120)
            .map(|i| words[(p * 37 + i * 11) % words.len()].as_str())
            .collect();
        files.push((
            format!("content/p{p}.md"),
            page(
                &format!("title = \"Page {p}\""),
                &format!(
                    "{}\n\n## Part two\n\n{}\n",
                    body[..60].join(" "),
                    body[60..].join(" ")
                ),
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Site::new(&refs);
    site.build();
    let dir = site.public().join("search-index/en");
    let shards = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("terms.")
        })
        .count();
    assert!(shards >= 4, "{shards} term shards");
    let manifest = site.public().join("search-index/en.json.gz");
    let size = std::fs::metadata(&manifest).unwrap().len();
    assert!(
        size < 1024,
        "the manifest lists directories, not shards: {size} bytes"
    );
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let size = entry.metadata().unwrap().len();
        assert!(
            size < 16 * 1024,
            "{} is {size} bytes",
            entry.path().display()
        );
    }
    let hits = search(&site, "en", &["w1aq"]);
    assert!(!hits[0].is_empty(), "a word of page text is found");
}

#[test]
fn queries_find_the_answer_and_deep_link_to_it() {
    let site = shop();
    site.build();
    let en = search(
        &site,
        "en",
        &[
            "return window",
            "where is my order",
            "damagd",    // a typo
            "ceramic",   // an inflected form
            "voucher",   // a site synonym of "gift card"
            "refund",    // a built-in synonym of "return"
            "photogr",   // the word being typed
            "wholesale", // only on a search = false page
        ],
    );
    let first = |i: usize| {
        en[i]
            .first()
            .map_or("(nothing)".to_string(), |h| h.url.clone())
    };
    assert_eq!(first(0), "/policies/returns/#your-return-window");
    assert_eq!(first(1), "/faq/orders/#where-is-my-order");
    assert_eq!(first(2), "/policies/returns/#damaged-items");
    assert_eq!(first(3), "/policies/returns/#glass-and-ceramics");
    assert_eq!(first(4), "/policies/shipping/#gift-cards");
    assert!(first(5).starts_with("/policies/returns/"), "{:?}", en[5]);
    assert_eq!(first(6), "/policies/returns/#damaged-items");
    assert!(en[7].is_empty(), "{:?}", en[7]);

    let hit = &en[0][0];
    assert_eq!(hit.title, "Returns and refunds");
    assert_eq!(hit.heading, "Your return window");
    let hit = &en[6][0];
    let marked: Vec<String> = hit
        .highlights
        .iter()
        .map(|&(a, b)| {
            hit.snippet
                .encode_utf16()
                .skip(a)
                .take(b - a)
                .collect::<Vec<u16>>()
        })
        .map(|units| String::from_utf16(&units).unwrap())
        .collect();
    assert_eq!(marked, ["Photograph"], "{hit:?}");

    let lt = search(&site, "lt", &["grazinimo", "grąžinimas", "pristatymo"]);
    assert!(
        lt[0][0].url.starts_with("/lt/policies/returns/"),
        "{:?}",
        lt[0]
    );
    assert!(
        lt[1][0].url.starts_with("/lt/policies/returns/"),
        "{:?}",
        lt[1]
    );
    assert_eq!(lt[2][0].url, "/lt/policies/returns/#grąžinimo-terminas");
}

#[test]
fn chinese_finds_across_scripts_and_without_spaces() {
    let site = Site::new(&[
        ("data/shop.toml", "[returns]\nwindow_days = 30\n"),
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        (
            "content/shipping.md",
            &page(
                "title = \"郵寄\"",
                "## 郵費\n\n台灣本島郵費一律新台幣八十元。\n\n## 售後服務\n\n收貨後七天內可申請退貨。\n",
            ),
        ),
        (
            "content/other.md",
            &page("title = \"其他\"", "付款方式說明。\n"),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        CONFIG
            .replace(
                "default_language = \"en\"",
                "default_language = \"zh-Hant\"",
            )
            .replace("[languages.en]", "[languages.zh-Hant]"),
    );
    site.build();
    let hits = search(
        &site,
        "zh-Hant",
        &["售后", "售後服務", "运费", "退货", "郵"],
    );
    assert_eq!(
        hits[0][0].url, "/shipping/#售後服務",
        "Simplified finds Traditional"
    );
    assert_eq!(hits[1][0].url, "/shipping/#售後服務");
    assert_eq!(
        hits[2][0].url, "/shipping/#郵費",
        "运费 is a built-in synonym of 邮费"
    );
    assert!(hits[3][0].url.starts_with("/shipping/"), "{:?}", hits[3]);
    assert!(hits[4][0].url.starts_with("/shipping/"), "one character");
}

#[test]
fn snippets_read_as_sentences_of_the_page_language_with_their_facts() {
    let policy = |summary: &str, body: &str| {
        page(
            &format!(
                "title = \"Returns\"\nkind = \"policy\"\nupdated = 2026-01-15\nsummary = {summary}"
            ),
            body,
        )
    };
    let site = Site::new(&[
        ("data/shop.toml", "[returns]\nwindow_days = 30\n"),
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        (
            "content/shipping.md",
            &page("title = \"Shipping\"", "By post.\n"),
        ),
        (
            "content/returns.md",
            &policy(
                "['{{ fact(key=\"shop.returns.window_days\") }} days to return', \"Free return label\"]",
                "Read our [shipping policy](@/shipping.md). Then:\n\n- pack it\n- post it\n",
            ),
        ),
        (
            "content/returns.zh-Hant.md",
            &policy(
                "['{{ fact(key=\"shop.returns.window_days\") }} 天內退貨', \"免費退貨標籤\"]",
                "請見[運送政策](@/shipping.md)。\n\n- 包好\n- 寄出\n",
            ),
        ),
    ]);
    site.write(
        "helpdeck.toml",
        format!("{CONFIG}[languages.zh-Hant]\ntitle = \"幫助\"\n"),
    );
    site.build();
    let english = &search(&site, "en", &["label"])[0][0];
    assert!(
        english.snippet.contains(
            "30 days to return. Free return label. Read our shipping policy. Then: pack it. post it"
        ),
        "{english:?}"
    );
    let chinese = &search(&site, "zh-Hant", &["標籤"])[0][0];
    assert!(
        chinese
            .snippet
            .contains("30 天內退貨。免費退貨標籤。請見運送政策。包好。寄出"),
        "{chinese:?}"
    );
}

#[test]
fn the_search_page_exists_per_language() {
    let site = shop();
    site.build();
    for (path, action) in [
        ("search/index.html", "/search/"),
        ("lt/search/index.html", "/lt/search/"),
    ] {
        let html = site.html(path);
        let form = common::select(&html, "form[data-search-index]");
        assert_eq!(form.len(), 1, "{path}");
        assert_eq!(form[0].value().attr("action"), Some(action));
        assert_eq!(
            common::select(&html, "#hd-search-page .search-results").len(),
            1
        );
    }
    let lt = site.html("lt/policies/returns/index.html");
    let form = &common::select(&lt, "form[data-search-index]")[0];
    assert_eq!(
        form.value().attr("data-search-index"),
        Some("/search-index/lt/")
    );
    assert_eq!(
        form.value().attr("data-default-index"),
        Some("/search-index/en/")
    );
    let template = common::select(&lt, "template#hd-search-ui");
    assert!(
        template[0].value().attr("data-results-few").is_some(),
        "Lithuanian plural forms"
    );
}

#[test]
fn a_base_path_reaches_the_index_urls() {
    let site = shop();
    let run = site.run(&[
        "build",
        "--base-url",
        "https://example.github.io/shop-help/",
    ]);
    assert!(run.ok(), "{}", run.stderr);
    let html = site.html("policies/returns/index.html");
    let form = &common::select(&html, "form[data-search-index]")[0];
    assert_eq!(
        form.value().attr("data-search-index"),
        Some("/shop-help/search-index/en/")
    );
    assert_eq!(form.value().attr("action"), Some("/shop-help/search/"));
    let entries = Index::open(&site, "en").entries();
    assert!(
        entries.contains_key("/shop-help/policies/returns/#damaged-items"),
        "{entries:#?}"
    );
}

#[test]
fn bad_search_settings_name_file_and_line() {
    let site = shop();
    site.write(
        "content/policies/shipping.md",
        page("title = \"Shipping\"\nsearch = \"no\"", "Body.\n"),
    );
    let stderr = site.build_fails();
    assert!(
        stderr.contains("content/policies/shipping.md:3"),
        "{stderr}"
    );
    let site = shop();
    site.write("helpdeck.toml", with_english_synonyms("\"voucher\""));
    let stderr = site.build_fails();
    assert!(
        stderr.contains("helpdeck.toml:5") && stderr.contains("expected a sequence"),
        "{stderr}"
    );
}
