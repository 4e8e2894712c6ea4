//! WARC files, plain or gzip: the records read, then the file taken in
//! as evidence (its responses archived, their text extracted).
#![no_main]

use dossier_evidence::intake::{intake, FileMeta};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_formats::warc::read(data);
    let meta = FileMeta {
        name: "fuzz.warc".into(),
        url: None,
        retrieved: None,
        user: "fuzz".into(),
        now: "2026-01-01T00:00:00Z".into(),
    };
    let _ = intake(data, &meta);
});
