//! The local copy of unsaved edits, kept in the browser whichever backend is used, so a reload
//! or a crash restores exactly what was typed. It is written synchronously on every edit
//! (`localStorage`): an asynchronous write can be cut off by an immediate reload, and then the
//! last keystrokes would be lost. Secrets and logo bytes are never written here: the copy is
//! the domain's redacted one without the logo's bytes, and a restore takes both from the
//! saved submission.

use crate::domain::{Submission, REDACTED};

const PREFIX: &str = "oin-wizard.unsaved.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Writes the unsaved copy of `draft` (redacted, without logo bytes). Best effort: without
/// storage (or when it is full) the edits still live in the page and are saved as usual.
pub fn keep(draft: &Submission) {
    let mut copy = draft.redacted();
    if let Some(logo) = copy.catalog.logo.as_mut() {
        logo.data.clear();
    }
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&copy)) {
        let _ = storage.set_item(&format!("{PREFIX}{}", draft.id), &text);
    }
}

/// Forgets the unsaved copy (after a successful save of the same edits).
pub fn forget(id: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{id}"));
    }
}

/// The unsaved copy of `saved`'s submission, with secrets and logo bytes filled in from it.
pub fn recall(saved: &Submission) -> Option<Submission> {
    let text = storage()?
        .get_item(&format!("{PREFIX}{}", saved.id))
        .ok()??;
    let mut draft: Submission = serde_json::from_str(&text).ok()?;
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
    Some(draft)
}
