//! Helpers every loader shares: decoding a field's bytes, dropping repeated
//! values in linear time, line numbers of byte offsets, the end-of-file
//! check and the SHA-256 of a file.

use super::{Diagnostic, Loaded, Source};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The UTF-8 byte order mark, which some writers put before a file's text.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's bytes without the byte order mark in front, if any (it holds
/// no line break, so line numbers stay right).
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Windows-1252 code points for bytes 0x80..=0x9F (others map to Latin-1).
const CP1252: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decode a field: UTF-8, or Windows-1252 when it is not valid UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252[(b - 0x80) as usize],
                _ => b as char,
            })
            .collect(),
    }
}

/// A CSV record's field at column `c` (none when the column is absent or the
/// record short), decoded as [`decode`] does and trimmed.
pub(crate) fn cell(rec: &csv::ByteRecord, c: Option<usize>) -> String {
    c.and_then(|c| rec.get(c))
        .map(decode)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Drop each value of `v` whose key an earlier value has, keeping the order:
/// what pushing a value only when no earlier one has its key does, in time
/// linear in the number of values. (Searching `v` before every push takes
/// minutes on one record of 100,000 aliases, which a malformed or hostile
/// file can hold.)
pub(crate) fn keep_first<T>(v: &mut Vec<T>, key: impl Fn(&T) -> &str) {
    if v.len() < 2 {
        return;
    }
    let keep: Vec<bool> = {
        let mut seen = HashSet::with_capacity(v.len());
        v.iter().map(|x| seen.insert(key(x))).collect()
    };
    let mut i = 0;
    v.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Append a value trimmed, unless it is empty. Repeats are dropped
/// afterwards, for all values at once, by [`keep_first`] (searching for an
/// equal value before every push would take time quadratic in their number).
pub(crate) fn push_trimmed(v: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() {
        v.push(s.to_string());
    }
}

/// Line numbers of byte offsets in a file held in memory.
///
/// The csv crate's record positions lag one line behind on CRLF files (the
/// `\n` of a `\r\n` is consumed with the next record), so loaders compute
/// a record's line from its byte offset instead.
///
/// ```
/// use sanctions::lists::LineIndex;
/// let text = b"a\r\nb\r\nc";
/// let idx = LineIndex::new(text);
/// assert_eq!(idx.line_at(0), 1);
/// assert_eq!(idx.line_at(3), 2); // the `\n` ending line 1 belongs to the next record's start
/// assert_eq!(idx.line_at(6), 3);
/// ```
pub struct LineIndex<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index the newlines of `bytes`.
    pub fn new(bytes: &'a [u8]) -> LineIndex<'a> {
        let newlines = bytes
            .iter()
            .enumerate()
            .filter_map(|(i, &b)| (b == b'\n').then_some(i))
            .collect();
        LineIndex { bytes, newlines }
    }

    /// The 1-based line of the first non-line-break byte at or after `offset`.
    pub fn line_at(&self, offset: u64) -> u64 {
        let mut i = offset as usize;
        while i < self.bytes.len() && matches!(self.bytes[i], b'\r' | b'\n') {
            i += 1;
        }
        (self.newlines.partition_point(|&n| n < i) + 1) as u64
    }
}

/// Warn when a file does not end with a line break: a file cut at a record
/// boundary, or inside the last field, otherwise loads without a trace.
pub(crate) fn warn_if_unterminated(src: &Source, lines: &LineIndex, out: &mut Loaded) {
    let end = src
        .bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() || *b == b'\n');
    if let Some(i) = end
        && src.bytes[i] != b'\n'
    {
        out.warnings.push(Diagnostic::at(
            &src.name,
            lines.line_at(i as u64),
            "the file does not end with a line break: it may be truncated, and its last record with it",
        ));
    }
}

/// Lower-case hex SHA-256 of a byte string.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex digits, two per byte: the one hex encoder of
/// the crate (file hashes, run ids, ids made up from content).
///
/// ```
/// assert_eq!(sanctions::lists::hex(&[0x00, 0xab, 0x10]), "00ab10");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex digits of a content hash kept in an id made up for an entry its list
/// gives no id (64 bits: no two names of a list share one).
const ID_HASH_HEX_DIGITS: usize = 16;

/// An id for an entry its list gives none: the first
/// [`ID_HASH_HEX_DIGITS`] hex digits of the SHA-256 of what identifies it.
pub(crate) fn hash_id(bytes: &[u8]) -> String {
    sha256_hex(bytes)[..ID_HASH_HEX_DIGITS].to_string()
}
