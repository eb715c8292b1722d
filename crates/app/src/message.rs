//! 消息 — the catalog of what an [`crate::AppError`] says: a [`Message`] is a key with typed
//! arguments, and [`Message::text`] is the one place that renders it, in Chinese or English.
//! A use case decides *what* went wrong; the language is chosen where the message is shown
//! (the server by the request's language, the CLI by `--lang`, else both, Chinese first).
//!
//! **Invariant:** every key has a text in both languages — one exhaustive match (no `_` arm)
//! words each key in both, side by side, and a test renders one example of every key in both.

use jixiao_model::{FindingSource, Lang, NaiveDate, ProjectKey, ReportPeriod, Role, Status};

use crate::access::Action;

/// What a use case says when it refuses: a key ([`MessageKey`]) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, strum::EnumDiscriminants)]
#[strum_discriminants(name(MessageKey), derive(strum::EnumIter, strum::IntoStaticStr, Hash))]
#[strum_discriminants(strum(serialize_all = "snake_case"))]
#[strum_discriminants(doc = "The key of a [`Message`]: which message, without its arguments.")]
#[non_exhaustive]
pub enum Message {
    /// A text a crate below or beside `app` wrote whole in both languages (the store's
    /// refusals, a 填报期间 that does not read, a font the PDF writer lacks).
    Text {
        /// Chinese.
        zh: String,
        /// English.
        en: String,
    },
    /// The fixed answer of an internal error (its detail goes to the log only).
    Internal,

    // — the database —
    /// A database address that is neither a SQLite path nor `postgres://`.
    UnsupportedDatabase {
        /// The address as given.
        url: String,
    },
    /// A read on a SQLite file that does not exist.
    NoDatabase {
        /// The path.
        path: String,
    },
    /// The database cannot be opened or reached.
    DatabaseUnavailable {
        /// The path or host.
        target: String,
        /// Why.
        reason: String,
    },
    /// The pool stayed busy for the whole acquire timeout.
    DatabaseBusy,
    /// The directory of a new SQLite file cannot be created.
    CannotCreateDatabaseDir {
        /// The directory.
        dir: String,
        /// Why.
        cause: String,
    },

    // — files and policies —
    /// No such file.
    NoSuchFile {
        /// The file.
        file: String,
    },
    /// A file that exists but does not read.
    UnreadableFile {
        /// The file.
        file: String,
        /// Why.
        cause: String,
    },
    /// A file that cannot be written.
    CannotWriteFile {
        /// The file.
        file: String,
        /// Why.
        cause: String,
    },
    /// A symbolic link to a directory in a batch (not followed).
    SymlinkToDirectory {
        /// The link.
        path: String,
    },
    /// A directory of a batch that cannot be listed.
    CannotListDirectory {
        /// The directory.
        path: String,
    },
    /// A review policy name that is neither built in nor a file.
    UnknownPolicy {
        /// The name given.
        name: String,
    },
    /// A review policy file that does not read.
    BadReviewPolicy {
        /// The file.
        file: String,
        /// What the policy reader said (Chinese).
        cause: String,
    },
    /// A monitoring and scoring policy file that does not read.
    BadEvalPolicy {
        /// The file.
        file: String,
        /// What the policy reader said (Chinese).
        cause: String,
    },
    /// Rows that could not be read for a reason other than their cells.
    RowsNotRecorded {
        /// The upload.
        source: String,
        /// What the reader said.
        cause: String,
    },

    // — declarations found or not —
    /// No declaration of that name (and year) that the actor may see.
    NoProjectNamed {
        /// The name asked for.
        name: String,
        /// The year asked for.
        year: Option<i32>,
    },
    /// No declaration by that id that the actor may see.
    NoProjectWithId {
        /// The id.
        id: i64,
    },
    /// Nothing imported (of that year).
    NoProjects {
        /// The year asked for.
        year: Option<i32>,
    },
    /// A report's selection that holds no declaration.
    NoReportProjects {
        /// 年度.
        year: i32,
        /// 实施单位, when selected.
        unit: Option<String>,
        /// 主管部门, when selected.
        department: Option<String>,
    },
    /// An uploaded project's id that names no declaration (or one the actor may not read:
    /// the same words).
    IdNamesNothing {
        /// The upload.
        file: String,
        /// The project's name in it.
        project: String,
        /// The id it carries.
        id: i64,
    },
    /// A file of several projects without exactly one that is the declaration edited.
    NotUniqueInFile {
        /// How many projects the file holds.
        count: usize,
        /// The declaration's key.
        key: ProjectKey,
    },
    /// A project without the indicator named.
    NoIndicator {
        /// 项目名称.
        project: String,
        /// The indicator as given (code or name).
        indicator: String,
    },
    /// Several indicators of that name.
    SeveralIndicators {
        /// The name.
        indicator: String,
        /// Their codes.
        codes: Vec<String>,
    },
    /// No indicator with that id in the current version.
    NoIndicatorId {
        /// The id.
        id: i64,
    },
    /// A line of a 自评表 or 监控表 whose indicator the declaration does not have.
    NoSuchIndicatorAt {
        /// The upload.
        source: String,
        /// The line.
        line: u32,
        /// 项目名称.
        project: String,
        /// 年度, said in the 自评表's message.
        year: Option<i32>,
        /// 二级指标 (Chinese).
        level2: String,
        /// 三级指标.
        indicator: String,
        /// A 自评表 says 未导入, a 监控表 未录入.
        imported: bool,
    },
    /// No library entry with that id.
    NoLibraryEntry {
        /// The id.
        id: i64,
    },

    // — input of a use case —
    /// An upload of a 自评表 or 监控表 given as a declaration.
    NotADeclaration {
        /// The upload.
        file: String,
        /// A 监控表 (else a 自评表).
        monitoring: bool,
    },
    /// Not a 项目支出绩效自评表.
    NotASelfEvaluation {
        /// The upload.
        file: String,
    },
    /// A project of an upload refused for a reason of its own.
    InProject {
        /// The upload.
        file: String,
        /// 项目名称.
        project: String,
        /// Why.
        reason: Box<Message>,
    },
    /// The department a unit is stated under is not its department in the org tree.
    NotTheUnitsDepartment {
        /// 实施单位.
        unit: String,
        /// Its department in the org tree.
        department: String,
        /// The department stated.
        stated: String,
    },
    /// A unit without a department, placed under one by an actor who may not.
    UnitWithoutDepartment {
        /// 实施单位.
        unit: String,
        /// The department stated.
        stated: String,
        /// The actor's own department.
        own: Option<String>,
    },
    /// An upload's project whose id names a declaration of another unit.
    UnitDiffers {
        /// The upload.
        file: String,
        /// 项目名称.
        project: String,
        /// The id.
        id: i64,
        /// The stored declaration's unit.
        stored: String,
        /// The file's.
        given: String,
    },
    /// A declaration JSON that does not read.
    DeclarationUnreadable {
        /// The field that does not read (`project_funds.fiscal`), empty for the whole.
        path: String,
        /// What the reader said.
        cause: String,
    },
    /// A hand-entered value whose date lies outside the period written.
    DateOutsidePeriod {
        /// The date.
        date: NaiveDate,
        /// The period written.
        period: ReportPeriod,
        /// 三级指标.
        indicator: String,
    },
    /// A hand-entered value whose period is not the one its date reports on.
    PeriodMismatch {
        /// The period written.
        period: ReportPeriod,
        /// The date.
        date: NaiveDate,
        /// The period the date reports on.
        reported: ReportPeriod,
        /// 三级指标.
        indicator: String,
    },
    /// A recurring deadline's stated count that is not what the recorded periods give.
    PeriodCountMismatch {
        /// The upload.
        source: String,
        /// Line of the cell.
        line: u32,
        /// Column of the cell.
        column: u32,
        /// 三级指标.
        indicator: String,
        /// The value stated.
        stated: String,
        /// What jixiao computes: (on time, of), `None` when no period is recorded.
        computed: Option<(u32, u32)>,
    },
    /// No spending record in a hand entry.
    NoSpendingRecord,
    /// A retraction without a reason.
    RetractionNeedsReason,
    /// A return without a comment.
    ReturnNeedsComment,
    /// An adjustment without a reason.
    AdjustmentNeedsReason,
    /// An empty comment.
    EmptyComment,
    /// An empty name of a library entry.
    EmptyLibraryName,
    /// 整改: no rectification of that id (or none the actor may see).
    NoRectificationWithId {
        /// Its id.
        id: i64,
    },
    /// 整改: the finding names an indicator code the declaration does not have.
    RectificationNoIndicator {
        /// 项目名称.
        project: String,
        /// The code given.
        code: String,
    },
    /// 整改: a deadline before today.
    DeadlineBeforeToday {
        /// The deadline given.
        deadline: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// 整改: the owner unit is not the declaration's unit.
    OwnerNotTheUnit {
        /// The unit given.
        owner: String,
        /// 项目名称.
        project: String,
        /// Its 实施单位.
        unit: String,
    },
    /// 整改: the owner user may not read the declaration.
    OwnerCannotRead {
        /// The user given.
        owner: String,
        /// 项目名称.
        project: String,
    },
    /// 整改: a completed rectification is changed without reopening it.
    RectificationCompleted {
        /// Its id.
        id: i64,
    },
    /// 整改: completed without a measure or evidence.
    RectificationIncomplete {
        /// Its id.
        id: i64,
    },
    /// 整改: the finding named is not on the declaration now (no such review finding, no such
    /// 红/黄 light today, no such self-evaluation flag or deduction).
    NoSuchFinding {
        /// 项目名称.
        project: String,
        /// Where the finding was said to come from.
        source: FindingSource,
        /// The rule, light or flag kind given.
        rule: String,
        /// The indicator code given, if any.
        code: Option<String>,
    },
    /// 整改: verifying, or changing the deadline or owner, by someone who did not open it.
    OnlyOpenerVerifies {
        /// Its id.
        id: i64,
        /// Who opened it.
        opened_by: String,
    },
    /// A previous year's declaration that is not earlier.
    PreviousYearNotEarlier {
        /// The previous declaration's id.
        previous: i64,
        /// Its year.
        previous_year: i32,
        /// This one's year.
        year: i32,
    },
    /// Monitoring or evaluation that cannot be computed for a project.
    CannotCompute {
        /// 项目名称.
        project: String,
        /// `monitor` or `evaluate`.
        what: &'static str,
        /// Why.
        cause: String,
    },
    /// A review with error findings blocks a submit.
    SubmitBlocked {
        /// How many errors.
        count: usize,
        /// The first ones (at most five): Chinese and English.
        findings: Vec<(String, String)>,
    },
    /// A password under the minimum length.
    PasswordTooShort {
        /// Its length in characters.
        chars: usize,
        /// The minimum.
        min: usize,
    },
    /// A user name that is empty or holds control characters.
    BadUserName {
        /// The name.
        name: String,
    },

    // — reports —
    /// A report that cannot be written.
    ReportFailed {
        /// Why.
        cause: String,
    },
    /// HTML is the summary's only.
    HtmlSummaryOnly,
    /// Text (`jixiao report --format text`) is the summary's only.
    TextSummaryOnly,
    /// A report file without `--output`.
    OutputNeeded,
    /// A 监控表 without its date.
    MonitoringNeedsDate,
    /// PDFs come from the report's view.
    PdfThroughView,
    /// No report of that name.
    NoReport {
        /// The name asked for.
        name: String,
    },

    // — who may —
    /// A wrong user name or password (one message for both).
    WrongLogin,
    /// The actor may see this but not do that.
    NotPermitted {
        /// The actor's name.
        actor: String,
        /// Its role.
        role: Role,
        /// What it asked to do.
        action: Action,
        /// On which declaration (`None`: any).
        project: Option<ProjectKey>,
    },
    /// A transition from a status it does not start from.
    IllegalTransition {
        /// The current status.
        status: Status,
        /// What was asked (`提交`, `submitted`).
        verb: (&'static str, &'static str),
    },
    /// An adjustment of a declaration that is not approved.
    NotApproved {
        /// The current status.
        status: Status,
    },
    /// A demo seeded into a database that has users.
    DemoHasUsers,

    // — the front ends' own input —
    /// A query parameter that does not read.
    BadParameter {
        /// The parameter.
        name: String,
        /// Its value.
        value: String,
        /// What it should be.
        expected: Expected,
    },
    /// The `year` of a report's query is missing.
    MissingYear {
        /// The example year.
        example: i32,
    },
    /// A parameter that is not a date.
    ParameterNotADate {
        /// The parameter.
        name: String,
        /// Its value.
        value: String,
        /// The example's year.
        year: i32,
    },
    /// A command-line date that does not read.
    NotADate {
        /// The text.
        text: String,
        /// The example's year.
        year: i32,
    },
    /// A comment's indicator that is not an id.
    NotAnIndicatorId {
        /// The text.
        text: String,
    },
    /// The server is busy with other files.
    ServerBusy,
    /// `jixiao serve --bind` that does not read.
    BadListenAddress {
        /// The address.
        bind: String,
    },
    /// The address cannot be listened on.
    CannotListen {
        /// The address.
        addr: String,
        /// Why.
        cause: String,
    },
    /// `jixiao check --keep-going` without files.
    KeepGoingNeedsFiles,
    /// `jixiao check` of several files without `--keep-going`.
    CheckTakesOneFile,
    /// `jixiao check` without a file or `--all`.
    CheckNeedsInput,
    /// The password cannot be read from standard input.
    CannotReadPassword {
        /// Why.
        cause: String,
    },
}

/// What a parameter should be (in [`Message::BadParameter`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A year, such as the one given.
    Year(i32),
    /// A workflow status id.
    Status,
    /// A page number from 1.
    Page,
    /// `xlsx` or `pdf`.
    FileFormat,
    /// A rectification's status on a day: open, in_progress, done, overdue.
    RectificationStatus,
    /// A rectification's stored progress: open, in_progress, done.
    Progress,
}

impl Expected {
    fn zh(self) -> String {
        match self {
            Expected::Year(y) => format!("应为年份，如 {y}"),
            Expected::Status => "应为 draft、submitted、returned 或 approved".into(),
            Expected::Page => "应为正整数".into(),
            Expected::FileFormat => "可选 xlsx、pdf".into(),
            Expected::RectificationStatus => {
                "应为 open、in_progress、done 或 overdue（待整改、整改中、已完成、逾期）".into()
            }
            Expected::Progress => {
                "应为 open、in_progress 或 done（待整改、整改中、已完成；逾期由期限决定）".into()
            }
        }
    }

    fn en(self) -> String {
        match self {
            Expected::Year(y) => format!("give a year such as {y}"),
            Expected::Status => "give draft, submitted, returned or approved".into(),
            Expected::Page => "give a whole number from 1".into(),
            Expected::FileFormat => "xlsx or pdf".into(),
            Expected::RectificationStatus => "give open, in_progress, done or overdue".into(),
            Expected::Progress => {
                "give open, in_progress or done (overdue follows from the deadline)".into()
            }
        }
    }
}

impl Message {
    /// The key, stable across languages (`no_project_named`).
    pub fn key(&self) -> MessageKey {
        MessageKey::from(self)
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let (zh, en) = self.texts();
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A text written whole in both languages elsewhere ([`Message::Text`]).
    pub fn said(zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message::Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The catalog: each key worded in Chinese and in English, side by side.
    fn texts(&self) -> (String, String) {
        use Message as M;
        match self {
            M::Text { zh, en } => (
                zh.clone(),
                en.clone(),
            ),
            M::Internal => (
                "内部错误，操作未完成；请稍后重试或联系管理员".into(),
                "internal error: nothing was done; try again later or ask the administrator".into(),
            ),
            M::UnsupportedDatabase { url } => (
                format!("不支持的数据库地址「{url}」：应为 SQLite 文件路径或 postgres:// 地址"),
                format!("unsupported database {url:?}: give a SQLite file path or a postgres:// URL"),
            ),
            M::NoDatabase { path } => (
                format!("数据库文件不存在：{path}（先用 jixiao import 导入申报表，或用 --db 指定已有的数据库）"),
                format!(
                    "no database at {path} (import a form first, or name an existing one with --db)"
                ),
            ),
            M::DatabaseUnavailable { target, reason } => (
                format!("无法打开数据库 {target}：{reason}"),
                format!("cannot open the database {target}: {reason}"),
            ),
            M::DatabaseBusy => (
                "数据库繁忙，暂时无法应答；请稍后再试".into(),
                "the database is busy and cannot answer now; try again shortly".into(),
            ),
            M::CannotCreateDatabaseDir { dir, cause } => (
                format!("无法创建数据库目录 {dir}（{cause}）"),
                format!("cannot create the database directory {dir} ({cause})"),
            ),
            M::NoSuchFile { file } => (
                format!("{file}：文件不存在"),
                format!("{file}: no such file"),
            ),
            M::UnreadableFile { file, cause } => (
                format!("{file}：无法读取文件（{cause}）"),
                format!("{file}: cannot read the file ({cause})"),
            ),
            M::CannotWriteFile { file, cause } => (
                format!("{file}：无法写入文件（{cause}）"),
                format!("{file}: cannot write the file ({cause})"),
            ),
            M::SymlinkToDirectory { path } => (
                format!("{path}：指向目录的符号链接，未跟随"),
                format!("{path}: a symbolic link to a directory, not followed"),
            ),
            M::CannotListDirectory { path } => (
                format!("{path}：无法列出目录内容"),
                format!("{path}: cannot list the directory"),
            ),
            M::UnknownPolicy { name } => (
                format!("未知的审核规则「{name}」：应为 central、shanghai 或 TOML 文件路径"),
                format!("unknown policy {name:?}: give central, shanghai or a TOML file"),
            ),
            M::BadReviewPolicy { file, cause } => (
                format!("{file}：{cause}"),
                format!("{file}: bad review policy"),
            ),
            M::BadEvalPolicy { file, cause } => (
                format!("{file}：{cause}"),
                format!("{file}: bad policy"),
            ),
            M::RowsNotRecorded { source, cause } => (
                format!("{source}：{cause}\n未录入任何数据。"),
                format!("{source}: nothing was recorded."),
            ),
            M::NoProjectNamed { name, year } => (
                format!(
                    "未找到项目「{name}」{}；用 `jixiao list` 查看已导入的项目",
                    year.map_or(String::new(), |y| format!("（{y}年度）"))
                ),
                format!(
                    "no project named {name:?}{}; `jixiao list` shows the imported projects",
                    year.map_or(String::new(), |y| format!(" in {y}"))
                ),
            ),
            M::NoProjectWithId { id } => (
                format!("未找到编号为 {id} 的项目"),
                format!("no project with id {id}"),
            ),
            M::NoProjects { year } => (
                format!(
                    "没有{}项目；先用 jixiao import 导入申报表",
                    year.map_or(String::new(), |y| format!(" {y} 年度的"))
                ),
                format!(
                    "no projects{}; import a form first",
                    year.map_or(String::new(), |y| format!(" of {y}"))
                ),
            ),
            M::NoReportProjects { year, unit, department } => (
                {
                    let mut zh = format!("没有 {year} 年度");
                    if let Some(u) = unit {
                        zh.push_str(&format!("实施单位「{u}」"));
                    }
                    if let Some(d) = department {
                        zh.push_str(&format!("主管部门「{d}」"));
                    }
                    zh + "的项目"
                },
                {
                    let mut en = format!("no declarations of {year}");
                    if let Some(u) = unit {
                        en.push_str(&format!(" of unit {u:?}"));
                    }
                    if let Some(d) = department {
                        en.push_str(&format!(" under department {d:?}"));
                    }
                    en
                },
            ),
            M::IdNamesNothing { file, project, id } => (
                format!("{file}：项目「{project}」所写的编号 {id} 没有对应的申报项目"),
                format!("{file}: project {project:?} carries the id {id}, which names no declaration"),
            ),
            M::NotUniqueInFile { count, key } => (
                format!(
                    "文件中有 {count} 个项目，找不到唯一的「{}」（{}年度，{}）",
                    key.name, key.year, key.unit
                ),
                format!(
                    "the file holds {count} projects and not exactly one {:?} ({}, {})",
                    key.name, key.year, key.unit
                ),
            ),
            M::NoIndicator { project, indicator } => (
                format!("项目「{project}」没有指标「{indicator}」；用 jixiao show 查看指标编码"),
                format!(
                    "project {project:?} has no indicator {indicator:?}; `jixiao show` lists the codes"
                ),
            ),
            M::SeveralIndicators { indicator, codes } => (
                format!(
                    "有多个指标名为「{indicator}」（{}）；请用指标编码",
                    codes.join("、")
                ),
                format!(
                    "several indicators are named {indicator:?} ({}); give the code",
                    codes.join(", ")
                ),
            ),
            M::NoIndicatorId { id } => (
                format!("当前版本没有编号为 {id} 的指标"),
                format!("the current version has no indicator with id {id}"),
            ),
            M::NoSuchIndicatorAt { source, line, project, year, level2, indicator, imported } => (
                format!(
                    "{source}:{line}：申报表「{project}」{}中没有二级指标「{level2}」下的指标「{indicator}」；未{}任何数据。",
                    year.map_or(String::new(), |y| format!("（{y} 年度）")),
                    if *imported { "导入" } else { "录入" }
                ),
                format!(
                    "{source}:{line}: the declaration {project:?}{} has no indicator {indicator:?} under {level2}; nothing was {}.",
                    year.map_or(String::new(), |y| format!(" ({y})")),
                    if *imported { "imported" } else { "recorded" }
                ),
            ),
            M::NoLibraryEntry { id } => (
                format!("指标库中没有编号为 {id} 的条目"),
                format!("no library entry with id {id}"),
            ),
            M::NotADeclaration { file, monitoring } => (
                format!(
                    "{file}：这是{}，不是申报表，应单独导入（jixiao import 单独导入该文件）",
                    if *monitoring {
                        "绩效运行监控表"
                    } else {
                        "项目支出绩效自评表"
                    }
                ),
                format!(
                    "{file}: a {} is not a declaration and is imported on its own (import it alone with jixiao import)",
                    if *monitoring {
                        "monitoring table"
                    } else {
                        "self-evaluation table"
                    }
                ),
            ),
            M::NotASelfEvaluation { file } => (
                format!("{file}：不是项目支出绩效自评表"),
                format!("{file}: not a self-evaluation table (项目支出绩效自评表)"),
            ),
            M::InProject { file, project, reason } => (
                format!("{file}：项目「{project}」：{}", reason.text(Lang::Zh)),
                format!("{file}: project {project:?}: {}", reason.text(Lang::En)),
            ),
            M::NotTheUnitsDepartment { unit, department, stated } => (
                format!(
                    "实施单位「{unit}」的主管部门是「{department}」（组织机构），不是「{stated}」"
                ),
                format!("the department of {unit:?} is {department:?} (org tree), not {stated:?}"),
            ),
            M::UnitWithoutDepartment { unit, stated, own } => (
                format!(
                    "实施单位「{unit}」在组织机构中没有主管部门；只有管理员能将它登记在「{stated}」之下（您的主管部门：{}）",
                    own.as_deref().unwrap_or("无")
                ),
                format!(
                    "the unit {unit:?} has no department in the org tree; only an administrator may place it under {stated:?} (yours: {})",
                    own.as_deref().unwrap_or("none")
                ),
            ),
            M::UnitDiffers { file, project, id, stored, given } => (
                format!(
                    "{file}：项目「{project}」（编号 {id}）属于「{stored}」，文件写的是「{given}」；导入不改变实施单位"
                ),
                format!(
                    "{file}: project {project:?} (id {id}) belongs to {stored:?}, the file says {given:?}; an import never changes the unit"
                ),
            ),
            M::DeclarationUnreadable { path, cause } => (
                {
                    let at = if path.is_empty() {
                        String::new()
                    } else {
                        format!("字段 {path}：")
                    };
                    format!(
                        "申报内容无法读取：{at}{cause}（格式同 GET /api/projects/{{id}} 返回的项目 JSON）"
                    )
                },
                {
                    let at = if path.is_empty() {
                        String::new()
                    } else {
                        format!("field {path}: ")
                    };
                    format!(
                        "the declaration cannot be read: {at}{cause} (the shape is the project JSON of GET /api/projects/{{id}})"
                    )
                },
            ),
            M::DateOutsidePeriod { date, period, indicator } => (
                format!(
                    "日期 {date} 不在期间「{period}」（{}）内：指标「{indicator}」的值按日期读取（截至该日期的值），日期须在所写期间之内；未录入任何数据。",
                    period.zh()
                ),
                format!(
                    "the date {date} lies outside the period {period}: indicator {indicator:?} is read as of its date, which must lie in the period written; nothing was recorded."
                ),
            ),
            M::PeriodMismatch { period, date, reported, indicator } => (
                format!(
                    "期间「{period}」与日期 {date} 不符：指标「{indicator}」在该日期填报的是「{reported}」期间（{}）；未录入任何数据。",
                    reported.zh()
                ),
                format!(
                    "the period {period} does not match the date {date}: for indicator {indicator:?} that date reports on {reported}; nothing was recorded."
                ),
            ),
            M::PeriodCountMismatch { source, line, column, indicator, stated, computed } => (
                {
                    let calc = computed.map_or_else(
                        || "无已录入的期".to_string(),
                        |(a, b)| format!("{a}/{b} 期按时"),
                    );
                    format!(
                        "{source}：第 {line} 行第 {column} 列：指标「{indicator}」的实际完成值「{stated}」与已录入的各期完成日期不符（jixiao 算得 {calc}）：周期性时限指标的按期情况由各期完成日期算出，请用实际完成值文件逐期录入（period 列）\n未录入任何数据。"
                    )
                },
                {
                    let calc = computed.map_or_else(
                        || "no period recorded".to_string(),
                        |(a, b)| format!("{a}/{b} on time"),
                    );
                    format!(
                        "{source}: line {line}, column {column}: the actual value {stated:?} of indicator {indicator:?} does not match the periods recorded (jixiao computes {calc}): a recurring deadline's count comes from each period's completion date; record them one by one in an actuals file (period column)\nnothing was recorded."
                    )
                },
            ),
            M::NoSpendingRecord => (
                "没有支出记录".into(),
                "no spending record".into(),
            ),
            M::RetractionNeedsReason => (
                "撤回须说明原因（--reason）".into(),
                "a retraction needs a reason (--reason)".into(),
            ),
            M::ReturnNeedsComment => (
                "退回须填写审核意见".into(),
                "a return needs a comment saying what to change".into(),
            ),
            M::AdjustmentNeedsReason => (
                "调整须说明原因".into(),
                "an adjustment needs a reason".into(),
            ),
            M::EmptyComment => (
                "意见不能为空".into(),
                "the comment is empty".into(),
            ),
            M::EmptyLibraryName => (
                "三级指标名称不能为空".into(),
                "the indicator name must not be empty".into(),
            ),
            M::NoRectificationWithId { id } => (
                format!("未找到编号为 {id} 的整改事项"),
                format!("no rectification with id {id}"),
            ),
            M::RectificationNoIndicator { project, code } => (
                format!("「{project}」当前版本没有编码为 {code} 的指标"),
                format!("{project:?} has no indicator {code} in its current version"),
            ),
            M::DeadlineBeforeToday { deadline, today } => (
                format!("整改期限 {deadline} 早于今天（{today}）"),
                format!("the deadline {deadline} lies before today ({today})"),
            ),
            M::OwnerNotTheUnit { owner, project, unit } => (
                format!("责任单位「{owner}」不是「{project}」的实施单位「{unit}」"),
                format!("the owner unit {owner:?} is not the unit of {project:?} ({unit:?})"),
            ),
            M::OwnerCannotRead { owner, project } => (
                format!("责任人「{owner}」不是能查看「{project}」的用户"),
                format!("the owner {owner:?} is no user who may read {project:?}"),
            ),
            M::RectificationCompleted { id } => (
                format!("整改事项（编号 {id}）已完成验收；须先重新打开才能修改"),
                format!("rectification {id} is completed; reopen it before changing it"),
            ),
            M::RectificationIncomplete { id } => (
                format!("整改事项（编号 {id}）尚无整改措施或整改佐证，不能验收完成"),
                format!(
                    "rectification {id} has no measure or no evidence yet; it cannot be completed"
                ),
            ),
            M::NoSuchFinding { project, source, rule, code } => (
                format!(
                    "「{project}」当前没有这条{}（{rule}{}），不能据此建立整改事项",
                    source.zh(),
                    code.as_deref().map_or(String::new(), |c| format!("，指标 {c}"))
                ),
                format!(
                    "{project:?} has no such {} now ({rule}{}); no rectification was opened",
                    source.en(),
                    code.as_deref().map_or(String::new(), |c| format!(", indicator {c}"))
                ),
            ),
            M::OnlyOpenerVerifies { id, opened_by } => (
                format!(
                    "整改事项（编号 {id}）由「{opened_by}」建立，只有建立人可以验收、改期限或责任人"
                ),
                format!(
                    "rectification {id} was opened by {opened_by:?}; only whoever opened it may verify it or change its deadline or owner"
                ),
            ),
            M::PreviousYearNotEarlier { previous, previous_year, year } => (
                format!(
                    "上年项目应早于本项目：编号 {previous} 为 {previous_year} 年度，本项目为 {year} 年度"
                ),
                format!(
                    "the previous year's declaration must be earlier: {previous} is of {previous_year}, this one of {year}"
                ),
            ),
            M::CannotCompute { project, what, cause } => (
                format!("{project}：{cause}"),
                format!("{project}: cannot {what} ({cause})"),
            ),
            M::SubmitBlocked { count, findings } => (
                {
                    let zh: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
                    format!(
                        "审核有 {count} 项错误，不能提交（修改后再提交）：{}。",
                        zh.join("；")
                    )
                },
                {
                    let en: Vec<&str> = findings.iter().map(|f| f.1.as_str()).collect();
                    format!(
                        "the review has {count} error(s); fix them before submitting: {}.",
                        en.join("; ")
                    )
                },
            ),
            M::PasswordTooShort { chars, min } => (
                format!("密码太短：{chars} 个字符，至少需要 {min} 个"),
                format!(
                    "the password is too short: {chars} characters, at least {min} needed"
                ),
            ),
            M::BadUserName { name } => (
                format!("用户名「{name}」无效：不能为空，也不能含控制字符"),
                format!(
                    "invalid user name {name:?}: it must not be empty or hold control characters"
                ),
            ),
            M::ReportFailed { cause } => (
                format!("无法生成报表：{cause}"),
                format!("cannot write the report: {cause}"),
            ),
            M::HtmlSummaryOnly => (
                "HTML 目前只提供汇总表（summary）；其他报表请用 --format xlsx 或 pdf".into(),
                "HTML is available for the summary only; use --format xlsx or pdf for the other reports".into(),
            ),
            M::TextSummaryOnly => (
                "text 格式目前只提供汇总表（summary）；其他报表请用 --format xlsx 或 pdf".into(),
                "the text format is available for the summary only; use --format xlsx or pdf for the other reports".into(),
            ),
            M::OutputNeeded => (
                "请用 --output 指定输出文件".into(),
                "give the output file with --output".into(),
            ),
            M::MonitoringNeedsDate => (
                "监控表须指定截至日期（--as-of）".into(),
                "the monitoring report needs a date (--as-of)".into(),
            ),
            M::PdfThroughView => (
                "PDF 由 jixiao-pdf 生成：请用 App::report_view 取得报表内容".into(),
                "PDFs are written by jixiao-pdf: take the report's view from App::report_view".into(),
            ),
            M::NoReport { name } => (
                format!(
                    "没有报表「{name}」：可选 declaration、summary、monitoring、self-evaluation"
                ),
                format!(
                    "no report {name:?}: declaration, summary, monitoring or self-evaluation"
                ),
            ),
            M::WrongLogin => (
                "用户名或密码错误".into(),
                "wrong user name or password".into(),
            ),
            M::NotPermitted { actor, role, action, project } => (
                {
                    let what = match project {
                        Some(k) => format!("{}年度「{}」（{}）", k.year, k.name, k.unit),
                        None => "任何项目".to_string(),
                    };
                    format!("用户「{actor}」（{}）无权{}{what}", role.zh(), action.zh())
                },
                {
                    let what = match project {
                        Some(k) => format!("{} {:?} of {}", k.year, k.name, k.unit),
                        None => "any project".to_string(),
                    };
                    format!("user {actor:?} ({}) may not {} {what}", role.id(), action.en())
                },
            ),
            M::IllegalTransition { status, verb } => (
                format!(
                    "申报当前状态为「{}」，不能{}（{}）",
                    status.zh(),
                    verb.0,
                    status_hint(*status).0
                ),
                format!(
                    "the declaration is {} ({}): it cannot be {}; {}",
                    status.id(),
                    status.zh(),
                    verb.1,
                    status_hint(*status).1
                ),
            ),
            M::NotApproved { status } => (
                format!(
                    "申报当前状态为「{}」，不是已批准：直接修改即可，无需调整",
                    status.zh()
                ),
                format!(
                    "the declaration is {} ({}), not approved: edit it directly, no adjustment is needed",
                    status.id(),
                    status.zh()
                ),
            ),
            M::DemoHasUsers => (
                "数据库中已有用户，未添加演示数据".into(),
                "the database has users already; no demo data was added".into(),
            ),
            M::BadParameter { name, value, expected } => (
                format!("参数 {name}=「{value}」无效：{}", expected.zh()),
                format!("invalid {name}={value:?}: {}", expected.en()),
            ),
            M::MissingYear { example } => (
                format!("缺少参数 year（年度，如 {example}）"),
                format!("the query parameter year (such as {example}) is missing"),
            ),
            M::ParameterNotADate { name, value, year } => (
                format!("{name}=「{value}」不是日期，应写作 {year}-06-30"),
                format!("{name}={value:?} is not a date; write {year}-06-30"),
            ),
            M::NotADate { text, year } => (
                format!("「{text}」不是日期，应写作 {year}-06-30、{year}/6/30 或 {year}年6月30日"),
                format!(
                    "{text:?} is not a date; write {year}-06-30, {year}/6/30 or {year}年6月30日"
                ),
            ),
            M::NotAnIndicatorId { text } => (
                format!("indicator=「{text}」不是指标编号（整数）"),
                format!("indicator={text:?} is not an indicator id (a whole number)"),
            ),
            M::ServerBusy => (
                "服务器正忙于生成其他文件或处理上传；请稍后重试".into(),
                "the server is busy typesetting other files or reading uploads; retry shortly".into(),
            ),
            M::BadListenAddress { bind } => (
                format!("监听地址「{bind}」无效，应如 127.0.0.1:8080"),
                format!("invalid address {bind:?}; write it like 127.0.0.1:8080"),
            ),
            M::CannotListen { addr, cause } => (
                format!("无法监听 {addr}：{cause}"),
                format!("cannot listen on {addr}: {cause}"),
            ),
            M::KeepGoingNeedsFiles => (
                "--keep-going 需要至少一个文件或目录".into(),
                "--keep-going needs at least one file or directory".into(),
            ),
            M::CheckTakesOneFile => (
                "只能审核一个文件；要批量审核多个文件或目录，请加 --keep-going".into(),
                "check takes one file; add --keep-going to check several files or directories"
                    .into(),
            ),
            M::CheckNeedsInput => (
                "请给出申报表文件，或用 --all 审核数据库中的全部项目".into(),
                "give a form file, or --all to review every project in the database".into(),
            ),
            M::CannotReadPassword { cause } => (
                format!("无法从标准输入读取密码：{cause}"),
                format!("cannot read the password from standard input: {cause}"),
            ),
        }
    }
}

/// What a status needs before the transition asked for (in [`Message::IllegalTransition`]).
fn status_hint(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Draft => ("草稿须先提交", "a draft must be submitted first"),
        Status::Submitted => ("已提交，等待审核", "it is waiting for review"),
        Status::Returned => (
            "已退回，须修改后重新提交",
            "it was returned: edit and submit it again",
        ),
        Status::Approved => (
            "已批准，需通过调整修改",
            "it is approved: use an adjustment",
        ),
    }
}

/// 不唯一 — the candidates a name could mean, in `lang`.
pub(crate) fn ambiguous(name: &str, candidates: &[crate::Candidate], lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let zh: Vec<String> = candidates
                .iter()
                .map(|c| format!("{}年度 {}", c.year, c.unit))
                .collect();
            format!(
                "有 {} 个项目名为「{name}」（{}）；请用 --year 指明",
                candidates.len(),
                zh.join("；")
            )
        }
        Lang::En => {
            let en: Vec<String> = candidates
                .iter()
                .map(|c| format!("{} {}", c.year, c.unit))
                .collect();
            format!(
                "{} projects are named {name:?} ({}); give --year",
                candidates.len(),
                en.join("; ")
            )
        }
    }
}

/// 编辑冲突 — who saved what since the edit's base version, in `lang`.
pub(crate) fn stale(s: &jixiao_store::StaleEdit, lang: Lang) -> String {
    let change = crate::views::change(&s.change, lang);
    match lang {
        Lang::Zh => format!(
            "保存冲突：你的修改基于第 {} 版，而 {} 已于 {} 保存了第 {} 版；未保存任何内容，请在最新版本上重新修改。第 {} 版以来的变化：{}",
            s.base_version,
            s.saved_by,
            s.saved_at,
            s.current_version,
            s.base_version,
            change.trim().replace('\n', "；"),
        ),
        Lang::En => format!(
            "conflict: your edit is based on version {}, but {} saved version {} at {}; nothing was saved: apply your edit to the current version. Changes since version {}: {}",
            s.base_version,
            s.saved_by,
            s.current_version,
            s.saved_at,
            s.base_version,
            change.trim().replace('\n', "; "),
        ),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    /// One message of every key (the match has no `_` arm: a new key needs its example).
    pub(crate) fn example(key: MessageKey) -> Message {
        use Message as M;
        use MessageKey as K;
        let s = |t: &str| t.to_string();
        let date = NaiveDate::from_ymd_opt(2024, 6, 30).expect("a date");
        let key_of = ProjectKey {
            year: 2024,
            unit: s("甲单位"),
            name: s("交通工具购置"),
        };
        match key {
            K::Text => M::said("中文", "English"),
            K::Internal => M::Internal,
            K::UnsupportedDatabase => M::UnsupportedDatabase {
                url: s("mysql://x"),
            },
            K::NoDatabase => M::NoDatabase { path: s("a.db") },
            K::DatabaseUnavailable => M::DatabaseUnavailable {
                target: s("db"),
                reason: s("refused"),
            },
            K::DatabaseBusy => M::DatabaseBusy,
            K::CannotCreateDatabaseDir => M::CannotCreateDatabaseDir {
                dir: s("/x"),
                cause: s("denied"),
            },
            K::NoSuchFile => M::NoSuchFile { file: s("a.csv") },
            K::UnreadableFile => M::UnreadableFile {
                file: s("a.csv"),
                cause: s("denied"),
            },
            K::CannotWriteFile => M::CannotWriteFile {
                file: s("a.xlsx"),
                cause: s("denied"),
            },
            K::SymlinkToDirectory => M::SymlinkToDirectory { path: s("d") },
            K::CannotListDirectory => M::CannotListDirectory { path: s("d") },
            K::UnknownPolicy => M::UnknownPolicy { name: s("x") },
            K::BadReviewPolicy => M::BadReviewPolicy {
                file: s("p.toml"),
                cause: s("缺少 rules"),
            },
            K::BadEvalPolicy => M::BadEvalPolicy {
                file: s("p.toml"),
                cause: s("缺少 weights"),
            },
            K::RowsNotRecorded => M::RowsNotRecorded {
                source: s("a.csv"),
                cause: s("空文件"),
            },
            K::NoProjectNamed => M::NoProjectNamed {
                name: s("P"),
                year: Some(2024),
            },
            K::NoProjectWithId => M::NoProjectWithId { id: 7 },
            K::NoProjects => M::NoProjects { year: None },
            K::NoReportProjects => M::NoReportProjects {
                year: 2024,
                unit: Some(s("甲")),
                department: Some(s("乙")),
            },
            K::IdNamesNothing => M::IdNamesNothing {
                file: s("a.json"),
                project: s("P"),
                id: 9,
            },
            K::NotUniqueInFile => M::NotUniqueInFile {
                count: 2,
                key: key_of.clone(),
            },
            K::NoIndicator => M::NoIndicator {
                project: s("P"),
                indicator: s("1.1.9"),
            },
            K::SeveralIndicators => M::SeveralIndicators {
                indicator: s("数量"),
                codes: vec![s("1.1.1"), s("1.1.2")],
            },
            K::NoIndicatorId => M::NoIndicatorId { id: 3 },
            K::NoSuchIndicatorAt => M::NoSuchIndicatorAt {
                source: s("t.xlsx"),
                line: 4,
                project: s("P"),
                year: Some(2024),
                level2: s("数量指标"),
                indicator: s("车辆"),
                imported: true,
            },
            K::NoLibraryEntry => M::NoLibraryEntry { id: 1 },
            K::NotADeclaration => M::NotADeclaration {
                file: s("t.xlsx"),
                monitoring: false,
            },
            K::NotASelfEvaluation => M::NotASelfEvaluation { file: s("t.xlsx") },
            K::InProject => M::InProject {
                file: s("a.json"),
                project: s("P"),
                reason: Box::new(M::UnitWithoutDepartment {
                    unit: s("甲"),
                    stated: s("乙"),
                    own: None,
                }),
            },
            K::NotTheUnitsDepartment => M::NotTheUnitsDepartment {
                unit: s("甲"),
                department: s("乙"),
                stated: s("丙"),
            },
            K::UnitWithoutDepartment => M::UnitWithoutDepartment {
                unit: s("甲"),
                stated: s("乙"),
                own: Some(s("丙")),
            },
            K::UnitDiffers => M::UnitDiffers {
                file: s("a.json"),
                project: s("P"),
                id: 2,
                stored: s("甲"),
                given: s("乙"),
            },
            K::DeclarationUnreadable => M::DeclarationUnreadable {
                path: s("project_funds.fiscal"),
                cause: s("invalid type"),
            },
            K::DateOutsidePeriod => M::DateOutsidePeriod {
                date,
                period: ReportPeriod::Year(2023),
                indicator: s("车辆"),
            },
            K::PeriodMismatch => M::PeriodMismatch {
                period: ReportPeriod::Year(2023),
                date,
                reported: ReportPeriod::Year(2024),
                indicator: s("车辆"),
            },
            K::PeriodCountMismatch => M::PeriodCountMismatch {
                source: s("t.xlsx"),
                line: 3,
                column: 5,
                indicator: s("按月报送"),
                stated: s("12/12"),
                computed: Some((3, 12)),
            },
            K::NoSpendingRecord => M::NoSpendingRecord,
            K::RetractionNeedsReason => M::RetractionNeedsReason,
            K::ReturnNeedsComment => M::ReturnNeedsComment,
            K::AdjustmentNeedsReason => M::AdjustmentNeedsReason,
            K::EmptyComment => M::EmptyComment,
            K::EmptyLibraryName => M::EmptyLibraryName,
            K::NoRectificationWithId => M::NoRectificationWithId { id: 3 },
            K::RectificationNoIndicator => M::RectificationNoIndicator {
                project: s("交通工具购置"),
                code: s("9.9.9"),
            },
            K::DeadlineBeforeToday => M::DeadlineBeforeToday {
                deadline: date,
                today: date,
            },
            K::OwnerNotTheUnit => M::OwnerNotTheUnit {
                owner: s("某单位"),
                project: s("交通工具购置"),
                unit: s("本单位"),
            },
            K::OwnerCannotRead => M::OwnerCannotRead {
                owner: s("editor2"),
                project: s("交通工具购置"),
            },
            K::RectificationCompleted => M::RectificationCompleted { id: 3 },
            K::RectificationIncomplete => M::RectificationIncomplete { id: 3 },
            K::NoSuchFinding => M::NoSuchFinding {
                project: s("交通工具购置"),
                source: FindingSource::SelfEvaluation,
                rule: s("indicator_deduction"),
                code: Some(s("1.1.2")),
            },
            K::OnlyOpenerVerifies => M::OnlyOpenerVerifies {
                id: 3,
                opened_by: s("reviewer"),
            },
            K::PreviousYearNotEarlier => M::PreviousYearNotEarlier {
                previous: 1,
                previous_year: 2025,
                year: 2024,
            },
            K::CannotCompute => M::CannotCompute {
                project: s("交通工具购置"),
                what: "monitor",
                cause: s("x"),
            },
            K::SubmitBlocked => M::SubmitBlocked {
                count: 1,
                findings: vec![(s("资金不平"), s("funds do not add up"))],
            },
            K::PasswordTooShort => M::PasswordTooShort { chars: 3, min: 12 },
            K::BadUserName => M::BadUserName { name: s("") },
            K::ReportFailed => M::ReportFailed { cause: s("x") },
            K::HtmlSummaryOnly => M::HtmlSummaryOnly,
            K::TextSummaryOnly => M::TextSummaryOnly,
            K::OutputNeeded => M::OutputNeeded,
            K::MonitoringNeedsDate => M::MonitoringNeedsDate,
            K::PdfThroughView => M::PdfThroughView,
            K::NoReport => M::NoReport { name: s("x") },
            K::WrongLogin => M::WrongLogin,
            K::NotPermitted => M::NotPermitted {
                actor: s("张三"),
                role: Role::Viewer,
                action: Action::Write,
                project: Some(key_of),
            },
            K::IllegalTransition => M::IllegalTransition {
                status: Status::Approved,
                verb: ("提交", "submitted"),
            },
            K::NotApproved => M::NotApproved {
                status: Status::Draft,
            },
            K::DemoHasUsers => M::DemoHasUsers,
            K::BadParameter => M::BadParameter {
                name: s("page"),
                value: s("0"),
                expected: Expected::Page,
            },
            K::MissingYear => M::MissingYear { example: 2024 },
            K::ParameterNotADate => M::ParameterNotADate {
                name: s("as_of"),
                value: s("x"),
                year: 2024,
            },
            K::NotADate => M::NotADate {
                text: s("x"),
                year: 2024,
            },
            K::NotAnIndicatorId => M::NotAnIndicatorId { text: s("x") },
            K::ServerBusy => M::ServerBusy,
            K::BadListenAddress => M::BadListenAddress { bind: s("x") },
            K::CannotListen => M::CannotListen {
                addr: s("127.0.0.1:80"),
                cause: s("denied"),
            },
            K::KeepGoingNeedsFiles => M::KeepGoingNeedsFiles,
            K::CheckTakesOneFile => M::CheckTakesOneFile,
            K::CheckNeedsInput => M::CheckNeedsInput,
            K::CannotReadPassword => M::CannotReadPassword { cause: s("eof") },
        }
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every key has its text in both languages: Chinese that is Chinese, English that is
    /// not the Chinese, neither empty.
    #[test]
    fn every_key_speaks_both_languages() {
        let mut seen = 0;
        for key in MessageKey::iter() {
            let m = example(key);
            assert_eq!(m.key(), key);
            let (zh, en) = (m.text(Lang::Zh), m.text(Lang::En));
            let name: &'static str = key.into();
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{name}");
            assert_ne!(zh, en, "{name}");
            assert!(has_han(&zh), "{name}: {zh}");
            // English may quote a Chinese name or label, never be one: it has a Latin word.
            assert!(
                en.split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| w.len() >= 3),
                "{name}: {en}"
            );
            seen += 1;
        }
        assert!(seen > 60, "{seen}");
    }

    /// Every [`Expected`] a parameter may be is worded in both languages.
    #[test]
    fn every_expectation_speaks_both_languages() {
        for x in [
            Expected::Year(2024),
            Expected::Status,
            Expected::Page,
            Expected::FileFormat,
            Expected::RectificationStatus,
            Expected::Progress,
        ] {
            let m = Message::BadParameter {
                name: "--status".into(),
                value: "x".into(),
                expected: x,
            };
            let (zh, en) = (m.text(Lang::Zh), m.text(Lang::En));
            assert!(has_han(&zh) && zh.contains("--status"), "{x:?}: {zh}");
            assert!(!has_han(&en) && en.contains("--status"), "{x:?}: {en}");
        }
        let status = Message::BadParameter {
            name: "--status".into(),
            value: "late".into(),
            expected: Expected::RectificationStatus,
        };
        assert_eq!(
            status.text(Lang::En),
            "invalid --status=\"late\": give open, in_progress, done or overdue"
        );
    }

    /// Keys are stable snake_case names, one per message.
    #[test]
    fn keys_are_named_once() {
        let names: std::collections::BTreeSet<&'static str> =
            MessageKey::iter().map(<&'static str>::from).collect();
        assert_eq!(names.len(), MessageKey::iter().count());
        assert!(names.contains("no_project_named"), "{names:?}");
    }
}
