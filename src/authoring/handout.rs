//! `waymark handout`: a module as a printable handout, in Markdown or self-contained HTML, in the
//! order the session runs it (knowledge check before, content, sources, check after). The
//! participant version never shows answers; the facilitator version adds answers, explanations,
//! notes and timings. Pure: the module and the help resources come in, text goes out.

use rust_i18n::t;

use crate::curriculum::markup::{self, Block, Inline};
use crate::curriculum::{Module, Question, QuestionType, Step, StepKind};
use crate::resources::Resources;
use crate::session::plan::{self, Item};
use crate::session::result::Phase;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

/// What to print and for whom.
#[derive(Debug, Clone, Copy)]
pub struct Options<'r> {
    pub format: Format,
    /// Adds answers, explanations, notes and timings: not for the room.
    pub facilitator: bool,
    /// Fills `{{helpline}}` and the other placeholders, as the session screens do.
    pub resources: &'r Resources,
}

/// Languages written right to left (by primary language subtag).
const RTL_LANGUAGES: [&str; 10] = ["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"];

/// Whether text in `locale` runs right to left.
pub fn is_rtl(locale: &str) -> bool {
    let language = locale.split(['-', '_']).next().unwrap_or("");
    RTL_LANGUAGES
        .iter()
        .any(|l| l.eq_ignore_ascii_case(language))
}

/// The language the handout is actually in: the translation chosen for `lang`, or the source.
pub fn content_locale(module: &Module, lang: &str) -> String {
    module
        .translation_for(lang)
        .map_or_else(|| module.source_locale.clone(), |tr| tr.locale.clone())
}

/// The handout of `module` in `lang` (falling back to the source text where untranslated).
pub fn render(module: &Module, lang: &str, options: Options<'_>) -> String {
    let locale = content_locale(module, lang);
    let mut module = module.localized(lang);
    fill_resources(&mut module, options.resources, &locale);
    let doc = Doc::build(&module, &locale, options.facilitator);
    match options.format {
        Format::Markdown => markdown(&doc),
        Format::Html => html(&doc),
    }
}

/// Every text of the module with its `{{name}}` placeholders filled.
fn fill_resources(module: &mut Module, resources: &Resources, locale: &str) {
    let fill = |s: &mut String| *s = resources.fill_in(s, locale);
    fill(&mut module.title);
    fill(&mut module.summary);
    fill(&mut module.audience);
    for step in &mut module.steps {
        if let Some(n) = &mut step.notes {
            fill(n);
        }
        match &mut step.kind {
            StepKind::Slide { title, body } => {
                fill(title);
                fill(body);
            }
            StepKind::Scenario {
                title,
                story,
                prompts,
            } => {
                fill(title);
                fill(story);
                prompts.iter_mut().for_each(fill);
            }
            StepKind::Question(q) => {
                fill(&mut q.prompt);
                q.choices.iter_mut().for_each(|c| fill(&mut c.text));
                if let Some(e) = &mut q.explanation {
                    fill(e);
                }
            }
        }
    }
}

/// The handout as parts and entries, before it is written out in either format.
struct Doc<'m> {
    module: &'m Module,
    locale: String,
    rtl: bool,
    facilitator: bool,
    parts: Vec<Part<'m>>,
}

struct Part<'m> {
    heading: String,
    intro: Option<String>,
    entries: Vec<Entry<'m>>,
}

enum Entry<'m> {
    Step {
        step: &'m Step,
        phase: Phase,
        /// "Question 3": numbered within the part, so before and after line up.
        number: usize,
    },
    Sources,
}

impl<'m> Doc<'m> {
    fn build(module: &'m Module, locale: &str, facilitator: bool) -> Self {
        let l = locale;
        let mut parts: Vec<Part<'m>> = Vec::new();
        let mut current: Option<Phase> = None;
        let mut number = 0;
        let plan = plan::build(module, true);
        // The opening slide, ahead of the knowledge check, gets a part of its own.
        let has_before = plan.iter().any(|i| {
            matches!(
                i,
                Item::Step {
                    phase: Phase::Before,
                    ..
                }
            )
        });
        for item in plan {
            let (entry, phase) = match item {
                Item::Step { index, phase } => {
                    let step = &module.steps[index];
                    (
                        Entry::Step {
                            step,
                            phase,
                            number: 0,
                        },
                        phase,
                    )
                }
                Item::Sources => {
                    if module.sources.is_empty() {
                        continue;
                    }
                    (Entry::Sources, Phase::During)
                }
                Item::Summary => continue,
            };
            if current != Some(phase) {
                current = Some(phase);
                number = 0;
                let (heading, intro) = match phase {
                    Phase::Before => (
                        t!("authoring.handout.before", locale = l),
                        Some(if facilitator {
                            t!("authoring.handout.before_intro_facilitator", locale = l)
                        } else {
                            t!("authoring.handout.before_intro", locale = l)
                        }),
                    ),
                    Phase::During if parts.is_empty() && has_before => {
                        (t!("authoring.handout.opening", locale = l), None)
                    }
                    Phase::During => (t!("authoring.handout.content", locale = l), None),
                    Phase::After => (
                        t!("authoring.handout.after", locale = l),
                        Some(t!("authoring.handout.after_intro", locale = l)),
                    ),
                };
                parts.push(Part {
                    heading: heading.into_owned(),
                    intro: intro.map(|s| s.into_owned()),
                    entries: Vec::new(),
                });
            }
            let entry = match entry {
                Entry::Step { step, phase, .. } => {
                    if matches!(step.kind, StepKind::Question(_)) {
                        number += 1;
                    }
                    Entry::Step {
                        step,
                        phase,
                        number,
                    }
                }
                other => other,
            };
            if let Some(part) = parts.last_mut() {
                part.entries.push(entry);
            }
        }
        Doc {
            module,
            locale: locale.to_string(),
            rtl: is_rtl(locale),
            facilitator,
            parts,
        }
    }

    fn t(&self, key: &str) -> String {
        t!(key, locale = self.locale.as_str()).into_owned()
    }

    fn minutes(&self, minutes: u32) -> String {
        t!(
            "authoring.handout.minutes",
            locale = self.locale.as_str(),
            minutes = minutes
        )
        .into_owned()
    }

    /// The facilitator's timing line for a step.
    /// A check question's minutes cover both askings, so they are shown once, before.
    fn timing(&self, step: &Step, phase: Phase) -> Option<String> {
        let minutes = step.minutes?;
        let key = match phase {
            Phase::Before => "authoring.handout.time_before",
            Phase::During => "authoring.handout.time",
            Phase::After => return None,
        };
        Some(
            t!(
                key,
                locale = self.locale.as_str(),
                minutes = self.minutes(minutes)
            )
            .into_owned(),
        )
    }

    /// "Planned length: 30 min; the steps add up to 25 min."
    fn plan_line(&self) -> String {
        let steps: u32 = self.module.steps.iter().filter_map(|s| s.minutes).sum();
        t!(
            "authoring.handout.planned",
            locale = self.locale.as_str(),
            planned = self.minutes(self.module.minutes),
            steps = self.minutes(steps)
        )
        .into_owned()
    }

    /// The citations a step rests on, for the facilitator.
    fn step_sources(&self, step: &Step) -> Option<String> {
        if step.sources.is_empty() {
            return None;
        }
        let names: Vec<&str> = step
            .sources
            .iter()
            .filter_map(|id| self.module.sources.iter().find(|s| &s.id == id))
            .map(|s| s.citation.as_str())
            .collect();
        Some(names.join("; "))
    }
}

/// A, B, C... as the room answers in private mode. In HTML the letter and the choice are each
/// isolated (`<bdi>`), so that in right-to-left text "B. 2" never reads "B.2" or "2 .B".
fn letter(i: usize) -> char {
    char::from(b'A' + (i as u8 % 26))
}

/// The facilitator's answer line: "B" or "A, C"; `None` for a confidence question.
fn answer_letters(q: &Question) -> Option<String> {
    if !q.qtype.is_scored() {
        return None;
    }
    let letters: Vec<String> = q
        .choices
        .iter()
        .enumerate()
        .filter(|(_, c)| c.correct)
        .map(|(i, _)| letter(i).to_string())
        .collect();
    Some(letters.join(", "))
}

fn question_hint(q: &Question, locale: &str) -> Option<String> {
    match q.qtype {
        QuestionType::Multiple => Some(t!("authoring.handout.choose_all", locale = locale)),
        QuestionType::Confidence => Some(t!("authoring.handout.choose_scale", locale = locale)),
        QuestionType::Single | QuestionType::TrueFalse => {
            Some(t!("authoring.handout.choose_one", locale = locale))
        }
    }
    .map(|s| s.into_owned())
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Backslash-escapes the characters Markdown would read as formatting (CommonMark allows a
/// backslash before any ASCII punctuation).
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// How an output format writes text: escaping, the two emphases and a hard line break.
struct Syntax {
    escape: fn(&str) -> String,
    bold: (&'static str, &'static str),
    emphasis: (&'static str, &'static str),
    line_break: &'static str,
}

const MD: Syntax = Syntax {
    escape: md_escape,
    bold: ("**", "**"),
    emphasis: ("*", "*"),
    line_break: "  \n",
};

const HTML: Syntax = Syntax {
    escape: html_escape,
    bold: ("<strong>", "</strong>"),
    emphasis: ("<em>", "</em>"),
    line_break: "<br>",
};

impl Syntax {
    /// Plain text over several lines: each line escaped, hard breaks kept.
    fn plain(&self, text: &str) -> String {
        text.lines()
            .map(|l| (self.escape)(l.trim_end()))
            .collect::<Vec<_>>()
            .join(self.line_break)
    }

    fn inlines(&self, inlines: &[Inline]) -> String {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Plain(s) => (self.escape)(s),
                Inline::Bold(s) => format!("{}{}{}", self.bold.0, (self.escape)(s), self.bold.1),
                Inline::Emphasis(s) => {
                    format!("{}{}{}", self.emphasis.0, (self.escape)(s), self.emphasis.1)
                }
            })
            .collect()
    }

    /// A one-line text that takes `**bold**` and `*emphasis*` (a prompt, a choice), as the
    /// session screens show it; its line breaks kept.
    fn line(&self, text: &str) -> String {
        text.lines()
            .map(|l| self.inlines(&markup::inlines(l.trim())))
            .collect::<Vec<_>>()
            .join(self.line_break)
    }
}

fn md_body(out: &mut String, body: &str) {
    md_blocks(out, markup::parse(body));
}

fn md_blocks(out: &mut String, blocks: Vec<Block>) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str(&MD.inlines(&inlines));
                out.push_str("\n\n");
            }
            Block::Bullets(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&MD.inlines(&item));
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
}

fn md_labelled(out: &mut String, label: &str, text: &str) {
    out.push_str(&format!("**{}:** {}\n\n", md_escape(label), MD.plain(text)));
}

/// A labelled text with the formatting of a slide body (an explanation, notes): the label
/// opens its first paragraph.
fn md_labelled_body(out: &mut String, label: &str, text: &str) {
    let mut blocks = markup::parse(text);
    let first = match blocks.first() {
        Some(Block::Paragraph(inlines)) => MD.inlines(inlines),
        _ => String::new(),
    };
    if !first.is_empty() {
        blocks.remove(0);
    }
    let head = format!("**{}:** {first}", md_escape(label));
    out.push_str(head.trim_end());
    out.push_str("\n\n");
    md_blocks(out, blocks);
}

fn markdown(doc: &Doc<'_>) -> String {
    let m = doc.module;
    let l = doc.locale.as_str();
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", md_escape(&m.title)));
    out.push_str(&format!("{}\n\n", MD.plain(&m.summary)));
    md_labelled(&mut out, &doc.t("authoring.handout.audience"), &m.audience);
    if doc.facilitator {
        out.push_str(&format!(
            "> **{}**  \n> {}  \n> {}\n\n",
            md_escape(&doc.t("authoring.handout.facilitator_banner")),
            md_escape(&doc.t("authoring.handout.facilitator_keep")),
            md_escape(&doc.plan_line())
        ));
        out.push_str(&format!(
            "{}\n\n",
            md_escape(&t!(
                "authoring.handout.module_line",
                locale = l,
                id = m.id.as_str(),
                version = m.version,
                lang = l
            ))
        ));
    }
    for part in &doc.parts {
        out.push_str(&format!("## {}\n\n", md_escape(&part.heading)));
        if let Some(intro) = &part.intro {
            out.push_str(&format!("*{}*\n\n", md_escape(intro)));
        }
        for entry in &part.entries {
            match entry {
                Entry::Sources => md_sources(&mut out, doc),
                Entry::Step {
                    step,
                    phase,
                    number,
                } => md_step(&mut out, doc, step, *phase, *number),
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn md_sources(out: &mut String, doc: &Doc<'_>) {
    out.push_str(&format!(
        "### {}\n\n",
        md_escape(&doc.t("authoring.handout.sources"))
    ));
    for s in &doc.module.sources {
        out.push_str(&format!("- {}", MD.plain(&s.citation)));
        if let Some(url) = &s.url {
            out.push_str(&format!(" ({})", md_escape(url)));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn md_step(out: &mut String, doc: &Doc<'_>, step: &Step, phase: Phase, number: usize) {
    let l = doc.locale.as_str();
    match &step.kind {
        StepKind::Slide { title, body } => {
            out.push_str(&format!("### {}\n\n", md_escape(title)));
            md_body(out, body);
        }
        StepKind::Scenario {
            title,
            story,
            prompts,
        } => {
            out.push_str(&format!(
                "### {}: {}\n\n",
                md_escape(&doc.t("authoring.handout.scenario")),
                md_escape(title)
            ));
            md_body(out, story);
            out.push_str(&format!(
                "**{}**\n\n",
                md_escape(&doc.t("authoring.handout.discuss"))
            ));
            for (i, p) in prompts.iter().enumerate() {
                out.push_str(&format!("{}. {}\n", i + 1, MD.line(p)));
            }
            out.push('\n');
        }
        StepKind::Question(q) => {
            out.push_str(&format!(
                "### {}\n\n",
                md_escape(&t!(
                    "authoring.handout.question",
                    locale = l,
                    number = number
                ))
            ));
            out.push_str(&format!("{}\n\n", MD.line(&q.prompt)));
            if let Some(hint) = question_hint(q, l) {
                out.push_str(&format!("*{}*\n\n", md_escape(&hint)));
            }
            for (i, c) in q.choices.iter().enumerate() {
                let mark = if doc.facilitator && c.correct {
                    "x"
                } else {
                    " "
                };
                out.push_str(&format!(
                    "- [{mark}] **{}.** {}",
                    letter(i),
                    MD.line(&c.text)
                ));
                if doc.facilitator && c.correct {
                    out.push_str(&format!(
                        " *({})*",
                        md_escape(&doc.t("authoring.handout.right_answer"))
                    ));
                }
                out.push('\n');
            }
            out.push('\n');
            if doc.facilitator {
                match answer_letters(q) {
                    Some(letters) => md_labelled(out, &doc.t("authoring.handout.answer"), &letters),
                    None => out.push_str(&format!(
                        "*{}*\n\n",
                        md_escape(&doc.t("authoring.handout.no_right_answer"))
                    )),
                }
                if phase == Phase::Before && q.qtype.is_scored() {
                    out.push_str(&format!(
                        "*{}*\n\n",
                        md_escape(&doc.t("authoring.handout.no_reveal_before"))
                    ));
                } else if let Some(e) = q.explanation.as_ref().filter(|_| phase != Phase::Before) {
                    md_labelled_body(out, &doc.t("authoring.handout.explanation"), e);
                }
            }
        }
    }
    if doc.facilitator {
        if let Some(n) = &step.notes {
            md_labelled_body(out, &doc.t("authoring.handout.notes"), n);
        }
        if let Some(s) = doc.step_sources(step) {
            md_labelled(out, &doc.t("authoring.handout.step_sources"), &s);
        }
        if let Some(time) = doc.timing(step, phase) {
            out.push_str(&format!("*{}*\n\n", md_escape(&time)));
        }
    }
    out.push_str("---\n\n");
}

// ---------------------------------------------------------------------------------------------
// HTML

/// Escapes text for HTML element content and quoted attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_body(out: &mut String, body: &str) {
    html_blocks(out, markup::parse(body));
}

fn html_blocks(out: &mut String, blocks: Vec<Block>) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str(&format!("<p>{}</p>\n", HTML.inlines(&inlines)));
            }
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", HTML.inlines(&item)));
                }
                out.push_str("</ul>\n");
            }
        }
    }
}

fn html_labelled(out: &mut String, class: &str, label: &str, text: &str) {
    out.push_str(&format!(
        "<p class=\"{class}\"><span class=\"label\">{}:</span> {}</p>\n",
        html_escape(label),
        HTML.plain(text)
    ));
}

/// A labelled text with the formatting of a slide body (an explanation, notes): the label
/// opens its first paragraph.
fn html_labelled_body(out: &mut String, class: &str, label: &str, text: &str) {
    let mut blocks = markup::parse(text);
    let first = match blocks.first() {
        Some(Block::Paragraph(inlines)) => HTML.inlines(inlines),
        _ => String::new(),
    };
    if !first.is_empty() {
        blocks.remove(0);
    }
    let head = format!(
        "<p class=\"{class}\"><span class=\"label\">{}:</span> {first}",
        html_escape(label)
    );
    out.push_str(head.trim_end());
    out.push_str("</p>\n");
    html_blocks(out, blocks);
}

/// Print rules: margins that fit A4 and US Letter alike (the printer's paper size is kept),
/// steps never split across pages, black on white, no external fonts or images.
const CSS: &str = r#"@page { size: auto; margin: 16mm 15mm; }
* { box-sizing: border-box; }
html { background: #fff; color: #000; }
body { font-family: "Noto Sans", "Segoe UI", "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 15pt; margin: 18pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #000; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 12pt; margin: 0 0 4pt; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 6pt; }
ul, ol { margin: 0 0 6pt; padding-inline-start: 18pt; }
.summary { font-size: 12pt; }
.banner { border: 2pt solid #000; padding: 6pt 8pt; margin: 8pt 0; }
.intro { font-style: italic; }
.step { border: 0.75pt solid #777; border-radius: 3pt; padding: 8pt 10pt; margin: 0 0 10pt; break-inside: avoid; page-break-inside: avoid; }
.hint { font-style: italic; color: #333; }
.choices { list-style: none; padding-inline-start: 0; }
.choices li { margin: 4pt 0; }
.box { display: inline-block; width: 11pt; height: 11pt; border: 1pt solid #000; margin-inline-end: 6pt; vertical-align: -2pt; text-align: center; line-height: 10pt; font-size: 9pt; }
.letter { font-weight: bold; }
.right { font-weight: bold; }
.label { font-weight: bold; }
.facilitator { border-inline-start: 3pt solid #000; padding-inline-start: 6pt; }
.write { border-bottom: 0.75pt solid #999; height: 20pt; }
.timing { font-style: italic; }
.sources li { margin: 2pt 0; }
@media print { body { max-width: none; padding: 0; } }
"#;

fn html(doc: &Doc<'_>) -> String {
    let m = doc.module;
    let l = doc.locale.as_str();
    let dir = if doc.rtl { "rtl" } else { "ltr" };
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\n{CSS}</style>\n</head>\n<body>\n",
        html_escape(l),
        html_escape(&m.title)
    ));
    out.push_str("<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", html_escape(&m.title)));
    out.push_str(&format!(
        "<p class=\"summary\">{}</p>\n",
        HTML.plain(&m.summary)
    ));
    html_labelled(
        &mut out,
        "audience",
        &doc.t("authoring.handout.audience"),
        &m.audience,
    );
    if doc.facilitator {
        out.push_str(&format!(
            "<div class=\"banner\"><p><strong>{}</strong></p><p>{}</p><p>{}</p><p>{}</p></div>\n",
            html_escape(&doc.t("authoring.handout.facilitator_banner")),
            html_escape(&doc.t("authoring.handout.facilitator_keep")),
            html_escape(&doc.plan_line()),
            html_escape(&t!(
                "authoring.handout.module_line",
                locale = l,
                id = m.id.as_str(),
                version = m.version,
                lang = l
            ))
        ));
    }
    out.push_str("</header>\n");
    for part in &doc.parts {
        out.push_str("<section class=\"part\">\n");
        out.push_str(&format!("<h2>{}</h2>\n", html_escape(&part.heading)));
        if let Some(intro) = &part.intro {
            out.push_str(&format!("<p class=\"intro\">{}</p>\n", html_escape(intro)));
        }
        for entry in &part.entries {
            match entry {
                Entry::Sources => html_sources(&mut out, doc),
                Entry::Step {
                    step,
                    phase,
                    number,
                } => html_step(&mut out, doc, step, *phase, *number),
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_sources(out: &mut String, doc: &Doc<'_>) {
    out.push_str("<article class=\"step sources\">\n");
    out.push_str(&format!(
        "<h3>{}</h3>\n<ul class=\"sources\">\n",
        html_escape(&doc.t("authoring.handout.sources"))
    ));
    for s in &doc.module.sources {
        out.push_str(&format!("<li>{}", HTML.plain(&s.citation)));
        if let Some(url) = &s.url {
            out.push_str(&format!(
                " <span class=\"url\">({})</span>",
                html_escape(url)
            ));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</article>\n");
}

fn html_step(out: &mut String, doc: &Doc<'_>, step: &Step, phase: Phase, number: usize) {
    let l = doc.locale.as_str();
    let kind = match &step.kind {
        StepKind::Slide { .. } => "slide",
        StepKind::Scenario { .. } => "scenario",
        StepKind::Question(_) => "question",
    };
    out.push_str(&format!(
        "<article class=\"step {kind}\" id=\"{}-{}\">\n",
        html_escape(phase.name()),
        html_escape(&step.id)
    ));
    match &step.kind {
        StepKind::Slide { title, body } => {
            out.push_str(&format!("<h3>{}</h3>\n", html_escape(title)));
            html_body(out, body);
        }
        StepKind::Scenario {
            title,
            story,
            prompts,
        } => {
            out.push_str(&format!(
                "<h3>{}: {}</h3>\n",
                html_escape(&doc.t("authoring.handout.scenario")),
                html_escape(title)
            ));
            html_body(out, story);
            out.push_str(&format!(
                "<p class=\"label\">{}</p>\n<ol class=\"prompts\">\n",
                html_escape(&doc.t("authoring.handout.discuss"))
            ));
            for p in prompts {
                out.push_str(&format!("<li>{}", HTML.line(p)));
                if !doc.facilitator {
                    out.push_str("<div class=\"write\"></div><div class=\"write\"></div>");
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
        StepKind::Question(q) => {
            out.push_str(&format!(
                "<h3>{}</h3>\n",
                html_escape(&t!(
                    "authoring.handout.question",
                    locale = l,
                    number = number
                ))
            ));
            out.push_str(&format!(
                "<p class=\"prompt\">{}</p>\n",
                HTML.line(&q.prompt)
            ));
            if let Some(hint) = question_hint(q, l) {
                out.push_str(&format!("<p class=\"hint\">{}</p>\n", html_escape(&hint)));
            }
            out.push_str("<ul class=\"choices\">\n");
            for (i, c) in q.choices.iter().enumerate() {
                let right = doc.facilitator && c.correct;
                let (class, tick) = if right {
                    (" class=\"right\"", "&#10003;")
                } else {
                    ("", "")
                };
                out.push_str(&format!(
                    "<li{class}><span class=\"box\">{tick}</span><bdi class=\"letter\">{}.</bdi> <bdi>{}</bdi>",
                    letter(i),
                    HTML.line(&c.text)
                ));
                if right {
                    out.push_str(&format!(
                        " <em>({})</em>",
                        html_escape(&doc.t("authoring.handout.right_answer"))
                    ));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
            if doc.facilitator {
                out.push_str("<div class=\"facilitator\">\n");
                match answer_letters(q) {
                    Some(letters) => {
                        html_labelled(out, "answer", &doc.t("authoring.handout.answer"), &letters)
                    }
                    None => out.push_str(&format!(
                        "<p class=\"answer\">{}</p>\n",
                        html_escape(&doc.t("authoring.handout.no_right_answer"))
                    )),
                }
                if phase == Phase::Before && q.qtype.is_scored() {
                    out.push_str(&format!(
                        "<p class=\"hint\">{}</p>\n",
                        html_escape(&doc.t("authoring.handout.no_reveal_before"))
                    ));
                } else if let Some(e) = q.explanation.as_ref().filter(|_| phase != Phase::Before) {
                    html_labelled_body(
                        out,
                        "explanation",
                        &doc.t("authoring.handout.explanation"),
                        e,
                    );
                }
                out.push_str("</div>\n");
            }
        }
    }
    if doc.facilitator {
        let notes = step.notes.as_deref();
        let sources = doc.step_sources(step);
        let timing = doc.timing(step, phase);
        if notes.is_some() || sources.is_some() || timing.is_some() {
            out.push_str("<div class=\"facilitator\">\n");
            if let Some(n) = notes {
                html_labelled_body(out, "notes", &doc.t("authoring.handout.notes"), n);
            }
            if let Some(s) = &sources {
                html_labelled(
                    out,
                    "step-sources",
                    &doc.t("authoring.handout.step_sources"),
                    s,
                );
            }
            if let Some(time) = &timing {
                out.push_str(&format!("<p class=\"timing\">{}</p>\n", html_escape(time)));
            }
            out.push_str("</div>\n");
        }
    }
    out.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_languages_are_known_by_their_language_subtag() {
        for tag in ["ar", "ar-EG", "he", "fa-IR", "ur", "AR"] {
            assert!(is_rtl(tag), "{tag}");
        }
        for tag in ["en", "es", "pt-BR", "fr", "hi"] {
            assert!(!is_rtl(tag), "{tag}");
        }
    }

    #[test]
    fn html_escape_covers_markup_and_quotes() {
        assert_eq!(
            html_escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn markdown_escape_neutralises_formatting() {
        assert_eq!(md_escape("*a* [b](c) <d> #e"), r"\*a\* \[b\](c) \<d\> \#e");
    }
}
