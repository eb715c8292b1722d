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

/// The document.
pub fn document() -> Value {
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
                        "429": error_ref("登录失败过多（每用户每地址每分钟 5 次）/ too many failed logins") } },
                "delete": { "summary": "退出 / sign out", "security": [{ "session": [], "csrf": [] }],
                    "responses": { "204": { "description": "Signed out" }, "401": error_ref("no session"), "403": error_ref("CSRF token missing or wrong") } },
            },
            "/api/projects": { "get": {
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
                },
            }},
        },
    })
}
