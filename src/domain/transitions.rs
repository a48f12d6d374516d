//! Status transitions and saving edits (SPEC 2, 5.5, 0). Illegal ones are errors, never panics.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::instances::instance_configuration_changed;
use super::model::{PublishedVersion, Status, Submission, SubmissionSummary, User, REDACTED};
use super::problems::Problem;
use super::roles::{permits, Action};
use super::submit::{unmet_requirements, SubmitContext, UnmetRequirement};

/// Why an operation was refused; the code maps to an HTTP status (docs/api.md).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainError {
    /// Stable code.
    pub code: ErrorCode,
    /// Actionable message.
    pub message: String,
    /// For `unmetRequirements`: what is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<UnmetRequirement>,
    /// For `rejected` saves: the server's field problems, shown under their fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// Error codes of the contract.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// 403: the user's roles or email don't allow it.
    Forbidden,
    /// 404: no such submission or instance.
    NotFound,
    /// 409: the save was based on an older version.
    Conflict,
    /// 409: not allowed from the current status.
    InvalidTransition,
    /// 422: the submit gate has unmet requirements.
    UnmetRequirements,
    /// 422: a limit or rule refused the request (active instances, delete active…).
    Rejected,
    /// 400: a server could not read the request (not JSON, wrong shape, wrong `apiVersion`).
    BadRequest,
    /// 401: a server needs a signed-in session (none, expired, or wrong credentials).
    Unauthenticated,
    /// 413: the request body is over a server's limit.
    TooLarge,
    /// 415: a state-changing request that is not `application/json`.
    UnsupportedMediaType,
    /// 429: too many failed sign-ins; wait before trying again.
    TooManyRequests,
}

impl ErrorCode {
    /// The HTTP status a backend answers with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict | ErrorCode::InvalidTransition => 409,
            ErrorCode::UnmetRequirements | ErrorCode::Rejected => 422,
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::TooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::TooManyRequests => 429,
        }
    }
}

impl DomainError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        DomainError {
            code,
            message: message.into(),
            unmet: Vec::new(),
            problems: Vec::new(),
        }
    }
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DomainError {}

/// [`permits`] as the contract's refusal: `forbidden` (403) with the role rule's message. A
/// backend calls it before listing or reading submissions (`Action::ViewSubmissions`).
pub fn authorize(user: &User, action: Action) -> Result<(), DomainError> {
    permits(user, action).map_err(|m| DomainError::new(ErrorCode::Forbidden, m))
}

fn forbid(user: &User, action: Action) -> Result<(), DomainError> {
    authorize(user, action)
}

/// **Build new OIN integration**: a new Draft, version 1.
pub fn create_submission(
    id: &str,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    forbid(user, Action::EditSubmissions)?;
    Ok(Submission {
        id: id.to_string(),
        version: 1,
        status: Status::Draft,
        updated: now,
        ..Submission::default()
    })
}

/// Saves an edit: `edited` must be based on `stored.version` (else 409 Conflict); the result
/// has version + 1 and `updated = now`. Status, id, migrated flag and published snapshot are
/// the stored ones: a client cannot change them by saving; a secret sent back as
/// [`REDACTED`] keeps the stored secret. Published and under-review submissions are read-only.
pub fn save_edit(
    stored: &Submission,
    edited: &Submission,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    forbid(user, Action::EditSubmissions)?;
    if let Some(why) = super::navigation::edit_refusal(stored.status) {
        return Err(DomainError::new(ErrorCode::InvalidTransition, why));
    }
    if edited.version != stored.version {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            format!(
                "This submission was saved elsewhere (version {} is newer than your version {}): reload it and apply your changes again",
                stored.version, edited.version
            ),
        ));
    }
    let mut next = edited.clone();
    next.id = stored.id.clone();
    next.status = stored.status;
    next.migrated = stored.migrated;
    next.published = stored.published.clone();
    next.review_note = stored.review_note.clone();
    next.version = stored.version.saturating_add(1);
    next.updated = now;
    next.config_version = if instance_configuration_changed(stored, &next) {
        next.version
    } else {
        stored.instance_version()
    };
    // A client that loaded a redacted copy sends the placeholder back: keep the real secret.
    keep_secret(&mut next.test_info.password, &stored.test_info.password);
    keep_secret(
        &mut next.scim.oauth.client_secret,
        &stored.scim.oauth.client_secret,
    );
    Ok(next)
}

fn keep_secret(sent: &mut String, stored: &str) {
    if sent == REDACTED {
        *sent = stored.to_string();
    }
}

/// **Submit integration** (SPEC 5.5): Draft or ISV to review → OIN to review, only when the
/// gate has no unmet requirement.
pub fn submit(ctx: &SubmitContext<'_>) -> Result<Submission, DomainError> {
    let s = ctx.submission;
    forbid(ctx.user, Action::Submit)?;
    if !matches!(s.status, Status::Draft | Status::IsvToReview) {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            format!(
                "A submission in status {} cannot be submitted",
                s.status.label()
            ),
        ));
    }
    let unmet = unmet_requirements(ctx);
    if !unmet.is_empty() {
        return Err(DomainError {
            code: ErrorCode::UnmetRequirements,
            message: format!("{} requirement(s) are not met yet", unmet.len()),
            unmet,
            problems: Vec::new(),
        });
    }
    let mut next = s.clone();
    next.status = Status::OinToReview;
    next.updated = ctx.now;
    Ok(next)
}

/// `POST /submissions/{id}/submit` on a stored submission: the version the user saw must
/// still be the stored one (else 409 Conflict), then [`submit`] decides.
pub fn submit_request(
    ctx: &SubmitContext<'_>,
    request: &crate::domain::api::SubmitRequest,
) -> Result<Submission, DomainError> {
    if request.version != ctx.submission.version {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            "This submission was saved elsewhere since you loaded it: reload it and check the requirements again",
        ));
    }
    submit(&SubmitContext {
        certified: request.certified,
        ..*ctx
    })
}

/// The catalog team's decision on a submission under review.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReviewDecision {
    /// Issues found: → ISV to review.
    ChangesRequested,
    /// → Published, with a snapshot.
    Publish,
}

/// A review outcome (SPEC 2): only from OIN to review.
pub fn review(
    submission: &Submission,
    decision: ReviewDecision,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    if submission.status != Status::OinToReview {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            format!(
                "Only a submission in OIN to review can be reviewed; this one is {}",
                submission.status.label()
            ),
        ));
    }
    let mut next = submission.clone();
    next.updated = now;
    match decision {
        ReviewDecision::ChangesRequested => next.status = Status::IsvToReview,
        ReviewDecision::Publish => {
            next.status = Status::Published;
            let mut snapshot = submission.clone();
            snapshot.published = None;
            snapshot.status = Status::Published;
            snapshot.updated = now;
            next.published = Some(PublishedVersion {
                version: submission.version,
                published_at: now,
                submission: Box::new(snapshot),
            });
        }
    }
    Ok(next)
}

/// The Review desk's decision on a stored submission (`POST /submissions/{id}/review`): the
/// catalog reviewer role, the version reviewed still current, and a message to the vendor when
/// asking for changes. The message is kept as [`Submission::review_note`].
pub fn review_request(
    stored: &Submission,
    user: &User,
    request: &crate::domain::api::ReviewRequest,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    forbid(user, Action::Review)?;
    if request.version != stored.version {
        return Err(DomainError::new(
            ErrorCode::Conflict,
            format!(
                "Version {} was reviewed, but the submission is now version {}: reload it",
                request.version, stored.version
            ),
        ));
    }
    let note = request.note.trim();
    if request.decision == ReviewDecision::ChangesRequested && note.is_empty() {
        return Err(DomainError::new(
            ErrorCode::Rejected,
            "Write a message telling the vendor what to fix before sending it back as ISV to review",
        ));
    }
    let mut next = review(stored, request.decision, now)?;
    next.review_note = note.to_string();
    Ok(next)
}

/// **Edit integration** on a published submission (SPEC 2): → Draft dated `now`, a new current
/// version, the published snapshot kept. A migrated SCIM integration gets Import users (and
/// Import groups when groups are managed) switched on (SPEC 4.5).
pub fn edit_published(
    submission: &Submission,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    forbid(user, Action::EditSubmissions)?;
    if submission.status != Status::Published || submission.published.is_none() {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            "Only a published integration has Edit integration; this one is already editable",
        ));
    }
    let mut next = submission.clone();
    next.status = Status::Draft;
    next.updated = now;
    next.version = submission.version.saturating_add(1);
    next.config_version = next.version;
    if next.migrated && next.protocols.scim {
        next.scim.user_operations.import_users = true;
        if next.scim.manage_groups {
            next.scim.group_operations.import_groups = true;
        }
    }
    Ok(next)
}

/// Whether the dashboard should show the "Application instance not detected" dialog after
/// Edit integration (SPEC 2): no instance generated from the published version (before
/// publishing, or since with "Published version").
pub fn needs_published_instance(
    submission: &Submission,
    instances: &[super::model::Instance],
) -> bool {
    match super::instances::published_instance_version(submission) {
        None => false,
        Some(v) => !instances
            .iter()
            .any(|i| i.submission_id == submission.id && i.submission_version == v),
    }
}

/// Whether the row's submission may be deleted (`DELETE /submissions/{id}`): a Draft the
/// user no longer wants, by someone who may edit submissions. A Draft that edits a published
/// integration is refused: deleting it would take the published integration with it.
pub fn can_delete(row: &SubmissionSummary, user: &User) -> Result<(), DomainError> {
    forbid(user, Action::EditSubmissions)?;
    if row.status != Status::Draft {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            format!(
                "Only a Draft can be deleted; this integration is {}",
                row.status.label()
            ),
        ));
    }
    if row.published_version.is_some() {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            "This Draft edits a published integration, which stays in the catalog: it can't be deleted here. To remove the integration, contact the catalog team",
        ));
    }
    Ok(())
}

/// Whether the row's submission may be withdrawn (`POST /submissions/{id}/withdraw`): one in
/// "OIN to review", by someone who may edit submissions.
pub fn can_withdraw(row: &SubmissionSummary, user: &User) -> Result<(), DomainError> {
    forbid(user, Action::EditSubmissions)?;
    if row.status != Status::OinToReview {
        return Err(DomainError::new(
            ErrorCode::InvalidTransition,
            format!(
                "Only a submission in OIN to review can be withdrawn; this one is {}",
                row.status.label()
            ),
        ));
    }
    Ok(())
}

/// **Withdraw submission**: OIN to review → Draft dated `now`, a new version (so a review of
/// the withdrawn version is refused as stale). The configuration is unchanged, so instances
/// generated for it stay eligible and their test results stay valid.
pub fn withdraw(
    stored: &Submission,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Submission, DomainError> {
    can_withdraw(&stored.summary(), user)?;
    let mut next = stored.clone();
    next.status = Status::Draft;
    next.updated = now;
    next.config_version = stored.instance_version();
    next.version = stored.version.saturating_add(1);
    Ok(next)
}
