//! YAML front matter read from `saphyr-parser`'s events straight into a
//! [`Node`] tree, in one pass that is linear in the text (issue 17, item 8).
//!
//! The parser gives positions as character indexes; a [`Cursor`] turns them
//! into byte offsets by walking on from the previous position (events come in
//! file order), never by counting from the start of the file. Collections
//! nest at most [`MAX_DEPTH`] levels, so hostile input is an error at its line
//! instead of a deep tree that later recursion could overflow the stack on.
//! Scalars are resolved by saphyr's core-schema rules, as its loader does.

use super::tree::{Key, Node, Value};
use crate::diagnostic::{Diagnostic, Source};
use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScanError, Span};
use std::collections::{HashMap, HashSet};

/// How deep lists and mappings may nest in front matter.
pub const MAX_DEPTH: usize = 100;

/// How many values aliases (`*name`) may copy in, all together: a few lines
/// of nested aliases cannot blow up into millions of values.
const ALIAS_BUDGET: usize = 100_000;

const SYNTAX_HINT: &str = "check indentation and `key: value` syntax; quote values that contain `: ` or start with a symbol";

/// Parses YAML text that starts at byte `base` of `source`: its first
/// document, or an empty table when there is none.
pub fn parse(source: &Source, text: &str, base: usize) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        source,
        base,
        end: base + text.len(),
        cursor: Cursor::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        budget: ALIAS_BUDGET,
        document: None,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => builder.event(event, span)?,
            Err(error) => return Err(builder.scan_error(&error)),
        }
    }
    Ok(builder.document.unwrap_or(Node {
        value: Value::Table(Vec::new()),
        span: base..base,
    }))
}

/// A list or mapping whose end has not come yet.
struct Open {
    /// Byte offset in the file where it starts.
    start: usize,
    anchor: usize,
    /// Written as `[...]` or `{...}`, which must close on their own.
    flow: bool,
    items: Items,
}

enum Items {
    List(Vec<Node>),
    Mapping {
        entries: Vec<(Key, Node)>,
        /// The key read, waiting for its value.
        key: Option<Key>,
        names: HashSet<String>,
    },
}

struct Builder<'s, 't> {
    source: &'s Source,
    /// Where the YAML text starts and ends in the file.
    base: usize,
    end: usize,
    cursor: Cursor<'t>,
    stack: Vec<Open>,
    /// Anchored values by the parser's anchor id, for aliases to copy.
    anchors: HashMap<usize, Node>,
    budget: usize,
    /// The first document, once it has ended.
    document: Option<Node>,
    /// The current document's top value, once it is complete.
    root: Option<Node>,
}

impl Builder<'_, '_> {
    /// Byte offset in the file of the parser's character index `index`.
    fn offset(&mut self, index: usize) -> usize {
        self.base + self.cursor.byte(index)
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = match Scalar::parse_from_cow_and_metadata(text, style, tag.as_ref()) {
                    Some(Scalar::Null) | None => Value::Null,
                    Some(Scalar::Boolean(b)) => Value::Bool(b),
                    Some(Scalar::Integer(i)) => Value::Int(i),
                    Some(Scalar::FloatingPoint(f)) => Value::Float(f.into_inner()),
                    Some(Scalar::String(s)) => Value::Str(s.into_owned()),
                };
                let span = self.offset(span.start.index())..self.offset(span.end.index());
                self.complete(Node { value, span }, anchor)
            }
            Event::Alias(id) => {
                let at = self.offset(span.start.index())..self.offset(span.end.index());
                let Some(anchored) = self.anchors.get(&id) else {
                    return self.complete(
                        Node {
                            value: Value::Null,
                            span: at,
                        },
                        0,
                    );
                };
                if !within(anchored, &mut self.budget) {
                    return Err(Diagnostic::at(
                        "invalid-yaml",
                        self.source,
                        at,
                        format!("this is not valid YAML here: aliases copy in more than {ALIAS_BUDGET} values"),
                    )
                    .with_hint("write the values out, or use fewer aliases of large anchors"));
                }
                let copy = Node {
                    value: anchored.value.clone(),
                    span: at,
                };
                self.complete(copy, 0)
            }
            Event::SequenceStart(anchor, _) => self.open(span, anchor, Items::List(Vec::new())),
            Event::MappingStart(anchor, _) => self.open(
                span,
                anchor,
                Items::Mapping {
                    entries: Vec::new(),
                    key: None,
                    names: HashSet::new(),
                },
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let open = self.stack.pop().expect("the parser closes what it opened");
                let end = self.offset(span.start.index()).max(open.start);
                let value = match open.items {
                    Items::List(items) => Value::Array(items),
                    Items::Mapping { entries, .. } => Value::Table(entries),
                };
                let node = Node {
                    value,
                    span: open.start..end,
                };
                self.complete(node, open.anchor)
            }
            Event::DocumentEnd => {
                if self.document.is_none() {
                    self.document = self.root.take();
                }
                Ok(())
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {
                Ok(())
            }
        }
    }

    fn open(&mut self, span: Span, anchor: usize, items: Items) -> Result<(), Diagnostic> {
        let start = self.offset(span.start.index());
        if self.stack.len() == MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        let flow = matches!(self.source.text.as_bytes().get(start), Some(b'[' | b'{'));
        self.stack.push(Open {
            start,
            anchor,
            flow,
            items,
        });
        Ok(())
    }

    fn too_deep(&self, at: usize) -> Diagnostic {
        Diagnostic::at(
            "too-deep",
            self.source,
            at..at + 1,
            format!("the front matter nests lists and mappings more than {MAX_DEPTH} levels deep here"),
        )
        .with_hint("a posting needs three levels at most (`questions`, one question, its `options`): flatten the data")
    }

    /// A finished value: into its list or mapping, or the document's root.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), Diagnostic> {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut open.items {
            Items::List(items) => items.push(node),
            Items::Mapping {
                entries,
                key,
                names,
            } => match key.take() {
                None => *key = Some(as_key(node)),
                Some(key) => {
                    if !key.name.is_empty() && !names.insert(key.name.clone()) {
                        return Err(Diagnostic::at(
                            "invalid-yaml",
                            self.source,
                            key.span.clone(),
                            format!(
                                "this is not valid YAML: the key `{}` is given twice",
                                key.name
                            ),
                        )
                        .with_hint("remove one of the two, or merge what they say"));
                    }
                    entries.push((key, node));
                }
            },
        }
        Ok(())
    }

    /// The parser's error at the line of the mistake: at the bracket of a
    /// `[` or `{` left open on an earlier line, else at the parser's position,
    /// moved back from blank space to the last character before it.
    fn scan_error(&mut self, error: &ScanError) -> Diagnostic {
        let at = self.offset(error.marker().index());
        // The scanner's own limit on `[[[[...`, which it meets before this
        // reader's (it looks ahead of the events it has given).
        if error.info() == "recursion limit exceeded" {
            return self.too_deep(at);
        }
        let text = &self.source.text;
        let line = self.source.line_of(at);
        let unclosed = self
            .stack
            .iter()
            .rev()
            .find(|open| open.flow)
            .filter(|open| self.source.line_of(open.start) < line);
        if let Some(open) = unclosed {
            let (bracket, hint) = match text.as_bytes()[open.start] {
                b'[' => (
                    '[',
                    "close the list with `]`, or write one `- item` per line under the key",
                ),
                _ => (
                    '{',
                    "close the mapping with `}`, or write one `key: value` per line, indented under the key",
                ),
            };
            let (stop_line, stop_column) = self.source.line_col(at);
            return Diagnostic::at(
                "invalid-yaml",
                self.source,
                open.start..open.start + 1,
                format!("this is not valid YAML: this `{bracket}` is never closed"),
            )
            .with_note(format!(
                "the YAML parser stopped at line {stop_line}, column {stop_column}: {}",
                error.info()
            ))
            .with_hint(hint);
        }
        let at = at.min(self.end);
        let blank = text[at..self.end]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
        let before = text[self.base..at].trim_end();
        let at = match before.chars().next_back() {
            Some(last) if blank => self.base + before.len() - last.len_utf8(),
            _ => at,
        };
        Diagnostic::at(
            "invalid-yaml",
            self.source,
            at..at + 1,
            format!("this is not valid YAML: {}", error.info()),
        )
        .with_hint(SYNTAX_HINT)
    }
}

/// A mapping's key: its scalar as text (empty for a list or mapping as key).
fn as_key(node: Node) -> Key {
    let name = match node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) | Value::Datetime(s) => s,
        Value::Array(_) | Value::Table(_) => String::new(),
    };
    Key {
        name,
        span: node.span,
    }
}

/// True when `node` has at most `budget` values; takes them from the budget.
/// Stops counting as soon as the budget is spent.
fn within(node: &Node, budget: &mut usize) -> bool {
    let mut pending = vec![node];
    while let Some(n) = pending.pop() {
        let Some(left) = budget.checked_sub(1) else {
            return false;
        };
        *budget = left;
        match &n.value {
            Value::Array(items) => pending.extend(items),
            Value::Table(entries) => pending.extend(entries.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    true
}

/// Character index to byte offset in one text, walking from the last answer.
struct Cursor<'t> {
    text: &'t str,
    /// For ASCII text the two are the same and nothing is walked.
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Cursor {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        while self.chars < index {
            let Some(c) = self.text[self.bytes..].chars().next() else {
                break;
            };
            self.bytes += c.len_utf8();
            self.chars += 1;
        }
        while self.chars > index {
            let c = self.text[..self.bytes]
                .chars()
                .next_back()
                .expect("chars counted from the start");
            self.bytes -= c.len_utf8();
            self.chars -= 1;
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML as a file of front matter (`---` lines), parsed.
    fn read(yaml: &str) -> (Source, Result<Node, Diagnostic>) {
        let source = Source::new("t.md", format!("---\n{yaml}---\n"));
        let end = source.text.len() - 4;
        let node = parse(&source, &source.text[4..end], 4);
        (source, node)
    }

    fn entries(node: &Node) -> &[(Key, Node)] {
        match &node.value {
            Value::Table(entries) => entries,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn scalars_resolve_as_yaml_core_schema() {
        let (_, node) = read(
            "a: 1\nb: true\nc: ~\nd: 2026-11-02\ne: '7'\nf: 1.5\ng: |\n  one\n  two\nh: >-\n  x\n  y\ni:\n",
        );
        let node = node.unwrap();
        let e = entries(&node);
        assert!(matches!(e[0].1.value, Value::Int(1)));
        assert!(matches!(e[1].1.value, Value::Bool(true)));
        assert!(matches!(e[2].1.value, Value::Null));
        assert!(matches!(&e[3].1.value, Value::Str(s) if s == "2026-11-02"));
        assert!(matches!(&e[4].1.value, Value::Str(s) if s == "7"));
        assert!(matches!(e[5].1.value, Value::Float(f) if f == 1.5));
        assert!(matches!(&e[6].1.value, Value::Str(s) if s == "one\ntwo\n"));
        assert!(matches!(&e[7].1.value, Value::Str(s) if s == "x y"));
        assert!(matches!(e[8].1.value, Value::Null));
    }

    #[test]
    fn spans_are_bytes_of_the_file_after_wide_characters() {
        let (source, node) = read("title: Ünïcödé “quoted”\ntags: [é, ü]\n");
        let node = node.unwrap();
        let e = entries(&node);
        assert_eq!(&source.text[e[0].1.span.clone()], "Ünïcödé “quoted”");
        assert_eq!(&source.text[e[1].0.span.clone()], "tags");
        let Value::Array(items) = &e[1].1.value else {
            panic!()
        };
        assert_eq!(&source.text[items[1].span.clone()], "ü");
    }

    #[test]
    fn aliases_copy_their_anchor() {
        let (_, node) = read("a: &x [1, 2]\nb: *x\n");
        let node = node.unwrap();
        let e = entries(&node);
        assert!(matches!(&e[1].1.value, Value::Array(items) if items.len() == 2));
        let bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        let (_, node) = read(bomb);
        assert!(node.unwrap_err().message.contains("aliases"));
    }

    #[test]
    fn a_key_given_twice_is_an_error() {
        let (_, node) = read("a: 1\nb: 2\na: 3\n");
        let err = node.unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(
            err.message.contains("`a` is given twice"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let (_, node) = read(&format!("a: {}\n", "[".repeat(10_000)));
        let err = node.unwrap_err();
        assert_eq!((err.code, err.line), ("too-deep", Some(2)));
        let block: String = (0..200).map(|i| format!("{}- \n", " ".repeat(i))).collect();
        let (_, node) = read(&format!("a:\n{block}"));
        let err = node.unwrap_err();
        assert_eq!((err.code, err.line), ("too-deep", Some(102)));
        let ok = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(read(&ok).1.is_ok());
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let (_, node) = read("title: Backend\ndepartment: [Engineering\ndate: 2026-11-02\n");
        let err = node.unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(13)));
        assert!(
            err.message.contains("`[` is never closed"),
            "{}",
            err.message
        );
        let (_, node) = read("a: {x: 1\nb: 2\n");
        let err = node.unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(4)));
    }

    #[test]
    fn other_errors_stay_on_the_line_of_the_mistake() {
        let (_, node) = read("a: 1\n%bad\n");
        assert_eq!(node.unwrap_err().line, Some(3));
        let (_, node) = read("a: 1\n]\n");
        assert_eq!(node.unwrap_err().line, Some(3));
        let (_, node) = read("salary:\n  min: 1\n max: 2\n");
        assert_eq!(node.unwrap_err().line, Some(4));
    }

    #[test]
    fn no_document_is_an_empty_table() {
        let (_, node) = read("# only a comment\n");
        assert!(entries(&node.unwrap()).is_empty());
    }

    #[test]
    fn the_cursor_walks_both_ways() {
        let text = "aé“b”c";
        let mut cursor = Cursor::new(text);
        let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &i in &[4, 1, 5, 0, 3, 2, 6] {
            let want = bytes.get(i).copied().unwrap_or(text.len());
            assert_eq!(cursor.byte(i), want, "char {i}");
        }
        assert_eq!(cursor.byte(99), text.len());
    }
}
