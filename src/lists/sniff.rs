//! Recognizing a list file's format from its content: XML by its root
//! element, JSON by its shape, CSV by its header (or, for OFAC's files,
//! which have none, by the shape of the first record).

use super::util::strip_bom;
use super::{Format, LineIndex, csl, ofac_csv, user_csv};

/// Recognize a list format from the first bytes of a file.
///
/// ```
/// use sanctions::lists::{sniff, Format};
/// assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<sdnList xmlns=\"x\">"), Some(Format::OfacXml));
/// assert_eq!(sniff(b"hello world"), None);
/// ```
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let bytes = strip_bom(bytes);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return sniff_xml(trimmed);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return sniff_json(bytes, trimmed);
    }
    if let Some(role) = ofac_csv::sniff_role(bytes) {
        return Some(Format::OfacCsv(role));
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    let header: Vec<String> = first_line
        .split([',', '\t'])
        .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |c: &str| header.iter().any(|h| h == c);
    if has("source") && has("name") && has("alt_names") {
        return Some(Format::CslCsv);
    }
    if has("name") && has("street_address") && first_line.contains('\t') {
        return Some(Format::BisDplTxt);
    }
    if first_line.starts_with("Last Updated,") {
        return Some(Format::UkHmtCsv);
    }
    if has("id") && has("schema") && has("name") && has("aliases") {
        return Some(Format::OpenSanctionsCsv);
    }
    if has("name") && has("clean name") && has("alias") {
        return Some(Format::Dod1260hCsv);
    }
    if user_csv::is_user_header(&header) {
        return Some(Format::UserCsv);
    }
    None
}

/// Recognize a list format from a file's content and, where the content
/// alone is too little, its name (`file_name`, without directories, in any
/// case): a re-saved OFAC comments file (`sdn_comments.csv`,
/// `cons_comments.csv`) has no quote left to tell it by.
///
/// ```
/// use sanctions::lists::{sniff_named, Format};
/// use sanctions::lists::ofac_csv::Role;
/// let resaved = b"2674,BU'\r\n";
/// assert_eq!(sniff_named("SDN_COMMENTS.CSV", resaved), Some(Format::OfacCsv(Role::Comments)));
/// assert_eq!(sniff_named("notes.csv", resaved), None);
/// ```
pub fn sniff_named(file_name: &str, bytes: &[u8]) -> Option<Format> {
    sniff(bytes).or_else(|| {
        let role = ofac_role_by_name(&file_name.to_ascii_lowercase())?;
        (role == ofac_csv::Role::Comments && ofac_csv::is_comments_layout(bytes))
            .then_some(Format::OfacCsv(role))
    })
}

fn sniff_xml(text: &str) -> Option<Format> {
    // The first element that is not a declaration, comment or doctype.
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let local = name.rsplit(':').next().unwrap_or(&name);
        return match local {
            "sdnList" => Some(Format::OfacXml),
            "CONSOLIDATED_LIST" => Some(Format::UnXml),
            "data-set" => Some(Format::CanadaXml),
            "export" => Some(Format::EuXml),
            "Designations" => Some(Format::UkFcdoXml),
            _ => None,
        };
    }
    None
}

fn sniff_json(bytes: &[u8], head: &str) -> Option<Format> {
    // FollowTheMoney entities: one object per line with `schema` and `properties`.
    if let Some(first) = head.lines().next()
        && let Ok(serde_json::Value::Object(o)) = serde_json::from_str(first)
        && o.contains_key("schema")
        && o.contains_key("properties")
    {
        return Some(Format::FtmJson);
    }
    let v: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        // A CSL download cut short, re-encoded or with stray bytes: its loader
        // says where it breaks, rather than "not a recognized list format".
        Err(_) if head.contains("\"results\"") && head.contains("\"source\"") => {
            return Some(Format::CslJson);
        }
        Err(_) => return None,
    };
    if csl::looks_like_csl_json(&v) {
        Some(Format::CslJson)
    } else {
        None
    }
}

/// OFAC's own file names, by the role each has in its set: a file so named
/// that is not recognized is an OFAC file whose layout changed, not an
/// unrelated file to pass over.
pub(super) fn ofac_role_by_name(file_name: &str) -> Option<ofac_csv::Role> {
    match file_name {
        "sdn.csv" | "cons_prim.csv" => Some(ofac_csv::Role::Primary),
        "alt.csv" | "cons_alt.csv" => Some(ofac_csv::Role::Alt),
        "add.csv" | "cons_add.csv" => Some(ofac_csv::Role::Address),
        "sdn_comments.csv" | "cons_comments.csv" => Some(ofac_csv::Role::Comments),
        _ => None,
    }
}

/// True when a file holds nothing but white space and OFAC's end-of-file
/// byte (OFAC publishes empty companion files so).
pub(super) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0x1A)
}

/// The line of an `<!ENTITY` declaration before the root element of an XML
/// file, if any. No published list declares entities; a file that does is
/// an entity bomb or an external-entity (XXE) probe, refused whole, whether
/// its entities are used in text or in attributes.
pub(super) fn xml_entity_declaration(bytes: &[u8]) -> Option<u64> {
    let mut at = 0;
    while let Some(p) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + p;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!ENTITY") {
            return Some(LineIndex::new(bytes).line_at(start as u64));
        }
        if !(rest.starts_with(b"?") || rest.starts_with(b"!")) {
            // The root element: declarations come before it.
            return None;
        }
        at = start + 1;
    }
    None
}
