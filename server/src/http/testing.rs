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

use axum::http::header;
use axum::response::IntoResponse;

use super::{idp, now, ApiJson};
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
    Ok(Json(TestingView {
        scim_oauth_redirect_uri: super::scim_oauth::redirect_uri(&state),
        ..TestingView::of(&org, &submission_id)
    }))
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

/// A started run, and for a JIT run the temporary user's one-time password (shown once).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct StartedRun {
    #[serde(flatten)]
    run: TestRun,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_time_password: Option<String>,
}

async fn start_run(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(request): ApiJson<StartRunRequest>,
) -> ApiResult<axum::response::Response> {
    let run_id = state.keys.token("run-", 16).map_err(ApiError::internal)?;
    // A JIT run's temporary user gets a password drawn here (shown once in the answer).
    let jit_password = state.keys.token("Jit-", 24).map_err(ApiError::internal)?;
    let user = signed.user().clone();
    let instance_id = request.instance_id.clone();
    let run = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Instance(&instance_id),
        |org, submission| {
            testing::start_run(
                org,
                need(submission)?,
                &user,
                &request,
                &run_id,
                &jit_password,
                now(),
            )
        },
    )
    .await?;
    // The identity provider's side (issue 14): the run cookie ties its requests to this run;
    // a JIT run's temporary user gets a one-time password.
    let one_time_password = idp::issue_jit_credential(&state, signed.org(), &run).await?;
    // The credential the app shows once is the one this identity provider accepts.
    let mut run = run;
    if let Some(password) = &one_time_password {
        run.jit_password = password.clone();
    }
    let cookie = idp::run_cookie(&state.settings, signed.org(), &run.id);
    let mut response = Json(StartedRun {
        run,
        one_time_password,
    })
    .into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
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
        |org, _| {
            let mut run = testing::finish_run(org, &user, &id, &request, now())?;
            if idp::saw_requests(&run) {
                // The identity provider watched this sign-in: the run is observed (its verdict
                // step stays the user's word, self-reported).
                run.source = oin_wizard::domain::RecordSource::Observed;
                if let Some(stored) = org.test_runs.iter_mut().find(|r| r.id == id) {
                    stored.source = oin_wizard::domain::RecordSource::Observed;
                }
            } else {
                let warning = oin_wizard::domain::TestStep {
                    at: now(),
                    description: "Warning: the identity provider saw no request for this run (did the app reuse an earlier session, or was the sign-in made elsewhere?)".into(),
                    ok: false,
                    // The server observed that its identity provider saw nothing.
                    source: oin_wizard::domain::RecordSource::Observed,
                };
                if let Some(stored) = org.test_runs.iter_mut().find(|r| r.id == id) {
                    stored.steps.push(warning.clone());
                }
                run.steps.push(warning);
            }
            Ok(run)
        },
    )
    .await?;
    idp::end_run(&state, &run.id).await?;
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
