//! GIFT import, one fixture per construct of the format (tests/fixtures/gift): what each becomes,
//! a snapshot of the module file written, the module passing the loader's checks, and malformed
//! files refused with the right `line:col`.

use std::path::PathBuf;

use waymark::authoring::gift::{self, Import};
use waymark::curriculum::{
    validate, Diagnostic, Module, Origin, QuestionType, Severity, SourceFile, SourceKind, StepKind,
};

fn fixture(name: &str) -> SourceFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gift")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    // The file name alone, so snapshots do not depend on where the repository lives.
    SourceFile::new(name.rsplit('/').next().unwrap(), Some(text.into()))
}

/// Imports a fixture that must convert, and checks the module it makes with the loader.
fn import(name: &str) -> (Import, Module) {
    let import = gift::convert(&fixture(name), "imported", "en")
        .unwrap_or_else(|e| panic!("{name}: {e:#?}"));
    let file = SourceFile::new(
        "imported/module.toml",
        Some(import.module_toml.as_str().into()),
    );
    let origin = Origin {
        kind: SourceKind::Path,
        dir: "imported".into(),
    };
    let (module, diags) = validate::module(&file, "imported", origin);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: {errors:#?}\n{}",
        import.module_toml
    );
    (import, module.unwrap())
}

fn question(m: &Module, id: &str) -> (QuestionType, Vec<(String, bool)>, Option<String>, String) {
    let step = m.step(id).unwrap_or_else(|| panic!("no step {id}"));
    match &step.kind {
        StepKind::Question(q) => (
            q.qtype,
            q.choices
                .iter()
                .map(|c| (c.text.clone(), c.correct))
                .collect(),
            q.explanation.clone(),
            q.prompt.clone(),
        ),
        other => panic!("{id} is {other:?}"),
    }
}

fn choice_ids(m: &Module, id: &str) -> Vec<String> {
    match &m.step(id).unwrap().kind {
        StepKind::Question(q) => q.choices.iter().map(|c| c.id.clone()).collect(),
        _ => Vec::new(),
    }
}

fn snapshot(name: &str, import: &Import) {
    insta::assert_snapshot!(
        format!("gift_{}", name.trim_end_matches(".gift")),
        import.module_toml
    );
}

#[test]
fn multiple_choice_with_one_right_answer_is_single() {
    let (i, m) = import("single.gift");
    let (t, choices, _, prompt) = question(&m, "recruitment-fees");
    assert_eq!(t, QuestionType::Single);
    assert!(prompt.starts_with("A recruiter says"));
    assert_eq!(
        choices,
        [
            ("It is a red flag".to_string(), true),
            ("It is normal for good jobs".to_string(), false),
            ("It means the job is official".to_string(), false)
        ]
    );
    let (_, choices, _, _) = question(&m, "q2");
    assert!(choices[1].1 && !choices[0].1 && !choices[2].1);
    assert_eq!(choice_ids(&m, "q2"), ["a", "b", "c"]);
    snapshot("single.gift", &i);
}

#[test]
fn weighted_answers_are_multiple() {
    let (i, m) = import("multiple.gift");
    let (t, choices, _, _) = question(&m, "red-flags");
    assert_eq!(t, QuestionType::Multiple);
    let right: Vec<bool> = choices.iter().map(|c| c.1).collect();
    assert_eq!(right, [true, true, false, false]);
    let (t, choices, _, _) = question(&m, "warning-signs");
    assert_eq!(t, QuestionType::Multiple);
    assert_eq!(choices.iter().filter(|c| c.1).count(), 3);
    snapshot("multiple.gift", &i);
}

#[test]
fn true_false_in_every_spelling_with_feedback() {
    let (i, m) = import("true_false.gift");
    for (id, truth) in [
        ("only-the-uneducated", false),
        ("copies", true),
        ("consent", false),
        ("helplines", true),
    ] {
        let (t, choices, _, _) = question(&m, id);
        assert_eq!(t, QuestionType::TrueFalse);
        assert_eq!(choices[0], ("True".to_string(), truth), "{id}");
        assert_eq!(choices[1], ("False".to_string(), !truth), "{id}");
        assert_eq!(choice_ids(&m, id), ["true", "false"]);
    }
    // `{FALSE#wrong#right}`: the right answer's feedback first, then the wrong one's.
    let (_, _, explanation, _) = question(&m, "consent");
    assert_eq!(
        explanation.unwrap(),
        "“False”: Right: consent obtained by deception is not consent.\n\
         “True”: No: consent to travel does not cancel exploitation."
    );
    let (_, _, explanation, _) = question(&m, "helplines");
    assert!(explanation
        .unwrap()
        .starts_with("Give the local number to the room.\n"));
    snapshot("true_false.gift", &i);
}

#[test]
fn answer_feedback_and_general_feedback_become_the_explanation() {
    let (i, m) = import("feedback.gift");
    let (_, _, explanation, _) = question(&m, "who-to-tell");
    let explanation = explanation.unwrap();
    let lines: Vec<&str> = explanation.lines().collect();
    assert_eq!(lines.len(), 4, "{explanation}");
    assert!(lines[0].starts_with("Encourage the room"));
    assert!(lines[1].contains("Yes: talking it over helps"));
    snapshot("feedback.gift", &i);
}

#[test]
fn comments_are_kept_as_comments() {
    let (i, m) = import("comments.gift");
    assert_eq!(m.steps.len(), 1);
    for c in [
        "# // A file-level comment before anything else.",
        "# // question: 101  name: Passport",
        "# // A comment line inside the answers is ignored by Moodle too.",
        "# // A comment-only block at the end of the file.",
    ] {
        assert!(i.module_toml.contains(c), "{c}");
    }
    let (_, choices, _, prompt) = question(&m, "passport");
    assert_eq!(choices.len(), 2);
    assert!(prompt.contains("\"for safety\""));
    snapshot("comments.gift", &i);
}

#[test]
fn categories_name_the_module_and_stay_as_comments() {
    let (i, m) = import("categories.gift");
    assert_eq!(m.title, "Recognising trafficking");
    assert!(i
        .module_toml
        .contains("# Moodle category: $course$/top/Recognising trafficking/Getting help"));
    assert_eq!(m.steps.len(), 2);
    snapshot("categories.gift", &i);
}

#[test]
fn titles_become_ids_and_comments() {
    let (i, m) = import("titles.gift");
    let ids: Vec<&str> = m.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "time-how-long",
            "time-how-long-2",
            "o-travailler",
            "q4",
            "q5"
        ]
    );
    assert!(i.module_toml.contains("# GIFT title: Time: how long?"));
    assert!(i.module_toml.contains("# GIFT title: عرض عمل"));
    snapshot("titles.gift", &i);
}

#[test]
fn escapes_are_resolved() {
    let (i, m) = import("escapes.gift");
    let (_, choices, explanation, prompt) = question(&m, "escapes");
    assert_eq!(
        prompt,
        "Which sign is written ~ in GIFT\\? 2 + 2 = 4, #1, a {brace}, a colon: and a backslash \\.\nA second line."
    );
    assert_eq!(choices[0].0, "The tilde ~");
    assert_eq!(choices[1].0, "The equals sign =");
    assert_eq!(choices[2].0, "A {brace}");
    assert_eq!(
        explanation.unwrap(),
        "“The tilde ~”: Yes: ~ marks a wrong answer."
    );
    snapshot("escapes.gift", &i);
}

#[test]
fn text_formats_are_reduced_to_plain_text() {
    let (i, m) = import("formats.gift");
    assert_eq!(
        question(&m, "plain").3,
        "A question in plain text with *stars* kept as written."
    );
    assert_eq!(
        question(&m, "markdown").3,
        "Is pay far above the usual a red flag? See the guide (https://example.org/guide)."
    );
    assert_eq!(question(&m, "markdown").1[0].0, "Yes, it is a common lure");
    let (_, choices, explanation, prompt) = question(&m, "html");
    assert_eq!(
        prompt,
        "Which of these is safe?\n\nThink of the passport & the phone."
    );
    assert_eq!(choices[0].0, "Keeping your own passport");
    assert_eq!(
        explanation.unwrap(),
        "Say it twice.\n“Keeping your own passport”: Right\nalways"
    );
    assert!(question(&m, "image")
        .3
        .contains("[A job advert promising high pay]"));
    let warned: Vec<&str> = i.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(warned, ["gift-import"], "the image is reported");
    snapshot("formats.gift", &i);
}

#[test]
fn descriptions_become_slides() {
    let (i, m) = import("description.gift");
    assert_eq!(i.slides, 2);
    assert_eq!(i.questions, 0);
    match &m.steps[0].kind {
        StepKind::Slide { title, body } => {
            assert_eq!(title, "Before we begin");
            assert!(body.contains("forced labour.\nIn this part"));
        }
        other => panic!("{other:?}"),
    }
    match &m.steps[1].kind {
        StepKind::Slide { title, .. } => assert!(title.starts_with("This description has")),
        other => panic!("{other:?}"),
    }
    snapshot("description.gift", &i);
}

#[test]
fn unsupported_types_are_listed_with_lines_and_kept_as_comments() {
    let (i, m) = import("unsupported.gift");
    let skipped: Vec<(usize, &str)> = i
        .skipped
        .iter()
        .map(|s| (s.line, s.what.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (2, "a numerical question"),
            (4, "a numerical question"),
            (6, "a numerical question"),
            (11, "a matching question"),
            (17, "a short-answer question (typed answers)"),
            (19, "an essay question (no answers to choose from)"),
            (21, "an essay question (no answers to choose from)"),
            (
                23,
                "a missing-word question (the answers sit inside the text)"
            ),
            (
                25,
                "a missing-word question (the answers sit inside the text)"
            ),
        ]
    );
    // Each is a warning at its line, and its GIFT text is kept in the module file.
    let lines: Vec<usize> = i
        .diagnostics
        .iter()
        .filter(|d| d.code == "gift-skipped")
        .map(|d| d.location().unwrap().line)
        .collect();
    assert_eq!(lines, [2, 4, 6, 11, 17, 19, 21, 23, 25]);
    assert!(i
        .module_toml
        .contains("#         =Passport taken -> document confiscation"));
    assert!(i
        .module_toml
        .contains("#     ::Essay::Describe a safe way to check a job offer. {}"));
    assert_eq!(m.steps.len(), 1);
    assert_eq!(m.steps[0].id, "fine");
    snapshot("unsupported.gift", &i);
}

#[test]
fn two_answer_blocks_are_malformed_not_missing_word() {
    let (i, m) = import("two-answer-blocks.gift");
    let malformed = "a malformed question: more than one { ... } block of answers";
    let skipped: Vec<(usize, &str)> = i
        .skipped
        .iter()
        .map(|s| (s.line, s.what.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (3, malformed),
            (5, malformed),
            (7, malformed),
            (
                13,
                "a missing-word question (the answers sit inside the text)"
            ),
            (15, malformed),
        ]
    );
    // The warning points at the second block: line and column.
    let at: Vec<(usize, usize)> = i
        .diagnostics
        .iter()
        .filter(|d| d.code == "gift-malformed")
        .map(|d| {
            assert!(d.message.contains(malformed), "{}", d.message);
            assert!(d.help.as_deref().is_some_and(|h| h.contains("\\{")));
            let l = d.location().unwrap();
            (l.line, l.column)
        })
        .collect();
    assert_eq!(at, [(3, 71), (5, 91), (9, 45), (15, 66)]);
    // Skipped, never dropped: each is kept whole as a comment in the module file.
    for kept in [
        "# SKIPPED: two-answer-blocks.gift, line 3: a malformed question",
        "#     ::Two blocks::A recruiter asks you {=for a fee ~for nothing} and then {=for your passport ~for a photo}.",
        "#     And is it safe to travel on a tourist visa? {~Yes =No}",
    ] {
        assert!(i.module_toml.contains(kept), "{kept}\n{}", i.module_toml);
    }
    let ids: Vec<&str> = m.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["fine"]);
    snapshot("two-answer-blocks.gift", &i);
}

#[test]
fn questions_waymark_cannot_hold_as_written_are_skipped_with_reasons() {
    let (i, m) = import("limits.gift");
    let skipped: Vec<usize> = i.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [2, 4, 6]);
    assert!(i.skipped[0].what.contains("7 answers"));
    let ids: Vec<&str> = m.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["partial", "fine"]);
    let partial = i
        .diagnostics
        .iter()
        .find(|d| d.code == "gift-import")
        .unwrap();
    assert_eq!(partial.location().unwrap().line, 8);
    assert!(partial.message.contains("partial credit"));
    snapshot("limits.gift", &i);
}

#[test]
fn questions_over_several_lines() {
    let (i, m) = import("multiline.gift");
    let (_, choices, _, prompt) = question(&m, "long");
    assert_eq!(
        prompt,
        "A recruiter contacts you on social media with a job abroad. Which step helps you check the offer?"
    );
    assert_eq!(choices.len(), 3);
    snapshot("multiline.gift", &i);
}

#[test]
fn a_moodle_export_imports() {
    let (i, m) = import("moodle-export.gift");
    assert_eq!(
        m.title, "Quiz: moodle export",
        "a Default category names nothing"
    );
    assert_eq!(question(&m, "fees").0, QuestionType::Multiple);
    assert_eq!(question(&m, "copies").0, QuestionType::TrueFalse);
    assert_eq!(question(&m, "checks").1.iter().filter(|c| c.1).count(), 2);
    snapshot("moodle-export.gift", &i);
}

#[test]
fn a_file_with_nothing_importable_is_refused() {
    let err = gift::convert(&fixture("only-unsupported.gift"), "x", "en").unwrap_err();
    assert!(err.iter().any(|d| d.code == "gift-nothing"));
}

#[test]
fn malformed_files_are_refused_with_line_and_column() {
    type Skips<'a> = &'a [(usize, usize, &'a str)];
    let cases: &[(&str, Skips)] = &[
        (
            "brace-unclosed.gift",
            &[(3, 43, "the answers opened with { are not closed")],
        ),
        (
            "brace-unopened.gift",
            &[(1, 52, "a } without a { before it")],
        ),
        ("brace-nested.gift", &[(1, 46, "a { inside the answers")]),
        (
            "blank-line-in-answers.gift",
            &[
                (1, 54, "the answers opened with { are not closed"),
                (5, 1, "a } without a { before it"),
            ],
        ),
        (
            "title-unclosed.gift",
            &[(1, 1, "the question title opened with :: is not closed")],
        ),
        (
            "bad-weight.gift",
            &[(1, 29, "this is not an answer weight")],
        ),
        ("empty-answer.gift", &[(1, 32, "an answer with no text")]),
        (
            "one-answer.gift",
            &[(
                1,
                26,
                "a multiple-choice question needs at least two answers",
            )],
        ),
        (
            "text-before-answers.gift",
            &[(1, 28, "text before the first answer")],
        ),
        (
            "category-then-text.gift",
            &[(2, 1, "text right after a $CATEGORY: line")],
        ),
    ];
    for (name, expected) in cases {
        let file = fixture(&format!("malformed/{name}"));
        let errors = gift::convert(&file, "x", "en").expect_err(name);
        let found: Vec<(usize, usize, &str)> = errors
            .iter()
            .map(|d| {
                let at = d.location().unwrap();
                assert!(d.help.is_some(), "{name}: no help");
                (at.line, at.column, d.message.as_str())
            })
            .collect();
        assert_eq!(&found, expected, "{name}");
    }
}

#[test]
fn nothing_in_any_fixture_panics_when_cut_short() {
    // Half-written files: every prefix of every fixture converts or is refused, never panics.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gift");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "gift") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (cut, _) in text.char_indices().step_by(7) {
            let file = SourceFile::new("cut.gift", Some(text[..cut].into()));
            let _ = gift::convert(&file, "x", "en");
        }
    }
}

#[test]
fn html_character_references_are_decoded() {
    let (_, m) = import("entities.gift");
    let (_, choices, explanation, prompt) = question(&m, "entities");
    assert_eq!(
        prompt,
        "Café Ärger, ñandú, ça, Straße, Øre, ÿ, ¿sí?\n\n\
         © ® ° ±½ µ ¶ § × ÷ «»\n\n\
         été ’ ’Word” €"
    );
    assert_eq!(choices[0].0, "“C’est” … — – €5™");
    assert_eq!(choices[1].0, "‚„ † • ‰ Œuvre Š αΩ → ≤ é");
    // Names are case-sensitive, as in HTML: `&AUML;` is no entity; nor is `&unknown;`. The thin
    // space is white space like any other.
    assert_eq!(explanation.unwrap(), "‹› &unknown; &amp; &AUML;");
}
