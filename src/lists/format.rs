//! The list formats read, and one table from each format to its label and
//! its loader ([`FORMATS`]): loading dispatches through it, and `fetch`
//! checks a downloaded file's format against it.

use super::ofac_csv::{self, Role};
use super::{
    Loaded, OfacList, Source, bis_dpl, canada_sema, csl, eu_fsf, ofac_xml, opensanctions, uk_fcdo,
    uk_hmt, un_xml, user_csv,
};
use anyhow::Result;

/// A list format recognized from a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// One of the four OFAC legacy CSV files.
    OfacCsv(ofac_csv::Role),
    /// OFAC `sdnList` XML.
    OfacXml,
    /// trade.gov Consolidated Screening List CSV.
    CslCsv,
    /// trade.gov Consolidated Screening List JSON.
    CslJson,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// HM Treasury / OFSI consolidated list CSV.
    UkHmtCsv,
    /// UK Sanctions List XML (FCDO).
    UkFcdoXml,
    /// EU Financial Sanctions Files XML.
    EuXml,
    /// Canada SEMA consolidated list XML.
    CanadaXml,
    /// BIS Denied Persons List, tab-delimited.
    BisDplTxt,
    /// OpenSanctions `targets.simple.csv`.
    OpenSanctionsCsv,
    /// FollowTheMoney entities, JSON lines.
    FtmJson,
    /// OpenSanctions' transcription of the DoD 1260H list.
    Dod1260hCsv,
    /// The user's own list CSV.
    UserCsv,
    /// A list format we recognize but do not read yet.
    Unsupported(&'static str),
}

/// How the files of a format are loaded.
#[derive(Debug, Clone, Copy)]
pub enum Loader {
    /// Each file on its own; every entity it gives is on `list`.
    File {
        /// The format's loader.
        load: fn(&Source) -> Result<Loaded>,
        /// The list its entities are on, as `sanctions lists` shows it.
        list: &'static str,
    },
    /// OFAC `sdnList` XML: the SDN or the Non-SDN list, told by the file
    /// name ([`OfacList`]).
    Ofac(fn(&Source, OfacList) -> Result<Loaded>),
    /// The file of this role of an OFAC CSV set, loaded with the other
    /// files of its set in its directory by [`ofac_csv::load`].
    OfacCsvSet(Role),
}

/// One row of [`FORMATS`]: a format, its label and its loader.
#[derive(Debug, Clone, Copy)]
pub struct FormatEntry {
    /// The format.
    pub format: Format,
    /// Short name used in `sanctions lists`, reports and `fetch`'s checks.
    pub label: &'static str,
    /// True for XML formats, whose files are refused when they declare
    /// entities.
    pub xml: bool,
    /// How its files are loaded.
    pub loader: Loader,
}

/// The list of the trade.gov Consolidated Screening List's entries.
const CSL_LIST: &str = "trade.gov Consolidated Screening List";

/// Every format read, with its label and loader: loading dispatches
/// through this table and [`Format::label`] reads it, so a format, its
/// name and its loader are one row. [`Format::Unsupported`] has no row.
pub const FORMATS: &[FormatEntry] = &[
    ofac_csv_entry(Role::Primary, "ofac-csv"),
    ofac_csv_entry(Role::Alt, "ofac-csv-alt"),
    ofac_csv_entry(Role::Address, "ofac-csv-add"),
    ofac_csv_entry(Role::Comments, "ofac-csv-comments"),
    FormatEntry {
        format: Format::OfacXml,
        label: "ofac-xml",
        xml: true,
        loader: Loader::Ofac(ofac_xml::load),
    },
    file_entry(Format::CslCsv, "csl-csv", false, csl::load_csv, CSL_LIST),
    file_entry(Format::CslJson, "csl-json", false, csl::load_json, CSL_LIST),
    file_entry(Format::UnXml, "un-xml", true, un_xml::load, un_xml::LIST),
    file_entry(
        Format::UkHmtCsv,
        "uk-hmt-csv",
        false,
        uk_hmt::load,
        uk_hmt::LIST,
    ),
    file_entry(
        Format::UkFcdoXml,
        "uk-fcdo-xml",
        true,
        uk_fcdo::load,
        uk_fcdo::LIST,
    ),
    file_entry(
        Format::EuXml,
        "eu-fsf-xml",
        true,
        eu_fsf::load,
        eu_fsf::LIST,
    ),
    file_entry(
        Format::CanadaXml,
        "canada-sema-xml",
        true,
        canada_sema::load,
        canada_sema::LIST,
    ),
    file_entry(
        Format::BisDplTxt,
        "bis-dpl-txt",
        false,
        bis_dpl::load,
        bis_dpl::LIST,
    ),
    file_entry(
        Format::OpenSanctionsCsv,
        "opensanctions-csv",
        false,
        opensanctions::load_simple_csv,
        "OpenSanctions targets.simple.csv",
    ),
    file_entry(
        Format::FtmJson,
        "ftm-json",
        false,
        opensanctions::load_ftm,
        "OpenSanctions FollowTheMoney entities",
    ),
    file_entry(
        Format::Dod1260hCsv,
        "dod-1260h-csv",
        false,
        opensanctions::load_dod_1260h,
        opensanctions::DOD_LIST,
    ),
    file_entry(
        Format::UserCsv,
        "user-csv",
        false,
        user_csv::load,
        "User list",
    ),
];

/// The row of one file of an OFAC CSV set.
const fn ofac_csv_entry(role: Role, label: &'static str) -> FormatEntry {
    FormatEntry {
        format: Format::OfacCsv(role),
        label,
        xml: false,
        loader: Loader::OfacCsvSet(role),
    }
}

/// The row of a format whose files load one by one.
const fn file_entry(
    format: Format,
    label: &'static str,
    xml: bool,
    load: fn(&Source) -> Result<Loaded>,
    list: &'static str,
) -> FormatEntry {
    FormatEntry {
        format,
        label,
        xml,
        loader: Loader::File { load, list },
    }
}

impl Format {
    /// This format's row of [`FORMATS`] (none for [`Format::Unsupported`]).
    pub fn entry(self) -> Option<&'static FormatEntry> {
        FORMATS.iter().find(|e| e.format == self)
    }

    /// Short name used in `sanctions lists` and reports.
    pub fn label(self) -> &'static str {
        match (self, self.entry()) {
            (_, Some(e)) => e.label,
            (Format::Unsupported(what), None) => what,
            (_, None) => unreachable!("every format but Unsupported has a row in FORMATS"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unchanged_and_each_format_has_one_row() {
        let expected = [
            (Format::OfacCsv(Role::Primary), "ofac-csv"),
            (Format::OfacCsv(Role::Alt), "ofac-csv-alt"),
            (Format::OfacCsv(Role::Address), "ofac-csv-add"),
            (Format::OfacCsv(Role::Comments), "ofac-csv-comments"),
            (Format::OfacXml, "ofac-xml"),
            (Format::CslCsv, "csl-csv"),
            (Format::CslJson, "csl-json"),
            (Format::UnXml, "un-xml"),
            (Format::UkHmtCsv, "uk-hmt-csv"),
            (Format::UkFcdoXml, "uk-fcdo-xml"),
            (Format::EuXml, "eu-fsf-xml"),
            (Format::CanadaXml, "canada-sema-xml"),
            (Format::BisDplTxt, "bis-dpl-txt"),
            (Format::OpenSanctionsCsv, "opensanctions-csv"),
            (Format::FtmJson, "ftm-json"),
            (Format::Dod1260hCsv, "dod-1260h-csv"),
            (Format::UserCsv, "user-csv"),
            (Format::Unsupported("some-format"), "some-format"),
        ];
        for (format, label) in expected {
            assert_eq!(format.label(), label, "{format:?}");
            let rows = FORMATS.iter().filter(|e| e.format == format).count();
            let want = usize::from(!matches!(format, Format::Unsupported(_)));
            assert_eq!(rows, want, "{format:?}");
        }
        assert_eq!(FORMATS.len(), expected.len() - 1);
    }
}
