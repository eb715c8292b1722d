//! Goal text under stacked headings and the numbered sub-task list
//! (`- 领域——标题——内容`, `9 领域—标题—内容`), one line at a time.

use jixiao_model::Task;

use super::{
    ends_sentence, join_wrapped, label_text, unwrap_cell, BodyTarget, Draft, Recognizer, DEBRIS,
};
use crate::diag::Diagnostic;
use crate::grid::{Cell, Row};

/// A run of dashes separating 领域, 标题 and 内容 in a sub-task line.
fn next_dash_run(s: &str) -> Option<(usize, usize)> {
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (pos, c) = bytes[i];
        let em = matches!(c, '—' | '―' | '─');
        let double = matches!(c, '-' | '－')
            && bytes
                .get(i + 1)
                .is_some_and(|(_, d)| matches!(d, '-' | '－'));
        if em || double {
            let mut j = i;
            while j < bytes.len() && matches!(bytes[j].1, '—' | '―' | '─' | '-' | '－') {
                j += 1;
            }
            let end = bytes.get(j).map_or(s.len(), |(p, _)| *p);
            return Some((pos, end));
        }
        i += 1;
    }
    None
}

/// Splits `领域——标题——内容`.
fn split_task_text(text: &str) -> (Option<String>, String, String) {
    let Some((a, b)) = next_dash_run(text) else {
        return (None, text.trim().to_string(), String::new());
    };
    let first = text[..a].trim().to_string();
    let rest = &text[b..];
    match next_dash_run(rest) {
        Some((c, d)) => (
            Some(first),
            rest[..c].trim().to_string(),
            rest[d..].trim().to_string(),
        ),
        None => (None, first, rest.trim().to_string()),
    }
}

/// A line of the sub-task list, alone on its row: an item marker, then `领域——标题——内容` or
/// `标题——内容` (goal text that merely starts with a number has no dashes).
pub(super) fn is_task_line(filled: &[(usize, &Cell)]) -> bool {
    let [(_, cell)] = filled else { return false };
    task_marker(&cell.text).is_some_and(|(_, rest)| next_dash_run(rest).is_some())
}

/// A sub-task item marker at the start of a line: `- `, `• `, or `9 `, `9.`, `9、`.
pub(super) fn task_marker(text: &str) -> Option<(Option<u32>, &str)> {
    let t = text.trim_start();
    for bullet in ["- ", "-\t", "• ", "· ", "* ", "●", "•", "·"] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some((None, rest.trim_start()));
        }
    }
    let n = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 3 {
        return None;
    }
    let rest = &t[n..];
    let sep = rest.chars().next()?;
    if !matches!(
        sep,
        ' ' | '\t' | '.' | '、' | '．' | ')' | '）' | '\u{3000}'
    ) {
        return None;
    }
    let after = rest[sep.len_utf8()..].trim_start();
    // "1.5倍" is a number, not an item.
    if after.is_empty() || (sep == '.' && after.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    Some((t[..n].parse().ok(), after))
}

impl Recognizer {
    /// One line of stacked goal text or of the sub-task list. Returns the next row index.
    pub(super) fn read_body_line(
        &mut self,
        rows: &[Row],
        i: usize,
        d: &mut Draft,
        which: BodyTarget,
    ) -> usize {
        let row = &rows[i];
        let text: String = row
            .filled()
            .map(|(_, c)| unwrap_cell(c.text.trim()))
            .collect::<Vec<_>>()
            .join("");
        // Page-break debris: a label wrapped over several one-cell lines (项目 / 绩效 / 目标).
        let mut j = i;
        let mut joined = String::new();
        while j < rows.len() && !rows[j].is_blank() && rows[j].filled().count() == 1 {
            let t = label_text(
                &rows[j]
                    .filled()
                    .next()
                    .map(|(_, c)| c.text.clone())
                    .unwrap_or_default(),
            );
            if t.chars().count() > 6 {
                break;
            }
            joined.push_str(&t);
            j += 1;
            if DEBRIS.contains(&joined.as_str())
                && (j >= rows.len()
                    || rows[j].is_blank()
                    || rows[j].filled().count() != 1
                    || rows[j]
                        .filled()
                        .next()
                        .is_some_and(|(_, c)| c.text.chars().count() > 6))
            {
                return j;
            }
        }
        if let Some((no, rest)) = task_marker(&text) {
            let no = no.unwrap_or_else(|| d.tasks.last().map_or(1, |t| t.no + 1));
            if let Some(prev) = d.tasks.last() {
                if no != prev.no + 1 {
                    self.diags.push(Diagnostic::warning(
                        row.line,
                        1,
                        format!("子任务编号不连续：{} 之后是 {}", prev.no, no),
                        format!("sub-task numbers skip: {} is followed by {}", prev.no, no),
                    ));
                }
            }
            let (area, title, description) = split_task_text(rest);
            d.tasks.push(Task {
                no,
                area,
                title,
                description,
                funds: None,
            });
            d.body_open = true;
            return i + 1;
        }
        // Continuation of the last item, or a new paragraph.
        if let Some(task) = d.tasks.last_mut() {
            let last = if task.description.is_empty() {
                &mut task.title
            } else {
                &mut task.description
            };
            if ends_sentence(last) {
                last.push('\n');
                last.push_str(&text);
            } else {
                join_wrapped(last, &text);
            }
            return i + 1;
        }
        let push = |v: &mut Vec<String>| match v.last_mut() {
            Some(last) if !ends_sentence(last) => join_wrapped(last, &text),
            _ => v.push(text.clone()),
        };
        match which {
            BodyTarget::Overall => push(&mut d.overall),
            BodyTarget::Annual => push(&mut d.annual),
            BodyTarget::Both => {
                push(&mut d.overall);
                push(&mut d.annual);
            }
        }
        i + 1
    }
}
