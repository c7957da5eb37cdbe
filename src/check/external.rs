//! External links (`helpdeck check --external`): each distinct URL is requested once, a few at
//! a time, each with a time limit, so a slow or dead host cannot stall the check.
//! A 4xx or 5xx answer is an error; a host that does not answer in time is a warning, as it
//! may be down only for now.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use super::links::ExternalLink;
use super::{Finding, Severity};
use crate::diagnostic::Diagnostic;

/// Requests in flight at once.
const CONCURRENCY: usize = 8;
/// The longest one request may take, connecting included.
const TIMEOUT: Duration = Duration::from_secs(10);

pub fn check(links: &[ExternalLink], findings: &mut Vec<Finding>) {
    let mut uses: BTreeMap<&str, Vec<&ExternalLink>> = BTreeMap::new();
    for link in links {
        uses.entry(link.url.as_str()).or_default().push(link);
    }
    let urls: Vec<&str> = uses.keys().copied().collect();
    let next = Mutex::new(urls.iter());
    let outcomes = Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    std::thread::scope(|scope| {
        for _ in 0..CONCURRENCY.min(urls.len()) {
            scope.spawn(|| {
                while let Some(url) = next.lock().ok().and_then(|mut n| n.next().copied()) {
                    let outcome = request(&agent, url);
                    if let Ok(mut outcomes) = outcomes.lock() {
                        outcomes.push((url, outcome));
                    }
                }
            });
        }
    });
    for (url, outcome) in outcomes.into_inner().unwrap_or_default() {
        let Some((severity, message)) = outcome else {
            continue;
        };
        for link in &uses[url] {
            findings.push(Finding::new(
                severity,
                Diagnostic {
                    line: Some(link.line),
                    column: Some(link.column),
                    ..Diagnostic::new(&link.file, message.clone())
                }
                .quoting(url),
            ));
        }
    }
}

/// `None` when the link works; else how bad it is and why.
fn request(agent: &ureq::Agent, url: &str) -> Option<(Severity, String)> {
    let url = match url.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => url.to_string(),
    };
    // Some servers refuse HEAD; ask again with GET before calling a link broken.
    let status = match agent.head(&url).call() {
        Ok(response) if response.status().as_u16() < 400 => return None,
        Ok(_) => agent.get(&url).call().map(|r| r.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(code) if code < 400 => None,
        Ok(code) => Some((
            Severity::Error,
            format!("broken external link: the server answers {code}"),
        )),
        Err(e) => Some((
            Severity::Warning,
            format!("external link not reachable: {e}"),
        )),
    }
}
