//! Picks the interface locale from the flag and the environment: the first one set whose
//! language has interface strings (`pt-BR` is kept when `pt` exists), else English.

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

/// `de_DE.UTF-8@euro` -> `de-DE`; `C` and `POSIX` mean "no preference".
fn posix_to_tag(value: &str) -> Option<String> {
    let base = value.split(['.', '@']).next()?.trim();
    if base.is_empty() || base == "C" || base == "POSIX" {
        return None;
    }
    Some(base.replace('_', "-"))
}

/// The requested tag (first set source wins), in its usual casing, when it or a shorter form of
/// it (`pt-BR` -> `pt`) has interface strings in `available`; else `en`. The tag is kept whole so
/// that strings fall back one by one (`pt-BR`, then `pt`, then English) and module translations
/// are picked the same way.
pub fn negotiate(env: &LocaleEnv, available: &[&str]) -> String {
    let requested = [
        &env.flag,
        &env.waymark_lang,
        &env.lc_all,
        &env.lc_messages,
        &env.lang,
    ]
    .into_iter()
    .flatten()
    .find_map(|v| posix_to_tag(v));
    let Some(requested) = requested else {
        return "en".into();
    };
    let requested = crate::curriculum::locale_tag::canonical(&requested);
    if !crate::curriculum::locale_tag::is_valid(&requested) {
        return "en".into();
    }
    let has = |tag: &str| available.iter().any(|a| a.eq_ignore_ascii_case(tag));
    let mut tag = requested.as_str();
    loop {
        if has(tag) {
            return requested;
        }
        match tag.rfind('-') {
            Some(i) => tag = &tag[..i],
            None => return "en".into(),
        }
    }
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
        assert_eq!(
            negotiate(&env(Some("es"), Some("fr_FR.UTF-8")), &["en", "es", "fr"]),
            "es"
        );
    }

    #[test]
    fn posix_locales_are_read() {
        assert_eq!(
            negotiate(&env(None, Some("fr_FR.UTF-8")), &["en", "fr"]),
            "fr-FR"
        );
        assert_eq!(negotiate(&env(None, Some("C")), &["en", "fr"]), "en");
    }

    #[test]
    fn region_falls_back_to_language_then_english() {
        // The whole tag is kept: rust-i18n falls back from `pt-BR` to `pt` per string.
        assert_eq!(negotiate(&env(Some("pt-BR"), None), &["en", "pt"]), "pt-BR");
        assert_eq!(negotiate(&env(Some("pt_br"), None), &["en", "pt"]), "pt-BR");
        assert_eq!(
            negotiate(&env(Some("pt-BR"), None), &["en", "pt", "pt-BR"]),
            "pt-BR"
        );
        assert_eq!(negotiate(&env(Some("sw"), None), &["en", "pt"]), "en");
    }

    #[test]
    fn order_of_environment_variables() {
        let e = LocaleEnv {
            waymark_lang: Some("es".into()),
            lc_all: Some("fr_FR.UTF-8".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e, &["en", "es", "fr"]), "es");
        let e = LocaleEnv {
            lc_all: Some("fr_FR.UTF-8".into()),
            lc_messages: Some("es_ES.UTF-8".into()),
            lang: Some("en_US.UTF-8".into()),
            ..Default::default()
        };
        assert_eq!(negotiate(&e, &["en", "es", "fr"]), "fr-FR");
    }
}
