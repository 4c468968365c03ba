//! Picks the language from the flag and the environment: the first one set wins, kept whole
//! (`pt-BR`, `sw`) even without interface strings of its own, since it is also the language of
//! the module content; interface strings fall back per string (`pt-BR` -> `pt` -> English).

/// The inputs of negotiation, gathered once so the rule stays pure and testable.
#[derive(Debug, Clone, Default)]
pub struct LocaleEnv {
    pub flag: Option<String>,
    pub waymark_lang: Option<String>,
    pub lc_all: Option<String>,
    pub lc_messages: Option<String>,
    pub lang: Option<String>,
}

impl LocaleEnv {
    pub fn from_process(flag: Option<String>) -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Self {
            flag,
            waymark_lang: var("WAYMARK_LANG"),
            lc_all: var("LC_ALL"),
            lc_messages: var("LC_MESSAGES"),
            lang: var("LANG"),
        }
    }
}

/// `de_DE.UTF-8@euro` -> `de-DE`; `None` for `C` and `POSIX` (`C.UTF-8` too): the untranslated
/// locale, which is English for the interface.
fn posix_to_tag(value: &str) -> Option<String> {
    let base = value.split(['.', '@']).next()?.trim();
    if base.is_empty() || base == "C" || base == "POSIX" {
        return None;
    }
    Some(base.replace('_', "-"))
}

/// The language asked for: the first source set (an empty variable counts as unset, as in
/// POSIX), as a canonical tag. `None` when nothing is set, when the first one set is `C` or
/// `POSIX` (so `LC_ALL=C` beats `LANG=fr_FR.UTF-8`), or when it is no language tag: then the
/// interface is English and module content is shown in its source language.
pub fn requested(env: &LocaleEnv) -> Option<String> {
    let first = [
        &env.flag,
        &env.waymark_lang,
        &env.lc_all,
        &env.lc_messages,
        &env.lang,
    ]
    .into_iter()
    .flatten()
    .find(|v| !v.trim().is_empty())?;
    let tag = crate::curriculum::locale_tag::canonical(&posix_to_tag(first)?);
    crate::curriculum::locale_tag::is_valid(&tag).then_some(tag)
}

/// The locale to set for the interface and the content: the requested tag, whole, or `en`.
/// rust-i18n then finds each string in `pt-BR`, then `pt`, then English, and modules pick their
/// translation with the same tag.
pub fn negotiate(env: &LocaleEnv) -> String {
    requested(env).unwrap_or_else(|| "en".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(flag: Option<&str>, lang: Option<&str>) -> LocaleEnv {
        LocaleEnv {
            flag: flag.map(Into::into),
            lang: lang.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn flag_beats_environment() {
        assert_eq!(negotiate(&env(Some("es"), Some("fr_FR.UTF-8"))), "es");
    }

    #[test]
    fn posix_locales_are_read() {
        assert_eq!(negotiate(&env(None, Some("fr_FR.UTF-8"))), "fr-FR");
        assert_eq!(negotiate(&env(None, Some("C"))), "en");
        assert_eq!(requested(&env(None, None)), None);
    }

    #[test]
    fn c_and_posix_mean_english_and_win_over_later_variables() {
        for c in ["C", "POSIX", "C.UTF-8"] {
            let e = LocaleEnv {
                lc_all: Some(c.into()),
                lang: Some("fr_FR.UTF-8".into()),
                ..Default::default()
            };
            assert_eq!(negotiate(&e), "en", "{c}");
            assert_eq!(requested(&e), None, "{c}");
            let e = LocaleEnv {
                lc_messages: Some(c.into()),
                lang: Some("fr_FR.UTF-8".into()),
                ..Default::default()
            };
            assert_eq!(negotiate(&e), "en", "{c}");
        }
        // An empty variable is unset: the next one counts.
        let e = LocaleEnv {
            lc_all: Some(String::new()),
            lang: Some("fr_FR.UTF-8".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e), "fr-FR");
        // A variable set to something else before C still wins.
        let e = LocaleEnv {
            waymark_lang: Some("es".into()),
            lc_all: Some("C".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e), "es");
    }

    #[test]
    fn the_tag_is_kept_whole_even_without_interface_strings() {
        // The whole tag is kept: rust-i18n falls back from `pt-BR` to `pt` per string, and a
        // language with only module translations (Swahili) is still the content language.
        assert_eq!(negotiate(&env(Some("pt-BR"), None)), "pt-BR");
        assert_eq!(negotiate(&env(Some("pt_br"), None)), "pt-BR");
        assert_eq!(negotiate(&env(Some("sw"), None)), "sw");
        assert_eq!(negotiate(&env(None, Some("sw_KE.UTF-8"))), "sw-KE");
        assert_eq!(negotiate(&env(Some("not a tag!"), None)), "en");
    }

    #[test]
    fn order_of_environment_variables() {
        let e = LocaleEnv {
            waymark_lang: Some("es".into()),
            lc_all: Some("fr_FR.UTF-8".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e), "es");
        let e = LocaleEnv {
            lc_all: Some("fr_FR.UTF-8".into()),
            lc_messages: Some("es_ES.UTF-8".into()),
            lang: Some("en_US.UTF-8".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e), "fr-FR");
    }
}
