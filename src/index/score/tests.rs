use std::collections::BTreeSet;

use super::*;

#[test]
fn short_codes_are_unique_to_their_text() {
    let texts = [
        "a",
        "ab",
        "ba",
        "退",
        "退货",
        "货退",
        "é",
        "\u{FFFF}\u{FFFF}",
        "\u{1}",
    ];
    let codes: BTreeSet<u32> = texts.iter().map(|t| short_code(t).unwrap()).collect();
    assert_eq!(codes.len(), texts.len());
    for longer in ["abc", "退货政", "𠀋", "a𠀋", "", "\0", "a\0", "\0a"] {
        assert_eq!(short_code(longer), None, "{longer:?}");
    }
}

#[test]
fn a_pairs_text_is_read_back_from_its_code() {
    for text in ["ab", "退货", "\u{FFFF}\u{FFFF}", "é", "退"] {
        assert_eq!(text_of_code(short_code(text).unwrap()), text);
    }
}

type Terms<'a> = &'a [(&'a str, f32, bool)];
/// A key's text, df and postings.
type Scored = (String, usize, Vec<(u32, u16)>);

/// Each run's entries (number, terms) gathered, the runs merged: each key's text, df and
/// postings, by text. `numbered[run]` keys are numbered up front, as synonyms are.
fn gathered(runs: &[&[(u32, Terms<'_>)]], numbered: &[&[&str]]) -> Vec<Scored> {
    let merged = runs
        .iter()
        .enumerate()
        .map(|(run, entries)| {
            let mut gathered = Gathered::new(false);
            for text in numbered.get(run).copied().unwrap_or_default() {
                gathered.key(text);
            }
            for &(entry, terms) in entries.iter() {
                for &(text, weight, named) in terms {
                    let key = gathered.word(text, |w| w.into());
                    gathered.count(key, weight, named);
                }
                gathered.finish_entry(entry);
            }
            gathered
        })
        .reduce(Gathered::merge)
        .unwrap();
    let mut keys: Vec<_> = merged
        .postings()
        .into_iter()
        .map(|k| (k.key, k.df, k.postings))
        .collect();
    keys.sort();
    keys
}

#[test]
fn pairs_are_scored_as_numbered_keys_are() {
    let first: Terms<'_> = &[
        ("退货", 1.0, false),
        ("退", 1.0, false),
        ("退货", 2.0, true),
        ("of", 1.0, false),
    ];
    let second: Terms<'_> = &[
        ("货", 1.0, false),
        ("退货", 1.0, false),
        ("运费", 1.0, false),
    ];
    let third: Terms<'_> = &[
        ("of", 1.0, false),
        ("运费", 3.0, true),
        ("运费", 1.0, false),
    ];
    let one_run = gathered(&[&[(0, first), (1, second), (2, third)]], &[]);
    let two_runs = gathered(&[&[(0, first), (1, second)], &[(2, third)]], &[]);
    let numbered = gathered(
        &[&[(0, first), (1, second), (2, third)]],
        &[&["退货", "of", "运费"]],
    );
    assert_eq!(one_run, two_runs);
    assert_eq!(one_run, numbered);
    // An entry's occurrences of a pair are one posting, named if any was.
    let (_, df, postings) = one_run.iter().find(|k| k.0 == "退货").unwrap();
    assert_eq!(*df, 2);
    assert_eq!(postings.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
    assert_eq!((postings[0].1 % 2, postings[1].1 % 2), (1, 0));
    // A pair one run numbered (as a synonym) and another counted as a pair is one key.
    let mixed = gathered(&[&[(0, first), (1, second)], &[(2, third)]], &[&["运费"]]);
    assert_eq!(one_run, mixed);
    assert_eq!(
        one_run
            .iter()
            .filter(|k| k.0 == "运费")
            .map(|k| k.1)
            .collect::<Vec<_>>(),
        [2]
    );
    // Counted as pairs unless numbered.
    let mut gathered = Gathered::new(false);
    assert!(matches!(gathered.word("退货", |w| w.into()), Key::Pair(_)));
    let id = gathered.key("退货");
    assert_eq!(gathered.word("退货", |w| w.into()), Key::Id(id));
}

#[test]
fn a_pairs_surface_forms_are_kept_from_every_run() {
    let run = |words: &[&str]| {
        let mut gathered = Gathered::new(true);
        for word in words {
            let key = gathered.word(word, |w| w[..2].to_string().into());
            assert!(matches!(key, Key::Pair(_)));
            gathered.count(key, 1.0, false);
        }
        gathered.finish_entry(0);
        gathered
    };
    let keys = run(&["abs"]).merge(run(&["abz", "abs", "ab"])).postings();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key, "ab");
    assert_eq!(keys[0].forms, ["abs", "abz"]);
}

#[test]
fn utf16_order_matches_encoding_to_utf16() {
    let words = [
        "a",
        "ab",
        "b",
        "ż",
        "退货",
        "\u{E000}x",
        "\u{FFFD}",
        "𠀋",
        "𠀋a",
        "z",
        "",
    ];
    for a in words {
        for b in words {
            assert_eq!(
                utf16_order(a, b),
                a.encode_utf16().cmp(b.encode_utf16()),
                "{a:?} vs {b:?}"
            );
            // The index sorts by plain byte order when nothing is beyond U+FFFF.
            let within_bmp = !format!("{a}{b}").chars().any(|c| c > '\u{FFFF}');
            assert_eq!(
                in_byte_order(a) && in_byte_order(b),
                within_bmp,
                "{a:?} {b:?}"
            );
            if within_bmp {
                assert_eq!(a.cmp(b), utf16_order(a, b), "{a:?} vs {b:?}");
            }
        }
    }
}
