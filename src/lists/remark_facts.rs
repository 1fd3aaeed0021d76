//! Facts about a person that OFAC writes in a record's remarks, as
//! `DOB 01 Jan 1960; alt. DOB 1961; nationality Iran; citizen Iran`.

use super::util::{keep_first, push_trimmed};
use crate::model::BirthDate;

/// Remark labels of a date of birth.
const DOB_LABELS: [&str; 1] = ["DOB "];
/// Remark labels of a nationality or citizenship.
const NATIONALITY_LABELS: [&str; 2] = ["nationality ", "citizen "];
/// What OFAC writes before a further value of the same fact.
const ALT_PREFIX: &str = "alt. ";

/// The text after one of `labels` in a remark fact, with any `alt. ` before
/// the label dropped.
fn labelled<'a>(fact: &'a str, labels: &[&str]) -> Option<&'a str> {
    let fact = fact.trim();
    let fact = fact.strip_prefix(ALT_PREFIX).unwrap_or(fact);
    labels.iter().find_map(|l| fact.strip_prefix(l))
}

/// The dates of birth in `remarks` (those that parse).
pub(crate) fn remark_birth_dates(remarks: &str) -> Vec<BirthDate> {
    remarks
        .split(';')
        .filter_map(|f| labelled(f, &DOB_LABELS))
        .filter_map(BirthDate::parse)
        .collect()
}

/// The nationalities and citizenships in `remarks`, as written, each once.
pub(crate) fn remark_nationalities(remarks: &str) -> Vec<String> {
    let mut out = Vec::new();
    for v in remarks
        .split(';')
        .filter_map(|f| labelled(f, &NATIONALITY_LABELS))
    {
        push_trimmed(&mut out, v.trim().trim_end_matches('.'));
    }
    keep_first(&mut out, String::as_str);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BirthDateValue::{Circa, Date, Year, YearMonth, YearRange};

    const REMARKS: &str = "DOB 01 Jan 1960; alt. DOB 1961; DOB circa 1958; DOB 1960 to 1962; \
        DOB Feb 1955; DOB unknown; POB Tehran, Iran; nationality Iran; alt. nationality Iraq; \
        citizen Iran; Passport K1 (Iran).";

    #[test]
    fn reads_each_dob_spelling() {
        let got: Vec<_> = remark_birth_dates(REMARKS)
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
                Year { year: 1961 },
                Circa { year: 1958 },
                YearRange {
                    from: 1960,
                    to: 1962
                },
                YearMonth {
                    year: 1955,
                    month: 2
                },
            ]
        );
        assert_eq!(remark_birth_dates(REMARKS)[0].raw, "01 Jan 1960");
    }

    #[test]
    fn reads_nationalities_and_citizenships() {
        assert_eq!(remark_nationalities(REMARKS), ["Iran", "Iraq"]);
        assert!(remark_nationalities("Linked To: X").is_empty());
    }
}
