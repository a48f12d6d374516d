//! The local copy of unsaved edits, kept in the browser whichever backend is used, so a reload
//! or a crash restores exactly what was typed. Secrets are never written here: the copy is the
//! domain's redacted one, and a restore takes secrets from the saved submission.

use super::idb::{Db, DRAFTS};
use super::BackendError;
use crate::domain::{Submission, REDACTED};

/// Writes the unsaved copy of `draft` (redacted, without logo bytes).
pub async fn keep(draft: &Submission) -> Result<(), BackendError> {
    let mut copy = draft.redacted();
    if let Some(logo) = copy.catalog.logo.as_mut() {
        logo.data.clear();
    }
    let text = serde_json::to_string(&copy)
        .map_err(|e| BackendError::Storage(format!("Could not keep your unsaved changes: {e}")))?;
    let db = Db::open().await?;
    let tx = db.transaction(&[DRAFTS], true)?;
    tx.put_text(DRAFTS, &draft.id, &text).await?;
    tx.commit().await
}

/// Forgets the unsaved copy (after a successful save of the same edits).
pub async fn forget(id: &str) -> Result<(), BackendError> {
    let db = Db::open().await?;
    let tx = db.transaction(&[DRAFTS], true)?;
    tx.delete(DRAFTS, id).await?;
    tx.commit().await
}

/// The unsaved copy of submission `id`, with secrets and logo bytes filled in from `saved`.
pub async fn recall(saved: &Submission) -> Result<Option<Submission>, BackendError> {
    let db = Db::open().await?;
    let tx = db.transaction(&[DRAFTS], false)?;
    let Some(text) = tx.get_text(DRAFTS, &saved.id).await? else {
        return Ok(None);
    };
    let Ok(mut draft) = serde_json::from_str::<Submission>(&text) else {
        return Ok(None);
    };
    if draft.test_info.password == REDACTED {
        draft.test_info.password = saved.test_info.password.clone();
    }
    if draft.scim.oauth.client_secret == REDACTED {
        draft.scim.oauth.client_secret = saved.scim.oauth.client_secret.clone();
    }
    if let (Some(mine), Some(theirs)) = (draft.catalog.logo.as_mut(), saved.catalog.logo.as_ref()) {
        if mine.data.is_empty() && mine.file_name == theirs.file_name {
            mine.data = theirs.data.clone();
        }
    }
    Ok(Some(draft))
}
