//! Cell values that are not targets: amounts of money (金额) and calendar dates (日期).

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::text::fold_char;

/// Why an amount or a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The cell is not a number (`金额应为数字`).
    #[error("金额应为数字，例如 360,000.00 / an amount must be a number such as 360,000.00")]
    NotANumber,
    /// Thousands separators in the wrong places (`1,00,000`).
    #[error("千位分隔符位置不正确 / misplaced thousands separator")]
    BadSeparators,
    /// The cell is not a date in a known form.
    #[error("日期应写作 2024-01-01、2024/1/1 或 2024年1月1日 / a date must read 2024-01-01, 2024/1/1 or 2024年1月1日")]
    NotADate,
    /// A date whose parts are out of range (`2024-02-30`).
    #[error("日期不存在 / no such date")]
    NoSuchDate,
}

/// Reads an amount in 元: `360,000.00`, `360000`, `９,０２８,３７２.００`, `¥1,000.5`, `1000元`.
/// The scale written is kept (`0.00` stays `0.00`), so the canonical JSON shows what the form showed.
pub fn parse_amount(s: &str) -> Result<Decimal, AmountError> {
    let folded: String = s
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = folded.trim_start_matches(['¥', '￥']);
    let t = t.strip_suffix('元').unwrap_or(t);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(AmountError::BadSeparators);
        }
    }
    let digits_ok = int.chars().all(|c| c.is_ascii_digit() || c == ',')
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    if !digits_ok {
        return Err(AmountError::NotANumber);
    }
    let plain: String = int.chars().filter(|c| *c != ',').collect();
    let text = match frac {
        Some(f) => format!("{}{plain}.{f}", if neg { "-" } else { "" }),
        None => format!("{}{plain}", if neg { "-" } else { "" }),
    };
    Decimal::from_str(&text).map_err(|_| AmountError::NotANumber)
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
