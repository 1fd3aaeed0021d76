//! The postings: for each vocabulary id, the names holding it, all in one
//! array, each beside its name's whole-name letter mask, so that a walk of
//! a word's names can rule out a whole-name typo without reading the names.

use super::NameSketch;
use crate::features::letter_mask;

/// Each vocabulary id's names, ordered by their lengths
/// ([`NameSketch::length`]) then by name, in one array (no allocation and
/// header a word), with each name's whole-name letter mask beside it.
#[derive(Debug, Default)]
pub struct Postings {
    /// Where each id's names begin in `names`; one more closes the last id.
    starts: Vec<u32>,
    /// The names, id after id.
    names: Vec<u32>,
    /// [`letter_mask`] of each entry's name's [`NameSketch::whole_hist`],
    /// with [`PERSON_MASK_BIT`] for a person's name and the weight of its
    /// other words ([`other_words_weight`]).
    masks: Vec<u32>,
    /// Each entry's name's length ([`NameSketch::length`]), at most 255:
    /// a length band's entries are found in this array, not by reading names.
    lengths: Vec<u8>,
}

/// The bit of a posting's mask ([`Postings::with_masks`]) set when its name
/// is a person's; the letters' bits ([`letter_mask`]) are below it.
pub const PERSON_MASK_BIT: u32 = 1 << 31;

/// Where a posting's mask keeps the weight of its name's other words
/// ([`other_words_weight`]), in whole units, at most 15.
const OTHER_SHIFT: u32 = 27;

/// The letters' bits of a posting's mask.
pub const LETTERS_MASK: u32 = (1 << OTHER_SHIFT) - 1;

/// At least the weight of the words of a posting's name other than the
/// posting's own token (as its mask, [`Postings::with_masks`], keeps it:
/// rounded down to a whole number, at most 15).
pub fn other_words_weight(mask: u32) -> f32 {
    (mask >> OTHER_SHIFT & 15) as f32
}

impl Postings {
    /// The postings of these lists (one a vocabulary id, already in order).
    /// `own` gives the weight a vocabulary id's token counts among its
    /// name's words ([`NameSketch::word_weight`]): a word's weight, 0 else.
    pub(super) fn new(
        lists: Vec<Vec<u32>>,
        sketches: &[NameSketch],
        own: impl Fn(usize) -> f32,
    ) -> Postings {
        let total: usize = lists.iter().map(Vec::len).sum();
        let mut p = Postings {
            starts: Vec::with_capacity(lists.len() + 1),
            names: Vec::with_capacity(total),
            masks: Vec::with_capacity(total),
            lengths: Vec::with_capacity(total),
        };
        p.starts.push(0);
        for (id, list) in lists.into_iter().enumerate() {
            let own = own(id);
            p.masks.extend(list.iter().map(|&n| {
                let s = &sketches[n as usize];
                let person = if s.person { PERSON_MASK_BIT } else { 0 };
                // Rounded down, less a margin for the order of summing.
                let other = (s.word_weight - own - 1e-3).clamp(0.0, 15.0) as u32;
                letter_mask(&s.whole_hist) | other << OTHER_SHIFT | person
            }));
            (p.lengths).extend(
                list.iter()
                    .map(|&n| sketches[n as usize].length.min(255) as u8),
            );
            p.names.extend(list);
            p.starts.push(p.names.len() as u32);
        }
        p
    }

    /// How many vocabulary ids there are.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Are there none?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where id `id`'s entries lie.
    fn range(&self, id: u32) -> std::ops::Range<usize> {
        self.starts[id as usize] as usize..self.starts[id as usize + 1] as usize
    }

    /// The names holding vocabulary id `id`.
    pub fn of(&self, id: u32) -> &[u32] {
        &self.names[self.range(id)]
    }

    /// The names holding `id`, each with its whole-name letter mask.
    pub fn with_masks(&self, id: u32) -> (&[u32], &[u32]) {
        let r = self.range(id);
        (&self.names[r.clone()], &self.masks[r])
    }

    /// [`Postings::with_masks`] of the names whose lengths
    /// ([`NameSketch::length`]) lie in `lengths`, and, for a band reaching
    /// past 254, of every name longer (their lengths are kept as 255: the
    /// caller checks each name's own).
    pub fn in_band(&self, id: u32, lengths: std::ops::RangeInclusive<u32>) -> (&[u32], &[u32]) {
        let r = self.range(id);
        let of = &self.lengths[r.clone()];
        let (lo, hi) = (*lengths.start().min(&255), *lengths.end());
        let start = of.partition_point(|&l| u32::from(l) < lo);
        let end = if hi >= 255 {
            of.len()
        } else {
            start + of[start..].partition_point(|&l| u32::from(l) <= hi)
        };
        let (start, end) = (r.start + start, r.start + end);
        (&self.names[start..end], &self.masks[start..end])
    }
}

impl std::ops::Index<usize> for Postings {
    type Output = [u32];

    fn index(&self, id: usize) -> &[u32] {
        self.of(id as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::whole_histogram;

    fn sketch(words: &str) -> NameSketch {
        NameSketch {
            whole_hist: whole_histogram(words.split(' ')),
            person: words.len() < 3,
            word_weight: 2.5 * words.split(' ').count() as f32,
            ..NameSketch::default()
        }
    }

    #[test]
    fn each_id_has_its_names_and_their_masks_in_order() {
        let sketches = [sketch("ab"), sketch("c"), sketch("ab c")];
        let p = Postings::new(vec![vec![0, 2], vec![], vec![1, 2]], &sketches, |_| 2.5);
        assert_eq!(p.len(), 3);
        assert_eq!(&p[0], [0, 2]);
        assert!(p[1].is_empty());
        let (names, masks) = p.with_masks(2);
        assert_eq!(names, [1, 2]);
        assert_eq!(
            masks[0] & LETTERS_MASK,
            letter_mask(&sketches[1].whole_hist)
        );
        assert_eq!(
            masks[1] & LETTERS_MASK,
            letter_mask(&sketches[2].whole_hist)
        );
        assert_eq!(masks[0] & PERSON_MASK_BIT, PERSON_MASK_BIT);
        assert_eq!(masks[1] & PERSON_MASK_BIT, 0);
        // Every length is 0 here: the band 0..=0 takes them all, 1..=9 none.
        assert_eq!(p.in_band(2, 0..=0).0, [1, 2]);
        assert!(p.in_band(2, 1..=9).0.is_empty());
        // "ab c": its other word weighs 2.5, counted as 2; "c" has none.
        assert_eq!(other_words_weight(masks[1]), 2.0);
        assert_eq!(other_words_weight(masks[0]), 0.0);
    }
}
