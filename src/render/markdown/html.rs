//! Events to HTML: the whole body, or cut into stretches as if each were written alone.

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, html};

pub fn to_html(events: &[Event<'_>]) -> String {
    let mut out = String::with_capacity(html_capacity(events));
    html::push_html(&mut out, events.iter().cloned());
    out
}

/// Room for the HTML of `events`: the text it will hold, plus room for tags and escapes,
/// rather than a string grown by copying it over and over.
fn html_capacity(events: &[Event<'_>]) -> usize {
    let text: usize = events
        .iter()
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t.len(),
            _ => 8,
        })
        .sum();
    text + text / 8
}

/// The HTML of `events`, and that of each of the ascending, non-overlapping `stretches` of
/// them, exactly as if each had been written on its own.
///
/// A stretch that starts the events or follows a block's end (where the writer has just
/// ended a line, as it has when it starts) is written as it would be alone, so it is cut out
/// of the whole instead of written a second time. Footnotes are the exception: the writer
/// numbers them in the order it meets them, so with footnotes each stretch is written apart.
pub fn to_html_in_stretches(
    events: &[Event<'_>],
    stretches: &[Range<usize>],
) -> (String, Vec<String>) {
    let footnotes = events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if footnotes {
        let apart = stretches
            .iter()
            .map(|r| to_html(&events[r.clone()]))
            .collect();
        return (to_html(events), apart);
    }
    // Where the HTML of each stretch's first event and of the event after its last begins.
    let written = Cell::new(0);
    let mut cuts: Vec<usize> = stretches.iter().flat_map(|r| [r.start, r.end]).collect();
    cuts.sort_unstable();
    let mut pending = cuts.iter().peekable();
    let mut offsets: HashMap<usize, usize> = HashMap::with_capacity(cuts.len());
    let mut html = MeasuredHtml {
        html: String::with_capacity(html_capacity(events)),
        written: &written,
    };
    let numbered = events.iter().enumerate().map(|(i, event)| {
        while pending.next_if(|&&cut| cut == i).is_some() {
            offsets.insert(i, written.get());
        }
        event.clone()
    });
    // Writing into a string cannot fail.
    let _ = html::write_html_fmt(&mut html, numbered);
    let whole = html.html;
    let at = |i: usize| offsets.get(&i).copied().unwrap_or(whole.len());
    let cut = stretches
        .iter()
        .map(|r| whole[at(r.start)..at(r.end)].to_string())
        .collect();
    (whole, cut)
}

/// A string that says how long it is after every write, for [`to_html_in_stretches`].
struct MeasuredHtml<'a> {
    html: String,
    written: &'a Cell<usize>,
}

impl std::fmt::Write for MeasuredHtml<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}
