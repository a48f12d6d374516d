//! App instances (docs/api.md, "Instances"): generate, update, assign, toggle, delete, the
//! tester membership and **Test API Credentials**. Each is the domain's `testing::*` on the
//! locked org; secrets are drawn here at random and shown only where the contract says.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use oin_wizard::domain::api::{
    AssignRequest, GenerateInstanceRequest, ListResponse, SetActiveRequest,
};
use oin_wizard::domain::instances::InstanceUpdate;
use oin_wizard::domain::roles::Action;
use oin_wizard::domain::testing::{self, NewSecrets};
use oin_wizard::domain::{DomainError, ErrorCode, Instance, Org, Submission};
use oin_wizard::expr::seam::ExpressionLanguage;

use super::{no_content, now, ApiJson};
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store::{org_op, Scope};

fn need(submission: Option<&Submission>) -> Result<&Submission, DomainError> {
    submission.ok_or_else(|| {
        DomainError::new(
            ErrorCode::NotFound,
            "The integration this belongs to does not exist in your org",
        )
    })
}

/// Assignments name users and groups of this org only (a client cannot point an instance at
/// ids it made up or saw elsewhere).
fn check_members(
    org: &Org,
    users: Option<&[String]>,
    groups: Option<&[String]>,
) -> Result<(), DomainError> {
    for id in users.unwrap_or_default() {
        if !org.users.iter().any(|u| &u.id == id) {
            return Err(DomainError::new(
                ErrorCode::Rejected,
                format!("There is no user with id {id} in your org to assign"),
            ));
        }
    }
    for id in groups.unwrap_or_default() {
        if !org.groups.iter().any(|g| &g.id == id) {
            return Err(DomainError::new(
                ErrorCode::Rejected,
                format!("There is no group with id {id} in your org to assign"),
            ));
        }
    }
    Ok(())
}

async fn list(
    State(state): State<AppState>,
    signed: Signed,
) -> ApiResult<Json<ListResponse<Instance>>> {
    signed.allow_read()?;
    let org = state.store.read_org(signed.org()).await?;
    Ok(Json(ListResponse::new(
        org.instances.iter().map(Instance::redacted).collect(),
    )))
}

async fn get_one(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<Json<Instance>> {
    signed.allow(Action::Test)?;
    let org = state.store.read_org(signed.org()).await?;
    org.instances
        .into_iter()
        .find(|i| i.id == id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("instance", &id))
}

async fn generate(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(request): ApiJson<GenerateInstanceRequest>,
) -> ApiResult<Json<Instance>> {
    let token = |prefix: &str, len| state.keys.token(prefix, len).map_err(ApiError::internal);
    let secrets = NewSecrets {
        client_id: token("0oa", 17)?,
        client_secret: token("", 40)?,
        // The org invents no SCIM token (the admin enters the vendor's) and this server has
        // no IdP signing certificate to offer yet.
        signing_certificate: String::new(),
    };
    let id = token("0oa", 12)?;
    let user = signed.user().clone();
    let scope_id = request.submission_id.clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Submission(&scope_id),
        |org, submission| {
            testing::generate_instance(
                org,
                need(submission)?,
                &user,
                &request,
                &id,
                &secrets,
                now(),
                &ExpressionLanguage,
            )
        },
    )
    .await?;
    Ok(Json(instance))
}

async fn regenerate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<Instance>> {
    let token = |prefix: &str, len| state.keys.token(prefix, len).map_err(ApiError::internal);
    let secrets = NewSecrets {
        client_id: token("0oa", 17)?,
        client_secret: token("", 40)?,
        signing_certificate: String::new(),
    };
    let new_id = token("0oa", 12)?;
    let user = signed.user().clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Instance(&id),
        |org, submission| {
            if !org.instances.iter().any(|i| i.id == id) {
                return Err(DomainError::new(
                    ErrorCode::NotFound,
                    format!("There is no instance with id {id}: it may have been deleted"),
                ));
            }
            testing::regenerate_instance(
                org,
                need(submission)?,
                &user,
                &id,
                &new_id,
                &secrets,
                now(),
                &ExpressionLanguage,
            )
        },
    )
    .await?;
    // The replaced instance's SCIM OAuth tokens go with it (the new one authenticates anew).
    state.store.forget_scim_oauth(signed.org(), &id).await?;
    Ok(Json(instance))
}

async fn change(
    state: &AppState,
    signed: &Signed,
    id: &str,
    update: InstanceUpdate,
) -> ApiResult<Json<Instance>> {
    signed.allow(Action::Test)?;
    let user = signed.user().clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Instance(id),
        |org, submission| {
            if !org.instances.iter().any(|i| i.id == id) {
                return Err(DomainError::new(
                    ErrorCode::NotFound,
                    format!("There is no instance with id {id}: it may have been deleted"),
                ));
            }
            check_members(
                org,
                update.assigned_users.as_deref(),
                update.assigned_groups.as_deref(),
            )?;
            testing::update_instance(
                org,
                need(submission)?,
                &user,
                id,
                update,
                &ExpressionLanguage,
            )
            .map(|(instance, _removed)| instance.redacted())
        },
    )
    .await?;
    Ok(Json(instance))
}

async fn update(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<InstanceUpdate>,
) -> ApiResult<Json<Instance>> {
    change(&state, &signed, &id, update).await
}

async fn assign(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> ApiResult<Json<Instance>> {
    let update = InstanceUpdate {
        assigned_users: Some(request.user_ids),
        assigned_groups: Some(request.group_ids),
        ..InstanceUpdate::default()
    };
    change(&state, &signed, &id, update).await
}

async fn set_active(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SetActiveRequest>,
) -> ApiResult<Json<Instance>> {
    let user = signed.user().clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::OrgOnly,
        |org, _| testing::set_active(org, &user, &id, request.active).map(|i| i.redacted()),
    )
    .await?;
    Ok(Json(instance))
}

async fn delete(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let user = signed.user().clone();
    org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::OrgOnly,
        |org, _| testing::delete_instance(org, &user, &id),
    )
    .await?;
    state.store.forget_scim_oauth(signed.org(), &id).await?;
    Ok(no_content())
}

async fn add_to_tester(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<Instance>> {
    let user = signed.user().clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::Instance(&id),
        |org, submission| {
            if !org.instances.iter().any(|i| i.id == id) {
                return Err(DomainError::new(
                    ErrorCode::NotFound,
                    format!("There is no instance with id {id}: it may have been deleted"),
                ));
            }
            testing::add_to_tester(org, need(submission)?, &user, &id).map(|i| i.redacted())
        },
    )
    .await?;
    Ok(Json(instance))
}

async fn remove_from_tester(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> ApiResult<Json<Instance>> {
    let user = signed.user().clone();
    let instance = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::OrgOnly,
        |org, _| testing::remove_from_tester(org, &user, &id).map(|i| i.redacted()),
    )
    .await?;
    Ok(Json(instance))
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/instances", get(list).post(generate))
        .route("/instances/{id}", get(get_one).patch(update).delete(delete))
        .route("/instances/{id}/regenerate", post(regenerate))
        .route("/instances/{id}/active", post(set_active))
        .route("/instances/{id}/assignments", put(assign))
        .route(
            "/instances/{id}/tester",
            post(add_to_tester).delete(remove_from_tester),
        )
}
