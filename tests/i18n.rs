//! The default theme's strings: every `themes/default/i18n/LANG.toml` has the
//! keys of `en.toml` in its order, no others but plural forms, the same `{slot}`s
//! in each string, and the plural forms its language needs; and
//! every `t.KEY` the templates use is in `en.toml`.
//!
//! Plural forms: `KEY` is CLDR's "other" form, `KEY_one`, `KEY_few`, … the
//! language's other categories for integers. A string that the code picks for
//! n = 1 under another name (`filter_status_one` beside `filter_status_many`)
//! counts as that key's "one" form.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// CLDR plural categories for integers, besides "other", of each language the
/// theme ships ("many" of fr, es, it and pt is only for large round numbers:
/// the renderer falls back to "other" there, so it is left out).
const CATEGORIES: &[(&str, &[&str])] = &[
    ("en", &["one"]),
    ("de", &["one"]),
    ("fr", &["one"]),
    ("es", &["one"]),
    ("pt", &["one"]),
    ("it", &["one"]),
    ("nl", &["one"]),
    ("pl", &["one", "few", "many"]),
];

/// Every suffix a plural form may have.
const SUFFIXES: &[&str] = &["zero", "one", "two", "few", "many"];

/// Counted strings whose "one" form is not `KEY_one` (see the module comment).
const COUNTED_WITHOUT_ONE: &[&str] = &["filter_status_many"];

fn i18n_dir() -> PathBuf {
    common::repo().join("themes/default/i18n")
}

fn table(path: &Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The language files, by language code.
fn languages() -> Vec<(String, toml::Table)> {
    let mut out: Vec<(String, toml::Table)> = fs::read_dir(i18n_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| {
            let lang = path.file_stem().unwrap().to_string_lossy().into_owned();
            (lang, table(&path))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The `{slot}` names in a string.
fn slots(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() && rest[name.len()..].starts_with('}') {
            out.insert(name);
        }
    }
    out
}

/// The en key a key of a translation stands for: itself, or the key it is a
/// plural form of, with the category.
fn en_key<'a>(key: &'a str, en: &toml::Table) -> Option<(&'a str, Option<&'static str>)> {
    if en.contains_key(key) {
        return Some((key, None));
    }
    SUFFIXES.iter().find_map(|suffix| {
        let base = key.strip_suffix(suffix)?.strip_suffix('_')?;
        en.contains_key(base).then_some((base, Some(*suffix)))
    })
}

/// The en keys that are counted: those with a `_one` form, and the listed others.
fn counted(en: &toml::Table) -> Vec<String> {
    en.keys()
        .filter_map(|k| k.strip_suffix("_one"))
        .filter(|base| en.contains_key(*base))
        .map(str::to_string)
        .chain(COUNTED_WITHOUT_ONE.iter().map(|k| k.to_string()))
        .collect()
}

#[test]
fn every_language_has_the_keys_slots_and_plural_forms_of_english() {
    let en = table(&i18n_dir().join("en.toml"));
    let langs = languages();
    assert!(langs.len() >= 8, "only {} language files", langs.len());
    let mut problems = Vec::new();
    for (lang, strings) in &langs {
        let Some((_, categories)) = CATEGORIES.iter().find(|(l, _)| l == lang) else {
            problems.push(format!(
                "{lang}.toml: no plural categories for `{lang}` in CATEGORIES"
            ));
            continue;
        };
        for key in en.keys() {
            if !strings.contains_key(key) {
                problems.push(format!("{lang}.toml: missing `{key}`"));
            }
        }
        let in_en_order: Vec<&String> = strings.keys().filter(|k| en.contains_key(*k)).collect();
        let en_order: Vec<&String> = en.keys().filter(|k| strings.contains_key(*k)).collect();
        if in_en_order != en_order {
            problems.push(format!("{lang}.toml: keys are not in the order of en.toml"));
        }
        for (key, value) in strings {
            let Some((base, category)) = en_key(key, &en) else {
                problems.push(format!("{lang}.toml: `{key}` is not a key of en.toml"));
                continue;
            };
            if let Some(category) = category
                && !categories.contains(&category)
            {
                problems.push(format!(
                    "{lang}.toml: `{key}`: `{lang}` has no plural category `{category}`"
                ));
            }
            match (value, &en[base]) {
                (toml::Value::String(text), toml::Value::String(english)) => {
                    if slots(text) != slots(english) {
                        problems.push(format!(
                            "{lang}.toml: `{key}` has slots {:?}, en.toml's `{base}` {:?}",
                            slots(text),
                            slots(english)
                        ));
                    }
                    if text.trim().is_empty() {
                        problems.push(format!("{lang}.toml: `{key}` is empty"));
                    }
                }
                (toml::Value::Array(_), toml::Value::Array(_)) => {}
                _ => problems.push(format!(
                    "{lang}.toml: `{key}` is not of the type of en.toml's `{base}`"
                )),
            }
        }
        for base in counted(&en) {
            for category in ["few", "many"] {
                let form = format!("{base}_{category}");
                if categories.contains(&category) && !strings.contains_key(&form) {
                    problems.push(format!("{lang}.toml: missing the plural form `{form}`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The keys `t.KEY`, `t["KEY"]`, `t['KEY']`, `plural("KEY", n)` and `plural_forms("KEY")` in a template.
fn keys_used(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    let key_at = |from: usize| -> String {
        text[from..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices('t') {
        if i > 0 && word(bytes[i - 1]) {
            continue;
        }
        let rest = &text[i + 1..];
        if rest.starts_with('.') {
            let key = key_at(i + 2);
            if !key.is_empty() {
                out.push(key);
            }
        } else if let Some(quote) = ["[\"", "['"].iter().find(|q| rest.starts_with(**q)) {
            let key = key_at(i + 1 + quote.len());
            let close = &text[i + 1 + quote.len() + key.len()..];
            if !key.is_empty() && close.starts_with(&quote[1..]) {
                out.push(key);
            }
        }
    }
    // Counted strings are named to `plural("KEY", n)` and `plural_forms("KEY")`.
    for call in ["plural(\"", "plural_forms(\""] {
        for (i, _) in text.match_indices(call) {
            let key = key_at(i + call.len());
            if !key.is_empty() {
                out.push(key);
            }
        }
    }
    out
}

#[test]
fn every_string_the_templates_use_is_in_english() {
    assert_eq!(
        keys_used(r#"{{ t.apply_now }} {{ t["sending"] }} {{ site.title }} {{ x.t.no }}"#),
        ["apply_now", "sending"]
    );
    let en = table(&i18n_dir().join("en.toml"));
    let templates = common::repo().join("themes/default/templates");
    let mut used = 0;
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&templates) {
        let entry = entry.unwrap();
        let path = entry.path();
        if !entry.file_type().is_file()
            || !path.extension().is_some_and(|e| e == "html" || e == "txt")
        {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        for key in keys_used(&text) {
            used += 1;
            if !en.contains_key(&key) {
                let name = path.strip_prefix(&templates).unwrap().display();
                problems.push(format!("{name}: `t.{key}` is not in en.toml"));
            }
        }
    }
    // The scan finds the strings at all: the templates use well over a hundred.
    assert!(used > 100, "only {used} uses of `t.` found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
