//! Tools for trainers who write modules: a checked skeleton (`new`), editor schemas (`schema`),
//! printable handouts (`handout`) and Moodle GIFT import (`import-gift`). Library code over
//! `curriculum`, with no terminal and no process exit; the command-line glue is `cli_authoring`.

pub mod gift;
pub mod handout;
pub mod scaffold;
pub mod schema;

use std::path::{Path, PathBuf};

use rust_i18n::t;

/// Why an authoring command could not do its job. `usage` marks a mistake on the command line
/// (exit 2) rather than a problem met while working (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub help: Option<String>,
    pub usage: bool,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
            usage: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            usage: true,
            ..Self::new(message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A file or folder that could not be written.
    pub fn write(path: &Path, e: &std::io::Error) -> Self {
        Self::new(t!(
            "authoring.write_failed",
            path = path.display(),
            error = e.to_string()
        ))
        .help(t!("authoring.write_failed_help"))
    }
}

/// Checks a new module id; the message says what an id may contain.
pub fn check_id(id: &str) -> Result<(), Failure> {
    if crate::curriculum::validate::is_valid_id(id) {
        Ok(())
    } else {
        Err(Failure::usage(t!("authoring.bad_id", id = id)).help(t!("check.invalid_id_help")))
    }
}

/// `DIR/<id>`, refused when it already exists so that nothing a trainer wrote is overwritten.
pub fn new_module_dir(dir: &Path, id: &str) -> Result<PathBuf, Failure> {
    let target = dir.join(id);
    if target.exists() {
        return Err(
            Failure::new(t!("authoring.exists", path = target.display()))
                .help(t!("authoring.exists_help", id = id)),
        );
    }
    Ok(target)
}

/// Writes `module.toml` into a new module folder, and the editor schemas beside the module
/// folders where they are missing. Returns the module file and any schema files written.
pub fn write_module(target: &Path, module_toml: &str) -> Result<(PathBuf, Vec<PathBuf>), Failure> {
    std::fs::create_dir_all(target).map_err(|e| Failure::write(target, &e))?;
    let file = target.join("module.toml");
    std::fs::write(&file, module_toml).map_err(|e| Failure::write(&file, &e))?;
    let schema_dir = target
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(schema::SCHEMA_DIR);
    let schemas =
        schema::write_missing(&schema_dir).map_err(|e| Failure::write(&schema_dir, &e))?;
    Ok((file, schemas))
}

/// `text` as a TOML string: a basic string on one line, or a multi-line basic string when the
/// text has line breaks. Every character TOML would misread is escaped.
pub fn toml_text(text: &str) -> String {
    if !text.contains('\n') {
        return toml_string(text);
    }
    let mut out = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            _ => push_escaped(&mut out, c),
        }
    }
    out.push_str("\"\"\"");
    out
}

/// `text` as a one-line TOML basic string.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    }
}

/// A comment block: each line of `text` behind `# `.
pub fn toml_comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strings_are_escaped_for_toml() {
        assert_eq!(toml_string(r#"say "hi" \ now"#), r#""say \"hi\" \\ now""#);
        assert_eq!(toml_text("a\nb\"\"\""), "\"\"\"\na\nb\\\"\\\"\\\"\"\"\"");
        assert_eq!(toml_comment("one\n\ntwo"), "# one\n#\n# two\n");
    }

    proptest! {
        #[test]
        fn any_text_round_trips_through_toml(text in "\\PC{0,40}|[\"\\\\\n\t'a ]{0,20}") {
            let doc = format!("v = {}\n", toml_text(&text));
            let table: toml::Table = toml::from_str(&doc).unwrap();
            prop_assert_eq!(table["v"].as_str(), Some(text.as_str()));
        }
    }
}
