//! The OpenAPI 3.1 document of the API, written by hand (`GET /api/openapi.json`).

use serde_json::{json, Value};

fn error_ref(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "项目编号 / declaration id" })
}

fn read(summary: &str, extra_params: Vec<Value>) -> Value {
    let mut params = vec![id_param()];
    params.extend(extra_params);
    json!({ "get": {
        "summary": summary,
        "parameters": params,
        "responses": {
            "200": { "description": "OK", "content": { "application/json": {} } },
            "401": error_ref("未登录 / no session"),
            "404": error_ref("不存在或无权查看 / no such declaration, or another unit's"),
        }
    }})
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

/// A state change on a declaration (POST or PUT with a JSON body).
fn change(summary: &str, body: Option<Value>, ok: &str, extra: Vec<(&str, &str)>) -> Value {
    let mut responses = json!({
        "200": { "description": ok, "content": { "application/json": {} } },
        "401": error_ref("未登录 / no session"),
        "403": error_ref("角色不允许；CSRF；其他来源 / the role may not; CSRF token missing or wrong; foreign Origin"),
        "404": error_ref("不存在或无权查看 / no such declaration, or another unit's"),
        "409": error_ref("状态不允许（错误信息写明当前状态）/ the status does not allow it (the message names the current status)"),
        "422": error_ref("输入有误，diagnostics 写明字段与列 / invalid input: diagnostics name the field and column"),
    });
    for (code, text) in extra {
        responses[code] = error_ref(text);
    }
    let mut op = json!({
        "summary": summary,
        "security": [{ "session": [], "csrf": [] }],
        "parameters": [id_param()],
        "responses": responses,
    });
    if let Some(b) = body {
        op["requestBody"] = json_body(b);
    }
    op
}

fn obj(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// The document.
pub fn document() -> Value {
    let mut doc = core();
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), workflow_paths()) {
        for (k, v) in more {
            match (paths.get_mut(&k), v) {
                (Some(Value::Object(have)), Value::Object(add)) => have.extend(add),
                (_, v) => {
                    paths.insert(k, v);
                }
            }
        }
    }
    doc
}

/// The routes of the workflow, editing, notes, records by hand and checking as typed.
fn workflow_paths() -> Value {
    let draft = json!({ "$ref": "#/components/schemas/Draft" });
    let mut paths = serde_json::Map::new();
    for part in [workflow_a(&draft), workflow_b(&draft)] {
        if let Value::Object(m) = part {
            paths.extend(m);
        }
    }
    Value::Object(paths)
}

fn workflow_a(draft: &Value) -> Value {
    json!({
            "/api/targets/check": { "post": {
                "summary": "边填边查：指标值读作什么（与导入同一解析器）/ what a target text is read as, by the import parser",
                "security": [{ "session": [], "csrf": [] }],
                "requestBody": json_body(obj(&["text"], json!({ "text": { "type": "string", "example": "≥15000.00(公里)" } }))),
                "responses": {
                    "200": { "description": "{text, kind, kind_zh, reading_zh, reading_en, clauses: [{op, value, unit, label}], warnings: [{field, column, zh, en}], target}" },
                    "401": error_ref("no session"),
                    "422": error_ref("无法识别：diagnostics [{field: \"target\", column}] / does not read: the column"),
                },
            }},
            "/api/drafts/check": { "post": {
                "summary": "未保存草稿的审核 / the review of an unsaved draft",
                "security": [{ "session": [], "csrf": [] }],
                "requestBody": json_body(obj(&["project"], json!({ "project": draft }))),
                "responses": {
                    "200": { "description": "{errors: [{field, column, zh, en}], warnings, review} (review as docs/review-json.md)" },
                    "401": error_ref("no session"), "422": error_ref("not a project"),
                },
            }},
    })
}

fn workflow_b(draft: &Value) -> Value {
    json!({
            "/api/projects/{id}": {
                "put": change("保存（草稿、退回可改）/ save a new version of a draft or returned declaration",
                    Some(obj(&["base_version", "project"], json!({ "base_version": { "type": "integer", "description": "the version the edit started from (GET …/workflow current_version)" }, "project": draft }))),
                    "{id, version, status, changed, change, warnings}",
                    vec![("409", "已提交或已批准（已批准：需通过调整修改）；或编辑冲突：details {base_version, current_version, saved_by, saved_at, changes} / not editable, or a stale edit: details say who saved the newer version, when, and what changed; nothing was saved")]),
            },
            "/api/projects/{id}/workflow": read("流程状态 / status, current_version, approved_version, editable", vec![]),
            "/api/projects/{id}/submit": { "post": change("提交（草稿、退回 → 已提交）；返回审核结果，不因错误拒绝 / submit; the review comes back, errors do not block", None, "{from, to, status, version, at, review, review_errors}", vec![]) },
            "/api/projects/{id}/return": { "post": change("退回（须填意见）/ return with a comment (required)", Some(obj(&["comment"], json!({ "comment": { "type": "string" } }))), "{from, to, status, version, at, review}", vec![]) },
            "/api/projects/{id}/approve": { "post": change("批准 / approve", Some(obj(&[], json!({ "comment": { "type": "string" } }))), "{from, to, status, version, at, review}", vec![]) },
            "/api/projects/{id}/adjust": { "post": change("调整已批准的申报（须说明原因）：新版本，回到已提交待批准；已批准版本保留 / adjust an approved declaration: a new version back to submitted; the approved version stays recorded",
                Some(obj(&["base_version", "project", "reason"], json!({ "base_version": { "type": "integer" }, "project": draft, "reason": { "type": "string" } }))),
                "{id, version, status: submitted, changed, change, warnings}", vec![]) },
            "/api/projects/{id}/comments": {
                "get": read("审核意见 / the comments: {items: [{id, version, indicator_id, author, at, text, transition}]}", vec![])["get"],
                "post": change("添加审核意见（申报或指标）/ comment on the declaration or an indicator (by stable id)", Some(obj(&["text"], json!({ "text": { "type": "string" }, "indicator_id": { "type": ["integer", "null"] } }))), "201: the comment", vec![]),
            },
            "/api/projects/{id}/notes": {
                "get": read("自评说明 / self-evaluation notes: {annual_budget, indicators: [{indicator_id, deviation_reason, remedy}]}", vec![])["get"],
                "put": change("替换自评说明（偏差原因、改进措施、调整后全年预算数）/ replace the self-evaluation notes; history kept",
                    Some(obj(&[], json!({ "annual_budget": { "type": ["string", "null"], "example": "1800000.00" }, "indicators": { "type": "array", "items": obj(&["indicator_id"], json!({ "indicator_id": { "type": "integer" }, "deviation_reason": { "type": ["string", "null"] }, "remedy": { "type": ["string", "null"] } })) } }))),
                    "the notes now, and changed", vec![]),
            },
            "/api/projects/{id}/notes/history": read("自评说明的历史 / every version of the notes: {items: [{indicator_id, deviation_reason, remedy, annual_budget, current, recorded_at, recorded_by, ended_at, ended_by}]}", vec![]),
            "/api/projects/{id}/actuals": { "post": change("录入实际完成值 / record one actual value (indicator by code or name)",
                Some(obj(&["indicator", "date", "value"], json!({ "indicator": { "type": "string", "example": "1.1.1" }, "date": { "type": "string", "format": "date" }, "period": { "type": "string", "example": "2024-Q2" }, "value": { "type": "string", "example": "13500公里" }, "note": { "type": "string" }, "evidence": { "type": "string" } }))),
                "{added, replaced, unchanged}", vec![]) },
            "/api/projects/{id}/actuals/retract": { "post": change("撤回实际完成值（须说明原因）/ retract an actual value, with a reason",
                Some(obj(&["indicator", "period", "reason"], json!({ "indicator": { "type": "string" }, "period": { "type": "string" }, "reason": { "type": "string" } }))), "{retracted: true}", vec![]) },
            "/api/projects/{id}/spending": { "post": change("录入支出（执行数）/ record one spending record",
                Some(obj(&["date", "amount"], json!({ "date": { "type": "string", "format": "date" }, "amount": { "type": "string", "example": "360,000.00" }, "voucher": { "type": "string" }, "note": { "type": "string" } }))),
                "{added, replaced, unchanged}", vec![]) },
            "/api/projects/{id}/spending/retract": { "post": change("撤回支出（须说明原因）/ retract a spending record, with a reason",
                Some(obj(&["date", "reason"], json!({ "date": { "type": "string", "format": "date" }, "voucher": { "type": "string" }, "note": { "type": "string" }, "reason": { "type": "string" } }))), "{retracted: {date, amount, voucher, note}}", vec![]) },
    })
}

fn core() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "jixiao 绩效 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Performance targets of budget projects. Sign in with POST /api/session; the session is an HttpOnly cookie. Every state change (POST, DELETE) needs the header X-CSRF-Token with the csrf_token of GET /api/session, and a foreign Origin is refused (403). Every error has the body Error.",
        },
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "jixiao_session" },
                "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token" },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message_zh", "message_en", "diagnostics"],
                    "properties": {
                        "code": { "type": "string", "enum": ["invalid", "not_found", "ambiguous", "unauthenticated", "forbidden", "csrf", "cross_origin", "conflict", "unavailable", "internal", "bad_request", "method_not_allowed", "payload_too_large", "unsupported_media_type", "too_many_requests"] },
                        "message_zh": { "type": "string" },
                        "message_en": { "type": "string" },
                        "diagnostics": { "type": "array", "items": { "type": "object", "properties": {
                            "line": { "type": "integer" }, "column": {}, "level": { "type": "string" },
                            "zh": { "type": "string" }, "en": { "type": "string" } } } },
                    },
                },
                "Draft": {
                    "type": "object",
                    "description": "A declaration as canonical JSON (docs/form-json.md, one project, as GET /api/projects/{id} returns it). An indicator may leave out `code`, `line` and `target`: the target is always read again from `raw` by the import parser (a `target` sent that differs is replaced by the reading, with a warning). Every amount (`funds`, `project_funds` — all three or absent) is a decimal string as written (`\"9028372.00\"`); a value that does not read is refused (422) naming the field by its path (`field project_funds.fiscal: …`).",
                },
                "Session": {
                    "type": "object",
                    "properties": {
                        "user": { "type": "string" }, "role": { "type": "string", "enum": ["admin", "finance", "reviewer", "editor", "viewer"] },
                        "role_zh": { "type": "string" }, "unit": { "type": ["string", "null"] },
                        "department": { "type": ["string", "null"] }, "csrf_token": { "type": "string" },
                        "expires_at": { "type": "string" },
                    },
                },
            },
        },
        "security": [{ "session": [] }],
        "paths": {
            "/api/openapi.json": { "get": { "summary": "This document", "security": [], "responses": { "200": { "description": "OK" } } } },
            "/api/session": {
                "get": { "summary": "当前用户与 CSRF 令牌 / the current user and csrf_token",
                    "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Session" } } } }, "401": error_ref("未登录 / no session") } },
                "post": { "summary": "登录 / sign in", "security": [],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["username", "password"], "properties": { "username": { "type": "string" }, "password": { "type": "string" } } } } } },
                    "responses": { "200": { "description": "Signed in; Set-Cookie jixiao_session", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Session" } } } },
                        "401": error_ref("用户名或密码错误 / wrong user name or password"),
                        "403": error_ref("其他来源 / foreign Origin"),
                        "429": error_ref("登录失败过多（每用户名每分钟 5 次、每地址 30 次；期间正确密码也须等待）/ too many failed logins (5 per user name, 30 per address, per minute; the right password waits too)") } },
                "delete": { "summary": "退出 / sign out", "security": [{ "session": [], "csrf": [] }],
                    "responses": { "204": { "description": "Signed out" }, "401": error_ref("no session"), "403": error_ref("CSRF token missing or wrong") } },
            },
            "/api/projects": {
              "post": {
                "summary": "新建申报（草稿，本单位）/ create a declaration from scratch, a draft in the user's unit",
                "security": [{ "session": [], "csrf": [] }],
                "requestBody": json_body(obj(&["project"], json!({ "project": { "$ref": "#/components/schemas/Draft" } }))),
                "responses": {
                    "201": { "description": "{id, version: 1, status: draft, warnings}" },
                    "401": error_ref("no session"), "403": error_ref("role or unit may not write; CSRF"),
                    "409": error_ref("同年度同单位已有同名项目 / a project of that name exists"),
                    "422": error_ref("字段有误（如指标值无法识别），diagnostics 写明 indicators[k].raw 与列 / a field does not read (e.g. a target): diagnostics name indicators[k].raw and the column"),
                },
              },
              "get": {
                "summary": "当前用户可见的项目（分页）/ the declarations the user may see, paginated",
                "parameters": [
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1, "default": 1 } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 50 } },
                ],
                "responses": { "200": { "description": "{items, page, per_page, total}" }, "401": error_ref("no session"), "422": error_ref("bad page or per_page") },
            }},
            "/api/projects/{id}": read("项目（规范 JSON）/ the declaration, canonical JSON", vec![]),
            "/api/projects/{id}/evaluation": read("绩效自评表 / self-evaluation (docs/evaluation-json.md)", vec![]),
            "/api/projects/{id}/monitoring": read("绩效运行监控 / monitoring as of a date", vec![
                json!({ "name": "as_of", "in": "query", "required": true, "schema": { "type": "string", "format": "date" } }),
            ]),
            "/api/projects/{id}/audit": read("审计记录 / the audit trail: who, when, what, before and after", vec![]),
            "/api/imports": { "post": {
                "summary": "导入申报表（文本、CSV、XLSX、JSON）/ import a form; dry_run=true previews it and commits nothing",
                "security": [{ "session": [], "csrf": [] }],
                "parameters": [ { "name": "dry_run", "in": "query", "schema": { "type": "boolean", "default": false } } ],
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "required": ["file"], "properties": { "file": { "type": "string", "format": "binary" } } } } } },
                "responses": {
                    "200": { "description": "Imported ({added, replaced, unchanged}), or the preview ({dry_run: true, files: [{form, diagnostics, review}]})" },
                    "401": error_ref("no session"), "403": error_ref("role or unit may not import this; CSRF; foreign Origin"),
                    "413": error_ref("over the body limit (20 MB)"), "415": error_ref("not multipart/form-data"),
                    "422": error_ref("the file cannot be read: positioned diagnostics"),
                    "503": error_ref("解析池忙（Retry-After）/ the parse pool is busy: retry after Retry-After seconds; nothing was imported"),
                },
            }},
            "/api/reports/{kind}": { "get": {
                "summary": "报表文件：申报表、汇总表、监控表、自评表，XLSX 或 PDF / a report of the declarations the session may read, as a file",
                "parameters": [
                    { "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": ["declaration", "summary", "monitoring", "self-evaluation"] } },
                    { "name": "year", "in": "query", "required": true, "schema": { "type": "integer" }, "description": "年度 / year" },
                    { "name": "format", "in": "query", "schema": { "type": "string", "enum": ["xlsx", "pdf"], "default": "xlsx" } },
                    { "name": "unit", "in": "query", "schema": { "type": "string" }, "description": "实施单位 / only this unit" },
                    { "name": "department", "in": "query", "schema": { "type": "string" }, "description": "主管部门 / only this department" },
                    { "name": "project", "in": "query", "schema": { "type": "string" }, "description": "项目名称 / one declaration" },
                    { "name": "as_of", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "截至日期：监控表必填；汇总表的预警 / required for monitoring; the summary's lights" },
                ],
                "responses": {
                    "200": { "description": "The file (Content-Disposition: attachment)", "content": {
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } },
                        "application/pdf": { "schema": { "type": "string", "format": "binary" } },
                    } },
                    "401": error_ref("未登录 / no session"),
                    "404": error_ref("没有此报表，或所选范围内没有可见的项目 / no such report, or no declaration the session may read in the selection"),
                    "422": error_ref("year、format、as_of 有误，或监控表缺 as_of / bad year, format or as_of; as_of missing for monitoring"),
                    "503": error_ref("PDF 所需中文字体未安装（fonts-noto-cjk）/ the Chinese fonts of the PDF are not installed"),
                },
            }},
        },
    })
}
