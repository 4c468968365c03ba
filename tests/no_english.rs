//! No English outside `locales/en.yml`: every command and every screen is run with a
//! pseudo-locale (each en.yml string with its letters accented, placeholders kept), so that any
//! plain English word left in the output was written in the code instead of going through `t!`.
//! What may stay: data (paths, ids, module text), metavariables in capitals, key names.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;
use common::{english_words, pseudo, pseudo_locale, PSEUDO};

#[path = "support/cli.rs"]
mod cli;

fn waymark(data: &Path, locales: &Path) -> Command {
    let mut c = cli::waymark(data);
    c.env("WAYMARK_LANG", PSEUDO).arg("--locales").arg(locales);
    c
}

/// Words of the curriculum text a command may print as it is (titles, citations).
fn curriculum_words(catalog: &waymark::curriculum::Catalog) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in &catalog.modules {
        let mut texts: Vec<String> = m
            .text_keys()
            .into_iter()
            .map(|(_, v)| v.to_string())
            .collect();
        texts.extend(m.sources.iter().map(|s| s.citation.clone()));
        for t in texts {
            for w in t.split(|c: char| !c.is_ascii_alphabetic()) {
                out.insert(w.to_string());
            }
        }
    }
    out
}

#[test]
fn commands_print_no_english_outside_en_yml() {
    let tmp = tempfile::tempdir().unwrap();
    let locales = pseudo_locale(tmp.path());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // Help of every command, at every depth.
    let mut runs: Vec<Vec<String>> = vec![vec!["--help".into()], vec!["help".into()]];
    fn paths(c: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        for s in c.get_subcommands() {
            let mut p = prefix.clone();
            p.push(s.get_name().to_string());
            let mut help = p.clone();
            help.push("--help".into());
            out.push(help);
            paths(s, p, out);
        }
    }
    paths(&waymark::cli::Cli::command(), vec![], &mut runs);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    runs.extend([
        s(&["check"]),
        s(&["list"]),
        s(&["translate", "status"]),
        s(&["resources"]),
        s(&["report"]),
        s(&["frobnicate"]),
        s(&["check", "--format", "xml"]),
        s(&["check", "/no/such/place"]),
        s(&["translate", "new", "no-such-module", "sw"]),
        s(&["translate", "new", "--ui", "xx-not-a-tag-at-all"]),
    ]);
    let broken = fixtures.join("broken");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&broken)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut check = vec!["check".to_string()];
    check.extend(cases.iter().map(|p| p.display().to_string()));
    runs.push(check);

    let mut catalog_words = curriculum_words(&waymark::curriculum::load(
        &waymark::curriculum::Sources::standard(None, None, &[]),
    ));
    for case in &cases {
        if let Ok(c) = waymark::curriculum::load_paths(std::slice::from_ref(case)) {
            catalog_words.extend(curriculum_words(&c));
        }
    }
    let mut leaks = Vec::new();
    for args in &runs {
        let out = waymark(tmp.path(), &locales).args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // `list` and `check` print module titles and ids: data, not interface.
        let words = english_words(&text, &catalog_words);
        if !words.is_empty() {
            leaks.push(format!("waymark {}: {words:?}\n{text}", args.join(" ")));
        }
    }
    assert!(
        leaks.is_empty(),
        "English outside en.yml:\n{}",
        leaks.join("\n\n")
    );
}

#[test]
fn the_pseudo_locale_is_complete_and_accents_everything() {
    assert_eq!(
        pseudo("Answers: %{count} of {{helpline}}"),
        "Àñšŵéŕš: %{count} ôƒ {{helpline}}"
    );
    let found = english_words(
        "Àñšŵéŕš: 4  waymark check  DIR  Leaked words",
        &BTreeSet::new(),
    );
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["Leaked", "words"]);
}

/// The words of a text, as data a command may print back (a GIFT file's questions).
fn words_of(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .map(String::from)
        .collect()
}

/// The text a reader sees in an HTML page: no tags, no style sheet.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = if rest.starts_with("<style") {
            rest.find("</style>").map(|j| j + "</style>".len())
        } else {
            rest.find('>').map(|j| j + 1)
        };
        match end {
            Some(j) => {
                out.push(' ');
                rest = &rest[j..];
            }
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn authoring_and_translator_commands_print_no_english_outside_en_yml() {
    let tmp = tempfile::tempdir().unwrap();
    let locales = pseudo_locale(tmp.path());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let work = tmp.path().join("work");
    // A module of our own to translate, and a folder for interface files (`translate new --ui`
    // writes into the first `--locales` folder).
    let curricula = work.join("curricula");
    let module = curricula.join("workshop");
    std::fs::create_dir_all(&module).unwrap();
    for e in std::fs::read_dir(fixtures.join("tui/workshop")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), module.join(e.file_name())).unwrap();
    }
    let ui = work.join("ui-locales");
    std::fs::create_dir_all(&ui).unwrap();
    let gift = fixtures.join("gift/limits.gift");
    let html = work.join("handout.html");
    let p = |p: &Path| p.display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cur = p(&curricula);
    // A handout speaks the language of the module text it shows (an English module shows
    // English headings from en.yml), so the module gets a pseudo-locale translation first.
    let runs: Vec<Vec<String>> = vec![
        s(&["new", "my-module", "--dir", &p(&work.join("new"))]),
        s(&["schema", "--out", &p(&work.join("schema-out"))]),
        s(&["--curricula", &cur, "translate", "new", "workshop", PSEUDO]),
        s(&["--curricula", &cur, "handout", "workshop"]),
        s(&["--curricula", &cur, "handout", "workshop", "--facilitator"]),
        s(&[
            "--curricula",
            &cur,
            "handout",
            "workshop",
            "--format",
            "html",
        ]),
        s(&[
            "--curricula",
            &cur,
            "handout",
            "workshop",
            "--format",
            "html",
            "--facilitator",
            "--out",
            &p(&html),
        ]),
        s(&[
            "import-gift",
            &p(&gift),
            "--id",
            "quiz",
            "--out",
            &p(&work.join("gift")),
        ]),
        s(&["--curricula", &cur, "translate", "new", "workshop", "sw"]),
        s(&["--curricula", &cur, "translate", "update", "workshop", "sw"]),
        s(&["--curricula", &cur, "translate", "update", "workshop", "hi"]),
        s(&["translate", "new", "--ui", "sw"]),
        s(&["translate", "update", "--ui", "sw"]),
        s(&["translate", "new", "--ui", "pt-BR"]),
        s(&["translate", "update", "--ui", "pt-BR"]),
    ];
    let mut data = curriculum_words(&waymark::curriculum::load(
        &waymark::curriculum::Sources::standard(None, None, &[]),
    ));
    if let Ok(c) = waymark::curriculum::load_paths(std::slice::from_ref(&curricula)) {
        data.extend(curriculum_words(&c));
    }
    data.extend(words_of(&std::fs::read_to_string(&gift).unwrap()));
    // Ids are data too (the facilitator's handout names the module).
    data.insert("workshop".into());
    let mut leaks = Vec::new();
    for args in &runs {
        let out = cli::waymark(tmp.path())
            .env("WAYMARK_LANG", PSEUDO)
            .arg("--locales")
            .arg(&ui)
            .arg("--locales")
            .arg(&locales)
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "waymark {}: {:?}\n{stdout}{stderr}",
            args.join(" "),
            out.status
        );
        let shown = if args.iter().any(|a| a == "html") {
            html_text(&stdout)
        } else {
            stdout
        };
        let text = format!("{shown}{stderr}");
        let words = english_words(&text, &data);
        if !words.is_empty() {
            leaks.push(format!("waymark {}: {words:?}\n{text}", args.join(" ")));
        }
    }
    // The page written with --out reads the same as the one printed.
    let page = html_text(&std::fs::read_to_string(&html).unwrap());
    let words = english_words(&page, &data);
    if !words.is_empty() {
        leaks.push(format!("{}: {words:?}\n{page}", html.display()));
    }
    assert!(
        leaks.is_empty(),
        "English outside en.yml:\n{}",
        leaks.join("\n\n")
    );
}
