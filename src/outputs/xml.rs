//! XML for the feeds and the sitemap: a small layer over quick-xml's writer
//! (indented, escaped) and the removal of characters XML cannot carry.

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, BytesText, Event};
use std::io::{self, Write};

/// Removes characters XML 1.0 cannot carry (most C0 controls), which Markdown
/// and TOML strings may contain.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if maybe_unsafe(text.as_bytes()) && text.contains(bad) {
        text.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

/// Whether `bytes` may hold a character XML cannot carry: a control byte
/// other than tab, newline and return, or 0xEF, which starts U+FFFE and
/// U+FFFF (and other characters, looked at only then). The feeds pass every
/// role's whole text through here: blocks of bytes are tested without an
/// early exit, which the compiler turns into vector instructions.
fn maybe_unsafe(bytes: &[u8]) -> bool {
    let suspect = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') | (b == 0xEF);
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | suspect(b)))
}

/// `<name attr="...">` with its attribute values escaped.
fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> quick_xml::events::BytesStart<'a> {
    let mut start = quick_xml::events::BytesStart::new(name);
    for (k, v) in attributes {
        start.push_attribute((*k, xml_safe(v).as_ref()));
    }
    start
}

/// A small layer over quick-xml's writer: indented output, escaped text,
/// written as it is made (a feed of every role's text is too large to hold).
/// The first write error is kept, and everything after it skipped, so that a
/// feed is written without an error check at every element; [`Xml::finish`]
/// returns it.
pub struct Xml<W: Write> {
    writer: Writer<W>,
    failed: Option<io::Error>,
}

impl<W: Write> Xml<W> {
    /// A document with an XML declaration.
    pub fn new(out: W) -> Xml<W> {
        let mut xml = Xml {
            writer: Writer::new_with_indent(out, b' ', 2),
            failed: None,
        };
        xml.event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        xml
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
        if self.failed.is_none()
            && let Err(e) = self.writer.write_event(event)
        {
            self.failed = Some(e);
        }
    }

    /// Ends the document with a newline; the first error writing it, if any.
    pub fn finish(self) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.writer.into_inner().write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        let mut bytes = Vec::new();
        let mut xml = Xml::new(&mut bytes);
        xml.open("a", &[("href", "x?a=1&b=\"2\"")]);
        xml.text("t", &[], "</t> & \u{1}ok");
        xml.cdata("c", "x ]]> y");
        xml.close("a");
        xml.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
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
        // Fullwidth forms share the first byte of U+FFFE and stay.
        assert!(matches!(
            xml_safe("ＡＢＣ！"),
            std::borrow::Cow::Borrowed(_)
        ));
        // Past the first block of bytes too.
        let long = format!("{}\u{7}{}\u{ffff}", "x".repeat(100), "y".repeat(70));
        assert_eq!(
            xml_safe(&long),
            format!("{}{}", "x".repeat(100), "y".repeat(70))
        );
    }
}
