//! The review queue's candidate pairs: worked out from the whole store,
//! kept for the store version and reader they were worked out for, and on
//! a server worked out in the background so that no request waits for
//! more than a second.

use std::sync::Arc;

use dossier_resolve::{Match, Options, Record, Scorer};
use dossier_store::{Follow, Reader};

use super::FLOOR;
use crate::{AppState, WebError};

/// Candidates kept: where the store's log was when they were worked out
/// (its version says whether they hold; its shape whether they may be
/// shown at all), the hidden collections of the reader they were worked
/// out for, and them.
pub(crate) type Kept = (dossier_store::Mark, dossier_store::Scope, Arc<Candidates>);

/// The store's candidate pairs, worked out at one store version (kept
/// beside them in the state, and moved on by this server's own decisions,
/// which do not call for working them out again).
pub(crate) struct Candidates {
    pub(super) records: Vec<Record>,
    /// Best first, scored `FLOOR` or more.
    pub(super) found: Vec<Match>,
    pub(super) scorer: Scorer,
}

/// How long a request waits for candidates being worked out before it
/// answers with older ones, or says they are being worked out.
const WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Candidates being worked out in the background: for whom, at which
/// store version, and whether they are done.
pub(crate) struct Working {
    hidden: dossier_store::Scope,
    version: i64,
    done: Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
}

/// Candidates to show, and whether they hold for the store as it is.
pub(crate) struct Shown {
    pub(crate) c: Arc<Candidates>,
    /// Worked out before the store's latest change; newer ones are being
    /// worked out.
    pub(crate) stale: bool,
}

impl std::ops::Deref for Shown {
    type Target = Candidates;
    fn deref(&self) -> &Candidates {
        &self.c
    }
}

impl AppState {
    /// The candidates, worked out again when someone else changed the
    /// store. On a server (which can open connections of its own) they
    /// are worked out in the background, one reader's view at a time: a
    /// request waits up to [`WAIT`] for them, then is answered with the
    /// last ones worked out for its reader (marked stale), or told they
    /// are being worked out. Without one, they are worked out here.
    pub(super) fn candidates(&self, store: &Reader<'_>) -> Result<Shown, WebError> {
        let mark = store.mark()?;
        let version = mark.version;
        let hidden = store.scope().clone();
        // Older candidates are shown only while the store's shape is the
        // same: after a redaction or a change to who may read what they
        // could name what may no longer be shown.
        let kept = |fresh_only: bool| {
            let kept = crate::held::lock(&self.inner.derived.review);
            kept.as_ref()
                .filter(|(m, h, _)| {
                    *h == hidden && (m.version == version || (!fresh_only && m.shape == mark.shape))
                })
                .map(|(m, _, c)| Shown {
                    c: c.clone(),
                    stale: m.version != version,
                })
        };
        if let Some(fresh) = kept(true) {
            return Ok(fresh);
        }
        let Some(open) = self.inner.conn.opener.get().cloned() else {
            let c = Arc::new(work_out(self, store)?);
            *crate::held::lock(&self.inner.derived.review) = Some((mark, hidden, c.clone()));
            return Ok(Shown { c, stale: false });
        };
        let done = self.start_working(hidden.clone(), mark, open);
        let (lock, ready) = &*done;
        let finished = crate::held::lock(lock);
        drop(
            ready
                .wait_timeout_while(finished, WAIT, |f| !*f)
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        kept(false).ok_or_else(|| {
            WebError::Unavailable(
                "The pairs that may be one entity are being worked out from the whole store \
                 (a minute or so for a hundred thousand organizations). Load this page again shortly."
                    .into(),
            )
        })
    }

    /// Starts working out the candidates for `hidden` at `mark` in
    /// the background, unless some are being worked out already (one
    /// job at a time: it takes every core it can); what to wait on.
    fn start_working(
        &self,
        hidden: dossier_store::Scope,
        mark: dossier_store::Mark,
        open: crate::Opener,
    ) -> Arc<(std::sync::Mutex<bool>, std::sync::Condvar)> {
        let version = mark.version;
        let mut working = crate::held::lock(&self.inner.derived.review_work);
        if let Some(w) = working.as_ref() {
            let finished = *crate::held::lock(&w.done.0);
            if !finished || (w.hidden == hidden && w.version == version) {
                return w.done.clone();
            }
        }
        let done = Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        *working = Some(Working {
            hidden: hidden.clone(),
            version,
            done: done.clone(),
        });
        let state = self.clone();
        let signal = done.clone();
        std::thread::spawn(move || {
            let worked = open().map_err(WebError::from).and_then(|store| {
                let reader = dossier_store::Scoped::reader(
                    store.as_ref() as &dyn dossier_store::Store,
                    &hidden,
                );
                work_out(&state, &reader)
            });
            match worked {
                Ok(c) => {
                    let mut kept = crate::held::lock(&state.inner.derived.review);
                    // Newer candidates for another reader are not replaced
                    // by older ones.
                    if kept.as_ref().is_none_or(|(m, _, _)| m.version <= version) {
                        *kept = Some((mark, hidden, Arc::new(c)));
                    }
                }
                Err(e) => eprintln!("review candidates: {e}"),
            }
            let (lock, ready) = &*signal;
            *crate::held::lock(lock) = true;
            ready.notify_all();
        });
        done
    }

    /// After this server's own decision: the candidates still hold (a
    /// decided pair is left out by the resolver, not by the list).
    pub(super) fn candidates_moved(&self, from: i64, to: i64) {
        let mut kept = crate::held::lock(&self.inner.derived.review);
        if let Some((m, _, _)) = kept.as_mut() {
            if m.version == from {
                m.version = to;
            }
        }
    }
}

/// The candidate pairs of what `store` reads, scored `FLOOR` or more.
fn work_out(state: &AppState, store: &Reader<'_>) -> Result<Candidates, WebError> {
    let graph = state.graph(store)?;
    let records = dossier_resolve::store_records(store, &|id| graph.tied_to(id))?;
    let options = Options {
        threshold: FLOOR,
        ..Options::default()
    };
    let found = dossier_resolve::xref(&records, &options);
    let scorer = Scorer::new(&records);
    Ok(Candidates {
        records,
        found,
        scorer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_store::{Scope, Scoped, SqliteStore, Write};

    /// Candidates worked out before a change are shown (marked stale)
    /// while newer ones are worked out, unless the store's shape moved
    /// (a redaction, a change to who may read what): then the request is
    /// told to come back, and nothing older is shown.
    #[test]
    fn older_pairs_are_shown_only_while_the_shape_holds() {
        let mut store = SqliteStore::in_memory().unwrap();
        let prov = dossier_model::Provenance {
            dataset: "demo".into(),
            source: String::new(),
            user: "test".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        };
        store
            .apply(&[dossier_demo::batch().unwrap()], &prov)
            .unwrap();
        let index = dossier_search::SearchIndex::in_memory().unwrap();
        // A connection slow to open: the work takes longer than a request waits.
        let slow: crate::Opener = Arc::new(|| {
            std::thread::sleep(std::time::Duration::from_secs(6));
            Ok(Box::new(SqliteStore::in_memory()?) as crate::SharedStore)
        });
        let state = AppState::new(Box::new(store), index).with_opener(slow);
        let empty = || {
            Arc::new(Candidates {
                records: Vec::new(),
                found: Vec::new(),
                scorer: Scorer::new(&[]),
            })
        };
        let keep = |mark: dossier_store::Mark| {
            *state.inner.derived.review.lock().unwrap() =
                Some((mark, Scope::everything(), empty()));
        };
        let shared = state.inner.store.lock().unwrap();
        let reader = Scoped::reader(
            shared.as_ref() as &dyn dossier_store::Store,
            &Scope::everything(),
        );
        let now = reader.mark().unwrap();
        keep(dossier_store::Mark {
            version: now.version - 1,
            ..now
        });
        let shown = state.candidates(&reader).unwrap();
        assert!(shown.stale, "older, same shape: shown as stale");
        keep(dossier_store::Mark {
            version: now.version - 1,
            shape: now.shape - 1,
            ..now
        });
        match state.candidates(&reader) {
            Err(WebError::Unavailable(_)) => {}
            Ok(s) => panic!(
                "pairs from before the shape moved were shown (stale: {})",
                s.stale
            ),
            Err(e) => panic!("{e}"),
        }
    }
}
