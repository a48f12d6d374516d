//! The store: exactly what the API needs from a database, as one trait with two
//! implementations on the same SQL and the same migrations (`migrations/`): SQLite (one file,
//! the default) and PostgreSQL (several stateless replicas on one database).
//!
//! Every write is one transaction that locks what it changes, lets the domain decide, and
//! writes back: a submission change checks and bumps `version` (compare-and-set, a stale one
//! is 409 `conflict`); an org change (instances, users, groups, tester session, runs) locks the
//! org row first. Secrets are sealed with [`crate::keys::Keys`] before they reach a row and
//! opened when read, so a row's JSON body never holds one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use oin_wizard::domain::{DomainError, Org, Submission, User};

use crate::error::{ApiError, ApiResult};
use crate::keys::Keys;

pub mod idp;
mod sql;

pub use idp::{IdpItem, IdpStore, StoredKey};
pub use sql::{PostgresStore, SqliteStore};

use oin_wizard::domain::scim_report::ScimRun;

/// A store call's future.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = ApiResult<T>> + Send + 'a>>;

/// A signed-in account: the user, their org and (for sign-in only) the password hash.
#[derive(Clone, Debug)]
pub struct Account {
    /// The user as the API shows it.
    pub user: User,
    /// The org the account belongs to.
    pub org_id: String,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// A new account (`oin-server user add`).
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// The user (id, email, names, roles).
    pub user: User,
    /// Its org (from the email, SPEC 1).
    pub org_id: String,
    /// The org's URL, used when the org is new.
    pub org_url: String,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// Which submission an org change also reads (the one its instance or run belongs to).
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// No submission.
    OrgOnly,
    /// This submission.
    Submission(&'a str),
    /// The submission of this instance.
    Instance(&'a str),
    /// The submission of this run's instance.
    Run(&'a str),
}

/// What an org change does: the domain's decision on the locked org and the scoped submission
/// (`None` when it does not exist in this org). `Err` rolls everything back.
pub type OrgChange<'a> =
    &'a mut (dyn FnMut(&mut Org, Option<&Submission>) -> Result<(), DomainError> + Send);

/// What a submission change does: the next state from the locked stored one (and the locked
/// org when asked for). `Err` rolls back.
pub type SubmissionChange<'a> =
    &'a mut (dyn FnMut(&Submission, &Org) -> Result<Submission, DomainError> + Send);

/// Whether a locked stored submission may go (`Err` refuses, nothing changes).
pub type SubmissionCheck<'a> = &'a mut (dyn FnMut(&Submission) -> Result<(), DomainError> + Send);

/// What the API needs from a database. All methods are scoped to one org: another org's ids
/// are not found.
pub trait Store: IdpStore + ScimRuns + ScimOauthStore + Send + Sync {
    /// Whether the database answers (`/readyz`).
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// Creates an account (and its org when new). A second account with the same email is
    /// refused.
    fn add_account(&self, account: NewAccount) -> StoreFuture<'_, ()>;
    /// How many accounts exist (the first-user step of `./dev serve`).
    fn count_accounts(&self) -> StoreFuture<'_, i64>;
    /// The account with this email (case-insensitive).
    fn account_by_email<'a>(&'a self, email: &'a str) -> StoreFuture<'a, Option<Account>>;
    /// Records a session for `user_id`.
    fn create_session<'a>(
        &'a self,
        token_hash: &'a str,
        user_id: &'a str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreFuture<'a, ()>;
    /// The account of an unexpired session.
    fn session_account<'a>(
        &'a self,
        token_hash: &'a str,
        now: DateTime<Utc>,
    ) -> StoreFuture<'a, Option<Account>>;
    /// Ends a session.
    fn delete_session<'a>(&'a self, token_hash: &'a str) -> StoreFuture<'a, ()>;
    /// Failed sign-ins under `key` since `since` (older windows count as none).
    fn failures<'a>(&'a self, key: &'a str, since: DateTime<Utc>) -> StoreFuture<'a, i64>;
    /// Counts one more failed sign-in under `key`; a window older than `since` restarts at
    /// `now`. Answers the count and when its window started.
    fn add_failure<'a>(
        &'a self,
        key: &'a str,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreFuture<'a, (i64, DateTime<Utc>)>;
    /// Forgets the failures under `key` (a successful sign-in).
    fn clear_failures<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;

    /// The org's dashboard rows (no secrets), newest first: each the JSON of a
    /// `SubmissionSummary` exactly as the save that wrote it encoded it (checked to be JSON,
    /// not decoded), so listing reads no body and re-encodes nothing. A change of
    /// `SubmissionSummary`'s fields therefore needs a migration that rewrites `summary`.
    fn list_submissions<'a>(
        &'a self,
        org_id: &'a str,
    ) -> StoreFuture<'a, Vec<Box<serde_json::value::RawValue>>>;
    /// One submission of the org, secrets opened.
    fn get_submission<'a>(
        &'a self,
        org_id: &'a str,
        id: &'a str,
    ) -> StoreFuture<'a, Option<Submission>>;
    /// Stores a new submission.
    fn insert_submission<'a>(
        &'a self,
        org_id: &'a str,
        submission: &'a Submission,
    ) -> StoreFuture<'a, ()>;
    /// Changes a stored submission in one transaction: locks it (and the org first when
    /// `with_org`, else `change` gets an empty org), lets `change` decide, and writes the result
    /// only if the stored version is still the one read (else 409). 404 when the org has no
    /// such submission.
    fn change_submission<'a>(
        &'a self,
        org_id: &'a str,
        id: &'a str,
        with_org: bool,
        change: SubmissionChange<'a>,
    ) -> StoreFuture<'a, Submission>;

    /// Deletes a stored submission in one transaction: locks it, lets `check` decide
    /// (`transitions::can_delete`), deletes it. 404 when the org has no such submission. The
    /// org's instances and runs stay (app instances live in the org, not the submission).
    fn delete_submission<'a>(
        &'a self,
        org_id: &'a str,
        id: &'a str,
        check: SubmissionCheck<'a>,
    ) -> StoreFuture<'a, ()>;

    /// Every org's id (the start of `oin-server`: org URLs follow its public URL).
    fn org_ids(&self) -> StoreFuture<'_, Vec<String>>;
    /// The org as the domain sees it (secrets opened): URL, users, groups, instances, runs,
    /// tester session.
    fn read_org<'a>(&'a self, org_id: &'a str) -> StoreFuture<'a, Org>;
    /// Changes the org in one transaction: locks it, reads it and the scoped submission, lets
    /// `change` decide, writes back what changed.
    fn change_org<'a>(
        &'a self,
        org_id: &'a str,
        scope: Scope<'a>,
        change: OrgChange<'a>,
    ) -> StoreFuture<'a, ()>;
}

/// The SCIM runner's runs (issue 15; `sql/scim_runs.rs`), scoped to one org like the rest.
pub trait ScimRuns: Send + Sync {
    /// Starts a run: takes the instance's lease (one run per instance across replicas; granted
    /// when there is none or it expired at `now`) until `lease_until`, and stores the run, in
    /// one transaction. `false` when another run holds the lease (nothing stored).
    fn start_scim_run<'a>(
        &'a self,
        org_id: &'a str,
        run: &'a ScimRun,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreFuture<'a, bool>;
    /// Saves a run's progress or its end; once it has ended, its lease is released.
    fn save_scim_run<'a>(&'a self, org_id: &'a str, run: &'a ScimRun) -> StoreFuture<'a, ()>;
    /// The instance's latest run, if any.
    fn latest_scim_run<'a>(
        &'a self,
        org_id: &'a str,
        instance_id: &'a str,
    ) -> StoreFuture<'a, Option<ScimRun>>;
    /// The latest run of each instance of an integration, newest first.
    fn latest_scim_runs_of<'a>(
        &'a self,
        org_id: &'a str,
        submission_id: &'a str,
    ) -> StoreFuture<'a, Vec<ScimRun>>;
}

/// A pending **Authenticate** (SCIM over OAuth 2.0): whose instance, and its PKCE verifier,
/// sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingScimOauth {
    /// The org that started it.
    pub org_id: String,
    /// The SCIM instance.
    pub instance_id: String,
    /// The PKCE code verifier, sealed with the server's key.
    pub sealed_verifier: String,
}

/// SCIM over OAuth 2.0 (`sql/scim_oauth.rs`): pending authorization requests by the hash of
/// their state, and each instance's tokens, sealed.
pub trait ScimOauthStore: Send + Sync {
    /// Keeps a pending request until `expires_at`.
    fn put_scim_oauth_state<'a>(
        &'a self,
        state_hash: &'a str,
        pending: &'a PendingScimOauth,
        expires_at: DateTime<Utc>,
    ) -> StoreFuture<'a, ()>;
    /// Removes and returns the pending request (once: a second call gets `None`); `None` too
    /// when it expired at `now`.
    fn take_scim_oauth_state<'a>(
        &'a self,
        state_hash: &'a str,
        now: DateTime<Utc>,
    ) -> StoreFuture<'a, Option<PendingScimOauth>>;
    /// Stores (replaces) an instance's sealed tokens.
    fn put_scim_oauth_tokens<'a>(
        &'a self,
        org_id: &'a str,
        instance_id: &'a str,
        sealed: &'a str,
        now: DateTime<Utc>,
    ) -> StoreFuture<'a, ()>;
    /// An instance's sealed tokens, if it was authenticated.
    fn scim_oauth_tokens<'a>(
        &'a self,
        org_id: &'a str,
        instance_id: &'a str,
    ) -> StoreFuture<'a, Option<String>>;
    /// Forgets an instance's tokens and pending requests (it was deleted or replaced): no
    /// secret outlives the instance it was obtained for.
    fn forget_scim_oauth<'a>(
        &'a self,
        org_id: &'a str,
        instance_id: &'a str,
    ) -> StoreFuture<'a, ()>;
}

/// Opens the store a `--database` URL names (`sqlite://…` or `postgres://…`), running the
/// migrations.
pub async fn open(url: &str, keys: Arc<Keys>) -> Result<Arc<dyn Store>, String> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url, keys).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PostgresStore::open(url, keys).await?))
    } else {
        Err(format!(
            "--database must be a sqlite://FILE or postgres://… URL, not {}",
            redact_url(url)
        ))
    }
}

/// A database URL without its password, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:********{}",
                    &url[..scheme_end + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Runs an org change whose closure produces a value: the typed front of
/// [`Store::change_org`].
pub async fn org_op<T: Send>(
    store: &dyn Store,
    org_id: &str,
    scope: Scope<'_>,
    op: impl FnOnce(&mut Org, Option<&Submission>) -> Result<T, DomainError> + Send,
) -> ApiResult<T> {
    let mut op = Some(op);
    let mut out = None;
    let mut change = |org: &mut Org, submission: Option<&Submission>| {
        let op = op
            .take()
            .ok_or_else(|| DomainError::new(oin_wizard::domain::ErrorCode::Rejected, "retried"))?;
        out = Some(op(org, submission)?);
        Ok(())
    };
    store.change_org(org_id, scope, &mut change).await?;
    out.ok_or_else(|| ApiError::internal("an org change produced no result"))
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn database_urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://oin:s3cret@127.0.0.1:5432/oin"),
            "postgres://oin:********@127.0.0.1:5432/oin"
        );
        assert_eq!(redact_url("sqlite://oin.db"), "sqlite://oin.db");
        assert_eq!(
            redact_url("postgres://oin@localhost/oin"),
            "postgres://oin@localhost/oin"
        );
    }
}
