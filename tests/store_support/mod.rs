//! Shared helpers for the score-store tests: the binary with a private data folder, and stores
//! filled with made-up sessions.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use waymark::session::SessionResult;
use waymark::store::{sample, Store};

/// The binary with a private data folder and English messages.
pub fn waymark(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_waymark"));
    c.env("WAYMARK_DATA_DIR", data)
        .env("XDG_DATA_HOME", data.join("xdg-data"))
        .env("XDG_CONFIG_HOME", data.join("xdg-config"))
        .env_remove("WAYMARK_CURRICULA")
        .env_remove("WAYMARK_LANG")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    c
}

/// Exit code, stdout, stderr.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run waymark");
    (
        status.code().expect("exit code"),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

pub fn store_file(data: &Path) -> PathBuf {
    data.join(waymark::store::FILE_NAME)
}

/// `n` made-up sessions of 15 questions.
pub fn sessions(seed: u64, n: usize) -> Vec<SessionResult> {
    sample::sessions(seed, n, 15)
}

/// A store in `data` holding `sessions`, closed again.
pub fn fill(data: &Path, sessions: &[SessionResult]) {
    let mut store = Store::open(data).expect("open store");
    store.import_results(sessions).expect("import");
}

/// A bundle of `sessions`, as `waymark export --bundle` writes it.
pub fn bundle(sessions: &[SessionResult]) -> Vec<u8> {
    let mut store = Store::open_in_memory().expect("memory store");
    store.import_results(sessions).expect("import");
    let mut out = Vec::new();
    store
        .write_bundle(
            &waymark::store::Filter::default(),
            &mut out,
            Path::new("bundle.json"),
        )
        .expect("bundle");
    out
}
