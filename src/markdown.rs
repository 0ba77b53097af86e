//! Markdown bodies to HTML with pulldown-cmark: CommonMark plus tables, footnotes,
//! strikethrough, task lists and stable heading ids. Also finds what the renderer
//! sees that a person should not publish (unfilled `{{placeholders}}`), the links
//! that `openings check` follows, and the plain text used for summaries and feeds.

mod footnotes;
mod ids;

use ids::unique_id;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Byte ranges (in the body) of `{{...}}` outside code.
    pub placeholders: Vec<Range<usize>>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Plain text of the whole body: blocks separated by blank lines, list items
    /// on their own lines; raw HTML left out.
    pub text: String,
    /// Destinations of Markdown links and images, with their byte ranges in the body.
    pub links: Vec<(String, Range<usize>)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a Markdown body.
pub fn render(body: &str) -> Rendered {
    let mut walk = Walk::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        walk.note_code(&event, &range);
        walk.note(&event, range);
        walk.events.push(task_checkbox(event));
    }
    let Walk {
        events,
        code_ranges,
        mut used_ids,
        first_paragraph,
        links,
        ..
    } = walk;
    let mut out = Rendered {
        first_paragraph: collapse_spaces(&first_paragraph),
        links,
        ..Rendered::default()
    };
    out.placeholders = find_placeholders(body)
        .into_iter()
        .filter(|p| !code_ranges.iter().any(|c| c.contains(&p.start)))
        .collect();
    out.text = plain_text(&events, body.len());
    out.html.reserve(body.len() * 3 / 2);
    let events = footnotes::arrange(events, &mut used_ids);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// What one pass over the parser's events gathers, besides the events.
#[derive(Default)]
struct Walk<'a> {
    events: Vec<Event<'a>>,
    /// Byte ranges of code spans and blocks, where placeholders are not looked for.
    code_ranges: Vec<Range<usize>>,
    code_block_start: Option<usize>,
    used_ids: HashSet<String>,
    /// The open heading: its index in `events` and its text so far.
    heading: Option<(usize, String)>,
    paragraph_depth: usize,
    first_paragraph: String,
    first_paragraph_done: bool,
    links: Vec<(String, Range<usize>)>,
}

impl Walk<'_> {
    /// Records where code is.
    fn note_code(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.code_block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                let start = self.code_block_start.take().unwrap_or(range.start);
                self.code_ranges.push(start..range.end);
            }
            Event::Code(_) => self.code_ranges.push(range.clone()),
            _ => {}
        }
    }

    /// Records links, heading text and ids, and the first paragraph's text.
    fn note(&mut self, event: &Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                self.links.push((dest_url.to_string(), range));
            }
            Event::Start(Tag::Heading { .. }) => {
                self.heading = Some((self.events.len(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Start(Tag::Paragraph) => self.paragraph_depth += 1,
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth -= 1;
                if !self.first_paragraph.is_empty() {
                    self.first_paragraph_done = true;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = self.heading.as_mut() {
                    text.push_str(t);
                }
                if self.in_first_paragraph() {
                    self.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.in_first_paragraph() => {
                self.first_paragraph.push(' ');
            }
            _ => {}
        }
    }

    fn in_first_paragraph(&self) -> bool {
        self.paragraph_depth > 0 && !self.first_paragraph_done
    }

    /// Gives the heading just closed its id: its own `{#id}`, else the slug of
    /// its text (`section` when that is empty), made unique.
    fn close_heading(&mut self) {
        if let Some((index, text)) = self.heading.take()
            && let Event::Start(Tag::Heading { id, .. }) = &mut self.events[index]
        {
            let wanted = id
                .as_ref()
                .map_or_else(|| slug::slugify(&text), |i| i.to_string());
            let unique = unique_id(
                if wanted.is_empty() {
                    "section".into()
                } else {
                    wanted
                },
                &mut self.used_ids,
            );
            *id = Some(CowStr::from(unique));
        }
    }
}

/// A task list's checkbox as HTML.
fn task_checkbox(event: Event<'_>) -> Event<'_> {
    match event {
        // A checkbox with no label fails accessibility checks; the item's own
        // text says what it is, so the read-only box is hidden from assistive tech.
        Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
            "<input type=\"checkbox\" disabled checked aria-hidden=\"true\"> "
        } else {
            "<input type=\"checkbox\" disabled aria-hidden=\"true\"> "
        })),
        other => other,
    }
}

/// The text a reader sees, without markup: for feeds that want plain text.
fn plain_text(events: &[Event<'_>], size_hint: usize) -> String {
    let mut text = String::with_capacity(size_hint);
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak | Event::End(TagEnd::TableHead | TagEnd::TableRow) => text.push('\n'),
            Event::Start(Tag::Item) => text.push_str("- "),
            Event::End(TagEnd::Item) => text.push('\n'),
            Event::End(TagEnd::TableCell) => text.push(' '),
            Event::FootnoteReference(name) => text.push_str(&format!("[{name}]")),
            Event::Start(Tag::FootnoteDefinition(name)) => text.push_str(&format!("[{name}] ")),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table,
            ) => text.push_str("\n\n"),
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(line);
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte ranges of `{{ ... }}` template placeholders in `text` (on one line).
pub fn find_placeholders(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let rest = &text[open + 2..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        match rest[..line_end].find("}}") {
            Some(close) if !rest[..close].trim().is_empty() && !rest[..close].contains("{{") => {
                let end = open + 2 + close + 2;
                found.push(open..end);
                from = end;
            }
            _ => from = open + 2,
        }
    }
    found
}

/// Cuts plain text to at most `max` characters at a word boundary, adding `…`.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_stable_unique_ids() {
        let r =
            render("## What you will do\n\ntext\n\n## What you will do\n\n### Custom {#mine}\n");
        for id in [
            "<h2 id=\"what-you-will-do\">",
            "<h2 id=\"what-you-will-do-1\">",
            "<h3 id=\"mine\">",
        ] {
            assert!(r.html.contains(id), "{id}: {}", r.html);
        }
    }

    #[test]
    fn extensions_are_on_and_raw_html_is_kept() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ - [x] done\n\n<aside>hi</aside>\n\nNote[^1]\n\n[^1]: A footnote.\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("<aside>hi</aside>"));
        assert!(r.html.contains("footnote"));
        let tasks = render("- [x] done\n- [ ] todo\n");
        assert!(
            tasks
                .html
                .contains("<input type=\"checkbox\" disabled checked aria-hidden=\"true\"> done"),
            "{}",
            tasks.html
        );
        assert!(
            tasks
                .html
                .contains("<input type=\"checkbox\" disabled aria-hidden=\"true\"> todo"),
            "{}",
            tasks.html
        );
    }

    #[test]
    fn placeholders_outside_code_are_found() {
        let body = "Join {{company}} in {{ city }}.\n\n`{{not_this}}`\n\n```\n{{nor_this}}\n```\n\n{{first_name}}\n";
        let r = render(body);
        let found: Vec<&str> = r.placeholders.iter().map(|p| &body[p.clone()]).collect();
        assert_eq!(found, ["{{company}}", "{{ city }}", "{{first_name}}"]);
    }

    #[test]
    fn links_and_plain_text_are_collected() {
        let body = "Intro with [a link](../benefits/#holidays).\n\n## Do\n\n- one\n- two ![logo](/logo.svg)\n\n<div>raw</div>\n";
        let r = render(body);
        let links: Vec<(&str, &str)> = r
            .links
            .iter()
            .map(|(dest, range)| (dest.as_str(), &body[range.clone()]))
            .collect();
        assert_eq!(
            links,
            [
                ("../benefits/#holidays", "[a link](../benefits/#holidays)"),
                ("/logo.svg", "![logo](/logo.svg)")
            ]
        );
        assert_eq!(r.text, "Intro with a link.\n\nDo\n\n- one\n- two logo");
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = render("# Title\n\nWe build *meters*\nfor co-ops.\n\nSecond.\n");
        assert_eq!(r.first_paragraph, "We build meters for co-ops.");
        assert_eq!(truncate("one two three four", 10), "one two…");
    }
}
