//! `waymark resources`: shows and edits the facilitator's local help resources file, and the
//! warnings `waymark check` gives about modules that show unset resources. A thin face over
//! `crate::resources`; exit codes as elsewhere: 0 fine, 1 a file problem, 2 bad usage.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use rust_i18n::t;

use crate::curriculum::diagnostic::{self, Diagnostic, Severity, SourceFile};
use crate::curriculum::load::{builtin_files, BUILTIN_PREFIX};
use crate::curriculum::{Catalog, Module};
use crate::resources::{names_used, BuiltinSet, Name, Resources};

#[derive(Debug, clap::Args)]
pub struct ResourcesArgs {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// List the help resources and which are set (the default).
    List,
    /// Set a help resource for your country.
    Set {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(value_name = "VALUE", allow_hyphen_values = true)]
        value: String,
    },
    /// Remove a help resource's value.
    Unset {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Replace every value with a built-in set (us or uk).
    Use {
        #[arg(value_name = "SET")]
        set: String,
    },
}

/// Help text from the i18n layer, as for the other commands.
pub fn localize(c: clap::Command) -> clap::Command {
    c.about(t!("cli.resources.about").into_owned())
        .mut_subcommand("list", |c| {
            c.about(t!("cli.resources.list.about").into_owned())
        })
        .mut_subcommand("set", |c| {
            c.about(t!("cli.resources.set.about").into_owned())
                .mut_arg("name", |a| {
                    a.help(t!("cli.resources.set.name").into_owned())
                })
                .mut_arg("value", |a| {
                    a.help(t!("cli.resources.set.value").into_owned())
                })
        })
        .mut_subcommand("unset", |c| {
            c.about(t!("cli.resources.unset.about").into_owned())
                .mut_arg("name", |a| {
                    a.help(t!("cli.resources.unset.name").into_owned())
                })
        })
        .mut_subcommand("use", |c| {
            c.about(t!("cli.resources.use.about").into_owned())
                .mut_arg("set", |a| a.help(t!("cli.resources.use.set").into_owned()))
        })
}

fn print(out: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}

/// A name typed on the command line, or exit 2 with "did you mean".
fn name_arg(typed: &str) -> Result<Name, ExitCode> {
    Name::parse(typed.trim()).ok_or_else(|| {
        eprintln!("{}", t!("cli.resources.unknown_name", name = typed));
        let help = match Name::suggest(typed.trim()) {
            Some(n) => t!("check.did_you_mean", suggestion = n.as_str()),
            None => t!("resources.known_names", names = Name::list()),
        };
        eprintln!("{help}");
        ExitCode::from(2)
    })
}

/// The current file, or exit 1 after showing what is wrong with it: editing a broken file would
/// throw away whatever the facilitator wrote by hand.
fn load(dir: &Path) -> Result<Resources, ExitCode> {
    Resources::load(dir).map_err(|d| {
        eprint!(
            "{}",
            diagnostic::render_text(std::slice::from_ref(&*d), false)
        );
        eprintln!("{}", t!("cli.resources.broken_file"));
        ExitCode::from(1)
    })
}

fn save(resources: &Resources, dir: &Path) -> Result<String, ExitCode> {
    resources
        .save(dir)
        .map(|p| p.display().to_string())
        .map_err(|e| {
            eprintln!(
                "{}",
                t!(
                    "cli.resources.write_failed",
                    path = Resources::path(dir).display(),
                    error = e.to_string()
                )
            );
            ExitCode::from(1)
        })
}

/// `waymark resources [list|set|unset|use]`.
pub fn run(args: &ResourcesArgs) -> ExitCode {
    let Some(dir) = crate::dirs::config_dir() else {
        eprintln!("{}", t!("cli.resources.no_config_dir"));
        return ExitCode::from(1);
    };
    match run_in(&dir, args.action.as_ref().unwrap_or(&Action::List)) {
        Ok(out) => {
            print(&out);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// The command against the config folder `dir`; the text to print on success.
fn run_in(dir: &Path, action: &Action) -> Result<String, ExitCode> {
    match action {
        Action::List => {
            let resources = load(dir)?;
            Ok(listing(dir, &resources))
        }
        Action::Set { name, value } => {
            let name = name_arg(name)?;
            let mut resources = load(dir)?;
            if let Err(e) = resources.set(name, value) {
                let (message, help) = e.describe(name.as_str());
                eprintln!("{}", t!("cli.resources.error", message = message));
                eprintln!("{help}");
                return Err(ExitCode::from(2));
            }
            let path = save(&resources, dir)?;
            Ok(format!(
                "{}\n",
                t!("cli.resources.set_done", name = name.as_str(), path = path)
            ))
        }
        Action::Unset { name } => {
            let name = name_arg(name)?;
            let mut resources = load(dir)?;
            if resources.unset(name).is_none() {
                return Ok(format!(
                    "{}\n",
                    t!("cli.resources.unset_already", name = name.as_str())
                ));
            }
            let path = save(&resources, dir)?;
            Ok(format!(
                "{}\n",
                t!(
                    "cli.resources.unset_done",
                    name = name.as_str(),
                    path = path
                )
            ))
        }
        Action::Use { set } => {
            let Some(builtin) = BuiltinSet::parse(set) else {
                eprintln!("{}", t!("cli.resources.unknown_set", set = set));
                return Err(ExitCode::from(2));
            };
            // A broken file is replaced on purpose here: the facilitator asked for a fresh set.
            let old = Resources::load(dir).unwrap_or_default();
            let new = builtin.resources();
            let path = save(&new, dir)?;
            let mut out = String::new();
            for (name, value) in old.iter() {
                if !new.is_set(name) {
                    out.push_str(&t!(
                        "cli.resources.cleared",
                        name = name.as_str(),
                        value = value
                    ));
                    out.push('\n');
                }
            }
            out.push_str(&t!(
                "cli.resources.use_done",
                country = builtin.country(),
                path = path
            ));
            out.push('\n');
            let unset: Vec<&str> = Name::ALL
                .into_iter()
                .filter(|n| !new.is_set(*n))
                .map(Name::as_str)
                .collect();
            if !unset.is_empty() {
                out.push_str(&t!("cli.resources.still_unset", names = unset.join(", ")));
                out.push('\n');
            }
            out.push('\n');
            out.push_str(&listing(dir, &new));
            Ok(out)
        }
    }
}

/// Every resource with its value or its unset marker, then how to change them.
fn listing(dir: &Path, resources: &Resources) -> String {
    let path = Resources::path(dir);
    let locale = rust_i18n::locale();
    let mut out = if path.is_file() {
        t!("cli.resources.file", path = path.display())
    } else {
        t!("cli.resources.no_file", path = path.display())
    }
    .into_owned();
    out.push_str("\n\n");
    for name in Name::ALL {
        let line = match resources.get(name) {
            Some(value) => t!(
                "cli.resources.line_set",
                name = name.as_str(),
                label = name.label(&locale),
                value = value
            ),
            None => t!(
                "cli.resources.line_unset",
                name = name.as_str(),
                label = name.label(&locale),
                marker = name.unset_marker(&locale)
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&t!("cli.resources.hint"));
    out.push('\n');
    out
}

/// What `waymark check` adds about help resources: a warning for each module that shows a
/// resource not set on this computer, and one if the resources file cannot be used.
pub fn check_diagnostics(catalog: &Catalog) -> Vec<Diagnostic> {
    let resources = match crate::dirs::config_dir() {
        None => Resources::empty(),
        Some(dir) => match Resources::load(&dir) {
            Ok(r) => r,
            Err(d) => {
                let mut d = *d;
                d.message = t!("check.resources_file", message = d.message).into_owned();
                d.severity = Severity::Warning;
                d.code = "resources-file";
                return std::iter::once(d)
                    .chain(unset_warnings(catalog, &Resources::empty()))
                    .collect();
            }
        },
    };
    unset_warnings(catalog, &resources)
}

/// One warning per module that shows resources `resources` does not set, pointing at the first
/// place one is written.
pub fn unset_warnings(catalog: &Catalog, resources: &Resources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for module in &catalog.modules {
        let mut unset: Vec<Name> = Vec::new();
        let texts = module
            .text_keys()
            .into_iter()
            .map(|(_, t)| t.to_string())
            .chain(
                module
                    .translations
                    .values()
                    .flat_map(|tr| tr.texts.values().cloned()),
            );
        for text in texts {
            for n in names_used(&text) {
                if !resources.is_set(n) && !unset.contains(&n) {
                    unset.push(n);
                }
            }
        }
        let Some(first) = unset.first().copied() else {
            continue;
        };
        let placeholders: Vec<String> = unset.iter().map(|n| n.placeholder()).collect();
        let d = Diagnostic::warning(
            "unset-resource",
            t!(
                "check.unset_resource",
                id = module.id.as_str(),
                placeholders = placeholders.join(", ")
            ),
        )
        .help(t!("check.unset_resource_help", name = first.as_str()));
        out.push(locate(d, module, first));
    }
    out
}

/// Points a diagnostic at the first place `name` is written: `module.toml`, else a translation.
fn locate(d: Diagnostic, module: &Module, name: Name) -> Diagnostic {
    let candidates = std::iter::once(module.origin.dir.join("module.toml"))
        .chain(module.translations.values().map(|tr| tr.path.clone()));
    let mut first_path = None;
    for path in candidates {
        let display = path.display().to_string();
        first_path.get_or_insert_with(|| display.clone());
        let Some(text) = file_text(&path) else {
            continue;
        };
        // Skip TOML comments: a note to other authors is not what the room sees.
        let in_comment = |at: usize| {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            text[line_start..at].trim_start().starts_with('#')
        };
        let found = crate::resources::placeholders(&text)
            .into_iter()
            .find(|p| p.name == name.as_str() && !in_comment(p.range.start))
            .map(|p| p.range);
        if let Some(span) = found {
            let file = SourceFile::new(display, Some(text.into()));
            return d.at(&file, Some(span));
        }
    }
    match first_path {
        Some(p) => d.at(&SourceFile::new(p, None), None),
        None => d,
    }
}

/// A curriculum file's text, built-in or on disk.
fn file_text(path: &Path) -> Option<String> {
    if let Ok(rel) = path.strip_prefix(BUILTIN_PREFIX) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        return builtin_files()
            .iter()
            .find(|(p, _)| *p == rel)
            .and_then(|(_, bytes)| String::from_utf8(bytes.to_vec()).ok());
    }
    std::fs::read_to_string(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, action: Action) -> Result<String, u8> {
        run_in(dir, &action).map_err(|c| if c == ExitCode::from(2) { 2 } else { 1 })
    }

    #[test]
    fn set_unset_and_list() {
        let dir = tempfile::tempdir().unwrap();
        let out = run(dir.path(), Action::List).unwrap();
        assert!(out.contains("not created yet"), "{out}");
        assert!(out.contains("ask your facilitator"), "{out}");
        run(
            dir.path(),
            Action::Set {
                name: "emergency".into(),
                value: "Emergency services: dial the local number".into(),
            },
        )
        .unwrap();
        let r = Resources::load(dir.path()).unwrap();
        assert_eq!(
            r.get(Name::Emergency),
            Some("Emergency services: dial the local number")
        );
        let out = run(dir.path(), Action::List).unwrap();
        assert!(out.contains("dial the local number"), "{out}");
        run(
            dir.path(),
            Action::Unset {
                name: "emergency".into(),
            },
        )
        .unwrap();
        assert_eq!(Resources::load(dir.path()).unwrap(), Resources::empty());
    }

    #[test]
    fn bad_names_and_values_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let set = |name: &str, value: &str| Action::Set {
            name: name.into(),
            value: value.into(),
        };
        assert_eq!(run(dir.path(), set("helpine", "x")), Err(2));
        assert_eq!(run(dir.path(), set("helpline", " ")), Err(2));
        assert_eq!(run(dir.path(), set("helpline", "a\nb")), Err(2));
        assert_eq!(run(dir.path(), Action::Use { set: "fr".into() }), Err(2));
        assert!(!Resources::path(dir.path()).exists());
    }

    #[test]
    fn a_broken_file_is_never_overwritten_by_set() {
        let dir = tempfile::tempdir().unwrap();
        let path = Resources::path(dir.path());
        std::fs::write(&path, "helpline = \n").unwrap();
        let set = Action::Set {
            name: "emergency".into(),
            value: "x".into(),
        };
        assert_eq!(run(dir.path(), set), Err(1));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "helpline = \n");
    }

    #[test]
    fn use_replaces_every_value_and_says_what_it_removed() {
        let dir = tempfile::tempdir().unwrap();
        run(dir.path(), Action::Use { set: "us".into() }).unwrap();
        let us = Resources::load(dir.path()).unwrap();
        assert_eq!(us, BuiltinSet::UnitedStates.resources());
        let out = run(dir.path(), Action::Use { set: "UK".into() }).unwrap();
        // The US tip line must not survive a switch to the UK.
        assert!(out.contains("Removed tipline"), "{out}");
        let uk = Resources::load(dir.path()).unwrap();
        assert_eq!(uk, BuiltinSet::UnitedKingdom.resources());
        assert!(out.contains("emergency"), "{out}");
    }
}
