//! `waymark report`, `waymark export` and `waymark import`: the analysts' face of the score store.
//! Thin: read the flags, open the store, call `crate::store`, print. Exit codes: 0 fine,
//! 1 failure (a bad store file, a refused bundle, a file that cannot be written), 2 bad usage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::ValueEnum;
use rust_i18n::t;
use unicode_width::UnicodeWidthStr;

use crate::session::GainBand;
use crate::store::{
    self, Dhis2Map, ExportFormat, ExportOptions, Filter, ModuleReport, Report, Store, StoreError,
};

#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only sessions of this module.
    #[arg(long, value_name = "ID")]
    pub module: Option<String>,
    /// Only sessions on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    /// Only sessions on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub until: Option<NaiveDate>,
    /// Only sessions held in this language.
    #[arg(long, value_name = "LANG")]
    pub locale: Option<String>,
    /// Only sessions with this group label.
    #[arg(long, value_name = "LABEL")]
    pub group: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            module: self.module.clone(),
            since: self.since,
            until: self.until,
            locale: self.locale.clone(),
            group: self.group.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        self.filter() == Filter::default()
    }
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| t!("cli.filter.bad_date", value = s).into_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Csv,
    Json,
    Dhis2,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Csv)]
    pub format: ExportFormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The DHIS2 mapping file (TOML).
    #[arg(long = "dhis2-map", value_name = "FILE")]
    pub dhis2_map: Option<PathBuf>,
    /// Suppress counts from 1 to K-1.
    #[arg(long = "min-cell", value_name = "K", default_value_t = store::export::DEFAULT_MIN_CELL,
          value_parser = clap::value_parser!(u32).range(2..=100))]
    pub min_cell: u32,
    /// Include the group label.
    #[arg(long)]
    pub with_group: bool,
    /// Write a full-resolution bundle for `waymark import`.
    #[arg(long, value_name = "FILE",
          conflicts_with_all = ["format", "out", "dhis2_map", "min_cell", "with_group"])]
    pub bundle: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Bundle files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

fn localize_filter(c: clap::Command) -> clap::Command {
    c.mut_arg("module", |a| a.help(t!("cli.filter.module").into_owned()))
        .mut_arg("since", |a| a.help(t!("cli.filter.since").into_owned()))
        .mut_arg("until", |a| a.help(t!("cli.filter.until").into_owned()))
        .mut_arg("locale", |a| a.help(t!("cli.filter.locale").into_owned()))
        .mut_arg("group", |a| a.help(t!("cli.filter.group").into_owned()))
}

/// Help text of `report` from the i18n layer.
pub fn localize_report(c: clap::Command) -> clap::Command {
    localize_filter(c)
        .about(t!("cli.report.about").into_owned())
        .mut_arg("format", |a| a.help(t!("cli.report.format").into_owned()))
}

/// Help text of `export` from the i18n layer.
pub fn localize_export(c: clap::Command) -> clap::Command {
    localize_filter(c)
        .about(t!("cli.export.about").into_owned())
        .mut_arg("format", |a| a.help(t!("cli.export.format").into_owned()))
        .mut_arg("out", |a| a.help(t!("cli.export.out").into_owned()))
        .mut_arg("dhis2_map", |a| {
            a.help(t!("cli.export.dhis2_map").into_owned())
        })
        .mut_arg("min_cell", |a| {
            a.help(t!("cli.export.min_cell").into_owned())
        })
        .mut_arg("with_group", |a| {
            a.help(t!("cli.export.with_group").into_owned())
        })
        .mut_arg("bundle", |a| a.help(t!("cli.export.bundle").into_owned()))
}

/// Help text of `import` from the i18n layer.
pub fn localize_import(c: clap::Command) -> clap::Command {
    c.about(t!("cli.import.about").into_owned())
        .mut_arg("files", |a| a.help(t!("cli.import.files").into_owned()))
}

fn fail(e: &StoreError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(1)
}

fn usage(message: std::borrow::Cow<'_, str>) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

fn data_dir(flag: Option<&Path>) -> Result<PathBuf, StoreError> {
    crate::dirs::data_dir(flag).ok_or(StoreError::NoDataDir)
}

/// The store to read from: the file when there is one, else an empty store (a report on a new
/// machine says "no sessions" without creating files).
fn open_for_reading(flag: Option<&Path>) -> Result<Store, StoreError> {
    let dir = data_dir(flag)?;
    if Store::exists(&dir) {
        Store::open(&dir)
    } else {
        Store::open_in_memory()
    }
}

fn print(out: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&StoreError::Write {
            path: PathBuf::from("-"),
            error: e.to_string(),
        }),
    }
}

/// `waymark report`.
pub fn report(data: Option<&Path>, args: &ReportArgs) -> ExitCode {
    let report = match open_for_reading(data).and_then(|s| store::report(&s, &args.filter.filter()))
    {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let out = match args.format {
        ReportFormat::Table => report_text(&report, &args.filter, false),
        ReportFormat::Markdown => report_text(&report, &args.filter, true),
        ReportFormat::Csv => report_csv(&report),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    // On standard error, so it never gets into a file the report is redirected to.
    if report.sessions > 0 {
        eprintln!("{}", t!("cli.report.not_suppressed"));
    }
    print(&out)
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.0}%", s * 100.0))
}

fn band(b: GainBand) -> String {
    match b {
        GainBand::Low => t!("cli.report.band.low"),
        GainBand::Medium => t!("cli.report.band.medium"),
        GainBand::High => t!("cli.report.band.high"),
    }
    .into_owned()
}

fn module_lines(m: &ModuleReport) -> Vec<String> {
    let versions: Vec<String> = m.versions.iter().map(u32::to_string).collect();
    let mut lines = vec![t!(
        "cli.report.module_line",
        sessions = m.sessions,
        participants = m.participants,
        first = m.first_date.as_str(),
        last = m.last_date.as_str(),
        versions = versions.join(", ")
    )
    .into_owned()];
    if m.scored_sessions == 0 {
        lines.push(t!("cli.report.no_scores").into_owned());
    } else {
        lines.push(crate::tn!(
            "cli.report.scores",
            m.scored_sessions,
            before = percent(m.before),
            after = percent(m.after)
        ));
        lines.push(match (m.gain, m.band) {
            (Some(g), Some(b)) => {
                t!("cli.report.gain", gain = format!("{g:.2}"), band = band(b)).into_owned()
            }
            _ => t!("cli.report.no_gain").into_owned(),
        });
    }
    lines
}

fn question_rows(m: &ModuleReport) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = [
        t!("cli.report.col.question"),
        t!("cli.report.col.type"),
        t!("cli.report.col.sessions"),
        t!("cli.report.col.before"),
        t!("cli.report.col.during"),
        t!("cli.report.col.after"),
        t!("cli.report.col.overall"),
        t!("cli.report.col.wrong"),
    ]
    .into_iter()
    .map(|h| h.into_owned())
    .collect();
    let rows = m
        .questions
        .iter()
        .map(|q| {
            vec![
                q.question.clone(),
                q.qtype.name().to_string(),
                q.sessions.to_string(),
                percent(q.before),
                percent(q.during),
                percent(q.after),
                percent(q.percent_correct),
                q.top_wrong.as_ref().map_or_else(
                    || "-".to_string(),
                    |w| {
                        t!(
                            "cli.report.wrong",
                            choice = w.choice.as_str(),
                            share = percent(Some(w.share))
                        )
                        .into_owned()
                    },
                ),
            ]
        })
        .collect();
    (headers, rows)
}

/// Columns 2..=6 hold numbers: right-aligned.
fn numeric(col: usize) -> bool {
    (2..=6).contains(&col)
}

fn aligned(headers: &[String], rows: &[Vec<String>], indent: &str) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = indent.to_string();
        for (i, c) in r.iter().enumerate() {
            let pad = " ".repeat(widths[i] - c.width());
            if i > 0 {
                line.push_str("  ");
            }
            if numeric(i) {
                line.push_str(&pad);
                line.push_str(c);
            } else {
                line.push_str(c);
                if i + 1 < r.len() {
                    line.push_str(&pad);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn markdown_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = format!(
        "| {} |\n|{}|\n",
        headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | "),
        (0..headers.len())
            .map(|i| if numeric(i) { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

fn report_text(r: &Report, filter: &FilterArgs, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str(&format!("# {}\n\n", t!("cli.report.title")));
    }
    if r.sessions == 0 {
        let none = if filter.is_empty() {
            t!("cli.report.none")
        } else {
            t!("cli.report.none_match")
        };
        out.push_str(&none);
        out.push('\n');
        return out;
    }
    let bullet = if markdown { "- " } else { "" };
    out.push_str(&format!(
        "{bullet}{}\n{bullet}{}\n",
        t!("cli.report.sessions", count = r.sessions),
        t!("cli.report.participants", count = r.participants)
    ));
    for m in &r.modules {
        out.push('\n');
        let (headers, rows) = question_rows(m);
        if markdown {
            out.push_str(&format!("## {}\n\n", m.module_id));
            for line in module_lines(m) {
                out.push_str(&format!("- {line}\n"));
            }
            out.push('\n');
            out.push_str(&markdown_table(&headers, &rows));
        } else {
            out.push_str(&t!("cli.report.module", id = m.module_id.as_str()));
            out.push('\n');
            for line in module_lines(m) {
                out.push_str(&format!("  {line}\n"));
            }
            out.push('\n');
            out.push_str(&aligned(&headers, &rows, "  "));
        }
    }
    out
}

fn share_csv(s: Option<f64>) -> String {
    s.map_or_else(String::new, |s| format!("{s:.4}"))
}

/// One row per level: the whole report, each module, each question. Column names are fixed
/// identifiers (not translated) so scripts can rely on them.
fn report_csv(r: &Report) -> String {
    let mut out = String::from(
        "level,module_id,question,question_type,sessions,participants,scored_sessions,before,\
         during,after,percent_correct,gain,band,top_wrong_choice,top_wrong_count,top_wrong_share\n",
    );
    out.push_str(&format!(
        "total,,,,{},{},,,,,,,,,,\n",
        r.sessions, r.participants
    ));
    for m in &r.modules {
        out.push_str(&format!(
            "module,{},,,{},{},{},{},,{},,{},{},,,\n",
            m.module_id,
            m.sessions,
            m.participants,
            m.scored_sessions,
            share_csv(m.before),
            share_csv(m.after),
            m.gain.map_or_else(String::new, |g| format!("{g:.4}")),
            m.band.map_or("", GainBand::name),
        ));
        for q in &m.questions {
            let (wc, wn, ws) = q.top_wrong.as_ref().map_or_else(
                || (String::new(), String::new(), String::new()),
                |w| {
                    (
                        w.choice.clone(),
                        w.count.to_string(),
                        share_csv(Some(w.share)),
                    )
                },
            );
            out.push_str(&format!(
                "question,{},{},{},{},,,{},{},{},{},,,{wc},{wn},{ws}\n",
                m.module_id,
                q.question,
                q.qtype.name(),
                q.sessions,
                share_csv(q.before),
                share_csv(q.during),
                share_csv(q.after),
                share_csv(q.percent_correct),
            ));
        }
    }
    out
}

/// Standard output that remembers whether the reader went away.
struct PipeAware<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for PipeAware<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let buf = &buf[..buf.len().min(store::WRITE_SLICE)];
        self.inner.write(buf).inspect_err(|e| {
            self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().inspect_err(|e| {
            self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe;
        })
    }
}

/// `waymark export`.
pub fn export(data: Option<&Path>, args: &ExportArgs) -> ExitCode {
    let filter = args.filter.filter();
    if let Some(bundle) = &args.bundle {
        let store = match open_for_reading(data) {
            Ok(s) => s,
            Err(e) => return fail(&e),
        };
        let mut count = 0;
        let written = store::write_atomically(bundle, |w| {
            count = store.write_bundle(&filter, w, bundle)?;
            Ok(())
        });
        return match written {
            Ok(()) => {
                eprintln!(
                    "{}",
                    crate::tn!("cli.export.bundle_done", count, path = bundle.display())
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    let format = match args.format {
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Json => ExportFormat::Json,
        ExportFormatArg::Dhis2 => ExportFormat::Dhis2,
    };
    let dhis2 = match (format, &args.dhis2_map) {
        (ExportFormat::Dhis2, None) => return usage(t!("cli.export.needs_map")),
        (ExportFormat::Dhis2, Some(_)) if args.with_group => {
            return usage(t!("cli.export.group_dhis2"))
        }
        (ExportFormat::Dhis2, Some(path)) => match store::export::read_dhis2_map(path) {
            Ok(m) => Some(m),
            Err((path, error)) => {
                eprintln!(
                    "{}",
                    t!("cli.export.bad_map", path = path.display(), error = error)
                );
                return ExitCode::from(1);
            }
        },
        (_, Some(_)) => return usage(t!("cli.export.map_without_dhis2")),
        (_, None) => None::<Dhis2Map>,
    };
    let options = ExportOptions {
        format,
        min_cell: args.min_cell,
        with_group: args.with_group,
        dhis2,
    };
    let store = match open_for_reading(data) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let result = match &args.out {
        Some(path) => {
            let mut summary = None;
            store::write_atomically(path, |w| {
                summary = Some(store.export(&filter, &options, w, path)?);
                Ok(())
            })
            .map(|()| summary.unwrap_or_default())
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(
                1 << 20,
                PipeAware {
                    inner: stdout.lock(),
                    closed: false,
                },
            );
            let target = Path::new("-");
            let result = store
                .export(&filter, &options, &mut w, target)
                .and_then(|s| {
                    w.flush().map_err(|e| StoreError::Write {
                        path: target.to_path_buf(),
                        error: e.to_string(),
                    })?;
                    Ok(s)
                });
            // `waymark export | head`: the reader has all it wanted.
            if w.get_ref().closed {
                return ExitCode::SUCCESS;
            }
            result
        }
    };
    match result {
        Ok(summary) => {
            eprintln!(
                "{}",
                t!(
                    "cli.export.done",
                    sessions = summary.sessions,
                    cells = summary.cells,
                    suppressed = summary.suppressed,
                    max = args.min_cell - 1
                )
            );
            if summary.sessions > 0 {
                // Suppression holds within one export, not across two of the same sessions.
                eprintln!("{}", t!("cli.export.combine_note"));
            }
            if format == ExportFormat::Dhis2 {
                if summary.suppressed > 0 {
                    eprintln!("{}", t!("cli.export.dhis2_dropped"));
                }
                if !summary.unmapped.is_empty() {
                    const SHOWN: usize = 20;
                    let mut items =
                        summary.unmapped[..summary.unmapped.len().min(SHOWN)].join(", ");
                    if summary.unmapped.len() > SHOWN {
                        items.push_str(&t!(
                            "check.and_more",
                            count = summary.unmapped.len() - SHOWN
                        ));
                    }
                    eprintln!("{}", t!("cli.export.unmapped", items = items));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `waymark import FILE ...`: each bundle all or nothing; exit 1 when any was refused.
pub fn import(data: Option<&Path>, args: &ImportArgs) -> ExitCode {
    // A damaged store is refused before anything is merged into it.
    let mut store = match data_dir(data).and_then(|d| Store::open(&d)).and_then(|s| {
        s.check()?;
        Ok(s)
    }) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut failed = false;
    for file in &args.files {
        match store.import_file(file) {
            Ok(o) => println!(
                "{}",
                crate::tn!(
                    "cli.import.done",
                    o.added,
                    path = file.display(),
                    already = o.already
                )
            ),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                if !matches!(
                    e,
                    StoreError::ReadBundle { .. }
                        | StoreError::NotABundle { .. }
                        | StoreError::BundleVersion { .. }
                        | StoreError::BadChecksum { .. }
                        | StoreError::BadBundle { .. }
                ) {
                    // The store itself failed: the other bundles would fail the same way.
                    break;
                }
            }
        }
    }
    ExitCode::from(u8::from(failed))
}
