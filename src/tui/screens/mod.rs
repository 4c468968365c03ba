//! One file per screen. Each draws from the model and the session; none changes them.

pub mod overlay;
pub mod reports;
pub mod run;
pub mod setup;
pub mod start;
