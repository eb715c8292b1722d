//! The declaration's header rows: 项目名称 / 主管部门 / dates / a 项目期限 period / funds (in 元
//! or 万元, converted exactly), each value with the cell it came from.

use jixiao_model::{parse_amount_with_notes, parse_date, Decimal, NaiveDate};

use super::{label_text, role_of, Draft, Located, Recognizer};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Row};
use crate::template::{self, vocabulary, Role, Unit};

impl Recognizer {
    /// 项目名称 / 主管部门 / dates / funds rows.
    pub(super) fn read_header_row(&mut self, row: &Row, filled: &[(usize, &Cell)], d: &mut Draft) {
        let mut recognised = false;
        let mut k = 0;
        let mut others_seen = 0;
        while k < filled.len() {
            let (idx, cell) = filled[k];
            let norm = label_text(&cell.text);
            // "label：value" in one cell.
            let (label, inline) = match norm.split_once(':') {
                Some((l, v)) if field_kind(l).is_some() && !v.is_empty() => {
                    let raw_v = cell
                        .text
                        .split_once([':', '：'])
                        .map_or("", |(_, v)| v)
                        .trim()
                        .to_string();
                    (l.to_string(), Some(raw_v))
                }
                _ => (norm.clone(), None),
            };
            let Some((kind, unit)) = field_unit(&label) else {
                let funds = vocabulary().funds_block(&norm);
                if funds.is_some() && norm.contains("万元") {
                    d.multiplier = Some(Decimal::from(10000));
                    d.multiplier_label = Some(cell.text.trim().to_string());
                    d.note_family(&norm);
                    recognised = true;
                } else if funds.is_some() || role_of(&norm) == Some(Role::Heading) {
                    d.note_family(&norm);
                    recognised = true;
                } else if !recognised || k == 0 {
                    self.diags
                        .push(super::unrecognised(row.line, cell.column, &cell.text));
                }
                k += 1;
                continue;
            };
            recognised = true;
            d.note_family(&label);
            // The value: inline, or the next filled cell unless that is a label itself.
            let value: Option<Located> = match inline {
                Some(v) => Some(Located {
                    text: v,
                    line: row.line,
                    column: cell.column,
                }),
                None => match filled.get(k + 1) {
                    Some((_, next)) if field_kind(&label_text(&next.text)).is_none() => {
                        k += 1;
                        Some(Located::of(row, next))
                    }
                    _ => None,
                },
            };
            let kind = if kind == Field::Other {
                others_seen += 1;
                let annual = match (d.annual_col, d.project_col) {
                    (Some(a), _) if a == idx => true,
                    (_, Some(p)) if p == idx => false,
                    _ => {
                        filled
                            .iter()
                            .filter(|(_, c)| label_text(&c.text) == "其他资金")
                            .count()
                            < 2
                            || others_seen == 2
                    }
                };
                if annual {
                    Field::OtherAnnual
                } else {
                    Field::OtherProject
                }
            } else {
                kind
            };
            match kind {
                Field::Total => d.annual_col = Some(idx),
                Field::ProjectTotal => d.project_col = Some(idx),
                _ => {}
            }
            self.set_field(d, kind, unit, value, row, cell);
            k += 1;
        }
    }

    /// An amount in 万元 converted exactly to 元 (× 10,000), with a note saying so; an amount
    /// that would hold a fraction of a fen (more than six decimals in 万元) is refused, never
    /// rounded.
    pub(super) fn wan_to_yuan(
        &mut self,
        v: &Located,
        label: &Cell,
        a: Decimal,
        mul: Decimal,
        unit_label: &str,
    ) -> Option<Decimal> {
        let Some(mut yuan) = a.checked_mul(mul) else {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的金额「{}」超出可表示的范围",
                    label.text.trim(),
                    v.text
                ),
                format!(
                    "the amount {:?} of {} is out of range",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        };
        if yuan.normalize().scale() > 2 {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的金额「{}」万元折合 {} 元，不足一分的部分无法保留：请核对金额",
                    label.text.trim(),
                    v.text,
                    yuan.normalize()
                ),
                format!(
                    "the amount {:?} of {} in 万元 is {} 元, which has a fraction of a fen: please check it",
                    v.text,
                    label.text.trim(),
                    yuan.normalize()
                ),
            ));
            return None;
        }
        if yuan.scale() < 2 {
            yuan.rescale(2);
        } else {
            yuan = yuan.normalize();
            if yuan.scale() < 2 {
                yuan.rescale(2);
            }
        }
        self.diags.push(Diagnostic::note(
            v.line,
            v.column,
            format!(
                "「{}」以万元填写：{} 万元 读作 {} 元",
                unit_label,
                v.text.trim(),
                jixiao_model::present::amount(yuan)
            ),
            format!(
                "{unit_label} is in 万元: {} 万元 is read as {} 元",
                v.text.trim(),
                jixiao_model::present::amount(yuan)
            ),
        ));
        Some(yuan)
    }

    /// A 项目期限 cell (`2023.07-2024.01`): start and end; a month alone is read as its first
    /// or last day, with a note saying so.
    fn period(&mut self, v: &Located, label: &Cell) -> Option<(NaiveDate, NaiveDate)> {
        let Some((start, end, approx)) = parse_period(&v.text) else {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!(
                    "「{}」的期限「{}」无法识别：应写作 2023.07-2024.01 或 2024-01-01至2024-12-31",
                    label.text.trim(),
                    v.text
                ),
                format!(
                    "cannot read the period {:?} of {}: write it as 2023.07-2024.01 or 2024-01-01至2024-12-31",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        };
        if end < start {
            self.bad_value = true;
            self.diags.push(Diagnostic::error(
                v.line,
                v.column,
                format!("「{}」的期限「{}」结束早于开始", label.text.trim(), v.text),
                format!(
                    "the period {:?} of {} ends before it starts",
                    v.text,
                    label.text.trim()
                ),
            ));
            return None;
        }
        if approx {
            self.diags.push(Diagnostic::note(
                v.line,
                v.column,
                format!(
                    "「{}」「{}」只写到月份：计划开始日期读作 {start}，计划完成日期读作 {end}",
                    label.text.trim(),
                    v.text.trim()
                ),
                format!(
                    "{} {:?} gives months only: the start is read as {start}, the end as {end}",
                    label.text.trim(),
                    v.text.trim()
                ),
            ));
        }
        Some((start, end))
    }

    /// Reports a field value that cannot be read (`what`: 金额/amount, 日期/date).
    pub(super) fn report_bad_value<T>(
        &mut self,
        v: &Located,
        label: &Cell,
        (what_zh, what_en): (&str, &str),
        e: &jixiao_model::AmountError,
    ) -> Option<T> {
        self.bad_value = true;
        let msg = e.to_string();
        let (zh, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
        let label = label.text.trim();
        self.diags.push(Diagnostic::error(
            v.line,
            v.column,
            format!("「{label}」的{what_zh}「{}」无法识别：{zh}", v.text),
            format!("cannot read the {what_en} {:?} of {label}: {en}", v.text),
        ));
        None
    }

    fn set_field(
        &mut self,
        d: &mut Draft,
        kind: Field,
        unit: Option<Unit>,
        value: Option<Located>,
        row: &Row,
        label: &Cell,
    ) {
        let Some(v) = value else {
            return; // an empty cell: the field is not given
        };
        // The label's own unit (`年度本级预算金额（万元）`) wins over the funds block's.
        let (mul, unit_label) = match unit {
            Some(Unit::TenThousand) => (Decimal::from(10000), Some(label.text.trim().to_string())),
            Some(Unit::Yuan) => (Decimal::ONE, None),
            None => (
                d.multiplier.unwrap_or(Decimal::ONE),
                d.multiplier_label.clone(),
            ),
        };
        if kind.is_amount() {
            match (unit, d.multiplier) {
                (Some(Unit::TenThousand), _) => d.wan_label = Some(label.text.trim().to_string()),
                (None, None) => d
                    .unstated
                    .push((v.line, v.column, label.text.trim().to_string())),
                _ => {}
            }
        }
        let amount = |s: &mut Self, v: &Located| -> Option<Decimal> {
            let (a, notes) = match parse_amount_with_notes(&v.text) {
                Ok(read) => read,
                Err(e) => return s.report_bad_value(v, label, ("金额", "amount"), &e),
            };
            s.warn_read_notes(v, &notes);
            if mul == Decimal::ONE {
                return Some(a);
            }
            s.wan_to_yuan(v, label, a, mul, unit_label.as_deref().unwrap_or("万元"))
        };
        let date = |s: &mut Self, v: &Located| -> Option<(NaiveDate, u32)> {
            match parse_date(&v.text) {
                Ok(dt) => Some((dt, v.line)),
                Err(e) => s.report_bad_value(v, label, ("日期", "date"), &e),
            }
        };
        let _ = row;
        match kind {
            Field::Name => d.name = Some(v),
            Field::Nature => d.nature = Some(v),
            Field::Category => d.category = Some(v),
            Field::Department => d.department = Some(v),
            Field::Unit => d.unit = Some(v),
            Field::Start => d.start = date(self, &v),
            Field::End => d.end = date(self, &v),
            Field::Period => {
                if let Some((start, end)) = self.period(&v, label) {
                    d.start = Some((start, v.line));
                    d.end = Some((end, v.line));
                }
            }
            Field::Total => d.total = amount(self, &v),
            Field::Fiscal => {
                d.fiscal = amount(self, &v);
                if let Some(a) = d.fiscal {
                    if label_text(&label.text).contains("当年") {
                        d.fiscal_this_year = Some(a);
                    } else {
                        let at = Located {
                            text: label.text.trim().to_string(),
                            line: v.line,
                            column: label.column,
                        };
                        d.fiscal_plain = Some((a, at));
                    }
                }
            }
            Field::Carryover => d.carryover = amount(self, &v),
            Field::OtherAnnual => d.other = amount(self, &v),
            Field::ProjectTotal => d.p_total = amount(self, &v),
            Field::ProjectFiscal => d.p_fiscal = amount(self, &v),
            Field::OtherProject => d.p_other = amount(self, &v),
            // Resolved to OtherAnnual / OtherProject by the caller.
            Field::Other => {}
        }
    }
}

impl Field {
    pub(super) fn is_amount(self) -> bool {
        matches!(
            self,
            Field::Total
                | Field::Fiscal
                | Field::Carryover
                | Field::Other
                | Field::OtherAnnual
                | Field::OtherProject
                | Field::ProjectTotal
                | Field::ProjectFiscal
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    Nature,
    Category,
    Department,
    Unit,
    Start,
    End,
    Period,
    Total,
    Fiscal,
    Carryover,
    Other,
    OtherAnnual,
    ProjectTotal,
    ProjectFiscal,
    OtherProject,
}

/// The header field a normalised label names, from the template vocabulary.
pub(super) fn field_kind(norm: &str) -> Option<Field> {
    field_unit(norm).map(|(f, _)| f)
}

/// The header field a normalised label names and the amount unit the label states
/// (`年度本级预算金额（万元）`).
pub(super) fn field_unit(norm: &str) -> Option<(Field, Option<Unit>)> {
    let (f, unit, _) = vocabulary().field(norm)?;
    let f = match f {
        template::Field::Name => Field::Name,
        template::Field::Nature => Field::Nature,
        template::Field::Category => Field::Category,
        template::Field::Department => Field::Department,
        template::Field::Unit => Field::Unit,
        template::Field::Start => Field::Start,
        template::Field::End => Field::End,
        template::Field::Period => Field::Period,
        template::Field::Total => Field::Total,
        template::Field::Fiscal => Field::Fiscal,
        template::Field::Carryover => Field::Carryover,
        template::Field::Other => Field::Other,
        template::Field::ProjectTotal => Field::ProjectTotal,
        template::Field::ProjectFiscal => Field::ProjectFiscal,
    };
    Some((f, unit))
}

/// Reads a period written in one cell: `2023.07-2024.01`, `2024.01.01-2024.12.31`,
/// `2024年1月-2024年12月`, `2024-01-01至2024-12-31`. A month alone stands for its first day
/// at the start and its last day at the end; `approx` says so.
pub(crate) fn parse_period(text: &str) -> Option<(NaiveDate, NaiveDate, bool)> {
    let t: String = text
        .chars()
        .map(jixiao_model::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut parts = None;
    for sep in ["至", "~", "—", "–", "－"] {
        if let Some((a, b)) = t.split_once(sep) {
            parts = Some((a.to_string(), b.trim_start_matches(sep).to_string()));
            break;
        }
    }
    if parts.is_none() && t.matches('-').count() == 1 {
        parts = t
            .split_once('-')
            .map(|(a, b)| (a.to_string(), b.to_string()));
    }
    let (a, b) = parts?;
    let (start, approx_a) = period_end(&a, false)?;
    let (end, approx_b) = period_end(&b, true)?;
    Some((start, end, approx_a || approx_b))
}

/// One end of a period: a full date, or a month (`2023.07`, `2023年7月`) read as its first
/// (`last == false`) or last day.
fn period_end(s: &str, last: bool) -> Option<(NaiveDate, bool)> {
    if let Ok(d) = parse_date(s) {
        return Some((d, false));
    }
    let s = s.strip_suffix('月').unwrap_or(s);
    // `202001`: a year and a month written together (Hubei's 项目起止时间 `202001-202012`).
    let joined = (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.split_at(4));
    let (y, m) = match joined {
        Some(ym) => ym,
        None => s.split_once(['.', '/', '年', '-'])?,
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    if !last {
        return Some((first, true));
    }
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((next.pred_opt()?, true))
}
