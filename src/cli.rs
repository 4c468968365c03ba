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
    /// Extra folder of interface locale files (`<lang>.yml`, repeatable); later folders win.
    #[arg(long = "locales", value_name = "DIR", global = true)]
    pub locales: Vec<PathBuf>,
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
    /// Show a module on the session screens, reloading on every save; nothing is recorded.
    Preview(PreviewArgs),
    /// List the modules found.
    List,
    /// Show and set the local help resources (help line, emergency number, ...).
    Resources(crate::cli_resources::ResourcesArgs),
    /// Report what the stored sessions add up to.
    Report(crate::cli_store::ReportArgs),
    /// Export the stored sessions (small counts suppressed), or a bundle for merging.
    Export(crate::cli_store::ExportArgs),
    /// Merge bundles from other machines into this store.
    Import(crate::cli_store::ImportArgs),
    /// Tools for translators: status, new and update of module and interface translations.
    Translate(crate::cli_translate::TranslateArgs),
    /// Start a new module from a checked skeleton with every step kind and question type.
    New(crate::cli_authoring::NewArgs),
    /// Write the JSON Schemas that let editors check module and translation files as you type.
    Schema(crate::cli_authoring::SchemaArgs),
    /// Print a module as a handout (Markdown or HTML), for participants or the facilitator.
    Handout(crate::cli_authoring::HandoutArgs),
    /// Turn a Moodle GIFT quiz into a new module.
    ImportGift(crate::cli_authoring::ImportGiftArgs),
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
pub struct PreviewArgs {
    /// A module folder, or a file in it.
    #[arg(value_name = "MODULE_DIR_OR_FILE")]
    pub path: PathBuf,
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
    crate::i18n::help::localize(localized_texts())
}

fn localized_texts() -> clap::Command {
    Cli::command()
        .about(t!("cli.about").into_owned())
        .mut_arg("curricula", |a| a.help(t!("cli.curricula").into_owned()))
        .mut_arg("data_dir", |a| a.help(t!("cli.data_dir").into_owned()))
        .mut_arg("lang", |a| a.help(t!("cli.lang").into_owned()))
        .mut_arg("theme", |a| a.help(t!("cli.theme").into_owned()))
        .mut_subcommand("preview", |c| {
            c.about(t!("cli.preview.about").into_owned())
                .mut_arg("path", |a| a.help(t!("cli.preview.path").into_owned()))
        })
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
        .mut_subcommand("report", crate::cli_store::localize_report)
        .mut_subcommand("export", crate::cli_store::localize_export)
        .mut_subcommand("import", crate::cli_store::localize_import)
        .mut_subcommand("translate", crate::cli_translate::localize)
        .mut_subcommand("new", crate::cli_authoring::localize_new)
        .mut_subcommand("schema", crate::cli_authoring::localize_schema)
        .mut_subcommand("handout", crate::cli_authoring::localize_handout)
        .mut_subcommand("import-gift", crate::cli_authoring::localize_import_gift)
        .mut_arg("locales", |a| a.help(t!("cli.locales").into_owned()))
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
    // The language asked for is kept even without interface strings of its own (`sw`): it is
    // the language of the module content too, and each interface string falls back on its own.
    let env = crate::i18n::LocaleEnv::from_process(lang_flag(&args));
    crate::i18n::set(&crate::i18n::negotiate(&env));
    let problems = crate::cli_translate::load_runtime_locales(&args);
    let matches: ArgMatches = match localized_command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            crate::cli_translate::warn_locale_problems(&problems);
            return ExitCode::from(crate::i18n::help::print_error(&e));
        }
    };
    // `check` reports the locale files itself; the session screens show a line instead, since
    // nothing printed under them would be seen.
    let tui = matches!(matches.subcommand_name(), None | Some("run" | "preview"))
        && std::io::stdout().is_terminal()
        && std::io::stdin().is_terminal();
    let notice = if tui {
        crate::cli_translate::locale_problems_line(&problems)
    } else {
        if matches.subcommand_name() != Some("check") {
            crate::cli_translate::warn_locale_problems(&problems);
        }
        None
    };
    if let Some(code) = crate::i18n::help::help_command(&mut localized_command(), &matches) {
        return code;
    }
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
        Some(Command::Run(args)) => run_tui(&cli, args.module.clone(), notice),
        Some(Command::Preview(args)) => preview(&cli, &args.path, notice),
        None => run_tui(&cli, None, notice),
        Some(Command::Resources(args)) => crate::cli_resources::run(args),
        Some(Command::Report(args)) => crate::cli_store::report(cli.data_dir.as_deref(), args),
        Some(Command::Export(args)) => crate::cli_store::export(cli.data_dir.as_deref(), args),
        Some(Command::Import(args)) => crate::cli_store::import(cli.data_dir.as_deref(), args),
        Some(Command::Translate(args)) => crate::cli_translate::run(&cli, args),
        Some(Command::New(args)) => crate::cli_authoring::new(args),
        Some(Command::Schema(args)) => crate::cli_authoring::schema(args),
        Some(Command::Handout(args)) => crate::cli_authoring::handout(&cli, args),
        Some(Command::ImportGift(args)) => crate::cli_authoring::import_gift(args),
    }
}

/// The language of module content the facilitator asked for (`--lang`, then the environment),
/// as negotiated for the interface; `None` when nothing (or `C`) is set: then each module is
/// shown in its own source language.
pub(crate) fn content_lang(cli: &Cli) -> Option<String> {
    crate::i18n::negotiate::requested(&crate::i18n::LocaleEnv::from_process(cli.lang.clone()))
}

pub(crate) fn sources(cli: &Cli) -> Sources {
    let data = crate::dirs::data_dir(cli.data_dir.as_deref());
    let env = std::env::var_os("WAYMARK_CURRICULA");
    Sources::standard(data.as_deref(), env.as_deref(), &cli.curricula)
}

/// Prints the diagnostics of files that did not load (their errors, and which copy is used
/// instead) on stderr, as `check` shows them.
pub(crate) fn print_failed(failed: &[&curriculum::Failed]) {
    let diags: Vec<curriculum::Diagnostic> = failed
        .iter()
        .flat_map(|f| f.diagnostics.iter().cloned())
        .collect();
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(diagnostic::render_text(&diags, color).as_bytes());
}

fn color_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `waymark check [PATH ...]`.
pub fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let (locale_paths, paths) = crate::cli_translate::split_locale_paths(&args.paths);
    let mut catalog = if args.paths.is_empty() {
        curriculum::load(&sources(cli))
    } else if paths.is_empty() {
        Catalog::default()
    } else {
        match curriculum::load_paths(&paths) {
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
    let locale_problems = crate::cli_translate::check_diagnostics(cli, &args.paths, &locale_paths);
    catalog.diagnostics.extend(locale_problems);
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
            .chain(m.translations.values().map(|tr| {
                let status = match tr.status {
                    curriculum::TranslationStatus::Draft => t!("start.status_draft"),
                    curriculum::TranslationStatus::Reviewed => t!("start.status_reviewed"),
                };
                format!("{} ({status})", tr.locale)
            }))
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
        out.push_str(&crate::tn!("cli.list.errors", errors));
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

/// `waymark` and `waymark run [MODULE]`: the facilitator's session screens. `notice` is shown on
/// the start screen (a problem with a locale file).
pub fn run_tui(cli: &Cli, module: Option<String>, notice: Option<String>) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("{}", t!("cli.run.no_terminal"));
        return ExitCode::from(2);
    }
    let mut catalog = curriculum::load(&sources(cli));
    fill_resources(&mut catalog);
    let data_dir = crate::dirs::data_dir(cli.data_dir.as_deref());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = crate::tui::app::Options {
        theme: crate::tui::theme::Theme::pick(cli.theme == ThemeArg::HighContrast, no_color),
        locale: rust_i18n::locale().to_string(),
        module,
        preview: false,
        today: chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    let report_dir = data_dir.clone();
    let reporter: crate::tui::Reporter = Box::new(move || {
        let dir = report_dir
            .clone()
            .ok_or_else(|| t!("run.no_data_dir").into_owned())?;
        if !crate::store::Store::exists(&dir) {
            return Err(t!("reports.empty").into_owned());
        }
        let store = crate::store::Store::open(&dir).map_err(|e| e.to_string())?;
        crate::store::report::report(&store, &crate::store::Filter::default())
            .map_err(|e| e.to_string())
    });
    let launch = crate::tui::Launch {
        catalog,
        options,
        services: crate::tui::Services {
            recorder: recorder(data_dir.clone()),
            reporter,
        },
        data_dir,
        watch: None,
        notice,
    };
    match crate::tui::run(launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("cli.run.failed", error = e.to_string()));
            ExitCode::from(1)
        }
    }
}

/// The module folder a preview path names, or why it names none.
fn preview_dir(path: &std::path::Path) -> Result<PathBuf, String> {
    let dir = if path.is_file() {
        path.parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    } else {
        path.to_path_buf()
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    if !dir.join("module.toml").is_file() {
        return Err(t!("cli.preview.not_module", path = path.display()).into_owned());
    }
    Ok(dir.canonicalize().unwrap_or(dir))
}

/// `waymark preview <module-dir-or-file>`: the session screens on one module, reloaded on save.
pub fn preview(cli: &Cli, path: &std::path::Path, notice: Option<String>) -> ExitCode {
    let dir = match preview_dir(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("{}", t!("cli.run.no_terminal"));
        return ExitCode::from(2);
    }
    let load_dir = dir.clone();
    // The trainer sees the module as the room will, with the help resources filled in.
    let load = move || {
        let mut catalog =
            curriculum::load_paths(std::slice::from_ref(&load_dir)).unwrap_or_default();
        fill_resources(&mut catalog);
        catalog
    };
    let catalog = load();
    let id = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let watch = match crate::tui::preview::Watch::new(&dir, Box::new(load)) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}", t!("cli.preview.watch_failed", error = e.to_string()));
            return ExitCode::from(1);
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let options = crate::tui::app::Options {
        theme: crate::tui::theme::Theme::pick(cli.theme == ThemeArg::HighContrast, no_color),
        locale: rust_i18n::locale().to_string(),
        module: id,
        preview: true,
        today: chrono::Local::now().format("%Y-%m-%d").to_string(),
    };
    let launch = crate::tui::Launch {
        catalog,
        options,
        services: crate::tui::Services {
            recorder: Box::new(|_| Ok(())),
            reporter: Box::new(|| Err(t!("reports.not_in_preview").into_owned())),
        },
        data_dir: None,
        watch: Some(watch),
        notice,
    };
    match crate::tui::run(launch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("cli.run.failed", error = e.to_string()));
            ExitCode::from(1)
        }
    }
}

/// Puts the facilitator's local help resources (`resources.toml`) into every module text, in
/// each text's own language; an unset one shows its "ask your facilitator" marker. A broken
/// resources file leaves the markers in place (`waymark check` reports it).
fn fill_resources(catalog: &mut Catalog) {
    crate::dirs::config_dir()
        .and_then(|dir| crate::resources::Resources::load(&dir).ok())
        .unwrap_or_default()
        .fill_catalog(catalog);
}
