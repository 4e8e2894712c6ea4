//! Helpers the binary's end-to-end tests share: run `dossier` on a store,
//! and run a reference checker from `scripts/` with the test venv's Python.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

pub mod chromium;

pub const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Runs `dossier --db DB ARGS…`.
pub fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap()
}

/// Runs `dossier` with `input` on standard input.
pub fn with_input(db: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `dossier` and returns its standard output; fails the test if it failed.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The reference tools' Python: `DOSSIER_PYTHON`, else the workspace's venv.
pub fn python() -> String {
    std::env::var("DOSSIER_PYTHON").unwrap_or_else(|_| format!("{WORKSPACE}/.venv/bin/python"))
}

/// Runs `scripts/SCRIPT ARGS…` with the reference tools' Python and parses
/// the JSON it prints; fails the test if the tool refused.
pub fn checker(script: &str, args: &[&str]) -> serde_json::Value {
    let python = python();
    let out = Command::new(&python)
        .arg(format!("{WORKSPACE}/scripts/{script}"))
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {python} ({e}): run scripts/test, which installs the reference tools"
            )
        });
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `dossier ARGS… serve --addr 127.0.0.1:PORT EXTRA…` on a free port,
/// returned once it says where it listens. A port found free may be taken
/// by another test before the server binds it: then it tries another. A
/// server that stops before it listens fails the test with what it said.
pub fn serve(args: &[&str], extra: &[&str]) -> (Guard, u16) {
    use std::io::BufRead;
    for _ in 0..3 {
        let port = free_port();
        // What it says goes to a file, read only if it fails: a pipe that
        // nobody reads would stop a talkative server once full.
        let said = tempfile::tempfile().unwrap();
        let mut server = Guard(
            Command::new(env!("CARGO_BIN_EXE_dossier"))
                .args(args)
                .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
                .args(extra)
                .env_remove("DOSSIER_DB")
                .stdout(std::process::Stdio::piped())
                .stderr(said.try_clone().unwrap())
                .spawn()
                .unwrap(),
        );
        let mut line = String::new();
        std::io::BufReader::new(server.0.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if line.contains(&format!("http://127.0.0.1:{port}/")) {
            return (server, port);
        }
        let _ = server.0.wait();
        let mut stderr = String::new();
        let mut said = said;
        std::io::Seek::rewind(&mut said).unwrap();
        std::io::Read::read_to_string(&mut said, &mut stderr).unwrap();
        assert!(
            stderr.contains("in use"),
            "the server stopped before it listened: {line}{stderr}"
        );
    }
    panic!("three ports in a row were taken before the server could listen");
}

/// Kills a child process when dropped, so no server outlives the test.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn wait_for_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing listens on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An HTTP answer: status, headers (names in lower case), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request to a server on loopback, the connection closed
/// after it (no client library needed for a test's few requests).
pub fn http(port: u16, method: &str, path: &str, form: Option<&str>) -> Answer {
    http_as(port, method, path, form, None)
}

/// [`http`] with a `Cookie` header.
pub fn http_as(
    port: u16,
    method: &str,
    path: &str,
    form: Option<&str>,
    cookie: Option<&str>,
) -> Answer {
    request(port, method, path, form, cookie).unwrap()
}

/// [`http_as`] that reports a failed connection instead of failing the
/// test (for servers that may be gone).
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    form: Option<&str>,
    cookie: Option<&str>,
) -> std::io::Result<Answer> {
    let header = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    send(port, method, path, form, &header)
}

/// A GET with `Authorization: Bearer TOKEN`, as a script sends it.
pub fn http_bearer(port: u16, path: &str, token: &str) -> Answer {
    send(
        port,
        "GET",
        path,
        None,
        &format!("Authorization: Bearer {token}\r\n"),
    )
    .unwrap()
}

/// One request with extra header lines (each ending in CRLF).
fn send(
    port: u16,
    method: &str,
    path: &str,
    form: Option<&str>,
    headers: &str,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let body = form.unwrap_or("");
    let mut message =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    message.push_str(headers);
    if form.is_some() {
        message.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    message.push_str("\r\n");
    message.push_str(body);
    stream.write_all(message.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok(Answer {
        status,
        headers,
        body: if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    })
}

/// The value of the first hidden form field `name` on a page.
pub fn form_field(page: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&needle)
        .unwrap_or_else(|| panic!("no field {name} on the page: {page}"))
        + needle.len();
    page[at..].split('"').next().unwrap().to_string()
}

/// The sign-in form as a browser gets it: its token, and the cookie
/// (`dossier_signin=…`) the token is bound to, to send back with it.
pub fn sign_in_form(port: u16) -> (String, String) {
    let page = http(port, "GET", "/login", None);
    let token = form_field(&page.body, "token");
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (token, cookie)
}

/// Signs in through the sign-in form; the session cookie (`name=value`).
pub fn sign_in(port: u16, name: &str, password: &str) -> String {
    let (token, form_cookie) = sign_in_form(port);
    let signed = http_as(
        port,
        "POST",
        "/login",
        Some(&format!(
            "token={token}&name={name}&password={}",
            password.replace(' ', "+")
        )),
        Some(&form_cookie),
    );
    assert_eq!(signed.status, 303, "{}", signed.body);
    signed
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}
