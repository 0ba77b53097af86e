//! `[languages.LANG]` and `[apply.languages.LANG]` of `site.toml`: the site's
//! further languages and what differs in each (the title, the company's
//! description, department and location names, the consent line). Everything
//! else is one fact for every language and stays where it is. What a
//! language makes of the configuration is `crate::languages`'.

use crate::node::{Node, Reader, Table, Value, opt};
use std::collections::BTreeMap;

/// One further language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 tag, as written in `site.toml` (`de`, `pt-BR`).
    pub tag: String,
    pub title: Option<String>,
    pub company_description: Option<String>,
    /// Display names by the name postings give in `department`.
    pub departments: BTreeMap<String, String>,
    /// Display names by location key.
    pub locations: BTreeMap<String, String>,
    /// `[apply.languages.LANG] consent`.
    pub consent: Option<String>,
}

const KEYS: &[&str] = &["title", "company", "departments", "locations"];
const COMPANY_KEYS: &[&str] = &["description"];
const APPLY_KEYS: &[&str] = &["consent"];

/// Whether `lang` is written like a BCP 47 tag (`en`, `pt-BR`); reports it if not.
pub fn language_ok(r: &mut Reader<'_>, node: &Node, lang: &str) -> bool {
    let ok = lang
        .split('-')
        .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !ok {
        r.error(
            "invalid-value",
            node.span.clone(),
            format!("`{lang}` is not a language tag"),
        )
        .hint = Some("use a BCP 47 tag such as \"en\", \"de\" or \"pt-BR\"".into());
    }
    ok
}

/// `[languages]`: each further language, in the order of `site.toml`. The
/// default language (`language`) may not be among them.
pub fn languages(r: &mut Reader<'_>, node: &Node, default: Option<&str>) -> Option<Vec<Language>> {
    let Value::Table(entries) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`languages` must be a table of languages",
        )
        .hint =
            Some("write each further language as [languages.de] followed by title = ...".into());
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in entries {
        let tag = key.name.as_str();
        if !language_ok(r, value, tag) {
            ok = false;
            continue;
        }
        if Some(tag) == default {
            r.error(
                "invalid-key",
                key.span.clone(),
                format!("`{tag}` is the site's default language (`language`)"),
            )
            .hint = Some(format!(
                "[languages.{tag}] is for further languages; the default language's text is in site.toml's own keys"
            ));
            ok = false;
            continue;
        }
        match language(r, tag, value) {
            Some(l) => out.push(l),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn language(r: &mut Reader<'_>, tag: &str, node: &Node) -> Option<Language> {
    let field = format!("languages.{tag}");
    let t = r.table(node, &field, KEYS, "")?;
    let title = opt(r, &t, "title", Reader::text);
    let company_description = match t.get("company") {
        Some(n) => match r.table(n, &format!("{field}.company"), COMPANY_KEYS, "") {
            Some(c) => opt(r, &c, "description", Reader::text),
            None => None,
        },
        None => Some(None),
    };
    let departments = names(r, t.get("departments"), &format!("{field}.departments"));
    let locations = names(r, t.get("locations"), &format!("{field}.locations"));
    Some(Language {
        tag: tag.to_string(),
        title: title?,
        company_description: company_description?,
        departments: departments?,
        locations: locations?,
        consent: None,
    })
}

/// A table of display names: `Engineering = "Entwicklung"`.
fn names(r: &mut Reader<'_>, node: Option<&Node>, field: &str) -> Option<BTreeMap<String, String>> {
    let Some(node) = node else {
        return Some(BTreeMap::new());
    };
    let Value::Table(entries) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            format!("`{field}` must be a table of names"),
        )
        .hint = Some(format!(
            "write [{field}] followed by lines such as Engineering = \"...\""
        ));
        return None;
    };
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in entries {
        match r.text(value, &format!("{field}.{}", key.name)) {
            Some(name) => {
                out.insert(key.name.clone(), name);
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// `[apply.languages]`: the consent line per further language; every
/// language named must be one of `[languages]`.
pub fn apply_languages(r: &mut Reader<'_>, node: &Node, languages: &mut [Language]) -> Option<()> {
    let Value::Table(entries) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`apply.languages` must be a table of languages",
        )
        .hint = Some("write [apply.languages.de] followed by consent = \"...\"".into());
        return None;
    };
    let mut ok = true;
    for (key, value) in entries {
        let field = format!("apply.languages.{}", key.name);
        let Some(language) = languages.iter_mut().find(|l| l.tag == key.name) else {
            r.error(
                "unknown-language",
                key.span.clone(),
                format!("`{}` is not one of the site's languages", key.name),
            )
            .hint = Some(format!(
                "add [languages.{}] to site.toml, or remove [{field}]",
                key.name
            ));
            ok = false;
            continue;
        };
        let Some(t) = r.table(value, &field, APPLY_KEYS, "") else {
            ok = false;
            continue;
        };
        match opt(r, &t, "consent", Reader::text) {
            Some(consent) => language.consent = consent,
            None => ok = false,
        }
    }
    ok.then_some(())
}

/// The `languages` table inside `[apply]`, if there is one.
pub fn of_apply(apply: &Node) -> Option<&Node> {
    match &apply.value {
        Value::Table(entries) => entries
            .iter()
            .find(|(k, _)| k.name == "languages")
            .map(|(_, v)| v),
        _ => None,
    }
}

/// Every key of `[languages.LANG.locations]` names a location of `[locations]`.
pub fn check_location_names(
    r: &mut Reader<'_>,
    top: &Table<'_>,
    languages: &[Language],
    known: &[&str],
) {
    let Some(Value::Table(entries)) = top.get("languages").map(|n| &n.value) else {
        return;
    };
    for (lang, node) in entries {
        let Value::Table(keys) = &node.value else {
            continue;
        };
        let Some((_, names)) = keys.iter().find(|(k, _)| k.name == "locations") else {
            continue;
        };
        let Value::Table(names) = &names.value else {
            continue;
        };
        for (key, _) in names {
            if known.contains(&key.name.as_str()) || !languages.iter().any(|l| l.tag == lang.name) {
                continue;
            }
            r.error(
                "unknown-location",
                key.span.clone(),
                format!(
                    "[languages.{}.locations] names `{}`, which is not in [locations]",
                    lang.name, key.name
                ),
            )
            .hint = Some(format!(
                "the keys are those of [locations]: {}",
                known.join(", ")
            ));
        }
    }
}
