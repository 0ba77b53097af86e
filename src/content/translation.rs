//! Translations: `content/jobs/backend-engineer.de.md` is the German text of
//! `content/jobs/backend-engineer.md`. A translation carries the text keys
//! (title, summary, team, seniority, the questions' labels, help and options,
//! its own `updated` and `draft`) and the body; every other key is a fact of the original.
//! A translation may repeat a fact, but never change it: a salary or a closing
//! date cannot differ between languages. Reading a translation needs only its
//! own file ([`read`]); [`apply_to_posting`] and [`apply_to_page`] merge it
//! into its original, which is where the facts are compared.

use super::document::{Document, Origin};
use super::page::Page;
use super::posting::{self, Posting};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::node::{Node, Reader, Value, opt};
use jiff::civil::Date;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Keys a posting's translation has of its own; the rest are the original's facts.
const POSTING_TEXT: &[&str] = &[
    "title",
    "summary",
    "team",
    "seniority",
    "questions",
    "updated",
    "draft",
];
/// Keys a page's translation has of its own.
const PAGE_TEXT: &[&str] = &["title", "summary", "updated", "draft"];
/// Keys of a translated question: `id` says which, the rest is its text.
const QUESTION_TEXT: &[&str] = &["id", "label", "help", "options"];
const QUESTION_FACTS: &[&str] = &["kind", "required"];

/// A translation file, read on its own.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language tag, one of `[languages]`.
    pub language: String,
    /// The original's path, relative to the site root.
    pub original: PathBuf,
    pub title: String,
    pub summary: Option<String>,
    pub team: Option<String>,
    pub seniority: Option<String>,
    pub updated: Option<Date>,
    /// Not published yet (the language shows the original meanwhile), unless
    /// the build takes drafts.
    pub draft: bool,
    pub questions: Vec<QuestionText>,
    /// The facts the file repeats, to compare with the original's.
    facts: Vec<Fact>,
    pub content: Arc<str>,
    pub first_paragraph: String,
    pub text: Arc<str>,
    pub links: Vec<(String, Range<usize>)>,
    pub origin: Origin,
}

/// A question's text in the translation.
#[derive(Debug, Clone)]
pub struct QuestionText {
    pub id: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub options: Option<Vec<String>>,
    span: Range<usize>,
    facts: Vec<Fact>,
}

#[derive(Debug, Clone)]
struct Fact {
    key: String,
    value: serde_json::Value,
    span: Range<usize>,
}

/// What a content file's name says about its language: `x.de.md` is German
/// when the site has German; `Err` for a name in a language the site does not
/// declare (or its default language); `None` for an original.
pub fn language_of(rel: &Path, config: &Config) -> Option<Result<String, Diagnostic>> {
    let stem = rel.file_stem()?.to_str()?;
    let (_, suffix) = stem.rsplit_once('.')?;
    if config.is_further_language(suffix) {
        return Some(Ok(suffix.to_string()));
    }
    let base = suffix.split('-').next().unwrap_or_default();
    let looks_like_language = base.len() == 2
        && base.chars().all(|c| c.is_ascii_lowercase())
        && isolang::Language::from_639_1(base).is_some();
    if !looks_like_language {
        return None;
    }
    let declared: Vec<&str> = config.languages.iter().map(|l| l.tag.as_str()).collect();
    let d = if suffix == config.language {
        Diagnostic::in_file(
            "translation-language",
            rel,
            format!("`{suffix}` is the site's default language: its text is the original file"),
        )
        .with_hint(format!(
            "rename this file to {}",
            original_of(rel).display()
        ))
    } else {
        let hint = if declared.is_empty() {
            format!(
                "add [languages.{suffix}] to site.toml to publish it, or rename the file if `.{suffix}` is not a language"
            )
        } else {
            format!(
                "the site's further languages are {}; add [languages.{suffix}] to site.toml to publish it",
                declared.join(", ")
            )
        };
        Diagnostic::in_file(
            "unknown-language",
            rel,
            format!("this file is a translation into `{suffix}`, which site.toml does not declare"),
        )
        .with_hint(hint)
    };
    Some(Err(d))
}

/// `content/jobs/x.de.md` -> `content/jobs/x.md`.
pub fn original_of(rel: &Path) -> PathBuf {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let base = stem.rsplit_once('.').map_or(stem, |(base, _)| base);
    rel.with_file_name(format!("{base}.md"))
}

/// Reads a translation file in `language`. Problems are left in `r`.
pub fn read(
    r: &mut Reader<'_>,
    doc: &Document<'_>,
    language: &str,
    is_posting: bool,
) -> Option<Translation> {
    let keys = if is_posting {
        posting::KEYS
    } else {
        super::page::KEYS
    };
    let text_keys = if is_posting { POSTING_TEXT } else { PAGE_TEXT };
    let t = doc.front_matter_table(r, keys)?;
    let title = r
        .required(
            &t,
            "title",
            crate::node::Example::Text("Backend-Entwickler (m/w/d)"),
        )
        .and_then(|n| r.text(n, "title"));
    let summary = opt(r, &t, "summary", Reader::text);
    let team = opt(r, &t, "team", Reader::text);
    let seniority = opt(r, &t, "seniority", Reader::text);
    let updated = opt(r, &t, "updated", Reader::date);
    let draft = opt(r, &t, "draft", Reader::boolean);
    let questions = match t.get("questions").filter(|_| is_posting) {
        Some(n) => questions(r, n),
        None => Some(Vec::new()),
    };
    let facts = t
        .entries
        .iter()
        .filter(|(k, _)| !text_keys.contains(&k.name.as_str()))
        .map(|(k, v)| Fact {
            key: k.name.clone(),
            value: v.to_json(),
            span: k.span.start..v.span.end.max(k.span.end),
        })
        .collect();
    Some(Translation {
        language: language.to_string(),
        original: original_of(&doc.source.path),
        title: title?,
        summary: summary?,
        team: team?,
        seniority: seniority?,
        updated: updated?,
        draft: draft?.unwrap_or(false),
        questions: questions?,
        facts,
        content: doc.rendered.html.as_str().into(),
        first_paragraph: doc.rendered.first_paragraph.clone(),
        text: doc.rendered.text.as_str().into(),
        links: doc.rendered.links.clone(),
        origin: Origin::new(doc),
    })
}

fn questions(r: &mut Reader<'_>, node: &Node) -> Option<Vec<QuestionText>> {
    let Value::Array(items) = &node.value else {
        r.error(
            "wrong-type",
            node.span.clone(),
            "`questions` must be a list of tables",
        )
        .hint =
            Some("give each question its `id` from the original and its translated `label`".into());
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    let known: Vec<&str> = QUESTION_TEXT
        .iter()
        .chain(QUESTION_FACTS)
        .copied()
        .collect();
    for item in items {
        let Some(t) = r.table(item, "questions", &known, "") else {
            ok = false;
            continue;
        };
        let id = r
            .required(&t, "id", crate::node::Example::Text("rust_years"))
            .and_then(|n| r.text(n, "id"));
        let label = opt(r, &t, "label", Reader::text);
        let help = opt(r, &t, "help", Reader::text);
        let options = opt(r, &t, "options", |r, n, key| {
            r.string_list(n, key)
                .map(|o| o.into_iter().map(|(s, _)| s).collect())
        });
        let facts = t
            .entries
            .iter()
            .filter(|(k, _)| QUESTION_FACTS.contains(&k.name.as_str()))
            .map(|(k, v)| Fact {
                key: k.name.clone(),
                value: v.to_json(),
                span: k.span.start..v.span.end.max(k.span.end),
            })
            .collect();
        match (id, label, help, options) {
            (Some(id), Some(label), Some(help), Some(options)) => out.push(QuestionText {
                id,
                label,
                help,
                options,
                span: item.span.clone(),
                facts,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// Two values of a fact are the same (numbers by value: `90000` is `90000.0`).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

impl Translation {
    fn at(&self, code: &'static str, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::at(code, &self.origin.source, span, message)
    }

    /// Every fact the translation repeats with another value than the
    /// original's front matter (`front`, as JSON) gives it.
    fn changed_facts(&self, front: &serde_json::Value) -> Vec<Diagnostic> {
        let original = self.original.display();
        let mut out = Vec::new();
        let differs = |fact: &Fact, theirs: Option<&serde_json::Value>, name: &str| {
            if theirs.is_some_and(|v| same(v, &fact.value)) {
                return None;
            }
            let was = theirs.map_or("not set".to_string(), |v| format!("`{v}`"));
            Some(
                self.at(
                    "translation-fact",
                    fact.span.clone(),
                    format!("`{name}` differs from the original {original} ({was} there)"),
                )
                .with_note(format!("a translation takes every fact from {original}"))
                .with_hint(format!(
                    "remove `{}` from this file; to change it for every language, change it in {original}",
                    fact.key
                )),
            )
        };
        for fact in &self.facts {
            out.extend(differs(fact, front.get(&fact.key), &fact.key));
        }
        let questions = front.get("questions").and_then(|q| q.as_array());
        for q in &self.questions {
            let theirs = questions.and_then(|qs| {
                qs.iter()
                    .find(|o| o.get("id").and_then(|i| i.as_str()) == Some(q.id.as_str()))
            });
            let Some(theirs) = theirs else {
                out.push(
                    self.at(
                        "translation-question",
                        q.span.clone(),
                        format!("the original {original} has no question `{}`", q.id),
                    )
                    .with_hint("a translation translates the original's questions: use their ids, or add the question to the original first"),
                );
                continue;
            };
            for fact in &q.facts {
                out.extend(differs(
                    fact,
                    theirs.get(&fact.key),
                    &format!("{}.{}", q.id, fact.key),
                ));
            }
            let count = theirs
                .get("options")
                .and_then(|o| o.as_array())
                .map_or(0, Vec::len);
            if let Some(options) = &q.options
                && options.len() != count
            {
                out.push(
                    self.at(
                        "translation-question",
                        q.span.clone(),
                        format!(
                            "question `{}` has {} options here and {count} in the original {original}",
                            q.id,
                            options.len()
                        ),
                    )
                    .with_hint("translate each option of the original, in its order"),
                );
            }
        }
        out
    }

    /// The original posting in this translation's language, or every fact the
    /// translation changes.
    pub fn apply_to_posting(
        &self,
        original: &Posting,
        front: &serde_json::Value,
    ) -> Result<Posting, Vec<Diagnostic>> {
        let problems = self.changed_facts(front);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut p = original.clone();
        p.language = Some(self.language.clone());
        p.title = self.title.clone();
        p.summary = self.summary.clone().or(p.summary);
        p.team = self.team.clone().or(p.team);
        p.seniority = self.seniority.clone().or(p.seniority);
        p.updated = self.updated.or(p.updated);
        for q in &mut p.questions {
            let Some(t) = self.questions.iter().find(|t| t.id == q.id) else {
                continue;
            };
            q.label = t.label.clone().unwrap_or_else(|| q.label.clone());
            q.help = t.help.clone().or(q.help.take());
            if let Some(options) = &t.options {
                q.option_labels = options.clone();
            }
        }
        p.content = self.content.clone();
        p.first_paragraph = self.first_paragraph.clone();
        p.text = self.text.clone();
        p.links = self.links.clone();
        p.origin = self.origin.clone();
        Ok(p)
    }

    /// The original page in this translation's language, or every fact the
    /// translation changes.
    pub fn apply_to_page(
        &self,
        original: &Page,
        front: &serde_json::Value,
    ) -> Result<Page, Vec<Diagnostic>> {
        let problems = self.changed_facts(front);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut p = original.clone();
        p.language = Some(self.language.clone());
        p.title = self.title.clone();
        p.summary = self.summary.clone().or(p.summary);
        p.updated = self.updated.or(p.updated);
        p.content = self.content.to_string();
        p.first_paragraph = self.first_paragraph.clone();
        p.links = self.links.clone();
        p.origin = self.origin.clone();
        Ok(p)
    }

    /// A translation without an original file.
    pub fn orphan(&self) -> Diagnostic {
        self.at(
            "translation-orphan",
            0..0,
            format!(
                "this translation has no original: {} does not exist",
                self.original.display()
            ),
        )
        .with_hint("a translation is named after its original (backend-engineer.de.md beside backend-engineer.md): rename it, or write the original first")
    }
}
