//! Question pages (FAQ and product pages): the body cut at its `## ` headings into an intro
//! and questions, each piece's HTML exactly as if it had been written alone.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::html::to_html_in_stretches;

/// One `## ` heading of an FAQ or product page and the text under it.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub answer: String,
}

/// The HTML of the whole body, of its intro and its questions, each passed through `finish`.
pub fn split(
    events: &[Event<'_>],
    finish: &dyn Fn(String) -> String,
) -> (String, String, Vec<Question>) {
    let (headings, stretches) = outline(events);
    let (whole, mut stretches) = to_html_in_stretches(events, &stretches);
    let html = finish(whole);
    let intro = finish(stretches.remove(0));
    let questions = headings
        .into_iter()
        .zip(stretches)
        .map(|((id, heading), answer)| Question {
            id: id.as_deref().unwrap_or_default().to_string(),
            question: plain_text(&events[heading]),
            answer: finish(answer),
        })
        .collect();
    (html, intro, questions)
}

/// A question's id and the events of its heading's text.
type Heading<'e, 'a> = (&'e Option<CowStr<'a>>, Range<usize>);

/// Where the parts of a question page are among its events: each question's heading, and
/// the stretches to write, the intro and then each answer.
fn outline<'e, 'a>(events: &'e [Event<'a>]) -> (Vec<Heading<'e, 'a>>, Vec<Range<usize>>) {
    let starts: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    ..
                })
            )
        })
        .map(|(i, _)| i)
        .collect();
    let intro_end = starts.first().copied().unwrap_or(events.len());
    let mut headings = Vec::with_capacity(starts.len());
    let mut stretches = Vec::with_capacity(starts.len() + 1);
    stretches.push(0..intro_end);
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(events.len());
        let heading_end = (start..end)
            .find(|&i| matches!(events[i], Event::End(TagEnd::Heading(_))))
            .unwrap_or(start);
        if let Event::Start(Tag::Heading { id, .. }) = &events[start] {
            headings.push((id, start + 1..heading_end));
            stretches.push(heading_end + 1..end);
        }
    }
    (headings, stretches)
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::super::html::to_html;
    use super::*;

    #[test]
    fn intro_and_answers_are_cut_from_the_whole_exactly_as_written_alone() {
        let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
        for body in [
            "Intro.\n\n## Where?\n\nHere.\n\n## Empty?\n## When?\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "## First\n\n- one\n- two\n\n```\ncode\n```\n\n## Second\n\n> quoted\n",
            "- item\n\n  ## Inside a list?\n\n  Text.\n\n## After\n\n<div>raw</div>\n",
            "Intro[^a].\n\n## Q\n\nAnswer[^b].\n\n[^a]: A.\n[^b]: B.\n",
        ] {
            let mut events: Vec<Event<'_>> = Parser::new_ext(body, options).collect();
            // A block shortcode's placeholder is text between blocks, after which the writer
            // has not ended a line.
            let first_heading = events
                .iter()
                .position(|e| matches!(e, Event::Start(Tag::Heading { .. })))
                .unwrap_or(0);
            events.insert(first_heading, Event::Text("\u{1}placeholder\u{1}".into()));
            let (_, stretches) = outline(&events);
            let (whole, cut) = to_html_in_stretches(&events, &stretches);
            assert_eq!(whole, to_html(&events), "{body}");
            let alone: Vec<String> = stretches
                .iter()
                .map(|r| to_html(&events[r.clone()]))
                .collect();
            assert_eq!(cut, alone, "{body}");
        }
    }
}
