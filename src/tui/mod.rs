//! The facilitator's terminal app: one event loop feeds `Msg`s to `app::update`, draws with
//! `view::view`, and carries out the `Effect`s (autosave, record, quit). The terminal is restored
//! on quit, on panic, and on SIGTERM or SIGHUP; the session is saved after every change.

pub mod app;
pub mod keymap;
pub mod preview;
pub mod screens;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};
use rust_i18n::t;

use crate::curriculum::Catalog;
use crate::session::{SavedSession, SessionResult};
use crate::store::report::Report;
use app::{Effect, Model, Msg, Options};

/// The autosave file of the session in progress, in the data folder.
pub const AUTOSAVE: &str = "session.json";

/// Where finished sessions go: the score store in the real app, something else in tests.
pub type Recorder = Box<dyn FnMut(&SessionResult) -> Result<(), String>>;
/// What the reports screen shows: the score store's report in the real app.
pub type Reporter = Box<dyn FnMut() -> Result<Report, String>>;

/// The outside world the event loop calls on behalf of `update`.
pub struct Services {
    pub recorder: Recorder,
    pub reporter: Reporter,
}

/// Reads the autosaved session, if any. A damaged file is moved aside (never deleted) and
/// reported, so a new session cannot overwrite what it held.
pub fn load_autosave(data_dir: &Path) -> (Option<SavedSession>, Option<String>) {
    let path = data_dir.join(AUTOSAVE);
    let Ok(bytes) = std::fs::read(&path) else {
        return (None, None);
    };
    match serde_json::from_slice::<SavedSession>(&bytes) {
        Ok(saved) => (Some(saved), None),
        Err(e) => {
            let aside = (0..1000)
                .map(|i| data_dir.join(format!("session.damaged-{i}.json")))
                .find(|p| !p.exists())
                .unwrap_or_else(|| data_dir.join("session.damaged.json"));
            let moved = std::fs::rename(&path, &aside).is_ok();
            let shown = if moved { aside } else { path };
            (
                None,
                Some(
                    t!(
                        "resume.damaged",
                        path = shown.display(),
                        error = e.to_string()
                    )
                    .into_owned(),
                ),
            )
        }
    }
}

/// Writes the autosave atomically into the data folder, creating the folder (0700) if needed:
/// the store's write path, so the session and the exports share one durable way to write.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), crate::store::StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::create_folder(dir)?;
    }
    crate::store::write_atomically(path, |w| {
        w.write_all(bytes)
            .map_err(|e| crate::store::StoreError::Write {
                path: path.to_path_buf(),
                error: e.to_string(),
            })
    })
}

/// Carries out the effects `update` asked for, feeding their outcomes back in. Returns false
/// once the app should stop.
pub fn run_effects(
    model: &mut Model,
    effects: Vec<Effect>,
    data_dir: Option<&Path>,
    services: &mut Services,
) -> bool {
    let mut queue = std::collections::VecDeque::from(effects);
    while let Some(effect) = queue.pop_front() {
        let follow = match effect {
            Effect::Quit => return false,
            Effect::Save(saved) => {
                let outcome = match data_dir {
                    Some(dir) => serde_json::to_vec_pretty(&saved)
                        .map_err(|e| e.to_string())
                        .and_then(|b| {
                            write_atomic(&dir.join(AUTOSAVE), &b).map_err(|e| e.to_string())
                        }),
                    None => Err(t!("run.no_data_dir").into_owned()),
                };
                app::update(model, Msg::Saved(outcome))
            }
            Effect::Record(result) => {
                let outcome = (services.recorder)(&result);
                if outcome.is_ok() {
                    if let Some(dir) = data_dir {
                        let _ = std::fs::remove_file(dir.join(AUTOSAVE));
                    }
                }
                app::update(model, Msg::Recorded(outcome))
            }
            Effect::LoadReport => {
                let report = (services.reporter)();
                app::update(model, Msg::ReportLoaded(report))
            }
            Effect::DiscardSave => {
                if let Some(dir) = data_dir {
                    let _ = std::fs::remove_file(dir.join(AUTOSAVE));
                }
                vec![]
            }
        };
        queue.extend(follow);
    }
    true
}

/// Everything the app needs to start.
pub struct Launch {
    pub catalog: Catalog,
    pub options: Options,
    pub data_dir: Option<PathBuf>,
    pub services: Services,
    /// Preview: the watched module folder.
    pub watch: Option<preview::Watch>,
    /// A line for the start screen from before the app started (a broken locale file), since
    /// nothing printed to the terminal would be seen under the screens.
    pub notice: Option<String>,
}

/// Runs the app in the terminal until the facilitator quits or a signal arrives.
pub fn run(launch: Launch) -> std::io::Result<()> {
    let Launch {
        catalog,
        options,
        data_dir,
        mut services,
        mut watch,
        notice,
    } = launch;
    let (saved, damaged) = match (&data_dir, options.preview) {
        (Some(dir), false) => load_autosave(dir),
        _ => (None, None),
    };
    let mut model = Model::new(catalog, options, saved);
    if let Some(message) = damaged {
        model.message = Some(message);
    } else if model.message.is_none() {
        model.message = notice;
    }

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }

    let latest = Arc::new(std::sync::Mutex::new(None));
    spawn_watchdog(Arc::clone(&stop), Arc::clone(&latest), data_dir.clone());

    let mut terminal = ratatui::try_init()?;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        hook(info);
    }));
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);

    let outcome = event_loop(
        &mut terminal,
        &mut model,
        data_dir.as_deref(),
        &mut services,
        watch.as_mut(),
        &stop,
        &latest,
    );

    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    ratatui::restore();
    outcome
}

/// The last state of the session in progress, for the watchdog.
type Latest = std::sync::Mutex<Option<SavedSession>>;

/// Whether the terminal on standard input has hung up (its window was closed).
fn stdin_hung_up() -> bool {
    #[cfg(unix)]
    {
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, zero timeout; poll only writes `revents`.
        let n = unsafe { libc::poll(&mut fd, 1, 0) };
        n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// A closed window or a signal must end the app even when the terminal library is stuck reading
/// a hung-up terminal: this thread notices, gives the loop two seconds to leave cleanly, then
/// saves the last state of the session itself, restores what it can and exits.
fn spawn_watchdog(stop: Arc<AtomicBool>, latest: Arc<Latest>, data_dir: Option<PathBuf>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        if !stop.load(Ordering::Relaxed) && !stdin_hung_up() {
            continue;
        }
        stop.store(true, Ordering::Relaxed);
        std::thread::sleep(Duration::from_secs(2));
        let saved = latest.lock().ok().and_then(|mut slot| slot.take());
        if let (Some(saved), Some(dir)) = (saved, &data_dir) {
            if let Ok(bytes) = serde_json::to_vec_pretty(&saved) {
                let _ = write_atomic(&dir.join(AUTOSAVE), &bytes);
            }
        }
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
        ratatui::restore();
        std::process::exit(0);
    });
}

/// Saves the session in progress (unless it is a preview or already recorded).
fn save_before_exit(model: &mut Model, data_dir: Option<&Path>, services: &mut Services) {
    if let app::Screen::Run(run) = &model.screen {
        if !model.preview && !run.recorded {
            let save = run.session.save();
            run_effects(model, vec![Effect::Save(save)], data_dir, services);
        }
    }
}

/// Whether the terminal has hung up: a harmless attribute reset can no longer be written.
fn terminal_gone() -> bool {
    let mut out = std::io::stdout();
    out.write_all(b"\x1b[0m")
        .and_then(|()| out.flush())
        .is_err()
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    model: &mut Model,
    data_dir: Option<&Path>,
    services: &mut Services,
    mut watch: Option<&mut preview::Watch>,
    stop: &AtomicBool,
    latest: &Latest,
) -> std::io::Result<()> {
    let mut last_tick = Instant::now();
    let mut changed = true;
    loop {
        if model.next_session_id.is_empty() {
            model.next_session_id = uuid::Uuid::new_v4().to_string();
        }
        // The watchdog's copy of the session changes only when a message was handled.
        if changed {
            if let Ok(mut slot) = latest.lock() {
                *slot = match &model.screen {
                    app::Screen::Run(run) if !model.preview && !run.recorded => {
                        Some(run.session.save())
                    }
                    _ => None,
                };
            }
        }
        let drawn = terminal.draw(|f| view::view(model, f)).map(|_| ());
        if stop.load(Ordering::Relaxed) || drawn.is_err() {
            // SIGTERM, SIGHUP, or a terminal that is gone: save what is on screen, then leave.
            save_before_exit(model, data_dir, services);
            return drawn;
        }
        let timeout = Duration::from_millis(250);
        let mut msgs = Vec::new();
        if event::poll(timeout)? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => msgs.push(Msg::Key(key)),
                Event::Mouse(m) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                    msgs.push(Msg::Click {
                        column: m.column,
                        row: m.row,
                    });
                }
                _ => {}
            }
        }
        if let Some(catalog) = watch.as_deref_mut().and_then(preview::Watch::poll) {
            msgs.push(Msg::Reloaded(catalog));
        }
        let secs = last_tick.elapsed().as_secs();
        if secs >= 1 {
            last_tick += Duration::from_secs(secs);
            msgs.push(Msg::Tick(secs));
            // A closed window does not always send SIGHUP, and input then only reads end of
            // file; writing to a hung-up terminal fails, so probe it once a second.
            if terminal_gone() {
                save_before_exit(model, data_dir, services);
                return Ok(());
            }
        }
        changed = !msgs.is_empty();
        for msg in msgs {
            let effects = app::update(model, msg);
            if !run_effects(model, effects, data_dir, services) {
                return Ok(());
            }
        }
    }
}
