//! Shortcodes in Markdown, in Zola's syntax so sites can move in:
//! `{{ name(arg="value") }}` inserts something, and
//! `{% name(arg="value") %}` … `{% end %}`, each on a line of its own, wraps Markdown.
//! Arguments are named TOML values; parentheses are required, so prose like `{{ price }}`
//! stays text. `{{/* fact(…) */}}` writes a call literally, and code keeps its braces.
//!
//! `fact` becomes text before the Markdown is parsed, so a fact in a heading is part of its
//! anchor and a fact in a table is a cell's text. The others render a template
//! (`templates/shortcodes/NAME.html`; the theme has `note`, `warning`, `steps` and `contact`)
//! into HTML that the Markdown carries as a placeholder and `markdown` fills in after
//! sanitising the seller's own HTML: the template's HTML is trusted, the page's is not.
//! A replacement never adds or removes a line, so later diagnostics keep their line numbers.

use std::borrow::Cow;
use std::path::Path;

use super::facts::Facts;
use super::templates::Templates;
use crate::diagnostic::{Diagnostic, did_you_mean, listing};
use syntax::{
    closes_fence, code_span_len, literal_call, opens_fence, parse_args, parse_call, whole_line_call,
};

mod syntax;

/// Opens and closes a placeholder for an HTML fragment: `\u{E000}3\u{E001}` is fragment 3.
pub const PLACEHOLDER_OPEN: char = '\u{E000}';
pub const PLACEHOLDER_CLOSE: char = '\u{E001}';

/// Stands for the Markdown body inside a wrapping shortcode's rendered template.
const BODY_MARKER: &str = "\u{E002}body\u{E002}";

/// The theme's shortcodes: their arguments, and whether they wrap a body. A site's own
/// shortcodes take any arguments, and may be used either way.
const THEME_SHORTCODES: &[(&str, &[&str], bool)] = &[
    ("note", &["title"], true),
    ("warning", &["title"], true),
    ("steps", &["title"], true),
    ("contact", &[], false),
];

/// A page's Markdown with its shortcodes expanded.
#[derive(Debug, Default)]
pub struct Expanded<'a> {
    /// The page's body itself when it calls no shortcode (most pages), not a copy of it.
    pub markdown: Cow<'a, str>,
    /// The HTML the placeholders stand for.
    pub fragments: Vec<String>,
    /// Each `fact` used, with the line of the file it is on.
    pub facts: Vec<FactUse>,
}

#[derive(Debug, Clone)]
pub struct FactUse {
    pub key: String,
    pub line: usize,
}

/// What shortcodes of one page can use.
pub struct Shortcodes<'a> {
    pub templates: &'a Templates,
    /// The page language's shared template context.
    pub context: &'a tera::Context,
    pub facts: &'a Facts<'a>,
    pub lang: &'a str,
}

/// One call: the shortcode's name and its arguments.
struct Call<'t> {
    name: &'t str,
    args: toml::Table,
}

impl Shortcodes<'_> {
    /// Expands the shortcodes of `body`, which starts on line `body_line` of `file`.
    pub fn expand<'b>(
        &self,
        file: &Path,
        body: &'b str,
        body_line: usize,
    ) -> Result<Expanded<'b>, Vec<Diagnostic>> {
        let mut expanded = Expanded::default();
        if !body.contains("{{") && !body.contains("{%") {
            expanded.markdown = Cow::Borrowed(body);
            return Ok(expanded);
        }
        expanded.markdown.to_mut().reserve(body.len());
        let mut problems = Vec::new();
        let mut fence: Option<(char, usize)> = None;
        // Wrapping shortcodes still open: name, line, and the HTML that closes them.
        let mut open: Vec<(String, usize, String)> = Vec::new();
        for (index, line) in body.split_inclusive('\n').enumerate() {
            let line_no = body_line + index;
            let content = line.trim_end_matches('\n');
            let newline = &line[content.len()..];
            let problem = |message: String, quoted: &str| {
                Diagnostic::new(file, message)
                    .at_line(line_no)
                    .quoting(quoted)
            };
            if let Some((marker, length)) = fence {
                if closes_fence(content, marker, length) {
                    fence = None;
                }
                expanded.markdown.to_mut().push_str(line);
                continue;
            }
            if let Some(opened) = opens_fence(content) {
                fence = Some(opened);
                expanded.markdown.to_mut().push_str(line);
                continue;
            }
            let trimmed = content.trim();
            if let Some(inner) = trimmed
                .strip_prefix("{%")
                .and_then(|r| r.strip_suffix("%}"))
                .filter(|inner| !inner.starts_with("/*"))
            {
                if inner.trim() == "end" {
                    match open.pop() {
                        Some((_, _, after)) => {
                            self.push_block(&mut expanded, after);
                            expanded.markdown.to_mut().push_str(newline);
                        }
                        None => problems.push(problem(
                            "`{% end %}` closes no shortcode".to_string(),
                            trimmed,
                        )),
                    }
                    continue;
                }
                match parse_call(&trimmed[2..], "%}") {
                    Some(Ok((name, args, end))) if end + 4 == trimmed.len() => {
                        let call = Call {
                            name,
                            args: match parse_args(args) {
                                Ok(args) => args,
                                Err(why) => {
                                    problems.push(problem(why, trimmed));
                                    continue;
                                }
                            },
                        };
                        match self.render(&call, true) {
                            Ok(html) => {
                                let (before, after) =
                                    html.split_once(BODY_MARKER).unwrap_or((&html, ""));
                                let after = after.to_string();
                                self.push_block(&mut expanded, before.to_string());
                                expanded.markdown.to_mut().push_str(newline);
                                open.push((name.to_string(), line_no, after));
                            }
                            Err(why) => problems.push(problem(why, trimmed)),
                        }
                        continue;
                    }
                    Some(Err(why)) => {
                        problems.push(problem(why, trimmed));
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some((name, args)) = whole_line_call(trimmed).filter(|(name, _)| *name != "fact")
            {
                match parse_args(args).and_then(|args| self.render(&Call { name, args }, false)) {
                    Ok(html) => self.push_block(&mut expanded, html),
                    Err(why) => problems.push(problem(why, trimmed)),
                }
                expanded.markdown.to_mut().push_str(newline);
                continue;
            }
            match self.expand_inline(content, line_no, &mut expanded) {
                Ok(()) => expanded.markdown.to_mut().push_str(newline),
                Err((why, quoted)) => problems.push(problem(why, &quoted)),
            }
        }
        for (name, line, _) in open {
            problems.push(
                Diagnostic::new(
                    file,
                    format!("shortcode `{name}` is never closed with `{{% end %}}`"),
                )
                .at_line(line),
            );
        }
        if problems.is_empty() {
            Ok(expanded)
        } else {
            Err(problems)
        }
    }

    /// Expands the calls within one line of text.
    fn expand_inline(
        &self,
        line: &str,
        line_no: usize,
        expanded: &mut Expanded<'_>,
    ) -> Result<(), (String, String)> {
        let mut rest = line;
        while let Some(start) = rest.find(['{', '`']) {
            expanded.markdown.to_mut().push_str(&rest[..start]);
            rest = &rest[start..];
            if rest.starts_with('`') {
                let span = code_span_len(rest);
                expanded.markdown.to_mut().push_str(&rest[..span]);
                rest = &rest[span..];
                continue;
            }
            if let Some((call, after)) = literal_call(rest) {
                let markdown = expanded.markdown.to_mut();
                markdown.push_str("{{");
                markdown.push_str(call);
                markdown.push_str("}}");
                rest = after;
                continue;
            }
            if let Some(after) = rest.strip_prefix("{%") {
                if let Some(Ok((name, _, _))) = parse_call(after, "%}") {
                    return Err((
                        format!(
                            "`{name}` wraps text: put `{{% {name}(…) %}}` and `{{% end %}}` on lines of their own"
                        ),
                        rest.to_string(),
                    ));
                }
            }
            let Some(inner) = rest.strip_prefix("{{") else {
                expanded.markdown.to_mut().push('{');
                rest = &rest[1..];
                continue;
            };
            match parse_call(inner, "}}") {
                None => {
                    expanded.markdown.to_mut().push_str("{{");
                    rest = inner;
                }
                Some(Err(why)) => return Err((why, rest.to_string())),
                Some(Ok((name, args, end))) => {
                    let text = &rest[..end + 4];
                    let call = Call {
                        name,
                        args: parse_args(args).map_err(|why| (why, text.to_string()))?,
                    };
                    if name == "fact" {
                        let (key, value) =
                            self.fact(&call).map_err(|why| (why, text.to_string()))?;
                        expanded.facts.push(FactUse { key, line: line_no });
                        push_escaped(expanded.markdown.to_mut(), &value);
                    } else {
                        let html = self
                            .render(&call, false)
                            .map_err(|why| (why, text.to_string()))?;
                        push_placeholder(expanded.markdown.to_mut(), expanded.fragments.len());
                        expanded.fragments.push(html);
                    }
                    rest = &rest[end + 4..];
                }
            }
        }
        expanded.markdown.to_mut().push_str(rest);
        Ok(())
    }

    /// Plain text outside the Markdown (a policy's key facts): each `fact` is filled in as its
    /// value; the other shortcodes render HTML, which plain text cannot carry. Returns the
    /// text and the facts' keys, or why not with the text of the call at fault.
    pub fn expand_text(&self, text: &str) -> Result<(String, Vec<String>), (String, String)> {
        let mut out = String::with_capacity(text.len());
        let mut keys = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            if let Some((call, after)) = literal_call(rest) {
                out.push_str("{{");
                out.push_str(call);
                out.push_str("}}");
                rest = after;
                continue;
            }
            match parse_call(&rest[2..], "}}") {
                None => {
                    out.push_str("{{");
                    rest = &rest[2..];
                }
                Some(Err(why)) => return Err((why, rest.to_string())),
                Some(Ok((name, args, end))) => {
                    let quoted = &rest[..end + 4];
                    if name != "fact" {
                        return Err((
                            format!(
                                "`{name}` makes HTML, which key facts cannot hold: only {{{{ fact(key=\"…\") }}}} works here"
                            ),
                            quoted.to_string(),
                        ));
                    }
                    let args = parse_args(args).map_err(|why| (why, quoted.to_string()))?;
                    let (key, value) = self
                        .fact(&Call { name, args })
                        .map_err(|why| (why, quoted.to_string()))?;
                    keys.push(key);
                    out.push_str(&value);
                    rest = &rest[end + 4..];
                }
            }
        }
        out.push_str(rest);
        Ok((out, keys))
    }

    /// An HTML fragment on a line of its own: an HTML comment, which CommonMark ends at its
    /// line and lets interrupt a paragraph, so it needs no blank lines around it.
    fn push_block(&self, expanded: &mut Expanded<'_>, html: String) {
        expanded.markdown.to_mut().push_str("<!--");
        push_placeholder(expanded.markdown.to_mut(), expanded.fragments.len());
        expanded.markdown.to_mut().push_str("-->");
        expanded.fragments.push(html);
    }

    /// `fact(key="shop.returns.window_days")` → its key and formatted value.
    fn fact(&self, call: &Call<'_>) -> Result<(String, String), String> {
        let key = match call.args.get("key") {
            Some(toml::Value::String(key)) => key.clone(),
            Some(_) => {
                return Err(
                    "`fact`: `key` must be text, like key=\"shop.returns.window_days\"".into(),
                );
            }
            None => {
                return Err(
                    "`fact` needs a key, like {{ fact(key=\"shop.returns.window_days\") }}".into(),
                );
            }
        };
        if let Some(other) = call.args.keys().find(|k| *k != "key") {
            return Err(format!("`fact` takes only `key`, not `{other}`"));
        }
        let value = self.facts.format(&key, self.lang)?;
        Ok((key, value))
    }

    /// Renders a template shortcode; with a body, the HTML holds [`BODY_MARKER`] once.
    fn render(&self, call: &Call<'_>, with_body: bool) -> Result<String, String> {
        let template = format!("shortcodes/{}.html", call.name);
        if call.name == "fact" {
            return Err(
                "`fact` inserts text and takes no body: write {{ fact(key=\"…\") }}".into(),
            );
        }
        if !self.templates.contains(&template) {
            let mut known: Vec<&str> = self
                .templates
                .names()
                .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
                .collect();
            known.push("fact");
            known.sort_unstable();
            return Err(match did_you_mean(call.name, known.iter().copied()) {
                Some(best) => format!("unknown shortcode `{}` (did you mean `{best}`?)", call.name),
                None => format!(
                    "unknown shortcode `{}` (known: {}; a site adds its own as templates/shortcodes/NAME.html)",
                    call.name,
                    listing(known.iter().copied())
                ),
            });
        }
        if let Some((_, allowed, wraps)) = THEME_SHORTCODES.iter().find(|(n, ..)| *n == call.name) {
            if let Some(bad) = call.args.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(match allowed.is_empty() {
                    true => format!("`{}` takes no arguments, not `{bad}`", call.name),
                    false => format!(
                        "`{}` takes {}, not `{bad}`",
                        call.name,
                        allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            if *wraps != with_body {
                return Err(match wraps {
                    true => format!(
                        "`{0}` wraps text: write {{% {0}() %}} on a line, the text, then {{% end %}}",
                        call.name
                    ),
                    false => format!("`{0}` takes no body: write {{{{ {0}() }}}}", call.name),
                });
            }
        }
        let mut context = self.context.clone();
        for (name, value) in &call.args {
            context.insert(name.clone(), value);
        }
        if with_body {
            context.insert("body", BODY_MARKER);
        }
        let html = self
            .templates
            .render(&template, &context)
            .map_err(|problems| {
                let reasons: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                format!("shortcode `{}` failed: {}", call.name, reasons.join("; "))
            })?;
        if with_body && html.matches(BODY_MARKER).count() != 1 {
            return Err(format!(
                "shortcode `{}` was given a body, but its template does not show `{{{{ body | safe }}}}` exactly once",
                call.name
            ));
        }
        Ok(html)
    }
}

/// Fills the placeholders of `html` with their fragments (most pages have none: `html` is
/// handed back as it is).
pub fn fill_placeholders(html: String, fragments: &[String]) -> String {
    if fragments.is_empty() || !html.contains(PLACEHOLDER_OPEN) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find(PLACEHOLDER_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + PLACEHOLDER_OPEN.len_utf8()..];
        let fragment = after.find(PLACEHOLDER_CLOSE).and_then(|end| {
            let index: usize = after[..end].parse().ok()?;
            Some((fragments.get(index)?, end))
        });
        match fragment {
            Some((html, end)) => {
                out.push_str(html);
                rest = &after[end + PLACEHOLDER_CLOSE.len_utf8()..];
            }
            None => {
                out.push(PLACEHOLDER_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder's text inside a block placeholder comment (`<!--␀3␁-->`), if `html` is one.
pub fn block_placeholder(html: &str) -> Option<&str> {
    let inner = html.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    (inner.starts_with(PLACEHOLDER_OPEN) && inner.ends_with(PLACEHOLDER_CLOSE)).then_some(inner)
}

fn push_placeholder(markdown: &mut String, index: usize) {
    markdown.push(PLACEHOLDER_OPEN);
    markdown.push_str(&index.to_string());
    markdown.push(PLACEHOLDER_CLOSE);
}

/// Text inserted into Markdown, with the characters Markdown would act on escaped.
fn push_escaped(markdown: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
        ) {
            markdown.push('\\');
        }
        markdown.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let html = format!("<p>a {PLACEHOLDER_OPEN}1{PLACEHOLDER_CLOSE} b</p>");
        assert_eq!(
            fill_placeholders(html, &["x".into(), "<b>y</b>".into()]),
            "<p>a <b>y</b> b</p>"
        );
    }
}
