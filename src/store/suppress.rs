//! Small-cell suppression over a table of counts and the sums that tie them ("lines": members
//! that add up to a total). Primary: every published count from 1 to k-1 is hidden.
//! Complementary: more entries are hidden until no count from 1 to k-1 can be worked out by
//! subtraction along the lines, repeated as far as it goes, and until the hidden members of every
//! line whose total can be known add up to k or more, and to more than the suppressed ones among
//! them (each of which a reader knows is at least 1). Pure: knows nothing of sessions.

/// Counts, whether each is published at all, and the lines that tie them. Reusable: `clear`
/// keeps the buffers, so suppressing 100,000 sessions allocates almost nothing.
#[derive(Debug, Clone, Default)]
pub struct Table {
    values: Vec<u64>,
    published: Vec<bool>,
    /// Members of every line, one after the other; line `i` starts at `starts[i]`.
    members: Vec<usize>,
    starts: Vec<usize>,
    totals: Vec<usize>,
    work: Work,
}

/// Buffers `protect` reuses.
#[derive(Debug, Clone, Default)]
struct Work {
    hidden: Vec<bool>,
    suppressed: Vec<bool>,
    known: Vec<bool>,
    derived: Vec<Option<(usize, usize)>>,
    unknown: Vec<usize>,
    queue: Vec<usize>,
    cut_lines: Vec<usize>,
    /// The lines each entry sits on: entry `e`'s are `on[on_start[e]..on_start[e + 1]]`.
    on_start: Vec<usize>,
    on: Vec<usize>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// Empties the table, keeping its buffers.
    pub fn clear(&mut self) {
        self.values.clear();
        self.published.clear();
        self.members.clear();
        self.starts.clear();
        self.totals.clear();
    }

    /// Adds an entry. An unpublished entry (a total nobody writes down, a count left out of the
    /// mapping) is still protected: it must not become derivable when it is small.
    pub fn entry(&mut self, value: u64, published: bool) -> usize {
        self.values.push(value);
        self.published.push(published);
        self.values.len() - 1
    }

    /// Adds a line: the members add up to the total.
    pub fn line(&mut self, members: impl IntoIterator<Item = usize>, total: usize) {
        self.starts.push(self.members.len());
        self.members.extend(members);
        self.totals.push(total);
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn line_count(&self) -> usize {
        self.totals.len()
    }

    fn line_members(&self, line: usize) -> &[usize] {
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.members.len());
        &self.members[self.starts[line]..end]
    }

    /// Members, then the total.
    fn entries(&self, line: usize) -> impl Iterator<Item = usize> + '_ {
        self.line_members(line)
            .iter()
            .copied()
            .chain(std::iter::once(self.totals[line]))
    }

    /// Which entries to write as suppressed (always `false` for unpublished ones).
    pub fn protect(&mut self, min_cell: u32) -> &[bool] {
        let mut w = std::mem::take(&mut self.work);
        self.protect_with(min_cell, &mut w);
        self.work = w;
        &self.work.suppressed
    }

    fn protect_with(&self, min_cell: u32, w: &mut Work) {
        let k = u64::from(min_cell);
        let small = |v: u64| v >= 1 && v < k;
        let n = self.values.len();
        // Hidden from the reader: never published, or suppressed.
        w.hidden.clear();
        w.hidden.extend(
            self.values
                .iter()
                .zip(&self.published)
                .map(|(&v, &p)| !p || small(v)),
        );
        if self.values.iter().any(|&v| small(v)) {
            self.index(w);
            loop {
                self.derive(w);
                // Every leak found in this pass is cut in its own line; leaks in separate
                // lines are independent, and one cut per line is all a pass needs. Hiding only
                // ever adds unknowns, so each pass hides more and the loop ends.
                w.cut_lines.clear();
                let mut leaked = false;
                for i in 0..n {
                    let Some((line, _)) = w.derived[i] else {
                        continue;
                    };
                    if !w.hidden[i] || !small(self.values[i]) || w.cut_lines.contains(&line) {
                        continue;
                    }
                    leaked = true;
                    if self.cut(i, &w.derived, &mut w.hidden) {
                        w.cut_lines.push(line);
                    }
                }
                // A line whose total the reader knows tells them what its hidden members add
                // up to: that sum must be k or more, or it gives a small group away. And a
                // suppressed member is at least 1 (zeros are published; an unpublished one may
                // be 0): the sum must be more than the suppressed members, or it pins each of
                // them at 1.
                for li in 0..self.line_count() {
                    if !w.known[self.totals[li]] || w.unknown[li] < 2 {
                        continue;
                    }
                    let (suppressed, sum) = self
                        .line_members(li)
                        .iter()
                        .filter(|&&e| !w.known[e])
                        .fold((0u64, 0u64), |(c, s), &e| {
                            (c + u64::from(self.published[e]), s + self.values[e])
                        });
                    if sum == 0 || (sum >= k && sum > suppressed) || w.cut_lines.contains(&li) {
                        continue;
                    }
                    leaked = true;
                    if self.widen(li, &w.derived, &mut w.hidden) {
                        w.cut_lines.push(li);
                    }
                }
                if !leaked {
                    break;
                }
                if w.cut_lines.is_empty() {
                    // Nothing left to hide: cannot happen while a published entry sits on the
                    // line, and a line of hidden entries derives nothing. Hide all to be safe.
                    w.hidden.iter_mut().for_each(|h| *h = true);
                    break;
                }
            }
        }
        w.suppressed.clear();
        w.suppressed
            .extend(w.hidden.iter().zip(&self.published).map(|(&h, &p)| h && p));
    }

    /// Builds the entry -> lines index.
    fn index(&self, w: &mut Work) {
        let n = self.values.len();
        w.on_start.clear();
        w.on_start.resize(n + 1, 0);
        for li in 0..self.line_count() {
            for e in self.entries(li) {
                w.on_start[e + 1] += 1;
            }
        }
        for i in 0..n {
            w.on_start[i + 1] += w.on_start[i];
        }
        w.on.clear();
        w.on.resize(w.on_start[n], 0);
        // `unknown` doubles as the fill cursor here; `derive` resets it.
        w.unknown.clear();
        w.unknown.extend_from_slice(&w.on_start[..n]);
        for li in 0..self.line_count() {
            for e in self.entries(li) {
                w.on[w.unknown[e]] = li;
                w.unknown[e] += 1;
            }
        }
    }

    /// For each hidden entry a reader can work out by subtraction, the line that gives it away
    /// and the step at which it does.
    fn derive(&self, w: &mut Work) {
        w.known.clear();
        w.known.extend(w.hidden.iter().map(|h| !h));
        w.derived.clear();
        w.derived.resize(self.values.len(), None);
        w.unknown.clear();
        w.queue.clear();
        for li in 0..self.line_count() {
            let u = self.entries(li).filter(|&e| !w.known[e]).count();
            w.unknown.push(u);
            if u == 1 {
                w.queue.push(li);
            }
        }
        let mut step = 0;
        while let Some(li) = w.queue.pop() {
            if w.unknown[li] != 1 {
                continue;
            }
            let Some(e) = self.entries(li).find(|&e| !w.known[e]) else {
                continue;
            };
            w.known[e] = true;
            w.derived[e] = Some((li, step));
            step += 1;
            for &l2 in &w.on[w.on_start[e]..w.on_start[e + 1]] {
                w.unknown[l2] -= 1;
                if w.unknown[l2] == 1 {
                    w.queue.push(l2);
                }
            }
        }
    }

    /// Hides one more entry of a line whose hidden members add up to too little: the smallest
    /// non-zero published member (a zero adds nothing to the sum), else the total; when the
    /// total was itself worked out, or every member left is, cuts one of those chains instead.
    fn widen(&self, li: usize, derived: &[Option<(usize, usize)>], hidden: &mut [bool]) -> bool {
        let total = self.totals[li];
        let members = self.line_members(li);
        let pick = members
            .iter()
            .copied()
            .filter(|&e| !hidden[e] && self.values[e] > 0)
            .min_by_key(|&e| (self.values[e], e))
            .or_else(|| Some(total).filter(|&e| !hidden[e]));
        if let Some(e) = pick {
            hidden[e] = true;
            return true;
        }
        if derived[total].is_some() && self.cut(total, derived, hidden) {
            return true;
        }
        // Members worked out elsewhere: make the earliest non-zero one underivable.
        let mut chains: Vec<(usize, usize)> = members
            .iter()
            .filter(|&&e| self.values[e] > 0)
            .filter_map(|&e| derived[e].map(|(_, s)| (s, e)))
            .collect();
        chains.sort_unstable();
        chains
            .into_iter()
            .any(|(_, e)| self.cut(e, derived, hidden))
    }

    /// Hides one more published entry so that `leak` is no longer derived through its line:
    /// the smallest non-zero published member, else the total. Never a zero: it would add
    /// nothing to what the hidden cells of the line sum to, which must reach k (see `widen`).
    /// When every other entry of the line was itself derived, cuts the earliest of those chains
    /// instead.
    fn cut(&self, leak: usize, derived: &[Option<(usize, usize)>], hidden: &mut [bool]) -> bool {
        let Some((li, step)) = derived[leak] else {
            return false;
        };
        let members = self.line_members(li);
        let total = self.totals[li];
        let visible = |e: usize| e != leak && !hidden[e];
        let pick = members
            .iter()
            .copied()
            .filter(|&e| visible(e) && self.values[e] > 0)
            .min_by_key(|&e| (self.values[e], e))
            .or_else(|| Some(total).filter(|&e| visible(e)));
        if let Some(e) = pick {
            hidden[e] = true;
            return true;
        }
        // Every other non-zero entry was hidden but derived earlier: make one underivable.
        let earlier = self
            .entries(li)
            .filter(|&e| e != leak && (e == total || self.values[e] > 0))
            .filter_map(|e| derived[e].map(|(_, s)| (s, e)))
            .filter(|&(s, _)| s < step)
            .min();
        match earlier {
            Some((_, e)) => self.cut(e, derived, hidden),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A grid with row totals, column totals and a grand total, all published.
    fn grid(cells: &[Vec<u64>]) -> (Table, Vec<Vec<usize>>, Vec<usize>, Vec<usize>, usize) {
        let rows = cells.len();
        let cols = cells[0].len();
        let mut t = Table::new();
        let ids: Vec<Vec<usize>> = cells
            .iter()
            .map(|r| r.iter().map(|&v| t.entry(v, true)).collect())
            .collect();
        let row_tot: Vec<usize> = cells
            .iter()
            .map(|r| t.entry(r.iter().sum(), true))
            .collect();
        let col_tot: Vec<usize> = (0..cols)
            .map(|c| t.entry(cells.iter().map(|r| r[c]).sum(), true))
            .collect();
        let grand = t.entry(cells.iter().flatten().sum(), true);
        for r in 0..rows {
            t.line(ids[r].clone(), row_tot[r]);
        }
        for c in 0..cols {
            t.line((0..rows).map(|r| ids[r][c]), col_tot[c]);
        }
        t.line(row_tot.clone(), grand);
        t.line(col_tot.clone(), grand);
        (t, ids, row_tot, col_tot, grand)
    }

    /// The reader's attack, written independently of `derive`: any row or column with one
    /// unknown entry gives it away by subtraction; repeat until nothing changes.
    fn attack(values: &[u64], lines: &[(Vec<usize>, usize)], hidden: &[bool]) -> Vec<Option<u64>> {
        let mut known: Vec<Option<u64>> = values
            .iter()
            .zip(hidden)
            .map(|(&v, &h)| (!h).then_some(v))
            .collect();
        loop {
            let mut changed = false;
            for (members, total) in lines {
                let unknown: Vec<usize> = members
                    .iter()
                    .chain(std::iter::once(total))
                    .copied()
                    .filter(|&e| known[e].is_none())
                    .collect();
                if unknown.len() != 1 {
                    continue;
                }
                let e = unknown[0];
                let sum: i64 = members
                    .iter()
                    .filter_map(|&m| known[m])
                    .map(|v| v as i64)
                    .sum();
                let v = if e == *total {
                    sum
                } else {
                    known[*total].unwrap_or(0) as i64 - sum
                };
                known[e] = Some(v as u64);
                changed = true;
            }
            if !changed {
                return known;
            }
        }
    }

    /// What the reader learns beyond exact values: along a line whose total they know, the
    /// hidden members add up to the total minus the members they know. A hidden sum from 1 to
    /// k-1 shows a small group. Zeros are published, so each suppressed count (published but
    /// hidden; an unpublished one may be 0) is at least 1: a hidden sum no greater than the
    /// number suppressed pins each at 1. Returns the lines that give such a thing away, with
    /// their hidden sum and suppressed members.
    fn small_groups(
        values: &[u64],
        published: &[bool],
        lines: &[(Vec<usize>, usize)],
        known: &[Option<u64>],
        k: u32,
    ) -> Vec<(usize, u64, usize)> {
        let mut out = Vec::new();
        for (li, (members, total)) in lines.iter().enumerate() {
            if known[*total].is_none() {
                continue;
            }
            let hidden: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&m| known[m].is_none())
                .collect();
            let sum: u64 = hidden.iter().map(|&m| values[m]).sum();
            let suppressed = hidden.iter().filter(|&&m| published[m]).count();
            if hidden.len() >= 2 && sum >= 1 && (sum < u64::from(k) || sum <= suppressed as u64) {
                out.push((li, sum, suppressed));
            }
        }
        out
    }

    /// One line of three published members and its published total.
    fn one_line(counts: &[u64]) -> (Table, Vec<usize>, usize) {
        let mut t = Table::new();
        let ids: Vec<usize> = counts.iter().map(|&v| t.entry(v, true)).collect();
        let total = t.entry(counts.iter().sum(), true);
        t.line(ids.clone(), total);
        (t, ids, total)
    }

    #[test]
    fn two_ones_hidden_beside_a_published_total_take_a_third_cell_with_them() {
        // 1 + 1 + 18 = 20: hiding only the ones tells a reader they add up to 2, and since
        // zeros are published, that each is 1.
        let (mut t, ids, total) = one_line(&[1, 1, 18]);
        let s = t.protect(5).to_vec();
        assert!(s[ids[0]] && s[ids[1]], "{s:?}");
        assert!(
            s[ids[2]] || s[total],
            "1 + 1 + 18 = 20 leaves 1 and 1: {s:?}"
        );
    }

    #[test]
    fn hidden_cells_that_add_up_to_less_than_k_are_widened() {
        // 2 + 1 hidden, 0 and 30 shown, 33 in all: a reader learns 3 chose a or b.
        let (mut t, ids, total) = one_line(&[2, 1, 0, 30]);
        let s = t.protect(5).to_vec();
        assert!(s[ids[3]] || s[total], "{s:?}");
        // Hiding the zero instead would not have helped: it adds nothing to the hidden sum.
        assert!(!s[ids[2]], "{s:?}");
    }

    #[test]
    fn five_ones_in_a_room_of_five_hide_the_total() {
        // Every hidden count is at least 1 and they add up to 5: each is 1.
        let mut t = Table::new();
        let ids: Vec<usize> = (0..5).map(|_| t.entry(1, true)).collect();
        let total = t.entry(5, true);
        t.line(ids.clone(), total);
        let s = t.protect(5).to_vec();
        assert!(s[total], "{s:?}");
    }

    #[test]
    fn a_lone_small_cell_gets_a_partner_in_its_row_and_column() {
        let cells = vec![vec![20, 3, 30], vec![25, 40, 35]];
        let (mut t, ids, ..) = grid(&cells);
        let s = t.protect(5);
        assert!(s[ids[0][1]]);
        // Its row and column each need a second hidden cell: (1,1) closes both, with (0,0) or
        // (0,2) and the matching cell of row 1 closing the rectangle.
        let hidden: usize = s.iter().filter(|&&h| h).count();
        assert!(hidden >= 4, "{s:?}");
    }

    #[test]
    fn nothing_small_means_nothing_hidden() {
        let cells = vec![vec![0, 10], vec![7, 0]];
        let (mut t, ..) = grid(&cells);
        assert!(t.protect(5).iter().all(|&h| !h));
    }

    proptest! {
        #[test]
        fn no_small_count_is_derivable_in_a_grid(
            cells in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| {
                proptest::collection::vec(
                    proptest::collection::vec(prop_oneof![Just(0u64), 1u64..5, 5u64..40], c),
                    r,
                )
            }),
            k in 2u32..7,
            // Entries never published (a total nobody writes down, an unmapped count).
            unpublished in proptest::collection::vec(proptest::bool::weighted(0.15), 25),
        ) {
            let (mut t, ..) = grid(&cells);
            for (p, &u) in t.published.iter_mut().zip(&unpublished) {
                *p &= !u;
            }
            let suppressed = t.protect(k).to_vec();
            let hidden: Vec<bool> = suppressed
                .iter()
                .zip(&t.published)
                .map(|(&s, &p)| s || !p)
                .collect();
            let lines: Vec<(Vec<usize>, usize)> = (0..t.line_count())
                .map(|l| (t.line_members(l).to_vec(), t.totals[l]))
                .collect();
            let known = attack(&t.values, &lines, &hidden);
            for (i, v) in known.iter().enumerate() {
                if let Some(v) = v {
                    prop_assert_eq!(*v, t.values[i], "the attack must be exact");
                    prop_assert!(
                        !(1..u64::from(k)).contains(v),
                        "entry {} = {} is readable or derivable (k = {})", i, v, k
                    );
                }
            }
            let groups = small_groups(&t.values, &t.published, &lines, &known, k);
            prop_assert!(
                groups.is_empty(),
                "lines (line, hidden sum, suppressed members) give a small group away (k = {}): {:?}",
                k,
                groups
            );
        }
    }
}
