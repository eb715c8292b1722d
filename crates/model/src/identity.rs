//! 指标身份 — which indicator of a new version is which indicator of the previous one.
//!
//! Position codes (`1.1.3`) change when an indicator is inserted above others, so they never
//! identify an indicator. A re-imported form's indicators are matched to the previous version's
//! **by content**, in passes, each taking only indicators not matched before:
//!
//! 1. an explicit id (`"id"` in canonical JSON exported by jixiao) that the old version has;
//! 2. same 一级, 二级, name (white space and width folded) and sub-tasks, and the same target text
//!    — so repeated names are told apart by their targets;
//! 3. same 一级, 二级, name and sub-tasks, in form order (the target was edited);
//! 4. same 一级, 二级 and name, in form order (the sub-task references were edited).
//!
//! Anything left is new (in the new version) or removed (from the old one). [`diff_indicators`]
//! classifies the pairs for an import summary or `show --versions`.

use serde::Serialize;

use crate::project::Indicator;
use crate::text::normalize_label;

/// For each indicator of `new`, the index of the indicator of `old` it continues, if any.
pub fn match_indicators(old: &[Indicator], new: &[Indicator]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    let mut out: Vec<Option<usize>> = vec![None; new.len()];
    let names_old: Vec<String> = old.iter().map(|i| normalize_label(&i.name)).collect();
    let names_new: Vec<String> = new.iter().map(|i| normalize_label(&i.name)).collect();

    // Pass 1: explicit ids.
    for (n, ind) in new.iter().enumerate() {
        if let Some(id) = ind.id {
            if let Some(o) = (0..old.len()).find(|&o| !taken[o] && old[o].id == Some(id)) {
                taken[o] = true;
                out[n] = Some(o);
            }
        }
    }
    type Same = fn(&Indicator, &Indicator) -> bool;
    let passes: [Same; 3] = [
        |a, b| a.tasks == b.tasks && normalize_label(&a.raw) == normalize_label(&b.raw),
        |a, b| a.tasks == b.tasks,
        |_, _| true,
    ];
    for same in passes {
        for n in 0..new.len() {
            if out[n].is_some() {
                continue;
            }
            let b = &new[n];
            let hit = (0..old.len()).find(|&o| {
                let a = &old[o];
                !taken[o]
                    && a.level1 == b.level1
                    && a.level2 == b.level2
                    && names_old[o] == names_new[n]
                    && same(a, b)
            });
            if let Some(o) = hit {
                taken[o] = true;
                out[n] = Some(o);
            }
        }
    }
    out
}

/// An indicator as a change list names it: its code in its version and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorLabel {
    /// Position code in its version.
    pub code: String,
    /// 三级指标.
    pub name: String,
}

impl IndicatorLabel {
    fn of(i: &Indicator) -> IndicatorLabel {
        IndicatorLabel {
            code: i.code.clone(),
            name: i.name.clone(),
        }
    }
}

/// A matched indicator whose content changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorChange {
    /// As it was.
    pub before: IndicatorLabel,
    /// As it is.
    pub after: IndicatorLabel,
    /// The target text before and after, when it changed.
    pub target: Option<(String, String)>,
    /// The target's kind changed (e.g. 定性 → 定量): recorded actual values need confirming.
    pub kind_changed: bool,
}

/// What changed in the indicator list from one version to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndicatorDiff {
    /// Matched and equal in content (their codes may differ).
    pub unchanged: usize,
    /// Matched indicators whose position code changed, content equal.
    pub moved: Vec<(IndicatorLabel, IndicatorLabel)>,
    /// Matched indicators whose content changed.
    pub changed: Vec<IndicatorChange>,
    /// In the new version only.
    pub added: Vec<IndicatorLabel>,
    /// In the old version only.
    pub removed: Vec<IndicatorLabel>,
}

impl IndicatorDiff {
    /// True when nothing but unchanged indicators.
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
            && self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
    }
}

/// Classifies `new` against `old` with the pairs of [`match_indicators`].
pub fn diff_indicators(
    old: &[Indicator],
    new: &[Indicator],
    pairs: &[Option<usize>],
) -> IndicatorDiff {
    let mut d = IndicatorDiff::default();
    let mut seen = vec![false; old.len()];
    for (n, b) in new.iter().enumerate() {
        match pairs.get(n).copied().flatten() {
            None => d.added.push(IndicatorLabel::of(b)),
            Some(o) => {
                seen[o] = true;
                let a = &old[o];
                let same_content = a.level1 == b.level1
                    && a.level2 == b.level2
                    && a.name == b.name
                    && a.tasks == b.tasks
                    && a.raw == b.raw
                    && a.target == b.target;
                if same_content {
                    if a.code == b.code {
                        d.unchanged += 1;
                    } else {
                        d.moved.push((IndicatorLabel::of(a), IndicatorLabel::of(b)));
                    }
                } else {
                    d.changed.push(IndicatorChange {
                        before: IndicatorLabel::of(a),
                        after: IndicatorLabel::of(b),
                        target: (a.raw != b.raw).then(|| (a.raw.clone(), b.raw.clone())),
                        kind_changed: a.target.kind() != b.target.kind(),
                    });
                }
            }
        }
    }
    d.removed = old
        .iter()
        .zip(seen)
        .filter(|(_, s)| !s)
        .map(|(a, _)| IndicatorLabel::of(a))
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::level::{Level1, Level2};
    use crate::target::Target;

    fn ind(l2: &str, name: &str, tasks: &[u32], raw: &str) -> Indicator {
        let level2 = Level2::from_id(l2);
        Indicator {
            id: None,
            code: String::new(),
            level1: level2.level1().unwrap_or(Level1::Output),
            level2,
            name: name.into(),
            tasks: tasks.to_vec(),
            raw: raw.into(),
            line: None,
            target: Target::parse(raw).unwrap(),
            library: None,
            core: false,
        }
    }

    #[test]
    fn an_inserted_indicator_does_not_shift_the_others() {
        let old = vec![
            ind("quantity", "行驶里程", &[], "≥15000.00(公里)"),
            ind("quantity", "车辆数", &[], "=2(辆)"),
        ];
        let new = vec![
            ind("quantity", "新增指标", &[], "≥1(个)"),
            ind("quantity", "行驶里程", &[], "≥15000.00(公里)"),
            ind("quantity", "车辆数", &[], "=2(辆)"),
        ];
        assert_eq!(match_indicators(&old, &new), vec![None, Some(0), Some(1)]);
    }

    #[test]
    fn repeated_names_are_told_apart_by_target_then_order() {
        let old = vec![
            ind("quality", "完成率", &[1], "≥90(%)"),
            ind("quality", "完成率", &[1], "≥95(%)"),
        ];
        let swapped = vec![old[1].clone(), old[0].clone()];
        assert_eq!(match_indicators(&old, &swapped), vec![Some(1), Some(0)]);
        let edited = vec![
            ind("quality", "完成率", &[1], "≥91(%)"),
            ind("quality", "完成率", &[1], "≥95(%)"),
        ];
        assert_eq!(match_indicators(&old, &edited), vec![Some(0), Some(1)]);
    }

    #[test]
    fn explicit_ids_win_and_renames_are_new() {
        let mut a = ind("quantity", "甲", &[], "≥1(个)");
        a.id = Some(7);
        let mut renamed = ind("quantity", "乙", &[], "≥1(个)");
        renamed.id = Some(7);
        assert_eq!(match_indicators(&[a.clone()], &[renamed]), vec![Some(0)]);
        let renamed_without_id = ind("quantity", "乙", &[], "≥1(个)");
        let pairs = match_indicators(
            std::slice::from_ref(&a),
            std::slice::from_ref(&renamed_without_id),
        );
        assert_eq!(pairs, vec![None]);
        let d = diff_indicators(&[a], &[renamed_without_id], &pairs);
        assert_eq!((d.added.len(), d.removed.len()), (1, 1));
    }

    #[test]
    fn a_kind_change_is_reported() {
        let old = vec![ind("service_satisfaction", "满意度", &[], "满意")];
        let new = vec![ind("service_satisfaction", "满意度", &[], "≥95.00(%)")];
        let pairs = match_indicators(&old, &new);
        assert_eq!(pairs, vec![Some(0)]);
        let d = diff_indicators(&old, &new, &pairs);
        assert_eq!(d.changed.len(), 1);
        assert!(d.changed[0].kind_changed);
    }

    #[test]
    fn sub_task_edits_still_match() {
        let old = vec![ind("quantity", "监测点位", &[1, 2], "≥10(个)")];
        let new = vec![ind("quantity", "监测点位", &[1], "≥10(个)")];
        assert_eq!(match_indicators(&old, &new), vec![Some(0)]);
    }
}
