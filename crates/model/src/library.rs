//! 指标库 — the indicator library: 共性 indicators (by 一级/二级, for every project) and 个性
//! indicators (by sector or department), each with its definition, unit, direction, formula, data
//! source, scoring rule and 核心指标 flag (财预〔2021〕101号 and its 核心绩效指标表模板). An entry is
//! versioned by the store; this module owns the types and the pure rules: how an indicator's
//! name is normalised to find its entry, and what direction a target has.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::level::{Level1, Level2};
use crate::target::{Op, Target};
use crate::text::fold_char;

/// 共性 / 个性 — whether an entry applies to every project or to one sector or department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LibraryScope {
    /// 共性指标 — for every project, by 一级/二级.
    Common,
    /// 个性指标 — of a sector (行业) or a department (主管部门).
    Specific,
}

impl LibraryScope {
    /// The id in files and the database (`common`, `specific`).
    pub fn id(self) -> &'static str {
        match self {
            LibraryScope::Common => "common",
            LibraryScope::Specific => "specific",
        }
    }

    /// Chinese label (`共性`, `个性`).
    pub fn zh(self) -> &'static str {
        match self {
            LibraryScope::Common => "共性",
            LibraryScope::Specific => "个性",
        }
    }

    /// Reads an id or a Chinese label.
    pub fn parse(s: &str) -> Option<LibraryScope> {
        match s.trim() {
            "common" | "共性" | "共性指标" => Some(LibraryScope::Common),
            "specific" | "个性" | "个性指标" => Some(LibraryScope::Specific),
            _ => None,
        }
    }
}

/// 指标方向 — which way an indicator is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 正向 — the more the better (≥, >).
    Up,
    /// 反向 — the less the better (≤, <).
    Down,
    /// 等于 — exactly (=).
    Exact,
    /// 定性 — judged, not counted.
    Qualitative,
}

impl Direction {
    /// The id in files and the database.
    pub fn id(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Exact => "exact",
            Direction::Qualitative => "qualitative",
        }
    }

    /// Chinese label (`正向`, `反向`, `等于`, `定性`).
    pub fn zh(self) -> &'static str {
        match self {
            Direction::Up => "正向",
            Direction::Down => "反向",
            Direction::Exact => "等于",
            Direction::Qualitative => "定性",
        }
    }

    /// Reads an id or a Chinese label.
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "up" | "正向" => Some(Direction::Up),
            "down" | "反向" => Some(Direction::Down),
            "exact" | "等于" => Some(Direction::Exact),
            "qualitative" | "定性" => Some(Direction::Qualitative),
            _ => None,
        }
    }

    /// The direction of a target: its first clause's operator, or 定性 for a qualitative target;
    /// a deadline is 反向 (the earlier the better).
    pub fn of(target: &Target) -> Direction {
        match target {
            Target::Quantitative(q) => Direction::of_op(q.op),
            Target::Compound(qs) => qs
                .first()
                .map_or(Direction::Qualitative, |q| Direction::of_op(q.op)),
            Target::Deadline(_) => Direction::Down,
            Target::Qualitative(_) => Direction::Qualitative,
        }
    }

    fn of_op(op: Op) -> Direction {
        if op.is_upward() {
            Direction::Up
        } else if op.is_downward() {
            Direction::Down
        } else {
            Direction::Exact
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

/// 指标库条目 — one indicator of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    /// The store's id (`None` before it is stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// 共性 / 个性.
    pub scope: LibraryScope,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 行业/领域 of a 个性 entry, when known.
    #[serde(default)]
    pub sector: Option<String>,
    /// 主管部门 of a 个性 entry, when it is a department's.
    #[serde(default)]
    pub department: Option<String>,
    /// 三级指标名称 as the library writes it.
    pub name: String,
    /// 指标解释 — what it measures.
    #[serde(default)]
    pub definition: String,
    /// 计量单位.
    #[serde(default)]
    pub unit: Option<String>,
    /// 指标方向.
    pub direction: Direction,
    /// 计算公式.
    #[serde(default)]
    pub formula: String,
    /// 数据来源.
    #[serde(default)]
    pub data_source: String,
    /// 评分规则.
    #[serde(default)]
    pub scoring_rule: String,
    /// 是否核心指标.
    #[serde(default)]
    pub core: bool,
    /// 典型指标值 — the target most often set (as written, `≥95(%)`).
    #[serde(default)]
    pub typical_target: Option<String>,
    /// 使用次数 — how many approved declarations use it.
    #[serde(default)]
    pub uses: u32,
    /// 版本 — 1 when created, +1 per change.
    #[serde(default)]
    pub version: i64,
}

impl LibraryEntry {
    /// The key that finds an entry: scope, 二级, sector or department and the normalised name.
    /// Two entries of one library never share it.
    pub fn key(&self) -> String {
        let owner = match self.scope {
            LibraryScope::Common => String::new(),
            LibraryScope::Specific => format!(
                "{}/{}",
                self.sector
                    .as_deref()
                    .map(normalize_name)
                    .unwrap_or_default(),
                self.department
                    .as_deref()
                    .map(normalize_name)
                    .unwrap_or_default()
            ),
        };
        format!(
            "{}|{}|{}|{}",
            self.scope.id(),
            self.level2.id(),
            owner,
            normalize_name(&self.name)
        )
    }
}

/// An indicator's name as the library compares it: width folded, white space, quotation marks
/// and trailing punctuation dropped, a leading sub-task number (`1.`, `1与2.`) dropped
/// (`“三监联动”情形清单编制数量。` → `三监联动情形清单编制数量`).
pub fn normalize_name(name: &str) -> String {
    let name = crate::task_ref::split_task_refs(name)
        .map(|r| r.name)
        .unwrap_or(name);
    let folded: String = name
        .chars()
        .map(fold_char)
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '『' | '』' | '《' | '》'
                )
        })
        .collect();
    folded
        .trim_end_matches(['.', '。', ',', '，', ';', '；', ':', '：', '、'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(
            normalize_name("1与2. “三监联动”情形清单编制数量。"),
            "三监联动情形清单编制数量"
        );
        assert_eq!(normalize_name(" 接送 准点率 "), "接送准点率");
        assert_eq!(normalize_name("满意度（％）"), "满意度(%)");
    }

    #[test]
    fn directions_of_targets() {
        let d = |s: &str| Direction::of(&Target::parse(s).unwrap_or(Target::Qualitative(s.into())));
        assert_eq!(d("≥95(%)"), Direction::Up);
        assert_eq!(d("≤8000(元/台)"), Direction::Down);
        assert_eq!(d("=100(%)"), Direction::Exact);
        assert_eq!(d("无违章无事故"), Direction::Qualitative);
        assert_eq!(d("2024年11月30日前完成"), Direction::Down);
        for x in [
            Direction::Up,
            Direction::Down,
            Direction::Exact,
            Direction::Qualitative,
        ] {
            assert_eq!(Direction::parse(x.id()), Some(x));
            assert_eq!(Direction::parse(x.zh()), Some(x));
        }
        for s in [LibraryScope::Common, LibraryScope::Specific] {
            assert_eq!(LibraryScope::parse(s.id()), Some(s));
            assert_eq!(LibraryScope::parse(s.zh()), Some(s));
        }
    }

    #[test]
    fn keys_tell_scope_and_owner_apart() {
        let e = LibraryEntry {
            id: None,
            scope: LibraryScope::Common,
            level1: Level1::Satisfaction,
            level2: Level2::ServiceSatisfaction,
            sector: None,
            department: None,
            name: "服务对象满意度".into(),
            definition: String::new(),
            unit: Some("%".into()),
            direction: Direction::Up,
            formula: String::new(),
            data_source: String::new(),
            scoring_rule: String::new(),
            core: false,
            typical_target: None,
            uses: 0,
            version: 1,
        };
        let mut d = e.clone();
        d.scope = LibraryScope::Specific;
        d.department = Some("上海市生态环境局".into());
        assert_ne!(e.key(), d.key());
        let mut same = e.clone();
        same.name = " 服务对象满意度。".into();
        assert_eq!(e.key(), same.key());
    }
}
