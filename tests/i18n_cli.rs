//! Interface languages and translator tools as a translator meets them, through the real binary:
//! negotiation and per-string fallback, locale files added at run time (good, broken,
//! duplicate keys, wrong placeholders), `translate new` / `update` / `status`, stale strings.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/cli.rs"]
mod cli;
use cli::{run, waymark, waymark_in};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The first line of `--help`'s usage: shows which language the interface speaks.
fn usage_word(cmd: &mut Command) -> String {
    let (code, out, err) = run(cmd.arg("--help"));
    assert_eq!(code, 0, "{out}{err}");
    out.lines()
        .find(|l| l.contains("waymark [") || l.contains("waymark ["))
        .unwrap_or_default()
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn negotiation_follows_flag_then_environment_order() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    assert_eq!(usage_word(&mut waymark(d)), "Usage:");
    assert_eq!(usage_word(waymark(d).arg("--lang").arg("es")), "Uso:");
    assert_eq!(
        usage_word(waymark(d).env("LANG", "fr_FR.UTF-8")),
        "Utilisation"
    );
    // LC_MESSAGES beats LANG; LC_ALL beats both; WAYMARK_LANG beats LC_ALL; --lang beats all.
    assert_eq!(
        usage_word(
            waymark(d)
                .env("LANG", "fr_FR.UTF-8")
                .env("LC_MESSAGES", "pt_BR.UTF-8")
        ),
        "Uso:"
    );
    assert_eq!(
        usage_word(
            waymark(d)
                .env("LC_MESSAGES", "es_ES.UTF-8")
                .env("LC_ALL", "ar_EG.UTF-8")
        ),
        "الاستخدام:"
    );
    assert_eq!(
        usage_word(
            waymark(d)
                .env("LC_ALL", "ar_EG.UTF-8")
                .env("WAYMARK_LANG", "fr")
        ),
        "Utilisation"
    );
    assert_eq!(
        usage_word(waymark(d).env("WAYMARK_LANG", "fr").arg("--lang").arg("en")),
        "Usage:"
    );
    // A language without interface strings: English.
    assert_eq!(usage_word(waymark(d).arg("--lang").arg("sw")), "Usage:");
    // POSIX: `C` (and `POSIX`) is the untranslated locale, English, and the first variable set
    // wins, so LC_ALL=C beats LANG and LC_MESSAGES=C beats LANG.
    assert_eq!(
        usage_word(waymark(d).env("LC_ALL", "C").env("LANG", "fr_FR.UTF-8")),
        "Usage:"
    );
    assert_eq!(
        usage_word(
            waymark(d)
                .env("LC_ALL", "POSIX")
                .env("LC_MESSAGES", "es_ES.UTF-8")
        ),
        "Usage:"
    );
    assert_eq!(
        usage_word(
            waymark(d)
                .env("LC_MESSAGES", "C.UTF-8")
                .env("LANG", "fr_FR.UTF-8")
        ),
        "Usage:"
    );
    // An empty variable counts as unset.
    assert_eq!(
        usage_word(waymark(d).env("LC_ALL", "").env("LANG", "fr_FR.UTF-8")),
        "Utilisation"
    );
}

#[test]
fn regional_file_falls_back_per_string_to_language_then_english() {
    let data = tempfile::tempdir().unwrap();
    let locales = data.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    // pt-BR changes one string; `zz` strings do not exist in pt; everything else is Portuguese.
    std::fs::write(
        locales.join("pt-BR.yml"),
        "cli.help.commands: \"Comandos disponíveis:\"\n",
    )
    .unwrap();
    let (_, out, _) = run(waymark(data.path()).args(["--lang", "pt-BR", "--help"]));
    assert!(out.contains("Comandos disponíveis:"), "{out}");
    assert!(out.contains("Opções:"), "{out}");
    assert!(out.contains("Uso:"), "{out}");
}

#[test]
fn runtime_files_load_without_rebuild_and_a_broken_one_fails_alone() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sw.yml"),
        "_version: 1\n_status: draft\ncli.help.usage: \"Matumizi:\"\ncli.help.options: \"Chaguo:\"\n",
    )
    .unwrap();
    // Unclosed quote on line 3 (the parser only notices it at the start of line 4).
    std::fs::write(
        dir.join("de.yml"),
        "_version: 1\ncli.help.usage: \"Aufruf:\"\ncli.help.options: \"Optionen:\ncli.help.commands: \"Befehle:\"\n",
    )
    .unwrap();
    // The same key twice: line 4.
    std::fs::write(
        dir.join("it.yml"),
        "_version: 1\ncli.help.usage: \"Uso:\"\ncli.help.options: \"Opzioni:\"\ncli.help.usage: \"Utilizzo:\"\n",
    )
    .unwrap();
    let with = |lang: &str| {
        let mut c = waymark(data.path());
        c.arg("--locales")
            .arg(&dir)
            .args(["--lang", lang, "--help"]);
        c
    };
    let (_, out, _) = run(&mut with("sw"));
    assert!(
        out.contains("Matumizi:") && out.contains("Chaguo:"),
        "{out}"
    );
    // The broken files are left out: English, not a crash.
    let (code, out, _) = run(&mut with("de"));
    assert_eq!(code, 0);
    assert!(out.contains("Usage:"), "{out}");
    let (_, out, _) = run(&mut with("it"));
    assert!(out.contains("Usage:"), "{out}");
    // `check` names each broken file with path:line:col.
    let (code, out, _) = run(waymark(data.path())
        .arg("--locales")
        .arg(&dir)
        .arg("check")
        .arg(dir.join("de.yml"))
        .arg(dir.join("it.yml"))
        .arg(dir.join("sw.yml")));
    assert_eq!(code, 1, "{out}");
    // The unclosed quote is shown where it opens, with how to close it.
    assert!(out.contains("error[unclosed-quote]"), "{out}");
    assert!(
        out.contains(&format!("{}:3:19", dir.join("de.yml").display())),
        "{out}"
    );
    assert!(
        out.contains("close the quote at the end of the line"),
        "{out}"
    );
    assert!(out.contains("error[duplicate-key]"), "{out}");
    assert!(
        out.contains(&format!("{}:4:1", dir.join("it.yml").display())),
        "{out}"
    );
    // The good file only misses strings.
    assert!(out.contains("warning[untranslated]"), "{out}");
}

#[test]
fn placeholder_mismatch_is_an_error_and_english_is_shown() {
    let data = tempfile::tempdir().unwrap();
    let locales = data.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    let file = locales.join("sw.yml");
    std::fs::write(
        &file,
        "_version: 1\ncli.error.unknown_command: \"kosa: amri `%{jina}` haijulikani\"\ncli.help.usage: \"Matumizi:\"\n",
    )
    .unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&file));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[placeholder-mismatch]"), "{out}");
    assert!(out.contains("%{name}") && out.contains("%{jina}"), "{out}");
    assert!(out.contains(&format!("{}:2:", file.display())), "{out}");
    // The broken string falls back to English; the good one is used.
    let (code, _, err) = run(waymark(data.path()).args(["--lang", "sw", "frobnicate"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown command `frobnicate`"), "{err}");
    assert!(err.contains("Matumizi:"), "{err}");
    // `translate status` counts the broken string with those shown in English, not as done.
    let rows = ui_status(&mut waymark(data.path()));
    let sw = rows.iter().find(|r| r["lang"] == "sw").unwrap();
    let total = sw["total"].as_u64().unwrap();
    assert_eq!(
        (sw["translated"].as_u64(), sw["missing"].as_u64()),
        (Some(1), Some(total - 1)),
        "{sw}"
    );
    let (code, out, _) = run(waymark(data.path()).args(["translate", "status"]));
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.contains(&file.display().to_string()))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains(&format!(" 1/{total} ")), "{line}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn status_json(data: &Path, curricula: &Path) -> serde_json::Value {
    let (code, out, err) = run(waymark(data).arg("--curricula").arg(curricula).args([
        "translate",
        "status",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn row<'v>(status: &'v serde_json::Value, module: &str, lang: &str) -> &'v serde_json::Value {
    status["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["module"] == module && r["lang"] == lang)
        .unwrap_or_else(|| panic!("no row {module} {lang}: {status}"))
}

#[test]
fn translate_new_then_update_keeps_translations_and_marks_stale() {
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let module_dir = curricula.join("workshop");
    copy_dir(&root().join("tests/fixtures/tui/workshop"), &module_dir);
    std::fs::remove_file(module_dir.join("hi.toml")).unwrap();
    std::fs::remove_file(module_dir.join("ar.toml")).unwrap();
    let translate = |args: &[&str]| {
        let mut c = waymark(data.path());
        c.arg("--curricula")
            .arg(&curricula)
            .arg("translate")
            .args(args);
        run(&mut c)
    };

    let (code, out, err) = translate(&["new", "workshop", "sw"]);
    assert_eq!(code, 0, "{out}{err}");
    let file = module_dir.join("sw.toml");
    assert!(out.contains(&file.display().to_string()), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    // Every text of the module, the English above each, fingerprints filled in.
    assert!(text.contains("status = \"draft\""), "{text}");
    assert!(
        text.contains("# English: Spotting a fake job offer\ntitle = \"\""),
        "{text}"
    );
    assert!(text.contains("[steps.q-fee.choices]"), "{text}");
    assert!(
        text.contains("# English: It is a red flag\nb = \"\""),
        "{text}"
    );
    assert!(text.contains("\"steps.story.prompts.2\" = \""), "{text}");
    let fp = waymark::curriculum::model::fingerprint("Spotting a fake job offer");
    assert!(text.contains(&format!("\"title\" = \"{fp}\"")), "{text}");
    // A second `new` refuses to overwrite.
    let (code, _, err) = translate(&["new", "workshop", "sw"]);
    assert_eq!(code, 1);
    assert!(err.contains("translate update workshop sw"), "{err}");

    // The untouched file loads: nothing translated yet, nothing stale.
    let s = status_json(data.path(), &curricula);
    let r = row(&s, "workshop", "sw");
    assert_eq!(
        (r["translated"].as_u64(), r["stale"].as_u64()),
        (Some(0), Some(0))
    );
    let total = r["total"].as_u64().unwrap();
    assert!(total > 20, "{r}");

    // The translator fills two strings and a whole question.
    let text = text
        .replace(
            "# English: Spotting a fake job offer\ntitle = \"\"",
            "# English: Spotting a fake job offer\ntitle = \"Kutambua kazi bandia\"",
        )
        .replace(
            "# English: Participants aged 14 and up\naudience = \"\"",
            "# English: Participants aged 14 and up\naudience = \"Washiriki wa miaka 14 na zaidi\"",
        )
        .replace("a = \"\"", "a = \"Ni kawaida\"")
        .replace("b = \"\"", "b = \"Ni ishara ya hatari\"")
        .replace("c = \"\"", "c = \"Ni kazi rasmi\"");
    std::fs::write(&file, &text).unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&module_dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sw (draft)"), "{out}");
    let s = status_json(data.path(), &curricula);
    assert_eq!(row(&s, "workshop", "sw")["translated"], 5);

    // The author edits the English title and adds a step.
    let module = std::fs::read_to_string(module_dir.join("module.toml")).unwrap();
    let module = module.replace(
        "title = \"Spotting a fake job offer\"",
        "title = \"Spotting a fake job offer online\"",
    )
        + "\n[[steps]]\nid = \"goodbye\"\nkind = \"slide\"\ntitle = \"Thank you\"\nminutes = 1\n";
    std::fs::write(module_dir.join("module.toml"), module).unwrap();
    let (_, out, _) = run(waymark(data.path()).arg("check").arg(&module_dir));
    assert!(out.contains("warning[stale]"), "{out}");
    assert!(out.contains("`title` was translated"), "{out}");
    let s = status_json(data.path(), &curricula);
    assert_eq!(row(&s, "workshop", "sw")["stale"], 1);

    let (code, out, err) = translate(&["update", "workshop", "sw"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 marked STALE"), "{out}");
    let updated = std::fs::read_to_string(&file).unwrap();
    // Kept, marked, new key added; the old fingerprint stays until the translator checks it.
    assert!(
        updated.contains("title = \"Kutambua kazi bandia\""),
        "{updated}"
    );
    assert!(updated.contains("b = \"Ni ishara ya hatari\""), "{updated}");
    assert!(
        updated.contains("# STALE: the English below changed"),
        "{updated}"
    );
    assert!(
        updated.contains("# English: Thank you\ntitle = \"\""),
        "{updated}"
    );
    let new_fp = waymark::curriculum::model::fingerprint("Spotting a fake job offer online");
    assert!(
        updated.contains(&format!(
            "\"title\" = \"{fp}\"  # stale: after checking, change to \"{new_fp}\""
        )),
        "{updated}"
    );
    let s = status_json(data.path(), &curricula);
    let r = row(&s, "workshop", "sw");
    assert_eq!(
        (r["translated"].as_u64(), r["stale"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(r["total"].as_u64(), Some(total + 1));

    // The translator accepts the title: the fingerprint from the comment clears the warning.
    std::fs::write(
        &file,
        updated.replace(
            &format!("\"title\" = \"{fp}\""),
            &format!("\"title\" = \"{new_fp}\""),
        ),
    )
    .unwrap();
    let (_, out, _) = run(waymark(data.path()).arg("check").arg(&module_dir));
    assert!(!out.contains("warning[stale]"), "{out}");
    // A second update changes nothing that was translated.
    let (code, out, _) = translate(&["update", "workshop", "sw"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 marked STALE"), "{out}");
    let again = std::fs::read_to_string(&file).unwrap();
    assert!(
        again.contains("title = \"Kutambua kazi bandia\""),
        "{again}"
    );
    assert!(!again.contains("# STALE:"), "{again}");
}

#[test]
fn a_built_in_module_gets_its_translation_in_the_data_folder() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, err) =
        run(waymark(data.path()).args(["translate", "new", "warning-signs", "sw"]));
    assert_eq!(code, 0, "{out}{err}");
    let file = data.path().join("curricula/warning-signs/sw.toml");
    assert!(file.is_file(), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("title = \"\"", "title = \"Ishara za hatari\"", 1),
    )
    .unwrap();
    // The overlay is read with the built-in module.
    let (code, out, _) = run(waymark(data.path()).arg("list"));
    assert_eq!(code, 0, "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("warning-signs"))
        .unwrap();
    assert!(line.contains("sw"), "{out}");
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&file));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning[untranslated]"), "{out}");
    // A built-in translation is updated into the data folder.
    let (code, out, err) =
        run(waymark(data.path()).args(["translate", "update", "warning-signs", "es"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(data
        .path()
        .join("curricula/warning-signs/es.toml")
        .is_file());
    // Unknown modules and bad tags are usage errors.
    let (code, _, err) = run(waymark(data.path()).args(["translate", "new", "warning-sign", "sw"]));
    assert_eq!(code, 2);
    assert!(err.contains("warning-signs"), "{err}");
    let (code, _, _) =
        run(waymark(data.path()).args(["translate", "new", "warning-signs", "swahili"]));
    assert_eq!(code, 2);
}

#[test]
fn interface_translation_round_trip() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, err) = run(waymark(data.path()).args(["translate", "new", "--ui", "sw"]));
    assert_eq!(code, 0, "{out}{err}");
    let file = data.path().join("locales/sw.yml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("_status: draft"), "{text}");
    assert!(
        text.contains("# English: Usage:\ncli.help.usage: \"\""),
        "{text}"
    );
    // Plural groups get the forms of the language, with each English form above.
    assert!(
        text.contains("# English (one): Answers recorded: %{count}"),
        "{text}"
    );
    assert!(
        text.contains("run.answers_recorded.one: \"\"\nrun.answers_recorded.other: \"\""),
        "{text}"
    );
    let en = waymark::i18n::audit::english();
    for e in &en.entries {
        assert!(
            text.contains(&format!("\n{}: ", e.key)),
            "missing {}",
            e.key
        );
    }
    // An Arabic file gets the six forms.
    let (code, _, _) = run(waymark(data.path()).args(["translate", "new", "--ui", "ar-EG"]));
    assert_eq!(code, 0);
    let ar = std::fs::read_to_string(data.path().join("locales/ar-EG.yml")).unwrap();
    for form in ["zero", "one", "two", "few", "many", "other"] {
        assert!(
            ar.contains(&format!("run.answers_recorded.{form}: ")),
            "{form}"
        );
    }
    // Translate one string, see it, update, keep it.
    std::fs::write(
        &file,
        text.replace("cli.help.usage: \"\"", "cli.help.usage: \"Matumizi:\""),
    )
    .unwrap();
    assert_eq!(
        usage_word(waymark(data.path()).args(["--lang", "sw"])),
        "Matumizi:"
    );
    let (code, out, _) = run(waymark(data.path()).args(["translate", "update", "--ui", "sw"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 translation kept"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("cli.help.usage: \"Matumizi:\""), "{text}");
    // Status shows it, with the built-in languages.
    let (code, out, _) =
        run(waymark(data.path()).args(["translate", "status", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ui = v["interface"].as_array().unwrap();
    let sw = ui.iter().find(|r| r["lang"] == "sw").unwrap();
    assert_eq!(sw["translated"], 1);
    assert_eq!(sw["status"], "draft");
    for lang in ["en", "es", "fr", "pt", "ar"] {
        let r = ui.iter().find(|r| r["lang"] == lang).unwrap();
        assert_eq!(r["missing"], 0, "{lang}: {r}");
    }
    // The text table too.
    let (code, out, _) = run(waymark(data.path()).args(["translate", "status"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Interface") && out.contains("Modules"),
        "{out}"
    );
    assert!(out.contains("warning-signs"), "{out}");
}

/// How many times `needle` is in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn translations_of_removed_module_texts_survive_every_later_update() {
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let module_dir = curricula.join("workshop");
    copy_dir(&root().join("tests/fixtures/tui/workshop"), &module_dir);
    std::fs::remove_file(module_dir.join("hi.toml")).unwrap();
    std::fs::remove_file(module_dir.join("ar.toml")).unwrap();
    let translate = |lang: &str, args: &[&str]| {
        let mut c = waymark(data.path());
        c.args(["--lang", lang])
            .arg("--curricula")
            .arg(&curricula)
            .arg("translate")
            .args(args);
        let (code, out, err) = run(&mut c);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        out
    };
    translate("en", &["new", "workshop", "sw"]);
    let file = module_dir.join("sw.toml");

    // The translator translates the title, the welcome slide (several lines) and the second
    // prompt of the story.
    let body = "Leo tunaangalia nafasi za kazi.\n\n- Mshahara mkubwa mno\n";
    let prompt = "Ana angeweza kuangalia nini?";
    let empty_prompt = "  # 2. What could Ana check before she decides?\n  \"\",";
    let filled_prompt = format!("  # 2. What could Ana check before she decides?\n  \"{prompt}\",");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(empty_prompt), "{text}");
    let text = text
        .replacen("title = \"\"", "title = \"Kutambua kazi bandia\"", 1)
        .replacen(
            "body = \"\"\"\n\"\"\"",
            &format!("body = \"\"\"\n{body}\"\"\""),
            1,
        )
        .replace(empty_prompt, &filled_prompt);
    std::fs::write(&file, &text).unwrap();

    // The author removes the welcome slide and the second prompt.
    let original = std::fs::read_to_string(module_dir.join("module.toml")).unwrap();
    let start = original.find("[[steps]]\nid = \"welcome\"").unwrap();
    let end = original.find("[[steps]]\nid = \"story\"").unwrap();
    let two_prompts =
        "prompts = [\"Which red flags do you notice?\", \"What could Ana check before she decides?\"]";
    let one_prompt = "prompts = [\"Which red flags do you notice?\"]";
    assert!(original.contains(two_prompts));
    let without_welcome = format!("{}{}", &original[..start], &original[end..]);
    std::fs::write(
        module_dir.join("module.toml"),
        without_welcome.replace(two_prompts, one_prompt),
    )
    .unwrap();

    let out = translate("en", &["update", "workshop", "sw"]);
    assert!(
        out.contains("2 translations of texts the English no longer has"),
        "{out}"
    );
    let first = std::fs::read_to_string(&file).unwrap();
    let note = "# No longer in the English, kept here so that nothing translated is lost.";
    assert_eq!(count(&first, note), 1, "{first}");
    assert!(
        first.contains(
            "# steps.welcome.body = \"\"\"\n#   Leo tunaangalia nafasi za kazi.\n#   \n#   - Mshahara mkubwa mno\n#   \"\"\"\n"
        ),
        "{first}"
    );
    assert!(
        first.contains(&format!("# steps.story.prompts.2 = \"{prompt}\"\n")),
        "{first}"
    );
    assert!(
        first.contains("title = \"Kutambua kazi bandia\""),
        "{first}"
    );

    // A second and a third update keep them: the file does not change.
    for n in 2..=3 {
        let out = translate("en", &["update", "workshop", "sw"]);
        assert!(
            out.contains("2 translations of texts the English no longer has"),
            "update {n}: {out}"
        );
        let again = std::fs::read_to_string(&file).unwrap();
        assert_eq!(again, first, "update {n}");
    }
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&module_dir));
    assert_eq!(code, 0, "{out}");

    // Updated in Spanish, the note is written once in Spanish; the translations stay, once.
    translate("es", &["update", "workshop", "sw"]);
    let es = std::fs::read_to_string(&file).unwrap();
    assert_eq!(count(&es, "# Ya no está en el inglés"), 1, "{es}");
    assert_eq!(count(&es, note), 0, "{es}");
    assert_eq!(count(&es, "Leo tunaangalia nafasi za kazi."), 1, "{es}");
    assert_eq!(count(&es, prompt), 1, "{es}");

    // The author brings the second prompt back: the old translation stays a comment while the
    // prompt is untranslated, and is not repeated once the translator has filled it in again.
    std::fs::write(module_dir.join("module.toml"), &without_welcome).unwrap();
    let out = translate("en", &["update", "workshop", "sw"]);
    assert!(
        out.contains("2 translations of texts the English no longer has"),
        "{out}"
    );
    let back = std::fs::read_to_string(&file).unwrap();
    assert!(back.contains(empty_prompt), "{back}");
    assert_eq!(count(&back, prompt), 1, "{back}");
    std::fs::write(&file, back.replace(empty_prompt, &filled_prompt)).unwrap();
    let out = translate("en", &["update", "workshop", "sw"]);
    assert!(
        out.contains("1 translation of a text the English no longer has"),
        "{out}"
    );
    let filled = std::fs::read_to_string(&file).unwrap();
    assert!(filled.contains(&filled_prompt), "{filled}");
    assert_eq!(count(&filled, prompt), 1, "{filled}");
    assert!(!filled.contains("# steps.story.prompts.2"), "{filled}");
    assert_eq!(
        count(&filled, "Leo tunaangalia nafasi za kazi."),
        1,
        "{filled}"
    );
    assert_eq!(count(&filled, note), 1, "{filled}");
}

#[test]
fn translations_of_removed_interface_keys_survive_every_later_update() {
    let data = tempfile::tempdir().unwrap();
    let update = || {
        let (code, out, err) =
            run(waymark(data.path()).args(["translate", "update", "--ui", "sw"]));
        assert_eq!(code, 0, "{out}{err}");
        out
    };
    let (code, out, err) = run(waymark(data.path()).args(["translate", "new", "--ui", "sw"]));
    assert_eq!(code, 0, "{out}{err}");
    let file = data.path().join("locales/sw.yml");
    // One string translated, and one whose key the English no longer has.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("cli.help.usage: \"\"", "cli.help.usage: \"Matumizi:\"")
        + "zz.removed.string: \"Maandishi ya zamani\"\n";
    std::fs::write(&file, text).unwrap();

    let out = update();
    assert!(
        out.contains("1 translation of a text the English no longer has"),
        "{out}"
    );
    let first = std::fs::read_to_string(&file).unwrap();
    let kept = "# zz.removed.string: \"Maandishi ya zamani\"\n";
    assert_eq!(count(&first, kept), 1, "{first}");
    assert_eq!(count(&first, "Maandishi ya zamani"), 1, "{first}");
    let note = "# No longer in the English, kept here so that nothing translated is lost.";
    assert_eq!(count(&first, note), 1, "{first}");
    for n in 2..=3 {
        let out = update();
        assert!(
            out.contains("1 translation of a text the English no longer has"),
            "update {n}: {out}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), first, "update {n}");
    }

    // Kept translations of keys the English has again: dropped where the key is translated,
    // kept where it is still empty.
    std::fs::write(
        &file,
        first.replace(
            kept,
            &format!(
                "{kept}# cli.help.usage: \"Matumizi ya zamani:\"\n# cli.help.options: \"Chaguo:\"\n"
            ),
        ),
    )
    .unwrap();
    let out = update();
    assert!(
        out.contains("2 translations of texts the English no longer has"),
        "{out}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("Matumizi ya zamani:"), "{text}");
    assert_eq!(count(&text, "cli.help.usage: \"Matumizi:\"\n"), 1, "{text}");
    assert_eq!(
        count(&text, "# cli.help.options: \"Chaguo:\"\n"),
        1,
        "{text}"
    );
    assert_eq!(count(&text, kept), 1, "{text}");
    assert_eq!(count(&text, note), 1, "{text}");
}

#[test]
fn clap_usage_errors_speak_the_interface_language() {
    let data = tempfile::tempdir().unwrap();
    let (code, _, err) =
        run(waymark(data.path()).args(["--lang", "fr", "check", "--format", "xml"]));
    assert_eq!(code, 2);
    assert!(err.contains("n'est pas une valeur valide"), "{err}");
    assert!(err.contains("text, json"), "{err}");
    let (code, out, _) = run(waymark(data.path()).args(["--lang", "es", "help", "translate"]));
    assert_eq!(code, 0);
    assert!(out.contains("Herramientas para traducir"), "{out}");
}

#[test]
fn shipped_languages_are_complete_and_marked_without_native_review() {
    // Compared with the final en.yml: every key, the same placeholders, every plural form the
    // language uses, nothing stale; and `_status: draft`, since no native speaker reviewed them.
    let en = waymark::i18n::audit::english();
    assert_eq!(
        waymark::i18n::builtin_locales(),
        ["en", "ar", "es", "fr", "pt"]
    );
    for lang in ["es", "fr", "pt", "ar"] {
        let file = waymark::i18n::builtin_file(lang).unwrap_or_else(|| panic!("{lang}.yml"));
        let problems = waymark::i18n::audit::audit(&file, en);
        assert!(
            problems.is_empty(),
            "{lang}: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        let counts = waymark::i18n::audit::counts(&file, en);
        assert_eq!(counts.missing, 0, "{lang}");
        assert_eq!(counts.translated, counts.total, "{lang}");
        assert!(
            file.entries.iter().all(|e| !e.value.trim().is_empty()),
            "{lang}"
        );
        assert_eq!(
            file.status.as_ref().map(|(s, _)| s.as_str()),
            Some("draft"),
            "{lang}"
        );
        // Every string records the English it was made from.
        for u in waymark::i18n::audit::units(en) {
            assert!(file.fingerprints.contains_key(&u.key), "{lang}: {}", u.key);
        }
    }
}

/// A Swahili translation of the screen-test module: the usual case of a language with module
/// translations but no interface file.
fn swahili_workshop(dir: &Path) -> PathBuf {
    let curricula = dir.join("mine");
    let module_dir = curricula.join("workshop");
    copy_dir(&root().join("tests/fixtures/tui/workshop"), &module_dir);
    std::fs::write(
        module_dir.join("sw.toml"),
        "status = \"draft\"\ntitle = \"Kutambua ofa ya kazi bandia\"\n\n[steps.welcome]\ntitle = \"Ofa za kazi bandia\"\n",
    )
    .unwrap();
    curricula
}

#[test]
fn handout_speaks_the_negotiated_language_like_run_and_preview() {
    let data = tempfile::tempdir().unwrap();
    let curricula = swahili_workshop(data.path());
    let handout = |cmd: &mut Command| {
        let (code, out, err) = run(cmd
            .arg("--curricula")
            .arg(&curricula)
            .args(["handout", "workshop"]));
        assert_eq!(code, 0, "{out}{err}");
        out
    };
    let sw = "# Kutambua ofa ya kazi bandia";
    let en = "# Spotting a fake job offer";
    // The flag and each variable, in the order of negotiation.
    assert!(handout(waymark(data.path()).args(["--lang", "sw"])).starts_with(sw));
    assert!(handout(waymark(data.path()).env("WAYMARK_LANG", "sw")).starts_with(sw));
    assert!(handout(waymark(data.path()).env("LANG", "sw_KE.UTF-8")).starts_with(sw));
    assert!(handout(
        waymark(data.path())
            .env("LC_MESSAGES", "sw_TZ.UTF-8")
            .env("LANG", "fr_FR.UTF-8")
    )
    .starts_with(sw));
    // LC_ALL=C is English (untranslated), whatever LANG says; nothing set: the source text.
    assert!(handout(
        waymark(data.path())
            .env("LC_ALL", "C")
            .env("LANG", "sw_KE.UTF-8")
    )
    .starts_with(en));
    assert!(handout(&mut waymark(data.path())).starts_with(en));
}

#[test]
fn a_broken_runtime_file_is_warned_about_once_on_every_command() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pt-BR.yml");
    std::fs::write(&file, "_status: draft\ncli.about: \"x\n  y: [\n").unwrap();
    let place = format!("{}:2:12", file.display());
    let with = |args: &[&str]| {
        let mut c = waymark(data.path());
        c.arg("--locales").arg(&dir).args(args);
        run(&mut c)
    };
    for args in [
        &["--lang", "pt-BR", "--help"][..],
        &["--lang", "pt-BR", "list"],
        &["list"],
        &["help", "check"],
        &["frobnicate"],
    ] {
        let (_, _, err) = with(args);
        // Where, what, how to fix, and where to learn more; once.
        assert_eq!(err.matches(&place).count(), 1, "{args:?}: {err}");
        assert!(err.contains("`cli.about`"), "{args:?}: {err}");
        assert!(err.contains("waymark check"), "{args:?}: {err}");
        if !args.contains(&"pt-BR") {
            assert!(
                err.contains(&format!("warning: {place}")),
                "{args:?}: {err}"
            );
            assert!(err.contains("has no closing quote"), "{args:?}: {err}");
            assert!(err.contains("help: close the quote"), "{args:?}: {err}");
            assert!(
                err.contains("not used until it is fixed"),
                "{args:?}: {err}"
            );
        }
    }
    // The help still comes, in Portuguese from `pt`.
    let (code, out, _) = with(&["--lang", "pt-BR", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Uso:"), "{out}");
    // `check` reports it itself, on stdout; no second copy on stderr.
    let (code, out, err) = with(&["check"]);
    assert_eq!(code, 1);
    assert_eq!(out.matches(&place).count(), 1, "{out}");
    assert!(!err.contains(&place), "{err}");
    // A string with wrong placeholders is one string left out, not the file.
    std::fs::write(
        &file,
        "_status: draft\ncli.error.unknown_command: \"erro: comando `%{nome}`\"\n",
    )
    .unwrap();
    let (_, _, err) = with(&["frobnicate"]);
    assert_eq!(
        err.matches(&format!("{}:2:28", file.display())).count(),
        1,
        "{err}"
    );
    assert!(err.contains("the `pt` text is shown instead"), "{err}");
    assert!(!err.contains("not used until it is fixed"), "{err}");
    // ... and the `pt` text is indeed what shows.
    let (_, _, err) = with(&["--lang", "pt-BR", "frobnicate"]);
    assert!(err.contains("comando desconhecido `frobnicate`"), "{err}");
}

#[test]
fn a_badly_named_file_is_shown_with_its_path_then_the_fix() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Not_A_Tag.yml");
    std::fs::write(&file, "cli.about: \"x\"\n").unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("--locales").arg(&dir).arg("check"));
    assert_eq!(code, 1, "{out}");
    let at = out.find("error[invalid-locale]").expect("the diagnostic");
    let block: Vec<&str> = out[at..].lines().take(3).collect();
    assert!(
        block[0].contains("`Not_A_Tag.yml` is not a language tag"),
        "{out}"
    );
    assert_eq!(block[1].trim(), format!("--> {}", file.display()), "{out}");
    assert!(block[2].contains("help: name locale files after"), "{out}");
    assert!(!out.contains("= -->"), "{out}");
}

/// The interface rows of `translate status --format json`.
fn ui_status(cmd: &mut Command) -> Vec<serde_json::Value> {
    let (code, out, err) = run(cmd.args(["translate", "status", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["interface"].as_array().unwrap().clone()
}

#[test]
fn a_regional_file_inherits_from_its_language_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    let en = waymark::i18n::audit::english();
    let pt = waymark::i18n::builtin_file("pt").unwrap();
    // What `pt` itself lacks shows in English; everything else a `pt-BR` file leaves out is `pt`.
    let pt_missing = waymark::i18n::audit::counts(&pt, en).missing;
    let total = waymark::i18n::audit::units(en).len();

    // `translate new --ui pt-BR`: a file to fill in only where Brazil says it differently.
    let (code, out, err) = run(waymark(data.path()).args(["translate", "new", "--ui", "pt-BR"]));
    assert_eq!(code, 0, "{out}{err}");
    let file = data.path().join("locales/pt-BR.yml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        out.contains(&format!(
            "{} strings left empty show the pt text; fill in only those that pt-BR says differently",
            total - pt_missing
        )),
        "{out}"
    );
    assert!(out.contains(&format!("{pt_missing} string")), "{out}");
    assert!(
        !out.contains(&format!("{total} strings to translate")),
        "{out}"
    );
    assert!(
        text.contains("Where pt-BR says a string as pt does, leave it empty"),
        "{text}"
    );
    let header: String = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(
        !header.contains("the screen then shows the English"),
        "{header}"
    );
    // The `pt` text is above each string, under the English.
    assert!(
        text.contains("# English: Usage:\n# pt: Uso:\ncli.help.usage: \"\""),
        "{text}"
    );

    // Brazil says one string differently.
    std::fs::write(
        &file,
        text.replace(
            "cli.help.commands: \"\"",
            "cli.help.commands: \"Comandos disponíveis:\"",
        ),
    )
    .unwrap();
    let (_, out, _) = run(waymark(data.path()).args(["--lang", "pt-BR", "--help"]));
    assert!(
        out.contains("Comandos disponíveis:") && out.contains("Uso:"),
        "{out}"
    );

    // `check`: a note naming `pt`, not a warning that the strings show in English.
    let (_, out, _) = run(waymark(data.path()).arg("check"));
    let note = format!(
        "note[inherited]: {} strings are not in this file and come from `pt`",
        total - pt_missing - 1
    );
    assert!(out.contains(&note), "{out}");
    let english = format!("{} strings are not translated into `pt-BR`", total - 1);
    assert!(!out.contains(&english), "{out}");
    if pt_missing > 0 {
        // Only what `pt` lacks too really shows in English.
        assert!(
            out.contains(&format!("{pt_missing} string"))
                && out.contains("not translated into `pt-BR`"),
            "{out}"
        );
    }
    // The same when the file is named on the command line.
    let (_, out, _) = run(waymark(data.path()).arg("check").arg(&file));
    assert!(out.contains(&note), "{out}");

    // `translate status`: inherited counted apart from missing, in JSON and in the table.
    let rows = ui_status(&mut waymark(data.path()));
    let r = rows.iter().find(|r| r["lang"] == "pt-BR").unwrap();
    assert_eq!(r["translated"], 1, "{r}");
    assert_eq!(
        r["inherited"].as_u64(),
        Some((total - pt_missing - 1) as u64),
        "{r}"
    );
    assert_eq!(r["missing"].as_u64(), Some(pt_missing as u64), "{r}");
    let (_, out, _) = run(waymark(data.path()).args(["translate", "status"]));
    assert!(out.contains("Inherited"), "{out}");
    let line = out.lines().find(|l| l.starts_with("pt-BR")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[1], format!("1/{total}"), "{line}");
    assert_eq!(cells[2], pt_missing.to_string(), "{line}");
    assert_eq!(cells[3], (total - pt_missing - 1).to_string(), "{line}");

    // `update` keeps the one string and still writes the rest empty with the `pt` text.
    let (code, out, _) = run(waymark(data.path()).args(["translate", "update", "--ui", "pt-BR"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 translation kept"), "{out}");
    assert!(out.contains("show the pt text"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("cli.help.commands: \"Comandos disponíveis:\""),
        "{text}"
    );
    assert!(text.contains("# pt: Uso:\ncli.help.usage: \"\""), "{text}");

    // A run-time `pt.yml` beside it is what pt-BR inherits first.
    std::fs::write(
        data.path().join("locales/pt.yml"),
        "_status: draft\ncli.help.usage: \"Utilização:\"\n",
    )
    .unwrap();
    let (_, out, _) = run(waymark(data.path()).args(["--lang", "pt-BR", "--help"]));
    assert!(out.contains("Utilização:"), "{out}");
    let (_, out, _) = run(waymark(data.path()).arg("check"));
    assert!(
        out.contains("note[inherited]: 1 string is not in this file and comes from `pt`"),
        "{out}"
    );
}

#[test]
fn a_wrong_placeholder_in_a_regional_file_names_the_language_shown_instead() {
    let data = tempfile::tempdir().unwrap();
    let locales = data.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    let file = locales.join("pt-BR.yml");
    std::fs::write(
        &file,
        "_status: draft\ncli.error.unknown_command: \"erro: comando `%{nome}`\"\n",
    )
    .unwrap();
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&file));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[placeholder-mismatch]"), "{out}");
    assert!(out.contains("the `pt` text is shown instead"), "{out}");
    assert!(!out.contains("the English text is shown instead"), "{out}");
}

#[test]
fn module_translation_files_open_with_the_schema_line() {
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let module_dir = curricula.join("workshop");
    copy_dir(&root().join("tests/fixtures/tui/workshop"), &module_dir);
    let translate = |args: &[&str]| {
        let mut c = waymark(data.path());
        c.arg("--curricula")
            .arg(&curricula)
            .arg("translate")
            .args(args);
        run(&mut c)
    };
    let directive = "#:schema ../schema/translation.schema.json\n";
    let (code, out, err) = translate(&["new", "workshop", "sw"]);
    assert_eq!(code, 0, "{out}{err}");
    let file = module_dir.join("sw.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with(directive), "{text}");
    assert_eq!(count(&text, "#:schema"), 1, "{text}");
    // It points at a schema that is there, as after `waymark new`.
    assert!(curricula.join("schema/translation.schema.json").is_file());
    assert!(out.contains("translation.schema.json"), "{out}");
    // `update` keeps it once, and the file still loads.
    let (code, out, _) = translate(&["update", "workshop", "sw"]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with(directive), "{text}");
    assert_eq!(count(&text, "#:schema"), 1, "{text}");
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&module_dir));
    assert_eq!(code, 0, "{out}");
    // A file made before gets it on update; one pointing elsewhere keeps its own.
    let hi = module_dir.join("hi.toml");
    assert!(!std::fs::read_to_string(&hi).unwrap().contains("#:schema"));
    let (code, _, _) = translate(&["update", "workshop", "hi"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&hi).unwrap();
    assert!(text.starts_with(directive), "{text}");
    assert!(text.contains("# Hindi, for the screen tests"), "{text}");
    let own = "#:schema https://example.org/translation.schema.json";
    std::fs::write(&hi, format!("{own}\n{}", text.replacen(directive, "", 1))).unwrap();
    let (code, _, _) = translate(&["update", "workshop", "hi"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&hi).unwrap();
    assert!(text.starts_with(&format!("{own}\n")), "{text}");
    assert_eq!(count(&text, "#:schema"), 1, "{text}");
}

/// A copy of the built-in module `id` in `curricula/<id>`, with `edit` applied to the file
/// `name`; returns the module folder.
fn builtin_copy(curricula: &Path, id: &str, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = curricula.join(id);
    copy_dir(&root().join("curricula").join(id), &dir);
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    std::fs::write(dir.join(name), edit(&text)).unwrap();
    dir
}

/// `title = "..."` with its closing quote removed, and the line it is on (1-based).
fn unclose_title(text: &str) -> (String, usize) {
    let at = text.find("\ntitle = \"").unwrap() + 1;
    let end = at + text[at..].find('\n').unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let broken = format!("{}{}", &text[..end - 1], &text[end..]);
    (broken, line)
}

#[test]
fn a_broken_copy_of_a_module_is_shown_not_passed_over() {
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let line = std::cell::Cell::new(0);
    let dir = builtin_copy(&curricula, "rights", "module.toml", |t| {
        let (broken, l) = unclose_title(t);
        line.set(l);
        broken
    });
    let module_file = dir.join("module.toml");
    let place = format!("{}:{}:", module_file.display(), line.get());
    let es_before = std::fs::read_to_string(dir.join("es.toml")).unwrap();
    let with = |args: &[&str]| {
        let mut c = waymark(data.path());
        c.arg("--curricula").arg(&curricula).args(args);
        run(&mut c)
    };

    // Status lists what is in use (the built-in copy) and says on stderr why, with the place.
    let (code, out, err) = with(&["translate", "status"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("<built-in>/rights"), "{out}");
    assert!(err.contains(&place), "{err}");
    assert!(err.contains("error[syntax]"), "{err}");
    assert!(err.contains("note[kept-earlier]"), "{err}");
    assert!(
        err.contains("<built-in>/rights/module.toml stays in use"),
        "{err}"
    );
    let (code, out, err) = with(&["translate", "status", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&out).is_ok(),
        "{out}"
    );
    assert!(err.contains(&place), "{err}");

    // `update` and `new` would work from the built-in copy: they refuse and write nothing.
    for args in [
        &["translate", "update", "rights", "es"][..],
        &["translate", "new", "rights", "sw"][..],
    ] {
        let (code, out, err) = with(args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert!(err.contains(&place), "{args:?}: {err}");
        assert!(err.contains("so nothing was written"), "{args:?}: {err}");
        assert!(err.contains(&module_file.display().to_string()), "{err}");
    }
    assert!(!data.path().join("curricula").exists());
    assert!(!dir.join("sw.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("es.toml")).unwrap(),
        es_before
    );

    // Fixed, the copy is the one in use and the commands work on it.
    let text = std::fs::read_to_string(&module_file).unwrap();
    let fixed: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line.get() {
                format!("{l}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&module_file, fixed).unwrap();
    let (code, out, err) = with(&["translate", "update", "rights", "es"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&dir.join("es.toml").display().to_string()),
        "{out}"
    );
    let (code, _, err) = with(&["translate", "status"]);
    assert_eq!(code, 0);
    assert!(!err.contains("kept-earlier"), "{err}");
}

#[test]
fn a_broken_translation_given_with_curricula_is_not_passed_over() {
    // A folder with translations only adds them to the built-in module of that name.
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let overlay = curricula.join("rights");
    std::fs::create_dir_all(&overlay).unwrap();
    let es = root().join("curricula/rights/es.toml");
    let good = std::fs::read_to_string(&es).unwrap();
    let (broken, line) = unclose_title(&good);
    std::fs::write(overlay.join("es.toml"), &broken).unwrap();
    let with = |args: &[&str]| {
        let mut c = waymark(data.path());
        c.arg("--curricula").arg(&curricula).args(args);
        run(&mut c)
    };
    let place = format!("{}:{line}:", overlay.join("es.toml").display());
    let (code, out, err) = with(&["translate", "update", "rights", "es"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(&place), "{err}");
    assert!(!data.path().join("curricula").exists());
    assert_eq!(
        std::fs::read_to_string(overlay.join("es.toml")).unwrap(),
        broken
    );
    let (_, _, err) = with(&["translate", "status"]);
    assert!(err.contains(&place), "{err}");

    // Once it loads, `update` brings that file up to date, not a new one in the data folder.
    std::fs::write(overlay.join("es.toml"), &good).unwrap();
    let (code, out, err) = with(&["translate", "update", "rights", "es"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&overlay.join("es.toml").display().to_string()),
        "{out}"
    );
    assert!(!data.path().join("curricula").exists());
}

#[cfg(unix)]
#[test]
fn translations_written_first_keep_the_data_folder_private() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (code, out, err) =
        run(waymark_in(&data, home.path()).args(["translate", "new", "rights", "sw"]));
    assert_eq!(code, 0, "{out}{err}");
    for dir in [
        data.clone(),
        data.join("curricula"),
        data.join("curricula/rights"),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    let other = home.path().join("other");
    let (code, out, err) =
        run(waymark_in(&other, home.path()).args(["translate", "new", "--ui", "sw"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(mode(&other), 0o700);
    assert_eq!(mode(&other.join("locales")), 0o700);
}

#[test]
fn a_translation_without_a_fingerprint_is_stale_until_checked() {
    let data = tempfile::tempdir().unwrap();
    let curricula = data.path().join("mine");
    let dir = builtin_copy(&curricula, "rights", "es.toml", |t| {
        let kept: Vec<&str> = t
            .lines()
            .filter(|l| !l.starts_with("\"steps.welcome.body\" = "))
            .collect();
        assert_eq!(kept.len() + 1, t.lines().count());
        kept.join("\n") + "\n"
    });
    let es = dir.join("es.toml");
    let text = std::fs::read_to_string(&es).unwrap();
    let body_line = text.lines().position(|l| l.starts_with("body = ")).unwrap() + 1;
    assert!(text.lines().take(body_line).any(|l| l == "[steps.welcome]"));

    // `check` names the text and what to do.
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&dir));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "warning[translation-no-fingerprint]: `steps.welcome.body` has no fingerprint"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}:{body_line}:1", es.display())),
        "{out}"
    );
    assert!(
        out.contains("waymark translate update rights es` to record the current source text, then check the translation"),
        "{out}"
    );
    assert_eq!(
        out.matches("translation-no-fingerprint").count(),
        1,
        "{out}"
    );

    // Status counts it stale, in both formats.
    let s = status_json(data.path(), &curricula);
    assert_eq!(row(&s, "rights", "es")["stale"], 1, "{s}");
    let (code, out, _) = run(waymark(data.path())
        .arg("--curricula")
        .arg(&curricula)
        .args(["translate", "status"]));
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.contains(&es.display().to_string()))
        .unwrap_or_else(|| panic!("{out}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&cells[..2], ["rights", "es"], "{line}");
    assert_eq!(cells[4], "1", "stale column: {line}");

    // `update` records the current English for it, and says the translation must be checked.
    let (code, out, err) = run(waymark(data.path())
        .arg("--curricula")
        .arg(&curricula)
        .args(["translate", "update", "rights", "es"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 translation had no fingerprint"), "{out}");
    assert!(out.contains("check that it matches"), "{out}");
    assert!(std::fs::read_to_string(&es)
        .unwrap()
        .contains("\"steps.welcome.body\" = "));
    let s = status_json(data.path(), &curricula);
    assert_eq!(row(&s, "rights", "es")["stale"], 0, "{s}");
    let (_, out, _) = run(waymark(data.path()).arg("check").arg(&dir));
    assert!(!out.contains("translation-no-fingerprint"), "{out}");
}

#[test]
fn a_hand_written_translation_without_fingerprints_gets_one_warning() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("workshop");
    copy_dir(&root().join("tests/fixtures/tui/workshop"), &dir);
    // Written by hand: no [fingerprints] table at all.
    for lang in ["ar", "hi"] {
        let file = dir.join(format!("{lang}.toml"));
        let text = std::fs::read_to_string(&file).unwrap();
        let end = text.find("[fingerprints]").unwrap();
        std::fs::write(&file, &text[..end]).unwrap();
    }
    let (code, out, _) = run(waymark(data.path()).arg("check").arg(&dir));
    assert_eq!(code, 0, "{out}");
    // One warning each, at the first text, rather than one per text.
    assert_eq!(
        out.matches("warning[translation-no-fingerprint]").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("the file has no [fingerprints] table"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}:", dir.join("ar.toml").display())),
        "{out}"
    );
    let s = status_json(data.path(), data.path());
    let r = row(&s, "workshop", "ar");
    assert_eq!(r["stale"], r["translated"], "{r}");
    assert!(r["stale"].as_u64() > Some(20), "{r}");
}
