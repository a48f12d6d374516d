//! The org's users and groups (docs/api.md, "Users and groups"): lists, and creating a test
//! user (org admin or super admin, `testing::create_test_user`).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use oin_wizard::domain::api::ListResponse;
use oin_wizard::domain::testing::create_test_user;
use oin_wizard::domain::{Group, User};

use super::ApiJson;
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};
use crate::store::{org_op, Scope};

async fn list_users(
    State(state): State<AppState>,
    signed: Signed,
) -> ApiResult<Json<ListResponse<User>>> {
    signed.allow_read()?;
    let org = state.store.read_org(signed.org()).await?;
    Ok(Json(ListResponse::new(org.users)))
}

async fn list_groups(
    State(state): State<AppState>,
    signed: Signed,
) -> ApiResult<Json<ListResponse<Group>>> {
    signed.allow_read()?;
    let org = state.store.read_org(signed.org()).await?;
    Ok(Json(ListResponse::new(org.groups)))
}

async fn create_user(
    State(state): State<AppState>,
    signed: Signed,
    ApiJson(new_user): ApiJson<User>,
) -> ApiResult<Json<User>> {
    let id = state.keys.token("00u", 17).map_err(ApiError::internal)?;
    let user = signed.user().clone();
    let created = org_op(
        state.store.as_ref(),
        signed.org(),
        Scope::OrgOnly,
        |org, _| create_test_user(org, &user, new_user, &id),
    )
    .await?;
    Ok(Json(created))
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/groups", get(list_groups))
}
