//! Shared by the tests that look for English outside `locales/en.yml`: the pseudo-locale (each
//! English string with its letters accented, placeholders kept) and the search for plain English
//! words in what a command or a screen shows.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

/// The pseudo-locale's tag: a private region, so no real file can take its place.
pub const PSEUDO: &str = "en-XA";

pub fn accent(c: char) -> char {
    const LOWER: &str = "àƀçđéƒĝĥîĵķĺɱñôƥʠŕšţûʋŵẋýž";
    const UPPER: &str = "ÀƁÇĐÉƑĜĤÎĴĶĹṀÑÔƤǪŔŠŢÛƲŴẊÝŽ";
    match c {
        'a'..='z' => LOWER.chars().nth(c as usize - 'a' as usize).unwrap_or(c),
        'A'..='Z' => UPPER.chars().nth(c as usize - 'A' as usize).unwrap_or(c),
        _ => c,
    }
}

/// Accents every letter outside `%{...}` and `{{...}}`.
pub fn pseudo(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = [rest.find("%{"), rest.find("{{")]
            .into_iter()
            .flatten()
            .min();
        match next {
            Some(i) => {
                out.extend(rest[..i].chars().map(accent));
                let close = if rest[i..].starts_with("%{") {
                    "}"
                } else {
                    "}}"
                };
                let end = rest[i..]
                    .find(close)
                    .map_or(rest.len(), |j| i + j + close.len());
                out.push_str(&rest[i..end]);
                rest = &rest[end..];
            }
            None => {
                out.extend(rest.chars().map(accent));
                rest = "";
            }
        }
    }
    out
}

/// The text of `en-XA.yml`: every English string accented.
pub fn pseudo_yaml() -> String {
    let en = waymark::i18n::audit::english();
    let mut yaml = String::from("_version: 1\n_status: draft\n");
    for e in &en.entries {
        yaml.push_str(&format!(
            "{}: {}\n",
            e.key,
            serde_json::to_string(&pseudo(&e.value)).unwrap()
        ));
    }
    yaml
}

/// Writes `en-XA.yml` with every English string accented; returns its folder.
pub fn pseudo_locale(dir: &Path) -> PathBuf {
    let locales = dir.join("pseudo-locales");
    std::fs::create_dir_all(&locales).unwrap();
    std::fs::write(locales.join(format!("{PSEUDO}.yml")), pseudo_yaml()).unwrap();
    locales
}

/// Words that may appear in plain ASCII: names the user types or reads on the keyboard.
pub fn allowed_words() -> BTreeSet<String> {
    let mut out: BTreeSet<String> = [
        // The program, key caps, and values typed on the command line.
        "waymark",
        "Waymark",
        "Enter",
        "Esc",
        "text",
        "json",
        "csv",
        "dhis2",
        "default",
        "high",
        "contrast",
        "us",
        "uk",
        "draft",
        "reviewed",
        // Words of the curriculum format a diagnostic quotes (values of `kind`, `type`).
        "slide",
        "scenario",
        "question",
        "single",
        "multiple",
        "confidence",
        // Values typed on the command line: formats, help resource names.
        "markdown",
        "html",
        "table",
        "helpline",
        "emergency",
        "tipline",
        // The TOML parser's own detail, quoted after a translated lead-in ("this is not valid
        // TOML: %{detail}"): the toml crate writes it in English. A known limit, not a leak.
        "invalid",
        "type",
        "expected",
        "string",
        "unclosed",
        "basic",
        "array",
        "boolean",
        "number",
        "true",
        "false",
        "integer",
        "float",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // Command names, and the names of their arguments.
    fn walk(c: &clap::Command, out: &mut BTreeSet<String>) {
        out.insert(c.get_name().to_string());
        for a in c.get_arguments() {
            out.insert(a.get_id().to_string());
        }
        for s in c.get_subcommands() {
            walk(s, out);
        }
    }
    walk(&waymark::cli::Cli::command(), &mut out);
    out.insert("help".into());
    out
}

/// Plain English-looking words: ASCII letters only, three or more, not in capitals alone. Lines
/// that quote a file (`  5 | title = ...`) are data.
pub fn english_words(output: &str, data: &BTreeSet<String>) -> BTreeSet<String> {
    let allowed = allowed_words();
    let mut found = BTreeSet::new();
    for line in output.lines() {
        let t = line.trim_start();
        let quoted = t.starts_with('|')
            || t.starts_with("-->")
            || t.split_once('|').is_some_and(|(n, _)| {
                !n.is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
            });
        if quoted {
            continue;
        }
        for token in line.split(|c: char| c.is_whitespace()) {
            let word = token.trim_matches(|c: char| ",.;:!?()\"'«»[]…".contains(c));
            if word.len() < 3 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            if word.chars().all(|c| c.is_ascii_uppercase())
                || allowed.contains(word)
                || data.contains(word)
            {
                continue;
            }
            found.insert(word.to_string());
        }
    }
    found
}
