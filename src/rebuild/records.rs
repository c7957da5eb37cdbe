//! What each output served in watch mode was built from, and whether that still holds.
//!
//! [`Records`] hold the reads each output's rendering made ([`crate::reads`]) and what each
//! distinct read answered then. After an edit, [`Answers`] says what each read answers now,
//! once per read however many outputs made it; an output is stale when one of its reads
//! answers differently, or when it is new. Nothing here lists what a context shows: a value
//! reached while rendering is a read, and a read is answered from the site as it is.
//!
//! The build moment (which notices and holidays are still to come) is part of a language's
//! shared values, so a notice that ends re-renders its language at the next edit.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::answers::Answers;
use crate::reads::Read;
use crate::render::{Extract, Target};

/// The outputs being served and what each read when it was last rendered, with the readers of
/// each distinct read: after an edit, each distinct read is answered once, and the readers of
/// those that answer differently are stale.
#[derive(Default)]
pub struct Records {
    /// Output path → its index in `outputs`.
    output_ids: HashMap<PathBuf, usize>,
    /// By output index; `None` once forgotten.
    outputs: Vec<Option<Served>>,
    /// Whether every output of the site's last full list ([`Records::list_outputs`]) is
    /// recorded: not once outputs are forgotten, until the next full list.
    complete: bool,
    /// Read → its index in `reads`.
    read_ids: HashMap<Read, usize>,
    /// Every distinct read recorded, with what it answered when its readers last rendered.
    reads: Vec<(Read, Option<u64>)>,
    /// By read index: the outputs that made it.
    readers: Vec<HashSet<usize>>,
    /// The reads of each page ([`Read::Page`], [`Read::Relations`]) by its output path, and of
    /// each page file's body by the file: what an edit in place can have changed.
    page_reads: HashMap<PathBuf, Vec<usize>>,
    body_reads: HashMap<PathBuf, Vec<usize>>,
    /// Every other read: few, and answered after every edit.
    other_reads: Vec<usize>,
}

/// One output as served.
struct Served {
    /// What renders it in the site as it is now.
    target: Target,
    path: PathBuf,
    /// What it read, as indexes in `reads`.
    reads: Vec<usize>,
}

/// What may answer differently since the records were last brought up to date.
#[derive(Clone, Copy)]
pub enum Changes<'c> {
    /// Everything: the config changed, every output renders.
    Everything,
    /// Anything: every read is answered (the config changed, though not what every page
    /// shares).
    Anything,
    /// The pages (by output path) and page bodies (by file) an edit changed, and whatever is
    /// not a page's (languages, templates, facts, keys…).
    Pages {
        outputs: &'c [PathBuf],
        files: &'c [PathBuf],
    },
}

/// What the records say must be redone.
pub struct Stale {
    /// With their output paths.
    pub targets: Vec<(Target, PathBuf)>,
    /// Outputs served before that no target produces now.
    pub removed: Vec<PathBuf>,
}

impl Records {
    /// Forgets some outputs, so that the next [`Records::stale`] renders them if they exist.
    pub fn forget_outputs(&mut self, outputs: &[PathBuf]) {
        for path in outputs {
            if let Some(id) = self.output_ids.remove(path) {
                self.drop_reads_of(id);
                self.outputs[id] = None;
                self.complete = false;
            }
        }
    }

    fn drop_reads_of(&mut self, output: usize) {
        for served in self.outputs[output].iter() {
            for &read in &served.reads {
                self.readers[read].remove(&output);
            }
        }
    }

    /// Takes the site's full list of outputs, once each of them not recorded has rendered: an
    /// output keeps its reads under the target that renders it now (resolving moves pages'
    /// ids), and every output is recorded.
    pub fn list_outputs(&mut self, targets: &[(Target, PathBuf)]) {
        for (target, path) in targets {
            if let Some(served) = self
                .output_ids
                .get(path)
                .and_then(|&id| self.outputs[id].as_mut())
            {
                served.target = *target;
            }
        }
        self.complete = true;
    }

    /// Whether every output of the site's last full list is recorded, so that
    /// [`Records::stale`] can go by the records alone.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Of every output of the site (`targets`, with their paths), those not recorded or having
    /// made a read that answers differently now (all of them when `everything` changed: the
    /// config, which decides how every page is read and rendered); and the recorded outputs no
    /// target produces any more.
    pub fn stale(
        &self,
        targets: &[(Target, PathBuf)],
        answers: &Answers<'_>,
        changes: Changes<'_>,
    ) -> Stale {
        let stale_outputs = match changes {
            Changes::Everything => {
                return Stale {
                    targets: targets.to_vec(),
                    removed: self.not_produced(targets),
                };
            }
            Changes::Anything => self.readers_of_changed((0..self.reads.len()).collect(), answers),
            Changes::Pages { outputs, files } => {
                self.readers_of_changed(self.candidates(outputs, files), answers)
            }
        };
        let stale = targets
            .iter()
            .filter(|(_, path)| match self.output_ids.get(path) {
                None => true,
                Some(id) => stale_outputs.contains(id),
            })
            .cloned()
            .collect();
        Stale {
            targets: stale,
            removed: self.not_produced(targets),
        }
    }

    /// [`Records::stale`] for an edit that leaves the site's outputs as they are (every one
    /// recorded, [`Records::complete`]): the recorded outputs with a read that answers
    /// differently, by path. Nothing here grows with the site.
    pub fn stale_in_place(
        &self,
        answers: &Answers<'_>,
        outputs: &[PathBuf],
        files: &[PathBuf],
    ) -> Vec<(Target, PathBuf)> {
        let stale_outputs = self.readers_of_changed(self.candidates(outputs, files), answers);
        let mut stale: Vec<&Served> = stale_outputs
            .iter()
            .filter_map(|&id| self.outputs[id].as_ref())
            .collect();
        stale.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        stale.iter().map(|s| (s.target, s.path.clone())).collect()
    }

    /// The reads an edit of the pages at `outputs` and of the page files `files` may have
    /// changed: theirs, and every read of no page.
    fn candidates(&self, outputs: &[PathBuf], files: &[PathBuf]) -> Vec<usize> {
        let of = |index: &HashMap<PathBuf, Vec<usize>>, keys: &[PathBuf]| {
            keys.iter()
                .flat_map(|key| index.get(key).into_iter().flatten().copied())
                .collect::<Vec<usize>>()
        };
        let mut candidates = self.other_reads.clone();
        candidates.extend(of(&self.page_reads, outputs));
        candidates.extend(of(&self.body_reads, files));
        candidates
    }

    /// The outputs that made one of `candidates` (reads) that answers differently now.
    fn readers_of_changed(&self, candidates: Vec<usize>, answers: &Answers<'_>) -> HashSet<usize> {
        let changed: Vec<usize> = candidates
            .into_par_iter()
            .filter(|&read| {
                let (what, then) = &self.reads[read];
                !self.readers[read].is_empty() && answers.answer(what) != *then
            })
            .collect();
        changed
            .into_iter()
            .flat_map(|read| self.readers[read].iter().copied())
            .collect()
    }

    /// The recorded outputs none of `targets` produces.
    fn not_produced(&self, targets: &[(Target, PathBuf)]) -> Vec<PathBuf> {
        let produced: HashSet<&PathBuf> = targets.iter().map(|(_, path)| path).collect();
        self.output_ids
            .keys()
            .filter(|path| !produced.contains(path))
            .cloned()
            .collect()
    }

    /// Takes in what rendered outputs read, and forgets the outputs in `removed`. The reads of
    /// the rendered outputs are taken as answering what they answer now: the caller rendered
    /// every reader of a read that changed.
    pub fn record(
        &mut self,
        rendered: Vec<(Target, PathBuf, Vec<Read>)>,
        removed: &[PathBuf],
        answers: &Answers<'_>,
    ) {
        let complete = self.complete;
        self.forget_outputs(removed);
        // Outputs no target produces any more are not missing.
        self.complete = complete;
        let mut made = HashSet::new();
        for (target, path, reads) in rendered {
            let output = match self.output_ids.get(&path) {
                Some(&id) => {
                    self.drop_reads_of(id);
                    id
                }
                None => {
                    self.outputs.push(None);
                    self.output_ids.insert(path.clone(), self.outputs.len() - 1);
                    self.outputs.len() - 1
                }
            };
            let mut ids: Vec<usize> = reads.into_iter().map(|read| self.read_id(read)).collect();
            ids.sort_unstable();
            ids.dedup();
            for &read in &ids {
                self.readers[read].insert(output);
            }
            made.extend(ids.iter().copied());
            self.outputs[output] = Some(Served {
                target,
                path,
                reads: ids,
            });
        }
        let made: Vec<usize> = made.into_iter().collect();
        let now: Vec<Option<u64>> = made
            .par_iter()
            .map(|&read| answers.answer(&self.reads[read].0))
            .collect();
        for (read, answer) in made.into_iter().zip(now) {
            self.reads[read].1 = answer;
        }
    }

    /// Whether the output at `path` read every page or every alias when it last rendered (the
    /// sitemap, the hosting files).
    /// The outputs that read the body of one of `files`, by path.
    pub fn body_readers(&self, files: &[PathBuf]) -> BTreeSet<PathBuf> {
        files
            .iter()
            .filter_map(|file| self.body_reads.get(file))
            .flatten()
            .flat_map(|&read| self.readers[read].iter())
            .filter_map(|&output| self.outputs[output].as_ref())
            .map(|served| served.path.clone())
            .collect()
    }

    pub fn reads_every_page(&self, path: &Path) -> bool {
        let Some(Some(served)) = self.output_ids.get(path).map(|&id| &self.outputs[id]) else {
            return false;
        };
        [Read::AllPages, Read::AllAliases]
            .iter()
            .filter_map(|read| self.read_ids.get(read))
            .any(|id| served.reads.binary_search(id).is_ok())
    }

    fn read_id(&mut self, read: Read) -> usize {
        if let Some(&id) = self.read_ids.get(&read) {
            return id;
        }
        let id = self.reads.len();
        match &read {
            Read::Page(output) | Read::Relations(output) => {
                self.page_reads.entry(output.clone()).or_default().push(id)
            }
            Read::Body(file) => self.body_reads.entry(file.clone()).or_default().push(id),
            _ => self.other_reads.push(id),
        }
        self.reads.push((read.clone(), None));
        self.readers.push(HashSet::new());
        self.read_ids.insert(read, id);
        id
    }

    pub fn output_count(&self) -> usize {
        self.output_ids.len()
    }
}

/// What rendering `extracts` read, by output path, for [`Records::record`].
pub fn reads_of(extracts: &mut [Extract]) -> Vec<(Target, PathBuf, Vec<Read>)> {
    extracts
        .iter_mut()
        .map(|e| (e.target, e.path.clone(), std::mem::take(&mut e.reads)))
        .collect()
}
