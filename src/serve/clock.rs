//! The day a running server holds its site for. A site is a function of its
//! files and of the date in the site's time zone, so the server looks at the
//! clock as it runs and rebuilds when a day ends: a posting closes the moment
//! its `valid_through` day is over and a scheduled one opens on its
//! `publish_from` day, without a restart. The clock is read, never slept on, so
//! a machine that suspends or has its time set still turns the day at once.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::time::{Duration, Instant};

/// How often the clock is read.
const EVERY: Duration = Duration::from_millis(500);

pub struct Clock {
    /// `--today`: the day stays this one.
    fixed: Option<Date>,
    read: Option<Instant>,
}

impl Clock {
    pub fn new(fixed: Option<Date>) -> Clock {
        Clock { fixed, read: None }
    }

    /// Today in `zone` (or the fixed day).
    pub fn today(&self, zone: &TimeZone) -> Date {
        self.fixed
            .unwrap_or_else(|| jiff::Timestamp::now().to_zoned(zone.clone()).date())
    }

    /// Today in `zone`, when it is time to look again and the day is not fixed.
    pub fn tick(&mut self, zone: &TimeZone) -> Option<Date> {
        if self.fixed.is_some() || self.read.is_some_and(|at| at.elapsed() < EVERY) {
            return None;
        }
        self.read = Some(Instant::now());
        Some(self.today(zone))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_day_never_moves_and_a_moving_one_is_read_at_intervals() {
        let utc = TimeZone::UTC;
        let fixed = "2026-11-23".parse().unwrap();
        let mut clock = Clock::new(Some(fixed));
        assert_eq!(clock.today(&utc), fixed);
        assert_eq!(clock.tick(&utc), None);
        let mut moving = Clock::new(None);
        assert_eq!(
            moving.tick(&utc),
            Some(jiff::Timestamp::now().to_zoned(utc.clone()).date())
        );
        assert_eq!(moving.tick(&utc), None, "read again only after {EVERY:?}");
    }
}
