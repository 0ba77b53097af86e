//! `openings new --lang LANG --from SLUG`: the translation of a posting, to
//! fill in, written beside its original (`backend-engineer.de.md`) in the
//! original's front-matter syntax. It holds only what a translation has of
//! its own, the text keys and the body, copied from the original so that the
//! translator replaces them in place; the facts stay in the original.
//!
//! The file builds as written, as a draft: until the translator removes
//! `draft`, the language's listing shows the original (and `serve --drafts`
//! previews the translation).

use super::create;
use crate::config::{self, Config};
use crate::content::{self, Posting};
use crate::diagnostic::{self, Diagnostic};
use crate::node::Syntax;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// What `openings new --lang --from` needs.
pub struct NewTranslation<'a> {
    /// The original's slug, or its path (`content/jobs/x.md`).
    pub from: &'a str,
    /// One of the site's further languages.
    pub lang: &'a str,
    /// The translation's `updated`: the day its text is the original's.
    pub today: Date,
}

/// What was written: the translation's path and its original's, relative to
/// the site root.
pub struct Written {
    pub path: PathBuf,
    pub original: PathBuf,
}

/// Writes the translation of a posting; never replaces a file.
pub fn new_translation(root: &Path, new: &NewTranslation<'_>) -> Result<Written, Vec<Diagnostic>> {
    let config = config::load(root)?;
    declared(&config, new.lang).map_err(|d| vec![d])?;
    let content = content::load(root, &config)?;
    let original = find(&content.postings, new.from).map_err(|d| vec![d])?;
    let rel = translation_path(&original.origin.source.path, new.lang);
    let path = root.join(&rel);
    if path.exists() {
        return Err(vec![
            Diagnostic::error("exists", format!("{} already exists", rel.display())).with_hint(
                "openings never overwrites a file: edit it to bring the translation up to date (and set `updated`), or delete it to start again from the original",
            ),
        ]);
    }
    create(&path, &text(original, new.lang, new.today)).map_err(|d| vec![d])?;
    Ok(Written {
        path: rel,
        original: original.origin.source.path.clone(),
    })
}

/// `Ok` when `lang` is one of the site's further languages.
fn declared(config: &Config, lang: &str) -> Result<(), Diagnostic> {
    let further: Vec<&str> = config.languages.iter().map(|l| l.tag.as_str()).collect();
    if further.contains(&lang) {
        return Ok(());
    }
    let others = if further.is_empty() {
        "it declares none yet".to_string()
    } else {
        format!("its further languages are {}", further.join(", "))
    };
    if lang == config.language {
        return Err(Diagnostic::error(
            "translation-language",
            format!("`{lang}` is the site's default language: the original file is its text"),
        )
        .with_hint(format!(
            "translate into a further language of site.toml; {others}"
        )));
    }
    Err(Diagnostic::error(
        "unknown-language",
        format!("site.toml does not declare the language `{lang}` ({others})"),
    )
    .with_hint(format!(
        "add [languages.{lang}] to site.toml (with `title` for the site's title in it), then run this again"
    )))
}

/// The posting `from` names: by slug, else by its file's path.
fn find<'p>(
    postings: &'p [std::sync::Arc<Posting>],
    from: &str,
) -> Result<&'p Posting, Diagnostic> {
    let by_path = |p: &Posting| p.origin.source.path == Path::new(from);
    if let Some(p) = postings.iter().find(|p| p.slug == from || by_path(p)) {
        return Ok(p);
    }
    let slugs: Vec<&str> = postings.iter().map(|p| p.slug.as_str()).collect();
    let word = from.to_lowercase();
    let mut close: Vec<&str> = diagnostic::did_you_mean(from, &slugs).into_iter().collect();
    for s in &slugs {
        if !word.is_empty() && s.contains(word.as_str()) && !close.contains(s) {
            close.push(s);
        }
    }
    close.truncate(3);
    let hint = match close.as_slice() {
        [] if slugs.is_empty() => {
            "the site has no posting yet: write one with `openings new \"Job title\"`".to_string()
        }
        [] => format!(
            "--from takes a posting's slug (the last part of its URL): {}",
            list(&slugs[..slugs.len().min(10)])
        ),
        [one] => format!("did you mean `{one}`?"),
        many => format!("did you mean one of {}?", list(many)),
    };
    Err(Diagnostic::error(
        "unknown-posting",
        format!("no posting has the slug `{from}`"),
    )
    .with_hint(hint))
}

fn list(slugs: &[&str]) -> String {
    slugs
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `content/jobs/x.md` -> `content/jobs/x.LANG.md`.
fn translation_path(original: &Path, lang: &str) -> PathBuf {
    let stem = original.file_stem().unwrap_or_default().to_string_lossy();
    original.with_file_name(format!("{stem}.{lang}.md"))
}

/// The language's English name, for the comment: `German (de)`.
fn language_name(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    match isolang::Language::from_639_1(base) {
        Some(l) => format!("{} ({tag})", l.to_name()),
        None => format!("`{tag}`"),
    }
}

/// The translation file: a comment on what to do, the original's text keys
/// and questions, and its body.
fn text(original: &Posting, lang: &str, today: Date) -> String {
    let syntax = original.origin.syntax;
    let fence = match syntax {
        Syntax::Toml => "+++",
        Syntax::Yaml => "---",
    };
    let from = original.origin.source.path.display();
    let mut out = format!("{fence}\n");
    for line in [
        format!("The {} translation of {from}.", language_name(lang)),
        "Translate the values below and the text after the front matter; keep".to_string(),
        "each question's `id`. Every other key (salary, dates, locations...) is a".to_string(),
        "fact that comes from the original: change it there, for every language.".to_string(),
        "Set `updated` to the day you bring this text up to date with the original.".to_string(),
        "Remove `draft` to publish it; until then the original is shown instead.".to_string(),
    ] {
        out += &format!("# {line}\n");
    }
    let entry = |key: &str, value: &str| match syntax {
        Syntax::Toml => format!("{key} = {value}\n"),
        Syntax::Yaml => format!("{key}: {value}\n"),
    };
    out += &entry("title", &syntax.value(&original.title));
    for (key, value) in [
        ("summary", &original.summary),
        ("team", &original.team),
        ("seniority", &original.seniority),
    ] {
        if let Some(value) = value {
            out += &entry(key, &syntax.value(value));
        }
    }
    out += &entry("updated", &today.to_string());
    out += &entry("draft", "true");
    out += &questions(original, syntax);
    out += &format!("{fence}\n");
    out += &original.origin.source.text[original.origin.body_start..];
    out
}

/// The original's questions with their text: `[[questions]]` blocks in
/// TOML, a `questions:` list in YAML.
fn questions(original: &Posting, syntax: Syntax) -> String {
    let mut out = String::new();
    if original.questions.is_empty() {
        return out;
    }
    if syntax == Syntax::Yaml {
        out += "questions:\n";
    }
    for q in &original.questions {
        let mut keys = vec![
            ("id", syntax.value(&q.id)),
            ("label", syntax.value(&q.label)),
        ];
        if let Some(help) = &q.help {
            keys.push(("help", syntax.value(help)));
        }
        match syntax {
            Syntax::Toml => {
                out += "\n[[questions]]\n";
                for (key, value) in keys {
                    out += &format!("{key} = {value}\n");
                }
                if !q.options.is_empty() {
                    let options: Vec<String> = q.options.iter().map(|o| syntax.value(o)).collect();
                    out += &format!("options = [{}]\n", options.join(", "));
                }
            }
            Syntax::Yaml => {
                for (i, (key, value)) in keys.into_iter().enumerate() {
                    let lead = if i == 0 { "  - " } else { "    " };
                    out += &format!("{lead}{key}: {value}\n");
                }
                if !q.options.is_empty() {
                    out += "    options:\n";
                    for o in &q.options {
                        out += &format!("      - {}\n", syntax.value(o));
                    }
                }
            }
        }
    }
    out
}
