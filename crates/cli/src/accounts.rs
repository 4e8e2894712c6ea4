//! `dossier user …` and `dossier collection …`: accounts, roles, API
//! tokens, and who may read or edit which collection.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context, Result};
use dossier_store::{Accounts, Role};

use crate::{now, open, Cli};

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add an account (the password is asked for, or read from standard input).
    Add {
        name: String,
        /// viewer, editor or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set a new password (ends the account's sessions and API tokens).
    Passwd { name: String },
    /// Delete an account, with its sessions, API tokens and memberships
    /// (what it recorded keeps its name).
    Delete { name: String },
    /// Disable an account: it can no longer sign in, its sessions and API
    /// tokens end (what it recorded keeps its name).
    Disable { name: String },
    /// Enable a disabled account again, with its old password.
    Enable { name: String },
    /// Change an account's role: viewer, editor or admin.
    Role { name: String, role: String },
    /// Make an API token for an account (shown once; send it as
    /// `Authorization: Bearer TOKEN`), or with --revoke take its tokens back.
    Token {
        name: String,
        /// What the token is for (with --revoke: only the tokens of this label).
        #[arg(long)]
        label: Option<String>,
        /// How many days the token lasts.
        #[arg(long, default_value_t = dossier_auth::TOKEN_DAYS, conflicts_with = "revoke")]
        days: i64,
        /// Revoke the account's tokens (those with --label, or all).
        #[arg(long)]
        revoke: bool,
    },
}

#[derive(clap::Subcommand)]
pub enum CollectionCommand {
    /// Make a dataset a collection, public or private.
    Set {
        name: String,
        /// Only its members and admins may read it.
        #[arg(long, conflicts_with = "public")]
        private: bool,
        /// Anyone may read it.
        #[arg(long)]
        public: bool,
    },
    /// Let an account read a collection (`--edit`: also edit it).
    Grant {
        collection: String,
        account: String,
        #[arg(long)]
        edit: bool,
    },
    /// Take an account's access to a collection away.
    Revoke { collection: String, account: String },
    /// List the collections and their members.
    List {
        #[arg(long)]
        json: bool,
    },
}

fn role(text: &str) -> Result<Role> {
    Role::parse(text.trim())
        .with_context(|| format!("role {text:?} is not one of viewer, editor, admin"))
}

/// A password: typed without echo on a terminal (twice), else one line
/// of standard input.
fn read_password(prompt: &str) -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let typed = |prompt: &str| -> Result<String> {
        use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        crossterm::terminal::enable_raw_mode()?;
        let mut out = String::new();
        let result = loop {
            match event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                    KeyCode::Enter => break Ok(()),
                    KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        break Err(anyhow::anyhow!("cancelled"))
                    }
                    KeyCode::Char(c) => out.push(c),
                    KeyCode::Backspace => {
                        out.pop();
                    }
                    _ => {}
                },
                Ok(_) => {}
                Err(e) => break Err(e.into()),
            }
        };
        crossterm::terminal::disable_raw_mode()?;
        eprintln!();
        result.map(|()| out)
    };
    let first = typed(prompt)?;
    if typed("again: ")? != first {
        bail!("the two passwords differ");
    }
    Ok(first)
}

pub fn user(cli: &Cli, command: &UserCommand) -> Result<()> {
    let mut store = open(&cli.db)?;
    match command {
        UserCommand::Add { name, role: r } => {
            let r = role(r)?;
            let password = read_password(&format!("password for {name}: "))?;
            dossier_auth::add_account(&mut store, name, &password, r, &now())?;
            dossier_auth::audit(&mut store, &cli.user, "account added", name, r.as_str())?;
            println!("added {name} ({})", r.as_str());
        }
        UserCommand::List { json } => {
            let all = store.accounts()?;
            let mut disabled = std::collections::HashSet::new();
            for a in &all {
                if store
                    .account(&a.name)?
                    .is_some_and(|(_, h)| dossier_auth::is_disabled(&h))
                {
                    disabled.insert(a.name.clone());
                }
            }
            if *json {
                let v: Vec<serde_json::Value> = all
                    .iter()
                    .map(|a| serde_json::json!({"name": a.name, "role": a.role.as_str(), "created_at": a.created_at, "disabled": disabled.contains(&a.name)}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if all.is_empty() {
                println!("no accounts yet: dossier user add NAME --role admin");
            } else {
                for a in all {
                    let off = if disabled.contains(&a.name) {
                        "\tdisabled"
                    } else {
                        ""
                    };
                    println!(
                        "{}\t{}\tsince {}{off}",
                        a.name,
                        a.role.as_str(),
                        a.created_at
                    );
                }
            }
        }
        UserCommand::Passwd { name } => {
            if store.account(name)?.is_none() {
                bail!("there is no account {name}");
            }
            let password = read_password(&format!("new password for {name}: "))?;
            dossier_auth::set_password(&mut store, name, &password)?;
            dossier_auth::audit(&mut store, &cli.user, "password set", name, "")?;
            println!("password changed for {name}; their sessions and API tokens have ended");
        }
        UserCommand::Disable { name } => {
            if dossier_auth::set_disabled(&mut store, name, true)? {
                dossier_auth::audit(&mut store, &cli.user, "disabled", name, "")?;
                println!("{name} is disabled: they cannot sign in, and their sessions and API tokens have ended");
            } else {
                println!("{name} was disabled already");
            }
        }
        UserCommand::Enable { name } => {
            if dossier_auth::set_disabled(&mut store, name, false)? {
                dossier_auth::audit(&mut store, &cli.user, "enabled", name, "")?;
                println!("{name} is enabled again, with their old password");
            } else {
                println!("{name} was not disabled");
            }
        }
        UserCommand::Role { name, role: r } => {
            let r = role(r)?;
            store.set_role(name, r)?;
            dossier_auth::audit(&mut store, &cli.user, "role", name, r.as_str())?;
            println!("{name} is now {}", r.as_str());
        }
        UserCommand::Delete { name } => {
            if !store.delete_account(name)? {
                bail!("there is no account {name}");
            }
            dossier_auth::audit(&mut store, &cli.user, "account deleted", name, "")?;
            println!("{name} is deleted: their sessions and API tokens have ended");
        }
        UserCommand::Token {
            name,
            label,
            days,
            revoke,
        } => {
            let Some((_, hash)) = store.account(name)? else {
                bail!("there is no account {name}");
            };
            if dossier_auth::is_disabled(&hash) && !*revoke {
                bail!("{name} is disabled: dossier user enable {name} first");
            }
            if *revoke {
                let n = store.end_tokens_of(name, label.as_deref())?;
                println!(
                    "{} of {name} revoked",
                    dossier_views::counted(n as u64, "API token", "API tokens")
                );
                return Ok(());
            }
            if !(1..=3650).contains(days) {
                bail!("--days is from 1 to 3650");
            }
            let expires = jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(days * 24))?
                .strftime("%Y-%m-%dT%H:%M:%S")
                .to_string();
            let label = label.as_deref().unwrap_or("api");
            let token = dossier_auth::new_token(&mut store, name, label, &now(), &expires)?;
            println!("{token}");
            eprintln!(
                "an API token for {name} ({label}), until {expires} UTC, shown this once: \
                 send it as Authorization: Bearer TOKEN"
            );
        }
    }
    Ok(())
}

pub fn collection(cli: &Cli, command: &CollectionCommand) -> Result<()> {
    let mut store = open(&cli.db)?;
    match command {
        CollectionCommand::Set {
            name,
            private,
            public,
        } => {
            if !private && !public {
                bail!("say --private or --public");
            }
            store.set_collection(name, *private)?;
            let said = if *private { "private" } else { "public" };
            dossier_auth::audit(&mut store, &cli.user, "collection", name, said)?;
            println!(
                "{name} is {}",
                if *private {
                    "private: only its members and admins read it"
                } else {
                    "public"
                }
            );
        }
        CollectionCommand::Grant {
            collection,
            account,
            edit,
        } => {
            store.set_member(collection, account, Some(*edit))?;
            let said = format!(
                "{account} may {}",
                if *edit { "read and edit" } else { "read" }
            );
            dossier_auth::audit(
                &mut store,
                &cli.user,
                "collection member",
                collection,
                &said,
            )?;
            println!(
                "{account} may {} {collection}",
                if *edit { "read and edit" } else { "read" }
            );
        }
        CollectionCommand::Revoke {
            collection,
            account,
        } => {
            store.set_member(collection, account, None)?;
            let said = format!("{account} no longer a member");
            dossier_auth::audit(
                &mut store,
                &cli.user,
                "collection member",
                collection,
                &said,
            )?;
            println!("{account} no longer has access to {collection}");
        }
        CollectionCommand::List { json } => {
            let all = store.collections()?;
            if *json {
                let v: Vec<serde_json::Value> = all
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "name": c.name,
                            "private": c.private,
                            "members": c.members.iter().map(|(m, e)| serde_json::json!({"account": m, "edit": e})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for c in all {
                    let members: Vec<String> = c
                        .members
                        .iter()
                        .map(|(m, e)| format!("{m}{}", if *e { " (edits)" } else { "" }))
                        .collect();
                    println!(
                        "{}\t{}\t{}",
                        c.name,
                        if c.private { "private" } else { "public" },
                        members.join(", ")
                    );
                }
            }
        }
    }
    Ok(())
}
