//! What the org's identity provider (issue 14, `crate::http::idp`) keeps: its signing keys
//! (sealed PKCS#8) and short-lived protocol state (pending authorization requests, codes,
//! grants, one-time JIT credentials), the same SQL on SQLite and PostgreSQL
//! (`migrations/0002_idp.sql`).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::sql::{parse_stamp, stamp, PostgresStore, SqliteStore};
use super::StoreFuture;

/// A signing key as stored: its PKCS#8 sealed with the server's key (context `idp-key:{kid}`).
#[derive(Clone, Debug)]
pub struct StoredKey {
    /// The key id (RFC 7638 thumbprint).
    pub kid: String,
    /// When it was generated (rotation counts from here).
    pub created_at: DateTime<Utc>,
    /// [`crate::keys::Keys::seal`] of the PKCS#8 DER.
    pub sealed_pkcs8: String,
}

/// A piece of protocol state: `kind` (e.g. `code`), `key` (a SHA-256, or a random id), the
/// org, a `parent` key (the code a grant came from; empty when none), a JSON body and when it
/// expires (an expired item is never read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdpItem {
    pub kind: String,
    pub key: String,
    pub org_id: String,
    pub parent: String,
    pub body: String,
    pub expires_at: DateTime<Utc>,
}

/// The identity provider's part of the store.
pub trait IdpStore: Send + Sync {
    /// Every signing key, oldest first.
    fn idp_keys(&self) -> StoreFuture<'_, Vec<StoredKey>>;
    /// Adds a signing key.
    fn add_idp_key<'a>(&'a self, key: &'a StoredKey) -> StoreFuture<'a, ()>;
    /// Deletes a retired signing key.
    fn delete_idp_key<'a>(&'a self, kid: &'a str) -> StoreFuture<'a, ()>;
    /// Stores an item (replacing one under the same kind and key), and forgets expired ones.
    fn put_idp_item<'a>(&'a self, item: &'a IdpItem, now: DateTime<Utc>) -> StoreFuture<'a, ()>;
    /// The unexpired item under `kind` and `key`.
    fn idp_item<'a>(
        &'a self,
        kind: &'a str,
        key: &'a str,
        now: DateTime<Utc>,
    ) -> StoreFuture<'a, Option<IdpItem>>;
    /// Replaces an item's body only if it is still `expected` (compare-and-set: of two
    /// concurrent redemptions of one code, one wins). Answers whether it replaced it.
    fn replace_idp_item<'a>(
        &'a self,
        kind: &'a str,
        key: &'a str,
        expected: &'a str,
        body: &'a str,
    ) -> StoreFuture<'a, bool>;
    /// Deletes an item.
    fn delete_idp_item<'a>(&'a self, kind: &'a str, key: &'a str) -> StoreFuture<'a, ()>;
    /// Deletes the items of `kind` whose parent is `parent`; answers how many.
    fn delete_idp_children<'a>(&'a self, kind: &'a str, parent: &'a str) -> StoreFuture<'a, u64>;
}

macro_rules! idp_store_impl {
    ($store:ty) => {
        impl IdpStore for $store {
            fn idp_keys(&self) -> StoreFuture<'_, Vec<StoredKey>> {
                Box::pin(async move {
                    let rows = sqlx::query(
                        "SELECT kid, created_at, sealed_pkcs8 FROM idp_keys ORDER BY created_at, kid",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    rows.iter()
                        .map(|row| {
                            Ok(StoredKey {
                                kid: row.try_get("kid")?,
                                created_at: parse_stamp(&row.try_get::<String, _>("created_at")?)?,
                                sealed_pkcs8: row.try_get("sealed_pkcs8")?,
                            })
                        })
                        .collect()
                })
            }

            fn add_idp_key<'a>(&'a self, key: &'a StoredKey) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO idp_keys (kid, created_at, sealed_pkcs8) VALUES ($1, $2, $3) \
                         ON CONFLICT (kid) DO NOTHING",
                    )
                    .bind(&key.kid)
                    .bind(stamp(key.created_at))
                    .bind(&key.sealed_pkcs8)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn delete_idp_key<'a>(&'a self, kid: &'a str) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query("DELETE FROM idp_keys WHERE kid = $1")
                        .bind(kid)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn put_idp_item<'a>(
                &'a self,
                item: &'a IdpItem,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query("DELETE FROM idp_items WHERE expires_at < $1")
                        .bind(stamp(now))
                        .execute(&self.pool)
                        .await?;
                    sqlx::query(
                        "INSERT INTO idp_items (kind, key, org_id, parent, body, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (kind, key) DO UPDATE SET org_id = $3, parent = $4, body = $5, expires_at = $6",
                    )
                    .bind(&item.kind)
                    .bind(&item.key)
                    .bind(&item.org_id)
                    .bind(&item.parent)
                    .bind(&item.body)
                    .bind(stamp(item.expires_at))
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                })
            }

            fn idp_item<'a>(
                &'a self,
                kind: &'a str,
                key: &'a str,
                now: DateTime<Utc>,
            ) -> StoreFuture<'a, Option<IdpItem>> {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT org_id, parent, body, expires_at FROM idp_items \
                         WHERE kind = $1 AND key = $2 AND expires_at > $3",
                    )
                    .bind(kind)
                    .bind(key)
                    .bind(stamp(now))
                    .fetch_optional(&self.pool)
                    .await?;
                    match row {
                        None => Ok(None),
                        Some(row) => Ok(Some(IdpItem {
                            kind: kind.to_string(),
                            key: key.to_string(),
                            org_id: row.try_get("org_id")?,
                            parent: row.try_get("parent")?,
                            body: row.try_get("body")?,
                            expires_at: parse_stamp(&row.try_get::<String, _>("expires_at")?)?,
                        })),
                    }
                })
            }

            fn replace_idp_item<'a>(
                &'a self,
                kind: &'a str,
                key: &'a str,
                expected: &'a str,
                body: &'a str,
            ) -> StoreFuture<'a, bool> {
                Box::pin(async move {
                    let done = sqlx::query(
                        "UPDATE idp_items SET body = $4 WHERE kind = $1 AND key = $2 AND body = $3",
                    )
                    .bind(kind)
                    .bind(key)
                    .bind(expected)
                    .bind(body)
                    .execute(&self.pool)
                    .await?;
                    Ok(done.rows_affected() == 1)
                })
            }

            fn delete_idp_item<'a>(&'a self, kind: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
                Box::pin(async move {
                    sqlx::query("DELETE FROM idp_items WHERE kind = $1 AND key = $2")
                        .bind(kind)
                        .bind(key)
                        .execute(&self.pool)
                        .await?;
                    Ok(())
                })
            }

            fn delete_idp_children<'a>(
                &'a self,
                kind: &'a str,
                parent: &'a str,
            ) -> StoreFuture<'a, u64> {
                Box::pin(async move {
                    let done = sqlx::query("DELETE FROM idp_items WHERE kind = $1 AND parent = $2")
                        .bind(kind)
                        .bind(parent)
                        .execute(&self.pool)
                        .await?;
                    Ok(done.rows_affected())
                })
            }
        }
    };
}

idp_store_impl!(SqliteStore);
idp_store_impl!(PostgresStore);
