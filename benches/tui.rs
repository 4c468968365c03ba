//! Session screens: drawing each screen at 120x40 into a TestBackend (target: median under 1 ms),
//! and from start to the first frame with the built-in curricula, in process (load + model +
//! draw) and as a real process in a pseudo-terminal (target: under 50 ms).

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use waymark::curriculum::{self, Sources};
use waymark::tui::app::{update, Model, Msg, Options};
use waymark::tui::theme::{Theme, ThemeName};
use waymark::tui::view;

fn options(module: Option<&str>) -> Options {
    Options {
        theme: Theme::new(ThemeName::Default),
        locale: "en".into(),
        module: module.map(Into::into),
        preview: false,
        today: "2026-11-29".into(),
    }
}

fn builtin() -> curriculum::Catalog {
    curriculum::load(&Sources {
        builtin: true,
        dirs: vec![],
    })
}

fn press(m: &mut Model, codes: &[KeyCode]) {
    for c in codes {
        update(m, Msg::Key(KeyEvent::new(*c, KeyModifiers::NONE)));
    }
}

/// Models showing the heaviest screens of the built-in warning-signs module.
fn screens() -> Vec<(&'static str, Model)> {
    let mut out = Vec::new();
    out.push(("start", Model::new(builtin(), options(None), None)));
    out.push((
        "setup",
        Model::new(builtin(), options(Some("warning-signs")), None),
    ));
    let started = || {
        let mut m = Model::new(builtin(), options(Some("warning-signs")), None);
        m.next_session_id = "bench".into();
        press(
            &mut m,
            &[
                KeyCode::Down,
                KeyCode::Char('2'),
                KeyCode::Char('0'),
                KeyCode::Enter,
            ],
        );
        m
    };
    // The opening slide with its safeguarding notes open.
    let mut m = started();
    press(&mut m, &[KeyCode::Char('n')]);
    out.push(("opening+notes", m));
    let mut m = started();
    press(
        &mut m,
        &[
            KeyCode::Right,
            KeyCode::Char('5'),
            KeyCode::Down,
            KeyCode::Char('9'),
        ],
    );
    out.push(("question", m));
    let mut private = Model::new(builtin(), options(Some("warning-signs")), None);
    private.next_session_id = "bench".into();
    press(
        &mut private,
        &[
            KeyCode::Right,
            KeyCode::Enter,
            KeyCode::Right,
            KeyCode::Char('a'),
            KeyCode::Char('b'),
        ],
    );
    out.push(("private", private));
    let resume = {
        let m = started();
        let waymark::tui::app::Screen::Run(run) = &m.screen else {
            unreachable!()
        };
        Model::new(builtin(), options(None), Some(run.session.save()))
    };
    out.push(("resume", resume));
    let mut m = started();
    let steps = {
        let waymark::tui::app::Screen::Run(run) = &m.screen else {
            unreachable!()
        };
        run.session.plan().len()
    };
    // The slide listing the 11 indicators, with notes open.
    press(&mut m, &[KeyCode::Right; 8]);
    press(&mut m, &[KeyCode::Char('n')]);
    out.push(("slide+notes", m));
    let mut m = started();
    press(&mut m, &vec![KeyCode::Right; steps - 4]);
    press(
        &mut m,
        &[
            KeyCode::Char('4'),
            KeyCode::Down,
            KeyCode::Char('9'),
            KeyCode::Char('r'),
        ],
    );
    out.push(("revealed", m));
    for (name, id) in [("scenario", "scenario-sam"), ("sources", "sources")] {
        let mut m = started();
        let at = {
            let waymark::tui::app::Screen::Run(run) = &m.screen else {
                unreachable!()
            };
            let s = &run.session;
            s.plan()
                .iter()
                .position(|i| i.describe(s.module()) == id)
                .expect("step in the plan")
        };
        press(&mut m, &vec![KeyCode::Right; at]);
        out.push((name, m));
    }
    let mut m = started();
    press(&mut m, &[KeyCode::End]);
    out.push(("summary", m));
    let mut m = started();
    press(&mut m, &[KeyCode::Char('g')]);
    out.push(("outline", m));
    let mut m = started();
    press(&mut m, &[KeyCode::Char('?')]);
    out.push(("help", m));
    out
}

/// Milliseconds from spawning `waymark` in a pty to its first frame on screen.
fn first_frame_in_pty(data: &Path) -> f64 {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_waymark"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("WAYMARK_DATA_DIR", data);
    let t0 = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut parser = vt100::Parser::new(40, 120, 0);
    let mut buf = [0u8; 16384];
    let elapsed = loop {
        let n = reader.read(&mut buf).unwrap();
        parser.process(&buf[..n]);
        if parser.screen().contents().contains("45 min") {
            break t0.elapsed();
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "no first frame");
    };
    let _ = child.kill();
    let _ = child.wait();
    elapsed.as_secs_f64() * 1e3
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_120x40");
    for (name, model) in screens() {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                terminal.draw(|f| view::view(&model, f)).unwrap();
            })
        });
    }
    group.finish();

    c.bench_function("first_frame_in_process", |b| {
        b.iter(|| {
            let model = Model::new(builtin(), options(None), None);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal.draw(|f| view::view(&model, f)).unwrap();
        })
    });

    let data = tempfile::tempdir().unwrap();
    let mut times: Vec<f64> = (0..15).map(|_| first_frame_in_pty(data.path())).collect();
    times.sort_by(f64::total_cmp);
    eprintln!(
        "\nfirst frame of the real binary in a pty (spawn to screen): median {:.1} ms, max {:.1} ms (target < 50 ms)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
