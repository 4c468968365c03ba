//! Drawing helpers shared by the screens.

pub mod text;
