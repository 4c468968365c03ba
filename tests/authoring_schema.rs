//! The editor schemas: the committed files match what `waymark schema` generates (the drift test),
//! every shipped module and translation validates against them, broken files do not, and the
//! schema never refuses what the loader accepts. Set WAYMARK_BLESS=1 to rewrite `schema/`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use waymark::authoring::{scaffold, schema};
use waymark::curriculum::{self, validate, Origin, Severity, SourceFile, SourceKind};

#[path = "support/cli.rs"]
mod cli;
use cli::{run, waymark};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_to_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(table).expect("TOML is JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::new(schema).expect("the schema is valid draft-07")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = root().join("schema");
    if std::env::var_os("WAYMARK_BLESS").is_some() {
        schema::write(&dir).unwrap();
    }
    for (name, text) in schema::files() {
        let path = dir.join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is out of date with the types in src/curriculum/raw.rs; run \
             `cargo run -- schema --out schema` (or WAYMARK_BLESS=1 cargo test) and commit it",
            path.display()
        );
    }
}

#[test]
fn schemas_are_valid_draft_07() {
    for s in [schema::module_schema(), schema::translation_schema()] {
        assert!(jsonschema::meta::is_valid(&s));
        assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    }
}

/// Every `module.toml` and translation under `dir`'s module folders.
fn module_files(dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("module.toml").is_file())
        .collect();
    folders.sort();
    for folder in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        files.sort();
        for f in files {
            let is_module = f.file_name().is_some_and(|n| n == "module.toml");
            out.push((f, is_module));
        }
    }
    out
}

#[test]
fn every_shipped_module_and_translation_validates() {
    let module = validator(&schema::module_schema());
    let translation = validator(&schema::translation_schema());
    let mut checked = (0, 0);
    for dir in [
        root().join("curricula"),
        root().join("tests/fixtures/good"),
        root().join("tests/fixtures/tui"),
    ] {
        for (path, is_module) in module_files(&dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let json = toml_to_json(&text);
            let (v, count) = if is_module {
                (&module, &mut checked.0)
            } else {
                (&translation, &mut checked.1)
            };
            let errs = errors(v, &json);
            assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
            *count += 1;
        }
    }
    assert!(checked.0 >= 5 && checked.1 >= 5, "{checked:?}");
}

#[test]
fn the_scaffold_validates() {
    let text = scaffold::module_toml("my-module", "en");
    let v = validator(&schema::module_schema());
    let errs = errors(&v, &toml_to_json(&text));
    assert!(errs.is_empty(), "{errs:#?}");
}

const GOOD: &str = r#"
id = "m"
version = 1
source_locale = "en"
title = "T"
summary = "S"
audience = "A"
minutes = 10

[[sources]]
id = "src"
citation = "C"

[[steps]]
id = "intro"
kind = "slide"
title = "Hello"
minutes = 1
sources = ["src"]

[[steps]]
id = "story"
kind = "scenario"
title = "A story"
story = "Once."
prompts = ["Why?"]
minutes = 1

[[steps]]
id = "q"
kind = "question"
type = "single"
prompt = "Which?"
explanation = "Because."
minutes = 1

[[steps.choices]]
id = "a"
text = "Right"
correct = true

[[steps.choices]]
id = "b"
text = "Wrong"
"#;

/// Whether the loader refuses the module `text` (errors, not warnings).
fn loader_refuses(text: &str) -> bool {
    let file = SourceFile::new("m/module.toml", Some(text.into()));
    let origin = Origin {
        kind: SourceKind::Path,
        dir: "m".into(),
    };
    let (module, diags) = validate::module(&file, "m", origin);
    module.is_none() || diags.iter().any(|d| d.severity == Severity::Error)
}

#[test]
fn broken_modules_do_not_validate_and_the_loader_agrees() {
    let v = validator(&schema::module_schema());
    assert!(errors(&v, &toml_to_json(GOOD)).is_empty());
    assert!(!loader_refuses(GOOD));
    let broken: &[(&str, &str, &str)] = &[
        ("unknown key", "title = \"T\"", "titel = \"T\""),
        ("missing title", "title = \"T\"\n", ""),
        ("bad module id", "id = \"m\"", "id = \"M!\""),
        ("version zero", "version = 1", "version = 0"),
        ("minutes too large", "minutes = 10", "minutes = 601"),
        ("wrong type", "version = 1", "version = \"1\""),
        ("empty summary", "summary = \"S\"", "summary = \"  \""),
        ("unknown kind", "kind = \"slide\"", "kind = \"slid\""),
        ("slide with prompts", "title = \"Hello\"", "title = \"Hello\"\nprompts = [\"x\"]"),
        ("scenario without story", "story = \"Once.\"\n", ""),
        ("empty prompts", "prompts = [\"Why?\"]", "prompts = []"),
        ("unknown question type", "type = \"single\"", "type = \"singel\""),
        ("question without choices", "[[steps.choices]]\nid = \"a\"\ntext = \"Right\"\ncorrect = true\n\n[[steps.choices]]\nid = \"b\"\ntext = \"Wrong\"\n", ""),
        ("unknown key in choice", "text = \"Wrong\"", "text = \"Wrong\"\nright = true"),
        ("bad choice id", "id = \"b\"", "id = \"B b\""),
        ("too many choices", "text = \"Wrong\"", "text = \"Wrong\"\n\n[[steps.choices]]\nid = \"c\"\ntext = \"c\"\n\n[[steps.choices]]\nid = \"d\"\ntext = \"d\"\n\n[[steps.choices]]\nid = \"e\"\ntext = \"e\"\n\n[[steps.choices]]\nid = \"f\"\ntext = \"f\"\n\n[[steps.choices]]\nid = \"g\"\ntext = \"g\""),
        ("true_false with three choices", "type = \"single\"", "type = \"true_false\"\n# three choices follow"),
        ("confidence with a correct choice", "type = \"single\"", "type = \"confidence\""),
        ("check as text", "type = \"single\"", "type = \"single\"\ncheck = \"yes\""),
        ("no steps", "[[steps]]", "[[stepz]]"),
    ];
    for (what, from, to) in broken {
        let mut text = GOOD.replacen(from, to, 1);
        if *what == "true_false with three choices" {
            text.push_str("\n[[steps.choices]]\nid = \"c\"\ntext = \"Maybe\"\n");
        }
        assert_ne!(text, GOOD, "{what}: the mutation did not apply");
        assert!(
            !errors(&v, &toml_to_json(&text)).is_empty(),
            "{what}: the schema accepts a broken module"
        );
        assert!(loader_refuses(&text), "{what}: the loader accepts it");
    }
}

#[test]
fn broken_translations_do_not_validate() {
    let v = validator(&schema::translation_schema());
    let good = "status = \"draft\"\ntitle = \"Título\"\n\n[steps.intro]\ntitle = \"Hola\"\n\n[steps.q.choices]\na = \"Sí\"\n";
    assert!(errors(&v, &toml_to_json(good)).is_empty());
    // Empty (or blank) is "not translated yet", which the loader accepts: so does the schema.
    let untranslated = "status = \"draft\"\ntitle = \"\"\nsummary = \" \"\n\n[steps.intro]\ntitle = \"\"\nbody = \"\"\"\n\"\"\"\nprompts = [\"\", \"\"]\n\n[steps.q.choices]\na = \"\"\n";
    let errs = errors(&v, &toml_to_json(untranslated));
    assert!(errs.is_empty(), "{errs:#?}");
    for (what, text) in [
        ("no status", "title = \"Título\"\n"),
        ("unknown status", "status = \"done\"\n"),
        ("unknown key", "status = \"draft\"\ntitel = \"x\"\n"),
        (
            "structure in a translation",
            "status = \"draft\"\n[steps.q]\ncorrect = true\n",
        ),
        (
            "bad step id",
            "status = \"draft\"\n[steps.\"Q 1\"]\ntitle = \"x\"\n",
        ),
        (
            "text as a number",
            "status = \"draft\"\n[steps.intro]\ntitle = 3\n",
        ),
        (
            "prompts as one string",
            "status = \"draft\"\n[steps.story]\nprompts = \"Why?\"\n",
        ),
        (
            "choices as a list",
            "status = \"draft\"\n[steps.q]\nchoices = [\"Sí\", \"No\"]\n",
        ),
        (
            "title as a table",
            "status = \"draft\"\n[title]\nen = \"x\"\n",
        ),
    ] {
        assert!(
            !errors(&v, &toml_to_json(text)).is_empty(),
            "{what}: the schema accepts a broken translation"
        );
    }
}

#[test]
fn the_taplo_config_maps_the_builtin_modules_to_the_schemas() {
    let dir = root().join("curricula");
    let text = std::fs::read_to_string(dir.join(".taplo.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let rules = config["rule"].as_array().unwrap();
    let mut targets = Vec::new();
    for rule in rules {
        let path = rule["schema"]["path"].as_str().unwrap();
        assert!(
            dir.join(path).is_file(),
            "{path} does not exist beside curricula/"
        );
        targets.push(path.to_string());
    }
    assert!(targets
        .iter()
        .any(|t| t.ends_with(schema::MODULE_SCHEMA_FILE)));
    assert!(targets
        .iter()
        .any(|t| t.ends_with(schema::TRANSLATION_SCHEMA_FILE)));
    // The shipped modules load without errors, so the two agree on them too.
    let catalog = curriculum::load_paths(&[dir]).unwrap();
    assert!(catalog
        .diagnostics
        .iter()
        .all(|d| d.severity != Severity::Error));
}

/// `waymark translate new <module> <lang>` in a private data folder: the file it writes, parsed.
fn translate_new(
    data: &Path,
    module: &str,
    lang: &str,
    curricula: Option<&Path>,
) -> (PathBuf, Value) {
    let mut cmd = waymark(data);
    if let Some(dir) = curricula {
        cmd.arg("--curricula").arg(dir);
    }
    let (code, out, err) = run(cmd.args(["translate", "new", module, lang]));
    assert_eq!(code, 0, "{out}{err}");
    let file = match curricula {
        Some(dir) => dir.join(module).join(format!("{lang}.toml")),
        None => data
            .join("curricula")
            .join(module)
            .join(format!("{lang}.toml")),
    };
    let text =
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}\n{out}", file.display()));
    (file, toml_to_json(&text))
}

/// Every string in `v`, with its JSON pointer.
fn strings<'v>(v: &'v Value, at: String, out: &mut Vec<(String, &'v str)>) {
    match v {
        Value::String(s) => out.push((at, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                strings(item, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_fresh_translate_new_file_validates_against_the_translation_schema() {
    // What a translator opens in Even Better TOML right after `translate new`: every text empty
    // (not translated yet), and no field may be marked as an error.
    let v = validator(&schema::translation_schema());
    let work = tempfile::tempdir().unwrap();
    let curricula = work.path().join("mine");
    std::fs::create_dir_all(curricula.join("workshop")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/tui/workshop/module.toml"),
        curricula.join("workshop/module.toml"),
    )
    .unwrap();
    let made = [
        translate_new(work.path(), "workshop", "sw", Some(&curricula)),
        translate_new(work.path(), "warning-signs", "sw", None),
        translate_new(work.path(), "fake-job-offers", "th", None),
    ];
    for (file, json) in &made {
        let mut texts = Vec::new();
        if let Some(steps) = json.get("steps") {
            strings(steps, "/steps".into(), &mut texts);
        }
        // The file really is untranslated: the case the schema used to refuse.
        assert!(texts.len() > 10, "{}: {json:#}", file.display());
        assert!(
            texts.iter().all(|(_, t)| t.is_empty()),
            "{}: {texts:?}",
            file.display()
        );
        assert_eq!(json["title"], "", "{}", file.display());
        let errs = errors(&v, json);
        assert!(errs.is_empty(), "{}: {errs:#?}", file.display());
        // The loader accepts it too: nothing translated, nothing wrong.
        let catalog = curriculum::load_paths(std::slice::from_ref(file)).unwrap();
        let problems: Vec<_> = catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

#[test]
fn a_translate_new_file_with_a_wrong_type_still_fails() {
    let v = validator(&schema::translation_schema());
    let data = tempfile::tempdir().unwrap();
    let (file, json) = translate_new(data.path(), "warning-signs", "sw", None);
    assert!(errors(&v, &json).is_empty(), "{}", file.display());
    let step = json["steps"]
        .as_object()
        .and_then(|steps| steps.keys().next().cloned())
        .unwrap();
    for (what, pointer, value) in [
        (
            "a number for the title",
            "/title".to_string(),
            Value::from(3),
        ),
        (
            "a list for the summary",
            "/summary".to_string(),
            serde_json::json!(["x"]),
        ),
        (
            "a boolean for a step text",
            format!("/steps/{step}/title"),
            Value::Bool(true),
        ),
        (
            "an unknown status",
            "/status".to_string(),
            Value::from("done"),
        ),
    ] {
        let mut broken = json.clone();
        match broken.pointer_mut(&pointer) {
            Some(slot) => *slot = value,
            None => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                broken.pointer_mut(parent).unwrap()[key] = value;
            }
        }
        assert!(
            !errors(&v, &broken).is_empty(),
            "{what}: the schema accepts {broken:#}"
        );
    }
}
