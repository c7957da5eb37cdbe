//! The site's static files in watch mode: copied again only when their size or modification
//! time changed, and the icon sizes drawn again only when the favicon they are drawn from did.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use super::Rebuilder;
use crate::config::Brand;
use crate::diagnostic::{Error, Result};
use crate::load::StaticFile;
use crate::output::{Output, Sink};
use crate::render::icons;

pub(super) type Stamps = HashMap<PathBuf, (u64, Option<SystemTime>)>;

/// What copying the static files did.
pub(super) struct StaticCopy {
    pub copied: usize,
    /// Outputs of static files gone since last time.
    pub removed: Vec<PathBuf>,
    pub stamps: Stamps,
}

impl Rebuilder {
    /// Copies the static files that are new or changed since last time. The icons drawn from
    /// the favicon are stamped with its stamp: a new favicon, or a favicon file changed,
    /// draws them again, and a favicon gone removes them.
    pub(super) fn copy_static(
        &self,
        files: &[StaticFile],
        brand: &Brand,
        sink: &Sink<'_>,
    ) -> Result<StaticCopy> {
        // A favicon missing while the seller moves files about fails `build` and `check`;
        // here its links just answer 404 until it is back.
        let favicon = icons::source(brand, files).ok().flatten();
        let mut stamps = HashMap::with_capacity(files.len());
        let mut copied = 0;
        for file in files {
            let metadata = std::fs::metadata(&file.source)
                .map_err(|e| Error::io("cannot read", &file.source, e))?;
            let stamp = (metadata.len(), metadata.modified().ok());
            let icon_paths = [icons::ICO, icons::ANDROID, icons::APPLE_TOUCH].map(PathBuf::from);
            let is_favicon = favicon.is_some_and(|f| std::ptr::eq(f, file));
            let copy = self.static_stamps.get(&file.output) != Some(&stamp);
            let draw = is_favicon
                && icon_paths
                    .iter()
                    .any(|p| self.static_stamps.get(p) != Some(&stamp));
            stamps.insert(file.output.clone(), stamp);
            if is_favicon {
                stamps.extend(icon_paths.map(|p| (p, stamp)));
            }
            if !copy && !draw {
                continue;
            }
            // Read once for the copy and the icons alike.
            let bytes = std::fs::read(&file.source)
                .map_err(|e| Error::io("cannot read", &file.source, e))?;
            if draw {
                for icon in icons::from_file(brand, file, &bytes).map_err(Error::single)? {
                    sink(icon)?;
                    copied += 1;
                }
            }
            if copy {
                sink(Output {
                    path: file.output.clone(),
                    bytes,
                })?;
                copied += 1;
            }
        }
        let removed = self
            .static_stamps
            .keys()
            .filter(|p| !stamps.contains_key(*p))
            .cloned()
            .collect();
        Ok(StaticCopy {
            copied,
            removed,
            stamps,
        })
    }
}
