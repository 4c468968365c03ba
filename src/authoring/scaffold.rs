//! `waymark new`: the text of a starter `module.toml` with one step of each kind and one question
//! of each type, every key explained by a comment, and the editor's `#:schema` line on top.
//! Pure text building; the command line decides where it is written.

use rust_i18n::t;

use super::schema::MODULE_DIRECTIVE;
use super::{toml_comment, toml_string, toml_text};

/// A key with its explaining comment above it.
fn key(out: &mut String, comment: &str, name: &str, value: &str) {
    out.push_str(&toml_comment(comment));
    out.push_str(name);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}

fn text(s: impl AsRef<str>) -> String {
    toml_text(s.as_ref())
}

/// One `[[steps.choices]]` table.
fn choice(out: &mut String, id: &str, label: &str, correct: bool) {
    out.push_str("\n[[steps.choices]]\n");
    out.push_str(&format!("id = {}\n", toml_string(id)));
    out.push_str(&format!("text = {}\n", text(label)));
    if correct {
        out.push_str("correct = true\n");
    }
}

/// The starter module `id`, its text in the interface language `locale` (also written as
/// `source_locale`). `waymark check` passes on it as it is.
pub fn module_toml(id: &str, locale: &str) -> String {
    let l = locale;
    let mut out = String::new();
    out.push_str(MODULE_DIRECTIVE);
    out.push('\n');
    out.push_str(&toml_comment(&t!(
        "authoring.new.header",
        locale = l,
        id = id
    )));
    out.push('\n');

    key(
        &mut out,
        &t!("authoring.new.c_id", locale = l),
        "id",
        &toml_string(id),
    );
    key(
        &mut out,
        &t!("authoring.new.c_version", locale = l),
        "version",
        "1",
    );
    key(
        &mut out,
        &t!("authoring.new.c_source_locale", locale = l),
        "source_locale",
        &toml_string(locale),
    );
    key(
        &mut out,
        &t!("authoring.new.c_title", locale = l),
        "title",
        &text(t!("authoring.new.title", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_summary", locale = l),
        "summary",
        &text(t!("authoring.new.summary", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_audience", locale = l),
        "audience",
        &text(t!("authoring.new.audience", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_minutes", locale = l),
        "minutes",
        "30",
    );

    // Sources.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_sources", locale = l)));
    out.push_str("[[sources]]\n");
    key(
        &mut out,
        &t!("authoring.new.c_source_id", locale = l),
        "id",
        &toml_string("main-source"),
    );
    key(
        &mut out,
        &t!("authoring.new.c_citation", locale = l),
        "citation",
        &text(t!("authoring.new.citation", locale = l)),
    );
    out.push_str(&toml_comment(&t!("authoring.new.c_url", locale = l)));
    out.push_str("# url = \"https://...\"\n");

    // A slide.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_steps", locale = l)));
    out.push_str(&toml_comment(&t!("authoring.new.c_slide", locale = l)));
    out.push_str("[[steps]]\n");
    key(
        &mut out,
        &t!("authoring.new.c_step_id", locale = l),
        "id",
        &toml_string("welcome"),
    );
    key(
        &mut out,
        &t!("authoring.new.c_kind", locale = l),
        "kind",
        &toml_string("slide"),
    );
    key(
        &mut out,
        &t!("authoring.new.c_slide_title", locale = l),
        "title",
        &text(t!("authoring.new.slide_title", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_body", locale = l),
        "body",
        &text(t!("authoring.new.slide_body", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_notes", locale = l),
        "notes",
        &text(t!("authoring.new.slide_notes", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_step_minutes", locale = l),
        "minutes",
        "3",
    );
    key(
        &mut out,
        &t!("authoring.new.c_step_sources", locale = l),
        "sources",
        &format!("[{}]", toml_string("main-source")),
    );

    // A scenario.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_scenario", locale = l)));
    out.push_str("[[steps]]\n");
    out.push_str(&format!("id = {}\n", toml_string("story")));
    out.push_str(&format!("kind = {}\n", toml_string("scenario")));
    out.push_str(&format!(
        "title = {}\n",
        text(t!("authoring.new.scenario_title", locale = l))
    ));
    key(
        &mut out,
        &t!("authoring.new.c_story", locale = l),
        "story",
        &text(t!("authoring.new.scenario_story", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_prompts", locale = l),
        "prompts",
        &format!(
            "[\n  {},\n  {},\n]",
            toml_string(&t!("authoring.new.prompt_1", locale = l)),
            toml_string(&t!("authoring.new.prompt_2", locale = l))
        ),
    );
    out.push_str(&format!(
        "notes = {}\n",
        text(t!("authoring.new.scenario_notes", locale = l))
    ));
    out.push_str("minutes = 8\n");

    // A single-answer question, in the knowledge check.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_question", locale = l)));
    out.push_str(&toml_comment(&t!("authoring.new.c_single", locale = l)));
    out.push_str("[[steps]]\n");
    out.push_str(&format!("id = {}\n", toml_string("q-single")));
    out.push_str(&format!("kind = {}\n", toml_string("question")));
    key(
        &mut out,
        &t!("authoring.new.c_type", locale = l),
        "type",
        &toml_string("single"),
    );
    key(
        &mut out,
        &t!("authoring.new.c_check", locale = l),
        "check",
        "true",
    );
    key(
        &mut out,
        &t!("authoring.new.c_prompt", locale = l),
        "prompt",
        &text(t!("authoring.new.single_prompt", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_explanation", locale = l),
        "explanation",
        &text(t!("authoring.new.single_explanation", locale = l)),
    );
    out.push_str("minutes = 3\n");
    out.push_str(&format!("sources = [{}]\n", toml_string("main-source")));
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_choices", locale = l)));
    out.push_str("[[steps.choices]]\n");
    key(
        &mut out,
        &t!("authoring.new.c_choice_id", locale = l),
        "id",
        &toml_string("a"),
    );
    key(
        &mut out,
        &t!("authoring.new.c_choice_text", locale = l),
        "text",
        &text(t!("authoring.new.right_answer", locale = l)),
    );
    key(
        &mut out,
        &t!("authoring.new.c_correct", locale = l),
        "correct",
        "true",
    );
    choice(
        &mut out,
        "b",
        &t!("authoring.new.wrong_answer", locale = l),
        false,
    );
    choice(
        &mut out,
        "c",
        &t!("authoring.new.another_wrong_answer", locale = l),
        false,
    );

    // A multiple-answer question.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_multiple", locale = l)));
    out.push_str("[[steps]]\n");
    out.push_str(&format!("id = {}\n", toml_string("q-multiple")));
    out.push_str(&format!("kind = {}\n", toml_string("question")));
    out.push_str(&format!("type = {}\n", toml_string("multiple")));
    out.push_str("check = true\n");
    out.push_str(&format!(
        "prompt = {}\n",
        text(t!("authoring.new.multiple_prompt", locale = l))
    ));
    out.push_str(&format!(
        "explanation = {}\n",
        text(t!("authoring.new.multiple_explanation", locale = l))
    ));
    out.push_str("minutes = 3\n");
    choice(
        &mut out,
        "a",
        &t!("authoring.new.right_answer", locale = l),
        true,
    );
    choice(
        &mut out,
        "b",
        &t!("authoring.new.another_right_answer", locale = l),
        true,
    );
    choice(
        &mut out,
        "c",
        &t!("authoring.new.wrong_answer", locale = l),
        false,
    );

    // A true-or-false question.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_true_false", locale = l)));
    out.push_str("[[steps]]\n");
    out.push_str(&format!("id = {}\n", toml_string("q-true-false")));
    out.push_str(&format!("kind = {}\n", toml_string("question")));
    out.push_str(&format!("type = {}\n", toml_string("true_false")));
    out.push_str(&format!(
        "prompt = {}\n",
        text(t!("authoring.new.true_false_prompt", locale = l))
    ));
    out.push_str(&format!(
        "explanation = {}\n",
        text(t!("authoring.new.true_false_explanation", locale = l))
    ));
    out.push_str("minutes = 2\n");
    choice(
        &mut out,
        "true",
        &t!("authoring.new.true", locale = l),
        true,
    );
    choice(
        &mut out,
        "false",
        &t!("authoring.new.false", locale = l),
        false,
    );

    // A confidence question.
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.new.c_confidence", locale = l)));
    out.push_str("[[steps]]\n");
    out.push_str(&format!("id = {}\n", toml_string("confidence")));
    out.push_str(&format!("kind = {}\n", toml_string("question")));
    out.push_str(&format!("type = {}\n", toml_string("confidence")));
    out.push_str("check = true\n");
    out.push_str(&format!(
        "prompt = {}\n",
        text(t!("authoring.new.confidence_prompt", locale = l))
    ));
    out.push_str("minutes = 1\n");
    out.push_str("choices = [\n");
    for (n, key_name) in [
        "authoring.new.scale_1",
        "authoring.new.scale_2",
        "authoring.new.scale_3",
        "authoring.new.scale_4",
        "authoring.new.scale_5",
    ]
    .iter()
    .enumerate()
    {
        out.push_str(&format!(
            "  {{ id = {}, text = {} }},\n",
            toml_string(&(n + 1).to_string()),
            toml_string(&t!(*key_name, locale = l))
        ));
    }
    out.push_str("]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::{validate, Origin, SourceFile, SourceKind, StepKind};

    #[test]
    fn the_scaffold_is_a_valid_module_with_every_kind_and_type() {
        let text = module_toml("my-module", "en");
        assert!(text.starts_with("#:schema ../schema/module.schema.json\n"));
        let file = SourceFile::new("my-module/module.toml", Some(text.as_str().into()));
        let origin = Origin {
            kind: SourceKind::Path,
            dir: "my-module".into(),
        };
        let (module, diags) = validate::module(&file, "my-module", origin);
        assert!(diags.is_empty(), "{diags:?}");
        let module = module.unwrap();
        let mut kinds: Vec<&str> = module
            .steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Slide { .. } => "slide",
                StepKind::Scenario { .. } => "scenario",
                StepKind::Question(q) => q.qtype.name(),
            })
            .collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            [
                "confidence",
                "multiple",
                "scenario",
                "single",
                "slide",
                "true_false"
            ]
        );
    }

    #[test]
    fn every_key_has_a_comment_above_it() {
        let text = module_toml("x", "en");
        for k in ["id = \"x\"", "version = 1", "source_locale", "minutes = 30"] {
            let line = text.lines().position(|l| l.starts_with(k)).unwrap();
            let above = text.lines().nth(line - 1).unwrap();
            assert!(above.starts_with("# "), "{k}: {above}");
        }
    }
}
