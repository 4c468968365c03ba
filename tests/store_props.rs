//! Properties over random sessions: importing bundles is idempotent and order-free; and no export
//! (CSV, JSON, DHIS2) leaves a count from 1 to k-1 that a reader can work out by subtraction
//! along the rows that add up (each question's counts and the people who did not answer it add
//! up to the people in the room; a multiple-choice count and those who did not choose it too),
//! nor a small group in what the hidden cells of such a row add up to.

mod store_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use waymark::curriculum::QuestionType;
use waymark::session::SessionResult;
use waymark::store::sample::{self, Rng};
use waymark::store::{Dhis2Map, ExportFormat, ExportOptions, Filter, Store};

fn bundle(store: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    store
        .write_bundle(&Filter::default(), &mut out, Path::new("b.json"))
        .unwrap();
    out
}

fn bundle_of(sessions: &[SessionResult]) -> Vec<u8> {
    let mut store = Store::open_in_memory().unwrap();
    store.import_results(sessions).unwrap();
    bundle(&store)
}

/// Some people not answering some questions, and now and then a miscount: the made-up sessions
/// have everyone answer every question, which real rooms do not. For each one-answer tally, one
/// time in three, 1 to 4 answers are taken away (a non-response, the count the reader must not
/// learn); one time in twelve, 1 to 3 are added on top of the headcount (an overcount, which adds
/// up to nothing); and one headcount in four grows by 1 to 3 (people who answered nothing).
fn with_gaps(mut sessions: Vec<SessionResult>, seed: u64) -> Vec<SessionResult> {
    let mut rng = Rng::new(seed);
    for s in &mut sessions {
        let multiple: BTreeSet<String> = s
            .questions
            .iter()
            .filter(|q| q.qtype == QuestionType::Multiple)
            .map(|q| q.id.clone())
            .collect();
        for t in &mut s.tallies {
            if multiple.contains(&t.question) {
                continue;
            }
            match rng.below(12) {
                0..=3 => {
                    for _ in 0..1 + rng.below(4) {
                        let answered: Vec<String> = t
                            .counts
                            .iter()
                            .filter(|(_, &n)| n > 0)
                            .map(|(c, _)| c.clone())
                            .collect();
                        if answered.is_empty() {
                            break;
                        }
                        let c = &answered[rng.below(answered.len() as u64) as usize];
                        if let Some(n) = t.counts.get_mut(c) {
                            *n -= 1;
                        }
                    }
                }
                4 if s.headcount.is_some() => {
                    if let Some(n) = t.counts.values_mut().next() {
                        *n += 1 + rng.below(3) as u32;
                    }
                }
                _ => {}
            }
        }
        if let Some(h) = &mut s.headcount {
            if rng.below(4) == 0 {
                *h += 1 + rng.below(3) as u32;
            }
        }
    }
    sessions
}

/// Small, varied sessions: rooms of 3 to 40, 1 to 6 questions.
fn made_up(seed: u64, n: usize) -> Vec<SessionResult> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let q = 1 + rng.below(6) as usize;
            sample::session(&mut rng, q)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn import_is_idempotent_and_commutative(
        seed in any::<u64>(),
        n in 0usize..10,
        masks in proptest::collection::vec(any::<u16>(), 1..4),
        order in any::<u64>(),
    ) {
        let all = made_up(seed, n);
        // Overlapping subsets, one bundle each.
        let bundles: Vec<Vec<u8>> = masks
            .iter()
            .map(|m| {
                let subset: Vec<SessionResult> = all
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| m & (1 << i) != 0)
                    .map(|(_, s)| s.clone())
                    .collect();
                bundle_of(&subset)
            })
            .collect();
        let union: BTreeSet<&str> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| masks.iter().any(|m| m & (1 << i) != 0))
            .map(|(_, s)| s.session_id.as_str())
            .collect();

        // In the given order.
        let mut first = Store::open_in_memory().unwrap();
        for b in &bundles {
            first.import_bundle(b, Path::new("b.json")).unwrap();
        }
        // In another order, each bundle twice.
        let mut shuffled = bundles.clone();
        let mut rng = Rng::new(order);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut second = Store::open_in_memory().unwrap();
        for b in &shuffled {
            second.import_bundle(b, Path::new("b.json")).unwrap();
            let again = second.import_bundle(b, Path::new("b.json")).unwrap();
            prop_assert_eq!(again.added, 0);
        }
        prop_assert_eq!(bundle(&first), bundle(&second));
        let ids = first.session_ids(&Filter::default()).unwrap();
        prop_assert_eq!(ids.iter().map(String::as_str).collect::<BTreeSet<_>>(), union);
        // What went in comes out unchanged.
        for s in first.sessions(&Filter::default()).unwrap() {
            let original = all.iter().find(|o| o.session_id == s.session_id).unwrap();
            prop_assert_eq!(s.summary(), original.summary());
        }
    }
}

/// One line a reader can subtract along: these cells add up to `total`.
struct Line {
    members: Vec<usize>,
    total: usize,
}

/// One table as a reader faces it: the true values; which are shown; which have a place in the
/// export, so that hidden they read "suppressed" and are at least 1 (zeros are shown), where a
/// value without a place (unmapped, or never published) may be 0; and the lines.
#[derive(Default)]
struct Table {
    values: Vec<u64>,
    shown: Vec<bool>,
    placed: Vec<bool>,
    lines: Vec<Line>,
}

impl Table {
    fn entry(&mut self, value: u64, shown: bool, placed: bool) -> usize {
        self.values.push(value);
        self.shown.push(shown);
        self.placed.push(placed);
        self.values.len() - 1
    }

    /// The lines of one tally whose cells are `members`: a one-answer question's counts and the
    /// people who did not answer it (never published, and may be 0) add up to the room (entry
    /// 0); when everyone answered, the counts alone do, and the reader may assume so; counts
    /// adding up to more than the room add up to nothing the reader knows. A multiple-choice
    /// count and the people who did not choose it (never published) add up to the room too.
    fn tally(&mut self, multiple: bool, mut members: Vec<usize>) {
        if !multiple {
            let sum: u64 = members.iter().map(|&m| self.values[m]).sum();
            let room = self.values[0];
            if sum > room {
                return;
            }
            if sum < room {
                members.push(self.entry(room - sum, false, false));
            }
            self.lines.push(Line { members, total: 0 });
            return;
        }
        for m in members {
            if self.values[m] <= self.values[0] {
                let not_chosen = self.entry(self.values[0] - self.values[m], false, false);
                self.lines.push(Line {
                    members: vec![m, not_chosen],
                    total: 0,
                });
            }
        }
    }

    /// The reader's attack: repeatedly fill in the one unknown of any line. Returns the values
    /// the reader ends up knowing (shown or worked out).
    fn attack(&self) -> Vec<Option<u64>> {
        let mut known: Vec<Option<u64>> = self
            .values
            .iter()
            .zip(&self.shown)
            .map(|(&v, &p)| p.then_some(v))
            .collect();
        loop {
            let mut changed = false;
            for l in &self.lines {
                let unknown: Vec<usize> = l
                    .members
                    .iter()
                    .chain(std::iter::once(&l.total))
                    .copied()
                    .filter(|&e| known[e].is_none())
                    .collect();
                if unknown.len() != 1 {
                    continue;
                }
                let sum: u64 = l.members.iter().filter_map(|&m| known[m]).sum();
                let e = unknown[0];
                known[e] = Some(if e == l.total {
                    sum
                } else {
                    known[l.total].unwrap_or(0) - sum
                });
                changed = true;
            }
            if !changed {
                return known;
            }
        }
    }

    /// Checks that a reader learns no count from 1 to k-1: none is shown or worked out by
    /// subtraction; and along every line whose total the reader knows, the hidden members add
    /// up to k or more (a smaller sum is a small group: "3 people chose a or b"), and to more
    /// than the suppressed ones among them (each is at least 1, so a sum no greater than their
    /// number pins every one of them at 1).
    fn assert_safe(&self, k: u32, what: &str) -> Result<(), TestCaseError> {
        let known = self.attack();
        for (i, v) in known.iter().enumerate() {
            if let Some(v) = v {
                prop_assert_eq!(*v, self.values[i], "{}: the attack must be exact", what);
                prop_assert!(
                    !(1..u64::from(k)).contains(v),
                    "{}: entry {} = {} can be read or worked out (k = {})",
                    what,
                    i,
                    v,
                    k
                );
            }
        }
        for l in &self.lines {
            if known[l.total].is_none() {
                continue;
            }
            let hidden: Vec<usize> = l
                .members
                .iter()
                .copied()
                .filter(|&m| known[m].is_none())
                .collect();
            let sum: u64 = hidden.iter().map(|&m| self.values[m]).sum();
            let suppressed = hidden.iter().filter(|&&m| self.placed[m]).count() as u64;
            prop_assert!(
                hidden.len() < 2 || sum == 0 || (sum >= u64::from(k) && sum > suppressed),
                "{}: the hidden cells {:?} of a line with a known total add up to {} (k = {}), \
                 which gives a small group away",
                what,
                hidden,
                sum,
                k
            );
        }
        Ok(())
    }
}

fn is_multiple(s: &SessionResult, question: &str) -> bool {
    s.questions
        .iter()
        .any(|q| q.id == question && q.qtype == QuestionType::Multiple)
}

/// The people in the room as the export counts them: the headcount, else the most who answered
/// any one question (for multiple choice, the largest count).
fn people(s: &SessionResult) -> u64 {
    s.headcount.map(u64::from).unwrap_or_else(|| {
        s.tallies
            .iter()
            .map(|t| {
                if is_multiple(s, &t.question) {
                    u64::from(t.counts.values().copied().max().unwrap_or(0))
                } else {
                    t.counts.values().map(|&c| u64::from(c)).sum()
                }
            })
            .max()
            .unwrap_or(0)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_and_json_exports_leave_no_small_count_derivable(
        seed in any::<u64>(),
        n in 1usize..6,
        k in 2u32..8,
        gaps in any::<u64>(),
    ) {
        let sessions = with_gaps(made_up(seed, n), gaps);
        let mut store = Store::open_in_memory().unwrap();
        store.import_results(&sessions).unwrap();
        let export = |format| {
            let mut out = Vec::new();
            let options = ExportOptions { format, min_cell: k, ..ExportOptions::default() };
            store.export(&Filter::default(), &options, &mut out, Path::new("-")).unwrap();
            String::from_utf8(out).unwrap()
        };
        let csv = export(ExportFormat::Csv);
        let json: serde_json::Value = serde_json::from_str(&export(ExportFormat::Json)).unwrap();

        // Published cells by (session, phase, question, choice), and headcounts, from the CSV.
        let mut cells: BTreeMap<(String, String, String, String), Option<u64>> = BTreeMap::new();
        let mut heads: BTreeMap<String, Option<u64>> = BTreeMap::new();
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let num = |s: &str| s.parse::<u64>().ok();
            heads.insert(f[0].to_string(), num(f[9]));
            cells.insert(
                (f[0].to_string(), f[10].to_string(), f[11].to_string(), f[13].to_string()),
                num(f[15]),
            );
        }
        // The JSON publishes exactly the same.
        for s in json["sessions"].as_array().unwrap() {
            let id = s["session_id"].as_str().unwrap().to_string();
            prop_assert_eq!(s["headcount"].as_u64(), heads[&id]);
            for t in s["tallies"].as_array().unwrap() {
                for (c, v) in t["counts"].as_object().unwrap() {
                    let key = (
                        id.clone(),
                        t["phase"].as_str().unwrap().to_string(),
                        t["question"].as_str().unwrap().to_string(),
                        c.clone(),
                    );
                    prop_assert_eq!(v.as_u64(), cells[&key]);
                }
            }
        }

        for s in &sessions {
            // The table of one session: the people in the room, H, and its counts.
            let mut table = Table::default();
            table.entry(people(s), heads[&s.session_id].is_some(), s.headcount.is_some());
            for t in &s.tallies {
                let q = s.questions.iter().find(|q| q.id == t.question).unwrap();
                let mut members = Vec::new();
                for c in &q.choices {
                    let key = (
                        s.session_id.clone(),
                        t.phase.name().to_string(),
                        q.id.clone(),
                        c.clone(),
                    );
                    members.push(table.entry(u64::from(t.counts[c]), cells[&key].is_some(), true));
                }
                table.tally(q.qtype == QuestionType::Multiple, members);
            }
            table.assert_safe(k, &s.session_id)?;
        }
    }

    #[test]
    fn dhis2_export_leaves_no_small_count_derivable(
        seed in any::<u64>(),
        n in 1usize..12,
        k in 2u32..8,
        gaps in any::<u64>(),
    ) {
        let sessions = with_gaps(sample::sessions(seed, n, 6), gaps);
        dhis2_attack(&sessions, k, &map_of(6, &mut || true))?;
    }

    /// Choices, phases and totals the mapping leaves out are never published, yet they still
    /// add up with the rest: what is published must not give a small one away.
    #[test]
    fn dhis2_export_with_a_partial_mapping_leaves_no_small_count_derivable(
        seed in any::<u64>(),
        n in 1usize..12,
        k in 2u32..8,
        map_seed in any::<u64>(),
        gaps in any::<u64>(),
    ) {
        let mut rng = Rng::new(map_seed);
        let map = map_of(6, &mut || rng.below(4) > 0);
        let sessions = with_gaps(sample::sessions(seed, n, 6), gaps);
        dhis2_attack(&sessions, k, &map)?;
    }
}

/// Exports `sessions` to DHIS2 with `map`, recomputes the true sums per module and month, and
/// attacks each table with what the file publishes.
fn dhis2_attack(sessions: &[SessionResult], k: u32, map: &Dhis2Map) -> Result<(), TestCaseError> {
    let mut store = Store::open_in_memory().unwrap();
    store.import_results(sessions).unwrap();
    let mut out = Vec::new();
    let options = ExportOptions {
        format: ExportFormat::Dhis2,
        min_cell: k,
        dhis2: Some(map.clone()),
        ..ExportOptions::default()
    };
    store
        .export(&Filter::default(), &options, &mut out, Path::new("-"))
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut published: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        published.insert(
            (f[0].to_string(), f[1].to_string(), f[3].to_string()),
            f[5].parse().unwrap(),
        );
    }
    let mut sums: BTreeMap<(String, String), (u64, Counts)> = BTreeMap::new();
    for s in sessions {
        let period = s.date.replace('-', "")[..6].to_string();
        let e = sums.entry((s.module_id.clone(), period)).or_default();
        e.0 += people(s);
        for t in &s.tallies {
            for (c, &v) in &t.counts {
                *e.1.entry((t.question.clone(), t.phase.name().to_string(), c.clone()))
                    .or_insert(0) += u64::from(v);
            }
        }
    }
    let questions = sample::questions(6);
    for ((module, period), (people, counts)) in &sums {
        let mut table = Table::default();
        let key = (format!("P{module}"), period.clone(), String::new());
        let mapped = map.modules.get(module);
        table.entry(
            *people,
            published.contains_key(&key),
            mapped.is_some_and(|m| m.participants.is_some()),
        );
        let mut rows: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for ((q, phase, c), &v) in counts {
            let de = format!("{}{}{}", &phase[..1].to_uppercase(), module.len(), q);
            let placed = mapped.and_then(|m| m.questions.get(q)).is_some_and(|qm| {
                qm.choices.contains_key(c)
                    && [&qm.before, &qm.during, &qm.after]
                        .iter()
                        .any(|e| e.as_deref() == Some(de.as_str()))
            });
            let shown = published
                .get(&(de, period.clone(), format!("C{c}")))
                .copied();
            if let Some(p) = shown {
                prop_assert_eq!(p, v);
            }
            let id = table.entry(v, shown.is_some(), placed);
            rows.entry((q.clone(), phase.clone())).or_default().push(id);
        }
        for ((q, _), members) in rows {
            let info = questions.iter().find(|i| i.id == q).unwrap();
            table.tally(info.qtype == QuestionType::Multiple, members);
        }
        table.assert_safe(k, &format!("{module} {period}"))?;
    }
    Ok(())
}

/// Summed counts by (question, phase, choice).
type Counts = BTreeMap<(String, String, String), u64>;

/// A mapping of the made-up modules, questions, phases and choices, each kept where `keep` says
/// so: data elements `{B|D|A}{len(module)}{question}`, participants `P{module}`, combos
/// `C{choice}`.
fn map_of(questions: usize, keep: &mut dyn FnMut() -> bool) -> Dhis2Map {
    let mut text = String::from("orgunit = \"OU000000001\"\nperiod = \"monthly\"\n");
    for m in ["warning-signs", "fake-job-offers", "getting-help", "rights"] {
        if keep() {
            text.push_str(&format!(
                "[modules.{m}.participants]\ndataelement = \"P{m}\"\n"
            ));
        }
        for q in sample::questions(questions) {
            let choices: Vec<String> = q
                .choices
                .iter()
                .filter(|_| keep())
                .map(|c| format!("\"{c}\" = \"C{c}\""))
                .collect();
            text.push_str(&format!(
                "[modules.{m}.questions.{id}]\nchoices = {{ {} }}\n",
                choices.join(", "),
                id = q.id,
            ));
            for (key, letter) in [("before", 'B'), ("during", 'D'), ("after", 'A')] {
                if keep() {
                    text.push_str(&format!(
                        "{key} = \"{letter}{n}{id}\"\n",
                        id = q.id,
                        n = m.len()
                    ));
                }
            }
        }
    }
    Dhis2Map::parse(&text).unwrap()
}
