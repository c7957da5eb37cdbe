//! A page's content as the plain text a marketplace's text box shows: paragraphs apart, list
//! items a line each (`•`, or their number), table rows a line each with cells between `|`,
//! links as their text with the address after it, emphasis and markup gone.
//!
//! Read from the content's finished HTML (shortcodes and facts filled in, links resolved) with
//! html5ever's tokenizer, the one ammonia already brings: the HTML is the page's own, so what
//! a box shows is what the page says.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// `html` as plain text; links to paths on the site get `origin` in front.
pub fn plain_text(html: &str, origin: &str) -> String {
    let sink = Writer {
        origin: origin.to_string(),
        state: RefCell::new(State::default()),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    state.finish()
}

struct Writer {
    origin: String,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    out: String,
    /// Open lists, innermost last: the next number of an ordered one.
    lists: Vec<Option<u32>>,
    /// Open links: the address, and where their text starts in `out`.
    links: Vec<(Option<String>, usize)>,
    /// Inside `<pre>`: whitespace kept as written.
    preformatted: usize,
    /// Inside an element whose text is no reading matter (script, style, a button).
    skipped: usize,
    /// A cell has been written in the current table row.
    in_row: bool,
    /// Whitespace seen and not yet written (written as one space before the next word).
    pending_space: bool,
}

impl State {
    /// Ends the line, unless it is empty already.
    fn line_break(&mut self) {
        self.pending_space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// Ends the paragraph: a blank line before what follows.
    fn paragraph_break(&mut self) {
        self.line_break();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipped > 0 {
            return;
        }
        if self.preformatted > 0 {
            self.out.push_str(text);
            return;
        }
        for (index, word) in text.split(char::is_whitespace).enumerate() {
            if index > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            let at_line_start = self.out.is_empty() || self.out.ends_with('\n');
            if self.pending_space && !at_line_start {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push_str(word);
        }
    }

    fn finish(self) -> String {
        let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        let mut text = lines.join("\n");
        while text.contains("\n\n\n") {
            text = text.replace("\n\n\n", "\n\n");
        }
        text.trim().to_string()
    }
}

/// Elements whose text a plain text box does not show.
const SKIPPED: [&str; 6] = ["script", "style", "button", "svg", "template", "noscript"];

impl Writer {
    fn start(&self, tag: &Tag) {
        let mut state = self.state.borrow_mut();
        let name = tag.name.as_ref();
        if SKIPPED.contains(&name) {
            state.skipped += 1;
            return;
        }
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "dl"
            | "figure" | "details" => state.paragraph_break(),
            "div" | "section" | "summary" | "dt" | "dd" | "hr" => state.line_break(),
            "br" => {
                state.pending_space = false;
                state.out.push('\n');
            }
            "pre" => {
                state.paragraph_break();
                state.preformatted += 1;
            }
            "ul" | "ol" => {
                let first = attribute(tag, "start")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                if state.lists.is_empty() {
                    state.paragraph_break();
                }
                state.lists.push((name == "ol").then_some(first));
            }
            "li" => {
                state.line_break();
                let depth = state.lists.len().saturating_sub(1);
                let marker = match state.lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{}. ", *number - 1)
                    }
                    _ => "• ".to_string(),
                };
                state.out.push_str(&"  ".repeat(depth));
                state.out.push_str(&marker);
            }
            "tr" => {
                state.line_break();
                state.in_row = false;
            }
            "td" | "th" => {
                if state.in_row {
                    state.pending_space = false;
                    state.out.push_str(" | ");
                }
                state.in_row = true;
            }
            "a" => {
                let href = attribute(tag, "href").and_then(|h| self.absolute(h));
                let at = state.out.len();
                state.links.push((href, at));
            }
            "img" => {
                if let Some(alt) = attribute(tag, "alt").filter(|a| !a.trim().is_empty()) {
                    state.text(alt);
                }
            }
            _ => {}
        }
    }

    fn end(&self, name: &str) {
        let mut state = self.state.borrow_mut();
        if SKIPPED.contains(&name) {
            state.skipped = state.skipped.saturating_sub(1);
            return;
        }
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "dl"
            | "figure" | "details" => state.paragraph_break(),
            "div" | "section" | "summary" | "dt" | "dd" | "li" | "tr" => state.line_break(),
            "pre" => {
                state.preformatted = state.preformatted.saturating_sub(1);
                state.paragraph_break();
            }
            "ul" | "ol" => {
                state.lists.pop();
                match state.lists.is_empty() {
                    true => state.paragraph_break(),
                    false => state.line_break(),
                }
            }
            "a" => {
                if let Some((Some(href), start)) = state.links.pop() {
                    let text = state.out[start..].trim().to_string();
                    let shown = href.strip_prefix("mailto:").unwrap_or(&href);
                    if !text.is_empty() && text != shown {
                        state.out.push_str(&format!(" ({shown})"));
                    } else if text.is_empty() {
                        state.text(shown);
                    }
                }
            }
            _ => {}
        }
    }

    /// A link's address as a buyer can follow it from another site: paths on the site get
    /// the origin; a link within the page is no address at all.
    fn absolute(&self, href: &str) -> Option<String> {
        if href.starts_with('#') {
            None
        } else if href.starts_with('/') && !href.starts_with("//") {
            Some(format!("{}{href}", self.origin))
        } else {
            Some(href.to_string())
        }
    }
}

fn attribute<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.as_ref())
}

impl TokenSink for Writer {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    self.start(&tag);
                    if tag.self_closing {
                        self.end(tag.name.as_ref());
                    }
                }
                TagKind::EndTag => self.end(tag.name.as_ref()),
            },
            Token::CharacterTokens(text) => self.state.borrow_mut().text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_lists_tables_and_links() {
        let html = "<h2 id=\"a\">Returns</h2>\n<p>You have <strong>30 days</strong>.\nSee \
                    <a href=\"/policies/shipping/\">shipping</a> or write to \
                    <a href=\"mailto:help@shop.test\">help@shop.test</a>.</p>\n<ul>\n\
                    <li>unused;</li>\n<li>packed:\n<ol start=\"3\"><li>box</li><li>tape</li></ol>\
                    </li>\n</ul>\n<table><thead><tr><th>From</th><th>Label</th></tr></thead>\
                    <tbody><tr><td>EU</td><td>Free &amp; prepaid</td></tr></tbody></table>\
                    <p><a href=\"#a\">Back</a><button>Copy</button></p>";
        assert_eq!(
            plain_text(html, "https://help.shop.test"),
            "Returns\n\nYou have 30 days. See shipping \
             (https://help.shop.test/policies/shipping/) or write to help@shop.test.\n\n\
             • unused;\n• packed:\n  3. box\n  4. tape\n\nFrom | Label\nEU | Free & prepaid\n\n\
             Back"
        );
    }

    #[test]
    fn preformatted_text_keeps_its_lines() {
        assert_eq!(
            plain_text("<pre><code>a  b\n c</code></pre><p>x</p>", ""),
            "a  b\n c\n\nx"
        );
    }
}
