//! Every screen of the session app, drawn into a TestBackend at 80x24 and 120x40, with the
//! content in English, Hindi (Devanagari) and Arabic, and the main screens in Chinese (wide
//! characters) and Thai (no spaces, stacked marks). Driven through `update` with real key
//! presses, as a facilitator would reach each screen.

mod common;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::Terminal;
use waymark::curriculum::{self, SourceKind, Sources};
use waymark::session::{AnswerMode, Session, Setup};
use waymark::tui::app::{update, Effect, Model, Msg, Options};
use waymark::tui::theme::{Theme, ThemeName};
use waymark::tui::view;

/// The interface language is one per process: each test holds this while it draws.
static INTERFACE: Mutex<()> = Mutex::new(());

fn interface(locale: &str) -> MutexGuard<'static, ()> {
    let guard = INTERFACE.lock().unwrap_or_else(|e| e.into_inner());
    waymark::i18n::set(locale);
    guard
}

/// Content languages whose translations live in tests/fixtures/tui-scripts: a folder of
/// translations without `module.toml`, added to the workshop as a translator adds a language to
/// a module from elsewhere. Kept apart so the tests that copy tests/fixtures/tui/workshop (the
/// translate round trips) and the other languages' screens (whose language lists would grow)
/// are unchanged.
const SCRIPTS: [&str; 2] = ["zh", "th"];

/// The workshop, with the CJK and Thai translations when `locale` is one of them.
fn catalog(locale: &str) -> curriculum::Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs = vec![(SourceKind::Flag, root.join("tui"))];
    if SCRIPTS.contains(&locale) {
        dirs.push((SourceKind::Flag, root.join("tui-scripts")));
    }
    let c = curriculum::load(&Sources {
        builtin: false,
        dirs,
    });
    let module = c.module("workshop");
    assert!(module.is_some(), "{:?}", c.diagnostics);
    if SCRIPTS.contains(&locale) {
        // A translation that fails to load would leave the screens in English. (Each test
        // translation is a draft: that warning is expected.)
        let problems: Vec<_> = c.diagnostics.iter().filter(|d| d.code != "draft").collect();
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(module.is_some_and(|m| m.translations.contains_key(locale)));
    }
    c
}

fn model(locale: &str) -> Model {
    let mut m = Model::new(
        catalog(locale),
        Options {
            theme: Theme::new(ThemeName::Mono),
            locale: locale.into(),
            module: None,
            preview: false,
            today: "2026-11-29".into(),
        },
        None,
    );
    m.next_session_id = "00000000-0000-4000-8000-000000000000".into();
    m
}

fn key(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyCode::Char(c));
    }
}

fn draw(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::view(m, f)).unwrap();
    t.backend().to_string()
}

/// Opens the module and starts a session in `mode` with a headcount of 10.
fn started(locale: &str, mode: AnswerMode) -> Model {
    let mut m = model(locale);
    key(&mut m, KeyCode::Enter);
    if mode == AnswerMode::Private {
        key(&mut m, KeyCode::Right);
    }
    key(&mut m, KeyCode::Down);
    keys(&mut m, "10");
    let effects = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Save(_)]),
        "{effects:?}"
    );
    m
}

fn next(m: &mut Model, n: usize) {
    for _ in 0..n {
        key(m, KeyCode::Right);
    }
}

/// A whole session by show of hands, before and after, ending on the (unsaved) summary.
fn at_summary(locale: &str) -> Model {
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 1);
    keys(&mut m, "2");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "5");
    next(&mut m, 1);
    keys(&mut m, "6");
    next(&mut m, 6);
    keys(&mut m, "0");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "9");
    next(&mut m, 1);
    keys(&mut m, "9");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "8");
    let effects = key(&mut m, KeyCode::End);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Record(_))),
        "{effects:?}"
    );
    m
}

/// Every screen, in order, as (name, model).
fn screens(locale: &str) -> Vec<(&'static str, Model)> {
    let mut out = Vec::new();
    out.push(("01-start", model(locale)));
    let mut m = model(locale);
    key(&mut m, KeyCode::Enter);
    out.push(("02-setup", m));

    // The opening slide comes first, then show of hands: counts typed for the before-check.
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 1);
    keys(&mut m, "3");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "6");
    out.push(("03-before-hands", m));

    let m = started(locale, AnswerMode::Hands);
    out.push(("04-slide", m));
    let mut m = started(locale, AnswerMode::Hands);
    keys(&mut m, "n");
    out.push(("05-slide-notes", m));
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 4);
    out.push(("06-scenario", m));

    // Private mode: four people answer; only the number shows.
    let mut m = started(locale, AnswerMode::Private);
    next(&mut m, 5);
    keys(&mut m, "aaba");
    out.push(("07-private", m));
    let mut m = started(locale, AnswerMode::Private);
    next(&mut m, 5);
    keys(&mut m, "aabary");
    out.push(("08-private-revealed", m));

    // After-check, revealed: single, multiple and confidence.
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 7);
    keys(&mut m, "1");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "8");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "1r");
    out.push(("09-after-single-revealed", m));
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 8);
    keys(&mut m, "7");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "5");
    key(&mut m, KeyCode::Down);
    keys(&mut m, "2r");
    out.push(("10-after-multiple-revealed", m));
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 9);
    for (i, n) in ["0", "1", "2", "4", "3"].iter().enumerate() {
        if i > 0 {
            key(&mut m, KeyCode::Down);
        }
        keys(&mut m, n);
    }
    keys(&mut m, "r");
    out.push(("11-after-confidence-revealed", m));

    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 6);
    out.push(("12-sources", m));

    // A whole before and after, then the summary: reaching it records nothing; Enter does.
    out.push(("13-summary-unsaved", at_summary(locale)));
    let mut m = at_summary(locale);
    assert!(key(&mut m, KeyCode::Enter).is_empty(), "asks first");
    let effects = key(&mut m, KeyCode::Char('y'));
    assert!(
        matches!(effects.as_slice(), [Effect::Record(_)]),
        "{effects:?}"
    );
    update(&mut m, Msg::Recorded(Ok(())));
    out.push(("13-summary", m));

    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 4);
    keys(&mut m, "g");
    out.push(("14-outline", m));
    let mut m = started(locale, AnswerMode::Hands);
    next(&mut m, 3);
    keys(&mut m, "?");
    out.push(("15-help", m));
    let mut m = started(locale, AnswerMode::Hands);
    keys(&mut m, "q");
    out.push(("16-confirm-quit", m));

    // An unfinished session waiting to be resumed.
    let c = catalog(locale);
    let module = c.module("workshop").unwrap();
    let setup = Setup {
        mode: AnswerMode::Hands,
        headcount: Some(12),
        check: true,
        locale: locale.into(),
        group: Some("School A".into()),
    };
    let mut s = Session::new(module, setup, "id".into(), "2026-11-28".into());
    s.forward().unwrap();
    s.set_count(0, 5).unwrap();
    s.tick(600);
    let m = Model::new(
        catalog(locale),
        Options {
            theme: Theme::new(ThemeName::Mono),
            locale: locale.into(),
            module: None,
            preview: false,
            today: "2026-11-29".into(),
        },
        Some(s.save()),
    );
    out.push(("17-resume", m));

    // The reports screen over two recorded sessions.
    let mut store = waymark::store::Store::open_in_memory().unwrap();
    for (i, (before, after)) in [((3, 7), (1, 9)), ((5, 5), (2, 8))].into_iter().enumerate() {
        let setup = Setup {
            mode: AnswerMode::Hands,
            headcount: Some(10),
            check: true,
            locale: "en".into(),
            group: None,
        };
        let mut s = Session::new(
            module,
            setup,
            format!("00000000-0000-4000-8000-00000000000{i}"),
            "2026-11-20".into(),
        );
        s.goto(1).unwrap();
        s.set_count(0, before.0).unwrap();
        s.set_count(1, before.1).unwrap();
        s.goto(7).unwrap();
        s.set_count(0, after.0).unwrap();
        s.set_count(1, after.1).unwrap();
        store.record(&s.result()).unwrap();
    }
    let report =
        waymark::store::report::report(&store, &waymark::store::Filter::default()).unwrap();
    let mut m = model(locale);
    let effects = key(&mut m, KeyCode::Char('r'));
    assert_eq!(effects, vec![Effect::LoadReport]);
    update(&mut m, Msg::ReportLoaded(Ok(report)));
    out.push(("18-reports", m));
    out
}

fn snapshot_all(locale: &str) {
    for (name, m) in screens(locale) {
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = draw(&m, w, h);
            insta::assert_snapshot!(format!("{locale}-{name}-{w}x{h}"), screen);
        }
    }
}

#[test]
fn english_screens() {
    let _ui = interface("en");
    snapshot_all("en");
}

#[test]
fn hindi_screens() {
    let _ui = interface("en");
    snapshot_all("hi");
}

/// The screens drawn with the Chinese and Thai content: a slide, a scenario, a question with
/// counts typed, revealed questions (one and several right answers) and the summary.
const SCRIPT_SCREENS: [&str; 6] = [
    "03-before-hands",
    "04-slide",
    "06-scenario",
    "09-after-single-revealed",
    "10-after-multiple-revealed",
    "13-summary",
];

/// Marks that belong to the letter before them, in the scripts drawn here: combining accents,
/// Devanagari and Thai vowel signs and tone marks (general category M), and Thai SARA AM (a
/// letter to Unicode, a spacing mark to grapheme segmentation).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{093C}'
        | '\u{093E}'..='\u{094F}'
        | '\u{0951}'..='\u{0957}'
        | '\u{0962}'..='\u{0963}'
        | '\u{0E31}'
        | '\u{0E33}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}')
}

/// A screen as the terminal shows it: one row of text per line, each wide character once (the
/// cell under its second column is left out), every row checked to be exactly `w` columns.
/// Fails where a wide character is cut (at the right edge, or with something drawn over its
/// second column) and where a cell starts with a mark cut off its letter.
fn cells(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::view(m, f)).unwrap();
    rows(t.backend().buffer())
}

fn rows(buffer: &Buffer) -> String {
    let (w, h) = (buffer.area.width, buffer.area.height);
    let mut out = String::new();
    for y in 0..h {
        let mut row = String::new();
        let mut x = 0;
        while x < w {
            let symbol = buffer[(x, y)].symbol();
            let cols = cols(symbol).max(1) as u16;
            assert!(
                x + cols <= w,
                "row {y}: {symbol:?} at column {x} is cut by the right edge"
            );
            for k in 1..cols {
                let under = buffer[(x + k, y)].symbol();
                assert_eq!(
                    under, " ",
                    "row {y}: {under:?} drawn over the second half of {symbol:?} at column {x}"
                );
            }
            assert!(
                !symbol.starts_with(is_mark),
                "row {y}, column {x}: {symbol:?} starts with a mark cut off its letter"
            );
            row.push_str(symbol);
            x += cols;
        }
        assert_eq!(cols(&row), usize::from(w), "row {y}: {row:?}");
        out.push('"');
        out.push_str(&row);
        out.push_str("\"\n");
    }
    out
}

/// Display columns, counted per grapheme cluster as ratatui and terminals place them.
fn cols(text: &str) -> usize {
    waymark::tui::widgets::text::cols(text)
}

/// The characters of `text` in the script of `locale` (Han and full-width punctuation, or Thai),
/// in order: what must reach the screen whole, wherever lines were broken.
fn script_chars(locale: &str, text: &str) -> String {
    text.chars()
        .filter(|c| match locale {
            "zh" => matches!(c, '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}'),
            _ => matches!(c, '\u{0E00}'..='\u{0E7F}'),
        })
        .collect()
}

/// The translated texts a screen must show whole: (screen, texts).
fn must_show(locale: &str) -> Vec<(&'static str, Vec<String>)> {
    let c = catalog(locale);
    let m = c.module("workshop").unwrap().localized(locale);
    let text = |key: &str| {
        m.text_keys()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| waymark::curriculum::markup::plain_text(v))
            .unwrap_or_else(|| panic!("no {key}"))
    };
    let first_paragraph = |key: &str| text(key).split("\n\n").next().unwrap().to_string();
    vec![
        (
            "03-before-hands",
            vec![
                text("steps.q-fee.prompt"),
                text("steps.q-fee.choices.a"),
                text("steps.q-fee.choices.c"),
            ],
        ),
        (
            "04-slide",
            vec![
                text("steps.welcome.title"),
                first_paragraph("steps.welcome.body"),
            ],
        ),
        (
            "06-scenario",
            vec![text("steps.story.title"), text("steps.story.story")],
        ),
        (
            "09-after-single-revealed",
            vec![
                text("steps.q-fee.prompt"),
                text("steps.q-fee.choices.b"),
                text("steps.q-fee.explanation"),
            ],
        ),
        (
            "10-after-multiple-revealed",
            vec![
                text("steps.q-flags.prompt"),
                text("steps.q-flags.choices.contract"),
            ],
        ),
        ("13-summary", vec![text("title")]),
    ]
}

/// The main screens with wide (CJK) or mark-laden (Thai) content: snapshots, every row the
/// width of the window, no wide character cut, no mark cut off its letter, and each text
/// shown whole across the lines it wraps onto.
fn snapshot_scripts(locale: &str) {
    let expected = must_show(locale);
    let mut seen = 0;
    for (name, m) in screens(locale) {
        if !SCRIPT_SCREENS.contains(&name) {
            continue;
        }
        seen += 1;
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = cells(&m, w, h);
            let shown = script_chars(locale, &screen);
            for (_, texts) in expected.iter().filter(|(n, _)| *n == name) {
                for t in texts {
                    let want = script_chars(locale, t);
                    assert!(!want.is_empty(), "{t}: not in {locale}");
                    assert!(
                        shown.contains(&want),
                        "{locale} {name} {w}x{h}: {t:?} is not shown whole\n{screen}"
                    );
                }
            }
            insta::assert_snapshot!(format!("{locale}-{name}-{w}x{h}"), screen);
        }
    }
    assert_eq!(seen, SCRIPT_SCREENS.len());
}

#[test]
fn chinese_screens() {
    let _ui = interface("en");
    snapshot_scripts("zh");
}

#[test]
fn thai_screens() {
    let _ui = interface("en");
    snapshot_scripts("th");
}

#[test]
fn the_screen_check_catches_cut_characters() {
    // What the checks above would catch, on a one-row screen of 6 columns.
    let screen = |draw: &dyn Fn(&mut Buffer)| {
        let mut b = Buffer::empty(Rect::new(0, 0, 6, 1));
        draw(&mut b);
        std::panic::catch_unwind(|| rows(&b))
    };
    let plain = Style::new();
    assert_eq!(
        screen(&|b| {
            b.set_string(0, 0, "人口ทำ", plain);
        })
        .unwrap(),
        "\"人口ทำ\"\n"
    );
    // Something drawn over the second column of a wide character.
    assert!(screen(&|b| {
        b.set_string(0, 0, "人", plain);
        b.set_string(1, 0, "x", plain);
    })
    .is_err());
    // A wide character in the last column, half of it off the screen.
    assert!(screen(&|b| {
        b[(5, 0)].set_symbol("人");
    })
    .is_err());
    // A vowel sign cut off its consonant into a cell of its own.
    assert!(screen(&|b| {
        b.set_string(0, 0, "ท", plain);
        b[(1, 0)].set_symbol("ำ");
    })
    .is_err());
}

#[test]
fn too_small_window_says_so() {
    let _ui = interface("en");
    let m = model("en");
    let screen = draw(&m, 50, 14);
    assert!(screen.contains("Window too small"), "{screen}");
    assert!(screen.contains("50x14"), "{screen}");
    insta::assert_snapshot!("too-small-50x14", screen);
}

#[test]
fn too_small_window_in_arabic_reads_top_to_bottom_right_to_left() {
    let _ui = interface("ar");
    let m = model("ar");
    let screen = draw(&m, 40, 12);
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.chars().any(|c| c.is_alphanumeric()))
        .collect();
    // The title first, then the sizes; each line in visual order (reversed logical Arabic).
    assert!(rows[0].contains(&reversed("النافذة صغيرة")), "{screen}");
    assert!(rows[1].contains(&reversed("حجم هذه النافذة")), "{screen}");
    assert!(screen.contains("40x12"), "{screen}");
    insta::assert_snapshot!("too-small-ar-40x12", screen);
}

#[test]
fn screens_fit_every_size_from_the_minimum_up() {
    let _ui = interface("en");
    // No panic and no lost choice at any size between 60x16 and 200x60.
    for (name, m) in screens("hi") {
        for (w, h) in [(60, 16), (61, 17), (79, 23), (100, 30), (200, 60)] {
            let screen = draw(&m, w, h);
            assert!(!screen.contains("Window too small"), "{name} at {w}x{h}");
        }
    }
}

#[test]
fn correct_answers_are_marked_by_words_not_colour() {
    let _ui = interface("en");
    let m = screens("en")
        .into_iter()
        .find(|(n, _)| *n == "09-after-single-revealed")
        .unwrap()
        .1;
    let screen = draw(&m, 80, 24);
    assert!(screen.contains("✓ correct: It is a red flag"), "{screen}");
    assert!(screen.contains("80%"), "{screen}");
}

#[test]
fn private_mode_hides_choices_until_reveal() {
    let _ui = interface("en");
    let all = screens("en");
    let hidden = draw(
        &all.iter().find(|(n, _)| *n == "07-private").unwrap().1,
        80,
        24,
    );
    assert!(hidden.contains("Answers recorded: 4"), "{hidden}");
    assert!(
        !hidden.contains('█') && !hidden.contains("[   3]"),
        "{hidden}"
    );
    let shown = draw(
        &all.iter()
            .find(|(n, _)| *n == "08-private-revealed")
            .unwrap()
            .1,
        80,
        24,
    );
    assert!(shown.contains("   3   75%"), "{shown}");
}

#[test]
fn summary_shows_before_after_and_gain() {
    let _ui = interface("en");
    let m = screens("en")
        .into_iter()
        .find(|(n, _)| *n == "13-summary")
        .unwrap()
        .1;
    let screen = draw(&m, 120, 40);
    assert!(screen.contains("Class average"), "{screen}");
    assert!(screen.contains("Normalised gain"), "{screen}");
    assert!(screen.contains("Results saved"), "{screen}");
}

/// The workshop with its Arabic translation, as the screen shows it: words that may stay in
/// Latin letters because they are data (citations, the URL, "WhatsApp", "ILO").
fn content_words(locale: &str) -> std::collections::BTreeSet<String> {
    let c = catalog(locale);
    let m = c.module("workshop").unwrap().localized(locale);
    let mut texts: Vec<String> = m
        .text_keys()
        .into_iter()
        .map(|(_, v)| v.to_string())
        .collect();
    for s in &m.sources {
        texts.push(s.citation.clone());
        texts.extend(s.url.clone());
    }
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .map(String::from)
        .collect()
}

#[test]
fn arabic_interface_screens() {
    // Interface and content in Arabic: right to left, with numbers and Latin words inside.
    let _ui = interface("ar");
    snapshot_all("ar");
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

#[test]
fn arabic_lines_are_in_visual_order_and_right_aligned() {
    let _ui = interface("ar");
    let all = screens("ar");
    let slide = draw(
        &all.iter().find(|(n, _)| *n == "04-slide").unwrap().1,
        80,
        24,
    );
    // Terminals draw cells left to right: the first Arabic word must be drawn rightmost.
    assert!(slide.contains(&reversed("عروض العمل المزيفة")), "{slide}");
    // A bullet is at the right of its text, and the paragraph ends at the right margin.
    let bullet = slide
        .lines()
        .find(|l| l.contains(&reversed("أجر أعلى بكثير من المعتاد")))
        .unwrap();
    assert!(
        bullet.trim_end_matches(['"', ' ']).ends_with('•'),
        "{bullet}"
    );
    // Numbers and Latin words stay readable inside Arabic text.
    let story = draw(
        &all.iter().find(|(n, _)| *n == "06-scenario").unwrap().1,
        120,
        40,
    );
    assert!(story.contains("WhatsApp"), "{story}");
    assert!(story.contains("300"), "{story}");
    let private = draw(
        &all.iter().find(|(n, _)| *n == "07-private").unwrap().1,
        80,
        24,
    );
    // Four answers: the Arabic plural form for 3-10 (few), not the English one.
    assert!(private.contains(&reversed("إجابات")), "{private}");
    assert!(!private.contains("Answers recorded"), "{private}");
}

#[test]
fn screens_show_no_english_outside_en_yml() {
    // The interface in the pseudo-locale, the content in Arabic: any plain English word left on
    // a screen was written in the code instead of locales/en.yml.
    let _ui = interface("en");
    let file =
        waymark::i18n::audit::parse_text(common::PSEUDO, "en-XA.yml", &common::pseudo_yaml())
            .unwrap();
    waymark::i18n::runtime::install(&[file]);
    waymark::i18n::set(common::PSEUDO);
    let data = content_words("ar");
    let mut leaks = Vec::new();
    for (name, m) in screens("ar") {
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = draw(&m, w, h);
            let words = common::english_words(&screen, &data);
            if !words.is_empty() {
                leaks.push(format!("{name} {w}x{h}: {words:?}\n{screen}"));
            }
        }
    }
    waymark::i18n::runtime::install(&[]);
    waymark::i18n::set("en");
    assert!(
        leaks.is_empty(),
        "English outside en.yml:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn reports_and_help_scroll_when_the_window_is_short() {
    let _ui = interface("en");
    let mut all = screens("en");
    let (_, mut reports) = all.pop().expect("reports last");
    let first = draw(&reports, 60, 16);
    assert!(first.contains("▼ Lines 1-"), "{first}");
    for _ in 0..40 {
        key(&mut reports, KeyCode::Down);
        draw(&reports, 60, 16);
    }
    let last = draw(&reports, 60, 16);
    assert!(last.contains("▲ Lines"), "{last}");
    assert_ne!(first, last);
    // Help: every row can be reached, and the closing line stays.
    let mut m = started("en", AnswerMode::Hands);
    next(&mut m, 1);
    keys(&mut m, "?");
    let top = draw(&m, 60, 16);
    assert!(top.contains("Press any key to close"), "{top}");
    assert!(!top.contains("Quit"), "{top}");
    for _ in 0..40 {
        key(&mut m, KeyCode::Down);
        draw(&m, 60, 16);
    }
    let bottom = draw(&m, 60, 16);
    assert!(bottom.contains("Quit"), "{bottom}");
    assert!(bottom.contains("Press any key to close"), "{bottom}");
    // Any other key closes it.
    key(&mut m, KeyCode::Char('x'));
    assert_eq!(m.overlay, None);
}
