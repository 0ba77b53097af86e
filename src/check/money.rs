//! Money amounts in text, as a translation or its original mentions them:
//! `€90,000`, `90.000 €`, `90 000 EUR`, `₹18,00,000`, `$120k`, and the other
//! end of a range whose one end has the currency (`60.000–80.000 €`,
//! `de 60 000 a 80 000 €`). A number counts only with a currency symbol or an
//! ISO 4217 code next to it, so years (`2027`) and measures (`200 ms`) never
//! do. Grouping separators of any locale are read (`,` `.` `'` and spaces,
//! no-break ones too); a last `.` or `,` before one or two digits is the
//! decimal point.
//!
//! Not a reader of prices in general: no "1.5 million", no numbers in words.

use std::ops::Range;

/// An amount of money found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// In hundredths of the unit, so that amounts compare exactly.
    pub cents: u64,
    /// Byte range of the number in the text (with its currency when it has one).
    pub span: Range<usize>,
}

/// ISO 4217 codes that are also English words written in capitals
/// ("TOP 10", "ALL 3 teams"): never read as a currency.
const WORD_CODES: &[&str] = &[
    "ALL", "BAM", "BOB", "CUP", "GEL", "MAD", "MOP", "PEN", "SOS", "TOP",
];

/// Words that join the two ends of a range, besides dashes.
const RANGE_WORDS: &[&str] = &["to", "bis", "a", "à", "até", "tot"];

/// The amount as a number of the currency, for messages: `90000`, `12.5`.
pub fn plain(cents: u64) -> String {
    match cents % 100 {
        0 => (cents / 100).to_string(),
        c if c % 10 == 0 => format!("{}.{}", cents / 100, c / 10),
        c => format!("{}.{c:02}", cents / 100),
    }
}

/// Every amount of money in `text`, in order.
pub fn amounts(text: &str) -> Vec<Amount> {
    let numbers = numbers(text);
    let mut priced: Vec<Option<Range<usize>>> = vec![None; numbers.len()];
    // A currency belongs to the number just before it (`90.000 €`), else to
    // the one just after it (`€90,000`): in `90.000 € 2027` the year stays one.
    for m in markers(text) {
        // Both are in order: a binary search keeps a file of digits linear.
        let before = numbers
            .partition_point(|n| n.span.end <= m.start)
            .checked_sub(1)
            .filter(|&i| gap_is_tight(&text[numbers[i].span.end..m.start]));
        let after = Some(numbers.partition_point(|n| n.span.start < m.end))
            .filter(|&i| i < numbers.len() && gap_is_tight(&text[m.end..numbers[i].span.start]));
        match (before, after) {
            (Some(i), _) => {
                priced[i].get_or_insert(numbers[i].span.start..m.end);
            }
            (None, Some(i)) => {
                priced[i].get_or_insert(m.start..numbers[i].span.end);
            }
            (None, None) => {}
        }
    }
    // The other end of a range takes the currency of the end that has it,
    // when it is of the same order (`€500 to 30 people` is no range).
    for i in 0..numbers.len() {
        if priced[i].is_some() {
            continue;
        }
        let range_with = |j: usize| {
            let (a, b) = (i.min(j), i.max(j));
            priced[j].is_some()
                && is_range_join(&text[numbers[a].span.end..numbers[b].span.start])
                && same_order(numbers[i].cents, numbers[j].cents)
        };
        if (i + 1 < numbers.len() && range_with(i + 1)) || (i > 0 && range_with(i - 1)) {
            priced[i] = Some(numbers[i].span.clone());
        }
    }
    numbers
        .into_iter()
        .zip(priced)
        .filter_map(|(n, span)| {
            Some(Amount {
                cents: n.cents?,
                span: span?,
            })
        })
        .collect()
}

/// Within a factor of ten of each other.
fn same_order(a: Option<u64>, b: Option<u64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.max(b) <= a.min(b).saturating_mul(10),
        _ => false,
    }
}

/// A number standing on its own in the text, and its value.
struct Number {
    span: Range<usize>,
    /// `None` when the groups do not make a number of any locale.
    cents: Option<u64>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_separator(c: char) -> bool {
    matches!(c, ',' | '.' | '\'' | '’') || is_space(c)
}

/// At most one space between a number and its currency.
fn gap_is_tight(gap: &str) -> bool {
    gap.is_empty() || (gap.chars().count() == 1 && gap.chars().all(is_space))
}

fn is_range_join(between: &str) -> bool {
    let word = between.trim_matches(is_space);
    matches!(word, "-" | "–" | "—") || (word.len() < between.len() && RANGE_WORDS.contains(&word))
}

fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '€' | '$'
            | '£'
            | '¥'
            | '₹'
            | '₩'
            | '₽'
            | '₺'
            | '₪'
            | '₫'
            | '₴'
            | '₦'
            | '₱'
            | '฿'
            | '₡'
            | '₲'
            | '₵'
            | '₸'
            | '₼'
            | '₾'
    )
}

/// Currency symbols and codes (whole words of three capitals), as byte
/// ranges, in order.
fn markers(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut word_start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            let word = &text[start..i];
            if word.len() == 3
                && word.bytes().all(|b| b.is_ascii_uppercase())
                && !WORD_CODES.contains(&word)
                && iso_currency::Currency::from_code(word).is_some()
            {
                out.push(start..i);
            }
        }
        if is_currency_symbol(c) {
            out.push(i..i + c.len_utf8());
        }
    }
    out
}

/// Every number in `text` that stands on its own (not part of a word such
/// as `v2` or `x90`), with the value its grouping gives it.
fn numbers(text: &str) -> Vec<Number> {
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find(|c: char| c.is_ascii_digit()) {
        let start = at + offset;
        let (groups, mut end) = groups(text, start);
        at = end;
        if text[..start].chars().next_back().is_some_and(word_char) {
            continue;
        }
        let mut thousand = false;
        if text[end..].starts_with(['k', 'K'])
            && !text[end + 1..].chars().next().is_some_and(word_char)
        {
            thousand = true;
            end += 1;
        }
        if text[end..].chars().next().is_some_and(word_char) {
            continue;
        }
        let cents = value(&groups).and_then(|v| {
            if thousand {
                v.checked_mul(1000)
            } else {
                Some(v)
            }
        });
        out.push(Number {
            span: start..end,
            cents,
        });
    }
    out
}

/// The digit groups of the number at `start` (each with the separator before
/// it) and where the number ends. A space joins groups only before exactly
/// three digits, after at most three: `2027 90 000` is two numbers.
fn groups(text: &str, start: usize) -> (Vec<(Option<char>, &str)>, usize) {
    let digits_at = |i: usize| {
        let len = text[i..].bytes().take_while(u8::is_ascii_digit).count();
        &text[i..i + len]
    };
    let first = digits_at(start);
    let mut groups = vec![(None, first)];
    let mut end = start + first.len();
    while let Some(sep) = text[end..].chars().next().filter(|c| is_separator(*c)) {
        let next = end + sep.len_utf8();
        let digits = digits_at(next);
        let last = groups.last().map_or(0, |(_, d)| d.len());
        if digits.is_empty() || (is_space(sep) && (digits.len() != 3 || last > 3)) {
            break;
        }
        groups.push((Some(sep), digits));
        end = next + digits.len();
    }
    (groups, end)
}

/// The value in cents of digit groups, when they make a number in the
/// grouping of some locale.
fn value(groups: &[(Option<char>, &str)]) -> Option<u64> {
    let mut integer = groups;
    let mut fraction = "";
    if let [rest @ .., (Some(sep @ ('.' | ',')), digits)] = groups
        && (1..=2).contains(&digits.len())
        && rest.last().is_none_or(|(before, _)| *before != Some(*sep))
    {
        integer = rest;
        fraction = digits;
    }
    let class = |c: char| if is_space(c) { ' ' } else { c };
    let seps: Vec<char> = integer.iter().filter_map(|(s, _)| s.map(class)).collect();
    let same = seps.windows(2).all(|w| w[0] == w[1]);
    let lens: Vec<usize> = integer.iter().map(|(_, d)| d.len()).collect();
    let western = matches!(lens.as_slice(), [first, rest @ ..] if (1..=3).contains(first) && rest.iter().all(|l| *l == 3));
    let indian = seps.first() == Some(&',')
        && matches!(lens.as_slice(), [first, middle @ .., 3] if (1..=2).contains(first) && !middle.is_empty() && middle.iter().all(|l| *l == 2));
    if lens.len() > 1 && !(same && (western || indian)) {
        return None;
    }
    let whole: String = integer.iter().map(|(_, d)| *d).collect();
    let whole: u64 = whole.parse().ok()?;
    let cents = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u64>().ok()? * 10,
        _ => fraction.parse::<u64>().ok()?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The amounts of `text`, in whole units, with what was matched.
    fn found(text: &str) -> Vec<(String, String)> {
        amounts(text)
            .into_iter()
            .map(|a| (plain(a.cents), text[a.span].to_string()))
            .collect()
    }

    fn pair(value: &str, written: &str) -> (String, String) {
        (value.to_string(), written.to_string())
    }

    #[test]
    fn separators_of_every_locale_are_read() {
        assert_eq!(found("up to €90,000 a year"), [pair("90000", "€90,000")]);
        assert_eq!(found("bis 90.000 € im Jahr"), [pair("90000", "90.000 €")]);
        assert_eq!(found("até 90 000 EUR"), [pair("90000", "90 000 EUR")]);
        assert_eq!(
            found("90\u{a0}000\u{a0}€"),
            [pair("90000", "90\u{a0}000\u{a0}€")]
        );
        assert_eq!(found("CHF 120'000"), [pair("120000", "CHF 120'000")]);
        assert_eq!(found("₹18,00,000"), [pair("1800000", "₹18,00,000")]);
        assert_eq!(found("$120k"), [pair("120000", "$120k")]);
        assert_eq!(found("90000 EUR"), [pair("90000", "90000 EUR")]);
    }

    #[test]
    fn a_last_separator_before_two_digits_is_the_decimal_point() {
        assert_eq!(found("€1,234.50"), [pair("1234.5", "€1,234.50")]);
        assert_eq!(found("1.234,56 €"), [pair("1234.56", "1.234,56 €")]);
        assert_eq!(found("12,50 €"), [pair("12.5", "12,50 €")]);
    }

    #[test]
    fn both_ends_of_a_range_count() {
        assert_eq!(
            found("60.000–80.000 €"),
            [pair("60000", "60.000"), pair("80000", "80.000 €")]
        );
        assert_eq!(
            found("de 60 000 a 80 000 €"),
            [pair("60000", "60 000"), pair("80000", "80 000 €")]
        );
        assert_eq!(
            found("€60,000 - 80,000"),
            [pair("60000", "€60,000"), pair("80000", "80,000")]
        );
    }

    #[test]
    fn numbers_without_a_currency_are_not_money() {
        assert_eq!(found("within 200 ms, from 2027 on, 90,000 meters"), []);
        assert_eq!(found("version 2.000, v90,000 €x, 5 TOP 10, ALL 3"), []);
        assert_eq!(found("forty utilities, 1–2 weeks"), []);
    }

    #[test]
    fn a_year_beside_an_amount_stays_a_year() {
        assert_eq!(
            found("In 2027 90 000 € a year"),
            [pair("90000", "90 000 €")]
        );
        assert_eq!(found("90.000 € 2027"), [pair("90000", "90.000 €")]);
    }

    #[test]
    fn a_full_stop_after_an_amount_ends_it() {
        assert_eq!(found("It pays €90,000. Then"), [pair("90000", "€90,000")]);
        assert_eq!(found("Es zahlt 90.000 €."), [pair("90000", "90.000 €")]);
    }

    #[test]
    fn odd_text_gives_no_amount_and_no_panic() {
        for text in [
            "€",
            "1",
            "1,",
            "1.€",
            "€€",
            "k€",
            "€ k",
            "99999999999999999999999 €",
            "1 000 000 000 000 000 000 000 €",
            "ü1€ü",
            "€1,5k",
            "1.000.00 €",
        ] {
            let _ = amounts(text);
        }
        assert_eq!(found("99999999999999999999999 €"), []);
        assert_eq!(found("1.000.00 €"), [], "not a grouping of any locale");
    }

    #[test]
    fn many_amounts_are_read_in_one_pass() {
        let text = "€1 2 ".repeat(50_000);
        assert_eq!(amounts(&text).len(), 50_000);
    }
}
