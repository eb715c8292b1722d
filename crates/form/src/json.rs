//! Canonical JSON: the interchange form of a [`Form`] (see `docs/form-json.md`).
//!
//! Written pretty-printed with two-space indentation, keys in model field order, decimals as
//! strings with the scale the form wrote, UTF-8 unescaped, and a final newline. Reading it back
//! and writing again gives the same bytes.

use jixiao_model::{Form, FORM_FORMAT};

use crate::diag::Diagnostic;

/// Writes the canonical JSON of a form.
pub fn to_string(form: &Form) -> String {
    let mut s = serde_json::to_string_pretty(form)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

/// Reads canonical JSON; errors name line and column.
pub fn from_str(text: &str) -> Result<Form, Diagnostic> {
    let mut form: Form = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            e.line() as u32,
            e.column() as u32,
            format!("JSON 无法读取：{e}"),
            format!("cannot read the JSON: {e}"),
        )
    })?;
    if form.format != FORM_FORMAT {
        return Err(Diagnostic::error(
            1,
            1,
            format!("不支持的格式「{}」，应为「{FORM_FORMAT}」", form.format),
            format!(
                "unsupported format {:?}; expected {FORM_FORMAT:?}",
                form.format
            ),
        ));
    }
    for p in &mut form.projects {
        if p.indicators.iter().any(|i| i.code.is_empty()) {
            p.assign_codes();
        }
    }
    Ok(form)
}
