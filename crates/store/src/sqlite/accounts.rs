//! Accounts, sessions, tokens and collections.

use super::*;

impl Accounts for SqliteStore {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO account (name, password, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![account.name, password_hash, account.role.as_str(), account.created_at],
        )?;
        if n == 0 {
            return Err(StoreError::AccountExists(account.name.clone()));
        }
        Ok(())
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        let row = self
            .conn
            .prepare_cached("SELECT name, role, created_at, password FROM account WHERE name = ?1")?
            .query_row([name], |r| Ok((read_account(r)?, r.get::<_, String>(3)?)))
            .optional()?;
        row.map(|(a, hash)| Ok((account_of(a)?, hash))).transpose()
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, role, created_at FROM account ORDER BY name")?;
        let rows = stmt.query_map([], read_account)?;
        rows.map(|r| account_of(r?)).collect()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE account SET password = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        Ok(())
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE account SET role = ?2 WHERE name = ?1",
            params![name, role.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        // An admin reads every collection: who may read what changed.
        self.bump_access()
    }
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session (token_hash, account, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, account, csrf, now, expires_at],
        )?;
        Ok(())
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.name, a.role, a.created_at, s.csrf, s.expires_at FROM session s \
                 JOIN account a ON a.name = s.account WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?
            .query_row([token_hash, now], |r| {
                Ok((read_account(r)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
            })
            .optional()?;
        row.map(|(a, csrf, expires_at)| {
            Ok(Session {
                account: account_of(a)?,
                csrf,
                expires_at,
            })
        })
        .transpose()
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM session WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM session WHERE account = ?1", [account])?;
        Ok(())
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM session WHERE expires_at <= ?1", [now])?)
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO api_token (token_hash, account, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, account, label, now, expires_at],
        )?;
        Ok(())
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.name, a.role, a.created_at FROM api_token t \
                 JOIN account a ON a.name = t.account WHERE t.token_hash = ?1 AND t.expires_at > ?2",
            )?
            .query_row([token_hash, now], read_account)
            .optional()?;
        row.map(account_of).transpose()
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        let n = self.conn.execute(
            "DELETE FROM api_token WHERE account = ?1 AND (?2 IS NULL OR label = ?2)",
            params![account, label],
        )?;
        // Nothing a follower keeps is made from tokens: no index starts
        // again. A server works out a token's reader again within a second
        // (as after a session ends), so a revoked token is refused then.
        Ok(n)
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        let tx = self.conn.transaction()?;
        for sql in [
            "DELETE FROM session WHERE account = ?1",
            "DELETE FROM api_token WHERE account = ?1",
            "DELETE FROM collection_member WHERE account = ?1",
        ] {
            tx.execute(sql, [name])?;
        }
        let n = tx.execute("DELETE FROM account WHERE name = ?1", [name])?;
        // A member no more: who may read what changed.
        tx.execute(SHAPE_CHANGED, [])?;
        tx.commit()?;
        Ok(n > 0)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        self.bump_access()?;
        self.conn.execute(
            "INSERT INTO collection (name, private) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET private = excluded.private",
            params![name, private],
        )?;
        Ok(())
    }
    fn set_member(
        &mut self,
        collection: &str,
        account: &str,
        can_edit: Option<bool>,
    ) -> Result<()> {
        if self.account(account)?.is_none() {
            return Err(StoreError::UnknownAccount(account.to_string()));
        }
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM collection WHERE name = ?1)",
            [collection],
            |r| r.get(0),
        )?;
        if !known {
            return Err(StoreError::UnknownCollection(collection.to_string()));
        }
        self.bump_access()?;
        match can_edit {
            Some(edit) => self.conn.execute(
                "INSERT INTO collection_member (collection, account, can_edit) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (collection, account) DO UPDATE SET can_edit = excluded.can_edit",
                params![collection, account, edit],
            )?,
            None => self.conn.execute(
                "DELETE FROM collection_member WHERE collection = ?1 AND account = ?2",
                [collection, account],
            )?,
        };
        Ok(())
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.name, c.private, m.account, m.can_edit FROM collection c \
             LEFT JOIN collection_member m ON m.collection = c.name ORDER BY c.name, m.account",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<bool>>(3)?,
            ))
        })?;
        let mut out: Vec<Collection> = Vec::new();
        for row in rows {
            let (name, private, member, can_edit) = row?;
            if out.last().is_none_or(|c| c.name != name) {
                out.push(Collection {
                    name,
                    private,
                    members: Vec::new(),
                });
            }
            if let (Some(m), Some(e), Some(c)) = (member, can_edit, out.last_mut()) {
                c.members.push((m, e));
            }
        }
        Ok(out)
    }
}

impl crate::Audit for SqliteStore {
    fn record_audit(&mut self, e: &crate::AuditEntry) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.at, e.actor, e.action, e.target, e.detail],
        )?;
        Ok(())
    }
    fn audit_log(&self, limit: usize) -> Result<Vec<crate::AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map([limit], |r| {
            Ok(crate::AuditEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                target: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
