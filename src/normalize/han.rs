//! Names in Han script (Chinese): romanized as pinyin, with the words that
//! make up company and institute names translated through the table
//! `data/terms/han.tsv` (compiled in), so that `华为技术有限公司` meets the
//! listed `HUAWEI TECHNOLOGIES CO., LTD.`.
//!
//! A name that also holds kana or Hangul is Japanese or Korean: its Han
//! characters are left as they are ([`romanizes`]).

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// The table, as shipped.
pub const HAN_TSV: &str = include_str!("../../data/terms/han.tsv");

/// A name with a run of Han characters this long or longer is read as a
/// company's or institute's name (Chinese writes them without spaces): its
/// runs are cut into the table's words, the rest romanized. A name of
/// shorter runs (a personal name: `秀兰 李`) is only romanized, so that a
/// given name is not read as words (`建国` is a name, not "construction").
pub const HAN_TERM_MIN_RUN: usize = 4;

/// Is the name read as a company's (some run of Han characters of
/// [`HAN_TERM_MIN_RUN`] or more), so its words are translated?
///
/// ```
/// use sanctions::normalize::han::translates;
/// assert!(translates("成都飞机工业（集团）有限责任公司"));
/// assert!(!translates("秀兰 李"));
/// ```
pub fn translates(name: &str) -> bool {
    let mut run = 0;
    for c in name.chars() {
        run = if is_han(c) { run + 1 } else { 0 };
        if run >= HAN_TERM_MIN_RUN {
            return true;
        }
    }
    false
}

/// How the romanized (untranslated) parts of a Han name are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HanReading {
    /// Each part as one word (`华为` is `huawei`), as names are written in English.
    Joined,
    /// Each syllable a word (`华为` is `hua wei`), and the table's other
    /// translation of a word where it gives one (`研究院`: `academy`
    /// beside `institute`): the second reading of a company's name.
    Syllables,
    /// The first syllable apart and the rest joined (`王秀兰` is `wang
    /// xiulan`): a whole personal name written without a space, family
    /// name first ([`lone_personal_name`]).
    FamilyFirst,
}

/// The most characters a personal name written as one run has (a family
/// name of one and a given name of one or two).
pub const PERSONAL_NAME_MAX_RUN: usize = 3;

/// Is the name one run of two or three Han characters and nothing else,
/// a whole personal name written without a space (`王秀兰`, `张伟`)?
///
/// ```
/// use sanctions::normalize::han::lone_personal_name;
/// assert!(lone_personal_name("王秀兰"));
/// assert!(!lone_personal_name("秀兰 王")); // given name and family name apart
/// assert!(!lone_personal_name("华为技术"));
/// ```
pub fn lone_personal_name(name: &str) -> bool {
    let name = name.trim();
    let n = name.chars().count();
    (2..=PERSONAL_NAME_MAX_RUN).contains(&n) && name.chars().all(is_han)
}

/// Is `c` a Han character (CJK unified ideographs, extension A, and the
/// compatibility ideographs that NFKC leaves)?
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Is `c` a kana (Japanese) or Hangul (Korean) letter?
fn is_kana_or_hangul(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{AC00}'..='\u{D7AF}')
}

/// Are the name's Han characters romanized: does it hold some and no kana
/// or Hangul (which make it Japanese or Korean, kept as today)?
///
/// ```
/// use sanctions::normalize::han::romanizes;
/// assert!(romanizes("华为技术有限公司"));
/// assert!(!romanizes("トヨタ自動車株式会社")); // Japanese
/// assert!(!romanizes("삼성전자 三星")); // Korean
/// assert!(!romanizes("HUAWEI"));
/// ```
pub fn romanizes(name: &str) -> bool {
    name.chars().any(is_han) && !name.chars().any(is_kana_or_hangul)
}

/// The parsed table: each Han variant to its translation and, when the
/// table gives one (`institute;academy`), the other usual one.
#[derive(Debug)]
pub struct HanTable {
    words: HashMap<String, (String, String)>,
    /// The most characters a variant has.
    longest: usize,
}

impl HanTable {
    /// Parse a table in the `han.tsv` format; errors name the line.
    pub fn parse(text: &str) -> Result<HanTable, String> {
        let mut words: HashMap<String, (String, String)> = HashMap::default();
        let mut longest = 1;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let [translation, variants] = line.split('\t').collect::<Vec<_>>()[..] else {
                return Err(format!(
                    "han.tsv:{}: expected 2 tab-separated fields",
                    i + 1
                ));
            };
            let (first, other) = translation
                .split_once(';')
                .unwrap_or((translation, translation));
            for t in [first, other] {
                if super::fold(t) != t || t.is_empty() {
                    return Err(format!(
                        "han.tsv:{}: translation {t:?} is not in folded form",
                        i + 1
                    ));
                }
            }
            for v in variants.split('|') {
                if v.is_empty() || !v.chars().all(is_han) {
                    return Err(format!(
                        "han.tsv:{}: variant {v:?} is not Han characters",
                        i + 1
                    ));
                }
                if let Some(before) = words.get(v) {
                    return Err(format!(
                        "han.tsv:{}: variant {v:?} is {before:?} already",
                        i + 1
                    ));
                }
                longest = longest.max(v.chars().count());
                words.insert(v.to_string(), (first.to_string(), other.to_string()));
            }
        }
        Ok(HanTable { words, longest })
    }

    /// The shipped table.
    pub fn shipped() -> &'static HanTable {
        static TABLE: OnceLock<HanTable> = OnceLock::new();
        TABLE
            .get_or_init(|| HanTable::parse(HAN_TSV).expect("data/terms/han.tsv is valid (tested)"))
    }

    /// The longest variant that starts `run`, as (characters, translation).
    fn longest_at(&self, run: &[char]) -> Option<(usize, &(String, String))> {
        let mut key = String::new();
        let mut best = None;
        for (n, c) in run.iter().take(self.longest).enumerate() {
            key.push(*c);
            if let Some(t) = self.words.get(&key) {
                best = Some((n + 1, t));
            }
        }
        best
    }

    /// A run of Han characters read as space-separated lower-case words:
    /// when `translate` (the name is a company's: [`translates`]), the
    /// longest variant at each place becomes its translation; the
    /// characters between are romanized, each part written as `reading` says.
    ///
    /// ```
    /// use sanctions::normalize::han::{HanReading, HanTable};
    /// let t = HanTable::shipped();
    /// let run = |s: &str, r| t.read(&s.chars().collect::<Vec<_>>(), r, s.chars().count() >= 4);
    /// assert_eq!(run("华为技术有限公司", HanReading::Joined), "huawei technology co ltd");
    /// assert_eq!(run("华为技术有限公司", HanReading::Syllables), "hua wei technology co ltd");
    /// assert_eq!(run("中国移动有限公司", HanReading::Joined), "china mobile co ltd");
    /// // A personal name is only romanized.
    /// assert_eq!(run("建国", HanReading::Joined), "jianguo");
    /// ```
    pub fn read(&self, run: &[char], reading: HanReading, translate: bool) -> String {
        let mut out: Vec<String> = Vec::new();
        let mut pending: Vec<&'static str> = Vec::new();
        let flush = |pending: &mut Vec<&'static str>, out: &mut Vec<String>| {
            if pending.is_empty() {
                return;
            }
            match reading {
                HanReading::Joined => out.push(pending.concat()),
                HanReading::Syllables => out.extend(pending.iter().map(|s| s.to_string())),
                HanReading::FamilyFirst => {
                    out.push(pending[0].to_string());
                    if pending.len() > 1 {
                        out.push(pending[1..].concat());
                    }
                }
            }
            pending.clear();
        };
        let mut i = 0;
        while i < run.len() {
            if translate && let Some((n, t)) = self.longest_at(&run[i..]) {
                flush(&mut pending, &mut out);
                // The other reading takes the other translation.
                out.push(if reading == HanReading::Syllables {
                    t.1.clone()
                } else {
                    t.0.clone()
                });
                i += n;
                continue;
            }
            match romanize(run[i]) {
                Some(syllable) => pending.push(syllable),
                None => {
                    // No reading known: the character stays as it is.
                    flush(&mut pending, &mut out);
                    out.push(run[i].to_string());
                }
            }
            i += 1;
        }
        flush(&mut pending, &mut out);
        out.join(" ")
    }
}

/// The pinyin of one Han character, without tones (its most common
/// reading), from the `pinyin` crate.
///
/// ```
/// assert_eq!(sanctions::normalize::han::romanize('华'), Some("hua"));
/// assert_eq!(sanctions::normalize::han::romanize('a'), None);
/// ```
pub fn romanize(c: char) -> Option<&'static str> {
    use pinyin::ToPinyin;
    c.to_pinyin().map(|p| p.plain())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> String {
        HanTable::shipped().read(
            &s.chars().collect::<Vec<_>>(),
            HanReading::Joined,
            translates(s),
        )
    }

    #[test]
    fn shipped_table_parses() {
        HanTable::parse(HAN_TSV).unwrap();
    }

    #[test]
    fn company_words_are_translated_and_the_rest_romanized() {
        for (han, want) in [
            (
                "中国航天科工集团有限公司",
                "china aerospace science and industry corporation",
            ),
            (
                "中國電子科技集團有限公司",
                "china electronics technology corporation",
            ),
            (
                "杭州海康威视数字技术股份有限公司",
                "hangzhou haikangweishi digital technology co ltd",
            ),
            ("中国铁建股份有限公司", "china railway construction co ltd"),
            (
                "重庆宗申航空发动机制造有限公司",
                "chongqing zongshen aero engine manufacturing co ltd",
            ),
            ("四川大学", "sichuan university"),
            ("中国航发动力股份有限公司", "aecc power co ltd"),
        ] {
            assert_eq!(read(han), want, "{han}");
        }
    }

    #[test]
    fn short_runs_are_names_and_only_romanized() {
        // `国` and `中` are table words in a company name, not in a given name.
        assert_eq!(read("国华"), "guohua");
        assert_eq!(read("秀兰"), "xiulan");
        assert_eq!(read("李"), "li");
    }

    #[test]
    fn chinese_names_meet_their_english_listing() {
        let texts = |s: &str| {
            crate::terms::analyze(s)
                .into_iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
        };
        for (han, english) in [
            ("华为技术有限公司", "HUAWEI TECHNOLOGIES CO., LTD."),
            ("華為技術有限公司", "Huawei Technologies Co., Ltd."),
            ("中国移动有限公司", "China Mobile Limited"),
            (
                "中国移动通信集团有限公司",
                "China Mobile Communications Corporation",
            ),
            (
                "中国铁建股份有限公司",
                "China Railway Construction Co., Ltd.",
            ),
            ("四川大学", "Sichuan University"),
        ] {
            let (mut h, mut e) = (texts(han), texts(english));
            h.sort();
            e.sort();
            assert_eq!(h, e, "{han} / {english}");
        }
    }

    #[test]
    fn japanese_and_korean_names_keep_their_characters() {
        assert_eq!(super::super::fold("トヨタ自動車"), "トヨタ自動車");
        // (Hangul is folded to its decomposed letters, as before.)
        assert!(super::super::fold("삼성 三星").ends_with(" 三星"));
        // A personal name in Han script alone is romanized, not translated.
        assert_eq!(super::super::fold("秀兰 李"), "xiulan li");
        assert_eq!(super::super::fold("建国 王"), "jianguo wang");
    }

    #[test]
    fn the_syllable_reading_splits_what_the_joined_one_joins() {
        use super::super::{Reading, words_read};
        let syllables = Reading {
            han: HanReading::Syllables,
            ..Reading::DEFAULT
        };
        assert_eq!(
            words_read("华为技术有限公司", syllables),
            ["hua", "wei", "technology", "co", "ltd"]
        );
        // A whole personal name in one run: family name apart.
        assert_eq!(super::super::fold("王秀兰"), "wang xiulan");
        assert_eq!(super::super::fold("秀兰 王"), "xiulan wang");
    }

    #[test]
    fn the_second_reading_takes_the_other_translation() {
        use super::super::{Reading, words_read};
        let other = Reading {
            han: HanReading::Syllables,
            ..Reading::DEFAULT
        };
        assert_eq!(
            read("中国工程物理研究院"),
            "china engineering physics institute"
        );
        assert_eq!(
            words_read("中国工程物理研究院", other),
            ["china", "engineering", "physics", "academy"]
        );
        assert!(HanTable::parse("a;B\t中国").is_err());
    }

    #[test]
    fn bad_tables_are_rejected_with_line() {
        assert!(HanTable::parse("china").unwrap_err().contains(":1:"));
        assert!(
            HanTable::parse("# c\nChina\t中国")
                .unwrap_err()
                .contains(":2:")
        );
        assert!(
            HanTable::parse("china\tzhongguo")
                .unwrap_err()
                .contains("Han")
        );
        assert!(
            HanTable::parse("china\t中国\nchinese\t中国")
                .unwrap_err()
                .contains(":2:")
        );
    }
}
