//! A profile page as html, read whole: parsed, then its entities and
//! claims extracted. Any bytes: an error, never a panic.
#![no_main]

use dossier_ingest::{import_profile, ImportOptions, Matcher, ProfileFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ImportOptions {
        file_name: "fuzz.html".into(),
        format: Some(ProfileFormat::Html),
        ..Default::default()
    };
    let _ = import_profile(data, &opts, &mut Matcher::new());
});
