//! [`ScimOauthStore`] on both databases: the same SQL (`migrations/0004_scim_oauth.sql`). The
//! store keeps sealed text only; sealing and opening are the handler's (`http::scim_oauth`).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{stamp, PostgresStore, SqliteStore};
use crate::store::{PendingScimOauth, ScimOauthStore, StoreFuture};

macro_rules! scim_oauth_impl {
    ($store:ident) => {
        impl ScimOauthStore for $store {
            fn put_scim_oauth_state<'a>(
                &'a self,
                state_hash: &'a str,
                pending: &'a PendingScimOauth,
                expires_at: DateTime<Utc>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO scim_oauth_states (state_hash, org_id, instance_id, verifier, expires_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(state_hash)
                    .bind(&pending.org_id)
                    .bind(&pending.instance_id)
                    .bind(&pending.sealed_verifier)
                    .bind(stamp(expires_at))
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn take_scim_oauth_state<'a>(
                &'a self,
                state_hash: &'a str,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, Option<PendingScimOauth>> {
                Box::pin(async move {
                    // One statement: a state is used once, even by two callbacks racing.
                    let row = sqlx::query(
                        "DELETE FROM scim_oauth_states WHERE state_hash = $1 \
                         RETURNING org_id, instance_id, verifier, expires_at",
                    )
                    .bind(state_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                    // Expired ones go too (each start also clears the expired).
                    sqlx::query("DELETE FROM scim_oauth_states WHERE expires_at < $1")
                        .bind(stamp(now))
                        .execute(&self.pool)
                        .await?;
                    let Some(row) = row else { return Ok(None) };
                    let expires: String = row.try_get("expires_at")?;
                    if expires < stamp(now) {
                        return Ok(None);
                    }
                    Ok(Some(PendingScimOauth {
                        org_id: row.try_get("org_id")?,
                        instance_id: row.try_get("instance_id")?,
                        sealed_verifier: row.try_get("verifier")?,
                    }))
                })
            }

            fn put_scim_oauth_tokens<'a>(
                &'a self,
                org_id: &'a str,
                instance_id: &'a str,
                sealed: &'a str,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO scim_oauth_tokens (org_id, instance_id, sealed, updated_at) \
                         VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (org_id, instance_id) DO UPDATE SET sealed = excluded.sealed, \
                           updated_at = excluded.updated_at",
                    )
                    .bind(org_id)
                    .bind(instance_id)
                    .bind(sealed)
                    .bind(stamp(now))
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn scim_oauth_tokens<'a>(
                &'a self,
                org_id: &'a str,
                instance_id: &'a str,
            ) -> StoreFuture<'a, Option<String>> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT sealed FROM scim_oauth_tokens WHERE org_id = $1 AND instance_id = $2",
                    )
                    .bind(org_id)
                    .bind(instance_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(|r| r.try_get::<String, _>("sealed"))
                        .transpose()
                        .map_err(Into::into)
                })
            }

            fn forget_scim_oauth<'a>(
                &'a self,
                org_id: &'a str,
                instance_id: &'a str,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    for sql in [
                        "DELETE FROM scim_oauth_tokens WHERE org_id = $1 AND instance_id = $2",
                        "DELETE FROM scim_oauth_states WHERE org_id = $1 AND instance_id = $2",
                    ] {
                        sqlx::query(sql)
                        .bind(org_id)
                        .bind(instance_id)
                        .execute(&self.pool)
                        .await?;
                    }
                    Ok(())
                })
            }
        }
    };
}

scim_oauth_impl!(SqliteStore);
scim_oauth_impl!(PostgresStore);
