//! The recognizer: any bytes through `read_form` as an upload (text exports, PDF-extracted
//! text shapes, 自评表 and 监控表 in text; seeds are the text files of tests/data).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jixiao_form::read_form("fuzz.txt", data);
});
