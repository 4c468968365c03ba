//! Small-cell suppression over a table of counts and the sums that tie them ("lines": members
//! that add up to a total). Primary: every published count from 1 to k-1 is hidden.
//! Complementary: more entries are hidden until no count from 1 to k-1 can be worked out by
//! subtraction along the lines, repeated as far as it goes. Pure: knows nothing of sessions.

/// One sum: the members add up to the total (an entry like any other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub members: Vec<usize>,
    pub total: usize,
}

/// Counts, whether each is published at all, and the lines that tie them.
#[derive(Debug, Clone, Default)]
pub struct Table {
    values: Vec<u64>,
    published: Vec<bool>,
    lines: Vec<Line>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds an entry. An unpublished entry (a total nobody writes down, a count left out of the
    /// mapping) is still protected: it must not become derivable when it is small.
    pub fn entry(&mut self, value: u64, published: bool) -> usize {
        self.values.push(value);
        self.published.push(published);
        self.values.len() - 1
    }

    pub fn line(&mut self, members: Vec<usize>, total: usize) {
        self.lines.push(Line { members, total });
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Which published entries to write as suppressed.
    pub fn protect(&self, min_cell: u32) -> Vec<bool> {
        let k = u64::from(min_cell);
        let small = |v: u64| v >= 1 && v < k;
        let n = self.values.len();
        // Hidden from the reader: never published, or suppressed.
        let mut hidden: Vec<bool> = (0..n)
            .map(|i| !self.published[i] || small(self.values[i]))
            .collect();
        if !self.values.iter().any(|&v| small(v)) {
            return self.suppressed(&hidden);
        }
        let index = LineIndex::new(self);
        let mut scratch = Scratch::default();
        let mut cut_lines = Vec::new();
        loop {
            self.derive(&hidden, &index, &mut scratch);
            // Every leak found in this pass is cut in its own line; leaks in separate lines
            // are independent, and one cut per line is all a line needs.
            cut_lines.clear();
            let mut leaked = false;
            for i in 0..n {
                let Some((line, _)) = scratch.derived[i] else {
                    continue;
                };
                if !hidden[i] || !small(self.values[i]) || cut_lines.contains(&line) {
                    continue;
                }
                leaked = true;
                if self.cut(i, &scratch.derived, &mut hidden) {
                    cut_lines.push(line);
                }
            }
            if !leaked {
                return self.suppressed(&hidden);
            }
            if cut_lines.is_empty() {
                // Nothing left to hide: cannot happen while a published entry sits on the
                // line, and a line of hidden entries derives nothing. Hide all to stay safe.
                return self.published.clone();
            }
        }
    }

    fn suppressed(&self, hidden: &[bool]) -> Vec<bool> {
        hidden
            .iter()
            .zip(&self.published)
            .map(|(&h, &p)| h && p)
            .collect()
    }

    fn entries(&self, line: usize) -> impl Iterator<Item = usize> + '_ {
        let l = &self.lines[line];
        l.members.iter().copied().chain(std::iter::once(l.total))
    }

    /// For each hidden entry a reader can work out by subtraction, the line that gives it away
    /// and the step at which it does.
    fn derive(&self, hidden: &[bool], index: &LineIndex, s: &mut Scratch) {
        let n = hidden.len();
        s.known.clear();
        s.known.extend(hidden.iter().map(|h| !h));
        s.derived.clear();
        s.derived.resize(n, None);
        s.unknown.clear();
        s.queue.clear();
        for li in 0..self.lines.len() {
            let u = self.entries(li).filter(|&e| !s.known[e]).count();
            s.unknown.push(u);
            if u == 1 {
                s.queue.push(li);
            }
        }
        let mut step = 0;
        while let Some(li) = s.queue.pop() {
            if s.unknown[li] != 1 {
                continue;
            }
            let Some(e) = self.entries(li).find(|&e| !s.known[e]) else {
                continue;
            };
            s.known[e] = true;
            s.derived[e] = Some((li, step));
            step += 1;
            for &l2 in index.of(e) {
                s.unknown[l2] -= 1;
                if s.unknown[l2] == 1 {
                    s.queue.push(l2);
                }
            }
        }
    }

    /// Hides one more published entry so that `leak` is no longer derived through its line:
    /// the smallest non-zero published member (so the hidden cells of the line sum to k or
    /// more), else a zero member, else the total; when every other entry of the line was itself
    /// derived, cuts the earliest of those chains instead.
    fn cut(
        &self,
        leak: usize,
        derived: &[Option<(usize, usize)>],
        hidden: &mut [bool],
    ) -> bool {
        let Some((li, step)) = derived[leak] else {
            return false;
        };
        let line = &self.lines[li];
        let visible = |e: &usize| *e != leak && !hidden[*e];
        let pick = line
            .members
            .iter()
            .filter(|e| visible(e) && self.values[**e] > 0)
            .min_by_key(|e| (self.values[**e], **e))
            .or_else(|| line.members.iter().find(|e| visible(e)))
            .or_else(|| Some(&line.total).filter(|e| visible(e)));
        if let Some(&e) = pick {
            hidden[e] = true;
            return true;
        }
        // Every other entry was hidden but derived earlier: make one of them underivable.
        let earlier = self
            .entries(li)
            .filter(|&e| e != leak)
            .filter_map(|e| derived[e].map(|(_, s)| (s, e)))
            .filter(|&(s, _)| s < step)
            .min();
        match earlier {
            Some((_, e)) => self.cut(e, derived, hidden),
            None => false,
        }
    }
}

/// The lines each entry sits on, in one flat array.
struct LineIndex {
    start: Vec<usize>,
    lines: Vec<usize>,
}

impl LineIndex {
    fn new(t: &Table) -> LineIndex {
        let n = t.values.len();
        let mut start = vec![0usize; n + 1];
        for li in 0..t.lines.len() {
            for e in t.entries(li) {
                start[e + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut lines = vec![0; start[n]];
        for li in 0..t.lines.len() {
            for e in t.entries(li) {
                lines[fill[e]] = li;
                fill[e] += 1;
            }
        }
        LineIndex { start, lines }
    }

    fn of(&self, e: usize) -> &[usize] {
        &self.lines[self.start[e]..self.start[e + 1]]
    }
}

/// Buffers `derive` reuses between passes.
#[derive(Default)]
struct Scratch {
    known: Vec<bool>,
    derived: Vec<Option<(usize, usize)>>,
    unknown: Vec<usize>,
    queue: Vec<usize>,
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
            t.line((0..rows).map(|r| ids[r][c]).collect(), col_tot[c]);
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

    #[test]
    fn a_lone_small_cell_gets_a_partner_in_its_row_and_column() {
        let cells = vec![vec![20, 3, 30], vec![25, 40, 35]];
        let (t, ids, ..) = grid(&cells);
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
        let (t, ..) = grid(&cells);
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
        ) {
            let (t, ..) = grid(&cells);
            let hidden = t.protect(k);
            let lines: Vec<(Vec<usize>, usize)> =
                t.lines.iter().map(|l| (l.members.clone(), l.total)).collect();
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
        }
    }
}
