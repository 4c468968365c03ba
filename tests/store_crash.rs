//! Crash safety and concurrency with real processes: a writer killed with SIGKILL at random
//! moments (200 times) never loses a session whose `record` call returned and never leaves a
//! damaged file; two processes recording at once both keep every session.
//!
//! The writer is this test binary itself, started again to run `crash_writer_child` only.

mod store_support;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use waymark::store::sample::{self, Rng};
use waymark::store::{Filter, Store, FILE_NAME};

const CHILD: &str = "crash_writer_child";

/// Not a test on its own: the writer the other tests start (and kill). Without its environment
/// variables it returns at once. It records sessions one by one and, after each `record` call
/// returns, appends the session id to a log with one `write` call.
#[test]
fn crash_writer_child() {
    let (Some(dir), Some(log)) = (
        std::env::var_os("WAYMARK_TEST_WRITER_DIR"),
        std::env::var_os("WAYMARK_TEST_WRITER_LOG"),
    ) else {
        return;
    };
    let count: usize = std::env::var("WAYMARK_TEST_WRITER_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(usize::MAX);
    let seed: u64 = std::env::var("WAYMARK_TEST_WRITER_SEED")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut store = Store::open(Path::new(&dir)).expect("open the store");
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("open the log");
    let mut rng = Rng::new(seed);
    for _ in 0..count {
        let s = sample::session(&mut rng, 15);
        store.record(&s).expect("record");
        log.write_all(format!("{}\n", s.session_id).as_bytes())
            .expect("log");
    }
}

fn spawn_writer(dir: &Path, log: &Path, seed: u64, count: Option<usize>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([CHILD, "--exact", "--nocapture", "--test-threads", "1"])
        .env("WAYMARK_TEST_WRITER_DIR", dir)
        .env("WAYMARK_TEST_WRITER_LOG", log)
        .env("WAYMARK_TEST_WRITER_SEED", seed.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(n) = count {
        cmd.env("WAYMARK_TEST_WRITER_COUNT", n.to_string());
    }
    cmd.spawn().expect("start the writer")
}

/// The ids whose record call returned: the complete lines of the log.
fn logged(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn killing_a_writer_at_random_moments_never_loses_a_recorded_session() {
    const RUNS: u64 = 200;
    let root = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(0x5eed);
    let (mut recorded, mut with_sessions) = (0, 0);
    for run in 0..RUNS {
        // A fresh store every 20 runs, so some kills land while a store is being created.
        let dir = root.path().join(format!("store{}", run / 20));
        let log = root.path().join(format!("log{run}"));
        let mut child = spawn_writer(&dir, &log, run, None);
        std::thread::sleep(Duration::from_micros(rng.below(50_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let ids = logged(&log);
        let file = dir.join(FILE_NAME);
        if !file.exists() {
            assert!(ids.is_empty(), "run {run}: sessions logged but no store");
            continue;
        }
        // A plain SQLite connection first: it recovers the WAL as any reader would.
        let conn = rusqlite::Connection::open(&file).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "run {run}");
        drop(conn);
        let store = Store::open(&dir).unwrap_or_else(|e| panic!("run {run}: {e}"));
        let stored = store.session_ids(&Filter::default()).unwrap();
        for id in &ids {
            assert!(
                stored.binary_search(id).is_ok(),
                "run {run}: session {id} returned from record but is missing"
            );
        }
        recorded += ids.len();
        with_sessions += u64::from(!ids.is_empty());
    }
    // The kills must have landed both before and after sessions were recorded.
    assert!(
        recorded > 0 && with_sessions < RUNS,
        "{recorded} {with_sessions}"
    );
}

#[test]
fn two_processes_recording_at_once_both_keep_every_session() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("shared");
    let (log_a, log_b) = (root.path().join("a"), root.path().join("b"));
    // Both start on a store that does not exist yet: creating it is raced too.
    let mut a = spawn_writer(&dir, &log_a, 1, Some(25));
    let mut b = spawn_writer(&dir, &log_b, 2, Some(25));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let store = Store::open(&dir).unwrap();
    let stored = store.session_ids(&Filter::default()).unwrap();
    let mut expected = logged(&log_a);
    expected.extend(logged(&log_b));
    expected.sort();
    assert_eq!(expected.len(), 50);
    assert_eq!(stored, expected);
}
