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
    /// The same (a full date equal, or with day and month swapped; or a
    /// less precise one within the slack).
    Agree,
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
            if ya != yb {
                DateFit::Differ
            } else if (ma, da) == (mb, db) || (ma, da) == (db, mb) {
                DateFit::Agree
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
/// best fit deciding. Agreement is a supporting note; the same year on
/// another day [`DOB_SAME_YEAR_FACTOR`]; further apart
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
        // Day and month swapped (12/01 read as 1 December).
        assert_eq!(factor("1960-12-01", &["12 Jan 1960"]), Some(1.0));
        // Any listed date may agree.
        assert_eq!(factor("1961-03-05", &["12 Jan 1960", "1961"]), Some(1.0));
        // The same year, another day.
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
