use super::*;

fn terms(text: &str, mode: Mode) -> Vec<String> {
    tokenize(text, mode).into_iter().map(|t| t.term).collect()
}

#[test]
fn folds_diacritics_and_letters_that_do_not_decompose() {
    assert_eq!(
        terms("Wysyłka GRĄŽINIMAS straße Ørsted Đakovo", Mode::Index),
        ["wysylka", "grazinimas", "strasse", "orsted", "dakovo"]
    );
}

#[test]
fn latin_text_splits_as_uax29_would() {
    for text in [
        "abc''def a'1 1'2 'quoted' rock'n'roll e.g. foo_bar 3.5 x--y",
        "can't won't 1990's O'Brien",
        "'lead trail' x' 'y a'b'c 1'a'2 A''B Ab1'2 'a' WORD's ' '' e'",
        "Grąžinimas’ž d’Artagnan l’été ÀÉÎÕÜ żółć 3’4 a’’b",
    ] {
        let quick: Vec<String> = terms(text, Mode::Index);
        let mut uax: Vec<String> = Vec::new();
        for segment in text.unicode_words() {
            for (_, piece, _) in pieces(segment) {
                uax.push(fold(piece));
            }
        }
        uax.retain(|t| !t.is_empty());
        assert_eq!(quick, uax, "{text}");
        let with_offsets: Vec<(String, usize, usize)> = tokenize(text, Mode::Index)
            .into_iter()
            .map(|t| (t.term, t.start, t.end))
            .collect();
        assert_eq!(with_offsets, general_terms(text, Mode::Index), "{text}");
    }
}

/// Every chunk through UAX #29, as if the quick paths did not exist.
fn general_terms(text: &str, mode: Mode) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut emit = |term: &str, start, end, _| out.push((term.to_string(), start, end));
    let mut run = Run::new(mode);
    let mut folded = String::new();
    for chunk in text.split_ascii_whitespace() {
        let chunk_start = chunk.as_ptr() as usize - text.as_ptr() as usize;
        run.flush(&mut emit);
        uax29_words(chunk, chunk_start, &mut run, &mut folded, &mut emit);
    }
    run.flush(&mut emit);
    out
}

#[test]
fn chinese_text_splits_as_uax29_would() {
    for text in [
        "退货政策：收到商品后30天内可申请退货。",
        "iPhone退货，請聯繫客服（週一至週五）「售後服務」",
        "运费¥50以上免运费，3–5个工作日送达…a，b 1，000 x：y don't退's",
        "全角ＡＢＣ１２３和半角abc混排，「引号」、《书名》！？",
        "退\u{301}货 〇〇 々 テスト 한국어 ไทย 㐀𠀋\u{FA6E}",
        "，。、 ：a； b＿c 退_货 a'退 退'a 1.5倍 e.g.退",
    ] {
        for mode in [Mode::Index, Mode::Query] {
            let quick: Vec<(String, usize, usize)> = tokenize(text, mode)
                .into_iter()
                .map(|t| (t.term, t.start, t.end))
                .collect();
            assert_eq!(quick, general_terms(text, mode), "{text} {mode:?}");
        }
    }
}

#[test]
fn chunks_end_at_white_space_eight_bytes_at_a_time_as_one_at_a_time() {
    let pieces = [
        "a",
        "word",
        "longerthaneightbytes",
        " ",
        "\t",
        "\n",
        "\r",
        "\x0c",
        "\x0b",
        "\u{1}",
        "\0",
        "!",
        "~",
        "ą",
        "退",
        "’",
        "  ",
        "0123456789",
    ];
    // Every sequence of three pieces, and a few longer ones, from every start.
    let mut texts: Vec<String> = Vec::new();
    for a in pieces {
        for b in pieces {
            for c in pieces {
                texts.push(format!("{a}{b}{c}"));
            }
        }
    }
    texts.push(pieces.concat());
    texts.push(pieces.iter().rev().copied().collect());
    for text in &texts {
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            let end = (start..bytes.len())
                .find(|&i| bytes[i].is_ascii_whitespace())
                .unwrap_or(bytes.len());
            let ascii = bytes[start..end].is_ascii();
            assert_eq!(
                chunk_end(bytes, start),
                (end, ascii),
                "{text:?} from {start}"
            );
        }
    }
}

#[test]
fn a_plain_word_is_lower_case_letters_and_digits_at_any_length() {
    // The bytes just outside each range, and the ranges' ends.
    let bytes = b"`az{/09:@AZ['-_ \x00\x7f";
    for length in 1..=17 {
        for (i, &b) in bytes.iter().enumerate() {
            for at in [0, length / 2, length - 1] {
                let mut word = vec![b"qwertyuiop0123456789"[i % 20]; length];
                word[at] = b;
                let plain = word
                    .iter()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
                assert_eq!(is_plain_word(&word), plain, "{word:?}");
            }
        }
    }
}

#[test]
fn punctuation_inside_words_splits_and_apostrophes_vanish() {
    assert_eq!(
        terms("Don’t e.g. 12:30 e-mail", Mode::Index),
        ["dont", "e", "g", "12", "30", "e", "mail"]
    );
}

#[test]
fn every_code_point_of_the_main_han_block_is_an_assigned_ideograph() {
    assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphabetic));
}

#[test]
fn unspaced_runs_give_characters_and_pairs() {
    assert_eq!(
        terms("售後服務", Mode::Index),
        ["售", "售后", "后", "后服", "服", "服务", "务"]
    );
    assert_eq!(terms("售后服务", Mode::Query), ["售后", "后服", "服务"]);
    assert_eq!(terms("退", Mode::Query), ["退"]);
    assert_eq!(terms("iPhone 退货", Mode::Query), ["iphone", "退货"]);
}

#[test]
fn offsets_point_at_the_original_text() {
    let text = "Zwrot — wysyłka 退货";
    for token in tokenize(text, Mode::Index) {
        assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
        assert!(!text[token.start..token.end].trim().is_empty());
    }
}
