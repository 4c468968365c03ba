//! Properties of the loader on damaged input: whatever a half-saved or corrupted file holds,
//! loading never panics, every diagnostic points inside the file, and the other module loads.

use std::path::Path;

use proptest::prelude::*;
use waymark::curriculum::{self, Severity, SourceKind, Sources};

fn good_text() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/warning-signs/module.toml");
    std::fs::read_to_string(p).unwrap()
}

fn load_damaged(bytes: &[u8]) -> curriculum::Catalog {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("warning-signs");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("module.toml"), bytes).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    curriculum::load(&Sources {
        builtin: false,
        dirs: vec![
            (SourceKind::Flag, fixtures),
            (SourceKind::Flag, dir.path().to_path_buf()),
        ],
    })
}

fn assert_sane(catalog: &curriculum::Catalog, len: usize) -> Result<(), TestCaseError> {
    prop_assert!(catalog.module("good-one").is_some());
    for d in &catalog.diagnostics {
        if let Some(span) = &d.span {
            prop_assert!(span.start <= span.end && span.end <= len + 3, "{d}");
        }
        let loc = d.location().unwrap();
        prop_assert!(loc.line >= 1 && loc.column >= 1);
        if d.severity == Severity::Error {
            prop_assert!(d.help.is_some(), "error without help: {d}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn truncated_at_any_byte(cut in 0usize..1_000_000) {
        let text = good_text();
        let cut = cut % (text.len() + 1);
        let catalog = load_damaged(&text.as_bytes()[..cut]);
        assert_sane(&catalog, cut)?;
        // A cut file either still holds a whole module or says what is wrong.
        if catalog.module("warning-signs").is_none() {
            prop_assert!(catalog.diagnostics.iter().any(|d| d.severity == Severity::Error));
        }
    }

    #[test]
    fn random_bytes_overwritten(at in 0usize..1_000_000, junk in proptest::collection::vec(any::<u8>(), 1..8)) {
        let mut bytes = good_text().into_bytes();
        let at = at % bytes.len();
        for (i, b) in junk.iter().enumerate() {
            if let Some(slot) = bytes.get_mut(at + i) {
                *slot = *b;
            }
        }
        let len = bytes.len();
        let catalog = load_damaged(&bytes);
        assert_sane(&catalog, len)?;
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        let catalog = load_damaged(text.as_bytes());
        assert_sane(&catalog, text.len())?;
        prop_assert!(catalog.module("warning-signs").is_none());
    }
}
