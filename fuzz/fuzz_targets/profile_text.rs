//! A profile page as text, read whole: parsed, then its entities and
//! claims extracted. Any bytes: an error, never a panic.
#![no_main]

use dossier_ingest::{import_profile, ImportOptions, Matcher, ProfileFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ImportOptions {
        file_name: "fuzz.text".into(),
        format: Some(ProfileFormat::Text),
        ..Default::default()
    };
    let _ = import_profile(data, &opts, &mut Matcher::new());
});
