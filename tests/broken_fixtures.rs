//! The corpus of broken curriculum files: each case under tests/fixtures/broken/<case>/ holds one
//! module folder with exactly one defect and an `expect.toml` naming the diagnostic it must give
//! (code, file, line, column, message). Every case is loaded beside tests/fixtures/good, whose
//! modules must still load: a broken module never hides the good ones.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use waymark::curriculum::{self, Catalog, Severity, SourceKind, Sources};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    /// Path of the file relative to the case folder.
    file: String,
    line: usize,
    column: usize,
    message: String,
    /// Defaults to "error".
    severity: Option<String>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load_beside_good(case_dir: &Path) -> Catalog {
    let sources = Sources {
        builtin: false,
        dirs: vec![
            (SourceKind::Flag, fixtures().join("good")),
            (SourceKind::Flag, case_dir.to_path_buf()),
        ],
    };
    curriculum::load(&sources)
}

/// Checks one case; returns a description of what went wrong, if anything.
fn check_case(case_dir: &Path, expect: &Expect) -> Result<(), String> {
    let catalog = load_beside_good(case_dir);
    let listing = catalog
        .diagnostics
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n");
    for good in ["good-one", "good-two"] {
        if catalog.module(good).is_none() {
            return Err(format!("good module `{good}` did not load:\n{listing}"));
        }
    }
    let severity = match expect.severity.as_deref().unwrap_or("error") {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        other => return Err(format!("bad severity {other} in expect.toml")),
    };
    let errors: Vec<_> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if severity == Severity::Error && errors.len() != 1 {
        return Err(format!(
            "expected exactly one error, got {}:\n{listing}",
            errors.len()
        ));
    }
    let want_path = case_dir.join(&expect.file);
    let found = catalog.diagnostics.iter().find(|d| {
        d.code == expect.code
            && d.severity == severity
            && d.path().map(Path::new) == Some(want_path.as_path())
    });
    let Some(d) = found else {
        return Err(format!(
            "no {} `{}` in {}:\n{listing}",
            severity_name(severity),
            expect.code,
            expect.file
        ));
    };
    let loc = d.location().ok_or("diagnostic has no location")?;
    if (loc.line, loc.column) != (expect.line, expect.column) {
        return Err(format!(
            "`{}` at {}:{}, expected {}:{}",
            expect.code, loc.line, loc.column, expect.line, expect.column
        ));
    }
    if d.message != expect.message {
        return Err(format!(
            "message {:?}, expected {:?}",
            d.message, expect.message
        ));
    }
    if d.help.as_deref().is_none_or(str::is_empty) && severity == Severity::Error {
        return Err(format!("`{}` says nothing on how to fix it", expect.code));
    }
    Ok(())
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

#[test]
fn every_broken_fixture_gives_its_diagnostic_and_the_good_modules_still_load() {
    let root = fixtures().join("broken");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/broken exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "the corpus has {} cases; at least 30 are wanted",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect_text = std::fs::read_to_string(case.join("expect.toml"))
            .unwrap_or_else(|e| panic!("{name}: expect.toml: {e}"));
        let expect: Expect =
            toml::from_str(&expect_text).unwrap_or_else(|e| panic!("{name}: expect.toml: {e}"));
        if let Err(why) = check_case(case, &expect) {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Cases too big or too odd to commit as files are generated here.
mod generated {
    use super::*;

    fn case_with(module_toml: &[u8]) -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("bad")).unwrap();
        std::fs::write(dir.path().join("bad/module.toml"), module_toml).unwrap();
        let catalog = load_beside_good(dir.path());
        (dir, catalog)
    }

    fn only_error(catalog: &Catalog) -> &curriculum::Diagnostic {
        let errors: Vec<_> = catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{:#?}", catalog.diagnostics);
        assert!(catalog.module("good-one").is_some() && catalog.module("good-two").is_some());
        errors[0]
    }

    #[test]
    fn a_five_megabyte_file_is_refused_unread() {
        let good = std::fs::read(fixtures().join("good/good-one/module.toml")).unwrap();
        let mut big = good.clone();
        big.extend(std::iter::repeat_n(b'#', 5 * 1024 * 1024));
        let (_dir, catalog) = case_with(&big);
        let d = only_error(&catalog);
        assert_eq!(d.code, "file-too-large");
        assert_eq!(
            d.message,
            "the file is 5.0 MB; curriculum files may be at most 1024 KB"
        );
        let loc = d.location().unwrap();
        assert_eq!((loc.line, loc.column), (1, 1));
    }

    #[test]
    fn a_deeply_nested_array_is_a_syntax_error_not_a_crash() {
        let text = format!(
            "id = \"bad\"\nx = {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let (_dir, catalog) = case_with(text.as_bytes());
        let d = only_error(&catalog);
        assert_eq!(d.code, "syntax");
        assert_eq!(d.location().unwrap().line, 2);
    }

    #[test]
    fn a_deeply_nested_inline_table_is_a_syntax_error_not_a_crash() {
        let text = format!(
            "id = \"bad\"\nx = {}1{}\n",
            "{a = ".repeat(5_000),
            "}".repeat(5_000)
        );
        let (_dir, catalog) = case_with(text.as_bytes());
        let d = only_error(&catalog);
        assert_eq!(d.code, "syntax");
        assert_eq!(d.location().unwrap().line, 2);
    }

    #[test]
    fn a_deeply_nested_dotted_key_is_a_syntax_error_not_a_crash() {
        let text = format!("id = \"bad\"\n{} = 1\n", vec!["a"; 5_000].join("."));
        let (_dir, catalog) = case_with(text.as_bytes());
        let d = only_error(&catalog);
        assert_eq!(d.code, "syntax");
        assert_eq!(d.location().unwrap().line, 2);
    }
}
