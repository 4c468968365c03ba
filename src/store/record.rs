//! Moving sessions in and out of SQL: `Store::record` (one session, one transaction, for the TUI),
//! the insert that bundle import shares, and reading records back for exports and bundles.
//! A session id already stored is accepted only with identical content; nothing stored changes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::codec::{forbidden_in_label, Record, Shape};
use super::{Context, Filter, Store, StoreError};
use crate::session::SessionResult;

/// The bidi formatting characters `forbidden_in_label` refuses that are not control characters.
fn is_direction_format(c: char) -> bool {
    forbidden_in_label(c) && !c.is_control()
}

/// What `record` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The session is now stored.
    Added,
    /// The very same session was already stored (a retry after a crash, say): nothing changed.
    AlreadyStored,
}

/// The stored columns of a session, for comparing a newcomer with what is already there.
#[derive(Debug, PartialEq)]
struct Columns {
    module_id: String,
    module_version: i64,
    content_hash: String,
    locale: String,
    mode: String,
    day: String,
    planned_minutes: i64,
    actual_minutes: i64,
    headcount: Option<i64>,
    group_label: Option<String>,
    shape_digest: Vec<u8>,
    counts: Vec<u8>,
}

impl Columns {
    fn of(rec: &Record, counts: Vec<u8>) -> Columns {
        Columns {
            module_id: rec.module_id.clone(),
            module_version: i64::from(rec.module_version),
            content_hash: rec.content_hash.clone(),
            locale: rec.locale.clone(),
            mode: rec.mode.name().to_string(),
            day: rec.date.clone(),
            planned_minutes: i64::from(rec.planned_minutes),
            actual_minutes: i64::from(rec.actual_minutes),
            headcount: rec.headcount.map(i64::from),
            group_label: rec.group.clone(),
            shape_digest: rec.shape.digest.to_vec(),
            counts,
        }
    }
}

/// Inserts one validated session inside the caller's transaction.
pub(super) fn insert(
    conn: &Connection,
    path: &Path,
    rec: &Record,
    shapes: &mut HashMap<[u8; 32], i64>,
) -> Result<Recorded, StoreError> {
    let counts = rec.pack();
    let existing = conn
        .prepare_cached(
            "SELECT s.module_id, s.module_version, s.content_hash, s.locale, s.mode, s.day,
                    s.planned_minutes, s.actual_minutes, s.headcount, s.group_label, sh.digest,
                    s.counts
             FROM session s JOIN shape sh ON sh.id = s.shape
             WHERE s.session_id = ?1",
        )
        .at(path)?
        .query_row([&rec.session_id], |r| {
            Ok(Columns {
                module_id: r.get(0)?,
                module_version: r.get(1)?,
                content_hash: r.get(2)?,
                locale: r.get(3)?,
                mode: r.get(4)?,
                day: r.get(5)?,
                planned_minutes: r.get(6)?,
                actual_minutes: r.get(7)?,
                headcount: r.get(8)?,
                group_label: r.get(9)?,
                shape_digest: r.get(10)?,
                counts: r.get(11)?,
            })
        })
        .optional()
        .at(path)?;
    if let Some(stored) = existing {
        return if stored == Columns::of(rec, counts) {
            Ok(Recorded::AlreadyStored)
        } else {
            Err(StoreError::Conflict {
                session: rec.session_id.clone(),
            })
        };
    }
    let shape_id = match shapes.get(&rec.shape.digest) {
        Some(&id) => id,
        None => {
            conn.prepare_cached("INSERT OR IGNORE INTO shape (digest, questions) VALUES (?1, ?2)")
                .at(path)?
                .execute(params![&rec.shape.digest[..], rec.shape.json.get()])
                .at(path)?;
            let id: i64 = conn
                .prepare_cached("SELECT id FROM shape WHERE digest = ?1")
                .at(path)?
                .query_row([&rec.shape.digest[..]], |r| r.get(0))
                .at(path)?;
            shapes.insert(rec.shape.digest, id);
            id
        }
    };
    conn.prepare_cached(
        "INSERT INTO session (session_id, module_id, module_version, content_hash, locale, mode,
                              day, planned_minutes, actual_minutes, headcount, group_label, shape,
                              counts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .at(path)?
    .execute(params![
        rec.session_id,
        rec.module_id,
        rec.module_version,
        rec.content_hash,
        rec.locale,
        rec.mode.name(),
        rec.date,
        rec.planned_minutes,
        rec.actual_minutes,
        rec.headcount,
        rec.group,
        shape_id,
        counts,
    ])
    .at(path)?;
    Ok(Recorded::Added)
}

impl Store {
    /// Records one finished workshop in one transaction. Returns once the session is on disk
    /// (WAL, synchronous FULL). Recording the same session again is harmless; a different
    /// session under a stored id is refused.
    ///
    /// A group label typed on this machine loses any bidi embedding, override or isolate
    /// characters (pasted along with the text; invisible) rather than keep the whole workshop
    /// from being recorded. Bundles get no such help: one carrying them is refused.
    pub fn record(&mut self, result: &SessionResult) -> Result<Recorded, StoreError> {
        let cleaned;
        let result = match &result.group {
            Some(g) if g.chars().any(is_direction_format) => {
                let label: String = g.chars().filter(|&c| !is_direction_format(c)).collect();
                let label = label.trim();
                cleaned = SessionResult {
                    group: (!label.is_empty()).then(|| label.to_string()),
                    ..result.clone()
                };
                &cleaned
            }
            _ => result,
        };
        let rec = Record::from_result(result)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let outcome = insert(&tx, &self.path, &rec, &mut HashMap::new())?;
        tx.commit().at(&self.path)?;
        Ok(outcome)
    }

    /// Every shape, by row id.
    pub(super) fn shapes(&self) -> Result<HashMap<i64, Arc<Shape>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, questions FROM shape")
            .at(&self.path)?;
        let mut rows = stmt.query([]).at(&self.path)?;
        let mut shapes = HashMap::new();
        while let Some(row) = rows.next().at(&self.path)? {
            let id: i64 = row.get(0).at(&self.path)?;
            let json = row.get_ref(1).at(&self.path)?;
            let json = json.as_str().map_err(|e| self.damaged(e.to_string()))?;
            let shape = Shape::from_json(json).ok_or_else(|| self.damaged("shape"))?;
            shapes.insert(id, Arc::new(shape));
        }
        Ok(shapes)
    }

    pub(super) fn damaged(&self, what: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail: what.into(),
        }
    }

    /// The stored sessions a filter covers, as `SessionResult`s (date then id order).
    pub fn sessions(&self, filter: &Filter) -> Result<Vec<SessionResult>, StoreError> {
        let mut out = Vec::new();
        self.for_each_record(filter, |r| {
            out.push(r.to_result());
            Ok(())
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::tests::sample;

    #[test]
    fn record_is_idempotent_and_refuses_conflicts() {
        let mut store = Store::open_in_memory().unwrap();
        let s = sample();
        assert_eq!(store.record(&s).unwrap(), Recorded::Added);
        assert_eq!(store.record(&s).unwrap(), Recorded::AlreadyStored);
        let mut other = s.clone();
        other.headcount = Some(21);
        let err = store.record(&other).unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        let back = store.sessions(&Filter::default()).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0], Record::from_result(&s).unwrap().to_result());
    }

    #[test]
    fn a_label_typed_here_loses_direction_overrides_and_the_workshop_is_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let mut s = sample();
        s.group = Some("School A\u{202E}9 edarg".into());
        assert_eq!(store.record(&s).unwrap(), Recorded::Added);
        assert_eq!(store.record(&s).unwrap(), Recorded::AlreadyStored);
        let back = store.sessions(&Filter::default()).unwrap();
        assert_eq!(back[0].group.as_deref(), Some("School A9 edarg"));
        // Nothing but overrides: no label.
        let mut s = sample();
        s.session_id = uuid::Uuid::new_v4().to_string();
        s.group = Some("\u{2067}\u{2069}".into());
        store.record(&s).unwrap();
        let back = store.sessions(&Filter::default()).unwrap();
        assert!(back
            .iter()
            .any(|b| b.session_id == s.session_id && b.group.is_none()));
        // Control characters were never taken: still refused.
        s.group = Some("a\u{1b}[2Jb".into());
        s.session_id = uuid::Uuid::new_v4().to_string();
        let err = store.record(&s).unwrap_err().to_string();
        assert!(err.contains("U+001B"), "{err}");
    }

    #[test]
    fn sessions_of_the_same_module_share_one_shape() {
        let mut store = Store::open_in_memory().unwrap();
        for i in 0..3 {
            let mut s = sample();
            s.session_id = uuid::Uuid::new_v4().to_string();
            s.headcount = Some(20 + i);
            store.record(&s).unwrap();
        }
        let n: i64 = store
            .conn
            .query_row("SELECT count(*) FROM shape", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}
