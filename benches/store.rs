//! The score store's speed targets: record one session (fsync included) under 20 ms; `report`
//! over 100,000 sessions of 15 questions under 500 ms; an export of the same under 2 s.
//! Prints the numbers for the issue note. With `--test` (CI) it runs once on 2,000 sessions.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use waymark::store::sample::{self, Rng};
use waymark::store::{self, ExportFormat, ExportOptions, Filter, Store};

/// Counts bytes, writes nowhere: measures the export, not the disk.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn dhis2_map() -> store::Dhis2Map {
    let mut text = String::from("orgunit = \"ImspTQPwCqd\"\nperiod = \"monthly\"\n");
    for (mi, m) in ["warning-signs", "fake-job-offers", "getting-help", "rights"]
        .iter()
        .enumerate()
    {
        text.push_str(&format!(
            "[modules.{m}.participants]\ndataelement = \"P{mi:010}\"\n"
        ));
        for q in sample::questions(15) {
            text.push_str(&format!(
                "[modules.{m}.questions.{}]\nbefore = \"B{mi}{}\"\nafter = \"A{mi}{}\"\nduring = \"D{mi}{}\"\nchoices = {{ {} }}\n",
                q.id,
                q.id,
                q.id,
                q.id,
                q.choices
                    .iter()
                    .map(|c| format!("\"{c}\" = \"C{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    store::Dhis2Map::parse(&text).expect("bench mapping")
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t0 = Instant::now();
    let v = f();
    (v, t0.elapsed())
}

/// CPU time of this process, all threads (Linux: /proc/self/stat, 100 ticks a second), to tell
/// work from waiting on a busy machine.
fn cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time of one call, as "123 ms (cpu 210 ms)".
fn timed<T>(f: impl FnOnce() -> T) -> (T, String) {
    let c0 = cpu();
    let (v, wall) = time(f);
    let cpu = c0
        .zip(cpu())
        .map(|(a, b)| format!(" (cpu {:.0} ms)", (b - a).as_secs_f64() * 1e3))
        .unwrap_or_default();
    (v, format!("{:.0} ms{cpu}", wall.as_secs_f64() * 1e3))
}

fn bench(c: &mut Criterion) {
    let quick = std::env::args().any(|a| a == "--test");
    let n = if quick { 2_000 } else { 100_000 };

    // Record: one session per call, into a store on disk.
    let dir = tempfile::tempdir().unwrap();
    let mut recorder = Store::open(dir.path()).unwrap();
    let mut rng = Rng::new(1);
    c.bench_function("record_one_session_with_fsync", |b| {
        b.iter_batched(
            || sample::session(&mut rng, 15),
            |s| recorder.record(&s).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let runs = 50;
    let sessions: Vec<_> = (0..runs).map(|_| sample::session(&mut rng, 15)).collect();
    let (_, record_total) = time(|| {
        for s in &sessions {
            recorder.record(s).unwrap();
        }
    });
    drop(recorder);

    // A store of n sessions of 15 questions (10 checked before and after, 5 during).
    let big = tempfile::tempdir().unwrap();
    let mut store = Store::open(big.path()).unwrap();
    let all = sample::sessions(7, n, 15);
    let (_, fill) = time(|| {
        for chunk in all.chunks(10_000) {
            store.import_results(chunk).unwrap();
        }
    });
    drop(all);
    let size = std::fs::metadata(big.path().join(store::FILE_NAME))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(big.path().join("waymark.sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    drop(store);
    let (store, open) = time(|| Store::open(big.path()).unwrap());
    let (_, quick_check) = time(|| store.check().unwrap());

    let all_sessions = Filter::default();
    let one_module = Filter {
        module: Some("warning-signs".into()),
        since: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
        ..Filter::default()
    };
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.bench_function(format!("report_{n}_sessions"), |b| {
        b.iter(|| store::report(&store, &all_sessions).unwrap())
    });
    group.bench_function(format!("report_{n}_one_module_since"), |b| {
        b.iter(|| store::report(&store, &one_module).unwrap())
    });
    let options = |format| ExportOptions {
        format,
        dhis2: Some(dhis2_map()),
        ..ExportOptions::default()
    };
    for (name, format) in [
        ("csv", ExportFormat::Csv),
        ("json", ExportFormat::Json),
        ("dhis2", ExportFormat::Dhis2),
    ] {
        let opts = options(format);
        group.bench_function(format!("export_{name}_{n}_sessions"), |b| {
            b.iter(|| {
                store
                    .export(&all_sessions, &opts, &mut Counter(0), Path::new("-"))
                    .unwrap()
            })
        });
    }
    group.bench_function(format!("bundle_{n}_sessions"), |b| {
        b.iter(|| {
            store
                .write_bundle(&all_sessions, &mut Counter(0), Path::new("-"))
                .unwrap()
        })
    });
    group.finish();

    // One direct timing of each, printed for the issue note.
    let (report, report_time) = timed(|| store::report(&store, &all_sessions).unwrap());
    assert_eq!(report.sessions, n as u64);
    let (_, filtered_time) = timed(|| store::report(&store, &one_module).unwrap());
    let mut line = format!(
        "\nstore ({} threads): record {:.2} ms/session (mean of {runs}, fsync included; target \
         < 20 ms) | {n} sessions x 15 questions: fill {:.1} s, file {:.0} MB, open {:.1} ms, \
         quick_check {:.0} ms | report {report_time} (target < 500 ms), one module since a \
         date {filtered_time}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        record_total.as_secs_f64() * 1e3 / f64::from(runs),
        fill.as_secs_f64(),
        size as f64 / 1e6,
        open.as_secs_f64() * 1e3,
        quick_check.as_secs_f64() * 1e3,
    );
    for (name, format) in [
        ("csv", ExportFormat::Csv),
        ("json", ExportFormat::Json),
        ("dhis2", ExportFormat::Dhis2),
    ] {
        let mut out = Counter(0);
        let (summary, t) = timed(|| {
            store
                .export(&all_sessions, &options(format), &mut out, Path::new("-"))
                .unwrap()
        });
        line.push_str(&format!(
            " | export {name} {t}, {:.0} MB, {} of {} counts suppressed",
            out.0 as f64 / 1e6,
            summary.suppressed,
            summary.cells
        ));
    }
    let mut out = Counter(0);
    let (_, t) = timed(|| {
        store
            .write_bundle(&all_sessions, &mut out, Path::new("-"))
            .unwrap()
    });
    line.push_str(&format!(
        " | bundle {t}, {:.0} MB (target for exports < 2 s)",
        out.0 as f64 / 1e6
    ));
    // A real file on disk, as `waymark export --out` writes it.
    let file = big.path().join("export.csv");
    let (_, t) = timed(|| {
        store::write_atomically(&file, |w| {
            store
                .export(&all_sessions, &options(ExportFormat::Csv), w, &file)
                .map(|_| ())
        })
        .unwrap()
    });
    line.push_str(&format!(" | export csv to a file (fsync) {t}"));
    eprintln!("{line}");
}

criterion_group!(benches, bench);
criterion_main!(benches);
