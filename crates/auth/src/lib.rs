//! Who may do what.
//!
//! Passwords are hashed with argon2id (the `argon2` crate's defaults, PHC
//! strings with their own salt). Sessions and API tokens are 32 random
//! bytes from the operating system, handed out once and kept in the store
//! only as their SHA-256. [`Access`] answers what an account (or nobody)
//! may read and edit: anyone reads public collections; private ones only
//! their members and admins; editors edit the collections they are
//! editors of; admins everything.
//!
//! Architecture invariant: no HTTP and no SQL here; the store keeps the
//! accounts (`dossier_store::Accounts`), the web application and the CLI
//! ask this crate.

use std::collections::HashSet;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use dossier_store::{Account, Accounts, Collection, Role, Scope, Session, StoreError};
use sha2::{Digest, Sha256};

/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;

/// The fewest characters a password may have.
pub const MIN_PASSWORD: usize = 10;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("a password needs at least {MIN_PASSWORD} characters")]
    WeakPassword,
    #[error("an account name is 1 to 64 letters, digits, dots, dashes or underscores")]
    BadName,
    /// Wrong name or password: which one is not said.
    #[error("wrong account name or password")]
    WrongCredentials,
    #[error("the system gave no randomness for a secret")]
    NoRandomness,
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = AuthError> = std::result::Result<T, E>;

/// Hashes a password for keeping (argon2id, a fresh salt).
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AuthError::WeakPassword);
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::NoRandomness)?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| AuthError::Hashing(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hashing(e.to_string()))
}

/// Whether `password` is the one `hash` was made from.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// 32 random bytes as hex: a session, a token, a form token.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::NoRandomness)?;
    Ok(data_encoding::HEXLOWER.encode(&bytes))
}

/// What the store keeps of a secret.
pub fn secret_hash(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(secret.as_bytes()))
}

/// Compares in time that does not depend on where the strings differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(AuthError::BadName)
    }
}

/// Adds an entry to the audit log: `actor` did `action` to `target`
/// (`detail` says the rest), now.
pub fn audit(
    store: &mut dyn Accounts,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    let at = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    store.record_audit(&dossier_store::AuditEntry {
        at,
        actor: actor.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        detail: detail.to_string(),
    })?;
    Ok(())
}

/// Adds an account with a password.
pub fn add_account(
    store: &mut dyn Accounts,
    name: &str,
    password: &str,
    role: Role,
    now: &str,
) -> Result<Account> {
    check_name(name)?;
    let hash = hash_password(password)?;
    let account = Account {
        name: name.to_string(),
        role,
        created_at: now.to_string(),
    };
    store.add_account(&account, &hash)?;
    Ok(account)
}

/// Sets a new password and ends the account's sessions.
pub fn set_password(store: &mut dyn Accounts, name: &str, password: &str) -> Result<()> {
    let mut hash = hash_password(password)?;
    // A disabled account stays disabled with its new password.
    if store.account(name)?.is_some_and(|(_, h)| is_disabled(&h)) {
        hash = format!("{DISABLED}{hash}");
    }
    store.set_password(name, &hash)?;
    // A changed password is often a stolen one: every way in it opened ends.
    store.end_sessions_of(name)?;
    store.end_tokens_of(name, None)?;
    Ok(())
}

/// What a disabled account's password hash starts with (as `!` in a Unix
/// shadow file): no password verifies against it, and taking it away
/// gives the old password back.
const DISABLED: &str = "!disabled!";

/// Whether a kept password hash is a disabled account's.
pub fn is_disabled(hash: &str) -> bool {
    hash.starts_with(DISABLED)
}

/// Disables an account (no sign-in; its sessions and API tokens end; what
/// it recorded keeps its name), or enables it again with its password.
/// Returns whether anything changed.
pub fn set_disabled(store: &mut dyn Accounts, name: &str, disabled: bool) -> Result<bool> {
    let (_, hash) = store
        .account(name)?
        .ok_or_else(|| StoreError::UnknownAccount(name.to_string()))?;
    let new = match (disabled, hash.strip_prefix(DISABLED)) {
        (true, None) => format!("{DISABLED}{hash}"),
        (false, Some(old)) => old.to_string(),
        _ => return Ok(false),
    };
    store.set_password(name, &new)?;
    store.end_sessions_of(name)?;
    store.end_tokens_of(name, None)?;
    Ok(true)
}

/// A session just opened: the secret for the cookie, and the session.
#[derive(Debug, Clone)]
pub struct Opened {
    pub token: String,
    pub session: Session,
}

/// Signs in: checks the password and opens a session until `expires_at`.
/// A wrong name costs as much time as a wrong password.
pub fn sign_in(
    store: &mut dyn Accounts,
    name: &str,
    password: &str,
    now: &str,
    expires_at: &str,
) -> Result<Opened> {
    let found = store.account(name)?;
    // Verify against a real hash either way, so timing tells nothing.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default());
    let hash = found.as_ref().map_or(dummy.as_str(), |(_, h)| h.as_str());
    let ok = verify_password(password, hash);
    let Some((account, _)) = found.filter(|_| ok) else {
        return Err(AuthError::WrongCredentials);
    };
    let token = new_secret()?;
    let csrf = new_secret()?;
    // Sessions past their time are of no use to anyone: each sign-in
    // sweeps them away.
    store.end_expired_sessions(now)?;
    store.add_session(&secret_hash(&token), &account.name, &csrf, now, expires_at)?;
    Ok(Opened {
        token,
        session: Session {
            account,
            csrf,
            expires_at: expires_at.to_string(),
        },
    })
}

/// The session a cookie's secret opens, if it is current.
pub fn session(store: &dyn Accounts, token: &str, now: &str) -> Result<Option<Session>> {
    Ok(store.session(&secret_hash(token), now)?)
}

/// Ends the session a cookie's secret opened.
pub fn sign_out(store: &mut dyn Accounts, token: &str) -> Result<()> {
    Ok(store.end_session(&secret_hash(token))?)
}

/// How long an API token lasts unless its maker says otherwise.
pub const TOKEN_DAYS: i64 = 90;

/// Makes an API token for an account, valid until `expires_at`; the token
/// is shown once.
pub fn new_token(
    store: &mut dyn Accounts,
    account: &str,
    label: &str,
    now: &str,
    expires_at: &str,
) -> Result<String> {
    if store.account(account)?.is_none() {
        return Err(StoreError::UnknownAccount(account.to_string()).into());
    }
    let token = new_secret()?;
    store.add_token(&secret_hash(&token), account, label, now, expires_at)?;
    Ok(token)
}

/// The account an API token belongs to, if the token has not expired by
/// `now` (nor been revoked).
pub fn token_account(store: &dyn Accounts, token: &str, now: &str) -> Result<Option<Account>> {
    Ok(store.token(&secret_hash(token), now)?)
}

/// What anyone may see (the private collections hidden): what the search
/// index, a server's graph and anything shared between readers are made
/// under.
pub fn public_scope(store: &dyn Accounts) -> Result<Scope> {
    Ok(Access::anonymous(&store.collections()?).scope())
}

/// What one reader (an account, or nobody) may read and edit.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub account: Option<Account>,
    /// Private collections this reader may not see.
    hidden: HashSet<String>,
    /// Collections this reader may edit.
    editable: HashSet<String>,
}

impl Access {
    /// Works it out from the store's collections.
    pub fn of(account: Option<Account>, collections: &[Collection]) -> Access {
        let name = account.as_ref().map(|a| a.name.as_str());
        let role = account.as_ref().map(|a| a.role);
        fn member<'c>(c: &'c Collection, name: Option<&str>) -> Option<&'c (String, bool)> {
            c.members.iter().find(|(m, _)| Some(m.as_str()) == name)
        }
        let hidden = collections
            .iter()
            .filter(|c| c.private && role != Some(Role::Admin) && member(c, name).is_none())
            .map(|c| c.name.clone())
            .collect();
        let editable = collections
            .iter()
            .filter(|c| {
                role == Some(Role::Admin)
                    || (role == Some(Role::Editor)
                        && member(c, name).is_some_and(|(_, edit)| *edit))
            })
            .map(|c| c.name.clone())
            .collect();
        Access {
            account,
            hidden,
            editable,
        }
    }

    /// Nobody signed in.
    pub fn anonymous(collections: &[Collection]) -> Access {
        Access::of(None, collections)
    }

    pub fn role(&self) -> Option<Role> {
        self.account.as_ref().map(|a| a.role)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// Whether statements of this dataset may be shown. A dataset that is
    /// no collection is public.
    pub fn can_read(&self, dataset: &str) -> bool {
        !self.hidden.contains(dataset)
    }

    /// Whether this reader may record statements in this dataset: admins
    /// anywhere; editors in the collections they edit, and in datasets
    /// that are no collection yet.
    pub fn can_edit(&self, dataset: &str, collections: &[Collection]) -> bool {
        match self.role() {
            Some(Role::Admin) => true,
            Some(Role::Editor) => {
                self.editable.contains(dataset) || !collections.iter().any(|c| c.name == dataset)
            }
            _ => false,
        }
    }

    /// Whether this reader may decide on entity resolution (an editor or admin).
    pub fn can_judge(&self) -> bool {
        self.role() >= Some(Role::Editor)
    }

    /// What this reader reads and writes under: the private collections
    /// they may not see hidden.
    pub fn scope(&self) -> Scope {
        Scope::hiding(self.hidden.iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collections() -> Vec<Collection> {
        vec![
            Collection {
                name: "public".into(),
                private: false,
                members: vec![("ed".into(), true)],
            },
            Collection {
                name: "secret".into(),
                private: true,
                members: vec![("ed".into(), true), ("vi".into(), false)],
            },
            Collection {
                name: "closed".into(),
                private: true,
                members: vec![],
            },
        ]
    }

    fn account(name: &str, role: Role) -> Option<Account> {
        Some(Account {
            name: name.into(),
            role,
            created_at: String::new(),
        })
    }

    #[test]
    fn access_follows_roles_and_membership() {
        let c = collections();
        let nobody = Access::anonymous(&c);
        assert!(nobody.can_read("public") && nobody.can_read("demo"));
        assert!(!nobody.can_read("secret") && !nobody.can_read("closed"));
        assert!(!nobody.can_edit("public", &c) && !nobody.can_judge());
        let vi = Access::of(account("vi", Role::Viewer), &c);
        assert!(vi.can_read("secret") && !vi.can_read("closed"));
        assert!(!vi.can_edit("secret", &c));
        let ed = Access::of(account("ed", Role::Editor), &c);
        assert!(ed.can_edit("secret", &c) && ed.can_edit("public", &c));
        assert!(
            ed.can_edit("new-notes", &c),
            "a dataset that is no collection"
        );
        assert!(!ed.can_edit("closed", &c) && !ed.can_read("closed"));
        let other = Access::of(account("other", Role::Editor), &c);
        assert!(
            !other.can_edit("public", &c),
            "public, but not theirs to edit"
        );
        let admin = Access::of(account("root", Role::Admin), &c);
        assert!(admin.can_read("closed") && admin.can_edit("closed", &c));
        assert_eq!(nobody.scope().hidden(), ["closed", "secret"]);
    }

    #[test]
    fn passwords_hash_and_verify() {
        assert!(matches!(
            hash_password("short"),
            Err(AuthError::WeakPassword)
        ));
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse battery!", &h));
        assert!(!verify_password("anything", "not a hash"));
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
        assert_eq!(new_secret().unwrap().len(), 64);
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("a", "ab"));
    }

    #[test]
    fn a_disabled_account_cannot_sign_in_until_enabled() {
        let mut store = dossier_store::SqliteStore::in_memory().unwrap();
        let (now, until) = ("2026-01-01T00:00:00", "2026-01-02T00:00:00");
        add_account(&mut store, "ann", "a good long password", Role::Editor, now).unwrap();
        let opened = sign_in(&mut store, "ann", "a good long password", now, until).unwrap();
        let token = new_token(&mut store, "ann", "ci", now, until).unwrap();
        assert!(set_disabled(&mut store, "ann", true).unwrap());
        assert!(
            !set_disabled(&mut store, "ann", true).unwrap(),
            "once is enough"
        );
        assert!(matches!(
            sign_in(&mut store, "ann", "a good long password", now, until),
            Err(AuthError::WrongCredentials)
        ));
        assert!(session(&store, &opened.token, now).unwrap().is_none());
        assert!(token_account(&store, &token, now).unwrap().is_none());
        // A new password leaves it disabled.
        set_password(&mut store, "ann", "another long password").unwrap();
        assert!(sign_in(&mut store, "ann", "another long password", now, until).is_err());
        assert!(set_disabled(&mut store, "ann", false).unwrap());
        assert!(sign_in(&mut store, "ann", "another long password", now, until).is_ok());
        assert!(matches!(
            set_disabled(&mut store, "nobody", true),
            Err(AuthError::Store(StoreError::UnknownAccount(_)))
        ));
    }
}
