//! clap in the interface language: help headings, the help and version flags, the `help`
//! command, default and possible values, and the usual usage errors. clap writes these in
//! English itself; this gives each a locale key. Knows clap, not Waymark's commands.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command};
use rust_i18n::t;

/// clap keeps headings as `&'static str`; these few strings live as long as the process anyway.
/// clap adds the colon after a heading itself: the locale's own colon is dropped.
fn leak(s: std::borrow::Cow<'_, str>) -> &'static str {
    let s = s.trim_end_matches([':', ' ', '\u{a0}', '\u{202f}', '：']);
    Box::leak(s.to_string().into_boxed_str())
}

/// The name of the help command added by `localize`.
const HELP: &str = "help";

/// Localizes `cmd` and all its subcommands. Call it after the commands' own texts are set.
pub fn localize(cmd: Command) -> Command {
    let cmd = localize_one(cmd, true);
    let help_cmd = Command::new(HELP)
        .about(t!("cli.help.help_command").into_owned())
        .arg(
            Arg::new("command")
                .value_name("COMMAND")
                .num_args(0..)
                .help(t!("cli.help.help_command_arg").into_owned()),
        )
        .disable_help_flag(true);
    cmd.disable_help_subcommand(true)
        .subcommand(localize_one(help_cmd, false))
}

fn template() -> String {
    format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t!("cli.help.usage")
    )
}

fn localize_one(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .help_template(template())
        .subcommand_help_heading(leak(t!("cli.help.commands")))
        .mut_args(localize_arg);
    if cmd.get_name() != HELP || root {
        cmd = cmd.disable_help_flag(true).arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!("cli.help.help_flag").into_owned())
                .help_heading(leak(t!("cli.help.options"))),
        );
    }
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t!("cli.help.version_flag").into_owned())
                .help_heading(leak(t!("cli.help.options"))),
        );
    }
    cmd.mut_subcommands(|c| localize_one(c, false))
}

fn localize_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        t!("cli.help.arguments")
    } else {
        t!("cli.help.options")
    };
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        help.push_str(&t!("cli.help.values", values = values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        help.push_str(&t!("cli.help.default", value = defaults.join(", ")));
    }
    let arg = arg.help(help).help_heading(leak(heading));
    // clap (debug builds) refuses these two on flags that take no value, such as --with-group.
    if arg.get_action().takes_values() {
        arg.hide_possible_values(true).hide_default_value(true)
    } else {
        arg
    }
}

/// Handles `waymark help [COMMAND ...]`: prints the help of that command. `None` when the
/// command line asked for something else.
pub fn help_command(cmd: &mut Command, matches: &ArgMatches) -> Option<std::process::ExitCode> {
    let (HELP, sub) = matches.subcommand()? else {
        return None;
    };
    let mut argv: Vec<String> = vec![cmd.get_name().to_string()];
    argv.extend(
        sub.get_many::<String>("command")
            .map(|v| v.cloned().collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    argv.push("--help".into());
    // clap renders the help of that command with its full usage line, as for `--help`.
    Some(match cmd.try_get_matches_from_mut(argv) {
        Err(e) => std::process::ExitCode::from(print_error(&e)),
        Ok(_) => std::process::ExitCode::SUCCESS,
    })
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The message of a usage error in the interface language, with the usage line and a hint.
/// Kinds without a message of their own keep clap's wording after a translated `error:`.
pub fn error_text(e: &clap::Error) -> String {
    let get = |k| context(e, k).unwrap_or_default();
    let mut out = match e.kind() {
        ErrorKind::InvalidValue => {
            let value = get(ContextKind::InvalidValue);
            let arg = get(ContextKind::InvalidArg);
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                t!("cli.error.missing_value", arg = arg).into_owned()
            } else if valid.is_empty() {
                t!("cli.error.invalid_value", value = value, arg = arg).into_owned()
            } else {
                t!(
                    "cli.error.invalid_value_of",
                    value = value,
                    arg = arg,
                    values = valid
                )
                .into_owned()
            }
        }
        ErrorKind::UnknownArgument => t!(
            "cli.error.unknown_argument",
            arg = get(ContextKind::InvalidArg)
        )
        .into_owned(),
        ErrorKind::InvalidSubcommand => t!(
            "cli.error.unknown_command",
            name = get(ContextKind::InvalidSubcommand)
        )
        .into_owned(),
        ErrorKind::MissingRequiredArgument => t!(
            "cli.error.missing_argument",
            args = get(ContextKind::InvalidArg)
        )
        .into_owned(),
        ErrorKind::MissingSubcommand => t!("cli.error.missing_command").into_owned(),
        ErrorKind::ArgumentConflict => t!(
            "cli.error.conflict",
            arg = get(ContextKind::InvalidArg),
            other = get(ContextKind::PriorArg)
        )
        .into_owned(),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            t!("cli.error.values_count", arg = get(ContextKind::InvalidArg)).into_owned()
        }
        ErrorKind::ValueValidation => t!(
            "cli.error.invalid_value",
            value = get(ContextKind::InvalidValue),
            arg = get(ContextKind::InvalidArg)
        )
        .into_owned(),
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            t!(
                "cli.error.generic",
                detail = first.strip_prefix("error: ").unwrap_or(first)
            )
            .into_owned()
        }
    };
    let suggestion = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue));
    if let Some(s) = suggestion {
        out.push('\n');
        out.push_str(&t!("cli.error.did_you_mean", suggestion = s));
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = plain(usage);
        let usage = usage.trim();
        let usage = usage.split_once(' ').map_or(usage, |(_, rest)| rest);
        out.push_str("\n\n");
        out.push_str(&t!("cli.help.usage"));
        out.push(' ');
        out.push_str(usage.trim());
    }
    out.push_str("\n\n");
    out.push_str(&t!("cli.error.try_help"));
    out.push('\n');
    out
}

fn plain(s: &StyledStr) -> String {
    s.to_string()
}

/// Prints a clap outcome: help and version as clap renders them (already localized), usage
/// errors through `error_text`. Returns the exit code: 0 for help and version, 2 for errors.
pub fn print_error(e: &clap::Error) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            2
        }
        _ => {
            eprint!("{}", error_text(e));
            2
        }
    }
}
