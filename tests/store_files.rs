//! The store file as a facilitator's laptop has it: created private, migrated at open, and every
//! bad file (not SQLite, truncated, damaged pages, locked, newer, foreign) refused with a message
//! that names the file and says what to do, the file left byte for byte as it was.

mod store_support;

use std::path::Path;

use store_support::{fill, run, sessions, store_file, waymark};
use waymark::store::{Filter, Store, StoreError, FILE_NAME, SCHEMA_VERSION};

/// Runs `report` and `import` (a reader and a writer) on a bad store: both exit 1 with
/// `expected` on stderr, and the file does not change.
fn refused(data: &Path, expected: &str) {
    let file = store_file(data);
    let before = std::fs::read(&file).unwrap_or_default();
    let bundle = data.join("in.json");
    std::fs::write(&bundle, store_support::bundle(&sessions(9, 2))).unwrap();
    for args in [vec!["report"], vec!["import", bundle.to_str().unwrap()]] {
        let (code, out, err) = run(waymark(data).args(&args));
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert_eq!(err, format!("{expected}\n"), "{args:?}");
        assert_eq!(
            std::fs::read(&file).unwrap_or_default(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let data = tempfile::tempdir().unwrap();
    let file = store_file(data.path());
    std::fs::write(&file, "name,count\nSchool A,12\n").unwrap();
    refused(
        data.path(),
        &format!(
            "error: {} is not a Waymark score store: it is not an SQLite database, or its first \
             page is destroyed.\nWaymark has not changed it. Move it out of the data folder \
             (keep it: sessions in it may be recoverable); Waymark then starts a new, empty store.",
            file.display()
        ),
    );
}

#[test]
fn a_truncated_store_is_refused_with_its_sizes() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(1, 200));
    let file = store_file(data.path());
    let full = std::fs::metadata(&file).unwrap().len();
    assert!(
        !data.path().join("waymark.sqlite3-wal").exists(),
        "closing checkpoints the WAL"
    );
    let cut = full / 2;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(cut)
        .unwrap();
    refused(
        data.path(),
        &format!(
            "error: the score store {} is cut short: it has {cut} bytes of the {full} its header \
             promises (a full disk, or an interrupted copy).\nWaymark has not changed it. Put back \
             a complete copy (from a backup, or copy it again), or move it out of the data folder \
             to start a new, empty store.",
            file.display()
        ),
    );
}

#[test]
fn a_store_cut_inside_its_header_is_refused() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(1, 1));
    let file = store_file(data.path());
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(40)
        .unwrap();
    refused(
        data.path(),
        &format!(
            "error: the score store {} is cut short: it has only 40 bytes, not even a whole \
             header (a full disk, or an interrupted copy).\nWaymark has not changed it. Put back a \
             complete copy (from a backup, or copy it again), or move it out of the data folder to \
             start a new, empty store.",
            file.display()
        ),
    );
}

/// The page where a table or index starts, and the page size.
fn root_page(file: &Path, name: &str) -> (u64, u64) {
    let conn = rusqlite::Connection::open(file).unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    let size: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    (root as u64, size as u64)
}

fn scribble(file: &Path, name: &str) {
    use std::io::{Seek, SeekFrom, Write};
    let (page, page_size) = root_page(file, name);
    let mut f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    f.seek(SeekFrom::Start((page - 1) * page_size)).unwrap();
    let junk: Vec<u8> = (0..page_size).map(|i| (i * 7 + 3) as u8).collect();
    f.write_all(&junk).unwrap();
}

#[test]
fn damaged_pages_are_reported_not_repaired() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(2, 3));
    let file = store_file(data.path());
    scribble(&file, "session");
    refused(
        data.path(),
        &format!(
            "error: the score store {} is damaged (database disk image is malformed).\nWaymark \
             has not changed it. Keep a copy; then restore the store from a backup, or move it \
             out of the data folder to start a new, empty store and import your bundles again. \
             `sqlite3 COPY .recover` may rescue sessions from the copy.",
            file.display()
        ),
    );
    let (code, _, err) = run(waymark(data.path()).arg("export"));
    assert_eq!((code, err.contains("is damaged")), (1, true), "{err}");
}

#[test]
fn import_checks_every_page_before_merging() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(2, 3));
    let file = store_file(data.path());
    // A damaged index: a report (which reads the table) does not notice; import must.
    scribble(&file, "session_by_day");
    let before = std::fs::read(&file).unwrap();
    let bundle = data.path().join("in.json");
    std::fs::write(&bundle, store_support::bundle(&sessions(9, 1))).unwrap();
    let (code, _, err) = run(waymark(data.path()).arg("import").arg(&bundle));
    assert_eq!(code, 1);
    assert!(
        err.starts_with(&format!(
            "error: the score store {} is damaged (SQLite's check found: ",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.ends_with("may rescue sessions from the copy.\n"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_store_locked_by_another_program_is_reported_after_waiting() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(3, 2));
    let file = store_file(data.path());
    // A database browser holding an exclusive lock.
    let holder = rusqlite::Connection::open(&file).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let (code, _, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "error: the score store {} is locked by another program, and stayed locked for 3 \
             seconds.\nClose other Waymark windows and any program that has the file open (a \
             database browser, a backup or sync tool), then try again. Nothing was changed.\n",
            file.display()
        )
    );
    holder.execute_batch("COMMIT;").unwrap();
    drop(holder);
    let (code, out, _) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0);
    assert!(out.contains("Sessions held: 2"), "{out}");
}

#[test]
fn report_and_export_read_while_another_process_is_writing() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(8, 3));
    let file = store_file(data.path());
    // Another Waymark in the middle of recording: it holds the write lock, and its session is
    // not committed yet.
    let writer = rusqlite::Connection::open(&file).unwrap();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO session (session_id, module_id, module_version, content_hash, locale,
                 mode, day, planned_minutes, actual_minutes, headcount, group_label, shape,
                 counts)
             SELECT 'not-committed', module_id, module_version, content_hash, locale, mode,
                 day, planned_minutes, actual_minutes, headcount, group_label, shape, counts
             FROM session LIMIT 1;",
        )
        .unwrap();
    let (code, out, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Sessions held: 3\n"), "{out}");
    let (code, out, err) = run(waymark(data.path()).arg("export"));
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("Sessions exported: 3; "), "{err}");
    assert!(!out.contains("not-committed"));
    let (code, out, err) = run(waymark(data.path()).args(["export", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("\"session_id\"").count(), 3, "{out}");
    // The writer was not disturbed: its session goes in, and the next report counts it.
    writer.execute_batch("COMMIT;").unwrap();
    drop(writer);
    let (code, out, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Sessions held: 4\n"), "{out}");
}

#[test]
fn a_store_from_a_newer_waymark_is_refused_untouched() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(4, 2));
    let file = store_file(data.path());
    let newer = SCHEMA_VERSION + 1;
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    refused(
        data.path(),
        &format!(
            "error: the score store {} was written by a newer Waymark (store version {newer}; \
             this Waymark reads up to version {SCHEMA_VERSION}).\nWaymark has not changed it. \
             Update Waymark on this computer to use this store.",
            file.display()
        ),
    );
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let data = tempfile::tempdir().unwrap();
    let file = store_file(data.path());
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    refused(
        data.path(),
        &format!(
            "error: {} is an SQLite database of another program, not a Waymark score store.\n\
             Waymark has not changed it. Move it out of the data folder, or choose another folder \
             with --data-dir DIR.",
            file.display()
        ),
    );
}

#[test]
fn a_folder_in_place_of_the_store_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let file = store_file(data.path());
    std::fs::create_dir(&file).unwrap();
    let (code, _, err) = run(waymark(data.path()).args(["import", "nothing.json"]));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        format!(
            "error: cannot open the score store {}: it is a folder, not a file\nCheck that it is \
             a file you may read and write, or choose another folder with --data-dir DIR.\n",
            file.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn the_data_folder_is_private_and_so_is_every_store_file() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("new").join("waymark");
    let mut store = Store::open(&data).unwrap();
    store.record(&sessions(5, 1)[0]).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(data.parent().unwrap()), 0o700, "every folder it made");
    assert_eq!(mode(&store_file(&data)), 0o600);
    // SQLite gives its side files the main file's mode.
    assert_eq!(mode(&data.join("waymark.sqlite3-wal")), 0o600);
    assert_eq!(mode(&data.join("waymark.sqlite3-shm")), 0o600);
}

#[test]
fn a_new_store_is_created_in_wal_mode_and_reopens() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(6, 3));
    let conn = rusqlite::Connection::open(store_file(data.path())).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    drop(conn);
    let store = Store::open(data.path()).unwrap();
    assert_eq!(store.session_count().unwrap(), 3);
    assert!(store.check().is_ok());
}

#[test]
fn a_session_that_breaks_the_data_contract_is_not_stored() {
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path()).unwrap();
    let mut s = sessions(7, 1).remove(0);
    s.date = "2026-11-29 14:30".into();
    let err = store.record(&s).unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "session {} cannot be stored: `2026-11-29 14:30` is not a date written YYYY-MM-DD \
             (the day only)",
            s.session_id
        )
    );
    assert!(store.sessions(&Filter::default()).unwrap().is_empty());
}

#[cfg(unix)]
#[test]
fn import_into_a_new_data_folder_creates_it_private_at_every_level() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let bundle = root.path().join("in.json");
    std::fs::write(&bundle, store_support::bundle(&sessions(13, 2))).unwrap();
    let data = root.path().join("usb").join("waymark");
    let (code, _, err) = run(waymark(&data).arg("import").arg(&bundle));
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&root.path().join("usb")), 0o700);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&store_file(&data)), 0o600);

    // A folder something else made first keeps the mode it was given (Waymark cannot know who
    // chose it); what Waymark adds inside it is private.
    let shared = root.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    waymark::store::create_private_dir_all(&shared.join("a").join("b")).unwrap();
    assert_eq!(mode(&shared), 0o755);
    assert_eq!(mode(&shared.join("a")), 0o700);
    assert_eq!(mode(&shared.join("a").join("b")), 0o700);
}

/// What `export` says when told to write over an SQLite database.
fn would_replace(path: &Path) -> String {
    format!(
        "error: {} is an SQLite database (perhaps Waymark's score store): writing there would \
         replace it and every session in it.\nNothing was written. Choose another file name for \
         the output.\n",
        path.display()
    )
}

/// The names of the files in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_export_or_bundle_aimed_at_the_store_is_refused_and_every_session_stays() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(11, 4));
    let file = store_file(data.path());
    let before = std::fs::read(&file).unwrap();
    // The same file reached another way: into a folder and back out of it.
    std::fs::create_dir(data.path().join("sub")).unwrap();
    let roundabout = data.path().join("sub").join("..").join(FILE_NAME);
    for (args, target) in [
        (vec!["export", "--out"], &file),
        (vec!["export", "--format", "json", "--out"], &file),
        (vec!["export", "--bundle"], &file),
        (vec!["export", "--out"], &roundabout),
        (vec!["export", "--bundle"], &roundabout),
    ] {
        let (code, out, err) = run(waymark(data.path()).args(&args).arg(target));
        assert_eq!(code, 1, "{args:?} {}: {out}{err}", target.display());
        assert_eq!(err, would_replace(target), "{args:?}");
        assert!(out.is_empty());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "{args:?} {} changed the store",
            target.display()
        );
        let left = names(data.path());
        assert!(!left.iter().any(|n| n.ends_with(".tmp")), "{left:?}");
    }
    let (code, out, err) = run(waymark(data.path()).arg("report"));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Sessions held: 4\n"), "{out}");
    let store = Store::open(data.path()).unwrap();
    assert_eq!(store.session_count().unwrap(), 4);
    assert!(store.check().is_ok());
}

#[test]
fn an_output_named_after_a_working_file_of_the_store_is_refused() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(12, 3));
    let database = std::fs::canonicalize(data.path()).unwrap().join(FILE_NAME);
    for suffix in ["-wal", "-shm", "-journal"] {
        let target = data.path().join(format!("{FILE_NAME}{suffix}"));
        for flag in ["--out", "--bundle"] {
            let (code, _, err) = run(waymark(data.path()).args(["export", flag]).arg(&target));
            assert_eq!(code, 1, "{flag} {}: {err}", target.display());
            assert_eq!(
                err,
                format!(
                    "error: {} is a working file of the SQLite database {} (perhaps Waymark's \
                     score store): writing there would damage the database.\nNothing was \
                     written. Choose another file name for the output.\n",
                    target.display(),
                    database.display()
                )
            );
        }
    }
    assert_eq!(
        Store::open(data.path()).unwrap().session_count().unwrap(),
        3
    );
}

#[test]
fn any_sqlite_database_is_refused_as_an_output_and_other_files_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fill(&data, &sessions(14, 2));
    // Another program's database.
    let other = dir.path().join("contacts.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE contact (name TEXT); INSERT INTO contact VALUES ('x');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    let (code, _, err) = run(waymark(&data).args(["export", "--out"]).arg(&other));
    assert_eq!(code, 1);
    assert_eq!(err, would_replace(&other));
    assert_eq!(std::fs::read(&other).unwrap(), before);
    // An earlier export is simply replaced.
    let csv = dir.path().join("results.csv");
    std::fs::write(&csv, "old\n").unwrap();
    let (code, _, err) = run(waymark(&data).args(["export", "--out"]).arg(&csv));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("session_id,"));
}

#[cfg(unix)]
#[test]
fn a_link_to_the_store_is_refused_too() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(15, 2));
    let link = data.path().join("latest.csv");
    std::os::unix::fs::symlink(store_file(data.path()), &link).unwrap();
    let (code, _, err) = run(waymark(data.path()).args(["export", "--out"]).arg(&link));
    assert_eq!(code, 1);
    assert_eq!(err, would_replace(&link));
    assert_eq!(
        Store::open(data.path()).unwrap().session_count().unwrap(),
        2
    );
}

/// `waymark handout --out`, the TUI's autosave and every export write files through
/// `write_atomically`: whatever they write, the store is never what gets replaced.
#[test]
fn nothing_written_through_write_atomically_replaces_the_store() {
    let data = tempfile::tempdir().unwrap();
    fill(data.path(), &sessions(16, 3));
    let file = store_file(data.path());
    let before = std::fs::read(&file).unwrap();
    let listing = names(data.path());
    let mut called = false;
    let err = waymark::store::write_atomically(&file, |w| {
        called = true;
        w.write_all(b"# Rights at work\n\nA handout.\n")
            .map_err(|e| StoreError::Write {
                path: file.clone(),
                error: e.to_string(),
            })
    })
    .unwrap_err();
    assert!(!called, "refused before anything is written");
    assert!(
        matches!(err, StoreError::WouldReplaceDatabase { .. }),
        "{err}"
    );
    assert_eq!(format!("{err}\n"), would_replace(&file));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert_eq!(names(data.path()), listing);
    assert!(waymark::store::refuse_database_target(&data.path().join("handout.md")).is_ok());
    assert_eq!(
        Store::open(data.path()).unwrap().session_count().unwrap(),
        3
    );
}
