//! The backend the app opens, with most of its code loaded on first use.
//!
//! The release build (`./dev build`, cargo feature `split`) puts each route's page in its own
//! wasm chunk (`ui::app`), but a backend is a trait object: its vtable names every method, so
//! every method body, with the domain decisions and JSON readers it calls, would stay in the
//! main wasm. [`LazyBackend`] is the trait object the app holds instead. What the first page needs is
//! answered here, in the main wasm (the embedded backend's signed-in user and list rows,
//! `records.rs`); every other call goes to the whole backend, whose vtable is made inside a
//! chunk of its own (`embedded` or `http`), fetched on the first such call or when the browser
//! is idle after the first page ([`preload`]). Without the feature the same calls are direct.

use std::cell::RefCell;
use std::rc::Rc;

use super::config::{BackendKind, Config};
use super::embedded::Embedded;
use super::http::SignInGate;
use super::{Backend, BackendError, BackendFuture};
use crate::domain::api::{
    FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse, StartRunRequest,
    SubmitRequest,
};
use crate::domain::instances::InstanceUpdate;
use crate::domain::scim_report::ScimRun;
use crate::domain::testing::TestingView;
use crate::domain::{Instance, Submission, SubmissionSummary, TestRun, TesterSession, User};

/// Where the whole backend comes from.
enum Source {
    /// The open in-browser database.
    Embedded(Embedded),
    /// The server the configuration names; a 401 waits at the gate.
    Http(Config, SignInGate),
}

/// The app's backend: the first page's reads here, the rest from the backend's chunk.
pub struct LazyBackend {
    source: Source,
    whole: RefCell<Option<Rc<dyn Backend>>>,
}

/// A backend's chunk could not be fetched (offline, or a new deploy removed it): retryable.
impl From<leptos::wasm_split::SplitLoaderError> for BackendError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        BackendError::Offline(
            "The code for this action did not arrive: check your connection and retry. Nothing you typed is lost."
                .into(),
        )
    }
}

impl LazyBackend {
    /// The backend `config` names (the embedded one opens its database now; the HTTP one
    /// sends nothing until the first call). `gate` is where HTTP calls that met a 401 wait.
    pub async fn open(config: &Config, gate: SignInGate) -> Result<LazyBackend, BackendError> {
        let source = match config.backend {
            BackendKind::Embedded => Source::Embedded(Embedded::open().await?),
            BackendKind::Http => Source::Http(config.clone(), gate),
        };
        Ok(LazyBackend {
            source,
            whole: RefCell::new(None),
        })
    }

    /// The whole backend, from its chunk (fetched once).
    async fn whole(&self) -> Result<Rc<dyn Backend>, BackendError> {
        if let Some(whole) = self.whole.borrow().clone() {
            return Ok(whole);
        }
        let whole = match &self.source {
            Source::Embedded(embedded) => split_call!(whole_embedded(embedded.clone()))?,
            Source::Http(config, gate) => split_call!(whole_http(config.clone(), gate.clone()))?,
        };
        Ok(self.whole.borrow_mut().get_or_insert(whole).clone())
    }
}

/// Fetches the chunk of the backend `kind` names, so later calls don't wait for the network
/// (and work offline); a failure only means the chunk loads on first use.
pub async fn preload(kind: BackendKind) {
    #[cfg(feature = "split")]
    {
        let loaded = match kind {
            BackendKind::Embedded => preload_embedded().await,
            BackendKind::Http => preload_http().await,
        };
        if loaded.is_err() {
            leptos::logging::warn!("prefetching the backend's code failed; it loads when used");
        }
    }
    #[cfg(not(feature = "split"))]
    let _ = kind;
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    embedded, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_embedded)
))]
fn whole_embedded(embedded: Embedded) -> Result<Rc<dyn Backend>, BackendError> {
    Ok(Rc::new(embedded))
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    http, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_http)
))]
fn whole_http(config: Config, gate: SignInGate) -> Result<Rc<dyn Backend>, BackendError> {
    Ok(Rc::new(super::http::Http::new(&config, gate)))
}

/// Reads `config.json` (its `text`) naming the HTTP backend, `baseUrl` checked: the check is
/// that backend's code (see `config::parse_checking`).
#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    http, wasm_split_path = ::leptos::wasm_split, fallible
))]
pub fn http_config(text: String) -> Result<(Config, Vec<String>), BackendError> {
    Ok(super::config::parse(&text))
}

/// A call answered by the whole backend: `$call` on it, with `$arg`s owned first (the
/// returned future may not borrow them).
macro_rules! by_whole {
    ($self:ident, $method:ident($($arg:expr),*)) => {
        Box::pin(async move { $self.whole().await?.$method($($arg),*).await })
    };
}

impl Backend for LazyBackend {
    fn current_user(&self) -> BackendFuture<'_, User> {
        match &self.source {
            Source::Embedded(embedded) => embedded.current_user(),
            Source::Http(..) => by_whole!(self, current_user()),
        }
    }

    fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>> {
        match &self.source {
            Source::Embedded(embedded) => embedded.list_submissions(),
            Source::Http(..) => by_whole!(self, list_submissions()),
        }
    }

    fn logo_bytes(&self, id: &str) -> BackendFuture<'_, Option<Vec<u8>>> {
        match &self.source {
            Source::Embedded(embedded) => embedded.logo_bytes(id),
            Source::Http(..) => {
                let id = id.to_string();
                by_whole!(self, logo_bytes(&id))
            }
        }
    }

    fn create_submission(&self) -> BackendFuture<'_, Submission> {
        by_whole!(self, create_submission())
    }

    fn get_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        by_whole!(self, get_submission(&id))
    }

    fn save_submission(&self, submission: Submission) -> BackendFuture<'_, Submission> {
        by_whole!(self, save_submission(submission))
    }

    fn edit_integration(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        by_whole!(self, edit_integration(&id))
    }

    fn sign_in(&self, email: String, password: String) -> BackendFuture<'_, User> {
        by_whole!(self, sign_in(email, password))
    }

    fn sign_out(&self) -> BackendFuture<'_, ()> {
        by_whole!(self, sign_out())
    }

    fn delete_submission(&self, id: &str) -> BackendFuture<'_, ()> {
        let id = id.to_string();
        by_whole!(self, delete_submission(&id))
    }

    fn withdraw_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        by_whole!(self, withdraw_submission(&id))
    }

    fn update_current_user(&self, user: User) -> BackendFuture<'_, User> {
        by_whole!(self, update_current_user(user))
    }

    fn load_samples(&self) -> BackendFuture<'_, ()> {
        by_whole!(self, load_samples())
    }

    fn testing_view(&self, submission_id: &str) -> BackendFuture<'_, TestingView> {
        let id = submission_id.to_string();
        by_whole!(self, testing_view(&id))
    }

    fn generate_instance(&self, request: GenerateInstanceRequest) -> BackendFuture<'_, Instance> {
        by_whole!(self, generate_instance(request))
    }

    fn regenerate_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, regenerate_instance(&id))
    }

    fn get_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, get_instance(&id))
    }

    fn update_instance(&self, id: &str, update: InstanceUpdate) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, update_instance(&id, update))
    }

    fn set_instance_active(&self, id: &str, active: bool) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, set_instance_active(&id, active))
    }

    fn delete_instance(&self, id: &str) -> BackendFuture<'_, ()> {
        let id = id.to_string();
        by_whole!(self, delete_instance(&id))
    }

    fn add_to_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, add_to_tester(&id))
    }

    fn remove_from_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
        let id = id.to_string();
        by_whole!(self, remove_from_tester(&id))
    }

    fn start_tester_session(&self) -> BackendFuture<'_, TesterSession> {
        by_whole!(self, start_tester_session())
    }

    fn start_run(&self, request: StartRunRequest) -> BackendFuture<'_, TestRun> {
        by_whole!(self, start_run(request))
    }

    fn finish_run(&self, id: &str, request: FinishRunRequest) -> BackendFuture<'_, TestRun> {
        let id = id.to_string();
        by_whole!(self, finish_run(&id, request))
    }

    fn check_scim_credentials(&self, id: &str) -> BackendFuture<'_, ScimCheckResponse> {
        let id = id.to_string();
        by_whole!(self, check_scim_credentials(&id))
    }

    fn start_scim_run(&self, instance_id: &str) -> BackendFuture<'_, ScimRun> {
        let id = instance_id.to_string();
        by_whole!(self, start_scim_run(&id))
    }

    fn latest_scim_run(&self, instance_id: &str) -> BackendFuture<'_, Option<ScimRun>> {
        let id = instance_id.to_string();
        by_whole!(self, latest_scim_run(&id))
    }

    fn start_scim_oauth(
        &self,
        instance_id: &str,
    ) -> BackendFuture<'_, crate::domain::scim_oauth::ScimOauthStart> {
        let id = instance_id.to_string();
        by_whole!(self, start_scim_oauth(&id))
    }

    fn create_test_user(&self, user: User) -> BackendFuture<'_, User> {
        by_whole!(self, create_test_user(user))
    }

    fn submit(&self, id: &str, request: SubmitRequest) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        by_whole!(self, submit(&id, request))
    }

    fn review(&self, id: &str, request: ReviewRequest) -> BackendFuture<'_, Submission> {
        let id = id.to_string();
        by_whole!(self, review(&id, request))
    }
}
