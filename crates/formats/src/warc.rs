//! WARC 1.0/1.1 (ISO 28500) in and out.
//!
//! Reading: plain files and gzip files, whether the whole file is one gzip
//! stream or (as archives should) one gzip member per record. Every record
//! is checked against its `Content-Length` and the `CRLF CRLF` that must
//! follow the block, so a truncated record or a wrong length is an error that
//! names the record and its byte offset, never a short or shifted payload.
//! `response` blocks are split into HTTP headers and payload (chunked
//! transfer and gzip/deflate content encodings undone).
//!
//! Hand-written rather than the `warc` crate: its errors say neither which
//! record nor where, and its reader yields records one by one where an
//! archive import must reject the whole file before anything is stored. The
//! writer emits WARC/1.1 with one gzip member per record, which the crate's
//! writer does not.

use std::fmt;
use std::io::{BufRead, Read, Write};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};
use flate2::write::GzEncoder;
use sha1::{Digest, Sha1};

/// Decompressed input beyond this is refused (a gzip bomb, or not an archive
/// Dossier should hold in one piece).
pub const MAX_DECOMPRESSED: u64 = 2 << 30;

/// How many times its compressed size gzip or deflate data may grow. Web
/// pages and WARC records compress 3 to 20 times; a bomb compresses a
/// thousand times and more (1.2 MB that unpacked to 1.2 GB).
pub const MAX_RATIO: u64 = 100;

/// Compressed data this small may always grow to this much.
const MIN_LIMIT: u64 = 16 << 20;

/// The most `compressed` bytes may decompress to: [`MAX_RATIO`] times
/// their size, at least [`MIN_LIMIT`], at most [`MAX_DECOMPRESSED`]. It is
/// checked as the bytes come out, so no more is ever held.
pub fn decompressed_limit(compressed: usize) -> u64 {
    (compressed as u64)
        .saturating_mul(MAX_RATIO)
        .clamp(MIN_LIMIT, MAX_DECOMPRESSED)
}

/// What is wrong with a WARC file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcError {
    /// 1-based number of the record the problem is in (0: before any record).
    pub record: usize,
    /// Byte offset in the file (in the decompressed stream for gzip files,
    /// with the gzip member's own offset in the message).
    pub offset: u64,
    pub message: String,
}

impl fmt::Display for WarcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.record == 0 {
            write!(f, "byte {}: {}", self.offset, self.message)
        } else {
            write!(
                f,
                "record {} (byte {}): {}",
                self.record, self.offset, self.message
            )
        }
    }
}

impl std::error::Error for WarcError {}

/// One WARC record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// 1-based position in the file.
    pub number: usize,
    /// Byte offset of the record (decompressed stream).
    pub offset: u64,
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// Header fields in file order, names as written.
    pub headers: Vec<(String, String)>,
    /// The block: `Content-Length` bytes.
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// A header's value; names are case-insensitive.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower-cased.
    pub fn record_type(&self) -> String {
        self.header("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// `WARC-Target-URI`, without the angle brackets WARC/1.0 writers add.
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
            .filter(|u| !u.is_empty())
    }
}

/// The payload of a `response` or `resource` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// HTTP status for responses.
    pub status: Option<u16>,
    /// The media type (without parameters), lower-case; empty when unknown.
    pub media_type: String,
    /// The `charset` parameter, when given.
    pub charset: Option<String>,
    /// The document's bytes, transfer and content encodings undone.
    pub body: Vec<u8>,
    /// Things undone or not undone that a reader should know.
    pub notes: Vec<String>,
}

fn err(record: usize, offset: u64, message: impl Into<String>) -> WarcError {
    WarcError {
        record,
        offset,
        message: message.into(),
    }
}

/// Decompresses a gzip file member by member, so an error names the member.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, WarcError> {
    let mut out = Vec::new();
    let mut rest: &[u8] = bytes;
    while !rest.is_empty() {
        let member_at = (bytes.len() - rest.len()) as u64;
        if rest.len() < 2 || rest[0] != 0x1f || rest[1] != 0x8b {
            return Err(err(
                0,
                member_at,
                "bytes after the last gzip member are not gzip (a damaged or concatenated file)",
            ));
        }
        let mut dec = GzDecoder::new(&mut rest);
        let limit = decompressed_limit(bytes.len()).saturating_sub(out.len() as u64) + 1;
        let read = (&mut dec).take(limit).read_to_end(&mut out);
        match read {
            Ok(_) if out.len() as u64 > decompressed_limit(bytes.len()) => {
                return Err(err(
                    0,
                    member_at,
                    format!(
                        "decompresses to more than {} bytes ({MAX_RATIO} times the file's size, \
                         or {MIN_LIMIT} bytes): a gzip bomb, or not an archive to take in whole",
                        decompressed_limit(bytes.len())
                    ),
                ))
            }
            Ok(_) => {}
            Err(e) => {
                return Err(err(
                    0,
                    member_at,
                    format!("bad gzip data in the member that starts here: {e}"),
                ))
            }
        }
        drop(dec);
    }
    Ok(out)
}

/// A reader of the decompressed stream of gzip bytes (to peek at a file's start).
pub fn gzip_reader(bytes: &[u8]) -> impl Read + '_ {
    flate2::bufread::MultiGzDecoder::new(bytes)
}

/// Reads a whole WARC file, plain or gzip. All or nothing: the first problem
/// is returned and no record is.
pub fn read(bytes: &[u8]) -> Result<Vec<WarcRecord>, WarcError> {
    let owned;
    let data: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        owned = gunzip(bytes)?;
        &owned
    } else {
        bytes
    };
    let mut records = Vec::new();
    let mut pos = 0usize;
    loop {
        // Blank lines between records are tolerated.
        while data.get(pos..).is_some_and(|r| r.starts_with(b"\r\n")) {
            pos += 2;
        }
        while data.get(pos) == Some(&b'\n') {
            pos += 1;
        }
        if pos >= data.len() {
            break;
        }
        let number = records.len() + 1;
        let record = read_record(data, &mut pos, number)?;
        records.push(record);
    }
    if records.is_empty() {
        return Err(err(0, 0, "no WARC records: the file is empty"));
    }
    Ok(records)
}

/// One line ending in LF (CR before it dropped), or `None` at the end.
fn line_at(data: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    let rest = data.get(*pos..)?;
    let end = rest.iter().position(|&b| b == b'\n')?;
    let mut line = &rest[..end];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    *pos += end + 1;
    Some(line.to_vec())
}

fn read_record(data: &[u8], pos: &mut usize, number: usize) -> Result<WarcRecord, WarcError> {
    let offset = *pos as u64;
    let fail = |m: String| err(number, offset, m);
    let first = line_at(data, pos)
        .ok_or_else(|| fail("the file ends inside a record's first line".into()))?;
    let version = String::from_utf8_lossy(&first).trim().to_string();
    if !version.starts_with("WARC/") {
        let shown: String = version.chars().take(40).collect();
        return Err(fail(format!(
            "expected a record starting with `WARC/1.1`, found `{shown}` (a wrong Content-Length in the record before, or not a WARC file)"
        )));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let line = line_at(data, pos)
            .ok_or_else(|| fail("the file ends inside the record's header".into()))?;
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        if text.starts_with([' ', '\t']) {
            match headers.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(text.trim());
                }
                None => return Err(fail("a continuation line before any header field".into())),
            }
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            let shown: String = text.chars().take(60).collect();
            return Err(fail(format!("a header line without a colon: `{shown}`")));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
        if headers.len() > 1000 {
            return Err(fail("more than 1000 header fields".into()));
        }
    }
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    };
    for required in ["WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length"] {
        if get(required).is_none() {
            return Err(fail(format!("the mandatory field {required} is missing")));
        }
    }
    let length: u64 = get("Content-Length")
        .unwrap_or("")
        .parse()
        .map_err(|_| fail("Content-Length is not a number".into()))?;
    let remaining = (data.len() - *pos) as u64;
    if length > remaining {
        return Err(fail(format!(
            "Content-Length says {length} bytes but only {remaining} remain: the record is truncated or its length is wrong"
        )));
    }
    let start = *pos;
    let end = start + length as usize;
    let block = data[start..end].to_vec();
    *pos = end;
    let trailer = &data[end..];
    if trailer.starts_with(b"\r\n\r\n") {
        *pos += 4;
    } else if trailer.starts_with(b"\n\n") {
        *pos += 2;
    } else if trailer.is_empty() {
        return Err(fail(
            "the file ends right after the block, without the CRLF CRLF that closes a record (truncated)".into(),
        ));
    } else {
        return Err(fail(format!(
            "the {length} bytes of the block are not followed by CRLF CRLF: Content-Length is wrong"
        )));
    }
    Ok(WarcRecord {
        number,
        offset,
        version,
        headers,
        block,
    })
}

/// `type/subtype` lower-cased and the charset parameter of a Content-Type.
pub fn parse_content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    });
    (media, charset)
}

/// The document a `response` or `resource` record holds; `None` for other
/// record types and for responses whose block is not an HTTP response.
pub fn payload(record: &WarcRecord) -> Result<Option<Payload>, WarcError> {
    match record.record_type().as_str() {
        "resource" => {
            let (media_type, charset) =
                parse_content_type(record.header("Content-Type").unwrap_or(""));
            Ok(Some(Payload {
                status: None,
                media_type,
                charset,
                body: record.block.clone(),
                notes: Vec::new(),
            }))
        }
        "response" => http_payload(record).map(Some),
        _ => Ok(None),
    }
}

fn http_payload(record: &WarcRecord) -> Result<Payload, WarcError> {
    let fail = |m: String| err(record.number, record.offset, m);
    let ct = record
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ct.is_empty() && !ct.starts_with("application/http") {
        // A response record of another protocol (dns, ftp): the block is the payload.
        let (media_type, charset) = parse_content_type(&ct);
        return Ok(Payload {
            status: None,
            media_type,
            charset,
            body: record.block.clone(),
            notes: Vec::new(),
        });
    }
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut headers);
    let head_len = match resp.parse(&record.block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return Err(fail(
                "the HTTP response in the block ends inside its headers".into(),
            ))
        }
        Err(e) => return Err(fail(format!("the block is not an HTTP response: {e}"))),
    };
    let header = |name: &str| {
        resp.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let (media_type, charset) = parse_content_type(&header("Content-Type").unwrap_or_default());
    let mut notes = Vec::new();
    let mut body = record.block[head_len..].to_vec();
    if header("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        match dechunk(&body) {
            Some(b) => body = b,
            // Many archivers store the payload already de-chunked but keep the header.
            None => {
                notes.push("Transfer-Encoding says chunked but the body is not; read as is".into())
            }
        }
    }
    match header("Content-Encoding").map(|c| c.to_ascii_lowercase()) {
        None => {}
        Some(c) if c == "identity" || c.is_empty() => {}
        Some(c) => match decode_content(&c, &body) {
            Ok(b) => body = b,
            Err(e) => notes.push(format!("Content-Encoding {c} not undone: {e}")),
        },
    }
    Ok(Payload {
        status: resp.code,
        media_type,
        charset,
        body,
        notes,
    })
}

fn decode_content(coding: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let limit = decompressed_limit(body.len()) + 1;
    let r = match coding {
        "gzip" | "x-gzip" => GzDecoder::new(body).take(limit).read_to_end(&mut out),
        "deflate" => {
            // "deflate" is zlib-wrapped by the standard and raw by some servers.
            match ZlibDecoder::new(body).take(limit).read_to_end(&mut out) {
                Ok(n) => Ok(n),
                Err(_) => {
                    out.clear();
                    DeflateDecoder::new(body).take(limit).read_to_end(&mut out)
                }
            }
        }
        other => return Err(format!("{other} is not a coding Dossier reads")),
    };
    r.map_err(|e| e.to_string())?;
    if out.len() as u64 > decompressed_limit(body.len()) {
        return Err(format!(
            "decompresses to more than {} bytes ({MAX_RATIO} times its size)",
            decompressed_limit(body.len())
        ));
    }
    Ok(out)
}

/// Undoes HTTP chunked transfer coding; `None` when the body is not chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let mut line = Vec::new();
        (&mut body).take(4096).read_until(b'\n', &mut line).ok()?;
        let text = std::str::from_utf8(&line).ok()?.trim();
        let size_hex = text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        if body.len() < size {
            return None;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        if body.starts_with(b"\r\n") {
            body = &body[2..];
        } else if body.starts_with(b"\n") {
            body = &body[1..];
        } else {
            return None;
        }
    }
}

/// `sha1:BASE32`, the form of WARC-Block-Digest and WARC-Payload-Digest.
pub fn sha1_base32(bytes: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&Sha1::digest(bytes))
    )
}

/// A record id derived from what the record holds, so writing the same
/// archive twice gives the same file.
pub fn record_id(parts: &[&[u8]]) -> String {
    let mut h = Sha1::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, &h.finalize());
    format!("<urn:uuid:{uuid}>")
}

/// Writes WARC/1.1 records, each as its own gzip member.
pub struct WarcWriter<W: Write> {
    out: W,
    /// Bytes written so far (compressed), so callers can index records.
    pub written: u64,
}

/// One record to write: its type, header fields beyond the mandatory and
/// digest ones, and its block.
pub struct NewRecord<'a> {
    pub warc_type: &'a str,
    /// `<urn:uuid:…>`.
    pub record_id: String,
    /// UTC, `YYYY-MM-DDThh:mm:ssZ`.
    pub date: String,
    pub content_type: &'a str,
    pub fields: Vec<(&'a str, String)>,
    pub block: &'a [u8],
}

struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> WarcWriter<W> {
    pub fn new(out: W) -> Self {
        WarcWriter { out, written: 0 }
    }

    /// Writes one record as one gzip member.
    pub fn write(&mut self, r: &NewRecord<'_>) -> std::io::Result<()> {
        let mut head = String::new();
        head.push_str("WARC/1.1\r\n");
        let mut field = |n: &str, v: &str| {
            // Header values are single lines: a stray line break would start a new field.
            let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
            head.push_str(n);
            head.push_str(": ");
            head.push_str(&v);
            head.push_str("\r\n");
        };
        field("WARC-Type", r.warc_type);
        field("WARC-Record-ID", &r.record_id);
        field("WARC-Date", &r.date);
        for (n, v) in &r.fields {
            field(n, v);
        }
        if !r.content_type.is_empty() {
            field("Content-Type", r.content_type);
        }
        field("WARC-Block-Digest", &sha1_base32(r.block));
        if r.warc_type == "resource" {
            field("WARC-Payload-Digest", &sha1_base32(r.block));
        }
        field("Content-Length", &r.block.len().to_string());
        head.push_str("\r\n");
        let counting = Counting {
            inner: &mut self.out,
            count: 0,
        };
        let mut gz = GzEncoder::new(counting, flate2::Compression::default());
        gz.write_all(head.as_bytes())?;
        gz.write_all(r.block)?;
        gz.write_all(b"\r\n\r\n")?;
        let counting = gz.finish()?;
        self.written += counting.count;
        Ok(())
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(block: &[u8]) -> NewRecord<'_> {
        NewRecord {
            warc_type: "resource",
            record_id: record_id(&[block]),
            date: "2024-05-01T10:00:00Z".into(),
            content_type: "text/plain",
            fields: vec![("WARC-Target-URI", "https://example.org/a".into())],
            block,
        }
    }

    #[test]
    fn written_records_read_back() {
        let mut w = WarcWriter::new(Vec::new());
        w.write(&record(b"first")).unwrap();
        w.write(&record(b"second\r\n\r\nwith a blank line"))
            .unwrap();
        let bytes = w.into_inner();
        let records = read(&bytes).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].block, b"second\r\n\r\nwith a blank line");
        assert_eq!(records[0].target_uri(), Some("https://example.org/a"));
        let p = payload(&records[0]).unwrap().unwrap();
        assert_eq!(p.media_type, "text/plain");
    }

    #[test]
    fn http_responses_are_split_and_dechunked() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let raw = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2020-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        );
        let mut file = raw.into_bytes();
        file.extend_from_slice(block);
        file.extend_from_slice(b"\r\n\r\n");
        let records = read(&file).unwrap();
        let p = payload(&records[0]).unwrap().unwrap();
        assert_eq!(p.body, b"hello world");
        assert_eq!(p.media_type, "text/html");
        assert_eq!(p.charset.as_deref(), Some("utf-8"));
        assert_eq!(p.status, Some(200));
    }

    #[test]
    fn wrong_lengths_and_truncation_are_named() {
        let mut w = WarcWriter::new(Vec::new());
        w.write(&record(b"0123456789")).unwrap();
        let gz = w.into_inner();
        let plain = gunzip(&gz).unwrap();
        let text = String::from_utf8(plain.clone()).unwrap();
        let longer = text.replace("Content-Length: 10", "Content-Length: 12");
        let e = read(longer.as_bytes()).unwrap_err();
        assert!(e.message.contains("Content-Length is wrong"), "{e}");
        let shorter = text.replace("Content-Length: 10", "Content-Length: 4");
        assert!(read(shorter.as_bytes()).is_err());
        let e = read(&plain[..plain.len() - 6]).unwrap_err();
        assert!(e.message.contains("truncated"), "{e}");
        let e = read(&gz[..gz.len() - 5]).unwrap_err();
        assert!(e.message.contains("gzip"), "{e}");
        assert_eq!(e.offset, 0);
    }
}
