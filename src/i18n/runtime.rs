//! Locale files added at run time: `<lang>.yml` in `locales/` under the data folder or in a
//! `--locales DIR`, consulted before the built-in strings (a rust-i18n backend). Each file is
//! read alone: a broken file is reported and left out, the others still load. A regional file
//! (`pt-BR.yml`) is then checked knowing what the files it falls back to (`pt`) already say.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use rust_i18n::t;

use super::audit;
use super::locale_file::{self, LocaleFile};
use crate::curriculum::{Diagnostic, SourceFile};

/// Strings by locale, then by key; what `RuntimeBackend` answers from.
type Store = BTreeMap<String, HashMap<String, String>>;

static STORE: RwLock<Store> = RwLock::new(BTreeMap::new());

/// The rust-i18n backend for run-time files. rust-i18n asks it before its built-in strings, so a
/// file here can also correct a built-in language without a rebuild.
pub struct RuntimeBackend;

impl rust_i18n::Backend for RuntimeBackend {
    fn available_locales(&self) -> Vec<Cow<'_, str>> {
        STORE
            .read()
            .map(|s| s.keys().map(|k| Cow::Owned(k.clone())).collect())
            .unwrap_or_default()
    }

    fn translate(&self, locale: &str, key: &str) -> Option<Cow<'_, str>> {
        let store = STORE.read().ok()?;
        store.get(locale)?.get(key).map(|v| Cow::Owned(v.clone()))
    }

    fn messages_for_locale(&self, locale: &str) -> Option<Vec<(Cow<'_, str>, Cow<'_, str>)>> {
        let store = STORE.read().ok()?;
        let messages = store.get(locale)?;
        Some(
            messages
                .iter()
                .map(|(k, v)| (Cow::Owned(k.clone()), Cow::Owned(v.clone())))
                .collect(),
        )
    }
}

/// The run-time locale files that loaded, and what was wrong with any of them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<LocaleFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where run-time locale files are looked for, in order (a later folder wins for the same file
/// name): `locales/` in the data folder, then each `--locales DIR`.
pub fn dirs(data_dir: Option<&Path>, flags: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = data_dir.map(|d| d.join("locales")).into_iter().collect();
    out.extend(flags.iter().cloned());
    out
}

/// The locale a file name names: `pt-BR.yml` -> `pt-BR`; `None` for other files.
pub fn locale_of(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".yml").or(name.strip_suffix(".yaml"))?;
    (!stem.starts_with('.')).then(|| stem.to_string())
}

/// The files whose strings show where a run-time file of `locale` has none, in the order
/// rust-i18n looks: the built-in file of the same language (a run-time `pt.yml` corrects the
/// built-in `pt`), then for each shorter tag (`pt` for `pt-BR`) its run-time file among
/// `runtime`, then its built-in file. English, the last resort, is not among them.
pub fn fallbacks(locale: &str, runtime: &[LocaleFile]) -> Vec<LocaleFile> {
    let locale = crate::curriculum::locale_tag::canonical(locale);
    let chain = super::plural::chain(&locale);
    let mut out = Vec::new();
    for (i, tag) in chain.iter().enumerate().filter(|(_, t)| *t != "en") {
        if i > 0 {
            out.extend(
                runtime
                    .iter()
                    .filter(|f| crate::curriculum::locale_tag::canonical(&f.locale) == *tag)
                    .cloned(),
            );
        }
        out.extend(super::builtin_file(tag));
    }
    out
}

/// Reads one file: size, encoding, YAML, file name, then the strings against English (with the
/// built-in languages it falls back to).
pub fn read_file(path: &Path) -> (Option<LocaleFile>, Vec<Diagnostic>) {
    read_file_among(path, &[])
}

/// `read_file`, with the run-time files `others` as languages it may fall back to (`pt.yml` for
/// `pt-BR.yml`).
pub fn read_file_among(
    path: &Path,
    others: &[LocaleFile],
) -> (Option<LocaleFile>, Vec<Diagnostic>) {
    let (file, mut diagnostics) = parse_file(path);
    if let Some(f) = &file {
        let others: Vec<LocaleFile> = others
            .iter()
            .filter(|o| o.file.path() != f.file.path())
            .cloned()
            .collect();
        diagnostics.extend(audit::audit_with(
            f,
            audit::english(),
            &fallbacks(&f.locale, &others),
        ));
    }
    (file, diagnostics)
}

/// Reads one file as far as it can be used: size, encoding, YAML, file name; not compared with
/// English yet.
fn parse_file(path: &Path) -> (Option<LocaleFile>, Vec<Diagnostic>) {
    let display = path.display().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(locale) = locale_of(&name) else {
        return (None, Vec::new());
    };
    let bytes = match std::fs::metadata(path).and_then(|m| {
        if m.len() > crate::curriculum::validate::MAX_FILE_BYTES {
            Err(std::io::Error::other(
                t!(
                    "locale.too_large",
                    limit = crate::curriculum::validate::MAX_FILE_BYTES / 1024
                )
                .into_owned(),
            ))
        } else {
            std::fs::read(path)
        }
    }) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error("unreadable", t!("check.unreadable", error = e.to_string()))
                .at(&SourceFile::new(display, None), None)
                .help(t!("check.unreadable_help"));
            return (None, vec![d]);
        }
    };
    parse_bytes(&locale, &display, &bytes)
}

/// Checks the text of a locale file; the file is usable when the first item is `Some`.
pub fn read_bytes(
    locale: &str,
    display: &str,
    bytes: &[u8],
) -> (Option<LocaleFile>, Vec<Diagnostic>) {
    let (file, mut diagnostics) = parse_bytes(locale, display, bytes);
    if let Some(f) = &file {
        diagnostics.extend(audit::audit_with(
            f,
            audit::english(),
            &fallbacks(&f.locale, &[]),
        ));
    }
    (file, diagnostics)
}

fn parse_bytes(locale: &str, display: &str, bytes: &[u8]) -> (Option<LocaleFile>, Vec<Diagnostic>) {
    let file = match crate::curriculum::validate::decode(display, bytes) {
        Ok(f) => f,
        Err(d) => return (None, vec![*d]),
    };
    let text = file.text().unwrap_or_default();
    if !crate::curriculum::locale_tag::is_valid(locale) {
        let d = Diagnostic::error(
            "invalid-locale",
            t!("locale.invalid_file_name", name = format!("{locale}.yml")),
        )
        .at(&file, None)
        .help(t!("locale.invalid_file_name_help"));
        return (None, vec![d]);
    }
    match locale_file::parse(locale, display, text) {
        Ok(p) => (Some(p), Vec::new()),
        Err(d) => (None, vec![*d]),
    }
}

/// Reads every `*.yml` in `dirs`, in order; for the same file name the later folder wins. A
/// missing folder is fine (the data folder's `locales/` is optional).
pub fn read_dirs(dirs: &[PathBuf]) -> Loaded {
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(locale) = locale_of(&name) {
                by_name.insert(locale, path);
            }
        }
    }
    let mut loaded = Loaded::default();
    let mut problems = Vec::new();
    for path in by_name.values() {
        let (file, diags) = parse_file(path);
        problems.push(diags);
        if let Some(f) = file {
            loaded.files.push(f);
        }
    }
    // Compared with English once all are read: `pt-BR.yml` inherits from a `pt.yml` beside it.
    for (path, diags) in by_name.values().zip(problems) {
        loaded.diagnostics.extend(diags);
        let display = path.display().to_string();
        if let Some(f) = loaded.files.iter().find(|f| f.file.path() == display) {
            let others: Vec<LocaleFile> = loaded
                .files
                .iter()
                .filter(|o| o.file.path() != display)
                .cloned()
                .collect();
            loaded.diagnostics.extend(audit::audit_with(
                f,
                audit::english(),
                &fallbacks(&f.locale, &others),
            ));
        }
    }
    loaded
}

/// Makes `files` the run-time strings, replacing any installed before. Empty strings and strings
/// whose `%{placeholders}` differ from English are left out, so English shows instead of a
/// broken sentence.
pub fn install(files: &[LocaleFile]) {
    let english = audit::english();
    let mut store = Store::new();
    for f in files {
        let usable = audit::usable_strings(f, english);
        let locale = crate::curriculum::locale_tag::canonical(&f.locale);
        store.entry(locale).or_default().extend(usable);
    }
    if let Ok(mut s) = STORE.write() {
        *s = store;
    }
}

/// Reads and installs the files in `dirs`; returns what was read, for `check` and `translate`.
pub fn load(dirs: &[PathBuf]) -> Loaded {
    let loaded = read_dirs(dirs);
    install(&loaded.files);
    loaded
}
