//! Handouts: snapshots of the participant and facilitator versions in Markdown and HTML, one in
//! Arabic (right to left), and the rules a printed page must keep: no answers for participants,
//! no external resources, print rules for A4 and Letter, every text escaped.

use std::path::PathBuf;

use waymark::authoring::handout::{self, Format, Options};
use waymark::curriculum::{self, Module, StepKind};
use waymark::resources::Resources;

fn workshop() -> Module {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/workshop");
    let catalog = curriculum::load_paths(&[dir]).unwrap();
    catalog.module("workshop").unwrap().clone()
}

fn render(module: &Module, lang: &str, format: Format, facilitator: bool) -> String {
    let resources = Resources::empty();
    handout::render(
        module,
        lang,
        Options {
            format,
            facilitator,
            resources: &resources,
        },
    )
}

#[test]
fn participant_markdown() {
    let text = render(&workshop(), "en", Format::Markdown, false);
    insta::assert_snapshot!("participant_markdown", text);
}

#[test]
fn facilitator_markdown() {
    let text = render(&workshop(), "en", Format::Markdown, true);
    insta::assert_snapshot!("facilitator_markdown", text);
}

#[test]
fn participant_html() {
    let text = render(&workshop(), "en", Format::Html, false);
    insta::assert_snapshot!("participant_html", text);
}

#[test]
fn facilitator_html_in_arabic_is_right_to_left() {
    let text = render(&workshop(), "ar", Format::Html, true);
    assert!(text.contains("<html lang=\"ar\" dir=\"rtl\">"), "{text}");
    assert!(text.contains("كيف تكتشف عرض عمل مزيفًا"));
    insta::assert_snapshot!("facilitator_html_ar", text);
}

#[test]
fn participant_versions_show_no_answers() {
    let module = workshop();
    for format in [Format::Markdown, Format::Html] {
        let text = render(&module, "en", format, false);
        for secret in [
            "right answer",
            "Explanation",
            "Notes",
            "Workers should not be charged",
            "Tell the room the topic",
            "Time:",
            "[x]",
            "&#10003;",
        ] {
            assert!(!text.contains(secret), "{format:?} shows {secret:?}");
        }
        assert!(text.contains("Which of these are red flags?"));
    }
    let facilitator = render(&module, "en", Format::Markdown, true);
    for shown in [
        "right answer",
        "Workers should not be charged",
        "Tell the room the topic",
        "Time: 3 min",
        "Planned length: 30 min",
    ] {
        assert!(facilitator.contains(shown), "facilitator misses {shown:?}");
    }
}

#[test]
fn the_session_order_is_kept() {
    let text = render(&workshop(), "en", Format::Markdown, false);
    let opening = text.find("## Opening").unwrap();
    let before = text.find("## Before we start").unwrap();
    let content = text.find("## The session").unwrap();
    let sources = text.find("### Sources").unwrap();
    let after = text.find("## After the session").unwrap();
    assert!(opening < before && before < content && content < sources && sources < after);
    // The opening slide (topic and safeguarding) is read out before any question.
    assert!(text[opening..before].contains("### Fake job offers"));
    // The check questions are asked twice; the question asked in its place once.
    assert_eq!(text.matches("Which of these are red flags?").count(), 2);
    assert_eq!(text.matches("Keeping copies of your documents").count(), 1);
}

#[test]
fn html_is_self_contained_and_prints_on_a4_and_letter() {
    let text = render(&workshop(), "en", Format::Html, true);
    for external in ["src=", "<link", "@import", "url(", "<script", "http-equiv"] {
        assert!(!text.contains(external), "external resource: {external}");
    }
    assert!(text.contains("@page { size: auto;"));
    assert!(text.contains("page-break-inside: avoid"));
    assert!(text.contains("break-inside: avoid"));
    assert!(text.contains("<html lang=\"en\" dir=\"ltr\">"));
}

#[test]
fn every_text_is_escaped() {
    let mut module = workshop();
    module.title = "<script>alert(\"x\")</script> & 'co'".into();
    if let waymark::curriculum::StepKind::Question(q) = &mut module.steps[2].kind {
        q.choices[0].text = "<b>bold</b>".into();
    }
    let html = render(&module, "en", Format::Html, true);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    let md = render(&module, "en", Format::Markdown, true);
    assert!(md.contains(r"\<script\>"), "{md}");
}

#[test]
fn help_resources_are_filled_in() {
    let mut module = workshop();
    module.summary = "Call {{helpline}} for help.".into();
    let resources = Resources::empty();
    let text = handout::render(
        &module,
        "en",
        Options {
            format: Format::Markdown,
            facilitator: false,
            resources: &resources,
        },
    );
    assert!(!text.contains("{{helpline}}"), "{text}");
    assert!(text.contains("ask your facilitator"), "{text}");
}

#[test]
fn a_missing_translation_falls_back_to_the_source_language() {
    let module = workshop();
    assert_eq!(handout::content_locale(&module, "sw"), "en");
    assert_eq!(handout::content_locale(&module, "ar-EG"), "ar");
    let text = render(&module, "sw", Format::Html, false);
    assert!(text.contains("<html lang=\"en\" dir=\"ltr\">"));
}

/// The workshop with bold and emphasis in each field the session screens format: a question's
/// prompt, choices and explanation, a scenario's prompts, and notes.
fn workshop_with_emphasis() -> Module {
    let mut m = workshop();
    for step in &mut m.steps {
        match (step.id.as_str(), &mut step.kind) {
            ("story", StepKind::Scenario { prompts, .. }) => {
                prompts[0] = "Which **red flags** do you notice?".into();
            }
            ("q-fee", StepKind::Question(q)) => {
                q.prompt =
                    "A recruiter asks you to pay a *fee* for the job. What does this suggest?"
                        .into();
                q.choices[0].text = "It is normal: 2 * 3 jobs ask for one".into();
                q.choices[1].text = "It is a **red flag**".into();
                q.explanation = Some(
                    "**Workers should not be charged** recruitment fees (ILO guidance).\n\n\
                     Ask:\n\n- who *pays* the fee\n- what it is for\n"
                        .into(),
                );
                step.notes = Some("Say **why** before revealing.".into());
            }
            _ => {}
        }
    }
    m
}

#[test]
fn emphasis_is_rendered_where_the_session_screens_render_it() {
    let module = workshop_with_emphasis();
    let md = render(&module, "en", Format::Markdown, true);
    for shown in [
        "A recruiter asks you to pay a *fee* for the job. What does this suggest?\n",
        "- [ ] **A.** It is normal: 2 \\* 3 jobs ask for one\n",
        "- [x] **B.** It is a **red flag** *(right answer)*\n",
        "**Explanation:** **Workers should not be charged** recruitment fees (ILO guidance).\n\n\
         Ask:\n\n- who *pays* the fee\n- what it is for\n\n",
        "1. Which **red flags** do you notice?\n",
        "**Notes:** Say **why** before revealing.\n",
    ] {
        assert!(md.contains(shown), "{shown:?} not in:\n{md}");
    }
    assert!(!md.contains(r"\*\*"), "{md}");
    insta::assert_snapshot!("facilitator_markdown_emphasis", md);

    let html = render(&module, "en", Format::Html, true);
    for shown in [
        "<p class=\"prompt\">A recruiter asks you to pay a <em>fee</em> for the job.",
        "<bdi>It is normal: 2 * 3 jobs ask for one</bdi>",
        "<bdi>It is a <strong>red flag</strong></bdi>",
        "<p class=\"explanation\"><span class=\"label\">Explanation:</span> \
         <strong>Workers should not be charged</strong> recruitment fees (ILO guidance).</p>\n\
         <p>Ask:</p>\n<ul>\n<li>who <em>pays</em> the fee</li>\n<li>what it is for</li>\n</ul>\n",
        "<li>Which <strong>red flags</strong> do you notice?",
        "<p class=\"notes\"><span class=\"label\">Notes:</span> Say <strong>why</strong> before revealing.</p>",
    ] {
        assert!(html.contains(shown), "{shown:?} not in:\n{html}");
    }
    assert!(!html.contains("**"), "{html}");

    // The room's copy: formatted too, and still without the explanation or notes.
    for format in [Format::Markdown, Format::Html] {
        let text = render(&module, "en", format, false);
        assert!(!text.contains("Workers should not be charged"), "{text}");
        assert!(!text.contains("before revealing"), "{text}");
        assert!(!text.contains(r"\*\*") && !text.contains("<p>**"), "{text}");
    }
}
