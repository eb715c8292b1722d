//! PDF: any bytes with a PDF header, through `read_form` (the walk of `pdf::guard`, then
//! pdfplumber; seeds are the PDFs of tests/data).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + 9);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.7\n");
    }
    bytes.extend_from_slice(data);
    let _ = jixiao_form::read_form("fuzz.pdf", &bytes);
});
