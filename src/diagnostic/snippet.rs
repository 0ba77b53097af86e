//! The line a diagnostic quotes, and which characters of it to underline. A
//! long line (minified front matter, a list of thousands on one line) is cut
//! to a window around the problem, so that each diagnostic stays a few lines
//! of a terminal however long the line is.

use serde::Serialize;

/// The quoted line of a diagnostic: its text and which characters to underline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Snippet {
    /// The line, or for a long one the window around the problem with `…`
    /// where it was cut.
    pub line_text: String,
    /// 1-based character column in `line_text` where the underline starts.
    pub start: usize,
    /// Number of characters to underline (at least 1).
    pub len: usize,
}

/// Lines up to this many characters are quoted whole.
const WHOLE: usize = 120;
/// A longer line is cut to this many characters around the problem ...
const WINDOW: usize = 100;
/// ... of which up to this many come before it.
const BEFORE: usize = 40;
const CUT: char = '…';

impl Snippet {
    /// `line` (without its line break) with the bytes `underline` of it
    /// underlined; both ends are char boundaries within the line.
    pub fn new(line: &str, underline: std::ops::Range<usize>) -> Snippet {
        let (start, end) = (underline.start, underline.end.max(underline.start));
        let short = line.len() <= WHOLE || line.chars().nth(WHOLE).is_none();
        if short {
            return Snippet {
                line_text: line.to_string(),
                start: line[..start].chars().count() + 1,
                len: line[start..end].chars().count().max(1),
            };
        }
        // Only the window's characters are walked, never the whole line.
        let back = |from: usize, n: usize| {
            line[..from]
                .char_indices()
                .rev()
                .nth(n.saturating_sub(1))
                .map_or(0, |(i, _)| i)
        };
        let mut from = back(start, BEFORE);
        let before = line[from..start].chars().count();
        let to = line[start..]
            .char_indices()
            .nth(WINDOW - before)
            .map_or(line.len(), |(i, _)| start + i);
        if to == line.len() {
            // Near the end: the window grows to the left instead.
            let after = line[start..].chars().count();
            from = back(start, WINDOW.saturating_sub(after));
        }
        let before = line[from..start].chars().count();
        let cut_left = from > 0;
        let mut line_text = String::with_capacity(to - from + 2 * CUT.len_utf8());
        if cut_left {
            line_text.push(CUT);
        }
        line_text.push_str(&line[from..to]);
        if to < line.len() {
            line_text.push(CUT);
        }
        Snippet {
            line_text,
            start: usize::from(cut_left) + before + 1,
            len: line[start..end.min(to)].chars().count().max(1),
        }
    }

    /// The line under the quoted one: blanks up to the underline (tabs kept,
    /// so the carets line up), then a caret per underlined character.
    pub fn underline(&self) -> String {
        let lead: String = self
            .line_text
            .chars()
            .take(self.start - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!("{lead}{}", "^".repeat(self.len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The underlined text, read back from the snippet.
    fn underlined(s: &Snippet) -> String {
        s.line_text.chars().skip(s.start - 1).take(s.len).collect()
    }

    #[test]
    fn short_lines_are_quoted_whole() {
        let line = "\tlocations = [\"berlin\", \"nowhere\"]";
        let at = line.find("\"nowhere\"").unwrap();
        let s = Snippet::new(line, at..at + 9);
        assert_eq!(s.line_text, line);
        assert_eq!(underlined(&s), "\"nowhere\"");
        assert_eq!(
            s.underline(),
            format!("\t{}{}", " ".repeat(23), "^".repeat(9))
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let items: Vec<String> = (0..2000).map(|i| format!("\"n{i}\"")).collect();
        let line = format!("locations = [{}]", items.join(", "));
        for (i, left, right) in [
            (0, false, true),
            (2, false, true),
            (1000, true, true),
            (1999, true, false),
        ] {
            let item = &items[i];
            let at = line
                .find(&format!("{item},"))
                .unwrap_or_else(|| line.rfind(item).unwrap());
            let s = Snippet::new(&line, at..at + item.len());
            assert_eq!(
                s.line_text.chars().count(),
                WINDOW + usize::from(left) + usize::from(right)
            );
            assert_eq!(underlined(&s), *item, "item {i}: {}", s.line_text);
            assert_eq!(
                s.line_text.starts_with(CUT),
                left,
                "item {i}: {}",
                s.line_text
            );
            assert_eq!(
                s.line_text.ends_with(CUT),
                right,
                "item {i}: {}",
                s.line_text
            );
        }
    }

    #[test]
    fn cut_lines_keep_the_caret_under_wide_and_tabbed_characters() {
        let line = format!("{}\tdate = «{}»", "é".repeat(300), "ü".repeat(300));
        let at = line.find('«').unwrap();
        let s = Snippet::new(&line, at..at + '«'.len_utf8());
        assert_eq!(underlined(&s), "«");
        let lead = s.underline();
        assert_eq!(lead.chars().filter(|&c| c == '\t').count(), 1);
        assert_eq!(lead.chars().count(), s.start);
        // A caret past the last character, as for a missing value.
        let s = Snippet::new(&line, line.len()..line.len());
        assert_eq!(s.start, s.line_text.chars().count() + 1);
        assert!(s.line_text.starts_with(CUT) && !s.line_text.ends_with(CUT));
    }

    #[test]
    fn an_underline_longer_than_the_window_stops_at_its_end() {
        let line = "x".repeat(1000);
        let s = Snippet::new(&line, 10..900);
        assert_eq!(s.start, 11);
        assert_eq!(s.len, WINDOW - 10);
    }
}
