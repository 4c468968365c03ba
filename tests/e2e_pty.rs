//! The real `waymark` binary in a pseudo-terminal, its screen read back with vt100: whole
//! sessions in both answer modes, a kill -9 mid-session then resume with the tallies intact,
//! and SIGTERM leaving the terminal restored. No tmux.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

const ROWS: u16 = 24;
const COLS: u16 = 80;

struct App {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    parser: vt100::Parser,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

impl App {
    fn start(data: &Path, args: &[&str]) -> App {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_waymark"));
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
        cmd.env("HOME", data);
        cmd.env("WAYMARK_DATA_DIR", data);
        cmd.env("XDG_CONFIG_HOME", data.join("config"));
        cmd.env("LANG", "C.UTF-8");
        cmd.env("NO_COLOR", "1");
        cmd.arg("--curricula");
        cmd.arg(fixtures());
        for a in args {
            cmd.arg(a);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn waymark");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        App {
            child,
            _master: pair.master,
            writer,
            output: rx,
            parser: vt100::Parser::new(ROWS, COLS, 0),
        }
    }

    fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait) {
            self.parser.process(&bytes);
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen after 15 s.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if self.screen().contains(text) {
                return;
            }
        }
        panic!("screen never showed {text:?}; it shows:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
        // Let the app read each burst as separate key events.
        std::thread::sleep(Duration::from_millis(60));
        self.pump(Duration::from_millis(10));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            self.pump(Duration::from_millis(50));
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Drain what the app wrote while leaving (restoring the terminal).
                self.pump(Duration::from_millis(200));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "waymark did not exit:\n{}",
                self.screen()
            );
        }
    }

    fn signal(&mut self, signal: &str) {
        let pid = self.child.process_id().expect("pid");
        let status = std::process::Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }
}

const RIGHT: &str = "\x1b[C";
const DOWN: &str = "\x1b[B";
const END: &str = "\x1b[F";
const ENTER: &str = "\r";

/// What the score store holds after the app has quit, as JSON.
fn recorded_sessions(data: &Path) -> serde_json::Value {
    let store = waymark::store::Store::open(data).expect("store opens");
    let sessions = store
        .sessions(&waymark::store::Filter::default())
        .expect("sessions read");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    serde_json::to_value(&sessions).expect("sessions serialize")
}

#[test]
fn a_whole_session_by_show_of_hands() {
    let data = tempfile::tempdir().unwrap();
    let mut app = App::start(data.path(), &["run", "workshop"]);
    app.wait_for("Set up the session");
    app.send(DOWN);
    app.send("10");
    app.send(ENTER);
    // The opening slide (topic and safeguarding) comes before the knowledge check.
    app.wait_for("too good to be true");
    app.send(RIGHT);
    app.wait_for("Knowledge check, before the session");
    // Before: q-fee 2 / 5 / 0, q-flags pay 6, confidence 3 on "3".
    app.send("2");
    app.send(DOWN);
    app.send("5");
    app.wait_for("[   5");
    app.send(RIGHT);
    app.wait_for("Which of these are red flags?");
    app.send("6");
    app.send(RIGHT);
    app.send(&DOWN.repeat(2));
    app.send("3");
    // Content: scenario, one question asked during, sources.
    app.send(RIGHT);
    app.wait_for("Ana's offer");
    app.send(RIGHT);
    app.send("9r");
    app.wait_for("✓ correct: True");
    app.send(RIGHT);
    app.wait_for("IOM Ukraine, guidance on safe employment abroad");
    app.send(RIGHT);
    app.wait_for("Knowledge check, after the session");
    app.send(DOWN);
    app.send("9r");
    app.wait_for("✓ correct: It is a red flag");
    app.send(END);
    app.wait_for("What the group learned");
    // Reaching the summary saves nothing; Enter does.
    app.wait_for("Not saved yet");
    assert!(!data.path().join("waymark.sqlite3").exists());
    // Two after-check questions were not asked: Waymark asks before saving.
    app.send(ENTER);
    app.wait_for("have no answers yet");
    app.send("y");
    app.wait_for("Results saved in the score store");
    assert!(app.screen().contains("Class average"), "{}", app.screen());
    // Peak memory of the whole session (Linux: the high-water mark of resident memory).
    let pid = app.child.process_id().expect("pid");
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc status");
        eprintln!(
            "peak resident memory during the session: {:.1} MB",
            kb as f64 / 1024.0
        );
        assert!(kb < 30 * 1024, "peak memory {kb} kB");
    }
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        !app.parser.screen().alternate_screen(),
        "alternate screen left on"
    );
    assert!(!app.parser.screen().hide_cursor(), "cursor left hidden");
    let bundle = recorded_sessions(data.path()).to_string();
    assert!(bundle.contains("workshop"), "{bundle}");
    assert!(
        !data.path().join("session.json").exists(),
        "autosave kept after recording"
    );
}

#[test]
fn a_whole_session_in_private_mode() {
    let data = tempfile::tempdir().unwrap();
    let mut app = App::start(data.path(), &["run", "workshop"]);
    app.wait_for("Set up the session");
    app.send(RIGHT);
    app.wait_for("Private");
    app.send(ENTER);
    app.wait_for("too good to be true");
    app.send(RIGHT);
    app.wait_for("Knowledge check, before the session");
    // Before, q-fee: three people answer, one takes theirs back.
    for k in ["a", "b", "b"] {
        app.send(k);
    }
    app.wait_for("Answers recorded: 3");
    // The screen never shows which choice was pressed, nor the counts.
    assert!(!app.screen().contains("[   2"), "{}", app.screen());
    app.send("u");
    app.wait_for("Answers recorded: 2");
    // No reveal before the content.
    app.send("r");
    app.wait_for("No reveal in the knowledge check before the session");
    app.send(RIGHT);
    app.wait_for("Which of these are red flags?");
    for k in ["a", "a", "c"] {
        app.send(k);
    }
    app.wait_for("Answers recorded: 3");
    app.send(RIGHT);
    for k in ["b", "c"] {
        app.send(k);
    }
    app.wait_for("Answers recorded: 2");
    // Content: the scenario, a question asked in its place and revealed, the sources.
    app.send(RIGHT);
    app.wait_for("Ana's offer");
    app.send(RIGHT);
    for k in ["a", "a", "b"] {
        app.send(k);
    }
    app.wait_for("Answers recorded: 3");
    app.send("r");
    app.send("y");
    app.wait_for("✓ correct: True");
    app.wait_for("67%");
    app.send(RIGHT);
    app.wait_for("IOM Ukraine, guidance on safe employment abroad");
    // After: the same check questions, each revealed with the class's distribution.
    app.send(RIGHT);
    app.wait_for("Knowledge check, after the session");
    for k in ["b", "b"] {
        app.send(k);
    }
    app.wait_for("Answers recorded: 2");
    app.send("r");
    app.send("y");
    app.wait_for("✓ correct: It is a red flag");
    app.send(RIGHT);
    for k in ["a", "b"] {
        app.send(k);
    }
    app.send("r");
    app.send("y");
    app.wait_for("✓ correct: Pressure to decide fast");
    app.send(RIGHT);
    for k in ["e", "e"] {
        app.send(k);
    }
    app.send("r");
    app.send("y");
    app.send(RIGHT);
    app.wait_for("What the group learned");
    app.wait_for("Not saved yet");
    app.send(ENTER);
    app.wait_for("Results saved in the score store");
    app.send("q");
    assert!(app.wait_exit().success());
    let stored = recorded_sessions(data.path());
    let session = &stored[0];
    assert_eq!(session["mode"], "private", "{session}");
    let counts = |question: &str, phase: &str| {
        session["tallies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["question"] == question && t["phase"] == phase)
            .map(|t| t["counts"].clone())
            .unwrap_or_else(|| panic!("no {question}@{phase} in {session}"))
    };
    assert_eq!(
        counts("q-fee", "before"),
        serde_json::json!({"a": 1, "b": 1, "c": 0})
    );
    assert_eq!(
        counts("q-flags", "before"),
        serde_json::json!({"pay": 2, "rush": 0, "contract": 1})
    );
    assert_eq!(
        counts("q-copies", "during"),
        serde_json::json!({"true": 2, "false": 1})
    );
    assert_eq!(
        counts("q-fee", "after"),
        serde_json::json!({"a": 0, "b": 2, "c": 0})
    );
    assert_eq!(
        counts("q-confidence", "after"),
        serde_json::json!({"1": 0, "2": 0, "3": 0, "4": 0, "5": 2})
    );
}

#[test]
fn kill_9_mid_session_then_resume_with_tallies_intact() {
    let data = tempfile::tempdir().unwrap();
    let mut app = App::start(data.path(), &["run", "workshop"]);
    app.wait_for("Set up the session");
    app.send(ENTER);
    // The opening slide (topic and safeguarding) comes before the knowledge check.
    app.wait_for("too good to be true");
    app.send(RIGHT);
    app.wait_for("Knowledge check, before the session");
    app.send("4");
    app.send(DOWN);
    app.send("7");
    app.send(RIGHT);
    app.wait_for("Which of these are red flags?");
    app.send("3");
    app.wait_for("[   3");
    std::thread::sleep(Duration::from_millis(200));
    app.signal("-KILL");
    let _ = app.wait_exit();

    let mut again = App::start(data.path(), &[]);
    again.wait_for("Unfinished session");
    again.wait_for("Answers counted so far: 14");
    again.send(ENTER);
    again.wait_for("Which of these are red flags?");
    assert!(again.screen().contains("[   3"), "{}", again.screen());
    again.send("\x1b[D");
    again.wait_for("[   7");
    assert!(again.screen().contains("[   4"), "{}", again.screen());
    again.send("q");
    again.wait_for("Leave the session?");
    again.send("y");
    assert!(again.wait_exit().success());
    assert!(
        data.path().join("session.json").exists(),
        "the session must stay saved after quitting"
    );
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_keep_the_session() {
    for signal in ["-TERM", "-HUP"] {
        let data = tempfile::tempdir().unwrap();
        let mut app = App::start(data.path(), &["run", "workshop"]);
        app.wait_for("Set up the session");
        app.send(ENTER);
        app.wait_for("too good to be true");
        app.send(RIGHT);
        app.wait_for("Knowledge check, before the session");
        app.send("5");
        app.wait_for("[   5");
        app.signal(signal);
        let _ = app.wait_exit();
        assert!(
            !app.parser.screen().alternate_screen(),
            "{signal}: alternate screen left on"
        );
        assert!(
            !app.parser.screen().hide_cursor(),
            "{signal}: cursor left hidden"
        );
        let saved =
            std::fs::read_to_string(data.path().join("session.json")).expect("session saved");
        assert!(saved.contains("\"q-fee\""), "{saved}");
    }
}

/// The pids of running `waymark` processes whose command line mentions `marker`.
fn waymark_pids(marker: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                        let c = String::from_utf8_lossy(&c);
                        c.contains(marker) && c.starts_with(env!("CARGO_BIN_EXE_waymark"))
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_closed_window_saves_the_session_and_the_app_exits() {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().to_string_lossy().into_owned();
    // A window of 80x24: `script` gives its terminal no size when its own input is a pipe.
    let line = format!(
        "stty rows 24 cols 80; exec {} --curricula {} --data-dir {} run workshop",
        env!("CARGO_BIN_EXE_waymark"),
        fixtures().display(),
        marker
    );
    // `script` owns the terminal, as a terminal window does; killing it closes the window.
    let mut window = Command::new("script")
        .args(["-q", "-c", &line, "/dev/null"])
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("run script (util-linux)");
    /// Closes the window even when an assertion fails, so no app is left running.
    struct CloseOnDrop(u32);
    impl Drop for CloseOnDrop {
        fn drop(&mut self) {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.0)])
                .status();
        }
    }
    let _close = CloseOnDrop(window.id());
    let mut keys = window.stdin.take().unwrap();
    let mut out = window.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(24, 80, 0);
    let mut wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !parser.screen().contents().contains(text) {
            if let Ok(b) = rx.recv_timeout(Duration::from_millis(50)) {
                parser.process(&b);
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?}:\n{}",
                parser.screen().contents()
            );
        }
    };
    wait_for("Set up the session");
    keys.write_all(b"\r").unwrap();
    keys.flush().unwrap();
    wait_for("too good to be true");
    keys.write_all(b"\x1b[C").unwrap();
    keys.flush().unwrap();
    wait_for("Knowledge check, before the session");
    keys.write_all(b"5").unwrap();
    keys.flush().unwrap();
    wait_for("[   5");
    let pids = waymark_pids(&marker);
    assert_eq!(pids.len(), 1, "{pids:?}");
    // Every process of `script` holds the terminal's other end: kill them all at once.
    let group = format!("-{}", window.id());
    assert!(Command::new("kill")
        .args(["-KILL", "--", &group])
        .status()
        .unwrap()
        .success());
    let _ = window.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !waymark_pids(&marker).is_empty() {
        assert!(
            Instant::now() < deadline,
            "waymark kept running after its window closed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let saved = std::fs::read_to_string(data.path().join("session.json")).expect("session saved");
    assert!(saved.contains("\"q-fee\""), "{saved}");
}

/// The screen-test module with a Swahili translation: a language with module translations but
/// no interface file, the usual case. Returns the folder of modules.
fn swahili_curricula(dir: &Path) -> PathBuf {
    let module = dir.join("mine").join("workshop");
    std::fs::create_dir_all(&module).unwrap();
    for e in std::fs::read_dir(fixtures().join("workshop")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), module.join(e.file_name())).unwrap();
    }
    std::fs::write(
        module.join("sw.toml"),
        "status = \"draft\"\ntitle = \"Kutambua ofa ya kazi bandia\"\n\n[steps.welcome]\ntitle = \"Ofa za kazi bandia\"\n",
    )
    .unwrap();
    dir.join("mine")
}

#[test]
fn a_language_without_interface_strings_is_still_the_content_language() {
    let data = tempfile::tempdir().unwrap();
    let curricula = swahili_curricula(data.path());
    let curricula = curricula.to_str().unwrap();
    // The start screen says Swahili and lists the Swahili title; the interface is English.
    let mut app = App::start(
        data.path(),
        &["--curricula", curricula, "--lang", "sw", "run"],
    );
    app.wait_for("Language: sw");
    app.send("/workshop");
    app.wait_for("Kutambua ofa ya kazi bandia");
    app.send("\x1b");
    app.send("q");
    assert!(app.wait_exit().success());
    // Preview shows the module in Swahili too.
    let module = format!("{curricula}/workshop");
    let mut app = App::start(data.path(), &["--lang", "sw", "preview", &module]);
    app.wait_for("PREVIEW · Kutambua ofa ya kazi bandia");
    app.send("q");
    app.send("y");
    assert!(app.wait_exit().success());
}

#[test]
fn a_broken_locale_file_is_named_on_the_start_screen() {
    let data = tempfile::tempdir().unwrap();
    let locales = data.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    std::fs::write(
        locales.join("pt-BR.yml"),
        "_status: draft\ncli.about: \"x\n  y: [\n",
    )
    .unwrap();
    let mut app = App::start(data.path(), &[]);
    app.wait_for("An interface file has a problem");
    let screen: String = app.screen().split_whitespace().collect();
    assert!(screen.contains("pt-BR.yml:2:12"), "{}", app.screen());
    assert!(screen.contains("waymarkcheck"), "{}", app.screen());
    app.send("q");
    let status = app.wait_exit();
    assert!(status.success(), "{status:?}");
}
