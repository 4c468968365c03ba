//! One interface locale file (`<lang>.yml`) read with the place of every key, so that problems can
//! be shown as `path:line:col`. Parsing only: comparing with English is `audit`, loading is `runtime`.
//! Uses serde-saphyr, the YAML parser rust-i18n itself reads the built-in files with.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use rust_i18n::t;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::curriculum::{Diagnostic, SourceFile};

/// Keys starting with `_` describe the file instead of naming an interface string.
pub const META_PREFIX: char = '_';
/// `_status: draft` or `_status: reviewed`, as in module translations.
pub const STATUS_KEY: &str = "_status";
/// `_fingerprints:` maps each key to the fingerprint of the English text it was translated from.
pub const FINGERPRINTS_KEY: &str = "_fingerprints";

/// One interface string of the file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// Byte range of the key in the file's text.
    pub key_span: Range<usize>,
    /// Byte offset of the value.
    pub value_at: usize,
}

/// A parsed locale file: its strings, its status and its fingerprints.
#[derive(Debug, Clone)]
pub struct LocaleFile {
    /// The language tag, from the file name.
    pub locale: String,
    pub file: SourceFile,
    /// The `_status` value as written, and where.
    pub status: Option<(String, Range<usize>)>,
    pub entries: Vec<Entry>,
    /// Key -> (fingerprint, byte range of the value).
    pub fingerprints: BTreeMap<String, (String, Range<usize>)>,
}

impl LocaleFile {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The strings as a map, empty ones left out (an empty string means "not translated yet").
    pub fn texts(&self) -> BTreeMap<&str, &str> {
        self.entries
            .iter()
            .filter(|e| !e.value.trim().is_empty())
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect()
    }

    /// Whether `_status` says a native speaker reviewed the file.
    pub fn is_reviewed(&self) -> bool {
        self.status.as_ref().is_some_and(|(s, _)| s == "reviewed")
    }
}

/// A YAML node, as much as a locale file needs.
enum Node {
    Text(String),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    /// A list or another value that is not text: the word for it.
    Other(&'static str),
    Empty,
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text or a mapping")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Empty)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Empty)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Node::Other("list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<String>, Spanned<Node>>()? {
            out.push(entry);
        }
        Ok(Node::Map(out))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Byte offset of a 1-based line and character column.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let col = usize::try_from(column.max(1) - 1).unwrap_or(usize::MAX);
    start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
}

/// The span of the token starting at `at`: to the end of the line or a `:`.
fn token_span(text: &str, at: usize) -> Range<usize> {
    let at = at.min(text.len());
    let rest = &text[at..];
    let end = rest.find(['\n', ':']).unwrap_or(rest.len());
    at..at + end.max(1).min(rest.len())
}

fn span_of<T>(text: &str, s: &Spanned<T>) -> Range<usize> {
    let loc = s.referenced;
    token_span(text, offset(text, loc.line(), loc.column()))
}

/// Reads `text` as the locale file of `locale` shown as `path`. Anything that keeps the file from
/// being used is the error; problems with single strings are left to `audit`.
pub fn parse(locale: &str, path: &str, text: &str) -> Result<LocaleFile, Box<Diagnostic>> {
    let file = SourceFile::new(path, Some(Arc::from(text)));
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    let root: Node = match serde_saphyr::from_str_with_options(text, options) {
        Ok(n) => n,
        // The parser notices an unclosed quote lines later, where it gives up; the line with the
        // quote is where the translator must look.
        Err(e) => {
            return Err(Box::new(
                unclosed_quote(&file, text).unwrap_or_else(|| yaml_error(&file, text, &e)),
            ))
        }
    };
    let mut out = LocaleFile {
        locale: locale.to_string(),
        file: file.clone(),
        status: None,
        entries: Vec::new(),
        fingerprints: BTreeMap::new(),
    };
    let items = match root {
        Node::Map(items) => items,
        Node::Empty => Vec::new(),
        _ => {
            return Err(Box::new(
                Diagnostic::error("locale-not-mapping", t!("locale.not_mapping"))
                    .at(&file, Some(0..0))
                    .help(t!("locale.not_mapping_help")),
            ))
        }
    };
    let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    flatten(&mut out, text, "", items, &mut seen)?;
    Ok(out)
}

fn flatten(
    out: &mut LocaleFile,
    text: &str,
    prefix: &str,
    items: Vec<(Spanned<String>, Spanned<Node>)>,
    seen: &mut BTreeMap<String, Range<usize>>,
) -> Result<(), Box<Diagnostic>> {
    for (k, v) in items {
        let key = if prefix.is_empty() {
            k.value.clone()
        } else {
            format!("{prefix}.{}", k.value)
        };
        let key_span = span_of(text, &k);
        let value_at = offset(text, v.referenced.line(), v.referenced.column());
        if prefix.is_empty() && key == FINGERPRINTS_KEY {
            if let Node::Map(fps) = v.value {
                for (fk, fv) in fps {
                    let span = span_of(text, &fv);
                    if let Node::Text(fp) = fv.value {
                        out.fingerprints.insert(fk.value, (fp, span));
                    }
                }
            }
            continue;
        }
        if prefix.is_empty() && key.starts_with(META_PREFIX) {
            if key == STATUS_KEY {
                let span = span_of(text, &v);
                if let Node::Text(s) = v.value {
                    out.status = Some((s, span));
                }
            }
            continue;
        }
        if let Some(first) = seen.get(&key) {
            let (line, _) = crate::curriculum::diagnostic::line_col(text, first.start);
            return Err(Box::new(
                Diagnostic::error(
                    "duplicate-key",
                    t!("locale.duplicate_key", key = key.as_str(), line = line),
                )
                .at(&out.file, Some(key_span))
                .help(t!("locale.duplicate_key_help")),
            ));
        }
        match v.value {
            Node::Map(inner) => flatten(out, text, &key, inner, seen)?,
            Node::Text(value) => {
                seen.insert(key.clone(), key_span.clone());
                out.entries.push(Entry {
                    key,
                    value,
                    key_span,
                    value_at,
                });
            }
            Node::Empty => {
                seen.insert(key.clone(), key_span.clone());
                out.entries.push(Entry {
                    key,
                    value: String::new(),
                    key_span,
                    value_at,
                });
            }
            Node::Other(what) => {
                return Err(Box::new(
                    Diagnostic::error(
                        "locale-not-text",
                        t!("locale.not_text", key = key.as_str(), what = what),
                    )
                    .at(&out.file, Some(token_span(text, value_at)))
                    .help(t!("locale.not_text_help")),
                ))
            }
        }
    }
    Ok(())
}

/// Where a double-quoted value opens on a line and is not closed on it, as (key, byte offset of
/// the opening quote, byte offset of the line's end). Locale files hold one `key: "text"` per
/// line, so such a line is where a quote went missing; `\"` and `\\` inside the text are escapes.
fn find_unclosed_quote(text: &str) -> Option<(&str, usize, usize)> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('"') {
            continue;
        }
        // The key ends at the first `:` followed by a space or the end of the line.
        let Some(colon) = body
            .char_indices()
            .find(|&(i, c)| {
                c == ':'
                    && body[i + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| n == ' ' || n == '\t')
            })
            .map(|(i, _)| i)
        else {
            continue;
        };
        let value = &body[colon + 1..];
        let lead = value.len() - value.trim_start().len();
        if !value.trim_start().starts_with('"') {
            continue;
        }
        let quote = colon + 1 + lead;
        let mut escaped = false;
        let mut closed = false;
        for c in body[quote + 1..].chars() {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    closed = true;
                    break;
                }
                _ => {}
            }
        }
        if !closed {
            return Some((body[..colon].trim(), at + quote, at + body.len()));
        }
    }
    None
}

/// An unclosed quote, placed at the quote.
fn unclosed_quote(file: &SourceFile, text: &str) -> Option<Diagnostic> {
    let (key, quote, end) = find_unclosed_quote(text)?;
    Some(
        Diagnostic::error("unclosed-quote", t!("locale.unclosed_quote", key = key))
            .at(file, Some(quote..end))
            .help(t!("locale.unclosed_quote_help")),
    )
}

/// A YAML syntax error or duplicate key, placed where the parser stopped.
fn yaml_error(file: &SourceFile, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let at = e
        .location()
        .map_or(0, |l| offset(text, l.line(), l.column()));
    let span = token_span(text, at);
    let mut options = serde_saphyr::RenderOptions::default();
    options.snippets = serde_saphyr::SnippetMode::Off;
    let detail = e.render_with_options(options);
    let detail = detail.lines().next().unwrap_or_default().to_string();
    // The parser reports a duplicate key as its own error, or as a message when it is found
    // through a map visitor (as here).
    const DUPLICATE: &str = "duplicate mapping key: ";
    let duplicate = match e {
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
            Some(key.clone().unwrap_or_default())
        }
        _ => detail.find(DUPLICATE).map(|i| {
            let rest = &detail[i + DUPLICATE.len()..];
            rest.split(',')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        }),
    };
    if let Some(key) = duplicate {
        return Diagnostic::error(
            "duplicate-key",
            t!("locale.duplicate_key_plain", key = key.as_str()),
        )
        .at(file, Some(span))
        .help(t!("locale.duplicate_key_help"));
    }
    Diagnostic::error("locale-syntax", t!("locale.syntax", detail = detail))
        .at(file, Some(span))
        .help(t!("locale.syntax_help"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flat_and_nested_keys_with_places() {
        let text = "_version: 1\n_status: draft\na.b: \"one\"\nc:\n  d: two\n_fingerprints:\n  a.b: \"0123\"\n";
        let f = parse("es", "es.yml", text).unwrap();
        let keys: Vec<_> = f.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a.b", "c.d"]);
        assert_eq!(&text[f.entries[0].key_span.clone()], "a.b");
        assert_eq!(f.status.as_ref().unwrap().0, "draft");
        assert_eq!(f.fingerprints["a.b"].0, "0123");
        assert!(!f.is_reviewed());
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second() {
        let text = "a: one\nb: two\na: three\n";
        let d = parse("es", "es.yml", text).unwrap_err();
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(d.position().unwrap(), "es.yml:3:1");
        // The same key written flat and nested.
        let text = "a.b: one\na:\n  b: two\n";
        let d = parse("es", "es.yml", text).unwrap_err();
        assert_eq!(d.code, "duplicate-key");
        assert_eq!(d.position().unwrap(), "es.yml:3:3");
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let text = "a: \"one\nb: two\n";
        let d = parse("es", "es.yml", text).unwrap_err();
        assert_eq!(d.code, "unclosed-quote");
        assert_eq!(d.position().unwrap(), "es.yml:1:4");
        let d = parse("es", "es.yml", "a: [1, 2\n").unwrap_err();
        assert_eq!(d.code, "locale-syntax");
        assert!(d.position().is_some());
        let d = parse("es", "es.yml", "a: [1, 2]\n").unwrap_err();
        assert_eq!(d.code, "locale-not-text");
        assert_eq!(d.position().unwrap(), "es.yml:1:4");
    }

    #[test]
    fn an_unclosed_quote_is_found_on_its_own_line() {
        // The parser gives up on line 5; the quote that is never closed is on line 2.
        let text = "_status: draft\ncli.about: \"x\n  y: [\n";
        let d = parse("pt-BR", "pt-BR.yml", text).unwrap_err();
        assert_eq!(d.code, "unclosed-quote");
        assert_eq!(d.position().unwrap(), "pt-BR.yml:2:12");
        assert!(d.message.contains("cli.about"), "{}", d.message);
        // Escaped quotes and backslashes inside the text are not the end of it.
        let text = "a: \"say \\\"hi\\\" \\\\\"\nb: \"ends with \\\"\nc: \"ok\"\n";
        let d = parse("es", "es.yml", text).unwrap_err();
        assert_eq!(d.code, "unclosed-quote");
        assert_eq!(d.position().unwrap(), "es.yml:2:4");
        // Indented (nested) keys and characters before the quote count in columns.
        let text = "a:\n  bé: \"x\"\n  c: \"não\n";
        let d = parse("pt", "pt.yml", text).unwrap_err();
        assert_eq!(d.position().unwrap(), "pt.yml:3:6");
        // A valid file never trips it, whatever its quotes.
        assert!(
            find_unclosed_quote("a: \"x: \\\"y\\\"\"\n# b: \"\nc: 'it''s'\nd: x\"y\n").is_none()
        );
    }

    #[test]
    fn empty_values_are_untranslated() {
        let f = parse("es", "es.yml", "a: \"\"\nb:\nc: x\n").unwrap();
        assert_eq!(f.entries.len(), 3);
        assert_eq!(f.texts().len(), 1);
    }
}
