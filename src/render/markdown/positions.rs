//! Lines and columns of places in a page's body, for diagnostics and for what `check` reads.

use std::cell::{Cell, OnceCell};

/// Places in a body that starts at `body_line` of its file. Where its lines start is found
/// the first time a place is asked for: only errors and what `check` collects need lines,
/// and most pages have no other use for them.
pub struct Positions<'a> {
    body: &'a str,
    body_line: usize,
    lines: OnceCell<LineStarts>,
}

impl<'a> Positions<'a> {
    pub fn new(body: &'a str, body_line: usize) -> Self {
        Positions {
            body,
            body_line,
            lines: OnceCell::new(),
        }
    }

    /// The line of the file and the column (in characters) of byte `offset` of the body.
    pub fn of(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self
            .lines
            .get_or_init(|| LineStarts::new(self.body))
            .position(self.body, offset);
        (self.body_line + line - 1, column)
    }
}

/// Where each line of a text starts, to turn byte offsets into lines without rescanning; and
/// the last position found, from which the column of a later offset on the same line is
/// counted, so that a line with thousands of links is not counted from its start for each.
struct LineStarts {
    starts: Vec<usize>,
    /// Offset, line and column.
    last: Cell<(usize, usize, usize)>,
}

impl LineStarts {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts {
            starts,
            last: Cell::new((0, 1, 1)),
        }
    }

    /// 1-based line and column (in characters) of `offset`.
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let (last_offset, last_line, last_column) = self.last.get();
        let (from, column) = match last_line == line && last_offset <= offset {
            true => (last_offset, last_column),
            false => (self.starts[line - 1], 1),
        };
        let column = text
            .get(from..offset)
            .map_or(1, |before| column + before.chars().count());
        self.last.set((offset, line, column));
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::TextPosition;

    #[test]
    fn positions_on_a_long_line_are_counted_on_from_the_last() {
        let text = "żółw [a](b) ".repeat(50) + "\n" + &"x [c](d) ".repeat(50);
        let lines = LineStarts::new(&text);
        let mut offsets: Vec<usize> = text.match_indices('[').map(|(i, _)| i).collect();
        // In order, then going back on a line, then to another line.
        offsets.extend([text.len() - 3, 30, 7, 600, 4]);
        for offset in offsets {
            let expected = TextPosition::of(&text, offset);
            assert_eq!(
                lines.position(&text, offset),
                (expected.line, expected.column),
                "{offset}"
            );
        }
    }
}
