//! The browser's tokenizer (`themes/default/static/search.js`, run here with node) and the
//! build's (`src/text/tokenize.rs`) must turn the same text into the same terms at the same
//! places, or a query would miss what the index holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use helpdeck::text::tokenize::{Mode, fold_unspaced, tokenize};

const SAMPLES: &[&str] = &[
    "Wysyłka GRĄŽINIMAS straße Ørsted Đakovo Þingvellir Æsir œuvre",
    "Don’t e.g. 12:30 e-mail rock'n'roll",
    "abc''def a'1 1'2 'quoted' e.g. foo_bar 3.5 x--y can't 1990's O'Brien (see: #42) [x]",
    "售後服務 和 退货政策，運費多少？",
    "iPhone15的保護殼 USB-C充電線",
    "カタカナとひらがな、漢字。ｶﾀｶﾅ",
    "배송비는 얼마인가요? 반품 정책",
    "ภาษาไทยไม่มีช่องว่าง ລາວ ខ្មែរ မြန်မာ",
    "Ελληνικά ΣΟΦΟΣ σοφός Ὀδυσσεύς",
    "İstanbul'da ıslak ŞEHİR",
    "ﬁnancial ＡＢＣ１２３ ½ x² ℌ",
    "naïve café coöperate e\u{301}cole",
    "الشحن والإرجاع خلال ٣٠ يومًا",
    "हिन्दी में खोज",
    "📦 shipping 🚚 — 5,90 EUR, 1–3 days; 100 %",
    "https://shop.example/returns?x=1 user@example.com",
    "Tiếng Việt đổi trả ĐƠN HÀNG",
    "Доставка и возврат Ёлка Їжак",
    "שלום עולם",
    "a\u{200b}b soft\u{ad}hyphen tab\tand\nnewline",
    "𠀋𡈽 extension B 𪚲",
    "",
    "   ",
];

#[derive(Debug, PartialEq)]
struct Term {
    term: String,
    start: usize,
    end: usize,
    unspaced: bool,
}

/// Rust's terms, with offsets in UTF-16 code units as JavaScript counts them.
fn rust_terms(text: &str, mode: Mode) -> Vec<Term> {
    let mut utf16 = vec![0; text.len() + 1];
    for (byte, c) in text.char_indices() {
        utf16[byte + c.len_utf8()] = utf16[byte] + c.len_utf16();
    }
    let utf16_at = |byte: usize| utf16[byte];
    tokenize(text, mode)
        .into_iter()
        .map(|t| Term {
            start: utf16_at(t.start),
            end: utf16_at(t.end),
            term: t.term,
            unspaced: t.unspaced,
        })
        .collect()
}

fn js_terms(texts: &[String], query: bool) -> Vec<Vec<Term>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let variants: BTreeMap<String, String> = texts
        .iter()
        .flat_map(|t| t.chars())
        .filter(|&c| fold_unspaced(c) != c)
        .map(|c| (c.to_string(), fold_unspaced(c).to_string()))
        .collect();
    let program = format!(
        "const {{ tokenize }} = await import({url});
         const chunks = [];
         for await (const chunk of process.stdin) chunks.push(chunk);
         const [texts, variants] = JSON.parse(Buffer.concat(chunks).toString());
         console.log(JSON.stringify(texts.map((t) => tokenize(t, {query}, variants))));",
        url = serde_json::to_string(&format!("file://{}", script.display())).unwrap(),
    );
    let mut node = Command::new("node")
        .args(["--input-type=module", "-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js 20 or later)");
    let input = serde_json::to_vec(&(texts, &variants)).unwrap();
    node.stdin.take().unwrap().write_all(&input).unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Vec<Vec<serde_json::Value>> = serde_json::from_slice(&output.stdout).unwrap();
    parsed
        .into_iter()
        .map(|tokens| {
            tokens
                .into_iter()
                .map(|t| Term {
                    term: t["term"].as_str().unwrap().to_string(),
                    start: t["start"].as_u64().unwrap() as usize,
                    end: t["end"].as_u64().unwrap() as usize,
                    unspaced: t["unspaced"].as_bool().unwrap(),
                })
                .collect()
        })
        .collect()
}

fn assert_same(texts: &[String]) {
    for (mode, query) in [(Mode::Index, false), (Mode::Query, true)] {
        let js = js_terms(texts, query);
        for (text, js) in texts.iter().zip(js) {
            let rust = rust_terms(text, mode);
            if rust != js {
                let first = rust
                    .iter()
                    .zip(&js)
                    .position(|(a, b)| a != b)
                    .unwrap_or(rust.len().min(js.len()));
                panic!(
                    "{mode:?} terms differ for {text:?} at term {first}:\n  rust: {:?}\n  js:   {:?}",
                    rust.get(first),
                    js.get(first)
                );
            }
        }
    }
}

#[test]
fn rust_and_javascript_agree_on_multilingual_samples() {
    let texts: Vec<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
    assert_same(&texts);
    // The samples exercise what they claim to.
    let terms = |text: &str| -> Vec<String> {
        rust_terms(text, Mode::Query)
            .into_iter()
            .map(|t| t.term)
            .collect()
    };
    assert_eq!(terms("Wysyłka Grąžinimas"), ["wysylka", "grazinimas"]);
    assert_eq!(terms("售後"), terms("售后"));
    assert_eq!(terms("STRASSE"), terms("Straße"));
}

#[test]
fn rust_and_javascript_agree_on_every_demo_page() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            texts.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    assert!(texts.len() >= 90, "the demo has all its pages");
    assert_same(&texts);
}
