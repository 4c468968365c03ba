//! `waymark translate`: status of every module and interface translation, and `new` / `update`,
//! which write translation files with the English above each string and fingerprints filled in.
//! Also the interface-locale part of `waymark check`. A thin face over `curriculum` and `i18n`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use rust_i18n::t;

use crate::cli::{Cli, Format};
use crate::curriculum::diagnostic::{Diagnostic, Severity};
use crate::curriculum::load::{builtin_files, BUILTIN_PREFIX};
use crate::curriculum::model::fingerprint;
use crate::curriculum::{locale_tag, Module, SourceKind, StepKind};
use crate::i18n::audit::{self, Unit};
use crate::i18n::locale_file::LocaleFile;
use crate::i18n::{plural, runtime};

#[derive(Debug, clap::Args)]
pub struct TranslateArgs {
    #[command(subcommand)]
    pub action: TranslateAction,
}

#[derive(Debug, Subcommand)]
pub enum TranslateAction {
    /// What is translated, missing and stale, for every module and the interface.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a new translation file: MODULE LANG, or --ui LANG for the interface.
    New(TargetArgs),
    /// Bring a translation file up to date with its English source, keeping the translations.
    Update(TargetArgs),
}

#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// The interface strings instead of a module.
    #[arg(long)]
    pub ui: bool,
    /// MODULE LANG (or only LANG with --ui).
    #[arg(value_name = "MODULE_AND_LANG", num_args = 1..=2, required = true)]
    pub targets: Vec<String>,
}

/// Help text from the i18n layer, as for the other commands.
pub fn localize(c: clap::Command) -> clap::Command {
    let target = |c: clap::Command| {
        c.mut_arg("ui", |a| a.help(t!("cli.translate.ui").into_owned()))
            .mut_arg("targets", |a| {
                a.help(t!("cli.translate.targets").into_owned())
            })
    };
    c.about(t!("cli.translate.about").into_owned())
        .mut_subcommand("status", |c| {
            c.about(t!("cli.translate.status.about").into_owned())
                .mut_arg("format", |a| a.help(t!("cli.check.format").into_owned()))
        })
        .mut_subcommand("new", |c| {
            target(c.about(t!("cli.translate.new.about").into_owned()))
        })
        .mut_subcommand("update", |c| {
            target(c.about(t!("cli.translate.update.about").into_owned()))
        })
}

/// The value of `--name VALUE` or `--name=VALUE` (every occurrence), read before clap runs.
fn flag_values(args: &[OsString], name: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let long = format!("--{name}");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let s = a.to_string_lossy();
        if s == long {
            if let Some(v) = it.next() {
                out.push(PathBuf::from(v));
            }
        } else if let Some(v) = s.strip_prefix(&format!("{long}=")) {
            out.push(PathBuf::from(v));
        }
    }
    out
}

/// Installs the run-time locale files before the command line is read, so that a file a
/// translator dropped in is a language like any other, help text included. Returns what keeps a
/// file or one of its strings from being used, in the interface language of the process (call
/// it once the language is set), for `warn_locale_problems` or the start screen.
pub fn load_runtime_locales(args: &[OsString]) -> Vec<LocaleProblem> {
    let data = flag_values(args, "data-dir").pop();
    let data = crate::dirs::data_dir(data.as_deref());
    let dirs = runtime::dirs(data.as_deref(), &flag_values(args, "locales"));
    let loaded = runtime::load(&dirs);
    if !loaded
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return Vec::new();
    }
    // Read again now that the files are installed, so the messages come in the language of
    // the interface even when that language is itself a run-time file.
    let loaded = runtime::read_dirs(&dirs);
    loaded
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let left_out = !loaded.files.iter().any(|f| Some(f.file.path()) == d.path());
            LocaleProblem {
                diagnostic: d,
                left_out,
            }
        })
        .collect()
}

/// A problem of a run-time locale file found at start-up: the file is left out, or (for a
/// `%{name}` mismatch) one string is.
#[derive(Debug, Clone)]
pub struct LocaleProblem {
    pub diagnostic: Diagnostic,
    /// The whole file is not used.
    pub left_out: bool,
}

/// Prints each problem once on stderr, as a warning: `path:line:col`, what, how to fix, and that
/// `waymark check` tells more. The command goes on with the files that loaded.
pub fn warn_locale_problems(problems: &[LocaleProblem]) {
    if problems.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    for p in problems {
        let d = &p.diagnostic;
        let mut text = t!("diag.severity.warning").into_owned();
        if let Some(pos) = d.position() {
            text.push_str(&format!(": {pos}"));
        }
        text.push_str(&format!(": {}\n", d.message));
        if let Some(help) = &d.help {
            text.push_str(&format!("  {}: {help}\n", t!("diag.help")));
        }
        let note = if p.left_out {
            t!("locale.runtime_left_out")
        } else {
            t!("locale.runtime_see_check")
        };
        text.push_str(&format!("  {}: {note}\n", t!("diag.severity.note")));
        let _ = err.write_all(text.as_bytes());
    }
}

/// The problems as one line for the start screen, where nothing may be printed under the
/// session screens: the first problem and how many there are.
pub fn locale_problems_line(problems: &[LocaleProblem]) -> Option<String> {
    let first = &problems.first()?.diagnostic;
    Some(crate::tn!(
        "locale.runtime_problems_line",
        problems.len(),
        place = first
            .position()
            .unwrap_or_else(|| first.path().unwrap_or_default().to_string()),
        message = first.message.as_str()
    ))
}

fn locale_dirs(cli: &Cli) -> Vec<PathBuf> {
    let data = crate::dirs::data_dir(cli.data_dir.as_deref());
    runtime::dirs(data.as_deref(), &cli.locales)
}

fn is_locale_path(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yml" || e == "yaml")
}

/// Splits the paths of `check` into locale files and curriculum paths.
pub fn split_locale_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    paths.iter().cloned().partition(|p| is_locale_path(p))
}

/// Interface locale problems for `waymark check`: with no paths, every built-in and run-time
/// locale file; otherwise the `.yml` files named.
pub fn check_diagnostics(cli: &Cli, all: &[PathBuf], locale_paths: &[PathBuf]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if all.is_empty() {
        let en = audit::english();
        for locale in crate::i18n::builtin_locales() {
            if let Some(f) = crate::i18n::builtin_file(&locale) {
                out.extend(audit::audit(&f, en));
            }
        }
        out.extend(runtime::read_dirs(&locale_dirs(cli)).diagnostics);
    } else {
        // A file named on the command line falls back to the run-time files in use, as it
        // would if it were among them (`pt-BR.yml` to a `pt.yml`).
        let others = if locale_paths.is_empty() {
            Vec::new()
        } else {
            runtime::read_dirs(&locale_dirs(cli)).files
        };
        for p in locale_paths {
            out.extend(runtime::read_file_among(p, &others).1);
        }
    }
    out
}

/// `waymark translate ...`.
pub fn run(cli: &Cli, args: &TranslateArgs) -> ExitCode {
    let outcome = match &args.action {
        TranslateAction::Status { format } => return status(cli, *format),
        TranslateAction::New(t) => target(t).and_then(|tg| match tg {
            Target::Ui(lang) => new_ui(cli, &lang),
            Target::Module(id, lang) => new_module(cli, &id, &lang),
        }),
        TranslateAction::Update(t) => target(t).and_then(|tg| match tg {
            Target::Ui(lang) => update_ui(cli, &lang),
            Target::Module(id, lang) => update_module(cli, &id, &lang),
        }),
    };
    // A closed pipe (`| head`) is not an error worth a panic: the file is already written.
    match outcome {
        Ok(message) => {
            let _ = writeln!(std::io::stdout().lock(), "{message}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(m)) => {
            let _ = writeln!(std::io::stderr().lock(), "{m}");
            ExitCode::from(2)
        }
        Err(Failure::Problem(m)) => {
            let _ = writeln!(std::io::stderr().lock(), "{m}");
            ExitCode::from(1)
        }
    }
}

/// Why a command did nothing: bad usage (exit 2) or a file problem (exit 1).
enum Failure {
    Usage(String),
    Problem(String),
}

enum Target {
    Ui(String),
    Module(String, String),
}

fn target(args: &TargetArgs) -> Result<Target, Failure> {
    let (module, lang) = match (args.ui, args.targets.as_slice()) {
        (true, [lang]) => (None, lang.clone()),
        (false, [module, lang]) => (Some(module.clone()), lang.clone()),
        (true, _) => return Err(Failure::Usage(t!("translate.ui_takes_lang").into_owned())),
        (false, _) => return Err(Failure::Usage(t!("translate.module_and_lang").into_owned())),
    };
    if !locale_tag::is_valid(&lang) {
        return Err(Failure::Usage(
            t!("translate.bad_lang", lang = lang.as_str()).into_owned(),
        ));
    }
    let lang = locale_tag::canonical(&lang);
    Ok(match module {
        None => Target::Ui(lang),
        Some(m) => Target::Module(m, lang),
    })
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::Problem(
            t!(
                "translate.write_failed",
                path = path.display(),
                error = e.to_string()
            )
            .into_owned(),
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Private (0700), as the store makes it: a translation written first must not leave the
        // data folder readable by everyone.
        crate::store::create_private_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp).map_err(fail)?;
        f.write_all(text.as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}

/// A comment block: `# label` then the text, each line behind `# `.
fn comment(out: &mut String, indent: &str, label: &str, text: &str) {
    if !text.contains('\n') {
        out.push_str(&format!("{indent}# {label} {text}\n"));
        return;
    }
    out.push_str(&format!("{indent}# {label}\n"));
    for line in text.trim_end_matches('\n').lines() {
        if line.is_empty() {
            out.push_str(&format!("{indent}#\n"));
        } else {
            out.push_str(&format!("{indent}#   {line}\n"));
        }
    }
}

fn header(out: &mut String, lines: &[String]) {
    for l in lines {
        if l.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {l}\n"));
        }
    }
}

fn header_lines(key: &str, what: &str, lang: &str) -> Vec<String> {
    t!(key, what = what, lang = lang)
        .lines()
        .map(ToString::to_string)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Modules

fn catalog(cli: &Cli) -> crate::curriculum::Catalog {
    crate::curriculum::load(&crate::cli::sources(cli))
}

fn find_module<'c>(
    catalog: &'c crate::curriculum::Catalog,
    id: &str,
) -> Result<&'c Module, Failure> {
    catalog.module(id).ok_or_else(|| {
        // Only copies with errors: say so, with the errors, rather than "no such module".
        let failed = catalog.failed_for(id, None);
        if !failed.is_empty() {
            crate::cli::print_failed(&failed);
            return Failure::Problem(t!("translate.broken_module", id = id).into_owned());
        }
        let mut m = t!("translate.unknown_module", id = id).into_owned();
        if let Some(s) =
            crate::curriculum::validate::suggest(id, catalog.modules.iter().map(|m| m.id.as_str()))
        {
            m.push('\n');
            m.push_str(&t!("check.did_you_mean", suggestion = s));
        }
        Failure::Usage(m)
    })
}

/// Where a translation of `module` into `lang` is written: beside `module.toml`, or for a
/// built-in module in `curricula/<id>/` of the data folder (read as an overlay).
fn module_target(cli: &Cli, module: &Module, lang: &str) -> Result<PathBuf, Failure> {
    if module.origin.kind == SourceKind::BuiltIn {
        let data = crate::dirs::data_dir(cli.data_dir.as_deref())
            .ok_or_else(|| Failure::Problem(t!("store.no_data_dir").into_owned()))?;
        Ok(data
            .join("curricula")
            .join(&module.id)
            .join(format!("{lang}.toml")))
    } else {
        Ok(module.origin.dir.join(format!("{lang}.toml")))
    }
}

/// Refuses to work on `module` when a later copy of it, or a translation into `lang` other than
/// `target` itself, has errors: the loader keeps the earlier copy in use, and writing from it
/// would quietly leave the file the translator meant untouched. The errors are printed.
fn refuse_broken_copies(
    catalog: &crate::curriculum::Catalog,
    module: &Module,
    lang: &str,
    target: &Path,
) -> Result<(), Failure> {
    let failed: Vec<&crate::curriculum::Failed> = catalog
        .failed_for(&module.id, Some(lang))
        .into_iter()
        .filter(|f| f.locale.is_none() || f.path != target)
        .collect();
    let Some(first) = failed.first() else {
        return Ok(());
    };
    crate::cli::print_failed(&failed);
    Err(Failure::Problem(
        t!(
            "translate.broken_copy",
            path = first.path.display(),
            id = module.id.as_str()
        )
        .into_owned(),
    ))
}

fn check_lang(module: &Module, lang: &str) -> Result<(), Failure> {
    if lang.eq_ignore_ascii_case(&module.source_locale) {
        return Err(Failure::Usage(
            t!("check.translation_of_source", tag = lang).into_owned(),
        ));
    }
    Ok(())
}

/// What an existing translation file holds, read loosely: a file with errors can still be
/// updated, so nothing translated is lost.
#[derive(Debug, Default)]
pub struct OldTranslation {
    /// The editor's `#:schema` line, as written (kept, never written twice).
    pub directive: Option<String>,
    pub header: Vec<String>,
    pub status: Option<String>,
    pub texts: BTreeMap<String, String>,
    pub fingerprints: BTreeMap<String, String>,
    /// Translations an earlier update kept as comments, because the English had lost their key.
    pub obsolete: Vec<ObsoleteEntry>,
}

/// One translation kept as a comment at the end of a file: its key and its lines as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsoleteEntry {
    pub key: String,
    pub lines: Vec<String>,
}

impl ObsoleteEntry {
    /// `# key = "text"` for a module file; the lines of a multi-line text behind `#   `.
    fn toml(key: &str, text: &str) -> Self {
        let lines = format!("{key} = {}", toml_str(text))
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{}{l}", if i == 0 { "# " } else { "#   " }))
            .collect();
        ObsoleteEntry {
            key: key.to_string(),
            lines,
        }
    }

    /// `# key: "text"` for an interface file.
    fn yaml(key: &str, text: &str) -> Self {
        ObsoleteEntry {
            key: key.to_string(),
            lines: vec![format!("# {key}: {}", yaml_str(text))],
        }
    }
}

/// The key of `line` if it opens a translation kept as a comment in a module file.
/// Source comments (`# English: ...`) and notes never match: their first word is no plain key.
fn toml_obsolete_key(line: &str) -> Option<&str> {
    let (key, value) = line.strip_prefix("# ")?.split_once(" = ")?;
    let plain = !key.is_empty()
        && !key.contains(|c: char| c.is_whitespace() || matches!(c, ':' | '"' | '\'' | '='));
    (plain && value.starts_with(['"', '\''])).then_some(key)
}

/// The key of `line` if it opens a translation kept as a comment in an interface file: every
/// interface key has a dot, and the value is one double-quoted string, as `update` writes it.
fn yaml_obsolete_key(line: &str) -> Option<&str> {
    let (key, value) = line.strip_prefix("# ")?.split_once(": ")?;
    let plain = key.contains('.') && !key.contains(char::is_whitespace);
    (plain && serde_json::from_str::<String>(value).is_ok()).then_some(key)
}

/// Reads back the translations an earlier update kept as comments, so that the next update
/// carries them on instead of dropping them. An entry is the line `entry_key` recognises and the
/// lines after it behind `#   ` (or a bare `#`): the rest of a multi-line text. Other comments,
/// such as the note above the block in whatever language it was written in, are left out: the
/// note is written again.
fn read_obsolete(text: &str, entry_key: fn(&str) -> Option<&str>) -> Vec<ObsoleteEntry> {
    let mut out: Vec<ObsoleteEntry> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(key) = entry_key(line) {
            out.push(ObsoleteEntry {
                key: key.to_string(),
                lines: vec![line.to_string()],
            });
            open = true;
        } else if open && (line.starts_with("#  ") || line == "#") {
            if let Some(e) = out.last_mut() {
                e.lines.push(line.to_string());
            }
        } else {
            open = false;
        }
    }
    out
}

/// The block at the end of a file that keeps translations the English no longer has: the note,
/// then each entry once, in the order given (those kept before first). Returns how many.
fn write_obsolete(out: &mut String, entries: Vec<ObsoleteEntry>) -> usize {
    let mut kept: Vec<ObsoleteEntry> = Vec::new();
    for e in entries {
        if !kept.contains(&e) {
            kept.push(e);
        }
    }
    if kept.is_empty() {
        return 0;
    }
    out.push('\n');
    for l in t!("translate.obsolete_note").lines() {
        out.push_str(&format!("# {l}\n"));
    }
    for e in &kept {
        for l in &e.lines {
            out.push_str(l);
            out.push('\n');
        }
    }
    kept.len()
}

/// Whether `line` is a Taplo (Even Better TOML) `#:schema` directive.
fn is_directive(line: &str) -> bool {
    line.trim_start().starts_with("#:schema")
}

fn header_of(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#'))
        .filter(|l| !is_directive(l))
        .map(|l| {
            let l = l.trim_start().trim_start_matches('#');
            l.strip_prefix(' ').unwrap_or(l).to_string()
        })
        .collect()
}

/// Reads a module translation file as TOML, without checking it against its module.
pub fn read_old_translation(text: &str) -> Result<OldTranslation, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.message().to_string())?;
    let mut old = OldTranslation {
        directive: text
            .lines()
            .take_while(|l| l.trim_start().starts_with('#'))
            .find(|l| is_directive(l))
            .map(|l| l.trim().to_string()),
        header: header_of(text),
        obsolete: read_obsolete(text, toml_obsolete_key),
        ..Default::default()
    };
    let s = |v: &toml::Value| v.as_str().map(ToString::to_string);
    old.status = table.get("status").and_then(s);
    for k in ["title", "summary", "audience"] {
        if let Some(v) = table.get(k).and_then(s) {
            old.texts.insert(k.to_string(), v);
        }
    }
    if let Some(steps) = table.get("steps").and_then(toml::Value::as_table) {
        for (id, st) in steps {
            let Some(st) = st.as_table() else { continue };
            for (field, v) in st {
                let key = format!("steps.{id}.{field}");
                match v {
                    toml::Value::String(text) => {
                        old.texts.insert(key, text.clone());
                    }
                    toml::Value::Array(items) => {
                        for (i, p) in items.iter().enumerate() {
                            if let Some(p) = s(p) {
                                old.texts.insert(format!("{key}.{}", i + 1), p);
                            }
                        }
                    }
                    toml::Value::Table(choices) => {
                        for (cid, c) in choices {
                            if let Some(c) = s(c) {
                                old.texts.insert(format!("{key}.{cid}"), c);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(fps) = table.get("fingerprints").and_then(toml::Value::as_table) {
        for (k, v) in fps {
            if let Some(v) = s(v) {
                old.fingerprints.insert(k.clone(), v);
            }
        }
    }
    old.texts.retain(|_, v| !v.trim().is_empty());
    Ok(old)
}

/// What `new` or `update` did, for the closing message.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Strings with no translation yet.
    pub todo: usize,
    /// Translations kept as they were.
    pub kept: usize,
    /// Kept, but their English has changed since: marked for review.
    pub stale: usize,
    /// Kept with no fingerprint before: given the current one.
    pub adopted: usize,
    /// Translations of texts the module no longer has, kept as comments.
    pub obsolete: usize,
    /// Interface strings left empty that a regional file takes from its base language.
    pub inherited: usize,
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// One translated value: a string, or for a multi-line source left empty, an empty block.
fn toml_value(source: &str, text: Option<&str>) -> String {
    match text {
        Some(t) => toml_str(t),
        None if source.contains('\n') => "\"\"\"\n\"\"\"".into(),
        None => "\"\"".into(),
    }
}

/// Writes the keys of a module translation in order, deciding each fingerprint.
struct Builder<'o> {
    old: &'o OldTranslation,
    english: String,
    stale_note: String,
    w: Written,
    /// (key, fingerprint written, the current one when stale).
    fps: Vec<(String, String, Option<String>)>,
    out: String,
}

impl Builder<'_> {
    /// The kept translation of `key`, if any, and whether its English changed since.
    fn decide(&mut self, key: &str, src: &str) -> (Option<String>, bool) {
        let current = fingerprint(src);
        let text = self.old.texts.get(key).cloned();
        let (fp, stale) = match (&text, self.old.fingerprints.get(key)) {
            (Some(_), Some(fp)) => (fp.clone(), !fp.eq_ignore_ascii_case(&current)),
            (Some(_), None) => {
                self.w.adopted += 1;
                (current.clone(), false)
            }
            (None, _) => (current.clone(), false),
        };
        match (&text, stale) {
            (None, _) => self.w.todo += 1,
            (Some(_), true) => {
                self.w.stale += 1;
                self.w.kept += 1;
            }
            (Some(_), false) => self.w.kept += 1,
        }
        self.fps
            .push((key.to_string(), fp, stale.then_some(current)));
        (text, stale)
    }

    fn field(&mut self, key: &str, name: &str, src: &str) {
        self.out.push('\n');
        let (text, stale) = self.decide(key, src);
        if stale {
            self.out.push_str(&format!("# {}\n", self.stale_note));
        }
        comment(&mut self.out, "", &self.english, src);
        self.out
            .push_str(&format!("{name} = {}\n", toml_value(src, text.as_deref())));
    }
}

/// The text of a module translation file: every text of `module` with its English above it,
/// the translations of `old` kept, fingerprints filled in.
pub fn module_translation_text(
    module: &Module,
    lang: &str,
    old: &OldTranslation,
) -> (String, Written) {
    let source: Vec<(String, &str)> = module.text_keys();
    let source_map: BTreeMap<&str, &str> = source.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut b = Builder {
        old,
        english: t!("translate.english").into_owned(),
        stale_note: t!("translate.stale_note").into_owned(),
        w: Written::default(),
        fps: Vec::new(),
        out: String::new(),
    };
    let head = if old.header.is_empty() {
        header_lines("translate.module_header", &module.id, lang)
    } else {
        old.header.clone()
    };
    // First, as `waymark new` writes module files: editors then check the file as it is typed.
    b.out.push_str(
        old.directive
            .as_deref()
            .unwrap_or(crate::authoring::schema::TRANSLATION_DIRECTIVE),
    );
    b.out.push('\n');
    header(&mut b.out, &head);
    let status = old.status.clone().unwrap_or_else(|| "draft".into());
    b.out.push_str(&format!("status = {}\n", toml_str(&status)));
    let field = |b: &mut Builder<'_>, key: &str, name: &str| {
        if let Some(src) = source_map.get(key) {
            b.field(key, name, src);
        }
    };
    for k in ["title", "summary", "audience"] {
        field(&mut b, k, k);
    }
    for step in &module.steps {
        b.out.push_str(&format!("\n[steps.{}]\n", step.id));
        let k = |f: &str| format!("steps.{}.{f}", step.id);
        match &step.kind {
            StepKind::Slide { .. } => {
                field(&mut b, &k("title"), "title");
                field(&mut b, &k("body"), "body");
                field(&mut b, &k("notes"), "notes");
            }
            StepKind::Scenario { prompts, .. } => {
                field(&mut b, &k("title"), "title");
                field(&mut b, &k("story"), "story");
                b.out.push_str("\nprompts = [\n");
                for (i, p) in prompts.iter().enumerate() {
                    let key = k(&format!("prompts.{}", i + 1));
                    let (text, stale) = b.decide(&key, p);
                    if stale {
                        b.out.push_str(&format!("  # {}\n", b.stale_note));
                    }
                    comment(&mut b.out, "  ", &format!("{}.", i + 1), p);
                    b.out
                        .push_str(&format!("  {},\n", toml_value(p, text.as_deref())));
                }
                b.out.push_str("]\n");
                field(&mut b, &k("notes"), "notes");
            }
            StepKind::Question(q) => {
                field(&mut b, &k("prompt"), "prompt");
                field(&mut b, &k("explanation"), "explanation");
                field(&mut b, &k("notes"), "notes");
                b.out.push_str(&format!("\n[steps.{}.choices]\n", step.id));
                for c in &q.choices {
                    field(&mut b, &k(&format!("choices.{}", c.id)), &c.id);
                }
            }
        }
    }
    let Builder {
        mut out,
        fps,
        mut w,
        ..
    } = b;
    // Kept before, unless the English has the key again and it is translated; then the
    // translations whose key the English lost since.
    let live = |k: &str| source_map.contains_key(k) && old.texts.contains_key(k);
    let obsolete = old
        .obsolete
        .iter()
        .filter(|e| !live(&e.key))
        .cloned()
        .chain(
            old.texts
                .iter()
                .filter(|(k, _)| !source_map.contains_key(k.as_str()))
                .map(|(k, v)| ObsoleteEntry::toml(k, v)),
        )
        .collect();
    w.obsolete = write_obsolete(&mut out, obsolete);
    out.push('\n');
    for l in t!("translate.fingerprints_note").lines() {
        out.push_str(&format!("# {l}\n"));
    }
    out.push_str("[fingerprints]\n");
    for (key, fp, new) in fps {
        out.push_str(&format!("{} = {}", toml_str(&key), toml_str(&fp)));
        if let Some(new) = new {
            out.push_str(&format!(
                "  # {}",
                t!("translate.stale_fingerprint", fingerprint = new)
            ));
        }
        out.push('\n');
    }
    (out, w)
}

fn new_module(cli: &Cli, id: &str, lang: &str) -> Result<String, Failure> {
    let catalog = catalog(cli);
    let module = find_module(&catalog, id)?;
    check_lang(module, lang)?;
    let path = module_target(cli, module, lang)?;
    refuse_broken_copies(&catalog, module, lang, &path)?;
    let existing = module
        .translation_for(lang)
        .filter(|tr| tr.locale.eq_ignore_ascii_case(lang))
        .map(|tr| tr.path.clone());
    if let Some(p) = existing.or_else(|| path.exists().then(|| path.clone())) {
        return Err(Failure::Problem(
            t!("translate.exists", path = p.display(), id = id, lang = lang).into_owned(),
        ));
    }
    let (text, w) = module_translation_text(module, lang, &OldTranslation::default());
    write_file(&path, &text)?;
    let mut message = done_message("translate.new_done", &path, w);
    write_schemas(&path, &mut message)?;
    Ok(message)
}

/// Writes the schema files the `#:schema` line of `file` points at, if they are not there yet
/// (`schema/` beside the module folders, as `waymark new` does), and says so in `message`.
fn write_schemas(file: &Path, message: &mut String) -> Result<(), Failure> {
    let Some(modules) = file.parent().and_then(Path::parent) else {
        return Ok(());
    };
    let dir = modules.join(crate::authoring::schema::SCHEMA_DIR);
    let written = crate::authoring::schema::write_missing(&dir).map_err(|e| {
        Failure::Problem(
            t!(
                "translate.write_failed",
                path = dir.display(),
                error = e.to_string()
            )
            .into_owned(),
        )
    })?;
    for p in written {
        message.push('\n');
        message.push_str(&t!("authoring.schema_written", path = p.display()));
    }
    Ok(())
}

fn done_message(key: &str, path: &Path, w: Written) -> String {
    let mut m = t!(key, path = path.display()).into_owned();
    let parts = [
        crate::tn!("translate.count_todo", w.todo),
        crate::tn!("translate.count_kept", w.kept),
        crate::tn!("translate.count_stale", w.stale),
    ];
    m.push('\n');
    m.push_str(&parts.join("; "));
    if w.adopted > 0 {
        m.push('\n');
        m.push_str(&crate::tn!("translate.count_adopted", w.adopted));
    }
    if w.obsolete > 0 {
        m.push('\n');
        m.push_str(&crate::tn!("translate.count_obsolete", w.obsolete));
    }
    m
}

/// The existing text of a module translation: the data folder's copy for a built-in module,
/// the file beside `module.toml`, or the built-in file.
fn old_module_text(module: &Module, target: &Path, lang: &str) -> Option<(PathBuf, String)> {
    if let Ok(text) = std::fs::read_to_string(target) {
        return Some((target.to_path_buf(), text));
    }
    if module.origin.kind == SourceKind::BuiltIn {
        let rel = format!("{}/", module.id);
        for (path, bytes) in builtin_files() {
            let Some(name) = path.strip_prefix(&rel) else {
                continue;
            };
            if name.trim_end_matches(".toml").eq_ignore_ascii_case(lang) {
                let text = String::from_utf8_lossy(bytes).into_owned();
                return Some((Path::new(BUILTIN_PREFIX).join(path), text));
            }
        }
    }
    None
}

fn update_module(cli: &Cli, id: &str, lang: &str) -> Result<String, Failure> {
    let catalog = catalog(cli);
    let module = find_module(&catalog, id)?;
    check_lang(module, lang)?;
    // The file in use when it is on disk (an overlay folder given with --curricula), else the
    // usual place.
    let in_use = module
        .translations
        .values()
        .find(|tr| tr.locale.eq_ignore_ascii_case(lang) && !tr.path.starts_with(BUILTIN_PREFIX))
        .map(|tr| tr.path.clone());
    let target = match in_use {
        Some(p) => p,
        None => module_target(cli, module, lang)?,
    };
    refuse_broken_copies(&catalog, module, lang, &target)?;
    let Some((from, text)) = old_module_text(module, &target, lang) else {
        return Err(Failure::Problem(
            t!("translate.no_translation", id = id, lang = lang).into_owned(),
        ));
    };
    let old = read_old_translation(&text).map_err(|e| {
        Failure::Problem(t!("translate.unreadable", path = from.display(), error = e).into_owned())
    })?;
    let (text, w) = module_translation_text(module, lang, &old);
    write_file(&target, &text)?;
    let mut message = done_message("translate.update_done", &target, w);
    write_schemas(&target, &mut message)?;
    Ok(message)
}

// ---------------------------------------------------------------------------------------------
// Interface strings

/// `"..."`: a YAML double-quoted string (JSON's escapes are YAML's).
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The language a regional file inherits from, for messages: the first of `fallbacks` that is
/// another language (`pt` for `pt-BR`); `None` for a file with nothing to inherit.
pub fn base_language<'f>(lang: &str, fallbacks: &'f [LocaleFile]) -> Option<&'f str> {
    fallbacks
        .iter()
        .map(|f| f.locale.as_str())
        .find(|l| !l.eq_ignore_ascii_case(lang))
}

/// The text of an interface locale file: every unit of English, the translations of `old` kept.
/// `fallbacks` are the files shown where this one has no string (for `pt-BR`, `pt`): a string
/// they have is written empty with their text above it, to fill in only where it differs.
pub fn ui_locale_text(
    lang: &str,
    old: Option<&LocaleFile>,
    fallbacks: &[LocaleFile],
) -> (String, Written) {
    let en = audit::english();
    let units = audit::units(en);
    let mut w = Written::default();
    let english = t!("translate.english").into_owned();
    let stale_note = t!("translate.stale_note").into_owned();
    let old_texts = old.map(LocaleFile::texts).unwrap_or_default();
    let shown: Vec<std::collections::HashMap<String, String>> = fallbacks
        .iter()
        .map(|f| audit::usable_strings(f, en))
        .collect();
    let mut out = String::new();
    match base_language(lang, fallbacks) {
        Some(base) => {
            let lines: Vec<String> = t!("translate.ui_header_regional", lang = lang, base = base)
                .lines()
                .map(ToString::to_string)
                .collect();
            header(&mut out, &lines);
        }
        None => header(&mut out, &header_lines("translate.ui_header", "", lang)),
    }
    out.push_str("_version: 1\n");
    let status = old
        .and_then(|o| o.status.as_ref().map(|(s, _)| s.clone()))
        .unwrap_or_else(|| "draft".into());
    out.push_str(&format!("_status: {status}\n"));
    let mut fps: Vec<(String, String, Option<String>)> = Vec::new();
    let forms = plural::forms(lang);
    for u in &units {
        let keys: Vec<String> = if u.plural {
            // The forms of the language, and any other form the translator already wrote.
            plural::Category::ALL
                .iter()
                .filter(|c| {
                    forms.contains(c)
                        || old_texts.contains_key(format!("{}.{}", u.key, c.name()).as_str())
                })
                .map(|c| format!("{}.{}", u.key, c.name()))
                .collect()
        } else {
            vec![u.key.clone()]
        };
        let translated = keys.iter().any(|k| old_texts.contains_key(k.as_str()));
        let current = u.fingerprint();
        let recorded = old
            .and_then(|o| o.fingerprints.get(&u.key))
            .map(|(f, _)| f.clone());
        let (fp, stale) = match (translated, recorded) {
            (true, Some(fp)) => {
                let stale = !fp.eq_ignore_ascii_case(&current);
                (fp, stale)
            }
            (true, None) => {
                w.adopted += 1;
                (current.clone(), false)
            }
            (false, _) => (current.clone(), false),
        };
        // The fallback whose text shows while this file has none.
        let other = if u.plural {
            format!("{}.other", u.key)
        } else {
            u.key.clone()
        };
        let from = shown.iter().position(|t| t.contains_key(&other));
        match (translated, stale) {
            (false, _) if from.is_some() => w.inherited += 1,
            (false, _) => w.todo += 1,
            (true, true) => {
                w.kept += 1;
                w.stale += 1;
            }
            (true, false) => w.kept += 1,
        }
        out.push('\n');
        if stale {
            out.push_str(&format!("# {stale_note}\n"));
        }
        source_comment(&mut out, &english, en, u);
        if let Some(i) = from {
            fallback_comment(&mut out, &fallbacks[i].locale, &shown[i], en, u);
        }
        for k in &keys {
            let v = old_texts.get(k.as_str()).copied().unwrap_or_default();
            out.push_str(&format!("{k}: {}\n", yaml_str(v)));
        }
        fps.push((u.key.clone(), fp, stale.then_some(current)));
    }
    // Keys English no longer has are kept as comments, with those kept by an earlier update
    // (unless the English has the key again and it is translated).
    if let Some(o) = old {
        let known: std::collections::BTreeSet<String> = units
            .iter()
            .flat_map(|u| {
                if u.plural {
                    plural::Category::ALL
                        .iter()
                        .map(|c| format!("{}.{}", u.key, c.name()))
                        .collect()
                } else {
                    vec![u.key.clone()]
                }
            })
            .collect();
        let earlier = o
            .file
            .text()
            .map(|t| read_obsolete(t, yaml_obsolete_key))
            .unwrap_or_default();
        let live = |k: &str| known.contains(k) && old_texts.contains_key(k);
        let obsolete = earlier
            .into_iter()
            .filter(|e| !live(&e.key))
            .chain(
                o.entries
                    .iter()
                    .filter(|e| !known.contains(&e.key) && !e.value.is_empty())
                    .map(|e| ObsoleteEntry::yaml(&e.key, &e.value)),
            )
            .collect();
        w.obsolete = write_obsolete(&mut out, obsolete);
    }
    out.push('\n');
    for l in t!("translate.fingerprints_note").lines() {
        out.push_str(&format!("# {l}\n"));
    }
    out.push_str(&format!(
        "{}:\n",
        crate::i18n::locale_file::FINGERPRINTS_KEY
    ));
    for (key, fp, new) in fps {
        out.push_str(&format!("  {key}: {}", yaml_str(&fp)));
        if let Some(new) = new {
            out.push_str(&format!(
                "  # {}",
                t!("translate.stale_fingerprint", fingerprint = new)
            ));
        }
        out.push('\n');
    }
    (out, w)
}

/// The text a fallback shows for `u`, below the English: `# pt: ...`, or each plural form it has.
fn fallback_comment(
    out: &mut String,
    tag: &str,
    texts: &std::collections::HashMap<String, String>,
    en: &LocaleFile,
    u: &Unit,
) {
    if !u.plural {
        if let Some(t) = texts.get(&u.key) {
            comment(out, "", &format!("{tag}:"), t);
        }
        return;
    }
    let mut forms: Vec<&str> = en
        .entries
        .iter()
        .filter_map(|e| audit::plural_parts(&e.key).filter(|(b, _)| *b == u.key))
        .map(|(_, c)| c.name())
        .collect();
    for c in plural::Category::ALL {
        if !forms.contains(&c.name()) {
            forms.push(c.name());
        }
    }
    for form in forms {
        if let Some(t) = texts.get(&format!("{}.{form}", u.key)) {
            comment(out, "", &format!("{tag} ({form}):"), t);
        }
    }
}

fn source_comment(out: &mut String, english: &str, en: &LocaleFile, u: &Unit) {
    if !u.plural {
        comment(out, "", english, &u.source);
        return;
    }
    for e in en
        .entries
        .iter()
        .filter(|e| audit::plural_parts(&e.key).is_some_and(|(b, _)| b == u.key))
    {
        let form = e.key.rsplit('.').next().unwrap_or_default();
        let label = english.trim_end_matches([':', ' ', '\u{a0}']);
        comment(out, "", &format!("{label} ({form}):"), &e.value);
    }
}

/// Where `new --ui` writes: the first `--locales DIR`, else `locales/` in the data folder.
fn ui_target(cli: &Cli, lang: &str) -> Result<PathBuf, Failure> {
    let dir = match cli.locales.first() {
        Some(d) => d.clone(),
        None => crate::dirs::data_dir(cli.data_dir.as_deref())
            .ok_or_else(|| Failure::Problem(t!("store.no_data_dir").into_owned()))?
            .join("locales"),
    };
    Ok(dir.join(format!("{lang}.yml")))
}

/// The run-time file for `lang` that is in use (the last folder wins), if any.
fn ui_existing(cli: &Cli, lang: &str) -> Option<PathBuf> {
    locale_dirs(cli)
        .into_iter()
        .rev()
        .map(|d| d.join(format!("{lang}.yml")))
        .find(|p| p.is_file())
}

fn new_ui(cli: &Cli, lang: &str) -> Result<String, Failure> {
    if lang == "en" {
        return Err(Failure::Usage(
            t!("check.translation_of_source", tag = lang).into_owned(),
        ));
    }
    let path = ui_target(cli, lang)?;
    let existing = ui_existing(cli, lang).or_else(|| {
        crate::i18n::builtin_locales()
            .contains(&lang.to_string())
            .then(|| PathBuf::from(format!("{}/{lang}.yml", crate::i18n::BUILTIN_PREFIX)))
    });
    if let Some(p) = existing.or_else(|| path.exists().then(|| path.clone())) {
        return Err(Failure::Problem(
            t!("translate.ui_exists", path = p.display(), lang = lang).into_owned(),
        ));
    }
    let fallbacks = ui_fallbacks(cli, lang, &path);
    let (text, w) = ui_locale_text(lang, None, &fallbacks);
    write_file(&path, &text)?;
    Ok(ui_done_message(
        "translate.new_done",
        &path,
        w,
        lang,
        &fallbacks,
    ))
}

/// The files a new or updated interface file of `lang` at `path` falls back to: the run-time
/// files in use (other than `path`) and the built-in ones.
fn ui_fallbacks(cli: &Cli, lang: &str, path: &Path) -> Vec<LocaleFile> {
    let shown = path.display().to_string();
    let others: Vec<LocaleFile> = runtime::read_dirs(&locale_dirs(cli))
        .files
        .into_iter()
        .filter(|f| f.file.path() != shown)
        .collect();
    runtime::fallbacks(lang, &others)
}

/// `done_message`, and for a regional file how many strings come from its base language.
fn ui_done_message(
    key: &str,
    path: &Path,
    w: Written,
    lang: &str,
    fallbacks: &[LocaleFile],
) -> String {
    let mut m = done_message(key, path, w);
    if w.inherited > 0 {
        let base = base_language(lang, fallbacks)
            .or_else(|| fallbacks.first().map(|f| f.locale.as_str()))
            .unwrap_or_default();
        m.push('\n');
        m.push_str(&crate::tn!(
            "translate.count_inherited",
            w.inherited,
            base = base,
            lang = lang
        ));
    }
    m
}

fn update_ui(cli: &Cli, lang: &str) -> Result<String, Failure> {
    if lang == "en" {
        return Err(Failure::Usage(
            t!("check.translation_of_source", tag = lang).into_owned(),
        ));
    }
    let (target, old) = match ui_existing(cli, lang) {
        Some(p) => {
            let (file, diags) = runtime::read_file(&p);
            let Some(file) = file else {
                let detail = diags.first().map(ToString::to_string).unwrap_or_default();
                return Err(Failure::Problem(
                    t!("translate.unreadable", path = p.display(), error = detail).into_owned(),
                ));
            };
            (p, file)
        }
        None => match crate::i18n::builtin_file(lang) {
            Some(f) => (ui_target(cli, lang)?, f),
            None => {
                return Err(Failure::Problem(
                    t!("translate.no_ui_translation", lang = lang).into_owned(),
                ))
            }
        },
    };
    let fallbacks = ui_fallbacks(cli, lang, &target);
    let (text, w) = ui_locale_text(lang, Some(&old), &fallbacks);
    write_file(&target, &text)?;
    Ok(ui_done_message(
        "translate.update_done",
        &target,
        w,
        lang,
        &fallbacks,
    ))
}

// ---------------------------------------------------------------------------------------------
// Status

/// One row of `translate status`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusRow {
    /// A module id, or `None` for the interface.
    pub module: Option<String>,
    pub lang: String,
    /// `source`, `draft`, `reviewed`, or `broken` (a file with errors, not used).
    pub status: String,
    pub translated: usize,
    /// Shown in English.
    pub missing: usize,
    /// Not in the file, shown from its base language (`pt` for `pt-BR`); interface only.
    pub inherited: usize,
    pub stale: usize,
    pub total: usize,
    pub path: String,
}

fn module_rows(catalog: &crate::curriculum::Catalog) -> Vec<StatusRow> {
    let mut rows = Vec::new();
    for m in &catalog.modules {
        let source = m.text_keys();
        let total = source.len();
        rows.push(StatusRow {
            module: Some(m.id.clone()),
            lang: m.source_locale.clone(),
            status: "source".into(),
            translated: total,
            missing: 0,
            inherited: 0,
            stale: 0,
            total,
            path: m.origin.dir.join("module.toml").display().to_string(),
        });
        let mut langs: Vec<String> = Vec::new();
        for tr in m.translations.values() {
            let translated = source
                .iter()
                .filter(|(k, _)| tr.texts.contains_key(k))
                .count();
            // Stale: translated from a source text that changed since, or from one nobody
            // recorded (no fingerprint), which may as well have changed.
            let stale = source
                .iter()
                .filter(|(k, _)| tr.texts.contains_key(k))
                .filter(|(k, src)| {
                    tr.fingerprints
                        .get(k)
                        .is_none_or(|fp| !fp.eq_ignore_ascii_case(&fingerprint(src)))
                })
                .count();
            langs.push(tr.locale.to_ascii_lowercase());
            rows.push(StatusRow {
                module: Some(m.id.clone()),
                lang: tr.locale.clone(),
                status: tr.status.name().into(),
                translated,
                missing: total - translated,
                inherited: 0,
                stale,
                total,
                path: tr.path.display().to_string(),
            });
        }
        // Translation files with errors did not load: list them so they are not forgotten.
        let mut broken: Vec<String> = catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter_map(Diagnostic::path)
            .filter(|p| {
                let p = Path::new(p);
                p.parent().is_some_and(|d| {
                    d.file_name().is_some_and(|n| n == m.id.as_str())
                        && (d == m.origin.dir || m.origin.kind == SourceKind::BuiltIn)
                }) && p.file_name().is_some_and(|n| n != "module.toml")
            })
            .map(ToString::to_string)
            .collect();
        broken.sort();
        broken.dedup();
        for p in broken {
            let lang = Path::new(&p)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if langs.contains(&lang.to_ascii_lowercase()) {
                continue;
            }
            rows.push(StatusRow {
                module: Some(m.id.clone()),
                lang,
                status: "broken".into(),
                translated: 0,
                missing: total,
                inherited: 0,
                stale: 0,
                total,
                path: p,
            });
        }
    }
    rows
}

fn ui_rows(cli: &Cli) -> (Vec<StatusRow>, Vec<Diagnostic>) {
    let en = audit::english();
    let mut rows = Vec::new();
    let row = |f: &LocaleFile, status: String, fallbacks: &[LocaleFile]| {
        let c = audit::counts_with(f, en, fallbacks);
        StatusRow {
            module: None,
            lang: f.locale.clone(),
            status,
            translated: c.translated,
            missing: c.missing,
            inherited: c.inherited,
            stale: c.stale,
            total: c.total,
            path: f.file.path().to_string(),
        }
    };
    let status_of = |f: &LocaleFile| {
        if f.locale == "en" {
            "source".to_string()
        } else if f.is_reviewed() {
            "reviewed".to_string()
        } else {
            "draft".to_string()
        }
    };
    for locale in crate::i18n::builtin_locales() {
        if let Some(f) = crate::i18n::builtin_file(&locale) {
            rows.push(row(&f, status_of(&f), &[]));
        }
    }
    let loaded = runtime::read_dirs(&locale_dirs(cli));
    for f in &loaded.files {
        let others: Vec<LocaleFile> = loaded
            .files
            .iter()
            .filter(|o| o.file.path() != f.file.path())
            .cloned()
            .collect();
        rows.push(row(
            f,
            status_of(f),
            &runtime::fallbacks(&f.locale, &others),
        ));
    }
    for d in loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        let Some(p) = d.path() else { continue };
        let lang = Path::new(p)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if loaded.files.iter().any(|f| f.file.path() == p) {
            continue;
        }
        rows.push(StatusRow {
            module: None,
            lang,
            status: "broken".into(),
            translated: 0,
            missing: audit::units(en).len(),
            inherited: 0,
            stale: 0,
            total: audit::units(en).len(),
            path: p.to_string(),
        });
    }
    (rows, loaded.diagnostics)
}

fn status_word(status: &str) -> String {
    match status {
        "source" => t!("start.status_source").into_owned(),
        "reviewed" => t!("start.status_reviewed").into_owned(),
        "draft" => t!("start.status_draft").into_owned(),
        _ => t!("translate.status_broken").into_owned(),
    }
}

fn pad(s: &str, w: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(width)))
}

/// A plain table: a header row, then the rows, columns padded to their widest cell.
fn table(head: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = head
        .iter()
        .map(|h| unicode_width::UnicodeWidthStr::width(h.as_str()))
        .collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(unicode_width::UnicodeWidthStr::width(c.as_str()));
        }
    }
    let line = |cells: &[String]| {
        let mut s = cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i]))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(head);
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn status(cli: &Cli, format: Format) -> ExitCode {
    let catalog = catalog(cli);
    // Copies with errors are not in the table (an earlier copy, or none, stands in their place):
    // say why, where the translator looks for errors.
    crate::cli::print_failed(&catalog.failed.iter().collect::<Vec<_>>());
    let modules = module_rows(&catalog);
    let (ui, _) = ui_rows(cli);
    let out = match format {
        Format::Json => {
            let v = serde_json::json!({ "modules": modules, "interface": ui });
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let head = |first: &str| -> Vec<String> {
                vec![
                    first.to_string(),
                    t!("translate.col.lang").into_owned(),
                    t!("translate.col.translated").into_owned(),
                    t!("translate.col.missing").into_owned(),
                    t!("translate.col.stale").into_owned(),
                    t!("translate.col.status").into_owned(),
                    t!("translate.col.file").into_owned(),
                ]
            };
            let cells = |r: &StatusRow| -> Vec<String> {
                vec![
                    r.module.clone().unwrap_or_default(),
                    r.lang.clone(),
                    format!("{}/{}", r.translated, r.total),
                    r.missing.to_string(),
                    r.stale.to_string(),
                    status_word(&r.status),
                    r.path.clone(),
                ]
            };
            let mut s = String::new();
            s.push_str(&t!("translate.modules_title"));
            s.push('\n');
            if modules.is_empty() {
                s.push_str(&t!("translate.no_modules"));
                s.push('\n');
            } else {
                let rows: Vec<Vec<String>> = modules.iter().map(cells).collect();
                s.push_str(&table(&head(&t!("translate.col.module")), &rows));
            }
            s.push('\n');
            s.push_str(&t!("translate.ui_title"));
            s.push('\n');
            // The interface table also counts what regional files take from their base language.
            let rows: Vec<Vec<String>> = ui
                .iter()
                .map(|r| {
                    let mut c = cells(r);
                    c.remove(0);
                    c.insert(3, r.inherited.to_string());
                    c
                })
                .collect();
            let mut h = head("");
            h.remove(0);
            h.insert(3, t!("translate.col.inherited").into_owned());
            s.push_str(&table(&h, &rows));
            s.push('\n');
            s.push_str(&t!("translate.status_hint"));
            s.push('\n');
            if ui.iter().any(|r| r.inherited > 0) {
                s.push_str(&t!("translate.inherited_hint"));
                s.push('\n');
            }
            s
        }
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_translations_are_read_back_without_the_note_or_the_english() {
        let text = "# Tafsiri ya Kiswahili ya workshop.\nstatus = \"draft\"\n\n\
            # English: Fake job offers\ntitle = \"Kazi bandia\"\n\n\
            # English:\n#   Two lines\n#   of English\nbody = \"\"\"\nMistari\n\"\"\"\n\n\
            # Ya no está en el inglés; se conserva aquí.\n# Borra estas líneas.\n\
            # steps.old.body = \"\"\"\n#   Mstari wa kwanza\n#\n#   \"\"\"\n\
            # steps.old.title = 'Kichwa: cha zamani'\n\n\
            # Which English text each translation was made from.\n[fingerprints]\n\
            \"title\" = \"0123456789abcdef\"\n";
        let got = read_obsolete(text, toml_obsolete_key);
        let keys: Vec<&str> = got.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["steps.old.body", "steps.old.title"]);
        assert_eq!(
            got[0].lines,
            [
                "# steps.old.body = \"\"\"",
                "#   Mstari wa kwanza",
                "#",
                "#   \"\"\""
            ]
        );
        assert_eq!(got[1].lines, ["# steps.old.title = 'Kichwa: cha zamani'"]);
    }

    #[test]
    fn interface_comments_that_only_look_like_kept_translations_are_left_out() {
        let text = "# English: \"Done\"\n# English (one): \"%{count} done\"\n\
            # Hinweis: \"kept\"\n# old.key: not quoted\n# old.key: \"Zamani\"\n";
        let got = read_obsolete(text, yaml_obsolete_key);
        assert_eq!(
            got,
            [ObsoleteEntry {
                key: "old.key".into(),
                lines: vec!["# old.key: \"Zamani\"".into()],
            }]
        );
    }

    #[test]
    fn each_kept_translation_is_written_once_and_reads_back_the_same() {
        let multi = ObsoleteEntry::toml("steps.a.body", "Mstari\n\n- pili\n");
        let single = ObsoleteEntry::toml("steps.a.title", "Kichwa");
        let mut out = String::new();
        let n = write_obsolete(
            &mut out,
            vec![multi.clone(), single.clone(), multi.clone(), single.clone()],
        );
        assert_eq!(n, 2);
        assert_eq!(out.matches("Kichwa").count(), 1);
        assert_eq!(
            read_obsolete(&out, toml_obsolete_key),
            [multi.clone(), single]
        );
        let ui = ObsoleteEntry::yaml("old.key", "Zamani \"sana\"");
        let mut out = String::new();
        write_obsolete(&mut out, vec![ui.clone()]);
        assert_eq!(read_obsolete(&out, yaml_obsolete_key), [ui]);
        // Nothing to keep: no note either.
        let mut out = String::new();
        assert_eq!(write_obsolete(&mut out, Vec::new()), 0);
        assert!(out.is_empty());
    }
}
