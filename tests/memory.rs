//! Peak heap while loading the large corpus (200 modules x 20 steps x 5 translations) stays under
//! 100 MB. Counted by a global allocator in this test binary alone; no timing here.

use waymark::curriculum::{self, corpus, SourceKind, Sources};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

#[global_allocator]
static ALLOC: counting_alloc::Counting = counting_alloc::Counting;

#[test]
fn loading_the_large_corpus_peaks_under_100_mb() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus::write(dir.path(), 200, 20, 5).unwrap();
    assert_eq!(files, 1200);
    let sources = Sources {
        builtin: false,
        dirs: vec![(SourceKind::Flag, dir.path().to_path_buf())],
    };
    let (catalog, peak) = counting_alloc::peak_during(|| curriculum::load(&sources));
    assert_eq!(catalog.modules.len(), 200);
    assert!(
        catalog.diagnostics.is_empty(),
        "{:?}",
        catalog.diagnostics.first()
    );
    assert!(catalog.modules.iter().all(|m| m.translations.len() == 5));
    assert!(peak < 100_000_000, "peak heap {peak} bytes");
}
