//! Loading and validating a large corpus (200 modules x 20 steps x 5 translations), against
//! `toml::from_str` into `toml::Value` alone on the same files. Targets: under 300 ms, at most
//! 3x the bare parse, peak heap under 100 MB (printed; the memory test asserts it).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use waymark::curriculum::{self, corpus, SourceKind, Sources};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

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
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let catalog = curriculum::load(&sources);
    let peak = PEAK.load(Ordering::Relaxed) - base;
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
