//! Popolo JSON (persons, organizations, memberships).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_formats::popolo::read(data);
});
