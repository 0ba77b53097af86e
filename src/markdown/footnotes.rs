//! Footnotes as readers know them: a small superscript number in the text that
//! links to a numbered list at the end of the body, each note with a link back
//! to where it was referenced. pulldown-cmark's own HTML puts each definition
//! where it was written, with its number floating above the text and no way back.
//!
//! The markup carries no words (the body is rendered before the theme's strings
//! are known); DPUB-ARIA roles tell assistive technology what the links are.

use super::ids::unique_id;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// One footnote: its id (of its list item), how often it is referenced and its
/// definition's events. Its number is its place in the list.
struct Note<'a> {
    id: String,
    references: usize,
    body: Option<Vec<Event<'a>>>,
}

/// The footnotes of a body, numbered in the order they are first referenced.
#[derive(Default)]
struct Notes<'a> {
    list: Vec<Note<'a>>,
    by_name: HashMap<CowStr<'a>, usize>,
}

impl<'a> Notes<'a> {
    /// The index of the note called `name`, numbering it if it is new.
    fn of(&mut self, name: &CowStr<'a>, used: &mut HashSet<String>) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        let id = unique_id(format!("fn-{}", slug_of(name)), used);
        self.list.push(Note {
            id,
            references: 0,
            body: None,
        });
        self.by_name.insert(name.clone(), self.list.len() - 1);
        self.list.len() - 1
    }
}

/// Moves footnote definitions out of `events` into a numbered list at the end and
/// turns references into links to them. Ids are made unique against `used`.
pub fn arrange<'a>(events: Vec<Event<'a>>, used: &mut HashSet<String>) -> Vec<Event<'a>> {
    // Most bodies have none: then the events stay as they are, not copied.
    let footnote = |e: &Event<'_>| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    };
    if !events.iter().any(footnote) {
        return events;
    }
    let mut notes = Notes::default();
    let (mut out, defined) = take_definitions(events, &mut notes, used);
    if defined.is_empty() {
        return out;
    }
    // A note never referenced keeps its text, after the others.
    for (name, body) in defined {
        let i = notes.of(&name, used);
        notes.list[i].body.get_or_insert(body);
    }
    push_list(&mut out, notes.list);
    out
}

/// A footnote definition as written: its name and its events.
type Definition<'a> = (CowStr<'a>, Vec<Event<'a>>);

/// Splits `events` into the text (references turned into links, numbered in
/// `notes`) and the definitions, in the order they are written.
fn take_definitions<'a>(
    events: Vec<Event<'a>>,
    notes: &mut Notes<'a>,
    used: &mut HashSet<String>,
) -> (Vec<Event<'a>>, Vec<Definition<'a>>) {
    let mut out = Vec::with_capacity(events.len());
    // Definitions as they are read (they do not nest), by name.
    let mut defined: Vec<Definition<'a>> = Vec::new();
    let mut inside = false;
    for event in events {
        let event = match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                defined.push((name, Vec::new()));
                inside = true;
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                inside = false;
                continue;
            }
            Event::FootnoteReference(name) => {
                let i = notes.of(&name, used);
                let note = &mut notes.list[i];
                note.references += 1;
                reference_link(note, i + 1)
            }
            other => other,
        };
        match defined.last_mut() {
            Some((_, body)) if inside => body.push(event),
            _ => out.push(event),
        }
    }
    (out, defined)
}

/// The superscript link of the latest reference to `note`, numbered `number`.
fn reference_link<'a>(note: &Note<'_>, number: usize) -> Event<'a> {
    Event::InlineHtml(
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}\" role=\"doc-noteref\">{}</a></sup>",
            note.id,
            reference_id(&note.id, note.references),
            number
        )
        .into(),
    )
}

/// Appends the numbered list of the notes that have a definition.
fn push_list<'a>(out: &mut Vec<Event<'a>>, notes: Vec<Note<'a>>) {
    out.push(Event::Html(
        "<div class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n".into(),
    ));
    for note in notes {
        // A reference to a note that is defined nowhere stays a bare number.
        let Some(mut body) = note.body else { continue };
        let back = back_links(&note.id, note.references);
        out.push(Event::Html(format!("<li id=\"{}\">\n", note.id).into()));
        // The way back goes at the end of the note's last paragraph.
        if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
            let end = body.pop().expect("checked");
            body.push(Event::InlineHtml(back.into()));
            body.push(end);
        } else if !back.is_empty() {
            body.push(Event::Html(back.into()));
        }
        out.extend(body);
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</div>\n".into()));
}

/// The links from the note `id` back to each of its `references`.
fn back_links(id: &str, references: usize) -> String {
    (1..=references)
        .map(|k| {
            let mark = if k == 1 {
                String::new()
            } else {
                format!("<sup>{k}</sup>")
            };
            format!(
                " <a href=\"#{}\" class=\"footnote-back\" role=\"doc-backlink\">↩\u{fe0e}{mark}</a>",
                reference_id(id, k)
            )
        })
        .collect()
}

/// The id of the `k`th reference to the note `id`: `fnref-x`, `fnref-x-2`, ...
fn reference_id(note_id: &str, k: usize) -> String {
    let name = note_id.strip_prefix("fn-").unwrap_or(note_id);
    if k == 1 {
        format!("fnref-{name}")
    } else {
        format!("fnref-{name}-{k}")
    }
}

fn slug_of(name: &str) -> String {
    let slug = slug::slugify(name);
    if slug.is_empty() { "note".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::super::render;

    #[test]
    fn footnotes_become_a_numbered_list_with_links_back() {
        let r = render(
            "Remote[^where] and paid.[^pay] Again.[^where]\n\n\
             [^pay]: In euros.\n\n[^where]: Six countries.\n\n[^unused]: Kept.\n",
        );
        let html = &r.html;
        assert!(
            html.contains(
                "Remote<sup class=\"footnote-ref\"><a href=\"#fn-where\" id=\"fnref-where\" role=\"doc-noteref\">1</a></sup>"
            ),
            "{html}"
        );
        assert!(
            html.contains("id=\"fnref-where-2\" role=\"doc-noteref\">1</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-pay\" id=\"fnref-pay\" role=\"doc-noteref\">2</a>"),
            "{html}"
        );
        let list = &html[html
            .find("<div class=\"footnotes\"")
            .expect("a footnote list")..];
        let (where_at, pay_at, unused_at) = (
            list.find("<li id=\"fn-where\">").expect("note 1"),
            list.find("<li id=\"fn-pay\">").expect("note 2"),
            list.find("<li id=\"fn-unused\">")
                .expect("the unreferenced note"),
        );
        assert!(where_at < pay_at && pay_at < unused_at, "{list}");
        assert!(
            list.contains(
                "<p>Six countries. <a href=\"#fnref-where\" class=\"footnote-back\" role=\"doc-backlink\">↩\u{fe0e}</a> \
                 <a href=\"#fnref-where-2\" class=\"footnote-back\" role=\"doc-backlink\">↩\u{fe0e}<sup>2</sup></a></p>"
            ),
            "{list}"
        );
        assert!(list.contains("<p>Kept.</p>"), "{list}");
        assert!(!html.contains("footnote-definition"), "{html}");
        assert!(html.trim_end().ends_with("</ol>\n</div>"), "{html}");
    }

    #[test]
    fn footnote_ids_do_not_clash_with_headings() {
        let r = render("## fn-a\n\nText.[^a]\n\n[^a]: Note.\n");
        assert!(r.html.contains("<h2 id=\"fn-a\">"), "{}", r.html);
        assert!(r.html.contains("<li id=\"fn-a-1\">"), "{}", r.html);
        assert!(r.html.contains("href=\"#fn-a-1\""), "{}", r.html);
    }
}
