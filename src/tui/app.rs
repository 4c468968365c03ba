//! The facilitator's face, Elm-style: a `Model`, the `Msg`s that reach it, and `update`, which
//! changes the model and returns the `Effect`s (save, record, quit) for the event loop to carry
//! out. Workshop rules stay in `session`; this file only routes keys to them.

use std::cell::{Cell, RefCell};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use rust_i18n::t;

use super::keymap::{self, Action, Context};
use super::theme::Theme;
use crate::curriculum::{Catalog, Module};
use crate::session::{
    AnswerMode, Item, Refusal, ResumeError, SavedSession, Session, SessionResult, Setup,
};
use crate::store::report::Report;

/// Longest group label kept: a short description of the group, never a list of names.
pub const MAX_GROUP_LEN: usize = 40;
/// Largest headcount that can be typed.
pub const MAX_HEADCOUNT: u32 = 9_999;

/// Something that happened: a key, a click, a second of time, or word from the effect runner.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Click {
        column: u16,
        row: u16,
    },
    Tick(u64),
    /// The result of an `Effect::Record`.
    Recorded(Result<(), String>),
    /// The result of an `Effect::Save`.
    Saved(Result<(), String>),
    /// The result of an `Effect::LoadReport`.
    ReportLoaded(Result<Report, String>),
    /// Preview: the module files were saved and loaded again.
    Reloaded(Catalog),
}

/// Work for the event loop; the model never touches files itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Autosave the session in progress (atomic write).
    Save(SavedSession),
    /// Record the finished session in the score store, then drop the autosave.
    Record(SessionResult),
    /// Drop the autosave without recording (the facilitator chose to start fresh).
    DiscardSave,
    /// Add up the score store for the reports screen.
    LoadReport,
    Quit,
}

#[derive(Debug, Clone, Default)]
pub struct StartState {
    pub filter: String,
    pub filtering: bool,
    pub selected: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupField {
    Mode,
    Headcount,
    Check,
    Group,
    Start,
}

impl SetupField {
    pub const ALL: [SetupField; 5] = [
        SetupField::Mode,
        SetupField::Headcount,
        SetupField::Check,
        SetupField::Group,
        SetupField::Start,
    ];
}

#[derive(Debug, Clone)]
pub struct SetupState {
    pub module_id: String,
    pub field: SetupField,
    pub mode: AnswerMode,
    pub headcount: String,
    pub check: bool,
    pub has_check: bool,
    pub group: String,
}

#[derive(Debug, Clone)]
pub struct RunState {
    pub session: Session,
    /// Digits being typed into the selected choice's count (show-of-hands mode).
    pub typing: Option<String>,
    /// Set once the result is safely in the store.
    pub recorded: bool,
    pub record_error: Option<String>,
    /// Lines scrolled down in text that does not fit: the notes panel when open, else the step.
    pub scroll: u16,
}

/// The reports screen: what the store adds up to, one module at a time.
#[derive(Debug, Clone)]
pub struct ReportsState {
    /// `None` while loading.
    pub report: Option<Result<Report, String>>,
    pub selected: usize,
    /// Lines scrolled down in the selected module's page.
    pub scroll: u16,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Start(StartState),
    /// An unfinished session was found; `problem` says why it cannot resume, if it cannot.
    Resume {
        saved: Box<SavedSession>,
        problem: Option<String>,
    },
    Setup(SetupState),
    Run(Box<RunState>),
    Reports(ReportsState),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Outline {
        selected: usize,
    },
    ConfirmQuit,
    /// Enter on the summary while some questions have no answers: save anyway?
    ConfirmSave {
        unanswered: usize,
    },
    /// `r` in private mode, where the keyboard goes round the room: reveal (and close) now?
    ConfirmReveal,
}

/// Inputs that do not change while the app runs.
pub struct Options {
    pub theme: Theme,
    pub locale: String,
    /// Open the set-up of this module directly.
    pub module: Option<String>,
    /// Preview: no scores recorded, nothing autosaved.
    pub preview: bool,
    pub today: String,
}

pub struct Model {
    pub catalog: Catalog,
    /// The catalog's modules in `locale`, made once per language switch or reload rather than
    /// on every frame.
    localized: Vec<Module>,
    pub theme: Theme,
    /// The language of the interface and the content, switched together with `l`.
    pub locale: String,
    pub languages: Vec<String>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub notes: bool,
    /// A one-line status for the facilitator, already translated.
    pub message: Option<String>,
    pub preview: bool,
    pub today: String,
    pub save_error: Option<String>,
    /// Preview: the errors of the last save, as `path:line:col: ...` lines, until fixed.
    pub problems: Vec<String>,
    /// Where each choice was drawn, for mouse clicks: filled by `view`.
    pub hits: RefCell<Vec<(Rect, usize)>>,
    /// How far the scrollable text of the step on screen can scroll: set by `view`.
    pub scroll_max: Cell<u16>,
    /// The window is below the minimum size: keys other than quitting are ignored, since
    /// nothing they change can be seen. Set by `view`.
    pub too_small: Cell<bool>,
    /// Lines scrolled in the `?` overlay when it does not fit.
    pub help_scroll: u16,
    /// Set by `update` when a new session needs an id; the loop supplies randomness.
    pub next_session_id: String,
}

impl Model {
    pub fn new(catalog: Catalog, options: Options, saved: Option<SavedSession>) -> Model {
        let mut languages: Vec<String> = vec!["en".into()];
        for m in &catalog.modules {
            for l in m.locales() {
                if !languages.iter().any(|x| x.eq_ignore_ascii_case(l)) {
                    languages.push(l.to_string());
                }
            }
        }
        languages[1..].sort();
        let mut model = Model {
            localized: localize_all(&catalog, &options.locale),
            catalog,
            theme: options.theme,
            locale: options.locale,
            languages,
            screen: Screen::Start(StartState::default()),
            overlay: None,
            notes: false,
            message: None,
            preview: options.preview,
            today: options.today,
            save_error: None,
            problems: Vec::new(),
            hits: RefCell::new(Vec::new()),
            scroll_max: Cell::new(0),
            too_small: Cell::new(false),
            help_scroll: 0,
            next_session_id: String::new(),
        };
        if let Some(saved) = saved {
            let problem = model.resume_problem(&saved);
            model.screen = Screen::Resume {
                saved: Box::new(saved),
                problem,
            };
        } else if let Some(id) = options.module {
            model.open_setup(&id);
            if model.preview {
                model.next_session_id = "preview".into();
                start_session(&mut model);
            }
        }
        model.problems = problems_of(&model.catalog);
        model
    }

    fn resume_problem(&self, saved: &SavedSession) -> Option<String> {
        let module = self.catalog.module(&saved.module_id);
        let err = match module {
            None => ResumeError::ModuleMissing(saved.module_id.clone()),
            Some(m) => match Session::resume(saved, m) {
                Ok(_) => return None,
                Err(e) => e,
            },
        };
        Some(match err {
            ResumeError::ModuleMissing(id) => t!("resume.missing", id = id).into_owned(),
            ResumeError::ModuleChanged(id) => t!("resume.changed", id = id).into_owned(),
            ResumeError::UnknownFormat(n) => t!("resume.format", format = n).into_owned(),
        })
    }

    /// The modules shown on the start screen, filtered, in the current language.
    pub fn visible_modules(&self) -> Vec<&Module> {
        let filter = match &self.screen {
            Screen::Start(s) => s.filter.to_lowercase(),
            _ => String::new(),
        };
        self.localized
            .iter()
            .filter(|m| {
                filter.is_empty()
                    || m.title.to_lowercase().contains(&filter)
                    || m.summary.to_lowercase().contains(&filter)
                    || m.id.contains(&filter)
            })
            .collect()
    }

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.overlay {
            Some(Overlay::Help) => vec![Context::HelpOverlay],
            Some(Overlay::Outline { .. }) => vec![Context::Outline],
            Some(Overlay::ConfirmQuit | Overlay::ConfirmSave { .. } | Overlay::ConfirmReveal) => {
                vec![Context::Confirm]
            }
            None => self.contexts_without_overlay(),
        }
    }

    /// The contexts of the screen itself, ignoring any overlay (what `?` explains).
    pub fn contexts_without_overlay(&self) -> Vec<Context> {
        match &self.screen {
            Screen::Start(s) if s.filtering => vec![Context::Filter],
            Screen::Start(_) => vec![Context::Start],
            Screen::Resume { .. } => vec![Context::Resume],
            Screen::Setup(_) => vec![Context::Setup],
            Screen::Reports(_) => vec![Context::Reports],
            Screen::Run(run) => {
                let s = &run.session;
                if s.is_finished() {
                    return vec![Context::Summary, Context::Run];
                }
                match s.question() {
                    Some(_) if !s.is_revealed() => match s.setup().mode {
                        AnswerMode::Hands => vec![Context::Hands, Context::Run],
                        AnswerMode::Private => vec![Context::Private, Context::Run],
                    },
                    _ => vec![Context::Run],
                }
            }
        }
    }

    fn open_setup(&mut self, id: &str) {
        let Some(module) = self.catalog.module(id) else {
            self.message = Some(t!("start.no_such_module", id = id).into_owned());
            return;
        };
        let has_check = module.check_questions().next().is_some();
        self.screen = Screen::Setup(SetupState {
            module_id: module.id.clone(),
            field: SetupField::Mode,
            mode: AnswerMode::Hands,
            headcount: String::new(),
            check: has_check,
            has_check,
            group: String::new(),
        });
    }

    /// `l`: the next language after the current one. A regional locale (`pt-BR`, `en-US`)
    /// counts as its language when the list has no exact match.
    fn switch_language(&mut self) {
        let primary = |l: &str| l.split(['-', '_']).next().unwrap_or(l).to_ascii_lowercase();
        let here = self
            .languages
            .iter()
            .position(|l| l.eq_ignore_ascii_case(&self.locale))
            .or_else(|| {
                self.languages
                    .iter()
                    .position(|l| primary(l) == primary(&self.locale))
            });
        let i = here.map_or(0, |i| (i + 1) % self.languages.len());
        let next = self.languages[i].clone();
        self.set_locale(&next);
        self.message = Some(t!("start.language_now", lang = self.locale.as_str()).into_owned());
    }

    /// The interface and the module list, in `locale` together.
    fn set_locale(&mut self, locale: &str) {
        self.locale = locale.to_string();
        self.localized = localize_all(&self.catalog, &self.locale);
        crate::i18n::set(&self.locale);
    }
}

fn localize_all(catalog: &Catalog, locale: &str) -> Vec<Module> {
    catalog
        .modules
        .iter()
        .map(|m| m.localized(locale))
        .collect()
}

/// The errors of a catalog as one line each (`path:line:col: error[code]: message`).
fn problems_of(catalog: &Catalog) -> Vec<String> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::curriculum::Severity::Error)
        .map(ToString::to_string)
        .collect()
}

/// Preview: takes a freshly loaded catalog. With errors, the last good module stays on screen
/// and the errors are listed; without, the session is rebuilt on the same step.
fn reload(model: &mut Model, catalog: Catalog) {
    model.problems = problems_of(&catalog);
    if !model.problems.is_empty() {
        model.message = Some(t!("preview.has_errors").into_owned());
        return;
    }
    model.localized = localize_all(&catalog, &model.locale);
    model.catalog = catalog;
    model.message = Some(t!("preview.reloaded").into_owned());
    if model.preview && !matches!(model.screen, Screen::Run(_)) {
        // The first good save after a broken start: open the module.
        if let Some(id) = model.catalog.modules.first().map(|m| m.id.clone()) {
            model.open_setup(&id);
            model.next_session_id = "preview".into();
            start_session(model);
        }
        return;
    }
    let Screen::Run(run) = &mut model.screen else {
        return;
    };
    let old = &run.session;
    let Some(module) = model
        .catalog
        .module(&old.module().id)
        .or(model.catalog.modules.first())
    else {
        return;
    };
    let here = old.plan()[old.cursor()];
    let here_step = old.step().map(|s| s.id.clone());
    let mut session = Session::new(
        module,
        old.setup().clone(),
        old.session_id().to_string(),
        model.today.clone(),
    );
    let plan = session.plan().to_vec();
    let same = plan.iter().position(|item| match (item, here) {
        (
            Item::Step { index, phase },
            Item::Step {
                phase: old_phase, ..
            },
        ) => *phase == old_phase && Some(&session.module().steps[*index].id) == here_step.as_ref(),
        (a, b) => *a == b,
    });
    let target = same.unwrap_or(old.cursor().min(plan.len() - 1));
    let _ = session.goto(target);
    run.session = session;
    run.typing = None;
}

/// A refusal in words for the status line.
pub fn refusal_text(r: Refusal) -> String {
    match r {
        Refusal::NotAQuestion => t!("refuse.not_a_question"),
        Refusal::NoRevealBefore => t!("refuse.no_reveal_before"),
        Refusal::AlreadyRevealed => t!("refuse.already_revealed"),
        Refusal::WrongMode => t!("refuse.wrong_mode"),
        Refusal::NoSuchChoice => t!("refuse.no_such_choice"),
        Refusal::NothingToUndo => t!("refuse.nothing_to_undo"),
        Refusal::AtStart => t!("refuse.at_start"),
        Refusal::AtEnd => t!("refuse.at_end"),
    }
    .into_owned()
}

/// Applies one message; returns what the event loop must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Tick(secs) => {
            if let Screen::Run(run) = &mut model.screen {
                if !run.session.is_finished() && !run.recorded {
                    run.session.tick(secs);
                    // Time is saved every 30 s; everything else is saved as it happens.
                    if run.session.elapsed_secs() % 30 < secs && !model.preview {
                        return vec![Effect::Save(run.session.save())];
                    }
                }
            }
            vec![]
        }
        Msg::Saved(Ok(())) => {
            model.save_error = None;
            vec![]
        }
        Msg::Saved(Err(e)) => {
            model.message = Some(t!("run.save_failed", error = e.as_str()).into_owned());
            model.save_error = Some(e);
            vec![]
        }
        Msg::Recorded(result) => {
            if let Screen::Run(run) = &mut model.screen {
                match result {
                    Ok(()) => {
                        run.recorded = true;
                        run.record_error = None;
                        model.message = Some(t!("summary.recorded").into_owned());
                    }
                    Err(e) => {
                        model.message =
                            Some(t!("summary.record_failed", error = e.as_str()).into_owned());
                        run.record_error = Some(e);
                    }
                }
            }
            vec![]
        }
        Msg::ReportLoaded(report) => {
            if let Screen::Reports(state) = &mut model.screen {
                state.report = Some(report);
                state.selected = 0;
            }
            vec![]
        }
        Msg::Reloaded(catalog) => {
            reload(model, catalog);
            vec![]
        }
        Msg::Click { column, row } => click(model, column, row),
        Msg::Key(key) => {
            model.message = None;
            on_key(model, key)
        }
    }
}

fn click(model: &mut Model, column: u16, row: u16) -> Vec<Effect> {
    // An overlay covers the choices: a click on it must not count an answer underneath.
    if model.overlay.is_some() || model.too_small.get() {
        return vec![];
    }
    let hit = model
        .hits
        .borrow()
        .iter()
        .find(|(r, _)| {
            column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
        })
        .map(|(_, i)| *i);
    let Some(choice) = hit else { return vec![] };
    let Screen::Run(run) = &mut model.screen else {
        return vec![];
    };
    let outcome = match run.session.setup().mode {
        AnswerMode::Hands => run.session.select(choice),
        AnswerMode::Private => run.session.answer(choice),
    };
    run.typing = None;
    after_session_change(model, outcome)
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    // Too small to see anything: only quitting works, so no count changes unseen.
    if model.too_small.get() {
        // The session is autosaved, so leaving loses nothing, unless saving is failing.
        return match keymap::action_for(&[], &key) {
            Some(Action::Quit) if model.save_error.is_none() => vec![Effect::Quit],
            _ => vec![],
        };
    }
    // Text entry comes before bindings: the filter line and the group label take letters.
    if let Some(effects) = text_entry(model, &key) {
        return effects;
    }
    if model.overlay == Some(Overlay::Help) {
        match keymap::action_for(&[Context::HelpOverlay], &key) {
            Some(Action::Up) => model.help_scroll = model.help_scroll.saturating_sub(1),
            Some(Action::Down) => {
                model.help_scroll = (model.help_scroll + 1).min(model.scroll_max.get())
            }
            _ => {
                model.overlay = None;
                model.help_scroll = 0;
            }
        }
        return vec![];
    }
    let contexts = model.contexts();
    let Some(action) = keymap::action_for(&contexts, &key) else {
        return vec![];
    };
    if action == Action::Help {
        model.overlay = Some(Overlay::Help);
        return vec![];
    }
    match model.overlay {
        Some(Overlay::ConfirmQuit) => {
            return match action {
                Action::Yes | Action::Quit => vec![Effect::Quit],
                _ => {
                    model.overlay = None;
                    vec![]
                }
            };
        }
        Some(Overlay::ConfirmSave { .. }) => {
            model.overlay = None;
            return match (action, &model.screen) {
                (Action::Yes, Screen::Run(run)) => vec![Effect::Record(run.session.result())],
                _ => vec![],
            };
        }
        Some(Overlay::ConfirmReveal) => {
            model.overlay = None;
            if action != Action::Yes {
                return vec![];
            }
            let outcome = match &mut model.screen {
                Screen::Run(run) => run.session.reveal(),
                _ => return vec![],
            };
            return after_session_change(model, outcome);
        }
        Some(Overlay::Outline { selected }) => return outline_key(model, action, selected),
        _ => {}
    }
    match &model.screen {
        Screen::Start(_) => start_key(model, action),
        Screen::Resume { .. } => resume_key(model, action),
        Screen::Setup(_) => setup_key(model, action, &key),
        Screen::Run(_) => run_key(model, action, &key),
        Screen::Reports(_) => reports_key(model, action),
    }
}

/// Letters typed into the filter or the group label; `None` when the key is not text entry.
fn text_entry(model: &mut Model, key: &KeyEvent) -> Option<Vec<Effect>> {
    if model.overlay.is_some()
        || !key
            .modifiers
            .difference(crossterm::event::KeyModifiers::SHIFT)
            .is_empty()
    {
        return None;
    }
    match &mut model.screen {
        Screen::Start(s) if s.filtering => match key.code {
            KeyCode::Char(c) => {
                s.filter.push(c);
                s.selected = 0;
                Some(vec![])
            }
            KeyCode::Backspace => {
                s.filter.pop();
                s.selected = 0;
                Some(vec![])
            }
            _ => None,
        },
        // `?` stays the help key, as the footer says.
        Screen::Setup(s) if s.field == SetupField::Group && key.code != KeyCode::Char('?') => {
            match key.code {
                // Directional marks, overrides and isolates would scramble how the label reads
                // elsewhere.
                KeyCode::Char(c)
                    if !c.is_control() && !crate::tui::widgets::text::is_bidi_control(c) =>
                {
                    if s.group.chars().count() < MAX_GROUP_LEN {
                        s.group.push(c);
                    }
                    Some(vec![])
                }
                KeyCode::Backspace => {
                    s.group.pop();
                    Some(vec![])
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn start_key(model: &mut Model, action: Action) -> Vec<Effect> {
    let count = model.visible_modules().len();
    let Screen::Start(s) = &mut model.screen else {
        return vec![];
    };
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Up => s.selected = s.selected.saturating_sub(1),
        Action::Down => s.selected = (s.selected + 1).min(count.saturating_sub(1)),
        Action::StartFilter => s.filtering = true,
        Action::ClearFilter | Action::Back => {
            s.filter.clear();
            s.filtering = false;
        }
        Action::Confirm if s.filtering => s.filtering = false,
        Action::Confirm => {
            let selected = s.selected;
            if let Some(m) = model.visible_modules().get(selected) {
                let id = m.id.clone();
                model.open_setup(&id);
            }
        }
        Action::SwitchLanguage => model.switch_language(),
        Action::Reports if model.preview => {
            model.message = Some(t!("reports.not_in_preview").into_owned())
        }
        Action::Reports => {
            model.screen = Screen::Reports(ReportsState {
                report: None,
                selected: 0,
                scroll: 0,
            });
            return vec![Effect::LoadReport];
        }
        _ => {}
    }
    vec![]
}

fn reports_key(model: &mut Model, action: Action) -> Vec<Effect> {
    let Screen::Reports(state) = &mut model.screen else {
        return vec![];
    };
    let count = match &state.report {
        Some(Ok(r)) => r.modules.len(),
        _ => 0,
    };
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Back => model.screen = Screen::Start(StartState::default()),
        Action::Left => {
            state.selected = state.selected.saturating_sub(1);
            state.scroll = 0;
        }
        Action::Right => {
            state.selected = (state.selected + 1).min(count.saturating_sub(1));
            state.scroll = 0;
        }
        Action::Up => state.scroll = state.scroll.saturating_sub(1),
        Action::Down => state.scroll = (state.scroll + 1).min(model.scroll_max.get()),
        _ => {}
    }
    vec![]
}

fn resume_key(model: &mut Model, action: Action) -> Vec<Effect> {
    let Screen::Resume { saved, problem } = &model.screen else {
        return vec![];
    };
    match action {
        Action::Quit => vec![Effect::Quit],
        Action::Confirm if problem.is_none() => {
            let module = model.catalog.module(&saved.module_id).cloned();
            match module.map(|m| Session::resume(saved, &m)) {
                Some(Ok(session)) => {
                    model.set_locale(&session.setup().locale);
                    model.notes = false;
                    model.screen = Screen::Run(Box::new(RunState {
                        session,
                        typing: None,
                        recorded: false,
                        record_error: None,
                        scroll: 0,
                    }));
                    model.message = Some(t!("resume.resumed").into_owned());
                }
                _ => model.message = Some(t!("resume.cannot").into_owned()),
            }
            vec![]
        }
        // Only the key the screen names discards: Esc must never lose a class's answers.
        Action::NewSession => {
            model.screen = Screen::Start(StartState::default());
            vec![Effect::DiscardSave]
        }
        _ => vec![],
    }
}

fn setup_key(model: &mut Model, action: Action, key: &KeyEvent) -> Vec<Effect> {
    let Screen::Setup(s) = &mut model.screen else {
        return vec![];
    };
    let index = SetupField::ALL
        .iter()
        .position(|f| *f == s.field)
        .unwrap_or(0);
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Back => model.screen = Screen::Start(StartState::default()),
        Action::Up => s.field = SetupField::ALL[index.saturating_sub(1)],
        Action::Down => s.field = SetupField::ALL[(index + 1).min(SetupField::ALL.len() - 1)],
        Action::Left | Action::Right => match s.field {
            SetupField::Mode => {
                s.mode = match s.mode {
                    AnswerMode::Hands => AnswerMode::Private,
                    AnswerMode::Private => AnswerMode::Hands,
                }
            }
            SetupField::Check if s.has_check => s.check = !s.check,
            _ => {}
        },
        Action::Digit if s.field == SetupField::Headcount => {
            if let KeyCode::Char(c) = key.code {
                let mut next = s.headcount.clone();
                next.push(c);
                if next.parse::<u32>().is_ok_and(|n| n <= MAX_HEADCOUNT) {
                    s.headcount = next.trim_start_matches('0').to_string();
                }
            }
        }
        Action::DeleteDigit if s.field == SetupField::Headcount => {
            s.headcount.pop();
        }
        Action::Confirm => return start_session(model),
        _ => {}
    }
    vec![]
}

fn start_session(model: &mut Model) -> Vec<Effect> {
    let Screen::Setup(s) = &model.screen else {
        return vec![];
    };
    let Some(module) = model.catalog.module(&s.module_id) else {
        return vec![];
    };
    let group = s.group.trim();
    let setup = Setup {
        mode: s.mode,
        headcount: s.headcount.parse().ok().filter(|n| *n > 0),
        check: s.check,
        locale: model.locale.clone(),
        group: (!group.is_empty()).then(|| group.to_string()),
    };
    let id = std::mem::take(&mut model.next_session_id);
    let session = Session::new(module, setup, id, model.today.clone());
    let save = session.save();
    model.screen = Screen::Run(Box::new(RunState {
        session,
        typing: None,
        recorded: false,
        record_error: None,
        scroll: 0,
    }));
    // The notes are the facilitator's: a new session always starts with them hidden.
    model.notes = false;
    if model.preview {
        vec![]
    } else {
        vec![Effect::Save(save)]
    }
}

/// A question whose hands are being counted: the arrows move between its choices.
fn counting_hands(s: &Session) -> bool {
    s.question().is_some() && !s.is_revealed() && s.setup().mode == AnswerMode::Hands
}

fn outline_key(model: &mut Model, action: Action, selected: usize) -> Vec<Effect> {
    let Screen::Run(run) = &mut model.screen else {
        model.overlay = None;
        return vec![];
    };
    let len = run.session.plan().len();
    match action {
        Action::Up => {
            model.overlay = Some(Overlay::Outline {
                selected: selected.saturating_sub(1),
            })
        }
        Action::Down => {
            model.overlay = Some(Overlay::Outline {
                selected: (selected + 1).min(len - 1),
            })
        }
        Action::Confirm => {
            model.overlay = None;
            let outcome = run.session.goto(selected);
            run.typing = None;
            run.scroll = 0;
            return after_session_change(model, outcome);
        }
        Action::Quit => model.overlay = Some(Overlay::ConfirmQuit),
        _ => model.overlay = None,
    }
    vec![]
}

fn run_key(model: &mut Model, action: Action, key: &KeyEvent) -> Vec<Effect> {
    let Screen::Run(run) = &mut model.screen else {
        return vec![];
    };
    let changes_counts = matches!(
        action,
        Action::Increment
            | Action::Decrement
            | Action::Digit
            | Action::DeleteDigit
            | Action::Answer
            | Action::Undo
    );
    if run.recorded && changes_counts {
        model.message = Some(t!("refuse.recorded").into_owned());
        return vec![];
    }
    if action == Action::Confirm && run.session.is_finished() {
        if run.recorded || model.preview {
            model.screen = Screen::Start(StartState::default());
            return vec![];
        }
        // Saving freezes the counts: ask first while questions still have no answers.
        let unanswered = run.session.unanswered();
        if unanswered > 0 {
            model.overlay = Some(Overlay::ConfirmSave { unanswered });
            return vec![];
        }
        return vec![Effect::Record(run.session.result())];
    }
    let s = &mut run.session;
    let outcome: Result<(), Refusal> = match action {
        // Once recorded (or in preview) nothing can be lost: Esc goes back to the module list
        // and q quits, without a question.
        Action::Back if run.recorded || (model.preview && s.is_finished()) => {
            model.screen = Screen::Start(StartState::default());
            return vec![];
        }
        Action::Quit | Action::Back => {
            if run.recorded || (model.preview && run.session.is_finished()) {
                return vec![Effect::Quit];
            }
            model.overlay = Some(Overlay::ConfirmQuit);
            return vec![];
        }
        Action::Notes => {
            if s.step().is_none_or(|st| st.notes.is_none()) {
                model.notes = false;
                model.message = Some(t!("run.no_notes").into_owned());
                return vec![];
            }
            model.notes = !model.notes;
            run.scroll = 0;
            return vec![];
        }
        Action::Outline => {
            model.overlay = Some(Overlay::Outline {
                selected: s.cursor(),
            });
            return vec![];
        }
        Action::Next => s.forward(),
        Action::Prev => s.back(),
        Action::First => s.goto(0),
        Action::Last => s.goto(s.plan().len() - 1),
        // In private mode a participant may press r by mistake: the facilitator confirms.
        Action::Reveal if s.setup().mode == AnswerMode::Private && s.can_reveal() => {
            model.overlay = Some(Overlay::ConfirmReveal);
            return vec![];
        }
        Action::Reveal => s.reveal(),
        // Up and down pick a choice while hands are counted; elsewhere they scroll.
        Action::Up | Action::Down if !counting_hands(s) => {
            run.scroll = if action == Action::Up {
                run.scroll.saturating_sub(1)
            } else {
                (run.scroll + 1).min(model.scroll_max.get())
            };
            return vec![];
        }
        Action::Up => s.select(s.selected().saturating_sub(1)),
        Action::Down => {
            let next = s.selected() + 1;
            s.select(next).or(Ok(()))
        }
        Action::Increment => s.adjust(1),
        Action::Decrement => s.adjust(-1),
        Action::Digit => {
            let KeyCode::Char(c) = key.code else {
                return vec![];
            };
            let mut typed = run.typing.take().unwrap_or_default();
            if typed.len() < 4 {
                typed.push(c);
            }
            let n = typed.parse::<u32>().unwrap_or(0);
            run.typing = Some(typed);
            let selected = run.session.selected();
            run.session.set_count(selected, n)
        }
        Action::DeleteDigit => {
            let mut typed = run.typing.take().unwrap_or_else(|| {
                run.session
                    .counts()
                    .get(run.session.selected())
                    .map(u32::to_string)
                    .unwrap_or_default()
            });
            typed.pop();
            let n = typed.parse::<u32>().unwrap_or(0);
            run.typing = Some(typed);
            let selected = run.session.selected();
            run.session.set_count(selected, n)
        }
        Action::Answer => {
            let KeyCode::Char(c) = key.code else {
                return vec![];
            };
            let index = (c.to_ascii_lowercase() as u8).wrapping_sub(b'a') as usize;
            s.answer(index)
        }
        Action::Undo => s.undo(),
        _ => return vec![],
    };
    if !matches!(action, Action::Digit | Action::DeleteDigit) {
        run.typing = None;
    }
    if matches!(
        action,
        Action::Next | Action::Prev | Action::First | Action::Last
    ) {
        run.scroll = 0;
    }
    after_session_change(model, outcome)
}

/// After the session changed: report a refusal, or autosave. Results are recorded only when
/// the facilitator presses Enter on the summary, so jumping there early (End, the outline)
/// never stores a half-run workshop. Once recorded, nothing is autosaved again: the unfinished
/// session is gone and must not come back.
fn after_session_change(model: &mut Model, outcome: Result<(), Refusal>) -> Vec<Effect> {
    if let Err(r) = outcome {
        model.message = Some(refusal_text(r));
        return vec![];
    }
    let Screen::Run(run) = &mut model.screen else {
        return vec![];
    };
    if model.preview || run.recorded {
        return vec![];
    }
    vec![Effect::Save(run.session.save())]
}
