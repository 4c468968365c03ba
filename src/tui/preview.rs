//! Live preview for trainers: watches a module folder (notify) and reloads it after each save,
//! debounced, so a half-written file is read once the editor has finished writing. The model
//! keeps the same step on screen and shows diagnostics until the file is fixed.

use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::curriculum::Catalog;

/// Editors write in several steps (truncate, write, rename): wait for this much quiet.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// A watched module folder and how to load it again.
pub struct Watch {
    rx: Receiver<notify::Result<notify::Event>>,
    _watcher: RecommendedWatcher,
    reload: Box<dyn FnMut() -> Catalog>,
    pending: Option<Instant>,
}

impl Watch {
    /// Watches `dir` (the module folder) and reloads with `reload` after changes.
    pub fn new(dir: &Path, reload: Box<dyn FnMut() -> Catalog>) -> notify::Result<Watch> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })?;
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
        Ok(Watch {
            rx,
            _watcher: watcher,
            reload,
            pending: None,
        })
    }

    /// A fresh catalog when files changed and have been quiet for `DEBOUNCE`; else `None`.
    pub fn poll(&mut self) -> Option<Catalog> {
        while let Ok(event) = self.rx.try_recv() {
            let relevant = match event {
                Ok(e) => {
                    !e.kind.is_access()
                        && e.paths
                            .iter()
                            .any(|p| p.extension().is_some_and(|x| x == "toml"))
                }
                Err(_) => true,
            };
            if relevant {
                self.pending = Some(Instant::now());
            }
        }
        match self.pending {
            Some(at) if at.elapsed() >= DEBOUNCE => {
                self.pending = None;
                Some((self.reload)())
            }
            _ => None,
        }
    }
}
