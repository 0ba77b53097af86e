//! Candidate text made safe for where recruiters read it: a terminal, where
//! control characters would recolour the screen, set its title or forge rows,
//! and a spreadsheet, where a cell starting with `=` is a formula. The stored
//! answers and the JSON exports stay exactly as sent; only these two views change.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a terminal could act on `c` instead of showing it: C0 controls,
/// DEL, C1 controls, the line and paragraph separators, and the bidi
/// embeddings, overrides and isolates that reorder what follows them.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal could act on written visibly
/// (`\n`, `\r`, `\t`, `\u{1b}`...), so one value prints as one line of inert text.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts_on_terminal(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The lines of a multi-line value for a terminal: split at line ends (`\n`,
/// or `\r\n`), each line escaped by [`terminal`], so a lone `\r` or any other
/// control character still shows as text.
pub fn terminal_lines(text: &str) -> Vec<Cow<'_, str>> {
    text.split('\n')
        .map(|line| terminal(line.strip_suffix('\r').unwrap_or(line)))
        .collect()
}

/// Characters that make a spreadsheet read a cell as a formula (or, for TAB
/// and CR, that spreadsheets strip before looking), after OWASP's CSV
/// injection guidance.
fn starts_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// A CSV cell a spreadsheet shows as text: a value starting with `=`, `+`,
/// `-`, `@`, TAB or CR (also after leading spaces, which some spreadsheets
/// skip) gets a leading `'`, as OWASP advises; the CSV writer quotes every cell.
pub fn spreadsheet(text: &str) -> Cow<'_, str> {
    let first = text.trim_start_matches([' ', '\u{A0}']).chars().next();
    match first {
        Some(c) if starts_formula(c) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(terminal("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(terminal("Zoë 李"), "Zoë 李");
        assert_eq!(
            terminal("\x1b]0;owned\x07\x1b[31mred"),
            "\\u{1b}]0;owned\\u{7}\\u{1b}[31mred"
        );
        assert_eq!(terminal("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(terminal("\u{7f}\u{9b}\0"), "\\u{7f}\\u{9b}\\u{0}");
        assert_eq!(
            terminal("\u{202E}fdp.exe\u{2066}\u{2069}\u{2028}"),
            "\\u{202e}fdp.exe\\u{2066}\\u{2069}\\u{2028}"
        );
        assert_eq!(
            terminal_lines("one\r\ntwo\n\x1b[2Jthree\rfour"),
            ["one", "two", "\\u{1b}[2Jthree\\rfour"]
        );
    }

    #[test]
    fn formula_cells_become_text() {
        for (sent, cell) in [
            (
                "=HYPERLINK(\"http://evil.example\")",
                "'=HYPERLINK(\"http://evil.example\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =1+1", "'  =1+1"),
            ("＝1+1", "'＝1+1"),
        ] {
            assert_eq!(spreadsheet(sent), cell, "{sent:?}");
        }
        for plain in ["Ada", "", "   ", "a=b", "ada@example.com", "'quoted"] {
            assert_eq!(spreadsheet(plain), plain, "{plain:?}");
        }
    }
}
