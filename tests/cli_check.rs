//! `waymark check` and `waymark list` as a trainer runs them: the real binary, its exit codes,
//! text and JSON output, and every source of modules (built-in, data folder, env, flags).

use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod cli;
use cli::{run, waymark};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn shipped_curricula_pass_check() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("check"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok  warning-signs v"), "{out}");
    assert!(out.contains("<built-in>/warning-signs"), "{out}");
    assert!(out.contains("errors 0"), "{out}");
}

#[test]
fn errors_exit_1_with_path_line_col_caret_and_help() {
    let data = tempfile::tempdir().unwrap();
    let case = fixtures().join("broken/unknown-key-typo");
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&case));
    assert_eq!(code, 1, "{out}");
    let path = case.join("bad/module.toml");
    assert!(
        out.contains(&format!("--> {}:5:1", path.display())),
        "{out}"
    );
    assert!(
        out.contains("error[unknown-key]: unknown key `titel` in module"),
        "{out}"
    );
    assert!(out.contains("5 | titel = \"Good one\""), "{out}");
    assert!(out.contains("  | ^^^^^"), "{out}");
    assert!(out.contains("help: did you mean `title`?"), "{out}");
}

#[test]
fn bad_usage_exits_2() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, err) = run(waymark(data.path()).args(["check", "/no/such/folder"]));
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/folder does not exist"), "{err}");
    let (code, _, _) = run(waymark(data.path()).args(["check", "--format", "yaml"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(waymark(data.path()).args(["frobnicate"]));
    assert_eq!(code, 2);
}

#[test]
fn json_output_has_the_same_diagnostics() {
    let data = tempfile::tempdir().unwrap();
    let case = fixtures().join("broken/unknown-key-typo");
    let (code, out, _) = run(waymark(data.path())
        .args(["check", "--format", "json"])
        .arg(&case));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-key");
    assert_eq!(d["message"], "unknown key `titel` in module");
    assert_eq!(d["help"], "did you mean `title`?");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 1);
    assert_eq!(d["end_column"], 6);
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("good-one");
    std::fs::create_dir(&m).unwrap();
    let text = std::fs::read_to_string(fixtures().join("good/good-one/module.toml")).unwrap();
    std::fs::write(m.join("module.toml"), text.replace("minutes = 4\n", "")).unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(dir.path()));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning[no-minutes]: step `story` has no planned time"),
        "{out}"
    );
    let (code, _, _) = run(waymark(data.path())
        .args(["check", "--deny-warnings"])
        .arg(dir.path()));
    assert_eq!(code, 1);
}

#[test]
fn every_source_is_loaded_and_later_sources_shadow_earlier() {
    let data = tempfile::tempdir().unwrap();
    // The data folder's curricula/ holds good-one; WAYMARK_CURRICULA holds good-one again;
    // --curricula holds good-two.
    let user = data.path().join("curricula/good-one");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::copy(
        fixtures().join("good/good-one/module.toml"),
        user.join("module.toml"),
    )
    .unwrap();
    let env_dir = tempfile::tempdir().unwrap();
    let env_mod = env_dir.path().join("good-one");
    std::fs::create_dir(&env_mod).unwrap();
    std::fs::copy(
        fixtures().join("good/good-one/module.toml"),
        env_mod.join("module.toml"),
    )
    .unwrap();
    let flag_dir = fixtures().join("good/good-two");
    let (code, out, _) = run(waymark(data.path())
        .env("WAYMARK_CURRICULA", env_dir.path())
        .arg("check")
        .arg("--curricula")
        .arg(&flag_dir));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note[shadowed]: module `good-one` here replaces the one in"),
        "{out}"
    );
    assert!(
        out.contains(&format!("ok  good-one v1  [en]  {}", env_mod.display())),
        "{out}"
    );
    assert!(out.contains("ok  good-two v1"), "{out}");
    assert!(out.contains("ok  warning-signs v"), "{out}");
}

#[test]
fn data_folder_follows_xdg_data_home() {
    let data = tempfile::tempdir().unwrap();
    let xdg = data.path().join("xdg-data/waymark/curricula/good-two");
    std::fs::create_dir_all(&xdg).unwrap();
    std::fs::copy(
        fixtures().join("good/good-two/module.toml"),
        xdg.join("module.toml"),
    )
    .unwrap();
    let mut cmd = waymark(data.path());
    cmd.env_remove("WAYMARK_DATA_DIR").arg("list");
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0);
    assert!(out.contains("good-two  Good two"), "{out}");
}

#[test]
fn a_single_translation_file_is_checked_against_its_module() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(data.path())
        .arg("check")
        .arg(fixtures().join("good/good-one/es.toml")));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("[en, es (reviewed)]"), "{out}");
}

#[test]
fn a_missing_curricula_folder_is_an_error() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(data.path()).args(["check", "--curricula", "/no/such/dir"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[missing-folder]: curricula folder not found"),
        "{out}"
    );
    assert!(out.contains("ok  warning-signs"), "{out}");
}

#[test]
fn global_flags_are_accepted_after_the_subcommand() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(data.path())
        .args(["list", "--data-dir"])
        .arg(data.path()));
    assert_eq!(code, 0);
    assert!(out.contains("warning-signs"), "{out}");
}
