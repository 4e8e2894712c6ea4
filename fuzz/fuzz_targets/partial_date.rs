//! Partial dates: the ISO form (which reads back as written), dates as
//! written in prose, dates found in running text, and retrieval dates.
#![no_main]

use std::str::FromStr;

use dossier_model::date::{find_dates, PartialDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(d) = PartialDate::from_str(&text) {
        assert_eq!(PartialDate::from_str(&d.to_string()).ok(), Some(d));
    }
    if let Some(d) = PartialDate::parse_written(&text) {
        assert_eq!(PartialDate::from_str(&d.to_string()).ok(), Some(d));
    }
    for m in find_dates(&text) {
        assert!(m.start <= m.end && m.end <= text.len());
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
    let _ = dossier_evidence::intake::parse_when(&text);
});
