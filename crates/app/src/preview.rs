//! 导入预览的结论 — what importing a declaration over the one it matches would do, decided
//! as the import decides it, so that a preview refuses what the commit would refuse and lists
//! the indicators it adds, changes and removes.

use jixiao_model::{Project, Status};

/// What importing a project over the current version of its declaration would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportEffect {
    /// The import would write a new version.
    pub changes: bool,
    /// Why the import would be refused (Chinese, English): a submitted or approved declaration
    /// cannot be changed by an import.
    pub refusal: Option<(String, String)>,
    /// Indicators the file adds (`1.1.3 购置车辆数`).
    pub added: Vec<String>,
    /// Indicators whose target, code or place changes (`1.1.1 行驶公里数：≥15000 → ≥16000`).
    pub changed: Vec<String>,
    /// Indicators the file no longer has.
    pub removed: Vec<String>,
}

/// What importing `incoming` over `current` (whose declaration has `status`) would do. The
/// refusal is the one the store's import gives.
pub fn import_effect(current: &Project, status: Status, incoming: &Project) -> ImportEffect {
    let changes = jixiao_store::import_changes(current, incoming);
    let mut e = ImportEffect {
        changes,
        ..Default::default()
    };
    if !changes {
        return e;
    }
    if !status.is_editable() {
        let approved = status == Status::Approved;
        e.refusal = Some((
            format!(
                "{}年度「{}」（{}）状态为「{}」，不能用导入修改{}；确认导入将被拒绝",
                current.year,
                current.name,
                current.unit,
                status.zh(),
                if approved {
                    "（已批准，需通过调整修改）"
                } else {
                    "（等待审核，退回后才能修改）"
                }
            ),
            format!(
                "{} {:?} of {} is {}: an import cannot change it ({}); the import would be refused",
                current.year,
                current.name,
                current.unit,
                status.id(),
                if approved {
                    "approved: use an adjustment"
                } else {
                    "waiting for review: it can be changed after it is returned"
                }
            ),
        ));
    }
    let mut new = incoming.clone();
    new.assign_codes();
    let same = |a: &jixiao_model::Indicator, b: &jixiao_model::Indicator| {
        a.level1 == b.level1 && a.level2 == b.level2 && a.name.trim() == b.name.trim()
    };
    for n in &new.indicators {
        match current.indicators.iter().find(|o| same(o, n)) {
            None => e.added.push(format!("{} {}（{}）", n.code, n.name, n.raw)),
            Some(o) if o.raw != n.raw || o.code != n.code => e.changed.push(format!(
                "{} {}：{} → {}{}",
                n.code,
                n.name,
                o.raw,
                n.raw,
                if o.code != n.code {
                    format!("（编码 {} → {}）", o.code, n.code)
                } else {
                    String::new()
                }
            )),
            Some(_) => {}
        }
    }
    for o in &current.indicators {
        if !new.indicators.iter().any(|n| same(o, n)) {
            e.removed
                .push(format!("{} {}（{}）", o.code, o.name, o.raw));
        }
    }
    e
}
