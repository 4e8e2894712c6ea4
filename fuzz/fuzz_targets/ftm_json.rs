//! FollowTheMoney entities as JSON lines (or one JSON array).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_formats::ftm::read(data);
});
