//! How deeply a page's HTML nests, as the sanitiser's HTML parser will hold it.
//!
//! ammonia parses a page's HTML with html5ever, whose tree builder looks down its stack of
//! open elements for many tags (is a `<p>` open that this `<div>` closes? is this end tag's
//! element in scope?). Its work is the number of tags times the depth of that stack: 40,000
//! nested `<div>`s took seconds, 100,000 over a minute. A page whose HTML nests more than
//! [`MAX_DEPTH`] elements deep is refused before it is parsed (browsers stop nesting at 512
//! too), and the parse stays linear in the page. For the same reason a page may put at most
//! [`MAX_OUTSIDE_CELLS`] pieces of text or elements inside a table but outside its cells: the
//! parser moves each one before the table, finding the table among its parent's children one
//! by one.
//!
//! The depth is counted on the page's Markdown events, so that the error can name a line:
//! Markdown's own elements and the raw HTML's tags alike. The count never falls below what
//! the parser will hold open, including the formatting elements it reopens: an element is
//! only closed by an end tag that surely closes it (its own, while it is the innermost element
//! counted), by the end tags and start tags that close unfinished list items, paragraphs and
//! table cells, or, for Markdown's elements, by their own end. Where the parser would read on
//! in a way this count does not follow (after `<script>` or `<plaintext>`, raw text inside
//! SVG, MathML or `<select>`, Markdown inside an unfinished tag or comment), only opening
//! counts from there on. Misnested HTML therefore counts deeper than it is: a page must leave
//! hundreds of elements open to reach the limit.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The deepest a page's HTML may nest when it is sanitised.
pub const MAX_DEPTH: usize = 512;

/// How many pieces of content a page may put inside tables but outside their cells.
pub const MAX_OUTSIDE_CELLS: usize = 1000;

/// Why a page's HTML is refused, and where in the Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooDeep(usize),
    OutsideCells(usize),
}

impl Refusal {
    pub fn offset(self) -> usize {
        match self {
            Refusal::TooDeep(offset) | Refusal::OutsideCells(offset) => offset,
        }
    }

    pub fn message(self) -> String {
        match self {
            Refusal::TooDeep(_) => format!(
                "HTML nested more than {MAX_DEPTH} elements deep here, counting the elements \
                 left open: close them or nest less (the HTML sanitiser's work grows with the \
                 depth at every tag)"
            ),
            Refusal::OutsideCells(_) => format!(
                "more than {MAX_OUTSIDE_CELLS} pieces of text or elements inside a `<table>` \
                 but outside its cells, up to here: put them in cells (the HTML sanitiser moves \
                 each one before its table, work that grows with the page)"
            ),
        }
    }
}

/// Elements the parser never holds open.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "iframe", "noembed", "noframes", "noscript", "style", "textarea", "title", "xmp",
];

/// Elements whose text and other elements the parser moves out, before the table, unless
/// they are in a cell.
const TABLE_ROWS: &[&str] = &["table", "tbody", "tfoot", "thead", "tr"];

/// What a table holds outside its cells without moving it out.
const TABLE_CONTENT: &[&str] = &[
    "caption", "col", "colgroup", "form", "script", "style", "table", "tbody", "td", "template",
    "tfoot", "th", "thead", "tr",
];

/// Elements inside which raw text and `<![CDATA[` are read differently.
const FOREIGN: &[&str] = &["math", "select", "svg"];

/// Elements after which the tokens can no longer be followed: script data has escapes of its
/// own, and everything after `<plaintext>` is text.
const UNFOLLOWED: &[&str] = &["plaintext", "script"];

/// Which open elements a start tag closes, when they are the innermost counted.
fn closed_by_start(name: &str) -> &'static [&'static str] {
    match name {
        "p" => &["p"],
        "li" => &["li"],
        "dd" | "dt" => &["dd", "dt"],
        "td" | "th" => &["td", "th"],
        "tr" => &["td", "th", "tr"],
        _ => &[],
    }
}

/// Which unfinished elements an end tag closes on its way to its own element.
fn closed_by_end(name: &str) -> &'static [&'static str] {
    match name {
        "ul" | "ol" => &["li"],
        "dl" => &["dd", "dt"],
        "tr" => &["td", "th"],
        "table" => &["td", "th", "tr", "tbody", "thead", "tfoot"],
        _ => &[],
    }
}

enum Open {
    Markdown,
    Html(Box<str>),
}

/// Where the HTML tokenizer is, as html5ever's would be in the same text.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Data,
    TagOpen,
    EndTagOpen,
    TagName,
    BeforeAttributeName,
    AttributeName,
    AfterAttributeName,
    BeforeAttributeValue,
    Quoted(u8),
    Unquoted,
    AfterQuoted,
    SelfClosing,
    MarkupDeclaration,
    MarkupDash,
    CommentStart,
    CommentStartDash,
    Comment,
    CommentEndDash,
    CommentEnd,
    CommentEndBang,
    BogusComment,
    /// Inside a raw text element, `bytes` of `</name` matched so far.
    RawText(usize),
}

/// Counts how deep a page's HTML nests; fed every event of the page in order.
#[derive(Default)]
pub struct Nesting {
    open: Vec<Open>,
    state: State,
    /// The tag being read, lowercased, where it starts, and whether it is an end tag.
    tag: String,
    tag_start: usize,
    end_tag: bool,
    /// The raw text element being read.
    raw_text: &'static str,
    /// From here on only opening counts.
    lost: bool,
    /// `svg`, `math` and `select` elements counted open.
    foreign: usize,
    /// Images being read: their content is alt text, not HTML.
    images: usize,
    /// Raw text has been read since the last tag.
    in_text: bool,
    /// Text and elements put inside a table but outside its cells.
    outside_cells: usize,
    refused: Option<Refusal>,
}

impl Nesting {
    /// Why the page's HTML must not be sanitised, if it must not.
    pub fn refusal(&self) -> Option<Refusal> {
        self.refused
    }

    /// Counts `event`, which starts at `offset` of the Markdown.
    pub fn event(&mut self, event: &Event<'_>, offset: usize) {
        if self.refused.is_some() {
            return;
        }
        let writes_content = !matches!(
            event,
            Event::End(_)
                | Event::Start(Tag::HtmlBlock)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
        );
        if writes_content && self.images == 0 {
            self.outside_cell(offset);
        }
        match event {
            Event::Start(Tag::Image { .. }) => {
                if self.images == 0 {
                    self.generated();
                }
                self.images += 1;
            }
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            _ if self.images > 0 => {}
            // Raw HTML blocks write no element of their own.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) => self.generated(),
            Event::Start(_) => {
                self.generated();
                self.push(Open::Markdown, offset);
            }
            Event::End(_) => {
                self.generated();
                if !self.lost && matches!(self.open.last(), Some(Open::Markdown)) {
                    self.open.pop();
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw(html, offset),
            _ => self.generated(),
        }
    }

    /// HTML that helpdeck writes: only tags and escaped text, which leave the tokenizer as
    /// it was, unless raw HTML left it inside a tag, a comment or raw text.
    fn generated(&mut self) {
        if self.state != State::Data {
            self.lose_track();
        }
    }

    fn lose_track(&mut self) {
        self.lost = true;
        self.state = State::Data;
    }

    fn push(&mut self, open: Open, offset: usize) {
        if let Open::Html(name) = &open {
            if FOREIGN.contains(&&**name) {
                self.foreign += 1;
            }
        }
        self.open.push(open);
        if self.open.len() > MAX_DEPTH {
            self.refused = Some(Refusal::TooDeep(offset));
        }
    }

    /// Counts content put at `offset`, if it is inside a table but outside a cell.
    fn outside_cell(&mut self, offset: usize) {
        if self.innermost().is_some_and(|n| TABLE_ROWS.contains(&n)) {
            self.outside_cells += 1;
            if self.outside_cells > MAX_OUTSIDE_CELLS {
                self.refused = Some(Refusal::OutsideCells(offset));
            }
        }
    }

    fn pop(&mut self) {
        if let Some(Open::Html(name)) = self.open.pop() {
            if FOREIGN.contains(&&*name) {
                self.foreign -= 1;
            }
        }
    }

    /// The name of the innermost element counted, if raw HTML opened it.
    fn innermost(&self) -> Option<&str> {
        match self.open.last() {
            Some(Open::Html(name)) => Some(name),
            _ => None,
        }
    }

    fn raw(&mut self, html: &str, offset: usize) {
        let bytes = html.as_bytes();
        let mut at = 0;
        while at < bytes.len() && !self.lost && self.refused.is_none() {
            self.step(bytes[at], offset + at);
            at += 1;
        }
        if self.lost {
            self.open_greedily(&bytes[at..], offset + at);
        }
    }

    /// Counts every start tag's element open, wherever a start tag may be.
    fn open_greedily(&mut self, bytes: &[u8], offset: usize) {
        let mut at = 0;
        while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
            at += found + 1;
            let name_len = bytes[at..]
                .iter()
                .position(|&b| is_space(b) || b == b'/' || b == b'>')
                .unwrap_or(bytes.len() - at);
            let name = &bytes[at..at + name_len];
            if name.first().is_some_and(u8::is_ascii_alphabetic) {
                let name = String::from_utf8_lossy(name).to_ascii_lowercase();
                if !TABLE_CONTENT.contains(&name.as_str()) {
                    self.outside_cell(offset + at - 1);
                }
                if !VOID.contains(&name.as_str()) {
                    self.push(Open::Html(name.into()), offset + at - 1);
                    if self.refused.is_some() {
                        return;
                    }
                }
            }
        }
    }

    /// Reads one byte of raw HTML by the HTML tokenizer's rules, as far as they matter here.
    fn step(&mut self, b: u8, offset: usize) {
        loop {
            let (next, again) = self.transition(b, offset);
            self.state = next;
            if !again || self.lost || self.refused.is_some() {
                return;
            }
        }
    }

    /// The state after `b`, and whether that state reads `b` again.
    fn transition(&mut self, b: u8, offset: usize) -> (State, bool) {
        use State::*;
        let next = match (self.state, b) {
            (Data, b'<') => {
                self.tag_start = offset;
                self.in_text = false;
                TagOpen
            }
            (Data, b) => {
                if !self.in_text && !is_space(b) {
                    self.in_text = true;
                    self.outside_cell(offset);
                }
                Data
            }
            (TagOpen, b'!') => MarkupDeclaration,
            (TagOpen, b'/') => EndTagOpen,
            (TagOpen, b'?') => BogusComment,
            (TagOpen | EndTagOpen, b) if b.is_ascii_alphabetic() => {
                self.tag.clear();
                self.tag.push(char::from(b.to_ascii_lowercase()));
                self.end_tag = self.state == EndTagOpen;
                TagName
            }
            (TagOpen, _) => return (Data, true),
            (EndTagOpen, b'>') => Data,
            (EndTagOpen, _) => BogusComment,
            (TagName, b) if is_space(b) => BeforeAttributeName,
            (TagName, b'/') | (AfterAttributeName, b'/') | (AfterQuoted, b'/') => SelfClosing,
            (TagName, b) if b != b'>' => {
                self.tag.push(char::from(b.to_ascii_lowercase()));
                TagName
            }
            (BeforeAttributeName | AfterAttributeName | BeforeAttributeValue, b) if is_space(b) => {
                self.state
            }
            (BeforeAttributeName, b'/' | b'>') => return (AfterAttributeName, true),
            (BeforeAttributeName, b'=') => AttributeName,
            (BeforeAttributeName, _) => return (AttributeName, true),
            (AttributeName, b) if is_space(b) || b == b'/' || b == b'>' => {
                return (AfterAttributeName, true);
            }
            (AttributeName | AfterAttributeName, b'=') => BeforeAttributeValue,
            (AttributeName, _) => AttributeName,
            (AfterAttributeName, _) if b != b'>' => return (AttributeName, true),
            (BeforeAttributeValue, b'"' | b'\'') => Quoted(b),
            (BeforeAttributeValue, b) if b != b'>' => return (Unquoted, true),
            (Quoted(quote), b) if b == quote => AfterQuoted,
            (Quoted(quote), _) => Quoted(quote),
            (Unquoted | AfterQuoted, b) if is_space(b) => BeforeAttributeName,
            (Unquoted, b) if b != b'>' => Unquoted,
            (AfterQuoted | SelfClosing, b) if b != b'>' => return (BeforeAttributeName, true),
            (TagName | AfterAttributeName | BeforeAttributeValue | Unquoted, _)
            | (AfterQuoted | SelfClosing, _) => {
                // The parser reads `</br>` as `<br>`.
                if self.end_tag && self.tag != "br" {
                    self.close_tag()
                } else {
                    self.open_tag()
                }
            }
            (MarkupDeclaration, b'-') => MarkupDash,
            (MarkupDeclaration, b'[') if self.foreign > 0 => {
                // Perhaps a CDATA section, which only `]]>` ends.
                self.lose_track();
                Data
            }
            (MarkupDash, b'-') => CommentStart,
            (MarkupDeclaration | MarkupDash, _) => return (BogusComment, true),
            (BogusComment, b'>') => Data,
            (BogusComment, _) => BogusComment,
            (CommentStart, b'-') => CommentStartDash,
            (CommentStart | CommentStartDash | CommentEnd | CommentEndBang, b'>') => Data,
            (CommentStartDash | CommentEndDash, b'-') => CommentEnd,
            (CommentEnd, b'-') => CommentEnd,
            (CommentEnd, b'!') => CommentEndBang,
            (CommentEndBang, b'-') => CommentEndDash,
            (Comment, b'-') => CommentEndDash,
            (Comment, _) => Comment,
            (CommentStart | CommentStartDash | CommentEndDash | CommentEnd | CommentEndBang, _) => {
                return (Comment, true);
            }
            (RawText(matched), b) => return self.raw_text_transition(matched, b),
        };
        (next, false)
    }

    /// Inside a raw text element, looks for `</name` followed by white space, `/` or `>`.
    fn raw_text_transition(&mut self, matched: usize, b: u8) -> (State, bool) {
        let name = self.raw_text.as_bytes();
        match (matched, b) {
            (0, b'<') | (1, b'/') => (State::RawText(matched + 1), false),
            (m, b) if (2..name.len() + 2).contains(&m) && b.to_ascii_lowercase() == name[m - 2] => {
                (State::RawText(m + 1), false)
            }
            (m, b) if m == name.len() + 2 && (is_space(b) || b == b'/' || b == b'>') => {
                self.tag.clear();
                self.tag.push_str(self.raw_text);
                self.end_tag = true;
                (State::TagName, true)
            }
            (0, _) => (State::RawText(0), false),
            _ => (State::RawText(0), true),
        }
    }

    /// A start tag has been read: counts its element open.
    fn open_tag(&mut self) -> State {
        let name = std::mem::take(&mut self.tag);
        if !TABLE_CONTENT.contains(&name.as_str()) {
            self.outside_cell(self.tag_start);
        }
        if VOID.contains(&name.as_str()) {
            return State::Data;
        }
        let raw_text = RAW_TEXT.iter().find(|n| **n == name);
        if UNFOLLOWED.contains(&name.as_str()) || (raw_text.is_some() && self.foreign > 0) {
            self.lose_track();
        }
        if !self.lost {
            let closes = closed_by_start(&name);
            while self.innermost().is_some_and(|n| closes.contains(&n)) {
                self.pop();
            }
        }
        self.push(Open::Html(name.into()), self.tag_start);
        match raw_text {
            Some(raw_text) if !self.lost => {
                self.raw_text = raw_text;
                State::RawText(0)
            }
            _ => State::Data,
        }
    }

    /// An end tag has been read: closes its element if it is the innermost counted, or only
    /// unfinished elements it closes are inside it.
    fn close_tag(&mut self) -> State {
        let name = std::mem::take(&mut self.tag);
        let unfinished = closed_by_end(&name);
        // A table's section, row and cell at most.
        let inside = self
            .open
            .iter()
            .rev()
            .take(3)
            .take_while(|open| matches!(open, Open::Html(n) if unfinished.contains(&&**n)))
            .count();
        let own = self.open.len().checked_sub(inside + 1);
        if own.is_some_and(|own| matches!(&self.open[own], Open::Html(n) if **n == *name)) {
            for _ in 0..=inside {
                self.pop();
            }
        }
        State::Data
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn refusal(markdown: &str) -> Option<Refusal> {
        let mut nesting = Nesting::default();
        let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
        for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
            nesting.event(&event, range.start);
        }
        nesting.refusal()
    }

    fn too_deep(markdown: &str) -> Option<usize> {
        match refusal(markdown) {
            Some(Refusal::TooDeep(offset)) => Some(offset),
            _ => None,
        }
    }

    #[test]
    fn the_element_past_the_limit_is_too_deep() {
        assert_eq!(too_deep(&"<div>".repeat(MAX_DEPTH)), None);
        assert_eq!(
            too_deep(&"<div>".repeat(MAX_DEPTH + 1)),
            Some(MAX_DEPTH * 5)
        );
        let quotes = format!("{} x", ">".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&quotes).is_some());
    }

    #[test]
    fn closed_elements_do_not_count() {
        for page in [
            "<div>x</div>\n".repeat(2000),
            "Para *a* [b](c).\n\n".repeat(2000),
            "<details>\n<summary>Q</summary>\n\nAn *answer*.\n\n</details>\n\n".repeat(1000),
            "<span>a <em>b</em></span> c\n\n".repeat(1000),
            "<style>p > a { color: red }</style>\n\n".repeat(1000),
            "<div><!-- a --><!----><!--> b</div>\n\n".repeat(1000),
            "| a | b |\n|---|---|\n| <b>1</b> | 2 |\n\n".repeat(1000),
        ] {
            assert_eq!(too_deep(&page), None, "{}", &page[..60]);
        }
    }

    #[test]
    fn unfinished_paragraphs_items_and_cells_close_as_the_parser_closes_them() {
        for page in [
            format!("<div>{}</div>\n", "<p>a".repeat(2000)),
            "<ul><li>a<li>b</ul>\n".repeat(1000),
            "<table><tr><td>a<td>b<tr><th>c</table>\n".repeat(1000),
            "<dl><dt>a<dd>b<dt>c</dl>\n".repeat(1000),
        ] {
            assert_eq!(too_deep(&page), None, "{}", &page[..60]);
        }
    }

    #[test]
    fn end_tags_the_parser_reads_as_text_close_nothing() {
        for element in [
            "<div><!-- </div> -->",
            "<div><!--- </div> -->",
            "<div title=\"</div>\">",
            "<div title='a\"b'></div'>",
            "<div><textarea></div></textarea>",
            "<div><? </div> >",
            "<div></ div>",
        ] {
            let page = format!("{}\n", element.repeat(MAX_DEPTH + 1));
            assert!(too_deep(&page).is_some(), "{element}");
        }
    }

    #[test]
    fn elements_markdown_closes_still_count_open() {
        // The parser reopens unclosed formatting elements in every later paragraph.
        let page: String = (0..MAX_DEPTH)
            .map(|i| format!("<b id=\"b{i}\">bold\n\n"))
            .collect();
        assert!(too_deep(&page).is_some());
        // Markdown that an unfinished comment swallows does not close anything.
        let page = "> <!--\n\nText <!-- x -->\n\n".repeat(MAX_DEPTH + 1);
        assert!(too_deep(&page).is_some());
    }

    #[test]
    fn past_html_it_cannot_follow_only_opening_counts() {
        for start in ["<script>x</script>", "<svg><style>a</style></svg>"] {
            let page = format!("{start}\n\n{}", "<div>x</div>\n".repeat(MAX_DEPTH));
            assert!(too_deep(&page).is_some(), "{start}");
        }
    }

    #[test]
    fn image_descriptions_are_not_html() {
        let page = format!("a {}", "<span>![</span>](x.png)".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&page).is_some());
        let page = format!("a {}", "![<span>](x.png)".repeat(MAX_DEPTH * 2));
        assert_eq!(too_deep(&page), None);
    }

    #[test]
    fn content_outside_table_cells_is_counted() {
        let stray = "<table><tr><td>a</td></tr>x<br></table>\n".repeat(MAX_OUTSIDE_CELLS / 2);
        assert_eq!(refusal(&stray), None);
        let stray = format!("{stray}<table></br></table>\n");
        assert!(matches!(refusal(&stray), Some(Refusal::OutsideCells(_))));
        let markdown_inside = "<table>\n\nText.\n\n</table>\n\n".repeat(MAX_OUTSIDE_CELLS + 1);
        assert!(matches!(
            refusal(&markdown_inside),
            Some(Refusal::OutsideCells(_))
        ));
        let in_cells = "<table>\n<tr>\n<td>\n\n*a*\n\n</td>\n</tr>\n</table>\n\n".repeat(2000);
        assert_eq!(refusal(&in_cells), None);
    }
}
