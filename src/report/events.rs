//! Reading `[analytics]` events back: from a static host's access log, where each event is a
//! request for the site's event file (`/_hd/e.gif?event=search&lang=en&…`), or from the JSON
//! lines an endpoint stored.
//!
//! Each line is read by its shape, so one run takes logs of several hosts:
//! - Common and Combined Log Format (Apache, nginx and the hosts that export it) and Amazon S3
//!   server access logs: the quoted request, `"GET /_hd/e.gif?… HTTP/1.1"`;
//! - W3C extended logs, as CloudFront writes them: a `#Fields:` line names the tab-separated
//!   columns, and the event is in `cs-uri-stem` and `cs-uri-query`;
//! - Cloudflare Logpush (`http_requests`, JSON lines): `ClientRequestURI`;
//! - an endpoint's JSON lines: objects with the event's own fields (`"event": "search"`, …).
//!
//! Lines about anything else are the rest of the site's traffic, and are passed over.

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// One thing a buyer did, as the site's scripts report it (README: what is sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Event {
    /// A query that settled on screen, with how many results it showed.
    Search {
        lang: String,
        query: String,
        results: u32,
    },
    /// A result opened: its rank in the list, from 1.
    Click {
        lang: String,
        query: String,
        rank: u32,
    },
    /// "Was this helpful?" answered on a page.
    Vote {
        lang: String,
        page: String,
        /// `yes` or `no` as the page sends it, so that an event printed or stored as JSON
        /// reads back the same.
        #[serde(serialize_with = "yes_or_no")]
        helpful: bool,
    },
}

fn yes_or_no<S: serde::Serializer>(helpful: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *helpful { "yes" } else { "no" })
}

impl Event {
    /// The language of the page it happened on.
    pub fn lang(&self) -> &str {
        match self {
            Event::Search { lang, .. } | Event::Click { lang, .. } | Event::Vote { lang, .. } => {
                lang
            }
        }
    }

    /// An event from its fields; why not, when one is missing or out of shape.
    fn from_fields<'a>(
        fields: impl IntoIterator<Item = (&'a str, String)>,
    ) -> Result<Event, String> {
        let mut kind = None;
        let (mut lang, mut query, mut page, mut results, mut rank, mut helpful) =
            (None, None, None, None, None, None);
        for (key, value) in fields {
            match key {
                "event" => kind = Some(value),
                "lang" => lang = Some(value),
                "query" => query = Some(value),
                "page" => page = Some(value),
                "results" => results = Some(value),
                "rank" => rank = Some(value),
                "helpful" => helpful = Some(value),
                _ => {}
            }
        }
        let kind = kind.ok_or("no `event`")?;
        let lang = lang
            .filter(|l| crate::config::is_language_tag(l))
            .ok_or("no language tag in `lang`")?;
        let number = |name: &str, value: Option<String>| {
            value
                .and_then(|v| v.parse::<u32>().ok())
                .ok_or(format!("`{name}` is not a whole number"))
        };
        let query = || {
            query
                .clone()
                .filter(|q| !q.trim().is_empty())
                .ok_or("no `query`")
        };
        match kind.as_str() {
            "search" => Ok(Event::Search {
                query: query()?.to_string(),
                results: number("results", results)?,
                lang,
            }),
            "click" => Ok(Event::Click {
                query: query()?.to_string(),
                rank: number("rank", rank).and_then(|r| {
                    if r == 0 {
                        Err("`rank` counts from 1".to_string())
                    } else {
                        Ok(r)
                    }
                })?,
                lang,
            }),
            "vote" => Ok(Event::Vote {
                page: page
                    .filter(|p| p.starts_with('/'))
                    .ok_or("no `page` path")?,
                helpful: match helpful.as_deref() {
                    Some("yes") => true,
                    Some("no") => false,
                    _ => return Err("`helpful` is neither yes nor no".into()),
                },
                lang,
            }),
            other => Err(format!("unknown event `{other}`")),
        }
    }
}

/// What a file held: its events, and a warning for each line that asked for the event file
/// (or was an endpoint's event) but could not be read as one.
#[derive(Debug, Default)]
pub struct FileEvents {
    pub lines: usize,
    pub events: Vec<Event>,
    pub warnings: Vec<Diagnostic>,
}

/// The events in `text`, the contents of `file`; `log_path` is `[analytics] log`, which a
/// request's path ends with (after the host's bucket or the site's base path).
pub fn read(file: &Path, text: &str, log_path: &str) -> FileEvents {
    let mut found = FileEvents::default();
    // CloudFront's columns, from the latest `#Fields:` line.
    let mut columns: Option<W3cColumns> = None;
    for (index, line) in text.lines().enumerate() {
        found.lines += 1;
        let line = line.trim_end_matches('\r');
        let fields = if let Some(names) = line.strip_prefix("#Fields:") {
            columns = W3cColumns::named(names);
            continue;
        } else if line.starts_with('#') || line.trim().is_empty() {
            continue;
        } else if line.trim_start().starts_with('{') {
            json_line(line, log_path)
        } else if let Some(columns) = columns.as_ref().filter(|_| line.contains('\t')) {
            columns
                .request(line)
                .and_then(|target| event_request(&target, log_path))
        } else {
            quoted_request(line).and_then(|target| event_request(target, log_path))
        };
        match fields.map(Event::from_fields) {
            Some(Ok(event)) => found.events.push(event),
            Some(Err(why)) => found.warnings.push(
                Diagnostic::new(file, format!("not a helpdeck event: {why}"))
                    .at_line(index + 1)
                    .quoting(line),
            ),
            None => {}
        }
    }
    found
}

/// The event a request for the event file carries in its query string (`event=search&…`).
pub fn from_query(query: &str) -> Result<Event, String> {
    Event::from_fields(query_fields(query))
}

/// The fields helpdeck sends, from a URL's query string.
fn query_fields(query: &str) -> Fields {
    known_fields(form_urlencoded::parse(query.as_bytes()))
}

type Fields = Vec<(&'static str, String)>;

/// The fields of an event request: `target` is a request's path and query, and its path ends
/// with the event file's.
fn event_request(target: &str, log_path: &str) -> Option<Fields> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    path.ends_with(log_path).then(|| query_fields(query))
}

/// The fields helpdeck sends, by their static names, from any pairs of strings.
fn known_fields<K: AsRef<str>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Fields {
    const NAMES: [&str; 7] = [
        "event", "lang", "query", "page", "results", "rank", "helpful",
    ];
    pairs
        .into_iter()
        .filter_map(|(key, value)| {
            let name = NAMES.iter().find(|n| **n == key.as_ref())?;
            Some((*name, value.into()))
        })
        .collect()
}

/// The target of the first quoted `"GET <target> HTTP/…"` request in a log line: Common and
/// Combined Log Format, and S3's `Request-URI` field.
fn quoted_request(line: &str) -> Option<&str> {
    let start = line.find("\"GET ")? + "\"GET ".len();
    let rest = &line[start..];
    let end = rest.find([' ', '"'])?;
    Some(&rest[..end])
}

/// A JSON line: an endpoint's event (it has `event`), or Cloudflare's record of a request for
/// the event file. Anything else (or a line that is not JSON) is some other record.
fn json_line(line: &str, log_path: &str) -> Option<Fields> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let object = value.as_object()?;
    if object.contains_key("event") {
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        return Some(known_fields(
            object.iter().map(|(k, v)| (k.as_str(), text(v))),
        ));
    }
    let method = object.get("ClientRequestMethod").and_then(|m| m.as_str());
    if method.is_some_and(|m| m != "GET") {
        return None;
    }
    event_request(object.get("ClientRequestURI")?.as_str()?, log_path)
}

/// Where a W3C extended log keeps the request, from its `#Fields:` line.
struct W3cColumns {
    method: Option<usize>,
    stem: usize,
    query: usize,
}

impl W3cColumns {
    fn named(names: &str) -> Option<W3cColumns> {
        let names: Vec<&str> = names.split_whitespace().collect();
        let at = |name: &str| names.iter().position(|n| *n == name);
        Some(W3cColumns {
            method: at("cs-method"),
            stem: at("cs-uri-stem")?,
            query: at("cs-uri-query")?,
        })
    }

    /// The request's path and query, when it is a GET (`-` is an empty field).
    fn request(&self, line: &str) -> Option<String> {
        let values: Vec<&str> = line.split('\t').collect();
        if let Some(method) = self.method {
            if values.get(method).is_some_and(|m| *m != "GET") {
                return None;
            }
        }
        let stem = values.get(self.stem)?;
        match *values.get(self.query)? {
            "-" | "" => Some(stem.to_string()),
            query => Some(format!("{stem}?{query}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> FileEvents {
        read(Path::new("access.log"), text, "/_hd/e.gif")
    }

    #[test]
    fn a_combined_log_line_with_the_event_file_is_an_event() {
        let found = events(
            "203.0.113.9 - - [07/Dec/2026:10:00:00 +0000] \"GET /_hd/e.gif?event=search&lang=lt&query=gr%C4%85%C5%BEinimas+terminas&results=3 HTTP/1.1\" 200 43 \"https://shop.example/lt/\" \"Mozilla/5.0\"\n\
             203.0.113.9 - - [07/Dec/2026:10:00:01 +0000] \"GET /lt/policies/returns/ HTTP/1.1\" 200 9000 \"-\" \"Mozilla/5.0\"\n",
        );
        assert_eq!(
            found.events,
            [Event::Search {
                lang: "lt".into(),
                query: "grąžinimas terminas".into(),
                results: 3
            }]
        );
        assert!(found.warnings.is_empty());
    }

    #[test]
    fn a_request_for_the_event_file_that_is_no_event_is_a_warning_with_its_line() {
        let found = events(
            "\n203.0.113.9 - - [07/Dec/2026:10:00:00 +0000] \"GET /_hd/e.gif?event=vote&lang=en&page=/faq/&helpful=maybe HTTP/1.1\" 200 43\n",
        );
        assert!(found.events.is_empty());
        let warning = &found.warnings[0];
        assert_eq!(warning.line, Some(2));
        assert!(
            warning.message.contains("`helpful` is neither yes nor no"),
            "{warning:?}"
        );
    }

    #[test]
    fn an_event_as_json_reads_back_as_itself() {
        let vote = Event::Vote {
            lang: "pl".into(),
            page: "/pl/faq/".into(),
            helpful: false,
        };
        let line = serde_json::to_string(&vote).expect("JSON");
        assert_eq!(
            line,
            r#"{"event":"vote","lang":"pl","page":"/pl/faq/","helpful":"no"}"#
        );
        assert_eq!(events(&line).events, [vote]);
    }

    #[test]
    fn other_json_and_other_methods_are_passed_over() {
        let found = events(
            "{\"ClientRequestMethod\":\"POST\",\"ClientRequestURI\":\"/_hd/e.gif?event=search&lang=en&query=x&results=1\"}\n\
             {\"ClientRequestMethod\":\"GET\",\"ClientRequestURI\":\"/faq/\"}\n\
             {not json\n",
        );
        assert!(found.events.is_empty());
        assert!(found.warnings.is_empty());
    }
}
