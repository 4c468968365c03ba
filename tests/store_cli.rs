//! `waymark report`, `export` and `import` as NGO staff run them: the real binary, its exit codes,
//! every format, the filters, suppression in exports, the group label kept out, DHIS2 codes from
//! a mapping file, and bundles merged at the office.

mod store_support;

use std::collections::BTreeMap;
use std::path::Path;

use store_support::{fill, run, store_file, waymark};
use waymark::curriculum::QuestionType;
use waymark::session::{AnswerMode, Phase, QuestionInfo, SessionResult, Tally};

fn question(id: &str, qtype: QuestionType, choices: &[&str], correct: &[&str]) -> QuestionInfo {
    QuestionInfo {
        id: id.into(),
        qtype,
        check: qtype != QuestionType::Confidence,
        choices: choices.iter().map(|s| s.to_string()).collect(),
        correct: correct.iter().map(|s| s.to_string()).collect(),
    }
}

fn tally(question: &str, phase: Phase, counts: &[(&str, u32)]) -> Tally {
    Tally {
        question: question.into(),
        phase,
        counts: counts
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Two workshops of `warning-signs` and one of `rights`, with round numbers.
fn workshops() -> Vec<SessionResult> {
    let questions = vec![
        question("pay", QuestionType::Single, &["a", "b", "c"], &["a"]),
        question(
            "contract",
            QuestionType::TrueFalse,
            &["true", "false"],
            &["false"],
        ),
    ];
    let base = SessionResult {
        session_id: String::new(),
        module_id: "warning-signs".into(),
        module_version: 2,
        content_hash: "abc123".into(),
        locale: "es".into(),
        mode: AnswerMode::Hands,
        date: "2026-03-10".into(),
        planned_minutes: 45,
        actual_minutes: 50,
        headcount: Some(20),
        group: Some("School A, grade 9".into()),
        questions,
        tallies: vec![],
    };
    vec![
        SessionResult {
            session_id: "6f1c1a8e-3b0e-4c55-9d2b-1a2b3c4d5e01".into(),
            tallies: vec![
                // 8 of 20 right before, 16 after; 2 chose `c` before: a small count.
                tally("pay", Phase::Before, &[("a", 8), ("b", 10), ("c", 2)]),
                tally("pay", Phase::After, &[("a", 16), ("b", 4), ("c", 0)]),
                tally("contract", Phase::Before, &[("true", 10), ("false", 10)]),
                tally("contract", Phase::After, &[("true", 0), ("false", 20)]),
            ],
            ..base.clone()
        },
        SessionResult {
            session_id: "6f1c1a8e-3b0e-4c55-9d2b-1a2b3c4d5e02".into(),
            date: "2026-05-20".into(),
            locale: "en".into(),
            headcount: Some(30),
            group: None,
            tallies: vec![
                tally("pay", Phase::Before, &[("a", 12), ("b", 12), ("c", 6)]),
                tally("pay", Phase::After, &[("a", 24), ("b", 6), ("c", 0)]),
                tally("contract", Phase::Before, &[("true", 15), ("false", 15)]),
                tally("contract", Phase::After, &[("true", 6), ("false", 24)]),
            ],
            ..base.clone()
        },
        SessionResult {
            session_id: "6f1c1a8e-3b0e-4c55-9d2b-1a2b3c4d5e03".into(),
            module_id: "rights".into(),
            date: "2026-06-01".into(),
            headcount: None,
            group: Some("Youth centre".into()),
            tallies: vec![tally("pay", Phase::During, &[("a", 9), ("b", 1), ("c", 0)])],
            ..base
        },
    ]
}

fn with_workshops() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &workshops());
    data
}

#[test]
fn report_on_a_new_machine_says_so_and_creates_nothing() {
    let data = tempfile::tempdir().unwrap();
    let (code, out, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "No sessions recorded yet.\n");
    assert_eq!(err, "", "nothing to warn about");
    assert!(!store_file(data.path()).exists());
}

#[test]
fn report_table_shows_reach_scores_gain_and_hardest_questions() {
    let data = with_workshops();
    let (code, out, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Sessions held: 3\nParticipants reached: 60\n"),
        "{out}"
    );
    // The table, the default, warns too: on the terminal, not in a file it is redirected to.
    assert_eq!(
        err,
        "note: a report is not suppressed, so a small group may be recognised in it. To share \
         results outside your organisation, use `waymark export`.\n"
    );
    assert!(!out.contains("not suppressed"), "{out}");
    // rights: no headcount, so the 10 who answered count.
    assert!(
        out.contains("Module rights\n  sessions: 1, participants: 10"),
        "{out}"
    );
    // warning-signs, session 1: before (0.4 + 0.5) / 2 = 45%, after (0.8 + 1.0) / 2 = 90%;
    // session 2: before 45%, after 80%. Averages 45% and 85%; gain 0.40 / 0.55 = 0.73.
    assert!(
        out.contains(
            "Correct before the content: 45%; after: 85% (average over 2 sessions with both \
             knowledge checks)"
        ),
        "{out}"
    );
    assert!(out.contains("Normalised gain: 0.73 (high)"), "{out}");
    let pay = out
        .lines()
        .find(|l| l.trim_start().starts_with("pay ") && l.contains("40%"))
        .unwrap_or_else(|| panic!("{out}"));
    // `b` is the most chosen wrong choice: 32 of 100 answers.
    assert!(pay.ends_with("b (32%)"), "{pay}");
}

#[test]
fn report_formats_are_markdown_csv_and_json() {
    let data = with_workshops();
    let (code, md, err) = run(waymark(data.path()).args(["report", "--format", "markdown"]));
    assert_eq!(code, 0);
    assert!(
        md.starts_with("# Waymark report\n\n- Sessions held: 3\n"),
        "{md}"
    );
    assert!(md.contains("## warning-signs\n"), "{md}");
    assert!(md.contains("| Question | Type | Sessions |"), "{md}");
    assert!(err.contains("a report is not suppressed"), "{err}");

    let (code, csv, _) = run(waymark(data.path()).args(["report", "--format", "csv"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("level,module_id,question,question_type,sessions"));
    assert_eq!(lines[1], "total,,,,3,60,,,,,,,,,,");
    assert!(
        lines.contains(&"module,warning-signs,,,2,50,2,0.4500,,0.8500,,0.7273,high,,,"),
        "{csv}"
    );

    let (code, json, _) = run(waymark(data.path()).args(["report", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["sessions"], 3);
    assert_eq!(v["modules"][1]["module_id"], "warning-signs");
    assert_eq!(v["modules"][1]["band"], "high");
    assert_eq!(v["modules"][1]["questions"][0]["top_wrong"]["choice"], "b");
}

#[test]
fn report_filters_narrow_the_sessions() {
    let data = with_workshops();
    let held = |args: &[&str]| {
        let (code, out, err) = run(waymark(data.path()).arg("report").args(args));
        assert_eq!(code, 0, "{args:?}: {err}");
        out.lines().next().unwrap_or_default().to_string()
    };
    assert_eq!(held(&["--module", "rights"]), "Sessions held: 1");
    assert_eq!(held(&["--since", "2026-05-01"]), "Sessions held: 2");
    assert_eq!(held(&["--until", "2026-05-20"]), "Sessions held: 2");
    assert_eq!(held(&["--locale", "en"]), "Sessions held: 1");
    // Language tags are case-insensitive.
    assert_eq!(held(&["--locale", "EN"]), "Sessions held: 1");
    assert_eq!(held(&["--locale", "Es"]), "Sessions held: 2");
    assert_eq!(held(&["--group", "School A, grade 9"]), "Sessions held: 1");
    // The global --data-dir works after the subcommand too.
    let other = tempfile::tempdir().unwrap();
    let (code, out, _) =
        run(waymark(other.path()).args(["report", "--data-dir", data.path().to_str().unwrap()]));
    assert_eq!(code, 0);
    assert!(out.starts_with("Sessions held: 3"), "{out}");
    assert_eq!(
        held(&["--module", "nothing-here"]),
        "No sessions match these filters."
    );
    let (code, _, _) = run(waymark(data.path()).args(["report", "--since", "2026-13-01"]));
    assert_eq!(code, 2);
    let (code, _, _) = run(waymark(data.path()).args(["report", "--format", "pdf"]));
    assert_eq!(code, 2);
}

#[test]
fn csv_export_is_long_format_suppressed_and_without_group_labels() {
    let data = with_workshops();
    let (code, out, err) = run(waymark(data.path()).arg("export"));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "session_id,module_id,module_version,content_hash,locale,mode,date,planned_minutes,\
         actual_minutes,headcount,phase,question,question_type,choice,correct,count"
    );
    // One row per session, phase, question and choice: 2 x (3 + 3 + 2 + 2) + 3.
    assert_eq!(lines.len(), 1 + 23);
    assert!(!out.contains("School A") && !out.contains("Youth centre"));
    let s1 =
        "6f1c1a8e-3b0e-4c55-9d2b-1a2b3c4d5e01,warning-signs,2,abc123,es,hands,2026-03-10,45,50,20";
    // pay/before 8, 10, 2 of 20: 2 is suppressed, and 8 with it so 20 - 10 - 8 tells nothing.
    assert!(lines.contains(&format!("{s1},before,pay,single,a,true,suppressed").as_str()));
    assert!(lines.contains(&format!("{s1},before,pay,single,b,false,10").as_str()));
    assert!(lines.contains(&format!("{s1},before,pay,single,c,false,suppressed").as_str()));
    // pay/after 16, 4, 0: 4 and its partner 16 hidden; 0 stays.
    assert!(lines.contains(&format!("{s1},after,pay,single,c,false,0").as_str()));
    assert!(lines.contains(&format!("{s1},after,pay,single,b,false,suppressed").as_str()));
    // 23 counts and 2 headcounts (the third session has none).
    assert!(
        err.contains("Sessions exported: 3; counts: 25, of which 5 suppressed"),
        "{err}"
    );
    assert!(
        err.contains(
            "note: each export is suppressed on its own. Do not give one audience both \
             per-session exports (csv, json) and period totals (dhis2) of the same sessions"
        ),
        "{err}"
    );

    let (code, out, _) = run(waymark(data.path()).args(["export", "--with-group"]));
    assert_eq!(code, 0);
    assert!(out
        .lines()
        .next()
        .unwrap()
        .contains(",headcount,group,phase,"));
    assert!(
        out.contains(",20,\"School A, grade 9\",before,pay,"),
        "{out}"
    );

    // A higher k hides more.
    let (_, k10, _) = run(waymark(data.path()).args(["export", "--min-cell", "10"]));
    assert!(k10.matches("suppressed").count() > out.matches("suppressed").count());
    let (code, _, _) = run(waymark(data.path()).args(["export", "--min-cell", "1"]));
    assert_eq!(code, 2);
}

/// One workshop of `warning-signs` with this headcount and these tallies; it also has a
/// multiple-choice question `signs` (x, y, z).
fn one_room(headcount: Option<u32>, tallies: Vec<Tally>) -> tempfile::TempDir {
    let mut s = workshops().remove(0);
    s.headcount = headcount;
    s.questions.push(question(
        "signs",
        QuestionType::Multiple,
        &["x", "y", "z"],
        &["x"],
    ));
    s.tallies = tallies;
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &[s]);
    data
}

/// `waymark export` (CSV): the cells by phase, question and choice, the headcount, and stderr.
fn exported(data: &Path) -> (BTreeMap<String, String>, String, String) {
    let (code, out, err) = run(waymark(data).arg("export"));
    assert_eq!(code, 0, "{err}");
    let mut cells = BTreeMap::new();
    let mut headcount = String::new();
    for line in out.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        headcount = f[9].to_string();
        cells.insert(format!("{}/{}/{}", f[10], f[11], f[13]), f[15].to_string());
    }
    (cells, headcount, err)
}

#[test]
fn two_small_counts_beside_a_published_headcount_take_a_third_with_them() {
    // 1 + 1 + 18 of 20: with only the ones hidden, 20 - 18 says they add up to 2, and since
    // zeros are published each is at least 1: so each is 1.
    let data = one_room(
        Some(20),
        vec![tally(
            "pay",
            Phase::Before,
            &[("a", 1), ("b", 1), ("c", 18)],
        )],
    );
    let (cells, headcount, err) = exported(data.path());
    assert_eq!(headcount, "20");
    for c in ["a", "b", "c"] {
        assert_eq!(cells[&format!("before/pay/{c}")], "suppressed", "{cells:?}");
    }
    assert!(
        err.starts_with("Sessions exported: 1; counts: 4, of which 3 suppressed"),
        "{err}"
    );
}

#[test]
fn one_person_not_answering_is_not_given_away_by_subtraction() {
    // 10 + 9 + 0 of 20: all published, 20 - 10 - 9 tells that exactly 1 person did not answer.
    let data = one_room(
        Some(20),
        vec![
            tally("pay", Phase::Before, &[("a", 10), ("b", 9), ("c", 0)]),
            tally("pay", Phase::After, &[("a", 10), ("b", 10), ("c", 0)]),
        ],
    );
    let (cells, headcount, err) = exported(data.path());
    assert_eq!(headcount, "20");
    assert_eq!(cells["before/pay/a"], "10");
    assert_eq!(cells["before/pay/b"], "suppressed", "{cells:?}");
    assert_eq!(cells["before/pay/c"], "0");
    // Everyone answered after: nothing to hide.
    assert_eq!(cells["after/pay/a"], "10");
    assert_eq!(cells["after/pay/b"], "10");
    assert!(
        err.starts_with("Sessions exported: 1; counts: 7, of which 1 suppressed"),
        "{err}"
    );
    // The JSON publishes the same.
    let (code, out, _) = run(waymark(data.path()).args(["export", "--format", "json"]));
    assert_eq!(code, 0);
    assert!(
        out.contains(r#""phase":"before","counts":{"a":10,"b":"suppressed","c":0}"#),
        "{out}"
    );
}

#[test]
fn export_filters_take_a_language_tag_in_any_case() {
    let data = with_workshops();
    for tag in ["es", "ES", "eS"] {
        let (code, out, err) = run(waymark(data.path()).args(["export", "--locale", tag]));
        assert_eq!(code, 0, "{err}");
        let ids: std::collections::BTreeSet<&str> = out
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .collect();
        assert_eq!(ids.len(), 2, "{tag}: {ids:?}");
        assert!(err.starts_with("Sessions exported: 2;"), "{tag}: {err}");
    }
}

#[test]
fn a_multiple_choice_count_that_leaves_a_few_out_is_suppressed() {
    // 18 of 20 chose x: 20 - 18 would tell that 2 did not.
    let data = one_room(
        Some(20),
        vec![tally(
            "signs",
            Phase::After,
            &[("x", 18), ("y", 10), ("z", 0)],
        )],
    );
    let (cells, headcount, _) = exported(data.path());
    assert_eq!(headcount, "20");
    assert_eq!(cells["after/signs/x"], "suppressed");
    assert_eq!(cells["after/signs/y"], "10");
    assert_eq!(cells["after/signs/z"], "0");
}

#[test]
fn the_export_summary_counts_headcounts_among_the_counts() {
    // A room of 3: the headcount and both counts are suppressed; the summary never says more
    // were suppressed than were written.
    let data = one_room(
        Some(3),
        vec![tally(
            "contract",
            Phase::Before,
            &[("true", 2), ("false", 1)],
        )],
    );
    let (cells, headcount, err) = exported(data.path());
    assert_eq!(headcount, "suppressed");
    assert_eq!(cells["before/contract/true"], "suppressed");
    assert_eq!(cells["before/contract/false"], "suppressed");
    assert_eq!(
        err.lines().next(),
        Some(
            "Sessions exported: 1; counts: 3, of which 3 suppressed (counts from 1 to 4, and \
             counts that would reveal them)."
        )
    );
}

#[test]
fn json_export_publishes_the_same_cells_as_csv() {
    let data = with_workshops();
    let (_, csv, _) = run(waymark(data.path()).arg("export"));
    let (code, json, err) = run(waymark(data.path()).args(["export", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "waymark-export");
    assert_eq!(v["min_cell"], 5);
    let mut from_json = Vec::new();
    for s in v["sessions"].as_array().unwrap() {
        assert!(s.get("group").is_none());
        for t in s["tallies"].as_array().unwrap() {
            for (choice, count) in t["counts"].as_object().unwrap() {
                let count = match count {
                    serde_json::Value::String(s) => s.clone(),
                    n => n.to_string(),
                };
                from_json.push(format!(
                    "{},{},{},{choice},{count}",
                    s["session_id"].as_str().unwrap(),
                    t["phase"].as_str().unwrap(),
                    t["question"].as_str().unwrap()
                ));
            }
        }
    }
    let mut from_csv: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{},{}", f[0], f[10], f[11], f[13], f[15])
        })
        .collect();
    from_json.sort();
    from_csv.sort();
    assert_eq!(from_json, from_csv);
}

const MAP: &str = r#"
orgunit = "ImspTQPwCqd"
attroptcombo = "HllvX50cXC0"
period = "monthly"

[modules.warning-signs.sessions]
dataelement = "WsSessions1"

[modules.warning-signs.participants]
dataelement = "WsPeople001"

[modules.warning-signs.questions.pay]
before = "WsPayBefore"
after = "WsPayAfter1"
choices = { a = "CocA0000001", b = "CocB0000001", c = "CocC0000001" }
"#;

#[test]
fn dhis2_export_uses_the_mapping_and_leaves_suppressed_values_out() {
    let data = with_workshops();
    let map = data.path().join("map.toml");
    std::fs::write(&map, MAP).unwrap();
    let (code, out, err) = run(waymark(data.path()).args([
        "export",
        "--format",
        "dhis2",
        "--dhis2-map",
        map.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "dataelement,period,orgunit,catoptcombo,attroptcombo,value"
    );
    // March: one session of 20. pay/before 8, 10, 2 -> 2 and its partner 8 left out.
    assert!(
        lines.contains(&"WsSessions1,202603,ImspTQPwCqd,,HllvX50cXC0,1"),
        "{out}"
    );
    assert!(
        lines.contains(&"WsPeople001,202603,ImspTQPwCqd,,HllvX50cXC0,20"),
        "{out}"
    );
    assert!(lines.contains(&"WsPayBefore,202603,ImspTQPwCqd,CocB0000001,HllvX50cXC0,10"));
    assert!(!lines
        .iter()
        .any(|l| l.starts_with("WsPayBefore,202603,ImspTQPwCqd,CocC")));
    assert!(!lines
        .iter()
        .any(|l| l.starts_with("WsPayBefore,202603,ImspTQPwCqd,CocA")));
    // May: 30 people, 12, 12, 6 before: nothing small.
    assert!(lines.contains(&"WsPayBefore,202605,ImspTQPwCqd,CocC0000001,HllvX50cXC0,6"));
    assert!(
        err.contains("Suppressed values are left out of the DHIS2 file."),
        "{err}"
    );
    assert!(
        err.contains("not in the mapping file, so not exported: rights, warning-signs.questions.contract.after, warning-signs.questions.contract.before"),
        "{err}"
    );
}

#[test]
fn export_usage_mistakes_exit_2_and_bad_mapping_files_exit_1() {
    let data = with_workshops();
    let map = data.path().join("map.toml");
    std::fs::write(&map, MAP).unwrap();
    let map = map.to_str().unwrap();
    for (args, message) in [
        (
            vec!["export", "--format", "dhis2"],
            "error: --format dhis2 needs --dhis2-map FILE (see docs/reporting.md)\n",
        ),
        (
            vec!["export", "--dhis2-map", map],
            "error: --dhis2-map is only used with --format dhis2\n",
        ),
        (
            vec![
                "export",
                "--format",
                "dhis2",
                "--dhis2-map",
                map,
                "--with-group",
            ],
            "error: --with-group does not apply to --format dhis2\n",
        ),
    ] {
        let (code, out, err) = run(waymark(data.path()).args(&args));
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(err, message, "{args:?}");
        assert!(out.is_empty());
    }
    let (code, _, _) =
        run(waymark(data.path()).args(["export", "--bundle", "b.json", "--format", "json"]));
    assert_eq!(code, 2);

    let bad = data.path().join("bad.toml");
    std::fs::write(&bad, MAP.replace("before =", "befor =")).unwrap();
    let (code, _, err) = run(waymark(data.path()).args([
        "export",
        "--format",
        "dhis2",
        "--dhis2-map",
        bad.to_str().unwrap(),
    ]));
    assert_eq!(code, 1);
    assert!(
        err.starts_with(&format!("error: {}: ", bad.display())),
        "{err}"
    );
    assert!(err.contains("befor"), "{err}");
}

#[test]
fn export_to_a_file_writes_it_whole_and_private() {
    let data = with_workshops();
    let out = data.path().join("export.csv");
    let (code, stdout, err) =
        run(waymark(data.path()).args(["export", "--out", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 24);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

/// Exports a bundle from `data` with the binary.
fn bundle_of(data: &Path, file: &Path) {
    let (code, _, err) = run(waymark(data).args(["export", "--bundle", file.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bundles_merge_at_the_office_once_and_in_any_order() {
    let all = workshops();
    let (laptop_a, laptop_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(laptop_a.path(), &all[..2]);
    fill(laptop_b.path(), &all[1..]);
    let a = laptop_a.path().join("a.json");
    let b = laptop_b.path().join("b.json");
    bundle_of(laptop_a.path(), &a);
    bundle_of(laptop_b.path(), &b);
    let bundle_text = std::fs::read_to_string(&a).unwrap();
    assert!(
        bundle_text.contains("School A, grade 9"),
        "bundles are full resolution"
    );

    let office = tempfile::tempdir().unwrap();
    let (code, out, err) = run(waymark(office.path()).arg("import").arg(&a).arg(&b));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{}: 2 sessions added, 0 already here\n{}: 1 session added, 1 already here\n",
            a.display(),
            b.display()
        )
    );
    let (code, out, _) = run(waymark(office.path()).arg("import").arg(&b).arg(&a));
    assert_eq!(code, 0);
    assert!(out.contains("0 sessions added, 2 already here"), "{out}");

    let other_office = tempfile::tempdir().unwrap();
    run(waymark(other_office.path()).arg("import").arg(&b).arg(&a));
    let (x, y) = (
        office.path().join("x.json"),
        other_office.path().join("y.json"),
    );
    bundle_of(office.path(), &x);
    bundle_of(other_office.path(), &y);
    assert_eq!(std::fs::read(&x).unwrap(), std::fs::read(&y).unwrap());
}

#[test]
fn bad_bundles_are_refused_whole_and_nothing_stored_changes() {
    let all = workshops();
    let office = tempfile::tempdir().unwrap();
    fill(office.path(), &all[..1]);
    let snapshot = office.path().join("before.json");
    bundle_of(office.path(), &snapshot);
    let dir = tempfile::tempdir().unwrap();

    // Edited after export: the checksum no longer matches.
    let good = String::from_utf8(store_support::bundle(&all[1..])).unwrap();
    let edited = dir.path().join("edited.json");
    std::fs::write(
        &edited,
        good.replace("\"headcount\":30", "\"headcount\":31"),
    )
    .unwrap();
    // From a future Waymark.
    let future = dir.path().join("future.json");
    std::fs::write(
        &future,
        good.replace("\"format_version\":1", "\"format_version\":2"),
    )
    .unwrap();
    // Not a bundle at all.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Participants: see the paper list").unwrap();
    // A stored session id with other counts (and a new session that must not go in either).
    let mut changed = all[0].clone();
    changed.headcount = Some(21);
    let conflict = dir.path().join("conflict.json");
    std::fs::write(&conflict, store_support::bundle(&[all[2].clone(), changed])).unwrap();

    let cases = [
        (
            &edited,
            format!(
                "error: {} does not match its checksum: it was changed or damaged after it was \
                 written.\nAsk for a fresh copy (`waymark export --bundle FILE` on the machine it \
                 came from); never edit a bundle. Nothing was stored.\n",
                edited.display()
            ),
        ),
        (
            &future,
            format!(
                "error: {} is a Waymark bundle of format version 2; this Waymark reads version \
                 1.\nUpdate Waymark on this computer, then import it again. Nothing was stored.\n",
                future.display()
            ),
        ),
        (
            &notes,
            format!(
                "error: {} is not a Waymark bundle (expected value at line 1 column 1).\nA bundle \
                 is the file `waymark export --bundle FILE` writes. Nothing was stored.\n",
                notes.display()
            ),
        ),
        (
            &conflict,
            format!(
                "error: {} was refused: session {} is already stored here with different \
                 content.\nNothing from this file was stored, and nothing already stored \
                 changed.\n",
                conflict.display(),
                all[0].session_id
            ),
        ),
    ];
    for (file, message) in cases {
        let (code, out, err) = run(waymark(office.path()).arg("import").arg(file));
        assert_eq!(code, 1, "{}", file.display());
        assert_eq!(err, message);
        assert!(out.is_empty());
        let after = office.path().join("after.json");
        bundle_of(office.path(), &after);
        assert_eq!(
            std::fs::read(&after).unwrap(),
            std::fs::read(&snapshot).unwrap(),
            "{} changed the store",
            file.display()
        );
    }
    // One bad bundle does not stop the good ones.
    let fine = dir.path().join("fine.json");
    std::fs::write(&fine, &good).unwrap();
    let (code, out, _) = run(waymark(office.path()).arg("import").arg(&notes).arg(&fine));
    assert_eq!(code, 1);
    assert!(out.contains("2 sessions added"), "{out}");
}

/// A bundle as another machine's Waymark would write it, its checksum made over `sessions_json`
/// (so only the content, not the checksum, is wrong).
fn bundle_with(sessions_json: &str) -> String {
    use sha2::{Digest, Sha256};
    let sha: String = Sha256::digest(sessions_json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{{\"format\":\"waymark-bundle\",\"format_version\":1,\"sessions\":{sessions_json},\
         \"sha256\":\"{sha}\"}}\n"
    )
}

#[test]
fn a_bundle_with_a_direction_override_in_a_group_label_is_refused_whole() {
    let all = workshops();
    let office = tempfile::tempdir().unwrap();
    fill(office.path(), &all[1..2]);
    let snapshot = office.path().join("before.json");
    bundle_of(office.path(), &snapshot);

    // Two sessions; the first one's label carries U+202E (RIGHT-TO-LEFT OVERRIDE), which would
    // show "School A, grade 9" reversed and reorder whatever follows it on a terminal line.
    let good = String::from_utf8(store_support::bundle(&[all[0].clone(), all[2].clone()])).unwrap();
    let start = good.find("\"sessions\":").unwrap() + "\"sessions\":".len();
    let end = good.rfind(",\"sha256\"").unwrap();
    let sessions = good[start..end].replace("School A, grade 9", "School A\u{202E}9 edarg");
    assert_ne!(sessions, good[start..end]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("laptop.json");
    std::fs::write(&file, bundle_with(&sessions)).unwrap();

    let (code, out, err) = run(waymark(office.path()).arg("import").arg(&file));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty());
    assert_eq!(
        err,
        format!(
            "error: {} was refused: session {} cannot be stored: the group label contains \
             U+202E, an invisible control or text-direction character; a label is plain \
             text.\nNothing from this file was stored, and nothing already stored changed.\n",
            file.display(),
            all[0].session_id
        )
    );
    let after = office.path().join("after.json");
    bundle_of(office.path(), &after);
    assert_eq!(
        std::fs::read(&after).unwrap(),
        std::fs::read(&snapshot).unwrap(),
        "nothing stored changed, and the clean session did not go in either"
    );
    // The same bundle without the override goes in.
    std::fs::write(&file, bundle_with(&good[start..end])).unwrap();
    let (code, out, err) = run(waymark(office.path()).arg("import").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 sessions added"), "{out}");
}
