//! Cell values that are not targets: amounts of money (金额) and calendar dates (日期).
//!
//! Amounts are read by the shared number rules of `number.rs` ([`crate::scan_number`]), stricter
//! about the comma: money is written `360,000.00`, so a comma is only ever a thousands separator
//! (`2,5` and `1,00,000` are refused, not read as 2.5 or 100000). A letter that looks like a digit
//! (`1,850,OOO.00`) is read as that digit with a [`ReadNote`] by [`parse_amount_with_notes`];
//! [`parse_amount`] refuses such a cell instead, for callers that have nowhere to put a warning.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::number::{scan_number, NumberErrorKind, NumberFix, ReadNote};
use crate::text::fold_char;

/// Why an amount or a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The cell is not a number (`金额应为数字`).
    #[error("金额应为数字，例如 360,000.00 / an amount must be a number such as 360,000.00")]
    NotANumber,
    /// Thousands separators in the wrong places (`1,00,000`), or a comma used as a decimal point.
    #[error("千位分隔符位置不正确 / misplaced thousands separator")]
    BadSeparators,
    /// The cell is not a date in a known form.
    #[error("日期应写作 2024-01-01、2024/1/1 或 2024年1月1日 / a date must read 2024-01-01, 2024/1/1 or 2024年1月1日")]
    NotADate,
    /// A date whose parts are out of range (`2024-02-30`).
    #[error("日期不存在 / no such date")]
    NoSuchDate,
    /// A space inside the number that is not a thousands separator (`3 0`), or two numbers.
    #[error("{0}")]
    Number(NumberErrorKind),
    /// Read only by guessing (a letter for a digit); [`parse_amount`] refuses it. The note says
    /// what [`parse_amount_with_notes`] would read.
    #[error("{0}")]
    Guessed(ReadNote),
}

/// Reads an amount in 元: `360,000.00`, `360000`, `９,０２８,３７２.００`, `¥1,000.5`, `1000元`,
/// `1 850 000.00`. The scale written is kept (`0.00` stays `0.00`), so the canonical JSON shows
/// what the form showed. A cell that needs a guess (`1,850,OOO.00`) is refused with
/// [`AmountError::Guessed`]; use [`parse_amount_with_notes`] to read it with a warning.
pub fn parse_amount(s: &str) -> Result<Decimal, AmountError> {
    let (v, mut notes) = parse_amount_with_notes(s)?;
    match notes.is_empty() {
        true => Ok(v),
        false => Err(AmountError::Guessed(notes.remove(0))),
    }
}

/// Reads an amount like [`parse_amount`]; a letter that looks like a digit is read as that digit
/// with a note quoting the cell (`金额「1,850,OOO.00」中的字母 O 读作数字 0：读作 1850000.00`).
/// Note offsets are in characters from the start of `s`.
pub fn parse_amount_with_notes(s: &str) -> Result<(Decimal, Vec<ReadNote>), AmountError> {
    let chars: Vec<char> = s.chars().map(fold_char).collect();
    let mut i = chars.iter().take_while(|c| c.is_whitespace()).count();
    let mut end = chars.len()
        - chars[i..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
    while i < end && matches!(chars[i], '¥' | '￥') {
        i += 1;
    }
    i += chars[i..end]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count();
    if end > i && chars[end - 1] == '元' {
        end -= 1;
        end -= chars[i..end]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
    }
    // `45万` / `45万元`: 万元, read exactly (× 10000) with a note saying so.
    let wan = end > i && chars[end - 1] == '万';
    if wan {
        end -= 1;
        end -= chars[i..end]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
    }
    let neg = i < end && chars[i] == '-';
    if neg {
        i += 1;
        i += chars[i..end]
            .iter()
            .take_while(|c| c.is_whitespace())
            .count();
    }
    let body = &chars[i..end];
    let read = match scan_number(body) {
        Ok(Some(n)) if n.len == body.len() => n,
        Ok(_) => return Err(AmountError::NotANumber),
        Err(e) => {
            return Err(match e.kind {
                NumberErrorKind::BadNumber(_) => AmountError::NotANumber,
                NumberErrorKind::BadSeparators(_) => AmountError::BadSeparators,
                other => AmountError::Number(other),
            })
        }
    };
    // A comma is a thousands separator in money, never a decimal point.
    if read
        .fixes
        .iter()
        .any(|f| matches!(f, NumberFix::DecimalComma { .. }))
    {
        return Err(AmountError::BadSeparators);
    }
    let mut value = if neg { -read.value } else { read.value };
    if wan {
        value = value
            .checked_mul(Decimal::from(10_000))
            .ok_or(AmountError::NotANumber)?;
        value = value.normalize();
        if value.scale() < 2 {
            value.rescale(2);
        }
    }
    let reading = value.to_string();
    let mut notes: Vec<ReadNote> = read
        .fixes
        .iter()
        .map(|f| f.note("金额", s, i + f.offset(), &reading))
        .collect();
    if wan {
        let cell = s.trim();
        let yuan = crate::present::money(value, crate::Lang::Zh);
        let yuan_en = crate::present::money(value, crate::Lang::En);
        notes.push(ReadNote {
            offset: i,
            zh: format!("金额「{cell}」以万元书写：读作 {yuan}"),
            en: format!("the amount {cell:?} is in 万元 (10,000 yuan): read as {yuan_en}"),
        });
    }
    Ok((value, notes))
}

/// Reads a date: `2024-01-01`, `2024/1/1`, `2024.1.1`, `2024年1月1日`.
pub fn parse_date(s: &str) -> Result<NaiveDate, AmountError> {
    let folded: String = s
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = folded.as_str();
    let parts: Vec<&str> = if let Some(rest) = t.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        t.split(['-', '/', '.']).collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
        || parts[0].len() != 4
    {
        return Err(AmountError::NotADate);
    }
    let y: i32 = parts[0].parse().map_err(|_| AmountError::NotADate)?;
    let m: u32 = parts[1].parse().map_err(|_| AmountError::NotADate)?;
    let d: u32 = parts[2].parse().map_err(|_| AmountError::NotADate)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(AmountError::NoSuchDate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `45万` / `45万元` is 450,000.00 元 exactly, with a note saying what was read (one language
    /// per text); [`parse_amount`], which has nowhere to put it, refuses it with that note.
    #[test]
    fn wan_yuan_is_read_exactly_with_a_note() {
        for text in ["45万", "45万元", " 45 万元 ", "４５万"] {
            let (v, notes) = parse_amount_with_notes(text).unwrap();
            assert_eq!(v.to_string(), "450000.00", "{text}");
            assert_eq!(notes.len(), 1, "{text}");
            assert!(
                notes[0].zh.contains("以万元书写：读作 450,000.00 元"),
                "{}",
                notes[0].zh
            );
            assert!(!notes[0].zh.contains("read"), "{}", notes[0].zh);
            assert!(
                notes[0].en.contains("read as 450,000.00"),
                "{}",
                notes[0].en
            );
        }
        let (v, _) = parse_amount_with_notes("12.3456万").unwrap();
        assert_eq!(v.to_string(), "123456.00");
        let (v, _) = parse_amount_with_notes("0.00001万").unwrap();
        assert_eq!(v.to_string(), "0.10");
        assert!(matches!(parse_amount("45万"), Err(AmountError::Guessed(_))));
        assert!(parse_amount_with_notes("万").is_err());
    }

    #[test]
    fn amounts_keep_scale_and_drop_separators() {
        assert_eq!(parse_amount("360,000.00").unwrap().to_string(), "360000.00");
        assert_eq!(
            parse_amount("9,028,372.00").unwrap().to_string(),
            "9028372.00"
        );
        assert_eq!(parse_amount("0.00").unwrap().to_string(), "0.00");
        assert_eq!(parse_amount("9028372").unwrap().to_string(), "9028372");
        assert_eq!(
            parse_amount("９，０２８．５").unwrap().to_string(),
            "9028.5"
        );
        assert_eq!(parse_amount("¥1,000元").unwrap().to_string(), "1000");
        assert_eq!(parse_amount("-5.00").unwrap().to_string(), "-5.00");
    }

    #[test]
    fn amounts_with_letters_for_digits_are_read_with_a_note() {
        let (v, notes) = parse_amount_with_notes("1,850,OOO.00").unwrap();
        assert_eq!(v.to_string(), "1850000.00");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].offset, 6);
        assert_eq!(
            notes[0].zh,
            "金额「1,850,OOO.00」中的字母 O 读作数字 0：读作 1850000.00"
        );
        assert_eq!(
            notes[0].en,
            "the letter O in \"1,850,OOO.00\" was read as the digit 0: read as 1850000.00"
        );
        let (v, notes) = parse_amount_with_notes(" ¥36O,000.00元").unwrap();
        assert_eq!(v.to_string(), "360000.00");
        assert_eq!(notes[0].offset, 4);
        // Without a place for the note, the guess is refused.
        assert!(matches!(
            parse_amount("1,850,OOO.00"),
            Err(AmountError::Guessed(n)) if n.offset == 6
        ));
        // Plain amounts carry no note.
        assert_eq!(parse_amount_with_notes("360,000.00").unwrap().1, vec![]);
    }

    #[test]
    fn amounts_with_spaces() {
        assert_eq!(
            parse_amount("1 850 000.00").unwrap().to_string(),
            "1850000.00"
        );
        assert_eq!(
            parse_amount(" 360000.00 ").unwrap().to_string(),
            "360000.00"
        );
        assert!(matches!(
            parse_amount("3 0"),
            Err(AmountError::Number(NumberErrorKind::SpaceInNumber { .. }))
        ));
        assert!(matches!(
            parse_amount("1000 2000"),
            Err(AmountError::Number(NumberErrorKind::SpaceInNumber { .. }))
        ));
    }

    #[test]
    fn a_comma_in_money_is_never_a_decimal_point() {
        assert_eq!(parse_amount("2,5"), Err(AmountError::BadSeparators));
        assert_eq!(parse_amount("360,00"), Err(AmountError::BadSeparators));
        assert_eq!(parse_amount("1,00,000"), Err(AmountError::BadSeparators));
        assert_eq!(parse_amount("1,0000.00"), Err(AmountError::BadSeparators));
        assert_eq!(
            parse_amount("1,000-2,000"),
            Err(AmountError::Number(NumberErrorKind::TwoNumbers {
                text: "1,000-2,000".into()
            }))
        );
    }

    #[test]
    fn bad_amounts() {
        assert_eq!(parse_amount(""), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1,00,000"), Err(AmountError::BadSeparators));
        assert_eq!(parse_amount("12.3.4"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("12."), Err(AmountError::NotANumber));
    }

    #[test]
    fn dates_in_three_spellings() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(parse_date("2024-01-01"), Ok(d));
        assert_eq!(parse_date("2024/1/1"), Ok(d));
        assert_eq!(parse_date("2024.1.1"), Ok(d));
        assert_eq!(parse_date("2024年1月1日"), Ok(d));
        assert_eq!(parse_date("2024-02-30"), Err(AmountError::NoSuchDate));
        assert_eq!(parse_date("明年"), Err(AmountError::NotADate));
        assert_eq!(parse_date("24-1-1"), Err(AmountError::NotADate));
    }
}
