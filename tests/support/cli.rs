//! Runs the real `waymark` binary in tests: private data and config folders, no curricula or
//! language taken from the caller's environment, English messages, no colour.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The binary with `data` as its data folder and the XDG folders under `xdg`.
pub fn waymark_in(data: &Path, xdg: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_waymark"));
    c.env("WAYMARK_DATA_DIR", data)
        .env("XDG_DATA_HOME", xdg.join("xdg-data"))
        .env("XDG_CONFIG_HOME", xdg.join("xdg-config"))
        .env_remove("WAYMARK_CURRICULA")
        .env_remove("WAYMARK_LANG")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    c
}

/// The binary with `data` as its data folder, the XDG folders inside it.
pub fn waymark(data: &Path) -> Command {
    waymark_in(data, data)
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
