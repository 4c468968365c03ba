//! The typed curriculum every other part reads: `Module`, `Step`, `Question`, `Choice`, `Catalog`.
//! Built only by the loader after validation, so a `Module` here is always well formed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::diagnostic::Diagnostic;

/// Where a module was found. Later kinds shadow earlier ones for the same module id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Embedded in the binary at build time.
    BuiltIn,
    /// `curricula/` under the user's data folder.
    UserData,
    /// A folder named in `WAYMARK_CURRICULA`.
    Env,
    /// A folder named with `--curricula`.
    Flag,
    /// A path named on the command line of `check`.
    Path,
}

/// A module folder's place: its kind of source and its folder (display form for built-ins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub kind: SourceKind,
    /// The module folder. Built-in modules use `<built-in>/<id>`.
    pub dir: PathBuf,
}

/// One workshop module in its source language, with the translations that loaded cleanly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Module {
    pub id: String,
    pub version: u32,
    pub source_locale: String,
    pub title: String,
    pub summary: String,
    pub audience: String,
    /// Planned length of the whole module.
    pub minutes: u32,
    pub sources: Vec<Source>,
    pub steps: Vec<Step>,
    /// Keyed by BCP 47 tag as written in the file name.
    pub translations: BTreeMap<String, Translation>,
    pub origin: Origin,
    /// FNV-1a 64 of `module.toml` with line endings normalised, as 16 hex digits.
    pub content_hash: String,
}

/// A citation, shown on the closing slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    /// For the facilitator only; hidden from the room by default.
    pub notes: Option<String>,
    /// Planned minutes.
    pub minutes: Option<u32>,
    /// Ids of the module's sources this step rests on.
    pub sources: Vec<String>,
    pub kind: StepKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// `body` uses the light markup of `markup::parse`.
    Slide {
        title: String,
        body: String,
    },
    Scenario {
        title: String,
        story: String,
        prompts: Vec<String>,
    },
    Question(Question),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// Exactly one correct choice.
    Single,
    /// One or more correct choices.
    Multiple,
    /// Two choices, one correct.
    TrueFalse,
    /// A 1-5 scale, no correct answer.
    Confidence,
}

impl QuestionType {
    pub const ALL: [(&'static str, QuestionType); 4] = [
        ("single", QuestionType::Single),
        ("multiple", QuestionType::Multiple),
        ("true_false", QuestionType::TrueFalse),
        ("confidence", QuestionType::Confidence),
    ];

    pub fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::TrueFalse => "true_false",
            QuestionType::Confidence => "confidence",
        }
    }

    /// Whether choices can be right or wrong (all but confidence).
    pub fn is_scored(self) -> bool {
        self != QuestionType::Confidence
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub qtype: QuestionType,
    /// Asked in the knowledge check before and after the content.
    pub check: bool,
    pub prompt: String,
    pub choices: Vec<Choice>,
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    pub text: String,
    pub correct: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationStatus {
    Draft,
    Reviewed,
}

impl TranslationStatus {
    pub fn name(self) -> &'static str {
        match self {
            TranslationStatus::Draft => "draft",
            TranslationStatus::Reviewed => "reviewed",
        }
    }
}

/// A module's text in another language, keyed like `steps.<id>.title` (see `text_keys`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Translation {
    pub locale: String,
    pub status: TranslationStatus,
    pub path: PathBuf,
    /// Translated strings by key; prompts as `steps.<id>.prompts.<n>`, choices as
    /// `steps.<id>.choices.<choice-id>`.
    pub texts: BTreeMap<String, String>,
    /// Fingerprints of the source text each string was translated from, by the same keys.
    pub fingerprints: BTreeMap<String, String>,
}

impl Module {
    /// Every translatable string of the module, in order, with its key.
    pub fn text_keys(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("title".into(), self.title.as_str()),
            ("summary".into(), self.summary.as_str()),
            ("audience".into(), self.audience.as_str()),
        ];
        for step in &self.steps {
            let k = |field: &str| format!("steps.{}.{field}", step.id);
            match &step.kind {
                StepKind::Slide { title, body } => {
                    out.push((k("title"), title));
                    if !body.is_empty() {
                        out.push((k("body"), body));
                    }
                }
                StepKind::Scenario {
                    title,
                    story,
                    prompts,
                } => {
                    out.push((k("title"), title));
                    out.push((k("story"), story));
                    for (i, p) in prompts.iter().enumerate() {
                        out.push((k(&format!("prompts.{}", i + 1)), p));
                    }
                }
                StepKind::Question(q) => {
                    out.push((k("prompt"), &q.prompt));
                    for c in &q.choices {
                        out.push((k(&format!("choices.{}", c.id)), &c.text));
                    }
                    if let Some(e) = &q.explanation {
                        out.push((k("explanation"), e));
                    }
                }
            }
            if let Some(n) = &step.notes {
                out.push((k("notes"), n));
            }
        }
        out
    }

    /// Languages this module can be shown in: the source first, then translations.
    pub fn locales(&self) -> Vec<&str> {
        std::iter::once(self.source_locale.as_str())
            .chain(self.translations.keys().map(String::as_str))
            .collect()
    }

    /// The best translation for `locale`: exact tag, then its language alone (`pt-BR` -> `pt`).
    /// `None` means the source text is used.
    pub fn translation_for(&self, locale: &str) -> Option<&Translation> {
        if locale.eq_ignore_ascii_case(&self.source_locale) {
            return None;
        }
        let find = |tag: &str| {
            self.translations
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(tag))
                .map(|(_, t)| t)
        };
        find(locale).or_else(|| {
            let language = locale.split(['-', '_']).next()?;
            if language.eq_ignore_ascii_case(&self.source_locale) {
                None
            } else {
                find(language)
            }
        })
    }

    /// A copy of the module with its text in `locale` where translated; each missing string falls
    /// back to the source text on its own.
    pub fn localized(&self, locale: &str) -> Module {
        let mut out = self.clone();
        let Some(tr) = self.translation_for(locale) else {
            return out;
        };
        let pick = |key: String, text: &mut String| {
            if let Some(t) = tr.texts.get(&key) {
                text.clone_from(t);
            }
        };
        pick("title".into(), &mut out.title);
        pick("summary".into(), &mut out.summary);
        pick("audience".into(), &mut out.audience);
        for step in &mut out.steps {
            let k = |field: &str| format!("steps.{}.{field}", step.id);
            if let Some(n) = &mut step.notes {
                pick(k("notes"), n);
            }
            match &mut step.kind {
                StepKind::Slide { title, body } => {
                    pick(k("title"), title);
                    pick(k("body"), body);
                }
                StepKind::Scenario {
                    title,
                    story,
                    prompts,
                } => {
                    pick(k("title"), title);
                    pick(k("story"), story);
                    for (i, p) in prompts.iter_mut().enumerate() {
                        pick(k(&format!("prompts.{}", i + 1)), p);
                    }
                }
                StepKind::Question(q) => {
                    pick(k("prompt"), &mut q.prompt);
                    for c in &mut q.choices {
                        pick(k(&format!("choices.{}", c.id)), &mut c.text);
                    }
                    if let Some(e) = &mut q.explanation {
                        pick(k("explanation"), e);
                    }
                }
            }
        }
        out
    }

    /// Rewrites every source-language text of the module (not ids, not sources) with `f`.
    pub fn map_source_texts(&mut self, f: impl Fn(&str) -> String) {
        let apply = |s: &mut String| *s = f(s);
        apply(&mut self.title);
        apply(&mut self.summary);
        apply(&mut self.audience);
        for step in &mut self.steps {
            if let Some(n) = &mut step.notes {
                apply(n);
            }
            match &mut step.kind {
                StepKind::Slide { title, body } => {
                    apply(title);
                    apply(body);
                }
                StepKind::Scenario {
                    title,
                    story,
                    prompts,
                } => {
                    apply(title);
                    apply(story);
                    prompts.iter_mut().for_each(apply);
                }
                StepKind::Question(q) => {
                    apply(&mut q.prompt);
                    q.choices.iter_mut().for_each(|c| apply(&mut c.text));
                    if let Some(e) = &mut q.explanation {
                        apply(e);
                    }
                }
            }
        }
    }

    /// The questions of the knowledge check, in module order.
    pub fn check_questions(&self) -> impl Iterator<Item = (&Step, &Question)> {
        self.steps.iter().filter_map(|s| match &s.kind {
            StepKind::Question(q) if q.check => Some((s, q)),
            _ => None,
        })
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// Everything the loader found: the modules that loaded (by id, later sources winning) and every
/// diagnostic, including those of modules that did not load.
#[derive(Debug, Default)]
pub struct Catalog {
    pub modules: Vec<Module>,
    pub diagnostics: Vec<Diagnostic>,
    /// The module folders and translation files that did not load and that no later source
    /// replaced: an earlier copy (or none) is used in their place.
    pub failed: Vec<Failed>,
}

impl Catalog {
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The files of module `id` that did not load: its own `module.toml` copies and, with
    /// `locale`, its translation files into exactly that language. A command acting on this one
    /// module must not quietly use the earlier copy the loader kept in their place.
    pub fn failed_for(&self, id: &str, locale: Option<&str>) -> Vec<&Failed> {
        self.failed
            .iter()
            .filter(|f| f.id == id)
            .filter(|f| match (&f.locale, locale) {
                (None, _) => true,
                (Some(found), Some(wanted)) => found.eq_ignore_ascii_case(wanted),
                (Some(_), None) => false,
            })
            .collect()
    }
}

/// A module folder or translation file with errors, kept with its diagnostics (the errors, and
/// the note naming the copy used instead) so that a command acting on the module can show them.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The module id: the name of the folder.
    pub id: String,
    /// `None` for the module itself, else the language of the translation file.
    pub locale: Option<String>,
    /// The file that did not load (`module.toml` or `<lang>.toml`).
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
}

/// FNV-1a, 64 bits: a stable fingerprint of text, not a security measure.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes().filter(|&b| b != b'\r') {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_ignores_carriage_returns() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a\r\nb"), fingerprint("a\nb"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
    }
}
