//! Watch mode against a fresh build, over a seeded random sequence of edits to a small
//! multilingual site: after each edit the watcher's files (rebuilt, then its search index,
//! related articles, sitemap and hosting files brought up to date, with removals applied as
//! `helpdeck serve` applies them) must be byte for byte those of a fresh build of the same sources.
//!
//! The edits cover page bodies, every front matter key, translations and pages added, deleted
//! and renamed, folders moved out of `content/` and back, data values a page or a template
//! reads and ones nothing reads, templates, partials and shortcodes, static files and the
//! config. Some leave the site invalid: then the watcher must fail as the fresh build does, and
//! agree with it again after the next valid edit (an invalid site gets its last valid sources
//! back within a few edits).
//!
//! It runs 200 edits from a fixed seed. Run more, or from another seed, with:
//!
//! ```text
//! HELPDECK_INCREMENTAL_SEED=7 HELPDECK_INCREMENTAL_EDITS=2000 cargo test --test incremental
//! ```
//!
//! The first difference fails the test, printing the seed, the edit's number and what it was,
//! the paths it changed, the differing outputs with the text around the first difference, and
//! where the sources were kept. Each edit builds on those before it, so a run replays from its
//! seed, and `HELPDECK_INCREMENTAL_EDITS` set to the failing edit's number stops there.
//! `HELPDECK_INCREMENTAL_KEEP_GOING=1` reports every difference instead, starting the watcher
//! afresh after each, and fails at the end.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use common::Site;
use common::rng::{GOLDEN, Rng};
use helpdeck::diagnostic::Result;
use helpdeck::output::Output;
use helpdeck::rebuild::{Failed, Rebuilder};
use toml::{Table, Value};

const DEFAULT_SEED: u64 = 6;
const DEFAULT_EDITS: u64 = 200;
/// Edits an invalid site may stay invalid before its last valid sources come back.
const BROKEN_AT_MOST: u32 = 3;
/// The search index and related articles settle in one round; more than this is a bug.
const FOLLOW_UP_ROUNDS: usize = 3;
/// 2026-12-20 12:00 UTC: the fixture's notice shows and its holiday is coming.
const BUILD_MOMENT: &str = "1797768000";
/// Where folders moved out of `content/` wait: no source folder.
const PARKED: &str = "parked";
/// What the site is built from.
const SOURCES: [&str; 5] = ["helpdeck.toml", "content", "data", "templates", "static"];
const TRANSLATIONS: [&str; 2] = ["pt", "pt-BR"];

const CONFIG: &str = r#"title = "Fixture Help"
description = "Answers for the fixture shop."
base_url = "https://help.fixture.example"
default_language = "en"
timezone = "Europe/Vilnius"

[languages.en]
title = "Fixture Help"

[languages.pt]
title = "Ajuda"
name = "Português"

[languages.pt-BR]
title = "Ajuda do Brasil"

[languages.pt-BR.strings]
contact_us = "Fale conosco"

[shop]
name = "Fixture Goods"

[contact]
email = "help@fixture.example"
reply_hours = 24

[contact.hours]
mon = "09:00-17:00"
sat = "closed"

[[contact.holidays]]
date = 2026-12-24
name = { en = "Christmas Eve", pt = "Véspera de Natal" }

[[notices]]
start = 2026-12-18T00:00:00
end = 2027-01-05T00:00:00
text = { en = "Holiday parcels are slower.", pt = "Envios mais lentos nas festas." }

[extra]
tagline = "Small shop, quick answers"
"#;

/// The site's own templates, with `MARK` where edits put a word: a page template, a partial
/// it includes, a shortcode, and the theme's footer (which every page includes) replaced.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "templates/custom.html",
        r#"{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ site.title }}{% endblock title %}
{% block content %}
<div class="container custom"><h1>{{ page.title }}</h1><p class="mark">MARK</p>
{% include "partials/fixture_box.html" %}
<div class="prose">{{ page.content | safe }}</div>
{% include "partials/related.html" %}
</div>
{% endblock content %}
"#,
    ),
    (
        "templates/partials/fixture_box.html",
        r#"<aside class="fixture-box"><p>MARK: {{ data.notes.motto }}</p>{% if page.extra.note %}<p>{{ page.extra.note }}</p>{% endif %}<p>{{ t.contact_us }}</p></aside>
"#,
    ),
    (
        "templates/shortcodes/badge.html",
        r#"<span class="badge MARK">{{ text }}</span>"#,
    ),
    (
        "templates/partials/footer.html",
        r#"<footer class="site-footer"><p>MARK · {{ site.extra.tagline | default(value="") }} · <a href="{{ home_url }}">{{ site.title }}</a></p></footer>
"#,
    ),
];

/// The rest of the fixture: a home and sections in three languages (the third showing the
/// second's pages where it has none of its own, and the default language's where neither
/// has), policies with change histories, FAQs and a product, a nested section, a page with
/// its own template, aliases, facts, `@/` links, a draft, data and static files.
const FIXTURE: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "+++\ntitle = \"Help centre\"\ndescription = \"Answers about orders and returns.\"\n+++\nWelcome. Start with the [returns policy](@/policies/returns.md) or the [FAQ](@/faq/_index.md).\n",
    ),
    (
        "content/_index.pt.md",
        "+++\ntitle = \"Central de ajuda\"\n+++\nBem-vindo. Veja a [política de devoluções](@/policies/returns.md).\n",
    ),
    (
        "content/policies/_index.md",
        "+++\ntitle = \"Policies\"\npage_kind = \"policy\"\nweight = 1\n+++\nOur rules.\n",
    ),
    (
        "content/policies/_index.pt.md",
        "+++\ntitle = \"Políticas\"\npage_kind = \"policy\"\nweight = 1\n+++\nNossas regras.\n",
    ),
    (
        "content/policies/returns.md",
        r#"+++
title = "Returns and refunds"
description = "How to send something back."
date = 2026-02-02
updated = 2026-08-03
effective = 2026-08-03
weight = 1
policy = "returns"
summary = ["Return within 30 days", "Refund within 5 business days"]
aliases = ["/returns/"]

[[changes]]
date = 2026-08-03
text = "Extended the return window to 30 days."

[[changes]]
date = 2026-03-16
text = "Made the first exchange free."
+++
You have {{ fact(key="shop.returns.window_days") }} days from delivery to return an item.

## How to return

Email us, then send the parcel. Still waiting? See [orders](@/faq/orders.md).

{% note(title="Engraved items") %}
Engraved items go back only if they are faulty.
{% end %}
"#,
    ),
    (
        "content/policies/returns.pt.md",
        r#"+++
title = "Devoluções"
updated = 2026-08-03
policy = "returns"

[[changes]]
date = 2026-08-03
text = "Prazo de devolução alargado para 30 dias."
+++
Tem {{ fact(key="shop.returns.window_days") }} dias para devolver um artigo.

## Como devolver

Escreva-nos. Veja as [encomendas](@/faq/orders.md).
"#,
    ),
    (
        "content/policies/returns.pt-BR.md",
        "+++\ntitle = \"Devoluções no Brasil\"\nupdated = 2026-08-03\n+++\nVocê tem {{ fact(key=\"shop.returns.window_days\") }} dias.\n",
    ),
    (
        "content/policies/shipping.md",
        r#"+++
title = "Shipping"
updated = 2026-05-01
weight = 2
summary = "Ships in a few days"

[[changes]]
date = 2026-05-01
text = "Free shipping over 50 EUR."
+++
We pack orders within {{ fact(key="shop.shipping.processing_days") }} business days, and ship free over {{ fact(key="shop.shipping.free_over") }}.

## Tracking

You get a tracking number by email.
"#,
    ),
    (
        "content/policies/shipping.pt.md",
        "+++\ntitle = \"Envios\"\nupdated = 2026-05-01\n+++\nEnviamos em {{ fact(key=\"shop.shipping.processing_days\") }} dias úteis.\n",
    ),
    (
        "content/policies/privacy.md",
        "+++\ntitle = \"Privacy\"\nupdated = 2026-01-10\npolicy = \"privacy\"\nsearch = false\n+++\nWe keep your address only to ship your order.\n",
    ),
    (
        "content/faq/_index.md",
        "+++\ntitle = \"Frequently asked questions\"\npage_kind = \"faq\"\nweight = 2\n+++\nShort answers.\n",
    ),
    (
        "content/faq/_index.pt.md",
        "+++\ntitle = \"Perguntas frequentes\"\npage_kind = \"faq\"\nweight = 2\n+++\nRespostas curtas.\n",
    ),
    (
        "content/faq/orders.md",
        r#"+++
title = "Orders"
weight = 1
+++
About your orders.

## Where is my order?

On its way: see [shipping](@/policies/shipping.md).

## Can I cancel?

Within {{ fact(key="notes.cancel_hours") }} hours of ordering.
"#,
    ),
    (
        "content/faq/orders.pt.md",
        "+++\ntitle = \"Encomendas\"\nweight = 1\n+++\n## Onde está a minha encomenda?\n\nA caminho.\n",
    ),
    (
        "content/faq/payments.md",
        "+++\ntitle = \"Payments\"\naliases = [\"/old/payments/\"]\n+++\n## Which cards do you take?\n\nAll of them.\n\n## When am I charged?\n\nWhen the parcel ships.\n",
    ),
    (
        "content/products/_index.md",
        "+++\ntitle = \"Products\"\npage_kind = \"product\"\nweight = 3\n+++\nWhat we make.\n",
    ),
    (
        "content/products/oak-board.md",
        r#"+++
title = "Oak board"
description = "Our cutting board."
updated = 2026-09-14

[product]
name = "Oak cutting board"
sku = "FX-OB-01"
price = { amount = 45, currency = "EUR" }
+++
Solid oak, {{ badge(text="Bestseller") }}.

## Is it dishwasher safe?

No. Read how to [care for oak](@/guides/care/oak.md).
"#,
    ),
    (
        "content/products/oak-board.pt.md",
        "+++\ntitle = \"Tábua de carvalho\"\n\n[product]\nname = \"Tábua de carvalho\"\n+++\n## Vai à máquina?\n\nNão.\n",
    ),
    (
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\nweight = 4\n+++\nHow to look after what you bought.\n",
    ),
    (
        "content/guides/care/_index.md",
        "+++\ntitle = \"Caring for your things\"\n+++\nCare guides.\n",
    ),
    (
        "content/guides/care/oak.md",
        r#"+++
title = "Caring for oak"
date = 2026-03-01
+++
Oil the [board](@/products/oak-board.md) once a month. We started on {{ fact(key="notes.launch") }}.

## Oiling

Use food-safe oil. ![Diagram](diagram.svg)
"#,
    ),
    (
        "content/guides/care/oak.pt.md",
        "+++\ntitle = \"Cuidar do carvalho\"\n+++\nOleie a [tábua](@/products/oak-board.md) todos os meses.\n",
    ),
    (
        "content/guides/care/linen.md",
        "+++\ntitle = \"Caring for linen\"\ntemplate = \"custom.html\"\n\n[extra]\nnote = \"Wash cold\"\n+++\nWash linen at 40 degrees.\n",
    ),
    (
        "content/guides/care/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n",
    ),
    (
        "content/guides/sizes.md",
        "+++\ntitle = \"Choosing a size\"\nweight = 1\n+++\n| Size | Width |\n|------|-------|\n| S | 40 cm |\n\n```toml\nsize = \"S\"\n```\n",
    ),
    (
        "content/contact.md",
        "+++\ntitle = \"Contact us\"\nweight = 9\n+++\n{{ contact() }}\n",
    ),
    (
        "content/news.md",
        "+++\ntitle = \"News\"\ndraft = true\n+++\nComing soon.\n",
    ),
    (
        "data/shop.toml",
        r#"[returns]
window_days = 30
condition = "unused"

[shipping]
processing_days = "1–3"
free_over = { amount = 50, currency = "EUR", zone = "eu" }

[[shipping.zones]]
id = "eu"
name = "EU"
countries = ["LT", "PT"]
price = { amount = 5, currency = "EUR" }
days = "2–4"
"#,
    ),
    (
        "data/notes.toml",
        "motto = \"Made by hand\"\nlaunch = 2024-05-01\ncancel_hours = 2\nunused = \"nobody reads this\"\n",
    ),
    ("static/files/size-chart.txt", "S 40\nM 44\n"),
    (
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
    ),
];

/// Data values, and what reads them.
const DATA_KEYS: &[(&str, &str, DataValue)] = &[
    // A fact, and the shop's structured data.
    ("data/shop.toml", "returns.window_days", DataValue::Days),
    (
        "data/shop.toml",
        "shipping.processing_days",
        DataValue::Range,
    ),
    // Nothing.
    ("data/shop.toml", "returns.condition", DataValue::Text),
    ("data/notes.toml", "unused", DataValue::Text),
    // templates/partials/fixture_box.html.
    ("data/notes.toml", "motto", DataValue::Text),
    // Facts.
    ("data/notes.toml", "launch", DataValue::Date),
    ("data/notes.toml", "cancel_hours", DataValue::Days),
];

#[derive(Clone, Copy)]
enum DataValue {
    Days,
    Range,
    Text,
    Date,
}

/// Facts pages may insert; `promo.code` only while `data/promo.toml` exists.
const FACTS: &[&str] = &[
    "shop.returns.window_days",
    "shop.shipping.processing_days",
    "shop.shipping.free_over",
    "shop.name",
    "notes.launch",
    "notes.cancel_hours",
    "promo.code",
];

/// Every key of `src/load/front_matter.rs`.
const FRONT_MATTER_KEYS: &str = "title description date updated effective review_by weight draft \
    search slug aliases kind page_kind template policy summary changes product source_hash extra";

const WORDS: &str = "oak linen parcel refund label courier board apron engraving invoice \
    warranty exchange delivery packaging receipt tracking size colour beeswax care";

// ---------------------------------------------------------------------------------------------
// Watch mode and fresh builds, through the library.

/// Output path (`policies/returns/index.html`) → bytes.
type Files = BTreeMap<String, Vec<u8>>;

/// Outputs a sink received and not yet served: `helpdeck serve`'s staged update.
#[derive(Default)]
struct Staged(Mutex<Files>);

impl Staged {
    fn sink(&self) -> impl Fn(Output) -> Result<()> + Sync + '_ {
        |output| {
            let mut staged = self.0.lock().expect("sink poisoned");
            staged.insert(output_key(&output.path), output.bytes);
            Ok(())
        }
    }

    fn take(self) -> Files {
        self.0.into_inner().expect("sink poisoned")
    }
}

fn output_key(path: &Path) -> String {
    let names: Vec<_> = path.iter().map(|name| name.to_string_lossy()).collect();
    names.join("/")
}

/// The watcher as `helpdeck serve` drives it, and the files it serves.
struct Watch {
    rebuilder: Rebuilder,
    served: Files,
}

impl Watch {
    /// Serve's first build: the site, then its search index. A fresh build.
    fn start(root: &Path) -> std::result::Result<Watch, String> {
        let staged = Staged::default();
        let (rebuilder, rebuilt) =
            Rebuilder::new(root, false, &staged.sink()).map_err(|e| e.to_string())?;
        let mut watch = Watch {
            rebuilder,
            served: Files::new(),
        };
        watch.serve(staged.take(), &rebuilt.removed);
        watch.follow_up()?;
        Ok(watch)
    }

    /// A batch of changed paths, as serve rebuilds it; when it built, the search index and
    /// related articles follow until nothing is left for them. `Err` is what the watcher
    /// reported.
    fn apply(&mut self, changed: &[PathBuf]) -> std::result::Result<(), String> {
        let staged = Staged::default();
        let rebuilt = self.rebuilder.rebuild(changed.to_vec(), &staged.sink());
        match rebuilt {
            Ok(rebuilt) => {
                self.serve(staged.take(), &rebuilt.removed);
                self.follow_up()
            }
            // What was staged is dropped; the outputs of deleted pages stop being served.
            Err(Failed { error, gone }) => {
                self.serve(Files::new(), &gone);
                Err(error.to_string())
            }
        }
    }

    fn follow_up(&mut self) -> std::result::Result<(), String> {
        for _ in 0..FOLLOW_UP_ROUNDS {
            let staged = Staged::default();
            let reindexed = self
                .rebuilder
                .reindex(&staged.sink(), &|| false)
                .map_err(|e| format!("search index: {e}"))?;
            self.serve(staged.take(), &reindexed.removed);
            let staged = Staged::default();
            let related = self
                .rebuilder
                .relate(&staged.sink())
                .map_err(|e| format!("related articles: {e}"))?;
            self.serve(staged.take(), &[]);
            let staged = Staged::default();
            let site_wide = self
                .rebuilder
                .render_site_wide(&staged.sink())
                .map_err(|e| format!("sitemap and hosting files: {e}"))?;
            self.serve(staged.take(), &[]);
            if reindexed.languages.is_empty()
                && related.languages.is_empty()
                && site_wide.rendered == 0
            {
                return Ok(());
            }
        }
        Err(format!(
            "the search index and related articles still change after {FOLLOW_UP_ROUNDS} rounds"
        ))
    }

    /// Serve's commit: the staged files, then the removals.
    fn serve(&mut self, staged: Files, removed: &[PathBuf]) {
        self.served.extend(staged);
        for path in removed {
            self.served.remove(&output_key(path));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sources on disk, and the edits.

/// The site's sources: each file's bytes, and the folders holding them (relative to the root).
#[derive(Clone, PartialEq)]
struct Snapshot {
    files: BTreeMap<PathBuf, Vec<u8>>,
    folders: BTreeSet<PathBuf>,
}

impl Snapshot {
    fn of(root: &Path) -> Snapshot {
        let mut snapshot = Snapshot {
            files: BTreeMap::new(),
            folders: BTreeSet::new(),
        };
        let mut paths: Vec<PathBuf> = SOURCES.iter().map(PathBuf::from).collect();
        while let Some(rel) = paths.pop() {
            let path = root.join(&rel);
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("read folder").flatten() {
                    paths.push(rel.join(entry.file_name()));
                }
                snapshot.folders.insert(rel);
            } else if path.is_file() {
                let bytes = std::fs::read(&path).expect("read source");
                snapshot.files.insert(rel, bytes);
            }
        }
        snapshot
    }

    /// The paths an edit from `self` to `after` changed, as serve's watcher names them: each
    /// file written, created or deleted, and a folder moved, created or deleted as a whole
    /// once, without the files in it (a folder renamed is two: where it was, where it is).
    fn changes(&self, after: &Snapshot) -> Vec<PathBuf> {
        let moved: BTreeSet<&PathBuf> = self.folders.symmetric_difference(&after.folders).collect();
        let in_moved = |path: &Path| {
            path.parent()
                .is_some_and(|p| moved.contains(&p.to_path_buf()))
        };
        let files = self.files.keys().chain(after.files.keys());
        let changed: BTreeSet<&PathBuf> = moved
            .iter()
            .copied()
            .chain(files.filter(|path| self.files.get(*path) != after.files.get(*path)))
            .filter(|path| !in_moved(path))
            .collect();
        changed.into_iter().cloned().collect()
    }

    /// Puts these sources back under `root`.
    fn restore(&self, root: &Path) {
        let now = Snapshot::of(root);
        for path in now.files.keys().filter(|p| !self.files.contains_key(*p)) {
            std::fs::remove_file(root.join(path)).expect("remove");
        }
        // Deepest first.
        for folder in now
            .folders
            .iter()
            .rev()
            .filter(|f| !self.folders.contains(*f))
        {
            std::fs::remove_dir(root.join(folder)).expect("remove folder");
        }
        for folder in &self.folders {
            std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        }
        for (path, bytes) in &self.files {
            if now.files.get(path) != Some(bytes) {
                std::fs::write(root.join(path), bytes).expect("write");
            }
        }
    }
}

/// A page split at its `+++` lines.
struct Page {
    front: String,
    body: String,
}

impl Page {
    fn parse(text: &str) -> Option<Page> {
        let rest = text.strip_prefix("+++\n")?;
        let (front, body) = match rest.strip_prefix("+++\n") {
            Some(body) => ("", body),
            None => {
                let end = rest.find("\n+++\n")?;
                (&rest[..=end], &rest[end + 5..])
            }
        };
        Some(Page {
            front: front.to_string(),
            body: body.to_string(),
        })
    }

    fn text(&self) -> String {
        format!("+++\n{}+++\n{}", self.front, self.body)
    }
}

fn is_page(path: &Path) -> bool {
    path.starts_with("content") && path.extension().is_some_and(|e| e == "md")
}

/// The language of a translation's file (`returns.pt.md`), `None` for the default language.
fn language_of(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    TRANSLATIONS
        .into_iter()
        .find(|lang| name.ends_with(&format!(".{lang}.md")))
}

/// `content/faq/orders.md` → `content/faq/orders.pt.md`.
fn translation_path(original: &Path, lang: &str) -> PathBuf {
    let stem = original.file_stem().expect("stem").to_string_lossy();
    original.with_file_name(format!("{stem}.{lang}.md"))
}

/// The table at `path` (`languages.pt.strings`) in `table`, made where it is missing; `None`
/// when something on the way is not a table.
fn table_at<'t>(table: &'t mut Table, path: &str) -> Option<&'t mut Table> {
    path.split('.').try_fold(table, |table, name| {
        let value = table
            .entry(name)
            .or_insert_with(|| Value::Table(Table::new()));
        value.as_table_mut()
    })
}

/// Makes random edits to the site under `root`.
struct Editor {
    root: PathBuf,
    rng: Rng,
    /// Folders moved out of `content/`: where they were, where they are.
    parked: Vec<(PathBuf, PathBuf)>,
    /// Numbers new names, so that they never clash with old ones.
    named: usize,
}

/// An edit: makes itself and says what it did, or `None` when it has nothing to work on.
type Edit = fn(&mut Editor) -> Option<String>;

/// The edits, with how often each is picked.
const EDITS: &[(u64, Edit)] = &[
    (8, Editor::edit_body),
    (14, Editor::set_front_matter),
    (3, Editor::remove_front_matter),
    (3, Editor::add_translation),
    (2, Editor::delete_translation),
    (2, Editor::add_page),
    (1, Editor::delete_page),
    (2, Editor::rename_page),
    (1, Editor::park_folder),
    (3, Editor::unpark_folder),
    (1, Editor::rename_folder),
    (5, Editor::edit_data),
    (4, Editor::edit_template),
    (3, Editor::edit_static),
    (5, Editor::edit_config),
];

impl Editor {
    /// Makes one random edit that changes the sources; returns what it did.
    fn edit(&mut self) -> String {
        let before = Snapshot::of(&self.root);
        let total: u64 = EDITS.iter().map(|(weight, _)| weight).sum();
        loop {
            let mut roll = self.below(total);
            let (_, edit) = EDITS
                .iter()
                .find(|(weight, _)| {
                    let found = roll < *weight;
                    roll = roll.saturating_sub(*weight);
                    found
                })
                .expect("an edit");
            if let Some(what) = edit(self) {
                if Snapshot::of(&self.root) != before {
                    return what;
                }
            }
        }
    }

    /// Puts `sources` back, with the folders moved out.
    fn restore(&mut self, sources: &Snapshot) {
        sources.restore(&self.root);
        if let Err(e) = std::fs::remove_dir_all(self.root.join(PARKED)) {
            assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{e}");
        }
        self.parked.clear();
    }

    fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n as usize) as u64
    }

    /// One time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        let index = self.below(items.len().max(1) as u64) as usize;
        items.get(index).cloned()
    }

    fn pick_word(&mut self, words: &'static str) -> &'static str {
        let words: Vec<&'static str> = words.split_whitespace().collect();
        self.pick(&words).expect("words")
    }

    fn word(&mut self) -> &'static str {
        self.pick_word(WORDS)
    }

    /// A name no file or folder had before.
    fn new_name(&mut self) -> String {
        self.named += 1;
        format!("{}-{}", self.word(), self.named)
    }

    fn title(&mut self) -> String {
        let (first, second) = (self.word(), self.word());
        format!("{}{} {second}", first[..1].to_uppercase(), &first[1..])
    }

    fn sentence(&mut self) -> String {
        let words: Vec<&str> = (0..3 + self.below(6)).map(|_| self.word()).collect();
        let text = words.join(" ");
        format!("{}{}.", text[..1].to_uppercase(), &text[1..])
    }

    fn date(&mut self) -> Value {
        let (year, month, day) = (2025 + self.below(3), 1 + self.below(12), 1 + self.below(28));
        let date = format!("{year}-{month:02}-{day:02}")
            .parse()
            .expect("a date");
        Value::Datetime(date)
    }

    /// Markdown files under `content/`.
    fn pages(&self) -> Vec<PathBuf> {
        let files = Snapshot::of(&self.root).files.into_keys();
        files.filter(|path| is_page(path)).collect()
    }

    /// Pages of the default language.
    fn originals(&self) -> Vec<PathBuf> {
        let pages = self.pages().into_iter();
        pages.filter(|path| language_of(path).is_none()).collect()
    }

    /// Folders under `content/`.
    fn content_folders(&self) -> Vec<PathBuf> {
        let folders = Snapshot::of(&self.root).folders.into_iter();
        let content = Path::new("content");
        folders
            .filter(|f| f.starts_with(content) && f != content)
            .collect()
    }

    fn exists(&self, path: &Path) -> bool {
        self.root.join(path).exists()
    }

    fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(self.root.join(path)).expect("read")
    }

    fn write(&self, path: &Path, text: impl AsRef<[u8]>) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn remove(&self, path: &Path) {
        std::fs::remove_file(self.root.join(path)).expect("remove");
    }

    fn rename(&self, from: &Path, to: &Path) {
        std::fs::rename(self.root.join(from), self.root.join(to)).expect("rename");
    }

    /// A TOML file's table: `None` when an edit left it invalid.
    fn read_toml(&self, path: &Path) -> Option<Table> {
        toml::from_str(&self.read(path)).ok()
    }

    fn write_toml(&self, path: &Path, table: &Table) {
        self.write(path, toml::to_string(table).expect("TOML"));
    }

    /// A page and its front matter, when that is valid TOML.
    fn front_matter(&self, path: &Path) -> Option<(Page, Table)> {
        let page = Page::parse(&self.read(path))?;
        let table = toml::from_str(&page.front).ok()?;
        Some((page, table))
    }

    fn write_front_matter(&self, path: &Path, mut page: Page, table: &Table) {
        page.front = toml::to_string(table).expect("TOML");
        self.write(path, page.text());
    }

    /// The target of a `@/` link: a page of the default language, sometimes one in a named
    /// language, or one that does not exist.
    fn link_target(&mut self) -> Option<String> {
        match self.below(12) {
            0 => Some("gone.md".to_string()),
            1 => Some("policies/returns.pt.md".to_string()),
            _ => {
                let page = self.pick(&self.originals())?;
                Some(output_key(page.strip_prefix("content").expect("content")))
            }
        }
    }

    /// Changes the text below the front matter, which stays byte for byte as it was.
    fn edit_body(&mut self) -> Option<String> {
        let path = self.pick(&self.pages())?;
        let mut page = Page::parse(&self.read(&path))?;
        let body = page.body.trim_end().to_string();
        let (what, body) = match self.below(7) {
            0 => {
                let question = format!("## {}?\n\n{}", self.title(), self.sentence());
                ("a question", format!("{body}\n\n{question}\n"))
            }
            1 => {
                let link = format!("See [{}](@/{}).", self.word(), self.link_target()?);
                ("a link", format!("{body}\n\n{link}\n"))
            }
            2 => {
                let fact = format!("{{{{ fact(key=\"{}\") }}}}", self.pick(FACTS)?);
                ("a fact", format!("{body}\n\nIt is {fact}.\n"))
            }
            3 => {
                let call = match self.below(3) {
                    0 => format!("{{{{ badge(text=\"{}\") }}}}", self.word()),
                    1 => format!(
                        "{{% note(title=\"{}\") %}}\n{}\n{{% end %}}",
                        self.title(),
                        self.sentence()
                    ),
                    _ => "{{ contact() }}".to_string(),
                };
                ("a shortcode", format!("{body}\n\n{call}\n"))
            }
            4 => ("new text", format!("{}\n", self.sentence())),
            5 => {
                let (kept, _) = body.rsplit_once("\n\n")?;
                ("the last paragraph gone", format!("{kept}\n"))
            }
            _ => ("a paragraph", format!("{body}\n\n{}\n", self.sentence())),
        };
        page.body = body;
        self.write(&path, page.text());
        Some(format!("body of {}: {what}", path.display()))
    }

    fn set_front_matter(&mut self) -> Option<String> {
        let path = self.pick(&self.pages())?;
        let (page, mut table) = self.front_matter(&path)?;
        let key = self.pick_word(FRONT_MATTER_KEYS);
        let value = self.front_matter_value(key);
        let what = format!("{}: {key} = {value}", path.display());
        table.insert(key.to_string(), value);
        self.write_front_matter(&path, page, &table);
        Some(what)
    }

    fn remove_front_matter(&mut self) -> Option<String> {
        let path = self.pick(&self.pages())?;
        let (page, mut table) = self.front_matter(&path)?;
        let keys: Vec<String> = table.keys().cloned().collect();
        let key = self.pick(&keys)?;
        table.remove(&key);
        self.write_front_matter(&path, page, &table);
        Some(format!("{}: no {key}", path.display()))
    }

    /// A value for a front matter key: mostly valid, sometimes not (an empty title, a day that
    /// is not in its month, a slug with a slash, an alias onto a page, a missing template, a
    /// product that overrides the shop's returns without a price).
    fn front_matter_value(&mut self, key: &str) -> Value {
        let text = |text: &str| Value::String(text.to_string());
        match key {
            "title" if self.one_in(25) => text(""),
            "title" => text(&self.title()),
            "description" => text(&self.sentence()),
            "date" | "updated" | "effective" | "review_by" if self.one_in(20) => text("2026-02-30"),
            "date" | "updated" | "effective" | "review_by" => self.date(),
            "weight" => Value::Integer(self.below(12) as i64 - 2),
            "draft" | "search" => Value::Boolean(self.one_in(2)),
            "slug" => text(self.pick_word("quick info orders returns page-2 a/b")),
            "aliases" if self.one_in(6) => Value::Array(vec![text("/faq/")]),
            "aliases" => Value::Array(vec![text(&format!("/old/{}/", self.word()))]),
            "kind" | "page_kind" => text(self.pick_word("article policy faq product")),
            "template" => text(self.pick_word("custom.html page.html faq.html missing.html")),
            "policy" => text(self.pick_word("returns shipping warranty")),
            "summary" if self.one_in(2) => text(&self.sentence()),
            "summary" => Value::Array(vec![text(&self.sentence()), text(&self.sentence())]),
            "changes" => Value::Array(
                (0..1 + self.below(3))
                    .map(|_| {
                        let mut change = Table::new();
                        change.insert("date".into(), self.date());
                        change.insert("text".into(), text(&self.sentence()));
                        Value::Table(change)
                    })
                    .collect(),
            ),
            "product" => {
                let mut product = Table::new();
                product.insert("name".into(), text(&self.title()));
                if self.one_in(10) {
                    product.insert("return_window_days".into(), Value::Integer(14));
                } else {
                    product.insert("sku".into(), text(&self.new_name()));
                    let mut price = Table::new();
                    price.insert("amount".into(), Value::Integer(5 + self.below(90) as i64));
                    price.insert("currency".into(), text("EUR"));
                    product.insert("price".into(), Value::Table(price));
                }
                Value::Table(product)
            }
            "source_hash" => text(&format!("{:016x}", self.rng.next())),
            _ => {
                let mut extra = Table::new();
                extra.insert("note".into(), text(&self.sentence()));
                Value::Table(extra)
            }
        }
    }

    /// A translation of a page of the default language: its front matter with the title
    /// translated (a translator keeps the original's facts and links half of the time), or,
    /// as `helpdeck translate` writes it, an untranslated copy stamped with the source's hash.
    fn add_translation(&mut self) -> Option<String> {
        let original = self.pick(&self.originals())?;
        let path = translation_path(&original, self.pick(&TRANSLATIONS)?);
        if self.exists(&path) {
            return None;
        }
        let (mut page, mut table) = self.front_matter(&original)?;
        if self.one_in(4) {
            let hash = helpdeck::translations::source_hash(&page.body);
            table.insert("source_hash".into(), Value::String(hash));
            self.write_front_matter(&path, page, &table);
            return Some(format!("{} added, a copy of its source", path.display()));
        }
        let title = table.get("title").and_then(Value::as_str).unwrap_or("Page");
        let title = format!("{title} (traduzido)");
        table.insert("title".into(), Value::String(title));
        table.remove("aliases");
        if self.one_in(2) {
            page.body = format!("Tradução. {}\n", self.sentence());
        }
        self.write_front_matter(&path, page, &table);
        Some(format!("{} added", path.display()))
    }

    fn delete_translation(&mut self) -> Option<String> {
        let pages = self.pages().into_iter();
        let translations: Vec<PathBuf> = pages.filter(|p| language_of(p).is_some()).collect();
        let path = self.pick(&translations)?;
        self.remove(&path);
        Some(format!("{} deleted", path.display()))
    }

    fn add_page(&mut self) -> Option<String> {
        let mut folders = self.content_folders();
        folders.push(PathBuf::from("content"));
        let folder = self.pick(&folders)?;
        let path = folder.join(format!("{}.md", self.new_name()));
        let mut front = format!("title = \"{}\"\n", self.title());
        if self.one_in(2) {
            front.push_str(&format!("weight = {}\n", self.below(5)));
        }
        // Pages in policies/ are policies, which need it.
        if !self.one_in(4) {
            front.push_str("updated = 2026-06-01\n");
        }
        let (intro, question, answer) = (self.sentence(), self.title(), self.sentence());
        let body = format!("{intro}\n\n## {question}?\n\n{answer}\n");
        self.write(&path, Page { front, body }.text());
        Some(format!("{} added", path.display()))
    }

    fn delete_page(&mut self) -> Option<String> {
        let path = self.pick(&self.pages())?;
        self.remove(&path);
        Some(format!("{} deleted", path.display()))
    }

    /// Renames a page of the default language, with its translations one time in two.
    fn rename_page(&mut self) -> Option<String> {
        let originals = self.originals().into_iter();
        let pages: Vec<PathBuf> = originals.filter(|p| !p.ends_with("_index.md")).collect();
        let path = self.pick(&pages)?;
        let renamed = path.with_file_name(format!("{}.md", self.new_name()));
        self.rename(&path, &renamed);
        if self.one_in(2) {
            return Some(format!(
                "{} renamed to {}",
                path.display(),
                renamed.display()
            ));
        }
        for lang in TRANSLATIONS {
            let translation = translation_path(&path, lang);
            if self.exists(&translation) {
                self.rename(&translation, &translation_path(&renamed, lang));
            }
        }
        let (from, to) = (path.display(), renamed.display());
        Some(format!("{from} renamed to {to} with its translations"))
    }

    fn park_folder(&mut self) -> Option<String> {
        let folder = self.pick(&self.content_folders())?;
        let parked = Path::new(PARKED).join(self.new_name());
        std::fs::create_dir_all(self.root.join(PARKED)).expect("mkdir");
        self.rename(&folder, &parked);
        self.parked.push((folder.clone(), parked));
        Some(format!("{} moved out of content/", folder.display()))
    }

    fn unpark_folder(&mut self) -> Option<String> {
        let index = self.below(self.parked.len().max(1) as u64) as usize;
        let (folder, parked) = self.parked.get(index)?.clone();
        let parent = folder.parent().expect("parent");
        if self.exists(&folder) || !self.exists(parent) {
            return None;
        }
        self.rename(&parked, &folder);
        self.parked.remove(index);
        Some(format!("{} moved back into content/", folder.display()))
    }

    fn rename_folder(&mut self) -> Option<String> {
        let folder = self.pick(&self.content_folders())?;
        let renamed = folder.with_file_name(self.new_name());
        self.rename(&folder, &renamed);
        Some(format!(
            "{} renamed to {}",
            folder.display(),
            renamed.display()
        ))
    }

    /// A value in a data file, removed one time in ten (a fact then has nothing to insert), or
    /// a data file added or deleted.
    fn edit_data(&mut self) -> Option<String> {
        let promo = Path::new("data/promo.toml");
        if self.one_in(8) && self.exists(promo) {
            self.remove(promo);
            return Some("data/promo.toml deleted".to_string());
        }
        if self.one_in(8) {
            let code = self.new_name();
            self.write(promo, format!("code = \"{code}\"\n"));
            return Some(format!("data/promo.toml: code = {code}"));
        }
        let (file, key, kind) = self.pick(DATA_KEYS)?;
        let value = match kind {
            _ if self.one_in(10) => None,
            // Not a number of days, which structured data requires of the return window.
            DataValue::Days if self.one_in(10) => Some(Value::String("soon".into())),
            DataValue::Days => Some(Value::Integer(self.below(60) as i64)),
            DataValue::Range => {
                let min = 1 + self.below(4);
                Some(Value::String(format!("{min}–{}", min + self.below(4))))
            }
            DataValue::Text => Some(Value::String(self.title())),
            DataValue::Date => Some(self.date()),
        };
        let mut data = self.read_toml(Path::new(file))?;
        let (tables, name) = key.rsplit_once('.').unwrap_or(("", key));
        let table = match tables {
            "" => &mut data,
            tables => table_at(&mut data, tables)?,
        };
        let what = match &value {
            Some(value) => format!("{file}: {key} = {value}"),
            None => format!("{file}: no {key}"),
        };
        match value {
            Some(value) => table.insert(name.to_string(), value),
            None => table.remove(name),
        };
        self.write_toml(Path::new(file), &data);
        Some(what)
    }

    /// A template of the site rewritten with another word, made invalid, or deleted (the
    /// theme's footer comes back; the others are then missing).
    fn edit_template(&mut self) -> Option<String> {
        let (file, text) = self.pick(TEMPLATES)?;
        let path = Path::new(file);
        match self.below(10) {
            0 => {
                self.write(path, "{% if %}broken");
                Some(format!("{file} broken"))
            }
            1 if self.exists(path) => {
                self.remove(path);
                Some(format!("{file} deleted"))
            }
            _ => {
                let word = self.word();
                self.write(path, text.replace("MARK", word));
                Some(format!("{file} says {word}"))
            }
        }
    }

    /// Adds, changes or deletes a file of `static/` or one beside the pages.
    fn edit_static(&mut self) -> Option<String> {
        let files = Snapshot::of(&self.root).files.into_keys();
        let files: Vec<PathBuf> = files
            .filter(|p| p.starts_with("static") || (p.starts_with("content") && !is_page(p)))
            .collect();
        match self.below(3) {
            0 => {
                let path = Path::new("static/files").join(format!("{}.txt", self.new_name()));
                let text = self.sentence();
                self.write(&path, text);
                Some(format!("{} added", path.display()))
            }
            1 => {
                let path = self.pick(&files)?;
                let mut bytes = std::fs::read(self.root.join(&path)).expect("read");
                bytes.extend(format!("{}\n", self.word()).as_bytes());
                self.write(&path, bytes);
                Some(format!("{} changed", path.display()))
            }
            _ => {
                let path = self.pick(&files)?;
                self.remove(&path);
                Some(format!("{} deleted", path.display()))
            }
        }
    }

    /// A UI string, a language's settings, the third language removed or added back, or
    /// settings every page shows.
    fn edit_config(&mut self) -> Option<String> {
        let path = Path::new("helpdeck.toml");
        let mut config = self.read_toml(path)?;
        let languages: Vec<String> = table_at(&mut config, "languages")?
            .keys()
            .cloned()
            .collect();
        let lang = self.pick(&languages)?;
        let title = self.title();
        let what = match self.below(8) {
            0 => {
                let key =
                    self.pick_word("contact_us related_articles last_updated fallback_notice home");
                let strings = table_at(&mut config, &format!("languages.{lang}.strings"))?;
                match self.one_in(3) {
                    true => {
                        strings.remove(key);
                        format!("UI string {key} of {lang} as the theme has it")
                    }
                    false => {
                        strings.insert(key.to_string(), Value::String(title.clone()));
                        format!("UI string {key} of {lang} = {title}")
                    }
                }
            }
            1 => {
                let setting = self.pick_word("title description name direction");
                let value = match setting {
                    "direction" => self.pick_word("rtl ltr").to_string(),
                    _ => title,
                };
                let language = table_at(&mut config, &format!("languages.{lang}"))?;
                match self.one_in(3) {
                    true => {
                        language.remove(setting);
                        format!("languages.{lang}: no {setting}")
                    }
                    false => {
                        let what = format!("languages.{lang}: {setting} = {value}");
                        language.insert(setting.to_string(), Value::String(value));
                        what
                    }
                }
            }
            2 => {
                let languages = table_at(&mut config, "languages")?;
                match languages.remove("pt-BR") {
                    Some(_) => "languages: no pt-BR".to_string(),
                    None => {
                        let what = format!("languages: pt-BR with title = {title}");
                        let mut language = Table::new();
                        language.insert("title".into(), Value::String(title));
                        languages.insert("pt-BR".into(), Value::Table(language));
                        what
                    }
                }
            }
            3 => {
                let key =
                    self.pick_word("title description extra.tagline shop.name shop.legal_name");
                let (tables, name) = key.rsplit_once('.').unwrap_or(("", key));
                let table = match tables {
                    "" => &mut config,
                    tables => table_at(&mut config, tables)?,
                };
                table.insert(name.to_string(), Value::String(title.clone()));
                format!("{key} = {title}")
            }
            4 => {
                let contact = table_at(&mut config, "contact")?;
                let email = format!("{}@fixture.example", self.word());
                let hours = 1 + self.below(48) as i64;
                contact.insert("email".into(), Value::String(email.clone()));
                contact.insert("reply_hours".into(), Value::Integer(hours));
                format!("contact: email = {email}, reply_hours = {hours}")
            }
            5 => {
                let url =
                    self.pick_word("https://help.fixture.example https://fixture.example/help");
                config.insert("base_url".into(), Value::String(url.to_string()));
                format!("base_url = {url}")
            }
            6 => {
                let on = self.one_in(2);
                config.insert("minify".into(), Value::Boolean(on));
                format!("minify = {on}")
            }
            _ => {
                let on = self.one_in(2);
                let markdown = table_at(&mut config, "markdown")?;
                markdown.insert("smart_punctuation".into(), Value::Boolean(on));
                format!("markdown.smart_punctuation = {on}")
            }
        };
        self.write_toml(path, &config);
        Some(format!("helpdeck.toml: {what}"))
    }
}

// ---------------------------------------------------------------------------------------------
// The test.

/// How one edit went.
struct Step {
    number: u64,
    what: String,
    changed: Vec<PathBuf>,
    /// Whether a fresh build of the sources succeeded.
    valid: bool,
}

#[test]
fn watch_mode_serves_what_a_fresh_build_writes_after_every_edit() {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = env("HELPDECK_INCREMENTAL_SEED").unwrap_or(DEFAULT_SEED);
    let edits = env("HELPDECK_INCREMENTAL_EDITS").unwrap_or(DEFAULT_EDITS);
    let keep_going = std::env::var_os("HELPDECK_INCREMENTAL_KEEP_GOING").is_some();
    // SAFETY: this is the test binary's only test, and no other thread has started yet.
    unsafe { std::env::set_var("SOURCE_DATE_EPOCH", BUILD_MOMENT) };

    let site = Site::new(FIXTURE);
    site.write("helpdeck.toml", CONFIG);
    for (path, text) in TEMPLATES {
        site.write(path, text.replace("MARK", "first"));
    }
    let root = site.root().to_path_buf();
    let mut watch = Watch::start(&root).unwrap_or_else(|e| panic!("the fixture fails: {e}"));
    let mut editor = Editor {
        root: root.clone(),
        rng: Rng::mixed(seed.wrapping_add(GOLDEN)),
        parked: Vec::new(),
        named: 0,
    };
    let mut valid_sources = Snapshot::of(&root);
    let mut broken_for = 0;
    let mut steps: Vec<Step> = Vec::new();
    let mut failures = 0;
    let started = Instant::now();
    for number in 1..=edits {
        let before = Snapshot::of(&root);
        let what = if broken_for >= BROKEN_AT_MOST || (broken_for > 0 && editor.one_in(2)) {
            editor.restore(&valid_sources);
            "the last valid sources back".to_string()
        } else {
            editor.edit()
        };
        let after = Snapshot::of(&root);
        let changed = before.changes(&after);
        let watched = watch.apply(&changed);
        let fresh = Watch::start(&root).map(|fresh| fresh.served);
        steps.push(Step {
            number,
            what,
            changed,
            valid: fresh.is_ok(),
        });
        let problem = match (fresh, watched) {
            (Ok(fresh), Ok(())) => {
                valid_sources = after;
                broken_for = 0;
                difference(&watch.served, &fresh)
            }
            (Err(_), Err(_)) => {
                broken_for += 1;
                None
            }
            (Err(error), Ok(())) => Some(format!(
                "the watcher built sources a fresh build rejects:\n{error}"
            )),
            (Ok(_), Err(error)) => Some(format!(
                "the watcher failed where a fresh build succeeds:\n{error}"
            )),
        };
        if let Some(problem) = problem {
            let report = failure_report(seed, &steps, &site, &problem);
            assert!(keep_going, "{report}");
            eprintln!("{report}");
            failures += 1;
            if let Ok(fresh) = Watch::start(&root) {
                watch = fresh;
            }
        }
    }
    let invalid = steps.iter().filter(|s| !s.valid).count();
    eprintln!(
        "incremental: {edits} edits from seed {seed} in {:.1} s, {invalid} of them leaving the \
         site invalid, {failures} differing",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(failures, 0, "edits after which the watcher differed");
}

/// The outputs that differ between the watcher's files and a fresh build's, with the text
/// around the first difference of the first few; `None` when they are the same.
fn difference(watched: &Files, fresh: &Files) -> Option<String> {
    let only = |a: &Files, b: &Files| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    let both: Vec<String> = fresh
        .iter()
        .filter(|(path, bytes)| watched.get(*path).is_some_and(|w| w != *bytes))
        .map(|(path, _)| path.clone())
        .collect();
    let lists = [
        ("only the watcher has", only(watched, fresh)),
        ("only the fresh build has", only(fresh, watched)),
        ("different bytes", both.clone()),
    ];
    if lists.iter().all(|(_, paths)| paths.is_empty()) {
        return None;
    }
    let mut report = String::from("the watcher's files differ from a fresh build's\n");
    for (what, paths) in lists.iter().filter(|(_, paths)| !paths.is_empty()) {
        let shown: Vec<&str> = paths.iter().take(10).map(String::as_str).collect();
        report.push_str(&format!("{what} ({}): {}\n", paths.len(), shown.join(", ")));
    }
    for path in both.iter().take(3) {
        let (watched, fresh) = (readable(path, &watched[path]), readable(path, &fresh[path]));
        let same = watched.chars().zip(fresh.chars());
        let at = same.take_while(|(a, b)| a == b).count();
        let around = |text: &str| -> String {
            let start = at.saturating_sub(80);
            text.chars().skip(start).take(240).collect()
        };
        report.push_str(&format!(
            "{path}, from character {at}:\n  watcher: {:?}\n  fresh:   {:?}\n",
            around(&watched),
            around(&fresh)
        ));
    }
    Some(report)
}

/// An output as text: a gzipped search index file unzipped.
fn readable(path: &str, bytes: &[u8]) -> String {
    let mut text = String::new();
    let unzipped = path.ends_with(".gz")
        && flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .is_ok();
    match unzipped {
        true => text,
        false => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// What went wrong after the last of `steps`, how to replay it, and the edits before it; keeps
/// a copy of the sources.
fn failure_report(seed: u64, steps: &[Step], site: &Site, problem: &str) -> String {
    let last = steps.last().expect("a step");
    let kept = std::env::temp_dir().join(format!("helpdeck-incremental-{seed}-{}", last.number));
    // A copy from an earlier run may be there.
    let _ = std::fs::remove_dir_all(&kept);
    common::copy_tree(site.root(), &kept);
    let mut report = format!(
        "seed {seed}, edit {}: {}\nchanged: {:?}\n{problem}\nreplay with \
         HELPDECK_INCREMENTAL_SEED={seed} HELPDECK_INCREMENTAL_EDITS={} cargo test --test incremental\n\
         sources kept in {}\nthe edits before it:\n",
        last.number,
        last.what,
        last.changed,
        last.number,
        kept.display()
    );
    for step in steps.iter().rev().skip(1).take(8).rev() {
        let invalid = if step.valid { "" } else { " (invalid)" };
        report.push_str(&format!("  {}: {}{invalid}\n", step.number, step.what));
    }
    report
}
