//! Synthetic corpora of valid modules, for the load benchmark and the memory test: the same
//! shapes trainers write (slides, scenarios, every question type, translations), at scale.

use std::fmt::Write as _;
use std::path::Path;

/// The locales each generated module is translated into.
pub const LOCALES: [&str; 5] = ["es", "fr", "pt-BR", "hi", "ar"];

/// Writes `modules` module folders of `steps` steps with `translations` translations each
/// under `dir`. Returns the number of files written.
pub fn write(
    dir: &Path,
    modules: usize,
    steps: usize,
    translations: usize,
) -> std::io::Result<usize> {
    let mut files = 0;
    for m in 0..modules {
        let id = format!("module-{m:04}");
        let folder = dir.join(&id);
        std::fs::create_dir_all(&folder)?;
        let module = module_text(&id, steps);
        let fingerprints = fingerprint_table(&id, &module);
        std::fs::write(folder.join("module.toml"), module)?;
        files += 1;
        for locale in LOCALES.iter().take(translations) {
            std::fs::write(
                folder.join(format!("{locale}.toml")),
                translation_text(locale, steps) + &fingerprints,
            )?;
            files += 1;
        }
    }
    Ok(files)
}

const PARAGRAPH: &str = "Workers may be told that they owe a large debt for travel and housing, and that they cannot leave until it is paid. Someone else may hold their documents.";

/// The text of one generated `module.toml`.
pub fn module_text(id: &str, steps: usize) -> String {
    let mut s = format!(
        "id = \"{id}\"\nversion = 3\nsource_locale = \"en\"\ntitle = \"Module {id}\"\nsummary = \"{PARAGRAPH}\"\naudience = \"Participants aged 14 and up\"\nminutes = 600\n\n[[sources]]\nid = \"ilo-2012\"\ncitation = \"ILO, ILO Indicators of Forced Labour, 2012\"\n\n"
    );
    for i in 0..steps {
        let _ = writeln!(s, "[[steps]]\nid = \"s{i}\"\nminutes = 2\nnotes = \"Facilitator note {i}: {PARAGRAPH}\"\nsources = [\"ilo-2012\"]");
        match i % 4 {
            0 => {
                let _ = writeln!(s, "kind = \"slide\"\ntitle = \"Slide {i}\"\nbody = \"\"\"\n{PARAGRAPH}\n\n- **First** point\n- *Second* point\n- Third point\n\"\"\"\n");
            }
            1 => {
                let _ = writeln!(s, "kind = \"scenario\"\ntitle = \"Scenario {i}\"\nstory = \"\"\"\n{PARAGRAPH} {PARAGRAPH}\n\"\"\"\nprompts = [\"What signs do you notice?\", \"What could she do?\"]\n");
            }
            2 => {
                let _ = writeln!(s, "kind = \"question\"\ntype = \"single\"\ncheck = true\nprompt = \"Question {i}?\"\nexplanation = \"{PARAGRAPH}\"");
                for (c, correct) in [("a", true), ("b", false), ("c", false), ("d", false)] {
                    let _ = writeln!(s, "[[steps.choices]]\nid = \"{c}\"\ntext = \"Choice {c} of {i}\"\ncorrect = {correct}");
                }
                s.push('\n');
            }
            _ => {
                let _ = writeln!(s, "kind = \"question\"\ntype = \"multiple\"\nprompt = \"Question {i}?\"\nexplanation = \"{PARAGRAPH}\"");
                for (c, correct) in [("a", true), ("b", true), ("c", false)] {
                    let _ = writeln!(s, "[[steps.choices]]\nid = \"{c}\"\ntext = \"Choice {c} of {i}\"\ncorrect = {correct}");
                }
                s.push('\n');
            }
        }
    }
    s
}

/// The `[fingerprints]` table of a translation made from the module `text`, as
/// `waymark translate` writes it: a translation without one draws a warning.
pub fn fingerprint_table(id: &str, text: &str) -> String {
    let file = super::SourceFile::new("module.toml", Some(text.into()));
    let origin = super::Origin {
        kind: super::SourceKind::Path,
        dir: id.into(),
    };
    let mut s = String::from("[fingerprints]\n");
    if let (Some(module), _) = super::validate::module(&file, id, origin) {
        for (key, source) in module.text_keys() {
            let _ = writeln!(s, "\"{key}\" = \"{}\"", super::model::fingerprint(source));
        }
    }
    s
}

/// The text of one generated translation file, complete and reviewed (without its
/// fingerprints: see `fingerprint_table`).
pub fn translation_text(locale: &str, steps: usize) -> String {
    let mut s = format!("status = \"reviewed\"\ntitle = \"Módulo ({locale})\"\nsummary = \"Résumé {PARAGRAPH}\"\naudience = \"Participantes\"\n\n");
    for i in 0..steps {
        let _ = writeln!(s, "[steps.s{i}]\nnotes = \"Nota {i}: {PARAGRAPH}\"");
        match i % 4 {
            0 => {
                let _ = writeln!(s, "title = \"Diapositiva {i}\"\nbody = \"\"\"\n{PARAGRAPH}\n\n- **Primero**\n- *Segundo*\n- Tercero\n\"\"\"\n");
            }
            1 => {
                let _ = writeln!(s, "title = \"Escenario {i}\"\nstory = \"{PARAGRAPH}\"\nprompts = [\"¿Qué señales?\", \"¿Qué podría hacer?\"]\n");
            }
            2 => {
                let _ = writeln!(s, "prompt = \"¿Pregunta {i}?\"\nexplanation = \"{PARAGRAPH}\"\nchoices = {{ a = \"A\", b = \"B\", c = \"C\", d = \"D\" }}\n");
            }
            _ => {
                let _ = writeln!(s, "prompt = \"¿Pregunta {i}?\"\nexplanation = \"{PARAGRAPH}\"\nchoices = {{ a = \"A\", b = \"B\", c = \"C\" }}\n");
            }
        }
    }
    s
}
