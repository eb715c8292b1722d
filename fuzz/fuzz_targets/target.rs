//! The target cell parser (指标值: `≥15000公里`, `≤5%`, `2024年12月31日前`, compounds).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((target, _notes)) = jixiao_model::Target::parse_with_notes(text) {
        let _ = target.to_string();
    }
});
