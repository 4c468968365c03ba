//! The file formats as serde sees them: every field optional and spanned, so the validator can
//! report all that is missing or wrong at once, each at its place. `fields_of` reads the key
//! lists back out of these types, so the unknown-key check can never drift from them.

use std::collections::BTreeMap;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::Deserialize;
use toml::Spanned;

pub type Text = Spanned<String>;

/// `module.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    pub id: Option<Text>,
    pub version: Option<Spanned<i64>>,
    pub source_locale: Option<Text>,
    pub title: Option<Text>,
    pub summary: Option<Text>,
    pub audience: Option<Text>,
    pub minutes: Option<Spanned<i64>>,
    pub sources: Option<Vec<Spanned<RawSource>>>,
    pub steps: Option<Vec<Spanned<RawStep>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Option<Text>,
    pub citation: Option<Text>,
    pub url: Option<Text>,
}

/// One `[[steps]]` table. One flat shape for every kind, so a field that belongs to another kind
/// gets a message naming the kind rather than a bare "unknown field".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub id: Option<Text>,
    pub kind: Option<Text>,
    pub notes: Option<Text>,
    pub minutes: Option<Spanned<i64>>,
    pub sources: Option<Vec<Text>>,
    pub title: Option<Text>,
    pub body: Option<Text>,
    pub story: Option<Text>,
    pub prompts: Option<Spanned<Vec<Text>>>,
    #[serde(rename = "type")]
    pub qtype: Option<Text>,
    pub check: Option<Spanned<bool>>,
    pub prompt: Option<Text>,
    pub choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    pub explanation: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub id: Option<Text>,
    pub text: Option<Text>,
    pub correct: Option<Spanned<bool>>,
}

/// `<lang>.toml`: text only, keyed by step id and choice id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    pub status: Option<Text>,
    pub title: Option<Text>,
    pub summary: Option<Text>,
    pub audience: Option<Text>,
    pub steps: Option<BTreeMap<Text, Spanned<RawStepText>>>,
    pub fingerprints: Option<BTreeMap<String, Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepText {
    pub title: Option<Text>,
    pub body: Option<Text>,
    pub notes: Option<Text>,
    pub story: Option<Text>,
    pub prompts: Option<Spanned<Vec<Text>>>,
    pub prompt: Option<Text>,
    pub explanation: Option<Text>,
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
