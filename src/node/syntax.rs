//! The two syntaxes front matter is written in, so that every hint shows its
//! example the way the file it is about writes it: `tags = ["a", "b"]` in a
//! TOML file (and `site.toml`), `tags: [a, b]` in a YAML one.

use saphyr::Scalar;
use std::borrow::Cow;

/// The syntax of a file's front matter (or of `site.toml`: always TOML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `+++` lines, and `site.toml`.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// A value in an example.
#[derive(Debug, Clone, Copy)]
pub enum Example<'a> {
    /// A string: quoted in TOML; in YAML only when it would not read as this
    /// string unquoted.
    Text(&'a str),
    /// Written the same in both: a number, a date, `true`.
    Plain(&'a str),
    /// A list of strings.
    List(&'a [&'a str]),
    /// A table, shown with its first key and value.
    Table(&'a str, &'a Example<'a>),
}

impl Syntax {
    /// One key with its value: `per = "year"`, `per: year`.
    pub fn entry(self, key: &str, value: Example<'_>) -> String {
        let value = match value {
            Example::Table(first, value) => {
                let first = self.entry(first, *value);
                return match self {
                    Syntax::Toml => format!("[{key}] with {first}"),
                    Syntax::Yaml => format!("{key}: followed by an indented {first}"),
                };
            }
            Example::Plain(v) => v.to_string(),
            Example::Text(text) => self.string(text, false).into_owned(),
            Example::List(items) => {
                let items: Vec<Cow<'_, str>> =
                    items.iter().map(|item| self.string(item, true)).collect();
                format!("[{}]", items.join(", "))
            }
        };
        match self {
            Syntax::Toml => format!("{key} = {value}"),
            Syntax::Yaml => format!("{key}: {value}"),
        }
    }

    /// A table as its name is written: `[salary]`, `` `salary:` ``.
    pub fn table(self, key: &str) -> String {
        match self {
            Syntax::Toml => format!("[{key}]"),
            Syntax::Yaml => format!("`{key}:`"),
        }
    }

    /// A table and the lines that fill it, as a hint says it.
    pub fn table_lines(self, key: &str) -> String {
        match self {
            Syntax::Toml => format!("[{key}] followed by `key = value` lines"),
            Syntax::Yaml => format!("`{key}:` followed by indented `key: value` lines"),
        }
    }

    /// A list of tables (`[[questions]]`), as a hint says it.
    pub fn table_list(self, key: &str) -> String {
        match self {
            Syntax::Toml => format!("a [[{key}]] block"),
            Syntax::Yaml => format!("an item (`- id: ...`) of the list under `{key}:`"),
        }
    }

    /// A string as a value in a file this syntax writes: bare in YAML where
    /// it reads back as the same string, else quoted with every escape it
    /// needs (line breaks included, unlike a hint's example).
    pub fn value(self, text: &str) -> String {
        match self {
            Syntax::Toml => toml::Value::String(text.to_string()).to_string(),
            Syntax::Yaml if !text.contains(char::is_control) => match self.string(text, false) {
                Cow::Borrowed(bare) => bare.to_string(),
                Cow::Owned(_) => json_quoted(text),
            },
            // JSON's escapes are YAML's double-quoted ones.
            Syntax::Yaml => json_quoted(text),
        }
    }

    /// A string as a value, quoted where this syntax needs it; `in_list`
    /// for an item of a `[...]` list, where commas and brackets end it.
    fn string(self, text: &str, in_list: bool) -> Cow<'_, str> {
        let bare = self == Syntax::Yaml
            && !text.is_empty()
            && text.trim() == text
            && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
            && !text.contains(": ")
            && !text.contains(" #")
            && !(in_list && text.contains(|c: char| ",[]{}".contains(c)))
            && matches!(
                Scalar::parse_from_cow(Cow::Borrowed(text)),
                Scalar::String(_)
            );
        if bare {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(format!(
                "\"{}\"",
                text.replace('\\', "\\\\").replace('"', "\\\"")
            ))
        }
    }
}

fn json_quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_only_where_needed() {
        assert_eq!(
            Syntax::Yaml.value("Backend Engineer, Dispatch"),
            "Backend Engineer, Dispatch"
        );
        assert_eq!(Syntax::Yaml.value("true"), "\"true\"");
        assert_eq!(Syntax::Yaml.value("2027"), "\"2027\"");
        assert_eq!(Syntax::Yaml.value("a: b"), "\"a: b\"");
        assert_eq!(Syntax::Yaml.value("two\nlines"), "\"two\\nlines\"");
        for text in ["say \"hi\"", "two\nlines", "it's \\ 'quoted'"] {
            let line = format!("v = {}", Syntax::Toml.value(text));
            let table: toml::Table = toml::from_str(&line).unwrap();
            assert_eq!(table["v"].as_str(), Some(text), "{line}");
        }
    }

    #[test]
    fn entries_are_written_in_each_syntax() {
        let list = Example::List(&["a", "b"]);
        assert_eq!(Syntax::Toml.entry("tags", list), "tags = [\"a\", \"b\"]");
        assert_eq!(Syntax::Yaml.entry("tags", list), "tags: [a, b]");
        let title = Example::Text("Backend Engineer");
        assert_eq!(
            Syntax::Toml.entry("title", title),
            "title = \"Backend Engineer\""
        );
        assert_eq!(
            Syntax::Yaml.entry("title", title),
            "title: Backend Engineer"
        );
        let date = Example::Plain("2026-11-02");
        assert_eq!(Syntax::Toml.entry("date", date), "date = 2026-11-02");
        assert_eq!(Syntax::Yaml.entry("date", date), "date: 2026-11-02");
        let table = Example::Table("name", &Example::Text("Acme"));
        assert_eq!(
            Syntax::Toml.entry("company", table),
            "[company] with name = \"Acme\""
        );
    }

    #[test]
    fn yaml_quotes_what_would_not_read_as_the_string() {
        let yaml = |text: &str| Syntax::Yaml.entry("k", Example::Text(text));
        assert_eq!(yaml("true"), "k: \"true\"");
        assert_eq!(yaml("10"), "k: \"10\"");
        assert_eq!(yaml("..."), "k: ...");
        assert_eq!(yaml("a: b"), "k: \"a: b\"");
        assert_eq!(yaml("*x"), "k: \"*x\"");
        assert_eq!(yaml(""), "k: \"\"");
        let list = Syntax::Yaml.entry("to", Example::List(&["Ana <ana@x.example>", "a, b"]));
        assert_eq!(list, "to: [Ana <ana@x.example>, \"a, b\"]");
    }
}
