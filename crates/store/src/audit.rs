//! The audit log: what was done to accounts, access and records outside
//! the statement log (sign-ins and sign-outs, roles, disabling, unlocks,
//! collections made public or private, redactions, deletions), by whom and
//! when. Entries are only ever added; admins read the newest.

use crate::Result;

/// One thing done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When (UTC, `YYYY-MM-DDTHH:MM:SS`).
    pub at: String,
    /// Who did it: an account, `cli` on the command line.
    pub actor: String,
    /// What: `sign-in`, `role`, `collection`, `redact`, …
    pub action: String,
    /// What it was done to: an account, a collection, an entity.
    pub target: String,
    /// The rest: a new role, a reason.
    pub detail: String,
}

/// Where the audit log is kept.
pub trait Audit {
    /// Adds an entry.
    fn record_audit(&mut self, entry: &AuditEntry) -> Result<()>;
    /// The newest `limit` entries, newest first.
    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>>;
}

impl<S: Audit + ?Sized> Audit for Box<S> {
    fn record_audit(&mut self, entry: &AuditEntry) -> Result<()> {
        (**self).record_audit(entry)
    }
    fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        (**self).audit_log(limit)
    }
}
