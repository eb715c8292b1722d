//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
//! and GBK/GB18030 (what Chinese Excel and WPS write by default). Binary input is refused.

use crate::diag::Diagnostic;

/// Which encoding the input was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8.
    Utf8,
    /// UTF-16 (little or big endian, with BOM).
    Utf16,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
}

/// Decodes `bytes` to text, or explains why it is not text.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), Diagnostic> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Diagnostic::error(1, 1, "文件为空", "the file is empty"));
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err(Diagnostic::error(
                    1,
                    1,
                    "UTF-16 文本中有无效字符",
                    "invalid UTF-16 text",
                ));
            }
            return check_text(text.into_owned(), Encoding::Utf16);
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = body.iter().position(|b| *b == 0) {
        let (line, col) = position_of(body, pos);
        return Err(Diagnostic::error(
            line,
            col,
            "这不是文本文件（含有 NUL 字节）；请导出为文本、CSV 或 JSON",
            "this is not a text file (it contains NUL bytes); export the form as text, CSV or JSON",
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => check_text(s.to_string(), Encoding::Utf8),
        Err(utf8_err) => {
            let decoded = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(body)
                .map(|c| c.into_owned());
            match decoded {
                Some(text) if text.chars().any(is_cjk) => check_text(text, Encoding::Gb18030),
                _ => {
                    let (line, col) = position_of(body, utf8_err.valid_up_to());
                    Err(Diagnostic::error(
                        line,
                        col,
                        "无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030",
                        "unknown text encoding: neither UTF-8 nor GBK/GB18030",
                    ))
                }
            }
        }
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn check_text(text: String, enc: Encoding) -> Result<(String, Encoding), Diagnostic> {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > text.chars().count().max(1) {
        return Err(Diagnostic::error(
            1,
            1,
            "这不是文本文件（控制字符过多）",
            "this is not a text file (too many control characters)",
        ));
    }
    Ok((text, enc))
}

/// 1-based line and column (in bytes, which is as good as it gets for undecodable input).
fn position_of(bytes: &[u8], pos: usize) -> (u32, u32) {
    let before = &bytes[..pos];
    let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let col = pos
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("项目名称".as_bytes()).unwrap(),
            ("项目名称".to_string(), Encoding::Utf8)
        );
        assert_eq!(decode("\u{feff}项目".as_bytes()).unwrap().0, "项目");
    }

    #[test]
    fn gbk_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("项目名称\t交通工具购置及更新");
        let (text, enc) = decode(&bytes).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(text, "项目名称\t交通工具购置及更新");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "项目名称\tX".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(
            decode(&bytes).unwrap(),
            ("项目名称\tX".to_string(), Encoding::Utf16)
        );
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(decode(b"").unwrap_err().zh.contains("为空"));
        assert!(decode(b" \n\n").unwrap_err().zh.contains("为空"));
        let e = decode(b"PK\x03\x04\x00\x00abc").unwrap_err();
        assert!(e.en.contains("not a text file"), "{e:?}");
        let e = decode(&[0xC3, 0x28, 0xA0, 0xA1, 0xFF]).unwrap_err();
        assert_eq!(e.level, crate::diag::Level::Error);
    }
}
