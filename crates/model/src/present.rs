//! 呈现 — the one presentation vocabulary: the output [`Lang`] and how amounts (金额), dates
//! (日期), percentages (百分比) and numbers with units are written for people.
//!
//! This module owns the formatting conventions of every text output (the indicator tree of
//! `jixiao show`, the review letter, the 监控表 and the 自评表). Views hold typed values
//! ([`Decimal`], [`NaiveDate`], …) and call these functions only when they are written, so that
//! writers of other formats (XLSX, PDF) get the numbers themselves.
//!
//! Conventions:
//! - Amounts: thousands separators and at least two decimals; Chinese `1,850,000.00 元`,
//!   English `1,850,000.00 yuan`. In a table whose heading names the unit (`（元）`,
//!   `(yuan)`) the cell is the bare number, [`amount`].
//! - Dates: Chinese `2024年6月30日`, English ISO `2024-06-30`.
//! - Times: the store keeps UTC; a person reads the deployment's zone ([`Zone`], default
//!   Asia/Shanghai, 北京时间), without a zone label: `2024年7月1日 05:35:45` /
//!   `2024-07-01 05:35:45` for the stored `2024-06-30T21:35:45Z`. [`timestamp`] is the one
//!   place that converts.
//! - Percentages: at least two decimals and `%`: `97.50%`.
//! - Nothing is rounded away: a value with more than two decimals keeps them all
//!   (`1234.567` → `1,234.567`), so no output shows a different number than the one held.
//!   Callers that want two decimals round first (四舍五入, as `jixiao-evaluate` does).
//!
//! Pure: no I/O, no locale of the machine.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;

use crate::actual::Achievement;

/// 输出语言 — the language of text output. Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the text of this language: `lang.pick("元", "yuan")`.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// `x` with at least two decimals and no more than it holds (`15` → `15.00`, `95.5` → `95.50`,
/// `1.125` → `1.125`). Never rounds.
pub fn decimal(x: Decimal) -> String {
    let mut v = x.normalize();
    if v.scale() < 2 {
        v.rescale(2);
    }
    v.to_string()
}

/// An amount in 元 without its unit, for table cells under a `（元）` heading: thousands
/// separators, at least two decimals (`1850000` → `1,850,000.00`, `-1234.5` → `-1,234.50`).
pub fn amount(x: Decimal) -> String {
    let s = decimal(x);
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

/// An amount in 元 with its unit: `1,850,000.00 元` / `1,850,000.00 yuan`.
pub fn money(x: Decimal, lang: Lang) -> String {
    format!("{} {}", amount(x), lang.pick("元", "yuan"))
}

/// A calendar date: `2024年6月30日` / `2024-06-30`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// 时区 — the zone times are shown in (an IANA name such as `Asia/Shanghai`).
pub type Zone = chrono_tz::Tz;

/// The default zone of a deployment: 北京时间.
pub const DEFAULT_ZONE: Zone = chrono_tz::Asia::Shanghai;

/// Reads a zone name (`Asia/Shanghai`, `UTC`, `Europe/Berlin`), or says what is wrong in
/// both languages.
pub fn zone(name: &str) -> Result<Zone, String> {
    name.trim().parse::<Zone>().map_err(|_| {
        format!(
            "时区「{}」无法识别，应写作 IANA 名称，如 Asia/Shanghai / unknown time zone {:?}: write an IANA name such as Asia/Shanghai",
            name.trim(),
            name.trim()
        )
    })
}

/// A stored UTC instant (`2024-06-30T21:35:45.123Z`, RFC 3339, or `2024-06-30 21:35:45`)
/// in `zone`: `2024年7月1日 05:35:45` / `2024-07-01 05:35:45`. Text that is not a time is
/// shown as it is.
pub fn timestamp(stored: &str, zone: Zone, lang: Lang) -> String {
    let s = stored.trim();
    let utc = DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
                .map(|n| n.and_utc())
        });
    match utc {
        Some(t) => {
            let local = t.with_timezone(&zone);
            format!(
                "{} {}",
                date(local.date_naive(), lang),
                local.format("%H:%M:%S")
            )
        }
        None => stored.to_string(),
    }
}

/// Today's date in `zone`, from the system clock.
pub fn today(zone: Zone) -> NaiveDate {
    Utc::now().with_timezone(&zone).date_naive()
}

/// A percentage already in percent (`97.5` → `97.50%`), the same in both languages.
pub fn percent(x: Decimal) -> String {
    format!("{}%", decimal(x))
}

/// A measured number with its unit as written, without trailing zeros: `13500公里`, `96%`,
/// `13059.15公里`. The unit is the form's own text (Chinese), so both languages write it alike.
pub fn quantity(value: Decimal, unit: Option<&str>) -> String {
    format!("{}{}", value.normalize(), unit.unwrap_or(""))
}

/// An observed value for people: `13500公里`, `2024年11月20日`, `达成`.
pub fn observed(v: &crate::ObservedValue, lang: Lang) -> String {
    match v {
        crate::ObservedValue::Number { value, unit } => quantity(*value, unit.as_deref()),
        crate::ObservedValue::Date { date: d } => date(*d, lang),
        crate::ObservedValue::Level { level } => achievement(*level, lang).to_string(),
    }
}

/// 达成 / 部分达成 / 未达成, or `met` / `partly met` / `not met`.
pub fn achievement(a: Achievement, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => a.zh(),
        Lang::En => match a {
            Achievement::Met => "met",
            Achievement::Partly => "partly met",
            Achievement::NotMet => "not met",
        },
    }
}

/// `s` quoted as Rust's `{:?}` writes it (`"行驶公里数"`, with `"`, `\\` and unprintable
/// characters escaped), for names in English messages. The same text as `format!("{s:?}")`,
/// without its cost for Chinese: `{:?}` looks up every non-ASCII character in the Unicode
/// printable tables, which was a quarter of the time of a 10,000-declaration summary (a
/// message per indicator without a value). Characters known to print as themselves (ASCII
/// letters and punctuation, CJK ideographs, CJK and full-width punctuation) are copied; any
/// other string goes through `{:?}`.
pub fn quoted(s: &str) -> String {
    let plain = |c: char| match c {
        '"' | '\\' => false,
        ' '..='~' => true,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{FF01}'..='\u{FF5E}'
        | '\u{2018}'..='\u{201D}'
        | '\u{2014}'
        | '\u{2026}'
        | '\u{00B7}'
        | '\u{00D7}'
        | '\u{00F7}'
        | '\u{2264}'
        | '\u{2265}' => true,
        _ => false,
    };
    if s.chars().all(plain) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        out
    } else {
        format!("{s:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_group_thousands_and_keep_every_digit() {
        assert_eq!(amount(d("1850000")), "1,850,000.00");
        assert_eq!(amount(d("360000.00")), "360,000.00");
        assert_eq!(amount(d("9028372.5")), "9,028,372.50");
        assert_eq!(amount(d("999")), "999.00");
        assert_eq!(amount(d("1000")), "1,000.00");
        assert_eq!(amount(d("0")), "0.00");
        assert_eq!(amount(d("-1234.5")), "-1,234.50");
        // More than two decimals are shown, never rounded away.
        assert_eq!(amount(d("1234.567")), "1,234.567");
        assert_eq!(amount(d("0.005")), "0.005");
        assert_eq!(money(d("1850000"), Lang::Zh), "1,850,000.00 元");
        assert_eq!(money(d("1850000"), Lang::En), "1,850,000.00 yuan");
    }

    #[test]
    fn dates_percentages_and_quantities() {
        let day = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(date(day, Lang::Zh), "2024年6月30日");
        assert_eq!(date(day, Lang::En), "2024-06-30");
        let jan = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(date(jan, Lang::Zh), "2024年1月1日");
        assert_eq!(date(jan, Lang::En), "2024-01-01");
        assert_eq!(percent(d("97.5")), "97.50%");
        assert_eq!(percent(d("100")), "100.00%");
        assert_eq!(percent(d("58.2048")), "58.2048%");
        assert_eq!(decimal(d("15")), "15.00");
        assert_eq!(decimal(d("16.670")), "16.67");
        assert_eq!(quantity(d("13500.00"), Some("公里")), "13500公里");
        assert_eq!(quantity(d("95.50"), Some("%")), "95.5%");
        assert_eq!(quantity(d("7"), None), "7");
        assert_eq!(achievement(Achievement::Partly, Lang::Zh), "部分达成");
        assert_eq!(achievement(Achievement::Partly, Lang::En), "partly met");
        assert_eq!(Lang::default(), Lang::Zh);
        assert_eq!(Lang::En.pick("元", "yuan"), "yuan");
    }

    /// Every character of the fast path's ranges, and some beside them, are written exactly
    /// as `{:?}` writes them, alone and between others.
    #[test]
    fn times_are_shown_in_the_deployments_zone() {
        let stored = "2024-06-30T21:35:45.000Z";
        assert_eq!(
            timestamp(stored, DEFAULT_ZONE, Lang::Zh),
            "2024年7月1日 05:35:45"
        );
        assert_eq!(
            timestamp(stored, DEFAULT_ZONE, Lang::En),
            "2024-07-01 05:35:45"
        );
        assert_eq!(
            timestamp("2024-06-30T21:35:45Z", zone("UTC").unwrap(), Lang::En),
            "2024-06-30 21:35:45"
        );
        assert_eq!(
            timestamp(
                "2024-06-30 21:35:45",
                zone("Europe/Berlin").unwrap(),
                Lang::En
            ),
            "2024-06-30 23:35:45"
        );
        assert_eq!(timestamp("soon", DEFAULT_ZONE, Lang::Zh), "soon");
        assert!(zone("Mars/Olympus").unwrap_err().contains("Mars/Olympus"));
    }

    #[test]
    fn quoted_is_debug_for_every_character_of_the_fast_path() {
        let fast = (0x20u32..0x7F)
            .chain(0x4E00..=0x9FFF)
            .chain(0x3001..=0x301F)
            .chain(0xFF01..=0xFF5E)
            .chain(0x2018..=0x201D)
            .chain([0x2014, 0x2026, 0x00B7, 0x00D7, 0x00F7, 0x2264, 0x2265]);
        let others = [
            0x22, 0x5C, 0x0A, 0x09, 0x3000, 0x3012, 0x3013, 0x200B, 0x0301, 0x4DFF, 0xA000,
            0x1F600, 0xFF00, 0xFF5F,
        ];
        for c in fast.chain(others).filter_map(char::from_u32) {
            for s in [format!("a{c}b{c}"), c.to_string()] {
                assert_eq!(quoted(&s), format!("{s:?}"), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn quoted_is_what_debug_writes() {
        for t in [
            "行驶公里数",
            "「三监联动」管理，（一）；2024年≥95%…",
            "a\"b\\c",
            "tab\there",
            "zero\u{200B}width",
            "e\u{301}",
            "\u{302A}〇",
            "",
            "ＡＢＣ１２３",
            "“引号”‘单’—·×÷≤≥",
        ] {
            assert_eq!(quoted(t), format!("{t:?}"), "{t}");
        }
    }
}
