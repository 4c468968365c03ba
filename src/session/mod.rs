//! One workshop run as a pure state machine over a module: the plan (knowledge check before,
//! content, knowledge check after), the cursor, tallies, reveals and timing. No I/O, no terminal:
//! it produces a `SessionResult`, the anonymous aggregates and nothing else.

pub mod result;

pub use result::{AnswerMode, GainBand, Phase, QuestionInfo, SessionResult, Summary, Tally};
