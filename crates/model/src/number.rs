//! 数值读取 — reading one number out of a cell, and saying how when it was not written plainly.
//!
//! This module owns the rules that targets ([`crate::Target`]), amounts ([`crate::parse_amount`])
//! and actual values share. **A number is read as written, read with a [`NumberFix`] that the
//! caller turns into a warning quoting the cell (a [`ReadNote`]), or refused** — never silently
//! read as a different number. Input is width-folded already (full-width digits, `，`, `．` and
//! operators are the same characters at another width and read as written, without a note).
//!
//! | written | read | why |
//! |---|---|---|
//! | `15000`, `1,800`, `360,000.00` | as written | |
//! | `15 000`, `1 850 000.00` | as written | a space between groups of three digits is a thousands separator, like the comma |
//! | `15O00`, `1,85O,OOO.00`, `l00`, `1I`, `2〇24` | `O o 〇` → 0, `l I` → 1, **with a fix** | letters that look like digits, inside a number (a run of them not followed by another letter) |
//! | `95,5`, `2,5`, `1500,25` | `95.5`, `2.5`, `1500.25`, **with a fix** naming the other reading (`955`, `25`) | one comma followed by one or two digits cannot be a thousands separator (a group has three digits); the only reading that keeps every digit is a decimal comma |
//! | `1,00,0`, `1,0000`, `12,34.5`, `1 000,5` | **refused** ([`NumberErrorKind::BadSeparators`]) | separators in places no reading explains |
//! | `3 0`, `15000 20000` | **refused** ([`NumberErrorKind::SpaceInNumber`]) | one number (`30`) or two (`3` and `0`)? |
//! | `15000、20000`, `100-200`, `95。5` | **refused** ([`NumberErrorKind::TwoNumbers`]) | a second number follows the first |
//! | `1.2.3` | **refused** ([`NumberErrorKind::BadNumber`]) | |
//!
//! Amount cells are stricter about the comma: money is written `360,000.00`, so `2,5` in an
//! amount is refused (see [`crate::parse_amount`]).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// 读数说明 — how a cell was read when it was not written plainly: where (character offset in
/// the cell text as given) and what was read, in Chinese and English, quoting the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadNote {
    /// Offset in characters from the start of the cell text.
    pub offset: usize,
    /// The note in Chinese (`指标值「≥15O00.00(公里)」中的字母 O 读作数字 0：读作 ≥15000.00(公里)`).
    pub zh: String,
    /// The note in English.
    pub en: String,
}

impl fmt::Display for ReadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

/// Something in a number that was not written plainly and was read as the writer meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberFix {
    /// A letter that looks like a digit (`O` in `15O00`) read as that digit.
    Letter {
        /// Offset in characters from the start of the number.
        offset: usize,
        /// The character as found in the (folded) text.
        letter: char,
        /// The digit it was read as.
        digit: char,
    },
    /// A comma read as a decimal point (`95,5` → `95.5`).
    DecimalComma {
        /// Offset in characters of the comma from the start of the number.
        offset: usize,
        /// The value had the comma been a thousands separator (`955`).
        without_comma: Decimal,
    },
}

impl NumberFix {
    /// Offset of the fix from the start of the number.
    pub fn offset(&self) -> usize {
        match self {
            NumberFix::Letter { offset, .. } | NumberFix::DecimalComma { offset, .. } => *offset,
        }
    }

    /// What was found, in Chinese and English (`字母 O` / `the letter O`); `letter` is the
    /// character as written in the cell (`Ｏ` before width folding).
    fn what(&self, letter: char) -> (String, String) {
        match self {
            NumberFix::Letter { .. } if letter.is_alphabetic() && letter != '〇' => {
                (format!("字母 {letter}"), format!("the letter {letter}"))
            }
            NumberFix::Letter { .. } => {
                (format!("字符 {letter}"), format!("the character {letter}"))
            }
            NumberFix::DecimalComma { .. } => ("逗号".to_string(), "the comma".to_string()),
        }
    }

    /// The note for a cell read with this fix. `what_zh` names the cell (`指标值`, `金额`), `text`
    /// is the cell as given (quoted trimmed), `at` the fix's offset in `text` in characters, and
    /// `reading` what the cell was read as (`≥15000.00(公里)`).
    pub fn note(&self, what_zh: &str, text: &str, at: usize, reading: &str) -> ReadNote {
        let cell = text.trim();
        let (zh, en) = match self {
            NumberFix::Letter { letter, digit, .. } => {
                let written = text.chars().nth(at).unwrap_or(*letter);
                let (lz, le) = self.what(written);
                (
                    format!("{what_zh}「{cell}」中的{lz} 读作数字 {digit}：读作 {reading}"),
                    format!("{le} in {cell:?} was read as the digit {digit}: read as {reading}"),
                )
            }
            NumberFix::DecimalComma { without_comma, .. } => (
                format!(
                    "{what_zh}「{cell}」中的逗号读作小数点（千位分隔符后应为三位数字）：读作 {reading}，不是 {without_comma}"
                ),
                format!(
                    "the comma in {cell:?} was read as a decimal point (a thousands separator is followed by three digits): read as {reading}, not {without_comma}"
                ),
            ),
        };
        ReadNote { offset: at, zh, en }
    }
}

/// A number read from the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRead {
    /// The value, with the scale written (`15000.00`).
    pub value: Decimal,
    /// Characters taken by the number (spaces inside it included).
    pub len: usize,
    /// What was not written plainly; empty when the number was read as written.
    pub fixes: Vec<NumberFix>,
}

/// A number that cannot be read safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct NumberError {
    /// Offset in characters from the start of the number.
    pub offset: usize,
    /// What is wrong.
    pub kind: NumberErrorKind,
}

/// The kinds of [`NumberError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NumberErrorKind {
    /// Not a decimal (`1.2.3`, or too large).
    #[error("数值「{0}」无法识别 / cannot read the number {0:?}")]
    BadNumber(String),
    /// Separators that no reading explains (`1,00,0`, `1,0000`).
    #[error("数值「{0}」的千位分隔符位置不正确（每组应为三位数字） / misplaced thousands separator in {0:?} (groups have three digits)")]
    BadSeparators(String),
    /// A space inside a number that is not a thousands separator (`3 0`).
    #[error("数值「{text}」中间有空格：无法确定是一个数（{joined}）还是几个数，请删去空格或只写一个数 / the number {text:?} contains a space: it could be one number ({joined}) or several; remove the space or write one number")]
    SpaceInNumber {
        /// The number as written.
        text: String,
        /// The digits without the spaces.
        joined: String,
    },
    /// A second number right after the first (`15000、20000`, `100-200`).
    #[error("「{text}」中有不止一个数值：一个条款只能写一个数值 / {text:?} holds more than one number: a clause takes one number")]
    TwoNumbers {
        /// The text from the first number through the second.
        text: String,
    },
}

/// The digit a look-alike character stands for: `O o 〇` → 0, `l I` → 1.
fn lookalike(c: char) -> Option<char> {
    match c {
        'O' | 'o' | '〇' => Some('0'),
        'l' | 'I' => Some('1'),
        _ => None,
    }
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '〇'
}

/// End of the maximal run of letters from `i` when all of them are look-alikes, else `None`.
fn lookalike_run(chars: &[char], i: usize) -> Option<usize> {
    let end = i + chars[i..].iter().take_while(|c| is_letter(**c)).count();
    (end > i && chars[i..end].iter().all(|c| lookalike(*c).is_some())).then_some(end)
}

/// Does a number start at `i`: a digit, or look-alikes followed by a digit (`l00`)?
pub(crate) fn starts_number(chars: &[char], i: usize) -> bool {
    match chars.get(i) {
        Some(c) if c.is_ascii_digit() => true,
        Some(_) => lookalike_run(chars, i)
            .is_some_and(|end| chars.get(end).is_some_and(|c| c.is_ascii_digit())),
        None => false,
    }
}

/// Characters that, between two numbers, make them two (`15000、20000`, `100-200`, `95。5`).
const BETWEEN: &[char] = &[
    '、', ',', '.', '/', '~', '～', '-', '—', '–', '至', '到', '。', '+', '*', 'x', '×', ':',
];

/// Reads the number at the start of `chars` (already width-folded). `Ok(None)` when no number
/// starts there.
pub fn scan_number(chars: &[char]) -> Result<Option<NumberRead>, NumberError> {
    if !starts_number(chars, 0) {
        return Ok(None);
    }
    // 1. The extent: digits, look-alike runs, '.' or ',' before a digit, spaces before a digit.
    let mut i = 0;
    let mut end = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            i += 1;
            end = i;
        } else if let Some(run) = lookalike_run(chars, i) {
            i = run;
            end = i;
        } else if (c == '.' || c == ',')
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || lookalike_run(chars, i + 1).is_some())
        {
            i += 1;
        } else if c.is_whitespace() {
            let k = i + chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            if starts_number(chars, k) {
                i = k;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    let token = &chars[..end];
    let text: String = token.iter().collect();

    // 2. Look-alikes become digits; spaces split groups.
    let mut fixes = Vec::new();
    let mut groups: Vec<String> = vec![String::new()];
    for (k, &c) in token.iter().enumerate() {
        if c.is_whitespace() {
            if !groups.last().is_some_and(|g| g.is_empty()) {
                groups.push(String::new());
            }
            continue;
        }
        let c = match lookalike(c) {
            Some(d) => {
                // One fix per letter: `OOO` is one note, at the first `O`.
                if !fixes
                    .iter()
                    .any(|f| matches!(f, NumberFix::Letter { letter, .. } if *letter == c))
                {
                    fixes.push(NumberFix::Letter {
                        offset: k,
                        letter: c,
                        digit: d,
                    });
                }
                d
            }
            None => c,
        };
        if let Some(g) = groups.last_mut() {
            g.push(c);
        }
    }
    let spaced = groups.len() > 1;
    if spaced {
        let all_digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
        let last = groups.len() - 1;
        let ok = groups.iter().enumerate().all(|(n, g)| {
            let int = if n == last {
                match g.split_once('.') {
                    Some((i, f)) if all_digits(f) => i,
                    Some(_) => return false,
                    None => g.as_str(),
                }
            } else {
                g.as_str()
            };
            all_digits(int)
                && if n == 0 {
                    int.len() <= 3
                } else {
                    int.len() == 3
                }
        });
        if !ok {
            return Err(NumberError {
                offset: 0,
                kind: NumberErrorKind::SpaceInNumber {
                    text,
                    joined: groups.concat(),
                },
            });
        }
    }
    let plain: String = groups.concat();

    // 3. Separators.
    let bad = |kind: fn(String) -> NumberErrorKind| NumberError {
        offset: 0,
        kind: kind(text.clone()),
    };
    if plain.matches('.').count() > 1 {
        return Err(bad(NumberErrorKind::BadNumber));
    }
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return Err(bad(NumberErrorKind::BadSeparators));
    }
    let number = if int.contains(',') {
        let g: Vec<&str> = int.split(',').collect();
        let thousands = (1..=3).contains(&g[0].len()) && g[1..].iter().all(|x| x.len() == 3);
        if thousands {
            plain.replace(',', "")
        } else if g.len() == 2 && frac.is_none() && !spaced && (1..=2).contains(&g[1].len()) {
            let without_comma = Decimal::from_str(&format!("{}{}", g[0], g[1]))
                .map_err(|_| bad(NumberErrorKind::BadNumber))?;
            let offset = token
                .iter()
                .position(|c| *c == ',')
                .expect("the int part has a comma");
            fixes.push(NumberFix::DecimalComma {
                offset,
                without_comma,
            });
            format!("{}.{}", g[0], g[1])
        } else {
            return Err(bad(NumberErrorKind::BadSeparators));
        }
    } else {
        plain.clone()
    };
    let value = Decimal::from_str(&number).map_err(|_| bad(NumberErrorKind::BadNumber))?;

    // 4. A second number right after this one.
    let k = end
        + chars[end..]
            .iter()
            .take_while(|c| c.is_whitespace())
            .count();
    if let Some(&c) = chars.get(k) {
        if BETWEEN.contains(&c) {
            let n = k
                + 1
                + chars[k + 1..]
                    .iter()
                    .take_while(|c| c.is_whitespace())
                    .count();
            if starts_number(chars, n) {
                let mut second = n + chars[n..]
                    .iter()
                    .take_while(|c| {
                        c.is_ascii_digit() || lookalike(**c).is_some() || matches!(c, '.' | ',')
                    })
                    .count();
                while matches!(chars[second - 1], '.' | ',') {
                    second -= 1;
                }
                return Err(NumberError {
                    offset: n,
                    kind: NumberErrorKind::TwoNumbers {
                        text: chars[..second].iter().collect(),
                    },
                });
            }
        }
    }
    Ok(Some(NumberRead {
        value,
        len: end,
        fixes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &str) -> Result<Option<NumberRead>, NumberError> {
        let chars: Vec<char> = s.chars().collect();
        scan_number(&chars)
    }

    fn read(s: &str) -> (String, usize, Vec<NumberFix>) {
        let n = scan(s).unwrap().unwrap();
        (n.value.to_string(), n.len, n.fixes)
    }

    fn err(s: &str) -> NumberErrorKind {
        scan(s).unwrap_err().kind
    }

    #[test]
    fn plain_numbers_are_read_as_written() {
        assert_eq!(read("15000.00(公里)"), ("15000.00".into(), 8, vec![]));
        assert_eq!(read("1,800 (家)"), ("1800".into(), 5, vec![]));
        assert_eq!(read("360,000.00"), ("360000.00".into(), 10, vec![]));
        assert_eq!(read("95%"), ("95".into(), 2, vec![]));
        assert_eq!(read("1,800."), ("1800".into(), 5, vec![]));
        // Spaces between groups of three are thousands separators.
        assert_eq!(read("15 000公里"), ("15000".into(), 6, vec![]));
        assert_eq!(read("1 850 000.00"), ("1850000.00".into(), 12, vec![]));
        assert_eq!(scan("abc").unwrap(), None);
        assert_eq!(scan("Ok").unwrap(), None);
        assert_eq!(scan("").unwrap(), None);
    }

    #[test]
    fn letters_like_digits_are_read_with_a_fix() {
        let (v, len, fixes) = read("15O00.00(公里)");
        assert_eq!((v.as_str(), len), ("15000.00", 8));
        assert_eq!(
            fixes,
            vec![NumberFix::Letter {
                offset: 2,
                letter: 'O',
                digit: '0'
            }]
        );
        assert_eq!(read("1,850,OOO.00").0, "1850000.00");
        // One fix per letter, at its first occurrence.
        assert_eq!(read("1,850,OOO.00").2.len(), 1);
        assert_eq!(read("1O,5OO.o").2.len(), 2);
        assert_eq!(read("l00%").0, "100");
        assert_eq!(read("1I项").0, "11");
        assert_eq!(read("2〇24").0, "2024");
        assert_eq!(read("10o").0, "100");
        // A letter that starts a word is not a digit: `5km`, `3Ok`.
        assert_eq!(read("5km"), ("5".into(), 1, vec![]));
        assert_eq!(read("3Ok"), ("3".into(), 1, vec![]));
    }

    #[test]
    fn a_comma_before_one_or_two_digits_is_a_decimal_comma() {
        let (v, _, fixes) = read("95,5(%)");
        assert_eq!(v, "95.5");
        assert_eq!(
            fixes,
            vec![NumberFix::DecimalComma {
                offset: 2,
                without_comma: Decimal::from(955)
            }]
        );
        let (v, _, fixes) = read("2,5(万元)");
        assert_eq!(v, "2.5");
        assert_eq!(fixes[0].offset(), 1);
        assert_eq!(read("1500,25").0, "1500.25");
    }

    #[test]
    fn unexplained_separators_are_refused() {
        for s in ["1,00,0", "1,0000", "12,34.5", "1.000,5"] {
            assert!(
                matches!(
                    err(s),
                    NumberErrorKind::BadSeparators(_) | NumberErrorKind::BadNumber(_)
                ),
                "{s}"
            );
        }
        assert_eq!(
            err("1,00,0"),
            NumberErrorKind::BadSeparators("1,00,0".into())
        );
        assert_eq!(err("1.2.3"), NumberErrorKind::BadNumber("1.2.3".into()));
    }

    #[test]
    fn spaces_that_are_not_thousands_separators_are_refused() {
        assert_eq!(
            err("3 0(个)"),
            NumberErrorKind::SpaceInNumber {
                text: "3 0".into(),
                joined: "30".into()
            }
        );
        assert_eq!(
            err("15000 20000(公里)"),
            NumberErrorKind::SpaceInNumber {
                text: "15000 20000".into(),
                joined: "1500020000".into()
            }
        );
        assert!(matches!(
            err("1 000,5"),
            NumberErrorKind::SpaceInNumber { .. }
        ));
    }

    #[test]
    fn a_second_number_is_refused() {
        let e = scan("15000、20000(公里)").unwrap_err();
        assert_eq!(
            e.kind,
            NumberErrorKind::TwoNumbers {
                text: "15000、20000".into()
            }
        );
        assert_eq!(e.offset, 6);
        assert!(matches!(
            err("100-200家"),
            NumberErrorKind::TwoNumbers { .. }
        ));
        assert!(matches!(err("95。5%"), NumberErrorKind::TwoNumbers { .. }));
        assert!(matches!(
            err("1,800, 2,000"),
            NumberErrorKind::TwoNumbers { .. }
        ));
    }

    /// Pseudo-random cells over the characters that matter: no reader panics, and every note
    /// points at the character it talks about.
    #[test]
    fn random_cells_never_panic_and_notes_point_at_their_character() {
        let alphabet: Vec<char> =
            "0123456789.,， 　Oo〇lIk≥≤=<>()（）%％元/家公里项、-；;不少于１Ｏ¥"
                .chars()
                .collect();
        let mut seed: u64 = 0x2024_1231;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let mut noted = 0;
        for _ in 0..20_000 {
            let len = next(14);
            let cell: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let chars: Vec<char> = cell.chars().collect();
            let at = |offset: usize| chars.get(offset).map(|c| crate::text::fold_char(*c));
            let targets = crate::Target::parse_with_notes(&cell).map(|(_, n)| n);
            let amounts = crate::parse_amount_with_notes(&cell).map(|(_, n)| n);
            for note in targets.into_iter().chain(amounts).flatten() {
                noted += 1;
                let c = at(note.offset);
                assert!(
                    c.is_some_and(|c| lookalike(c).is_some() || c == ','),
                    "{cell:?}: note at {} points at {c:?}: {}",
                    note.offset,
                    note.zh
                );
            }
            let _ = scan_number(&chars);
        }
        assert!(noted > 0, "the random cells never needed a note");
    }

    #[test]
    fn notes_quote_the_cell_and_the_reading() {
        let fix = NumberFix::Letter {
            offset: 3,
            letter: 'O',
            digit: '0',
        };
        let n = fix.note("指标值", " ≥15O00.00(公里)", 4, "≥15000.00(公里)");
        assert_eq!(
            n.zh,
            "指标值「≥15O00.00(公里)」中的字母 O 读作数字 0：读作 ≥15000.00(公里)"
        );
        assert_eq!(
            n.en,
            "the letter O in \"≥15O00.00(公里)\" was read as the digit 0: read as ≥15000.00(公里)"
        );
        assert_eq!(n.offset, 4);
    }
}
