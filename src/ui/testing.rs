//! The Test integration page's state: the org as the backend reports it ([`TestingView`]),
//! the time now (ticking, so 48-hour countdowns move and expire on screen), and one way to
//! send an intent to the backend and announce its outcome, and what the page's sections share
//! (the instances filter, the instance whose secrets are shown once, where focus returns).
//! It is the page's one owner of state: sections read and change it, never each other's.
//! Rules stay in the domain: pages read `domain::instances` / `domain::testing` with this
//! state.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::backend::{Backend, BackendFuture};
use crate::domain::roles::Action;
use crate::domain::testing::TestingView;
use crate::domain::{Instance, Org, Protocol};
use crate::ui::context::{app_state, AppState};
use crate::ui::editor::Editor;

/// The outcome of the last action, announced (status) or alerted (error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It worked: say what happened.
    Done(String),
    /// It failed: the backend's actionable message.
    Failed(String),
}

/// State of the Test integration page, provided as context to its sections.
#[derive(Clone, Copy)]
pub struct Testing {
    state: AppState,
    submission_id: StoredValue<String>,
    editor: Option<Editor>,
    /// The org as last read (`None` while the first read runs).
    pub view: RwSignal<Option<TestingView>>,
    /// Why the last read failed, if it did.
    pub load_error: RwSignal<Option<String>>,
    /// The time now (browser clock), updated every few seconds.
    pub now: RwSignal<DateTime<Utc>>,
    /// An action is running (buttons that start one are disabled).
    pub busy: RwSignal<bool>,
    /// The last action's outcome.
    pub outcome: RwSignal<Option<Outcome>>,
    /// "Application instances for testing" shows every instance of the org (Clear filter),
    /// not only the eligible ones.
    pub show_all: RwSignal<bool>,
    /// The instance just generated or regenerated, with its secrets (shown once, expanded).
    pub fresh: RwSignal<Option<Instance>>,
    /// The control to focus once its instance's card is drawn again (after an update).
    pub refocus: RwSignal<Option<String>>,
}

/// The browser's clock (Playwright's clock API controls it in tests).
pub fn clock_now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

impl Testing {
    /// Starts reading the org for `submission_id` and the clock.
    pub fn new(submission_id: String) -> Testing {
        let testing = Testing {
            state: app_state(),
            submission_id: StoredValue::new(submission_id),
            editor: use_context::<Editor>(),
            view: RwSignal::new(None),
            load_error: RwSignal::new(None),
            now: RwSignal::new(clock_now()),
            busy: RwSignal::new(false),
            outcome: RwSignal::new(None),
            show_all: RwSignal::new(false),
            fresh: RwSignal::new(None),
            refocus: RwSignal::new(None),
        };
        testing.reload();
        let now = testing.now;
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let _ = now.try_set(clock_now());
            },
            std::time::Duration::from_secs(5),
        ) {
            on_cleanup(move || handle.clear());
        }
        testing
    }

    /// Clears the instances filter and moves focus to the list, where instances can be
    /// deactivated.
    pub fn show_all_and_focus(&self) {
        self.show_all.set(true);
        request_animation_frame(|| focus_by_id("instances-list"));
    }

    /// The integration the page tests.
    pub fn submission_id(&self) -> String {
        self.submission_id.get_value()
    }

    /// Reads the org again.
    pub fn reload(&self) {
        let this = *self;
        let backend = self.state.backend();
        let id = self.submission_id.get_value();
        leptos::task::spawn_local(async move {
            match backend.testing_view(&id).await {
                Ok(v) => {
                    let _ = this.view.try_set(Some(v));
                    let _ = this.load_error.try_set(None);
                }
                Err(e) => {
                    let _ = this.load_error.try_set(Some(e.to_string()));
                }
            }
            let _ = this.now.try_set(clock_now());
        });
    }

    /// Waits until the integration's edits are saved: instances and runs belong to the saved
    /// version. `Err` is the words to show.
    pub async fn saved(&self) -> Result<(), String> {
        match self.editor {
            Some(editor) => editor.settled().await.map_err(|why| {
                format!("Your latest changes are not saved, so nothing was sent: {why}")
            }),
            None => Ok(()),
        }
    }

    /// The org as the core's rules see it (empty until read).
    pub fn org(&self) -> Org {
        self.view
            .with(|v| v.as_ref().map(TestingView::org).unwrap_or_default())
    }

    /// Sends one intent to the backend. On success `done` turns the answer into the words
    /// announced (and may keep what it needs), and the org is read again; on failure the
    /// backend's message is alerted.
    pub fn act<T: 'static>(
        &self,
        op: impl for<'a> FnOnce(&'a dyn Backend) -> BackendFuture<'a, T> + 'static,
        done: impl FnOnce(T) -> String + 'static,
    ) {
        let this = *self;
        let backend = self.state.backend();
        this.busy.set(true);
        this.outcome.set(None);
        leptos::task::spawn_local(async move {
            if let Err(why) = this.saved().await {
                let _ = this.busy.try_set(false);
                let _ = this.outcome.try_set(Some(Outcome::Failed(why)));
                return;
            }
            let result = op(backend.as_ref()).await;
            let _ = this.busy.try_set(false);
            match result {
                Ok(value) => {
                    let words = done(value);
                    let _ = this.outcome.try_set(Some(Outcome::Done(words)));
                    this.reload();
                }
                Err(e) => {
                    let _ = this.outcome.try_set(Some(Outcome::Failed(e.to_string())));
                }
            }
        });
    }
}

/// Focuses the element with this id, if it is on the page.
pub fn focus_by_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// Why the signed-in user may not test (SPEC 1), if they may not.
pub fn test_refusal() -> Memo<Option<String>> {
    let state = app_state();
    Memo::new(move |_| state.permits(Action::Test).err())
}

/// "OIDC", "OIDC + SCIM 2.0".
pub fn protocols_label(protocols: &[Protocol]) -> String {
    protocols
        .iter()
        .map(|p| p.label())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The page's [`Testing`] (panics only when used outside the page: a programming error).
pub fn testing() -> Testing {
    expect_context::<Testing>()
}
