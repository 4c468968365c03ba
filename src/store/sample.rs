//! Made-up sessions for benches and tests: deterministic from a seed, shaped like real workshops
//! (knowledge checks before and after, a few questions during, rooms of 3 to 40).
//! Not used by the app itself.

use std::collections::BTreeMap;

use crate::curriculum::QuestionType;
use crate::session::{AnswerMode, Phase, QuestionInfo, SessionResult, Tally};

/// A small, fast, seedable generator (SplitMix64): enough for made-up data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A random UUID v4 in canonical form.
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }
}

const MODULES: [&str; 4] = ["warning-signs", "fake-job-offers", "getting-help", "rights"];
const LOCALES: [&str; 3] = ["en", "es", "fr"];
const GROUPS: [&str; 3] = ["School A, grade 9", "Youth centre", "Night shelter"];

/// The questions of a made-up module: `n` questions; the first two thirds are knowledge-check
/// questions, the rest are asked during the content. Types rotate through all four.
pub fn questions(n: usize) -> Vec<QuestionInfo> {
    (0..n)
        .map(|i| {
            let (qtype, choices, correct): (QuestionType, &[&str], &[&str]) = match i % 5 {
                0 | 3 => (QuestionType::Single, &["a", "b", "c", "d"], &["b"]),
                1 => (QuestionType::TrueFalse, &["true", "false"], &["false"]),
                2 => (
                    QuestionType::Multiple,
                    &["a", "b", "c", "d", "e"],
                    &["a", "c"],
                ),
                _ => (QuestionType::Confidence, &["1", "2", "3", "4", "5"], &[]),
            };
            QuestionInfo {
                id: format!("q{:02}", i + 1),
                qtype,
                check: i < n * 2 / 3,
                choices: choices.iter().map(|s| s.to_string()).collect(),
                correct: correct.iter().map(|s| s.to_string()).collect(),
            }
        })
        .collect()
}

/// Splits `people` over the choices, favouring the correct ones more in later phases.
fn spread(rng: &mut Rng, q: &QuestionInfo, people: u32, phase: Phase) -> BTreeMap<String, u32> {
    let mut counts: BTreeMap<String, u32> = q.choices.iter().map(|c| (c.clone(), 0)).collect();
    let lean = match phase {
        Phase::Before => 2,
        Phase::During => 4,
        Phase::After => 7,
    };
    if q.qtype == QuestionType::Multiple {
        for c in &q.choices {
            let likely = if q.correct.contains(c) {
                lean
            } else {
                10 - lean
            };
            let n = (0..people).filter(|_| rng.below(10) < likely).count() as u32;
            counts.insert(c.clone(), n);
        }
        return counts;
    }
    for _ in 0..people {
        let pick = if !q.correct.is_empty() && rng.below(10) < lean {
            &q.correct[rng.below(q.correct.len() as u64) as usize]
        } else {
            &q.choices[rng.below(q.choices.len() as u64) as usize]
        };
        *counts.entry(pick.clone()).or_insert(0) += 1;
    }
    counts
}

fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len() as u64) as usize]
}

/// One made-up session of a module with `n_questions` questions.
pub fn session(rng: &mut Rng, n_questions: usize) -> SessionResult {
    let questions = questions(n_questions);
    let people = 3 + rng.below(38) as u32;
    let headcount = (rng.below(5) > 0).then_some(people);
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(700))))
        .unwrap_or_default();
    let mut tallies = Vec::new();
    for q in &questions {
        let phases: &[Phase] = if q.check {
            &[Phase::Before, Phase::After]
        } else {
            &[Phase::During]
        };
        for &phase in phases {
            tallies.push(Tally {
                question: q.id.clone(),
                phase,
                counts: spread(rng, q, people, phase),
            });
        }
    }
    SessionResult {
        session_id: rng.uuid(),
        module_id: pick(rng, &MODULES).to_string(),
        module_version: 1 + rng.below(2) as u32,
        content_hash: format!("{:016x}", rng.next_u64() % 4),
        locale: pick(rng, &LOCALES).to_string(),
        mode: if rng.below(3) == 0 {
            AnswerMode::Private
        } else {
            AnswerMode::Hands
        },
        date: day.format("%Y-%m-%d").to_string(),
        planned_minutes: 45,
        actual_minutes: 30 + 5 * rng.below(7) as u32,
        headcount,
        group: (rng.below(2) == 0).then(|| pick(rng, &GROUPS).to_string()),
        questions,
        tallies,
    }
}

/// `n` made-up sessions.
pub fn sessions(seed: u64, n: usize, n_questions: usize) -> Vec<SessionResult> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| session(&mut rng, n_questions)).collect()
}
