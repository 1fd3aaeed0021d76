//! The sources `fetch` knows: each list's files and official URLs, the
//! format each file must load as, and the selection `--only` makes (without
//! it, the sources fetched by default).

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
    /// Whether `fetch` downloads this source when no `--only` names sources
    /// (false for OpenSanctions' collections: very large, and they repeat
    /// the official lists).
    pub fetched_by_default: bool,
    /// Terms to tell the user each time the source is fetched.
    pub notice: Option<&'static str>,
    /// Human-readable description.
    pub label: &'static str,
}

/// What a user of OpenSanctions' data must know.
const OPENSANCTIONS_LICENCE: &str = "OpenSanctions' data is licensed for non-commercial use only (CC BY-NC 4.0), unless its publisher grants otherwise: a business using it needs a licence from OpenSanctions (https://www.opensanctions.org/licensing/)";

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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
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
        fetched_by_default: true,
        notice: None,
        label: "EU Financial Sanctions Files (consolidated list), XML",
    },
    Source {
        key: "opensanctions-sanctions",
        dir: "opensanctions_sanctions",
        files: &[(
            "entities.ftm.json",
            "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
        )],
        screen: false,
        fetched_by_default: false,
        notice: Some(OPENSANCTIONS_LICENCE),
        label: "OpenSanctions consolidated sanctions (the official lists and more, merged), FollowTheMoney JSON lines",
    },
    Source {
        key: "opensanctions-default",
        dir: "opensanctions_default",
        files: &[(
            "entities.ftm.json",
            "https://data.opensanctions.org/datasets/latest/default/entities.ftm.json",
        )],
        screen: false,
        fetched_by_default: false,
        notice: Some(OPENSANCTIONS_LICENCE),
        label: "OpenSanctions default collection (sanctions, politically exposed persons, crime), FollowTheMoney JSON lines",
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
        ("opensanctions-sanctions" | "opensanctions-default", _) => Format::FtmJson,
        _ => return None,
    })
}

/// The source of a key, if there is one.
pub fn source(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

/// The sources selected by `only` (when empty, those fetched by default),
/// in the order of [`SOURCES`].
pub(super) fn select(only: &[String]) -> Result<Vec<&'static Source>> {
    if only.is_empty() {
        return Ok(SOURCES.iter().filter(|s| s.fetched_by_default).collect());
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

    #[test]
    fn opensanctions_collections_only_on_request() {
        let keys = |only: &[&str]| -> Vec<&str> {
            let only: Vec<String> = only.iter().map(|k| k.to_string()).collect();
            select(&only).unwrap().iter().map(|s| s.key).collect()
        };
        let default = keys(&[]);
        assert_eq!(
            default,
            [
                "ofac-sdn-csv",
                "ofac-cons-csv",
                "ofac-sdn-xml",
                "ofac-cons-xml",
                "csl-csv",
                "csl-json",
                "un",
                "uk-fcdo",
                "eu"
            ]
        );
        assert_eq!(
            keys(&["opensanctions-default", "un", "opensanctions-sanctions"]),
            ["un", "opensanctions-sanctions", "opensanctions-default"]
        );
        for key in ["opensanctions-sanctions", "opensanctions-default"] {
            let s = source(key).unwrap();
            assert!(
                !s.screen && !s.fetched_by_default && s.notice.is_some(),
                "{key}"
            );
            assert_eq!(expected_format(key, s.files[0].0), Some(Format::FtmJson));
        }
    }
}
