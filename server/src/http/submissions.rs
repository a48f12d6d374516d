//! Submissions (docs/api.md, "Submission", "Dashboard list", "Submit and review"): every status
//! change and save is the domain's (`transitions::*`), inside one store transaction that checks
//! and bumps `version`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use oin_wizard::domain::api::{ListResponse, ReviewRequest, SubmitRequest};
use oin_wizard::domain::roles::Action;
use oin_wizard::domain::transitions::{
    can_delete, create_submission, edit_published, review_request, save_edit, submit_request,
    withdraw,
};
use oin_wizard::domain::{Submission, SubmitContext};
use oin_wizard::expr::seam::ExpressionLanguage;

use super::{now, ApiJson};
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};

/// The dashboard list: the stored summaries as they are (`Store::list_submissions`).
async fn list(
    State(state): State<AppState>,
    signed: Signed,
) -> ApiResult<Json<ListResponse<Box<serde_json::value::RawValue>>>> {
    signed.allow(Action::ViewSubmissions)?;
    let rows = state.store.list_submissions(signed.org()).await?;
    Ok(Json(ListResponse::new(rows)))
}

async fn get_one(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<Json<Submission>> {
    signed.allow(Action::ViewSubmissions)?;
    state
        .store
        .get_submission(signed.org(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("integration", &id))
}

async fn create(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<Submission>> {
    let id = state.keys.token("sub-", 16).map_err(ApiError::internal)?;
    let submission = create_submission(&id, signed.user(), now())?;
    state
        .store
        .insert_submission(signed.org(), &submission)
        .await?;
    Ok(Json(submission))
}

async fn save(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(edited): ApiJson<Submission>,
) -> ApiResult<Json<Submission>> {
    let user = signed.user().clone();
    let time = now();
    let saved = state
        .store
        .change_submission(signed.org(), &id, false, &mut |stored, _| {
            save_edit(stored, &edited, &user, time)
        })
        .await?;
    Ok(Json(saved))
}

async fn edit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<Submission>> {
    let user = signed.user().clone();
    let time = now();
    let edited = state
        .store
        .change_submission(signed.org(), &id, false, &mut |stored, _| {
            edit_published(stored, &user, time)
        })
        .await?;
    Ok(Json(edited))
}

async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SubmitRequest>,
) -> ApiResult<Json<Submission>> {
    let user = signed.user().clone();
    // Issue 15: the server has the SCIM runner, so its latest run of each instance of this
    // integration may stand in for the pasted result links (the domain decides which count).
    let scim_runs = state.store.latest_scim_runs_of(signed.org(), &id).await?;
    let time = now();
    let submitted = state
        .store
        .change_submission(signed.org(), &id, true, &mut |stored, org| {
            submit_request(
                &SubmitContext {
                    submission: stored,
                    org,
                    user: &user,
                    now: time,
                    certified: request.certified,
                    expressions: &ExpressionLanguage,
                    scim_runs: Some(&scim_runs),
                },
                &request,
            )
        })
        .await?;
    Ok(Json(submitted))
}

async fn review(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> ApiResult<Json<Submission>> {
    let user = signed.user().clone();
    let time = now();
    let reviewed = state
        .store
        .change_submission(signed.org(), &id, false, &mut |stored, _| {
            review_request(stored, &user, &request, time)
        })
        .await?;
    Ok(Json(reviewed))
}

/// **Delete draft** (`DELETE /submissions/{id}`): 204, or the domain's refusal.
async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    signed.allow(Action::EditSubmissions)?;
    let user = signed.user().clone();
    state
        .store
        .delete_submission(signed.org(), &id, &mut |stored| {
            can_delete(&stored.summary(), &user)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// **Withdraw submission** (`POST /submissions/{id}/withdraw`): OIN to review → Draft.
async fn withdraw_one(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<Submission>> {
    let user = signed.user().clone();
    let time = now();
    let withdrawn = state
        .store
        .change_submission(signed.org(), &id, false, &mut |stored, _| {
            withdraw(stored, &user, time)
        })
        .await?;
    Ok(Json(withdrawn))
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/submissions", get(list).post(create))
        .route("/submissions/{id}", get(get_one).put(save).delete(delete))
        .route("/submissions/{id}/edit", post(edit))
        .route("/submissions/{id}/submit", post(submit))
        .route("/submissions/{id}/review", post(review))
        .route("/submissions/{id}/withdraw", post(withdraw_one))
}
