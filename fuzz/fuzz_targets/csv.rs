//! CSV: the grid parser on any text, then the whole read with commas for tabs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(grid) = jixiao_form::grid::Grid::from_csv(text) {
            let _ = jixiao_form::recognize::recognize(&grid);
        }
    }
    let _ = jixiao_form::read_form("fuzz.csv", data);
});
