//! Dates without a calendar crate: civil dates to and from days since
//! 1970-01-01 (Howard Hinnant's algorithms), today's date and RFC 3339 times.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 of a proleptic Gregorian date.
///
/// ```
/// use sanctions::clock::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11017);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month, day)` of a day count since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`); days far outside any
/// real date are clamped, so the arithmetic cannot overflow.
///
/// ```
/// use sanctions::clock::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// assert_eq!(civil_from_days(11_016), (2000, 2, 29));
/// assert_eq!(civil_from_days(20_783), (2026, 11, 26));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.clamp(-(1 << 40), 1 << 40) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A date written `YYYY-MM-DD` (anything after the tenth character, such
/// as a time, is ignored), as days since 1970-01-01; `None` if it is not one.
///
/// ```
/// use sanctions::clock::parse_date;
/// assert_eq!(parse_date("1970-01-02"), Some(1));
/// assert_eq!(parse_date("2026-11-26T18:00:00Z"), parse_date("2026-11-26"));
/// assert_eq!(parse_date("2026-02-30"), None);
/// assert_eq!(parse_date("26/11/2026"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || !s.is_char_boundary(10) {
        return None;
    }
    let y: i64 = s[..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // A day past the month's end comes back as another date.
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// A day count as `YYYY-MM-DD`.
///
/// ```
/// assert_eq!(sanctions::clock::format_date(0), "1970-01-01");
/// ```
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today (UTC) as days since 1970-01-01; `SANCTIONS_TODAY=YYYY-MM-DD`
/// sets another day, to reproduce a past run or to test expiry and list age.
pub fn today() -> i64 {
    if let Some(d) = std::env::var("SANCTIONS_TODAY")
        .ok()
        .and_then(|s| parse_date(&s))
    {
        return d;
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    secs.div_euclid(86_400)
}

/// A time as RFC 3339 UTC to the second, e.g. `2026-11-26T18:00:00Z`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use sanctions::clock::rfc3339;
/// assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
/// let t = UNIX_EPOCH + Duration::from_secs(1_795_716_000);
/// assert_eq!(rfc3339(t), "2026-11-26T18:00:00Z");
/// assert_eq!(rfc3339(UNIX_EPOCH - Duration::from_millis(1)), "1969-12-31T23:59:59Z");
/// ```
pub fn rfc3339(t: SystemTime) -> String {
    let secs: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            // Round towards the past, like the positive side.
            -whole - i64::from(d.subsec_nanos() > 0)
        }
    };
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(days),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_round_trip_around_leap_years_and_the_epoch() {
        assert_eq!(civil_from_days(365), (1971, 1, 1));
        assert_eq!(civil_from_days(10_957), (2000, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(
            rfc3339(UNIX_EPOCH - Duration::from_millis(1)),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_399)),
            "2000-02-28T23:59:59Z"
        );
        // Far outside any real date: no panic.
        let _ = civil_from_days(i64::MAX);
        let _ = civil_from_days(i64::MIN);
    }

    #[test]
    fn dates_parse_and_format_back() {
        for d in [-800_000i64, -1, 0, 11_016, 20_783, 2_000_000] {
            assert_eq!(parse_date(&format_date(d)), Some(d));
        }
    }
}
