//! What building one output read, recorded as it happens: the pages it showed, the keys it
//! looked up, the templates, facts and shared values it used. Watch mode keeps each output's
//! reads and, after an edit, re-renders exactly the outputs where one of them now answers
//! differently ([`crate::rebuild`]).
//!
//! Reads are recorded where the values are reached ([`crate::resolve::Site`]'s accessors, the
//! renderer's templates, facts and shared context), not listed beside the code that builds a
//! context: a new template variable is recorded by reaching its value, and cannot make watch
//! mode serve a stale page.

use std::cell::RefCell;
use std::path::PathBuf;

use xxhash_rust::xxh3::Xxh3;

/// One thing an output was built from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Read {
    /// A page's front matter, address and kind, found by its output path: everything of it but
    /// its Markdown body and the pages around it.
    Page(PathBuf),
    /// The pages around a page: its section and ancestors, its listings, previous and next,
    /// its translations.
    Relations(PathBuf),
    /// A page's Markdown body.
    Body(PathBuf),
    /// A page looked up by key from a language (`@/` links, a language's home): which page
    /// answers.
    Key { key: String, lang: String },
    /// Which pages are a language's policies.
    Policies(String),
    /// Every page: the sitemap, the hosting files.
    AllPages,
    /// Every alias.
    AllAliases,
    /// One alias: its address and the page it leads to.
    Alias(PathBuf),
    /// The returns and shipping terms of `data/shop.toml` that structured data shows.
    Terms,
    /// The context every page of a language shares: site and contact details, UI strings,
    /// navigation's data, the shop's organization.
    Language(String),
    /// The shop's Organization in a language (the home page's structured data).
    Organization(String),
    /// A template, with every template it includes, extends or imports.
    Template(String),
    /// A value of `data/*.toml`, by dotted key.
    Fact(String),
    /// A theme asset's bytes, by output path.
    Asset(PathBuf),
}

thread_local! {
    /// The reads of the output being built on this thread, while one is.
    static RECORDING: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Runs `build` with its reads recorded, and returns them beside its result. Reads on other
/// threads are not seen: an output is built on one thread.
pub fn record<T>(build: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = RECORDING.with(|r| r.borrow_mut().replace(Vec::new()));
    let result = build();
    let reads = RECORDING.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    (result, reads.unwrap_or_default())
}

/// Notes a read, when an output is being recorded on this thread.
pub fn note(read: impl FnOnce() -> Read) {
    RECORDING.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(read());
        }
    });
}

/// A hash of a value's JSON form, written straight into the hasher: what a read answers, for
/// values that are not kept as hashes already.
pub fn hash_serialized(value: &impl serde::Serialize) -> u64 {
    struct Into(Xxh3);
    impl std::io::Write for Into {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut into = Into(Xxh3::new());
    // Writing into a hasher cannot fail; a value that cannot be serialized hashes as far as
    // it was written, which at worst misses a re-render of a value that cannot be shown.
    let _ = serde_json::to_writer(&mut into, value);
    into.0.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_only_while_recording_on_this_thread() {
        note(|| Read::AllPages);
        let ((), outer) = record(|| {
            note(|| Read::Terms);
            let ((), inner) = record(|| note(|| Read::Fact("shop.name".into())));
            assert_eq!(inner, vec![Read::Fact("shop.name".into())]);
            std::thread::spawn(|| note(|| Read::AllAliases))
                .join()
                .unwrap();
            note(|| Read::Template("page.html".into()));
        });
        assert_eq!(
            outer,
            vec![Read::Terms, Read::Template("page.html".into())],
            "reads outside a recording, on another thread or in a nested one are not the outer's"
        );
    }

    #[test]
    fn equal_values_hash_alike_and_different_ones_apart() {
        let a = hash_serialized(&("title", vec![1, 2]));
        assert_eq!(a, hash_serialized(&("title", vec![1, 2])));
        assert_ne!(a, hash_serialized(&("title", vec![2, 1])));
    }
}
