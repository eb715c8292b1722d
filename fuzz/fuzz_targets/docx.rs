//! DOCX: any bytes that start as a ZIP archive, through `read_form` as a `.docx` (the ZIP
//! pre-scan, then the Word table reader; seeds are the documents of tests/data).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + 4);
    if !data.starts_with(b"PK\x03\x04") {
        bytes.extend_from_slice(b"PK\x03\x04");
    }
    bytes.extend_from_slice(data);
    let _ = jixiao_form::read_form("fuzz.docx", &bytes);
});
