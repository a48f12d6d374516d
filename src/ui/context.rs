//! What every page can reach: the backend door, the runtime configuration and the signed-in
//! user.

use std::rc::Rc;

use leptos::prelude::*;

use crate::backend::config::{BackendKind, Config};
use crate::backend::Backend;
use crate::domain::User;

/// App-wide state, provided once the backend is open.
#[derive(Clone, Copy)]
pub struct AppState {
    backend: StoredValue<Rc<dyn Backend>, LocalStorage>,
    config: StoredValue<Config>,
    /// The signed-in user, once the backend answered.
    pub user: RwSignal<Option<User>>,
    /// A one-time message for the next page (e.g. why "Test your integration" landed here).
    pub notice: RwSignal<Option<String>>,
    /// Counts saves that landed: lists read it to refresh after a save they raced.
    pub saved: RwSignal<u64>,
}

impl AppState {
    /// Wraps an open backend and the configuration it was opened with.
    pub fn new(backend: Rc<dyn Backend>, config: Config) -> Self {
        AppState {
            backend: StoredValue::new_local(backend),
            config: StoredValue::new(config),
            user: RwSignal::new(None),
            notice: RwSignal::new(None),
            saved: RwSignal::new(0),
        }
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
}

/// The app state; pages render only under [`super::app::App`], which provides it.
pub fn app_state() -> AppState {
    expect_context::<AppState>()
}
