//! The site's static files in watch mode: copied again only when their size or modification
//! time changed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use super::Rebuilder;
use crate::diagnostic::{Error, Result};
use crate::load::StaticFile;
use crate::output::{Output, Sink};

pub(super) type Stamps = HashMap<PathBuf, (u64, Option<SystemTime>)>;

/// What copying the static files did.
pub(super) struct StaticCopy {
    pub copied: usize,
    /// Outputs of static files gone since last time.
    pub removed: Vec<PathBuf>,
    pub stamps: Stamps,
}

impl Rebuilder {
    /// Copies the static files that are new or changed since last time.
    pub(super) fn copy_static(&self, files: &[StaticFile], sink: &Sink<'_>) -> Result<StaticCopy> {
        let mut stamps = HashMap::with_capacity(files.len());
        let mut copied = 0;
        for file in files {
            let metadata = std::fs::metadata(&file.source)
                .map_err(|e| Error::io("cannot read", &file.source, e))?;
            let stamp = (metadata.len(), metadata.modified().ok());
            if self.static_stamps.get(&file.output) != Some(&stamp) {
                let bytes = std::fs::read(&file.source)
                    .map_err(|e| Error::io("cannot read", &file.source, e))?;
                sink(Output {
                    path: file.output.clone(),
                    bytes,
                })?;
                copied += 1;
            }
            stamps.insert(file.output.clone(), stamp);
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
