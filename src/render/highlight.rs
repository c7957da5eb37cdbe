//! Code highlighting with syntect, as CSS classes (`hl-…`) so light and dark stylesheets can
//! both apply. The grammars load on the first code block, so sites without code never pay.
//! two-face adds the grammars syntect's own set lacks (TypeScript, TOML, Dockerfile…).

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// A fenced block as `<pre><code>` with highlighted spans; unknown languages stay plain.
pub fn code_block(lang: &str, code: &str) -> String {
    let lang_attr = html_escape(lang);
    let set = syntaxes();
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    let Some(syntax) = syntax else {
        return format!(
            "<pre class=\"code\"><code>{}</code></pre>\n",
            html_escape(code)
        );
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"><code>{}</code></pre>\n",
                html_escape(code)
            );
        }
    }
    format!(
        "<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
        generator.finalize()
    )
}

/// The highlighting stylesheet: a light theme, and a dark one under `prefers-color-scheme`.
pub fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let light = themes.get(two_face::theme::EmbeddedThemeName::InspiredGithub);
    let dark = themes.get(two_face::theme::EmbeddedThemeName::OneHalfDark);
    let css = |theme| css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(light),
        css(dark)
    )
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn toml_and_typescript_are_highlighted() {
        for (lang, code) in [
            ("toml", "a = 1\n"),
            ("ts", "let x: number = 1;\n"),
            ("json", "{\"a\": 1}\n"),
        ] {
            let html = super::code_block(lang, code);
            assert!(html.contains("class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        assert_eq!(
            super::code_block("nope", "<b>\n"),
            "<pre class=\"code\"><code>&lt;b&gt;\n</code></pre>\n"
        );
    }
}
