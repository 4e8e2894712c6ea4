//! Dossier's native statement log as JSON lines. What reads is written
//! again and reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(statements) = dossier_formats::native::read(data) {
        let mut out = Vec::new();
        for st in &statements {
            dossier_formats::native::write_statement(&mut out, st).expect("writes");
        }
        let again = dossier_formats::native::read(&out).expect("what was written reads");
        assert_eq!(again, statements);
    }
});
