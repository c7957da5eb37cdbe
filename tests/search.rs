//! The search index: what goes in, its files, and what the browser's ranking returns for real
//! queries (the client's code run with node over the built files).

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{CONFIG, Site, page, snapshot};
use serde_json::Value;

fn gunzip(path: &Path) -> Value {
    unpack(&std::fs::read(path).unwrap())
}

fn unpack(bytes: &[u8]) -> Value {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("not gzip: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn gzip(value: &Value) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(value.to_string().as_bytes()).unwrap();
    gz.finish().unwrap()
}

const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base-32 digits as the index writes them, each digit but a number's last 32 higher.
fn read_digits(text: &str) -> Vec<usize> {
    let mut numbers = Vec::new();
    let mut n = 0;
    for c in text.chars() {
        let digit = DIGITS.find(c).unwrap();
        n = n * 32 + (digit & 31);
        if digit < 32 {
            numbers.push(n);
            n = 0;
        }
    }
    numbers
}

fn write_digits(numbers: &[usize]) -> String {
    let mut text = String::new();
    for &n in numbers {
        let mut digits = vec![n & 31];
        let mut rest = n >> 5;
        while rest > 0 {
            digits.push((rest & 31) | 32);
            rest >>= 5;
        }
        text.extend(digits.iter().rev().map(|&d| DIGITS.as_bytes()[d] as char));
    }
    text
}

/// A language's index read as the manifest describes it: packs of gzip members, the term
/// shards first, then the result chunks.
struct Index {
    dir: PathBuf,
    manifest_path: PathBuf,
    manifest: Value,
}

impl Index {
    fn open(site: &Site, lang: &str) -> Index {
        let dir = site.public().join("search-index").join(lang);
        let manifest_path = site.public().join(format!("search-index/{lang}.json.gz"));
        let manifest = gunzip(&manifest_path);
        Index {
            dir,
            manifest_path,
            manifest,
        }
    }

    /// The first key of each run, read back from the manifest's front coding: how many UTF-16
    /// code units each shares with the one before, in base-32 digits, then the rest.
    fn first_keys(&self) -> Vec<String> {
        let mut previous: Vec<u16> = Vec::new();
        let coded = self.manifest["shards"].as_array().unwrap();
        coded
            .iter()
            .map(|key| {
                let key = key.as_str().unwrap();
                let end = key
                    .find(|c| DIGITS.find(c).is_some_and(|d| d < 32))
                    .unwrap()
                    + 1;
                previous.truncate(read_digits(&key[..end])[0]);
                previous.extend(key[end..].encode_utf16());
                String::from_utf16(&previous).unwrap()
            })
            .collect()
    }

    /// Term shards: runs of keys, then buckets of keys of scripts written without spaces.
    fn shard_count(&self) -> usize {
        self.manifest["shards"].as_array().unwrap().len()
            + self.manifest["buckets"].as_u64().unwrap() as usize
    }

    /// How many members each pack holds, in order.
    fn pack_members(&self) -> Vec<usize> {
        read_digits(self.manifest["pack_members"].as_str().unwrap())
    }

    fn pack_path(&self, n: usize) -> PathBuf {
        let hash = self.manifest["packs"].as_str().unwrap();
        self.dir.join(format!("pack.{hash}.{n}.bin"))
    }

    /// Every member, compressed, in order: the shards, the chunks' lengths, the chunks.
    fn members(&self) -> Vec<Vec<u8>> {
        let unit = self.manifest["length_unit"].as_u64().unwrap() as usize;
        let mut lengths: Vec<usize> = read_digits(self.manifest["lengths"].as_str().unwrap())
            .into_iter()
            .map(|n| n * unit)
            .collect();
        assert_eq!(lengths.len(), self.shard_count() + 1);
        let packs: Vec<Vec<u8>> = (0..self.pack_members().len())
            .map(|n| std::fs::read(self.pack_path(n)).unwrap())
            .collect();
        let (mut pack, mut at) = (0, 0);
        for length in lengths.clone() {
            if at == packs[pack].len() {
                (pack, at) = (pack + 1, 0);
            }
            at += length;
        }
        let chunk_lengths = &packs[pack][at - lengths[self.shard_count()]..at];
        lengths.extend(read_digits(unpack(chunk_lengths).as_str().unwrap()));
        let mut members = Vec::new();
        for (count, bytes) in self.pack_members().into_iter().zip(&packs) {
            let mut at = 0;
            for _ in 0..count {
                let length = lengths[members.len()];
                members.push(bytes[at..at + length].to_vec());
                at += length;
            }
            assert_eq!(at, bytes.len(), "a pack holds its members and nothing else");
        }
        assert_eq!(members.len(), lengths.len());
        members
    }

    /// Writes `members` back as the packs and the manifest's lengths (the shards only: the
    /// chunks are not rewritten).
    fn rewrite(&mut self, members: &[Vec<u8>]) {
        let mut next = members.iter();
        for (n, count) in self.pack_members().into_iter().enumerate() {
            let bytes: Vec<u8> = (0..count)
                .flat_map(|_| next.next().unwrap().clone())
                .collect();
            std::fs::write(self.pack_path(n), bytes).unwrap();
        }
        let lengths: Vec<usize> = members[..=self.shard_count()]
            .iter()
            .map(Vec::len)
            .collect();
        self.manifest["lengths"] = Value::String(write_digits(&lengths));
        // Members re-compressed here are not padded: their lengths are listed in bytes.
        self.manifest["length_unit"] = Value::from(1);
        std::fs::write(&self.manifest_path, gzip(&self.manifest)).unwrap();
    }

    /// Every entry as `url#anchor` → heading; an anchor written as `0` is the heading's slug,
    /// derived by the browser (the client's results are checked against the pages' ids).
    fn entries(&self) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        for chunk in &self.members()[self.shard_count() + 1..] {
            let chunk = unpack(chunk);
            let pages = chunk[0].as_array().unwrap();
            for entry in chunk[1].as_array().unwrap() {
                let page = &pages[entry[0].as_u64().unwrap() as usize];
                let heading = entry[2].as_str().unwrap();
                let anchor = match &entry[1] {
                    Value::Number(_) => slug(heading),
                    anchor => anchor.as_str().unwrap().to_string(),
                };
                let url = if anchor.is_empty() {
                    page[0].as_str().unwrap().to_string()
                } else {
                    format!("{}#{anchor}", page[0].as_str().unwrap())
                };
                all.insert(url, heading.to_string());
            }
        }
        all
    }

    fn keys(&self) -> Vec<String> {
        self.members()[..self.shard_count()]
            .iter()
            .flat_map(|shard| {
                unpack(shard)[0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k[0].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A heading's id as the browser derives it for an anchor the index left out.
fn slug(heading: &str) -> String {
    let mut id = String::new();
    for c in heading.chars() {
        if c.is_alphanumeric() || c == '_' {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() { "section" } else { id }.to_string()
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
    searched(site, lang, queries, 10).results
}

/// What [`run_client`] found: by query, its results and how many requests it made, each query
/// with a fresh index (nothing fetched yet, as on a page just loaded).
#[derive(serde::Deserialize)]
struct Searched {
    results: Vec<Vec<Hit>>,
    requests: Vec<usize>,
}

/// [`search`] with the first `limit` results.
fn searched(site: &Site, lang: &str, queries: &[&str], limit: usize) -> Searched {
    let output = run_client(site, lang, queries, limit);
    assert!(
        output.status.success(),
        "node: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The browser client as the build published it (minified) run in node over the built index,
/// one query after another, each with an index of its own.
fn run_client(site: &Site, lang: &str, queries: &[&str], limit: usize) -> std::process::Output {
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
         let requests = 0;
         globalThis.fetch = async (url, init = {{}}) => {{
           requests++;
           if (!fs.existsSync(out + url)) return new Response('', {{ status: 404 }});
           const bytes = fs.readFileSync(out + url);
           const range = /^bytes=(\\d+)-(\\d+)$/.exec(init.headers?.Range || '');
           return range ? new Response(bytes.subarray(+range[1], +range[2] + 1), {{ status: 206 }}) : new Response(bytes);
         }};
         const {{ Index, run }} = await import({url});
         const chunks = [];
         for await (const chunk of process.stdin) chunks.push(chunk);
         const found = {{ results: [], requests: [] }};
         for (const q of JSON.parse(Buffer.concat(chunks).toString())) {{
           requests = 0;
           found.results.push(await run(new Index(process.argv[2]), q, Number(process.argv[3])));
           found.requests.push(requests);
         }}
         console.log(JSON.stringify(found));",
        url = serde_json::to_string(&format!("file://{}", script.display())).unwrap(),
    );
    let mut node = Command::new("node")
        .args(["--input-type=module", "-e", &program])
        .arg(site.public())
        .arg(format!("/search-index/{lang}/"))
        .arg(limit.to_string())
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
    let mut index = Index::open(&site, "en");
    let mut members = index.members();
    for member in &mut members[..index.shard_count()] {
        let mut shard = unpack(member);
        for record in shard[0].as_array_mut().unwrap() {
            if let Some(Value::String(postings)) = record.get_mut(2) {
                postings.pop();
            }
        }
        *member = gzip(&shard);
    }
    index.rewrite(&members);
    let output = run_client(&site, "en", &["refund"], 10);
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

    // A language's packs are named by one hash of them all, in order: it changes with the
    // language's text, and only then.
    // A pack: its number, the hash in its name, its bytes.
    type Pack<'a> = (usize, String, &'a [u8]);
    let names = |files: &[(PathBuf, Vec<u8>)]| -> BTreeMap<PathBuf, String> {
        let mut packs: BTreeMap<PathBuf, Vec<Pack<'_>>> = BTreeMap::new();
        for (path, bytes) in files {
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(
                bytes.starts_with(&[0x1f, 0x8b]),
                "{name} is not gzip members"
            );
            if path.parent() == Some(Path::new("")) {
                continue; // a manifest
            }
            let parts: Vec<&str> = name.split('.').collect();
            assert_eq!((parts[0], parts[3]), ("pack", "bin"), "{name}");
            packs
                .entry(path.parent().unwrap().to_path_buf())
                .or_default()
                .push((parts[2].parse().unwrap(), parts[1].to_string(), bytes));
        }
        packs
            .into_iter()
            .map(|(dir, mut packs)| {
                packs.sort();
                let mut all = xxhash_rust::xxh3::Xxh3::new();
                for (n, (number, _, bytes)) in packs.iter().enumerate() {
                    assert_eq!(*number, n, "packs are numbered from 0 in {}", dir.display());
                    all.update(bytes);
                }
                let expected = format!("{:016x}", all.digest())[..12].to_string();
                for (_, hash, _) in &packs {
                    assert_eq!(
                        hash,
                        &expected,
                        "{} is not named by its content",
                        dir.display()
                    );
                }
                (dir, expected)
            })
            .collect()
    };
    let before = names(&first);
    assert_eq!(before.len(), 5, "packs in every language");

    let returns = site.root().join("content/policies/returns.md");
    let text = std::fs::read_to_string(&returns).unwrap();
    site.write(
        "content/policies/returns.md",
        format!("{text}\nGift wrapping is removed before a parcel is returned.\n"),
    );
    site.build();
    let after = names(&index(&site));
    for (dir, hash) in &before {
        let changed = after[dir] != *hash;
        assert_eq!(changed, dir == Path::new("en"), "{}", dir.display());
    }
}

/// The test config with Traditional Chinese in place of English, its only language.
fn traditional_chinese_only() -> String {
    CONFIG
        .replace(
            "default_language = \"en\"",
            "default_language = \"zh-Hant\"",
        )
        .replace("[languages.en]", "[languages.zh-Hant]")
}

#[test]
fn characters_of_unspaced_scripts_are_found_in_buckets_the_manifest_does_not_list() {
    // 300 pages of Chinese: many buckets. Each page also holds a pair of characters no other
    // page has, which a query of that pair must find.
    let han = |i: usize| char::from_u32(0x4E00 + (i % 2000) as u32).unwrap();
    let own_pair = |p: usize| -> String {
        [0x6000 + 2 * p, 0x6001 + 2 * p]
            .map(|c| char::from_u32(c as u32).unwrap())
            .iter()
            .collect()
    };
    let mut files: Vec<(String, String)> = vec![(
        "content/_index.md".into(),
        "+++\ntitle = \"幫助\"\n+++\n".into(),
    )];
    for p in 0..300 {
        let text: String = (0..150).map(|i| han(p * 53 + i * 7)).collect();
        files.push((
            format!("content/p{p}.md"),
            page(
                &format!("title = \"第{p}頁\""),
                &format!("{text}。\n\n{}。\n", own_pair(p)),
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Site::new(&refs);
    site.write("helpdeck.toml", traditional_chinese_only());
    site.build();
    let index = Index::open(&site, "zh-Hant");
    let buckets = index.manifest["buckets"].as_u64().unwrap();
    assert!(buckets >= 8, "{buckets} buckets");
    assert_eq!(
        index.first_keys(),
        ["0"],
        "only the page numbers in the titles are keys in runs"
    );
    for member in &index.members()[..index.shard_count()] {
        assert!(
            member.len() < 16 * 1024,
            "a bucket of {} bytes",
            member.len()
        );
    }
    let pages = [0, 1, 77, 150, 298, 299];
    let pairs: Vec<String> = pages.iter().map(|&p| own_pair(p)).collect();
    let queries: Vec<&str> = pairs.iter().map(String::as_str).collect();
    for (hits, p) in search(&site, "zh-Hant", &queries).iter().zip(pages) {
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].url, format!("/p{p}/"));
    }
}

/// A built English site of `pages` pages, each `(file name, text)` from `write` given its
/// number and `words` words drawn from 3000 (`w0q` … `wbb7q`, all beginning with `w`), so
/// its index holds many shards.
fn built_site_of_word_pages(
    pages: usize,
    words: usize,
    write: impl Fn(usize, &[&str]) -> (String, String),
) -> Site {
    let vocabulary: Vec<String> = (0..3000).map(|i| format!("w{i:x}q")).collect();
    let mut files: Vec<(String, String)> = vec![(
        "content/_index.md".into(),
        "+++\ntitle = \"Help\"\n+++\n".into(),
    )];
    for p in 0..pages {
        let body: Vec<&str> = (0..words)
            .map(|i| vocabulary[(p * 37 + i * 11) % vocabulary.len()].as_str())
            .collect();
        let (name, text) = write(p, &body);
        files.push((format!("content/{name}.md"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = Site::new(&refs);
    site.build();
    site
}

#[test]
fn a_large_language_is_split_into_small_members_in_few_packs() {
    // 400 pages of varied words: the index must not be one file.
    let site = built_site_of_word_pages(400, 120, |p, body| {
        (
            format!("p{p}"),
            page(
                &format!("title = \"Page {p}\""),
                &format!(
                    "{}\n\n## Part two\n\n{}\n",
                    body[..60].join(" "),
                    body[60..].join(" ")
                ),
            ),
        )
    });
    let index = Index::open(&site, "en");
    assert!(
        index.shard_count() >= 4,
        "{} term shards",
        index.shard_count()
    );
    for member in index.members() {
        assert!(
            member.len() < 16 * 1024,
            "a member of {} bytes",
            member.len()
        );
    }
    let packs = std::fs::read_dir(site.public().join("search-index/en"))
        .unwrap()
        .count();
    assert_eq!(packs, index.pack_members().len());
    let members = index.members().len();
    assert!(
        packs * 4 <= members,
        "{packs} packs for {members} members: members are packed, not one file each"
    );
    let hits = search(&site, "en", &["w1aq"]);
    assert!(!hits[0].is_empty(), "a word of page text is found");
    // The manifest lists the shards' lengths in units its members are padded to.
    let unit = index.manifest["length_unit"].as_u64().unwrap() as usize;
    assert!(unit > 1, "lengths in units of {unit} bytes");
    for shard in &index.members()[..index.shard_count()] {
        assert_eq!(shard.len() % unit, 0, "a shard of {} bytes", shard.len());
    }
    // The manifest's front-coded first keys read back as the openings of their runs.
    let firsts = index.first_keys();
    assert_eq!(firsts.len(), index.shard_count());
    assert!(
        firsts.windows(2).all(|pair| pair[0] < pair[1]),
        "{firsts:?}"
    );
    for (first, shard) in firsts.iter().zip(index.members()) {
        let opening = unpack(&shard)[0][0][0].as_str().unwrap().to_string();
        assert!(
            opening.starts_with(first.as_str()),
            "{first} opens {opening}"
        );
    }
}

#[test]
fn a_word_in_more_entries_than_a_key_lists_ranks_by_them_from_one_shard() {
    // "returns" on each of 540 pages: more entries than a key lists, so it counts as a common
    // word. A query of it alone must still rank by it: the ten pages whose titles name it come
    // first (they sort last, so a ranking by entry alone puts them last), and the popup's eight
    // come from the cards of the word's one shard, with no result chunk fetched.
    let site = built_site_of_word_pages(540, 40, |p, body| {
        let (file, title) = match p {
            530.. => (format!("zz{p}"), format!("Returns at the desk {p}")),
            _ => (format!("p{p}"), format!("Page {p}")),
        };
        let text = format!(
            "{} returns {}\n",
            body[..20].join(" "),
            body[20..].join(" ")
        );
        (file, page(&format!("title = \"{title}\""), &text))
    });
    let index = Index::open(&site, "en");
    assert!(index.shard_count() >= 4, "{}", index.shard_count());

    let found = searched(&site, "en", &["returns", "w", "w1a", "w16zq", "w1zzzz"], 8);
    let titles: Vec<&str> = found.results[0]
        .iter()
        .map(|hit| hit.title.as_str())
        .collect();
    assert_eq!(titles.len(), 8, "{titles:?}");
    assert!(
        titles
            .iter()
            .all(|title| title.starts_with("Returns at the desk")),
        "{titles:?}"
    );
    assert_eq!(found.requests[0], 2, "the manifest and the word's shard");
    // A letter typed is looked up as a word, not as the start of every key in the index
    // (all 3000 words here begin with "w"); three letters are.
    assert!(found.requests[1] <= 2, "{} requests", found.requests[1]);
    assert!(
        !found.results[2].is_empty(),
        "w1a finds the words it starts"
    );
    // A typo is looked for in a shard or two, not in every key sharing the word's first
    // letter or two (here, every key, and the hundreds starting "w1"): found with one letter
    // extra, and a word matching nothing stays cheap.
    assert!(
        !found.results[3].is_empty(),
        "w16zq finds w16q, on the first page"
    );
    assert!(found.requests[3] <= 4, "{} requests", found.requests[3]);
    assert!(found.results[4].is_empty());
    assert!(found.requests[4] <= 4, "{} requests", found.requests[4]);
}

#[test]
fn anchors_left_out_of_the_index_are_derived_by_the_browser_as_the_page_has_them() {
    let headings = [
        ("Delivery times", "zebrafirst"),
        ("Delivery times", "zebrasecond"),
        ("Grąžinimo terminas", "zebrathird"),
        ("Straße und Übergabe", "zebrafourth"),
        ("İade süresi", "zebrafifth"),
        ("Доставка курьером", "zebrasixth"),
        ("退货 政策", "zebraseventh"),
    ];
    let body: String = headings
        .iter()
        .map(|(heading, word)| format!("## {heading}\n\nThe {word} answer.\n\n"))
        .collect();
    let site = Site::new(&[
        ("content/_index.md", "+++\ntitle = \"Help\"\n+++\n"),
        ("content/delivery.md", &page("title = \"Delivery\"", &body)),
    ]);
    site.build();
    let html = std::fs::read_to_string(site.public().join("delivery/index.html")).unwrap();
    let words: Vec<&str> = headings.iter().map(|(_, word)| *word).collect();
    for ((heading, word), hits) in headings.iter().zip(search(&site, "en", &words)) {
        let hit = hits.first().unwrap_or_else(|| panic!("{word} not found"));
        let (_, anchor) = hit.url.split_once('#').expect("a deep link");
        assert_eq!(hit.heading, *heading);
        assert!(
            html.contains(&format!("id=\"{anchor}\"")) || html.contains(&format!("id={anchor}>")),
            "{heading}: #{anchor} is no id of the page"
        );
    }
    // Written out where the browser might derive another id: a numbered duplicate, Cyrillic.
    let index = Index::open(&site, "en");
    let anchors: Vec<Value> = index.members()[..index.shard_count()]
        .iter()
        .flat_map(|shard| unpack(shard)[1].as_array().unwrap().clone())
        .map(|entry| entry[2].clone())
        .collect();
    for written in ["delivery-times-1", "доставка-курьером"] {
        assert!(
            anchors.contains(&Value::from(written)),
            "{written}: {anchors:?}"
        );
    }
    assert!(anchors.contains(&Value::from(0)), "{anchors:?}");
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
    site.write("helpdeck.toml", traditional_chinese_only());
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
