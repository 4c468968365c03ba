//! Plural forms for counts, which rust-i18n lacks: the Unicode CLDR plural category of a whole
//! number in a language, and the lookup of `key.one` / `key.other` / ... for the current locale.
//! Rules cover whole numbers only (counts of people, answers, files), never decimals.

use std::borrow::Cow;

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Zero,
        Category::One,
        Category::Two,
        Category::Few,
        Category::Many,
        Category::Other,
    ];

    /// The suffix of the locale key: `zero`, `one`, `two`, `few`, `many`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The language subtag, lowercased: `pt-BR` -> `pt`.
fn language(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether `locale` is European Portuguese, whose rule differs from Brazilian (`pt`) for 0.
fn is_pt_pt(locale: &str) -> bool {
    let mut parts = locale.split(['-', '_']);
    parts.next();
    parts.any(|p| p.eq_ignore_ascii_case("PT"))
}

/// The CLDR category of the whole number `n` in `locale` (CLDR 46 integer rules). Languages not
/// listed use the English rule, the most common one.
pub fn category(locale: &str, n: u64) -> Category {
    use Category::*;
    let lang = language(locale);
    let millions = n != 0 && n % 1_000_000 == 0;
    let (m10, m100) = (n % 10, n % 100);
    match lang.as_str() {
        // No plural forms.
        "zh" | "ja" | "ko" | "th" | "vi" | "id" | "ms" | "my" | "lo" | "km" | "yo" => Other,
        "ar" => match n {
            0 => Zero,
            1 => One,
            2 => Two,
            _ if (3..=10).contains(&m100) => Few,
            _ if (11..=99).contains(&m100) => Many,
            _ => Other,
        },
        "fr" => match n {
            0 | 1 => One,
            _ if millions => Many,
            _ => Other,
        },
        "pt" if is_pt_pt(locale) => match n {
            1 => One,
            _ if millions => Many,
            _ => Other,
        },
        "pt" => match n {
            0 | 1 => One,
            _ if millions => Many,
            _ => Other,
        },
        "es" | "it" | "ca" => match n {
            1 => One,
            _ if millions => Many,
            _ => Other,
        },
        // 0 and 1 are singular.
        "hi" | "bn" | "fa" | "gu" | "kn" | "zu" | "am" | "as" => match n {
            0 | 1 => One,
            _ => Other,
        },
        "ru" | "uk" | "be" => match (m10, m100) {
            (1, m) if m != 11 => One,
            (2..=4, m) if !(12..=14).contains(&m) => Few,
            _ => Many,
        },
        "pl" => match (n, m10, m100) {
            (1, _, _) => One,
            (_, 2..=4, m) if !(12..=14).contains(&m) => Few,
            _ => Many,
        },
        "cs" | "sk" => match n {
            1 => One,
            2..=4 => Few,
            _ => Other,
        },
        "he" => match n {
            1 => One,
            2 => Two,
            _ => Other,
        },
        _ => match n {
            1 => One,
            _ => Other,
        },
    }
}

/// The categories a translator writes for `locale`: those a count can fall in, less `many` where
/// it only means whole millions (Spanish, French, Portuguese, Italian, Catalan: `other` serves).
pub fn forms(locale: &str) -> Vec<Category> {
    let lang = language(locale);
    let probe = [0u64, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 111];
    let mut out: Vec<Category> = probe.iter().map(|&n| category(locale, n)).collect();
    if !matches!(lang.as_str(), "es" | "fr" | "pt" | "it" | "ca") {
        out.push(category(locale, 1_000_000));
    }
    out.push(Category::Other);
    out.sort();
    out.dedup();
    out
}

/// `pt-BR` -> [`pt-BR`, `pt`, `en`]: the locales whose strings a lookup may end up using.
pub fn chain(locale: &str) -> Vec<String> {
    let mut out = vec![locale.to_string()];
    let mut current = locale;
    while let Some(i) = current.rfind('-') {
        current = &current[..i];
        out.push(current.to_string());
    }
    if !out.iter().any(|l| l == "en") {
        out.push("en".into());
    }
    out
}

/// The text of `key` for the count `n` in `locale`: `key.<category>` chosen by the rule of the
/// locale whose string is used (so a fallback to English uses the English rule), then
/// `key.other`. `%{count}` and each of `args` are filled in.
pub fn plural_in(locale: &str, key: &str, n: u64, args: &[(&str, String)]) -> String {
    let backend = crate::_rust_i18n_backend();
    let found = chain(locale).into_iter().find_map(|loc| {
        let cat = category(&loc, n);
        backend
            .translate(&loc, &format!("{key}.{}", cat.name()))
            .or_else(|| backend.translate(&loc, &format!("{key}.other")))
            .map(Cow::into_owned)
    });
    // A key without plural forms is used as it is.
    let found = found.or_else(|| {
        chain(locale)
            .into_iter()
            .find_map(|loc| backend.translate(&loc, key).map(Cow::into_owned))
    });
    let Some(text) = found else {
        return format!("{locale}.{key}");
    };
    let mut names: Vec<&str> = vec!["count"];
    let mut values: Vec<String> = vec![n.to_string()];
    for (name, value) in args {
        names.push(name);
        values.push(value.clone());
    }
    rust_i18n::replace_patterns(&text, &names, &values)
}

/// `plural_in` for the current interface locale.
pub fn plural(key: &str, n: u64, args: &[(&str, String)]) -> String {
    plural_in(&rust_i18n::locale(), key, n, args)
}

/// `tn!("run.answers_recorded", total)` or `tn!("key", n, name = value, ...)`: a count in words,
/// with `%{count}` set to the number.
#[macro_export]
macro_rules! tn {
    ($key:expr, $n:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::plural::plural(
            $key,
            u64::try_from($n).unwrap_or(u64::MAX),
            &[$((stringify!($name), ($value).to_string())),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::Category::*;
    use super::*;

    fn cats(locale: &str, ns: &[u64]) -> Vec<Category> {
        ns.iter().map(|&n| category(locale, n)).collect()
    }

    #[test]
    fn english_and_spanish() {
        assert_eq!(cats("en", &[0, 1, 2, 21]), [Other, One, Other, Other]);
        assert_eq!(cats("es", &[0, 1, 2, 1_000_000]), [Other, One, Other, Many]);
    }

    #[test]
    fn french_and_portuguese_count_zero_as_one() {
        assert_eq!(cats("fr", &[0, 1, 2, 2_000_000]), [One, One, Other, Many]);
        assert_eq!(cats("pt", &[0, 1, 2]), [One, One, Other]);
        assert_eq!(cats("pt-BR", &[0, 1, 2]), [One, One, Other]);
        assert_eq!(cats("pt-PT", &[0, 1, 2]), [Other, One, Other]);
    }

    #[test]
    fn arabic_has_six_forms() {
        assert_eq!(
            cats(
                "ar",
                &[0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 1000]
            ),
            [Zero, One, Two, Few, Few, Many, Many, Other, Other, Other, Few, Many, Other]
        );
        assert_eq!(forms("ar"), [Zero, One, Two, Few, Many, Other]);
    }

    #[test]
    fn forms_per_shipped_language() {
        assert_eq!(forms("en"), [One, Other]);
        assert_eq!(forms("es"), [One, Other]);
        assert_eq!(forms("fr"), [One, Other]);
        assert_eq!(forms("pt"), [One, Other]);
        // `other` is always written: it is the form a missing one falls back to.
        assert_eq!(forms("ru"), [One, Few, Many, Other]);
        assert_eq!(forms("ja"), [Other]);
    }

    #[test]
    fn slavic_rules() {
        assert_eq!(
            cats("ru", &[1, 2, 5, 11, 21, 22, 25, 111]),
            [One, Few, Many, Many, One, Few, Many, Many]
        );
        assert_eq!(cats("pl", &[1, 2, 5, 21, 22]), [One, Few, Many, Many, Few]);
    }

    #[test]
    fn fallback_chain() {
        assert_eq!(chain("pt-BR"), ["pt-BR", "pt", "en"]);
        assert_eq!(chain("en"), ["en"]);
        assert_eq!(chain("zh-Hant-TW"), ["zh-Hant-TW", "zh-Hant", "zh", "en"]);
    }

    #[test]
    fn plural_lookup_uses_the_rule_of_the_language_found() {
        // Built-in strings: English and Arabic forms of the same key.
        assert_eq!(
            plural_in("en", "cli.list.errors", 1, &[]),
            "1 problem in curriculum files; run `waymark check` for details"
        );
        assert!(plural_in("en", "cli.list.errors", 0, &[]).starts_with("0 problems"));
        assert_eq!(
            plural_in("en", "run.answers_recorded", 4, &[]),
            "Answers recorded: 4"
        );
        for n in [0, 1, 2, 3, 11, 100] {
            let ar = plural_in("ar", "run.answers_recorded", n, &[]);
            assert!(!ar.contains("answer"), "{n}: {ar}");
        }
        assert_ne!(
            plural_in("ar", "run.answers_recorded", 2, &[]),
            plural_in("ar", "run.answers_recorded", 3, &[])
        );
        // A language without interface strings falls back to English with the English rule.
        assert_eq!(
            plural_in("sw", "cli.list.errors", 1, &[]),
            plural_in("en", "cli.list.errors", 1, &[])
        );
        // A key without forms is used as it is.
        assert_eq!(plural_in("en", "check.and_more", 3, &[]), " and 3 more");
    }

    #[test]
    fn store_messages_agree_with_their_count() {
        let args = |p: &str| [("path", p.to_string()), ("already", "0".to_string())];
        let import = |l: &str, n: u64| plural_in(l, "cli.import.done", n, &args("b.json"));
        assert_eq!(import("en", 1), "b.json: 1 session added, 0 already here");
        assert_eq!(import("en", 2), "b.json: 2 sessions added, 0 already here");
        assert!(import("es", 1).contains("1 sesión añadida"));
        assert!(import("fr", 0).contains("0 séance ajoutée"));
        assert!(import("pt", 5).contains("5 sessões acrescentadas"));
        assert!(import("ar", 2).contains("جلستان"), "{}", import("ar", 2));
        assert!(import("ar", 3).contains("3 جلسات"), "{}", import("ar", 3));
    }
}
