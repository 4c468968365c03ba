//! `report`: what the stored sessions add up to, as a typed `Report` for the CLI and the TUI
//! (sessions, participants, per module before/after scores and gain, item analysis per question).
//! Scoring is `session::result`'s (percent_correct, normalised_gain, GainBand); nothing is drawn
//! or printed here, and nothing is written.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::codec::{self, PackedTally, Shape};
use super::{Filter, Store, StoreError};
use crate::curriculum::QuestionType;
use crate::session::result::{normalised_gain, percent_correct, respondents};
use crate::session::GainBand;

/// Everything a report shows. Shares (`before`, `percent_correct`, ...) run from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Sessions held.
    pub sessions: u64,
    /// Participants reached: the headcount of each session, or where none was given, the
    /// most people who answered any one question.
    pub participants: u64,
    /// By module id.
    pub modules: Vec<ModuleReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleReport {
    pub module_id: String,
    /// Module versions seen, ascending.
    pub versions: Vec<u32>,
    pub sessions: u64,
    pub participants: u64,
    /// First and last day a session was held (`YYYY-MM-DD`).
    pub first_date: String,
    pub last_date: String,
    /// Sessions with a knowledge check scored both before and after the content.
    pub scored_sessions: u64,
    /// Average over those sessions of the class average before the content.
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Normalised gain of the two averages: (after - before) / (1 - before).
    pub gain: Option<f64>,
    pub band: Option<GainBand>,
    /// Item analysis, in module order (the newest version's), then any dropped questions.
    pub questions: Vec<QuestionReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionReport {
    pub question: String,
    pub qtype: QuestionType,
    /// Asked in the knowledge check before and after.
    pub check: bool,
    /// Sessions that asked it.
    pub sessions: u64,
    /// Average share correct per phase, over the sessions that asked it then.
    pub before: Option<f64>,
    pub during: Option<f64>,
    pub after: Option<f64>,
    /// Average share correct over every time it was asked; `None` for confidence questions.
    pub percent_correct: Option<f64>,
    /// The wrong choice picked most often, over every phase.
    pub top_wrong: Option<WrongChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WrongChoice {
    pub choice: String,
    /// How many times it was picked.
    pub count: u64,
    /// Of the people who answered the question.
    pub share: f64,
}

impl Report {
    /// The modules' questions, hardest first (lowest share correct), for a "what to practise"
    /// view. Confidence questions are left out.
    pub fn hardest(&self, module_id: &str) -> Vec<&QuestionReport> {
        let mut qs: Vec<&QuestionReport> = self
            .modules
            .iter()
            .filter(|m| m.module_id == module_id)
            .flat_map(|m| &m.questions)
            .filter(|q| q.percent_correct.is_some())
            .collect();
        qs.sort_by(|a, b| {
            a.percent_correct
                .partial_cmp(&b.percent_correct)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        qs
    }
}

/// Reads the sessions a filter covers and adds them up, on every core. Read-only.
pub fn report(store: &Store, filter: &Filter) -> Result<Report, StoreError> {
    let mut acc = Totals::default();
    store.scan(
        filter,
        false,
        |batch, shapes| {
            let mut part = Totals::default();
            for row in &batch.rows {
                let shape = shapes.get(row.shape)?;
                let added = part.add(
                    batch.module_id(row),
                    row.module_version,
                    batch.day(row),
                    row.headcount,
                    row.shape,
                    shape,
                    batch.counts(row),
                );
                if !added {
                    return Err("counts".to_string());
                }
            }
            Ok(part)
        },
        |part| {
            acc.merge(part);
            Ok(())
        },
    )?;
    Ok(acc.finish())
}

/// The plan of the query `report` runs, for checking it uses the indexes.
#[cfg(test)]
pub(super) fn query_plan(store: &Store, filter: &Filter) -> Vec<String> {
    let (clause, params) = filter.sql();
    let sql = format!(
        "EXPLAIN QUERY PLAN SELECT {} FROM session{clause}",
        super::scan::COLUMNS
    );
    let mut stmt = store.conn.prepare(&sql).unwrap();
    stmt.query_map(rusqlite::params_from_iter(params), |r| {
        r.get::<_, String>(3)
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Running sums for one question of one module.
#[derive(Default)]
struct QuestionSums {
    id: String,
    qtype: Option<QuestionType>,
    check: bool,
    sessions: u64,
    last_session: u64,
    phase_sum: [f64; 3],
    phase_n: [u64; 3],
    respondents: u64,
    wrong: Vec<(String, u64)>,
}

/// How one shape's questions map onto a module's running sums, with reusable count maps for
/// `percent_correct` (so scoring allocates nothing per session).
struct Plan {
    module: usize,
    slot: Vec<usize>,
    maps: Vec<BTreeMap<String, u32>>,
    /// Per question: for each entry of its map in key order, the choice index.
    order: Vec<Vec<usize>>,
    /// Per question, per choice: the wrong-choice slot, `None` for a correct choice.
    wrong: Vec<Vec<Option<usize>>>,
}

struct ModuleSums {
    id: String,
    versions: Vec<u32>,
    sessions: u64,
    participants: u64,
    first: String,
    last: String,
    scored: u64,
    before_sum: f64,
    after_sum: f64,
    questions: Vec<QuestionSums>,
    by_id: HashMap<String, usize>,
    /// The shape of the newest version seen: (version, digest), questions.
    newest: Option<(VersionKey, Arc<Shape>)>,
}

/// A module version and the digest of its question shape.
type VersionKey = (u32, [u8; 32]);

#[derive(Default)]
struct Totals {
    modules: Vec<ModuleSums>,
    by_id: HashMap<String, usize>,
    plans: HashMap<(usize, i64), Plan>,
    sessions: u64,
    participants: u64,
    tallies: Vec<PackedTally>,
    counts: Vec<u32>,
    scores: Vec<[Option<f64>; 3]>,
}

impl Totals {
    fn module(&mut self, id: &str) -> usize {
        if let Some(&m) = self.by_id.get(id) {
            return m;
        }
        self.modules.push(ModuleSums {
            id: id.to_string(),
            versions: Vec::new(),
            sessions: 0,
            participants: 0,
            first: String::new(),
            last: String::new(),
            scored: 0,
            before_sum: 0.0,
            after_sum: 0.0,
            questions: Vec::new(),
            by_id: HashMap::new(),
            newest: None,
        });
        self.by_id.insert(id.to_string(), self.modules.len() - 1);
        self.modules.len() - 1
    }

    fn plan(&mut self, module: usize, shape_id: i64, shape: &Shape) {
        if self.plans.contains_key(&(module, shape_id)) {
            return;
        }
        let m = &mut self.modules[module];
        let mut plan = Plan {
            module,
            slot: Vec::new(),
            maps: Vec::new(),
            order: Vec::new(),
            wrong: Vec::new(),
        };
        for q in &shape.questions {
            let slot = *m.by_id.entry(q.id.clone()).or_insert_with(|| {
                m.questions.push(QuestionSums {
                    id: q.id.clone(),
                    ..QuestionSums::default()
                });
                m.questions.len() - 1
            });
            let sums = &mut m.questions[slot];
            sums.qtype = Some(q.qtype);
            sums.check |= q.check;
            let map: BTreeMap<String, u32> = q.choices.iter().map(|c| (c.clone(), 0)).collect();
            let order = map
                .keys()
                .map(|k| q.choices.iter().position(|c| c == k).unwrap_or(0))
                .collect();
            let wrong = q
                .choices
                .iter()
                .map(|c| {
                    if !q.qtype.is_scored() || q.correct.contains(c) {
                        return None;
                    }
                    Some(match sums.wrong.iter().position(|(w, _)| w == c) {
                        Some(i) => i,
                        None => {
                            sums.wrong.push((c.clone(), 0));
                            sums.wrong.len() - 1
                        }
                    })
                })
                .collect();
            plan.slot.push(slot);
            plan.maps.push(map);
            plan.order.push(order);
            plan.wrong.push(wrong);
        }
        self.plans.insert((module, shape_id), plan);
    }

    /// Adds one session; `false` when its counts do not fit its shape.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        module_id: &str,
        version: u32,
        day: &str,
        headcount: Option<u32>,
        shape_id: i64,
        shape: &Arc<Shape>,
        blob: &[u8],
    ) -> bool {
        if !codec::unpack(shape, blob, &mut self.tallies, &mut self.counts) {
            return false;
        }
        let module = self.module(module_id);
        self.plan(module, shape_id, shape);
        self.sessions += 1;
        let session_no = self.sessions;
        let Some(plan) = self.plans.get_mut(&(module, shape_id)) else {
            return false;
        };
        let m = &mut self.modules[plan.module];
        m.sessions += 1;
        if !m.versions.contains(&version) {
            m.versions.push(version);
        }
        if m.first.is_empty() || day < m.first.as_str() {
            m.first = day.to_string();
        }
        if day > m.last.as_str() {
            m.last = day.to_string();
        }
        let key = (version, shape.digest);
        if m.newest.as_ref().is_none_or(|(k, _)| key > *k) {
            m.newest = Some((key, Arc::clone(shape)));
        }
        self.scores.clear();
        self.scores.resize(shape.questions.len(), [None; 3]);
        let mut answered = 0;
        for t in &self.tallies {
            let q = &shape.questions[t.question];
            let n = q.choices.len();
            let counts = &self.counts[t.start..t.start + n];
            let people = respondents(q.qtype, counts, headcount);
            answered = answered.max(people);
            let sums = &mut m.questions[plan.slot[t.question]];
            if sums.last_session != session_no {
                sums.last_session = session_no;
                sums.sessions += 1;
            }
            sums.respondents += u64::from(people);
            for (j, slot) in plan.wrong[t.question].iter().enumerate() {
                if let Some(w) = slot {
                    sums.wrong[*w].1 += u64::from(counts[j]);
                }
            }
            let map = &mut plan.maps[t.question];
            for (v, &j) in map.values_mut().zip(&plan.order[t.question]) {
                *v = counts[j];
            }
            if let Some(score) = percent_correct(q, map, headcount) {
                let p = codec::phase_index(t.phase);
                sums.phase_sum[p] += score;
                sums.phase_n[p] += 1;
                self.scores[t.question][p] = Some(score);
            }
        }
        let people = u64::from(headcount.unwrap_or(answered));
        m.participants += people;
        self.participants += people;
        // The session's class averages, as `SessionResult::summary` takes them: over the
        // scored check questions answered both before and after.
        let (mut b, mut a, mut n) = (0.0, 0.0, 0u32);
        for (q, s) in shape.questions.iter().zip(&self.scores) {
            if let (true, Some(sb), Some(sa)) = (q.check, s[0], s[2]) {
                b += sb;
                a += sa;
                n += 1;
            }
        }
        if n > 0 {
            m.scored += 1;
            m.before_sum += b / f64::from(n);
            m.after_sum += a / f64::from(n);
        }
        true
    }

    /// Adds the sums of another batch (batches are merged in row order).
    fn merge(&mut self, other: Totals) {
        self.sessions += other.sessions;
        self.participants += other.participants;
        for m in other.modules {
            let i = self.module(&m.id);
            let t = &mut self.modules[i];
            t.sessions += m.sessions;
            t.participants += m.participants;
            for v in m.versions {
                if !t.versions.contains(&v) {
                    t.versions.push(v);
                }
            }
            if t.first.is_empty() || (!m.first.is_empty() && m.first < t.first) {
                t.first = m.first;
            }
            if m.last > t.last {
                t.last = m.last;
            }
            t.scored += m.scored;
            t.before_sum += m.before_sum;
            t.after_sum += m.after_sum;
            if let Some((key, shape)) = m.newest {
                if t.newest.as_ref().is_none_or(|(k, _)| key > *k) {
                    t.newest = Some((key, shape));
                }
            }
            for q in m.questions {
                let slot = match t.by_id.get(&q.id) {
                    Some(&slot) => slot,
                    None => {
                        t.by_id.insert(q.id.clone(), t.questions.len());
                        t.questions.push(QuestionSums {
                            id: q.id.clone(),
                            ..QuestionSums::default()
                        });
                        t.questions.len() - 1
                    }
                };
                let tq = &mut t.questions[slot];
                tq.qtype = tq.qtype.or(q.qtype);
                tq.check |= q.check;
                tq.sessions += q.sessions;
                for p in 0..3 {
                    tq.phase_sum[p] += q.phase_sum[p];
                    tq.phase_n[p] += q.phase_n[p];
                }
                tq.respondents += q.respondents;
                for (choice, n) in q.wrong {
                    match tq.wrong.iter_mut().find(|(c, _)| *c == choice) {
                        Some(w) => w.1 += n,
                        None => tq.wrong.push((choice, n)),
                    }
                }
            }
        }
    }

    fn finish(self) -> Report {
        let mut modules: Vec<ModuleReport> = self.modules.into_iter().map(module_report).collect();
        modules.sort_by(|a, b| a.module_id.cmp(&b.module_id));
        Report {
            sessions: self.sessions,
            participants: self.participants,
            modules,
        }
    }
}

fn mean(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

fn module_report(m: ModuleSums) -> ModuleReport {
    let before = mean(m.before_sum, m.scored);
    let after = mean(m.after_sum, m.scored);
    let gain = before.zip(after).and_then(|(b, a)| normalised_gain(b, a));
    let rank: HashMap<&str, usize> = m
        .newest
        .as_ref()
        .map(|(_, s)| {
            s.questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.id.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let mut questions: Vec<(usize, QuestionReport)> = m
        .questions
        .iter()
        .map(|q| {
            let all_n: u64 = q.phase_n.iter().sum();
            let all_sum: f64 = q.phase_sum.iter().sum();
            let top_wrong = q
                .wrong
                .iter()
                .filter(|(_, c)| *c > 0)
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(choice, count)| WrongChoice {
                    choice: choice.clone(),
                    count: *count,
                    share: if q.respondents > 0 {
                        *count as f64 / q.respondents as f64
                    } else {
                        0.0
                    },
                });
            let newest = m
                .newest
                .as_ref()
                .and_then(|(_, s)| rank.get(q.id.as_str()).map(|&i| &s.questions[i]));
            let report = QuestionReport {
                question: q.id.clone(),
                qtype: newest
                    .map(|n| n.qtype)
                    .or(q.qtype)
                    .unwrap_or(QuestionType::Single),
                check: q.check,
                sessions: q.sessions,
                before: mean(q.phase_sum[0], q.phase_n[0]),
                during: mean(q.phase_sum[1], q.phase_n[1]),
                after: mean(q.phase_sum[2], q.phase_n[2]),
                percent_correct: mean(all_sum, all_n),
                top_wrong,
            };
            (
                rank.get(q.id.as_str()).copied().unwrap_or(usize::MAX),
                report,
            )
        })
        .collect();
    questions.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.question.cmp(&b.1.question)));
    let mut versions = m.versions;
    versions.sort_unstable();
    ModuleReport {
        module_id: m.id,
        versions,
        sessions: m.sessions,
        participants: m.participants,
        first_date: m.first,
        last_date: m.last,
        scored_sessions: m.scored,
        before,
        after,
        gain,
        band: gain.map(GainBand::of),
        questions: questions.into_iter().map(|(_, q)| q).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::tests::sample;
    use crate::store::codec::Record;

    fn store_with(sessions: &[crate::session::SessionResult]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        for s in sessions {
            store.record(s).unwrap();
        }
        store
    }

    #[test]
    fn module_scores_match_the_session_summary() {
        let s = sample();
        let store = store_with(std::slice::from_ref(&s));
        let r = report(&store, &Filter::default()).unwrap();
        let summary = Record::from_result(&s).unwrap().to_result().summary();
        let m = &r.modules[0];
        assert_eq!(r.sessions, 1);
        assert_eq!(r.participants, 20);
        assert_eq!(m.before, summary.before);
        assert_eq!(m.after, summary.after);
        assert_eq!(m.gain, summary.gain);
        assert_eq!(m.band, summary.band);
        assert_eq!(m.first_date, "2026-11-29");
        // Item analysis: `pay` is 8/20 correct before, 15/20 after; `b` is the top wrong choice
        // (10 before + 5 after, of 40 answers).
        let pay = &m.questions[0];
        assert_eq!(pay.question, "pay");
        assert_eq!(pay.before, Some(0.4));
        assert_eq!(pay.after, Some(0.75));
        let wrong = pay.top_wrong.as_ref().unwrap();
        assert_eq!((wrong.choice.as_str(), wrong.count), ("b", 15));
        assert!((wrong.share - 15.0 / 40.0).abs() < 1e-9);
    }

    #[test]
    fn participants_fall_back_to_answers_without_a_headcount() {
        let mut s = sample();
        s.headcount = None;
        let store = store_with(&[s]);
        let r = report(&store, &Filter::default()).unwrap();
        // `signs` (multiple) was answered by at least 300 (its largest count).
        assert_eq!(r.participants, 300);
    }

    #[test]
    fn filters_select_sessions() {
        let mut a = sample();
        a.session_id = uuid::Uuid::new_v4().to_string();
        a.date = "2026-01-10".into();
        let mut b = sample();
        b.session_id = uuid::Uuid::new_v4().to_string();
        b.module_id = "job-offers".into();
        b.locale = "en".into();
        b.group = None;
        let store = store_with(&[a, b]);
        let count = |f: Filter| report(&store, &f).unwrap().sessions;
        assert_eq!(count(Filter::default()), 2);
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            count(Filter {
                since: day("2026-02-01"),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                until: day("2026-01-10"),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                module: Some("job-offers".into()),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                locale: Some("es".into()),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                group: Some("School A, grade 9".into()),
                ..Filter::default()
            }),
            1
        );
    }

    #[test]
    fn the_report_query_uses_the_indexes() {
        let store = store_with(&[sample()]);
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let by_module = query_plan(
            &store,
            &Filter {
                module: Some("warning-signs".into()),
                since: day("2026-01-01"),
                ..Filter::default()
            },
        );
        assert!(
            by_module
                .iter()
                .any(|l| l.contains("USING INDEX session_by_module_day")),
            "{by_module:?}"
        );
        let by_day = query_plan(
            &store,
            &Filter {
                since: day("2026-01-01"),
                until: day("2026-06-30"),
                ..Filter::default()
            },
        );
        assert!(
            by_day
                .iter()
                .any(|l| l.contains("USING INDEX session_by_day")),
            "{by_day:?}"
        );
        // Looking a session up by id (import, record) goes through its unique index.
        let mut stmt = store
            .conn
            .prepare("EXPLAIN QUERY PLAN SELECT id FROM session WHERE session_id = ?1")
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map(["x"], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(plan.iter().any(|l| l.contains("USING")), "{plan:?}");
        assert!(plan.iter().all(|l| !l.starts_with("SCAN")), "{plan:?}");
    }

    #[test]
    fn hardest_questions_come_first() {
        let store = store_with(&[sample()]);
        let r = report(&store, &Filter::default()).unwrap();
        let hardest = r.hardest("warning-signs");
        assert_eq!(hardest.len(), 2);
        assert!(hardest[0].percent_correct <= hardest[1].percent_correct);
    }
}
