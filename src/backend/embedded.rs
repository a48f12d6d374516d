//! The embedded backend: the contract of `docs/api.md` inside the browser, on IndexedDB.
//! Every rule and transition is the domain's, applied exactly as a server would: reads, the
//! domain decision and writes happen in one IndexedDB transaction, so two tabs saving the same
//! submission get a real 409 Conflict, never a silent overwrite.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::idb::{blob_bytes, Db, Tx, LOGOS, ORG, SUBMISSIONS};
use super::samples::sample_submissions;
use super::{Backend, BackendError, BackendFuture};
use crate::domain::emails::check_email;
use crate::domain::transitions::{create_submission, edit_published, save_edit};
use crate::domain::{DomainError, ErrorCode, Org, Role, Submission, SubmissionSummary, User};

/// The embedded org record: the signed-in user and the org (users, groups, instances…).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct OrgRecord {
    current_user: User,
    org: Org,
}

/// The signed-in user of a new embedded org: a company email, super admin (SPEC 1).
fn default_user() -> User {
    User {
        id: "user-1".into(),
        email: "developer@example.com".into(),
        first_name: "Dana".into(),
        last_name: "Developer".into(),
        roles: vec![Role::SuperAdmin],
    }
}

/// The time now, from the browser's clock (the domain never reads a clock itself).
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

fn new_id(prefix: &str) -> String {
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{prefix}-{:x}{random:08x}", js_sys::Date::now() as u64)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, BackendError> {
    serde_json::to_string(value)
        .map_err(|e| BackendError::Storage(format!("Could not encode a record: {e}")))
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, BackendError> {
    serde_json::from_str(text).map_err(|e| {
        BackendError::Storage(format!(
            "A stored record could not be read ({e}); it may come from a newer version of the app"
        ))
    })
}

/// The stored JSON of a submission whose logo bytes already sit in the logo store.
fn text_without_logo(submission: &Submission) -> Result<String, BackendError> {
    let mut record = submission.clone();
    if let Some(logo) = record.catalog.logo.as_mut() {
        logo.data.clear();
    }
    to_json(&record)
}

fn not_found(id: &str) -> BackendError {
    BackendError::Refused(DomainError::new(
        ErrorCode::NotFound,
        format!("There is no integration with id {id}: it may have been deleted"),
    ))
}

/// The in-browser backend.
pub struct Embedded {
    db: Db,
}

impl Embedded {
    /// Opens the browser's database (a clear [`BackendError::Storage`] if it can't).
    pub async fn open() -> Result<Embedded, BackendError> {
        Ok(Embedded {
            db: Db::open().await?,
        })
    }

    async fn org(tx: &Tx) -> Result<OrgRecord, BackendError> {
        match tx.get_text(ORG, "org").await? {
            Some(text) => from_json(&text),
            None => Ok(OrgRecord {
                current_user: default_user(),
                ..OrgRecord::default()
            }),
        }
    }

    /// Stores a submission: JSON without the logo bytes, which go to a Blob.
    async fn put_submission(tx: &Tx, submission: &Submission) -> Result<(), BackendError> {
        match &submission.catalog.logo {
            Some(logo) => tx.put_bytes(LOGOS, &submission.id, &logo.data).await?,
            None => tx.delete(LOGOS, &submission.id).await?,
        }
        tx.put_text(SUBMISSIONS, &submission.id, &text_without_logo(submission)?)
            .await
    }

    async fn read_submission(&self, id: &str) -> Result<Submission, BackendError> {
        let tx = self.db.transaction(&[SUBMISSIONS, LOGOS], false)?;
        let text = tx
            .get_text(SUBMISSIONS, id)
            .await?
            .ok_or_else(|| not_found(id))?;
        let blob = tx.get_blob(LOGOS, id).await?;
        let mut submission: Submission = from_json(&text)?;
        if let (Some(logo), Some(blob)) = (submission.catalog.logo.as_mut(), blob) {
            logo.data = blob_bytes(&blob).await?;
        }
        Ok(submission)
    }
}

impl Backend for Embedded {
    fn current_user(&self) -> BackendFuture<'_, User> {
        Box::pin(async move {
            let tx = self.db.transaction(&[ORG], false)?;
            Ok(Self::org(&tx).await?.current_user)
        })
    }

    fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>> {
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS], false)?;
            let mut rows = Vec::new();
            for text in tx.all_text(SUBMISSIONS).await? {
                let submission: Submission = from_json(&text)?;
                rows.push(submission.summary());
            }
            Ok(rows)
        })
    }

    fn create_submission(&self) -> BackendFuture<'_, Submission> {
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, LOGOS, ORG], true)?;
            let user = Self::org(&tx).await?.current_user;
            let submission = create_submission(&new_id("sub"), &user, now())?;
            Self::put_submission(&tx, &submission).await?;
            tx.commit().await?;
            Ok(submission)
        })
    }

    fn get_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        Box::pin(async move { self.read_submission(&id).await })
    }

    fn save_submission(&self, edited: Submission) -> BackendFuture<'_, Submission> {
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, LOGOS, ORG], true)?;
            let user = Self::org(&tx).await?.current_user;
            let text = tx
                .get_text(SUBMISSIONS, &edited.id)
                .await?
                .ok_or_else(|| not_found(&edited.id))?;
            let stored: Submission = from_json(&text)?;
            let saved = save_edit(&stored, &edited, &user, now())?;
            Self::put_submission(&tx, &saved).await?;
            tx.commit().await?;
            Ok(saved)
        })
    }

    fn edit_integration(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, LOGOS, ORG], true)?;
            let user = Self::org(&tx).await?.current_user;
            let text = tx
                .get_text(SUBMISSIONS, &id)
                .await?
                .ok_or_else(|| not_found(&id))?;
            let stored: Submission = from_json(&text)?;
            let edited = edit_published(&stored, &user, now())?;
            tx.put_text(SUBMISSIONS, &id, &text_without_logo(&edited)?)
                .await?;
            tx.commit().await?;
            self.read_submission(&id).await
        })
    }

    fn update_current_user(&self, user: User) -> BackendFuture<'_, User> {
        Box::pin(async move {
            check_email("Email", &user.email)
                .map_err(|m| BackendError::Refused(DomainError::new(ErrorCode::Rejected, m)))?;
            let tx = self.db.transaction(&[ORG], true)?;
            let mut record = Self::org(&tx).await?;
            record.current_user = User {
                id: record.current_user.id.clone(),
                ..user
            };
            tx.put_text(ORG, "org", &to_json(&record)?).await?;
            tx.commit().await?;
            Ok(record.current_user)
        })
    }

    fn logo_bytes(&self, id: &str) -> BackendFuture<'_, Option<Vec<u8>>> {
        let id = id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[LOGOS], false)?;
            match tx.get_blob(LOGOS, &id).await? {
                Some(blob) => Ok(Some(blob_bytes(&blob).await?)),
                None => Ok(None),
            }
        })
    }

    fn load_samples(&self) -> BackendFuture<'_, ()> {
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, LOGOS], true)?;
            for submission in sample_submissions(&new_id("sample"), now()) {
                Self::put_submission(&tx, &submission).await?;
            }
            tx.commit().await
        })
    }
}
