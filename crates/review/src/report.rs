//! 审核结果 — findings grouped by project, the review grade, and the two outputs: a reviewer's
//! letter (审核意见, Chinese or English) and JSON (`docs/review-json.md`).
//!
//! The letter names rules by their catalogue titles (`未设置成本指标`) in the grade line and
//! keeps the id (`[structure.missing-cost]`) under each finding, for looking the rule up. The
//! output language is the workspace's one [`Lang`] (from `jixiao-model`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jixiao_model::{Finding, Grade, Lang, Severity};
use serde::Serialize;

use crate::catalogue::rule_info;
use crate::policy::{GradePolicy, Policy};

/// The `format` tag of the JSON written by this version.
pub const REPORT_FORMAT: &str = "jixiao-review/1";

/// The catalogue title of a rule in a language; the id itself for a rule not in the catalogue.
pub fn rule_title(id: &str, lang: Lang) -> &str {
    match rule_info(id) {
        Some(r) => lang.pick(r.title_zh, r.title_en),
        None => id,
    }
}

/// Points deducted for one rule in one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deduction {
    /// Rule id.
    pub rule: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// Number of findings.
    pub count: usize,
    /// Points per finding.
    pub points_each: i64,
    /// Points deducted: min(rule cap, count × points_each).
    pub points: i64,
}

/// The review of one project: its findings and its grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectReview {
    /// 项目名称.
    pub name: String,
    /// Findings, project-level first, then by sub-task, then by source line.
    pub findings: Vec<Finding>,
    /// Points before deductions (`grade.start`).
    pub start: i64,
    /// Deductions by rule, in rule-id order.
    pub deductions: Vec<Deduction>,
    /// start − Σ deductions, not below 0.
    pub score: i64,
    /// 审核等级.
    pub grade: Grade,
    /// The grade the score alone gives; differs from `grade` when the error cap applied.
    pub score_grade: Grade,
}

impl ProjectReview {
    /// Grades a project's findings under a policy. Pure and reproducible from its output:
    /// see [`ProjectReview::explanation`].
    pub fn grade(name: &str, mut findings: Vec<Finding>, policy: &GradePolicy) -> ProjectReview {
        sort(&mut findings);
        let mut by_rule: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
        for f in &findings {
            let e = by_rule.entry(f.rule.as_str()).or_insert((f.severity, 0));
            e.0 = e.0.min(f.severity); // the most severe, should a rule mix severities
            e.1 += 1;
        }
        let deductions: Vec<Deduction> = by_rule
            .into_iter()
            .map(|(rule, (severity, count))| {
                let each = policy.points(severity);
                let total = each.saturating_mul(count as i64);
                Deduction {
                    rule: rule.to_string(),
                    severity,
                    count,
                    points_each: each,
                    points: total.min(policy.rule_cap),
                }
            })
            .collect();
        let lost = deductions
            .iter()
            .fold(0i64, |acc, d| acc.saturating_add(d.points));
        let score = policy.start.saturating_sub(lost).max(0);
        let score_grade = policy.grade_of(score);
        let has_error = findings.iter().any(|f| f.severity == Severity::Error);
        let grade = match (policy.error_grade_cap, policy.without_errors_at_least) {
            (Some(cap), _) if has_error => score_grade.max(cap),
            (_, Some(floor)) if !has_error => score_grade.min(floor),
            _ => score_grade,
        };
        ProjectReview {
            name: name.to_string(),
            findings,
            start: policy.start,
            deductions,
            score,
            grade,
            score_grade,
        }
    }

    /// Number of findings of a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    /// How the grade was computed, naming each rule by its catalogue title, e.g.
    /// `100 − 3（未设置成本指标：警告 1 项 × 3） = 97 → 优`.
    pub fn explanation(&self, lang: Lang) -> String {
        let mut s = self.start.to_string();
        for d in self.deductions.iter().filter(|d| d.points > 0) {
            let full = d.points_each.saturating_mul(d.count as i64);
            match lang {
                Lang::Zh => {
                    let _ = write!(
                        s,
                        " − {}（{}：{} {} 项 × {}",
                        d.points,
                        rule_title(&d.rule, lang),
                        d.severity.zh(),
                        d.count,
                        d.points_each
                    );
                    if full > d.points {
                        let _ = write!(s, " = {full}，本条封顶 {}", d.points);
                    }
                    s.push('）');
                }
                Lang::En => {
                    let _ = write!(
                        s,
                        " − {} ({}: {} {}{} × {}",
                        d.points,
                        rule_title(&d.rule, lang),
                        d.count,
                        d.severity.id(),
                        if d.count == 1 { "" } else { "s" },
                        d.points_each
                    );
                    if full > d.points {
                        let _ = write!(s, " = {full}, capped at {}", d.points);
                    }
                    s.push(')');
                }
            }
        }
        match lang {
            Lang::Zh => {
                let _ = write!(s, " = {} → {}", self.score, self.score_grade.zh());
                if self.grade > self.score_grade {
                    let _ = write!(s, "；存在错误，等级至多为{}", self.grade.zh());
                } else if self.grade < self.score_grade {
                    let _ = write!(s, "；无错误级意见，等级至少为{}", self.grade.zh());
                }
            }
            Lang::En => {
                let _ = write!(s, " = {} → {}", self.score, grade_en(self.score_grade));
                if self.grade > self.score_grade {
                    let _ = write!(
                        s,
                        "; with errors the grade is at most {}",
                        grade_en(self.grade)
                    );
                } else if self.grade < self.score_grade {
                    let _ = write!(
                        s,
                        "; without errors the grade is at least {}",
                        grade_en(self.grade)
                    );
                }
            }
        }
        s
    }
}

/// Project-level findings first, then sub-task findings by number, then indicator findings by
/// line; ties keep the order the rules produced.
fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| {
        let class = match (&f.indicator, f.task) {
            (None, None) => 0,
            (None, Some(_)) => 1,
            (Some(_), _) => 2,
        };
        let pos = match class {
            1 => f.task.unwrap_or(0),
            2 => f.line.unwrap_or(u32::MAX),
            _ => 0,
        };
        (class, pos)
    });
}

/// English name of a grade.
pub fn grade_en(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "excellent",
        Grade::Good => "good",
        Grade::Fair => "fair",
        Grade::Poor => "poor",
    }
}

/// What a grade means for the target (《中央部门预算绩效目标管理办法》).
pub fn grade_meaning(g: Grade, lang: Lang) -> &'static str {
    match (g, lang) {
        (Grade::Excellent, Lang::Zh) => "绩效目标可直接进入预算安排流程",
        (Grade::Good, Lang::Zh) => "绩效目标完善后进入预算安排流程",
        (Grade::Fair, Lang::Zh) => "绩效目标须修改完善后重新报送审核",
        (Grade::Poor, Lang::Zh) => "绩效目标不得进入预算安排流程",
        (Grade::Excellent, Lang::En) => "the targets proceed to budgeting",
        (Grade::Good, Lang::En) => "the targets proceed once improved",
        (Grade::Fair, Lang::En) => "the targets must be revised and resubmitted",
        (Grade::Poor, Lang::En) => "the targets cannot proceed",
    }
}

/// 审核结果 — the review of one or more forms under one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Policy name.
    pub policy: String,
    /// Policy title.
    pub policy_title: String,
    /// One review per project, in source order.
    pub projects: Vec<ProjectReview>,
}

impl Report {
    /// An empty report (to [`Report::merge`] several forms into, as `check --all` does).
    pub fn empty(policy: &Policy) -> Report {
        Report {
            policy: policy.name.clone(),
            policy_title: policy.title.clone(),
            projects: Vec::new(),
        }
    }

    /// Appends the projects of another report (same policy).
    pub fn merge(&mut self, other: Report) {
        self.projects.extend(other.projects);
    }

    /// True when any finding is an error: `jixiao check` exits with status 1.
    pub fn has_errors(&self) -> bool {
        self.findings().any(|f| f.severity == Severity::Error)
    }

    /// All findings, project by project.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.projects.iter().flat_map(|p| p.findings.iter())
    }

    /// Number of findings of a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.findings().filter(|f| f.severity == s).count()
    }

    /// The JSON value documented in `docs/review-json.md`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(JsonReport::from(self)).unwrap_or(serde_json::Value::Null)
    }

    /// The JSON as pretty text, ending with a newline.
    pub fn to_json_string(&self) -> String {
        let mut s =
            serde_json::to_string_pretty(&JsonReport::from(self)).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }

    /// The reviewer's letter (审核意见), grouped by project and severity, with line numbers.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut s = String::new();
        let (e, w, i) = (
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info),
        );
        match lang {
            Lang::Zh => {
                s.push_str("审核意见\n\n");
                let _ = writeln!(s, "审核依据：{}〔政策 {}〕", self.policy_title, self.policy);
                let _ = writeln!(
                    s,
                    "共审核项目 {} 个：错误 {e} 项，警告 {w} 项，提示 {i} 项。",
                    self.projects.len()
                );
            }
            Lang::En => {
                s.push_str("Review of performance targets\n\n");
                let _ = writeln!(s, "Policy: {} ({})", self.policy, self.policy_title);
                let _ = writeln!(
                    s,
                    "{} project(s) reviewed: {e} error(s), {w} warning(s), {i} note(s).",
                    self.projects.len()
                );
            }
        }
        for (n, p) in self.projects.iter().enumerate() {
            s.push('\n');
            write_project(&mut s, n + 1, p, lang);
        }
        s
    }
}

fn write_project(s: &mut String, n: usize, p: &ProjectReview, lang: Lang) {
    match lang {
        Lang::Zh => {
            let _ = writeln!(s, "{}、{}", zh_numeral(n), p.name);
            let _ = writeln!(
                s,
                "审核等级：{}（得分 {}）——{}。",
                p.grade.zh(),
                p.score,
                grade_meaning(p.grade, lang)
            );
            let _ = writeln!(s, "计分：{}。", p.explanation(lang));
            if p.findings.is_empty() {
                s.push_str("未发现问题。\n");
            }
        }
        Lang::En => {
            let _ = writeln!(s, "{n}. {}", p.name);
            let _ = writeln!(
                s,
                "Grade: {} ({}), score {}: {}.",
                grade_en(p.grade),
                p.grade.zh(),
                p.score,
                grade_meaning(p.grade, lang)
            );
            let _ = writeln!(s, "Score: {}.", p.explanation(lang));
            if p.findings.is_empty() {
                s.push_str("No findings.\n");
            }
        }
    }
    let mut section = 0;
    let mut item = 0;
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = p.findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        section += 1;
        match lang {
            Lang::Zh => {
                let _ = writeln!(
                    s,
                    "（{}）{}（{} 项）",
                    zh_numeral(section),
                    sev.zh(),
                    group.len()
                );
            }
            Lang::En => {
                let title = match sev {
                    Severity::Error => "Errors",
                    Severity::Warning => "Warnings",
                    Severity::Info => "Notes",
                };
                let _ = writeln!(s, "{title} ({})", group.len());
            }
        }
        for f in group {
            item += 1;
            let place = location(f, lang);
            match lang {
                Lang::Zh => {
                    let _ = writeln!(s, "{item}. {place}：{}", f.message_zh);
                    let _ = writeln!(s, "   建议：{}", f.suggestion);
                }
                Lang::En => {
                    let _ = writeln!(s, "{item}. {place}: {}", f.message_en);
                    let fix = if f.suggestion_en.is_empty() {
                        &f.suggestion
                    } else {
                        &f.suggestion_en
                    };
                    let _ = writeln!(s, "   Suggestion: {fix}");
                }
            }
            let _ = writeln!(s, "   [{}]", f.rule);
        }
    }
}

/// Where a finding is: `第 22 行 效益指标/生态效益指标/节能减排`, `子任务 4`, or `项目`.
fn location(f: &Finding, lang: Lang) -> String {
    let line = f.line.map(|l| match lang {
        Lang::Zh => format!("第 {l} 行 "),
        Lang::En => format!("line {l}, "),
    });
    let line = line.unwrap_or_default();
    match (&f.path, &f.indicator, f.task) {
        (Some(path), _, _) => format!("{line}{path}"),
        (None, Some(name), _) => format!("{line}{name}"),
        (None, None, Some(t)) => match lang {
            Lang::Zh => format!("{line}子任务 {t}"),
            Lang::En => format!("{line}sub-task {t}"),
        },
        (None, None, None) => match lang {
            Lang::Zh => format!("{line}项目"),
            Lang::En => format!("{line}project"),
        },
    }
}

/// 1 → 一, 10 → 十, 21 → 二十一; from 100 on, Arabic digits.
fn zh_numeral(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    format: &'static str,
    policy: &'a str,
    findings: Vec<&'a Finding>,
    projects: Vec<JsonProject<'a>>,
}

#[derive(Serialize)]
struct JsonCounts {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    name: &'a str,
    grade: Grade,
    grade_zh: &'static str,
    score: i64,
    score_grade: Grade,
    counts: JsonCounts,
    start: i64,
    deductions: &'a [Deduction],
    explanation_zh: String,
    explanation_en: String,
}

impl<'a> From<&'a Report> for JsonReport<'a> {
    fn from(r: &'a Report) -> Self {
        JsonReport {
            format: REPORT_FORMAT,
            policy: &r.policy,
            findings: r.findings().collect(),
            projects: r
                .projects
                .iter()
                .map(|p| JsonProject {
                    name: &p.name,
                    grade: p.grade,
                    grade_zh: p.grade.zh(),
                    score: p.score,
                    score_grade: p.score_grade,
                    counts: JsonCounts {
                        error: p.count(Severity::Error),
                        warning: p.count(Severity::Warning),
                        info: p.count(Severity::Info),
                    },
                    start: p.start,
                    deductions: &p.deductions,
                    explanation_zh: p.explanation(Lang::Zh),
                    explanation_en: p.explanation(Lang::En),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, line: Option<u32>) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            project: "p".into(),
            indicator: line.map(|_| "指标".into()),
            code: None,
            path: None,
            task: None,
            line,
            message_zh: "问题".into(),
            message_en: "problem".into(),
            suggestion: "建议".into(),
            suggestion_en: "fix".into(),
        }
    }

    #[test]
    fn warnings_alone_never_grade_poor() {
        let pol = Policy::central().grade;
        // Ten rules with two warnings each: 100 − 10 × 6 = 40 → 差 by score, 中 by the floor.
        let fs: Vec<Finding> = (0..20)
            .map(|i| finding(&format!("r{}", i / 2), Severity::Warning, Some(i)))
            .collect();
        let r = ProjectReview::grade("p", fs.clone(), &pol);
        assert_eq!(
            (r.score, r.score_grade, r.grade),
            (40, Grade::Poor, Grade::Fair)
        );
        assert!(r
            .explanation(Lang::Zh)
            .ends_with("= 40 → 差；无错误级意见，等级至少为中"));
        // With one error the floor no longer applies.
        let mut with_error = fs;
        with_error.push(finding("funds.sum", Severity::Error, None));
        let r = ProjectReview::grade("p", with_error, &pol);
        assert_eq!(r.grade, Grade::Poor);
    }

    #[test]
    fn grade_deducts_per_rule_with_cap_and_error_cap() {
        let pol = Policy::central().grade;
        assert_eq!(pol.warning_points, 3);
        let mut fs: Vec<Finding> = (0..7)
            .map(|i| finding("a.vague", Severity::Warning, Some(i)))
            .collect();
        fs.push(finding("b.missing", Severity::Warning, None));
        let r = ProjectReview::grade("p", fs.clone(), &pol);
        // 7 × 3 = 21, capped at 15; plus 3.
        assert_eq!(r.score, 82);
        assert_eq!(r.grade, Grade::Good);
        assert_eq!(
            r.explanation(Lang::Zh),
            "100 − 15（a.vague：警告 7 项 × 3 = 21，本条封顶 15） − 3（b.missing：警告 1 项 × 3） = 82 → 良"
        );
        fs.push(finding("c.sum", Severity::Error, None));
        let r = ProjectReview::grade("p", fs, &pol);
        assert_eq!(r.score, 67);
        assert_eq!(r.score_grade, Grade::Fair);
        assert_eq!(r.grade, Grade::Fair);
        assert!(r.findings[0].rule == "b.missing" || r.findings[0].rule == "c.sum");
        // An error caps an otherwise excellent project.
        let r = ProjectReview::grade("p", vec![finding("c.sum", Severity::Error, None)], &pol);
        assert_eq!(
            (r.score, r.score_grade, r.grade),
            (85, Grade::Good, Grade::Fair)
        );
        assert!(r
            .explanation(Lang::Zh)
            .ends_with("= 85 → 良；存在错误，等级至多为中"));
        assert!(r
            .explanation(Lang::En)
            .ends_with("= 85 → good; with errors the grade is at most fair"));
        // No findings: full marks.
        let r = ProjectReview::grade("p", Vec::new(), &pol);
        assert_eq!((r.score, r.grade), (100, Grade::Excellent));
        assert_eq!(r.explanation(Lang::Zh), "100 = 100 → 优");
    }

    #[test]
    fn grade_line_names_rules_by_catalogue_title() {
        let pol = Policy::central().grade;
        let fs = vec![finding("structure.missing-cost", Severity::Warning, None)];
        let r = ProjectReview::grade("p", fs, &pol);
        assert_eq!(
            r.explanation(Lang::Zh),
            "100 − 3（未设置成本指标：警告 1 项 × 3） = 97 → 优"
        );
        assert_eq!(
            r.explanation(Lang::En),
            "100 − 3 (no cost indicator: 1 warning × 3) = 97 → excellent"
        );
        // The letter's grade line has the title; the finding keeps the id for looking it up.
        let report = Report {
            policy: "central".into(),
            policy_title: "t".into(),
            projects: vec![r],
        };
        let zh = report.to_text(Lang::Zh);
        let score_line = zh.lines().find(|l| l.starts_with("计分：")).unwrap();
        assert!(
            !score_line.contains("structure.missing-cost"),
            "{score_line}"
        );
        assert!(zh.contains("[structure.missing-cost]"));
        assert_eq!(rule_title("no.such-rule", Lang::En), "no.such-rule");
    }

    #[test]
    fn score_never_below_zero() {
        let mut pol = Policy::central().grade;
        pol.rule_cap = 1000;
        let fs: Vec<Finding> = (0..20)
            .map(|i| finding("a", Severity::Error, Some(i)))
            .collect();
        let r = ProjectReview::grade("p", fs, &pol);
        assert_eq!((r.score, r.grade), (0, Grade::Poor));
    }

    #[test]
    fn numerals() {
        assert_eq!(zh_numeral(1), "一");
        assert_eq!(zh_numeral(10), "十");
        assert_eq!(zh_numeral(12), "十二");
        assert_eq!(zh_numeral(20), "二十");
        assert_eq!(zh_numeral(99), "九十九");
        assert_eq!(zh_numeral(100), "100");
    }
}
