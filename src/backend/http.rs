//! The HTTP backend: `docs/api.md` against a server at the configured `baseUrl`, over JSON
//! with gloo-net. Every failure becomes a [`BackendError`] a user can act on:
//!
//! | what happened | error |
//! | --- | --- |
//! | 4xx with a `DomainError` body (409 `conflict` included) | `Refused`, the server's own words |
//! | 401 (not signed in, or the session ended) | `SignIn`: retryable, offers the sign-in form |
//! | 4xx without one (a proxy's page) | `Refused` (403/404/409) or `Server` |
//! | 5xx | `Server`: the server had a problem, retry |
//! | 2xx whose body is not the contract's JSON | `Server`: the answer couldn't be read |
//! | a save answered by something that is not the saved submission (other id, no newer version) | `Server`: unreadable |
//! | no answer within `timeoutMs` (the request is aborted) | `Timeout` |
//! | offline, server unreachable, blocked by CSP | `Offline` |
//!
//! Reading an answer ([`interpret`]) is plain Rust, tested natively; only the exchange itself
//! touches the browser. URLs carry ids only (percent-encoded), never a secret, and nothing here
//! logs.

use serde::de::DeserializeOwned;

use super::BackendError;
use crate::domain::api::ListResponse;
use crate::domain::{DomainError, ErrorCode, Submission, User, API_VERSION};

/// Reads a server's answer (`status`, body text) to a call that expects a `T`.
pub fn interpret<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, BackendError> {
    match status {
        200..=299 => serde_json::from_str(body).map_err(|_| unreadable()),
        400..=499 => Err(refusal(status, body)),
        500..=599 => Err(server_failed(status)),
        _ => Err(BackendError::Server(format!(
            "The server gave an unexpected answer (HTTP {status}). Retry in a moment; if it keeps happening, check the app's baseUrl setting."
        ))),
    }
}

/// Reads a list answer, checking it speaks this contract's version.
pub fn interpret_list<T: DeserializeOwned>(
    status: u16,
    body: &str,
) -> Result<Vec<T>, BackendError> {
    let list: ListResponse<T> = interpret(status, body)?;
    if list.api_version != API_VERSION {
        return Err(BackendError::Server(format!(
            "The server speaks version {} of the API; this app speaks version {API_VERSION}. Reload the page to get the matching app, or ask your administrator.",
            list.api_version
        )));
    }
    Ok(list.items)
}

fn unreadable() -> BackendError {
    BackendError::Server(
        "The server's answer could not be read (it is not the JSON this app expects). Retry in a moment; if it keeps happening, the server may be misconfigured.".to_string(),
    )
}

fn server_failed(status: u16) -> BackendError {
    BackendError::Server(match status {
        502..=504 => {
            format!("The server is unavailable right now (HTTP {status}). Retry in a moment.")
        }
        _ => format!("The server had a problem (HTTP {status}). Retry in a moment."),
    })
}

/// Reads the answer to a save of `sent`: only the saved submission itself counts, i.e. the
/// same id and a version above the one sent. Anything else (`{}` from a proxy, another
/// submission, an older version) is unreadable, so the edits stay unsaved and kept locally.
pub fn interpret_save(
    sent: &Submission,
    status: u16,
    body: &str,
) -> Result<Submission, BackendError> {
    let saved: Submission = interpret(status, body)?;
    if saved.id != sent.id || saved.version <= sent.version {
        return Err(unreadable());
    }
    Ok(saved)
}

/// Reads the answer to `POST /session` (sign in): the user, or why not. Here a 401 means a
/// wrong email or password (not "sign in first"), and 429 that sign-ins are throttled.
pub fn interpret_sign_in(status: u16, body: &str) -> Result<User, BackendError> {
    let server_words = || {
        serde_json::from_str::<DomainError>(body)
            .ok()
            .map(|e| e.message)
            .filter(|m| !m.trim().is_empty())
    };
    match status {
        401 => Err(BackendError::Refused(DomainError::new(
            ErrorCode::Forbidden,
            server_words().unwrap_or_else(|| {
                "The email or password is not right. Check both, then sign in again.".to_string()
            }),
        ))),
        429 => Err(BackendError::Refused(DomainError::new(
            ErrorCode::Rejected,
            server_words().unwrap_or_else(|| {
                "Too many sign-in attempts (HTTP 429). Wait a minute, then try again.".to_string()
            }),
        ))),
        _ => interpret(status, body),
    }
}

/// A 4xx: the server's `DomainError` when it sent one, else the best reading of the status.
fn refusal(status: u16, body: &str) -> BackendError {
    if status == 401 {
        // Whatever the body says, the way out is the same: sign in, then retry.
        return BackendError::SignIn(
            "You are not signed in to the server, or your session ended (HTTP 401). Sign in, then retry.".to_string(),
        );
    }
    if let Ok(error) = serde_json::from_str::<DomainError>(body) {
        if !error.message.trim().is_empty() {
            return BackendError::Refused(error);
        }
    }
    let refused = |code, message: &str| BackendError::Refused(DomainError::new(code, message));
    match status {
        403 => refused(
            ErrorCode::Forbidden,
            "The server refused this request (HTTP 403): your account doesn't have the role it needs.",
        ),
        404 => refused(
            ErrorCode::NotFound,
            "The server has nothing at this address (HTTP 404): the integration may have been deleted.",
        ),
        409 => refused(
            ErrorCode::Conflict,
            "This integration was saved elsewhere after you opened it (HTTP 409).",
        ),
        408 => BackendError::Timeout(
            "The server gave up waiting for the request (HTTP 408). Retry in a moment.".to_string(),
        ),
        429 => BackendError::Server(
            "The server is busy (HTTP 429). Wait a moment, then retry.".to_string(),
        ),
        _ => BackendError::Server(format!(
            "The server could not accept the request (HTTP {status}). Retry; if it keeps happening, reload the page to get the latest app."
        )),
    }
}

/// A time in words for messages: 1000 → "1 second", 1500 → "1.5 seconds".
pub fn duration_words(ms: u32) -> String {
    let whole = ms / 1000;
    let tenths = (ms % 1000) / 100;
    match (whole, tenths) {
        (1, 0) => "1 second".to_string(),
        (n, 0) => format!("{n} seconds"),
        (n, t) => format!("{n}.{t} seconds"),
    }
}

/// The message when no answer came in time.
pub fn timed_out(timeout_ms: u32) -> BackendError {
    BackendError::Timeout(format!(
        "The server did not answer within {}. Check your connection, then retry.",
        duration_words(timeout_ms)
    ))
}

/// The message when the request could not be sent or answered at all.
pub fn unreachable(online: bool) -> BackendError {
    BackendError::Offline(if online {
        "The server could not be reached. Check your connection, then retry; if it keeps happening, the server may be down.".to_string()
    } else {
        "You are offline. Reconnect to the internet, then retry.".to_string()
    })
}

/// One path segment (an id), percent-encoded so it can't change the path. `.`, `..` and the
/// empty id are refused: a URL parser resolves them (even percent-encoded) and the request
/// would reach another address.
pub fn segment(id: &str) -> Result<String, BackendError> {
    if matches!(id, "" | "." | "..") {
        return Err(BackendError::Refused(DomainError::new(
            ErrorCode::NotFound,
            format!("\"{id}\" is not an id of this app: open the integration from your list"),
        )));
    }
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(out)
}

#[cfg(target_arch = "wasm32")]
pub use browser::{exchange, Http, SignInGate};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use gloo_net::http::{Method, RequestBuilder};
    use serde::de::DeserializeOwned;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{AbortController, RequestCache};

    use super::{
        interpret, interpret_list, interpret_save, interpret_sign_in, segment, timed_out,
        unreachable, unreadable,
    };
    use crate::backend::config::Config;
    use crate::backend::{Backend, BackendError, BackendFuture};
    use crate::domain::api::{
        FinishRunRequest, GenerateInstanceRequest, ReviewRequest, ScimCheckResponse,
        SetActiveRequest, StartRunRequest, SubmitRequest, TesterSessionResponse,
    };
    use crate::domain::instances::InstanceUpdate;
    use crate::domain::scim_report::ScimRun;
    use crate::domain::testing::TestingView;
    use crate::domain::{
        DomainError, ErrorCode, Instance, Submission, SubmissionSummary, TestRun, TesterSession,
        User,
    };

    /// Where calls that met a 401 wait while the user signs in. The UI says how to ask
    /// ([`SignInGate::on_ask`]: show the sign-in form) and when it is over
    /// ([`SignInGate::done`]); every waiting call then retries once, so the user carries on
    /// where they were. Several calls share one sign-in.
    #[derive(Clone, Default)]
    pub struct SignInGate(Rc<GateState>);

    #[derive(Default)]
    struct GateState {
        ask: RefCell<Option<Rc<dyn Fn()>>>,
        pending: RefCell<Option<(js_sys::Promise, js_sys::Function)>>,
    }

    impl SignInGate {
        /// How to ask the user to sign in (called once per sign-in, however many calls wait).
        pub fn on_ask(&self, ask: impl Fn() + 'static) {
            *self.0.ask.borrow_mut() = Some(Rc::new(ask));
        }

        /// Waits until the user signed in (`true`) or gave up (`false`).
        async fn wait(&self) -> bool {
            let Some(ask) = self.0.ask.borrow().clone() else {
                return false;
            };
            let existing = self.0.pending.borrow().as_ref().map(|(p, _)| p.clone());
            let promise = match existing {
                Some(promise) => promise,
                None => {
                    let mut resolve = None;
                    let promise = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
                    let Some(resolve) = resolve else {
                        return false;
                    };
                    *self.0.pending.borrow_mut() = Some((promise.clone(), resolve));
                    ask();
                    promise
                }
            };
            wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        }

        /// The sign-in is over: `signed_in` says whether the waiting calls may retry.
        pub fn done(&self, signed_in: bool) {
            let pending = self.0.pending.borrow_mut().take();
            if let Some((_, resolve)) = pending {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(signed_in));
            }
        }
    }

    /// A server speaking `docs/api.md` at a base URL. Opening needs no request: the first
    /// call is the first contact, and its failure is shown where it was made.
    pub struct Http {
        base_url: String,
        timeout_ms: u32,
        gate: SignInGate,
    }

    impl Http {
        /// The backend at `config.base_url`, with `config.timeout_ms` per call; a 401 waits
        /// at `gate` for the user to sign in.
        pub fn new(config: &Config, gate: SignInGate) -> Http {
            Http {
                base_url: config.base_url.clone(),
                timeout_ms: config.timeout_ms,
                gate,
            }
        }

        fn url(&self, path: &str) -> String {
            format!("{}/api/v1{path}", self.base_url)
        }

        /// One exchange; on a 401, waits for the user to sign in and sends it once more.
        async fn send(
            &self,
            method: Method,
            url: &str,
            body: Option<String>,
        ) -> Result<(u16, String), BackendError> {
            let answer = exchange(method.clone(), url, body.clone(), self.timeout_ms).await?;
            if answer.0 == 401 && self.gate.wait().await {
                return exchange(method, url, body, self.timeout_ms).await;
            }
            Ok(answer)
        }

        async fn call<T: DeserializeOwned>(
            &self,
            method: Method,
            path: &str,
            body: Option<String>,
        ) -> Result<T, BackendError> {
            let (status, text) = self.send(method, &self.url(path), body).await?;
            interpret(status, &text)
        }
    }

    /// `POST /api/v1/session`'s body.
    #[derive(serde::Serialize)]
    struct SignInRequest {
        email: String,
        password: String,
    }

    fn to_json<T: serde::Serialize>(value: &T) -> Result<String, BackendError> {
        serde_json::to_string(value).map_err(|e| {
            BackendError::Server(format!(
                "Your changes could not be prepared for sending ({e})."
            ))
        })
    }

    impl Backend for Http {
        fn current_user(&self) -> BackendFuture<'_, User> {
            Box::pin(self.call(Method::GET, "/me", None))
        }

        fn list_submissions(&self) -> BackendFuture<'_, Vec<SubmissionSummary>> {
            Box::pin(async move {
                let url = self.url("/submissions");
                let (status, text) = self.send(Method::GET, &url, None).await?;
                interpret_list(status, &text)
            })
        }

        fn create_submission(&self) -> BackendFuture<'_, Submission> {
            Box::pin(self.call(Method::POST, "/submissions", Some("{}".to_string())))
        }

        fn get_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
            let path = segment(id).map(|s| format!("/submissions/{s}"));
            Box::pin(async move { self.call(Method::GET, &path?, None).await })
        }

        fn save_submission(&self, submission: Submission) -> BackendFuture<'_, Submission> {
            Box::pin(async move {
                let path = segment(&submission.id).map(|s| format!("/submissions/{s}"));
                let body = to_json(&submission)?;
                let (status, text) = self
                    .send(Method::PUT, &self.url(&path?), Some(body))
                    .await?;
                interpret_save(&submission, status, &text)
            })
        }

        fn edit_integration(&self, id: &str) -> BackendFuture<'_, Submission> {
            let path = segment(id).map(|s| format!("/submissions/{s}/edit"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn sign_in(&self, email: String, password: String) -> BackendFuture<'_, User> {
            Box::pin(async move {
                let body = to_json(&SignInRequest { email, password })?;
                // Not `send`: here a 401 means a wrong password, not "sign in first".
                let (status, text) = exchange(
                    Method::POST,
                    &self.url("/session"),
                    Some(body),
                    self.timeout_ms,
                )
                .await?;
                interpret_sign_in(status, &text)
            })
        }

        fn sign_out(&self) -> BackendFuture<'_, ()> {
            Box::pin(async move {
                let (status, text) =
                    exchange(Method::DELETE, &self.url("/session"), None, self.timeout_ms).await?;
                match status {
                    // Already signed out is signed out.
                    200..=299 | 401 => Ok(()),
                    _ => interpret::<serde_json::Value>(status, &text).map(|_| ()),
                }
            })
        }

        fn delete_submission(&self, id: &str) -> BackendFuture<'_, ()> {
            let url = segment(id).map(|s| self.url(&format!("/submissions/{s}")));
            Box::pin(async move {
                let (status, text) = self.send(Method::DELETE, &url?, None).await?;
                if (200..300).contains(&status) {
                    Ok(())
                } else {
                    interpret::<serde_json::Value>(status, &text).map(|_| ())
                }
            })
        }

        fn withdraw_submission(&self, id: &str) -> BackendFuture<'_, Submission> {
            let path = segment(id).map(|s| format!("/submissions/{s}/withdraw"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn update_current_user(&self, _user: User) -> BackendFuture<'_, User> {
            Box::pin(async {
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Your email and roles are managed by your org, not by the wizard: ask an org administrator to change them",
                )))
            })
        }

        fn load_samples(&self) -> BackendFuture<'_, ()> {
            Box::pin(async {
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Sample integrations are only available with the embedded backend",
                )))
            })
        }

        fn testing_view(&self, submission_id: &str) -> BackendFuture<'_, TestingView> {
            let path = segment(submission_id).map(|s| format!("/testing/{s}"));
            Box::pin(async move { self.call(Method::GET, &path?, None).await })
        }

        fn generate_instance(
            &self,
            request: GenerateInstanceRequest,
        ) -> BackendFuture<'_, Instance> {
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, "/instances", Some(body)).await
            })
        }

        fn regenerate_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}/regenerate"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn get_instance(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}"));
            Box::pin(async move { self.call(Method::GET, &path?, None).await })
        }

        fn update_instance(&self, id: &str, update: InstanceUpdate) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}"));
            Box::pin(async move {
                let body = to_json(&update)?;
                self.call(Method::PATCH, &path?, Some(body)).await
            })
        }

        fn set_instance_active(&self, id: &str, active: bool) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}/active"));
            Box::pin(async move {
                let body = to_json(&SetActiveRequest { active })?;
                self.call(Method::POST, &path?, Some(body)).await
            })
        }

        fn delete_instance(&self, id: &str) -> BackendFuture<'_, ()> {
            let url = segment(id).map(|s| self.url(&format!("/instances/{s}")));
            Box::pin(async move {
                let (status, text) = self.send(Method::DELETE, &url?, None).await?;
                if (200..300).contains(&status) {
                    Ok(())
                } else {
                    interpret::<serde_json::Value>(status, &text).map(|_| ())
                }
            })
        }

        fn add_to_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}/tester"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn remove_from_tester(&self, id: &str) -> BackendFuture<'_, Instance> {
            let path = segment(id).map(|s| format!("/instances/{s}/tester"));
            Box::pin(async move { self.call(Method::DELETE, &path?, None).await })
        }

        fn start_tester_session(&self) -> BackendFuture<'_, TesterSession> {
            Box::pin(async move {
                let answer: TesterSessionResponse = self
                    .call(Method::POST, "/tester/session", Some("{}".to_string()))
                    .await?;
                answer.session.ok_or_else(unreadable)
            })
        }

        fn start_run(&self, request: StartRunRequest) -> BackendFuture<'_, TestRun> {
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, "/test-runs", Some(body)).await
            })
        }

        fn finish_run(&self, id: &str, request: FinishRunRequest) -> BackendFuture<'_, TestRun> {
            let path = segment(id).map(|s| format!("/test-runs/{s}"));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::PUT, &path?, Some(body)).await
            })
        }

        fn check_scim_credentials(&self, id: &str) -> BackendFuture<'_, ScimCheckResponse> {
            let path = segment(id).map(|s| format!("/instances/{s}/scim-check"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn start_scim_oauth(
            &self,
            instance_id: &str,
        ) -> BackendFuture<'_, crate::domain::scim_oauth::ScimOauthStart> {
            let path = segment(instance_id).map(|s| format!("/instances/{s}/scim-oauth"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn start_scim_run(&self, instance_id: &str) -> BackendFuture<'_, ScimRun> {
            let path = segment(instance_id).map(|s| format!("/instances/{s}/scim-runs"));
            Box::pin(async move {
                self.call(Method::POST, &path?, Some("{}".to_string()))
                    .await
            })
        }

        fn latest_scim_run(&self, instance_id: &str) -> BackendFuture<'_, Option<ScimRun>> {
            let path = segment(instance_id).map(|s| format!("/instances/{s}/scim-runs/latest"));
            Box::pin(async move {
                match self.call(Method::GET, &path?, None).await {
                    Ok(run) => Ok(Some(run)),
                    Err(BackendError::Refused(e)) if e.code == ErrorCode::NotFound => Ok(None),
                    Err(e) => Err(e),
                }
            })
        }

        fn create_test_user(&self, user: User) -> BackendFuture<'_, User> {
            Box::pin(async move {
                let body = to_json(&user)?;
                self.call(Method::POST, "/users", Some(body)).await
            })
        }

        fn submit(&self, id: &str, request: SubmitRequest) -> BackendFuture<'_, Submission> {
            let path = segment(id).map(|s| format!("/submissions/{s}/submit"));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, &path?, Some(body)).await
            })
        }

        fn review(&self, id: &str, request: ReviewRequest) -> BackendFuture<'_, Submission> {
            let path = segment(id).map(|s| format!("/submissions/{s}/review"));
            Box::pin(async move {
                let body = to_json(&request)?;
                self.call(Method::POST, &path?, Some(body)).await
            })
        }
    }

    /// Aborts a request when its time is up; dropping it cancels the timer. The timer id is
    /// kept as the JS value `setTimeout` gave (fake clocks hand out ids beyond i32; a truncated
    /// id would leave the timer to call the dropped closure).
    struct Deadline {
        timer: Option<JsValue>,
        fired: Rc<Cell<bool>>,
        _on_time_up: Closure<dyn FnMut()>,
    }

    impl Deadline {
        fn start(controller: &AbortController, timeout_ms: u32) -> Deadline {
            let fired = Rc::new(Cell::new(false));
            let on_time_up = {
                let fired = Rc::clone(&fired);
                let controller = controller.clone();
                Closure::<dyn FnMut()>::new(move || {
                    fired.set(true);
                    controller.abort();
                })
            };
            let timer = web_sys::window().and_then(|w| {
                window_fn(&w, "setTimeout")?
                    .call2(&w, on_time_up.as_ref(), &JsValue::from(timeout_ms))
                    .ok()
            });
            Deadline {
                timer,
                fired,
                _on_time_up: on_time_up,
            }
        }

        fn fired(&self) -> bool {
            self.fired.get()
        }
    }

    impl Drop for Deadline {
        fn drop(&mut self) {
            if let (Some(timer), Some(window)) = (self.timer.as_ref(), web_sys::window()) {
                if let Some(clear) = window_fn(&window, "clearTimeout") {
                    let _ = clear.call1(&window, timer);
                }
            }
        }
    }

    /// A function of `window` by name (`setTimeout`, `clearTimeout`).
    fn window_fn(window: &web_sys::Window, name: &str) -> Option<js_sys::Function> {
        js_sys::Reflect::get(window, &JsValue::from_str(name))
            .ok()?
            .dyn_into()
            .ok()
    }

    fn online() -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    /// Sends one request (`body` as JSON) and reads the whole answer within `timeout_ms`:
    /// the status and body text, or why there is none (`Timeout`, `Offline`). Nothing is
    /// sent while the browser says it is offline (`navigator.onLine`).
    pub async fn exchange(
        method: Method,
        url: &str,
        body: Option<String>,
        timeout_ms: u32,
    ) -> Result<(u16, String), BackendError> {
        // The browser knows it has no network: say so without trying.
        if !online() {
            return Err(unreachable(false));
        }
        let controller = AbortController::new().ok();
        let deadline = controller.as_ref().map(|c| Deadline::start(c, timeout_ms));
        let signal = controller.as_ref().map(AbortController::signal);
        let failed = |deadline: &Option<Deadline>| {
            if deadline.as_ref().is_some_and(Deadline::fired) {
                timed_out(timeout_ms)
            } else {
                unreachable(online())
            }
        };
        let builder = RequestBuilder::new(url)
            .method(method)
            .cache(RequestCache::NoStore)
            .header("Accept", "application/json")
            .abort_signal(signal.as_ref());
        let request = match body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body),
            None => builder.build(),
        };
        let response = match request {
            Ok(request) => request.send().await.map_err(|_| failed(&deadline))?,
            Err(_) => return Err(failed(&deadline)),
        };
        let text = response.text().await.map_err(|_| failed(&deadline))?;
        Ok((response.status(), text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Submission, SubmissionSummary};

    /// The SCIM answers of docs/api.md (issue 15) as the app reads them: the check's status and
    /// latency, a run without its report while it goes, a 409 while one runs.
    #[test]
    fn reads_scim_check_and_scim_run_answers() {
        use crate::domain::api::ScimCheckResponse;
        use crate::domain::scim_report::{ScimRun, Verdict};
        let check: ScimCheckResponse = interpret(
            200,
            r#"{ "ok": false, "message": "The SCIM server answered 401", "called": true, "status": 401, "latencyMs": 12, "report": null }"#,
        )
        .expect("a check");
        assert_eq!(
            (check.ok, check.called, check.status, check.latency_ms),
            (false, true, Some(401), Some(12))
        );
        // An older server's answer (no status) still reads, as "nothing called".
        let old: ScimCheckResponse =
            interpret(200, r#"{ "ok": true, "message": "complete" }"#).expect("old shape");
        assert!(!old.called && old.status.is_none());
        let run: ScimRun = interpret(
            202,
            r#"{ "id": "scim-1", "instanceId": "0oa1", "submissionId": "sub-1", "startedAt": "2026-12-04T16:00:00Z", "finishedAt": null,
                "steps": [{ "id": "credentials", "title": "Credentials", "kind": "check", "rule": null, "verdict": "pass",
                            "reason": "200", "exchanges": [], "durationMs": 5 }], "report": null }"#,
        )
        .expect("a running run");
        assert!(run.finished_at.is_none() && !run.passed());
        assert_eq!(run.steps[0].verdict, Verdict::Pass);
        let busy = interpret::<ScimRun>(
            409,
            r#"{ "code": "conflict", "message": "A SCIM test run for this instance is already in progress; wait for it to finish." }"#,
        );
        assert!(matches!(busy, Err(BackendError::Refused(e)) if e.code == ErrorCode::Conflict));
    }

    #[test]
    fn reads_answers_and_refusals() {
        let conflict = r#"{ "code": "conflict", "message": "This submission was saved elsewhere (version 4 is newer than your version 3): reload it and apply your changes again" }"#;
        let cases: Vec<(u16, &str, Result<(), BackendError>)> = vec![
            (200, r#"{ "id": "sub-1", "version": 3 }"#, Ok(())),
            (
                409,
                conflict,
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Conflict,
                    "This submission was saved elsewhere (version 4 is newer than your version 3): reload it and apply your changes again",
                ))),
            ),
            (
                409,
                "",
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Conflict,
                    "This integration was saved elsewhere after you opened it (HTTP 409).",
                ))),
            ),
            (
                403,
                r#"{ "code": "forbidden", "message": "Only an app admin can edit" }"#,
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::Forbidden,
                    "Only an app admin can edit",
                ))),
            ),
            (
                404,
                "<html>Not Found</html>",
                Err(BackendError::Refused(DomainError::new(
                    ErrorCode::NotFound,
                    "The server has nothing at this address (HTTP 404): the integration may have been deleted.",
                ))),
            ),
            (
                500,
                r#"{ "code": "conflict", "message": "ignored" }"#,
                Err(BackendError::Server(
                    "The server had a problem (HTTP 500). Retry in a moment.".into(),
                )),
            ),
            (
                503,
                "",
                Err(BackendError::Server(
                    "The server is unavailable right now (HTTP 503). Retry in a moment.".into(),
                )),
            ),
            (200, "{ not json", Err(unreadable())),
            (200, r#"{ "version": "three" }"#, Err(unreadable())),
            (200, "", Err(unreadable())),
            (
                400,
                "",
                Err(BackendError::Server(
                    "The server could not accept the request (HTTP 400). Retry; if it keeps happening, reload the page to get the latest app.".into(),
                )),
            ),
        ];
        for (status, body, want) in cases {
            let got = interpret::<Submission>(status, body).map(|_| ());
            assert_eq!(got, want, "HTTP {status} {body}");
        }
    }

    #[test]
    fn a_conflict_is_recognised_as_one() {
        let e = interpret::<Submission>(
            409,
            r#"{ "code": "conflict", "message": "Saved elsewhere" }"#,
        );
        assert!(e.is_err_and(|e| e.is_conflict()));
        let e = interpret::<Submission>(
            409,
            r#"{ "code": "invalidTransition", "message": "Published" }"#,
        );
        assert!(e.is_err_and(|e| !e.is_conflict() && !e.is_retryable()));
        let e = interpret::<Submission>(500, "");
        assert!(e.is_err_and(|e| e.is_retryable()));
    }

    #[test]
    fn lists_check_the_api_version() {
        let ok = r#"{ "apiVersion": 1, "items": [ { "id": "sub-1", "version": 1, "displayName": "", "logo": null, "protocols": { "oidc": true, "saml": false, "scim": false }, "status": "draft", "updated": "2026-11-28T09:30:00Z" } ] }"#;
        let rows = interpret_list::<SubmissionSummary>(200, ok);
        assert!(rows.is_ok_and(|r| r.len() == 1 && r[0].id == "sub-1"));
        let newer = r#"{ "apiVersion": 2, "items": [] }"#;
        assert_eq!(
            interpret_list::<SubmissionSummary>(200, newer),
            Err(BackendError::Server(
                "The server speaks version 2 of the API; this app speaks version 1. Reload the page to get the matching app, or ask your administrator.".into()
            ))
        );
        assert_eq!(
            interpret_list::<SubmissionSummary>(200, r#"{ "items": [] }"#),
            Err(unreadable())
        );
    }

    #[test]
    fn words_for_failures() {
        let cases = [
            (1000, "1 second"),
            (15_000, "15 seconds"),
            (1500, "1.5 seconds"),
            (500, "0.5 seconds"),
        ];
        for (ms, words) in cases {
            assert_eq!(duration_words(ms), words);
        }
        assert_eq!(
            timed_out(1000).message(),
            "The server did not answer within 1 second. Check your connection, then retry."
        );
        assert!(
            matches!(unreachable(false), BackendError::Offline(m) if m.starts_with("You are offline"))
        );
    }

    #[test]
    fn ids_cannot_change_the_path() {
        let cases = [
            ("sub-1", "sub-1"),
            ("a/../b", "a%2F..%2Fb"),
            ("x?y#z", "x%3Fy%23z"),
            ("é", "%C3%A9"),
        ];
        for (id, want) in cases {
            assert_eq!(segment(id), Ok(want.to_string()));
        }
        // Issue 12: a URL parser resolves `.` and `..` (even as %2E%2E): refused.
        for id in ["", ".", ".."] {
            assert!(
                segment(id).is_err_and(|e| !e.is_retryable()),
                "{id:?} must be refused"
            );
        }
    }

    #[test]
    fn runs_and_checks_say_where_they_come_from() {
        use crate::domain::api::ScimCheckResponse;
        use crate::domain::{RecordSource, TestRun};
        let observed = r#"{ "id": "run-1", "instanceId": "0oa1", "case": "idpFlow", "result": "passed",
            "source": "observed", "signInUrl": "https://idp.example.net/tile",
            "steps": [ { "description": "You reported: signed in", "ok": true, "source": "selfReported" } ],
            "network": [ { "method": "GET", "url": "https://idp.example.net/tile", "status": 302, "summary": "Tile" } ] }"#;
        let run = interpret::<TestRun>(200, observed);
        let Ok(run) = run else { panic!("{run:?}") };
        assert_eq!(run.source, RecordSource::Observed);
        assert_eq!(run.sign_in_url, "https://idp.example.net/tile");
        assert_eq!(run.steps[0].source, RecordSource::SelfReported);
        assert_eq!(run.network.len(), 1);
        // A server that does not say is not taken as having observed anything.
        let silent = interpret::<TestRun>(
            200,
            r#"{ "id": "run-2", "steps": [ { "description": "x" } ] }"#,
        );
        let Ok(silent) = silent else {
            panic!("{silent:?}")
        };
        assert_eq!(silent.source, RecordSource::SelfReported);
        assert_eq!(silent.steps[0].source, RecordSource::SelfReported);
        // Test API Credentials: passed, failed, or not run.
        let not_run = interpret::<ScimCheckResponse>(
            200,
            r#"{ "ok": false, "notRun": true, "message": "No request was made" }"#,
        );
        assert!(matches!(not_run, Ok(r) if r.not_run && !r.ok));
        let passed = interpret::<ScimCheckResponse>(200, r#"{ "ok": true, "message": "200" }"#);
        assert!(matches!(passed, Ok(r) if r.ok && !r.not_run));
    }

    /// Issue 12: a save answer must be the saved submission (same id, higher version);
    /// `{}` from a proxy, another id or no newer version is unreadable.
    #[test]
    fn a_save_answer_must_be_the_saved_submission() {
        let sent = Submission {
            id: "sub-1".into(),
            version: 3,
            ..Submission::default()
        };
        #[rustfmt::skip]
        let rows: Vec<(&str, Result<u32, BackendError>)> = vec![
            (r#"{ "id": "sub-1", "version": 4 }"#, Ok(4)),
            (r#"{ "id": "sub-1", "version": 9 }"#, Ok(9)),
            ("{}",                                  Err(unreadable())),
            (r#"{ "ok": true }"#,                   Err(unreadable())),
            (r#"{ "id": "sub-2", "version": 4 }"#, Err(unreadable())),
            (r#"{ "id": "sub-1", "version": 3 }"#, Err(unreadable())),
            (r#"{ "id": "sub-1", "version": 2 }"#, Err(unreadable())),
            (r#"{ "id": "sub-1" }"#,               Err(unreadable())),
        ];
        for (body, want) in rows {
            assert_eq!(
                interpret_save(&sent, 200, body).map(|s| s.version),
                want,
                "{body}"
            );
        }
    }

    /// Issue 12: a 401 is retryable and offers sign-in, whatever its body.
    #[test]
    fn a_401_offers_sign_in() {
        for body in [
            "",
            r#"{ "code": "forbidden", "message": "Session expired" }"#,
            "<html>",
        ] {
            let e = interpret::<Submission>(401, body);
            assert!(
                e.is_err_and(|e| e.needs_sign_in() && e.is_retryable()),
                "{body}"
            );
        }
        assert!(interpret::<Submission>(403, "").is_err_and(|e| !e.needs_sign_in()));
    }

    #[test]
    fn sign_in_answers() {
        let me = r#"{ "id": "00u1", "email": "dev@strawberry.example", "roles": ["SUPER_ADMIN"] }"#;
        assert!(interpret_sign_in(200, me).is_ok_and(|u| u.email == "dev@strawberry.example"));
        let wrong = interpret_sign_in(401, "");
        assert_eq!(
            wrong.map_err(|e| e.to_string()),
            Err("The email or password is not right. Check both, then sign in again.".into())
        );
        let own = interpret_sign_in(
            401,
            r#"{ "code": "forbidden", "message": "Wrong email or password" }"#,
        );
        assert_eq!(
            own.map_err(|e| e.to_string()),
            Err("Wrong email or password".into())
        );
        let throttled = interpret_sign_in(429, "");
        assert!(throttled.is_err_and(|e| e.to_string().starts_with("Too many sign-in attempts")));
        assert_eq!(
            interpret_sign_in(200, "{ nope").map(|_| ()),
            Err(unreadable())
        );
    }
}
