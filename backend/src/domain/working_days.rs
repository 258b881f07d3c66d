//! Deadlines in working days (Monday to Friday). Public holidays are not
//! counted out yet: a deadline may fall on one.

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};

/// `start` plus `days` working days, at the same time of day. A start in a
/// weekend counts from the next Monday.
pub fn add_working_days(start: NaiveDateTime, days: u32) -> NaiveDateTime {
    let mut at = start;
    while is_weekend(at) {
        at += Duration::days(1);
    }
    let mut left = days;
    while left > 0 {
        at += Duration::days(1);
        if !is_weekend(at) {
            left -= 1;
        }
    }
    at
}

fn is_weekend(at: NaiveDateTime) -> bool {
    matches!(at.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    #[test]
    fn skips_weekends() {
        // 2026-11-25 is a Wednesday.
        assert_eq!(add_working_days(at(2026, 11, 25), 0), at(2026, 11, 25));
        assert_eq!(add_working_days(at(2026, 11, 25), 2), at(2026, 11, 27));
        assert_eq!(add_working_days(at(2026, 11, 25), 3), at(2026, 11, 30));
        assert_eq!(add_working_days(at(2026, 11, 27), 1), at(2026, 11, 30));
        assert_eq!(
            add_working_days(at(2026, 11, 28), 1),
            at(2026, 12, 1),
            "from a Saturday"
        );
        assert_eq!(add_working_days(at(2026, 11, 25), 10), at(2026, 12, 9));
    }
}
