//! Theme assets as a host serves them: named by their content, so they can be cached for ever,
//! and with `minify` on, stylesheets and scripts minified (lightningcss and oxc, the minifiers
//! minify-html already uses for inline code). Watch mode keeps them as written: a stylesheet
//! edit changes one file the browser swaps in place, and the code stays readable in devtools.

use std::path::Path;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

use crate::diagnostic::Diagnostic;

/// How theme assets are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetForm {
    /// `style.1a2b3c4d5e6f.css`, minified when the config says `minify`.
    Published,
    /// `style.css` as written: for watch mode.
    AsWritten,
}

/// `style.css` → `style.1a2b3c4d5e6f.css`.
pub(super) fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    let short = &hash[..12];
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{short}.{ext}")
        }
        _ => format!("{name}.{short}"),
    }
}

/// The minified text, or why the text does not parse and at which line.
type Minified = Result<String, (String, Option<usize>)>;

/// The asset minified, when it is a stylesheet or script that parses; otherwise as written,
/// with a warning when it should have parsed. Only ever smaller than the original.
pub(super) fn minified(name: &str, origin: &Path, bytes: &[u8]) -> (Vec<u8>, Option<Diagnostic>) {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let minify: fn(&str) -> Minified = match extension.as_deref() {
        Some("css") => minify_css,
        Some("js" | "mjs") => minify_js,
        _ => return (bytes.to_vec(), None),
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        let warning = Diagnostic::new(origin, "not valid UTF-8, so published as written");
        return (bytes.to_vec(), Some(warning));
    };
    match minify(text) {
        Ok(small) if small.len() < bytes.len() => (small.into_bytes(), None),
        Ok(_) => (bytes.to_vec(), None),
        Err((message, line)) => {
            let mut warning = Diagnostic::new(
                origin,
                format!("could not be minified, so it is published as written: {message}"),
            );
            if let Some(line) = line {
                warning = warning.at_line(line);
            }
            (bytes.to_vec(), Some(warning))
        }
    }
}

fn minify_css(text: &str) -> Minified {
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).map_err(css_error)?;
    sheet.minify(MinifyOptions::default()).map_err(css_error)?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(css_error)?;
    Ok(printed.code)
}

/// lightningcss counts lines from 0.
fn css_error<T: std::fmt::Display>(
    error: lightningcss::error::Error<T>,
) -> (String, Option<usize>) {
    let line = error.loc.as_ref().map(|loc| loc.line as usize + 1);
    (error.kind.to_string(), line)
}

/// A module when it has `import` or `export`, otherwise a classic script, whose top-level names
/// stay as written: other scripts may use them.
fn minify_js(text: &str) -> Minified {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, SourceType::unambiguous()).parse();
    if let Some(error) = parsed.errors.first() {
        let line = error
            .labels
            .as_ref()
            .and_then(|labels| labels.first())
            .map(|label| text[..label.offset().min(text.len())].matches('\n').count() + 1);
        return Err((error.message.to_string(), line));
    }
    let mut program = parsed.program;
    let minifier = Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions {
            // A module's own names are its alone; what it exports keeps its name.
            top_level: program.source_type.is_module(),
            ..MangleOptions::default()
        }),
        compress: Some(CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    // Without comments: the search client's were a quarter of it, gzipped (9.0 → 7.0 KB),
    // fetched before a first query. Nothing published carries a licence comment.
    Ok(Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minifier.scoping)
        .build(&program)
        .code)
}
