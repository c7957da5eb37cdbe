//! The shortcode syntax: calls (`name(args) }}`), their TOML arguments, and the code fences
//! and spans whose braces stay text.

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// `{{/* fact(…) */}}` at the start of `text`: the call to write literally, and what follows.
pub(super) fn literal_call(text: &str) -> Option<(&str, &str)> {
    let literal = text.strip_prefix("{{/*")?;
    let end = literal.find("*/}}")?;
    Some((&literal[..end], &literal[end + 4..]))
}

/// `{{ name(args) }}` filling a whole (trimmed) line: its name and arguments' text.
pub(super) fn whole_line_call(trimmed: &str) -> Option<(&str, &str)> {
    let inner = trimmed.strip_prefix("{{")?;
    match parse_call(inner, "}}")? {
        Ok((name, args, end)) if end + 2 == inner.len() => Some((name, args)),
        _ => None,
    }
}

/// Parses `name(args) CLOSE` at the start of `text` (just after the opener). `None` when the
/// text is not shaped like a call; otherwise the name, the arguments' text, and the index in
/// `text` just before `CLOSE`.
pub(super) fn parse_call<'t>(
    text: &'t str,
    close: &str,
) -> Option<Result<(&'t str, &'t str, usize), String>> {
    let rest = text.trim_start();
    let skipped = text.len() - rest.len();
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if name_len == 0 || !rest[name_len..].starts_with('(') {
        return None;
    }
    let name = &rest[..name_len];
    let args_start = skipped + name_len + 1;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text[args_start..].char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ')' => {
                let after = &text[args_start + i + 1..];
                let after_trimmed = after.trim_start();
                if !after_trimmed.starts_with(close) {
                    return Some(Err(format!(
                        "expected `{close}` after the arguments of `{name}`"
                    )));
                }
                let end = args_start + i + 1 + (after.len() - after_trimmed.len());
                return Some(Ok((name, &text[args_start..args_start + i], end)));
            }
            None => {}
        }
    }
    Some(Err(format!(
        "`{name}(` is not closed on this line (write `{name}(arg=\"value\") {close}`)"
    )))
}

/// `key="shop.returns.window_days", n=3` as a table of TOML values, which meet the rules of
/// every value of the site: a `url` argument is a link a page may have, as in front matter.
pub(super) fn parse_args(args: &str) -> Result<toml::Table, String> {
    if args.trim().is_empty() {
        return Ok(toml::Table::new());
    }
    let wrapped = format!("args = {{ {args} }}");
    let bad = |e: toml::de::Error| {
        format!(
            "bad shortcode arguments (write name=\"text\", n=3 or flag=true, separated by commas): {}",
            e.message().trim()
        )
    };
    let document = DeTable::parse(&wrapped).map_err(bad)?;
    if let Some(DeValue::Table(args)) = document.get_ref().get("args").map(Spanned::get_ref) {
        let mut broken = None;
        crate::values::check(args, &mut |_, why| {
            broken.get_or_insert(why);
        });
        if let Some(why) = broken {
            return Err(format!("shortcode argument {why}"));
        }
    }
    match toml::Table::deserialize(toml::de::Deserializer::from(document))
        .map_err(bad)?
        .remove("args")
    {
        Some(toml::Value::Table(args)) => Ok(args),
        _ => Err("bad shortcode arguments".into()),
    }
}

/// A fence opener (up to three spaces, then ``` or ~~~): its character and length.
pub(super) fn opens_fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    (length >= 3).then_some((marker, length))
}

pub(super) fn closes_fence(line: &str, marker: char, length: usize) -> bool {
    let trimmed = line.trim();
    trimmed.chars().take_while(|c| *c == marker).count() >= length
        && trimmed.chars().all(|c| c == marker)
}

/// The length of the code span at the start of `text` (all of it when never closed on the line).
pub(super) fn code_span_len(text: &str) -> usize {
    let ticks = text.chars().take_while(|c| *c == '`').count();
    let mut search = ticks;
    while let Some(found) = text[search..].find('`') {
        let at = search + found;
        let run = text[at..].chars().take_while(|c| *c == '`').count();
        if run == ticks {
            return at + run;
        }
        search = at + run;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_parsed_up_to_their_closer() {
        let (name, args, end) = parse_call(" fact(key=\"a.b\") }} rest", "}}")
            .unwrap()
            .unwrap();
        assert_eq!(
            (name, args, &" fact(key=\"a.b\") }} rest"[end..]),
            ("fact", "key=\"a.b\"", "}} rest")
        );
        assert!(parse_call(" price }}", "}}").is_none());
        assert!(parse_call(" note(title=\"a)\") %}", "%}").unwrap().is_ok());
        assert!(parse_call(" fact(key=\"x\"", "}}").unwrap().is_err());
    }

    #[test]
    fn arguments_are_toml_values() {
        let args = parse_args("title=\"Heads up\", n=3, on=true").unwrap();
        assert_eq!(args["title"].as_str(), Some("Heads up"));
        assert_eq!(args["n"].as_integer(), Some(3));
        assert!(parse_args("title=Heads up").is_err());
    }
}
