//! The HTTP side of `serve` (tiny_http: a small blocking server, enough for one person's
//! browser, and quick to compile). Answers GET and HEAD from the served files only: clean URLs
//! (`index.html` for folders), the site's 404 page with status 404, the base path, correct
//! content types, byte ranges (the search index is read by them, as from a static host), no
//! directory listings, no caching.
//!
//! Safety: a request path is decoded once and refused (400) when it holds `..`, `.`, empty
//! segments, backslashes, encoded slashes, NUL or other control bytes; what remains is looked up
//! in the index of files the build wrote, never joined onto a folder blindly. A `Host` that is
//! neither loopback nor the bound address gets 403 (DNS rebinding), as does a foreign `Origin`
//! on the reload channel. No `Access-Control-Allow-Origin` header is ever sent.

use std::io::Write;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::State;
use super::files::ServedFiles;
use super::live::{self, PageFacts};

/// How long a request for a search index file waits for the first index (built after the
/// first build is served: seconds on a large site).
const FIRST_INDEX_WAIT: Duration = Duration::from_secs(60);

/// The address the server listens on, as requests must name it.
pub struct Binding {
    pub ip: IpAddr,
    pub port: u16,
}

pub fn handle(request: Request, state: &State) {
    let reply = answer(&request, state);
    let _ = match reply {
        Reply::EventStream => open_event_stream(request, state),
        Reply::Send(response) => request.respond(response),
    };
}

enum Reply {
    Send(Response<std::io::Cursor<Vec<u8>>>),
    EventStream,
}

fn answer(request: &Request, state: &State) -> Reply {
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    match header("Host") {
        Some(host) if host_allowed(&host, &state.binding) => {}
        Some(_) => return plain(403, "Forbidden: unknown Host (serve is for this machine)"),
        None => return plain(400, "Bad request: no Host header"),
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let mut response = plain(405, "Method not allowed");
        if let Reply::Send(r) = &mut response {
            add_header(r, "Allow", "GET, HEAD");
        }
        return response;
    }
    let Some(path) = clean_path(request.url()) else {
        return plain(400, "Bad request: not a path this server serves");
    };
    if path == live::EVENTS_URL {
        return match header("Origin") {
            Some(origin) if !origin_allowed(&origin, &state.binding) => {
                plain(403, "Forbidden: foreign Origin")
            }
            _ => Reply::EventStream,
        };
    }
    // What the site's scripts send, as `helpdeck report` will read it from the host's log.
    if state.is_event_log(&path) {
        let query = request.url().split_once('?').map_or("", |(_, q)| q);
        match crate::report::event_from_query(query) {
            Ok(event) => println!(
                "analytics event: {}",
                serde_json::to_string(&event).unwrap_or_default()
            ),
            Err(why) => {
                println!("analytics: a request for the event file without an event ({why})")
            }
        }
    }
    if path == live::SCRIPT_URL {
        return bytes(200, "js", live::SCRIPT.as_bytes().to_vec());
    }
    if path == super::TRANSLATIONS_URL {
        let html = super::translations_page::render(state);
        return page(200, html.into_bytes(), state, "", None, false);
    }
    if path == super::EXPORTS_URL {
        let html = super::exports_page::render(&state.root, super::EXPORTS_URL);
        return page(200, html.into_bytes(), state, "", None, false);
    }
    if let Some(lang) = path
        .strip_prefix(super::TRANSLATIONS_URL)
        .and_then(|file| file.strip_prefix("strings."))
        .and_then(|file| file.strip_suffix(".po"))
    {
        return match crate::translations::strings::export(&state.root, lang) {
            Ok(po) => bytes(200, "po", po.into_bytes()),
            Err(error) => plain(500, &error.to_string()),
        };
    }
    // A language's pages for a translator's tool, as they are now.
    if let Some((lang, format)) = path
        .strip_prefix(super::TRANSLATIONS_URL)
        .and_then(|file| file.strip_prefix("pages."))
        .and_then(|file| file.rsplit_once('.'))
    {
        let format = match format {
            "po" => crate::translations::Exchange::Po,
            "xlf" => crate::translations::Exchange::Xliff,
            _ => return plain(404, "Not found: pages are exported as .po or .xlf"),
        };
        return match crate::translations::pages_file(&state.root, lang, format) {
            Ok(text) => bytes(200, format.extension(), text.into_bytes()),
            Err(error) => plain(500, &error.to_string()),
        };
    }
    if let Some(file) = path.strip_prefix(super::EXPORTS_URL) {
        let extension = file.rsplit('.').next().unwrap_or_default();
        return match super::exports_page::file(&state.root, file) {
            Some(Ok(body)) => bytes(200, extension, body),
            Some(Err(why)) => plain(500, &why),
            None => plain(404, "Not found: no such export"),
        };
    }
    serve_file(&path, header("Range").as_deref(), state)
}

fn serve_file(path: &str, range: Option<&str>, state: &State) -> Reply {
    let base_path = state.base_path();
    let files: &ServedFiles = &state.files;
    let Some(below_base) = path.strip_prefix(&base_path) else {
        return not_found(path, None, state);
    };
    if below_base.is_empty() {
        return redirect(&format!("{base_path}/"));
    }
    let Some(relative) = below_base.strip_prefix('/') else {
        return not_found(path, None, state);
    };
    let (wanted, is_folder) = if relative.is_empty() || relative.ends_with('/') {
        (format!("{relative}index.html"), true)
    } else {
        (relative.to_string(), false)
    };
    let mut found = files.read(&wanted);
    if found.is_none() && Path::new(&wanted).starts_with(crate::index::FOLDER) {
        state.wait_for_first_index(FIRST_INDEX_WAIT);
        found = files.read(&wanted);
    }
    if let Some(content) = found {
        let extension = wanted.rsplit_once('.').map_or("", |(_, e)| e);
        if extension == "html" {
            let draft = state.is_draft(&wanted);
            return page(200, content, state, &wanted, None, draft);
        }
        return ranged(extension, content, range);
    }
    if !is_folder && files.contains(&format!("{relative}/index.html")) {
        return redirect(&format!("{base_path}/{relative}/"));
    }
    not_found(relative, Some(&wanted), state)
}

/// A file, or the byte range of it a `Range` header asks for, as static hosts answer one.
fn ranged(extension: &str, content: Vec<u8>, range: Option<&str>) -> Reply {
    let length = content.len();
    let Some(asked) = range.and_then(|range| byte_range(range, length)) else {
        let mut reply = bytes(200, extension, content);
        if let Reply::Send(response) = &mut reply {
            add_header(response, "Accept-Ranges", "bytes");
        }
        return reply;
    };
    let (status, body, content_range) = match asked {
        Some((first, last)) => (
            206,
            content[first..=last].to_vec(),
            format!("bytes {first}-{last}/{length}"),
        ),
        None => (416, Vec::new(), format!("bytes */{length}")),
    };
    let mut reply = bytes(status, extension, body);
    if let Reply::Send(response) = &mut reply {
        add_header(response, "Content-Range", &content_range);
    }
    reply
}

/// The first and last byte a `Range` header asks for in a body of `length` bytes: `None` when
/// it is not one range of bytes (the whole body is sent, as HTTP allows), `Some(None)` when it
/// is one that lies outside the body.
fn byte_range(range: &str, length: usize) -> Option<Option<(usize, usize)>> {
    let spec = range.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |text: &str| text.trim().parse::<usize>().ok();
    let asked = match (first.trim().is_empty(), last.trim().is_empty()) {
        // The last n bytes.
        (true, false) => {
            let n = number(last)?;
            (n > 0).then(|| (length.saturating_sub(n), length.wrapping_sub(1)))
        }
        (false, true) => {
            let first = number(first)?;
            Some((first, length.wrapping_sub(1)))
        }
        (false, false) => {
            let (first, last) = (number(first)?, number(last)?);
            if last < first {
                return None;
            }
            Some((first, last.min(length.wrapping_sub(1))))
        }
        (true, true) => return None,
    };
    Some(asked.filter(|&(first, _)| first < length))
}

/// The site's 404 page for the language the path is under (else the default language's).
fn not_found(relative: &str, wanted: Option<&str>, state: &State) -> Reply {
    let first = relative.split('/').next().unwrap_or_default();
    let candidates = [format!("{first}/404.html"), "404.html".to_string()];
    for candidate in candidates.iter().filter(|c| !c.starts_with('/')) {
        if let Some(content) = state.files.read(candidate) {
            return page(404, content, state, candidate, wanted, false);
        }
    }
    let html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
    page(404, html.as_bytes().to_vec(), state, "", wanted, false)
}

fn page(
    status: u16,
    html: Vec<u8>,
    state: &State,
    served: &str,
    wanted: Option<&str>,
    draft: bool,
) -> Reply {
    let base_path = state.base_path();
    let facts = PageFacts {
        served,
        wanted,
        base_path: &base_path,
        draft,
    };
    bytes(status, "html", live::inject(&html, &facts))
}

fn bytes(status: u16, extension: &str, body: Vec<u8>) -> Reply {
    // Every body is in memory, its length known: sent with Content-Length, never chunked
    // (tiny_http chunks bodies over 32 KB by default, which the browser then cannot size).
    let length = body.len();
    let mut response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_chunked_threshold(length + 1);
    add_header(&mut response, "Content-Type", content_type(extension));
    add_header(&mut response, "Cache-Control", "no-store");
    add_header(&mut response, "X-Content-Type-Options", "nosniff");
    Reply::Send(response)
}

fn plain(status: u16, text: &str) -> Reply {
    bytes(status, "txt", format!("{text}\n").into_bytes())
}

/// A redirect to a decoded path (percent-encoded again for the header).
fn redirect(path: &str) -> Reply {
    let location = path
        .split('/')
        .map(crate::resolve::urls::encode_segment)
        .collect::<Vec<_>>()
        .join("/");
    let mut response = Response::from_data(Vec::new()).with_status_code(StatusCode(301));
    add_header(&mut response, "Location", &location);
    add_header(&mut response, "Cache-Control", "no-store");
    Reply::Send(response)
}

/// Adds a header; every name and value passed is ASCII, which is all HTTP headers may hold.
fn add_header<R: std::io::Read>(response: &mut Response<R>, name: &str, value: &str) {
    if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(header);
    }
}

fn content_type(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "po" => "text/x-gettext-translation; charset=utf-8",
        "xlf" => "application/xliff+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The decoded path of a request target, or `None` when it tries to leave the output or is not
/// a plain path: `..`/`.` segments, empty segments (`//etc`), backslashes, encoded slashes or
/// backslashes, NUL and other control characters, invalid UTF-8, absolute URLs.
fn clean_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') || raw.contains('\\') {
        return None;
    }
    let lowered = raw.to_ascii_lowercase();
    if lowered.contains("%2f") || lowered.contains("%5c") {
        return None;
    }
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.chars().any(char::is_control) || decoded.contains('\\') {
        return None;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let bad = matches!(*segment, "." | "..") || (segment.is_empty() && i != last);
        // A segment the platform reads as anything but a plain name (`C:` on Windows).
        let plain = segment.is_empty()
            || matches!(
                std::path::Path::new(segment).components().next(),
                Some(std::path::Component::Normal(_))
            ) && std::path::Path::new(segment).components().count() == 1;
        if bad || !plain {
            return None;
        }
    }
    Some(decoded.into_owned())
}

/// Loopback names and addresses, and the address serve is bound to; when bound to every
/// interface (`0.0.0.0`), any IP address (a DNS-rebinding attack needs a domain name).
fn host_allowed(host: &str, binding: &Binding) -> bool {
    let (name, port) = split_host(host);
    if port.is_some_and(|p| p != binding.port) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == binding.ip || binding.ip.is_unspecified(),
        Err(_) => false,
    }
}

/// `http://127.0.0.1:1111` and the like: an Origin whose host passes [`host_allowed`].
fn origin_allowed(origin: &str, binding: &Binding) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| host_allowed(host, binding))
}

/// `[::1]:1111` → (`::1`, Some(1111)); `localhost` → (`localhost`, None).
fn split_host(host: &str) -> (&str, Option<u16>) {
    if let Some(rest) = host.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((ip, port)) => (ip, port.strip_prefix(':').and_then(|p| p.parse().ok())),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, port.parse().ok().or(Some(0))),
        _ => (host, None),
    }
}

fn open_event_stream(request: Request, state: &State) -> std::io::Result<()> {
    let mut writer = request.into_writer();
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n",
    )?;
    writer.flush()?;
    state.live.connect(writer);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_output_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/a%2f..%2fb",
            "/..\\windows",
            "//etc/passwd",
            "/a/./b",
            "/a%00.html",
            "http://example.com/",
            "/%ff",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(
            clean_path("/lt/grąžinimas/?q=1").as_deref(),
            Some("/lt/grąžinimas/")
        );
        assert_eq!(clean_path("/").as_deref(), Some("/"));
    }

    #[test]
    fn one_byte_range_is_read_as_static_hosts_read_it() {
        assert_eq!(byte_range("bytes=0-9", 100), Some(Some((0, 9))));
        assert_eq!(byte_range("bytes=90-200", 100), Some(Some((90, 99))));
        assert_eq!(byte_range("bytes=95-", 100), Some(Some((95, 99))));
        assert_eq!(byte_range("bytes=-10", 100), Some(Some((90, 99))));
        assert_eq!(byte_range("bytes=-500", 100), Some(Some((0, 99))));
        assert_eq!(byte_range("bytes=100-120", 100), Some(None));
        assert_eq!(byte_range("bytes=0-0", 0), Some(None));
        for whole in [
            "bytes=0-1,5-9",
            "items=0-9",
            "bytes=9-0",
            "bytes=-",
            "bytes=a-b",
        ] {
            assert_eq!(byte_range(whole, 100), None, "{whole}");
        }
    }

    #[test]
    fn only_loopback_or_the_bound_address_may_be_the_host() {
        let local = Binding {
            ip: "127.0.0.1".parse().unwrap(),
            port: 1111,
        };
        assert!(host_allowed("127.0.0.1:1111", &local));
        assert!(host_allowed("localhost:1111", &local));
        assert!(host_allowed("[::1]:1111", &local));
        assert!(!host_allowed("evil.example:1111", &local));
        assert!(!host_allowed("127.0.0.1:2222", &local));
        assert!(!host_allowed("192.168.1.5:1111", &local));
        let everywhere = Binding {
            ip: "0.0.0.0".parse().unwrap(),
            port: 1111,
        };
        assert!(host_allowed("192.168.1.5:1111", &everywhere));
        assert!(!host_allowed("rebind.example:1111", &everywhere));
        assert!(origin_allowed("http://localhost:1111", &local));
        assert!(!origin_allowed("http://evil.example", &local));
    }
}
