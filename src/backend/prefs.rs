//! Small per-browser preferences (which one-time notices were dismissed). Not part of the
//! contract: nothing here is a secret or a user's work. Missing storage means "not dismissed".

const PREFIX: &str = "oin-wizard.dismissed.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the notice `key` was dismissed in this browser.
pub fn dismissed(key: &str) -> bool {
    storage()
        .and_then(|s| s.get_item(&format!("{PREFIX}{key}")).ok().flatten())
        .is_some()
}

/// Remembers that the notice `key` was dismissed.
pub fn dismiss(key: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{PREFIX}{key}"), "1");
    }
}
