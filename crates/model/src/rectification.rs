//! 整改 — a finding (a review finding, a monitoring light 红/黄, a self-evaluation flag) turned
//! into an action: who does it (a user or a unit), by when, what is done (整改措施), what shows it
//! was done (整改佐证) and where it stands (待整改 / 整改中 / 已完成, and 逾期 when the deadline
//! passed before it was completed). This module owns the types and the one pure rule: the
//! status a rectification shows on a day ([`RectificationStatus::of`]). Who may open, update and
//! close one is `jixiao-app`'s permission table; the rows are `jixiao-store`'s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::project::{DeclarationId, IndicatorId};

/// Where the finding of a rectification comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    /// 审核意见 — a finding of the target review (its rule id).
    Review,
    /// 监控预警 — a 红 or 黄 light of 绩效运行监控 (`red`, `yellow`).
    Monitoring,
    /// 自评问题 — a flag of the self-evaluation (its kind).
    SelfEvaluation,
}

impl FindingSource {
    /// Every source.
    pub const ALL: [FindingSource; 3] = [
        FindingSource::Review,
        FindingSource::Monitoring,
        FindingSource::SelfEvaluation,
    ];

    /// The id in the API and the database (`review`, `monitoring`, `self_evaluation`).
    pub fn id(self) -> &'static str {
        match self {
            FindingSource::Review => "review",
            FindingSource::Monitoring => "monitoring",
            FindingSource::SelfEvaluation => "self_evaluation",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            FindingSource::Review => "审核意见",
            FindingSource::Monitoring => "监控预警",
            FindingSource::SelfEvaluation => "自评问题",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            FindingSource::Review => "review finding",
            FindingSource::Monitoring => "monitoring light",
            FindingSource::SelfEvaluation => "self-evaluation flag",
        }
    }

    /// Reads an id.
    pub fn from_id(s: &str) -> Option<FindingSource> {
        FindingSource::ALL.into_iter().find(|x| x.id() == s.trim())
    }
}

/// The finding a rectification acts on, as it was when the rectification was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFinding {
    /// Where it comes from.
    pub source: FindingSource,
    /// The review rule id (`measurability.no-operator`), the light (`red`, `yellow`) or the
    /// flag kind (`missing_deviation_reason`).
    pub rule: String,
    /// The indicator (stable id), when the finding is about one.
    pub indicator_id: Option<IndicatorId>,
    /// The indicator's code and name as shown when opened (`1.1.2 行驶公里数`).
    pub indicator: Option<String>,
    /// The finding's text, in Chinese.
    pub text_zh: String,
    /// …and in English.
    pub text_en: String,
}

/// The stored progress of a rectification: what its people said (逾期 is not stored: it is
/// read from the deadline and the day, [`RectificationStatus::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 待整改 — opened, nothing done yet.
    Open,
    /// 整改中 — the unit is at it (measure or evidence written).
    InProgress,
    /// 已完成 — verified and closed by whoever opened it.
    Done,
}

impl Progress {
    /// Every stored progress.
    pub const ALL: [Progress; 3] = [Progress::Open, Progress::InProgress, Progress::Done];

    /// The id in the database and the API (`open`, `in_progress`, `done`).
    pub fn id(self) -> &'static str {
        match self {
            Progress::Open => "open",
            Progress::InProgress => "in_progress",
            Progress::Done => "done",
        }
    }

    /// Reads an id.
    pub fn from_id(s: &str) -> Option<Progress> {
        Progress::ALL.into_iter().find(|x| x.id() == s.trim())
    }
}

/// 整改状态 — what a rectification shows on a day: 待整改, 整改中, 已完成, or 逾期 (not completed
/// and its deadline before the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectificationStatus {
    /// 待整改.
    Open,
    /// 整改中.
    InProgress,
    /// 已完成.
    Done,
    /// 逾期 — its deadline passed before it was completed.
    Overdue,
}

impl RectificationStatus {
    /// Every status.
    pub const ALL: [RectificationStatus; 4] = [
        RectificationStatus::Open,
        RectificationStatus::InProgress,
        RectificationStatus::Done,
        RectificationStatus::Overdue,
    ];

    /// The status on `today` of a rectification with this progress and deadline: 逾期 from the
    /// day after the deadline until it is completed.
    pub fn of(progress: Progress, deadline: NaiveDate, today: NaiveDate) -> RectificationStatus {
        match progress {
            Progress::Done => RectificationStatus::Done,
            _ if deadline < today => RectificationStatus::Overdue,
            Progress::Open => RectificationStatus::Open,
            Progress::InProgress => RectificationStatus::InProgress,
        }
    }

    /// The id in the API (`open`, `in_progress`, `done`, `overdue`).
    pub fn id(self) -> &'static str {
        match self {
            RectificationStatus::Open => "open",
            RectificationStatus::InProgress => "in_progress",
            RectificationStatus::Done => "done",
            RectificationStatus::Overdue => "overdue",
        }
    }

    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            RectificationStatus::Open => "待整改",
            RectificationStatus::InProgress => "整改中",
            RectificationStatus::Done => "已完成",
            RectificationStatus::Overdue => "逾期",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            RectificationStatus::Open => "open",
            RectificationStatus::InProgress => "in progress",
            RectificationStatus::Done => "done",
            RectificationStatus::Overdue => "overdue",
        }
    }

    /// Reads an id or a Chinese label.
    pub fn parse(s: &str) -> Option<RectificationStatus> {
        let t = s.trim();
        RectificationStatus::ALL
            .into_iter()
            .find(|x| x.id() == t || x.zh() == t)
    }

    /// Whether it still waits on someone (not 已完成).
    pub fn is_pending(self) -> bool {
        self != RectificationStatus::Done
    }
}

/// 责任人 / 责任单位 — who carries out a rectification.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum RectificationOwner {
    /// 责任单位 — a 实施单位 (its 填报人).
    Unit(String),
    /// 责任人 — a user by name.
    User(String),
}

impl RectificationOwner {
    /// `unit` or `user`.
    pub fn kind(&self) -> &'static str {
        match self {
            RectificationOwner::Unit(_) => "unit",
            RectificationOwner::User(_) => "user",
        }
    }

    /// The unit's or the user's name.
    pub fn name(&self) -> &str {
        match self {
            RectificationOwner::Unit(n) | RectificationOwner::User(n) => n,
        }
    }

    /// From a kind (`unit`, `user`) and a name.
    pub fn from_parts(kind: &str, name: &str) -> Option<RectificationOwner> {
        match kind.trim() {
            "unit" => Some(RectificationOwner::Unit(name.trim().to_string())),
            "user" => Some(RectificationOwner::User(name.trim().to_string())),
            _ => None,
        }
    }
}

/// 整改事项 — one rectification as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    /// Its id.
    pub id: i64,
    /// The declaration it concerns.
    pub declaration_id: DeclarationId,
    /// 年度 of that declaration.
    pub year: i32,
    /// 项目名称.
    pub project: String,
    /// 实施单位.
    pub unit: String,
    /// 主管部门.
    pub department: Option<String>,
    /// The finding it acts on.
    pub finding: SourceFinding,
    /// 责任人 / 责任单位.
    pub owner: RectificationOwner,
    /// 整改期限.
    pub deadline: NaiveDate,
    /// 整改措施.
    pub measure: String,
    /// 整改佐证.
    pub evidence: String,
    /// Where it stands as its people said.
    pub progress: Progress,
    /// Who opened it (and verifies it).
    pub opened_by: String,
    /// When (UTC, ISO 8601).
    pub opened_at: String,
    /// Who changed it last, and when.
    pub updated_by: String,
    /// When it was changed last (UTC, ISO 8601).
    pub updated_at: String,
    /// Who completed it, and when, once 已完成.
    pub closed_by: Option<String>,
    /// When it was completed (UTC, ISO 8601).
    pub closed_at: Option<String>,
    /// Changes so far, from 1 (a stale update is refused).
    pub version: i64,
}

impl Rectification {
    /// Its status on `today` (see [`RectificationStatus::of`]).
    pub fn status(&self, today: NaiveDate) -> RectificationStatus {
        RectificationStatus::of(self.progress, self.deadline, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn overdue_from_the_day_after_the_deadline_until_done() {
        use RectificationStatus as S;
        let deadline = d("2026-06-30");
        for (progress, today, want) in [
            (Progress::Open, "2026-06-29", S::Open),
            (Progress::Open, "2026-06-30", S::Open),
            (Progress::Open, "2026-07-01", S::Overdue),
            (Progress::InProgress, "2026-06-30", S::InProgress),
            (Progress::InProgress, "2026-07-01", S::Overdue),
            (Progress::Done, "2026-07-01", S::Done),
            (Progress::Done, "2026-01-01", S::Done),
        ] {
            assert_eq!(
                RectificationStatus::of(progress, deadline, d(today)),
                want,
                "{progress:?} on {today}"
            );
        }
    }

    #[test]
    fn ids_and_labels_read_back() {
        for s in RectificationStatus::ALL {
            assert_eq!(RectificationStatus::parse(s.id()), Some(s));
            assert_eq!(RectificationStatus::parse(s.zh()), Some(s));
        }
        for p in Progress::ALL {
            assert_eq!(Progress::from_id(p.id()), Some(p));
        }
        for f in FindingSource::ALL {
            assert_eq!(FindingSource::from_id(f.id()), Some(f));
        }
        assert_eq!(
            RectificationOwner::from_parts("user", " 张三 "),
            Some(RectificationOwner::User("张三".into()))
        );
        assert_eq!(RectificationOwner::from_parts("team", "x"), None);
    }
}
