//! 用户与机构 — the users (list, add with role, unit and department) and the org tree
//! (departments → units). `jixiao_app` refuses anyone but an administrator (403).

use askama::Template;
use axum::extract::State as S;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use jixiao_app::OrgDepartment;
use jixiao_app::{NewAccount, UserView};
use jixiao_model::Role;
use serde::Deserialize;

use axum::routing::get;
use axum::Router;

use crate::error::Error;
use crate::extract::{csrf_field, opt, PageUser, Params, Posted};
use crate::state::{AppState, State};
use crate::view::{encode, render_with, Frame, PageResult};

/// The routes of administration.
pub fn router() -> Router<State> {
    Router::new().route("/admin/users", get(page).post(add))
}

#[derive(Template)]
#[template(path = "admin.html")]
struct Page {
    f: Frame,
    users: Vec<UserView>,
    org: Vec<OrgDepartment>,
    roles: [Role; 5],
    form: AddForm,
    failure: Option<Error>,
    added: Option<String>,
}

impl Page {
    fn role_selected(&self, r: &Role) -> bool {
        self.form.role == r.id()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    csrf: String,
    username: String,
    password: String,
    role: String,
    unit: String,
    department: String,
}

csrf_field!(AddForm);

async fn show(
    state: &State,
    user: &PageUser,
    form: AddForm,
    failure: Option<Error>,
    added: Option<String>,
) -> PageResult {
    let actor = user.actor();
    let users = state.app.users(actor).await?;
    let org = state.app.org_tree(actor).await?;
    let status = failure.as_ref().map_or(StatusCode::OK, |f| f.status);
    render_with(
        status,
        &Page {
            f: user.frame("admin"),
            users,
            org,
            roles: [
                Role::Editor,
                Role::Viewer,
                Role::Reviewer,
                Role::Finance,
                Role::Admin,
            ],
            form,
            failure,
            added,
        },
    )
}

/// `GET /admin/users[?added=NAME]`.
pub async fn page(S(state): AppState, user: PageUser, Params(q): Params) -> PageResult {
    let added = opt(&q, "added");
    show(&state, &user, AddForm::default(), None, added).await
}

/// `POST /admin/users`: adds a user; a bad name, a short password or a taken name shows the
/// form again with the reason.
pub async fn add(S(state): AppState, Posted { user, mut form }: Posted<AddForm>) -> PageResult {
    let role = match form.role.parse::<Role>() {
        Ok(r) => r,
        Err(_) => {
            let f = Error::invalid(
                format!("角色「{}」无效", form.role),
                format!("invalid role {:?}", form.role),
            );
            form.password.clear();
            return show(&state, &user, form, Some(f), None).await;
        }
    };
    let clean = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let account = NewAccount {
        username: form.username.trim().to_string(),
        role,
        unit: clean(&form.unit),
        department: clean(&form.department),
    };
    match state
        .app
        .add_user(user.actor(), &account, &form.password)
        .await
    {
        Ok(a) => Ok((
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/admin/users?added={}", encode(&a.name)),
            )],
        )
            .into_response()),
        Err(e)
            if matches!(
                e.kind(),
                jixiao_app::ErrorKind::Invalid | jixiao_app::ErrorKind::Conflict
            ) =>
        {
            form.password.clear();
            show(&state, &user, form, Some(Error::from(e)), None).await
        }
        Err(e) => Err(Error::from(e)),
    }
}
