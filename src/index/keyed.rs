//! [`KeyPostings`]: text keys to the names they occur in, held as sorted
//! 48-bit key hashes beside name ids, 8 bytes an occurrence (the top 16
//! bits of a hash choose its bucket, the next 32 are stored), instead of a
//! map of strings to vectors (about a hundred bytes a key). Built by a
//! parallel sort; looked up by binary search.
//!
//! Two keys may share a hash: a lookup then also answers the other key's
//! names. The candidate search only uses these to reach names, which the
//! scorer then scores exactly, so a shared hash costs a little time and
//! changes no score.

use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::Hasher;

/// Text keys to sorted name ids (see the module).
#[derive(Debug, Default)]
pub struct KeyPostings {
    /// The 32 bits of a key's hash below its bucket's 16, sorted within
    /// their bucket; one entry per (key, name).
    hashes: Vec<u32>,
    /// The name of each entry, ascending within a hash.
    names: Vec<u32>,
    /// Where the hashes whose top [`BUCKET_BITS`] bits are `b` begin, for
    /// each `b` (and the end): a lookup searches one bucket.
    buckets: Vec<u32>,
}

/// The top bits of a hash that choose its bucket.
const BUCKET_BITS: u32 = 16;

/// The hash a key is stored under (the same on every run and machine).
pub fn key_hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// The 48 bits of a key's hash the postings keep.
fn kept(hash: u64) -> u64 {
    hash >> (64 - KEPT_BITS)
}

/// How many bits of a hash the postings keep: [`BUCKET_BITS`] in the
/// bucket, 32 stored.
const KEPT_BITS: u32 = BUCKET_BITS + 32;

impl KeyPostings {
    /// From (key hash, name) entries in any order; repeats are dropped.
    pub fn from_entries(mut entries: Vec<(u64, u32)>) -> KeyPostings {
        entries.par_iter_mut().for_each(|e| e.0 = kept(e.0));
        entries.par_sort_unstable();
        entries.dedup();
        KeyPostings::from_sorted(entries.len(), entries.into_iter())
    }

    /// From entries of kept hashes, sorted and without repeats (`len` at most).
    fn from_sorted(len: usize, entries: impl Iterator<Item = (u64, u32)>) -> KeyPostings {
        let (mut hashes, mut names) = (Vec::with_capacity(len), Vec::with_capacity(len));
        let mut buckets = Vec::with_capacity((1 << BUCKET_BITS) + 1);
        for (h, n) in entries {
            let b = (h >> 32) as usize;
            while buckets.len() <= b {
                buckets.push(hashes.len() as u32);
            }
            hashes.push(h as u32);
            names.push(n);
        }
        while buckets.len() <= 1 << BUCKET_BITS {
            buckets.push(hashes.len() as u32);
        }
        hashes.shrink_to_fit();
        names.shrink_to_fit();
        KeyPostings {
            hashes,
            names,
            buckets,
        }
    }

    /// The names a key occurs in (sorted), if any.
    pub fn get(&self, key: &str) -> Option<&[u32]> {
        if self.hashes.is_empty() {
            return None;
        }
        let h = kept(key_hash(key));
        let (b, h) = ((h >> 32) as usize, h as u32);
        let (lo, hi) = (self.buckets[b] as usize, self.buckets[b + 1] as usize);
        let start = lo + self.hashes[lo..hi].partition_point(|&x| x < h);
        let end = start + self.hashes[start..hi].partition_point(|&x| x == h);
        (end > start).then(|| &self.names[start..end])
    }

    /// Does no key occur anywhere?
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// How many (key, name) entries it holds.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_answer_their_names_sorted_once() {
        let entries = vec![
            (key_hash("hikvision"), 7),
            (key_hash("goldenmobile"), 3),
            (key_hash("hikvision"), 2),
            (key_hash("hikvision"), 7),
        ];
        let k = KeyPostings::from_entries(entries);
        assert_eq!(k.get("hikvision"), Some(&[2, 7][..]));
        assert_eq!(k.get("goldenmobile"), Some(&[3][..]));
        assert_eq!(k.get("golden"), None);
        assert_eq!(k.len(), 3);
        assert!(KeyPostings::default().is_empty());
        // Many keys across every bucket answer as a map would.
        let keys: Vec<String> = (0..5000).map(|i| format!("key{i}")).collect();
        let entries = (keys.iter().enumerate())
            .flat_map(|(i, k)| (0..(i % 3 + 1) as u32).map(move |n| (key_hash(k), n * 7 + 1)))
            .collect();
        let k = KeyPostings::from_entries(entries);
        for (i, key) in keys.iter().enumerate() {
            let want: Vec<u32> = (0..(i % 3 + 1) as u32).map(|n| n * 7 + 1).collect();
            assert_eq!(k.get(key), Some(&want[..]), "{key}");
        }
        assert_eq!(k.get("key5000"), None);
        assert_eq!(KeyPostings::default().get("x"), None);
    }
}
