//! The facilitator's keys through `update`, without a terminal: filtering, language switching,
//! set-up, quitting, mouse clicks, the effects asked of the event loop, and the autosave file.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use waymark::curriculum::{self, SourceKind, Sources};
use waymark::session::AnswerMode;
use waymark::tui::app::{update, Effect, Model, Msg, Options, Overlay, Screen};
use waymark::tui::theme::{Theme, ThemeName};
use waymark::tui::{self, view};

fn model_with(preview: bool, module: Option<&str>) -> Model {
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let tui_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    let catalog = curriculum::load(&Sources {
        builtin: false,
        dirs: vec![(SourceKind::Flag, good), (SourceKind::Flag, tui_dir)],
    });
    let mut m = Model::new(
        catalog,
        Options {
            theme: Theme::new(ThemeName::Default),
            locale: "en".into(),
            module: module.map(Into::into),
            preview,
            today: "2026-11-29".into(),
        },
        None,
    );
    m.next_session_id = "id-1".into();
    m
}

fn press(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        press(m, KeyCode::Char(c));
    }
}

fn draw(m: &Model) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| view::view(m, f)).unwrap();
    t.backend().to_string()
}

/// The interface language is one per process and `l` changes it: tests that draw or switch
/// language hold this, so that none reads another's language.
static INTERFACE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn interface() -> std::sync::MutexGuard<'static, ()> {
    let guard = INTERFACE.lock().unwrap_or_else(|e| e.into_inner());
    rust_i18n::set_locale("en");
    guard
}

#[test]
fn slash_filters_the_module_list_and_esc_clears_it() {
    let _ui = interface();
    let mut m = model_with(false, None);
    assert_eq!(m.visible_modules().len(), 3);
    type_text(&mut m, "/fake");
    assert_eq!(m.visible_modules().len(), 1);
    assert!(draw(&m).contains("Filter: fake"));
    // While filtering, letters are text: `q` does not quit.
    assert!(press(&mut m, KeyCode::Char('q')).is_empty());
    press(&mut m, KeyCode::Backspace);
    press(&mut m, KeyCode::Esc);
    assert_eq!(m.visible_modules().len(), 3);
}

#[test]
fn l_switches_interface_and_content_language_together() {
    let _ui = interface();
    let mut m = model_with(false, None);
    assert_eq!(m.languages, ["en", "ar", "es", "hi"]);
    type_text(&mut m, "l");
    assert_eq!(m.locale, "ar");
    type_text(&mut m, "l");
    assert_eq!(m.locale, "es");
    let titles: Vec<String> = m
        .visible_modules()
        .iter()
        .map(|x| x.title.clone())
        .collect();
    assert!(titles.contains(&"Bueno uno".to_string()), "{titles:?}");
    type_text(&mut m, "l");
    assert_eq!(m.locale, "hi");
    type_text(&mut m, "l");
    assert_eq!(m.locale, "en");
    rust_i18n::set_locale("en");
}

#[test]
fn setup_then_start_saves_at_once() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    assert!(matches!(m.screen, Screen::Setup(_)));
    press(&mut m, KeyCode::Right); // private
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "025");
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char(' ')); // knowledge check off
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "Grade 9 qy");
    press(&mut m, KeyCode::Backspace);
    press(&mut m, KeyCode::Backspace);
    let effects = press(&mut m, KeyCode::Enter);
    let Screen::Run(run) = &m.screen else {
        panic!("not running")
    };
    let setup = run.session.setup();
    assert_eq!(setup.mode, AnswerMode::Private);
    assert_eq!(setup.headcount, Some(25));
    assert!(!setup.check);
    assert_eq!(setup.group.as_deref(), Some("Grade 9"));
    assert!(matches!(effects.as_slice(), [Effect::Save(s)] if s.session_id == "id-1"));
}

#[test]
fn every_change_is_saved_and_the_summary_records_once() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    // The opening slide first; moving on is a change too.
    let effects = press(&mut m, KeyCode::Right);
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]));
    let effects = press(&mut m, KeyCode::Char('4'));
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]));
    let effects = press(&mut m, KeyCode::Right);
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]));
    // Jumping to the summary records nothing: the rest of the counts may still come.
    let effects = press(&mut m, KeyCode::End);
    assert!(
        matches!(effects.as_slice(), [Effect::Save(_)]),
        "{effects:?}"
    );
    assert!(draw(&m).contains("Not saved yet"));
    // Enter on the summary asks first, as questions have no answers yet; y records.
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    assert!(matches!(m.overlay, Some(Overlay::ConfirmSave { unanswered }) if unanswered > 0));
    assert!(draw(&m).contains("have no answers yet"));
    let effects = press(&mut m, KeyCode::Char('y'));
    assert!(
        matches!(effects.as_slice(), [Effect::Record(r)] if r.module_id == "workshop"),
        "{effects:?}"
    );
    update(&mut m, Msg::Recorded(Ok(())));
    // Once recorded, counts cannot change, nothing is recorded again, and nothing is
    // autosaved again (the unfinished session must not come back).
    assert!(press(&mut m, KeyCode::Home).is_empty());
    assert!(press(&mut m, KeyCode::Right).is_empty());
    assert!(press(&mut m, KeyCode::Char('7')).is_empty());
    assert!(draw(&m).contains("counts can no longer change"));
    assert!(update(&mut m, Msg::Tick(30)).is_empty());
    assert!(press(&mut m, KeyCode::End).is_empty());
    // Quitting a recorded session needs no question.
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
}

#[test]
fn a_failed_record_can_be_retried_with_enter() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::End);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('y'));
    update(&mut m, Msg::Recorded(Err("disk full".into())));
    assert!(draw(&m).contains("disk full"));
    press(&mut m, KeyCode::Enter);
    let effects = press(&mut m, KeyCode::Char('y'));
    assert!(matches!(effects.as_slice(), [Effect::Record(_)]));
    press(&mut m, KeyCode::Char('q'));
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    assert!(draw(&m).contains("not in the score store yet"));
}

#[test]
fn quitting_mid_session_asks_first() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    assert!(press(&mut m, KeyCode::Char('q')).is_empty());
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    assert!(draw(&m).contains("The session is saved"));
    assert!(press(&mut m, KeyCode::Char('n')).is_empty());
    assert_eq!(m.overlay, None);
    press(&mut m, KeyCode::Char('q'));
    assert_eq!(press(&mut m, KeyCode::Char('y')), vec![Effect::Quit]);
}

#[test]
fn a_failed_save_is_shown_and_the_quit_question_warns() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    update(&mut m, Msg::Saved(Err("read-only file system".into())));
    assert!(draw(&m).contains("Could not save the session: read-only file system"));
    press(&mut m, KeyCode::Char('q'));
    assert!(draw(&m).contains("could not be saved"));
}

#[test]
fn preview_records_and_saves_nothing() {
    let _ui = interface();
    let mut m = model_with(true, Some("workshop"));
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    assert!(press(&mut m, KeyCode::Char('3')).is_empty());
    assert!(press(&mut m, KeyCode::End).is_empty());
    assert!(draw(&m).contains("PREVIEW"));
}

#[test]
fn clicking_a_choice_selects_it_or_answers_it() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    let screen = draw(&m);
    let row = screen
        .lines()
        .position(|l| l.contains("It is a red flag"))
        .unwrap() as u16;
    update(&mut m, Msg::Click { column: 10, row });
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.session.selected(), 1);

    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Right);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    let screen = draw(&m);
    let row = screen
        .lines()
        .position(|l| l.contains("It is a red flag"))
        .unwrap() as u16;
    let effects = update(&mut m, Msg::Click { column: 10, row });
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]));
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.session.counts(), vec![0, 1, 0]);
}

#[test]
fn help_lists_the_keys_of_the_current_screen() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Right);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    press(&mut m, KeyCode::Char('?'));
    let screen = draw(&m);
    assert!(
        screen.contains("Count one person's answer (private mode)"),
        "{screen}"
    );
    assert!(screen.contains("Undo the last answer"), "{screen}");
    assert!(
        !screen.contains("One more for the selected choice"),
        "{screen}"
    );
    press(&mut m, KeyCode::Char('x'));
    assert_eq!(m.overlay, None);
}

#[test]
fn the_outline_jumps_to_any_step() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('g'));
    for _ in 0..4 {
        press(&mut m, KeyCode::Down);
    }
    press(&mut m, KeyCode::Enter);
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.session.cursor(), 4);
    assert!(draw(&m).contains("Ana's offer"));
}

#[test]
fn the_event_loop_writes_and_removes_the_autosave() {
    let _ui = interface();
    let dir = tempfile::tempdir().unwrap();
    let mut m = model_with(false, Some("workshop"));
    let effects = press(&mut m, KeyCode::Enter);
    let recorded = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = std::rc::Rc::clone(&recorded);
    let mut services = tui::Services {
        recorder: Box::new(move |r| {
            seen.borrow_mut().push(r.session_id.clone());
            Ok(())
        }),
        reporter: Box::new(|| Err("no store".into())),
    };
    assert!(tui::run_effects(
        &mut m,
        effects,
        Some(dir.path()),
        &mut services
    ));
    let saved = dir.path().join(tui::AUTOSAVE);
    assert!(saved.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let effects = press(&mut m, KeyCode::End);
    tui::run_effects(&mut m, effects, Some(dir.path()), &mut services);
    assert!(recorded.borrow().is_empty(), "recorded before Enter");
    press(&mut m, KeyCode::Enter);
    let effects = press(&mut m, KeyCode::Char('y'));
    tui::run_effects(&mut m, effects, Some(dir.path()), &mut services);
    assert_eq!(*recorded.borrow(), ["id-1"]);
    assert!(
        !saved.exists(),
        "the autosave goes once the result is recorded"
    );
}

#[test]
fn a_damaged_autosave_is_kept_aside_not_overwritten() {
    let _ui = interface();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(tui::AUTOSAVE), b"{ not json").unwrap();
    let (saved, message) = tui::load_autosave(dir.path());
    assert!(saved.is_none());
    let message = message.unwrap();
    assert!(message.contains("session.damaged-0.json"), "{message}");
    assert_eq!(
        std::fs::read(dir.path().join("session.damaged-0.json")).unwrap(),
        b"{ not json"
    );
}

#[test]
fn a_saved_session_of_a_changed_module_offers_a_fresh_start() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    let mut saved = run.session.save();
    saved.content_hash = "changed".into();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui");
    let catalog = curriculum::load(&Sources {
        builtin: false,
        dirs: vec![(SourceKind::Flag, good)],
    });
    let mut m = Model::new(
        catalog,
        Options {
            theme: Theme::new(ThemeName::Default),
            locale: "en".into(),
            module: None,
            preview: false,
            today: "2026-11-29".into(),
        },
        Some(saved),
    );
    let screen = draw(&m);
    assert!(
        screen.contains("has changed since this session started"),
        "{screen}"
    );
    // Enter cannot resume it; n starts fresh and drops the autosave.
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    assert!(matches!(m.screen, Screen::Resume { .. }));
    assert_eq!(press(&mut m, KeyCode::Char('n')), vec![Effect::DiscardSave]);
    assert!(matches!(m.screen, Screen::Start(_)));
}

/// A model holding an unfinished session of the workshop, saved in `locale`.
fn resuming(locale: &str) -> Model {
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    type_text(&mut m, "4");
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    let mut saved = run.session.save();
    saved.setup.locale = locale.into();
    let dirs = ["good", "tui"].map(|d| {
        (
            SourceKind::Flag,
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(d),
        )
    });
    Model::new(
        curriculum::load(&Sources {
            builtin: false,
            dirs: dirs.to_vec(),
        }),
        Options {
            theme: Theme::new(ThemeName::Default),
            locale: "en".into(),
            module: None,
            preview: false,
            today: "2026-11-29".into(),
        },
        Some(saved),
    )
}

#[test]
fn esc_on_the_resume_screen_never_discards_the_session() {
    let _ui = interface();
    let mut m = resuming("en");
    assert!(press(&mut m, KeyCode::Esc).is_empty());
    assert!(matches!(m.screen, Screen::Resume { .. }));
    // Resuming brings back the count.
    assert!(press(&mut m, KeyCode::Enter).is_empty());
    let Screen::Run(run) = &m.screen else {
        panic!("not resumed")
    };
    assert_eq!(run.session.counts()[0], 4);
}

#[test]
fn resuming_in_another_language_switches_the_module_list_too() {
    let _ui = interface();
    let mut m = resuming("es");
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.locale, "es");
    let titles: Vec<String> = m
        .visible_modules()
        .iter()
        .map(|x| x.title.clone())
        .collect();
    assert!(titles.contains(&"Bueno uno".to_string()), "{titles:?}");
    rust_i18n::set_locale("en");
}

#[test]
fn l_from_a_regional_locale_goes_to_the_next_language() {
    let _ui = interface();
    let mut m = model_with(false, None);
    m.locale = "en-US".into();
    type_text(&mut m, "l");
    assert_eq!(m.locale, "ar");
    rust_i18n::set_locale("en");
}

#[test]
fn text_that_does_not_fit_scrolls_with_the_arrows_and_says_so() {
    let _ui = interface();
    // The safeguarding notes of a built-in opening slide, in a small window: more lines than
    // the panel has.
    let mut m = builtin_session("warning-signs");
    press(&mut m, KeyCode::Char('n'));
    let small = |m: &Model| {
        let mut t = Terminal::new(TestBackend::new(60, 16)).unwrap();
        t.draw(|f| view::view(m, f)).unwrap();
        t.backend().to_string()
    };
    let first = small(&m);
    assert!(first.contains("▼ Lines 1-"), "{first}");
    assert!(first.contains("↑↓ to scroll"), "{first}");
    let max = m.scroll_max.get();
    assert!(max > 0);
    for _ in 0..max + 3 {
        assert!(press(&mut m, KeyCode::Down).is_empty());
        small(&m);
    }
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.scroll, max, "scrolling stops at the end");
    let last = small(&m);
    assert!(last.contains("▲ Lines"), "{last}");
    assert_ne!(first, last);
    // Moving to the next step starts its text at the top.
    press(&mut m, KeyCode::Right);
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.scroll, 0);
}

#[test]
fn a_long_built_in_slide_drops_the_big_title_then_scrolls_to_its_last_line() {
    let _ui = interface();
    let mut m = builtin_session("warning-signs");
    go_to(&mut m, "sign-categories");
    let screen = |m: &Model| {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| view::view(m, f)).unwrap();
        t.backend().to_string()
    };
    let first = screen(&m);
    // The title as a bold line, not 8 rows of big letters, leaves room for the text.
    assert!(first.contains("Warning signs, by kind"), "{first}");
    assert!(first.contains("Work"), "{first}");
    for _ in 0..m.scroll_max.get() {
        press(&mut m, KeyCode::Down);
    }
    let last = screen(&m);
    assert!(last.contains("just a bad job"), "{last}");
    insta::assert_snapshot!("long-slide-80x24-top", first);
    insta::assert_snapshot!("long-slide-80x24-end", last);
}

#[test]
fn a_long_status_message_wraps_instead_of_being_cut() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Right);
    press(&mut m, KeyCode::Char('r'));
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| view::view(&m, f)).unwrap();
    let screen = t.backend().to_string();
    let text: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let message =
        "No reveal in the knowledge check before the session: the content teaches the answers.";
    assert!(text.contains(message), "{screen}");
}

/// The workshop started by show of hands (headcount 10), on its opening slide.
fn running(mode: AnswerMode) -> Model {
    let mut m = model_with(false, Some("workshop"));
    if mode == AnswerMode::Private {
        press(&mut m, KeyCode::Right);
    }
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "10");
    press(&mut m, KeyCode::Enter);
    m
}

#[test]
fn notes_stay_hidden_on_steps_without_notes_and_in_a_new_session() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    press(&mut m, KeyCode::Right);
    // A question with no notes: n says so and opens nothing for the next slide.
    assert!(press(&mut m, KeyCode::Char('n')).is_empty());
    assert!(!m.notes);
    assert!(draw(&m).contains("This step has no facilitator's notes"));
    press(&mut m, KeyCode::Home);
    press(&mut m, KeyCode::Char('n'));
    assert!(m.notes, "the opening slide has notes");
    // A new session starts with the notes hidden.
    let mut again = model_with(false, Some("workshop"));
    again.notes = true;
    press(&mut again, KeyCode::Enter);
    assert!(!again.notes);
}

#[test]
fn clicks_on_an_overlay_never_count_an_answer_underneath() {
    let _ui = interface();
    let mut m = running(AnswerMode::Private);
    press(&mut m, KeyCode::Right);
    let screen = draw(&m);
    let row = screen
        .lines()
        .position(|l| l.contains("It is a red flag"))
        .unwrap() as u16;
    press(&mut m, KeyCode::Char('?'));
    assert!(update(&mut m, Msg::Click { column: 10, row }).is_empty());
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.session.total(), 0);
}

#[test]
fn after_saving_esc_goes_to_the_module_list_and_q_quits_without_asking() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    press(&mut m, KeyCode::End);
    press(&mut m, KeyCode::Enter);
    press(&mut m, KeyCode::Char('y'));
    update(&mut m, Msg::Recorded(Ok(())));
    press(&mut m, KeyCode::Left);
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    assert_eq!(m.overlay, None, "no offer to resume a saved session");
    press(&mut m, KeyCode::Esc);
    assert!(matches!(m.screen, Screen::Start(_)));
}

#[test]
fn reveal_in_private_mode_asks_first() {
    let _ui = interface();
    let mut m = running(AnswerMode::Private);
    go_to(&mut m, "q-copies@during");
    type_text(&mut m, "aab");
    // A participant's slip: r then n leaves the question open.
    press(&mut m, KeyCode::Char('r'));
    assert_eq!(m.overlay, Some(Overlay::ConfirmReveal));
    press(&mut m, KeyCode::Char('n'));
    let is_revealed = |m: &Model| matches!(&m.screen, Screen::Run(r) if r.session.is_revealed());
    assert!(!is_revealed(&m));
    type_text(&mut m, "a");
    press(&mut m, KeyCode::Char('r'));
    let effects = press(&mut m, KeyCode::Char('y'));
    assert!(matches!(effects.as_slice(), [Effect::Save(_)]));
    assert!(is_revealed(&m));
    assert!(draw(&m).contains("✓ correct: True"));
}

#[test]
fn keys_do_nothing_while_the_window_is_too_small_except_quitting() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    press(&mut m, KeyCode::Right);
    let mut t = Terminal::new(TestBackend::new(40, 10)).unwrap();
    t.draw(|f| view::view(&m, f)).unwrap();
    assert!(press(&mut m, KeyCode::Char('7')).is_empty());
    assert!(press(&mut m, KeyCode::Right).is_empty());
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert_eq!(run.session.counts(), vec![0, 0, 0]);
    assert_eq!(press(&mut m, KeyCode::Char('q')), vec![Effect::Quit]);
    draw(&m);
    assert!(!m.too_small.get());
}

#[test]
fn more_answers_than_people_is_flagged_in_words() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    press(&mut m, KeyCode::Right);
    type_text(&mut m, "9");
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "5");
    let screen = draw(&m);
    assert!(
        screen.contains("Total answers: 14 of 10 people"),
        "{screen}"
    );
    assert!(
        screen.contains("more than the people in the room"),
        "{screen}"
    );
}

#[test]
fn without_the_knowledge_check_the_summary_shows_the_answers_given() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    // Set-up: the knowledge check is the third field; space turns it off.
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "10");
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Char(' '));
    press(&mut m, KeyCode::Enter);
    let Screen::Run(run) = &m.screen else {
        panic!()
    };
    assert!(!run.session.setup().check);
    // q-fee is asked in its place: 2 of 10 wrong, 8 right.
    go_to(&mut m, "q-fee@during");
    type_text(&mut m, "2");
    press(&mut m, KeyCode::Down);
    type_text(&mut m, "8");
    press(&mut m, KeyCode::End);
    let screen = draw(&m);
    assert!(screen.contains("knowledge check was off"), "{screen}");
    assert!(screen.contains("80%"), "{screen}");
    assert!(!screen.contains("not available"), "{screen}");
}

#[test]
fn help_lists_each_key_once_for_what_it_does_here() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    press(&mut m, KeyCode::Right);
    press(&mut m, KeyCode::Char('?'));
    let screen = draw(&m);
    assert!(screen.contains("Previous choice"), "{screen}");
    assert!(!screen.contains("Scroll text"), "{screen}");
}

#[test]
fn the_header_says_in_words_when_the_session_runs_over_time() {
    let _ui = interface();
    let mut m = running(AnswerMode::Hands);
    assert!(!draw(&m).contains("over time"));
    update(&mut m, Msg::Tick(31 * 60));
    let screen = draw(&m);
    assert!(screen.contains("31:00 of 30 min, over time"), "{screen}");
}

#[test]
fn question_mark_opens_help_even_in_the_group_label() {
    let _ui = interface();
    let mut m = model_with(false, Some("workshop"));
    for _ in 0..3 {
        press(&mut m, KeyCode::Down);
    }
    type_text(&mut m, "A?");
    assert_eq!(m.overlay, Some(Overlay::Help));
    let Screen::Setup(s) = &m.screen else {
        panic!()
    };
    assert_eq!(s.group, "A");
}

/// A session of a built-in module, started by show of hands, on its opening slide.
fn builtin_session(module: &str) -> Model {
    let mut m = Model::new(
        curriculum::load(&Sources {
            builtin: true,
            dirs: vec![],
        }),
        Options {
            theme: Theme::new(ThemeName::Default),
            locale: "en".into(),
            module: Some(module.into()),
            preview: false,
            today: "2026-11-29".into(),
        },
        None,
    );
    m.next_session_id = "id".into();
    press(&mut m, KeyCode::Enter);
    m
}

/// Moves forward to the plan item named `name` (as `Item::describe` names it).
fn go_to(m: &mut Model, name: &str) {
    let at = {
        let Screen::Run(run) = &m.screen else {
            panic!("not running")
        };
        let s = &run.session;
        s.plan()
            .iter()
            .position(|i| i.describe(s.module()) == name)
            .unwrap_or_else(|| panic!("no {name} in the plan"))
    };
    let from = match &m.screen {
        Screen::Run(run) => run.session.cursor(),
        _ => 0,
    };
    for _ in from..at {
        press(m, KeyCode::Right);
    }
}
