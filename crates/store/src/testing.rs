//! Throwaway PostgreSQL databases for tests, on the server that
//! `scripts/with-postgres` starts (its address in `DOSSIER_TEST_PG`).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Result, StoreError};

/// A new, empty database; dropped (with its connections) when this is.
pub struct TestDatabase {
    /// Its address, for `PgStore::open` or `dossier --db`.
    pub url: String,
    admin: postgres::Config,
    name: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl TestDatabase {
    /// A new database on the test server. `None` when no server is given,
    /// unless `DOSSIER_REQUIRE_PG` is set (as the test script sets it):
    /// then a missing server is an error, so no run skips PostgreSQL
    /// unnoticed.
    pub fn create() -> Result<Option<TestDatabase>> {
        let Ok(url) = std::env::var("DOSSIER_TEST_PG") else {
            if std::env::var_os("DOSSIER_REQUIRE_PG").is_some() {
                return Err(StoreError::Io(
                    "DOSSIER_REQUIRE_PG is set but DOSSIER_TEST_PG names no server".into(),
                ));
            }
            eprintln!("DOSSIER_TEST_PG is not set: the PostgreSQL half of this test is skipped (scripts/with-postgres runs it)");
            return Ok(None);
        };
        let admin: postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Io(format!("DOSSIER_TEST_PG {url:?}: {e}")))?;
        let name = format!(
            "dossier_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = admin.connect(postgres::NoTls)?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
        Ok(Some(TestDatabase {
            url: format!("{base}/{name}"),
            admin,
            name,
        }))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = self.admin.connect(postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
