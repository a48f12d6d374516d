//! The SCIM runner in the server (issue 15): **Test API Credentials** really calls the
//! instance's SCIM server, and **Run SCIM tests** runs the conformance checks of SPEC 5.4 in
//! the background, one run per instance at a time (this process: [`RunLocks`]; every replica:
//! a lease row in the database), storing the steps as they complete and the report at the end.
//! A run finishes its cleanup even when the client that started it goes away.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use oin_scim_runner::{run_scim_tests_observed, test_credentials, Auth, RunConfig, RunLocks};
use oin_wizard::domain::api::ScimCheckResponse;
use oin_wizard::domain::roles::Action;
use oin_wizard::domain::scim_report::{Report, ScimRun, Step};
use oin_wizard::domain::{ErrorCode, Instance, Submission};
use oin_wizard::expr::seam::ExpressionLanguage;

use super::{now, ApiJson};
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};

/// The runner's share of the server's context: the start-up flag and the run locks.
#[derive(Clone, Debug, Default)]
pub struct ScimRunner {
    /// `--scim-allow-local`: the runner may call http URLs and non-public addresses.
    pub allow_local: bool,
    /// One run per instance in this process.
    pub locks: RunLocks,
}

impl ScimRunner {
    /// The runner with the start-up flag.
    pub fn new(allow_local: bool) -> ScimRunner {
        ScimRunner {
            allow_local,
            locks: RunLocks::new(),
        }
    }

    /// How long a run's lease lasts: the runner's own bound (run plus cleanup) and a margin,
    /// so a replica that died mid-run frees the instance.
    fn lease(config: &RunConfig) -> Duration {
        config.limits.run_timeout + config.limits.cleanup_timeout + Duration::from_secs(60)
    }
}

/// The instance (of the signed-in user's org) and its integration.
pub(crate) async fn instance_of(
    state: &AppState,
    signed: &Signed,
    id: &str,
) -> ApiResult<(Instance, Submission)> {
    let org = state.store.read_org(signed.org()).await?;
    let instance = org
        .instances
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| ApiError::not_found("instance", id))?;
    let submission = state
        .store
        .get_submission(signed.org(), &instance.submission_id)
        .await?
        .ok_or_else(|| ApiError::not_found("integration", &instance.submission_id))?;
    Ok((instance, submission))
}

/// The run configuration of an instance (the domain's checks first), with the server's flag.
/// OAuth 2.0 (SPEC 4.5: the authorization code grant) sends the access token the instance's
/// **Authenticate** obtained (`scim_oauth`), refreshed when it expires.
async fn config(
    state: &AppState,
    org_id: &str,
    submission: &Submission,
    instance: &Instance,
) -> Result<RunConfig, String> {
    let mut config = RunConfig::for_instance_with(
        submission,
        instance,
        &ExpressionLanguage,
        state.scim.allow_local,
    )?;
    if matches!(config.auth, Auth::OAuth2ClientCredentials { .. }) {
        let access_token =
            super::scim_oauth::access_token(state, org_id, submission, instance).await?;
        config.auth = Auth::OAuth2AccessToken { access_token };
    }
    Ok(config)
}

/// The answer to **Test API Credentials** from the runner's report of its one step.
pub fn check_response(report: Report) -> ScimCheckResponse {
    let exchange = report
        .step("credentials")
        .and_then(|s| s.exchanges.last())
        .or_else(|| report.steps.iter().flat_map(|s| s.exchanges.last()).last());
    ScimCheckResponse {
        ok: report.passed,
        not_run: false,
        message: report.headline(),
        called: report.steps.iter().any(|s| !s.exchanges.is_empty()),
        status: exchange.and_then(|e| e.response.as_ref().map(|r| r.status)),
        latency_ms: exchange.map(|e| e.duration_ms),
        report: Some(report),
    }
}

async fn scim_check(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<ScimCheckResponse>> {
    signed.allow(Action::Test)?;
    let (instance, submission) = instance_of(&state, &signed, &id).await?;
    let config = match config(&state, signed.org(), &submission, &instance).await {
        Ok(config) => config,
        Err(message) => {
            return Ok(Json(ScimCheckResponse {
                ok: false,
                message: format!("No request was sent: {message}"),
                ..ScimCheckResponse::default()
            }))
        }
    };
    Ok(Json(check_response(test_credentials(&config).await)))
}

async fn start_run(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<(StatusCode, Json<ScimRun>)> {
    signed.allow(Action::Test)?;
    let (instance, submission) = instance_of(&state, &signed, &id).await?;
    let config = config(&state, signed.org(), &submission, &instance)
        .await
        .map_err(|message| ApiError::refused(ErrorCode::Rejected, message))?;
    let permit = state
        .scim
        .locks
        .try_start(&instance.id)
        .map_err(|e| ApiError::refused(ErrorCode::Conflict, e.to_string()))?;
    let started = now();
    let run = ScimRun {
        id: state.keys.token("scim-", 16).map_err(ApiError::internal)?,
        instance_id: instance.id.clone(),
        submission_id: submission.id.clone(),
        started_at: started,
        finished_at: None,
        steps: Vec::new(),
        report: None,
    };
    let lease_until = started
        + chrono::Duration::from_std(ScimRunner::lease(&config)).map_err(ApiError::internal)?;
    let org_id = signed.org().to_string();
    if !state
        .store
        .start_scim_run(&org_id, &run, started, lease_until)
        .await?
    {
        return Err(ApiError::refused(
            ErrorCode::Conflict,
            "A SCIM test run for this instance is already in progress; wait for it to finish.",
        ));
    }
    // The run goes on in its own task: a client that goes away does not cut its cleanup.
    let task_state = state.clone();
    let mut stored = run.clone();
    tokio::spawn(async move {
        let _permit = permit;
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Step>();
        let work = async move {
            let mut on_step = move |step: &Step| {
                let _ = sender.send(step.clone());
            };
            run_scim_tests_observed(&config, &mut on_step).await
        };
        let progress = {
            let state = task_state.clone();
            let org_id = org_id.clone();
            let mut live = stored.clone();
            async move {
                while let Some(step) = receiver.recv().await {
                    live.steps.push(step);
                    if let Err(e) = state.store.save_scim_run(&org_id, &live).await {
                        tracing::warn!(error = ?e, run = %live.id, "could not save a SCIM run's progress");
                    }
                }
            }
        };
        let (report, ()) = tokio::join!(work, progress);
        stored.finished_at = Some(now());
        stored.steps = report.steps.clone();
        stored.report = Some(report);
        if let Err(e) = task_state.store.save_scim_run(&org_id, &stored).await {
            tracing::warn!(error = ?e, run = %stored.id, "could not save a SCIM run's report");
        }
    });
    Ok((StatusCode::ACCEPTED, Json(run)))
}

async fn latest_run(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<Json<ScimRun>> {
    signed.allow_read()?;
    state
        .store
        .latest_scim_run(signed.org(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| {
            ApiError::refused(
                ErrorCode::NotFound,
                format!("Instance {id} has no SCIM test run (or is not in your org)"),
            )
        })
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/instances/{id}/scim-check", post(scim_check))
        .route("/instances/{id}/scim-runs", post(start_run))
        .route("/instances/{id}/scim-runs/latest", get(latest_run))
}
