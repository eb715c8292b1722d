//! Sub-task references (子任务引用) written in front of an indicator name.
//!
//! Forms that number their sub-tasks prefix each indicator with the sub-tasks it measures:
//! `1与2. 预算执行率`, `3-7. 成本控制率`, `9-11. 预算执行率`, `1-11 参与人员满意度`, `5. 配置核查数`.
//! [`split_task_refs`] removes the prefix from the name and expands it to a sorted list of numbers.

use crate::text::fold_char;

/// The most sub-tasks one range may name; a larger range is a typo, not a reference.
const MAX_RANGE: u32 = 200;

/// An indicator name split into its sub-task references and the name proper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRefs<'a> {
    /// Referenced sub-task numbers, ascending, without duplicates (`1与2` → `[1, 2]`).
    pub tasks: Vec<u32>,
    /// The name without the prefix, trimmed.
    pub name: &'a str,
}

/// A prefix that looks like a reference but cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskRefError {
    /// `7-3.`: a range that runs backwards.
    #[error("子任务范围 {0}-{1} 的起点大于终点 / sub-task range {0}-{1} runs backwards")]
    Backwards(u32, u32),
    /// `1-500.`: more sub-tasks than any form has.
    #[error("子任务范围 {0}-{1} 过大 / sub-task range {0}-{1} is too large")]
    TooLarge(u32, u32),
    /// `0.`: sub-tasks are numbered from 1.
    #[error("子任务编号从 1 开始 / sub-tasks are numbered from 1")]
    Zero,
}

/// Splits `"1与2. 预算执行率"` into `[1, 2]` and `"预算执行率"`.
///
/// A prefix is one or more numbers joined by `与 和 及 、 , -  — ~ 至`, ended by `.` `．` `、`
/// or white space, and followed by a name. Names that merely start with a number
/// (`2024年度…`, `100多家…`) have no prefix.
pub fn split_task_refs(name: &str) -> Result<TaskRefs<'_>, TaskRefError> {
    let none = TaskRefs {
        tasks: Vec::new(),
        name: name.trim(),
    };
    let s = name.trim_start();
    let mut tasks: Vec<u32> = Vec::new();
    let mut pos = 0usize; // byte offset into s
    let mut pending_range: Option<u32> = None;
    loop {
        let n_len = s[pos..].bytes().take_while(|b| b.is_ascii_digit()).count();
        if n_len == 0 || n_len > 3 {
            return Ok(none);
        }
        let n: u32 = s[pos..pos + n_len].parse().unwrap_or(0);
        pos += n_len;
        if let Some(from) = pending_range.take() {
            if n < from {
                return Err(TaskRefError::Backwards(from, n));
            }
            if n - from > MAX_RANGE {
                return Err(TaskRefError::TooLarge(from, n));
            }
            tasks.extend(from..=n);
        } else {
            tasks.push(n);
        }
        // Separator?
        let rest = &s[pos..];
        let sep = rest.chars().next().map(fold_char);
        let sep_len = rest.chars().next().map_or(0, char::len_utf8);
        match sep {
            Some('与' | '和' | '及' | ',' | '、')
                if rest[sep_len..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                pos += sep_len;
            }
            Some('-' | '—' | '–' | '~' | '至')
                if rest[sep_len..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                pending_range = tasks.pop();
                pos += sep_len;
            }
            Some('.' | '、') => {
                pos += sep_len;
                // "1.5倍" is a number, not a reference.
                if s[pos..].starts_with(|c: char| c.is_ascii_digit()) {
                    return Ok(none);
                }
                break;
            }
            Some(c) if c.is_whitespace() => break,
            _ => return Ok(none),
        }
    }
    let rest = s[pos..].trim();
    if rest.is_empty() {
        return Ok(none);
    }
    if tasks.contains(&0) {
        return Err(TaskRefError::Zero);
    }
    tasks.sort_unstable();
    tasks.dedup();
    Ok(TaskRefs { tasks, name: rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> (Vec<u32>, &str) {
        let r = split_task_refs(s).unwrap();
        (r.tasks, r.name)
    }

    #[test]
    fn every_reference_form_of_the_seed() {
        assert_eq!(
            split("1与2. 预算编制合理性"),
            (vec![1, 2], "预算编制合理性")
        );
        assert_eq!(
            split("3-7. 成本控制率"),
            (vec![3, 4, 5, 6, 7], "成本控制率")
        );
        assert_eq!(split("9-11. 预算执行率"), (vec![9, 10, 11], "预算执行率"));
        assert_eq!(
            split("1-11 参与人员满意度"),
            ((1..=11).collect(), "参与人员满意度")
        );
        assert_eq!(split("5. 配置核查数"), (vec![5], "配置核查数"));
        assert_eq!(
            split("10. 2024年6月完成执行报告审核要点动态更新"),
            (vec![10], "2024年6月完成执行报告审核要点动态更新")
        );
        assert_eq!(
            split("9. 《上海市建设项目竣工环保自主验收总体情况报告》"),
            (vec![9], "《上海市建设项目竣工环保自主验收总体情况报告》")
        );
    }

    #[test]
    fn other_spellings() {
        assert_eq!(split("1、3、5. 名称"), (vec![1, 3, 5], "名称"));
        assert_eq!(split("2．名称"), (vec![2], "名称"));
        assert_eq!(split("1－3与5 名称"), (vec![1, 2, 3, 5], "名称"));
        assert_eq!(split("3、名称"), (vec![3], "名称"));
    }

    #[test]
    fn names_that_only_start_with_digits() {
        assert_eq!(
            split("2024年度数据质量控制计划审核"),
            (vec![], "2024年度数据质量控制计划审核")
        );
        assert_eq!(split("100多家企业"), (vec![], "100多家企业"));
        assert_eq!(split("1.5倍覆盖"), (vec![], "1.5倍覆盖"));
        assert_eq!(split("行驶公里数"), (vec![], "行驶公里数"));
        assert_eq!(split("3."), (vec![], "3."));
    }

    #[test]
    fn impossible_references() {
        assert_eq!(
            split_task_refs("7-3. 名称"),
            Err(TaskRefError::Backwards(7, 3))
        );
        assert_eq!(
            split_task_refs("1-900. 名称"),
            Err(TaskRefError::TooLarge(1, 900))
        );
        assert_eq!(split_task_refs("0. 名称"), Err(TaskRefError::Zero));
    }
}
