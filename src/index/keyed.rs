//! [`KeyPostings`]: text keys to the names they occur in, held as sorted
//! 64-bit key hashes beside name ids, 12 bytes an occurrence, instead of a
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
    /// Key hashes, sorted; one entry per (key, name).
    hashes: Vec<u64>,
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

impl KeyPostings {
    /// From (key hash, name) entries in any order; repeats are dropped.
    pub fn from_entries(mut entries: Vec<(u64, u32)>) -> KeyPostings {
        entries.par_sort_unstable();
        entries.dedup();
        let names: Vec<u32> = entries.iter().map(|e| e.1).collect();
        // Collected in place, into the entries' own room.
        let mut hashes: Vec<u64> = entries.into_iter().map(|e| e.0).collect();
        hashes.shrink_to_fit();
        let buckets = (0..=1u64 << BUCKET_BITS)
            .map(|b| hashes.partition_point(|&h| h >> (64 - BUCKET_BITS) < b) as u32)
            .collect();
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
        let h = key_hash(key);
        let b = (h >> (64 - BUCKET_BITS)) as usize;
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
