//! `waymark schema`: JSON Schema (draft-07) for module and translation files, derived by schemars
//! from the very serde types the loader reads (`curriculum::raw`), plus the rules serde cannot
//! express (which keys each step kind takes, choice counts per question type), taken from the
//! validator's own constants. The schema guides editors; `waymark check` stays the judge.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};

use crate::curriculum::raw::{RawModule, RawTranslation};
use crate::curriculum::validate::{kind_fields, CONFIDENCE_CHOICES, MAX_CHOICES, STEP_KINDS};
use crate::curriculum::{QuestionType, TranslationStatus};

/// File name of the module schema, in the folder `waymark schema` writes.
pub const MODULE_SCHEMA_FILE: &str = "module.schema.json";
/// File name of the translation schema.
pub const TRANSLATION_SCHEMA_FILE: &str = "translation.schema.json";
/// The folder, beside the module folders, that `waymark new` and `waymark import-gift` fill and
/// that the directive below points at.
pub const SCHEMA_DIR: &str = "schema";
/// The Taplo (Even Better TOML) directive on the first line of generated module files: a path
/// relative to the module file, so a folder of modules can be moved or shared as a whole.
pub const MODULE_DIRECTIVE: &str = "#:schema ../schema/module.schema.json";
/// The same for translation files.
pub const TRANSLATION_DIRECTIVE: &str = "#:schema ../schema/translation.schema.json";

/// The ids of modules, steps, choices and sources (`validate::is_valid_id`) as a pattern.
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,63}$";

fn generate<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema: Schema = generator.into_root_schema_for::<T>();
    let mut value = schema.to_value();
    strip_null(&mut value);
    value
}

/// The schema of `module.toml`.
pub fn module_schema() -> Value {
    let mut value = generate::<RawModule>();
    if let Some(step) = definition(&mut value, "RawStep") {
        add_step_rules(step);
    }
    value
}

/// The schema of a translation file, `<lang>.toml`.
pub fn translation_schema() -> Value {
    let mut value = generate::<RawTranslation>();
    let statuses = [TranslationStatus::Draft, TranslationStatus::Reviewed].map(|s| s.name());
    if let Some(status) = value.pointer_mut("/properties/status") {
        set(status, "enum", json!(statuses));
    }
    if let Some(steps) = value.pointer_mut("/properties/steps") {
        set(steps, "propertyNames", json!({ "pattern": ID_PATTERN }));
    }
    if let Some(text) = definition(&mut value, "RawStepText") {
        if let Some(choices) = text.pointer_mut("/properties/choices") {
            set(choices, "propertyNames", json!({ "pattern": ID_PATTERN }));
        }
    }
    value
}

/// A schema as written to disk: pretty JSON with a final newline.
pub fn render(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Both schema files: (file name, contents).
pub fn files() -> [(&'static str, String); 2] {
    [
        (MODULE_SCHEMA_FILE, render(&module_schema())),
        (TRANSLATION_SCHEMA_FILE, render(&translation_schema())),
    ]
}

/// Writes both schema files into `dir` (created if needed), replacing older versions.
pub fn write(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in files() {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes the schema files into `dir` where they are missing, leaving existing files alone (a
/// trainer's folder may hold a newer or older `waymark`'s schema). Returns the files written.
pub fn write_missing(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, text) in files() {
        let path = dir.join(name);
        if path.exists() {
            continue;
        }
        std::fs::create_dir_all(dir)?;
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

fn definition<'a>(root: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    root.get_mut("definitions")?.get_mut(name)
}

fn set(schema: &mut Value, key: &str, value: Value) {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(key.to_string(), value);
    }
}

/// TOML has no null: an optional key is simply left out, so `Option<T>` means `T` here. The
/// Rust integer widths schemars notes as `format` (`int64`) mean nothing to a TOML editor.
fn strip_null(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            if obj
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
            {
                obj.remove("format");
            }
            if let Some(Value::Array(types)) = obj.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    obj.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any.remove(0);
                    obj.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            obj.entry(k).or_insert(v);
                        }
                    }
                }
            }
            obj.values_mut().for_each(strip_null);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

/// The keys each kind requires, beyond `id` and `kind`.
fn required_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "slide" => &["title"],
        "scenario" => &["title", "story", "prompts"],
        _ => &["type", "prompt", "choices"],
    }
}

/// Adds to the `[[steps]]` schema what the validator checks beyond the types: the kind and type
/// names, the keys each kind takes and requires, and the choice counts of each question type.
fn add_step_rules(step: &mut Value) {
    if let Some(kind) = step.pointer_mut("/properties/kind") {
        set(kind, "enum", json!(STEP_KINDS));
    }
    if let Some(qtype) = step.pointer_mut("/properties/type") {
        set(qtype, "enum", json!(QuestionType::ALL.map(|(n, _)| n)));
    }
    let every_kind_field: Vec<&str> = STEP_KINDS
        .iter()
        .flat_map(|k| kind_fields(k).iter().copied())
        .collect();
    let mut rules = Vec::new();
    for kind in STEP_KINDS {
        let allowed = kind_fields(kind);
        let mut forbidden = Map::new();
        for field in &every_kind_field {
            if !allowed.contains(field) {
                forbidden.insert((*field).to_string(), Value::Bool(false));
            }
        }
        rules.push(json!({
            "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
            "then": { "required": required_for(kind), "properties": forbidden },
        }));
    }
    for (name, qtype) in QuestionType::ALL {
        let (min, max) = match qtype {
            QuestionType::TrueFalse => (2, 2),
            QuestionType::Confidence => (CONFIDENCE_CHOICES, CONFIDENCE_CHOICES),
            QuestionType::Single | QuestionType::Multiple => (2, MAX_CHOICES),
        };
        let mut choices = json!({ "minItems": min, "maxItems": max });
        if !qtype.is_scored() {
            choices["items"] = json!({ "properties": { "correct": { "enum": [false] } } });
        }
        rules.push(json!({
            "if": {
                "properties": { "kind": { "const": "question" }, "type": { "const": name } },
                "required": ["kind", "type"],
            },
            "then": { "properties": { "choices": choices } },
        }));
    }
    set(step, "allOf", Value::Array(rules));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_draft_07_and_describe_the_keys() {
        let m = module_schema();
        assert_eq!(m["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(m["additionalProperties"], false);
        let required = m["required"].as_array().unwrap();
        for key in ["id", "version", "title", "steps", "minutes"] {
            assert!(required.iter().any(|r| r == key), "{key} not required");
        }
        assert!(m["properties"]["title"]["description"].is_string());
        assert_eq!(m["properties"]["minutes"]["maximum"], 600);
        let step = &m["definitions"]["RawStep"];
        assert_eq!(step["properties"]["kind"]["enum"], json!(STEP_KINDS));
        assert!(step["properties"].get("type").is_some());
        assert!(step["properties"].get("qtype").is_none());
        let t = translation_schema();
        assert_eq!(
            t["properties"]["status"]["enum"],
            json!(["draft", "reviewed"])
        );
    }

    #[test]
    fn no_null_types_remain() {
        for schema in [module_schema(), translation_schema()] {
            let text = schema.to_string();
            assert!(!text.contains("\"null\""), "{text}");
        }
    }

    #[test]
    fn the_directive_points_at_the_schema_folder() {
        assert!(MODULE_DIRECTIVE.ends_with(&format!("../{SCHEMA_DIR}/{MODULE_SCHEMA_FILE}")));
        assert!(
            TRANSLATION_DIRECTIVE.ends_with(&format!("../{SCHEMA_DIR}/{TRANSLATION_SCHEMA_FILE}"))
        );
    }
}
