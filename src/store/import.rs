//! Bundles: the full-resolution records of one machine (`export --bundle`), checksummed, and
//! their import at the office. Import is idempotent and order-free; each bundle goes in whole, in
//! one transaction, or not at all, and never changes a session already stored.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use rusqlite::TransactionBehavior;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::codec::{Record, SessionRecord};
use super::record::{insert, Recorded};
use super::{Context, Filter, Store, StoreError};
use crate::session::SessionResult;

pub const BUNDLE_FORMAT: &str = "waymark-bundle";
/// The bundle format this binary writes and reads.
pub const BUNDLE_VERSION: u32 = 1;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Sessions new to this store.
    pub added: u64,
    /// Sessions it already held, unchanged.
    pub already: u64,
}

/// The outer object, read leniently so that a newer format is recognised as such.
#[derive(Deserialize)]
struct Envelope<'a> {
    format: Option<String>,
    format_version: Option<serde_json::Value>,
    #[serde(borrow)]
    sessions: Option<&'a RawValue>,
    sha256: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Passes bytes on and hashes them.
struct Hashing<'a> {
    out: &'a mut dyn Write,
    hash: Sha256,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Store {
    /// Writes a bundle of the sessions a filter covers (all of them by default), group labels
    /// included: `{"format", "format_version", "sessions": [...], "sha256"}` where `sha256` is
    /// over the exact bytes of the `sessions` array. Sessions are in date then id order, so the
    /// same sessions always make the same bytes. Returns how many sessions it wrote.
    pub fn write_bundle(
        &self,
        filter: &Filter,
        out: &mut dyn Write,
        target: &Path,
    ) -> Result<u64, StoreError> {
        let werr = |e: std::io::Error| StoreError::Write {
            path: target.to_path_buf(),
            error: e.to_string(),
        };
        write!(
            out,
            "{{\"format\":\"{BUNDLE_FORMAT}\",\"format_version\":{BUNDLE_VERSION},\"sessions\":"
        )
        .map_err(werr)?;
        let mut hashing = Hashing {
            out: &mut *out,
            hash: Sha256::new(),
        };
        hashing.write_all(b"[").map_err(werr)?;
        let mut n = 0u64;
        self.scan(
            filter,
            true,
            |batch, shapes| {
                let mut buf = Vec::with_capacity(batch.rows.len() * 4096);
                for row in &batch.rows {
                    let rec = batch.record(row, shapes)?;
                    if !buf.is_empty() {
                        buf.push(b',');
                    }
                    serde_json::to_writer(&mut buf, &rec.as_session_record())
                        .map_err(|e| e.to_string())?;
                }
                Ok((buf, batch.rows.len() as u64))
            },
            |(buf, count)| {
                if n > 0 && !buf.is_empty() {
                    hashing.write_all(b",").map_err(werr)?;
                }
                n += count;
                hashing.write_all(&buf).map_err(werr)
            },
        )?;
        hashing.write_all(b"]").map_err(werr)?;
        let digest = hex(&hashing.hash.finalize());
        writeln!(out, ",\"sha256\":\"{digest}\"}}").map_err(werr)?;
        Ok(n)
    }

    /// Reads and imports one bundle file.
    pub fn import_file(&mut self, path: &Path) -> Result<ImportOutcome, StoreError> {
        let bytes = std::fs::read(path).map_err(|e| StoreError::ReadBundle {
            path: path.to_path_buf(),
            error: e.to_string(),
        })?;
        self.import_bundle(&bytes, path)
    }

    /// Imports one bundle, all or nothing. `source` names it in error messages.
    pub fn import_bundle(
        &mut self,
        bytes: &[u8],
        source: &Path,
    ) -> Result<ImportOutcome, StoreError> {
        let not_bundle = |detail: String| StoreError::NotABundle {
            path: source.to_path_buf(),
            detail,
        };
        let env: Envelope<'_> =
            serde_json::from_slice(bytes).map_err(|e| not_bundle(e.to_string()))?;
        if env.format.as_deref() != Some(BUNDLE_FORMAT) {
            return Err(not_bundle(
                rust_i18n::t!("store.bundle_no_format", format = BUNDLE_FORMAT).into_owned(),
            ));
        }
        match &env.format_version {
            Some(v) if v.as_u64() == Some(u64::from(BUNDLE_VERSION)) => {}
            v => {
                return Err(StoreError::BundleVersion {
                    path: source.to_path_buf(),
                    found: v
                        .as_ref()
                        .map_or_else(|| "-".to_string(), |v| v.to_string()),
                })
            }
        }
        let (Some(sessions), Some(sha)) = (env.sessions, env.sha256) else {
            return Err(not_bundle(
                rust_i18n::t!("store.bundle_missing_field").into_owned(),
            ));
        };
        if hex(&Sha256::digest(sessions.get().as_bytes())) != sha.to_ascii_lowercase() {
            return Err(StoreError::BadChecksum {
                path: source.to_path_buf(),
            });
        }
        let bad = |error: StoreError| StoreError::BadBundle {
            path: source.to_path_buf(),
            error: Box::new(error),
        };
        let records: Vec<SessionRecord> = serde_json::from_str(sessions.get()).map_err(|e| {
            bad(StoreError::Invalid {
                session: "-".into(),
                reason: e.to_string(),
            })
        })?;
        let results: Vec<SessionResult> = records.into_iter().map(SessionResult::from).collect();
        self.import_results(&results).map_err(|e| match e {
            StoreError::Invalid { .. } | StoreError::Conflict { .. } => bad(e),
            other => other,
        })
    }

    /// Imports sessions all or nothing, in one transaction: the bundle path without the file.
    pub fn import_results(
        &mut self,
        sessions: &[SessionResult],
    ) -> Result<ImportOutcome, StoreError> {
        let mut records: Vec<Record> = Vec::with_capacity(sessions.len());
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for s in sessions {
            let rec = Record::from_result(s)?;
            match seen.get(s.session_id.as_str()) {
                Some(&i) if records[i] == rec => continue,
                Some(_) => {
                    return Err(StoreError::Conflict {
                        session: s.session_id.clone(),
                    })
                }
                None => {
                    seen.insert(&s.session_id, records.len());
                    records.push(rec);
                }
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .at(&self.path)?;
        let mut shapes = HashMap::new();
        let mut outcome = ImportOutcome::default();
        for rec in &records {
            match insert(&tx, &self.path, rec, &mut shapes)? {
                Recorded::Added => outcome.added += 1,
                Recorded::AlreadyStored => outcome.already += 1,
            }
        }
        // Duplicates inside the input count as already stored.
        outcome.already += (sessions.len() - records.len()) as u64;
        tx.commit().at(&self.path)?;
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::tests::sample;

    fn bundle_of(store: &Store) -> Vec<u8> {
        let mut out = Vec::new();
        store
            .write_bundle(&Filter::default(), &mut out, Path::new("b.json"))
            .unwrap();
        out
    }

    #[test]
    fn a_bundle_round_trips_and_imports_once() {
        let mut a = Store::open_in_memory().unwrap();
        a.record(&sample()).unwrap();
        let bytes = bundle_of(&a);
        let mut b = Store::open_in_memory().unwrap();
        let first = b.import_bundle(&bytes, Path::new("b.json")).unwrap();
        assert_eq!((first.added, first.already), (1, 0));
        let again = b.import_bundle(&bytes, Path::new("b.json")).unwrap();
        assert_eq!((again.added, again.already), (0, 1));
        assert_eq!(bundle_of(&b), bytes);
    }

    #[test]
    fn tampering_is_caught_by_the_checksum() {
        let mut a = Store::open_in_memory().unwrap();
        a.record(&sample()).unwrap();
        let text = String::from_utf8(bundle_of(&a)).unwrap();
        let tampered = text.replace("\"headcount\":20", "\"headcount\":21");
        assert_ne!(text, tampered);
        let mut b = Store::open_in_memory().unwrap();
        let err = b
            .import_bundle(tampered.as_bytes(), Path::new("b.json"))
            .unwrap_err();
        assert!(matches!(err, StoreError::BadChecksum { .. }), "{err}");
        assert_eq!(b.session_count().unwrap(), 0);
    }
}
