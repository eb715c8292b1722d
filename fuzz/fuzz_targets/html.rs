//! HTML: any bytes read as a web page (`.html`), through `read_form` (html5ever, the
//! explicit-stack walk of the tables, rowspan/colspan; seeds are the pages of tests/data).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jixiao_form::read_form("fuzz.html", data);
});
