//! Machine drafts: `helpdeck translations machine` sends every segment that has no translation
//! to the program `[translations] machine` names, and writes what it answers into the
//! translation files as drafts (`~` in `source_segments`). A draft is never passed off as a
//! translation: its page falls back to the default language, or with `publish_machine_drafts`
//! is published with a notice saying a machine wrote it, until a translator reviews it (an
//! import of their file, or `translations --mark`).
//!
//! The program reads one JSON object per line on stdin (`{"id", "text", "from", "to"}`, the
//! text masked as in PO files) and writes one per line on stdout (`{"id", "text"}`).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::content::{self, Applied, Batch, Incoming, Only, Unit};
use super::load_site;
use super::segments::unmask;
use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Error, Result};

#[derive(Serialize)]
struct Request<'a> {
    id: String,
    text: &'a str,
    from: &'a str,
    to: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    id: String,
    text: String,
}

/// What a machine run did in one language.
pub struct Drafted {
    pub lang: String,
    pub applied: Applied,
    /// Segments left without a draft, each with why.
    pub left_out: Vec<String>,
}

/// Drafts every untranslated segment of each of `langs` (empty: every translation language).
pub fn draft(root: &Path, langs: &[String]) -> Result<Vec<Drafted>> {
    let (site, _) = load_site(root)?;
    let program = &site.config.translations.machine;
    if program.is_empty() {
        return Err(Error::single(Diagnostic::new(
            CONFIG_FILE,
            "`[translations] machine` names no program: set it to the command that \
             translates (e.g. `machine = [\"my-deepl-client\", \"--to\", \"{to}\"]`)",
        )));
    }
    let langs: Vec<String> = match langs.is_empty() {
        true => site
            .config
            .language_tags()
            .into_iter()
            .filter(|t| *t != site.config.default_language)
            .map(str::to_string)
            .collect(),
        false => langs.to_vec(),
    };
    let from = site.config.default_language.as_str();
    let units = content::units(root, &site, &langs, Some(Only::Missing))?;
    let mut batches = Vec::new();
    let mut left_out_by_lang = Vec::new();
    for (lang, units) in langs.iter().zip(units) {
        if units.is_empty() {
            continue;
        }
        let answers = run(program, from, lang, &units)?;
        let mut incoming = Vec::new();
        let mut left_out = Vec::new();
        for unit in &units {
            let key = unit.key();
            match answers.iter().position(|a| a.id == key) {
                None => left_out.push(format!("{key}: the program gave no answer for it")),
                Some(at) => {
                    let text = &answers[at].text;
                    match unmask(text, &unit.segment.placeholders) {
                        Ok(_) => incoming.push(Incoming {
                            page: unit.page.clone(),
                            id: unit.segment.id.clone(),
                            text: text.clone(),
                            machine: true,
                            line: at + 1,
                        }),
                        Err(why) => left_out.push(format!("{key}: {why}")),
                    }
                }
            }
        }
        batches.push(Batch {
            lang: lang.clone(),
            exchange: PathBuf::from(format!("{} (output)", program[0])),
            incoming,
        });
        left_out_by_lang.push(left_out);
    }
    content::plan(root, &site, batches)?
        .into_iter()
        .zip(left_out_by_lang)
        .map(|(plan, left_out)| {
            Ok(Drafted {
                lang: plan.lang.clone(),
                applied: plan.write(root)?,
                left_out,
            })
        })
        .collect()
}

/// Runs the program on `units`, from `from` into `to`, and reads its answers.
fn run(program: &[String], from: &str, to: &str, units: &[Unit]) -> Result<Vec<Answer>> {
    let args: Vec<String> = program[1..]
        .iter()
        .map(|a| a.replace("{from}", from).replace("{to}", to))
        .collect();
    let failed = |why: String| {
        Error::single(Diagnostic::new(
            CONFIG_FILE,
            format!("`[translations] machine` ({}): {why}", program.join(" ")),
        ))
    };
    let mut child = Command::new(&program[0])
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot start: {e}")))?;
    let mut input = String::new();
    for unit in units {
        let request = Request {
            id: unit.key(),
            text: &unit.segment.text,
            from,
            to,
        };
        input.push_str(&serde_json::to_string(&request).unwrap_or_default());
        input.push('\n');
    }
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| failed("no stdin".into()))?;
    // Written beside the reading, so that neither side waits on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed("no stdout".into()))?;
    let mut answers = Vec::new();
    for (number, line) in BufReader::new(stdout).lines().enumerate() {
        let line = line.map_err(|e| failed(format!("cannot read its output: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let answer: Answer = serde_json::from_str(&line).map_err(|e| {
            failed(format!(
                "line {} of its output is not {{\"id\", \"text\"}}: {e}",
                number + 1
            ))
        })?;
        answers.push(answer);
    }
    let written = writer.join().ok();
    let output = child
        .wait_with_output()
        .map_err(|e| failed(format!("{e}")))?;
    if !output.status.success() {
        return Err(failed(format!(
            "it failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    if let Some(Err(e)) = written {
        return Err(failed(format!("cannot send it the segments: {e}")));
    }
    Ok(answers)
}
