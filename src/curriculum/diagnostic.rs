//! Diagnostics: what is wrong, where (`path:line:col` with the source line and a caret), how to fix it.
//! Values only: rendering to text (annotate-snippets) or JSON happens at the edge, in `render_*`.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use rust_i18n::t;
use serde::Serialize;

/// How bad a diagnostic is. `Note` never fails a check, even with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A file a diagnostic points into: its display path and, when it could be read, its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: Arc<str>,
    text: Option<Arc<str>>,
}

impl SourceFile {
    pub fn new(path: impl Into<Arc<str>>, text: Option<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

/// A 1-based position, columns counted in characters as rustc does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One finding about a curriculum or locale file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for editors and CI (`unknown-key`, `duplicate-id`, ...).
    pub code: &'static str,
    pub message: String,
    /// Short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    pub file: Option<SourceFile>,
    /// Byte range into the file's text.
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            label: None,
            help: None,
            file: None,
            span: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    pub fn at(mut self, file: &SourceFile, span: Option<Range<usize>>) -> Self {
        self.file = Some(file.clone());
        self.span = span;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn path(&self) -> Option<&str> {
        self.file.as_ref().map(SourceFile::path)
    }

    /// Where the diagnostic points; a file without a span or text points at 1:1.
    pub fn location(&self) -> Option<Location> {
        let file = self.file.as_ref()?;
        let (Some(text), Some(span)) = (file.text(), self.span.clone()) else {
            return Some(Location {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            });
        };
        let span = clamp(text, span);
        let (line, column) = line_col(text, span.start);
        let (end_line, end_column) = line_col(text, span.end);
        Some(Location {
            line,
            column,
            end_line,
            end_column,
        })
    }

    /// `path:line:col`, or just the path, or nothing.
    pub fn position(&self) -> Option<String> {
        let path = self.path()?;
        let loc = self.location()?;
        Some(format!("{path}:{}:{}", loc.line, loc.column))
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: severity[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pos) = self.position() {
            write!(f, "{pos}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            severity_word(self.severity),
            self.code,
            self.message
        )
    }
}

fn severity_word(severity: Severity) -> String {
    match severity {
        Severity::Error => t!("diag.severity.error").into_owned(),
        Severity::Warning => t!("diag.severity.warning").into_owned(),
        Severity::Note => t!("diag.severity.note").into_owned(),
    }
}

/// A span made safe to slice: inside the text and on character boundaries.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Counts by severity, for the closing line of `check` and its exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut tally = Self::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Note => tally.notes += 1,
            }
        }
        tally
    }
}

/// Renders diagnostics as rustc does: header, `--> path:line:col`, the source line, a caret, help.
pub fn render_text(diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_one(&renderer, d));
        out.push_str("\n\n");
    }
    out
}

fn render_one(renderer: &Renderer, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
    .with_name(severity_word(d.severity));
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let help = d.help.as_deref().map(|h| {
        Level::HELP
            .with_name(t!("diag.help").into_owned())
            .message(h)
    });
    let group = match (&d.file, d.file.as_ref().and_then(SourceFile::text), &d.span) {
        (Some(file), Some(text), Some(span)) => {
            let span = clamp(text, span.clone());
            // Only the lines the span covers: cheap on large files and never elided.
            let first = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let last = text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i);
            let excerpt = &text[first..last];
            let (line, _) = line_col(text, first);
            let mut annotation = AnnotationKind::Primary.span(span.start - first..span.end - first);
            if let Some(label) = &d.label {
                annotation = annotation.label(label.as_str());
            }
            let snippet = Snippet::source(excerpt)
                .line_start(line)
                .path(file.path())
                .annotation(annotation);
            let group = title.element(snippet);
            match help {
                Some(h) => group.element(h),
                None => group,
            }
        }
        _ => {
            // About the file as a whole (its name, its size, reading it): `--> path`, as rustc
            // writes a place, with no line to quote.
            let mut group = Group::with_title(title);
            if let Some(path) = d.path() {
                group = group.element(Origin::path(path));
            }
            match help {
                Some(h) => group.element(h),
                None => group,
            }
        }
    };
    renderer.render(&[group])
}

/// The JSON shape of one diagnostic, for editors and CI of curricula repositories.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Self {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
            path: d.path(),
            location: d.location(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nb = \"é✓\" x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 10));
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.len()), (3, 1));
    }

    #[test]
    fn spans_off_char_boundaries_are_clamped() {
        let text = "é";
        assert_eq!(clamp(text, 1..1), 0..2);
        assert_eq!(clamp(text, 0..1), 0..2);
        assert_eq!(clamp(text, 5..9), 2..2);
    }

    #[test]
    fn rendered_text_names_path_line_col_and_caret() {
        let file = SourceFile::new(
            "m/module.toml",
            Some(Arc::from("id = \"x\"\ntitel = \"T\"\n")),
        );
        let d = Diagnostic::error("unknown-key", "unknown key `titel`")
            .at(&file, Some(9..14))
            .label("not a module key")
            .help("did you mean `title`?");
        let text = render_text(std::slice::from_ref(&d), false);
        assert!(
            text.contains("error[unknown-key]: unknown key `titel`"),
            "{text}"
        );
        assert!(text.contains("m/module.toml:2:1"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
        assert_eq!(
            d.to_string(),
            "m/module.toml:2:1: error[unknown-key]: unknown key `titel`"
        );
    }
}
