//! The local copy of unsaved edits, kept in the browser whichever backend is used, so a reload
//! or a crash restores exactly what was typed. It is written synchronously on every edit
//! (`localStorage`): an asynchronous write can be cut off by an immediate reload, and then the
//! last keystrokes would be lost.
//!
//! Secrets and logo bytes are never written here: the copy is the domain's redacted one
//! without the logo's bytes, and a restore takes both from the saved submission. What a
//! restore therefore can't bring back (a secret or a logo changed since the last save) is
//! recorded with the copy, so the user is told exactly what to enter again.
//!
//! Copies belong to one backend, base URL and user ([`Scope`]): another account or server
//! never sees them, and signing out removes them. Building and reading copies is plain Rust
//! (tested natively); only the storage calls are browser code.

use serde::{Deserialize, Serialize};

use crate::backend::config::{BackendKind, Config};
use crate::domain::navigation::edit_refusal;
use crate::domain::{Logo, Submission, REDACTED};

const PREFIX: &str = "oin-wizard.unsaved.";

/// Whose local copies: a backend, its base URL and a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope(String);

impl Scope {
    /// The copies of `user_id` on the backend `config` names.
    pub fn new(config: &Config, user_id: &str) -> Scope {
        let backend = match config.backend {
            BackendKind::Embedded => "embedded",
            BackendKind::Http => "http",
        };
        // JSON keeps the three parts apart whatever they hold.
        let parts = serde_json::to_string(&[backend, &config.base_url, user_id])
            .unwrap_or_else(|_| format!("{backend} {} {user_id}", config.base_url));
        Scope(format!("{PREFIX}{parts}."))
    }

    /// The storage key of submission `id`'s copy.
    pub fn key(&self, id: &str) -> String {
        format!("{}{id}", self.0)
    }

    /// Whether `key` is a copy of this scope.
    pub fn owns(&self, key: &str) -> bool {
        key.starts_with(&self.0)
    }
}

/// What the backend holds of the parts a local copy can't keep: secrets and the logo.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    password: String,
    client_secret: String,
    logo: Option<Logo>,
}

impl Baseline {
    /// The parts of `saved` (what the backend holds now).
    pub fn of(saved: &Submission) -> Baseline {
        Baseline {
            password: saved.test_info.password.clone(),
            client_secret: saved.scim.oauth.client_secret.clone(),
            logo: saved.catalog.logo.clone(),
        }
    }

    /// The logo the backend holds.
    pub fn logo(&self) -> Option<&Logo> {
        self.logo.as_ref()
    }
}

/// A secret the local copy never holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Secret {
    /// Test information: Password.
    Password,
    /// SCIM OAuth 2: Client secret.
    ClientSecret,
}

impl Secret {
    /// The field's label, as the page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Secret::Password => "Password (test information)",
            Secret::ClientSecret => "Client secret (SCIM OAuth 2)",
        }
    }
}

/// What is written: the redacted draft without logo bytes, and what it can't bring back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalCopy {
    /// The draft, secrets redacted, logo without its bytes.
    pub draft: Submission,
    /// Secrets typed since the last save (lost on a restore: to enter again).
    #[serde(default)]
    pub unsaved_secrets: Vec<Secret>,
    /// The file name of a logo chosen since the last save (its bytes are not kept).
    #[serde(default)]
    pub unsaved_logo: Option<String>,
}

impl LocalCopy {
    /// The copy of `draft`, measured against what the backend holds (`saved`).
    pub fn of(draft: &Submission, saved: &Baseline) -> LocalCopy {
        let mut copy = draft.redacted();
        if let Some(logo) = copy.catalog.logo.as_mut() {
            logo.data.clear();
        }
        let mut unsaved_secrets = Vec::new();
        if draft.test_info.password != saved.password {
            unsaved_secrets.push(Secret::Password);
        }
        if draft.scim.oauth.client_secret != saved.client_secret {
            unsaved_secrets.push(Secret::ClientSecret);
        }
        let unsaved_logo = match (&draft.catalog.logo, &saved.logo) {
            (Some(mine), theirs) if theirs.as_ref() != Some(mine) => Some(mine.file_name.clone()),
            _ => None,
        };
        LocalCopy {
            draft: copy,
            unsaved_secrets,
            unsaved_logo,
        }
    }

    /// The draft to restore over `saved`: secrets and logo bytes taken from it (a logo
    /// without bytes is never restored), and what the user must enter again, in words.
    pub fn restore(self, saved: &Submission) -> (Submission, Vec<String>) {
        let mut draft = self.draft;
        let mut again = Vec::new();
        if draft.test_info.password == REDACTED {
            draft.test_info.password = saved.test_info.password.clone();
        }
        if draft.scim.oauth.client_secret == REDACTED {
            draft.scim.oauth.client_secret = saved.scim.oauth.client_secret.clone();
        }
        for secret in self.unsaved_secrets {
            again.push(secret.label().to_string());
        }
        if let Some(name) = self.unsaved_logo {
            again.push(format!("Logo (choose the file {name} again)"));
            draft.catalog.logo = saved.catalog.logo.clone();
        } else if draft
            .catalog
            .logo
            .as_ref()
            .is_some_and(|l| l.data.is_empty())
        {
            draft.catalog.logo = saved.catalog.logo.clone();
        }
        (draft, again)
    }

    /// Reads a stored copy; `None` when it is not one (another format, damaged).
    pub fn read(text: &str) -> Option<LocalCopy> {
        serde_json::from_str(text).ok()
    }
}

/// The message when the browser refused to store the copy (full, blocked): the edits stay in
/// the page and are saved as usual.
pub const NOT_KEPT: &str = "This browser's storage is full or blocked, so your unsaved changes are not copied to it: they are kept in this page until saved. Don't close or reload it before \"Saved\" shows.";

#[cfg(target_arch = "wasm32")]
pub use browser::{count, forget, forget_all, keep, recall};

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{Baseline, LocalCopy, Scope, NOT_KEPT, PREFIX};
    use crate::domain::Submission;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Writes the local copy of `draft`. `Err` ([`NOT_KEPT`]) when the browser refused it (no
    /// storage, full): the caller shows it; the edits still live in the page.
    pub fn keep(scope: &Scope, draft: &Submission, saved: &Baseline) -> Result<(), &'static str> {
        let text = serde_json::to_string(&LocalCopy::of(draft, saved)).map_err(|_| NOT_KEPT)?;
        let storage = storage().ok_or(NOT_KEPT)?;
        storage
            .set_item(&scope.key(&draft.id), &text)
            .map_err(|_| NOT_KEPT)
    }

    /// Forgets the local copy of `id` (after a successful save of the same edits).
    pub fn forget(scope: &Scope, id: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&scope.key(id));
        }
    }

    /// How many copies `scope` holds (edits not saved to the backend yet), leaving out the
    /// copy of submission `except`.
    pub fn count(scope: &Scope, except: Option<&str>) -> usize {
        let Some(storage) = storage() else { return 0 };
        let skip = except.map(|id| scope.key(id));
        let total = storage.length().unwrap_or(0);
        (0..total)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| scope.owns(k) && skip.as_ref() != Some(k))
            .count()
    }

    /// Signing out: forgets every copy of `scope`, and copies from before copies had owners.
    pub fn forget_all(scope: &Scope) {
        let Some(storage) = storage() else { return };
        let count = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| {
                scope.owns(k) || (k.starts_with(PREFIX) && !k[PREFIX.len()..].starts_with('['))
            })
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
    }

    /// The unsaved copy of `saved`'s submission restored over it, and what to enter again.
    pub fn recall(scope: &Scope, saved: &Submission) -> Option<(Submission, Vec<String>)> {
        let text = storage()?.get_item(&scope.key(&saved.id)).ok()??;
        Some(LocalCopy::read(&text)?.restore(saved))
    }
}

/// What a local copy found when a submission opens becomes. Nothing typed is ever lost, and
/// nothing is applied where the backend would refuse it.
#[derive(Clone, Debug, PartialEq)]
pub enum Restore {
    /// No copy, or it holds what the backend holds: the copy can go.
    Nothing,
    /// Unsaved edits of the version the backend holds: shown, and saved.
    Resume(Submission),
    /// Edits of another version (the submission was saved elsewhere since): shown, with the
    /// backend's copy to choose from.
    Conflict(Submission),
    /// The submission can't be edited now (it went to the catalog team or was published
    /// elsewhere, [`edit_refusal`]): the backend's copy is shown, and the local one is kept,
    /// not applied, until the submission is a Draft again (then it is a [`Restore::Conflict`]).
    Held,
}

/// The [`Restore`] of `mine` (the local copy, if any) against `saved` (the backend's).
pub fn restore(saved: &Submission, mine: Option<Submission>) -> Restore {
    match mine {
        None => Restore::Nothing,
        Some(mine) if same_content(&mine, saved) => Restore::Nothing,
        Some(_) if edit_refusal(saved.status).is_some() => Restore::Held,
        Some(mine) if mine.version == saved.version => Restore::Resume(mine),
        Some(mine) => Restore::Conflict(mine),
    }
}

/// Whether two copies of a submission hold the same edits (the backend's bookkeeping aside:
/// version, save time, `config_version`).
pub fn same_content(a: &Submission, b: &Submission) -> bool {
    let strip = |s: &Submission| Submission {
        version: 0,
        config_version: 0,
        updated: Default::default(),
        ..s.clone()
    };
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Submission {
        let mut s = Submission {
            id: "sub-1".into(),
            version: 3,
            ..Submission::default()
        };
        s.test_info.password = "saved-password".into();
        s.scim.oauth.client_secret = "saved-secret".into();
        s.catalog.logo = Some(Logo {
            file_name: "old.png".into(),
            media_type: "image/png".into(),
            data: vec![1, 2, 3],
        });
        s
    }

    /// Nothing typed is lost, and nothing is applied where the backend would refuse it: a copy
    /// of a Draft that went to review or was published elsewhere is held back (it was shown as
    /// an editable Draft in a conflict before), and offered again once it is a Draft.
    #[test]
    fn a_local_copy_is_resumed_offered_held_or_dropped() {
        use crate::domain::Status;
        let typed = |version| {
            let mut s = saved();
            s.catalog.display_name = "Typed here".into();
            s.version = version;
            s
        };
        let at = |status, version| Submission {
            status,
            version,
            ..saved()
        };
        assert_eq!(restore(&saved(), None), Restore::Nothing);
        assert_eq!(
            restore(&saved(), Some(at(Status::Draft, 2))),
            Restore::Nothing
        );
        assert_eq!(restore(&saved(), Some(typed(3))), Restore::Resume(typed(3)));
        assert_eq!(
            restore(&saved(), Some(typed(2))),
            Restore::Conflict(typed(2))
        );
        assert_eq!(
            restore(&saved(), Some(typed(4))),
            Restore::Conflict(typed(4))
        );
        for status in [Status::OinToReview, Status::Published] {
            assert_eq!(
                restore(&at(status, 4), Some(typed(3))),
                Restore::Held,
                "{status:?}"
            );
            assert_eq!(
                restore(&at(status, 3), Some(typed(3))),
                Restore::Held,
                "{status:?}"
            );
        }
        // Back to Draft (withdrawn, or Edit integration): offered to choose.
        assert_eq!(
            restore(&at(Status::Draft, 5), Some(typed(3))),
            Restore::Conflict(typed(3))
        );
        assert_eq!(
            restore(&at(Status::IsvToReview, 5), Some(typed(3))),
            Restore::Conflict(typed(3))
        );
    }

    /// Issue 12: copies are keyed by backend, base URL and user.
    #[test]
    fn scopes_keep_accounts_and_servers_apart() {
        let embedded = Config::default();
        let http = |base: &str| Config {
            backend: BackendKind::Http,
            base_url: base.into(),
            ..Config::default()
        };
        let keys = [
            Scope::new(&embedded, "00u1").key("sub-1"),
            Scope::new(&embedded, "00u2").key("sub-1"),
            Scope::new(&http("/api"), "00u1").key("sub-1"),
            Scope::new(&http("https://a.example"), "00u1").key("sub-1"),
            Scope::new(&http("https://b.example"), "00u1").key("sub-1"),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let scope = Scope::new(&http("https://a.example"), "00u1");
        assert!(scope.owns(&scope.key("anything")));
        assert!(!Scope::new(&http("https://a.example"), "00u").owns(&scope.key("x")));
    }

    /// Issue 12: a restore says which secrets and which logo to enter again, and never
    /// brings back a logo without bytes.
    #[test]
    fn a_restore_names_what_to_enter_again() {
        let saved = saved();
        let baseline = Baseline::of(&saved);

        // Nothing secret changed: secrets come back from the saved submission.
        let mut draft = saved.clone();
        draft.catalog.display_name = "Typed".into();
        let copy = LocalCopy::of(&draft, &baseline);
        assert_eq!(copy.draft.test_info.password, REDACTED);
        assert!(copy
            .draft
            .catalog
            .logo
            .as_ref()
            .is_some_and(|l| l.data.is_empty()));
        let (restored, again) = LocalCopy::read(&serde_json::to_string(&copy).unwrap_or_default())
            .map(|c| c.restore(&saved))
            .unwrap_or_default();
        assert_eq!(restored, draft);
        assert!(again.is_empty());

        // A new password, client secret and logo were not saved yet.
        let mut draft = saved.clone();
        draft.test_info.password = "typed-password".into();
        draft.scim.oauth.client_secret = "typed-secret".into();
        draft.catalog.logo = Some(Logo {
            file_name: "new.png".into(),
            media_type: "image/png".into(),
            data: vec![9, 9],
        });
        let text = serde_json::to_string(&LocalCopy::of(&draft, &baseline)).unwrap_or_default();
        assert!(!text.contains("typed-password") && !text.contains("typed-secret"));
        let (restored, again) = LocalCopy::read(&text)
            .map(|c| c.restore(&saved))
            .unwrap_or_default();
        assert_eq!(
            again,
            vec![
                "Password (test information)".to_string(),
                "Client secret (SCIM OAuth 2)".to_string(),
                "Logo (choose the file new.png again)".to_string(),
            ]
        );
        assert_eq!(restored.test_info.password, "saved-password");
        assert_eq!(restored.catalog.logo, saved.catalog.logo);

        // A new logo when none was saved: no logo rather than one without bytes.
        let mut bare = saved.clone();
        bare.catalog.logo = None;
        let copy = LocalCopy::of(&draft, &Baseline::of(&bare));
        let (restored, _) = copy.restore(&bare);
        assert_eq!(restored.catalog.logo, None);
    }

    #[test]
    fn damaged_copies_are_ignored() {
        for text in ["", "{", "[]", r#"{ "id": "sub-1" }"#, r#"{ "draft": 3 }"#] {
            assert_eq!(LocalCopy::read(text), None, "{text}");
        }
    }
}
