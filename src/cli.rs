//! The authors' and analysts' face: clap commands, each a thin function over the library parts.
//! Exit codes: 0 fine, 1 problems found, 2 bad usage. Help text goes through the i18n layer.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use rust_i18n::t;

use crate::curriculum::{self, diagnostic, Catalog, PathError, Severity, Sources, Tally};

#[derive(Debug, Parser)]
#[command(name = "waymark", version)]
pub struct Cli {
    /// Extra folder of modules (repeatable); later folders win for the same module id.
    #[arg(long = "curricula", value_name = "DIR", global = true)]
    pub curricula: Vec<PathBuf>,
    /// Data folder (overrides WAYMARK_DATA_DIR and the platform default).
    #[arg(long = "data-dir", value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Interface language, a BCP 47 tag such as `es` or `pt-BR`.
    #[arg(long = "lang", value_name = "LANG", global = true)]
    pub lang: Option<String>,
    /// Colours of the session screens.
    #[arg(long = "theme", value_enum, default_value_t = ThemeArg::Default, global = true)]
    pub theme: ThemeArg,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a workshop (the default when no command is given).
    Run(RunArgs),
    /// Check modules and translations.
    Check(CheckArgs),
    /// List the modules found.
    List,
    /// Show and set the local help resources (help line, emergency number, ...).
    Resources(crate::cli_resources::ResourcesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    Default,
    HighContrast,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Open the set-up of this module directly.
    #[arg(value_name = "MODULE")]
    pub module: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Module folders, folders of modules, or single module or translation files.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Help text from the i18n layer, so `--help` speaks the interface language.
fn localized_command() -> clap::Command {
    Cli::command()
        .about(t!("cli.about").into_owned())
        .mut_arg("curricula", |a| a.help(t!("cli.curricula").into_owned()))
        .mut_arg("data_dir", |a| a.help(t!("cli.data_dir").into_owned()))
        .mut_arg("lang", |a| a.help(t!("cli.lang").into_owned()))
        .mut_arg("theme", |a| a.help(t!("cli.theme").into_owned()))
        .mut_subcommand("run", |c| {
            c.about(t!("cli.run.about").into_owned())
                .mut_arg("module", |a| a.help(t!("cli.run.module").into_owned()))
        })
        .mut_subcommand("check", |c| {
            c.about(t!("cli.check.about").into_owned())
                .mut_arg("paths", |a| a.help(t!("cli.check.paths").into_owned()))
                .mut_arg("format", |a| a.help(t!("cli.check.format").into_owned()))
                .mut_arg("deny_warnings", |a| {
                    a.help(t!("cli.check.deny_warnings").into_owned())
                })
        })
        .mut_subcommand("list", |c| c.about(t!("cli.list.about").into_owned()))
        .mut_subcommand("resources", crate::cli_resources::localize)
}

/// The `--lang` value, read before clap so that clap's own help is already localized.
fn lang_flag(args: &[OsString]) -> Option<String> {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--lang" {
            return it.next().map(|v| v.into_owned());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

/// Runs the command line of this process.
pub fn run() -> ExitCode {
    run_with(std::env::args_os().collect())
}

pub fn run_with(args: Vec<OsString>) -> ExitCode {
    let available = rust_i18n::available_locales!();
    let available: Vec<&str> = available.iter().map(|s| s.as_ref()).collect();
    let env = crate::i18n::LocaleEnv::from_process(lang_flag(&args));
    crate::i18n::set(&crate::i18n::negotiate(&env, &available));
    let matches: ArgMatches = match localized_command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    match &cli.command {
        Some(Command::Check(args)) => check(&cli, args),
        Some(Command::List) => list(&cli),
        Some(Command::Run(args)) => run_tui(&cli, args.module.clone()),
        None => run_tui(&cli, None),
        Some(Command::Resources(args)) => crate::cli_resources::run(args),
    }
}

fn sources(cli: &Cli) -> Sources {
    let data = crate::dirs::data_dir(cli.data_dir.as_deref());
    let env = std::env::var_os("WAYMARK_CURRICULA");
    Sources::standard(data.as_deref(), env.as_deref(), &cli.curricula)
}

fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `waymark check [PATH ...]`.
pub fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let mut catalog = if args.paths.is_empty() {
        curriculum::load(&sources(cli))
    } else {
        match curriculum::load_paths(&args.paths) {
            Ok(c) => c,
            Err(PathError::NotFound(p)) => {
                eprintln!("{}", t!("cli.check.not_found", path = p.display()));
                return ExitCode::from(2);
            }
            Err(PathError::NotCurriculum(p)) => {
                eprintln!("{}", t!("cli.check.not_curriculum", path = p.display()));
                return ExitCode::from(2);
            }
        }
    };
    let resource_warnings = crate::cli_resources::check_diagnostics(&catalog);
    catalog.diagnostics.extend(resource_warnings);
    let tally = Tally::of(&catalog.diagnostics);
    let out = match args.format {
        Format::Json => check_json(&catalog, tally),
        Format::Text => check_text(&catalog, tally),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    let failed = tally.errors > 0 || (args.deny_warnings && tally.warnings > 0);
    ExitCode::from(u8::from(failed))
}

fn check_text(catalog: &Catalog, tally: Tally) -> String {
    let mut out = diagnostic::render_text(&catalog.diagnostics, color_stdout());
    for m in &catalog.modules {
        let langs: Vec<String> = std::iter::once(m.source_locale.clone())
            .chain(
                m.translations
                    .values()
                    .map(|tr| format!("{} ({})", tr.locale, tr.status.name())),
            )
            .collect();
        out.push_str(&t!(
            "cli.check.module_line",
            id = m.id.as_str(),
            version = m.version,
            langs = langs.join(", "),
            dir = m.origin.dir.display()
        ));
        out.push('\n');
    }
    let translations: usize = catalog.modules.iter().map(|m| m.translations.len()).sum();
    out.push_str(&t!(
        "cli.check.summary",
        modules = catalog.modules.len(),
        translations = translations,
        errors = tally.errors,
        warnings = tally.warnings
    ));
    out.push('\n');
    out
}

fn check_json(catalog: &Catalog, tally: Tally) -> String {
    let diagnostics: Vec<diagnostic::JsonDiagnostic<'_>> =
        catalog.diagnostics.iter().map(Into::into).collect();
    let modules: Vec<serde_json::Value> = catalog
        .modules
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "version": m.version,
                "source_locale": m.source_locale,
                "dir": m.origin.dir,
                "source": m.origin.kind,
                "translations": m.translations.values().map(|tr| serde_json::json!({
                    "locale": tr.locale, "status": tr.status, "path": tr.path,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "diagnostics": diagnostics,
        "modules": modules,
        "summary": tally,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// `waymark list`: the modules found, with their languages.
pub fn list(cli: &Cli) -> ExitCode {
    let catalog = curriculum::load(&sources(cli));
    let errors = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::new();
    for m in &catalog.modules {
        out.push_str(&t!(
            "cli.list.line",
            id = m.id.as_str(),
            title = m.title.as_str(),
            minutes = m.minutes,
            langs = m.locales().join(", ")
        ));
        out.push('\n');
    }
    if errors > 0 {
        out.push_str(&t!("cli.list.errors", count = errors));
        out.push('\n');
    }
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// The score store behind the session screens.
fn recorder(data_dir: Option<PathBuf>) -> crate::tui::Recorder {
    Box::new(move |result| {
        let dir = data_dir
            .clone()
            .ok_or_else(|| t!("run.no_data_dir").into_owned())?;
        let mut store = crate::store::Store::open(&dir).map_err(|e| e.to_string())?;
        store.record(result).map(|_| ()).map_err(|e| e.to_string())
    })
}

/// `waymark` and `waymark run [MODULE]`: the facilitator's session screens.
pub fn run_tui(cli: &Cli, module: Option<String>) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("{}", t!("cli.run.no_terminal"));
        return ExitCode::from(2);
    }
    let catalog = curriculum::load(&sources(cli));
    let data_dir = crate::dirs::data_dir(cli.data_dir.as_deref());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = crate::tui::app::Options {
        theme: crate::tui::theme::Theme::pick(cli.theme == ThemeArg::HighContrast, no_color),
        locale: rust_i18n::locale().to_string(),
        module,
        preview: false,
        today: chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    let launch = crate::tui::Launch {
        catalog,
        options,
        recorder: recorder(data_dir.clone()),
        data_dir,
    };
    match crate::tui::run(launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("cli.run.failed", error = e.to_string()));
            ExitCode::from(1)
        }
    }
}
