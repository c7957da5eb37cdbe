//! Destinations a site took from an example and never replaced: a URL or an email address in
//! `helpdeck.toml` or `data/*.toml` on a domain reserved for examples (RFC 2606 and RFC 6761:
//! the `.example`, `.test`, `.invalid` and `.localhost` names, `example.com`, `.net` and
//! `.org`) or on this machine's own address. Nothing answers there: a "Was this helpful?" vote posted to one is lost while the
//! page thanks the buyer, and a buyer's mail bounces. Whether that refuses the build is the
//! pipeline's choice (see [`crate::pipeline`]): a demo site on an example domain may keep them.

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;

/// Each string value of `text` (the TOML of `file`) that names a reserved domain, as a
/// diagnostic on its line; values under a top-level key in `skip` are not looked at.
pub fn find(file: &Path, text: &str, skip: &[&str]) -> Vec<Diagnostic> {
    let Ok(document) = DeTable::parse(text) else {
        // The file's own reader reports why it does not parse.
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in document.get_ref() {
        if !skip.contains(&key.get_ref().as_ref()) {
            visit(value, key.get_ref(), &mut |path, value, span| {
                found.push(
                    Diagnostic::new(
                        file,
                        format!(
                            "`{path}` is on `{host}`, a domain reserved for examples: nothing \
                             answers there, so replace it with the shop's own",
                            host = reserved_host(value).unwrap_or_default()
                        ),
                    )
                    .at_offset(text, span.start),
                );
            });
        }
    }
    found
}

/// Calls `found` with the key path, text and span of each string under `value` that names a
/// reserved domain.
fn visit(
    value: &Spanned<DeValue<'_>>,
    path: &str,
    found: &mut dyn FnMut(&str, &str, std::ops::Range<usize>),
) {
    match value.get_ref() {
        DeValue::String(text) if reserved_host(text).is_some() => {
            found(path, text, value.span());
        }
        DeValue::Table(table) => {
            for (key, value) in table {
                visit(value, &format!("{path}.{}", key.get_ref()), found);
            }
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(item, &format!("{path}.{i}"), found);
            }
        }
        _ => {}
    }
}

/// The host of `url` when it is a URL or an email address on a reserved domain.
pub fn reserved_host(url: &str) -> Option<&str> {
    host(url).filter(|h| is_reserved(h))
}

/// The host of a URL (`https://help.shop.example:8080/x` → `help.shop.example`) or the domain
/// of an email address (with or without `mailto:`).
pub fn host(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let host = if let Some(after) = ["https://", "http://", "//"]
        .iter()
        .find_map(|scheme| lower.starts_with(scheme).then(|| &url[scheme.len()..]))
    {
        let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        match host.strip_prefix('[') {
            Some(ipv6) => ipv6.split(']').next().unwrap_or_default(),
            None => host.split(':').next().unwrap_or_default(),
        }
    } else {
        let address = url.get(..7).filter(|s| s.eq_ignore_ascii_case("mailto:"));
        let address = address.map_or(url, |_| &url[7..]);
        let address = address.split('?').next().unwrap_or_default();
        match address.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.contains([' ', '@']) => domain,
            _ => return None,
        }
    };
    Some(host)
}

/// Whether `host` is a name reserved for examples and testing, or this machine's own address
/// (`localhost`, `127.0.0.1`, `::1`), which only a preview on this machine answers.
pub fn is_reserved(host: &str) -> bool {
    if host
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
    {
        return true;
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |name: &str| host == name || host.ends_with(&format!(".{name}"));
    ["example", "test", "invalid", "localhost"]
        .iter()
        .chain(&["example.com", "example.net", "example.org"])
        .any(|name| under(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_hosts_are_read_from_urls_and_addresses() {
        let reserved = [
            (
                "https://forms.oakandlinen.example/helpful",
                "forms.oakandlinen.example",
            ),
            ("HTTP://Example.COM:8080/x?y#z", "Example.COM"),
            ("//user@shop.test/a", "shop.test"),
            ("help@oakandlinen.example", "oakandlinen.example"),
            ("mailto:help@example.org?subject=Hi", "example.org"),
            ("http://127.0.0.1:8080/help", "127.0.0.1"),
            ("http://[::1]:1111/", "::1"),
            ("http://localhost:1111", "localhost"),
        ];
        for (url, host) in reserved {
            assert_eq!(reserved_host(url), Some(host), "{url}");
        }
        for url in [
            "https://help.oakandlinen.com",
            "https://myexample.com/x",
            "https://example.company.lt",
            "Oak & Linen, MB",
            "write to us @ the shop",
            "/local/path",
        ] {
            assert_eq!(reserved_host(url), None, "{url}");
        }
    }

    #[test]
    fn found_values_name_their_key_and_line() {
        let text = "base_url = \"https://x.example\"\n[contact]\nemails = [\"a@shop.lt\", \"b@shop.test\"]\n";
        let found = find(Path::new("helpdeck.toml"), text, &["base_url"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(3));
        assert!(
            found[0].message.contains("`contact.emails.1`"),
            "{}",
            found[0].message
        );
    }
}
