//! The sources `fetch` knows: each list's files and official URLs, the
//! format each file must load as, and the selection `--only` makes.

use crate::lists::Format;
use crate::lists::ofac_csv::Role;
use anyhow::{Result, bail};

/// One downloadable list: a set of files that load together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Short name used on the command line (`--only`) and in the manifest.
    pub key: &'static str,
    /// Directory under the lists directory that holds the source's files.
    pub dir: &'static str,
    /// `(file name, official URL)` of every file of the source.
    pub files: &'static [(&'static str, &'static str)],
    /// Whether `screen` loads this source by default (false for sources that
    /// repeat the parties of another one in a second format).
    pub screen: bool,
    /// Human-readable description.
    pub label: &'static str,
}

/// Every source `fetch` knows, in the order they are fetched and listed.
pub const SOURCES: &[Source] = &[
    Source {
        key: "ofac-sdn-csv",
        dir: "ofac_sdn_csv",
        files: &[
            (
                "sdn.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
            ),
            (
                "add.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV",
            ),
            (
                "alt.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV",
            ),
            (
                "sdn_comments.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV",
            ),
        ],
        screen: true,
        label: "OFAC Specially Designated Nationals (SDN) List, legacy CSV files",
    },
    Source {
        key: "ofac-cons-csv",
        dir: "ofac_cons_csv",
        files: &[
            (
                "cons_prim.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_PRIM.CSV",
            ),
            (
                "cons_add.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ADD.CSV",
            ),
            (
                "cons_alt.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ALT.CSV",
            ),
            (
                "cons_comments.csv",
                "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_COMMENTS.CSV",
            ),
        ],
        screen: true,
        label: "OFAC Non-SDN Consolidated Sanctions List, legacy CSV files",
    },
    Source {
        key: "ofac-sdn-xml",
        dir: "ofac_sdn_xml",
        files: &[(
            "sdn.xml",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML",
        )],
        screen: false,
        label: "OFAC SDN List, XML (the same parties as ofac-sdn-csv)",
    },
    Source {
        key: "ofac-cons-xml",
        dir: "ofac_cons_xml",
        files: &[(
            "consolidated.xml",
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML",
        )],
        screen: false,
        label: "OFAC Non-SDN Consolidated List, XML (the same parties as ofac-cons-csv)",
    },
    Source {
        key: "csl-csv",
        dir: "trade_gov_csl_csv",
        files: &[(
            "consolidated.csv",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        )],
        screen: true,
        label: "trade.gov Consolidated Screening List (US Commerce, State and Treasury), CSV",
    },
    Source {
        key: "csl-json",
        dir: "trade_gov_csl_json",
        files: &[(
            "consolidated.json",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json",
        )],
        screen: false,
        label: "trade.gov Consolidated Screening List, JSON (the same parties as csl-csv)",
    },
    Source {
        key: "un",
        dir: "un",
        files: &[(
            "consolidated.xml",
            "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        )],
        screen: true,
        label: "UN Security Council Consolidated List, XML",
    },
    Source {
        key: "uk-fcdo",
        dir: "uk_fcdo",
        files: &[(
            "UK-Sanctions-List.xml",
            "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        )],
        screen: true,
        label: "UK Sanctions List (FCDO), XML",
    },
    Source {
        key: "eu",
        dir: "eu",
        files: &[(
            "eu_fsf.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
        )],
        screen: true,
        label: "EU Financial Sanctions Files (consolidated list), XML",
    },
];

/// The list format each file must load as.
/// Checked so that a wrong file (an HTML error page, or another list's file
/// of the same name on a flat mirror) never replaces a good one.
pub(super) fn expected_format(key: &str, file: &str) -> Option<Format> {
    Some(match (key, file) {
        ("ofac-sdn-csv", "sdn.csv") | ("ofac-cons-csv", "cons_prim.csv") => {
            Format::OfacCsv(Role::Primary)
        }
        ("ofac-sdn-csv", "add.csv") | ("ofac-cons-csv", "cons_add.csv") => {
            Format::OfacCsv(Role::Address)
        }
        ("ofac-sdn-csv", "alt.csv") | ("ofac-cons-csv", "cons_alt.csv") => {
            Format::OfacCsv(Role::Alt)
        }
        ("ofac-sdn-csv", "sdn_comments.csv") | ("ofac-cons-csv", "cons_comments.csv") => {
            Format::OfacCsv(Role::Comments)
        }
        ("ofac-sdn-xml" | "ofac-cons-xml", _) => Format::OfacXml,
        ("csl-csv", _) => Format::CslCsv,
        ("csl-json", _) => Format::CslJson,
        ("un", _) => Format::UnXml,
        ("uk-fcdo", _) => Format::UkFcdoXml,
        ("eu", _) => Format::EuXml,
        _ => return None,
    })
}

/// The source of a key, if there is one.
pub fn source(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

/// The sources selected by `only` (all when empty), in the order of [`SOURCES`].
pub(super) fn select(only: &[String]) -> Result<Vec<&'static Source>> {
    if only.is_empty() {
        return Ok(SOURCES.iter().collect());
    }
    let unknown: Vec<&str> = only
        .iter()
        .map(String::as_str)
        .filter(|k| source(k).is_none())
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = SOURCES.iter().map(|s| s.key).collect();
        bail!(
            "unknown source {}; known sources: {}",
            unknown
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            known.join(", ")
        );
    }
    Ok(SOURCES
        .iter()
        .filter(|s| only.iter().any(|k| k == s.key))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_an_expected_format_and_an_https_url() {
        for s in SOURCES {
            for (file, url) in s.files {
                assert!(expected_format(s.key, file).is_some(), "{} {file}", s.key);
                assert!(url.starts_with("https://"), "{url}");
            }
        }
        assert_eq!(
            SOURCES[0].files[3].1,
            "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV"
        );
    }
}
