//! 页面视图 — the read use cases the web pages need, as view models with typed values
//! (amounts as [`Decimal`], dates as [`NaiveDate`], statuses and lights as enums). Pages format
//! them once, through `jixiao_model::present`, when they are written.
//!
//! Also here: the one hand-entered spending record of a page ([`App::record_spending_entry`]),
//! read by the same row parser as a CSV upload. And the two texts both front ends show as
//! they are: what a new version changed ([`change`], also the conflict message of a stale
//! edit) and an observed value ([`observed`]).
//!
//! Like every use case, these take the [`Actor`] who asks and show only what it may read; what
//! the actor may do with a declaration (`may_write`) is decided here, by [`crate::access`], so
//! that a page never checks a role.

use std::fmt::Write as _;

use jixiao_evaluate as evaluate;
use jixiao_model::{
    Decimal, DeclarationId, Form, Grade, IndicatorLabel, Lang, NaiveDate, Project, Role, Severity,
    SpendingRecord, Status,
};
use jixiao_review::ProjectReview;
use jixiao_store::OrgDepartment;

use crate::access::{self, require_role, Action, Owner};
use crate::{Actor, ActualSet, App, AppError, ProjectChange, VersionInfo};

/// What the dashboard shows: each filter narrows, `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardFilter {
    /// 年度.
    pub year: Option<i32>,
    /// 主管部门.
    pub department: Option<String>,
    /// 实施单位.
    pub unit: Option<String>,
    /// 申报状态.
    pub status: Option<Status>,
}

/// One declaration on the dashboard: funds, status, review grade, progress light and score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardRow {
    /// Stable id (the page's address).
    pub id: DeclarationId,
    /// 年度.
    pub year: i32,
    /// 项目名称.
    pub name: String,
    /// 实施单位.
    pub unit: String,
    /// 主管部门.
    pub department: Option<String>,
    /// 申报状态.
    pub status: Status,
    /// Current version number.
    pub version: i64,
    /// 年度资金申请总额, in 元.
    pub funds: Decimal,
    /// 三级指标 count.
    pub indicators: i64,
    /// 审核等级 under the server's review policy.
    pub review_grade: Grade,
    /// Error-level findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// The worst light of the 监控表 as of [`DashboardRow::as_of`].
    pub light: evaluate::Light,
    /// The date the light is for: the dashboard's date, or the project's end when earlier.
    pub as_of: NaiveDate,
    /// 自评得分 with the actuals recorded so far; `None` while nothing was scored.
    pub score: Option<Decimal>,
    /// 评价等级 of that score.
    pub grade: Option<Grade>,
    /// Whether anything was scored (无实际值 otherwise).
    pub score_state: evaluate::ScoreState,
}

/// A page of the dashboard, and the values its filters can take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// The rows of this page.
    pub rows: Vec<DashboardRow>,
    /// Declarations matching the filter (all pages).
    pub total: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// Rows per page.
    pub per_page: usize,
    /// Years of the declarations the actor may see, newest first.
    pub years: Vec<i32>,
    /// Their departments, by name.
    pub departments: Vec<String>,
    /// Their units, by name.
    pub units: Vec<String>,
}

impl Dashboard {
    /// The number of pages (at least 1).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// A declaration with what its pages show beside it.
#[derive(Debug, Clone)]
pub struct ProjectView {
    /// The current version.
    pub project: Project,
    /// 申报状态.
    pub status: Status,
    /// Current version number.
    pub version: i64,
    /// The review of the current version (findings with their rule ids, the grade).
    pub review: ProjectReview,
    /// Current actual values (and those of removed indicators).
    pub actuals: ActualSet,
    /// Current spending records.
    pub spending: Vec<SpendingRecord>,
    /// Whether the actor may record actuals and spending for it (decided by `access`).
    pub may_write: bool,
}

/// A user as the administration page lists it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    /// 用户名.
    pub username: String,
    /// 角色.
    pub role: Role,
    /// 所属单位.
    pub unit: Option<String>,
    /// 所属部门.
    pub department: Option<String>,
    /// Disabled users cannot sign in.
    pub disabled: bool,
}

/// What changed from one version to the next, for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChange {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// 页面视图.
impl App {
    /// 首页 — the declarations the actor may see, filtered and paged, each with its review
    /// grade, progress light (as of `as_of`, or the project's end when earlier) and score.
    /// Only the rows of the page are reviewed, monitored and scored.
    #[allow(clippy::too_many_arguments)]
    pub async fn dashboard(
        &self,
        actor: &Actor,
        filter: &DashboardFilter,
        page: usize,
        per_page: usize,
        as_of: NaiveDate,
    ) -> Result<Dashboard, AppError> {
        let review_policy = &self.policies.review;
        let per_page = per_page.max(1);
        let page = page.max(1);
        let (selected, total) = self.list_page(actor, filter, page, Some(per_page)).await?;
        let facets = self.store.facets(&access::visibility(actor)).await?;
        // The page's declarations in one query, then each reviewed, monitored and scored.
        let ids: Vec<DeclarationId> = selected.iter().map(|s| s.id).collect();
        let projects = self.store.current_of(&ids).await?;
        // Their actuals, spending and notes: three queries for the page, not three per row.
        let mut actuals = self.store.observations_of(&ids).await?;
        let mut spending = self.store.spending_of(&ids).await?;
        let mut notes = self.store.notes_of(&ids).await?;
        let mut rows = Vec::with_capacity(selected.len());
        for s in &selected {
            let p = projects
                .iter()
                .find(|p| p.id == Some(s.id))
                .filter(|p| access::can_read(actor, p))
                .ok_or_else(|| AppError::internal(format!("declaration {} is not loaded", s.id)))?;
            let review = review_one(p, review_policy)?;
            let as_of = as_of.min(p.end.max(p.start));
            let records = crate::Records {
                actuals: actuals.remove(&s.id).unwrap_or_default(),
                spending: spending.remove(&s.id).unwrap_or_default(),
                notes: notes.remove(&s.id).unwrap_or_default(),
            };
            let (m, e) = self.monitor_and_evaluate(actor, p, as_of, records)?;
            rows.push(DashboardRow {
                id: s.id,
                year: s.key.year,
                name: s.key.name.clone(),
                unit: s.key.unit.clone(),
                department: s.department.clone(),
                status: s.status,
                version: s.version,
                funds: s.funds_total,
                indicators: s.indicators,
                review_grade: review.grade,
                errors: review.count(Severity::Error),
                warnings: review.count(Severity::Warning),
                light: jixiao_report::light_of(&m, Some(&e)),
                as_of,
                score: e.scored().map(|(s, _)| s),
                grade: e.scored().map(|(_, g)| g),
                score_state: e.state(),
            });
        }
        Ok(Dashboard {
            rows,
            total,
            page,
            per_page,
            years: facets.years,
            departments: facets.departments,
            units: facets.units,
        })
    }

    /// 项目 — a declaration by id with its status, review, actuals and spending; another
    /// unit's is [`AppError::NotFound`].
    pub async fn project_view(
        &self,
        actor: &Actor,
        id: DeclarationId,
    ) -> Result<ProjectView, AppError> {
        let review_policy = &self.policies.review;
        let project = self.project_by_id(actor, id).await?;
        // Its status and version by id: one row, however many declarations there are.
        let summary = self
            .store
            .summary(id)
            .await?
            .ok_or_else(|| AppError::internal(format!("declaration {id} is not listed")))?;
        let review = review_one(&project, review_policy)?;
        let actuals = self.observations(actor, &project).await?;
        let spending = self.spending(actor, &project).await?;
        let may_write = access::permits(actor, Action::Write, &Owner::of(&project));
        Ok(ProjectView {
            project,
            status: summary.status,
            version: summary.version,
            review,
            actuals,
            spending,
            may_write,
        })
    }

    /// 审核工作台 — the declarations awaiting this reviewer (已提交, in the units under its
    /// department), each with its review; 403 for a role that does not review.
    pub async fn review_queue(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(DeclarationId, ProjectView)>, AppError> {
        require_role(actor, Action::Review)?;
        // The submitted declarations the actor may read, with their current versions, actuals
        // and spending: one store call of three queries, however many are waiting.
        let loaded = self
            .store
            .loaded(&jixiao_store::ListQuery {
                visible: access::visibility(actor),
                status: Some(Status::Submitted),
                ..Default::default()
            })
            .await?;
        let mut waiting = Vec::new();
        for l in loaded {
            let owner = Owner::of(&l.project);
            if !access::can_read(actor, &l.project)
                || !access::permits(actor, Action::Review, &owner)
            {
                continue;
            }
            let review = review_one(&l.project, &self.policies.review)?;
            let may_write = access::permits(actor, Action::Write, &owner);
            waiting.push((
                l.summary.id,
                ProjectView {
                    project: l.project,
                    status: l.summary.status,
                    version: l.summary.version,
                    review,
                    actuals: l.actuals,
                    spending: l.spending,
                    may_write,
                },
            ));
        }
        Ok(waiting)
    }

    /// 用户 — every user (administrators only).
    pub async fn users(&self, actor: &Actor) -> Result<Vec<UserView>, AppError> {
        require_role(actor, Action::Administer)?;
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| UserView {
                username: u.username,
                role: u.role,
                unit: u.unit,
                department: u.department,
                disabled: u.disabled,
            })
            .collect())
    }

    /// 组织机构 — departments and their units (administrators only).
    pub async fn org_tree(&self, actor: &Actor) -> Result<Vec<OrgDepartment>, AppError> {
        require_role(actor, Action::Administer)?;
        Ok(self.store.org_tree().await?)
    }
}

fn review_one(p: &Project, policy: &jixiao_review::Policy) -> Result<ProjectReview, AppError> {
    jixiao_review::review(&Form::new(vec![p.clone()]), policy)
        .projects
        .pop()
        .ok_or_else(|| AppError::internal("a review without its project"))
}

/// What changed between consecutive versions (`versions` oldest first): one list per version,
/// empty for the first. Header, funds and goals by field; indicators by their stable id
/// (added, removed, target or name changed).
pub fn version_changes(versions: &[VersionInfo]) -> Vec<Vec<VersionChange>> {
    let mut out = vec![Vec::new(); versions.len()];
    for k in 1..versions.len() {
        let (a, b) = (&versions[k - 1].project, &versions[k].project);
        let mut c = Vec::new();
        let mut field = |zh: &str, en: &str, x: String, y: String| {
            if x != y {
                c.push(VersionChange {
                    zh: format!("{zh}：「{x}」→「{y}」"),
                    en: format!("{en}: {x:?} → {y:?}"),
                });
            }
        };
        field("项目名称", "name", a.name.clone(), b.name.clone());
        field("实施单位", "unit", a.unit.clone(), b.unit.clone());
        let money = |d: Decimal| jixiao_model::present::money(d, jixiao_model::Lang::Zh);
        field(
            "年度资金申请总额",
            "annual funds",
            money(a.funds.total),
            money(b.funds.total),
        );
        field(
            "当年财政拨款",
            "fiscal appropriation",
            money(a.funds.fiscal),
            money(b.funds.fiscal),
        );
        field(
            "计划开始日期",
            "start",
            a.start.to_string(),
            b.start.to_string(),
        );
        field("计划完成日期", "end", a.end.to_string(), b.end.to_string());
        if a.annual_goal != b.annual_goal {
            c.push(VersionChange {
                zh: "年度总体目标已修改".into(),
                en: "the annual goal changed".into(),
            });
        }
        if a.tasks != b.tasks {
            c.push(VersionChange {
                zh: format!(
                    "子任务：{} 项 → {} 项（有修改）",
                    a.tasks.len(),
                    b.tasks.len()
                ),
                en: format!("sub-tasks: {} → {} (changed)", a.tasks.len(), b.tasks.len()),
            });
        }
        for i in &b.indicators {
            match a.indicators.iter().find(|o| o.id.is_some() && o.id == i.id) {
                None => c.push(VersionChange {
                    zh: format!("新增指标 {} {}：{}", i.code, i.name, i.raw),
                    en: format!("indicator added {} {}: {}", i.code, i.name, i.raw),
                }),
                Some(o) => {
                    if o.raw != i.raw {
                        c.push(VersionChange {
                            zh: format!(
                                "指标 {} {} 的指标值：「{}」→「{}」",
                                i.code, i.name, o.raw, i.raw
                            ),
                            en: format!(
                                "indicator {} {}: target {:?} → {:?}",
                                i.code, i.name, o.raw, i.raw
                            ),
                        });
                    }
                    if o.name != i.name {
                        c.push(VersionChange {
                            zh: format!("指标 {} 改名：「{}」→「{}」", i.code, o.name, i.name),
                            en: format!(
                                "indicator {} renamed: {:?} → {:?}",
                                i.code, o.name, i.name
                            ),
                        });
                    }
                }
            }
        }
        for o in &a.indicators {
            if !b.indicators.iter().any(|i| i.id.is_some() && i.id == o.id) {
                c.push(VersionChange {
                    zh: format!("删除指标 {} {}", o.code, o.name),
                    en: format!("indicator removed {} {}", o.code, o.name),
                });
            }
        }
        out[k] = c;
    }
    out
}

/// An observed value (实际完成值) for people: `13500公里`, `2024年11月20日`, `达成` (the one
/// formatting of `jixiao_model::present`, here for the front ends).
pub use jixiao_model::present::observed;

/// What a new version changed, indented under its project: indicators matched by content
/// (unchanged, renumbered, changed), added and removed, funds, and the actual values concerned.
pub fn change(c: &ProjectChange, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let d = &c.indicators;
    let _ = if zh {
        writeln!(
            out,
            "  第 {} 版：指标按内容对应——未变 {} 个，仅编号变化 {} 个，修改 {} 个，新增 {} 个，删除 {} 个",
            c.version,
            d.unchanged,
            d.moved.len(),
            d.changed.len(),
            d.added.len(),
            d.removed.len()
        )
    } else {
        writeln!(
            out,
            "  version {}: indicators matched by content: {} unchanged, {} renumbered, {} changed, {} added, {} removed",
            c.version,
            d.unchanged,
            d.moved.len(),
            d.changed.len(),
            d.added.len(),
            d.removed.len()
        )
    };
    if let Some(old) = &c.renamed_from {
        let _ = if zh {
            writeln!(out, "    项目名称：{old} → {}", c.key.name)
        } else {
            writeln!(out, "    name: {old} → {}", c.key.name)
        };
    }
    for (a, b) in &d.moved {
        let _ = writeln!(
            out,
            "    {} {} → {}",
            if zh { "编号" } else { "renumbered" },
            label(a),
            b.code
        );
    }
    for ch in &d.changed {
        let what = match &ch.target {
            Some((a, b)) => format!("{a} → {b}"),
            None if zh => "名称或子任务".to_string(),
            None => "name or sub-tasks".to_string(),
        };
        let _ = writeln!(
            out,
            "    {} {}：{what}{}",
            if zh { "修改" } else { "changed" },
            label(&ch.after),
            if !ch.kind_changed {
                ""
            } else if zh {
                "（指标值类型已变更，请重新确认实际完成值）"
            } else {
                " (the target's kind changed: confirm its actual values again)"
            }
        );
    }
    for a in &d.added {
        let _ = writeln!(
            out,
            "    {} {}",
            if zh { "新增" } else { "added" },
            label(a)
        );
    }
    for r in &d.removed {
        let _ = writeln!(
            out,
            "    {} {}",
            if zh { "删除" } else { "removed" },
            label(r)
        );
    }
    if let Some((a, b)) = c.funds {
        let _ = writeln!(
            out,
            "    {}{} → {}",
            if zh {
                "年度资金申请总额："
            } else {
                "funds total: "
            },
            jixiao_model::present::money(a, lang),
            jixiao_model::present::money(b, lang)
        );
    }
    if c.orphaned_actuals > 0 {
        let _ = if zh {
            writeln!(
                out,
                "    已删除指标的 {} 条实际完成值已保留（不计分），请核对",
                c.orphaned_actuals
            )
        } else {
            writeln!(
                out,
                "    {} actual value(s) of removed indicators are kept (not scored); please check",
                c.orphaned_actuals
            )
        };
    }
    if c.kind_changed_actuals > 0 {
        let _ = if zh {
            writeln!(
                out,
                "    {} 条实际完成值所属指标的指标值类型已变更，请重新确认",
                c.kind_changed_actuals
            )
        } else {
            writeln!(out, "    {} actual value(s) belong to indicators whose target kind changed: confirm them again", c.kind_changed_actuals)
        };
    }
    out
}

fn label(l: &IndicatorLabel) -> String {
    format!("{} {}", l.code, l.name)
}

/// The 汇总表 as an HTML table (the page has its own frame), as `jixiao_report` writes it.
pub use jixiao_report::summary_table_html;

#[cfg(test)]
mod tests {
    use super::*;

    fn version(n: i64, project: Project) -> VersionInfo {
        VersionInfo {
            version: n,
            current: false,
            created_at: "2024-01-01T00:00:00Z".into(),
            created_by: "test".into(),
            source: None,
            project,
        }
    }

    #[test]
    fn version_changes_name_fields_and_indicators_by_id() {
        let seed = crate::parse_form(&crate::Upload::new(
            "seed.txt",
            include_bytes!("../../../tests/data/seed_2024_shanghai.txt").as_slice(),
        ))
        .unwrap();
        let mut a = seed.form.projects[0].clone();
        for (k, i) in a.indicators.iter_mut().enumerate() {
            i.id = Some(k as i64 + 1);
        }
        let mut b = a.clone();
        b.name.push_str("（调整）");
        b.indicators[0].raw = "≥16000.00(公里)".into();
        let removed = b.indicators.remove(1);
        let mut added = b.indicators[0].clone();
        added.id = Some(99);
        added.name = "新指标".into();
        b.indicators.push(added);
        let same = a.clone();
        let changes = version_changes(&[version(1, a), version(2, b), version(3, same)]);
        assert!(changes[0].is_empty());
        let zh: Vec<&str> = changes[1].iter().map(|c| c.zh.as_str()).collect();
        assert!(zh.iter().any(|c| c.starts_with("项目名称：")), "{zh:?}");
        assert!(zh.iter().any(|c| c.contains("≥16000.00(公里)")), "{zh:?}");
        assert!(
            zh.iter()
                .any(|c| c.contains("新增指标") && c.contains("新指标")),
            "{zh:?}"
        );
        assert!(
            zh.iter()
                .any(|c| c.contains("删除指标") && c.contains(&removed.name)),
            "{zh:?}"
        );
        assert_eq!(changes[1].len(), 4, "{zh:?}");
        // Back to the first: each change the other way.
        assert_eq!(changes[2].len(), 4);
    }
}
