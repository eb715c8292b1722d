//! Small text helpers shared by the cell parsers: width folding and label normalisation.

/// Folds a full-width ASCII variant (U+FF01–U+FF5E) and the ideographic space to half width;
/// other characters are returned unchanged. One character in, one out, so offsets in a folded
/// text are offsets in the text as written.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// True when the text holds nothing but white space (including the ideographic space).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '\u{3000}')
}

/// A label as the recognizer compares it: white space removed, full-width folded to half width.
/// `"绩效 指标"` and `"绩效指标"` compare equal; so do `"其中：财政资金"` and `"其中:财政资金"`.
pub fn normalize_label(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_width_and_space() {
        assert_eq!(normalize_label("绩效 指标"), "绩效指标");
        assert_eq!(normalize_label("其中：财政资金"), "其中:财政资金");
        assert_eq!(normalize_label("（元）"), "(元)");
        assert!(is_blank(" \t\u{3000}"));
        assert!(!is_blank(" a"));
    }
}
