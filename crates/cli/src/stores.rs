//! Opening a store (a SQLite file, or a PostgreSQL database by its
//! address), and the commands that work on the store as a whole: its
//! schema version, backups and restores.

use super::*;

/// A store: a SQLite file, or a PostgreSQL database for a `postgres://` address.
pub(crate) type AnyStore = Box<dyn Store + Send>;

/// Whether `db` names a PostgreSQL database rather than a SQLite file.
pub(crate) fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

pub(crate) fn open(db: &str) -> Result<AnyStore> {
    if is_postgres(db) {
        let store = dossier_store::PgStore::open(db)
            .with_context(|| format!("cannot open the store {}", redact_password(db)))?;
        return Ok(Box::new(store));
    }
    if let Ok(Some((found, to))) = SqliteStore::migrations_due(db) {
        eprintln!(
            "upgrading the store {db} from version {found} to {to}: it runs once, and takes \
             minutes on a store of millions of statements"
        );
    }
    let store = SqliteStore::open(db).with_context(|| format!("cannot open the store {db}"))?;
    Ok(Box::new(store))
}

/// A database address fit to print: any password replaced.
pub(crate) fn redact_password(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &db[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..scheme + 3], &db[at..]),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

pub(crate) fn migrate(cli: &Cli) -> Result<()> {
    let store = open(&cli.db)?;
    println!(
        "{} is at schema version {}",
        redact_password(&cli.db),
        store.schema_version()?
    );
    Ok(())
}

/// Backups are of SQLite stores; a PostgreSQL database has its own tools.
pub(crate) fn sqlite_only(db: &str, what: &str) -> Result<()> {
    if is_postgres(db) {
        bail!(
            "{what} works on SQLite stores; for PostgreSQL use pg_dump and pg_restore, \
             or `dossier export --format jsonl` for the statements"
        );
    }
    Ok(())
}

pub(crate) fn backup(cli: &Cli, path: &Path) -> Result<()> {
    sqlite_only(&cli.db, "backup")?;
    if !Path::new(&cli.db).exists() {
        bail!("there is no store at {}", cli.db);
    }
    let store =
        SqliteStore::open(&cli.db).with_context(|| format!("cannot open the store {}", cli.db))?;
    let stats = store.stats()?;
    let bytes = store.backup_to(path)?;
    println!(
        "backed up {} ({} statements, {} entities, {:.1} MB) to {}",
        cli.db,
        stats.statements,
        stats.entities_by_schema.iter().map(|e| e.1).sum::<u64>(),
        bytes as f64 / 1e6,
        path.display()
    );
    Ok(())
}

pub(crate) fn restore(cli: &Cli, path: &Path, replace: bool) -> Result<()> {
    sqlite_only(&cli.db, "restore")?;
    if !path.exists() {
        bail!("there is no backup at {}", path.display());
    }
    if Path::new(&cli.db).exists() && !replace {
        let held = SqliteStore::open(&cli.db)
            .with_context(|| format!("cannot open the store {}", cli.db))?
            .stats()?
            .statements;
        if held > 0 {
            bail!(
                "{} holds {held} statements: restoring would replace them (--replace to do so)",
                cli.db
            );
        }
    }
    let store = SqliteStore::restore(path, Path::new(&cli.db))?;
    let stats = store.stats()?;
    println!(
        "restored {} from {} ({} statements, {} entities)",
        cli.db,
        path.display(),
        stats.statements,
        stats.entities_by_schema.iter().map(|e| e.1).sum::<u64>()
    );
    let index = dossier_search::SearchIndex::open(&index_dir(&cli.db))?;
    let public = dossier_auth::public_scope(&store)?;
    let n = index.rebuild(&store.reader(&public)).context(
        "the search index was not made again (is a server holding it?): run dossier reindex",
    )?;
    println!("indexed {n} documents");
    Ok(())
}
