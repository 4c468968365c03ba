//! Waymark: a terminal app for facilitators running workshops on recognising human trafficking.
//! The library holds every rule; the `waymark` binary is a thin shell over `cli::run`.
//! Parts: `curriculum` (modules, loading, checking), `i18n` (interface strings), `cli` (commands).

rust_i18n::i18n!("locales", fallback = "en");

pub mod cli;
pub mod curriculum;
pub mod dirs;
pub mod i18n;
pub mod session;
