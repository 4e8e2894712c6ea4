//! Accounts, sessions, API tokens and collections.

use crate::Result;

/// What an account may do: read (viewer), also edit the collections it
/// edits (editor), or everything, people and collections included (admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Someone who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub created_at: String,
}

/// A signed-in session: whose, its form token, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    /// What every form of this session must carry back.
    pub csrf: String,
    pub expires_at: String,
}

/// A collection (a dataset), who may read it when it is private, and
/// who may edit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: String,
    pub private: bool,
    /// Members: account name and whether they may edit.
    pub members: Vec<(String, bool)>,
}

/// Accounts, sessions, API tokens and collections, kept in the store so
/// every server on one database knows them. Secrets are kept only as the
/// SHA-256 of what was handed out; passwords only as argon2 hashes (the
/// hashing is the caller's).
pub trait Accounts: crate::Audit {
    /// Adds an account; one of that name must not exist.
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()>;
    /// An account and its password hash.
    fn account(&self, name: &str) -> Result<Option<(Account, String)>>;
    /// Every account, by name.
    fn accounts(&self) -> Result<Vec<Account>>;
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()>;
    fn set_role(&mut self, name: &str, role: Role) -> Result<()>;
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()>;
    /// The session with this token hash, if it has not expired by `now`.
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>>;
    fn end_session(&mut self, token_hash: &str) -> Result<()>;
    /// Ends every session of an account (its password changed, say).
    fn end_sessions_of(&mut self, account: &str) -> Result<()>;
    /// Forgets every session that expired before `now`; how many.
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize>;
    /// Records an API token (by its hash) for an account, valid until
    /// `expires_at`.
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()>;
    /// The account an API token belongs to, if it has not expired by `now`.
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>>;
    /// Revokes an account's API tokens: those with `label`, or all; how many.
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize>;
    /// Deletes an account with its sessions, tokens and memberships (what
    /// it recorded keeps its name); false when there was none.
    fn delete_account(&mut self, name: &str) -> Result<bool>;
    /// Makes a collection public or private (creating it when new).
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()>;
    /// Makes an account a member of a collection (`Some(can_edit)`), or
    /// no longer one (`None`).
    fn set_member(&mut self, collection: &str, account: &str, can_edit: Option<bool>)
        -> Result<()>;
    /// Every collection with its members, by name.
    fn collections(&self) -> Result<Vec<Collection>>;
}

impl<S: Accounts + ?Sized> Accounts for Box<S> {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        (**self).add_account(account, password_hash)
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        (**self).account(name)
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        (**self).accounts()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        (**self).set_password(name, password_hash)
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        (**self).set_role(name, role)
    }
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        (**self).add_session(token_hash, account, csrf, now, expires_at)
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        (**self).session(token_hash, now)
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        (**self).end_session(token_hash)
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        (**self).end_sessions_of(account)
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        (**self).end_expired_sessions(now)
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        (**self).add_token(token_hash, account, label, now, expires_at)
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        (**self).token(token_hash, now)
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        (**self).end_tokens_of(account, label)
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        (**self).delete_account(name)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        (**self).set_collection(name, private)
    }
    fn set_member(
        &mut self,
        collection: &str,
        account: &str,
        can_edit: Option<bool>,
    ) -> Result<()> {
        (**self).set_member(collection, account, can_edit)
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        (**self).collections()
    }
}
