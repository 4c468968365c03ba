//! Interface strings: rust-i18n holds them (`locales/*.yml`, built in), files added at run time
//! are consulted first (`runtime`), and this part picks the language (`negotiate`, in the order
//! `--lang`, `WAYMARK_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`), counts words (`plural`) and
//! checks locale files against English (`audit`). No terminal, no curriculum rules.

pub mod audit;
pub mod help;
pub mod locale_file;
pub mod negotiate;
pub mod plural;
pub mod runtime;

pub use negotiate::{negotiate, LocaleEnv};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_locales.rs"));
}

/// Where built-in locale files are shown in messages.
pub const BUILTIN_PREFIX: &str = "<built-in>/locales";

/// Sets the interface language for the whole process. A tag without strings of its own falls
/// back per string: `pt-BR` -> `pt` -> `en`.
pub fn set(locale: &str) {
    rust_i18n::set_locale(locale);
}

/// The built-in locale files: (locale, file name, contents).
pub fn builtin_sources() -> impl Iterator<Item = (String, &'static str, &'static [u8])> {
    builtin::BUILTIN_LOCALES
        .iter()
        .filter_map(|(name, bytes)| runtime::locale_of(name).map(|locale| (locale, *name, *bytes)))
}

/// A built-in locale file, parsed (`None` if there is none for `locale`).
pub fn builtin_file(locale: &str) -> Option<locale_file::LocaleFile> {
    let (locale, name, bytes) = builtin_sources().find(|(l, _, _)| l == locale)?;
    let text = std::str::from_utf8(bytes).ok()?;
    locale_file::parse(&locale, &format!("{BUILTIN_PREFIX}/{name}"), text).ok()
}

/// The built-in interface languages, English first.
pub fn builtin_locales() -> Vec<String> {
    let mut out: Vec<String> = builtin_sources().map(|(l, _, _)| l).collect();
    out.sort_by_key(|l| (l != "en", l.clone()));
    out
}

/// Every interface language available now: built in or added at run time.
pub fn available() -> Vec<String> {
    let mut out: Vec<String> = rust_i18n::available_locales!()
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}
