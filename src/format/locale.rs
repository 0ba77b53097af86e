//! What a language's conventions decide, from CLDR's data through ICU4X: which
//! plural form a count takes, how a date is written, and how an amount of
//! money is grouped and where its currency goes (`€72,000` in English,
//! `72.000 €` in German, `₹18,00,000` in Indian English). Nothing here is a
//! table of our own.

use fixed_decimal::Decimal;
use icu_calendar::{Date as IcuDate, Iso};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules, PluralRulesPreferences};
use jiff::civil::Date;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// The conventions of one language (a BCP 47 tag such as `de` or `en-IN`).
pub struct Conventions {
    locale: Locale,
    plurals: PluralRules,
    dates: Option<DateTimeFormatter<YMD>>,
    numbers: Option<DecimalFormatter>,
    /// Per currency code, what [`Conventions::money`] puts before and after
    /// the number, found once: making a currency formatter loads its data,
    /// and every salary of a build is written several times.
    money_parts: Mutex<HashMap<String, Option<(String, String)>>>,
}

impl Conventions {
    /// ICU4X falls back from a region to its base language (`fr-CA` to `fr`);
    /// a tag that does not parse gets English's conventions.
    pub fn new(language: &str) -> Conventions {
        let locale = Locale::try_from_str(language)
            .unwrap_or_else(|_| Locale::try_from_str("en").expect("`en` is a locale"));
        let plurals = PluralRules::try_new_cardinal(PluralRulesPreferences::from(&locale))
            .or_else(|_| PluralRules::try_new_cardinal(PluralRulesPreferences::default()))
            .expect("ICU4X ships root plural rules");
        let dates = DateTimeFormatter::try_new((&locale).into(), YMD::long()).ok();
        let numbers = DecimalFormatter::try_new((&locale).into(), Default::default()).ok();
        Conventions {
            locale,
            plurals,
            dates,
            numbers,
            money_parts: Mutex::default(),
        }
    }

    /// The CLDR plural category of `n`: `"one"`, `"few"`... or `"other"`.
    pub fn category(&self, n: u64) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// A calendar date written out, month by name: `December 2, 2026`,
    /// `2. Dezember 2026`, `2 grudnia 2026`.
    pub fn date(&self, date: Date) -> Option<String> {
        let day =
            IcuDate::<Iso>::try_new_iso(date.year() as i32, date.month() as u8, date.day() as u8)
                .ok()?;
        Some(self.dates.as_ref()?.format(&day).to_string())
    }

    /// An amount of money: `amount` is decimal text with the digits to show
    /// (`72000`, `32.50`), `currency` an ISO 4217 code.
    ///
    /// ICU4X's currency formatter always shows the currency's minor digits
    /// (`€72,000.00`), which salary ranges leave out when they are whole. So
    /// the number is the decimal formatter's, with exactly these digits, and
    /// the currency formatter gives what goes around it: its text for a
    /// one-digit amount, cut at the first and last digit.
    pub fn money(&self, amount: &str, currency: &str) -> Option<String> {
        let value: Decimal = amount.parse().ok()?;
        let number = self.numbers.as_ref()?.format(&value).to_string();
        let mut known = self.money_parts.lock().unwrap_or_else(|e| e.into_inner());
        let parts = known
            .entry(currency.to_string())
            .or_insert_with(|| self.currency_parts(currency));
        let (before, after) = parts.as_ref()?;
        Some(format!("{before}{number}{after}"))
    }

    /// What the currency formatter writes around a one-digit amount.
    fn currency_parts(&self, currency: &str) -> Option<(String, String)> {
        let code = CurrencyType::try_from_str(&currency.to_ascii_lowercase()).ok()?;
        let formatter =
            CurrencyFormatter::try_new_symbol((&self.locale).into(), code, Default::default())
                .ok()?;
        let probe = formatter
            .format_fixed_decimal(&Decimal::from(7))
            .to_string();
        let first = probe.find(char::is_numeric)?;
        let (last, digit) = probe.char_indices().rfind(|(_, c)| c.is_numeric())?;
        let after = last + digit.len_utf8();
        Some((probe[..first].to_string(), probe[after..].to_string()))
    }

    /// The key of `key`'s form for `n` in `strings`: `key_<category>` (CLDR's
    /// category of `n` in this language) when the strings have it, else `key`.
    pub fn key_for(&self, strings: &Map<String, Value>, key: &str, n: u64) -> String {
        match self.category(n) {
            "other" => key.to_string(),
            category => {
                let form = format!("{key}_{category}");
                if strings.contains_key(&form) {
                    form
                } else {
                    key.to_string()
                }
            }
        }
    }
}

/// Whether `language` is written right to left (Arabic, Hebrew, Persian...),
/// from CLDR's likely script for it.
pub fn is_right_to_left(language: &str) -> bool {
    static DIRECTIONS: std::sync::OnceLock<icu_locale::LocaleDirectionality> =
        std::sync::OnceLock::new();
    let Ok(locale) = Locale::try_from_str(language) else {
        return false;
    };
    DIRECTIONS
        .get_or_init(icu_locale::LocaleDirectionality::new_common)
        .is_right_to_left(&locale.id)
}
