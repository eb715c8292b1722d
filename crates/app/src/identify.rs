//! 身份核对 — which existing declaration each project of an upload updates, decided with the
//! permission table **before** anything is matched.
//!
//! An `id` in an uploaded file is a claim. For every project of a form, [`App::import_targets`]
//! resolves the declaration it would update — the one its `id` names, else the one of its
//! (year, unit, name) — and checks the actor's permission on **that** declaration as stored
//! (its unit and 主管部门), never on what the file says:
//!
//! - an `id` the actor may not read, and one that does not exist, are refused with the same
//!   [`AppError::NotFound`] text (nothing about the other unit, its name or its status);
//! - a declaration never changes unit by import (a differing unit with a matched id is
//!   [`AppError::Invalid`] naming both);
//! - a project without an `id` is checked on the unit the file names before it is looked up,
//!   so the answer depends on the input only;
//! - the 主管部门 comes from the org tree ([`department_for`]).
//!
//! [`App::import`] and [`App::preview_import`] both decide through it, so a preview refuses
//! exactly what the import would refuse, and says which declaration each project updates.

use jixiao_form::Parsed;
use jixiao_model::{DeclarationId, Project, Role};

use crate::access::{authorize_new, permits, require_role, Action, Actor, Owner};
use crate::{parse_form, App, AppError, Message, Upload};

/// 导入预览 of one file: what it reads as, its review, and which declaration each project
/// would update.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    /// The file name.
    pub name: String,
    /// The form read, with its warnings (主管部门 as the org tree gives it).
    pub parsed: Parsed,
    /// Its review (审核).
    pub review: jixiao_review::Report,
    /// For each project of the form, in order, the declaration it updates (`None`: a new one).
    pub updates: Vec<Option<DeclarationId>>,
    /// For each project, in order, what the import would do to the declaration it updates
    /// (refused for its status, indicators added, changed, removed); default for a new one.
    pub effects: Vec<crate::preview::ImportEffect>,
}

/// The 主管部门 a declaration of `unit` gets, given what the input states and what the org tree
/// says (`org`: `None` for a unit it does not know, `Some(None)` for one known without a
/// department). A unit's department is the org tree's: another one stated is refused naming
/// both. A unit without one in the tree is placed under the stated department only by an
/// administrator, or by an actor of that department; otherwise it gets the actor's own.
pub(crate) fn department_for(
    actor: &Actor,
    unit: &str,
    stated: Option<&str>,
    org: Option<&Option<String>>,
) -> Result<Option<String>, Message> {
    let stated = stated.map(str::trim).filter(|d| !d.is_empty());
    if let Some(Some(dept)) = org {
        return match stated {
            Some(s) if s != dept.trim() => Err(Message::NotTheUnitsDepartment {
                unit: unit.to_string(),
                department: dept.clone(),
                stated: s.to_string(),
            }),
            _ => Ok(Some(dept.clone())),
        };
    }
    if actor.role == Role::Admin {
        return Ok(stated.map(str::to_string));
    }
    let own = actor
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    match (stated, own) {
        (Some(s), Some(o)) if s == o => Ok(Some(s.to_string())),
        (Some(s), _) => Err(Message::UnitWithoutDepartment {
            unit: unit.to_string(),
            stated: s.to_string(),
            own: own.map(str::to_string),
        }),
        (None, o) => Ok(o.map(str::to_string)),
    }
}

/// The refusal of an `id` the actor may not read, word for word the refusal of one that does
/// not exist.
fn id_not_found(file: &str, p: &Project, id: DeclarationId) -> AppError {
    AppError::NotFound(Message::IdNamesNothing {
        file: file.to_string(),
        project: p.name.clone(),
        id,
    })
}

/// A 自评表 or 监控表 carries more than a declaration: imported on its own use case, never
/// half (the declaration without its actuals).
fn declarations_only(name: &str, p: &Parsed) -> Result<(), AppError> {
    if p.self_evaluations.is_empty() && p.monitoring.is_empty() {
        return Ok(());
    }
    Err(AppError::invalid(Message::NotADeclaration {
        file: name.to_string(),
        monitoring: !p.monitoring.is_empty(),
    }))
}

impl App {
    /// Which declaration each project of the file `file` would update (`None`: a new one),
    /// decided with the permission table on the stored declarations (see the module
    /// documentation). Sets each project's `id` to the declaration it updates and its
    /// 主管部门 to the org tree's; refuses ([`AppError::NotFound`], [`AppError::Forbidden`],
    /// [`AppError::Invalid`]) before anything is written.
    pub async fn import_targets(
        &self,
        actor: &Actor,
        file: &str,
        projects: &mut [Project],
    ) -> Result<Vec<Option<DeclarationId>>, AppError> {
        require_role(actor, Action::Write)?;
        let found = self.store.identify(projects).await?;
        let units: Vec<&str> = projects.iter().map(|p| p.unit.as_str()).collect();
        let mut org = self.store.units_departments(&units).await?;
        let mut out = Vec::with_capacity(projects.len());
        for (p, f) in projects.iter_mut().zip(found) {
            let updates = match p.id {
                // An administrator (who reads everything) moving canonical JSON between
                // databases: an id this database does not know is matched as a project
                // without one, by (year, unit, name). Anyone else gets the NotFound below.
                Some(_) if f.by_id.is_none() && actor.role == Role::Admin => f.by_key.map(|s| s.id),
                Some(id) => {
                    let stored = f
                        .by_id
                        .filter(|s| {
                            let owner = Owner {
                                unit: &s.key.unit,
                                departments: s.department.as_slice(),
                            };
                            permits(actor, Action::Read, &owner)
                        })
                        .ok_or_else(|| id_not_found(file, p, id))?;
                    let owner = Owner {
                        unit: &stored.key.unit,
                        departments: stored.department.as_slice(),
                    };
                    if !permits(actor, Action::Write, &owner) {
                        // It may read it (its name is no secret to it), not write it.
                        let mut as_stored = p.clone();
                        as_stored.unit = stored.key.unit.clone();
                        as_stored.department = stored.department.clone();
                        authorize_new(actor, Action::Write, &as_stored)?;
                    }
                    if stored.key.unit.trim() != p.unit.trim() {
                        return Err(AppError::invalid(Message::UnitDiffers {
                            file: file.to_string(),
                            project: p.name.clone(),
                            id,
                            stored: stored.key.unit.clone(),
                            given: p.unit.clone(),
                        }));
                    }
                    Some(stored.id)
                }
                None => {
                    // Checked on the file's unit before anything is looked up: the answer
                    // depends on the input only.
                    authorize_new(actor, Action::Write, p)?;
                    f.by_key.map(|s| s.id)
                }
            };
            let dept = department_for(actor, &p.unit, p.department.as_deref(), org.get(&p.unit))
                .map_err(|reason| {
                    AppError::invalid(Message::InProject {
                        file: file.to_string(),
                        project: p.name.clone(),
                        reason: Box::new(reason),
                    })
                })?;
            if !matches!(org.get(&p.unit), Some(Some(_))) {
                // The unit is registered with this department by this import: later projects
                // of the same unit must agree.
                org.insert(p.unit.clone(), dept.clone());
            }
            p.department = dept;
            p.id = updates;
            out.push(updates);
        }
        Ok(out)
    }

    /// Imports forms: all are read first; if any is malformed, names a declaration the actor
    /// may not write (or one that does not exist), another unit or another 主管部门 than the
    /// stored ones, nothing is imported. Returns the summary and each form read (with its
    /// warnings).
    pub async fn import(
        &self,
        actor: &Actor,
        uploads: &[Upload],
    ) -> Result<(jixiao_store::ImportSummary, Vec<(String, Parsed)>), AppError> {
        require_role(actor, Action::Write)?;
        let mut parsed = Vec::with_capacity(uploads.len());
        for u in uploads {
            parsed.push((u.name.clone(), parse_form(u)?));
        }
        self.import_parsed(actor, parsed).await
    }

    /// [`App::import`] of forms already read (each with its file name): a caller that read
    /// them to tell declarations from 自评表 does not read them twice.
    pub async fn import_parsed(
        &self,
        actor: &Actor,
        mut forms: Vec<(String, Parsed)>,
    ) -> Result<(jixiao_store::ImportSummary, Vec<(String, Parsed)>), AppError> {
        require_role(actor, Action::Write)?;
        for (name, p) in &forms {
            declarations_only(name, p)?;
        }
        for (name, p) in &mut forms {
            self.import_targets(actor, name, &mut p.form.projects)
                .await?;
        }
        let refs: Vec<(&str, &jixiao_model::Form)> =
            forms.iter().map(|(n, p)| (n.as_str(), &p.form)).collect();
        let summary = self.store.import_all(&refs, &actor.name).await?;
        Ok((summary, forms))
    }

    /// 导入预览 — what [`App::import`] would read, with each form's review findings and the
    /// declaration each project would update, refused exactly as the import would be (the
    /// same [`App::import_targets`]); nothing is written.
    pub async fn preview_import(
        &self,
        actor: &Actor,
        uploads: &[Upload],
    ) -> Result<Vec<ImportPreview>, AppError> {
        let policy = &self.policies.review;
        require_role(actor, Action::Write)?;
        let mut parsed = Vec::with_capacity(uploads.len());
        for u in uploads {
            parsed.push((u.name.clone(), parse_form(u)?));
        }
        for (name, p) in &parsed {
            declarations_only(name, p)?;
        }
        let mut out = Vec::with_capacity(parsed.len());
        for (name, mut parsed) in parsed {
            let updates = self
                .import_targets(actor, &name, &mut parsed.form.projects)
                .await?;
            let review = jixiao_review::review(&parsed.form, policy);
            let mut effects = Vec::with_capacity(updates.len());
            for (p, id) in parsed.form.projects.iter().zip(&updates) {
                effects.push(match id {
                    Some(id) => {
                        let current = self.store.project(*id).await?.ok_or_else(|| {
                            AppError::internal("a matched declaration is not found")
                        })?;
                        let status = self.store.workflow(*id).await?.status;
                        crate::preview::import_effect(&current, status, p)
                    }
                    None => crate::preview::ImportEffect::default(),
                });
            }
            out.push(ImportPreview {
                name,
                parsed,
                review,
                updates,
                effects,
            });
        }
        Ok(out)
    }
}
