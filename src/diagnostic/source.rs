//! A file as read from disk, kept so that diagnostics can quote it, with a line
//! index: turning a byte offset into a line and column (and back) is a binary
//! search over line starts, not a scan from the start of the file, so a file
//! with thousands of problems on its lines is still reported in linear time.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A source file as read from disk, kept so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// The file's text; not to be changed once a position has been looked up.
    pub text: String,
    /// Byte offset where each line starts, built on the first lookup: most
    /// files are never asked for a position.
    lines: OnceLock<Vec<usize>>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
            lines: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 1-based line that holds byte `offset` (the last line past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset)
    }

    /// Bytes of a 1-based line, without its `\n` (a `\r` before it is kept);
    /// an empty range at the end of the text for a line past the last.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.max(1) - 1) else {
            return self.text.len()..self.text.len();
        };
        let end = starts
            .get(line.max(1))
            .map_or(self.text.len(), |next| next - 1);
        start..end
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_range(line).start;
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// Byte offset of a 1-based line and a 1-based character column (the end of
    /// the line for a column past it, the end of the text for a line past it).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        if line > self.line_starts().len() {
            return self.text.len();
        }
        let range = self.line_range(line);
        // The rest of the text, as before: a column past the line's end runs on.
        let rest = &self.text[range.start..];
        let within = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        range.start + within
    }
}

/// The largest char boundary of `text` at or before byte `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let source = Source::new("x.md", "ab\nçd = 1\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(5), (2, 2));
        assert_eq!(source.offset_of(2, 2), 5);
    }

    #[test]
    fn positions_past_the_end_stay_in_the_text() {
        let source = Source::new("x.md", "a\nbc\n");
        assert_eq!(source.line_col(5), (3, 1));
        assert_eq!(source.line_col(99), (3, 1));
        assert_eq!(source.offset_of(9, 1), 5);
        assert_eq!(source.offset_of(0, 1), 0);
        assert_eq!(source.line_range(2), 2..4);
        assert_eq!(source.line_range(3), 5..5);
        assert_eq!(source.line_range(4), 5..5);
        // Inside a multi-byte character: the character's start.
        let source = Source::new("x.md", "é");
        assert_eq!(source.line_col(1), (1, 1));
    }

    #[test]
    fn lookups_agree_with_a_scan_of_the_text() {
        let text = "+++\r\ntitle = \"Ünïcode\"\n\n\tx = [1, 2]\nlast";
        let source = Source::new("x.md", text);
        for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = text[start..offset].chars().count() + 1;
            assert_eq!(source.line_col(offset), (line, column), "at {offset}");
            assert_eq!(source.offset_of(line, column), offset, "at {offset}");
        }
    }
}
