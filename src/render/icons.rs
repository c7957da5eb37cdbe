//! The shop's icon in the sizes browsers, phones and search engines ask for, drawn from the one
//! image `[brand] favicon` names (SVG or PNG):
//! - `favicon.ico` (16, 32 and 48 pixels): browsers and feed readers ask the site's root for
//!   it whatever a page links, and Google Search wants a multiple of 48 pixels;
//! - `icon-192.png`: Android's home screen and tab strip;
//! - `apple-touch-icon.png` (180 pixels, on white: iOS fills transparency with black).
//!
//! resvg draws the SVG; tiny-skia (which it is built on) scales a PNG. The ICO container,
//! a directory of PNG images, is the few bytes written here.

use std::path::PathBuf;

use resvg::tiny_skia::{Color, FilterQuality, Pixmap, PixmapPaint, Transform};
use resvg::usvg;

use crate::config::{Brand, CONFIG_FILE};
use crate::diagnostic::Diagnostic;
use crate::load::StaticFile;
use crate::output::Output;

/// The output paths the theme links, relative to the site's root.
pub const ICO: &str = "favicon.ico";
pub const ANDROID: &str = "icon-192.png";
pub const APPLE_TOUCH: &str = "apple-touch-icon.png";

const ICO_SIZES: [u32; 3] = [16, 32, 48];

/// Below this the generated sizes would be blown up from too few pixels.
const SMALLEST_PNG: u32 = 180;

/// The static file the icons are drawn from, when `[brand] favicon` names the site's own SVG
/// or PNG; a favicon the site does not have is an error, as its sizes would be broken links.
pub fn source<'a>(
    brand: &Brand,
    static_files: &'a [StaticFile],
) -> Result<Option<&'a StaticFile>, Diagnostic> {
    let Some(favicon) = brand.favicon.as_ref() else {
        return Ok(None);
    };
    let Some(path) = favicon.drawn_from() else {
        return Ok(None);
    };
    match static_files
        .iter()
        .find(|f| f.output == std::path::Path::new(path))
    {
        Some(file) => Ok(Some(file)),
        None => Err(Diagnostic::new(
            CONFIG_FILE,
            format!(
                "[brand] favicon `{}` is no file of the site: put the image in static/{path}",
                favicon.href
            ),
        )),
    }
}

/// The icons drawn from `file`, whose bytes are `bytes`.
pub fn from_file(
    brand: &Brand,
    file: &StaticFile,
    bytes: &[u8],
) -> Result<Vec<Output>, Diagnostic> {
    let svg = brand
        .favicon
        .as_ref()
        .is_some_and(|f| f.media_type == "image/svg+xml");
    generate(bytes, svg).map_err(|why| {
        Diagnostic::new(
            CONFIG_FILE,
            format!("[brand] favicon `{}` {why}", file.output.display()),
        )
    })
}

/// The icons of a site whose static files are `static_files`, read from disk.
pub fn for_site(
    brand: &Brand,
    static_files: &[StaticFile],
) -> crate::diagnostic::Result<Vec<Output>> {
    use crate::diagnostic::Error;
    let Some(file) = source(brand, static_files).map_err(Error::single)? else {
        return Ok(Vec::new());
    };
    let bytes =
        std::fs::read(&file.source).map_err(|e| Error::io("cannot read", &file.source, e))?;
    from_file(brand, file, &bytes).map_err(Error::single)
}

/// Every generated icon from the favicon's bytes (`svg` says which kind they are), or why
/// the image cannot give them.
pub fn generate(bytes: &[u8], svg: bool) -> Result<Vec<Output>, String> {
    let image = match svg {
        true => Image::Svg(Box::new(
            usvg::Tree::from_data(bytes, &usvg::Options::default())
                .map_err(|e| format!("is not an SVG image helpdeck can draw: {e}"))?,
        )),
        false => {
            let pixmap = Pixmap::decode_png(bytes)
                .map_err(|e| format!("is not a PNG image helpdeck can read: {e}"))?;
            let smallest = pixmap.width().min(pixmap.height());
            if smallest < SMALLEST_PNG {
                return Err(format!(
                    "is {}×{} pixels: give at least {SMALLEST_PNG}×{SMALLEST_PNG} (or an SVG), \
                     so the 180- and 192-pixel icons are not blown up",
                    pixmap.width(),
                    pixmap.height()
                ));
            }
            Image::Png(pixmap)
        }
    };
    let png = |size: u32, background: Option<Color>| -> Result<Vec<u8>, String> {
        image
            .draw(size, background)?
            .encode_png()
            .map_err(|e| format!("could not be encoded as PNG: {e}"))
    };
    let ico_images = ICO_SIZES
        .iter()
        .map(|&size| png(size, None).map(|bytes| (size, bytes)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![
        output(ICO, ico(&ico_images)),
        output(ANDROID, png(192, None)?),
        output(APPLE_TOUCH, png(180, Some(Color::WHITE))?),
    ])
}

fn output(path: &str, bytes: Vec<u8>) -> Output {
    Output {
        path: PathBuf::from(path),
        bytes,
    }
}

enum Image {
    Svg(Box<usvg::Tree>),
    Png(Pixmap),
}

impl Image {
    /// The image fitted into a `size`-pixel square, centred, on `background` (else
    /// transparent).
    fn draw(&self, size: u32, background: Option<Color>) -> Result<Pixmap, String> {
        let mut canvas = blank(size, size)?;
        if let Some(color) = background {
            canvas.fill(color);
        }
        let (width, height) = match self {
            Image::Svg(tree) => (tree.size().width(), tree.size().height()),
            Image::Png(pixmap) => (pixmap.width() as f32, pixmap.height() as f32),
        };
        let scale = size as f32 / width.max(height);
        let (dx, dy) = (
            (size as f32 - width * scale) / 2.0,
            (size as f32 - height * scale) / 2.0,
        );
        let transform = Transform::from_translate(dx, dy).pre_scale(scale, scale);
        match self {
            Image::Svg(tree) => resvg::render(tree, transform, &mut canvas.as_mut()),
            Image::Png(pixmap) => {
                let source = halved_towards(pixmap, (width.max(height) * scale) as u32)?;
                let step = width.max(height) / source.width().max(source.height()) as f32;
                canvas.draw_pixmap(
                    0,
                    0,
                    source.as_ref(),
                    &PixmapPaint {
                        quality: FilterQuality::Bicubic,
                        ..PixmapPaint::default()
                    },
                    transform.pre_scale(step, step),
                    None,
                );
            }
        }
        Ok(canvas)
    }
}

/// `pixmap` halved while it stays at least twice `target`: one bicubic pass over a much larger
/// image samples too few of its pixels and aliases.
fn halved_towards(pixmap: &Pixmap, target: u32) -> Result<Pixmap, String> {
    let mut current = pixmap.clone();
    while current.width().min(current.height()) / 2 >= target.max(1) * 2 {
        let (width, height) = (current.width() / 2, current.height() / 2);
        let mut half = blank(width, height)?;
        half.draw_pixmap(
            0,
            0,
            current.as_ref(),
            &PixmapPaint {
                quality: FilterQuality::Bilinear,
                ..PixmapPaint::default()
            },
            Transform::from_scale(0.5, 0.5),
            None,
        );
        current = half;
    }
    Ok(current)
}

fn blank(width: u32, height: u32) -> Result<Pixmap, String> {
    Pixmap::new(width, height).ok_or_else(|| format!("cannot be drawn at {width}×{height} pixels"))
}

/// An ICO file holding `images` (size, PNG bytes): a six-byte header, a 16-byte entry per
/// image, then the images. Every browser since 2008 reads PNG images in an ICO.
fn ico(images: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let header = 6 + 16 * images.len();
    let mut bytes =
        Vec::with_capacity(header + images.iter().map(|(_, png)| png.len()).sum::<usize>());
    bytes.extend_from_slice(&0u16.to_le_bytes()); // reserved
    bytes.extend_from_slice(&1u16.to_le_bytes()); // an icon, not a cursor
    bytes.extend_from_slice(&(images.len() as u16).to_le_bytes());
    let mut offset = header;
    for (size, png) in images {
        // 0 stands for 256; every size here is smaller.
        bytes.push(*size as u8);
        bytes.push(*size as u8);
        bytes.push(0); // no palette
        bytes.push(0); // reserved
        bytes.extend_from_slice(&1u16.to_le_bytes()); // colour planes
        bytes.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
        bytes.extend_from_slice(&(png.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += png.len();
    }
    for (_, png) in images {
        bytes.extend_from_slice(png);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10"><rect width="20" height="10" fill="#8a4b2a"/></svg>"##;

    fn pixel(png: &[u8], x: u32, y: u32) -> [u8; 4] {
        let pixmap = Pixmap::decode_png(png).expect("a PNG");
        let p = pixmap.pixel(x, y).expect("inside").demultiply();
        [p.red(), p.green(), p.blue(), p.alpha()]
    }

    #[test]
    fn an_svg_is_fitted_and_centred_in_every_size() {
        let icons = generate(SVG.as_bytes(), true).expect("drawn");
        let paths: Vec<_> = icons.iter().map(|o| o.path.to_string_lossy()).collect();
        assert_eq!(paths, [ICO, ANDROID, APPLE_TOUCH]);
        let android = &icons[1].bytes;
        assert_eq!(
            pixel(android, 96, 96),
            [0x8a, 0x4b, 0x2a, 255],
            "the middle"
        );
        assert_eq!(
            pixel(android, 96, 10)[3],
            0,
            "above the wide image: transparent"
        );
        let apple = &icons[2].bytes;
        assert_eq!(pixel(apple, 90, 10), [255, 255, 255, 255], "iOS gets white");
    }

    #[test]
    fn the_ico_directory_points_at_each_png() {
        let icons = generate(SVG.as_bytes(), true).expect("drawn");
        let ico = &icons[0].bytes;
        assert_eq!(&ico[..6], &[0, 0, 1, 0, 3, 0]);
        for (i, size) in ICO_SIZES.iter().enumerate() {
            let entry = &ico[6 + 16 * i..6 + 16 * (i + 1)];
            assert_eq!(u32::from(entry[0]), *size);
            let len = u32::from_le_bytes(entry[8..12].try_into().unwrap()) as usize;
            let at = u32::from_le_bytes(entry[12..16].try_into().unwrap()) as usize;
            let image = Pixmap::decode_png(&ico[at..at + len]).expect("a PNG inside");
            assert_eq!((image.width(), image.height()), (*size, *size));
        }
    }

    #[test]
    fn a_large_png_is_scaled_down_and_a_small_one_refused() {
        let mut big = Pixmap::new(1024, 1024).unwrap();
        big.fill(Color::from_rgba8(0x1d, 0x5b, 0xbf, 255));
        let icons = generate(&big.encode_png().unwrap(), false).expect("scaled");
        assert_eq!(pixel(&icons[1].bytes, 5, 5), [0x1d, 0x5b, 0xbf, 255]);
        assert_eq!(pixel(&icons[1].bytes, 191, 191), [0x1d, 0x5b, 0xbf, 255]);

        let small = Pixmap::new(32, 32).unwrap().encode_png().unwrap();
        let Err(why) = generate(&small, false) else {
            panic!("a 32-pixel PNG gave icons")
        };
        assert!(why.contains("is 32×32 pixels"), "{why}");
        assert!(generate(b"<svg", true).is_err());
        assert!(generate(b"GIF89a", false).is_err());
    }
}
