//! [`ScimRuns`] on both databases: the same SQL (`migrations/0003_scim_runs.sql`).

use chrono::{DateTime, Utc};
use oin_wizard::domain::scim_report::ScimRun;
use sqlx::Row;

use super::{from_text, stamp, to_text, PostgresStore, SqliteStore};
use crate::error::ApiResult;
use crate::store::{ScimRuns, StoreFuture};

macro_rules! scim_runs_impl {
    ($store:ident) => {
        impl ScimRuns for $store {
            fn start_scim_run<'a>(
                &'a self,
                org_id: &'a str,
                run: &'a ScimRun,
                now: DateTime<Utc>,
                lease_until: DateTime<Utc>,
            ) -> StoreFuture<'a, bool> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    // One atomic statement: of two replicas racing, one inserts or takes over
                    // an expired lease; the other changes no row.
                    let taken = sqlx::query(
                        "INSERT INTO scim_run_leases (instance_id, run_id, expires_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (instance_id) DO UPDATE SET run_id = excluded.run_id, \
                           expires_at = excluded.expires_at \
                         WHERE scim_run_leases.expires_at < $4",
                    )
                    .bind(&run.instance_id)
                    .bind(&run.id)
                    .bind(stamp(lease_until))
                    .bind(stamp(now))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if taken != 1 {
                        tx.rollback().await?;
                        return Ok(false);
                    }
                    sqlx::query(
                        "INSERT INTO scim_runs (id, org_id, instance_id, submission_id, started_at, finished_at, passed, body) \
                         VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)",
                    )
                    .bind(&run.id)
                    .bind(org_id)
                    .bind(&run.instance_id)
                    .bind(&run.submission_id)
                    .bind(stamp(run.started_at))
                    .bind(to_text(run)?)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(true)
                })
            }

            fn save_scim_run<'a>(&'a self, org_id: &'a str, run: &'a ScimRun) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    sqlx::query(
                        "UPDATE scim_runs SET finished_at = $1, passed = $2, body = $3 \
                         WHERE id = $4 AND org_id = $5",
                    )
                    .bind(run.finished_at.map(stamp))
                    .bind(run.finished_at.map(|_| i64::from(run.passed())))
                    .bind(to_text(run)?)
                    .bind(&run.id)
                    .bind(org_id)
                    .execute(&mut *tx)
                    .await?;
                    if run.finished_at.is_some() {
                        sqlx::query("DELETE FROM scim_run_leases WHERE instance_id = $1 AND run_id = $2")
                            .bind(&run.instance_id)
                            .bind(&run.id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                })
            }

            fn latest_scim_run<'a>(
                &'a self,
                org_id: &'a str,
                instance_id: &'a str,
            ) -> StoreFuture<'a, Option<ScimRun>> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT body FROM scim_runs WHERE org_id = $1 AND instance_id = $2 \
                         ORDER BY started_at DESC, id DESC LIMIT 1",
                    )
                    .bind(org_id)
                    .bind(instance_id)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(|row| decode(&row.try_get::<String, _>("body")?))
                        .transpose()
                })
            }

            fn latest_scim_runs_of<'a>(
                &'a self,
                org_id: &'a str,
                submission_id: &'a str,
            ) -> StoreFuture<'a, Vec<ScimRun>> {
                Box::pin(async move {
                    let rows = sqlx::query(
                        "SELECT body, instance_id FROM scim_runs WHERE org_id = $1 AND submission_id = $2 \
                         ORDER BY started_at DESC, id DESC",
                    )
                    .bind(org_id)
                    .bind(submission_id)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut seen = std::collections::HashSet::new();
                    let mut out = Vec::new();
                    for row in rows {
                        let instance: String = row.try_get("instance_id")?;
                        if seen.insert(instance) {
                            out.push(decode(&row.try_get::<String, _>("body")?)?);
                        }
                    }
                    Ok(out)
                })
            }
        }
    };
}

fn decode(body: &str) -> ApiResult<ScimRun> {
    from_text(body)
}

scim_runs_impl!(SqliteStore);
scim_runs_impl!(PostgresStore);
