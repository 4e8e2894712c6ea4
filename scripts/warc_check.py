#!/usr/bin/env python3
"""The reference WARC tool (warcio) on Dossier's side of the fence.

  warc_check.py write OUT.warc.gz   writes a crawl with warcio: a warcinfo
      record, HTML responses (one with a chunked, gzip-encoded body), a
      plain-text resource, a request, an image and a 404; prints, as JSON,
      the documents Dossier should archive from it (address, date, SHA-256
      of the payload).
  warc_check.py read FILE.warc.gz   reads a WARC with warcio, checking every
      digest, and prints each record (type, address, date, content type,
      SHA-256 of the payload) as JSON.
"""
import gzip
import hashlib
import io
import json
import sys

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def chunked(data: bytes, size: int = 7) -> bytes:
    out = b""
    for i in range(0, len(data), size):
        part = data[i : i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def write(path: str) -> None:
    expected = []
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        w.write_record(w.create_warcinfo_record("crawl.warc.gz", {"software": "warcio test"}))
        pages = [
            ("https://harbor.example/statement", "2024-03-01T10:00:00Z",
             "<html><head><title>Statement</title><script>var hidden = 1;</script></head>"
             "<body><nav>Home</nav><p>We will keep building bridges between communities.</p></body></html>", False),
            ("https://harbor.example/interview", "2024-04-02T08:30:00Z",
             "<html><body><h1>Interview</h1><p>\u201cPeace is a daily practice,\u201d she said.</p></body></html>", True),
        ]
        for url, date, html, encoded in pages:
            body = html.encode("utf-8")
            headers = [("Content-Type", "text/html; charset=utf-8")]
            wire = body
            if encoded:
                wire = chunked(gzip.compress(body))
                headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
            else:
                headers.append(("Content-Length", str(len(body))))
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                       http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "harbor.example")], is_http_request=True),
                                       warc_headers_dict={"WARC-Date": date})
            w.write_record(req)
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(wire),
                                       http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                                       warc_headers_dict={"WARC-Date": date})
            w.write_record(rec)
            expected.append({"url": url, "retrieved": date, "sha256": hashlib.sha256(body).hexdigest()})
        text = "Minutes of the meeting.\nThe members agreed to meet again.\n".encode("utf-8")
        rec = w.create_warc_record("https://harbor.example/minutes.txt", "resource", payload=io.BytesIO(text),
                                   warc_content_type="text/plain; charset=utf-8",
                                   warc_headers_dict={"WARC-Date": "2024-05-05T00:00:00Z"})
        w.write_record(rec)
        expected.append({"url": "https://harbor.example/minutes.txt", "retrieved": "2024-05-05T00:00:00Z",
                         "sha256": hashlib.sha256(text).hexdigest()})
        png = b"\x89PNG\r\n\x1a\nnot really"
        w.write_record(w.create_warc_record("https://harbor.example/logo.png", "response", payload=io.BytesIO(png),
                                            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
                                            warc_headers_dict={"WARC-Date": "2024-03-01T10:00:01Z"}))
        gone = b"<html><body>Not found</body></html>"
        w.write_record(w.create_warc_record("https://harbor.example/gone", "response", payload=io.BytesIO(gone),
                                            http_headers=StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
                                            warc_headers_dict={"WARC-Date": "2024-03-01T10:00:02Z"}))
    json.dump(expected, sys.stdout)


def read(path: str) -> None:
    records = []
    with open(path, "rb") as f:
        for r in ArchiveIterator(f, check_digests="raise"):
            payload = r.content_stream().read()
            records.append({
                "type": r.rec_type,
                "version": r.rec_headers.protocol,
                "url": r.rec_headers.get_header("WARC-Target-URI"),
                "date": r.rec_headers.get_header("WARC-Date"),
                "content_type": r.rec_headers.get_header("Content-Type"),
                "refers_to": r.rec_headers.get_header("WARC-Refers-To"),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "length": len(payload),
            })
    json.dump(records, sys.stdout)


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2])
