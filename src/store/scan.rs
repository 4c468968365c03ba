//! Reading many sessions fast: rows are copied out of SQLite in batches on the caller's thread,
//! worked on by one thread per core, and the results handed back in row order, so reports and
//! exports use every core and still come out the same every time. Read-only.

use std::ops::Range;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use super::codec::{self, Record, Shape};
use super::{Context, Filter, Store, StoreError};
use crate::session::AnswerMode;

/// Rows per batch: large enough to amortise the hand-over, small enough to keep memory flat.
const BATCH_ROWS: usize = 1024;

/// The columns `scan` reads, in this order.
pub(super) const COLUMNS: &str =
    "session_id, module_id, module_version, content_hash, locale, mode, day, \
                       planned_minutes, actual_minutes, headcount, group_label, shape, counts";

/// One stored row, its text and blob columns as ranges into `Batch::bytes`.
pub(super) struct Row {
    text: [Range<usize>; 6],
    group: Option<Range<usize>>,
    counts: Range<usize>,
    pub module_version: u32,
    pub planned_minutes: u32,
    pub actual_minutes: u32,
    pub headcount: Option<u32>,
    pub shape: i64,
}

/// Consecutive rows, copied out of SQLite.
#[derive(Default)]
pub(super) struct Batch {
    bytes: Vec<u8>,
    pub rows: Vec<Row>,
}

/// Indexes into `Row::text`.
const SESSION_ID: usize = 0;
const MODULE_ID: usize = 1;
const CONTENT_HASH: usize = 2;
const LOCALE: usize = 3;
const MODE: usize = 4;
const DAY: usize = 5;

impl Batch {
    fn push_bytes(&mut self, b: &[u8]) -> Range<usize> {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(b);
        start..self.bytes.len()
    }

    fn text(&self, r: &Range<usize>) -> &str {
        // Copied from SQLite TEXT values, which `push` checked are UTF-8.
        std::str::from_utf8(&self.bytes[r.clone()]).unwrap_or_default()
    }

    pub fn module_id<'a>(&'a self, row: &Row) -> &'a str {
        self.text(&row.text[MODULE_ID])
    }

    pub fn day<'a>(&'a self, row: &Row) -> &'a str {
        self.text(&row.text[DAY])
    }

    pub fn counts<'a>(&'a self, row: &Row) -> &'a [u8] {
        &self.bytes[row.counts.clone()]
    }

    /// The full record of a row.
    pub fn record(&self, row: &Row, shapes: &Shapes) -> Result<Record, String> {
        let shape = shapes.get(row.shape)?;
        let mut tallies = Vec::new();
        let mut counts = Vec::new();
        if !codec::unpack(shape, self.counts(row), &mut tallies, &mut counts) {
            return Err("counts".into());
        }
        let text = |i: usize| self.text(&row.text[i]).to_string();
        Ok(Record {
            session_id: text(SESSION_ID),
            module_id: text(MODULE_ID),
            module_version: row.module_version,
            content_hash: text(CONTENT_HASH),
            locale: text(LOCALE),
            mode: AnswerMode::parse(self.text(&row.text[MODE])).ok_or("mode")?,
            date: text(DAY),
            planned_minutes: row.planned_minutes,
            actual_minutes: row.actual_minutes,
            headcount: row.headcount,
            group: row.group.as_ref().map(|g| self.text(g).to_string()),
            shape: Arc::clone(shape),
            tallies,
            counts,
        })
    }
}

/// Every shape of the store, by row id.
pub(super) struct Shapes(std::collections::HashMap<i64, Arc<Shape>>);

impl Shapes {
    pub fn get(&self, id: i64) -> Result<&Arc<Shape>, String> {
        self.0.get(&id).ok_or_else(|| "shape".to_string())
    }
}

fn push_row(batch: &mut Batch, r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<(), String>> {
    let mut text: [Range<usize>; 6] = Default::default();
    for (slot, col) in [(0, 0), (1, 1), (2, 3), (3, 4), (4, 5), (5, 6)] {
        let Ok(s) = r.get_ref(col)?.as_str() else {
            return Ok(Err(format!("column {col}")));
        };
        text[slot] = batch.push_bytes(s.as_bytes());
    }
    let group = match r.get_ref(10)?.as_str_or_null() {
        Ok(g) => g.map(|g| batch.push_bytes(g.as_bytes())),
        Err(_) => return Ok(Err("group_label".into())),
    };
    let Ok(blob) = r.get_ref(12)?.as_blob() else {
        return Ok(Err("counts".into()));
    };
    let counts = batch.push_bytes(blob);
    batch.rows.push(Row {
        text,
        group,
        counts,
        module_version: r.get(2)?,
        planned_minutes: r.get(7)?,
        actual_minutes: r.get(8)?,
        headcount: r.get(9)?,
        shape: r.get(11)?,
    });
    Ok(Ok(()))
}

/// Worker threads to use: one per core, at most 8.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

impl Store {
    pub(super) fn load_shapes(&self) -> Result<Shapes, StoreError> {
        Ok(Shapes(self.shapes()?))
    }

    /// Calls `work` on every batch of the sessions a filter covers (on worker threads) and
    /// `consume` on each result, in row order. With `ordered`, rows come by date then id.
    /// `work` reports damage it finds (counts that do not fit their shape) as `Err(what)`.
    pub(super) fn scan<R: Send>(
        &self,
        filter: &Filter,
        ordered: bool,
        work: impl Fn(&Batch, &Shapes) -> Result<R, String> + Sync,
        consume: impl FnMut(R) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.scan_on(workers(), filter, ordered, work, consume)
    }

    fn scan_on<R: Send>(
        &self,
        n: usize,
        filter: &Filter,
        ordered: bool,
        work: impl Fn(&Batch, &Shapes) -> Result<R, String> + Sync,
        mut consume: impl FnMut(R) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let shapes = self.load_shapes()?;
        let (clause, params) = filter.sql();
        let order = if ordered {
            " ORDER BY day, session_id"
        } else {
            ""
        };
        let sql = format!("SELECT {COLUMNS} FROM session{clause}{order}");
        let mut stmt = self.conn.prepare(&sql).at(&self.path)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .at(&self.path)?;
        let mut next_batch = || -> Result<Option<Batch>, StoreError> {
            let mut batch = Batch::default();
            while batch.rows.len() < BATCH_ROWS {
                let Some(r) = rows.next().at(&self.path)? else {
                    break;
                };
                push_row(&mut batch, r)
                    .at(&self.path)?
                    .map_err(|what| self.damaged(what))?;
            }
            Ok((!batch.rows.is_empty()).then_some(batch))
        };
        if n <= 1 {
            while let Some(batch) = next_batch()? {
                consume(work(&batch, &shapes).map_err(|w| self.damaged(w))?)?;
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let mut inputs: Vec<SyncSender<Batch>> = Vec::with_capacity(n);
            let mut outputs: Vec<Receiver<Result<R, String>>> = Vec::with_capacity(n);
            for _ in 0..n {
                let (in_tx, in_rx) = sync_channel::<Batch>(2);
                let (out_tx, out_rx) = sync_channel(2);
                let (work, shapes) = (&work, &shapes);
                scope.spawn(move || {
                    for batch in in_rx {
                        if out_tx.send(work(&batch, shapes)).is_err() {
                            return;
                        }
                    }
                });
                inputs.push(in_tx);
                outputs.push(out_rx);
            }
            // Batch i goes to worker i % n; results are taken back in the same order. At most
            // two batches per worker are in flight, so neither side ever blocks the other.
            let (mut sent, mut taken) = (0usize, 0usize);
            let mut take = |taken: &mut usize| -> Result<(), StoreError> {
                let result = outputs[*taken % n]
                    .recv()
                    .map_err(|_| self.damaged("worker"))?;
                *taken += 1;
                consume(result.map_err(|w| self.damaged(w))?)
            };
            while let Some(batch) = next_batch()? {
                if sent - taken == 2 * n {
                    take(&mut taken)?;
                }
                inputs[sent % n]
                    .send(batch)
                    .map_err(|_| self.damaged("worker"))?;
                sent += 1;
            }
            drop(inputs);
            while taken < sent {
                take(&mut taken)?;
            }
            Ok(())
        })
    }

    /// Calls `each` with every session the filter covers, in date then id order.
    pub(super) fn for_each_record(
        &self,
        filter: &Filter,
        mut each: impl FnMut(&Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.scan(
            filter,
            true,
            |batch, shapes| {
                batch
                    .rows
                    .iter()
                    .map(|row| batch.record(row, shapes))
                    .collect::<Result<Vec<Record>, _>>()
            },
            |records| records.iter().try_for_each(&mut each),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sample;

    #[test]
    fn every_worker_count_gives_the_same_rows_in_the_same_order() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .import_results(&sample::sessions(11, 2 * BATCH_ROWS + 100, 1))
            .unwrap();
        let ids = |n: usize| {
            let mut out = Vec::new();
            store
                .scan_on(
                    n,
                    &Filter::default(),
                    true,
                    |batch, _| {
                        Ok(batch
                            .rows
                            .iter()
                            .map(|r| batch.text(&r.text[SESSION_ID]).to_string())
                            .collect::<Vec<_>>())
                    },
                    |part| {
                        out.extend(part);
                        Ok(())
                    },
                )
                .unwrap();
            out
        };
        let one = ids(1);
        assert_eq!(one.len(), 2 * BATCH_ROWS + 100);
        assert_eq!(ids(2), one);
        assert_eq!(ids(3), one);
    }

    #[test]
    fn damage_found_by_a_worker_is_reported_as_damage() {
        let mut store = Store::open_in_memory().unwrap();
        store.import_results(&sample::sessions(12, 10, 2)).unwrap();
        for n in [1, 2] {
            let err = store
                .scan_on(
                    n,
                    &Filter::default(),
                    false,
                    |_, _| Err::<(), _>("counts".to_string()),
                    |()| Ok(()),
                )
                .unwrap_err();
            assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        }
    }
}
