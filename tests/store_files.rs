//! The store file as a facilitator's laptop has it: created private, migrated at open, and every
//! bad file (not SQLite, truncated, damaged pages, locked, newer, foreign) refused with a message
//! that names the file and says what to do, the file left byte for byte as it was.

mod store_support;

use std::path::Path;

use store_support::{fill, run, sessions, store_file, waymark};
use waymark::store::{Filter, Store, StoreError, SCHEMA_VERSION};

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
