//! Pages checked again rather than dropped: an answer made of the search
//! index as well as of the store (a search's results) cannot say which
//! entities the index's answer depends on, so any change could move it.
//! Its route is marked [`checked_route`]; its handler says what the
//! index answered as a fingerprint ([`Recheck::same`]). When the store
//! changes, the page is dropped only if an entity its store reads noted
//! changed; otherwise its handler runs again on its next visit, works the
//! index's answer out anew and, when the fingerprint is the one kept,
//! stops there and answers [`unchanged`]: the kept page is sent, without
//! the store reads and the rendering. A page whose handler said no
//! fingerprint is never kept.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What a page's handler says it was made of, besides its store reads,
/// and the fingerprint of the kept page it is checked against.
pub(crate) struct Recheck {
    kept: Option<u64>,
    /// The fingerprint the handler worked out; [`NONE`] before it does.
    made: AtomicU64,
}

/// No fingerprint yet (a fingerprint of this value is taken as one more).
const NONE: u64 = u64::MAX;

impl Recheck {
    /// For a handler run against the kept page's `kept` fingerprint, or
    /// with none.
    pub(crate) fn new(kept: Option<u64>) -> Self {
        Recheck {
            kept,
            made: AtomicU64::new(NONE),
        }
    }

    /// Says that the answer is made of what `fingerprint` stands for;
    /// true when it is what the kept page was made of, so the handler may
    /// stop and answer [`unchanged`].
    pub(crate) fn same(&self, fingerprint: u64) -> bool {
        let fingerprint = fingerprint.min(NONE - 1);
        self.made.store(fingerprint, Ordering::Release);
        self.kept == Some(fingerprint)
    }

    /// The fingerprint the handler said, if it said one.
    pub(crate) fn made(&self) -> Option<u64> {
        Some(self.made.load(Ordering::Acquire)).filter(|&f| f != NONE)
    }
}

/// A fingerprint of `value` as serialized: what the index answered, as
/// the page shows it (`None` when it cannot be serialized).
pub(crate) fn fingerprint(value: &impl serde::Serialize) -> Option<u64> {
    use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
    let mut h =
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().build_hasher();
    // Serializing into the hasher: nothing is kept but the hash.
    struct HashWriter<'h, H: Hasher>(&'h mut H);
    impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(HashWriter(&mut h), value).ok()?;
    Some(h.finish())
}

/// The handler's answer when the kept page is still what it would make.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unchanged;

/// The answer [`Unchanged`]: the page layer sends the kept page instead.
pub(crate) fn unchanged() -> Response {
    let mut response = StatusCode::OK.into_response();
    response.extensions_mut().insert(Unchanged);
    response
}

/// Marks an answer made of the search index as well as of its store
/// reads (set by [`checked_route`]'s layer).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked;

async fn checked(mut response: Response) -> Response {
    response.extensions_mut().insert(Checked);
    response.extensions_mut().insert(super::Precise);
    response
}

/// A route's handler, marked [`Checked`] (and precise: its store reads
/// are noted too).
pub(crate) fn checked_route<S: Clone + Send + Sync + 'static>(
    route: axum::routing::MethodRouter<S>,
) -> axum::routing::MethodRouter<S> {
    route.layer(axum::middleware::map_response(checked))
}
