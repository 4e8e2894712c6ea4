//! Serving from PostgreSQL, with one and several servers on one database
//! (issue 29, parts 4 and 6). The suite's data is imported into a fresh
//! PostgreSQL database; then the load check's mix (profile pages,
//! searches, API reads; a third anonymous, a third a signed-in reader's,
//! a third asked with `no-cache`, so rendered) is run against:
//!
//! - the SQLite store of the same data, one `serve` (the baseline);
//! - the PostgreSQL database, one, two and three `serve` nodes, each with
//!   its own search index, wrk's connections split between them;
//! - the three nodes again while editors write to the database through
//!   connections of their own;
//!
//! and one profile page rendered on every request, on each backend. The
//! CPU time `serve` and PostgreSQL each spend on a request is read from
//! `/proc` around every run: on this machine every process shares two
//! cores, and those figures are what says how far the setup would go
//! with PostgreSQL and the nodes on machines of their own.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::suite::{free_port, run_timed, wait_for, wrk_with, Running};

/// What the measurement needs from the suite.
pub(crate) struct Setup<'a> {
    pub dossier: &'a Path,
    pub dir: &'a Path,
    /// The generated native log, imported into PostgreSQL.
    pub native: &'a Path,
    /// The suite's SQLite store of the same data (its index beside it).
    pub sqlite: &'a Path,
    /// A PostgreSQL server's address (any database on it).
    pub postgres: &'a str,
    /// The organization whose page is rendered on every request.
    pub target: &'a str,
    /// Organizations the editors change.
    pub orgs: &'a [String],
    pub seconds: u64,
}

/// wrk's connections in all, split between the nodes.
const CONNECTIONS: usize = 64;
/// Editors writing while three nodes serve, and each one's writes a
/// second: a hundred people editing, each saving every five seconds.
const EDITORS: u32 = 4;
const EDITOR_RATE: u32 = 5;

pub(crate) fn measure(s: &Setup) -> Result<Value> {
    let url = fresh_database(s.postgres, "dossier_serving")?;
    let node_index = |n: usize| s.dir.join(format!("serving-node{n}.index"));
    let on_pg = |index: &Path| {
        let (url, index) = (url.clone(), index.to_path_buf());
        move |args: &[&str]| {
            let mut cmd = Command::new(s.dossier);
            cmd.arg("--db")
                .arg(&url)
                .arg("--index")
                .arg(&index)
                .args(args)
                .env_remove("DOSSIER_DB");
            cmd
        }
    };
    let on_sqlite = |args: &[&str]| {
        let mut cmd = Command::new(s.dossier);
        cmd.arg("--db")
            .arg(s.sqlite)
            .args(args)
            .env_remove("DOSSIER_DB");
        cmd
    };
    let mut out = json!({});

    let statements =
        std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(s.native)?)).count();
    let (took, _) = run_timed(
        &mut on_pg(&node_index(0))(&["import", &s.native.to_string_lossy()]),
        "dossier import into PostgreSQL",
    )?;
    out["import"] = json!({
        "seconds": took.as_secs_f64(),
        "statements_per_s": statements as f64 / took.as_secs_f64(),
    });
    run_timed(
        &mut on_pg(&node_index(0))(&["reindex"]),
        "dossier reindex of PostgreSQL",
    )?;
    // Each node serves with an index of its own, as on machines of their
    // own: a copy of the one the import made, which each then follows.
    for n in 1..3 {
        let _ = std::fs::remove_dir_all(node_index(n));
        run_timed(
            Command::new("cp")
                .arg("-a")
                .arg(node_index(0))
                .arg(node_index(n)),
            "cp",
        )?;
    }

    // SQLite, one server.
    let sqlite_token = crate::load::reader_token(&on_sqlite, "serving")?;
    let port = free_port()?;
    let server = serve(on_sqlite(&[]), port)?;
    let script = mix_script(s.dir, "sqlite", port, &sqlite_token)?;
    out["sqlite"] = mix(&[(port, server.0.id())], &script, s.seconds)?;
    out["rendered"]["sqlite"] = rendered(port, s.target, &sqlite_token, s.seconds)?;
    drop(server);

    // PostgreSQL, one to three servers.
    let pg_token = crate::load::reader_token(&on_pg(&node_index(0)), "serving")?;
    let mut nodes = Vec::new();
    for n in 0..3 {
        let port = free_port()?;
        nodes.push((port, serve(on_pg(&node_index(n))(&[]), port)?));
    }
    let ports: Vec<(u16, u32)> = nodes.iter().map(|(p, r)| (*p, r.0.id())).collect();
    // The request list is made through the first node, and each node
    // walks it once first, as the SQLite server did: warm, all of them.
    let script = mix_script(s.dir, "postgres", ports[0].0, &pg_token)?;
    for (port, _) in &ports[1..] {
        crate::load::warm(*port, &s.dir.join("serving-postgres.txt"), &pg_token)?;
    }
    out["rendered"]["postgres"] = rendered(ports[0].0, s.target, &pg_token, s.seconds)?;
    for n in 1..=3 {
        out[format!("postgres_{n}")] = mix(&ports[..n], &script, s.seconds)?;
    }

    // Three servers while the editors write.
    let stop = Arc::new(AtomicBool::new(false));
    let editors: Vec<_> = (0..EDITORS)
        .map(|e| {
            let (url, orgs, stop) = (url.clone(), s.orgs.to_vec(), stop.clone());
            std::thread::spawn(move || {
                let store = dossier_store::PgStore::open(&url)?;
                crate::writes::write(store, &orgs, EDITOR_RATE, u64::from(e), &stop)
            })
        })
        .collect();
    let under = mix(&ports, &script, s.seconds);
    stop.store(true, Ordering::Relaxed);
    let mut took = Vec::new();
    for e in editors {
        took.extend(
            e.join()
                .map_err(|_| anyhow::anyhow!("an editor panicked"))??,
        );
    }
    took.sort();
    let mut under = under?;
    under["editors"] = json!(EDITORS);
    under["writes"] = json!(took.len());
    under["write_p50_ms"] = json!(crate::percentile(&took, 0.5).as_secs_f64() * 1000.0);
    under["write_p99_ms"] = json!(crate::percentile(&took, 0.99).as_secs_f64() * 1000.0);
    out["postgres_3_editors"] = under;
    drop(nodes);
    Ok(out)
}

/// A database `name` made anew on the server at `server`; its address.
fn fresh_database(server: &str, name: &str) -> Result<String> {
    let (base, _) = server
        .rsplit_once('/')
        .filter(|(_, db)| !db.contains('?'))
        .with_context(|| format!("{server}: not an address of the form postgres://…/database"))?;
    let mut client = postgres::Client::connect(server, postgres::NoTls)?;
    // One statement a call: neither may run inside a transaction.
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok(format!("{base}/{name}"))
}

fn serve(mut cmd: Command, port: u16) -> Result<Running> {
    let server = Running(
        cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    wait_for(port, "dossier serve")?;
    Ok(server)
}

/// The load check's request list, made through the server at `port`, and
/// its wrk script; the script's path.
fn mix_script(dir: &Path, name: &str, port: u16, token: &str) -> Result<String> {
    let paths = crate::load::requests(port, token)?;
    let list = dir.join(format!("serving-{name}.txt"));
    std::fs::write(&list, paths.join("\n") + "\n")?;
    let script = dir.join(format!("serving-{name}.lua"));
    let list = list.to_str().context("the folder's name is not UTF-8")?;
    std::fs::write(
        &script,
        crate::load::SCRIPT
            .replace("PATHS", list)
            .replace("TOKEN", token),
    )?;
    Ok(script.to_string_lossy().into_owned())
}

/// The mix at [`CONNECTIONS`], split between the servers (port and
/// process id), one wrk each at once: the summed rate, the worst p99, the
/// errors, and the CPU time each side spent a request.
fn mix(servers: &[(u16, u32)], script: &str, seconds: u64) -> Result<Value> {
    let connections = format!("-c{}", CONNECTIONS / servers.len());
    let threads = if servers.len() == 1 { "-t2" } else { "-t1" };
    let before = Cpu::now(servers);
    let runs: Vec<Result<Value>> = std::thread::scope(|scope| {
        let each: Vec<_> = servers
            .iter()
            .map(|(port, _)| {
                let connections = connections.as_str();
                scope.spawn(move || {
                    wrk_with(
                        &[threads, connections, "--timeout", "10s", "-s", script],
                        &format!("http://127.0.0.1:{port}"),
                        seconds,
                    )
                })
            })
            .collect();
        each.into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a wrk thread panicked"))?
            })
            .collect()
    });
    let spent = Cpu::now(servers).since(&before);
    let runs = runs.into_iter().collect::<Result<Vec<_>>>()?;
    let sum = |key: &str| {
        runs.iter()
            .map(|r| r[key].as_f64().unwrap_or(0.0))
            .sum::<f64>()
    };
    let requests = sum("requests").max(1.0);
    Ok(json!({
        "servers": servers.len(),
        "rps": sum("rps"),
        "requests": sum("requests"),
        "errors": sum("errors"),
        "p99_ms": runs.iter().map(|r| r["p99_ms"].as_f64().unwrap_or(f64::NAN)).fold(0.0, f64::max),
        "serve_cpu_ms_per_request": spent.serve * 1000.0 / requests,
        "postgres_cpu_ms_per_request": spent.postgres * 1000.0 / requests,
        "machine_busy": spent.busy_share(),
    }))
}

/// One profile page asked for by the signed-in reader with `no-cache`:
/// made from the store on every request.
fn rendered(port: u16, target: &str, token: &str, seconds: u64) -> Result<Value> {
    let (status, _) = crate::suite::get_with(
        port,
        &format!("/entities/{target}"),
        &format!("Authorization: Bearer {token}\r\n"),
    )?;
    if status != 200 {
        bail!("/entities/{target}: {status}");
    }
    wrk_with(
        &[
            "-t2",
            "-c32",
            "-H",
            &format!("Authorization: Bearer {token}"),
            "-H",
            "Cache-Control: no-cache",
        ],
        &format!("http://127.0.0.1:{port}/entities/{target}"),
        seconds,
    )
}

/// CPU seconds spent so far by the servers and by every PostgreSQL
/// process, and the machine's busy and idle seconds in all.
struct Cpu {
    serve: f64,
    postgres: f64,
    busy: f64,
    idle: f64,
}

/// Linux's clock ticks a second in `/proc` times (`USER_HZ`): 100 on
/// every architecture Debian builds for.
const TICKS: f64 = 100.0;

impl Cpu {
    fn now(servers: &[(u16, u32)]) -> Cpu {
        let serve = servers
            .iter()
            .map(|(_, pid)| process_ticks(*pid))
            .sum::<u64>();
        let postgres = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|c| c.trim() == "postgres")
            })
            .map(process_ticks)
            .sum::<u64>();
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let all: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|n| n.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal …
        let idle = all.get(3).copied().unwrap_or(0) + all.get(4).copied().unwrap_or(0);
        let busy = all.iter().take(8).sum::<u64>().saturating_sub(idle);
        Cpu {
            serve: serve as f64 / TICKS,
            postgres: postgres as f64 / TICKS,
            busy: busy as f64 / TICKS,
            idle: idle as f64 / TICKS,
        }
    }

    fn since(&self, before: &Cpu) -> Cpu {
        Cpu {
            serve: self.serve - before.serve,
            postgres: self.postgres - before.postgres,
            busy: self.busy - before.busy,
            idle: self.idle - before.idle,
        }
    }

    fn busy_share(&self) -> f64 {
        self.busy / (self.busy + self.idle).max(f64::MIN_POSITIVE)
    }
}

/// A process's user and system time so far, in clock ticks (fields 14
/// and 15 of `/proc/PID/stat`, counted after the command's name, which
/// may hold spaces).
fn process_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, so utime (14) is index 11.
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    tick(11) + tick(12)
}

/// BENCHMARKS.md's table of the sizes measured here.
pub(crate) fn table(sizes: &[Value]) -> String {
    use crate::report::{f, num, ratio};
    let measured: Vec<&Value> = sizes.iter().filter(|v| !v["serving"].is_null()).collect();
    if measured.is_empty() {
        return String::new();
    }
    let mut md = format!(
        "\n### Serving from PostgreSQL, one to three servers\n\n\
         The data imported into a PostgreSQL database as well (Debian's PostgreSQL, `fsync` off, on the \
         same two cores), then the load check's mix (profile pages, searches, API reads; a third anonymous, \
         a third a signed-in reader's, a third with `no-cache`, so made from the store) at {CONNECTIONS} \
         connections in all: against the SQLite store with one `serve`, and against the database with one, \
         two and three `serve` nodes (each with its own search index, wrk's connections split between \
         them), the last also while {EDITORS} editors write {EDITOR_RATE} changes a second each through \
         their own connections. \"Rendered\" is one profile page made from the store on every request \
         (signed in, `no-cache`). CPU a request is the processes' own time (`/proc`) over the requests \
         answered: what a node and the database would each need on machines of their own. Measured at \
         the run's first size only (the import into PostgreSQL is slow at larger ones; reads are by \
         index and hardly change with size).\n\n\
         | organizations | import into PostgreSQL (statements/s) | mix: SQLite (req/s) | PostgreSQL, 1 server | 2 servers | 3 servers | 3 servers + editors | PostgreSQL ÷ SQLite (1 server) | rendered: SQLite | PostgreSQL | ÷ | CPU ms a request, 1 server: serve / PostgreSQL | on SQLite: serve | writes made, p50 / p99 (ms) | errors |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    );
    for v in measured {
        let s = &v["serving"];
        let rps = |k: &str| f(&s[k]["rps"]);
        let editors = &s["postgres_3_editors"];
        let errors: f64 = [
            "sqlite",
            "postgres_1",
            "postgres_2",
            "postgres_3",
            "postgres_3_editors",
        ]
        .iter()
        .map(|k| f(&s[*k]["errors"]))
        .chain(
            ["sqlite", "postgres"]
                .iter()
                .map(|k| f(&s["rendered"][*k]["errors"])),
        )
        .sum();
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {} | {}, {} / {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&s["import"]["statements_per_s"])),
            num(rps("sqlite")),
            num(rps("postgres_1")),
            num(rps("postgres_2")),
            num(rps("postgres_3")),
            num(rps("postgres_3_editors")),
            ratio(rps("postgres_1"), rps("sqlite")),
            num(f(&s["rendered"]["sqlite"]["rps"])),
            num(f(&s["rendered"]["postgres"]["rps"])),
            ratio(f(&s["rendered"]["postgres"]["rps"]), f(&s["rendered"]["sqlite"]["rps"])),
            num(f(&s["postgres_1"]["serve_cpu_ms_per_request"])),
            num(f(&s["postgres_1"]["postgres_cpu_ms_per_request"])),
            num(f(&s["sqlite"]["serve_cpu_ms_per_request"])),
            num(f(&editors["writes"])),
            num(f(&editors["write_p50_ms"])),
            num(f(&editors["write_p99_ms"])),
            errors,
        ));
    }
    md
}
