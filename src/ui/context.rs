//! What every page can reach: the backend door, the runtime configuration and the signed-in
//! user.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

use crate::backend::config::{BackendKind, Config};
use crate::backend::drafts::{self, Scope};
use crate::backend::http::SignInGate;
use crate::backend::Backend;
use crate::domain::roles::{permits, Action};
use crate::domain::User;

/// Saves what an open page holds unsaved and says whether it is saved (`Err`: why not).
pub type Settle = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), String>>>>>;

/// The open editor's registration for **Sign out**: its token, its submission's id and its
/// save; and the last token given.
#[derive(Default)]
struct SettleSlot {
    open: Option<(u64, String, Settle)>,
    last: u64,
}

/// Why **Sign out** waits for the user: edits that are not saved to the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsavedAtSignOut {
    /// Why the open integration's edits could not be saved, if they could not.
    pub open: Option<String>,
    /// How many other integrations have edits kept only in this browser.
    pub elsewhere: usize,
}

/// App-wide state, provided once the backend is open.
#[derive(Clone, Copy)]
pub struct AppState {
    backend: StoredValue<Rc<dyn Backend>, LocalStorage>,
    config: StoredValue<Config>,
    /// Where HTTP calls that met a 401 wait for the sign-in form.
    gate: StoredValue<SignInGate, LocalStorage>,
    /// The signed-in user, once the backend answered.
    pub user: RwSignal<Option<User>>,
    /// Why the signed-in user could not be read (`GET /me` failed): shown with Retry.
    pub user_error: RwSignal<Option<String>>,
    /// Whether the sign-in form is open (a call met a 401).
    pub signing_in: RwSignal<bool>,
    /// Set by **Sign out** while it leaves (edits saved, or their loss confirmed): no warning.
    pub signing_out: RwSignal<bool>,
    /// The open editor's way to save before signing out, under its token with its
    /// submission's id; the last token given.
    settle: StoredValue<SettleSlot, LocalStorage>,
    /// **Sign out** found edits it could not save: the user chooses (stay, or discard them).
    pub unsaved_at_sign_out: RwSignal<Option<UnsavedAtSignOut>>,
    /// A one-time message for the next page (e.g. why "Test your integration" landed here).
    pub notice: RwSignal<Option<String>>,
    /// Counts saves that landed: lists read it to refresh after a save they raced.
    pub saved: RwSignal<u64>,
}

impl AppState {
    /// Wraps an open backend, the configuration it was opened with and its sign-in gate.
    pub fn new(backend: Rc<dyn Backend>, config: Config, gate: SignInGate) -> Self {
        let state = AppState {
            backend: StoredValue::new_local(backend),
            config: StoredValue::new(config),
            gate: StoredValue::new_local(gate.clone()),
            user: RwSignal::new(None),
            user_error: RwSignal::new(None),
            signing_in: RwSignal::new(false),
            signing_out: RwSignal::new(false),
            settle: StoredValue::new_local(SettleSlot::default()),
            unsaved_at_sign_out: RwSignal::new(None),
            notice: RwSignal::new(None),
            saved: RwSignal::new(0),
        };
        gate.on_ask(move || {
            let _ = state.signing_in.try_set(true);
        });
        state
    }

    /// The backend door (cheap clone of the handle).
    pub fn backend(&self) -> Rc<dyn Backend> {
        self.backend.get_value()
    }

    /// The runtime configuration (`config.json`), e.g. the catalog team's `catalog_contact`.
    pub fn config(&self) -> Config {
        self.config.get_value()
    }

    /// Whether the in-browser backend is in use (the profile dialog and the samples exist
    /// only there: a server owns its users and data).
    pub fn is_embedded(&self) -> bool {
        self.config
            .with_value(|c| c.backend == BackendKind::Embedded)
    }

    /// Reads the signed-in user (at start, and Retry after a failure).
    pub fn load_user(&self) {
        let state = *self;
        state.user_error.set(None);
        let backend = self.backend();
        leptos::task::spawn_local(async move {
            match backend.current_user().await {
                Ok(user) => {
                    state.user.set(Some(user));
                }
                Err(e) => state.user_error.set(Some(e.to_string())),
            }
        });
    }

    /// The one rule the editor and the Test integration page apply for `action`: the user's
    /// roles decide (SPEC 1); while the account is unknown (still being read, or `GET /me`
    /// failed) nothing role-bound is allowed, and the reason says why.
    pub fn permits(&self, action: Action) -> Result<(), String> {
        self.user.with(|u| match u {
            Some(user) => permits(user, action),
            None if self.user_error.with(Option::is_some) => Err(
                "Your account could not be read, so what you may do is not known: choose Retry at the top of the page"
                    .into(),
            ),
            None => Err("Reading your account…".into()),
        })
    }

    /// Whose local copies of unsaved edits are used: this backend, base URL and user.
    pub fn drafts_scope(&self) -> Option<Scope> {
        let user_id = self
            .user
            .with_untracked(|u| u.as_ref().map(|u| u.id.clone()))?;
        Some(self.config.with_value(|c| Scope::new(c, &user_id)))
    }

    /// The sign-in form was completed (`true`) or closed: calls waiting on a 401 go on.
    pub fn sign_in_done(&self, signed_in: bool) {
        self.signing_in.set(false);
        self.gate.with_value(|g| g.done(signed_in));
    }

    /// An open editor registers how to save its edits before signing out; the token it gets
    /// back takes the registration away again ([`AppState::forget_settle`]).
    pub fn on_sign_out_settle(&self, id: String, settle: Settle) -> u64 {
        let mut token = 0;
        self.settle.update_value(|slot| {
            slot.last += 1;
            token = slot.last;
            slot.open = Some((token, id, settle));
        });
        token
    }

    /// The editor with `token` closed: nothing of it to save at sign-out.
    pub fn forget_settle(&self, token: u64) {
        self.settle.try_update_value(|slot| {
            if slot.open.as_ref().is_some_and(|(t, _, _)| *t == token) {
                slot.open = None;
            }
        });
    }

    /// **Sign out**: never drops typed work silently. The open integration's edits are saved
    /// first; when that fails (or other integrations have edits kept only in this browser)
    /// the user is asked ([`AppState::unsaved_at_sign_out`]) and nothing happens until they
    /// choose. Then the session ends at the server, this user's local copies are removed
    /// from the browser and the app starts again (and asks to sign in).
    pub fn sign_out(&self) {
        let state = *self;
        let settle = self
            .settle
            .with_value(|slot| slot.open.as_ref().map(|(_, id, f)| (id.clone(), f.clone())));
        leptos::task::spawn_local(async move {
            let (open_id, open) = match settle {
                Some((id, save)) => (Some(id), save().await.err()),
                None => (None, None),
            };
            let elsewhere = state
                .drafts_scope()
                .map_or(0, |scope| drafts::count(&scope, open_id.as_deref()));
            if open.is_some() || elsewhere > 0 {
                let _ = state
                    .unsaved_at_sign_out
                    .try_set(Some(UnsavedAtSignOut { open, elsewhere }));
                return;
            }
            state.end_session().await;
        });
    }

    /// **Sign out and discard them**, after [`AppState::sign_out`] asked.
    pub fn sign_out_discarding(&self) {
        let state = *self;
        self.unsaved_at_sign_out.set(None);
        leptos::task::spawn_local(async move { state.end_session().await });
    }

    async fn end_session(&self) {
        let state = *self;
        let backend = self.backend();
        // Leaving now: no "unsaved changes" warning, no save on the way out.
        state.signing_out.set(true);
        if let Some(scope) = state.drafts_scope() {
            drafts::forget_all(&scope);
        }
        match backend.sign_out().await {
            Ok(()) => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign("/");
                }
            }
            Err(e) => {
                state.signing_out.set(false);
                state
                    .user_error
                    .set(Some(format!("signing out did not work: {e}")));
            }
        }
    }
}

/// The app state; pages render only under [`super::app::App`], which provides it.
pub fn app_state() -> AppState {
    expect_context::<AppState>()
}
