//! How handlers reach the store: reads on a connection of their own
//! (`with`, `with_page`, `with_accounts`), writes through the one writing
//! connection (`with_mut`), and the followers' own connections
//! (`with_own`).
//!
//! A read runs on a blocking thread, so that a long one (a search, an
//! export, the graph made anew) holds up no other request. One page's
//! read from a store on this machine (`with_page`, when the server was
//! told its store is local: SQLite) runs on the request's own thread
//! instead: it takes tens of microseconds, less than handing it to a
//! blocking thread and back costs (a rendered profile page went from
//! 9.4k to 11.1k a second on two cores when it stopped being handed
//! over). A read that waits on a network (PostgreSQL) never does.

use std::sync::Mutex;

use dossier_search::SearchIndex;
use dossier_store::{Read, Reader, Scoped, Store, Writer};

use super::{AppState, SharedStore};
use crate::{auth, pagecache, WebError};

impl AppState {
    /// Runs `f` with a follower's own connection (`slot`), opening it on
    /// first use; with no way to open one, with the shared store.
    pub(crate) fn with_own<T>(
        &self,
        slot: &Mutex<Option<SharedStore>>,
        f: impl FnOnce(&dyn Store) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        let Some(open) = self.inner.conn.opener.get() else {
            let store = crate::held::lock(&self.inner.store);
            return f(store.as_ref());
        };
        let mut own = crate::held::lock(slot);
        let store = match own.take() {
            Some(s) => s,
            None => open()?,
        };
        let out = f(store.as_ref());
        // One the database ended is dropped: the next follow opens another.
        if !store.is_broken() {
            *own = Some(store);
        }
        out
    }

    /// Runs `f` with a writer to the store, on a blocking thread: under
    /// this request's reader's scope (what anyone may see, outside a
    /// request).
    pub(crate) async fn with_mut<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Writer<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let state = self.clone();
        let scope = auth::SCOPE.try_with(Clone::clone).ok();
        tokio::task::spawn_blocking(move || {
            let mut store = crate::held::lock(&state.inner.store);
            let scope = match scope {
                Some(s) => s,
                None => state.public_scope()?,
            };
            let done = f(&mut store.writer(&scope), &state.inner.derived.search);
            // A connection the database ended is opened again for the next
            // write (until it can be, each write says why it failed).
            if store.is_broken() {
                if let Some(Ok(again)) = state.inner.conn.opener.get().map(|open| open()) {
                    *store = again;
                }
            }
            // Counted whether or not it wrote: a failed write may have
            // changed what a store keeps, too.
            state
                .inner
                .conn
                .writes
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            done
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    }

    /// Runs `f` on a blocking thread with a connection for reading: one of
    /// the read connections when the server can open them (waiting for
    /// one to be free), else the one store.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&AppState, &dyn Store) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        self.read_on(Thread::Blocking, f).await
    }

    /// [`AppState::read`], run on the thread `on` says when a connection
    /// of its own can be had (the shared one may be held by a long write:
    /// it is always waited for on a blocking thread).
    async fn read_on<T: Send + 'static>(
        &self,
        on: Thread,
        f: impl FnOnce(&AppState, &dyn Store) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let state = self.clone();
        let permit = match self.inner.conn.opener.get() {
            Some(_) => Some(
                self.inner
                    .conn
                    .reading
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| WebError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        let here = on == Thread::Here && permit.is_some();
        let job = move || {
            let Some(open) = state.inner.conn.opener.get().filter(|_| permit.is_some()) else {
                let store = crate::held::lock(&state.inner.store);
                return f(&state, store.as_ref());
            };
            let seen = state
                .inner
                .conn
                .writes
                .load(std::sync::atomic::Ordering::Acquire);
            let kept = {
                let mut pool = crate::held::lock(&state.inner.conn.readers);
                // Connections from before this server's last write go.
                pool.retain(|(w, _)| *w == seen);
                pool.pop()
            };
            let store = match kept {
                Some((_, s)) => s,
                None => open()?,
            };
            let out = f(&state, store.as_ref());
            // Put back unless this server wrote meanwhile or the database
            // ended the connection (a restart, a timeout): the next read
            // opens another rather than failing on it again.
            if !store.is_broken()
                && state
                    .inner
                    .conn
                    .writes
                    .load(std::sync::atomic::Ordering::Acquire)
                    == seen
            {
                crate::held::lock(&state.inner.conn.readers).push((seen, store));
            }
            drop(permit);
            out
        };
        if here {
            // A read that panics answers an internal error, as it does
            // on a blocking thread, rather than dropping the connection.
            return std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                .unwrap_or_else(|_| Err(WebError::Internal("a read of the store failed".into())));
        }
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?
    }

    /// Runs `f` with the store's accounts only (sessions, tokens,
    /// collections), on a blocking thread: no statement is read, so no
    /// reader's scope is worked out first. Every request's identification
    /// goes through here.
    pub(crate) async fn with_accounts<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn dossier_store::Accounts) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        self.read(move |_, store| f(store)).await
    }

    /// Runs `f` with a reader of the store and the index, on a blocking
    /// thread: under this request's reader's scope (what anyone may see,
    /// outside a request).
    pub(crate) async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        self.with_on(Thread::Blocking, f).await
    }

    /// [`AppState::with`] for one entity's page, whose reads are bounded
    /// by the page (its lists are capped or paged), not by the store: on
    /// the request's own thread when the store is on this machine and
    /// nothing the page needs is left to be made from the whole store
    /// (the analysis graph is made).
    pub(crate) async fn with_page<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let here = self
            .inner
            .conn
            .local
            .load(std::sync::atomic::Ordering::Relaxed)
            && crate::held::read(&self.inner.derived.graph).is_some();
        let on = if here { Thread::Here } else { Thread::Blocking };
        self.with_on(on, f).await
    }

    async fn with_on<T: Send + 'static>(
        &self,
        on: Thread,
        f: impl FnOnce(&Reader<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let scope = auth::SCOPE.try_with(Clone::clone).ok();
        // A page being kept notes what it reads (`pagecache`).
        let ledger = pagecache::LEDGER.try_with(Clone::clone).ok();
        self.read_on(on, move |state, store| {
            let scope = match scope {
                Some(s) => s,
                None => state.public_scope()?,
            };
            let store = match &ledger {
                Some(l) => store.reader(&scope).noting(l.clone()),
                None => store.reader(&scope),
            };
            let store = &store;
            let index = state.index_for(store);
            // One snapshot for everything the answer reads.
            let began = store.begin_read()?;
            let answer = f(store, index);
            if began {
                store.end_read()?;
            }
            answer
        })
        .await
    }
}

/// Where a read runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Thread {
    /// On a thread of the blocking pool.
    Blocking,
    /// On the request's own thread.
    Here,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::thread::ThreadId;

    use dossier_store::SqliteStore;

    use super::*;

    fn state(local: bool) -> AppState {
        let open: crate::Opener =
            Arc::new(|| Ok(Box::new(SqliteStore::in_memory()?) as crate::SharedStore));
        let state = AppState::new(
            Box::new(SqliteStore::in_memory().unwrap()),
            dossier_search::SearchIndex::in_memory().unwrap(),
        )
        .with_opener(open);
        if local {
            state.with_local_store()
        } else {
            state
        }
    }

    /// A runtime on this thread, as a test drives the handlers.
    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    /// The thread a page's read ran on, and the thread that asked.
    fn page_read_on(state: &AppState) -> (ThreadId, ThreadId) {
        let rt = runtime();
        let ran = rt
            .block_on(state.with_page(|_, _| Ok(std::thread::current().id())))
            .unwrap();
        (ran, std::thread::current().id())
    }

    /// One page's read runs on the request's own thread only when the
    /// store is local and the graph is made (nothing left to make from
    /// the whole store); otherwise, and for every other read, on a
    /// blocking thread.
    #[test]
    fn a_page_read_runs_here_only_on_a_local_store_with_its_graph_made() {
        let remote = state(false);
        remote.refresh_graph().unwrap();
        let (ran, asked) = page_read_on(&remote);
        assert_ne!(ran, asked, "a store not said to be local: handed over");

        let local = state(true);
        let (ran, asked) = page_read_on(&local);
        assert_ne!(ran, asked, "no graph yet: handed over");
        local.refresh_graph().unwrap();
        let (ran, asked) = page_read_on(&local);
        assert_eq!(ran, asked, "local, graph made: read here");

        let rt = runtime();
        let other = rt
            .block_on(local.with(|_, _| Ok(std::thread::current().id())))
            .unwrap();
        assert_ne!(other, asked, "any other read: handed over");
    }

    /// A page read that panics on the request's thread answers an
    /// internal error, as it would from a blocking thread, and leaves
    /// the server reading.
    #[test]
    fn a_page_read_that_panics_here_is_an_internal_error() {
        let local = state(true);
        local.refresh_graph().unwrap();
        let rt = runtime();
        let failed = rt.block_on(
            local.with_page(|_, _| -> Result<(), WebError> { panic!("a read gone wrong") }),
        );
        assert!(matches!(failed, Err(WebError::Internal(_))), "{failed:?}");
        let again = rt.block_on(local.with_page(|store, _| Ok(store.entity("nobody")?)));
        assert!(again.is_ok(), "{again:?}");
    }

    /// A connection the database ended (a restart, an idle timeout, an
    /// administrator) fails the read or write it was taken for, once: it
    /// is not kept, and the next opens another; the same for the
    /// writing connection and the followers' own.
    #[test]
    fn a_read_connection_the_database_ended_is_not_used_again() {
        let Some(pg) = dossier_store::testing::TestDatabase::create().unwrap() else {
            return;
        };
        let url = pg.url.clone();
        let open: crate::Opener = Arc::new(move || {
            Ok(Box::new(dossier_store::PgStore::open(&url)?) as crate::SharedStore)
        });
        let state = AppState::new(
            Box::new(dossier_store::PgStore::open(&pg.url).unwrap()),
            dossier_search::SearchIndex::in_memory().unwrap(),
        )
        .with_opener(open);
        let rt = runtime();
        let read = || rt.block_on(state.with(|store, _| Ok(store.entity("nobody")?)));
        let write = || rt.block_on(state.with_mut(|w, _| Ok(w.read().entity("nobody")?)));
        assert!(read().is_ok());
        assert!(write().is_ok());
        assert!(state.refresh_graph().is_ok());
        let mut admin = postgres::Client::connect(&pg.url, postgres::NoTls).unwrap();
        admin
            .batch_execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .unwrap();
        drop(admin);
        let _ = read();
        let again = read();
        assert!(again.is_ok(), "a new connection reads: {again:?}");
        // The writing connection and the followers' own, alike.
        let _ = write();
        let again = write();
        assert!(again.is_ok(), "a new connection writes: {again:?}");
        let _ = state.refresh_graph();
        let again = state.refresh_graph();
        assert!(again.is_ok(), "the graph follows again: {again:?}");
    }
}
