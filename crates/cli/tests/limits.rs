//! A running `dossier serve` against slow and oversized requests: a client
//! that sends its headers too slowly is cut off, a body that comes too
//! slowly gets 408, a body over the limit 413 (declared or not), and the
//! server goes on answering everyone else meanwhile.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::http;

/// Reads until the server answers or closes; the answer's status line (or
/// nothing) and how long it took.
fn answer(stream: &mut TcpStream) -> (String, Duration) {
    let start = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    (
        text.lines().next().unwrap_or("").to_string(),
        start.elapsed(),
    )
}

#[test]
fn slow_and_oversized_requests_are_cut_off_and_others_still_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let (_server, port) =
        common::serve(&["--db", db.to_str().unwrap()], &["--client-timeout", "1"]);
    let connect = || TcpStream::connect(("127.0.0.1", port)).unwrap();

    // Many clients sending half their headers and then nothing.
    let mut idle: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut s = connect();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    // The server still answers others at once.
    let t = Instant::now();
    assert_eq!(http(port, "GET", "/api/v1/stats", None).status, 200);
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    // And cuts the slow ones off after the timeout (1 s here).
    for s in idle.iter_mut().take(4) {
        let (status, took) = answer(s);
        assert!(took < Duration::from_secs(5), "held for {took:?}");
        assert!(status.is_empty() || status.contains(" 408"), "{status}");
    }

    // Headers in time, the body too slowly: 408.
    let mut s = connect();
    s.write_all(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=a",
    )
    .unwrap();
    let (status, took) = answer(&mut s);
    assert!(status.contains(" 408"), "{status}");
    assert!(took < Duration::from_secs(5), "{took:?}");

    // A body declared larger than the limit: 413 before it is sent.
    let mut s = connect();
    s.write_all(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000000\r\n\r\n",
    )
    .unwrap();
    assert!(answer(&mut s).0.contains(" 413"));

    // A body sent in chunks past the limit, undeclared: 413 too.
    let mut s = connect();
    s.write_all(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
    )
    .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..20 {
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .is_err()
            || s.write_all(&chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    assert!(answer(&mut s).0.contains(" 413"));

    // Everyone else is still served.
    assert_eq!(http(port, "GET", "/", None).status, 200);
    drop(idle);
}
