//! The SQL of the store, written once and instantiated for SQLite and PostgreSQL
//! ([`store_impl!`]). Both run the same statements (`$n` parameters, `ON CONFLICT`,
//! `RETURNING`); they differ only in how a write transaction locks: SQLite takes the database's
//! write lock up front (`BEGIN IMMEDIATE`, so two writers never deadlock upgrading a read),
//! PostgreSQL locks the rows it reads with `FOR UPDATE`.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use oin_wizard::domain::{
    DomainError, ErrorCode, Group, Instance, Org, Submission, TestRun, TesterSession, User,
};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Row, SqlitePool};

use super::{
    Account, NewAccount, OrgChange, Scope, Store, StoreFuture, SubmissionChange, SubmissionCheck,
};
use crate::error::{ApiError, ApiResult};
use crate::keys::Keys;

mod scim_oauth;
mod scim_runs;

/// The migrations, embedded at build time; the same files for both databases.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A time as stored: RFC 3339 UTC with a fixed width, so text order is time order.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(super) fn parse_stamp(text: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::internal(format!("stored time {text:?}: {e}")))
}

fn to_text<T: Serialize>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::internal(format!("encoding a row: {e}")))
}

fn from_text<T: for<'de> Deserialize<'de>>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text).map_err(|e| ApiError::internal(format!("decoding a row: {e}")))
}

/// The secrets of a submission (and of its published snapshot), sealed apart from its body.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
struct SubmissionSecrets {
    password: String,
    client_secret: String,
    published_password: String,
    published_client_secret: String,
}

/// A submission's body without secrets, and its secrets.
fn split_submission(s: &Submission) -> (Submission, SubmissionSecrets) {
    let mut body = s.clone();
    let mut secrets = SubmissionSecrets {
        password: std::mem::take(&mut body.test_info.password),
        client_secret: std::mem::take(&mut body.scim.oauth.client_secret),
        ..SubmissionSecrets::default()
    };
    if let Some(p) = body.published.as_mut() {
        secrets.published_password = std::mem::take(&mut p.submission.test_info.password);
        secrets.published_client_secret =
            std::mem::take(&mut p.submission.scim.oauth.client_secret);
    }
    (body, secrets)
}

fn join_submission(mut body: Submission, secrets: SubmissionSecrets) -> Submission {
    body.test_info.password = secrets.password;
    body.scim.oauth.client_secret = secrets.client_secret;
    if let Some(p) = body.published.as_mut() {
        p.submission.test_info.password = secrets.published_password;
        p.submission.scim.oauth.client_secret = secrets.published_client_secret;
    }
    body
}

/// The secrets of an instance: what the customer admin saw once.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
struct InstanceSecrets {
    client_secret: String,
    token: String,
}

fn split_instance(i: &Instance) -> (Instance, InstanceSecrets) {
    let mut body = i.clone();
    let mut secrets = InstanceSecrets::default();
    if let Some(d) = body.details.oidc.as_mut() {
        secrets.client_secret = std::mem::take(&mut d.client_secret);
    }
    if let Some(d) = body.details.scim.as_mut() {
        secrets.token = std::mem::take(&mut d.token);
    }
    (body, secrets)
}

fn join_instance(mut body: Instance, secrets: InstanceSecrets) -> Instance {
    if let Some(d) = body.details.oidc.as_mut() {
        d.client_secret = secrets.client_secret;
    }
    if let Some(d) = body.details.scim.as_mut() {
        d.token = secrets.token;
    }
    body
}

fn seal<T: Serialize>(keys: &Keys, context: &str, value: &T) -> ApiResult<String> {
    keys.seal(context, to_text(value)?.as_bytes())
        .map_err(ApiError::internal)
}

fn unseal<T: for<'de> Deserialize<'de>>(keys: &Keys, context: &str, sealed: &str) -> ApiResult<T> {
    let plain = keys.open(context, sealed).map_err(ApiError::internal)?;
    serde_json::from_slice(&plain).map_err(|e| ApiError::internal(format!("secrets: {e}")))
}

/// The row of a submission: (version, status, updated, summary, body, secrets).
fn submission_row(
    keys: &Keys,
    s: &Submission,
) -> ApiResult<(i64, String, String, String, String, String)> {
    let (body, secrets) = split_submission(s);
    Ok((
        i64::from(s.version),
        to_text(&s.status)?,
        stamp(s.updated),
        to_text(&s.summary())?,
        to_text(&body)?,
        seal(keys, &format!("submission:{}", s.id), &secrets)?,
    ))
}

fn decode_submission(keys: &Keys, id: &str, body: &str, secrets: &str) -> ApiResult<Submission> {
    let body: Submission = from_text(body)?;
    let secrets = unseal(keys, &format!("submission:{id}"), secrets)?;
    Ok(join_submission(body, secrets))
}

fn not_found_submission(id: &str) -> ApiError {
    ApiError::not_found("integration", id)
}

/// The items of `after` that are new or changed since `before`, and the ids gone.
fn diff<'a, T: PartialEq>(
    before: &'a [T],
    after: &'a [T],
    id: impl Fn(&T) -> &str,
) -> (Vec<&'a T>, Vec<&'a T>, Vec<&'a str>) {
    let old: BTreeMap<&str, &T> = before.iter().map(|t| (id(t), t)).collect();
    let new_ids: Vec<&str> = after.iter().map(&id).collect();
    let mut inserted = Vec::new();
    let mut updated = Vec::new();
    for item in after {
        match old.get(id(item)) {
            None => inserted.push(item),
            Some(prev) if *prev != item => updated.push(item),
            Some(_) => {}
        }
    }
    let removed = before
        .iter()
        .map(&id)
        .filter(|i| !new_ids.contains(i))
        .collect();
    (inserted, updated, removed)
}

/// The store's body, instantiated per database. `$for_update` is appended to reads inside a
/// write transaction.
macro_rules! store_impl {
    ($store:ident, $db:ty, $for_update:literal) => {
        impl $store {
            async fn load_submission(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                org_id: &str,
                id: &str,
                lock: bool,
            ) -> ApiResult<Option<Submission>> {
                let row = if lock {
                    sqlx::query(concat!(
                        "SELECT body, secrets FROM submissions WHERE id = $1 AND org_id = $2",
                        $for_update
                    ))
                    .bind(id)
                    .bind(org_id)
                    .fetch_optional(&mut *conn)
                    .await?
                } else {
                    sqlx::query("SELECT body, secrets FROM submissions WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org_id)
                        .fetch_optional(&mut *conn)
                        .await?
                };
                match row {
                    None => Ok(None),
                    Some(row) => {
                        let body: String = row.try_get("body")?;
                        let secrets: String = row.try_get("secrets")?;
                        decode_submission(&self.keys, id, &body, &secrets).map(Some)
                    }
                }
            }

            async fn load_org(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                org_id: &str,
            ) -> ApiResult<Org> {
                let row = sqlx::query("SELECT url, tester_session FROM orgs WHERE id = $1")
                    .bind(org_id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or_else(|| ApiError::internal(format!("org {org_id} is missing")))?;
                let url: String = row.try_get("url")?;
                let session: Option<String> = row.try_get("tester_session")?;
                let mut org = Org {
                    url,
                    tester_session: match session {
                        Some(text) => Some(from_text::<TesterSession>(&text)?),
                        None => None,
                    },
                    ..Org::default()
                };
                for row in sqlx::query("SELECT body FROM users WHERE org_id = $1 ORDER BY seq")
                    .bind(org_id)
                    .fetch_all(&mut *conn)
                    .await?
                {
                    org.users.push(from_text(&row.try_get::<String, _>("body")?)?);
                }
                for row in
                    sqlx::query("SELECT body FROM user_groups WHERE org_id = $1 ORDER BY seq")
                        .bind(org_id)
                        .fetch_all(&mut *conn)
                        .await?
                {
                    org.groups.push(from_text(&row.try_get::<String, _>("body")?)?);
                }
                for row in sqlx::query(
                    "SELECT id, body, secrets FROM instances WHERE org_id = $1 ORDER BY seq",
                )
                .bind(org_id)
                .fetch_all(&mut *conn)
                .await?
                {
                    let id: String = row.try_get("id")?;
                    let body: Instance = from_text(&row.try_get::<String, _>("body")?)?;
                    let secrets = unseal(
                        &self.keys,
                        &format!("instance:{id}"),
                        &row.try_get::<String, _>("secrets")?,
                    )?;
                    org.instances.push(join_instance(body, secrets));
                }
                for row in sqlx::query("SELECT body FROM test_runs WHERE org_id = $1 ORDER BY seq")
                    .bind(org_id)
                    .fetch_all(&mut *conn)
                    .await?
                {
                    org.test_runs.push(from_text(&row.try_get::<String, _>("body")?)?);
                }
                Ok(org)
            }

            /// Writes back what the domain changed in the org (inserts, updates, deletes).
            async fn save_org(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                org_id: &str,
                before: &Org,
                after: &Org,
                now: DateTime<Utc>,
            ) -> ApiResult<()> {
                if before.url != after.url {
                    sqlx::query("UPDATE orgs SET url = $2 WHERE id = $1")
                        .bind(org_id)
                        .bind(&after.url)
                        .execute(&mut *conn)
                        .await?;
                }
                if before.tester_session != after.tester_session {
                    let session = match &after.tester_session {
                        Some(s) => Some(to_text(s)?),
                        None => None,
                    };
                    sqlx::query("UPDATE orgs SET tester_session = $2 WHERE id = $1")
                        .bind(org_id)
                        .bind(session)
                        .execute(&mut *conn)
                        .await?;
                }

                // Users: test users and JIT users come and go; accounts are never deleted here.
                let (inserted, updated, removed) =
                    diff(&before.users, &after.users, |u: &User| u.id.as_str());
                let mut seq = self.next_seq(conn, "users", org_id).await?;
                for u in inserted {
                    sqlx::query(
                        "INSERT INTO users (id, org_id, seq, email, email_key, body, password_hash, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
                    )
                    .bind(&u.id)
                    .bind(org_id)
                    .bind(seq)
                    .bind(&u.email)
                    .bind(u.email.to_lowercase())
                    .bind(to_text(u)?)
                    .bind(stamp(now))
                    .execute(&mut *conn)
                    .await?;
                    seq += 1;
                }
                for u in updated {
                    sqlx::query(
                        "UPDATE users SET email = $3, email_key = $4, body = $5 WHERE id = $1 AND org_id = $2",
                    )
                    .bind(&u.id)
                    .bind(org_id)
                    .bind(&u.email)
                    .bind(u.email.to_lowercase())
                    .bind(to_text(u)?)
                    .execute(&mut *conn)
                    .await?;
                }
                for id in removed {
                    sqlx::query(
                        "DELETE FROM users WHERE id = $1 AND org_id = $2 AND password_hash IS NULL",
                    )
                    .bind(id)
                    .bind(org_id)
                    .execute(&mut *conn)
                    .await?;
                }

                let (inserted, updated, removed) =
                    diff(&before.groups, &after.groups, |g: &Group| g.id.as_str());
                let mut seq = self.next_seq(conn, "user_groups", org_id).await?;
                for g in inserted {
                    sqlx::query(
                        "INSERT INTO user_groups (id, org_id, seq, body) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&g.id)
                    .bind(org_id)
                    .bind(seq)
                    .bind(to_text(g)?)
                    .execute(&mut *conn)
                    .await?;
                    seq += 1;
                }
                for g in updated {
                    sqlx::query("UPDATE user_groups SET body = $3 WHERE id = $1 AND org_id = $2")
                        .bind(&g.id)
                        .bind(org_id)
                        .bind(to_text(g)?)
                        .execute(&mut *conn)
                        .await?;
                }
                for id in removed {
                    sqlx::query("DELETE FROM user_groups WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org_id)
                        .execute(&mut *conn)
                        .await?;
                }

                let (inserted, updated, removed) =
                    diff(&before.instances, &after.instances, |i: &Instance| i.id.as_str());
                let mut seq = self.next_seq(conn, "instances", org_id).await?;
                for i in inserted {
                    let (body, secrets) = split_instance(i);
                    sqlx::query(
                        "INSERT INTO instances (id, org_id, seq, submission_id, body, secrets) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(&i.id)
                    .bind(org_id)
                    .bind(seq)
                    .bind(&i.submission_id)
                    .bind(to_text(&body)?)
                    .bind(seal(&self.keys, &format!("instance:{}", i.id), &secrets)?)
                    .execute(&mut *conn)
                    .await?;
                    seq += 1;
                }
                for i in updated {
                    let (body, secrets) = split_instance(i);
                    sqlx::query(
                        "UPDATE instances SET body = $3, secrets = $4 WHERE id = $1 AND org_id = $2",
                    )
                    .bind(&i.id)
                    .bind(org_id)
                    .bind(to_text(&body)?)
                    .bind(seal(&self.keys, &format!("instance:{}", i.id), &secrets)?)
                    .execute(&mut *conn)
                    .await?;
                }
                for id in removed {
                    sqlx::query("DELETE FROM instances WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org_id)
                        .execute(&mut *conn)
                        .await?;
                }

                let (inserted, updated, removed) =
                    diff(&before.test_runs, &after.test_runs, |r: &TestRun| r.id.as_str());
                let mut seq = self.next_seq(conn, "test_runs", org_id).await?;
                for r in inserted {
                    sqlx::query(
                        "INSERT INTO test_runs (id, org_id, seq, instance_id, body) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&r.id)
                    .bind(org_id)
                    .bind(seq)
                    .bind(&r.instance_id)
                    .bind(to_text(r)?)
                    .execute(&mut *conn)
                    .await?;
                    seq += 1;
                }
                for r in updated {
                    sqlx::query("UPDATE test_runs SET body = $3 WHERE id = $1 AND org_id = $2")
                        .bind(&r.id)
                        .bind(org_id)
                        .bind(to_text(r)?)
                        .execute(&mut *conn)
                        .await?;
                }
                for id in removed {
                    sqlx::query("DELETE FROM test_runs WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org_id)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            async fn next_seq(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                table: &str,
                org_id: &str,
            ) -> ApiResult<i64> {
                let sql = match table {
                    "users" => "SELECT COALESCE(MAX(seq), 0) AS seq FROM users WHERE org_id = $1",
                    "user_groups" => {
                        "SELECT COALESCE(MAX(seq), 0) AS seq FROM user_groups WHERE org_id = $1"
                    }
                    "instances" => {
                        "SELECT COALESCE(MAX(seq), 0) AS seq FROM instances WHERE org_id = $1"
                    }
                    _ => "SELECT COALESCE(MAX(seq), 0) AS seq FROM test_runs WHERE org_id = $1",
                };
                let row = sqlx::query(sql).bind(org_id).fetch_one(&mut *conn).await?;
                Ok(row.try_get::<i64, _>("seq")? + 1)
            }

            fn account_of(row: &<$db as sqlx::Database>::Row) -> ApiResult<Account> {
                Ok(Account {
                    user: from_text(&row.try_get::<String, _>("body")?)?,
                    org_id: row.try_get("org_id")?,
                    password_hash: row
                        .try_get::<Option<String>, _>("password_hash")?
                        .unwrap_or_default(),
                })
            }
        }

        impl Store for $store {
            fn ping(&self) -> StoreFuture<'_, ()> {
                Box::pin(async move {
                    sqlx::query("SELECT 1").execute(&self.pool).await?;
                    Ok(())
                })
            }

            fn add_account(&self, account: NewAccount) -> StoreFuture<'_, ()> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    let now = stamp(Utc::now());
                    let new_org = sqlx::query(
                        "INSERT INTO orgs (id, url, revision, created_at) VALUES ($1, $2, 0, $3) \
                         ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(&account.org_id)
                    .bind(&account.org_url)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    sqlx::query("UPDATE orgs SET revision = revision + 1 WHERE id = $1")
                        .bind(&account.org_id)
                        .execute(&mut *tx)
                        .await?;
                    let key = account.user.email.to_lowercase();
                    let taken = sqlx::query(
                        "SELECT id FROM users WHERE email_key = $1 AND (password_hash IS NOT NULL OR org_id = $2)",
                    )
                    .bind(&key)
                    .bind(&account.org_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if taken.is_some() {
                        return Err(ApiError::refused(
                            ErrorCode::Rejected,
                            format!("A user with the email {} already exists", account.user.email),
                        ));
                    }
                    let seq = self.next_seq(&mut *tx, "users", &account.org_id).await?;
                    sqlx::query(
                        "INSERT INTO users (id, org_id, seq, email, email_key, body, password_hash, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&account.user.id)
                    .bind(&account.org_id)
                    .bind(seq)
                    .bind(&account.user.email)
                    .bind(&key)
                    .bind(to_text(&account.user)?)
                    .bind(&account.password_hash)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                    if new_org {
                        // A new org starts with a test group holding its first user, as the
                        // embedded org does ("Assign test users": people or groups).
                        let group = Group {
                            id: format!("grp-{}", account.user.id),
                            name: "OIN testers".into(),
                            user_ids: vec![account.user.id.clone()],
                        };
                        sqlx::query(
                            "INSERT INTO user_groups (id, org_id, seq, body) VALUES ($1, $2, 1, $3)",
                        )
                        .bind(&group.id)
                        .bind(&account.org_id)
                        .bind(to_text(&group)?)
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                })
            }

            fn org_ids(&self) -> StoreFuture<'_, Vec<String>> {
                Box::pin(async move {
                    let rows = sqlx::query("SELECT id FROM orgs ORDER BY id")
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter()
                        .map(|r| Ok(r.try_get::<String, _>("id")?))
                        .collect()
                })
            }

            fn count_accounts(&self) -> StoreFuture<'_, i64> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM users WHERE password_hash IS NOT NULL",
                    )
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(row.try_get::<i64, _>("n")?)
                })
            }

            fn account_by_email<'a>(&'a self, email: &'a str) -> StoreFuture<'a, Option<Account>> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT body, org_id, password_hash FROM users \
                         WHERE email_key = $1 AND password_hash IS NOT NULL",
                    )
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(&self.pool)
                    .await?;
                    row.as_ref().map(Self::account_of).transpose()
                })
            }

            fn create_session<'a>(
                &'a self,
                token_hash: &'a str,
                user_id: &'a str,
                now: DateTime<Utc>,
                expires_at: DateTime<Utc>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    // Expired sessions go as new ones come.
                    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                        .bind(stamp(now))
                        .execute(&self.pool)
                        .await?;
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(token_hash)
                    .bind(user_id)
                    .bind(stamp(now))
                    .bind(stamp(expires_at))
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn session_account<'a>(
                &'a self,
                token_hash: &'a str,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, Option<Account>> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT u.body, u.org_id, u.password_hash FROM sessions s \
                         JOIN users u ON u.id = s.user_id \
                         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.password_hash IS NOT NULL",
                    )
                    .bind(token_hash)
                    .bind(stamp(now))
                    .fetch_optional(&self.pool)
                    .await?;
                    row.as_ref().map(Self::account_of).transpose()
                })
            }

            fn delete_session<'a>(&'a self, token_hash: &'a str) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn failures<'a>(&'a self, key: &'a str, since: DateTime<Utc>) -> StoreFuture<'a, i64> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT failures FROM sign_in_failures WHERE key = $1 AND window_start >= $2",
                    )
                    .bind(key)
                    .bind(stamp(since))
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(match row {
                        Some(row) => row.try_get::<i64, _>("failures")?,
                        None => 0,
                    })
                })
            }

            fn add_failure<'a>(
                &'a self,
                key: &'a str,
                since: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, (i64, DateTime<Utc>)> {
                Box::pin(async move {
                    // One atomic statement: concurrent failures all count.
                    let row = sqlx::query(
                        "INSERT INTO sign_in_failures (key, failures, window_start) VALUES ($1, 1, $3) \
                         ON CONFLICT (key) DO UPDATE SET \
                           failures = CASE WHEN sign_in_failures.window_start < $2 THEN 1 \
                                      ELSE sign_in_failures.failures + 1 END, \
                           window_start = CASE WHEN sign_in_failures.window_start < $2 THEN $3 \
                                          ELSE sign_in_failures.window_start END \
                         RETURNING failures, window_start",
                    )
                    .bind(key)
                    .bind(stamp(since))
                    .bind(stamp(now))
                    .fetch_one(&self.pool)
                    .await?;
                    let failures: i64 = row.try_get("failures")?;
                    let start: String = row.try_get("window_start")?;
                    Ok((failures, parse_stamp(&start)?))
                })
            }

            fn clear_failures<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn list_submissions<'a>(
                &'a self,
                org_id: &'a str,
            ) -> StoreFuture<'a, Vec<Box<serde_json::value::RawValue>>> {
                Box::pin(async move {
                    let rows = sqlx::query(
                        "SELECT summary FROM submissions WHERE org_id = $1 ORDER BY updated DESC, id",
                    )
                    .bind(org_id)
                    .fetch_all(&self.pool)
                    .await?;
                    rows.into_iter()
                        .map(|row| {
                            serde_json::value::RawValue::from_string(row.try_get("summary")?)
                                .map_err(|e| ApiError::internal(format!("decoding a row: {e}")))
                        })
                        .collect()
                })
            }

            fn get_submission<'a>(
                &'a self,
                org_id: &'a str,
                id: &'a str,
            ) -> StoreFuture<'a, Option<Submission>> {
                Box::pin(async move {
                    let mut conn = self.pool.acquire().await?;
                    self.load_submission(&mut conn, org_id, id, false).await
                })
            }

            fn insert_submission<'a>(
                &'a self,
                org_id: &'a str,
                submission: &'a Submission,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    let (version, status, updated, summary, body, secrets) =
                        submission_row(&self.keys, submission)?;
                    sqlx::query(
                        "INSERT INTO submissions (id, org_id, version, status, updated, summary, body, secrets) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&submission.id)
                    .bind(org_id)
                    .bind(version)
                    .bind(status)
                    .bind(updated)
                    .bind(summary)
                    .bind(body)
                    .bind(secrets)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn change_submission<'a>(
                &'a self,
                org_id: &'a str,
                id: &'a str,
                with_org: bool,
                change: SubmissionChange<'a>,
            ) -> StoreFuture<'a, Submission> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    let org = if with_org {
                        sqlx::query("UPDATE orgs SET revision = revision + 1 WHERE id = $1")
                            .bind(org_id)
                            .execute(&mut *tx)
                            .await?;
                        self.load_org(&mut *tx, org_id).await?
                    } else {
                        Org::default()
                    };
                    let stored = self
                        .load_submission(&mut *tx, org_id, id, true)
                        .await?
                        .ok_or_else(|| not_found_submission(id))?;
                    let next = change(&stored, &org)?;
                    let (version, status, updated, summary, body, secrets) =
                        submission_row(&self.keys, &next)?;
                    let done = sqlx::query(
                        "UPDATE submissions SET version = $3, status = $4, updated = $5, summary = $6, body = $7, secrets = $8 \
                         WHERE id = $1 AND org_id = $2 AND version = $9",
                    )
                    .bind(id)
                    .bind(org_id)
                    .bind(version)
                    .bind(status)
                    .bind(updated)
                    .bind(summary)
                    .bind(body)
                    .bind(secrets)
                    .bind(i64::from(stored.version))
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(ApiError::Refused(DomainError::new(
                            ErrorCode::Conflict,
                            "This submission was saved elsewhere a moment ago: reload it and apply your changes again",
                        )));
                    }
                    tx.commit().await?;
                    Ok(next)
                })
            }

            fn delete_submission<'a>(
                &'a self,
                org_id: &'a str,
                id: &'a str,
                check: SubmissionCheck<'a>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    let stored = self
                        .load_submission(&mut *tx, org_id, id, true)
                        .await?
                        .ok_or_else(|| not_found_submission(id))?;
                    check(&stored)?;
                    sqlx::query("DELETE FROM submissions WHERE id = $1 AND org_id = $2")
                        .bind(id)
                        .bind(org_id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                })
            }

            fn read_org<'a>(&'a self, org_id: &'a str) -> StoreFuture<'a, Org> {
                Box::pin(async move {
                    // One read transaction: a consistent snapshot of the org's tables.
                    let mut tx = self.pool.begin().await?;
                    let org = self.load_org(&mut *tx, org_id).await?;
                    tx.commit().await?;
                    Ok(org)
                })
            }

            fn change_org<'a>(
                &'a self,
                org_id: &'a str,
                scope: Scope<'a>,
                change: OrgChange<'a>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    let mut tx = self.begin().await?;
                    sqlx::query("UPDATE orgs SET revision = revision + 1 WHERE id = $1")
                        .bind(org_id)
                        .execute(&mut *tx)
                        .await?;
                    let before = self.load_org(&mut *tx, org_id).await?;
                    let submission_id = match scope {
                        Scope::OrgOnly => None,
                        Scope::Submission(id) => Some(id.to_string()),
                        Scope::Instance(id) => before
                            .instances
                            .iter()
                            .find(|i| i.id == id)
                            .map(|i| i.submission_id.clone()),
                        Scope::Run(id) => before
                            .test_runs
                            .iter()
                            .find(|r| r.id == id)
                            .and_then(|r| before.instances.iter().find(|i| i.id == r.instance_id))
                            .map(|i| i.submission_id.clone()),
                    };
                    let submission = match submission_id {
                        Some(sid) => self.load_submission(&mut *tx, org_id, &sid, false).await?,
                        None => None,
                    };
                    let mut after = before.clone();
                    change(&mut after, submission.as_ref())?;
                    self.save_org(&mut *tx, org_id, &before, &after, Utc::now())
                        .await?;
                    tx.commit().await?;
                    Ok(())
                })
            }
        }
    };
}

/// The SQLite store: one file, nothing else to run.
pub struct SqliteStore {
    pub(super) pool: SqlitePool,
    /// One connection for write transactions. SQLite admits one writer at a time: queueing
    /// writers here, first come first served, beats letting them collide on the file lock,
    /// where the losers sleep in SQLite's busy handler (steps of 1, 2, 5 … 100 ms) and the
    /// tail latency of a save grows with the number of writers (`./dev bench-server`).
    writer: SqlitePool,
    keys: Arc<Keys>,
}

impl SqliteStore {
    /// Opens (creating) the database file and runs the migrations. WAL journal: readers never
    /// wait for the writer, and a committed transaction survives a killed process.
    pub async fn open(url: &str, keys: Arc<Keys>) -> Result<SqliteStore, String> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| format!("--database {url}: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(|e| format!("Could not open the SQLite database {url}: {e}"))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| format!("Could not migrate the SQLite database {url}: {e}"))?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| format!("Could not open the SQLite database {url}: {e}"))?;
        Ok(SqliteStore { pool, writer, keys })
    }

    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.writer.begin_with("BEGIN IMMEDIATE").await
    }
}

store_impl!(SqliteStore, sqlx::Sqlite, "");

/// The PostgreSQL store: several `oin-server` replicas on one database.
pub struct PostgresStore {
    pub(super) pool: PgPool,
    keys: Arc<Keys>,
}

impl PostgresStore {
    /// Connects and runs the migrations (sqlx takes an advisory lock: replicas starting
    /// together migrate once).
    pub async fn open(url: &str, keys: Arc<Keys>) -> Result<PostgresStore, String> {
        let shown = super::redact_url(url);
        let options =
            PgConnectOptions::from_str(url).map_err(|e| format!("--database {shown}: {e}"))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| format!("Could not connect to PostgreSQL at {shown}: {e}"))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| format!("Could not migrate the PostgreSQL database {shown}: {e}"))?;
        Ok(PostgresStore { pool, keys })
    }

    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.pool.begin().await
    }
}

store_impl!(PostgresStore, sqlx::Postgres, " FOR UPDATE");
