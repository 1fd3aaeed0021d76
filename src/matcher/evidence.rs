//! Evidence beyond the name: what the input says of a party besides its
//! name (country, date of birth, type) against what the listing says.
//!
//! Each rule reads one fact of both sides and gives a [`Finding`]: a note
//! for the explanation and a factor for the score. A fact unknown on either
//! side gives nothing: the name alone decides. Facts that agree are shown
//! as support and leave the score as it is (a name that does not match is
//! not made to match by a date); facts that contradict the listing lower
//! it by a documented factor. Factors multiply, and the threshold applies
//! after them. A hit decided by an identifier takes no factor.
//!
//! | rule | contradiction | factor |
//! |---|---|---|
//! | [`country`] | no listed country is the input's | [`COUNTRY_MISMATCH_FACTOR`] |
//! | [`date_of_birth`] | the same year, another day | [`DOB_SAME_YEAR_FACTOR`] |
//! | [`date_of_birth`] | more than [`DOB_YEAR_SLACK`] year(s) apart | [`DOB_MISMATCH_FACTOR`] |
//!
//! A date of birth one keystroke from a listed one (one digit changed, two
//! neighbouring digits swapped, or day and month swapped) is `near`: said in
//! the evidence, and no contradiction ([`near_date`]).
//! | [`entity_type`] | a person against an organization, vessel or aircraft, or the reverse | [`TYPE_MISMATCH_FACTOR`] |

use crate::model::{BirthDate, BirthDateValue, EntityType};

/// A hit whose listed countries all differ from the input's country keeps
/// this share of its score (and says so).
pub const COUNTRY_MISMATCH_FACTOR: f32 = 0.9;

/// A hit whose listed dates of birth are all full dates of the input's
/// year but none its day keeps this share of its score.
pub const DOB_SAME_YEAR_FACTOR: f32 = 0.9;

/// A hit whose listed dates of birth all lie further from the input's
/// keeps this share of its score.
pub const DOB_MISMATCH_FACTOR: f32 = 0.8;

/// When either side gives only a year (or a month, a range, `circa`), the
/// years may differ by this much and still agree; `circa` itself stands
/// for this many years either side, so `circa 1960` agrees with 1958.
pub const DOB_YEAR_SLACK: u16 = 1;

/// A hit whose listed type contradicts the input's (a person against an
/// organization) keeps this share of its score.
pub const TYPE_MISMATCH_FACTOR: f32 = 0.5;

/// What one rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What the explanation says, e.g. `date of birth 1960-01-01 agrees
    /// with the listed 01 Jan 1960`.
    pub note: String,
    /// What the score is multiplied by (1 for support).
    pub factor: f32,
}

impl Finding {
    fn support(note: String) -> Finding {
        Finding { note, factor: 1.0 }
    }
}

/// The input's type of party and whether it was given or inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputType {
    /// The type.
    pub entity_type: EntityType,
    /// Inferred from a legal form in the name rather than given in a
    /// `type` column.
    pub inferred: bool,
}

/// What the input says of a party besides its name and identifiers.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryFacts<'a> {
    /// The input's country, as given (a name or an ISO code).
    pub country: Option<&'a str>,
    /// The input's date of birth.
    pub date_of_birth: Option<&'a BirthDate>,
    /// The input's type (`type` column); when absent, a legal form in the
    /// name makes it an organization.
    pub entity_type: Option<EntityType>,
}

/// The country rule: when the input's country (ISO code) and the listing's
/// countries are known and none is the input's, a note and
/// [`COUNTRY_MISMATCH_FACTOR`].
pub fn country(input: &str, listed: &[&str]) -> Option<Finding> {
    (!listed.is_empty() && !listed.contains(&input)).then(|| Finding {
        note: format!(
            "input country {input} is not among the listed countries ({}); score x {COUNTRY_MISMATCH_FACTOR}",
            listed.join(", ")
        ),
        factor: COUNTRY_MISMATCH_FACTOR,
    })
}

/// The years a date of birth allows, and whether it gives a full date.
fn years(d: &BirthDateValue) -> (u16, u16) {
    match *d {
        BirthDateValue::Date { year, .. }
        | BirthDateValue::YearMonth { year, .. }
        | BirthDateValue::Year { year } => (year, year),
        BirthDateValue::YearRange { from, to } => (from, to),
        BirthDateValue::Circa { year } => {
            (year.saturating_sub(DOB_YEAR_SLACK), year + DOB_YEAR_SLACK)
        }
    }
}

/// How two dates of birth compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DateFit {
    /// Further apart than the rule allows.
    Differ,
    /// Two full dates of the same year, on other days.
    SameYear,
    /// One keystroke apart, as data entry mistypes a date ([`near_date`]).
    Near(Keystroke),
    /// The same (a full date equal; or a less precise one within the slack).
    Agree,
}

/// The keystroke that takes one date of birth to another ([`near_date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Keystroke {
    /// One digit typed wrong (1965-03-12 for 1965-08-12).
    Digit,
    /// Two neighbouring digits swapped (1986 for 1968, 21 for 12).
    Swap,
    /// Day and month swapped (12/01 read as 1 December).
    DayMonth,
}

impl Keystroke {
    /// How the evidence says it.
    fn says(self) -> &'static str {
        match self {
            Keystroke::Digit => "one digit changed",
            Keystroke::Swap => "two neighbouring digits swapped",
            Keystroke::DayMonth => "day and month swapped",
        }
    }
}

/// The digits of a full date as written `YYYYMMDD`.
fn digits(year: u16, month: u8, day: u8) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (o, b) in out
        .iter_mut()
        .zip(format!("{year:04}{month:02}{day:02}").bytes())
    {
        *o = b;
    }
    out
}

/// Is one full date one keystroke from another, and which? Day and month
/// swapped (both a month); else, written `YYYYMMDD`, one digit changed or
/// two neighbouring digits swapped. Equal dates are no keystroke apart.
pub fn near_date(a: (u16, u8, u8), b: (u16, u8, u8)) -> Option<Keystroke> {
    if a == b {
        return None;
    }
    let (ya, ma, da) = a;
    let (yb, mb, db) = b;
    if ya == yb && (ma, da) == (db, mb) {
        return Some(Keystroke::DayMonth);
    }
    let (x, y) = (digits(ya, ma, da), digits(yb, mb, db));
    let differ: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
    match differ[..] {
        [_] => Some(Keystroke::Digit),
        [i, j] if j == i + 1 && x[i] == y[j] && x[j] == y[i] => Some(Keystroke::Swap),
        _ => None,
    }
}

/// The year and month of a date of birth that gives its month.
fn year_month(d: &BirthDateValue) -> Option<(u16, u8)> {
    match *d {
        BirthDateValue::Date { year, month, .. } | BirthDateValue::YearMonth { year, month } => {
            Some((year, month))
        }
        _ => None,
    }
}

fn fit(a: &BirthDateValue, b: &BirthDateValue) -> DateFit {
    use BirthDateValue::Date;
    let months = (year_month(a), year_month(b));
    match (*a, *b) {
        (
            Date {
                year: ya,
                month: ma,
                day: da,
            },
            Date {
                year: yb,
                month: mb,
                day: db,
            },
        ) => {
            if (ya, ma, da) == (yb, mb, db) {
                DateFit::Agree
            } else if let Some(k) = near_date((ya, ma, da), (yb, mb, db)) {
                DateFit::Near(k)
            } else if ya != yb {
                DateFit::Differ
            } else {
                DateFit::SameYear
            }
        }
        // A month on both sides: the same year, another month.
        _ if matches!(months, (Some((ya, ma)), Some((yb, mb))) if ya == yb && ma != mb) => {
            DateFit::SameYear
        }
        _ => {
            let ((fa, ta), (fb, tb)) = (years(a), years(b));
            // Either side less precise than a day: years within the slack.
            if fa <= tb + DOB_YEAR_SLACK && fb <= ta + DOB_YEAR_SLACK {
                DateFit::Agree
            } else {
                DateFit::Differ
            }
        }
    }
}

/// The date-of-birth rule: the input's date against each listed one, the
/// best fit deciding. Agreement is a supporting note; a date one keystroke
/// away ([`near_date`]) a note that says `near` and how, with no factor; the
/// same year on another day [`DOB_SAME_YEAR_FACTOR`]; further apart
/// [`DOB_MISMATCH_FACTOR`]. No listed date: nothing.
pub fn date_of_birth(input: &BirthDate, listed: &[&BirthDate]) -> Option<Finding> {
    let (best, with) = listed
        .iter()
        .map(|l| (fit(&input.value, &l.value), *l))
        .max_by_key(|(f, _)| *f)?;
    let all = || {
        listed
            .iter()
            .map(|l| l.raw.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    Some(match best {
        DateFit::Agree => Finding::support(format!(
            "date of birth {} agrees with the listed {}",
            input.raw, with.raw
        )),
        DateFit::Near(k) => Finding::support(format!(
            "date of birth {} is near the listed {} ({}): no contradiction",
            input.raw,
            with.raw,
            k.says()
        )),
        DateFit::SameYear => Finding {
            note: format!(
                "date of birth {} is not the listed {} (same year); score x {DOB_SAME_YEAR_FACTOR}",
                input.raw,
                all()
            ),
            factor: DOB_SAME_YEAR_FACTOR,
        },
        DateFit::Differ => Finding {
            note: format!(
                "date of birth {} is not the listed {}; score x {DOB_MISMATCH_FACTOR}",
                input.raw,
                all()
            ),
            factor: DOB_MISMATCH_FACTOR,
        },
    })
}

/// Is a type a party that is not a person?
fn not_person(t: EntityType) -> bool {
    matches!(
        t,
        EntityType::Organization | EntityType::Vessel | EntityType::Aircraft
    )
}

/// The type rule: a person against a listed organization, vessel or
/// aircraft, or one of those against a listed person, is a contradiction
/// ([`TYPE_MISMATCH_FACTOR`]). An organization against a vessel or an
/// aircraft is not: companies and their ships share names. An unknown
/// type on either side: nothing.
pub fn entity_type(input: InputType, listed: EntityType) -> Option<Finding> {
    let i = input.entity_type;
    let contradicts = (i == EntityType::Person && not_person(listed))
        || (not_person(i) && listed == EntityType::Person);
    contradicts.then(|| Finding {
        note: format!(
            "input is {} {}{}, the listing {} {}; score x {TYPE_MISMATCH_FACTOR}",
            article(i),
            i,
            if input.inferred {
                " (from its legal form)"
            } else {
                ""
            },
            article(listed),
            listed
        ),
        factor: TYPE_MISMATCH_FACTOR,
    })
}

fn article(t: EntityType) -> &'static str {
    match t {
        EntityType::Organization | EntityType::Aircraft => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dob(text: &str) -> BirthDate {
        BirthDate::parse(text).unwrap_or_else(|| panic!("{text}: no date"))
    }

    fn factor(input: &str, listed: &[&str]) -> Option<f32> {
        let l: Vec<BirthDate> = listed.iter().map(|t| dob(t)).collect();
        let refs: Vec<&BirthDate> = l.iter().collect();
        date_of_birth(&dob(input), &refs).map(|f| f.factor)
    }

    #[test]
    fn a_date_of_birth_that_agrees_supports_and_one_that_differs_lowers() {
        // The same day, written two ways.
        assert_eq!(factor("1960-01-12", &["12 Jan 1960"]), Some(1.0));
        // Day and month swapped (12/01 read as 1 December): near, no factor.
        assert_eq!(factor("1960-12-01", &["12 Jan 1960"]), Some(1.0));
        // Any listed date may agree.
        assert_eq!(factor("1961-03-05", &["12 Jan 1960", "1961"]), Some(1.0));
        // The same year, another day (more than one keystroke away).
        assert_eq!(
            factor("1960-03-05", &["12 Jan 1960"]),
            Some(DOB_SAME_YEAR_FACTOR)
        );
        // Another year.
        assert_eq!(
            factor("1975-01-12", &["12 Jan 1960"]),
            Some(DOB_MISMATCH_FACTOR)
        );
        let f = date_of_birth(&dob("1975-01-12"), &[&dob("12 Jan 1960")]).unwrap();
        assert!(
            f.note.contains("1975-01-12") && f.note.contains("12 Jan 1960"),
            "{}",
            f.note
        );
        // No listed date: the name alone decides.
        assert_eq!(factor("1975-01-12", &[]), None);
    }

    fn note(input: &str, listed: &str) -> String {
        date_of_birth(&dob(input), &[&dob(listed)]).unwrap().note
    }

    #[test]
    fn keystrokes_between_full_dates() {
        assert_eq!(
            near_date((1965, 3, 12), (1965, 8, 12)),
            Some(Keystroke::Digit)
        );
        assert_eq!(
            near_date((1968, 3, 30), (1969, 3, 30)),
            Some(Keystroke::Digit)
        );
        assert_eq!(
            near_date((1986, 3, 30), (1968, 3, 30)),
            Some(Keystroke::Swap)
        );
        assert_eq!(
            near_date((1960, 12, 1), (1960, 1, 12)),
            Some(Keystroke::DayMonth)
        );
        assert_eq!(near_date((1960, 5, 3), (1960, 1, 12)), None);
        assert_eq!(near_date((1960, 1, 12), (1960, 1, 12)), None);
    }

    #[test]
    fn a_date_one_digit_off_is_near_and_no_contradiction() {
        // The month's digit (same year: was DOB_SAME_YEAR_FACTOR).
        assert_eq!(factor("1965-03-12", &["1965-08-12"]), Some(1.0));
        // The year's last digit (was DOB_MISMATCH_FACTOR), and the day's.
        assert_eq!(factor("1968-03-30", &["30 Mar 1969"]), Some(1.0));
        assert_eq!(factor("1968-03-20", &["30 Mar 1968"]), Some(1.0));
        // A decade's digit is one keystroke too.
        assert_eq!(factor("1978-03-30", &["30 Mar 1968"]), Some(1.0));
        let n = note("1968-03-30", "30 Mar 1969");
        assert!(
            n.contains("near") && n.contains("one digit changed") && n.contains("30 Mar 1969"),
            "{n}"
        );
    }

    #[test]
    fn a_date_with_two_neighbouring_digits_swapped_is_near() {
        assert_eq!(factor("1986-03-30", &["30 Mar 1968"]), Some(1.0));
        assert_eq!(factor("1968-03-21", &["12 Mar 1968"]), Some(1.0));
        let n = note("1986-03-30", "30 Mar 1968");
        assert!(n.contains("near") && n.contains("swapped"), "{n}");
        // Two digits swapped that are not neighbours: two keystrokes.
        assert_eq!(
            factor("1869-03-30", &["30 Mar 1968"]),
            Some(DOB_MISMATCH_FACTOR)
        );
    }

    #[test]
    fn a_date_with_day_and_month_swapped_is_near() {
        assert_eq!(factor("1960-12-01", &["12 Jan 1960"]), Some(1.0));
        let n = note("1960-12-01", "12 Jan 1960");
        assert!(
            n.contains("near") && n.contains("day and month swapped"),
            "{n}"
        );
        // An equal date agrees and is not near.
        assert!(note("1960-01-12", "12 Jan 1960").contains("agrees"));
    }

    #[test]
    fn a_date_two_keystrokes_away_keeps_its_factor() {
        // Two digits changed in the same year; in another year.
        assert_eq!(
            factor("1965-03-15", &["1965-08-12"]),
            Some(DOB_SAME_YEAR_FACTOR)
        );
        assert_eq!(
            factor("1967-03-31", &["30 Mar 1969"]),
            Some(DOB_MISMATCH_FACTOR)
        );
        // The best listed date decides: one near, one far.
        assert_eq!(
            factor("1968-03-30", &["1 Jan 1950", "30 Mar 1969"]),
            Some(1.0)
        );
    }

    #[test]
    fn a_year_alone_agrees_within_a_year() {
        assert_eq!(factor("1961", &["12 Jan 1960"]), Some(1.0));
        assert_eq!(factor("1960-06-01", &["1961"]), Some(1.0));
        assert_eq!(factor("1963", &["12 Jan 1960"]), Some(DOB_MISMATCH_FACTOR));
        // A range, and circa.
        assert_eq!(factor("1964", &["1960 to 1963"]), Some(1.0));
        assert_eq!(factor("1966", &["1960 to 1963"]), Some(DOB_MISMATCH_FACTOR));
        assert_eq!(factor("1958-02-02", &["circa 1960"]), Some(1.0));
        assert_eq!(
            factor("1950-02-02", &["circa 1960"]),
            Some(DOB_MISMATCH_FACTOR)
        );
        // A month: the same month agrees, another month of the year is the same year.
        assert_eq!(factor("1960-01", &["12 Jan 1960"]), Some(1.0));
        assert_eq!(
            factor("1960-03", &["12 Jan 1960"]),
            Some(DOB_SAME_YEAR_FACTOR)
        );
    }

    #[test]
    fn a_type_that_contradicts_the_listing_lowers() {
        let given = |t| InputType {
            entity_type: t,
            inferred: false,
        };
        let f = entity_type(given(EntityType::Person), EntityType::Organization).unwrap();
        assert_eq!(f.factor, TYPE_MISMATCH_FACTOR);
        assert!(
            f.note
                .starts_with("input is a person, the listing an organization"),
            "{}",
            f.note
        );
        let inferred = InputType {
            entity_type: EntityType::Organization,
            inferred: true,
        };
        let f = entity_type(inferred, EntityType::Person).unwrap();
        assert!(f.note.contains("(from its legal form)"), "{}", f.note);
        // Companies and their ships share names; unknown says nothing.
        assert_eq!(
            entity_type(given(EntityType::Organization), EntityType::Vessel),
            None
        );
        assert_eq!(
            entity_type(given(EntityType::Person), EntityType::Unknown),
            None
        );
        assert_eq!(
            entity_type(given(EntityType::Person), EntityType::Person),
            None
        );
    }

    #[test]
    fn a_country_outside_the_listed_ones_lowers() {
        assert_eq!(
            country("US", &["RU"]).map(|f| f.factor),
            Some(COUNTRY_MISMATCH_FACTOR)
        );
        assert_eq!(country("RU", &["RU", "BY"]), None);
        assert_eq!(country("US", &[]), None);
    }
}
