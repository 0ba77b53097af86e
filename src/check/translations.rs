//! Translations against their originals: open roles not yet translated into
//! every language of the site, translations their original has moved on
//! from, and amounts of money in a translation's text that the original does
//! not give. Drafts are left alone.
//!
//! Rules: `translation-missing` (info, one per open role, at the original),
//! `translation-stale` (warning: the original changed more than `[check]
//! translation_lag` days after the translation's `updated`; a translation
//! without `updated` counts as written on the day the role was posted),
//! `salary-mismatch` (warning, at each amount; see `money` for what counts).

use super::freshness::{Options, days};
use super::money;
use crate::build::Generation;
use crate::config::Language;
use crate::content::Posting;
use crate::diagnostic::{Diagnostic, Severity};
use crate::node::Example;
use crate::outputs::last_change;
use std::collections::HashMap;
use std::path::Path;

pub fn check(generation: &Generation, options: &Options) -> Vec<Diagnostic> {
    let languages = &generation.site.config.languages;
    if languages.is_empty() {
        return Vec::new();
    }
    let mut by_slug: HashMap<&str, Vec<&Posting>> = HashMap::new();
    for g in &generation.translations {
        for job in g.site.jobs.iter().filter(|j| j.posting.language.is_some()) {
            by_slug
                .entry(&job.posting.slug)
                .or_default()
                .push(&job.posting);
        }
    }
    let mut out = Vec::new();
    for job in generation.site.jobs.iter().filter(|j| !j.posting.draft) {
        let original = &job.posting;
        let translations = by_slug
            .get(original.slug.as_str())
            .map_or(&[][..], Vec::as_slice);
        // A closed role's page stays up, amounts and all.
        for t in translations {
            out.extend(salary_mismatch(original, t));
        }
        if job.closed {
            continue;
        }
        out.extend(missing(original, translations, languages));
        out.extend(
            translations
                .iter()
                .filter_map(|t| stale(original, t, options)),
        );
    }
    out
}

/// `backend-engineer.md` -> `backend-engineer.pt.md`.
fn translation_name(original: &Path, tag: &str) -> String {
    let stem = original.file_stem().unwrap_or_default().to_string_lossy();
    format!("{stem}.{tag}.md")
}

/// "de", "de and pt", "de, pt and fr".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `translation-missing`: the languages of the site an open role has no
/// translation into.
fn missing(
    original: &Posting,
    translations: &[&Posting],
    languages: &[Language],
) -> Option<Diagnostic> {
    let missing: Vec<&str> = languages
        .iter()
        .map(|l| l.tag.as_str())
        .filter(|tag| {
            !translations
                .iter()
                .any(|t| t.language.as_deref() == Some(tag))
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let path = &original.origin.source.path;
    let tags: Vec<String> = missing.iter().map(|t| format!("`{t}`")).collect();
    let files: Vec<String> = missing
        .iter()
        .map(|tag| translation_name(path, tag))
        .collect();
    let commands: Vec<String> = missing
        .iter()
        .map(|tag| format!("`openings new --lang {tag} --from {}`", original.slug))
        .collect();
    Some(
        original
            .origin
            .at_key(
                "translation-missing",
                &["title"],
                format!(
                    "this role has no translation into {}: its page there shows this file's text",
                    and_list(&tags)
                ),
            )
            .with_severity(Severity::Info)
            .with_hint(format!(
                "write {} beside this file: {} {} with the text to translate",
                and_list(&files),
                and_list(&commands),
                if files.len() == 1 {
                    "creates it"
                } else {
                    "create them"
                }
            )),
    )
}

/// `translation-stale`: the original changed more than the allowed lag after
/// the translation was last brought up to date.
fn stale(original: &Posting, t: &Posting, options: &Options) -> Option<Diagnostic> {
    let changed = last_change(original);
    let own = t.updated.filter(|_| t.origin.has_key("updated"));
    let written = own.unwrap_or_else(|| original.posted());
    let lag = (changed - written).get_days();
    let allowed = options.translation_lag_days;
    if lag <= days(allowed) {
        return None;
    }
    let path = original.origin.source.path.display();
    let since = match own {
        Some(day) => format!("was updated on {day}"),
        None => format!(
            "has no `updated`, so it counts as written when the role was posted ({written})"
        ),
    };
    let how = if original.updated.is_some() {
        "updated"
    } else {
        "posted"
    };
    Some(
        t.origin
            .at_key(
                "translation-stale",
                &["updated", "title"],
                format!(
                    "this translation {since}; its original {path} changed {lag} days later, more than the {allowed} days allowed"
                ),
            )
            .with_severity(Severity::Warning)
            .with_note(format!("{path}: {how} {changed}"))
            .with_hint(format!(
                "compare it with {path}, bring the text up to date and set {} here (or raise [check] translation_lag in site.toml)",
                t.origin
                    .syntax
                    .entry("updated", Example::Plain(&options.today.to_string()))
            )),
    )
}

/// A salary figure in hundredths, as `money` counts amounts.
fn cents(amount: f64) -> Option<u64> {
    (amount >= 0.0 && amount.is_finite()).then(|| (amount * 100.0).round() as u64)
}

/// `salary-mismatch`: each amount the translation mentions that is neither
/// the salary's min or max nor an amount the original's text mentions.
fn salary_mismatch(original: &Posting, t: &Posting) -> Vec<Diagnostic> {
    let mut known: Vec<u64> = money::amounts(&original.origin.source.text)
        .into_iter()
        .map(|a| a.cents)
        .collect();
    if let Some(s) = &original.salary {
        known.extend(cents(s.min));
        known.extend(cents(s.max));
    }
    known.sort_unstable();
    known.dedup();
    let path = original.origin.source.path.display();
    let salary = original.salary.as_ref().map_or_else(
        || "a salary (the original has none)".to_string(),
        |s| {
            let range = [s.min, s.max].map(|v| cents(v).map_or_else(String::new, money::plain));
            format!("the salary ({}–{} {})", range[0], range[1], s.currency)
        },
    );
    let hint = if known.is_empty() {
        format!(
            "the original {path} gives no amount: remove it here, or add it to the original first"
        )
    } else {
        let list: Vec<String> = known.iter().map(|c| money::plain(*c)).collect();
        format!(
            "the pay is one fact, kept in {path}: write the original's amount here ({}), or change the original first if the pay changed",
            list.join(", ")
        )
    };
    let text = &t.origin.source.text;
    money::amounts(text)
        .into_iter()
        .filter(|a| !known.contains(&a.cents))
        .map(|a| {
            Diagnostic::at(
                "salary-mismatch",
                &t.origin.source,
                a.span.clone(),
                format!(
                    "`{}` is neither {salary} nor an amount the original {path} mentions",
                    &text[a.span]
                ),
            )
            .with_severity(Severity::Warning)
            .with_hint(hint.clone())
        })
        .collect()
}
