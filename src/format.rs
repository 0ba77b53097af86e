//! Display text that depends on the theme's strings: labels of keywords, dates and
//! salary ranges formatted for their currency.

use crate::config::Location;
use crate::content::posting::Salary;
use jiff::civil::Date;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

mod locale;
pub use locale::{Conventions, is_right_to_left};

/// The theme's strings (`i18n/LANG.toml`) with English fallbacks for built-in
/// labels, and the plural rules of the site's language that pick among their forms.
pub struct Strings<'a> {
    map: &'a Map<String, Value>,
    conventions: &'a Conventions,
}

/// The CLDR plural categories besides "other", as the suffixes of string keys.
pub const PLURAL_SUFFIXES: [&str; 5] = ["zero", "one", "two", "few", "many"];

impl<'a> Strings<'a> {
    pub fn new(map: &'a Map<String, Value>, conventions: &'a Conventions) -> Strings<'a> {
        Strings { map, conventions }
    }

    /// The strings themselves, as templates get them (`t`).
    pub fn map(&self) -> &Map<String, Value> {
        self.map
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).and_then(Value::as_str)
    }

    /// `key` in its form for `n` (see [`Conventions::key_for`]), if the
    /// strings have it.
    pub fn form(&self, key: &str, n: u64) -> Option<&str> {
        self.get(&self.conventions.key_for(self.map, key, n))
    }

    /// Every form of `key` the strings have, by CLDR category (`other` is
    /// `key` itself).
    pub fn forms(&self, key: &str) -> BTreeMap<&'static str, &str> {
        std::iter::once(("other", key.to_string()))
            .chain(PLURAL_SUFFIXES.map(|suffix| (suffix, format!("{key}_{suffix}"))))
            .filter_map(|(category, k)| Some((category, self.get(&k)?)))
            .collect()
    }

    /// `key` in its form for `n` with `{n}` filled in, or `english` filled in
    /// when the strings lack `key`.
    pub fn counted(&self, key: &str, n: u64, english: &str) -> String {
        self.form(key, n)
            .unwrap_or(english)
            .replace("{n}", &n.to_string())
    }

    /// Label of a keyword value, e.g. `("workplace", "onsite")` -> `On-site`, from the
    /// string `workplace_onsite`, else the value itself with its first letter capitalised.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}_{}", value.replace('-', "_"));
        if let Some(s) = self.get(&key) {
            return s.to_string();
        }
        let spaced = value.replace('-', " ");
        let mut chars = spaced.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
    }

    /// A date as the site's language writes it, month by name (CLDR's long
    /// date: `December 2, 2026`, `2 December 2026` for `en-GB`, `2. Dezember
    /// 2026`); ISO `2026-12-02` should ICU4X have no pattern for the language.
    pub fn date(&self, date: Date) -> String {
        self.conventions
            .date(date)
            .unwrap_or_else(|| date.to_string())
    }

    /// How long ago a role was posted, `days` before the build's day: "Posted
    /// today", "yesterday", then days up to a week, weeks up to 30 days, then
    /// months. A date after that day counts as today.
    pub fn posted_ago(&self, days: i32) -> String {
        let (key, n, english) = match days {
            ..=0 => ("posted_today", 0, "Posted today"),
            1 => ("posted_yesterday", 1, "Posted yesterday"),
            2..=6 => ("posted_days_ago", days, "Posted {n} days ago"),
            7..=13 => ("posted_weeks_ago", 1, "Posted {n} week ago"),
            14..=29 => ("posted_weeks_ago", days / 7, "Posted {n} weeks ago"),
            30..=59 => ("posted_months_ago", 1, "Posted {n} month ago"),
            _ => ("posted_months_ago", days / 30, "Posted {n} months ago"),
        };
        match key {
            "posted_today" | "posted_yesterday" => self.get(key).unwrap_or(english).to_string(),
            _ => self.counted(key, n as u64, english),
        }
    }
}

/// A location's postal address on one line, in the order its country writes it:
/// `Köpenicker Straße 154, 10997 Berlin`, `460 Richmond St W, Toronto ON M5V 1Y1`.
/// `None` when there is neither a street nor a postal code.
pub fn address(l: &Location) -> Option<String> {
    if l.street.is_none() && l.postal_code.is_none() {
        return None;
    }
    let join = |parts: &[Option<&str>]| {
        parts
            .iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (city, region, postal) = (
        l.city.as_deref(),
        l.region.as_deref(),
        l.postal_code.as_deref(),
    );
    // North America, the UK and Australia put the postal code last.
    let locality = match l.country.as_str() {
        "US" | "CA" | "AU" => join(&[city, region, postal]),
        "GB" | "IE" => [city, postal]
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        _ => join(&[postal, city]),
    };
    let parts: Vec<&str> = [l.street.as_deref(), Some(locality.as_str())]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    Some(parts.join(", "))
}

/// `€72,000 – €95,000 per year`, `CA$32.50 – CA$41.00 per hour`, in German
/// `72.000 € – 95.000 €`: amounts as the site's language writes its currency
/// (CLDR, through ICU4X), whole amounts without decimals, others with the
/// currency's minor digits.
pub fn salary(strings: &Strings, salary: &Salary) -> String {
    let decimals = if salary.min.fract() != 0.0 || salary.max.fract() != 0.0 {
        iso_currency::Currency::from_code(&salary.currency)
            .and_then(|c| c.exponent())
            .unwrap_or(2) as usize
    } else {
        0
    };
    let amount = |v: f64| {
        let digits = format!("{v:.decimals$}");
        strings
            .conventions
            .money(&digits, &salary.currency)
            .unwrap_or_else(|| format!("{} {digits}", salary.currency))
    };
    let mut out = if salary.min == salary.max {
        amount(salary.min)
    } else {
        format!("{} – {}", amount(salary.min), amount(salary.max))
    };
    if let Some(per) = salary.per {
        use crate::node::Keyword;
        let unit = per.as_str();
        out.push(' ');
        match strings.get(&format!("per_{unit}")) {
            Some(text) => out.push_str(text),
            None => out.push_str(&format!("per {unit}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::posting::Per;

    fn s(min: f64, max: f64, currency: &str, per: Option<Per>) -> String {
        in_language("en", min, max, currency, per)
    }

    fn in_language(language: &str, min: f64, max: f64, currency: &str, per: Option<Per>) -> String {
        let map = Map::new();
        salary(
            &Strings::new(&map, &Conventions::new(language)),
            &Salary {
                min,
                max,
                currency: currency.into(),
                per,
            },
        )
    }

    #[test]
    fn salaries_are_formatted_for_their_currency() {
        assert_eq!(
            s(72000.0, 95000.0, "EUR", Some(Per::Year)),
            "€72,000 – €95,000 per year"
        );
        assert_eq!(
            s(32.5, 41.0, "CAD", Some(Per::Hour)),
            "CA$32.50 – CA$41.00 per hour"
        );
        assert_eq!(
            s(2450.0, 2450.0, "EUR", Some(Per::Month)),
            "€2,450 per month"
        );
        assert_eq!(s(100000.0, 120000.0, "USD", None), "$100,000 – $120,000");
        assert_eq!(
            s(500000.0, 600000.0, "CHF", None),
            "CHF\u{a0}500,000 – CHF\u{a0}600,000"
        );
    }

    /// One language's conventions remember each currency's symbol and place:
    /// the second time round, every currency is written as the first.
    #[test]
    fn a_currency_found_once_is_written_the_same_after_others() {
        let map = Map::new();
        let german = Conventions::new("de");
        let strings = Strings::new(&map, &german);
        let written = |currency: &str| {
            let s = Salary {
                min: 52000.0,
                max: 52000.0,
                currency: currency.into(),
                per: None,
            };
            salary(&strings, &s)
        };
        let first: Vec<String> = ["EUR", "USD", "CHF", "XYZ"].map(written).into();
        let again: Vec<String> = ["XYZ", "CHF", "USD", "EUR"].map(written).into();
        assert_eq!(first, again.into_iter().rev().collect::<Vec<_>>());
        assert_eq!(first[0], "52.000\u{a0}€");
        assert_eq!(first[1], "52.000\u{a0}$");
        assert_eq!(first[3], "52.000\u{a0}XYZ");
    }

    /// Grouping, separators and the currency's place are the language's.
    #[test]
    fn salaries_are_written_as_the_language_writes_money() {
        let nbsp = '\u{a0}';
        let cases = [
            ("de", 90000.0, "EUR", format!("90.000{nbsp}€")),
            ("de", 32.5, "EUR", format!("32,50{nbsp}€")),
            ("en-IN", 1800000.0, "INR", "₹18,00,000".to_string()),
            ("fr", 72000.0, "EUR", "72\u{202f}000\u{a0}€".to_string()),
            ("en-GB", 52000.0, "GBP", "£52,000".to_string()),
            ("ja", 6000000.0, "JPY", "￥6,000,000".to_string()),
        ];
        for (language, amount, currency, expected) in cases {
            assert_eq!(
                in_language(language, amount, amount, currency, None),
                expected,
                "{language} {currency}"
            );
        }
    }

    #[test]
    fn addresses_follow_their_country() {
        let mut l = Location {
            key: "berlin".into(),
            name: "Berlin, Germany".into(),
            city: Some("Berlin".into()),
            region: Some("BE".into()),
            country: "DE".into(),
            street: Some("Köpenicker Straße 154".into()),
            postal_code: Some("10997".into()),
        };
        assert_eq!(
            address(&l).as_deref(),
            Some("Köpenicker Straße 154, 10997 Berlin")
        );
        l.country = "CA".into();
        l.region = Some("ON".into());
        l.city = Some("Toronto".into());
        l.postal_code = Some("M5V 1Y1".into());
        l.street = Some("460 Richmond Street West".into());
        assert_eq!(
            address(&l).as_deref(),
            Some("460 Richmond Street West, Toronto ON M5V 1Y1")
        );
        l.street = None;
        l.postal_code = None;
        assert_eq!(address(&l), None);
    }

    #[test]
    fn posting_ages_read_naturally() {
        let map = Map::new();
        let en = Conventions::new("en");
        let strings = Strings::new(&map, &en);
        let said: Vec<String> = [-2, 0, 1, 2, 6, 7, 13, 14, 20, 21, 29, 30, 59, 60, 400]
            .into_iter()
            .map(|days| strings.posted_ago(days))
            .collect();
        assert_eq!(
            said,
            [
                "Posted today",
                "Posted today",
                "Posted yesterday",
                "Posted 2 days ago",
                "Posted 6 days ago",
                "Posted 1 week ago",
                "Posted 1 week ago",
                "Posted 2 weeks ago",
                "Posted 2 weeks ago",
                "Posted 3 weeks ago",
                "Posted 4 weeks ago",
                "Posted 1 month ago",
                "Posted 1 month ago",
                "Posted 2 months ago",
                "Posted 13 months ago",
            ]
        );
        let mut german = Map::new();
        german.insert("posted_days_ago".into(), "Vor {n} Tagen".into());
        assert_eq!(
            Strings::new(&german, &Conventions::new("de")).posted_ago(3),
            "Vor 3 Tagen"
        );
    }

    #[test]
    fn counted_strings_take_the_languages_plural_form() {
        let mut polish = Map::new();
        for (key, text) in [
            ("n_roles_one", "{n} oferta"),
            ("n_roles_few", "{n} oferty"),
            ("n_roles_many", "{n} ofert"),
            ("n_roles", "{n} oferty (ułamek)"),
        ] {
            polish.insert(key.into(), text.into());
        }
        let polish_rules = Conventions::new("pl");
        let pl = Strings::new(&polish, &polish_rules);
        let said: Vec<String> = [1, 2, 4, 5, 12, 22, 25, 0]
            .into_iter()
            .map(|n| pl.counted("n_roles", n, "{n} roles"))
            .collect();
        assert_eq!(
            said,
            [
                "1 oferta",
                "2 oferty",
                "4 oferty",
                "5 ofert",
                "12 ofert",
                "22 oferty",
                "25 ofert",
                "0 ofert"
            ]
        );
        // French counts 0 as singular; English does not.
        let mut french = Map::new();
        french.insert("n_roles_one".into(), "{n} poste".into());
        french.insert("n_roles".into(), "{n} postes".into());
        let french_rules = Conventions::new("fr");
        let fr = Strings::new(&french, &french_rules);
        assert_eq!(fr.counted("n_roles", 0, ""), "0 poste");
        assert_eq!(
            Strings::new(&french, &Conventions::new("en")).counted("n_roles", 0, ""),
            "0 postes"
        );
        // A region uses its language's rules; a tag that is none, English's.
        assert_eq!(
            Strings::new(&french, &Conventions::new("fr-CA")).counted("n_roles", 1, ""),
            "1 poste"
        );
        assert_eq!(
            Strings::new(&french, &Conventions::new("not a tag")).counted("n_roles", 1, ""),
            "1 poste"
        );
    }

    #[test]
    fn labels_and_dates_fall_back_to_english() {
        let map = Map::new();
        let en = Conventions::new("en");
        let strings = Strings::new(&map, &en);
        assert_eq!(strings.label("employment", "full-time"), "Full time");
        assert_eq!(
            strings.date(Date::new(2026, 11, 2).unwrap()),
            "November 2, 2026"
        );
    }

    #[test]
    fn dates_are_written_as_the_language_writes_them() {
        let map = Map::new();
        let day = Date::new(2026, 12, 2).unwrap();
        let said: Vec<String> = ["en-GB", "de", "fr", "pl", "pt", "nl"]
            .into_iter()
            .map(|language| Strings::new(&map, &Conventions::new(language)).date(day))
            .collect();
        assert_eq!(
            said,
            [
                "2 December 2026",
                "2. Dezember 2026",
                "2 décembre 2026",
                "2 grudnia 2026",
                "2 de dezembro de 2026",
                "2 december 2026"
            ]
        );
    }
}
