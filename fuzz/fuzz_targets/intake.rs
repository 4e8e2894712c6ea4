//! The intake library: a file's kind told from any bytes under any name,
//! then read by that kind's reader. Whatever comes in, an error or a read,
//! never a crash.
#![no_main]

use dossier_intake::{read, Input, Matcher};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 8] = [
    "page.txt",
    "page.html",
    "data.json",
    "data.jsonl",
    "rows.csv",
    "report.pdf",
    "crawl.warc",
    "noname",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    let input = Input {
        shown: name.into(),
        file_name: name.into(),
        keep_datasets: pick & 8 == 0,
        ..Default::default()
    };
    let _ = dossier_intake::detect(bytes, name);
    let _ = read(bytes, &input, &mut Matcher::new());
});
