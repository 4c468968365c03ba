//! The authoring commands on the command line: `new`, `schema`, `handout` and `import-gift`.
//! Thin: arguments in, `authoring` does the work, messages out through the i18n layer.
//! Exit codes as everywhere: 0 done, 1 a problem met while working, 2 a mistake in the command.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use rust_i18n::t;

use crate::authoring::{self, gift, handout, scaffold, schema, Failure};
use crate::cli::Cli;
use crate::curriculum::{self, diagnostic, validate, Severity};
use crate::resources::Resources;

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The new module's id: lowercase letters, digits, `-` and `_`.
    #[arg(value_name = "MODULE_ID")]
    pub id: String,
    /// The folder to create the module folder in (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The folder to write the schema files to (default: `schema`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HandoutFormat {
    Markdown,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct HandoutArgs {
    /// The module's id (`waymark list` shows them).
    #[arg(value_name = "MODULE_ID")]
    pub module: String,
    /// The facilitator's version: with answers, explanations, notes and timings.
    #[arg(long)]
    pub facilitator: bool,
    #[arg(long, value_enum, default_value_t = HandoutFormat::Markdown)]
    pub format: HandoutFormat,
    /// Write to this file instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportGiftArgs {
    /// The GIFT file exported from Moodle (or written by hand).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The id of the module to create.
    #[arg(long, value_name = "MODULE_ID")]
    pub id: String,
    /// The folder to create the module folder in (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn localize_new(c: clap::Command) -> clap::Command {
    c.about(t!("cli.new.about").into_owned())
        .mut_arg("id", |a| a.help(t!("cli.new.id").into_owned()))
        .mut_arg("dir", |a| a.help(t!("cli.new.dir").into_owned()))
}

pub fn localize_schema(c: clap::Command) -> clap::Command {
    c.about(t!("cli.schema.about").into_owned())
        .mut_arg("out", |a| a.help(t!("cli.schema.out").into_owned()))
}

pub fn localize_handout(c: clap::Command) -> clap::Command {
    c.about(t!("cli.handout.about").into_owned())
        .mut_arg("module", |a| a.help(t!("cli.handout.module").into_owned()))
        .mut_arg("facilitator", |a| {
            a.help(t!("cli.handout.facilitator").into_owned())
        })
        .mut_arg("format", |a| a.help(t!("cli.handout.format").into_owned()))
        .mut_arg("out", |a| a.help(t!("cli.handout.out").into_owned()))
}

pub fn localize_import_gift(c: clap::Command) -> clap::Command {
    c.about(t!("cli.import_gift.about").into_owned())
        .mut_arg("file", |a| a.help(t!("cli.import_gift.file").into_owned()))
        .mut_arg("id", |a| a.help(t!("cli.import_gift.id").into_owned()))
        .mut_arg("out", |a| a.help(t!("cli.import_gift.out").into_owned()))
}

/// Prints a failure and gives its exit code.
fn fail(f: Failure) -> ExitCode {
    eprintln!("{}", t!("authoring.error", message = f.message));
    if let Some(help) = f.help {
        eprintln!("{}", t!("authoring.help", help = help));
    }
    ExitCode::from(if f.usage { 2 } else { 1 })
}

fn color_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `waymark new <module-id> [--dir DIR]`.
pub fn new(args: &NewArgs) -> ExitCode {
    match new_module(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(f),
    }
}

fn new_module(args: &NewArgs) -> Result<(), Failure> {
    authoring::check_id(&args.id)?;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let target = authoring::new_module_dir(&dir, &args.id)?;
    let locale = rust_i18n::locale().to_string();
    let text = scaffold::module_toml(&args.id, &locale);
    let (file, schemas) = authoring::write_module(&target, &text)?;
    println!("{}", t!("authoring.new.done", path = file.display()));
    for s in schemas {
        println!("{}", t!("authoring.schema_written", path = s.display()));
    }
    println!(
        "{}",
        t!(
            "authoring.new.next",
            dir = target.display(),
            id = args.id.as_str()
        )
    );
    Ok(())
}

/// `waymark schema [--out DIR]`.
pub fn schema(args: &SchemaArgs) -> ExitCode {
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(schema::SCHEMA_DIR));
    match schema::write(&dir) {
        Ok(paths) => {
            for p in paths {
                println!("{}", t!("authoring.schema_written", path = p.display()));
            }
            println!("{}", t!("authoring.schema.next"));
            ExitCode::SUCCESS
        }
        Err(e) => fail(Failure::write(&dir, &e)),
    }
}

/// `waymark handout <module-id> [--lang L] [--facilitator] [--format F] [--out FILE]`; the
/// language is negotiated as for every command.
pub fn handout(cli: &Cli, args: &HandoutArgs) -> ExitCode {
    match make_handout(cli, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(f),
    }
}

fn make_handout(cli: &Cli, args: &HandoutArgs) -> Result<(), Failure> {
    let catalog = curriculum::load(&crate::cli::sources(cli));
    let Some(module) = catalog.module(&args.module) else {
        let failed = catalog.failed_for(&args.module, None);
        let broken = !failed.is_empty()
            || catalog.diagnostics.iter().any(|d| {
                d.severity == Severity::Error
                    && d.path().is_some_and(|p| {
                        Path::new(p)
                            .parent()
                            .and_then(Path::file_name)
                            .is_some_and(|n| n == args.module.as_str())
                    })
            });
        if broken {
            crate::cli::print_failed(&failed);
            return Err(
                Failure::new(t!("authoring.handout.broken", id = args.module.as_str()))
                    .help(t!("authoring.handout.broken_help")),
            );
        }
        let help =
            match validate::suggest(&args.module, catalog.modules.iter().map(|m| m.id.as_str())) {
                Some(s) => t!("check.did_you_mean", suggestion = s).into_owned(),
                None => t!("authoring.handout.list_help").into_owned(),
            };
        return Err(
            Failure::usage(t!("authoring.handout.unknown", id = args.module.as_str())).help(help),
        );
    };
    // The language `run` and `preview` show: `--lang`, then WAYMARK_LANG, LC_ALL, LC_MESSAGES,
    // LANG, as negotiated for the interface; only a language asked for is worth a warning.
    let requested = crate::cli::content_lang(cli);
    let lang = requested
        .clone()
        .unwrap_or_else(|| rust_i18n::locale().to_string());
    let used = handout::content_locale(module, &lang);
    // A copy of the module, or the translation asked for, that has errors: printing the copy the
    // loader kept instead would hand the room text the trainer did not mean.
    let mut failed = catalog.failed_for(&module.id, Some(&lang));
    let language = lang.split(['-', '_']).next().unwrap_or_default();
    if !used.eq_ignore_ascii_case(&lang) && !language.eq_ignore_ascii_case(&lang) {
        failed.extend(
            catalog
                .failed_for(&module.id, Some(language))
                .into_iter()
                .filter(|f| f.locale.is_some()),
        );
    }
    // (A file named after the source language is no translation; `check` says so.)
    failed.retain(|f| {
        !f.locale
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(&module.source_locale))
    });
    if let Some(first) = failed.first() {
        crate::cli::print_failed(&failed);
        return Err(Failure::new(t!(
            "authoring.handout.broken_copy",
            id = module.id.as_str(),
            path = first.path.display()
        ))
        .help(t!("authoring.handout.broken_help")));
    }
    let same_language = |a: &str, b: &str| {
        a.split(['-', '_'])
            .next()
            .zip(b.split(['-', '_']).next())
            .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y))
    };
    if requested.is_some() && !same_language(&used, &lang) {
        eprintln!(
            "{}",
            t!(
                "authoring.handout.no_translation",
                id = module.id.as_str(),
                lang = lang.as_str(),
                used = used.as_str(),
                available = module.locales().join(", ")
            )
        );
    }
    let resources = match crate::dirs::config_dir() {
        None => Resources::empty(),
        Some(dir) => Resources::load(&dir).unwrap_or_else(|d| {
            eprintln!(
                "{}",
                t!("authoring.handout.resources_unusable", message = d.message)
            );
            Resources::empty()
        }),
    };
    let options = handout::Options {
        format: match args.format {
            HandoutFormat::Markdown => handout::Format::Markdown,
            HandoutFormat::Html => handout::Format::Html,
        },
        facilitator: args.facilitator,
        resources: &resources,
    };
    let mut text = handout::render(module, &lang, options);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    match &args.out {
        Some(path) => {
            // Whole or not at all, and never over the score store or another database.
            crate::store::write_atomically(path, |w| {
                w.write_all(text.as_bytes())
                    .map_err(|e| crate::store::StoreError::Write {
                        path: path.clone(),
                        error: e.to_string(),
                    })
            })
            .map_err(|e| Failure::new(e.to_string()))?;
            eprintln!("{}", t!("authoring.handout.written", path = path.display()));
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    }
    Ok(())
}

/// `waymark import-gift <file.gift> --id <module-id> [--out DIR]`.
pub fn import_gift(args: &ImportGiftArgs) -> ExitCode {
    match run_import(args) {
        Ok(code) => code,
        Err(f) => fail(f),
    }
}

fn run_import(args: &ImportGiftArgs) -> Result<ExitCode, Failure> {
    authoring::check_id(&args.id)?;
    let display = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure::usage(t!("cli.check.not_found", path = display)));
        }
        Err(e) => {
            return Err(Failure::new(t!("check.unreadable", error = e.to_string()))
                .help(t!("check.unreadable_help")))
        }
    };
    if bytes.len() as u64 > validate::MAX_FILE_BYTES {
        let file = curriculum::SourceFile::new(display.as_str(), None);
        let d = validate::too_large(&file, bytes.len() as u64);
        eprint!("{}", diagnostic::render_text(&[d], color_stderr()));
        return Ok(ExitCode::from(1));
    }
    let file = match validate::decode(&display, &bytes) {
        Ok(f) => f,
        Err(d) => {
            eprint!("{}", diagnostic::render_text(&[*d], color_stderr()));
            return Ok(ExitCode::from(1));
        }
    };
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let target = authoring::new_module_dir(&dir, &args.id)?;
    let locale = rust_i18n::locale().to_string();
    let import = match gift::convert(&file, &args.id, &locale) {
        Ok(i) => i,
        Err(diags) => {
            eprint!("{}", diagnostic::render_text(&diags, color_stderr()));
            eprintln!("{}", t!("authoring.gift.not_written"));
            return Ok(ExitCode::from(1));
        }
    };
    if !import.diagnostics.is_empty() {
        eprint!(
            "{}",
            diagnostic::render_text(&import.diagnostics, color_stderr())
        );
    }
    let (module_file, schemas) = authoring::write_module(&target, &import.module_toml)?;
    eprintln!(
        "{}",
        t!(
            "authoring.gift.done",
            questions = import.questions,
            slides = import.slides,
            path = module_file.display()
        )
    );
    if !import.skipped.is_empty() {
        let list: Vec<String> = import
            .skipped
            .iter()
            .map(|s| {
                t!(
                    "authoring.gift.skipped_item",
                    file = display.as_str(),
                    line = s.line,
                    what = s.what.as_str()
                )
                .into_owned()
            })
            .collect();
        eprintln!(
            "{}",
            t!(
                "authoring.gift.skipped_list",
                count = import.skipped.len(),
                list = list.join("\n")
            )
        );
    }
    for s in schemas {
        eprintln!("{}", t!("authoring.schema_written", path = s.display()));
    }
    eprintln!("{}", t!("authoring.gift.next", dir = target.display()));
    Ok(ExitCode::SUCCESS)
}
