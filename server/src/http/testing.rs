//! The Test integration page (docs/api.md, "Tester"): its one read (`TestingView::of`), the
//! tester session, and test runs (**Run test**, **Continue**, **Export results**), each decided
//! by the domain's `testing::*` with the server's clock.

use axum::extract::{Path, Query, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use oin_wizard::domain::api::{
    FinishRunRequest, ListResponse, StartRunRequest, TesterSessionResponse,
};
use oin_wizard::domain::testing::{self, TestingView};
use oin_wizard::domain::{DomainError, ErrorCode, Submission, TestRun, API_VERSION};
use serde::Deserialize;

use super::{now, ApiJson};
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store::{org_op, Scope};

async fn view(
    State(state): State<AppState>,
    signed: Signed,
    Path(submission_id): Path<String>,
) -> ApiResult<Json<TestingView>> {
    signed.allow_read()?;
    if state
        .store
        .get_submission(signed.org(), &submission_id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("integration", &submission_id));
    }
    let org = state.store.read_org(signed.org()).await?;
    Ok(Json(TestingView::of(&org, &submission_id)))
}

async fn get_session(
    State(state): State<AppState>,
    signed: Signed,
) -> ApiResult<Json<TesterSessionResponse>> {
    signed.allow_read()?;
    let org = state.store.read_org(signed.org()).await?;
    Ok(Json(TesterSessionResponse {
        api_version: API_VERSION,
        session: org.tester_session,
    }))
}

async fn start_session(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<TesterSessionResponse>> {
    let id = state.keys.token("ts-", 16).map_err(ApiError::internal)?;
    let user = signed.user().clone();
    let session = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::OrgOnly,
        |org, _| testing::start_tester_session(org, &user, &id, now()),
    )
    .await?;
    Ok(Json(TesterSessionResponse {
        api_version: API_VERSION,
        session: Some(session),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunsQuery {
    submission_id: Option<String>,
}

async fn list_runs(
    State(state): State<AppState>,
    signed: Signed,
    Query(query): Query<RunsQuery>,
) -> ApiResult<Json<ListResponse<TestRun>>> {
    signed.allow_read()?;
    let org = state.store.read_org(signed.org()).await?;
    let runs = match query.submission_id {
        Some(id) => TestingView::of(&org, &id).test_runs,
        None => org.test_runs,
    };
    Ok(Json(ListResponse::new(runs)))
}

fn need(submission: Option<&Submission>) -> Result<&Submission, DomainError> {
    submission.ok_or_else(|| {
        DomainError::new(
            ErrorCode::NotFound,
            "There is no such instance in your org, or its integration no longer exists",
        )
    })
}

async fn start_run(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(request): ApiJson<StartRunRequest>,
) -> ApiResult<Json<TestRun>> {
    let run_id = state.keys.token("run-", 16).map_err(ApiError::internal)?;
    let user = signed.user().clone();
    let instance_id = request.instance_id.clone();
    let run = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Instance(&instance_id),
        |org, submission| {
            testing::start_run(org, need(submission)?, &user, &request, &run_id, now())
        },
    )
    .await?;
    Ok(Json(run))
}

async fn finish_run(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<FinishRunRequest>,
) -> ApiResult<Json<TestRun>> {
    let user = signed.user().clone();
    let run = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Run(&id),
        |org, _| testing::finish_run(org, &user, &id, &request, now()),
    )
    .await?;
    Ok(Json(run))
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/testing/{submission_id}", get(view))
        .route("/tester/session", get(get_session).post(start_session))
        .route("/test-runs", get(list_runs).post(start_run))
        .route("/test-runs/{id}", put(finish_run))
}
