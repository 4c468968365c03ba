//! Local help resources: the facilitator's own help line, emergency number and services, named in
//! module text as `{{helpline}}` and read from `resources.toml` in the config folder. Substitution
//! is pure; the one file is read and written here. Built-in sets exist only for the US and the UK,
//! because a help line number must never be guessed.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rust_i18n::t;
use toml::de::{DeTable, DeValue};

use crate::curriculum::diagnostic::{Diagnostic, SourceFile};
use crate::curriculum::validate;

/// The facilitator's file, in the config folder (`~/.config/waymark/resources.toml`).
pub const FILE_NAME: &str = "resources.toml";
/// A value is one line shown on a slide: long enough for a name, a number and opening hours.
pub const MAX_VALUE_CHARS: usize = 200;
/// The file holds a handful of short lines; anything bigger is a mistake.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// A help resource a module may name. The set is small and fixed so that `check` can catch a
/// misspelt `{{helpine}}` and a facilitator knows exactly what to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Name {
    /// The national anti-trafficking or modern-slavery help line.
    Helpline,
    /// Emergency services (police, ambulance) for someone in immediate danger.
    Emergency,
    /// A local support service: the organisation running the workshop, a shelter, a victim
    /// support service.
    LocalSupport,
    /// A law-enforcement tip line for passing on a suspicion.
    Tipline,
}

impl Name {
    pub const ALL: [Name; 4] = [
        Name::Helpline,
        Name::Emergency,
        Name::LocalSupport,
        Name::Tipline,
    ];

    /// The name as written in modules (`{{local-support}}`) and in `resources.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Name::Helpline => "helpline",
            Name::Emergency => "emergency",
            Name::LocalSupport => "local-support",
            Name::Tipline => "tipline",
        }
    }

    pub fn parse(s: &str) -> Option<Name> {
        Name::ALL.into_iter().find(|n| n.as_str() == s)
    }

    /// The closest known name to a misspelt one, for "did you mean".
    pub fn suggest(s: &str) -> Option<Name> {
        validate::suggest(s, Name::ALL.map(Name::as_str)).and_then(Name::parse)
    }

    /// Every name, comma separated, for help texts.
    pub fn list() -> String {
        Name::ALL.map(Name::as_str).join(", ")
    }

    /// What the resource is, in `locale` (an interface locale; English when it has no strings).
    pub fn label(self, locale: &str) -> String {
        match self {
            Name::Helpline => t!("resources.label.helpline", locale = locale),
            Name::Emergency => t!("resources.label.emergency", locale = locale),
            Name::LocalSupport => t!("resources.label.local_support", locale = locale),
            Name::Tipline => t!("resources.label.tipline", locale = locale),
        }
        .into_owned()
    }

    /// The text shown in place of an unset resource: never an empty space.
    pub fn unset_marker(self, locale: &str) -> String {
        t!(
            "resources.unset_marker",
            locale = locale,
            label = self.label(locale)
        )
        .into_owned()
    }

    /// `{{helpline}}`.
    pub fn placeholder(self) -> String {
        format!("{{{{{}}}}}", self.as_str())
    }
}

/// A `{{name}}` written in a text: where it is (bytes, braces included) and the name inside,
/// trimmed. The name may be unknown: the validator reports those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'t> {
    pub range: Range<usize>,
    pub name: &'t str,
}

/// Every `{{...}}` in `text`, in order. Braces that do not close on the same line, or hold more
/// than 64 characters, are ordinary text.
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find("{{")) {
        let start = from + i;
        let inner_start = start + 2;
        let Some(j) = text[inner_start..].find("}}") else {
            break;
        };
        let inner = &text[inner_start..inner_start + j];
        if inner.contains('{') {
            // `{{{helpline}}`: the placeholder starts at a later brace.
            from = start + 1;
            continue;
        }
        if inner.contains('\n') || inner.chars().count() > 64 {
            from = inner_start;
            continue;
        }
        let end = inner_start + j + 2;
        out.push(Placeholder {
            range: start..end,
            name: inner.trim(),
        });
        from = end;
    }
    out
}

/// The known resource names a text uses, in order of first use.
pub fn names_used(text: &str) -> Vec<Name> {
    let mut out = Vec::new();
    for p in placeholders(text) {
        if let Some(n) = Name::parse(p.name) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// A piece of a text after substitution, so a screen can style an unset resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text as written (including an unknown `{{...}}`, left visible on purpose).
    Text(&'a str),
    /// The facilitator's value for a resource.
    Value(Name, &'a str),
    /// A resource with no value: shown with `Name::unset_marker`.
    Unset(Name),
}

/// A value refused by `Resources::set` or in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Empty,
    /// A control character or line break, with its code point.
    Control(char),
    TooLong(usize),
    /// `{{` or `}}`: a value must not name other resources.
    Braces,
}

impl ValueError {
    /// The message and its help, in the interface language.
    pub fn describe(&self, name: &str) -> (String, String) {
        match self {
            ValueError::Empty => (
                t!("resources.empty_value", name = name).into_owned(),
                t!("resources.empty_value_help").into_owned(),
            ),
            ValueError::Control(c) => (
                t!(
                    "resources.bad_char",
                    name = name,
                    code = format!("U+{:04X}", *c as u32)
                )
                .into_owned(),
                t!("resources.bad_char_help").into_owned(),
            ),
            ValueError::TooLong(len) => (
                t!(
                    "resources.too_long",
                    name = name,
                    len = len,
                    max = MAX_VALUE_CHARS
                )
                .into_owned(),
                t!("resources.too_long_help").into_owned(),
            ),
            ValueError::Braces => (
                t!("resources.braces", name = name).into_owned(),
                t!("resources.braces_help").into_owned(),
            ),
        }
    }
}

/// Checks a value and returns it trimmed. Control characters and direction overrides could
/// change what the projector shows, so they are refused as in curriculum files.
pub fn check_value(value: &str) -> Result<String, ValueError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
    {
        return Err(ValueError::Control(c));
    }
    let len = value.chars().count();
    if len > MAX_VALUE_CHARS {
        return Err(ValueError::TooLong(len));
    }
    if value.contains("{{") || value.contains("}}") {
        return Err(ValueError::Braces);
    }
    Ok(value.to_string())
}

/// The only countries with a built-in set: their numbers are the official ones in the content
/// facts. Every other country's facilitator enters their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinSet {
    UnitedStates,
    UnitedKingdom,
}

/// United States, National Human Trafficking Hotline (DHS, HHS): call, text, TTY.
pub const US_HOTLINE_CALL: &str = "1-888-373-7888";
pub const US_HOTLINE_TEXT: &str = "233733";
pub const US_HOTLINE_TTY: &str = "711";
/// United States, Homeland Security Investigations tip line (DHS).
pub const US_HSI_TIPLINE: &str = "1-866-347-2423";
/// United Kingdom, Modern Slavery & Exploitation Helpline.
pub const UK_HELPLINE: &str = "08000 121 700";

impl BuiltinSet {
    pub const ALL: [BuiltinSet; 2] = [BuiltinSet::UnitedStates, BuiltinSet::UnitedKingdom];

    /// `us` or `uk`, as typed after `waymark resources use`.
    pub fn code(self) -> &'static str {
        match self {
            BuiltinSet::UnitedStates => "us",
            BuiltinSet::UnitedKingdom => "uk",
        }
    }

    pub fn parse(s: &str) -> Option<BuiltinSet> {
        let s = s.trim().to_ascii_lowercase();
        BuiltinSet::ALL.into_iter().find(|b| b.code() == s)
    }

    pub fn country(self) -> String {
        match self {
            BuiltinSet::UnitedStates => t!("resources.country.us"),
            BuiltinSet::UnitedKingdom => t!("resources.country.uk"),
        }
        .into_owned()
    }

    /// The set's values, worded in the interface language; the numbers never pass through a
    /// translation. Emergency and local support are left to the facilitator.
    pub fn resources(self) -> Resources {
        let mut values = BTreeMap::new();
        match self {
            BuiltinSet::UnitedStates => {
                values.insert(
                    Name::Helpline,
                    t!(
                        "resources.builtin.us_helpline",
                        call = US_HOTLINE_CALL,
                        text = US_HOTLINE_TEXT,
                        tty = US_HOTLINE_TTY
                    )
                    .into_owned(),
                );
                values.insert(
                    Name::Tipline,
                    t!("resources.builtin.us_tipline", call = US_HSI_TIPLINE).into_owned(),
                );
            }
            BuiltinSet::UnitedKingdom => {
                values.insert(
                    Name::Helpline,
                    t!("resources.builtin.uk_helpline", call = UK_HELPLINE).into_owned(),
                );
            }
        }
        Resources { values }
    }
}

/// The values set on this computer. A name with no value is unset and shows a marker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resources {
    values: BTreeMap<Name, String>,
}

impl Resources {
    /// No value set: every resource shows the "ask your facilitator" marker.
    pub fn empty() -> Self {
        Self::default()
    }

    /// `resources.toml` in `config_dir`. A missing file is no error: nothing is set yet.
    pub fn load(config_dir: &Path) -> Result<Resources, Box<Diagnostic>> {
        let path = Self::path(config_dir);
        let display = path.display().to_string();
        let unreadable = |e: &std::io::Error| {
            Box::new(
                Diagnostic::error(
                    "resources-file",
                    t!("resources.unreadable", error = e.to_string()),
                )
                .at(&SourceFile::new(display.as_str(), None), None)
                .help(t!("resources.unreadable_help")),
            )
        };
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::empty()),
            Err(e) => return Err(unreadable(&e)),
        };
        if meta.len() > MAX_FILE_BYTES {
            return Err(Box::new(
                Diagnostic::error(
                    "resources-file",
                    t!("resources.too_large", limit = MAX_FILE_BYTES / 1024),
                )
                .at(&SourceFile::new(display.as_str(), None), None)
                .help(t!("resources.syntax_help")),
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| unreadable(&e))?;
        let file = validate::decode(&display, &bytes)?;
        Self::parse(&file)
    }

    /// Where `load` and `save` look.
    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join(FILE_NAME)
    }

    /// Reads the text of a resources file: `name = "value"` lines. The first problem is returned
    /// with its place, as curriculum diagnostics are.
    pub fn parse(file: &SourceFile) -> Result<Resources, Box<Diagnostic>> {
        let text = file.text().unwrap_or("");
        let error = |code: &'static str, span: Range<usize>, message: String, help: String| {
            Box::new(
                Diagnostic::error(code, message)
                    .at(file, Some(span))
                    .help(help),
            )
        };
        let root = DeTable::parse(text).map_err(|e| {
            error(
                "resources-syntax",
                e.span().unwrap_or(0..0),
                t!("resources.syntax", detail = e.message()).into_owned(),
                t!("resources.syntax_help").into_owned(),
            )
        })?;
        let mut values = BTreeMap::new();
        for (key, value) in root.get_ref().iter() {
            let key_text = key.get_ref().as_ref();
            let Some(name) = Name::parse(key_text) else {
                let help = match Name::suggest(key_text) {
                    Some(s) => t!("check.did_you_mean", suggestion = s.as_str()).into_owned(),
                    None => t!("resources.known_names", names = Name::list()).into_owned(),
                };
                return Err(error(
                    "resources-unknown-name",
                    key.span(),
                    t!("resources.unknown_name", name = key_text).into_owned(),
                    help,
                ));
            };
            let DeValue::String(s) = value.get_ref() else {
                return Err(error(
                    "resources-wrong-type",
                    value.span(),
                    t!("resources.not_text", name = key_text).into_owned(),
                    t!("resources.syntax_help").into_owned(),
                ));
            };
            let checked = check_value(s).map_err(|e| {
                let (message, help) = e.describe(key_text);
                error("resources-bad-value", value.span(), message, help)
            })?;
            values.insert(name, checked);
        }
        Ok(Resources { values })
    }

    pub fn get(&self, name: Name) -> Option<&str> {
        self.values.get(&name).map(String::as_str)
    }

    pub fn is_set(&self, name: Name) -> bool {
        self.values.contains_key(&name)
    }

    /// Sets a value after checking it; returns the previous one.
    pub fn set(&mut self, name: Name, value: &str) -> Result<Option<String>, ValueError> {
        let value = check_value(value)?;
        Ok(self.values.insert(name, value))
    }

    /// Removes a value; returns it if there was one.
    pub fn unset(&mut self, name: Name) -> Option<String> {
        self.values.remove(&name)
    }

    /// The values set, in the order of `Name::ALL`.
    pub fn iter(&self) -> impl Iterator<Item = (Name, &str)> {
        self.values.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// The file text: a header for whoever opens it, then one `name = "value"` line per value.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for line in t!("resources.file_header").lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        for (name, value) in &self.values {
            let quoted = toml::Value::String(value.clone()).to_string();
            out.push_str(&format!("{} = {quoted}\n", name.as_str()));
        }
        out
    }

    /// Writes `resources.toml` in `config_dir` (created if needed), replacing it whole: written
    /// beside it first and then renamed, so a crash never leaves half a file.
    pub fn save(&self, config_dir: &Path) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(config_dir)?;
        let path = Self::path(config_dir);
        let tmp = config_dir.join(format!(".{FILE_NAME}.tmp"));
        std::fs::write(&tmp, self.to_toml())?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }

    /// `text` cut into plain text, values and unset resources.
    pub fn segments<'a>(&'a self, text: &'a str) -> Vec<Segment<'a>> {
        let mut out = Vec::new();
        let mut at = 0;
        for p in placeholders(text) {
            let Some(name) = Name::parse(p.name) else {
                continue;
            };
            if p.range.start > at {
                out.push(Segment::Text(&text[at..p.range.start]));
            }
            out.push(match self.get(name) {
                Some(v) => Segment::Value(name, v),
                None => Segment::Unset(name),
            });
            at = p.range.end;
        }
        if at < text.len() {
            out.push(Segment::Text(&text[at..]));
        }
        out
    }

    /// `text` with every `{{name}}` replaced by its value, or by the marked "ask your
    /// facilitator for the local number" line (in the interface language) when unset.
    pub fn fill(&self, text: &str) -> String {
        self.fill_in(text, &rust_i18n::locale())
    }

    /// Puts the values into every text of every module, source and translations, each in its
    /// own language; an unset one becomes its "ask your facilitator" marker. Ids, sources and
    /// the content hash are untouched, so a saved session still resumes after a value changes.
    pub fn fill_catalog(&self, catalog: &mut crate::curriculum::Catalog) {
        for module in &mut catalog.modules {
            let source = module.source_locale.clone();
            module.map_source_texts(|text| self.fill_in(text, &source));
            for tr in module.translations.values_mut() {
                let locale = tr.locale.clone();
                for text in tr.texts.values_mut() {
                    *text = self.fill_in(text, &locale);
                }
            }
        }
    }

    /// As `fill`, with the unset marker in `locale`: the language the room reads the module in.
    pub fn fill_in(&self, text: &str, locale: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for s in self.segments(text) {
            match s {
                Segment::Text(t) => out.push_str(t),
                Segment::Value(_, v) => out.push_str(v),
                Segment::Unset(n) => out.push_str(&n.unset_marker(locale)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("resources.toml", Some(text.into()))
    }

    fn digits(s: &str) -> String {
        s.chars().filter(char::is_ascii_digit).collect()
    }

    #[test]
    fn placeholders_are_found_with_their_places() {
        let text = "Call {{helpline}} or {{ emergency }}; {{helpine}}.";
        let found = placeholders(text);
        let names: Vec<&str> = found.iter().map(|p| p.name).collect();
        assert_eq!(names, ["helpline", "emergency", "helpine"]);
        assert_eq!(&text[found[0].range.clone()], "{{helpline}}");
        assert_eq!(&text[found[1].range.clone()], "{{ emergency }}");
    }

    #[test]
    fn stray_braces_are_text() {
        assert!(placeholders("a {{ b").is_empty());
        assert!(placeholders("a {{b\nc}} d").is_empty());
        let found = placeholders("{{{helpline}}}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "helpline");
        assert_eq!(found[0].range, 1..13);
        let long = format!("{{{{{}}}}}", "x".repeat(65));
        assert!(placeholders(&long).is_empty());
    }

    #[test]
    fn fill_replaces_set_values() {
        let mut r = Resources::empty();
        r.set(Name::Helpline, "  Line A: 123  ").unwrap();
        assert_eq!(r.fill_in("Help: {{helpline}}.", "en"), "Help: Line A: 123.");
        assert_eq!(r.fill_in("no placeholders", "en"), "no placeholders");
        assert_eq!(r.fill_in("", "en"), "");
    }

    #[test]
    fn an_unset_resource_shows_a_marked_line_never_a_blank() {
        let r = Resources::empty();
        let out = r.fill_in("In danger: {{emergency}}", "en");
        assert!(
            out.contains("ask your facilitator for the local number"),
            "{out}"
        );
        assert!(out.contains("emergency services"), "{out}");
        assert!(out.starts_with("In danger: ["), "{out}");
        assert!(!out.contains("{{"), "{out}");
        for n in Name::ALL {
            let marker = n.unset_marker("en");
            assert!(!marker.trim().is_empty());
            assert!(marker.contains("ask your facilitator"), "{marker}");
        }
    }

    #[test]
    fn an_unknown_name_stays_visible() {
        let mut r = Resources::empty();
        r.set(Name::Helpline, "Line A").unwrap();
        assert_eq!(
            r.fill_in("{{helpine}} and {{helpline}}", "en"),
            "{{helpine}} and Line A"
        );
        assert_eq!(Name::suggest("helpine"), Some(Name::Helpline));
        assert_eq!(Name::suggest("local_support"), Some(Name::LocalSupport));
        assert_eq!(Name::suggest("zebra"), None);
    }

    #[test]
    fn segments_mark_values_and_unset() {
        let mut r = Resources::empty();
        r.set(Name::Helpline, "Line A").unwrap();
        assert_eq!(
            r.segments("a {{helpline}} b {{emergency}}"),
            vec![
                Segment::Text("a "),
                Segment::Value(Name::Helpline, "Line A"),
                Segment::Text(" b "),
                Segment::Unset(Name::Emergency),
            ]
        );
    }

    #[test]
    fn names_used_are_known_and_unique() {
        assert_eq!(
            names_used("{{helpline}} {{emergency}} {{helpline}} {{nope}}"),
            vec![Name::Helpline, Name::Emergency]
        );
    }

    #[test]
    fn values_are_checked() {
        assert_eq!(check_value("   "), Err(ValueError::Empty));
        assert_eq!(check_value("a\nb"), Err(ValueError::Control('\n')));
        assert_eq!(
            check_value("a\u{1b}[31m"),
            Err(ValueError::Control('\u{1b}'))
        );
        assert_eq!(
            check_value("a\u{202E}b"),
            Err(ValueError::Control('\u{202E}'))
        );
        assert_eq!(check_value("{{helpline}}"), Err(ValueError::Braces));
        assert_eq!(
            check_value(&"x".repeat(MAX_VALUE_CHARS + 1)),
            Err(ValueError::TooLong(MAX_VALUE_CHARS + 1))
        );
        assert_eq!(check_value(" ok "), Ok("ok".into()));
        let mut r = Resources::empty();
        assert!(r.set(Name::Emergency, "").is_err());
        assert!(!r.is_set(Name::Emergency));
    }

    #[test]
    fn the_file_round_trips() {
        let mut r = Resources::empty();
        r.set(Name::Helpline, "Line \"A\" \\ 1").unwrap();
        r.set(Name::LocalSupport, "Centre Nord, rue 5 — ouvert")
            .unwrap();
        let text = r.to_toml();
        assert!(text.starts_with("# "), "{text}");
        let back = Resources::parse(&file(&text)).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn file_problems_are_diagnostics_with_places() {
        let e = Resources::parse(&file("helpine = \"x\"\n")).unwrap_err();
        assert_eq!(e.code, "resources-unknown-name");
        assert_eq!(e.span, Some(0..7));
        assert!(
            e.help.as_deref().unwrap_or("").contains("helpline"),
            "{e:?}"
        );
        let e = Resources::parse(&file("helpline = 5\n")).unwrap_err();
        assert_eq!(e.code, "resources-wrong-type");
        let e = Resources::parse(&file("helpline = \"\"\n")).unwrap_err();
        assert_eq!(e.code, "resources-bad-value");
        let e = Resources::parse(&file("helpline = \"x\n")).unwrap_err();
        assert_eq!(e.code, "resources-syntax");
        assert_eq!(
            Resources::parse(&file("# nothing yet\n")).unwrap(),
            Resources::empty()
        );
    }

    #[test]
    fn load_and_save_use_the_config_folder() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("waymark");
        assert_eq!(Resources::load(&cfg).unwrap(), Resources::empty());
        let mut r = Resources::empty();
        r.set(Name::Emergency, "Emergency: 000-TEST").unwrap();
        let path = r.save(&cfg).unwrap();
        assert_eq!(path, cfg.join(FILE_NAME));
        assert_eq!(Resources::load(&cfg).unwrap(), r);
        std::fs::write(&path, "emergency = [1]\n").unwrap();
        assert!(Resources::load(&cfg).is_err());
    }

    /// The numbers of content/FACTS.md, "Help lines": these and no others.
    #[test]
    fn builtin_sets_hold_exactly_the_official_numbers() {
        let us = BuiltinSet::UnitedStates.resources();
        let helpline = us.get(Name::Helpline).unwrap();
        assert!(helpline.contains("1-888-373-7888"), "{helpline}");
        assert!(helpline.contains("233733"), "{helpline}");
        assert!(helpline.contains("711"), "{helpline}");
        assert!(helpline.contains("National Human Trafficking Hotline"));
        assert_eq!(digits(helpline), "18883737888233733711");
        let tip = us.get(Name::Tipline).unwrap();
        assert!(tip.contains("1-866-347-2423"), "{tip}");
        assert!(tip.contains("Homeland Security Investigations"));
        assert_eq!(digits(tip), "18663472423");
        assert_eq!(us.get(Name::Emergency), None);
        assert_eq!(us.get(Name::LocalSupport), None);
        assert_eq!(us.iter().count(), 2);

        let uk = BuiltinSet::UnitedKingdom.resources();
        let helpline = uk.get(Name::Helpline).unwrap();
        assert!(helpline.contains("08000 121 700"), "{helpline}");
        assert!(helpline.contains("Modern Slavery & Exploitation Helpline"));
        assert_eq!(digits(helpline), "08000121700");
        assert_eq!(uk.iter().count(), 1);

        // Every built-in value passes the same checks as a typed one.
        for set in BuiltinSet::ALL {
            for (_, v) in set.resources().iter() {
                assert_eq!(check_value(v).as_deref(), Ok(v));
            }
        }
    }

    #[test]
    fn only_us_and_uk_have_sets() {
        assert_eq!(BuiltinSet::parse("US"), Some(BuiltinSet::UnitedStates));
        assert_eq!(BuiltinSet::parse("uk"), Some(BuiltinSet::UnitedKingdom));
        assert_eq!(BuiltinSet::parse("gb"), None);
        assert_eq!(BuiltinSet::parse("eu"), None);
    }
}
