//! The built-in curricula as a facilitator gets them: every module loads in every shipped
//! language, has the shape the content standard asks for (issue 6), cites what it lists, and
//! carries no help line number of its own: numbers come only from the facilitator's resources.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use waymark::curriculum::{self, Catalog, Module, Severity, Sources, StepKind};
use waymark::resources::{self, Name};

#[path = "support/cli.rs"]
mod cli;
use cli::{run, waymark_in};

/// The modules Waymark ships, and the languages each one ships in.
const MODULES: [&str; 5] = [
    "what-is-trafficking",
    "warning-signs",
    "fake-job-offers",
    "rights",
    "getting-help",
];
const TRANSLATIONS: [&str; 4] = ["es", "fr", "pt", "ar"];

fn builtin() -> Catalog {
    curriculum::load(&Sources {
        builtin: true,
        dirs: Vec::new(),
    })
}

fn module<'c>(catalog: &'c Catalog, id: &str) -> &'c Module {
    catalog
        .module(id)
        .unwrap_or_else(|| panic!("built-in module `{id}` did not load"))
}

/// Every text of a module a room or facilitator can see: source and every translation, with a
/// label saying where it comes from.
fn all_texts(m: &Module) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = m
        .text_keys()
        .into_iter()
        .map(|(k, v)| (format!("{}:{}:{k}", m.id, m.source_locale), v.to_string()))
        .collect();
    for s in &m.sources {
        out.push((format!("{}:sources.{}", m.id, s.id), s.citation.clone()));
    }
    for tr in m.translations.values() {
        for (k, v) in &tr.texts {
            out.push((format!("{}:{}:{k}", m.id, tr.locale), v.clone()));
        }
    }
    out
}

#[test]
fn the_five_modules_ship() {
    let catalog = builtin();
    let ids: BTreeSet<&str> = catalog.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, MODULES.into_iter().collect::<BTreeSet<_>>());
}

#[test]
fn every_module_loads_with_no_errors_in_every_language() {
    let catalog = builtin();
    let errors: Vec<String> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for id in MODULES {
        let m = module(&catalog, id);
        assert_eq!(m.source_locale, "en", "{id}");
        for lang in TRANSLATIONS {
            let tr = m
                .translations
                .get(lang)
                .unwrap_or_else(|| panic!("{id}: no `{lang}` translation loaded"));
            // Nobody has reviewed these as a native speaker yet: they must say so.
            assert_eq!(tr.status.name(), "draft", "{id}/{lang}");
            let localized = m.localized(lang);
            assert_eq!(localized.steps.len(), m.steps.len());
        }
    }
}

#[test]
fn the_only_warnings_are_draft_translations() {
    let catalog = builtin();
    let other: Vec<String> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.code != "draft")
        .map(ToString::to_string)
        .collect();
    assert!(other.is_empty(), "{other:#?}");
    let drafts = catalog
        .diagnostics
        .iter()
        .filter(|d| d.code == "draft")
        .count();
    assert_eq!(drafts, MODULES.len() * TRANSLATIONS.len());
}

#[test]
fn translations_are_complete_and_keep_every_resource() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        let keys: Vec<(String, &str)> = m.text_keys();
        for lang in TRANSLATIONS {
            let tr = &m.translations[lang];
            for (key, source) in &keys {
                let text = tr
                    .texts
                    .get(key)
                    .unwrap_or_else(|| panic!("{id}/{lang}: `{key}` is not translated"));
                let names = |t: &str| {
                    let mut v: Vec<String> = resources::placeholders(t)
                        .into_iter()
                        .map(|p| p.name.to_string())
                        .collect();
                    v.sort();
                    v
                };
                assert_eq!(names(text), names(source), "{id}/{lang}: {key}");
                // Every translated string records the source text it was made from.
                assert!(
                    tr.fingerprints.contains_key(key),
                    "{id}/{lang}: no fingerprint for `{key}`"
                );
            }
        }
    }
}

#[test]
fn each_module_has_the_standard_shape() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        assert!(
            (30..=45).contains(&m.minutes),
            "{id}: {} minutes",
            m.minutes
        );
        let planned: u32 = m.steps.iter().filter_map(|s| s.minutes).sum();
        assert!(planned <= m.minutes, "{id}: steps plan {planned} minutes");
        assert!(
            (8..=15).contains(&m.steps.len()),
            "{id}: {} steps",
            m.steps.len()
        );
        let scenarios = m
            .steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Scenario { .. }))
            .count();
        assert!(scenarios >= 2, "{id}: {scenarios} scenarios");
        for s in &m.steps {
            if let StepKind::Scenario { prompts, .. } = &s.kind {
                assert!(!prompts.is_empty(), "{id}/{}", s.id);
                let notes = s.notes.as_deref().unwrap_or("").to_lowercase();
                assert!(
                    notes.contains("draw out"),
                    "{id}/{}: scenario notes should say what to draw out",
                    s.id
                );
            }
        }
        let questions = m
            .steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Question(_)))
            .count();
        assert!((4..=6).contains(&questions), "{id}: {questions} questions");
        assert!(m.check_questions().count() >= 4, "{id}: check questions");
        let scored_checks = m
            .check_questions()
            .filter(|(_, q)| q.qtype.is_scored())
            .count();
        assert!(
            scored_checks >= 4,
            "{id}: {scored_checks} scored check questions"
        );
    }
}

#[test]
fn every_check_question_has_an_explanation() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        for (step, q) in m.check_questions() {
            let e = q.explanation.as_deref().unwrap_or("");
            assert!(!e.trim().is_empty(), "{id}/{}", step.id);
        }
        for s in &m.steps {
            if let StepKind::Question(q) = &s.kind {
                if q.qtype.is_scored() {
                    assert!(q.explanation.is_some(), "{id}/{}", s.id);
                }
            }
        }
    }
}

#[test]
fn the_opening_step_carries_safeguarding_notes() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        let first = &m.steps[0];
        assert!(matches!(first.kind, StepKind::Slide { .. }), "{id}");
        let notes = first.notes.as_deref().unwrap_or("").to_lowercase();
        for needle in [
            "topic in advance",
            "step out",
            "confidentiality",
            "discloses",
            "listen calmly",
            "leading questions",
            "do not promise to keep it secret",
            "immediate danger",
            "never confront",
        ] {
            assert!(
                notes.contains(needle),
                "{id}: opening notes lack `{needle}`"
            );
        }
    }
}

#[test]
fn every_cited_source_is_listed_and_the_closing_slide_lists_them_all() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        let listed: BTreeSet<&str> = m.sources.iter().map(|s| s.id.as_str()).collect();
        assert!(!listed.is_empty(), "{id}");
        let mut cited = BTreeSet::new();
        for s in &m.steps {
            for src in &s.sources {
                assert!(listed.contains(src.as_str()), "{id}/{}: `{src}`", s.id);
                cited.insert(src.as_str());
            }
        }
        assert_eq!(cited, listed, "{id}: a listed source is never cited");
        let last = m.steps.last().expect("steps");
        let StepKind::Slide { body, .. } = &last.kind else {
            panic!("{id}: the closing step is not a slide");
        };
        assert!(
            body.contains("Sources:"),
            "{id}: closing slide lists no sources"
        );
        let closing: BTreeSet<&str> = last.sources.iter().map(String::as_str).collect();
        assert_eq!(
            closing, listed,
            "{id}: the closing slide cites every source"
        );
    }
}

/// Digit runs, allowing the separators phone numbers are written with, of six digits or more:
/// `1-888-373-7888`, `08000 121 700`, `233733`. Years (`2021`), articles (`3(b)`) and
/// `27.6 million` stay below that.
fn phone_like(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_numeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = 0;
        let mut end = i;
        while i < chars.len() {
            let c = chars[i];
            if c.is_numeric() {
                digits += 1;
                end = i + 1;
            } else if !(matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}')
                && chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_numeric() || *n == '('))
            {
                break;
            }
            i += 1;
        }
        if digits >= 6 {
            found.push(chars[start..end].iter().collect());
        }
        i = i.max(end).max(start + 1);
    }
    found
}

#[test]
fn phone_like_catches_numbers_and_spares_years() {
    assert_eq!(phone_like("call 1-888-373-7888 now"), ["1-888-373-7888"]);
    assert_eq!(phone_like("text 233733"), ["233733"]);
    assert_eq!(phone_like("ring 08000 121 700."), ["08000 121 700"]);
    assert!(phone_like("In 2021, 27.6 million people; Article 3(b); 2011/36").is_empty());
}

#[test]
fn no_help_line_number_appears_in_module_text() {
    // The official numbers (content facts, "Help lines") and the usual emergency numbers: a
    // module must name a resource instead, so that each country shows its own.
    let known: [&str; 7] = [
        "18883737888",
        "233733",
        "18663472423",
        "08000121700",
        "911",
        "999",
        "112",
    ];
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        for (label, text) in all_texts(m) {
            let runs = phone_like(&text);
            assert!(runs.is_empty(), "{label}: phone-like number {runs:?}");
            let squashed: String = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
                .collect();
            for number in &known[..4] {
                assert!(!squashed.contains(number), "{label}: contains {number}");
            }
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                assert!(!known[4..].contains(&word), "{label}: contains `{word}`");
            }
        }
    }
}

#[test]
fn modules_name_only_known_resources_and_use_the_core_ones() {
    let catalog = builtin();
    for id in MODULES {
        let m = module(&catalog, id);
        let mut used = BTreeSet::new();
        for (label, text) in all_texts(m) {
            for p in resources::placeholders(&text) {
                let name = Name::parse(p.name);
                assert!(name.is_some(), "{label}: unknown resource {}", p.name);
                used.extend(name);
            }
        }
        // Every module ends by saying where to get help, and what to do in immediate danger.
        assert!(used.contains(&Name::Helpline), "{id}");
        assert!(used.contains(&Name::Emergency), "{id}");
    }
}

#[test]
fn unset_resources_show_a_marker_in_every_module() {
    let catalog = builtin();
    let none = resources::Resources::empty();
    for id in MODULES {
        let m = module(&catalog, id);
        let StepKind::Slide { body, .. } = &m.steps.last().expect("steps").kind else {
            panic!("{id}");
        };
        let filled = none.fill_in(body, "en");
        assert!(!filled.contains("{{"), "{id}: {filled}");
        assert!(
            filled.contains("ask your facilitator for the local number"),
            "{id}"
        );
    }
}

#[test]
fn the_session_sees_resources_filled_in_every_language() {
    // As `waymark` and `waymark preview` prepare the catalog: the UK set, emergency unset.
    let mut catalog = builtin();
    let hash_before = module(&catalog, "getting-help").content_hash.clone();
    resources::BuiltinSet::UnitedKingdom
        .resources()
        .fill_catalog(&mut catalog);
    let m = module(&catalog, "getting-help");
    assert_eq!(
        m.content_hash, hash_before,
        "a saved session must still resume"
    );
    for (label, text) in all_texts(m) {
        assert!(!text.contains("{{"), "{label}: {text}");
    }
    for locale in std::iter::once("en").chain(TRANSLATIONS) {
        let shown = m.localized(locale);
        let texts: String = shown
            .steps
            .iter()
            .filter_map(|s| match &s.kind {
                StepKind::Slide { body, .. } => Some(body.as_str()),
                _ => None,
            })
            .collect();
        assert!(texts.contains(resources::UK_HELPLINE), "{locale}");
        // Emergency is not in the UK set: the room sees the marker in its own language.
        let marker = Name::Emergency.unset_marker(locale);
        assert!(texts.contains(&marker), "{locale}: no {marker:?}");
    }
    let ar = Name::Emergency.unset_marker("ar");
    assert_ne!(ar, Name::Emergency.unset_marker("en"));
}

/// `check --format json`: the codes of its warnings.
fn warning_codes(config: &Path) -> (i32, BTreeSet<String>, serde_json::Value) {
    let (code, out, _) =
        run(waymark(config).args(["check", "--format", "json", "--deny-warnings"]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let codes = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    (code, codes, v)
}

#[test]
fn check_deny_warnings_fails_only_on_drafts_and_unset_resources() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing configured: draft translations, and each module shows unset resources.
    let (code, codes, v) = warning_codes(dir.path());
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(
        codes,
        ["draft", "unset-resource"].map(String::from).into(),
        "{v:#}"
    );

    // Every resource set: only the draft warnings remain.
    for name in Name::ALL {
        let (code, _, _) =
            run(waymark(dir.path()).args(["resources", "set", name.as_str(), "Test value"]));
        assert_eq!(code, 0);
    }
    let (code, codes, v) = warning_codes(dir.path());
    assert_eq!(code, 1, "drafts still fail --deny-warnings");
    assert_eq!(codes, ["draft"].map(String::from).into(), "{v:#}");
}

#[test]
fn resources_command_lists_sets_and_loads_builtin_sets() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(waymark(dir.path()).arg("resources"));
    assert_eq!(code, 0);
    assert!(out.contains("not created yet"), "{out}");
    for name in Name::ALL {
        assert!(out.contains(name.as_str()), "{out}");
    }
    let (code, out, _) = run(waymark(dir.path()).args(["resources", "use", "us"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1-888-373-7888"), "{out}");
    assert!(out.contains("1-866-347-2423"), "{out}");
    assert!(out.contains("Still unset"), "{out}");
    let file = dir.path().join("xdg-config/waymark/resources.toml");
    assert!(file.is_file());
    let (code, out, _) = run(waymark(dir.path()).args(["resources", "use", "uk"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("08000 121 700"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("1-866-347-2423"), "{text}");
    let (code, _, _) = run(waymark(dir.path()).args(["resources", "use", "fr"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(waymark(dir.path()).args(["resources", "set", "helpine", "x"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(waymark(dir.path()).args(["resources", "unset", "helpline"]));
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("helpline")), "{text}");
}

#[test]
fn check_reports_an_unknown_resource_name_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("typo");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(
        m.join("module.toml"),
        r#"id = "typo"
version = 1
source_locale = "en"
title = "T"
summary = "S"
audience = "A"
minutes = 5

[[sources]]
id = "s"
citation = "C"

[[steps]]
id = "end"
kind = "slide"
minutes = 1
sources = ["s"]
title = "Help"
body = "Call {{helpine}}."
"#,
    )
    .unwrap();
    let (code, out, _) = run(waymark(dir.path()).arg("check").arg(&m));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[unknown-resource]: unknown help resource {{helpine}}"),
        "{out}"
    );
    assert!(out.contains("did you mean `{{helpline}}`?"), "{out}");
    assert!(out.contains(":19:14"), "{out}");
}

/// The binary with its data in `config/data` and the XDG folders under `config`.
fn waymark(config: &Path) -> Command {
    waymark_in(&config.join("data"), config)
}
