//! One workshop run as a pure state machine over a module: the plan (knowledge check before,
//! content, knowledge check after), the cursor, tallies, reveals and timing. No I/O, no terminal:
//! it produces a `SessionResult`, the anonymous aggregates and nothing else.

pub mod plan;
pub mod result;
pub mod state;

pub use plan::Item;
pub use result::{AnswerMode, GainBand, Phase, QuestionInfo, SessionResult, Summary, Tally};
pub use state::{Refusal, ResumeError, SavedSession, Session, Setup};
