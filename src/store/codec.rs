//! The canonical form of one session as stored and bundled: validation against the data contract,
//! the question structure ("shape") as JSON, and the tallies packed into one blob.
//! Pure: no SQL, no files. Two sessions are the same exactly when their canonical forms are equal.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rust_i18n::t;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::curriculum::{locale_tag, validate::is_valid_id, QuestionType};
use crate::session::{AnswerMode, Phase, QuestionInfo, SessionResult, Tally};

use super::StoreError;

/// Longest group label, in characters: a short tag such as "School A, grade 9", never a list.
pub const GROUP_MAX_CHARS: usize = 60;
const COUNT_MAX: u32 = 1_000_000;
const MINUTES_MAX: u32 = 10_000;
const QUESTIONS_MAX: usize = 1_000;
const CHOICES_MAX: usize = 26;

/// One question's structure as stored in `shape.questions` and in bundles. Mirrors
/// `QuestionInfo` so the file formats do not change when that type grows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionRecord {
    pub id: String,
    pub qtype: QuestionType,
    pub check: bool,
    pub choices: Vec<String>,
    pub correct: Vec<String>,
}

/// One tally as bundled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TallyRecord {
    pub question: String,
    pub phase: Phase,
    pub counts: BTreeMap<String, u32>,
}

/// One session as bundled: the full-resolution record, format version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    pub session_id: String,
    pub module_id: String,
    pub module_version: u32,
    pub content_hash: String,
    pub locale: String,
    pub mode: AnswerMode,
    pub date: String,
    pub planned_minutes: u32,
    pub actual_minutes: u32,
    pub headcount: Option<u32>,
    pub group: Option<String>,
    pub questions: Vec<QuestionRecord>,
    pub tallies: Vec<TallyRecord>,
}

impl From<SessionRecord> for SessionResult {
    fn from(r: SessionRecord) -> SessionResult {
        SessionResult {
            session_id: r.session_id,
            module_id: r.module_id,
            module_version: r.module_version,
            content_hash: r.content_hash,
            locale: r.locale,
            mode: r.mode,
            date: r.date,
            planned_minutes: r.planned_minutes,
            actual_minutes: r.actual_minutes,
            headcount: r.headcount,
            group: r.group,
            questions: r
                .questions
                .into_iter()
                .map(|q| QuestionInfo {
                    id: q.id,
                    qtype: q.qtype,
                    check: q.check,
                    choices: q.choices,
                    correct: q.correct,
                })
                .collect(),
            tallies: r
                .tallies
                .into_iter()
                .map(|t| Tally {
                    question: t.question,
                    phase: t.phase,
                    counts: t.counts,
                })
                .collect(),
        }
    }
}

fn question_record(q: &QuestionInfo) -> QuestionRecord {
    QuestionRecord {
        id: q.id.clone(),
        qtype: q.qtype,
        check: q.check,
        choices: q.choices.clone(),
        correct: q.correct.clone(),
    }
}

/// The questions of a session, as stored once per distinct structure.
#[derive(Debug)]
pub struct Shape {
    pub questions: Vec<QuestionInfo>,
    /// `[QuestionRecord, ...]` as JSON: the `questions` of stored rows, bundles and exports.
    pub json: Box<RawValue>,
    pub digest: [u8; 32],
}

impl PartialEq for Shape {
    fn eq(&self, other: &Shape) -> bool {
        self.digest == other.digest && self.questions == other.questions
    }
}

impl Shape {
    pub fn new(questions: Vec<QuestionInfo>) -> Result<Shape, serde_json::Error> {
        let records: Vec<QuestionRecord> = questions.iter().map(question_record).collect();
        let json = serde_json::value::to_raw_value(&records)?;
        let digest = Sha256::digest(json.get().as_bytes()).into();
        Ok(Shape {
            questions,
            json,
            digest,
        })
    }

    /// Reads a shape back from the store; `None` when the JSON is not a valid question list.
    pub fn from_json(json: &str) -> Option<Shape> {
        let records: Vec<QuestionRecord> = serde_json::from_str(json).ok()?;
        let questions: Vec<QuestionInfo> = records
            .into_iter()
            .map(|q| QuestionInfo {
                id: q.id,
                qtype: q.qtype,
                check: q.check,
                choices: q.choices,
                correct: q.correct,
            })
            .collect();
        check_questions(&questions).ok()?;
        Shape::new(questions).ok()
    }
}

/// `SessionRecord`'s serialized form, borrowed from a `Record`: bundles of 100,000 sessions are
/// written without copying every string.
#[derive(Serialize)]
pub struct SessionRecordRef<'a> {
    session_id: &'a str,
    module_id: &'a str,
    module_version: u32,
    content_hash: &'a str,
    locale: &'a str,
    mode: AnswerMode,
    date: &'a str,
    planned_minutes: u32,
    actual_minutes: u32,
    headcount: Option<u32>,
    group: Option<&'a str>,
    questions: &'a RawValue,
    tallies: Vec<TallyRef<'a>>,
}

#[derive(Serialize)]
struct TallyRef<'a> {
    question: &'a str,
    phase: Phase,
    counts: CountsRef<'a, u32>,
}

/// A tally's counts as a JSON object, in choice order.
pub struct CountsRef<'a, T> {
    pub choices: &'a [String],
    pub counts: &'a [T],
}

impl<T: Serialize> Serialize for CountsRef<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.choices.len()))?;
        for (c, v) in self.choices.iter().zip(self.counts) {
            m.serialize_entry(c, v)?;
        }
        m.end()
    }
}

/// Where one tally's counts sit in `Record::counts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedTally {
    /// Index into the shape's questions.
    pub question: usize,
    pub phase: Phase,
    /// `counts[start..start + choices]`, in the question's choice order.
    pub start: usize,
}

/// A validated session in canonical form: tallies ordered by question then phase, every choice
/// counted (zeros included).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub session_id: String,
    pub module_id: String,
    pub module_version: u32,
    pub content_hash: String,
    pub locale: String,
    pub mode: AnswerMode,
    pub date: String,
    pub planned_minutes: u32,
    pub actual_minutes: u32,
    pub headcount: Option<u32>,
    pub group: Option<String>,
    pub shape: Arc<Shape>,
    pub tallies: Vec<PackedTally>,
    pub counts: Vec<u32>,
}

pub fn phase_index(p: Phase) -> usize {
    match p {
        Phase::Before => 0,
        Phase::During => 1,
        Phase::After => 2,
    }
}

fn invalid(session: &str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        session: session.to_string(),
        reason: reason.into(),
    }
}

/// A character a group label may not hold: a control character (terminal escapes among them),
/// or a bidi embedding, override or isolate, which could reorder how the label, or whatever
/// follows it on a line, is shown. Module text refuses the same kinds.
pub(super) fn forbidden_in_label(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The questions' own rules: valid, unique ids; correct choices among the choices.
fn check_questions(questions: &[QuestionInfo]) -> Result<(), String> {
    if questions.len() > QUESTIONS_MAX {
        return Err(t!("store.reason.too_many_questions", max = QUESTIONS_MAX).into_owned());
    }
    let mut ids = HashSet::new();
    for q in questions {
        if !is_valid_id(&q.id) || !ids.insert(q.id.as_str()) {
            return Err(t!("store.reason.question_id", id = q.id.as_str()).into_owned());
        }
        if q.choices.is_empty() || q.choices.len() > CHOICES_MAX {
            return Err(t!("store.reason.choice_count", id = q.id.as_str()).into_owned());
        }
        let mut choices = HashSet::new();
        for c in &q.choices {
            if !is_valid_id(c) || !choices.insert(c.as_str()) {
                return Err(t!(
                    "store.reason.choice_id",
                    id = q.id.as_str(),
                    choice = c.as_str()
                )
                .into_owned());
            }
        }
        let mut correct = HashSet::new();
        for c in &q.correct {
            if !choices.contains(c.as_str()) || !correct.insert(c.as_str()) {
                return Err(t!(
                    "store.reason.correct_choice",
                    id = q.id.as_str(),
                    choice = c.as_str()
                )
                .into_owned());
            }
        }
    }
    Ok(())
}

impl Record {
    /// Checks a session against the data contract and puts it in canonical form.
    pub fn from_result(r: &SessionResult) -> Result<Record, StoreError> {
        let sid = r.session_id.as_str();
        let bad = |reason: std::borrow::Cow<'_, str>| invalid(sid, reason.into_owned());
        match uuid::Uuid::parse_str(sid) {
            Ok(u) if u.get_version_num() == 4 && u.hyphenated().to_string() == sid => {}
            _ => return Err(bad(t!("store.reason.session_id"))),
        }
        if !is_valid_id(&r.module_id) {
            return Err(bad(t!("store.reason.module_id", id = r.module_id.as_str())));
        }
        let hash_ok = !r.content_hash.is_empty()
            && r.content_hash.len() <= 128
            && r.content_hash
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_:+/=.".contains(&b));
        if !hash_ok {
            return Err(bad(t!("store.reason.content_hash")));
        }
        if !locale_tag::is_valid(&r.locale) {
            return Err(bad(t!("store.reason.locale", tag = r.locale.as_str())));
        }
        let day_ok = chrono::NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
            .is_ok_and(|d| d.format("%Y-%m-%d").to_string() == r.date);
        if !day_ok {
            return Err(bad(t!("store.reason.date", date = r.date.as_str())));
        }
        for m in [r.planned_minutes, r.actual_minutes] {
            if m % 5 != 0 || m > MINUTES_MAX {
                return Err(bad(t!("store.reason.minutes", minutes = m)));
            }
        }
        if r.headcount.is_some_and(|h| h > COUNT_MAX) {
            return Err(bad(t!("store.reason.count", max = COUNT_MAX)));
        }
        if let Some(g) = &r.group {
            let n = g.chars().count();
            if n == 0 || n > GROUP_MAX_CHARS || g.contains(['\n', '\r']) || g.trim() != g {
                return Err(bad(t!("store.reason.group", max = GROUP_MAX_CHARS)));
            }
            if let Some(c) = g.chars().find(|&c| forbidden_in_label(c)) {
                let code = format!("U+{:04X}", u32::from(c));
                return Err(bad(t!("store.reason.group_char", code = code)));
            }
        }
        check_questions(&r.questions).map_err(|reason| invalid(sid, reason))?;

        let index: BTreeMap<&str, usize> = r
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        let mut keyed = Vec::with_capacity(r.tallies.len());
        let mut seen = HashSet::new();
        for t in &r.tallies {
            let Some(&qi) = index.get(t.question.as_str()) else {
                return Err(bad(t!(
                    "store.reason.unknown_question",
                    id = t.question.as_str()
                )));
            };
            if !seen.insert((qi, phase_index(t.phase))) {
                return Err(bad(t!(
                    "store.reason.duplicate_tally",
                    id = t.question.as_str(),
                    phase = t.phase.name()
                )));
            }
            let q = &r.questions[qi];
            for (choice, &n) in &t.counts {
                if !q.choices.contains(choice) {
                    return Err(bad(t!(
                        "store.reason.unknown_choice",
                        id = t.question.as_str(),
                        choice = choice.as_str()
                    )));
                }
                if n > COUNT_MAX {
                    return Err(bad(t!("store.reason.count", max = COUNT_MAX)));
                }
            }
            keyed.push((qi, t));
        }
        keyed.sort_by_key(|(qi, t)| (*qi, phase_index(t.phase)));
        let mut tallies = Vec::with_capacity(keyed.len());
        let mut counts = Vec::new();
        for (qi, t) in keyed {
            tallies.push(PackedTally {
                question: qi,
                phase: t.phase,
                start: counts.len(),
            });
            counts.extend(
                r.questions[qi]
                    .choices
                    .iter()
                    .map(|c| t.counts.get(c).copied().unwrap_or(0)),
            );
        }
        Ok(Record {
            session_id: r.session_id.clone(),
            module_id: r.module_id.clone(),
            module_version: r.module_version,
            content_hash: r.content_hash.clone(),
            locale: r.locale.clone(),
            mode: r.mode,
            date: r.date.clone(),
            planned_minutes: r.planned_minutes,
            actual_minutes: r.actual_minutes,
            headcount: r.headcount,
            group: r.group.clone(),
            shape: Arc::new(
                Shape::new(r.questions.clone()).map_err(|e| invalid(sid, e.to_string()))?,
            ),
            tallies,
            counts,
        })
    }

    /// The counts of one tally, in choice order.
    pub fn tally_counts(&self, t: &PackedTally) -> &[u32] {
        let n = self.shape.questions[t.question].choices.len();
        &self.counts[t.start..t.start + n]
    }

    /// Back to the session type the rest of Waymark uses (canonical order).
    pub fn to_result(&self) -> SessionResult {
        SessionResult::from(self.to_session_record())
    }

    /// The bundle form.
    pub fn to_session_record(&self) -> SessionRecord {
        SessionRecord {
            session_id: self.session_id.clone(),
            module_id: self.module_id.clone(),
            module_version: self.module_version,
            content_hash: self.content_hash.clone(),
            locale: self.locale.clone(),
            mode: self.mode,
            date: self.date.clone(),
            planned_minutes: self.planned_minutes,
            actual_minutes: self.actual_minutes,
            headcount: self.headcount,
            group: self.group.clone(),
            questions: self.shape.questions.iter().map(question_record).collect(),
            tallies: self
                .tallies
                .iter()
                .map(|t| {
                    let q = &self.shape.questions[t.question];
                    TallyRecord {
                        question: q.id.clone(),
                        phase: t.phase,
                        counts: q
                            .choices
                            .iter()
                            .cloned()
                            .zip(self.tally_counts(t).iter().copied())
                            .collect(),
                    }
                })
                .collect(),
        }
    }

    /// The bundle form, borrowed.
    pub fn as_session_record(&self) -> SessionRecordRef<'_> {
        SessionRecordRef {
            session_id: &self.session_id,
            module_id: &self.module_id,
            module_version: self.module_version,
            content_hash: &self.content_hash,
            locale: &self.locale,
            mode: self.mode,
            date: &self.date,
            planned_minutes: self.planned_minutes,
            actual_minutes: self.actual_minutes,
            headcount: self.headcount,
            group: self.group.as_deref(),
            questions: &self.shape.json,
            tallies: self
                .tallies
                .iter()
                .map(|t| {
                    let q = &self.shape.questions[t.question];
                    TallyRef {
                        question: &q.id,
                        phase: t.phase,
                        counts: CountsRef {
                            choices: &q.choices,
                            counts: self.tally_counts(t),
                        },
                    }
                })
                .collect(),
        }
    }

    /// The tallies as one blob: per tally, the question index (LEB128), the phase (one byte),
    /// then each choice's count (LEB128) in choice order.
    pub fn pack(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.counts.len() + self.tallies.len() * 2);
        for t in &self.tallies {
            put_varint(&mut out, t.question as u32);
            out.push(phase_index(t.phase) as u8);
            for &c in self.tally_counts(t) {
                put_varint(&mut out, c);
            }
        }
        out
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u64 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return u32::try_from(v).ok();
        }
    }
    None
}

/// Unpacks a `counts` blob against its shape into reusable buffers. `false` when the blob does
/// not fit the shape: the store is damaged.
pub fn unpack(
    shape: &Shape,
    blob: &[u8],
    tallies: &mut Vec<PackedTally>,
    counts: &mut Vec<u32>,
) -> bool {
    tallies.clear();
    counts.clear();
    let mut at = 0;
    let mut last: Option<(usize, usize)> = None;
    while at < blob.len() {
        let Some(q) = get_varint(blob, &mut at).map(|q| q as usize) else {
            return false;
        };
        let Some(&p) = blob.get(at) else {
            return false;
        };
        at += 1;
        let phase = match p {
            0 => Phase::Before,
            1 => Phase::During,
            2 => Phase::After,
            _ => return false,
        };
        let key = (q, usize::from(p));
        if q >= shape.questions.len() || last.is_some_and(|l| l >= key) {
            return false;
        }
        last = Some(key);
        tallies.push(PackedTally {
            question: q,
            phase,
            start: counts.len(),
        });
        for _ in 0..shape.questions[q].choices.len() {
            let Some(c) = get_varint(blob, &mut at) else {
                return false;
            };
            counts.push(c);
        }
    }
    true
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub fn sample() -> SessionResult {
        let q = |id: &str, qtype, choices: &[&str], correct: &[&str]| QuestionInfo {
            id: id.into(),
            qtype,
            check: true,
            choices: choices.iter().map(|s| s.to_string()).collect(),
            correct: correct.iter().map(|s| s.to_string()).collect(),
        };
        let counts = |pairs: &[(&str, u32)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>()
        };
        SessionResult {
            session_id: "0b0b6f8e-1c5e-4d4e-9b7a-3f1e2d3c4b5a".into(),
            module_id: "warning-signs".into(),
            module_version: 3,
            content_hash: "9f2c0d1e".into(),
            locale: "es".into(),
            mode: AnswerMode::Hands,
            date: "2026-11-29".into(),
            planned_minutes: 45,
            actual_minutes: 50,
            headcount: Some(20),
            group: Some("School A, grade 9".into()),
            questions: vec![
                q("pay", QuestionType::Single, &["a", "b", "c"], &["a"]),
                q("signs", QuestionType::Multiple, &["x", "y"], &["x"]),
            ],
            tallies: vec![
                Tally {
                    question: "signs".into(),
                    phase: Phase::After,
                    counts: counts(&[("x", 300), ("y", 2)]),
                },
                Tally {
                    question: "pay".into(),
                    phase: Phase::After,
                    counts: counts(&[("a", 15), ("b", 5)]),
                },
                Tally {
                    question: "pay".into(),
                    phase: Phase::Before,
                    counts: counts(&[("a", 8), ("b", 10), ("c", 2)]),
                },
            ],
        }
    }

    #[test]
    fn canonical_form_orders_tallies_and_fills_zeros() {
        let rec = Record::from_result(&sample()).unwrap();
        let back = rec.to_result();
        let order: Vec<(&str, Phase)> = back
            .tallies
            .iter()
            .map(|t| (t.question.as_str(), t.phase))
            .collect();
        assert_eq!(
            order,
            [
                ("pay", Phase::Before),
                ("pay", Phase::After),
                ("signs", Phase::After)
            ]
        );
        assert_eq!(back.tallies[1].counts.get("c"), Some(&0));
        // Canonical form is a fixed point.
        assert_eq!(Record::from_result(&back).unwrap(), rec);
    }

    #[test]
    fn the_borrowed_bundle_form_reads_back_as_the_owned_one() {
        let rec = Record::from_result(&sample()).unwrap();
        let text = serde_json::to_string(&rec.as_session_record()).unwrap();
        let back: SessionRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rec.to_session_record());
    }

    #[test]
    fn pack_and_unpack_round_trip() {
        let rec = Record::from_result(&sample()).unwrap();
        let blob = rec.pack();
        let (mut t, mut c) = (Vec::new(), Vec::new());
        assert!(unpack(&rec.shape, &blob, &mut t, &mut c));
        assert_eq!(t, rec.tallies);
        assert_eq!(c, rec.counts);
        // Any truncation or trailing garbage is detected.
        assert!(!unpack(&rec.shape, &blob[..blob.len() - 1], &mut t, &mut c));
        let mut longer = blob.clone();
        longer.push(0);
        assert!(!unpack(&rec.shape, &longer, &mut t, &mut c));
    }

    #[test]
    fn contract_violations_are_refused() {
        type Breach = Box<dyn Fn(&mut SessionResult)>;
        let cases: Vec<(Breach, &str)> = vec![
            (Box::new(|s| s.session_id = "not-a-uuid".into()), "UUID"),
            (
                Box::new(|s| s.session_id = "0B0B6F8E-1C5E-4D4E-9B7A-3F1E2D3C4B5A".into()),
                "UUID",
            ),
            (Box::new(|s| s.date = "2026-11-29T10:15".into()), "date"),
            (Box::new(|s| s.date = "2026-2-30".into()), "date"),
            (Box::new(|s| s.actual_minutes = 43), "minutes"),
            (Box::new(|s| s.group = Some("x".repeat(61))), "group"),
            (Box::new(|s| s.group = Some("a\nb".into())), "group"),
            (Box::new(|s| s.group = Some("a\u{202E}b".into())), "U+202E"),
            (Box::new(|s| s.group = Some("a\u{2066}b".into())), "U+2066"),
            (Box::new(|s| s.group = Some("a\tb".into())), "U+0009"),
            (Box::new(|s| s.locale = "english".into()), "language"),
            (Box::new(|s| s.tallies[0].question = "nope".into()), "nope"),
            (
                Box::new(|s| {
                    s.tallies[1].counts.insert("z".into(), 1);
                }),
                "`z`",
            ),
            (
                Box::new(|s| {
                    let t = s.tallies[1].clone();
                    s.tallies.push(t);
                }),
                "twice",
            ),
        ];
        for (change, word) in cases {
            let mut s = sample();
            change(&mut s);
            let err = Record::from_result(&s).unwrap_err().to_string();
            assert!(err.contains(word), "{err} should mention {word}");
        }
    }
}
