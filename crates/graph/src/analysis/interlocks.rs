//! Interlocks: the entities tied to several of a set of members (the
//! networks, funders and employers they share), ranked, as power mapping
//! reads them.

use super::*;

/// A node reached while counting interlocks: the member it was last
/// reached from, how many members reached it, and the funding on the way.
struct Count {
    node: u32,
    last: u32,
    shared: u32,
    funding: f64,
}

impl Graph {
    /// Entities tied to at least `min` of the given members (other than the
    /// members themselves and `exclude`), most members first, then by
    /// funding: the interlocks of power mapping.
    pub fn interlocks(
        &self,
        members: &[usize],
        exclude: &[usize],
        min: usize,
        filter: &Filter,
    ) -> Vec<Interlock> {
        self.top_interlocks(members, exclude, min, usize::MAX, filter)
            .0
    }

    /// The first `limit` of [`Graph::interlocks`], and how many there are
    /// in all. Counts in tables as large as what it reaches and lists the
    /// members of the first `limit` only, so a page can ask for the top few
    /// of thousands cheaply.
    pub fn top_interlocks(
        &self,
        members: &[usize],
        exclude: &[usize],
        min: usize,
        limit: usize,
        filter: &Filter,
    ) -> (Vec<Interlock>, usize) {
        let open = filter.is_open();
        // The tables here are the walk's own, sized by what it reaches, not
        // by the graph: the members of a large network are spread over the
        // node numbers, and a mark in a table of every node missed the
        // cache at nearly every tie (three quarters of this function's
        // time in first visits to the pages of 100,000 organizations).
        let skip: hashbrown::HashSet<u32> =
            members.iter().chain(exclude).map(|&m| m as u32).collect();
        // What is counted of each node reached, in the order reached, and
        // each node's place in it.
        let reach: usize = members.iter().map(|&m| self.degree(m)).sum();
        let mut counts: Vec<Count> = Vec::with_capacity(reach);
        let mut place: hashbrown::HashMap<u32, u32> = hashbrown::HashMap::with_capacity(reach);
        let bits = filter.kind_bits();
        // Whether the tie of adjacency entry `k` is one the filter allows.
        let allows = |k: usize, e: u32| match bits {
            Some(bits) => bits & 1 << self.adj_kind[k] != 0,
            None => filter.allows(self.attr_of(e)),
        };
        for &m in members {
            let from = self.off[m] as usize;
            for (k, &(t, e)) in self.neighbours_of(m as u32).iter().enumerate() {
                if skip.contains(&t) || !(open || allows(from + k, e)) {
                    continue;
                }
                let at = *place.entry(t).or_insert_with(|| {
                    counts.push(Count {
                        node: t,
                        last: u32::MAX,
                        shared: 0,
                        funding: 0.0,
                    });
                    counts.len() as u32 - 1
                });
                let c = &mut counts[at as usize];
                if c.last != m as u32 {
                    c.last = m as u32;
                    c.shared += 1;
                }
                if e & FUNDED != 0 {
                    c.funding += self.tie_amount((e & TIE) as usize).unwrap_or(0.0);
                }
            }
        }
        counts.retain(|c| c.shared as usize >= min);
        let total = counts.len();
        let order = |a: &Count, b: &Count| {
            b.shared
                .cmp(&a.shared)
                .then(b.funding.total_cmp(&a.funding))
                .then(a.node.cmp(&b.node))
        };
        if limit < counts.len() {
            counts.select_nth_unstable_by(limit, order);
            counts.truncate(limit);
        }
        counts.sort_unstable_by(order);
        // The members of the first `limit` only, each chosen node by its
        // place in `out`.
        let chosen: hashbrown::HashMap<u32, usize> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.node, i))
            .collect();
        let mut out: Vec<Interlock> = counts
            .iter()
            .map(|c| Interlock {
                node: c.node as usize,
                members: Vec::new(),
                funding: c.funding,
            })
            .collect();
        for &m in members {
            let from = self.off[m] as usize;
            for (k, &(t, e)) in self.neighbours_of(m as u32).iter().enumerate() {
                let Some(&i) = chosen.get(&t) else {
                    continue;
                };
                if !(open || allows(from + k, e)) {
                    continue;
                }
                let lock = &mut out[i];
                if lock.members.last() != Some(&m) {
                    lock.members.push(m);
                }
            }
        }
        for lock in &mut out {
            lock.members.sort_unstable();
            lock.members.dedup();
        }
        (out, total)
    }
}
