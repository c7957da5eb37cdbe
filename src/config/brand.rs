//! `[brand]`: what makes the help centre the shop's own: its logo, its icon, its accent colour
//! and the way back to the shop. An accent is checked for contrast (WCAG 2 AA, 4.5:1 for text)
//! against the default theme's backgrounds in its colour scheme, so a brand colour cannot make
//! the links unreadable.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::FileText;
use crate::colour::contrast;
use crate::diagnostic::Diagnostic;

/// `[brand]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBrand {
    logo: Option<Spanned<String>>,
    favicon: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    accent_dark: Option<Spanned<String>>,
    shop_url: Option<Spanned<String>>,
}

/// The validated brand, as templates read it (`site.brand`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Brand {
    /// An image path on the site (`/images/logo.svg`) or an http(s) URL. The theme shows it
    /// beside the site's title, which says what it says (so its `alt` is empty).
    pub logo: Option<String>,
    pub favicon: Option<Favicon>,
    /// Links, buttons and focus rings in the light scheme, and its hover shade.
    pub accent: Option<Accent>,
    /// The same in the dark scheme.
    pub accent_dark: Option<Accent>,
    /// The shop itself, for a "back to the shop" link and the Organization's `url`.
    pub shop_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Favicon {
    pub href: String,
    /// Its media type, for `<link rel="icon" type>`.
    pub media_type: &'static str,
}

impl Favicon {
    /// The site file (`images/favicon.svg`) helpdeck draws the icon's other sizes from: an SVG
    /// or PNG of the site's own; an ICO or a remote image is linked as it is.
    pub fn drawn_from(&self) -> Option<&str> {
        let local = self
            .href
            .strip_prefix('/')
            .filter(|p| !p.starts_with('/'))?;
        matches!(self.media_type, "image/svg+xml" | "image/png").then_some(local)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accent {
    /// `#rrggbb`.
    pub color: String,
    /// Further from the background: hovering never loses contrast.
    pub hover: String,
}

/// The default theme's backgrounds and the text on an accent-coloured button, per scheme.
const LIGHT: Scheme = Scheme {
    name: "light",
    key: "accent",
    backgrounds: [[0xf5, 0xf7, 0xfa], [0xff, 0xff, 0xff]],
    on_accent: [0xff, 0xff, 0xff],
};
const DARK: Scheme = Scheme {
    name: "dark",
    key: "accent_dark",
    backgrounds: [[0x0f, 0x14, 0x1a], [0x16, 0x1c, 0x24]],
    on_accent: [0x0b, 0x12, 0x20],
};

struct Scheme {
    name: &'static str,
    key: &'static str,
    backgrounds: [[u8; 3]; 2],
    on_accent: [u8; 3],
}

/// WCAG 2's minimum contrast for body-size text (AA).
const MIN_CONTRAST: f64 = 4.5;

pub(super) fn brand(raw: RawBrand, source: FileText, problems: &mut Vec<Diagnostic>) -> Brand {
    let mut link = |value: Option<Spanned<String>>, key: &str| {
        let value = value?;
        let url = value.get_ref();
        if super::is_link(url) {
            return Some(value.into_inner());
        }
        problems.push(source.at(
            value.span().start,
            format!("[brand] `{key}` must be a path on the site (/images/logo.svg) or an http(s) URL, not `{url}`"),
        ));
        None
    };
    let logo = link(raw.logo, "logo");
    let shop_url = link(raw.shop_url, "shop_url");
    let favicon_at = raw.favicon.as_ref().map(|f| f.span().start);
    let favicon = link(raw.favicon, "favicon").and_then(|href| {
        let extension = href
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let media_type = match extension.as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "ico" => "image/x-icon",
            _ => {
                problems.push(source.at(
                    favicon_at.unwrap_or(0),
                    format!("[brand] `favicon` must be an .svg, .png or .ico file, not `{href}`"),
                ));
                return None;
            }
        };
        Some(Favicon { href, media_type })
    });
    let mut accent = |value: Option<Spanned<String>>, scheme: &Scheme| {
        let value = value?;
        accent_for(value.get_ref(), scheme)
            .map_err(|why| problems.push(source.at(value.span().start, why)))
            .ok()
    };
    Brand {
        logo,
        favicon,
        accent: accent(raw.accent, &LIGHT),
        accent_dark: accent(raw.accent_dark, &DARK),
        shop_url,
    }
}

/// `text` as an accent for `scheme`, or why it cannot be one.
fn accent_for(text: &str, scheme: &Scheme) -> Result<Accent, String> {
    let key = scheme.key;
    let color = parse_hex(text).ok_or_else(|| {
        format!("[brand] `{key}` must be a colour like \"#1d5bbf\", not `{text}`")
    })?;
    let against = scheme
        .backgrounds
        .iter()
        .chain([&scheme.on_accent])
        .map(|other| contrast(color, *other))
        .fold(f64::INFINITY, f64::min);
    if against < MIN_CONTRAST {
        return Err(format!(
            "[brand] `{key}` {text} has a contrast of {against:.2}:1 with the {} scheme's backgrounds or button text; links need at least {MIN_CONTRAST}:1 (WCAG AA): make it {}",
            scheme.name,
            if scheme.name == "light" {
                "darker"
            } else {
                "lighter"
            }
        ));
    }
    // Towards black in the light scheme, towards white in the dark one.
    let towards: [u8; 3] = if scheme.name == "light" {
        [0; 3]
    } else {
        [255; 3]
    };
    let hover = mix(color, towards, 0.2);
    Ok(Accent {
        color: hex(color),
        hover: hex(hover),
    })
}

fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let digits = text.strip_prefix('#')?;
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match digits.len() {
        3 => {
            let mut rgb = [0; 3];
            for (i, c) in digits.chars().enumerate() {
                rgb[i] = channel(&c.to_string())? * 17;
            }
            Some(rgb)
        }
        6 => Some([
            channel(digits.get(0..2)?)?,
            channel(digits.get(2..4)?)?,
            channel(digits.get(4..6)?)?,
        ]),
        _ => None,
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn mix(color: [u8; 3], towards: [u8; 3], amount: f64) -> [u8; 3] {
    let mut mixed = [0; 3];
    for i in 0..3 {
        let value = f64::from(color[i]) + (f64::from(towards[i]) - f64::from(color[i])) * amount;
        mixed[i] = value.round().clamp(0.0, 255.0) as u8;
    }
    mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_are_checked_in_their_scheme() {
        let theme = accent_for("#1d5bbf", &LIGHT).unwrap();
        assert_eq!(theme.color, "#1d5bbf");
        assert_eq!(theme.hover, "#174999");
        assert!(accent_for("#7db5ff", &DARK).is_ok());
        let pale = accent_for("#f0a", &LIGHT).unwrap_err();
        assert!(pale.contains("make it darker"), "{pale}");
        assert!(
            accent_for("#1d5bbf", &DARK)
                .unwrap_err()
                .contains("make it lighter")
        );
        assert!(
            accent_for("blue", &LIGHT)
                .unwrap_err()
                .contains("a colour like")
        );
    }
}
