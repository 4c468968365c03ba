//! The trainer's world: module folders found in every source, parsed with spans, validated and
//! handed out as a `Catalog` of typed `Module`s plus `Diagnostic`s.
//! Knows nothing of terminals or storage.

#[doc(hidden)]
pub mod corpus;
pub mod diagnostic;
pub mod load;
pub mod locale_tag;
pub mod markup;
pub mod model;
pub mod raw;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity, SourceFile, Tally};
pub use load::{load, load_paths, PathError, Sources};
pub use model::{
    Catalog, Choice, Failed, Module, Origin, Question, QuestionType, Source, SourceKind, Step,
    StepKind, Translation, TranslationStatus,
};
