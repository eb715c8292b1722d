//! The indicator framework: 一级指标 and 二级指标 categories.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::normalize_label;

/// 一级指标 — first-level indicator category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level1 {
    /// 产出指标 — output indicators.
    Output,
    /// 成本指标 — cost indicators (its own 一级 since 2021 and in Shanghai's 2025 guidance).
    Cost,
    /// 效益指标 — benefit indicators.
    Benefit,
    /// 满意度指标 — satisfaction indicators.
    Satisfaction,
}

impl Level1 {
    /// All categories in the order of the official form.
    pub const ALL: [Level1; 4] = [
        Level1::Output,
        Level1::Cost,
        Level1::Benefit,
        Level1::Satisfaction,
    ];

    /// The Chinese label as printed on the form.
    pub fn zh(self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Cost => "成本指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Level1::Output => "output",
            Level1::Cost => "cost",
            Level1::Benefit => "benefit",
            Level1::Satisfaction => "satisfaction",
        }
    }

    /// Position used in indicator codes (`1.2.3`): 产出 1, 成本 2, 效益 3, 满意度 4.
    pub fn ordinal(self) -> u32 {
        match self {
            Level1::Output => 1,
            Level1::Cost => 2,
            Level1::Benefit => 3,
            Level1::Satisfaction => 4,
        }
    }

    /// Recognises a printed 一级 label (`产出指标`, `产出`, `效 益 指 标` …).
    pub fn from_label(s: &str) -> Option<Level1> {
        let n = normalize_label(s);
        let n = n.strip_suffix("指标").unwrap_or(&n);
        Some(match n {
            "产出" => Level1::Output,
            "成本" => Level1::Cost,
            "效益" => Level1::Benefit,
            "满意度" => Level1::Satisfaction,
            _ => return None,
        })
    }
}

/// 二级指标 — second-level indicator category.
///
/// Known categories are variants; a form may use its own name, kept in [`Level2::Other`]
/// together with the 一级 it was printed under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level2 {
    /// 数量指标 — quantity.
    Quantity,
    /// 质量指标 — quality.
    Quality,
    /// 时效指标 — timeliness.
    Timeliness,
    /// 成本指标 as a 二级 under 产出 (the layout before 2021).
    OutputCost,
    /// 经济成本指标 — economic cost.
    EconomicCost,
    /// 社会成本指标 — social cost.
    SocialCost,
    /// 生态环境成本指标 — ecological/environmental cost.
    EcologicalCost,
    /// 经济效益指标 — economic benefit.
    EconomicBenefit,
    /// 社会效益指标 — social benefit.
    SocialBenefit,
    /// 生态效益指标 — ecological benefit.
    EcologicalBenefit,
    /// 可持续影响指标 — sustained impact.
    Sustainability,
    /// 服务对象满意度指标 — satisfaction of those served.
    ServiceSatisfaction,
    /// A category this model does not know, as printed (normalised label).
    Other(String),
}

impl Level2 {
    /// The known categories, in the order of the official form.
    pub const KNOWN: [Level2; 12] = [
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::OutputCost,
        Level2::EconomicCost,
        Level2::SocialCost,
        Level2::EcologicalCost,
        Level2::EconomicBenefit,
        Level2::SocialBenefit,
        Level2::EcologicalBenefit,
        Level2::Sustainability,
        Level2::ServiceSatisfaction,
    ];

    /// The 一级 this category belongs to (数量/质量/时效 → 产出, 经济成本/… → 成本, …);
    /// `None` for [`Level2::Other`], whose 一级 comes from the form.
    pub fn level1(&self) -> Option<Level1> {
        Some(match self {
            Level2::Quantity | Level2::Quality | Level2::Timeliness | Level2::OutputCost => {
                Level1::Output
            }
            Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost => Level1::Cost,
            Level2::EconomicBenefit
            | Level2::SocialBenefit
            | Level2::EcologicalBenefit
            | Level2::Sustainability => Level1::Benefit,
            Level2::ServiceSatisfaction => Level1::Satisfaction,
            Level2::Other(_) => return None,
        })
    }

    /// The stable English id used in JSON and SQL; the printed label for [`Level2::Other`].
    pub fn id(&self) -> &str {
        match self {
            Level2::Quantity => "quantity",
            Level2::Quality => "quality",
            Level2::Timeliness => "timeliness",
            Level2::OutputCost => "output_cost",
            Level2::EconomicCost => "economic_cost",
            Level2::SocialCost => "social_cost",
            Level2::EcologicalCost => "ecological_cost",
            Level2::EconomicBenefit => "economic_benefit",
            Level2::SocialBenefit => "social_benefit",
            Level2::EcologicalBenefit => "ecological_benefit",
            Level2::Sustainability => "sustainability",
            Level2::ServiceSatisfaction => "service_satisfaction",
            Level2::Other(s) => s,
        }
    }

    /// Parses a JSON/SQL id; any other text is an [`Level2::Other`] label.
    pub fn from_id(s: &str) -> Level2 {
        Level2::KNOWN
            .iter()
            .find(|l| l.id() == s)
            .cloned()
            .unwrap_or_else(|| Level2::Other(s.to_string()))
    }

    /// The Chinese label as printed on the form.
    pub fn zh(&self) -> &str {
        match self {
            Level2::Quantity => "数量指标",
            Level2::Quality => "质量指标",
            Level2::Timeliness => "时效指标",
            Level2::OutputCost => "成本指标",
            Level2::EconomicCost => "经济成本指标",
            Level2::SocialCost => "社会成本指标",
            Level2::EcologicalCost => "生态环境成本指标",
            Level2::EconomicBenefit => "经济效益指标",
            Level2::SocialBenefit => "社会效益指标",
            Level2::EcologicalBenefit => "生态效益指标",
            Level2::Sustainability => "可持续影响指标",
            Level2::ServiceSatisfaction => "服务对象满意度指标",
            Level2::Other(s) => s,
        }
    }

    /// English name for messages.
    pub fn en(&self) -> &str {
        match self {
            Level2::Quantity => "quantity",
            Level2::Quality => "quality",
            Level2::Timeliness => "timeliness",
            Level2::OutputCost => "cost (under output)",
            Level2::EconomicCost => "economic cost",
            Level2::SocialCost => "social cost",
            Level2::EcologicalCost => "ecological cost",
            Level2::EconomicBenefit => "economic benefit",
            Level2::SocialBenefit => "social benefit",
            Level2::EcologicalBenefit => "ecological benefit",
            Level2::Sustainability => "sustained impact",
            Level2::ServiceSatisfaction => "service-recipient satisfaction",
            Level2::Other(s) => s,
        }
    }

    /// Position inside its 一级, used in indicator codes; 9 for unknown categories.
    pub fn ordinal(&self) -> u32 {
        match self {
            Level2::Quantity | Level2::EconomicCost | Level2::EconomicBenefit => 1,
            Level2::ServiceSatisfaction => 1,
            Level2::Quality | Level2::SocialCost | Level2::SocialBenefit => 2,
            Level2::Timeliness | Level2::EcologicalCost | Level2::EcologicalBenefit => 3,
            Level2::OutputCost | Level2::Sustainability => 4,
            Level2::Other(_) => 9,
        }
    }

    /// Recognises a printed 二级 label. `成本指标` alone is ambiguous (一级 in the new layout,
    /// 二级 under 产出 in the old one) and is *not* recognised here; the recognizer decides by
    /// context and uses [`Level2::OutputCost`].
    pub fn from_label(s: &str) -> Option<Level2> {
        let n = normalize_label(s);
        let n = n.strip_suffix("指标").unwrap_or(&n);
        Some(match n {
            "数量" => Level2::Quantity,
            "质量" => Level2::Quality,
            "时效" => Level2::Timeliness,
            "经济成本" => Level2::EconomicCost,
            "社会成本" => Level2::SocialCost,
            "生态环境成本" | "生态成本" | "环境成本" => Level2::EcologicalCost,
            "经济效益" => Level2::EconomicBenefit,
            "社会效益" => Level2::SocialBenefit,
            "生态效益" | "生态环境效益" => Level2::EcologicalBenefit,
            "可持续影响" | "可持续发展" => Level2::Sustainability,
            "服务对象满意度" | "满意度" | "社会公众或服务对象满意度" => {
                Level2::ServiceSatisfaction
            }
            _ => return None,
        })
    }
}

impl Serialize for Level2 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Level2 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Level2::from_id(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level2_infers_level1() {
        for (label, l1) in [
            ("数量指标", Level1::Output),
            ("质量指标", Level1::Output),
            ("时效", Level1::Output),
            ("经济成本指标", Level1::Cost),
            ("社会成本指标", Level1::Cost),
            ("生态环境成本指标", Level1::Cost),
            ("经济效益指标", Level1::Benefit),
            ("社会效益指标", Level1::Benefit),
            ("生态效益指标", Level1::Benefit),
            ("可持续影响指标", Level1::Benefit),
            ("服务对象满意度指标", Level1::Satisfaction),
        ] {
            assert_eq!(
                Level2::from_label(label).unwrap().level1(),
                Some(l1),
                "{label}"
            );
        }
        assert_eq!(Level2::from_label("成本指标"), None);
        assert_eq!(Level1::from_label("效 益 指 标"), Some(Level1::Benefit));
    }

    #[test]
    fn ids_round_trip() {
        for l in Level2::KNOWN {
            assert_eq!(Level2::from_id(l.id()), l);
        }
        assert_eq!(
            Level2::from_id("自定义指标"),
            Level2::Other("自定义指标".into())
        );
    }
}
