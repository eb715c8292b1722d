//! 流程 — the workflow forms of the declaration page: 提交, 退回 (with a comment), 批准, and
//! comments on the declaration or one of its indicators. Each posts to
//! `/projects/{id}/{action}`; the app decides whether the actor may (a refusal is the
//! declaration page again with the message, nothing changed); done, it redirects (303) to
//! `/projects/{id}?done=…`.

use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect};
use jixiao_app::AppError;
use serde::Deserialize;

use super::project::show;
use super::{id_of, CsrfField, PageResult, PageUser, Posted};
use crate::State;

/// The form of every workflow action (`comment` and `indicator` where they apply).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
    /// The comment (退回: required; 批准: optional; 意见: required).
    #[serde(default)]
    comment: String,
    /// The indicator's stable id a comment is about; empty for the whole declaration.
    #[serde(default)]
    indicator: String,
}

impl CsrfField for ActionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn finish(
    state: &State,
    user: &PageUser,
    id: i64,
    done: &str,
    r: Result<(), AppError>,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}?done={done}")).into_response()),
        Err(e) => show(state, user, id, Some(e.into()), None).await,
    }
}

/// `POST /projects/{id}/submit`.
pub(crate) async fn submit(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, .. }: Posted<ActionForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let r = state
        .app
        .submit(user.actor(), id, &state.options.review_policy)
        .await
        .map(drop);
    finish(&state, &user, id, "submitted", r).await
}

/// `POST /projects/{id}/return` (`comment` required).
pub(crate) async fn give_back(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let r = state
        .app
        .return_declaration(
            user.actor(),
            id,
            &form.comment,
            &state.options.review_policy,
        )
        .await
        .map(drop);
    finish(&state, &user, id, "returned", r).await
}

/// `POST /projects/{id}/approve` (`comment` optional).
pub(crate) async fn approve(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let r = state
        .app
        .approve(
            user.actor(),
            id,
            Some(form.comment.as_str()),
            &state.options.review_policy,
        )
        .await
        .map(drop);
    finish(&state, &user, id, "approved", r).await
}

/// `POST /projects/{id}/comment` (`comment` required, `indicator` an indicator id or empty).
pub(crate) async fn comment(
    S(state): S<State>,
    Path(raw): Path<String>,
    Posted { user, form }: Posted<ActionForm>,
) -> PageResult {
    let id = id_of(&user, &raw)?;
    let indicator = match form.indicator.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = AppError::invalid(
                    format!("indicator=「{t}」不是指标编号（整数）"),
                    format!("indicator={t:?} is not an indicator id (a whole number)"),
                );
                return show(&state, &user, id, Some(e.into()), None).await;
            }
        },
    };
    let r = state
        .app
        .comment(user.actor(), id, indicator, &form.comment)
        .await
        .map(drop);
    finish(&state, &user, id, "commented", r).await
}
