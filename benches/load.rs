//! Loading and validating a large corpus (200 modules x 20 steps x 5 translations), against
//! `toml::from_str` into `toml::Value` alone on the same files. Targets: under 300 ms, at most
//! 3x the bare parse, peak heap under 100 MB (printed; the memory test asserts it).

use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use waymark::curriculum::{self, corpus, SourceKind, Sources};

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;

#[global_allocator]
static ALLOC: counting_alloc::Counting = counting_alloc::Counting;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for m in std::fs::read_dir(dir).unwrap().flatten() {
        for f in std::fs::read_dir(m.path()).unwrap().flatten() {
            out.push(f.path());
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let n = corpus::write(dir.path(), 200, 20, 5).unwrap();
    let sources = Sources {
        builtin: false,
        dirs: vec![(SourceKind::Flag, dir.path().to_path_buf())],
    };
    let texts: Vec<String> = files_under(dir.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();

    // Sanity and memory, outside the timed loops.
    let (catalog, peak) = counting_alloc::peak_during(|| curriculum::load(&sources));
    assert_eq!(catalog.modules.len(), 200);
    assert!(
        catalog.diagnostics.is_empty(),
        "{:?}",
        &catalog.diagnostics[..1]
    );
    drop(catalog);

    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    group.bench_function("load_and_validate_200x20x5", |b| {
        b.iter(|| curriculum::load(&sources))
    });
    group.bench_function("toml_value_only_same_files", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(toml::from_str::<toml::Value>(t).unwrap());
            }
        })
    });
    group.finish();

    // A direct comparison over the same number of runs, printed for the issue note.
    let runs = 10;
    let t0 = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(curriculum::load(&sources));
    }
    let load = t0.elapsed() / runs;
    let t0 = Instant::now();
    for _ in 0..runs {
        for t in &texts {
            std::hint::black_box(toml::from_str::<toml::Value>(t).unwrap());
        }
    }
    let parse = t0.elapsed() / runs;
    eprintln!(
        "\ncorpus: {n} files, {:.1} MB | load+validate: {:.1} ms | toml::Value only: {:.1} ms | ratio {:.2}x (target <= 3x, < 300 ms) | peak heap during load: {:.1} MB (target < 100 MB)",
        bytes as f64 / 1e6,
        load.as_secs_f64() * 1e3,
        parse.as_secs_f64() * 1e3,
        load.as_secs_f64() / parse.as_secs_f64(),
        peak as f64 / 1e6
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
