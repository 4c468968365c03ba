//! Interface strings: rust-i18n holds them (`locales/*.yml`, built in); this part picks the
//! language. Negotiation order: `--lang`, `WAYMARK_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`.

pub mod negotiate;

pub use negotiate::{negotiate, LocaleEnv};

/// Sets the interface language for the whole process; unknown tags fall back towards English.
pub fn set(locale: &str) {
    rust_i18n::set_locale(locale);
}
