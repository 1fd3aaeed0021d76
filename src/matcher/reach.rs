//! What reaches listed names during the candidate search: each thread's
//! working memory ([`Reach`]), and the listed words a query can meet
//! ([`Reachable`]), which the candidate bound reads.

use crate::index::other_words_weight;

/// A name reached, and what reaches it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reached {
    /// The name.
    pub(super) name: u32,
    /// The most a listed word through which a query word's similar words
    /// reach it brings (similarity times weight; infinite when it is
    /// reached otherwise).
    pub(super) brings: f32,
    /// What reaches it, as bits (one bit a query word or glued pair).
    pub(super) bits: u64,
    /// At least the weight of its words other than one through which a
    /// query word's similar words reach it ([`crate::index::other_words_weight`]);
    /// 0 when it is reached otherwise.
    pub(super) others: f32,
}

/// Per-thread working memory of the candidate search, reused from query
/// to query: what reaches names, gathered as (name, bits) pairs and then
/// sorted and merged (a few thousand pairs sort faster than as many
/// scattered updates of a slot per listed name, and come out in name order).
#[derive(Debug, Default)]
pub(super) struct Reach {
    /// Each name reached with what reached it; after [`Reach::merge`],
    /// one a name, in name order.
    reached: Vec<Reached>,
    /// The query's reachable listed words, as one bit per vocabulary id.
    reachable: Vec<u64>,
    /// The best similarity of each reachable word (read only where its bit is set).
    similarity: Vec<f32>,
    /// The reach bits of the query words whose sources through each
    /// vocabulary id were skipped ([`super::Matcher::skipped_sources`]); 0 elsewhere.
    skipped: Vec<u64>,
    /// One bit per listed name, set for the names reached while the
    /// skipped sources' postings are scanned ([`Reach::scan_skipped`]):
    /// a million names take 125 KiB, which the second-level cache holds.
    names: Vec<u64>,
    /// What the scan finds.
    found: Vec<Reached>,
    /// Room for [`sort_by_name`] to sort into.
    spare: Vec<Reached>,
}

/// The names reached whose room [`Reach`] keeps from query to query.
const KEPT_ROOM: usize = 1 << 17;

/// Fewer names than this are sorted by comparison: a radix pass clears
/// and sums its counts whatever the number of names.
const RADIX_MIN: usize = 512;

/// The bits of a name's id that one radix pass sorts by.
const RADIX_BITS: u32 = 11;

/// Sort names reached by name, ties in any order (merging them is
/// commutative). Thousands of names, whose ids are below a few million,
/// sort in two or three passes of a least-significant-digit radix sort,
/// each a count and a scatter: `sort_unstable` compared each name some
/// twenty times (with a million listed names, 6% of the search).
fn sort_by_name(v: &mut Vec<Reached>, spare: &mut Vec<Reached>) {
    if v.len() < RADIX_MIN {
        v.sort_unstable_by_key(|p| p.name);
        return;
    }
    let top = v.iter().map(|p| p.name).max().unwrap_or(0);
    let bits = u32::BITS - top.leading_zeros();
    let digit = |p: &Reached, shift: u32| ((p.name >> shift) & ((1 << RADIX_BITS) - 1)) as usize;
    spare.clear();
    spare.resize(v.len(), v[0]);
    let mut shift = 0;
    while shift < bits {
        let mut starts = [0u32; 1 << RADIX_BITS];
        for p in v.iter() {
            starts[digit(p, shift)] += 1;
        }
        let mut sum = 0;
        for s in starts.iter_mut() {
            (*s, sum) = (sum, sum + *s);
        }
        for p in v.iter() {
            let d = digit(p, shift);
            spare[starts[d] as usize] = *p;
            starts[d] += 1;
        }
        std::mem::swap(v, spare);
        shift += RADIX_BITS;
    }
}

impl Reach {
    /// Begin a query. A query that reached more names than
    /// [`KEPT_ROOM`] gives the room back: a few queries in ten thousand
    /// reach half a million of a million names, and each thread kept the
    /// room of its largest (three vectors of 24 bytes a name) for good.
    pub(super) fn start(&mut self) {
        for v in [&mut self.reached, &mut self.found, &mut self.spare] {
            v.clear();
            v.shrink_to(KEPT_ROOM);
        }
    }

    /// These names are reached by what `bit` stands for.
    pub(super) fn add(&mut self, names: &[u32], bit: u64) {
        (self.reached).extend(names.iter().map(|&name| Reached {
            name,
            brings: f32::INFINITY,
            bits: bit,
            others: 0.0,
        }));
    }

    /// These names are reached by what `bit` stands for, with the bits
    /// `also` gives from each one's mask ([`crate::index::Postings::with_masks`]).
    /// Through a listed word that brings `brings`.
    pub(super) fn add_with(
        &mut self,
        names: &[u32],
        masks: &[u32],
        (bit, brings): (u64, f32),
        also: impl Fn(u32) -> u64,
    ) {
        (self.reached).extend((names.iter().zip(masks)).map(|(&name, &m)| Reached {
            name,
            brings,
            bits: bit | also(m),
            others: other_words_weight(m),
        }));
    }

    /// Those of these names that `keep` keeps are reached by what `bit`
    /// stands for.
    pub(super) fn add_where(
        &mut self,
        names: impl Iterator<Item = u32>,
        bit: u64,
        keep: impl Fn(u32) -> bool,
    ) {
        (self.reached).extend(names.filter(|&n| keep(n)).map(|name| Reached {
            name,
            brings: f32::INFINITY,
            bits: bit,
            others: 0.0,
        }));
    }

    /// One pair per name reached, in name order, with everything that reaches it.
    pub(super) fn merge(&mut self) {
        sort_by_name(&mut self.reached, &mut self.spare);
        let r = &mut self.reached;
        let mut w = 0;
        for i in 0..r.len() {
            if w > 0 && r[w - 1].name == r[i].name {
                r[w - 1].bits |= r[i].bits;
                r[w - 1].brings = r[w - 1].brings.max(r[i].brings);
                r[w - 1].others = r[w - 1].others.min(r[i].others);
            } else {
                r[w] = r[i];
                w += 1;
            }
        }
        r.truncate(w);
    }

    /// After [`Reach::merge`]: add to each name reached the bits (and what
    /// they bring) of the skipped sources among `skipped` (postings, bit,
    /// brings) that hold it, by
    /// reading their postings through (one bit a listed name marks the
    /// names reached), not the names: a million names' words lie all over
    /// memory, a word's postings in a row.
    pub(super) fn scan_skipped<'p>(
        &mut self,
        name_count: usize,
        skipped: impl Iterator<Item = ((&'p [u32], &'p [u32]), u64, f32)>,
    ) {
        if self.names.len() < name_count.div_ceil(64) {
            self.names.resize(name_count.div_ceil(64), 0);
        }
        for r in &self.reached {
            self.names[r.name as usize / 64] |= 1 << (r.name % 64);
        }
        self.found.clear();
        for ((names, masks), bits, brings) in skipped {
            for (&name, &mask) in names.iter().zip(masks) {
                if self.names[name as usize / 64] >> (name % 64) & 1 == 1 {
                    let others = other_words_weight(mask);
                    (self.found).push(Reached {
                        name,
                        brings,
                        bits,
                        others,
                    });
                }
            }
        }
        for r in &self.reached {
            self.names[r.name as usize / 64] = 0;
        }
        self.found.sort_unstable_by_key(|p| p.name);
        // Every name found is reached: one pass over both, in name order.
        let mut i = 0;
        for f in &self.found {
            while self.reached[i].name != f.name {
                i += 1;
            }
            self.reached[i].bits |= f.bits;
            self.reached[i].brings = self.reached[i].brings.max(f.brings);
            self.reached[i].others = self.reached[i].others.min(f.others);
        }
    }

    /// Mark these vocabulary ids reachable (ids below `vocab`, each once),
    /// with their best similarity.
    pub(super) fn mark(&mut self, vocab: usize, ids: &[(u32, f32)]) {
        if self.reachable.len() < vocab.div_ceil(64) {
            self.reachable.resize(vocab.div_ceil(64), 0);
            self.similarity.resize(vocab, 0.0);
        }
        for &(id, s) in ids {
            self.reachable[id as usize / 64] |= 1 << (id % 64);
            self.similarity[id as usize] = s;
        }
    }

    /// Unmark them again.
    pub(super) fn unmark(&mut self, ids: &[(u32, f32)]) {
        for &(id, _) in ids {
            self.reachable[id as usize / 64] = 0;
        }
    }

    /// Mark the skipped sources: (vocabulary id, reach bit of the query word).
    pub(super) fn mark_skipped(&mut self, vocab: usize, sources: &[(u32, u64, f32)]) {
        if sources.is_empty() {
            return;
        }
        if self.skipped.len() < vocab {
            self.skipped.resize(vocab, 0);
        }
        for &(id, bit, _) in sources {
            self.skipped[id as usize] |= bit;
        }
    }

    /// Unmark them again.
    pub(super) fn unmark_skipped(&mut self, sources: &[(u32, u64, f32)]) {
        for &(id, _, _) in sources {
            self.skipped[id as usize] = 0;
        }
    }

    /// The reach bits of the skipped sources through vocabulary id `t`.
    pub(super) fn skipped_bits(&self, t: u32) -> u64 {
        self.skipped.get(t as usize).copied().unwrap_or(0)
    }

    /// The reachable words: a bit per vocabulary id, and their best similarities.
    pub(super) fn reachable(&self) -> Reachable<'_> {
        Reachable {
            bits: &self.reachable,
            similarity: &self.similarity,
        }
    }

    /// How many names are reached (after [`Reach::merge`]).
    pub(super) fn touched_count(&self) -> usize {
        self.reached.len()
    }

    /// Each name reached, and what reached it (after [`Reach::merge`]).
    pub(super) fn touched(&self) -> impl Iterator<Item = Reached> + '_ {
        self.reached.iter().copied()
    }
}

/// The listed words a query's words can meet, for the candidate bound.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reachable<'r> {
    bits: &'r [u64],
    similarity: &'r [f32],
}

impl Reachable<'_> {
    /// The best similarity of a query word to vocabulary id `t`, if any can meet it.
    pub(super) fn similarity(&self, t: u32) -> Option<f32> {
        (self.bits[t as usize / 64] >> (t % 64) & 1 == 1).then(|| self.similarity[t as usize])
    }
}

thread_local! {
    /// This thread's [`Reach`].
    pub(super) static REACH: std::cell::RefCell<Reach> = std::cell::RefCell::default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reached(name: u32, bits: u64) -> Reached {
        Reached {
            name,
            brings: 1.0,
            bits,
            others: 0.0,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The radix sort puts the names in order and keeps every entry,
        /// in one pass or several (ids of up to 26 bits), above and below
        /// the size where it takes over from the comparison sort.
        #[test]
        fn names_come_out_in_order_with_all_they_hold(
            names in prop::collection::vec(0u32..1 << 26, 0..3000),
            narrow in any::<bool>(),
        ) {
            let mut v: Vec<Reached> = (names.iter().enumerate())
                .map(|(i, &n)| reached(if narrow { n & 0x7ff } else { n }, i as u64))
                .collect();
            let mut expected: Vec<(u32, u64)> = v.iter().map(|p| (p.name, p.bits)).collect();
            expected.sort_unstable();
            sort_by_name(&mut v, &mut Vec::new());
            prop_assert!(v.windows(2).all(|w| w[0].name <= w[1].name));
            let mut got: Vec<(u32, u64)> = v.iter().map(|p| (p.name, p.bits)).collect();
            got.sort_unstable();
            prop_assert_eq!(got, expected);
        }
    }

    /// Names reached twice are merged: their bits joined, the most brought.
    #[test]
    fn a_name_reached_twice_is_merged() {
        let mut r = Reach::default();
        r.start();
        let names: Vec<u32> = (0..2000).rev().chain(0..2000).collect();
        r.add(&names, 1);
        r.add(&[5], 2);
        r.merge();
        assert_eq!(r.reached.len(), 2000);
        assert!(r.reached.windows(2).all(|w| w[0].name < w[1].name));
        assert_eq!(r.reached[5].bits, 3);
        assert_eq!(r.reached[6].bits, 1);
    }

    /// A query that reached more than [`KEPT_ROOM`] names does not leave
    /// its room behind for the next; a smaller one keeps it.
    #[test]
    fn the_room_of_a_large_reach_is_given_back() {
        let mut r = Reach::default();
        r.start();
        let names: Vec<u32> = (0..2 * KEPT_ROOM as u32).rev().collect();
        r.add(&names, 1);
        r.merge();
        assert!(r.reached.capacity() > KEPT_ROOM && r.spare.capacity() > KEPT_ROOM);
        r.start();
        assert!(r.reached.is_empty());
        assert!(r.reached.capacity() <= KEPT_ROOM && r.spare.capacity() <= KEPT_ROOM);
        r.add(&names[..1000], 1);
        r.merge();
        r.start();
        assert!(r.reached.capacity() >= 1000);
    }
}
