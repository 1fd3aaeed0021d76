//! Name normalization: the one place where published names and queries are
//! turned into comparable tokens. Pure functions only.
//!
//! The pipeline, applied identically to list names (once, at index build) and
//! to queries (once per query):
//!
//! 1. drop invisible characters (zero-width, soft hyphen, bidi marks, BOM);
//! 2. Unicode NFKC (full-width forms, ligatures, compatibility letters);
//! 3. look-alike letters: in a name that contains Latin letters, Cyrillic and
//!    Greek letters that look like Latin ones are folded to them (`МОВILE`);
//!    a name with no Latin letters is transliterated instead (`Морозов`);
//! 4. transliteration of the remaining Cyrillic, Greek and Arabic letters;
//!    Han script (Chinese) read through [`han`]: the words of company names
//!    translated, the rest romanized as pinyin;
//! 5. case folding and removal of diacritics (`é` → `e`, `ß` → `ss`);
//! 6. apostrophes removed (`JAMA'AT` → `jamaat`), other punctuation → space.
//!
//! Then [`crate::terms`] canonicalizes legal forms and abbreviations.

pub mod han;

use han::HanReading;
use std::ops::RangeInclusive;
use unicode_normalization::UnicodeNormalization;

/// Is `c` a character that renders as nothing (or nearly) and is used to
/// disguise names: zero-width spaces and joiners, soft hyphen, bidi marks,
/// word joiner, BOM, variation selectors.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{E0000}'..='\u{E007F}')
}

/// The Latin letter a lower-case Cyrillic or Greek letter is mistaken for,
/// if it looks like one (upper-case forms are folded to lower case first).
///
/// ```
/// assert_eq!(sanctions::normalize::confusable('о'), Some('o')); // Cyrillic o
/// assert_eq!(sanctions::normalize::confusable('ж'), None);
/// ```
pub fn confusable(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic (lower case; the upper-case look-alikes fold here too)
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' | 'є' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' | 'ү' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'і' | 'ї' | 'ӏ' => 'i',
        'ј' => 'j',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'һ' => 'h',
        'ɡ' => 'g',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ζ' => 'z',
        'η' => 'h',
        'ι' => 'i',
        'κ' => 'k',
        'μ' => 'm',
        'ν' => 'n',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'y',
        'χ' => 'x',
        'ϲ' => 'c',
        _ => return None,
    })
}

/// Latin transliteration of one lower-case Cyrillic, Greek or Arabic letter
/// (BGN/PCGN-style for Cyrillic, ELOT-style for Greek, a consonantal scheme
/// for Arabic), or of a Latin letter that has no decomposition.
///
/// ```
/// assert_eq!(sanctions::normalize::transliterate('ж'), Some("zh"));
/// assert_eq!(sanctions::normalize::transliterate('ß'), Some("ss"));
/// assert_eq!(sanctions::normalize::transliterate('a'), None);
/// ```
pub fn transliterate(c: char) -> Option<&'static str> {
    if GREEK.contains(&c) {
        greek(c)
    } else if CYRILLIC.contains(&c) {
        cyrillic(c)
    } else if HEBREW.contains(&c) {
        hebrew(c)
    } else if ARABIC.contains(&c) {
        arabic(c)
    } else {
        latin(c)
    }
}

/// The Unicode blocks [`transliterate`] reads by a table of their own; any
/// other letter is looked up among the Latin ones.
const GREEK: RangeInclusive<char> = '\u{0370}'..='\u{03FF}';
const CYRILLIC: RangeInclusive<char> = '\u{0400}'..='\u{04FF}';
const HEBREW: RangeInclusive<char> = '\u{0590}'..='\u{05FF}';
const ARABIC: RangeInclusive<char> = '\u{0600}'..='\u{06FF}';

/// Latin letters without a canonical decomposition.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŀ' => "l",
        _ => return None,
    })
}

/// Cyrillic: Russian, Ukrainian, Belarusian, Serbian, Macedonian, Kazakh
/// (BGN/PCGN-style).
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'ђ' => "dj",
        'ѓ' => "gj",
        'е' => "e",
        'ё' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'ѕ' => "dz",
        'и' => "i",
        'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'ј' => "j",
        'к' => "k",
        'қ' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'ң' => "n",
        'њ' => "nj",
        'о' => "o",
        'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "c",
        'ќ' => "kj",
        'у' => "u",
        'ў' => "u",
        'ү' | 'ұ' => "u",
        'ф' => "f",
        'х' => "kh",
        'һ' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'џ' => "dz",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'ғ' => "gh",
        'ә' => "a",
        _ => return None,
    })
}

/// Greek (ELOT-style).
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' | 'ά' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' | 'έ' => "e",
        'ζ' => "z",
        'η' | 'ή' => "i",
        'θ' => "th",
        'ι' | 'ί' | 'ϊ' | 'ΐ' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' | 'ό' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' | 'ύ' | 'ϋ' | 'ΰ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' | 'ώ' => "o",
        _ => return None,
    })
}

/// Arabic and Persian (consonants; short vowels are not written).
fn arabic(c: char) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' => "a",
        'ء' | 'ئ' | 'ؤ' => "",
        'ب' => "b",
        'پ' => "p",
        'ت' => "t",
        // Tā' marbūṭa ends a word in `a` (`حمزة` is `hamza`).
        'ة' => "a",
        'ث' => "th",
        'ج' => "j",
        'چ' => "ch",
        'ح' => "h",
        'خ' => "kh",
        'د' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' => "z",
        'ژ' => "zh",
        'س' => "s",
        'ش' => "sh",
        'ص' => "s",
        'ض' => "d",
        'ط' => "t",
        'ظ' => "z",
        'ع' => "",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ه' | 'ۀ' | 'ھ' => "h",
        'و' => "w",
        'ي' | 'ى' | 'ی' => "y",
        'ـ' => "",
        _ => return None,
    })
}

/// Hebrew (consonants; vowels are not written).
fn hebrew(c: char) -> Option<&'static str> {
    Some(match c {
        'א' => "a",
        'ב' => "b",
        'ג' => "g",
        'ד' => "d",
        'ה' => "h",
        'ו' => "v",
        'ז' => "z",
        'ח' => "kh",
        'ט' => "t",
        'י' => "y",
        'כ' | 'ך' => "k",
        'ל' => "l",
        'מ' | 'ם' => "m",
        'נ' | 'ן' => "n",
        'ס' => "s",
        'ע' => "",
        'פ' | 'ף' => "p",
        'צ' | 'ץ' => "z",
        'ק' => "k",
        'ר' => "r",
        'ש' => "sh",
        'ת' => "t",
        _ => return None,
    })
}

/// Does the name contain Arabic-script (or Hebrew) letters? Such a name was
/// transliterated by [`fold`], which writes no short vowels.
///
/// ```
/// assert!(sanctions::normalize::has_arabic("قاسم الريمي"));
/// assert!(!sanctions::normalize::has_arabic("Qasim al-Rimi"));
/// ```
pub fn has_arabic(name: &str) -> bool {
    name.chars().any(is_arabic_letter)
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0620}'..='\u{064A}').contains(&c)
        || ('\u{066E}'..='\u{06D3}').contains(&c)
        || is_hebrew_letter(c)
}

fn is_hebrew_letter(c: char) -> bool {
    ('\u{05D0}'..='\u{05EA}').contains(&c)
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && is_letter(c))
}

fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02BB}'
            | '\u{02BE}'
            | '\u{02BF}'
            | '`'
            | '\u{00B4}'
            | '\u{2032}'
    )
}

/// Fold a name to lower-case, space-separated words of Latin letters and
/// digits (other scripts without a transliteration, such as Japanese and
/// Korean, are kept; Chinese is read by [`han`]).
///
/// ```
/// use sanctions::normalize::fold;
/// assert_eq!(fold("Société  Générale, S.A."), "societe generale s a");
/// assert_eq!(fold("МОВILE"), "mobile"); // Cyrillic М, О, В among Latin letters
/// assert_eq!(fold("Морозов"), "morozov"); // all Cyrillic: transliterated
/// assert_eq!(fold("HIK\u{200B}VISION"), "hikvision");
/// assert_eq!(fold("JAMA'AT"), "jamaat");
/// assert_eq!(fold("ＳＥＮＳＥＴＩＭＥ"), "sensetime");
/// assert_eq!(fold("عبد القادر"), "abdalqadr");
/// assert_eq!(fold("سيف الله بن عمر"), "sif allah bin amr");
/// assert_eq!(fold("נריה בן פזי"), "nrih bin pzi"); // Hebrew: Neriya ben Pazi
/// assert_eq!(fold("华为技术有限公司"), "huawei technology co ltd");
/// ```
pub fn fold(name: &str) -> String {
    fold_with(name, Reading::DEFAULT)
}

/// Does the name mix Latin letters with Cyrillic or Greek ones? Then
/// [`fold`] reads the others as Latin look-alikes (a disguise), but the name
/// may as well be Cyrillic with a stray Latin letter (`НIКОНОРОВА`, with a
/// Latin I for the Ukrainian І): [`fold_transliterated`] reads it so.
///
/// ```
/// assert!(sanctions::normalize::mixes_scripts("НIКОНОРОВА"));
/// assert!(!sanctions::normalize::mixes_scripts("Морозов Oleg"));
/// ```
pub fn mixes_scripts(name: &str) -> bool {
    name.split(|c: char| !is_letter(c))
        .any(|w| w.chars().any(is_latin_letter) && w.chars().any(is_cyrillic_or_greek))
}

/// Is the name written wholly in Cyrillic or Greek letters that all look
/// like Latin ones (`РАЕС`, `ТОМСК`)? Then [`fold`] transliterates it
/// (`raes`), but it may as well be a Latin name spelt in look-alikes
/// (`PAEC`): [`fold_lookalikes`] reads it so.
///
/// ```
/// use sanctions::normalize::only_lookalikes;
/// assert!(only_lookalikes("РАЕС"));
/// assert!(!only_lookalikes("Морозов")); // з has no Latin look-alike
/// assert!(!only_lookalikes("PAEC")); // Latin already
/// ```
pub fn only_lookalikes(name: &str) -> bool {
    let mut any = false;
    for c in name.chars().filter(|c| is_letter(*c)) {
        let lower = c.to_lowercase().next().unwrap_or(c);
        if !is_cyrillic_or_greek(c) || confusable(lower).is_none() {
            return false;
        }
        any = true;
    }
    any
}

fn is_cyrillic_or_greek(c: char) -> bool {
    ('\u{0370}'..='\u{052F}').contains(&c)
}

/// [`fold`] without the look-alike step: every Cyrillic and Greek letter is
/// transliterated.
///
/// ```
/// assert_eq!(sanctions::normalize::fold_transliterated("НIКОНОРОВА"), "nikonorova");
/// ```
pub fn fold_transliterated(name: &str) -> String {
    fold_with(
        name,
        Reading {
            lookalikes: Lookalikes::Never,
            ..Reading::DEFAULT
        },
    )
}

/// [`fold`] reading every Cyrillic and Greek look-alike as its Latin letter,
/// even in a name without Latin letters.
///
/// ```
/// assert_eq!(sanctions::normalize::fold_lookalikes("РАЕС"), "paec");
/// ```
pub fn fold_lookalikes(name: &str) -> String {
    fold_with(
        name,
        Reading {
            lookalikes: Lookalikes::Always,
            ..Reading::DEFAULT
        },
    )
}

/// When folding (`fold_with`) reads Cyrillic and Greek look-alikes as Latin letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookalikes {
    /// When the name has Latin letters too ([`fold`]).
    Auto,
    /// Never: every Cyrillic and Greek letter is transliterated ([`fold_transliterated`]).
    Never,
    /// Always, even without Latin letters ([`fold_lookalikes`]).
    Always,
}

/// How a name is read where it may be read more than one way: its
/// Cyrillic and Greek look-alikes, and the romanized parts of a Chinese name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// When look-alikes are read as Latin letters.
    pub lookalikes: Lookalikes,
    /// How the romanized parts of a name in Han script are written.
    pub han: HanReading,
    /// Are letters written with dots and no spaces (`A.B.C.`) read as one
    /// word, an acronym (`abc`), rather than as initials?
    pub dotted_as_word: bool,
    /// Is the Hebrew letter `ש` read `s` rather than `sh` before `ט` or
    /// `פ`, as names from German and Yiddish write `st` and `sp` (rule
    /// `hebrew_st_sp`)?
    pub hebrew_sin: bool,
    /// Is `عبد ال...` read as the name of God it serves, `al ...`, which
    /// lists in Latin letters write apart from its `Abdul` (rule
    /// `arabic_abd_apart`), rather than as one name (`abdalstar`)?
    pub abd_apart: bool,
}

impl Reading {
    /// [`fold`]'s reading.
    pub const DEFAULT: Reading = Reading {
        lookalikes: Lookalikes::Auto,
        han: HanReading::Joined,
        dotted_as_word: false,
        hebrew_sin: false,
        abd_apart: false,
    };
}

/// The other way a name may be read, when [`fold`]'s is in doubt: a name
/// mixing scripts may be Cyrillic with a stray Latin letter
/// ([`mixes_scripts`]), one wholly in look-alikes may be Latin
/// ([`only_lookalikes`]); a Chinese company's name romanized with its
/// parts joined (`huawei`) may be listed by syllables (`HUA WEI`). A
/// Chinese personal name is read one way: given names joined, as they are
/// written in Latin letters (read by syllables, `秀兰 李` would be a
/// three-word name that a listed `LI Xiu` half meets).
///
/// ```
/// use sanctions::normalize::{han::HanReading, other_reading, Lookalikes};
/// assert_eq!(other_reading("НIКОНОРОВА").map(|r| r.lookalikes), Some(Lookalikes::Never));
/// assert_eq!(other_reading("РАЕС").map(|r| r.lookalikes), Some(Lookalikes::Always));
/// assert_eq!(other_reading("华为技术").map(|r| r.han), Some(HanReading::Syllables));
/// assert_eq!(other_reading("Морозов"), None);
/// assert_eq!(other_reading("秀兰 李"), None); // a personal name
/// assert!(other_reading("A.B.C. Trading").is_some_and(|r| r.dotted_as_word));
/// ```
///
/// Letters written with dots and no spaces (`A.B.C.`) are initials
/// (`J.R. Smith`) or an acronym (`ABC`): read as initials, and as one word.
pub fn other_reading(name: &str) -> Option<Reading> {
    if has_dotted_letters(name) {
        return Some(Reading {
            dotted_as_word: true,
            ..Reading::DEFAULT
        });
    }
    let lookalikes = if mixes_scripts(name) {
        Lookalikes::Never
    } else if only_lookalikes(name) {
        Lookalikes::Always
    } else if han::romanizes(name) && han::translates(name) {
        return Some(Reading {
            han: HanReading::Syllables,
            ..Reading::DEFAULT
        });
    } else if has_arabic_abd(name) {
        // Rule `arabic_abd_apart`: `عبد الستار` is one name, `abdalstar`,
        // which Latin lists write glued (`ABDULASATTAR`) or apart, and then
        // not always beside each other (`MANAN, Haji Abdul Satar Haji
        // Abdul`): the name is also read by the names of God alone
        // (`al star`), the listed `Abdul`s then costing what a missing
        // word costs.
        return Some(Reading {
            abd_apart: true,
            ..Reading::DEFAULT
        });
    } else if has_hebrew_st_sp(name) {
        // Rule `hebrew_st_sp`: a name from German or Yiddish writes `שט`
        // for `st` and `שפ` for `sp` (`גופשטיין` is `GOPSTEIN`, `שטרן` is
        // `STERN`), which Hebrew reads `sht`, `shp`.
        return Some(Reading {
            hebrew_sin: true,
            ..Reading::DEFAULT
        });
    } else {
        return None;
    };
    Some(Reading {
        lookalikes,
        ..Reading::DEFAULT
    })
}

/// The pipeline of the module doc, read as `reading` says.
fn fold_with(name: &str, reading: Reading) -> String {
    let nfkc = visible_nfkc(name);
    let has_latin = match reading.lookalikes {
        Lookalikes::Auto => nfkc.chars().any(is_latin_letter),
        Lookalikes::Never => false,
        Lookalikes::Always => true,
    };
    let nfkc = if reading.dotted_as_word {
        join_dotted_letters(&nfkc)
    } else {
        nfkc
    };
    let han = han::romanizes(&nfkc).then(|| {
        let how = if reading.han == HanReading::Joined && han::lone_personal_name(&nfkc) {
            HanReading::FamilyFirst
        } else {
            reading.han
        };
        (how, han::translates(&nfkc))
    });
    words_of_letters(&map_letters(&nfkc, has_latin, han, reading))
}

/// The fewest letters written with dots (`A.B.`) read as an acronym.
const DOTTED_LETTERS_MIN: usize = 2;

/// The fewest letters written apart, with spaces (`A B C`, `A. B. C.`),
/// read as an acronym: two are as often initials (`J. R. Smith`).
const SPACED_LETTERS_MIN: usize = 3;

/// The runs of letters each alone between dots, with no space (`A.B.C.`,
/// `U.S.A`), or [`SPACED_LETTERS_MIN`] Latin letters or more each alone
/// between dots and spaces (`A B C`, `A. B. C.`), as (start, end) char
/// indices of the run.
fn dotted_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let alone = |i: usize| {
        is_letter(chars[i])
            && (i == 0 || !is_letter_or_digit(chars[i - 1]))
            && !chars.get(i + 1).is_some_and(|c| is_letter_or_digit(*c))
    };
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let mut letters = 0;
        let mut spaced = false;
        // A letter alone, then a dot, then the next letter at once; or a
        // letter alone, dots and spaces, then the next letter alone.
        while i < chars.len() && alone(i) {
            letters += 1;
            let gap = (chars[i + 1..].iter())
                .take_while(|c| **c == '.' || **c == ' ')
                .count();
            let next = i + 1 + gap;
            if chars.get(i + 1) == Some(&'.') && chars.get(i + 2).is_some_and(|c| is_letter(*c)) {
                i += 2;
            } else if gap > 0
                && next < chars.len()
                && alone(next)
                && is_latin_letter(chars[i])
                && is_latin_letter(chars[next])
            {
                spaced = true;
                i = next;
            } else {
                i += 1;
                break;
            }
        }
        let least = if spaced {
            SPACED_LETTERS_MIN
        } else {
            DOTTED_LETTERS_MIN
        };
        if letters >= least {
            runs.push((start, i));
        } else {
            i = start + 1;
        }
    }
    runs
}

/// Does the name hold letters written with dots and no spaces (`A.B.C.`)?
fn has_dotted_letters(name: &str) -> bool {
    !dotted_runs(&name.chars().collect::<Vec<_>>()).is_empty()
}

/// The name with each run of dotted letters written as one word:
/// `A.B.C. Trading` is `ABC. Trading`.
fn join_dotted_letters(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let runs = dotted_runs(&chars);
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    for (start, end) in runs {
        out.extend(&chars[i..start]);
        out.extend(
            chars[start..end]
                .iter()
                .filter(|c| **c != '.' && **c != ' '),
        );
        i = end;
    }
    out.extend(&chars[i..]);
    out
}

/// Steps 1 and 2 of the pipeline: invisible characters dropped, then NFKC.
fn visible_nfkc(name: &str) -> String {
    // ASCII is its own NFKC and NFD and holds no invisible characters; so
    // is a name of characters each its own NFKC that nothing composes with.
    if name.is_ascii() || name.chars().all(is_nfkc_inert) {
        name.to_string()
    } else {
        name.chars().filter(|c| !is_invisible(*c)).nfkc().collect()
    }
}

/// Does NFKC leave `c` as it is wherever it stands? True of a visible
/// character of the Basic Multilingual Plane that is a starter (combining
/// class 0), is no character's second part in a canonical decomposition,
/// and decomposes to nothing but itself, or to a starter of that kind and
/// marks that compose back into it (`é`, `й`). In a text of such
/// characters each decomposition begins with a starter, which no mark
/// crosses and nothing before composes with: each composes back to itself,
/// and the text is its own NFKC. Most names
/// in Cyrillic, Arabic, Hebrew, Greek or Han script are (composing them
/// again cost some 9,000 instructions a name). Read from a `PlaneSet` made once.
fn is_nfkc_inert(c: char) -> bool {
    static INERT: std::sync::OnceLock<PlaneSet> = std::sync::OnceLock::new();
    INERT
        .get_or_init(|| {
            use unicode_normalization::char::{
                canonical_combining_class, decompose_canonical, decompose_compatible,
            };
            // The second parts of canonical decompositions (which end below
            // U+30000), the ones a composition may join to what precedes them.
            let mut second = PlaneSet::empty();
            for c in (0..0x3_0000u32).filter_map(char::from_u32) {
                let mut k = 0;
                decompose_canonical(c, |d| {
                    if k > 0 {
                        second.insert(d);
                    }
                    k += 1;
                });
            }
            let is_second = |d: char| !PlaneSet::holds(d) || second.contains(d);
            PlaneSet::of(|c| {
                // Its decomposition begins with a starter nothing composes
                // with, and NFKC makes it again (`é`, `й`).
                let mut parts = Vec::new();
                decompose_compatible(c, |d| parts.push(d));
                let first = parts[0];
                canonical_combining_class(c) == 0
                    && canonical_combining_class(first) == 0
                    && !is_second(c)
                    && !is_second(first)
                    && !is_invisible(c)
                    && (parts == [c] || parts.iter().copied().nfkc().eq([c]))
            })
        })
        .contains(c)
}

/// A set of characters of the Basic Multilingual Plane, a bit each (8 KiB):
/// what a table search of the standard library or of Unicode's data
/// answers for a character, asked once for the whole plane.
struct PlaneSet(Box<[u64]>);

impl PlaneSet {
    /// Nothing.
    fn empty() -> PlaneSet {
        PlaneSet(vec![0; 0x1_0000 / 64].into_boxed_slice())
    }

    /// The characters of the plane that `keep` keeps.
    fn of(keep: impl Fn(char) -> bool) -> PlaneSet {
        let mut set = PlaneSet::empty();
        for c in (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| keep(c))
        {
            set.insert(c);
        }
        set
    }

    /// Is `c` of the plane (may the set hold it)?
    fn holds(c: char) -> bool {
        (c as u32) < 0x1_0000
    }

    /// Add `c`, if it is of the plane.
    fn insert(&mut self, c: char) {
        let u = c as usize;
        if PlaneSet::holds(c) {
            self.0[u / 64] |= 1 << (u % 64);
        }
    }

    /// Is `c` in the set (never, beyond the plane)?
    fn contains(&self, c: char) -> bool {
        let u = c as usize;
        PlaneSet::holds(c) && self.0[u / 64] >> (u % 64) & 1 == 1
    }
}

/// Is `c` a letter ([`char::is_alphabetic`])? Beyond ASCII the standard
/// library searches a table for each character; the characters of the
/// Basic Multilingual Plane, where names are written, are read from a
/// `PlaneSet` made once, which normalizing a million names asks some
/// seven million times.
pub fn is_letter(c: char) -> bool {
    static LETTERS: std::sync::OnceLock<PlaneSet> = std::sync::OnceLock::new();
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if PlaneSet::holds(c) {
        LETTERS
            .get_or_init(|| PlaneSet::of(char::is_alphabetic))
            .contains(c)
    } else {
        c.is_alphabetic()
    }
}

/// Is `c` a letter or a digit ([`char::is_alphanumeric`]), by [`is_letter`]?
pub fn is_letter_or_digit(c: char) -> bool {
    is_letter(c) || c.is_numeric()
}

/// `عبد ال` (servant of the ...), which begins a name of God.
const ARABIC_ABD_AL: [char; 6] = ['ع', 'ب', 'د', ' ', 'ا', 'ل'];

/// Does a name write `عبد ال...` as a word of its own (rule
/// `arabic_abd_apart`)?
fn has_arabic_abd(name: &str) -> bool {
    // Asked of every name screened: the text is searched, not copied.
    name.char_indices().any(|(at, c)| {
        let rest = &name[at..];
        c == ARABIC_ABD_AL[0]
            && !name[..at].chars().next_back().is_some_and(is_letter)
            && rest.chars().take(ARABIC_ABD_AL.len()).eq(ARABIC_ABD_AL)
            && rest
                .chars()
                .nth(ARABIC_ABD_AL.len())
                .is_some_and(is_arabic_letter)
    })
}

/// Does a name write `ש` before `ט` or `פ` (rule `hebrew_st_sp`)?
fn has_hebrew_st_sp(name: &str) -> bool {
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'ש' && matches!(chars.peek(), Some('ט' | 'פ' | 'ף')) {
            return true;
        }
    }
    false
}

/// The fewest letters a word joined to `بن` keeps for rule
/// `arabic_glued_bin` to read them apart.
const GLUED_BIN_REST: usize = 3;

/// Steps 3 and 4: each letter lower-cased, and read as its Latin look-alike
/// (in a name with Latin letters, `has_latin`) or transliterated, with the
/// Arabic and Hebrew word rules (`bin`, `allah`, `abdal`, the article, a
/// word-initial ʿayn, the vowels و and ي); runs of Han characters read by
/// [`han::HanTable::read`] when `han` says how and whether its words are
/// translated (a Chinese name).
fn map_letters(
    nfkc: &str,
    has_latin: bool,
    han: Option<(HanReading, bool)>,
    reading: Reading,
) -> String {
    let (hebrew_sin, abd_apart) = (reading.hebrew_sin, reading.abd_apart);
    let mut mapped = String::with_capacity(nfkc.len());
    let chars: Vec<char> = nfkc.chars().collect();
    // Whether each character is a letter, asked once (a table search for
    // each one beyond ASCII, asked of each character three times before).
    let alpha: Vec<bool> = chars.iter().map(|c| is_letter(*c)).collect();
    let mut i = 0;
    // Does the word at hand read its look-alikes as Latin letters?
    let mut word_folds = has_latin;
    // Does a word split from the article (`ال`) begin here?
    let mut after_article = false;
    // Has the name written `بن` (son of) as a word of its own: a nasab?
    let mut nasab = false;
    while i < chars.len() {
        let word_start = i == 0 || !alpha[i - 1];
        if word_start {
            word_folds = has_latin && may_be_disguised(&chars[i..], &alpha[i..]);
        }
        if let Some((reading, translate)) = han
            && han::is_han(chars[i])
        {
            let run = chars[i..].iter().take_while(|c| han::is_han(**c)).count();
            mapped.push(' ');
            mapped.push_str(&han::HanTable::shipped().read(&chars[i..i + run], reading, translate));
            mapped.push(' ');
            i += run;
            continue;
        }
        // A word written after the article begins as any word does (rule
        // `arabic_word_after_article`): `العياشي` is `al aiashi`, its ʿayn
        // heard as a vowel; `اليزيد` is `al yzid`, its ي a consonant.
        let letter_starts = word_start || std::mem::take(&mut after_article);
        // Whole Arabic words with a settled Latin form: بن (son of) is `bin`,
        // الله is `allah`.
        if word_start {
            let word_end = |n: usize| !alpha.get(i + n).copied().unwrap_or(false);
            if (chars[i..].starts_with(&['ب', 'ن']) || chars[i..].starts_with(&['ב', 'ן']))
                && word_end(2)
            {
                mapped.push_str("bin");
                i += 2;
                nasab = true;
                continue;
            }
            // In a nasab, a later `بن` written joined to the father's name
            // is read apart (rule `arabic_glued_bin`): in `سيف الله بن عمر بن
            // محمد بنحسين` the last word is `bin hsin`. Only after a `بن` of its
            // own, and before three letters or more: a name of its own
            // (`بنيامين`, `بنان`) does not follow one.
            if nasab
                && chars[i..].starts_with(&['ب', 'ن'])
                && (2..GLUED_BIN_REST + 2)
                    .all(|n| chars.get(i + n).is_some_and(|c| is_arabic_letter(*c)))
            {
                mapped.push_str("bin ");
                i += 2;
                after_article = true;
                continue;
            }
            if chars[i..].starts_with(&['ا', 'ل', 'ل', 'ه']) && word_end(4) {
                mapped.push_str("allah");
                i += 4;
                continue;
            }
        }
        // `عبد ال...` (servant of ...) is one name, written as one word in
        // Latin (`ABDELKADER`): `عبد القادر` is `abdalqadr`.
        if word_start && chars[i..].starts_with(&ARABIC_ABD_AL) {
            if abd_apart {
                // Rule `arabic_abd_apart`: the name of God alone, after its
                // article (`عبد الستار` is `al star`).
                mapped.push_str("al ");
                after_article = true;
            } else {
                mapped.push_str("abdal");
            }
            i += 6;
            continue;
        }
        // The Arabic article is written joined to its word: `التكريتي` is `al tkryty`.
        if word_start
            && chars[i] == 'ا'
            && chars.get(i + 1) == Some(&'ل')
            && chars.get(i + 2).is_some_and(|c| is_arabic_letter(*c))
        {
            mapped.push_str("al ");
            i += 2;
            after_article = true;
            continue;
        }
        // `أبو ال...` (father of ...), a kunya, is written joined in Arabic
        // script and apart in Latin (`Abou El Yazid`): `أبواليزيد` is
        // `abu al yzid` (rule `arabic_kunya_apart`).
        if word_start
            && matches!(chars[i], 'ا' | 'أ')
            && chars[i + 1..].starts_with(&['ب', 'و', 'ا', 'ل'])
            && chars.get(i + 5).is_some_and(|c| is_arabic_letter(*c))
        {
            mapped.push_str("abu al ");
            i += 5;
            after_article = true;
            continue;
        }
        if hebrew_sin && chars[i] == 'ש' && matches!(chars.get(i + 1), Some('ט' | 'פ' | 'ף')) {
            mapped.push('s');
            i += 1;
            continue;
        }
        // A word-initial ʿayn is heard as its vowel: `عبد` is `abd`, `علي` is `ali`.
        if letter_starts && chars[i] == 'ع' {
            mapped.push('a');
            i += 1;
            continue;
        }
        // Inside an Arabic word, و and ي mostly write the vowels u and i.
        if !letter_starts
            && matches!(chars[i], 'و' | 'ي' | 'ی' | 'ו' | 'י')
            && is_arabic_letter(chars[i - 1])
        {
            mapped.push(if matches!(chars[i], 'و' | 'ו') {
                'u'
            } else {
                'i'
            });
            i += 1;
            continue;
        }
        for c in chars[i].to_lowercase() {
            if word_folds && let Some(l) = confusable(c) {
                mapped.push(l);
            } else if let Some(t) = transliterate(c) {
                mapped.push_str(t);
            } else if let Some(l) = confusable(c) {
                // A look-alike without a transliteration of its own (`ԁ`).
                mapped.push(l);
            } else {
                mapped.push(c);
            }
        }
        i += 1;
    }
    mapped
}

/// Can the word at the start of `chars` be a Latin word disguised with
/// look-alikes (rule `cyrillic_word_in_latin_name`)? It can if it holds a
/// Latin letter (`МОВILE`) or if every Cyrillic or Greek letter of it looks
/// like a Latin one (`АВС`); a word wholly in those scripts with a letter no
/// Latin one looks like (`Рособоронэкспорт`: б, э) is no disguise, whatever
/// the other words of the name are (`AO Рособоронэкспорт`), and is
/// transliterated.
fn may_be_disguised(chars: &[char], alpha: &[bool]) -> bool {
    let word = (chars.iter().zip(alpha))
        .take_while(|(_, a)| **a)
        .map(|(c, _)| c);
    let mut latin = false;
    let mut all_alike = true;
    for &c in word {
        if is_latin_letter(c) {
            latin = true;
        } else if is_cyrillic_or_greek(c) {
            let lower = c.to_lowercase().next().unwrap_or(c);
            all_alike &= confusable(lower).is_some();
        }
    }
    latin || all_alike
}

/// Steps 5 and 6: diacritics and apostrophes removed, every other
/// character that is not a letter or digit a word break, words joined by
/// one space.
fn words_of_letters(mapped: &str) -> String {
    let mut out = String::with_capacity(mapped.len());
    let mut pending_space = false;
    let decomposed: Box<dyn Iterator<Item = char> + '_> = if mapped.is_ascii() {
        Box::new(mapped.chars())
    } else {
        Box::new(mapped.nfd())
    };
    for c in decomposed {
        if is_combining(c) || is_apostrophe(c) {
            continue;
        }
        // A letter decomposed from a precomposed one may still need mapping (e.g. `ё` → `е`).
        let c = c.to_lowercase().next().unwrap_or(c);
        if is_letter_or_digit(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            match transliterate(c) {
                Some(t) => out.push_str(t),
                None => out.push(c),
            }
        } else {
            pending_space = true;
        }
    }
    if out.is_ascii() {
        out
    } else {
        // Dropping an apostrophe may have brought two marks of other scripts
        // together out of canonical order: put them in order, so that
        // folding twice changes nothing.
        out.nfd().collect()
    }
}

/// The ways one input name may be several: the whole name first, then the
/// name without its parenthesized parts, each parenthesized part of two or
/// more words (`عبدالله السندي (Abdullah Sindhi)`), and each alternative of a
/// name joined by ` or ` or `;` (`Банк "ВБРР" (АО) or Акционерное Общество
/// ...`), each side of a slash between names of two words or more (a name
/// in two languages), and a name written in Latin letters then again in its
/// own script, each half. The matcher scores every part and keeps the best.
///
/// ```
/// use sanctions::normalize::name_parts;
/// assert_eq!(name_parts("HIKVISION"), vec!["HIKVISION"]);
/// assert_eq!(
///     name_parts("Ibrahim Asiri (إبراهيم عسيري)"),
///     vec!["Ibrahim Asiri (إبراهيم عسيري)", "Ibrahim Asiri", "إبراهيم عسيري"]
/// );
/// assert_eq!(name_parts("MOALLEM INSURANCE CO (MIC)"), vec!["MOALLEM INSURANCE CO (MIC)", "MOALLEM INSURANCE CO"]);
/// assert_eq!(name_parts("Bank A or Bank B"), vec!["Bank A or Bank B", "Bank A", "Bank B"]);
/// assert_eq!(
///     name_parts("Agha Jan Alizai اغا جان عالیزی"),
///     vec!["Agha Jan Alizai اغا جان عالیزی", "Agha Jan Alizai", "اغا جان عالیزی"]
/// );
/// assert_eq!(
///     name_parts("Guard Corps/Corps des Gardiens"),
///     vec!["Guard Corps/Corps des Gardiens", "Guard Corps", "Corps des Gardiens"]
/// );
/// assert_eq!(name_parts("MAERSK A/S"), vec!["MAERSK A/S"]);
/// assert_eq!(name_parts("Иван Petrov"), vec!["Иван Petrov"]);
/// ```
pub fn name_parts(name: &str) -> Vec<String> {
    /// More parts than this are ignored (a pathological input stays cheap).
    const MAX_PARTS: usize = 6;
    let mut parts: Vec<String> = vec![name.to_string()];
    let mut push = |p: &str| {
        let p = p
            .trim()
            .trim_matches(|c: char| c == ',' || c.is_whitespace());
        if p.chars().any(is_letter_or_digit)
            && parts.len() < MAX_PARTS
            && !parts.iter().any(|x| x == p)
        {
            parts.push(p.to_string());
        }
    };
    // Parenthesized parts: the name outside them, and each inside of two or more words.
    let mut outside = String::new();
    let mut inside: Vec<String> = Vec::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    inside.push(String::new());
                }
            }
            ')' | ']' if depth > 0 => depth -= 1,
            _ if depth > 0 => {
                if let Some(last) = inside.last_mut() {
                    last.push(c);
                }
            }
            _ => outside.push(c),
        }
    }
    // Alternatives: split on ` or ` (any case) and `;` (ASCII bytes, so
    // always on char boundaries); one piece means there were none.
    let alternatives = |s: &str| -> Vec<String> {
        let (b, mut out, mut start, mut i) = (s.as_bytes(), vec![], 0, 0);
        while i < b.len() {
            if b[i] == b';' {
                out.push(s[start..i].to_string());
                start = i + 1;
            } else if b[i..].len() >= 4
                && b[i] == b' '
                && b[i + 3] == b' '
                && b[i + 1..i + 3].eq_ignore_ascii_case(b"or")
            {
                out.push(s[start..i].to_string());
                start = i + 4;
                i += 3;
            }
            i += 1;
        }
        if out.is_empty() {
            return out;
        }
        out.push(s[start..].to_string());
        out
    };
    if !inside.is_empty() {
        push(&outside);
    }
    for p in alternatives(&outside) {
        push(&p);
    }
    for p in &inside {
        if words(p).len() >= 2 {
            push(p);
        }
    }
    // A name given in two languages joined by a slash (`Islamic
    // Revolutionary Guard Corps/Corps des Gardiens de la Révolution
    // islamique`), each side of two words or more (`A/S` is one legal form).
    let slashed: Vec<&str> = outside.split('/').collect();
    if slashed.len() > 1 && slashed.iter().all(|p| words(p).len() >= 2) {
        for p in slashed {
            push(p);
        }
    }
    // A name written in Latin letters and again in its own script, one after
    // the other (`Agha Jan Alizai اغا جان عالیزی`).
    for p in script_runs(&outside) {
        push(p);
    }
    for p in cyrillic_dash_parts(&outside) {
        push(p);
    }
    parts
}

/// Rule `cyrillic_full_and_short_form`: a Russian register writes an
/// organization's full name, a spaced dash, then its short name
/// (`Центр аддитивных технологий - ЦАТ`): in a name of Cyrillic letters and
/// no Latin ones, each side of a dash between spaces and outside quotes is
/// a part. A dash inside quotes is part of the name (`«АГАТ - системы»`);
/// Latin names are left whole (`Golar LNG Partners LP - Common`).
fn cyrillic_dash_parts(name: &str) -> Vec<&str> {
    let cyrillic = name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if !cyrillic || name.chars().any(is_latin_letter) {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let mut chars = name.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '«' | '„' | '“' => quoted = true,
            '»' | '”' => quoted = false,
            '"' => quoted = !quoted,
            '-' | '–' | '—'
                if !quoted
                    && name[..i].ends_with(' ')
                    && chars.peek().is_some_and(|(_, n)| *n == ' ') =>
            {
                parts.push(&name[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        return parts;
    }
    parts.push(&name[start..]);
    parts
}

/// The two halves of a name written in Latin letters and in another
/// script, one after the other, each of two words or more: no word mixes
/// the two (a look-alike disguise is one name).
fn script_runs(name: &str) -> Vec<&str> {
    // Per word: Some(true) Latin, Some(false) another script, None no letter.
    let script = |w: &str| {
        let latin = w.chars().any(is_latin_letter);
        let other = w.chars().any(|c| is_letter(c) && !is_latin_letter(c));
        match (latin, other) {
            (true, true) => Err(()),
            (true, false) => Ok(Some(true)),
            (false, true) => Ok(Some(false)),
            (false, false) => Ok(None),
        }
    };
    let mut runs: Vec<(bool, usize, usize, usize)> = Vec::new(); // (latin, start, end, words)
    let mut at = 0;
    for w in name.split_whitespace() {
        let start = at + name[at..].find(w).unwrap_or(0);
        at = start + w.len();
        let Ok(kind) = script(w) else {
            return Vec::new();
        };
        let Some(latin) = kind else { continue };
        match runs.last_mut() {
            Some(r) if r.0 == latin => {
                r.2 = at;
                r.3 += 1;
            }
            _ => runs.push((latin, start, at, 1)),
        }
    }
    match runs[..] {
        [a, b] if a.3 >= 2 && b.3 >= 2 => vec![&name[a.1..a.2], &name[b.1..b.2]],
        _ => Vec::new(),
    }
}

/// [`fold`], split into words.
///
/// ```
/// assert_eq!(sanctions::normalize::words("ABBAS, Abu"), vec!["abbas", "abu"]);
/// ```
pub fn words(name: &str) -> Vec<String> {
    words_read(name, Reading::DEFAULT)
}

/// A name folded as `reading` says, split into words.
pub fn words_read(name: &str, reading: Reading) -> Vec<String> {
    split_words(&fold_with(name, reading))
}

fn split_words(folded: &str) -> Vec<String> {
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A character [`is_nfkc_inert`] is its own NFKC, alone and after any
    /// other character of the plane (a composition joins a character to
    /// the one before it).
    #[test]
    fn an_inert_character_is_its_own_nfkc_after_any_character() {
        let inert: Vec<char> = (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfkc_inert(c))
            .collect();
        assert!(inert.len() > 40_000, "{}", inert.len());
        for &c in &inert {
            assert_eq!(
                c.to_string().nfkc().collect::<String>(),
                c.to_string(),
                "{c:?}"
            );
        }
        // Every character of the plane before one of a spread of inert ones.
        for &c in inert.iter().step_by(1999) {
            for b in (0..0x1_0000u32).filter_map(char::from_u32) {
                let two: String = [b, c].into_iter().collect();
                let want: String = b.to_string().nfkc().chain([c]).collect();
                assert_eq!(two.nfkc().collect::<String>(), want, "{b:?} {c:?}");
            }
        }
        for c in [
            '\u{0301}', '\u{0308}', '\u{1161}', '\u{11A8}', '\u{200B}', 'ﬁ', 'Ａ', '①',
        ] {
            assert!(!is_nfkc_inert(c), "{c:?}");
        }
        for c in ['ж', 'م', 'ש', 'λ', '华', 'é', 'ё'] {
            assert!(is_nfkc_inert(c), "{c:?}");
        }
    }

    proptest::proptest! {
        /// A name of inert characters and any others is read as composing
        /// it gives.
        #[test]
        fn visible_nfkc_is_the_composition_of_the_visible_characters(
            name in "[a-zé\u{0301}\u{0308}ёйЙ\u{1100}\u{1161}\u{11A8}가ﬁＡ①\u{200B}\u{FEFF}محمدשלוםλ华为 ]{0,12}",
        ) {
            let slow: String = name.chars().filter(|c| !is_invisible(*c)).nfkc().collect();
            proptest::prop_assert_eq!(visible_nfkc(&name), slow);
        }
    }

    /// [`is_letter`] and [`is_letter_or_digit`] answer as the standard
    /// library does, for every character.
    #[test]
    fn letters_from_the_bitmap_are_the_standard_librarys() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// [`transliterate`] reads a letter by the table of its Unicode block:
    /// a letter some table maps must be mapped the same by it.
    #[test]
    fn each_letter_is_read_by_the_table_of_its_block() {
        let tables: [fn(char) -> Option<&'static str>; 5] =
            [latin, cyrillic, greek, arabic, hebrew];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            for table in tables {
                if let Some(t) = table(c) {
                    assert_eq!(transliterate(c), Some(t), "{c:?}");
                }
            }
        }
    }

    #[test]
    fn fold_table() {
        let cases = [
            (
                "ISLAMIC REVOLUTIONARY GUARD CORPS",
                "islamic revolutionary guard corps",
            ),
            ("Banco Nacional de Cuba", "banco nacional de cuba"),
            ("SOLEIMANI, Qasem", "soleimani qasem"),
            ("Qasem SULEMANI", "qasem sulemani"),
            ("ПАО Транснефть", "pao transneft"),
            ("Олег Викторович Морозов", "oleg viktorovich morozov"),
            ("ЅΤΑΤUЅ", "status"),
            ("Ѕеуеd Маhdі", "seyed mahdi"),
            ("BANK SA\u{200D}D\u{200C}ERAT PLC", "bank saderat plc"),
            ("Int\u{FEFF}erscan", "interscan"),
            ("Citro\u{00EB}n", "citroen"),
            ("Straße", "strasse"),
            ("Łódź", "lodz"),
            ("AL-QA'IDA", "al qaida"),
            ("IMP & EXP", "imp exp"),
            ("  ", ""),
            ("محمد", "mhmd"),
            ("التكريتي", "al tkriti"),
            ("حسن", "hsn"),
            ("Αθήνα", "athina"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    /// Rules `arabic_word_after_article` and `arabic_kunya_apart`.
    #[test]
    fn the_word_after_the_article_begins_as_a_word() {
        let cases = [
            ("العياشي", "al aiashi"),
            ("الوزير", "al wzir"),
            ("اليزيد", "al yzid"),
            ("أبواليزيد", "abu al yzid"),
            ("ابوالعلاء", "abu al ala"),
            // Inside a word, as before.
            ("التكريتي", "al tkriti"),
            ("عبد القادر", "abdalqadr"),
            ("أبوبكر", "abubkr"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    /// Rule `arabic_glued_bin`.
    #[test]
    fn a_bin_glued_to_a_name_in_a_nasab_is_read_apart() {
        let cases = [
            (
                "سيف الله بن عمر بن محمد بنحسين",
                "sif allah bin amr bin mhmd bin hsin",
            ),
            ("عادل بن يوسف بنعلي", "aadl bin yusf bin ali"),
            // No nasab before it: a name of its own, or a surname written
            // as one word (`BENKIRANE`).
            ("عباس بنیامین وثاق", "abas bniamin wthaq"),
            ("قاسم بنكيران", "qasm bnkiran"),
            // Too short to be a name after `بن`.
            ("علي بن محمد بنان", "ali bin mhmd bnan"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    /// Rule `cyrillic_full_and_short_form`.
    #[test]
    fn a_cyrillic_full_name_and_its_short_form_are_parts() {
        assert_eq!(
            name_parts("Центр аддитивных технологий - ЦАТ"),
            [
                "Центр аддитивных технологий - ЦАТ",
                "Центр аддитивных технологий",
                "ЦАТ"
            ]
        );
        assert_eq!(
            name_parts("АО \"Банк\" – Россельхозбанк"),
            [
                "АО \"Банк\" – Россельхозбанк",
                "АО \"Банк\"",
                "Россельхозбанк"
            ]
        );
        // A dash inside quotes, or without spaces, or in a Latin name: whole.
        for name in [
            "ОАО «АГАТ - системы управления»",
            "Алмаз-Антей",
            "Golar LNG Partners LP - Common",
        ] {
            assert_eq!(name_parts(name), [name]);
        }
    }

    /// Rule `cyrillic_word_in_latin_name`: a Cyrillic word with letters no
    /// Latin one looks like is transliterated beside a Latin legal form;
    /// words wholly or partly of look-alikes stay a disguise.
    #[test]
    fn a_cyrillic_word_beside_latin_ones_is_read_as_cyrillic() {
        let cases = [
            ("AO Рособоронэкспорт", "ao rosoboroneksport"),
            ("AO Россельхозбанк", "ao rosselkhozbank"),
            ("Αθήνα Shipping", "athina shipping"),
            // Look-alikes only, or mixed with Latin: a disguise.
            ("АВС Trading", "abc trading"),
            ("МОВILE Trading", "mobile trading"),
            ("ТОМСК Trading", "tomck trading"),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    /// Rule `hebrew_st_sp`.
    #[test]
    fn hebrew_sht_and_shp_are_also_read_st_and_sp() {
        let name = "בן ציון גופשטיין";
        assert_eq!(fold(name), "bin ziun gupshtiin");
        let sin = other_reading(name).expect("a second reading");
        assert!(sin.hebrew_sin);
        assert_eq!(words_read(name, sin), ["bin", "ziun", "gupstiin"]);
        // A `ש` elsewhere keeps its one reading: `גוד שיבלי` is not read
        // `sibli`. Arabic `ش` is always `sh`.
        assert_eq!(other_reading("גוד שיבלי"), None);
        assert_eq!(other_reading("נריה בן פזי"), None);
        let both = "שטרן שלום";
        assert_eq!(
            words_read(both, other_reading(both).unwrap()),
            ["strn", "shlum"]
        );
        assert_eq!(other_reading("هشام"), None);
    }

    #[test]
    fn an_arabic_abd_name_is_also_read_by_the_name_of_god_alone() {
        // Rule `arabic_abd_apart`.
        let name = "عبد الستار عبد المنان";
        assert_eq!(fold(name), "abdalstar abdalmnan");
        let apart = other_reading(name).expect("a second reading");
        assert!(apart.abd_apart);
        assert_eq!(words_read(name, apart), ["al", "star", "al", "mnan"]);
        // `عبدالله` written joined, and a name with no `عبد ال`, are read
        // one way.
        assert_eq!(other_reading("عبدالله السندي"), None);
        assert_eq!(other_reading("عبد"), None);
        assert_eq!(other_reading("قاسم الريمي"), None);
    }

    #[test]
    fn dotted_letters_are_also_read_as_one_word() {
        let joined = Reading {
            dotted_as_word: true,
            ..Reading::DEFAULT
        };
        assert_eq!(words_read("A.B.C. Trading", joined), ["abc", "trading"]);
        // Three letters or more written apart are an acronym too; two are
        // initials only.
        for name in ["A B C Trading", "A. B. C. Trading", "A.B. C. Trading"] {
            assert!(
                other_reading(name).is_some_and(|r| r.dotted_as_word),
                "{name}"
            );
            assert_eq!(words_read(name, joined), ["abc", "trading"], "{name}");
        }
        assert_eq!(other_reading("J. R. Smith"), None);
        // Han characters apart are syllables, not letters.
        assert!(!other_reading("王 伟 明").is_some_and(|r| r.dotted_as_word));
        assert_eq!(words_read("J. R. K. Smith", joined), ["jrk", "smith"]);
        assert_eq!(
            words_read("AB C D Trading", joined),
            ["ab", "c", "d", "trading"]
        );
        assert_eq!(
            words_read("A.B.C. Trading", Reading::DEFAULT),
            ["a", "b", "c", "trading"]
        );
        assert_eq!(words_read("J.R. Smith", joined), ["jr", "smith"]);
        // Initials with spaces, words with dots, a lone initial: as they are.
        assert!(!has_dotted_letters("J. R. Smith"));
        assert!(!has_dotted_letters("Co.Ltd."));
        assert!(!has_dotted_letters("J. Smith"));
        assert!(has_dotted_letters("U.S.A"));
    }

    #[test]
    fn fold_is_idempotent_on_samples() {
        for s in [
            "Ѕеуеd Маhdі",
            "ПАО Транснефть",
            "Société Générale",
            "a\u{00AD}b",
        ] {
            let once = fold(s);
            assert_eq!(fold(&once), once);
        }
    }
}
