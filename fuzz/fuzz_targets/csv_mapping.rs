//! A CSV table with its mapping file: the input is the mapping, a NUL
//! byte, then the CSV.
#![no_main]

use dossier_ingest::table::{import_csv, Mapping};
use dossier_ingest::Matcher;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (mapping, csv) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"kind = organization"[..], data),
    };
    if let Ok(m) = Mapping::parse(&String::from_utf8_lossy(mapping), "fuzz.mapping") {
        let _ = import_csv(csv, "fuzz.csv", &m, &mut Matcher::new());
    }
});
