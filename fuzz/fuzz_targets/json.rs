//! Canonical JSON: no panic, and a form read writes JSON that reads back to itself
//! (the invariant of `jixiao_form::json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(form) = jixiao_form::json::from_str(text) {
        let written = jixiao_form::json::to_string(&form);
        let again = jixiao_form::json::from_str(&written).expect("written JSON reads back");
        assert_eq!(jixiao_form::json::to_string(&again), written);
    }
    let _ = jixiao_form::read_form("fuzz.json", data);
});
