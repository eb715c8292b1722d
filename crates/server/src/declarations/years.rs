//! 历年对比 — `/projects/{id}/years`: a declaration across years (`App::project_history`):
//! each year's declaration and how it was found (itself, linked as 上年项目, or by 实施单位 and
//! 项目名称 with the note saying so), each indicator's target and actual per year side by side,
//! and the year-over-year review findings highlighted on their indicators.

use askama::Template;
use jixiao_app::{HistoryMatch, HistoryYear, IndicatorHistory, ProjectHistory};
use jixiao_model::{normalize_name, Finding};

use crate::extract::PageOn;
use crate::view::{render, Frame, Head, PageResult};

/// One indicator's row: its cells per year (target, actual) and its findings.
pub struct YearRow<'a> {
    pub ind: &'a IndicatorHistory,
    /// Per column year: (target, actual), `None` when the indicator is absent that year.
    pub cells: Vec<Option<(&'a str, Option<&'a str>)>>,
    pub findings: Vec<&'a Finding>,
}

#[derive(Template)]
#[template(path = "years.html")]
struct YearsPage<'a> {
    f: Frame,
    h: Head,
    hist: &'a ProjectHistory,
    rows: Vec<YearRow<'a>>,
    /// Findings about no particular indicator (money, the declaration).
    general: Vec<&'a Finding>,
}

impl YearsPage<'_> {
    fn matched(&self, y: &HistoryYear) -> &'static str {
        match y.matched {
            HistoryMatch::Itself => self.f.t("本申报", "this declaration"),
            HistoryMatch::Linked => self
                .f
                .t("按上年项目关联（编号）", "linked as last year's (by id)"),
            HistoryMatch::UnitAndName => self
                .f
                .t("按实施单位和项目名称匹配", "matched by unit and name"),
        }
    }

    fn note<'b>(&self, y: &'b HistoryYear) -> &'b str {
        match (&y.note_zh, &y.note_en) {
            (Some(zh), Some(en)) => self.f.t(zh, en),
            _ => "",
        }
    }

    fn finding_text<'b>(&self, x: &'b Finding) -> &'b str {
        self.f.t(&x.message_zh, &x.message_en)
    }
}

/// The rows of the indicator table, each with the year-over-year findings about it (found by
/// the code the finding names in the declaration asked about), and the other findings.
fn rows(hist: &ProjectHistory) -> (Vec<YearRow<'_>>, Vec<&Finding>) {
    let asked = hist
        .years
        .iter()
        .find(|y| y.declaration_id == hist.declaration_id);
    let key_of_code = |code: &str| {
        asked
            .and_then(|y| y.indicators.iter().find(|i| i.code == code))
            .map(|i| (i.level2.id().to_string(), normalize_name(&i.name)))
    };
    let mut general = Vec::new();
    let mut placed: Vec<((String, String), &Finding)> = Vec::new();
    for x in &hist.findings {
        match x.code.as_deref().and_then(key_of_code) {
            Some(k) => placed.push((k, x)),
            None => general.push(x),
        }
    }
    let rows = hist
        .indicators
        .iter()
        .map(|ind| {
            let key = (ind.level2.id().to_string(), normalize_name(&ind.name));
            YearRow {
                ind,
                cells: hist
                    .years
                    .iter()
                    .map(|y| {
                        ind.years
                            .iter()
                            .find(|c| c.year == y.year)
                            .map(|c| (c.target.as_str(), c.actual.as_deref()))
                    })
                    .collect(),
                findings: placed
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, x)| *x)
                    .collect(),
            }
        })
        .collect();
    (rows, general)
}

/// `GET /projects/{id}/years`.
pub async fn page(r: PageOn) -> PageResult {
    let (state, actor) = (&r.state, r.actor());
    let p = r.project().await?;
    let hist = state.app.project_history(actor, r.id).await?;
    let (rows, general) = rows(&hist);
    render(&YearsPage {
        f: r.who.frame("home"),
        h: Head::of(&p, r.id, "years"),
        hist: &hist,
        rows,
        general,
    })
}
