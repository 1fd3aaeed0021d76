//! What reaches listed names during the candidate search: each thread's
//! working memory ([`Reach`]), and the listed words a query can meet
//! ([`Reachable`]), which the candidate bound reads.

/// Per-thread working memory of the candidate search, reused from query
/// to query: what reaches names, gathered as (name, bits) pairs and then
/// sorted and merged (a few thousand pairs sort faster than as many
/// scattered updates of a slot per listed name, and come out in name order).
#[derive(Debug, Default)]
pub(super) struct Reach {
    /// Each name reached with what reached it, as bits (one bit a query word or glued pair);
    /// after [`Reach::merge`], one pair per name, in name order.
    reached: Vec<(u32, u64)>,
    /// The query's reachable listed words, as one bit per vocabulary id.
    reachable: Vec<u64>,
    /// The best similarity of each reachable word (read only where its bit is set).
    similarity: Vec<f32>,
    /// The reach bits of the query words whose sources through each
    /// vocabulary id were skipped ([`super::Matcher::skipped_sources`]); 0 elsewhere.
    skipped: Vec<u64>,
}

impl Reach {
    /// Begin a query.
    pub(super) fn start(&mut self) {
        self.reached.clear();
    }

    /// These names are reached by what `bit` stands for.
    pub(super) fn add(&mut self, names: &[u32], bit: u64) {
        self.reached.extend(names.iter().map(|&n| (n, bit)));
    }

    /// Those of these names that `keep` keeps are reached by what `bit`
    /// stands for; how many were kept.
    pub(super) fn add_where(
        &mut self,
        names: &[u32],
        bit: u64,
        keep: impl Fn(u32) -> bool,
    ) -> usize {
        let before = self.reached.len();
        (self.reached).extend(names.iter().filter(|&&n| keep(n)).map(|&n| (n, bit)));
        self.reached.len() - before
    }

    /// One pair per name reached, in name order, with everything that reaches it.
    pub(super) fn merge(&mut self) {
        let r = &mut self.reached;
        r.sort_unstable_by_key(|p| p.0);
        let mut w = 0;
        for i in 0..r.len() {
            if w > 0 && r[w - 1].0 == r[i].0 {
                r[w - 1].1 |= r[i].1;
            } else {
                r[w] = r[i];
                w += 1;
            }
        }
        r.truncate(w);
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
    pub(super) fn mark_skipped(&mut self, vocab: usize, sources: &[(u32, u64)]) {
        if sources.is_empty() {
            return;
        }
        if self.skipped.len() < vocab {
            self.skipped.resize(vocab, 0);
        }
        for &(id, bit) in sources {
            self.skipped[id as usize] |= bit;
        }
    }

    /// Unmark them again.
    pub(super) fn unmark_skipped(&mut self, sources: &[(u32, u64)]) {
        for &(id, _) in sources {
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
    pub(super) fn touched(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
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
