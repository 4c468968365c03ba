//! Peak heap while loading the large corpus (200 modules x 20 steps x 5 translations) stays under
//! 100 MB. Counted by a global allocator in this test binary alone; no timing here.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

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

#[test]
fn loading_the_large_corpus_peaks_under_100_mb() {
    let dir = tempfile::tempdir().unwrap();
    let files = corpus::write(dir.path(), 200, 20, 5).unwrap();
    assert_eq!(files, 1200);
    let sources = Sources {
        builtin: false,
        dirs: vec![(SourceKind::Flag, dir.path().to_path_buf())],
    };
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let catalog = curriculum::load(&sources);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(catalog.modules.len(), 200);
    assert!(
        catalog.diagnostics.is_empty(),
        "{:?}",
        catalog.diagnostics.first()
    );
    assert!(catalog.modules.iter().all(|m| m.translations.len() == 5));
    assert!(peak < 100_000_000, "peak heap {peak} bytes");
}
