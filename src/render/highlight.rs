//! Code highlighting with syntect, as CSS classes (`hl-…`) so light and dark stylesheets can
//! both apply. The grammars load on the first code block, so sites without code never pay.
//! two-face adds the grammars syntect's own set lacks (TypeScript, TOML, Dockerfile…).

use std::sync::OnceLock;

use syntect::highlighting::Color;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

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

/// The code background of the default theme, light and dark: highlight colours are adjusted
/// until they reach WCAG AA contrast (4.5:1) against it, as syntect's palettes do not.
const LIGHT_BACKGROUND: Color = Color {
    r: 0xff,
    g: 0xff,
    b: 0xff,
    a: 0xff,
};
const DARK_BACKGROUND: Color = Color {
    r: 0x16,
    g: 0x1c,
    b: 0x24,
    a: 0xff,
};

/// The highlighting stylesheet: a light theme, and a dark one under `prefers-color-scheme`.
pub fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let css = |name, background| {
        let mut theme = themes.get(name).clone();
        for item in &mut theme.scopes {
            if let Some(color) = item.style.foreground.as_mut() {
                *color = readable_on(*color, background);
            }
        }
        if let Some(color) = theme.settings.foreground.as_mut() {
            *color = readable_on(*color, background);
        }
        theme.settings.background = Some(background);
        css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default()
    };
    format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(EmbeddedThemeName::InspiredGithub, LIGHT_BACKGROUND),
        css(EmbeddedThemeName::OneHalfDark, DARK_BACKGROUND)
    )
}

/// Moves `color` towards black or white (whichever the background is not) until it has a
/// contrast of at least 4.5:1 with `background`.
fn readable_on(color: Color, background: Color) -> Color {
    let target = if crate::colour::luminance([background.r, background.g, background.b]) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut mixed = color;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |c: u8| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
        mixed = Color {
            r: mix(color.r),
            g: mix(color.g),
            b: mix(color.b),
            a: 0xff,
        };
        if contrast(mixed, background) >= 4.6 {
            break;
        }
    }
    mixed
}

fn contrast(a: Color, b: Color) -> f64 {
    crate::colour::contrast([a.r, a.g, a.b], [b.r, b.g, b.b])
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
    fn every_highlight_colour_meets_contrast() {
        use super::*;
        for (fg, bg) in [
            (
                Color {
                    r: 0x96,
                    g: 0x98,
                    b: 0x96,
                    a: 0xff,
                },
                LIGHT_BACKGROUND,
            ),
            (
                Color {
                    r: 0x5c,
                    g: 0x63,
                    b: 0x70,
                    a: 0xff,
                },
                DARK_BACKGROUND,
            ),
        ] {
            assert!(contrast(readable_on(fg, bg), bg) >= 4.5);
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
