//! The one way a duration is written, in `site.toml` and on the command line:
//! a number and a unit, `h` (hours), `d` (days) or `w` (weeks), as in `12h`,
//! `14d` or `2w` (jiff's friendly format, so `2 weeks` or `1w 3d` work too).
//! Where a setting counts days (`[check] max_age`, `--expiring-within`), a
//! plain number is days. Years and months are refused: they have no fixed
//! length.

use jiff::{Span, SpanRelativeTo, Unit};

/// Whether a number without a unit is accepted, as days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    Days,
    Refused,
}

/// A duration in whole hours.
pub fn hours(text: &str, plain: Plain) -> Result<i64, String> {
    let text = text.trim();
    let bad = || match plain {
        Plain::Days => format!(
            "`{text}` is not a number of days: write e.g. 14, or a number and h, d or w (36h, 14d, 2w)"
        ),
        Plain::Refused => {
            format!("`{text}` is not a duration: write a number and h, d or w, e.g. 12h, 14d or 2w")
        }
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match plain {
            Plain::Days => text
                .parse::<i64>()
                .ok()
                .and_then(|d| d.checked_mul(24))
                .ok_or_else(bad),
            Plain::Refused => Err(bad()),
        };
    }
    let span: Span = text.parse().map_err(|_| bad())?;
    if span.is_negative() || span.get_years() != 0 || span.get_months() != 0 {
        return Err(bad());
    }
    let total = span
        .total((Unit::Hour, SpanRelativeTo::days_are_24_hours()))
        .map_err(|_| bad())?;
    if total.fract() != 0.0 || total > i64::MAX as f64 {
        return Err(bad());
    }
    Ok(total as i64)
}

/// A duration as whole days, rounded up (`36h` is 2 days).
pub fn days(text: &str) -> Result<u32, String> {
    let hours = hours(text, Plain::Days)?;
    u32::try_from((hours + 23) / 24).map_err(|_| format!("`{text}` is too long"))
}

/// A duration in milliseconds (for ages of applications).
pub fn millis(text: &str) -> Result<i64, String> {
    hours(text, Plain::Refused)?
        .checked_mul(3_600_000)
        .ok_or_else(|| format!("`{text}` is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_grammar_for_every_duration() {
        assert_eq!(hours("12h", Plain::Refused), Ok(12));
        assert_eq!(hours("14d", Plain::Refused), Ok(14 * 24));
        assert_eq!(hours("2w", Plain::Refused), Ok(14 * 24));
        assert_eq!(hours("2 weeks", Plain::Refused), Ok(14 * 24));
        assert_eq!(hours("1w 3d", Plain::Refused), Ok(10 * 24));
        assert_eq!(hours("30", Plain::Days), Ok(30 * 24));
        assert!(hours("30", Plain::Refused).is_err());
        for bad in ["", "d", "x1d", "-1d", "2y", "3mo", "1.5h", "two weeks"] {
            assert!(hours(bad, Plain::Days).is_err(), "{bad}");
        }
        assert_eq!(days("36h"), Ok(2));
        assert_eq!(millis("1h"), Ok(3_600_000));
    }
}
