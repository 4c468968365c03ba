//! The anonymous score store: one SQLite file, `waymark.sqlite3`, in the data folder. It records
//! `SessionResult`s, answers reports, writes exports with small-cell suppression and merges
//! bundles from other machines. No terminal, no command line: every failure is a `StoreError`
//! that names the file and says what to do.

mod codec;
pub mod export;
mod import;
mod record;
pub mod report;
#[doc(hidden)]
pub mod sample;
mod scan;
mod schema;
pub mod suppress;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use rust_i18n::t;

pub use export::{Dhis2Map, ExportFormat, ExportOptions, ExportSummary};
pub use import::ImportOutcome;
pub use record::Recorded;
pub use report::{report, ModuleReport, QuestionReport, Report, WrongChoice};
pub use schema::VERSION as SCHEMA_VERSION;

/// The store's file name inside the data folder.
pub const FILE_NAME: &str = "waymark.sqlite3";

/// How long to wait for another process (a second Waymark, a database browser) to let go.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// The open store. One connection; writes happen in short IMMEDIATE transactions.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Which sessions a report or export covers. Dates are `YYYY-MM-DD`, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub module: Option<String>,
    pub since: Option<chrono::NaiveDate>,
    pub until: Option<chrono::NaiveDate>,
    pub locale: Option<String>,
    pub group: Option<String>,
}

impl Filter {
    /// The `WHERE` clause (empty when nothing is filtered) and its parameters, for `session`.
    fn sql(&self) -> (String, Vec<Value>) {
        let mut terms = Vec::new();
        let mut params = Vec::new();
        if let Some(m) = &self.module {
            terms.push("module_id = ?");
            params.push(Value::Text(m.clone()));
        }
        if let Some(d) = self.since {
            terms.push("day >= ?");
            params.push(Value::Text(d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.until {
            terms.push("day <= ?");
            params.push(Value::Text(d.format("%Y-%m-%d").to_string()));
        }
        if let Some(l) = &self.locale {
            // Language tags are case-insensitive (BCP 47): `--locale ES` means `es`.
            terms.push("locale = ? COLLATE NOCASE");
            params.push(Value::Text(l.clone()));
        }
        if let Some(g) = &self.group {
            terms.push("group_label = ?");
            params.push(Value::Text(g.clone()));
        }
        if terms.is_empty() {
            (String::new(), params)
        } else {
            (format!(" WHERE {}", terms.join(" AND ")), params)
        }
    }
}

/// Everything that can go wrong with the store, a bundle or a record, with the file it concerns.
#[derive(Debug)]
pub enum StoreError {
    /// No data folder could be found for this user.
    NoDataDir,
    /// The data folder could not be created.
    CreateFolder { path: PathBuf, error: String },
    /// The file could not be opened at all (permissions, a folder in its place).
    Open { path: PathBuf, error: String },
    /// Not an SQLite database (or its first page is destroyed).
    NotADatabase { path: PathBuf },
    /// Shorter than its own header says (`expected`), or than a header: cut off by a full disk
    /// or an interrupted copy.
    Truncated {
        path: PathBuf,
        size: u64,
        expected: Option<u64>,
    },
    /// SQLite found damaged pages.
    Corrupt { path: PathBuf, detail: String },
    /// Another process holds a lock for longer than the busy timeout.
    Locked { path: PathBuf },
    /// Written by a newer Waymark; never modified.
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// An SQLite database of some other program.
    Foreign { path: PathBuf },
    /// The file or its folder is read-only.
    ReadOnly { path: PathBuf },
    /// The disk is full.
    DiskFull { path: PathBuf },
    /// A session that breaks the data contract (bad id, unknown choice, ...).
    Invalid { session: String, reason: String },
    /// A session id already stored with different content.
    Conflict { session: String },
    /// A bundle file that could not be read.
    ReadBundle { path: PathBuf, error: String },
    /// A file that is not a Waymark bundle.
    NotABundle { path: PathBuf, detail: String },
    /// A bundle of a format version this Waymark does not read.
    BundleVersion { path: PathBuf, found: String },
    /// A bundle whose content does not match its checksum.
    BadChecksum { path: PathBuf },
    /// A session in a bundle that breaks the data contract or conflicts with the store.
    BadBundle {
        path: PathBuf,
        error: Box<StoreError>,
    },
    /// Writing an export failed.
    Write { path: PathBuf, error: String },
    /// An output file that is an SQLite database (perhaps this store), or one of the `-wal`,
    /// `-shm` or `-journal` files of the `database` beside it: writing there would destroy it,
    /// so nothing is written.
    WouldReplaceDatabase {
        path: PathBuf,
        database: Option<PathBuf>,
    },
    /// Any other SQLite failure.
    Sqlite { path: PathBuf, detail: String },
}

impl StoreError {
    /// Maps an SQLite error to what it means for the user of `path`.
    fn sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        match &e {
            rusqlite::Error::SqliteFailure(f, msg) => match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked { path },
                ErrorCode::DatabaseCorrupt => StoreError::Corrupt {
                    path,
                    detail: msg.clone().unwrap_or_else(|| e.to_string()),
                },
                ErrorCode::NotADatabase => StoreError::NotADatabase { path },
                ErrorCode::ReadOnly => StoreError::ReadOnly { path },
                ErrorCode::DiskFull => StoreError::DiskFull { path },
                ErrorCode::CannotOpen | ErrorCode::PermissionDenied => StoreError::Open {
                    path,
                    error: e.to_string(),
                },
                _ => StoreError::Sqlite {
                    path,
                    detail: e.to_string(),
                },
            },
            _ => StoreError::Sqlite {
                path,
                detail: e.to_string(),
            },
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            StoreError::NoDataDir => t!("store.no_data_dir"),
            StoreError::CreateFolder { path, error } => {
                t!("store.create_folder", path = path.display(), error = error)
            }
            StoreError::Open { path, error } => {
                t!("store.open", path = path.display(), error = error)
            }
            StoreError::NotADatabase { path } => t!("store.not_a_database", path = path.display()),
            StoreError::Truncated {
                path,
                size,
                expected: Some(expected),
            } => t!(
                "store.truncated",
                path = path.display(),
                size = size,
                expected = expected
            ),
            StoreError::Truncated {
                path,
                size,
                expected: None,
            } => t!("store.truncated_header", path = path.display(), size = size),
            StoreError::Corrupt { path, detail } => {
                t!("store.corrupt", path = path.display(), detail = detail)
            }
            StoreError::Locked { path } => t!(
                "store.locked",
                path = path.display(),
                seconds = BUSY_TIMEOUT.as_secs()
            ),
            StoreError::NewerSchema { path, found, known } => t!(
                "store.newer_schema",
                path = path.display(),
                found = found,
                known = known
            ),
            StoreError::Foreign { path } => t!("store.foreign", path = path.display()),
            StoreError::ReadOnly { path } => t!("store.read_only", path = path.display()),
            StoreError::DiskFull { path } => t!("store.disk_full", path = path.display()),
            StoreError::Invalid { session, reason } => {
                t!("store.invalid", session = session, reason = reason)
            }
            StoreError::Conflict { session } => t!("store.conflict", session = session),
            StoreError::ReadBundle { path, error } => {
                t!("store.read_bundle", path = path.display(), error = error)
            }
            StoreError::NotABundle { path, detail } => {
                t!("store.not_a_bundle", path = path.display(), detail = detail)
            }
            StoreError::BundleVersion { path, found } => t!(
                "store.bundle_version",
                path = path.display(),
                found = found,
                known = import::BUNDLE_VERSION
            ),
            StoreError::BadChecksum { path } => t!("store.bad_checksum", path = path.display()),
            StoreError::BadBundle { path, error } => t!(
                "store.bad_bundle",
                path = path.display(),
                error = error.to_string()
            ),
            StoreError::Write { path, error } => {
                t!("store.write", path = path.display(), error = error)
            }
            StoreError::WouldReplaceDatabase {
                path,
                database: None,
            } => t!("store.would_replace_database", path = path.display()),
            StoreError::WouldReplaceDatabase {
                path,
                database: Some(database),
            } => t!(
                "store.would_replace_database_file",
                path = path.display(),
                database = database.display()
            ),
            StoreError::Sqlite { path, detail } => {
                t!("store.sqlite", path = path.display(), detail = detail)
            }
        };
        f.write_str(&s)
    }
}

impl std::error::Error for StoreError {}

/// Adds the store path to SQLite errors.
trait Context<T> {
    fn at(self, path: &Path) -> Result<T, StoreError>;
}

impl<T> Context<T> for rusqlite::Result<T> {
    fn at(self, path: &Path) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::sqlite(path, e))
    }
}

impl Store {
    /// Opens (creating if needed) `waymark.sqlite3` in `data_dir`. The folder is created 0700 and
    /// the file 0600 on Unix. Migrations run here; a bad file is refused, never changed.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        create_folder(data_dir)?;
        Store::open_file(&data_dir.join(FILE_NAME))
    }

    /// Opens (creating if needed) a store file at an explicit path; its folder must exist.
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        create_file(path)?;
        schema::inspect_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).at(path)?;
        conn.busy_timeout(BUSY_TIMEOUT).at(path)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        schema::prepare(&store.conn, &store.path)?;
        Ok(store)
    }

    /// An empty store in memory: reports and exports over "nothing recorded yet", and tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().at(&path)?;
        schema::prepare(&conn, &path)?;
        Ok(Store { conn, path })
    }

    /// Whether `data_dir` holds a store file (reports need not create one).
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(FILE_NAME).exists()
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own full check of every page; `Ok(())` when it finds nothing wrong.
    pub fn check(&self) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check").at(&self.path)?;
        let problems: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .at(&self.path)?
            .collect::<Result<_, _>>()
            .at(&self.path)?;
        if problems.len() == 1 && problems[0] == "ok" {
            Ok(())
        } else {
            let first = problems
                .iter()
                .flat_map(|p| p.lines())
                .find(|l| !l.starts_with("***"))
                .unwrap_or_default();
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: t!("store.check_failed", first = first.trim()).into_owned(),
            })
        }
    }

    /// How many sessions are stored.
    pub fn session_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM session", [], |r| r.get(0))
            .at(&self.path)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The ids of the sessions a filter covers, sorted.
    pub fn session_ids(&self, filter: &Filter) -> Result<Vec<String>, StoreError> {
        let (clause, params) = filter.sql();
        let sql = format!("SELECT session_id FROM session{clause} ORDER BY session_id");
        let mut stmt = self.conn.prepare(&sql).at(&self.path)?;
        let ids = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get(0))
            .at(&self.path)?
            .collect::<Result<Vec<String>, _>>()
            .at(&self.path)?;
        Ok(ids)
    }
}

/// Creates `dir` and any missing parents, each private to the user (0700 on Unix), as the data
/// folder must be. A folder that already exists keeps its mode: Waymark cannot tell whether it
/// made it, so it never loosens or tightens what someone else chose.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// `create_private_dir_all` for the store: a failure names the folder.
pub(crate) fn create_folder(dir: &Path) -> Result<(), StoreError> {
    create_private_dir_all(dir).map_err(|e| StoreError::CreateFolder {
        path: dir.to_path_buf(),
        error: e.to_string(),
    })
}

/// Creates an empty store file readable by its owner only, so SQLite (which gives its WAL and
/// shared-memory files the main file's mode) never makes a world-readable copy.
fn create_file(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Open {
            path: path.to_path_buf(),
            error: e.to_string(),
        }),
    }
}

/// The most handed to the kernel in one `write`: a 1.3 GB export written in 8 MiB pieces took
/// six times as long on the test machine as in 1 MiB pieces (the kernel's copy into the page
/// cache slows down for large single writes).
pub const WRITE_SLICE: usize = 1 << 20;

/// A file that takes at most `WRITE_SLICE` bytes per write; `BufWriter` passes large writes
/// straight through, so the slicing has to sit below it.
struct Sliced {
    file: std::fs::File,
    /// Bytes written so far, and up to where writeback has been started (Linux).
    written: u64,
    flushed: u64,
}

/// How much written data may wait in the page cache before the kernel is asked to write it
/// out: a large export then streams to the disk instead of filling memory with dirty pages,
/// which made the copy into the page cache several times slower once memory was busy.
#[cfg(target_os = "linux")]
const WRITEBACK_WINDOW: u64 = 32 << 20;

impl Sliced {
    fn new(file: std::fs::File) -> Self {
        Sliced {
            file,
            written: 0,
            flushed: 0,
        }
    }

    #[cfg(target_os = "linux")]
    fn stream(&mut self) {
        use std::os::unix::io::AsRawFd;
        if self.written - self.flushed < WRITEBACK_WINDOW {
            return;
        }
        let fd = self.file.as_raw_fd();
        let (start, len) = (self.flushed, self.written - self.flushed);
        // Start writing this window out; wait for the previous one and drop it from the cache.
        // Both are hints: an error only means the final fsync does all the work.
        unsafe {
            libc::sync_file_range(
                fd,
                start as libc::off64_t,
                len as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
            if start >= WRITEBACK_WINDOW {
                let prev = (start - WRITEBACK_WINDOW) as libc::off64_t;
                libc::sync_file_range(
                    fd,
                    prev,
                    WRITEBACK_WINDOW as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WAIT_BEFORE
                        | libc::SYNC_FILE_RANGE_WRITE
                        | libc::SYNC_FILE_RANGE_WAIT_AFTER,
                );
                libc::posix_fadvise(
                    fd,
                    prev,
                    WRITEBACK_WINDOW as libc::off64_t,
                    libc::POSIX_FADV_DONTNEED,
                );
            }
        }
        self.flushed = self.written;
    }

    #[cfg(not(target_os = "linux"))]
    fn stream(&mut self) {}
}

impl std::io::Write for Sliced {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(&buf[..buf.len().min(WRITE_SLICE)])?;
        self.written += n as u64;
        self.stream();
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Whether `path` is an SQLite database: a regular file whose first 16 bytes are SQLite's
/// header. Anything else is never opened (reading a pipe or a terminal would wait forever), and
/// a file that cannot be read is not taken for one.
fn is_sqlite_database(path: &Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == schema::MAGIC)
}

/// The files SQLite keeps beside a database, by the suffix added to its name.
const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Refuses an output path that is an SQLite database (the score store above all) or one of
/// the `-wal`, `-shm` and `-journal` files beside one: an export, bundle or handout written
/// there would replace the sessions, or corrupt them at the next open. Both the path as given
/// (its folder resolved, since a rename replaces a symbolic link rather than its target) and,
/// where it exists, the file it resolves to are checked.
pub fn refuse_database_target(path: &Path) -> Result<(), StoreError> {
    let mut candidates = Vec::with_capacity(2);
    if let Some(name) = path.file_name() {
        let parent = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(dir) = std::fs::canonicalize(parent) {
            candidates.push(dir.join(name));
        }
    }
    if let Ok(full) = std::fs::canonicalize(path) {
        candidates.push(full);
    }
    if candidates.is_empty() {
        candidates.push(path.to_path_buf());
    }
    for target in &candidates {
        if is_sqlite_database(target) {
            return Err(StoreError::WouldReplaceDatabase {
                path: path.to_path_buf(),
                database: None,
            });
        }
        let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        for base in SIDE_FILES.iter().filter_map(|s| name.strip_suffix(s)) {
            let database = target.with_file_name(base);
            if !base.is_empty() && is_sqlite_database(&database) {
                return Err(StoreError::WouldReplaceDatabase {
                    path: path.to_path_buf(),
                    database: Some(database),
                });
            }
        }
    }
    Ok(())
}

/// Writes `bytes`-producing `fill` to `path` through a temporary file, fsync and a rename, then
/// syncs the folder, so a reader never sees half a file and a crash or power cut leaves the old
/// file or the new one. The file is 0600 on Unix. A path that is an SQLite database, or a file
/// beside one, is refused before anything is written (`refuse_database_target`).
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    use std::io::Write;
    let io_err = |e: std::io::Error| StoreError::Write {
        path: path.to_path_buf(),
        error: e.to_string(),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        return Err(StoreError::Write {
            path: path.to_path_buf(),
            error: t!("store.not_a_file_name").into_owned(),
        });
    };
    refuse_database_target(path)?;
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&tmp).map_err(io_err)?;
    let mut out = std::io::BufWriter::with_capacity(WRITE_SLICE, Sliced::new(file));
    let result = fill(&mut out)
        .and_then(|()| out.flush().map_err(io_err))
        .and_then(|()| out.get_ref().file.sync_all().map_err(io_err));
    drop(out);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(e)
    })?;
    // The rename itself is durable only once the folder is synced; best effort, as not every
    // platform lets a folder be opened for that.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}
