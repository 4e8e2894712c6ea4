//! `dossier`: the command line. Argument parsing and wiring only; the work
//! is done by the library crates.

/// `println!` that returns the write's error instead of panicking on it.
/// Rust ignores SIGPIPE, so printing into a pipe whose reader has gone
/// (`dossier stats --json | head -c1`) fails with `BrokenPipe`; the
/// standard `println!` panics on that, this one hands it to `?`, and
/// `main` ends such a command quietly. Every command prints through it
/// (it shadows the standard macro in this crate).
macro_rules! println {
    () => {
        ::std::io::Write::write_all(&mut ::std::io::stdout().lock(), b"\n")?
    };
    ($($arg:tt)*) => {
        ::std::io::Write::write_fmt(
            &mut ::std::io::stdout().lock(),
            format_args!("{}\n", format_args!($($arg)*)),
        )?
    };
}

mod accounts;
mod evidence;
mod export;
mod graph;
mod import;
mod render;
mod stores;
mod table;
mod verify;
mod xref;

use export::{export, show};
use stores::{backup, is_postgres, migrate, restore};
pub(crate) use stores::{open, redact_password, AnyStore};

use dossier_store::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use dossier_formats::{ftm, native};
use dossier_ingest::{Matcher, ProfileFormat};
use dossier_model::ids::sha1_bytes_hex;
use dossier_model::{Batch, Entity, PartialDate, Provenance, Statement};
use dossier_store::{SqliteStore, Store};

/// jemalloc instead of glibc's malloc. Under many connections the server
/// runs requests on many threads (the blocking pool), which glibc spreads
/// over up to eight arenas a core: through two minutes of
/// `dossier-bench load` its heap crept from 242 to 292 MiB and was still
/// climbing. With jemalloc it held at about 207 MiB from the first ten
/// seconds. (mimalloc was tried too: 470–560 MiB.)
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Sourced profiles of organizations and the networks they form"
)]
pub(crate) struct Cli {
    /// The store: a SQLite file (created when missing), or a PostgreSQL
    /// database (`postgres://user:password@host:port/name`, migrated when behind).
    #[arg(
        long,
        global = true,
        env = "DOSSIER_DB",
        default_value = "./dossier.db"
    )]
    db: String,
    /// Where this machine keeps the search index (derived data). By
    /// default beside a SQLite file (`dossier.db.index`), or for a
    /// PostgreSQL database in `~/.cache/dossier/` (`$XDG_CACHE_HOME`).
    #[arg(long, global = true, env = "DOSSIER_INDEX")]
    index: Option<PathBuf>,
    /// Who records what this command writes.
    #[arg(long, global = true, env = "DOSSIER_USER", default_value = "cli")]
    user: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import profile pages (text or HTML), native JSON lines or FtM entities.
    Import(ImportArgs),
    /// Write the store out.
    Export(ExportArgs),
    /// Print an organization's or person's profile.
    Show(ShowArgs),
    /// Load the built-in demo dataset (the ALLMEP profile).
    Demo,
    /// Count what the store holds.
    Stats {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Run the web application and JSON API (loads the demo into an empty store).
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Send session cookies over HTTPS only (for a server behind TLS).
        #[arg(long)]
        secure_cookies: bool,
        /// Let archiving a cited source fetch loopback and private-network
        /// addresses (by default only public ones).
        #[arg(long)]
        archive_private: bool,
        /// Seconds a client may take to send a request's headers, and then
        /// its body, before it is cut off.
        #[arg(long, default_value_t = 10.0)]
        client_timeout: f64,
    },
    /// Search names, acronyms, claims and quotations.
    Search(SearchArgs),
    /// Rebuild the search index from the store.
    Reindex,
    /// Accounts: add, list, passwd, role, token.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Collections (datasets): public or private, and who may read or edit them.
    #[command(subcommand)]
    Collection(accounts::CollectionCommand),
    /// Redact a person: left out of every page, search result and export,
    /// their names blanked wherever they appear (`--undo` lifts it).
    Redact {
        /// The person's id (or name).
        person: String,
        /// Why, for the record.
        #[arg(long, required_unless_present = "undo")]
        reason: Option<String>,
        #[arg(long)]
        undo: bool,
    },
    /// Bring the store's schema up to this program's (every command does
    /// this on opening; this says what it did).
    Migrate,
    /// Copy the whole store to a new file while it is in use (SQLite's
    /// online backup: one consistent moment, checked before it is kept).
    Backup {
        /// The backup file to write (never overwritten).
        path: PathBuf,
    },
    /// Replace the store with a backup, after checking the backup is whole;
    /// the search index is made again from it.
    Restore {
        /// The backup file (made by `dossier backup`).
        path: PathBuf,
        /// Replace a store that holds statements (otherwise refused).
        #[arg(long)]
        replace: bool,
    },
    /// Network analysis: paths, neighbours, shared members, interlocks, centrality, components.
    #[command(subcommand)]
    Graph(graph::GraphCommand),
    /// Pairs of entities that may be the same (names, acronyms, countries, shared ties).
    Xref(xref::XrefArgs),
    /// Record whether two entities are the same: same, not-same, unsure, or none.
    Judge(xref::JudgeArgs),
    /// Archive source documents (HTML, text, WARC), content-addressed.
    #[command(subcommand)]
    Archive(evidence::ArchiveCommand),
    /// Anchor a quotation in an archived document (its origin).
    Anchor {
        /// The quotation's id.
        quotation: String,
        /// The origin document's id (or its title).
        document: String,
        /// Anchor even where the copy holds only an altered form.
        #[arg(long)]
        altered: bool,
    },
    /// Re-find every quotation in its archived origin; propose origins for the rest.
    Verify(verify::VerifyArgs),
    /// Generate a synthetic dataset (for benchmarks) into the store, or as FtM JSON lines.
    Gen {
        /// How many organizations.
        #[arg(long, default_value_t = 10_000)]
        orgs: usize,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write JSON lines here instead of into the store.
        #[arg(long)]
        out: Option<PathBuf>,
        /// What `--out` holds: FtM entities, or native statements (the log
        /// `import` loads verbatim into an empty store).
        #[arg(long, value_enum, default_value_t = GenFormat::Ftm)]
        format: GenFormat,
        /// The share of organizations documented in full (people, payments,
        /// claims), from 0 to 1; the others are bare records with a network
        /// or two. 0.02 gives about 11 statements an organization, near
        /// SPEC §9's shape (10M statements for 1M organizations).
        #[arg(long, default_value_t = 1.0, value_parser = share)]
        detail: f64,
    },
}

/// A share from 0 to 1.
fn share(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{s:?} is not a number from 0 to 1")),
    }
}

/// What `dossier gen --out` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GenFormat {
    Ftm,
    Native,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// The words (empty lists everything).
    #[arg(default_value = "")]
    query: String,
    /// organization, public body, person, claim or source.
    #[arg(long)]
    kind: Option<String>,
    /// ISO country code.
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    topic: Option<String>,
    #[arg(long)]
    year: Option<u16>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum InFormat {
    /// A profile page; text or HTML told by content.
    Profile,
    /// A profile page in plain text.
    Text,
    /// A profile page in HTML.
    Html,
    /// Native statement JSON lines.
    Jsonl,
    /// FollowTheMoney entity JSON lines.
    Ftm,
    /// FtM statements CSV (nomenklatura's columns).
    Statements,
    /// Popolo JSON (persons, organizations, memberships).
    Popolo,
    /// CSV with a column mapping (--kind, --map, --mapping).
    Csv,
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// CSV: what each row is (organization, publicbody, person, membership, payment, employment, directorship, link).
    #[arg(long)]
    kind: Option<String>,
    /// CSV: property=Column (repeatable); columns named like a property map to it anyway.
    #[arg(long)]
    map: Vec<String>,
    /// CSV: a mapping file (`kind = …`, `source_column = …`, `property = Column` lines).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// CSV: the column with each row's source (an address or title); else --url, else the file.
    #[arg(long)]
    source_column: Option<String>,
    /// CSV: a row that cannot be read stops the whole import.
    #[arg(long)]
    strict: bool,
    /// Files to import; all of them go in together, or none.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The format, instead of telling it by content.
    #[arg(long, value_enum)]
    format: Option<InFormat>,
    /// The address a profile was retrieved from (identifies the source).
    #[arg(long)]
    url: Option<String>,
    /// When it was retrieved (ISO date); default: the file's modification date.
    #[arg(long)]
    retrieved: Option<String>,
    /// Who published it: the asserter of its claims.
    #[arg(long)]
    publisher: Option<String>,
    /// The dataset (collection) the statements belong to [default:
    /// "default"; a statements CSV's rows keep their own unless this is given].
    #[arg(long)]
    dataset: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    /// Native statement JSON lines (lossless).
    Jsonl,
    /// FollowTheMoney entity JSON lines.
    Ftm,
    /// FtM statements CSV (nomenklatura's columns), readable by followthemoney.
    Statements,
    /// Popolo JSON: persons, organizations, memberships, with sources.
    Popolo,
    /// schema.org JSON-LD: every organization and person as its profile page embeds it.
    Jsonld,
    /// CSV of one kind (--kind organization, person, membership, payment, …).
    Csv,
    /// The archive as WARC/1.1, one gzip member per record.
    Warc,
    /// Anchored quotations as W3C Web Annotation JSON-LD.
    Annotations,
    /// The network as GEXF 1.3 (Gephi), dated edges.
    Gexf,
    /// The network as GraphML.
    Graphml,
}

#[derive(clap::Args)]
struct ExportArgs {
    #[arg(long, value_enum)]
    format: OutFormat,
    /// For csv: which kind of entity.
    #[arg(long)]
    kind: Option<String>,
    /// For gexf and graphml: only the network around this entity (name, acronym or id).
    #[arg(long)]
    around: Option<String>,
    /// With --around: how many ties out.
    #[arg(long, default_value_t = 2)]
    hops: usize,
    /// For annotations: the address the server runs at (archived copies are under `archive/`).
    #[arg(long, default_value = "")]
    base_url: String,
    /// Write here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only what anyone may read: private collections left out (for
    /// publishing). Without it, the operator's export holds everything.
    #[arg(long)]
    public: bool,
}

#[derive(clap::Args)]
struct ShowArgs {
    /// A name, acronym or id.
    name: String,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// The `--index` given, read by `index_dir`.
static INDEX: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = INDEX.set(cli.index.clone());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            // The reader went away (`dossier show X | head`): not an error.
            ExitCode::SUCCESS
        }
        Err(e) => {
            // One line: what went wrong and where.
            let msg = one_line(&e);
            if msg.starts_with("error") || msg.contains(": error: ") {
                eprintln!("{msg}");
            } else {
                eprintln!("error: {msg}");
            }
            match e.downcast_ref::<ExitWith>() {
                Some(ExitWith(code, _)) => ExitCode::from(*code),
                None => ExitCode::FAILURE,
            }
        }
    }
}

/// An error that ends the command with its own exit status (`verify
/// --fail-on` ends with 3, so a scheduled job tells a finding from a
/// failure).
#[derive(Debug)]
pub struct ExitWith(pub u8, pub String);

impl std::fmt::Display for ExitWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for ExitWith {}

/// An error and its causes on one line, each said once: a library error
/// often repeats its source's message in its own ("database error: X"
/// caused by "X"), which `{:#}` would print twice.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        // The cause may begin with the end of what is said already.
        let overlap = (1..=text.len().min(line.len()))
            .rev()
            .filter(|&n| text.is_char_boundary(n) && line.is_char_boundary(line.len() - n))
            // Whole parts only: "…: X" followed by "X: Y", never a letter.
            .filter(|&n| text[n..].is_empty() || text[n..].starts_with(':'))
            .filter(|&n| line.len() == n || line[..line.len() - n].ends_with(": "))
            .find(|&n| line.ends_with(&text[..n]))
            .unwrap_or(0);
        let rest = text[overlap..].trim_start_matches([':', ' ']);
        if rest.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(rest);
    }
    dossier_views::bounded_message(&line)
}

pub(crate) fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn provenance(cli_user: &str, dataset: &str, origin: &str) -> Provenance {
    Provenance {
        dataset: dataset.to_string(),
        source: String::new(),
        user: cli_user.to_string(),
        origin: Some(origin.to_string()),
        now: now(),
    }
}

fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Import(args) => import::import(&cli, args),
        Command::Export(args) => export(&cli, args),
        Command::Show(args) => show(&cli, args),
        Command::Demo => demo(&cli),
        Command::Stats { json } => stats(&cli, *json),
        Command::Serve {
            addr,
            secure_cookies,
            archive_private,
            client_timeout,
        } => serve(
            &cli,
            *addr,
            *secure_cookies,
            *archive_private,
            *client_timeout,
        ),
        Command::Search(args) => search(&cli, args),
        Command::Reindex => reindex(&cli),
        Command::Migrate => migrate(&cli),
        Command::Backup { path } => backup(&cli, path),
        Command::Restore { path, replace } => restore(&cli, path, *replace),
        Command::Redact {
            person,
            reason,
            undo,
        } => redact(&cli, person, reason.as_deref(), *undo),
        Command::User(c) => accounts::user(&cli, c),
        Command::Collection(c) => accounts::collection(&cli, c),
        Command::Archive(cmd) => evidence::archive(&cli, cmd),
        Command::Graph(cmd) => graph::run(&cli, cmd),
        Command::Xref(args) => xref::run(&cli, args),
        Command::Judge(args) => xref::judge(&cli, args),
        Command::Anchor {
            quotation,
            document,
            altered,
        } => evidence::anchor(&cli, quotation, document, *altered),
        Command::Verify(args) => verify::verify(&cli, args),
        Command::Gen {
            orgs,
            seed,
            out,
            format,
            detail,
        } => generate(&cli, *orgs, *seed, out.as_deref(), *format, *detail),
    }
}

fn generate(
    cli: &Cli,
    orgs: usize,
    seed: u64,
    out: Option<&Path>,
    format: GenFormat,
    detail: f64,
) -> Result<()> {
    let cfg = dossier_gen::GenConfig {
        orgs,
        seed,
        per_source: 100,
        detail,
    };
    let mut generator = dossier_gen::Generator::new(cfg);
    let pages = orgs.div_ceil(cfg.per_source) as u64;
    let progress = indicatif::ProgressBar::new(pages);
    if let Some(path) = out {
        let mut w = BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        );
        let mut n = 0;
        // Native statements as an import into an empty store would record
        // them: each page's statements from that page, numbered in order.
        let mut prov = provenance(&cli.user, "generated", "gen");
        let mut seq = 0;
        for batch in generator.batches() {
            let batch = batch?;
            if format == GenFormat::Native {
                prov.source = batch.source.clone();
                for e in batch.entities() {
                    for mut st in dossier_model::statement::entity_statements(e, &prov) {
                        seq += 1;
                        st.seq = seq;
                        native::write_statement(&mut w, &st)?;
                        n += 1;
                    }
                }
            } else {
                let entities: Vec<Entity> = batch.entities().cloned().collect();
                n += ftm::write(&mut w, &entities, &BTreeMap::new())?;
            }
            progress.inc(1);
        }
        w.flush()?;
        progress.finish_and_clear();
        let what = match format {
            GenFormat::Ftm => "FtM entities",
            GenFormat::Native => "native statements",
        };
        println!("wrote {n} {what} to {}", path.display());
        return Ok(());
    }
    let mut store = open(&cli.db)?;
    let prov = provenance(&cli.user, "generated", "gen");
    let started = std::time::Instant::now();
    let mut statements = 0;
    let mut chunk: Vec<Batch> = Vec::new();
    let mut batches = generator.batches();
    loop {
        let next = batches.next().transpose()?;
        let done = next.is_none();
        chunk.extend(next);
        // Fifty pages a transaction: large enough to be fast, small enough to show progress.
        if chunk.len() == 50 || (done && !chunk.is_empty()) {
            for r in store.apply(&chunk, &prov)? {
                statements += r.inserted;
            }
            progress.inc(chunk.len() as u64);
            chunk.clear();
        }
        if done {
            break;
        }
    }
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!("generated {orgs} organizations: {statements} statements in {secs:.1} s ({:.0} statements/s) into {}", statements as f64 / secs, redact_password(&cli.db));
    Ok(())
}

/// Where the search index is: `--index`, or beside a store file
/// (`dossier.db` → `dossier.db.index/`), or for a PostgreSQL database a
/// folder in this user's cache directory named by a hash of its address
/// (without the password): derived data, never left in the current
/// directory where it would show up in someone's work tree.
pub(crate) fn index_dir(db: &str) -> PathBuf {
    if let Some(Some(dir)) = INDEX.get() {
        return dir.clone();
    }
    if is_postgres(db) {
        let address = redact_password(db);
        let hash = sha1_bytes_hex(address.as_bytes());
        return cache_dir().join(format!("postgres-{}.index", &hash[..16]));
    }
    PathBuf::from(format!("{db}.index"))
}

/// This user's cache directory for Dossier: `$XDG_CACHE_HOME/dossier`,
/// `~/.cache/dossier`, or the system's temporary directory when there is
/// no home.
fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("dossier")
}

/// Opens the index and brings it up to the store when it is behind.
fn current_index(db: &str, store: &dyn Store) -> Result<dossier_search::SearchIndex> {
    let index = dossier_search::SearchIndex::open(&index_dir(db))?;
    if !index.is_current(store)? {
        eprintln!("bringing the search index up to date…");
        // The index holds what anyone may see: private collections stay out.
        let public = dossier_auth::public_scope(store)?;
        let done = index
            .follow(&store.reader(&public))
            .context("cannot build the search index (is a server holding it?)")?;
        match done {
            dossier_search::Followed::Rebuilt(n) => eprintln!("indexed {n} documents"),
            dossier_search::Followed::Updated(n) => eprintln!("indexed {n} entities again"),
            dossier_search::Followed::Current => {}
        }
    }
    Ok(index)
}

fn serve(
    cli: &Cli,
    addr: std::net::SocketAddr,
    secure_cookies: bool,
    archive_private: bool,
    client_timeout: f64,
) -> Result<()> {
    let client_timeout = std::time::Duration::try_from_secs_f64(client_timeout)
        .ok()
        .filter(|d| !d.is_zero())
        .context("--client-timeout is a number of seconds above zero")?;
    let mut store = open(&cli.db)?;
    if store.stats()?.statements == 0 {
        let batch = dossier_demo::batch()?;
        store.apply(
            &[batch],
            &provenance(&cli.user, dossier_demo::DATASET, "demo"),
        )?;
        eprintln!("the store was empty: loaded the demo dataset");
    }
    let index = current_index(&cli.db, &store)?;
    // The index and the graph follow the store on connections of their own.
    let address = cli.db.clone();
    let opener: dossier_web::Opener = std::sync::Arc::new(move || {
        Ok(if is_postgres(&address) {
            Box::new(dossier_store::PgStore::open(&address)?) as dossier_web::SharedStore
        } else {
            Box::new(SqliteStore::open(&address)?)
        })
    });
    // Beside it, an index of everything for readers from whom nothing is
    // hidden, kept while some collection is private.
    let mut everything = index_dir(&cli.db).into_os_string();
    everything.push("-private");
    let everything = dossier_search::SearchIndex::open(Path::new(&everything))?;
    // A server reads facet arrays when its index changes, not in a request.
    index.read_facets_ahead()?;
    everything.read_facets_ahead()?;
    let mut state = dossier_web::AppState::new(store, index)
        .with_opener(opener)
        .with_private_index(everything)
        .with_client_timeout(client_timeout);
    if !is_postgres(&cli.db) {
        state = state.with_local_store();
    }
    if secure_cookies {
        state = state.with_secure_cookies();
    }
    if archive_private {
        state = state.with_archive_private();
    }
    let db = redact_password(&cli.db);
    dossier_web::serve(addr, state, |bound| {
        // Told once; a closed standard output does not stop the server.
        let _ = writeln!(
            std::io::stdout(),
            "Dossier is serving {db} at http://{bound}/"
        );
    })
    .with_context(|| format!("cannot serve on {addr}"))
}

fn search(cli: &Cli, args: &SearchArgs) -> Result<()> {
    let store = open(&cli.db)?;
    let index = current_index(&cli.db, &store)?;
    let q = dossier_search::SearchQuery {
        text: args.query.clone(),
        kind: args.kind.clone(),
        country: args.country.clone(),
        topic: args.topic.clone(),
        year: args.year,
        letter: None,
        limit: args.limit,
        offset: 0,
    };
    let r = index.search(&q)?;
    if args.json {
        let v = serde_json::json!({
            "query": q.text, "total": r.total,
            "hits": r.hits.iter().map(|h| serde_json::json!({"id": h.id, "kind": h.kind, "title": h.title, "snippet": h.snippet, "score": h.score})).collect::<Vec<_>>(),
            "facets": {
                "kind": r.facets.kind, "country": r.facets.country, "topic": r.facets.topic, "year": r.facets.year,
            },
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("{} results", r.total);
    for h in &r.hits {
        let snippet = h.snippet.replace("<mark>", "[").replace("</mark>", "]");
        println!("  {} ({}) {}", h.title, h.kind, h.id);
        if !snippet.is_empty() {
            println!("      {}", html_unescape(&snippet));
        }
    }
    Ok(())
}

/// Undoes the escaping of a snippet for the terminal.
fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn redact(cli: &Cli, person: &str, reason: Option<&str>, undo: bool) -> Result<()> {
    let mut store = open(&cli.db)?;
    if undo {
        // By id, or by any name the person had when redacted: their names
        // are blanked everywhere, so they are looked up in the redactions.
        let key = dossier_model::names::name_key(person);
        let redactions = store.redactions()?;
        let found: Vec<&dossier_store::Redaction> = redactions
            .iter()
            .filter(|r| {
                r.entity == person
                    || r.names
                        .iter()
                        .any(|n| dossier_model::names::name_key(n) == key)
            })
            .collect();
        // A person merged from several records is redacted under each id
        // with the same names: one person, whichever id matched.
        match found.as_slice() {
            [] => bail!("{person} is not redacted"),
            [first, ..] if found.iter().all(|r| r.names == first.names) => {
                for r in &found {
                    store.unredact(&r.entity)?;
                    dossier_auth::audit(&mut store, &cli.user, "redaction lifted", &r.entity, "")?;
                }
            }
            many => bail!(
                "{person:?} names {} redacted people ({}); give an id",
                many.len(),
                many.iter()
                    .map(|r| r.entity.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        println!("the redaction of {person} is lifted");
    } else {
        let found = dossier_views::find(&store, person)?;
        let p = match found.as_slice() {
            [one] if one.schema.name == "Person" => one.id.clone(),
            [one] => bail!(
                "{} is a {}: only a person is redacted",
                one.id,
                one.schema.name
            ),
            [] => bail!("nothing named {person:?}"),
            many => bail!("{person:?} names {} entities; give an id", many.len()),
        };
        let prov = provenance(&cli.user, "edits", "redact");
        store.redact(&p, reason.unwrap_or_default(), &prov)?;
        dossier_auth::audit(
            &mut store,
            &cli.user,
            "redacted",
            &p,
            reason.unwrap_or_default(),
        )?;
        println!("{p} is redacted: left out of every page, search result and export");
    }
    // Names may be anywhere: a redaction moves the store's shape, so the
    // index is made again by whoever follows it: here, or by a running
    // server that holds it (the redaction is committed either way, and
    // the command says so with success).
    update_index(&cli.db, &store);
    Ok(())
}

fn reindex(cli: &Cli) -> Result<()> {
    let store = open(&cli.db)?;
    let index = dossier_search::SearchIndex::open(&index_dir(&cli.db))?;
    let public = dossier_auth::public_scope(&store)?;
    let n = index
        .rebuild(&store.reader(&public))
        .context("cannot rebuild the search index (is a server holding it?)")?;
    println!("indexed {n} documents from {}", redact_password(&cli.db));
    Ok(())
}

/// Brings the search index up to date after a write, when the index exists
/// and no server holds it (a running server catches up by itself): only
/// what changed since the index's mark is indexed again.
pub(crate) fn update_index(db: &str, store: &dyn Store) {
    let dir = index_dir(db);
    if !dir.exists() {
        return;
    }
    let public = match dossier_auth::public_scope(store) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("note: the search index was not updated ({e}); run dossier reindex");
            return;
        }
    };
    let result = dossier_search::SearchIndex::open(&dir)
        .and_then(|index| index.follow(&store.reader(&public)).map(|_| ()));
    match result {
        Ok(()) => {}
        Err(e) if e.to_string().contains("LockBusy") => {
            eprintln!("note: a running server holds the search index; it catches up by itself");
        }
        Err(e) => eprintln!("note: the search index was not updated ({e}); run dossier reindex"),
    }
}

fn demo(cli: &Cli) -> Result<()> {
    let mut store = open(&cli.db)?;
    let batch = dossier_demo::batch()?;
    let prov = provenance(&cli.user, dossier_demo::DATASET, "demo");
    let reports = store.apply(std::slice::from_ref(&batch), &prov)?;
    update_index(&cli.db, &store);
    match reports.first() {
        Some(r) if r.unchanged => println!(
            "the demo dataset is already loaded in {}",
            redact_password(&cli.db)
        ),
        Some(r) => println!(
            "loaded the demo dataset into {}: {} entities, {} statements",
            redact_password(&cli.db),
            r.entities,
            r.inserted
        ),
        None => {}
    }
    println!("try: dossier show ALLMEP");
    Ok(())
}

fn stats(cli: &Cli, json: bool) -> Result<()> {
    let store = open(&cli.db)?;
    let s = store.stats()?;
    if json {
        let by_schema: BTreeMap<&str, u64> = s
            .entities_by_schema
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        let v = serde_json::json!({
            "statements": s.statements, "current_statements": s.current_statements,
            "sources": s.sources, "datasets": s.datasets, "entities": by_schema,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "statements: {} ({} current)",
            s.statements, s.current_statements
        );
        println!("sources: {}", s.sources);
        println!("datasets: {}", s.datasets.join(", "));
        for (schema, n) in &s.entities_by_schema {
            println!("{schema}: {n}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[derive(Debug)]
    struct Wrapped(&'static str, std::io::Error);
    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.1)
        }
    }

    #[test]
    fn each_cause_is_said_once() {
        let io = || std::io::Error::other("error connecting to server: refused");
        // The wrapper repeats its source's message in full.
        let e = anyhow::Error::new(Wrapped(
            "PostgreSQL: error connecting to server: refused",
            io(),
        ))
        .context("cannot open the store");
        assert_eq!(
            one_line(&e),
            "cannot open the store: PostgreSQL: error connecting to server: refused"
        );
        // The wrapper says the start of its source's message.
        let e = anyhow::Error::new(Wrapped("PostgreSQL: error connecting to server", io()));
        assert_eq!(
            one_line(&e),
            "PostgreSQL: error connecting to server: refused"
        );
        // Unrelated causes are all kept, none cut.
        let e = anyhow::Error::new(Wrapped(
            "cannot read pages",
            std::io::Error::other("s: gone"),
        ));
        assert_eq!(one_line(&e), "cannot read pages: s: gone");
    }
}
