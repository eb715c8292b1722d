//! 接口文档 — the OpenAPI 3.1 document (`GET /api/openapi.json`), gathered by `utoipa` from the
//! handlers' `#[utoipa::path]` and the types of `crate::openapi`.

use axum::Json;
use serde_json::Value;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::OpenApi;

use crate::{
    actuals, declarations, evaluation, imports, library, reports, session, spending, workflow,
};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "jixiao 绩效 API",
        description = "Performance targets of budget projects. Sign in with POST /api/session; the session is an HttpOnly cookie. Every state change (POST, PUT, DELETE) needs the header X-CSRF-Token with the csrf_token of GET /api/session, and a foreign Origin is refused (403). Every error has the body Error; every answer carries X-Request-Id."
    ),
    paths(
        openapi_json,
        session::session_get,
        session::session_post,
        session::session_delete,
        declarations::projects_list,
        declarations::create,
        declarations::project_get,
        declarations::save,
        declarations::project_audit,
        declarations::check_target,
        declarations::check_draft,
        workflow::state,
        workflow::submit,
        workflow::return_,
        workflow::approve,
        workflow::adjust,
        workflow::comments,
        workflow::comment,
        actuals::actual,
        actuals::retract_actual,
        spending::spending,
        spending::retract_spending_json,
        evaluation::project_evaluation,
        evaluation::project_monitoring,
        evaluation::notes,
        evaluation::set_notes,
        evaluation::notes_history,
        imports::imports_post,
        reports::report_get,
        library::library_search,
        library::project_history,
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&Security),
    security(("session" = []))
)]
struct ApiDoc;

/// The session cookie and the CSRF header, as security schemes.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::extract::COOKIE))),
        );
        c.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-CSRF-Token"))),
        );
    }
}

/// The document as JSON.
pub fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null)
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", security(()), responses((status = 200, description = "OK", body = serde_json::Value)))]
pub async fn openapi_json() -> Json<Value> {
    Json(document())
}
