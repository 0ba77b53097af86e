//! What an uploaded résumé is, judged by its structure, never by its name or by
//! a marker somewhere in its first bytes: the magic number at offset 0 (`infer`),
//! then the shape the format requires. A PDF starts with its header and ends
//! with its `%%EOF` trailer; a DOCX is a zip whose content types declare a Word
//! document main part that exists; an ODT is a zip whose `mimetype` says it is
//! an OpenDocument text and that has its content part; a DOC is an OLE2
//! compound file with a `WordDocument` stream (`cfb`). Anything else (HTML, SVG,
//! executables, other office files) is refused. Reads the file from disk, a
//! bounded amount of it: the upload is never held in memory.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Where a PDF's `%%EOF` may be: readers look in the last kilobyte.
const PDF_TAIL: u64 = 1024;
/// Most bytes read from one zip entry while judging (a zip bomb stops here).
const ENTRY_LIMIT: u64 = 1 << 20;
const DOCX_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const ODT: &str = "application/vnd.oasis.opendocument.text";

/// `pdf`, `doc`, `docx` or `odt` for a document of that kind at `path`, whose
/// first bytes are `head`; `None` for anything else.
pub fn document_kind(path: &Path, head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") && infer::archive::is_pdf(head) {
        return pdf_ends_with_trailer(path).then_some("pdf");
    }
    if head.starts_with(b"PK\x03\x04") && infer::archive::is_zip(head) {
        return zip_kind(path);
    }
    if head.starts_with(OLE2) {
        let word = cfb::open(path).is_ok_and(|file| file.is_stream("/WordDocument"));
        return word.then_some("doc");
    }
    None
}

fn pdf_ends_with_trailer(path: &Path) -> bool {
    let read_tail = || -> std::io::Result<Vec<u8>> {
        let mut file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(PDF_TAIL)))?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail)?;
        Ok(tail)
    };
    read_tail().is_ok_and(|tail| tail.windows(5).any(|w| w == b"%%EOF"))
}

fn zip_kind(path: &Path) -> Option<&'static str> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(file).ok()?;
    let mut text_of = |name: &str| -> Option<String> {
        let entry = archive.by_name(name).ok()?;
        let mut text = String::new();
        entry.take(ENTRY_LIMIT).read_to_string(&mut text).ok()?;
        Some(text)
    };
    if let Some(types) = text_of("[Content_Types].xml") {
        let declares_main = types.contains(DOCX_MAIN) && types.contains("/word/document.xml");
        return (declares_main && archive.index_for_name("word/document.xml").is_some())
            .then_some("docx");
    }
    let mimetype = text_of("mimetype")?;
    (mimetype.trim() == ODT && archive.index_for_name("content.xml").is_some()).then_some("odt")
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::io::Write;

    pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

    pub fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in entries {
            w.start_file(*name, stored).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    pub fn docx() -> Vec<u8> {
        let types = format!(
            "<Types><Override PartName=\"/word/document.xml\" ContentType=\"{DOCX_MAIN}\"/></Types>"
        );
        zip_with(&[
            ("[Content_Types].xml", types.as_bytes()),
            ("word/document.xml", b"<w:document/>"),
        ])
    }

    /// A Word 97 compound file with a `WordDocument` stream.
    pub fn doc() -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        file.create_stream("/WordDocument")
            .unwrap()
            .write_all(b"\xec\xa5 word")
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn kind(bytes: &[u8]) -> Option<&'static str> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upload");
        std::fs::write(&path, bytes).unwrap();
        document_kind(&path, &bytes[..bytes.len().min(crate::apply::spool::HEAD)])
    }

    #[test]
    fn the_four_document_kinds_are_known_by_their_structure() {
        assert_eq!(kind(PDF), Some("pdf"));
        assert_eq!(kind(&docx()), Some("docx"));
        let odt = zip_with(&[("mimetype", ODT.as_bytes()), ("content.xml", b"<x/>")]);
        assert_eq!(kind(&odt), Some("odt"));
        assert_eq!(kind(&doc()), Some("doc"));
    }

    #[test]
    fn look_alikes_are_refused() {
        // A marker somewhere near the start is not a PDF, nor is a header without trailer.
        assert_eq!(kind(b"<html><script>x()</script>%PDF-1.4 %%EOF"), None);
        assert_eq!(
            kind(b"<svg onload=\"x()\" xmlns=\"http://www.w3.org/2000/svg\">%PDF-</svg>"),
            None
        );
        assert_eq!(kind(b"MZ\x90\x00 %PDF-1.4 an executable %%EOF"), None);
        assert_eq!(kind(b"%PDF-1.4 cut short"), None);
        let ods = zip_with(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(kind(&ods), None);
        assert_eq!(kind(&zip_with(&[("a.txt", b"x")])), None);
        // Word parts without the content type that declares them, and the other way round.
        let no_types = zip_with(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(kind(&no_types), None);
        let types = format!(
            "<Types><Override PartName=\"/word/document.xml\" ContentType=\"{DOCX_MAIN}\"/></Types>"
        );
        assert_eq!(
            kind(&zip_with(&[("[Content_Types].xml", types.as_bytes())])),
            None
        );
        let mut fake_doc = OLE2.to_vec();
        fake_doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(kind(&fake_doc), None);
        assert_eq!(kind(b"GIF89a"), None);
    }
}
