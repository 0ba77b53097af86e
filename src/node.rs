//! A small spanned data tree that TOML and YAML front matter (and `site.toml`) are
//! converted into, and a reader that turns it into typed values while collecting
//! every problem as a [`Diagnostic`] with its exact place.
//!
//! The crates do the parsing (`toml`, and `saphyr-parser`'s events in `yaml`); this
//! module only gives both formats one shape (`tree`), so that validation is written
//! once and reports the same way for both.

mod syntax;
mod tree;
mod yaml;

pub use syntax::{Example, Syntax};
pub use tree::{Key, Node, Value};

use crate::diagnostic::{Diagnostic, PER_FILE, Source, did_you_mean};
use jiff::civil::Date;
use std::ops::Range;

/// Parses TOML text that starts at byte `base` of `source`.
pub fn parse_toml(source: &Source, text: &str, base: usize) -> Result<Node, Diagnostic> {
    use toml::de::{DeTable, DeValue};
    fn convert(value: &toml::Spanned<DeValue<'_>>, base: usize) -> Node {
        let span = value.span();
        let span = span.start + base..span.end + base;
        let value = match value.get_ref() {
            DeValue::String(s) => Value::Str(s.to_string()),
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .map_or_else(|_| Value::Float(f64::NAN), Value::Int),
            DeValue::Float(f) => {
                Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN))
            }
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => Value::Datetime(d.to_string()),
            DeValue::Array(items) => Value::Array(items.iter().map(|v| convert(v, base)).collect()),
            DeValue::Table(table) => Value::Table(convert_table(table, base)),
        };
        Node { value, span }
    }
    fn convert_table(table: &DeTable<'_>, base: usize) -> Vec<(Key, Node)> {
        table
            .iter()
            .map(|(k, v)| {
                let span = k.span();
                let key = Key {
                    name: k.get_ref().to_string(),
                    span: span.start + base..span.end + base,
                };
                (key, convert(v, base))
            })
            .collect()
    }
    match DeTable::parse(text) {
        Ok(table) => {
            let span = table.span();
            Ok(Node {
                value: Value::Table(convert_table(table.get_ref(), base)),
                span: span.start + base..span.end + base,
            })
        }
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim().trim_end_matches('.').to_string();
            Err(Diagnostic::at(
                "invalid-toml",
                source,
                span.start + base..span.end + base,
                format!("this is not valid TOML: {message}"),
            )
            .with_hint(
                "check quotes, brackets and `key = value` syntax; strings need quotes in TOML",
            ))
        }
    }
}

/// Parses YAML text that starts at byte `base` of `source` (the first document).
pub fn parse_yaml(source: &Source, text: &str, base: usize) -> Result<Node, Diagnostic> {
    yaml::parse(source, text, base)
}

/// A closed set of words a field accepts (`workplace = "hybrid"`).
pub trait Keyword: Copy + 'static {
    const ALL: &'static [(&'static str, Self)];

    fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| std::mem::discriminant(k) == std::mem::discriminant(&self))
            .map_or("", |(s, _)| s)
    }
}

/// An optional key of `t`: `Some(None)` when it is absent, `None` when it is
/// present but `read` finds it wrong (and reported it).
pub fn opt<'s, T>(
    r: &mut Reader<'s>,
    t: &Table<'_>,
    key: &str,
    read: impl FnOnce(&mut Reader<'s>, &Node, &str) -> Option<T>,
) -> Option<Option<T>> {
    match t.get(key) {
        Some(n) => read(r, n, key).map(Some),
        None => Some(None),
    }
}

/// Reads a [`Node`] tree into typed values, collecting problems instead of stopping
/// at the first one: the first [`PER_FILE`] by place in the file, and a count of
/// the rest, so that a file with a million mistakes costs no more memory than
/// one with twenty.
pub struct Reader<'a> {
    pub source: &'a Source,
    /// The syntax the file is written in, which hints write their examples in.
    pub syntax: Syntax,
    /// Kept problems, each with the byte offset it is reported at.
    kept: Vec<(usize, Diagnostic)>,
    left_out: usize,
    /// What [`Reader::error`] hands out for a problem that is not kept.
    spare: Diagnostic,
}

/// A table being read: its entries and where it is.
pub struct Table<'n> {
    pub node: &'n Node,
    pub entries: &'n [(Key, Node)],
}

impl<'n> Table<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }
}

impl<'a> Reader<'a> {
    pub fn new(source: &'a Source, syntax: Syntax) -> Self {
        Reader {
            source,
            syntax,
            kept: Vec::new(),
            left_out: 0,
            spare: Diagnostic::error("", ""),
        }
    }

    /// Reports a problem at `span`; the caller may add a hint to what it returns.
    pub fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        if self.kept.len() == PER_FILE {
            let (last, &(at, _)) = self
                .kept
                .iter()
                .enumerate()
                .max_by_key(|(_, (at, _))| *at)
                .expect("PER_FILE is not 0");
            self.left_out += 1;
            if span.start >= at {
                self.spare = Diagnostic::error(code, "");
                return &mut self.spare;
            }
            self.kept.swap_remove(last);
        }
        let diagnostic = Diagnostic::at(code, self.source, span.clone(), message);
        self.kept.push((span.start, diagnostic));
        &mut self.kept.last_mut().expect("just pushed").1
    }

    /// True when no problem was reported.
    pub fn is_clean(&self) -> bool {
        self.kept.is_empty()
    }

    /// The problems reported, in order, and a closing line for those not kept.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut kept = self.kept;
        kept.sort_by_key(|(at, _)| *at);
        let mut out: Vec<Diagnostic> = kept.into_iter().map(|(_, d)| d).collect();
        if self.left_out > 0 {
            out.push(Diagnostic::more(&self.source.path, self.left_out));
        }
        out
    }

    /// `field` is not `expected`; `example` is its value written right.
    fn wrong_type(&mut self, node: &Node, field: &str, expected: &str, example: Example<'_>) {
        let example = self.syntax.entry(field, example);
        self.mistyped(node, field, expected, &example);
    }

    fn mistyped(&mut self, node: &Node, field: &str, expected: &str, example: &str) {
        self.error(
            "wrong-type",
            node.span.clone(),
            format!("`{field}` must be {expected}, not {}", node.value.kind()),
        )
        .hint = Some(format!("write it like this: {example}"));
    }

    /// The node as a table, reporting unknown keys against `known`.
    pub fn table<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        known: &[&str],
        extra_hint: &str,
    ) -> Option<Table<'n>> {
        let Value::Table(entries) = &node.value else {
            let example = self.syntax.table_lines(field);
            self.mistyped(node, field, "a table", &example);
            return None;
        };
        for (key, _) in entries {
            if known.contains(&key.name.as_str()) {
                continue;
            }
            let place = if field.is_empty() {
                String::new()
            } else {
                format!(" in [{field}]")
            };
            let hint = match did_you_mean(&key.name, known) {
                Some(best) => format!("did you mean `{best}`?{extra_hint}"),
                None => format!("known keys: {}.{extra_hint}", known.join(", ")),
            };
            self.error(
                "unknown-key",
                key.span.clone(),
                format!("unknown key `{}`{place}", key.name),
            )
            .hint = Some(hint);
        }
        Some(Table { node, entries })
    }

    /// A required key: reports it missing (at the table) when absent, with
    /// `example` as its value in the hint.
    pub fn required<'n>(
        &mut self,
        table: &Table<'n>,
        key: &str,
        example: Example<'_>,
    ) -> Option<&'n Node> {
        let found = table.get(key);
        if found.is_none() {
            let example = self.syntax.entry(key, example);
            let span = table.node.span.start..table.node.span.start;
            self.error("missing-key", span, format!("missing required key `{key}`"))
                .hint = Some(format!("add a line such as {example}"));
        }
        found
    }

    pub fn string(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.wrong_type(node, field, "a string", Example::Text("..."));
                None
            }
        }
    }

    /// A string that must not be empty or only spaces.
    pub fn text(&mut self, node: &Node, field: &str) -> Option<String> {
        let s = self.string(node, field)?;
        if s.trim().is_empty() {
            self.error(
                "empty-value",
                node.span.clone(),
                format!("`{field}` is empty"),
            )
            .hint = Some(format!("give `{field}` a value or remove the line"));
            return None;
        }
        Some(s.trim().to_string())
    }

    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, field, "true or false", Example::Plain("true"));
                None
            }
        }
    }

    pub fn number(&mut self, node: &Node, field: &str) -> Option<f64> {
        match node.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.wrong_type(node, field, "a number", Example::Plain("90000"));
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Node, field: &str) -> Option<i64> {
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                self.wrong_type(node, field, "a whole number", Example::Plain("10"));
                None
            }
        }
    }

    /// A whole number within `range`; otherwise `message` (and `hint`) at the value.
    pub fn integer_in(
        &mut self,
        node: &Node,
        field: &str,
        range: std::ops::RangeInclusive<i64>,
        message: &str,
        hint: Option<&str>,
    ) -> Option<i64> {
        let value = self.integer(node, field)?;
        if range.contains(&value) {
            return Some(value);
        }
        self.error("invalid-value", node.span.clone(), message.to_string())
            .hint = hint.map(str::to_string);
        None
    }

    /// A calendar date: a TOML date literal or a `YYYY-MM-DD` string.
    pub fn date(&mut self, node: &Node, field: &str) -> Option<Date> {
        let text = match &node.value {
            Value::Str(s) | Value::Datetime(s) => s.trim(),
            _ => {
                self.wrong_type(node, field, "a date", Example::Plain("2026-11-02"));
                return None;
            }
        };
        // A date-time is accepted; only its calendar date matters here.
        let day = text.get(..10).filter(|_| {
            text.len() == 10 || matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' '))
        });
        match day.map(str::parse::<Date>) {
            Some(Ok(date)) if day.is_some_and(|d| d.as_bytes()[4] == b'-') => Some(date),
            _ => {
                self.error(
                    "invalid-date",
                    node.span.clone(),
                    format!("`{field}` is not a valid date: `{text}`"),
                )
                .hint = Some("write dates as YYYY-MM-DD, e.g. 2026-11-02".into());
                None
            }
        }
    }

    pub fn string_list(&mut self, node: &Node, field: &str) -> Option<Vec<(String, Range<usize>)>> {
        let Value::Array(items) = &node.value else {
            self.wrong_type(node, field, "a list", Example::List(&["a", "b"]));
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            out.push((self.text(item, field)?, item.span.clone()));
        }
        Some(out)
    }

    /// One of the words of `K`, suggesting the closest on a typo.
    pub fn keyword<K: Keyword>(&mut self, node: &Node, field: &str) -> Option<K> {
        let word = self.string(node, field)?;
        if let Some((_, k)) = K::ALL.iter().find(|(w, _)| *w == word) {
            return Some(*k);
        }
        let words: Vec<&str> = K::ALL.iter().map(|(w, _)| *w).collect();
        let normalised = word.trim().to_lowercase().replace(['_', ' '], "-");
        let hint = match did_you_mean(&normalised, &words) {
            Some(best) => format!("did you mean `{best}`? Allowed: {}", words.join(", ")),
            None => format!("allowed values: {}", words.join(", ")),
        };
        self.error(
            "invalid-value",
            node.span.clone(),
            format!("`{word}` is not a valid {field}"),
        )
        .hint = Some(hint);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::new("t", text)
    }

    #[test]
    fn toml_spans_are_relative_to_the_file() {
        let src = source("+++\ntitle = \"A\"\nn = 3\n+++\n");
        let node = parse_toml(&src, &src.text[4..22], 4).unwrap();
        let Value::Table(entries) = &node.value else {
            panic!()
        };
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(src.line_col(entries[0].0.span.start), (2, 1));
        assert_eq!(src.line_col(entries[1].1.span.start), (3, 5));
    }

    #[test]
    fn yaml_spans_are_relative_to_the_file() {
        let src = source("---\ntitle: A\ndepartment: Ops\n---\n");
        let node = parse_yaml(&src, &src.text[4..29], 4).unwrap();
        let Value::Table(entries) = &node.value else {
            panic!()
        };
        assert_eq!(entries[1].0.name, "department");
        assert_eq!(src.line_col(entries[1].0.span.start), (3, 1));
        assert_eq!(src.line_col(entries[1].1.span.start), (3, 13));
    }

    #[test]
    fn invalid_toml_points_at_the_problem() {
        let src = source("+++\ntitle = Backend\n+++\n");
        let err = parse_toml(&src, &src.text[4..20], 4).unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn dates_accept_date_literals_and_strings_only() {
        let src = source("");
        let mut r = Reader::new(&src, Syntax::Toml);
        let node = |v: &str| Node {
            value: Value::Str(v.into()),
            span: 0..0,
        };
        assert!(r.date(&node("2026-11-02"), "date").is_some());
        assert!(r.date(&node("2026-11-02T10:00:00Z"), "date").is_some());
        assert!(r.date(&node("2026-02-30"), "date").is_none());
        assert!(r.date(&node("02/11/2026"), "date").is_none());
        assert_eq!(r.into_diagnostics().len(), 2);
    }
}
