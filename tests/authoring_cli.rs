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

/// Copies the built-in module `id` to `curricula/<id>` and removes the closing quote of the
/// first `title = "..."` of `file` there; returns the file and the line broken.
fn break_title(curricula: &Path, id: &str, file: &str) -> (PathBuf, usize) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("curricula")
        .join(id);
    let dir = curricula.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(&from).unwrap().flatten() {
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("title = \""))
        .unwrap();
    let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    broken[at].pop();
    std::fs::write(&path, broken.join("\n") + "\n").unwrap();
    (path, at + 1)
}

#[test]
fn handout_refuses_a_broken_copy_instead_of_printing_the_built_in_one() {
    let home = tempfile::tempdir().unwrap();
    let curricula = home.path().join("mine");
    let (file, line) = break_title(&curricula, "rights", "module.toml");
    let place = format!("{}:{line}:", file.display());
    for out_file in [None, Some("h.html")] {
        let mut c = waymark(home.path());
        c.arg("--curricula")
            .arg(&curricula)
            .args(["handout", "rights", "--format", "html"]);
        if let Some(f) = out_file {
            c.args(["--out", f]);
        }
        let (code, out, err) = run(&mut c);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains(&place), "{err}");
        assert!(err.contains("error[syntax]"), "{err}");
        assert!(err.contains("note[kept-earlier]"), "{err}");
        assert!(err.contains("no handout of `rights` was made"), "{err}");
        assert!(!home.path().join("h.html").exists());
    }
    // A module with no other copy: the same errors, and no handout.
    let only = curricula.join("only-mine");
    std::fs::create_dir_all(&only).unwrap();
    std::fs::write(
        only.join("module.toml"),
        "id = \"only-mine\"\ntitle = \"Mine\n",
    )
    .unwrap();
    let (code, out, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(&curricula)
        .args(["handout", "only-mine"]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(&format!("{}:2:", only.join("module.toml").display())),
        "{err}"
    );
    assert!(err.contains("module `only-mine` has errors"), "{err}");
    // Without the broken copies the built-in module prints as before.
    std::fs::remove_dir_all(&curricula).unwrap();
    let (code, out, err) = run(waymark(home.path()).args(["handout", "rights"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# "), "{out}");
}

#[test]
fn handout_refuses_a_broken_translation_in_the_language_asked_for() {
    let home = tempfile::tempdir().unwrap();
    let curricula = home.path().join("mine");
    let (file, line) = break_title(&curricula, "rights", "es.toml");
    let with = |lang: &str| {
        run(waymark(home.path())
            .arg("--curricula")
            .arg(&curricula)
            .args(["handout", "rights", "--lang", lang]))
    };
    // Spanish would come out in English, or from the built-in Spanish: neither was meant.
    let (code, out, err) = with("es");
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!("{}:{line}:", file.display())),
        "{err}"
    );
    // Another language is not concerned.
    let (code, out, err) = with("fr");
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
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

#[test]
fn a_handout_is_never_written_over_the_score_store() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("waymark.sqlite3");
    let mut header = b"SQLite format 3\0".to_vec();
    header.resize(4096, 0);
    std::fs::write(&store, &header).unwrap();
    let (code, _, err) = run(waymark(home.path())
        .arg("--curricula")
        .arg(fixtures().join("tui"))
        .args(["handout", "workshop", "--out"])
        .arg(&store));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("waymark.sqlite3"), "{err}");
    assert_eq!(
        std::fs::read(&store).unwrap(),
        header,
        "the database was changed"
    );
}
