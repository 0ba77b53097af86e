//! Which templates a template uses (`extends`, `include`, `import`, `from`), read
//! from the template text. `build` uses it to re-render only the pages whose
//! templates changed. Pure: no environment, no files.

use std::collections::{BTreeMap, BTreeSet};

/// The templates a template's text names directly; `None` when one is chosen at
/// render time (`{% include name_var %}`), so any template may be used.
pub fn direct_uses(text: &str) -> Option<BTreeSet<String>> {
    let mut uses = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("%}") else { break };
        let tag = after[..end].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        rest = &after[end + 2..];
        let keyword = tag.split_whitespace().next().unwrap_or_default();
        if !matches!(keyword, "extends" | "include" | "import" | "from") {
            continue;
        }
        let names = string_literals(&tag[keyword.len()..]);
        if names.is_empty() {
            return None;
        }
        uses.extend(names);
    }
    Some(uses)
}

/// Quoted strings in a tag, e.g. `"a.html"` and `'b.html'` of an include list.
fn string_literals(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = tag.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '"' && c != '\'' {
            continue;
        }
        let body = &tag[i + 1..];
        if let Some(len) = body.find(c) {
            out.push(body[..len].to_string());
            // Skip past the closing quote.
            for _ in 0..=body[..len].chars().count() {
                chars.next();
            }
        }
    }
    out
}

/// `name` and every template it uses, directly or not. `templates` maps names to
/// their text; a dynamic reference anywhere makes every template a dependency.
pub fn closure(name: &str, templates: &BTreeMap<&str, &str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(next) = todo.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        let Some(text) = templates.get(next.as_str()) else {
            continue;
        };
        match direct_uses(text) {
            Some(uses) => todo.extend(uses),
            None => return templates.keys().map(|k| k.to_string()).collect(),
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_extends_include_import_and_from() {
        let text = r#"{% extends "base.html" %}{%- import "macros.html" as m %}
            {% include ['a.html', "b.html"] ignore missing %}{% from "forms.html" import field %}
            {% if x %}{{ "not.html" }}{% endif %}"#;
        let uses: Vec<String> = direct_uses(text).unwrap().into_iter().collect();
        assert_eq!(
            uses,
            ["a.html", "b.html", "base.html", "forms.html", "macros.html"]
        );
    }

    #[test]
    fn a_computed_include_depends_on_everything() {
        assert_eq!(direct_uses("{% include partial %}"), None);
        let templates = BTreeMap::from([
            ("job.html", "{% extends 'base.html' %}"),
            ("base.html", "{% include which %}"),
            ("other.html", ""),
        ]);
        assert_eq!(closure("job.html", &templates).len(), 3);
    }

    #[test]
    fn closure_follows_chains_and_survives_cycles() {
        let templates = BTreeMap::from([
            ("job.html", "{% extends 'base.html' %}"),
            ("base.html", "{% include 'nav.html' %}"),
            ("nav.html", "{% include 'base.html' %}"),
            ("index.html", ""),
        ]);
        let deps: Vec<String> = closure("job.html", &templates).into_iter().collect();
        assert_eq!(deps, ["base.html", "job.html", "nav.html"]);
    }
}
