//! The embedded backend: the contract of `docs/api.md` inside the browser, on IndexedDB.
//! Every rule and transition is the domain's, applied exactly as a server would: reads, the
//! domain decision and writes happen in one IndexedDB transaction, so two tabs saving the same
//! submission get a real 409 Conflict, never a silent overwrite.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use std::rc::Rc;

use super::idb::{blob_bytes, Db, Tx, LOGOS, ORG, SUBMISSIONS};
use super::records::{default_user, stored_summary, stored_user, OrgRecord};
use super::samples::sample_submissions;
use super::{Backend, BackendError, BackendFuture};
use crate::domain::api::{
    FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse, StartRunRequest,
    SubmitRequest,
};
use crate::domain::emails::check_email;
use crate::domain::instances::InstanceUpdate;
use crate::domain::roles::{permits, Action};
use crate::domain::scim_report::ScimRun;
use crate::domain::testing::{self, NewSecrets, TestingView};
use crate::domain::transitions::{
    authorize, can_delete, create_submission, edit_published, review_request, save_edit,
    submit_request, withdraw,
};
use crate::domain::{
    DomainError, ErrorCode, Group, Instance, Submission, SubmissionSummary, SubmitContext, TestRun,
    TesterSession, User,
};
use crate::expr::seam::ExpressionLanguage;

/// The embedded org's URL (it stands for the developer's org; nothing is served there).
const ORG_URL: &str = "https://oin-test-org.example.com";

/// What an org operation looks at besides the org: the submission its instance or run
/// belongs to, found in the same transaction.
enum Scope<'a> {
    Submission(&'a str),
    Instance(&'a str),
    Run(&'a str),
    OrgOnly,
}

fn random_token(prefix: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::from(prefix);
    let mut bytes = vec![0u8; len];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    for b in bytes {
        let n = if filled {
            usize::from(b)
        } else {
            (js_sys::Math::random() * 256.0) as usize
        };
        out.push(char::from(ALPHABET[n % ALPHABET.len()]));
    }
    out
}

fn need(submission: Option<&Submission>) -> Result<&Submission, DomainError> {
    submission.ok_or_else(|| {
        DomainError::new(
            ErrorCode::NotFound,
            "The integration this belongs to no longer exists",
        )
    })
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
    serde_json::from_str(text).map_err(unreadable)
}

fn unreadable(e: serde_json::Error) -> BackendError {
    BackendError::Storage(format!(
        "A stored record could not be read ({e}); it may come from a newer version of the app"
    ))
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

/// The in-browser backend. Cloning shares the open database.
#[derive(Clone)]
pub struct Embedded {
    db: Rc<Db>,
}

impl Embedded {
    /// Opens the browser's database (a clear [`BackendError::Storage`] if it can't).
    pub async fn open() -> Result<Embedded, BackendError> {
        Ok(Embedded {
            db: Rc::new(Db::open().await?),
        })
    }

    /// The signed-in user, read without the rest of the org (the first page's read).
    async fn user(tx: &Tx) -> Result<User, BackendError> {
        stored_user(tx.get_text(ORG, "org").await?.as_deref()).map_err(unreadable)
    }

    async fn org(tx: &Tx) -> Result<OrgRecord, BackendError> {
        let mut record = match tx.get_text(ORG, "org").await? {
            Some(text) => from_json(&text)?,
            None => OrgRecord {
                current_user: default_user(),
                ..OrgRecord::default()
            },
        };
        // The org always has its URL, the signed-in user and a test group.
        if record.org.url.is_empty() {
            record.org.url = ORG_URL.into();
        }
        let me = record.current_user.clone();
        match record.org.users.iter_mut().find(|u| u.id == me.id) {
            Some(u) => *u = me.clone(),
            None => record.org.users.insert(0, me.clone()),
        }
        if record.org.groups.is_empty() {
            record.org.groups.push(Group {
                id: "group-testers".into(),
                name: "OIN testers".into(),
                user_ids: vec![me.id],
            });
        }
        Ok(record)
    }

    /// One org operation: reads the org (and the submission `scope` names), lets the domain
    /// decide, writes the org back, all in one transaction.
    async fn org_op<T>(
        &self,
        scope: Scope<'_>,
        op: impl FnOnce(&mut OrgRecord, Option<&Submission>) -> Result<T, DomainError>,
    ) -> Result<T, BackendError> {
        let tx = self.db.transaction(&[ORG, SUBMISSIONS], true)?;
        let mut record = Self::org(&tx).await?;
        let submission_id = match scope {
            Scope::Submission(id) => Some(id.to_string()),
            Scope::Instance(id) => record
                .org
                .instances
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.submission_id.clone()),
            Scope::Run(id) => record
                .org
                .test_runs
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| record.org.instances.iter().find(|i| i.id == r.instance_id))
                .map(|i| i.submission_id.clone()),
            Scope::OrgOnly => None,
        };
        let submission: Option<Submission> = match submission_id {
            Some(id) => match tx.get_text(SUBMISSIONS, &id).await? {
                Some(text) => Some(from_json(&text)?),
                None => None,
            },
            None => None,
        };
        let out = op(&mut record, submission.as_ref())?;
        tx.put_text(ORG, "org", &to_json(&record)?).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A status change of a stored submission decided by the domain (submit, review).
    async fn transition(
        &self,
        id: &str,
        decide: impl FnOnce(&Submission, &OrgRecord) -> Result<Submission, DomainError>,
    ) -> Result<Submission, BackendError> {
        // The decision validates the whole submission, logo bytes included: read it whole
        // first (reading a Blob would end an IndexedDB transaction), then check in the write
        // transaction that nobody saved in between.
        let whole = self.read_submission(id).await?;
        let tx = self.db.transaction(&[SUBMISSIONS, LOGOS, ORG], true)?;
        let record = Self::org(&tx).await?;
        let text = tx
            .get_text(SUBMISSIONS, id)
            .await?
            .ok_or_else(|| not_found(id))?;
        let stored: Submission = from_json(&text)?;
        if stored.version != whole.version {
            return Err(BackendError::Refused(DomainError::new(
                ErrorCode::Conflict,
                "This submission was saved elsewhere a moment ago: reload it and try again",
            )));
        }
        let next = decide(&whole, &record)?;
        tx.put_text(SUBMISSIONS, id, &text_without_logo(&next)?)
            .await?;
        tx.commit().await?;
        self.read_submission(id).await
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
            Self::user(&tx).await
        })
    }

    fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>> {
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, ORG], false)?;
            authorize(&Self::user(&tx).await?, Action::ViewSubmissions)?;
            let mut rows = Vec::new();
            for text in tx.all_text(SUBMISSIONS).await? {
                rows.push(stored_summary(&text).map_err(unreadable)?);
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
        Box::pin(async move {
            let user = self.current_user().await?;
            authorize(&user, Action::ViewSubmissions)?;
            self.read_submission(&id).await
        })
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

    fn delete_submission(&self, id: &str) -> BackendFuture<'_, ()> {
        let id = id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[SUBMISSIONS, LOGOS, ORG], true)?;
            let user = Self::org(&tx).await?.current_user;
            let text = tx
                .get_text(SUBMISSIONS, &id)
                .await?
                .ok_or_else(|| not_found(&id))?;
            let stored: Submission = from_json(&text)?;
            can_delete(&stored.summary(), &user)?;
            tx.delete(SUBMISSIONS, &id).await?;
            tx.delete(LOGOS, &id).await?;
            tx.commit().await
        })
    }

    fn withdraw_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        Box::pin(async move {
            self.transition(&id, |stored, record| {
                withdraw(stored, &record.current_user, now())
            })
            .await
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

    fn testing_view(&self, submission_id: &str) -> BackendFuture<'_, TestingView> {
        let id = submission_id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[ORG], false)?;
            let record = Self::org(&tx).await?;
            Ok(TestingView::of(&record.org, &id))
        })
    }

    fn generate_instance(&self, request: GenerateInstanceRequest) -> BackendFuture<'_, Instance> {
        Box::pin(async move {
            let secrets = NewSecrets {
                client_id: random_token("0oa", 17),
                client_secret: random_token("", 40),
                // A simulated org signs nothing: no certificate to offer.
                signing_certificate: String::new(),
            };
            let id = random_token("0oa", 12);
            let scope_id = request.submission_id.clone();
            self.org_op(Scope::Submission(&scope_id), |record, submission| {
                testing::generate_instance(
                    &mut record.org,
                    need(submission)?,
                    &record.current_user,
                    &request,
                    &id,
                    &secrets,
                    now(),
                    &ExpressionLanguage,
                )
            })
            .await
        })
    }

    fn regenerate_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            let secrets = NewSecrets {
                client_id: random_token("0oa", 17),
                client_secret: random_token("", 40),
                signing_certificate: String::new(),
            };
            let new_id = random_token("0oa", 12);
            self.org_op(Scope::Instance(&id), |record, submission| {
                testing::regenerate_instance(
                    &mut record.org,
                    need(submission)?,
                    &record.current_user,
                    &id,
                    &new_id,
                    &secrets,
                    now(),
                    &ExpressionLanguage,
                )
            })
            .await
        })
    }

    fn get_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[ORG], false)?;
            let record = Self::org(&tx).await?;
            permits(&record.current_user, Action::Test)
                .map_err(|m| DomainError::new(ErrorCode::Forbidden, m))?;
            record
                .org
                .instances
                .into_iter()
                .find(|i| i.id == id)
                .ok_or_else(|| {
                    BackendError::Refused(DomainError::new(
                        ErrorCode::NotFound,
                        format!("There is no instance with id {id}: it may have been deleted"),
                    ))
                })
        })
    }

    fn update_instance(&self, id: &str, update: InstanceUpdate) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::Instance(&id), |record, submission| {
                testing::update_instance(
                    &mut record.org,
                    need(submission)?,
                    &record.current_user,
                    &id,
                    update,
                    &ExpressionLanguage,
                )
                .map(|(instance, _)| instance.redacted())
            })
            .await
        })
    }

    fn set_instance_active(&self, id: &str, active: bool) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::OrgOnly, |record, _| {
                testing::set_active(&mut record.org, &record.current_user, &id, active)
                    .map(|i| i.redacted())
            })
            .await
        })
    }

    fn delete_instance(&self, id: &str) -> BackendFuture<'_, ()> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::OrgOnly, |record, _| {
                testing::delete_instance(&mut record.org, &record.current_user, &id)
            })
            .await
        })
    }

    fn add_to_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::Instance(&id), |record, submission| {
                testing::add_to_tester(
                    &mut record.org,
                    need(submission)?,
                    &record.current_user,
                    &id,
                )
                .map(|i| i.redacted())
            })
            .await
        })
    }

    fn remove_from_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::OrgOnly, |record, _| {
                testing::remove_from_tester(&mut record.org, &record.current_user, &id)
                    .map(|i| i.redacted())
            })
            .await
        })
    }

    fn start_tester_session(&self) -> BackendFuture<'_, TesterSession> {
        Box::pin(async move {
            let session_id = new_id("session");
            self.org_op(Scope::OrgOnly, |record, _| {
                testing::start_tester_session(
                    &mut record.org,
                    &record.current_user,
                    &session_id,
                    now(),
                )
            })
            .await
        })
    }

    fn start_run(&self, request: StartRunRequest) -> BackendFuture<'_, TestRun> {
        Box::pin(async move {
            let run_id = new_id("run");
            // The temporary JIT user's credential, shown once in the Test in progress panel.
            let jit_password = format!("Jit-{}-7a", random_token("", 16));
            let instance_id = request.instance_id.clone();
            self.org_op(Scope::Instance(&instance_id), |record, submission| {
                testing::start_run(
                    &mut record.org,
                    need(submission)?,
                    &record.current_user,
                    &request,
                    &run_id,
                    &jit_password,
                    now(),
                )
            })
            .await
        })
    }

    fn finish_run(&self, id: &str, request: FinishRunRequest) -> BackendFuture<'_, TestRun> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::Run(&id), |record, _| {
                testing::finish_run(&mut record.org, &record.current_user, &id, &request, now())
            })
            .await
        })
    }

    fn check_scim_credentials(&self, id: &str) -> BackendFuture<'_, ScimCheckResponse> {
        let id = id.to_string();
        Box::pin(async move {
            self.org_op(Scope::Instance(&id), |record, submission| {
                permits(&record.current_user, Action::Test)
                    .map_err(|m| DomainError::new(ErrorCode::Forbidden, m))?;
                let instance = record
                    .org
                    .instances
                    .iter()
                    .find(|i| i.id == id)
                    .ok_or_else(|| DomainError::new(ErrorCode::NotFound, "No such instance"))?;
                Ok(testing::scim_check_without_server(
                    need(submission)?,
                    instance,
                    testing::EMBEDDED_SCIM_CHECK,
                ))
            })
            .await
        })
    }

    fn start_scim_run(&self, _instance_id: &str) -> BackendFuture<'_, ScimRun> {
        Box::pin(async move { Err(super::needs_the_server()) })
    }

    fn start_scim_oauth(
        &self,
        _instance_id: &str,
    ) -> BackendFuture<'_, crate::domain::scim_oauth::ScimOauthStart> {
        Box::pin(async move { Err(super::oauth_needs_the_server()) })
    }

    fn latest_scim_run(&self, _instance_id: &str) -> BackendFuture<'_, Option<ScimRun>> {
        // This backend never ran one.
        Box::pin(async move { Ok(None) })
    }

    fn create_test_user(&self, user: User) -> BackendFuture<'_, User> {
        Box::pin(async move {
            let id = new_id("user");
            self.org_op(Scope::OrgOnly, |record, _| {
                testing::create_test_user(&mut record.org, &record.current_user, user, &id)
            })
            .await
        })
    }

    fn submit(&self, id: &str, request: SubmitRequest) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        Box::pin(async move {
            self.transition(&id, |stored, record| {
                submit_request(
                    &SubmitContext {
                        submission: stored,
                        org: &record.org,
                        user: &record.current_user,
                        now: now(),
                        certified: request.certified,
                        expressions: &ExpressionLanguage,
                        scim_runs: None,
                    },
                    &request,
                )
            })
            .await
        })
    }

    fn review(&self, id: &str, request: ReviewRequest) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        Box::pin(async move {
            self.transition(&id, |stored, record| {
                review_request(stored, &record.current_user, &request, now())
            })
            .await
        })
    }
}
