//! The machine-readable files a build writes beside its pages: the Atom feed
//! (`feed.xml`), `jobs.json`, the Indeed-style `jobs.xml`, `sitemap.xml` and
//! `robots.txt`, and the JobPosting JSON-LD that role pages carry. Each is a pure
//! function of the site model and its URLs; `build` decides when they are made.
//! Not for HTML pages (see `render`).
//!
//! What every feed lists is the same: open, published roles, newest first.
//! Closed postings and drafts are never in any of them.

pub mod atom;
pub mod jobs_json;
pub mod jobs_xml;
pub mod jsonld;
pub mod sitemap;

use crate::content::Posting;
use crate::render::format::Strings;
use crate::site::{Job, Site};
use crate::urls::Urls;
use jiff::civil::Date;
use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesText, Event};

/// A machine-readable file of the site: where it goes and how it is made. They are
/// the largest files of a big site (every role's full text, three times), so a
/// build makes each when it writes it instead of holding them all at once.
pub struct Generated {
    pub path: &'static str,
    make: fn(&Site, &Urls, &Strings) -> Vec<u8>,
}

impl Generated {
    pub fn make(&self, site: &Site, urls: &Urls, strings: &Strings) -> Vec<u8> {
        (self.make)(site, urls, strings)
    }
}

fn sitemap_file(site: &Site, urls: &Urls, _: &Strings) -> Vec<u8> {
    sitemap::sitemap(site, urls)
}

fn robots_file(_: &Site, urls: &Urls, _: &Strings) -> Vec<u8> {
    sitemap::robots(urls)
}

/// Every machine-readable file of the site, largest first (so that parallel work
/// on them ends together).
pub const GENERATED: [Generated; 5] = [
    Generated {
        path: jobs_json::PATH,
        make: jobs_json::feed,
    },
    Generated {
        path: jobs_xml::PATH,
        make: jobs_xml::feed,
    },
    Generated {
        path: atom::PATH,
        make: atom::feed,
    },
    Generated {
        path: sitemap::PATH,
        make: sitemap_file,
    },
    Generated {
        path: sitemap::ROBOTS_PATH,
        make: robots_file,
    },
];

/// The roles every feed lists: open and not drafts, newest first (then by title).
pub fn listed(site: &Site) -> Vec<&Job> {
    let mut jobs: Vec<&Job> = open_published(site).collect();
    jobs.sort_by_cached_key(|j| {
        (
            std::cmp::Reverse(j.posting.posted()),
            j.posting.title.to_lowercase(),
        )
    });
    jobs
}

/// The open, published roles, in the site's order.
fn open_published(site: &Site) -> impl Iterator<Item = &Job> {
    site.jobs.iter().filter(|j| !j.closed && !j.posting.draft)
}

/// The day a posting last changed in a way readers care about: `updated`, else `date`.
pub fn last_change(p: &Posting) -> Date {
    p.updated.map_or(p.posted(), |u| u.max(p.posted()))
}

/// The one-sentence summary of a role: `summary`, else the start of its body.
pub fn summary(p: &Posting) -> String {
    p.summary
        .clone()
        .unwrap_or_else(|| crate::markdown::truncate(&p.first_paragraph, 160))
}

/// When the list of open roles last changed: the latest change of a listed role,
/// or the day after the latest closing (when a role left the list). `None` for a
/// site that has never had a published role.
pub fn site_updated(site: &Site) -> Option<Date> {
    let changes = open_published(site).map(|j| last_change(&j.posting));
    let closings = site
        .jobs
        .iter()
        .filter(|j| j.closed && !j.posting.draft)
        .filter_map(|j| j.posting.valid_through?.tomorrow().ok());
    changes.chain(closings).max()
}

/// A day as an RFC 3339 timestamp at midnight UTC (feeds want a time).
pub fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Whole amounts as JSON integers (`72000`, not `72000.0`).
pub fn number(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        serde_json::json!(v as i64)
    } else {
        serde_json::json!(v)
    }
}

/// Removes characters XML 1.0 cannot carry (most C0 controls), which Markdown
/// and TOML strings may contain.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    // Bytes first: the feeds pass every role's whole text through here.
    let control = text
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'));
    if control || text.contains(['\u{fffe}', '\u{ffff}']) {
        text.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

/// `<name attr="...">` with its attribute values escaped.
fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> quick_xml::events::BytesStart<'a> {
    let mut start = quick_xml::events::BytesStart::new(name);
    for (k, v) in attributes {
        start.push_attribute((*k, xml_safe(v).as_ref()));
    }
    start
}

/// A small layer over quick-xml's writer: indented output, escaped text.
pub struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A document with an XML declaration.
    pub fn new() -> Xml {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .expect("writing to memory cannot fail");
        Xml { writer }
    }

    /// Opens an element with attributes.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Start(start_tag(name, attributes)));
    }

    pub fn close(&mut self, name: &str) {
        self.event(Event::End(quick_xml::events::BytesEnd::new(name)));
    }

    /// `<name attr="...">text</name>`, the text escaped.
    pub fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        let text = xml_safe(text);
        self.open(name, attributes);
        self.event(Event::Text(BytesText::new(&text)));
        self.close(name);
    }

    /// `<name><![CDATA[text]]></name>`, as job boards ask for (split where the
    /// text itself contains `]]>`).
    pub fn cdata(&mut self, name: &str, text: &str) {
        let text = xml_safe(text);
        self.open(name, &[]);
        for part in BytesCData::escaped(&text) {
            self.event(Event::CData(part));
        }
        self.close(name);
    }

    /// `<name attr="..."/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.event(Event::Empty(start_tag(name, attributes)));
    }

    fn event(&mut self, event: Event<'_>) {
        self.writer
            .write_event(event)
            .expect("writing to memory cannot fail");
    }

    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_amounts_are_integers() {
        assert_eq!(number(72000.0).to_string(), "72000");
        assert_eq!(number(32.5).to_string(), "32.5");
    }

    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        let mut xml = Xml::new();
        xml.open("a", &[("href", "x?a=1&b=\"2\"")]);
        xml.text("t", &[], "</t> & \u{1}ok");
        xml.cdata("c", "x ]]> y");
        xml.close("a");
        let text = String::from_utf8(xml.finish()).unwrap();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert!(
            text.contains("href=\"x?a=1&amp;b=&quot;2&quot;\""),
            "{text}"
        );
        assert!(text.contains("<t>&lt;/t&gt; &amp; ok</t>"), "{text}");
        assert!(text.contains("<![CDATA[x ]]]]><![CDATA[> y]]>"), "{text}");
    }

    #[test]
    fn xml_safe_keeps_tabs_newlines_and_text_and_drops_what_xml_cannot_carry() {
        let kept = "a\tb\r\nc é 漢 \u{fffd}";
        assert!(matches!(xml_safe(kept), std::borrow::Cow::Borrowed(_)));
        assert_eq!(xml_safe("a\u{0}b\u{1f}c\u{b}d\u{fffe}e\u{ffff}f"), "abcdef");
    }
}
