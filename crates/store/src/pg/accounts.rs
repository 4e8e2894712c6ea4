//! Accounts, sessions, tokens and collections.

use super::*;

impl Accounts for PgStore {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        let n = self.execute(
            "INSERT INTO account (name, password, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
            &[
                &account.name,
                &password_hash,
                &account.role.as_str(),
                &account.created_at,
            ],
        )?;
        if n == 0 {
            return Err(StoreError::AccountExists(account.name.clone()));
        }
        Ok(())
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        let rows = self.query(
            "SELECT name, role, created_at, password FROM account WHERE name = $1",
            &[&name],
        )?;
        rows.first()
            .map(|r| Ok((account_of(r)?, r.try_get(3)?)))
            .transpose()
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        self.query(
            "SELECT name, role, created_at FROM account ORDER BY name",
            &[],
        )?
        .iter()
        .map(account_of)
        .collect()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        if self.execute(
            "UPDATE account SET password = $2 WHERE name = $1",
            &[&name, &password_hash],
        )? == 0
        {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        Ok(())
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        if self.execute(
            "UPDATE account SET role = $2 WHERE name = $1",
            &[&name, &role.as_str()],
        )? == 0
        {
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
        self.execute(
            "INSERT INTO session (token_hash, account, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &account, &csrf, &now, &expires_at],
        )?;
        Ok(())
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        let rows = self.query(
            "SELECT a.name, a.role, a.created_at, s.csrf, s.expires_at FROM session s \
             JOIN account a ON a.name = s.account WHERE s.token_hash = $1 AND s.expires_at > $2",
            &[&token_hash, &now],
        )?;
        rows.first()
            .map(|r| {
                Ok(Session {
                    account: account_of(r)?,
                    csrf: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                })
            })
            .transpose()
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.execute("DELETE FROM session WHERE token_hash = $1", &[&token_hash])?;
        Ok(())
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        self.execute("DELETE FROM session WHERE account = $1", &[&account])?;
        Ok(())
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        let n = self.execute("DELETE FROM session WHERE expires_at <= $1", &[&now])?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO api_token (token_hash, account, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &account, &label, &now, &expires_at],
        )?;
        Ok(())
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        let rows = self.query(
            "SELECT a.name, a.role, a.created_at FROM api_token t \
             JOIN account a ON a.name = t.account WHERE t.token_hash = $1 AND t.expires_at > $2",
            &[&token_hash, &now],
        )?;
        rows.first().map(account_of).transpose()
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        let n = self.execute(
            "DELETE FROM api_token WHERE account = $1 AND ($2::TEXT IS NULL OR label = $2)",
            &[&account, &label],
        )?;
        // Nothing a follower keeps is made from tokens: no index starts
        // again. A server works out a token's reader again within a second
        // (as after a session ends), so a revoked token is refused then.
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        for sql in [
            "DELETE FROM session WHERE account = $1",
            "DELETE FROM api_token WHERE account = $1",
            "DELETE FROM collection_member WHERE account = $1",
        ] {
            tx.execute(sql, &[&name])?;
        }
        let n = tx.execute("DELETE FROM account WHERE name = $1", &[&name])?;
        tx.commit()?;
        drop(client);
        // A member no more: who may read what changed.
        self.bump_access()?;
        Ok(n > 0)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        self.bump_access()?;
        self.execute(
            "INSERT INTO collection (name, private) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET private = EXCLUDED.private",
            &[&name, &private],
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
        if self
            .query("SELECT 1 FROM collection WHERE name = $1", &[&collection])?
            .is_empty()
        {
            return Err(StoreError::UnknownCollection(collection.to_string()));
        }
        self.bump_access()?;
        match can_edit {
            Some(edit) => self.execute(
                "INSERT INTO collection_member (collection, account, can_edit) VALUES ($1, $2, $3) \
                 ON CONFLICT (collection, account) DO UPDATE SET can_edit = EXCLUDED.can_edit",
                &[&collection, &account, &edit],
            )?,
            None => self.execute(
                "DELETE FROM collection_member WHERE collection = $1 AND account = $2",
                &[&collection, &account],
            )?,
        };
        Ok(())
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        let rows = self.query(
            "SELECT c.name, c.private, m.account, m.can_edit FROM collection c \
             LEFT JOIN collection_member m ON m.collection = c.name ORDER BY c.name, m.account",
            &[],
        )?;
        let mut out: Vec<Collection> = Vec::new();
        for r in &rows {
            let name: String = r.try_get(0)?;
            if out.last().is_none_or(|c| c.name != name) {
                out.push(Collection {
                    name,
                    private: r.try_get(1)?,
                    members: Vec::new(),
                });
            }
            let member: Option<String> = r.try_get(2)?;
            let can_edit: Option<bool> = r.try_get(3)?;
            if let (Some(m), Some(e), Some(c)) = (member, can_edit, out.last_mut()) {
                c.members.push((m, e));
            }
        }
        Ok(out)
    }
}

impl crate::Audit for PgStore {
    fn record_audit(&mut self, e: &crate::AuditEntry) -> Result<()> {
        self.execute(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
            &[&e.at, &e.actor, &e.action, &e.target, &e.detail],
        )?;
        Ok(())
    }
    fn audit_log(&self, limit: usize) -> Result<Vec<crate::AuditEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.query(
            "SELECT at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT $1",
            &[&limit],
        )?
        .iter()
        .map(|r| {
            Ok(crate::AuditEntry {
                at: r.try_get(0)?,
                actor: r.try_get(1)?,
                action: r.try_get(2)?,
                target: r.try_get(3)?,
                detail: r.try_get(4)?,
            })
        })
        .collect()
    }
}
