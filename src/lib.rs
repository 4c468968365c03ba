//! Waymark: a terminal app for facilitators running workshops on recognising human trafficking.
//! The library holds every rule; the `waymark` binary is a thin shell over `cli::run`.
//! Parts: `curriculum` (modules, loading, checking), `i18n` (interface strings), `cli` (commands).

// Run-time locale files (`i18n::runtime`) are consulted before the built-in ones.
rust_i18n::i18n!(
    "locales",
    fallback = "en",
    backend = crate::i18n::runtime::RuntimeBackend
);

pub mod authoring;
pub mod cli;
pub mod cli_authoring;
pub mod cli_resources;
pub mod cli_store;
pub mod cli_translate;
pub mod curriculum;
pub mod dirs;
pub mod i18n;
pub mod resources;
pub mod session;
pub mod store;
pub mod tui;
