//! BCP 47 language tags as used in file names (`es`, `pt-BR`, `zh-Hant-TW`): a well-formedness
//! check of the common subset (language, script, region, variants), with no registry lookup.

/// Whether `tag` is a well-formed language tag of the form `lang[-Script][-REGION][-variant]*`.
pub fn is_valid(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let Some(language) = parts.next() else {
        return false;
    };
    // Registered languages have 2- or 3-letter subtags; 5-8 letters are reserved by BCP 47 and
    // in a file name mean someone wrote the language out (`english.toml`).
    if !(matches!(language.len(), 2 | 3) && language.bytes().all(|b| b.is_ascii_alphabetic())) {
        return false;
    }
    // 0: script allowed next, 1: region allowed next, 2: only variants.
    let mut stage = 0;
    for part in parts {
        let alpha = part.bytes().all(|b| b.is_ascii_alphabetic());
        let digit = part.bytes().all(|b| b.is_ascii_digit());
        let alnum = part.bytes().all(|b| b.is_ascii_alphanumeric());
        if stage == 0 && part.len() == 4 && alpha {
            stage = 1;
        } else if (stage <= 1 && ((part.len() == 2 && alpha) || (part.len() == 3 && digit)))
            || (alnum
                && ((5..=8).contains(&part.len())
                    || (part.len() == 4 && part.as_bytes()[0].is_ascii_digit())))
        {
            // A region, or a variant.
            stage = 2;
        } else {
            return false;
        }
    }
    true
}

/// The conventional casing: `pt-br` -> `pt-BR`, `zh-hant` -> `zh-Hant`.
pub fn canonical(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_ascii_lowercase()
            } else if part.len() == 4 && part.bytes().all(|b| b.is_ascii_alphabetic()) {
                let mut s = part.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            } else if part.len() == 2 {
                part.to_ascii_uppercase()
            } else {
                part.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_common_tags() {
        for tag in [
            "en",
            "es",
            "pt-BR",
            "zh-Hant-TW",
            "es-419",
            "hi",
            "ar",
            "sr-Latn",
            "de-CH-1996",
            "ast",
        ] {
            assert!(is_valid(tag), "{tag}");
        }
    }

    #[test]
    fn rejects_malformed_tags() {
        for tag in [
            "",
            "e",
            "english-language",
            "pt_BR",
            "pt-",
            "-pt",
            "en-US-",
            "12",
            "en-Latn-Latn",
            "fr.toml",
            "ès",
            "english",
            "espanol",
        ] {
            assert!(!is_valid(tag), "{tag}");
        }
    }

    #[test]
    fn canonical_casing() {
        assert_eq!(canonical("pt-br"), "pt-BR");
        assert_eq!(canonical("ZH-hant-tw"), "zh-Hant-TW");
        assert_eq!(canonical("es-419"), "es-419");
    }

    proptest! {
        #[test]
        fn canonical_keeps_validity(tag in "[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-[a-zA-Z]{2})?") {
            prop_assert!(is_valid(&tag));
            prop_assert!(is_valid(&canonical(&tag)));
            prop_assert!(canonical(&tag).eq_ignore_ascii_case(&tag));
        }

        #[test]
        fn never_panics(tag in "\\PC{0,20}") {
            let _ = is_valid(&tag);
        }
    }
}
