//! 自评评分办法 — the self-evaluation schemes a 自评表 may have been scored under, as data
//! (`schemes.toml`): the national one (预算执行率 10, 产出 50, 效益 30, 满意度 10), Sichuan's
//! (预算执行情况 10 + 绩效指标 90 by each indicator's printed 权重) and Hubei's (20 × 执行率 +
//! 80 by each indicator's printed 分值). A scheme sets a [`Policy`]'s weights; the rest of the
//! policy is kept.

use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::policy::Policy;

/// The text of the built-in schemes.
pub const SCHEMES_TOML: &str = include_str!("schemes.toml");

/// One self-evaluation scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Its id (`central`, `sichuan`, `hubei`), as a 自评表's layout names it.
    pub id: String,
    /// Chinese name and rule.
    pub zh: String,
    /// English name and rule.
    pub en: String,
    /// 分值 of 预算执行率.
    #[serde(deserialize_with = "crate::policy::dec")]
    pub budget: Decimal,
    /// Category weights (when the indicators are not scored by their printed weights).
    #[serde(default, deserialize_with = "crate::policy::opt_dec")]
    pub output: Option<Decimal>,
    /// 效益指标's weight.
    #[serde(default, deserialize_with = "crate::policy::opt_dec")]
    pub benefit: Option<Decimal>,
    /// 满意度指标's weight.
    #[serde(default, deserialize_with = "crate::policy::opt_dec")]
    pub satisfaction: Option<Decimal>,
    /// The indicators share this many points, each its printed weight.
    #[serde(default, deserialize_with = "crate::policy::opt_dec")]
    pub printed: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scheme: Vec<Scheme>,
}

/// Every built-in scheme.
pub fn schemes() -> &'static [Scheme] {
    static S: OnceLock<Vec<Scheme>> = OnceLock::new();
    // The embedded file is a constant of this crate; `the_schemes_load` tests it.
    S.get_or_init(|| {
        toml::from_str::<File>(SCHEMES_TOML)
            .map(|f| f.scheme)
            .unwrap_or_default()
    })
}

impl Scheme {
    /// The scheme of this id.
    pub fn by_id(id: &str) -> Option<&'static Scheme> {
        schemes().iter().find(|s| s.id == id)
    }

    /// `base` with this scheme's weights.
    pub fn apply(&self, base: &Policy) -> Policy {
        let mut p = base.clone();
        let w = &mut p.weights;
        w.budget = self.budget;
        w.printed = self.printed;
        if self.printed.is_none() {
            w.output = self.output.unwrap_or(w.output);
            w.benefit = self.benefit.unwrap_or(w.benefit);
            w.satisfaction = self.satisfaction.unwrap_or(w.satisfaction);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemes_load_and_each_adds_up_to_100() {
        let all = schemes();
        assert_eq!(
            all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["central", "sichuan", "hubei"]
        );
        for s in all {
            let indicators = s.printed.unwrap_or_else(|| {
                s.output.unwrap_or_default()
                    + s.benefit.unwrap_or_default()
                    + s.satisfaction.unwrap_or_default()
            });
            assert_eq!(s.budget + indicators, Decimal::ONE_HUNDRED, "{}", s.id);
            assert!(s.apply(&Policy::builtin()).validate().is_ok(), "{}", s.id);
        }
        // The national scheme is the built-in policy's weights.
        let central = Scheme::by_id("central").unwrap().apply(&Policy::builtin());
        assert_eq!(central, Policy::builtin());
    }
}
