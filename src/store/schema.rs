//! The store's schema and its migrations, run at open; and the checks that come first, so a file
//! that is not ours, damaged, or from a newer Waymark is refused before anything writes to it.
//! The version lives in SQLite's `user_version`, the owner mark in `application_id`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{Context, StoreError};

/// "WYMK": marks a file as a Waymark store.
pub const APPLICATION_ID: i64 = 0x5759_4d4b;

/// Migration `i` takes the schema from version `i` to `i + 1`. Never edit a released one: add.
const MIGRATIONS: &[&str] = &[V1];

/// The schema version this binary writes and reads.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1.
///
/// `shape` holds each distinct question structure (ids, types, choices, correct ones) once, as
/// JSON, so reports work without module files. `session` holds one row per workshop; `counts` is
/// the packed tally (see `codec.rs`): one blob per session keeps a report over 100,000 sessions
/// to one pass over 100,000 rows instead of millions of count rows.
const V1: &str = "
CREATE TABLE shape (
    id        INTEGER PRIMARY KEY,
    digest    BLOB NOT NULL UNIQUE,
    questions TEXT NOT NULL
) STRICT;

CREATE TABLE session (
    id              INTEGER PRIMARY KEY,
    session_id      TEXT NOT NULL UNIQUE,
    module_id       TEXT NOT NULL,
    module_version  INTEGER NOT NULL,
    content_hash    TEXT NOT NULL,
    locale          TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('hands', 'private')),
    day             TEXT NOT NULL CHECK (length(day) = 10),
    planned_minutes INTEGER NOT NULL CHECK (planned_minutes % 5 = 0),
    actual_minutes  INTEGER NOT NULL CHECK (actual_minutes % 5 = 0),
    headcount       INTEGER CHECK (headcount >= 0),
    group_label     TEXT,
    shape           INTEGER NOT NULL REFERENCES shape (id),
    counts          BLOB NOT NULL
) STRICT;

CREATE INDEX session_by_module_day ON session (module_id, day);
CREATE INDEX session_by_day ON session (day);
";

pub(super) const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Reads the file header before SQLite does: a file that is not SQLite, or shorter than its
/// header says (cut off by a full disk or an interrupted copy), is refused untouched.
pub(super) fn inspect_header(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let open_err = |e: std::io::Error| StoreError::Open {
        path: path.to_path_buf(),
        error: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(open_err)?;
    if meta.is_dir() {
        return Err(StoreError::Open {
            path: path.to_path_buf(),
            error: rust_i18n::t!("store.is_folder").into_owned(),
        });
    }
    let size = meta.len();
    if size == 0 {
        return Ok(());
    }
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .map_err(open_err)?
        .take(100)
        .read_to_end(&mut header)
        .map_err(open_err)?;
    let magic_len = header.len().min(MAGIC.len());
    if header[..magic_len] != MAGIC[..magic_len] {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    if header.len() < 100 {
        return Err(StoreError::Truncated {
            path: path.to_path_buf(),
            size,
            expected: None,
        });
    }
    let be16 = |at: usize| u64::from(u16::from_be_bytes([header[at], header[at + 1]]));
    let be32 = |at: usize| {
        u64::from(u32::from_be_bytes([
            header[at],
            header[at + 1],
            header[at + 2],
            header[at + 3],
        ]))
    };
    let page_size = match be16(16) {
        1 => 65536,
        n => n,
    };
    let pages = be32(28);
    // SQLite trusts the page count only when the change counter matches "version valid for".
    let count_valid = be32(24) == be32(92) && pages > 0;
    // With a non-empty WAL or rollback journal, the main file may lawfully lag its header.
    let side_file = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        std::fs::metadata(p).is_ok_and(|m| m.len() > 0)
    };
    let expected = page_size.saturating_mul(pages);
    if count_valid && size < expected && !side_file("-wal") && !side_file("-journal") {
        return Err(StoreError::Truncated {
            path: path.to_path_buf(),
            size,
            expected: Some(expected),
        });
    }
    Ok(())
}

/// What the file is, judged by reads only.
enum Found {
    Empty,
    Ours(i64),
}

fn identify(conn: &Connection, path: &Path) -> Result<Found, StoreError> {
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .at(path)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .at(path)?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .at(path)?;
    if app == 0 && version == 0 && objects == 0 {
        return Ok(Found::Empty);
    }
    if app != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if version > VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            known: VERSION,
        });
    }
    Ok(Found::Ours(version))
}

/// Checks the file is ours and not newer, then sets WAL and synchronous FULL and migrates.
/// Nothing is written before the checks pass, and nothing at all when the schema is current:
/// a store already at this version opens with reads only, so `report` and `export` run while
/// another process holds a write transaction (WAL lets readers past the one writer).
pub(super) fn prepare(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    // One read transaction: the three values from one snapshot, never half of another
    // process's first migration.
    let found = {
        let read =
            rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred).at(path)?;
        let found = identify(&read, path)?;
        read.commit().at(path)?;
        found
    };
    use_wal(conn, path)?;
    // FULL: a session whose record call returned survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL").at(path)?;
    conn.pragma_update(None, "foreign_keys", "ON").at(path)?;
    if matches!(found, Found::Ours(VERSION)) {
        return Ok(());
    }
    // Two processes may open a new file at once: decide again inside the write lock.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate).at(path)?;
    let from = match identify(&tx, path)? {
        Found::Empty => 0,
        Found::Ours(v) => v,
    };
    if from < VERSION {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            tx.execute_batch(sql).at(path)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .at(path)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .at(path)?;
    }
    tx.commit().at(path)?;
    Ok(())
}

/// WAL: readers never block the one writer, and a crash leaves the last commit whole. The mode
/// is kept in the file, so this switches only a new store. Two processes switching one new file
/// at once: SQLite refuses one at once rather than let both wait on each other, so that one
/// tries again (the other has usually switched it by then).
fn use_wal(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let start = std::time::Instant::now();
    loop {
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .at(path)?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && start.elapsed() < super::BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => return Err(StoreError::sqlite(path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_to_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let v: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, VERSION);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // 2 = FULL.
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
        drop(store);
        // Opening again changes nothing.
        crate::store::Store::open(dir.path()).unwrap();
    }
}
