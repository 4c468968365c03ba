//! The workshop state machine: where the facilitator is in the plan, the tallies per question and
//! phase, which questions are revealed, and the time spent. Every rule of a workshop lives here;
//! screens only call these methods. Saved and resumed through `SavedSession`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::plan::{self, Item};
use super::result::{round_minutes, AnswerMode, Phase, QuestionInfo, SessionResult, Tally};
use crate::curriculum::{Module, Question, Step, StepKind};

/// Choices are answered with A-F, so at most six (the validator enforces it).
pub const CHOICE_KEYS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];
/// No room counts more than this on one choice; guards typed counts against slips.
pub const MAX_COUNT: u32 = 9_999;

/// What the facilitator chose before starting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub mode: AnswerMode,
    pub headcount: Option<u32>,
    /// Ask the check questions before and after the content.
    pub check: bool,
    /// Language the content is shown in.
    pub locale: String,
    pub group: Option<String>,
}

/// Why an action was refused; screens turn these into a short message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The current item is not a question.
    NotAQuestion,
    /// The before-check never reveals: the content teaches the answers.
    NoRevealBefore,
    /// Counts are frozen once revealed, so the chart the room saw stays true.
    AlreadyRevealed,
    /// That action belongs to the other answer mode.
    WrongMode,
    NoSuchChoice,
    NothingToUndo,
    AtStart,
    AtEnd,
}

/// One workshop in progress.
#[derive(Debug, Clone)]
pub struct Session {
    module: Module,
    setup: Setup,
    plan: Vec<Item>,
    cursor: usize,
    tallies: BTreeMap<(String, Phase), BTreeMap<String, u32>>,
    revealed: BTreeSet<(String, Phase)>,
    /// Private-mode presses that can still be undone: only what `u` needs, never saved.
    undo: Vec<(String, Phase, String)>,
    /// Hands mode: the choice whose count is being edited.
    selected: usize,
    elapsed_secs: u64,
    session_id: String,
    date: String,
}

/// The autosaved form of a session in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub format: u32,
    pub session_id: String,
    pub module_id: String,
    pub module_version: u32,
    pub content_hash: String,
    pub date: String,
    pub setup: Setup,
    /// Position as the item key (stable across plan shapes), with the index as a fallback.
    pub cursor: usize,
    pub tallies: Vec<Tally>,
    pub revealed: Vec<(String, Phase)>,
    pub elapsed_secs: u64,
}

pub const SAVED_FORMAT: u32 = 1;

/// Why a saved session cannot be resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeError {
    /// The module is no longer installed.
    ModuleMissing(String),
    /// The module changed since the session started (its content hash differs).
    ModuleChanged(String),
    /// The file is from a newer Waymark.
    UnknownFormat(u32),
}

impl Session {
    /// Starts a workshop on `module` (the source module; it is localized to `setup.locale`).
    pub fn new(module: &Module, setup: Setup, session_id: String, date: String) -> Session {
        let localized = module.localized(&setup.locale);
        let plan = plan::build(&localized, setup.check);
        Session {
            module: localized,
            setup,
            plan,
            cursor: 0,
            tallies: BTreeMap::new(),
            revealed: BTreeSet::new(),
            undo: Vec::new(),
            selected: 0,
            elapsed_secs: 0,
            session_id,
            date,
        }
    }

    pub fn module(&self) -> &Module {
        &self.module
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    pub fn plan(&self) -> &[Item] {
        &self.plan
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn item(&self) -> Item {
        self.plan[self.cursor]
    }

    pub fn elapsed_secs(&self) -> u64 {
        self.elapsed_secs
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The step shown now, if the item is a step.
    pub fn step(&self) -> Option<&Step> {
        match self.item() {
            Item::Step { index, .. } => self.module.steps.get(index),
            _ => None,
        }
    }

    /// The question shown now, with its phase.
    pub fn question(&self) -> Option<(&Step, &Question, Phase)> {
        match self.item() {
            Item::Step { index, phase } => {
                let step = self.module.steps.get(index)?;
                match &step.kind {
                    StepKind::Question(q) => Some((step, q, phase)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.item() == Item::Summary
    }

    /// Counts per choice (in choice order) for the current question.
    pub fn counts(&self) -> Vec<u32> {
        let Some((step, q, phase)) = self.question() else {
            return Vec::new();
        };
        let map = self.tallies.get(&(step.id.clone(), phase));
        q.choices
            .iter()
            .map(|c| map.and_then(|m| m.get(&c.id)).copied().unwrap_or(0))
            .collect()
    }

    /// How many question items of the plan have no answers at all yet.
    pub fn unanswered(&self) -> usize {
        self.plan
            .iter()
            .filter(|item| match item {
                Item::Step { index, phase } => {
                    let step = &self.module.steps[*index];
                    matches!(step.kind, StepKind::Question(_))
                        && self
                            .tallies
                            .get(&(step.id.clone(), *phase))
                            .is_none_or(|m| m.values().all(|&n| n == 0))
                }
                _ => false,
            })
            .count()
    }

    /// Answers given so far on the current question.
    pub fn total(&self) -> u32 {
        self.counts().iter().sum()
    }

    pub fn is_revealed(&self) -> bool {
        self.question()
            .is_some_and(|(s, _, p)| self.revealed.contains(&(s.id.clone(), p)))
    }

    /// Whether `r` may reveal now.
    pub fn can_reveal(&self) -> bool {
        matches!(self.question(), Some((_, _, phase)) if phase != Phase::Before)
            && !self.is_revealed()
    }

    pub fn forward(&mut self) -> Result<(), Refusal> {
        if self.cursor + 1 >= self.plan.len() {
            return Err(Refusal::AtEnd);
        }
        self.goto(self.cursor + 1)
    }

    pub fn back(&mut self) -> Result<(), Refusal> {
        if self.cursor == 0 {
            return Err(Refusal::AtStart);
        }
        self.goto(self.cursor - 1)
    }

    /// Jumps to any item of the plan.
    pub fn goto(&mut self, index: usize) -> Result<(), Refusal> {
        if index >= self.plan.len() {
            return Err(Refusal::AtEnd);
        }
        self.cursor = index;
        self.selected = 0;
        self.undo.clear();
        Ok(())
    }

    /// The current question's key and choice ids, if counts may change now.
    fn editable(&self) -> Result<((String, Phase), Vec<String>), Refusal> {
        let (step, q, phase) = self.question().ok_or(Refusal::NotAQuestion)?;
        let key = (step.id.clone(), phase);
        if self.revealed.contains(&key) {
            return Err(Refusal::AlreadyRevealed);
        }
        Ok((key, q.choices.iter().map(|c| c.id.clone()).collect()))
    }

    /// Hands mode: moves the selection among the choices.
    pub fn select(&mut self, choice: usize) -> Result<(), Refusal> {
        let (_, q, _) = self.question().ok_or(Refusal::NotAQuestion)?;
        if choice >= q.choices.len() {
            return Err(Refusal::NoSuchChoice);
        }
        self.selected = choice;
        Ok(())
    }

    /// Hands mode: sets the count of a choice.
    pub fn set_count(&mut self, choice: usize, count: u32) -> Result<(), Refusal> {
        if self.setup.mode != AnswerMode::Hands {
            return Err(Refusal::WrongMode);
        }
        let (key, ids) = self.editable()?;
        let id = ids.get(choice).ok_or(Refusal::NoSuchChoice)?.clone();
        let map = self.tallies.entry(key).or_default();
        for other in &ids {
            map.entry(other.clone()).or_insert(0);
        }
        map.insert(id, count.min(MAX_COUNT));
        Ok(())
    }

    /// Hands mode: moves the selected choice's count up or down by one.
    pub fn adjust(&mut self, delta: i32) -> Result<(), Refusal> {
        let current = self.counts().get(self.selected).copied().unwrap_or(0);
        let next = current.saturating_add_signed(delta);
        self.set_count(self.selected, next)
    }

    /// Private mode: one person's answer.
    pub fn answer(&mut self, choice: usize) -> Result<(), Refusal> {
        if self.setup.mode != AnswerMode::Private {
            return Err(Refusal::WrongMode);
        }
        let (key, ids) = self.editable()?;
        let id = ids.get(choice).ok_or(Refusal::NoSuchChoice)?.clone();
        let map = self.tallies.entry(key.clone()).or_default();
        for other in &ids {
            map.entry(other.clone()).or_insert(0);
        }
        let slot = map.entry(id.clone()).or_insert(0);
        if *slot >= MAX_COUNT {
            return Ok(());
        }
        *slot += 1;
        self.undo.push((key.0, key.1, id));
        Ok(())
    }

    /// Private mode: takes back the last answer on this question.
    pub fn undo(&mut self) -> Result<(), Refusal> {
        if self.setup.mode != AnswerMode::Private {
            return Err(Refusal::WrongMode);
        }
        let (key, _) = self.editable()?;
        let Some(pos) = self
            .undo
            .iter()
            .rposition(|(q, p, _)| (q, p) == (&key.0, &key.1))
        else {
            return Err(Refusal::NothingToUndo);
        };
        let (q, p, id) = self.undo.remove(pos);
        if let Some(n) = self.tallies.get_mut(&(q, p)).and_then(|m| m.get_mut(&id)) {
            *n = n.saturating_sub(1);
        }
        Ok(())
    }

    /// Shows the answer and the class's distribution; freezes the counts.
    pub fn reveal(&mut self) -> Result<(), Refusal> {
        let (step, q, phase) = self.question().ok_or(Refusal::NotAQuestion)?;
        if phase == Phase::Before {
            return Err(Refusal::NoRevealBefore);
        }
        let key = (step.id.clone(), phase);
        if self.revealed.contains(&key) {
            return Err(Refusal::AlreadyRevealed);
        }
        let ids: Vec<String> = q.choices.iter().map(|c| c.id.clone()).collect();
        let map = self.tallies.entry(key.clone()).or_default();
        for id in ids {
            map.entry(id).or_insert(0);
        }
        self.revealed.insert(key);
        self.undo.clear();
        Ok(())
    }

    /// Time passes (fed by the event loop; the session never reads a clock).
    pub fn tick(&mut self, secs: u64) {
        self.elapsed_secs = self.elapsed_secs.saturating_add(secs);
    }

    /// The anonymous aggregates of the workshop so far.
    pub fn result(&self) -> SessionResult {
        let questions = QuestionInfo::of_module(&self.module);
        let mut tallies = Vec::new();
        for ((question, phase), counts) in &self.tallies {
            tallies.push(Tally {
                question: question.clone(),
                phase: *phase,
                counts: counts.clone(),
            });
        }
        SessionResult {
            session_id: self.session_id.clone(),
            module_id: self.module.id.clone(),
            module_version: self.module.version,
            content_hash: self.module.content_hash.clone(),
            locale: self.setup.locale.clone(),
            mode: self.setup.mode,
            date: self.date.clone(),
            planned_minutes: round_minutes(f64::from(self.module.minutes)),
            actual_minutes: round_minutes(self.elapsed_secs as f64 / 60.0),
            headcount: self.setup.headcount,
            group: self.setup.group.clone(),
            questions,
            tallies,
        }
    }

    pub fn save(&self) -> SavedSession {
        SavedSession {
            format: SAVED_FORMAT,
            session_id: self.session_id.clone(),
            module_id: self.module.id.clone(),
            module_version: self.module.version,
            content_hash: self.module.content_hash.clone(),
            date: self.date.clone(),
            setup: self.setup.clone(),
            cursor: self.cursor,
            tallies: self.result().tallies,
            revealed: self.revealed.iter().cloned().collect(),
            elapsed_secs: self.elapsed_secs,
        }
    }

    /// Resumes a saved session on `module`, which must be the same content it started on.
    pub fn resume(saved: &SavedSession, module: &Module) -> Result<Session, ResumeError> {
        if saved.format != SAVED_FORMAT {
            return Err(ResumeError::UnknownFormat(saved.format));
        }
        if module.id != saved.module_id {
            return Err(ResumeError::ModuleMissing(saved.module_id.clone()));
        }
        if module.content_hash != saved.content_hash {
            return Err(ResumeError::ModuleChanged(saved.module_id.clone()));
        }
        let mut s = Session::new(
            module,
            saved.setup.clone(),
            saved.session_id.clone(),
            saved.date.clone(),
        );
        s.cursor = saved.cursor.min(s.plan.len().saturating_sub(1));
        s.elapsed_secs = saved.elapsed_secs;
        for t in &saved.tallies {
            s.tallies
                .insert((t.question.clone(), t.phase), t.counts.clone());
        }
        s.revealed = saved.revealed.iter().cloned().collect();
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::{self, SourceKind, Sources};

    fn module() -> Module {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
        let catalog = curriculum::load(&Sources {
            builtin: false,
            dirs: vec![(SourceKind::Flag, dir)],
        });
        catalog.module("good-one").expect("fixture loads").clone()
    }

    fn setup(mode: AnswerMode, check: bool) -> Setup {
        Setup {
            mode,
            headcount: Some(10),
            check,
            locale: "en".into(),
            group: None,
        }
    }

    fn session(mode: AnswerMode) -> Session {
        Session::new(
            &module(),
            setup(mode, true),
            "id".into(),
            "2026-11-29".into(),
        )
    }

    /// Moves to the first item satisfying `f`.
    fn seek(s: &mut Session, f: impl Fn(&Session) -> bool) {
        s.goto(0).unwrap();
        while !f(s) {
            s.forward().expect("item exists");
        }
    }

    fn at_question(s: &mut Session, id: &str, phase: Phase) {
        seek(
            s,
            |s| matches!(s.question(), Some((st, _, p)) if st.id == id && p == phase),
        );
    }

    #[test]
    fn plan_is_opening_check_before_content_sources_check_after_summary() {
        let s = session(AnswerMode::Hands);
        let names: Vec<String> = s.plan().iter().map(|i| i.describe(s.module())).collect();
        assert_eq!(
            names,
            [
                "intro",
                "q1@before",
                "q2@before",
                "story",
                "sources",
                "q1@after",
                "q2@after",
                "summary"
            ]
        );
        let s = Session::new(
            &module(),
            setup(AnswerMode::Hands, false),
            "id".into(),
            "d".into(),
        );
        let names: Vec<String> = s.plan().iter().map(|i| i.describe(s.module())).collect();
        assert_eq!(
            names,
            [
                "intro",
                "story",
                "q1@during",
                "q2@during",
                "sources",
                "summary"
            ]
        );
    }

    #[test]
    fn a_module_that_opens_with_a_question_starts_with_the_check() {
        let mut m = module();
        let first_question = m
            .steps
            .iter()
            .position(|s| matches!(s.kind, StepKind::Question(_)))
            .unwrap();
        let q = m.steps.remove(first_question);
        m.steps.insert(0, q);
        let s = Session::new(&m, setup(AnswerMode::Hands, true), "id".into(), "d".into());
        let names: Vec<String> = s.plan().iter().map(|i| i.describe(s.module())).collect();
        assert_eq!(names[..3], ["q1@before", "q2@before", "intro"]);
    }

    #[test]
    fn navigation_stops_at_both_ends() {
        let mut s = session(AnswerMode::Hands);
        assert_eq!(s.back(), Err(Refusal::AtStart));
        let last = s.plan().len() - 1;
        s.goto(last).unwrap();
        assert!(s.is_finished());
        assert_eq!(s.forward(), Err(Refusal::AtEnd));
        assert_eq!(s.goto(last + 1), Err(Refusal::AtEnd));
    }

    #[test]
    fn hands_mode_sets_and_adjusts_counts() {
        let mut s = session(AnswerMode::Hands);
        at_question(&mut s, "q1", Phase::Before);
        s.set_count(0, 7).unwrap();
        s.select(1).unwrap();
        s.adjust(1).unwrap();
        s.adjust(1).unwrap();
        s.adjust(-1).unwrap();
        assert_eq!(s.counts(), vec![7, 1]);
        assert_eq!(s.total(), 8);
        s.select(0).unwrap();
        s.adjust(-100).unwrap();
        assert_eq!(s.counts(), vec![0, 1]);
        assert_eq!(s.select(5), Err(Refusal::NoSuchChoice));
        assert_eq!(s.answer(0), Err(Refusal::WrongMode));
        s.set_count(0, 1_000_000).unwrap();
        assert_eq!(s.counts()[0], MAX_COUNT);
    }

    #[test]
    fn private_mode_counts_presses_and_undoes() {
        let mut s = session(AnswerMode::Private);
        at_question(&mut s, "q1", Phase::After);
        for c in [0, 0, 1, 0] {
            s.answer(c).unwrap();
        }
        assert_eq!(s.counts(), vec![3, 1]);
        s.undo().unwrap();
        assert_eq!(s.counts(), vec![2, 1]);
        s.undo().unwrap();
        s.undo().unwrap();
        s.undo().unwrap();
        assert_eq!(s.counts(), vec![0, 0]);
        assert_eq!(s.undo(), Err(Refusal::NothingToUndo));
        assert_eq!(s.set_count(0, 3), Err(Refusal::WrongMode));
        assert_eq!(s.answer(9), Err(Refusal::NoSuchChoice));
    }

    #[test]
    fn undo_does_not_reach_other_questions() {
        let mut s = session(AnswerMode::Private);
        at_question(&mut s, "q1", Phase::Before);
        s.answer(0).unwrap();
        s.forward().unwrap();
        assert_eq!(s.undo(), Err(Refusal::NothingToUndo));
        s.back().unwrap();
        // Moving away ends the chance to undo: the keyboard has gone on to someone else.
        assert_eq!(s.undo(), Err(Refusal::NothingToUndo));
        assert_eq!(s.counts(), vec![1, 0]);
    }

    #[test]
    fn reveal_is_gated() {
        let mut s = session(AnswerMode::Private);
        at_question(&mut s, "q1", Phase::Before);
        assert!(!s.can_reveal());
        assert_eq!(s.reveal(), Err(Refusal::NoRevealBefore));
        at_question(&mut s, "q1", Phase::After);
        s.answer(0).unwrap();
        assert!(s.can_reveal());
        s.reveal().unwrap();
        assert!(s.is_revealed());
        assert_eq!(s.reveal(), Err(Refusal::AlreadyRevealed));
        assert_eq!(s.answer(1), Err(Refusal::AlreadyRevealed));
        assert_eq!(s.undo(), Err(Refusal::AlreadyRevealed));
        assert_eq!(s.counts(), vec![1, 0]);
        seek(&mut s, |s| s.step().is_some_and(|st| st.id == "intro"));
        assert_eq!(s.reveal(), Err(Refusal::NotAQuestion));
    }

    #[test]
    fn result_pairs_before_and_after_and_rounds_time() {
        let mut s = session(AnswerMode::Hands);
        at_question(&mut s, "q1", Phase::Before);
        s.set_count(0, 4).unwrap();
        s.set_count(1, 6).unwrap();
        at_question(&mut s, "q1", Phase::After);
        s.set_count(0, 9).unwrap();
        s.set_count(1, 1).unwrap();
        s.tick(37 * 60 + 20);
        let r = s.result();
        assert_eq!(r.actual_minutes, 35);
        assert_eq!(r.planned_minutes, 10);
        assert_eq!(r.headcount, Some(10));
        assert_eq!(r.counts("q1", Phase::Before).unwrap()["a"], 4);
        let summary = r.summary();
        assert_eq!(summary.before, Some(0.4));
        assert_eq!(summary.after, Some(0.9));
        assert!((summary.gain.unwrap() - 5.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_full_before_score_has_no_gain() {
        let mut s = session(AnswerMode::Hands);
        at_question(&mut s, "q1", Phase::Before);
        s.set_count(0, 10).unwrap();
        at_question(&mut s, "q1", Phase::After);
        s.set_count(0, 10).unwrap();
        let summary = s.result().summary();
        assert_eq!(summary.before, Some(1.0));
        assert_eq!(summary.gain, None);
        assert_eq!(summary.band, None);
    }

    #[test]
    fn resume_restores_position_tallies_and_reveals() {
        let mut s = session(AnswerMode::Private);
        at_question(&mut s, "q1", Phase::After);
        s.answer(1).unwrap();
        s.answer(0).unwrap();
        s.reveal().unwrap();
        s.tick(90);
        let saved = s.save();
        let text = serde_json::to_string(&saved).unwrap();
        let back: SavedSession = serde_json::from_str(&text).unwrap();
        let r = Session::resume(&back, &module()).unwrap();
        assert_eq!(r.cursor(), s.cursor());
        assert_eq!(r.counts(), vec![1, 1]);
        assert!(r.is_revealed());
        assert_eq!(r.elapsed_secs(), 90);
        assert_eq!(r.result(), s.result());
        // Saved state keeps counts only: no order of answers, nothing about a person.
        assert!(!text.contains("undo"));
    }

    #[test]
    fn resume_refuses_a_changed_module() {
        let s = session(AnswerMode::Hands);
        let saved = s.save();
        let mut changed = module();
        changed.content_hash = "0000000000000000".into();
        assert_eq!(
            Session::resume(&saved, &changed).unwrap_err(),
            ResumeError::ModuleChanged("good-one".into())
        );
        let mut newer = saved.clone();
        newer.format = 99;
        assert_eq!(
            Session::resume(&newer, &module()).unwrap_err(),
            ResumeError::UnknownFormat(99)
        );
    }

    #[test]
    fn content_follows_the_chosen_language() {
        let mut st = setup(AnswerMode::Hands, true);
        st.locale = "es".into();
        let s = Session::new(&module(), st, "id".into(), "d".into());
        assert_eq!(s.module().title, "Bueno uno");
        assert_eq!(s.result().locale, "es");
    }
}
