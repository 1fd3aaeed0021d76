//! Names/s per script: the names of a CSV file (`--names`), grouped by the
//! script they are written in, each group screened on its own and timed, so
//! that a script whose names cost more (Arabic, with its consonant keys and
//! glued words) shows against Latin in the same run.

use rayon::prelude::*;
use sanctions::matcher::Matcher;
use std::time::Instant;

/// The scripts reported, in this order.
pub(super) const SCRIPTS: [&str; 5] = ["latin", "arabic", "cyrillic", "cjk", "other"];

/// The script of a name: that of its first letter outside Latin, else
/// Latin (a name without letters counts as `other`).
pub(super) fn script_of(name: &str) -> &'static str {
    let mut latin = false;
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        match c as u32 {
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                return "arabic";
            }
            0x0400..=0x052F => return "cyrillic",
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => return "cjk",
            _ if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => latin = true,
            _ => return "other",
        }
    }
    if latin { "latin" } else { "other" }
}

/// One script's figures.
pub(super) struct ScriptRate {
    /// The script.
    pub(super) script: &'static str,
    /// Names screened.
    pub(super) names: usize,
    /// Wall time, seconds.
    pub(super) seconds: f64,
    /// Names per second.
    pub(super) rate: f64,
}

/// Screen each script's names in parallel (a fresh matcher per script, so
/// no script profits from another's cached words) and time it.
pub(super) fn rates(
    index: &sanctions::index::Index,
    threshold: f32,
    top: usize,
    names: &[String],
) -> Vec<ScriptRate> {
    SCRIPTS
        .iter()
        .filter_map(|&script| {
            let group: Vec<&String> = names.iter().filter(|n| script_of(n) == script).collect();
            if group.is_empty() {
                return None;
            }
            let matcher = Matcher::new(index, threshold, top);
            let t = Instant::now();
            let hits: usize = group.par_iter().map(|n| matcher.search(n).len()).sum();
            std::hint::black_box(hits);
            let seconds = t.elapsed().as_secs_f64();
            Some(ScriptRate {
                script,
                names: group.len(),
                seconds,
                rate: group.len() as f64 / seconds.max(1e-9),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_told_by_their_letters() {
        assert_eq!(script_of("Zoë Müller"), "latin");
        assert_eq!(script_of("محمد سلطانی"), "arabic");
        assert_eq!(script_of("Ирина Иванова"), "cyrillic");
        assert_eq!(script_of("王伟"), "cjk");
        assert_eq!(script_of("김민준"), "cjk");
        assert_eq!(script_of("สมชาย"), "other");
        assert_eq!(script_of("123"), "other");
    }
}
