//! Live preview: a good save, a broken save and a fixed save, driven through `update` (the
//! session stays on the same step; errors show with line:col; nothing is recorded), and once
//! end to end with the real binary watching a folder in a pseudo-terminal.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use waymark::curriculum::{self, Catalog};
use waymark::tui::app::{update, Effect, Model, Msg, Options, Screen};
use waymark::tui::theme::{Theme, ThemeName};
use waymark::tui::view;

fn copy_module(to: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/workshop/module.toml");
    let dir = to.join("workshop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(src, dir.join("module.toml")).unwrap();
    dir
}

fn load(dir: &Path) -> Catalog {
    curriculum::load_paths(&[dir.to_path_buf()]).unwrap()
}

fn draw(m: &Model) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| view::view(m, f)).unwrap();
    t.backend().to_string()
}

/// The app as `waymark preview` opens it on the module in `dir`.
fn preview_model(dir: &Path) -> Model {
    Model::new(
        load(dir),
        Options {
            theme: Theme::new(ThemeName::Mono),
            locale: "en".into(),
            module: Some("workshop".into()),
            preview: true,
            today: "2026-11-29".into(),
        },
        None,
    )
}

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("module.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn good_broken_and_fixed_saves_through_update() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_module(tmp.path());
    let mut m = preview_model(&dir);
    // Preview opens straight on the session; go to the scenario (step 5).
    let Screen::Run(_) = &m.screen else {
        panic!("preview starts the session")
    };
    for _ in 0..4 {
        let effects = update(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)),
        );
        assert!(effects.is_empty(), "preview saves nothing: {effects:?}");
    }
    assert!(draw(&m).contains("Ana's offer"));

    // A good save: the new text shows, on the same step.
    edit(
        &dir,
        "title = \"Ana's offer\"",
        "title = \"Ana's new offer\"",
    );
    update(&mut m, Msg::Reloaded(load(&dir)));
    let screen = draw(&m);
    assert!(screen.contains("Ana's new offer"), "{screen}");
    assert!(screen.contains("5 / 11"), "{screen}");

    // A broken save: the last good version stays and the error shows with its place.
    edit(&dir, "kind = \"scenario\"", "kind = \"scenaro\"");
    update(&mut m, Msg::Reloaded(load(&dir)));
    let screen = draw(&m);
    assert!(screen.contains("Errors in the module"), "{screen}");
    assert!(
        screen.contains("module.toml:36:8: error[unknown-kind]"),
        "{screen}"
    );
    assert!(screen.contains("Ana's new offer"), "{screen}");

    // A half-written file is just another broken save.
    let path = dir.join("module.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    update(&mut m, Msg::Reloaded(load(&dir)));
    assert!(draw(&m).contains("Errors in the module"));

    // Fixed: the panel goes and the step is still the scenario.
    std::fs::write(
        &path,
        text.replace("kind = \"scenaro\"", "kind = \"scenario\""),
    )
    .unwrap();
    update(&mut m, Msg::Reloaded(load(&dir)));
    let screen = draw(&m);
    assert!(!screen.contains("Errors in the module"), "{screen}");
    assert!(
        screen.contains("Ana's new offer") && screen.contains("5 / 11"),
        "{screen}"
    );
    // The end of a preview records nothing.
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)),
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Record(_))));
}

#[test]
fn a_preview_that_starts_broken_opens_once_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_module(tmp.path());
    edit(&dir, "minutes = 30", "minutes = \"thirty\"");
    let mut m = preview_model(&dir);
    assert!(draw(&m).contains("error[wrong-type]"));
    edit(&dir, "minutes = \"thirty\"", "minutes = 30");
    update(&mut m, Msg::Reloaded(load(&dir)));
    assert!(matches!(m.screen, Screen::Run(_)));
    assert!(!draw(&m).contains("Errors in the module"));
}

#[cfg(unix)]
mod end_to_end {
    use super::*;
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    use portable_pty::{native_pty_system, CommandBuilder, PtySize};

    #[test]
    fn the_real_binary_reloads_on_save() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = copy_module(tmp.path());
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_waymark"));
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("WAYMARK_DATA_DIR", tmp.path().join("data"));
        cmd.arg("preview");
        cmd.arg(dir.join("module.toml"));
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let mut writer = pair.master.take_writer().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut parser = vt100::Parser::new(30, 100, 0);
        let wait_for = |parser: &mut vt100::Parser, text: &str, present: bool| {
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                while let Ok(b) = rx.recv_timeout(Duration::from_millis(50)) {
                    parser.process(&b);
                }
                if parser.screen().contents().contains(text) == present {
                    return;
                }
                assert!(
                    Instant::now() < deadline,
                    "waiting for {text:?} ({present}):\n{}",
                    parser.screen().contents()
                );
            }
        };
        wait_for(&mut parser, "PREVIEW", true);
        for _ in 0..4 {
            writer.write_all(b"\x1b[C").unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
        wait_for(&mut parser, "Ana's offer", true);
        edit(
            &dir,
            "title = \"Ana's offer\"",
            "title = \"Ana's second offer\"",
        );
        wait_for(&mut parser, "Ana's second offer", true);
        edit(&dir, "kind = \"scenario\"", "kind = \"scenaro\"");
        wait_for(&mut parser, "error[unknown-kind]", true);
        edit(&dir, "kind = \"scenaro\"", "kind = \"scenario\"");
        wait_for(&mut parser, "Errors in the module", false);
        assert!(parser.screen().contents().contains("Ana's second offer"));
        writer.write_all(b"q").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        writer.write_all(b"y").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "preview did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            !tmp.path().join("data").exists(),
            "preview wrote to the data folder"
        );
    }
}
