//! The spanned data tree that TOML and YAML are both read into: values with
//! the byte range they were written at, so that every later problem can point
//! at its place in the file.

use std::ops::Range;

/// A value from a configuration or front-matter document, with its byte span in the file.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A TOML date or date-time literal, as written.
    Datetime(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

impl Value {
    /// The kind of value, as a message names it (`a string`, `a list`).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

impl Node {
    /// Every string in the tree with its span (keys excluded), for lints such as
    /// placeholder detection.
    pub fn strings(&self, out: &mut Vec<(String, Range<usize>)>) {
        match &self.value {
            Value::Str(s) => out.push((s.clone(), self.span.clone())),
            Value::Array(items) => items.iter().for_each(|n| n.strings(out)),
            Value::Table(entries) => entries.iter().for_each(|(_, n)| n.strings(out)),
            _ => {}
        }
    }

    /// Converts to JSON for free-form data handed to themes (`[extra]`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) | Value::Datetime(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}
