//! Exports for people outside the facilitator's laptop: long-format CSV, JSON, and DHIS2
//! dataValueSets CSV. Every count goes through small-cell suppression first (`suppress.rs`);
//! the group label is left out unless asked for. Writes to any `Write`; never to the store.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::codec::{self, CountsRef, Record};
use super::suppress::Table;
use super::{Filter, Store, StoreError};
use crate::curriculum::{validate::is_valid_id, QuestionType};
use crate::session::result::respondents;
use crate::session::Phase;

/// The default k: counts from 1 to k-1 are suppressed.
pub const DEFAULT_MIN_CELL: u32 = 5;

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    Dhis2,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// k: counts from 1 to k-1 are written as suppressed.
    pub min_cell: u32,
    /// Include the group label (CSV and JSON only).
    pub with_group: bool,
    /// Needed for `Dhis2`.
    pub dhis2: Option<Dhis2Map>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: ExportFormat::Csv,
            min_cell: DEFAULT_MIN_CELL,
            with_group: false,
            dhis2: None,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub sessions: u64,
    /// Counts written, headcounts (DHIS2: participants) among them, suppressed ones included.
    pub cells: u64,
    /// Counts written as suppressed (DHIS2: left out).
    pub suppressed: u64,
    /// DHIS2 only: what the mapping file does not name, so was not exported.
    pub unmapped: Vec<String>,
}

/// A published count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Value(u32),
    Suppressed,
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Value(v) => s.serialize_u32(*v),
            Cell::Suppressed => s.serialize_str(SUPPRESSED),
        }
    }
}

/// How a suppressed count is written in CSV and JSON.
pub const SUPPRESSED: &str = "suppressed";

/// People a session reached: its headcount, or the most who answered any one question.
pub(super) fn participants(rec: &Record) -> u32 {
    rec.headcount.unwrap_or_else(|| answered(rec))
}

fn answered(rec: &Record) -> u32 {
    rec.tallies
        .iter()
        .map(|t| {
            respondents(
                rec.shape.questions[t.question].qtype,
                rec.tally_counts(t),
                None,
            )
        })
        .max()
        .unwrap_or(0)
}

fn one_answer_each(q: QuestionType) -> bool {
    q != QuestionType::Multiple
}

/// The people who did not answer a one-answer question: `people - sum`; `None` when the counts
/// add up to more than `people`.
fn non_response(counts: &[u32], people: u32) -> Option<u32> {
    let sum: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    u32::try_from(u64::from(people).checked_sub(sum)?).ok()
}

/// The published form of one session's counts: `cells` parallels `rec.counts`.
pub(super) struct Published {
    pub headcount: Option<Cell>,
    pub cells: Vec<Cell>,
}

/// Suppression for one session. The table: every count, and the people in the room `H` (the
/// headcount, published; or when none was given, the most who answered, unpublished). Each
/// single, true/false or confidence tally is a line: its counts and the people who did not
/// answer, `H - sum`, add up to `H`. That non-response is never published but protected like
/// any count, so 10, 9 and 0 of 20 are not all published when they tell that 1 did not answer.
/// When everyone answered the line is its counts alone, as a reader may assume (an unpublished
/// 0 would let the suppression believe the reader cannot tell); when the counts add up to more
/// than `H` (a miscount) they add up to nothing known, and there is no line. A multiple-choice
/// count `x` ties to `H` through the people who did not choose it, `H - x`, protected the same
/// way, so 18 of 20 is not published beside its headcount when it tells that 2 did not choose it.
pub(super) fn protect_session(rec: &Record, k: u32, table: &mut Table) -> Published {
    let small = |v: u32| v >= 1 && v < k;
    let h = participants(rec);
    let any_small = small(h)
        || rec.counts.iter().any(|&c| small(c))
        || rec.tallies.iter().any(|t| {
            let counts = rec.tally_counts(t);
            if one_answer_each(rec.shape.questions[t.question].qtype) {
                non_response(counts, h).is_some_and(small)
            } else {
                counts.iter().any(|&c| c <= h && small(h - c))
            }
        });
    if !any_small {
        return Published {
            headcount: rec.headcount.map(Cell::Value),
            cells: rec.counts.iter().map(|&c| Cell::Value(c)).collect(),
        };
    }
    table.clear();
    for &c in &rec.counts {
        table.entry(u64::from(c), true);
    }
    let total = table.entry(u64::from(h), rec.headcount.is_some());
    for t in &rec.tallies {
        let q = &rec.shape.questions[t.question];
        let members = t.start..t.start + q.choices.len();
        if one_answer_each(q.qtype) {
            match non_response(rec.tally_counts(t), h) {
                Some(0) => table.line(members, total),
                Some(missing) => {
                    let missing = table.entry(u64::from(missing), false);
                    table.line(members.chain([missing]), total);
                }
                None => {}
            }
        } else {
            // Only a small difference needs its line: `H - x` appears on no other, so a
            // difference of 0 or of k or more can neither leak nor help work anything out.
            for (i, &c) in rec.tally_counts(t).iter().enumerate() {
                if c <= h && small(h - c) {
                    let not_chosen = table.entry(u64::from(h - c), false);
                    table.line([t.start + i, not_chosen], total);
                }
            }
        }
    }
    let hidden = table.protect(k);
    let cell = |i: usize, v: u32| {
        if hidden[i] {
            Cell::Suppressed
        } else {
            Cell::Value(v)
        }
    };
    Published {
        headcount: rec.headcount.map(|v| cell(total, v)),
        cells: rec
            .counts
            .iter()
            .enumerate()
            .map(|(i, &c)| cell(i, c))
            .collect(),
    }
}

impl Store {
    /// Writes the sessions a filter covers in the chosen format, suppressed. `target` names the
    /// output in error messages.
    pub fn export(
        &self,
        filter: &Filter,
        options: &ExportOptions,
        out: &mut dyn Write,
        target: &Path,
    ) -> Result<ExportSummary, StoreError> {
        let k = options.min_cell.max(2);
        let werr = |e: std::io::Error| StoreError::Write {
            path: target.to_path_buf(),
            error: e.to_string(),
        };
        match options.format {
            ExportFormat::Csv => {
                out.write_all(csv_header(options.with_group).as_bytes())
                    .map_err(werr)?;
                let mut summary = ExportSummary::default();
                self.scan(
                    filter,
                    true,
                    |batch, shapes| {
                        let mut part = ExportSummary::default();
                        let mut buf = String::with_capacity(batch.rows.len() * 8192);
                        let (mut table, mut prefix) = (Table::new(), String::new());
                        for row in &batch.rows {
                            let rec = batch.record(row, shapes)?;
                            let published = protect_session(&rec, k, &mut table);
                            csv_session(&mut buf, &mut prefix, &rec, &published, options);
                            tally_summary(&published, &mut part);
                        }
                        Ok((buf, part))
                    },
                    |(buf, part)| {
                        summary.add(&part);
                        out.write_all(buf.as_bytes()).map_err(werr)
                    },
                )?;
                Ok(summary)
            }
            ExportFormat::Json => {
                let mut summary = ExportSummary::default();
                write!(
                    out,
                    "{{\"format\":\"waymark-export\",\"format_version\":1,\"min_cell\":{k},\"sessions\":["
                )
                .map_err(werr)?;
                self.scan(
                    filter,
                    true,
                    |batch, shapes| {
                        let mut part = ExportSummary::default();
                        let mut buf = Vec::with_capacity(batch.rows.len() * 4096);
                        let mut table = Table::new();
                        for row in &batch.rows {
                            let rec = batch.record(row, shapes)?;
                            let published = protect_session(&rec, k, &mut table);
                            if !buf.is_empty() {
                                buf.push(b',');
                            }
                            let session = JsonSession::new(&rec, &published, options.with_group);
                            serde_json::to_writer(&mut buf, &session).map_err(|e| e.to_string())?;
                            tally_summary(&published, &mut part);
                        }
                        Ok((buf, part))
                    },
                    |(buf, part)| {
                        if summary.sessions > 0 && !buf.is_empty() {
                            out.write_all(b",").map_err(werr)?;
                        }
                        summary.add(&part);
                        out.write_all(&buf).map_err(werr)
                    },
                )?;
                out.write_all(b"]}\n").map_err(werr)?;
                Ok(summary)
            }
            ExportFormat::Dhis2 => {
                let Some(map) = &options.dhis2 else {
                    return Err(StoreError::Write {
                        path: target.to_path_buf(),
                        error: rust_i18n::t!("store.dhis2.no_map").into_owned(),
                    });
                };
                self.export_dhis2(filter, map, k, out, target)
            }
        }
    }
}

impl ExportSummary {
    fn add(&mut self, other: &ExportSummary) {
        self.sessions += other.sessions;
        self.cells += other.cells;
        self.suppressed += other.suppressed;
    }
}

/// Headcounts are counts of people too: counted among the cells written, as among the
/// suppressed ones, so "of which N suppressed" never exceeds the counts.
fn tally_summary(p: &Published, summary: &mut ExportSummary) {
    summary.sessions += 1;
    summary.cells += p.cells.len() as u64 + u64::from(p.headcount.is_some());
    summary.suppressed += p
        .cells
        .iter()
        .chain(p.headcount.as_ref())
        .filter(|c| **c == Cell::Suppressed)
        .count() as u64;
}

/// Quotes a CSV field when it needs it; free text that a spreadsheet would run as a formula
/// gets a leading apostrophe.
fn csv_text(out: &mut String, s: &str, free_text: bool) {
    let formula = free_text && s.starts_with(['=', '+', '-', '@']);
    if formula || s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn push_u32(out: &mut String, mut v: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

fn push_cell(out: &mut String, c: Cell) {
    match c {
        Cell::Value(v) => push_u32(out, v),
        Cell::Suppressed => out.push_str(SUPPRESSED),
    }
}

fn csv_header(with_group: bool) -> String {
    let group = if with_group { ",group" } else { "" };
    format!(
        "session_id,module_id,module_version,content_hash,locale,mode,date,planned_minutes,\
         actual_minutes,headcount{group},phase,question,question_type,choice,correct,count\n"
    )
}

/// Long-format CSV: one row per session, phase, question and choice, appended to `buf`.
fn csv_session(
    buf: &mut String,
    prefix: &mut String,
    rec: &Record,
    p: &Published,
    options: &ExportOptions,
) {
    prefix.clear();
    for s in [
        rec.session_id.as_str(),
        rec.module_id.as_str(),
        &rec.module_version.to_string(),
        rec.content_hash.as_str(),
        rec.locale.as_str(),
        rec.mode.name(),
        rec.date.as_str(),
        &rec.planned_minutes.to_string(),
        &rec.actual_minutes.to_string(),
    ] {
        csv_text(prefix, s, false);
        prefix.push(',');
    }
    if let Some(h) = p.headcount {
        push_cell(prefix, h);
    }
    prefix.push(',');
    if options.with_group {
        if let Some(g) = &rec.group {
            csv_text(prefix, g, true);
        }
        prefix.push(',');
    }
    for phase in Phase::ALL {
        for t in rec.tallies.iter().filter(|t| t.phase == phase) {
            let q = &rec.shape.questions[t.question];
            for (j, choice) in q.choices.iter().enumerate() {
                buf.push_str(prefix);
                buf.push_str(phase.name());
                buf.push(',');
                buf.push_str(&q.id);
                buf.push(',');
                buf.push_str(q.qtype.name());
                buf.push(',');
                buf.push_str(choice);
                buf.push(',');
                if q.qtype.is_scored() {
                    buf.push_str(if q.correct.contains(choice) {
                        "true"
                    } else {
                        "false"
                    });
                }
                buf.push(',');
                push_cell(buf, p.cells[t.start + j]);
                buf.push('\n');
            }
        }
    }
}

#[derive(Serialize)]
struct JsonTally<'a> {
    question: &'a str,
    phase: Phase,
    counts: CountsRef<'a, Cell>,
}

#[derive(Serialize)]
struct JsonSession<'a> {
    session_id: &'a str,
    module_id: &'a str,
    module_version: u32,
    content_hash: &'a str,
    locale: &'a str,
    mode: crate::session::AnswerMode,
    date: &'a str,
    planned_minutes: u32,
    actual_minutes: u32,
    headcount: Option<Cell>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    questions: &'a serde_json::value::RawValue,
    tallies: Vec<JsonTally<'a>>,
}

impl<'a> JsonSession<'a> {
    fn new(rec: &'a Record, p: &'a Published, with_group: bool) -> JsonSession<'a> {
        JsonSession {
            session_id: &rec.session_id,
            module_id: &rec.module_id,
            module_version: rec.module_version,
            content_hash: &rec.content_hash,
            locale: &rec.locale,
            mode: rec.mode,
            date: &rec.date,
            planned_minutes: rec.planned_minutes,
            actual_minutes: rec.actual_minutes,
            headcount: p.headcount,
            group: if with_group {
                rec.group.as_deref()
            } else {
                None
            },
            questions: &rec.shape.json,
            tallies: rec
                .tallies
                .iter()
                .map(|t| {
                    let q = &rec.shape.questions[t.question];
                    JsonTally {
                        question: &q.id,
                        phase: t.phase,
                        counts: CountsRef {
                            choices: &q.choices,
                            counts: &p.cells[t.start..t.start + q.choices.len()],
                        },
                    }
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DHIS2

/// How sessions are grouped into DHIS2 periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodType {
    Daily,
    Weekly,
    #[default]
    Monthly,
    Quarterly,
    Yearly,
}

impl PeriodType {
    /// The DHIS2 period id of a day: `20261129`, `2026W48`, `202611`, `2026Q4`, `2026`.
    pub fn of(self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self {
            PeriodType::Daily => day.format("%Y%m%d").to_string(),
            PeriodType::Weekly => {
                let w = day.iso_week();
                format!("{}W{}", w.year(), w.week())
            }
            PeriodType::Monthly => day.format("%Y%m").to_string(),
            PeriodType::Quarterly => format!("{}Q{}", day.year(), day.month0() / 3 + 1),
            PeriodType::Yearly => day.format("%Y").to_string(),
        }
    }
}

/// A data element and category option combo for a total.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub dataelement: String,
    #[serde(default)]
    pub catoptcombo: String,
}

/// One question: a data element per phase, a category option combo per choice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMap {
    pub before: Option<String>,
    pub during: Option<String>,
    pub after: Option<String>,
    pub choices: BTreeMap<String, String>,
}

impl QuestionMap {
    fn element(&self, p: Phase) -> Option<&str> {
        match p {
            Phase::Before => self.before.as_deref(),
            Phase::During => self.during.as_deref(),
            Phase::After => self.after.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleMap {
    pub sessions: Option<Target>,
    pub participants: Option<Target>,
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionMap>,
}

/// The `--dhis2-map` file (TOML; documented in docs/reporting.md).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dhis2Map {
    pub orgunit: String,
    #[serde(default)]
    pub attroptcombo: String,
    #[serde(default)]
    pub period: PeriodType,
    #[serde(default)]
    pub modules: BTreeMap<String, ModuleMap>,
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 230
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:/-".contains(&b))
}

impl Dhis2Map {
    /// Parses and checks a mapping file; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Dhis2Map, String> {
        use rust_i18n::t;
        let map: Dhis2Map = toml::from_str(text).map_err(|e| e.to_string())?;
        let code = |what: &str, s: &str| {
            if is_code(s) {
                Ok(())
            } else {
                Err(t!("store.dhis2.bad_code", what = what, code = s).into_owned())
            }
        };
        code("orgunit", &map.orgunit)?;
        if !map.attroptcombo.is_empty() {
            code("attroptcombo", &map.attroptcombo)?;
        }
        let mut owner: HashMap<String, String> = HashMap::new();
        let mut claim = |de: &'_ str, who: String| -> Result<(), String> {
            match owner.get(de) {
                Some(first) => Err(t!(
                    "store.dhis2.element_twice",
                    element = de,
                    first = first.as_str(),
                    second = who
                )
                .into_owned()),
                None => {
                    owner.insert(de.to_string(), who);
                    Ok(())
                }
            }
        };
        for (m, mm) in &map.modules {
            if !is_valid_id(m) {
                return Err(t!("store.dhis2.bad_id", id = m.as_str()).into_owned());
            }
            for (what, target) in [
                ("sessions", &mm.sessions),
                ("participants", &mm.participants),
            ] {
                if let Some(target) = target {
                    code("dataelement", &target.dataelement)?;
                    if !target.catoptcombo.is_empty() {
                        code("catoptcombo", &target.catoptcombo)?;
                    }
                    claim(&target.dataelement, format!("{m}.{what}"))?;
                }
            }
            for (q, qm) in &mm.questions {
                if !is_valid_id(q) {
                    return Err(t!("store.dhis2.bad_id", id = q.as_str()).into_owned());
                }
                for p in Phase::ALL {
                    if let Some(de) = qm.element(p) {
                        code("dataelement", de)?;
                        claim(de, format!("{m}.questions.{q}.{}", p.name()))?;
                    }
                }
                let mut cocs = BTreeSet::new();
                for (c, coc) in &qm.choices {
                    if !is_valid_id(c) {
                        return Err(t!("store.dhis2.bad_id", id = c.as_str()).into_owned());
                    }
                    code("catoptcombo", coc)?;
                    if !cocs.insert(coc.as_str()) {
                        return Err(t!(
                            "store.dhis2.combo_twice",
                            combo = coc.as_str(),
                            question = format!("{m}.questions.{q}")
                        )
                        .into_owned());
                    }
                }
            }
        }
        Ok(map)
    }
}

/// Sums for one question of one module in one period.
#[derive(Default)]
struct QuestionSums {
    qtype: Option<QuestionType>,
    asked: [bool; 3],
    /// Per phase: choice -> count.
    phases: [BTreeMap<String, u64>; 3],
}

/// Sums for one module in one period.
#[derive(Default)]
struct PeriodSums {
    sessions: u64,
    participants: u64,
    questions: BTreeMap<String, QuestionSums>,
}

/// By (period, module id).
type Sums = BTreeMap<(String, String), PeriodSums>;

fn add_session(sums: &mut Sums, period: String, rec: &Record) {
    let s = sums.entry((period, rec.module_id.clone())).or_default();
    s.sessions += 1;
    s.participants += u64::from(participants(rec));
    for t in &rec.tallies {
        let q = &rec.shape.questions[t.question];
        if !s.questions.contains_key(&q.id) {
            s.questions.insert(q.id.clone(), QuestionSums::default());
        }
        let Some(qs) = s.questions.get_mut(&q.id) else {
            continue;
        };
        let p = codec::phase_index(t.phase);
        qs.qtype = Some(q.qtype);
        qs.asked[p] = true;
        for (c, &n) in q.choices.iter().zip(rec.tally_counts(t)) {
            match qs.phases[p].get_mut(c) {
                Some(v) => *v += u64::from(n),
                None => {
                    qs.phases[p].insert(c.clone(), u64::from(n));
                }
            }
        }
    }
}

fn merge_sums(into: &mut Sums, from: Sums) {
    for (key, s) in from {
        let t = into.entry(key).or_default();
        t.sessions += s.sessions;
        t.participants += s.participants;
        for (q, qs) in s.questions {
            let tq = t.questions.entry(q).or_default();
            tq.qtype = tq.qtype.or(qs.qtype);
            for (p, counts) in qs.phases.into_iter().enumerate() {
                tq.asked[p] |= qs.asked[p];
                for (c, n) in counts {
                    *tq.phases[p].entry(c).or_insert(0) += n;
                }
            }
        }
    }
}

/// What the data holds that the mapping does not name.
fn unmapped(sums: &Sums, map: &Dhis2Map) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for ((_, module), s) in sums {
        let Some(mm) = map.modules.get(module) else {
            out.insert(module.clone());
            continue;
        };
        for (q, qs) in &s.questions {
            let qm = mm.questions.get(q);
            for (p, phase) in Phase::ALL.into_iter().enumerate() {
                if !qs.asked[p] {
                    continue;
                }
                match qm {
                    Some(qm) if qm.element(phase).is_some() => {
                        for c in qs.phases[p].keys() {
                            if !qm.choices.contains_key(c) {
                                out.insert(format!("{module}.questions.{q}.choices.{c}"));
                            }
                        }
                    }
                    _ => {
                        out.insert(format!("{module}.questions.{q}.{}", phase.name()));
                    }
                }
            }
        }
    }
    out
}

impl Store {
    fn export_dhis2(
        &self,
        filter: &Filter,
        map: &Dhis2Map,
        k: u32,
        out: &mut dyn Write,
        target: &Path,
    ) -> Result<ExportSummary, StoreError> {
        let mut sums = Sums::new();
        let mut summary = ExportSummary::default();
        self.scan(
            filter,
            false,
            |batch, shapes| {
                let mut part = Sums::new();
                for row in &batch.rows {
                    let rec = batch.record(row, shapes)?;
                    let day = chrono::NaiveDate::parse_from_str(&rec.date, "%Y-%m-%d")
                        .map_err(|e| e.to_string())?;
                    add_session(&mut part, map.period.of(day), &rec);
                }
                Ok((part, batch.rows.len() as u64))
            },
            |(part, n)| {
                merge_sums(&mut sums, part);
                summary.sessions += n;
                Ok(())
            },
        )?;

        let mut rows: Vec<(String, String, String, u64)> = Vec::new();
        let mut table = Table::new();
        for ((period, module), s) in &sums {
            let Some(mm) = map.modules.get(module) else {
                continue;
            };
            if let Some(t) = &mm.sessions {
                rows.push((
                    period.clone(),
                    t.dataelement.clone(),
                    t.catoptcombo.clone(),
                    s.sessions,
                ));
            }
            // The table for this module and period: participants, and every summed count;
            // published where the mapping names it.
            table.clear();
            let total = table.entry(s.participants, mm.participants.is_some());
            let mut cells: Vec<(usize, String, String, u64)> = Vec::new();
            for (q, qs) in &s.questions {
                let qm = mm.questions.get(q);
                for (p, phase) in Phase::ALL.into_iter().enumerate() {
                    if !qs.asked[p] {
                        continue;
                    }
                    let de = qm.and_then(|qm| qm.element(phase));
                    let first = table.len();
                    for (c, &n) in &qs.phases[p] {
                        let coc = qm.and_then(|qm| qm.choices.get(c));
                        let id = table.entry(n, de.is_some() && coc.is_some());
                        if let (Some(de), Some(coc)) = (de, coc) {
                            cells.push((id, de.to_string(), coc.clone(), n));
                        }
                    }
                    if qs.qtype.is_some_and(one_answer_each) {
                        // Counts and non-response add up to the participants, as in
                        // `protect_session`; an overcount ties to nothing known.
                        let members = first..table.len();
                        let sum: u64 = qs.phases[p].values().sum();
                        match s.participants.checked_sub(sum) {
                            Some(0) => table.line(members, total),
                            Some(missing) => {
                                let missing = table.entry(missing, false);
                                table.line(members.chain([missing]), total);
                            }
                            None => {}
                        }
                    } else {
                        // Multiple choice: participants minus a count is who did not choose
                        // it. Only a small difference needs its line (see `protect_session`).
                        for (id, &n) in (first..).zip(qs.phases[p].values()) {
                            if n <= s.participants
                                && (1..u64::from(k)).contains(&(s.participants - n))
                            {
                                let not_chosen = table.entry(s.participants - n, false);
                                table.line([id, not_chosen], total);
                            }
                        }
                    }
                }
            }
            let hidden = table.protect(k);
            if let Some(t) = &mm.participants {
                summary.cells += 1;
                if hidden[total] {
                    summary.suppressed += 1;
                } else {
                    rows.push((
                        period.clone(),
                        t.dataelement.clone(),
                        t.catoptcombo.clone(),
                        s.participants,
                    ));
                }
            }
            for (id, de, coc, n) in cells {
                summary.cells += 1;
                if hidden[id] {
                    summary.suppressed += 1;
                } else {
                    rows.push((period.clone(), de, coc, n));
                }
            }
        }
        rows.sort();
        let werr = |e: std::io::Error| StoreError::Write {
            path: target.to_path_buf(),
            error: e.to_string(),
        };
        let mut buf = String::from("dataelement,period,orgunit,catoptcombo,attroptcombo,value\n");
        for (period, de, coc, value) in rows {
            buf.push_str(&format!(
                "{de},{period},{},{coc},{},{value}\n",
                map.orgunit, map.attroptcombo
            ));
            if buf.len() > 1 << 16 {
                out.write_all(buf.as_bytes()).map_err(werr)?;
                buf.clear();
            }
        }
        out.write_all(buf.as_bytes()).map_err(werr)?;
        summary.unmapped = unmapped(&sums, map).into_iter().collect();
        Ok(summary)
    }
}

/// Reads a mapping file for `--dhis2-map`.
pub fn read_dhis2_map(path: &Path) -> Result<Dhis2Map, (PathBuf, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| (path.to_path_buf(), e.to_string()))?;
    Dhis2Map::parse(&text).map_err(|e| (path.to_path_buf(), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::tests::sample;

    #[test]
    fn a_lone_small_count_takes_a_partner_and_the_headcount_stays() {
        let rec = Record::from_result(&sample()).unwrap();
        let p = protect_session(&rec, 5, &mut Table::new());
        // pay/before: 8, 10, 2 of 20 -> 2 is suppressed, and 8 (the smallest other non-zero)
        // with it; pay/after: 15, 5, 0 of 20 -> nothing small.
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(
            &p.cells[0..3],
            &[Cell::Suppressed, Cell::Value(10), Cell::Suppressed]
        );
        assert_eq!(
            &p.cells[3..6],
            &[Cell::Value(15), Cell::Value(5), Cell::Value(0)]
        );
        // signs (multiple): 300 and 2 -> 2 is suppressed alone; nothing adds them up.
        assert_eq!(&p.cells[6..8], &[Cell::Value(300), Cell::Suppressed]);
    }

    #[test]
    fn a_small_room_hides_its_headcount_and_every_non_zero_count() {
        let mut s = sample();
        s.headcount = Some(4);
        s.tallies.retain(|t| t.question == "pay");
        for t in &mut s.tallies {
            t.counts = [("a".to_string(), 3), ("b".to_string(), 1)].into();
        }
        let rec = Record::from_result(&s).unwrap();
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Suppressed));
        assert!(p
            .cells
            .iter()
            .all(|c| *c != Cell::Value(3) && *c != Cell::Value(1)));
    }

    /// The sample session cut down to `pay` before (single choice: a, b, c) and `signs` after
    /// (multiple choice: x, y), with these counts.
    fn room(headcount: u32, pay: [u32; 3], signs: [u32; 2]) -> Record {
        let mut s = sample();
        s.headcount = Some(headcount);
        s.tallies.retain(|t| {
            (t.question == "pay" && t.phase == Phase::Before)
                || (t.question == "signs" && t.phase == Phase::After)
        });
        for t in &mut s.tallies {
            t.counts = if t.question == "pay" {
                [("a", pay[0]), ("b", pay[1]), ("c", pay[2])]
                    .map(|(c, n)| (c.to_string(), n))
                    .into()
            } else {
                [("x", signs[0]), ("y", signs[1])]
                    .map(|(c, n)| (c.to_string(), n))
                    .into()
            };
        }
        Record::from_result(&s).unwrap()
    }

    /// The published cells of one question.
    fn cells<'a>(rec: &Record, p: &'a Published, question: &str) -> &'a [Cell] {
        let t = rec
            .tallies
            .iter()
            .find(|t| rec.shape.questions[t.question].id == question)
            .unwrap();
        let n = rec.shape.questions[t.question].choices.len();
        &p.cells[t.start..t.start + n]
    }

    #[test]
    fn two_ones_beside_a_published_headcount_take_a_third_count_with_them() {
        // 1 + 1 + 18 of 20 with only the ones hidden: they add up to 2, and as zeros are
        // published, each hidden count is at least 1, so each is 1.
        let rec = room(20, [1, 1, 18], [10, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(cells(&rec, &p, "pay"), &[Cell::Suppressed; 3]);
        assert_eq!(
            cells(&rec, &p, "signs"),
            &[Cell::Value(10), Cell::Value(10)]
        );
    }

    #[test]
    fn hidden_counts_adding_up_to_less_than_k_take_more_with_them() {
        // 3 + 1 hidden beside 16 of 20 would tell that 4 people chose a or b.
        let rec = room(20, [3, 1, 16], [10, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(cells(&rec, &p, "pay"), &[Cell::Suppressed; 3]);
    }

    #[test]
    fn a_multiple_choice_count_close_to_the_headcount_is_suppressed() {
        // 18 of 20 chose x: so 2 did not.
        let rec = room(20, [10, 10, 0], [18, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(
            cells(&rec, &p, "signs"),
            &[Cell::Suppressed, Cell::Value(10)]
        );
        assert_eq!(
            cells(&rec, &p, "pay"),
            &[Cell::Value(10), Cell::Value(10), Cell::Value(0)]
        );
        // Everyone chose x: nobody did not, and that says nothing about anyone in particular.
        let rec = room(20, [10, 10, 0], [20, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(
            cells(&rec, &p, "signs"),
            &[Cell::Value(20), Cell::Value(10)]
        );
    }

    #[test]
    fn a_small_non_response_is_not_left_to_subtraction() {
        // 10 + 9 + 0 of 20, all published, would tell that exactly 1 person did not answer: the
        // smallest non-zero count goes, so the 1 hides among 10 unknown people.
        let rec = room(20, [10, 9, 0], [10, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(
            cells(&rec, &p, "pay"),
            &[Cell::Value(10), Cell::Suppressed, Cell::Value(0)]
        );
        // Everyone answered, or 5 did not (k or more): nothing to hide.
        for pay in [[10, 10, 0], [10, 5, 0]] {
            let rec = room(20, pay, [10, 10]);
            let p = protect_session(&rec, 5, &mut Table::new());
            assert!(p.cells.iter().all(|c| *c != Cell::Suppressed), "{pay:?}");
        }
    }

    #[test]
    fn counts_beyond_the_headcount_add_up_to_nothing() {
        // 12 + 10 + 2 of 20 is a miscount: no line ties the 2 to anything, so it is hidden alone.
        let rec = room(20, [12, 10, 2], [10, 10]);
        let p = protect_session(&rec, 5, &mut Table::new());
        assert_eq!(p.headcount, Some(Cell::Value(20)));
        assert_eq!(
            cells(&rec, &p, "pay"),
            &[Cell::Value(12), Cell::Value(10), Cell::Suppressed]
        );
    }

    #[test]
    fn periods_use_dhis2_ids() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(PeriodType::Daily.of(d), "20261129");
        assert_eq!(PeriodType::Weekly.of(d), "2026W48");
        assert_eq!(PeriodType::Monthly.of(d), "202611");
        assert_eq!(PeriodType::Quarterly.of(d), "2026Q4");
        assert_eq!(PeriodType::Yearly.of(d), "2026");
    }

    #[test]
    fn mapping_files_are_checked() {
        let ok = r#"
            orgunit = "ImspTQPwCqd"
            [modules.warning-signs.questions.pay]
            before = "deBefore001"
            after = "deAfter0001"
            choices = { a = "cocA0000001", b = "cocB0000001" }
        "#;
        assert!(Dhis2Map::parse(ok).is_ok());
        let twice = ok.replace("deAfter0001", "deBefore001");
        let err = Dhis2Map::parse(&twice).unwrap_err();
        assert!(err.contains("deBefore001"), "{err}");
        let typo = ok.replace("before =", "befor =");
        assert!(Dhis2Map::parse(&typo).unwrap_err().contains("befor"));
        let comma = ok.replace("ImspTQPwCqd", "a,b");
        assert!(Dhis2Map::parse(&comma).unwrap_err().contains("a,b"));
    }
}
