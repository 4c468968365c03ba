//! Shared helpers for the score-store tests: the binary with a private data folder, and stores
//! filled with made-up sessions.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use waymark::session::SessionResult;
use waymark::store::{sample, Store};

#[path = "../support/cli.rs"]
mod cli;
#[allow(unused_imports)] // Not every test binary that includes this runs the CLI.
pub use cli::{run, waymark};

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
