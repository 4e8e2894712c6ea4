//! FtM statements CSV (nomenklatura's columns).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dossier_formats::statements::read_csv(data);
});
