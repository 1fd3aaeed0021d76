//! Dates of birth as lists publish them: a full date, a month, a year, a
//! range of years or an approximate year, each kept with its published text.
//!
//! Lists write these many ways (`01 Jan 1960`, `1960-01-01`, `00/00/1960`,
//! `circa 1958`, `1960 to 1962`, `between 1960 and 1962`); [`BirthDate::parse`]
//! reads them all and gives `None` for text it cannot read.

use serde::Serialize;

/// Earliest year read as a year of birth.
const MIN_YEAR: u16 = 1800;
/// Latest year read as a year of birth.
const MAX_YEAR: u16 = 2100;
/// Months in a year.
const MONTHS: u8 = 12;
/// Days in the longest month.
const MAX_DAY: u8 = 31;
/// Words that mark an approximate year.
const CIRCA: [&str; 6] = [
    "circa",
    "approximately",
    "approx.",
    "approx",
    "about",
    "ca.",
];
/// Words between the two ends of a range.
const RANGE_SEPARATORS: [&str; 3] = [" to ", " and ", " - "];
/// English month names; three-letter abbreviations are their prefixes.
const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What a date of birth says, from most to least precise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "precision", rename_all = "snake_case")]
pub enum BirthDateValue {
    /// A full date.
    Date {
        /// Year.
        year: u16,
        /// Month, 1 to 12.
        month: u8,
        /// Day, 1 to 31.
        day: u8,
    },
    /// A month of a year.
    YearMonth {
        /// Year.
        year: u16,
        /// Month, 1 to 12.
        month: u8,
    },
    /// A year.
    Year {
        /// Year.
        year: u16,
    },
    /// Some year from `from` to `to`, both included.
    YearRange {
        /// First year.
        from: u16,
        /// Last year.
        to: u16,
    },
    /// About this year ("circa", "approximately").
    Circa {
        /// Year.
        year: u16,
    },
}

/// One published date of birth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BirthDate {
    /// The text as published (trimmed), or as composed from a format's
    /// structured fields (e.g. `circa 1958` from UN `APPROXIMATELY`/`1958`).
    pub raw: String,
    /// What it says.
    pub value: BirthDateValue,
}

impl BirthDate {
    /// Read a published date of birth; `None` when the text is no date.
    ///
    /// ```
    /// use sanctions::model::{BirthDate, BirthDateValue};
    /// let d = BirthDate::parse("01 Jan 1960").unwrap();
    /// assert_eq!(d.value, BirthDateValue::Date { year: 1960, month: 1, day: 1 });
    /// let r = BirthDate::parse("between 1960 and 1962").unwrap();
    /// assert_eq!(r.value, BirthDateValue::YearRange { from: 1960, to: 1962 });
    /// assert_eq!(BirthDate::parse("unknown"), None);
    /// ```
    pub fn parse(text: &str) -> Option<BirthDate> {
        let raw = text.trim();
        let value = parse_value(raw)?;
        Some(BirthDate {
            raw: raw.to_string(),
            value,
        })
    }

    /// Read a date of birth given in screening input: as [`BirthDate::parse`]
    /// (`dd/mm/yyyy` first), and also a US `mm/dd/yyyy` date whose day
    /// cannot be a month (`01/31/1960`). Lists are read with `parse` only.
    /// The error says what the value is not and how to write one.
    ///
    /// ```
    /// use sanctions::model::{BirthDate, BirthDateValue};
    /// let d = BirthDate::parse_input("01/31/1960").unwrap();
    /// assert_eq!(d.value, BirthDateValue::Date { year: 1960, month: 1, day: 31 });
    /// assert_eq!(d.raw, "01/31/1960");
    /// assert_eq!(BirthDate::parse_input("02/03/1960").unwrap().value,
    ///            BirthDateValue::Date { year: 1960, month: 3, day: 2 });
    /// assert!(BirthDate::parse_input("31/31/1960").unwrap_err().starts_with("\"31/31/1960\" is not a date of birth"));
    /// ```
    pub fn parse_input(text: &str) -> Result<BirthDate, String> {
        BirthDate::parse(text)
            .or_else(|| {
                let raw = text.trim();
                let parts: Vec<&str> = raw.split('/').collect();
                let [m, d, y] = parts[..] else { return None };
                Some(BirthDate {
                    raw: raw.to_string(),
                    value: parse_value(&format!("{d}/{m}/{y}"))?,
                })
            })
            .ok_or_else(|| {
                format!(
                    "{text:?} is not a date of birth (write 1960-01-31, 31/01/1960, 31 Jan 1960, 1960 or circa 1960)"
                )
            })
    }

    /// Every date of a `;`-separated list (CSL `1960-01-01; 1961`,
    /// OpenSanctions), skipping parts that are no date.
    pub fn parse_list(text: &str) -> Vec<BirthDate> {
        text.split(';').filter_map(BirthDate::parse).collect()
    }
}

/// The value of trimmed text, if it is a date.
fn parse_value(text: &str) -> Option<BirthDateValue> {
    let text = text.trim().trim_end_matches('.').trim();
    let lower = text.to_ascii_lowercase();
    if let Some(rest) = CIRCA.iter().find_map(|w| strip_word(&lower, w)) {
        return Some(BirthDateValue::Circa {
            year: year_of(parse_simple(rest)?),
        });
    }
    let ranged = lower.strip_prefix("between ").unwrap_or(&lower);
    // `1960-1962` (Canada), told from ISO `1960-01` by its second year.
    if let Some((a, b)) = ranged.split_once('-')
        && let (Some(from), Some(to)) = (year(a), year(b))
    {
        return (from <= to).then_some(BirthDateValue::YearRange { from, to });
    }
    for sep in RANGE_SEPARATORS {
        if let Some((a, b)) = ranged.split_once(sep) {
            let (from, to) = (year_of(parse_simple(a)?), year_of(parse_simple(b)?));
            return (from <= to).then_some(BirthDateValue::YearRange { from, to });
        }
    }
    parse_simple(ranged)
}

/// `text` without a leading `word` and the space after it.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(word)?;
    rest.starts_with(' ').then(|| rest.trim_start())
}

/// The year a date falls in (the first year of a range).
fn year_of(v: BirthDateValue) -> u16 {
    match v {
        BirthDateValue::Date { year, .. }
        | BirthDateValue::YearMonth { year, .. }
        | BirthDateValue::Year { year }
        | BirthDateValue::Circa { year } => year,
        BirthDateValue::YearRange { from, .. } => from,
    }
}

/// A single date: ISO (`1960`, `1960-01`, `1960-01-01`, with any time cut),
/// `dd/mm/yyyy` (with `00` for an unknown day or month), or English
/// (`01 Jan 1960`, `Jan 1960`, `January 01, 1960`).
fn parse_simple(text: &str) -> Option<BirthDateValue> {
    let text = text.trim().trim_end_matches('.').trim();
    if text.contains('/') {
        let parts: Vec<&str> = text.split('/').collect();
        return match parts[..] {
            [d, m, y] => build(year(y)?, number(m)?, number(d)?),
            [m, y] => build(year(y)?, number(m)?, 0),
            _ => None,
        };
    }
    let date = text.split(['T', 't']).next().unwrap_or(text);
    if date.starts_with(|c: char| c.is_ascii_digit()) && date.contains('-') {
        let parts: Vec<&str> = date.split('-').collect();
        return match parts[..] {
            [y, m, d] => build(year(y)?, number(m)?, number(d)?),
            [y, m] => build(year(y)?, number(m)?, 0),
            _ => None,
        };
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    match words[..] {
        [y] => build(year(y)?, 0, 0),
        [m, y] => build(year(y)?, month(m)?, 0),
        [d, m, y] if month(m).is_some() => build(year(y)?, month(m)?, number(d)?),
        [m, d, y] => build(year(y)?, month(m)?, number(d)?),
        _ => None,
    }
}

/// A date from its parts, 0 meaning unknown; `None` when out of range or
/// a day is given without its month.
fn build(year: u16, month: u8, day: u8) -> Option<BirthDateValue> {
    if month > MONTHS || day > MAX_DAY || (month == 0 && day != 0) {
        return None;
    }
    Some(match (month, day) {
        (0, _) => BirthDateValue::Year { year },
        (m, 0) => BirthDateValue::YearMonth { year, month: m },
        (m, d) => {
            // A day past its month's end (`31 Feb`) is no date: the calendar
            // of `clock` gives it back as another day.
            let days = crate::clock::days_from_civil(year.into(), m.into(), d.into());
            if crate::clock::civil_from_days(days) != (year.into(), m.into(), d.into()) {
                return None;
            }
            BirthDateValue::Date {
                year,
                month: m,
                day: d,
            }
        }
    })
}

/// A four-digit year in the accepted range.
fn year(text: &str) -> Option<u16> {
    let t = text.trim();
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u16 = t.parse().ok()?;
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

/// A one- or two-digit day or month number.
fn number(text: &str) -> Option<u8> {
    let t = text.trim();
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// An English month name or its three-letter abbreviation (any case).
fn month(text: &str) -> Option<u8> {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if t.len() < 3 {
        return None;
    }
    let i = MONTH_NAMES.iter().position(|m| m.starts_with(&t))?;
    u8::try_from(i + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::BirthDateValue::{Circa, Date, Year, YearMonth, YearRange};
    use super::*;

    fn value(text: &str) -> Option<BirthDateValue> {
        BirthDate::parse(text).map(|d| d.value)
    }

    #[test]
    fn full_dates_in_every_spelling() {
        let want = Some(Date {
            year: 1960,
            month: 1,
            day: 2,
        });
        for t in [
            "02 Jan 1960",
            "2 JAN 1960",
            "02 January 1960",
            "1960-01-02",
            "1960-01-02T00:00:00",
            "02/01/1960",
            "January 2, 1960",
            " 02 Jan 1960. ",
        ] {
            assert_eq!(value(t), want, "{t:?}");
        }
    }

    #[test]
    fn months_and_years() {
        let feb = Some(YearMonth {
            year: 1955,
            month: 2,
        });
        for t in ["Feb 1955", "1955-02", "00/02/1955", "February 1955"] {
            assert_eq!(value(t), feb, "{t:?}");
        }
        for t in ["1961", "00/00/1961", "1961."] {
            assert_eq!(value(t), Some(Year { year: 1961 }), "{t:?}");
        }
    }

    #[test]
    fn ranges_and_circa() {
        let range = Some(YearRange {
            from: 1960,
            to: 1962,
        });
        for t in [
            "1960 to 1962",
            "between 1960 and 1962",
            "Between 1960 and 1962",
            "01 Jan 1960 to 31 Dec 1962",
            "1960-1962",
        ] {
            assert_eq!(value(t), range, "{t:?}");
        }
        for t in [
            "circa 1958",
            "Circa 1958",
            "approximately 1958",
            "approx. 1958",
        ] {
            assert_eq!(value(t), Some(Circa { year: 1958 }), "{t:?}");
        }
    }

    #[test]
    fn keeps_the_published_text() {
        let d = BirthDate::parse(" circa 1958 ").unwrap();
        assert_eq!(d.raw, "circa 1958");
    }

    #[test]
    fn lists_skip_what_is_no_date() {
        let got: Vec<_> = BirthDate::parse_list("1960-01-01; 1961; unknown; ")
            .into_iter()
            .map(|d| d.value)
            .collect();
        assert_eq!(
            got,
            [
                Date {
                    year: 1960,
                    month: 1,
                    day: 1
                },
                Year { year: 1961 }
            ]
        );
    }

    #[test]
    fn rejects_what_is_no_date() {
        for t in [
            "",
            "unknown",
            "13/13/1960",
            "32 Jan 1960",
            "1962 to 1960",
            "00/05/00",
            "1960-13-01",
            "12345",
            "Ja 1960",
            "circa",
            "0001",
            "1960 to",
            "/",
            "é 1960",
            "01/00/1960",
            "31 Feb 1960",
            "29/02/1961",
        ] {
            assert_eq!(value(t), None, "{t:?}");
        }
    }
}
