//! Compares an interface locale file with English: missing keys, unknown keys, `%{name}`
//! placeholders that differ, stale strings (fingerprints), plural forms; and counts for
//! `translate status`. A regional file (`pt-BR`) inherits what it leaves out from the files it
//! falls back to (`pt`), given by the caller. Reads parsed files only; never loads or writes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use rust_i18n::t;

use super::locale_file::{self, LocaleFile};
use super::plural::{self, Category};
use crate::curriculum::model::fingerprint;
use crate::curriculum::Diagnostic;

/// The built-in English file, the source every other locale is compared with.
pub fn english() -> &'static LocaleFile {
    static EN: OnceLock<LocaleFile> = OnceLock::new();
    EN.get_or_init(|| {
        super::builtin_file("en").unwrap_or_else(|| LocaleFile {
            locale: "en".into(),
            file: crate::curriculum::SourceFile::new("en.yml", None),
            status: None,
            entries: Vec::new(),
            fingerprints: BTreeMap::new(),
        })
    })
}

/// One thing to translate: a plain key, or a plural group (`key.one`, `key.other`, ...) that
/// counts once.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The key, or the group's base key.
    pub key: String,
    pub plural: bool,
    /// The English text (for a group, its forms one per line), as fingerprinted.
    pub source: String,
}

impl Unit {
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.source)
    }
}

/// `key.other` -> (`key`, Other) when the suffix is a plural category.
pub fn plural_parts(key: &str) -> Option<(&str, Category)> {
    let (base, suffix) = key.rsplit_once('.')?;
    Some((base, Category::from_name(suffix)?))
}

/// The units of the English file, in file order.
pub fn units(en: &LocaleFile) -> Vec<Unit> {
    let bases: BTreeSet<&str> = en
        .entries
        .iter()
        .filter_map(|e| match plural_parts(&e.key) {
            Some((base, Category::Other)) => Some(base),
            _ => None,
        })
        .collect();
    let mut out: Vec<Unit> = Vec::new();
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &en.entries {
        match plural_parts(&e.key) {
            Some((base, _)) if bases.contains(base) => {
                if !groups.contains_key(base) {
                    out.push(Unit {
                        key: base.to_string(),
                        plural: true,
                        source: String::new(),
                    });
                }
                groups.entry(base).or_default().push(&e.value);
            }
            _ => out.push(Unit {
                key: e.key.clone(),
                plural: false,
                source: e.value.clone(),
            }),
        }
    }
    for u in &mut out {
        if u.plural {
            u.source = groups
                .get(u.key.as_str())
                .map_or_else(String::new, |g| g.join("\n"));
        }
    }
    out
}

/// The `%{name}` placeholders of a string.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("%{") {
        rest = &rest[i + 2..];
        match rest.find('}') {
            Some(j) => {
                out.insert(rest[..j].to_string());
                rest = &rest[j + 1..];
            }
            None => break,
        }
    }
    out
}

/// What English has for a key of another locale: its placeholders, and whether `%{count}` may be
/// left out (plural forms such as Arabic "one" or "two" often write the number as a word).
fn expected(en: &LocaleFile, key: &str) -> Option<(BTreeSet<String>, bool)> {
    if let Some(e) = en.get(key) {
        let plural =
            plural_parts(key).is_some_and(|(b, _)| en.get(&format!("{b}.other")).is_some());
        return Some((placeholders(&e.value), plural));
    }
    let (base, _) = plural_parts(key)?;
    let other = en.get(&format!("{base}.other"))?;
    Some((placeholders(&other.value), true))
}

/// Why a string cannot be used as it is: its placeholders differ from English.
fn placeholder_problem(en: &LocaleFile, key: &str, value: &str) -> Option<(String, String)> {
    let (mut want, plural) = expected(en, key)?;
    let found = placeholders(value);
    if plural && !found.contains("count") {
        want.remove("count");
    }
    if found == want {
        return None;
    }
    let show = |s: &BTreeSet<String>| {
        if s.is_empty() {
            t!("locale.no_placeholders").into_owned()
        } else {
            s.iter()
                .map(|p| format!("%{{{p}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    Some((show(&want), show(&found)))
}

/// The strings of `file` that can be shown: not empty, placeholders as in English.
pub fn usable_strings(file: &LocaleFile, en: &LocaleFile) -> HashMap<String, String> {
    file.entries
        .iter()
        .filter(|e| !e.value.trim().is_empty())
        .filter(|e| placeholder_problem(en, &e.key, &e.value).is_none())
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect()
}

/// How far a locale is: counted in units (a plural group counts once). `inherited` units are not
/// in the file but shown from a file it falls back to (`pt` for `pt-BR`); `missing` ones show
/// in English.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub total: usize,
    pub translated: usize,
    pub missing: usize,
    pub inherited: usize,
    pub stale: usize,
}

/// Whether the unit is translated in `file`: a plain key present and not empty; a group with at
/// least its `other` form.
fn has(file_texts: &BTreeMap<&str, &str>, unit: &Unit) -> bool {
    if unit.plural {
        file_texts.contains_key(format!("{}.other", unit.key).as_str())
    } else {
        file_texts.contains_key(unit.key.as_str())
    }
}

/// Units translated from an English text that has changed since (per their fingerprint).
pub fn stale_units<'u>(file: &LocaleFile, units: &'u [Unit]) -> Vec<&'u Unit> {
    let texts = file.texts();
    units
        .iter()
        .filter(|u| has(&texts, u))
        .filter(|u| {
            file.fingerprints
                .get(&u.key)
                .is_some_and(|(fp, _)| !fp.eq_ignore_ascii_case(&u.fingerprint()))
        })
        .collect()
}

pub fn counts(file: &LocaleFile, en: &LocaleFile) -> Counts {
    counts_with(file, en, &[])
}

/// Whether the unit is translated in `file` in a form that is shown: present, and every form
/// written has the placeholders of English (a string that does not is shown from a fallback or
/// in English instead, so it counts as not translated).
fn shows(file_texts: &BTreeMap<&str, &str>, usable: &HashMap<String, String>, unit: &Unit) -> bool {
    if !has(file_texts, unit) {
        return false;
    }
    if !unit.plural {
        return usable.contains_key(&unit.key);
    }
    file_texts
        .keys()
        .filter(|k| plural_parts(k).is_some_and(|(b, _)| b == unit.key))
        .all(|k| usable.contains_key(*k))
}

/// `counts`, with the strings the file leaves out looked up in `fallbacks`, in order.
pub fn counts_with(file: &LocaleFile, en: &LocaleFile, fallbacks: &[LocaleFile]) -> Counts {
    let units = units(en);
    let texts = file.texts();
    let usable = usable_strings(file, en);
    let shown = |u: &Unit| shows(&texts, &usable, u);
    let translated = units.iter().filter(|u| shown(u)).count();
    let (inherited, missing) = left_out(en, fallbacks, &units, &shown);
    Counts {
        total: units.len(),
        translated,
        missing: missing.len(),
        inherited: inherited.iter().map(|(_, keys)| keys.len()).sum(),
        stale: stale_units(file, &units).len(),
    }
}

/// The strings of each fallback that can be shown (not empty, placeholders as in English).
fn fallback_texts(en: &LocaleFile, fallbacks: &[LocaleFile]) -> Vec<HashMap<String, String>> {
    fallbacks.iter().map(|f| usable_strings(f, en)).collect()
}

/// The first fallback that shows `key` (a plural group: its `other` form), by index.
fn shown_by(texts: &[HashMap<String, String>], key: &str) -> Option<usize> {
    texts.iter().position(|t| t.contains_key(key))
}

/// The units not `translated` by a file: those a fallback shows (grouped by fallback, in the
/// order of `fallbacks`) and those that show in English.
fn left_out<'u>(
    en: &LocaleFile,
    fallbacks: &[LocaleFile],
    units: &'u [Unit],
    translated: &dyn Fn(&Unit) -> bool,
) -> (Vec<(usize, Vec<&'u str>)>, Vec<&'u str>) {
    let shown = fallback_texts(en, fallbacks);
    let mut inherited: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut missing = Vec::new();
    for u in units.iter().filter(|u| !translated(u)) {
        let key = if u.plural {
            format!("{}.other", u.key)
        } else {
            u.key.clone()
        };
        match shown_by(&shown, &key) {
            Some(i) => inherited.entry(i).or_default().push(u.key.as_str()),
            None => missing.push(u.key.as_str()),
        }
    }
    (inherited.into_iter().collect(), missing)
}

/// `a, b, c, d, e and 3 more`.
fn key_list(keys: &[&str]) -> String {
    let shown: Vec<&str> = keys.iter().take(5).copied().collect();
    let mut list = shown.join(", ");
    if keys.len() > shown.len() {
        list.push_str(&t!("check.and_more", count = keys.len() - shown.len()));
    }
    list
}

/// Every problem of `file` compared with English. Placeholder mismatches are errors (the string
/// is not used); the rest are warnings.
pub fn audit(file: &LocaleFile, en: &LocaleFile) -> Vec<Diagnostic> {
    audit_with(file, en, &[])
}

/// `audit` for a file that falls back to `fallbacks`, in lookup order: for a run-time `pt-BR.yml`,
/// a run-time `pt.yml` then the built-in `pt`. What the file leaves out and a fallback has is
/// inherited: a note naming the language shown, not a warning.
pub fn audit_with(file: &LocaleFile, en: &LocaleFile, fallbacks: &[LocaleFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if file.locale == en.locale {
        return out;
    }
    let text = file.file.text().unwrap_or_default();
    let units = units(en);
    let bases: BTreeSet<&str> = units
        .iter()
        .filter(|u| u.plural)
        .map(|u| u.key.as_str())
        .collect();
    let known: Vec<&str> = en.entries.iter().map(|e| e.key.as_str()).collect();
    if let Some((status, span)) = &file.status {
        if status != "draft" && status != "reviewed" {
            out.push(
                Diagnostic::warning(
                    "unknown-status",
                    t!("check.unknown_status", status = status.as_str()),
                )
                .at(&file.file, Some(span.clone()))
                .help(t!("locale.status_help")),
            );
        }
    }
    for e in &file.entries {
        let plural_form = plural_parts(&e.key).filter(|(b, _)| bases.contains(b));
        if en.get(&e.key).is_none() && plural_form.is_none() {
            let help = match crate::curriculum::validate::suggest(&e.key, known.iter().copied()) {
                Some(s) => t!("check.did_you_mean", suggestion = s).into_owned(),
                None => t!("locale.unknown_key_help").into_owned(),
            };
            out.push(
                Diagnostic::warning(
                    "unknown-key",
                    t!("locale.unknown_key", key = e.key.as_str()),
                )
                .at(&file.file, Some(e.key_span.clone()))
                .help(help),
            );
            continue;
        }
        if e.value.trim().is_empty() {
            continue;
        }
        if let Some((want, found)) = placeholder_problem(en, &e.key, &e.value) {
            let at = e.value_at.min(text.len());
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            // The string shown instead: the fallback's, else English.
            let message = match shown_by(&fallback_texts(en, fallbacks), &e.key) {
                Some(i) => t!(
                    "locale.placeholder_mismatch_fallback",
                    key = e.key.as_str(),
                    expected = want,
                    found = found,
                    shown = fallbacks[i].locale.as_str()
                ),
                None => t!(
                    "locale.placeholder_mismatch",
                    key = e.key.as_str(),
                    expected = want,
                    found = found
                ),
            };
            out.push(
                Diagnostic::error("placeholder-mismatch", message)
                    .at(&file.file, Some(at..end))
                    .help(t!("locale.placeholder_mismatch_help")),
            );
        }
    }
    let texts = file.texts();
    // A string with wrong placeholders is reported above as such, not again as missing.
    let (inherited, missing) = left_out(en, fallbacks, &units, &|u| has(&texts, u));
    let status_span = file.status.as_ref().map_or(0..0, |(_, s)| s.clone());
    for (i, keys) in &inherited {
        let from = &fallbacks[*i];
        out.push(
            Diagnostic::note(
                "inherited",
                crate::tn!(
                    "locale.inherited",
                    keys.len(),
                    tag = from.locale.as_str(),
                    path = from.file.path()
                ),
            )
            .at(&file.file, Some(status_span.clone()))
            .help(t!(
                "locale.inherited_help",
                tag = file.locale.as_str(),
                base = from.locale.as_str()
            )),
        );
    }
    if !missing.is_empty() {
        let list = key_list(&missing);
        out.push(
            Diagnostic::warning(
                "untranslated",
                crate::tn!(
                    "locale.missing",
                    missing.len(),
                    tag = file.locale.as_str(),
                    keys = list
                ),
            )
            .at(&file.file, Some(status_span.clone()))
            .help(t!("locale.missing_help")),
        );
    }
    // Plural groups need each form the language uses.
    let forms = plural::forms(&file.locale);
    for u in units.iter().filter(|u| u.plural && has(&texts, u)) {
        let lacking: Vec<&str> = forms
            .iter()
            .filter(|c| !texts.contains_key(format!("{}.{}", u.key, c.name()).as_str()))
            .map(|c| c.name())
            .collect();
        if !lacking.is_empty() {
            let at = file
                .get(&format!("{}.other", u.key))
                .map(|e| e.key_span.clone());
            out.push(
                Diagnostic::warning(
                    "plural-forms",
                    t!(
                        "locale.plural_forms",
                        key = u.key.as_str(),
                        forms = lacking.join(", ")
                    ),
                )
                .at(&file.file, at)
                .help(t!("locale.plural_forms_help", tag = file.locale.as_str())),
            );
        }
    }
    for u in stale_units(file, &units) {
        let span = file.fingerprints.get(&u.key).map(|(_, s)| s.clone());
        out.push(
            Diagnostic::warning("stale", t!("check.stale", key = u.key.as_str()))
                .at(&file.file, span)
                .help(t!("locale.stale_help", fingerprint = u.fingerprint())),
        );
    }
    out
}

/// A file as `parse` reads it, for tests and tools that hold text rather than a path.
pub fn parse_text(locale: &str, path: &str, text: &str) -> Result<LocaleFile, Box<Diagnostic>> {
    locale_file::parse(locale, path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(locale: &str, text: &str) -> LocaleFile {
        parse_text(locale, "x.yml", text).unwrap()
    }

    const EN: &str =
        "a: \"Hello %{name}\"\nb: \"Bye\"\nn.one: \"%{count} file\"\nn.other: \"%{count} files\"\n";

    #[test]
    fn plural_groups_count_once() {
        let en = file("en", EN);
        let u = units(&en);
        assert_eq!(u.len(), 3);
        assert!(u[2].plural && u[2].key == "n");
        assert_eq!(u[2].source, "%{count} file\n%{count} files");
    }

    #[test]
    fn placeholders_must_match_english() {
        let en = file("en", EN);
        let es = file("es", "a: \"Hola %{nombre}\"\nb: \"Adiós\"\nn.one: \"un archivo\"\nn.other: \"%{count} archivos\"\n");
        let d = audit(&es, &en);
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["placeholder-mismatch"], "{d:?}");
        assert_eq!(d[0].position().unwrap(), "x.yml:1:4");
        let usable = usable_strings(&es, &en);
        assert!(!usable.contains_key("a") && usable.contains_key("b"));
        // `%{count}` may be written as a word in a plural form, but no other name may appear.
        assert!(usable.contains_key("n.one"));
        // The broken string shows in English: it counts as missing, not as translated.
        let c = counts(&es, &en);
        assert_eq!((c.total, c.translated, c.missing), (3, 2, 1));
        // A plural group with one broken form is not translated either.
        let es = file(
            "es",
            "a: \"Hola %{name}\"\nn.one: \"%{cuenta}\"\nn.other: \"%{count}\"\n",
        );
        let c = counts(&es, &en);
        assert_eq!((c.translated, c.missing), (1, 2));
    }

    #[test]
    fn missing_unknown_and_plural_forms() {
        let en = file("en", EN);
        let ar = file(
            "ar",
            "a: \"مرحبا %{name}\"\nc: \"x\"\nn.other: \"%{count} ملفات\"\n",
        );
        let d = audit(&ar, &en);
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["unknown-key", "untranslated", "plural-forms"],
            "{d:?}"
        );
        let c = counts(&ar, &en);
        assert_eq!((c.total, c.translated, c.missing), (3, 2, 1));
    }

    #[test]
    fn a_regional_file_inherits_what_it_leaves_out() {
        let en = file("en", EN);
        let pt = file(
            "pt",
            "a: \"Olá %{name}\"\nn.one: \"%{count} arquivo\"\nn.other: \"%{count} arquivos\"\n",
        );
        let br = file("pt-BR", "_status: draft\na: \"Oi %{nome}\"\n");
        let d = audit_with(&br, &en, std::slice::from_ref(&pt));
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["placeholder-mismatch", "inherited", "untranslated"],
            "{d:?}"
        );
        // The broken string shows the `pt` one, and says so.
        assert!(d[0].message.contains("`pt`"), "{}", d[0].message);
        // `n` comes from pt: a note, not a warning; `b` is in neither, so English.
        assert_eq!(d[1].severity, crate::curriculum::Severity::Note);
        assert!(d[1].message.contains("`pt`"), "{}", d[1].message);
        assert!(d[2].message.contains('b') && d[2].message.starts_with('1'));
        // The broken `a` shows the `pt` string: inherited, like `n`, not translated.
        let c = counts_with(&br, &en, std::slice::from_ref(&pt));
        assert_eq!(
            (c.total, c.translated, c.inherited, c.missing),
            (3, 0, 2, 1)
        );
        // Without fallbacks, everything left out (or broken) shows in English.
        let c = counts(&br, &en);
        assert_eq!((c.inherited, c.missing), (0, 3));
    }

    #[test]
    fn stale_after_the_english_changes() {
        let en = file("en", EN);
        let fp_b = fingerprint("Bye");
        let es = file(
            "es",
            &format!("b: \"Adiós\"\n_fingerprints:\n  b: \"{fp_b}\"\n  a: \"{fp_b}\"\n"),
        );
        assert_eq!(counts(&es, &en).stale, 0);
        let en2 = file("en", &EN.replace("Bye", "Goodbye"));
        assert_eq!(counts(&es, &en2).stale, 1);
        assert!(audit(&es, &en2).iter().any(|d| d.code == "stale"));
    }
}
