//! PDFs: the text layer read page by page, then the file taken in as
//! evidence. A malformed PDF is an error, never a crash.
#![no_main]

use dossier_evidence::intake::{intake, FileMeta};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_evidence::pdf::read(data);
    let meta = FileMeta {
        name: "fuzz.pdf".into(),
        url: None,
        retrieved: None,
        user: "fuzz".into(),
        now: "2026-01-01T00:00:00Z".into(),
    };
    let _ = intake(data, &meta);
});
