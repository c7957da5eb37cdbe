//! Where one sentence ends and the next begins, in the language it is written in: the search
//! index's plain text (and its snippets) joins key facts, list items and paragraphs as a
//! reader of that language would, not with bare spaces.

/// The language's full stop and what follows it before the next sentence: scripts written
/// without spaces between words need none after their full stop.
pub fn full_stop(lang: &str) -> &'static str {
    match primary(lang) {
        "zh" | "ja" | "yue" => "。",
        "hi" | "mr" | "ne" | "bn" | "pa" | "sa" => "। ",
        "ur" => "۔ ",
        "hy" => "։ ",
        "am" | "ti" => "። ",
        "my" => "။",
        "th" | "lo" | "km" => " ",
        _ => ". ",
    }
}

fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// Whether `text` already ends a sentence (or a clause that may stand for one), closing
/// quotes and brackets aside.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(is_closing)
        .ends_with(|c: char| {
            matches!(
                c,
                '.' | '!'
                    | '?'
                    | ':'
                    | ';'
                    | '…'
                    | '。'
                    | '！'
                    | '？'
                    | '：'
                    | '；'
                    | '։'
                    | '۔'
                    | '؟'
                    | '।'
                    | '॥'
                    | '።'
                    | '။'
                    | '෴'
                    | '‼'
                    | '⁇'
                    | '⁈'
                    | '⁉'
            )
        })
}

/// Closing quotes and brackets, which belong to the sentence before them.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '"'
            | '\''
            | '»'
            | '›'
            | '”'
            | '’'
            | '」'
            | '』'
            | '）'
            | '】'
            | '》'
            | '〉'
    )
}

/// Whether `text` starts with punctuation that is written straight after the word before it
/// ("policy." not "policy ."): no space goes before it.
pub fn starts_attached(text: &str) -> bool {
    text.starts_with(|c: char| {
        is_closing(c)
            || matches!(
                c,
                '.' | ','
                    | '!'
                    | '?'
                    | ':'
                    | ';'
                    | '…'
                    | '。'
                    | '，'
                    | '、'
                    | '！'
                    | '？'
                    | '：'
                    | '；'
                    | '։'
                    | '۔'
                    | '؟'
                    | '،'
                    | '؛'
                    | '।'
                    | '॥'
                    | '።'
                    | '፣'
                    | '။'
                    | '၊'
            )
    })
}

/// Pushes `sentence` after `out`, ending the sentence before it with the language's full stop
/// when it has no ending of its own.
pub fn push_sentence(out: &mut String, sentence: &str, lang: &str) {
    end_sentence(out, lang);
    out.push_str(sentence.trim());
}

/// Ends the text in `out` as a sentence, ready for the next one: its own ending kept (with a
/// space after it unless the language writes none), or the language's full stop added.
pub fn end_sentence(out: &mut String, lang: &str) {
    let kept = out.trim_end().len();
    out.truncate(kept);
    if out.is_empty() {
        return;
    }
    let stop = full_stop(lang);
    if !ends_sentence(out) {
        out.push_str(stop);
    } else if stop.ends_with(' ') || stop == " " {
        out.push(' ');
    }
}

/// Key facts and other lists of short statements as one run of text.
pub fn join(items: &[String], lang: &str) -> String {
    let mut out = String::new();
    for item in items {
        push_sentence(&mut out, item, lang);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn items_are_joined_as_sentences_of_their_language() {
        let items = facts(&[
            "30 days to return",
            "Free return label.",
            "Refund in 14 days",
        ]);
        assert_eq!(
            join(&items, "en"),
            "30 days to return. Free return label. Refund in 14 days"
        );
        let items = facts(&["30 天內退貨", "免費退貨標籤。", "14 天內退款"]);
        assert_eq!(
            join(&items, "zh-Hant"),
            "30 天內退貨。免費退貨標籤。14 天內退款"
        );
        let items = facts(&["Grąžinimas per 30 dienų?", "Nemokama etiketė"]);
        assert_eq!(
            join(&items, "lt"),
            "Grąžinimas per 30 dienų? Nemokama etiketė"
        );
        let items = facts(&["ส่งฟรี", "คืนได้ 30 วัน"]);
        assert_eq!(join(&items, "th"), "ส่งฟรี คืนได้ 30 วัน");
    }

    #[test]
    fn closing_quotes_after_a_full_stop_end_the_sentence() {
        assert!(ends_sentence("He said “yes.”"));
        assert!(ends_sentence("（見退貨政策。）"));
        assert!(!ends_sentence("the “returns” page"));
    }

    #[test]
    fn punctuation_attached_to_the_word_before_it_is_found() {
        for text in [".", ", then", "。下一", "）", "، ثم"] {
            assert!(starts_attached(text), "{text}");
        }
        for text in ["and", "(see", "“quoted”", "¿Qué?", "— dash"] {
            assert!(!starts_attached(text), "{text}");
        }
    }
}
