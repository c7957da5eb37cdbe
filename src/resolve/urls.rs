//! URL paths: validating slugs and aliases so none climbs out of the output, and encoding
//! non-ASCII segments for links while files keep their UTF-8 names.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path segment of a link.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// A URL path (with base path, leading and trailing slash) from decoded segments.
pub fn url_from_segments(base_path: &str, segments: &[String]) -> String {
    let mut url = base_path.to_string();
    url.push('/');
    for segment in segments {
        url.push_str(&encode_segment(segment));
        url.push('/');
    }
    url
}

/// The longest file or folder name most file systems take, in bytes of UTF-8 (ext4, APFS and
/// NTFS all stop at 255).
pub const MAX_SEGMENT_BYTES: usize = 255;

const SEGMENT_TOO_LONG: &str = "is longer than a file name can be (255 bytes of UTF-8)";

/// Why a slug is unusable, if it is.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.trim().len() > MAX_SEGMENT_BYTES {
        Some(SEGMENT_TOO_LONG)
    } else if slug.trim().is_empty() {
        Some("is empty")
    } else if slug.contains(['/', '\\']) {
        Some("must be one path segment (no `/` or `\\`)")
    } else if slug == "." || slug == ".." {
        Some("must not be `.` or `..`")
    } else if slug.chars().any(char::is_control) {
        Some("contains control characters")
    } else {
        None
    }
}

/// An alias (`/old/returns/` or `old/returns`) as segments inside the output, or why not.
pub fn alias_segments(alias: &str) -> Result<Vec<String>, &'static str> {
    if alias.contains('\\') || alias.chars().any(char::is_control) {
        return Err("must be a plain path like /old/returns/");
    }
    if alias.contains("://") {
        return Err("must be a path on this site, not a full URL");
    }
    let segments: Vec<String> = alias
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if segments.iter().any(|s| s == ".." || s == ".") {
        return Err("must not contain `.` or `..` segments (it would point outside the site)");
    }
    if segments.is_empty() {
        return Err("must not be the site root");
    }
    if segments.iter().any(|s| s.len() > MAX_SEGMENT_BYTES) {
        return Err(SEGMENT_TOO_LONG);
    }
    Ok(segments)
}

/// The file name for a page's default slug: whitespace becomes `-`.
pub fn slug_from_stem(stem: &str) -> String {
    stem.split_whitespace().collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_segments_are_encoded() {
        assert_eq!(
            url_from_segments("/help", &["grąžinimas".into()]),
            "/help/gr%C4%85%C5%BEinimas/"
        );
        assert_eq!(url_from_segments("", &[]), "/");
    }

    #[test]
    fn climbing_out_is_refused() {
        assert!(slug_problem("../x").is_some());
        assert!(slug_problem("/etc/x").is_some());
        assert!(alias_segments("../x").is_err());
        assert!(alias_segments("/a/../../x").is_err());
        assert!(slug_problem(&"é".repeat(128)).is_some());
        assert!(slug_problem(&"é".repeat(127)).is_none());
        assert!(alias_segments(&format!("/old/{}/", "a".repeat(256))).is_err());
        assert_eq!(
            alias_segments("/old/returns/").unwrap(),
            vec!["old", "returns"]
        );
    }
}
