//! `waymark import-gift`: reads a Moodle GIFT quiz and writes the text of a Waymark `module.toml`.
//! Multiple choice, multiple answer and true/false questions become questions, descriptions
//! become slides; the types Waymark cannot run are reported with their line and kept as comments.
//! Malformed GIFT is refused with `path:line:col` diagnostics. Pure: text in, text and findings out.

use std::collections::HashSet;
use std::ops::Range;

use rust_i18n::t;

use super::schema::MODULE_DIRECTIVE;
use super::{toml_comment, toml_string, toml_text};
use crate::curriculum::validate::MAX_CHOICES;
use crate::curriculum::{Diagnostic, QuestionType, SourceFile};

/// Planned minutes given to each imported question and text slide; the trainer adjusts them.
const QUESTION_MINUTES: u32 = 2;
const SLIDE_MINUTES: u32 = 2;

/// What an import produced: the module file's text and what the trainer should know about it.
#[derive(Debug)]
pub struct Import {
    pub module_toml: String,
    /// Questions converted.
    pub questions: usize,
    /// Descriptions converted to slides.
    pub slides: usize,
    /// Questions left out, each with its line number and the reason, in file order.
    pub skipped: Vec<Skipped>,
    /// Warnings: each skipped question, and anything simplified on the way (images, weights).
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line of the question's first line.
    pub line: usize,
    /// What it is, in words: "numerical", "matching", ...
    pub what: String,
}

/// Converts the GIFT text of `file` into module `id`, its text marked as language `locale`.
/// `Err` holds every syntax error found (nothing should be written then).
pub fn convert(file: &SourceFile, id: &str, locale: &str) -> Result<Import, Vec<Diagnostic>> {
    let text = file.text().unwrap_or("");
    let mut p = Parser {
        file,
        locale,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut items: Vec<(Chunk, Outcome)> = Vec::new();
    for chunk in chunks(text) {
        let outcome = p.parse(&chunk);
        items.push((chunk, outcome));
    }
    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    let has_content = items
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Question(_) | Outcome::Slide { .. }));
    if !has_content {
        let d = Diagnostic::error("gift-nothing", t!("authoring.gift.nothing"))
            .at(file, Some(0..0))
            .help(t!("authoring.gift.nothing_help"));
        let mut all = p.warnings;
        all.push(d);
        return Err(all);
    }
    let mut skipped = Vec::new();
    for (chunk, outcome) in &items {
        if let Outcome::Skip { what, .. } = outcome {
            skipped.push(Skipped {
                line: chunk.line,
                what: what.clone(),
            });
        }
    }
    let (module_toml, questions, slides) = write_module(file, id, locale, &items);
    Ok(Import {
        module_toml,
        questions,
        slides,
        skipped,
        diagnostics: p.warnings,
    })
}

// ---------------------------------------------------------------------------------------------
// Lexing: blank-line separated chunks, comment lines apart, escapes resolved with their places.

/// One character of GIFT text: `lit` when it was escaped (`\{`) and so has no meaning, `at` its
/// byte offset in the file.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    lit: bool,
    at: usize,
}

impl Ch {
    fn is(&self, c: char) -> bool {
        !self.lit && self.c == c
    }

    fn is_space(&self) -> bool {
        !self.lit && self.c.is_whitespace()
    }
}

/// One question's worth of lines: what lies between blank lines.
#[derive(Debug, Default)]
struct Chunk {
    /// 1-based line of the first line.
    line: usize,
    /// Byte range of the first line that is not a comment (or of the first line).
    head: Range<usize>,
    /// The text of `//` comment lines, without the slashes.
    comments: Vec<String>,
    /// Every line as written, for the record of a skipped question.
    raw: Vec<String>,
    chars: Vec<Ch>,
}

fn chunks(text: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur = Chunk::default();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            if !cur.raw.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            offset += line.len();
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        if cur.raw.is_empty() {
            cur.line = n + 1;
            cur.head = offset + lead..offset + content.len();
        }
        cur.raw.push(content.to_string());
        if let Some(comment) = trimmed.strip_prefix("//") {
            cur.comments.push(comment.trim().to_string());
        } else {
            if cur.chars.is_empty() {
                cur.head = offset + lead..offset + content.len();
                cur.line = n + 1;
            } else {
                cur.chars.push(Ch {
                    c: '\n',
                    lit: false,
                    at: offset,
                });
            }
            lex_line(content, offset, &mut cur.chars);
        }
        offset += line.len();
    }
    if !cur.raw.is_empty() {
        out.push(cur);
    }
    out
}

/// GIFT escapes: `\~ \= \# \{ \} \: \\` stand for the character, `\n` for a line break.
fn lex_line(line: &str, offset: usize, out: &mut Vec<Ch>) {
    let mut it = line.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let at = offset + i;
        if c == '\\' {
            match it.peek().map(|&(_, n)| n) {
                Some(n @ (':' | '#' | '=' | '{' | '}' | '~' | '\\')) => {
                    it.next();
                    out.push(Ch {
                        c: n,
                        lit: true,
                        at,
                    });
                }
                Some('n') => {
                    it.next();
                    out.push(Ch {
                        c: '\n',
                        lit: true,
                        at,
                    });
                }
                _ => out.push(Ch { c, lit: true, at }),
            }
        } else {
            out.push(Ch { c, lit: false, at });
        }
    }
}

fn trim(s: &[Ch]) -> &[Ch] {
    let start = s.iter().position(|c| !c.is_space()).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|c| !c.is_space())
        .map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

fn find(s: &[Ch], c: char) -> Option<usize> {
    s.iter().position(|x| x.is(c))
}

fn starts_with(s: &[Ch], pat: &str) -> bool {
    let mut i = 0;
    for p in pat.chars() {
        match s.get(i) {
            Some(x) if x.is(p) => i += 1,
            _ => return false,
        }
    }
    true
}

fn find_seq(s: &[Ch], pat: &str) -> Option<usize> {
    (0..s.len()).find(|&i| starts_with(&s[i..], pat))
}

fn rfind_seq(s: &[Ch], pat: &str) -> Option<usize> {
    (0..s.len()).rev().find(|&i| starts_with(&s[i..], pat))
}

/// Splits at every unescaped `sep`.
fn split(s: &[Ch], is_sep: impl Fn(&Ch) -> bool) -> Vec<&[Ch]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.iter().enumerate() {
        if is_sep(c) {
            out.push(&s[start..i]);
            start = i;
        }
    }
    out.push(&s[start..]);
    out
}

fn span_of(s: &[Ch]) -> Range<usize> {
    match (s.first(), s.last()) {
        (Some(a), Some(b)) => a.at..b.at + b.c.len_utf8().max(1),
        _ => 0..0,
    }
}

fn raw_string(s: &[Ch]) -> String {
    s.iter().map(|c| c.c).collect()
}

// ---------------------------------------------------------------------------------------------
// Text formats: [moodle] and [plain] as written, [markdown] and [html] reduced to plain text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFormat {
    Moodle,
    Plain,
    Markdown,
    Html,
}

/// A line break written as `\n`: kept apart from the file's own line breaks, which are spaces.
const HARD_BREAK: char = '\u{2028}';

/// A leading `[html]`, `[markdown]`, `[plain]` or `[moodle]`, and the text after it.
fn text_format(s: &[Ch]) -> (Option<TextFormat>, &[Ch]) {
    let s = trim(s);
    for (name, format) in [
        ("[html]", TextFormat::Html),
        ("[markdown]", TextFormat::Markdown),
        ("[plain]", TextFormat::Plain),
        ("[moodle]", TextFormat::Moodle),
    ] {
        if starts_with(s, name) {
            return (Some(format), &s[name.chars().count()..]);
        }
    }
    (None, s)
}

/// What a reduction to plain text had to leave out.
#[derive(Debug, Default)]
struct Lost {
    images: usize,
    controls: usize,
}

/// The plain text of a GIFT text part in `format`.
fn plain(s: &[Ch], format: TextFormat, lost: &mut Lost) -> String {
    let raw: String = trim(s)
        .iter()
        .map(|c| {
            if c.lit && c.c == '\n' {
                HARD_BREAK
            } else {
                c.c
            }
        })
        .collect();
    let reduced = match format {
        TextFormat::Html => html_to_plain(&raw, lost),
        TextFormat::Markdown => markdown_to_plain(&raw, lost),
        TextFormat::Moodle | TextFormat::Plain => raw,
    };
    tidy(&reduced, lost)
}

/// Source line breaks become spaces, `\n` breaks become line breaks; spaces are collapsed and
/// characters the module format forbids (control characters, bidi overrides) are dropped.
fn tidy(text: &str, lost: &mut Lost) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == HARD_BREAK {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
        } else if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else if c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c) {
            lost.controls += 1;
        } else {
            out.push(c);
        }
    }
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_string()
}

/// HTML reduced to plain text: tags dropped, block ends as line breaks, list items as `- `,
/// links as `text (address)`, images as `[image: alt]`, entities decoded.
fn html_to_plain(html: &str, lost: &mut Lost) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut link: Option<String> = None;
    let mut link_start = 0;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A lone `<` is text.
            out.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "br" => out.push(HARD_BREAK),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table"
            | "tr" | "blockquote" | "pre" => {
                out.push(HARD_BREAK);
                if !closing && name == "p" {
                    out.push(HARD_BREAK);
                }
            }
            "li" if !closing => {
                out.push(HARD_BREAK);
                out.push_str("- ");
            }
            "td" | "th" if closing => out.push(' '),
            "img" => {
                lost.images += 1;
                let alt = attribute(tag, "alt").filter(|a| !a.trim().is_empty());
                let name = alt.or_else(|| attribute(tag, "src").map(file_name));
                out.push_str(&image_mark(name.map(decode_entities).as_deref()));
            }
            "a" if !closing => {
                link = attribute(tag, "href").map(decode_entities);
                link_start = out.len();
            }
            "a" => {
                if let Some(href) = link.take() {
                    let text = out.get(link_start..).unwrap_or("").trim().to_string();
                    if !href.is_empty() && text != href && !href.starts_with('#') {
                        out.push_str(&format!(" ({href})"));
                    }
                }
            }
            "script" | "style" if !closing => {
                let end = format!("</{name}");
                match rest.to_ascii_lowercase().find(&end) {
                    Some(i) => rest = &rest[i..],
                    None => rest = "",
                }
            }
            _ => {}
        }
    }
    out.push_str(&decode_entities(rest));
    // Break marks next to each other (`</p><p>`) make one blank line at most.
    let mut collapsed = String::with_capacity(out.len());
    let mut breaks = 0;
    for c in out.chars() {
        if c == HARD_BREAK {
            breaks += 1;
            if breaks <= 2 {
                collapsed.push(c);
            }
        } else if c.is_whitespace() && breaks > 0 {
            // Spaces between break marks are not text.
        } else {
            breaks = 0;
            collapsed.push(c);
        }
    }
    collapsed
}

/// What stands in the text for a picture: its description, or else its file name, in brackets.
/// (The warning that goes with it says, in the trainer's language, that a picture was there.)
fn image_mark(name: Option<&str>) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("[{n}]"),
        None => "[…]".to_string(),
    }
}

/// The last part of a path or address: `@@PLUGINFILE@@/advert.png` -> `advert.png`.
fn file_name(src: &str) -> &str {
    let src = src.split(['?', '#']).next().unwrap_or(src);
    src.rsplit(['/', '\\']).next().unwrap_or(src)
}

/// The value of `name="..."` (or single quotes) in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let start = from + i;
        from = start + name.len();
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            let inner = &value[1..];
            return inner.find(quote).map(|end| &inner[..end]);
        }
        let end = value
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(value.len());
        return Some(&value[..end]);
    }
    None
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&i| i <= 10).and_then(|semi| {
            let name = &after[..semi];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                n.map(windows_1252).and_then(char::from_u32)
            } else {
                named_entity(name)
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(if c == '\u{a0}' { ' ' } else { c });
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML 4 names of the Latin-1 characters, U+00A0 (`nbsp`) to U+00FF (`yuml`), in order.
const LATIN1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// The other named entities of HTML 4 (markup, typography, Greek letters, arrows, mathematics)
/// and `apos`, in code point order.
#[rustfmt::skip]
const OTHER_ENTITIES: [(&str, char); 157] = [
    ("quot", '"'), ("amp", '&'), ("apos", '\''), ("lt", '<'), ("gt", '>'), ("OElig", 'Œ'),
    ("oelig", 'œ'), ("Scaron", 'Š'), ("scaron", 'š'), ("Yuml", 'Ÿ'), ("fnof", 'ƒ'), ("circ", 'ˆ'),
    ("tilde", '˜'), ("Alpha", 'Α'), ("Beta", 'Β'), ("Gamma", 'Γ'), ("Delta", 'Δ'),
    ("Epsilon", 'Ε'), ("Zeta", 'Ζ'), ("Eta", 'Η'), ("Theta", 'Θ'), ("Iota", 'Ι'), ("Kappa", 'Κ'),
    ("Lambda", 'Λ'), ("Mu", 'Μ'), ("Nu", 'Ν'), ("Xi", 'Ξ'), ("Omicron", 'Ο'), ("Pi", 'Π'),
    ("Rho", 'Ρ'), ("Sigma", 'Σ'), ("Tau", 'Τ'), ("Upsilon", 'Υ'), ("Phi", 'Φ'), ("Chi", 'Χ'),
    ("Psi", 'Ψ'), ("Omega", 'Ω'), ("alpha", 'α'), ("beta", 'β'), ("gamma", 'γ'), ("delta", 'δ'),
    ("epsilon", 'ε'), ("zeta", 'ζ'), ("eta", 'η'), ("theta", 'θ'), ("iota", 'ι'), ("kappa", 'κ'),
    ("lambda", 'λ'), ("mu", 'μ'), ("nu", 'ν'), ("xi", 'ξ'), ("omicron", 'ο'), ("pi", 'π'),
    ("rho", 'ρ'), ("sigmaf", 'ς'), ("sigma", 'σ'), ("tau", 'τ'), ("upsilon", 'υ'), ("phi", 'φ'),
    ("chi", 'χ'), ("psi", 'ψ'), ("omega", 'ω'), ("thetasym", 'ϑ'), ("upsih", 'ϒ'), ("piv", 'ϖ'),
    ("ensp", '\u{2002}'), ("emsp", '\u{2003}'), ("thinsp", '\u{2009}'), ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'), ("lrm", '\u{200e}'), ("rlm", '\u{200f}'), ("ndash", '–'), ("mdash", '—'),
    ("lsquo", '‘'), ("rsquo", '’'), ("sbquo", '‚'), ("ldquo", '“'), ("rdquo", '”'), ("bdquo", '„'),
    ("dagger", '†'), ("Dagger", '‡'), ("bull", '•'), ("hellip", '…'), ("permil", '‰'),
    ("prime", '′'), ("Prime", '″'), ("lsaquo", '‹'), ("rsaquo", '›'), ("oline", '‾'),
    ("frasl", '⁄'), ("euro", '€'), ("image", 'ℑ'), ("weierp", '℘'), ("real", 'ℜ'), ("trade", '™'),
    ("alefsym", 'ℵ'), ("larr", '←'), ("uarr", '↑'), ("rarr", '→'), ("darr", '↓'), ("harr", '↔'),
    ("crarr", '↵'), ("lArr", '⇐'), ("uArr", '⇑'), ("rArr", '⇒'), ("dArr", '⇓'), ("hArr", '⇔'),
    ("forall", '∀'), ("part", '∂'), ("exist", '∃'), ("empty", '∅'), ("nabla", '∇'), ("isin", '∈'),
    ("notin", '∉'), ("ni", '∋'), ("prod", '∏'), ("sum", '∑'), ("minus", '−'), ("lowast", '∗'),
    ("radic", '√'), ("prop", '∝'), ("infin", '∞'), ("ang", '∠'), ("and", '∧'), ("or", '∨'),
    ("cap", '∩'), ("cup", '∪'), ("int", '∫'), ("there4", '∴'), ("sim", '∼'), ("cong", '≅'),
    ("asymp", '≈'), ("ne", '≠'), ("equiv", '≡'), ("le", '≤'), ("ge", '≥'), ("sub", '⊂'),
    ("sup", '⊃'), ("nsub", '⊄'), ("sube", '⊆'), ("supe", '⊇'), ("oplus", '⊕'), ("otimes", '⊗'),
    ("perp", '⊥'), ("sdot", '⋅'), ("lceil", '⌈'), ("rceil", '⌉'), ("lfloor", '⌊'), ("rfloor", '⌋'),
    ("lang", '〈'), ("rang", '〉'), ("loz", '◊'), ("spades", '♠'), ("clubs", '♣'), ("hearts", '♥'),
    ("diams", '♦'),
];

/// A numeric reference in 128..=159 means the Windows-1252 character of that byte, as browsers
/// read it (HTML5): `&#146;` from a Word document is a right quote, not a control character.
fn windows_1252(n: u32) -> u32 {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match n {
        0x80..=0x9F => C1[(n - 0x80) as usize],
        _ => n,
    }
}

/// The character an HTML named entity stands for. Names are case-sensitive (`Auml` is Ä,
/// `auml` is ä), as in HTML.
fn named_entity(name: &str) -> Option<char> {
    if let Some(i) = LATIN1_ENTITIES.iter().position(|&n| n == name) {
        return char::from_u32(0xA0 + i as u32);
    }
    OTHER_ENTITIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, c)| c)
}

/// Markdown reduced to plain text: emphasis marks, heading and quote marks dropped, links as
/// `text (address)`, images as `[image: alt]`, backslash escapes resolved.
fn markdown_to_plain(md: &str, lost: &mut Lost) -> String {
    let mut lines_out = Vec::new();
    for line in md.split(HARD_BREAK) {
        let mut l = line.trim_start();
        while let Some(rest) = l.strip_prefix('>') {
            l = rest.trim_start();
        }
        let hashes = l.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && l[hashes..].starts_with(' ') {
            l = l[hashes..].trim_start();
        }
        lines_out.push(markdown_inline(l, lost));
    }
    lines_out.join(&HARD_BREAK.to_string())
}

/// Backslash-escaped ASCII punctuation is set aside in the private use area while the marks
/// are read, then put back as the plain character.
const ESCAPED_BASE: u32 = 0xE000;

fn markdown_inline(text: &str, lost: &mut Lost) -> String {
    let mut hidden = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&n) if c == '\\' && n.is_ascii_punctuation() => {
                chars.next();
                hidden.push(char::from_u32(ESCAPED_BASE + n as u32).unwrap_or(n));
            }
            _ => hidden.push(c),
        }
    }
    let text = hidden.as_str();
    // Links and images first, while the brackets are still there.
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let image = open > 0 && rest[..open].ends_with('!');
        let label_start = open + 1;
        let parsed = rest[label_start..].find("](").and_then(|close| {
            let label = &rest[label_start..label_start + close];
            let after = &rest[label_start + close + 2..];
            after
                .find(')')
                .map(|end| (label, &after[..end], &after[end + 1..]))
        });
        match parsed {
            Some((label, url, after)) => {
                let before = if image {
                    &rest[..open - 1]
                } else {
                    &rest[..open]
                };
                out.push_str(before);
                if image {
                    lost.images += 1;
                    let name = Some(label).filter(|l| !l.trim().is_empty());
                    out.push_str(&image_mark(name.or(Some(file_name(url))).map(str::trim)));
                } else if label.trim() == url.trim() || url.trim().is_empty() {
                    out.push_str(label);
                } else {
                    out.push_str(&format!("{label} ({})", url.trim()));
                }
                rest = after;
            }
            None => {
                out.push_str(&rest[..label_start]);
                rest = &rest[label_start..];
            }
        }
    }
    out.push_str(rest);
    let out = strip_pairs(&out, "__");
    let out = strip_pairs(&out, "_");
    let out = strip_pairs(&out, "`");
    crate::curriculum::markup::plain_text(&out)
        .chars()
        .map(|c| match u32::from(c).checked_sub(ESCAPED_BASE) {
            Some(n) if n < 0x80 => char::from_u32(n).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Removes `marker` pairs that hug words (`_word_`), leaving `snake_case` alone.
fn strip_pairs(text: &str, marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(marker) {
        let before_ok = rest[..open]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        let inner_start = open + marker.len();
        let close = rest[inner_start..].find(marker).map(|i| inner_start + i);
        match close {
            Some(close)
                if before_ok
                    && close > inner_start
                    && !rest[inner_start..].starts_with(' ')
                    && !rest[..close].ends_with(' ')
                    && rest[close + marker.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric()) =>
            {
                out.push_str(&rest[..open]);
                out.push_str(&rest[inner_start..close]);
                rest = &rest[close + marker.len()..];
            }
            _ => {
                out.push_str(&rest[..inner_start]);
                rest = &rest[inner_start..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Parsing one chunk.

#[derive(Debug)]
enum Outcome {
    /// Nothing but comments.
    Comments,
    /// A syntax error, already reported: nothing will be written.
    Broken,
    Category(String),
    Slide {
        title: Option<String>,
        body: String,
    },
    Question(Draft),
    /// Left out: what it is, and why (for the record in the module file).
    Skip {
        what: String,
    },
}

#[derive(Debug)]
struct Draft {
    title: Option<String>,
    qtype: QuestionType,
    prompt: String,
    /// (text, correct)
    choices: Vec<(String, bool)>,
    explanation: Option<String>,
}

struct Parser<'f> {
    file: &'f SourceFile,
    locale: &'f str,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// One answer of a multiple-choice block.
struct Answer<'a> {
    right: bool,
    weight: Option<f64>,
    text: &'a [Ch],
    feedback: Option<&'a [Ch]>,
    at: Range<usize>,
}

impl Parser<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        self.errors.push(
            Diagnostic::error("gift-syntax", message)
                .at(self.file, Some(span))
                .help(help),
        );
    }

    fn warn(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        self.warnings.push(
            Diagnostic::warning("gift-import", message)
                .at(self.file, Some(span))
                .help(help),
        );
    }

    /// Records a question Waymark cannot run.
    fn skip(&mut self, chunk: &Chunk, what: String, help: String) -> Outcome {
        self.warnings.push(
            Diagnostic::warning(
                "gift-skipped",
                t!("authoring.gift.skipped", what = what.as_str()),
            )
            .at(self.file, Some(chunk.head.clone()))
            .help(help),
        );
        Outcome::Skip { what }
    }

    /// Records a question that is not valid GIFT but can be skipped whole without losing the
    /// rest of the file: the warning points at the fault (`at`), the list at the question's line.
    fn malformed(&mut self, at: Range<usize>, what: String, help: String) -> Outcome {
        self.warnings.push(
            Diagnostic::warning(
                "gift-malformed",
                t!("authoring.gift.skipped", what = what.as_str()),
            )
            .at(self.file, Some(at))
            .help(help),
        );
        Outcome::Skip { what }
    }

    fn unsupported(&mut self, chunk: &Chunk, kind: &str) -> Outcome {
        let what = t!(kind).into_owned();
        self.skip(
            chunk,
            what,
            t!("authoring.gift.unsupported_help").into_owned(),
        )
    }

    fn report_lost(&mut self, lost: &Lost, span: Range<usize>) {
        if lost.images > 0 {
            self.warn(
                span.clone(),
                t!("authoring.gift.image_removed", count = lost.images),
                t!("authoring.gift.image_removed_help"),
            );
        }
        if lost.controls > 0 {
            self.warn(
                span,
                t!("authoring.gift.control_removed", count = lost.controls),
                t!("authoring.gift.control_removed_help"),
            );
        }
    }

    fn parse(&mut self, chunk: &Chunk) -> Outcome {
        let s = trim(&chunk.chars);
        if s.is_empty() {
            return Outcome::Comments;
        }
        if starts_with(s, "$CATEGORY:") {
            let rest = &s["$CATEGORY:".len()..];
            if let Some(end) = rest.iter().position(|c| c.is('\n')) {
                // Moodle would read the question below as part of the category's name.
                self.error(
                    span_of(trim(&rest[end..])),
                    t!("authoring.gift.category_then_text"),
                    t!("authoring.gift.category_then_text_help"),
                );
                return Outcome::Broken;
            }
            return Outcome::Category(raw_string(trim(rest)));
        }
        let mut s = s;
        let mut title = None;
        if starts_with(s, "::") {
            let Some(end) = find_seq(&s[2..], "::") else {
                self.error(
                    span_of(&s[..2]),
                    t!("authoring.gift.title_unclosed"),
                    t!("authoring.gift.title_unclosed_help"),
                );
                return Outcome::Broken;
            };
            let mut lost = Lost::default();
            let name = plain(&s[2..2 + end], TextFormat::Plain, &mut lost);
            title = Some(name).filter(|t| !t.is_empty());
            s = trim(&s[2 + end + 2..]);
        }
        let (format, body) = text_format(s);
        let format = format.unwrap_or(TextFormat::Moodle);
        let open = find(body, '{');
        let close = find(body, '}');
        let (open, close) = match (open, close) {
            (None, None) => {
                let mut lost = Lost::default();
                let text = plain(body, format, &mut lost);
                self.report_lost(&lost, span_of(body));
                if text.is_empty() && title.is_none() {
                    return Outcome::Comments;
                }
                return Outcome::Slide { title, body: text };
            }
            (Some(o), Some(c)) if c > o => (o, c),
            (Some(o), None) => {
                self.error(
                    span_of(&body[o..=o]),
                    t!("authoring.gift.brace_unclosed"),
                    t!("authoring.gift.brace_unclosed_help"),
                );
                return Outcome::Broken;
            }
            (_, Some(c)) => {
                self.error(
                    span_of(&body[c..=c]),
                    t!("authoring.gift.brace_unopened"),
                    t!("authoring.gift.brace_help"),
                );
                return Outcome::Broken;
            }
        };
        if let Some(inner) = find(&body[open + 1..close], '{') {
            let at = open + 1 + inner;
            self.error(
                span_of(&body[at..=at]),
                t!("authoring.gift.brace_nested"),
                t!("authoring.gift.brace_help"),
            );
            return Outcome::Broken;
        }
        let after = trim(&body[close + 1..]);
        if let Some(c) = find(after, '}').filter(|_| find(after, '{').is_none()) {
            self.error(
                span_of(&after[c..=c]),
                t!("authoring.gift.brace_unopened"),
                t!("authoring.gift.brace_help"),
            );
            return Outcome::Broken;
        }
        if let Some(second) = find(after, '{') {
            // `{=a ~b} text {=c ~d}`: a GIFT question has one block of answers, whatever its
            // type, so a second makes it malformed (not a missing-word question, whose answers
            // sit inside the text once). Reported at the second block.
            return self.malformed(
                span_of(&after[second..=second]),
                t!("authoring.gift.kind_two_blocks").into_owned(),
                t!("authoring.gift.two_blocks_help").into_owned(),
            );
        }
        let before = trim(&body[..open]);
        let block = &body[open + 1..close];
        // General feedback: after the last `####`.
        let (answers, general) = match rfind_seq(block, "####") {
            Some(i) => (trim(&block[..i]), Some(&block[i + 4..])),
            None => (trim(block), None),
        };
        if answers.is_empty() {
            return self.unsupported(chunk, "authoring.gift.kind_essay");
        }
        if answers[0].is('#') {
            return self.unsupported(chunk, "authoring.gift.kind_numerical");
        }
        if !after.is_empty() {
            return self.unsupported(chunk, "authoring.gift.kind_missing_word");
        }
        let mut lost = Lost::default();
        let prompt = plain(before, format, &mut lost);
        self.report_lost(&lost, span_of(before));
        let general = general
            .map(|g| self.part(g, format))
            .filter(|g| !g.is_empty());
        if find(answers, '~').is_some() {
            return self.multiple_choice(chunk, title, prompt, answers, general, format);
        }
        let has_eq = find(answers, '=').is_some();
        if has_eq && find_seq(answers, "->").is_some() {
            return self.unsupported(chunk, "authoring.gift.kind_matching");
        }
        let tf_part = match find(answers, '#') {
            Some(i) => trim(&answers[..i]),
            None => answers,
        };
        let tf = raw_string(tf_part).to_ascii_uppercase();
        if ["T", "TRUE", "F", "FALSE"].contains(&tf.as_str()) && !tf_part.iter().any(|c| c.lit) {
            return self.true_false(
                chunk,
                title,
                prompt,
                answers,
                tf.starts_with('T'),
                general,
                format,
            );
        }
        self.unsupported(chunk, "authoring.gift.kind_short_answer")
    }

    /// A text part (answer, feedback) in the question's format unless it names its own.
    fn part(&mut self, s: &[Ch], default: TextFormat) -> String {
        let (format, rest) = text_format(s);
        let mut lost = Lost::default();
        let text = plain(rest, format.unwrap_or(default), &mut lost);
        self.report_lost(&lost, span_of(s));
        text
    }

    fn no_prompt(&mut self, chunk: &Chunk) -> Outcome {
        self.skip(
            chunk,
            t!("authoring.gift.kind_no_text").into_owned(),
            t!("authoring.gift.no_text_help").into_owned(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn true_false(
        &mut self,
        chunk: &Chunk,
        title: Option<String>,
        prompt: String,
        answers: &[Ch],
        truth: bool,
        general: Option<String>,
        format: TextFormat,
    ) -> Outcome {
        if prompt.is_empty() {
            return self.no_prompt(chunk);
        }
        // `{T#feedback for a wrong answer#feedback for a right answer}`; a third `#` is text.
        let first = find(answers, '#');
        let second = first.and_then(|i| find(&answers[i + 1..], '#').map(|j| i + 1 + j));
        let wrong = match (first, second) {
            (Some(i), Some(j)) => Some(&answers[i + 1..j]),
            (Some(i), None) => Some(&answers[i + 1..]),
            _ => None,
        };
        let wrong = wrong
            .map(|p| self.part(p, format))
            .filter(|s| !s.is_empty());
        let right = second
            .map(|j| self.part(&answers[j + 1..], format))
            .filter(|s| !s.is_empty());
        let l = self.locale;
        let true_text = t!("authoring.gift.true", locale = l).into_owned();
        let false_text = t!("authoring.gift.false", locale = l).into_owned();
        let (right_text, wrong_text) = if truth {
            (&true_text, &false_text)
        } else {
            (&false_text, &true_text)
        };
        let mut lines: Vec<String> = general.into_iter().collect();
        if let Some(r) = right {
            lines.push(feedback_line(right_text, &r));
        }
        if let Some(w) = wrong {
            lines.push(feedback_line(wrong_text, &w));
        }
        Outcome::Question(Draft {
            title,
            qtype: QuestionType::TrueFalse,
            prompt,
            choices: vec![(true_text.clone(), truth), (false_text.clone(), !truth)],
            explanation: Some(lines.join("\n")).filter(|s| !s.is_empty()),
        })
    }

    fn multiple_choice(
        &mut self,
        chunk: &Chunk,
        title: Option<String>,
        prompt: String,
        block: &[Ch],
        general: Option<String>,
        format: TextFormat,
    ) -> Outcome {
        let mut pieces = split(block, |c| c.is('~') || c.is('='));
        let lead = pieces.remove(0);
        if !trim(lead).is_empty() {
            self.error(
                span_of(trim(lead)),
                t!("authoring.gift.text_before_answers"),
                t!("authoring.gift.answers_help"),
            );
            return Outcome::Broken;
        }
        let mut answers: Vec<Answer<'_>> = Vec::new();
        for piece in pieces {
            let right = piece[0].is('=');
            let marker = piece[0].at;
            let mut rest = trim(&piece[1..]);
            let mut weight = None;
            if rest.first().is_some_and(|c| c.is('%')) {
                let end = rest[1..].iter().position(|c| c.is('%')).map(|i| i + 1);
                let value = end.map(|e| raw_string(&rest[1..e]));
                match value.as_deref().map(str::trim).map(str::parse::<f64>) {
                    Some(Ok(w)) if (-100.0..=100.0).contains(&w) => {
                        weight = Some(w);
                        rest = trim(&rest[end.unwrap_or(0) + 1..]);
                    }
                    _ => {
                        let span = match end {
                            Some(e) => span_of(&rest[..=e]),
                            None => span_of(&rest[..1]),
                        };
                        self.error(
                            span,
                            t!("authoring.gift.bad_weight"),
                            t!("authoring.gift.bad_weight_help"),
                        );
                        return Outcome::Broken;
                    }
                }
            }
            let (text, feedback) = match find(rest, '#') {
                Some(i) => (trim(&rest[..i]), Some(&rest[i + 1..])),
                None => (rest, None),
            };
            let at = marker..marker + 1;
            if text.is_empty() {
                self.error(
                    at,
                    t!("authoring.gift.empty_answer"),
                    t!("authoring.gift.answers_help"),
                );
                return Outcome::Broken;
            }
            answers.push(Answer {
                right,
                weight,
                text,
                feedback,
                at,
            });
        }
        if answers.len() < 2 {
            let at = answers.first().map_or(chunk.head.clone(), |a| a.at.clone());
            self.error(
                at,
                t!("authoring.gift.one_answer"),
                t!("authoring.gift.answers_help"),
            );
            return Outcome::Broken;
        }
        // Moodle's rule: with an `=` answer only one answer may be chosen; without, several.
        let single = answers.iter().any(|a| a.right);
        let correct: Vec<bool> = answers
            .iter()
            .map(|a| {
                if single {
                    a.right
                } else {
                    a.weight.is_some_and(|w| w > 0.0)
                }
            })
            .collect();
        let right_count = correct.iter().filter(|&&c| c).count();
        if single && right_count > 1 {
            return self.skip(
                chunk,
                t!("authoring.gift.kind_several_right").into_owned(),
                t!("authoring.gift.several_right_help").into_owned(),
            );
        }
        if !single && right_count == 0 {
            return self.skip(
                chunk,
                t!("authoring.gift.kind_no_right").into_owned(),
                t!("authoring.gift.no_right_help").into_owned(),
            );
        }
        if answers.len() > MAX_CHOICES {
            return self.skip(
                chunk,
                t!(
                    "authoring.gift.kind_too_many",
                    count = answers.len(),
                    max = MAX_CHOICES
                )
                .into_owned(),
                t!("authoring.gift.too_many_help", max = MAX_CHOICES).into_owned(),
            );
        }
        if prompt.is_empty() {
            return self.no_prompt(chunk);
        }
        if single {
            for a in &answers {
                if !a.right && a.weight.is_some_and(|w| w > 0.0) {
                    self.warn(
                        a.at.clone(),
                        t!("authoring.gift.partial_credit"),
                        t!("authoring.gift.partial_credit_help"),
                    );
                }
            }
        }
        let mut choices = Vec::new();
        let mut lines: Vec<String> = general.into_iter().collect();
        for (a, &ok) in answers.iter().zip(&correct) {
            let text = self.part(a.text, format);
            if let Some(f) = a.feedback {
                let f = self.part(f, format);
                if !f.is_empty() {
                    lines.push(feedback_line(&text, &f));
                }
            }
            choices.push((text, ok));
        }
        Outcome::Question(Draft {
            title,
            qtype: if single {
                QuestionType::Single
            } else {
                QuestionType::Multiple
            },
            prompt,
            choices,
            explanation: Some(lines.join("\n")).filter(|s| !s.is_empty()),
        })
    }
}

fn feedback_line(choice: &str, feedback: &str) -> String {
    t!(
        "authoring.gift.feedback_line",
        choice = choice,
        feedback = feedback
    )
    .into_owned()
}

// ---------------------------------------------------------------------------------------------
// Writing the module.

/// An id from a title: lowercase ASCII letters and digits joined by `-`; empty when nothing
/// usable is left (titles in other scripts), so the caller falls back to a numbered id.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

struct Ids(HashSet<String>);

impl Ids {
    fn take(&mut self, wanted: &str, fallback: String) -> String {
        let base = if crate::curriculum::validate::is_valid_id(wanted) {
            wanted.to_string()
        } else {
            fallback
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// The category's own name: the last part of `$course$/top/Trafficking`.
fn category_name(path: &str) -> Option<String> {
    let last = path.rsplit('/').next()?.trim();
    let generic = last.is_empty()
        || last.eq_ignore_ascii_case("top")
        || last.starts_with('$')
        || last.to_ascii_lowercase().starts_with("default for");
    (!generic).then(|| last.to_string())
}

/// The first words of a text, as a slide title.
fn first_words(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().take(8).collect();
    let mut title = words.join(" ");
    if line.split_whitespace().count() > 8 {
        title.push('…');
    }
    title
}

fn write_module(
    file: &SourceFile,
    id: &str,
    locale: &str,
    items: &[(Chunk, Outcome)],
) -> (String, usize, usize) {
    let l = locale;
    let file_name = std::path::Path::new(file.path()).file_name().map_or_else(
        || file.path().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = items
        .iter()
        .find_map(|(_, o)| match o {
            Outcome::Category(c) => category_name(c),
            _ => None,
        })
        .unwrap_or_else(|| {
            let stem = std::path::Path::new(&file_name)
                .file_stem()
                .map_or_else(|| file_name.clone(), |s| s.to_string_lossy().into_owned());
            t!(
                "authoring.gift.default_title",
                locale = l,
                name = stem.replace(['_', '-'], " ")
            )
            .into_owned()
        });
    let mut steps = String::new();
    let mut ids = Ids(HashSet::new());
    let mut pending: Vec<String> = Vec::new();
    let (mut questions, mut slides, mut minutes) = (0usize, 0usize, 0u32);
    for (chunk, outcome) in items {
        pending.extend(chunk.comments.iter().map(|c| format!("// {c}")));
        match outcome {
            Outcome::Comments | Outcome::Broken => {}
            Outcome::Category(path) => {
                pending.push(
                    t!("authoring.gift.category_comment", locale = l, path = path).into_owned(),
                );
            }
            Outcome::Skip { what } => {
                steps.push('\n');
                steps.push_str(&toml_comment(&t!(
                    "authoring.gift.skipped_comment",
                    locale = l,
                    file = file_name.as_str(),
                    line = chunk.line,
                    what = what.as_str()
                )));
                for raw in &chunk.raw {
                    steps.push_str(&format!("#     {raw}\n"));
                }
                pending.clear();
            }
            Outcome::Slide { title, body } => {
                slides += 1;
                minutes += SLIDE_MINUTES;
                let heading = title.clone().unwrap_or_else(|| first_words(body));
                let heading = if heading.is_empty() {
                    t!("authoring.gift.slide_title", locale = l).into_owned()
                } else {
                    heading
                };
                let id = ids.take(&slug(&heading), format!("text-{slides}"));
                step_header(&mut steps, &mut pending, &file_name, chunk.line, l);
                steps.push_str(&format!("id = {}\nkind = \"slide\"\n", toml_string(&id)));
                steps.push_str(&format!("title = {}\n", toml_text(&heading)));
                if !body.is_empty() && Some(body) != title.as_ref() {
                    steps.push_str(&format!("body = {}\n", toml_text(body)));
                }
                steps.push_str(&format!("minutes = {SLIDE_MINUTES}\n"));
            }
            Outcome::Question(q) => {
                questions += 1;
                minutes += QUESTION_MINUTES;
                let wanted = q.title.as_deref().map(slug).unwrap_or_default();
                let id = ids.take(&wanted, format!("q{questions}"));
                step_header(&mut steps, &mut pending, &file_name, chunk.line, l);
                if let Some(title) = &q.title {
                    steps.push_str(&toml_comment(&t!(
                        "authoring.gift.title_comment",
                        locale = l,
                        title = title.as_str()
                    )));
                }
                steps.push_str(&format!(
                    "id = {}\nkind = \"question\"\ntype = {}\n",
                    toml_string(&id),
                    toml_string(q.qtype.name())
                ));
                steps.push_str(&toml_comment(&t!(
                    "authoring.gift.check_comment",
                    locale = l
                )));
                steps.push_str("# check = true\n");
                steps.push_str(&format!("prompt = {}\n", toml_text(&q.prompt)));
                if let Some(e) = &q.explanation {
                    steps.push_str(&format!("explanation = {}\n", toml_text(e)));
                }
                steps.push_str(&format!("minutes = {QUESTION_MINUTES}\n"));
                let choice_ids: Vec<String> = if q.qtype == QuestionType::TrueFalse {
                    vec!["true".into(), "false".into()]
                } else {
                    (0..q.choices.len())
                        .map(|i| char::from(b'a' + i as u8).to_string())
                        .collect()
                };
                for ((text, correct), cid) in q.choices.iter().zip(choice_ids) {
                    steps.push_str(&format!(
                        "\n[[steps.choices]]\nid = {}\ntext = {}\n",
                        toml_string(&cid),
                        toml_text(text)
                    ));
                    if *correct {
                        steps.push_str("correct = true\n");
                    }
                }
            }
        }
    }
    if !pending.is_empty() {
        steps.push('\n');
        for c in pending.drain(..) {
            steps.push_str(&toml_comment(&c));
        }
    }
    let mut out = String::new();
    out.push_str(MODULE_DIRECTIVE);
    out.push('\n');
    out.push_str(&toml_comment(&t!(
        "authoring.gift.header",
        locale = l,
        file = file_name.as_str(),
        id = id
    )));
    out.push('\n');
    out.push_str(&format!("id = {}\nversion = 1\n", toml_string(id)));
    out.push_str(&toml_comment(&t!(
        "authoring.gift.c_source_locale",
        locale = l
    )));
    out.push_str(&format!("source_locale = {}\n", toml_string(locale)));
    out.push_str(&toml_comment(&t!("authoring.gift.c_edit", locale = l)));
    out.push_str(&format!("title = {}\n", toml_text(&title)));
    out.push_str(&format!(
        "summary = {}\n",
        toml_text(&t!(
            "authoring.gift.default_summary",
            locale = l,
            file = file_name.as_str()
        ))
    ));
    out.push_str(&format!(
        "audience = {}\n",
        toml_text(&t!("authoring.gift.default_audience", locale = l))
    ));
    out.push_str(&format!("minutes = {}\n", minutes.clamp(1, 600)));
    out.push('\n');
    out.push_str(&toml_comment(&t!("authoring.gift.c_sources", locale = l)));
    out.push_str("# [[sources]]\n# id = \"...\"\n# citation = \"...\"\n");
    out.push_str(&steps);
    (out, questions, slides)
}

/// The comments kept from the GIFT file, then where the step came from, then `[[steps]]`.
fn step_header(out: &mut String, pending: &mut Vec<String>, file: &str, line: usize, l: &str) {
    out.push('\n');
    for c in pending.drain(..) {
        out.push_str(&toml_comment(&c));
    }
    out.push_str(&toml_comment(&t!(
        "authoring.gift.from_line",
        locale = l,
        file = file,
        line = line
    )));
    out.push_str("[[steps]]\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost() -> Lost {
        Lost::default()
    }

    #[test]
    fn html_is_reduced_to_plain_text() {
        let mut l = lost();
        let text = html_to_plain(
            "<p>One &amp; <b>two</b></p><p>Three<br>four</p><ul><li>a</li><li>b</li></ul>\
             <a href=\"https://x.org\">site</a> <img src=\"p.png\" alt=\"a map\">",
            &mut l,
        );
        assert_eq!(
            tidy(&text, &mut l),
            "One & two\n\nThree\nfour\n\n- a\n- b\nsite (https://x.org) [a map]"
        );
        assert_eq!(l.images, 1);
    }

    #[test]
    fn images_without_a_description_are_named_by_their_file() {
        let mut l = lost();
        let text = html_to_plain("<img src=\"@@PLUGINFILE@@/ads/job.png?v=2\"> <img>", &mut l);
        assert_eq!(tidy(&text, &mut l), "[job.png] […]");
        let md = markdown_to_plain("![](pics/map.jpg)", &mut l);
        assert_eq!(md, "[map.jpg]");
        assert_eq!(l.images, 3);
    }

    #[test]
    fn markdown_is_reduced_to_plain_text() {
        let mut l = lost();
        let md = format!(
            "# Heading{HARD_BREAK}**Bold** and *em* and _under_ and `code`, snake_case stays, \
             [link](https://x.org) ![pic](p.png) \\*star\\*"
        );
        let text = tidy(&markdown_to_plain(&md, &mut l), &mut l);
        assert_eq!(
            text,
            "Heading\nBold and em and under and code, snake_case stays, link (https://x.org) [pic] *star*"
        );
        assert_eq!(l.images, 1);
    }

    #[test]
    fn html_paragraphs_stay_apart() {
        let mut out = Vec::new();
        lex_line(
            "<p>Which is <b>safe</b>?</p><p>Think of&nbsp;the passport &amp; the phone.</p>",
            0,
            &mut out,
        );
        let mut l = lost();
        assert_eq!(
            plain(&out, TextFormat::Html, &mut l),
            "Which is safe?\n\nThink of the passport & the phone."
        );
    }

    #[test]
    fn windows_line_endings_read_like_unix_ones() {
        let unix = "// c\n::T::Q?{\n=a#fb\n~b\n}\n\n::U::R?{T}\n";
        let windows = unix.replace('\n', "\r\n");
        let a = convert(&SourceFile::new("a.gift", Some(unix.into())), "m", "en").unwrap();
        let b = convert(
            &SourceFile::new("a.gift", Some(windows.as_str().into())),
            "m",
            "en",
        )
        .unwrap();
        assert_eq!(a.module_toml, b.module_toml);
        assert_eq!(b.questions, 2);
    }

    #[test]
    fn entities_decode_numbers_and_names_and_keep_the_unknown() {
        assert_eq!(decode_entities("&#65;&#x42;&lt;&bogus;&"), "AB<&bogus;&");
    }

    #[test]
    fn every_html4_entity_is_known_once_and_word_numbers_read_as_browsers_do() {
        assert_eq!(
            decode_entities("&nbsp;&iexcl;&yuml;&Auml;&auml;&thetasym;"),
            " ¡ÿÄäϑ"
        );
        let mut names: Vec<&str> = LATIN1_ENTITIES
            .iter()
            .copied()
            .chain(OTHER_ENTITIES.iter().map(|(n, _)| *n))
            .collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        // HTML 4's 252 names, and `apos`.
        assert_eq!((names.len(), total), (253, 253));
        assert_eq!(decode_entities("&#150;&#146;&#x80;"), "–’€");
    }

    #[test]
    fn slugs_make_valid_ids_or_nothing() {
        assert_eq!(slug("Who's at risk?"), "who-s-at-risk");
        assert_eq!(slug("  --  "), "");
        assert_eq!(slug("من هو"), "");
        let mut ids = Ids(HashSet::new());
        assert_eq!(ids.take("a", "q1".into()), "a");
        assert_eq!(ids.take("a", "q2".into()), "a-2");
        assert_eq!(ids.take("", "q3".into()), "q3");
    }

    proptest::proptest! {
        #[test]
        fn any_text_converts_or_is_refused_without_panicking(
            text in "([:={}~#%\\\\\n \t$a-zA-Z0-9<>/&;\\[\\]-]|\\PC){0,120}"
        ) {
            let file = SourceFile::new("p.gift", Some(text.as_str().into()));
            if let Ok(import) = convert(&file, "p", "en") {
                let table: Result<toml::Table, _> = toml::from_str(&import.module_toml);
                proptest::prop_assert!(table.is_ok(), "{}", import.module_toml);
            }
        }
    }

    #[test]
    fn escapes_are_literal_and_newline_escapes_break_lines() {
        let mut out = Vec::new();
        lex_line(r"a\{b\}\~\=\#\:\\c\nd\q", 0, &mut out);
        let text: String = out.iter().map(|c| c.c).collect();
        assert_eq!(text, "a{b}~=#:\\c\nd\\q");
        assert!(out.iter().filter(|c| "{}~=#:".contains(c.c)).all(|c| c.lit));
    }
}
