//! The file formats as serde sees them: every field optional and spanned, so the validator can
//! report all that is missing or wrong at once, each at its place. `fields_of` reads the key
//! lists back out of these types, and `waymark schema` derives the JSON Schema from them (the doc
//! comments are the editor's help text), so neither the unknown-key check nor the schema can drift.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::Deserialize;
use toml::Spanned;

pub type Text = Spanned<String>;

/// `module.toml`.
///
/// Schema notes: `toml::Spanned<T>` has no JSON Schema, so each field says with
/// `#[schemars(with = ...)]` which plain type it holds. `required` marks what the validator
/// requires; the rules that depend on a step's kind are added in `authoring::schema`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Waymark module",
    description = "A Waymark workshop module (module.toml): its structure and its text in the source language. Reference: docs/curriculum-format.md"
)]
pub struct RawModule {
    /// The module's permanent name: lowercase letters a-z, digits, - and _. Must equal the folder name. Never change it once the module is used.
    #[schemars(
        with = "Option<String>",
        required,
        regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$")
    )]
    pub id: Option<Text>,
    /// The module's version, starting at 1. Raise it when a correct answer changes.
    #[schemars(with = "Option<i64>", required, range(min = 1, max = u32::MAX))]
    pub version: Option<Spanned<i64>>,
    /// The language this file is written in, as a BCP 47 tag: "en", "es", "pt-BR". The code, not the name of the language.
    #[schemars(
        with = "Option<String>",
        required,
        regex(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
    )]
    pub source_locale: Option<Text>,
    /// The module's title, as shown to the room and in lists.
    #[schemars(with = "Option<String>", required, regex(pattern = r"\S"))]
    pub title: Option<Text>,
    /// One or two sentences on what the module covers.
    #[schemars(with = "Option<String>", required, regex(pattern = r"\S"))]
    pub summary: Option<Text>,
    /// Who the module is written for, for example the age range.
    #[schemars(with = "Option<String>", required, regex(pattern = r"\S"))]
    pub audience: Option<Text>,
    /// The planned length of the whole module, in minutes (1 to 600).
    #[schemars(with = "Option<i64>", required, range(min = 1, max = 600))]
    pub minutes: Option<Spanned<i64>>,
    /// The citations the module rests on, shown on the closing slide. Steps name them in `sources = [...]`.
    #[schemars(with = "Option<Vec<RawSource>>")]
    pub sources: Option<Vec<Spanned<RawSource>>>,
    /// The module's content, in order: slides, scenarios and questions.
    #[schemars(with = "Option<Vec<RawStep>>", required, length(min = 1))]
    pub steps: Option<Vec<Spanned<RawStep>>>,
}

/// One `[[sources]]` table: a citation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// A short name, unique among the module's sources. Steps refer to it.
    #[schemars(
        with = "Option<String>",
        required,
        regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$")
    )]
    pub id: Option<Text>,
    /// The citation as it should be shown.
    #[schemars(with = "Option<String>", required, regex(pattern = r"\S"))]
    pub citation: Option<Text>,
    /// Where to find the source (optional).
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub url: Option<Text>,
}

/// One `[[steps]]` table. One flat shape for every kind, so a field that belongs to another kind
/// gets a message naming the kind rather than a bare "unknown field".
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    description = "One step of the module: a slide, a scenario or a question. Write all of a step's own keys before its first [[steps.choices]]."
)]
pub struct RawStep {
    /// The step's permanent name, unique in the module: lowercase letters a-z, digits, - and _.
    #[schemars(
        with = "Option<String>",
        required,
        regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$")
    )]
    pub id: Option<Text>,
    /// What sort of step this is: "slide" (information), "scenario" (a story to discuss) or "question".
    #[schemars(with = "Option<String>", required)]
    pub kind: Option<Text>,
    /// Notes for the facilitator only; hidden from the room by default.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub notes: Option<Text>,
    /// Planned time for the step, in minutes (0 to 600).
    #[schemars(with = "Option<i64>", range(min = 0, max = 600))]
    pub minutes: Option<Spanned<i64>>,
    /// Ids of the [[sources]] this step rests on.
    #[schemars(with = "Option<Vec<String>>")]
    pub sources: Option<Vec<Text>>,
    /// Slide or scenario: the heading.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub title: Option<Text>,
    /// Slide: the content. Blank lines make paragraphs, lines starting with "- " make bullets, **bold** and *emphasis*.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub body: Option<Text>,
    /// Scenario: the story. Same formatting as a slide body.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub story: Option<Text>,
    /// Scenario: discussion questions for the room, in order (at least one).
    #[schemars(
        with = "Option<Vec<String>>",
        length(min = 1),
        inner(regex(pattern = r"\S"))
    )]
    pub prompts: Option<Spanned<Vec<Text>>>,
    /// Question: "single" (one right answer), "multiple" (one or more), "true_false" (two choices, one right) or "confidence" (a 1-to-5 scale, no right answer).
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>")]
    pub qtype: Option<Text>,
    /// Question: true puts it in the knowledge check, asked before and after the content.
    #[schemars(with = "Option<bool>")]
    pub check: Option<Spanned<bool>>,
    /// Question: the question itself.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub prompt: Option<Text>,
    /// Question: the possible answers, in the order shown ([[steps.choices]] tables).
    #[schemars(with = "Option<Vec<RawChoice>>")]
    pub choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    /// Question: shown when the answer is revealed; why the right answer is right.
    #[schemars(with = "Option<String>", regex(pattern = r"\S"))]
    pub explanation: Option<Text>,
}

/// One `[[steps.choices]]` table: an answer of a question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    /// The choice's permanent name, unique within the question: lowercase letters a-z, digits, - and _.
    #[schemars(
        with = "Option<String>",
        required,
        regex(pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$")
    )]
    pub id: Option<Text>,
    /// The answer as shown.
    #[schemars(with = "Option<String>", required, regex(pattern = r"\S"))]
    pub text: Option<Text>,
    /// true marks a right answer; leave it out for a wrong one. Never on a confidence question.
    #[schemars(with = "Option<bool>")]
    pub correct: Option<Spanned<bool>>,
}

/// `<lang>.toml`: text only, keyed by step id and choice id.
///
/// Schema note: unlike in `module.toml`, a text may be empty here. `""` means "not translated
/// yet" (what `waymark translate new` writes for every key) and the source text shows instead,
/// so the schema must not flag a fresh file the loader accepts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Waymark translation",
    description = "A translation of a Waymark module (<lang>.toml beside module.toml): text only, keyed by step id and choice id. An empty text (\"\") is not translated yet: the source text shows. Reference: docs/curriculum-format.md"
)]
pub struct RawTranslation {
    /// "draft" until a native speaker has reviewed the translation, then "reviewed".
    #[schemars(with = "Option<String>", required)]
    pub status: Option<Text>,
    /// The module's title in this language.
    #[schemars(with = "Option<String>")]
    pub title: Option<Text>,
    /// The module's summary in this language.
    #[schemars(with = "Option<String>")]
    pub summary: Option<Text>,
    /// The module's audience in this language.
    #[schemars(with = "Option<String>")]
    pub audience: Option<Text>,
    /// The text of each step, as [steps.<step-id>] tables.
    #[schemars(with = "Option<BTreeMap<String, RawStepText>>")]
    pub steps: Option<BTreeMap<Text, Spanned<RawStepText>>>,
    /// Which version of the source text each string was translated from: key = "16 hex digits".
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub fingerprints: Option<BTreeMap<String, Text>>,
}

/// One `[steps.<step-id>]` table of a translation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStepText {
    /// Slide or scenario: the heading in this language.
    #[schemars(with = "Option<String>")]
    pub title: Option<Text>,
    /// Slide: the content in this language.
    #[schemars(with = "Option<String>")]
    pub body: Option<Text>,
    /// The facilitator's notes in this language.
    #[schemars(with = "Option<String>")]
    pub notes: Option<Text>,
    /// Scenario: the story in this language.
    #[schemars(with = "Option<String>")]
    pub story: Option<Text>,
    /// Scenario: every discussion prompt, in the same order as in module.toml.
    #[schemars(with = "Option<Vec<String>>")]
    pub prompts: Option<Spanned<Vec<Text>>>,
    /// Question: the question in this language.
    #[schemars(with = "Option<String>")]
    pub prompt: Option<Text>,
    /// Question: the explanation in this language.
    #[schemars(with = "Option<String>")]
    pub explanation: Option<Text>,
    /// Question: each choice's text, keyed by choice id: `choice-id = "text"`.
    #[schemars(with = "Option<BTreeMap<String, String>>")]
    pub choices: Option<Spanned<BTreeMap<Text, Text>>>,
}

/// The field names serde accepts for struct `T`, read from its `Deserialize` impl.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut found: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldsProbe(&mut found));
    found
}

/// A deserializer that only records the field list serde passes to `deserialize_struct`.
struct FieldsProbe<'a>(&'a mut &'static [&'static str]);

#[derive(Debug)]
struct ProbeDone;

impl std::fmt::Display for ProbeDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probe done")
    }
}

impl std::error::Error for ProbeDone {}

impl de::Error for ProbeDone {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        ProbeDone
    }
}

impl<'de> de::Deserializer<'de> for FieldsProbe<'_> {
    type Error = ProbeDone;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, ProbeDone> {
        Err(ProbeDone)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeDone> {
        *self.0 = fields;
        Err(ProbeDone)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_from_the_types() {
        assert!(fields_of::<RawModule>().contains(&"source_locale"));
        assert!(fields_of::<RawStep>().contains(&"type"));
        assert!(!fields_of::<RawStep>().contains(&"qtype"));
        assert_eq!(fields_of::<RawChoice>(), &["id", "text", "correct"]);
    }
}
