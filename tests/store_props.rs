//! Properties over random sessions: importing bundles is idempotent and order-free; and no export
//! (CSV, JSON, DHIS2) leaves a count from 1 to k-1 that a reader can work out by subtraction
//! along the rows that add up (each question's counts add up to the people in the room).

mod store_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
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

/// The reader's attack: repeatedly fill in the one unknown of any line. Returns the values the
/// reader ends up knowing (published or worked out).
fn attack(values: &[u64], published: &[bool], lines: &[Line]) -> Vec<Option<u64>> {
    let mut known: Vec<Option<u64>> = values
        .iter()
        .zip(published)
        .map(|(&v, &p)| p.then_some(v))
        .collect();
    loop {
        let mut changed = false;
        for l in lines {
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

fn assert_nothing_small_derivable(
    values: &[u64],
    published: &[bool],
    lines: &[Line],
    k: u32,
    what: &str,
) -> Result<(), TestCaseError> {
    let known = attack(values, published, lines);
    for (i, v) in known.iter().enumerate() {
        if let Some(v) = v {
            prop_assert_eq!(*v, values[i], "{}: the attack must be exact", what);
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
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_and_json_exports_leave_no_small_count_derivable(
        seed in any::<u64>(),
        n in 1usize..6,
        k in 2u32..8,
    ) {
        let sessions = made_up(seed, n);
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
            // The table of one session: its counts and the people in the room, H.
            let mut values = Vec::new();
            let mut published = Vec::new();
            let people = s.tallies.iter().map(|t| {
                let q = s.questions.iter().find(|q| q.id == t.question).unwrap();
                if q.qtype == waymark::curriculum::QuestionType::Multiple {
                    0
                } else {
                    t.counts.values().sum::<u32>()
                }
            }).max().unwrap_or(0);
            let h = u64::from(s.headcount.unwrap_or(people));
            values.push(h);
            published.push(heads[&s.session_id].is_some());
            let mut lines = Vec::new();
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
                    members.push(values.len());
                    values.push(u64::from(t.counts[c]));
                    published.push(cells[&key].is_some());
                }
                // Every one-answer question's counts add up to the room (the made-up
                // sessions have everyone answer): the strongest case for the reader.
                if q.qtype != waymark::curriculum::QuestionType::Multiple {
                    lines.push(Line { members, total: 0 });
                }
            }
            assert_nothing_small_derivable(&values, &published, &lines, k, &s.session_id)?;
        }
    }

    #[test]
    fn dhis2_export_leaves_no_small_count_derivable(
        seed in any::<u64>(),
        n in 1usize..12,
        k in 2u32..8,
    ) {
        let sessions = sample::sessions(seed, n, 6);
        let mut store = Store::open_in_memory().unwrap();
        store.import_results(&sessions).unwrap();
        let map = full_map(6);
        let mut out = Vec::new();
        let options = ExportOptions {
            format: ExportFormat::Dhis2,
            min_cell: k,
            dhis2: Some(map),
            ..ExportOptions::default()
        };
        store.export(&Filter::default(), &options, &mut out, Path::new("-")).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut published: BTreeMap<(String, String, String), u64> = BTreeMap::new();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            published.insert((f[0].to_string(), f[1].to_string(), f[3].to_string()), f[5].parse().unwrap());
        }
        // Recompute the true sums per module and month, and attack each table.
        let mut sums: BTreeMap<(String, String), (u64, Counts)> = BTreeMap::new();
        for s in &sessions {
            let period = s.date.replace('-', "")[..6].to_string();
            let e = sums.entry((s.module_id.clone(), period)).or_default();
            let people = s.headcount.map(u64::from).unwrap_or_else(|| {
                s.tallies.iter().map(|t| {
                    let q = s.questions.iter().find(|q| q.id == t.question).unwrap();
                    if q.qtype == waymark::curriculum::QuestionType::Multiple {
                        u64::from(t.counts.values().copied().max().unwrap_or(0))
                    } else {
                        t.counts.values().map(|&c| u64::from(c)).sum()
                    }
                }).max().unwrap_or(0)
            });
            e.0 += people;
            for t in &s.tallies {
                for (c, &v) in &t.counts {
                    *e.1.entry((t.question.clone(), t.phase.name().to_string(), c.clone())).or_insert(0) += u64::from(v);
                }
            }
        }
        let questions = sample::questions(6);
        for ((module, period), (people, counts)) in &sums {
            let mut values = vec![*people];
            let mut shown = vec![published.contains_key(&(format!("P{module}"), period.clone(), String::new()))];
            let mut lines = Vec::new();
            let mut rows: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
            for ((q, phase, c), &v) in counts {
                let de = format!("{}{}{}", &phase[..1].to_uppercase(), module.len(), q);
                rows.entry((q.clone(), phase.clone())).or_default().push(values.len());
                values.push(v);
                let key = (de, period.clone(), format!("C{c}"));
                let is_shown = published.get(&key).copied();
                if let Some(p) = is_shown {
                    prop_assert_eq!(p, v);
                }
                shown.push(is_shown.is_some());
            }
            for ((q, _), members) in rows {
                let info = questions.iter().find(|i| i.id == q).unwrap();
                if info.qtype != waymark::curriculum::QuestionType::Multiple {
                    lines.push(Line { members, total: 0 });
                }
            }
            assert_nothing_small_derivable(&values, &shown, &lines, k, &format!("{module} {period}"))?;
        }
    }
}

/// Summed counts by (question, phase, choice).
type Counts = BTreeMap<(String, String, String), u64>;

/// A mapping of every made-up module, question, phase and choice: data elements
/// `{B|D|A}{len(module)}{question}`, participants `P{module}`, combos `C{choice}`.
fn full_map(questions: usize) -> Dhis2Map {
    let mut text = String::from("orgunit = \"OU000000001\"\nperiod = \"monthly\"\n");
    for m in ["warning-signs", "fake-job-offers", "getting-help", "rights"] {
        text.push_str(&format!(
            "[modules.{m}.participants]\ndataelement = \"P{m}\"\n"
        ));
        for q in sample::questions(questions) {
            let choices: Vec<String> = q
                .choices
                .iter()
                .map(|c| format!("\"{c}\" = \"C{c}\""))
                .collect();
            text.push_str(&format!(
                "[modules.{m}.questions.{id}]\nbefore = \"B{n}{id}\"\nduring = \"D{n}{id}\"\nafter = \"A{n}{id}\"\nchoices = {{ {} }}\n",
                choices.join(", "),
                id = q.id,
                n = m.len(),
            ));
        }
    }
    Dhis2Map::parse(&text).unwrap()
}
