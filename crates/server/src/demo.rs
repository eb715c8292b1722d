//! 演示数据 — what `jixiao serve --demo` puts into an empty database: the seed's org tree
//! (上海市生态环境局 → 上海市减污降碳管理运行技术中心, and a second unit), one user per role, the
//! seed form (2024), the actuals and spending of 交通工具购置及更新, and that project's 2025
//! declaration (a draft, linked to 2024's as 上年项目: `tests/data/demo/README.md`), so that
//! history, the year-over-year rules and cost per output have two years to show, and the unit's
//! 2024 department-wide declaration (部门整体支出绩效目标申报表, `department_2024.txt`: its 项目支出
//! the two seed projects' money). Everything
//! goes through `jixiao_app`, as an administrator, so it is audited like any other change.

use jixiao_app::{accounts, Actor, App, AppError, NewAccount, Upload};
use jixiao_model::Role;

/// 主管部门 of the seed.
pub const DEPARTMENT: &str = "上海市生态环境局";
/// 实施单位 of the seed.
pub const UNIT: &str = "上海市减污降碳管理运行技术中心";
/// A second unit under the same department, with no declaration of its own.
pub const SECOND_UNIT: &str = "上海市环境监测中心";

const SEED: &[u8] = include_bytes!("../../../tests/data/seed_2024_shanghai.txt");
const ACTUALS: &[u8] = include_bytes!("../../../tests/data/actuals/transport_2024.csv");
const SPENDING: &[u8] = include_bytes!("../../../tests/data/actuals/transport_2024_spending.csv");
const NEXT_YEAR: &[u8] = include_bytes!("../../../tests/data/demo/transport_2025.txt");
const DEPARTMENT_WIDE: &[u8] = include_bytes!("../../../tests/data/demo/department_2024.txt");

/// The project of the demo's two years.
pub const TWO_YEARS: &str = "交通工具购置及更新";

/// A demo user and its password (printed once by the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// 用户名.
    pub username: String,
    /// 角色.
    pub role: Role,
    /// 所属单位.
    pub unit: Option<String>,
    /// 所属部门.
    pub department: Option<String>,
    /// The password.
    pub password: String,
}

/// The demo users: (name, role, unit, department).
pub const USERS: [(&str, Role, Option<&str>, Option<&str>); 6] = [
    ("admin", Role::Admin, None, None),
    ("finance", Role::Finance, None, None),
    ("reviewer", Role::Reviewer, None, Some(DEPARTMENT)),
    ("editor", Role::Editor, Some(UNIT), Some(DEPARTMENT)),
    ("viewer", Role::Viewer, Some(UNIT), Some(DEPARTMENT)),
    ("editor2", Role::Editor, Some(SECOND_UNIT), Some(DEPARTMENT)),
];

/// Fills an empty database; a database that has users already is refused
/// ([`AppError::Conflict`]) and left as it is. `admin_password` (from
/// `JIXIAO_ADMIN_PASSWORD`) is the administrator's; every other password is generated.
pub async fn seed(app: &App, admin_password: Option<&str>) -> Result<Vec<DemoUser>, AppError> {
    if app.has_users().await? {
        return Err(AppError::Conflict(jixiao_app::Message::DemoHasUsers));
    }
    let setup = Actor::new("demo-setup", Role::Admin, None, None);
    let mut users = Vec::new();
    for (name, role, unit, department) in USERS {
        let password = match (role, admin_password) {
            (Role::Admin, Some(p)) => p.to_string(),
            _ => accounts::random_token()?[..16].to_string(),
        };
        let account = NewAccount {
            username: name.into(),
            role,
            unit: unit.map(str::to_string),
            department: department.map(str::to_string),
        };
        app.add_user(&setup, &account, &password).await?;
        users.push(DemoUser {
            username: name.into(),
            role,
            unit: account.unit,
            department: account.department,
            password,
        });
    }
    app.import(&setup, &[Upload::new("seed_2024_shanghai.txt", SEED)])
        .await?;
    app.record_actuals(&setup, &Upload::new("transport_2024.csv", ACTUALS))
        .await?;
    app.record_spending(
        &setup,
        &Upload::new("transport_2024_spending.csv", SPENDING),
    )
    .await?;
    app.import(&setup, &[Upload::new("transport_2025.txt", NEXT_YEAR)])
        .await?;
    app.import(
        &setup,
        &[Upload::new("department_2024.txt", DEPARTMENT_WIDE)],
    )
    .await?;
    let list = app.list(&setup).await?;
    let id_of = |year: i32| {
        list.iter()
            .find(|s| s.key.name == TWO_YEARS && s.key.year == year)
            .map(|s| s.id)
            .ok_or_else(|| AppError::internal("a demo declaration was not stored"))
    };
    app.link_previous_year(&setup, id_of(2025)?, id_of(2024)?)
        .await?;
    Ok(users)
}
