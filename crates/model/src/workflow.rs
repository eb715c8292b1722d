//! Who may do what, and where a declaration stands: 角色 (填报人, 审核人, 财政, 管理员, 只读) and
//! the workflow status of a declaration (草稿 → 已提交 → 退回 → … → 已批准).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// 角色 — a user's role. What each may do is enforced by `jixiao-app`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员 — reads everything, manages users and the org tree, may change anything.
    Admin,
    /// 财政 — reads everything.
    Finance,
    /// 审核人 — reviews the declarations of the units under its department.
    Reviewer,
    /// 填报人 — edits its own unit's drafts and records its actuals and spending.
    Editor,
    /// 只读 — reads its own unit.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Finance,
        Role::Reviewer,
        Role::Editor,
        Role::Viewer,
    ];

    /// The identifier (`admin`, `finance`, `reviewer`, `editor`, `viewer`).
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Finance => "finance",
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Finance => "财政",
            Role::Reviewer => "审核人",
            Role::Editor => "填报人",
            Role::Viewer => "只读",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知角色「{0}」：应为 admin、finance、reviewer、editor 或 viewer / unknown role {0:?}: expected admin, finance, reviewer, editor or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(t) || r.zh() == t)
            .ok_or_else(|| UnknownRole(t.to_string()))
    }
}

/// 申报状态 — where a declaration stands in the workflow. Imports start as [`Status::Draft`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 草稿 — editable by its unit.
    Draft,
    /// 已提交 — waiting for review.
    Submitted,
    /// 退回 — returned with comments; editable again.
    Returned,
    /// 已批准 — approved and locked; changes go through an 调整 (adjustment).
    Approved,
}

impl Status {
    /// The identifier (`draft`, `submitted`, `returned`, `approved`).
    pub fn id(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Approved => "approved",
        }
    }

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Draft => "草稿",
            Status::Submitted => "已提交",
            Status::Returned => "退回",
            Status::Approved => "已批准",
        }
    }

    /// Reads the identifier back.
    pub fn from_id(s: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Returned,
            Status::Approved,
        ]
        .into_iter()
        .find(|st| st.id() == s)
    }

    /// Whether the declaration's content may be edited in this status.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_read_back() {
        for r in Role::ALL {
            assert_eq!(r.id().parse::<Role>(), Ok(r));
            assert_eq!(r.zh().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_drafts_and_returned_are_editable() {
        assert!(Status::Draft.is_editable());
        assert!(Status::Returned.is_editable());
        assert!(!Status::Submitted.is_editable());
        assert!(!Status::Approved.is_editable());
        assert_eq!(Status::from_id("approved"), Some(Status::Approved));
    }
}
