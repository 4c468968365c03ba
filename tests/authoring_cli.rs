//! The authoring commands as a trainer runs them: the real binary, its files and exit codes.
//! `waymark new` and `waymark import-gift` make modules that `waymark check` passes; nothing a
//! trainer wrote is ever overwritten; bad usage exits 2, problems exit 1.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/cli.rs"]
mod cli;
use cli::{run, waymark_in};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn new_writes_a_module_that_check_passes() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("modules");
    let (code, out, err) = run(waymark(home.path())
        .args(["new", "my-module", "--dir"])
        .arg(&dir));
    assert_eq!(code, 0, "{out}{err}");
    let file = dir.join("my-module/module.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("#:schema ../schema/module.schema.json\n"));
    assert!(dir.join("schema/module.schema.json").is_file());
    assert!(dir.join("schema/translation.schema.json").is_file());
    let (code, out, err) = run(waymark(home.path()).arg("check").arg(dir.join("my-module")));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok  my-module v1"), "{out}");
    assert!(out.contains("errors 0, warnings 0"), "{out}");
}

#[test]
fn new_in_the_current_folder_by_default() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, err) = run(waymark(home.path()).args(["new", "here"]));
    assert_eq!(code, 0, "{err}");
    assert!(home.path().join("here/module.toml").is_file());
}

#[test]
fn new_never_overwrites_and_checks_the_id() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("taken");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("module.toml"), "mine").unwrap();
    let (code, _, err) = run(waymark(home.path()).args(["new", "taken"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("already exists; nothing was written"), "{err}");
    assert_eq!(
        std::fs::read_to_string(target.join("module.toml")).unwrap(),
        "mine"
    );
    for bad in ["Bad", "has space", "-dash", "x/y", "", "é"] {
        let (code, _, err) = run(waymark(home.path()).args(["new", "--", bad]));
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("is not a valid module id"), "{err}");
        assert!(err.contains("help: ids use lowercase letters"), "{err}");
    }
}

#[test]
fn schema_writes_both_files() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(home.path()).args(["schema", "--out", "s"]));
    assert_eq!(code, 0);
    assert!(out.contains("module.schema.json"), "{out}");
    for (name, text) in waymark::authoring::schema::files() {
        assert_eq!(
            std::fs::read_to_string(home.path().join("s").join(name)).unwrap(),
            text
        );
    }
    let (code, _, _) = run(waymark(home.path()).arg("schema"));
    assert_eq!(code, 0);
    assert!(home.path().join("schema/module.schema.json").is_file());
}

#[test]
fn handout_prints_markdown_and_writes_html() {
    let home = tempfile::tempdir().unwrap();
    let curricula = fixtures().join("tui");
    let (code, out, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(&curricula)
        .args(["handout", "workshop"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Spotting a fake job offer\n"), "{out}");
    assert!(!out.contains("right answer"));
    let (code, _, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(&curricula)
        .args([
            "handout",
            "workshop",
            "--lang",
            "ar",
            "--facilitator",
            "--format",
            "html",
            "--out",
            "h.html",
        ]));
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(home.path().join("h.html")).unwrap();
    assert!(html.contains("dir=\"rtl\""));
    // A language the module lacks: a note, and the source text.
    let (code, out, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(&curricula)
        .args(["handout", "workshop", "--lang", "sw"]));
    assert_eq!(code, 0);
    assert!(err.contains("has no translation into sw"), "{err}");
    assert!(out.starts_with("# Spotting a fake job offer"));
}

#[test]
fn handout_of_an_unknown_module_is_bad_usage() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(fixtures().join("tui"))
        .args(["handout", "worksop"]));
    assert_eq!(code, 2);
    assert!(err.contains("there is no module `worksop`"), "{err}");
    assert!(err.contains("did you mean `workshop`?"), "{err}");
}

#[test]
fn import_gift_makes_a_module_that_check_passes() {
    let home = tempfile::tempdir().unwrap();
    let (code, _, err) = run(waymark(home.path())
        .arg("import-gift")
        .arg(fixtures().join("gift/unsupported.gift"))
        .args(["--id", "quiz", "--out", "mods"]));
    assert_eq!(code, 0, "{err}");
    // Each skipped question is listed with its file and line.
    let path = fixtures().join("gift/unsupported.gift");
    for line in [2, 4, 6, 11, 17, 19, 21, 23, 25] {
        assert!(
            err.contains(&format!("{}:{line}", path.display())),
            "line {line}: {err}"
        );
    }
    assert!(err.contains("questions 1"), "{err}");
    let module = home.path().join("mods/quiz");
    assert!(module.join("module.toml").is_file());
    let (code, out, err) = run(waymark(home.path()).arg("check").arg(&module));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok  quiz v1"), "{out}");
    assert!(out.contains("errors 0"), "{out}");
}

#[test]
fn import_gift_refuses_malformed_files_with_their_place() {
    let home = tempfile::tempdir().unwrap();
    let file = fixtures().join("gift/malformed/brace-unclosed.gift");
    let (code, _, err) = run(waymark(home.path())
        .arg("import-gift")
        .arg(&file)
        .args(["--id", "quiz"]));
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("--> {}:3:43", file.display())),
        "{err}"
    );
    assert!(err.contains("help: close the answers with }"), "{err}");
    assert!(err.contains("Nothing was written"), "{err}");
    assert!(!home.path().join("quiz").exists());
}

#[test]
fn import_gift_bad_usage() {
    let home = tempfile::tempdir().unwrap();
    let gift = fixtures().join("gift/single.gift");
    let (code, _, _) = run(waymark(home.path())
        .arg("import-gift")
        .arg(&gift)
        .args(["--id", "Not An Id"]));
    assert_eq!(code, 2);
    let (code, _, err) = run(waymark(home.path()).args(["import-gift", "nope.gift", "--id", "q"]));
    assert_eq!(code, 2);
    assert!(err.contains("nope.gift does not exist"), "{err}");
    let (code, _, _) = run(waymark(home.path()).arg("import-gift").arg(&gift));
    assert_eq!(code, 2, "--id is required");
    std::fs::create_dir_all(home.path().join("q")).unwrap();
    let (code, _, err) = run(waymark(home.path())
        .arg("import-gift")
        .arg(&gift)
        .args(["--id", "q"]));
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn import_gift_reports_invalid_utf8_at_its_place() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("latin1.gift");
    std::fs::write(&file, b"::Q::Caf\xe9?{=Oui ~Non}\n").unwrap();
    let (code, _, err) = run(waymark(home.path())
        .arg("import-gift")
        .arg(&file)
        .args(["--id", "q"]));
    assert_eq!(code, 1);
    assert!(err.contains("latin1.gift:1:9"), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
}

/// The binary with `home` as the home and working folder, its data in `home/data`.
fn waymark(home: &Path) -> Command {
    let mut c = waymark_in(&home.join("data"), home);
    c.env("HOME", home).current_dir(home);
    c
}
