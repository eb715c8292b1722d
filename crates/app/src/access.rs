//! 权限 — who may do what to which declaration. Pure: no database, no I/O.
//!
//! This module owns the one table of permissions; every use case in this crate asks it and
//! no front end decides on its own, so the CLI and the server cannot differ.
//!
//! | role | reads | writes (import, edit, submit, adjust, actuals, spending, notes) | reviews (return, approve) | comments | 指标库 (build, edit, import) | 整改: opens, verifies | 整改: rectifies |
//! |---|---|---|---|---|---|---|---|
//! | 管理员 `admin` | everything | everything | everything | everything | yes | everything | everything |
//! | 财政 `finance` | everything | nothing | nothing | nothing | yes | everything (verifies what it opened) | nothing |
//! | 审核人 `reviewer` | its own unit and the units under its department | nothing | the units under its department | the units under its department | no | the units under its department (verifies what it opened) | nothing |
//! | 填报人 `editor` | its own unit | its own unit | nothing | its own unit (answering a review) | no | nothing | its own unit |
//! | 只读 `viewer` | its own unit | nothing | nothing | nothing | no | nothing | nothing |
//!
//! A rectification (整改) is read by whoever reads its declaration. It is opened on a finding
//! ([`Action::OpenRectification`]); the unit's 填报人 writes the measure and the evidence and
//! moves it between 待整改 and 整改中 ([`Action::Rectify`]); only whoever opened it (or an
//! administrator) changes its owner or deadline, completes it (已完成, verified) or reopens it
//! ([`Action::VerifyRectification`], [`authorize_rectification`]).
//!
//! Every role reads the indicator library itself; suggestions drawn from approved declarations
//! show only those the actor may read.
//!
//! "Under its department" means: the declaration's 主管部门 is the actor's department. That
//! 主管部门 is its unit's in the org tree, never the editor's choice (see `identify`). When the
//! store's org tree lands, [`Owner::departments`] carries the whole chain of departments above
//! the unit and the rule stays the same.
//!
//! **Invariant:** what an actor may not read does not exist for it: the use cases answer
//! [`crate::AppError::NotFound`] (never `Forbidden`, which would confirm that it exists).

use jixiao_model::{Project, ProjectKey, Rectification, Role};

use crate::{AppError, Message};

/// 用户 — who is acting: a person signed in to the server, or the local administrator of the
/// CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// 用户名.
    pub name: String,
    /// 角色.
    pub role: Role,
    /// 所属单位 — the unit (实施单位) the actor belongs to, when it belongs to one.
    pub unit: Option<String>,
    /// 所属部门 — the department (主管部门) the actor belongs to, when it belongs to one.
    pub department: Option<String>,
}

impl Actor {
    /// An actor of a role in a unit and department.
    pub fn new(
        name: impl Into<String>,
        role: Role,
        unit: Option<&str>,
        department: Option<&str>,
    ) -> Actor {
        Actor {
            name: name.into(),
            role,
            unit: unit.map(str::to_string),
            department: department.map(str::to_string),
        }
    }

    /// 本机管理员 — what the command line acts as: an administrator of no particular unit.
    pub fn local_admin() -> Actor {
        Actor::new("local", Role::Admin, None, None)
    }

    /// Whether the actor's role may ever do `action` (what a front end offers before anything
    /// is looked up: the upload link, the review queue, the user list).
    pub fn may(&self, action: Action) -> bool {
        role_may(self.role, action)
    }

    /// Whether the actor may do `action` to this declaration (its unit and department).
    pub fn may_on(&self, action: Action, p: &Project) -> bool {
        authorize(self, action, p).is_ok()
    }
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 查看 — see a declaration, its actuals, spending, monitoring and self-evaluation.
    Read,
    /// 填报 — import a declaration, record actuals or spending.
    Write,
    /// 审核 — decide on a declaration (return, approve).
    Review,
    /// 审核意见 — comment on a declaration or an indicator (a reviewer reviewing, the unit
    /// answering).
    Comment,
    /// 系统管理 — manage users and the org tree.
    Administer,
    /// 维护指标库 — build, edit and import the indicator library.
    EditLibrary,
    /// 整改立项 — open a rectification on a declaration's finding.
    OpenRectification,
    /// 整改 — write a rectification's measure and evidence, move it to 整改中.
    Rectify,
    /// 整改验收 — complete (verify) or reopen a rectification, change its owner or deadline:
    /// whoever opened it.
    VerifyRectification,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 9] = [
        Action::Read,
        Action::Write,
        Action::Review,
        Action::Comment,
        Action::Administer,
        Action::EditLibrary,
        Action::OpenRectification,
        Action::Rectify,
        Action::VerifyRectification,
    ];

    /// Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Action::Read => "查看",
            Action::Write => "填报",
            Action::Review => "审核",
            Action::Comment => "评论",
            Action::Administer => "系统管理",
            Action::EditLibrary => "维护指标库",
            Action::OpenRectification => "建立整改事项于",
            Action::Rectify => "填报整改于",
            Action::VerifyRectification => "验收整改于",
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::Review => "review",
            Action::Comment => "comment on",
            Action::Administer => "administer",
            Action::EditLibrary => "edit the indicator library",
            Action::OpenRectification => "open a rectification on",
            Action::Rectify => "rectify",
            Action::VerifyRectification => "verify a rectification of",
        }
    }
}

/// Whose a declaration is: its 实施单位 and the 主管部门 above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    /// 实施单位.
    pub unit: &'a str,
    /// 主管部门 — nearest first (today at most one: the form's 主管部门).
    pub departments: &'a [String],
}

impl<'a> Owner<'a> {
    /// The owner of a declaration.
    pub fn of(p: &'a Project) -> Owner<'a> {
        Owner {
            unit: &p.unit,
            departments: p.department.as_slice(),
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

fn own_unit(actor: &Actor, owner: &Owner) -> bool {
    actor.unit.as_deref().is_some_and(|u| same(u, owner.unit))
}

fn under_department(actor: &Actor, owner: &Owner) -> bool {
    actor
        .department
        .as_deref()
        .is_some_and(|d| owner.departments.iter().any(|o| same(o, d)))
}

/// Whether the role may ever do `action`, whatever the declaration (e.g. a 只读 user never
/// writes). Used to refuse early, before anything is looked up.
pub fn role_may(role: Role, action: Action) -> bool {
    match role {
        Role::Admin => true,
        Role::Finance => matches!(
            action,
            Action::Read
                | Action::EditLibrary
                | Action::OpenRectification
                | Action::VerifyRectification
        ),
        Role::Reviewer => matches!(
            action,
            Action::Read
                | Action::Review
                | Action::Comment
                | Action::OpenRectification
                | Action::VerifyRectification
        ),
        Role::Editor => matches!(
            action,
            Action::Read | Action::Write | Action::Comment | Action::Rectify
        ),
        Role::Viewer => action == Action::Read,
    }
}

/// Whether `actor` may do `action` to a declaration owned by `owner`.
pub fn permits(actor: &Actor, action: Action, owner: &Owner) -> bool {
    if !role_may(actor.role, action) {
        return false;
    }
    match actor.role {
        Role::Admin | Role::Finance => true,
        Role::Reviewer => match action {
            Action::Read => own_unit(actor, owner) || under_department(actor, owner),
            Action::Review
            | Action::Comment
            | Action::OpenRectification
            | Action::VerifyRectification => under_department(actor, owner),
            Action::Write | Action::Administer | Action::EditLibrary | Action::Rectify => false,
        },
        Role::Editor | Role::Viewer => own_unit(actor, owner),
    }
}

/// What an actor may read, as a filter the store applies in SQL ([`jixiao_store::Visibility`]):
/// the same rule as [`permits`] for [`Action::Read`] — everything for 管理员 and 财政; its
/// unit and the units under its department for 审核人; its unit for 填报人 and 只读.
///
/// The database trims only spaces (`TRIM`) where [`permits`] trims all Unicode blanks, so a
/// declaration the SQL filter shows is always one [`permits`] allows (never more); the
/// tests compare both on every role.
pub fn visibility(actor: &Actor) -> jixiao_store::Visibility {
    if !role_may(actor.role, Action::Read) {
        return jixiao_store::Visibility::default();
    }
    let trimmed = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_string());
    match actor.role {
        Role::Admin | Role::Finance => jixiao_store::Visibility::everything(),
        Role::Reviewer => jixiao_store::Visibility {
            all: false,
            units: trimmed(&actor.unit).into_iter().collect(),
            departments: trimmed(&actor.department).into_iter().collect(),
        },
        Role::Editor | Role::Viewer => jixiao_store::Visibility {
            all: false,
            units: trimmed(&actor.unit).into_iter().collect(),
            departments: Vec::new(),
        },
    }
}

/// Whether the actor may read a declaration.
pub fn can_read(actor: &Actor, p: &Project) -> bool {
    permits(actor, Action::Read, &Owner::of(p))
}

/// Refuses an action the role may never do, before anything is looked up.
pub fn require_role(actor: &Actor, action: Action) -> Result<(), AppError> {
    if role_may(actor.role, action) {
        Ok(())
    } else {
        Err(forbidden(actor, action, None))
    }
}

/// Refuses `action` on an existing declaration: [`AppError::NotFound`] when the actor may not
/// even read it, [`AppError::Forbidden`] when it may read but not do this.
pub fn authorize(actor: &Actor, action: Action, p: &Project) -> Result<(), AppError> {
    let owner = Owner::of(p);
    if !permits(actor, Action::Read, &owner) {
        return Err(crate::error::not_found(&p.name, Some(p.year)));
    }
    if !permits(actor, action, &owner) {
        return Err(forbidden(actor, action, Some(&p.key())));
    }
    Ok(())
}

/// Refuses `action` on a declaration that comes with the input (an imported form): the
/// answer depends on the input only, so it is [`AppError::Forbidden`] and leaks nothing.
pub fn authorize_new(actor: &Actor, action: Action, p: &Project) -> Result<(), AppError> {
    if permits(actor, action, &Owner::of(p)) {
        Ok(())
    } else {
        Err(forbidden(actor, action, Some(&p.key())))
    }
}

/// Refuses `action` on a rectification: [`AppError::NotFound`] when the actor may not read its
/// declaration, [`AppError::Forbidden`] when the table does not let it, and for
/// [`Action::VerifyRectification`] when it did not open it (an administrator may).
pub fn authorize_rectification(
    actor: &Actor,
    action: Action,
    r: &Rectification,
) -> Result<(), AppError> {
    let departments = r.department.clone().into_iter().collect::<Vec<_>>();
    let owner = Owner {
        unit: &r.unit,
        departments: &departments,
    };
    if !permits(actor, Action::Read, &owner) {
        return Err(crate::rectification::no_rectification(r.id));
    }
    let key = ProjectKey {
        year: r.year,
        unit: r.unit.clone(),
        name: r.project.clone(),
    };
    if !permits(actor, action, &owner) {
        return Err(forbidden(actor, action, Some(&key)));
    }
    if action == Action::VerifyRectification
        && actor.role != Role::Admin
        && actor.name.trim() != r.opened_by.trim()
    {
        return Err(AppError::Forbidden(Message::OnlyOpenerVerifies {
            id: r.id,
            opened_by: r.opened_by.clone(),
        }));
    }
    Ok(())
}

fn forbidden(actor: &Actor, action: Action, key: Option<&ProjectKey>) -> AppError {
    AppError::Forbidden(crate::Message::NotPermitted {
        actor: actor.name.clone(),
        role: actor.role,
        action,
        project: key.cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "单位甲";
    const B: &str = "单位乙";
    const DEPT: &str = "生态环境局";
    const OTHER_DEPT: &str = "交通委";

    /// One line of the table: (role, actor's unit, actor's department, action, declaration's
    /// unit, declaration's department, allowed).
    type Case = (
        Role,
        Option<&'static str>,
        Option<&'static str>,
        Action,
        &'static str,
        &'static str,
        bool,
    );

    /// The whole table.
    #[test]
    fn the_permission_table() {
        use Action::*;
        use Role::*;
        #[rustfmt::skip]
        let table: &[Case] = &[
            // 管理员: anything, anywhere.
            (Admin, None, None, Read, B, OTHER_DEPT, true),
            (Admin, None, None, Write, B, OTHER_DEPT, true),
            (Admin, None, None, Review, B, OTHER_DEPT, true),
            (Admin, None, None, Administer, B, OTHER_DEPT, true),
            (Admin, None, None, Comment, B, OTHER_DEPT, true),
            (Admin, None, None, EditLibrary, B, OTHER_DEPT, true),
            (Admin, None, None, OpenRectification, B, OTHER_DEPT, true),
            (Admin, None, None, Rectify, B, OTHER_DEPT, true),
            (Admin, None, None, VerifyRectification, B, OTHER_DEPT, true),
            // 财政: reads all, writes nothing.
            (Finance, None, None, Read, B, OTHER_DEPT, true),
            (Finance, Some(A), Some(DEPT), Write, A, DEPT, false),
            (Finance, None, None, Review, A, DEPT, false),
            (Finance, None, None, Administer, A, DEPT, false),
            (Finance, None, None, Comment, A, DEPT, false),
            // …but keeps the indicator library.
            (Finance, None, None, EditLibrary, A, DEPT, true),
            // …and opens and verifies rectifications anywhere, but does not rectify.
            (Finance, None, None, OpenRectification, B, OTHER_DEPT, true),
            (Finance, None, None, VerifyRectification, B, OTHER_DEPT, true),
            (Finance, None, None, Rectify, A, DEPT, false),
            // 审核人: reads and reviews units under its department, writes nothing.
            (Reviewer, None, Some(DEPT), Read, B, DEPT, true),
            (Reviewer, None, Some(DEPT), Review, B, DEPT, true),
            (Reviewer, None, Some(DEPT), Read, B, OTHER_DEPT, false),
            (Reviewer, None, Some(DEPT), Review, B, OTHER_DEPT, false),
            (Reviewer, Some(A), Some(DEPT), Read, A, OTHER_DEPT, true),
            (Reviewer, Some(A), Some(DEPT), Review, A, OTHER_DEPT, false),
            (Reviewer, Some(A), Some(DEPT), Write, A, DEPT, false),
            (Reviewer, None, None, Read, A, DEPT, false),
            (Reviewer, None, Some(DEPT), Administer, A, DEPT, false),
            (Reviewer, None, Some(DEPT), Comment, B, DEPT, true),
            (Reviewer, None, Some(DEPT), Comment, B, OTHER_DEPT, false),
            (Reviewer, None, Some(DEPT), EditLibrary, B, DEPT, false),
            (Reviewer, None, Some(DEPT), OpenRectification, B, DEPT, true),
            (Reviewer, None, Some(DEPT), OpenRectification, B, OTHER_DEPT, false),
            (Reviewer, Some(A), Some(DEPT), OpenRectification, A, OTHER_DEPT, false),
            (Reviewer, None, Some(DEPT), VerifyRectification, B, DEPT, true),
            (Reviewer, None, Some(DEPT), VerifyRectification, B, OTHER_DEPT, false),
            (Reviewer, Some(A), Some(DEPT), Rectify, A, DEPT, false),
            // 填报人: reads and writes its own unit only.
            (Editor, Some(A), Some(DEPT), Read, A, DEPT, true),
            (Editor, Some(A), Some(DEPT), Write, A, DEPT, true),
            (Editor, Some(A), Some(DEPT), Review, A, DEPT, false),
            (Editor, Some(A), Some(DEPT), Read, B, DEPT, false),
            (Editor, Some(A), Some(DEPT), Write, B, DEPT, false),
            (Editor, None, Some(DEPT), Write, A, DEPT, false),
            (Editor, Some(A), None, Administer, A, DEPT, false),
            (Editor, Some(A), None, Comment, A, DEPT, true),
            (Editor, Some(A), None, Comment, B, DEPT, false),
            (Editor, Some(A), Some(DEPT), EditLibrary, A, DEPT, false),
            (Editor, Some(A), Some(DEPT), Rectify, A, DEPT, true),
            (Editor, Some(A), Some(DEPT), Rectify, B, DEPT, false),
            (Editor, Some(A), Some(DEPT), OpenRectification, A, DEPT, false),
            (Editor, Some(A), Some(DEPT), VerifyRectification, A, DEPT, false),
            // 只读: reads its own unit, nothing else.
            (Viewer, Some(A), None, Read, A, DEPT, true),
            (Viewer, Some(A), None, Write, A, DEPT, false),
            (Viewer, Some(A), None, Read, B, DEPT, false),
            (Viewer, Some(A), Some(DEPT), Review, A, DEPT, false),
            (Viewer, Some(A), None, Administer, A, DEPT, false),
            (Viewer, Some(A), None, Comment, A, DEPT, false),
            (Viewer, Some(A), None, EditLibrary, A, DEPT, false),
            (Viewer, Some(A), None, OpenRectification, A, DEPT, false),
            (Viewer, Some(A), None, Rectify, A, DEPT, false),
            (Viewer, Some(A), None, VerifyRectification, A, DEPT, false),
        ];
        for &(role, unit, dept, action, owner_unit, owner_dept, allowed) in table {
            let actor = Actor::new("u", role, unit, dept);
            let departments = [owner_dept.to_string()];
            let owner = Owner {
                unit: owner_unit,
                departments: &departments,
            };
            assert_eq!(
                permits(&actor, action, &owner),
                allowed,
                "{role:?} of {unit:?}/{dept:?} {action:?} on {owner_unit}/{owner_dept}"
            );
            // What a role may never do, it may do nowhere.
            if allowed {
                assert!(role_may(role, action), "{role:?} {action:?}");
            }
        }
        // Every (role, action) pair appears in the table.
        for role in Role::ALL {
            for action in Action::ALL {
                assert!(
                    table.iter().any(|t| t.0 == role && t.3 == action),
                    "{role:?} {action:?} missing from the table"
                );
            }
        }
    }

    /// A rectification is verified by whoever opened it (or an administrator); reading it is
    /// reading its declaration.
    #[test]
    fn only_the_opener_verifies_a_rectification() {
        let r = Rectification {
            id: 7,
            declaration_id: 1,
            year: 2024,
            project: "项目".into(),
            unit: A.into(),
            department: Some(DEPT.into()),
            finding: jixiao_model::SourceFinding {
                source: jixiao_model::FindingSource::Review,
                rule: "r".into(),
                indicator_id: None,
                indicator: None,
                text_zh: String::new(),
                text_en: String::new(),
            },
            owner: jixiao_model::RectificationOwner::Unit(A.into()),
            deadline: "2024-07-31".parse().unwrap(),
            measure: String::new(),
            evidence: String::new(),
            progress: jixiao_model::Progress::Open,
            opened_by: "甲".into(),
            opened_at: String::new(),
            updated_by: "甲".into(),
            updated_at: String::new(),
            closed_by: None,
            closed_at: None,
            version: 1,
        };
        let kind = |actor: &Actor, action| {
            authorize_rectification(actor, action, &r)
                .err()
                .map(|e| e.kind())
        };
        use crate::ErrorKind::{Forbidden, NotFound};
        let opener = Actor::new("甲", Role::Reviewer, None, Some(DEPT));
        let second = Actor::new("乙", Role::Reviewer, None, Some(DEPT));
        let elsewhere = Actor::new("丙", Role::Reviewer, None, Some(OTHER_DEPT));
        let editor = Actor::new("丁", Role::Editor, Some(A), None);
        let stranger = Actor::new("戊", Role::Editor, Some(B), None);
        let admin = Actor::new("管", Role::Admin, None, None);
        assert_eq!(kind(&opener, Action::VerifyRectification), None);
        assert_eq!(kind(&second, Action::VerifyRectification), Some(Forbidden));
        assert_eq!(kind(&second, Action::Read), None);
        assert_eq!(kind(&elsewhere, Action::Read), Some(NotFound));
        assert_eq!(kind(&editor, Action::Rectify), None);
        assert_eq!(kind(&editor, Action::VerifyRectification), Some(Forbidden));
        assert_eq!(kind(&opener, Action::Rectify), Some(Forbidden));
        assert_eq!(kind(&stranger, Action::Rectify), Some(NotFound));
        assert_eq!(kind(&admin, Action::VerifyRectification), None);
    }

    #[test]
    fn units_compare_without_surrounding_blanks() {
        let actor = Actor::new("u", Role::Editor, Some(" 单位甲"), None);
        let owner = Owner {
            unit: "单位甲 ",
            departments: &[],
        };
        assert!(permits(&actor, Action::Write, &owner));
    }

    #[test]
    fn the_local_admin_may_do_anything() {
        let admin = Actor::local_admin();
        for action in [
            Action::Read,
            Action::Write,
            Action::Review,
            Action::Comment,
            Action::Administer,
        ] {
            assert!(permits(
                &admin,
                action,
                &Owner {
                    unit: B,
                    departments: &[]
                }
            ));
        }
    }
}
