//! 审核意见 — findings of the target review, and the grades of review and evaluation.

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 错误 — must be fixed.
    Error,
    /// 警告 — should be fixed.
    Warning,
    /// 提示 — worth a look.
    Info,
}

impl Severity {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    /// JSON id.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// 审核意见 — one explained finding about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id (`structure.missing-level2`).
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// 项目名称.
    pub project: String,
    /// The 三级 name, when the finding is about one indicator.
    pub indicator: Option<String>,
    /// The indicator's code (`1.1.3`, see `Project::assign_codes`), when about one indicator.
    #[serde(default)]
    pub code: Option<String>,
    /// Where the indicator sits: `一级/二级/三级` as printed (`产出指标/数量指标/行驶公里数`).
    #[serde(default)]
    pub path: Option<String>,
    /// The sub-task number, when the finding is about one sub-task.
    pub task: Option<u32>,
    /// Source line, when known.
    pub line: Option<u32>,
    /// Message in Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// What to do about it (建议), in Chinese.
    pub suggestion: String,
    /// The suggestion in English.
    #[serde(default)]
    pub suggestion_en: String,
}

/// 优 / 良 / 中 / 差 — the grade of a review or a self-evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优.
    Excellent,
    /// 良.
    Good,
    /// 中.
    Fair,
    /// 差.
    Poor,
}

impl Grade {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Fair => "fair",
            Grade::Poor => "poor",
        }
    }
}
