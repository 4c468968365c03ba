//! Turns one file's text into a checked `Module` or `Translation`, reporting every problem it
//! can find in one pass: syntax, unknown keys (with "did you mean"), wrong types, then the rules
//! of the format. Pure: the caller reads the files and decides where modules come from.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;
use std::path::PathBuf;

use rust_i18n::t;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::diagnostic::{Diagnostic, SourceFile};
use super::locale_tag;
use super::model::{
    fingerprint, Choice, Module, Origin, Question, QuestionType, Source, Step, StepKind,
    Translation, TranslationStatus,
};
use super::raw::{
    fields_of, RawChoice, RawModule, RawSource, RawStep, RawStepText, RawTranslation, Text,
};

/// Files above this size are refused unread: a module of 15 steps is some 20 KB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Choices are answered with the keys A-F in private mode.
pub const MAX_CHOICES: usize = 6;
pub const CONFIDENCE_CHOICES: usize = 5;
pub const STEP_KINDS: [&str; 3] = ["slide", "scenario", "question"];

/// Decodes a file's bytes, reporting invalid UTF-8 at its exact place. A leading BOM is dropped.
pub fn decode(display: &str, bytes: &[u8]) -> Result<SourceFile, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, Some(text.into()))),
        Err(e) => {
            let at = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            let file = SourceFile::new(display, Some(lossy.as_ref().into()));
            Err(Box::new(
                Diagnostic::error("invalid-utf8", t!("check.invalid_utf8"))
                    .at(&file, Some(at..at + 3))
                    .label(t!("check.invalid_utf8_label"))
                    .help(t!("check.invalid_utf8_help")),
            ))
        }
    }
}

/// The diagnostic for a file refused for its size.
pub fn too_large(file: &SourceFile, bytes: u64) -> Diagnostic {
    Diagnostic::error(
        "file-too-large",
        t!(
            "check.file_too_large",
            size = format!("{:.1}", bytes as f64 / 1_048_576.0),
            limit = MAX_FILE_BYTES / 1024
        ),
    )
    .at(file, None)
    .help(t!("check.file_too_large_help"))
}

/// Collects diagnostics for one file.
struct Ctx<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
}

impl<'f> Ctx<'f> {
    fn new(file: &'f SourceFile) -> Self {
        Self {
            file,
            diags: Vec::new(),
        }
    }

    fn text(&self) -> &str {
        self.file.text().unwrap_or("")
    }

    fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, message).at(self.file, Some(span)))
    }

    fn warning(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(code, message).at(self.file, Some(span)))
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn has_errors(&self) -> bool {
        self.diags
            .iter()
            .any(|d| d.severity == super::diagnostic::Severity::Error)
    }

    /// The first line of a span: a table's header rather than its whole body.
    fn head(&self, span: Range<usize>) -> Range<usize> {
        let text = self.text();
        let start = span.start.min(text.len());
        let end = text[start..span.end.min(text.len()).max(start)]
            .find('\n')
            .map_or(span.end, |i| start + i);
        start..end.max(start)
    }

    /// Parses, strips unknown keys (reporting each), then deserializes into `T`.
    fn parse<T: DeserializeOwned>(
        &mut self,
        walk: fn(&mut Ctx<'_>, &mut DeTable<'_>),
    ) -> Option<T> {
        let text = self.file.text()?.to_owned();
        if text.trim().is_empty() {
            self.error("empty-file", 0..0, t!("check.empty_file")).help =
                Some(t!("check.empty_file_help").into_owned());
            return None;
        }
        // TOML refuses raw control characters with a message that cannot name them.
        if let Some((at, c)) = text
            .char_indices()
            .find(|&(i, c)| is_raw_control(&text, i, c))
        {
            let code = format!("U+{:04X}", c as u32);
            self.error(
                "control-character",
                at..at + c.len_utf8(),
                t!("check.raw_control_char", code = code),
            )
            .help = Some(t!("check.control_char_help").into_owned());
            return None;
        }
        let (mut root, errors) = DeTable::parse_recoverable(&text);
        if !errors.is_empty() {
            for e in errors {
                let (span, detail) = match e.span() {
                    Some(span) if e.message().starts_with("duplicate key") => {
                        let key = text.get(span.clone()).unwrap_or("").trim();
                        (span, t!("check.duplicate_key", key = key).into_owned())
                    }
                    Some(span) => (span, e.message().to_string()),
                    // The parser's depth limit comes without a place: find the line ourselves.
                    None if e.message().contains("recursion") => {
                        (deep_nesting(&text), t!("check.too_deep").into_owned())
                    }
                    None => (0..0, e.message().to_string()),
                };
                self.error("syntax", span, t!("check.syntax", detail = detail))
                    .help = Some(t!("check.syntax_help").into_owned());
            }
            return None;
        }
        walk(self, root.get_mut());
        match T::deserialize(toml::de::Deserializer::from(root)) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let detail = friendly_type_error(e.message());
                self.error("wrong-type", span, t!("check.wrong_type", detail = detail))
                    .help = Some(t!("check.wrong_type_help").into_owned());
                None
            }
        }
    }

    /// Reports and removes keys of `table` that `T` does not know.
    fn known_keys<T: DeserializeOwned>(&mut self, table: &mut DeTable<'_>, what: &str) {
        let fields = fields_of::<T>();
        if table.keys().all(|k| fields.contains(&k.get_ref().as_ref())) {
            return;
        }
        let mut present: HashSet<String> = table
            .keys()
            .map(|k| k.get_ref().to_string())
            .filter(|k| fields.contains(&k.as_str()))
            .collect();
        for (k, v) in std::mem::take(table) {
            let key = k.get_ref().to_string();
            if fields.contains(&key.as_str()) {
                table.insert(k, v);
                continue;
            }
            let suggestion = suggest(&key, fields.iter().copied());
            let help = match suggestion {
                Some(s) => t!("check.did_you_mean", suggestion = s).into_owned(),
                None => t!("check.known_keys", keys = fields.join(", ")).into_owned(),
            };
            self.error(
                "unknown-key",
                k.span(),
                t!("check.unknown_key", key = key, table = what_word(what)),
            )
            .help = Some(help);
            // Read a likely typo as the key it was meant to be, so that one slip gives one
            // error and not a cascade of "missing" ones.
            if let Some(s) = suggestion.filter(|s| present.insert(s.to_string())) {
                table.insert(Spanned::new(k.span(), s.into()), v);
            }
        }
    }

    /// A text field: required or not, never empty, never carrying control characters.
    fn field(
        &mut self,
        value: &Option<Text>,
        key: &str,
        required: bool,
        owner: Range<usize>,
    ) -> Option<String> {
        match value {
            None => {
                if required {
                    self.missing(key, owner);
                }
                None
            }
            Some(v) => self.checked_text(v, key),
        }
    }

    fn missing(&mut self, key: &str, owner: Range<usize>) {
        let span = self.head(owner);
        self.error("missing-key", span, t!("check.missing_key", key = key))
            .help = Some(t!("check.missing_key_help", key = key).into_owned());
    }

    /// Checks the content of a text value; `None` when it is unusable.
    fn checked_text(&mut self, v: &Text, key: &str) -> Option<String> {
        let s = v.get_ref();
        if s.trim().is_empty() {
            self.error("empty-text", v.span(), t!("check.empty_text", key = key))
                .help = Some(t!("check.empty_text_help").into_owned());
            return None;
        }
        if let Some(c) = forbidden_char(s) {
            let span = locate_char(self.text(), v.span(), c);
            let code = format!("U+{:04X}", c as u32);
            let message = if c == '\u{1b}' || c == '\u{9b}' {
                t!("check.escape_sequence", key = key, code = code)
            } else {
                t!("check.control_char", key = key, code = code)
            };
            self.error("control-character", span, message).help =
                Some(t!("check.control_char_help").into_owned());
            return None;
        }
        self.resource_names(v);
        Some(s.replace("\r\n", "\n"))
    }

    /// Reports each `{{name}}` that names no help resource (`{{helpine}}`): the room would see
    /// the braces instead of a number.
    fn resource_names(&mut self, v: &Text) {
        let s = v.get_ref();
        let mut search_from = v.span().start;
        for p in crate::resources::placeholders(s) {
            if crate::resources::Name::parse(p.name).is_some() {
                continue;
            }
            let written = &s[p.range.clone()];
            let span = v.span();
            let at = self
                .text()
                .get(search_from.max(span.start)..span.end)
                .and_then(|slice| slice.find(written))
                .map(|i| search_from.max(span.start) + i);
            let span = match at {
                Some(i) => {
                    search_from = i + written.len();
                    i..i + written.len()
                }
                None => span,
            };
            let help = match crate::resources::Name::suggest(p.name) {
                Some(n) => t!("check.did_you_mean", suggestion = n.placeholder()).into_owned(),
                None => t!(
                    "check.unknown_resource_help",
                    names = crate::resources::Name::list()
                )
                .into_owned(),
            };
            self.error(
                "unknown-resource",
                span,
                t!("check.unknown_resource", placeholder = written),
            )
            .help = Some(help);
        }
    }

    fn id(&mut self, value: &Option<Text>, what: &str, owner: Range<usize>) -> Option<String> {
        let Some(v) = value else {
            self.missing("id", owner);
            return None;
        };
        if !is_valid_id(v.get_ref()) {
            self.error(
                "invalid-id",
                v.span(),
                t!("check.invalid_id", what = what_word(what), id = v.get_ref()),
            )
            .help = Some(t!("check.invalid_id_help").into_owned());
            return None;
        }
        Some(v.get_ref().clone())
    }

    fn number(
        &mut self,
        value: &Option<Spanned<i64>>,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<u32> {
        let v = value.as_ref()?;
        let n = *v.get_ref();
        if range.contains(&n) {
            return u32::try_from(n).ok();
        }
        let message = if n < *range.start() {
            t!("check.too_small", key = key, value = n, min = range.start())
        } else {
            t!("check.too_large", key = key, value = n, max = range.end())
        };
        self.error("out-of-range", v.span(), message).help =
            Some(t!("check.out_of_range_help", key = key).into_owned());
        None
    }
}

/// A control character written raw into the file (tabs, and CR before LF, are fine).
fn is_raw_control(text: &str, i: usize, c: char) -> bool {
    c.is_control()
        && c != '\n'
        && c != '\t'
        && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
}

/// The span of the key written before a value (`story = "..."` -> `story`), or the value's own
/// span when none is found: "this key does not belong here" points at the key.
fn key_before(text: &str, value: Range<usize>) -> Range<usize> {
    let Some(before) = text.get(..value.start) else {
        return value;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let Some(head) = before[line_start..].trim_end().strip_suffix('=') else {
        return value;
    };
    let key = head.trim_end();
    let start = key
        .rfind(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .map_or(0, |i| i + 1);
    if start >= key.len() {
        return value;
    }
    line_start + start..line_start + key.len()
}

/// The first line nested deeper than the parser allows (arrays, inline tables or dotted keys),
/// as the span of that line.
fn deep_nesting(text: &str) -> Range<usize> {
    const LIMIT: usize = 80;
    let mut depth: usize = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut dots = 0;
        for b in line.bytes() {
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'.' => dots += 1,
                _ => {}
            }
            if depth > LIMIT || dots > LIMIT {
                return offset..offset + line.trim_end().len().min(1);
            }
        }
        offset += line.len();
    }
    0..0
}

/// Makes serde's type errors read as a trainer would say them.
fn friendly_type_error(message: &str) -> String {
    message
        .replace("i64", "a whole number")
        .replace("a sequence", "an array")
        .replace("a boolean", "true or false")
        .replace("struct RawStep", "a [[steps]] table")
        .replace("struct RawChoice", "a [[steps.choices]] table")
        .replace("struct RawSource", "a [[sources]] table")
        .replace("struct RawStepText", "a [steps.<id>] table")
        .replace("map", "a table")
}

/// Module, step and choice ids are join keys in stores and exports: keep them plain.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Control characters (terminal escapes among them) and bidi overrides that could reorder or
/// restyle what the room sees. Newlines and tabs are text.
fn forbidden_char(s: &str) -> Option<char> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let lone_cr = c == '\r' && chars.peek() != Some(&'\n');
        if (c.is_control() && c != '\n' && c != '\t' && c != '\r')
            || lone_cr
            || ('\u{202A}'..='\u{202E}').contains(&c)
        {
            return Some(c);
        }
    }
    None
}

/// Finds where `c` is written inside a string's span: the raw character or its escape.
fn locate_char(src: &str, span: Range<usize>, c: char) -> Range<usize> {
    let Some(slice) = src.get(span.clone()) else {
        return span;
    };
    if let Some(i) = slice.find(c) {
        return span.start + i..span.start + i + c.len_utf8();
    }
    let lower = slice.to_ascii_lowercase();
    let code = c as u32;
    let mut forms = vec![
        format!("\\u{code:04x}"),
        format!("\\u{code:08x}"),
        format!("\\x{code:02x}"),
    ];
    if c == '\u{1b}' {
        forms.push("\\e".into());
    }
    forms
        .iter()
        .filter_map(|f| lower.find(f.as_str()).map(|i| (i, f.len())))
        .min()
        .map_or(span.clone(), |(i, len)| {
            span.start + i..span.start + i + len
        })
}

/// The word for a kind of id or table in messages: the code names them in English, the
/// facilitator reads them in the interface language. Table headers such as `[[steps]]` stay.
fn what_word(what: &str) -> String {
    match what {
        "source" => t!("check.what.source"),
        "step" => t!("check.what.step"),
        "choice" => t!("check.what.choice"),
        "module" => t!("check.what.module"),
        "translation" => t!("check.what.translation"),
        _ => return what.to_string(),
    }
    .into_owned()
}

/// The closest candidate, if it is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn tables_in<'a, 'i>(value: &'a mut DeValue<'i>) -> Vec<&'a mut DeTable<'i>> {
    match value {
        DeValue::Array(items) => items
            .iter_mut()
            .filter_map(|v| match v.get_mut() {
                DeValue::Table(t) => Some(t),
                _ => None,
            })
            .collect(),
        DeValue::Table(t) => vec![t],
        _ => Vec::new(),
    }
}

fn walk_module(ctx: &mut Ctx<'_>, root: &mut DeTable<'_>) {
    ctx.known_keys::<RawModule>(root, "module");
    if let Some(sources) = root.get_mut("sources") {
        for t in tables_in(sources.get_mut()) {
            ctx.known_keys::<RawSource>(t, "[[sources]]");
        }
    }
    if let Some(steps) = root.get_mut("steps") {
        for step in tables_in(steps.get_mut()) {
            ctx.known_keys::<RawStep>(step, "[[steps]]");
            if let Some(choices) = step.get_mut("choices") {
                for c in tables_in(choices.get_mut()) {
                    ctx.known_keys::<RawChoice>(c, "[[steps.choices]]");
                }
            }
        }
    }
}

fn walk_translation(ctx: &mut Ctx<'_>, root: &mut DeTable<'_>) {
    ctx.known_keys::<RawTranslation>(root, "translation");
    if let Some(steps) = root.get_mut("steps") {
        if let DeValue::Table(steps) = steps.get_mut() {
            for (_, step) in steps.iter_mut() {
                if let DeValue::Table(t) = step.get_mut() {
                    ctx.known_keys::<RawStepText>(t, "[steps.<id>]");
                }
            }
        }
    }
}

/// Checks a `module.toml`. `folder` is the module folder's name, which must equal the id.
pub fn module(
    file: &SourceFile,
    folder: &str,
    origin: Origin,
) -> (Option<Module>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(file);
    let Some(raw) = ctx.parse::<RawModule>(walk_module) else {
        return (None, ctx.diags);
    };
    let whole = 0..0;
    let id = ctx.id(&raw.id, "module", whole.clone());
    if let (Some(id), Some(span)) = (&id, raw.id.as_ref().map(Spanned::span)) {
        if id != folder {
            ctx.error(
                "id-mismatch",
                span,
                t!("check.id_mismatch", id = id, folder = folder),
            )
            .help = Some(t!("check.id_mismatch_help", id = id).into_owned());
        }
    }
    let version = match &raw.version {
        None => {
            ctx.missing("version", whole.clone());
            None
        }
        v => ctx.number(v, "version", 1..=i64::from(u32::MAX)),
    };
    let source_locale = ctx.field(&raw.source_locale, "source_locale", true, whole.clone());
    if let (Some(tag), Some(v)) = (&source_locale, &raw.source_locale) {
        check_tag(&mut ctx, tag, v.span());
    }
    let title = ctx.field(&raw.title, "title", true, whole.clone());
    let summary = ctx.field(&raw.summary, "summary", true, whole.clone());
    let audience = ctx.field(&raw.audience, "audience", true, whole.clone());
    let minutes = match &raw.minutes {
        None => {
            ctx.missing("minutes", whole.clone());
            None
        }
        v => ctx.number(v, "minutes", 1..=600),
    };
    let sources = check_sources(&mut ctx, raw.sources.as_deref().unwrap_or_default());
    let source_ids: HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let steps = match &raw.steps {
        None => {
            ctx.missing("steps", whole);
            Vec::new()
        }
        Some(steps) => check_steps(&mut ctx, steps, &source_ids),
    };
    if let (Some(planned), Some(m)) = (minutes, &raw.minutes) {
        let sum: u32 = steps.iter().filter_map(|s| s.minutes).sum();
        if sum > planned {
            ctx.warning(
                "minutes-over",
                m.span(),
                t!("check.minutes_over", sum = sum, minutes = planned),
            )
            .help = Some(t!("check.minutes_over_help").into_owned());
        }
    }
    if ctx.has_errors() {
        return (None, ctx.diags);
    }
    let (
        Some(id),
        Some(version),
        Some(source_locale),
        Some(title),
        Some(summary),
        Some(audience),
        Some(minutes),
    ) = (
        id,
        version,
        source_locale,
        title,
        summary,
        audience,
        minutes,
    )
    else {
        return (None, ctx.diags);
    };
    let module = Module {
        id,
        version,
        source_locale: locale_tag::canonical(&source_locale),
        title,
        summary,
        audience,
        minutes,
        sources,
        steps,
        translations: BTreeMap::new(),
        origin,
        content_hash: fingerprint(file.text().unwrap_or("")),
    };
    (Some(module), ctx.diags)
}

fn check_tag(ctx: &mut Ctx<'_>, tag: &str, span: Range<usize>) {
    if !locale_tag::is_valid(tag) {
        ctx.error(
            "invalid-locale",
            span,
            t!("check.invalid_locale", tag = tag),
        )
        .help = Some(t!("check.invalid_locale_help").into_owned());
    }
}

fn check_sources(ctx: &mut Ctx<'_>, raw: &[Spanned<RawSource>]) -> Vec<Source> {
    if raw.is_empty() {
        ctx.warning("no-sources", 0..0, t!("check.no_sources")).help =
            Some(t!("check.no_sources_help").into_owned());
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in raw {
        let span = s.span();
        let s = s.get_ref();
        let id = ctx.id(&s.id, "source", span.clone());
        let citation = ctx.field(&s.citation, "citation", true, span.clone());
        let url = ctx.field(&s.url, "url", false, span.clone());
        if let (Some(id), Some(raw_id)) = (&id, &s.id) {
            if !seen.insert(id.clone()) {
                ctx.error(
                    "duplicate-id",
                    raw_id.span(),
                    t!("check.duplicate_id", what = what_word("source"), id = id),
                )
                .help = Some(t!("check.duplicate_id_help").into_owned());
            }
        }
        if let (Some(id), Some(citation)) = (id, citation) {
            out.push(Source { id, citation, url });
        }
    }
    out
}

/// Which optional fields each step kind takes, beyond id, kind, notes, minutes and sources.
pub fn kind_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "slide" => &["title", "body"],
        "scenario" => &["title", "story", "prompts"],
        _ => &["type", "check", "prompt", "choices", "explanation"],
    }
}

fn present_fields(s: &RawStep) -> Vec<(&'static str, Range<usize>)> {
    let mut out = Vec::new();
    let mut add = |name: &'static str, span: Option<Range<usize>>| {
        if let Some(span) = span {
            out.push((name, span));
        }
    };
    add("title", s.title.as_ref().map(Spanned::span));
    add("body", s.body.as_ref().map(Spanned::span));
    add("story", s.story.as_ref().map(Spanned::span));
    add("prompts", s.prompts.as_ref().map(Spanned::span));
    add("type", s.qtype.as_ref().map(Spanned::span));
    add("check", s.check.as_ref().map(Spanned::span));
    add("prompt", s.prompt.as_ref().map(Spanned::span));
    add("choices", s.choices.as_ref().map(Spanned::span));
    add("explanation", s.explanation.as_ref().map(Spanned::span));
    out
}

fn check_steps(
    ctx: &mut Ctx<'_>,
    raw: &[Spanned<RawStep>],
    source_ids: &HashSet<&str>,
) -> Vec<Step> {
    if raw.is_empty() {
        ctx.error("no-steps", 0..0, t!("check.no_steps")).help =
            Some(t!("check.no_steps_help").into_owned());
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for spanned in raw {
        let span = spanned.span();
        let s = spanned.get_ref();
        let id = ctx.id(&s.id, "step", span.clone());
        if let (Some(id), Some(raw_id)) = (&id, &s.id) {
            if !seen.insert(id.clone()) {
                ctx.error(
                    "duplicate-id",
                    raw_id.span(),
                    t!("check.duplicate_id", what = what_word("step"), id = id),
                )
                .help = Some(t!("check.duplicate_id_help").into_owned());
            }
        }
        let notes = ctx.field(&s.notes, "notes", false, span.clone());
        let minutes = match &s.minutes {
            None => {
                let head = ctx.head(span.clone());
                ctx.warning(
                    "no-minutes",
                    head,
                    t!("check.no_minutes", id = id.as_deref().unwrap_or("?")),
                )
                .help = Some(t!("check.no_minutes_help").into_owned());
                None
            }
            m => ctx.number(m, "minutes", 0..=600),
        };
        let mut sources = Vec::new();
        for r in s.sources.iter().flatten() {
            if source_ids.contains(r.get_ref().as_str()) {
                sources.push(r.get_ref().clone());
            } else {
                let help = match suggest(r.get_ref(), source_ids.iter().copied()) {
                    Some(sug) => t!("check.did_you_mean", suggestion = sug).into_owned(),
                    None => t!("check.unknown_source_help").into_owned(),
                };
                ctx.error(
                    "unknown-source",
                    r.span(),
                    t!("check.unknown_source", id = r.get_ref()),
                )
                .help = Some(help);
            }
        }
        let Some(kind_text) = &s.kind else {
            ctx.missing("kind", span);
            continue;
        };
        let kind_name = kind_text.get_ref().as_str();
        if !STEP_KINDS.contains(&kind_name) {
            let help = match suggest(kind_name, STEP_KINDS) {
                Some(sug) => t!(
                    "check.did_you_mean",
                    suggestion = format!("kind = \"{sug}\"")
                )
                .into_owned(),
                None => t!("check.step_kinds_help").into_owned(),
            };
            ctx.error(
                "unknown-kind",
                kind_text.span(),
                t!("check.unknown_kind", kind = kind_name),
            )
            .help = Some(help);
            continue;
        }
        let allowed = kind_fields(kind_name);
        for (field, fspan) in present_fields(s) {
            if !allowed.contains(&field) {
                let fspan = key_before(ctx.text(), fspan);
                ctx.error(
                    "field-not-for-kind",
                    fspan,
                    t!("check.field_not_for_kind", field = field, kind = kind_name),
                )
                .help = Some(
                    t!("check.field_not_for_kind_help", kinds = kinds_with(field)).into_owned(),
                );
            }
        }
        let kind = match kind_name {
            "slide" => {
                let title = ctx.field(&s.title, "title", true, span.clone());
                let body = ctx
                    .field(&s.body, "body", false, span.clone())
                    .unwrap_or_default();
                title.map(|title| StepKind::Slide { title, body })
            }
            "scenario" => {
                let title = ctx.field(&s.title, "title", true, span.clone());
                let story = ctx.field(&s.story, "story", true, span.clone());
                let prompts = match &s.prompts {
                    None => {
                        ctx.missing("prompts", span.clone());
                        None
                    }
                    Some(p) if p.get_ref().is_empty() => {
                        ctx.error("no-prompts", p.span(), t!("check.no_prompts"))
                            .help = Some(t!("check.no_prompts_help").into_owned());
                        None
                    }
                    Some(p) => p
                        .get_ref()
                        .iter()
                        .map(|t| ctx.checked_text(t, "prompts"))
                        .collect(),
                };
                match (title, story, prompts) {
                    (Some(title), Some(story), Some(prompts)) => Some(StepKind::Scenario {
                        title,
                        story,
                        prompts,
                    }),
                    _ => None,
                }
            }
            _ => check_question(ctx, s, span.clone()).map(StepKind::Question),
        };
        if let (Some(id), Some(kind)) = (id, kind) {
            out.push(Step {
                id,
                notes,
                minutes,
                sources,
                kind,
            });
        }
    }
    out
}

fn kinds_with(field: &str) -> String {
    STEP_KINDS
        .iter()
        .filter(|k| kind_fields(k).contains(&field))
        .map(|k| format!("\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_question(ctx: &mut Ctx<'_>, s: &RawStep, span: Range<usize>) -> Option<Question> {
    let prompt = ctx.field(&s.prompt, "prompt", true, span.clone());
    let explanation = ctx.field(&s.explanation, "explanation", false, span.clone());
    let qtype = match &s.qtype {
        None => {
            ctx.missing("type", span.clone());
            None
        }
        Some(t) => {
            let found = QuestionType::ALL
                .iter()
                .find(|(n, _)| n == t.get_ref())
                .map(|(_, q)| *q);
            if found.is_none() {
                let names = QuestionType::ALL.map(|(n, _)| n);
                let help = match suggest(t.get_ref(), names) {
                    Some(sug) => t!(
                        "check.did_you_mean",
                        suggestion = format!("type = \"{sug}\"")
                    )
                    .into_owned(),
                    None => t!("check.question_types_help").into_owned(),
                };
                ctx.error(
                    "unknown-question-type",
                    t.span(),
                    t!("check.unknown_question_type", qtype = t.get_ref()),
                )
                .help = Some(help);
            }
            found
        }
    };
    if explanation.is_none() && s.explanation.is_none() {
        if let Some(q) = qtype.filter(|q| q.is_scored()) {
            let head = ctx.head(span.clone());
            ctx.warning(
                "no-explanation",
                head,
                t!("check.no_explanation", qtype = q.name()),
            )
            .help = Some(t!("check.no_explanation_help").into_owned());
        }
    }
    let Some(raw_choices) = &s.choices else {
        ctx.missing("choices", span);
        return None;
    };
    let cspan = raw_choices.span();
    let cspan = ctx.head(cspan);
    let mut seen = HashSet::new();
    let mut choices = Vec::new();
    let mut complete = true;
    for c in raw_choices.get_ref() {
        let own = c.span();
        let c = c.get_ref();
        let id = ctx.id(&c.id, "choice", own.clone());
        if let (Some(id), Some(raw_id)) = (&id, &c.id) {
            if !seen.insert(id.clone()) {
                ctx.error(
                    "duplicate-id",
                    raw_id.span(),
                    t!("check.duplicate_id", what = what_word("choice"), id = id),
                )
                .help = Some(t!("check.duplicate_id_help").into_owned());
            }
        }
        let text = ctx.field(&c.text, "text", true, own);
        let correct = c.correct.as_ref().is_some_and(|b| *b.get_ref());
        if qtype == Some(QuestionType::Confidence) && correct {
            let span = c
                .correct
                .as_ref()
                .map(Spanned::span)
                .unwrap_or(cspan.clone());
            ctx.error("confidence-correct", span, t!("check.confidence_correct"))
                .help = Some(t!("check.confidence_correct_help").into_owned());
        }
        match (id, text) {
            (Some(id), Some(text)) => choices.push(Choice { id, text, correct }),
            _ => complete = false,
        }
    }
    let count = raw_choices.get_ref().len();
    let qtype = qtype?;
    let n_correct = raw_choices
        .get_ref()
        .iter()
        .filter(|c| c.get_ref().correct.as_ref().is_some_and(|b| *b.get_ref()))
        .count();
    let (min, max) = match qtype {
        QuestionType::TrueFalse => (2, 2),
        QuestionType::Confidence => (CONFIDENCE_CHOICES, CONFIDENCE_CHOICES),
        _ => (2, MAX_CHOICES),
    };
    if count < 2 {
        ctx.error(
            "too-few-choices",
            cspan.clone(),
            t!("check.too_few_choices", count = count),
        )
        .help = Some(t!("check.too_few_choices_help").into_owned());
    } else if count < min || count > max {
        let message = if min == max {
            t!(
                "check.choice_count_exact",
                qtype = qtype.name(),
                count = count,
                expected = min
            )
        } else {
            t!(
                "check.choice_count",
                qtype = qtype.name(),
                count = count,
                min = min,
                max = max
            )
        };
        ctx.error("choice-count", cspan.clone(), message).help =
            Some(t!("check.choice_count_help", max = MAX_CHOICES).into_owned());
    }
    match qtype {
        QuestionType::Single | QuestionType::TrueFalse if n_correct != 1 => {
            ctx.error(
                "correct-count",
                cspan,
                t!(
                    "check.single_correct",
                    qtype = qtype.name(),
                    count = n_correct
                ),
            )
            .help = Some(t!("check.single_correct_help").into_owned());
        }
        QuestionType::Multiple if n_correct == 0 => {
            ctx.error("correct-count", cspan, t!("check.multiple_correct"))
                .help = Some(t!("check.multiple_correct_help").into_owned());
        }
        _ => {}
    }
    let check = s.check.as_ref().is_some_and(|b| *b.get_ref());
    if !complete {
        return None;
    }
    Some(Question {
        qtype,
        check,
        prompt: prompt?,
        choices,
        explanation,
    })
}

/// Warns when a translated text does not name the same help resources as its source text: a
/// dropped `{{emergency}}` would hide the number from the room in that language.
fn resources_kept(
    ctx: &mut Ctx<'_>,
    key: &str,
    source: &str,
    translated: &str,
    span: Range<usize>,
) {
    fn names(text: &str) -> Vec<&str> {
        let mut v: Vec<&str> = crate::resources::placeholders(text)
            .into_iter()
            .map(|p| p.name)
            .collect();
        v.sort_unstable();
        v
    }
    let (src, tr) = (names(source), names(translated));
    if src == tr {
        return;
    }
    let show = |v: &[&str]| {
        if v.is_empty() {
            t!("check.resource_none").into_owned()
        } else {
            v.iter()
                .map(|n| format!("{{{{{n}}}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let span = key_before(ctx.text(), span);
    ctx.warning(
        "resource-mismatch",
        span,
        t!(
            "check.resource_mismatch",
            key = key,
            translated = show(&tr),
            source = show(&src)
        ),
    )
    .help = Some(t!("check.resource_mismatch_help").into_owned());
}

/// Warns about translated texts without a fingerprint: nothing records which source text they
/// were made from, so a later change of the source could never mark them stale, and they count
/// as stale until `translate update` records one and the translator checks them. A file with
/// no `[fingerprints]` table at all (written by hand) gets one warning, at its first text.
fn unrecorded_fingerprints(
    ctx: &mut Ctx<'_>,
    spans: &BTreeMap<String, Range<usize>>,
    fingerprints: &BTreeMap<String, String>,
    no_table: bool,
    module: &str,
    locale: &str,
) {
    let mut unrecorded: Vec<(&String, &Range<usize>)> = spans
        .iter()
        .filter(|(k, _)| !fingerprints.contains_key(k.as_str()))
        .collect();
    unrecorded.sort_by_key(|(_, span)| span.start);
    let help = t!("check.no_fingerprint_help", id = module, lang = locale).into_owned();
    if no_table && unrecorded.len() > 1 {
        if let Some((_, span)) = unrecorded.first() {
            let span = key_before(ctx.text(), (*span).clone());
            ctx.warning(
                "translation-no-fingerprint",
                span,
                t!("check.no_fingerprints", count = unrecorded.len()),
            )
            .help = Some(help);
        }
        return;
    }
    for (key, span) in unrecorded {
        let span = key_before(ctx.text(), span.clone());
        ctx.warning(
            "translation-no-fingerprint",
            span,
            t!("check.no_fingerprint", key = key.as_str()),
        )
        .help = Some(help.clone());
    }
}

/// Checks a translation file `<locale>.toml` against its module.
pub fn translation(
    file: &SourceFile,
    locale: &str,
    path: PathBuf,
    module: &Module,
) -> (Option<Translation>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(file);
    let tag_ok = locale_tag::is_valid(locale);
    if !tag_ok {
        let d = Diagnostic::error(
            "invalid-locale",
            t!("check.invalid_locale_file", tag = locale),
        )
        .at(file, None)
        .help(t!("check.invalid_locale_file_help"));
        ctx.push(d);
    } else if locale.eq_ignore_ascii_case(&module.source_locale) {
        let d = Diagnostic::error(
            "translation-of-source",
            t!("check.translation_of_source", tag = locale),
        )
        .at(file, None)
        .help(t!("check.translation_of_source_help"));
        ctx.push(d);
    }
    let Some(raw) = ctx.parse::<RawTranslation>(walk_translation) else {
        return (None, ctx.diags);
    };
    let status = match &raw.status {
        None => {
            let d = Diagnostic::error("missing-key", t!("check.missing_key", key = "status"))
                .at(file, Some(0..0))
                .help(t!("check.missing_status_help"));
            ctx.push(d);
            None
        }
        Some(s) => match s.get_ref().as_str() {
            "draft" => {
                ctx.warning("draft", s.span(), t!("check.draft", tag = locale))
                    .help = Some(t!("check.draft_help").into_owned());
                Some(TranslationStatus::Draft)
            }
            "reviewed" => Some(TranslationStatus::Reviewed),
            other => {
                let help = match suggest(other, ["draft", "reviewed"]) {
                    Some(sug) => t!(
                        "check.did_you_mean",
                        suggestion = format!("status = \"{sug}\"")
                    )
                    .into_owned(),
                    None => t!("check.status_help").into_owned(),
                };
                ctx.error(
                    "unknown-status",
                    s.span(),
                    t!("check.unknown_status", status = other),
                )
                .help = Some(help);
                None
            }
        },
    };
    let mut texts = BTreeMap::new();
    let source_texts = module.text_keys();
    let source_keys: BTreeMap<&str, &str> =
        source_texts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    // Where each translated text is written, for the warnings about its fingerprint.
    let mut spans: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut put = |ctx: &mut Ctx<'_>, key: String, v: &Option<Text>| {
        if let Some(v) = v {
            // An empty string is "not translated yet" (as `translate new` writes them): the
            // source text shows, as for a missing key.
            if v.get_ref().trim().is_empty() {
                return;
            }
            if let Some(s) = ctx.checked_text(v, &key) {
                if let Some(src) = source_keys.get(key.as_str()) {
                    resources_kept(ctx, &key, src, &s, v.span());
                }
                spans.insert(key.clone(), v.span());
                texts.insert(key, s);
            }
        }
    };
    put(&mut ctx, "title".into(), &raw.title);
    put(&mut ctx, "summary".into(), &raw.summary);
    put(&mut ctx, "audience".into(), &raw.audience);
    for (step_id, st) in raw.steps.iter().flatten() {
        let Some(step) = module.step(step_id.get_ref()) else {
            let help = match suggest(
                step_id.get_ref(),
                module.steps.iter().map(|s| s.id.as_str()),
            ) {
                Some(sug) => t!("check.did_you_mean", suggestion = sug).into_owned(),
                None => t!("check.unknown_step_help").into_owned(),
            };
            ctx.error(
                "unknown-step",
                step_id.span(),
                t!(
                    "check.unknown_step",
                    id = step_id.get_ref(),
                    module = module.id.as_str()
                ),
            )
            .help = Some(help);
            continue;
        };
        let k = |field: &str| format!("steps.{}.{field}", step.id);
        let st = st.get_ref();
        let kind_name = match &step.kind {
            StepKind::Slide { .. } => "slide",
            StepKind::Scenario { .. } => "scenario",
            StepKind::Question(_) => "question",
        };
        let offered: [(&str, Option<Range<usize>>); 7] = [
            ("title", st.title.as_ref().map(Spanned::span)),
            ("body", st.body.as_ref().map(Spanned::span)),
            ("story", st.story.as_ref().map(Spanned::span)),
            ("prompts", st.prompts.as_ref().map(Spanned::span)),
            ("prompt", st.prompt.as_ref().map(Spanned::span)),
            ("explanation", st.explanation.as_ref().map(Spanned::span)),
            ("choices", st.choices.as_ref().map(Spanned::span)),
        ];
        for (field, span) in offered {
            let Some(span) = span else { continue };
            if !kind_fields(kind_name).contains(&field) {
                let span = key_before(ctx.text(), span);
                ctx.error(
                    "field-not-for-kind",
                    span,
                    t!(
                        "check.translation_field_not_for_kind",
                        field = field,
                        id = step.id.as_str(),
                        kind = kind_name
                    ),
                )
                .help = Some(t!("check.translation_field_not_for_kind_help").into_owned());
            }
        }
        // Text for something the module does not have would add structure: refuse it.
        let source_has = |field: &str| match (&step.kind, field) {
            (_, "notes") => step.notes.is_some(),
            (StepKind::Slide { body, .. }, "body") => !body.is_empty(),
            (StepKind::Question(q), "explanation") => q.explanation.is_some(),
            _ => true,
        };
        for (field, value) in [
            ("notes", &st.notes),
            ("body", &st.body),
            ("explanation", &st.explanation),
        ] {
            if let Some(v) = value.as_ref().filter(|_| !source_has(field)) {
                let span = key_before(ctx.text(), v.span());
                ctx.error(
                    "text-without-source",
                    span,
                    t!(
                        "check.text_without_source",
                        field = field,
                        id = step.id.as_str()
                    ),
                )
                .help = Some(t!("check.text_without_source_help", field = field).into_owned());
            }
        }
        put(&mut ctx, k("title"), &st.title);
        put(&mut ctx, k("body"), &st.body);
        put(&mut ctx, k("story"), &st.story);
        put(&mut ctx, k("prompt"), &st.prompt);
        put(&mut ctx, k("explanation"), &st.explanation);
        put(&mut ctx, k("notes"), &st.notes);
        if let (Some(prompts), StepKind::Scenario { prompts: src, .. }) = (&st.prompts, &step.kind)
        {
            if prompts.get_ref().len() != src.len() {
                ctx.error(
                    "prompt-count",
                    prompts.span(),
                    t!(
                        "check.prompt_count",
                        id = step.id.as_str(),
                        found = prompts.get_ref().len(),
                        expected = src.len()
                    ),
                )
                .help = Some(t!("check.prompt_count_help").into_owned());
            } else {
                for (i, p) in prompts.get_ref().iter().enumerate() {
                    put(&mut ctx, k(&format!("prompts.{}", i + 1)), &Some(p.clone()));
                }
            }
        }
        if let (Some(choices), StepKind::Question(q)) = (&st.choices, &step.kind) {
            let known: BTreeSet<&str> = q.choices.iter().map(|c| c.id.as_str()).collect();
            let mut all_known = true;
            // One choice left empty keeps the whole question in the source language: a
            // question never mixes two languages on screen.
            let any_empty = choices
                .get_ref()
                .values()
                .any(|t| t.get_ref().trim().is_empty());
            for (cid, text) in choices.get_ref() {
                if known.contains(cid.get_ref().as_str()) {
                    if any_empty {
                        continue;
                    }
                    put(
                        &mut ctx,
                        k(&format!("choices.{}", cid.get_ref())),
                        &Some(text.clone()),
                    );
                } else {
                    all_known = false;
                    let help = match suggest(cid.get_ref(), known.iter().copied()) {
                        Some(sug) => t!("check.did_you_mean", suggestion = sug).into_owned(),
                        None => t!(
                            "check.known_choices",
                            ids = known.iter().copied().collect::<Vec<_>>().join(", ")
                        )
                        .into_owned(),
                    };
                    ctx.error(
                        "unknown-choice",
                        cid.span(),
                        t!(
                            "check.unknown_choice",
                            id = cid.get_ref(),
                            step = step.id.as_str()
                        ),
                    )
                    .help = Some(help);
                }
            }
            if all_known && !any_empty && choices.get_ref().len() != known.len() {
                let span = ctx.head(choices.span());
                ctx.error(
                    "choice-count",
                    span,
                    t!(
                        "check.translation_choice_count",
                        id = step.id.as_str(),
                        found = choices.get_ref().len(),
                        expected = known.len()
                    ),
                )
                .help = Some(t!("check.translation_choice_count_help").into_owned());
            }
        }
    }
    let mut fingerprints = BTreeMap::new();
    for (key, fp) in raw.fingerprints.iter().flatten() {
        match source_keys.get(key.as_str()) {
            None => {
                ctx.warning(
                    "unknown-fingerprint",
                    fp.span(),
                    t!("check.unknown_fingerprint", key = key.as_str()),
                )
                .help = Some(t!("check.unknown_fingerprint_help").into_owned());
            }
            Some(src) => {
                if texts.contains_key(key.as_str())
                    && !fingerprint(src).eq_ignore_ascii_case(fp.get_ref())
                {
                    ctx.warning("stale", fp.span(), t!("check.stale", key = key.as_str()))
                        .help = Some(t!("check.stale_help").into_owned());
                }
                fingerprints.insert(key.clone(), fp.get_ref().clone());
            }
        }
    }
    unrecorded_fingerprints(
        &mut ctx,
        &spans,
        &fingerprints,
        raw.fingerprints.is_none(),
        &module.id,
        locale,
    );
    let missing: Vec<&str> = source_texts
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !texts.contains_key(*k))
        .collect();
    if !missing.is_empty() && !ctx.has_errors() {
        let shown: Vec<&str> = missing.iter().take(5).copied().collect();
        let mut list = shown.join(", ");
        if missing.len() > shown.len() {
            list.push_str(&t!("check.and_more", count = missing.len() - shown.len()));
        }
        let span = raw.status.as_ref().map_or(0..0, Spanned::span);
        ctx.warning(
            "untranslated",
            span,
            t!(
                "check.untranslated",
                count = missing.len(),
                tag = locale,
                keys = list
            ),
        )
        .help = Some(t!("check.untranslated_help").into_owned());
    }
    if ctx.has_errors() || !tag_ok {
        return (None, ctx.diags);
    }
    let Some(status) = status else {
        return (None, ctx.diags);
    };
    let tr = Translation {
        locale: locale_tag::canonical(locale),
        status,
        path,
        texts,
        fingerprints,
    };
    (Some(tr), ctx.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        let keys = ["title", "summary", "audience", "minutes"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("Sumary", keys), Some("summary"));
        assert_eq!(suggest("colour", keys), None);
    }

    #[test]
    fn ids_are_plain() {
        assert!(is_valid_id("warning-signs"));
        assert!(is_valid_id("q_1"));
        assert!(!is_valid_id("Warning"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(&"a".repeat(65)));
    }

    #[test]
    fn escapes_are_located_in_the_source() {
        let src = "title = \"Hi \\u001b[31m\"";
        let span = 8..src.len();
        let at = locate_char(src, span, '\u{1b}');
        assert_eq!(&src[at], "\\u001b");
        let src = "title = \"a\u{1b}b\"";
        let at = locate_char(src, 8..src.len(), '\u{1b}');
        assert_eq!(&src[at], "\u{1b}");
    }

    #[test]
    fn forbidden_chars() {
        assert_eq!(forbidden_char("fine\n\ttext"), None);
        assert_eq!(forbidden_char("bell\u{7}"), Some('\u{7}'));
        assert_eq!(forbidden_char("csi\u{9b}"), Some('\u{9b}'));
        assert_eq!(forbidden_char("rlo\u{202E}"), Some('\u{202E}'));
        assert_eq!(forbidden_char("crlf\r\nok"), None);
        assert_eq!(forbidden_char("crlf\r\nand lone\r"), Some('\r'));
    }
}
