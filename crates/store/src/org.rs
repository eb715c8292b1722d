//! 主管部门 → 实施单位 and users: the org tree the roles are checked against.

use jixiao_model::Role;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{write_audit, Change};
use crate::{corrupt, now, Store, StoreError};

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: Option<String>,
    /// Role.
    pub role: Role,
    /// 实施单位, for editors and viewers.
    pub unit: Option<String>,
    /// 主管部门, for reviewers (and the unit's department for others).
    pub department: Option<String>,
    /// Password hash (PHC string), when the user may log in.
    pub password_hash: Option<String>,
    /// Disabled users cannot log in.
    pub disabled: bool,
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: Option<String>,
    /// Role.
    pub role: Role,
    /// 实施单位 (created under `department` when not yet known).
    pub unit: Option<String>,
    /// 主管部门.
    pub department: Option<String>,
    /// Password hash (PHC string).
    pub password_hash: Option<String>,
}

async fn ensure_department(
    tx: &mut Transaction<'_, Any>,
    name: &str,
    at: &str,
) -> Result<i64, StoreError> {
    if let Some(r) = sqlx::query("SELECT id FROM departments WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(r.try_get(0)?);
    }
    Ok(
        sqlx::query("INSERT INTO departments (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(at)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?,
    )
}

/// The unit's row id, creating it (and its department) when not yet known; a unit first seen
/// without a department gets it when one is named later.
pub(crate) async fn ensure_unit(
    tx: &mut Transaction<'_, Any>,
    unit: &str,
    department: Option<&str>,
    at: &str,
) -> Result<i64, StoreError> {
    let dept = match department.filter(|d| !d.trim().is_empty()) {
        Some(d) => Some(ensure_department(tx, d, at).await?),
        None => None,
    };
    unit_with(tx, unit, dept, at).await
}

/// The unit's row id, created under the department `dept` when new.
async fn unit_with(
    tx: &mut Transaction<'_, Any>,
    unit: &str,
    dept: Option<i64>,
    at: &str,
) -> Result<i64, StoreError> {
    if let Some(r) = sqlx::query("SELECT id, department_id FROM units WHERE name = $1")
        .bind(unit)
        .fetch_optional(&mut **tx)
        .await?
    {
        let id: i64 = r.try_get(0)?;
        let had: Option<i64> = r.try_get(1)?;
        if had.is_none() && dept.is_some() {
            sqlx::query("UPDATE units SET department_id = $1 WHERE id = $2")
                .bind(dept)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        return Ok(id);
    }
    Ok(sqlx::query(
        "INSERT INTO units (name, department_id, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(unit)
    .bind(dept)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// The department of a unit in the org tree: `None` when the unit is unknown, `Some(None)`
/// when it is known without one.
pub(crate) async fn unit_department(
    tx: &mut Transaction<'_, Any>,
    unit: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let r = sqlx::query(
        "SELECT d.name FROM units u LEFT JOIN departments d ON d.id = u.department_id WHERE u.name = $1",
    )
    .bind(unit)
    .fetch_optional(&mut **tx)
    .await?;
    r.map(|r| r.try_get(0)).transpose().map_err(Into::into)
}

/// The ids of departments and units one transaction has looked up or created.
#[derive(Default)]
pub(crate) struct OrgCache {
    departments: std::collections::HashMap<String, i64>,
    /// Units' departments as [`unit_department`] answers, kept current by [`ensure_unit_cached`].
    units: std::collections::HashMap<String, Option<Option<String>>>,
}

/// [`unit_department`], asking for each unit once per transaction.
pub(crate) async fn unit_department_cached(
    tx: &mut Transaction<'_, Any>,
    cache: &mut OrgCache,
    unit: &str,
) -> Result<Option<Option<String>>, StoreError> {
    if let Some(d) = cache.units.get(unit) {
        return Ok(d.clone());
    }
    let d = unit_department(tx, unit).await?;
    cache.units.insert(unit.to_string(), d.clone());
    Ok(d)
}

/// [`ensure_unit`], asking for each department once per transaction.
pub(crate) async fn ensure_unit_cached(
    tx: &mut Transaction<'_, Any>,
    cache: &mut OrgCache,
    unit: &str,
    department: Option<&str>,
    at: &str,
) -> Result<i64, StoreError> {
    let dept = match department.filter(|d| !d.trim().is_empty()) {
        Some(d) => Some(match cache.departments.get(d) {
            Some(id) => *id,
            None => {
                let id = ensure_department(tx, d, at).await?;
                cache.departments.insert(d.to_string(), id);
                id
            }
        }),
        None => None,
    };
    let id = unit_with(tx, unit, dept, at).await?;
    // What the unit's department is now: the one it had, else the one just given.
    let named = department
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string);
    let now = match cache.units.remove(unit) {
        Some(Some(Some(had))) => Some(had),
        _ => named,
    };
    cache.units.insert(unit.to_string(), Some(now));
    Ok(id)
}

/// The columns [`user_from_row`] reads; callers append a `WHERE` clause.
pub(crate) const USER_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.role, un.name, \
        COALESCE(d.name, ud.name), u.password_hash, u.disabled \
     FROM users u LEFT JOIN units un ON un.id = u.unit_id \
     LEFT JOIN departments d ON d.id = u.department_id \
     LEFT JOIN departments ud ON ud.id = un.department_id";

/// A user from a row of [`USER_SELECT`].
pub(crate) fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get(3)?;
    Ok(User {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        display_name: r.try_get(2)?,
        role: role.parse().map_err(corrupt)?,
        unit: r.try_get(4)?,
        department: r.try_get(5)?,
        password_hash: r.try_get(6)?,
        disabled: r.try_get::<i64, _>(7)? != 0,
    })
}

impl Store {
    /// Creates a user (and its unit/department when new), with its audit row.
    pub async fn add_user(&self, u: &NewUser, by: &str) -> Result<User, StoreError> {
        let mut tx = self.write_tx().await?;
        let at = now();
        if sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(&u.username)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict {
                zh: format!("用户「{}」已存在", u.username),
                en: format!("the user {:?} exists already", u.username),
            });
        }
        let unit_id = match &u.unit {
            Some(unit) => Some(ensure_unit(&mut tx, unit, u.department.as_deref(), &at).await?),
            None => None,
        };
        let dept_id = match &u.department {
            Some(d) => Some(ensure_department(&mut tx, d, &at).await?),
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, role, unit_id, department_id, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
        )
        .bind(&u.username)
        .bind(u.display_name.as_deref())
        .bind(u.role.id())
        .bind(unit_id)
        .bind(dept_id)
        .bind(u.password_hash.as_deref())
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        write_audit(
            &mut tx,
            &Change {
                at: &at,
                actor: by,
                action: "add_user",
                entity: "user",
                entity_id: Some(id),
                declaration_id: None,
                summary: format!("新增用户 {}（{}）", u.username, u.role.zh()),
                before: None,
                after: Some(json!({
                    "username": u.username, "role": u.role.id(),
                    "unit": u.unit, "department": u.department,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.user(&u.username)
            .await?
            .ok_or_else(|| corrupt("user vanished"))
    }

    /// A user by login name.
    pub async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        let r = sqlx::query(&format!("{USER_SELECT} WHERE u.username = $1"))
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        r.map(|r| user_from_row(&r)).transpose()
    }

    /// The units of the org tree among `units`, each with its department (`None`: the unit is
    /// known without one); a unit the tree does not know is absent.
    pub async fn units_departments(
        &self,
        units: &[&str],
    ) -> Result<std::collections::HashMap<String, Option<String>>, StoreError> {
        let mut out = std::collections::HashMap::new();
        let mut conn = self.pool().acquire().await?;
        for unit in units {
            if out.contains_key(*unit) {
                continue;
            }
            if let Some(r) = sqlx::query(
                "SELECT d.name FROM units u LEFT JOIN departments d ON d.id = u.department_id WHERE u.name = $1",
            )
            .bind(*unit)
            .fetch_optional(&mut *conn)
            .await?
            {
                out.insert(unit.to_string(), r.try_get(0)?);
            }
        }
        Ok(out)
    }

    /// The department of a unit, when the org tree knows one.
    pub async fn department_of(&self, unit: &str) -> Result<Option<String>, StoreError> {
        let r = sqlx::query(
            "SELECT d.name FROM units u JOIN departments d ON d.id = u.department_id WHERE u.name = $1",
        )
        .bind(unit)
        .fetch_optional(self.pool())
        .await?;
        Ok(r.map(|r| r.try_get(0)).transpose()?)
    }
}

/// A department of the org tree with its units (主管部门 → 实施单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDepartment {
    /// 主管部门; `None` gathers the units no department is known for.
    pub name: Option<String>,
    /// 实施单位, by name.
    pub units: Vec<String>,
}

impl Store {
    /// Every user, by login name (password hashes included: callers must not show them).
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!("{USER_SELECT} ORDER BY u.username"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The org tree: every department with its units, by name; units without a department
    /// last, under `name: None`.
    pub async fn org_tree(&self) -> Result<Vec<OrgDepartment>, StoreError> {
        let mut tree: Vec<OrgDepartment> = Vec::new();
        for r in sqlx::query("SELECT name FROM departments ORDER BY name")
            .fetch_all(self.pool())
            .await?
        {
            tree.push(OrgDepartment {
                name: Some(r.try_get(0)?),
                units: Vec::new(),
            });
        }
        let mut loose = Vec::new();
        for r in sqlx::query(
            "SELECT u.name, d.name FROM units u LEFT JOIN departments d ON d.id = u.department_id \
             ORDER BY u.name",
        )
        .fetch_all(self.pool())
        .await?
        {
            let unit: String = r.try_get(0)?;
            let dept: Option<String> = r.try_get(1)?;
            match tree.iter_mut().find(|d| d.name.is_some() && d.name == dept) {
                Some(d) => d.units.push(unit),
                None => loose.push(unit),
            }
        }
        if !loose.is_empty() {
            tree.push(OrgDepartment {
                name: None,
                units: loose,
            });
        }
        Ok(tree)
    }
}
