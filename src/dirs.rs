//! Where the user's data and config live: `directories` defaults (XDG on Linux), overridden by
//! `--data-dir` and `WAYMARK_DATA_DIR` for data.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "waymark")
}

/// The data folder: the flag, then `WAYMARK_DATA_DIR`, then the platform's (`~/.local/share/waymark`).
pub fn data_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WAYMARK_DATA_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project().map(|p| p.data_dir().to_path_buf())
}

/// The config folder (`~/.config/waymark`).
pub fn config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}
