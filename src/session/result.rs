//! `SessionResult`: the anonymous aggregates of one workshop, the only thing ever saved, and the
//! scoring rules every report shares (percent correct, normalised gain and its band).
//! Pure values and arithmetic: no I/O, no clock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::curriculum::{Module, QuestionType, StepKind};

/// When in the workshop a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Knowledge check before the content.
    Before,
    /// Asked during the content.
    During,
    /// Knowledge check after the content.
    After,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::Before, Phase::During, Phase::After];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::During => "during",
            Phase::After => "after",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == s)
    }
}

/// How the room answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerMode {
    /// The facilitator counts raised hands or cards and types a count per choice.
    Hands,
    /// The keyboard goes round; each person presses a key; choices stay hidden until reveal.
    Private,
}

impl AnswerMode {
    pub fn name(self) -> &'static str {
        match self {
            AnswerMode::Hands => "hands",
            AnswerMode::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<AnswerMode> {
        [AnswerMode::Hands, AnswerMode::Private]
            .into_iter()
            .find(|m| m.name() == s)
    }
}

/// The structure of one question as it was asked: enough to score it without the module file,
/// so results merged from other machines and older module versions still report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInfo {
    pub id: String,
    pub qtype: QuestionType,
    pub check: bool,
    /// Choice ids in module order.
    pub choices: Vec<String>,
    /// The correct ones among them (none for confidence).
    pub correct: Vec<String>,
}

impl QuestionInfo {
    /// The questions of a module, in order.
    pub fn of_module(module: &Module) -> Vec<QuestionInfo> {
        module
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Question(q) => Some(QuestionInfo {
                    id: s.id.clone(),
                    qtype: q.qtype,
                    check: q.check,
                    choices: q.choices.iter().map(|c| c.id.clone()).collect(),
                    correct: q
                        .choices
                        .iter()
                        .filter(|c| c.correct)
                        .map(|c| c.id.clone())
                        .collect(),
                }),
                _ => None,
            })
            .collect()
    }
}

/// Counts per choice for one question in one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub question: String,
    pub phase: Phase,
    /// Choice id -> how many chose it. Every choice of the question is present, zeros included.
    pub counts: BTreeMap<String, u32>,
}

/// Everything stored about one workshop: aggregates only, never anything about a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResult {
    /// Random UUID v4.
    pub session_id: String,
    pub module_id: String,
    pub module_version: u32,
    pub content_hash: String,
    /// The language the content was shown in.
    pub locale: String,
    pub mode: AnswerMode,
    /// The day only, `YYYY-MM-DD`.
    pub date: String,
    /// Rounded to 5.
    pub planned_minutes: u32,
    /// Rounded to 5.
    pub actual_minutes: u32,
    pub headcount: Option<u32>,
    /// A short label the facilitator may type, such as "School A, grade 9".
    pub group: Option<String>,
    pub questions: Vec<QuestionInfo>,
    pub tallies: Vec<Tally>,
}

/// Rounds minutes to the nearest 5 (so times finer than that are never kept).
pub fn round_minutes(minutes: f64) -> u32 {
    if !minutes.is_finite() || minutes <= 0.0 {
        return 0;
    }
    ((minutes / 5.0).round() * 5.0).min(f64::from(u32::MAX)) as u32
}

/// How many people a question's counts stand for: the headcount where given (never fewer than
/// the answers), else the sum of counts, or for `multiple` the largest count of any choice.
pub fn respondents(qtype: QuestionType, counts: &[u32], headcount: Option<u32>) -> u32 {
    let total: u32 = counts.iter().sum();
    let most = counts.iter().copied().max().unwrap_or(0);
    let answered = if qtype == QuestionType::Multiple {
        most
    } else {
        total
    };
    match headcount {
        Some(h) if h > 0 => h.max(answered),
        _ => answered,
    }
}

/// Share of the room that answered a question correctly, from 0 to 1; `None` when there is
/// nothing to score (a confidence question, or no answers and no headcount).
///
/// The rule, documented for facilitators in docs/facilitator-guide.md:
/// - `single` and `true_false`: people who chose the correct choice / respondents.
/// - `multiple`: a show of hands cannot tell who chose what together, so each choice is scored
///   as its own true-or-false statement: a correct choice is judged right by those who chose it,
///   a wrong one by those who did not. The score is the average over choices.
/// - Respondents are the headcount where it is given, else for single and true_false the sum of
///   counts, and for multiple the largest count of any choice (at least that many answered).
pub fn percent_correct(
    info: &QuestionInfo,
    counts: &BTreeMap<String, u32>,
    headcount: Option<u32>,
) -> Option<f64> {
    if !info.qtype.is_scored() {
        return None;
    }
    let count = |id: &str| f64::from(counts.get(id).copied().unwrap_or(0));
    let ordered: Vec<u32> = info
        .choices
        .iter()
        .map(|c| counts.get(c).copied().unwrap_or(0))
        .collect();
    // A headcount below the answers given is a typing slip; never score above 100%.
    let n = f64::from(respondents(info.qtype, &ordered, headcount));
    if n <= 0.0 {
        return None;
    }
    let score = match info.qtype {
        QuestionType::Multiple => {
            let per_choice: f64 = info
                .choices
                .iter()
                .map(|c| {
                    let chosen = count(c) / n;
                    if info.correct.contains(c) {
                        chosen
                    } else {
                        1.0 - chosen
                    }
                })
                .sum();
            per_choice / info.choices.len() as f64
        }
        _ => info.correct.iter().map(|c| count(c)).sum::<f64>() / n,
    };
    Some(score.clamp(0.0, 1.0))
}

/// Normalised gain `(after - before) / (1 - before)` on shares from 0 to 1. `None` when the room
/// was already at 100% before: there was nothing left to gain.
pub fn normalised_gain(before: f64, after: f64) -> Option<f64> {
    if before >= 1.0 - 1e-9 {
        return None;
    }
    Some((after - before) / (1.0 - before))
}

/// The plain-words band of a normalised gain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GainBand {
    /// Below 0.3 (negative gains included).
    Low,
    /// From 0.3 up to 0.7.
    Medium,
    /// Above 0.7.
    High,
}

impl GainBand {
    pub fn of(gain: f64) -> GainBand {
        if gain < 0.3 {
            GainBand::Low
        } else if gain <= 0.7 {
            GainBand::Medium
        } else {
            GainBand::High
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GainBand::Low => "low",
            GainBand::Medium => "medium",
            GainBand::High => "high",
        }
    }
}

/// One check question's before-and-after scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckLine {
    pub question: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// The knowledge-check summary of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub lines: Vec<CheckLine>,
    /// Class average over the scored check questions answered in both phases.
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub gain: Option<f64>,
    pub band: Option<GainBand>,
}

impl SessionResult {
    pub fn counts(&self, question: &str, phase: Phase) -> Option<&BTreeMap<String, u32>> {
        self.tallies
            .iter()
            .find(|t| t.question == question && t.phase == phase)
            .map(|t| &t.counts)
    }

    /// Percent correct before and after for each scored check question, class averages over
    /// questions scored in both phases, and the normalised gain.
    pub fn summary(&self) -> Summary {
        let mut lines = Vec::new();
        let (mut sum_b, mut sum_a, mut n) = (0.0, 0.0, 0usize);
        for q in self
            .questions
            .iter()
            .filter(|q| q.check && q.qtype.is_scored())
        {
            let score = |phase| {
                self.counts(&q.id, phase)
                    .and_then(|c| percent_correct(q, c, self.headcount))
            };
            let (before, after) = (score(Phase::Before), score(Phase::After));
            if let (Some(b), Some(a)) = (before, after) {
                sum_b += b;
                sum_a += a;
                n += 1;
            }
            lines.push(CheckLine {
                question: q.id.clone(),
                before,
                after,
            });
        }
        let (before, after) = if n > 0 {
            (Some(sum_b / n as f64), Some(sum_a / n as f64))
        } else {
            (None, None)
        };
        let gain = before.zip(after).and_then(|(b, a)| normalised_gain(b, a));
        Summary {
            lines,
            before,
            after,
            gain,
            band: gain.map(GainBand::of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(qtype: QuestionType, choices: &[&str], correct: &[&str]) -> QuestionInfo {
        QuestionInfo {
            id: "q".into(),
            qtype,
            check: true,
            choices: choices.iter().map(|s| s.to_string()).collect(),
            correct: correct.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn single_uses_answers_or_headcount() {
        let q = info(QuestionType::Single, &["a", "b", "c"], &["b"]);
        let c = counts(&[("a", 2), ("b", 6), ("c", 2)]);
        assert_eq!(percent_correct(&q, &c, None), Some(0.6));
        assert_eq!(percent_correct(&q, &c, Some(20)), Some(0.3));
        // A headcount smaller than the answers given never scores above 100%.
        assert_eq!(percent_correct(&q, &c, Some(5)), Some(0.6));
        assert_eq!(percent_correct(&q, &counts(&[]), None), None);
    }

    #[test]
    fn multiple_scores_each_choice_as_a_statement() {
        let q = info(QuestionType::Multiple, &["a", "b", "c", "d"], &["a", "b"]);
        // 10 people: a chosen by 8, b by 6, c by 2, d by 0.
        let c = counts(&[("a", 8), ("b", 6), ("c", 2), ("d", 0)]);
        let score = percent_correct(&q, &c, Some(10)).unwrap();
        assert!((score - (0.8 + 0.6 + 0.8 + 1.0) / 4.0).abs() < 1e-9);
        // Without a headcount the largest count stands for the room.
        let score = percent_correct(&q, &c, None).unwrap();
        assert!((score - (1.0 + 0.75 + 0.75 + 1.0) / 4.0).abs() < 1e-9);
    }

    #[test]
    fn confidence_is_not_scored() {
        let q = info(QuestionType::Confidence, &["1", "2", "3", "4", "5"], &[]);
        assert_eq!(percent_correct(&q, &counts(&[("3", 4)]), None), None);
    }

    #[test]
    fn gain_and_bands() {
        assert_eq!(normalised_gain(0.5, 0.75), Some(0.5));
        assert_eq!(normalised_gain(1.0, 1.0), None);
        assert_eq!(normalised_gain(0.0, 1.0), Some(1.0));
        assert!(normalised_gain(0.6, 0.4).unwrap() < 0.0);
        assert_eq!(GainBand::of(-0.2), GainBand::Low);
        assert_eq!(GainBand::of(0.29), GainBand::Low);
        assert_eq!(GainBand::of(0.3), GainBand::Medium);
        assert_eq!(GainBand::of(0.7), GainBand::Medium);
        assert_eq!(GainBand::of(0.71), GainBand::High);
    }

    #[test]
    fn minutes_round_to_five() {
        assert_eq!(round_minutes(0.0), 0);
        assert_eq!(round_minutes(2.4), 0);
        assert_eq!(round_minutes(2.5), 5);
        assert_eq!(round_minutes(43.0), 45);
        assert_eq!(round_minutes(f64::NAN), 0);
    }

    #[test]
    fn summary_pairs_before_and_after() {
        let q1 = info(QuestionType::Single, &["a", "b"], &["a"]);
        let mut q2 = info(QuestionType::TrueFalse, &["t", "f"], &["f"]);
        q2.id = "q2".into();
        let result = SessionResult {
            session_id: "x".into(),
            module_id: "m".into(),
            module_version: 1,
            content_hash: "h".into(),
            locale: "en".into(),
            mode: AnswerMode::Hands,
            date: "2026-11-29".into(),
            planned_minutes: 45,
            actual_minutes: 40,
            headcount: Some(10),
            group: None,
            questions: vec![q1, q2],
            tallies: vec![
                Tally {
                    question: "q".into(),
                    phase: Phase::Before,
                    counts: counts(&[("a", 4), ("b", 6)]),
                },
                Tally {
                    question: "q".into(),
                    phase: Phase::After,
                    counts: counts(&[("a", 8), ("b", 2)]),
                },
                Tally {
                    question: "q2".into(),
                    phase: Phase::Before,
                    counts: counts(&[("t", 0), ("f", 10)]),
                },
                Tally {
                    question: "q2".into(),
                    phase: Phase::After,
                    counts: counts(&[("t", 0), ("f", 10)]),
                },
            ],
        };
        let s = result.summary();
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.before, Some(0.7));
        assert_eq!(s.after, Some(0.9));
        let gain = s.gain.unwrap();
        assert!((gain - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.band, Some(GainBand::Medium));
    }
}
